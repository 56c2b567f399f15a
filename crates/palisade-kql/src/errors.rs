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

impl ErrorCode {
    /// What to do about an error of this code, when one sentence fits every case.
    /// `KQL004` has none: the message names the token, and each place that knows more says it.
    pub fn help(self) -> Option<&'static str> {
        Some(match self {
            ErrorCode::UnterminatedString => {
                "Close the string with the quote that opens it, on the same line; for text over several lines use a string in triple backticks"
            }
            ErrorCode::UnterminatedLiteral => {
                "Close the literal with `)` on the same line, as in `datetime(2024-01-31)`"
            }
            ErrorCode::UnexpectedCharacter => "Remove the character, or put it inside a string",
            ErrorCode::ExpectedExpression => {
                "Write the missing value, column or function call, or remove the operator or `,` that needs it"
            }
            ErrorCode::UnknownQueryOperator => {
                "Use a query operator such as `where`, `extend`, `project` or `summarize`"
            }
            ErrorCode::UnexpectedToken => {
                "Remove it, or add the operator or `,` that joins it to what comes before"
            }
            ErrorCode::ExpectedName => "Write a name here",
            ErrorCode::ChainedComparison => {
                "Add parentheses to say which comparison comes first, as in `(a == b) == c`"
            }
            ErrorCode::InvalidDynamic => {
                "Write a number, a string, `true`, `false`, `null`, an array `[...]` or a bag `{...}`"
            }
            ErrorCode::NestingTooDeep => {
                "Nest less deeply (the limit is 1,000 levels of brackets and calls), for example by moving parts into `let` statements"
            }
            ErrorCode::OperatorWithoutInput => {
                "Put a table or a tabular expression before the operator, or remove the `|`"
            }
            ErrorCode::ExpectedType => {
                "Use a KQL type such as `string`, `long`, `real`, `bool`, `datetime`, `timespan`, `dynamic` or `guid`"
            }
            ErrorCode::InvalidEscape => {
                "Double the backslash, or use a verbatim string such as `@'C:\\Temp'`"
            }
            ErrorCode::ExpectedToken => return None,
        })
    }

    /// Why an error of this code is one, when the message does not say it.
    pub fn note(self) -> Option<&'static str> {
        match self {
            ErrorCode::UnterminatedString => {
                Some("A string in `\"` or `'` quotes ends at the end of its line")
            }
            ErrorCode::UnknownQueryOperator => {
                Some("After `|` comes a query operator, not a table, column or function name")
            }
            ErrorCode::UnexpectedToken => Some(
                "The parser skips to the next `|`, `;` or closing bracket and goes on from there",
            ),
            _ => None,
        }
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
    /// What to do about it, one sentence.
    pub help: Option<String>,
    /// Why it is an error, when that is not plain from the message.
    pub note: Option<String>,
}

impl SyntaxError {
    /// Creates an error with the code's usual help and note.
    pub fn new(code: ErrorCode, message: String, start: u32, end: u32) -> Self {
        SyntaxError {
            code: code.as_str(),
            message,
            range: start..end.max(start),
            related: None,
            help: code.help().map(str::to_owned),
            note: code.note().map(str::to_owned),
        }
    }

    /// Replaces the help.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Replaces the note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Converts to a diagnostic, mapping offsets through `map` into the file that holds the text.
    pub fn to_diagnostic(&self, map: &SourceMap) -> Diagnostic {
        let span = map.map_range(self.range.start, self.range.end);
        let mut diag = Diagnostic::error(Code::new(self.code), self.message.clone(), span);
        if let Some((range, label)) = &self.related {
            diag = diag.with_secondary(map.map_range(range.start, range.end), *label);
        }
        if let Some(note) = &self.note {
            diag = diag.with_note(note.clone());
        }
        if let Some(help) = &self.help {
            diag = diag.with_help(help.clone());
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
