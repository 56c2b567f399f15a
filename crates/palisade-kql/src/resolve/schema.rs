//! What the resolver needs to know about a workspace: tables, workspace functions and built-ins.
//!
//! `palisade-kql` knows nothing about Sentinel; `palisade-catalog` implements [`Schema`] over
//! its embedded data, and tests implement it over a few hand-written tables.

use std::fmt;

/// The Kusto scalar type of a column, parameter or expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScalarType {
    String,
    Datetime,
    Int,
    Long,
    Real,
    Bool,
    Dynamic,
    Guid,
    Timespan,
    Decimal,
}

impl ScalarType {
    /// The type as KQL writes it, such as `datetime`.
    pub fn as_str(self) -> &'static str {
        match self {
            ScalarType::String => "string",
            ScalarType::Datetime => "datetime",
            ScalarType::Int => "int",
            ScalarType::Long => "long",
            ScalarType::Real => "real",
            ScalarType::Bool => "bool",
            ScalarType::Dynamic => "dynamic",
            ScalarType::Guid => "guid",
            ScalarType::Timespan => "timespan",
            ScalarType::Decimal => "decimal",
        }
    }

    /// Reads a KQL type name, including the synonyms `double`, `boolean`, `date` and `time`.
    pub fn from_kql(name: &str) -> Option<ScalarType> {
        Some(match name {
            "string" => ScalarType::String,
            "datetime" | "date" => ScalarType::Datetime,
            "int" => ScalarType::Int,
            "long" => ScalarType::Long,
            "real" | "double" => ScalarType::Real,
            "bool" | "boolean" => ScalarType::Bool,
            "dynamic" => ScalarType::Dynamic,
            "guid" | "uniqueid" => ScalarType::Guid,
            "timespan" | "time" => ScalarType::Timespan,
            "decimal" => ScalarType::Decimal,
            _ => return None,
        })
    }
}

impl fmt::Display for ScalarType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One column as a schema describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchemaColumn<'s> {
    pub name: &'s str,
    pub ty: ScalarType,
}

/// A table's columns; an open table accepts column names beyond the known ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableSchema<'s> {
    pub name: &'s str,
    pub columns: Vec<SchemaColumn<'s>>,
    pub open: bool,
}

/// One parameter of a workspace function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchemaParameter<'s> {
    pub name: &'s str,
    pub ty: ScalarType,
    /// Whether the parameter has a default value and may be left out.
    pub optional: bool,
}

/// A workspace function (such as `_GetWatchlist` or an ASIM parser) that returns a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionSchema<'s> {
    pub name: &'s str,
    pub parameters: Vec<SchemaParameter<'s>>,
    pub output: TableSchema<'s>,
}

/// The kind of a built-in function name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuiltinKind {
    Scalar,
    Aggregate,
    Plugin,
}

/// The tables and functions a query is resolved against.
///
/// Names are case-sensitive, as in Sentinel.
pub trait Schema {
    /// The table with exactly this name.
    fn table(&self, name: &str) -> Option<TableSchema<'_>>;

    /// The workspace function with exactly this name.
    fn function(&self, name: &str) -> Option<FunctionSchema<'_>>;

    /// Whether a table or workspace function has exactly this name; cheaper than building
    /// its schema.
    fn has_table_or_function(&self, name: &str) -> bool {
        self.table(name).is_some() || self.function(name).is_some()
    }

    /// Whether `name` is a built-in function of `kind` (`strcat`, `dcount`, `bag_unpack`).
    ///
    /// The default knows none, so unknown calls are reported as soft findings.
    fn is_builtin(&self, kind: BuiltinKind, name: &str) -> bool {
        let _ = (kind, name);
        false
    }

    /// The table name most likely meant by an unknown `name`, for suggestions.
    fn suggest_table(&self, name: &str) -> Option<String> {
        let _ = name;
        None
    }
}

/// A schema with no tables and no functions.
#[derive(Clone, Copy, Debug, Default)]
pub struct EmptySchema;

impl Schema for EmptySchema {
    fn table(&self, _name: &str) -> Option<TableSchema<'_>> {
        None
    }

    fn function(&self, _name: &str) -> Option<FunctionSchema<'_>> {
        None
    }
}
