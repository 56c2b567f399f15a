//! IOC specs and exclusion files through `palisade validate` and `palisade build`: diagnostics
//! at their YAML lines, and the generated rules and hunting queries on disk.

#![allow(clippy::unwrap_used)]

use std::process::Output;

mod common;
use common::{palisade, write};

const SPEC: &str = "\
id: 49e96642-9ade-4842-be56-733ded7f2f41
name: Unknown RAT C2 traffic
description: Traffic to two C2 servers
severity: High
kind: Scheduled
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
iocs:
  source: ThreatFox
  indicators:
    - type: ip:port
      value: 172[.]245[.]95[.]9:7601
    - type: ip:port
      value: 194[.]26[.]192[.]187:443
targets:
  - CommonSecurityLog
  - DeviceNetworkEvents
exclusions:
  - splunk-forwarders
";

const EXCLUSION: &str = "\
exclusion:
  id: splunk-forwarders
  title: Splunk forwarders
  scenario: Forwarders send logs to the indexers.
  rationale: The forwarder is not an implant.
  owner: soc
  expires: 2020-01-31
  condition:
    process_name: [splunkforwarder.exe, splunkd.exe]
";

fn repository(spec: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), "detections/c2.yaml", spec);
    write(dir.path(), "exclusions/splunk-forwarders.yaml", EXCLUSION);
    dir
}

/// `severity code file:line` of every diagnostic in `validate --format json` output.
fn found(output: &Output) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {}:{}",
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"]
            )
        })
        .collect()
}

#[test]
fn a_clean_ioc_spec_validates_and_builds_two_rules_and_two_hunting_queries() {
    let dir = repository(SPEC);
    let output = palisade(dir.path(), &["validate", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    // The exclusion expired in 2020: still applied, with a warning at its `expires` line.
    assert_eq!(found(&output), ["warning EXC007 exclusions/splunk-forwarders.yaml:7"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "checked 2 files: 4 specs loaded (0 with errors), 0 skipped; 1 exclusion, 1 IOC spec expanded into 4 rules and hunting queries"
        ),
        "{stderr}"
    );

    let output = palisade(dir.path(), &["build", "--out", "dist"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("built 2 analytics rules and 2 hunting queries"), "{stderr}");
    let rule = std::fs::read_to_string(
        dir.path().join("dist/arm/analytics-rules/c2-DeviceNetworkEvents.json"),
    )
    .unwrap();
    let rule: serde_json::Value = serde_json::from_str(&rule).unwrap();
    let props = &rule["resources"][0]["properties"];
    assert_eq!(props["displayName"], "Unknown RAT C2 traffic in DeviceNetworkEvents");
    let query = props["query"].as_str().unwrap();
    assert!(query.contains("| where RemoteIP in (malicious_ipv4)\n"), "{query}");
    assert!(
        query.contains(
            "| where not(InitiatingProcessFileName in~ (\"splunkforwarder.exe\", \"splunkd.exe\"))"
        ),
        "{query}"
    );
    for path in [
        "dist/arm/hunting-queries/c2-CommonSecurityLog.json",
        "dist/bicep/analytics-rules/c2-CommonSecurityLog.bicep",
        "dist/bicep/hunting-queries/c2-DeviceNetworkEvents.bicep",
    ] {
        assert!(dir.path().join(path).is_file(), "{path}");
    }
}

#[test]
fn ioc_and_exclusion_errors_are_reported_at_their_lines_and_stop_the_build() {
    let spec = SPEC
        .replace("value: 194[.]26[.]192[.]187:443", "value: 194[.]26[.]192[.]187:99999")
        .replace("  - splunk-forwarders\n", "  - splunk-forwarder\n")
        .replace("  - DeviceNetworkEvents\n", "  - DeviceNetworkEvent\n");
    let dir = repository(&spec);
    let output = palisade(dir.path(), &["validate", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        found(&output),
        [
            "error IOC003 detections/c2.yaml:16",
            "error IOC018 detections/c2.yaml:19",
            "error EXC004 detections/c2.yaml:21",
            "note EXC015 exclusions/splunk-forwarders.yaml:2",
            "warning EXC007 exclusions/splunk-forwarders.yaml:7",
        ]
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let exc004 = json["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "EXC004");
    let exc004 = exc004.unwrap();
    assert_eq!(exc004["message"], "No exclusion has the id `splunk-forwarder`");
    assert_eq!(exc004["help"], "the nearest known id is `splunk-forwarders`");

    let output = palisade(dir.path(), &["build", "--out", "dist"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!dir.path().join("dist").exists(), "nothing is written");
}

#[test]
fn a_condition_on_a_missing_column_is_a_warning_naming_exclusion_field_and_table() {
    let exclusion = EXCLUSION
        .replace("  expires: 2020-01-31\n", "")
        .replace("process_name: [splunkforwarder.exe, splunkd.exe]", "source_address: 10.0.0.0/8");
    let dir = repository(SPEC);
    write(dir.path(), "exclusions/splunk-forwarders.yaml", &exclusion);
    let output = palisade(dir.path(), &["validate", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let messages: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (d["code"].as_str().unwrap().to_owned(), d["message"].as_str().unwrap().to_owned())
        })
        .collect();
    // Only part of the internal space, so it does not hide every internal host (no EXC006).
    assert_eq!(
        messages,
        [(
            "EXC003".to_owned(),
            "Exclusion `splunk-forwarders` tests `source_address`, which `DeviceNetworkEvents` does not have".to_owned()
        )]
    );
}

#[test]
fn naming_one_spec_still_reads_the_repository_exclusions_and_other_runs_do_not() {
    let dir = repository(SPEC);
    let output = palisade(dir.path(), &["validate", "--format", "json", "detections/c2.yaml"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(found(&output), ["warning EXC007 exclusions/splunk-forwarders.yaml:7"]);

    write(dir.path(), "other/rule.yaml", "id: r\nname: n\nquery: SigninLogs\n");
    let output = palisade(dir.path(), &["validate", "--format", "json", "other"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        found(&output),
        Vec::<String>::new(),
        "no exclusion is read for a run without IOC specs"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("checked 1 file: 1 spec loaded (0 with errors), 0 skipped\n"),
        "{stderr}"
    );
}

/// A name that fits Sentinel's 256 characters alone can overflow once ` in <table>` is
/// appended: that is an error at the `name` line, and nothing is built.
#[test]
fn a_generated_name_over_256_characters_is_an_error() {
    let long_name = "N".repeat(240);
    let dir = repository(&SPEC.replace("Unknown RAT C2 traffic", &long_name));
    let output = palisade(dir.path(), &["validate", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let found = found(&output);
    let errors: Vec<&String> = found.iter().filter(|f| f.starts_with("error")).collect();
    assert_eq!(
        errors,
        ["error SPEC109 detections/c2.yaml:2", "error SPEC109 detections/c2.yaml:2"],
        "{found:?}"
    );
    let output = palisade(dir.path(), &["build", "--out", "dist"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!dir.path().join("dist").exists());
}
