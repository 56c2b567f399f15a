//! `case-conversion-for-comparison` (KQL210).
//!
//! ## What it flags
//!
//! `tolower(x) == "literal"`, `toupper(x) == "LITERAL"` and their `!=` forms.
//!
//! ## Why it matters
//!
//! Converting the column computes a new string for every row, and the comparison then cannot
//! use the column's index; `=~` compares case-insensitively without the conversion.
//! When the literal itself is not in the converted case, as in `tolower(x) == "Admin"`, the
//! test can never be true and the detection never fires.
//!
//! ## Example
//!
//! ```kql
//! SecurityEvent
//! | where tolower(Account) == "administrator"
//! ```
//!
//! ## Instead
//!
//! ```kql
//! SecurityEvent
//! | where Account =~ "administrator"
//! ```
//!
//! ## Limitations
//!
//! Other conversions (`trim()`, `tostring()`) around the column are not looked through.

use palisade_diagnostics::{Code, Severity};
use palisade_kql::SyntaxKind;

use super::syntax::{self, Binary};
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct CaseConversionForComparison;

impl Lint for CaseConversionForComparison {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL210"),
        name: "case-conversion-for-comparison",
        summary: "`tolower(x) == \"...\"` where `x =~ \"...\"` compares without converting",
        severity: Severity::Warning,
        group: Group::Performance,
        fix: FixKind::None,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        for node in query.nodes(SyntaxKind::BinaryExpr) {
            let Some(binary) = Binary::of(node) else { continue };
            let operator = binary.operator();
            let better = match operator.as_str() {
                "==" => "=~",
                "!=" => "!~",
                _ => continue,
            };
            let call = syntax::unparen(binary.lhs);
            let Some(function @ ("tolower" | "toupper")) = syntax::call_name(call) else {
                continue;
            };
            let [argument] = syntax::list_items(call)[..] else { continue };
            let Some(value) = syntax::string_value(syntax::unparen(binary.rhs)) else {
                continue;
            };

            let converted =
                if function == "tolower" { value.to_lowercase() } else { value.to_uppercase() };
            let never = converted != value;
            let message = if never {
                format!("`{function}()` is compared with `{value}`, which it can never return")
            } else {
                format!("`{function}()` is converted only to compare; `{better}` does that")
            };
            let note = if never {
                format!(
                    "`{function}()` returns no {} letters, so `{operator}` is {} on every row",
                    if function == "tolower" { "upper-case" } else { "lower-case" },
                    if operator == "==" { "false" } else { "true" }
                )
            } else {
                "the conversion builds a new string for every row; `=~` and `!~` compare \
                 case-insensitively without it"
                    .to_owned()
            };
            let diag = ctx
                .diagnostic(&Self::META, node.range(), message)
                .with_label(if never { "never true as written" } else { "converted to compare" })
                .with_note(note)
                .with_help(format!("write `{} {better} {}`", argument.text(), binary.rhs.text()));
            ctx.push(diag);
        }
    }
}
