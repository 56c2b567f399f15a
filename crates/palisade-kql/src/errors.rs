//! Syntax errors and the table of lexing and parsing codes (`KQL001`-`KQL099`).

use std::ops::Range;

use palisade_diagnostics::{Code, Diagnostic, SourceMap};

/// One lexing or parsing code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// A string literal is not closed.
    UnterminatedString,
    /// A `datetime(...)`-style literal is not closed.
    UnterminatedLiteral,
    /// A character that starts no token.
    UnexpectedCharacter,
    /// A specific token is missing, such as a closing `)`.
    ExpectedToken,
    /// An expression is missing.
    ExpectedExpression,
    /// The word after `|` is not a query operator.
    UnknownQueryOperator,
    /// Tokens left over that do not fit the grammar.
    UnexpectedToken,
    /// A name is missing.
    ExpectedName,
    /// A comparison operator follows another one at the same level, as in `a == b == c`.
    ChainedComparison,
    /// The content of `dynamic(...)` is not a JSON-like value.
    InvalidDynamic,
    /// The input nests deeper than the parser supports.
    NestingTooDeep,
    /// A query operator that needs a tabular input appears where none flows in.
    OperatorWithoutInput,
    /// A type name is missing or unknown.
    ExpectedType,
    /// A backslash escape in a string literal is not one KQL knows.
    InvalidEscape,
}

/// Every code with its one-line meaning, in code order; the validator turns this into docs.
#[rustfmt::skip]
pub const ERROR_CODES: &[(ErrorCode, &str, &str)] = &[
    (ErrorCode::UnterminatedString, "KQL001", "A string literal is not closed before the end of its line or of the text"),
    (ErrorCode::UnterminatedLiteral, "KQL002", "A `datetime(...)`-style literal is not closed with `)` on its line"),
    (ErrorCode::UnexpectedCharacter, "KQL003", "A character that starts no KQL token"),
    (ErrorCode::ExpectedToken, "KQL004", "A required token such as a closing `)` or a `=` is missing"),
    (ErrorCode::ExpectedExpression, "KQL005", "An expression is missing where one is required"),
    (ErrorCode::UnknownQueryOperator, "KQL006", "The word after `|` is not a query operator"),
    (ErrorCode::UnexpectedToken, "KQL007", "Tokens left over that do not fit the grammar at that point"),
    (ErrorCode::ExpectedName, "KQL008", "A name (column, table, parameter or variable) is missing"),
    (ErrorCode::ChainedComparison, "KQL009", "Comparison and string operators do not chain: `a == b == c` needs parentheses"),
    (ErrorCode::InvalidDynamic, "KQL010", "The content of `dynamic(...)` is not a JSON-like value"),
    (ErrorCode::NestingTooDeep, "KQL011", "The query nests deeper than the parser supports"),
    (ErrorCode::OperatorWithoutInput, "KQL012", "A query operator that needs a tabular input has none"),
    (ErrorCode::ExpectedType, "KQL013", "A type name is missing or not a KQL type"),
    (ErrorCode::InvalidEscape, "KQL014", "A backslash escape in a string literal is not valid (use `@'...'` for raw text)"),
];

impl ErrorCode {
    /// The code as written, for example `KQL004`.
    pub fn as_str(self) -> &'static str {
        ERROR_CODES
            .iter()
            .find(|(code, _, _)| *code == self)
            .map(|(_, text, _)| *text)
            .expect("every ErrorCode has a row in ERROR_CODES")
    }

    /// The one-line meaning of the code.
    pub fn summary(self) -> &'static str {
        ERROR_CODES
            .iter()
            .find(|(code, _, _)| *code == self)
            .map(|(_, _, summary)| *summary)
            .expect("every ErrorCode has a row in ERROR_CODES")
    }
}

/// One lexing or parsing error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// The code, `KQL001` to `KQL099`.
    pub code: &'static str,
    /// What is wrong, one line.
    pub message: String,
    /// Byte offsets into the parsed text.
    pub range: Range<u32>,
    /// A related location, such as the `(` that a missing `)` should close, with its label.
    pub related: Option<(Range<u32>, &'static str)>,
}

impl SyntaxError {
    /// Creates an error.
    pub fn new(code: ErrorCode, message: String, start: u32, end: u32) -> Self {
        SyntaxError { code: code.as_str(), message, range: start..end.max(start), related: None }
    }

    /// Converts to a diagnostic, mapping offsets through `map` into the file that holds the text.
    pub fn to_diagnostic(&self, map: &SourceMap) -> Diagnostic {
        let span = map.map_range(self.range.start, self.range.end);
        let mut diag = Diagnostic::error(Code::new(self.code), self.message.clone(), span);
        if let Some((range, label)) = &self.related {
            diag = diag.with_secondary(map.map_range(range.start, range.end), *label);
        }
        diag
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_diagnostic_maps_offsets_and_points_at_the_opening_bracket() {
        use palisade_diagnostics::{FileId, Severity};

        let parse = crate::parse("T | where (a > 1");
        let error = &parse.diagnostics()[0];
        assert_eq!(error.code, "KQL004");
        assert_eq!(error.range, 16..16);

        // The query starts at byte 100 of its file.
        let map = SourceMap::verbatim(FileId(3), 100, 16);
        let diag = error.to_diagnostic(&map);
        assert_eq!(diag.code.as_str(), "KQL004");
        assert_eq!(diag.severity, Severity::Error);
        assert_eq!((diag.primary.span.file, diag.primary.span.start), (FileId(3), 116));
        assert_eq!(diag.secondary.len(), 1);
        assert_eq!(diag.secondary[0].span.start, 110);
        assert!(diag.message.contains("expected `)` to close the `(`"), "{}", diag.message);
    }

    #[test]
    fn codes_are_unique_ascending_and_in_range() {
        let mut previous = 0;
        for (code, text, summary) in ERROR_CODES {
            assert!(Code::new(text).is_well_formed());
            let number: u32 = text.trim_start_matches("KQL").parse().unwrap();
            assert!(number > previous && number < 100, "{text}");
            previous = number;
            assert_eq!(code.as_str(), *text);
            assert!(!summary.is_empty());
        }
    }
}
