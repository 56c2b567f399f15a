//! `palisade validate` on bare query files (`.kql`, `.kusto`, `.csl`): given by path or found
//! in folders, checked as one query each, in every output format.

#![allow(clippy::unwrap_used)]

mod common;
use common::{palisade, stdout, write};

/// Three mistakes: a misspelled operator (line 2), an unclosed string (line 3) and an
/// unclosed `(` (opened on line 4, reported right after the last token, on line 4 too).
const BROKEN: &str = "SigninLogs\n| summerize count() by UserPrincipalName\n| where AppDisplayName == 'Azure\n| where (ResultType != 0\n";

#[test]
fn three_syntax_mistakes_give_three_diagnostics_with_lines() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "q/broken.kql", BROKEN);
    let output = palisade(dir.path(), &["validate", "--format", "github", "q/broken.kql"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().filter(|line| line.starts_with("::error")).collect();
    assert_eq!(lines.len(), 3, "{text}");
    for (line, (at, code)) in lines.iter().zip([(2, "KQL006"), (3, "KQL001"), (4, "KQL004")]) {
        assert!(line.contains("file=q/broken.kql"), "{line}");
        assert!(line.contains(&format!("line={at},")), "{line}");
        assert!(line.contains(code), "{line}");
    }
}

#[test]
fn json_output_has_the_codes_lines_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "broken.kql", BROKEN);
    let output = palisade(dir.path(), &["validate", "--format", "json", "broken.kql"]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let text = json.to_string();
    for code in ["KQL006", "KQL001", "KQL004"] {
        assert!(text.contains(&format!("\"{code}\"")), "{code} missing: {text}");
    }
    assert!(text.contains("broken.kql"), "{text}");
    assert!(text.contains("\"line\":2"), "{text}");
}

#[test]
fn folders_are_walked_for_query_files_and_names_are_resolved() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "queries/good.kusto", "SigninLogs\n| where ResultType != 0\n");
    write(dir.path(), "queries/names.csl", "SigninLogs\n| where UserPrincipalNam == 'a'\n");
    write(dir.path(), "queries/readme.txt", "not a query (");
    let output = palisade(dir.path(), &["validate", "queries"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("error[KQL101]"), "{text}");
    assert!(text.contains("queries/names.csl:2:9"), "{text}");
    assert!(text.contains("did you mean `UserPrincipalName`?"), "{text}");
    assert!(!text.contains("good.kusto") && !text.contains("readme.txt"), "{text}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("palisade: checked 2 .kql files: 1 error, 0 warnings\n"), "{stderr}");
}
