//! Small readers over the KQL syntax tree that several lints share: literal values, the
//! parts of a binary expression, call names and arguments, and the names an expression uses.

use std::ops::Range;

use palisade_kql::{SyntaxKind, SyntaxNode, SyntaxToken};

/// The value of a string literal node (adjacent literals concatenated), or `None` when `node`
/// is not a plain string literal.
pub fn string_value(node: SyntaxNode<'_>) -> Option<String> {
    if node.kind() != SyntaxKind::Literal {
        return None;
    }
    let mut value = String::new();
    let mut n_parts = 0;
    for token in node.tokens() {
        if token.kind() != SyntaxKind::StringLit {
            return None;
        }
        value.push_str(&decode_string(token.text())?);
        n_parts += 1;
    }
    (n_parts > 0).then_some(value)
}

/// Decodes one string literal token: quoted with escapes, `@` verbatim, `h` obfuscated, or
/// a multi-line literal in triple backticks.
fn decode_string(text: &str) -> Option<String> {
    if let Some(inner) = text.strip_prefix("```").and_then(|rest| rest.strip_suffix("```")) {
        return Some(inner.to_owned());
    }
    let text = text.strip_prefix(['h', 'H']).unwrap_or(text);
    if let Some(rest) = text.strip_prefix('@') {
        let quote = rest.chars().next()?;
        let inner = rest.strip_prefix(quote)?.strip_suffix(quote)?;
        let doubled: String = [quote, quote].iter().collect();
        return Some(inner.replace(&doubled, &quote.to_string()));
    }
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
    let mut value = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        match chars.next()? {
            'n' => value.push('\n'),
            't' => value.push('\t'),
            'r' => value.push('\r'),
            other => value.push(other),
        }
    }
    Some(value)
}

/// A binary expression split into its operator and operands.
#[derive(Clone, Copy, Debug)]
pub struct Binary<'a> {
    /// The left operand.
    pub lhs: SyntaxNode<'a>,
    /// The right operand.
    pub rhs: SyntaxNode<'a>,
    /// The first operator token.
    pub first: SyntaxToken<'a>,
    /// The last operator token (the same as `first` unless the operator is two words).
    pub last: SyntaxToken<'a>,
}

impl<'a> Binary<'a> {
    /// Reads `node` when it is a binary expression with two operands.
    pub fn of(node: SyntaxNode<'a>) -> Option<Self> {
        if node.kind() != SyntaxKind::BinaryExpr {
            return None;
        }
        let mut operands = node.children();
        let (lhs, rhs) = (operands.next()?, operands.next()?);
        if operands.next().is_some() {
            return None;
        }
        let mut tokens = node.tokens();
        let first = tokens.next()?;
        let last = tokens.last().unwrap_or(first);
        Some(Binary { lhs, rhs, first, last })
    }

    /// The operator as written, words joined by one space (`matches regex`).
    pub fn operator(&self) -> String {
        if self.first == self.last {
            return self.first.text().to_owned();
        }
        format!("{} {}", self.first.text(), self.last.text())
    }

    /// The byte range of the operator.
    pub fn operator_range(&self) -> Range<u32> {
        self.first.range().start..self.last.range().end
    }
}

/// The operand and string value of `column <op> "literal"`, literal on the right.
pub fn string_rhs<'a>(binary: &Binary<'a>) -> Option<(SyntaxNode<'a>, String)> {
    let value = string_value(unparen(binary.rhs))?;
    Some((binary.lhs, value))
}

/// `node` with any enclosing parentheses removed.
pub fn unparen(mut node: SyntaxNode<'_>) -> SyntaxNode<'_> {
    while node.kind() == SyntaxKind::ParenExpr {
        let Some(inner) = node.children().next() else {
            break;
        };
        node = inner;
    }
    node
}

/// The function name of a call, as written.
pub fn call_name(node: SyntaxNode<'_>) -> Option<&str> {
    if node.kind() != SyntaxKind::CallExpr {
        return None;
    }
    let callee = node.children().next()?;
    (callee.kind() == SyntaxKind::NameRef).then(|| callee.text())
}

/// The arguments of a call, or the items of a parenthesized list.
pub fn list_items(node: SyntaxNode<'_>) -> Vec<SyntaxNode<'_>> {
    let list = if node.kind() == SyntaxKind::ExprList {
        Some(node)
    } else {
        node.child(SyntaxKind::ExprList)
    };
    list.map(|list| list.children().collect()).unwrap_or_default()
}

/// The top-level operands of an `and` chain (parentheses looked through).
pub fn conjuncts(node: SyntaxNode<'_>) -> Vec<SyntaxNode<'_>> {
    let node = unparen(node);
    match Binary::of(node) {
        Some(binary) if binary.operator() == "and" => {
            let mut parts = conjuncts(binary.lhs);
            parts.extend(conjuncts(binary.rhs));
            parts
        }
        _ => vec![node],
    }
}

/// The names `node` uses as values: plain names and `['bracketed']` names, `node` included,
/// member names after `.` excluded.
pub fn used_names(node: SyntaxNode<'_>) -> Vec<&str> {
    let mut names = Vec::new();
    let mut member_ranges = Vec::new();
    for node in std::iter::once(node).chain(node.descendants()) {
        if node.kind() == SyntaxKind::PathExpr {
            member_ranges.extend(node.children().skip(1).map(|member| member.range()));
        }
        if matches!(node.kind(), SyntaxKind::NameRef | SyntaxKind::BracketName) {
            let inside_member = member_ranges
                .iter()
                .any(|range| range.start <= node.range().start && node.range().end <= range.end);
            let name = palisade_kql::ast::Name::cast(node).and_then(|name| name.text());
            if let (false, Some(name)) = (inside_member, name) {
                names.push(name);
            }
        }
    }
    names
}

/// Whether `node` mentions a column through a string, as `column_ifexists("x")` or `*` do:
/// then [`used_names`] is not the whole story.
pub fn has_indirect_column_use(node: SyntaxNode<'_>) -> bool {
    std::iter::once(node).chain(node.descendants()).any(|node| {
        let wildcard = node.kind() == SyntaxKind::NameRef
            && node.tokens().any(|token| token.kind() == SyntaxKind::Wildcard);
        let by_string = matches!(call_name(node), Some("column_ifexists" | "bag_unpack"));
        wildcard || by_string
    })
}

/// Text of `node` with whitespace and comments dropped, for comparing expressions.
pub fn normalized_text(node: SyntaxNode<'_>) -> String {
    node.descendant_tokens()
        .filter(|token| !token.kind().is_trivia())
        .map(|token| token.text())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text of `node` on one line, runs of whitespace collapsed, for messages.
pub fn one_line(node: SyntaxNode<'_>) -> String {
    node.text().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `value` as a KQL string literal: quoted, or verbatim (`@"..."`) when it holds a backslash
/// or a quote.
pub fn quote(value: &str) -> String {
    if value.contains(['\\', '"']) {
        return format!("@\"{}\"", value.replace('"', "\"\""));
    }
    format!("\"{value}\"")
}

/// The length of a timespan literal in seconds: `14d`, `1.5h`, `30min`, `timespan(2d)`.
pub fn timespan_seconds(text: &str) -> Option<f64> {
    let text = text.trim();
    let text = text
        .strip_prefix("timespan(")
        .and_then(|rest| rest.strip_suffix(')'))
        .map(str::trim)
        .unwrap_or(text);
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let unit_seconds = match unit.to_ascii_lowercase().as_str() {
        "d" | "day" | "days" => 86_400.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600.0,
        "m" | "min" | "minute" | "minutes" => 60.0,
        "s" | "sec" | "second" | "seconds" => 1.0,
        "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => 0.001,
        _ => return None,
    };
    Some(number * unit_seconds)
}

/// Whether `text` is a dotted-quad IPv4 address such as `10.1.2.3`.
pub fn is_ipv4(text: &str) -> bool {
    let octets: Vec<&str> = text.split('.').collect();
    octets.len() == 4
        && octets.iter().all(|octet| {
            !octet.is_empty()
                && octet.len() <= 3
                && octet.bytes().all(|b| b.is_ascii_digit())
                && octet.parse::<u16>().is_ok_and(|value| value <= 255)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str, kind: SyntaxKind) -> String {
        let parse = palisade_kql::parse(text);
        let node = parse.root().descendants().find(|node| node.kind() == kind).unwrap();
        string_value(node).unwrap()
    }

    #[test]
    fn decodes_string_literal_forms() {
        assert_eq!(first(r#"print "a\"b\\c""#, SyntaxKind::Literal), r#"a"b\c"#);
        assert_eq!(first("print @'C:\\x''y'", SyntaxKind::Literal), "C:\\x'y");
        assert_eq!(first("print h'secret'", SyntaxKind::Literal), "secret");
        assert_eq!(first("print 'a' 'b'", SyntaxKind::Literal), "ab");
    }

    #[test]
    fn reads_timespans_and_addresses() {
        assert_eq!(timespan_seconds("14d"), Some(14.0 * 86_400.0));
        assert_eq!(timespan_seconds("1.5h"), Some(5_400.0));
        assert_eq!(timespan_seconds("timespan(30min)"), Some(1_800.0));
        assert_eq!(timespan_seconds("10tick"), None);
        assert!(is_ipv4("10.0.0.255") && !is_ipv4("10.0.0.256") && !is_ipv4("1.2.3"));
    }

    #[test]
    fn operator_tokens_compare_by_identity() {
        // Token equality must be constant time: the same place in two equal trees is not the
        // same token. A derived comparison compared whole trees and made every lint over a
        // long `or` chain quadratic.
        fn binary(parse: &palisade_kql::Parse) -> Binary<'_> {
            let node = parse.root().descendants().find(|n| n.kind() == SyntaxKind::BinaryExpr);
            Binary::of(node.unwrap()).unwrap()
        }
        let (a, b) = (palisade_kql::parse("print x == 1"), palisade_kql::parse("print x == 1"));
        let (x, y) = (binary(&a), binary(&b));
        assert_eq!(x.first, x.last);
        assert_ne!(x.first, y.first);
        assert_eq!(x.operator(), "==");
    }

    #[test]
    fn used_names_skip_members() {
        let parse = palisade_kql::parse("print a.b + c['d'] + ['e f']");
        let names = used_names(parse.root());
        assert_eq!(names, ["a", "c", "e f"]);
    }
}
