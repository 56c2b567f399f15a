//! `take-in-analytics-rule` (KQL216).
//!
//! ## What it flags
//!
//! `take` or `limit` in the final query of an analytics rule (not inside a subquery).
//!
//! ## Why it matters
//!
//! Each row an analytics rule returns can become an alert.
//! `take` keeps an arbitrary subset of rows, so the rule silently drops alerts, and which ones
//! change from run to run.
//! In a hunting query, where a person reads the rows, it is fine.
//!
//! ## Example
//!
//! ```kql
//! SecurityEvent
//! | where EventID == 4625
//! | take 100
//! ```
//!
//! ## Instead
//!
//! Summarize instead of truncating, so every affected entity is still reported:
//!
//! ```kql
//! SecurityEvent
//! | where EventID == 4625
//! | summarize Failures = count() by TargetAccount
//! ```
//!
//! Or use `top N by ...` when only the largest results matter, so the choice is deliberate.

use palisade_diagnostics::{Code, Severity};
use palisade_kql::SyntaxKind;
use palisade_kql::ast::{PipeExpr, Query, Statement};
use palisade_spec::SpecKind;

use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct TakeInAnalyticsRule;

impl Lint for TakeInAnalyticsRule {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL216"),
        name: "take-in-analytics-rule",
        summary: "`take` or `limit` drops rows an analytics rule would alert on",
        severity: Severity::Warning,
        group: Group::Correctness,
        fix: FixKind::None,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        if ctx.target.spec_kind != SpecKind::AnalyticsRule {
            return;
        }
        let Some(root) = Query::cast(query.root()) else { return };
        let last = root.statements().filter_map(|statement| match statement {
            Statement::Expr(expr) => expr.expr(),
            _ => None,
        });
        let Some(pipe) = last.last().and_then(PipeExpr::cast) else { return };
        for operator in pipe.operators().filter(|op| op.kind() == SyntaxKind::TakeOp) {
            let Some(keyword) = operator.first_token() else { continue };
            let diag = ctx
                .diagnostic(
                    &Self::META,
                    operator.range(),
                    format!("`{}` drops rows this analytics rule would alert on", keyword.text()),
                )
                .with_label("keeps an arbitrary subset of rows")
                .with_note("each result row can raise an alert; the rows `take` drops are lost, and which ones varies")
                .with_help("summarize by the entity instead, or use `top N by ...` if truncating is deliberate");
            ctx.push(diag);
        }
    }
}
