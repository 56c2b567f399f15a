//! `--format sarif`, `--fail-on` and `palisade.allow` silences, end to end.

#![allow(clippy::unwrap_used)]

mod common;
use common::{palisade, stderr, write};

const RULE: &str = "\
id: 2c4e6a80-1b3d-4f5a-9c7e-0d2f4b6a8c1e
name: Failed sign-ins
description: Many failed sign-ins
severity: Medium
kind: Scheduled
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 5
query: |
  SigninLogs
  | where ResultType != 0
";

const LONG_NAME: &str = "name: Failed sign-ins from many places within a short time window";

#[test]
fn fail_on_warning_fails_on_a_warning_only() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", &RULE.replace("name: Failed sign-ins", LONG_NAME));
    let output = palisade(dir.path(), &["validate", "a.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = palisade(dir.path(), &["validate", "a.yaml", "--fail-on", "error"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = palisade(dir.path(), &["validate", "a.yaml", "--fail-on", "warning"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));

    write(dir.path(), "b.yaml", RULE);
    let output = palisade(dir.path(), &["validate", "b.yaml", "--fail-on", "warning"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = palisade(dir.path(), &["validate", "a.yaml", "--fail-on", "fatal"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn build_takes_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", &RULE.replace("name: Failed sign-ins", LONG_NAME));
    let out = dir.path().join("dist");
    let out = out.to_str().unwrap();
    let output = palisade(dir.path(), &["build", "a.yaml", "--out", out]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = palisade(dir.path(), &["build", "a.yaml", "--out", out, "--fail-on", "warning"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
}

#[test]
fn sarif_format_names_rules_from_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Analytic Rules/a b.yaml",
        &RULE.replace("severity: Medium", "severity: Critical"),
    );
    let output = palisade(dir.path(), &["validate", "Analytic Rules", "--format", "sarif"]);
    assert_eq!(output.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "palisade");
    let rule = &run["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "SPEC013");
    assert_eq!(rule["name"], "invalid-value");
    // The package has no public repository URL, so there is no absolute page to link:
    // SARIF requires `helpUri` and `informationUri` to be absolute, and they are left out.
    assert!(rule.get("helpUri").is_none(), "{rule}");
    assert!(run["tool"]["driver"].get("informationUri").is_none());
    assert!(rule["help"]["markdown"].as_str().unwrap().contains("## What it flags"), "{rule}");
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "SPEC013");
    assert_eq!(result["level"], "error");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "Analytic%20Rules/a%20b.yaml");
    assert_eq!(location["region"]["startLine"], 4);
    assert_eq!(location["region"]["startColumn"], 11);
}

#[test]
fn allow_silences_one_code_for_one_spec_and_counts_it() {
    let dir = tempfile::tempdir().unwrap();
    let allowed = format!(
        "{}palisade:\n  allow:\n    - code: SPEC110\n      reason: the vendor's product name is long\n",
        RULE.replace("name: Failed sign-ins", LONG_NAME)
    );
    write(dir.path(), "rules/a.yaml", &allowed);
    write(
        dir.path(),
        "rules/b.yaml",
        &RULE.replace("name: Failed sign-ins", LONG_NAME).replace(
            "2c4e6a80-1b3d-4f5a-9c7e-0d2f4b6a8c1e",
            "3d5f7b91-2c4e-4a6b-8d9f-1e3a5c7b9d2f",
        ),
    );
    let output = palisade(dir.path(), &["validate", "rules", "--format", "json"]);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(&str, &str)> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    assert_eq!(found, [("SPEC110", "rules/b.yaml")]);
    assert_eq!(document["summary"]["silenced"], 1);
    assert!(stderr(&output).contains("; 1 silenced"), "{}", stderr(&output));

    // Without a reason the finding is still silenced, with a warning; a stale entry warns.
    let no_reason = format!(
        "{}palisade:\n  allow:\n    - code: SPEC110\n    - code: SPEC113\n      reason: r\n",
        RULE.replace("name: Failed sign-ins", LONG_NAME)
    );
    write(dir.path(), "c.yaml", &no_reason);
    let output = palisade(dir.path(), &["validate", "c.yaml", "--format", "json"]);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SPEC141", "SPEC143"]);
    assert_eq!(document["summary"]["silenced"], 1);
}
