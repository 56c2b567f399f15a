//! The KQL checks of `check_file`: syntax errors at YAML lines, names against the catalog, and
//! the query's output columns against the fields that name them.

#![allow(clippy::unwrap_used)]

use palisade_diagnostics::{Diagnostic, SourceFiles};
use palisade_validator::check_file;
use palisade_validator::registry::lookup;

const HEAD: &str = "\
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
";

/// Checks `HEAD` followed by `rest`; returns `(code, line, column, message)` of every KQL
/// finding (lints, `KQL2xx` and up, left out), after checking that each code is registered with the severity it is reported at.
fn kql(rest: &str) -> Vec<(String, u32, u32, String)> {
    let text = format!("{HEAD}{rest}");
    let mut files = SourceFiles::new();
    let (file, result) = check_file(&mut files, "detections/rule.yaml", text.as_bytes());
    let source = files.get(file);
    result
        .diagnostics
        .iter()
        .filter(|diag| diag.code.as_str() < "KQL200")
        .map(|diag: &Diagnostic| {
            let info = lookup(diag.code.as_str()).unwrap_or_else(|| panic!("{}", diag.code));
            assert_eq!(info.severity, diag.severity, "{}: {}", diag.code, diag.message);
            let at = source.line_col(diag.primary.span.start);
            (diag.code.to_string(), at.line, at.column, diag.message.clone())
        })
        .collect()
}

fn codes(found: &[(String, u32, u32, String)]) -> Vec<(&str, u32, u32)> {
    found.iter().map(|(code, line, column, _)| (code.as_str(), *line, *column)).collect()
}

#[test]
fn a_clean_query_has_no_kql_findings() {
    let found = kql(
        "query: |\n  SigninLogs\n  | where ResultType != 0\n  | project TimeGenerated, IPAddress\nentityMappings:\n  - entityType: IP\n    fieldMappings:\n      - identifier: Address\n        columnName: IPAddress\n",
    );
    assert_eq!(found, []);
}

#[test]
fn syntax_errors_point_at_yaml_lines_and_skip_resolution() {
    // The query's first line is line 13 of the file.
    let found =
        kql("query: |\n  SigninLogs\n  | where (ResultType != 0\n  | summerize count() by Nope\n");
    // No `KQL101` for `Nope`: a query with syntax errors is not resolved.
    // The missing `)` is reported right after the last token, on line 15.
    assert_eq!(codes(&found), [("KQL006", 15, 5), ("KQL004", 15, 30)]);
    assert!(found[1].3.contains("line 2, column 9 of the query"), "{found:?}");
    // A quoted one-line query maps through the quotes.
    let found = kql("query: \"SigninLogs | where ResultType != \"\n");
    assert_eq!(codes_of(&found), ["KQL005"]);
    assert_eq!((found[0].1, found[0].2), (12, 41), "{found:?}"); // right after `!=`
}

fn codes_of(found: &[(String, u32, u32, String)]) -> Vec<&str> {
    found.iter().map(|(code, ..)| code.as_str()).collect()
}

#[test]
fn unknown_columns_and_tables() {
    let found = kql("query: |\n  SigninLogs\n  | where UserPrincipalNam == 'a'\n");
    assert_eq!(codes(&found), [("KQL101", 14, 11)]);
    let found = kql("query: |\n  signinlogs\n  | take 1\n");
    assert_eq!(codes(&found), [("KQL105", 13, 3)]);
    assert!(found[0].3.contains("`SigninLogs`"), "{found:?}");
    let found = kql("query: |\n  SigninLog\n  | take 1\n");
    assert_eq!(codes_of(&found), ["KQL106"]);
    let found = kql("query: |\n  Contoso_CL\n  | where Usr == 1\n");
    assert_eq!(codes_of(&found), ["KQL103", "KQL102"]);
}

const MAPPED: &str = "query: |\n  SigninLogs\n  | summarize IPs = make_set(IPAddress), n = count() by UserPrincipalName\n";

#[test]
fn mapped_columns_missing_in_another_case_or_dynamic() {
    let found = kql(&format!(
        "{MAPPED}entityMappings:\n  - entityType: Account\n    fieldMappings:\n      - identifier: FullName\n        columnName: userPrincipalName\n  - entityType: IP\n    fieldMappings:\n      - identifier: Address\n        columnName: IPs\ncustomDetails:\n  Count: m\nalertDetailsOverride:\n  alertDisplayNameFormat: Sign-ins by {{{{UserPrincipalName}}}} from {{{{IPCustomEntity}}}}\n"
    ));
    assert_eq!(
        codes(&found),
        [("KQL111", 19, 21), ("KQL113", 23, 21), ("KQL110", 25, 10), ("KQL110", 27, 66)]
    );
    assert!(found[0].3.contains("outputs `UserPrincipalName`"), "{found:?}");
    assert!(found[2].3.contains("`customDetails` names `m`"), "{found:?}");
    assert!(found[3].3.contains("`IPCustomEntity`"), "{found:?}");
}

#[test]
fn union_suffixes_are_explained() {
    let found = kql(
        "query: |\n  union (SigninLogs | extend Port = 1), (AuditLogs | extend Port = 'a')\n  | project Port_long, Port_string\ncustomDetails:\n  Port: Port\n",
    );
    assert_eq!(codes_of(&found), ["KQL112"]);
    assert!(found[0].3.contains("`Port_long`, `Port_string`"), "{found:?}");
}

#[test]
fn open_output_is_at_most_a_note() {
    let found = kql(
        "query: |\n  Contoso_CL\n  | extend Account = 'a'\nentityMappings:\n  - entityType: Account\n    fieldMappings:\n      - identifier: Name\n        columnName: account\n",
    );
    assert_eq!(codes_of(&found), ["KQL103", "KQL114"]);
}

/// Every finding of `rest` as a whole diagnostic, KQL codes below `KQL200` only.
fn kql_diagnostics(rest: &str) -> (SourceFiles, Vec<Diagnostic>) {
    let text = format!("{HEAD}{rest}");
    let mut files = SourceFiles::new();
    let (_, result) = check_file(&mut files, "detections/rule.yaml", text.as_bytes());
    let found = result.diagnostics.into_iter().filter(|d| d.code.as_str() < "KQL200").collect();
    (files, found)
}

#[test]
fn a_mapping_to_the_right_name_blames_the_misspelt_query_column() {
    let rest = "query: |\n  SigninLogs\n  | project UserPrincipalNam\nentityMappings:\n  - entityType: Account\n    fieldMappings:\n      - identifier: FullName\n        columnName: UserPrincipalName\n";
    assert_eq!(codes(&kql(rest)), [("KQL101", 14, 13), ("KQL110", 19, 21)]);
    let (files, found) = kql_diagnostics(rest);
    assert_eq!(found[0].help.as_deref(), Some("did you mean `UserPrincipalName`?"));
    let help = found[1].help.as_deref().unwrap();
    assert!(!help.contains("did you mean"), "{help}");
    assert!(help.contains("`UserPrincipalNam` at line 14, column 13 looks misspelt"), "{help}");
    assert!(help.contains("KQL101"), "{help}");
    let label = &found[1].secondary[0];
    let at = files.get(label.span.file).line_col(label.span.start);
    assert_eq!((at.line, at.column), (14, 13));

    // Not flagged by the query (the `extend` makes it), but the mapped name is a real column
    // of `SigninLogs`: the query's spelling is the suspect one.
    let rest = "query: |\n  SigninLogs\n  | extend UserPrincipalNam = tostring(UserPrincipalName)\n  | project UserPrincipalNam\nentityMappings:\n  - entityType: Account\n    fieldMappings:\n      - identifier: FullName\n        columnName: UserPrincipalName\n";
    let (_, found) = kql_diagnostics(rest);
    let help = found[0].help.as_deref().unwrap();
    assert!(help.starts_with("`UserPrincipalName` is a column of `SigninLogs`"), "{help}");
    assert!(help.contains("`UserPrincipalNam` at line 15, column 13 looks misspelt"), "{help}");

    // A real column the last `project` leaves out: keep it there.
    let rest = "query: |\n  SigninLogs\n  | project TimeGenerated\nentityMappings:\n  - entityType: IP\n    fieldMappings:\n      - identifier: Address\n        columnName: IPAddress\n";
    let (_, found) = kql_diagnostics(rest);
    assert_eq!(found[0].code.as_str(), "KQL110");
    let help = found[0].help.as_deref().unwrap();
    assert!(help.contains("the `project` at line 14, column 5 leaves it out"), "{help}");

    // A mapping that is the misspelt side keeps the plain suggestion.
    let rest = "query: |\n  SigninLogs\n  | project UserPrincipalName\nentityMappings:\n  - entityType: Account\n    fieldMappings:\n      - identifier: FullName\n        columnName: UserPrincipalNam\n";
    let (_, found) = kql_diagnostics(rest);
    assert_eq!(found[0].help.as_deref(), Some("did you mean `UserPrincipalName`?"));
}

#[test]
fn standard_columns_dropped_by_an_operator_are_errors() {
    // Without an operator that fixes the columns, the catalog may just lack `_ResourceId`.
    let found = kql("query: |\n  SigninLogs\n  | where isnotempty(_ResourceId)\n");
    assert_eq!(codes(&found), [("KQL102", 14, 22)]);

    let rest = "query: |\n  SigninLogs\n  | project TimeGenerated, IPAddress\n  | where TenantId != '' and isnotempty(_ResourceId)\n";
    assert_eq!(codes(&kql(rest)), [("KQL101", 15, 11), ("KQL101", 15, 41)]);
    let (files, found) = kql_diagnostics(rest);
    assert!(found[0].notes.iter().any(|note| note.contains("the `project` before this point")));
    let label = &found[0].secondary[0];
    let at = files.get(label.span.file).line_col(label.span.start);
    assert_eq!((at.line, at.column), (14, 5));
    assert_eq!(label.message, "`project` keeps only the columns it names");

    let found =
        kql("query: |\n  SigninLogs\n  | summarize count() by IPAddress\n  | where Type == 'x'\n");
    assert_eq!(codes(&found), [("KQL101", 15, 11)]);
    let (_, found) = kql_diagnostics(
        "query: |\n  SigninLogs\n  | project-away TenantId\n  | where TenantId == 'x'\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code.as_str(), "KQL101");
    assert!(found[0].notes.iter().any(|note| note.contains("`project-away`")), "{found:?}");
    assert_eq!(found[0].secondary[0].message, "`TenantId` is removed here");

    // A mapping to a standard column the output certainly lacks is an error too.
    let found =
        kql("query: |\n  SigninLogs\n  | project IPAddress\ncustomDetails:\n  Tenant: TenantId\n");
    assert_eq!(codes(&found), [("KQL110", 16, 11)]);
    let found = kql(
        "query: |\n  SigninLogs\n  | where IPAddress != ''\ncustomDetails:\n  Resource: _ResourceId\n",
    );
    assert_eq!(codes(&found), [("KQL114", 16, 13)]);
}

#[test]
fn a_function_calling_itself_has_its_own_message() {
    let (_, found) = kql_diagnostics("query: |\n  let f = () { f() };\n  f()\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code.as_str(), "KQL107");
    assert_eq!(found[0].message, "`f` calls itself; KQL functions cannot be recursive");
    assert!(found[0].help.is_some());
    let info = lookup("KQL107").unwrap();
    assert_eq!(info.severity, found[0].severity);
}

/// A query that starts with an operator is one `KQL012` at the operator, in a spec and in a
/// `.kql` file, with no column findings and no mapped-column findings after it.
#[test]
fn a_query_without_a_table_is_one_finding() {
    let found = kql(
        "query: |\n  where ResultType == \"50126\"\n  | summarize count() by UserPrincipalName\nentityMappings:\n  - entityType: Account\n    fieldMappings:\n      - identifier: FullName\n        columnName: UserPrincipalName\n  - entityType: IP\n    fieldMappings:\n      - identifier: Address\n        columnName: IPAddress\n",
    );
    assert_eq!(codes(&found), [("KQL012", 13, 3)], "{found:?}");
    assert!(found[0].3.contains("starts with `where`"), "{}", found[0].3);
    let mut files = SourceFiles::new();
    let text = "where ResultType == \"50126\"\n| summarize count() by UserPrincipalName\n";
    let (_, diagnostics) =
        palisade_validator::query::check_query_bytes(&mut files, "hunting/q.kql", text.as_bytes());
    let found: Vec<&str> = diagnostics.iter().map(|diag| diag.code.as_str()).collect();
    assert_eq!(found, ["KQL012"], "{diagnostics:?}");
}
