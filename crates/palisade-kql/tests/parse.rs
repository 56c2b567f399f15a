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
        if let Some(note) = &error.note {
            let _ = writeln!(out, "  note: {note}");
        }
        if let Some(help) = &error.help {
            let _ = writeln!(out, "  help: {help}");
        }
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

#[test]
fn an_end_of_input_error_sits_at_the_end_of_the_last_token() {
    let text = "SigninLogs\n| where ResultType ==\n| take\n\n";
    let parse = palisade_kql::parse(text);
    let last = parse.diagnostics().last().unwrap();
    assert!(last.message.contains("the end of the query"), "{last:?}");
    let take_end = (text.find("take").unwrap() + 4) as u32;
    assert_eq!(last.range, take_end..take_end);
}

#[test]
fn a_missing_expression_before_a_pipe_sits_right_after_the_previous_token() {
    // On the line of `where`, not of the next `|`: in a YAML spec that is the line to fix.
    let text = "SigninLogs\n| where\n| count";
    let parse = palisade_kql::parse(text);
    let where_end = (text.find("where").unwrap() + 5) as u32;
    assert_eq!(parse.diagnostics()[0].range, where_end..where_end, "{:?}", parse.diagnostics());

    let spans = |text: &str| -> Vec<_> {
        let parse = palisade_kql::parse(text);
        parse.diagnostics().iter().map(|error| (error.range.start, error.range.end)).collect()
    };
    assert_eq!(spans("T | extend x = | take 1"), [(14, 14)]);
    assert_eq!(spans("T | project a, | count"), [(14, 14)]);
    assert_eq!(spans("let x = ; T"), [(7, 7)]);
    assert_eq!(spans("T | where a in () | count"), [(16, 16)]);
    assert_eq!(spans("T | as | count"), [(6, 6)]);
    // A keyword in the way is the culprit and keeps its span, as in Kusto.
    assert_eq!(spans("T | where by == 1"), [(10, 12)]);
    // So is a `|` that starts a statement: nothing before it is unfinished.
    assert_eq!(spans("T;\n| count"), [(3, 4)]);
}

#[test]
fn an_unclosed_call_after_a_comma_reports_the_missing_bracket_too() {
    let text = "T\n| extend x = strcat(a,\n| take 1";
    let parse = palisade_kql::parse(text);
    let errors = parse.diagnostics();
    let codes: Vec<_> = errors.iter().map(|error| error.code).collect();
    assert_eq!(codes, ["KQL005", "KQL004"], "{errors:?}");
    let open = text.find('(').unwrap() as u32;
    assert_eq!(errors[1].related.as_ref().unwrap().0, open..open + 1);
    assert_eq!(errors[1].help.as_deref(), Some("Add `)` here to close the `(`, or remove the `(`"));

    // With no argument yet only the bracket is missing, as in Kusto.
    let parse = palisade_kql::parse("T\n| extend x = strcat(\n| take 1");
    let codes: Vec<_> = parse.diagnostics().iter().map(|error| error.code).collect();
    assert_eq!(codes, ["KQL004"]);
}

#[test]
fn a_misspelled_operator_gets_the_nearest_operator_name() {
    let help = |text: &str| palisade_kql::parse(text).diagnostics()[0].help.clone().unwrap();
    assert_eq!(help("T | projec a"), "Did you mean `project`?");
    assert_eq!(help("T | Summarize count()"), "Did you mean `summarize`?");
    assert_eq!(help("T | sumarize count()"), "Did you mean `summarize`?");
    assert!(help("T | qqqqqqqq").starts_with("Use a query operator such as"));
}

#[test]
fn common_syntax_codes_have_a_help_and_the_diagnostic_carries_it() {
    use palisade_kql::ErrorCode;
    for code in [
        ErrorCode::UnterminatedString,
        ErrorCode::ExpectedExpression,
        ErrorCode::UnknownQueryOperator,
        ErrorCode::UnexpectedToken,
    ] {
        assert!(code.help().is_some_and(|help| help.starts_with(char::is_uppercase)), "{code:?}");
    }
    let parse = palisade_kql::parse("T | where a ==");
    let map = palisade_diagnostics::SourceMap::verbatim(palisade_diagnostics::FileId(0), 0, 14);
    let diag = parse.diagnostics()[0].to_diagnostic(&map);
    assert!(diag.help.is_some(), "{diag:?}");
}
