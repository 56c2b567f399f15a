//! The field catalog: logical fields, and for each Sentinel table their columns, what the table
//! can match indicators on, what a generated query projects, and which entities it maps.
//!
//! A table is data, not code: the catalog lives in `data/catalog.json`, embedded at build time,
//! and adding a table means adding an entry there. Loading checks every cross-reference (a
//! match side names a field the table maps, a field's kind suits the indicator kind, an entity
//! column is projected or generated), so the rest of the crate can rely on them.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::indicator::MatchKind;

/// The catalog shipped with Palisade.
const BUILTIN: &str = include_str!("../data/catalog.json");

/// Columns a generated query adds: the value that matched, per indicator kind.
pub const MATCHED_ADDRESS: &str = "MatchedAddress";
/// The URL that matched.
pub const MATCHED_URL: &str = "MatchedUrl";
/// The domain that matched.
pub const MATCHED_DOMAIN: &str = "MatchedDomain";
/// The hash that matched.
pub const MATCHED_HASH: &str = "MatchedHash";
/// The algorithm of the hash that matched, as the `FileHash` entity names it.
pub const MATCHED_HASH_ALGORITHM: &str = "MatchedHashAlgorithm";
/// The mail address that matched.
pub const MATCHED_EMAIL: &str = "MatchedEmail";

/// Every generated column.
pub const GENERATED_COLUMNS: [&str; 6] = [
    MATCHED_ADDRESS,
    MATCHED_URL,
    MATCHED_DOMAIN,
    MATCHED_HASH,
    MATCHED_HASH_ALGORITHM,
    MATCHED_EMAIL,
];

/// What values a logical field holds, which decides how conditions on it are written and tested.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// An IPv4 or IPv6 address; conditions are CIDR lists.
    Address,
    /// A port number.
    Port,
    /// A name compared whole and case-insensitively (process, account, signer, URL, domain).
    Name,
    /// An MD5 hash, compared case-insensitively.
    Md5,
    /// A SHA-1 hash, compared case-insensitively.
    Sha1,
    /// A SHA-256 hash, compared case-insensitively.
    Sha256,
    /// The event time; not usable in conditions.
    Time,
}

impl FieldKind {
    /// The name used in the catalog and in messages.
    pub const fn as_str(self) -> &'static str {
        match self {
            FieldKind::Address => "address",
            FieldKind::Port => "port",
            FieldKind::Name => "name",
            FieldKind::Md5 => "md5",
            FieldKind::Sha1 => "sha1",
            FieldKind::Sha256 => "sha256",
            FieldKind::Time => "time",
        }
    }

    /// Whether a field of this kind can hold indicators of `kind`.
    pub fn can_hold(self, kind: MatchKind) -> bool {
        matches!(
            (self, kind),
            (FieldKind::Address, MatchKind::Address)
                | (FieldKind::Name, MatchKind::Domain | MatchKind::Url | MatchKind::Email)
                | (FieldKind::Md5, MatchKind::Md5)
                | (FieldKind::Sha1, MatchKind::Sha1)
                | (FieldKind::Sha256, MatchKind::Sha256)
        )
    }
}

/// An address family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// IPv4.
    V4,
    /// IPv6.
    V6,
}

impl Family {
    /// `IPv4` or `IPv6`, for messages.
    pub const fn as_str(self) -> &'static str {
        match self {
            Family::V4 => "IPv4",
            Family::V6 => "IPv6",
        }
    }

    /// The family of an address.
    pub fn of(address: std::net::IpAddr) -> Family {
        if address.is_ipv4() { Family::V4 } else { Family::V6 }
    }
}

/// The columns one logical field maps to in a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldColumns {
    /// One column; for an address field it holds addresses of either family.
    One(String),
    /// An address field the table splits by family, such as `SenderIPv4` and `SenderIPv6`; a
    /// family without a column cannot be matched or tested there.
    ByFamily {
        /// The column of IPv4 addresses.
        ipv4: Option<String>,
        /// The column of IPv6 addresses.
        ipv6: Option<String>,
    },
}

impl FieldColumns {
    /// Every column, IPv4 before IPv6.
    pub fn names(&self) -> Vec<&str> {
        match self {
            FieldColumns::One(column) => vec![column.as_str()],
            FieldColumns::ByFamily { ipv4, ipv6 } => {
                [ipv4, ipv6].into_iter().flatten().map(String::as_str).collect()
            }
        }
    }

    /// The column holding addresses of `family`.
    pub fn for_family(&self, family: Family) -> Option<&str> {
        match (self, family) {
            (FieldColumns::One(column), _) => Some(column),
            (FieldColumns::ByFamily { ipv4, .. }, Family::V4) => ipv4.as_deref(),
            (FieldColumns::ByFamily { ipv6, .. }, Family::V6) => ipv6.as_deref(),
        }
    }

    /// Each column with the families it holds: one column holds both.
    pub fn by_column(&self) -> Vec<(&str, &'static [Family])> {
        match self {
            FieldColumns::One(column) => vec![(column.as_str(), &[Family::V4, Family::V6])],
            FieldColumns::ByFamily { ipv4, ipv6 } => {
                let mut out: Vec<(&str, &'static [Family])> = Vec::new();
                if let Some(column) = ipv4 {
                    out.push((column, &[Family::V4]));
                }
                if let Some(column) = ipv6 {
                    out.push((column, &[Family::V6]));
                }
                out
            }
        }
    }

    /// The columns as messages name them: `SourceIP`, or `SenderIPv4`/`SenderIPv6`.
    pub fn display(&self) -> String {
        self.names().join("`/`")
    }
}

/// One logical field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDef {
    /// The name used in specs and exclusions, for example `source_address`.
    pub name: String,
    /// What it holds.
    pub kind: FieldKind,
    /// What it means, for docs and messages.
    pub description: String,
}

/// One place a table can match an indicator kind: a field, with the port field on the same side
/// for `match: address_port`, and the field on the other side of the connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchSide {
    /// The logical field the indicator is compared with.
    pub field: String,
    /// The port field on the same side, for address and port pairs.
    pub port: Option<String>,
    /// The field on the other side of the connection: for an outbound match, the internal host.
    pub counterpart: Option<String>,
}

/// One identifier of an entity mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMapping {
    /// The entity identifier, for example `Address`.
    pub identifier: String,
    /// The output column it reads.
    pub column_name: String,
}

/// An entity mapping a generated query can produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityMapping {
    /// The Sentinel entity type, for example `IP`.
    pub entity_type: String,
    /// Its identifiers.
    pub field_mappings: Vec<FieldMapping>,
}

/// One table of the catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableDef {
    /// The table name as KQL spells it.
    pub name: String,
    /// What the table holds and how it is matched.
    pub description: String,
    /// Logical field to its column, or for an address field split by family its columns.
    pub columns: BTreeMap<String, FieldColumns>,
    /// Indicator kind to the sides it is matched on, in query order.
    pub matches: BTreeMap<MatchKind, Vec<MatchSide>>,
    /// Columns a generated query projects, before the generated `Matched*` columns.
    pub project: Vec<String>,
    /// Entity mappings, each produced only when all its columns are in the query's output.
    pub entities: Vec<EntityMapping>,
}

impl TableDef {
    /// Whether the table maps a logical field at all.
    pub fn has(&self, field: &str) -> bool {
        self.columns.contains_key(field)
    }

    /// The column a logical field maps to, for a field with one column (every field but an
    /// address field split by family, see [`TableDef::field_columns`]).
    pub fn column(&self, field: &str) -> Option<&str> {
        match self.columns.get(field)? {
            FieldColumns::One(column) => Some(column),
            FieldColumns::ByFamily { .. } => None,
        }
    }

    /// The columns a logical field maps to.
    pub fn field_columns(&self, field: &str) -> Option<&FieldColumns> {
        self.columns.get(field)
    }

    /// The column holding `field`'s addresses of `family`.
    pub fn address_column(&self, field: &str, family: Family) -> Option<&str> {
        self.columns.get(field)?.for_family(family)
    }

    /// A field's columns as messages name them, or the field's own name when unmapped.
    pub fn column_display(&self, field: &str) -> String {
        self.columns.get(field).map_or_else(|| field.to_string(), FieldColumns::display)
    }

    /// The event-time column.
    pub fn time_column(&self) -> &str {
        self.column("time").expect("catalog loading checks every table maps `time`")
    }

    /// The sides an indicator kind is matched on; empty when the table cannot match it.
    pub fn sides(&self, kind: MatchKind) -> &[MatchSide] {
        self.matches.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// The sides an address of `family` is matched on: those with a column for it.
    pub fn address_sides(&self, family: Family) -> impl Iterator<Item = &MatchSide> {
        self.sides(MatchKind::Address)
            .iter()
            .filter(move |side| self.address_column(&side.field, family).is_some())
    }
}

/// The whole catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog {
    fields: BTreeMap<String, FieldDef>,
    tables: BTreeMap<String, TableDef>,
}

/// A catalog file that is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CatalogError {
    /// The text is not JSON of the catalog's shape.
    Json(String),
    /// A cross-reference does not hold.
    Invalid(String),
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogError::Json(message) => {
                write!(f, "catalog is not valid JSON of the catalog shape: {message}")
            }
            CatalogError::Invalid(message) => write!(f, "catalog is inconsistent: {message}"),
        }
    }
}

impl std::error::Error for CatalogError {}

impl Catalog {
    /// The catalog shipped in `data/catalog.json`.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::from_json(BUILTIN)
                .expect("the embedded catalog is checked by the catalog tests")
        })
    }

    /// Loads and checks a catalog from JSON text.
    ///
    /// # Errors
    ///
    /// [`CatalogError`] when the text has the wrong shape or a cross-reference fails.
    pub fn from_json(text: &str) -> Result<Catalog, CatalogError> {
        let raw: RawCatalog =
            serde_json::from_str(text).map_err(|e| CatalogError::Json(e.to_string()))?;
        let fields: BTreeMap<String, FieldDef> = raw
            .fields
            .into_iter()
            .map(|(name, field)| {
                let def = FieldDef {
                    name: name.clone(),
                    kind: field.kind,
                    description: field.description,
                };
                (name, def)
            })
            .collect();

        let mut tables = BTreeMap::new();
        for (name, table) in raw.tables {
            let table = check_table(&fields, name.clone(), table)?;
            tables.insert(name, table);
        }

        Ok(Catalog { fields, tables })
    }

    /// A logical field by name.
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.get(name)
    }

    /// Every logical field, by name.
    pub fn fields(&self) -> impl Iterator<Item = &FieldDef> {
        self.fields.values()
    }

    /// A table by its exact name.
    pub fn table(&self, name: &str) -> Option<&TableDef> {
        self.tables.get(name)
    }

    /// Every table, by name.
    pub fn tables(&self) -> impl Iterator<Item = &TableDef> {
        self.tables.values()
    }

    /// A table whose name differs only in case, for "did you mean" help.
    pub fn table_ignoring_case(&self, name: &str) -> Option<&TableDef> {
        self.tables.values().find(|table| table.name.eq_ignore_ascii_case(name))
    }
}

fn check_table(
    fields: &BTreeMap<String, FieldDef>,
    name: String,
    raw: RawTable,
) -> Result<TableDef, CatalogError> {
    let fail = |message: String| Err(CatalogError::Invalid(format!("table `{name}`: {message}")));
    let mut columns = BTreeMap::new();
    for (field, raw_columns) in raw.columns {
        let Some(def) = fields.get(&field) else {
            return fail(format!("maps unknown field `{field}`"));
        };
        let checked = match raw_columns {
            RawColumns::One(column) => {
                // A column whose name says one family must be mapped as that family's column,
                // or the other family's indicators would be matched where they never occur.
                if def.kind == FieldKind::Address {
                    if let Some(family) = family_in_name(&column) {
                        return fail(format!(
                            "`{field}` maps to `{column}`, whose name says {}: write \
                             {{\"{}\": \"{column}\"}} and name the other family's column too",
                            family.as_str(),
                            family.as_str().to_ascii_lowercase()
                        ));
                    }
                }
                FieldColumns::One(column)
            }
            RawColumns::ByFamily(RawSplit { ipv4, ipv6 }) => {
                if def.kind != FieldKind::Address {
                    return fail(format!(
                        "`{field}` is not an address field but is split by family"
                    ));
                }
                if ipv4.is_none() && ipv6.is_none() {
                    return fail(format!("`{field}` names neither an IPv4 nor an IPv6 column"));
                }
                for (family, column) in [(Family::V4, &ipv4), (Family::V6, &ipv6)] {
                    if let Some(column) = column {
                        if family_in_name(column).is_some_and(|named| named != family) {
                            return fail(format!(
                                "`{field}` takes {} addresses from `{column}`, whose name says otherwise",
                                family.as_str()
                            ));
                        }
                    }
                }
                FieldColumns::ByFamily { ipv4, ipv6 }
            }
        };
        columns.insert(field, checked);
    }
    if !columns.contains_key("time") {
        return fail("does not map `time`".to_string());
    }

    let mut matches = BTreeMap::new();
    for (kind_name, sides) in raw.matches {
        let Some(kind) = MatchKind::from_name(&kind_name) else {
            return fail(format!("matches unknown indicator kind `{kind_name}`"));
        };
        let mut checked = Vec::new();
        for side in sides {
            let Some(field) = fields.get(&side.field).filter(|_| columns.contains_key(&side.field))
            else {
                return fail(format!(
                    "matches `{kind_name}` on `{}`, which it does not map",
                    side.field
                ));
            };
            if !field.kind.can_hold(kind) {
                return fail(format!(
                    "`{}` is a {} field and cannot hold `{kind_name}`",
                    field.name,
                    field.kind.as_str()
                ));
            }
            for (what, other) in [("port", &side.port), ("counterpart", &side.counterpart)] {
                if let Some(other) = other {
                    if !columns.contains_key(other) {
                        return fail(format!("{what} `{other}` of `{}` is not mapped", side.field));
                    }
                }
            }
            if side
                .port
                .as_ref()
                .is_some_and(|port| fields.get(port).map(|f| f.kind) != Some(FieldKind::Port))
            {
                return fail(format!("port of `{}` is not a port field", side.field));
            }
            checked.push(MatchSide {
                field: side.field,
                port: side.port,
                counterpart: side.counterpart,
            });
        }
        matches.insert(kind, checked);
    }

    let time = match columns.get("time") {
        Some(FieldColumns::One(column)) => column.clone(),
        _ => String::new(),
    };
    if raw.project.first() != Some(&time) {
        return fail(format!("must project its time column `{time}` first"));
    }

    let mut entities = Vec::new();
    for entity in raw.entities {
        let mut field_mappings = Vec::new();
        for mapping in entity.field_mappings {
            let column = &mapping.column_name;
            if !raw.project.contains(column) && !GENERATED_COLUMNS.contains(&column.as_str()) {
                return fail(format!(
                    "entity `{}` reads `{column}`, which is not projected",
                    entity.entity_type
                ));
            }
            field_mappings.push(FieldMapping {
                identifier: mapping.identifier,
                column_name: mapping.column_name,
            });
        }
        entities.push(EntityMapping { entity_type: entity.entity_type, field_mappings });
    }

    Ok(TableDef {
        name,
        description: raw.description,
        columns,
        matches,
        project: raw.project,
        entities,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    #[serde(rename = "_about")]
    _about: Option<String>,
    fields: BTreeMap<String, RawField>,
    tables: BTreeMap<String, RawTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    kind: FieldKind,
    description: String,
}

/// The family a column's name says it holds (`SenderIPv4`, `DeviceCustomIPv6Address1`).
fn family_in_name(column: &str) -> Option<Family> {
    let lower = column.to_ascii_lowercase();
    match (lower.contains("ipv4"), lower.contains("ipv6")) {
        (true, false) => Some(Family::V4),
        (false, true) => Some(Family::V6),
        _ => None,
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawColumns {
    One(String),
    ByFamily(RawSplit),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSplit {
    ipv4: Option<String>,
    ipv6: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    description: String,
    columns: BTreeMap<String, RawColumns>,
    #[serde(rename = "match")]
    matches: BTreeMap<String, Vec<RawSide>>,
    project: Vec<String>,
    entities: Vec<RawEntity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSide {
    field: String,
    port: Option<String>,
    counterpart: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawEntity {
    entity_type: String,
    field_mappings: Vec<RawFieldMapping>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawFieldMapping {
    identifier: String,
    column_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_loads() {
        let catalog = Catalog::builtin();
        assert!(catalog.tables().count() >= 6);
        assert_eq!(catalog.field("source_address").unwrap().kind, FieldKind::Address);
    }

    #[test]
    fn seed_tables_match_as_the_write_up_does() {
        let catalog = Catalog::builtin();
        let csl = catalog.table("CommonSecurityLog").unwrap();
        let sides: Vec<(&str, Option<&str>)> = csl
            .sides(MatchKind::Address)
            .iter()
            .map(|side| {
                (csl.column(&side.field).unwrap(), side.port.as_deref().and_then(|p| csl.column(p)))
            })
            .collect();
        assert_eq!(
            sides,
            [("DestinationIP", Some("DestinationPort")), ("SourceIP", Some("SourcePort"))]
        );
        assert_eq!(csl.time_column(), "TimeGenerated");

        let dne = catalog.table("DeviceNetworkEvents").unwrap();
        let side = &dne.sides(MatchKind::Address)[0];
        assert_eq!(dne.column(&side.field), Some("RemoteIP"));
        assert_eq!(side.port.as_deref().and_then(|p| dne.column(p)), Some("RemotePort"));
        assert_eq!(side.counterpart.as_deref().and_then(|p| dne.column(p)), Some("LocalIP"));
        assert_eq!(dne.time_column(), "Timestamp");
        assert!(dne.sides(MatchKind::Domain).is_empty());
    }

    #[test]
    fn rejects_inconsistent_catalogs() {
        let table = |columns: &str, matches: &str, project: &str, entities: &str| {
            format!(
                r#"{{"fields": {{"time": {{"kind": "time", "description": ""}},
                    "a": {{"kind": "address", "description": ""}},
                    "n": {{"kind": "name", "description": ""}}}},
                   "tables": {{"T": {{"description": "", "columns": {columns}, "match": {matches},
                   "project": {project}, "entities": {entities}}}}}}}"#
            )
        };
        let ok = table(
            r#"{"time": "Ts", "a": "Ip"}"#,
            r#"{"address": [{"field": "a"}]}"#,
            r#"["Ts", "Ip"]"#,
            "[]",
        );
        assert!(Catalog::from_json(&ok).is_ok());

        let split = table(
            r#"{"time": "Ts", "a": {"ipv4": "SenderIPv4", "ipv6": "SenderIPv6"}}"#,
            r#"{"address": [{"field": "a"}]}"#,
            r#"["Ts"]"#,
            "[]",
        );
        let split = Catalog::from_json(&split).unwrap();
        let columns = split.table("T").unwrap().field_columns("a").unwrap();
        assert_eq!(columns.for_family(Family::V4), Some("SenderIPv4"));
        assert_eq!(columns.for_family(Family::V6), Some("SenderIPv6"));
        assert_eq!(split.table("T").unwrap().column("a"), None, "two columns, not one");
        assert_eq!(split.table("T").unwrap().column_display("a"), "SenderIPv4`/`SenderIPv6");

        let cases = [
            (
                table(r#"{"time": "Ts", "x": "X"}"#, "{}", r#"["Ts"]"#, "[]"),
                "maps unknown field `x`",
            ),
            (
                table(r#"{"time": "Ts", "a": "SenderIPv4"}"#, "{}", r#"["Ts"]"#, "[]"),
                "whose name says IPv4",
            ),
            (
                table(
                    r#"{"time": "Ts", "a": "DeviceCustomIPv6Address1"}"#,
                    "{}",
                    r#"["Ts"]"#,
                    "[]",
                ),
                "whose name says IPv6",
            ),
            (
                table(r#"{"time": "Ts", "a": {"ipv4": "SrcIPv6"}}"#, "{}", r#"["Ts"]"#, "[]"),
                "whose name says otherwise",
            ),
            (table(r#"{"time": "Ts", "a": {}}"#, "{}", r#"["Ts"]"#, "[]"), "names neither"),
            (
                table(r#"{"time": "Ts", "n": {"ipv4": "N"}}"#, "{}", r#"["Ts"]"#, "[]"),
                "is not an address field",
            ),
            (table(r#"{"a": "Ip"}"#, "{}", r#"["Ip"]"#, "[]"), "does not map `time`"),
            (
                table(
                    r#"{"time": "Ts", "n": "N"}"#,
                    r#"{"address": [{"field": "n"}]}"#,
                    r#"["Ts"]"#,
                    "[]",
                ),
                "cannot hold",
            ),
            (
                table(r#"{"time": "Ts"}"#, r#"{"address": [{"field": "a"}]}"#, r#"["Ts"]"#, "[]"),
                "does not map",
            ),
            (
                table(r#"{"time": "Ts"}"#, r#"{"ja3": []}"#, r#"["Ts"]"#, "[]"),
                "unknown indicator kind",
            ),
            (table(r#"{"time": "Ts"}"#, "{}", r#"["X", "Ts"]"#, "[]"), "time column `Ts` first"),
            (
                table(
                    r#"{"time": "Ts"}"#,
                    "{}",
                    r#"["Ts"]"#,
                    r#"[{"entityType": "Host", "fieldMappings": [{"identifier": "HostName", "columnName": "Dev"}]}]"#,
                ),
                "reads `Dev`, which is not projected",
            ),
        ];
        for (text, expected) in cases {
            let error = Catalog::from_json(&text).unwrap_err().to_string();
            assert!(error.contains(expected), "{error} should contain {expected}");
        }
        assert!(matches!(Catalog::from_json("{"), Err(CatalogError::Json(_))));
    }
}
