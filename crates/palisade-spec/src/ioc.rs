//! Palisade's IOC fields of a spec (`iocs`, `targets`, `match`, `exclusions`,
//! `internal_networks`) and the exclusion files, read from spanned YAML into `palisade-ioc`'s
//! types.
//!
//! Shape problems (a list where a mapping belongs, a missing `value`) are `SPEC0xx` diagnostics
//! at the YAML node; what a value means (an address, a port, a hash, a CIDR range) is checked
//! by `palisade-ioc`, which reports `IOC0xx` and `EXC0xx` at the same spans. The format is
//! described in docs/iocs-and-exclusions.md.

use ipnet::IpNet;
use palisade_diagnostics::{Diagnostic, Span};
use palisade_ioc::catalog::Catalog;
use palisade_ioc::codes as ioc_codes;
use palisade_ioc::exclusion::{Condition, Exclusion, ExclusionParts, Leaf, parse_expires};
use palisade_ioc::generate::{MatchMode, default_internal_networks};
use palisade_ioc::{
    Indicator, IocSet, Located, Provenance, check_seen_order, parse_confidence, parse_first_seen,
    parse_last_seen,
};

use crate::codes;
use crate::yaml::{Node, Resolved, Value};

/// The top-level keys an IOC spec adds to the spec format.
pub const IOC_KEYS: &[&str] = &["iocs", "targets", "match", "exclusions", "internal_networks"];

const IOCS_KEYS: &[&str] = &["source", "malware_family", "reference", "indicators"];
const INDICATOR_KEYS: &[&str] =
    &["type", "value", "threat_type", "first_seen", "last_seen", "confidence"];
const EXCLUSION_REF_KEYS: &[&str] = &["id", "targets"];
const EXCLUSION_KEYS: &[&str] =
    &["id", "title", "scenario", "rationale", "owner", "expires", "condition"];

/// The IOC fields of one spec: what to match, where, and what to leave out.
#[derive(Clone, Debug, PartialEq)]
pub struct IocSpec {
    /// `iocs`: provenance and the valid indicators (invalid ones are reported and left out).
    pub iocs: IocSet,
    /// `targets`: the tables to generate a query for, in written order.
    pub targets: Vec<Located<String>>,
    /// `match`; `address` when absent.
    pub match_mode: MatchMode,
    /// `exclusions`: references to exclusion files, resolved when the project is complete.
    pub exclusions: Vec<ExclusionRef>,
    /// `internal_networks`, or the defaults.
    pub internal_networks: Vec<IpNet>,
    /// The `iocs` key, where messages about the spec as a whole point.
    pub span: Span,
}

/// One `exclusions` entry: an exclusion id, optionally applied to some targets only.
///
/// Written `- <id>` (every target) or `- {id: <id>, targets: [<table>, ...]}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExclusionRef {
    /// The exclusion's id.
    pub id: Located<String>,
    /// The targets it applies to; `None` for all of the spec's targets.
    pub targets: Option<Vec<Located<String>>>,
}

impl ExclusionRef {
    /// Whether the exclusion applies to `table`.
    pub fn applies_to(&self, table: &str) -> bool {
        self.targets.as_ref().is_none_or(|targets| targets.iter().any(|t| t.value == table))
    }
}

/// Reads the IOC fields of a spec document.
///
/// Returns `None` when the document has no `iocs` (then any other IOC field is an error,
/// `IOC023`). Invalid indicators are reported and left out; the spec is still returned so
/// that every problem is reported in one run.
pub fn load_ioc_spec(root: &Node, diags: &mut Vec<Diagnostic>) -> Option<IocSpec> {
    let Some(iocs_entry) = root.get("iocs") else {
        for key in &IOC_KEYS[1..] {
            if let Some(entry) = root.get(key) {
                diags.push(
                    Diagnostic::error(
                        ioc_codes::IOC023_IOC_FIELDS_WITHOUT_IOCS,
                        format!("`{key}` is set but the spec has no `iocs`"),
                        entry.key.span,
                    )
                    .with_note("`targets`, `match`, `exclusions` and `internal_networks` apply to the queries Palisade generates from `iocs`")
                    .with_help("add `iocs:` with the indicators, or remove this key"),
                );
            }
        }
        return None;
    };
    let span = iocs_entry.key.span;
    if let Some(query) = root.get("query") {
        diags.push(
            Diagnostic::error(
                ioc_codes::IOC024_IOCS_WITH_QUERY,
                "The spec has both `iocs` and a hand-written `query`",
                query.key.span,
            )
            .with_secondary(span, "the indicators are here")
            .with_note(
                "an IOC spec gets one generated query per target; a second query would be ignored",
            )
            .with_help("remove `query`, or move the hand-written query to its own spec"),
        );
    }

    let iocs = load_iocs(&iocs_entry.value, diags);
    let targets = match root.get("targets") {
        Some(entry) => unique_targets(string_items("targets", &entry.value, diags), diags),
        None => Vec::new(),
    };
    if targets.is_empty() {
        let at = root.get("targets").map_or(span, |entry| entry.key.span);
        let names: Vec<&str> = Catalog::builtin().tables().map(|t| t.name.as_str()).collect();
        diags.push(
            Diagnostic::error(ioc_codes::IOC025_NO_TARGETS, "The IOC spec has no `targets`", at)
                .with_note("a query is generated per target table; without one nothing is built")
                .with_help(format!("list the tables to hunt in, from: {}", names.join(", "))),
        );
    }
    let match_mode = match root.get("match") {
        Some(entry) => match scalar_text("match", &entry.value, diags) {
            Some((text, span)) => MatchMode::parse(&text, span, diags).unwrap_or_default(),
            None => MatchMode::default(),
        },
        None => MatchMode::default(),
    };
    let exclusions = match root.get("exclusions") {
        Some(entry) => exclusion_refs(&entry.value, &targets, diags),
        None => Vec::new(),
    };
    let internal_networks = match root.get("internal_networks") {
        Some(entry) => networks("internal_networks", &entry.value, diags),
        None => default_internal_networks(),
    };
    Some(IocSpec { iocs, targets, match_mode, exclusions, internal_networks, span })
}

fn exclusion_refs(
    node: &Node,
    spec_targets: &[Located<String>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<ExclusionRef> {
    let items: Vec<&Node> = match &node.value {
        Value::Sequence(items) => items.iter().collect(),
        _ if node.is_null() => Vec::new(),
        _ => vec![node],
    };
    let mut refs = Vec::new();
    for item in items {
        if item.as_mapping().is_none() {
            if let Some((text, span)) = scalar_text("exclusions[]", item, diags) {
                refs.push(ExclusionRef {
                    id: Located::new(text.trim().to_owned(), span),
                    targets: None,
                });
            }
            continue;
        }
        unknown_keys("exclusions[]", item, EXCLUSION_REF_KEYS, diags);
        let Some(id) = item.get("id") else {
            diags.push(missing("exclusions[].id", item.span));
            continue;
        };
        let Some((text, span)) = scalar_text("exclusions[].id", &id.value, diags) else {
            continue;
        };
        let targets = item.get("targets").map(|entry| {
            let targets = string_items("exclusions[].targets", &entry.value, diags);
            for target in &targets {
                if !spec_targets.iter().any(|t| t.value == target.value) {
                    diags.push(
                        Diagnostic::warning(
                            ioc_codes::EXC016_SCOPE_NOT_A_TARGET,
                            format!(
                                "Exclusion `{}` is scoped to `{}`, which is not one of the spec's `targets`",
                                text.trim(),
                                target.value
                            ),
                            target.span,
                        )
                        .with_note("the exclusion is applied only to the listed tables; this one gets no query")
                        .with_help("add the table to `targets`, or remove it here"),
                    );
                }
            }
            targets
        });
        refs.push(ExclusionRef { id: Located::new(text.trim().to_owned(), span), targets });
    }
    refs
}

fn load_iocs(node: &Node, diags: &mut Vec<Diagnostic>) -> IocSet {
    if node.as_mapping().is_none() {
        wrong_type("iocs", "a mapping with `indicators`", node, diags);
        return IocSet::default();
    }
    unknown_keys("iocs", node, IOCS_KEYS, diags);
    let text = |key: &str, diags: &mut Vec<Diagnostic>| {
        let entry = node.get(key)?;
        scalar_text(&format!("iocs.{key}"), &entry.value, diags)
            .map(|(text, span)| Located::new(text, span))
    };
    let provenance = Provenance {
        source: text("source", diags),
        malware_family: text("malware_family", diags),
        reference: text("reference", diags),
    };
    let mut indicators = Vec::new();
    match node.get("indicators") {
        None => diags.push(missing("iocs.indicators", node.span)),
        Some(entry) => match entry.value.as_sequence() {
            None => wrong_type("iocs.indicators", "a list", &entry.value, diags),
            Some(items) => {
                if items.is_empty() {
                    diags.push(missing("iocs.indicators[]", entry.value.span));
                }
                indicators.extend(items.iter().filter_map(|item| indicator(item, diags)));
            }
        },
    }
    let set = IocSet::new(provenance, indicators, diags);
    palisade_ioc::hygiene::check_special_use(&set, diags);
    set
}

fn indicator(node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Indicator> {
    let path = "iocs.indicators[]";
    if node.as_mapping().is_none() {
        wrong_type(path, "a mapping with `type` and `value`", node, diags);
        return None;
    }
    unknown_keys(path, node, INDICATOR_KEYS, diags);
    let field = |key: &str, diags: &mut Vec<Diagnostic>| {
        let entry = node.get(key)?;
        scalar_text(&format!("{path}.{key}"), &entry.value, diags)
    };
    let type_text = field("type", diags);
    let value_text = field("value", diags);
    if node.get("type").is_none() {
        diags.push(missing(&format!("{path}.type"), node.span));
    }
    if node.get("value").is_none() {
        diags.push(missing(&format!("{path}.value"), node.span));
    }
    let threat_type = field("threat_type", diags).map(|(text, span)| Located::new(text, span));
    let first_seen =
        field("first_seen", diags).and_then(|(text, span)| parse_first_seen(&text, span, diags));
    let last_seen =
        field("last_seen", diags).and_then(|(text, span)| parse_last_seen(&text, span, diags));
    let confidence =
        field("confidence", diags).and_then(|(text, span)| parse_confidence(&text, span, diags));

    let ((type_text, type_span), (value_text, value_span)) = (type_text?, value_text?);
    let mut indicator = Indicator::parse(&type_text, type_span, &value_text, value_span, diags)?;
    indicator.threat_type = threat_type;
    indicator.first_seen = first_seen;
    indicator.last_seen = last_seen;
    indicator.confidence = confidence;
    check_seen_order(&indicator, diags);
    Some(indicator)
}

/// Whether a document is an exclusion file: a mapping whose only key is `exclusion`.
pub fn is_exclusion_document(root: &Node) -> bool {
    root.as_mapping().is_some_and(|entries| {
        entries.len() == 1 && entries.iter().all(|entry| entry.key_text() == "exclusion")
    })
}

/// The `exclusion.id` of an exclusion document as written, also when the file fails to load,
/// so that a detection referring to it can be told why it is missing.
pub fn exclusion_document_id(root: &Node) -> Option<Located<String>> {
    let id = root.get("exclusion")?.value.get("id")?;
    let scalar = id.value.as_scalar()?;
    (scalar.resolve() != Resolved::Null)
        .then(|| Located::new(scalar.text.trim().to_owned(), id.value.span))
}

/// Reads an exclusion file's document (see [`is_exclusion_document`]).
///
/// Returns `None` with at least one error when a required field is missing or empty, the id is
/// not kebab-case, or a condition is invalid: an exclusion that is only partly understood is
/// never applied.
pub fn load_exclusion(root: &Node, diags: &mut Vec<Diagnostic>) -> Option<Exclusion> {
    let entry = root.get("exclusion")?;
    let node = &entry.value;
    if node.as_mapping().is_none() {
        wrong_type("exclusion", "a mapping", node, diags);
        return None;
    }
    unknown_keys("exclusion", node, EXCLUSION_KEYS, diags);
    let before = diags.len();
    let mut text = |key: &str| -> Option<Located<String>> {
        let Some(field) = node.get(key) else {
            diags.push(missing(&format!("exclusion.{key}"), entry.key.span));
            return None;
        };
        // An empty value is a present but empty text; `Exclusion::new` reports it (`EXC010`).
        if field.value.is_null() {
            return Some(Located::new(String::new(), field.key.span));
        }
        scalar_text(&format!("exclusion.{key}"), &field.value, diags)
            .map(|(text, span)| Located::new(text, span))
    };
    let id = text("id");
    let title = text("title");
    let scenario = text("scenario");
    let rationale = text("rationale");
    let owner = text("owner");
    let expires = match node.get("expires") {
        Some(field) if !field.value.is_null() => {
            scalar_text("exclusion.expires", &field.value, diags)
                .and_then(|(text, span)| parse_expires(&text, span, diags))
        }
        _ => None,
    };
    let condition = match node.get("condition") {
        Some(field) => condition(&field.value, diags),
        None => {
            diags.push(missing("exclusion.condition", entry.key.span));
            None
        }
    };
    let parts = ExclusionParts {
        id: id?,
        title: title?,
        scenario: scenario?,
        rationale: rationale?,
        owner: owner?,
        expires,
        condition: condition?,
    };
    let shape_errors =
        diags[before..].iter().any(|diag| diag.severity == palisade_diagnostics::Severity::Error);
    let exclusion = Exclusion::new(parts, diags)?;
    (!shape_errors).then_some(exclusion)
}

/// One condition node: `all`, `any`, `not`, or one or more `<field>: values`.
fn condition(node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Condition> {
    let Some(entries) = node.as_mapping() else {
        wrong_type(
            "exclusion.condition",
            "a mapping such as `all: [...]` or `process_name: [...]`",
            node,
            diags,
        );
        return None;
    };
    let mut members = Vec::new();
    let mut ok = true;
    for entry in entries {
        let member = match entry.key_text() {
            group @ ("all" | "any") => {
                let Some(items) = entry.value.as_sequence() else {
                    wrong_type(&format!("condition.{group}"), "a list", &entry.value, diags);
                    ok = false;
                    continue;
                };
                let parsed: Vec<Option<Condition>> =
                    items.iter().map(|item| condition(item, diags)).collect();
                if parsed.iter().any(Option::is_none) {
                    ok = false;
                    continue;
                }
                let parsed = parsed.into_iter().flatten().collect();
                let span = entry.key.span.cover(entry.value.span);
                if group == "all" {
                    Condition::all(parsed, span, diags)
                } else {
                    Condition::any(parsed, span, diags)
                }
            }
            "not" => condition(&entry.value, diags)
                .map(|member| Condition::not(member, entry.key.span.cover(entry.value.span))),
            field => leaf(field, entry.key.span, &entry.value, diags).map(Condition::Leaf),
        };
        match member {
            Some(member) => members.push(member),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    match members.len() {
        0 => Condition::all(members, node.span, diags),
        1 => members.pop(),
        _ => Some(Condition::All { members, span: node.span }),
    }
}

fn leaf(field: &str, key_span: Span, value: &Node, diags: &mut Vec<Diagnostic>) -> Option<Leaf> {
    let path = format!("condition.{field}");
    let nodes: Vec<&Node> = match &value.value {
        Value::Sequence(items) => items.iter().collect(),
        Value::Scalar(_) if value.is_null() => Vec::new(),
        Value::Scalar(_) => vec![value],
        Value::Mapping(_) => {
            wrong_type(&path, "a value or a list of values", value, diags);
            return None;
        }
    };
    let mut texts = Vec::new();
    for node in nodes {
        texts.push(scalar_text(&path, node, diags)?);
    }
    let values: Vec<Located<&str>> =
        texts.iter().map(|(text, span)| Located::new(text.as_str(), *span)).collect();
    let span = key_span.cover(value.span);
    Leaf::parse(Catalog::builtin(), Located::new(field, key_span), &values, span, diags)
}

/// A list of strings; a single string is read as a list of one.
/// The targets with each table once: a repeated table (compared exactly, as table names are)
/// is a warning (`IOC037`) at the repetition and is dropped, so the table is compiled once.
fn unique_targets(
    targets: Vec<Located<String>>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Located<String>> {
    let mut kept: Vec<Located<String>> = Vec::with_capacity(targets.len());
    for target in targets {
        if let Some(first) = kept.iter().find(|t| t.value == target.value) {
            diags.push(
                Diagnostic::warning(
                    ioc_codes::IOC037_DUPLICATE_TARGET,
                    format!("`{}` is listed twice in `targets`", target.value),
                    target.span,
                )
                .with_label("repeated")
                .with_secondary(first.span, "first listed here")
                .with_note(
                    "each table gets one analytics rule and one hunting query; it is compiled once",
                )
                .with_help("remove the repeated entry"),
            );
            continue;
        }
        kept.push(target);
    }
    kept
}

fn string_items(path: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Vec<Located<String>> {
    let nodes: Vec<&Node> = match &node.value {
        Value::Sequence(items) => items.iter().collect(),
        Value::Scalar(_) if node.is_null() => Vec::new(),
        Value::Scalar(_) => vec![node],
        Value::Mapping(_) => {
            wrong_type(path, "a list of names", node, diags);
            return Vec::new();
        }
    };
    nodes
        .into_iter()
        .filter_map(|item| scalar_text(&format!("{path}[]"), item, diags))
        .map(|(text, span)| Located::new(text.trim().to_owned(), span))
        .collect()
}

fn networks(path: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Vec<IpNet> {
    let mut out = Vec::new();
    for item in string_items(path, node, diags) {
        let text = item.value.as_str();
        let parsed = text
            .parse::<IpNet>()
            .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
            .ok()
            .filter(|net| net.trunc() == *net);
        match parsed {
            Some(net) => out.push(net),
            None => diags.push(
                Diagnostic::error(
                    ioc_codes::IOC005_INVALID_CIDR,
                    format!("`{text}` is not a CIDR range or address"),
                    item.span,
                )
                .with_note("a range with host bits set (`10.1.2.3/8`) is not accepted here")
                .with_help(
                    "write a network such as `10.0.0.0/8` or an address such as `192.0.2.1`",
                ),
            ),
        }
    }
    out
}

/// The text of a scalar (a number or date is read as written); other nodes are `SPEC012`.
fn scalar_text(path: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<(String, Span)> {
    match node.as_scalar() {
        Some(scalar) if scalar.resolve() != Resolved::Null => {
            Some((scalar.text.clone(), node.span))
        }
        Some(_) => {
            diags.push(missing(path, node.span));
            None
        }
        None => {
            wrong_type(path, "a single value", node, diags);
            None
        }
    }
}

fn wrong_type(path: &str, expected: &str, node: &Node, diags: &mut Vec<Diagnostic>) {
    let mut diag = Diagnostic::error(
        codes::WRONG_TYPE,
        format!("`{path}` must be {expected}, found {}", node.type_name()),
        node.span,
    );
    if node.as_sequence().is_some() {
        diag = diag.with_note("a value starting with `[` is a YAML list unless it is quoted");
    }
    diags.push(diag.with_help("see docs/iocs-and-exclusions.md for the format"));
}

fn missing(path: &str, span: Span) -> Diagnostic {
    Diagnostic::error(codes::MISSING_FIELD, format!("Missing `{path}`"), span)
        .with_help("see docs/iocs-and-exclusions.md for the format")
}

fn unknown_keys(
    path: &str,
    node: &Node,
    known: &'static [&'static str],
    diags: &mut Vec<Diagnostic>,
) {
    for entry in node.as_mapping().unwrap_or_default() {
        let key = entry.key_text();
        if known.contains(&key) {
            continue;
        }
        let mut diag = Diagnostic::warning(
            codes::UNKNOWN_KEY,
            format!("Unknown key `{key}` in `{path}`"),
            entry.key.span,
        )
        .with_note("it is ignored");
        diag = match crate::load::nearest(key, known) {
            Some(near) => diag.with_help(format!("did you mean `{near}`?")),
            None => diag.with_help(format!("known keys: {}", known.join(", "))),
        };
        diags.push(diag);
    }
}

#[cfg(test)]
mod tests;
