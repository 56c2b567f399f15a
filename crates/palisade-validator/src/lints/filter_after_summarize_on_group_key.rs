//! `filter-after-summarize-on-group-key` (KQL206).
//!
//! ## What it flags
//!
//! A `where` right after a `summarize` that tests only `by` columns passed through unchanged,
//! such as `summarize count() by Account | where Account != "system"`.
//!
//! ## Why it matters
//!
//! A group key keeps the value it had on every row of its group, so the same filter gives the
//! same result before the `summarize`.
//! Filtering first means the aggregation reads and groups fewer rows, which is often the most
//! expensive step of a detection.
//!
//! ## Example
//!
//! ```kql
//! SigninLogs
//! | summarize Failures = count() by UserPrincipalName
//! | where UserPrincipalName !endswith "@contoso.com"
//! ```
//!
//! ## Instead
//!
//! ```kql
//! SigninLogs
//! | where UserPrincipalName !endswith "@contoso.com"
//! | summarize Failures = count() by UserPrincipalName
//! ```
//!
//! ## Limitations
//!
//! Only plain `by` columns count: a key computed in the `by` clause (`bin(TimeGenerated, 1h)`,
//! `Name = tolower(Name)`) has another value than the input column of the same name.

use std::collections::HashSet;

use palisade_diagnostics::{Code, Severity};
use palisade_kql::ast::{Name, PipeExpr};
use palisade_kql::{SyntaxKind, SyntaxNode};

use super::syntax;
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct FilterAfterSummarizeOnGroupKey;

/// The `by` columns of a `summarize` that pass an input column through unchanged.
fn plain_keys(summarize: SyntaxNode<'_>) -> HashSet<&str> {
    let Some(by) = summarize.child(SyntaxKind::ByClause) else {
        return HashSet::new();
    };
    by.children().filter_map(Name::cast).filter_map(Name::text).collect()
}

impl Lint for FilterAfterSummarizeOnGroupKey {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL206"),
        name: "filter-after-summarize-on-group-key",
        summary: "A `where` after `summarize` tests only group keys and could run first",
        severity: Severity::Note,
        group: Group::Performance,
        fix: FixKind::None,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        for pipe in query.nodes(SyntaxKind::PipeExpr).filter_map(PipeExpr::cast) {
            let operators: Vec<_> = pipe.operators().collect();
            for pair in operators.windows(2) {
                let (summarize, filter) = (pair[0], pair[1]);
                if summarize.kind() != SyntaxKind::SummarizeOp
                    || filter.kind() != SyntaxKind::WhereOp
                {
                    continue;
                }
                let keys = plain_keys(summarize);
                let Some(predicate) = filter.children().next() else { continue };
                let used = syntax::used_names(predicate);
                if used.is_empty()
                    || syntax::has_indirect_column_use(predicate)
                    || !used.iter().all(|name| keys.contains(name))
                {
                    continue;
                }

                let Some(keyword) = filter.first_token() else { continue };
                let diag = ctx
                    .diagnostic(
                        &Self::META,
                        keyword.range().start..filter.range().end,
                        "This `where` tests only group keys of the `summarize` before it",
                    )
                    .with_label("could run before the `summarize`")
                    .with_secondary(ctx.span(summarize.range()), "grouped here")
                    .with_note("a group key has the same value on every row of its group")
                    .with_help("move the `where` above the `summarize` so fewer rows are grouped");
                ctx.push(diag);
            }
        }
    }
}
