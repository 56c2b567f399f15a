//! The loader: one file's text in, a typed [`Detection`] (or a reason to skip it) and
//! diagnostics out.
//!
//! Loading checks shape and types only: a field that has the wrong type or an unknown value
//! is a diagnostic at its span, and the field is left out of the model. Sentinel's limits
//! (schedule ranges, threshold, tactic names, duplicate ids) are checked by
//! `palisade-validator`.
//!
//! Files that are YAML but not detection specs are skipped with a note that says what they
//! look like and why ([`shape`]): ASIM parsers and functions, Sigma rules, PascalCase rules of
//! the `sentinel-as-code` format, Exploration Queries, the "moved" stubs that keep only `id`,
//! `name` and `description`, CI workflows, Kubernetes manifests and any other YAML without a
//! detection field. A file with several YAML documents is one error (`SPEC003`) when any of
//! them looks like a detection, and skipped when none does.

mod shape;

use palisade_diagnostics::{Diagnostic, FileId, Severity as Level, Span};

use crate::codes;
use crate::duration::{self, Duration, DurationForm};
use crate::model::*;
use crate::yaml::{self, Entry, Node, Resolved, Value};

pub use shape::{Other, Shape, detection_keys, shape};

/// The result of loading one file.
#[derive(Clone, Debug)]
pub struct LoadResult {
    /// What the file turned out to be.
    pub outcome: Outcome,
    /// Everything found while loading, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadResult {
    /// Whether any diagnostic is an error. A detection loaded with errors has the faulty
    /// fields left out and must not be compiled.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|diag| diag.severity == Level::Error)
    }
}

/// What a file turned out to be.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// A detection spec. Check [`LoadResult::has_errors`] before compiling it.
    Detection(Box<Detection>),
    /// YAML that is not a detection spec (a parser, a Sigma rule, a moved stub, ...).
    Skipped {
        /// Why, for people: "ASIM parser", "Sigma rule", ...
        reason: String,
    },
    /// Not loadable: invalid YAML, not a mapping, or `id`, `name` or `query` missing or
    /// unusable. The diagnostics say why.
    Failed,
}

/// Every top-level key the spec format knows, in documentation order: Azure-Sentinel's fields,
/// then Palisade's own (`enabled`, `apiVersion`, and the IOC fields of
/// `docs/iocs-and-exclusions.md`).
pub const KNOWN_KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "severity",
    "kind",
    "enabled",
    "requiredDataConnectors",
    "queryFrequency",
    "queryPeriod",
    "triggerOperator",
    "triggerThreshold",
    "tactics",
    "relevantTechniques",
    "query",
    "entityMappings",
    "sentinelEntitiesMappings",
    "customDetails",
    "alertDetailsOverride",
    "eventGroupingSettings",
    "incidentConfiguration",
    "suppressionEnabled",
    "suppressionDuration",
    "alertRuleTemplateName",
    "version",
    "status",
    "tags",
    "metadata",
    "apiVersion",
    "iocs",
    "targets",
    "match",
    "exclusions",
    "internal_networks",
    "palisade",
];

/// Keys that make a file an analytics rule rather than a hunting query. `severity` is not one:
/// many Azure-Sentinel hunting queries have it.
pub const RULE_ONLY_KEYS: &[&str] = &[
    "kind",
    "queryFrequency",
    "queryPeriod",
    "triggerOperator",
    "triggerThreshold",
    "suppressionEnabled",
    "suppressionDuration",
    "incidentConfiguration",
    "eventGroupingSettings",
];

/// Loads one spec file.
///
/// `text` should be the file text after [`yaml::normalize_source`]; spans index that text,
/// so it is the text to keep in `SourceFiles`. (Text with CRLF is normalised here too, and
/// spans then index the normalised form.)
pub fn load_spec(file: FileId, path: &str, text: &str) -> LoadResult {
    let text = yaml::normalize_source(text);
    let parsed = yaml::parse(file, &text);
    let mut diagnostics = parsed.diagnostics;
    let Some(root) = parsed.root else {
        // No document: either the YAML is invalid (already reported) or the file is empty.
        if !diagnostics.iter().any(|diag| diag.severity == Level::Error) {
            diagnostics.push(empty_file(file));
        }
        return LoadResult { outcome: Outcome::Failed, diagnostics };
    };
    let mut result = multiple_documents(file, &root, &parsed.more_documents)
        .unwrap_or_else(|| load_document(file, path, &text, &root));
    diagnostics.append(&mut result.diagnostics);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    LoadResult { outcome: result.outcome, diagnostics }
}

/// The error for a required field written with no value (`severity:`, `~` or `null`), at its
/// key and value.
pub fn no_value(path: &str, entry: &Entry) -> Diagnostic {
    let name = path.rsplit('.').next().unwrap_or(path);
    // A written `~` or `null` is covered too; nothing written has no span of its own.
    let written = entry.value.as_scalar().is_some_and(|scalar| !scalar.text.is_empty());
    let span = if written { entry.key.span.cover(entry.value.span) } else { entry.key.span };
    Diagnostic::error(codes::MISSING_FIELD, format!("Required field `{path}` has no value"), span)
        .with_note("an empty or null value counts as not set")
        .with_help(format!("write a value after `{name}:`"))
}

/// The diagnostic for a file with no YAML document.
pub fn empty_file(file: FileId) -> Diagnostic {
    Diagnostic::error(codes::EMPTY_FILE, "The file is empty", Span::file_start(file))
        .with_note("it holds no YAML document, only whitespace or comments")
        .with_help("write the spec or delete the file")
}

/// Why a parsed document is not a detection spec, if it is not one: what it looks like
/// ("a GitHub Actions workflow"), or that it is an exclusion file.
pub fn skip_reason(root: &Node) -> Option<String> {
    match shape(root) {
        Shape::Detection => None,
        Shape::Exclusion => Some(EXCLUSION_REASON.to_owned()),
        Shape::Other(other) => Some(other.looks_like),
    }
}

const EXCLUSION_REASON: &str = "exclusion file, loaded as an exclusion";

/// Loads a detection from an already parsed document; `text` is the text it was parsed from.
///
/// Non-spec documents come back as [`Outcome::Skipped`] with a `SPEC009` note.
pub fn load_document(file: FileId, path: &str, text: &str, root: &Node) -> LoadResult {
    let _span = tracing::debug_span!("load", path).entered();
    match shape(root) {
        Shape::Detection => {}
        Shape::Exclusion => {
            // The CLI loads it as an exclusion and drops this note.
            let reason = EXCLUSION_REASON.to_owned();
            let note = Diagnostic::note_level(
                codes::SKIPPED_FILE,
                format!("Skipped: {reason}"),
                Span::file_start(file),
            )
            .with_note("exclusion files are read by `palisade validate` and `palisade build`");
            return LoadResult { outcome: Outcome::Skipped { reason }, diagnostics: vec![note] };
        }
        Shape::Other(other) => {
            tracing::debug!(path, looks_like = %other.looks_like, "skipping non-spec YAML");
            let note = skipped_note(file, &format!("looks like {}", other.looks_like))
                .with_note(other.because);
            let reason = other.looks_like;
            return LoadResult { outcome: Outcome::Skipped { reason }, diagnostics: vec![note] };
        }
    }
    let mut loader = Loader { file, text, diagnostics: Vec::new() };
    if root.as_mapping().is_none() {
        loader.diagnostics.push(
            Diagnostic::error(
                codes::NOT_A_MAPPING,
                format!("The document is {}, not a mapping of fields", root.type_name()),
                root.span,
            )
            .with_note("a spec is a YAML mapping with keys such as `id`, `name` and `query`")
            .with_help("start the file with `id: <guid>` and the other fields, one per line"),
        );
        return LoadResult { outcome: Outcome::Failed, diagnostics: loader.diagnostics };
    }
    let outcome = match loader.detection(path, root) {
        Some(detection) => Outcome::Detection(Box::new(detection)),
        None => Outcome::Failed,
    };
    LoadResult { outcome, diagnostics: loader.diagnostics }
}

/// The `SPEC009` note for a skipped file, without its note.
fn skipped_note(file: FileId, what: &str) -> Diagnostic {
    Diagnostic::note_level(
        codes::SKIPPED_FILE,
        format!("Skipped: {what}, not a detection spec"),
        Span::file_start(file),
    )
    .with_help(
        "nothing to do unless it is meant to be a detection, which needs `id`, `name` and `query`",
    )
}

/// What to make of a file with several YAML documents (`root` is the first, `more` the
/// others), or `None` when it has one.
///
/// A spec file holds one detection, so when any document looks like a detection or an
/// exclusion the file fails with one `SPEC003` error at the second document's `---`, and none
/// of its documents is checked: findings about some of them would look like a verdict on the
/// file. When none does (Kubernetes manifests, for example), the file is skipped with a note.
pub fn multiple_documents(
    file: FileId,
    root: &Node,
    more: &[yaml::Document],
) -> Option<LoadResult> {
    let second = more.first()?;
    let n_documents = 1 + more.len();
    let shapes: Vec<Shape> = std::iter::once(root)
        .chain(more.iter().map(|document| &document.root))
        .map(shape)
        .collect();
    if let [Shape::Other(first), rest @ ..] = shapes.as_slice() {
        if rest.iter().all(|shape| matches!(shape, Shape::Other(_))) {
            let same = rest.iter().all(
                |shape| matches!(shape, Shape::Other(other) if other.looks_like == first.looks_like),
            );
            let what = if same {
                format!("{n_documents} YAML documents that each look like {}", first.looks_like)
            } else {
                format!("{n_documents} YAML documents; the first looks like {}", first.looks_like)
            };
            // The note is about the first document, which the message names.
            let note = skipped_note(file, &what).with_note(first.because.clone());
            let reason = format!("{n_documents} YAML documents, none a detection spec");
            return Some(LoadResult {
                outcome: Outcome::Skipped { reason },
                diagnostics: vec![note],
            });
        }
    }
    let error = Diagnostic::error(
        codes::MULTIPLE_DOCUMENTS,
        format!("The file holds {n_documents} YAML documents; a spec file holds one"),
        second.start,
    )
    .with_label("the second document starts here")
    .with_note("Palisade reads one detection per file, so none of these documents was checked")
    .with_help("move each document after a `---` line into a `.yaml` file of its own");
    Some(LoadResult { outcome: Outcome::Failed, diagnostics: vec![error] })
}

/// Whether a document is an analytics rule or a hunting query.
///
/// A file inside a folder named `Hunting Queries` (Azure-Sentinel's layout) is a hunting query.
/// Otherwise a file with `kind`, a schedule, a trigger, suppression or incident settings is an
/// analytics rule, and any other file is a hunting query.
///
/// The folder wins over the keys, as in Azure-Sentinel, whose tooling packages every file of a
/// `Hunting Queries` folder as a hunting query, `kind: Scheduled` or not (13 of its hunting
/// queries have one). The validator warns about the rule fields such a file loses (`SPEC144`).
pub fn classify(path: &str, root: &Node) -> SpecKind {
    if in_hunting_folder(path) {
        return SpecKind::HuntingQuery;
    }
    if RULE_ONLY_KEYS.iter().any(|key| root.get(key).is_some_and(|entry| !entry.value.is_null())) {
        SpecKind::AnalyticsRule
    } else {
        SpecKind::HuntingQuery
    }
}

/// Whether the file at `path` is inside a folder named `Hunting Queries` (any letter case),
/// which makes it a hunting query whatever its keys.
pub fn in_hunting_folder(path: &str) -> bool {
    path.split(['/', '\\'])
        .rev()
        .skip(1)
        .any(|folder| folder.eq_ignore_ascii_case("Hunting Queries"))
}

/// The known key closest to `key`, if one is close enough to be a likely typo.
pub fn nearest_known_key(key: &str) -> Option<&'static str> {
    nearest(key, KNOWN_KEYS)
}

/// The candidate closest to `word`, if it is close enough: a case-insensitive edit distance
/// of about a quarter of its length, or a candidate that contains it (`techniques` is in
/// `relevantTechniques`).
pub fn nearest(word: &str, candidates: &[&'static str]) -> Option<&'static str> {
    let lower = word.to_lowercase().replace([' ', '_', '-'], "");
    let (best, distance) = candidates
        .iter()
        .map(|candidate| {
            (*candidate, strsim::damerau_levenshtein(&lower, &candidate.to_lowercase()))
        })
        .min_by_key(|&(_, distance)| distance)?;
    let limit = 1 + lower.chars().count() / 4;
    if distance <= limit {
        return Some(best);
    }
    if lower.chars().count() < 5 {
        return None;
    }
    candidates.iter().copied().find(|candidate| candidate.to_lowercase().contains(&lower))
}

/// Strips the legacy quote pair some descriptions are wrapped in (`'…'` inside a block
/// scalar), after trimming trailing whitespace. Only a matching pair is removed.
pub fn strip_description_quotes(text: &str) -> &str {
    let trimmed = text.trim_end();
    for quote in ['\'', '"'] {
        if trimmed.len() >= 2 && trimmed.starts_with(quote) && trimmed.ends_with(quote) {
            return &trimmed[1..trimmed.len() - 1];
        }
    }
    trimmed
}

/// Parses a trigger operator in any spelling the YAML allows (exact case).
pub fn parse_trigger_operator(text: &str) -> Option<TriggerOperator> {
    match text {
        "gt" | "GreaterThan" => Some(TriggerOperator::GreaterThan),
        "lt" | "LessThan" => Some(TriggerOperator::LessThan),
        "eq" | "Equal" => Some(TriggerOperator::Equal),
        "ne" | "NotEqual" => Some(TriggerOperator::NotEqual),
        _ => None,
    }
}

/// The entity types Azure-Sentinel's CI accepts; the loader writes them in this case.
pub const ENTITY_TYPES: &[&str] = &[
    "Account",
    "AzureResource",
    "CloudApplication",
    "DNS",
    "File",
    "FileHash",
    "Host",
    "IoTDevice",
    "IP",
    "Mailbox",
    "MailCluster",
    "MailMessage",
    "Malware",
    "Process",
    "RegistryKey",
    "RegistryValue",
    "SecurityGroup",
    "SubmissionMail",
    "URL",
];

const TIMESPAN_NOTE: &str =
    "TimeSpan text is a legacy form; a bare number means days, which is easy to misread";

const TRIGGER_OPERATORS: &[&str] =
    &["gt", "lt", "eq", "ne", "GreaterThan", "LessThan", "Equal", "NotEqual"];
const SEVERITIES: &[&str] = &["Informational", "Low", "Medium", "High"];
const KINDS: &[&str] = &["Scheduled", "NRT"];
const AGGREGATION_KINDS: &[&str] = &["SingleAlert", "AlertPerResult"];
const MATCHING_METHODS: &[&str] = &["AllEntities", "AnyAlert", "Selected"];

struct Loader<'a> {
    file: FileId,
    text: &'a str,
    diagnostics: Vec<Diagnostic>,
}

fn quote_list(values: &[&str]) -> String {
    values.iter().map(|value| format!("`{value}`")).collect::<Vec<_>>().join(", ")
}

impl Loader<'_> {
    fn detection(&mut self, path: &str, root: &Node) -> Option<Detection> {
        self.unknown_keys(root);
        let spec_kind = classify(path, root);

        let id = self.required_string(root, "id");
        let name = self.required_string(root, "name");
        let ioc = crate::ioc::load_ioc_spec(root, &mut self.diagnostics).map(Box::new);
        let query = match &ioc {
            Some(ioc) => Some(QueryText {
                text: String::new(),
                span: ioc.span,
                source_map: palisade_diagnostics::SourceMap::new(self.file),
            }),
            None => self.query(root),
        };

        let description = self.optional_string(root, "description").and_then(|description| {
            let text = strip_description_quotes(&description.value);
            if !text.trim().is_empty() {
                return Some(Spanned::new(text.to_owned(), description.span));
            }
            // Blank is not set. A hunting query may leave it out; a rule needs it, like `name`.
            if spec_kind == SpecKind::AnalyticsRule {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::MISSING_FIELD,
                        "Required field `description` is empty",
                        description.span,
                    )
                    .with_note(
                        "Azure-Sentinel's CI rejects an analytics rule without a description",
                    )
                    .with_help("write a value for `description`: what the rule detects and why"),
                );
            }
            None
        });
        let severity = self.field(root, "severity").and_then(|entry| self.severity(&entry.value));
        let kind = self.field(root, "kind").and_then(|entry| self.kind(&entry.value));
        let trigger_operator =
            self.field(root, "triggerOperator").and_then(|entry| self.trigger(&entry.value));
        let trigger_threshold =
            self.field(root, "triggerThreshold").and_then(|entry| self.integer(entry));

        let enabled = self.optional_bool(root, "enabled");
        let required_data_connectors = self.data_connectors(root);
        let query_frequency = self.optional_duration(root, "queryFrequency");
        let query_period = self.optional_duration(root, "queryPeriod");
        let tactics = self
            .string_list(root, "tactics")
            .into_iter()
            .map(|tactic| Spanned::new(tactic.value.replace(' ', ""), tactic.span))
            .collect();
        let relevant_techniques = self
            .string_list(root, "relevantTechniques")
            .into_iter()
            .map(|technique| Spanned::new(technique.value.trim().to_owned(), technique.span))
            .collect();
        let entity_mappings = self.entity_mappings(root);
        let sentinel_entities_mappings = self.sentinel_entities_mappings(root);
        let custom_details = self.custom_details(root);
        let alert_details_override = self.alert_details_override(root);
        let event_grouping = self.event_grouping(root);
        let incident_configuration = self.incident_configuration(root);
        let suppression_enabled = self.optional_bool(root, "suppressionEnabled");
        let suppression_duration = self.optional_duration(root, "suppressionDuration");
        let alert_rule_template_name = self.optional_string(root, "alertRuleTemplateName");
        let version = self.optional_string(root, "version");
        let status = self.optional_string(root, "status");
        let tags = self.field(root, "tags").map(|entry| yaml::to_json(&entry.value));
        let metadata = self.field(root, "metadata").map(|entry| yaml::to_json(&entry.value));
        let api_version = self.optional_string(root, "apiVersion");

        // Every field is read before the required ones are unwrapped, so one missing field
        // does not hide the problems of the others.
        let detection = Detection {
            file: self.file,
            path: path.to_owned(),
            spec_kind,
            id: id?,
            name: name?,
            description,
            severity,
            kind,
            enabled,
            required_data_connectors,
            query_frequency,
            query_period,
            trigger_operator,
            trigger_threshold,
            tactics,
            relevant_techniques,
            query: query?,
            entity_mappings,
            sentinel_entities_mappings,
            custom_details,
            alert_details_override,
            event_grouping,
            incident_configuration,
            suppression_enabled,
            suppression_duration,
            alert_rule_template_name,
            version,
            status,
            tags,
            metadata,
            api_version,
            ioc,
            target: None,
        };
        Some(detection)
    }

    fn unknown_keys(&mut self, root: &Node) {
        let Some(entries) = root.as_mapping() else {
            return;
        };
        for entry in entries {
            let key = entry.key_text();
            if KNOWN_KEYS.contains(&key) {
                continue;
            }
            let case_variant = KNOWN_KEYS
                .iter()
                .find(|known| known.eq_ignore_ascii_case(key))
                .is_some_and(|known| root.get(known).is_none());
            if case_variant {
                // Read as the known key, with a case warning.
                continue;
            }
            let mut diag = Diagnostic::warning(
                codes::UNKNOWN_KEY,
                format!("Unknown key `{key}`"),
                entry.key.span,
            )
            .with_note("Sentinel ignores keys it does not know, so this value has no effect");
            diag = match nearest_known_key(key) {
                Some(known) => diag.with_help(format!("did you mean `{known}`?")),
                None => {
                    diag.with_help("remove it, or check the spelling against the spec reference")
                }
            };
            self.diagnostics.push(diag);
        }
    }

    /// The entry for `key` unless it is absent or null (a null value means "not set").
    fn field<'n>(&mut self, root: &'n Node, key: &str) -> Option<&'n Entry> {
        self.lookup(root, key).filter(|entry| !entry.value.is_null())
    }

    /// The entry for `key`; a key that differs only in case is used too, with a warning,
    /// because Azure-Sentinel's CI matches keys case-insensitively.
    fn lookup<'n>(&mut self, parent: &'n Node, key: &str) -> Option<&'n Entry> {
        if let Some(entry) = parent.get(key) {
            return Some(entry);
        }
        let entry =
            parent.as_mapping()?.iter().find(|entry| entry.key_text().eq_ignore_ascii_case(key))?;
        let warning = Diagnostic::warning(
            codes::CASE_MISMATCH,
            format!("Key `{}` is written differently from `{key}`", entry.key_text()),
            entry.key.span,
        )
        .with_note(
            "it is read as `{key}`, but other tools match keys exactly".replace("{key}", key),
        )
        .with_help(format!("write `{key}`"));
        if !self.diagnostics.contains(&warning) {
            self.diagnostics.push(warning);
        }
        Some(entry)
    }

    fn wrong_type(&mut self, path: &str, expected: &str, node: &Node) {
        self.diagnostics.push(
            Diagnostic::error(
                codes::WRONG_TYPE,
                format!("`{path}` must be {expected}, found {}", node.type_name()),
                node.span,
            )
            .with_help(format!("write `{path}` as {expected}")),
        );
    }

    fn invalid_value(&mut self, path: &str, value: &str, allowed: &[&'static str], span: Span) {
        let mut diag = Diagnostic::error(
            codes::INVALID_VALUE,
            format!("`{value}` is not a valid `{path}`"),
            span,
        )
        .with_note(format!("allowed values: {}", quote_list(allowed)));
        if let Some(suggestion) = nearest(value, allowed) {
            diag = diag.with_help(format!("did you mean `{suggestion}`?"));
        }
        self.diagnostics.push(diag);
    }

    fn missing(&mut self, key: &str, span: Span) {
        self.diagnostics.push(
            Diagnostic::error(
                codes::MISSING_FIELD,
                format!("Required field `{key}` is missing"),
                span,
            )
            .with_help(format!("add `{}`", key.rsplit('.').next().unwrap_or(key))),
        );
    }

    /// A scalar's text for a string field. Numbers and booleans are accepted with their YAML
    /// text (Azure-Sentinel's CI reads them as strings too); mappings and lists are not.
    fn string(&mut self, path: &str, node: &Node) -> Option<Spanned<String>> {
        match &node.value {
            Value::Scalar(scalar) if scalar.resolve() != Resolved::Null => {
                Some(Spanned::new(scalar.text.clone(), node.span))
            }
            _ => {
                let source = self.text.get(node.span.start as usize..node.span.end as usize);
                let placeholder = source.filter(|source| source.starts_with("{{"));
                match placeholder {
                    // `{{Column}}` unquoted is a YAML flow mapping inside a flow mapping.
                    Some(source) => self.diagnostics.push(
                        Diagnostic::error(
                            codes::WRONG_TYPE,
                            format!("`{path}` must be a string, found a mapping"),
                            node.span,
                        )
                        .with_note("unquoted, `{{...}}` is a YAML mapping, not text")
                        .with_help(format!("quote the value: `'{source}'`")),
                    ),
                    None => self.wrong_type(path, "a string", node),
                }
                None
            }
        }
    }

    fn required_string(&mut self, root: &Node, key: &str) -> Option<Spanned<String>> {
        let Some(entry) = self.field(root, key) else {
            match self.lookup(root, key) {
                Some(entry) => self.diagnostics.push(no_value(key, entry)),
                None => self.missing(key, Span::file_start(self.file)),
            }
            return None;
        };
        let value = self.string(key, &entry.value)?;
        if value.value.trim().is_empty() {
            self.diagnostics.push(
                Diagnostic::error(
                    codes::MISSING_FIELD,
                    format!("Required field `{key}` is empty"),
                    entry.value.span,
                )
                .with_help(format!("write a value for `{key}`")),
            );
            return None;
        }
        Some(value)
    }

    fn optional_string(&mut self, root: &Node, key: &str) -> Option<Spanned<String>> {
        let entry = self.field(root, key)?;
        self.string(key, &entry.value)
    }

    fn bool_value(&mut self, path: &str, node: &Node) -> Option<Spanned<bool>> {
        match node.as_scalar().map(yaml::Scalar::resolve) {
            Some(Resolved::Bool(value)) => Some(Spanned::new(value, node.span)),
            _ => {
                self.wrong_type(path, "`true` or `false`", node);
                None
            }
        }
    }

    fn optional_bool(&mut self, root: &Node, key: &str) -> Option<Spanned<bool>> {
        let entry = self.field(root, key)?;
        self.bool_value(key, &entry.value)
    }

    fn integer(&mut self, entry: &Entry) -> Option<Spanned<i64>> {
        let node = &entry.value;
        match node.as_scalar().map(yaml::Scalar::resolve) {
            Some(Resolved::Int(value)) => Some(Spanned::new(value, node.span)),
            Some(Resolved::Float(_)) => {
                let path = entry.key_text();
                let text = node.as_scalar().map_or("", |scalar| scalar.text.as_str());
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::WRONG_TYPE,
                        format!("`{path}` must be a whole number, found `{text}`"),
                        node.span,
                    )
                    .with_note("a decimal number has no meaning here")
                    .with_help(format!("write `{path}` as a whole number such as `1`")),
                );
                None
            }
            _ => {
                self.wrong_type(entry.key_text(), "a whole number", node);
                None
            }
        }
    }

    fn duration(&mut self, path: &str, node: &Node) -> Option<Spanned<Duration>> {
        let Some(scalar) = node.as_scalar() else {
            self.wrong_type(path, "a duration such as `5m` or `PT1H`", node);
            return None;
        };
        match duration::parse(&scalar.text) {
            Ok((value, form)) => {
                if form == DurationForm::TimeSpan {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            codes::LEGACY_TIMESPAN,
                            format!(
                                "`{path}` is written as TimeSpan text `{}`",
                                scalar.text.trim()
                            ),
                            node.span,
                        )
                        .with_note(TIMESPAN_NOTE)
                        .with_help(format!(
                            "write `{}` or `{}`",
                            value.to_human(),
                            value.to_iso8601()
                        )),
                    );
                }
                Some(Spanned::new(value, node.span))
            }
            Err(error) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::INVALID_DURATION,
                        format!("Invalid `{path}`: {error}"),
                        node.span,
                    )
                    .with_help(error.fix()),
                );
                None
            }
        }
    }

    fn optional_duration(&mut self, root: &Node, key: &str) -> Option<Spanned<Duration>> {
        let entry = self.field(root, key)?;
        self.duration(key, &entry.value)
    }

    /// A scalar matched case-insensitively against `allowed`.
    fn enum_value<T: Copy>(
        &mut self,
        path: &str,
        node: &Node,
        allowed: &[&'static str],
        values: &[T],
    ) -> Option<Spanned<T>> {
        let text = self.string(path, node)?;
        let trimmed = text.value.trim();
        match allowed.iter().position(|name| name.eq_ignore_ascii_case(trimmed)) {
            Some(idx) => {
                let known = allowed[idx];
                if known != trimmed {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            codes::CASE_MISMATCH,
                            format!("`{trimmed}` in `{path}` is written differently from `{known}`"),
                            node.span,
                        )
                        .with_note(format!(
                            "it is read and emitted as `{known}`, but other tools match values exactly"
                        ))
                        .with_help(format!("write `{known}`")),
                    );
                }
                Some(Spanned::new(values[idx], node.span))
            }
            None => {
                self.invalid_value(path, trimmed, allowed, node.span);
                None
            }
        }
    }

    fn severity(&mut self, node: &Node) -> Option<Spanned<Severity>> {
        let values = [Severity::Informational, Severity::Low, Severity::Medium, Severity::High];
        self.enum_value("severity", node, SEVERITIES, &values)
    }

    fn kind(&mut self, node: &Node) -> Option<Spanned<RuleKind>> {
        let text = self.string("kind", node)?;
        let trimmed = text.value.trim();
        if let Some(idx) = KINDS.iter().position(|name| name.eq_ignore_ascii_case(trimmed)) {
            return Some(Spanned::new([RuleKind::Scheduled, RuleKind::Nrt][idx], node.span));
        }
        let other_kinds = [
            "Fusion",
            "MicrosoftSecurityIncidentCreation",
            "MLBehaviorAnalytics",
            "ThreatIntelligence",
        ];
        if other_kinds.iter().any(|name| name.eq_ignore_ascii_case(trimmed)) {
            self.diagnostics.push(
                Diagnostic::error(
                    codes::INVALID_VALUE,
                    format!("Rule kind `{trimmed}` is not supported yet"),
                    node.span,
                )
                .with_note("Palisade compiles `Scheduled` and `NRT` rules")
                .with_help("deploy this rule another way, or rewrite it as a `Scheduled` rule"),
            );
            return None;
        }
        self.invalid_value("kind", trimmed, KINDS, node.span);
        None
    }

    fn trigger(&mut self, node: &Node) -> Option<Spanned<TriggerOperator>> {
        let text = self.string("triggerOperator", node)?;
        let trimmed = text.value.trim();
        match parse_trigger_operator(trimmed) {
            Some(operator) => Some(Spanned::new(operator, node.span)),
            None => {
                self.invalid_value("triggerOperator", trimmed, TRIGGER_OPERATORS, node.span);
                None
            }
        }
    }

    fn query(&mut self, root: &Node) -> Option<QueryText> {
        let text = self.required_string(root, "query")?;
        let node = &self.field(root, "query")?.value;
        Some(QueryText {
            text: text.value,
            span: node.span,
            source_map: yaml::scalar_source_map(self.text, node),
        })
    }

    /// A list field; a missing or null field is an empty list.
    fn list<'n>(&mut self, path: &str, node: Option<&'n Node>) -> &'n [Node] {
        let Some(node) = node.filter(|node| !node.is_null()) else {
            return &[];
        };
        match node.as_sequence() {
            Some(items) => items,
            None => {
                self.wrong_type(path, "a list", node);
                &[]
            }
        }
    }

    fn string_list(&mut self, root: &Node, key: &str) -> Vec<Spanned<String>> {
        let node = self.lookup(root, key).map(|entry| &entry.value);
        let items = self.list(key, node);
        let mut strings = Vec::new();
        for item in items {
            if item.is_null() {
                self.diagnostics.push(
                    Diagnostic::warning(
                        codes::EMPTY_LIST_ITEM,
                        format!("Empty entry in `{key}`"),
                        item.span,
                    )
                    .with_note("the entry is left out")
                    .with_help("remove the empty `-` line"),
                );
                continue;
            }
            strings.extend(self.string(&format!("{key}[]"), item));
        }
        strings
    }

    fn mapping<'n>(&mut self, path: &str, node: &'n Node) -> Option<&'n Node> {
        if node.as_mapping().is_some() {
            return Some(node);
        }
        self.wrong_type(path, "a mapping", node);
        None
    }

    fn child_string(&mut self, parent: &Node, path: &str, key: &str) -> Option<Spanned<String>> {
        let Some(entry) = self.field(parent, key) else {
            self.missing(&format!("{path}.{key}"), parent.span);
            return None;
        };
        self.string(&format!("{path}.{key}"), &entry.value)
    }

    fn data_connectors(&mut self, root: &Node) -> Vec<DataConnector> {
        let found = self.lookup(root, "requiredDataConnectors").map(|e| &e.value);
        let items = self.list("requiredDataConnectors", found);
        let mut connectors = Vec::new();
        for (idx, item) in items.iter().enumerate() {
            let path = &format!("requiredDataConnectors[{idx}]");
            let Some(item) = self.mapping(path, item) else {
                continue;
            };
            let connector_id = self.child_string(item, path, "connectorId");
            let data_types_path = format!("{path}.dataTypes");
            let found = self.lookup(item, "dataTypes").map(|e| &e.value);
            let data_types = self.list(&data_types_path, found);
            let data_types =
                data_types.iter().filter_map(|node| self.string(&data_types_path, node)).collect();
            if let Some(connector_id) = connector_id {
                connectors.push(DataConnector { connector_id, data_types });
            }
        }
        connectors
    }

    fn entity_mappings(&mut self, root: &Node) -> Option<Vec<EntityMapping>> {
        let entry = self.field(root, "entityMappings")?;
        if entry.value.as_sequence().is_none() {
            self.wrong_type("entityMappings", "a list", &entry.value);
            return None;
        }
        let mut mappings = Vec::new();
        for (idx, item) in entry.value.as_sequence().unwrap_or_default().iter().enumerate() {
            let path = &format!("entityMappings[{idx}]");
            let Some(item) = self.mapping(path, item) else {
                continue;
            };
            let entity_type = self.child_string(item, path, "entityType").map(|entity_type| {
                let canonical = ENTITY_TYPES
                    .iter()
                    .find(|known| known.eq_ignore_ascii_case(entity_type.value.trim()));
                match canonical {
                    Some(canonical) => Spanned::new((*canonical).to_owned(), entity_type.span),
                    None => entity_type,
                }
            });
            let fields_path = format!("{path}.fieldMappings");
            let found = self.lookup(item, "fieldMappings").map(|e| &e.value);
            let fields = self.list(&fields_path, found);
            let mut field_mappings = Vec::new();
            for (idx, field) in fields.iter().enumerate() {
                let field_path = format!("{fields_path}[{idx}]");
                let Some(field) = self.mapping(&field_path, field) else {
                    continue;
                };
                let identifier = self.child_string(field, &field_path, "identifier");
                let column_name = self.child_string(field, &field_path, "columnName");
                if let (Some(identifier), Some(column_name)) = (identifier, column_name) {
                    field_mappings.push(FieldMapping { identifier, column_name });
                }
            }
            if let Some(entity_type) = entity_type {
                mappings.push(EntityMapping { entity_type, field_mappings, span: item.span });
            }
        }
        Some(mappings)
    }

    fn sentinel_entities_mappings(&mut self, root: &Node) -> Option<Vec<Spanned<String>>> {
        let entry = self.field(root, "sentinelEntitiesMappings")?;
        let items = self.list("sentinelEntitiesMappings", Some(&entry.value));
        let mut columns = Vec::new();
        for (idx, item) in items.iter().enumerate() {
            let path = &format!("sentinelEntitiesMappings[{idx}]");
            if let Some(item) = self.mapping(path, item) {
                columns.extend(self.child_string(item, path, "columnName"));
            }
        }
        Some(columns)
    }

    fn custom_details(&mut self, root: &Node) -> Option<Vec<(Spanned<String>, Spanned<String>)>> {
        let entry = self.field(root, "customDetails")?;
        let node = self.mapping("customDetails", &entry.value)?;
        let mut details = Vec::new();
        for detail in node.as_mapping().unwrap_or_default() {
            let key = Spanned::new(detail.key_text().to_owned(), detail.key.span);
            let path = format!("customDetails.{}", detail.key_text());
            if let Some(column) = self.string(&path, &detail.value) {
                details.push((key, column));
            }
        }
        Some(details)
    }

    fn alert_details_override(&mut self, root: &Node) -> Option<AlertDetailsOverride> {
        let entry = self.field(root, "alertDetailsOverride")?;
        let node = self.mapping("alertDetailsOverride", &entry.value)?;
        let path = "alertDetailsOverride";
        let string = |loader: &mut Self, key: &str| {
            let entry = loader.field(node, key)?;
            loader.string(&format!("{path}.{key}"), &entry.value)
        };
        let mut result = AlertDetailsOverride {
            alert_display_name_format: string(self, "alertDisplayNameFormat"),
            alert_description_format: string(self, "alertDescriptionFormat"),
            alert_tactics_column_name: string(self, "alertTacticsColumnName"),
            alert_severity_column_name: string(self, "alertSeverityColumnName"),
            alert_dynamic_properties: Vec::new(),
        };
        let properties_path = format!("{path}.alertDynamicProperties");
        let found = self.lookup(node, "alertDynamicProperties").map(|e| &e.value);
        let properties = self.list(&properties_path, found);
        for (idx, property) in properties.iter().enumerate() {
            let item_path = format!("{properties_path}[{idx}]");
            let Some(property) = self.mapping(&item_path, property) else {
                continue;
            };
            let alert_property = self.child_string(property, &item_path, "alertProperty");
            let value = self.child_string(property, &item_path, "value");
            if let (Some(alert_property), Some(value)) = (alert_property, value) {
                result
                    .alert_dynamic_properties
                    .push(AlertDynamicProperty { alert_property, value });
            }
        }
        Some(result)
    }

    fn event_grouping(&mut self, root: &Node) -> Option<Spanned<AggregationKind>> {
        let entry = self.field(root, "eventGroupingSettings")?;
        let node = self.mapping("eventGroupingSettings", &entry.value)?;
        let Some(kind) = self.field(node, "aggregationKind") else {
            self.missing("eventGroupingSettings.aggregationKind", node.span);
            return None;
        };
        let values = [AggregationKind::SingleAlert, AggregationKind::AlertPerResult];
        self.enum_value(
            "eventGroupingSettings.aggregationKind",
            &kind.value,
            AGGREGATION_KINDS,
            &values,
        )
    }

    fn incident_configuration(&mut self, root: &Node) -> Option<IncidentConfiguration> {
        let entry = self.field(root, "incidentConfiguration")?;
        let node = self.mapping("incidentConfiguration", &entry.value)?;
        let path = "incidentConfiguration";
        let create_incident = match self.field(node, "createIncident") {
            Some(create) => {
                self.bool_value("incidentConfiguration.createIncident", &create.value)?.value
            }
            None => {
                self.missing("incidentConfiguration.createIncident", node.span);
                return None;
            }
        };
        let grouping_configuration =
            self.field(node, "groupingConfiguration").and_then(|grouping| {
                self.grouping_configuration(&format!("{path}.groupingConfiguration"), grouping)
            });
        Some(IncidentConfiguration { create_incident, grouping_configuration })
    }

    fn grouping_configuration(
        &mut self,
        path: &str,
        entry: &Entry,
    ) -> Option<GroupingConfiguration> {
        let node = self.mapping(path, &entry.value)?;
        let required = |loader: &mut Self, key: &str| -> Option<&Node> {
            let found = loader.field(node, key).map(|entry| &entry.value);
            if found.is_none() {
                loader.missing(&format!("{path}.{key}"), node.span);
            }
            found
        };
        let enabled = required(self, "enabled");
        let reopen = required(self, "reopenClosedIncident");
        let lookback = required(self, "lookbackDuration");
        let matching = required(self, "matchingMethod");

        let enabled = enabled.and_then(|n| self.bool_value(&format!("{path}.enabled"), n));
        let reopen =
            reopen.and_then(|n| self.bool_value(&format!("{path}.reopenClosedIncident"), n));
        let lookback = lookback.and_then(|n| self.duration(&format!("{path}.lookbackDuration"), n));
        let methods =
            [MatchingMethod::AllEntities, MatchingMethod::AnyAlert, MatchingMethod::Selected];
        let matching = matching.and_then(|n| {
            self.enum_value(&format!("{path}.matchingMethod"), n, MATCHING_METHODS, &methods)
        });

        let list = |loader: &mut Self, key: &str| -> Vec<Spanned<String>> {
            let list_path = format!("{path}.{key}");
            let found = loader.lookup(node, key).map(|e| &e.value);
            let items = loader.list(&list_path, found);
            items.iter().filter_map(|item| loader.string(&list_path, item)).collect()
        };
        let group_by_entities = list(self, "groupByEntities");
        let group_by_alert_details = list(self, "groupByAlertDetails");
        let group_by_custom_details = list(self, "groupByCustomDetails");

        Some(GroupingConfiguration {
            enabled: enabled?.value,
            reopen_closed_incident: reopen?.value,
            lookback_duration: lookback?,
            matching_method: matching?,
            group_by_entities,
            group_by_alert_details,
            group_by_custom_details,
        })
    }
}

#[cfg(test)]
mod tests;
