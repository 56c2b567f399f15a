//! Table schemas and workspace functions.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::data::{DataError, records};
use crate::suggest::{NameIndex, nearest};

const TABLES_TSV: &str = include_str!("../data/tables.tsv");
const FUNCTIONS_TSV: &str = include_str!("../data/functions.tsv");

/// The Kusto type of a column or parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnType {
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

impl ColumnType {
    /// The type as KQL writes it, such as `datetime`.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::String => "string",
            ColumnType::Datetime => "datetime",
            ColumnType::Int => "int",
            ColumnType::Long => "long",
            ColumnType::Real => "real",
            ColumnType::Bool => "bool",
            ColumnType::Dynamic => "dynamic",
            ColumnType::Guid => "guid",
            ColumnType::Timespan => "timespan",
            ColumnType::Decimal => "decimal",
        }
    }

    /// Reads a KQL type name, including the synonyms `double`, `boolean`, `date` and `time`.
    pub fn from_kql(name: &str) -> Option<ColumnType> {
        Some(match name {
            "string" => ColumnType::String,
            "datetime" | "date" => ColumnType::Datetime,
            "int" => ColumnType::Int,
            "long" => ColumnType::Long,
            "real" | "double" => ColumnType::Real,
            "bool" | "boolean" => ColumnType::Bool,
            "dynamic" => ColumnType::Dynamic,
            "guid" | "uniqueid" => ColumnType::Guid,
            "timespan" | "time" => ColumnType::Timespan,
            "decimal" => ColumnType::Decimal,
            _ => return None,
        })
    }

    fn from_code(code: &str) -> Option<ColumnType> {
        Some(match code {
            "s" => ColumnType::String,
            "d" => ColumnType::Datetime,
            "i" => ColumnType::Int,
            "l" => ColumnType::Long,
            "r" => ColumnType::Real,
            "b" => ColumnType::Bool,
            "y" => ColumnType::Dynamic,
            "g" => ColumnType::Guid,
            "t" => ColumnType::Timespan,
            "m" => ColumnType::Decimal,
            _ => return None,
        })
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColumnType,
}

/// Where a table's schema comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The Azure Monitor Logs table reference, with the Sentinel overlay applied.
    AzureMonitor,
    /// Sentinel's own validation schemas for connector and custom (`_CL`) tables.
    Connector,
    /// A stand-in for what a workspace function returns; never looked up by name.
    FunctionOutput,
}

/// A table: its columns in reference order, with a name index.
#[derive(Debug)]
pub struct Table {
    name: &'static str,
    origin: Origin,
    open: bool,
    columns: Vec<Column>,
    by_name: Vec<u32>,
}

impl Table {
    /// The table name, case as in Sentinel.
    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn origin(&self) -> Origin {
        self.origin
    }

    /// Whether any column name is accepted besides the known ones (watchlists, ASIM output).
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// The known columns, in the reference's order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Looks a column up by its exact, case-sensitive name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        let found = self.by_name.binary_search_by(|&idx| self.columns[idx as usize].name.cmp(name));
        found.ok().map(|pos| &self.columns[self.by_name[pos] as usize])
    }

    /// The known column most likely meant by `name`.
    pub fn suggest_column(&self, name: &str) -> Option<&'static str> {
        nearest(name, self.columns.iter().map(|column| column.name))
    }
}

/// A parameter of a workspace function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parameter {
    pub name: &'static str,
    pub ty: ColumnType,
    /// The default value as KQL text, such as `dynamic([])`; `None` for a required parameter.
    pub default: Option<&'static str>,
}

/// A workspace function such as `_GetWatchlist` or an ASIM parser, returning a table.
#[derive(Debug)]
pub struct Function {
    name: &'static str,
    parameters: Vec<Parameter>,
    output: Arc<Table>,
}

impl Function {
    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// The number of parameters without a default.
    pub fn min_args(&self) -> usize {
        self.parameters.iter().filter(|parameter| parameter.default.is_none()).count()
    }

    /// The known output columns.
    pub fn output_columns(&self) -> &[Column] {
        self.output.columns()
    }

    /// The output schema as a table, for column lookups.
    pub fn output(&self) -> &Table {
        &self.output
    }

    /// Whether the output accepts column names beyond the known ones.
    pub fn output_is_open(&self) -> bool {
        self.output.is_open()
    }
}

/// Every known table and workspace function.
#[derive(Debug)]
pub struct Catalog {
    tables: Vec<TableSlot>,
    table_index: HashMap<&'static str, usize>,
    functions: Vec<Function>,
    function_index: HashMap<&'static str, usize>,
    /// The table names prepared for suggestions, built on the first one.
    table_names: OnceLock<NameIndex>,
    /// The function names prepared for suggestions, built on the first one.
    function_names: OnceLock<NameIndex>,
}

/// One table of the catalog: its name, and its columns parsed from its data line on first
/// use (the embedded catalog), or when the catalog was read (any other data).
#[derive(Debug)]
struct TableSlot {
    name: &'static str,
    /// The 1-based line in `tables.tsv`.
    line: usize,
    /// The whole data line.
    text: &'static str,
    table: OnceLock<Arc<Table>>,
}

impl TableSlot {
    fn get(&self) -> &Table {
        self.table.get_or_init(|| {
            let fields: Vec<&'static str> = self.text.split('\t').collect();
            // The embedded data is parsed in full by a test (`embedded_tables_all_parse`), so
            // this fallback of a table without known columns (any column accepted) is never
            // taken; it keeps a lookup from failing.
            Arc::new(parse_table(self.line, &fields).unwrap_or_else(|_| Table {
                name: self.name,
                origin: Origin::Connector,
                open: true,
                columns: Vec::new(),
                by_name: Vec::new(),
            }))
        })
    }
}

impl Catalog {
    /// The catalog compiled into Palisade, read on first use: table names and workspace
    /// functions at once, each table's columns when the table is first looked up.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::read(TABLES_TSV, FUNCTIONS_TSV, Parse::Lazily)
                .expect("embedded catalog data is generated and checked by tests")
        })
    }

    /// Parses catalog data in the `tables.tsv` and `functions.tsv` formats.
    ///
    /// # Errors
    ///
    /// Returns the first malformed line.
    pub fn from_data(
        tables_tsv: &'static str,
        functions_tsv: &'static str,
    ) -> Result<Catalog, DataError> {
        Catalog::read(tables_tsv, functions_tsv, Parse::Eagerly)
    }

    fn read(
        tables_tsv: &'static str,
        functions_tsv: &'static str,
        parse: Parse,
    ) -> Result<Catalog, DataError> {
        let mut tables = Vec::new();
        let mut table_index = HashMap::new();
        let mut shapes: HashMap<&'static str, Arc<Table>> = HashMap::new();
        for (line, text) in data_lines(tables_tsv) {
            let mut fields = text.splitn(3, '\t');
            let (name, origin) = (fields.next().unwrap_or(""), fields.next());
            let slot = TableSlot { name, line, text, table: OnceLock::new() };
            if parse == Parse::Eagerly || origin == Some("shape") {
                let fields: Vec<&'static str> = text.split('\t').collect();
                let table = Arc::new(parse_table(line, &fields)?);
                if table.origin == Origin::FunctionOutput {
                    shapes.insert(table.name, table);
                    continue;
                }
                let _ = slot.table.set(table);
            }
            if table_index.insert(name, tables.len()).is_some() {
                return Err(error("tables.tsv", line, format!("table `{name}` is listed twice")));
            }
            tables.push(slot);
        }

        let mut functions = Vec::new();
        let mut function_index = HashMap::new();
        for (line, fields) in records(functions_tsv) {
            let [name, shape, parameters @ ..] = fields.as_slice() else {
                return Err(error(
                    "functions.tsv",
                    line,
                    "expected a name and an output shape".into(),
                ));
            };
            let Some(output) = shapes.get(shape) else {
                return Err(error(
                    "functions.tsv",
                    line,
                    format!("unknown output shape `{shape}`"),
                ));
            };
            let parameters = parameters
                .iter()
                .map(|text| {
                    parse_parameter(text).ok_or_else(|| {
                        error("functions.tsv", line, format!("malformed parameter `{text}`"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            if function_index.insert(*name, functions.len()).is_some() {
                return Err(error(
                    "functions.tsv",
                    line,
                    format!("function `{name}` is listed twice"),
                ));
            }
            functions.push(Function { name, parameters, output: Arc::clone(output) });
        }
        Ok(Catalog {
            tables,
            table_index,
            functions,
            function_index,
            table_names: OnceLock::new(),
            function_names: OnceLock::new(),
        })
    }

    /// Looks a table up by its exact, case-sensitive name.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.table_index.get(name).map(|&idx| self.tables[idx].get())
    }

    /// Every table, sorted by name.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.tables.iter().map(TableSlot::get)
    }

    /// Looks a workspace function up by its exact, case-sensitive name.
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.function_index.get(name).map(|&idx| &self.functions[idx])
    }

    /// Every workspace function, sorted by name.
    pub fn functions(&self) -> impl Iterator<Item = &Function> {
        self.functions.iter()
    }

    /// The table name most likely meant by `name` (as [`nearest`] over every table name).
    pub fn suggest_table(&self, name: &str) -> Option<&'static str> {
        self.table_names
            .get_or_init(|| NameIndex::new(self.tables.iter().map(|slot| slot.name)))
            .nearest(name)
    }

    /// The workspace function name most likely meant by `name` (as [`nearest`] over every
    /// function name).
    pub fn suggest_function(&self, name: &str) -> Option<&'static str> {
        self.function_names
            .get_or_init(|| NameIndex::new(self.functions.iter().map(|function| function.name)))
            .nearest(name)
    }
}

/// Whether a catalog's tables are parsed when it is read or when each is first used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Parse {
    Eagerly,
    Lazily,
}

/// The data lines of a TSV text with their 1-based numbers, as [`records`] reads them but not
/// split into fields.
fn data_lines(text: &'static str) -> impl Iterator<Item = (usize, &'static str)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(idx, line)| (idx + 1, line))
}

fn error(file: &'static str, line: usize, message: String) -> DataError {
    DataError { file, line, message }
}

fn parse_table(line: usize, fields: &[&'static str]) -> Result<Table, DataError> {
    let [name, origin, open, columns @ ..] = fields else {
        return Err(error(
            "tables.tsv",
            line,
            "expected a name, an origin and an open flag".into(),
        ));
    };
    let origin = match *origin {
        "monitor" => Origin::AzureMonitor,
        "connector" => Origin::Connector,
        "shape" => Origin::FunctionOutput,
        other => return Err(error("tables.tsv", line, format!("unknown origin `{other}`"))),
    };
    if columns.len() % 2 != 0 {
        return Err(error("tables.tsv", line, format!("column of `{name}` without a type")));
    }
    let columns = columns
        .chunks_exact(2)
        .map(|pair| match ColumnType::from_code(pair[1]) {
            Some(ty) => Ok(Column { name: pair[0], ty }),
            None => Err(error("tables.tsv", line, format!("unknown type code `{}`", pair[1]))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut by_name: Vec<u32> = (0..columns.len() as u32).collect();
    by_name.sort_by(|&a, &b| columns[a as usize].name.cmp(columns[b as usize].name));
    if by_name
        .windows(2)
        .any(|pair| columns[pair[0] as usize].name == columns[pair[1] as usize].name)
    {
        return Err(error("tables.tsv", line, format!("a column of `{name}` is listed twice")));
    }
    Ok(Table { name, origin, open: *open == "1", columns, by_name })
}

/// Reads `name:type` or `name:type=default`.
fn parse_parameter(text: &'static str) -> Option<Parameter> {
    let (declaration, default) = match text.split_once('=') {
        Some((declaration, default)) => (declaration, Some(default)),
        None => (text, None),
    };
    let (name, ty) = declaration.split_once(':')?;
    Some(Parameter { name, ty: ColumnType::from_kql(ty)?, default })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded catalog read lazily holds what reading it in full gives: so the fallback
    /// for a malformed line in [`TableSlot::get`] is never taken.
    #[test]
    fn embedded_tables_all_parse() {
        let eager = Catalog::from_data(TABLES_TSV, FUNCTIONS_TSV).unwrap();
        let lazy = Catalog::builtin();
        assert_eq!(eager.tables().count(), lazy.tables().count());
        for (a, b) in eager.tables().zip(lazy.tables()) {
            assert_eq!((a.name, a.origin, a.open), (b.name, b.origin, b.open));
            assert_eq!(a.columns, b.columns);
            assert_eq!(a.by_name, b.by_name);
        }
        assert_eq!(eager.functions().count(), lazy.functions().count());
        for (a, b) in eager.functions().zip(lazy.functions()) {
            assert_eq!((a.name, &a.parameters), (b.name, &b.parameters));
            assert_eq!(a.output.columns, b.output.columns);
        }
    }

    #[test]
    fn suggestions_are_those_of_the_whole_list() {
        let catalog = Catalog::builtin();
        let names: Vec<&str> = catalog.tables().map(Table::name).collect();
        for typo in ["SigninLog", "signinlogs", "SecurityEvnt", "DeviceProcesEvents", "Syslog"] {
            assert_eq!(catalog.suggest_table(typo), nearest(typo, names.iter().copied()));
        }
        let functions: Vec<&str> = catalog.functions().map(Function::name).collect();
        for typo in ["_GetWatchlst", "_im_dns", "imAuthentication"] {
            assert_eq!(catalog.suggest_function(typo), nearest(typo, functions.iter().copied()));
        }
    }

    #[test]
    fn rejects_an_unknown_type_code() {
        let error = Catalog::from_data("T\tmonitor\t0\tA\tq\n", "").unwrap_err();
        assert_eq!(error.to_string(), "tables.tsv:1: unknown type code `q`");
    }

    #[test]
    fn function_output_shapes_are_not_tables() {
        let catalog = Catalog::from_data(
            "__Shape\tshape\t1\tX\ts\nT\tmonitor\t0\tA\td\tB\ts\n",
            "f\t__Shape\ta:string\tb:dynamic=dynamic([])\n",
        )
        .unwrap();
        assert!(catalog.table("__Shape").is_none());
        let function = catalog.function("f").unwrap();
        assert!(function.output_is_open());
        assert_eq!(function.min_args(), 1);
        assert_eq!(function.parameters()[1].default, Some("dynamic([])"));
        assert_eq!(catalog.table("T").unwrap().column("B").unwrap().ty, ColumnType::String);
    }
}
