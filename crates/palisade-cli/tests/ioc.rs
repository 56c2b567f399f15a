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
            "checked 1 spec (0 with errors), 1 exclusion: 0 errors, 1 warning; 1 IOC spec expanded into 4 rules and hunting queries"
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
    assert!(stderr.contains("checked 1 spec (0 with errors): 0 errors, 0 warnings\n"), "{stderr}");
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

/// `code file:line` of every diagnostic in `validate --format json` output with this code.
fn with_code(output: &Output, code: &str) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    json["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == code).cloned().collect()
}

/// `file:line` of a diagnostic's secondary spans.
fn secondary_lines(diag: &serde_json::Value) -> Vec<String> {
    diag["secondary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| format!("{}:{}", s["file"].as_str().unwrap(), s["line"]))
        .collect()
}

const DATED: &str =
    "    - type: ip:port\n      value: 172[.]245[.]95[.]9:7601\n      first_seen: 2026-06-06\n";

#[test]
fn exclusion_expiry_is_measured_at_the_as_of_date() {
    let dir = repository(SPEC);
    let validate = |as_of: &str| {
        let output = palisade(dir.path(), &["validate", "--format", "json", "--as-of", as_of]);
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        found(&output)
    };
    // `expires` is the last day the exclusion applies.
    assert_eq!(validate("2020-01-31"), Vec::<String>::new());
    assert_eq!(validate("2020-02-01"), ["warning EXC007 exclusions/splunk-forwarders.yaml:7"]);

    let output = palisade(dir.path(), &["build", "--out", "dist", "--as-of", "2020-01-01"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("EXC007"));
    let output = palisade(dir.path(), &["validate", "--as-of", "2020-13-01"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a date written YYYY-MM-DD"));
}

#[test]
fn indicators_older_than_the_maximum_age_are_warned_about_at_first_seen() {
    let spec = SPEC.replace("    - type: ip:port\n      value: 172[.]245[.]95[.]9:7601\n", DATED);
    let dir = repository(&spec);
    let run = |extra: &[&str]| {
        let mut args = vec!["validate", "--format", "json"];
        args.extend_from_slice(extra);
        let output = palisade(dir.path(), &args);
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        output
    };
    // 90 days after 2026-06-06 is 2026-09-04: not yet over the default maximum.
    assert!(with_code(&run(&["--as-of", "2026-09-04"]), "IOC031").is_empty());
    let output = run(&["--as-of", "2026-09-05"]);
    let old = with_code(&output, "IOC031");
    assert_eq!(old.len(), 1);
    assert_eq!(old[0]["line"], 15, "at `first_seen`");
    assert_eq!(secondary_lines(&old[0]), ["detections/c2.yaml:14"], "and the value");
    assert_eq!(
        old[0]["message"],
        "Indicator `172.245.95.9:7601` was first seen 91 days before 2026-09-05, over the maximum age of 90 days"
    );
    assert!(
        with_code(&run(&["--as-of", "2026-09-05", "--ioc-max-age", "13w"]), "IOC031").is_empty()
    );
    assert_eq!(
        with_code(&run(&["--as-of", "2027-01-01", "--ioc-max-age", "200d"]), "IOC031").len(),
        1
    );
    assert!(
        with_code(&run(&["--as-of", "2030-01-01", "--ioc-max-age", "off"]), "IOC031").is_empty()
    );
    let future = with_code(&run(&["--as-of", "2026-06-05"]), "IOC032");
    assert_eq!(future.len(), 1);
    assert_eq!(future[0]["line"], 15);

    let output = palisade(dir.path(), &["validate", "--ioc-max-age", "3 months"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a maximum age"));
}

#[test]
fn the_same_indicator_in_two_specs_is_reported_at_the_second_with_the_first_related() {
    let dir = repository(SPEC);
    let second = SPEC
        .replace("49e96642-9ade-4842-be56-733ded7f2f41", "5b0c6a4e-2f7d-4a55-9c7e-3f2d1c0b9a88")
        .replace("Unknown RAT C2 traffic", "Second C2 feed")
        .replace("value: 172[.]245[.]95[.]9:7601", "value: 172.245.95.9:7601")
        .replace("value: 194[.]26[.]192[.]187:443", "value: 194.26.192.187:8443");
    write(dir.path(), "detections/d2.yaml", &second);
    let output = palisade(dir.path(), &["validate", "--format", "json", "--as-of", "2020-01-01"]);
    assert_eq!(output.status.code(), Some(0));
    let duplicates = with_code(&output, "IOC030");
    assert_eq!(duplicates.len(), 1, "the other endpoint has another port");
    assert_eq!(duplicates[0]["file"], "detections/d2.yaml");
    assert_eq!(duplicates[0]["line"], 14);
    assert_eq!(duplicates[0]["severity"], "warning");
    assert_eq!(
        duplicates[0]["message"],
        "Indicator `172.245.95.9:7601` is also listed in `detections/c2.yaml`"
    );
    assert_eq!(secondary_lines(&duplicates[0]), ["detections/c2.yaml:14"]);
}

#[test]
fn special_use_addresses_stop_the_build_and_private_ones_warn() {
    let spec = SPEC
        .replace("value: 172[.]245[.]95[.]9:7601", "value: 192[.]0[.]2[.]55:7601")
        .replace("value: 194[.]26[.]192[.]187:443", "value: 172.16.5.4:443");
    let dir = repository(&spec);
    let output = palisade(dir.path(), &["validate", "--format", "json", "--as-of", "2020-01-01"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        found(&output),
        ["error IOC026 detections/c2.yaml:14", "warning IOC027 detections/c2.yaml:16"]
    );
    let output = palisade(dir.path(), &["build", "--out", "dist", "--as-of", "2020-01-01"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!dir.path().join("dist").exists());

    for code in
        ["IOC026", "IOC027", "IOC028", "IOC029", "IOC030", "IOC031", "IOC032", "EXC017", "EXC018"]
    {
        let output = palisade(dir.path(), &["explain", code]);
        assert_eq!(output.status.code(), Some(0), "{code}");
        assert!(String::from_utf8_lossy(&output.stdout).starts_with(code), "{code}");
    }
}

#[test]
fn a_reference_to_an_exclusion_that_fails_to_load_points_at_the_files_error() {
    let dir = repository(SPEC);
    let broken = EXCLUSION
        .replace("process_name: [splunkforwarder.exe, splunkd.exe]", "source_address: 10.1.2.3/8");
    write(dir.path(), "exclusions/splunk-forwarders.yaml", &broken);
    let output = palisade(dir.path(), &["validate", "--format", "json", "--as-of", "2020-01-01"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        found(&output),
        ["error EXC017 detections/c2.yaml:21", "error EXC009 exclusions/splunk-forwarders.yaml:9"],
        "no EXC004: the id is defined, its file is broken"
    );
    let failed = &with_code(&output, "EXC017")[0];
    assert_eq!(failed["message"], "Exclusion `splunk-forwarders` failed to load");
    assert_eq!(
        secondary_lines(failed),
        ["exclusions/splunk-forwarders.yaml:2", "exclusions/splunk-forwarders.yaml:9"]
    );

    let hidden =
        EXCLUSION.replace("title: Splunk forwarders", "title: \"Splunk \u{202E}forwarders\"");
    write(dir.path(), "exclusions/splunk-forwarders.yaml", &hidden);
    let output = palisade(dir.path(), &["validate", "--format", "json", "--as-of", "2020-01-01"]);
    assert_eq!(
        found(&output),
        ["error EXC017 detections/c2.yaml:21", "error EXC018 exclusions/splunk-forwarders.yaml:3"]
    );
}

/// The repository's own content: the seed's public addresses give no special-use finding, and
/// measured at fixed dates it has exactly its three `EXC003` warnings, plus the age warnings
/// once its indicators are over 90 days old.
#[test]
fn the_repository_content_has_no_hygiene_false_positives() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let run = |as_of: &str| {
        let output = palisade(
            &repo,
            &["validate", "--format", "json", "--as-of", as_of, "detections", "exclusions"],
        );
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
        let mut found = found(&output);
        found.sort();
        found
    };
    let exc003 = [
        "warning EXC003 exclusions/intune-software-update.yaml:19",
        "warning EXC003 exclusions/intune-software-update.yaml:19",
        "warning EXC003 exclusions/scheduled-maintenance-internal-repository.yaml:18",
    ];
    assert_eq!(run("2026-06-10"), exc003);
    let mut later: Vec<String> = exc003.iter().map(ToString::to_string).collect();
    later.extend([
        "warning IOC031 detections/unknown-rat-threatfox/unknown-rat-c2.yaml:36".to_string(),
        "warning IOC031 detections/unknown-rat-threatfox/unknown-rat-c2.yaml:41".to_string(),
    ]);
    later.sort();
    assert_eq!(run("2026-12-04"), later);
}
