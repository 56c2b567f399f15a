//! Every YAML file of the Azure-Sentinel snapshot in `../shared/corpus`: no panics, the
//! expected numbers of analytics rules and hunting queries load, and the only errors are the
//! ones reviewed as real problems in the content (listed below with the reason).
//!
//! Skips, saying so loudly, when the shared folder is absent.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use palisade_diagnostics::{Diagnostic, Severity, SourceFiles};
use palisade_spec::load::Outcome;
use palisade_spec::yaml::{self, ScalarStyle};
use palisade_spec::{Detection, SpecKind};
use palisade_validator::{check_duplicate_ids, check_file};

mod common;
use common::{shared, yaml_files};

#[test]
fn azure_sentinel_corpus() {
    let Some(shared) = shared() else {
        eprintln!("SKIPPED azure_sentinel_corpus: no shared folder (set PALISADE_SHARED)");
        return;
    };
    let root = shared.join("corpus/cloudflare__Azure-Sentinel");
    let mut paths = Vec::new();
    yaml_files(&root, &mut paths);
    assert!(paths.len() > 2_000, "{} files", paths.len());

    let mut files = SourceFiles::new();
    let mut detections = Vec::new();
    let mut diagnostics = Vec::new();
    let mut n_skipped = 0;
    for path in &paths {
        let shown = path.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        let (_, result) = check_file(&mut files, &shown, &bytes);
        diagnostics.extend(result.diagnostics);
        match result.outcome {
            Outcome::Detection(detection) => detections.push(*detection),
            Outcome::Skipped { .. } => n_skipped += 1,
            Outcome::Failed => {}
        }
    }
    diagnostics.extend(check_duplicate_ids(&detections));

    let n_rules = detections.iter().filter(|d| d.spec_kind == SpecKind::AnalyticsRule).count();
    let n_hunting = detections.len() - n_rules;
    eprintln!(
        "corpus: {} files, {n_rules} analytics rules, {n_hunting} hunting queries, {n_skipped} skipped",
        paths.len()
    );

    // Every file in a rule folder is an analytics rule, and no other file is: 1,062 files under
    // `Detections/` and the Solutions rule folders, less the 8 moved stubs.
    let rule_folders = [
        "Analytic Rules",
        "Analytics Rules",
        "Analytical Rules",
        "Detections",
        "Detection Queries",
    ];
    for detection in &detections {
        let in_rule_folder = detection.path.split('/').any(|folder| rule_folders.contains(&folder));
        let is_rule = detection.spec_kind == SpecKind::AnalyticsRule;
        assert_eq!(in_rule_folder, is_rule, "{}", detection.path);
    }
    assert_eq!(n_rules, 1_054);
    // Parsers and functions, Exploration Queries, moved stubs.
    assert_eq!(n_skipped, 214);

    // Every literal-block query maps back to the file byte for byte.
    let mut n_literal = 0;
    for detection in &detections {
        let text = files.get(detection.file).text();
        let root = yaml::parse(detection.file, text).root.unwrap();
        let Some(entry) = root.get("query") else {
            panic!("{}: no `query` key", detection.path);
        };
        let node = &entry.value;
        if node.as_scalar().unwrap().style != ScalarStyle::Literal {
            continue;
        }
        n_literal += 1;
        let map = &detection.query.source_map;
        for (idx, byte) in detection.query.text.bytes().enumerate() {
            let offset = map.map_offset(idx as u32) as usize;
            // A file that ends inside the block: YAML adds the final line break itself.
            let synthesized = offset == text.len() && idx + 1 == detection.query.text.len();
            if !synthesized {
                assert_eq!(text.as_bytes()[offset], byte, "{} query byte {idx}", detection.path);
            }
        }
    }
    eprintln!("corpus: {n_literal} literal-block queries map exactly");
    assert!(n_literal > 2_000, "{n_literal}");

    check_counts_page(&files, &detections, &diagnostics);

    let mut errors: BTreeMap<&str, usize> = BTreeMap::new();
    let mut other_errors: Vec<String> = Vec::new();
    let mut warnings: BTreeMap<&str, usize> = BTreeMap::new();
    let mut limit_errors = Vec::new();
    let mut kql_errors: Vec<String> = Vec::new();
    let mut kql_messages: Vec<String> = Vec::new();
    let mut kql_counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for diag in &diagnostics {
        let code = diag.code.as_str();
        if code.starts_with("KQL") && code < "KQL200" {
            *kql_counts.entry((code, diag.severity.as_str())).or_default() += 1;
        }

        match diag.severity {
            Severity::Error if code.starts_with("KQL") && code < "KQL200" => {
                let source = files.get(diag.primary.span.file);
                let at = source.line_col(diag.primary.span.start);
                kql_errors.push(format!("{}\t{code}\t{}:{}", source.path(), at.line, at.column));
                kql_messages.push(diag.message.clone());
            }
            Severity::Error if is_limit_code(code) => {
                let path = files.get(diag.primary.span.file).path();
                limit_errors.push(format!("{path}\t{code}"));
            }
            Severity::Error => {
                *errors.entry(code).or_default() += 1;
                let source = files.get(diag.primary.span.file);
                let at = source.line_col(diag.primary.span.start);
                other_errors.push(format!("{}\t{code}\t{}:{}", source.path(), at.line, at.column));
                eprintln!(
                    "other error: {}\t{code}\t{}:{}\t{}",
                    source.path(),
                    at.line,
                    at.column,
                    diag.message
                );
            }
            Severity::Warning => *warnings.entry(code).or_default() += 1,
            _ => {}
        }
    }
    let mut limit_counts: BTreeMap<&str, usize> = BTreeMap::new();
    for line in &limit_errors {
        *limit_counts.entry(line.split('\t').nth(1).unwrap()).or_default() += 1;
    }
    eprintln!("corpus: errors outside SPEC109+: {errors:?}");
    eprintln!("corpus: SPEC109+ errors: {limit_counts:?}");
    eprintln!("corpus: warnings: {warnings:?}");
    eprintln!("corpus: KQL0xx/KQL1xx findings by code and severity: {kql_counts:?}");

    // Errors of the KQL checks (syntax, names, output columns) are listed one by one, with the
    // line and column and the reason each is a real problem: analytics rules in
    // `tests/kql-corpus-true-errors.tsv`, hunting queries in `tests/kql-hunting-true-errors.tsv`.
    // A listed error that no longer occurs fails the test as much as an unlisted one.
    let analytics: BTreeSet<&str> = detections
        .iter()
        .filter(|detection| detection.spec_kind == SpecKind::AnalyticsRule)
        .map(|detection| detection.path.as_str())
        .collect();
    let mut analytics_errors: Vec<String> = Vec::new();
    let mut hunting_errors: Vec<String> = Vec::new();
    for (error, message) in kql_errors.iter().zip(&kql_messages) {
        let path = error.split('\t').next().unwrap();
        if analytics.contains(path) {
            analytics_errors.push(error.clone());
        } else {
            hunting_errors.push(error.clone());
        }
        eprintln!("KQL error: {error}\t{message}");
    }
    let reviewed_analytics = reviewed_errors("tests/kql-corpus-true-errors.tsv");
    let reviewed_hunting = reviewed_errors("tests/kql-hunting-true-errors.tsv");
    report_difference("analytics rules", &analytics_errors, &reviewed_analytics);
    report_difference("hunting queries", &hunting_errors, &reviewed_hunting);
    analytics_errors.sort();
    hunting_errors.sort();
    assert_eq!(
        analytics_errors, reviewed_analytics,
        "analytics KQL errors differ from the reviewed list"
    );
    assert_eq!(
        hunting_errors, reviewed_hunting,
        "hunting KQL errors differ from the reviewed list"
    );

    // Errors of the Sentinel-limit checks (SPEC109 and up) are listed one by one, each with
    // the reason it is a real problem, in `tests/corpus-true-errors.tsv`.
    let reviewed_file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus-true-errors.tsv");
    let reviewed_text = std::fs::read_to_string(&reviewed_file).unwrap();
    let mut reviewed_limits: Vec<String> = Vec::new();
    for line in reviewed_text.lines().filter(|line| !line.starts_with('#') && !line.is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 3, "path, code, reason: {line}");
        assert!(!fields[2].trim().is_empty(), "no reason: {line}");
        reviewed_limits.push(format!("{}\t{}", fields[0], fields[1]));
    }
    limit_errors.sort();
    reviewed_limits.sort();
    assert_eq!(limit_errors, reviewed_limits, "SPEC109+ errors differ from the reviewed list");

    // The other errors (loading and schema, tactics, duplicate ids) are listed one by one, with
    // the reason each is a real problem, in `tests/corpus-spec-true-errors.tsv`.
    let reviewed_other = reviewed_errors("tests/corpus-spec-true-errors.tsv");
    report_difference("the whole corpus (SPEC001-SPEC108)", &other_errors, &reviewed_other);
    other_errors.sort();
    assert_eq!(
        other_errors, reviewed_other,
        "errors differ from tests/corpus-spec-true-errors.tsv"
    );
}

/// Codes of the Sentinel-limit checks, whose corpus errors are reviewed one by one.
fn is_limit_code(code: &str) -> bool {
    code.strip_prefix("SPEC")
        .and_then(|number| number.parse::<u32>().ok())
        .is_some_and(|number| number >= 109)
}

/// The `path TAB code TAB line:column` keys of a reviewed-errors file (each line also carries
/// a reason), sorted.
fn reviewed_errors(name: &str) -> Vec<String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    let text = std::fs::read_to_string(&file).unwrap();
    let mut keys: Vec<String> = Vec::new();
    for line in text.lines().filter(|line| !line.starts_with('#') && !line.is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 4, "{name}: path, code, line:column, reason: {line}");
        assert!(!fields[3].trim().is_empty(), "{name}: no reason: {line}");
        keys.push(fields[..3].join("\t"));
    }
    keys.sort();
    keys
}

/// Prints the findings missing from a reviewed list and the listed ones that no longer occur.
fn report_difference(what: &str, found: &[String], reviewed: &[String]) {
    for error in found.iter().filter(|error| !reviewed.contains(error)) {
        eprintln!("unreviewed error on {what}: {error}");
    }
    for error in reviewed.iter().filter(|error| !found.contains(error)) {
        eprintln!("reviewed error on {what} no longer found: {error}");
    }
}

/// The page whose generated section holds the corpus counts per code.
const PROOF_PAGE: &str = "docs/validation-proof.md";
const COUNTS_START: &str = "<!-- corpus-counts: generated by the azure_sentinel_corpus test -->";
const COUNTS_END: &str = "<!-- corpus-counts: end -->";

/// Prints every finding's count per code and severity, split by analytics rules, hunting
/// queries and other files, and compares the table with the one in `docs/validation-proof.md`.
///
/// The error rows must match (the reviewed lists pin them anyway); warnings and notes change
/// whenever a check is added, so a stale table there is reported loudly and not failed.
/// `PALISADE_UPDATE_PROOF=1` rewrites the table.
fn check_counts_page(files: &SourceFiles, detections: &[Detection], diagnostics: &[Diagnostic]) {
    let kinds: BTreeMap<&str, SpecKind> =
        detections.iter().map(|detection| (detection.path.as_str(), detection.spec_kind)).collect();
    // (code, severity) -> [analytics rules, hunting queries, other files]
    let mut counts: BTreeMap<(&str, &str), [usize; 3]> = BTreeMap::new();
    for diag in diagnostics {
        let path = files.get(diag.primary.span.file).path();
        let column = match kinds.get(path) {
            Some(SpecKind::AnalyticsRule) => 0,
            Some(_) => 1,
            None => 2,
        };
        counts.entry((diag.code.as_str(), diag.severity.as_str())).or_default()[column] += 1;
    }
    let mut table = String::from(
        "| code | severity | analytics rules | hunting queries | other files | total |\n\
         | --- | --- | ---: | ---: | ---: | ---: |\n",
    );
    let mut totals = [0usize; 3];
    for ((code, severity), row) in &counts {
        for (total, n) in totals.iter_mut().zip(row) {
            *total += n;
        }
        table.push_str(&format!(
            "| {code} | {severity} | {} | {} | {} | {} |\n",
            row[0],
            row[1],
            row[2],
            row.iter().sum::<usize>()
        ));
    }
    table.push_str(&format!(
        "| all | | {} | {} | {} | {} |\n",
        totals[0],
        totals[1],
        totals[2],
        totals.iter().sum::<usize>()
    ));
    eprintln!("corpus: findings per code and severity\n{table}");

    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(PROOF_PAGE);
    let text = std::fs::read_to_string(&page).unwrap_or_default();
    let section = text
        .split_once(COUNTS_START)
        .and_then(|(_, rest)| rest.split_once(COUNTS_END))
        .map(|(inside, _)| inside.trim_matches('\n'));
    if std::env::var_os("PALISADE_UPDATE_PROOF").is_some() {
        let Some((before, rest)) = text.split_once(COUNTS_START) else {
            panic!("{PROOF_PAGE} has no `{COUNTS_START}` line to write the table after");
        };
        let after = rest.split_once(COUNTS_END).map_or("", |(_, after)| after);
        let updated = format!("{before}{COUNTS_START}\n{table}{COUNTS_END}{after}");
        std::fs::write(&page, updated).unwrap();
        eprintln!("corpus: wrote the counts table to {PROOF_PAGE}");
        return;
    }
    let Some(section) = section else {
        panic!("{PROOF_PAGE} has no generated counts table; run with PALISADE_UPDATE_PROOF=1");
    };
    let errors = |table: &str| -> Vec<String> {
        table.lines().filter(|line| line.contains("| error |")).map(str::to_owned).collect()
    };
    assert_eq!(
        errors(section),
        errors(&table),
        "error counts in {PROOF_PAGE} are stale; run the test with PALISADE_UPDATE_PROOF=1"
    );
    if section != table.trim_matches('\n') {
        eprintln!(
            "STALE: warning or note counts in {PROOF_PAGE} differ from this run; \
             run `PALISADE_UPDATE_PROOF=1 cargo test -p palisade-validator --test corpus`"
        );
    }
}
