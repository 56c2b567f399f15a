//! `deprecated-function` (KQL219).
//!
//! ## What it flags
//!
//! A call of a function Kusto has deprecated in favour of a new name, such as `makeset()`,
//! `makelist()`, `parsejson()`, `pack()`, `any()` or `replace()`.
//!
//! ## Why it matters
//!
//! Deprecated functions still run, but Kusto's own editor warns about each one and its
//! documentation sends readers to the replacement.
//! New content should use the current names, so the query reads the way the docs do.
//!
//! ## Example
//!
//! ```kql
//! SigninLogs
//! | summarize IPs = makeset(IPAddress) by UserPrincipalName
//! ```
//!
//! ## Instead
//!
//! ```kql
//! SigninLogs
//! | summarize IPs = make_set(IPAddress) by UserPrincipalName
//! ```
//!
//! ## Fix safety
//!
//! The fix renames the function and is safe: each renamed function takes the same arguments
//! as its replacement.
//! `replace()` gets no fix, because `replace_regex()` and `replace_string()` take their
//! arguments in another order.
//!
//! ## Limitations
//!
//! A function the query declares itself with `let` under a deprecated name is not flagged.

use std::collections::HashSet;

use palisade_diagnostics::{Code, Severity};
use palisade_kql::SyntaxKind;
use palisade_kql::ast::{Query, Statement};

use super::syntax;
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct DeprecatedFunction;

/// Deprecated names, their replacement, and whether the replacement takes the same arguments.
#[rustfmt::skip]
const DEPRECATED: &[(&str, &str, bool)] = &[
    ("any", "take_any", true),
    ("argmax", "arg_max", true),
    ("argmin", "arg_min", true),
    ("arraylength", "array_length", true),
    ("base64_decodestring", "base64_decode_tostring", true),
    ("columnifexists", "column_ifexists", true),
    ("make_string", "unicode_codepoints_to_string", true),
    ("makelist", "make_list", true),
    ("makeset", "make_set", true),
    ("notempty", "isnotempty", true),
    ("pack", "bag_pack", true),
    ("pack_dictionary", "bag_pack", true),
    ("parsejson", "parse_json", true),
    ("replace", "replace_regex", false),
    ("row_rank", "row_rank_dense", true),
];

impl Lint for DeprecatedFunction {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL219"),
        name: "deprecated-function",
        summary: "A function Kusto has deprecated in favour of a new name",
        severity: Severity::Note,
        group: Group::Style,
        fix: FixKind::Safe,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        let declared: HashSet<&str> = Query::cast(query.root())
            .map(|root| {
                root.statements()
                    .filter_map(|statement| match statement {
                        Statement::Let(binding) => binding.name()?.text(),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        for call in query.nodes(SyntaxKind::CallExpr) {
            let Some(name) = syntax::call_name(call) else { continue };
            let Some(&(_, replacement, same_arguments)) =
                DEPRECATED.iter().find(|(deprecated, ..)| *deprecated == name)
            else {
                continue;
            };
            if declared.contains(name) {
                continue;
            }
            let Some(callee) = call.children().next() else { continue };

            let fix =
                if same_arguments { ctx.fix(true, &[(callee.range(), replacement)]) } else { None };
            let help = if same_arguments {
                format!("write `{replacement}()`; it takes the same arguments")
            } else {
                "write `replace_regex(text, regex, rewrite)` or `replace_string(text, lookup, \
                 rewrite)`: the text moves to the first argument"
                    .to_owned()
            };
            let mut diag = ctx
                .diagnostic(
                    &Self::META,
                    callee.range(),
                    format!("`{name}()` is deprecated; use `{replacement}()`"),
                )
                .with_label("deprecated")
                .with_note("Kusto's editor warns about deprecated functions, and its docs use the new name")
                .with_help(help);
            diag.fix = fix;
            ctx.push(diag);
        }
    }
}
