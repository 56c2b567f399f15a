//! `ipv4-literal-with-text-match` (KQL204).
//!
//! ## What it flags
//!
//! `has`, `has_cs`, `contains` or `contains_cs` with an IPv4 address literal, such as
//! `RemoteIP contains "10.1.2.3"`.
//!
//! ## Why it matters
//!
//! `contains` matches inside longer addresses: `contains "10.1.2.3"` is also true for
//! `110.1.2.3` and `10.1.2.34`, so the detection fires on the wrong hosts.
//! `has` splits the address into its octets, which are too short for the term index, so it
//! reads every value.
//! `has_ipv4()` looks for the address as a whole, bounded by non-address characters.
//!
//! ## Example
//!
//! ```kql
//! CommonSecurityLog
//! | where Message contains "10.1.2.3"
//! ```
//!
//! ## Instead
//!
//! ```kql
//! CommonSecurityLog
//! | where has_ipv4(Message, "10.1.2.3")
//! ```
//!
//! When the column holds only an address, compare it with `==`.

use palisade_diagnostics::{Code, Severity};
use palisade_kql::SyntaxKind;

use super::syntax::{self, Binary};
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct Ipv4LiteralWithTextMatch;

impl Lint for Ipv4LiteralWithTextMatch {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL204"),
        name: "ipv4-literal-with-text-match",
        summary: "An IPv4 address is looked for with `has` or `contains`",
        severity: Severity::Warning,
        group: Group::Correctness,
        fix: FixKind::None,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        for node in query.nodes(SyntaxKind::BinaryExpr) {
            let Some(binary) = Binary::of(node) else { continue };
            let operator = binary.operator();
            let substring = matches!(operator.as_str(), "contains" | "contains_cs");
            if !substring && !matches!(operator.as_str(), "has" | "has_cs") {
                continue;
            }
            let Some((column, value)) = syntax::string_rhs(&binary) else { continue };
            if !syntax::is_ipv4(&value) {
                continue;
            }

            let note = if substring {
                format!("`{operator}` also matches longer addresses such as `1{value}`")
            } else {
                "the octets of an address are too short for the term index, so `has` reads \
                 every value"
                    .to_owned()
            };
            let diag = ctx
                .diagnostic(
                    &Self::META,
                    node.range(),
                    format!("The address `{value}` is looked for with `{operator}`"),
                )
                .with_label("text match on an address")
                .with_note(note)
                .with_help(format!(
                    "use `has_ipv4({}, \"{value}\")`, or `==` when the column holds only an address",
                    column.text()
                ));
            ctx.push(diag);
        }
    }
}
