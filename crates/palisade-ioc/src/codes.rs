//! Every diagnostic code this crate emits, with a one-line meaning.
//!
//! `IOC0xx` codes are about indicators and the queries generated for them, `EXC0xx` codes about
//! exclusions. `docs/iocs-and-exclusions.md` explains each one; the registry test below keeps
//! codes unique, well formed and ascending.

use palisade_diagnostics::Code;

/// The indicator type is not one we know.
pub const IOC001_UNKNOWN_TYPE: Code = Code::new("IOC001");
/// The value is not a valid IPv4 or IPv6 address.
pub const IOC002_INVALID_ADDRESS: Code = Code::new("IOC002");
/// The port is missing, not a number, or outside 1-65535.
pub const IOC003_INVALID_PORT: Code = Code::new("IOC003");
/// An unbracketed IPv6 value whose last group looks like a port; it is read as an address.
pub const IOC004_AMBIGUOUS_IPV6_PORT: Code = Code::new("IOC004");
/// The value is not a valid CIDR range.
pub const IOC005_INVALID_CIDR: Code = Code::new("IOC005");
/// The CIDR range has host bits set; it is normalised to its network.
pub const IOC006_CIDR_HOST_BITS: Code = Code::new("IOC006");
/// The hash has a length no hash type has, or characters that are not hexadecimal.
pub const IOC007_INVALID_HASH: Code = Code::new("IOC007");
/// The hash is valid but its length belongs to another hash type than the declared one.
pub const IOC008_HASH_TYPE_MISMATCH: Code = Code::new("IOC008");
/// The value is not a valid domain name.
pub const IOC009_INVALID_DOMAIN: Code = Code::new("IOC009");
/// The value is not a valid URL.
pub const IOC010_INVALID_URL: Code = Code::new("IOC010");
/// The value is not a valid email address.
pub const IOC011_INVALID_EMAIL: Code = Code::new("IOC011");
/// `first_seen` is not a calendar date written `YYYY-MM-DD`.
pub const IOC012_INVALID_DATE: Code = Code::new("IOC012");
/// `confidence` is not a whole number from 0 to 100.
pub const IOC013_INVALID_CONFIDENCE: Code = Code::new("IOC013");
/// The value is empty.
pub const IOC014_EMPTY_VALUE: Code = Code::new("IOC014");
/// The same indicator appears twice in one set.
pub const IOC015_DUPLICATE: Code = Code::new("IOC015");
/// An indicator type has no column to match on in a target table.
pub const IOC016_TYPE_NOT_MATCHABLE: Code = Code::new("IOC016");
/// No indicator of the detection can be matched in a target table, so no query is generated.
pub const IOC017_NOTHING_TO_MATCH: Code = Code::new("IOC017");
/// The target table is not in the field catalog.
pub const IOC018_UNKNOWN_TABLE: Code = Code::new("IOC018");
/// `match: address_port` on a side without a port column: that side matches the address only.
pub const IOC019_NO_PORT_COLUMN: Code = Code::new("IOC019");
/// The generated query is longer than Sentinel's 10,000-character limit.
pub const IOC020_QUERY_TOO_LONG: Code = Code::new("IOC020");
/// The `match` mode is not `address` or `address_port`.
pub const IOC021_UNKNOWN_MATCH_MODE: Code = Code::new("IOC021");
/// A value built without validation holds a control character, which no KQL literal can hold.
pub const IOC022_UNWRITABLE_VALUE: Code = Code::new("IOC022");
/// A spec has IOC fields (`targets`, `match`, `exclusions`, `internal_networks`) but no `iocs`.
pub const IOC023_IOC_FIELDS_WITHOUT_IOCS: Code = Code::new("IOC023");
/// A spec has both `iocs` and a hand-written `query`.
pub const IOC024_IOCS_WITH_QUERY: Code = Code::new("IOC024");
/// An IOC spec has no `targets`.
pub const IOC025_NO_TARGETS: Code = Code::new("IOC025");
/// The indicator is, or its range overlaps, an address block set aside for documentation.
pub const IOC026_DOCUMENTATION_ADDRESS: Code = Code::new("IOC026");
/// The indicator is, or overlaps, a private, shared, loopback, link-local, benchmarking,
/// multicast or IPv4-mapped address.
pub const IOC027_NON_PUBLIC_ADDRESS: Code = Code::new("IOC027");
/// The indicator is, or overlaps, an address no host can have ("this network", the future-use
/// block, broadcast, the unspecified address).
pub const IOC028_RESERVED_ADDRESS: Code = Code::new("IOC028");
/// A domain, URL or mail indicator uses a reserved name (RFC 2606, RFC 6761).
pub const IOC029_RESERVED_DOMAIN: Code = Code::new("IOC029");
/// The same indicator is listed in another spec too.
pub const IOC030_DUPLICATE_ACROSS_SPECS: Code = Code::new("IOC030");
/// The indicator was last seen (or, without `last_seen`, first seen) longer ago than the
/// maximum indicator age.
pub const IOC031_INDICATOR_TOO_OLD: Code = Code::new("IOC031");
/// The indicator's `first_seen` is after the date the run checks against.
pub const IOC032_FIRST_SEEN_IN_FUTURE: Code = Code::new("IOC032");
/// An `ip:port` indicator whose address is listed alone too, in the same spec or another one:
/// the address matches every port already.
pub const IOC033_ENDPOINT_COVERED_BY_ADDRESS: Code = Code::new("IOC033");
/// `last_seen` is not a calendar date written `YYYY-MM-DD`.
pub const IOC034_INVALID_LAST_SEEN: Code = Code::new("IOC034");
/// `last_seen` is before `first_seen`.
pub const IOC035_LAST_SEEN_BEFORE_FIRST_SEEN: Code = Code::new("IOC035");
/// The indicator's `last_seen` is after the date the run checks against.
pub const IOC036_LAST_SEEN_IN_FUTURE: Code = Code::new("IOC036");
/// A table is listed twice in `targets`; it is compiled once.
pub const IOC037_DUPLICATE_TARGET: Code = Code::new("IOC037");

/// The exclusion names a logical field the catalog does not define.
pub const EXC001_UNKNOWN_FIELD: Code = Code::new("EXC001");
/// A condition value is not valid for its field (a bad CIDR, hash or port).
pub const EXC002_INVALID_VALUE: Code = Code::new("EXC002");
/// A condition's field has no column in a target table; the condition cannot be evaluated there.
pub const EXC003_FIELD_NOT_IN_TABLE: Code = Code::new("EXC003");
/// A detection refers to an exclusion id that no exclusion file defines.
pub const EXC004_UNKNOWN_EXCLUSION: Code = Code::new("EXC004");
/// An indicator of the detection would be suppressed by an applied exclusion.
pub const EXC005_SUPPRESSES_INDICATOR: Code = Code::new("EXC005");
/// The exclusion removes every event of a kind the detection exists to find.
pub const EXC006_HIDES_DETECTION: Code = Code::new("EXC006");
/// The exclusion's `expires` date has passed.
pub const EXC007_EXPIRED: Code = Code::new("EXC007");
/// A condition has no values, or `all`/`any` has no members.
pub const EXC008_EMPTY_CONDITION: Code = Code::new("EXC008");
/// An exclusion CIDR has host bits set; it is rejected, because the intent is ambiguous.
pub const EXC009_CIDR_HOST_BITS: Code = Code::new("EXC009");
/// A required exclusion field (`id`, `title`, `scenario`, `rationale`, `owner`) is empty.
pub const EXC010_MISSING_FIELD: Code = Code::new("EXC010");
/// `expires` is not a calendar date written `YYYY-MM-DD`.
pub const EXC011_INVALID_DATE: Code = Code::new("EXC011");
/// The exclusion id is not kebab-case.
pub const EXC012_INVALID_ID: Code = Code::new("EXC012");
/// A condition value built without validation holds a control character; the exclusion is
/// not applied.
pub const EXC013_UNWRITABLE_VALUE: Code = Code::new("EXC013");
/// Two exclusion files define the same id.
pub const EXC014_DUPLICATE_ID: Code = Code::new("EXC014");
/// No detection applies the exclusion.
pub const EXC015_UNUSED: Code = Code::new("EXC015");
/// An exclusion reference is scoped to a table that is not one of the spec's targets.
pub const EXC016_SCOPE_NOT_A_TARGET: Code = Code::new("EXC016");
/// A detection lists an exclusion whose file failed to load.
pub const EXC017_EXCLUSION_FAILED_TO_LOAD: Code = Code::new("EXC017");
/// An exclusion's text holds an invisible or bidirectional control character.
pub const EXC018_HIDDEN_CHARACTER: Code = Code::new("EXC018");

/// Every code above, in order, for registry checks and documentation.
pub const ALL: &[Code] = &[
    IOC001_UNKNOWN_TYPE,
    IOC002_INVALID_ADDRESS,
    IOC003_INVALID_PORT,
    IOC004_AMBIGUOUS_IPV6_PORT,
    IOC005_INVALID_CIDR,
    IOC006_CIDR_HOST_BITS,
    IOC007_INVALID_HASH,
    IOC008_HASH_TYPE_MISMATCH,
    IOC009_INVALID_DOMAIN,
    IOC010_INVALID_URL,
    IOC011_INVALID_EMAIL,
    IOC012_INVALID_DATE,
    IOC013_INVALID_CONFIDENCE,
    IOC014_EMPTY_VALUE,
    IOC015_DUPLICATE,
    IOC016_TYPE_NOT_MATCHABLE,
    IOC017_NOTHING_TO_MATCH,
    IOC018_UNKNOWN_TABLE,
    IOC019_NO_PORT_COLUMN,
    IOC020_QUERY_TOO_LONG,
    IOC021_UNKNOWN_MATCH_MODE,
    IOC022_UNWRITABLE_VALUE,
    IOC023_IOC_FIELDS_WITHOUT_IOCS,
    IOC024_IOCS_WITH_QUERY,
    IOC025_NO_TARGETS,
    IOC026_DOCUMENTATION_ADDRESS,
    IOC027_NON_PUBLIC_ADDRESS,
    IOC028_RESERVED_ADDRESS,
    IOC029_RESERVED_DOMAIN,
    IOC030_DUPLICATE_ACROSS_SPECS,
    IOC031_INDICATOR_TOO_OLD,
    IOC032_FIRST_SEEN_IN_FUTURE,
    IOC033_ENDPOINT_COVERED_BY_ADDRESS,
    IOC034_INVALID_LAST_SEEN,
    IOC035_LAST_SEEN_BEFORE_FIRST_SEEN,
    IOC036_LAST_SEEN_IN_FUTURE,
    IOC037_DUPLICATE_TARGET,
    EXC001_UNKNOWN_FIELD,
    EXC002_INVALID_VALUE,
    EXC003_FIELD_NOT_IN_TABLE,
    EXC004_UNKNOWN_EXCLUSION,
    EXC005_SUPPRESSES_INDICATOR,
    EXC006_HIDES_DETECTION,
    EXC007_EXPIRED,
    EXC008_EMPTY_CONDITION,
    EXC009_CIDR_HOST_BITS,
    EXC010_MISSING_FIELD,
    EXC011_INVALID_DATE,
    EXC012_INVALID_ID,
    EXC013_UNWRITABLE_VALUE,
    EXC014_DUPLICATE_ID,
    EXC015_UNUSED,
    EXC016_SCOPE_NOT_A_TARGET,
    EXC017_EXCLUSION_FAILED_TO_LOAD,
    EXC018_HIDDEN_CHARACTER,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_well_formed_unique_and_ascending_per_family() {
        for code in ALL {
            assert!(code.is_well_formed(), "{code} is not well formed");
            assert!(matches!(code.family(), "IOC" | "EXC"), "{code} has a foreign family");
        }
        for pair in ALL.windows(2) {
            if pair[0].family() == pair[1].family() {
                assert!(pair[0] < pair[1], "{} must come before {}", pair[0], pair[1]);
            }
        }
        assert_eq!(ALL.len(), 55);
    }
}
