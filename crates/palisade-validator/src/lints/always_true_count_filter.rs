//! `always-true-count-filter` (KQL214).
//!
//! ## What it flags
//!
//! `where Count > 0`, `where Count >= 1` or `where Count != 0` right after a
//! `summarize Count = count() by ...` (or `count_` for an unnamed `count()`).
//!
//! ## Why it matters
//!
//! `summarize ... by` makes one row per group that has rows, so every `count()` it outputs is at
//! least 1 and the filter removes nothing.
//! It usually stands where a real threshold was meant, such as `Count > 5`, so the detection
//! fires on every single event.
//!
//! ## Example
//!
//! ```kql
//! SigninLogs
//! | summarize Failures = count() by UserPrincipalName
//! | where Failures > 0
//! ```
//!
//! ## Instead
//!
//! ```kql
//! SigninLogs
//! | summarize Failures = count() by UserPrincipalName
//! | where Failures > 10
//! ```
//!
//! Or delete the `where`.
//!
//! ## Limitations
//!
//! A `summarize` without `by` is not flagged: it outputs one row even for empty input, with a
//! count of 0.

use std::collections::HashSet;

use palisade_diagnostics::{Code, Severity};
use palisade_kql::ast::{Name, NamedExpr, PipeExpr};
use palisade_kql::{SyntaxKind, SyntaxNode};

use super::syntax::{self, Binary};
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct AlwaysTrueCountFilter;

/// Whether `node` is `count()` with no argument.
fn is_count(node: SyntaxNode<'_>) -> bool {
    syntax::call_name(node) == Some("count") && syntax::list_items(node).is_empty()
}

/// The output names of the `count()` aggregates of a `summarize ... by`.
fn count_columns(summarize: SyntaxNode<'_>) -> HashSet<&str> {
    let mut names = HashSet::new();
    if summarize.child(SyntaxKind::ByClause).is_none() {
        return names;
    }
    for item in summarize.children() {
        if is_count(item) {
            names.insert("count_");
        }
        let Some(named) = NamedExpr::cast(item) else { continue };
        if named.value().is_some_and(is_count) {
            names.extend(named.names().filter_map(Name::text));
        }
    }
    names
}

/// Whether `node` is `<name> > 0`, `<name> >= 1` or `<name> != 0` for a name in `counts`.
fn is_always_true(node: SyntaxNode<'_>, counts: &HashSet<&str>) -> bool {
    let Some(binary) = Binary::of(node) else { return false };
    let lhs = syntax::unparen(binary.lhs);
    let name = Name::cast(lhs).and_then(Name::text);
    if !name.is_some_and(|name| counts.contains(name)) {
        return false;
    }
    let rhs = syntax::unparen(binary.rhs);
    let is_long = rhs.first_token().is_some_and(|token| token.kind() == SyntaxKind::LongLit);
    matches!(
        (binary.operator().as_str(), is_long.then(|| rhs.text())),
        (">" | "!=" | "<>", Some("0")) | (">=", Some("1"))
    )
}

impl Lint for AlwaysTrueCountFilter {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL214"),
        name: "always-true-count-filter",
        summary: "A `where` after `summarize count() by` that every group passes",
        severity: Severity::Warning,
        group: Group::Suspicious,
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
                let counts = count_columns(summarize);
                let Some(predicate) = filter.children().next() else { continue };
                for part in syntax::conjuncts(predicate) {
                    if !is_always_true(part, &counts) {
                        continue;
                    }
                    let diag = ctx
                        .diagnostic(&Self::META, part.range(), format!("`{}` is true for every group", syntax::one_line(part)))
                        .with_label("always true")
                        .with_secondary(ctx.span(summarize.range()), "every group here has at least one row")
                        .with_note("`summarize ... by` outputs only groups with rows, so `count()` is at least 1")
                        .with_help("use the threshold the detection needs, or delete the test");
                    ctx.push(diag);
                }
            }
        }
    }
}
