//! Fixture tests: every `tests/parse/ok/*.kql` parses without errors, every
//! `tests/parse/err/*.kql` has at least one, and each file's tree outline and diagnostics are
//! snapshotted as `parse__<dir>__<case>.snap`.

#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::Path;

fn render(text: &str) -> (bool, String) {
    let parse = palisade_kql::parse(text);
    let mut out = String::new();
    for error in parse.diagnostics() {
        let _ = writeln!(
            out,
            "{} {}..{}: {}",
            error.code, error.range.start, error.range.end, error.message
        );
    }
    if parse.diagnostics().is_empty() {
        out.push_str("no diagnostics\n");
    }
    out.push_str("---\n");
    out.push_str(&parse.tree().outline());
    (parse.has_errors(), out)
}

fn run_dir(dir: &str, expect_errors: bool) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parse").join(dir);
    let mut paths: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "kql"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {}", root.display());

    let mut wrong = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let (has_errors, rendered) = render(&text);
        if has_errors != expect_errors {
            wrong.push(format!("{}:\n{rendered}", path.display()));
        }

        // The tree is lossless: its text is the input.
        assert_eq!(palisade_kql::parse(&text).root().text(), text);

        let case = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::with_settings!({
            snapshot_path => "parse/snapshots",
            prepend_module_to_snapshot => false,
            description => text.clone(),
        }, {
            insta::assert_snapshot!(format!("{dir}__{case}"), rendered);
        });
    }
    assert!(wrong.is_empty(), "fixtures with the wrong verdict:\n{}", wrong.join("\n"));
}

#[test]
fn ok_fixtures_parse_without_errors() {
    run_dir("ok", false);
}

#[test]
fn err_fixtures_report_errors() {
    run_dir("err", true);
}

#[test]
fn three_mistakes_give_three_diagnostics() {
    let parse = palisade_kql::parse("T | where a == | project (b | summarize count( by c");
    let codes: Vec<_> = parse.diagnostics().iter().map(|error| error.code).collect();
    assert_eq!(codes.len(), 3, "{:?}", parse.diagnostics());
    assert!(parse.root().text().len() > 10);
}
