//! Row schemas, name helpers and suggestions.

use std::borrow::Cow;
use std::collections::HashMap;

use super::DroppedBy;
use super::schema::ScalarType;
use crate::ast::Name;
use crate::syntax_kind::SyntaxKind;
use crate::tree::SyntaxNode;

/// A type that may be unknown.
pub(crate) type Ty = Option<ScalarType>;

/// One column of a row schema.
#[derive(Clone, Debug)]
pub(crate) struct Col<'a> {
    pub(crate) name: Cow<'a, str>,
    pub(crate) ty: Ty,
}

/// From this many columns on, a row schema keeps an index of its names. Without it, adding `n`
/// columns one by one takes time quadratic in `n` (`T | project c0, c1, ..., c99999` took
/// 13 s); below it, a scan is cheap, and the schemas of real queries, those of the largest
/// catalog tables (501 columns) included, are not hashed and copied with an index.
const INDEX_FROM: usize = 512;

/// The columns flowing between two operators.
///
/// Column names are unique: every way of adding one checks for the name first. The list is
/// private so that the name index, when there is one, always agrees with it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Rows<'a> {
    cols: Vec<Col<'a>>,
    /// The position of each name in `cols`, once there are `INDEX_FROM` columns.
    index: Option<HashMap<Cow<'a, str>, usize>>,
    /// More columns than the listed ones may exist.
    pub(crate) open: bool,
    /// The operator after which the listed columns are all the columns, standard and hidden
    /// ones (`TenantId`, `_ResourceId`) included, which catalog schemas often leave out:
    /// `project`, `summarize` and the like output exactly what they name.
    pub(crate) exact: Option<DroppedBy>,
    /// Name patterns removed by `project-away` since the schema was last made exact, with the
    /// operator that removed each.
    pub(crate) removed: Vec<(String, DroppedBy)>,
    /// The rows of a missing input: an operator that starts a query reads from nothing, and
    /// names looked up here are not reported (the missing table is the one finding).
    pub(crate) absent: bool,
    /// For a name that `push_unique` had to number, the first number not known to be taken:
    /// `X1` up to `X{n-1}` are all present. Joins number every right-side column that clashes,
    /// and `N` self-joins would otherwise try `X1`, `X2`, ... for each column again, time cubic
    /// in `N`. Dropped whenever a column is removed or renamed, when the claim may stop holding.
    suffixes: Option<HashMap<Cow<'a, str>, u32>>,
}

impl<'a> Rows<'a> {
    /// A schema about which nothing is known.
    pub(crate) fn unknown() -> Rows<'a> {
        Rows { open: true, ..Rows::default() }
    }

    /// The unknown rows in front of an operator that has no input.
    pub(crate) fn absent() -> Rows<'a> {
        Rows { open: true, absent: true, ..Rows::default() }
    }

    /// A schema with no columns yet.
    pub(crate) fn empty(open: bool, exact: Option<DroppedBy>) -> Rows<'a> {
        Rows { open, exact, ..Rows::default() }
    }

    /// A schema of `cols`, whose names must be unique.
    pub(crate) fn new(cols: Vec<Col<'a>>, open: bool) -> Rows<'a> {
        let mut rows = Rows { cols, open, ..Rows::default() };
        rows.reindex();
        rows
    }

    /// The columns in order.
    pub(crate) fn cols(&self) -> &[Col<'a>] {
        &self.cols
    }

    /// The columns in order, taken out of the schema.
    pub(crate) fn into_cols(self) -> Vec<Col<'a>> {
        self.cols
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Col<'a>> {
        self.position(name).map(|at| &self.cols[at])
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    fn position(&self, name: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(name).copied(),
            None => self.cols.iter().position(|col| col.name == name),
        }
    }

    /// Adds a column, or replaces the type of the column with that name in place.
    pub(crate) fn set(&mut self, name: Cow<'a, str>, ty: Ty) {
        match self.position(&name) {
            Some(at) => self.cols[at].ty = ty,
            None => self.push_new(Col { name, ty }),
        }
    }

    /// Adds `col` unless a column of that name exists already.
    pub(crate) fn push_if_absent(&mut self, col: Col<'a>) {
        if !self.contains(&col.name) {
            self.push_new(col);
        }
    }

    /// Adds a column under a name not used yet: `X`, else `X1`, `X2`, ...
    pub(crate) fn push_unique(&mut self, name: Cow<'a, str>, ty: Ty) {
        if !self.contains(&name) {
            self.push_new(Col { name, ty });
            return;
        }
        let mut n = self.suffixes.as_ref().and_then(|known| known.get(&name)).copied().unwrap_or(1);
        loop {
            let candidate = format!("{name}{n}");
            if !self.contains(&candidate) {
                self.push_new(Col { name: Cow::Owned(candidate), ty });
                self.suffixes.get_or_insert_with(HashMap::new).insert(name, n + 1);
                return;
            }
            n += 1;
        }
    }

    /// Adds a column whose name is not in the schema.
    fn push_new(&mut self, col: Col<'a>) {
        if let Some(index) = &mut self.index {
            index.insert(col.name.clone(), self.cols.len());
        }
        self.cols.push(col);
        if self.index.is_none() && self.cols.len() >= INDEX_FROM {
            self.reindex();
        }
    }

    /// Renames the column `old`, if there is one, to `new`. A column already named `new` is
    /// replaced by it.
    pub(crate) fn rename(&mut self, old: &str, new: Cow<'a, str>) {
        let Some(at) = self.position(old) else { return };
        if let Some(clash) = self.position(&new).filter(|&clash| clash != at) {
            self.cols[at].name = new;
            self.cols.remove(clash);
            self.reindex();
            return;
        }
        if let Some(index) = &mut self.index {
            index.remove(old);
            index.insert(new.clone(), at);
        }
        self.suffixes = None;
        self.cols[at].name = new;
    }

    /// Keeps the columns for which `keep` holds.
    pub(crate) fn retain(&mut self, keep: impl FnMut(&Col<'a>) -> bool) {
        let before = self.cols.len();
        self.cols.retain(keep);
        if self.cols.len() != before {
            self.reindex();
        }
    }

    pub(crate) fn remove(&mut self, name: &str) {
        self.retain(|col| col.name != name);
    }

    /// Takes the columns out, leaving the schema without any.
    pub(crate) fn take_cols(&mut self) -> Vec<Col<'a>> {
        self.index = None;
        self.suffixes = None;
        std::mem::take(&mut self.cols)
    }

    /// Replaces the columns by `cols`, the same names in another order.
    pub(crate) fn reorder(&mut self, cols: Vec<Col<'a>>) {
        self.cols = cols;
        self.reindex();
    }

    fn reindex(&mut self) {
        self.suffixes = None;
        self.index = (self.cols.len() >= INDEX_FROM).then(|| {
            let mut index = HashMap::with_capacity(self.cols.len());
            for (at, col) in self.cols.iter().enumerate() {
                index.entry(col.name.clone()).or_insert(at);
            }
            index
        });
    }

    /// The operator that left `name` out, when the schema is exact: the last `project-away`
    /// that removed it, else the operator that made the schema exact.
    pub(crate) fn dropped_by(&self, name: &str) -> Option<&DroppedBy> {
        let removed = self.removed.iter().rev().find(|(pattern, _)| matches_pattern(pattern, name));
        removed.map(|(_, by)| by).or(self.exact.as_ref())
    }
}

/// The name spelled by a `NameRef` or `BracketName` node, without quotes.
pub(crate) fn name_text(node: SyntaxNode<'_>) -> Option<&str> {
    Name::cast(node)?.text()
}

/// Whether a name node is a `*` wildcard or a pattern with one.
pub(crate) fn is_wildcard(node: SyntaxNode<'_>) -> bool {
    node.tokens()
        .any(|token| token.kind() == SyntaxKind::Wildcard || token.kind() == SyntaxKind::Star)
}

/// Whether `name` matches a pattern such as `Event*` or `*Id`.
pub(crate) fn matches_pattern(pattern: &str, name: &str) -> bool {
    if !pattern.contains('*') {
        return pattern == name;
    }
    // At least two parts: the first is a prefix, the last a suffix of what the middle ones
    // (found left to right) leave.
    let mut parts = pattern.split('*').peekable();
    let mut rest = name;
    let mut first = true;
    while let Some(part) = parts.next() {
        if first {
            let Some(after) = rest.strip_prefix(part) else { return false };
            rest = after;
            first = false;
        } else if parts.peek().is_none() {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

/// The pattern text of a `NamePattern` or name node: its tokens joined, wildcards as `*`.
pub(crate) fn pattern_text(node: SyntaxNode<'_>) -> String {
    if let Some(text) = name_text(node)
        && !is_wildcard(node)
    {
        return text.to_string();
    }
    let mut out = String::new();
    for token in node.descendant_tokens() {
        match token.kind() {
            SyntaxKind::Wildcard | SyntaxKind::Star => out.push('*'),
            SyntaxKind::Ident | SyntaxKind::Keyword => out.push_str(token.text()),
            SyntaxKind::StringLit => {
                let text = token.text().trim_start_matches(['h', 'H', '@']);
                out.push_str(text.get(1..text.len().saturating_sub(1)).unwrap_or(""));
            }
            _ => {}
        }
    }
    out
}

/// The candidate most likely meant by `name`: a case-only difference wins, else the closest
/// by edit distance within a third of the name's length (1 to 3 edits).
pub(crate) fn nearest<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<String> {
    nearest_name(name, candidates).map(str::to_string)
}

/// The candidate most likely meant by `name`, for suggestions.
///
/// Names in Sentinel are case-sensitive, so the first candidate equal to `name` except for
/// ASCII case wins outright. Otherwise the closest candidate by optimal string alignment
/// distance (Levenshtein with adjacent transpositions) is taken when it is within a third of
/// the name's length in characters (at least 1, at most 3 edits); ties go to the
/// alphabetically first, so suggestions do not depend on the candidates' order. A candidate
/// equal to `name` is never suggested.
pub fn nearest_name<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let mut distance = BoundedDistance::new(name);
    let limit = distance.limit();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        if candidate.eq_ignore_ascii_case(name) {
            return Some(candidate);
        }
        // Within the best distance so far, ties included (the alphabetical tie-break needs them).
        let bound = best.map_or(limit, |(d, _)| d);
        let Some(d) = distance.to(candidate, bound) else { continue };
        if best.is_none_or(|(best_d, n)| d < best_d || (d == best_d && candidate < n)) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Optimal string alignment distance (Levenshtein with adjacent transpositions) from one name
/// to many candidates, computed only as far as a bound: rows are reused between candidates,
/// far lengths are skipped before any work, and a candidate stops as soon as it cannot come
/// within the bound.
pub struct BoundedDistance {
    /// The name's characters, or its bytes when it is ASCII.
    name: Vec<char>,
    ascii: bool,
    /// The largest distance that counts as close: a third of the name's length, 1 to 3.
    limit: usize,
    /// Three rows of the distance matrix (two back for transpositions), as one buffer.
    rows: Vec<usize>,
    /// The candidate's characters, when it is not ASCII.
    other: Vec<char>,
    /// How often each ASCII byte occurs in the name, when it is ASCII.
    counts: [u32; 128],
    /// The same counts, as working space: what is left of them while a candidate is matched,
    /// and equal to `counts` between candidates.
    left: [u32; 128],
}

impl BoundedDistance {
    /// Prepares distances from `name`.
    pub fn new(name: &str) -> BoundedDistance {
        let chars: Vec<char> = name.chars().collect();
        let limit = (chars.len() / 3).clamp(1, 3);
        let ascii = name.is_ascii();
        let mut counts = [0u32; 128];
        if ascii {
            for byte in name.bytes() {
                counts[usize::from(byte)] = counts[usize::from(byte)].saturating_add(1);
            }
        }
        BoundedDistance {
            ascii,
            name: chars,
            limit,
            rows: Vec::new(),
            other: Vec::new(),
            counts,
            left: counts,
        }
    }

    /// The largest distance [`nearest_name`] accepts for this name: a third of its length in
    /// characters, at least 1 and at most 3.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The name's length in characters.
    pub fn name_len(&self) -> usize {
        self.name.len()
    }

    /// The distance to `candidate` when it is at most `bound`, else `None`.
    pub fn to(&mut self, candidate: &str, bound: usize) -> Option<usize> {
        if self.ascii && candidate.is_ascii() {
            if self.name.len().abs_diff(candidate.len()) > bound {
                return None;
            }
            let b = candidate.as_bytes();
            if self.letters_differ_by_more_than(b, bound) {
                return None;
            }
            return osa_within(&self.name, b.len(), |j| char::from(b[j]), bound, &mut self.rows);
        }
        self.other.clear();
        self.other.extend(candidate.chars());
        if self.name.len().abs_diff(self.other.len()) > bound {
            return None;
        }
        let other = std::mem::take(&mut self.other);
        let found = osa_within(&self.name, other.len(), |j| other[j], bound, &mut self.rows);
        self.other = other;
        found
    }
}

impl BoundedDistance {
    /// Whether the bytes of the (ASCII) name and `candidate`, counted as multisets, differ so
    /// much that no `bound` edits turn one into the other. An insertion, deletion or
    /// substitution lowers each side's surplus of bytes over the other by at most one and a
    /// transposition changes neither, so the larger surplus is a lower bound of the distance.
    fn letters_differ_by_more_than(&mut self, candidate: &[u8], bound: usize) -> bool {
        let mut unmatched = 0;
        for &byte in candidate {
            let left = &mut self.left[usize::from(byte) & 127];
            if *left > 0 {
                *left -= 1;
            } else {
                unmatched += 1;
            }
        }
        for &byte in candidate {
            let idx = usize::from(byte) & 127;
            self.left[idx] = self.counts[idx];
        }
        let matched = candidate.len() - unmatched;
        let surplus_name = self.name.len() - matched;
        surplus_name.max(unmatched) > bound
    }
}

/// The optimal string alignment distance between `a` and the `n` characters `b(0..n)` when it is
/// at most `bound`. The smallest value of a row never drops below the smaller of the previous
/// row's smallest and one more than the row before it, so two rows past the bound end the work.
fn osa_within(
    a: &[char],
    n: usize,
    b: impl Fn(usize) -> char,
    bound: usize,
    rows: &mut Vec<usize>,
) -> Option<usize> {
    let width = n + 1;
    rows.clear();
    rows.resize(3 * width, 0);
    let (mut two_back, mut prev, mut cur) = (0, width, 2 * width);
    for (j, cell) in rows[prev..prev + width].iter_mut().enumerate() {
        *cell = j;
    }
    let mut prev_min = 0;
    for i in 1..=a.len() {
        rows[cur] = i;
        let mut row_min = i;
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b(j - 1));
            let mut value =
                (rows[prev + j] + 1).min(rows[cur + j - 1] + 1).min(rows[prev + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b(j - 2) && a[i - 2] == b(j - 1) {
                value = value.min(rows[two_back + j - 2] + 1);
            }
            rows[cur + j] = value;
            row_min = row_min.min(value);
        }
        if row_min > bound && prev_min >= bound {
            return None;
        }
        prev_min = row_min;
        (two_back, prev, cur) = (prev, cur, two_back);
    }
    let distance = rows[prev + n];
    (distance <= bound).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every lookup answers the same with and without the name index, through every change.
    #[test]
    fn the_name_index_agrees_with_the_list() {
        let mut rows = Rows::default();
        for i in 0..600 {
            rows.set(Cow::Owned(format!("c{i}")), None);
        }
        rows.push_unique(Cow::Borrowed("c1"), None);
        rows.rename("c2", Cow::Borrowed("renamed"));
        rows.rename("c3", Cow::Borrowed("c4"));
        rows.remove("c10");
        rows.retain(|col| col.name != "c11");
        let mut reversed = rows.take_cols();
        reversed.reverse();
        rows.reorder(reversed);
        let names: Vec<String> = rows.cols().iter().map(|col| col.name.to_string()).collect();
        assert!(rows.index.is_some());
        for (at, name) in names.iter().enumerate() {
            assert_eq!(rows.position(name), Some(at), "{name}");
        }
        for gone in ["c2", "c3", "c10", "c11", "nope"] {
            assert!(!rows.contains(gone), "{gone}");
        }
        assert!(rows.contains("c1") && !rows.contains("c11") && rows.contains("c4"));
        let unique: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        rows.retain(|col| col.name.len() < 3);
        assert!(rows.index.is_none());
        assert_eq!(rows.position("c9"), rows.cols().iter().position(|col| col.name == "c9"));
    }

    #[test]
    fn numbered_names_take_the_first_free_number() {
        let mut rows = Rows::default();
        for _ in 0..4 {
            rows.push_unique(Cow::Borrowed("X"), None);
        }
        let names = |rows: &Rows<'_>| {
            rows.cols().iter().map(|col| col.name.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(names(&rows), ["X", "X1", "X2", "X3"]);
        rows.remove("X1");
        rows.push_unique(Cow::Borrowed("X"), None);
        assert_eq!(names(&rows), ["X", "X2", "X3", "X1"]);
        rows.rename("X2", Cow::Borrowed("Y"));
        rows.push_unique(Cow::Borrowed("X"), None);
        assert_eq!(names(&rows), ["X", "Y", "X3", "X1", "X2"]);
        rows.push_unique(Cow::Borrowed("X"), None);
        assert_eq!(names(&rows).last().map(String::as_str), Some("X4"));
    }

    #[test]
    fn patterns_match_like_kql_wildcards() {
        assert!(matches_pattern("Event*", "EventID"));
        assert!(matches_pattern("*Id", "TenantId"));
        assert!(matches_pattern("a*b*c", "aXbYc"));
        assert!(!matches_pattern("a*b", "ab_c"));
        assert!(matches_pattern("*", "x"));
    }

    /// The whole matrix, for comparison with the bounded computation.
    fn full_osa(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                }
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn bounded_distance_agrees_with_the_full_matrix() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "ca",
            "kitten",
            "sitting",
            "SigninLogs",
            "SignInLogs2",
            "DestinatonIP",
            "DestinationIP",
            "AccountName",
            "AcountName",
            "AccountNmae",
            "TimeGenerated",
            "TimeGenrated",
            "Computer",
            "Cmoputer",
            "é",
            "éa",
            "aé",
            "Größe",
            "Grösse",
            "IPAddress",
            "IpAddress2",
            "xxxxxxxxxxxx",
            "yyyyyyyyyyyy",
        ];
        for a in words {
            let mut bounded = BoundedDistance::new(a);
            for b in words {
                let full = full_osa(a, b);
                for bound in 0..5 {
                    let expected = (full <= bound).then_some(full);
                    assert_eq!(bounded.to(b, bound), expected, "{a:?} {b:?} within {bound}");
                }
            }
        }
    }

    #[test]
    fn suggestions_prefer_case_then_distance() {
        assert_eq!(nearest("ipaddress", ["IPAddress", "IpAddress2"]), Some("IPAddress".into()));
        assert_eq!(
            nearest("UserPrincipalNam", ["UserPrincipalName"]),
            Some("UserPrincipalName".into())
        );
        assert_eq!(nearest("Xyz", ["Computer"]), None);
    }
}
