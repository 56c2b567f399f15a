//! `case-insensitive-compare-without-letters` (KQL211).
//!
//! ## What it flags
//!
//! `=~`, `!~`, `in~` or `!in~` with string literals that hold no letters, such as
//! `EventID =~ "4624"` or `RemoteIP =~ "10.0.0.1"`.
//!
//! ## Why it matters
//!
//! A value without letters has no case, so the case-insensitive operator gives the same answer
//! as `==` while doing more work per row.
//! It also suggests to readers that the case of the value matters.
//!
//! ## Example
//!
//! ```kql
//! SecurityEvent
//! | where Port =~ "3389"
//! ```
//!
//! ## Instead
//!
//! ```kql
//! SecurityEvent
//! | where Port == "3389"
//! ```
//!
//! ## Fix safety
//!
//! The fix is safe: for values without letters `==` and `=~` agree.
//! It is offered where the operator's bytes are written as-is in the YAML file.

use palisade_diagnostics::{Code, Severity};
use palisade_kql::{SyntaxKind, SyntaxNode};

use super::syntax::{self, Binary};
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct CaseInsensitiveCompareWithoutLetters;

/// Whether `node` is a string literal holding no letters (and not empty).
fn caseless_literal(node: SyntaxNode<'_>) -> bool {
    syntax::string_value(syntax::unparen(node))
        .is_some_and(|value| !value.is_empty() && !value.chars().any(char::is_alphabetic))
}

impl Lint for CaseInsensitiveCompareWithoutLetters {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL211"),
        name: "case-insensitive-compare-without-letters",
        summary: "A case-insensitive comparison with a value that has no letters",
        severity: Severity::Note,
        group: Group::Performance,
        fix: FixKind::Safe,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        for node in query.root().descendants() {
            let (operator, range, values) = match node.kind() {
                SyntaxKind::BinaryExpr => {
                    let Some(binary) = Binary::of(node) else { continue };
                    (binary.operator(), binary.operator_range(), vec![binary.rhs])
                }
                SyntaxKind::InExpr => {
                    let Some(keyword) = node.tokens().next() else { continue };
                    let Some(list) = node.child(SyntaxKind::ExprList) else { continue };
                    (keyword.text().to_owned(), keyword.range(), list.children().collect())
                }
                _ => continue,
            };
            let better = match operator.as_str() {
                "=~" => "==",
                "!~" => "!=",
                "in~" => "in",
                "!in~" => "!in",
                _ => continue,
            };
            if values.is_empty() || !values.iter().all(|value| caseless_literal(*value)) {
                continue;
            }

            let fix = ctx.fix(true, &[(range.clone(), better)]);
            let mut diag = ctx
                .diagnostic(
                    &Self::META,
                    range,
                    format!("`{operator}` compares a value that has no letters"),
                )
                .with_label(format!("`{better}` gives the same result"))
                .with_note("a value without letters has no case, so case-insensitive matching only adds work")
                .with_help(format!("write `{better}`"));
            diag.fix = fix;
            ctx.push(diag);
        }
    }
}
