//! The checks across the files of a run through the library: `check_file` on each file, then
//! `check_project` on the detections, as `palisade validate` runs them.

#![allow(clippy::unwrap_used)]

use palisade_diagnostics::{Diagnostic, SourceFiles};
use palisade_ioc::Date;
use palisade_ioc::hygiene::AgePolicy;
use palisade_spec::load::Outcome;
use palisade_validator::{check_file, check_project};

fn spec(id: &str, indicators: &str) -> String {
    format!(
        "id: {id}
name: C2 traffic
description: Traffic to C2 servers
severity: High
kind: Scheduled
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
iocs:
  source: ThreatFox
  indicators:
{indicators}targets:
  - DeviceNetworkEvents
"
    )
}

/// `code path:line` of each finding.
fn found(files: &SourceFiles, diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|diag| {
            let file = files.get(diag.primary.span.file);
            let line = file.text()[..diag.primary.span.start as usize].matches('\n').count() + 1;
            format!("{} {}:{line}", diag.code, file.path())
        })
        .collect()
}

/// Checks each (path, text) and returns the files, each file's own findings, and the
/// detections.
fn load(specs: &[(&str, String)]) -> (SourceFiles, Vec<Diagnostic>, Vec<palisade_spec::Detection>) {
    let mut files = SourceFiles::new();
    let mut own = Vec::new();
    let mut detections = Vec::new();
    for (path, text) in specs {
        let (_, result) = check_file(&mut files, path, text.as_bytes());
        own.extend(result.diagnostics);
        if let Outcome::Detection(detection) = result.outcome {
            detections.push(*detection);
        }
    }
    (files, own, detections)
}

fn policy(as_of: &str, max_age_days: Option<u32>) -> AgePolicy {
    AgePolicy { as_of: Date::parse(as_of).unwrap(), max_age_days }
}

const ADDRESS: &str = "    - type: ip\n      value: 172[.]245[.]95[.]9\n";
const ENDPOINT: &str = "    - type: ip:port\n      value: 172.245.95.9:7601\n";

#[test]
fn a_library_caller_gets_the_run_wide_indicator_findings() {
    let dated = "    - type: ip:port\n      value: 194.26.192.187:443\n      first_seen: 2026-01-10\n      last_seen: 2026-11-30\n";
    let stale = "    - type: ip\n      value: 45.77.10.1\n      first_seen: 2026-06-06\n      last_seen: 2026-07-01\n";
    let (files, own, detections) = load(&[
        (
            "detections/a.yaml",
            spec("8b2c1f3e-0d6a-4c1e-9a51-2f3b4c5d6e7f", &format!("{ADDRESS}{dated}")),
        ),
        (
            "detections/b.yaml",
            spec(
                "\"{8B2C1F3E-0D6A-4C1E-9A51-2F3B4C5D6E7F}\"",
                &format!("{ENDPOINT}{stale}{ADDRESS}"),
            ),
        ),
    ]);
    // Within b, the endpoint is covered by b's own address when the set is built.
    assert_eq!(found(&files, &own), ["IOC033 detections/b.yaml:14"]);

    let diagnostics = check_project(&detections, policy("2026-12-04", Some(90)));
    assert_eq!(
        found(&files, &diagnostics),
        [
            // The same GUID written twice; the duplicate address in b; b's 45.77.10.1 was last
            // seen 156 days before the as-of date (first seen 181 days before: the same finding).
            "SPEC107 detections/b.yaml:1",
            "IOC031 detections/b.yaml:18",
            "IOC030 detections/b.yaml:20",
        ]
    );
    assert!(diagnostics[1].message.contains("was last seen 156 days before 2026-12-04"));

    let diagnostics = check_project(&detections, policy("2026-12-04", None));
    assert_eq!(
        found(&files, &diagnostics),
        ["SPEC107 detections/b.yaml:1", "IOC030 detections/b.yaml:20"]
    );
}

#[test]
fn an_endpoint_in_one_spec_covered_by_an_address_in_another_is_reported_at_the_endpoint() {
    let (files, own, detections) = load(&[
        ("detections/a.yaml", spec("a", ENDPOINT)),
        ("detections/b.yaml", spec("b", ADDRESS)),
    ]);
    assert_eq!(own, []);
    let diagnostics = check_project(&detections, policy("2026-12-04", Some(90)));
    assert_eq!(found(&files, &diagnostics), ["IOC033 detections/a.yaml:14"]);
    assert_eq!(
        diagnostics[0].message,
        "Indicator `172.245.95.9:7601` is covered by `172.245.95.9` in `detections/b.yaml`"
    );
}

#[test]
fn last_seen_is_read_and_checked_like_first_seen() {
    let check = |extra: &str| {
        let indicators = format!("    - type: ip\n      value: 45.77.10.1\n{extra}");
        let (files, own, _) = load(&[("detections/a.yaml", spec("a", &indicators))]);
        found(&files, &own)
    };
    assert_eq!(check("      last_seen: 2026-06-06\n"), Vec::<String>::new());
    assert_eq!(check("      last_seen: June 6th\n"), ["IOC034 detections/a.yaml:15"]);
    assert_eq!(
        check("      first_seen: 2026-06-06\n      last_seen: 2026-06-05\n"),
        ["IOC035 detections/a.yaml:16"]
    );
    assert_eq!(
        check("      first_seen: 2026-06-06\n      last_seen: 2026-06-06\n"),
        Vec::<String>::new()
    );
}
