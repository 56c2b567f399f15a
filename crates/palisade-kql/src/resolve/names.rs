//! Row schemas, name helpers and suggestions.

use std::borrow::Cow;

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

/// The columns flowing between two operators.
#[derive(Clone, Debug, Default)]
pub(crate) struct Rows<'a> {
    pub(crate) cols: Vec<Col<'a>>,
    /// More columns than the listed ones may exist.
    pub(crate) open: bool,
}

impl<'a> Rows<'a> {
    /// A schema about which nothing is known.
    pub(crate) fn unknown() -> Rows<'a> {
        Rows { cols: Vec::new(), open: true }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Col<'a>> {
        self.cols.iter().find(|col| col.name == name)
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Adds a column, or replaces the type of the column with that name in place.
    pub(crate) fn set(&mut self, name: Cow<'a, str>, ty: Ty) {
        match self.cols.iter_mut().find(|col| col.name == name) {
            Some(col) => col.ty = ty,
            None => self.cols.push(Col { name, ty }),
        }
    }

    /// Adds a column under a name not used yet: `X`, else `X1`, `X2`, ...
    pub(crate) fn push_unique(&mut self, name: Cow<'a, str>, ty: Ty) {
        if !self.contains(&name) {
            self.cols.push(Col { name, ty });
            return;
        }
        let mut n = 1u32;
        loop {
            let candidate = format!("{name}{n}");
            if !self.contains(&candidate) {
                self.cols.push(Col { name: Cow::Owned(candidate), ty });
                return;
            }
            n += 1;
        }
    }

    pub(crate) fn remove(&mut self, name: &str) {
        self.cols.retain(|col| col.name != name);
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
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let mut rest = name;
    for (idx, part) in parts.iter().enumerate() {
        if idx == 0 {
            let Some(after) = rest.strip_prefix(part) else { return false };
            rest = after;
        } else if idx == parts.len() - 1 {
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
    let limit = (name.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        if candidate.eq_ignore_ascii_case(name) {
            return Some(candidate.to_string());
        }
        let distance = edit_distance(name, candidate, limit);
        if distance > limit {
            continue;
        }
        if best.is_none_or(|(d, n)| distance < d || (distance == d && candidate < n)) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate.to_string())
}

/// Levenshtein distance with adjacent transpositions, giving up above `limit`.
fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let width = b.len() + 1;
    let mut rows = vec![0usize; width * (a.len() + 1)];
    for (j, cell) in rows.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = value;
        }
    }
    rows[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_like_kql_wildcards() {
        assert!(matches_pattern("Event*", "EventID"));
        assert!(matches_pattern("*Id", "TenantId"));
        assert!(matches_pattern("a*b*c", "aXbYc"));
        assert!(!matches_pattern("a*b", "ab_c"));
        assert!(matches_pattern("*", "x"));
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
