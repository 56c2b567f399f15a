//! One JSON document for tools.
//!
//! ```json
//! {
//!   "version": 1,
//!   "diagnostics": [
//!     {
//!       "code": "SPEC013", "name": "invalid-value" or null, "severity": "error",
//!       "file": "detections/a.yaml",
//!       "line": 4, "column": 11, "end_line": 4, "end_column": 19,
//!       "start_byte": 52, "end_byte": 60,
//!       "message": "...", "label": "...", "notes": ["..."], "help": "..." or null,
//!       "secondary": [{"file", "line", "column", "end_line", "end_column",
//!                      "start_byte", "end_byte", "message"}],
//!       "fix": null or {"safe": true, "edits": [{"start_byte", "end_byte", "replacement"}]}
//!     }
//!   ],
//!   "summary": {"errors": 1, "warnings": 0, "notes": 0, "silenced": 0, "files": 1,
//!               "not_shown": 0, "counts": {"SPEC013": 1}}
//! }
//! ```
//!
//! Lines and columns are 1-based; columns count Unicode scalar values; `end_line` and
//! `end_column` are the position just past the span; bytes index the file after CRLF was turned
//! into LF. `summary.silenced` counts findings left out by `palisade.allow` silences (they are
//! not in `diagnostics` nor in the other counts); `summary.not_shown` counts findings a
//! per-file cap left out, and `summary.counts` has every finding per code, also those not
//! shown. `version` changes only when a field is
//! removed or changes meaning; `docs/json-output.md` describes the document.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Value, json};

use super::{Summary, ordered, resolve};
use crate::{Code, Diagnostic, SourceFiles, Span};

/// The version of the document's shape.
pub const FORMAT_VERSION: u32 = 1;

fn position(files: &SourceFiles, span: Span) -> serde_json::Map<String, Value> {
    let resolved = resolve(files, span);
    let mut map = serde_json::Map::new();
    map.insert("file".into(), json!(resolved.path));
    map.insert("line".into(), json!(resolved.start.line));
    map.insert("column".into(), json!(resolved.start.column));
    map.insert("end_line".into(), json!(resolved.end.line));
    map.insert("end_column".into(), json!(resolved.end.column));
    map.insert("start_byte".into(), json!(span.start));
    map.insert("end_byte".into(), json!(span.end));
    map
}

/// Looks up the kebab-case name of a code, for the `name` field.
pub type Names<'a> = &'a dyn Fn(Code) -> Option<&'static str>;

/// The document as a JSON value, without names.
pub fn to_value(diagnostics: &[Diagnostic], files: &SourceFiles) -> Value {
    to_value_with_names(diagnostics, files, &|_| None)
}

/// The document as a JSON value; `names` gives each code's name (`null` when unknown).
pub fn to_value_with_names(
    diagnostics: &[Diagnostic],
    files: &SourceFiles,
    names: Names<'_>,
) -> Value {
    to_document(diagnostics, files, names, 0)
}

/// The document as a JSON value, with names and the number of silenced findings.
pub fn to_document(
    diagnostics: &[Diagnostic],
    files: &SourceFiles,
    names: Names<'_>,
    silenced: usize,
) -> Value {
    let mut items = Vec::new();
    for diag in ordered(diagnostics, files) {
        let mut item = serde_json::Map::new();
        item.insert("code".into(), json!(diag.code.as_str()));
        item.insert("name".into(), json!(names(diag.code)));
        item.insert("severity".into(), json!(diag.severity.as_str()));
        item.extend(position(files, diag.primary.span));
        item.insert("message".into(), json!(diag.message));
        item.insert("label".into(), json!(diag.primary.message));
        item.insert("notes".into(), json!(diag.notes));
        item.insert("help".into(), json!(diag.help));
        let secondary: Vec<Value> = diag
            .secondary
            .iter()
            .map(|label| {
                let mut map = position(files, label.span);
                map.insert("message".into(), json!(label.message));
                Value::Object(map)
            })
            .collect();
        item.insert("secondary".into(), Value::Array(secondary));
        let fix = diag.fix.as_ref().map(|fix| {
            let edits: Vec<Value> = fix
                .edits
                .iter()
                .map(|edit| {
                    json!({
                        "start_byte": edit.span.start,
                        "end_byte": edit.span.end,
                        "replacement": edit.replacement,
                    })
                })
                .collect();
            json!({"safe": fix.safe, "edits": edits})
        });
        item.insert("fix".into(), json!(fix));
        items.push(Value::Object(item));
    }
    let summary = Summary::of(diagnostics);
    json!({
        "version": FORMAT_VERSION,
        "diagnostics": items,
        "summary": {
            "errors": summary.errors,
            "warnings": summary.warnings,
            "notes": summary.notes,
            "silenced": silenced,
            "files": files.len(),
            "not_shown": 0,
            "counts": counts(diagnostics),
        },
    })
}

/// Findings per code, keyed by code in ascending order.
fn counts(diagnostics: &[Diagnostic]) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for diag in diagnostics {
        *counts.entry(diag.code.as_str()).or_insert(0) += 1;
    }
    counts
}

/// What the summary says beyond the listed diagnostics.
#[derive(Clone, Copy, Debug)]
pub struct Totals<'a> {
    /// Findings left out by `palisade.allow` silences.
    pub silenced: usize,
    /// Findings a per-file cap left out of the list.
    pub not_shown: usize,
    /// Every finding of the run, also those not shown, for `summary.counts`.
    pub all: &'a [Diagnostic],
}

/// Writes the document, pretty-printed, with a final newline.
///
/// # Errors
///
/// Returns the writer's error.
pub fn render(
    diagnostics: &[Diagnostic],
    files: &SourceFiles,
    out: &mut dyn Write,
) -> io::Result<()> {
    render_with_names(diagnostics, files, out, &|_| None)
}

/// Like [`render`], with each code's name from `names`.
///
/// # Errors
///
/// Returns the writer's error.
pub fn render_with_names(
    diagnostics: &[Diagnostic],
    files: &SourceFiles,
    out: &mut dyn Write,
    names: Names<'_>,
) -> io::Result<()> {
    render_document(diagnostics, files, out, names, 0)
}

/// Like [`render_with_names`], with the number of silenced findings in the summary.
///
/// # Errors
///
/// Returns the writer's error.
pub fn render_document(
    diagnostics: &[Diagnostic],
    files: &SourceFiles,
    out: &mut dyn Write,
    names: Names<'_>,
    silenced: usize,
) -> io::Result<()> {
    let totals = Totals { silenced, not_shown: 0, all: diagnostics };
    render_report(diagnostics, files, out, names, &totals)
}

/// Like [`render_document`], with the summary's totals given: silenced findings, findings a
/// per-file cap left out, and every finding for the per-code counts.
///
/// # Errors
///
/// Returns the writer's error.
pub fn render_report(
    diagnostics: &[Diagnostic],
    files: &SourceFiles,
    out: &mut dyn Write,
    names: Names<'_>,
    totals: &Totals<'_>,
) -> io::Result<()> {
    // Serialised straight from the diagnostics (no intermediate `Value` tree) into a buffer
    // written at once: the same bytes as pretty-printing `to_document`, without building and
    // freeing a map per diagnostic, or a write per line on a line-buffered stdout.
    let document = Document { diagnostics, files, names, totals: *totals };
    let mut buffer = Vec::with_capacity(512 * diagnostics.len() + 256);
    serde_json::to_writer_pretty(&mut buffer, &document).map_err(io::Error::other)?;
    buffer.push(b'\n');
    out.write_all(&buffer)
}

/// The whole document, serialised field by field in the order of [`to_document`].
struct Document<'a, 'n> {
    diagnostics: &'a [Diagnostic],
    files: &'a SourceFiles,
    names: Names<'n>,
    totals: Totals<'a>,
}

impl Serialize for Document<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let items = Items { diagnostics: self.diagnostics, files: self.files, names: self.names };
        let summary = Summary::of(self.diagnostics);
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("version", &FORMAT_VERSION)?;
        map.serialize_entry("diagnostics", &items)?;
        map.serialize_entry(
            "summary",
            &SummaryFields {
                errors: summary.errors,
                warnings: summary.warnings,
                notes: summary.notes,
                silenced: self.totals.silenced,
                files: self.files.len(),
                not_shown: self.totals.not_shown,
                counts: counts(self.totals.all),
            },
        )?;
        map.end()
    }
}

#[derive(serde::Serialize)]
struct SummaryFields {
    errors: usize,
    warnings: usize,
    notes: usize,
    silenced: usize,
    files: usize,
    not_shown: usize,
    counts: BTreeMap<&'static str, usize>,
}

/// The `diagnostics` array, in output order.
struct Items<'a, 'n> {
    diagnostics: &'a [Diagnostic],
    files: &'a SourceFiles,
    names: Names<'n>,
}

impl Serialize for Items<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ordered = ordered(self.diagnostics, self.files);
        let mut seq = serializer.serialize_seq(Some(ordered.len()))?;
        for diag in ordered {
            seq.serialize_element(&Item { diag, files: self.files, names: self.names })?;
        }
        seq.end()
    }
}

/// One diagnostic, with the fields of [`to_document`] in its order.
struct Item<'a, 'n> {
    diag: &'a Diagnostic,
    files: &'a SourceFiles,
    names: Names<'n>,
}

impl Serialize for Item<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let diag = self.diag;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", diag.code.as_str())?;
        map.serialize_entry("name", &(self.names)(diag.code))?;
        map.serialize_entry("severity", diag.severity.as_str())?;
        position_entries(&mut map, self.files, diag.primary.span)?;
        map.serialize_entry("message", &diag.message)?;
        map.serialize_entry("label", &diag.primary.message)?;
        map.serialize_entry("notes", &diag.notes)?;
        map.serialize_entry("help", &diag.help)?;
        let secondary: Vec<SecondaryItem<'_>> =
            diag.secondary.iter().map(|label| SecondaryItem { label, files: self.files }).collect();
        map.serialize_entry("secondary", &secondary)?;
        map.serialize_entry("fix", &diag.fix.as_ref().map(|fix| FixItem { fix }))?;
        map.end()
    }
}

/// The position fields of [`position`], added to an open map.
fn position_entries<M: SerializeMap>(
    map: &mut M,
    files: &SourceFiles,
    span: Span,
) -> Result<(), M::Error> {
    let resolved = resolve(files, span);
    map.serialize_entry("file", resolved.path)?;
    map.serialize_entry("line", &resolved.start.line)?;
    map.serialize_entry("column", &resolved.start.column)?;
    map.serialize_entry("end_line", &resolved.end.line)?;
    map.serialize_entry("end_column", &resolved.end.column)?;
    map.serialize_entry("start_byte", &span.start)?;
    map.serialize_entry("end_byte", &span.end)
}

struct SecondaryItem<'a> {
    label: &'a crate::Label,
    files: &'a SourceFiles,
}

impl Serialize for SecondaryItem<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        position_entries(&mut map, self.files, self.label.span)?;
        map.serialize_entry("message", &self.label.message)?;
        map.end()
    }
}

struct FixItem<'a> {
    fix: &'a crate::Fix,
}

impl Serialize for FixItem<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let edits: Vec<EditItem<'_>> =
            self.fix.edits.iter().map(|edit| EditItem { edit }).collect();
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("safe", &self.fix.safe)?;
        map.serialize_entry("edits", &edits)?;
        map.end()
    }
}

struct EditItem<'a> {
    edit: &'a crate::Edit,
}

impl Serialize for EditItem<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("start_byte", &self.edit.span.start)?;
        map.serialize_entry("end_byte", &self.edit.span.end)?;
        map.serialize_entry("replacement", &self.edit.replacement)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, Edit, Fix};

    /// The streamed document is byte for byte the pretty-printed `to_document`.
    #[test]
    fn streamed_document_is_the_value_document() {
        let mut files = SourceFiles::new();
        let a = files.add("b/query.kql", "T\n| where x == \"é\"\n| take 1\n");
        let b = files.add("a/rule.yaml", "id: 1\nquery: T\n");
        let diagnostics = vec![
            Diagnostic::error(Code::new("KQL001"), "Expected `)`", Span::new(a, 13, 17))
                .with_label("here")
                .with_note("why \"quoted\"\nand a new line")
                .with_help("do this")
                .with_secondary(Span::new(b, 0, 5), "first used here")
                .with_fix(Fix {
                    safe: true,
                    edits: vec![Edit { span: Span::new(a, 2, 3), replacement: "|".into() }],
                }),
            Diagnostic::note_level(Code::new("KQL101"), "Unknown table `T`", Span::new(a, 0, 1)),
            Diagnostic::warning(Code::new("SPEC013"), "Bad value", Span::new(b, 6, 11))
                .with_fix(Fix { safe: false, edits: Vec::new() }),
            Diagnostic::error(Code::new("SPEC001"), "Gone", Span::new(crate::FileId(9), 0, 0)),
        ];
        let names = |code: Code| (code.as_str() == "KQL101").then_some("unknown-table");
        for silenced in [0, 3] {
            let mut streamed = Vec::new();
            render_document(&diagnostics, &files, &mut streamed, &names, silenced).unwrap();
            let value = to_document(&diagnostics, &files, &names, silenced);
            let mut expected = serde_json::to_vec_pretty(&value).unwrap();
            expected.push(b'\n');
            assert_eq!(String::from_utf8(streamed).unwrap(), String::from_utf8(expected).unwrap());
        }
        let mut empty = Vec::new();
        render_document(&[], &files, &mut empty, &names, 0).unwrap();
        let value = to_document(&[], &files, &names, 0);
        assert_eq!(empty, [serde_json::to_vec_pretty(&value).unwrap(), b"\n".to_vec()].concat());
    }
}
