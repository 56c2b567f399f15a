//! `equality-on-dynamic` (KQL209).
//!
//! ## What it flags
//!
//! `==` or `!=` with a `dynamic([...])` or `dynamic({...})` literal on one side, and `==` or
//! `!=` between a string literal and the result of a function that always returns an array or
//! a property bag, such as `split()`, `extract_all()`, `pack_array()` or `bag_pack()`.
//!
//! ## Why it matters
//!
//! An array or property bag is not a string: `Name == dynamic(["a", "b"])` does not test
//! whether `Name` is one of the values, and `split(Path, "\\") == "cmd.exe"` compares a whole
//! array with a string.
//! Such a test is false on every row (or `!=` true on every row), so the detection silently
//! never fires or never filters.
//!
//! ## Example
//!
//! ```kql
//! SecurityEvent
//! | where Account == dynamic(["admin", "root"])
//! ```
//!
//! ## Instead
//!
//! ```kql
//! SecurityEvent
//! | where Account in ("admin", "root")
//! ```
//!
//! To compare one element or property, index it and convert it:
//! `tostring(parse_json(Data).Name) == "x"`.
//!
//! ## Limitations
//!
//! Columns of type `dynamic` and `parse_json()` results are not checked: they can hold a
//! single string that does equal the other side.

use palisade_diagnostics::{Code, Severity};
use palisade_kql::{SyntaxKind, SyntaxNode};

use super::syntax::{self, Binary};
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct EqualityOnDynamic;

/// Functions whose result is always an array or a property bag.
const DYNAMIC_FUNCTIONS: &[&str] = &[
    "parse_xml",
    "pack_array",
    "pack",
    "bag_pack",
    "split",
    "extract_all",
    "array_concat",
    "bag_merge",
    "parse_url",
    "parse_path",
];

/// Whether `node` is a `dynamic(...)` literal holding an array or a property bag.
fn is_dynamic_container(node: SyntaxNode<'_>) -> bool {
    node.kind() == SyntaxKind::DynamicExpr
        && node
            .children()
            .any(|child| matches!(child.kind(), SyntaxKind::JsonArray | SyntaxKind::JsonObject))
}

/// The dynamic-valued side of a comparison, if it is one this lint is sure about.
fn dynamic_side<'a>(binary: &Binary<'a>) -> Option<SyntaxNode<'a>> {
    let (lhs, rhs) = (syntax::unparen(binary.lhs), syntax::unparen(binary.rhs));
    for (side, other) in [(lhs, rhs), (rhs, lhs)] {
        if is_dynamic_container(side) {
            return Some(side);
        }
        let dynamic_call =
            syntax::call_name(side).is_some_and(|name| DYNAMIC_FUNCTIONS.contains(&name));
        if dynamic_call && syntax::string_value(other).is_some() {
            return Some(side);
        }
    }
    None
}

impl Lint for EqualityOnDynamic {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL209"),
        name: "equality-on-dynamic",
        summary: "`==` or `!=` compares an array or property bag with a value",
        severity: Severity::Warning,
        group: Group::Correctness,
        fix: FixKind::None,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        for node in query.nodes(SyntaxKind::BinaryExpr) {
            let Some(binary) = Binary::of(node) else { continue };
            let operator = binary.operator();
            if operator != "==" && operator != "!=" {
                continue;
            }
            let Some(side) = dynamic_side(&binary) else { continue };

            let help = if side.kind() == SyntaxKind::DynamicExpr {
                format!(
                    "to test for one of several values, use `{}` with the list",
                    if operator == "==" { "in" } else { "!in" }
                )
            } else {
                "index the element or property you mean and convert it, as in \
                 `tostring(parse_json(Data).Name) == \"x\"`"
                    .to_owned()
            };
            let diag = ctx
                .diagnostic(
                    &Self::META,
                    node.range(),
                    format!("`{operator}` compares a dynamic value, not text"),
                )
                .with_label(format!("always {}", if operator == "==" { "false" } else { "true" }))
                .with_secondary(ctx.span(side.range()), "an array or property bag")
                .with_note(format!(
                    "an array or property bag never equals a single value, so the test is {} on every row",
                    if operator == "==" { "false" } else { "true" }
                ))
                .with_help(help);
            ctx.push(diag);
        }
    }
}
