//! Silencing one code for one spec, with the reason written next to it.
//!
//! ```yaml
//! palisade:
//!   allow:
//!     - code: SPEC110
//!       reason: The name matches the vendor's product name, which is long
//! ```
//!
//! An entry silences every finding of that code whose primary span is in the spec's file. An
//! entry without a reason is itself a warning (`SPEC141`); a malformed entry is a warning
//! (`SPEC142`) and silences nothing; an entry that silences nothing is a warning (`SPEC143`),
//! so stale silences do not pile up. The silence codes themselves cannot be silenced.
//! [`check_entries`] runs with the other checks of a file; [`apply`] runs once every
//! finding of a run (KQL checks, IOC checks, duplicate ids) is known.

use palisade_diagnostics::{Code, Diagnostic, FileId, SourceFiles, Span};
use palisade_spec::codes;
use palisade_spec::yaml::{self, Node};

/// The top-level key holding Palisade's own settings.
pub const SETTINGS_KEY: &str = "palisade";

/// One `palisade.allow` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allow {
    /// The code as written, such as `SPEC110`, compared without regard to case.
    pub code: String,
    /// Why the finding is accepted; `None` when missing or blank.
    pub reason: Option<String>,
    /// The entry, for findings about it.
    pub span: Span,
    /// The `code` value.
    pub code_span: Span,
}

/// What [`apply`] silenced, and the entries that silenced nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Silenced {
    /// Every silenced finding, in the order they were found.
    pub diagnostics: Vec<Diagnostic>,
    /// A warning (`SPEC143`) for each entry that silenced nothing; callers add these to the
    /// run's findings once every finding has been through [`apply`].
    pub unused: Vec<Diagnostic>,
}

impl Silenced {
    /// The number of silenced findings.
    pub fn count(&self) -> usize {
        self.diagnostics.len()
    }
}

const SILENCE_CODES: &[Code] =
    &[codes::ALLOW_WITHOUT_REASON, codes::INVALID_ALLOW, codes::UNUSED_ALLOW];

fn scalar_text(node: &Node) -> Option<&str> {
    node.as_scalar().map(|scalar| scalar.text.as_str())
}

/// Reads the `palisade.allow` entries of a spec, with findings about malformed ones.
pub fn read(root: &Node) -> (Vec<Allow>, Vec<Diagnostic>) {
    let mut allows = Vec::new();
    let mut diagnostics = Vec::new();
    let Some(settings) = root.get(SETTINGS_KEY) else {
        return (allows, diagnostics);
    };
    let Some(entry) = settings.value.get("allow") else {
        return (allows, diagnostics);
    };
    let Some(items) = entry.value.as_sequence() else {
        if !entry.value.is_null() {
            diagnostics.push(invalid(entry.value.span, "`palisade.allow` is not a list"));
        }
        return (allows, diagnostics);
    };
    for item in items {
        if item.is_null() {
            continue;
        }
        let Some(code_node) = item.get("code").map(|entry| &entry.value) else {
            diagnostics.push(invalid(item.span, "A `palisade.allow` entry has no `code`"));
            continue;
        };
        let Some(code) = scalar_text(code_node).map(str::trim).filter(|code| is_code(code)) else {
            diagnostics.push(invalid(code_node.span, "`palisade.allow` `code` is not a code"));
            continue;
        };
        if SILENCE_CODES.iter().any(|silence| silence.as_str().eq_ignore_ascii_case(code)) {
            diagnostics.push(invalid(code_node.span, "The silence codes cannot be silenced"));
            continue;
        }
        let reason = item
            .get("reason")
            .and_then(|entry| scalar_text(&entry.value))
            .map(str::trim)
            .filter(|reason| !reason.is_empty())
            .map(str::to_owned);
        allows.push(Allow {
            code: code.to_owned(),
            reason,
            span: item.span,
            code_span: code_node.span,
        });
    }
    (allows, diagnostics)
}

/// Whether `text` looks like a diagnostic code: letters then three digits, such as `KQL201`.
fn is_code(text: &str) -> bool {
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    let digits = &text[letters..];
    (2..=4).contains(&letters) && digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit())
}

fn invalid(span: Span, message: &str) -> Diagnostic {
    Diagnostic::warning(codes::INVALID_ALLOW, message, span)
        .with_note("this entry silences nothing")
        .with_help("write `- code: SPEC110` and `reason: ...` under `palisade: allow:`")
}

/// Findings about a spec's `palisade.allow` entries: malformed entries and missing reasons.
pub fn check_entries(root: &Node) -> Vec<Diagnostic> {
    let (allows, mut diagnostics) = read(root);
    for allow in allows.iter().filter(|allow| allow.reason.is_none()) {
        diagnostics.push(
            Diagnostic::warning(
                codes::ALLOW_WITHOUT_REASON,
                format!("`{}` is silenced without a reason", allow.code),
                allow.span,
            )
            .with_note("a reviewer cannot tell a considered exception from a hidden problem")
            .with_help("add `reason:` saying why the finding is acceptable for this spec"),
        );
    }
    diagnostics
}

/// Removes the findings that the specs' `palisade.allow` entries silence and returns them, with
/// a warning for each entry that silenced nothing.
///
/// A caller that checks in stages (such as `build`, whose compiler findings come later) calls
/// it once per stage and keeps the unused warnings that every stage reported
/// ([`unused_in_all`]).
///
/// Only files whose text has a `palisade:` key are parsed again, so runs without silences cost
/// nothing.
pub fn apply(diagnostics: &mut Vec<Diagnostic>, files: &SourceFiles) -> Silenced {
    let mut silenced = Silenced::default();
    for (file, source) in files.iter() {
        let text = source.text();
        if !text.contains("palisade:") {
            continue;
        }
        let Some(root) = yaml::parse(file, text).root else {
            continue;
        };
        let (allows, _) = read(&root);
        apply_file(file, &allows, diagnostics, &mut silenced);
    }
    silenced
}

fn apply_file(
    file: FileId,
    allows: &[Allow],
    diagnostics: &mut Vec<Diagnostic>,
    silenced: &mut Silenced,
) {
    for allow in allows {
        let matches = |diag: &Diagnostic| {
            diag.primary.span.file == file
                && diag.code.as_str().eq_ignore_ascii_case(&allow.code)
                && !SILENCE_CODES.contains(&diag.code)
        };
        let before = silenced.diagnostics.len();
        let mut kept = Vec::with_capacity(diagnostics.len());
        for diag in diagnostics.drain(..) {
            if matches(&diag) { silenced.diagnostics.push(diag) } else { kept.push(diag) }
        }
        *diagnostics = kept;
        if silenced.diagnostics.len() == before {
            silenced.unused.push(
                Diagnostic::warning(
                    codes::UNUSED_ALLOW,
                    format!("`{}` is silenced, but this spec has no such finding", allow.code),
                    allow.code_span,
                )
                .with_note("a silence that matches nothing hides the next, unrelated finding")
                .with_help("remove the entry"),
            );
        }
    }
}

/// The unused-silence warnings found in every one of `stages`.
pub fn unused_in_all(stages: &[&Silenced]) -> Vec<Diagnostic> {
    let Some((first, rest)) = stages.split_first() else {
        return Vec::new();
    };
    first
        .unused
        .iter()
        .filter(|diag| rest.iter().all(|stage| stage.unused.contains(diag)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node {
        yaml::parse(FileId::default(), text).root.unwrap()
    }

    #[test]
    fn entries_are_read_with_their_reasons() {
        let node = root(
            "palisade:\n  allow:\n    - code: SPEC110\n      reason: vendor name\n    - code: kql201\n    - code: nope\n    - reason: x\n    - code: SPEC141\n      reason: y\n",
        );
        let (allows, diagnostics) = read(&node);
        let codes: Vec<(&str, Option<&str>)> =
            allows.iter().map(|a| (a.code.as_str(), a.reason.as_deref())).collect();
        assert_eq!(codes, [("SPEC110", Some("vendor name")), ("kql201", None)]);
        assert_eq!(diagnostics.len(), 3);
        assert!(diagnostics.iter().all(|d| d.code == codes::INVALID_ALLOW));
        let found = check_entries(&node);
        let missing: Vec<_> =
            found.iter().filter(|d| d.code == codes::ALLOW_WITHOUT_REASON).collect();
        assert_eq!(missing.len(), 1);
        assert!(missing[0].message.contains("`kql201`"));
    }

    #[test]
    fn apply_silences_the_code_in_its_file_and_reports_unused_entries() {
        let text = "id: x\npalisade:\n  allow:\n    - code: spec110\n      reason: r\n    - code: SPEC113\n      reason: r\n";
        let mut files = SourceFiles::new();
        let file = files.add("a.yaml", text);
        let other = files.add("b.yaml", "id: y\n");
        let at = |file| Span::new(file, 0, 1);
        let mut diagnostics = vec![
            Diagnostic::warning(codes::NAME_LONGER_THAN_STYLE, "long", at(file)),
            Diagnostic::warning(codes::NAME_LONGER_THAN_STYLE, "long", at(other)),
            Diagnostic::error(codes::NAME_TOO_LONG, "too long", at(file)),
        ];
        let silenced = apply(&mut diagnostics, &files);
        assert_eq!(silenced.count(), 1);
        assert_eq!(diagnostics.len(), 2);
        assert!(
            diagnostics
                .iter()
                .all(|d| d.primary.span.file == other || d.code == codes::NAME_TOO_LONG)
        );
        assert_eq!(silenced.unused.len(), 1);
        assert!(silenced.unused[0].message.contains("`SPEC113`"));
        let mut none = Vec::new();
        let second = apply(&mut none, &files);
        assert_eq!(unused_in_all(&[&silenced, &second]).len(), 1);
    }

    #[test]
    fn no_settings_no_entries() {
        assert_eq!(read(&root("id: x\n")), (Vec::new(), Vec::new()));
        assert!(
            check_entries(&root("palisade:\n  allow:\n    - code: SPEC110\n      reason: r\n"))
                .is_empty()
        );
    }
}
