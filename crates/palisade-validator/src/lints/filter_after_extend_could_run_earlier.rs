//! `filter-after-extend-could-run-earlier` (KQL205).
//!
//! ## What it flags
//!
//! A `where` right after one or more `extend` operators that uses none of the columns they
//! compute.
//!
//! ## Why it matters
//!
//! The `extend` computes its columns for every row, including the rows the `where` then drops.
//! Filtering first lets the `extend` run on fewer rows, and shows the reader which rows the
//! detection is about before how they are shaped.
//! Kusto's optimizer reorders some of these, but not across every expression.
//!
//! ## Example
//!
//! ```kql
//! SecurityEvent
//! | extend Account = tolower(TargetUserName)
//! | where EventID == 4625
//! ```
//!
//! ## Instead
//!
//! ```kql
//! SecurityEvent
//! | where EventID == 4625
//! | extend Account = tolower(TargetUserName)
//! ```
//!
//! ## Limitations
//!
//! The lint looks only at a `where` directly after `extend` operators, and skips an `extend` with a
//! column it cannot name (an expression without `name =`), an `extend` that uses the
//! neighbouring rows (`prev()`, `next()`, `row_number()`) or random values, and a `where` that
//! reads columns indirectly (`column_ifexists()`, `*`).

use std::collections::HashSet;

use palisade_diagnostics::{Code, Severity};
use palisade_kql::ast::{NamedExpr, PipeExpr};
use palisade_kql::{SyntaxKind, SyntaxNode};

use super::syntax;
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct FilterAfterExtendCouldRunEarlier;

/// Functions whose value depends on the neighbouring rows or on nothing at all: filtering
/// first would change what an `extend` computes with them.
const ROW_DEPENDENT_FUNCTIONS: &[&str] = &[
    "prev",
    "next",
    "row_number",
    "row_cumsum",
    "row_rank_dense",
    "row_rank_min",
    "row_window_session",
    "rand",
    "new_guid",
];

/// Whether `node` calls a function from [`ROW_DEPENDENT_FUNCTIONS`].
fn uses_row_dependent_function(node: SyntaxNode<'_>) -> bool {
    node.descendants().any(|node| {
        syntax::call_name(node).is_some_and(|name| ROW_DEPENDENT_FUNCTIONS.contains(&name))
    })
}

impl Lint for FilterAfterExtendCouldRunEarlier {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL205"),
        name: "filter-after-extend-could-run-earlier",
        summary: "A `where` after `extend` uses no computed column and could run first",
        severity: Severity::Note,
        group: Group::Performance,
        fix: FixKind::None,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        for pipe in query.nodes(SyntaxKind::PipeExpr).filter_map(PipeExpr::cast) {
            let operators: Vec<_> = pipe.operators().collect();
            for (idx, filter) in operators.iter().copied().enumerate() {
                if filter.kind() != SyntaxKind::WhereOp {
                    continue;
                }
                // The run of `extend`s right before the `where`: it could move above all of them.
                let n_extends = operators[..idx]
                    .iter()
                    .rev()
                    .take_while(|op| op.kind() == SyntaxKind::ExtendOp)
                    .count();
                if n_extends == 0 {
                    continue;
                }
                let extends = &operators[idx - n_extends..idx];
                let mut computed = HashSet::new();
                let mut all_named = true;
                for item in extends.iter().flat_map(|extend| extend.children()) {
                    match NamedExpr::cast(item) {
                        Some(named) => computed.extend(named.names().filter_map(|n| n.text())),
                        None => all_named = false,
                    }
                }
                let Some(predicate) = filter.children().next() else { continue };
                let used = syntax::used_names(predicate);
                if !all_named
                    || extends.iter().any(|extend| uses_row_dependent_function(*extend))
                    || computed.is_empty()
                    || used.is_empty()
                    || syntax::has_indirect_column_use(predicate)
                    || used.iter().any(|name| computed.contains(name))
                {
                    continue;
                }

                let Some(keyword) = filter.first_token() else { continue };
                let diag = ctx
                    .diagnostic(
                        &Self::META,
                        keyword.range().start..filter.range().end,
                        "This `where` uses no column the `extend` before it computes",
                    )
                    .with_label("could run before the `extend`")
                    .with_secondary(
                        ctx.span(extends[0].range().start..extends[n_extends - 1].range().end),
                        "computed here",
                    )
                    .with_note("the `extend` computes its columns for rows the `where` then drops")
                    .with_help("move the `where` above the `extend`");
                ctx.push(diag);
            }
        }
    }
}
