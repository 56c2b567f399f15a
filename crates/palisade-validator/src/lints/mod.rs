//! KQL lints (`KQL2xx`): one file per lint, each holding its user documentation (the file's
//! `//!` doc comment), its metadata and its check, plus the ordered table of every lint.
//!
//! Lints read the lossless tree of `palisade-kql` and report spans in the query text, which
//! [`LintContext`] maps into the YAML file through the query's source map. A query with syntax
//! errors is not linted: the parser's `KQL0xx` findings come first, and a damaged tree would
//! make lints guess.

mod syntax;

mod ago_past_query_period;
mod always_true_count_filter;
mod case_conversion_for_comparison;
mod case_insensitive_compare_without_letters;
mod contains_instead_of_has;
mod deprecated_function;
mod duplicate_predicate;
mod equality_on_dynamic;
mod filter_after_extend_could_run_earlier;
mod filter_after_summarize_on_group_key;
mod ipv4_literal_with_text_match;
mod join_without_kind;
mod null_check_on_string;
mod regex_without_metacharacters;
mod single_value_has_any;
mod take_in_analytics_rule;
mod unscoped_search_or_union;
mod unused_let;
mod wildcard_in_equality;

use std::ops::Range;
use std::sync::OnceLock;

use palisade_diagnostics::{Code, Diagnostic, Edit, Fix, Severity, SourceMap, Span};
use palisade_kql::{Parse, SyntaxKind, SyntaxNode};
use palisade_spec::duration::Duration;
use palisade_spec::{Detection, RuleKind, SpecKind};

use crate::registry::CodeInfo;

/// What a lint is mostly about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// The query does not do what it says.
    Correctness,
    /// Probably a mistake, though it can be meant.
    Suspicious,
    /// The query does the right thing slowly.
    Performance,
    /// A clearer way to write the same thing.
    Style,
}

/// Whether a lint offers an automatic fix, and whether applying it keeps the meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixKind {
    /// No fix is offered.
    None,
    /// The fix keeps what the query matches.
    Safe,
    /// The fix can change what the query matches; review it.
    Unsafe,
}

/// The metadata of one lint.
#[derive(Clone, Copy, Debug)]
pub struct LintMeta {
    /// The code, `KQL2xx`.
    pub code: Code,
    /// A kebab-case name of the flagged pattern.
    pub name: &'static str,
    /// One line saying what the lint flags, no trailing period.
    pub summary: &'static str,
    /// The severity findings are reported with.
    pub severity: Severity,
    /// What the lint is about.
    pub group: Group,
    /// Whether a fix is offered.
    pub fix: FixKind,
    /// The Palisade version the lint first appeared in.
    pub since: &'static str,
}

/// One lint: metadata and a check over a parsed query.
pub trait Lint {
    /// The lint's metadata.
    const META: LintMeta;

    /// Reports the lint's findings in `query` through `ctx`.
    fn check(&self, query: &LintQuery<'_>, ctx: &mut LintContext<'_>);
}

/// The query being linted.
#[derive(Clone, Copy, Debug)]
pub struct LintQuery<'a> {
    parse: &'a Parse,
}

impl<'a> LintQuery<'a> {
    /// The root node of the syntax tree.
    pub fn root(&self) -> SyntaxNode<'a> {
        self.parse.root()
    }

    /// The query text.
    pub fn text(&self) -> &'a str {
        self.parse.text()
    }

    /// Every node of `kind`, in text order.
    pub fn nodes(&self, kind: SyntaxKind) -> impl Iterator<Item = SyntaxNode<'a>> + 'a {
        self.parse.root().descendants().filter(move |node| node.kind() == kind)
    }
}

/// What lints may know about the detection that holds the query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LintTarget {
    /// Analytics rule or hunting query.
    pub spec_kind: SpecKind,
    /// `kind`, for analytics rules.
    pub rule_kind: Option<RuleKind>,
    /// `queryPeriod`, when set.
    pub query_period: Option<Duration>,
}

impl LintTarget {
    /// What lints need of `detection`.
    pub fn of(detection: &Detection) -> Self {
        LintTarget {
            spec_kind: detection.spec_kind,
            rule_kind: detection.kind.as_ref().map(|kind| kind.value),
            query_period: detection.query_period.as_ref().map(|period| period.value),
        }
    }
}

/// The detection context and the findings of one lint run.
#[derive(Debug)]
pub struct LintContext<'a> {
    /// The detection the query belongs to.
    pub target: LintTarget,
    source_map: &'a SourceMap,
    diagnostics: Vec<Diagnostic>,
}

impl LintContext<'_> {
    /// The file span of a query range.
    pub fn span(&self, range: Range<u32>) -> Span {
        self.source_map.map_range(range.start, range.end)
    }

    /// Starts a diagnostic of `meta` at the query range `range`, mapped into the file.
    pub fn diagnostic(
        &self,
        meta: &LintMeta,
        range: Range<u32>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let span = self.source_map.map_range(range.start, range.end);
        Diagnostic::new(meta.code, meta.severity, message, span)
    }

    /// A fix replacing each query range with its text, or `None` when a range does not map
    /// one-to-one into the file (a quoted YAML scalar with escapes, a folded line break):
    /// replacing file bytes there could break the YAML.
    pub fn fix(&self, safe: bool, edits: &[(Range<u32>, &str)]) -> Option<Fix> {
        let mut file_edits = Vec::with_capacity(edits.len());
        for (range, replacement) in edits {
            let span = self.source_map.map_range(range.start, range.end);
            if span.len() != range.end - range.start || replacement.contains(['"', '\\', '\n']) {
                return None;
            }
            file_edits.push(Edit { span, replacement: (*replacement).to_owned() });
        }
        Some(Fix { safe, edits: file_edits })
    }

    /// Records a finding.
    pub fn push(&mut self, diag: Diagnostic) {
        self.diagnostics.push(diag);
    }
}

/// One row of the lint table.
#[derive(Clone, Copy)]
pub struct LintEntry {
    /// The lint's metadata.
    pub meta: &'static LintMeta,
    /// The lint's source file; its `//!` comment is the documentation.
    source: &'static str,
    run: fn(&LintQuery<'_>, &mut LintContext<'_>),
}

impl std::fmt::Debug for LintEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LintEntry").field("code", &self.meta.code).finish_non_exhaustive()
    }
}

impl LintEntry {
    /// The user documentation: the lint file's `//!` comment from its first `##` heading on.
    ///
    /// Paragraphs wrapped to the source's line width are rewritten one sentence per line, as
    /// our Markdown docs are; code blocks are kept as written. The registry's docs hold no
    /// blank line after a heading (pages add one).
    pub fn docs(&self) -> String {
        let mut docs = String::new();
        let mut paragraph: Vec<&str> = Vec::new();
        let mut in_code = false;
        let lines = self.source.lines().map_while(|line| line.strip_prefix("//!"));
        for line in lines.skip_while(|line| !line.trim_start().starts_with("## ")) {
            let line = line.strip_prefix(' ').unwrap_or(line);
            let fence = line.starts_with("```");
            if !(in_code || fence || line.starts_with("## ") || line.is_empty()) {
                paragraph.push(line);
                continue;
            }

            flush_paragraph(&mut docs, &mut paragraph);
            in_code ^= fence;
            if !(line.is_empty() && last_line(&docs).starts_with("## ")) {
                docs.push_str(line);
                docs.push('\n');
            }
        }
        flush_paragraph(&mut docs, &mut paragraph);
        docs
    }
}

/// The last line of `text`, without its line break.
fn last_line(text: &str) -> &str {
    text.trim_end_matches('\n').rsplit('\n').next().unwrap_or("")
}

/// Writes a paragraph one sentence per line: a sentence ends at a `.` followed by a space and
/// an upper-case letter or a backtick.
fn flush_paragraph(docs: &mut String, paragraph: &mut Vec<&str>) {
    if paragraph.is_empty() {
        return;
    }
    let text = paragraph.join(" ");
    paragraph.clear();
    let chars: Vec<char> = text.chars().collect();
    for (idx, c) in chars.iter().enumerate() {
        let breaks = *c == ' '
            && idx > 0
            && chars[idx - 1] == '.'
            && chars.get(idx + 1).is_some_and(|next| next.is_uppercase() || *next == '`');
        docs.push(if breaks { '\n' } else { *c });
    }
    docs.push('\n');
}

fn run<L: Lint + Default>(query: &LintQuery<'_>, ctx: &mut LintContext<'_>) {
    L::default().check(query, ctx);
}

macro_rules! lint {
    ($module:ident :: $lint:ident) => {
        LintEntry {
            meta: &$module::$lint::META,
            source: include_str!(concat!(stringify!($module), ".rs")),
            run: run::<$module::$lint>,
        }
    };
}

/// Every lint, by ascending code.
pub const LINTS: &[LintEntry] = &[
    lint!(contains_instead_of_has::ContainsInsteadOfHas),
    lint!(unscoped_search_or_union::UnscopedSearchOrUnion),
    lint!(join_without_kind::JoinWithoutKind),
    lint!(ipv4_literal_with_text_match::Ipv4LiteralWithTextMatch),
    lint!(filter_after_extend_could_run_earlier::FilterAfterExtendCouldRunEarlier),
    lint!(filter_after_summarize_on_group_key::FilterAfterSummarizeOnGroupKey),
    lint!(ago_past_query_period::AgoPastQueryPeriod),
    lint!(unused_let::UnusedLet),
    lint!(equality_on_dynamic::EqualityOnDynamic),
    lint!(case_conversion_for_comparison::CaseConversionForComparison),
    lint!(case_insensitive_compare_without_letters::CaseInsensitiveCompareWithoutLetters),
    lint!(single_value_has_any::SingleValueHasAny),
    lint!(regex_without_metacharacters::RegexWithoutMetacharacters),
    lint!(always_true_count_filter::AlwaysTrueCountFilter),
    lint!(duplicate_predicate::DuplicatePredicate),
    lint!(take_in_analytics_rule::TakeInAnalyticsRule),
    lint!(null_check_on_string::NullCheckOnString),
    lint!(wildcard_in_equality::WildcardInEquality),
    lint!(deprecated_function::DeprecatedFunction),
];

/// Runs every lint over one query text.
///
/// `source_map` maps query offsets into the file diagnostics point at. A text with syntax
/// errors gets no lint findings.
pub fn check_query(text: &str, target: LintTarget, source_map: &SourceMap) -> Vec<Diagnostic> {
    let parse = palisade_kql::parse(text);
    check_parse(&parse, target, source_map)
}

/// Runs every lint over an already parsed query.
pub fn check_parse(parse: &Parse, target: LintTarget, source_map: &SourceMap) -> Vec<Diagnostic> {
    if parse.has_errors() || parse.text().trim().is_empty() {
        return Vec::new();
    }
    let _span = tracing::debug_span!("lint").entered();
    let query = LintQuery { parse };
    let mut ctx = LintContext { target, source_map, diagnostics: Vec::new() };
    for entry in LINTS {
        (entry.run)(&query, &mut ctx);
    }
    ctx.diagnostics
}

/// Runs every lint over a detection's query; IOC specs (no written query) get none.
pub fn check_detection(detection: &Detection) -> Vec<Diagnostic> {
    if detection.ioc.is_some() {
        return Vec::new();
    }
    check_query(&detection.query.text, LintTarget::of(detection), &detection.query.source_map)
}

/// The registry entries of every lint, for `palisade explain`, SARIF rules and docs pages.
pub fn code_infos() -> &'static [CodeInfo] {
    static DOCS: OnceLock<Vec<String>> = OnceLock::new();
    static INFOS: OnceLock<Vec<CodeInfo>> = OnceLock::new();
    INFOS.get_or_init(|| {
        let docs = DOCS.get_or_init(|| LINTS.iter().map(LintEntry::docs).collect());
        LINTS
            .iter()
            .zip(docs)
            .map(|(entry, docs)| CodeInfo {
                code: entry.meta.code,
                name: entry.meta.name,
                summary: entry.meta.summary,
                severity: entry.meta.severity,
                docs: docs.as_str(),
            })
            .collect()
    })
}

/// The registry entry of a lint code, case-insensitively.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    code_infos().iter().find(|info| info.code.as_str().eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::path::Path;

    use super::*;

    #[test]
    fn codes_are_unique_and_ascending_from_kql201() {
        assert!(LINTS.len() >= 15);
        for (idx, entry) in LINTS.iter().enumerate() {
            assert!(entry.meta.code.is_well_formed(), "{}", entry.meta.code);
            assert_eq!(entry.meta.code.as_str(), format!("KQL{}", 201 + idx), "table order");
        }
    }

    #[test]
    fn names_are_unique_kebab_case_and_summaries_one_line() {
        let mut seen = HashSet::new();
        for entry in LINTS {
            let meta = entry.meta;
            assert!(seen.insert(meta.name), "{} twice", meta.name);
            let kebab = meta.name.split('-').all(|part| {
                !part.is_empty()
                    && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
            assert!(kebab, "{}", meta.name);
            assert!(!meta.summary.contains('\n') && !meta.summary.ends_with('.'), "{}", meta.code);
            assert!(!meta.since.is_empty());
        }
    }

    #[test]
    fn docs_have_the_required_headings() {
        for entry in LINTS {
            let docs = entry.docs();
            for heading in
                ["## What it flags\n", "## Why it matters\n", "## Example\n", "## Instead\n"]
            {
                assert!(docs.contains(heading), "{} lacks {heading}", entry.meta.code);
            }
            let fix_documented = docs.contains("## Fix safety\n");
            assert_eq!(fix_documented, entry.meta.fix != FixKind::None, "{}", entry.meta.code);
        }
    }

    #[test]
    fn every_lint_has_fixtures_that_flag_and_that_allow() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for entry in LINTS {
            let names: Vec<String> = std::fs::read_dir(dir.join(entry.meta.code.as_str()))
                .map(|read| {
                    read.map(|item| item.unwrap().file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            let has = |prefix: &str| {
                names.iter().any(|name| name.starts_with(prefix) && name.ends_with(".kql"))
            };
            assert!(has("flags_"), "{} has no flags_ fixture", entry.meta.code);
            assert!(has("allows_"), "{} has no allows_ fixture", entry.meta.code);
        }
    }

    #[test]
    fn lookup_finds_lints_case_insensitively() {
        assert_eq!(lookup("kql201").map(|info| info.name), Some("contains-instead-of-has"));
        assert!(lookup("KQL999").is_none());
    }

    #[test]
    fn skips_queries_with_syntax_errors() {
        let map = SourceMap::verbatim(palisade_diagnostics::FileId(0), 0, 40);
        let target =
            LintTarget { spec_kind: SpecKind::HuntingQuery, rule_kind: None, query_period: None };
        assert!(check_query("T | where a contains 'admin' |", target, &map).is_empty());
        assert_eq!(check_query("T | where a contains 'admin'", target, &map).len(), 1);
    }
}
