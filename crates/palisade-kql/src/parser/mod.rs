//! The parser: hand-written recursive descent for statements and query operators, with a
//! precedence-climbing expression parser, building the lossless tree as it goes.
//!
//! Errors never stop the parse. A missing piece is reported and left out; tokens that fit
//! nowhere are reported once and wrapped in an [`SyntaxKind::ErrorNode`] up to the next point
//! where the grammar can pick up again (`|`, `;`, a closing bracket, or the end).

mod expr;
mod ops;
mod stmt;
mod words;

use crate::errors::{ErrorCode, SyntaxError};
use crate::lexer::Token;
use crate::syntax_kind::SyntaxKind;
use crate::tree::{Checkpoint, SyntaxTree, TreeBuilder};

/// How many look-aheads may happen without consuming a token before the parser decides it is
/// stuck and skips the current token.
const FUEL: u32 = 4096;

/// How deeply expressions and subqueries may nest before the parser gives up on the rest.
///
/// A parenthesis costs two levels, so about 500 nested parentheses parse; Kusto accepts at
/// least 200. Measured: a debug build needs well under 1.3 KB of stack per level, so the limit
/// fits the 2 MB stack of a spawned thread.
const MAX_DEPTH: u32 = 1000;

/// Parses the tokens of `text` into a tree, appending problems to `errors`.
pub(crate) fn parse_tokens(
    text: &str,
    tokens: Vec<Token>,
    errors: &mut Vec<SyntaxError>,
) -> SyntaxTree {
    let mut significant = Vec::with_capacity(tokens.len() / 2 + 1);
    for (index, token) in tokens.iter().enumerate() {
        if token.kind.is_trivia() {
            continue;
        }
        let (start, end) = (token.start as usize, token.end as usize);
        let flags = match token.kind {
            SyntaxKind::Ident if crate::lexer::starts_unfinished_dashed_word(text, start, end) => {
                words::PLAIN_NAME
            }
            SyntaxKind::Ident => words::word_flags(&text[start..end]),
            _ => 0,
        };
        significant.push(Significant {
            start: token.start,
            end: token.end,
            raw: index as u32,
            flags,
            kind: token.kind,
        });
    }
    let mut parser = Parser {
        text,
        builder: TreeBuilder::with_capacity(tokens.len() * 2 + 8),
        tokens,
        significant,
        pos: 0,
        emitted: 0,
        errors,
        depth: 0,
        too_deep: false,
        no_in: false,
        in_search: false,
        op_params: &[],
        fuel: std::cell::Cell::new(FUEL),
        let_value_start: usize::MAX,
    };
    parser.root();
    parser.builder.finish(text)
}

/// Where a declared name appears, which decides the keywords it may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameUse {
    /// A column, parameter or other declaration inside a query.
    Declare,
    /// The name of a `let` statement.
    Let,
    /// A `set` option or similar, where any word goes.
    Any,
}

/// A token that is not trivia, as the parser looks at it.
#[derive(Clone, Copy, Debug)]
struct Significant {
    start: u32,
    end: u32,
    /// Index into the full token list, trivia included.
    raw: u32,
    /// Word classification flags (`words::NOT_EXPR`, ...); 0 for non-words.
    flags: u16,
    kind: SyntaxKind,
}

pub(crate) struct Parser<'t, 'e> {
    text: &'t str,
    tokens: Vec<Token>,
    /// The tokens that are not trivia, with their word flags, for look-ahead.
    significant: Vec<Significant>,
    /// Index into `significant` of the current token.
    pos: usize,
    /// Index into `tokens` of the next token to add to the tree.
    emitted: usize,
    builder: TreeBuilder,
    errors: &'e mut Vec<SyntaxError>,
    depth: u32,
    too_deep: bool,
    /// Set while parsing the `on` axis of `make-series`, where `in range(...)` follows.
    no_in: bool,
    /// Set while parsing a `search` predicate, where `Column:"text"` means `has`.
    in_search: bool,
    /// The `name=value` parameters the operator being parsed accepts besides `hint.*`.
    op_params: &'static [&'static str],
    /// Look-ahead budget since the last consumed token; running out means a loop is stuck.
    fuel: std::cell::Cell<u32>,
    /// Where the value of the innermost `let` starts, the one place `materialize(` is a call.
    let_value_start: usize,
}

impl<'t> Parser<'t, '_> {
    fn token_at(&self, n: usize) -> Option<Token> {
        self.fuel.set(self.fuel.get().saturating_sub(1));
        self.significant.get(self.pos + n).map(|token| Token {
            kind: token.kind,
            start: token.start,
            end: token.end,
        })
    }

    /// The kind of the token `n` places ahead of the current one.
    fn nth(&self, n: usize) -> SyntaxKind {
        self.token_at(n).map_or(SyntaxKind::Eof, |token| token.kind)
    }

    /// Whether the token `n` places ahead is a word with any of `flags`.
    fn nth_has_flag(&self, n: usize, flags: u16) -> bool {
        self.significant.get(self.pos + n).is_some_and(|token| token.flags & flags != 0)
    }

    fn nth_text(&self, n: usize) -> &'t str {
        self.token_at(n).map_or("", |token| &self.text[token.start as usize..token.end as usize])
    }

    fn current(&self) -> SyntaxKind {
        self.nth(0)
    }

    fn at(&self, kind: SyntaxKind) -> bool {
        self.current() == kind
    }

    fn at_eof(&self) -> bool {
        self.pos >= self.significant.len()
    }

    /// Whether the current token is the word `word`.
    fn at_word(&self, word: &str) -> bool {
        self.nth_is_word(0, word)
    }

    fn nth_is_word(&self, n: usize, word: &str) -> bool {
        self.nth(n) == SyntaxKind::Ident && self.nth_text(n) == word
    }

    /// Whether tokens `n` and `n + 1` touch, with no trivia between them.
    fn nth_adjacent(&self, n: usize) -> bool {
        match (self.token_at(n), self.token_at(n + 1)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }

    /// The byte range of the current token; at the end of the text, an empty range right
    /// after the last token, so the error shows on that token's line and not on a trailing
    /// empty line or whatever follows the query in its file.
    fn current_range(&self) -> (u32, u32) {
        match self.token_at(0) {
            Some(token) => (token.start, token.end),
            None => {
                let end = self.previous_end();
                (end, end)
            }
        }
    }

    /// The end of the last non-trivia token consumed.
    fn previous_end(&self) -> u32 {
        if self.pos == 0 {
            return 0;
        }
        self.significant[self.pos - 1].end
    }

    fn emit_trivia(&mut self) {
        let limit =
            self.significant.get(self.pos).map_or(self.tokens.len(), |token| token.raw as usize);
        while self.emitted < limit {
            let token = self.tokens[self.emitted];
            self.builder.token(token.kind, token.start, token.end);
            self.emitted += 1;
        }
    }

    /// Adds the current token to the tree as `kind` and moves on.
    fn bump_as(&mut self, kind: SyntaxKind) {
        if self.at_eof() {
            return;
        }
        self.emit_trivia();
        let token = self.tokens[self.emitted];
        self.builder.token(kind, token.start, token.end);
        self.emitted += 1;
        self.pos += 1;
        self.fuel.set(FUEL);
    }

    /// Skips the current token when the parser has looked at it too long without progress,
    /// so no grammar loop can spin forever.
    fn ensure_progress(&mut self) {
        if self.fuel.get() > 0 || self.at_eof() {
            return;
        }
        self.fuel.set(FUEL);
        let found = self.describe_current();
        self.error_here(ErrorCode::UnexpectedToken, format!("unexpected {found}"));
        self.bump_as(SyntaxKind::ErrorToken);
    }

    fn bump(&mut self) {
        let kind = self.current();
        self.bump_as(kind);
    }

    fn bump_keyword(&mut self) {
        self.bump_as(SyntaxKind::Keyword);
    }

    fn eat(&mut self, kind: SyntaxKind) -> bool {
        if self.at(kind) {
            self.bump();
            return true;
        }
        false
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if self.at_word(word) {
            self.bump_keyword();
            return true;
        }
        false
    }

    fn start(&mut self, kind: SyntaxKind) {
        self.ensure_progress();
        self.emit_trivia();
        self.builder.start_node(kind);
    }

    fn finish(&mut self) {
        self.builder.finish_node();
    }

    fn checkpoint(&mut self) -> Checkpoint {
        self.emit_trivia();
        self.builder.checkpoint()
    }

    fn start_at(&mut self, checkpoint: Checkpoint, kind: SyntaxKind) {
        self.builder.start_node_at(checkpoint, kind);
    }

    fn error_at(&mut self, code: ErrorCode, message: String, start: u32, end: u32) {
        let mut error = SyntaxError::new(code, message, start, end);
        if code == ErrorCode::ExpectedExpression && self.at(SyntaxKind::Pipe) {
            error.note =
                Some("The `|` starts the next operator, so this one ends before it".into());
        }
        self.push_error(error);
    }

    /// Records `error`, unless one was already reported at the same position: a second
    /// complaint about the same spot adds nothing.
    fn push_error(&mut self, error: SyntaxError) {
        self.ensure_progress();
        if self.errors.last().is_some_and(|last| last.range.start == error.range.start) {
            return;
        }
        self.errors.push(error);
    }

    /// Reports an error at the current token; a missing expression, name or type sits right
    /// after the previous token instead when what follows only ends or separates (`|`, `;`,
    /// `,`, `=`, a closing bracket or the end), as in Kusto.
    ///
    /// That puts `T | where` followed by `| count` on the line of `where`, which is the line to
    /// fix (and, for a query in YAML, the right YAML line). Any other token found there (a
    /// keyword to bracket, a stray `*`) is the culprit itself, so the error keeps its span.
    fn error_here(&mut self, code: ErrorCode, message: String) {
        let (start, end) = if self.reports_missing(code) {
            let end = self.previous_end();
            (end, end)
        } else {
            self.current_range()
        };
        self.error_at(code, message, start, end);
    }

    /// Whether an error with `code` at the current token is about something missing before it.
    fn reports_missing(&self, code: ErrorCode) -> bool {
        let missing_kind = matches!(
            code,
            ErrorCode::ExpectedExpression | ErrorCode::ExpectedName | ErrorCode::ExpectedType
        );
        // At the start of a statement nothing came before that the error belongs to; Kusto
        // reports the token itself there too.
        let after_something =
            self.pos > 0 && self.significant[self.pos - 1].kind != SyntaxKind::Semi;
        let ends_or_separates =
            self.at_clause_end() || matches!(self.current(), SyntaxKind::Comma | SyntaxKind::Eq);
        missing_kind && after_something && ends_or_separates
    }

    /// A short description of the current token for messages.
    fn describe_current(&self) -> String {
        if self.at_eof() {
            return "the end of the query".to_owned();
        }
        let text = self.nth_text(0);
        let shown: String = text.chars().take(40).collect();
        format!("`{}`", shown.replace('\n', " "))
    }

    /// `line L, column C of the query` for a byte offset (1-based, columns in characters).
    fn describe_position(&self, offset: u32) -> String {
        let before = &self.text[..(offset as usize).min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |index| index + 1);
        let column = before[line_start..].chars().count() + 1;
        format!("line {line}, column {column} of the query")
    }

    /// Consumes `kind` or reports that it is missing.
    fn expect(&mut self, kind: SyntaxKind, shown: &str) -> bool {
        if self.eat(kind) {
            return true;
        }
        let found = self.describe_current();
        let (start, end) = self.current_range();
        self.push_error(
            SyntaxError::new(
                ErrorCode::ExpectedToken,
                format!("expected `{shown}`, found {found}"),
                start,
                end,
            )
            .with_help(format!("Add `{shown}` here")),
        );
        false
    }

    /// Consumes the keyword `word` or reports that it is missing.
    fn expect_word(&mut self, word: &str) -> bool {
        if self.eat_word(word) {
            return true;
        }
        let found = self.describe_current();
        let (start, end) = self.current_range();
        self.push_error(
            SyntaxError::new(
                ErrorCode::ExpectedToken,
                format!("expected `{word}`, found {found}"),
                start,
                end,
            )
            .with_help(format!("Add `{word}` here")),
        );
        false
    }

    /// Consumes a closing bracket, or reports it missing with a pointer to its opening.
    fn expect_closing(&mut self, kind: SyntaxKind, open_start: u32) -> bool {
        if self.eat(kind) {
            return true;
        }
        // Past the nesting limit the rest of the text is skipped, so every bracket still open
        // is unclosed, and saying so would bury the one error that matters.
        if self.too_deep {
            return false;
        }
        let (open, close) = match kind {
            SyntaxKind::RParen => ("(", ")"),
            SyntaxKind::RBracket => ("[", "]"),
            _ => ("{", "}"),
        };
        let found = self.describe_current();
        let (start, end) = self.current_range();
        // A missing expression right before (as in `f(a,` at the end) does not explain the
        // missing bracket, so both are reported, as Kusto does; anything else at the same
        // spot, such as another missing bracket, already says enough.
        if self.errors.last().is_some_and(|last| {
            last.range.start == start && last.code != ErrorCode::ExpectedExpression.as_str()
        }) {
            return false;
        }
        let mut error = SyntaxError::new(
            ErrorCode::ExpectedToken,
            format!(
                "expected `{close}` to close the `{open}` at {}, found {found}",
                self.describe_position(open_start)
            ),
            start,
            end,
        );
        error.related = Some((open_start..open_start + 1, "unclosed bracket opened here"));
        error.help =
            Some(format!("Add `{close}` here to close the `{open}`, or remove the `{open}`"));
        self.errors.push(error);
        false
    }

    /// `open body close` as one node of `kind`, the open bracket being the current token; a
    /// missing `close` is reported with a pointer to its opening.
    fn bracketed(&mut self, kind: SyntaxKind, close: SyntaxKind, body: impl FnOnce(&mut Self)) {
        self.start(kind);
        let (open, _) = self.current_range();
        self.bump();
        body(self);
        self.expect_closing(close, open);
        self.finish();
    }

    /// `open item, item, ... close` with each item parsed by `item`: `open` is expected at the
    /// current token, and `empty`, when given, is the error for a list with no item.
    fn comma_items(
        &mut self,
        open: SyntaxKind,
        close: SyntaxKind,
        empty: Option<&str>,
        item: fn(&mut Self),
    ) {
        let (open_start, _) = self.current_range();
        let shown = if open == SyntaxKind::LBracket { "[" } else { "(" };
        if !self.expect(open, shown) {
            return;
        }
        if let Some(empty) = empty.filter(|_| self.at(close)) {
            self.error_here(ErrorCode::ExpectedExpression, empty.to_owned());
        }
        while !self.at(close) && !self.at_eof() {
            let before = self.pos;
            item(self);
            if !self.list_comma(close) || self.pos == before {
                break;
            }
        }
        self.expect_closing(close, open_start);
    }

    /// Consumes a `,` in a list closed by `close`; a `,` right before the close is an error.
    fn list_comma(&mut self, close: SyntaxKind) -> bool {
        if !self.eat(SyntaxKind::Comma) {
            return false;
        }
        if self.at(close) {
            self.error_here(
                ErrorCode::ExpectedExpression,
                "expected an expression after `,`".to_owned(),
            );
        }
        true
    }

    /// Whether the current token ends the current clause in any context: a pipe, a statement
    /// separator, a closing bracket or the end.
    fn at_clause_end(&self) -> bool {
        matches!(
            self.current(),
            SyntaxKind::Pipe
                | SyntaxKind::Semi
                | SyntaxKind::RParen
                | SyntaxKind::RBracket
                | SyntaxKind::RBrace
                | SyntaxKind::Eof
        )
    }

    /// Reports the current token as unexpected and skips to the next recovery point,
    /// keeping nested brackets balanced.
    fn recover_to_clause_end(&mut self) {
        if self.at_clause_end() {
            return;
        }
        let found = self.describe_current();
        self.error_here(ErrorCode::UnexpectedToken, format!("unexpected {found}"));
        self.start(SyntaxKind::ErrorNode);
        self.skip_balanced_until_clause_end();
        self.finish();
    }

    /// Skips tokens, balancing brackets, until a clause end at nesting level zero.
    fn skip_balanced_until_clause_end(&mut self) {
        let mut depth = 0u32;
        while !self.at_eof() {
            match self.current() {
                SyntaxKind::LParen | SyntaxKind::LBracket | SyntaxKind::LBrace => depth += 1,
                SyntaxKind::RParen | SyntaxKind::RBracket | SyntaxKind::RBrace => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                }
                SyntaxKind::Pipe | SyntaxKind::Semi if depth == 0 => return,
                _ => {}
            }
            self.bump();
        }
    }

    /// Enters one nesting level; false (after reporting once) when the limit is reached.
    fn enter(&mut self) -> bool {
        if self.depth >= MAX_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                self.error_here(
                    ErrorCode::NestingTooDeep,
                    format!("the query nests more than {MAX_DEPTH} levels deep"),
                );
            }
            return false;
        }
        self.depth += 1;
        true
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Skips everything that is left, when nesting is too deep to go on.
    fn skip_rest_as_error(&mut self) {
        self.start(SyntaxKind::ErrorNode);
        while !self.at_eof() {
            self.bump();
        }
        self.finish();
    }
}
