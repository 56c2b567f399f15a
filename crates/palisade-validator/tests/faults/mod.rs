//! The seeded-fault generator: breaks a valid Azure-Sentinel analytics rule in exactly one way,
//! by editing its YAML text, and says which finding (code, file, line) the break must produce.
//!
//! Every edit is made on the file's text, never by building structs, so the spans Palisade
//! reports point into real YAML. Where to edit is found by scanning lines (top-level keys,
//! block scalars, list items), independently of Palisade's own YAML parser, so a span bug in
//! the parser cannot hide itself. A fault kind that does not apply to a rule (no entity
//! mapping, no multi-word tactic, a query Palisade cannot see all of) returns [`Skip`] with
//! the reason, and the test counts those.

use palisade_catalog::Catalog;

/// One valid rule of the corpus, with what the generator needs to know about it.
pub struct Original {
    /// Path below the corpus root.
    pub path: String,
    /// The file's normalised text (no BOM, LF line endings).
    pub text: String,
    /// The query's output columns, when Palisade's resolver knows all of them (the query
    /// reads only catalog tables and functions, and no step opens the schema).
    pub output: Option<Vec<String>>,
    /// Whether those are exactly all the output columns, standard and hidden ones included:
    /// the query ends in a `project`, `summarize` or the like, which drops the rest.
    pub exact: bool,
}

/// The fault kinds, in the order the table prints them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    MappedColumnRenamed,
    MappedColumnUnprojected,
    MappedColumnCase,
    MappedColumnOpenOutput,
    CustomDetailNotOutput,
    PlaceholderNotOutput,
    WhereColumnMisspelled,
    WhereColumnCase,
    WhereAfterProjection,
    WhereStandardColumnAfterProjection,
    PeriodBelowFrequency,
    PeriodOver14d,
    LongPeriodFrequent,
    IsoDurationPt1d,
    TacticWithSpace,
    TacticMisnamed,
    FourthPlaceholder,
    IocInExclusion,
    SeverityMisspelt,
    TriggerOperatorInvalid,
    IdentifierWrongForType,
    TechniqueTacticMismatch,
    DuplicateId,
    SuppressionOver24h,
    VersionMalformed,
    ThresholdOverMax,
    NameTooLong,
    TechniqueUnknown,
    CustomDetailKeyInvalid,
    BracesUnbalanced,
}

impl Kind {
    pub const ALL: [Kind; 30] = [
        Kind::MappedColumnRenamed,
        Kind::MappedColumnUnprojected,
        Kind::MappedColumnCase,
        Kind::MappedColumnOpenOutput,
        Kind::CustomDetailNotOutput,
        Kind::PlaceholderNotOutput,
        Kind::WhereColumnMisspelled,
        Kind::WhereColumnCase,
        Kind::WhereAfterProjection,
        Kind::WhereStandardColumnAfterProjection,
        Kind::PeriodBelowFrequency,
        Kind::PeriodOver14d,
        Kind::LongPeriodFrequent,
        Kind::IsoDurationPt1d,
        Kind::TacticWithSpace,
        Kind::TacticMisnamed,
        Kind::FourthPlaceholder,
        Kind::IocInExclusion,
        Kind::SeverityMisspelt,
        Kind::TriggerOperatorInvalid,
        Kind::IdentifierWrongForType,
        Kind::TechniqueTacticMismatch,
        Kind::DuplicateId,
        Kind::SuppressionOver24h,
        Kind::VersionMalformed,
        Kind::ThresholdOverMax,
        Kind::NameTooLong,
        Kind::TechniqueUnknown,
        Kind::CustomDetailKeyInvalid,
        Kind::BracesUnbalanced,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::MappedColumnRenamed => "mapped-column-renamed",
            Kind::MappedColumnUnprojected => "mapped-column-unprojected",
            Kind::MappedColumnCase => "mapped-column-case",
            Kind::MappedColumnOpenOutput => "mapped-column-open-output",
            Kind::CustomDetailNotOutput => "custom-detail-not-output",
            Kind::PlaceholderNotOutput => "placeholder-not-output",
            Kind::WhereColumnMisspelled => "where-column-misspelled",
            Kind::WhereColumnCase => "where-column-case",
            Kind::WhereAfterProjection => "where-after-projection",
            Kind::WhereStandardColumnAfterProjection => "where-standard-after-projection",
            Kind::PeriodOver14d => "period-over-14d",
            Kind::PeriodBelowFrequency => "period-below-frequency",
            Kind::LongPeriodFrequent => "long-period-frequent",
            Kind::IsoDurationPt1d => "iso-duration-PT1D",
            Kind::TacticWithSpace => "tactic-with-space",
            Kind::TacticMisnamed => "tactic-misnamed",
            Kind::FourthPlaceholder => "fourth-placeholder",
            Kind::IocInExclusion => "ioc-in-exclusion",
            Kind::SeverityMisspelt => "severity-misspelt",
            Kind::TriggerOperatorInvalid => "trigger-operator-invalid",
            Kind::IdentifierWrongForType => "identifier-wrong-for-type",
            Kind::TechniqueTacticMismatch => "technique-tactic-mismatch",
            Kind::DuplicateId => "duplicate-id",
            Kind::SuppressionOver24h => "suppression-over-24h",
            Kind::VersionMalformed => "version-malformed",
            Kind::ThresholdOverMax => "threshold-over-max",
            Kind::NameTooLong => "name-too-long",
            Kind::TechniqueUnknown => "technique-unknown",
            Kind::CustomDetailKeyInvalid => "custom-detail-key-invalid",
            Kind::BracesUnbalanced => "braces-unbalanced",
        }
    }

    /// The code the fault must produce.
    pub fn code(self) -> &'static str {
        match self {
            Kind::MappedColumnRenamed
            | Kind::MappedColumnUnprojected
            | Kind::CustomDetailNotOutput
            | Kind::PlaceholderNotOutput => "KQL110",
            Kind::MappedColumnCase => "KQL111",
            Kind::MappedColumnOpenOutput => "KQL114",
            Kind::WhereColumnMisspelled
            | Kind::WhereColumnCase
            | Kind::WhereAfterProjection
            | Kind::WhereStandardColumnAfterProjection => "KQL101",
            Kind::PeriodOver14d => "SPEC101",
            Kind::PeriodBelowFrequency => "SPEC102",
            Kind::LongPeriodFrequent => "SPEC103",
            Kind::IsoDurationPt1d => "SPEC015",
            Kind::TacticWithSpace => "SPEC108",
            Kind::TacticMisnamed => "SPEC105",
            Kind::FourthPlaceholder => "SPEC127",
            Kind::IocInExclusion => "EXC005",
            Kind::SeverityMisspelt | Kind::TriggerOperatorInvalid => "SPEC013",
            Kind::IdentifierWrongForType => "SPEC121",
            Kind::TechniqueTacticMismatch => "SPEC140",
            Kind::DuplicateId => "SPEC107",
            Kind::SuppressionOver24h => "SPEC115",
            Kind::VersionMalformed => "SPEC136",
            Kind::ThresholdOverMax => "SPEC104",
            Kind::NameTooLong => "SPEC109",
            Kind::TechniqueUnknown => "SPEC138",
            Kind::CustomDetailKeyInvalid => "SPEC125",
            Kind::BracesUnbalanced => "SPEC128",
        }
    }
}

/// Why a kind does not apply to a rule.
pub type Skip = &'static str;

/// What a seeded fault must produce.
pub struct Expect {
    /// Index into [`Seeded::files`] of the file the finding points into.
    pub file: usize,
    /// 1-based line of the finding's primary span.
    pub line: usize,
    /// Text the finding's help must contain (a suggestion), when the kind promises one.
    pub help: Option<String>,
    /// Text the finding's message must contain, when several findings of the code may point
    /// at the line (the table an `EXC005` names).
    pub message: Option<String>,
}

/// A finding of the kind's code in file 0 that would be a false positive: one at `line`, or
/// one whose message contains `message`.
pub struct NearMiss {
    pub line: Option<usize>,
    pub message: Option<String>,
    /// What is there, for the report.
    pub what: String,
}

/// One broken variant of a rule.
pub struct Seeded {
    pub kind: Kind,
    /// The original's path.
    pub origin: String,
    /// What was changed, for the list of misses.
    pub edit: String,
    /// The files to validate together: (path, text). The first is the broken rule.
    pub files: Vec<(String, String)>,
    pub expect: Expect,
    /// Findings of the code that must NOT be reported (near misses).
    pub must_not: Vec<NearMiss>,
}

/// Breaks `rule` in the way `kind` says; `index` (the rule's place in the selection) picks
/// between variants deterministically.
pub fn seed(kind: Kind, rule: &Original, index: usize) -> Result<Seeded, Skip> {
    let doc = Doc::new(&rule.text);
    let mut seeded = match kind {
        Kind::MappedColumnRenamed => mapped_column_renamed(&doc, rule),
        Kind::MappedColumnUnprojected => mapped_column_unprojected(&doc, rule),
        Kind::MappedColumnCase => mapped_column_case(&doc, rule),
        Kind::MappedColumnOpenOutput => mapped_column_open_output(&doc, rule),
        Kind::CustomDetailNotOutput => custom_detail_not_output(&doc, rule),
        Kind::PlaceholderNotOutput => placeholder_not_output(&doc, rule),
        Kind::WhereColumnMisspelled => where_column(&doc, Typo::Misspelt),
        Kind::WhereColumnCase => where_column(&doc, Typo::Case),
        Kind::WhereAfterProjection => where_after_projection(&doc, rule, false),
        Kind::WhereStandardColumnAfterProjection => where_after_projection(&doc, rule, true),
        Kind::PeriodOver14d => period_over_14d(&doc),
        Kind::PeriodBelowFrequency => period_below_frequency(&doc),
        Kind::LongPeriodFrequent => long_period_frequent(&doc),
        Kind::IsoDurationPt1d => iso_duration(&doc, index),
        Kind::TacticWithSpace => tactic_with_space(&doc),
        Kind::TacticMisnamed => tactic_misnamed(&doc),
        Kind::FourthPlaceholder => fourth_placeholder(&doc, rule),
        Kind::IocInExclusion => ioc_in_exclusion(&doc, rule, index),
        Kind::SeverityMisspelt => severity_misspelt(&doc),
        Kind::TriggerOperatorInvalid => trigger_operator_invalid(&doc),
        Kind::IdentifierWrongForType => identifier_wrong_for_type(&doc),
        Kind::TechniqueTacticMismatch => technique_tactic_mismatch(&doc),
        Kind::DuplicateId => duplicate_id(&doc, rule),
        Kind::SuppressionOver24h => suppression_over_24h(&doc),
        Kind::VersionMalformed => version_malformed(&doc),
        Kind::ThresholdOverMax => threshold_over_max(&doc),
        Kind::NameTooLong => name_too_long(&doc),
        Kind::TechniqueUnknown => technique_unknown(&doc),
        Kind::CustomDetailKeyInvalid => custom_detail_key_invalid(&doc),
        Kind::BracesUnbalanced => braces_unbalanced(&doc),
    }?;
    seeded.kind = kind;
    seeded.origin = rule.path.clone();
    for (path, text) in &mut seeded.files {
        if path.is_empty() {
            path.clone_from(&rule.path);
        }
        // As Windows editors save them: every 5th variant with CRLF line endings, every 7th
        // with a byte-order mark. Lines stay the same.
        if index % 5 == 0 {
            *text = text.replace('\n', "\r\n");
        }
        if index % 7 == 0 {
            text.insert(0, '\u{feff}');
        }
    }
    if seeded.files.is_empty() {
        return Err("internal: no files");
    }
    Ok(seeded)
}

/// A result with the broken text as file 0 and the rest filled in by [`seed`].
fn single(text: String, line: usize, edit: String) -> Seeded {
    Seeded {
        kind: Kind::DuplicateId,
        origin: String::new(),
        edit,
        files: vec![(String::new(), text)],
        expect: Expect { file: 0, line, help: None, message: None },
        must_not: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Line-level view of a YAML file.

/// A file as lines (0-based indices; reported lines are index + 1).
#[derive(Clone)]
struct Doc {
    lines: Vec<String>,
}

impl Doc {
    fn new(text: &str) -> Doc {
        Doc { lines: text.split('\n').map(str::to_owned).collect() }
    }

    fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// The line of the top-level key `key`.
    fn top(&self, key: &str) -> Option<usize> {
        self.lines.iter().position(|line| {
            line.strip_prefix(key).is_some_and(|rest| rest.starts_with(':'))
                && !line.starts_with(' ')
        })
    }

    /// The lines after top-level key line `at` that belong to its value.
    fn block(&self, at: usize) -> std::ops::Range<usize> {
        let mut end = at + 1;
        while end < self.lines.len() {
            let line = &self.lines[end];
            let first = line.chars().next();
            let continues = match first {
                None => true,
                Some(c) => {
                    c == ' ' || c == '\t' || c == '#' || c == '-' && !line.starts_with("---")
                }
            };
            if !continues {
                break;
            }
            end += 1;
        }
        // Trailing blank and comment lines belong to nobody.
        while end > at + 1 && {
            let t = self.lines[end - 1].trim();
            t.is_empty() || t.starts_with('#')
        } {
            end -= 1;
        }
        at + 1..end
    }

    /// The plain value of top-level `key: value` (quotes removed), and its line.
    fn top_value(&self, key: &str) -> Option<(usize, String)> {
        let at = self.top(key)?;
        let value = self.lines[at][key.len() + 1..].trim();
        let value = strip_comment(value);
        Some((at, unquote(value).to_owned()))
    }

    /// Replaces the value of top-level `key: value` with `new` (written as is).
    fn set_top(&mut self, key: &str, new: &str) -> Option<usize> {
        let at = self.top(key)?;
        self.lines[at] = format!("{key}: {new}");
        Some(at)
    }

    /// The literal block query: the `query:` line and the content lines with their
    /// indentation, or `None` when the query is not a `|` block.
    fn query_block(&self) -> Option<QueryBlock> {
        let at = self.top("query")?;
        let indicator = strip_comment(self.lines[at]["query:".len()..].trim());
        if !indicator.starts_with('|') {
            return None;
        }
        let mut indent = None;
        let mut end = at + 1;
        while end < self.lines.len() {
            let line = &self.lines[end];
            if line.trim().is_empty() {
                end += 1;
                continue;
            }
            let n = line.len() - line.trim_start_matches(' ').len();
            match indent {
                None if n == 0 => break,
                None => indent = Some(n),
                Some(i) if n < i => break,
                Some(_) => {}
            }
            end += 1;
        }
        let indent = indent?;
        while end > at + 1 && self.lines[end - 1].trim().is_empty() {
            end -= 1;
        }
        Some(QueryBlock { first: at + 1, end, indent })
    }
}

/// The content lines `first..end` of a literal block query, indented by `indent`.
struct QueryBlock {
    first: usize,
    end: usize,
    indent: usize,
}

fn strip_comment(value: &str) -> &str {
    // A ` #` outside quotes starts a comment; values here are simple, so quotes are checked
    // only at the start.
    if value.starts_with('"') || value.starts_with('\'') {
        return value;
    }
    value.find(" #").map_or(value, |at| value[..at].trim_end())
}

fn unquote(value: &str) -> &str {
    let v = value.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|rest| rest.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

/// `key: value` at any indentation, after an optional `- ` list marker: (value start column,
/// value as written without a comment).
fn key_value<'a>(line: &'a str, key: &str) -> Option<(usize, &'a str)> {
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let (lead, rest) = match trimmed.strip_prefix("- ") {
        Some(rest) => {
            let r = rest.trim_start();
            (lead + 2 + rest.len() - r.len(), r)
        }
        None => (lead, trimmed),
    };
    let value = rest.strip_prefix(key)?.strip_prefix(':')?;
    let v = value.trim_start();
    let start = lead + key.len() + 1 + value.len() - v.len();
    Some((start, strip_comment(v)))
}

/// Identifiers of a query line outside string literals and comments: (byte start, name,
/// whether `(` follows, whether `.` precedes).
fn identifiers(line: &str) -> Vec<(usize, &str, bool, bool)> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' || b == b'\'' {
            i += 1;
            while i < bytes.len() && bytes[i] != b {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            break;
        }
        if b.is_ascii_alphabetic() || b == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let after = line[i..].trim_start();
            let before = line[..start].trim_end();
            // `@"..."` verbatim strings and `h"..."` obfuscated ones start with a letter.
            if after.starts_with('"') && i - start == 1 {
                continue;
            }
            out.push((start, &line[start..i], after.starts_with('('), before.ends_with('.')));
            continue;
        }
        if b.is_ascii_digit() {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    out
}

/// Whether `name` occurs in `text` as a whole identifier.
fn mentions(text: &str, name: &str) -> bool {
    let mut from = 0;
    while let Some(at) = text[from..].find(name) {
        let start = from + at;
        let end = start + name.len();
        let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let before_ok = text[..start].chars().next_back().is_none_or(|c| !ident(c));
        let after_ok = text[end..].chars().next().is_none_or(|c| !ident(c));
        if before_ok && after_ok {
            return true;
        }
        from = end;
    }
    false
}

/// The `columnName` lines of `entityMappings`: (line, value start column, column).
fn mapping_columns(doc: &Doc) -> Vec<(usize, usize, String)> {
    let Some(at) = doc.top("entityMappings") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in doc.block(at) {
        if let Some((col, value)) = key_value(&doc.lines[i], "columnName") {
            out.push((i, col, unquote(value).to_owned()));
        }
    }
    out
}

/// The query text of the original (the block's content without indentation).
fn query_text(doc: &Doc, block: &QueryBlock) -> String {
    doc.lines[block.first..block.end]
        .iter()
        .map(|line| line.get(block.indent..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------------------------
// a. Entity-mapping columns the query does not output.

/// The first mapped column that Palisade knows the original outputs.
fn known_mapped_column(doc: &Doc, rule: &Original) -> Result<(usize, usize, String), Skip> {
    let columns = mapping_columns(doc);
    if columns.is_empty() {
        return Err("no entity mapping");
    }
    let Some(output) = &rule.output else {
        return Err("output columns not all known (custom table, unknown function, open schema)");
    };
    columns
        .into_iter()
        .find(|(_, _, name)| output.contains(name))
        .ok_or("no mapped column among the known output columns")
}

/// A name for `name` that no output column has in any case and the file never mentions.
fn free_name(name: &str, rule: &Original) -> Result<String, Skip> {
    let output = rule.output.as_deref().unwrap_or_default();
    ["Name", "Value", "Id", "_"]
        .iter()
        .map(|suffix| format!("{name}{suffix}"))
        .find(|candidate| {
            !output.iter().any(|c| c.eq_ignore_ascii_case(candidate))
                && !rule.text.contains(candidate.as_str())
        })
        .ok_or("no free name")
}

/// Replaces the value that starts at `col` on `line` (up to a comment or the line's end).
fn replace_value(doc: &mut Doc, line: usize, col: usize, new: &str) {
    let text = &mut doc.lines[line];
    let value_len = strip_comment(&text[col..]).trim_end().len();
    text.replace_range(col..col + value_len, new);
}

fn mapped_column_renamed(doc: &Doc, rule: &Original) -> Result<Seeded, Skip> {
    let (line, col, name) = known_mapped_column(doc, rule)?;
    let renamed = free_name(&name, rule)?;
    let mut broken = doc.clone();
    replace_value(&mut broken, line, col, &renamed);
    let edit = format!("columnName `{name}` -> `{renamed}` (line {})", line + 1);
    Ok(single(broken.text(), line + 1, edit))
}

fn mapped_column_case(doc: &Doc, rule: &Original) -> Result<Seeded, Skip> {
    let (line, col, name) = known_mapped_column(doc, rule)?;
    let output = rule.output.as_deref().unwrap_or_default();
    let lower = name.to_lowercase();
    let other = if lower != name { lower } else { name.to_uppercase() };
    if other == name || output.contains(&other) {
        return Err("no other case free");
    }
    let mut broken = doc.clone();
    replace_value(&mut broken, line, col, &other);
    let edit = format!("columnName `{name}` -> `{other}` (line {})", line + 1);
    let mut seeded = single(broken.text(), line + 1, edit);
    seeded.expect.help = Some(name);
    Ok(seeded)
}

/// The fault of [`mapped_column_renamed`] on the rules whose output Palisade cannot know in
/// full: it can only say the column is not among the known ones (a note).
fn mapped_column_open_output(doc: &Doc, rule: &Original) -> Result<Seeded, Skip> {
    if rule.output.is_some() {
        return Err("output columns all known (the closed kinds cover it)");
    }
    let (line, col, name) = mapping_columns(doc).into_iter().next().ok_or("no entity mapping")?;
    let renamed = free_name(&name, rule)?;
    let mut broken = doc.clone();
    replace_value(&mut broken, line, col, &renamed);
    let edit = format!("columnName `{name}` -> `{renamed}` (line {})", line + 1);
    Ok(single(broken.text(), line + 1, edit))
}

fn custom_detail_not_output(doc: &Doc, rule: &Original) -> Result<Seeded, Skip> {
    let at = doc.top("customDetails").ok_or("no customDetails")?;
    let output = rule.output.as_deref().ok_or("output columns not all known")?;
    for i in doc.block(at) {
        let line = &doc.lines[i];
        let Some((key, _)) = line.trim_start().split_once(':') else { continue };
        let key = key.trim();
        let Some((col, value)) = key_value(line, key) else { continue };
        let column = unquote(value).to_owned();
        if !output.contains(&column) {
            continue;
        }
        let renamed = free_name(&column, rule)?;
        let mut broken = doc.clone();
        replace_value(&mut broken, i, col, &renamed);
        let edit = format!("customDetails `{key}`: `{column}` -> `{renamed}`");
        return Ok(single(broken.text(), i + 1, edit));
    }
    Err("no custom detail on a known output column")
}

fn placeholder_not_output(doc: &Doc, rule: &Original) -> Result<Seeded, Skip> {
    let at = doc.top("alertDetailsOverride").ok_or("no alertDetailsOverride")?;
    let output = rule.output.as_deref().ok_or("output columns not all known")?;
    for i in doc.block(at) {
        let line = &doc.lines[i];
        for (at, name) in palisade_validator::limits::placeholders(line).0 {
            if !output.iter().any(|c| c == name) {
                continue;
            }
            let renamed = free_name(name, rule)?;
            let mut broken = doc.clone();
            broken.lines[i].replace_range(at + 2..at + 2 + name.len(), &renamed);
            let edit = format!("placeholder `{{{{{name}}}}}` -> `{{{{{renamed}}}}}`");
            return Ok(single(broken.text(), i + 1, edit));
        }
    }
    Err("no placeholder on a known output column")
}

fn mapped_column_unprojected(doc: &Doc, rule: &Original) -> Result<Seeded, Skip> {
    let (line, _, name) = known_mapped_column(doc, rule)?;
    let block = doc.query_block().ok_or("query is not a literal block")?;
    let mut broken = doc.clone();
    let edit = match drop_from_final_statement(&mut broken, &block, &name) {
        Some(edit) => edit,
        None => {
            // Stop outputting it at the end of the query.
            let new = format!("{}| project-away {name}", " ".repeat(block.indent));
            broken.lines.insert(block.end, new);
            format!("`| project-away {name}` appended to the query (line {})", block.end + 1)
        }
    };
    // The mapping lies before or after the query; after it, lines may have moved.
    let line = if line >= block.end {
        (line + broken.lines.len()).checked_sub(doc.lines.len()).ok_or("internal: lines")?
    } else {
        line
    };
    Ok(single(broken.text(), line + 1, edit))
}

/// The operator of a query line that starts with `| op`.
fn operator(line: &str) -> Option<&str> {
    let op = line.trim_start().strip_prefix('|')?.trim_start();
    let end = op.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(op.len());
    Some(&op[..end])
}

/// Byte ranges of the comma-separated items of `text`, splitting only outside brackets,
/// strings and `//` comments.
fn items(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let (mut depth, mut start, mut i) = (0i32, 0, 0);
    let mut out = Vec::new();
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            b',' if depth == 0 => {
                out.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(start..text.len().min(bytes.len()));
    out
}

/// Removes `name` (`name` or `name = expr`) from the query's final `project` or `extend` when
/// nothing after it can bring the column back: only `where`, `sort`, `top`, `take` follow, the
/// column is named nowhere else in the query, and no catalog table the query names has a
/// column of that name. Returns what was done.
fn drop_from_final_statement(doc: &mut Doc, block: &QueryBlock, name: &str) -> Option<String> {
    let lines = &doc.lines[block.first..block.end];
    let start =
        lines.iter().rposition(|line| matches!(operator(line), Some("project" | "extend")))?;
    let op = operator(&lines[start])?.to_owned();
    // The statement runs to the next `|` line, blank line, comment line or the end.
    let mut end = start + 1;
    while end < lines.len() {
        let t = lines[end].trim_start();
        if t.starts_with('|') || t.is_empty() || t.starts_with("//") {
            break;
        }
        end += 1;
    }
    let safe = ["where", "sort", "order", "top", "take", "limit"];
    for line in &lines[end..] {
        let t = line.trim();
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        if !safe.contains(&operator(line)?) || mentions(t, name) {
            return None;
        }
    }
    let statement = lines[start..end].join("\n");
    let body_at = statement.find(op.as_str())? + op.len();
    let ranges: Vec<_> = items(&statement[body_at..])
        .into_iter()
        .map(|range| range.start + body_at..range.end + body_at)
        .collect();
    let position = ranges.iter().position(|range| {
        let item = statement[range.clone()].trim();
        let item = item.split("//").next().unwrap_or("").trim();
        item == name
            || item.strip_prefix(name).is_some_and(|rest| {
                let rest = rest.trim_start();
                rest.starts_with('=') && !rest.starts_with("==")
            })
    })?;
    let removed = if ranges.len() == 1 {
        // The whole statement goes; only `extend` may be left out entirely.
        if op != "extend" {
            return None;
        }
        None
    } else if position + 1 < ranges.len() {
        Some(ranges[position].start..ranges[position + 1].start)
    } else {
        Some(ranges[position - 1].end..ranges[position].end)
    };
    let new_statement = match &removed {
        Some(range) => {
            let mut text = statement.clone();
            // Keep the space after the operator keyword.
            let range =
                if range.start == body_at { range.start + 1..range.end } else { range.clone() };
            let kept = text[range.end..].trim_start_matches(' ').len();
            let end = text.len() - kept;
            text.replace_range(range.start..end.max(range.start), "");
            if position + 1 < ranges.len() && range.start > body_at + 1 {
                text.insert(range.start, ' ');
            }
            Some(text)
        }
        None => None,
    };
    // The rest of the query must not name the column (it would come back, or break).
    let mut query: Vec<String> = lines.to_vec();
    let new_lines: Vec<String> = match &new_statement {
        Some(text) => text.split('\n').map(str::to_owned).collect(),
        None => Vec::new(),
    };
    query.splice(start..end, new_lines.clone());
    let joined = query.join("\n");
    if mentions(&joined, name) {
        return None;
    }
    let catalog = Catalog::builtin();
    let on_a_table = catalog
        .tables()
        .any(|table| mentions(&joined, table.name()) && table.column(name).is_some());
    if on_a_table {
        return None;
    }
    let at = block.first + start;
    doc.lines.splice(at..block.first + end, new_lines);
    Some(match new_statement {
        Some(_) => format!("`{name}` removed from the final `{op}` (line {})", at + 1),
        None => format!("the final `{op}` defining `{name}` removed (line {})", at + 1),
    })
}

// ---------------------------------------------------------------------------------------------
// b. A misspelled column in a `where` on a known table.

/// How [`where_column`] breaks the column name.
#[derive(Clone, Copy)]
enum Typo {
    /// Two letters swapped, or one dropped.
    Misspelt,
    /// The right letters in another case (names are case-sensitive).
    Case,
}

fn where_column(doc: &Doc, typo: Typo) -> Result<Seeded, Skip> {
    let block = doc.query_block().ok_or("query is not a literal block")?;
    let query = query_text(doc, &block);
    let catalog = Catalog::builtin();
    for i in block.first..block.end {
        let line = doc.lines[i].trim();
        // `Table` alone on a line, then `| where ...`; or `Table | where ...` on one line.
        let (table_name, where_line, where_at) = if let Some(table) = catalog.table(line) {
            let next = (i + 1..block.end).find(|&j| {
                let t = doc.lines[j].trim();
                !t.is_empty() && !t.starts_with("//")
            });
            let Some(j) = next else { continue };
            let Some(at) = where_start(&doc.lines[j]) else { continue };
            (table.name(), j, at)
        } else {
            let Some((head, _)) = line.split_once('|') else { continue };
            let Some(table) = catalog.table(head.trim()) else { continue };
            let Some(at) = where_start(&doc.lines[i]) else { continue };
            (table.name(), i, at)
        };
        let table = catalog.table(table_name).ok_or("table vanished")?;
        // An ASIM parser of the same name shadows the table, and parsers' output is open.
        if table.is_open() || catalog.function(table_name).is_some() {
            continue;
        }
        let text = &doc.lines[where_line];
        for (start, name, call, member) in identifiers(&text[where_at..]) {
            if call || member || table.column(name).is_none() {
                continue;
            }
            let free = |candidate: &str| {
                table.columns().iter().all(|c| !c.name.eq_ignore_ascii_case(candidate))
                    && !mentions(&query, candidate)
            };
            let typo = match typo {
                Typo::Misspelt => misspell(name, free),
                Typo::Case => {
                    let lower = name.to_lowercase();
                    let other = if lower == name { name.to_uppercase() } else { lower };
                    let clash = table.columns().iter().any(|c| c.name == other);
                    (other != name && !clash && !mentions(&query, &other)).then_some(other)
                }
            };
            let Some(typo) = typo else { continue };
            let mut broken = doc.clone();
            let at = where_at + start;
            broken.lines[where_line].replace_range(at..at + name.len(), &typo);
            let edit = format!(
                "`{name}` -> `{typo}` in a `where` on `{table_name}` (line {})",
                where_line + 1
            );
            let mut seeded = single(broken.text(), where_line + 1, edit);
            seeded.expect.help = Some(name.to_owned());
            return Ok(seeded);
        }
    }
    Err("no `where` on a catalog table right after it, naming one of its columns")
}

/// Columns every Log Analytics table has, which Palisade reports as unverified (`KQL102`)
/// where they may be missing only from the catalog's schema, and as unknown (`KQL101`) after
/// an operator such as `project` that leaves them out.
const STANDARD_COLUMNS: &[&str] =
    &["TenantId", "SourceSystem", "Type", "MG", "ManagementGroupName"];

/// A filter appended to the query on a column of a table the query reads that its output no
/// longer has (projected away, or never kept by `summarize`). With `standard`, the column is a
/// standard one such as `TenantId`.
fn where_after_projection(doc: &Doc, rule: &Original, standard: bool) -> Result<Seeded, Skip> {
    let output = rule.output.as_deref().ok_or("output columns not all known")?;
    let block = doc.query_block().ok_or("query is not a literal block")?;
    let query = query_text(doc, &block);
    let catalog = Catalog::builtin();
    let free = |name: &str| {
        !output.iter().any(|c| c.eq_ignore_ascii_case(name)) && !mentions(&query, name)
    };
    if standard {
        // Without a `project` or the like at the end, the table's own standard columns are
        // still there, whatever the catalog lists.
        if !rule.exact {
            return Err("output not cut down by a `project`, `summarize` or the like");
        }
        let column =
            STANDARD_COLUMNS.iter().find(|name| free(name)).ok_or("every standard column used")?;
        let mut broken = doc.clone();
        let new = format!("{}| where isnotempty({column})", " ".repeat(block.indent));
        broken.lines.insert(block.end, new);
        let edit = format!("`| where isnotempty({column})` appended to the query");
        let mut seeded = single(broken.text(), block.end + 1, edit);
        seeded.expect.message = Some((*column).to_owned());
        return Ok(seeded);
    }
    let (table, column) = catalog
        .tables()
        .filter(|table| mentions(&query, table.name()) && catalog.function(table.name()).is_none())
        .find_map(|table| {
            let column = table.columns().iter().map(|c| c.name).find(|name| {
                !name.starts_with('_') && !STANDARD_COLUMNS.contains(name) && free(name)
            })?;
            Some((table.name(), column))
        })
        .ok_or("no catalog table column outside the output")?;
    let mut broken = doc.clone();
    let new = format!("{}| where isnotempty({column})", " ".repeat(block.indent));
    broken.lines.insert(block.end, new);
    let edit = format!("`| where isnotempty({column})` ({table}) appended to the query");
    let mut seeded = single(broken.text(), block.end + 1, edit);
    seeded.expect.message = Some(column.to_owned());
    Ok(seeded)
}

/// The byte offset just after `where ` in a `| where` line.
fn where_start(line: &str) -> Option<usize> {
    let at = line.find("| where ")?;
    Some(at + "| where ".len())
}

/// A one-edit misspelling of `name` that `ok` accepts: two neighbouring letters swapped in the
/// middle, else a letter dropped.
fn misspell(name: &str, ok: impl Fn(&str) -> bool) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() < 4 {
        return None;
    }
    let mid = chars.len() / 2;
    let mut candidates = Vec::new();
    for i in (1..chars.len() - 1).map(|d| (mid + d - 1) % (chars.len() - 1)).filter(|&i| i >= 1) {
        if chars[i] != chars[i + 1] {
            let mut swapped = chars.clone();
            swapped.swap(i, i + 1);
            candidates.push(swapped.into_iter().collect::<String>());
        }
    }
    for i in 1..chars.len() - 1 {
        let mut dropped = chars.clone();
        dropped.remove(i);
        candidates.push(dropped.into_iter().collect::<String>());
    }
    candidates.into_iter().find(|candidate| candidate != name && ok(candidate))
}

// ---------------------------------------------------------------------------------------------
// c, g. Schedule.

/// Minutes of `5m`, `1h`, `14d`.
fn minutes(text: &str) -> Option<u64> {
    let (number, unit) = text.split_at(text.len().checked_sub(1)?);
    let n: u64 = number.parse().ok()?;
    match unit {
        "m" => Some(n),
        "h" => Some(n * 60),
        "d" => Some(n * 1_440),
        _ => None,
    }
}

fn write_minutes(n: u64) -> String {
    if n % 1_440 == 0 {
        format!("{}d", n / 1_440)
    } else if n % 60 == 0 {
        format!("{}h", n / 60)
    } else {
        format!("{n}m")
    }
}

fn period_below_frequency(doc: &Doc) -> Result<Seeded, Skip> {
    if doc.top_value("kind").is_some_and(|(_, kind)| kind == "NRT") {
        return Err("NRT rule (frequency and period unused)");
    }
    let (_, frequency) = doc.top_value("queryFrequency").ok_or("no queryFrequency (NRT?)")?;
    let (period_line, period) = doc.top_value("queryPeriod").ok_or("no queryPeriod")?;
    let f = minutes(&frequency).ok_or("queryFrequency not in `5m`/`1h`/`1d` form")?;
    let p = minutes(&period).ok_or("queryPeriod not in `5m`/`1h`/`1d` form")?;
    let mut broken = doc.clone();
    let edit = if f >= 10 {
        // Half the frequency, at least 5 minutes: below it, and inside every other limit.
        let new = (f / 2).max(5);
        broken.set_top("queryPeriod", &write_minutes(new));
        format!("queryPeriod {period} -> {} (frequency {frequency})", write_minutes(new))
    } else {
        // Frequency is 5m: run half as often as the rule looks back.
        let new = 2 * p;
        broken.set_top("queryFrequency", &write_minutes(new));
        format!("queryFrequency {frequency} -> {} (period {period})", write_minutes(new))
    };
    Ok(single(broken.text(), period_line + 1, edit))
}

fn long_period_frequent(doc: &Doc) -> Result<Seeded, Skip> {
    if doc.top_value("kind").is_some_and(|(_, kind)| kind == "NRT") {
        return Err("NRT rule (frequency and period unused)");
    }
    let (frequency_line, frequency) = doc.top_value("queryFrequency").ok_or("no queryFrequency")?;
    let (_, period) = doc.top_value("queryPeriod").ok_or("no queryPeriod")?;
    let f = minutes(&frequency).ok_or("queryFrequency not in `5m`/`1h`/`1d` form")?;
    let p = minutes(&period).ok_or("queryPeriod not in `5m`/`1h`/`1d` form")?;
    let mut broken = doc.clone();
    // A look-back of 2 days or more, run more often than hourly: one fault, up to two edits.
    let mut edits = Vec::new();
    if p < 2 * 1_440 {
        broken.set_top("queryPeriod", "2d");
        edits.push(format!("queryPeriod {period} -> 2d"));
    }
    if f >= 60 {
        broken.set_top("queryFrequency", "30m");
        edits.push(format!("queryFrequency {frequency} -> 30m"));
    }
    Ok(single(broken.text(), frequency_line + 1, edits.join(", ")))
}

fn period_over_14d(doc: &Doc) -> Result<Seeded, Skip> {
    if doc.top_value("kind").is_some_and(|(_, kind)| kind == "NRT") {
        return Err("NRT rule (frequency and period unused)");
    }
    let (_, frequency) = doc.top_value("queryFrequency").ok_or("no queryFrequency")?;
    let (period_line, period) = doc.top_value("queryPeriod").ok_or("no queryPeriod")?;
    let f = minutes(&frequency).ok_or("queryFrequency not in `5m`/`1h`/`1d` form")?;
    if f < 60 {
        return Err("frequency under 1h (a 15d period would break a second limit)");
    }
    let mut broken = doc.clone();
    broken.set_top("queryPeriod", "15d");
    let edit = format!("queryPeriod {period} -> 15d");
    Ok(single(broken.text(), period_line + 1, edit))
}

fn iso_duration(doc: &Doc, index: usize) -> Result<Seeded, Skip> {
    let key = if index % 2 == 0 { "queryPeriod" } else { "queryFrequency" };
    let (line, old) = doc.top_value(key).ok_or("no queryFrequency/queryPeriod (NRT?)")?;
    let mut broken = doc.clone();
    broken.set_top(key, "PT1D");
    let edit = format!("{key} {old} -> PT1D");
    let mut seeded = single(broken.text(), line + 1, edit);
    seeded.expect.help = Some("P1D".to_owned());
    Ok(seeded)
}

// ---------------------------------------------------------------------------------------------
// d. Tactics.

/// The tactic items: (line, start column, tactic as written).
fn tactic_items(doc: &Doc) -> Vec<(usize, usize, String)> {
    let Some(at) = doc.top("tactics") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let inline = doc.lines[at]["tactics:".len()..].trim();
    if let Some(list) = inline.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
        let base = doc.lines[at].find('[').unwrap_or(0) + 1;
        let mut offset = 0;
        for item in list.split(',') {
            let name = unquote(item.trim());
            if let Some(pos) = item.find(name) {
                out.push((at, base + offset + pos, name.to_owned()));
            }
            offset += item.len() + 1;
        }
        return out;
    }
    for i in doc.block(at) {
        let line = &doc.lines[i];
        let Some(item) = line.trim_start().strip_prefix("- ") else { continue };
        let name = unquote(strip_comment(item.trim()));
        if let Some(pos) = line.find(name) {
            out.push((i, pos, name.to_owned()));
        }
    }
    out
}

/// `InitialAccess` as people write it with spaces.
fn spaced(tactic: &str) -> Option<String> {
    if tactic == "CommandAndControl" {
        return Some("Command and Control".to_owned());
    }
    let mut out = String::new();
    for (i, c) in tactic.chars().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            out.push(' ');
        }
        out.push(c);
    }
    out.contains(' ').then_some(out)
}

fn tactic_with_space(doc: &Doc) -> Result<Seeded, Skip> {
    let items = tactic_items(doc);
    let (line, col, tactic, new) = items
        .into_iter()
        .filter(|(_, _, t)| palisade_validator::checks::TACTICS.contains(&t.as_str()))
        .find_map(|(line, col, t)| spaced(&t).map(|s| (line, col, t, s)))
        .ok_or("no multi-word tactic")?;
    let mut broken = doc.clone();
    // Quoted, since a flow list would otherwise need it for some names.
    let written = format!("'{new}'");
    let quoted = doc.lines[line][..col].ends_with('\'') || doc.lines[line][..col].ends_with('"');
    let (from, to, with) = if quoted {
        (col, col + tactic.len(), new.clone())
    } else {
        (col, col + tactic.len(), written)
    };
    broken.lines[line].replace_range(from..to, &with);
    let edit = format!("tactic `{tactic}` -> `{new}`");
    let mut seeded = single(broken.text(), line + 1, edit);
    seeded.expect.help = Some(tactic);
    Ok(seeded)
}

/// Names people use for a tactic that are not Sentinel's, with the tactic they mean.
const MISNAMED: &[(&str, &str)] = &[
    ("DefenseEvasion", "Evasion"),
    ("CommandAndControl", "CommandControl"),
    ("PrivilegeEscalation", "PrivEscalation"),
    ("CredentialAccess", "CredentialAcess"),
    ("InitialAccess", "InitialAcces"),
    ("LateralMovement", "LateralMovment"),
    ("Persistence", "Persistance"),
    ("Exfiltration", "Exfil"),
    ("Discovery", "Discover"),
    ("Execution", "Executon"),
    ("Collection", "Colection"),
    ("Impact", "Impacts"),
    ("Reconnaissance", "Recon"),
    ("ResourceDevelopment", "ResourceDev"),
];

fn tactic_misnamed(doc: &Doc) -> Result<Seeded, Skip> {
    let items = tactic_items(doc);
    let (line, col, tactic, wrong) = items
        .into_iter()
        .find_map(|(line, col, t)| {
            MISNAMED.iter().find(|(right, _)| *right == t).map(|(_, wrong)| (line, col, t, *wrong))
        })
        .ok_or("no tactic with a known misnaming")?;
    let mut broken = doc.clone();
    broken.lines[line].replace_range(col..col + tactic.len(), wrong);
    let edit = format!("tactic `{tactic}` -> `{wrong}`");
    let mut seeded = single(broken.text(), line + 1, edit);
    seeded.expect.help = Some(tactic);
    Ok(seeded)
}

// ---------------------------------------------------------------------------------------------
// e. A fourth placeholder.

/// `{{...}}` occurrences in `text`.
fn count_placeholders(text: &str) -> usize {
    palisade_validator::limits::placeholders(text).0.len()
}

fn fourth_placeholder(doc: &Doc, rule: &Original) -> Result<Seeded, Skip> {
    // Columns the query outputs, so that only the count is wrong: the known output, else the
    // mapped columns.
    let mut columns: Vec<String> = match &rule.output {
        Some(output) => output.iter().filter(|c| !c.starts_with('_')).cloned().collect(),
        None => mapping_columns(doc).into_iter().map(|(_, _, c)| c).collect(),
    };
    columns.dedup();
    if columns.is_empty() {
        return Err("no known output column");
    }
    let pick = |n: usize, skip: &str| -> String {
        let mut chosen: Vec<&String> =
            columns.iter().filter(|c| !skip.contains(c.as_str())).collect();
        if chosen.is_empty() {
            chosen = columns.iter().collect();
        }
        (0..n)
            .map(|i| format!("{{{{{}}}}}", chosen[i % chosen.len()]))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut broken = doc.clone();
    if let Some(at) = doc.top("alertDetailsOverride") {
        for key in ["alertDisplayNameFormat", "alertDescriptionFormat"] {
            for i in doc.block(at) {
                let Some((col, value)) = key_value(&doc.lines[i], key) else { continue };
                if value.starts_with('|') || value.starts_with('>') || value.is_empty() {
                    continue;
                }
                let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'');
                if let Some(q) = quote {
                    if value.len() < 2 || !value.ends_with(q) {
                        continue;
                    }
                }
                let inner = unquote(value);
                let n = count_placeholders(inner);
                if n > 3 {
                    return Err("already over the limit");
                }
                let added = pick(4 - n, inner);
                let limit = if key == "alertDisplayNameFormat" { 256 } else { 5_000 };
                if inner.chars().count() + added.chars().count() + 1 > limit {
                    continue;
                }
                let line = &mut broken.lines[i];
                match quote {
                    // Before the closing quote.
                    Some(_) => line.insert_str(col + value.len() - 1, &format!(" {added}")),
                    // A plain scalar may not hold `{` at its start, so quote the whole value.
                    None => {
                        let escaped = inner.replace('\'', "''");
                        line.replace_range(col..col + value.len(), &format!("'{escaped} {added}'"));
                    }
                }
                let edit = format!("`{key}` gets {} more placeholders", 4 - n);
                return Ok(single(broken.text(), i + 1, edit));
            }
        }
        return Err("alertDetailsOverride has no single-line format to extend");
    }
    // No override: add one, at the end of the file.
    while broken.lines.last().is_some_and(|line| line.trim().is_empty()) {
        broken.lines.pop();
    }
    broken.lines.push("alertDetailsOverride:".to_owned());
    let line = broken.lines.len() + 1;
    broken.lines.push(format!("  alertDisplayNameFormat: 'Seeded alert {}'", pick(4, "")));
    broken.lines.push(String::new());
    Ok(single(broken.text(), line, "`alertDetailsOverride` added with 4 placeholders".to_owned()))
}

// ---------------------------------------------------------------------------------------------
// f. An IOC inside an applied exclusion range.

/// A seeded indicator: its type, its value, and whether it lies inside the exclusion.
type Indicator = (&'static str, String, bool);

/// Public first octets for the seeded ranges.
const FIRST_OCTETS: &[u8] = &[45, 62, 91, 103, 146, 151, 185, 193];

fn ioc_in_exclusion(doc: &Doc, rule: &Original, index: usize) -> Result<Seeded, Skip> {
    let copy = |key: &str| -> Option<String> {
        let at = doc.top(key)?;
        let range = doc.block(at);
        Some(doc.lines[at..range.end].join("\n"))
    };
    let id = copy("id").ok_or("no id")?;
    let name = copy("name").ok_or("no name")?;
    let severity = copy("severity").ok_or("no severity")?;
    let tactics = copy("tactics").unwrap_or_default();
    let techniques = copy("relevantTechniques").unwrap_or_default();
    let schedule = match (copy("queryFrequency"), copy("queryPeriod")) {
        (Some(f), Some(p)) => format!("{f}\n{p}"),
        _ => "queryFrequency: 1h\nqueryPeriod: 1h".to_owned(),
    };
    let x = FIRST_OCTETS[index % FIRST_OCTETS.len()];
    let y = 1 + (index * 7) % 250;
    let exclusion_id = format!("seeded-range-{index:04}");
    let defang = |address: &str| -> String {
        if index % 3 == 0 { address.replace('.', "[.]") } else { address.to_owned() }
    };

    // (indicator type, value, inside?) per shape; the range, the field and the table.
    let shape = index % 7;
    let hash = |salt: u64| -> String {
        let mut state = (index as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ salt;
        (0..4)
            .map(|_| {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                format!("{state:016x}")
            })
            .collect()
    };
    let (table, field, ranges, indicators): (&str, &str, Vec<String>, Vec<Indicator>) = match shape
    {
        0 => (
            "CommonSecurityLog",
            "destination_address",
            vec![format!("{x}.{y}.0.0/16"), "172.16.0.0/12".to_owned()],
            vec![
                (
                    "ip:port",
                    format!("{}:7601", defang(&format!("172.245.95.{}", 9 + y % 9))),
                    false,
                ),
                ("ip", defang(&format!("{x}.{}.255.254", y - 1)), false),
                ("ip", defang(&format!("{x}.{y}.200.7")), true),
                ("ip:port", format!("{}:443", defang(&format!("{x}.{}.0.1", y + 1))), false),
                ("ip", defang("172.32.0.1"), false),
            ],
        ),
        1 => (
            "DeviceNetworkEvents",
            "remote_address",
            vec![format!("{x}.{y}.16.0/20")],
            vec![
                ("ip", defang(&format!("{x}.{y}.15.255")), false),
                ("ip:port", format!("{}:8443", defang(&format!("{x}.{y}.31.255"))), true),
                ("ip", defang(&format!("{x}.{y}.32.0")), false),
                ("ip", defang("172.245.95.9"), false),
            ],
        ),
        2 => (
            "CommonSecurityLog",
            "destination_address",
            vec![format!("{x}.{y}.7.128/25"), "10.0.0.0/8".to_owned()],
            vec![
                ("ip", defang(&format!("{x}.{y}.7.127")), false),
                ("ip", defang(&format!("{x}.{y}.7.128")), true),
                ("ip", defang(&format!("{x}.{y}.8.0")), false),
                ("ip", defang("11.0.0.1"), false),
            ],
        ),
        4 => (
            "CommonSecurityLog",
            "destination_address",
            vec![format!("{x}.{y}.7.128/25")],
            vec![
                ("cidr", format!("{x}.{y}.6.0/24"), false),
                ("cidr", format!("{x}.{y}.7.192/26"), true),
                ("cidr", format!("{x}.{y}.8.0/23"), false),
                ("ip", defang(&format!("{x}.{y}.7.127")), false),
            ],
        ),
        5 => (
            "DnsEvents",
            "domain",
            // Names compare whole and without regard to case.
            vec![format!("Updates{index}.VendorSync.net")],
            vec![
                ("domain", defang("vendorsync.net"), false),
                ("domain", format!("cdn.updates{index}.vendorsync.net"), false),
                ("domain", defang(&format!("updates{index}.vendorsync.net")), true),
                ("domain", format!("updates{index}-vendorsync.net"), false),
            ],
        ),
        6 => {
            let inside = hash(1);
            let mut near = inside.clone();
            let last = if near.ends_with('0') { "1" } else { "0" };
            near.replace_range(63..64, last);
            (
                "DeviceProcessEvents",
                "file_hash_sha256",
                vec![inside.to_uppercase()],
                vec![("sha256", hash(2), false), ("sha256", inside, true), ("sha256", near, false)],
            )
        }
        _ => (
            "DeviceNetworkEvents",
            "remote_address",
            vec![format!("2a05:d0{:02x}:abcd::/48", y % 256), "172.16.0.0/12".to_owned()],
            vec![
                ("ip", format!("2a05:d0{:02x}:abce::1", y % 256), false),
                ("ip", format!("2a05:d0{:02x}:abcd:1::5", y % 256), true),
                ("ip", format!("2a05:d0{:02x}:abcc:ffff::1", y % 256), false),
                ("ip", defang("172.245.95.9"), false),
            ],
        ),
    };

    let mut lines: Vec<String> = vec![
        "# Seeded fault: an IOC detection derived from a corpus rule, with one indicator inside"
            .to_owned(),
        "# an applied exclusion (a range, a name or a hash) and the others just outside."
            .to_owned(),
        id,
        name,
        "description: |".to_owned(),
        format!("  IOC detection derived from `{}`.", rule.path.replace('`', "")),
        severity,
        "kind: Scheduled".to_owned(),
        schedule,
        "triggerOperator: gt".to_owned(),
        "triggerThreshold: 0".to_owned(),
    ];
    if !tactics.is_empty() {
        lines.push(tactics);
    }
    if !techniques.is_empty() {
        lines.push(techniques);
    }
    lines.push("iocs:".to_owned());
    lines.push("  source: Seeded faults".to_owned());
    lines.push("  indicators:".to_owned());
    // Spans are computed on the joined text, so join first and search after.
    let mut values = Vec::new();
    for (kind, value, inside) in &indicators {
        lines.push(format!("    - type: {kind}"));
        lines.push(format!("      value: '{value}'"));
        lines.push("      first_seen: 2026-06-06".to_owned());
        values.push((value.clone(), *inside));
    }
    lines.push("targets:".to_owned());
    lines.push(format!("  - {table}"));
    if shape == 2 {
        // A second target the exclusion is scoped away from: no finding there.
        let other = "DeviceNetworkEvents";
        lines.push(format!("  - {other}"));
        lines.push("exclusions:".to_owned());
        lines.push(format!("  - id: {exclusion_id}"));
        lines.push(format!("    targets: [{table}]"));
    } else {
        lines.push("exclusions:".to_owned());
        lines.push(format!("  - {exclusion_id}"));
    }
    lines.push("version: 1.0.0".to_owned());
    lines.push(String::new());
    let spec = lines.join("\n");
    let spec_lines: Vec<&str> = spec.split('\n').collect();
    let line_of = |value: &str| {
        spec_lines.iter().position(|line| line.trim() == format!("value: '{value}'")).map(|i| i + 1)
    };
    let mut inside_line = None;
    let mut must_not = Vec::new();
    for (value, inside) in &values {
        let line = line_of(value).ok_or("indicator line not found")?;
        if *inside {
            inside_line = Some(line);
        } else {
            must_not.push(NearMiss { line: Some(line), message: None, what: value.clone() });
        }
    }

    if shape == 2 {
        must_not.push(NearMiss {
            line: None,
            message: Some("on `DeviceNetworkEvents`".to_owned()),
            what: "the inside indicator on a target the exclusion is not applied to".to_owned(),
        });
    }

    let mut exclusion = vec![
        "exclusion:".to_owned(),
        format!("  id: {exclusion_id}"),
        format!("  title: Seeded vendor range {index}"),
        "  scenario: |".to_owned(),
        "    Connections to a vendor's address range that the SOC trusts.".to_owned(),
        "  rationale: |".to_owned(),
        "    Seeded for the fault proof; the range covers one of the detection's indicators."
            .to_owned(),
        "  owner: seeded-faults".to_owned(),
        "  condition:".to_owned(),
    ];
    if shape == 2 {
        // The range inside `any`, next to a process condition: the range alone suffices.
        exclusion.push("    any:".to_owned());
        exclusion.push("      - process_name: [vendoragent.exe]".to_owned());
        exclusion.push(format!("      - {field}:"));
        exclusion.extend(ranges.iter().map(|range| format!("          - {range}")));
    } else {
        exclusion.push(format!("    {field}:"));
        exclusion.extend(ranges.iter().map(|range| format!("      - {range}")));
    }
    exclusion.push(String::new());

    let inside = indicators.iter().find(|(_, _, inside)| *inside).map(|(_, v, _)| v.clone());
    let edit = format!(
        "IOC spec on {table}; `{}` inside `{}` of exclusion `{exclusion_id}` ({field})",
        inside.unwrap_or_default(),
        ranges[0]
    );
    Ok(Seeded {
        kind: Kind::IocInExclusion,
        origin: String::new(),
        edit,
        files: vec![
            (format!("detections/seeded/{index:04}.yaml"), spec),
            (format!("exclusions/{exclusion_id}.yaml"), exclusion.join("\n")),
        ],
        expect: Expect {
            file: 0,
            line: inside_line.ok_or("no inside indicator")?,
            help: None,
            message: Some(format!("on `{table}`")),
        },
        must_not,
    })
}

// ---------------------------------------------------------------------------------------------
// More kinds a reviewer expects.

fn severity_misspelt(doc: &Doc) -> Result<Seeded, Skip> {
    let (line, severity) = doc.top_value("severity").ok_or("no severity")?;
    let wrong = match severity.as_str() {
        "High" => "Hight",
        "Medium" => "Meduim",
        "Low" => "Lwo",
        "Informational" => "Informatonal",
        _ => return Err("severity not one of the four"),
    };
    let mut broken = doc.clone();
    broken.set_top("severity", wrong);
    let mut seeded = single(broken.text(), line + 1, format!("severity {severity} -> {wrong}"));
    seeded.expect.help = Some(severity);
    Ok(seeded)
}

fn trigger_operator_invalid(doc: &Doc) -> Result<Seeded, Skip> {
    let (line, operator) = doc.top_value("triggerOperator").ok_or("no triggerOperator (NRT?)")?;
    let wrong = match operator.as_str() {
        "gt" => "gte",
        "lt" => "lte",
        "eq" => "equals",
        "ne" => "neq",
        _ => return Err("triggerOperator not gt/lt/eq/ne"),
    };
    let mut broken = doc.clone();
    broken.set_top("triggerOperator", wrong);
    let edit = format!("triggerOperator {operator} -> {wrong}");
    Ok(single(broken.text(), line + 1, edit))
}

fn identifier_wrong_for_type(doc: &Doc) -> Result<Seeded, Skip> {
    let at = doc.top("entityMappings").ok_or("no entity mapping")?;
    let mut entity = None;
    for i in doc.block(at) {
        if let Some((_, value)) = key_value(&doc.lines[i], "entityType") {
            entity = Some(unquote(value).to_owned());
        }
        let Some((col, value)) = key_value(&doc.lines[i], "identifier") else { continue };
        let Some(entity) = &entity else { continue };
        let Some(known) = palisade_validator::limits::entity_type(entity) else { continue };
        let identifier = unquote(value);
        // An identifier of another entity type, never valid for this one.
        let wrong = ["Address", "HostName", "Url", "DomainName", "ResourceId"]
            .into_iter()
            .find(|candidate| {
                !known.identifiers.contains(candidate) && !known.extras.contains(candidate)
            })
            .ok_or("no wrong identifier")?;
        let mut broken = doc.clone();
        broken.lines[i].replace_range(col..col + value.len(), wrong);
        let edit = format!("`{entity}` identifier `{identifier}` -> `{wrong}`");
        return Ok(single(broken.text(), i + 1, edit));
    }
    Err("no entity mapping with a known type")
}

/// Techniques of one tactic each, to add to a rule that lists none of their tactics.
const TECHNIQUES: &[&str] = &["T1566", "T1486", "T1003", "T1046", "T1071"];

fn technique_tactic_mismatch(doc: &Doc) -> Result<Seeded, Skip> {
    let listed: Vec<String> = tactic_items(doc).into_iter().map(|(_, _, t)| t).collect();
    if listed.is_empty() {
        return Err("no tactics");
    }
    let (id, tactics) = TECHNIQUES
        .iter()
        .filter_map(|id| palisade_catalog::attack::technique(id).map(|t| (*id, &t.tactics)))
        .find(|(_, tactics)| tactics.iter().all(|t| !listed.iter().any(|l| l == t)))
        .ok_or("every candidate technique fits a listed tactic")?;
    let mut broken = doc.clone();
    let line = match doc.top("relevantTechniques") {
        Some(at) => {
            let items = doc.block(at);
            let last = items.rev().find(|&i| doc.lines[i].trim_start().starts_with("- "));
            let Some(last) = last else {
                return Err("relevantTechniques is not a block list");
            };
            let text = &doc.lines[last];
            let indent = &text[..text.len() - text.trim_start().len()];
            broken.lines.insert(last + 1, format!("{indent}- {id}"));
            last + 1
        }
        None => {
            while broken.lines.last().is_some_and(|line| line.trim().is_empty()) {
                broken.lines.pop();
            }
            broken.lines.push("relevantTechniques:".to_owned());
            broken.lines.push(format!("  - {id}"));
            let line = broken.lines.len() - 1;
            broken.lines.push(String::new());
            line
        }
    };
    let edit = format!("technique `{id}` ({}) added to tactics {listed:?}", tactics.join(", "));
    Ok(single(broken.text(), line + 1, edit))
}

fn duplicate_id(doc: &Doc, rule: &Original) -> Result<Seeded, Skip> {
    let (line, _) = doc.top_value("id").ok_or("no id")?;
    // The copy keeps the id and gets another name, as a copied-and-edited rule does.
    let mut copy = doc.clone();
    if let Some((_, name)) = doc.top_value("name") {
        let renamed = format!("'{} (copy)'", name.replace('\'', "''"));
        copy.set_top("name", &renamed);
    }
    // `_copy` sorts after the original, so the copy is the later file, which gets the error.
    let stem = rule.path.trim_end_matches(".yaml").trim_end_matches(".yml");
    Ok(Seeded {
        kind: Kind::DuplicateId,
        origin: String::new(),
        edit: "file copied with the same id".to_owned(),
        files: vec![
            (rule.path.clone(), rule.text.clone()),
            (format!("{stem}_copy.yaml"), copy.text()),
        ],
        expect: Expect { file: 1, line: line + 1, help: None, message: None },
        must_not: Vec::new(),
    })
}

fn suppression_over_24h(doc: &Doc) -> Result<Seeded, Skip> {
    let mut broken = doc.clone();
    if let Some((line, old)) = doc.top_value("suppressionDuration") {
        broken.set_top("suppressionDuration", "25h");
        return Ok(single(broken.text(), line + 1, format!("suppressionDuration {old} -> 25h")));
    }
    while broken.lines.last().is_some_and(|line| line.trim().is_empty()) {
        broken.lines.pop();
    }
    if doc.top("suppressionEnabled").is_none() {
        broken.lines.push("suppressionEnabled: true".to_owned());
    }
    broken.lines.push("suppressionDuration: 25h".to_owned());
    let line = broken.lines.len();
    broken.lines.push(String::new());
    Ok(single(broken.text(), line, "suppressionDuration: 25h added".to_owned()))
}

fn version_malformed(doc: &Doc) -> Result<Seeded, Skip> {
    let (line, version) = doc.top_value("version").ok_or("no version")?;
    let parts: Vec<&str> = version.split('.').collect();
    if parts.len() != 3 {
        return Err("version not X.Y.Z");
    }
    // `1.0.3` as `1.0`: a common slip.
    let wrong = format!("{}.{}", parts[0], parts[1]);
    let mut broken = doc.clone();
    broken.set_top("version", &wrong);
    Ok(single(broken.text(), line + 1, format!("version {version} -> {wrong}")))
}

fn threshold_over_max(doc: &Doc) -> Result<Seeded, Skip> {
    let (line, old) = doc.top_value("triggerThreshold").ok_or("no triggerThreshold (NRT?)")?;
    if doc.top_value("kind").is_some_and(|(_, kind)| kind == "NRT") {
        return Err("NRT rule (threshold unused)");
    }
    let mut broken = doc.clone();
    broken.set_top("triggerThreshold", "10001");
    Ok(single(broken.text(), line + 1, format!("triggerThreshold {old} -> 10001")))
}

fn name_too_long(doc: &Doc) -> Result<Seeded, Skip> {
    let (line, name) = doc.top_value("name").ok_or("no name")?;
    if doc.block(line).end > line + 1 || name.starts_with('|') || name.starts_with('>') {
        return Err("name is not a single-line scalar");
    }
    // Over 256 by one, with the tail a pasted sentence.
    let tail = " - seeded text that makes the name too long for Sentinel";
    let mut long = name.clone();
    while long.encode_utf16().count() < 257 {
        long.push_str(tail);
    }
    let long: String = long.chars().take(257).collect();
    let mut broken = doc.clone();
    broken.set_top("name", &format!("'{}'", long.replace('\'', "''")));
    let edit = format!("name lengthened to {} characters", long.chars().count());
    Ok(single(broken.text(), line + 1, edit))
}

fn technique_unknown(doc: &Doc) -> Result<Seeded, Skip> {
    let at = doc.top("relevantTechniques").ok_or("no relevantTechniques")?;
    for i in doc.block(at) {
        let text = &doc.lines[i];
        let Some(item) = text.trim_start().strip_prefix("- ") else { continue };
        let id = unquote(strip_comment(item.trim()));
        if !palisade_validator::limits::is_technique_id(id) || id.starts_with("T08") {
            continue;
        }
        // A digit slip into a range ATT&CK does not use (`T1078` -> `T1978`).
        let wrong = format!("T19{}", &id[3..]);
        if palisade_catalog::attack::technique(&wrong).is_some() {
            continue;
        }
        let col = text.find(id).ok_or("id not on its line")?;
        let mut broken = doc.clone();
        broken.lines[i].replace_range(col..col + id.len(), &wrong);
        return Ok(single(broken.text(), i + 1, format!("technique {id} -> {wrong}")));
    }
    Err("no Enterprise technique id in a block list")
}

fn custom_detail_key_invalid(doc: &Doc) -> Result<Seeded, Skip> {
    let at = doc.top("customDetails").ok_or("no customDetails")?;
    for i in doc.block(at) {
        let line = &doc.lines[i];
        let Some((key, _)) = line.trim_start().split_once(':') else { continue };
        let key = key.trim();
        if key.is_empty() || key.starts_with('#') {
            continue;
        }
        // A key with a space in it, as the portal's label would read.
        let wrong = format!("{key} Name");
        let col = line.find(key).ok_or("key not on its line")?;
        let mut broken = doc.clone();
        broken.lines[i].replace_range(col..col + key.len(), &wrong);
        return Ok(single(broken.text(), i + 1, format!("customDetails key `{key}` -> `{wrong}`")));
    }
    Err("no custom detail")
}

fn braces_unbalanced(doc: &Doc) -> Result<Seeded, Skip> {
    let at = doc.top("alertDetailsOverride").ok_or("no alertDetailsOverride")?;
    for i in doc.block(at) {
        let line = &doc.lines[i];
        let (found, _) = palisade_validator::limits::placeholders(line);
        let Some((start, name)) = found.first() else { continue };
        if found.len() > 3 {
            continue;
        }
        // `{{Column}` with one closing brace lost.
        let close = start + 2 + name.len();
        let mut broken = doc.clone();
        broken.lines[i].replace_range(close..close + 1, "");
        return Ok(single(broken.text(), i + 1, format!("`{{{{{name}}}}}` -> `{{{{{name}}}`")));
    }
    Err("no placeholder in alertDetailsOverride")
}
