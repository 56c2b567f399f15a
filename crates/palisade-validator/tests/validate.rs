//! End-to-end checks of `check_file` and `check_duplicate_ids` on small specs.

#![allow(clippy::unwrap_used)]

use palisade_diagnostics::{Diagnostic, Severity, SourceFiles};
use palisade_spec::load::Outcome;
use palisade_validator::registry::lookup;
use palisade_validator::{MAX_FILE_SIZE, check_duplicate_ids, check_file};

const RULE: &str = "\
id: 6b2c9a53-41d5-4a8e-9c36-7f0d1e2a3b4c
name: Failed sign-ins
description: Many failed sign-ins
severity: Medium
kind: Scheduled
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 5
tactics:
  - CredentialAccess
query: |
  SigninLogs
  | where ResultType != 0
";

fn run(text: &str) -> Vec<Diagnostic> {
    let mut files = SourceFiles::new();
    let (_, result) = check_file(&mut files, "detections/rule.yaml", text.as_bytes());
    for diag in &result.diagnostics {
        let info =
            lookup(diag.code.as_str()).unwrap_or_else(|| panic!("{} not registered", diag.code));
        assert_eq!(info.severity, diag.severity, "{}: {}", diag.code, diag.message);
    }
    result.diagnostics
}

fn summary(diagnostics: &[Diagnostic]) -> Vec<(String, String)> {
    diagnostics.iter().map(|d| (d.code.to_string(), d.message.clone())).collect()
}

fn with(replace: &str, by: &str) -> String {
    assert!(RULE.contains(replace), "{replace}");
    RULE.replace(replace, by)
}

#[test]
fn clean_rule_has_no_findings() {
    assert_eq!(summary(&run(RULE)), []);
}

#[test]
fn schedule_limits() {
    let diagnostics =
        run(&with("queryFrequency: 1h\nqueryPeriod: 1h", "queryFrequency: 2m\nqueryPeriod: 15d"));
    assert_eq!(
        summary(&diagnostics),
        [
            ("SPEC101".into(), "`queryFrequency` is 2m, outside 5 minutes to 14 days".into()),
            (
                "SPEC103".into(),
                "`queryFrequency` 2m is too frequent for a `queryPeriod` of 15d".into()
            ),
            ("SPEC101".into(), "`queryPeriod` is 15d, outside 5 minutes to 14 days".into()),
        ]
    );

    let diagnostics = run(&with("queryPeriod: 1h", "queryPeriod: 30m"));
    assert_eq!(
        summary(&diagnostics),
        [("SPEC102".into(), "`queryPeriod` (30m) is shorter than `queryFrequency` (1h)".into())]
    );
    assert_eq!(diagnostics[0].help.as_deref(), Some("set `queryPeriod` to at least `1h`"));
}

#[test]
fn durations_in_every_rejected_form() {
    for (written, fragment) in [
        ("PT1D", "has days after `T`"),
        ("P1M", "uses months or years"),
        ("0m", "is zero"),
        ("-5m", "is negative"),
        ("5M", "upper-case `M`"),
    ] {
        let diagnostics = run(&with("queryPeriod: 1h", &format!("queryPeriod: {written}")));
        assert_eq!(diagnostics.len(), 1, "{written}: {diagnostics:#?}");
        assert_eq!(diagnostics[0].code.as_str(), "SPEC015");
        assert!(diagnostics[0].message.contains(fragment), "{}", diagnostics[0].message);
        assert!(diagnostics[0].help.as_deref().unwrap().contains("`PT1H30M`"));
    }
}

#[test]
fn nrt_rules_have_no_schedule_checks() {
    let text = "id: a\nname: n\ndescription: d\nseverity: High\nkind: NRT\nquery: SigninLogs\n";
    assert_eq!(summary(&run(text)), []);
}

#[test]
fn trigger_threshold_and_operator() {
    let diagnostics = run(&with("triggerThreshold: 5", "triggerThreshold: 10001"));
    assert_eq!(
        summary(&diagnostics),
        [("SPEC104".into(), "`triggerThreshold` is 10001, outside 0 to 10000".into())]
    );

    let diagnostics = run(&with("triggerOperator: gt", "triggerOperator: greater"));
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].message, "`greater` is not a valid `triggerOperator`");
    assert!(diagnostics[0].notes[0].contains("`GreaterThan`"));
}

#[test]
fn severity_is_checked() {
    let diagnostics = run(&with("severity: Medium", "severity: Critical"));
    assert_eq!(
        summary(&diagnostics),
        [("SPEC013".into(), "`Critical` is not a valid `severity`".into())]
    );
}

#[test]
fn tactic_names() {
    let text =
        with("  - CredentialAccess\n", "  - Initial Access\n  - Evasion\n  - PreAttack\n  - Foo\n");
    let diagnostics = run(&text);
    assert_eq!(
        summary(&diagnostics),
        [
            (
                "SPEC108".into(),
                "Tactic `Initial Access` is spelled differently from `InitialAccess`".into()
            ),
            ("SPEC105".into(), "Unknown tactic `Evasion`".into()),
            ("SPEC106".into(), "Tactic `PreAttack` is deprecated".into()),
            ("SPEC105".into(), "Unknown tactic `Foo`".into()),
        ]
    );
    assert_eq!(diagnostics[1].help.as_deref(), Some("did you mean `DefenseEvasion`?"));
    assert_eq!(diagnostics[0].help.as_deref(), Some("write `InitialAccess`"));
    assert_eq!(
        diagnostics[3].help.as_deref(),
        Some("write one of the tactics in the note, as one word in that case")
    );
}

#[test]
fn unknown_key_warning() {
    let diagnostics = run(&format!("{RULE}severty: High\n"));
    assert_eq!(summary(&diagnostics), [("SPEC014".into(), "Unknown key `severty`".into())]);
    assert_eq!(diagnostics[0].severity, Severity::Warning);
}

#[test]
fn schema_errors_are_not_repeated() {
    // The loader and the schema both see these; each is reported once.
    let text = with("triggerThreshold: 5", "triggerThreshold: many");
    let diagnostics = run(&text);
    assert_eq!(
        summary(&diagnostics),
        [("SPEC012".into(), "`triggerThreshold` must be a whole number, found a string".into())]
    );

    let text = RULE.replace("name: Failed sign-ins\n", "");
    assert_eq!(
        summary(&run(&text)),
        [("SPEC011".into(), "Required field `name` is missing".into())]
    );
}

#[test]
fn readability_checks() {
    assert_eq!(summary(&run("")), [("SPEC005".into(), "The file is empty".into())]);
    assert_eq!(summary(&run("# nothing\n\n")), [("SPEC005".into(), "The file is empty".into())]);

    let mut files = SourceFiles::new();
    let (_, result) = check_file(&mut files, "bad.yaml", b"id: \xff\xfe\n");
    assert_eq!(
        summary(&result.diagnostics),
        [("SPEC006".into(), "The file is not valid UTF-8 (first bad byte at offset 4)".into())]
    );
    assert_eq!(result.diagnostics[0].primary.span.start, 4);

    let big = vec![b'#'; MAX_FILE_SIZE + 1];
    let (_, result) = check_file(&mut files, "big.yaml", &big);
    assert_eq!(result.diagnostics[0].code.as_str(), "SPEC007");
    assert!(matches!(result.outcome, Outcome::Failed));
}

#[test]
fn crlf_files_are_stored_normalised() {
    let mut files = SourceFiles::new();
    let crlf = RULE.replace('\n', "\r\n");
    let (file, result) = check_file(&mut files, "crlf.yaml", crlf.as_bytes());
    assert_eq!(result.diagnostics, []);
    assert_eq!(files.get(file).text(), RULE);
}

#[test]
fn duplicate_ids_name_both_files() {
    let mut files = SourceFiles::new();
    let mut detections = Vec::new();
    for path in ["detections/a.yaml", "detections/b.yaml"] {
        let (_, result) = check_file(&mut files, path, RULE.as_bytes());
        let Outcome::Detection(detection) = result.outcome else { panic!("{path}") };
        detections.push(*detection);
    }
    let diagnostics = check_duplicate_ids(&detections);
    assert_eq!(diagnostics.len(), 1);
    let diag = &diagnostics[0];
    assert_eq!(
        diag.message,
        "Duplicate id `6b2c9a53-41d5-4a8e-9c36-7f0d1e2a3b4c`: also used by `detections/a.yaml`"
    );
    assert_eq!(diag.primary.message, "used here in `detections/b.yaml`");
    assert_eq!(diag.secondary[0].message, "first used in `detections/a.yaml`");
    assert_eq!(diag.primary.span.file, detections[1].file);
    assert_eq!(diag.secondary[0].span.file, detections[0].file);
}

/// Loads each (path, text) in order, as `palisade validate` does, and returns the duplicate-id
/// findings and what the compiler's checks report on the detections without errors.
fn duplicates_then_compile(specs: &[(&str, String)]) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut files = SourceFiles::new();
    let mut detections = Vec::new();
    for (path, text) in specs {
        let (_, result) = check_file(&mut files, path, text.as_bytes());
        assert!(
            result.diagnostics.iter().all(|d| d.severity != Severity::Error),
            "{path}: {:?}",
            result.diagnostics
        );
        let Outcome::Detection(detection) = result.outcome else { panic!("{path}") };
        detections.push(*detection);
    }
    let duplicates = check_duplicate_ids(&detections);
    let failing: Vec<_> = duplicates.iter().map(|d| d.primary.span.file).collect();
    let buildable: Vec<_> = detections.iter().filter(|d| !failing.contains(&d.file)).collect();
    let compiled = palisade_compiler::check(&buildable, &palisade_compiler::Options::default());
    (duplicates, compiled)
}

const BRACED: &str = "id: \"{8B2C1F3E-0D6A-4C1E-9A51-2F3B4C5D6E7F}\"";
const BARE: &str = "id: 8b2c1f3e-0d6a-4c1e-9a51-2f3b4c5d6e7f";

#[test]
fn a_guid_written_with_braces_and_in_upper_case_is_one_duplicate_id() {
    let first = ("detections/a.yaml", with("id: 6b2c9a53-41d5-4a8e-9c36-7f0d1e2a3b4c", BRACED));
    let second = ("detections/b.yaml", with("id: 6b2c9a53-41d5-4a8e-9c36-7f0d1e2a3b4c", BARE));
    let (duplicates, compiled) = duplicates_then_compile(&[first, second]);

    assert_eq!(duplicates.len(), 1, "{duplicates:?}");
    let diag = &duplicates[0];
    assert_eq!(diag.code.as_str(), "SPEC107");
    assert_eq!(
        diag.message,
        "Duplicate id `8b2c1f3e-0d6a-4c1e-9a51-2f3b4c5d6e7f`: also used by `detections/a.yaml`, \
         written `{8B2C1F3E-0D6A-4C1E-9A51-2F3B4C5D6E7F}`"
    );
    assert_eq!(diag.secondary[0].message, "first used in `detections/a.yaml`");
    assert_eq!(diag.notes.len(), 2, "{:?}", diag.notes);
    // The second file has an error, so it is not compiled and the pair is no `EMIT003`.
    assert_eq!(compiled, []);

    // The same in the other order: the finding is on the later file.
    let first = ("detections/a.yaml", with("id: 6b2c9a53-41d5-4a8e-9c36-7f0d1e2a3b4c", BARE));
    let second = ("detections/b.yaml", with("id: 6b2c9a53-41d5-4a8e-9c36-7f0d1e2a3b4c", BRACED));
    let (duplicates, compiled) = duplicates_then_compile(&[first, second]);
    assert_eq!(duplicates.len(), 1);
    assert!(duplicates[0].message.contains("written `8b2c1f3e-"), "{}", duplicates[0].message);
    assert_eq!(compiled, []);
}

#[test]
fn different_ids_that_derive_the_same_guid_are_left_to_the_compiler() {
    // A non-GUID id is hashed to a GUID; another spec that writes that GUID is a different id
    // with the same resource name, which only the compiler's `EMIT003` can see.
    let derived = palisade_compiler::names::rule_guid_text("failed-sign-ins");
    let first =
        ("detections/a.yaml", with("6b2c9a53-41d5-4a8e-9c36-7f0d1e2a3b4c", "failed-sign-ins"));
    let second = ("detections/b.yaml", with("6b2c9a53-41d5-4a8e-9c36-7f0d1e2a3b4c", &derived));
    let (duplicates, compiled) = duplicates_then_compile(&[first, second]);
    assert_eq!(duplicates, []);
    let codes: Vec<&str> = compiled.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["EMIT003", "EMIT003"], "{compiled:?}");
}

#[test]
fn rule_identity_agrees_with_the_compilers_rule_guid() {
    use palisade_compiler::names::{NameSource, rule_guid};
    for id in [
        "8b2c1f3e-0d6a-4c1e-9a51-2f3b4c5d6e7f",
        "{8B2C1F3E-0D6A-4C1E-9A51-2F3B4C5D6E7F}",
        "8B2C1F3E-0d6a-4c1e-9A51-2f3b4c5d6e7f",
        "{8b2c1f3e-0d6a-4c1e-9a51-2f3b4c5d6e7f",
        "{{8b2c1f3e-0d6a-4c1e-9a51-2f3b4c5d6e7f}}",
        "8b2c1f3e0d6a4c1e9a512f3b4c5d6e7f",
        " 8b2c1f3e-0d6a-4c1e-9a51-2f3b4c5d6e7f",
        "8b2c1f3e-0d6a-4c1e-9a51-2f3b4c5d6e7z",
        "failed-sign-ins",
        "Failed-sign-ins",
        "{}",
    ] {
        let identity = palisade_validator::rule_identity(id);
        let (uuid, source) = rule_guid(id);
        match source {
            NameSource::Guid => assert_eq!(identity, uuid.hyphenated().to_string(), "{id}"),
            NameSource::Derived => assert_eq!(identity, id, "{id}"),
        }
    }
    // Ids that differ only in letter case are different detections unless they are GUIDs.
    let (duplicates, _) = duplicates_then_compile(&[
        ("detections/a.yaml", with("6b2c9a53-41d5-4a8e-9c36-7f0d1e2a3b4c", "failed-sign-ins")),
        ("detections/b.yaml", with("6b2c9a53-41d5-4a8e-9c36-7f0d1e2a3b4c", "Failed-sign-ins")),
    ]);
    assert_eq!(duplicates, []);
}

#[test]
fn skipped_files_are_notes() {
    let diagnostics = run("Parser:\n  Title: x\n");
    assert_eq!(diagnostics[0].code.as_str(), "SPEC009");
    assert_eq!(diagnostics[0].severity, Severity::Note);
}

#[test]
fn every_missing_schedule_field_is_reported() {
    let text =
        "id: a\nname: n\ndescription: d\nseverity: High\nkind: Scheduled\nquery: SigninLogs\n";
    let messages: Vec<String> = run(text).into_iter().map(|d| d.message).collect();
    assert_eq!(
        messages,
        [
            "Required field `queryFrequency` is missing",
            "Required field `queryPeriod` is missing",
            "Required field `triggerOperator` is missing",
            "Required field `triggerThreshold` is missing",
        ]
    );
}

#[test]
fn null_optional_fields_pass_the_schema() {
    let text = format!("{RULE}entityMappings:\ncustomDetails:\nrelevantTechniques:\n  -  \n");
    assert_eq!(
        summary(&run(&text)),
        [("SPEC017".into(), "Empty entry in `relevantTechniques`".into())]
    );
}

#[test]
fn case_variants_are_read_with_a_warning() {
    let text = format!(
        "{RULE}requiredDataConnectors:\n  - connectorId: AzureActiveDirectory\n    datatypes:\n      - SigninLogs\n\
         entityMappings:\n  - entityType: Url\n    fieldMappings:\n      - identifier: Url\n        columnName: AppDisplayName\n"
    );
    let mut files = SourceFiles::new();
    let (_, result) = check_file(&mut files, "detections/rule.yaml", text.as_bytes());
    assert_eq!(
        summary(&result.diagnostics),
        [
            ("SPEC018".into(), "Key `datatypes` is written differently from `dataTypes`".into()),
            (
                "SPEC018".into(),
                "`Url` in `entityMappings[0].entityType` is written differently from `URL`".into()
            ),
        ]
    );
    let Outcome::Detection(detection) = result.outcome else { panic!() };
    assert_eq!(detection.required_data_connectors[0].data_types[0].value, "SigninLogs");
    assert_eq!(detection.entity_mappings.unwrap()[0].entity_type.value, "URL");
}

#[test]
fn hunting_queries_have_no_query_length_limit() {
    let query = format!("SigninLogs\n{}", "| as T12\n".repeat(1_200));
    let text = format!(
        "id: h\nname: n\nquery: |\n{}",
        query.lines().map(|l| format!("  {l}\n")).collect::<String>()
    );
    let mut files = SourceFiles::new();
    let (_, result) = check_file(&mut files, "Hunting Queries/h.yaml", text.as_bytes());
    assert_eq!(summary(&result.diagnostics), []);
    let (_, result) = check_file(
        &mut files,
        "detections/r.yaml",
        RULE.replace("  SigninLogs\n", &format!("  SigninLogs\n{}", "  | as T12\n".repeat(1_200)))
            .as_bytes(),
    );
    assert_eq!(
        summary(&result.diagnostics),
        [("SPEC114".into(), "The query is 10835 characters, over the limit of 10000".into())]
    );
}

/// A NUL or another control character anywhere (a trailing comment in the query, the name)
/// fails the whole file at that character: nothing after it is dropped and checked as if
/// it were not there, and the file is not a stub or a detection.
#[test]
fn control_characters_fail_the_file_where_they_are() {
    let rule = RULE.replace(
        "  | where ResultType != 0\n",
        "  | where ResultType != 0\n  | where FailureCount > 5 // x\0y\n  | project UserPrincipalName\n",
    );
    let at = rule.find('\0').unwrap() as u32;
    let named = RULE.replace("name: Failed sign-ins", "name: Failed\u{1} sign-ins");
    let named_at = named.find('\u{1}').unwrap() as u32;
    for (text, code, start) in [(rule, "SPEC006", at), (named, "SPEC020", named_at)] {
        let mut files = SourceFiles::new();
        let (_, result) = check_file(&mut files, "detections/rule.yaml", text.as_bytes());
        assert!(matches!(result.outcome, Outcome::Failed), "{:?}", result.outcome);
        assert_eq!(result.diagnostics.len(), 1, "{:?}", result.diagnostics);
        let diag = &result.diagnostics[0];
        assert_eq!((diag.code.as_str(), diag.primary.span.start), (code, start));
        assert_eq!(diag.severity, Severity::Error);
    }

    // A `.kql` file: the same error, not a KQL syntax error in the string literal.
    let mut files = SourceFiles::new();
    let query = "SigninLogs\n| where UserPrincipalName == \"a\0b\"\n";
    let (_, diagnostics) =
        palisade_validator::query::check_query_bytes(&mut files, "q.kql", query.as_bytes());
    assert_eq!(summary(&diagnostics), [("SPEC006".into(), "The file is binary, not text".into())]);
    assert_eq!(diagnostics[0].primary.span.start, query.find('\0').unwrap() as u32);
    let (_, diagnostics) =
        palisade_validator::query::check_query_bytes(&mut files, "q.kql", b"T | where a == '\x7f'");
    assert_eq!(diagnostics[0].code.as_str(), "SPEC020");
}
