//! Sentinel-limit checks (`SPEC109` and up): each check flags a broken variant of a valid rule
//! and stays quiet on the fixed one.

#![allow(clippy::unwrap_used)]

use palisade_diagnostics::{Diagnostic, Severity, SourceFiles};
use palisade_validator::check_file;

const BASE: &str = include_str!("specs/valid/scheduled_rule.yaml");

fn check(text: &str) -> Vec<Diagnostic> {
    let mut files = SourceFiles::new();
    check_file(&mut files, "Detections/rule.yaml", text.as_bytes()).1.diagnostics
}

fn edit(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_owned();
    for (old, new) in edits {
        assert!(text.contains(old), "base has no {old:?}");
        text = text.replacen(old, new, 1);
    }
    text
}

/// A case: the code, its severity, the edits that break the rule and those that fix it.
struct Case {
    code: &'static str,
    severity: Severity,
    bad: Vec<(String, String)>,
    good: Vec<(String, String)>,
}

fn owned(edits: &[(&str, &str)]) -> Vec<(String, String)> {
    edits.iter().map(|(old, new)| ((*old).to_owned(), (*new).to_owned())).collect()
}

fn case(code: &'static str, severity: Severity, bad: &[(&str, &str)]) -> Case {
    Case { code, severity, bad: owned(bad), good: Vec::new() }
}

impl Case {
    fn good(mut self, good: &[(&str, &str)]) -> Self {
        self.good = owned(good);
        self
    }
}

const NAME: &str = "name: Sign-ins from two countries within an hour";
const MAPPING: &str = "      - identifier: FullName\n        columnName: UserPrincipalName\n";
const GROUPING: &str = "    matchingMethod: Selected\n    groupByEntities:\n      - Account\n";

fn cases() -> Vec<Case> {
    let long_name = format!("name: {}", "n".repeat(257));
    let style_name = format!("name: {}", "n".repeat(60));
    let long_description = format!("description: {}", "d".repeat(5_001));
    let long_query = format!("query: |\n  SigninLogs\n  // {}\n", "x".repeat(10_001));
    let tactics = "tactics:\n  - InitialAccess\n  - Execution\n  - Persistence\n  - Discovery\n  \
                   - Collection\n  - Impact\n";
    let techniques: String = (1..=11).map(|n| format!("  - T10{:02}\n", 70 + n)).collect();
    let techniques = format!("relevantTechniques:\n{techniques}");
    let eleven: String = (0..11)
        .map(|_| "  - entityType: IP\n    fieldMappings:\n      - identifier: Address\n        columnName: IPAddress\n")
        .collect();
    let eleven = format!("entityMappings:\n{eleven}");
    let details: String = (0..21).map(|n| format!("  Detail{n}: Countries\n")).collect();
    let details = format!("customDetails:\n{details}eventGroupingSettings:");
    vec![
        case("SPEC109", Severity::Error, &[(NAME, &long_name)]).good(&[(NAME, "name: Short")]),
        case("SPEC110", Severity::Warning, &[(NAME, &style_name)]),
        case("SPEC111", Severity::Error, &[("description: |", &format!("{long_description}\nx: |"))])
            .good(&[("description: |", "description: |")]),
        case("SPEC112", Severity::Warning, &[("tactics:\n  - InitialAccess\n", tactics)]),
        case("SPEC113", Severity::Warning, &[("relevantTechniques:\n  - T1078.004\n", &techniques)]),
        case("SPEC114", Severity::Error, &[("query: |\n  SigninLogs\n", &long_query)]),
        case("SPEC115", Severity::Error, &[("suppressionDuration: PT1H", "suppressionDuration: 2d")])
            .good(&[("suppressionDuration: PT1H", "suppressionDuration: 24h")]),
        case(
            "SPEC116",
            Severity::Warning,
            &[("kind: Scheduled", "kind: NRT"), ("queryFrequency: 1h\nqueryPeriod: 2h\n", "queryFrequency: 1h\n")],
        )
        .good(&[
            ("kind: Scheduled", "kind: NRT"),
            ("queryFrequency: 1h\nqueryPeriod: 2h\ntriggerOperator: gt\ntriggerThreshold: 0\n", ""),
        ]),
        case("SPEC117", Severity::Error, &[(&format!("entityMappings:\n  - entityType: Account\n    fieldMappings:\n{MAPPING}"), &eleven)]),
        case(
            "SPEC118",
            Severity::Warning,
            &[("entityType: Account", "entityType: IoTDevice"), ("identifier: FullName", "identifier: DeviceId")],
        ),
        case("SPEC119", Severity::Error, &[(MAPPING, &format!("{MAPPING}{MAPPING}"))]),
        case(
            "SPEC120",
            Severity::Warning,
            &[("entityType: Account", "entityType: Process"), (MAPPING, &format!("{}      - identifier: ImageFile\n        columnName: Countries\n", MAPPING.replace("FullName", "ProcessId")))],
        ),
        case("SPEC121", Severity::Error, &[("identifier: FullName", "identifier: Fullname")]),
        case("SPEC122", Severity::Error, &[("identifier: FullName", "identifier: DnsDomain")]),
        case("SPEC123", Severity::Error, &[("columnName: UserPrincipalName", "columnName: User Name")]),
        case(
            "SPEC124",
            Severity::Error,
            &[("  | where Countries > 1\n", "  | where Countries > 1\n  | extend AccountCustomEntity = UserPrincipalName\n")],
        )
        .good(&[
            ("  | where Countries > 1\n", "  | where Countries > 1\n  | extend AccountCustomEntity = UserPrincipalName\n"),
            ("columnName: UserPrincipalName", "columnName: AccountCustomEntity"),
        ]),
        case("SPEC125", Severity::Error, &[("customDetails:\n  Countries:", "customDetails:\n  1Countries:")]),
        case("SPEC125", Severity::Error, &[("customDetails:\n  Countries: Countries\neventGroupingSettings:", &details)]),
        case(
            "SPEC126",
            Severity::Error,
            &[("suppressionEnabled:", "alertDetailsOverride:\n  alertDisplayNameFormat: ' '\nsuppressionEnabled:")],
        )
        .good(&[("suppressionEnabled:", "alertDetailsOverride:\n  alertDisplayNameFormat: x\nsuppressionEnabled:")]),
        case(
            "SPEC127",
            Severity::Error,
            &[("suppressionEnabled:", "alertDetailsOverride:\n  alertDescriptionFormat: '{{a}}{{b}}{{c}}{{d}}'\nsuppressionEnabled:")],
        )
        .good(&[("suppressionEnabled:", "alertDetailsOverride:\n  alertDescriptionFormat: '{{a}}{{b}}{{c}} {d}'\nsuppressionEnabled:")]),
        case(
            "SPEC128",
            Severity::Error,
            &[("suppressionEnabled:", "alertDetailsOverride:\n  alertDisplayNameFormat: 'From {{Countries}'\nsuppressionEnabled:")],
        )
        .good(&[("suppressionEnabled:", "alertDetailsOverride:\n  alertDisplayNameFormat: 'From {{Countries}}'\nsuppressionEnabled:")]),
        case(
            "SPEC129",
            Severity::Warning,
            &[("suppressionEnabled:", "alertDetailsOverride:\n  alertDisplayNameFormat: 'From {{ Countries }}'\nsuppressionEnabled:")],
        ),
        case(
            "SPEC130",
            Severity::Error,
            &[("suppressionEnabled:", "alertDetailsOverride:\n  alertDynamicProperties:\n    - alertProperty: Product\n      value: Countries\nsuppressionEnabled:")],
        )
        .good(&[("suppressionEnabled:", "alertDetailsOverride:\n  alertDynamicProperties:\n    - alertProperty: ProductName\n      value: Countries\nsuppressionEnabled:")]),
        case("SPEC131", Severity::Error, &[("lookbackDuration: 5h", "lookbackDuration: 8d")])
            .good(&[("lookbackDuration: 5h", "lookbackDuration: 7d")]),
        case("SPEC132", Severity::Error, &[(GROUPING, "    matchingMethod: Selected\n")])
            .good(&[(GROUPING, "    matchingMethod: AllEntities\n")]),
        case("SPEC133", Severity::Error, &[("      - Account\n", "      - Host\n")]),
        case(
            "SPEC134",
            Severity::Error,
            &[(GROUPING, &format!("{GROUPING}    groupByCustomDetails:\n      - Country\n"))],
        )
        .good(&[(GROUPING, &format!("{GROUPING}    groupByCustomDetails:\n      - Countries\n"))]),
        case(
            "SPEC135",
            Severity::Error,
            &[(GROUPING, &format!("{GROUPING}    groupByAlertDetails:\n      - Name\n"))],
        )
        .good(&[(GROUPING, &format!("{GROUPING}    groupByAlertDetails:\n      - DisplayName\n"))]),
        case("SPEC136", Severity::Error, &[("version: 1.0.0", "version: 1.0")]),
        // `eventGroupingSettings.aggregationKind` is checked by the loader and the schema.
        case("SPEC013", Severity::Error, &[("aggregationKind: AlertPerResult", "aggregationKind: Single")])
            .good(&[("aggregationKind: AlertPerResult", "aggregationKind: SingleAlert")]),
        case("SPEC011", Severity::Error, &[("  aggregationKind: AlertPerResult\n", "  {}\n")]),
        case("SPEC137", Severity::Error, &[("  - T1078.004", "  - t1078.004")]),
        case("SPEC138", Severity::Error, &[("  - T1078.004", "  - T1999")])
            .good(&[("  - T1078.004", "  - T0801")]),
        case("SPEC139", Severity::Warning, &[("  - T1078.004", "  - T1086")])
            .good(&[("  - T1078.004", "  - T1059.001"), ("  - InitialAccess", "  - Execution")]),
        case("SPEC140", Severity::Error, &[("  - InitialAccess", "  - Discovery")])
            .good(&[("  - InitialAccess", "  - initial access")]),
    ]
}

#[test]
fn each_check_flags_the_broken_rule_and_passes_the_fixed_one() {
    assert!(check(BASE).is_empty(), "{:#?}", check(BASE));
    for case in cases() {
        let bad: Vec<(&str, &str)> =
            case.bad.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let found = check(&edit(&bad));
        let flagged: Vec<_> = found.iter().filter(|d| d.code.as_str() == case.code).collect();
        assert!(!flagged.is_empty(), "{} not flagged: {found:#?}", case.code);
        assert!(flagged.iter().all(|d| d.severity == case.severity), "{}: {flagged:#?}", case.code);
        let good: Vec<(&str, &str)> =
            case.good.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let found = check(&edit(&good));
        assert!(
            found.iter().all(|d| d.code.as_str() != case.code),
            "{} flagged the fixed rule: {found:#?}",
            case.code
        );
    }
}

#[test]
fn technique_tactic_mismatch_is_a_warning_for_nrt_rules() {
    let text = edit(&[
        ("  - InitialAccess", "  - Discovery"),
        ("kind: Scheduled", "kind: NRT"),
        ("queryFrequency: 1h\nqueryPeriod: 2h\ntriggerOperator: gt\ntriggerThreshold: 0\n", ""),
    ]);
    let found = check(&text);
    let mismatch = found.iter().find(|d| d.code.as_str() == "SPEC140").unwrap();
    assert_eq!(mismatch.severity, Severity::Warning);
}

#[test]
fn revoked_technique_names_its_replacement() {
    let found = check(&edit(&[("  - T1078.004", "  - T1086")]));
    let outdated = found.iter().find(|d| d.code.as_str() == "SPEC139").unwrap();
    assert!(outdated.message.contains("`T1059.001`"), "{}", outdated.message);
}

#[test]
fn placeholders_are_counted_as_the_ci_regex_counts_them() {
    use palisade_validator::limits::placeholders;
    let (found, stray) = placeholders("{{a}} and {{b}}{{c}} {d} {{{e}}}");
    let names: Vec<&str> = found.iter().map(|(_, name)| *name).collect();
    assert_eq!(names, ["a", "b", "c", "e"]);
    assert_eq!(stray, None);
    assert_eq!(placeholders("{{a}} }} {{b}}").1, Some(6));
    assert_eq!(placeholders("no braces").0, []);
    assert_eq!(placeholders("{{open").1, Some(0));
}

/// A blank alert format says it is blank, not how long it is; a long one says its length.
#[test]
fn alert_format_length_message_says_what_is_wrong() {
    let message = |format: &str| {
        let text = edit(&[(
            "suppressionEnabled:",
            &format!(
                "alertDetailsOverride:\n  alertDisplayNameFormat: '{format}'\nsuppressionEnabled:"
            ),
        )]);
        let found: Vec<String> = check(&text)
            .into_iter()
            .filter(|diag| diag.code.as_str() == "SPEC126")
            .map(|diag| diag.message)
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        found[0].clone()
    };
    assert_eq!(message("   "), "`alertDisplayNameFormat` is blank");
    assert_eq!(
        message(&"n".repeat(257)),
        "`alertDisplayNameFormat` is 257 characters, over the limit of 256"
    );
}

/// A limit that a `SPEC1xx` check owns is reported once, by that check, counting one way:
/// the schema's `SPEC010` for the same field and keyword is not added.
#[test]
fn schema_errors_owned_by_limit_checks_are_not_repeated() {
    let codes = |text: &str| -> Vec<String> {
        check(text)
            .into_iter()
            .filter(|diag| diag.severity == Severity::Error)
            .map(|diag| diag.code.to_string())
            .collect()
    };
    let four = MAPPING.repeat(4);
    let found = codes(&edit(&[(MAPPING, &four)]));
    assert!(found.contains(&"SPEC117".to_owned()), "{found:?}");
    assert!(!found.contains(&"SPEC010".to_owned()), "{found:?}");
    let found =
        codes(&edit(&[(MAPPING, "")]).replace("    fieldMappings:\n", "    fieldMappings: []\n"));
    assert!(found.contains(&"SPEC117".to_owned()), "{found:?}");
    assert!(!found.contains(&"SPEC010".to_owned()), "{found:?}");
    // Legacy quotes inside a double-quoted description are not counted.
    let quoted = |n: usize| {
        edit(&[(
            "description: |\n  'Identifies accounts that sign in from two countries within an hour.'\n",
            &format!("description: \"'{}'\"\n", "d".repeat(n)),
        )])
    };
    assert_eq!(codes(&quoted(5_000)), Vec::<String>::new());
    assert_eq!(codes(&quoted(5_001)), ["SPEC111"]);
}
