//! Reusable exclusions: who owns them, why they exist, and the conditions that say which rows
//! they remove.
//!
//! An exclusion is a tree of conditions over logical fields of the catalog, combined with
//! `all`, `any` and `not`. Its meaning is three-valued: on a given row each condition is
//! *true*, *false* or *unknown* (the field is empty, or the target table has no such column),
//! and the exclusion removes the row only when the whole tree is known to be true. So an empty
//! field never causes a removal, and a condition that cannot be evaluated never widens the
//! exclusion: in `all` it makes the exclusion match nothing, in `any` the other members still
//! apply, and `not` of unknown stays unknown. [`Condition::evaluate`] implements this for the
//! checks; the KQL writer in [`crate::generate`] compiles the same logic into the query.

use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;
use palisade_diagnostics::{Diagnostic, Span};

use crate::catalog::{Catalog, Family, FieldKind, TableDef};
use crate::codes;
use crate::date::Date;
use crate::indicator::{Located, parse_network};

/// One exclusion, as loaded from an `exclusions/*.yaml` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exclusion {
    /// A kebab-case id, unique across the repository, used by specs to refer to it.
    pub id: Located<String>,
    /// A one-line title.
    pub title: Located<String>,
    /// The false-positive scenario, in prose.
    pub scenario: Located<String>,
    /// Why excluding it is acceptable.
    pub rationale: Located<String>,
    /// Who is responsible for it.
    pub owner: Located<String>,
    /// The last day it is meant to apply, if it is temporary.
    pub expires: Option<Located<Date>>,
    /// Which rows it removes.
    pub condition: Condition,
}

/// The texts of an exclusion, checked by [`Exclusion::new`].
#[derive(Clone, Debug)]
pub struct ExclusionParts {
    /// `id`.
    pub id: Located<String>,
    /// `title`.
    pub title: Located<String>,
    /// `scenario`.
    pub scenario: Located<String>,
    /// `rationale`.
    pub rationale: Located<String>,
    /// `owner`.
    pub owner: Located<String>,
    /// `expires`, already parsed with [`parse_expires`].
    pub expires: Option<Located<Date>>,
    /// The conditions.
    pub condition: Condition,
}

impl Exclusion {
    /// Checks the required texts and the id; `None` (with errors) when one is empty or the id
    /// is not kebab-case.
    pub fn new(parts: ExclusionParts, diags: &mut Vec<Diagnostic>) -> Option<Exclusion> {
        let mut ok = true;
        let required = [
            ("id", &parts.id),
            ("title", &parts.title),
            ("scenario", &parts.scenario),
            ("rationale", &parts.rationale),
            ("owner", &parts.owner),
        ];
        for (name, text) in required {
            if let Some(hidden) = crate::text::first_hidden(&text.value) {
                diags.push(
                    Diagnostic::error(
                        codes::EXC018_HIDDEN_CHARACTER,
                        format!("Exclusion `{name}` contains {hidden}"),
                        text.span,
                    )
                    .with_label("invisible or bidirectional control character")
                    .with_note(
                        "such characters change how the text reads in a review and in the \
                         generated query's comments without being visible",
                    )
                    .with_help("retype the text without it"),
                );
                ok = false;
            }
            if text.value.trim().is_empty() {
                diags.push(
                    Diagnostic::error(
                        codes::EXC010_MISSING_FIELD,
                        format!("Exclusion has an empty `{name}`"),
                        text.span,
                    )
                    .with_note("every exclusion records what it hides, why, and who answers for it")
                    .with_help(format!("write the `{name}`")),
                );
                ok = false;
            }
        }

        let id = parts.id.value.trim();
        let kebab = !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !id.starts_with('-')
            && !id.ends_with('-')
            && !id.contains("--");
        if !id.is_empty() && !kebab {
            let message = format!("Exclusion id `{id}` is not kebab-case");
            let help =
                "use lower-case letters, digits and single hyphens, such as `splunk-forwarders`";
            diags.push(
                Diagnostic::error(codes::EXC012_INVALID_ID, message, parts.id.span).with_help(help),
            );
            ok = false;
        }
        if !ok {
            return None;
        }

        Some(Exclusion {
            id: Located::new(id.to_string(), parts.id.span),
            title: parts.title,
            scenario: parts.scenario,
            rationale: parts.rationale,
            owner: parts.owner,
            expires: parts.expires,
            condition: parts.condition,
        })
    }

    /// A warning when the exclusion expired before `today`.
    ///
    /// An expired exclusion is still compiled in: dropping it would make the same sources build
    /// to different queries on different days. The warning asks for a decision instead.
    pub fn check_expiry(&self, today: Date) -> Option<Diagnostic> {
        let expires = self.expires.as_ref()?;
        if expires.value >= today {
            return None;
        }

        Some(
            Diagnostic::warning(
                codes::EXC007_EXPIRED,
                format!("Exclusion `{}` expired on {}", self.id.value, expires.value),
                expires.span,
            )
            .with_label("in the past")
            .with_note("it is still applied, so the rows it hides stay hidden")
            .with_help(format!(
                "confirm it with `{}` and move `expires` forward, or delete it",
                self.owner.value
            )),
        )
    }
}

/// An exclusion file that was recognised as one but failed to load: its id as written (when it
/// has one) and where its first error is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedExclusion {
    /// The `id` as written in the file.
    pub id: Located<String>,
    /// The first error that kept the file from loading.
    pub error: Option<Span>,
}

/// An error (`EXC017`) when a detection refers to `id`, no loaded exclusion has it, and a file
/// that failed to load does: the reference is then not "unknown" (`EXC004`) but broken by the
/// file's own error, which the related span points at.
pub fn failed_reference(
    id: &Located<String>,
    known: &[Exclusion],
    failed: &[FailedExclusion],
) -> Option<Diagnostic> {
    if known.iter().any(|e| e.id.value == id.value) {
        return None;
    }
    let failed = failed.iter().find(|f| f.id.value.trim() == id.value)?;
    let mut diag = Diagnostic::error(
        codes::EXC017_EXCLUSION_FAILED_TO_LOAD,
        format!("Exclusion `{}` failed to load", id.value),
        id.span,
    )
    .with_label("its file has errors")
    .with_secondary(failed.id.span, "the file defines this id");
    if let Some(error) = failed.error {
        diag = diag.with_secondary(error, "this error keeps it from loading");
    }
    Some(
        diag.with_note(
            "an exclusion that is only partly understood is never applied, so the detection is \
             not built without it",
        )
        .with_help("fix the error in the exclusion file"),
    )
}

/// Resolves the exclusion ids a detection lists, with an error for each unknown id that names
/// the nearest known id (by edit distance, ignoring case).
pub fn resolve<'a>(
    ids: &[Located<String>],
    known: &'a [Exclusion],
    diags: &mut Vec<Diagnostic>,
) -> Vec<&'a Exclusion> {
    let mut resolved: Vec<&'a Exclusion> = Vec::new();
    for id in ids {
        let Some(exclusion) = known.iter().find(|e| e.id.value == id.value) else {
            let mut diag = Diagnostic::error(
                codes::EXC004_UNKNOWN_EXCLUSION,
                format!("No exclusion has the id `{}`", id.value),
                id.span,
            )
            .with_label("not defined in any exclusion file");
            diag = match nearest_id(&id.value, known) {
                Some(close) if close.eq_ignore_ascii_case(&id.value) => {
                    diag.with_help(format!("ids are case-sensitive: did you mean `{close}`?"))
                }
                Some(close) => diag.with_help(format!("the nearest known id is `{close}`")),
                None => diag
                    .with_note("no exclusion file was loaded")
                    .with_help("add the exclusion to `exclusions/` or remove the reference"),
            };
            diags.push(diag);
            continue;
        };
        if !resolved.iter().any(|e| e.id.value == exclusion.id.value) {
            resolved.push(exclusion);
        }
    }
    resolved
}

/// The known id closest to `id` by edit distance, ignoring case; ties go to the first in order.
pub fn nearest_id<'a>(id: &str, known: &'a [Exclusion]) -> Option<&'a str> {
    let lower = id.to_lowercase();
    known
        .iter()
        .map(|e| (e.id.value.as_str(), strsim::levenshtein(&lower, &e.id.value.to_lowercase())))
        .min_by_key(|&(_, distance)| distance)
        .map(|(name, _)| name)
}

/// Parses `expires`: a date written `YYYY-MM-DD`.
pub fn parse_expires(text: &str, span: Span, diags: &mut Vec<Diagnostic>) -> Option<Located<Date>> {
    if let Some(date) = Date::parse(text.trim()) {
        return Some(Located::new(date, span));
    }

    diags.push(
        Diagnostic::error(
            codes::EXC011_INVALID_DATE,
            format!("`expires` value `{}` is not a date", text.trim()),
            span,
        )
        .with_label("expected YYYY-MM-DD"),
    );
    None
}

/// A condition tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// True when every member is true.
    All {
        /// The members, at least one.
        members: Vec<Condition>,
        /// The `all:` node.
        span: Span,
    },
    /// True when some member is true.
    Any {
        /// The members, at least one.
        members: Vec<Condition>,
        /// The `any:` node.
        span: Span,
    },
    /// True when the member is known to be false.
    Not {
        /// The negated condition.
        member: Box<Condition>,
        /// The `not:` node.
        span: Span,
    },
    /// A test of one field.
    Leaf(Leaf),
}

impl Condition {
    /// `all:` with an error when it has no members.
    pub fn all(
        members: Vec<Condition>,
        span: Span,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Condition> {
        non_empty("all", &members, span, diags)?;
        Some(Condition::All { members, span })
    }

    /// `any:` with an error when it has no members.
    pub fn any(
        members: Vec<Condition>,
        span: Span,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Condition> {
        non_empty("any", &members, span, diags)?;
        Some(Condition::Any { members, span })
    }

    /// `not:`.
    pub fn not(member: Condition, span: Span) -> Condition {
        Condition::Not { member: Box::new(member), span }
    }

    /// Every leaf, depth first.
    pub fn leaves(&self) -> Vec<&Leaf> {
        let mut out = Vec::new();
        self.collect_leaves(&mut out);
        out
    }

    fn collect_leaves<'a>(&'a self, out: &mut Vec<&'a Leaf>) {
        match self {
            Condition::All { members, .. } | Condition::Any { members, .. } => {
                members.iter().for_each(|member| member.collect_leaves(out));
            }
            Condition::Not { member, .. } => member.collect_leaves(out),
            Condition::Leaf(leaf) => out.push(leaf),
        }
    }

    /// Evaluates the condition on a row described by `facts`, on `table`.
    ///
    /// A leaf whose field the table does not map, or about which `facts` says nothing, is
    /// unknown; `all`, `any` and `not` follow three-valued (Kleene) logic.
    pub fn evaluate(&self, table: &TableDef, facts: &Facts) -> Truth {
        match self {
            Condition::All { members, .. } => members
                .iter()
                .fold(Truth::True, |acc, member| acc.and(member.evaluate(table, facts))),
            Condition::Any { members, .. } => members
                .iter()
                .fold(Truth::False, |acc, member| acc.or(member.evaluate(table, facts))),
            Condition::Not { member, .. } => !member.evaluate(table, facts),
            Condition::Leaf(leaf) => match facts.get(&leaf.field.value) {
                Some(fact) if table_holds(table, &leaf.field.value, fact) => leaf.test(fact),
                _ => Truth::Unknown,
            },
        }
    }

    /// Whether some leaf on a field `facts` knows is true or could be (a range that overlaps
    /// the leaf's ranges), whatever the rest of the tree says.
    pub fn some_leaf_touches(&self, table: &TableDef, facts: &Facts) -> bool {
        self.leaves().into_iter().any(|leaf| {
            facts.get(&leaf.field.value).is_some_and(|fact| {
                table_holds(table, &leaf.field.value, fact) && leaf.test(fact) != Truth::False
            })
        })
    }
}

/// Whether `table` has a column where `field` could hold `fact`: the field is mapped, and for
/// addresses there is a column for each family the fact names.
fn table_holds(table: &TableDef, field: &str, fact: &Fact) -> bool {
    match (table.field_columns(field), fact) {
        (None, _) => false,
        (Some(columns), Fact::Addresses(networks)) => {
            networks.iter().all(|network| columns.for_family(Family::of(network.addr())).is_some())
        }
        (Some(_), _) => true,
    }
}

fn non_empty(
    what: &str,
    members: &[Condition],
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<()> {
    if !members.is_empty() {
        return Some(());
    }

    diags.push(
        Diagnostic::error(
            codes::EXC008_EMPTY_CONDITION,
            format!("`{what}` has no conditions"),
            span,
        )
        .with_note("an empty group would match every row or none; neither is a safe reading")
        .with_help("list at least one condition"),
    );
    None
}

/// A test of one logical field against a list of values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leaf {
    /// The logical field, for example `source_address`.
    pub field: Located<String>,
    /// The field's kind, from the catalog.
    pub kind: FieldKind,
    /// The values; the leaf is true when the field equals (or lies in) one of them.
    pub values: Values,
    /// The whole condition node.
    pub span: Span,
}

/// The values of a leaf, typed by the field's kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Values {
    /// Address fields: CIDR ranges (a bare address is a `/32` or `/128`).
    Networks(Vec<Located<IpNet>>),
    /// Port fields.
    Ports(Vec<Located<u16>>),
    /// Name and hash fields, compared case-insensitively; hashes are stored in lower case.
    Names(Vec<Located<String>>),
}

impl Leaf {
    /// Builds a leaf from a field name and its values, checking both against the catalog.
    pub fn parse(
        catalog: &Catalog,
        field: Located<&str>,
        values: &[Located<&str>],
        span: Span,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Leaf> {
        let Some(def) = catalog.field(field.value).filter(|def| def.kind != FieldKind::Time) else {
            let names: Vec<&str> = catalog
                .fields()
                .filter(|f| f.kind != FieldKind::Time)
                .map(|f| f.name.as_str())
                .collect();
            diags.push(
                Diagnostic::error(
                    codes::EXC001_UNKNOWN_FIELD,
                    format!("`{}` is not a field exclusions can test", field.value),
                    field.span,
                )
                .with_help(format!("use one of: {}", names.join(", "))),
            );
            return None;
        };
        if values.is_empty() {
            diags.push(
                Diagnostic::error(
                    codes::EXC008_EMPTY_CONDITION,
                    format!("Condition on `{}` has no values", def.name),
                    span,
                )
                .with_help("list the values to exclude"),
            );
            return None;
        }

        let before = diags.len();
        let parsed = match def.kind {
            FieldKind::Address => {
                Values::Networks(values.iter().filter_map(|v| parse_cidr_value(v, diags)).collect())
            }
            FieldKind::Port => {
                Values::Ports(values.iter().filter_map(|v| parse_port_value(v, diags)).collect())
            }
            kind => Values::Names(
                values.iter().filter_map(|v| parse_name_value(kind, v, diags)).collect(),
            ),
        };
        if diags[before..].iter().any(|d| d.severity == palisade_diagnostics::Severity::Error) {
            return None;
        }

        Some(Leaf {
            field: Located::new(def.name.clone(), field.span),
            kind: def.kind,
            values: parsed,
            span,
        })
    }

    /// Tests one known fact.
    pub fn test(&self, fact: &Fact) -> Truth {
        match (&self.values, fact) {
            (Values::Networks(networks), Fact::Addresses(candidates)) => {
                network_truth(networks.iter().map(|n| n.value), candidates)
            }
            (Values::Ports(ports), Fact::Port(port)) => {
                Truth::from(ports.iter().any(|p| p.value == *port))
            }
            (Values::Names(names), Fact::Name(name)) => {
                Truth::from(names.iter().any(|n| n.value.eq_ignore_ascii_case(name)))
            }
            _ => Truth::Unknown,
        }
    }
}

/// Whether every candidate lies inside the networks (true), none touches them (false), or it
/// depends on the exact address (unknown).
fn network_truth(networks: impl Iterator<Item = IpNet> + Clone, candidates: &[IpNet]) -> Truth {
    if candidates.is_empty() {
        return Truth::Unknown;
    }

    let inside = candidates.iter().all(|c| networks.clone().any(|n| n.contains(c)));
    if inside {
        return Truth::True;
    }
    let touches =
        candidates.iter().any(|c| networks.clone().any(|n| n.contains(c) || c.contains(&n)));
    if touches { Truth::Unknown } else { Truth::False }
}

fn parse_cidr_value(value: &Located<&str>, diags: &mut Vec<Diagnostic>) -> Option<Located<IpNet>> {
    let text = value.value.trim();
    if let Ok(address) = text.parse::<IpAddr>() {
        return Some(Located::new(IpNet::from(address), value.span));
    }

    match parse_network(text) {
        Ok(parsed) if !parsed.had_host_bits => Some(Located::new(parsed.network, value.span)),
        Ok(parsed) => {
            // An exclusion must not remove more than its author meant, and `10.1.2.3/8` could
            // mean the host or the whole /8; we refuse to guess.
            diags.push(
                Diagnostic::error(
                    codes::EXC009_CIDR_HOST_BITS,
                    format!("CIDR `{text}` has host bits set"),
                    value.span,
                )
                .with_note(
                    "it is unclear whether one host or the whole range is meant, so it is rejected",
                )
                .with_help(format!(
                    "write `{}` for the range or the bare address for one host",
                    parsed.network
                )),
            );
            None
        }
        Err(reason) => {
            diags.push(
                Diagnostic::error(
                    codes::EXC002_INVALID_VALUE,
                    format!("`{text}` is not an address or CIDR range"),
                    value.span,
                )
                .with_label(reason),
            );
            None
        }
    }
}

fn parse_port_value(value: &Located<&str>, diags: &mut Vec<Diagnostic>) -> Option<Located<u16>> {
    let text = value.value.trim();
    if text.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(port @ 1..=65535) = text.parse::<u32>() {
            return Some(Located::new(u16::try_from(port).expect("at most 65535"), value.span));
        }
    }

    diags.push(
        Diagnostic::error(
            codes::EXC002_INVALID_VALUE,
            format!("`{text}` is not a port"),
            value.span,
        )
        .with_label("expected a port from 1 to 65535"),
    );
    None
}

fn parse_name_value(
    kind: FieldKind,
    value: &Located<&str>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Located<String>> {
    let text = value.value.trim();
    let expected_len = match kind {
        FieldKind::Md5 => Some(32),
        FieldKind::Sha1 => Some(40),
        FieldKind::Sha256 => Some(64),
        _ => None,
    };
    if let Some(len) = expected_len {
        if text.len() != len || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            diags.push(
                Diagnostic::error(
                    codes::EXC002_INVALID_VALUE,
                    format!("`{text}` is not a {} hash", kind.as_str()),
                    value.span,
                )
                .with_label(format!("expected {len} hexadecimal digits")),
            );
            return None;
        }
        return Some(Located::new(text.to_ascii_lowercase(), value.span));
    }

    if let Some(hidden) = crate::text::first_hidden(text) {
        diags.push(
            Diagnostic::error(
                codes::EXC002_INVALID_VALUE,
                format!("`{}` contains {hidden}", text.escape_default()),
                value.span,
            )
            .with_label("invisible or bidirectional control character")
            .with_note(
                "the value would read as another name in a review and in the generated query",
            )
            .with_help("retype the value without it"),
        );
        return None;
    }
    if text.is_empty() || text.chars().any(char::is_control) {
        diags.push(
            Diagnostic::error(
                codes::EXC002_INVALID_VALUE,
                format!("`{}` is not a usable name", text.escape_default()),
                value.span,
            )
            .with_label("names must be non-empty and free of control characters"),
        );
        return None;
    }
    Some(Located::new(text.to_string(), value.span))
}

/// A truth value that may be unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truth {
    /// Known to hold.
    True,
    /// Known not to hold.
    False,
    /// Not known: the field is empty, unmapped, or depends on the exact value.
    Unknown,
}

impl Truth {
    /// Kleene conjunction.
    pub fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::True, Truth::True) => Truth::True,
            _ => Truth::Unknown,
        }
    }

    /// Kleene disjunction.
    pub fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::True, _) | (_, Truth::True) => Truth::True,
            (Truth::False, Truth::False) => Truth::False,
            _ => Truth::Unknown,
        }
    }
}

impl std::ops::Not for Truth {
    type Output = Truth;

    /// Kleene negation.
    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

impl From<bool> for Truth {
    fn from(value: bool) -> Self {
        if value { Truth::True } else { Truth::False }
    }
}

impl fmt::Display for Truth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Truth::True => "true",
            Truth::False => "false",
            Truth::Unknown => "unknown",
        })
    }
}

/// What is known about one field of a hypothetical row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fact {
    /// The address is one of these ranges (one address is a `/32` or `/128`).
    Addresses(Vec<IpNet>),
    /// The port.
    Port(u16),
    /// A name or hash.
    Name(String),
}

/// Known field values of a hypothetical row, by logical field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts(Vec<(String, Fact)>);

impl Facts {
    /// No known fields.
    pub fn new() -> Self {
        Facts(Vec::new())
    }

    /// Adds a known field.
    pub fn with(mut self, field: &str, fact: Fact) -> Self {
        self.0.push((field.to_string(), fact));
        self
    }

    /// The fact about a field.
    pub fn get(&self, field: &str) -> Option<&Fact> {
        self.0.iter().find(|(name, _)| name == field).map(|(_, fact)| fact)
    }
}

#[cfg(test)]
mod tests {
    use palisade_diagnostics::FileId;

    use super::*;

    fn at(start: u32) -> Span {
        Span::new(FileId(1), start, start + 1)
    }

    fn leaf(field: &str, values: &[&str]) -> Condition {
        let mut diags = Vec::new();
        let values: Vec<Located<&str>> =
            values.iter().enumerate().map(|(i, v)| Located::new(*v, at(i as u32))).collect();
        let leaf =
            Leaf::parse(Catalog::builtin(), Located::new(field, at(0)), &values, at(0), &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        Condition::Leaf(leaf.unwrap())
    }

    fn address(text: &str) -> Fact {
        Fact::Addresses(vec![IpNet::from(text.parse::<IpAddr>().unwrap())])
    }

    fn csl() -> &'static TableDef {
        Catalog::builtin().table("CommonSecurityLog").unwrap()
    }

    #[test]
    fn cidr_membership_is_exact() {
        let private = leaf("source_address", &["172.16.0.0/12"]);
        for outside in
            ["172.245.95.9", "172.32.0.1", "172.160.0.1", "172.222.171.197", "172.15.255.255"]
        {
            let facts = Facts::new().with("source_address", address(outside));
            assert_eq!(private.evaluate(csl(), &facts), Truth::False, "{outside}");
        }
        for inside in ["172.16.0.1", "172.16.5.4", "172.31.255.255"] {
            let facts = Facts::new().with("source_address", address(inside));
            assert_eq!(private.evaluate(csl(), &facts), Truth::True, "{inside}");
        }
    }

    #[test]
    fn cidr_membership_works_for_ipv6() {
        let ula = leaf("source_address", &["fd00::/8", "2001:db8:1::/48"]);
        let facts = |a: &str| Facts::new().with("source_address", address(a));
        assert_eq!(ula.evaluate(csl(), &facts("fd12:3456::1")), Truth::True);
        assert_eq!(ula.evaluate(csl(), &facts("2001:db8:1:ffff::1")), Truth::True);
        assert_eq!(ula.evaluate(csl(), &facts("2001:db8:2::1")), Truth::False);
        assert_eq!(ula.evaluate(csl(), &facts("10.0.0.1")), Truth::False, "families never overlap");
        let wide =
            Facts::new().with("source_address", Fact::Addresses(vec!["fd00::/7".parse().unwrap()]));
        assert_eq!(
            ula.evaluate(csl(), &wide),
            Truth::Unknown,
            "fd00::/7 is only half inside fd00::/8"
        );
    }

    #[test]
    fn names_and_hashes_compare_case_insensitively() {
        let process = leaf("process_name", &["PowerShell.exe"]);
        let facts = Facts::new().with("process_name", Fact::Name("powershell.EXE".into()));
        assert_eq!(process.evaluate(csl(), &facts), Truth::True);
        let facts = Facts::new().with("process_name", Fact::Name("pwsh.exe".into()));
        assert_eq!(process.evaluate(csl(), &facts), Truth::False);

        let dne = Catalog::builtin().table("DeviceNetworkEvents").unwrap();
        let hash = leaf(
            "file_hash_sha256",
            &["275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F"],
        );
        let Condition::Leaf(ref stored) = hash else { unreachable!() };
        assert_eq!(
            stored.values,
            Values::Names(vec![Located::new(
                "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f".into(),
                at(0)
            )])
        );
        let facts = Facts::new().with(
            "file_hash_sha256",
            Fact::Name("275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f".into()),
        );
        assert_eq!(hash.evaluate(dne, &facts), Truth::True);
    }

    #[test]
    fn unknown_and_unmapped_fields_never_widen_an_exclusion() {
        let mut diags = Vec::new();
        let both = Condition::all(
            vec![leaf("account", &["admin_user"]), leaf("process_name", &["powershell.exe"])],
            at(0),
            &mut diags,
        )
        .unwrap();
        let admin = Facts::new().with("account", Fact::Name("admin_user".into()));
        assert_eq!(both.evaluate(csl(), &admin), Truth::Unknown, "process unknown: not removed");

        let either = Condition::any(
            vec![leaf("process_name", &["splunkd.exe"]), leaf("source_address", &["10.1.1.5"])],
            at(0),
            &mut diags,
        )
        .unwrap();
        let dne = Catalog::builtin().table("DeviceNetworkEvents").unwrap();
        let from_forwarder = Facts::new().with("source_address", address("10.1.1.5"));
        assert_eq!(either.evaluate(csl(), &from_forwarder), Truth::True);
        assert_eq!(
            either.evaluate(dne, &from_forwarder),
            Truth::Unknown,
            "DeviceNetworkEvents has no source_address"
        );

        let negated = Condition::not(leaf("source_address", &["10.0.0.0/8"]), at(0));
        assert_eq!(negated.evaluate(csl(), &Facts::new()), Truth::Unknown, "empty field under not");
        assert_eq!(negated.evaluate(csl(), &from_forwarder), Truth::False);
        let outside = Facts::new().with("source_address", address("192.0.2.1"));
        assert_eq!(negated.evaluate(csl(), &outside), Truth::True);
        assert!(diags.is_empty());
    }

    #[test]
    fn rejects_invalid_values_and_fields() {
        let catalog = Catalog::builtin();
        let parse = |field: &str, value: &str| {
            let mut diags = Vec::new();
            let leaf = Leaf::parse(
                catalog,
                Located::new(field, at(0)),
                &[Located::new(value, at(5))],
                at(0),
                &mut diags,
            );
            assert!(leaf.is_none());
            (diags[0].code.as_str(), diags[0].primary.span)
        };
        assert_eq!(parse("src_ip", "10.0.0.0/8"), ("EXC001", at(0)));
        assert_eq!(parse("time", "x"), ("EXC001", at(0)));
        assert_eq!(parse("source_address", "10.0.0.0/33"), ("EXC002", at(5)));
        assert_eq!(parse("source_address", "256.0.0.0/8"), ("EXC002", at(5)));
        assert_eq!(parse("source_address", "10.1.2.3/8"), ("EXC009", at(5)));
        assert_eq!(parse("source_address", "10.0.0.0/8\" or true"), ("EXC002", at(5)));
        assert_eq!(parse("destination_port", "99999"), ("EXC002", at(5)));
        assert_eq!(parse("file_hash_md5", "abc"), ("EXC002", at(5)));
        assert_eq!(parse("process_name", "a\nb"), ("EXC002", at(5)));
        for hidden in ["\u{202E}", "\u{200B}", "\u{2067}", "\u{FEFF}"] {
            let value = format!("splunk{hidden}d.exe");
            assert_eq!(
                parse("process_name", &value),
                ("EXC002", at(5)),
                "{}",
                hidden.escape_unicode()
            );
            assert_eq!(parse("account", &value), ("EXC002", at(5)));
        }

        let mut diags = Vec::new();
        assert!(
            Leaf::parse(catalog, Located::new("account", at(0)), &[], at(0), &mut diags).is_none()
        );
        assert!(Condition::any(Vec::new(), at(0), &mut diags).is_none());
        assert_eq!(diags.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["EXC008", "EXC008"]);
    }

    fn parts(id: &str, expires: Option<&str>) -> ExclusionParts {
        let text = |t: &str| Located::new(t.to_string(), at(0));
        let mut diags = Vec::new();
        ExclusionParts {
            id: text(id),
            title: text("Splunk forwarders"),
            scenario: text("Forwarders send logs to the indexers."),
            rationale: text("Known infrastructure."),
            owner: text("soc-platform"),
            expires: expires.and_then(|e| parse_expires(e, at(9), &mut diags)),
            condition: leaf("process_name", &["splunkd.exe"]),
        }
    }

    #[test]
    fn checks_ids_required_texts_and_expiry() {
        let mut diags = Vec::new();
        let exclusion =
            Exclusion::new(parts("splunk-forwarders", Some("2026-06-30")), &mut diags).unwrap();
        assert!(diags.is_empty());
        assert_eq!(
            exclusion.check_expiry(Date::parse("2026-06-30").unwrap()),
            None,
            "valid through its last day"
        );
        let expired = exclusion.check_expiry(Date::parse("2026-07-01").unwrap()).unwrap();
        assert_eq!(expired.code, codes::EXC007_EXPIRED);
        assert_eq!(expired.message, "Exclusion `splunk-forwarders` expired on 2026-06-30");
        assert_eq!(expired.primary.span, at(9));

        assert!(Exclusion::new(parts("Splunk_Forwarders", None), &mut diags).is_none());
        assert_eq!(diags[0].code, codes::EXC012_INVALID_ID);
        let mut empty = parts("x", None);
        empty.owner.value = " ".into();
        let mut diags = Vec::new();
        assert!(Exclusion::new(empty, &mut diags).is_none());
        assert_eq!(diags[0].message, "Exclusion has an empty `owner`");

        let mut hidden = parts("splunk-forwarders", None);
        hidden.title.value = "Splunk \u{202E}sredrawrof".into();
        let mut diags = Vec::new();
        assert!(Exclusion::new(hidden, &mut diags).is_none(), "not applied");
        assert_eq!(diags[0].code, codes::EXC018_HIDDEN_CHARACTER);
        assert_eq!(diags[0].message, "Exclusion `title` contains U+202E (right-to-left override)");
    }

    #[test]
    fn a_reference_to_a_file_that_failed_to_load_says_so() {
        let mut diags = Vec::new();
        let loaded = vec![Exclusion::new(parts("splunk-forwarders", None), &mut diags).unwrap()];
        let failed = [FailedExclusion {
            id: Located::new("intune-updates".to_string(), at(40)),
            error: Some(at(44)),
        }];
        let reference = Located::new("intune-updates".to_string(), at(3));
        let diag = failed_reference(&reference, &loaded, &failed).unwrap();
        assert_eq!(diag.code, codes::EXC017_EXCLUSION_FAILED_TO_LOAD);
        assert_eq!(diag.message, "Exclusion `intune-updates` failed to load");
        assert_eq!(diag.primary.span, at(3));
        assert_eq!(
            diag.secondary.iter().map(|s| s.span).collect::<Vec<_>>(),
            [at(40), at(44)],
            "the file's id and its own error"
        );
        let known = Located::new("splunk-forwarders".to_string(), at(3));
        assert_eq!(failed_reference(&known, &loaded, &failed), None);
        let unknown = Located::new("other".to_string(), at(3));
        assert_eq!(failed_reference(&unknown, &loaded, &failed), None, "that one is EXC004");
    }
}
