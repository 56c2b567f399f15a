//! `ago-past-query-period` (KQL207).
//!
//! ## What it flags
//!
//! In a scheduled analytics rule, `ago()` with a timespan longer than the rule's `queryPeriod`,
//! written directly (`ago(30d)`) or through a `let` of a timespan literal.
//!
//! ## Why it matters
//!
//! Sentinel runs a scheduled rule's query over the last `queryPeriod` of data only.
//! A filter such as `TimeGenerated > ago(30d)` in a rule with `queryPeriod: 14d` reads 14 days,
//! not 30: a baseline built over that window is shorter than the author thinks, and rare
//! events outside it are never seen.
//!
//! ## Example
//!
//! ```kql
//! // queryPeriod: 1d
//! SigninLogs
//! | where TimeGenerated > ago(7d)
//! ```
//!
//! ## Instead
//!
//! Raise `queryPeriod` to the lookback the query needs (at most 14 days), or shorten the
//! lookback to `queryPeriod`:
//!
//! ```kql
//! SigninLogs
//! | where TimeGenerated > ago(1d)
//! ```
//!
//! ## Limitations
//!
//! Only `ago()` of a timespan literal, or of a `let` name bound to one, is checked.

use std::collections::HashMap;

use palisade_diagnostics::{Code, Severity};
use palisade_kql::ast::{Query, Statement};
use palisade_kql::{SyntaxKind, SyntaxNode};
use palisade_spec::SpecKind;

use super::syntax;
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct AgoPastQueryPeriod;

/// The length in seconds of a timespan literal node.
fn literal_seconds(node: SyntaxNode<'_>) -> Option<f64> {
    let node = syntax::unparen(node);
    let token = node.first_token()?;
    (node.kind() == SyntaxKind::Literal && token.kind() == SyntaxKind::TimespanLit)
        .then(|| syntax::timespan_seconds(token.text()))
        .flatten()
}

impl Lint for AgoPastQueryPeriod {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL207"),
        name: "ago-past-query-period",
        summary: "`ago()` reaches further back than the rule's `queryPeriod`",
        severity: Severity::Warning,
        group: Group::Correctness,
        fix: FixKind::None,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        let (SpecKind::AnalyticsRule, Some(period)) =
            (ctx.target.spec_kind, ctx.target.query_period)
        else {
            return;
        };
        let Some(root) = Query::cast(query.root()) else { return };

        let mut timespans = HashMap::new();
        for statement in root.statements() {
            let Statement::Let(binding) = statement else { continue };
            let name = binding.name().and_then(|name| name.text());
            let seconds = binding.value().and_then(literal_seconds);
            if let (Some(name), Some(seconds)) = (name, seconds) {
                timespans.insert(name, seconds);
            }
        }

        let period_seconds = period.as_secs() as f64;
        for call in query.nodes(SyntaxKind::CallExpr) {
            if syntax::call_name(call) != Some("ago") {
                continue;
            }
            let [argument] = syntax::list_items(call)[..] else { continue };
            let argument = syntax::unparen(argument);
            let seconds = match argument.kind() {
                SyntaxKind::NameRef => timespans.get(argument.text()).copied(),
                _ => literal_seconds(argument),
            };
            if !seconds.is_some_and(|seconds| seconds > period_seconds) {
                continue;
            };

            let diag = ctx
                .diagnostic(
                    &Self::META,
                    call.range(),
                    format!(
                        "`{}` reaches past the rule's `queryPeriod` of {}",
                        call.text(),
                        period.to_human()
                    ),
                )
                .with_label("longer than `queryPeriod`")
                .with_note(
                    "Sentinel gives a scheduled rule's query only the last `queryPeriod` of data",
                )
                .with_help(
                    "raise `queryPeriod` to the lookback the query needs, or shorten the lookback",
                );
            ctx.push(diag);
        }
    }
}
