//! Tallies, printed tables, the allow-list of known disagreements and the JSONL output.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Agreement counts for one group of queries.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub total: usize,
    pub agree: usize,
    /// Palisade reports a syntax error, the oracle accepts.
    pub palisade_rejects: usize,
    /// The oracle reports a syntax error, Palisade accepts.
    pub oracle_rejects: usize,
    /// Both report a syntax error (counted in `agree`).
    pub both_reject: usize,
}

impl Tally {
    pub fn add(&mut self, palisade_accepts: bool, oracle_accepts: bool) {
        self.total += 1;
        match (palisade_accepts, oracle_accepts) {
            (true, true) => self.agree += 1,
            (false, false) => {
                self.agree += 1;
                self.both_reject += 1;
            }
            (false, true) => self.palisade_rejects += 1,
            (true, false) => self.oracle_rejects += 1,
        }
    }

    pub fn merge(&mut self, other: &Tally) {
        self.total += other.total;
        self.agree += other.agree;
        self.palisade_rejects += other.palisade_rejects;
        self.oracle_rejects += other.oracle_rejects;
        self.both_reject += other.both_reject;
    }

    pub fn disagree(&self) -> usize {
        self.palisade_rejects + self.oracle_rejects
    }

    /// Agreement in percent; an empty tally agrees fully.
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            return 100.0;
        }
        self.agree as f64 * 100.0 / self.total as f64
    }
}

/// Renders one table row per group plus a total row, and returns the total.
pub fn table(title: &str, first_column: &str, groups: &BTreeMap<String, Tally>) -> (String, Tally) {
    let width = groups.keys().map(String::len).chain([first_column.len(), 5]).max().unwrap_or(5);
    let mut out = String::new();
    let _ = writeln!(out, "{title}");
    let _ = writeln!(
        out,
        "  {first_column:<width$}  {:>6}  {:>6}  {:>11}  {:>8}  {:>21}  {:>19}  {:>9}",
        "total",
        "agree",
        "both-reject",
        "disagree",
        "only-palisade-rejects",
        "only-oracle-rejects",
        "agreement"
    );
    let mut total = Tally::default();
    for (name, tally) in groups {
        row(&mut out, name, tally, width);
        total.merge(tally);
    }
    row(&mut out, "TOTAL", &total, width);
    (out, total)
}

fn row(out: &mut String, name: &str, tally: &Tally, width: usize) {
    let _ = writeln!(
        out,
        "  {name:<width$}  {:>6}  {:>6}  {:>11}  {:>8}  {:>21}  {:>19}  {:>8.2}%",
        tally.total,
        tally.agree,
        tally.both_reject,
        tally.disagree(),
        tally.palisade_rejects,
        tally.oracle_rejects,
        tally.percent()
    );
}

/// Reads `id<TAB>reason` lines; `#` starts a comment line.
///
/// # Errors
///
/// Returns a message for a line without a tab or reason, or a repeated id.
pub fn read_allow_list(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(error) => return Err(format!("cannot read {}: {error}", path.display())),
    };
    let mut entries = BTreeMap::new();
    for (line_idx, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let place = format!("{}:{}", path.display(), line_idx + 1);
        let Some((id, reason)) = line.split_once('\t') else {
            return Err(format!("{place}: expected `id<TAB>reason`"));
        };
        if reason.trim().is_empty() {
            return Err(format!("{place}: `{id}` has no reason"));
        }
        if entries.insert(id.to_string(), reason.trim().to_string()).is_some() {
            return Err(format!("{place}: `{id}` is listed twice"));
        }
    }
    Ok(entries)
}

/// Writes one JSON value per line, creating the parent directory.
///
/// # Errors
///
/// Returns the IO error's message with the path.
pub fn write_jsonl(path: &Path, lines: &[serde_json::Value]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
    }
    let mut text = String::new();
    for line in lines {
        text.push_str(&line.to_string());
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|error| format!("cannot write {}: {error}", path.display()))
}

/// The `n` most common values, most common first, ties by name.
pub fn top_counts<'a>(values: impl Iterator<Item = &'a str>, n: usize) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for value in values {
        *counts.entry(value).or_default() += 1;
    }
    let mut counts: Vec<(String, usize)> =
        counts.into_iter().map(|(value, count)| (value.to_string(), count)).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.truncate(n);
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_both_directions() {
        let mut tally = Tally::default();
        tally.add(true, true);
        tally.add(false, true);
        tally.add(true, false);
        tally.add(false, false);
        assert_eq!((tally.agree, tally.palisade_rejects, tally.oracle_rejects), (2, 1, 1));
        assert_eq!(tally.both_reject, 1);
        assert!((tally.percent() - 50.0).abs() < 1e-9);
    }
}
