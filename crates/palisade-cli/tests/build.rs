//! `palisade build` end to end: output files, exit codes, `--keep-going`, atomic replacement,
//! determinism and line endings.

#![allow(clippy::unwrap_used)]

use std::path::Path;

mod common;
use common::{palisade, stderr, stdout, tree, write};

/// The shared rule with a name ARM must escape (`[` first) and a tactic.
fn travel() -> String {
    common::RULE
        .replace("name: Failed sign-ins", "name: '[DEV] Impossible travel [T1078]'")
        .replace("query: |", "tactics:\n  - InitialAccess\nquery: |")
}

const BROKEN: &str =
    "id: 9d1e2f30-4a5b-4c6d-8e7f-0a1b2c3d4e5f\nname: Broken\nseverity: Hgh\nquery: T\n";

#[test]
fn builds_arm_bicep_bundle_and_manifest() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "detections/travel.yaml", &travel());
    let output = palisade(dir.path(), &["build", "detections", "--out", "dist"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("built 1 analytics rule and 0 hunting queries"),
        "{}",
        stderr(&output)
    );

    let files = tree(&dir.path().join("dist"));
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        vec![
            "arm/analytics-rules/travel.json",
            "bicep/analytics-rules/travel.bicep",
            "bundle/bundle.json",
            "manifest.json"
        ]
    );
    let arm = String::from_utf8(files["arm/analytics-rules/travel.json"].clone()).unwrap();
    assert!(arm.contains(r#""displayName": "[[DEV] Impossible travel [T1078]""#), "{arm}");
    let bicep = String::from_utf8(files["bicep/analytics-rules/travel.bicep"].clone()).unwrap();
    assert!(bicep.contains("displayName: '[DEV] Impossible travel [T1078]'"), "{bicep}");
}

#[test]
fn two_builds_and_crlf_input_give_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "lf/detections/travel.yaml", &travel());
    write(dir.path(), "crlf/detections/travel.yaml", &travel().replace('\n', "\r\n"));
    let lf = dir.path().join("lf");
    let crlf = dir.path().join("crlf");

    assert_eq!(palisade(&lf, &["build", "detections", "--out", "dist"]).status.code(), Some(0));
    let first = tree(&lf.join("dist"));
    assert_eq!(palisade(&lf, &["build", "detections", "--out", "dist"]).status.code(), Some(0));
    assert_eq!(tree(&lf.join("dist")), first);

    assert_eq!(palisade(&crlf, &["build", "detections", "--out", "dist"]).status.code(), Some(0));
    assert_eq!(tree(&crlf.join("dist")), first);
}

#[test]
fn broken_spec_leaves_existing_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "detections/travel.yaml", &travel());
    assert_eq!(palisade(dir.path(), &["build", "detections"]).status.code(), Some(0));
    let before = tree(&dir.path().join("dist"));

    write(dir.path(), "detections/broken.yaml", BROKEN);
    write(dir.path(), "detections/travel.yaml", &travel().replace("Medium", "High"));
    let output = palisade(dir.path(), &["build", "detections"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("build stopped"), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("broken.yaml"));
    assert_eq!(tree(&dir.path().join("dist")), before);
}

#[test]
fn keep_going_builds_the_valid_specs_and_reports_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "detections/travel.yaml", &travel());
    write(dir.path(), "detections/broken.yaml", BROKEN);
    let output = palisade(dir.path(), &["build", "detections", "--keep-going", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = document["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics
            .iter()
            .any(|d| d["severity"] == "error"
                && d["file"].as_str().unwrap().ends_with("broken.yaml"))
    );
    assert!(stderr(&output).contains("1 spec with errors left out"), "{}", stderr(&output));

    let files = tree(&dir.path().join("dist"));
    assert!(files.contains_key("arm/analytics-rules/travel.json"));
    assert!(!files.keys().any(|path| path.contains("broken")));
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "detections/travel.yaml", &travel());
    write(dir.path(), "src/main.rs", "fn main() {}");
    let output = palisade(dir.path(), &["build", "detections", "--out", "src"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(std::fs::read(dir.path().join("src/main.rs")).unwrap(), b"fn main() {}");
}

#[test]
fn rule_shape_and_technique_tag_flags_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "detections/travel.yaml", &travel());
    let output = palisade(
        dir.path(),
        &["build", "detections", "--out", "dist", "--rule-shape", "extension"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let arm =
        std::fs::read_to_string(dir.path().join("dist/arm/analytics-rules/travel.json")).unwrap();
    assert!(arm.contains(r#""type": "Microsoft.SecurityInsights/alertRules""#), "{arm}");
    assert!(arm.contains(r#""scope": "#), "{arm}");
    assert!(arm.contains(r#""name": "2c4e6a80-1b3d-4f5a-9c7e-0d2f4b6a8c1e""#), "{arm}");

    let hunt = "id: hunt-one\nname: Hunt\ndescription: d\nrelevantTechniques:\n  - T1078\n\
                query: SigninLogs\n";
    write(dir.path(), "hunts/hunt.yaml", hunt);
    let args = ["build", "hunts", "--out", "out2", "--hunting-technique-tag", "techniques"];
    let output = palisade(dir.path(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let arm =
        std::fs::read_to_string(dir.path().join("out2/arm/hunting-queries/hunt.json")).unwrap();
    assert!(arm.contains(r#""name": "techniques""#), "{arm}");
    assert!(!arm.contains("relevantTechniques"), "{arm}");

    let output = palisade(dir.path(), &["build", "hunts", "--hunting-technique-tag", " "]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));

    // A built-in tag name would give the saved search two tags of that name.
    for taken in ["description", "tactics", "Tactics"] {
        let args = ["build", "hunts", "--out", "out3", "--hunting-technique-tag", taken];
        let output = palisade(dir.path(), &args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{err}");
        assert!(err.contains("collides with the built-in tag"), "{err}");
        assert!(!dir.path().join("out3").exists());
    }
}

/// A `manifest.json` alone does not make a folder ours: the specs' own folder, or a folder
/// with some other tool's manifest, must never be replaced.
#[test]
fn refuses_a_folder_with_a_foreign_manifest_or_other_entries() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "detections/travel.yaml", &travel());
    write(dir.path(), "detections/manifest.json", "garbage");
    let output = palisade(dir.path(), &["build", "detections", "--out", "detections"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("detections/travel.yaml")).unwrap(),
        travel()
    );

    write(dir.path(), "site/manifest.json", r#"{"name": "web app"}"#);
    let output = palisade(dir.path(), &["build", "detections/travel.yaml", "--out", "site"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("refusing to replace it"), "{}", stderr(&output));

    // A previous build is replaced, even when built from another folder.
    let output = palisade(dir.path(), &["build", "detections/travel.yaml", "--out", "dist"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = palisade(dir.path(), &["build", "detections/travel.yaml", "--out", "dist"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn a_file_added_to_a_previous_build_is_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "detections/travel.yaml", &travel());
    let output = palisade(dir.path(), &["build", "detections", "--out", "dist"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    write(dir.path(), "dist/arm/extra.json", "{\"mine\": true}");
    let before = tree(&dir.path().join("dist"));

    let output = palisade(dir.path(), &["build", "detections", "--out", "dist"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("arm/extra.json") && err.contains("refusing"), "{err}");
    assert_eq!(tree(&dir.path().join("dist")), before);
}

/// Clears the immutable attribute under a folder when dropped, so a failing test still
/// leaves a temporary folder that can be removed.
struct Mutable<'a>(&'a Path);

impl Drop for Mutable<'_> {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr").arg("-R").arg("-i").arg(self.0).status();
    }
}

/// Sets the immutable attribute on `path`; false (with a loud SKIPPED line) when this
/// system cannot (no `chattr`, not root, or a file system without the attribute).
fn make_immutable(path: &Path, test: &str) -> bool {
    let done = std::process::Command::new("chattr")
        .arg("+i")
        .arg(path)
        .output()
        .is_ok_and(|output| output.status.success());
    // Root may write past permissions but not past the attribute: check that it holds.
    if done && std::fs::write(path.join("probe"), b"x").is_err() {
        return true;
    }
    let _ = std::fs::remove_file(path.join("probe"));
    eprintln!("SKIPPED {test}: `chattr +i` does not work here (needs root and ext4 or similar)");
    false
}

#[test]
fn an_old_output_that_cannot_be_removed_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let _guard = Mutable(dir.path());
    write(dir.path(), "detections/travel.yaml", &travel());
    let output = palisade(dir.path(), &["build", "detections", "--out", "x/dist"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    if !make_immutable(&dir.path().join("x/dist/arm"), "an_old_output_that_cannot_be_removed") {
        return;
    }

    let output = palisade(dir.path(), &["build", "detections", "--out", "x/dist"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    let leftovers: Vec<String> = std::fs::read_dir(dir.path().join("x"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "dist")
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    assert!(leftovers[0].starts_with(".dist.old-"), "{leftovers:?}");
    assert!(err.contains("palisade: warning:"), "{err}");
    assert!(err.contains(&format!("x/{}", leftovers[0])), "the warning names the folder: {err}");
    assert!(err.contains("delete"), "{err}");
    assert!(dir.path().join("x/dist/manifest.json").is_file());
}

#[test]
fn an_unwritable_parent_is_reported_once_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let _guard = Mutable(dir.path());
    write(dir.path(), "detections/travel.yaml", &travel());
    std::fs::create_dir(dir.path().join("x")).unwrap();
    if !make_immutable(&dir.path().join("x"), "an_unwritable_parent_is_reported_once") {
        return;
    }

    let output = palisade(dir.path(), &["build", "detections", "--out", "x/dist"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert_eq!(err.matches("Operation not permitted").count(), 1, "{err}");
    assert!(!err.contains(".dist.new-"), "no temporary name: {err}");
    assert!(err.contains("creating a temporary folder in x:"), "{err}");
    assert!(err.contains("`--out`") && err.contains("lsattr"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path().join("x")).unwrap().count(), 0);
}

/// Repeated tactics (also in another spelling) reach ARM once, in first-seen order, with a
/// warning at each repeat; hunting-query tags likewise.
#[test]
fn repeated_tactics_are_emitted_once() {
    let dir = tempfile::tempdir().unwrap();
    let tactics =
        "tactics:\n  - Execution\n  - Command and Control\n  - Execution\n  - commandandcontrol\n";
    write(dir.path(), "detections/rule.yaml", &format!("{}{tactics}", common::RULE));
    write(
        dir.path(),
        "hunts/hunt.yaml",
        &format!("id: hunt-two\nname: Hunt\ndescription: d\nquery: SigninLogs\n{tactics}"),
    );
    let output = palisade(dir.path(), &["build", "detections", "hunts", "--out", "dist"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert_eq!(stdout(&output).matches("SPEC145").count(), 4, "{}", stdout(&output));
    let arm =
        std::fs::read_to_string(dir.path().join("dist/arm/analytics-rules/rule.json")).unwrap();
    let rule: serde_json::Value = serde_json::from_str(&arm).unwrap();
    let tactics = &rule["resources"][0]["properties"]["tactics"];
    assert_eq!(tactics, &serde_json::json!(["Execution", "CommandAndControl"]), "{arm}");
    let hunt =
        std::fs::read_to_string(dir.path().join("dist/arm/hunting-queries/hunt.json")).unwrap();
    assert!(hunt.contains(r#""value": "Execution,CommandAndControl""#), "{hunt}");
}
