//! Small KQL building blocks: escaped literals and boolean expressions with constant folding.
//!
//! Every value that reaches a generated query goes through [`string_literal`] or is a number we
//! formatted ourselves, so no indicator or exclusion text can change the query's structure.

use std::fmt::Write;

/// A double-quoted KQL string literal for `text`.
///
/// Backslash, double quote, tab and newline are escaped; a single quote needs no escape inside
/// double quotes. Returns `None` for other control characters, which KQL string literals cannot
/// hold and which indicator and exclusion validation rejects before we get here.
// See: https://learn.microsoft.com/en-us/kusto/query/scalar-data-types/string
pub fn string_literal(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => return None,
            c => out.push(c),
        }
    }
    out.push('"');
    Some(out)
}

/// A `dynamic([...])` literal of strings.
pub fn dynamic_strings<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let items: Option<Vec<String>> = values.into_iter().map(string_literal).collect();
    Some(format!("dynamic([{}])", items?.join(", ")))
}

/// A parenthesised list of string literals for `in` and `in~`.
pub fn string_list<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let items: Option<Vec<String>> = values.into_iter().map(string_literal).collect();
    Some(format!("({})", items?.join(", ")))
}

/// A parenthesised list of integers for `in`.
pub fn int_list(values: impl IntoIterator<Item = u16>) -> String {
    let mut out = String::from("(");
    for (idx, value) in values.into_iter().enumerate() {
        if idx > 0 {
            out.push_str(", ");
        }
        write!(out, "{value}").expect("writing to a String cannot fail");
    }
    out.push(')');
    out
}

/// A boolean KQL expression that is never null, or a constant known while generating.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bool {
    /// Known at generation time.
    Const(bool),
    /// A KQL expression; always parenthesised or atomic, so it can be combined as is.
    Expr(String),
}

impl Bool {
    /// Wraps an atomic expression such as a function call.
    pub fn expr(text: impl Into<String>) -> Bool {
        Bool::Expr(text.into())
    }

    /// Conjunction, folding constants.
    pub fn and(items: Vec<Bool>) -> Bool {
        let mut parts = Vec::new();
        for item in items {
            match item {
                Bool::Const(false) => return Bool::Const(false),
                Bool::Const(true) => {}
                Bool::Expr(text) => parts.push(text),
            }
        }
        join(parts, " and ", true)
    }

    /// Disjunction, folding constants.
    pub fn or(items: Vec<Bool>) -> Bool {
        let mut parts = Vec::new();
        for item in items {
            match item {
                Bool::Const(true) => return Bool::Const(true),
                Bool::Const(false) => {}
                Bool::Expr(text) => parts.push(text),
            }
        }
        join(parts, " or ", false)
    }

    /// The expression text; constants print as `true` and `false`.
    pub fn text(&self) -> &str {
        match self {
            Bool::Const(true) => "true",
            Bool::Const(false) => "false",
            Bool::Expr(text) => text,
        }
    }
}

impl std::ops::Not for Bool {
    type Output = Bool;

    /// Negation, folding constants.
    fn not(self) -> Bool {
        match self {
            Bool::Const(value) => Bool::Const(!value),
            Bool::Expr(text) => Bool::Expr(format!("not({})", strip_parens(&text))),
        }
    }
}

fn join(parts: Vec<String>, separator: &str, empty: bool) -> Bool {
    match parts.len() {
        0 => Bool::Const(empty),
        1 => Bool::Expr(parts.into_iter().next().expect("one part")),
        _ => Bool::Expr(format!("({})", parts.join(separator))),
    }
}

/// `(x)` becomes `x` when the parentheses enclose the whole text, to avoid `not((...))`.
fn strip_parens(text: &str) -> &str {
    let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) else {
        return text;
    };
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    for ch in inner.chars() {
        if in_string {
            match (escaped, ch) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match ch {
            '"' => in_string = true,
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return text;
                }
            }
            _ => {}
        }
    }
    if depth == 0 { inner } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_quotes_and_backslashes() {
        assert_eq!(string_literal(r#"a"b"#).unwrap(), r#""a\"b""#);
        assert_eq!(string_literal(r"C:\Tools\x.exe").unwrap(), r#""C:\\Tools\\x.exe""#);
        assert_eq!(string_literal("o'brien").unwrap(), r#""o'brien""#);
        assert_eq!(string_literal("a\tb\nc").unwrap(), r#""a\tb\nc""#);
        assert_eq!(string_literal("a\rb"), None);
        assert_eq!(string_literal("").unwrap(), r#""""#);
    }

    #[test]
    fn builds_lists() {
        assert_eq!(
            dynamic_strings(["10.0.0.1", "x\"y"]).unwrap(),
            r#"dynamic(["10.0.0.1", "x\"y"])"#
        );
        assert_eq!(string_list(["a.exe"]).unwrap(), r#"("a.exe")"#);
        assert_eq!(int_list([443, 7601]), "(443, 7601)");
    }

    #[test]
    fn folds_constants_and_parenthesises() {
        let a = Bool::expr("f(a)");
        let b = Bool::expr("g(b)");
        assert_eq!(
            Bool::and(vec![a.clone(), Bool::Const(true), b.clone()]).text(),
            "(f(a) and g(b))"
        );
        assert_eq!(Bool::and(vec![a.clone(), Bool::Const(false)]), Bool::Const(false));
        assert_eq!(Bool::or(vec![a.clone(), Bool::Const(false)]).text(), "f(a)");
        assert_eq!(Bool::or(vec![]), Bool::Const(false));
        assert_eq!(Bool::and(vec![]), Bool::Const(true));
        assert_eq!((!Bool::or(vec![a.clone(), b.clone()])).text(), "not(f(a) or g(b))");
        assert_eq!((!Bool::expr("(f(a)) or (g(b))")).text(), "not((f(a)) or (g(b)))");
        assert_eq!((!Bool::expr(r#"(x == ")(")"#)).text(), r#"not(x == ")(")"#);
    }
}
