//! Tabular query operators, the part after each `|`.

use super::NameUse;
use super::Parser;
use super::words::{
    NOT_DECLARE, NOT_EXPR, NOT_PATTERN, PLAIN_NAME, is_chart_type, nearest_operator, parameters_of,
};
use crate::errors::{ErrorCode, SyntaxError};
use crate::syntax_kind::SyntaxKind;

/// The properties `render ... with (...)` accepts.
const RENDER_PROPERTIES: &[&str] = &[
    "kind",
    "title",
    "accumulate",
    "xcolumn",
    "ycolumns",
    "anomalycolumns",
    "series",
    "xtitle",
    "ytitle",
    "xaxis",
    "yaxis",
    "legend",
    "ysplit",
    "ymin",
    "ymax",
    "xmin",
    "xmax",
];

/// The properties `parse-kv ... with (...)` accepts.
const PARSE_KV_PROPERTIES: &[&str] =
    &["pair_delimiter", "kv_delimiter", "regex", "quote", "escape", "greedy"];

/// The `name=value` parameters of the graph and `macro-expand` operators: exactly these
/// names, with no `hint.*` besides the ones listed.
const MAKE_GRAPH_PARAMETERS: &[&str] = &["hint.strategy"];
const GRAPH_MATCH_PARAMETERS: &[&str] = &["cycles"];
const GRAPH_SHORTEST_PATHS_PARAMETERS: &[&str] = &["output", "cycles"];
const GRAPH_MARK_COMPONENTS_PARAMETERS: &[&str] = &["kind", "with_component_id"];
const GRAPH_NODES_PARAMETERS: &[&str] = &["with_node_id"];
const GRAPH_EDGES_PARAMETERS: &[&str] = &["with_source_id", "with_target_id"];
const MACRO_EXPAND_PARAMETERS: &[&str] = &["force_remote", "isfuzzy", "__isFuzzy", "best_effort"];

impl Parser<'_, '_> {
    /// One query operator after a `|` or in a chain of operators; reports a missing or unknown
    /// one.
    pub(super) fn query_operator(&mut self) {
        self.operator(false);
    }

    /// The operator that starts a pipeline, where `datatable` and `externaldata` may stand too:
    /// they are tables of their own in Kusto, not operators that follow a `|`.
    pub(super) fn leading_operator(&mut self) {
        self.operator(true);
    }

    fn operator(&mut self, leading: bool) {
        if !self.enter() {
            self.skip_rest_as_error();
            return;
        }
        let is_word = self.at(SyntaxKind::Ident) && !self.nth_has_flag(0, PLAIN_NAME);
        let word = if is_word { self.nth_text(0) } else { "" };
        self.op_params = parameters_of(word);
        match word {
            "where" | "filter" => self.simple_operator(SyntaxKind::WhereOp, Self::where_predicate),
            "project" => self.named_list_operator(SyntaxKind::ProjectOp),
            "extend" => self.named_list_operator(SyntaxKind::ExtendOp),
            "print" => self.named_list_operator(SyntaxKind::PrintOp),
            "serialize" => self.named_list_operator(SyntaxKind::SerializeOp),
            "project-away" => self.name_pattern_operator(SyntaxKind::ProjectAwayOp),
            "project-keep" => self.name_pattern_operator(SyntaxKind::ProjectKeepOp),
            "project-reorder" => self.name_pattern_operator(SyntaxKind::ProjectReorderOp),
            "project-rename" => self.named_list_operator(SyntaxKind::ProjectRenameOp),
            "summarize" => self.summarize(),
            "join" => self.join(SyntaxKind::JoinOp),
            "lookup" => self.join(SyntaxKind::LookupOp),
            "union" => self.union(),
            "mv-expand" | "mvexpand" => self.mv_expand(SyntaxKind::MvExpandOp),
            "mv-apply" | "mvapply" => self.mv_expand(SyntaxKind::MvApplyOp),
            "parse" => self.parse_operator(SyntaxKind::ParseOp),
            "parse-where" => self.parse_operator(SyntaxKind::ParseWhereOp),
            "parse-kv" => self.parse_kv(),
            "make-series" => self.make_series(),
            "top" => self.top(),
            "top-nested" => self.top_nested(),
            "top-hitters" => self.top_hitters(),
            "sort" | "order" => self.sort(),
            "take" | "limit" => self.simple_operator(SyntaxKind::TakeOp, Self::scalar_expr),
            "sample" => self.simple_operator(SyntaxKind::SampleOp, Self::scalar_expr),
            "sample-distinct" => self.sample_distinct(),
            "distinct" => self.distinct(),
            "count" => self.keyword_only_operator(SyntaxKind::CountOp),
            "consume" => self.keyword_only_operator(SyntaxKind::ConsumeOp),
            "getschema" => self.keyword_only_operator(SyntaxKind::GetSchemaOp),
            "evaluate" => self.evaluate(),
            "invoke" => self.simple_operator(SyntaxKind::InvokeOp, Self::invoked_call),
            "render" => self.render(),
            "as" => self.as_operator(),
            "search" => self.search(),
            "find" => self.find(),
            "externaldata" | "external_data" if leading => self.externaldata(),
            "datatable" if leading => self.datatable(),
            "range" => self.range(),
            "facet" => self.facet(),
            "fork" => self.fork(),
            "partition" => self.partition(),
            "scan" => self.scan(),
            "reduce" => self.reduce(),
            "make-graph" => self.make_graph(),
            "graph-match" => self.graph_match(SyntaxKind::GraphMatchOp, GRAPH_MATCH_PARAMETERS),
            "graph-shortest-paths" => {
                self.graph_match(SyntaxKind::GraphShortestPathsOp, GRAPH_SHORTEST_PATHS_PARAMETERS)
            }
            "graph-to-table" => self.graph_to_table(),
            "graph-mark-components" => self.graph_mark_components(),
            "graph-where-nodes" => self.predicate_operator(SyntaxKind::GraphWhereNodesOp),
            "graph-where-edges" => self.predicate_operator(SyntaxKind::GraphWhereEdgesOp),
            "assert-schema" => self.assert_schema(),
            "macro-expand" => self.macro_expand(),
            "__executeAndCache" => self.keyword_only_operator(SyntaxKind::ExecuteAndCacheOp),
            "project-by-names" => self.project_by_names(),
            _ => {
                let found = self.describe_current();
                let (start, end) = self.current_range();
                let mut error = SyntaxError::new(
                    ErrorCode::UnknownQueryOperator,
                    format!("expected a query operator, found {found}"),
                    start,
                    end,
                );
                if matches!(word, "datatable" | "externaldata" | "external_data") {
                    error.help = Some(format!(
                        "`{word}` makes a table of its own, so it starts a query and cannot \
                         follow `|`; to add its rows, write `| union ({word} ...)`"
                    ));
                } else if let Some(name) = nearest_operator(word) {
                    error.help = Some(format!("Did you mean `{name}`?"));
                }
                self.push_error(error);
                self.recover_to_clause_end_quietly();
            }
        }
        self.leave();
    }

    /// The predicate of `where`: an expression, `name = value` (Kusto reads a lone `=` there),
    /// or a `*`-led search predicate such as `* has "x"`.
    fn where_predicate(&mut self) {
        if self.at(SyntaxKind::Star) {
            self.search_predicate();
        } else {
            self.named_expr();
        }
    }

    /// The function after `invoke`, which must be called with parentheses.
    fn invoked_call(&mut self) {
        if self.at(SyntaxKind::Ident) && self.nth(1) == SyntaxKind::LParen {
            self.postfix_expr();
        } else {
            let found = self.describe_current();
            self.error_here(
                ErrorCode::ExpectedExpression,
                format!("expected a function call such as `f()` after `invoke`, found {found}"),
            );
        }
    }

    /// Skips to the next clause end without a second error.
    fn recover_to_clause_end_quietly(&mut self) {
        if self.at_clause_end() {
            return;
        }
        self.start(SyntaxKind::ErrorNode);
        self.skip_balanced_until_clause_end();
        self.finish();
    }

    /// Ends an operator: anything left before the next `|` is an error.
    fn end_operator(&mut self) {
        self.recover_to_clause_end();
        self.finish();
    }

    fn simple_operator(&mut self, kind: SyntaxKind, body: fn(&mut Self)) {
        self.operator_start(kind);
        body(self);
        self.end_operator();
    }

    fn keyword_only_operator(&mut self, kind: SyntaxKind) {
        self.operator_start(kind);
        self.end_operator();
    }

    /// Starts the node of an operator: its keyword and its `name=value` parameters.
    fn operator_start(&mut self, kind: SyntaxKind) {
        self.start(kind);
        self.bump_keyword();
        self.operator_parameters();
    }

    /// `kind=inner hint.strategy=shuffle ...`: any `hint.*` and the parameters of the operator.
    fn operator_parameters(&mut self) {
        let names = self.op_params;
        self.parameters_named(|name| name.starts_with("hint.") || names.contains(&name));
    }

    /// `name=value` parameters as long as `accepts` takes the name.
    fn parameters_named(&mut self, accepts: impl Fn(&str) -> bool) {
        while self.at_parameter(&accepts) {
            self.parameter(Self::parameter_value);
        }
    }

    /// Whether `name =` starts here with a name that `accepts` takes.
    fn at_parameter(&self, accepts: impl Fn(&str) -> bool) -> bool {
        self.at(SyntaxKind::Ident) && self.nth(1) == SyntaxKind::Eq && accepts(self.nth_text(0))
    }

    /// One `name = value`, with the value parsed by `value`.
    fn parameter(&mut self, value: fn(&mut Self)) {
        self.start(SyntaxKind::OpParam);
        self.bump_keyword();
        self.bump();
        value(self);
        self.finish();
    }

    /// Items parsed by `item`, separated by commas; at least one is attempted.
    pub(super) fn comma_list(&mut self, item: fn(&mut Self)) {
        loop {
            let before = self.pos;
            item(self);
            if !self.eat(SyntaxKind::Comma) || self.pos == before {
                break;
            }
        }
    }

    fn parameter_value(&mut self) {
        match self.current() {
            SyntaxKind::Ident
                if self.nth_has_flag(0, NOT_EXPR)
                    && !super::words::is_parameter_value(self.nth_text(0)) =>
            {
                let found = self.describe_current();
                self.error_here(
                    ErrorCode::ExpectedExpression,
                    format!("expected a parameter value, found the keyword {found}"),
                );
            }
            SyntaxKind::Ident => {
                self.start(SyntaxKind::NameRef);
                self.bump();
                self.finish();
            }
            SyntaxKind::Minus | SyntaxKind::Plus => {
                self.start(SyntaxKind::PrefixExpr);
                self.bump();
                self.parameter_value();
                self.finish();
            }
            SyntaxKind::LBracket if self.nth(1) == SyntaxKind::StringLit => self.bracket_name(),
            kind if kind.is_literal() => {
                self.start(SyntaxKind::Literal);
                self.bump();
                self.finish();
            }
            _ => {
                let found = self.describe_current();
                self.error_here(
                    ErrorCode::ExpectedExpression,
                    format!("expected a parameter value, found {found}"),
                );
            }
        }
    }

    /// Whether a `name =` or `(a, b) =` starts at the current token.
    fn at_named_expr(&self) -> bool {
        match self.current() {
            SyntaxKind::Ident => self.nth(1) == SyntaxKind::Eq,
            SyntaxKind::LBracket => {
                self.nth(1) == SyntaxKind::StringLit
                    && self.nth(2) == SyntaxKind::RBracket
                    && self.nth(3) == SyntaxKind::Eq
            }
            SyntaxKind::LParen => {
                let mut n = 1;
                loop {
                    match self.nth(n) {
                        SyntaxKind::Ident => n += 1,
                        _ => return false,
                    }
                    match self.nth(n) {
                        SyntaxKind::Comma => n += 1,
                        SyntaxKind::RParen => return self.nth(n + 1) == SyntaxKind::Eq,
                        _ => return false,
                    }
                }
            }
            _ => false,
        }
    }

    /// `name = expr`, `(a, b) = expr` or `expr`.
    pub(super) fn named_expr(&mut self) {
        if !self.at_named_expr() {
            self.scalar_expr();
            return;
        }
        self.start(SyntaxKind::NamedExpr);
        if self.at(SyntaxKind::LParen) {
            self.start(SyntaxKind::NameList);
            self.bump();
            while self.at(SyntaxKind::Ident) {
                self.declared_name(NameUse::Declare);
                if !self.eat(SyntaxKind::Comma) {
                    break;
                }
            }
            self.expect(SyntaxKind::RParen, ")");
            self.finish();
        } else {
            self.declared_name(NameUse::Declare);
        }
        self.expect(SyntaxKind::Eq, "=");
        self.scalar_expr();
        self.finish();
    }

    /// A comma-separated list of named expressions; at least one.
    fn named_list(&mut self) {
        self.comma_list(Self::named_expr);
    }

    fn named_list_operator(&mut self, kind: SyntaxKind) {
        self.start(kind);
        self.bump_keyword();
        let may_be_empty = matches!(kind, SyntaxKind::SerializeOp | SyntaxKind::ProjectOp);
        if !(may_be_empty && self.at_clause_end()) {
            self.named_list();
        }
        self.end_operator();
    }

    /// A name with optional `*` wildcards, as in `project-away Event*`.
    pub(super) fn name_pattern(&mut self) {
        self.start(SyntaxKind::NamePattern);
        let mut any = false;
        loop {
            match self.current() {
                SyntaxKind::Ident if !any && self.nth_has_flag(0, NOT_PATTERN) => break,
                SyntaxKind::Ident if !any || self.nth_adjacent_back() => self.bump(),
                SyntaxKind::LongLit | SyntaxKind::TimespanLit | SyntaxKind::RealLit
                    if any && self.nth_adjacent_back() =>
                {
                    self.bump_as(SyntaxKind::Ident)
                }
                SyntaxKind::Star if !any || self.nth_adjacent_back() => {
                    self.bump_as(SyntaxKind::Wildcard)
                }
                SyntaxKind::LBracket if !any && self.nth(1) == SyntaxKind::StringLit => {
                    self.bracket_name();
                }
                _ => break,
            }
            any = true;
        }
        if !any {
            let found = self.describe_current();
            self.error_here(
                ErrorCode::ExpectedName,
                format!("expected a column name, found {found}"),
            );
        }
        self.finish();
    }

    fn nth_adjacent_back(&self) -> bool {
        self.pos > 0 && self.current_range().0 == self.previous_end()
    }

    fn name_pattern_operator(&mut self, kind: SyntaxKind) {
        self.start(kind);
        self.bump_keyword();
        loop {
            self.name_pattern();
            if kind == SyntaxKind::ProjectReorderOp
                && matches!(self.nth_text(0), "asc" | "desc" | "granny-asc" | "granny-desc")
            {
                self.bump_keyword();
            }
            if !self.eat(SyntaxKind::Comma) {
                break;
            }
        }
        self.end_operator();
    }

    /// `by a, b = expr`
    fn by_clause(&mut self) {
        self.start(SyntaxKind::ByClause);
        self.bump_keyword();
        self.named_list();
        self.finish();
    }

    fn summarize(&mut self) {
        self.operator_start(SyntaxKind::SummarizeOp);
        if !self.at_word("by") && !self.at_clause_end() {
            self.named_list();
        }
        if self.at_word("by") {
            self.by_clause();
        }
        self.end_operator();
    }

    fn join(&mut self, kind: SyntaxKind) {
        self.operator_start(kind);
        self.join_right_side();
        if self.at_word("on") {
            self.start(SyntaxKind::OnClause);
            self.bump_keyword();
            self.comma_list(Self::scalar_expr);
            self.finish();
        } else if kind == SyntaxKind::JoinOp && self.at_word("where") {
            self.start(SyntaxKind::OnClause);
            self.bump_keyword();
            self.scalar_expr();
            self.finish();
        } else if kind == SyntaxKind::LookupOp {
            self.expect_word("on");
        }
        self.end_operator();
    }

    /// The right side of `join`/`lookup`: `(subquery)` or a table expression.
    fn join_right_side(&mut self) {
        if self.at(SyntaxKind::LParen) {
            self.sub_query();
        } else {
            self.scalar_expr();
        }
    }

    /// `(pipeline)` used as a tabular argument of `join`, `lookup`, `union` and the node tables
    /// of `make-graph`: a query of its own, which starts as any query does.
    fn sub_query(&mut self) {
        self.parenthesized_pipe(SyntaxKind::SubQuery, "a query");
    }

    /// `(operator | operator ...)` where the rows flow in from outside, as after `mv-apply ...
    /// on`: every part is an operator, the first one included.
    fn operator_sub_query(&mut self) {
        self.bracketed(SyntaxKind::SubQuery, SyntaxKind::RParen, Self::operator_chain);
    }

    /// `operator | operator ...` with no source, as inside `mv-apply ... on (...)`.
    fn operator_chain(&mut self) {
        let checkpoint = self.checkpoint();
        self.query_operator();
        if self.at(SyntaxKind::Pipe) {
            self.start_at(checkpoint, SyntaxKind::PipeExpr);
            while self.eat(SyntaxKind::Pipe) {
                self.query_operator();
            }
            self.finish();
        }
    }

    fn union(&mut self) {
        self.operator_start(SyntaxKind::UnionOp);
        self.comma_list(Self::union_item);
        self.end_operator();
    }

    fn union_item(&mut self) {
        match self.current() {
            SyntaxKind::LParen => self.sub_query(),
            SyntaxKind::Star => self.name_pattern(),
            SyntaxKind::Ident if self.nth(1) == SyntaxKind::Star && self.nth_adjacent(0) => {
                self.name_pattern();
            }
            _ => self.postfix_expr(),
        }
    }

    fn mv_expand(&mut self, kind: SyntaxKind) {
        self.operator_start(kind);
        loop {
            let before = self.pos;
            if self.at_word("limit") || self.at_word("to") {
                // Kusto reads these here as the start of the row limit or of the item type,
                // never as a column.
                let word = self.nth_text(0);
                self.error_here(
                    ErrorCode::ExpectedExpression,
                    format!(
                        "expected an expression, found the keyword `{word}`; write `['{word}']` to use it as a name"
                    ),
                );
                if word == "to" {
                    self.bump_as(SyntaxKind::ErrorToken);
                }
                break;
            }
            self.named_expr();
            if self.at_word("to") && self.nth_is_word(1, "typeof") {
                self.bump_keyword();
                self.start(SyntaxKind::TypeRef);
                self.bump_keyword();
                let (open, _) = self.current_range();
                if self.expect(SyntaxKind::LParen, "(") {
                    self.mv_expand_type();
                    self.expect_closing(SyntaxKind::RParen, open);
                }
                self.finish();
            }
            if !self.eat(SyntaxKind::Comma) || self.pos == before {
                break;
            }
        }
        if self.eat_word("limit") {
            self.scalar_expr();
        }
        if kind == SyntaxKind::MvApplyOp && self.expect_word("on") {
            self.sub_query_or_error();
        }
        self.end_operator();
    }

    /// The inside of `to typeof(...)`: one type name, or a schema of `*` and `name: type`
    /// entries.
    fn mv_expand_type(&mut self) {
        if self.at(SyntaxKind::Ident) && self.nth(1) != SyntaxKind::Colon {
            self.bump_keyword();
            return;
        }
        loop {
            match self.current() {
                SyntaxKind::Star => self.bump_as(SyntaxKind::Wildcard),
                SyntaxKind::Ident | SyntaxKind::LBracket => {
                    self.start(SyntaxKind::Param);
                    self.declared_name(NameUse::Declare);
                    self.expect(SyntaxKind::Colon, ":");
                    self.type_ref();
                    self.finish();
                }
                _ => return,
            }
            if !self.list_comma(SyntaxKind::RParen) {
                return;
            }
        }
    }

    fn sub_query_or_error(&mut self) {
        if self.at(SyntaxKind::LParen) {
            self.operator_sub_query();
        } else {
            let found = self.describe_current();
            self.error_here(ErrorCode::ExpectedToken, format!("expected `(`, found {found}"));
        }
    }

    /// `parse [kind=...] expr with pattern` and `parse-where`.
    fn parse_operator(&mut self, kind: SyntaxKind) {
        self.operator_start(kind);
        self.scalar_expr();
        if self.expect_word("with") {
            let mut any = false;
            loop {
                match self.current() {
                    SyntaxKind::StringLit => {
                        self.start(SyntaxKind::Literal);
                        while self.at(SyntaxKind::StringLit) {
                            self.bump();
                        }
                        self.finish();
                    }
                    SyntaxKind::Star => self.bump_as(SyntaxKind::Wildcard),
                    SyntaxKind::Ident => self.parse_pattern_column(),
                    SyntaxKind::LBracket if self.nth(1) == SyntaxKind::StringLit => {
                        self.start(SyntaxKind::Param);
                        self.declared_name(NameUse::Declare);
                        if self.eat(SyntaxKind::Colon) {
                            self.type_ref();
                        }
                        self.finish();
                    }
                    _ => break,
                }
                any = true;
            }
            // An empty pattern is accepted by Kusto; it extracts nothing.
            let _ = any;
        }
        self.end_operator();
    }

    /// `name[:type]` in a `parse` pattern.
    fn parse_pattern_column(&mut self) {
        self.start(SyntaxKind::Param);
        self.declared_name(NameUse::Declare);
        if self.eat(SyntaxKind::Colon) {
            self.type_ref();
        }
        self.finish();
    }

    /// `parse-kv expr as (name: type, ...) [with (property = value, ...)]`
    fn parse_kv(&mut self) {
        self.start(SyntaxKind::ParseKvOp);
        self.bump_keyword();
        self.scalar_expr();
        if self.expect_word("as") {
            self.start(SyntaxKind::TypeRef);
            if self.at(SyntaxKind::LParen) {
                self.schema_body_without_star();
            } else {
                self.expect(SyntaxKind::LParen, "(");
            }
            self.finish();
        }
        if self.at_word("with") {
            self.with_properties(PARSE_KV_PROPERTIES);
        }
        self.end_operator();
    }

    /// `with (name = value, ...)`; `known` lists the accepted names, empty for any name.
    fn with_properties(&mut self, known: &[&str]) {
        let render = known == RENDER_PROPERTIES;
        self.start(SyntaxKind::WithClause);
        self.bump_keyword();
        let (open, _) = self.current_range();
        if self.expect(SyntaxKind::LParen, "(") {
            while !self.at(SyntaxKind::RParen) && !self.at_eof() {
                let before = self.pos;
                self.start(SyntaxKind::OpParam);
                let list_valued =
                    render && matches!(self.nth_text(0), "ycolumns" | "anomalycolumns" | "series");
                let name_ok = if known.is_empty() {
                    !self.nth_has_flag(0, NOT_EXPR | NOT_DECLARE)
                        && !matches!(self.nth_text(0), "true" | "false" | "True" | "False")
                } else {
                    known.contains(&self.nth_text(0))
                };
                if self.at(SyntaxKind::Ident) && name_ok {
                    self.bump_keyword();
                } else {
                    let found = self.describe_current();
                    let expected = if known.is_empty() {
                        "a property name".to_owned()
                    } else {
                        format!(
                            "one of {}",
                            known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                        )
                    };
                    self.error_here(
                        ErrorCode::ExpectedName,
                        format!("expected {expected}, found {found}"),
                    );
                    if self.at(SyntaxKind::Ident) {
                        self.bump_keyword();
                    }
                }
                if self.expect(SyntaxKind::Eq, "=") {
                    self.scalar_expr();
                }
                // A list-valued property such as `ycolumns=a, b` continues with bare names.
                while list_valued
                    && self.at(SyntaxKind::Comma)
                    && self.nth(1) == SyntaxKind::Ident
                    && self.nth(2) != SyntaxKind::Eq
                {
                    self.bump();
                    self.start(SyntaxKind::NameRef);
                    self.bump();
                    self.finish();
                }
                self.finish();
                if !self.eat(SyntaxKind::Comma) || self.pos == before {
                    break;
                }
            }
            self.expect_closing(SyntaxKind::RParen, open);
        }
        self.finish();
    }

    fn make_series(&mut self) {
        self.operator_start(SyntaxKind::MakeSeriesOp);
        loop {
            let before = self.pos;
            self.named_expr();
            if self.eat_word("default") {
                self.expect(SyntaxKind::Eq, "=");
                self.scalar_expr();
            }
            if !self.eat(SyntaxKind::Comma) || self.pos == before {
                break;
            }
        }
        if self.expect_word("on") {
            let saved = self.no_in;
            self.no_in = true;
            self.scalar_expr();
            self.no_in = saved;
        }
        if self.eat_word("in") {
            self.scalar_expr();
        } else {
            if self.eat_word("from") {
                self.scalar_expr();
            }
            if self.eat_word("to") {
                self.scalar_expr();
            }
            if self.expect_word("step") {
                self.scalar_expr();
            }
        }
        if self.at_word("by") {
            self.by_clause();
        }
        self.end_operator();
    }

    /// `expr [asc|desc] [nulls first|last]`
    fn order_expr(&mut self) {
        let checkpoint = self.checkpoint();
        self.scalar_expr();
        if matches!(self.nth_text(0), "asc" | "desc" | "nulls") && self.at(SyntaxKind::Ident) {
            self.start_at(checkpoint, SyntaxKind::OrderExpr);
            if self.at_word("asc") || self.at_word("desc") {
                self.bump_keyword();
            }
            if self.eat_word("nulls") {
                if self.at_word("first") || self.at_word("last") {
                    self.bump_keyword();
                } else {
                    self.expect_word("first");
                }
            }
            self.finish();
        }
    }

    fn order_list(&mut self) {
        self.comma_list(Self::order_expr);
    }

    fn top(&mut self) {
        self.operator_start(SyntaxKind::TopOp);
        self.scalar_expr();
        if self.expect_word("by") {
            self.order_expr();
        }
        self.end_operator();
    }

    fn top_nested(&mut self) {
        self.start(SyntaxKind::TopNestedOp);
        loop {
            self.start(SyntaxKind::OpBranch);
            self.bump_keyword();
            if !self.at_word("of") {
                self.scalar_expr();
            }
            if self.expect_word("of") {
                self.named_expr();
            }
            if self.eat_word("with") {
                self.expect_word("others");
                self.expect(SyntaxKind::Eq, "=");
                self.scalar_expr();
            }
            if self.expect_word("by") {
                self.named_expr();
                if self.at_word("asc") || self.at_word("desc") {
                    self.bump_keyword();
                }
            }
            self.finish();
            if !(self.at(SyntaxKind::Comma) && self.nth_is_word(1, "top-nested")) {
                break;
            }
            self.bump();
        }
        self.end_operator();
    }

    fn top_hitters(&mut self) {
        self.start(SyntaxKind::TopHittersOp);
        self.bump_keyword();
        self.scalar_expr();
        if self.expect_word("of") {
            self.scalar_expr();
        }
        if self.eat_word("by") {
            self.scalar_expr();
        }
        self.end_operator();
    }

    fn sort(&mut self) {
        self.operator_start(SyntaxKind::SortOp);
        if self.expect_word("by") {
            self.order_list();
        }
        self.end_operator();
    }

    fn sample_distinct(&mut self) {
        self.operator_start(SyntaxKind::SampleDistinctOp);
        self.scalar_expr();
        if self.expect_word("of") {
            self.scalar_expr();
        }
        self.end_operator();
    }

    fn distinct(&mut self) {
        self.operator_start(SyntaxKind::DistinctOp);
        if self.at(SyntaxKind::Star) {
            self.bump_as(SyntaxKind::Wildcard);
        } else {
            self.named_list();
        }
        self.end_operator();
    }

    fn evaluate(&mut self) {
        self.operator_start(SyntaxKind::EvaluateOp);
        if self.at(SyntaxKind::Ident) && self.nth(1) == SyntaxKind::LParen {
            self.call_expr();
        } else {
            let found = self.describe_current();
            self.error_here(
                ErrorCode::ExpectedExpression,
                format!("expected a plugin call such as `bag_unpack(x)`, found {found}"),
            );
        }
        if self.eat(SyntaxKind::Colon) {
            self.type_ref();
        }
        self.end_operator();
    }

    fn render(&mut self) {
        self.start(SyntaxKind::RenderOp);
        self.bump_keyword();
        if self.at(SyntaxKind::Ident)
            && (!self.nth_has_flag(0, NOT_EXPR) || is_chart_type(self.nth_text(0)))
        {
            self.bump_keyword();
        } else {
            let found = self.describe_current();
            self.error_here(
                ErrorCode::ExpectedName,
                format!("expected a chart type such as `timechart`, found {found}"),
            );
        }
        if self.at_word("with") {
            self.with_properties(RENDER_PROPERTIES);
        } else {
            while self.at_parameter(|_| true) {
                self.parameter(Self::scalar_expr);
            }
        }
        self.end_operator();
    }

    fn as_operator(&mut self) {
        self.operator_start(SyntaxKind::AsOp);
        self.declared_name(NameUse::Declare);
        self.end_operator();
    }

    /// `(Table1, Table2*)` after `in` in `search` and `find`.
    fn table_list(&mut self) {
        self.start(SyntaxKind::ExprList);
        let (open, _) = self.current_range();
        if self.expect(SyntaxKind::LParen, "(") {
            while !self.at(SyntaxKind::RParen) && !self.at_eof() {
                let before = self.pos;
                self.union_item();
                if !self.list_comma(SyntaxKind::RParen) || self.pos == before {
                    break;
                }
            }
            self.expect_closing(SyntaxKind::RParen, open);
        }
        self.finish();
    }

    fn search(&mut self) {
        self.operator_start(SyntaxKind::SearchOp);
        if self.at_word("in") && self.nth(1) == SyntaxKind::LParen {
            self.bump_keyword();
            self.table_list();
        }
        self.search_predicate();
        self.end_operator();
    }

    /// A search predicate: an expression where `*` may stand for every column.
    fn search_predicate(&mut self) {
        let saved = self.in_search;
        self.in_search = true;
        self.search_predicate_inner();
        self.in_search = saved;
    }

    fn search_predicate_inner(&mut self) {
        if self.at(SyntaxKind::Star) {
            let checkpoint = self.checkpoint();
            self.start(SyntaxKind::NameRef);
            self.bump_as(SyntaxKind::Wildcard);
            self.finish();
            if self.at(SyntaxKind::Ident) {
                self.start_at(checkpoint, SyntaxKind::BinaryExpr);
                self.bump_keyword();
                self.scalar_expr();
                self.finish();
            }
            while self.at_word("and") || self.at_word("or") {
                self.start_at(checkpoint, SyntaxKind::BinaryExpr);
                self.bump_keyword();
                self.scalar_expr();
                self.finish();
            }
            return;
        }
        self.scalar_expr();
    }

    fn find(&mut self) {
        self.operator_start(SyntaxKind::FindOp);
        if self.at_word("in") && self.nth(1) == SyntaxKind::LParen {
            self.bump_keyword();
            self.table_list();
        }
        // `where` may be left out before the predicate.
        self.eat_word("where");
        self.search_predicate();
        if self.eat_word("project-smart") {
            // `project-smart` takes no arguments.
        } else if self.eat_word("project") {
            loop {
                let before = self.pos;
                if self.at_word("pack") && self.nth(1) == SyntaxKind::LParen {
                    self.call_expr();
                } else {
                    self.start(SyntaxKind::Param);
                    self.declared_name(NameUse::Declare);
                    if self.eat(SyntaxKind::Colon) {
                        self.type_ref();
                    }
                    self.finish();
                }
                if !self.eat(SyntaxKind::Comma) || self.pos == before {
                    break;
                }
            }
        }
        self.end_operator();
    }

    /// `externaldata (schema) [ urls ] [with (...)]`
    fn externaldata(&mut self) {
        self.operator_start(SyntaxKind::ExternalDataOp);
        self.table_schema();
        let (open, _) = self.current_range();
        if self.expect(SyntaxKind::LBracket, "[") {
            while !self.at(SyntaxKind::RBracket) && !self.at_eof() {
                let before = self.pos;
                self.scalar_expr();
                if !self.eat(SyntaxKind::Comma) || self.pos == before {
                    break;
                }
            }
            self.expect_closing(SyntaxKind::RBracket, open);
        }
        if self.at_word("with") {
            self.with_properties(&[]);
        }
        self.end_operator();
    }

    fn table_schema(&mut self) {
        self.start(SyntaxKind::TypeRef);
        if self.at(SyntaxKind::LParen) {
            self.schema_body();
        } else {
            self.expect(SyntaxKind::LParen, "(");
        }
        self.finish();
    }

    /// `datatable (schema) [ values ]`
    fn datatable(&mut self) {
        self.operator_start(SyntaxKind::DataTableOp);
        self.table_schema();
        let (open, _) = self.current_range();
        if self.expect(SyntaxKind::LBracket, "[") {
            self.start(SyntaxKind::ExprList);
            // Kusto accepts one leading and one trailing comma in the values.
            self.eat(SyntaxKind::Comma);
            while !self.at(SyntaxKind::RBracket) && !self.at_eof() {
                let before = self.pos;
                self.scalar_expr();
                if !self.eat(SyntaxKind::Comma) || self.pos == before {
                    break;
                }
            }
            self.finish();
            self.expect_closing(SyntaxKind::RBracket, open);
        }
        self.end_operator();
    }

    /// `range x from a to b step c`
    fn range(&mut self) {
        self.start(SyntaxKind::RangeOp);
        self.bump_keyword();
        self.declared_name(NameUse::Declare);
        if self.expect_word("from") {
            self.scalar_expr();
        }
        if self.expect_word("to") {
            self.scalar_expr();
        }
        if self.expect_word("step") {
            self.scalar_expr();
        }
        self.end_operator();
    }

    /// `facet by a, b [with (operators)]`
    fn facet(&mut self) {
        self.start(SyntaxKind::FacetOp);
        self.bump_keyword();
        if self.expect_word("by") {
            self.comma_list(Self::scalar_expr);
        }
        if self.eat_word("with") {
            if self.at(SyntaxKind::LParen) {
                self.operator_branch(false);
            } else {
                // One operator may follow `with` without brackets.
                self.start(SyntaxKind::OpBranch);
                self.query_operator();
                self.finish();
            }
        }
        self.end_operator();
    }

    /// `(operator | operator ...)` in `facet ... with` and `fork`; a `fork` branch may be named
    /// (`name = (...)`) and may also hold a query of its own (`(T | take 1)`), as in Kusto.
    fn operator_branch(&mut self, fork: bool) {
        self.start(SyntaxKind::OpBranch);
        if fork && self.at(SyntaxKind::Ident) && self.nth(1) == SyntaxKind::Eq {
            self.declared_name(NameUse::Declare);
            self.bump();
        }
        let (open, _) = self.current_range();
        if self.expect(SyntaxKind::LParen, "(") {
            if fork && !self.at_operator_word() {
                self.pipe_expr();
            } else {
                loop {
                    self.query_operator();
                    if !self.eat(SyntaxKind::Pipe) {
                        break;
                    }
                }
            }
            self.expect_closing(SyntaxKind::RParen, open);
        }
        self.finish();
    }

    /// Whether the current word names an operator that may follow a `|`.
    fn at_operator_word(&self) -> bool {
        self.at(SyntaxKind::Ident)
            && self.nth_has_flag(0, super::words::OPERATOR_NAME)
            && !matches!(
                self.nth_text(0),
                "datatable" | "externaldata" | "external_data" | "project-smart"
            )
            // `range(...)` is the function.
            && !(self.at_word("range") && self.nth(1) == SyntaxKind::LParen)
    }

    fn fork(&mut self) {
        self.start(SyntaxKind::ForkOp);
        self.bump_keyword();
        let mut any = false;
        while self.at(SyntaxKind::LParen)
            || (self.at(SyntaxKind::Ident) && self.nth(1) == SyntaxKind::Eq)
        {
            self.operator_branch(true);
            any = true;
        }
        if !any {
            self.expect(SyntaxKind::LParen, "(");
        }
        self.end_operator();
    }

    /// `partition [hints] by Column (subquery)` or `{ subquery }`.
    fn partition(&mut self) {
        self.operator_start(SyntaxKind::PartitionOp);
        if self.expect_word("by") {
            self.partition_key();
        }
        self.operator_parameters();
        match self.current() {
            SyntaxKind::LParen => {
                let (open, _) = self.current_range();
                self.start(SyntaxKind::SubQuery);
                self.bump();
                // Inside `(...)` the subquery has no source: the partition flows in.
                self.operator_chain();
                self.expect_closing(SyntaxKind::RParen, open);
                self.finish();
            }
            SyntaxKind::LBrace => {
                let (open, _) = self.current_range();
                self.start(SyntaxKind::SubQuery);
                self.bump();
                self.pipe_expr();
                self.expect_closing(SyntaxKind::RBrace, open);
                self.finish();
            }
            _ => {
                let found = self.describe_current();
                self.error_here(ErrorCode::ExpectedToken, format!("expected `(`, found {found}"));
            }
        }
        self.end_operator();
    }

    /// The column after `partition by`: a name, not a call, since `(` starts the subquery.
    fn partition_key(&mut self) {
        if self.at(SyntaxKind::Ident) {
            self.start(SyntaxKind::NameRef);
            self.bump();
            self.finish();
        } else if self.at(SyntaxKind::LBracket) && self.nth(1) == SyntaxKind::StringLit {
            self.bracket_name();
        } else {
            let found = self.describe_current();
            self.error_here(
                ErrorCode::ExpectedName,
                format!("expected a column name, found {found}"),
            );
        }
    }

    /// `scan [params] [order by ...] [partition by ...] [declare (...)] with (step ...)`
    fn scan(&mut self) {
        self.operator_start(SyntaxKind::ScanOp);
        if self.at_word("order") && self.nth_is_word(1, "by") {
            self.bump_keyword();
            self.bump_keyword();
            self.order_list();
        }
        if self.at_word("partition") && self.nth_is_word(1, "by") {
            self.start(SyntaxKind::ByClause);
            self.bump_keyword();
            self.bump_keyword();
            self.comma_list(Self::scalar_expr);
            self.finish();
        }
        if self.eat_word("declare") {
            self.param_list();
        }
        if self.expect_word("with") {
            let (open, _) = self.current_range();
            if self.expect(SyntaxKind::LParen, "(") {
                // Every step, the last one included, ends with `;`.
                while self.at_word("step") {
                    self.scan_step();
                    if !self.expect(SyntaxKind::Semi, ";") {
                        break;
                    }
                }
                self.expect_closing(SyntaxKind::RParen, open);
            }
        }
        self.end_operator();
    }

    /// `step name [output = all|last|none]: condition [=> column = value, ...]`
    fn scan_step(&mut self) {
        self.start(SyntaxKind::OpBranch);
        self.bump_keyword();
        self.declared_name(NameUse::Declare);
        if self.at_parameter(|name| name == "output") {
            self.parameter(Self::parameter_value);
        }
        self.expect(SyntaxKind::Colon, ":");
        self.scalar_expr();
        if self.eat(SyntaxKind::FatArrow) {
            self.comma_list(Self::named_expr);
        }
        self.finish();
    }

    fn reduce(&mut self) {
        self.operator_start(SyntaxKind::ReduceOp);
        if self.expect_word("by") {
            self.scalar_expr();
        }
        if self.eat_word("with") {
            while self.at_parameter(|_| true) {
                self.parameter(Self::scalar_expr);
                if !self.eat(SyntaxKind::Comma) {
                    break;
                }
            }
        }
        self.end_operator();
    }
}

/// Graph operators, `assert-schema`, `macro-expand` and `project-by-names`.
impl Parser<'_, '_> {
    /// `name=value` parameters whose names are exactly one of `names`.
    fn exact_parameters(&mut self, names: &[&str]) {
        self.parameters_named(|name| names.contains(&name));
    }

    /// Whether the tokens from `n` on are `kinds`, each touching the one before (`-->` is
    /// three tokens to the lexer: `-`, `-`, `>`).
    fn at_joined(&self, n: usize, kinds: &[SyntaxKind]) -> bool {
        kinds.iter().enumerate().all(|(i, kind)| {
            self.nth(n + i) == *kind && (i + 1 == kinds.len() || self.nth_adjacent(n + i))
        })
    }

    /// Bumps `count` tokens as they are: a multi-character graph arrow.
    fn bump_joined(&mut self, count: usize) {
        for _ in 0..count {
            self.bump();
        }
    }

    /// A column or node name: a word that is not a reserved keyword, or `['name']`.
    fn graph_name(&mut self, what: &str) -> bool {
        match self.current() {
            SyntaxKind::Ident if !self.nth_has_flag(0, NOT_EXPR) => {
                self.start(SyntaxKind::NameRef);
                self.bump();
                self.finish();
                true
            }
            SyntaxKind::LBracket if self.nth(1) == SyntaxKind::StringLit => {
                self.bracket_name();
                true
            }
            _ => {
                let found = self.describe_current();
                self.error_here(ErrorCode::ExpectedName, format!("expected {what}, found {found}"));
                false
            }
        }
    }

    /// `keyword predicate`, with no parameters.
    fn predicate_operator(&mut self, kind: SyntaxKind) {
        self.start(kind);
        self.bump_keyword();
        self.scalar_expr();
        self.end_operator();
    }

    /// `make-graph [hint.strategy=...] source --> target [with Nodes on key, ...]
    /// [with_node_id=name] [partitioned-by column (operators)]`
    fn make_graph(&mut self) {
        self.start(SyntaxKind::MakeGraphOp);
        self.bump_keyword();
        self.exact_parameters(MAKE_GRAPH_PARAMETERS);
        self.graph_name("the source column of the edges");
        use SyntaxKind::{Gt, Minus};
        if self.at_joined(0, &[Minus, Minus, Gt]) {
            self.bump_joined(3);
        } else if self.at_joined(0, &[Minus, Minus]) {
            self.bump_joined(2);
        } else {
            let found = self.describe_current();
            self.error_here(
                ErrorCode::ExpectedToken,
                format!("expected `-->` or `--`, found {found}"),
            );
        }
        self.graph_name("the target column of the edges");
        if self.at_word("with") {
            self.bump_keyword();
            loop {
                let before = self.pos;
                self.start(SyntaxKind::GraphNodeTable);
                if self.at(SyntaxKind::LParen) {
                    self.sub_query();
                } else {
                    self.postfix_expr();
                }
                if self.expect_word("on") {
                    self.graph_name("the node key column");
                }
                self.finish();
                if !self.eat(SyntaxKind::Comma) || self.pos == before {
                    break;
                }
            }
        } else if self.at_parameter(|name| name == "with_node_id") {
            self.parameter(|parser| {
                parser.declared_name(NameUse::Declare);
            });
        }
        if self.at_word("partitioned-by") {
            self.start(SyntaxKind::PartitionedBy);
            self.bump_keyword();
            self.graph_name("the partition column");
            let (open, _) = self.current_range();
            self.start(SyntaxKind::SubQuery);
            if self.expect(SyntaxKind::LParen, "(") {
                // The graph of each partition flows into these operators.
                self.operator_chain();
                self.expect_closing(SyntaxKind::RParen, open);
            }
            self.finish();
            self.finish();
        }
        self.end_operator();
    }

    /// `graph-match` and `graph-shortest-paths`: parameters, patterns, `where`, `project`.
    fn graph_match(&mut self, kind: SyntaxKind, parameters: &[&str]) {
        self.start(kind);
        self.bump_keyword();
        self.exact_parameters(parameters);
        loop {
            if !self.graph_pattern() || !self.eat(SyntaxKind::Comma) {
                break;
            }
        }
        if self.at_word("where") {
            self.start(SyntaxKind::WhereClause);
            self.bump_keyword();
            self.scalar_expr();
            self.finish();
        }
        if self.at_word("project") {
            self.start(SyntaxKind::ProjectClause);
            self.bump_keyword();
            self.named_list();
            self.finish();
        }
        self.end_operator();
    }

    /// Whether a graph pattern element (a node or an edge) starts here.
    fn at_graph_element(&self) -> bool {
        use SyntaxKind::{LBracket, LParen, Lt, Minus};
        self.at(LParen)
            || self.at_joined(0, &[Minus, LBracket])
            || self.at_joined(0, &[Minus, Minus])
            || self.at_joined(0, &[Lt, Minus, LBracket])
            || self.at_joined(0, &[Lt, Minus, Minus])
    }

    /// One pattern: nodes and edges in a row; false (after reporting) when there is none.
    fn graph_pattern(&mut self) -> bool {
        if !self.at_graph_element() {
            let found = self.describe_current();
            self.error_here(
                ErrorCode::ExpectedExpression,
                format!("expected a graph pattern such as `(a)-[e]->(b)`, found {found}"),
            );
            return false;
        }
        self.start(SyntaxKind::GraphPattern);
        while self.at_graph_element() {
            let before = self.pos;
            if self.at(SyntaxKind::LParen) {
                self.graph_node();
            } else {
                self.graph_edge();
            }
            if self.pos == before {
                break;
            }
        }
        self.finish();
        true
    }

    /// `(name)` or `()`.
    fn graph_node(&mut self) {
        self.bracketed(SyntaxKind::GraphNode, SyntaxKind::RParen, |parser| {
            if !parser.at(SyntaxKind::RParen) {
                parser.graph_name("a node name");
            }
        });
    }

    /// `-[name*low..high]->`, `<-[...]-`, `-[...]-`, `-->`, `<--` or `--`.
    fn graph_edge(&mut self) {
        use SyntaxKind::{Gt, LBracket, Lt, Minus, RBracket};
        self.start(SyntaxKind::GraphEdge);
        let bracketed = if self.at_joined(0, &[Lt, Minus, LBracket]) {
            self.bump_joined(3);
            true
        } else if self.at_joined(0, &[Minus, LBracket]) {
            self.bump_joined(2);
            true
        } else if self.at_joined(0, &[Minus, Minus, Gt]) || self.at_joined(0, &[Lt, Minus, Minus]) {
            self.bump_joined(3);
            false
        } else {
            self.bump_joined(2);
            false
        };
        if bracketed {
            let open = self.previous_end().saturating_sub(1);
            if !self.at(SyntaxKind::Star) && !self.at(RBracket) {
                self.graph_name("an edge name");
            }
            if self.at(SyntaxKind::Star) {
                self.start(SyntaxKind::GraphEdgeRange);
                self.bump();
                self.unary_expr();
                self.expect(SyntaxKind::DotDot, "..");
                self.unary_expr();
                self.finish();
            }
            if self.at_joined(0, &[RBracket, Minus, Gt]) {
                self.bump_joined(3);
            } else if self.at_joined(0, &[RBracket, Minus]) {
                self.bump_joined(2);
            } else {
                let found = self.describe_current();
                let (start, end) = self.current_range();
                if self.errors.last().is_none_or(|last| last.range.start != start) {
                    let mut error = SyntaxError::new(
                        ErrorCode::ExpectedToken,
                        format!("expected `]->` or `]-` to close the edge, found {found}"),
                        start,
                        end,
                    );
                    error.related = Some((open..open + 1, "edge opened here"));
                    self.errors.push(error);
                }
            }
        }
        self.finish();
    }

    /// `graph-to-table nodes [as N] [with_node_id=x], edges [as E] [with_source_id=s] ...`
    fn graph_to_table(&mut self) {
        self.start(SyntaxKind::GraphToTableOp);
        self.bump_keyword();
        if !(self.at_word("nodes") || self.at_word("edges")) {
            let found = self.describe_current();
            self.error_here(
                ErrorCode::ExpectedToken,
                format!("expected `nodes` or `edges` after `graph-to-table`, found {found}"),
            );
        }
        while self.at_word("nodes") || self.at_word("edges") {
            self.start(SyntaxKind::GraphTableOutput);
            let nodes = self.at_word("nodes");
            self.bump_keyword();
            if self.eat_word("as") {
                self.declared_name(NameUse::Declare);
            }
            self.exact_parameters(if nodes {
                GRAPH_NODES_PARAMETERS
            } else {
                GRAPH_EDGES_PARAMETERS
            });
            self.finish();
            if !(self.at(SyntaxKind::Comma)
                && (self.nth_is_word(1, "nodes") || self.nth_is_word(1, "edges")))
            {
                break;
            }
            self.bump();
        }
        self.end_operator();
    }

    /// `graph-mark-components [kind=weak|strong] [with_component_id=name]`
    fn graph_mark_components(&mut self) {
        self.start(SyntaxKind::GraphMarkComponentsOp);
        self.bump_keyword();
        self.exact_parameters(GRAPH_MARK_COMPONENTS_PARAMETERS);
        self.end_operator();
    }

    /// `assert-schema (name: type, ...)`
    fn assert_schema(&mut self) {
        self.start(SyntaxKind::AssertSchemaOp);
        self.bump_keyword();
        self.start(SyntaxKind::TypeRef);
        if self.at(SyntaxKind::LParen) {
            self.schema_body_without_star();
        } else {
            let found = self.describe_current();
            self.error_here(
                ErrorCode::ExpectedToken,
                format!("expected a schema such as `(Name: string)`, found {found}"),
            );
        }
        self.finish();
        self.end_operator();
    }

    /// `macro-expand [params] entity_group [...] | name [as scope] (query)`
    pub(super) fn macro_expand(&mut self) {
        self.start(SyntaxKind::MacroExpandOp);
        self.bump_keyword();
        self.exact_parameters(MACRO_EXPAND_PARAMETERS);
        if self.at_word("entity_group") && self.nth(1) == SyntaxKind::LBracket {
            self.entity_group();
        } else {
            self.graph_name("an entity group");
        }
        if self.eat_word("as") {
            self.declared_name(NameUse::Declare);
        }
        let (open, _) = self.current_range();
        self.start(SyntaxKind::SubQuery);
        if self.expect(SyntaxKind::LParen, "(") {
            // The body holds statements, `let` included; Kusto accepts an empty one.
            self.statements(SyntaxKind::RParen);
            self.expect_closing(SyntaxKind::RParen, open);
        }
        self.finish();
        self.end_operator();
    }

    /// `project-by-names expr, ...`, possibly empty.
    fn project_by_names(&mut self) {
        self.start(SyntaxKind::ProjectByNamesOp);
        self.bump_keyword();
        if !self.at_clause_end() {
            self.comma_list(Self::scalar_expr);
        }
        self.end_operator();
    }
}
