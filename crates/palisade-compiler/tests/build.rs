//! The build as a whole: determinism, line-ending independence, the manifest, bundles,
//! duplicate names, API-version pins, and the atomic writer.

#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use std::fs;

use palisade_compiler::{Options, build, codes, write_atomically};
use palisade_diagnostics::FileId;
use serde_json::Value as Json;

const RULE: &str = "id: 11111111-2222-4333-8444-555555555555
name: '[DEV] Impossible travel [T1078]'
description: Two sign-ins too far apart.
severity: Medium
kind: Scheduled
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics:
  - InitialAccess
query: |
  SigninLogs
  | where ResultType == 0
  | where Tags has \"]\"
";

fn rule_with(id: &str, name: &str) -> String {
    RULE.replace("11111111-2222-4333-8444-555555555555", id)
        .replace("'[DEV] Impossible travel [T1078]'", name)
}

fn detections() -> Vec<palisade_spec::Detection> {
    vec![
        support::load_clean("detections/a.yaml", RULE),
        support::load_clean(
            "detections/b.yaml",
            &rule_with(
                "22222222-2222-4333-8444-555555555555",
                "'[DEV] Sign-ins from two countries'",
            ),
        ),
    ]
}

#[test]
fn same_input_gives_same_bytes_in_any_order() {
    let first = build(&detections(), &Options::default());
    let second = build(&detections(), &Options::default());
    let mut reversed_input = detections();
    reversed_input.reverse();
    let reversed = build(&reversed_input, &Options::default());
    assert!(!first.has_errors(), "{:?}", first.diagnostics);
    assert_eq!(first.files, second.files);
    assert_eq!(first.files, reversed.files);
}

#[test]
fn crlf_and_lf_specs_give_identical_output() {
    let lf = support::load_clean("detections/a.yaml", RULE);
    let crlf = support::load_clean("detections/a.yaml", &RULE.replace('\n', "\r\n"));
    let lf_out = build(&[lf], &Options::default());
    let crlf_out = build(&[crlf], &Options::default());
    assert!(!lf_out.files.is_empty());
    assert_eq!(lf_out.files, crlf_out.files);
    for bytes in lf_out.files.values() {
        assert!(!bytes.contains(&b'\r'), "output must use LF only");
        assert_eq!(bytes.last(), Some(&b'\n'));
    }
}

#[test]
fn bracketed_names_are_escaped_in_arm_only() {
    let output = build(&detections(), &Options::default());
    let arm_a = String::from_utf8(output.files["arm/analytics-rules/a.json"].clone()).unwrap();
    let arm_b = String::from_utf8(output.files["arm/analytics-rules/b.json"].clone()).unwrap();
    let bicep_a = String::from_utf8(output.files["bicep/analytics-rules/a.bicep"].clone()).unwrap();
    let bicep_b = String::from_utf8(output.files["bicep/analytics-rules/b.bicep"].clone()).unwrap();

    assert!(arm_a.contains(r#""displayName": "[[DEV] Impossible travel [T1078]""#), "{arm_a}");
    assert!(arm_b.contains(r#""displayName": "[DEV] Sign-ins from two countries""#), "{arm_b}");
    assert!(bicep_a.contains("displayName: '[DEV] Impossible travel [T1078]'"), "{bicep_a}");
    assert!(bicep_b.contains("displayName: '[DEV] Sign-ins from two countries'"), "{bicep_b}");
    // The query ends with `]` and a newline, so it is not an expression and is not escaped.
    assert!(arm_a.contains(r#"| where Tags has \"]\"\n""#), "{arm_a}");
}

#[test]
fn manifest_lists_every_template_with_its_hash() {
    let output = build(&detections(), &Options::default());
    let manifest: Json = support::parse_json(&output.files["manifest.json"]);
    let entries = manifest["detections"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["spec"], "detections/a.yaml");
    assert_eq!(entries[0]["guid"], "11111111-2222-4333-8444-555555555555");
    assert_eq!(
        entries[0]["resourceName"],
        "{workspace}/Microsoft.SecurityInsights/11111111-2222-4333-8444-555555555555"
    );
    for entry in entries {
        for format in ["arm", "bicep"] {
            let path = entry[format]["path"].as_str().unwrap();
            let hash = palisade_compiler::build::sha256_hex(&output.files[path]);
            assert_eq!(entry[format]["sha256"], hash);
        }
    }
    let bundle = &manifest["bundles"][0];
    assert_eq!(bundle["path"], "bundle/bundle.json");
    let bundle_template = support::parse_json(&output.files["bundle/bundle.json"]);
    assert_eq!(bundle_template["resources"].as_array().unwrap().len(), 2);
}

#[test]
fn bundles_split_at_arm_resource_limit() {
    let many: Vec<_> = (0..801)
        .map(|idx| {
            let id = format!("rule-{idx:04}");
            let text = rule_with(&id, &format!("'Rule {idx}'"));
            support::load_detection(FileId(idx), &format!("detections/r{idx:04}.yaml"), &text)
                .unwrap()
        })
        .collect();
    let output = build(&many, &Options::default());
    assert!(!output.has_errors());
    let first = support::parse_json(&output.files["bundle/bundle-001.json"]);
    let second = support::parse_json(&output.files["bundle/bundle-002.json"]);
    assert_eq!(first["resources"].as_array().unwrap().len(), 800);
    assert_eq!(second["resources"].as_array().unwrap().len(), 1);
    assert!(!output.files.contains_key("bundle/bundle.json"));
}

#[test]
fn duplicate_ids_are_an_error_naming_both_files() {
    let one = support::load_detection(FileId(0), "detections/one.yaml", RULE).unwrap();
    let two = support::load_detection(FileId(1), "detections/two.yaml", RULE).unwrap();
    let three = support::load_detection(
        FileId(2),
        "detections/three.yaml",
        &rule_with("33333333-2222-4333-8444-555555555555", "Other"),
    )
    .unwrap();
    let output = build(&[one, two, three], &Options::default());
    let duplicates: Vec<_> =
        output.diagnostics.iter().filter(|d| d.code == codes::DUPLICATE_RESOURCE_NAME).collect();
    assert_eq!(duplicates.len(), 2);
    for diag in &duplicates {
        assert!(diag.message.contains("detections/one.yaml"), "{}", diag.message);
        assert!(diag.message.contains("detections/two.yaml"), "{}", diag.message);
        assert_eq!(diag.secondary.len(), 1);
    }
    assert_eq!(output.failed, vec!["detections/one.yaml", "detections/two.yaml"]);
    assert!(output.files.contains_key("arm/analytics-rules/three.json"));
    assert!(!output.files.contains_key("arm/analytics-rules/one.json"));
}

#[test]
fn pinned_stable_api_version_rejects_nrt() {
    let text =
        "id: nrt-1\nname: NRT\nseverity: High\nkind: NRT\napiVersion: '2025-09-01'\nquery: T\n";
    let detection = support::load_clean("detections/nrt.yaml", text);
    let output = build(&[detection], &Options::default());
    let diag = output.diagnostics.iter().find(|d| d.code == codes::API_VERSION_LACKS_FEATURE);
    let diag = diag.unwrap_or_else(|| panic!("{:?}", output.diagnostics));
    assert!(diag.message.contains("`kind: NRT`"), "{}", diag.message);
    assert_eq!(output.failed, vec!["detections/nrt.yaml"]);

    let unpinned =
        support::load_clean("detections/nrt.yaml", &text.replace("apiVersion: '2025-09-01'\n", ""));
    let output = build(&[unpinned], &Options::default());
    let arm = support::parse_json(&output.files["arm/analytics-rules/nrt.json"]);
    assert_eq!(arm["resources"][0]["apiVersion"], "2025-07-01-preview");
    assert_eq!(arm["resources"][0]["kind"], "NRT");
    assert!(arm["resources"][0]["properties"].get("queryFrequency").is_none());
}

#[test]
fn colliding_file_stems_get_the_guid() {
    let one = support::load_detection(FileId(0), "x/rule.yaml", RULE).unwrap();
    let two = support::load_detection(
        FileId(1),
        "y/Rule.yaml",
        &rule_with("33333333-2222-4333-8444-555555555555", "Other"),
    )
    .unwrap();
    let output = build(&[one, two], &Options::default());
    let arm: Vec<_> =
        output.files.keys().filter(|p| p.starts_with("arm/analytics-rules/")).collect();
    assert_eq!(
        arm,
        vec![
            "arm/analytics-rules/Rule-33333333-2222-4333-8444-555555555555.json",
            "arm/analytics-rules/rule-11111111-2222-4333-8444-555555555555.json",
        ]
    );
}

fn snapshot_dir(dir: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walk(dir) {
        let relative = entry.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        files.insert(relative, fs::read(&entry).unwrap());
    }
    files
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn writer_swaps_in_the_new_folder_and_drops_stale_files() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("dist");
    let first = build(&detections(), &Options::default());
    write_atomically(&out, &first.files).unwrap();
    assert_eq!(snapshot_dir(&out), first.files);

    let second = build(&detections()[..1], &Options::default());
    write_atomically(&out, &second.files).unwrap();
    assert_eq!(snapshot_dir(&out), second.files);
    let leftovers: Vec<_> =
        fs::read_dir(temp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("dist")], "temporary folders left behind");
}

#[test]
fn failed_write_leaves_existing_output_untouched() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("dist");
    let good = build(&detections(), &Options::default());
    write_atomically(&out, &good.files).unwrap();
    let before = snapshot_dir(&out);

    // `a` as a file and `a/b` as a file cannot both exist, so writing fails half way.
    let mut broken = good.files.clone();
    broken.insert("zz".into(), b"file".to_vec());
    broken.insert("zz/inner.json".into(), b"{}".to_vec());
    assert!(write_atomically(&out, &broken).is_err());
    assert_eq!(snapshot_dir(&out), before);
    let leftovers: Vec<_> =
        fs::read_dir(temp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "temporary folders left behind: {leftovers:?}");

    let mut escaping = good.files.clone();
    escaping.insert("../outside.json".into(), b"{}".to_vec());
    assert!(write_atomically(&out, &escaping).is_err());
    assert_eq!(snapshot_dir(&out), before);
    assert!(!temp.path().join("outside.json").exists());
}

#[test]
fn a_folder_that_cannot_be_created_is_the_systems_own_error_naming_the_parent_once() {
    let temp = tempfile::tempdir().unwrap();
    // The output name fits a file name, but the temporary `.<name>.new-<random>` next to it
    // does not, so creating that folder fails.
    let out = temp.path().join("d".repeat(250));
    let output = build(&detections(), &Options::default());
    let error = write_atomically(&out, &output.files).unwrap_err();
    let palisade_compiler::EmitError::Io { action, path, error: cause } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*action, "creating a temporary folder in");
    assert_eq!(path, temp.path());
    assert!(cause.raw_os_error().is_some(), "the OS error itself: {cause:?}");
    let text = error.to_string();
    assert_eq!(text, format!("creating a temporary folder in {}: {cause}", temp.path().display()));
    assert!(!text.contains(".new-") && !text.contains("at path"), "{text}");
    assert_eq!(fs::read_dir(temp.path()).unwrap().count(), 0);
}

#[test]
fn writer_refuses_to_replace_a_foreign_folder() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("src");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("main.rs"), b"fn main() {}").unwrap();
    let output = build(&detections(), &Options::default());
    let error = write_atomically(&out, &output.files).unwrap_err();
    assert!(error.to_string().contains("refusing"), "{error}");
    assert_eq!(fs::read(out.join("main.rs")).unwrap(), b"fn main() {}");

    let file = temp.path().join("file");
    fs::write(&file, b"x").unwrap();
    assert!(write_atomically(&file, &output.files).is_err());
    assert_eq!(fs::read(&file).unwrap(), b"x");
}

#[test]
fn tactics_get_their_arm_spelling_and_unknown_ones_are_errors() {
    let text = RULE.replace(
        "tactics:\n  - InitialAccess\n",
        "tactics:\n  - Command and Control\n  - defenseevasion\n  - InitialAccess\n",
    );
    let detection = support::load_detection(FileId(0), "detections/t.yaml", &text).unwrap();
    let output = build(&[detection], &Options::default());
    assert!(!output.has_errors(), "{:?}", output.diagnostics);
    let arm = support::parse_json(&output.files["arm/analytics-rules/t.json"]);
    assert_eq!(
        arm["resources"][0]["properties"]["tactics"],
        serde_json::json!(["CommandAndControl", "DefenseEvasion", "InitialAccess"])
    );

    let unknown = RULE.replace("  - InitialAccess\n", "  - Recon\n");
    let detection = support::load_detection(FileId(0), "detections/u.yaml", &unknown).unwrap();
    let output = build(&[detection], &Options::default());
    let diag = output.diagnostics.iter().find(|d| d.code == codes::TACTIC_NOT_IN_ARM).unwrap();
    assert!(diag.message.contains("`Recon`"), "{}", diag.message);
    assert_eq!(output.failed, vec!["detections/u.yaml"]);
}
