//! JSON Schema checks: the documents in `schemas/`, applied to a spec's JSON form, with each
//! error mapped back to the YAML line and column, the field path and the allowed values.
//!
//! The schemas are embedded, so the binary needs no files at run time, and editors use the same
//! files through a `# yaml-language-server: $schema=` comment.

use std::sync::OnceLock;

use jsonschema::Validator;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use palisade_diagnostics::{Diagnostic, FileId, Span};
use palisade_spec::SpecKind;
use palisade_spec::codes;
use palisade_spec::load;
use palisade_spec::yaml::{JsonIndex, Node, Value, to_json};
use serde_json::Value as Json;

/// The analytics-rule schema, as shipped in `schemas/analytics-rule.schema.json`.
pub const ANALYTICS_RULE_SCHEMA: &str = include_str!("../../../schemas/analytics-rule.schema.json");

/// The hunting-query schema, as shipped in `schemas/hunting-query.schema.json`.
pub const HUNTING_QUERY_SCHEMA: &str = include_str!("../../../schemas/hunting-query.schema.json");

/// Most schema errors reported for one file; past this the rest are summarised.
const MAX_ERRORS_PER_FILE: usize = 50;

fn compile(text: &str) -> Validator {
    let schema: Json = serde_json::from_str(text).expect("embedded schema is valid JSON (tested)");
    jsonschema::draft202012::new(&schema).expect("embedded schema compiles (tested)")
}

fn validator(kind: SpecKind) -> &'static Validator {
    static RULE: OnceLock<Validator> = OnceLock::new();
    static HUNTING: OnceLock<Validator> = OnceLock::new();
    match kind {
        SpecKind::AnalyticsRule => RULE.get_or_init(|| compile(ANALYTICS_RULE_SCHEMA)),
        SpecKind::HuntingQuery => HUNTING.get_or_init(|| compile(HUNTING_QUERY_SCHEMA)),
    }
}

/// Checks a parsed document against the schema for `kind`.
///
/// Keys whose value is null are left out first: the loader reads a null value as "not set",
/// as Azure-Sentinel's CI does.
pub fn check(file: FileId, root: &Node, kind: SpecKind) -> Vec<Diagnostic> {
    let mut json = to_json(root);
    drop_null_entries(&mut json);
    let index = JsonIndex::build(root);
    let mut diagnostics = Vec::new();
    let mut n_errors = 0;
    for error in validator(kind).iter_errors(&json) {
        n_errors += 1;
        if n_errors > MAX_ERRORS_PER_FILE {
            continue;
        }
        let pointer = error.instance_path().as_str().to_owned();
        if owned_by_limit_check(kind, error.kind(), &pointer) {
            continue;
        }
        let field = field_path(&pointer);
        let instance = error.instance().as_ref().clone();
        let value_span = index.value_span(&pointer).unwrap_or(Span::file_start(file));
        if let ValidationErrorKind::Required { property } = error.kind() {
            // A key written with a null value was left out of the JSON: it is there, empty.
            let property = property.as_str().unwrap_or_default();
            if let Some(entry) = node_at(root, &pointer).and_then(|node| node.get(property)) {
                let full = if field.is_empty() {
                    property.to_owned()
                } else {
                    format!("{field}.{property}")
                };
                diagnostics.push(load::no_value(&full, entry));
                continue;
            }
        }
        diagnostics.extend(describe(file, error.kind(), &pointer, &field, &instance, value_span));
    }
    if n_errors > MAX_ERRORS_PER_FILE {
        diagnostics.push(Diagnostic::error(
            codes::SCHEMA_VIOLATION,
            format!("{} more schema errors not shown", n_errors - MAX_ERRORS_PER_FILE),
            Span::file_start(file),
        ));
    }
    diagnostics
}

/// Whether a limit check (`SPEC1xx`) owns this schema error's field and keyword: it reports
/// the same limit with its own code, counting as Sentinel does (a legacy-quoted
/// `description: "'...'"` without its quotes), so the schema's `SPEC010` would repeat it or
/// count differently.
fn owned_by_limit_check(kind: SpecKind, error: &ValidationErrorKind, pointer: &str) -> bool {
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    match (error, parts.as_slice()) {
        (ValidationErrorKind::MaxLength { .. }, ["name" | "description"]) => true,
        (ValidationErrorKind::MaxLength { .. }, ["query"]) => kind == SpecKind::AnalyticsRule,
        (ValidationErrorKind::MaxItems { .. }, ["entityMappings"]) => true,
        (
            ValidationErrorKind::MaxItems { .. } | ValidationErrorKind::MinItems { .. },
            ["entityMappings", index, "fieldMappings"],
        ) => index.parse::<usize>().is_ok(),
        (ValidationErrorKind::MaxProperties { .. }, ["customDetails"]) => true,
        (
            ValidationErrorKind::MaxLength { .. } | ValidationErrorKind::MinLength { .. },
            ["alertDetailsOverride", "alertDisplayNameFormat" | "alertDescriptionFormat"],
        ) => true,
        _ => false,
    }
}

/// The YAML node at a JSON pointer of the document's JSON form.
fn node_at<'n>(root: &'n Node, pointer: &str) -> Option<&'n Node> {
    let mut node = root;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match &node.value {
            Value::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
            Value::Mapping(_) => &node.get(&token)?.value,
            Value::Scalar(_) => return None,
        };
    }
    Some(node)
}

fn drop_null_entries(value: &mut Json) {
    match value {
        Json::Object(map) => {
            map.retain(|_, value| !value.is_null());
            map.values_mut().for_each(drop_null_entries);
        }
        Json::Array(items) => items.iter_mut().for_each(drop_null_entries),
        _ => {}
    }
}

/// `/entityMappings/0/entityType` as `entityMappings[0].entityType`; the root as `(document)`.
pub fn field_path(pointer: &str) -> String {
    let mut out = String::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{token}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        }
    }
    out
}

fn short(value: &Json) -> String {
    let text = match value {
        Json::String(text) => text.clone(),
        other => other.to_string(),
    };
    let first_line = text.lines().next().unwrap_or("");
    if first_line.chars().count() > 60 || first_line.len() < text.len() {
        let cut: String = first_line.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn json_type_name(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "a mapping",
    }
}

fn type_kind_name(kind: &TypeKind) -> String {
    let name = |json_type: &jsonschema::JsonType| -> &'static str {
        match json_type.to_string().as_str() {
            "array" => "a list",
            "boolean" => "`true` or `false`",
            "integer" => "a whole number",
            "null" => "null",
            "number" => "a number",
            "object" => "a mapping",
            "string" => "a string",
            _ => "another type",
        }
    };
    match kind {
        TypeKind::Single(json_type) => name(json_type).to_owned(),
        TypeKind::Multiple(set) => {
            set.iter().map(|json_type| name(&json_type)).collect::<Vec<_>>().join(" or ")
        }
    }
}

fn quote_options(options: &Json) -> String {
    match options {
        Json::Array(items) => {
            items.iter().map(|item| format!("`{}`", short(item))).collect::<Vec<_>>().join(", ")
        }
        other => format!("`{other}`"),
    }
}

fn describe(
    file: FileId,
    kind: &ValidationErrorKind,
    pointer: &str,
    field: &str,
    instance: &Json,
    value_span: Span,
) -> Option<Diagnostic> {
    let at = if field.is_empty() { "The document".to_owned() } else { format!("`{field}`") };
    let diag = match kind {
        ValidationErrorKind::Required { property } => {
            let property = property.as_str().unwrap_or_default();
            // The loader reads a key that differs only in case, and warns about it.
            let case_variant = instance
                .as_object()
                .is_some_and(|map| map.keys().any(|key| key.eq_ignore_ascii_case(property)));
            if case_variant {
                return None;
            }
            let full =
                if field.is_empty() { property.to_owned() } else { format!("{field}.{property}") };
            let span = if pointer.is_empty() { Span::file_start(file) } else { value_span };
            Diagnostic::error(
                codes::MISSING_FIELD,
                format!("Required field `{full}` is missing"),
                span,
            )
            .with_help(format!("add `{property}`"))
        }
        ValidationErrorKind::Type { kind } => {
            let expected = type_kind_name(kind);
            Diagnostic::error(
                codes::WRONG_TYPE,
                format!("{at} must be {expected}, found {}", json_type_name(instance)),
                value_span,
            )
            .with_help(format!("write {at} as {expected}"))
        }
        ValidationErrorKind::Enum { options } => {
            let text = instance.as_str().unwrap_or_default().trim();
            let same_but_case = options.as_array().and_then(|options| {
                options
                    .iter()
                    .filter_map(Json::as_str)
                    .find(|option| option.eq_ignore_ascii_case(text))
            });
            match same_but_case {
                Some(option) => Diagnostic::warning(
                    codes::CASE_MISMATCH,
                    format!("`{text}` in {at} is written differently from `{option}`"),
                    value_span,
                )
                .with_note(format!(
                    "it is read as `{option}`, but other tools match values exactly"
                ))
                .with_help(format!("write `{option}`")),
                None => Diagnostic::error(
                    codes::INVALID_VALUE,
                    format!("`{}` is not a valid {at}", short(instance)),
                    value_span,
                )
                .with_note(format!("allowed values: {}", quote_options(options))),
            }
        }
        ValidationErrorKind::Pattern { pattern } => {
            pattern_error(field, instance, pattern, value_span)
        }
        ValidationErrorKind::MaxLength { limit } => schema_error(
            format!("{at} is longer than {limit} characters"),
            value_span,
            "Sentinel rejects longer values",
        ),
        ValidationErrorKind::MinLength { limit } => schema_error(
            format!("{at} is shorter than {limit} characters"),
            value_span,
            "an empty value is not allowed here",
        ),
        ValidationErrorKind::MaxItems { limit } => schema_error(
            format!("{at} has more than {limit} entries"),
            value_span,
            "Sentinel rejects longer lists",
        ),
        ValidationErrorKind::MinItems { limit } => schema_error(
            format!("{at} has fewer than {limit} entries"),
            value_span,
            "an empty list is not allowed here; leave the key out instead",
        ),
        ValidationErrorKind::MaxProperties { limit } => schema_error(
            format!("{at} has more than {limit} entries"),
            value_span,
            "Sentinel rejects more entries",
        ),
        ValidationErrorKind::Minimum { limit } | ValidationErrorKind::Maximum { limit } => {
            schema_error(
                format!("{at} is {}, outside the allowed range", short(instance)),
                value_span,
                &format!("the limit is {limit}"),
            )
        }
        ValidationErrorKind::PropertyNames { error } => {
            let key = short(error.instance());
            let form = match error.kind() {
                ValidationErrorKind::Pattern { pattern } => pattern_description(pattern),
                _ => "an identifier",
            };
            schema_error(
                format!("`{key}` is not a valid key in {at}"),
                value_span,
                &format!("keys here must be {form}"),
            )
        }
        other => {
            let text = format!("{other:?}");
            let name = text.split([' ', '{', '(']).next().unwrap_or("constraint");
            schema_error(
                format!("{at} does not match the schema ({name})"),
                value_span,
                "see the schema in schemas/",
            )
        }
    };
    Some(diag)
}

fn schema_error(message: String, span: Span, note: &str) -> Diagnostic {
    Diagnostic::error(codes::SCHEMA_VIOLATION, message, span).with_note(note.to_owned())
}

fn pattern_error(field: &str, instance: &Json, pattern: &str, span: Span) -> Diagnostic {
    let value = short(instance);
    let (message, help) = if field.starts_with("relevantTechniques") {
        (format!("`{value}` is not a MITRE ATT&CK technique id"), "write `T1234` or `T1234.001`")
    } else if field == "version" {
        (format!("`{value}` is not a version `X.Y.Z`"), "write three numbers, such as `1.0.0`")
    } else if field.starts_with("customDetails") {
        (format!("`{value}` in `{field}` is not a column name"), "use a column the query outputs")
    } else if field == "apiVersion" {
        (format!("`{value}` is not an API version"), "write a date such as `2025-09-01`")
    } else {
        (format!("`{value}` is not a valid `{field}`"), "write a value of the form in the note")
    };
    Diagnostic::error(codes::SCHEMA_VIOLATION, message, span)
        .with_note(format!("the value must be {}", pattern_description(pattern)))
        .with_help(help)
}

/// What a schema `pattern` accepts, in words: notes never show the regular expression. A test
/// checks that every pattern of the shipped schemas is described here.
fn pattern_description(pattern: &str) -> &'static str {
    match pattern {
        "^[a-zA-Z]+[a-zA-Z0-9_]*$" => "a letter, then letters, digits or `_` (`TargetUser`)",
        "^[a-zA-Z_]+[a-zA-Z0-9_]*$" => {
            "a column name: letters, digits and `_`, not starting with a digit (`Computer`)"
        }
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?$" => {
            "an API version: a date `YYYY-MM-DD`, with `-preview` after it for a preview"
        }
        "^[A-Za-z]{2,4}[0-9]{3}$" => "a finding code: 2 to 4 letters and 3 digits (`SPEC110`)",
        "^T[0-9]{3,4}(\\.[0-9]{3})?$" => {
            "a technique id: `T` and four digits, with `.` and three digits for a sub-technique \
             (`T1059`, `T1059.001`)"
        }
        "^[0-9]+\\.[0-9]+\\.[0-9]+$" => "three numbers joined by dots (`1.0.0`)",
        DURATION_PATTERN => {
            "a duration: a whole number with lower-case `m`, `h` or `d` (`5m`, `1h`, `14d`), \
             ISO 8601 in upper case (`PT1H`, `P1D`) or TimeSpan text (`01:00:00`)"
        }
        _ => "of the form the schema for this field describes",
    }
}

/// The schemas' duration pattern.
const DURATION_PATTERN: &str = "^\\s*([1-9][0-9]*[mhd]|P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+S)?)?|([0-9]+\\.)?[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?|[0-9]+)\\s*$";

#[cfg(test)]
mod tests {
    use palisade_spec::yaml;

    use super::*;

    fn check_text(text: &str, kind: SpecKind) -> Vec<Diagnostic> {
        let parsed = yaml::parse(FileId(0), text);
        check(FileId(0), parsed.root.as_ref().unwrap(), kind)
    }

    #[test]
    fn schemas_compile() {
        validator(SpecKind::AnalyticsRule);
        validator(SpecKind::HuntingQuery);
    }

    #[test]
    fn field_paths() {
        assert_eq!(field_path("/entityMappings/0/entityType"), "entityMappings[0].entityType");
        assert_eq!(field_path(""), "");
        assert_eq!(field_path("/customDetails/a~1b"), "customDetails.a/b");
    }

    #[test]
    fn minimal_specs_pass() {
        let rule = "id: x\nname: n\ndescription: d\nseverity: Low\nkind: Scheduled\nquery: T\n\
                    queryFrequency: 5m\nqueryPeriod: 5m\ntriggerOperator: gt\ntriggerThreshold: 0\n\
                    extraKey: allowed\n";
        assert_eq!(check_text(rule, SpecKind::AnalyticsRule), []);
        let nrt = "id: x\nname: n\ndescription: d\nseverity: Low\nkind: NRT\nquery: T\n";
        assert_eq!(check_text(nrt, SpecKind::AnalyticsRule), []);
        let hunting = "id: x\nname: n\nquery: T\ntactics: [Execution]\n";
        assert_eq!(check_text(hunting, SpecKind::HuntingQuery), []);
    }

    #[test]
    fn errors_carry_path_position_and_allowed_values() {
        let text = "id: x\nname: n\ndescription: d\nseverity: Low\nkind: NRT\nquery: T\n\
                    entityMappings:\n  - entityType: Computer\n    fieldMappings:\n      - identifier: A\n";
        let diagnostics = check_text(text, SpecKind::AnalyticsRule);
        assert_eq!(diagnostics.len(), 2, "{diagnostics:#?}");

        let entity = diagnostics.iter().find(|d| d.code == codes::INVALID_VALUE).unwrap();
        assert_eq!(entity.message, "`Computer` is not a valid `entityMappings[0].entityType`");
        assert!(entity.notes[0].starts_with("allowed values: `Account`, `AzureResource`"));
        let span = entity.primary.span;
        assert_eq!(&text[span.start as usize..span.end as usize], "Computer");

        let missing = diagnostics.iter().find(|d| d.code == codes::MISSING_FIELD).unwrap();
        assert_eq!(
            missing.message,
            "Required field `entityMappings[0].fieldMappings[0].columnName` is missing"
        );
    }

    #[test]
    fn scheduled_rules_need_a_schedule() {
        let text = "id: x\nname: n\ndescription: d\nseverity: Low\nquery: T\n";
        let messages: Vec<String> =
            check_text(text, SpecKind::AnalyticsRule).into_iter().map(|d| d.message).collect();
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

    /// A required key written with nothing or `~` is there but empty: said at its own line.
    #[test]
    fn required_field_with_null_value_is_empty_not_missing() {
        let text = "id: x\nname: n\ndescription: d\nseverity:\nkind: NRT\nquery: T\n\
                    entityMappings:\n  - entityType: Host\n    fieldMappings:\n\
                    \x20     - identifier: HostName\n        columnName: ~\n";
        let diagnostics = check_text(text, SpecKind::AnalyticsRule);
        let found: Vec<(&str, &str)> = diagnostics
            .iter()
            .map(|d| {
                (
                    d.message.as_str(),
                    &text[d.primary.span.start as usize..d.primary.span.end as usize],
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("Required field `severity` has no value", "severity"),
                (
                    "Required field `entityMappings[0].fieldMappings[0].columnName` has no value",
                    "columnName: ~"
                ),
            ]
        );
        assert!(diagnostics.iter().all(|d| d.code == codes::MISSING_FIELD));
        assert_eq!(diagnostics[1].help.as_deref(), Some("write a value after `columnName:`"));
    }

    #[test]
    fn ioc_specs_need_no_query() {
        let text =
            "id: x\nname: n\ndescription: d\nseverity: Low\nkind: NRT\niocs:\n  indicators: []\n";
        assert_eq!(check_text(text, SpecKind::AnalyticsRule), []);
        let text = "id: x\nname: n\ndescription: d\nseverity: Low\nkind: NRT\n";
        let messages: Vec<String> =
            check_text(text, SpecKind::AnalyticsRule).into_iter().map(|d| d.message).collect();
        assert_eq!(messages, ["Required field `query` is missing"]);
    }

    /// Every `pattern` in the shipped schemas has a description, so no note shows a regex.
    #[test]
    fn every_schema_pattern_is_described() {
        fn patterns(value: &Json, out: &mut Vec<String>) {
            match value {
                Json::Object(map) => {
                    for (key, value) in map {
                        match value {
                            Json::String(text) if key == "pattern" => out.push(text.clone()),
                            _ => patterns(value, out),
                        }
                    }
                }
                Json::Array(items) => items.iter().for_each(|item| patterns(item, out)),
                _ => {}
            }
        }
        let mut found = Vec::new();
        for text in [ANALYTICS_RULE_SCHEMA, HUNTING_QUERY_SCHEMA] {
            patterns(&serde_json::from_str(text).unwrap(), &mut found);
        }
        assert!(found.len() >= 7, "{found:?}");
        for pattern in found {
            let described = pattern_description(&pattern);
            assert!(!described.starts_with("of the form"), "no description for {pattern}");
        }
    }

    #[test]
    fn technique_pattern() {
        let text = "id: x\nname: n\nquery: T\nrelevantTechniques: [T1078, T10]\n";
        let diagnostics = check_text(text, SpecKind::HuntingQuery);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].message, "`T10` is not a MITRE ATT&CK technique id");
    }
}
