//! KQL checks of a spec's query, and of bare `.kql` files: syntax (`KQL0xx`), name resolution
//! against the embedded catalog (`KQL101`-`KQL106`) and the query's output columns against every
//! field that names a column (`KQL110`-`KQL114`).
//!
//! Severities follow one rule: an error only when the finding is certain.
//! Unknown tables and functions are notes (custom `_CL` tables, workspace functions and tables
//! newer than the catalog all exist), a table one edit away from a catalog table is a
//! warning, and a table in the wrong case is an error, since Sentinel's names are case-sensitive.
//! A query with syntax errors gets no resolution or output-column findings: error recovery may
//! have read it differently from what was meant, and the syntax error is the thing to fix.

pub mod codes;
pub mod registry;

use palisade_catalog::Catalog;
use palisade_diagnostics::{Diagnostic, FileId, SourceMap, Span};
use palisade_kql::resolve::{NameKind, OutputSchema, Reason, ScalarType, SourceKind, Unresolved};
use palisade_kql::{Resolution, resolve};
use palisade_spec::{Detection, Spanned};

/// Types `union` appends to a column whose type differs between its legs.
const UNION_SUFFIXES: &[&str] = &[
    "string", "long", "int", "real", "bool", "datetime", "timespan", "guid", "dynamic", "decimal",
];

/// Columns every Log Analytics table has, which the catalog's schemas (taken from the public
/// table reference) often leave out, together with hidden `_` columns such as `_ItemId`.
const STANDARD_COLUMNS: &[&str] =
    &["TenantId", "SourceSystem", "Type", "MG", "ManagementGroupName"];

/// Whether `name` may be a standard or hidden column that the catalog does not list.
fn is_standard_column(name: &str) -> bool {
    name.starts_with('_') || STANDARD_COLUMNS.contains(&name)
}

/// Checks a spec's query and the fields that name its output columns.
///
/// `text` is the normalised text of the spec's file, used to point at a placeholder inside an
/// alert format.
pub fn check(detection: &Detection, text: &str) -> Vec<Diagnostic> {
    let query = &detection.query;
    if query.text.trim().is_empty() {
        return Vec::new();
    }
    let (mut out, resolution) = check_query(&query.text, &query.source_map);
    if let Some(resolution) = resolution {
        if let Some(output) = &resolution.output {
            let query = QueryContext {
                text: &query.text,
                map: &query.source_map,
                file_text: text,
                resolution: &resolution,
            };
            check_output_columns(detection, &query, output, &mut out);
        }
    }
    out
}

/// Checks a bare query held in `file` from its first byte: the text of a `.kql` file.
pub fn check_query_file(file: FileId, text: &str) -> Vec<Diagnostic> {
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    // A bare query has no fields naming its output columns, so its output is not built.
    check_query_with(text, &SourceMap::verbatim(file, 0, len), false).0
}

/// Parses and resolves `text`, whose offsets `map` takes into its file.
///
/// Returns the findings and, when the text parses, its resolution.
pub fn check_query(text: &str, map: &SourceMap) -> (Vec<Diagnostic>, Option<Resolution>) {
    check_query_with(text, map, true)
}

/// [`check_query`], with the resolution's output columns built only `with_output`.
fn check_query_with(
    text: &str,
    map: &SourceMap,
    with_output: bool,
) -> (Vec<Diagnostic>, Option<Resolution>) {
    let parse = palisade_kql::parse(text);
    if parse.has_errors() {
        let out = parse.diagnostics().iter().map(|error| error.to_diagnostic(map)).collect();
        return (out, None);
    }
    let resolution = if with_output {
        resolve(&parse, Catalog::builtin())
    } else {
        palisade_kql::resolve::resolve_names(&parse, Catalog::builtin())
    };
    let out = resolution.unresolved.iter().map(|item| name_diagnostic(item, text, map)).collect();
    (out, Some(resolution))
}

/// One unresolved name as a diagnostic at its place in the file.
///
/// Two kinds of hard column findings become notes (`KQL102`): standard and hidden columns
/// (`TenantId`, `_ItemId`), which exist on every table but are missing from many catalog
/// schemas, and member names after `.` on a value whose type was inferred as not `dynamic`,
/// since the inference can be wrong (`columnifexists(name, '')` has the column's type).
/// A standard column stays an error when an operator before it (`project`, `summarize`, a
/// `project-away` naming it) certainly left it out.
fn name_diagnostic(item: &Unresolved, text: &str, map: &SourceMap) -> Diagnostic {
    let span = map.map_range(item.span.start, item.span.end);
    if item.reason == Reason::UnknownColumn {
        let before = text.get(..item.span.start as usize).unwrap_or("").trim_end();
        let member = before.ends_with('.');
        let dropped = item.dropped_by.is_some();
        if member || (is_standard_column(&item.name) && !dropped) {
            let (message, note) = if member {
                (
                    format!(
                        "Member `{}` is read from a value that may not be `dynamic`",
                        item.name
                    ),
                    "Palisade inferred a non-`dynamic` type for the value, but the inference \
                     can be wrong, so this is not certain",
                )
            } else {
                (
                    format!("Column `{}` is not in the catalog's schema here", item.name),
                    "standard and hidden columns such as `TenantId` and `_ItemId` exist on \
                     every table but are missing from many catalog schemas",
                )
            };
            return Diagnostic::note_level(codes::COLUMN_NOT_VERIFIED, message, span)
                .with_note(note);
        }
    }
    if item.kind == NameKind::Table && item.reason == Reason::UnknownTable {
        if let Some(suggestion) = &item.suggestion {
            if suggestion.eq_ignore_ascii_case(&item.name) {
                return Diagnostic::error(
                    codes::TABLE_NAME_CASE,
                    format!("Table `{}` is spelled `{suggestion}` in the catalog", item.name),
                    span,
                )
                .with_note("table names are case-sensitive in Sentinel")
                .with_help(format!("write `{suggestion}`"));
            }
            if strsim::levenshtein(suggestion, &item.name) <= 1 {
                return Diagnostic::warning(
                    codes::TABLE_LOOKS_MISSPELLED,
                    format!("Table `{}` is not in the catalog; `{suggestion}` is", item.name),
                    span,
                )
                .with_note("the name is close to a known table, so it is likely a typo")
                .with_help(format!(
                    "did you mean `{suggestion}`? If `{}` exists in the workspace, ignore this",
                    item.name
                ));
            }
        }
    }
    let mut diagnostic = item.to_diagnostic(span.file, 0);
    diagnostic.primary.span = span;
    for label in &mut diagnostic.secondary {
        label.span = map.map_range(label.span.start, label.span.end);
    }
    diagnostic
}

/// The query of a spec as the output-column checks need it.
struct QueryContext<'a> {
    /// The query text, as resolved.
    text: &'a str,
    /// From query offsets to offsets in the spec's file.
    map: &'a SourceMap,
    /// The normalised text of the spec's file.
    file_text: &'a str,
    resolution: &'a Resolution,
}

impl QueryContext<'_> {
    /// The span in the spec's file of query bytes `range`.
    fn span(&self, range: &std::ops::Range<u32>) -> Span {
        self.map.map_range(range.start, range.end)
    }

    /// `line L, column C` of a span in the spec's file, columns counted in characters.
    fn position(&self, span: Span) -> String {
        let before = self.file_text.get(..span.start as usize).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |at| at + 1);
        let column = before[line_start..].chars().count() + 1;
        format!("line {line}, column {column}")
    }

    /// The query's hard finding for an unknown column `name`, when there is one.
    fn unknown_column(&self, name: &str) -> Option<&Unresolved> {
        self.resolution.hard().find(|item| {
            item.kind == NameKind::Column
                && item.reason == Reason::UnknownColumn
                && item.name == name
        })
    }

    /// The last place the query writes `name` as a whole word, outside of strings or not.
    fn last_mention(&self, name: &str) -> Option<std::ops::Range<u32>> {
        let is_word = |c: char| c.is_alphanumeric() || c == '_';
        let text = self.text;
        text.rmatch_indices(name)
            .map(|(at, _)| at)
            .find(|&at| {
                let end = at + name.len();
                !text[..at].chars().next_back().is_some_and(is_word)
                    && !text[end..].chars().next().is_some_and(is_word)
            })
            .and_then(|at| {
                let start = u32::try_from(at).ok()?;
                Some(start..start + u32::try_from(name.len()).ok()?)
            })
    }

    /// The catalog table the query reads that has a column `name`.
    fn source_table_with(&self, name: &str) -> Option<&str> {
        let catalog = Catalog::builtin();
        self.resolution
            .tables
            .iter()
            .filter(|read| read.kind == SourceKind::Table)
            .find(|read| {
                catalog.table(&read.name).is_some_and(|table| table.column(name).is_some())
            })
            .map(|read| read.name.as_str())
    }
}

/// One field naming an output column.
struct ColumnRef<'a> {
    /// The column as written.
    name: &'a str,
    /// Where to point.
    span: Span,
    /// The field, as the YAML writes it.
    field: &'static str,
    /// Whether the column feeds an entity, where a `dynamic` value is suspect.
    entity: bool,
}

/// Every field of `detection` that names an output column.
fn column_refs<'a>(detection: &'a Detection, text: &str) -> Vec<ColumnRef<'a>> {
    let mut refs = Vec::new();
    let mut push = |value: &'a Spanned<String>, field, entity| {
        if !value.value.trim().is_empty() {
            refs.push(ColumnRef { name: value.value.as_str(), span: value.span, field, entity });
        }
    };
    for mapping in detection.entity_mappings.iter().flatten() {
        for field in &mapping.field_mappings {
            push(&field.column_name, "entityMappings", true);
        }
    }
    for column in detection.sentinel_entities_mappings.iter().flatten() {
        push(column, "sentinelEntitiesMappings", true);
    }
    for (_, column) in detection.custom_details.iter().flatten() {
        push(column, "customDetails", false);
    }
    let Some(overrides) = &detection.alert_details_override else {
        return refs;
    };
    if let Some(column) = &overrides.alert_tactics_column_name {
        push(column, "alertTacticsColumnName", false);
    }
    if let Some(column) = &overrides.alert_severity_column_name {
        push(column, "alertSeverityColumnName", false);
    }
    for property in &overrides.alert_dynamic_properties {
        push(&property.value, "alertDynamicProperties", false);
    }
    let formats = [
        (&overrides.alert_display_name_format, "alertDisplayNameFormat"),
        (&overrides.alert_description_format, "alertDescriptionFormat"),
    ];
    for (format, field) in formats {
        let Some(format) = format else { continue };
        for (_, name) in crate::limits::placeholders(&format.value).0 {
            // Empty placeholders and ones with whitespace are reported by the limit checks.
            if name.is_empty() || name.chars().any(char::is_whitespace) {
                continue;
            }
            let span = placeholder_span(text, format.span, name);
            refs.push(ColumnRef { name, span, field, entity: false });
        }
    }
    refs
}

/// The span of `{{name}}` inside the format's YAML node, or the node when it is not found
/// verbatim (as in a folded scalar broken inside the braces).
fn placeholder_span(text: &str, node: Span, name: &str) -> Span {
    let (start, end) = (node.start as usize, node.end as usize);
    let Some(raw) = text.get(start..end) else {
        return node;
    };
    let needle = format!("{{{{{name}}}}}");
    match raw.find(&needle) {
        Some(at) => {
            let at = node.start + at as u32;
            Span::new(node.file, at, at + needle.len() as u32)
        }
        None => node,
    }
}

fn check_output_columns(
    detection: &Detection,
    query: &QueryContext<'_>,
    output: &OutputSchema,
    out: &mut Vec<Diagnostic>,
) {
    for column in column_refs(detection, query.file_text) {
        if let Some(diagnostic) = check_column(&column, query, output) {
            out.push(diagnostic);
        }
    }
}

fn check_column(
    column: &ColumnRef<'_>,
    query: &QueryContext<'_>,
    output: &OutputSchema,
) -> Option<Diagnostic> {
    let name = column.name.trim();
    let field = column.field;
    if let Some(found) = output.columns.iter().find(|c| c.name == name) {
        if column.entity && found.ty == Some(ScalarType::Dynamic) {
            return Some(
                Diagnostic::warning(
                    codes::MAPPED_COLUMN_DYNAMIC,
                    format!("`{field}` maps `{name}`, a `dynamic` column"),
                    column.span,
                )
                .with_note(
                    "Sentinel takes dynamic values for some identifiers and turns others into \
                     one string that matches no entity",
                )
                .with_help(format!(
                    "map a scalar column, for example after `mv-expand {name} to typeof(string)`"
                )),
            );
        }
        return None;
    }
    let other_case = output.columns.iter().find(|c| c.name.eq_ignore_ascii_case(name));
    let suffixed: Vec<&str> = output
        .columns
        .iter()
        .filter(|c| {
            c.name
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('_'))
                .is_some_and(|suffix| UNION_SUFFIXES.contains(&suffix))
        })
        .map(|c| c.name.as_str())
        .collect();
    // A standard column may be missing from the catalog's schema, unless an operator such as
    // `project` made the output exactly the columns it names.
    let open = output.open || (is_standard_column(name) && output.exact.is_none());
    let diagnostic = if !suffixed.is_empty() && other_case.is_none() {
        let listed: Vec<String> = suffixed.iter().map(|s| format!("`{s}`")).collect();
        Diagnostic::warning(
            codes::MAPPED_COLUMN_UNION_SUFFIX,
            format!("`{field}` names `{name}`, which `union` renames to {}", listed.join(", ")),
            column.span,
        )
        .with_note(
            "`union` renames a column whose type differs between its inputs by appending the type",
        )
        .with_help(format!(
            "give `{name}` one type in every leg (for example `tostring({name})`), or name `{}`",
            suffixed[0]
        ))
    } else if open {
        let mut diagnostic = Diagnostic::note_level(
            codes::MAPPED_COLUMN_UNVERIFIED,
            format!("`{field}` names `{name}`, which is not among the known output columns"),
            column.span,
        )
        .with_note(if output.open {
            "the query's output columns are not all known, so it may exist"
        } else {
            "standard and hidden columns such as `TenantId` exist on every table but are \
             missing from many catalog schemas, so it may exist"
        });
        if let Some(found) = other_case {
            diagnostic = diagnostic.with_help(format!(
                "the output has `{}`; Sentinel matches column names case-sensitively",
                found.name
            ));
        }
        diagnostic
    } else if let Some(found) = other_case {
        Diagnostic::error(
            codes::MAPPED_COLUMN_CASE,
            format!("`{field}` names `{name}`, but the query outputs `{}`", found.name),
            column.span,
        )
        .with_note("Sentinel matches column names case-sensitively, so this finds nothing")
        .with_help(format!("write `{}`", found.name))
    } else {
        let diagnostic = Diagnostic::error(
            codes::MAPPED_COLUMN_MISSING,
            format!("`{field}` names `{name}`, which the query does not output"),
            column.span,
        )
        .with_note("Sentinel reads the column from the query's results; it is not among them");
        missing_column_help(diagnostic, name, query, output)
    };
    Some(diagnostic)
}

/// The help of a `KQL110`: which side to fix. When the nearest output column is itself an
/// unknown column of the query, or `name` is a real column of a table the query reads, the
/// query is what is misspelt, not the field.
fn missing_column_help(
    diagnostic: Diagnostic,
    name: &str,
    query: &QueryContext<'_>,
    output: &OutputSchema,
) -> Diagnostic {
    let names: Vec<&str> = output.columns.iter().map(|c| c.name.as_str()).collect();
    let near = nearest(name, &names);
    let table = query.source_table_with(name);
    if let Some(near) = near {
        if let Some(unknown) = query.unknown_column(near) {
            let span = query.span(&unknown.span);
            let at = query.position(span);
            return diagnostic
                .with_secondary(span, format!("`{near}` does not exist here"))
                .with_help(format!(
                    "the query's column `{near}` at {at} looks misspelt (see the KQL101 \
                     finding there); fix it in the query, not here"
                ));
        }
        let Some(table) = table else {
            return diagnostic.with_help(format!("did you mean `{near}`?"));
        };
        if query.source_table_with(near).is_some() {
            // Both are real columns: either side may be the one meant.
            return diagnostic.with_help(format!(
                "`{name}` is a column of `{table}` that the query leaves out of its output; \
                 keep it there, or did you mean `{near}`?"
            ));
        }
        let Some(range) = query.last_mention(near) else {
            return diagnostic.with_help(format!(
                "`{name}` is a column of `{table}`; the query outputs `{near}` instead, which \
                 looks misspelt: fix the query, not this field"
            ));
        };
        let span = query.span(&range);
        let at = query.position(span);
        return diagnostic
            .with_secondary(span, format!("the query names `{near}` here"))
            .with_help(format!(
                "`{name}` is a column of `{table}`; the query's column `{near}` at {at} looks \
                 misspelt: fix the query, not this field"
            ));
    }
    match (table, &output.exact) {
        (Some(table), Some(exact)) => {
            let span = query.span(&exact.span);
            let at = query.position(span);
            diagnostic.with_secondary(span, exact.label(name)).with_help(format!(
                "`{name}` is a column of `{table}`, but the `{}` at {at} leaves it out of \
                     the output: keep it there",
                exact.operator
            ))
        }
        _ => diagnostic
            .with_help(format!("output `{name}` from the query, or name a column it outputs")),
    }
}

/// The closest of `names` to `name`, when it is close enough to be a typo.
fn nearest<'a>(name: &str, names: &[&'a str]) -> Option<&'a str> {
    names
        .iter()
        .map(|candidate| (strsim::levenshtein(name, candidate), *candidate))
        .filter(|(distance, candidate)| {
            *distance <= (name.chars().count().max(candidate.chars().count()) / 3).max(1)
        })
        .min()
        .map(|(_, candidate)| candidate)
}

/// Adds a bare query file's bytes to `files` and checks it as one query: readability, then
/// [`check_query_file`]. The text kept is normalised as for specs (LF line endings, no BOM).
pub fn check_query_bytes(
    files: &mut palisade_diagnostics::SourceFiles,
    path: &str,
    bytes: &[u8],
) -> (FileId, Vec<Diagnostic>) {
    use palisade_spec::{codes as spec_codes, yaml};
    if bytes.len() > crate::MAX_FILE_SIZE {
        let file = files.add(path, "");
        let diag = Diagnostic::error(
            spec_codes::FILE_TOO_LARGE,
            format!("The file is {} bytes, over the 1 MiB limit", bytes.len()),
            Span::file_start(file),
        )
        .with_note("a Sentinel query is at most 10,000 characters, so this is not read")
        .with_help("split the content, or move it out of the query folders");
        return (file, vec![diag]);
    }
    if let Some(sniffed) = palisade_spec::encoding::sniff(bytes) {
        let file = files.add(path, sniffed.text.clone());
        return (file, vec![sniffed.diagnostic(file, "queries")]);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        let shown = String::from_utf8_lossy(bytes).into_owned();
        let file = files.add(path, yaml::normalize_source(&shown).into_owned());
        let diag = Diagnostic::error(
            spec_codes::NOT_UTF8,
            "The file is not valid UTF-8",
            Span::file_start(file),
        )
        .with_note("queries must be UTF-8; other encodings change names and strings")
        .with_help("re-save the file as UTF-8");
        return (file, vec![diag]);
    };
    let file = files.add(path, yaml::normalize_source(text).into_owned());
    let text = files.get(file).text().to_owned();
    // The same characters as in a spec's YAML; a NUL would otherwise lex as a stray token.
    if let Some(diag) = palisade_spec::encoding::unprintable(file, &text, "queries") {
        return (file, vec![diag]);
    }
    (file, check_query_file(file, &text))
}
