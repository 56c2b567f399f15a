//! [`palisade_kql::Schema`] over the embedded catalog, so queries resolve against the real
//! Sentinel tables, workspace functions and KQL built-ins.

use palisade_kql::resolve::{
    BuiltinKind, FunctionSchema, ScalarType, Schema, SchemaColumn, SchemaParameter, TableSchema,
};

use crate::builtins;
use crate::tables::{Catalog, ColumnType, Table};

fn scalar_type(ty: ColumnType) -> ScalarType {
    match ty {
        ColumnType::String => ScalarType::String,
        ColumnType::Datetime => ScalarType::Datetime,
        ColumnType::Int => ScalarType::Int,
        ColumnType::Long => ScalarType::Long,
        ColumnType::Real => ScalarType::Real,
        ColumnType::Bool => ScalarType::Bool,
        ColumnType::Dynamic => ScalarType::Dynamic,
        ColumnType::Guid => ScalarType::Guid,
        ColumnType::Timespan => ScalarType::Timespan,
        ColumnType::Decimal => ScalarType::Decimal,
    }
}

fn table_schema(table: &Table) -> TableSchema<'static> {
    TableSchema {
        name: table.name(),
        columns: table
            .columns()
            .iter()
            .map(|column| SchemaColumn { name: column.name, ty: scalar_type(column.ty) })
            .collect(),
        open: table.is_open(),
    }
}

impl Schema for Catalog {
    fn table(&self, name: &str) -> Option<TableSchema<'_>> {
        Catalog::table(self, name).map(table_schema)
    }

    fn function(&self, name: &str) -> Option<FunctionSchema<'_>> {
        let function = Catalog::function(self, name)?;
        Some(FunctionSchema {
            name: function.name(),
            parameters: function
                .parameters()
                .iter()
                .map(|parameter| SchemaParameter {
                    name: parameter.name,
                    ty: scalar_type(parameter.ty),
                    optional: parameter.default.is_some(),
                })
                .collect(),
            output: table_schema(function.output()),
        })
    }

    fn has_table_or_function(&self, name: &str) -> bool {
        Catalog::table(self, name).is_some() || Catalog::function(self, name).is_some()
    }

    fn is_builtin(&self, kind: BuiltinKind, name: &str) -> bool {
        let kind = match kind {
            BuiltinKind::Scalar => builtins::FunctionKind::Scalar,
            BuiltinKind::Aggregate => builtins::FunctionKind::Aggregate,
            BuiltinKind::Plugin => builtins::FunctionKind::Plugin,
        };
        // Log Analytics adds these scalar functions to Kusto's own list.
        if kind == builtins::FunctionKind::Scalar
            && matches!(name, "workspace" | "app" | "resource")
        {
            return true;
        }
        builtins::builtin().get(kind, name).is_some()
    }

    fn suggest_table(&self, name: &str) -> Option<String> {
        Catalog::suggest_table(self, name).map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_against_the_embedded_catalog() {
        let catalog = Catalog::builtin();
        let parse = palisade_kql::parse(
            "SigninLogs | where UserPrincipalNam == 'x' | project TimeGenerated, IPAddress",
        );
        let resolution = palisade_kql::resolve(&parse, catalog);
        let hard: Vec<_> = resolution.hard().collect();
        assert_eq!(hard.len(), 1, "{resolution:?}");
        assert_eq!(hard[0].name, "UserPrincipalNam");
        assert_eq!(hard[0].suggestion.as_deref(), Some("UserPrincipalName"));
        let output = resolution.output.unwrap();
        assert!(!output.open);
        assert_eq!(output.columns[0].ty, Some(ScalarType::Datetime));
        assert_eq!(resolution.tables[0].name, "SigninLogs");
    }

    #[test]
    fn knows_builtins_and_workspace_functions() {
        let catalog = Catalog::builtin();
        assert!(catalog.is_builtin(BuiltinKind::Scalar, "strcat"));
        assert!(catalog.is_builtin(BuiltinKind::Aggregate, "dcount"));
        assert!(catalog.is_builtin(BuiltinKind::Plugin, "bag_unpack"));
        assert!(Schema::function(catalog, "_GetWatchlist").unwrap().output.open);
    }
}
