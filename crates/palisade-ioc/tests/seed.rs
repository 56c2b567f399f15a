//! The seed write-up compiled end to end: its two indicators on its two tables, with and
//! without its five exclusions.

#![allow(clippy::unwrap_used)]

mod common;

use common::seed::{at, seed_exclusions, seed_iocs};
use palisade_diagnostics::Diagnostic;
use palisade_ioc::Located;
use palisade_ioc::catalog::Catalog;
use palisade_ioc::generate::{Detection, GeneratedQuery, generate};

const SPEC_ID: &str = "49e96642-9ade-4842-be56-733ded7f2f41";
const NAME: &str = "Unknown RAT C2 traffic (ThreatFox)";

fn build(table: &str, with_exclusions: bool) -> (GeneratedQuery, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let iocs = seed_iocs(&mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    let exclusions = seed_exclusions();
    let mut detection = Detection::new(SPEC_ID, NAME, &iocs);
    if with_exclusions {
        detection.exclusions = exclusions.iter().collect();
    }
    let target = Located::new(table.to_string(), at(0, 500));
    let query = generate(Catalog::builtin(), &detection, &target, &mut diags).unwrap();
    (query, diags)
}

fn summary(query: &GeneratedQuery, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    out.push_str(&query.query);
    out.push_str("\n\n-- columns: ");
    out.push_str(&query.columns.join(", "));
    out.push_str("\n-- entities:");
    for entity in &query.entity_mappings {
        let fields: Vec<String> = entity
            .field_mappings
            .iter()
            .map(|m| format!("{}={}", m.identifier, m.column_name))
            .collect();
        out.push_str(&format!(" {}({})", entity.entity_type, fields.join(", ")));
    }
    out.push_str(&format!(
        "\n-- analytics rule id: {}\n-- hunting query id: {}",
        query.analytics_rule_id, query.hunting_query_id
    ));
    for diag in diags {
        out.push_str(&format!("\n-- {} {}: {}", diag.severity, diag.code, diag.message));
        for note in &diag.notes {
            out.push_str(&format!("\n--   note: {note}"));
        }
    }
    out
}

#[test]
fn seed_on_commonsecuritylog() {
    let (query, diags) = build("CommonSecurityLog", false);
    assert!(diags.is_empty(), "{diags:?}");
    insta::assert_snapshot!(summary(&query, &diags));
}

#[test]
fn seed_on_devicenetworkevents() {
    let (query, diags) = build("DeviceNetworkEvents", false);
    assert!(diags.is_empty(), "{diags:?}");
    insta::assert_snapshot!(summary(&query, &diags));
}

#[test]
fn seed_on_commonsecuritylog_with_exclusions() {
    let (query, diags) = build("CommonSecurityLog", true);
    insta::assert_snapshot!(summary(&query, &diags));
}

#[test]
fn seed_on_devicenetworkevents_with_exclusions() {
    let (query, diags) = build("DeviceNetworkEvents", true);
    insta::assert_snapshot!(summary(&query, &diags));
}

/// The typed seed exclusions used above mirror the repository's exclusions/*.yaml files: same
/// id, title, fields and values. (Loading the files is palisade-spec's job; this keeps the
/// content and these tests from drifting apart until then.)
#[test]
fn seed_exclusions_mirror_the_exclusion_files() {
    use palisade_ioc::exclusion::Values;

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../exclusions");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    files.sort();
    let exclusions = seed_exclusions();
    let mut ids: Vec<String> = exclusions.iter().map(|e| format!("{}.yaml", e.id.value)).collect();
    ids.sort();
    assert_eq!(files, ids);

    for exclusion in &exclusions {
        let text =
            std::fs::read_to_string(dir.join(format!("{}.yaml", exclusion.id.value))).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        assert!(lines.contains(&format!("id: {}", exclusion.id.value).as_str()));
        assert!(
            lines.contains(&format!("title: {}", exclusion.title.value).as_str()),
            "{}",
            exclusion.id.value
        );
        for leaf in exclusion.condition.leaves() {
            let values: Vec<String> = match &leaf.values {
                Values::Networks(networks) => {
                    networks.iter().map(|n| n.value.to_string()).collect()
                }
                Values::Ports(ports) => ports.iter().map(|p| p.value.to_string()).collect(),
                Values::Names(names) => names.iter().map(|n| n.value.clone()).collect(),
            };
            let in_list = |value: &String| {
                lines.contains(&format!("- {value}").as_str())
                    || lines.contains(&format!("{}: {value}", leaf.field.value).as_str())
                    || lines.contains(&format!("- {}: {value}", leaf.field.value).as_str())
            };
            assert!(
                text.contains(&format!("{}:", leaf.field.value)),
                "{}: {}",
                exclusion.id.value,
                leaf.field.value
            );
            for value in &values {
                assert!(in_list(value), "{}: `{value}` is not in the file", exclusion.id.value);
            }
        }
    }
}
