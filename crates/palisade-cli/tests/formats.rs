//! What `palisade validate` makes of YAML that is not a spec, of files with several YAML
//! documents or in another encoding than UTF-8, and what `palisade explain` says about a code
//! it does not know.

#![allow(clippy::unwrap_used)]

mod common;
use common::{RULE, palisade, stderr, stdout, write};

const WORKFLOW: &str = "name: CI\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n";

/// The code and message of each finding of a JSON run, in output order.
fn findings(output: &std::process::Output) -> Vec<(String, String)> {
    let document: serde_json::Value = serde_json::from_str(&stdout(output)).unwrap();
    let diagnostics = document["diagnostics"].as_array().unwrap();
    diagnostics
        .iter()
        .map(|d| {
            (d["code"].as_str().unwrap().to_owned(), d["message"].as_str().unwrap().to_owned())
        })
        .collect()
}

/// Other YAML in a scanned folder is a note that says what it looks like, and the run passes.
// See: issue 5, item 6 ("other YAML is skipped with a note, never a crash")
#[test]
fn issue_5_other_yaml_is_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "content/ci/ci.yml", WORKFLOW);
    write(dir.path(), "content/compose.yaml", "services:\n  web:\n    image: nginx\n");
    write(
        dir.path(),
        "content/deploy/web.yaml",
        "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Service\n",
    );
    write(dir.path(), "content/rules/a.yaml", RULE);
    let output = palisade(dir.path(), &["validate", "content", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let expected = [
        "Skipped: looks like a GitHub Actions workflow, not a detection spec",
        "Skipped: looks like a Docker Compose file, not a detection spec",
        "Skipped: 2 YAML documents that each look like a Kubernetes manifest, not a detection spec",
    ];
    let expected: Vec<(String, String)> =
        expected.iter().map(|message| ("SPEC009".to_owned(), (*message).to_owned())).collect();
    assert_eq!(findings(&output), expected);
    assert!(
        stderr(&output).contains("checked 1 spec (0 with errors), 3 skipped: 0 errors, 0 warnings"),
        "{}",
        stderr(&output)
    );

    // The note says why, in human output too.
    let output = palisade(dir.path(), &["validate", "content/ci/ci.yml"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("= note: it has `on` and `jobs`, and none of the fields"), "{text}");
}

/// A spec that has detection fields but no `id` or `query` is still an error.
#[test]
fn detection_fields_without_id_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", "name: Failed sign-ins\nseverity: High\ntactics: [Execution]\n");
    let output = palisade(dir.path(), &["validate", "a.yaml", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let codes: Vec<String> = findings(&output).into_iter().map(|(code, _)| code).collect();
    assert_eq!(codes, ["SPEC011", "SPEC011"]);
}

/// Folders and files whose names start with `.` are passed over in a walk, and checked when
/// named.
#[test]
fn dot_folders_are_read_only_when_named() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".github/workflows/ci.yml", WORKFLOW);
    write(dir.path(), ".github/broken.yaml", "name: x\nseverity: Hgh\n");
    write(dir.path(), "rules/a.yaml", RULE);
    let output = palisade(dir.path(), &["validate", "."]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output), "");
    assert!(stderr(&output).contains("checked 1 spec (0 with errors): 0 errors"));

    let output = palisade(dir.path(), &["validate", ".github", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let codes: Vec<String> = findings(&output).into_iter().map(|(code, _)| code).collect();
    assert_eq!(codes, ["SPEC011", "SPEC011", "SPEC013", "SPEC009"]);
}

/// Several documents in one spec file: one error, at the line of the second `---`.
#[test]
fn several_documents_are_one_error_at_the_second_marker() {
    let dir = tempfile::tempdir().unwrap();
    let second = RULE.replace("2c4e6a80", "3d5f7b91");
    write(dir.path(), "a.yaml", &format!("---\n{RULE}---\n{second}...\n"));
    let output = palisade(dir.path(), &["validate", "a.yaml", "--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let marker_line = 2 + RULE.lines().count();
    assert_eq!(text.lines().count(), 1, "{text}");
    let start = format!(
        "::error file=a.yaml,line={marker_line},col=1,endLine={marker_line},endColumn=4,\
         title=SPEC003::The file holds 2 YAML documents; a spec file holds one%0Anote: "
    );
    assert!(text.starts_with(&start), "{text}");
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let text = if bom { format!("\u{feff}{text}") } else { text.to_owned() };
    text.encode_utf16()
        .flat_map(|unit| if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() })
        .collect()
}

/// UTF-16 and UTF-32 files are named, with or without a byte order mark, and shown decoded.
#[test]
fn utf16_and_utf32_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    std::fs::write(path("a.yaml"), utf16(RULE, false, true)).unwrap();
    std::fs::write(path("b.yaml"), utf16(RULE, true, false)).unwrap();
    let utf32: Vec<u8> = RULE.chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
    std::fs::write(path("c.yaml"), [&[0xFF, 0xFE, 0, 0][..], &utf32].concat()).unwrap();
    std::fs::write(path("q.kql"), utf16("SigninLogs | take 1\n", false, false)).unwrap();
    let output = palisade(dir.path(), &["validate", ".", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let expected = [
        "The file is UTF-16 LE, not UTF-8",
        "The file is UTF-16 BE, not UTF-8",
        "The file is UTF-32 LE, not UTF-8",
        "The file is UTF-16 LE, not UTF-8",
    ];
    let expected: Vec<(String, String)> =
        expected.iter().map(|message| ("SPEC006".to_owned(), (*message).to_owned())).collect();
    assert_eq!(findings(&output), expected);

    let output = palisade(dir.path(), &["validate", "a.yaml"]);
    let text = stdout(&output);
    assert!(text.contains("1 | id: 2c4e6a80-1b3d-4f5a-9c7e-0d2f4b6a8c1e\n"), "{text}");
    assert!(text.contains("= help: save it as UTF-8"), "{text}");
    assert!(!text.contains("<U+0000>"), "{text}");
}

/// A comment-only hunting query is flagged, as an analytics rule's is.
#[test]
fn a_hunting_query_of_only_comments_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let hunting = "id: 7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d\nname: Rare processes\n\
                   query: |\n  // DeviceProcessEvents\n  // | take 10\n";
    write(dir.path(), "Hunting Queries/rare.yaml", hunting);
    let output = palisade(dir.path(), &["validate", "Hunting Queries", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        findings(&output),
        [("SPEC114".to_owned(), "The query has only comments".to_owned())]
    );
}

/// An unknown tactic with no near name still says what to do.
#[test]
fn unknown_tactics_always_have_a_help() {
    let dir = tempfile::tempdir().unwrap();
    let rule = RULE.replace("query: |", "tactics:\n  - Ransomware\n  - T1078\nquery: |");
    write(dir.path(), "a.yaml", &rule);
    let output = palisade(dir.path(), &["validate", "a.yaml", "--format", "json"]);
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let helps: Vec<&str> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "SPEC105")
        .map(|d| d["help"].as_str().unwrap())
        .collect();
    assert_eq!(
        helps,
        [
            "write one of the tactics in the note, as one word in that case",
            "`T1078` is a technique: list it under `relevantTechniques` and its tactic here",
        ]
    );
}

/// `explain` finds codes by name too; an unknown code exits 2 with the families and the
/// nearest codes, and the code is shown safely.
#[test]
fn explain_unknown_codes_name_the_families_and_nearest_codes() {
    let dir = tempfile::tempdir().unwrap();
    let output = palisade(dir.path(), &["explain", "FOO999"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.starts_with("palisade: error: no documentation for code `FOO999`; codes are SPEC001-"),
        "{text}"
    );
    assert!(text.contains(", KQL001-") && text.contains(", EMIT001-"), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");

    let output = palisade(dir.path(), &["explain", "SPC014"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("; did you mean `SPEC014`?"), "{}", stderr(&output));

    let output = palisade(dir.path(), &["explain", "FOO\u{1b}[2J\n999"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`FOO<U+001B>[2J<U+000A>999`"), "{}", stderr(&output));

    let output = palisade(dir.path(), &["explain", "unknown-key"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("SPEC014 unknown-key (warning)\n"));
}

/// Lines on stderr show hidden characters of paths as `<U+XXXX>`, as the human output does:
/// the warning about a dangling link and the error about a path that does not exist.
#[cfg(unix)]
#[test]
fn stderr_lines_show_hidden_characters_visibly() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "rules/a.yaml", RULE);
    let name = "rules/gone\u{1b}]0;title\u{7}\u{202e}.yaml";
    std::os::unix::fs::symlink(dir.path().join("nowhere.yaml"), dir.path().join(name)).unwrap();
    let output = palisade(dir.path(), &["validate", "rules"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(
        text.contains(
            "gone<U+001B>]0;title<U+0007><U+202E>.yaml: the link's target does not exist"
        ),
        "{text}"
    );
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'), "{text}");

    let output = palisade(dir.path(), &["validate", "missing\u{1b}[2J\tdir"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.starts_with("palisade: error: reading missing<U+001B>[2J<U+0009>dir: "), "{text}");
}
