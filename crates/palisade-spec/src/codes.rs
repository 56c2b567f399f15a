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
    SCHEDULE_OUT_OF_RANGE,
    PERIOD_SHORTER_THAN_FREQUENCY,
    LONG_PERIOD_NEEDS_HOURLY_FREQUENCY,
    THRESHOLD_OUT_OF_RANGE,
    UNKNOWN_TACTIC,
    PREATTACK_TACTIC,
    DUPLICATE_ID,
    TACTIC_SPELLING,
];
