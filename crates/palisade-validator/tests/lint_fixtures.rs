//! The lint fixtures in `tests/fixtures/KQL2xx/`: every `flags_*.kql` produces findings of its
//! folder's code, snapshotted as rendered diagnostics, and every `allows_*.kql` produces none.
//!
//! A fixture may start with `// palisade: kind=analytics queryPeriod=1d` to lint it as an
//! analytics rule with that `queryPeriod`; without it, a fixture is a hunting query.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use palisade_diagnostics::{SourceFiles, SourceMap, render};
use palisade_spec::load::Outcome;
use palisade_spec::{Duration, RuleKind, SpecKind};
use palisade_validator::check_file;
use palisade_validator::lints::{self, LintTarget};

fn target_of(text: &str) -> LintTarget {
    let mut target =
        LintTarget { spec_kind: SpecKind::HuntingQuery, rule_kind: None, query_period: None };
    let header = text.lines().next().and_then(|line| line.strip_prefix("// palisade:"));
    for setting in header.unwrap_or_default().split_whitespace() {
        match setting.split_once('=').unwrap() {
            ("kind", "analytics") => {
                target.spec_kind = SpecKind::AnalyticsRule;
                target.rule_kind = Some(RuleKind::Scheduled);
            }
            ("queryPeriod", value) => target.query_period = Some(Duration::parse(value).unwrap()),
            other => panic!("unknown fixture setting {other:?}"),
        }
    }
    target
}

#[test]
fn lint_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    let mut n_checked = 0;
    for dir in dirs {
        let code = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(lints::lookup(&code).is_some(), "fixtures for unknown code {code}");
        let mut paths: Vec<_> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let mut files = SourceFiles::new();
            let file = files.add(format!("{code}/{name}.kql"), text.as_str());
            let source_map = SourceMap::verbatim(file, 0, text.len() as u32);
            let diagnostics: Vec<_> = lints::check_query(&text, target_of(&text), &source_map)
                .into_iter()
                .filter(|diag| diag.code.as_str() == code)
                .collect();
            if name.starts_with("allows_") {
                assert!(diagnostics.is_empty(), "{code}/{name}: {diagnostics:#?}");
            } else {
                assert!(
                    name.starts_with("flags_"),
                    "{code}/{name}: name must start with flags_ or allows_"
                );
                assert!(!diagnostics.is_empty(), "{code}/{name} flags nothing");
                let mut out = Vec::new();
                render::human::render(&diagnostics, &files, &mut out).unwrap();
                let rendered = String::from_utf8(out).unwrap();
                insta::assert_snapshot!(format!("{code}__{name}"), rendered);
            }
            n_checked += 1;
        }
    }
    assert!(n_checked >= 36, "{n_checked} fixtures");
}

/// Findings in an embedded query point at the YAML bytes of the flagged KQL, whichever way
/// the scalar is written, and the rule's `queryPeriod` reaches the lints.
#[test]
fn spans_map_into_the_yaml_file() {
    let cases = [
        "query: |\n  SecurityEvent\n  | where CommandLine contains \"mimikatz\"\n",
        "query: \"SecurityEvent\\n| where CommandLine contains 'mimikatz'\"\n",
        "query: >-\n  SecurityEvent\n\n  | where CommandLine contains 'mimikatz'\n",
    ];
    for query in cases {
        let text = format!(
            "id: 0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b\nname: Lint spans\nseverity: Low\n\
             kind: Scheduled\nqueryFrequency: 1h\nqueryPeriod: 1h\ntriggerOperator: gt\n\
             triggerThreshold: 0\n{query}"
        );
        let mut files = SourceFiles::new();
        let (file, result) = check_file(&mut files, "rule.yaml", text.as_bytes());
        let Outcome::Detection(detection) = result.outcome else {
            panic!("not loaded: {:#?}", result.diagnostics)
        };
        assert_eq!(
            detection.query_period.as_ref().map(|period| period.value.as_secs()),
            Some(3_600)
        );
        let diagnostics = lints::check_detection(&detection);
        let codes: Vec<_> = diagnostics.iter().map(|diag| diag.code.as_str()).collect();
        assert_eq!(codes, ["KQL201"], "{query}");
        let span = diagnostics[0].primary.span;
        assert_eq!(span.file, file);
        assert_eq!(&text[span.start as usize..span.end as usize], "contains", "{query}");
    }
}
