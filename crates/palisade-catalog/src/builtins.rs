//! KQL's built-in scalar functions, aggregate functions and `evaluate` plugins, as known to
//! Kusto.Language 12.4.1, for name resolution and argument-count checks.
//!
//! Log Analytics adds `workspace()`, `app()` and `resource()`, which are not in these tables.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::data::{DataError, records};
use crate::suggest::nearest;

const BUILTINS_TSV: &str = include_str!("../data/builtins.tsv");

/// Which list a built-in belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FunctionKind {
    /// Called in expressions, such as `strcat` or `ago`.
    Scalar,
    /// Used in `summarize` and `make-series`, such as `count` or `dcount`.
    Aggregate,
    /// Called by `evaluate`, such as `bag_unpack`.
    Plugin,
}

/// One built-in function or plugin.
#[derive(Debug, Clone)]
pub struct BuiltinFunction {
    pub name: &'static str,
    pub kind: FunctionKind,
    pub min_args: u32,
    /// Upper bound on arguments; repeatable parameters give large values such as 65535.
    pub max_args: u32,
    /// Hidden from completion lists by Kusto.Language, though still callable.
    pub hidden: bool,
    pub obsolete: bool,
    /// Returns a table rather than a scalar.
    pub tabular: bool,
    /// The replacement Kusto.Language names for an obsolete function.
    pub alternative: Option<&'static str>,
    /// Signatures as `name(param: type, [optional: type], repeatable: type...)`.
    pub signatures: Vec<&'static str>,
}

impl BuiltinFunction {
    /// Whether `n` arguments are within the allowed range.
    pub fn accepts_args(&self, n: usize) -> bool {
        (self.min_args as usize..=self.max_args as usize).contains(&n)
    }
}

/// All built-ins, by kind.
#[derive(Debug)]
pub struct Builtins {
    functions: Vec<BuiltinFunction>,
    index: HashMap<(FunctionKind, &'static str), usize>,
}

impl Builtins {
    /// Parses data in the `builtins.tsv` format.
    ///
    /// # Errors
    ///
    /// Returns the first malformed line.
    pub fn from_data(text: &'static str) -> Result<Builtins, DataError> {
        let mut functions = Vec::new();
        let mut index = HashMap::new();
        for (line, fields) in records(text) {
            let function = parse_line(line, &fields)?;
            if index.insert((function.kind, function.name), functions.len()).is_some() {
                let message = format!("`{}` is listed twice", function.name);
                return Err(DataError { file: "builtins.tsv", line, message });
            }
            functions.push(function);
        }
        Ok(Builtins { functions, index })
    }

    /// Looks a built-in up by kind and exact, case-sensitive name.
    pub fn get(&self, kind: FunctionKind, name: &str) -> Option<&BuiltinFunction> {
        self.index.get(&(kind, name)).map(|&idx| &self.functions[idx])
    }

    /// Every built-in of one kind, sorted by name.
    pub fn of_kind(&self, kind: FunctionKind) -> impl Iterator<Item = &BuiltinFunction> {
        self.functions.iter().filter(move |function| function.kind == kind)
    }

    /// The name of that kind most likely meant by `name`; hidden and obsolete ones are not
    /// suggested.
    pub fn suggest(&self, kind: FunctionKind, name: &str) -> Option<&'static str> {
        let candidates =
            self.of_kind(kind).filter(|function| !function.hidden && !function.obsolete);
        nearest(name, candidates.map(|function| function.name))
    }
}

/// The built-ins compiled into Palisade, parsed on first use.
pub fn builtin() -> &'static Builtins {
    static BUILTINS: OnceLock<Builtins> = OnceLock::new();
    BUILTINS.get_or_init(|| {
        Builtins::from_data(BUILTINS_TSV)
            .expect("embedded built-in data is generated and checked by tests")
    })
}

/// A scalar function such as `strcat`.
pub fn scalar_function(name: &str) -> Option<&'static BuiltinFunction> {
    builtin().get(FunctionKind::Scalar, name)
}

/// An aggregate function such as `dcount`.
pub fn aggregate_function(name: &str) -> Option<&'static BuiltinFunction> {
    builtin().get(FunctionKind::Aggregate, name)
}

/// An `evaluate` plugin such as `bag_unpack`.
pub fn plugin(name: &str) -> Option<&'static BuiltinFunction> {
    builtin().get(FunctionKind::Plugin, name)
}

fn parse_line(line: usize, fields: &[&'static str]) -> Result<BuiltinFunction, DataError> {
    let fail = |message: String| DataError { file: "builtins.tsv", line, message };
    let [kind, name, min_args, max_args, flags, alternative, signatures @ ..] = fields else {
        return Err(fail("expected kind, name, min, max, flags and alternative".into()));
    };
    let kind = match *kind {
        "scalar" => FunctionKind::Scalar,
        "aggregate" => FunctionKind::Aggregate,
        "plugin" => FunctionKind::Plugin,
        other => return Err(fail(format!("unknown kind `{other}`"))),
    };
    let number =
        |text: &str| text.parse::<u32>().map_err(|_| fail(format!("`{text}` is not a count")));
    Ok(BuiltinFunction {
        name,
        kind,
        min_args: number(min_args)?,
        max_args: number(max_args)?,
        hidden: flags.contains('h'),
        obsolete: flags.contains('o'),
        tabular: flags.contains('t'),
        alternative: (!alternative.is_empty()).then_some(*alternative),
        signatures: signatures.to_vec(),
    })
}
