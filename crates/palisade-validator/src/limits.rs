//! Sentinel's limits on names, queries, entity mappings, custom details, alert overrides,
//! incident grouping, versions and ATT&CK techniques (`SPEC109` and up).
//!
//! The limits are those Azure-Sentinel's CI and the Sentinel service enforce, as listed in the
//! fact sheet (`sentinel-facts.md` §1.2 and §2). CI limits are errors; style-guide limits are
//! warnings. Lengths count UTF-16 code units, as .NET's `string.Length` in that CI does.
//!
//! Known limitations:
//! - The embedded ATT&CK table is Enterprise only, so ICS technique ids (`T0800`-`T0899`) are
//!   accepted by their format alone: neither their existence nor their tactics are checked.
//! - Technique existence is checked against ATT&CK 18.1; Microsoft's CI uses its own,
//!   hand-maintained table and may reject ids that are new to ATT&CK (said in the note).

use std::collections::HashSet;

use palisade_diagnostics::{Diagnostic, Span};
use palisade_spec::yaml::Node;
use palisade_spec::{Detection, Duration, MatchingMethod, RuleKind, SpecKind, codes};

/// Longest `name` (CI).
pub const MAX_NAME: usize = 256;
/// Longest `name` the style guide recommends.
pub const STYLE_MAX_NAME: usize = 50;
/// Longest `description` (CI).
pub const MAX_DESCRIPTION: usize = 5_000;
/// Most tactics the style guide recommends.
pub const STYLE_MAX_TACTICS: usize = 5;
/// Most techniques the style guide recommends.
pub const STYLE_MAX_TECHNIQUES: usize = 10;
/// Longest analytics-rule query (CI and the service).
pub const MAX_QUERY: usize = 10_000;
/// Longest `suppressionDuration` (the portal's limit).
pub const MAX_SUPPRESSION: Duration = Duration::from_hours(24);
/// Most entity mappings per rule.
pub const MAX_ENTITY_MAPPINGS: usize = 10;
/// Most field mappings per entity mapping.
pub const MAX_FIELD_MAPPINGS: usize = 3;
/// Longest column name in a mapping or custom detail.
pub const MAX_COLUMN_NAME: usize = 500;
/// Most custom details per rule.
pub const MAX_CUSTOM_DETAILS: usize = 20;
/// Longest custom-detail key.
pub const MAX_CUSTOM_DETAIL_KEY: usize = 20;
/// Longest alert display-name format.
pub const MAX_ALERT_NAME_FORMAT: usize = 256;
/// Longest alert description format.
pub const MAX_ALERT_DESCRIPTION_FORMAT: usize = 5_000;
/// Most `{{column}}` placeholders per alert format.
pub const MAX_PLACEHOLDERS: usize = 3;
/// Shortest incident-grouping lookback.
pub const MIN_GROUPING_LOOKBACK: Duration = Duration::from_mins(5);
/// Longest incident-grouping lookback.
pub const MAX_GROUPING_LOOKBACK: Duration = Duration::from_days(7);
/// Longest `version`.
pub const MAX_VERSION: usize = 20;

/// `alertDynamicProperties[].alertProperty` values of the stable API.
pub const ALERT_PROPERTIES: &[&str] = &[
    "AlertLink",
    "ConfidenceLevel",
    "ConfidenceScore",
    "ExtendedLinks",
    "ProductName",
    "ProviderName",
    "ProductComponentName",
    "RemediationSteps",
    "Techniques",
];

/// `groupByAlertDetails` values.
pub const GROUP_BY_ALERT_DETAILS: &[&str] = &["DisplayName", "Severity"];

/// Query columns that Azure-Sentinel's CI requires to be mapped when the query names them.
pub const LEGACY_CUSTOM_ENTITIES: &[&str] = &[
    "AccountCustomEntity",
    "HostCustomEntity",
    "IPCustomEntity",
    "URLCustomEntity",
    "ProcessCustomEntity",
    "FileHashCustomEntity",
];

/// One entity type: its valid identifiers (exact case), the identifier sets of which one must
/// be complete, and identifiers the review guide mentions that CI does not know.
pub struct EntityType {
    /// The type, as CI spells it.
    pub name: &'static str,
    /// Identifiers CI accepts for it.
    pub identifiers: &'static [&'static str],
    /// Each set lists identifiers that together identify the entity.
    pub required: &'static [&'static [&'static str]],
    /// Identifiers outside CI's model that guides mention.
    pub extras: &'static [&'static str],
}

macro_rules! entity {
    ($name:literal, [$($id:literal),*], [$([$($req:literal),*]),*], [$($extra:literal),*]) => {
        EntityType {
            name: $name,
            identifiers: &[$($id),*],
            required: &[$(&[$($req),*]),*],
            extras: &[$($extra),*],
        }
    };
}

/// Entity types, their identifiers and required sets (`sentinel-facts.md` §2.3).
#[rustfmt::skip]
pub const ENTITY_TYPES: &[EntityType] = &[
    entity!("Account",
        ["Name", "FullName", "NTDomain", "DnsDomain", "UPNSuffix", "Sid", "AadTenantId",
         "AadUserId", "PUID", "IsDomainJoined", "DisplayName", "ObjectGuid", "CloudAppAccountId"],
        [["FullName"], ["Sid"], ["Name"], ["AadUserId"], ["PUID"], ["ObjectGuid"]], []),
    entity!("AzureResource", ["ResourceId"], [["ResourceId"]], ["SubscriptionId"]),
    entity!("CloudApplication", ["AppId", "Name", "InstanceName"], [["AppId"], ["Name"]],
        ["SaasId", "InstanceId"]),
    entity!("DNS", ["DomainName"], [["DomainName"]], ["DnsServerIp", "HostIpAddress"]),
    entity!("File", ["Directory", "Name"], [["Name"]], ["AlternateDataStreamName"]),
    entity!("FileHash", ["Algorithm", "Value"], [["Algorithm", "Value"]], []),
    entity!("Host",
        ["DnsDomain", "NTDomain", "HostName", "FullName", "NetBiosName", "AzureID",
         "OMSAgentID", "OSFamily", "OSVersion", "IsDomainJoined"],
        [["FullName"], ["HostName"], ["NetBiosName"], ["AzureID"], ["OMSAgentID"]], []),
    entity!("IoTDevice",
        ["DeviceId", "DeviceName", "Manufacturer", "Model", "FirmwareVersion",
         "OperatingSystem", "MacAddress", "Protocols", "SerialNumber", "Source",
         "IoTSecurityAgentId", "DeviceType"],
        [["DeviceId"]], []),
    entity!("IP", ["Address"], [["Address"]], ["AddressScope"]),
    entity!("Mailbox",
        ["MailboxPrimaryAddress", "DisplayName", "Upn", "ExternalDirectoryObjectId", "RiskLevel"],
        [["MailboxPrimaryAddress"]], []),
    entity!("MailCluster",
        ["NetworkMessageIds", "CountByDeliveryStatus", "CountByThreatType",
         "CountByProtectionStatus", "Threats", "Query", "QueryTime", "MailCount",
         "IsVolumeAnomaly", "Source", "ClusterSourceIdentifier", "ClusterSourceType",
         "ClusterQueryStartTime", "ClusterQueryEndTime", "ClusterGroup"],
        [["Query"], ["Source"]], []),
    entity!("MailMessage",
        ["Recipient", "Urls", "Threats", "Sender", "P1Sender", "P1SenderDisplayName",
         "P1SenderDomain", "SenderIP", "P2Sender", "P2SenderDisplayName", "P2SenderDomain",
         "ReceivedDate", "NetworkMessageId", "InternetMessageId", "Subject",
         "BodyFingerprintBin1", "BodyFingerprintBin2", "BodyFingerprintBin3",
         "BodyFingerprintBin4", "BodyFingerprintBin5", "AntispamDirection", "DeliveryAction",
         "DeliveryLocation", "Language", "ThreatDetectionMethods"],
        [["NetworkMessageId"], ["Recipient"]], []),
    entity!("Malware", ["Name", "Category"], [["Name"]], []),
    entity!("Process", ["ProcessId", "CommandLine", "ElevationToken", "CreationTimeUtc"],
        [["CommandLine"], ["ProcessId"]], ["ImageFile"]),
    entity!("RegistryKey", ["Hive", "Key"], [["Key"], ["Hive"]], []),
    entity!("RegistryValue", ["Name", "Value", "ValueType"], [["Name"]], []),
    entity!("SecurityGroup", ["DistinguishedName", "SID", "ObjectGuid"],
        [["DistinguishedName"], ["SID"], ["ObjectGuid"]], []),
    entity!("SubmissionMail",
        ["NetworkMessageId", "Timestamp", "Recipient", "Sender", "SenderIp", "Subject",
         "ReportType", "SubmissionId", "SubmissionDate", "Submitter"],
        [["SubmissionId"], ["NetworkMessageId"], ["Recipient"], ["Submitter"]], []),
    entity!("URL", ["Url"], [["Url"]], []),
];

/// The entity type named exactly `name`.
pub fn entity_type(name: &str) -> Option<&'static EntityType> {
    ENTITY_TYPES.iter().find(|entity| entity.name == name)
}

/// Length as .NET counts it: UTF-16 code units.
fn length(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Whether `text` matches `^[a-zA-Z]+\w*$` (`first_underscore` false) or `^[a-zA-Z_]+\w*$`
/// (true), with `\w` Unicode-aware as in .NET.
fn is_identifier(text: &str, first_underscore: bool) -> bool {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || (first_underscore && first == '_'))
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// What the checks need to know about the rule's context.
struct Context<'a> {
    detection: &'a Detection,
    root: &'a Node,
    is_rule: bool,
    is_nrt: bool,
}

impl Context<'_> {
    fn value_span(&self, key: &str) -> Option<Span> {
        self.root.get(key).map(|entry| entry.value.span)
    }
}

/// Checks one detection; `root` is the document it was loaded from.
pub fn check(detection: &Detection, root: &Node) -> Vec<Diagnostic> {
    let is_rule = detection.spec_kind == SpecKind::AnalyticsRule;
    let is_nrt = detection.kind.as_ref().is_some_and(|kind| kind.value == RuleKind::Nrt);
    let cx = Context { detection, root, is_rule, is_nrt };
    let mut out = Vec::new();
    query_content(&cx, &mut out);
    if is_rule {
        name_and_description(&cx, &mut out);
        suppression(&cx, &mut out);
        nrt_fields(&cx, &mut out);
        entity_mappings(&cx, &mut out);
        legacy_custom_entities(&cx, &mut out);
        custom_details(&cx, &mut out);
        alert_details_override(&cx, &mut out);
        incident_grouping(&cx, &mut out);
    }
    style_counts(&cx, &mut out);
    version(&cx, &mut out);
    techniques(&cx, &mut out);
    out
}

fn name_and_description(cx: &Context, out: &mut Vec<Diagnostic>) {
    let name = &cx.detection.name;
    let n = length(&name.value);
    if n > MAX_NAME {
        out.push(
            Diagnostic::error(
                codes::NAME_TOO_LONG,
                format!("`name` is {n} characters, over the limit of {MAX_NAME}"),
                name.span,
            )
            .with_note("Sentinel and Azure-Sentinel's CI reject rule names over 256 characters")
            .with_help("shorten the name; put the detail in `description`"),
        );
    } else if n > STYLE_MAX_NAME {
        out.push(
            Diagnostic::warning(
                codes::NAME_LONGER_THAN_STYLE,
                format!("`name` is {n} characters, over the style guide's {STYLE_MAX_NAME}"),
                name.span,
            )
            .with_note("long names are cut off in the incident queue and in alert lists")
            .with_help("keep the name under 50 characters and move the detail to `description`"),
        );
    }
    if let Some(description) = &cx.detection.description {
        let n = length(&description.value);
        if n > MAX_DESCRIPTION {
            out.push(
                Diagnostic::error(
                    codes::DESCRIPTION_TOO_LONG,
                    format!("`description` is {n} characters, over the limit of {MAX_DESCRIPTION}"),
                    description.span,
                )
                .with_note(
                    "Sentinel and Azure-Sentinel's CI reject descriptions over 5,000 characters",
                )
                .with_help("shorten the description; link to a longer write-up instead"),
            );
        }
    }
}

fn style_counts(cx: &Context, out: &mut Vec<Diagnostic>) {
    let tactics = &cx.detection.tactics;
    if tactics.len() > STYLE_MAX_TACTICS {
        let span = cx.value_span("tactics").unwrap_or(tactics[STYLE_MAX_TACTICS].span);
        out.push(
            Diagnostic::warning(
                codes::TOO_MANY_TACTICS,
                format!("{} tactics, over the style guide's {STYLE_MAX_TACTICS}", tactics.len()),
                span,
            )
            .with_note("a detection that claims many tactics says little about what it finds")
            .with_help("keep the tactics the query actually observes"),
        );
    }
    let techniques = &cx.detection.relevant_techniques;
    if techniques.len() > STYLE_MAX_TECHNIQUES {
        let span =
            cx.value_span("relevantTechniques").unwrap_or(techniques[STYLE_MAX_TECHNIQUES].span);
        out.push(
            Diagnostic::warning(
                codes::TOO_MANY_TECHNIQUES,
                format!(
                    "{} techniques, over the style guide's {STYLE_MAX_TECHNIQUES}",
                    techniques.len()
                ),
                span,
            )
            .with_note("a detection that claims many techniques says little about what it finds")
            .with_help("keep the techniques the query actually observes"),
        );
    }
}

/// The query has KQL to run (analytics rules and hunting queries), and an analytics rule's
/// query is at most 10,000 characters (`SPEC114`, two cases with their own wording).
fn query_content(cx: &Context, out: &mut Vec<Diagnostic>) {
    let query = &cx.detection.query;
    if cx.detection.ioc.is_some() && query.text.trim().is_empty() {
        // IOC specs generate their query.
        return;
    }
    let blank = query.text.trim().is_empty();
    if blank || is_only_comments(&query.text) {
        let message =
            if blank { "The query is empty" } else { "The query has only comments" }.to_owned();
        let note = if cx.is_rule {
            "there is no KQL outside `//` comments, and Sentinel rejects an analytics rule \
             whose query has none"
        } else {
            "there is no KQL outside `//` comments, so the hunting query has nothing to run \
             and finds nothing"
        };
        out.push(
            Diagnostic::error(codes::QUERY_LENGTH, message, query.span)
                .with_note(note)
                .with_help("write the query, or remove the `//` from the lines that should run"),
        );
        return;
    }
    let n = length(&query.text);
    if cx.is_rule && n > MAX_QUERY {
        out.push(
            Diagnostic::error(
                codes::QUERY_LENGTH,
                format!("The query is {n} characters, over the limit of {MAX_QUERY}"),
                query.span,
            )
            .with_note("Sentinel accepts analytics-rule queries of 1 to 10,000 characters")
            .with_help(
                "move shared logic into a saved function or watchlist, and drop comments \
                 and unused columns",
            ),
        );
    }
}

/// Whether a non-blank query is nothing but `//` comments and whitespace, which Sentinel
/// rejects as an empty query. Only a query that starts with a comment can be one, so the
/// others are not tokenized twice.
fn is_only_comments(text: &str) -> bool {
    if !text.trim_start().starts_with("//") {
        return false;
    }
    let mut errors = Vec::new();
    palisade_kql::tokenize(text, &mut errors).iter().all(|token| token.kind.is_trivia())
}

fn suppression(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(duration) = &cx.detection.suppression_duration else {
        return;
    };
    if duration.value > MAX_SUPPRESSION {
        out.push(
            Diagnostic::error(
                codes::SUPPRESSION_TOO_LONG,
                format!("`suppressionDuration` is {}, over 24 hours", duration.value),
                duration.span,
            )
            .with_note("Sentinel suppresses a rule for at most 24 hours after it alerts")
            .with_help("set `suppressionDuration` to `24h` or less"),
        );
    }
}

fn nrt_fields(cx: &Context, out: &mut Vec<Diagnostic>) {
    if !cx.is_nrt {
        return;
    }
    let detection = cx.detection;
    let fields = [
        ("queryFrequency", detection.query_frequency.as_ref().map(|value| value.span)),
        ("queryPeriod", detection.query_period.as_ref().map(|value| value.span)),
        ("triggerOperator", detection.trigger_operator.as_ref().map(|value| value.span)),
        ("triggerThreshold", detection.trigger_threshold.as_ref().map(|value| value.span)),
    ];
    for (field, span) in fields {
        let Some(span) = span else {
            continue;
        };
        out.push(
            Diagnostic::warning(
                codes::NRT_SCHEDULE_FIELD,
                format!("`{field}` has no effect on an NRT rule"),
                span,
            )
            .with_note(
                "NRT rules run every minute over the previous minute and alert on any result; \
                 `palisade build` leaves the field out",
            )
            .with_help(format!("remove `{field}`, or use `kind: Scheduled`")),
        );
    }
}

/// Counts entity and field mappings as written, so that entries the loader could not read
/// (and reported) still count.
fn mapping_counts(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(list) = cx.root.get("entityMappings").map(|entry| &entry.value) else {
        return;
    };
    let Some(items) = list.as_sequence() else {
        return;
    };
    let items: Vec<&Node> = items.iter().filter(|item| !item.is_null()).collect();
    if items.is_empty() {
        out.push(
            Diagnostic::error(
                codes::ENTITY_MAPPING_COUNT,
                "`entityMappings` is an empty list",
                list.span,
            )
            .with_note("Sentinel's CI requires 1 to 10 entity mappings when the key is present")
            .with_help("map at least one entity, or remove `entityMappings`"),
        );
        return;
    }
    if items.len() > MAX_ENTITY_MAPPINGS {
        out.push(
            Diagnostic::error(
                codes::ENTITY_MAPPING_COUNT,
                format!("{} entity mappings, over the limit of {MAX_ENTITY_MAPPINGS}", items.len()),
                list.span,
            )
            .with_note("Sentinel accepts at most 10 entity mappings per rule")
            .with_help("merge mappings of the same entity type, or drop the least useful ones"),
        );
    }
    for item in items {
        let Some(fields) = item.get("fieldMappings").and_then(|entry| entry.value.as_sequence())
        else {
            continue;
        };
        let n = fields.iter().filter(|field| !field.is_null()).count();
        if n == 0 || n > MAX_FIELD_MAPPINGS {
            out.push(
                Diagnostic::error(
                    codes::ENTITY_MAPPING_COUNT,
                    format!("An entity mapping has {n} field mappings, outside 1 to {MAX_FIELD_MAPPINGS}"),
                    item.span,
                )
                .with_note("each entity mapping takes 1 to 3 identifiers")
                .with_help("keep the identifiers that identify the entity best"),
            );
        }
    }
}

fn entity_mappings(cx: &Context, out: &mut Vec<Diagnostic>) {
    mapping_counts(cx, out);
    let Some(mappings) = &cx.detection.entity_mappings else {
        return;
    };
    for mapping in mappings {
        let entity = &mapping.entity_type;
        if entity.value == "IoTDevice" {
            out.push(
                Diagnostic::warning(
                    codes::IOT_DEVICE_NOT_IN_ARM,
                    "Entity type `IoTDevice` is not accepted by the ARM API",
                    entity.span,
                )
                .with_note(
                    "Azure-Sentinel's CI accepts it in YAML, but ARM's `EntityMappingType` has no \
                     `IoTDevice`, so an ARM or Bicep deployment fails",
                )
                .with_help("map the device as `Host`, or deploy this rule another way"),
            );
        }
        let Some(known) = entity_type(&entity.value) else {
            // Unknown types are reported by the loader and the schema.
            continue;
        };
        let mut seen = HashSet::new();
        for field in &mapping.field_mappings {
            let identifier = field.identifier.value.as_str();
            if !seen.insert(identifier) {
                out.push(
                    Diagnostic::error(
                        codes::DUPLICATE_IDENTIFIER,
                        format!(
                            "Identifier `{identifier}` is mapped twice in one `{}` mapping",
                            known.name
                        ),
                        field.identifier.span,
                    )
                    .with_note("Azure-Sentinel's CI rejects a mapping that repeats an identifier")
                    .with_help(
                        "map each identifier once; add a second mapping for a second entity",
                    ),
                );
            }
            if known.identifiers.contains(&identifier) {
                // Fine.
            } else if known.extras.contains(&identifier) {
                out.push(
                    Diagnostic::warning(
                        codes::IDENTIFIER_OUTSIDE_CI,
                        format!(
                            "Identifier `{identifier}` of `{}` is not in Azure-Sentinel's CI model",
                            known.name
                        ),
                        field.identifier.span,
                    )
                    .with_note("guides mention it, but Azure-Sentinel's CI rejects it")
                    .with_help(format!("use one of: {}", known.identifiers.join(", "))),
                );
            } else {
                let mut diag = Diagnostic::error(
                    codes::UNKNOWN_IDENTIFIER,
                    format!("`{identifier}` is not an identifier of entity type `{}`", known.name),
                    field.identifier.span,
                )
                .with_note(format!(
                    "identifiers are matched exactly; `{}` takes: {}",
                    known.name,
                    known.identifiers.join(", ")
                ));
                let same_case = known
                    .identifiers
                    .iter()
                    .chain(known.extras)
                    .find(|candidate| candidate.eq_ignore_ascii_case(identifier));
                if let Some(suggestion) = same_case
                    .copied()
                    .or_else(|| palisade_spec::load::nearest(identifier, known.identifiers))
                {
                    diag = diag.with_help(format!("did you mean `{suggestion}`?"));
                }
                out.push(diag);
            }
            column_name(&field.column_name.value, field.column_name.span, "columnName", out);
        }
        let complete = known.required.iter().any(|set| set.iter().all(|id| seen.contains(id)));
        if !complete {
            let sets: Vec<String> = known.required.iter().map(|set| set.join(" and ")).collect();
            out.push(
                Diagnostic::error(
                    codes::MISSING_REQUIRED_IDENTIFIER,
                    format!("The `{}` mapping has none of its required identifiers", known.name),
                    mapping.span,
                )
                .with_label(format!("needs {}", sets.join(" or ")))
                .with_note(
                    "Sentinel cannot build the entity, and Azure-Sentinel's CI rejects the rule",
                )
                .with_help(format!("map {}", sets.join(", or ")))
                .with_secondary(entity.span, "entity type"),
            );
        }
    }
}

fn column_name(name: &str, span: Span, field: &str, out: &mut Vec<Diagnostic>) {
    let n = length(name);
    let problem = if n > MAX_COLUMN_NAME {
        format!("is {n} characters, over {MAX_COLUMN_NAME}")
    } else if !is_identifier(name, true) {
        "is not a column name".to_owned()
    } else {
        return;
    };
    out.push(
        Diagnostic::error(
            codes::INVALID_COLUMN_NAME,
            format!("`{field}` `{name}` {problem}"),
            span,
        )
        .with_note(
            "Sentinel takes a column of the query's output here: a letter or `_` followed by \
                 letters, digits or `_` (at most 500)",
        )
        .with_help("name a column the query projects; rename it with `project-rename` if needed"),
    );
}

fn legacy_custom_entities(cx: &Context, out: &mut Vec<Diagnostic>) {
    if cx.is_nrt {
        return;
    }
    let query = &cx.detection.query.text;
    let mapped: HashSet<&str> = cx
        .detection
        .entity_mappings
        .iter()
        .flatten()
        .flat_map(|mapping| &mapping.field_mappings)
        .map(|field| field.column_name.value.as_str())
        .collect();
    for name in LEGACY_CUSTOM_ENTITIES {
        let Some(at) = query.find(name) else {
            continue;
        };
        if mapped.contains(name) {
            continue;
        }
        let start = at as u32;
        let span = cx.detection.query.source_map.map_range(start, start + name.len() as u32);
        out.push(
            Diagnostic::error(
                codes::LEGACY_CUSTOM_ENTITY_UNMAPPED,
                format!("The query names `{name}`, but no entity mapping uses it"),
                span,
            )
            .with_note(
                "Azure-Sentinel's CI requires a `columnName` equal to each legacy `*CustomEntity` \
                 column the query names; without one the entity is lost",
            )
            .with_help(format!(
                "add an `entityMappings` entry with `columnName: {name}`, or rename the column"
            )),
        );
    }
}

fn custom_details(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(details) = &cx.detection.custom_details else {
        return;
    };
    if details.len() > MAX_CUSTOM_DETAILS {
        let span = cx.value_span("customDetails").unwrap_or(details[MAX_CUSTOM_DETAILS].0.span);
        out.push(
            Diagnostic::error(
                codes::CUSTOM_DETAILS_LIMIT,
                format!("{} custom details, over the limit of {MAX_CUSTOM_DETAILS}", details.len()),
                span,
            )
            .with_note("Sentinel accepts at most 20 custom details per rule")
            .with_help("keep the details an analyst needs first; pack others with `pack()`"),
        );
    }
    for (key, value) in details {
        let n = length(&key.value);
        if n > MAX_CUSTOM_DETAIL_KEY || !is_identifier(&key.value, false) {
            out.push(
                Diagnostic::error(
                    codes::CUSTOM_DETAILS_LIMIT,
                    format!("Custom detail key `{}` is not valid", key.value),
                    key.span,
                )
                .with_note(
                    "keys are a letter followed by letters, digits or `_`, at most 20 characters",
                )
                .with_help("rename the key, for example `TargetAccount`"),
            );
        }
        column_name(&value.value, value.span, "customDetails", out);
    }
}

/// The `{{column}}` placeholders of an alert format, counted as the regex `{{([^{}]*)}}` counts
/// them (with their byte offsets), and the offset of the first `{{` or `}}` left over in the
/// text between them.
pub fn placeholders(format: &str) -> (Vec<(usize, &str)>, Option<usize>) {
    let bytes = format.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"{{") {
            let inner = i + 2;
            let close = bytes[inner..].iter().position(|&b| b == b'{' || b == b'}');
            if let Some(len) = close {
                if bytes[inner + len..].starts_with(b"}}") {
                    found.push((i, &format[inner..inner + len]));
                    i = inner + len + 2;
                    continue;
                }
            }
        }
        i += 1;
    }
    let mut stray = None;
    let mut from = 0;
    let ends = found.iter().map(|(at, name)| (*at, at + name.len() + 4));
    for (start, end) in ends.chain([(bytes.len(), bytes.len())]) {
        let between = &format[from..start];
        let first = [between.find("{{"), between.find("}}")].into_iter().flatten().min();
        if let Some(at) = first {
            stray = Some(from + at);
            break;
        }
        from = end;
    }
    (found, stray)
}

fn alert_details_override(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(overrides) = &cx.detection.alert_details_override else {
        return;
    };
    let formats = [
        ("alertDisplayNameFormat", &overrides.alert_display_name_format, MAX_ALERT_NAME_FORMAT),
        (
            "alertDescriptionFormat",
            &overrides.alert_description_format,
            MAX_ALERT_DESCRIPTION_FORMAT,
        ),
    ];
    for (field, format, max) in formats {
        let Some(format) = format else {
            continue;
        };
        let text = format.value.as_str();
        let n = length(text);
        if text.trim().is_empty() || n > max {
            let message = if text.trim().is_empty() {
                format!("`{field}` is blank")
            } else {
                format!("`{field}` is {n} characters, over the limit of {max}")
            };
            out.push(
                Diagnostic::error(codes::ALERT_FORMAT_LENGTH, message, format.span)
                    .with_note(format!("Sentinel takes 1 to {max} characters, not all blank"))
                    .with_help(format!("write a `{field}`, or remove the key")),
            );
        }
        let (found, stray) = placeholders(text);
        if found.len() > MAX_PLACEHOLDERS {
            let columns: Vec<String> = found.iter().map(|(_, name)| format!("`{name}`")).collect();
            out.push(
                Diagnostic::error(
                    codes::TOO_MANY_PLACEHOLDERS,
                    format!(
                        "`{field}` has {} placeholders, over the limit of {MAX_PLACEHOLDERS}",
                        found.len()
                    ),
                    format.span,
                )
                .with_label(columns.join(", "))
                .with_note("Sentinel substitutes at most 3 `{{column}}` placeholders per format")
                .with_help("combine columns in the query with `strcat()` and use one placeholder"),
            );
        }
        if let Some(at) = stray {
            out.push(
                Diagnostic::error(
                    codes::MALFORMED_PLACEHOLDER,
                    format!("`{field}` has unbalanced braces at character {}", at + 1),
                    format.span,
                )
                .with_note("a placeholder is `{{Column}}`; a lone `{{` or `}}` is shown as is")
                .with_help("write each placeholder as `{{Column}}`"),
            );
        }
        for (_, name) in &found {
            let problem = if name.is_empty() {
                "is empty"
            } else if name.chars().any(char::is_whitespace) {
                "has whitespace inside the braces"
            } else {
                continue;
            };
            out.push(
                Diagnostic::warning(
                    codes::PLACEHOLDER_WHITESPACE,
                    format!("Placeholder `{{{{{name}}}}}` in `{field}` {problem}"),
                    format.span,
                )
                .with_note(
                    "Sentinel substitutes `{{Column}}` only when the braces hold a column name",
                )
                .with_help(format!("write `{{{{{}}}}}`", name.trim())),
            );
        }
    }
    for property in &overrides.alert_dynamic_properties {
        let name = property.alert_property.value.as_str();
        if ALERT_PROPERTIES.contains(&name) {
            continue;
        }
        let mut diag = Diagnostic::error(
            codes::UNKNOWN_ALERT_PROPERTY,
            format!("`{name}` is not an alert property Sentinel can override"),
            property.alert_property.span,
        )
        .with_note(format!("the stable API accepts: {}", ALERT_PROPERTIES.join(", ")));
        if let Some(suggestion) = palisade_spec::load::nearest(name, ALERT_PROPERTIES) {
            diag = diag.with_help(format!("did you mean `{suggestion}`?"));
        }
        out.push(diag);
    }
}

fn incident_grouping(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(grouping) = cx
        .detection
        .incident_configuration
        .as_ref()
        .and_then(|incident| incident.grouping_configuration.as_ref())
    else {
        return;
    };
    let lookback = &grouping.lookback_duration;
    if lookback.value < MIN_GROUPING_LOOKBACK || lookback.value > MAX_GROUPING_LOOKBACK {
        out.push(
            Diagnostic::error(
                codes::GROUPING_LOOKBACK_RANGE,
                format!("`lookbackDuration` is {}, outside 5 minutes to 7 days", lookback.value),
                lookback.span,
            )
            .with_note("Sentinel groups alerts into incidents over 5 minutes to 7 days")
            .with_help("set `lookbackDuration` between `5m` and `7d`"),
        );
    }
    let method = &grouping.matching_method;
    if method.value == MatchingMethod::Selected
        && grouping.group_by_entities.is_empty()
        && grouping.group_by_alert_details.is_empty()
        && grouping.group_by_custom_details.is_empty()
    {
        out.push(
            Diagnostic::error(
                codes::SELECTED_WITHOUT_GROUP_BY,
                "`matchingMethod: Selected` with nothing to group by",
                method.span,
            )
            .with_note("Sentinel rejects `Selected` unless a group-by list has an item")
            .with_help(
                "add `groupByEntities`, `groupByAlertDetails` or `groupByCustomDetails`, or use \
                 `AllEntities`",
            ),
        );
    }
    let mapped: Vec<&str> = cx
        .detection
        .entity_mappings
        .iter()
        .flatten()
        .map(|mapping| mapping.entity_type.value.as_str())
        .collect();
    for entity in &grouping.group_by_entities {
        if !mapped.contains(&entity.value.as_str()) {
            let help = if mapped.is_empty() {
                "map the entity in `entityMappings`, or remove it here".to_owned()
            } else {
                format!("group by a mapped type: {}", mapped.join(", "))
            };
            out.push(
                Diagnostic::error(
                    codes::GROUP_BY_UNMAPPED_ENTITY,
                    format!(
                        "`groupByEntities` names `{}`, which this rule does not map",
                        entity.value
                    ),
                    entity.span,
                )
                .with_note("alerts carry only mapped entities, so there is nothing to group on")
                .with_help(help),
            );
        }
    }
    let keys: Vec<&str> =
        cx.detection.custom_details.iter().flatten().map(|(key, _)| key.value.as_str()).collect();
    for detail in &grouping.group_by_custom_details {
        if !keys.contains(&detail.value.as_str()) {
            out.push(
                Diagnostic::error(
                    codes::GROUP_BY_UNKNOWN_CUSTOM_DETAIL,
                    format!(
                        "`groupByCustomDetails` names `{}`, which is not a custom detail of this rule",
                        detail.value
                    ),
                    detail.span,
                )
                .with_note("grouping reads the alert's custom details by key")
                .with_help("add the key to `customDetails`, or remove it here"),
            );
        }
    }
    for detail in &grouping.group_by_alert_details {
        if !GROUP_BY_ALERT_DETAILS.contains(&detail.value.as_str()) {
            out.push(
                Diagnostic::error(
                    codes::INVALID_GROUP_BY_ALERT_DETAIL,
                    format!("`groupByAlertDetails` has `{}`", detail.value),
                    detail.span,
                )
                .with_note("alerts can be grouped by `DisplayName` and `Severity` only")
                .with_help("use `DisplayName` or `Severity`"),
            );
        }
    }
}

fn version(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(version) = &cx.detection.version else {
        return;
    };
    let text = version.value.as_str();
    let parts: Vec<&str> = text.split('.').collect();
    let well_formed = parts.len() == 3
        && parts.iter().all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if well_formed && length(text) <= MAX_VERSION {
        return;
    }
    out.push(
        Diagnostic::error(
            codes::INVALID_VERSION,
            format!("`version` `{text}` is not `X.Y.Z` of at most 20 characters"),
            version.span,
        )
        .with_note("Sentinel reads the template version as three numbers, such as `1.0.2`")
        .with_help("write the version as `major.minor.patch`, for example `1.0.0`"),
    );
}

/// Whether `id` has the form `T####` or `T####.###`.
pub fn is_technique_id(id: &str) -> bool {
    let Some(rest) = id.strip_prefix('T') else {
        return false;
    };
    let (parent, sub) = match rest.split_once('.') {
        Some((parent, sub)) => (parent, Some(sub)),
        None => (rest, None),
    };
    let digits = |text: &str, n: usize| text.len() == n && text.bytes().all(|b| b.is_ascii_digit());
    digits(parent, 4) && sub.is_none_or(|sub| digits(sub, 3))
}

const CI_TABLE_NOTE: &str = "Azure-Sentinel's CI uses its own hand-maintained table, so it may \
     also reject ids that are new to ATT&CK";

fn techniques(cx: &Context, out: &mut Vec<Diagnostic>) {
    // Tactics as Palisade emits them: spelling variants (`CommandandControl`) are warned about
    // elsewhere and compared here without regard to case; `PreAttack` stands for the two
    // tactics that replaced it.
    let mut listed: Vec<String> = Vec::new();
    for tactic in &cx.detection.tactics {
        let compact = tactic.value.replace(' ', "").to_ascii_lowercase();
        if compact == "preattack" {
            listed.extend(["reconnaissance".to_owned(), "resourcedevelopment".to_owned()]);
        } else {
            listed.push(compact);
        }
    }
    // Techniques against tactics: CI checks Scheduled rules; elsewhere it is advice.
    let mismatch_is_error = cx.is_rule && !cx.is_nrt;
    for technique in &cx.detection.relevant_techniques {
        let id = technique.value.trim();
        if !is_technique_id(id) {
            // The schema reports the pattern too; this says what the form is.
            let mut diag = Diagnostic::error(
                codes::INVALID_TECHNIQUE_ID,
                format!("`{id}` is not an ATT&CK technique id"),
                technique.span,
            )
            .with_note(
                "technique ids are `T` and four digits, with `.` and three for a sub-technique",
            );
            let upper = id.to_ascii_uppercase();
            if upper != id && is_technique_id(&upper) {
                diag = diag.with_help(format!("write `{upper}`"));
            } else {
                diag = diag.with_help("write the id as `T1078` or `T1078.004`");
            }
            out.push(diag);
            continue;
        }
        if id.starts_with("T08") {
            // ICS: accepted by format (the embedded table is Enterprise only).
            continue;
        }
        let Some(found) = palisade_catalog::attack::technique(id) else {
            out.push(
                Diagnostic::error(
                    codes::UNKNOWN_TECHNIQUE,
                    format!(
                        "`{id}` is not a technique in ATT&CK {}",
                        palisade_catalog::attack::ATTACK_VERSION
                    ),
                    technique.span,
                )
                .with_note(format!("the id may be mistyped or never existed; {CI_TABLE_NOTE}"))
                .with_help("look the technique up on attack.mitre.org and use its current id"),
            );
            continue;
        };
        if found.revoked || found.deprecated {
            let state = if found.revoked { "revoked" } else { "deprecated" };
            let help = match found.revoked_by {
                Some(replacement) => format!("use `{replacement}` instead"),
                None => "remove it, or pick a current technique".to_owned(),
            };
            let message = match found.revoked_by {
                Some(replacement) => {
                    format!(
                        "Technique `{id}` ({}) is {state}; it is replaced by `{replacement}`",
                        found.name
                    )
                }
                None => format!("Technique `{id}` ({}) is {state}", found.name),
            };
            out.push(
                Diagnostic::warning(codes::OUTDATED_TECHNIQUE, message, technique.span)
                    .with_note("ATT&CK no longer maintains it, and mappings to it go stale")
                    .with_help(help),
            );
            continue;
        }
        if listed.is_empty()
            || found.tactics.iter().any(|tactic| listed.contains(&tactic.to_ascii_lowercase()))
        {
            continue;
        }
        let message =
            format!("Technique `{id}` ({}) belongs to none of the listed tactics", found.name);
        let note = format!(
            "ATT&CK puts it under {}; Azure-Sentinel's CI rejects a technique without one of \
             its tactics",
            found.tactics.join(", ")
        );
        let help =
            format!("add the tactic `{}`, or remove the technique", found.tactics.join("` or `"));
        let diag = if mismatch_is_error {
            Diagnostic::error(codes::TECHNIQUE_TACTIC_MISMATCH, message, technique.span)
        } else {
            Diagnostic::warning(codes::TECHNIQUE_TACTIC_MISMATCH, message, technique.span)
        };
        out.push(diag.with_note(note).with_help(help));
    }
}

#[cfg(test)]
mod tests {
    use palisade_diagnostics::SourceFiles;

    use super::*;

    const RULE: &str = include_str!("../tests/specs/valid/scheduled_rule.yaml");
    const HUNTING: &str = include_str!("../tests/specs/valid/hunting_query.yaml");

    /// The `SPEC114` findings for `text` with its query replaced by `query` (a block).
    fn query_findings(text: &str, path: &str, query: &str) -> Vec<Diagnostic> {
        let start = text.find("query: |\n").unwrap();
        let body = start + "query: |\n".len();
        // The block ends at the first line that is not indented.
        let end = body
            + text[body..]
                .split_inclusive('\n')
                .take_while(|line| line.starts_with(' '))
                .map(str::len)
                .sum::<usize>();
        let edited = format!("{}query: |\n{query}{}", &text[..start], &text[end..]);
        let mut files = SourceFiles::new();
        let (_, result) = crate::check_file(&mut files, path, edited.as_bytes());
        result.diagnostics.into_iter().filter(|diag| diag.code == codes::QUERY_LENGTH).collect()
    }

    #[test]
    fn comment_only_queries_are_flagged_in_rules_and_hunting_queries() {
        let comments = "  // SigninLogs\n  // | take 1\n";
        let rule = query_findings(RULE, "Detections/rule.yaml", comments);
        let hunting = query_findings(HUNTING, "Hunting Queries/hunt.yaml", comments);
        for (findings, kind) in [(&rule, "analytics rule"), (&hunting, "hunting query")] {
            assert_eq!(findings.len(), 1, "{findings:?}");
            assert_eq!(findings[0].message, "The query has only comments");
            assert_eq!(findings[0].severity, palisade_diagnostics::Severity::Error);
            assert!(findings[0].notes[0].contains(kind), "{:?}", findings[0].notes);
            assert_eq!(
                findings[0].help.as_deref(),
                Some("write the query, or remove the `//` from the lines that should run")
            );
        }
    }

    #[test]
    fn too_long_queries_keep_their_own_wording() {
        let long = format!("  SigninLogs\n  // {}\n", "x".repeat(MAX_QUERY));
        let rule = query_findings(RULE, "Detections/rule.yaml", &long);
        assert_eq!(rule.len(), 1);
        assert!(rule[0].message.starts_with("The query is 100"), "{}", rule[0].message);
        assert!(rule[0].help.as_deref().unwrap().starts_with("move shared logic"));
        // Hunting queries have no length limit; a commented line after KQL is fine.
        assert_eq!(query_findings(HUNTING, "Hunting Queries/hunt.yaml", &long), []);
        let commented = "  // rare processes\n  DeviceProcessEvents\n";
        assert_eq!(query_findings(HUNTING, "Hunting Queries/hunt.yaml", commented), []);
    }
}
