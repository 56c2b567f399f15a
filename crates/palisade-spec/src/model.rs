//! The typed detection model that loading produces and the compiler consumes.
//!
//! Every field of the Azure-Sentinel analytics-rule and hunting-query YAML keeps its name and
//! meaning here (in snake_case). Values carry the [`Span`] of the YAML node they came from so
//! that later phases can point at them. Values are already normalised where the format allows
//! several spellings (durations, trigger operators, `kind`), but nothing is dropped: fields
//! without an ARM property (`requiredDataConnectors`, `status`, `tags`, `metadata`) are kept.

use palisade_diagnostics::{FileId, SourceMap, Span};

use crate::duration::Duration;

/// A value and the span of the YAML node it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it is written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps a value.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// What a spec file describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpecKind {
    /// A scheduled or NRT analytics rule (it has `kind`, `severity` or a schedule).
    AnalyticsRule,
    /// A hunting query (no `kind`, `severity`, schedule or trigger).
    HuntingQuery,
}

/// The analytics-rule `kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleKind {
    /// `Scheduled` (also written `scheduled`).
    Scheduled,
    /// `NRT`, near-real-time; needs a preview API version.
    Nrt,
}

impl RuleKind {
    /// The ARM `kind` value.
    pub const fn arm_name(self) -> &'static str {
        match self {
            RuleKind::Scheduled => "Scheduled",
            RuleKind::Nrt => "NRT",
        }
    }
}

/// Alert severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// `Informational`.
    Informational,
    /// `Low`.
    Low,
    /// `Medium`.
    Medium,
    /// `High`.
    High,
}

impl Severity {
    /// The name as ARM and the YAML write it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Informational => "Informational",
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
        }
    }
}

/// The trigger comparison; YAML `gt`/`lt`/`eq`/`ne` and the long names map here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TriggerOperator {
    /// `gt` / `GreaterThan`.
    GreaterThan,
    /// `lt` / `LessThan`.
    LessThan,
    /// `eq` / `Equal`.
    Equal,
    /// `ne` / `NotEqual`.
    NotEqual,
}

impl TriggerOperator {
    /// The ARM enum value.
    pub const fn arm_name(self) -> &'static str {
        match self {
            TriggerOperator::GreaterThan => "GreaterThan",
            TriggerOperator::LessThan => "LessThan",
            TriggerOperator::Equal => "Equal",
            TriggerOperator::NotEqual => "NotEqual",
        }
    }
}

/// One `requiredDataConnectors` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct DataConnector {
    /// `connectorId`.
    pub connector_id: Spanned<String>,
    /// `dataTypes`: tables or parser functions.
    pub data_types: Vec<Spanned<String>>,
}

/// One `fieldMappings` entry of an entity mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldMapping {
    /// `identifier`, for example `Address` or `FullName`.
    pub identifier: Spanned<String>,
    /// `columnName`: a column the query outputs.
    pub column_name: Spanned<String>,
}

/// One `entityMappings` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityMapping {
    /// `entityType`, for example `IP` or `Account`.
    pub entity_type: Spanned<String>,
    /// `fieldMappings`, in file order.
    pub field_mappings: Vec<FieldMapping>,
    /// Span of the whole mapping.
    pub span: Span,
}

/// One `alertDynamicProperties` entry of `alertDetailsOverride`.
#[derive(Clone, Debug, PartialEq)]
pub struct AlertDynamicProperty {
    /// `alertProperty`, for example `ProductName`.
    pub alert_property: Spanned<String>,
    /// `value`: a column name.
    pub value: Spanned<String>,
}

/// `alertDetailsOverride`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct AlertDetailsOverride {
    /// `alertDisplayNameFormat`.
    pub alert_display_name_format: Option<Spanned<String>>,
    /// `alertDescriptionFormat`.
    pub alert_description_format: Option<Spanned<String>>,
    /// `alertTacticsColumnName`.
    pub alert_tactics_column_name: Option<Spanned<String>>,
    /// `alertSeverityColumnName`.
    pub alert_severity_column_name: Option<Spanned<String>>,
    /// `alertDynamicProperties`.
    pub alert_dynamic_properties: Vec<AlertDynamicProperty>,
}

/// `eventGroupingSettings.aggregationKind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggregationKind {
    /// `SingleAlert`.
    SingleAlert,
    /// `AlertPerResult`.
    AlertPerResult,
}

impl AggregationKind {
    /// The ARM value.
    pub const fn as_str(self) -> &'static str {
        match self {
            AggregationKind::SingleAlert => "SingleAlert",
            AggregationKind::AlertPerResult => "AlertPerResult",
        }
    }
}

/// `incidentConfiguration.groupingConfiguration.matchingMethod`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchingMethod {
    /// `AllEntities`.
    AllEntities,
    /// `AnyAlert`.
    AnyAlert,
    /// `Selected`: needs at least one non-empty group-by list.
    Selected,
}

impl MatchingMethod {
    /// The ARM value.
    pub const fn as_str(self) -> &'static str {
        match self {
            MatchingMethod::AllEntities => "AllEntities",
            MatchingMethod::AnyAlert => "AnyAlert",
            MatchingMethod::Selected => "Selected",
        }
    }
}

/// `incidentConfiguration.groupingConfiguration`.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupingConfiguration {
    /// `enabled`.
    pub enabled: bool,
    /// `reopenClosedIncident`.
    pub reopen_closed_incident: bool,
    /// `lookbackDuration`.
    pub lookback_duration: Spanned<Duration>,
    /// `matchingMethod`.
    pub matching_method: Spanned<MatchingMethod>,
    /// `groupByEntities`: entity types.
    pub group_by_entities: Vec<Spanned<String>>,
    /// `groupByAlertDetails`: `DisplayName`, `Severity`.
    pub group_by_alert_details: Vec<Spanned<String>>,
    /// `groupByCustomDetails`: keys of `customDetails`.
    pub group_by_custom_details: Vec<Spanned<String>>,
}

/// `incidentConfiguration`.
#[derive(Clone, Debug, PartialEq)]
pub struct IncidentConfiguration {
    /// `createIncident`.
    pub create_incident: bool,
    /// `groupingConfiguration`.
    pub grouping_configuration: Option<GroupingConfiguration>,
}

/// The `query` text with the map from query offsets back to the YAML file.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryText {
    /// The query exactly as the YAML scalar's value (after YAML decoding, LF line endings).
    pub text: String,
    /// Span of the YAML node holding the query.
    pub span: Span,
    /// Maps byte offsets in `text` to byte offsets in the YAML file.
    pub source_map: SourceMap,
}

/// One loaded spec: an analytics rule or a hunting query, with Palisade's own fields.
///
/// Optional Azure-Sentinel fields are `None` when absent; the compiler fills ARM's required
/// properties from documented defaults. Open-ended fields (`tags`, `metadata`) are kept as JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Detection {
    /// The file the spec came from.
    pub file: FileId,
    /// Display path of that file, `/`-separated.
    pub path: String,
    /// Analytics rule or hunting query.
    pub spec_kind: SpecKind,
    /// `id`: a GUID in Azure-Sentinel content; Palisade also accepts any non-empty string.
    pub id: Spanned<String>,
    /// `name`.
    pub name: Spanned<String>,
    /// `description`, with the legacy surrounding quote pair already removed.
    pub description: Option<Spanned<String>>,
    /// `severity`.
    pub severity: Option<Spanned<Severity>>,
    /// `kind`; `None` for hunting queries and for the rare rule without one (then Scheduled).
    pub kind: Option<Spanned<RuleKind>>,
    /// `enabled`; Palisade's own field. Default: `true`.
    pub enabled: Option<Spanned<bool>>,
    /// `requiredDataConnectors`.
    pub required_data_connectors: Vec<DataConnector>,
    /// `queryFrequency`.
    pub query_frequency: Option<Spanned<Duration>>,
    /// `queryPeriod`.
    pub query_period: Option<Spanned<Duration>>,
    /// `triggerOperator`.
    pub trigger_operator: Option<Spanned<TriggerOperator>>,
    /// `triggerThreshold`.
    pub trigger_threshold: Option<Spanned<i64>>,
    /// `tactics`, spaces already removed: `Initial Access` is read as `InitialAccess`, and the
    /// validator warns about the spelling (`SPEC108`); unknown names are kept as written.
    pub tactics: Vec<Spanned<String>>,
    /// `relevantTechniques`, as written (`T1078`, `T1078.004`).
    pub relevant_techniques: Vec<Spanned<String>>,
    /// `query`. For an IOC spec (`ioc` is set) the text is empty and the span is the `iocs`
    /// key: its queries are generated per target table when the project is built.
    pub query: QueryText,
    /// `entityMappings`; `None` when absent.
    pub entity_mappings: Option<Vec<EntityMapping>>,
    /// `sentinelEntitiesMappings[].columnName`; `None` when absent.
    pub sentinel_entities_mappings: Option<Vec<Spanned<String>>>,
    /// `customDetails` in file order: (key, column).
    pub custom_details: Option<Vec<(Spanned<String>, Spanned<String>)>>,
    /// `alertDetailsOverride`.
    pub alert_details_override: Option<AlertDetailsOverride>,
    /// `eventGroupingSettings.aggregationKind`.
    pub event_grouping: Option<Spanned<AggregationKind>>,
    /// `incidentConfiguration`.
    pub incident_configuration: Option<IncidentConfiguration>,
    /// `suppressionEnabled`.
    pub suppression_enabled: Option<Spanned<bool>>,
    /// `suppressionDuration`.
    pub suppression_duration: Option<Spanned<Duration>>,
    /// `alertRuleTemplateName`.
    pub alert_rule_template_name: Option<Spanned<String>>,
    /// `version`, `X.Y.Z`.
    pub version: Option<Spanned<String>>,
    /// `status`: `Available`, `InPreview`, `Deprecated`.
    pub status: Option<Spanned<String>>,
    /// `tags`, as JSON.
    pub tags: Option<serde_json::Value>,
    /// `metadata`, as JSON.
    pub metadata: Option<serde_json::Value>,
    /// Palisade's own `apiVersion` pin; `None` means choose per feature.
    pub api_version: Option<Spanned<String>>,
    /// Palisade's IOC fields (`iocs`, `targets`, `match`, `exclusions`, `internal_networks`);
    /// `None` for a spec with a hand-written `query`.
    pub ioc: Option<Box<crate::ioc::IocSpec>>,
    /// For a detection generated from an IOC spec: the target table it was generated for, at
    /// its `targets` entry. `None` for specs as written.
    pub target: Option<Spanned<String>>,
}
