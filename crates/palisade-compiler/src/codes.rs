//! The `EMIT0xx` diagnostic codes that generation can produce.
//!
//! A code is never reused or renumbered; a retired code stays here, marked retired.

use palisade_diagnostics::Code;

/// A pinned `apiVersion` lacks a feature that the detection uses.
pub const API_VERSION_LACKS_FEATURE: Code = Code::new("EMIT001");
/// A pinned `apiVersion` is not one Palisade knows.
pub const UNKNOWN_API_VERSION: Code = Code::new("EMIT002");
/// Two detections compile to the same resource name.
pub const DUPLICATE_RESOURCE_NAME: Code = Code::new("EMIT003");
/// A property that ARM requires has no value in the spec and no default.
pub const MISSING_REQUIRED_PROPERTY: Code = Code::new("EMIT004");
/// An entity type that the ARM API does not accept.
pub const ENTITY_TYPE_NOT_IN_ARM: Code = Code::new("EMIT005");
/// A field that has no meaning for the detection's kind and is left out of the output.
pub const FIELD_IGNORED_FOR_KIND: Code = Code::new("EMIT006");
/// A tactic name that the ARM `AttackTactic` enum does not have.
pub const TACTIC_NOT_IN_ARM: Code = Code::new("EMIT007");
/// A pinned `apiVersion` is published but not one Palisade writes alert rules for.
pub const UNSUPPORTED_API_VERSION: Code = Code::new("EMIT008");

/// Every code with its kebab-case name, in ascending order.
pub const ALL: &[(Code, &str)] = &[
    (API_VERSION_LACKS_FEATURE, "api-version-lacks-feature"),
    (UNKNOWN_API_VERSION, "unknown-api-version"),
    (DUPLICATE_RESOURCE_NAME, "duplicate-resource-name"),
    (MISSING_REQUIRED_PROPERTY, "missing-required-property"),
    (ENTITY_TYPE_NOT_IN_ARM, "entity-type-not-in-arm"),
    (FIELD_IGNORED_FOR_KIND, "field-ignored-for-kind"),
    (TACTIC_NOT_IN_ARM, "tactic-not-in-arm"),
    (UNSUPPORTED_API_VERSION, "unsupported-api-version"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_well_formed_unique_and_ascending() {
        for pair in ALL.windows(2) {
            assert!(pair[0].0.as_str() < pair[1].0.as_str(), "{} before {}", pair[0].0, pair[1].0);
        }
        for (code, name) in ALL {
            assert!(code.is_well_formed(), "{code}");
            assert_eq!(code.family(), "EMIT");
            assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{name}");
        }
    }
}
