//! Name resolution: which tables a query reads, which columns it outputs (with types where
//! known), and which names do not resolve.
//!
//! [`resolve`] walks the statements of a [`Parse`] against a [`Schema`] and tracks the row
//! schema after every query operator.
//! A row schema is *closed* when every column is known, as after a table of the catalog and
//! the operators modelled here; a name missing from a closed schema is a [`Severity::Hard`]
//! finding with the nearest real name as a suggestion.
//! Anything that cannot be modelled precisely (an unknown `_CL` table, a workspace function
//! without a schema, `evaluate` plugins, `search`, an expression whose default column name is
//! uncertain) makes the schema *open*, and names missing from it are [`Severity::Soft`]
//! findings, never hard ones.
//!
//! Column names are case-sensitive, as in Sentinel. Resolution never panics and never fails:
//! a tree with syntax errors is resolved as far as it goes.

mod expr;
mod names;
mod schema;
mod walk;

use std::ops::Range;

use palisade_diagnostics::{Code, Diagnostic, FileId, Span};

use crate::Parse;

pub use names::{BoundedDistance, nearest_name};
pub use schema::{
    BuiltinKind, EmptySchema, FunctionSchema, ScalarType, Schema, SchemaColumn, SchemaParameter,
    TableSchema,
};

/// What [`resolve`] found out about one query text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolution {
    /// Every table, workspace function or unknown name read as a table, in text order.
    pub tables: Vec<TableRead>,
    /// The output of the last query statement; `None` when the text has no query, or when a
    /// query operator in it has no input (`KQL012`), which leaves the output unknown.
    pub output: Option<OutputSchema>,
    /// Names that did not resolve, in text order.
    pub unresolved: Vec<Unresolved>,
}

impl Resolution {
    /// The hard findings: names certainly wrong against the schema.
    pub fn hard(&self) -> impl Iterator<Item = &Unresolved> {
        self.unresolved.iter().filter(|item| item.severity == Severity::Hard)
    }

    /// Whether at least one column name certainly does not exist.
    pub fn has_hard_column_errors(&self) -> bool {
        self.hard().any(|item| item.kind == NameKind::Column)
    }

    /// The findings as diagnostics (`KQL012`, `KQL101`-`KQL107`) over `file`, whose text starts at
    /// `offset` (for a query embedded in a larger file).
    pub fn diagnostics(&self, file: FileId, offset: u32) -> Vec<Diagnostic> {
        self.unresolved.iter().map(|item| item.to_diagnostic(file, offset)).collect()
    }
}

/// One table-like source read by the query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRead {
    pub name: String,
    pub span: Range<u32>,
    pub kind: SourceKind,
}

/// What a name read as a table turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// A table of the schema.
    Table,
    /// A workspace function of the schema, such as an ASIM parser.
    Function,
    /// Neither; see [`Resolution::unresolved`].
    Unknown,
}

/// The columns a query outputs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutputSchema {
    pub columns: Vec<OutputColumn>,
    /// Whether more columns than the listed ones may exist.
    pub open: bool,
    /// The operator after which the listed columns are all the columns, standard and hidden
    /// ones such as `TenantId` and `_ResourceId` included (a schema can leave those out of a
    /// table); `None` when the output may still have such columns.
    pub exact: Option<DroppedBy>,
}

/// The operator that left a column out of a row schema: one that outputs exactly the columns
/// it names (`project`, `summarize`), or a `project-away` that named the column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedBy {
    /// The operator as written, such as `project` or `summarize`.
    pub operator: &'static str,
    /// Byte range of the operator's name in the query text.
    pub span: Range<u32>,
    /// Whether the operator removed the column by name (`project-away`), rather than leaving
    /// it out of the columns it keeps.
    pub by_name: bool,
}

/// One output column; `ty` is `None` when the type is not known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputColumn {
    pub name: String,
    pub ty: Option<ScalarType>,
}

/// A name that did not resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unresolved {
    pub name: String,
    /// Byte range of the name in the query text.
    pub span: Range<u32>,
    pub kind: NameKind,
    pub severity: Severity,
    pub reason: Reason,
    /// The nearest real name, when one is close.
    pub suggestion: Option<String>,
    /// For a column missing from a closed row schema that is exact: the operator that left it
    /// out.
    pub dropped_by: Option<DroppedBy>,
}

/// What kind of thing the name was meant to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    Column,
    Table,
    Function,
}

/// How sure the finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The name is certainly wrong: the schema it was looked up in is closed.
    Hard,
    /// The name is unknown to Palisade but may exist in the workspace.
    Soft,
}

/// Why the name did not resolve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// A column missing from a closed row schema (hard, unless the text has syntax errors).
    UnknownColumn,
    /// A column missing from an open row schema (soft).
    OpenSchema,
    /// A `_CL` custom table the schema does not know (soft).
    UnknownCustomTable,
    /// Another table the schema does not know (soft).
    UnknownTable,
    /// A function that is neither built in, nor declared, nor in the schema (soft).
    UnknownFunction,
    /// A `let` function called inside its own body (hard): KQL has no recursion, and the
    /// name is not visible there.
    RecursiveCall,
    /// A query operator first in a query, with no table before it (hard); `name` is the
    /// operator, such as `where`. Kusto's parser accepts the text, its semantic pass does not.
    NoInput,
}

impl Unresolved {
    /// The diagnostic code for this finding.
    pub fn code(&self) -> Code {
        match self.reason {
            Reason::UnknownColumn => Code::new("KQL101"),
            Reason::OpenSchema => Code::new("KQL102"),
            Reason::UnknownCustomTable | Reason::UnknownTable => Code::new("KQL103"),
            Reason::UnknownFunction => Code::new("KQL104"),
            Reason::RecursiveCall => Code::new("KQL107"),
            Reason::NoInput => Code::new("KQL012"),
        }
    }

    /// The finding as a diagnostic: an error when hard, a note when soft.
    pub fn to_diagnostic(&self, file: FileId, offset: u32) -> Diagnostic {
        let span = Span::new(
            file,
            offset.saturating_add(self.span.start),
            offset.saturating_add(self.span.end),
        );
        let name = &self.name;
        let (message, note) = match self.reason {
            Reason::UnknownColumn => (
                format!("Column `{name}` does not exist here"),
                "the columns at this point of the query are all known, and this is none of them",
            ),
            Reason::OpenSchema => (
                format!("Column `{name}` is not among the known columns here"),
                "the columns at this point are not all known, so it may exist",
            ),
            Reason::UnknownCustomTable => (
                format!("Custom table `{name}` is not in the catalog"),
                "custom `_CL` tables are defined per workspace",
            ),
            Reason::UnknownTable => (
                format!("Table `{name}` is not in the catalog"),
                "the catalog may lack newer tables",
            ),
            Reason::UnknownFunction => (
                format!("Function `{name}` is not known"),
                "it is not built in, not declared with `let`, and not a known workspace function",
            ),
            Reason::RecursiveCall => (
                format!("`{name}` calls itself; KQL functions cannot be recursive"),
                "a `let` name is visible only after its statement, so Sentinel rejects the call",
            ),
            Reason::NoInput => (
                format!("The query starts with `{name}`, which needs a table before it"),
                "an operator after `|` reads the rows of what comes before it; here nothing does",
            ),
        };
        let diagnostic = match self.severity {
            Severity::Hard => Diagnostic::error(self.code(), message, span),
            Severity::Soft => Diagnostic::note_level(self.code(), message, span),
        };
        let mut diagnostic = diagnostic.with_note(note);
        if let Some(dropped) = &self.dropped_by {
            let at = Span::new(
                file,
                offset.saturating_add(dropped.span.start),
                offset.saturating_add(dropped.span.end),
            );
            diagnostic =
                diagnostic.with_secondary(at, dropped.label(name)).with_note(dropped.note(name));
        }
        match (&self.suggestion, self.reason) {
            (Some(suggestion), _) => diagnostic.with_help(format!("did you mean `{suggestion}`?")),
            (None, Reason::RecursiveCall) => diagnostic.with_help(format!(
                "compute the result without calling `{name}` from its own body, for example \
                 with a fixed number of steps or the `scan` operator"
            )),
            (None, Reason::NoInput) => diagnostic
                .with_help(format!("name the table first, for example `SigninLogs | {name} ...`")),
            (None, _) => diagnostic,
        }
    }
}

impl DroppedBy {
    /// A short label for the operator's span.
    pub fn label(&self, column: &str) -> String {
        if self.by_name {
            format!("`{column}` is removed here")
        } else {
            format!("`{}` keeps only the columns it names", self.operator)
        }
    }

    /// Why `column` is missing after the operator.
    pub fn note(&self, column: &str) -> String {
        if self.by_name {
            format!("the `{}` before this point removes `{column}`", self.operator)
        } else {
            format!(
                "the `{}` before this point outputs only the columns it names, so `{column}` \
                 is not among them even if the table has it",
                self.operator
            )
        }
    }
}

/// Resolves the names of `parse` against `schema`.
///
/// When the text has syntax errors, every finding is soft: error recovery may have read the
/// text differently from what was meant.
pub fn resolve(parse: &Parse, schema: &dyn Schema) -> Resolution {
    resolve_with(parse, schema, true)
}

/// Resolves the names of `parse` as [`resolve`] does, without building
/// [`Resolution::output`], which costs a string per output column: for callers that need only
/// the findings and the tables read.
pub fn resolve_names(parse: &Parse, schema: &dyn Schema) -> Resolution {
    resolve_with(parse, schema, false)
}

fn resolve_with(parse: &Parse, schema: &dyn Schema, with_output: bool) -> Resolution {
    let mut resolution = walk::Resolver::new(schema).run(parse.root(), with_output);
    if resolution.unresolved.iter().any(|item| item.reason == Reason::NoInput) {
        resolution.output = None;
    }
    if parse.has_errors() {
        for item in &mut resolution.unresolved {
            item.severity = Severity::Soft;
        }
    }
    resolution
}
