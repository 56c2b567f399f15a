//! Statements, tabular expressions and query operators.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::expr::{DefaultName, call_args, callee_name, default_name, is_tabular_kind};
use super::names::{Col, Rows, Ty, is_wildcard, matches_pattern, name_text, nearest, pattern_text};
use super::schema::{BuiltinKind, ScalarType, Schema, TableSchema};
use super::{
    DroppedBy, NameKind, OutputColumn, OutputSchema, Reason, Resolution, Severity, SourceKind,
    TableRead, Unresolved,
};
use crate::ast::{LetStmt, Name, NamedExpr, Query, Statement};
use crate::syntax_kind::SyntaxKind;
use crate::tree::SyntaxNode;

/// How deep user function calls may nest before their output is taken as unknown.
const MAX_CALL_DEPTH: u32 = 8;

/// What a name bound by `let`, a parameter or `as` stands for.
#[derive(Clone, Debug)]
pub(crate) enum Binding<'a> {
    Scalar(Ty),
    Tabular(Rows<'a>),
    Function(LetStmt<'a>),
}

/// The value of an expression: a scalar of some type, or a table.
pub(crate) enum Value<'a> {
    Scalar(Ty),
    Table(Rows<'a>),
}

impl<'a> Rows<'a> {
    pub(crate) fn from_schema(table: &TableSchema<'a>) -> Rows<'a> {
        let cols = table
            .columns
            .iter()
            .map(|col| Col { name: Cow::Borrowed(col.name), ty: Some(col.ty) })
            .collect();
        Rows::new(cols, table.open)
    }
}

pub(crate) struct Resolver<'a> {
    pub(crate) schema: &'a dyn Schema,
    scopes: Vec<Vec<(&'a str, Binding<'a>)>>,
    tables: Vec<TableRead>,
    unresolved: Vec<Unresolved>,
    seen: HashSet<(u32, u32)>,
    table_suggestions: HashMap<&'a str, Option<String>>,
    /// Above zero while re-evaluating a function body for its output: findings are dropped.
    pub(crate) quiet: u32,
    depth: u32,
    /// How many scalar expressions are being resolved inside each other (see `scalar`).
    pub(crate) scalar_depth: u32,
    /// Start offsets of the `let` functions being expanded, innermost last. A function that
    /// refers to itself is not expanded again: Kusto does not allow it, and re-expanding each
    /// reference would make the work grow exponentially with the number of references.
    expanding: Vec<u32>,
    /// The names of the `let` functions whose body is being checked, innermost last. A `let`
    /// name is visible only after its statement, so a call of it inside its own body is a
    /// call of something else: KQL has no recursion, and when nothing else has the name the
    /// miss is certain, hence hard. (A bare `let T = T | ...` keeps the usual soft miss: that
    /// idiom names a table of the same name.)
    defining: Vec<&'a str>,
}

impl<'a> Resolver<'a> {
    pub(crate) fn new(schema: &'a dyn Schema) -> Resolver<'a> {
        Resolver {
            schema,
            scopes: vec![Vec::new()],
            tables: Vec::new(),
            unresolved: Vec::new(),
            seen: HashSet::new(),
            table_suggestions: HashMap::new(),
            quiet: 0,
            depth: 0,
            scalar_depth: 0,
            expanding: Vec::new(),
            defining: Vec::new(),
        }
    }

    /// Resolves every statement under `root`; the output schema is built only `with_output`.
    pub(crate) fn run(mut self, root: SyntaxNode<'a>, with_output: bool) -> Resolution {
        let mut output = None;
        if let Some(query) = Query::cast(root) {
            for statement in query.statements() {
                match statement {
                    Statement::Let(stmt) => self.let_stmt(stmt),
                    Statement::Expr(stmt) => {
                        output = stmt.expr().map(|expr| match self.value(expr, &Rows::default()) {
                            Value::Table(rows) => rows,
                            Value::Scalar(ty) => {
                                Rows::new(vec![Col { name: Cow::Borrowed("print_0"), ty }], true)
                            }
                        });
                    }
                    Statement::Other(node) => self.other_stmt(node),
                }
            }
        }
        self.tables.sort_by_key(|read| (read.span.start, read.span.end));
        self.unresolved.sort_by_key(|item| (item.span.start, item.span.end));
        Resolution {
            tables: self.tables,
            output: output.filter(|_| with_output).map(|rows| OutputSchema {
                open: rows.open,
                exact: rows.exact.clone(),
                columns: rows
                    .into_cols()
                    .into_iter()
                    .map(|col| OutputColumn { name: col.name.into_owned(), ty: col.ty })
                    .collect(),
            }),
            unresolved: self.unresolved,
        }
    }

    // ----- bindings -----

    pub(crate) fn lookup(&self, name: &str) -> Option<&Binding<'a>> {
        self.scopes
            .iter()
            .rev()
            .find_map(|scope| scope.iter().rev().find(|(bound, _)| *bound == name))
            .map(|(_, binding)| binding)
    }

    fn bind(&mut self, name: &'a str, binding: Binding<'a>) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.push((name, binding));
        }
    }

    fn let_stmt(&mut self, stmt: LetStmt<'a>) {
        let Some(name) = stmt.name().and_then(Name::text) else { return };
        if stmt.body().is_some() {
            self.defining.push(name);
            // Check the body once, with the parameters as declared; calls re-evaluate it
            // quietly with their arguments for the output schema.
            self.function_body(stmt, None);
            self.defining.pop();
            self.bind(name, Binding::Function(stmt));
            return;
        }
        let binding = match stmt.value() {
            // An entity group names tables for `macro-expand`; it is no value of its own.
            Some(value) if value.kind() == SyntaxKind::EntityGroup => Binding::Scalar(None),
            Some(value) => match self.value(value, &Rows::default()) {
                Value::Scalar(ty) => Binding::Scalar(ty),
                Value::Table(rows) => Binding::Tabular(rows),
            },
            None => Binding::Scalar(None),
        };
        self.bind(name, binding);
    }

    /// `declare query_parameters (a: string, ...)` binds scalars.
    fn other_stmt(&mut self, node: SyntaxNode<'a>) {
        if node.kind() != SyntaxKind::DeclareStmt {
            return;
        }
        for param in node.descendants().filter(|n| n.kind() == SyntaxKind::Param) {
            if let Some(name) = param.children().find_map(Name::cast).and_then(Name::text) {
                let ty = param.child(SyntaxKind::TypeRef).and_then(type_of_ref);
                self.bind(name, Binding::Scalar(ty));
            }
        }
    }

    /// Evaluates a function body with its parameters bound; `args` are the call's argument
    /// values (`None` checks the body as declared).
    fn function_body(
        &mut self,
        stmt: LetStmt<'a>,
        args: Option<Vec<Option<Value<'a>>>>,
    ) -> Value<'a> {
        let Some(body) = stmt.body() else { return Value::Table(Rows::unknown()) };
        let mut scope = Vec::new();
        let mut args = args.map(|args| args.into_iter());
        for param in stmt.params() {
            let arg = args.as_mut().and_then(|args| args.next()).flatten();
            let Some(name) = param.name().and_then(Name::text) else { continue };
            let type_ref = param.type_ref();
            let tabular = type_ref.is_some_and(|ty| {
                ty.child(SyntaxKind::Param).is_some()
                    || is_wildcard(ty)
                    || ty.tokens().next().is_none()
            });
            let binding = if tabular {
                match arg {
                    Some(Value::Table(rows)) => Binding::Tabular(rows),
                    _ => Binding::Tabular(declared_rows(type_ref)),
                }
            } else {
                match arg {
                    Some(Value::Scalar(Some(ty))) => Binding::Scalar(Some(ty)),
                    _ => Binding::Scalar(type_ref.and_then(type_of_ref)),
                }
            };
            scope.push((name, binding));
        }
        self.scopes.push(scope);
        let value = self.block(body);
        self.scopes.pop();
        value
    }

    /// The statements of a `{ ... }` body; the value is that of the last expression.
    fn block(&mut self, body: SyntaxNode<'a>) -> Value<'a> {
        let mut value = Value::Table(Rows::unknown());
        for child in body.children() {
            match child.kind() {
                SyntaxKind::LetStmt => {
                    if let Some(stmt) = LetStmt::cast(child) {
                        self.let_stmt(stmt);
                    }
                }
                SyntaxKind::ExprStmt => {
                    if let Some(expr) = child.children().next() {
                        value = self.value(expr, &Rows::default());
                    }
                }
                _ => {}
            }
        }
        value
    }

    pub(crate) fn call_function(
        &mut self,
        stmt: LetStmt<'a>,
        args: &[SyntaxNode<'a>],
        row: &Rows<'a>,
        input: Option<Rows<'a>>,
    ) -> Value<'a> {
        let mut values: Vec<Option<Value<'a>>> = Vec::new();
        if let Some(input) = input {
            values.push(Some(Value::Table(input)));
        }
        for arg in args {
            values.push(Some(self.value(*arg, row)));
        }
        let start = stmt.syntax().range().start;
        if self.depth >= MAX_CALL_DEPTH || self.expanding.contains(&start) {
            return Value::Table(Rows::unknown());
        }
        self.depth += 1;
        self.quiet += 1;
        self.expanding.push(start);
        let value = self.function_body(stmt, Some(values));
        self.expanding.pop();
        self.quiet -= 1;
        self.depth -= 1;
        value
    }

    // ----- findings -----

    fn record(&mut self, item: Unresolved) {
        if self.quiet > 0 || !self.seen.insert((item.span.start, item.span.end)) {
            return;
        }
        self.unresolved.push(item);
    }

    pub(crate) fn miss_column(&mut self, name: &str, node: SyntaxNode<'a>, row: &Rows<'a>) {
        if self.quiet > 0 || row.absent {
            return;
        }
        let span = name_span(node);
        let (severity, reason, suggestion, dropped_by) = if row.open {
            (Severity::Soft, Reason::OpenSchema, None, None)
        } else {
            let suggestion = nearest(name, row.cols().iter().map(|col| col.name.as_ref()));
            (Severity::Hard, Reason::UnknownColumn, suggestion, row.dropped_by(name).cloned())
        };
        self.record(Unresolved {
            name: name.to_string(),
            span,
            kind: NameKind::Column,
            severity,
            reason,
            suggestion,
            dropped_by,
        });
    }

    /// An operator that needs rows to read, first in a query: Kusto parses it, but its
    /// semantic pass rejects it ("The operator cannot be the first operator in a query").
    fn miss_input(&mut self, op: SyntaxNode<'a>) {
        let Some(keyword) = op.descendant_tokens().find(|token| !token.kind().is_trivia()) else {
            return;
        };
        self.record(Unresolved {
            name: keyword.text().to_string(),
            span: keyword.range(),
            kind: NameKind::Table,
            severity: Severity::Hard,
            reason: Reason::NoInput,
            suggestion: None,
            dropped_by: None,
        });
    }

    /// A missing function: hard when it is a `let` function called from inside its own body
    /// (Kusto reports it as an error: the name is not visible there), soft otherwise.
    pub(crate) fn miss_function(&mut self, name: &str, node: SyntaxNode<'a>) {
        let span = node.children().next().map_or(node.range(), name_span);
        let (severity, reason) = if self.defining.contains(&name) {
            (Severity::Hard, Reason::RecursiveCall)
        } else {
            (Severity::Soft, Reason::UnknownFunction)
        };
        self.record(Unresolved {
            name: name.to_string(),
            span,
            kind: NameKind::Function,
            severity,
            reason,
            suggestion: None,
            dropped_by: None,
        });
    }

    pub(crate) fn read_table(&mut self, name: &str, node: SyntaxNode<'a>, kind: SourceKind) {
        if self.quiet > 0 {
            return;
        }
        let span = node.children().next().filter(|_| kind == SourceKind::Function);
        let span = span.map_or_else(|| name_span(node), name_span);
        if self.tables.iter().any(|read| read.span == span) {
            return;
        }
        self.tables.push(TableRead { name: name.to_string(), span, kind });
    }

    // ----- values and tables -----

    /// An expression that may be scalar or tabular (a `let` value, a function body, a query).
    pub(crate) fn value(&mut self, node: SyntaxNode<'a>, row: &Rows<'a>) -> Value<'a> {
        match node.kind() {
            SyntaxKind::NameRef | SyntaxKind::BracketName => {
                let Some(name) = name_text(node) else { return Value::Scalar(None) };
                if row.contains(name) {
                    return Value::Scalar(self.scalar(node, row));
                }
                match self.lookup(name) {
                    Some(Binding::Scalar(ty)) => Value::Scalar(*ty),
                    _ => Value::Table(self.tabular(node, None)),
                }
            }
            SyntaxKind::CallExpr => self.call(node, row, None),
            SyntaxKind::ParenExpr => match node.children().next() {
                Some(inner) => self.value(inner, row),
                None => Value::Scalar(None),
            },
            SyntaxKind::SubQuery => Value::Table(self.tabular(node, None)),
            kind if is_tabular_kind(kind) => Value::Table(self.tabular(node, None)),
            _ => Value::Scalar(self.scalar(node, row)),
        }
    }

    /// A tabular expression; `input` is what flows in from a `|` (for sub-queries of
    /// `mv-apply`, `partition` and `fork` that start with an operator).
    pub(crate) fn tabular(&mut self, node: SyntaxNode<'a>, input: Option<Rows<'a>>) -> Rows<'a> {
        match node.kind() {
            SyntaxKind::PipeExpr => {
                let mut rows: Option<Rows<'a>> = None;
                let mut input = input;
                for (idx, child) in node.children().enumerate() {
                    if child.kind() == SyntaxKind::ErrorNode {
                        rows = Some(Rows::unknown());
                        continue;
                    }
                    if idx == 0 {
                        rows = Some(self.tabular(child, input.take()));
                    } else if child.kind().is_query_operator() {
                        let current = rows.take().unwrap_or_else(Rows::unknown);
                        rows = Some(self.operator(child, current));
                    }
                }
                rows.unwrap_or_else(Rows::unknown)
            }
            SyntaxKind::SubQuery | SyntaxKind::ParenExpr | SyntaxKind::OpBranch => {
                match node.children().find(|child| child.kind() != SyntaxKind::ErrorNode) {
                    Some(inner) => self.tabular(inner, input),
                    None => input.unwrap_or_else(Rows::unknown),
                }
            }
            SyntaxKind::NameRef | SyntaxKind::BracketName => self.table_name(node),
            SyntaxKind::CallExpr => match self.call(node, &Rows::default(), None) {
                Value::Table(rows) => rows,
                Value::Scalar(_) => Rows::unknown(),
            },
            kind if kind.is_query_operator() => match input {
                Some(input) => self.operator(node, input),
                None if starts_query(kind) => self.operator(node, Rows::default()),
                None => {
                    self.miss_input(node);
                    self.operator(node, Rows::absent())
                }
            },
            _ => Rows::unknown(),
        }
    }

    /// A bare name read as a table: a tabular `let`, a view, a table or a workspace function.
    fn table_name(&mut self, node: SyntaxNode<'a>) -> Rows<'a> {
        let Some(name) = name_text(node) else { return Rows::unknown() };
        match self.lookup(name) {
            Some(Binding::Tabular(rows)) => return rows.clone(),
            Some(Binding::Function(stmt)) => {
                let stmt = *stmt;
                return match self.call_function(stmt, &[], &Rows::default(), None) {
                    Value::Table(rows) => rows,
                    Value::Scalar(_) => Rows::unknown(),
                };
            }
            Some(Binding::Scalar(_)) => return Rows::unknown(),
            None => {}
        }
        // A workspace function wins over a table of the same name, as in the oracle (the
        // reference data has both for some ASIM parsers, the table closed, the function open).
        if let Some(function) = self.schema.function(name) {
            self.read_table(name, node, SourceKind::Function);
            return Rows::from_schema(&function.output);
        }
        if let Some(table) = self.schema.table(name) {
            self.read_table(name, node, SourceKind::Table);
            return Rows::from_schema(&table);
        }
        self.read_table(name, node, SourceKind::Unknown);
        if self.quiet > 0 {
            return Rows::unknown();
        }
        let reason =
            if name.ends_with("_CL") { Reason::UnknownCustomTable } else { Reason::UnknownTable };
        let suggestion = match self.table_suggestions.get(name) {
            Some(suggestion) => suggestion.clone(),
            None => {
                let suggestion = self.schema.suggest_table(name);
                self.table_suggestions.insert(name, suggestion.clone());
                suggestion
            }
        };
        self.record(Unresolved {
            name: name.to_string(),
            span: name_span(node),
            kind: NameKind::Table,
            severity: Severity::Soft,
            reason,
            suggestion,
            dropped_by: None,
        });
        Rows::unknown()
    }

    // ----- operators -----

    fn operator(&mut self, op: SyntaxNode<'a>, input: Rows<'a>) -> Rows<'a> {
        match op.kind() {
            SyntaxKind::WhereOp
            | SyntaxKind::TakeOp
            | SyntaxKind::SampleOp
            | SyntaxKind::RenderOp
            | SyntaxKind::SortOp
            | SyntaxKind::TopOp => {
                if op.kind() != SyntaxKind::RenderOp {
                    self.exprs(op, &input);
                }
                input
            }
            SyntaxKind::ProjectOp => self.project(op, &input),
            SyntaxKind::ExtendOp | SyntaxKind::SerializeOp => self.extend(op, input),
            SyntaxKind::ProjectAwayOp => self.project_away(op, input),
            SyntaxKind::ProjectKeepOp => self.project_keep(op, &input),
            SyntaxKind::ProjectRenameOp => self.project_rename(op, input),
            SyntaxKind::ProjectReorderOp => self.project_reorder(op, input),
            SyntaxKind::SummarizeOp => self.summarize(op, &input),
            SyntaxKind::DistinctOp => {
                if op
                    .tokens()
                    .any(|token| matches!(token.kind(), SyntaxKind::Wildcard | SyntaxKind::Star))
                {
                    input
                } else {
                    self.project(op, &input)
                }
            }
            SyntaxKind::CountOp => {
                let mut rows = Rows::new(
                    vec![Col { name: Cow::Borrowed("Count"), ty: Some(ScalarType::Long) }],
                    false,
                );
                rows.exact = cut(op);
                rows
            }
            SyntaxKind::JoinOp => self.join(op, input),
            SyntaxKind::LookupOp => self.lookup_op(op, input),
            SyntaxKind::UnionOp => self.union(op, input),
            SyntaxKind::MvExpandOp => self.mv_expand(op, input).0,
            SyntaxKind::MvApplyOp => self.mv_apply(op, input),
            SyntaxKind::ParseOp | SyntaxKind::ParseWhereOp => self.parse_op(op, input),
            SyntaxKind::ParseKvOp => self.parse_kv(op, input),
            SyntaxKind::MakeSeriesOp => self.make_series(op, &input),
            SyntaxKind::EvaluateOp => self.evaluate(op, input),
            SyntaxKind::InvokeOp => {
                let Some(call) = op.child(SyntaxKind::CallExpr) else { return Rows::unknown() };
                let value = match callee_name(call).and_then(|name| self.lookup(name)) {
                    Some(Binding::Function(stmt)) => {
                        let stmt = *stmt;
                        let args: Vec<_> = call_args(call).collect();
                        self.call_function(stmt, &args, &input, Some(input.clone()))
                    }
                    _ => self.call(call, &input, None),
                };
                match value {
                    Value::Table(rows) => rows,
                    Value::Scalar(_) => Rows::unknown(),
                }
            }
            SyntaxKind::GetSchemaOp => Rows::new(
                vec![
                    Col { name: Cow::Borrowed("ColumnName"), ty: Some(ScalarType::String) },
                    Col { name: Cow::Borrowed("ColumnOrdinal"), ty: Some(ScalarType::Int) },
                    Col { name: Cow::Borrowed("DataType"), ty: Some(ScalarType::String) },
                    Col { name: Cow::Borrowed("ColumnType"), ty: Some(ScalarType::String) },
                ],
                false,
            ),
            SyntaxKind::AsOp => {
                if let Some(name) = op.children().find_map(Name::cast).and_then(Name::text) {
                    self.bind(name, Binding::Tabular(input.clone()));
                }
                input
            }
            SyntaxKind::DataTableOp | SyntaxKind::ExternalDataOp => {
                declared_rows(op.child(SyntaxKind::TypeRef))
            }
            SyntaxKind::RangeOp => {
                let mut rows = Rows::default();
                let exprs: Vec<SyntaxNode<'a>> = op.children().collect();
                let mut ty = Some(ScalarType::Long);
                for expr in exprs.iter().skip(1) {
                    let found = self.scalar(*expr, &Rows::default());
                    if expr == &exprs[1] {
                        ty = found.or(ty);
                    }
                }
                if let Some(name) = exprs.first().and_then(|node| name_text(*node)) {
                    rows.set(Cow::Borrowed(name), ty);
                }
                rows
            }
            SyntaxKind::PrintOp => {
                let mut rows = Rows::default();
                // An unnamed item is `print_<position>`, counting named items too.
                let items = op.children().filter(|child| {
                    !matches!(child.kind(), SyntaxKind::OpParam | SyntaxKind::ErrorNode)
                });
                for (position, child) in items.enumerate() {
                    if let Some(named) = NamedExpr::cast(child) {
                        self.named(named, &Rows::default(), &mut rows);
                    } else {
                        let ty = self.scalar(child, &Rows::default());
                        rows.push_unique(Cow::Owned(format!("print_{position}")), ty);
                    }
                }
                rows
            }
            SyntaxKind::PartitionOp => {
                for child in op.children() {
                    if !matches!(child.kind(), SyntaxKind::OpParam | SyntaxKind::SubQuery) {
                        self.scalar(child, &input);
                    }
                }
                match op.child(SyntaxKind::SubQuery) {
                    Some(sub) => self.tabular(sub, Some(input)),
                    None => Rows::unknown(),
                }
            }
            SyntaxKind::MakeGraphOp => self.make_graph(op, &input),
            SyntaxKind::GraphMatchOp | SyntaxKind::GraphShortestPathsOp => self.graph_match(op),
            SyntaxKind::GraphToTableOp => {
                // The columns of a graph's nodes and edges are not tracked through it.
                for output in op.children().filter(|c| c.kind() == SyntaxKind::GraphTableOutput) {
                    if let Some(name) = output.children().find_map(Name::cast).and_then(Name::text)
                    {
                        self.bind(name, Binding::Tabular(Rows::unknown()));
                    }
                }
                Rows::unknown()
            }
            // The graph flows through; its node and edge properties are not tracked, so the
            // predicates are not checked against anything.
            SyntaxKind::GraphMarkComponentsOp
            | SyntaxKind::GraphWhereNodesOp
            | SyntaxKind::GraphWhereEdgesOp
            | SyntaxKind::ExecuteAndCacheOp => input,
            // The check happens when the query runs; the rows flow on unchanged, as in
            // Kusto.Language.
            SyntaxKind::AssertSchemaOp => input,
            // Expanded per entity of the group at run time, and names chosen at run time.
            SyntaxKind::MacroExpandOp | SyntaxKind::ProjectByNamesOp => Rows::unknown(),
            SyntaxKind::ForkOp | SyntaxKind::FacetOp => {
                for branch in op.children().filter(|child| child.kind() == SyntaxKind::OpBranch) {
                    self.tabular(branch, Some(input.clone()));
                }
                Rows::unknown()
            }
            _ => Rows::unknown(),
        }
    }

    /// `make-graph`: the edge columns are checked against the input, each node table's key
    /// against that table, and the partition's operators run on a graph of unknown shape.
    /// The output is a graph, not rows.
    fn make_graph(&mut self, op: SyntaxNode<'a>, input: &Rows<'a>) -> Rows<'a> {
        for child in op.children() {
            match child.kind() {
                SyntaxKind::NameRef | SyntaxKind::BracketName => {
                    self.scalar(child, input);
                }
                SyntaxKind::GraphNodeTable => {
                    let mut nodes = None;
                    for part in child.children() {
                        match part.kind() {
                            SyntaxKind::NameRef | SyntaxKind::BracketName if nodes.is_some() => {
                                if let Some(rows) = &nodes {
                                    self.scalar(part, rows);
                                }
                            }
                            _ => nodes = Some(self.tabular(part, None)),
                        }
                    }
                }
                SyntaxKind::PartitionedBy => {
                    for part in child.children() {
                        match part.kind() {
                            SyntaxKind::SubQuery => {
                                self.tabular(part, Some(Rows::unknown()));
                            }
                            _ => {
                                self.scalar(part, input);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Rows::unknown()
    }

    /// `graph-match` and `graph-shortest-paths`: the pattern's node and edge names are the
    /// only names in scope besides `let`s (their properties are not tracked); the output is
    /// the `project` list, or unknown without one.
    fn graph_match(&mut self, op: SyntaxNode<'a>) -> Rows<'a> {
        let mut row = Rows::default();
        for pattern in op.children().filter(|child| child.kind() == SyntaxKind::GraphPattern) {
            for element in pattern.children() {
                if let Some(name) = element.children().find_map(Name::cast).and_then(Name::text) {
                    row.set(Cow::Borrowed(name), Some(ScalarType::Dynamic));
                }
                if let Some(range) = element.child(SyntaxKind::GraphEdgeRange) {
                    for bound in range.children() {
                        self.scalar(bound, &Rows::default());
                    }
                }
            }
        }
        if let Some(clause) = op.child(SyntaxKind::WhereClause) {
            self.exprs(clause, &row);
        }
        let Some(clause) = op.child(SyntaxKind::ProjectClause) else { return Rows::unknown() };
        let mut out = Rows::default();
        for child in clause.children() {
            match child.kind() {
                SyntaxKind::ErrorNode => {}
                SyntaxKind::NamedExpr => {
                    if let Some(named) = NamedExpr::cast(child) {
                        self.named(named, &row, &mut out);
                    }
                }
                _ => {
                    let ty = self.scalar(child, &row);
                    match default_name(child) {
                        DefaultName::Exact(name) => out.set(name, ty),
                        // Kusto names other items in its own way; they are not modelled.
                        _ => out.open = true,
                    }
                }
            }
        }
        out
    }

    /// Resolves every expression child of `op` (parameters and keywords skipped).
    fn exprs(&mut self, op: SyntaxNode<'a>, row: &Rows<'a>) {
        for child in op.children() {
            match child.kind() {
                SyntaxKind::OpParam | SyntaxKind::ErrorNode => {}
                SyntaxKind::OrderExpr | SyntaxKind::ByClause => self.exprs(child, row),
                _ => {
                    self.scalar(child, row);
                }
            }
        }
    }

    /// `name = value` or `(a, b) = value`, added to `out`.
    fn named(&mut self, named: NamedExpr<'a>, row: &Rows<'a>, out: &mut Rows<'a>) {
        let ty = named.value().and_then(|value| self.scalar(value, row));
        let single = named.names().filter_map(Name::text).nth(1).is_none();
        for name in named.names().filter_map(Name::text) {
            out.set(Cow::Borrowed(name), if single { ty } else { None });
        }
    }

    /// An unnamed expression in `project`, `extend`, `summarize ... by`, `distinct`.
    fn unnamed(
        &mut self,
        expr: SyntaxNode<'a>,
        row: &Rows<'a>,
        out: &mut Rows<'a>,
        counter: &mut u32,
    ) {
        let ty = self.scalar(expr, row);
        if let Some(named) = expr.descendants().find_map(NamedExpr::cast) {
            // `toint(n = dcount(x))`: the inner name names the column; not modelled further.
            out.open = true;
            if let Some(name) = named.names().next().and_then(Name::text) {
                out.set(Cow::Borrowed(name), ty);
            }
            return;
        }
        match default_name(expr) {
            DefaultName::Exact(name) => out.set(name, ty),
            other => {
                if matches!(other, DefaultName::Unknown) {
                    out.open = true;
                }
                loop {
                    *counter += 1;
                    let name = format!("Column{counter}");
                    if !out.contains(&name) && !row.contains(&name) {
                        out.set(Cow::Owned(name), ty);
                        break;
                    }
                }
            }
        }
    }

    fn project(&mut self, op: SyntaxNode<'a>, input: &Rows<'a>) -> Rows<'a> {
        // An open input stays open, as in Kusto.Language: its unknown columns may be named.
        let mut out = Rows::empty(input.open, cut(op));
        let mut counter = 0;
        for child in op.children() {
            match child.kind() {
                SyntaxKind::OpParam | SyntaxKind::ErrorNode => {}
                SyntaxKind::NamedExpr => {
                    if let Some(named) = NamedExpr::cast(child) {
                        self.named(named, input, &mut out);
                    }
                }
                _ if is_wildcard(child) => {
                    let pattern = pattern_text(child);
                    for col in input.cols() {
                        if matches_pattern(&pattern, &col.name) {
                            out.set(col.name.clone(), col.ty);
                        }
                    }
                    out.open |= input.open;
                    // A pattern may match standard columns the input's schema leaves out.
                    if input.exact.is_none() {
                        out.exact = None;
                    }
                }
                _ => self.unnamed(child, input, &mut out, &mut counter),
            }
        }
        out
    }

    fn extend(&mut self, op: SyntaxNode<'a>, input: Rows<'a>) -> Rows<'a> {
        let mut out = input.clone();
        let mut counter = 0;
        for child in op.children() {
            match child.kind() {
                SyntaxKind::OpParam | SyntaxKind::ErrorNode => {}
                SyntaxKind::NamedExpr => {
                    if let Some(named) = NamedExpr::cast(child) {
                        self.named(named, &input, &mut out);
                    }
                }
                _ => self.unnamed(child, &input, &mut out, &mut counter),
            }
        }
        out
    }

    /// The name patterns of a `project-away`/`-keep`/`-reorder`, each checked against `input`.
    fn patterns(&mut self, op: SyntaxNode<'a>, input: &Rows<'a>) -> Vec<String> {
        let mut patterns = Vec::new();
        for child in op.children() {
            if matches!(child.kind(), SyntaxKind::OpParam | SyntaxKind::ErrorNode) {
                continue;
            }
            let pattern = pattern_text(child);
            if pattern.is_empty() {
                continue;
            }
            if !pattern.contains('*') && !input.contains(&pattern) {
                self.miss_column(&pattern, child, input);
            }
            patterns.push(pattern);
        }
        patterns
    }

    fn project_away(&mut self, op: SyntaxNode<'a>, mut input: Rows<'a>) -> Rows<'a> {
        let patterns = self.patterns(op, &input);
        input.retain(|col| !patterns.iter().any(|pattern| matches_pattern(pattern, &col.name)));
        if let Some(by) = cut(op) {
            let by = DroppedBy { by_name: true, ..by };
            input.removed.extend(patterns.into_iter().map(|pattern| (pattern, by.clone())));
        }
        input
    }

    fn project_keep(&mut self, op: SyntaxNode<'a>, input: &Rows<'a>) -> Rows<'a> {
        let patterns = self.patterns(op, input);
        let cols = input
            .cols()
            .iter()
            .filter(|col| patterns.iter().any(|pattern| matches_pattern(pattern, &col.name)))
            .cloned()
            .collect();
        let mut out = Rows::new(cols, input.open);
        // A pattern may match standard columns the input's schema leaves out.
        let wildcard = patterns.iter().any(|pattern| pattern.contains('*'));
        out.exact = if wildcard { input.exact.clone() } else { cut(op) };
        out
    }

    fn project_reorder(&mut self, op: SyntaxNode<'a>, mut input: Rows<'a>) -> Rows<'a> {
        let patterns = self.patterns(op, &input);
        let mut first = Vec::new();
        let mut rest = input.take_cols();
        for pattern in &patterns {
            let (matched, other): (Vec<_>, Vec<_>) =
                rest.into_iter().partition(|col| matches_pattern(pattern, &col.name));
            first.extend(matched);
            rest = other;
        }
        first.extend(rest);
        input.reorder(first);
        input
    }

    fn project_rename(&mut self, op: SyntaxNode<'a>, mut input: Rows<'a>) -> Rows<'a> {
        let before = input.clone();
        for named in op.children().filter_map(NamedExpr::cast) {
            let Some(new) = named.names().next().and_then(Name::text) else { continue };
            let Some(old_node) = named.value() else { continue };
            let Some(old) = name_text(old_node) else { continue };
            if !before.contains(old) {
                self.miss_column(old, old_node, &before);
                input.set(Cow::Borrowed(new), None);
                continue;
            }
            input.rename(old, Cow::Borrowed(new));
        }
        input
    }

    fn summarize(&mut self, op: SyntaxNode<'a>, input: &Rows<'a>) -> Rows<'a> {
        let mut out = Rows::empty(input.open, cut(op));
        let mut counter = 0;
        if let Some(by) = op.child(SyntaxKind::ByClause) {
            for child in by.children() {
                match child.kind() {
                    SyntaxKind::ErrorNode => {}
                    SyntaxKind::NamedExpr => {
                        if let Some(named) = NamedExpr::cast(child) {
                            self.named(named, input, &mut out);
                        }
                    }
                    _ => self.unnamed(child, input, &mut out, &mut counter),
                }
            }
        }
        for child in op.children() {
            match child.kind() {
                SyntaxKind::OpParam | SyntaxKind::ErrorNode | SyntaxKind::ByClause => {}
                SyntaxKind::NamedExpr => {
                    let Some(named) = NamedExpr::cast(child) else { continue };
                    let names: Vec<&'a str> = named.names().filter_map(Name::text).collect();
                    let Some(value) = named.value() else { continue };
                    if is_multi_column_aggregate(value) {
                        // `t = arg_max(T, *)`: the names go to the first columns in order.
                        let mut columns = Rows::empty(false, out.exact.clone());
                        self.aggregate(value, input, &mut columns);
                        out.open |= columns.open;
                        out.exact = columns.exact.clone();
                        let star = call_args(value).any(is_wildcard);
                        for (idx, col) in columns.into_cols().into_iter().enumerate() {
                            match names.get(idx) {
                                Some(name) => out.push_unique(Cow::Borrowed(*name), col.ty),
                                // Columns named in the call are renamed `X1` on a clash;
                                // those from `*` are left out.
                                None if !star => out.push_unique(col.name, col.ty),
                                None => out.push_if_absent(col),
                            }
                        }
                        continue;
                    }
                    let ty = self.scalar(value, input);
                    let single = names.len() == 1;
                    for name in names {
                        out.push_unique(Cow::Borrowed(name), if single { ty } else { None });
                    }
                }
                _ => self.aggregate(child, input, &mut out),
            }
        }
        out
    }

    /// An unnamed aggregate in `summarize` or `make-series`, with Kusto's default names.
    fn aggregate(&mut self, expr: SyntaxNode<'a>, input: &Rows<'a>, out: &mut Rows<'a>) {
        if expr.kind() == SyntaxKind::NameRef
            && let Some(name) = name_text(expr)
            && !input.contains(name)
            && self.schema.is_builtin(BuiltinKind::Aggregate, name)
        {
            // `summarize count by x`: an aggregate named without `()`, which Kusto accepts;
            // its column name is not modelled.
            out.open = true;
            return;
        }
        if let Some(named) = expr.descendants().find_map(NamedExpr::cast) {
            // `toint(n = dcount(x))`: the inner name names the column; not modelled further.
            let ty = self.scalar(expr, input);
            out.open = true;
            if let Some(name) = named.names().next().and_then(Name::text) {
                out.push_unique(Cow::Borrowed(name), ty);
            }
            return;
        }
        let ty = self.scalar(expr, input);
        let name = (expr.kind() == SyntaxKind::CallExpr).then(|| callee_name(expr)).flatten();
        let Some(name) = name else {
            out.open = true;
            out.push_unique(Cow::Borrowed("Column1"), ty);
            return;
        };
        let args: Vec<SyntaxNode<'a>> = call_args(expr).collect();
        match name {
            "countif" => out.push_unique(Cow::Owned(format!("{name}_")), ty),
            "count" => {
                // `count()` is `count_`; `count(x)` is `count_x`.
                let column = match args.first().map(|arg| default_name(*arg)) {
                    None => "count_".to_string(),
                    Some(DefaultName::Exact(arg)) => format!("count_{arg}"),
                    Some(_) => {
                        out.open = true;
                        "count_".to_string()
                    }
                };
                out.push_unique(Cow::Owned(column), ty);
            }
            "arg_max" | "arg_min" | "take_any" | "any" => {
                if name == "take_any" && args.len() == 1 && !is_wildcard(args[0]) {
                    // `take_any(x)`: Kusto's naming is not modelled.
                    out.open = true;
                }
                for arg in &args {
                    if is_wildcard(*arg) {
                        for col in input.cols() {
                            out.push_if_absent(col.clone());
                        }
                        out.open |= input.open;
                        // The input's columns come through, with any the schema leaves out.
                        if input.exact.is_none() {
                            out.exact = None;
                        }
                        continue;
                    }
                    let arg_ty = self.scalar(*arg, input);
                    match default_name(*arg) {
                        DefaultName::Exact(arg_name) => out.push_unique(arg_name, arg_ty),
                        _ => out.open = true,
                    }
                }
            }
            _ => {
                let prefix = match name {
                    "make_set" | "make_set_if" | "makeset" => "set",
                    "make_list" | "make_list_if" | "make_list_with_nulls" | "makelist" => "list",
                    "make_bag" | "make_bag_if" => "bag",
                    "percentiles" | "percentiles_array" | "take_anyif" => {
                        out.open = true;
                        name
                    }
                    other => other,
                };
                let arg_name = match args.first().map(|arg| default_name(*arg)) {
                    Some(DefaultName::Exact(arg_name)) => arg_name.into_owned(),
                    Some(DefaultName::Numbered) if prefix != "set" && prefix != "list" => {
                        String::new()
                    }
                    None => String::new(),
                    _ => {
                        out.open = true;
                        String::new()
                    }
                };
                let mut column = format!("{prefix}_{arg_name}");
                if name == "percentile"
                    && let Some(p) = args.get(1)
                {
                    column.push('_');
                    column.push_str(p.text().trim());
                }
                out.push_unique(Cow::Owned(column), ty);
            }
        }
    }

    fn join(&mut self, op: SyntaxNode<'a>, left: Rows<'a>) -> Rows<'a> {
        let kind = op_param(op, "kind").unwrap_or("innerunique");
        let right = match op.children().find(|child| {
            matches!(
                child.kind(),
                SyntaxKind::SubQuery | SyntaxKind::NameRef | SyntaxKind::ParenExpr
            ) || is_tabular_kind(child.kind())
        }) {
            Some(node) => self.tabular(node, None),
            None => Rows::unknown(),
        };
        if let Some(on) = op.child(SyntaxKind::OnClause) {
            self.join_condition(on, &left, &right);
        }
        match kind {
            "leftsemi" | "leftanti" | "leftantisemi" | "anti" => left,
            "rightsemi" | "rightanti" | "rightantisemi" => right,
            _ => {
                let mut out = left;
                out.open |= right.open;
                join_exactness(&mut out, &right);
                for col in right.into_cols() {
                    out.push_unique(col.name, col.ty);
                }
                out
            }
        }
    }

    /// Checks `on a, $left.x == $right.y`; returns the key names of the right side.
    fn join_condition(
        &mut self,
        on: SyntaxNode<'a>,
        left: &Rows<'a>,
        right: &Rows<'a>,
    ) -> Vec<&'a str> {
        let mut keys = Vec::new();
        for child in on.children() {
            self.join_term(child, left, right, &mut keys);
        }
        keys
    }

    fn join_term(
        &mut self,
        node: SyntaxNode<'a>,
        left: &Rows<'a>,
        right: &Rows<'a>,
        keys: &mut Vec<&'a str>,
    ) {
        match node.kind() {
            SyntaxKind::NameRef | SyntaxKind::BracketName => {
                let Some(name) = name_text(node) else { return };
                for side in [left, right] {
                    if !side.contains(name) {
                        self.miss_column(name, node, side);
                    }
                }
                keys.push(name);
            }
            SyntaxKind::PathExpr => {
                let mut parts = node.children();
                let (Some(base), Some(member)) = (parts.next(), parts.next()) else { return };
                let side = match name_text(base) {
                    Some("$left") => left,
                    Some("$right") => right,
                    _ => {
                        let combined = combine(left, right);
                        self.scalar(node, &combined);
                        return;
                    }
                };
                if let Some(name) = name_text(member) {
                    if !side.contains(name) {
                        self.miss_column(name, member, side);
                    }
                    if std::ptr::eq(side, right) {
                        keys.push(name);
                    }
                }
            }
            SyntaxKind::BinaryExpr | SyntaxKind::ParenExpr => {
                for child in node.children() {
                    self.join_term(child, left, right, keys);
                }
            }
            _ => {
                let combined = combine(left, right);
                self.scalar(node, &combined);
            }
        }
    }

    fn lookup_op(&mut self, op: SyntaxNode<'a>, left: Rows<'a>) -> Rows<'a> {
        let right = match op.children().find(|child| {
            matches!(
                child.kind(),
                SyntaxKind::SubQuery | SyntaxKind::NameRef | SyntaxKind::ParenExpr
            ) || is_tabular_kind(child.kind())
        }) {
            Some(node) => self.tabular(node, None),
            None => Rows::unknown(),
        };
        let keys = match op.child(SyntaxKind::OnClause) {
            Some(on) => self.join_condition(on, &left, &right),
            None => Vec::new(),
        };
        let mut out = left;
        out.open |= right.open;
        join_exactness(&mut out, &right);
        for col in right.into_cols() {
            if !keys.contains(&col.name.as_ref()) {
                out.push_unique(col.name, col.ty);
            }
        }
        out
    }

    fn union(&mut self, op: SyntaxNode<'a>, input: Rows<'a>) -> Rows<'a> {
        let piped = !input.cols().is_empty() || input.open;
        let mut legs: Vec<Rows<'a>> = Vec::new();
        if piped {
            legs.push(input);
        }
        for child in op.children() {
            match child.kind() {
                SyntaxKind::OpParam | SyntaxKind::ErrorNode => {}
                SyntaxKind::NamePattern if is_wildcard(child) => legs.push(Rows::unknown()),
                SyntaxKind::NamePattern => {
                    let rows = match child.children().next() {
                        Some(inner) => self.tabular(inner, None),
                        None => {
                            let name = pattern_text(child);
                            if let Some(table) = self.schema.table(&name) {
                                self.read_table(&name, child, SourceKind::Table);
                                Rows::from_schema(&table)
                            } else {
                                Rows::unknown()
                            }
                        }
                    };
                    legs.push(rows);
                }
                _ => legs.push(self.tabular(child, None)),
            }
        }
        // Exact when every leg is; a leg's `project-away` says nothing about another leg.
        let exact = legs.iter().map(|leg| leg.exact.clone()).collect::<Option<Vec<_>>>();
        let mut out = Rows::empty(false, exact.and_then(|all| all.into_iter().next()));
        if let Some(source) = op_param(op, "withsource") {
            out.set(Cow::Borrowed(source), Some(ScalarType::String));
        }
        // Columns by name with every type they have in some leg; a list of types only for
        // the few columns whose legs disagree.
        let n_cols = legs.iter().map(|leg| leg.cols().len()).sum();
        let mut merged: Vec<(Cow<'a, str>, LegTypes)> = Vec::with_capacity(n_cols);
        let mut index: HashMap<Cow<'a, str>, usize> = HashMap::with_capacity(n_cols);
        for leg in legs {
            out.open |= leg.open;
            for col in leg.into_cols() {
                match index.get(&col.name) {
                    Some(&at) => merged[at].1.add(col.ty),
                    None => {
                        index.insert(col.name.clone(), merged.len());
                        merged.push((col.name, LegTypes::One(col.ty)));
                    }
                }
            }
        }
        for (name, types) in merged {
            let types = match types {
                LegTypes::One(ty) => {
                    out.set(name, ty);
                    continue;
                }
                LegTypes::Many(types) => types,
            };
            let known: Vec<ScalarType> = types.iter().flatten().copied().collect();
            if known.len() > 1 {
                // Kusto splits a column whose type differs between legs into `X_type` columns.
                // Inferred types can be wrong, so the result is taken as open.
                out.open = true;
                for ty in known {
                    out.set(Cow::Owned(format!("{name}_{}", ty.as_str())), Some(ty));
                }
            } else {
                out.set(name, None);
            }
        }
        out
    }

    /// `mv-expand`; also returns the names of the expanded columns.
    fn mv_expand(&mut self, op: SyntaxNode<'a>, input: Rows<'a>) -> (Rows<'a>, Vec<Cow<'a, str>>) {
        let mut out = input.clone();
        let mut expanded: Vec<Cow<'a, str>> = Vec::new();
        let mut after_limit = false;
        for child in op.children_with_tokens() {
            if let Some(token) = child.into_token() {
                if token.kind() == SyntaxKind::Keyword && token.text() == "limit" {
                    after_limit = true;
                }
                if token.kind() == SyntaxKind::Keyword && token.text() == "on" {
                    break;
                }
                continue;
            }
            let Some(node) = child.into_node() else { continue };
            match node.kind() {
                SyntaxKind::OpParam => {
                    if param_name(node) == Some("with_itemindex")
                        && let Some(name) =
                            node.children().find_map(Name::cast).and_then(Name::text)
                    {
                        out.set(Cow::Borrowed(name), Some(ScalarType::Long));
                    }
                }
                SyntaxKind::TypeRef => {
                    if let (Some(last), Some(ty)) = (expanded.last(), type_of_ref(node)) {
                        out.set(last.clone(), Some(ty));
                    }
                }
                SyntaxKind::NamedExpr => {
                    let Some(named) = NamedExpr::cast(node) else { continue };
                    if let Some(value) = named.value() {
                        self.scalar(value, &input);
                    }
                    if let Some(name) = named.names().next().and_then(Name::text) {
                        out.set(Cow::Borrowed(name), Some(ScalarType::Dynamic));
                        expanded.push(Cow::Borrowed(name));
                    }
                }
                SyntaxKind::ErrorNode | SyntaxKind::SubQuery => {}
                _ if after_limit => {
                    self.scalar(node, &input);
                }
                _ => {
                    self.scalar(node, &input);
                    match default_name(node) {
                        DefaultName::Exact(name) => {
                            out.set(name.clone(), Some(ScalarType::Dynamic));
                            expanded.push(name);
                        }
                        _ => out.open = true,
                    }
                }
            }
        }
        (out, expanded)
    }

    fn mv_apply(&mut self, op: SyntaxNode<'a>, input: Rows<'a>) -> Rows<'a> {
        let (expanded_rows, expanded) = self.mv_expand(op, input.clone());
        let Some(sub) = op.child(SyntaxKind::SubQuery) else { return Rows::unknown() };
        let result = self.tabular(sub, Some(expanded_rows));
        let mut out = input;
        out.retain(|col| !expanded.contains(&col.name));
        out.open |= result.open;
        for col in result.into_cols() {
            out.set(col.name, col.ty);
        }
        out
    }

    fn parse_op(&mut self, op: SyntaxNode<'a>, input: Rows<'a>) -> Rows<'a> {
        let mut out = input.clone();
        let mut after_with = false;
        for child in op.children_with_tokens() {
            if let Some(token) = child.into_token() {
                if token.kind() == SyntaxKind::Keyword && token.text() == "with" {
                    after_with = true;
                }
                continue;
            }
            let Some(node) = child.into_node() else { continue };
            match node.kind() {
                SyntaxKind::OpParam | SyntaxKind::ErrorNode | SyntaxKind::Literal => {}
                SyntaxKind::Param => {
                    let Some(name) = node.children().find_map(Name::cast).and_then(Name::text)
                    else {
                        continue;
                    };
                    let ty = node
                        .child(SyntaxKind::TypeRef)
                        .map_or(Some(ScalarType::String), type_of_ref);
                    out.set(Cow::Borrowed(name), ty);
                }
                _ if !after_with => {
                    self.scalar(node, &input);
                }
                _ => {}
            }
        }
        out
    }

    fn parse_kv(&mut self, op: SyntaxNode<'a>, input: Rows<'a>) -> Rows<'a> {
        let mut out = input.clone();
        for child in op.children() {
            match child.kind() {
                SyntaxKind::TypeRef => {
                    for col in declared_rows(Some(child)).into_cols() {
                        out.set(col.name, col.ty);
                    }
                }
                SyntaxKind::WithClause | SyntaxKind::OpParam | SyntaxKind::ErrorNode => {}
                _ => {
                    self.scalar(child, &input);
                }
            }
        }
        out
    }

    fn make_series(&mut self, op: SyntaxNode<'a>, input: &Rows<'a>) -> Rows<'a> {
        let mut aggregates = Rows::empty(false, cut(op));
        let mut out = Rows::empty(input.open, None);
        let mut section = "aggregates";
        let mut axis = None;
        for child in op.children_with_tokens() {
            if let Some(token) = child.into_token() {
                if token.kind() == SyntaxKind::Keyword {
                    section = match token.text() {
                        "on" => "on",
                        "default" => "default",
                        "from" | "to" | "step" | "in" => "range",
                        _ => section,
                    };
                }
                continue;
            }
            let Some(node) = child.into_node() else { continue };
            match (section, node.kind()) {
                (_, SyntaxKind::OpParam | SyntaxKind::ErrorNode) => {}
                (_, SyntaxKind::ByClause) => {
                    let mut counter = 0;
                    for item in node.children() {
                        match NamedExpr::cast(item) {
                            Some(named) => self.named(named, input, &mut out),
                            None => self.unnamed(item, input, &mut out, &mut counter),
                        }
                    }
                }
                ("aggregates", SyntaxKind::NamedExpr) => {
                    if let Some(named) = NamedExpr::cast(node) {
                        self.named(named, input, &mut aggregates);
                    }
                }
                ("aggregates", _) => self.aggregate(node, input, &mut aggregates),
                ("on", _) => {
                    self.scalar(node, input);
                    axis = Some(node);
                    section = "after-axis";
                }
                _ => {
                    self.scalar(node, input);
                }
            }
        }
        if let Some(axis) = axis {
            match default_name(axis) {
                DefaultName::Exact(name) => out.set(name, Some(ScalarType::Dynamic)),
                _ => out.open = true,
            }
        }
        out.open |= aggregates.open;
        out.exact = aggregates.exact.clone();
        for col in aggregates.into_cols() {
            out.push_unique(col.name, Some(ScalarType::Dynamic));
        }
        out
    }

    fn evaluate(&mut self, op: SyntaxNode<'a>, input: Rows<'a>) -> Rows<'a> {
        let Some(call) = op.child(SyntaxKind::CallExpr) else { return Rows::unknown() };
        let name = callee_name(call).unwrap_or_default();
        if name == "bag_unpack" {
            let args: Vec<_> = call_args(call).collect();
            for arg in &args {
                self.scalar(*arg, &input);
            }
            let mut out = input;
            if let Some(column) = args.first().and_then(|arg| name_text(*arg)) {
                out.remove(column);
            }
            out.open = true;
            return out;
        }
        if !self.schema.is_builtin(BuiltinKind::Plugin, name) {
            self.miss_function(name, call);
        }
        Rows::unknown()
    }
}

/// The types one column has in the legs of a `union`, in the order first seen.
enum LegTypes {
    One(Ty),
    Many(Vec<Ty>),
}

impl LegTypes {
    fn add(&mut self, ty: Ty) {
        match self {
            LegTypes::One(first) if *first == ty => {}
            LegTypes::One(first) => *self = LegTypes::Many(vec![*first, ty]),
            LegTypes::Many(types) if !types.contains(&ty) => types.push(ty),
            LegTypes::Many(_) => {}
        }
    }
}

/// Whether an aggregate call yields several columns, as `arg_max(T, *)` does.
fn is_multi_column_aggregate(node: SyntaxNode<'_>) -> bool {
    node.kind() == SyntaxKind::CallExpr && matches!(callee_name(node), Some("arg_max" | "arg_min"))
}

/// The byte range of a name node without surrounding trivia.
fn name_span(node: SyntaxNode<'_>) -> std::ops::Range<u32> {
    let mut tokens = node.descendant_tokens().filter(|token| !token.kind().is_trivia());
    match tokens.next() {
        Some(first) => {
            let end = tokens.last().map_or(first.range().end, |last| last.range().end);
            first.range().start..end
        }
        None => node.range(),
    }
}

/// Whether an operator of `kind` may start a query: it makes rows of its own (`print`,
/// `range`, `datatable`, `union`, `search`, `find`, `externaldata`, `evaluate` with a source
/// plugin, `macro-expand`), as in Kusto.
fn starts_query(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        SyntaxKind::PrintOp
            | SyntaxKind::RangeOp
            | SyntaxKind::DataTableOp
            | SyntaxKind::ExternalDataOp
            | SyntaxKind::UnionOp
            | SyntaxKind::SearchOp
            | SyntaxKind::FindOp
            | SyntaxKind::EvaluateOp
            | SyntaxKind::MacroExpandOp
            | SyntaxKind::ExecuteAndCacheOp
    )
}

/// The columns of both join sides, for conditions that are not `$left`/`$right` paths.
fn combine<'a>(left: &Rows<'a>, right: &Rows<'a>) -> Rows<'a> {
    let mut rows = left.clone();
    rows.open |= right.open;
    join_exactness(&mut rows, right);
    for col in right.cols() {
        rows.push_if_absent(col.clone());
    }
    rows
}

/// The rows of a join of `out` with `right` are exact when both sides are; a `project-away`
/// on the left says nothing about the right unless the right is exact too.
fn join_exactness(out: &mut Rows<'_>, right: &Rows<'_>) {
    if right.exact.is_none() {
        out.exact = None;
        out.removed.clear();
    }
}

/// The operator `op` as one that outputs exactly the columns it names, with the span of its
/// name; `None` for operators that do not.
fn cut(op: SyntaxNode<'_>) -> Option<DroppedBy> {
    let operator = match op.kind() {
        SyntaxKind::ProjectOp => "project",
        SyntaxKind::ProjectAwayOp => "project-away",
        SyntaxKind::ProjectKeepOp => "project-keep",
        SyntaxKind::SummarizeOp => "summarize",
        SyntaxKind::DistinctOp => "distinct",
        SyntaxKind::CountOp => "count",
        SyntaxKind::MakeSeriesOp => "make-series",
        _ => return None,
    };
    let first = op.descendant_tokens().find(|token| !token.kind().is_trivia())?;
    let start = first.range().start;
    let end = start.saturating_add(operator.len() as u32).min(op.range().end);
    Some(DroppedBy { operator, span: start..end, by_name: false })
}

/// The keyword of an `OpParam` such as `kind` or `with_itemindex`.
fn param_name(param: SyntaxNode<'_>) -> Option<&str> {
    param.tokens().next().map(|token| token.text())
}

/// The value of the operator parameter `name`, such as `kind=leftouter`.
fn op_param<'a>(op: SyntaxNode<'a>, name: &str) -> Option<&'a str> {
    op.children()
        .filter(|child| child.kind() == SyntaxKind::OpParam)
        .find(|param| param_name(*param) == Some(name))
        .and_then(|param| param.children().find_map(Name::cast).and_then(Name::text))
}

/// The scalar type a `TypeRef` spells, such as `string` or `typeof(long)`.
fn type_of_ref(node: SyntaxNode<'_>) -> Ty {
    node.tokens().find_map(|token| ScalarType::from_kql(token.text()))
}

/// The columns of a declared tabular type `(a: string, b: long)`; `(*)` or a trailing `*` is open.
fn declared_rows<'a>(node: Option<SyntaxNode<'a>>) -> Rows<'a> {
    let Some(node) = node else { return Rows::unknown() };
    let mut rows = Rows::empty(is_wildcard(node), None);
    for param in node.children().filter(|child| child.kind() == SyntaxKind::Param) {
        if let Some(name) = param.children().find_map(Name::cast).and_then(Name::text) {
            let ty = param.child(SyntaxKind::TypeRef).and_then(type_of_ref);
            rows.set(Cow::Borrowed(name), ty);
        }
    }
    rows
}
