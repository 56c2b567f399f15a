//! Analytics rules: from a [`Detection`] to an alert-rule resource in the template tree.
//!
//! The property list follows the REST spec of `Microsoft.SecurityInsights/alertRules`
//! (Scheduled and NRT), so every property it requires is present: values come from the spec
//! when it has them and from documented defaults otherwise (see docs/output.md).

use palisade_diagnostics::{Diagnostic, Span};
use palisade_spec::{
    AlertDetailsOverride, Detection, EntityMapping, IncidentConfiguration, RuleKind, Spanned,
};

use crate::api_version::{self, Feature, FeatureUse};
use crate::codes;
use crate::ir::{
    Expression, ObjectBuilder, Resource, Scope, Value, WORKSPACE_PARAMETER, arm_expression_literal,
};
use crate::names;
use crate::options::{Options, RuleShape};

/// `enabled` when the spec does not say.
pub const DEFAULT_ENABLED: bool = true;

/// `suppressionEnabled` when the spec does not say.
pub const DEFAULT_SUPPRESSION_ENABLED: bool = false;

/// `suppressionDuration` when the spec does not say: the portal's default of five hours.
/// It has no effect while suppression is off, but ARM requires it.
pub const DEFAULT_SUPPRESSION_DURATION: &str = "PT5H";

/// The legacy nested resource type that Sentinel Repositories deploys.
pub const LEGACY_TYPE: &str = "Microsoft.OperationalInsights/workspaces/providers/alertRules";

/// The extension resource type, deployed with a `scope`.
pub const EXTENSION_TYPE: &str = "Microsoft.SecurityInsights/alertRules";

/// The entity types of the ARM `EntityMappingType` enum (stable and preview alike).
pub const ARM_ENTITY_TYPES: &[&str] = &[
    "Account",
    "Host",
    "IP",
    "Malware",
    "File",
    "Process",
    "CloudApplication",
    "DNS",
    "AzureResource",
    "FileHash",
    "RegistryKey",
    "RegistryValue",
    "SecurityGroup",
    "URL",
    "Mailbox",
    "MailCluster",
    "MailMessage",
    "SubmissionMail",
];

/// The tactics of the ARM `AttackTactic` enum.
pub const ARM_TACTICS: &[&str] = &[
    "Reconnaissance",
    "ResourceDevelopment",
    "InitialAccess",
    "Execution",
    "Persistence",
    "PrivilegeEscalation",
    "DefenseEvasion",
    "CredentialAccess",
    "Discovery",
    "LateralMovement",
    "Collection",
    "Exfiltration",
    "CommandAndControl",
    "Impact",
    "PreAttack",
    "ImpairProcessControl",
    "InhibitResponseFunction",
];

/// One compiled analytics rule.
#[derive(Clone, Debug)]
pub struct CompiledRule {
    /// The rule GUID, lower-case hyphenated.
    pub guid: String,
    /// The alert-rule resource.
    pub resource: Resource,
}

/// Compiles one analytics rule, or returns why it cannot be compiled.
///
/// Warnings are pushed to `diagnostics` in both cases; on failure at least one error is there.
pub fn compile(
    detection: &Detection,
    options: &Options,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<CompiledRule> {
    let kind = detection.kind.as_ref().map_or(RuleKind::Scheduled, |kind| kind.value);
    let n_errors_before = count_errors(diagnostics);

    let features = feature_uses(detection, kind);
    let api_version = match api_version::choose(detection.api_version.as_ref(), &features) {
        Ok(version) => version,
        Err(found) => {
            diagnostics.extend(found);
            String::new()
        }
    };

    let properties = properties(detection, kind, diagnostics);
    if count_errors(diagnostics) > n_errors_before {
        return None;
    }

    let guid = names::rule_guid_text(&detection.id.value);
    let (resource_type, name, scope) = match options.rule_shape {
        RuleShape::Legacy => (LEGACY_TYPE, legacy_name(&guid), Scope::None),
        RuleShape::Extension => (EXTENSION_TYPE, Value::str(guid.clone()), Scope::Workspace),
    };
    let resource = Resource {
        symbol: "rule".to_owned(),
        resource_type: resource_type.to_owned(),
        api_version,
        name,
        scope,
        kind: Some(kind.arm_name().to_owned()),
        properties,
    };
    Some(CompiledRule { guid, resource })
}

fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|diag| diag.severity == palisade_diagnostics::Severity::Error).count()
}

/// `[concat(parameters('workspace'),'/Microsoft.SecurityInsights/','<guid>')]`.
fn legacy_name(guid: &str) -> Value {
    Value::Expr(Expression {
        arm: format!(
            "[concat(parameters('{WORKSPACE_PARAMETER}'),'/Microsoft.SecurityInsights/',{})]",
            arm_expression_literal(guid)
        ),
        bicep: format!("'${{{WORKSPACE_PARAMETER}}}/Microsoft.SecurityInsights/{guid}'"),
    })
}

fn feature_uses(detection: &Detection, kind: RuleKind) -> Vec<FeatureUse> {
    let mut uses = Vec::new();
    if kind == RuleKind::Nrt {
        let span = detection.kind.as_ref().map_or(detection.id.span, |kind| kind.span);
        uses.push(FeatureUse { feature: Feature::Nrt, span });
    }
    if let Some(technique) = detection.relevant_techniques.iter().find(|t| t.value.contains('.')) {
        uses.push(FeatureUse { feature: Feature::SubTechniques, span: technique.span });
    }
    if let Some(first) = detection.sentinel_entities_mappings.as_ref().and_then(|m| m.first()) {
        uses.push(FeatureUse { feature: Feature::SentinelEntitiesMappings, span: first.span });
    }
    let dynamic = detection.alert_details_override.iter().flat_map(|o| &o.alert_dynamic_properties);
    if let Some(property) = dynamic.into_iter().find(|p| p.alert_property.value == "SubTechniques")
    {
        let span = property.alert_property.span;
        uses.push(FeatureUse { feature: Feature::SubTechniquesAlertProperty, span });
    }
    uses
}

fn properties(detection: &Detection, kind: RuleKind, diagnostics: &mut Vec<Diagnostic>) -> Value {
    let mut props = ObjectBuilder::new();
    props.insert("displayName", Value::str(&detection.name.value));
    if let Some(description) = &detection.description {
        props.insert("description", Value::str(&description.value));
    }
    let severity = detection.severity.as_ref().map(|s| Value::str(s.value.as_str()));
    require(detection, &mut props, "severity", severity, diagnostics);
    let enabled = detection.enabled.as_ref().map_or(DEFAULT_ENABLED, |flag| flag.value);
    props.insert("enabled", Value::Bool(enabled));
    props.insert("query", Value::str(&detection.query.text));

    // An NRT rule's schedule and trigger fields have no ARM property and are left out; the
    // validator reports them (`SPEC116`), so they are not reported twice here.
    if kind == RuleKind::Scheduled {
        schedule(detection, &mut props, diagnostics);
    }

    let suppression_enabled = detection
        .suppression_enabled
        .as_ref()
        .map_or(DEFAULT_SUPPRESSION_ENABLED, |flag| flag.value);
    let suppression_duration = detection
        .suppression_duration
        .as_ref()
        .map_or_else(|| DEFAULT_SUPPRESSION_DURATION.to_owned(), |d| d.value.to_iso8601());
    props.insert("suppressionDuration", Value::str(suppression_duration));
    props.insert("suppressionEnabled", Value::Bool(suppression_enabled));

    // Each tactic once, at its first place (the validator warns about repeats, SPEC145).
    let mut tactics: Vec<String> = Vec::new();
    for tactic in &detection.tactics {
        match canonical_tactic(&tactic.value) {
            Some(name) if tactics.iter().any(|known| known == name) => {}
            Some(name) => tactics.push(name.to_owned()),
            None => diagnostics.push(unknown_tactic(&tactic.value.replace(' ', ""), tactic.span)),
        }
    }
    if !tactics.is_empty() {
        props.insert("tactics", Value::str_array(tactics));
    }
    let (techniques, sub_techniques) = split_techniques(&detection.relevant_techniques);
    if !techniques.is_empty() {
        props.insert("techniques", Value::str_array(techniques));
    }
    if !sub_techniques.is_empty() {
        props.insert("subTechniques", Value::str_array(sub_techniques));
    }

    if let Some(template_name) = &detection.alert_rule_template_name {
        props.insert("alertRuleTemplateName", Value::str(&template_name.value));
        if let Some(version) = &detection.version {
            props.insert("templateVersion", Value::str(&version.value));
        }
    }

    if let Some(mappings) = &detection.entity_mappings {
        props.insert("entityMappings", entity_mappings(mappings, diagnostics));
    }
    if let Some(columns) = &detection.sentinel_entities_mappings {
        let items = columns
            .iter()
            .map(|column| {
                let mut item = ObjectBuilder::new();
                item.insert("columnName", Value::str(&column.value));
                item.build()
            })
            .collect();
        props.insert("sentinelEntitiesMappings", Value::Array(items));
    }
    if let Some(details) = &detection.custom_details {
        let pairs = details
            .iter()
            .map(|(key, column)| (key.value.clone(), Value::str(&column.value)))
            .collect();
        props.insert("customDetails", Value::Object(pairs));
    }
    if let Some(overrides) = &detection.alert_details_override {
        props.insert("alertDetailsOverride", alert_details_override(overrides));
    }
    if let Some(aggregation) = &detection.event_grouping {
        let mut grouping = ObjectBuilder::new();
        grouping.insert("aggregationKind", Value::str(aggregation.value.as_str()));
        props.insert("eventGroupingSettings", grouping.build());
    }
    if let Some(incident) = &detection.incident_configuration {
        props.insert("incidentConfiguration", incident_configuration(incident));
    }
    props.build()
}

fn schedule(detection: &Detection, props: &mut ObjectBuilder, diagnostics: &mut Vec<Diagnostic>) {
    let frequency = detection.query_frequency.as_ref().map(|f| Value::str(f.value.to_iso8601()));
    require(detection, props, "queryFrequency", frequency, diagnostics);
    let period = detection.query_period.as_ref().map(|p| Value::str(p.value.to_iso8601()));
    require(detection, props, "queryPeriod", period, diagnostics);
    let operator = detection.trigger_operator.as_ref().map(|o| Value::str(o.value.arm_name()));
    require(detection, props, "triggerOperator", operator, diagnostics);
    let threshold = detection.trigger_threshold.as_ref().map(|t| Value::Int(t.value));
    require(detection, props, "triggerThreshold", threshold, diagnostics);
}

/// Inserts a property ARM requires, or reports that the spec lacks it.
fn require(
    detection: &Detection,
    props: &mut ObjectBuilder,
    field: &str,
    value: Option<Value>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    match value {
        Some(value) => {
            props.insert(field, value);
        }
        None => {
            let kind = detection.kind.as_ref().map_or(RuleKind::Scheduled, |kind| kind.value);
            diagnostics.push(missing(detection, field, kind));
        }
    }
}

/// The ARM name of a tactic written with spaces or in another letter case
/// (`Command and Control`, `CommandandControl`), as the validator's spelling warning promises.
pub fn canonical_tactic(written: &str) -> Option<&'static str> {
    let compact = written.replace(' ', "");
    ARM_TACTICS.iter().copied().find(|known| known.eq_ignore_ascii_case(&compact))
}

fn unknown_tactic(name: &str, span: Span) -> Diagnostic {
    let help = format!("use one of: {}", ARM_TACTICS.join(", "));
    Diagnostic::error(
        codes::TACTIC_NOT_IN_ARM,
        format!("tactic `{name}` is not an ARM tactic name"),
        span,
    )
    .with_label("unknown tactic")
    .with_note("the alert-rule API accepts only the names of its `AttackTactic` enum")
    .with_help(help)
}

fn missing(detection: &Detection, field: &str, kind: RuleKind) -> Diagnostic {
    Diagnostic::error(
        codes::MISSING_REQUIRED_PROPERTY,
        format!("{} rule has no `{field}`", kind.arm_name()),
        detection.id.span,
    )
    .with_label("in this rule")
    .with_note(format!("ARM requires `{field}` on every {} alert rule", kind.arm_name()))
    .with_help(format!("add `{field}` to the spec"))
}

/// Splits `relevantTechniques` into distinct parent ids and distinct sub-technique ids, each in
/// first-seen order.
pub fn split_techniques(relevant: &[Spanned<String>]) -> (Vec<String>, Vec<String>) {
    let mut techniques: Vec<String> = Vec::new();
    let mut sub_techniques: Vec<String> = Vec::new();
    for technique in relevant {
        let id = technique.value.as_str();
        let parent = id.split_once('.').map_or(id, |(parent, _)| parent);
        if !techniques.iter().any(|known| known == parent) {
            techniques.push(parent.to_owned());
        }
        if id.contains('.') && !sub_techniques.iter().any(|known| known == id) {
            sub_techniques.push(id.to_owned());
        }
    }
    (techniques, sub_techniques)
}

fn entity_mappings(mappings: &[EntityMapping], diagnostics: &mut Vec<Diagnostic>) -> Value {
    let mut items = Vec::new();
    for mapping in mappings {
        let entity_type = &mapping.entity_type;
        if !ARM_ENTITY_TYPES.contains(&entity_type.value.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    codes::ENTITY_TYPE_NOT_IN_ARM,
                    format!(
                        "entity type `{}` cannot be deployed as an ARM entity mapping",
                        entity_type.value
                    ),
                    entity_type.span,
                )
                .with_label("not an ARM entity type")
                .with_note(format!(
                    "the `entityType` enum of the alert-rule API has only: {}",
                    ARM_ENTITY_TYPES.join(", ")
                ))
                .with_help("map the columns to one of those types, or remove this mapping"),
            );
        }
        let fields = mapping
            .field_mappings
            .iter()
            .map(|field| {
                let mut item = ObjectBuilder::new();
                item.insert("identifier", Value::str(&field.identifier.value));
                item.insert("columnName", Value::str(&field.column_name.value));
                item.build()
            })
            .collect();
        let mut item = ObjectBuilder::new();
        item.insert("entityType", Value::str(&entity_type.value));
        item.insert("fieldMappings", Value::Array(fields));
        items.push(item.build());
    }
    Value::Array(items)
}

fn alert_details_override(overrides: &AlertDetailsOverride) -> Value {
    let text = |field: &Option<Spanned<String>>| field.as_ref().map(|f| Value::str(&f.value));
    let mut item = ObjectBuilder::new();
    item.insert_opt("alertDisplayNameFormat", text(&overrides.alert_display_name_format));
    item.insert_opt("alertDescriptionFormat", text(&overrides.alert_description_format));
    item.insert_opt("alertTacticsColumnName", text(&overrides.alert_tactics_column_name));
    item.insert_opt("alertSeverityColumnName", text(&overrides.alert_severity_column_name));
    if !overrides.alert_dynamic_properties.is_empty() {
        let properties = overrides
            .alert_dynamic_properties
            .iter()
            .map(|property| {
                let mut entry = ObjectBuilder::new();
                entry.insert("alertProperty", Value::str(&property.alert_property.value));
                entry.insert("value", Value::str(&property.value.value));
                entry.build()
            })
            .collect();
        item.insert("alertDynamicProperties", Value::Array(properties));
    }
    item.build()
}

fn incident_configuration(incident: &IncidentConfiguration) -> Value {
    let mut item = ObjectBuilder::new();
    item.insert("createIncident", Value::Bool(incident.create_incident));
    if let Some(grouping) = &incident.grouping_configuration {
        let names = |list: &[Spanned<String>]| {
            Value::str_array(list.iter().map(|entry| entry.value.clone()).collect::<Vec<_>>())
        };
        let mut group = ObjectBuilder::new();
        group.insert("enabled", Value::Bool(grouping.enabled));
        group.insert("reopenClosedIncident", Value::Bool(grouping.reopen_closed_incident));
        group.insert("lookbackDuration", Value::str(grouping.lookback_duration.value.to_iso8601()));
        group.insert("matchingMethod", Value::str(grouping.matching_method.value.as_str()));
        // Empty lists are left out: they mean the same as absent ones, and Microsoft's own
        // packaged rules write only the lists the YAML has.
        let lists = [
            ("groupByEntities", &grouping.group_by_entities),
            ("groupByAlertDetails", &grouping.group_by_alert_details),
            ("groupByCustomDetails", &grouping.group_by_custom_details),
        ];
        for (key, list) in lists {
            if !list.is_empty() {
                group.insert(key, names(list));
            }
        }
        item.insert("groupingConfiguration", group.build());
    }
    item.build()
}
