//! Reading the tab-separated data files.

use std::fmt;

/// A malformed line in a catalog data file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DataError {
    /// The data file, such as `tables.tsv`.
    pub file: &'static str,
    /// 1-based line number.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for DataError {}

/// The data lines of `text` with their 1-based numbers, skipping `#` comments and blank lines.
pub(crate) fn records(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(idx, line)| (idx + 1, line.split('\t').collect()))
}
