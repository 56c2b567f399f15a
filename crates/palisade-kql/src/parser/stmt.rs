//! Statements: `let`, `set`, `declare`, `alias`, `restrict`, and query statements.

use super::words::{NOT_DECLARE, NOT_LET, OPERATOR_NAME, is_param_type};
use super::{NameUse, Parser};
use crate::errors::{ErrorCode, SyntaxError};
use crate::syntax_kind::SyntaxKind;

impl Parser<'_, '_> {
    pub(super) fn root(&mut self) {
        // Started without flushing trivia, so leading comments belong to the root.
        self.builder.start_node(SyntaxKind::Root);
        self.statements(SyntaxKind::Eof);
        while !self.at_eof() {
            let found = self.describe_current();
            self.error_here(ErrorCode::UnexpectedToken, format!("unexpected {found}"));
            self.start(SyntaxKind::ErrorNode);
            while !self.at_eof() && !self.at(SyntaxKind::Semi) {
                self.bump();
            }
            self.finish();
            self.statements(SyntaxKind::Eof);
        }
        self.emit_trivia();
        self.finish();
        self.drop_errors_after_nesting_limit();
    }

    /// Past the nesting limit the rest of the text is skipped, so every bracket still open
    /// reports a missing closing bracket at the end of the text; those say nothing new, and
    /// the one nesting error stays alone.
    fn drop_errors_after_nesting_limit(&mut self) {
        if !self.too_deep {
            return;
        }
        let code = ErrorCode::NestingTooDeep.as_str();
        let Some(at) = self.errors.iter().position(|error| error.code == code) else { return };
        let end = self.text.len() as u32;
        let mut index = 0;
        self.errors.retain(|error| {
            let keep = index <= at || error.range.start != end;
            index += 1;
            keep
        });
    }

    /// Statements separated by `;`, up to `end` (the end of text, a closing `}`, or the `)` of
    /// a `macro-expand` body).
    pub(super) fn statements(&mut self, end: SyntaxKind) {
        loop {
            if self.at(SyntaxKind::Semi) {
                self.error_here(
                    ErrorCode::UnexpectedToken,
                    "expected a statement before `;`".to_owned(),
                );
                while self.eat(SyntaxKind::Semi) {}
            }
            if self.at(end) || self.at_eof() {
                return;
            }
            let before = self.pos;
            self.statement();
            if self.at(end) || self.at_eof() {
                return;
            }
            if self.eat(SyntaxKind::Semi) {
                continue;
            }
            self.report_statement_end();
            self.start(SyntaxKind::ErrorNode);
            let mut depth = 0u32;
            while !self.at_eof() {
                match self.current() {
                    SyntaxKind::Semi if depth == 0 => break,
                    SyntaxKind::LParen | SyntaxKind::LBracket | SyntaxKind::LBrace => depth += 1,
                    SyntaxKind::RParen | SyntaxKind::RBracket | SyntaxKind::RBrace => {
                        if depth == 0 && self.at(end) {
                            break;
                        }
                        depth = depth.saturating_sub(1);
                    }
                    _ => {}
                }
                self.bump();
            }
            self.finish();
            if self.pos == before {
                return;
            }
        }
    }

    /// Reports what follows a statement that should have ended here.
    fn report_statement_end(&mut self) {
        let found = self.describe_current();
        let (start, end) = self.current_range();
        let mut error = SyntaxError::new(
            ErrorCode::UnexpectedToken,
            format!("expected `;` or the end of the statement, found {found}"),
            start,
            end,
        );
        // `take 10` or `extend x = 1` with no table before it: the operator word could be a
        // name, so Kusto reads it as one, and the query is that name.
        let lone_word = self.pos == 1
            || self.pos >= 2 && self.significant[self.pos - 2].kind == SyntaxKind::Semi;
        if lone_word && self.significant[self.pos - 1].flags & OPERATOR_NAME != 0 {
            let previous = &self.significant[self.pos - 1];
            let word = &self.text[previous.start as usize..previous.end as usize];
            error.note = Some(format!(
                "Only some operators can start a query; here `{word}` is read as a table name"
            ));
            error.help = Some(format!("Start the query with a table, as in `T | {word} ...`"));
        }
        self.push_error(error);
    }

    fn statement(&mut self) {
        match self.nth_text(0) {
            "let" if self.at(SyntaxKind::Ident) => self.let_statement(),
            "set" if self.at(SyntaxKind::Ident) && self.nth(1) == SyntaxKind::Ident => {
                self.set_statement()
            }
            "declare" if self.at(SyntaxKind::Ident) => self.declare_statement(),
            "alias" if self.at(SyntaxKind::Ident) && self.nth_is_word(1, "database") => {
                self.alias_statement()
            }
            "restrict" if self.at(SyntaxKind::Ident) && self.nth_is_word(1, "access") => {
                self.restrict_statement()
            }
            _ => {
                self.start(SyntaxKind::ExprStmt);
                self.pipe_expr();
                self.finish();
            }
        }
    }

    fn let_statement(&mut self) {
        self.start(SyntaxKind::LetStmt);
        self.bump_keyword();
        self.declared_name(NameUse::Let);
        self.expect(SyntaxKind::Eq, "=");
        if self.at_word("view") && self.nth(1) == SyntaxKind::LParen {
            self.start(SyntaxKind::ViewDecl);
            self.bump_keyword();
            self.param_list();
            self.function_body();
            self.finish();
        } else if self.at_function_declaration() {
            self.param_list();
            self.function_body();
        } else if self.at_word("entity_group") {
            // Here `entity_group` always starts a group, even without its `[`.
            self.entity_group();
        } else {
            self.let_value_start = self.pos;
            self.pipe_expr();
        }
        self.finish();
    }

    /// Whether a `(` starts a parameter list rather than a parenthesized expression.
    fn at_function_declaration(&self) -> bool {
        if !self.at(SyntaxKind::LParen) {
            return false;
        }
        match self.nth(1) {
            SyntaxKind::RParen => self.nth(2) == SyntaxKind::LBrace,
            SyntaxKind::Ident => self.nth(2) == SyntaxKind::Colon,
            SyntaxKind::LBracket => {
                self.nth(2) == SyntaxKind::StringLit
                    && self.nth(3) == SyntaxKind::RBracket
                    && self.nth(4) == SyntaxKind::Colon
            }
            _ => false,
        }
    }

    /// A name being declared: a word (many keywords included) or `['name']`.
    pub(super) fn declared_name(&mut self, usage: NameUse) -> bool {
        let denied = match usage {
            NameUse::Declare => NOT_DECLARE,
            NameUse::Let => NOT_LET,
            NameUse::Any => 0,
        };
        match self.current() {
            SyntaxKind::Ident if self.nth_has_flag(0, denied) => {
                let word = self.nth_text(0);
                self.error_here(
                    ErrorCode::ExpectedName,
                    format!("`{word}` is a keyword here; write `['{word}']` to use it as a name"),
                );
                self.start(SyntaxKind::NameRef);
                self.bump();
                self.finish();
                true
            }
            SyntaxKind::Ident => {
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
                self.error_here(ErrorCode::ExpectedName, format!("expected a name, found {found}"));
                false
            }
        }
    }

    /// `(name: type [= default], ...)`
    pub(super) fn param_list(&mut self) {
        self.start(SyntaxKind::ParamList);
        let (open, _) = self.current_range();
        if !self.expect(SyntaxKind::LParen, "(") {
            self.finish();
            return;
        }
        while !self.at(SyntaxKind::RParen) && !self.at_eof() {
            let before = self.pos;
            self.start(SyntaxKind::Param);
            self.declared_name(NameUse::Declare);
            self.expect(SyntaxKind::Colon, ":");
            self.type_ref();
            if self.eat(SyntaxKind::Eq) {
                self.scalar_expr();
            }
            self.finish();
            if !self.eat(SyntaxKind::Comma) || self.pos == before {
                break;
            }
        }
        self.expect_closing(SyntaxKind::RParen, open);
        self.finish();
    }

    /// A scalar type name, or a tabular schema `(*)` / `(a: string, *)`.
    pub(super) fn type_ref(&mut self) {
        self.start(SyntaxKind::TypeRef);
        match self.current() {
            SyntaxKind::Ident => {
                let word = self.nth_text(0);
                if !is_param_type(word) {
                    self.error_here(
                        ErrorCode::ExpectedType,
                        format!("`{word}` is not a KQL type name"),
                    );
                }
                self.bump_keyword();
            }
            SyntaxKind::LParen => self.schema_body(),
            _ => {
                let found = self.describe_current();
                self.error_here(ErrorCode::ExpectedType, format!("expected a type, found {found}"));
            }
        }
        self.finish();
    }

    /// `(a: string, b: long)` where `*` is not allowed, as after `parse-kv ... as` and
    /// `assert-schema`.
    pub(super) fn schema_body_without_star(&mut self) {
        let (open, _) = self.current_range();
        self.bump();
        while !self.at(SyntaxKind::RParen) && !self.at_eof() {
            let before = self.pos;
            if self.at(SyntaxKind::Star) {
                self.error_here(
                    ErrorCode::ExpectedName,
                    "expected a column such as `Name: string`, found `*`; this schema lists its columns"
                        .to_owned(),
                );
                self.bump_as(SyntaxKind::Wildcard);
            } else {
                self.start(SyntaxKind::Param);
                self.declared_name(NameUse::Declare);
                self.expect(SyntaxKind::Colon, ":");
                self.type_ref();
                self.finish();
            }
            if !self.eat(SyntaxKind::Comma) || self.pos == before {
                break;
            }
        }
        self.expect_closing(SyntaxKind::RParen, open);
    }

    /// `(a: string, b: long)`, `(*)` or `(a: string, *)`.
    pub(super) fn schema_body(&mut self) {
        let (open, _) = self.current_range();
        let open_pos = self.pos;
        self.bump();
        while !self.at(SyntaxKind::RParen) && !self.at_eof() {
            let before = self.pos;
            if self.at(SyntaxKind::Star) {
                // `(*)` stands for any schema; it cannot be mixed with named columns.
                if self.pos != open_pos + 1 || self.nth(1) != SyntaxKind::RParen {
                    self.error_here(
                        ErrorCode::ExpectedType,
                        "`*` must be the only entry of a tabular schema, as in `(*)`".to_owned(),
                    );
                }
                self.bump_as(SyntaxKind::Wildcard);
            } else {
                self.start(SyntaxKind::Param);
                self.declared_name(NameUse::Declare);
                self.expect(SyntaxKind::Colon, ":");
                self.type_ref();
                self.finish();
            }
            if !self.eat(SyntaxKind::Comma) || self.pos == before {
                break;
            }
        }
        self.expect_closing(SyntaxKind::RParen, open);
    }

    /// `{ statements; expression }`
    pub(super) fn function_body(&mut self) {
        self.start(SyntaxKind::FunctionBody);
        let (open, _) = self.current_range();
        if self.expect(SyntaxKind::LBrace, "{") {
            if self.enter() {
                self.statements(SyntaxKind::RBrace);
                self.leave();
            } else {
                self.skip_rest_as_error();
            }
            self.expect_closing(SyntaxKind::RBrace, open);
        }
        self.finish();
    }

    fn set_statement(&mut self) {
        self.start(SyntaxKind::SetStmt);
        self.bump_keyword();
        self.declared_name(NameUse::Any);
        if self.eat(SyntaxKind::Eq) {
            self.start(SyntaxKind::Literal);
            while !self.at_eof() && !self.at(SyntaxKind::Semi) {
                self.bump();
            }
            self.finish();
        }
        self.finish();
    }

    fn declare_statement(&mut self) {
        if self.nth_is_word(1, "query_parameters") {
            self.start(SyntaxKind::DeclareStmt);
            self.bump_keyword();
            self.bump_keyword();
            self.param_list();
            self.finish();
            return;
        }
        self.start(SyntaxKind::PatternStmt);
        self.bump_keyword();
        self.expect_word("pattern");
        self.declared_name(NameUse::Any);
        if self.eat(SyntaxKind::Eq) {
            self.skip_balanced_until_clause_end();
        }
        self.finish();
    }

    fn alias_statement(&mut self) {
        self.start(SyntaxKind::AliasStmt);
        self.bump_keyword();
        self.bump_keyword();
        self.declared_name(NameUse::Any);
        self.expect(SyntaxKind::Eq, "=");
        self.scalar_expr();
        self.finish();
    }

    fn restrict_statement(&mut self) {
        self.start(SyntaxKind::RestrictStmt);
        self.bump_keyword();
        self.bump_keyword();
        self.expect_word("to");
        self.restrict_list();
        self.finish();
    }

    /// `(T, U*, database("d").V)`: at least one table, view or function, each a name, a name
    /// pattern or a scalar expression naming one (not a query, as in Kusto).
    fn restrict_list(&mut self) {
        self.start(SyntaxKind::ExprList);
        let empty = "expected a table, view or function inside `()`";
        self.comma_items(SyntaxKind::LParen, SyntaxKind::RParen, Some(empty), |parser| {
            let pattern = parser.at(SyntaxKind::Star)
                || (parser.at(SyntaxKind::Ident)
                    && parser.nth(1) == SyntaxKind::Star
                    && parser.nth_adjacent(0));
            if pattern {
                parser.name_pattern();
            } else {
                parser.scalar_expr();
            }
        });
        self.finish();
    }
}
