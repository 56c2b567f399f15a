//! `null-check-on-string` (KQL217).
//!
//! ## What it flags
//!
//! `isnull()` or `isnotnull()` of an expression that always returns a string, such as
//! `isnotnull(tostring(Data.User))` or `isnull(extract("id=(\\d+)", 1, Message))`.
//!
//! ## Why it matters
//!
//! Kusto strings are never null: a missing value is the empty string.
//! So `isnotnull()` of a string is true on every row and `isnull()` is false on every row, and
//! the filter does nothing, often where the author meant to drop empty values.
//!
//! ## Example
//!
//! ```kql
//! AuditLogs
//! | where isnotnull(tostring(InitiatedBy.user.userPrincipalName))
//! ```
//!
//! ## Instead
//!
//! ```kql
//! AuditLogs
//! | where isnotempty(tostring(InitiatedBy.user.userPrincipalName))
//! ```
//!
//! ## Limitations
//!
//! Only calls of string functions are recognised; a `string` column is not checked yet.

use palisade_diagnostics::{Code, Severity};
use palisade_kql::SyntaxKind;

use super::syntax;
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct NullCheckOnString;

/// Functions that always return a string.
const STRING_FUNCTIONS: &[&str] = &[
    "tostring",
    "strcat",
    "strcat_delim",
    "tolower",
    "toupper",
    "trim",
    "trim_start",
    "trim_end",
    "substring",
    "replace_string",
    "replace_regex",
    "extract",
    "reverse",
    "url_decode",
    "url_encode",
    "base64_decode_tostring",
    "base64_encode_tostring",
];

impl Lint for NullCheckOnString {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL217"),
        name: "null-check-on-string",
        summary: "`isnull()` or `isnotnull()` of a string, which is never null",
        severity: Severity::Warning,
        group: Group::Correctness,
        fix: FixKind::None,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        for call in query.nodes(SyntaxKind::CallExpr) {
            let Some(check @ ("isnull" | "isnotnull")) = syntax::call_name(call) else { continue };
            let [argument] = syntax::list_items(call)[..] else { continue };
            let argument = syntax::unparen(argument);
            let Some(function) = syntax::call_name(argument) else { continue };
            if !STRING_FUNCTIONS.contains(&function) {
                continue;
            }

            let (always, better) =
                if check == "isnull" { ("false", "isempty") } else { ("true", "isnotempty") };
            let diag = ctx
                .diagnostic(
                    &Self::META,
                    call.range(),
                    format!("`{check}()` of the string `{function}()` returns is always {always}"),
                )
                .with_label(format!("always {always}"))
                .with_note("Kusto strings are never null; a missing value is the empty string")
                .with_help(format!("use `{better}()`"));
            ctx.push(diag);
        }
    }
}
