//! The Bicep writer: lowers a [`Template`] to Bicep source in the same resource shape as the
//! ARM output.
//!
//! Literal strings are written so that Bicep decodes them to exactly the value in the tree:
//! a multi-line value uses the verbatim `'''` form when that is exact, and everything else is
//! a single-quoted string with escapes. Bicep source never carries ARM's `[[` escape;
//! `bicep build` adds it itself when it writes JSON.
//!
//! See: https://learn.microsoft.com/azure/azure-resource-manager/bicep/data-types#strings

use std::fmt::Write as _;

use crate::ir::{
    Resource, Scope, Template, Value, WORKSPACE_PARAMETER, WORKSPACE_PARAMETER_DESCRIPTION,
};

/// The workspace API version of the `existing` declaration that extension resources scope to.
pub const WORKSPACE_API_VERSION: &str = "2023-09-01";

/// The symbolic name of that declaration.
const WORKSPACE_SYMBOL: &str = "logAnalyticsWorkspace";

/// Words Bicep reserves; such object keys are quoted to stay unambiguous.
const KEYWORDS: &[&str] = &[
    "as",
    "existing",
    "extension",
    "false",
    "for",
    "func",
    "if",
    "import",
    "in",
    "metadata",
    "module",
    "null",
    "output",
    "param",
    "resource",
    "targetScope",
    "true",
    "type",
    "using",
    "var",
    "with",
];

/// Writes a template as Bicep source, LF line endings and a trailing newline.
pub fn write_template(template: &Template) -> Vec<u8> {
    let mut out = String::new();
    out.push_str(&format!("@description({})\n", quoted(WORKSPACE_PARAMETER_DESCRIPTION)));
    out.push_str(&format!("param {WORKSPACE_PARAMETER} string\n"));

    if template.resources.iter().any(|resource| resource.scope == Scope::Workspace) {
        out.push('\n');
        out.push_str(&format!(
            "resource {WORKSPACE_SYMBOL} 'Microsoft.OperationalInsights/workspaces@{WORKSPACE_API_VERSION}' existing = {{\n  name: {WORKSPACE_PARAMETER}\n}}\n"
        ));
    }

    for resource in &template.resources {
        out.push('\n');
        write_resource(&mut out, resource);
    }
    out.into_bytes()
}

fn write_resource(out: &mut String, resource: &Resource) {
    let _ = writeln!(
        out,
        "resource {} '{}@{}' = {{",
        resource.symbol, resource.resource_type, resource.api_version
    );
    if resource.scope == Scope::Workspace {
        let _ = writeln!(out, "  scope: {WORKSPACE_SYMBOL}");
    }
    out.push_str("  name: ");
    write_value(out, &resource.name, 1);
    out.push('\n');
    if let Some(kind) = &resource.kind {
        let _ = writeln!(out, "  kind: {}", quoted(kind));
    }
    out.push_str("  properties: ");
    write_value(out, &resource.properties, 1);
    out.push_str("\n}\n");
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Str(text) => out.push_str(&string_literal(text)),
        Value::Expr(expression) => out.push_str(&expression.bicep),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Int(number) => {
            let _ = write!(out, "{number}");
        }
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push_str("[\n");
            for item in items {
                indent(out, depth + 1);
                write_value(out, item, depth + 1);
                out.push('\n');
            }
            indent(out, depth);
            out.push(']');
        }
        Value::Object(properties) if properties.is_empty() => out.push_str("{}"),
        Value::Object(properties) => {
            out.push_str("{\n");
            for (key, item) in properties {
                indent(out, depth + 1);
                out.push_str(&object_key(key));
                out.push_str(": ");
                write_value(out, item, depth + 1);
                out.push('\n');
            }
            indent(out, depth);
            out.push('}');
        }
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// A property key: a bare identifier when it is one and not reserved, else a quoted string.
fn object_key(key: &str) -> String {
    let mut chars = key.chars();
    let identifier = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if identifier && !KEYWORDS.contains(&key) { key.to_owned() } else { quoted(key) }
}

/// The Bicep literal for a string value: `'''` verbatim when that is exact, else quoted.
pub fn string_literal(text: &str) -> String {
    if verbatim_is_exact(text) {
        // A line break right after the opening `'''` is dropped by Bicep, so one is always
        // written there; the value then starts exactly with the text.
        format!("'''\n{text}'''")
    } else {
        quoted(text)
    }
}

/// Whether the `'''` form yields exactly `text`: only for multi-line text without `'''`,
/// without a trailing `'` (it would merge with the closing quotes), and without characters
/// whose meaning would depend on the file's line endings or that cannot be seen (CR and other
/// control characters; tab is allowed).
fn verbatim_is_exact(text: &str) -> bool {
    text.contains('\n')
        && !text.contains("'''")
        && !text.ends_with('\'')
        && !text.chars().any(|c| c != '\n' && c != '\t' && c.is_control())
}

/// A single-quoted Bicep string with escapes.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:X}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(quoted("it's"), r"'it\'s'");
        assert_eq!(quoted(r"a\b"), r"'a\\b'");
        assert_eq!(quoted("a\r\nb\tc"), r"'a\r\nb\tc'");
        assert_eq!(quoted("${x} $y {z}"), r"'\${x} $y {z}'");
        assert_eq!(quoted("\u{1b}[0m\u{7f}"), r"'\u{1B}[0m\u{7F}'");
        assert_eq!(quoted("é ü 漢"), "'é ü 漢'");
        assert_eq!(quoted("[DEV] Impossible travel [T1078]"), "'[DEV] Impossible travel [T1078]'");
    }

    #[test]
    fn multi_line_uses_verbatim_only_when_exact() {
        assert_eq!(string_literal("a\nb\n"), "'''\na\nb\n'''");
        assert_eq!(string_literal("\na\n"), "'''\n\na\n'''");
        assert_eq!(string_literal("a\n${b} \\ 'c'\td"), "'''\na\n${b} \\ 'c'\td'''");
        assert_eq!(string_literal("a\r\nb"), r"'a\r\nb'");
        assert_eq!(string_literal("a\n'''b"), r"'a\n\'\'\'b'");
        assert_eq!(string_literal("a\nb'"), r"'a\nb\''");
        assert_eq!(string_literal("one line"), "'one line'");
    }

    #[test]
    fn keys_are_quoted_when_not_identifiers() {
        assert_eq!(object_key("displayName"), "displayName");
        assert_eq!(object_key("_x1"), "_x1");
        assert_eq!(object_key("1x"), "'1x'");
        assert_eq!(object_key("a-b"), "'a-b'");
        assert_eq!(object_key("type"), "'type'");
        assert_eq!(object_key(""), "''");
    }
}
