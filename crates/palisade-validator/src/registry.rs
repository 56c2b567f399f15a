//! The registry of spec diagnostic codes: code, kebab-case name, one-line summary, default
//! severity and user documentation. `palisade explain` and `docs/lints/` read it.

use palisade_diagnostics::{Code, Severity};
use palisade_spec::codes;

/// What the registry knows about one code.
#[derive(Clone, Copy, Debug)]
pub struct CodeInfo {
    /// The code, such as `SPEC001`.
    pub code: Code,
    /// A kebab-case name of the flagged pattern.
    pub name: &'static str,
    /// One line saying what the code flags.
    pub summary: &'static str,
    /// The severity the code is reported with.
    pub severity: Severity,
    /// User documentation in Markdown, under `## What it flags` and `## Why it matters`.
    pub docs: &'static str,
}

macro_rules! info {
    ($code:expr, $name:literal, $severity:ident, $summary:literal, $docs:literal) => {
        CodeInfo {
            code: $code,
            name: $name,
            summary: $summary,
            severity: Severity::$severity,
            docs: $docs,
        }
    };
}

/// Every spec code, ascending.
#[rustfmt::skip]
pub const REGISTRY: &[CodeInfo] = &[
    info!(
        codes::INVALID_YAML,
        "invalid-yaml",
        Error,
        "The file is not well-formed YAML",
        "## What it flags\n\
         A YAML syntax error, at the line and column where the parser stopped.\n\
         \n\
         ## Why it matters\n\
         Nothing else in the file can be checked or compiled.\n"
    ),
    info!(
        codes::DUPLICATE_KEY,
        "duplicate-key",
        Error,
        "A mapping has the same key twice",
        "## What it flags\n\
         A key written twice in one mapping, such as two `query:` lines.\n\
         \n\
         ## Why it matters\n\
         YAML readers disagree on which value wins; Palisade keeps the first, another tool \
         may keep the second.\n"
    ),
    info!(
        codes::MULTIPLE_DOCUMENTS,
        "multiple-documents",
        Error,
        "The file holds more than one YAML document",
        "## What it flags\n\
         A second document after `---`.\n\
         \n\
         ## Why it matters\n\
         One spec file describes one detection; later documents would be ignored.\n"
    ),
    info!(
        codes::UNSUPPORTED_YAML,
        "unsupported-yaml",
        Error,
        "The YAML uses a feature Palisade does not read",
        "## What it flags\n\
         A mapping or list used as a key, an alias to an unknown anchor, nesting deeper than \
         128 levels, or aliases expanding to more than a million nodes.\n\
         \n\
         ## Why it matters\n\
         Such documents are not specs, and the limits keep hostile input from exhausting \
         memory.\n"
    ),
    info!(
        codes::EMPTY_FILE,
        "empty-file",
        Error,
        "The file is empty",
        "## What it flags\n\
         A `.yaml` file with no document: empty, whitespace or comments only.\n\
         \n\
         ## Why it matters\n\
         An empty spec is usually a mistake in a commit.\n"
    ),
    info!(
        codes::NOT_UTF8,
        "not-utf8",
        Error,
        "The file is not valid UTF-8",
        "## What it flags\n\
         Bytes that are not UTF-8, with the offset of the first one.\n\
         \n\
         ## Why it matters\n\
         Sentinel content is UTF-8; other encodings change the text of names and queries.\n"
    ),
    info!(
        codes::FILE_TOO_LARGE,
        "file-too-large",
        Error,
        "The file is larger than 1 MiB",
        "## What it flags\n\
         A spec file over 1 MiB (1,048,576 bytes).\n\
         \n\
         ## Why it matters\n\
         A query is at most 10,000 characters; a file this large is not a spec and is not \
         read.\n"
    ),
    info!(
        codes::NOT_A_MAPPING,
        "not-a-mapping",
        Error,
        "The document is not a mapping of fields",
        "## What it flags\n\
         A document whose top level is a list or a single value.\n\
         \n\
         ## Why it matters\n\
         A spec is a mapping with keys such as `id`, `name` and `query`.\n"
    ),
    info!(
        codes::SKIPPED_FILE,
        "skipped-file",
        Note,
        "The YAML file is not a detection spec",
        "## What it flags\n\
         ASIM parsers and functions, Sigma rules, PascalCase `sentinel-as-code` rules, \
         Exploration Queries, moved stubs, and YAML without `id`, `name` or `query`.\n\
         \n\
         ## Why it matters\n\
         They are reported so that a folder walk says what it did not compile.\n"
    ),
    info!(
        codes::SCHEMA_VIOLATION,
        "schema-violation",
        Error,
        "A value breaks a rule of the JSON Schema",
        "## What it flags\n\
         A value too long, a list too long or empty, or text not of the required form \
         (technique ids, versions, column names).\n\
         \n\
         ## Why it matters\n\
         Sentinel or its CI rejects such values.\n"
    ),
    info!(
        codes::MISSING_FIELD,
        "missing-field",
        Error,
        "A required field is missing or empty",
        "## What it flags\n\
         A missing `id`, `name` or `query`; for scheduled rules a missing schedule or \
         trigger; required keys of nested blocks.\n\
         \n\
         ## Why it matters\n\
         The rule cannot be deployed without them.\n"
    ),
    info!(
        codes::WRONG_TYPE,
        "wrong-type",
        Error,
        "A field has the wrong type",
        "## What it flags\n\
         A list where text belongs, text where a number or boolean belongs, and similar.\n\
         \n\
         ## Why it matters\n\
         The value cannot be converted to what ARM expects.\n"
    ),
    info!(
        codes::INVALID_VALUE,
        "invalid-value",
        Error,
        "A field has a value outside its allowed set",
        "## What it flags\n\
         An unknown `severity`, `kind`, `triggerOperator`, entity type or similar, with the \
         allowed values.\n\
         \n\
         ## Why it matters\n\
         Sentinel rejects values outside its enums.\n"
    ),
    info!(
        codes::UNKNOWN_KEY,
        "unknown-key",
        Warning,
        "A top-level key is not a known field",
        "## What it flags\n\
         A top-level key that no spec field has, with the nearest known key when one is close \
         (`severty` -> `severity`).\n\
         \n\
         ## Why it matters\n\
         Sentinel ignores unknown keys, so a misspelt field silently has no effect.\n"
    ),
    info!(
        codes::INVALID_DURATION,
        "invalid-duration",
        Error,
        "A duration cannot be read",
        "## What it flags\n\
         `PT1D`, months or years, zero, negative values, fractions, upper-case shorthand such \
         as `5M`, and text that is no duration.\n\
         \n\
         ## Why it matters\n\
         The ARM template needs an exact ISO 8601 duration.\n\
         \n\
         ## Instead\n\
         Write `5m`, `1h`, `14d`, or ISO 8601 such as `PT1H30M` and `P2DT1H`.\n"
    ),
    info!(
        codes::LEGACY_TIMESPAN,
        "legacy-timespan",
        Warning,
        "A duration is written as .NET TimeSpan text",
        "## What it flags\n\
         `01:00:00`, `1.00:00:00`, or a bare number (which means days).\n\
         \n\
         ## Why it matters\n\
         Azure-Sentinel's CI reads this form, but a bare `5` meaning five days is easy to \
         misread.\n"
    ),
    info!(
        codes::EMPTY_LIST_ITEM,
        "empty-list-item",
        Warning,
        "A list of names has an empty entry",
        "## What it flags\n\
         A `-` with nothing after it in `tactics` or `relevantTechniques`.\n\
         \n\
         ## Why it matters\n\
         The entry is left out of the output; it is usually a leftover of an edit.\n"
    ),
    info!(
        codes::CASE_MISMATCH,
        "case-mismatch",
        Warning,
        "A key or value differs from the known spelling only in case",
        "## What it flags\n\
         A key such as `datatypes` for `dataTypes`, or a value such as `Url` for the entity \
         type `URL`.\n\
         \n\
         ## Why it matters\n\
         Palisade and Azure-Sentinel's CI read it case-insensitively and Palisade emits the \
         known spelling, but tools that match exactly do not.\n"
    ),
    info!(
        codes::SCHEDULE_OUT_OF_RANGE,
        "schedule-out-of-range",
        Error,
        "`queryFrequency` or `queryPeriod` is outside 5m to 14d",
        "## What it flags\n\
         A scheduled rule that runs or looks back less than 5 minutes or more than 14 days.\n\
         \n\
         ## Why it matters\n\
         Sentinel rejects the rule.\n"
    ),
    info!(
        codes::PERIOD_SHORTER_THAN_FREQUENCY,
        "period-shorter-than-frequency",
        Error,
        "`queryPeriod` is shorter than `queryFrequency`",
        "## What it flags\n\
         A rule that looks back less far than the time between two runs.\n\
         \n\
         ## Why it matters\n\
         Events between runs would never be queried, and Sentinel rejects the rule.\n"
    ),
    info!(
        codes::LONG_PERIOD_NEEDS_HOURLY_FREQUENCY,
        "long-period-needs-hourly-frequency",
        Error,
        "A `queryPeriod` of 2 days or more runs more often than hourly",
        "## What it flags\n\
         `queryPeriod` of `2d` or more with `queryFrequency` under `1h`.\n\
         \n\
         ## Why it matters\n\
         Sentinel and its CI reject the combination.\n"
    ),
    info!(
        codes::THRESHOLD_OUT_OF_RANGE,
        "threshold-out-of-range",
        Error,
        "`triggerThreshold` is outside 0 to 10000",
        "## What it flags\n\
         A negative threshold or one above 10,000.\n\
         \n\
         ## Why it matters\n\
         Azure-Sentinel's CI rejects it.\n"
    ),
    info!(
        codes::UNKNOWN_TACTIC,
        "unknown-tactic",
        Error,
        "A tactic name is not one Sentinel accepts",
        "## What it flags\n\
         A tactic outside the 16 Sentinel accepts, with the closest name (`Evasion` -> \
         `DefenseEvasion`).\n\
         \n\
         ## Why it matters\n\
         The deployment fails on an unknown tactic.\n"
    ),
    info!(
        codes::PREATTACK_TACTIC,
        "preattack-tactic",
        Warning,
        "The `PreAttack` tactic is deprecated",
        "## What it flags\n\
         The tactic `PreAttack`.\n\
         \n\
         ## Why it matters\n\
         ARM still accepts it, but ATT&CK replaced it with `Reconnaissance` and \
         `ResourceDevelopment`, and newer CI rejects it.\n"
    ),
    info!(
        codes::DUPLICATE_ID,
        "duplicate-id",
        Error,
        "Two spec files have the same `id`",
        "## What it flags\n\
         An `id` used by more than one file, naming both files.\n\
         \n\
         ## Why it matters\n\
         Both files would deploy to the same rule, and the last one deployed wins.\n"
    ),
    info!(
        codes::TACTIC_SPELLING,
        "tactic-spelling",
        Warning,
        "A tactic is written with spaces or in another case",
        "## What it flags\n\
         A known tactic written as `Initial Access` or `initialaccess`.\n\
         \n\
         ## Why it matters\n\
         Palisade emits the canonical name, but Azure-Sentinel's CI and other tools expect it \
         as written there.\n"
    ),
];

/// The documentation page of a code, as kept in `docs/lints/<CODE>.md`.
pub fn docs_page(info: &CodeInfo) -> String {
    let mut body = String::new();
    for line in info.docs.lines() {
        body.push_str(line);
        body.push('\n');
        if line.starts_with("## ") {
            body.push('\n');
        }
    }
    format!(
        "# {}: {}\n\n{}.\n\nSeverity: {}.\n\n{body}",
        info.code, info.name, info.summary, info.severity
    )
}

/// The registry entry for `code`.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    REGISTRY.iter().find(|info| info.code.as_str().eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn codes_are_unique_well_formed_and_ascending() {
        for pair in REGISTRY.windows(2) {
            assert!(pair[0].code < pair[1].code, "{} then {}", pair[0].code, pair[1].code);
        }
        for info in REGISTRY {
            assert!(info.code.is_well_formed(), "{}", info.code);
            assert_eq!(info.code.family(), "SPEC");
        }
    }

    #[test]
    fn names_are_unique_kebab_case() {
        let mut seen = HashSet::new();
        for info in REGISTRY {
            assert!(seen.insert(info.name), "{} twice", info.name);
            let kebab = info.name.split('-').all(|part| {
                !part.is_empty()
                    && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
            assert!(kebab, "{}", info.name);
        }
    }

    #[test]
    fn docs_have_the_required_headings_and_summaries_are_one_line() {
        for info in REGISTRY {
            assert!(info.docs.contains("## What it flags\n"), "{}", info.code);
            assert!(info.docs.contains("## Why it matters\n"), "{}", info.code);
            assert!(!info.summary.contains('\n') && !info.summary.ends_with('.'), "{}", info.code);
        }
    }

    /// `docs/lints/` holds one page per code, generated from the registry; run with
    /// `PALISADE_UPDATE_DOCS=1` to rewrite the pages after changing the registry.
    #[test]
    fn docs_pages_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/lints");
        let update = std::env::var_os("PALISADE_UPDATE_DOCS").is_some();
        for info in REGISTRY {
            let path = dir.join(format!("{}.md", info.code));
            let expected = docs_page(info);
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &expected).unwrap();
                continue;
            }
            let found = std::fs::read_to_string(&path).unwrap_or_default();
            assert_eq!(
                found,
                expected,
                "{} is stale; run with PALISADE_UPDATE_DOCS=1",
                path.display()
            );
        }
    }

    #[test]
    fn every_spec_code_is_registered() {
        let registered: Vec<Code> = REGISTRY.iter().map(|info| info.code).collect();
        let mut defined = codes::ALL.to_vec();
        defined.sort();
        assert_eq!(registered, defined);
        assert_eq!(lookup("spec014").map(|info| info.name), Some("unknown-key"));
    }
}
