//! The diagnostic codes that loading and validating specs can produce.
//!
//! The codes are defined here, next to the loader that emits most of them; the validator's
//! registry (`palisade_validator::registry`) holds their names, summaries and docs, and a test
//! there checks that every code below is registered.

use palisade_diagnostics::Code;

/// The YAML is not well-formed.
pub const INVALID_YAML: Code = Code::new("SPEC001");
/// A mapping has the same key twice.
pub const DUPLICATE_KEY: Code = Code::new("SPEC002");
/// The file holds more than one YAML document.
pub const MULTIPLE_DOCUMENTS: Code = Code::new("SPEC003");
/// The YAML uses a feature Palisade does not support (complex keys, alias blow-up, deep nesting).
pub const UNSUPPORTED_YAML: Code = Code::new("SPEC004");
/// The file is empty or holds only comments.
pub const EMPTY_FILE: Code = Code::new("SPEC005");
/// The file is not valid UTF-8.
pub const NOT_UTF8: Code = Code::new("SPEC006");
/// The file is larger than Palisade reads.
pub const FILE_TOO_LARGE: Code = Code::new("SPEC007");
/// The top level of the document is not a mapping.
pub const NOT_A_MAPPING: Code = Code::new("SPEC008");
/// The file is YAML but not a detection spec, so it was skipped.
pub const SKIPPED_FILE: Code = Code::new("SPEC009");
/// The document does not match the JSON Schema.
pub const SCHEMA_VIOLATION: Code = Code::new("SPEC010");
/// A required field is missing.
pub const MISSING_FIELD: Code = Code::new("SPEC011");
/// A field has the wrong type.
pub const WRONG_TYPE: Code = Code::new("SPEC012");
/// A field has a value outside its allowed set.
pub const INVALID_VALUE: Code = Code::new("SPEC013");
/// A top-level key is not a known field.
pub const UNKNOWN_KEY: Code = Code::new("SPEC014");
/// A duration cannot be parsed.
pub const INVALID_DURATION: Code = Code::new("SPEC015");
/// A duration is written as .NET TimeSpan text.
pub const LEGACY_TIMESPAN: Code = Code::new("SPEC016");
/// A list of names has an empty entry.
pub const EMPTY_LIST_ITEM: Code = Code::new("SPEC017");
/// A key or value differs from the known spelling only in case.
pub const CASE_MISMATCH: Code = Code::new("SPEC018");
/// A file has more findings than are shown per file; the note counts the rest.
pub const TOO_MANY_FINDINGS: Code = Code::new("SPEC019");
/// The file holds a control character that YAML does not allow.
pub const CONTROL_CHARACTER: Code = Code::new("SPEC020");
/// `queryFrequency` or `queryPeriod` is outside 5 minutes to 14 days.
pub const SCHEDULE_OUT_OF_RANGE: Code = Code::new("SPEC101");
/// `queryPeriod` is shorter than `queryFrequency`.
pub const PERIOD_SHORTER_THAN_FREQUENCY: Code = Code::new("SPEC102");
/// A `queryPeriod` of 2 days or more runs more often than hourly.
pub const LONG_PERIOD_NEEDS_HOURLY_FREQUENCY: Code = Code::new("SPEC103");
/// `triggerThreshold` is outside 0 to 10,000.
pub const THRESHOLD_OUT_OF_RANGE: Code = Code::new("SPEC104");
/// A tactic name is not one Sentinel accepts.
pub const UNKNOWN_TACTIC: Code = Code::new("SPEC105");
/// The `PreAttack` tactic is deprecated.
pub const PREATTACK_TACTIC: Code = Code::new("SPEC106");
/// Two spec files have the same `id`.
pub const DUPLICATE_ID: Code = Code::new("SPEC107");
/// A tactic is a known one written with spaces or in another case.
pub const TACTIC_SPELLING: Code = Code::new("SPEC108");
/// The rule name is over 256 characters.
pub const NAME_TOO_LONG: Code = Code::new("SPEC109");
/// The rule name is over the style guide's 50 characters.
pub const NAME_LONGER_THAN_STYLE: Code = Code::new("SPEC110");
/// The rule description is over 5,000 characters.
pub const DESCRIPTION_TOO_LONG: Code = Code::new("SPEC111");
/// More than 5 tactics are listed.
pub const TOO_MANY_TACTICS: Code = Code::new("SPEC112");
/// More than 10 techniques are listed.
pub const TOO_MANY_TECHNIQUES: Code = Code::new("SPEC113");
/// The query has no KQL (only comments), or an analytics-rule query is over 10,000
/// characters.
pub const QUERY_LENGTH: Code = Code::new("SPEC114");
/// `suppressionDuration` is over 24 hours.
pub const SUPPRESSION_TOO_LONG: Code = Code::new("SPEC115");
/// An NRT rule has a schedule or trigger field.
pub const NRT_SCHEDULE_FIELD: Code = Code::new("SPEC116");
/// Entity mappings are outside 1 to 10, or field mappings outside 1 to 3.
pub const ENTITY_MAPPING_COUNT: Code = Code::new("SPEC117");
/// Entity type `IoTDevice` is not accepted by the ARM API.
pub const IOT_DEVICE_NOT_IN_ARM: Code = Code::new("SPEC118");
/// An identifier is mapped twice in one entity mapping.
pub const DUPLICATE_IDENTIFIER: Code = Code::new("SPEC119");
/// An entity identifier from the guides is not in Azure-Sentinel's CI model.
pub const IDENTIFIER_OUTSIDE_CI: Code = Code::new("SPEC120");
/// An identifier is not valid for its entity type.
pub const UNKNOWN_IDENTIFIER: Code = Code::new("SPEC121");
/// An entity mapping lacks every required identifier set.
pub const MISSING_REQUIRED_IDENTIFIER: Code = Code::new("SPEC122");
/// A mapped column name is not a valid column name.
pub const INVALID_COLUMN_NAME: Code = Code::new("SPEC123");
/// The query names a `*CustomEntity` column no entity mapping uses.
pub const LEGACY_CUSTOM_ENTITY_UNMAPPED: Code = Code::new("SPEC124");
/// Custom details exceed 20 entries or a key is invalid.
pub const CUSTOM_DETAILS_LIMIT: Code = Code::new("SPEC125");
/// An alert name or description format is blank or too long.
pub const ALERT_FORMAT_LENGTH: Code = Code::new("SPEC126");
/// An alert format has more than 3 `{{column}}` placeholders.
pub const TOO_MANY_PLACEHOLDERS: Code = Code::new("SPEC127");
/// An alert format has unbalanced `{{` or `}}`.
pub const MALFORMED_PLACEHOLDER: Code = Code::new("SPEC128");
/// A placeholder is empty or has whitespace inside its braces.
pub const PLACEHOLDER_WHITESPACE: Code = Code::new("SPEC129");
/// An `alertDynamicProperties` entry names an unknown alert property.
pub const UNKNOWN_ALERT_PROPERTY: Code = Code::new("SPEC130");
/// The incident-grouping lookback is outside 5 minutes to 7 days.
pub const GROUPING_LOOKBACK_RANGE: Code = Code::new("SPEC131");
/// `matchingMethod: Selected` has nothing to group by.
pub const SELECTED_WITHOUT_GROUP_BY: Code = Code::new("SPEC132");
/// `groupByEntities` names an entity type the rule does not map.
pub const GROUP_BY_UNMAPPED_ENTITY: Code = Code::new("SPEC133");
/// `groupByCustomDetails` names a key the rule does not define.
pub const GROUP_BY_UNKNOWN_CUSTOM_DETAIL: Code = Code::new("SPEC134");
/// `groupByAlertDetails` has a value other than `DisplayName` or `Severity`.
pub const INVALID_GROUP_BY_ALERT_DETAIL: Code = Code::new("SPEC135");
/// `version` is not `X.Y.Z` of at most 20 characters.
pub const INVALID_VERSION: Code = Code::new("SPEC136");
/// A technique id is not `T####` or `T####.###`.
pub const INVALID_TECHNIQUE_ID: Code = Code::new("SPEC137");
/// A technique id is not in ATT&CK.
pub const UNKNOWN_TECHNIQUE: Code = Code::new("SPEC138");
/// A technique is revoked or deprecated in ATT&CK.
pub const OUTDATED_TECHNIQUE: Code = Code::new("SPEC139");
/// A technique belongs to none of the listed tactics.
pub const TECHNIQUE_TACTIC_MISMATCH: Code = Code::new("SPEC140");
/// A silence has no reason.
pub const ALLOW_WITHOUT_REASON: Code = Code::new("SPEC141");
/// A `palisade.allow` entry is malformed.
pub const INVALID_ALLOW: Code = Code::new("SPEC142");
/// A silence matches no finding of the spec.
pub const UNUSED_ALLOW: Code = Code::new("SPEC143");
/// A spec read as a hunting query has fields only analytics rules use, which are left out.
pub const RULE_FIELDS_IN_HUNTING_QUERY: Code = Code::new("SPEC144");
/// A tactic is listed twice (also in another spelling).
pub const DUPLICATE_TACTIC: Code = Code::new("SPEC145");

/// Every code defined here, in ascending order.
pub const ALL: &[Code] = &[
    INVALID_YAML,
    DUPLICATE_KEY,
    MULTIPLE_DOCUMENTS,
    UNSUPPORTED_YAML,
    EMPTY_FILE,
    NOT_UTF8,
    FILE_TOO_LARGE,
    NOT_A_MAPPING,
    SKIPPED_FILE,
    SCHEMA_VIOLATION,
    MISSING_FIELD,
    WRONG_TYPE,
    INVALID_VALUE,
    UNKNOWN_KEY,
    INVALID_DURATION,
    LEGACY_TIMESPAN,
    EMPTY_LIST_ITEM,
    CASE_MISMATCH,
    TOO_MANY_FINDINGS,
    CONTROL_CHARACTER,
    SCHEDULE_OUT_OF_RANGE,
    PERIOD_SHORTER_THAN_FREQUENCY,
    LONG_PERIOD_NEEDS_HOURLY_FREQUENCY,
    THRESHOLD_OUT_OF_RANGE,
    UNKNOWN_TACTIC,
    PREATTACK_TACTIC,
    DUPLICATE_ID,
    TACTIC_SPELLING,
    NAME_TOO_LONG,
    NAME_LONGER_THAN_STYLE,
    DESCRIPTION_TOO_LONG,
    TOO_MANY_TACTICS,
    TOO_MANY_TECHNIQUES,
    QUERY_LENGTH,
    SUPPRESSION_TOO_LONG,
    NRT_SCHEDULE_FIELD,
    ENTITY_MAPPING_COUNT,
    IOT_DEVICE_NOT_IN_ARM,
    DUPLICATE_IDENTIFIER,
    IDENTIFIER_OUTSIDE_CI,
    UNKNOWN_IDENTIFIER,
    MISSING_REQUIRED_IDENTIFIER,
    INVALID_COLUMN_NAME,
    LEGACY_CUSTOM_ENTITY_UNMAPPED,
    CUSTOM_DETAILS_LIMIT,
    ALERT_FORMAT_LENGTH,
    TOO_MANY_PLACEHOLDERS,
    MALFORMED_PLACEHOLDER,
    PLACEHOLDER_WHITESPACE,
    UNKNOWN_ALERT_PROPERTY,
    GROUPING_LOOKBACK_RANGE,
    SELECTED_WITHOUT_GROUP_BY,
    GROUP_BY_UNMAPPED_ENTITY,
    GROUP_BY_UNKNOWN_CUSTOM_DETAIL,
    INVALID_GROUP_BY_ALERT_DETAIL,
    INVALID_VERSION,
    INVALID_TECHNIQUE_ID,
    UNKNOWN_TECHNIQUE,
    OUTDATED_TECHNIQUE,
    TECHNIQUE_TACTIC_MISMATCH,
    ALLOW_WITHOUT_REASON,
    INVALID_ALLOW,
    UNUSED_ALLOW,
    RULE_FIELDS_IN_HUNTING_QUERY,
    DUPLICATE_TACTIC,
];
