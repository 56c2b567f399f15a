//! The [`Diagnostic`] type: one finding shown to the user.

use std::fmt;

use crate::{Code, Span};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Informational; never fails a run.
    Note,
    /// Probably wrong or risky; fails a run only with `--fail-on warning`.
    Warning,
    /// Wrong: the content cannot be deployed as written.
    Error,
}

impl Severity {
    /// The lower-case name used in JSON output: `error`, `warning` or `note`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A span with a short label shown under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where, as a byte range in one file.
    pub span: Span,
    /// A short text shown next to the underline; may be empty.
    pub message: String,
}

impl Label {
    /// Creates a label.
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Label { span, message: message.into() }
    }
}

/// One text replacement in a source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The bytes to replace.
    pub span: Span,
    /// The text to put there.
    pub replacement: String,
}

/// A set of edits that resolves a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// Whether applying the fix can change what the content means.
    pub safe: bool,
    /// The edits, in any order; they must not overlap.
    pub edits: Vec<Edit>,
}

/// One finding: what is wrong (message), why it matters (notes), what to do (help), and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code such as `SPEC001`.
    pub code: Code,
    /// Error, warning or note.
    pub severity: Severity,
    /// What is wrong, one line in sentence case, no trailing period.
    pub message: String,
    /// The main location.
    pub primary: Label,
    /// Related locations, for example the other file of a duplicate id.
    pub secondary: Vec<Label>,
    /// Why it matters.
    pub notes: Vec<String>,
    /// What to do about it.
    pub help: Option<String>,
    /// An automatic fix, when one is known.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// Starts a diagnostic with a code, severity, message and primary span.
    pub fn new(code: Code, severity: Severity, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            primary: Label::new(span, ""),
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            fix: None,
        }
    }

    /// Shorthand for an error-level diagnostic.
    pub fn error(code: Code, message: impl Into<String>, span: Span) -> Self {
        Self::new(code, Severity::Error, message, span)
    }

    /// Shorthand for a warning-level diagnostic.
    pub fn warning(code: Code, message: impl Into<String>, span: Span) -> Self {
        Self::new(code, Severity::Warning, message, span)
    }

    /// Shorthand for a note-level diagnostic.
    pub fn note_level(code: Code, message: impl Into<String>, span: Span) -> Self {
        Self::new(code, Severity::Note, message, span)
    }

    /// Sets the label shown under the primary span.
    pub fn with_label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    /// Adds a secondary location.
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label::new(span, message));
        self
    }

    /// Adds a note saying why the finding matters.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Sets the help text saying what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attaches a fix.
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// The deterministic output order: file, then start offset, then code, then message.
    pub fn sort_key(&self) -> (u32, u32, &'static str, &str) {
        (self.primary.span.file.0, self.primary.span.start, self.code.as_str(), &self.message)
    }
}
