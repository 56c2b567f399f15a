//! `regex-without-metacharacters` (KQL213).
//!
//! ## What it flags
//!
//! `matches regex` with a literal pattern that uses no regular-expression syntax, such as
//! `FileName matches regex "payload"`.
//!
//! ## Why it matters
//!
//! A pattern without metacharacters matches its text anywhere in the value, case-sensitively:
//! exactly what `contains_cs` does, without compiling and running a regular expression on every
//! row.
//! It can also mean the author forgot the anchors or escapes they intended.
//!
//! ## Example
//!
//! ```kql
//! DeviceFileEvents
//! | where FileName matches regex "invoice"
//! ```
//!
//! ## Instead
//!
//! ```kql
//! DeviceFileEvents
//! | where FileName contains_cs "invoice"
//! ```
//!
//! ## Fix safety
//!
//! The fix is safe: a pattern without metacharacters matches exactly the values that contain
//! it, with case.
//! It is offered where the operator's bytes are written as-is in the YAML file.

use palisade_diagnostics::{Code, Severity};
use palisade_kql::SyntaxKind;

use super::syntax::{self, Binary};
use super::{FixKind, Group, Lint, LintContext, LintMeta, LintQuery};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct RegexWithoutMetacharacters;

/// Characters with a meaning in RE2 patterns.
const METACHARACTERS: &[char] =
    &['.', '^', '$', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '\\'];

impl Lint for RegexWithoutMetacharacters {
    const META: LintMeta = LintMeta {
        code: Code::new("KQL213"),
        name: "regex-without-metacharacters",
        summary: "`matches regex` with a pattern that is plain text",
        severity: Severity::Note,
        group: Group::Performance,
        fix: FixKind::Safe,
        since: "0.1.0",
    };

    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
        for node in query.nodes(SyntaxKind::BinaryExpr) {
            let Some(binary) = Binary::of(node) else { continue };
            if binary.operator() != "matches regex" {
                continue;
            }
            let Some((_, pattern)) = syntax::string_rhs(&binary) else { continue };
            if pattern.is_empty() || pattern.contains(METACHARACTERS) {
                continue;
            }

            let fix = ctx.fix(true, &[(binary.operator_range(), "contains_cs")]);
            let mut diag = ctx
                .diagnostic(
                    &Self::META,
                    binary.operator_range(),
                    format!("The pattern `{pattern}` uses no regular-expression syntax"),
                )
                .with_label("plain text")
                .with_note("a plain-text pattern matches like `contains_cs`, at the cost of a regular expression")
                .with_help("write `contains_cs`, or `has_cs` for a whole term");
            diag.fix = fix;
            ctx.push(diag);
        }
    }
}
