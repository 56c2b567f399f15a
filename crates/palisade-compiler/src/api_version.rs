//! Choosing the `Microsoft.SecurityInsights` API version of an analytics rule.
//!
//! Stable versions have neither NRT rules, `subTechniques` nor `sentinelEntitiesMappings`, so
//! a rule that uses one of them needs a preview version. Without a pin we take the newest
//! stable version, or the newest preview one when a feature needs it. A pinned version is
//! used as written, but only if it is one whose published schema Palisade's output is checked
//! against ([`SUPPORTED`]) and it has every feature the rule uses. Other versions have
//! other property sets, and Palisade cannot check its output against them.

use palisade_diagnostics::{Diagnostic, Span};
use palisade_spec::Spanned;

use crate::codes;

/// The default for rules that need no preview feature.
pub const STABLE_DEFAULT: &str = "2025-09-01";

/// The default for rules that do.
pub const PREVIEW_DEFAULT: &str = "2025-07-01-preview";

/// Stable versions with published schemas, plus the newest REST version.
pub const KNOWN_STABLE: &[&str] = &[
    "2020-01-01",
    "2021-04-01",
    "2021-10-01",
    "2022-08-01",
    "2022-11-01",
    "2023-02-01",
    "2023-11-01",
    "2024-03-01",
    "2024-09-01",
    "2025-03-01",
    "2025-06-01",
    "2025-09-01",
    "2025-12-01",
];

/// The versions Palisade writes analytics rules for: the newest published stable schema, the
/// REST version whose Scheduled properties equal it, and the newest published preview schema.
pub const SUPPORTED: &[&str] = &[STABLE_DEFAULT, "2025-12-01", PREVIEW_DEFAULT];

/// A property or kind that only preview API versions accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    /// `kind: NRT`.
    Nrt,
    /// `subTechniques`, filled from `relevantTechniques` such as `T1078.004`.
    SubTechniques,
    /// `sentinelEntitiesMappings`.
    SentinelEntitiesMappings,
    /// `alertDynamicProperties` with `alertProperty: SubTechniques`.
    SubTechniquesAlertProperty,
}

impl Feature {
    /// How the feature is named in messages.
    pub const fn describe(self) -> &'static str {
        match self {
            Feature::Nrt => "`kind: NRT`",
            Feature::SubTechniques => {
                "`subTechniques` (from sub-technique ids in `relevantTechniques`)"
            }
            Feature::SentinelEntitiesMappings => "`sentinelEntitiesMappings`",
            Feature::SubTechniquesAlertProperty => {
                "the `SubTechniques` alert property in `alertDynamicProperties`"
            }
        }
    }

    /// The first preview version whose published schema has the feature.
    pub const fn first_preview(self) -> &'static str {
        match self {
            Feature::Nrt => "2021-09-01-preview",
            Feature::SentinelEntitiesMappings => "2022-10-01-preview",
            Feature::SubTechniques | Feature::SubTechniquesAlertProperty => "2023-12-01-preview",
        }
    }
}

/// A feature a rule uses, and where.
#[derive(Clone, Copy, Debug)]
pub struct FeatureUse {
    /// The feature.
    pub feature: Feature,
    /// Where the spec asks for it.
    pub span: Span,
}

/// Picks the API version, or explains why the pinned one cannot work.
pub fn choose(
    pinned: Option<&Spanned<String>>,
    uses: &[FeatureUse],
) -> Result<String, Vec<Diagnostic>> {
    let Some(pinned) = pinned else {
        let version = if uses.is_empty() { STABLE_DEFAULT } else { PREVIEW_DEFAULT };
        return Ok(version.to_owned());
    };

    let version = pinned.value.as_str();
    let Some((date, preview)) = parse(version) else {
        return Err(vec![unknown_version(
            pinned,
            "it is not written `YYYY-MM-DD` or `YYYY-MM-DD-preview`",
        )]);
    };
    if !preview && !KNOWN_STABLE.contains(&version) {
        return Err(vec![unknown_version(
            pinned,
            "no stable API version of that date is published",
        )]);
    }

    if !SUPPORTED.contains(&version) {
        return Err(vec![unsupported_version(pinned)]);
    }

    let mut diagnostics = Vec::new();
    for used in uses {
        let lacks = !preview || date < &used.feature.first_preview()[..10];
        if lacks {
            diagnostics.push(lacks_feature(pinned, *used));
        }
    }
    if diagnostics.is_empty() { Ok(version.to_owned()) } else { Err(diagnostics) }
}

/// Splits `YYYY-MM-DD[-preview]` into the date and whether it is a preview.
fn parse(version: &str) -> Option<(&str, bool)> {
    let (date, preview) = match version.strip_suffix("-preview") {
        Some(date) => (date, true),
        None => (version, false),
    };
    let bytes = date.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(idx, byte)| match idx {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    shaped.then_some((date, preview))
}

fn unknown_version(pinned: &Spanned<String>, why: &str) -> Diagnostic {
    Diagnostic::error(
        codes::UNKNOWN_API_VERSION,
        format!("`apiVersion` `{}` is not a known Microsoft.SecurityInsights API version", pinned.value),
        pinned.span,
    )
    .with_label("unknown version")
    .with_note(format!("Palisade cannot tell which properties it accepts: {why}"))
    .with_help(format!(
        "remove `apiVersion` to let Palisade choose, or pin `{STABLE_DEFAULT}` or `{PREVIEW_DEFAULT}`"
    ))
}

fn unsupported_version(pinned: &Spanned<String>) -> Diagnostic {
    Diagnostic::error(
        codes::UNSUPPORTED_API_VERSION,
        format!("`apiVersion` `{}` is not a version Palisade writes alert rules for", pinned.value),
        pinned.span,
    )
    .with_label("unsupported version")
    .with_note(format!(
        "Palisade's output is checked against the schemas of {} only; other versions have \
         other properties, so Azure could reject the template or drop what it does not know",
        quoted_list(SUPPORTED)
    ))
    .with_help(format!(
        "remove `apiVersion` to let Palisade choose, or pin one of {}",
        quoted_list(SUPPORTED)
    ))
}

/// `` `a`, `b` and `c` ``.
fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("`{item}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

fn lacks_feature(pinned: &Spanned<String>, used: FeatureUse) -> Diagnostic {
    let feature = used.feature;
    Diagnostic::error(
        codes::API_VERSION_LACKS_FEATURE,
        format!("`apiVersion` `{}` does not support {}", pinned.value, feature.describe()),
        pinned.span,
    )
    .with_label("pinned here")
    .with_secondary(used.span, "feature used here")
    .with_note(format!(
        "stable API versions have no such property, and previews have it from `{}` on; \
         Azure would reject or drop it",
        feature.first_preview()
    ))
    .with_help(format!("pin `{PREVIEW_DEFAULT}`, remove `apiVersion`, or stop using the feature"))
}

#[cfg(test)]
mod tests {
    use palisade_diagnostics::FileId;

    use super::*;

    fn pin(text: &str) -> Spanned<String> {
        Spanned::new(text.to_owned(), Span::new(FileId(0), 1, 2))
    }

    fn uses(feature: Feature) -> Vec<FeatureUse> {
        vec![FeatureUse { feature, span: Span::new(FileId(0), 5, 6) }]
    }

    #[test]
    fn defaults_to_stable_then_preview() {
        assert_eq!(choose(None, &[]).unwrap(), STABLE_DEFAULT);
        assert_eq!(choose(None, &uses(Feature::Nrt)).unwrap(), PREVIEW_DEFAULT);
    }

    #[test]
    fn pinned_stable_without_feature_is_kept() {
        assert_eq!(choose(Some(&pin("2025-12-01")), &[]).unwrap(), "2025-12-01");
        assert_eq!(choose(Some(&pin("2025-07-01-preview")), &[]).unwrap(), "2025-07-01-preview");
        let nrt = choose(Some(&pin("2025-07-01-preview")), &uses(Feature::Nrt));
        assert_eq!(nrt.unwrap(), "2025-07-01-preview");
    }

    #[test]
    fn older_published_versions_are_unsupported() {
        for text in ["2020-01-01", "2023-11-01", "2024-01-01-preview", "2022-10-01-preview"] {
            let diagnostics = choose(Some(&pin(text)), &[]).unwrap_err();
            assert_eq!(diagnostics.len(), 1, "{text}");
            assert_eq!(diagnostics[0].code, codes::UNSUPPORTED_API_VERSION, "{text}");
            let note = &diagnostics[0].notes[0];
            assert!(note.contains("`2025-09-01`, `2025-12-01` and `2025-07-01-preview`"), "{note}");
        }
    }

    #[test]
    fn pinned_stable_with_preview_feature_names_the_feature() {
        let diagnostics =
            choose(Some(&pin("2025-09-01")), &uses(Feature::SubTechniques)).unwrap_err();
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, codes::API_VERSION_LACKS_FEATURE);
        assert!(diagnostics[0].message.contains("`subTechniques`"), "{}", diagnostics[0].message);
        assert_eq!(diagnostics[0].secondary.len(), 1);
    }

    #[test]
    fn pinned_preview_older_than_feature_is_rejected() {
        let old = choose(Some(&pin("2022-10-01-preview")), &uses(Feature::SubTechniques));
        assert_eq!(old.unwrap_err()[0].code, codes::UNSUPPORTED_API_VERSION);
    }

    #[test]
    fn malformed_or_unpublished_versions_are_unknown() {
        for text in ["latest", "2025-9-01", "2019-01-01", "2025-09-01-beta"] {
            let diagnostics = choose(Some(&pin(text)), &[]).unwrap_err();
            assert_eq!(diagnostics[0].code, codes::UNKNOWN_API_VERSION, "{text}");
        }
    }
}
