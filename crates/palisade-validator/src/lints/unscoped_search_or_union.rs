//! `unscoped-search-or-union` (KQL202).
//!
//! ## What it flags
//!
//! A `search` or `find` that starts a query without `in (...)`, `search *`, and `union *`:
//! operators that read every table in the workspace.
//!
//! ## Why it matters
//!
//! Reading every table is the slowest query there is, and its cost grows with every data
//! source anyone adds to the workspace.
//! Such a query can also start matching data it was never written for, and its output columns
//! change when new tables appear, which breaks entity mappings.
//!
//! ## Example
//!
//! ```kql
//! search "mimikatz"
//! | where TimeGenerated > ago(1d)
//! ```
//!
//! ## Instead
//!
//! ```kql
//! search in (SecurityEvent, DeviceProcessEvents) "mimikatz"
//! | where TimeGenerated > ago(1d)
//! ```

use std::collections::HashSet;

use palisade_diagnostics::{Code, Severity};
use palisade_kql::{SyntaxKind, SyntaxNode};

use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct UnscopedSearchOrUnion;

/// Whether a `union` operand is the bare wildcard `*`.
fn is_star(node: SyntaxNode<'_>) -> bool {
    matches!(node.kind(), SyntaxKind::NamePattern | SyntaxKind::NameRef) && node.text() == "*"
}

impl Lint for UnscopedSearchOrUnion {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL202"),
        name: "unscoped-search-or-union",
        summary: "`search`, `find` or `union *` reads every table in the workspace",
        severity: Severity::Warning,
        group: Group::Performance,
        fix: FixKind::None,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        // A `search` after `|` reads only its input, so it is scoped already.
        let piped: HashSet<u32> = query
            .nodes(SyntaxKind::PipeExpr)
            .flat_map(|pipe| pipe.children().skip(1))
            .map(|node| node.range().start)
            .collect();
        for node in query.root().descendants() {
            let (keyword, unscoped) = match node.kind() {
                SyntaxKind::SearchOp | SyntaxKind::FindOp => (
                    if node.kind() == SyntaxKind::SearchOp { "search" } else { "find" },
                    !piped.contains(&node.range().start) && node.keyword("in").is_none(),
                ),
                SyntaxKind::UnionOp => ("union", node.children().any(is_star)),
                _ => continue,
            };
            if !unscoped {
                continue;
            }

            let Some(token) = node.first_token() else { continue };
            let diag = ctx
                .diagnostic(
                    &Self::META,
                    token.range(),
                    format!("`{keyword}` reads every table in the workspace"),
                )
                .with_label("no table list")
                .with_note(
                    "a query over every table is slow, grows with the workspace and can match \
                     data it was not written for",
                )
                .with_help(if keyword == "union" {
                    "name the tables, or use a prefix such as `Device*`".to_owned()
                } else {
                    format!("name the tables: `{keyword} in (Table1, Table2) ...`")
                });
            ctx.push(diag);
        }
    }
}
