//! `--format sarif`, `--fail-on` and `palisade.allow` silences, end to end.

#![allow(clippy::unwrap_used)]

mod common;
use common::{RULE, palisade, stderr, tree, write};

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
fn a_build_failing_on_a_warning_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("dist");
    let out = out_dir.to_str().unwrap();

    // No output folder yet: none is created.
    write(dir.path(), "a.yaml", &RULE.replace("name: Failed sign-ins", LONG_NAME));
    let output = palisade(dir.path(), &["build", "a.yaml", "--out", out, "--fail-on", "warning"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("build stopped: 1 warning with --fail-on warning"));
    assert!(!out_dir.exists());

    // A previous build stays exactly as it was.
    write(dir.path(), "b.yaml", RULE);
    let output = palisade(dir.path(), &["build", "b.yaml", "--out", out]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let before = tree(&out_dir);
    let output = palisade(dir.path(), &["build", "a.yaml", "--out", out, "--fail-on", "warning"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(tree(&out_dir), before);

    // `--keep-going` asks for the output anyway, and still exits 1.
    let args = ["build", "a.yaml", "--out", out, "--fail-on", "warning", "--keep-going"];
    let output = palisade(dir.path(), &args);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_ne!(tree(&out_dir), before);
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
    // The documented SARIF output says so, rather than promising a `helpUri`.
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/json-output.md"),
    )
    .unwrap();
    assert!(env!("CARGO_PKG_REPOSITORY").is_empty());
    assert!(
        docs.contains("the rules carry no `helpUri`"),
        "docs/json-output.md promises a helpUri"
    );
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

/// Columns count Unicode scalar values in every format: a tab is one column, and so are `é`
/// (two UTF-8 bytes) and `𝄞` (four bytes, two UTF-16 units). Human, JSON, SARIF and GitHub
/// give the same start column and the same exclusive end column.
#[test]
fn columns_after_tabs_and_multibyte_text_agree_across_formats() {
    let dir = tempfile::tempdir().unwrap();
    let query = "  | where\tUserPrincipalName == \"é𝄞\" and Locaton == \"x\"\n";
    write(dir.path(), "a.yaml", &RULE.replace("  | where ResultType != 0\n", query));
    let line = RULE.lines().position(|l| l == "  | where ResultType != 0").unwrap() + 1;
    let prefix = "  | where\tUserPrincipalName == \"é𝄞\" and ";
    let column = prefix.chars().count() + 1;
    let end_column = column + "Locaton".len();
    assert_ne!(column, prefix.len() + 1, "the line must have multi-byte text before the column");

    let run = |format: &str| {
        let output = palisade(dir.path(), &["validate", "a.yaml", "--format", format]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        String::from_utf8(output.stdout).unwrap()
    };
    let human = run("human");
    assert!(human.contains(&format!(" --> a.yaml:{line}:{column}\n")), "{human}");
    // The underline sits under the name once the tab is shown as four spaces.
    let shown = prefix.replace('\t', "    ");
    let underline = format!("| {}^^^^^^^\n", " ".repeat(shown.chars().count()));
    assert!(human.contains(&underline), "{human}");

    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let diag = &json["diagnostics"][0];
    assert_eq!(
        (diag["line"].as_u64(), diag["column"].as_u64()),
        (Some(line as u64), Some(column as u64))
    );
    assert_eq!(diag["end_column"].as_u64(), Some(end_column as u64));

    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    assert_eq!(sarif["runs"][0]["columnKind"], "unicodeCodePoints");
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startColumn"].as_u64(), Some(column as u64));
    assert_eq!(region["endColumn"].as_u64(), Some(end_column as u64));

    let github = run("github");
    let expected = format!("line={line},col={column},endLine={line},endColumn={end_column},");
    assert!(github.contains(&expected), "{github}");
}

/// `originalUriBaseIds` defines `SRCROOT` as the repository root's `file:` URI.
#[test]
fn sarif_defines_the_source_root() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), "detections/a.yaml", &RULE.replace("severity: Medium", "severity: Critical"));
    let output =
        palisade(&dir.path().join("detections"), &["validate", "a.yaml", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let run = &log["runs"][0];
    let root = run["originalUriBaseIds"]["SRCROOT"]["uri"].as_str().unwrap();
    assert!(root.starts_with("file:///") && root.ends_with('/'), "{root}");
    let location = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(location["uriBaseId"], "SRCROOT");
    assert_eq!(location["uri"], "detections/a.yaml");
    let canonical = std::fs::canonicalize(dir.path()).unwrap();
    let name = canonical.file_name().unwrap().to_str().unwrap();
    assert!(root.ends_with(&format!("/{name}/")), "{root}");
}

/// A 20 KB query on one line that names 600 unknown columns (and is over Sentinel's 10,000
/// characters, one more error): without a cap, every finding
/// would print the whole line (about 12 MB). At most `--max-per-file` findings are shown per
/// file, each source line is cut to a window around its span, and the exit code still counts
/// everything.
#[test]
fn hostile_input_gives_bounded_output() {
    const N: usize = 600;
    let dir = tempfile::tempdir().unwrap();
    let columns: Vec<String> =
        (0..N).map(|i| format!("MissingColumnNumberNumber{i:04} == 1")).collect();
    let line = format!("  SigninLogs | where {}\n", columns.join(" and "));
    assert!(line.len() > 20_000);
    let spec = RULE.replace("  SigninLogs\n  | where ResultType != 0\n", &line);
    write(dir.path(), "a.yaml", &spec);

    let output = palisade(dir.path(), &["validate", "a.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(text.len() < 150_000, "{} bytes of human output", text.len());
    let n_all = N + 1;
    let not_shown = n_all - 100;
    assert_eq!(text.matches("error[KQL101]").count(), 99);
    assert_eq!(text.matches("error[SPEC114]").count(), 1);
    let note = format!("note[SPEC019]: {not_shown} more findings in this file not shown");
    assert!(text.contains(&note), "{text}");
    let last = format!("100 errors, 0 warnings, 1 note shown; {not_shown} more not shown\n");
    assert!(text.contains(&last), "{text}");
    let longest = text.lines().map(|line| line.chars().count()).max().unwrap();
    assert!(longest < 200, "a line of {longest} characters");
    assert!(text.contains('…'));
    let stderr = stderr(&output);
    assert!(stderr.contains(&format!("{n_all} errors")), "{stderr}");
    assert!(stderr.contains(&format!("; {not_shown} not shown (over --max-per-file)")), "{stderr}");
    // The table of findings per code counts every finding, also those not shown.
    assert!(text.contains("findings by code:\n  KQL101  error    600  unknown-column\n"));

    for format in ["json", "sarif", "github"] {
        let output = palisade(dir.path(), &["validate", "a.yaml", "--format", format]);
        assert_eq!(output.status.code(), Some(1));
        assert!(output.stdout.len() < 300_000, "{format}: {} bytes", output.stdout.len());
    }
    let output = palisade(dir.path(), &["validate", "a.yaml", "--format", "json"]);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = document["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 101);
    assert_eq!(diagnostics[0]["code"], "SPEC019");
    // The summary describes the list, says how many were not shown, and counts every finding.
    let summary = &document["summary"];
    assert_eq!(summary["errors"], 100);
    assert_eq!(summary["notes"], 1);
    assert_eq!(summary["not_shown"], (N + 1 - 100) as u64);
    assert_eq!(summary["counts"], serde_json::json!({"KQL101": N, "SPEC114": 1}));

    let args = ["validate", "a.yaml", "--format", "json", "--max-per-file", "0"];
    let output = palisade(dir.path(), &args);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["diagnostics"].as_array().unwrap().len(), N + 1);
}
