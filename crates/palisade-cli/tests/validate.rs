//! `palisade validate` end to end: exit codes, default folders, formats.

#![allow(clippy::unwrap_used)]

mod common;
use common::{RULE, palisade, stdout, write};

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
    assert!(stderr.contains("checked 1 spec (0 with errors): 0 errors, 0 warnings\n"), "{stderr}");
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

    // `PT1D` is columns 14 to 17; `endColumn` is one past it, as JSON's `end_column` is.
    let output = palisade(dir.path(), &["validate", "a.yaml", "--format", "github"]);
    let text = stdout(&output);
    assert!(
        text.starts_with(
            "::error file=a.yaml,line=7,col=14,endLine=7,endColumn=18,title=SPEC015::"
        ),
        "{text}"
    );
    let output = palisade(dir.path(), &["validate", "a.yaml", "--format", "json"]);
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["diagnostics"][0]["column"], 14);
    assert_eq!(document["diagnostics"][0]["end_column"], 18);
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
fn nothing_to_check_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for command in ["validate", "build"] {
        let output = palisade(dir.path(), &[command]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command}: {stderr}");
        assert!(
            stderr.contains("nothing to check: ") && stderr.contains("`detections/`"),
            "{stderr}"
        );
    }
    assert!(!dir.path().join("dist").exists());
    // A named folder without specs (only dot-files and other files) fails too.
    write(dir.path(), "rules/.hidden.yaml", RULE);
    write(dir.path(), "rules/notes.txt", "not a spec");
    write(dir.path(), "detections/a.yaml", RULE);
    for command in ["validate", "build"] {
        let output = palisade(dir.path(), &[command, "detections", "rules"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command}: {stderr}");
        assert!(stderr.contains("nothing to check in rules: "), "{stderr}");
    }
    assert!(!dir.path().join("dist").exists());
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

#[test]
fn explain_knows_every_compiler_code() {
    let dir = tempfile::tempdir().unwrap();
    let output = palisade(dir.path(), &["explain", "EMIT001"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.starts_with("EMIT001 api-version-lacks-feature (error)\n"), "{text}");
    assert!(text.contains("## What it flags\n"), "{text}");

    // The validator writes the compiler's codes out (it does not depend on the compiler):
    // both lists must agree, code for code and name for name.
    let registered: Vec<(&str, &str)> = palisade_validator::registry::all()
        .filter(|info| info.code.family() == "EMIT")
        .map(|info| (info.code.as_str(), info.name))
        .collect();
    let defined: Vec<(&str, &str)> =
        palisade_compiler::codes::ALL.iter().map(|(code, name)| (code.as_str(), *name)).collect();
    assert_eq!(registered, defined);
}

/// The codes of a JSON run, in output order.
fn codes_of(output: &std::process::Output) -> Vec<String> {
    let document: serde_json::Value = serde_json::from_str(&stdout(output)).unwrap();
    let diagnostics = document["diagnostics"].as_array().unwrap();
    diagnostics.iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_query_of_only_comments_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let only_comments = RULE.replace(
        "  SigninLogs\n  | where ResultType != 0\n",
        "  // SigninLogs\n  // | where ResultType != 0\n\n  //\n",
    );
    write(dir.path(), "a.yaml", &only_comments);
    let output = palisade(dir.path(), &["validate", "a.yaml", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let diag = &document["diagnostics"][0];
    assert_eq!(diag["code"], "SPEC114");
    assert_eq!(diag["message"], "The query has only comments");
    assert_eq!(document["diagnostics"].as_array().unwrap().len(), 1);

    // A comment before a real query is fine.
    let commented = RULE.replace("  SigninLogs\n", "  // failed sign-ins\n  SigninLogs\n");
    write(dir.path(), "b.yaml", &commented);
    let output = palisade(dir.path(), &["validate", "b.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

/// What `build` fails on, `validate` reports: a braced and a bare GUID, which are one id
/// (`SPEC107`), and an IOC spec listing one table twice (`EMIT003`).
#[test]
fn validate_reports_what_build_would_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "rules/a.yaml", RULE);
    write(
        dir.path(),
        "rules/b.yaml",
        &RULE.replace(
            "id: 2c4e6a80-1b3d-4f5a-9c7e-0d2f4b6a8c1e",
            "id: '{2C4E6A80-1B3D-4F5A-9C7E-0D2F4B6A8C1E}'",
        ),
    );
    let output = palisade(dir.path(), &["validate", "rules", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert_eq!(codes_of(&output), ["SPEC107"]);
    let build = palisade(dir.path(), &["build", "rules", "--format", "json"]);
    assert_eq!(build.status.code(), Some(1));
    assert_eq!(codes_of(&build), ["SPEC107"]);
    assert!(!dir.path().join("dist").exists(), "validate and a failed build write nothing");

    let ioc = "\
id: twice
name: Known C2 address
description: Connections to a known C2 address
severity: High
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
iocs:
  indicators:
    - type: ip
      value: 172.245.95.9
targets: [CommonSecurityLog, CommonSecurityLog]
";
    write(dir.path(), "ioc/twice.yaml", ioc);
    // A repeated target is one warning (IOC037) in both, and the table is compiled once, so
    // there is no resource-name collision (EMIT003) to fail on.
    let output = palisade(dir.path(), &["validate", "ioc", "--format", "json"]);
    let build = palisade(dir.path(), &["build", "ioc", "--format", "json"]);
    assert_eq!(build.status.code(), Some(0), "{}", stdout(&build));
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(codes_of(&build), ["IOC037"], "{}", stdout(&build));
    assert_eq!(codes_of(&output), ["IOC037"], "{}", stdout(&output));
}

#[test]
fn braced_guid_ids_keep_their_guid() {
    let dir = tempfile::tempdir().unwrap();
    let braced = RULE.replace(
        "id: 2c4e6a80-1b3d-4f5a-9c7e-0d2f4b6a8c1e",
        "id: '{2C4E6A80-1B3D-4F5A-9C7E-0D2F4B6A8C1E}'",
    );
    write(dir.path(), "a.yaml", &braced);
    let output = palisade(dir.path(), &["build", "a.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let manifest = std::fs::read_to_string(dir.path().join("dist/manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let entry = &manifest["detections"][0];
    assert_eq!(entry["id"], "{2C4E6A80-1B3D-4F5A-9C7E-0D2F4B6A8C1E}");
    assert_eq!(entry["guid"], "2c4e6a80-1b3d-4f5a-9c7e-0d2f4b6a8c1e");
}

#[test]
fn unsupported_api_versions_are_errors_in_validate_and_build() {
    let dir = tempfile::tempdir().unwrap();
    for (version, code) in
        [("2020-01-01", "EMIT008"), ("2019-01-01", "EMIT002"), ("2023-13-01", "EMIT002")]
    {
        write(dir.path(), "a.yaml", &format!("{RULE}apiVersion: '{version}'\n"));
        let output = palisade(dir.path(), &["validate", "a.yaml", "--format", "json"]);
        assert_eq!(output.status.code(), Some(1), "{version}");
        assert_eq!(codes_of(&output), [code], "{version}");
        let output = palisade(dir.path(), &["build", "a.yaml", "--format", "json"]);
        assert_eq!(output.status.code(), Some(1), "{version}");
        assert_eq!(codes_of(&output), [code], "{version}");
    }
    write(dir.path(), "a.yaml", &format!("{RULE}apiVersion: '2025-12-01'\n"));
    let output = palisade(dir.path(), &["validate", "a.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

/// The summary line counts what was read by kind, and `--summary` (or more than 20 findings)
/// ends human output with the findings per code.
#[test]
fn summary_counts_specs_query_files_and_findings_per_code() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "rules/a.yaml", RULE);
    write(
        dir.path(),
        "rules/b.yaml",
        &RULE.replace("severity: Medium", "severity: Critical").replace(
            "2c4e6a80-1b3d-4f5a-9c7e-0d2f4b6a8c1e",
            "3d5f7b91-2c4e-4a6b-8d9f-1e3a5c7b9d2f",
        ),
    );
    write(dir.path(), "rules/parser.yaml", "Parser:\n  Title: x\n");
    write(dir.path(), "rules/q.kql", "SigninLogs\n| where UserPrincipalNam == 'a'\n");
    let output = palisade(dir.path(), &["validate", "rules"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "palisade: checked 2 specs (1 with errors), 1 .kql file, 1 skipped: 2 errors, 0 \
             warnings, 1 note\n"
        ),
        "{stderr}"
    );
    assert!(!stdout(&output).contains("findings by code:"));

    let output = palisade(dir.path(), &["validate", "rules", "--summary"]);
    let text = stdout(&output);
    let table = text.split("findings by code:\n").nth(1).unwrap();
    assert_eq!(
        table,
        "  KQL101  error    1  unknown-column\n  SPEC009 note     1  skipped-file\n  SPEC013 \
         error    1  invalid-value\n"
    );
}

/// The maintainer log follows the colour rule of the rest: no ANSI codes when stderr is not
/// a terminal, even without `NO_COLOR`.
#[test]
fn the_log_has_no_colour_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "detections/a.yaml", RULE);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["validate", "detections"])
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .env("PALISADE_LOG", "debug")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("DEBUG"), "the log is on: {stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
}
