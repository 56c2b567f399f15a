//! `palisade validate` end to end: exit codes, default folders, formats.

#![allow(clippy::unwrap_used)]

mod common;
use common::{palisade, stdout, write};

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

#[test]
fn clean_repository_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), "detections/a.yaml", RULE);
    write(dir.path(), "detections/notes.txt", "not yaml");

    // Run from a subfolder: the defaults come from the repository root.
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    let output = palisade(&dir.path().join("docs"), &["validate"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout(&output), "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("checked 1 file: 1 spec loaded (0 with errors), 0 skipped"),
        "{stderr}"
    );
}

#[test]
fn errors_exit_one_and_json_is_one_document() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "rules/a.yaml", RULE);
    write(
        dir.path(),
        "rules/nested/b.yml",
        &RULE.replace("severity: Medium", "severity: Critical"),
    );
    write(dir.path(), "rules/parser.yaml", "Parser:\n  Title: x\n");

    let output = palisade(dir.path(), &["validate", "rules", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["version"], 1);
    let diagnostics = document["diagnostics"].as_array().unwrap();
    let codes: Vec<&str> = diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["SPEC107", "SPEC013", "SPEC009"]);

    let duplicate = &diagnostics[0];
    assert_eq!(duplicate["file"], "rules/nested/b.yml");
    assert_eq!(duplicate["name"], "duplicate-id");
    assert_eq!(duplicate["severity"], "error");
    assert_eq!(duplicate["line"], 1);
    assert_eq!(duplicate["column"], 5);
    assert!(duplicate["message"].as_str().unwrap().contains("`rules/a.yaml`"));

    let severity = &diagnostics[1];
    assert_eq!((severity["line"].as_i64(), severity["column"].as_i64()), (Some(4), Some(11)));
    assert_eq!(diagnostics[2]["severity"], "note");
    assert_eq!(document["summary"]["errors"], 2);
    assert_eq!(document["summary"]["files"], 3);
}

#[test]
fn human_and_github_formats() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", &RULE.replace("queryPeriod: 1h", "queryPeriod: PT1D"));

    let output = palisade(dir.path(), &["validate", "a.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.starts_with(
            "error[SPEC015]: Invalid `queryPeriod`: duration `PT1D` has days after `T`"
        ),
        "{text}"
    );
    assert!(text.contains(" --> a.yaml:7:14\n"), "{text}");
    assert!(text.contains("7 | queryPeriod: PT1D\n"), "{text}");
    assert!(!text.contains('\x1b'));

    let output = palisade(dir.path(), &["validate", "a.yaml", "--format", "github"]);
    let text = stdout(&output);
    assert!(
        text.starts_with(
            "::error file=a.yaml,line=7,col=14,endLine=7,endColumn=17,title=SPEC015::"
        ),
        "{text}"
    );
}

#[test]
fn yaml_syntax_error_has_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.yaml", "id: x\nname: a: b\n");
    let output = palisade(dir.path(), &["validate", "bad.yaml", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let diag = &document["diagnostics"][0];
    assert_eq!(diag["code"], "SPEC001");
    assert_eq!((diag["line"].as_i64(), diag["column"].as_i64()), (Some(2), Some(8)));
}

#[test]
fn missing_path_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let output = palisade(dir.path(), &["validate", "no-such-folder"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("palisade: error: reading no-such-folder: "), "{stderr}");
}

#[test]
fn bad_arguments_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    let output = palisade(dir.path(), &["validate", "--format", "xml"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn no_default_folders_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    let output = palisade(dir.path(), &["validate"]);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn paths_are_relative_to_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), "detections/bad.yaml", &RULE.replace("severity: Medium", "severity: Huge"));
    std::fs::create_dir(dir.path().join("docs")).unwrap();

    let output = palisade(&dir.path().join("docs"), &["validate", "--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).starts_with("::error file=detections/bad.yaml,line=4,"),
        "{}",
        stdout(&output)
    );

    let output =
        palisade(&dir.path().join("docs"), &["validate", "../detections", "--format", "github"]);
    assert!(
        stdout(&output).starts_with("::error file=detections/bad.yaml,line=4,"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn explain_prints_the_registry_docs() {
    let dir = tempfile::tempdir().unwrap();
    let output = palisade(dir.path(), &["explain", "spec014"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.starts_with("SPEC014 unknown-key (warning)\nA top-level key is not a known field\n\n## What it flags\n"), "{text}");

    let output = palisade(dir.path(), &["explain", "NOPE999"]);
    assert_eq!(output.status.code(), Some(2));
}
