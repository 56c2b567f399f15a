//! `duplicate-predicate` (KQL215).
//!
//! ## What it flags
//!
//! The same test written twice in one `and` chain, within one `where` or across consecutive
//! `where` operators, such as `where EventID == 4625 and EventID == 4625`.
//!
//! ## Why it matters
//!
//! The repeat changes nothing, so it is usually a copy-and-paste slip where another test was
//! meant: a second value, another column or `or` instead of `and`.
//!
//! ## Example
//!
//! ```kql
//! SecurityEvent
//! | where EventID == 4624 and LogonType == 10 and EventID == 4624
//! ```
//!
//! ## Instead
//!
//! ```kql
//! SecurityEvent
//! | where EventID == 4624 and LogonType == 10
//! ```
//!
//! ## Limitations
//!
//! Tests are compared as written, ignoring whitespace and comments; `a == 1` and `1 == a` are
//! not recognised as the same.

use std::collections::HashMap;

use palisade_diagnostics::{Code, Severity};
use palisade_kql::SyntaxKind;
use palisade_kql::ast::PipeExpr;

use super::syntax;
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct DuplicatePredicate;

impl Lint for DuplicatePredicate {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL215"),
        name: "duplicate-predicate",
        summary: "The same test is written twice in one chain of filters",
        severity: Severity::Warning,
        group: Group::Suspicious,
        fix: FixKind::None,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        for pipe in query.nodes(SyntaxKind::PipeExpr).filter_map(PipeExpr::cast) {
            let mut seen: HashMap<String, std::ops::Range<u32>> = HashMap::new();
            for operator in pipe.operators() {
                if operator.kind() != SyntaxKind::WhereOp {
                    seen.clear();
                    continue;
                }
                let Some(predicate) = operator.children().next() else { continue };
                for part in syntax::conjuncts(predicate) {
                    let key = syntax::normalized_text(part);
                    let Some(first) = seen.get(&key) else {
                        seen.insert(key, part.range());
                        continue;
                    };

                    let diag = ctx
                        .diagnostic(
                            &Self::META,
                            part.range(),
                            format!("`{}` is tested twice", syntax::one_line(part)),
                        )
                        .with_label("repeated")
                        .with_secondary(ctx.span(first.clone()), "first tested here")
                        .with_note(
                            "the second test changes nothing; another test was probably meant",
                        )
                        .with_help("delete the repeat, or write the test that was meant");
                    ctx.push(diag);
                }
            }
        }
    }
}
