//! Renderers: diagnostics, the files they point into, and a writer in; text out.
//!
//! Each format is a pure function over `(&[Diagnostic], &SourceFiles, &mut dyn Write)`:
//! [`human`] for people (source snippets, optional colour), [`json`] for tools (one document
//! with a `version`), [`sarif`] for code-scanning services (SARIF 2.1.0), and [`github`] for
//! GitHub Actions workflow annotations. Every renderer
//! prints diagnostics in the same deterministic order: path, start offset, code, message.
//! Positions are 1-based lines and columns counted in Unicode scalar values.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::{Code, Diagnostic, LineCol, Severity, SourceFiles, Span};

/// Counts of diagnostics by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Error-level diagnostics.
    pub errors: usize,
    /// Warning-level diagnostics.
    pub warnings: usize,
    /// Note-level diagnostics.
    pub notes: usize,
}

impl Summary {
    /// Counts `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut summary = Summary::default();
        for diag in diagnostics {
            match diag.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Note => summary.notes += 1,
            }
        }
        summary
    }
}

/// How many findings one code has in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeCount {
    /// The code.
    pub code: Code,
    /// The highest severity it was reported with.
    pub severity: Severity,
    /// How many findings have it.
    pub count: usize,
}

/// Counts per code, most frequent first, then by code.
pub fn counts_by_code(diagnostics: &[Diagnostic]) -> Vec<CodeCount> {
    let mut by_code: std::collections::BTreeMap<Code, CodeCount> = Default::default();
    for diag in diagnostics {
        let entry = by_code.entry(diag.code).or_insert(CodeCount {
            code: diag.code,
            severity: diag.severity,
            count: 0,
        });
        entry.count += 1;
        entry.severity = entry.severity.max(diag.severity);
    }
    let mut rows: Vec<CodeCount> = by_code.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));
    rows
}

/// The diagnostics in output order.
pub(crate) fn ordered<'a>(
    diagnostics: &'a [Diagnostic],
    files: &SourceFiles,
) -> Vec<&'a Diagnostic> {
    let mut ordered: Vec<&Diagnostic> = diagnostics.iter().collect();
    ordered.sort_by(|a, b| {
        let path = |diag: &Diagnostic| {
            files.try_get(diag.primary.span.file).map_or("", |file| file.path())
        };
        (path(a), a.primary.span.start, a.primary.span.end, a.code.as_str(), &a.message).cmp(&(
            path(b),
            b.primary.span.start,
            b.primary.span.end,
            b.code.as_str(),
            &b.message,
        ))
    });
    ordered
}

/// Whether `ch` is shown as `<U+XXXX>` instead of itself by the human and GitHub formats:
/// C0 and C1 controls other than tab and line feed (a carriage return is shown too), DEL, bidirectional controls,
/// zero-width characters and the line and paragraph separators. Printed as they are, these
/// could colour the terminal, set its title, reorder the text a reader sees or hide
/// characters.
pub fn is_hidden(ch: char) -> bool {
    matches!(
        ch,
        '\u{0}'..='\u{8}'
            | '\u{b}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// `text` with every [`is_hidden`] character written as `<U+XXXX>` (tab and line feed are
/// kept; the callers handle them).
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for ch in text.chars() {
        push_visible(&mut out, ch);
    }
    std::borrow::Cow::Owned(out)
}

/// Appends `ch` to `out`, as `<U+XXXX>` when [`is_hidden`].
pub(crate) fn push_visible(out: &mut String, ch: char) {
    if is_hidden(ch) {
        out.push_str(&format!("<U+{:04X}>", u32::from(ch)));
    } else {
        out.push(ch);
    }
}

/// How many columns `ch` takes once shown: `<U+XXXX>` for a hidden character.
pub(crate) fn visible_width(ch: char) -> usize {
    if is_hidden(ch) { format!("<U+{:04X}>", u32::from(ch)).len() } else { 1 }
}

/// A span resolved to a path and start and end positions (the end is just past the span).
pub(crate) struct Resolved<'a> {
    pub path: &'a str,
    pub start: LineCol,
    pub end: LineCol,
}

pub(crate) fn resolve(files: &SourceFiles, span: Span) -> Resolved<'_> {
    match files.try_get(span.file) {
        Some(file) => Resolved {
            path: file.path(),
            start: file.line_col(span.start),
            end: file.line_col(span.end),
        },
        None => {
            let origin = LineCol { line: 1, column: 1 };
            Resolved { path: "", start: origin, end: origin }
        }
    }
}
