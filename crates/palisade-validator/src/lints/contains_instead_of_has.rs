//! `contains-instead-of-has` (KQL201).
//!
//! ## What it flags
//!
//! A `contains`, `contains_cs`, `!contains`, `!contains_cs`, `notcontains` or `notcontainscs`
//! test whose string literal is one whole term: three or more ASCII letters and digits, such as
//! `ProcessName contains "powershell"`.
//!
//! ## Why it matters
//!
//! Kusto keeps a term index over string columns.
//! `has` looks a whole term up in that index, while `contains` reads every value to find a
//! substring, which is much slower on large tables.
//! When the value you look for is a whole word, `has` says what you mean and runs faster.
//!
//! ## Example
//!
//! ```kql
//! SecurityEvent
//! | where CommandLine contains "mimikatz"
//! ```
//!
//! ## Instead
//!
//! ```kql
//! SecurityEvent
//! | where CommandLine has "mimikatz"
//! ```
//!
//! ## Fix safety
//!
//! The fix is unsafe: `has` matches whole terms only, so `has "admin"` no longer matches
//! `sysadmin`.
//! Keep `contains` where a match inside a longer word is wanted.
//!
//! ## Limitations
//!
//! The lint cannot know whether a match inside a longer word is intended, as in
//! `RoleName contains "Admin"` meant to match `Global Administrator`.
//! It flags every term-shaped literal except camel-case and encoded-looking ones
//! (`PowerShell`, `TVqQAAMAAAAEAAA`), which are usually parts of longer tokens.

use palisade_diagnostics::{Code, Severity};
use palisade_kql::SyntaxKind;

use super::syntax::{self, Binary};
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct ContainsInsteadOfHas;

/// The `has` operator that replaces a `contains` operator.
fn replacement(operator: &str) -> Option<&'static str> {
    Some(match operator {
        "contains" => "has",
        "contains_cs" => "has_cs",
        "!contains" | "notcontains" => "!has",
        "!contains_cs" | "notcontainscs" => "!has_cs",
        _ => return None,
    })
}

/// Whether `value` is shaped like one term of Kusto's index: ASCII letters and digits, three
/// or more, and not camel-case or encoded text (an upper-case letter after a lower-case one),
/// which is usually part of a longer token such as a base64 string.
fn is_term(value: &str) -> bool {
    let camel = value
        .as_bytes()
        .windows(2)
        .any(|pair| pair[0].is_ascii_lowercase() && pair[1].is_ascii_uppercase());
    value.len() >= 3 && value.bytes().all(|b| b.is_ascii_alphanumeric()) && !camel
}

impl Lint for ContainsInsteadOfHas {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL201"),
        name: "contains-instead-of-has",
        summary: "`contains` looks for a whole term that `has` finds through the term index",
        severity: Severity::Note,
        group: Group::Performance,
        fix: FixKind::Unsafe,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        for node in query.nodes(SyntaxKind::BinaryExpr) {
            let Some(binary) = Binary::of(node) else { continue };
            let operator = binary.operator();
            let Some(better) = replacement(&operator) else { continue };
            let Some((_, value)) = syntax::string_rhs(&binary) else { continue };
            if !is_term(&value) {
                continue;
            }

            let fix = ctx.fix(false, &[(binary.operator_range(), better)]);
            let mut diag = ctx
                .diagnostic(
                    &Self::META,
                    binary.operator_range(),
                    format!("`{operator}` scans for `{value}`; `{better}` is faster if it is a whole term"),
                )
                .with_label(format!("use `{better}`"))
                .with_note("`contains` scans every value for a substring; `has` uses the term index")
                .with_help(format!(
                    "write `{better}` unless `{value}` must also match inside longer words"
                ));
            diag.fix = fix;
            ctx.push(diag);
        }
    }
}
