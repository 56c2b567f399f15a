//! `unused-let` (KQL208).
//!
//! ## What it flags
//!
//! A `let` statement whose name nothing after it uses.
//!
//! ## Why it matters
//!
//! An unused `let` is often a filter the author meant to apply: an allow list, an exclusion
//! table or a threshold that the query never reads, so the detection is broader than it looks.
//! At best it is dead code that reviewers have to read.
//!
//! ## Example
//!
//! ```kql
//! let AllowedAccounts = dynamic(["svc-backup"]);
//! SecurityEvent
//! | where EventID == 4625
//! ```
//!
//! ## Instead
//!
//! ```kql
//! let AllowedAccounts = dynamic(["svc-backup"]);
//! SecurityEvent
//! | where EventID == 4625
//! | where TargetUserName !in (AllowedAccounts)
//! ```
//!
//! Or delete the `let`.
//!
//! ## Limitations
//!
//! Only top-level `let` statements are checked, and a string literal that spells the name
//! (as in `table("Name")`) counts as a use.

use palisade_diagnostics::{Code, Severity};
use palisade_kql::SyntaxKind;
use palisade_kql::ast::{Query, Statement};

use super::syntax;
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct UnusedLet;

impl Lint for UnusedLet {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL208"),
        name: "unused-let",
        summary: "A `let` name is never used",
        severity: Severity::Warning,
        group: Group::Suspicious,
        fix: FixKind::None,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        let Some(root) = Query::cast(query.root()) else { return };
        for statement in root.statements() {
            let Statement::Let(binding) = statement else { continue };
            let Some(name) = binding.name() else { continue };
            let Some(text) = name.text() else { continue };
            let after = binding.syntax().range().end;
            let used = query.root().descendant_tokens().any(|token| {
                token.range().start >= after
                    && match token.kind() {
                        SyntaxKind::Ident => token.text() == text,
                        SyntaxKind::StringLit => token.text().contains(text),
                        _ => false,
                    }
            });
            let used = used
                || query.nodes(SyntaxKind::Literal).any(|literal| {
                    literal.range().start >= after
                        && syntax::string_value(literal).is_some_and(|value| value == text)
                });
            if used {
                continue;
            }

            let diag = ctx
                .diagnostic(&Self::META, name.syntax().range(), format!("`{text}` is never used"))
                .with_label("declared here")
                .with_note(
                    "an unused `let` is often a filter or allow list the query was meant to apply",
                )
                .with_help(format!("use `{text}` in the query, or delete the `let`"));
            ctx.push(diag);
        }
    }
}
