//! Expressions: pipelines, scalar operators by precedence, literals, names and calls.
//!
//! Precedence, loosest first, as Kusto.Language parses it: `or`; `and`; equality (`==`, `!=`,
//! `<>`, `=~`, `!~`) together with `in`-style list operators and `between`; relational (`<`,
//! `<=`, `>`, `>=`); additive; multiplicative; string operators (`has`, `contains`, ...); unary
//! `-`/`+`; then `.`, `[...]` and calls. `or`, `and`, additive and multiplicative operators chain
//! to the left; equality, relational and string operators take exactly one operator per level,
//! so `a == b == c` is an error in Kusto and here.

use super::words::{
    EQUALITY_WORD, NOT_CALL, NOT_EXPR, OPERATOR_NAME, STRING_OPERATOR, TYPE_NAME, is_chart_type,
    is_parameter_name,
};
use super::{NameUse, Parser};
use crate::errors::ErrorCode;
use crate::syntax_kind::SyntaxKind;

/// Binary operator precedence levels, loosest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Level {
    Or,
    And,
    Equality,
    Relational,
    Additive,
    Multiplicative,
    String,
    Unary,
}

impl Level {
    /// Whether several operators of this level may follow each other (`a + b + c`).
    fn chains(self) -> bool {
        matches!(self, Level::Or | Level::And | Level::Additive | Level::Multiplicative)
    }

    /// The next tighter level: what a right operand is parsed at.
    fn tighter(self) -> Level {
        match self {
            Level::Or => Level::And,
            Level::And => Level::Equality,
            Level::Equality => Level::Relational,
            Level::Relational => Level::Additive,
            Level::Additive => Level::Multiplicative,
            Level::Multiplicative => Level::String,
            Level::String | Level::Unary => Level::Unary,
        }
    }
}

impl Parser<'_, '_> {
    /// A pipeline: a source (an expression or a leading operator) followed by `| operator`s.
    ///
    /// It adds no nesting level of its own: what it holds (an expression or an operator) does.
    pub(super) fn pipe_expr(&mut self) {
        let checkpoint = self.checkpoint();
        if self.at_leading_operator() {
            self.leading_operator();
        } else {
            self.scalar_expr();
        }
        if self.at(SyntaxKind::Pipe) {
            self.start_at(checkpoint, SyntaxKind::PipeExpr);
            while self.eat(SyntaxKind::Pipe) {
                self.query_operator();
            }
            self.finish();
        }
    }

    /// Whether a query operator rather than an expression starts the pipeline here.
    ///
    /// Kusto reads an operator first when its word cannot be a name (`where`, `project`,
    /// `make-graph`, `union`), or when the words after it show an operator although the word
    /// could be a name (`render timechart`, `facet by`, `range x from`); any other operator word
    /// is a name there, so `take 1` at the start of a query is an error, as in Kusto.
    fn at_leading_operator(&self) -> bool {
        if !self.at(SyntaxKind::Ident) || !self.nth_has_flag(0, OPERATOR_NAME) {
            return false;
        }
        match self.nth_text(0) {
            "evaluate" => self.name_length(1) > 0 || self.nth_is_parameter_name(1),
            "facet" => self.nth_is_word(1, "by"),
            "partition" | "reduce" => self.nth_is_word(1, "by") || self.nth_is_parameter_name(1),
            "range" => match self.name_length(1) {
                0 => false,
                length => self.nth_is_word(1 + length, "from"),
            },
            "render" => {
                self.nth(1) == SyntaxKind::Ident
                    && (!self.nth_has_flag(1, NOT_EXPR) || is_chart_type(self.nth_text(1)))
            }
            _ => self.nth_has_flag(0, NOT_EXPR),
        }
    }

    /// Whether the `(...)` list after `in` whose inside starts here holds one query rather
    /// than a list of values: Kusto decides by an operator word it looks for first (the graph
    /// operators below are not among them) or by a `|` before the end of the first value.
    fn at_query_in_list(&self) -> bool {
        if self.at_leading_operator()
            && !matches!(
                self.nth_text(0),
                "graph-shortest-paths" | "graph-where-nodes" | "graph-where-edges"
            )
        {
            return true;
        }
        // A plain scan, not `nth`: the look-ahead budget is for grammar loops, and a long list
        // would use it up.
        let mut depth = 0u32;
        for token in &self.significant[self.pos.min(self.significant.len())..] {
            match token.kind {
                SyntaxKind::Semi => return false,
                SyntaxKind::Comma | SyntaxKind::RParen if depth == 0 => return false,
                SyntaxKind::RParen => depth -= 1,
                SyntaxKind::LParen => depth += 1,
                SyntaxKind::Pipe if depth == 0 => return true,
                _ => {}
            }
        }
        false
    }

    /// How many tokens the name at `n` takes: 1 for a word that may be a name, 3 for
    /// `['name']`, 0 when no name starts there.
    fn name_length(&self, n: usize) -> usize {
        match self.nth(n) {
            SyntaxKind::Ident if !self.nth_has_flag(n, NOT_EXPR) => 1,
            SyntaxKind::LBracket
                if self.nth(n + 1) == SyntaxKind::StringLit
                    && self.nth(n + 2) == SyntaxKind::RBracket =>
            {
                3
            }
            _ => 0,
        }
    }

    /// Whether the word at `n` is the name of a parameter of some query operator (`kind`,
    /// `hint.strategy`), which after `evaluate`, `partition` or `reduce` shows an operator.
    fn nth_is_parameter_name(&self, n: usize) -> bool {
        self.nth(n) == SyntaxKind::Ident && is_parameter_name(self.nth_text(n))
    }

    /// A scalar expression: no `|` at its top level.
    ///
    /// Every bracket the user writes around an expression (`(`, a call's `(`, `[`) leads here
    /// once, so this is where one level of nesting is counted.
    pub(super) fn scalar_expr(&mut self) {
        if !self.enter() {
            self.skip_rest_as_error();
            return;
        }
        self.binary_expr(Level::Or);
        self.leave();
    }

    /// The precedence level of the binary operator at the current token, if it is one.
    fn binary_level(&self) -> Option<Level> {
        match self.current() {
            SyntaxKind::EqEq
            | SyntaxKind::BangEq
            | SyntaxKind::LtGt
            | SyntaxKind::EqTilde
            | SyntaxKind::BangTilde => Some(Level::Equality),
            SyntaxKind::Lt | SyntaxKind::LtEq | SyntaxKind::Gt | SyntaxKind::GtEq => {
                Some(Level::Relational)
            }
            SyntaxKind::Plus | SyntaxKind::Minus => Some(Level::Additive),
            SyntaxKind::Star | SyntaxKind::Slash | SyntaxKind::Percent => {
                Some(Level::Multiplicative)
            }
            SyntaxKind::Colon if self.in_search => Some(Level::String),
            SyntaxKind::Ident => {
                if self.nth_has_flag(0, STRING_OPERATOR) {
                    return Some(Level::String);
                }
                if self.nth_has_flag(0, EQUALITY_WORD) {
                    if self.no_in && self.nth_text(0) == "in" {
                        return None;
                    }
                    return Some(Level::Equality);
                }
                match self.nth_text(0) {
                    "or" => Some(Level::Or),
                    "and" => Some(Level::And),
                    "matches" if self.at_matches_regex() => Some(Level::String),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Whether `matches regex` starts here; Kusto spells it with exactly one space.
    fn at_matches_regex(&self) -> bool {
        match (self.token_at(0), self.token_at(1)) {
            (Some(first), Some(second)) => {
                self.nth_is_word(1, "regex")
                    && &self.text[first.end as usize..second.start as usize] == " "
            }
            _ => false,
        }
    }

    /// Binary operators at `min` and tighter, by precedence climbing.
    ///
    /// A level that does not chain takes one operator: a second one at the same level right
    /// after it is reported and then parsed anyway, so the tree stays whole.
    fn binary_expr(&mut self, min: Level) {
        let checkpoint = self.checkpoint();
        self.unary_expr();
        let mut last: Option<Level> = None;
        while let Some(level) = self.binary_level() {
            if level < min {
                break;
            }
            if !level.chains() && last == Some(level) {
                let what = if level == Level::String { "string operator" } else { "comparison" };
                self.error_here(
                    ErrorCode::ChainedComparison,
                    format!(
                        "{} cannot follow another {what}; add parentheses",
                        self.describe_current()
                    ),
                );
            }
            self.binary_tail(checkpoint, level);
            last = Some(level);
        }
    }

    /// The operator at the current token and its right side, wrapped around the left side.
    fn binary_tail(&mut self, checkpoint: crate::tree::Checkpoint, level: Level) {
        if self.current() == SyntaxKind::Ident && level == Level::Equality {
            let word = self.nth_text(0);
            if word == "between" || word == "!between" {
                self.start_at(checkpoint, SyntaxKind::BetweenExpr);
                self.bump_keyword();
                self.between_range();
                self.finish();
                return;
            }
            self.start_at(checkpoint, SyntaxKind::InExpr);
            self.bump_keyword();
            if self.at(SyntaxKind::LParen) && self.nth(1) == SyntaxKind::RParen {
                // Right after the `(`, where the first value is missing.
                let (start, _) = self.current_range();
                self.error_at(
                    ErrorCode::ExpectedExpression,
                    format!("expected at least one value inside the `()` after `{word}`"),
                    start + 1,
                    start + 1,
                );
            }
            self.in_list();
            self.finish();
            return;
        }
        self.start_at(checkpoint, SyntaxKind::BinaryExpr);
        match self.current() {
            SyntaxKind::Ident => {
                if self.at_word("matches") {
                    self.bump_keyword();
                }
                self.bump_keyword();
            }
            _ => self.bump(),
        }
        self.binary_expr(level.tighter());
        self.finish();
    }

    /// `(low .. high)`
    fn between_range(&mut self) {
        self.start(SyntaxKind::ExprList);
        let (open, _) = self.current_range();
        if self.expect(SyntaxKind::LParen, "(") {
            self.scalar_expr();
            self.expect(SyntaxKind::DotDot, "..");
            self.scalar_expr();
            self.expect_closing(SyntaxKind::RParen, open);
        }
        self.finish();
    }

    /// `-x`, `+x` or a postfix expression. Kusto takes one sign only (`- -1` is an error), so a
    /// sign nests no deeper by itself; `-(-(...))` nests through its parentheses.
    pub(super) fn unary_expr(&mut self) {
        if matches!(self.current(), SyntaxKind::Minus | SyntaxKind::Plus) {
            self.start(SyntaxKind::PrefixExpr);
            self.bump();
            self.postfix_expr();
            self.finish();
            return;
        }
        self.postfix_expr();
    }

    pub(super) fn postfix_expr(&mut self) {
        let checkpoint = self.checkpoint();
        if !self.primary_expr() {
            return;
        }
        loop {
            match self.current() {
                SyntaxKind::Dot => {
                    self.start_at(checkpoint, SyntaxKind::PathExpr);
                    self.bump();
                    self.member_name();
                    self.finish();
                }
                SyntaxKind::LBracket => {
                    self.start_at(checkpoint, SyntaxKind::ElementExpr);
                    let (open, _) = self.current_range();
                    self.bump();
                    self.scalar_expr();
                    self.expect_closing(SyntaxKind::RBracket, open);
                    self.finish();
                }
                _ => return,
            }
        }
    }

    /// The name after `.`: a word, `['name']`, or a call such as `.database('x')`.
    fn member_name(&mut self) {
        match self.current() {
            SyntaxKind::Ident if !self.nth_has_flag(0, NOT_EXPR) => {
                if self.nth(1) == SyntaxKind::LParen {
                    self.call_expr();
                } else {
                    self.start(SyntaxKind::NameRef);
                    self.bump();
                    self.finish();
                }
            }
            SyntaxKind::LBracket => {
                self.bracketed(SyntaxKind::BracketName, SyntaxKind::RBracket, Self::scalar_expr);
            }
            _ => {
                let found = self.describe_current();
                self.error_here(
                    ErrorCode::ExpectedName,
                    format!("expected a name after `.`, found {found}"),
                );
            }
        }
    }

    /// `['name']` or `["name"]`.
    pub(super) fn bracket_name(&mut self) {
        self.start(SyntaxKind::BracketName);
        let (open, _) = self.current_range();
        self.bump();
        self.bump();
        self.expect_closing(SyntaxKind::RBracket, open);
        self.finish();
    }

    /// Parses a primary expression; false (after reporting) when there is none.
    fn primary_expr(&mut self) -> bool {
        match self.current() {
            SyntaxKind::StringLit => {
                self.start(SyntaxKind::Literal);
                while self.at(SyntaxKind::StringLit) {
                    self.bump();
                }
                self.finish();
            }
            kind if kind.is_literal() => {
                self.start(SyntaxKind::Literal);
                self.bump();
                self.finish();
            }
            SyntaxKind::Ident => return self.word_expr(),
            SyntaxKind::LBracket if self.nth(1) == SyntaxKind::StringLit => self.bracket_name(),
            SyntaxKind::LBracket => {
                // Kusto also reads `[expr]` as a name computed from an expression.
                self.bracketed(SyntaxKind::BracketName, SyntaxKind::RBracket, Self::scalar_expr);
            }
            SyntaxKind::LParen => self.paren_expr(),
            _ => {
                let found = self.describe_current();
                self.error_here(
                    ErrorCode::ExpectedExpression,
                    format!("expected an expression, found {found}"),
                );
                return false;
            }
        }
        true
    }

    fn word_expr(&mut self) -> bool {
        let word = self.nth_text(0);
        match word {
            "true" | "false" | "True" | "False" | "TRUE" | "FALSE" => {
                self.start(SyntaxKind::Literal);
                self.bump_as(SyntaxKind::BoolLit);
                self.finish();
                return true;
            }
            "dynamic" if self.nth(1) == SyntaxKind::LParen => {
                self.dynamic_expr();
                return true;
            }
            // Tables written out in the query are expressions in Kusto, wherever they stand.
            "datatable" | "externaldata" | "external_data" => {
                self.leading_operator();
                return true;
            }
            _ => {}
        }
        // `materialize(...)` is a call only as the value of a `let`.
        let callable = self.nth(1) == SyntaxKind::LParen
            && !self.nth_has_flag(0, TYPE_NAME)
            && (!self.nth_has_flag(0, NOT_CALL)
                || word == "typeof"
                || (word == "materialize" && self.pos == self.let_value_start));
        if self.nth_has_flag(0, NOT_EXPR) && !callable {
            let found = self.describe_current();
            self.error_here(
                ErrorCode::ExpectedExpression,
                format!("expected an expression, found the keyword {found}; write `['{word}']` to use it as a name"),
            );
            return false;
        }
        if callable {
            self.call_expr();
        } else {
            self.start(SyntaxKind::NameRef);
            self.bump();
            self.finish();
        }
        true
    }

    /// `name(arguments)`
    pub(super) fn call_expr(&mut self) {
        self.start(SyntaxKind::CallExpr);
        let is_typeof = self.at_word("typeof");
        // Only these take a whole query as an argument; other calls take scalars, so a query
        // argument there needs its own parentheses.
        let takes_query = matches!(self.nth_text(0), "toscalar" | "totable" | "materialize");
        self.start(SyntaxKind::NameRef);
        self.bump();
        self.finish();
        if is_typeof {
            self.typeof_arguments();
        } else {
            self.argument_list(takes_query);
        }
        self.finish();
    }

    /// `(type, ...)` after `typeof`.
    fn typeof_arguments(&mut self) {
        self.start(SyntaxKind::ExprList);
        let (open, _) = self.current_range();
        self.bump();
        while !self.at(SyntaxKind::RParen) && !self.at_eof() {
            let before = self.pos;
            // Any word is accepted here; an unknown type is a semantic error in Kusto.
            self.start(SyntaxKind::TypeRef);
            if self.at(SyntaxKind::Star) {
                // `typeof(*)` and `typeof(*, x: string)` describe plugin output schemas.
                self.bump_as(SyntaxKind::Wildcard);
            } else if self.at(SyntaxKind::Ident) && self.nth(1) == SyntaxKind::Colon {
                self.start(SyntaxKind::Param);
                self.declared_name(NameUse::Declare);
                self.bump();
                self.type_ref();
                self.finish();
            } else if self.at(SyntaxKind::Ident) {
                self.bump_keyword();
            } else {
                let found = self.describe_current();
                self.error_here(
                    ErrorCode::ExpectedType,
                    format!("expected a type name in `typeof(...)`, found {found}"),
                );
            }
            self.finish();
            if !self.list_comma(SyntaxKind::RParen) || self.pos == before {
                break;
            }
        }
        self.expect_closing(SyntaxKind::RParen, open);
        self.finish();
    }

    /// `(arg, arg, ...)` where an argument may be `*`, a pipeline or `name = value`.
    pub(super) fn argument_list(&mut self, takes_query: bool) {
        self.start(SyntaxKind::ExprList);
        let (open, _) = self.current_range();
        self.bump();
        // A call may have no arguments, so what cannot start one right after the `(` (a `|`,
        // a keyword such as `by` where no query may go) means the `)` is missing, and only that
        // is reported.
        if self.at_clause_end()
            || (!takes_query && self.nth_has_flag(0, NOT_EXPR) && self.nth(1) != SyntaxKind::LParen)
        {
            self.expect_closing(SyntaxKind::RParen, open);
            self.finish();
            return;
        }
        while !self.at(SyntaxKind::RParen) && !self.at_eof() {
            let before = self.pos;
            if self.at(SyntaxKind::Star)
                && matches!(self.nth(1), SyntaxKind::RParen | SyntaxKind::Comma)
            {
                self.start(SyntaxKind::NameRef);
                self.bump_as(SyntaxKind::Wildcard);
                self.finish();
            } else if self.at(SyntaxKind::Ident) && self.nth(1) == SyntaxKind::Eq {
                self.start(SyntaxKind::NamedExpr);
                self.declared_name(NameUse::Declare);
                self.bump();
                self.scalar_expr();
                self.finish();
            } else if takes_query {
                self.pipe_expr();
            } else {
                self.scalar_expr();
            }
            if !self.list_comma(SyntaxKind::RParen) || self.pos == before {
                break;
            }
        }
        self.expect_closing(SyntaxKind::RParen, open);
        self.finish();
    }

    /// `(value, value, ...)` or `(query)` after `in` and friends.
    fn in_list(&mut self) {
        if !(self.at(SyntaxKind::LParen) && self.nth_is_query_in_list(1)) {
            self.start(SyntaxKind::ExprList);
            self.comma_items(SyntaxKind::LParen, SyntaxKind::RParen, None, Self::scalar_expr);
            self.finish();
            return;
        }
        self.bracketed(SyntaxKind::ExprList, SyntaxKind::RParen, Self::pipe_expr);
    }

    /// [`Self::at_query_in_list`] for the list whose inside starts `n` tokens ahead.
    fn nth_is_query_in_list(&mut self, n: usize) -> bool {
        self.pos += n;
        let query = self.at_query_in_list();
        self.pos -= n;
        query
    }

    /// `(expr)` or a parenthesized pipeline.
    fn paren_expr(&mut self) {
        self.parenthesized_pipe(SyntaxKind::ParenExpr, "an expression");
    }

    /// `(pipeline)` as one node of `kind`; an empty `()` is reported as missing `what`.
    pub(super) fn parenthesized_pipe(&mut self, kind: SyntaxKind, what: &str) {
        self.start(kind);
        let (open, _) = self.current_range();
        self.bump();
        if self.at(SyntaxKind::RParen) {
            self.error_here(ErrorCode::ExpectedExpression, format!("expected {what} inside `()`"));
        } else {
            self.pipe_expr();
        }
        self.expect_closing(SyntaxKind::RParen, open);
        self.finish();
    }

    /// `dynamic(value)` with JSON-like content.
    fn dynamic_expr(&mut self) {
        self.start(SyntaxKind::DynamicExpr);
        self.bump_keyword();
        let (open, _) = self.current_range();
        self.bump();
        self.json_value();
        self.expect_closing(SyntaxKind::RParen, open);
        self.finish();
    }

    fn json_value(&mut self) {
        if !self.enter() {
            self.skip_rest_as_error();
            return;
        }
        match self.current() {
            SyntaxKind::LBracket => {
                self.start(SyntaxKind::JsonArray);
                let (open, _) = self.current_range();
                self.bump();
                while !self.at(SyntaxKind::RBracket) && !self.at_eof() {
                    let before = self.pos;
                    self.json_value();
                    if !self.list_comma(SyntaxKind::RBracket) || self.pos == before {
                        break;
                    }
                }
                self.expect_closing(SyntaxKind::RBracket, open);
                self.finish();
            }
            SyntaxKind::LBrace => {
                self.start(SyntaxKind::JsonObject);
                let (open, _) = self.current_range();
                self.bump();
                while !self.at(SyntaxKind::RBrace) && !self.at_eof() {
                    let before = self.pos;
                    self.start(SyntaxKind::JsonPair);
                    if self.at(SyntaxKind::StringLit) {
                        self.bump();
                    } else {
                        let found = self.describe_current();
                        self.error_here(
                            ErrorCode::InvalidDynamic,
                            format!("expected a string key in `dynamic({{...}})`, found {found}"),
                        );
                    }
                    self.expect(SyntaxKind::Colon, ":");
                    self.json_value();
                    self.finish();
                    if !self.list_comma(SyntaxKind::RBrace) || self.pos == before {
                        break;
                    }
                }
                self.expect_closing(SyntaxKind::RBrace, open);
                self.finish();
            }
            SyntaxKind::Minus => {
                self.start(SyntaxKind::PrefixExpr);
                self.bump();
                self.json_value();
                self.finish();
            }
            SyntaxKind::Ident
                if matches!(
                    self.nth_text(0),
                    "null" | "true" | "false" | "True" | "False" | "TRUE" | "FALSE"
                ) && self.nth(1) != SyntaxKind::LParen =>
            {
                self.start(SyntaxKind::Literal);
                let kind = if self.nth_text(0) == "null" {
                    SyntaxKind::Keyword
                } else {
                    SyntaxKind::BoolLit
                };
                self.bump_as(kind);
                self.finish();
            }
            SyntaxKind::StringLit => {
                self.start(SyntaxKind::Literal);
                while self.at(SyntaxKind::StringLit) {
                    self.bump();
                }
                self.finish();
            }
            kind if kind.is_literal() => {
                self.start(SyntaxKind::Literal);
                self.bump();
                self.finish();
            }
            _ => {
                let found = self.describe_current();
                self.error_here(
                    ErrorCode::InvalidDynamic,
                    format!("expected a JSON-like value in `dynamic(...)`, found {found}"),
                );
            }
        }
        self.leave();
    }

    /// `entity_group [a, b, ...]`: at least one entity, each a scalar expression.
    pub(super) fn entity_group(&mut self) {
        self.start(SyntaxKind::EntityGroup);
        self.bump_keyword();
        let empty = "expected at least one entity inside `entity_group [...]`";
        self.comma_items(
            SyntaxKind::LBracket,
            SyntaxKind::RBracket,
            Some(empty),
            Self::scalar_expr,
        );
        self.finish();
    }
}
