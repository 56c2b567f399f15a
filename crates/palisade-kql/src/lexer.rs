//! The lexer: turns KQL text into tokens with byte ranges, trivia included.
//!
//! Words are not classified as keywords here, because KQL keywords are contextual; the parser
//! decides. Words that KQL spells with a dash or dot (`mv-expand`, `hint.strategy`) and the
//! negated string operators (`!has`, `!in~`) are joined into one token, as Kusto does; any other
//! dash is a minus (`execute-and-cache` is `execute - and - cache`, as in Kusto).

use crate::errors::{ErrorCode, SyntaxError};
use crate::syntax_kind::SyntaxKind;

/// One token: its kind and byte range in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What the token is.
    pub kind: SyntaxKind,
    /// First byte, inclusive.
    pub start: u32,
    /// Last byte, exclusive.
    pub end: u32,
}

/// Words spelled with a dash that form one token.
const DASHED_WORDS: &[&str] = &[
    "assert-schema",
    "commands-and-queries",
    "granny-asc",
    "granny-desc",
    "graph-match",
    "graph-shortest-paths",
    "graph-to-table",
    "graph-mark-components",
    "graph-where-nodes",
    "graph-where-edges",
    "macro-expand",
    "make-graph",
    "make-series",
    "materialized-view-combine",
    "materialized-views",
    "mv-apply",
    "mv-expand",
    "parse-where",
    "parse-kv",
    "partitioned-by",
    "project-away",
    "project-by-names",
    "project-keep",
    "project-rename",
    "project-reorder",
    "project-smart",
    "sample-distinct",
    "set-or-append",
    "set-or-replace",
    "top-hitters",
    "top-nested",
];

/// Whether the word `text[start..end]` begins a longer dashed word that runs on into more
/// letters, as `sample` in `sample-distinctx`: Kusto then reads the word as a plain name, even
/// when it is a keyword on its own (`sample-x` keeps `sample` a keyword).
pub(crate) fn starts_unfinished_dashed_word(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    if bytes.get(end) != Some(&b'-') {
        return false;
    }
    let rest = &bytes[start..];
    let word_len = end - start;
    DASHED_WORDS.iter().any(|dashed| {
        dashed.len() > word_len
            && rest.starts_with(dashed.as_bytes())
            && rest.get(dashed.len()).is_some_and(|&b| is_word_byte(b))
    })
}

/// Words spelled with a dot that form one token.
const DOTTED_WORDS: &[&str] = &[
    "hint.concurrency",
    "hint.distribution",
    "hint.materialized",
    "hint.num_partitions",
    "hint.shufflekey",
    "hint.spread",
    "hint.remote",
    "hint.strategy",
    "hint.progressive_top",
    "hint.pass_filters",
    "hint.pass_filters_column",
];

/// Words that form one token with a leading `!`.
const BANG_WORDS: &[&str] = &[
    "between",
    "contains",
    "contains_cs",
    "endswith",
    "endswith_cs",
    "has",
    "has_cs",
    "hasprefix",
    "hasprefix_cs",
    "hassuffix",
    "hassuffix_cs",
    "in",
    "startswith",
    "startswith_cs",
];

/// Timespan unit suffixes accepted after a number.
const TIMESPAN_UNITS: &[&str] = &[
    "d",
    "day",
    "days",
    "h",
    "hr",
    "hrs",
    "hour",
    "hours",
    "m",
    "min",
    "minute",
    "minutes",
    "s",
    "sec",
    "second",
    "seconds",
    "ms",
    "milli",
    "millis",
    "millisec",
    "millisecond",
    "milliseconds",
    "micro",
    "micros",
    "microsec",
    "microsecond",
    "microseconds",
    "nanosec",
    "nanosecond",
    "nanoseconds",
    "tick",
    "ticks",
];

/// The literal kind for a name that starts a `name(...)` literal when directly followed by
/// `(`, such as `datetime(2020-01-01)`; checked by length first, since it runs before every
/// call in a query.
fn typed_literal_kind(word: &str) -> Option<SyntaxKind> {
    let kind = match (word.len(), word) {
        (3, "int") => SyntaxKind::IntLit,
        (4, "date") => SyntaxKind::DateTimeLit,
        (4, "guid") => SyntaxKind::GuidLit,
        (4, "time") => SyntaxKind::TimespanLit,
        (4, "long") => SyntaxKind::LongLit,
        (4, "real") => SyntaxKind::RealLit,
        (4, "bool") => SyntaxKind::BoolLit,
        (5, "int32") => SyntaxKind::IntLit,
        (5, "int64") => SyntaxKind::LongLit,
        (6, "double") => SyntaxKind::RealLit,
        (7, "decimal") => SyntaxKind::DecimalLit,
        (8, "datetime") => SyntaxKind::DateTimeLit,
        (8, "timespan") => SyntaxKind::TimespanLit,
        _ => return None,
    };
    Some(kind)
}

/// Splits `text` into tokens; every byte belongs to exactly one token.
///
/// Problems (an unterminated string, a stray character) are pushed to `errors`; the tokens still
/// cover the text.
pub fn tokenize(text: &str, errors: &mut Vec<SyntaxError>) -> Vec<Token> {
    let mut lexer = Lexer { bytes: text.as_bytes(), text, pos: 0, errors };
    // Real queries have about 0.2 tokens per byte (the corpus: 0.19), so a quarter of the
    // length fits nearly every query at once without reserving 2.5 times too much.
    let mut tokens = Vec::with_capacity(text.len() / 4 + 16);
    while lexer.pos < lexer.bytes.len() {
        let start = lexer.pos;
        let kind = lexer.next_kind();
        debug_assert!(lexer.pos > start, "the lexer must always advance");
        tokens.push(Token { kind, start: start as u32, end: lexer.pos as u32 });
    }
    tokens
}

struct Lexer<'a, 'e> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    errors: &'e mut Vec<SyntaxError>,
}

/// Which ASCII bytes continue a word: letters, digits and `_`.
static WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = (byte as u8).is_ascii_alphanumeric() || byte == b'_' as usize;
        byte += 1;
    }
    table
};

fn is_word_byte(byte: u8) -> bool {
    WORD_BYTES[byte as usize]
}

impl Lexer<'_, '_> {
    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn error(&mut self, code: ErrorCode, message: String, start: usize, end: usize) {
        self.errors.push(SyntaxError::new(code, message, start as u32, end as u32));
    }

    fn next_kind(&mut self) -> SyntaxKind {
        let byte = self.bytes[self.pos];
        match byte {
            b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c => {
                let rest = &self.bytes[self.pos..];
                self.pos += rest
                    .iter()
                    .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c))
                    .unwrap_or(rest.len());
                SyntaxKind::Whitespace
            }
            b'/' if self.peek(1) == b'/' => {
                let rest = &self.bytes[self.pos..];
                self.pos +=
                    rest.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(rest.len());
                SyntaxKind::Comment
            }
            b'\'' | b'"' => self.quoted_string(self.pos),
            b'@' if matches!(self.peek(1), b'\'' | b'"') => self.verbatim_string(self.pos),
            b'h' | b'H' if matches!(self.peek(1), b'\'' | b'"') => {
                let start = self.pos;
                self.pos += 1;
                self.quoted_string(start)
            }
            b'h' | b'H' if self.peek(1) == b'@' && matches!(self.peek(2), b'\'' | b'"') => {
                let start = self.pos;
                self.pos += 1;
                self.verbatim_string(start)
            }
            b'`' if self.peek(1) == b'`' && self.peek(2) == b'`' => self.fenced_string(b'`'),
            b'~' if self.peek(1) == b'~' && self.peek(2) == b'~' => self.fenced_string(b'~'),
            b'0'..=b'9' => self.number(),
            b'$' => {
                // `$left` and `$right`; Kusto also takes a bare `$` as a name.
                self.pos += 1;
                self.word()
            }
            b'!' => self.bang(),
            _ if byte.is_ascii_alphabetic() || byte == b'_' => self.word(),
            _ if byte >= 0x80 => self.non_ascii(),
            _ => self.punctuation(byte),
        }
    }

    fn punctuation(&mut self, byte: u8) -> SyntaxKind {
        let next = self.peek(1);
        let (kind, len) = match (byte, next) {
            (b'(', _) => (SyntaxKind::LParen, 1),
            (b')', _) => (SyntaxKind::RParen, 1),
            (b'[', _) => (SyntaxKind::LBracket, 1),
            (b']', _) => (SyntaxKind::RBracket, 1),
            (b'{', _) => (SyntaxKind::LBrace, 1),
            (b'}', _) => (SyntaxKind::RBrace, 1),
            (b'|', _) => (SyntaxKind::Pipe, 1),
            (b'<', b'|') => (SyntaxKind::LtPipe, 2),
            (b'<', b'=') => (SyntaxKind::LtEq, 2),
            (b'<', b'>') => (SyntaxKind::LtGt, 2),
            (b'<', _) => (SyntaxKind::Lt, 1),
            (b'>', b'=') => (SyntaxKind::GtEq, 2),
            (b'>', _) => (SyntaxKind::Gt, 1),
            (b'=', b'=') => (SyntaxKind::EqEq, 2),
            (b'=', b'~') => (SyntaxKind::EqTilde, 2),
            (b'=', b'>') => (SyntaxKind::FatArrow, 2),
            (b'=', _) => (SyntaxKind::Eq, 1),
            (b'+', _) => (SyntaxKind::Plus, 1),
            (b'-', _) => (SyntaxKind::Minus, 1),
            (b'*', _) => (SyntaxKind::Star, 1),
            (b'/', _) => (SyntaxKind::Slash, 1),
            (b'%', _) => (SyntaxKind::Percent, 1),
            (b'.', b'.') => (SyntaxKind::DotDot, 2),
            (b'.', _) => (SyntaxKind::Dot, 1),
            (b':', _) => (SyntaxKind::Colon, 1),
            (b';', _) => (SyntaxKind::Semi, 1),
            (b',', _) => (SyntaxKind::Comma, 1),
            (b'@', _) => (SyntaxKind::At, 1),
            (b'?', _) => (SyntaxKind::Question, 1),
            _ => {
                let start = self.pos;
                self.pos += 1;
                let shown = char::from(byte);
                self.error(
                    ErrorCode::UnexpectedCharacter,
                    format!("unexpected character `{}`", shown.escape_default()),
                    start,
                    self.pos,
                );
                return SyntaxKind::ErrorToken;
            }
        };
        self.pos += len;
        kind
    }

    fn bang(&mut self) -> SyntaxKind {
        match self.peek(1) {
            b'=' => {
                self.pos += 2;
                return SyntaxKind::BangEq;
            }
            b'~' => {
                self.pos += 2;
                return SyntaxKind::BangTilde;
            }
            _ => {}
        }
        let word_start = self.pos + 1;
        let mut end = word_start;
        while end < self.bytes.len() && is_word_byte(self.bytes[end]) {
            end += 1;
        }
        let word = &self.text[word_start..end];
        if BANG_WORDS.contains(&word) {
            self.pos = end;
            if word == "in" && self.peek(0) == b'~' {
                self.pos += 1;
            }
            return SyntaxKind::Ident;
        }
        self.pos += 1;
        SyntaxKind::Bang
    }

    fn non_ascii(&mut self) -> SyntaxKind {
        // Kusto names are ASCII; other characters are only welcome as whitespace, inside
        // strings and in comments.
        let start = self.pos;
        let Some(ch) = self.text[start..].chars().next() else {
            self.pos = self.bytes.len();
            return SyntaxKind::ErrorToken;
        };
        if matches!(ch, '\u{200b}' | '\u{feff}' | '\u{180e}') {
            // Kusto reads these between tokens as whitespace (a byte order mark, a zero width
            // space pasted before a comment); inside a word they are reported by `word`.
            self.pos += ch.len_utf8();
            return SyntaxKind::Whitespace;
        }
        if invisible(ch).is_some() {
            self.invisible_char();
            return SyntaxKind::ErrorToken;
        }
        self.pos += ch.len_utf8();
        if ch.is_whitespace() {
            return SyntaxKind::Whitespace;
        }
        self.error(
            ErrorCode::UnexpectedCharacter,
            format!("unexpected character `{}`; KQL names are ASCII", ch.escape_default()),
            start,
            self.pos,
        );
        SyntaxKind::ErrorToken
    }

    /// Reports the invisible character at `self.pos` (`KQL003`, naming its code point) and
    /// steps over it; the caller makes it an error token or part of a word.
    fn invisible_char(&mut self) {
        let start = self.pos;
        let Some(ch) = self.text[start..].chars().next() else {
            return;
        };
        self.pos += ch.len_utf8();
        let name = invisible(ch).unwrap_or("invisible character");
        self.error(
            ErrorCode::UnexpectedCharacter,
            format!("unexpected invisible character `<U+{:04X}>` ({name})", u32::from(ch)),
            start,
            self.pos,
        );
    }

    /// Scans the rest of a word from `self.pos`: ASCII letters, digits and `_`.
    fn scan_word_chars(&mut self) {
        let rest = &self.bytes[self.pos..];
        self.pos += rest.iter().position(|&b| !is_word_byte(b)).unwrap_or(rest.len());
    }

    fn word(&mut self) -> SyntaxKind {
        let start = self.pos;
        self.scan_word_chars();
        // An invisible character inside a word (`Result<U+200B>Type`) is reported once, and
        // the word goes on past it, so the parser sees one name rather than two.
        loop {
            let mut end = self.pos;
            while let Some(ch) =
                self.text[end..].chars().next().filter(|&ch| invisible(ch).is_some())
            {
                end += ch.len_utf8();
            }
            if end == self.pos || !self.bytes.get(end).is_some_and(|&b| is_word_byte(b)) {
                break;
            }
            while self.pos < end {
                self.invisible_char();
            }
            self.scan_word_chars();
        }

        if self.peek(0) == b'-' {
            let word = &self.text[start..self.pos];
            let is_prefix = DASHED_WORDS.iter().any(|dashed| {
                dashed.len() > word.len()
                    && dashed.starts_with(word)
                    && dashed.as_bytes()[word.len()] == b'-'
            });
            if !is_prefix {
                return SyntaxKind::Ident;
            }
            if let Some(len) = self.joined_word(start, DASHED_WORDS) {
                self.pos = start + len;
                return SyntaxKind::Ident;
            }
        } else if self.peek(0) == b'.' && &self.text[start..self.pos] == "hint" {
            if let Some(len) = self.joined_word(start, DOTTED_WORDS) {
                self.pos = start + len;
                return SyntaxKind::Ident;
            }
        } else if self.peek(0) == b'~' && &self.text[start..self.pos] == "in" {
            self.pos += 1;
            return SyntaxKind::Ident;
        } else if self.peek(0) == b'(' {
            let word = &self.text[start..self.pos];
            if let Some(kind) = typed_literal_kind(word) {
                self.typed_literal_body(start, word);
                return kind;
            }
        }
        SyntaxKind::Ident
    }

    /// The length of the longest word in `words` that the text at `start` begins with, when it
    /// ends at a word boundary.
    fn joined_word(&self, start: usize, words: &[&str]) -> Option<usize> {
        let rest = &self.bytes[start..];
        words
            .iter()
            .filter(|word| {
                rest.starts_with(word.as_bytes())
                    && !rest.get(word.len()).is_some_and(|&b| is_word_byte(b))
            })
            .map(|word| word.len())
            .max()
    }

    /// Scans `(...)` of a literal such as `datetime(2020-01-01)`, up to the first `)`.
    fn typed_literal_body(&mut self, start: usize, word: &str) {
        self.pos += 1;
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b')' => {
                    self.pos += 1;
                    return;
                }
                b'\n' | b'\r' => break,
                _ => self.pos += 1,
            }
        }
        self.error(
            ErrorCode::UnterminatedLiteral,
            format!("expected `)` to close the `{word}(` literal"),
            start,
            self.pos,
        );
    }

    fn quoted_string(&mut self, start: usize) -> SyntaxKind {
        let quote = self.bytes[self.pos];
        self.pos += 1;
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b'\\' => {
                    let escape_start = self.pos;
                    self.pos += 1;
                    if matches!(self.peek(0), b'\n' | b'\r' | 0) {
                        break;
                    }
                    if !self.escape() {
                        self.skip_char();
                        let shown = &self.text[escape_start..self.pos];
                        self.error(
                            ErrorCode::InvalidEscape,
                            format!("`{shown}` is not a valid escape sequence in a string literal"),
                            escape_start,
                            self.pos,
                        );
                    }
                }
                b'\n' | b'\r' => break,
                byte if byte == quote => {
                    self.pos += 1;
                    return SyntaxKind::StringLit;
                }
                _ => {
                    let rest = &self.bytes[self.pos..];
                    self.pos += rest
                        .iter()
                        .position(|&b| b == quote || matches!(b, b'\\' | b'\n' | b'\r'))
                        .unwrap_or(rest.len());
                }
            }
        }
        self.unterminated_string(start, quote);
        SyntaxKind::StringLit
    }

    /// Consumes the escape after a `\`; false (consuming nothing) when it is not valid.
    fn escape(&mut self) -> bool {
        let hex_digits = match self.peek(0) {
            b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' | b'\'' | b'"' | b'\\' => 0,
            b'0'..=b'7' => {
                self.pos += 1;
                for _ in 0..2 {
                    if matches!(self.peek(0), b'0'..=b'7') {
                        self.pos += 1;
                    }
                }
                return true;
            }
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            _ => return false,
        };
        if (1..=hex_digits).any(|n| !self.peek(n).is_ascii_hexdigit()) {
            return false;
        }
        self.pos += 1 + hex_digits;
        true
    }

    fn verbatim_string(&mut self, start: usize) -> SyntaxKind {
        self.pos += 1;
        let quote = self.bytes[self.pos];
        self.pos += 1;
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b'\n' | b'\r' => break,
                byte if byte == quote => {
                    if self.peek(1) == quote {
                        self.pos += 2;
                        continue;
                    }
                    self.pos += 1;
                    return SyntaxKind::StringLit;
                }
                _ => self.skip_char(),
            }
        }
        self.unterminated_string(start, quote);
        SyntaxKind::StringLit
    }

    fn fenced_string(&mut self, fence: u8) -> SyntaxKind {
        let start = self.pos;
        self.pos += 3;
        while self.pos < self.bytes.len() {
            if self.bytes[self.pos] == fence && self.peek(1) == fence && self.peek(2) == fence {
                self.pos += 3;
                return SyntaxKind::StringLit;
            }
            self.skip_char();
        }
        let shown = if fence == b'`' { "```" } else { "~~~" };
        self.error(
            ErrorCode::UnterminatedString,
            format!("expected `{shown}` to close the multi-line string"),
            start,
            self.pos,
        );
        SyntaxKind::StringLit
    }

    fn skip_char(&mut self) {
        let byte = self.bytes[self.pos];
        self.pos += if byte < 0x80 {
            1
        } else {
            self.text[self.pos..].chars().next().map_or(1, char::len_utf8)
        };
    }

    fn unterminated_string(&mut self, start: usize, quote: u8) {
        let quote = char::from(quote);
        self.error(
            ErrorCode::UnterminatedString,
            format!("expected `{quote}` to close the string literal before the end of the line"),
            start,
            self.pos,
        );
    }

    /// Scans a token that starts with a digit: a number, a timespan, or a digit-leading name.
    fn number(&mut self) -> SyntaxKind {
        let start = self.pos;
        self.scan_word_chars();
        let word = &self.text[start..self.pos];

        // An exponent with a sign (`1e-5`) continues past the word.
        if (word.ends_with('e') || word.ends_with('E'))
            && word[..word.len() - 1].bytes().all(|b| b.is_ascii_digit())
            && matches!(self.peek(0), b'+' | b'-')
            && self.peek(1).is_ascii_digit()
        {
            self.pos += 1;
            let exp_start = self.pos;
            self.scan_word_chars();
            if self.text[exp_start..self.pos].bytes().all(|b| b.is_ascii_digit()) {
                return SyntaxKind::RealLit;
            }
            self.pos = start + word.len();
            return SyntaxKind::Ident;
        }

        if word.bytes().all(|b| b.is_ascii_digit()) {
            if self.peek(0) == b'.' && self.peek(1) != b'.' {
                let dot = self.pos;
                self.pos += 1;
                self.scan_word_chars();
                let fraction = &self.text[dot + 1..self.pos];
                if let Some(kind) = classify_fraction(fraction) {
                    if kind == SyntaxKind::RealLit
                        && matches!(self.peek(0), b'+' | b'-')
                        && self.peek(1).is_ascii_digit()
                        && (fraction.ends_with('e') || fraction.ends_with('E'))
                    {
                        self.pos += 1;
                        while self.peek(0).is_ascii_digit() {
                            self.pos += 1;
                        }
                    }
                    return kind;
                }
                self.pos = dot;
            }
            return SyntaxKind::LongLit;
        }
        classify_number_word(word)
    }
}

/// Classifies the part after `digits.`: a real (`5`, `5e3`, empty) or a timespan (`5h`).
fn classify_fraction(fraction: &str) -> Option<SyntaxKind> {
    let digits_end = fraction.bytes().position(|b| !b.is_ascii_digit()).unwrap_or(fraction.len());
    let (digits, rest) = fraction.split_at(digits_end);
    if rest.is_empty() {
        return Some(SyntaxKind::RealLit);
    }
    if let Some(exponent) = rest.strip_prefix(['e', 'E']) {
        if exponent.is_empty() || exponent.bytes().all(|b| b.is_ascii_digit()) {
            return Some(SyntaxKind::RealLit);
        }
    }
    if !digits.is_empty() && TIMESPAN_UNITS.contains(&rest) {
        return Some(SyntaxKind::TimespanLit);
    }
    None
}

/// The name of an invisible or formatting character: zero-width characters, the soft hyphen,
/// the word joiner, the byte order mark and the bidirectional controls, which editors do not
/// show and which are easily pasted into a query along with the text around them.
fn invisible(ch: char) -> Option<&'static str> {
    Some(match ch {
        '\u{00ad}' => "soft hyphen",
        '\u{061c}' => "arabic letter mark",
        '\u{180e}' => "mongolian vowel separator",
        '\u{200b}' => "zero width space",
        '\u{200c}' => "zero width non-joiner",
        '\u{200d}' => "zero width joiner",
        '\u{200e}' => "left-to-right mark",
        '\u{200f}' => "right-to-left mark",
        '\u{202a}' => "left-to-right embedding",
        '\u{202b}' => "right-to-left embedding",
        '\u{202c}' => "pop directional formatting",
        '\u{202d}' => "left-to-right override",
        '\u{202e}' => "right-to-left override",
        '\u{2060}' => "word joiner",
        '\u{2061}'..='\u{2064}' => "invisible operator",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{feff}' => "zero width no-break space",
        _ => return None,
    })
}

/// Classifies a word that starts with a digit and is not all digits.
fn classify_number_word(word: &str) -> SyntaxKind {
    if let Some(hex) = word.strip_prefix("0x").or_else(|| word.strip_prefix("0X")) {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return SyntaxKind::LongLit;
        }
        return SyntaxKind::Ident;
    }
    let digits_end = word.bytes().position(|b| !b.is_ascii_digit()).unwrap_or(word.len());
    let rest = &word[digits_end..];
    if let Some(exponent) = rest.strip_prefix(['e', 'E']) {
        if !exponent.is_empty() && exponent.bytes().all(|b| b.is_ascii_digit()) {
            return SyntaxKind::RealLit;
        }
    }
    if TIMESPAN_UNITS.contains(&rest) {
        return SyntaxKind::TimespanLit;
    }
    SyntaxKind::Ident
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(SyntaxKind, &str)> {
        let mut errors = Vec::new();
        tokenize(text, &mut errors)
            .into_iter()
            .filter(|t| t.kind != SyntaxKind::Whitespace)
            .map(|t| (t.kind, &text[t.start as usize..t.end as usize]))
            .collect()
    }

    /// Zero-width and bidirectional characters are `KQL003` naming the code point; inside a
    /// word they do not split it, so the parser reports nothing more.
    #[test]
    fn invisible_characters_are_named() {
        for (ch, name) in [
            ('\u{200b}', "zero width space"),
            ('\u{200f}', "right-to-left mark"),
            ('\u{2060}', "word joiner"),
            ('\u{feff}', "zero width no-break space"),
            ('\u{00ad}', "soft hyphen"),
            ('\u{202e}', "right-to-left override"),
            ('\u{2066}', "left-to-right isolate"),
        ] {
            let text = format!("SigninLogs | where Result{ch}Type == \"50126\"");
            let parse = crate::parse(&text);
            let errors = parse.diagnostics();
            assert_eq!(errors.len(), 1, "{ch:?}: {errors:?}");
            assert_eq!(errors[0].code, "KQL003");
            let expected = format!("`<U+{:04X}>` ({name})", u32::from(ch));
            assert!(errors[0].message.contains(&expected), "{}", errors[0].message);
            let at = "SigninLogs | where Result".len() as u32;
            assert_eq!(errors[0].range, at..at + ch.len_utf8() as u32);
            // Between tokens, Kusto reads a zero width space or a byte order mark as
            // whitespace, and rejects the others.
            let text = format!("{ch}SigninLogs | {ch}take 1");
            let errors = crate::parse(&text).diagnostics().to_vec();
            if matches!(ch, '\u{200b}' | '\u{feff}') {
                assert!(errors.is_empty(), "{ch:?}: {errors:?}");
            } else {
                let named = errors.iter().filter(|error| error.code == "KQL003");
                assert_eq!(
                    named.filter(|e| e.message.contains(&expected)).count(),
                    2,
                    "{errors:?}"
                );
            }
        }
    }

    #[test]
    fn numbers_timespans_and_digit_names() {
        use SyntaxKind::*;
        assert_eq!(
            kinds("10ns 1d 2.5h 1e5 1. 0x1F 1e-5 1tick 1d5m 1..2"),
            vec![
                (Ident, "10ns"),
                (TimespanLit, "1d"),
                (TimespanLit, "2.5h"),
                (RealLit, "1e5"),
                (RealLit, "1."),
                (LongLit, "0x1F"),
                (RealLit, "1e-5"),
                (TimespanLit, "1tick"),
                (Ident, "1d5m"),
                (LongLit, "1"),
                (DotDot, ".."),
                (LongLit, "2"),
            ]
        );
    }

    #[test]
    fn joined_words() {
        use SyntaxKind::*;
        assert_eq!(
            kinds("mv-expand !has !in~ in~ hint.strategy a-b execute-and-cache mv-expand-x"),
            vec![
                (Ident, "mv-expand"),
                (Ident, "!has"),
                (Ident, "!in~"),
                (Ident, "in~"),
                (Ident, "hint.strategy"),
                (Ident, "a"),
                (Minus, "-"),
                (Ident, "b"),
                (Ident, "execute"),
                (Minus, "-"),
                (Ident, "and"),
                (Minus, "-"),
                (Ident, "cache"),
                (Ident, "mv-expand"),
                (Minus, "-"),
                (Ident, "x"),
            ]
        );
    }

    #[test]
    fn string_forms() {
        let text = r#"'a\'b' "c" @'d''e' h'f' H@"g" ```x
y``` ~~~z~~~"#;
        let mut errors = Vec::new();
        let tokens = tokenize(text, &mut errors);
        assert!(errors.is_empty());
        let strings = tokens.iter().filter(|t| t.kind == SyntaxKind::StringLit).count();
        assert_eq!(strings, 7);
    }

    #[test]
    fn unterminated_string_is_an_error() {
        let mut errors = Vec::new();
        tokenize("print 'abc\n| take 1", &mut errors);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].range, 6..10);
    }

    #[test]
    fn typed_literals() {
        use SyntaxKind::*;
        assert_eq!(
            kinds("datetime(2021-01-01 10:00) guid(null) datetime (x)"),
            vec![
                (DateTimeLit, "datetime(2021-01-01 10:00)"),
                (GuidLit, "guid(null)"),
                (Ident, "datetime"),
                (LParen, "("),
                (Ident, "x"),
                (RParen, ")"),
            ]
        );
    }
}
