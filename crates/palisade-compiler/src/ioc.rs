//! IOC specs expanded into the detections they deploy as: per target table one scheduled
//! analytics rule and one hunting query, each with the generated KQL and entity mappings.
//!
//! The semantics (matching, exclusions, the checks between them) are `palisade-ioc`'s; this
//! module only resolves the spec's exclusion ids, calls `palisade_ioc::generate::generate` once
//! per target, and fills the detection fields the ARM and Bicep writers read. Each generated
//! detection has the stable id of decision 0006 and keeps the spec's file, so diagnostics and
//! `--keep-going` treat it as part of that file.

use crate::codes;
use palisade_diagnostics::{Diagnostic, SourceMap};
use palisade_ioc::catalog::Catalog;
use palisade_ioc::exclusion::{self, Exclusion};
use palisade_ioc::generate::{self, GeneratedQuery, OutputKind};
use palisade_spec::{
    DataConnector, Detection, EntityMapping, FieldMapping, QueryText, Spanned, SpecKind,
};

/// The detections an IOC spec deploys as, in target order, analytics rule before hunting
/// query. A spec without `iocs` gives none.
///
/// Unknown exclusion ids (`EXC004`), tables the catalog lacks (`IOC018`), targets with nothing
/// to match (`IOC017`), over-long queries (`IOC020`) and the warnings of generation (`IOC016`,
/// `IOC019`, `EXC003`, `EXC005`, `EXC006`) are pushed to `diags`; a target with an error gives
/// no detection.
pub fn expand(
    detection: &Detection,
    exclusions: &[Exclusion],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Detection> {
    let Some(spec) = &detection.ioc else {
        return Vec::new();
    };
    ignored_fields(detection, diags);
    let ids: Vec<_> = spec.exclusions.iter().map(|reference| reference.id.clone()).collect();
    let resolved = exclusion::resolve(&ids, exclusions, diags);
    let mut out = Vec::new();
    for (idx, target) in spec.targets.iter().enumerate() {
        // The spec loader drops a repeated table with IOC037; a spec built in code may still
        // repeat one, and its second rule would only collide with the first (EMIT003).
        if spec.targets[..idx].iter().any(|earlier| earlier.value == target.value) {
            continue;
        }
        // An exclusion scoped to some targets applies only there.
        let applied = resolved
            .iter()
            .copied()
            .filter(|exclusion| {
                spec.exclusions.iter().any(|reference| {
                    reference.id.value == exclusion.id.value && reference.applies_to(&target.value)
                })
            })
            .collect();
        let generation = generate::Detection {
            spec_id: &detection.id.value,
            name: &detection.name.value,
            iocs: &spec.iocs,
            match_mode: spec.match_mode,
            exclusions: applied,
            internal_networks: spec.internal_networks.clone(),
        };
        let Some(query) = generate::generate(Catalog::builtin(), &generation, target, diags) else {
            continue;
        };
        let target = Spanned::new(target.value.clone(), target.span);
        let name = generated_name(&detection.name.value, &target.value);
        let n_chars = name.chars().count();
        if n_chars > MAX_DISPLAY_NAME {
            diags.push(
                Diagnostic::error(
                    palisade_spec::codes::NAME_TOO_LONG,
                    format!(
                        "The name generated for `{}` is {n_chars} characters; Sentinel allows \
                         at most {MAX_DISPLAY_NAME}",
                        target.value
                    ),
                    detection.name.span,
                )
                .with_note(format!("IOC rules are named `<name> in <table>`: `{name}`"))
                .with_help("shorten `name` so that the name with ` in <table>` fits"),
            );
            continue;
        }
        for kind in [OutputKind::AnalyticsRule, OutputKind::HuntingQuery] {
            out.push(generated(detection, &target, &query, kind));
        }
    }
    out
}

/// Sentinel's limit on a rule's display name, in characters.
const MAX_DISPLAY_NAME: usize = 256;

/// The display name of a generated rule or hunting query: the spec's name and the table.
pub fn generated_name(name: &str, table: &str) -> String {
    format!("{name} in {table}")
}

fn generated(
    spec: &Detection,
    target: &Spanned<String>,
    query: &GeneratedQuery,
    kind: OutputKind,
) -> Detection {
    let (spec_kind, id) = match kind {
        OutputKind::AnalyticsRule => (SpecKind::AnalyticsRule, query.analytics_rule_id),
        OutputKind::HuntingQuery => (SpecKind::HuntingQuery, query.hunting_query_id),
    };
    let is_rule = spec_kind == SpecKind::AnalyticsRule;
    let entity_mappings = query
        .entity_mappings
        .iter()
        .map(|entity| EntityMapping {
            entity_type: Spanned::new(entity.entity_type.clone(), target.span),
            field_mappings: entity
                .field_mappings
                .iter()
                .map(|field| FieldMapping {
                    identifier: Spanned::new(field.identifier.clone(), target.span),
                    column_name: Spanned::new(field.column_name.clone(), target.span),
                })
                .collect(),
            span: target.span,
        })
        .collect();
    // Every offset of the generated text points at the `targets` entry it was generated for.
    let source_map = SourceMap::verbatim(spec.file, target.span.start, 0);

    Detection {
        file: spec.file,
        path: spec.path.clone(),
        spec_kind,
        id: Spanned::new(id.hyphenated().to_string(), spec.id.span),
        name: Spanned::new(generated_name(&spec.name.value, &target.value), spec.name.span),
        description: spec.description.clone(),
        severity: spec.severity.clone(),
        kind: if is_rule { spec.kind.clone() } else { None },
        enabled: if is_rule { spec.enabled.clone() } else { None },
        required_data_connectors: connectors_for(&spec.required_data_connectors, &target.value),
        query_frequency: if is_rule { spec.query_frequency.clone() } else { None },
        query_period: if is_rule { spec.query_period.clone() } else { None },
        trigger_operator: if is_rule { spec.trigger_operator.clone() } else { None },
        trigger_threshold: if is_rule { spec.trigger_threshold.clone() } else { None },
        tactics: spec.tactics.clone(),
        relevant_techniques: spec.relevant_techniques.clone(),
        query: QueryText { text: query.query.clone(), span: target.span, source_map },
        entity_mappings: is_rule.then_some(entity_mappings),
        sentinel_entities_mappings: None,
        custom_details: None,
        alert_details_override: None,
        event_grouping: if is_rule { spec.event_grouping.clone() } else { None },
        incident_configuration: if is_rule { spec.incident_configuration.clone() } else { None },
        suppression_enabled: if is_rule { spec.suppression_enabled.clone() } else { None },
        suppression_duration: if is_rule { spec.suppression_duration.clone() } else { None },
        alert_rule_template_name: None,
        version: spec.version.clone(),
        status: spec.status.clone(),
        tags: spec.tags.clone(),
        metadata: spec.metadata.clone(),
        api_version: spec.api_version.clone(),
        ioc: None,
        target: Some(target.clone()),
    }
}

/// Warns about fields an IOC spec has no use for: they name columns of a hand-written query.
fn ignored_fields(spec: &Detection, diags: &mut Vec<Diagnostic>) {
    let spans = [
        ("entityMappings", spec.entity_mappings.as_ref().and_then(|m| m.first()).map(|m| m.span)),
        (
            "sentinelEntitiesMappings",
            spec.sentinel_entities_mappings.as_ref().and_then(|m| m.first()).map(|m| m.span),
        ),
        (
            "customDetails",
            spec.custom_details.as_ref().and_then(|d| d.first()).map(|(key, _)| key.span),
        ),
        (
            "alertDetailsOverride",
            spec.alert_details_override
                .as_ref()
                .and_then(|o| {
                    o.alert_display_name_format.as_ref().or(o.alert_description_format.as_ref())
                })
                .map(|text| text.span),
        ),
        ("alertRuleTemplateName", spec.alert_rule_template_name.as_ref().map(|t| t.span)),
    ];
    for (field, span) in spans {
        let Some(span) = span else { continue };
        diags.push(
            Diagnostic::warning(
                codes::FIELD_IGNORED_FOR_KIND,
                format!("`{field}` is not used by an IOC spec and is left out"),
                span,
            )
            .with_note("the columns of a generated query differ per target table; Palisade maps the entities it outputs itself")
            .with_help(format!("remove `{field}`")),
        );
    }
}

/// The spec's connectors that deliver `table`; all of them when none names it.
fn connectors_for(connectors: &[DataConnector], table: &str) -> Vec<DataConnector> {
    let matching: Vec<DataConnector> = connectors
        .iter()
        .filter(|connector| connector.data_types.iter().any(|t| t.value == table))
        .cloned()
        .collect();
    if matching.is_empty() { connectors.to_vec() } else { matching }
}
