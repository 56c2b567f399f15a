use super::*;

const FILE: FileId = FileId(3);

const RULE: &str = "\
id: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
name: Sign-ins from two countries
description: |
  'Identifies sign-ins from two countries within an hour.'
severity: medium
requiredDataConnectors:
  - connectorId: AzureActiveDirectory
    dataTypes:
      - SigninLogs
queryFrequency: 1h
queryPeriod: PT2H
triggerOperator: gt
triggerThreshold: 0
tactics:
  - Initial Access
  - CredentialAccess
relevantTechniques:
  - T1078.004
query: |
  SigninLogs
  | where ResultType == 0
entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: FullName
        columnName: UserPrincipalName
customDetails:
  Country: Location
eventGroupingSettings:
  aggregationKind: AlertPerResult
incidentConfiguration:
  createIncident: true
  groupingConfiguration:
    enabled: false
    reopenClosedIncident: false
    lookbackDuration: 5h
    matchingMethod: AllEntities
version: 1.0.0
kind: scheduled
";

fn detection(result: &LoadResult) -> &Detection {
    match &result.outcome {
        Outcome::Detection(detection) => detection,
        other => panic!("expected a detection, got {other:?}: {:?}", result.diagnostics),
    }
}

fn codes_of(result: &LoadResult) -> Vec<&'static str> {
    result.diagnostics.iter().map(|diag| diag.code.as_str()).collect()
}

#[test]
fn loads_and_normalises_a_rule() {
    let result = load_spec(FILE, "detections/a.yaml", RULE);
    // `severity: medium` is read as `Medium`, with a case warning; `kind: scheduled` is how
    // Microsoft's docs write it, so it has none.
    let messages: Vec<&str> = result.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["`medium` in `severity` is written differently from `Medium`"]);
    assert_eq!(codes_of(&result), ["SPEC018"]);
    let detection = detection(&result);
    assert_eq!(detection.file, FILE);
    assert_eq!(detection.path, "detections/a.yaml");
    assert_eq!(detection.spec_kind, SpecKind::AnalyticsRule);
    assert_eq!(detection.name.value, "Sign-ins from two countries");
    assert_eq!(
        detection.description.as_ref().unwrap().value,
        "Identifies sign-ins from two countries within an hour."
    );
    assert_eq!(detection.severity.as_ref().unwrap().value, Severity::Medium);
    assert_eq!(detection.kind.as_ref().unwrap().value, RuleKind::Scheduled);
    assert_eq!(detection.query_frequency.as_ref().unwrap().value, Duration::from_hours(1));
    assert_eq!(detection.query_period.as_ref().unwrap().value, Duration::from_hours(2));
    assert_eq!(detection.trigger_operator.as_ref().unwrap().value, TriggerOperator::GreaterThan);
    assert_eq!(detection.trigger_threshold.as_ref().unwrap().value, 0);
    let tactics: Vec<&str> = detection.tactics.iter().map(|t| t.value.as_str()).collect();
    assert_eq!(tactics, ["InitialAccess", "CredentialAccess"]);
    assert_eq!(detection.relevant_techniques[0].value, "T1078.004");
    assert_eq!(detection.query.text, "SigninLogs\n| where ResultType == 0\n");
    assert_eq!(detection.required_data_connectors[0].data_types[0].value, "SigninLogs");
    let mappings = detection.entity_mappings.as_ref().unwrap();
    assert_eq!(mappings[0].field_mappings[0].column_name.value, "UserPrincipalName");
    let details = detection.custom_details.as_ref().unwrap();
    assert_eq!((details[0].0.value.as_str(), details[0].1.value.as_str()), ("Country", "Location"));
    assert_eq!(detection.event_grouping.as_ref().unwrap().value, AggregationKind::AlertPerResult);
    let incident = detection.incident_configuration.as_ref().unwrap();
    assert!(incident.create_incident);
    let grouping = incident.grouping_configuration.as_ref().unwrap();
    assert_eq!(grouping.lookback_duration.value, Duration::from_hours(5));
    assert_eq!(grouping.matching_method.value, MatchingMethod::AllEntities);
    assert_eq!(detection.version.as_ref().unwrap().value, "1.0.0");
}

#[test]
fn query_offsets_map_back_to_the_file() {
    let result = load_spec(FILE, "a.yaml", RULE);
    let query = &detection(&result).query;
    let where_offset = query.text.find("where").unwrap() as u32;
    let file_offset = query.source_map.map_offset(where_offset) as usize;
    assert_eq!(&RULE[file_offset..file_offset + 5], "where");
    assert_eq!(query.source_map.file(), FILE);
}

#[test]
fn crlf_and_lf_load_the_same_values() {
    let crlf = RULE.replace('\n', "\r\n");
    let lf = load_spec(FILE, "a.yaml", RULE);
    let crlf = load_spec(FILE, "a.yaml", &crlf);
    assert_eq!(detection(&lf), detection(&crlf));
}

#[test]
fn hunting_query_is_classified() {
    let text = "id: x\nname: Hunt\ndescription: d\ntactics: []\nquery: T | take 1\n";
    let result = load_spec(FILE, "a.yaml", text);
    assert_eq!(detection(&result).spec_kind, SpecKind::HuntingQuery);
    assert!(result.diagnostics.is_empty());
}

#[test]
fn trigger_operators_and_kinds_in_every_spelling() {
    for (written, expected) in [
        ("gt", TriggerOperator::GreaterThan),
        ("GreaterThan", TriggerOperator::GreaterThan),
        ("lt", TriggerOperator::LessThan),
        ("eq", TriggerOperator::Equal),
        ("ne", TriggerOperator::NotEqual),
        ("NotEqual", TriggerOperator::NotEqual),
    ] {
        let text = format!("id: x\nname: n\nquery: q\nkind: NRT\ntriggerOperator: {written}\n");
        let result = load_spec(FILE, "a.yaml", &text);
        let detection = detection(&result);
        assert_eq!(detection.trigger_operator.as_ref().unwrap().value, expected);
        assert_eq!(detection.kind.as_ref().unwrap().value, RuleKind::Nrt);
    }

    let result = load_spec(FILE, "a.yaml", "id: x\nname: n\nquery: q\ntriggerOperator: Gt\n");
    assert_eq!(codes_of(&result), ["SPEC013"]);
    assert_eq!(result.diagnostics[0].help.as_deref(), Some("did you mean `gt`?"));
}

#[test]
fn description_quotes_strip_only_a_matching_pair() {
    assert_eq!(strip_description_quotes("'text'\n"), "text");
    assert_eq!(strip_description_quotes("\"text\"  \n"), "text");
    assert_eq!(strip_description_quotes("'text\"\n"), "'text\"");
    assert_eq!(strip_description_quotes("'it's' fine\n"), "'it's' fine");
    assert_eq!(strip_description_quotes("'"), "'");
    assert_eq!(strip_description_quotes("plain  "), "plain");
}

#[test]
fn type_errors_point_at_the_value() {
    let text =
        "id: x\nname: [a]\nquery: q\nseverity: Critical\ntriggerThreshold: many\nenabled: yes\n";
    let result = load_spec(FILE, "a.yaml", text);
    assert!(matches!(result.outcome, Outcome::Failed));
    assert_eq!(codes_of(&result), ["SPEC012", "SPEC013", "SPEC012", "SPEC012"]);
    let name = &result.diagnostics[0];
    assert_eq!(name.message, "`name` must be a string, found a list");
    assert_eq!(&text[name.primary.span.start as usize..name.primary.span.end as usize], "[a]");
    let severity = &result.diagnostics[1];
    assert_eq!(severity.message, "`Critical` is not a valid `severity`");
    assert_eq!(severity.notes, ["allowed values: `Informational`, `Low`, `Medium`, `High`"]);
}

#[test]
fn missing_required_fields_fail() {
    let result = load_spec(FILE, "a.yaml", "id: x\nname: n\nseverity: High\n");
    assert!(matches!(result.outcome, Outcome::Failed));
    assert_eq!(codes_of(&result), ["SPEC011"]);
    assert_eq!(result.diagnostics[0].message, "Required field `query` is missing");
}

#[test]
fn durations_are_checked_and_timespan_warned() {
    let text = "id: x\nname: n\nquery: q\nqueryFrequency: 5M\nqueryPeriod: 01:00:00\n";
    let result = load_spec(FILE, "a.yaml", text);
    assert_eq!(codes_of(&result), ["SPEC015", "SPEC016"]);
    assert!(
        result.diagnostics[0].message.contains("upper-case `M`"),
        "{}",
        result.diagnostics[0].message
    );
    assert_eq!(detection(&result).query_period.as_ref().unwrap().value, Duration::from_hours(1));
}

#[test]
fn unknown_key_names_the_nearest_known_key() {
    let result = load_spec(FILE, "a.yaml", "id: x\nname: n\nquery: q\nseverty: High\nzzzzzz: 1\n");
    assert_eq!(codes_of(&result), ["SPEC014", "SPEC014"]);
    assert_eq!(result.diagnostics[0].message, "Unknown key `severty`");
    assert_eq!(result.diagnostics[0].help.as_deref(), Some("did you mean `severity`?"));
    assert_eq!(result.diagnostics[0].severity, Level::Warning);
    assert_eq!(
        result.diagnostics[1].help.as_deref(),
        Some("remove it, or check the spelling against the spec reference")
    );
    assert_eq!(nearest_known_key("QueryFrequency"), Some("queryFrequency"));
    assert_eq!(nearest_known_key("relaventTechniques"), Some("relevantTechniques"));
}

#[test]
fn non_rule_yaml_is_skipped_with_a_note() {
    let cases = [
        ("Parser:\n  Title: x\nParserQuery: T\n", "an ASIM parser or function"),
        ("title: t\nlogsource:\n  product: windows\ndetection:\n  sel: 1\n", "a Sigma rule"),
        ("Id: x\nDisplayName: y\nQuery: T\n", "a rule in the PascalCase (sentinel-as-code) format"),
        ("Id: x\nDisplayName: y\nInputEntityType: Ip\nquery: T\n", "an Exploration Query"),
        ("id: x\nname: y\ndescription: This rule moved to Solutions/X\n", "a moved stub"),
        ("foo: 1\n", "YAML of another kind"),
        (
            "name: CI\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n",
            "a GitHub Actions workflow",
        ),
        ("services:\n  web:\n    image: nginx\n", "a Docker Compose file"),
        ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n", "a Kubernetes manifest"),
        ("version: 2\nupdates:\n  - package-ecosystem: cargo\n", "a Dependabot configuration"),
        (
            "trigger:\n  - main\npool:\n  vmImage: ubuntu-latest\n",
            "a CI pipeline (Azure Pipelines or GitLab CI)",
        ),
        ("- hosts: all\n  tasks: []\n", "an Ansible playbook"),
        // `security` is two edits from `severity`: not read as a misspelt detection field.
        ("openapi: 3.0.0\nsecurity: []\npaths: {}\n", "an OpenAPI description"),
        ("security: []\nqueue: 3\n", "YAML of another kind"),
        ("- one\n- two\n", "a YAML list"),
    ];
    for (text, reason) in cases {
        let result = load_spec(FILE, "a.yaml", text);
        match &result.outcome {
            Outcome::Skipped { reason: found } => assert_eq!(found, reason),
            other => panic!("{text:?}: {other:?}"),
        }
        assert_eq!(codes_of(&result), ["SPEC009"]);
        let diag = &result.diagnostics[0];
        assert_eq!(diag.severity, Level::Note);
        assert_eq!(diag.message, format!("Skipped: looks like {reason}, not a detection spec"));
        assert_eq!(diag.notes.len(), 1, "{text:?}");
    }
}

/// What looked like a detection and why is said in the note.
#[test]
fn skip_notes_say_what_the_document_has() {
    let note = |text: &str| load_spec(FILE, "a.yaml", text).diagnostics[0].notes[0].clone();
    let workflow = note("name: CI\non: [push]\njobs: {}\n");
    assert!(
        workflow
            .starts_with("it has `on` and `jobs`, and none of the fields of a detection (`query`")
    );
    assert!(
        note("apiVersion: apps/v1\nkind: Deployment\n")
            .contains("`apiVersion: apps/v1` and `kind: Deployment`")
    );
    assert!(
        note("a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\n")
            .starts_with("its keys (`a`, `b`, `c`, `d`, `e` and 2 more) include none")
    );
    assert!(note("Parser:\n  Title: x\n").starts_with("it has `Parser`"));
}

/// A stub says which keys it has; only `id`, `name` and `description` with a description
/// that says so is a moved stub.
#[test]
fn stubs_say_which_keys_they_have() {
    let cases = [
        ("id: x\n", "a stub with only `id`"),
        ("id: x\nmetadata:\n  source: y\n", "a stub with only `id` and `metadata`"),
        ("id: x\nname: y\n", "a stub with only `id` and `name`"),
        (
            "id: x\nname: y\ndescription: Old rule\n",
            "a stub with only `id`, `name` and `description`",
        ),
    ];
    for (text, reason) in cases {
        match load_spec(FILE, "a.yaml", text).outcome {
            Outcome::Skipped { reason: found } => assert_eq!(found, reason, "{text:?}"),
            other => panic!("{text:?}: {other:?}"),
        }
    }
}

/// A document with any detection field (also in another case, or one typo away) is loaded,
/// so a missing `id` or `query` is an error and not a skip.
#[test]
fn detection_fields_without_id_or_query_are_errors() {
    let cases = [
        ("name: x\nseverity: High\n", vec!["SPEC011", "SPEC011"]),
        ("name: x\nTactics: [Execution]\n", vec!["SPEC011", "SPEC011", "SPEC018"]),
        ("id: x\nname: y\nquerry: T\n", vec!["SPEC011", "SPEC014"]),
        ("id: x\nname: y\nkind: Scheduled\n", vec!["SPEC011"]),
        ("name: CI\non: [push]\njobs: {}\nquery: T\n", vec!["SPEC011", "SPEC014", "SPEC014"]),
    ];
    for (text, expected) in cases {
        let result = load_spec(FILE, "a.yaml", text);
        assert!(matches!(result.outcome, Outcome::Failed), "{text:?}: {:?}", result.outcome);
        assert_eq!(codes_of(&result), expected, "{text:?}");
    }
}

/// Several documents: one error at the second `---` when any looks like a detection (and
/// nothing else is checked), a note when none does; empty documents do not count.
#[test]
fn several_documents_are_one_error_or_one_note() {
    let text = "id: a\nname: A\nquery: T\n---\nid: b\nname: B\nquery: T\n";
    let result = load_spec(FILE, "a.yaml", text);
    assert!(matches!(result.outcome, Outcome::Failed));
    assert_eq!(codes_of(&result), ["SPEC003"]);
    let diag = &result.diagnostics[0];
    assert_eq!(diag.message, "The file holds 2 YAML documents; a spec file holds one");
    assert_eq!(&text[diag.primary.span.start as usize..diag.primary.span.end as usize], "---");
    assert_eq!(diag.severity, Level::Error);

    let manifests = "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Service\n---\nkind: X\napiVersion: v2\n";
    let result = load_spec(FILE, "a.yaml", manifests);
    assert!(matches!(result.outcome, Outcome::Skipped { .. }));
    assert_eq!(
        result.diagnostics[0].message,
        "Skipped: 3 YAML documents that each look like a Kubernetes manifest, not a detection spec"
    );

    let mixed = "services: {}\n---\nname: CI\non: push\njobs: {}\n";
    let message = &load_spec(FILE, "a.yaml", mixed).diagnostics[0].message;
    assert_eq!(
        message,
        "Skipped: 2 YAML documents; the first looks like a Docker Compose file, not a detection spec"
    );

    // A leading `---`, a trailing `---` and an empty document between are not documents.
    let single = "---\nid: a\nname: A\nquery: T\n---\n";
    assert!(matches!(load_spec(FILE, "a.yaml", single).outcome, Outcome::Detection(_)));
    let single = "---\n---\nid: a\nname: A\nquery: T\n";
    assert!(matches!(load_spec(FILE, "a.yaml", single).outcome, Outcome::Detection(_)));
}

#[test]
fn empty_and_invalid_files_fail() {
    let result = load_spec(FILE, "a.yaml", "");
    assert!(matches!(result.outcome, Outcome::Failed));
    assert_eq!(codes_of(&result), ["SPEC005"]);

    let result = load_spec(FILE, "a.yaml", "id: [\n");
    assert!(matches!(result.outcome, Outcome::Failed));
    assert_eq!(codes_of(&result), ["SPEC001"]);

    let result = load_spec(FILE, "a.yaml", "- id: x\n");
    assert_eq!(codes_of(&result), ["SPEC008"]);
}

#[test]
fn other_rule_kinds_are_not_supported_yet() {
    let result = load_spec(FILE, "a.yaml", "id: x\nname: n\nquery: q\nkind: Fusion\n");
    assert_eq!(result.diagnostics[0].message, "Rule kind `Fusion` is not supported yet");
}

#[test]
fn entity_mappings_as_a_mapping_is_a_type_error() {
    let text = "id: x\nname: n\nquery: q\nentityMappings:\n  entityType: IP\n";
    let result = load_spec(FILE, "a.yaml", text);
    assert_eq!(result.diagnostics[0].message, "`entityMappings` must be a list, found a mapping");
    assert!(detection(&result).entity_mappings.is_none());
}

#[test]
fn hunting_queries_folder_and_severity_do_not_make_a_rule() {
    let text = "id: x\nname: n\nseverity: Medium\nquery: q\n";
    let result = load_spec(FILE, "detections/a.yaml", text);
    assert_eq!(detection(&result).spec_kind, SpecKind::HuntingQuery);

    let text = "id: x\nname: n\nkind: Scheduled\nquery: q\n";
    let result = load_spec(FILE, "Solutions/X/Hunting Queries/a.yaml", text);
    assert_eq!(detection(&result).spec_kind, SpecKind::HuntingQuery);
    let result = load_spec(FILE, "Solutions/X/Analytic Rules/a.yaml", text);
    assert_eq!(detection(&result).spec_kind, SpecKind::AnalyticsRule);
}

#[test]
fn null_values_mean_not_set_and_empty_items_are_warned() {
    let text = "id: x\nname: n\nquery: q\nentityMappings:\nrelevantTechniques:\n  - T1078\n  -  \n";
    let result = load_spec(FILE, "a.yaml", text);
    assert_eq!(codes_of(&result), ["SPEC017"]);
    assert_eq!(result.diagnostics[0].message, "Empty entry in `relevantTechniques`");
    let detection = detection(&result);
    assert!(detection.entity_mappings.is_none());
    assert_eq!(detection.relevant_techniques.len(), 1);
}

#[test]
fn nearest_key_by_containment() {
    assert_eq!(nearest_known_key("techniques"), Some("relevantTechniques"));
    assert_eq!(nearest_known_key("References"), None);
}

#[test]
fn unquoted_placeholder_gets_a_quoting_hint() {
    let text =
        "id: x\nname: n\nquery: q\nalertDetailsOverride:\n  alertDisplayNameFormat: {{Title}}\n";
    let result = load_spec(FILE, "a.yaml", text);
    let diag = result.diagnostics.iter().find(|d| d.code == codes::WRONG_TYPE).unwrap();
    assert_eq!(diag.help.as_deref(), Some("quote the value: `'{{Title}}'`"));
}

#[test]
fn decimal_where_a_whole_number_belongs_names_the_value() {
    let result = load_spec(FILE, "a.yaml", "id: x\nname: n\nquery: q\ntriggerThreshold: 1.5\n");
    assert_eq!(codes_of(&result), ["SPEC012"]);
    let diag = &result.diagnostics[0];
    assert_eq!(diag.message, "`triggerThreshold` must be a whole number, found `1.5`");
    assert_eq!(
        diag.help.as_deref(),
        Some("write `triggerThreshold` as a whole number such as `1`")
    );
}

#[test]
fn required_field_with_no_value_is_reported_at_its_line() {
    for (text, covered) in
        [("id: x\nname:\nquery: q\n", "name"), ("id: x\nname: ~\nquery: q\n", "name: ~")]
    {
        let result = load_spec(FILE, "a.yaml", text);
        assert_eq!(codes_of(&result), ["SPEC011"], "{text}");
        let diag = &result.diagnostics[0];
        assert_eq!(diag.message, "Required field `name` has no value");
        assert_eq!(
            &text[diag.primary.span.start as usize..diag.primary.span.end as usize],
            covered
        );
        assert_eq!(diag.help.as_deref(), Some("write a value after `name:`"));
    }
}

/// A spec that takes its common fields from an anchored mapping through `<<`, as PyYAML reads
/// it: no unknown key, no missing field.
#[test]
fn merge_keys_fill_in_fields() {
    let text = "\
x-defaults: &defaults
  severity: Medium
  queryFrequency: 1h
  queryPeriod: 1h
  triggerOperator: gt
  triggerThreshold: 0
<<: *defaults
id: x
name: n
query: q
severity: High
";
    let result = load_spec(FILE, "a.yaml", text);
    assert_eq!(codes_of(&result), ["SPEC014"]);
    assert_eq!(result.diagnostics[0].message, "Unknown key `x-defaults`");
    let detection = detection(&result);
    assert_eq!(detection.severity.as_ref().unwrap().value, Severity::High);
    assert_eq!(detection.trigger_threshold.as_ref().unwrap().value, 0);
}
