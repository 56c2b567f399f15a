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

impl CodeInfo {
    /// An entry for the registry tables, with the code written out (`"IOC001"`).
    pub const fn new(
        code: &'static str,
        name: &'static str,
        severity: Severity,
        summary: &'static str,
        docs: &'static str,
    ) -> CodeInfo {
        CodeInfo { code: Code::new(code), name, summary, severity, docs }
    }
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

/// The codes a `palisade.allow` entry cannot silence: findings that mean Sentinel or its API
/// rejects the rule (a hard limit, a value outside an enum, an invalid entity identifier), so
/// the deployment fails whether or not the finding is shown.
pub const UNSILENCEABLE: &[Code] = &[
    codes::INVALID_VALUE,
    codes::SCHEDULE_OUT_OF_RANGE,
    codes::PERIOD_SHORTER_THAN_FREQUENCY,
    codes::LONG_PERIOD_NEEDS_HOURLY_FREQUENCY,
    codes::THRESHOLD_OUT_OF_RANGE,
    codes::UNKNOWN_TACTIC,
    codes::NAME_TOO_LONG,
    codes::DESCRIPTION_TOO_LONG,
    codes::QUERY_LENGTH,
    codes::SUPPRESSION_TOO_LONG,
    codes::ENTITY_MAPPING_COUNT,
    codes::UNKNOWN_IDENTIFIER,
    codes::MISSING_REQUIRED_IDENTIFIER,
    codes::CUSTOM_DETAILS_LIMIT,
    codes::ALERT_FORMAT_LENGTH,
    codes::TOO_MANY_PLACEHOLDERS,
    codes::UNKNOWN_ALERT_PROPERTY,
    codes::GROUPING_LOOKBACK_RANGE,
    codes::SELECTED_WITHOUT_GROUP_BY,
    codes::INVALID_GROUP_BY_ALERT_DETAIL,
];

/// Whether a `palisade.allow` entry cannot silence `code` (see [`UNSILENCEABLE`]).
pub fn is_unsilenceable(code: Code) -> bool {
    UNSILENCEABLE.contains(&code)
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
         A file with several YAML documents (separated by `---` lines) when any of them looks \
         like a detection or an exclusion. The error points at the `---` that starts the \
         second document, and none of the documents is checked. A `---` with nothing after it \
         (at the start or the end of a file) does not count. When no document looks like a \
         detection (Kubernetes manifests, for example), the file is skipped with `SPEC009` \
         instead.\n\
         \n\
         ## Why it matters\n\
         One spec file describes one detection; checking or compiling only the first document \
         would silently leave the others out.\n\
         \n\
         ## Instead\n\
         Move each document into a `.yaml` file of its own.\n"
    ),
    info!(
        codes::UNSUPPORTED_YAML,
        "unsupported-yaml",
        Error,
        "The YAML uses a feature Palisade does not read",
        "## What it flags\n\
         A mapping or list used as a key, an alias to an unknown anchor, a merge key (`<<`) \
         whose value is not a mapping or a list of mappings, nesting deeper than 128 levels, \
         or aliases expanding to more than a million nodes or 32 MiB of text.\n\
         \n\
         ## Why it matters\n\
         Such documents are not specs, and the limits keep hostile input from exhausting \
         memory.\n\
         \n\
         ## Instead\n\
         Use text keys; define each anchor (`&name`) before its aliases (`*name`), or write \
         the values out; keep the nesting shallow (a spec needs fewer than ten levels).\n"
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
         A spec or query file that is not UTF-8. UTF-16 (LE or BE, what Windows tools call \
         \"Unicode\") and UTF-32 are named, told by their byte order mark or, without one, \
         by the NUL bytes of mostly-ASCII text. Other bytes that are not UTF-8 are reported \
         with the offset of the first one. A UTF-8 byte order mark is fine. A spec file with \
         any other NUL byte (a `.kql` query file too, and anywhere in the file, a comment \
         included) is binary, not text, and is reported as such at that byte; nothing after it \
         is dropped silently. Other control characters are `SPEC020`.\n\
         \n\
         ## Why it matters\n\
         Sentinel content is UTF-8; other encodings change the text of names and queries, \
         and nothing else in the file is checked.\n\
         \n\
         ## Instead\n\
         Save the file as UTF-8, for example with `iconv -f UTF-16LE -t UTF-8`.\n"
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
         A YAML file with none of the fields that make a detection (`query`, `severity`, \
         `queryFrequency`, `tactics`, `entityMappings`, `iocs` and the other Azure-Sentinel \
         and IOC fields; also in another letter case or one typo away). The note says what \
         the file looks like and from which keys: an ASIM parser or function, a Sigma rule, \
         a PascalCase `sentinel-as-code` rule, an Exploration Query, a stub with only `id` \
         and a few identity fields (a moved stub when its description says so), a GitHub \
         Actions workflow or action, a Dependabot configuration, a Docker Compose file, a \
         Kubernetes manifest, an OpenAPI description, a CI pipeline, an Ansible playbook, a \
         list, or YAML of another kind. A file with several documents none of which looks \
         like a detection is skipped the same way.\n\
         \n\
         A file that has a detection field but lacks `id`, `name` or `query` is not skipped: \
         it is a detection with errors (`SPEC011`).\n\
         \n\
         ## Why it matters\n\
         They are reported so that a folder walk says what it did not check or compile.\n"
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
         A missing `id`, `name` or `query`; for analytics rules a missing `description` or \
         `severity`, and for scheduled rules a missing schedule or trigger; required keys of \
         nested blocks. A value that is empty or only spaces (`name: \"\"`, \
         `description: \"  \"`) counts as missing. A hunting query may leave its \
         description out; a blank one is left out of the build.\n\
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
         as `5M`, lower-case ISO 8601 such as `pt1h` (its letters are upper-case: `PT1H`), and \
         text that is no duration.\n\
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
         type `URL` or `medium` for the severity `Medium`. `kind: scheduled` is not flagged: \
         Microsoft's docs write it so.\n\
         \n\
         ## Why it matters\n\
         Palisade and Azure-Sentinel's CI read it case-insensitively and Palisade emits the \
         known spelling, but tools that match exactly do not.\n"
    ),
    info!(
        codes::TOO_MANY_FINDINGS,
        "too-many-findings",
        Note,
        "A file has more findings than are shown per file",
        "## What it flags\n\
         A file with more findings than `--max-per-file` (100 by default). The most severe \
         ones are shown, and this note, at the start of the file, counts the rest by \
         severity.\n\
         \n\
         ## Why it matters\n\
         A small file can produce a finding per token, such as a query of a thousand \
         misspelt columns; printing them all would bury everything else in the run. The exit \
         code still counts every finding.\n\
         \n\
         ## Instead\n\
         Fix the findings shown and run again, or pass `--max-per-file 0` to see them all.\n"
    ),
    info!(
        codes::CONTROL_CHARACTER,
        "control-character",
        Error,
        "The file holds a control character that YAML does not allow",
        "## What it flags\n\
         A spec or `.kql` query file holding a character outside YAML 1.2's printable set: a \
         C0 control character other than tab, line feed and carriage return (such as U+0001, \
         U+001B escape or U+000C form feed), U+007F delete, a C1 control character other than \
         U+0085, or U+FFFE/U+FFFF. The error is at the first such character. A NUL byte is \
         `SPEC006` (a binary file).\n\
         \n\
         ## Why it matters\n\
         YAML does not allow these characters, and readers disagree on what they do: some \
         reject the file, some cut the text at them, so the rule checked would not be the rule \
         deployed. Nothing else in the file is checked or built.\n\
         \n\
         ## Instead\n\
         Delete the character; where a query needs one, write it as an escape (`\\u0001`) in a \
         double-quoted YAML string or in a KQL string literal.\n"
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
         `DefenseEvasion`) when one is close. A technique id in `tactics` is pointed to \
         `relevantTechniques`.\n\
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
         An `id` used by more than one file, reported on each later file with the first as the \
         related location. A GUID is the same id in any letter case and with or without one \
         pair of braces (`{8B2C…}` and `8b2c…`); other ids are compared exactly, since \
         Palisade derives a different rule GUID from `Abc` than from `abc`.\n\
         \n\
         ## Why it matters\n\
         Both files would deploy to the same rule, and the last one deployed wins.\n\
         \n\
         ## Instead\n\
         Give one of them a new GUID.\n"
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
    info!(
        codes::NAME_TOO_LONG,
        "name-too-long",
        Error,
        "The rule name is over 256 characters",
        "## What it flags\n\
         An analytics rule whose `name` is longer than 256 characters (UTF-16 code units, as \
         .NET counts).\n\
         \n\
         ## Why it matters\n\
         Sentinel and Azure-Sentinel's CI reject the rule, so it never deploys.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         name: Suspicious sign-ins from many countries followed by ... (300 characters)\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         name: Sign-ins from many countries\n\
         description: Identifies accounts that ...\n\
         ```\n"
    ),
    info!(
        codes::NAME_LONGER_THAN_STYLE,
        "name-longer-than-style",
        Warning,
        "The rule name is over the style guide's 50 characters",
        "## What it flags\n\
         An analytics rule whose `name` is 51 to 256 characters long.\n\
         \n\
         ## Why it matters\n\
         The style guide asks for 50 or fewer; long names are cut off in the incident queue. \
         Sentinel itself accepts up to 256, so this is a warning.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         name: Detects suspicious sign-in activity from many different countries in one hour\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         name: Sign-ins from many countries in one hour\n\
         ```\n"
    ),
    info!(
        codes::DESCRIPTION_TOO_LONG,
        "description-too-long",
        Error,
        "The rule description is over 5,000 characters",
        "## What it flags\n\
         An analytics rule whose `description` is longer than 5,000 characters.\n\
         \n\
         ## Why it matters\n\
         Sentinel and Azure-Sentinel's CI reject the rule.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         description: (a pasted report of 6,000 characters)\n\
         ```\n\
         \n\
         ## Instead\n\
         description: Identifies ... See the linked write-up for the background.\n"
    ),
    info!(
        codes::TOO_MANY_TACTICS,
        "too-many-tactics",
        Warning,
        "More than 5 tactics are listed",
        "## What it flags\n\
         A detection that lists more than 5 tactics.\n\
         \n\
         ## Why it matters\n\
         The style guide asks for at most 5; a detection that claims many tactics tells an \
         analyst little.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         tactics: [InitialAccess, Execution, Persistence,\n\
         \x20\x20PrivilegeEscalation, DefenseEvasion, Discovery]\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         tactics: [InitialAccess, Execution]\n\
         ```\n"
    ),
    info!(
        codes::TOO_MANY_TECHNIQUES,
        "too-many-techniques",
        Warning,
        "More than 10 techniques are listed",
        "## What it flags\n\
         A detection that lists more than 10 `relevantTechniques`.\n\
         \n\
         ## Why it matters\n\
         The style guide asks for at most 10, for the same reason as for tactics.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         relevantTechniques: [T1078, T1110, T1098, ... 11 ids]\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         relevantTechniques: [T1078, T1110]\n\
         ```\n"
    ),
    info!(
        codes::QUERY_LENGTH,
        "query-length",
        Error,
        "The query has no KQL, or an analytics-rule query is over 10,000 characters",
        "## What it flags\n\
         Two cases, each with its own message. A `query` that is only `//` comments and \
         whitespace, in an analytics rule or a hunting query (a query with nothing at all \
         is `SPEC011`). And an analytics-rule query longer than 10,000 characters; hunting \
         queries become saved searches, which have no such limit.\n\
         \n\
         ## Why it matters\n\
         Sentinel rejects the rule; a hunting query without KQL has nothing to run.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         query: |\n\
         \x20\x20// SigninLogs\n\
         \x20\x20// | where ResultType != 0\n\
         ```\n\
         \n\
         ```yaml\n\
         query: |\n\
         \x20\x20(11,000 characters of KQL)\n\
         ```\n\
         \n\
         ## Instead\n\
         Write the query, or remove the `//` from the lines that should run. For a long \
         query, move shared logic into a saved function or a watchlist, and drop comments.\n"
    ),
    info!(
        codes::SUPPRESSION_TOO_LONG,
        "suppression-too-long",
        Error,
        "`suppressionDuration` is over 24 hours",
        "## What it flags\n\
         An analytics rule whose `suppressionDuration` is longer than 24 hours.\n\
         \n\
         ## Why it matters\n\
         Sentinel suppresses a rule for at most 24 hours; the deployment fails.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         suppressionEnabled: true\n\
         suppressionDuration: 2d\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         suppressionEnabled: true\n\
         suppressionDuration: 24h\n\
         ```\n"
    ),
    info!(
        codes::NRT_SCHEDULE_FIELD,
        "nrt-schedule-field",
        Warning,
        "An NRT rule has a schedule or trigger field",
        "## What it flags\n\
         `queryFrequency`, `queryPeriod`, `triggerOperator` or `triggerThreshold` on a rule \
         with `kind: NRT`.\n\
         \n\
         ## Why it matters\n\
         NRT rules run every minute over the previous minute and alert on any result, so the \
         field does nothing. `palisade build` leaves it out of the output; this is a warning \
         because the rule still deploys.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         kind: NRT\n\
         queryFrequency: 5m\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         kind: NRT\n\
         ```\n"
    ),
    info!(
        codes::ENTITY_MAPPING_COUNT,
        "entity-mapping-count",
        Error,
        "Entity mappings are outside 1 to 10, or field mappings outside 1 to 3",
        "## What it flags\n\
         `entityMappings: []`, more than 10 entity mappings, or a mapping with no or more \
         than 3 `fieldMappings`.\n\
         \n\
         ## Why it matters\n\
         Azure-Sentinel's CI and Sentinel reject the rule.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         entityMappings:\n\
         \x20\x20- entityType: Account\n\
         \x20\x20\x20\x20fieldMappings: []\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         entityMappings:\n\
         \x20\x20- entityType: Account\n\
         \x20\x20\x20\x20fieldMappings:\n\
         \x20\x20\x20\x20\x20\x20- identifier: FullName\n\
         \x20\x20\x20\x20\x20\x20\x20\x20columnName: UserPrincipalName\n\
         ```\n"
    ),
    info!(
        codes::IOT_DEVICE_NOT_IN_ARM,
        "iot-device-not-in-arm",
        Warning,
        "Entity type `IoTDevice` is not accepted by the ARM API",
        "## What it flags\n\
         An entity mapping with `entityType: IoTDevice`.\n\
         \n\
         ## Why it matters\n\
         Azure-Sentinel's CI accepts it, but ARM's `EntityMappingType` has no `IoTDevice`, so \
         an ARM or Bicep deployment fails.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         - entityType: IoTDevice\n\
         \x20\x20fieldMappings:\n\
         \x20\x20\x20\x20- identifier: DeviceId\n\
         \x20\x20\x20\x20\x20\x20columnName: DeviceId\n\
         ```\n\
         \n\
         ## Instead\n\
         Map the device as `Host` when deploying through ARM or Bicep.\n"
    ),
    info!(
        codes::DUPLICATE_IDENTIFIER,
        "duplicate-identifier",
        Error,
        "An identifier is mapped twice in one entity mapping",
        "## What it flags\n\
         Two `fieldMappings` with the same `identifier` in one entity mapping.\n\
         \n\
         ## Why it matters\n\
         Azure-Sentinel's CI rejects it, and only one of the columns would be used.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         fieldMappings:\n\
         \x20\x20- identifier: Address\n\
         \x20\x20\x20\x20columnName: SrcIp\n\
         \x20\x20- identifier: Address\n\
         \x20\x20\x20\x20columnName: DstIp\n\
         ```\n\
         \n\
         ## Instead\n\
         Write a second `IP` mapping for the second address.\n"
    ),
    info!(
        codes::IDENTIFIER_OUTSIDE_CI,
        "identifier-outside-ci",
        Warning,
        "An entity identifier from the guides is not in Azure-Sentinel's CI model",
        "## What it flags\n\
         An identifier that review guides mention but Azure-Sentinel's CI does not know, such \
         as `IP` `AddressScope`, `File` `AlternateDataStreamName` or `Process` `ImageFile`.\n\
         \n\
         ## Why it matters\n\
         A pull request to Azure-Sentinel fails its CI.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         - identifier: AddressScope\n\
         \x20\x20columnName: Scope\n\
         ```\n\
         \n\
         ## Instead\n\
         Map the identifiers the CI knows (`Address` for `IP`).\n"
    ),
    info!(
        codes::UNKNOWN_IDENTIFIER,
        "unknown-identifier",
        Error,
        "An identifier is not valid for its entity type",
        "## What it flags\n\
         An `identifier` that the entity type does not have, compared exactly (`HostName` is \
         not `Hostname`), with the nearest valid one.\n\
         \n\
         ## Why it matters\n\
         Sentinel and Azure-Sentinel's CI reject the mapping.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         - entityType: Host\n\
         \x20\x20fieldMappings:\n\
         \x20\x20\x20\x20- identifier: Hostname\n\
         \x20\x20\x20\x20\x20\x20columnName: Computer\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         - entityType: Host\n\
         \x20\x20fieldMappings:\n\
         \x20\x20\x20\x20- identifier: HostName\n\
         \x20\x20\x20\x20\x20\x20columnName: Computer\n\
         ```\n"
    ),
    info!(
        codes::MISSING_REQUIRED_IDENTIFIER,
        "missing-required-identifier",
        Error,
        "An entity mapping lacks every required identifier set",
        "## What it flags\n\
         An entity mapping that does not map one complete required set, such as a `Host` with \
         only `DnsDomain`, or a `FileHash` without both `Algorithm` and `Value`.\n\
         \n\
         ## Why it matters\n\
         Sentinel cannot build the entity from such a mapping, and Azure-Sentinel's CI \
         rejects it.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         - entityType: FileHash\n\
         \x20\x20fieldMappings:\n\
         \x20\x20\x20\x20- identifier: Value\n\
         \x20\x20\x20\x20\x20\x20columnName: SHA256\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         - entityType: FileHash\n\
         \x20\x20fieldMappings:\n\
         \x20\x20\x20\x20- identifier: Algorithm\n\
         \x20\x20\x20\x20\x20\x20columnName: HashAlgorithm\n\
         \x20\x20\x20\x20- identifier: Value\n\
         \x20\x20\x20\x20\x20\x20columnName: SHA256\n\
         ```\n"
    ),
    info!(
        codes::INVALID_COLUMN_NAME,
        "invalid-column-name",
        Error,
        "A mapped column name is not a valid column name",
        "## What it flags\n\
         A `columnName` in `entityMappings` or a `customDetails` value that is not a letter \
         or `_` followed by letters, digits and `_`, or is over 500 characters.\n\
         \n\
         ## Why it matters\n\
         Sentinel reads the value as a column of the query's output; anything else never \
         matches, and CI rejects it.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         columnName: Account Name\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         columnName: AccountName\n\
         ```\n"
    ),
    info!(
        codes::LEGACY_CUSTOM_ENTITY_UNMAPPED,
        "legacy-custom-entity-unmapped",
        Error,
        "The query names a `*CustomEntity` column no entity mapping uses",
        "## What it flags\n\
         A Scheduled rule whose query contains `AccountCustomEntity`, `HostCustomEntity`, \
         `IPCustomEntity`, `URLCustomEntity`, `ProcessCustomEntity` or `FileHashCustomEntity` \
         (case-sensitive, anywhere in the text, as Azure-Sentinel's CI searches), while no \
         `fieldMappings` `columnName` is exactly that name.\n\
         \n\
         ## Why it matters\n\
         These columns came from the old entity model; Azure-Sentinel's CI fails such a rule, \
         and the entity is lost.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         query: |\n\
         \x20\x20SigninLogs | extend IPCustomEntity = IPAddress\n\
         entityMappings:\n\
         \x20\x20- entityType: IP\n\
         \x20\x20\x20\x20fieldMappings:\n\
         \x20\x20\x20\x20\x20\x20- identifier: Address\n\
         \x20\x20\x20\x20\x20\x20\x20\x20columnName: IPAddress\n\
         ```\n\
         \n\
         ## Instead\n\
         Set `columnName: IPCustomEntity`, or remove the `extend`.\n"
    ),
    info!(
        codes::CUSTOM_DETAILS_LIMIT,
        "custom-details-limit",
        Error,
        "Custom details exceed 20 entries or a key is invalid",
        "## What it flags\n\
         More than 20 `customDetails`, or a key that is not a letter followed by letters, \
         digits and `_`, at most 20 characters.\n\
         \n\
         ## Why it matters\n\
         Sentinel and Azure-Sentinel's CI reject the rule.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         customDetails:\n\
         \x20\x20Target-Account: TargetUserName\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         customDetails:\n\
         \x20\x20TargetAccount: TargetUserName\n\
         ```\n"
    ),
    info!(
        codes::ALERT_FORMAT_LENGTH,
        "alert-format-length",
        Error,
        "An alert name or description format is blank or too long",
        "## What it flags\n\
         `alertDisplayNameFormat` blank or over 256 characters, or `alertDescriptionFormat` \
         blank or over 5,000.\n\
         \n\
         ## Why it matters\n\
         Sentinel and Azure-Sentinel's CI reject the rule.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         alertDetailsOverride:\n\
         \x20\x20alertDisplayNameFormat: ' '\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         alertDetailsOverride:\n\
         \x20\x20alertDisplayNameFormat: Sign-in from {{IPAddress}}\n\
         ```\n"
    ),
    info!(
        codes::TOO_MANY_PLACEHOLDERS,
        "too-many-placeholders",
        Error,
        "An alert format has more than 3 `{{column}}` placeholders",
        "## What it flags\n\
         An `alertDisplayNameFormat` or `alertDescriptionFormat` with more than 3 \
         placeholders, counted as Azure-Sentinel's CI counts them (the regex `{{([^{}]*)}}`).\n\
         \n\
         ## Why it matters\n\
         Sentinel substitutes at most 3, and CI rejects more.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         alertDisplayNameFormat: '{{User}} from {{IP}} on {{Host}} at {{Time}}'\n\
         ```\n\
         \n\
         ## Instead\n\
         Join columns in the query (`extend Where = strcat(IP, ' on ', Host)`) and use \
         `{{Where}}`.\n"
    ),
    info!(
        codes::MALFORMED_PLACEHOLDER,
        "malformed-placeholder",
        Error,
        "An alert format has unbalanced `{{` or `}}`",
        "## What it flags\n\
         A `{{` without its `}}` (or the reverse) in an alert format.\n\
         \n\
         ## Why it matters\n\
         The text is shown as written, braces and all, instead of the column's value.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         alertDisplayNameFormat: 'Sign-in from {{IPAddress'\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         alertDisplayNameFormat: 'Sign-in from {{IPAddress}}'\n\
         ```\n"
    ),
    info!(
        codes::PLACEHOLDER_WHITESPACE,
        "placeholder-whitespace",
        Warning,
        "A placeholder is empty or has whitespace inside its braces",
        "## What it flags\n\
         `{{}}` or `{{ IPAddress }}` in an alert format.\n\
         \n\
         ## Why it matters\n\
         Microsoft's documentation allows no whitespace inside the braces; the placeholder \
         may not be substituted.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         alertDisplayNameFormat: 'Sign-in from {{ IPAddress }}'\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         alertDisplayNameFormat: 'Sign-in from {{IPAddress}}'\n\
         ```\n"
    ),
    info!(
        codes::UNKNOWN_ALERT_PROPERTY,
        "unknown-alert-property",
        Error,
        "An `alertDynamicProperties` entry names an unknown alert property",
        "## What it flags\n\
         An `alertProperty` outside the stable API's list: AlertLink, ConfidenceLevel, \
         ConfidenceScore, ExtendedLinks, ProductName, ProviderName, ProductComponentName, \
         RemediationSteps, Techniques.\n\
         \n\
         ## Why it matters\n\
         The deployment fails.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         alertDynamicProperties:\n\
         \x20\x20- alertProperty: Product\n\
         \x20\x20\x20\x20value: ProductColumn\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         alertDynamicProperties:\n\
         \x20\x20- alertProperty: ProductName\n\
         \x20\x20\x20\x20value: ProductColumn\n\
         ```\n"
    ),
    info!(
        codes::GROUPING_LOOKBACK_RANGE,
        "grouping-lookback-range",
        Error,
        "The incident-grouping lookback is outside 5 minutes to 7 days",
        "## What it flags\n\
         `incidentConfiguration.groupingConfiguration.lookbackDuration` shorter than 5 \
         minutes or longer than 7 days.\n\
         \n\
         ## Why it matters\n\
         Sentinel rejects the rule.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         lookbackDuration: 14d\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         lookbackDuration: 7d\n\
         ```\n"
    ),
    info!(
        codes::SELECTED_WITHOUT_GROUP_BY,
        "selected-without-group-by",
        Error,
        "`matchingMethod: Selected` has nothing to group by",
        "## What it flags\n\
         `matchingMethod: Selected` with `groupByEntities`, `groupByAlertDetails` and \
         `groupByCustomDetails` all empty or absent.\n\
         \n\
         ## Why it matters\n\
         Sentinel rejects the rule.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         matchingMethod: Selected\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         matchingMethod: Selected\n\
         groupByEntities: [Account]\n\
         ```\n"
    ),
    info!(
        codes::GROUP_BY_UNMAPPED_ENTITY,
        "group-by-unmapped-entity",
        Error,
        "`groupByEntities` names an entity type the rule does not map",
        "## What it flags\n\
         An entity type in `groupByEntities` that no `entityMappings` entry of the rule has.\n\
         \n\
         ## Why it matters\n\
         Alerts carry only mapped entities, so the grouping never matches and every alert \
         opens its own incident.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         groupByEntities: [Host]   # but only Account is mapped\n\
         ```\n\
         \n\
         ## Instead\n\
         Map a `Host` entity, or group by `Account`.\n"
    ),
    info!(
        codes::GROUP_BY_UNKNOWN_CUSTOM_DETAIL,
        "group-by-unknown-custom-detail",
        Error,
        "`groupByCustomDetails` names a key the rule does not define",
        "## What it flags\n\
         A key in `groupByCustomDetails` that is not a key of the rule's `customDetails`.\n\
         \n\
         ## Why it matters\n\
         Grouping reads the alert's custom details by key; an unknown key never matches.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         groupByCustomDetails: [Target]   # customDetails has TargetAccount\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         groupByCustomDetails: [TargetAccount]\n\
         ```\n"
    ),
    info!(
        codes::INVALID_GROUP_BY_ALERT_DETAIL,
        "invalid-group-by-alert-detail",
        Error,
        "`groupByAlertDetails` has a value other than `DisplayName` or `Severity`",
        "## What it flags\n\
         A `groupByAlertDetails` item other than `DisplayName` or `Severity` (exact case).\n\
         \n\
         ## Why it matters\n\
         The deployment fails.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         groupByAlertDetails: [Name]\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         groupByAlertDetails: [DisplayName]\n\
         ```\n"
    ),
    info!(
        codes::INVALID_VERSION,
        "invalid-version",
        Error,
        "`version` is not `X.Y.Z` of at most 20 characters",
        "## What it flags\n\
         A `version` that is not three dot-separated numbers, or is longer than 20 \
         characters.\n\
         \n\
         ## Why it matters\n\
         Azure-Sentinel's CI rejects it, and Sentinel compares template versions as three \
         numbers.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         version: 1.0\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         version: 1.0.0\n\
         ```\n"
    ),
    info!(
        codes::INVALID_TECHNIQUE_ID,
        "invalid-technique-id",
        Error,
        "A technique id is not `T####` or `T####.###`",
        "## What it flags\n\
         An entry of `relevantTechniques` not of the form `T` and four digits, optionally `.` \
         and three (lower-case `t1078`, `T1078.4`, names).\n\
         \n\
         ## Why it matters\n\
         Sentinel and the ATT&CK views read only ids of that form.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         relevantTechniques: [t1078]\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         relevantTechniques: [T1078]\n\
         ```\n"
    ),
    info!(
        codes::UNKNOWN_TECHNIQUE,
        "unknown-technique",
        Error,
        "A technique id is not in ATT&CK",
        "## What it flags\n\
         A well-formed Enterprise technique id (`T1xxx`) that is not in the embedded ATT&CK \
         table (18.1). ICS ids (`T08xx`) are accepted by their format only, because the table \
         holds Enterprise techniques; that is a known limitation. Azure-Sentinel's CI uses \
         its own hand-maintained table and may also reject ids new to ATT&CK, which Palisade \
         cannot see.\n\
         \n\
         ## Why it matters\n\
         A mistyped id maps the rule to the wrong part of the ATT&CK matrix, or to nothing.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         relevantTechniques: [T1999]\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         relevantTechniques: [T1078]\n\
         ```\n"
    ),
    info!(
        codes::OUTDATED_TECHNIQUE,
        "outdated-technique",
        Warning,
        "A technique is revoked or deprecated in ATT&CK",
        "## What it flags\n\
         A technique that ATT&CK has revoked or deprecated, naming the technique that \
         replaces it when there is one.\n\
         \n\
         ## Why it matters\n\
         Coverage reports built on current ATT&CK do not count it.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         relevantTechniques: [T1086]   # PowerShell, revoked by T1059.001\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         relevantTechniques: [T1059.001]\n\
         ```\n"
    ),
    info!(
        codes::TECHNIQUE_TACTIC_MISMATCH,
        "technique-tactic-mismatch",
        Error,
        "A technique belongs to none of the listed tactics",
        "## What it flags\n\
         A technique none of whose ATT&CK tactics is in `tactics`. An error for Scheduled \
         analytics rules, which Azure-Sentinel's CI checks; a warning for NRT rules and \
         hunting queries, which it does not. Sub-techniques are looked up as themselves; CI \
         looks up the parent, whose tactics are the same.\n\
         \n\
         ## Why it matters\n\
         CI fails the rule (`No valid tactic corresponding to the technique`), and the ATT&CK \
         view places it wrongly.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         tactics: [Execution]\n\
         relevantTechniques: [T1078]\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         tactics: [InitialAccess, Persistence]\n\
         relevantTechniques: [T1078]\n\
         ```\n"
    ),
    info!(
        codes::ALLOW_WITHOUT_REASON,
        "allow-without-reason",
        Warning,
        "A silence has no reason",
        "## What it flags\n\
         A `palisade.allow` entry with no `reason`, or a blank one. The finding is still \
         silenced.\n\
         \n\
         ## Why it matters\n\
         A silence without a reason cannot be reviewed: nobody can tell a considered \
         exception from a hidden problem.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         palisade:\n\
         \x20\x20allow:\n\
         \x20\x20\x20\x20- code: SPEC110\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         palisade:\n\
         \x20\x20allow:\n\
         \x20\x20\x20\x20- code: SPEC110\n\
         \x20\x20\x20\x20\x20\x20reason: The name is the vendor's product name\n\
         ```\n"
    ),
    info!(
        codes::INVALID_ALLOW,
        "invalid-allow",
        Warning,
        "A `palisade.allow` entry is malformed",
        "## What it flags\n\
         A `palisade.allow` that is not a list, an entry without `code`, a `code` that is not \
         a code (letters and three digits), a code no check reports (the help names the \
         nearest one), an entry for a code an earlier entry already names (at the second), an \
         entry for one of the silence codes (SPEC141 to SPEC143), or an entry for a code whose \
         finding Sentinel or its API rejects (such as `SPEC109`, a name over 256 characters; \
         each such code's page says so): these cannot be silenced, and the finding stays.\n\
         \n\
         ## Why it matters\n\
         The entry silences nothing, which its author did not intend.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         palisade:\n\
         \x20\x20allow:\n\
         \x20\x20\x20\x20- SPEC110\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         palisade:\n\
         \x20\x20allow:\n\
         \x20\x20\x20\x20- code: SPEC110\n\
         \x20\x20\x20\x20\x20\x20reason: The name is the vendor's product name\n\
         ```\n"
    ),
    info!(
        codes::UNUSED_ALLOW,
        "unused-allow",
        Warning,
        "A silence matches no finding of the spec",
        "## What it flags\n\
         A `palisade.allow` entry whose code has no finding in the spec's file.\n\
         \n\
         ## Why it matters\n\
         A stale silence hides the next, unrelated finding of the same code.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         palisade:\n\
         \x20\x20allow:\n\
         \x20\x20\x20\x20- code: SPEC110\n\
         \x20\x20\x20\x20\x20\x20reason: long name   # the name is short now\n\
         ```\n\
         \n\
         ## Instead\n\
         Remove the entry.\n"
    ),
    info!(
        codes::RULE_FIELDS_IN_HUNTING_QUERY,
        "rule-fields-in-hunting-query",
        Warning,
        "A spec read as a hunting query has fields only analytics rules use",
        "## What it flags\n\
         A spec that is read as a hunting query and has analytics-rule fields: `kind`, a \
         schedule or trigger, suppression, `enabled`, custom details, alert overrides, event \
         or incident grouping, and, outside a `Hunting Queries` folder, `severity`. The \
         warning names every such field of the file, `severity` and `entityMappings` \
         included. A spec is a hunting query when it is in a folder named `Hunting Queries` \
         (the folder wins over `kind`, as in Azure-Sentinel's layout), or when it has none of \
         `kind`, `queryFrequency`, `queryPeriod`, `triggerOperator`, `triggerThreshold`, \
         suppression, incident or event-grouping settings. In a `Hunting Queries` folder, \
         `severity` and `entityMappings` alone are not reported: many Azure-Sentinel hunting \
         queries carry them.\n\
         \n\
         ## Why it matters\n\
         A hunting query is deployed as a saved search, which has no severity, schedule, \
         trigger or entity mappings, so these fields are left out of the build. A rule that \
         lost its schedule, or sits in the wrong folder, would otherwise become a hunting \
         query that never raises an alert, without a word.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         id: 0b0e4b5c-1b7a-4d59-9a53-0c1b3a6f7f10\n\
         name: Rare process on a server\n\
         severity: Medium\n\
         query: |\n\
         \x20\x20SecurityEvent | where EventID == 4688\n\
         ```\n\
         \n\
         ## Instead\n\
         To make it an analytics rule, add `kind: Scheduled` with `queryFrequency`, \
         `queryPeriod`, `triggerOperator` and `triggerThreshold` (or `kind: NRT`), outside any \
         `Hunting Queries` folder. To keep it a hunting query, remove the fields.\n"
    ),
    info!(
        codes::DUPLICATE_TACTIC,
        "duplicate-tactic",
        Warning,
        "A tactic is listed twice",
        "## What it flags\n\
         A tactic listed again in `tactics`, also when written another way: with spaces or in \
         another case (`Command and Control` after `CommandAndControl`).\n\
         \n\
         ## Why it matters\n\
         A rule has each tactic once. The repeat is usually a leftover of an edit; Palisade \
         emits each tactic once, where it is first listed.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         tactics:\n\
         \x20\x20- Execution\n\
         \x20\x20- Execution\n\
         ```\n\
         \n\
         ## Instead\n\
         Remove the repeated entry.\n"
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
    if is_unsilenceable(info.code) {
        body.push_str(
            "\n## Silencing\n\nThis code cannot be silenced with `palisade.allow`: Sentinel or \
             its API rejects the rule, so the deployment fails all the same. An entry naming it \
             is a `SPEC142` warning, and the finding stays.\n",
        );
    }
    format!(
        "# {}: {}\n\n{}.\n\nSeverity: {}.\n\n{body}",
        info.code, info.name, info.summary, info.severity
    )
}

/// The registry entry for `code`.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    all().find(|info| info.code.as_str().eq_ignore_ascii_case(code))
}

/// Every registered code of every family: spec codes, KQL syntax and name codes, lints, and
/// the `IOC0xx`/`EXC0xx` codes of `palisade-ioc` and the `EMIT0xx` codes of the compiler.
pub fn all() -> impl Iterator<Item = &'static CodeInfo> {
    REGISTRY
        .iter()
        .chain(crate::query::registry::REGISTRY)
        .chain(crate::lints::code_infos())
        .chain(crate::registry_ioc::REGISTRY)
        .chain(crate::registry_emit::REGISTRY)
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

    /// `docs/lints/` holds one page per code of every family, generated from the registries,
    /// and nothing else; run with `PALISADE_UPDATE_DOCS=1` to rewrite the pages after changing
    /// a registry.
    #[test]
    fn docs_pages_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/lints");
        let update = std::env::var_os("PALISADE_UPDATE_DOCS").is_some();
        let mut expected_files = HashSet::new();
        for info in all() {
            let name = format!("{}.md", info.code);
            let path = dir.join(&name);
            expected_files.insert(name);
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
        for entry in std::fs::read_dir(&dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(expected_files.contains(&name), "docs/lints/{name} has no registered code");
        }
    }

    #[test]
    fn codes_are_unique_across_every_family() {
        let mut seen = HashSet::new();
        for info in all() {
            assert!(info.code.is_well_formed(), "{}", info.code);
            assert!(seen.insert(info.code), "{} is registered twice", info.code);
        }
        assert_eq!(lookup("exc004").map(|info| info.name), Some("unknown-exclusion"));
        assert_eq!(lookup("KQL201").map(|info| info.name), Some("contains-instead-of-has"));
        assert_eq!(lookup("emit003").map(|info| info.name), Some("duplicate-resource-name"));
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
