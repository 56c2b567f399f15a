//! What a YAML document is: a detection spec, an exclusion file, or another kind of YAML (a
//! CI workflow, a Sigma rule, a parser, a Kubernetes manifest, ...) that is skipped.
//!
//! The decision rests on the keys a document has. A document with one of the fields only
//! detections have ([`detection_keys`], also in another case or one typo away) is a detection,
//! so a spec that lacks `id` or `query` is still an error. A document with none of them is
//! described from the keys it does have, and skipped with a note that says so.

use super::KNOWN_KEYS;
use crate::yaml::{Node, Resolved};

/// The known top-level keys that do not make a document a detection on their own: who it is
/// (`id`, `name`, ...) and how Palisade deploys it. Every other key of [`KNOWN_KEYS`] is a
/// detection field: Azure-Sentinel's analytics-rule and hunting-query fields and the IOC spec
/// fields. `kind` counts when its value is a rule kind.
const NOT_DETECTION_KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "kind",
    "enabled",
    "version",
    "status",
    "tags",
    "metadata",
    "apiVersion",
];

/// The top-level fields that make a document a detection, in documentation order.
pub fn detection_keys() -> impl Iterator<Item = &'static str> {
    KNOWN_KEYS.iter().copied().filter(|key| !NOT_DETECTION_KEYS.contains(key))
}

/// Keys that are matched only as written (in any case): short or common words whose
/// misspellings are other tools' keys (`patch` is one edit from `match`).
const EXACT_ONLY_KEYS: &[&str] =
    &["iocs", "targets", "match", "exclusions", "internal_networks", "palisade"];

/// Values of `kind` that make a document an analytics rule, supported or not.
const RULE_KINDS: &[&str] = &[
    "Scheduled",
    "NRT",
    "Fusion",
    "MicrosoftSecurityIncidentCreation",
    "MLBehaviorAnalytics",
    "ThreatIntelligence",
];

/// Keys that say which detection a file is, but not what it detects.
const IDENTITY_KEYS: &[&str] = &["id", "name", "description", "version", "status", "metadata"];

/// A few detection fields, for notes.
const SOME_DETECTION_KEYS: &str =
    "`query`, `severity`, `queryFrequency`, `tactics`, `entityMappings` or `iocs`";

/// What a document is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A detection or IOC spec, possibly with errors: it is loaded and checked. Documents that
    /// are not mappings but could be meant as specs (a scalar, a list of spec-like mappings)
    /// count too, so that the loader reports them.
    Detection,
    /// An exclusion file (one `exclusion` key), which the CLI loads as one.
    Exclusion,
    /// Another kind of YAML, which is skipped.
    Other(Other),
}

/// YAML that is not a spec: what it looks like, and from which keys that was told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Other {
    /// What it looks like, with its article: "a GitHub Actions workflow".
    pub looks_like: String,
    /// Why, as a note: "it has `on` and `jobs`, and none of the fields of a detection ...".
    pub because: String,
}

impl Other {
    fn new(looks_like: &str, because: String) -> Self {
        Other { looks_like: looks_like.to_owned(), because }
    }
}

/// What `root` is; see the module docs.
pub fn shape(root: &Node) -> Shape {
    let Some(entries) = root.as_mapping() else {
        return not_a_mapping(root);
    };
    if crate::ioc::is_exclusion_document(root) {
        return Shape::Exclusion;
    }
    if let Some(other) = other_sentinel_format(root) {
        return Shape::Other(other);
    }
    let keys: Vec<&str> = entries.iter().map(|entry| entry.key_text()).collect();
    if keys.iter().any(|key| is_detection_key(key, false)) || has_rule_kind(root) {
        return Shape::Detection;
    }
    if let Some(other) = other_tool(root) {
        return Shape::Other(other);
    }
    if keys.iter().any(|key| is_detection_key(key, true)) {
        return Shape::Detection;
    }
    Shape::Other(stub_or_generic(root, &keys))
}

/// A scalar could be a spec written wrongly, and so could a list of mappings with spec keys:
/// those are loaded so that the loader reports them. Other lists are not specs.
fn not_a_mapping(root: &Node) -> Shape {
    let Some(items) = root.as_sequence() else {
        return Shape::Detection;
    };
    let spec_like = items.iter().any(|item| {
        item.as_mapping().is_some_and(|entries| {
            entries.iter().any(|entry| {
                let key = entry.key_text();
                IDENTITY_KEYS[..2].contains(&key) || is_detection_key(key, true)
            })
        })
    });
    if spec_like {
        return Shape::Detection;
    }
    let has_item_key = |key: &str| items.iter().any(|item| item.get(key).is_some());
    if has_item_key("hosts") || has_item_key("tasks") || has_item_key("import_playbook") {
        return Shape::Other(Other::new(
            "an Ansible playbook",
            "it is a list of plays with `hosts` or `tasks`, not a mapping of detection fields"
                .to_owned(),
        ));
    }
    Shape::Other(Other::new(
        "a YAML list",
        format!(
            "it is a list of {} {}; a detection spec is a mapping with `id`, `name` and `query`",
            items.len(),
            if items.len() == 1 { "item" } else { "items" }
        ),
    ))
}

/// The Sentinel-related formats that are not Azure-Sentinel detection YAML.
fn other_sentinel_format(root: &Node) -> Option<Other> {
    let has = |key: &str| root.get(key).is_some();
    let first = |keys: &[&'static str]| keys.iter().copied().find(|key| has(key));
    if let Some(key) = first(&["Parser", "ParserName", "Function", "FunctionName"]) {
        return Some(Other::new(
            "an ASIM parser or function",
            format!("it has `{key}`; parsers and functions are deployed as saved functions"),
        ));
    }
    if has("logsource") && has("detection") {
        return Some(Other::new(
            "a Sigma rule",
            "it has `logsource` and `detection`; a Sigma rule needs converting to KQL first"
                .to_owned(),
        ));
    }
    if !has("id") {
        if let Some(key) = first(&["InputEntityType", "InputFields"]) {
            return Some(Other::new(
                "an Exploration Query",
                format!("it has `{key}` and no `id`; Exploration Queries are not detections"),
            ));
        }
    }
    if !has("id") && !has("query") {
        if let Some(key) = first(&["Id", "DisplayName", "Query"]) {
            return Some(Other::new(
                "a rule in the PascalCase (sentinel-as-code) format",
                format!(
                    "it has `{key}` but no `id` or `query`; Palisade reads Azure-Sentinel's \
                     camelCase format"
                ),
            ));
        }
    }
    None
}

/// Formats of other tools that turn up in repositories, told by their own keys.
fn other_tool(root: &Node) -> Option<Other> {
    let has = |key: &str| root.get(key).is_some();
    let because = |keys: &str| {
        format!("it has {keys}, and none of the fields of a detection ({SOME_DETECTION_KEYS})")
    };
    if has("jobs") && has("on") {
        return Some(Other::new("a GitHub Actions workflow", because("`on` and `jobs`")));
    }
    if has("runs") && (has("inputs") || has("outputs") || has("branding")) {
        return Some(Other::new("a GitHub Actions action", because("`runs`")));
    }
    if has("updates") && has("version") {
        return Some(Other::new("a Dependabot configuration", because("`version` and `updates`")));
    }
    if has("services") {
        return Some(Other::new("a Docker Compose file", because("`services`")));
    }
    if has("apiVersion") && has("kind") {
        let shown = |key: &str| match root.get(key).and_then(|entry| entry.value.as_scalar()) {
            Some(scalar) if scalar.resolve() != Resolved::Null => {
                format!("`{key}: {}`", scalar.text.trim())
            }
            _ => format!("`{key}`"),
        };
        let keys = format!("{} and {}", shown("apiVersion"), shown("kind"));
        return Some(Other::new("a Kubernetes manifest", because(&keys)));
    }
    if let Some(key) = ["openapi", "swagger"].into_iter().find(|key| has(key)) {
        return Some(Other::new("an OpenAPI description", because(&format!("`{key}`"))));
    }
    let pipeline_keys = ["stages", "steps", "pool", "trigger", "jobs"];
    if let Some(key) = pipeline_keys.into_iter().find(|key| has(key)) {
        return Some(Other::new(
            "a CI pipeline (Azure Pipelines or GitLab CI)",
            because(&format!("`{key}`")),
        ));
    }
    None
}

/// A stub that keeps only who a detection was (Azure-Sentinel leaves "moved" stubs behind),
/// or YAML of some other kind.
fn stub_or_generic(root: &Node, keys: &[&str]) -> Other {
    let only_identity = keys.iter().all(|key| IDENTITY_KEYS.contains(key));
    if keys.contains(&"id") && only_identity {
        let listed = quote_keys(keys);
        let description = root
            .get("description")
            .and_then(|entry| entry.value.as_scalar())
            .map(|scalar| scalar.text.to_lowercase());
        if keys.len() == 3 && description.is_some_and(|text| text.contains("moved")) {
            return Other::new(
                "a moved stub",
                format!(
                    "it has only {listed}, and the description says the content moved; \
                     the detection itself lives elsewhere"
                ),
            );
        }
        return Other::new(
            &format!("a stub with only {listed}"),
            format!("it has none of the fields of a detection ({SOME_DETECTION_KEYS})"),
        );
    }
    Other::new(
        "YAML of another kind",
        format!(
            "its keys ({}) include none of the fields of a detection ({SOME_DETECTION_KEYS})",
            quote_keys(keys)
        ),
    )
}

/// `` `a`, `b` and `c` ``, at most five keys and a count of the rest.
fn quote_keys(keys: &[&str]) -> String {
    const SHOWN: usize = 5;
    let mut quoted: Vec<String> = keys.iter().take(SHOWN).map(|key| format!("`{key}`")).collect();
    if keys.len() > SHOWN {
        quoted.push(format!("{} more", keys.len() - SHOWN));
    }
    match quoted.split_last() {
        None => "no keys".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Whether `key` is a detection field: as written, in another case, or with `_`, `-` or
/// spaces; with `near`, also one typo away (two for keys of ten letters or more), for keys of
/// five letters or more.
fn is_detection_key(key: &str, near: bool) -> bool {
    let folded = fold(key);
    detection_keys().any(|known| {
        let known_folded = fold(known);
        if folded == known_folded {
            return true;
        }
        if !near || EXACT_ONLY_KEYS.contains(&known) || folded.chars().count() < 5 {
            return false;
        }
        let limit = if known_folded.len() >= 10 { 2 } else { 1 };
        strsim::damerau_levenshtein(&folded, &known_folded) <= limit
    })
}

/// Lower case without `_`, `-` and spaces.
fn fold(key: &str) -> String {
    key.chars().filter(|c| !matches!(c, '_' | '-' | ' ')).flat_map(char::to_lowercase).collect()
}

/// Whether `kind` names a rule kind (in any case).
fn has_rule_kind(root: &Node) -> bool {
    let kind = root.as_mapping().and_then(|entries| {
        entries.iter().find(|entry| entry.key_text().eq_ignore_ascii_case("kind"))
    });
    kind.and_then(|entry| entry.value.as_scalar())
        .is_some_and(|scalar| RULE_KINDS.iter().any(|k| k.eq_ignore_ascii_case(scalar.text.trim())))
}
