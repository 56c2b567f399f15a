//! `wildcard-in-equality` (KQL218).
//!
//! ## What it flags
//!
//! `==`, `=~`, `!=` or `!~` with a string literal that starts or ends with `*`, such as
//! `FileName =~ "*.ps1"`.
//!
//! ## Why it matters
//!
//! KQL equality has no wildcards: `=~ "*.ps1"` is true only for a value that is literally
//! `*.ps1`, so the detection never fires (or, with `!=`, never filters).
//!
//! ## Example
//!
//! ```kql
//! DeviceFileEvents
//! | where FileName =~ "*.ps1"
//! ```
//!
//! ## Instead
//!
//! ```kql
//! DeviceFileEvents
//! | where FileName endswith ".ps1"
//! ```
//!
//! Use `startswith`, `endswith`, `contains` or `has` for the part around the `*`, or
//! `matches regex` for a real pattern.

use palisade_diagnostics::{Code, Severity};
use palisade_kql::SyntaxKind;

use super::syntax::{self, Binary};
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct WildcardInEquality;

/// The operator that matches the text around a `*` at the start, the end or both.
fn suggestion(value: &str, negated: bool) -> &'static str {
    let (leading, trailing) = (value.starts_with('*'), value.ends_with('*'));
    match (leading && trailing, leading, negated) {
        (true, _, false) => "contains",
        (true, _, true) => "!contains",
        (false, true, false) => "endswith",
        (false, true, true) => "!endswith",
        (false, false, false) => "startswith",
        (false, false, true) => "!startswith",
    }
}

impl Lint for WildcardInEquality {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL218"),
        name: "wildcard-in-equality",
        summary: "An equality test with a `*` that KQL does not treat as a wildcard",
        severity: Severity::Warning,
        group: Group::Correctness,
        fix: FixKind::None,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        for node in query.nodes(SyntaxKind::BinaryExpr) {
            let Some(binary) = Binary::of(node) else { continue };
            let operator = binary.operator();
            let negated = match operator.as_str() {
                "==" | "=~" => false,
                "!=" | "!~" => true,
                _ => continue,
            };
            let Some((_, value)) = syntax::string_rhs(&binary) else { continue };
            let text = value.trim_matches('*');
            if text.is_empty() || !(value.starts_with('*') || value.ends_with('*')) {
                continue;
            }

            let better = suggestion(&value, negated);
            let diag = ctx
                .diagnostic(&Self::META, node.range(), format!("`{operator}` treats the `*` in `{value}` as text"))
                .with_label(format!("matches only the literal text `{value}`"))
                .with_note("KQL equality has no wildcards, so the test is meant as a pattern but compares text")
                .with_help(format!("write `{better} {}`", syntax::quote(text)));
            ctx.push(diag);
        }
    }
}
