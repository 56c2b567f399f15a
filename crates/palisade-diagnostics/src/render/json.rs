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
//!   "summary": {"errors": 1, "warnings": 0, "notes": 0, "silenced": 0, "files": 1}
//! }
//! ```
//!
//! Lines and columns are 1-based; columns count Unicode scalar values; `end_line` and
//! `end_column` are the position just past the span; bytes index the file after CRLF was turned
//! into LF. `summary.silenced` counts findings left out by `palisade.allow` silences (they are
//! not in `diagnostics` nor in the other counts). `version` changes only when a field is
//! removed or changes meaning; `docs/json-output.md` describes the document.

use std::io::{self, Write};

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
        },
    })
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
    let value = to_document(diagnostics, files, names, silenced);
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}
