//! Resource names: the GUID that identifies a detection in Azure, derived without randomness.
//!
//! A redeploy must update the same rule in place, so the name depends only on the spec's `id`.
//! See docs/decisions/0002-rule-guids.md for the choice and its reasons.

use uuid::Uuid;

/// The namespace for ids that are not GUIDs: UUIDv5 of the URL namespace and
/// `urn:palisade:detection-id`, written out so that it can never drift.
pub const PALISADE_NAMESPACE: Uuid = Uuid::from_u128(0xd23c_f559_aa3f_56f8_b853_392e_ec3d_bc72);

/// The text the namespace is derived from, kept for the test that re-derives it.
pub const PALISADE_NAMESPACE_SOURCE: &str = "urn:palisade:detection-id";

/// How a rule name was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameSource {
    /// The `id` was a GUID; the name is its canonical lower-case hyphenated form.
    Guid,
    /// The `id` was not a GUID; the name is UUIDv5 of [`PALISADE_NAMESPACE`] and the id.
    Derived,
}

/// The rule GUID for a spec `id`.
///
/// A GUID in its usual 36-character hyphenated form (any letter case), bare or in braces
/// (`{…}`, the form Windows tools copy), is kept and written in lower case without braces, so
/// `{X}` and `X` name the same rule. Anything else, including the bare 32-digit form, is
/// hashed with UUIDv5 over its exact UTF-8 bytes, so `Abc` and `abc` are different ids.
pub fn rule_guid(id: &str) -> (Uuid, NameSource) {
    let unbraced = id.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')).unwrap_or(id);
    if is_hyphenated_guid(unbraced)
        && let Ok(uuid) = Uuid::try_parse(unbraced)
    {
        return (uuid, NameSource::Guid);
    }
    (Uuid::new_v5(&PALISADE_NAMESPACE, id.as_bytes()), NameSource::Derived)
}

/// The rule GUID as the lower-case hyphenated text used in names and the manifest.
pub fn rule_guid_text(id: &str) -> String {
    rule_guid(id).0.hyphenated().to_string()
}

fn is_hyphenated_guid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(idx, byte)| match idx {
            8 | 13 | 18 | 23 => *byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_is_derived_from_its_source_text() {
        let derived = Uuid::new_v5(&Uuid::NAMESPACE_URL, PALISADE_NAMESPACE_SOURCE.as_bytes());
        assert_eq!(derived, PALISADE_NAMESPACE);
    }

    #[test]
    fn guid_ids_are_kept_in_lower_case() {
        let (uuid, source) = rule_guid("6D263ABB-6445-45cc-93e9-C593D3D77B89");
        assert_eq!(source, NameSource::Guid);
        assert_eq!(uuid.to_string(), "6d263abb-6445-45cc-93e9-c593d3d77b89");
        assert_eq!(
            rule_guid_text("6d263abb-6445-45cc-93e9-c593d3d77b89"),
            "6d263abb-6445-45cc-93e9-c593d3d77b89"
        );
    }

    #[test]
    fn other_ids_are_hashed_deterministically() {
        let first = rule_guid_text("impossible-travel");
        assert_eq!(first, rule_guid_text("impossible-travel"));
        assert_eq!(rule_guid("impossible-travel").1, NameSource::Derived);
        assert_ne!(first, rule_guid_text("Impossible-travel"));
        let (uuid, _) = rule_guid("impossible-travel");
        assert_eq!(uuid.get_version_num(), 5);
    }

    #[test]
    fn braced_guids_name_the_same_rule_as_the_bare_guid() {
        for braced in
            ["{6d263abb-6445-45cc-93e9-c593d3d77b89}", "{6D263ABB-6445-45CC-93E9-C593D3D77B89}"]
        {
            assert_eq!(rule_guid(braced).1, NameSource::Guid, "{braced}");
            assert_eq!(rule_guid_text(braced), "6d263abb-6445-45cc-93e9-c593d3d77b89");
        }
    }

    #[test]
    fn other_guid_like_forms_are_hashed_not_reinterpreted() {
        for id in [
            "{6d263abb-6445-45cc-93e9-c593d3d77b89",
            "6d263abb-6445-45cc-93e9-c593d3d77b89}",
            "{{6d263abb-6445-45cc-93e9-c593d3d77b89}}",
            "{6d263abb644545cc93e9c593d3d77b89}",
            "urn:uuid:6d263abb-6445-45cc-93e9-c593d3d77b89",
        ] {
            assert_eq!(rule_guid(id).1, NameSource::Derived, "{id}");
        }
        assert_eq!(rule_guid("6d263abb644545cc93e9c593d3d77b89").1, NameSource::Derived);
        assert_eq!(rule_guid("6d263abb-6445-45cc-93e9-c593d3d77b8z").1, NameSource::Derived);
    }
}
