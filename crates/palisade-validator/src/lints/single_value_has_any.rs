//! `single-value-has-any` (KQL212).
//!
//! ## What it flags
//!
//! `has_any` or `has_all` with exactly one literal value, written directly
//! (`has_any ("x")`) or as a one-element `dynamic(["x"])`.
//!
//! ## Why it matters
//!
//! With one value, `has_any` and `has_all` mean `has`, and the list form makes a reader look
//! for the other values.
//! Often the list lost its other values in an edit, which is worth a second look.
//!
//! ## Example
//!
//! ```kql
//! DeviceProcessEvents
//! | where ProcessCommandLine has_any ("mimikatz")
//! ```
//!
//! ## Instead
//!
//! ```kql
//! DeviceProcessEvents
//! | where ProcessCommandLine has "mimikatz"
//! ```

use palisade_diagnostics::{Code, Severity};
use palisade_kql::{SyntaxKind, SyntaxNode};

use super::syntax;
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct SingleValueHasAny;

/// The one literal value of a `has_any` list, looking into a `dynamic([...])` literal.
fn single_value(list: SyntaxNode<'_>) -> Option<SyntaxNode<'_>> {
    let items: Vec<_> = list.children().collect();
    let [item] = items[..] else { return None };
    if item.kind() == SyntaxKind::DynamicExpr {
        let array = item.child(SyntaxKind::JsonArray)?;
        let elements: Vec<_> = array.children().collect();
        let [element] = elements[..] else { return None };
        return syntax::string_value(element).map(|_| element);
    }
    syntax::string_value(item).map(|_| item)
}

impl Lint for SingleValueHasAny {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL212"),
        name: "single-value-has-any",
        summary: "`has_any` or `has_all` with a single value",
        severity: Severity::Note,
        group: Group::Style,
        fix: FixKind::None,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        for node in query.nodes(SyntaxKind::InExpr) {
            let Some(keyword) = node.tokens().next() else { continue };
            let operator = keyword.text();
            if operator != "has_any" && operator != "has_all" {
                continue;
            }
            let Some(list) = node.child(SyntaxKind::ExprList) else { continue };
            let Some(value) = single_value(list) else { continue };

            let diag = ctx
                .diagnostic(
                    &Self::META,
                    keyword.range().start..node.range().end,
                    format!("`{operator}` has a single value"),
                )
                .with_label(format!("only {}", value.text()))
                .with_note(format!("with one value `{operator}` means `has`"))
                .with_help(format!(
                    "write `has {}`, or add the values the list is missing",
                    value.text()
                ));
            ctx.push(diag);
        }
    }
}
