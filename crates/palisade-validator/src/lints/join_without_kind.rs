//! `join-without-kind` (KQL203).
//!
//! ## What it flags
//!
//! A `join` that does not say `kind=`.
//!
//! ## Why it matters
//!
//! Without `kind=`, Kusto runs an `innerunique` join: it keeps one arbitrary row per join key
//! from the left side before matching.
//! Readers from SQL expect an inner join, so a detection can silently drop the matches of every
//! left row but one, and miss alerts.
//!
//! ## Example
//!
//! ```kql
//! SigninLogs
//! | join (AuditLogs) on CorrelationId
//! ```
//!
//! ## Instead
//!
//! ```kql
//! SigninLogs
//! | join kind=inner (AuditLogs) on CorrelationId
//! ```
//!
//! Write `kind=innerunique` when keeping one left row per key is what you want.

use palisade_diagnostics::{Code, Severity};
use palisade_kql::SyntaxKind;

use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct JoinWithoutKind;

impl Lint for JoinWithoutKind {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL203"),
        name: "join-without-kind",
        summary: "A `join` without `kind=` deduplicates its left side by key",
        severity: Severity::Warning,
        group: Group::Suspicious,
        fix: FixKind::None,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        for join in query.nodes(SyntaxKind::JoinOp) {
            let has_kind = join.children().any(|param| {
                param.kind() == SyntaxKind::OpParam
                    && param.first_token().is_some_and(|token| token.text() == "kind")
            });
            if has_kind {
                continue;
            }

            let Some(keyword) = join.first_token() else { continue };
            let diag = ctx
                .diagnostic(&Self::META, keyword.range(), "`join` without `kind=` is an `innerunique` join")
                .with_label("no `kind=`")
                .with_note(
                    "`innerunique` keeps one arbitrary left row per key, so matches of the other \
                     rows are dropped",
                )
                .with_help("write `kind=inner` for every match, or `kind=innerunique` if deduplication is meant");
            ctx.push(diag);
        }
    }
}
