//! KQL generation for one (detection, target table), with the checks that relate indicators,
//! exclusions and the table.
//!
//! The query has a fixed shape: `let` lists of indicators, the table, one `where` that matches
//! the indicators on the catalog's columns, one `where not(...)` per applied exclusion, the
//! `Matched*` columns, `project` and `order by`. Every value enters as an escaped literal.

use std::collections::BTreeMap;
use std::net::IpAddr;

use ipnet::IpNet;
use palisade_diagnostics::{Diagnostic, Span};
use uuid::Uuid;

use crate::catalog::{
    Catalog, EntityMapping, Family, FieldColumns, MATCHED_ADDRESS, MATCHED_DOMAIN, MATCHED_EMAIL,
    MATCHED_HASH, MATCHED_HASH_ALGORITHM, MATCHED_URL, MatchSide, TableDef,
};
use crate::codes;
use crate::exclusion::{Condition, Exclusion, Fact, Facts, Leaf, Truth, Values};
use crate::indicator::{HashAlgorithm, Indicator, IndicatorValue, IocSet, Located, MatchKind};
use crate::kql::{Bool, dynamic_strings, int_list, string_list, string_literal};

/// Sentinel's limit on the length of an analytics rule query, in characters.
// See: ../shared/reference/sentinel-facts.md (query: 1-10,000 chars)
pub const MAX_QUERY_CHARS: usize = 10_000;

/// Networks treated as internal when a detection does not list its own.
pub const DEFAULT_INTERNAL_NETWORKS: [&str; 4] =
    ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

/// The parent of the namespace for (detection, target) ids: the namespace of
/// docs/decisions/0002-rule-guids.md, UUIDv5 of the URL namespace and `urn:palisade:detection-id`.
pub const PALISADE_NAMESPACE: Uuid = Uuid::from_u128(0xd23c_f559_aa3f_56f8_b853_392e_ec3d_bc72);

/// The namespace for (detection, target) ids: UUIDv5 of [`PALISADE_NAMESPACE`] and `ioc-target`.
pub fn target_namespace() -> Uuid {
    Uuid::new_v5(&PALISADE_NAMESPACE, b"ioc-target")
}

/// How address indicators with a port are matched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MatchMode {
    /// The address alone, on every address side (as the seed's hunting queries do).
    #[default]
    Address,
    /// Address and port together, on the same side of the connection.
    AddressPort,
}

impl MatchMode {
    /// Parses `match:`; an unknown mode is an error.
    pub fn parse(text: &str, span: Span, diags: &mut Vec<Diagnostic>) -> Option<MatchMode> {
        match text.trim() {
            "address" => Some(MatchMode::Address),
            "address_port" => Some(MatchMode::AddressPort),
            other => {
                diags.push(
                    Diagnostic::error(
                        codes::IOC021_UNKNOWN_MATCH_MODE,
                        format!("Unknown match mode `{other}`"),
                        span,
                    )
                    .with_help("use `address` (the default) or `address_port`"),
                );
                None
            }
        }
    }
}

/// Which deployable a generated query becomes; each gets its own id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    /// A scheduled analytics rule.
    AnalyticsRule,
    /// A hunting query.
    HuntingQuery,
}

impl OutputKind {
    const fn as_str(self) -> &'static str {
        match self {
            OutputKind::AnalyticsRule => "analytics-rule",
            OutputKind::HuntingQuery => "hunting-query",
        }
    }
}

/// The stable id of the rule or hunting query for one (detection, target table).
///
/// UUIDv5 over [`target_namespace`] and `<kind>/<spec id>/<table>`. A spec id written as a
/// hyphenated GUID, bare or in one pair of braces (`{…}`), is first written in lower case
/// without braces, as docs/decisions/0002-rule-guids.md does for plain specs, so `{X}`, `X`
/// and the upper-case spelling give the same ids; any other id is used exactly as written.
pub fn target_id(spec_id: &str, table: &str, kind: OutputKind) -> Uuid {
    let canonical = canonical_spec_id(spec_id);
    let name = format!("{}/{canonical}/{table}", kind.as_str());
    Uuid::new_v5(&target_namespace(), name.as_bytes())
}

/// The spelling of a spec id that [`target_id`] hashes: a GUID in its 36-character hyphenated
/// form, bare or braced, in lower case without braces; anything else unchanged.
pub fn canonical_spec_id(spec_id: &str) -> String {
    let unbraced =
        spec_id.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')).unwrap_or(spec_id);
    let hyphenated = unbraced.len() == 36
        && unbraced.bytes().enumerate().all(|(idx, byte)| match idx {
            8 | 13 | 18 | 23 => byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        });
    match Uuid::try_parse(unbraced) {
        Ok(uuid) if hyphenated => uuid.hyphenated().to_string(),
        _ => spec_id.to_string(),
    }
}

/// What generation needs to know about one detection.
#[derive(Clone, Debug)]
pub struct Detection<'a> {
    /// The spec's `id`.
    pub spec_id: &'a str,
    /// The spec's display name, written as the query's first comment.
    pub name: &'a str,
    /// The indicators.
    pub iocs: &'a IocSet,
    /// `match:`.
    pub match_mode: MatchMode,
    /// The exclusions the spec applies, already resolved.
    pub exclusions: Vec<&'a Exclusion>,
    /// The networks the detection considers internal, for the hides-the-detection check.
    pub internal_networks: Vec<IpNet>,
}

impl<'a> Detection<'a> {
    /// A detection with the default match mode, no exclusions and the default internal networks.
    pub fn new(spec_id: &'a str, name: &'a str, iocs: &'a IocSet) -> Self {
        Detection {
            spec_id,
            name,
            iocs,
            match_mode: MatchMode::Address,
            exclusions: Vec::new(),
            internal_networks: default_internal_networks(),
        }
    }
}

/// [`DEFAULT_INTERNAL_NETWORKS`] parsed.
pub fn default_internal_networks() -> Vec<IpNet> {
    DEFAULT_INTERNAL_NETWORKS
        .iter()
        .map(|n| n.parse().expect("the defaults are valid CIDR ranges"))
        .collect()
}

/// The query for one (detection, target table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedQuery {
    /// The table.
    pub table: String,
    /// The analytics rule's id.
    pub analytics_rule_id: Uuid,
    /// The hunting query's id.
    pub hunting_query_id: Uuid,
    /// The KQL.
    pub query: String,
    /// The columns the query outputs, in order.
    pub columns: Vec<String>,
    /// Entity mappings over output columns.
    pub entity_mappings: Vec<EntityMapping>,
}

/// Generates the query for `detection` on the table named by `target`.
///
/// Returns `None` with an error when the table is unknown, nothing can be matched there, or
/// the query exceeds [`MAX_QUERY_CHARS`]; warnings are pushed either way.
pub fn generate(
    catalog: &Catalog,
    detection: &Detection<'_>,
    target: &Located<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<GeneratedQuery> {
    let Some(table) = catalog.table(&target.value) else {
        let mut diag = Diagnostic::error(
            codes::IOC018_UNKNOWN_TABLE,
            format!("`{}` is not a table the field catalog knows", target.value),
            target.span,
        );
        diag = match catalog.table_ignoring_case(&target.value) {
            Some(table) => diag.with_help(format!(
                "table names are case-sensitive: did you mean `{}`?",
                table.name
            )),
            None => {
                let names: Vec<&str> = catalog.tables().map(|t| t.name.as_str()).collect();
                diag.with_help(format!("known tables: {}", names.join(", ")))
            }
        };
        diags.push(diag);
        return None;
    };

    let matchable = warn_unmatchable(detection.iocs, table, target, diags);
    if matchable.is_empty() {
        diags.push(
            Diagnostic::error(
                codes::IOC017_NOTHING_TO_MATCH,
                format!("No indicator of `{}` can be matched in `{}`", detection.name, table.name),
                target.span,
            )
            .with_note(
                "a query without an indicator to match would alert on nothing or on everything",
            )
            .with_help("remove the target, or add indicators of a type the table can match"),
        );
        return None;
    }

    let mut builder = QueryBuilder::new(table, detection.match_mode);
    builder.add_indicators(&matchable, target, diags);

    for exclusion in &detection.exclusions {
        let applied = apply_exclusion(exclusion, table, target, diags);
        if applied.is_none() {
            continue;
        }
        check_suppressed_indicators(exclusion, table, detection.match_mode, &matchable, diags);
        check_hides_detection(exclusion, table, detection, &matchable, target, diags);
        builder.exclusions.push((exclusion, applied.expect("checked above")));
    }

    let (query, columns) = builder.finish(detection);
    let length = query.chars().count();
    if length > MAX_QUERY_CHARS {
        let message = format!(
            "The query generated for `{}` on `{}` has {length} characters",
            detection.name, table.name
        );
        let limit =
            format!("Sentinel rejects analytics rule queries over {MAX_QUERY_CHARS} characters");
        let no_split = "Palisade does not split it into several rules: \
            that would change alert grouping and rule ids";
        let help = "split the indicators over several detections, \
            or move them to a watchlist or threat intelligence";
        diags.push(
            Diagnostic::error(codes::IOC020_QUERY_TOO_LONG, message, target.span)
                .with_note(limit)
                .with_note(no_split)
                .with_help(help),
        );
        return None;
    }

    let entity_mappings = table
        .entities
        .iter()
        .filter(|entity| entity.field_mappings.iter().all(|m| columns.contains(&m.column_name)))
        .cloned()
        .collect();
    Some(GeneratedQuery {
        table: table.name.clone(),
        analytics_rule_id: target_id(detection.spec_id, &table.name, OutputKind::AnalyticsRule),
        hunting_query_id: target_id(detection.spec_id, &table.name, OutputKind::HuntingQuery),
        query,
        columns,
        entity_mappings,
    })
}

/// Warns once per indicator type that the table cannot match; returns the matchable ones.
fn warn_unmatchable<'a>(
    iocs: &'a IocSet,
    table: &TableDef,
    target: &Located<String>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<&'a Indicator> {
    let mut matchable = Vec::new();
    let mut warned: Vec<String> = Vec::new();
    for indicator in &iocs.indicators {
        if indicator.value.to_string().chars().any(char::is_control) {
            diags.push(
                Diagnostic::error(
                    codes::IOC022_UNWRITABLE_VALUE,
                    "Indicator value contains a control character",
                    indicator.span,
                )
                .with_note("no KQL string literal can hold it, so the indicator is left out")
                .with_help("build indicators with `Indicator::parse`, which rejects such values"),
            );
            continue;
        }
        let kind = indicator.value.match_kind();
        // An address is matchable where some address side has a column for its family.
        let family = indicator.value.network().map(|network| Family::of(network.addr()));
        let matchable_here = match family {
            Some(family) if kind == MatchKind::Address => {
                table.address_sides(family).next().is_some()
            }
            _ => !table.sides(kind).is_empty(),
        };
        if matchable_here {
            matchable.push(indicator);
            continue;
        }

        let type_name = match &indicator.value {
            IndicatorValue::Hash { algorithm, .. } => algorithm.as_str().to_string(),
            _ => indicator.declared_type.as_str().to_string(),
        };
        // The table matches addresses, only not of this family.
        let family_only = family.filter(|_| !table.sides(kind).is_empty());
        let (what, note) = match family_only {
            Some(family) => (
                format!("{} `{type_name}`", family.as_str()),
                format!(
                    "the field catalog maps no {} column for the address fields `{}` is \
                     matched on",
                    family.as_str(),
                    table.name
                ),
            ),
            None => (
                format!("`{type_name}`"),
                format!("the field catalog maps no `{type_name}` column for `{}`", table.name),
            ),
        };
        if warned.contains(&what) {
            continue;
        }
        diags.push(
            Diagnostic::warning(
                codes::IOC016_TYPE_NOT_MATCHABLE,
                format!("{what} indicators cannot be matched in `{}`", table.name),
                target.span,
            )
            .with_secondary(indicator.span, "for example this one")
            .with_note(note)
            .with_help(
                "these indicators are left out of this table's query; \
                 target a table that has such a column",
            ),
        );
        warned.push(what);
    }
    matchable
}

/// An exclusion compiled for one table: the KQL that is true exactly on the rows it removes.
struct AppliedExclusion {
    removes: Bool,
}

/// Compiles an exclusion for a table, warning about conditions the table cannot evaluate.
fn apply_exclusion(
    exclusion: &Exclusion,
    table: &TableDef,
    target: &Located<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<AppliedExclusion> {
    let unwritable = exclusion.condition.leaves().into_iter().find(|leaf| match &leaf.values {
        Values::Names(names) => names.iter().any(|n| n.value.chars().any(char::is_control)),
        _ => false,
    });
    if let Some(leaf) = unwritable {
        diags.push(
            Diagnostic::error(
                codes::EXC013_UNWRITABLE_VALUE,
                format!("Exclusion `{}` has a value with a control character", exclusion.id.value),
                leaf.span,
            )
            .with_note("no KQL string literal can hold it, so the exclusion is not applied")
            .with_help("build conditions with `Leaf::parse`, which rejects such values"),
        );
        return None;
    }

    let mut missing = Vec::new();
    let (removes, _) = compile_condition(&exclusion.condition, table, &mut missing);
    let effective = removes != Bool::Const(false);
    for leaf in missing {
        let consequence = if effective {
            "the condition counts as not matching here; the rest of the exclusion still applies"
        } else {
            "the condition counts as not matching here, \
             so the exclusion removes nothing on this table"
        };
        diags.push(
            Diagnostic::warning(
                codes::EXC003_FIELD_NOT_IN_TABLE,
                format!(
                    "Exclusion `{}` tests `{}`, which `{}` does not have",
                    exclusion.id.value, leaf.field.value, table.name
                ),
                leaf.field.span,
            )
            .with_label("no column for this field")
            .with_secondary(target.span, "target table")
            .with_note(consequence)
            .with_help(format!(
                "add a condition on a field `{}` has, \
             or leave this table out of the exclusion's detections",
                table.name
            )),
        );
    }

    effective.then_some(AppliedExclusion { removes })
}

/// Compiles a condition to two never-null KQL booleans: known true, known false.
///
/// A row is removed only where the first holds. An empty field, an unparsable address or a
/// column the table lacks makes a leaf neither known true nor known false.
// See: https://learn.microsoft.com/en-us/kusto/query/ipv4-is-in-any-range-function
// See: https://learn.microsoft.com/en-us/kusto/query/scalar-data-types/null-values
fn compile_condition<'a>(
    condition: &'a Condition,
    table: &TableDef,
    missing: &mut Vec<&'a Leaf>,
) -> (Bool, Bool) {
    match condition {
        Condition::All { members, .. } => {
            let (trues, falses): (Vec<Bool>, Vec<Bool>) =
                members.iter().map(|member| compile_condition(member, table, missing)).unzip();
            (Bool::and(trues), Bool::or(falses))
        }
        Condition::Any { members, .. } => {
            let (trues, falses): (Vec<Bool>, Vec<Bool>) =
                members.iter().map(|member| compile_condition(member, table, missing)).unzip();
            (Bool::or(trues), Bool::and(falses))
        }
        Condition::Not { member, .. } => {
            let (known_true, known_false) = compile_condition(member, table, missing);
            (known_false, known_true)
        }
        Condition::Leaf(leaf) => {
            let Some(columns) = table.field_columns(&leaf.field.value) else {
                missing.push(leaf);
                return (Bool::Const(false), Bool::Const(false));
            };
            compile_leaf(leaf, columns)
        }
    }
}

/// The known-true and known-false tests of one leaf on the field's `columns`.
///
/// `ipv4_is_in_any_range` and `ipv6_is_in_any_range` return null when the address does not
/// parse, which includes the empty string, and `where` drops a row whose predicate is null,
/// so `where not(ipv4_is_in_any_range(...))` would silently drop every row with an empty
/// address. Each range test is therefore wrapped in `coalesce(..., false)`.
///
/// Known false needs a value that is known: a name that is not empty, a port that converts
/// to a number, an address that parses. A non-empty address column holding text that is no
/// address (`-`, `unknown`, a host name) is unknown, never false, so `not` over it never
/// removes the row. `parse_ipv6` reads both families and returns an empty string when the
/// text is no address; a column that holds only IPv4 is checked with `parse_ipv4`, which
/// returns null then. An address of the other family than every listed range is known false
/// (the families never overlap). A field split over an IPv4 and an IPv6 column is known false
/// when at least one of them holds an address, every non-empty one parses, and none matches.
// See: https://learn.microsoft.com/en-us/kusto/query/parse-ipv6-function
// See: https://learn.microsoft.com/en-us/kusto/query/parse-ipv4-function
fn compile_leaf(leaf: &Leaf, columns: &FieldColumns) -> (Bool, Bool) {
    // Only address fields are split by family (the catalog checks it); the rest have one.
    let single = columns.names().first().copied().unwrap_or_default().to_string();
    match &leaf.values {
        Values::Networks(networks) => {
            let mut in_range = Vec::new();
            let mut parses = Vec::new();
            for (column, families) in columns.by_column() {
                for (family, function) in
                    [(Family::V4, "ipv4_is_in_any_range"), (Family::V6, "ipv6_is_in_any_range")]
                {
                    if !families.contains(&family) {
                        continue;
                    }
                    let texts: Vec<String> = networks
                        .iter()
                        .filter(|n| Family::of(n.value.addr()) == family)
                        .map(|n| n.value.to_string())
                        .collect();
                    if texts.is_empty() {
                        continue;
                    }
                    let literal = dynamic_strings(texts.iter().map(String::as_str))
                        .expect("CIDR text is plain ASCII");
                    in_range.push(Bool::expr(format!(
                        "coalesce({function}({column}, {literal}), false)"
                    )));
                }
                let parse = match families {
                    [Family::V4] => format!("isnotnull(parse_ipv4({column}))"),
                    _ => format!("isnotempty(parse_ipv6({column}))"),
                };
                parses.push((column, Bool::expr(parse)));
            }
            let known_true = Bool::or(in_range);
            let known_false = match parses.as_slice() {
                [(_, parse)] => Bool::and(vec![parse.clone(), !known_true.clone()]),
                several => {
                    let mut all = vec![Bool::or(several.iter().map(|(_, p)| p.clone()).collect())];
                    all.extend(several.iter().map(|(column, parse)| {
                        Bool::or(vec![Bool::expr(format!("isempty({column})")), parse.clone()])
                    }));
                    all.push(!known_true.clone());
                    Bool::and(all)
                }
            };
            (known_true, known_false)
        }
        Values::Ports(ports) => {
            let column = single;
            let list = int_list(ports.iter().map(|p| p.value));
            let known_true = Bool::expr(format!("coalesce(toint({column}) in {list}, false)"));
            let known_false = Bool::and(vec![
                Bool::expr(format!("isnotnull(toint({column}))")),
                !known_true.clone(),
            ]);
            (known_true, known_false)
        }
        Values::Names(names) => {
            let column = single;
            let list = string_list(names.iter().map(|n| n.value.as_str()))
                .expect("exclusion names are validated free of control characters");
            let known_true = Bool::expr(format!("{column} in~ {list}"));
            let known_false =
                Bool::and(vec![Bool::expr(format!("isnotempty({column})")), !known_true.clone()]);
            (known_true, known_false)
        }
    }
}

/// Warns when an exclusion would remove rows that match one of the detection's indicators.
fn check_suppressed_indicators(
    exclusion: &Exclusion,
    table: &TableDef,
    mode: MatchMode,
    indicators: &[&Indicator],
    diags: &mut Vec<Diagnostic>,
) {
    for indicator in indicators {
        let family = indicator.value.network().map(|network| Family::of(network.addr()));
        for side in table.sides(indicator.value.match_kind()) {
            if family.is_some_and(|family| table.address_column(&side.field, family).is_none()) {
                continue;
            }
            let facts = indicator_facts(indicator, side, mode);
            let truth = exclusion.condition.evaluate(table, &facts);
            let partly =
                truth == Truth::Unknown && exclusion.condition.some_leaf_touches(table, &facts);
            if truth != Truth::True && !partly {
                continue;
            }

            let column = match family {
                Some(family) => table
                    .address_column(&side.field, family)
                    .map_or_else(|| side.field.clone(), str::to_string),
                None => table.column_display(&side.field),
            };
            let note = if truth == Truth::True {
                format!(
                    "every row where `{column}` matches this indicator is removed by the exclusion"
                )
            } else {
                format!(
                    "rows where `{column}` matches this indicator are removed \
             when the exclusion's other conditions hold or the address lies in the part of the range it covers"
                )
            };
            let leaf_span = exclusion
                .condition
                .leaves()
                .into_iter()
                .find(|leaf| leaf.field.value == side.field)
                .map_or(exclusion.id.span, |leaf| leaf.span);
            diags.push(
                Diagnostic::warning(
                    codes::EXC005_SUPPRESSES_INDICATOR,
                    format!(
                        "Exclusion `{}` would suppress indicator `{}` on `{}`",
                        exclusion.id.value, indicator.value, table.name
                    ),
                    indicator.span,
                )
                .with_secondary(leaf_span, "this condition matches the indicator")
                .with_note(note)
                .with_help(
                    "narrow the exclusion so it leaves the indicator out, \
                     or confirm the indicator is wrong and remove it",
                ),
            );
            break;
        }
    }
}

/// What a row matching `indicator` on `side` is known to hold; the port is known only when
/// the detection matches address and port together.
fn indicator_facts(indicator: &Indicator, side: &MatchSide, mode: MatchMode) -> Facts {
    let mut facts = Facts::new();
    match &indicator.value {
        IndicatorValue::Domain(text) | IndicatorValue::Url(text) | IndicatorValue::Email(text) => {
            facts = facts.with(&side.field, Fact::Name(text.clone()));
        }
        IndicatorValue::Hash { hex, .. } => {
            facts = facts.with(&side.field, Fact::Name(hex.clone()))
        }
        value => {
            if let Some(network) = value.network() {
                facts = facts.with(&side.field, Fact::Addresses(vec![network]));
            }
            if let (MatchMode::AddressPort, Some(port), Some(port_field)) =
                (mode, value.port(), &side.port)
            {
                facts = facts.with(port_field, Fact::Port(port));
            }
        }
    }
    facts
}

/// Warns when an exclusion removes every event of an internal host reaching an indicator, which
/// is what an address detection exists to find.
fn check_hides_detection(
    exclusion: &Exclusion,
    table: &TableDef,
    detection: &Detection<'_>,
    indicators: &[&Indicator],
    target: &Located<String>,
    diags: &mut Vec<Diagnostic>,
) {
    if !indicators.iter().any(|i| i.value.match_kind() == MatchKind::Address) {
        return;
    }

    for side in table.sides(MatchKind::Address) {
        let Some(counterpart) = &side.counterpart else {
            continue;
        };
        let families: [(&str, Vec<IpNet>); 2] = [
            (
                "IPv4",
                detection
                    .internal_networks
                    .iter()
                    .copied()
                    .filter(|n| matches!(n, IpNet::V4(_)))
                    .collect(),
            ),
            (
                "IPv6",
                detection
                    .internal_networks
                    .iter()
                    .copied()
                    .filter(|n| matches!(n, IpNet::V6(_)))
                    .collect(),
            ),
        ];
        for (family, networks) in families {
            if networks.is_empty() {
                continue;
            }
            let facts = Facts::new().with(counterpart, Fact::Addresses(networks.clone()));
            if exclusion.condition.evaluate(table, &facts) != Truth::True {
                continue;
            }

            let indicator_column = table.column_display(&side.field);
            let host_column = table.column_display(counterpart);
            let listed: Vec<String> = networks.iter().map(IpNet::to_string).collect();
            diags.push(
                Diagnostic::warning(
                    codes::EXC006_HIDES_DETECTION,
                    format!(
                        "Exclusion `{}` hides every connection from an internal {family} host \
             to an indicator in `{indicator_column}` on `{}`",
                        exclusion.id.value, table.name
                    ),
                    target.span,
                )
                .with_secondary(exclusion.id.span, "exclusion")
                .with_note(format!(
                    "it removes every row whose `{host_column}` is internal ({}), \
             and internal hosts reaching these indicators are what `{}` exists to find",
                    listed.join(", "),
                    detection.name
                ))
                .with_help(
                    "narrow the exclusion to the hosts or processes its scenario names, \
             or do not apply it to this detection",
                ),
            );
            break;
        }
    }
}

/// Collects the lists and predicates of one query.
struct QueryBuilder<'a> {
    table: &'a TableDef,
    mode: MatchMode,
    lets: Vec<(String, String)>,
    matches: Vec<Bool>,
    /// Each `Matched*` column with the (test, column) pairs of its sides.
    matched_columns: Vec<(&'static str, Vec<(Bool, String)>)>,
    exclusions: Vec<(&'a Exclusion, AppliedExclusion)>,
}

#[derive(Default)]
struct AddressLists {
    v4: Vec<String>,
    v4_ranges: Vec<String>,
    v6: Vec<String>,
    v4_endpoints: Vec<String>,
    v6_endpoints: Vec<(String, u16)>,
    endpoint_v4_hosts: Vec<String>,
    endpoint_v6_hosts: Vec<String>,
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
    }
}

impl<'a> QueryBuilder<'a> {
    fn new(table: &'a TableDef, mode: MatchMode) -> Self {
        QueryBuilder {
            table,
            mode,
            lets: Vec::new(),
            matches: Vec::new(),
            matched_columns: Vec::new(),
            exclusions: Vec::new(),
        }
    }

    fn add_let(&mut self, name: &str, values: &[String]) -> Option<String> {
        if values.is_empty() {
            return None;
        }
        let literal = dynamic_strings(values.iter().map(String::as_str))
            .expect("indicator values are validated");
        self.lets.push((name.to_string(), literal));
        Some(name.to_string())
    }

    fn add_indicators(
        &mut self,
        indicators: &[&Indicator],
        target: &Located<String>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let mut lists = AddressLists::default();
        let mut by_kind: BTreeMap<MatchKind, Vec<String>> = BTreeMap::new();
        for indicator in indicators {
            match &indicator.value {
                IndicatorValue::Address(IpAddr::V4(a)) => push_unique(&mut lists.v4, a.to_string()),
                IndicatorValue::Address(IpAddr::V6(a)) => {
                    push_unique(&mut lists.v6, format!("{a}/128"))
                }
                IndicatorValue::Network(n @ IpNet::V4(_)) => {
                    push_unique(&mut lists.v4_ranges, n.to_string())
                }
                IndicatorValue::Network(n @ IpNet::V6(_)) => {
                    push_unique(&mut lists.v6, n.to_string())
                }
                IndicatorValue::Endpoint { address, port } => match (self.mode, address) {
                    (MatchMode::Address, IpAddr::V4(a)) => {
                        push_unique(&mut lists.v4, a.to_string())
                    }
                    (MatchMode::Address, IpAddr::V6(a)) => {
                        push_unique(&mut lists.v6, format!("{a}/128"))
                    }
                    (MatchMode::AddressPort, IpAddr::V4(a)) => {
                        push_unique(&mut lists.v4_endpoints, format!("{a}:{port}"));
                        push_unique(&mut lists.endpoint_v4_hosts, a.to_string());
                    }
                    (MatchMode::AddressPort, IpAddr::V6(a)) => {
                        if !lists.v6_endpoints.contains(&(a.to_string(), *port)) {
                            lists.v6_endpoints.push((a.to_string(), *port));
                        }
                        push_unique(&mut lists.endpoint_v6_hosts, format!("{a}/128"));
                    }
                },
                IndicatorValue::Hash { hex, .. } => {
                    push_unique(
                        by_kind.entry(indicator.value.match_kind()).or_default(),
                        hex.clone(),
                    );
                }
                IndicatorValue::Domain(text)
                | IndicatorValue::Url(text)
                | IndicatorValue::Email(text) => {
                    push_unique(
                        by_kind.entry(indicator.value.match_kind()).or_default(),
                        text.clone(),
                    );
                }
            }
        }

        self.add_addresses(&lists, target, diags);
        self.add_names(&by_kind);
    }

    fn add_addresses(
        &mut self,
        lists: &AddressLists,
        target: &Located<String>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let v4 = self.add_let("malicious_ipv4", &lists.v4);
        let v4_ranges = self.add_let("malicious_ipv4_ranges", &lists.v4_ranges);
        let v6 = self.add_let("malicious_ipv6", &lists.v6);
        let v4_endpoints = self.add_let("malicious_ipv4_endpoints", &lists.v4_endpoints);
        let has_endpoints = !lists.v4_endpoints.is_empty() || !lists.v6_endpoints.is_empty();
        let portless = self.table.sides(MatchKind::Address).iter().any(|side| side.port.is_none());
        let (endpoint_v4_hosts, endpoint_v6_hosts) = if has_endpoints && portless {
            (
                self.add_let("malicious_endpoint_ipv4", &lists.endpoint_v4_hosts),
                self.add_let("malicious_endpoint_ipv6", &lists.endpoint_v6_hosts),
            )
        } else {
            (None, None)
        };

        let mut side_tests = Vec::new();
        for side in self.table.sides(MatchKind::Address) {
            let columns =
                self.table.field_columns(&side.field).expect("catalog checks match sides");
            let port_column = side.port.as_deref().and_then(|p| self.table.column(p));
            // Each list is tested only on a column that holds its family: one column holds
            // both, a field split by family (`SenderIPv4`, `SenderIPv6`) has one per family.
            for (column, families) in columns.by_column() {
                let v4_here = families.contains(&Family::V4);
                let v6_here = families.contains(&Family::V6);
                let mut tests = Vec::new();
                if let (true, Some(name)) = (v4_here, &v4) {
                    tests.push(Bool::expr(format!("{column} in ({name})")));
                }
                if let (true, Some(name)) = (v4_here, &v4_ranges) {
                    tests.push(Bool::expr(format!("ipv4_is_in_any_range({column}, {name})")));
                }
                if let (true, Some(name)) = (v6_here, &v6) {
                    tests.push(Bool::expr(format!("ipv6_is_in_any_range({column}, {name})")));
                }
                let endpoints_here = (v4_here && !lists.v4_endpoints.is_empty())
                    || (v6_here && !lists.v6_endpoints.is_empty());
                match port_column {
                    Some(port_column) if endpoints_here => {
                        if let (true, Some(name)) = (v4_here, &v4_endpoints) {
                            tests.push(Bool::expr(format!(
                                "strcat({column}, \":\", tostring({port_column})) in ({name})"
                            )));
                        }
                        for (address, port) in lists.v6_endpoints.iter().filter(|_| v6_here) {
                            let literal =
                                string_literal(address).expect("an IPv6 address is plain ASCII");
                            tests.push(Bool::expr(format!(
                                "(ipv6_compare({column}, {literal}) == 0 and toint({port_column}) == {port})"
                            )));
                        }
                    }
                    None if endpoints_here => {
                        diags.push(
                            Diagnostic::warning(
                                codes::IOC019_NO_PORT_COLUMN,
                                format!(
                                    "`{}` has no port column next to `{column}`; \
                                     address and port indicators match the address alone there",
                                    self.table.name
                                ),
                                target.span,
                            )
                            .with_note(
                                "`match: address_port` needs the port on the same side as the address",
                            ),
                        );
                        if let (true, Some(name)) = (v4_here, &endpoint_v4_hosts) {
                            tests.push(Bool::expr(format!("{column} in ({name})")));
                        }
                        if let (true, Some(name)) = (v6_here, &endpoint_v6_hosts) {
                            tests.push(Bool::expr(format!(
                                "ipv6_is_in_any_range({column}, {name})"
                            )));
                        }
                    }
                    _ => {}
                }
                let test = Bool::or(tests);
                if test != Bool::Const(false) {
                    side_tests.push((test, column.to_string()));
                }
            }
        }

        if !side_tests.is_empty() {
            self.matches.extend(side_tests.iter().map(|(test, _)| test.clone()));
            self.matched_columns.push((MATCHED_ADDRESS, side_tests));
        }
    }

    fn add_names(&mut self, by_kind: &BTreeMap<MatchKind, Vec<String>>) {
        let mut hash_tests: Vec<(Bool, String, HashAlgorithm)> = Vec::new();
        for (kind, values) in by_kind {
            let (list_name, matched, algorithm) = match kind {
                MatchKind::Domain => ("malicious_domains", MATCHED_DOMAIN, None),
                MatchKind::Url => ("malicious_urls", MATCHED_URL, None),
                MatchKind::Email => ("malicious_emails", MATCHED_EMAIL, None),
                MatchKind::Md5 => ("malicious_md5", MATCHED_HASH, Some(HashAlgorithm::Md5)),
                MatchKind::Sha1 => ("malicious_sha1", MATCHED_HASH, Some(HashAlgorithm::Sha1)),
                MatchKind::Sha256 => {
                    ("malicious_sha256", MATCHED_HASH, Some(HashAlgorithm::Sha256))
                }
                MatchKind::Address => continue,
            };
            let Some(name) = self.add_let(list_name, values) else {
                continue;
            };
            let mut side_tests = Vec::new();
            for side in self.table.sides(*kind) {
                let column = self.table.column(&side.field).expect("catalog checks match sides");
                side_tests.push((Bool::expr(format!("{column} in~ ({name})")), column.to_string()));
            }
            match algorithm {
                Some(algorithm) => {
                    hash_tests.extend(
                        side_tests.into_iter().map(|(test, column)| (test, column, algorithm)),
                    );
                }
                None => {
                    if !side_tests.is_empty() {
                        self.matches.extend(side_tests.iter().map(|(test, _)| test.clone()));
                        self.matched_columns.push((matched, side_tests));
                    }
                }
            }
        }

        if hash_tests.is_empty() {
            return;
        }
        let pairs: Vec<(Bool, String)> =
            hash_tests.iter().map(|(test, column, _)| (test.clone(), column.clone())).collect();
        let algorithms: Vec<(Bool, String)> = hash_tests
            .iter()
            .map(|(test, _, algorithm)| {
                (
                    test.clone(),
                    string_literal(algorithm.entity_name()).expect("algorithm names are ASCII"),
                )
            })
            .collect();
        self.matches.extend(hash_tests.into_iter().map(|(test, _, _)| test));
        self.matched_columns.push((MATCHED_HASH, pairs));
        self.matched_columns.push((MATCHED_HASH_ALGORITHM, algorithms));
    }

    fn finish(self, detection: &Detection<'_>) -> (String, Vec<String>) {
        let mut query = String::new();
        query.push_str(&format!("// {}\n", comment_text(detection.name)));
        let provenance = &detection.iocs.provenance;
        let source = [provenance.source.as_ref(), provenance.malware_family.as_ref()]
            .into_iter()
            .flatten()
            .map(|s| comment_text(&s.value))
            .collect::<Vec<_>>();
        if !source.is_empty() {
            query.push_str(&format!("// Source: {}\n", source.join(" - ")));
        }
        if let Some(reference) = &provenance.reference {
            query.push_str(&format!("// Reference: {}\n", comment_text(&reference.value)));
        }
        for (name, literal) in &self.lets {
            query.push_str(&format!("let {name} = {literal};\n"));
        }

        query.push_str(&self.table.name);
        query.push('\n');
        query.push_str(&format!("| where {}\n", join_or(&self.matches)));
        for (exclusion, applied) in &self.exclusions {
            query.push_str(&format!(
                "// Exclusion {}: {}\n",
                comment_text(&exclusion.id.value),
                comment_text(&exclusion.title.value)
            ));
            query.push_str(&format!("| where {}\n", (!applied.removes.clone()).text()));
        }

        let mut columns = self.table.project.clone();
        if !self.matched_columns.is_empty() {
            // With one kind of indicator every row matched it, so a one-sided `Matched*`
            // column can be the column itself; with several kinds a row may have matched
            // another kind, and each column must be empty unless its own test held.
            let n_kinds = self
                .matched_columns
                .iter()
                .filter(|(name, _)| *name != MATCHED_HASH_ALGORITHM)
                .count();
            let extends: Vec<String> = self
                .matched_columns
                .iter()
                .filter_map(|(name, sides)| {
                    matched_value(sides, n_kinds > 1).map(|value| format!("{name} = {value}"))
                })
                .collect();
            query.push_str(&format!("| extend {}\n", extends.join(", ")));
            columns.extend(self.matched_columns.iter().map(|(name, _)| name.to_string()));
        }
        query.push_str(&format!("| project {}\n", columns.join(", ")));
        query.push_str(&format!("| order by {} desc", self.table.time_column()));
        (query, columns)
    }
}

/// The value of a `Matched*` column: the column itself for one side when every row matched
/// it (`conditional` false), else a `case` over the sides' tests that is empty when none held.
fn matched_value(side_tests: &[(Bool, String)], conditional: bool) -> Option<String> {
    match side_tests {
        [] => None,
        [(_, value)] if !conditional => Some(value.clone()),
        many => {
            let arms: Vec<String> =
                many.iter().map(|(test, value)| format!("{}, {value}", test.text())).collect();
            Some(format!("case({}, \"\")", arms.join(", ")))
        }
    }
}

/// Joins match tests with `or`, on one line when short and one test per line otherwise.
fn join_or(tests: &[Bool]) -> String {
    let texts: Vec<&str> = tests.iter().map(Bool::text).collect();
    let one_line = texts.join(" or ");
    if one_line.len() <= 90 { one_line } else { texts.join("\n    or ") }
}

/// Text safe inside a `//` comment: one line, no control characters.
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() || crate::text::is_hidden(c) { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_ids_are_stable_distinct_and_case_insensitive_for_guids() {
        let id = "49e96642-9ade-4842-be56-733ded7f2f41";
        let rule = target_id(id, "CommonSecurityLog", OutputKind::AnalyticsRule);
        assert_eq!(
            rule,
            target_id(&id.to_uppercase(), "CommonSecurityLog", OutputKind::AnalyticsRule)
        );
        for spelling in [format!("{{{id}}}"), format!("{{{}}}", id.to_uppercase())] {
            assert_eq!(
                rule,
                target_id(&spelling, "CommonSecurityLog", OutputKind::AnalyticsRule),
                "`{spelling}` names the same rule as `{id}`"
            );
        }
        assert_eq!(canonical_spec_id("{49E96642-9ADE-4842-BE56-733DED7F2F41}"), id);
        for other in ["{49e96642-9ade-4842-be56-733ded7f2f41", "49e966429ade4842be56733ded7f2f41"] {
            assert_eq!(canonical_spec_id(other), other, "not a hyphenated GUID: used as written");
        }
        assert_ne!(
            target_id("Abc", "CommonSecurityLog", OutputKind::AnalyticsRule),
            target_id("abc", "CommonSecurityLog", OutputKind::AnalyticsRule),
            "other ids are case-sensitive"
        );
        assert_ne!(rule, target_id(id, "DeviceNetworkEvents", OutputKind::AnalyticsRule));
        assert_ne!(rule, target_id(id, "CommonSecurityLog", OutputKind::HuntingQuery));
        assert_eq!(rule.get_version_num(), 5);
        let expected = Uuid::new_v5(
            &target_namespace(),
            format!("analytics-rule/{id}/CommonSecurityLog").as_bytes(),
        );
        assert_eq!(rule, expected);
        assert_eq!(
            PALISADE_NAMESPACE,
            Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:palisade:detection-id"),
            "the namespace of docs/decisions/0002-rule-guids.md"
        );
    }

    #[test]
    fn parses_match_modes() {
        let mut diags = Vec::new();
        assert_eq!(
            MatchMode::parse("address", Span::default(), &mut diags),
            Some(MatchMode::Address)
        );
        assert_eq!(
            MatchMode::parse("address_port", Span::default(), &mut diags),
            Some(MatchMode::AddressPort)
        );
        assert_eq!(MatchMode::parse("port", Span::default(), &mut diags), None);
        assert_eq!(diags[0].code, codes::IOC021_UNKNOWN_MATCH_MODE);
    }

    #[test]
    fn comments_stay_on_one_line() {
        assert_eq!(comment_text("a\nb\r\tc "), "a b  c");
        assert_eq!(
            comment_text("Admins \u{202E}llehsrewop\u{2028}x\u{200B}"),
            "Admins  llehsrewop x",
            "bidirectional controls, line separators and zero-width characters never reach a comment"
        );
    }

    #[test]
    fn leaf_tests_never_remove_empty_fields() {
        let catalog = Catalog::builtin();
        let mut diags = Vec::new();
        let values = [
            Located::new("10.0.0.0/8", Span::default()),
            Located::new("fd00::/8", Span::default()),
        ];
        let leaf = Leaf::parse(
            catalog,
            Located::new("source_address", Span::default()),
            &values,
            Span::default(),
            &mut diags,
        )
        .unwrap();
        let (known_true, known_false) =
            compile_leaf(&leaf, &FieldColumns::One("SourceIP".to_string()));
        assert_eq!(
            known_true.text(),
            r#"(coalesce(ipv4_is_in_any_range(SourceIP, dynamic(["10.0.0.0/8"])), false) or coalesce(ipv6_is_in_any_range(SourceIP, dynamic(["fd00::/8"])), false))"#
        );
        assert_eq!(
            known_false.text(),
            r#"(isnotempty(parse_ipv6(SourceIP)) and not(coalesce(ipv4_is_in_any_range(SourceIP, dynamic(["10.0.0.0/8"])), false) or coalesce(ipv6_is_in_any_range(SourceIP, dynamic(["fd00::/8"])), false)))"#,
            "an address that does not parse is neither true nor false"
        );
    }
}
