//! Word lists the parser consults: reserved keywords and operator families.

/// The keyword cannot be a bare name in an expression; it has to be written `['name']`.
pub(crate) const NOT_EXPR: u16 = 1;
/// `keyword(...)` is not a call.
pub(crate) const NOT_CALL: u16 = 2;
/// The keyword cannot be declared as a column or parameter (`extend title = 1` is fine,
/// `extend kind = 1` is not).
pub(crate) const NOT_DECLARE: u16 = 4;
/// The keyword cannot be declared with `let`.
pub(crate) const NOT_LET: u16 = 8;
/// The keyword cannot appear in a column pattern of `project-away` and friends.
pub(crate) const NOT_PATTERN: u16 = 16;

/// How each keyword may be used as a name, as measured against Kusto.Language 12.4.1: every
/// keyword of `syntax_kinds.json` tried as a reference, a call, a declaration in `extend`, a
/// `let` name and a `project-away` column (sorted, for binary search).
#[rustfmt::skip]
pub(crate) const KEYWORD_RULES: &[(&str, u16)] = &[
    ("!between", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("!contains", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("!contains_cs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("!endswith", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("!endswith_cs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("!has", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("!has_cs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("!hasprefix", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("!hasprefix_cs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("!hassuffix", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("!hassuffix_cs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("!in", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("!in~", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("!startswith", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("!startswith_cs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("3Dchart", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("__contextual_datatable", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("__crossCluster", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("__crossDB", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("__executeAndCache", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("__id", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("__isFuzzy", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("__noWithSource", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("__packedColumn", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("__projectAway", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("__sourceColumnIndex", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("accumulate", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("and", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("anomalychart", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("areachart", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("as", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("asc", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("assert-schema", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("bagexpansion", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("barchart", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("between", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("bin_legacy", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("boolean", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("by", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("byte", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("cachingpolicy", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("callout", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("cancel", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("card", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("char", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("columnchart", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("commands-and-queries", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("contains", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("contains_cs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("containscs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("cycles", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("dataexport", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("datascope", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("datatable", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("date", NOT_EXPR | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("datetime", NOT_EXPR | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("decimal", NOT_EXPR | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("decodeblocks", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("desc", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("double", NOT_EXPR | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("dynamic", NOT_EXPR | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("earliest", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("encodingpolicy", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("endswith", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("endswith_cs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("expandoutput", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("extent_tags_retention", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("external_data", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("externaldata", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("find", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("first", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("flags", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("float", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("force_remote", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("granny-asc", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("granny-desc", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("graph-mark-components", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("graph-match", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("graph-shortest-paths", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("graph-to-table", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("graph-where-edges", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("graph-where-nodes", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("harddelete", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("hardretention", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("has", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("has_all", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("has_any", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("has_cs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("hasprefix", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("hasprefix_cs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("hassuffix", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("hassuffix_cs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("hint.concurrency", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("hint.distribution", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("hint.materialized", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("hint.num_partitions", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("hint.progressive_top", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("hint.remote", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("hint.shufflekey", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("hint.spread", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("hint.strategy", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("hotcache", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("in", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("int", NOT_EXPR | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("int16", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("int32", NOT_EXPR | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("int64", NOT_EXPR | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("int8", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("invoke", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("in~", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("isfuzzy", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("journal", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("kind", NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("ladderchart", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("last", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("latest", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("like", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("likecs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("linechart", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("long", NOT_EXPR | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("macro-expand", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("make-graph", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("make-series", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("matches regex", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("materialize", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("materialized-view-combine", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("materialized-views", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("mdm", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("missing", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("mv-apply", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("mv-expand", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("nooptimization", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("notcontains", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("notcontainscs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("notlike", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("notlikecs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("of", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("or", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("others", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("parse-kv", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("parse-where", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("partitioned-by", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("pathformat", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("piechart", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("pivotchart", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("print", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("project", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("project-away", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("project-by-names", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("project-keep", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("project-rename", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("project-reorder", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("project-smart", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("queries", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("query_results", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("real", NOT_EXPR | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("relaxed", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("restricted_view_access", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("row_level_security", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("rowstore", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("rowstore_references", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("rowstore_sealinfo", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("rowstorepolicy", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("rowstores", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("sample", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("sample-distinct", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("scatterchart", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("seal", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("seals", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("search", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("set", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("set-or-append", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("set-or-replace", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("shards", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("simple", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("softdelete", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("softretention", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("sql", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("stackedareachart", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("startswith", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("startswith_cs", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("statistics", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("storedqueryresultcontainers", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("string", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("tablepurge", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("time", NOT_EXPR | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("timechart", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("timeline", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("timepivot", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("timespan", NOT_EXPR | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("title", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("to", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("top-hitters", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("top-nested", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("toscalar", NOT_EXPR | NOT_LET | NOT_PATTERN),
    ("totable", NOT_EXPR | NOT_LET | NOT_PATTERN),
    ("treemap", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("typeof", NOT_CALL),
    ("uint", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("uint16", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("uint32", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("uint64", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("uint8", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("ulong", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("union", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("uniqueid", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("unrestrictedviewers", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("verbose", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("viewers", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("views", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("where", NOT_EXPR | NOT_CALL | NOT_LET | NOT_PATTERN),
    ("with_itemindex", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("with_match_id", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("with_source", NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("with_step_name", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("withsource", NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
    ("writeaheadlog", NOT_EXPR | NOT_CALL | NOT_DECLARE | NOT_LET | NOT_PATTERN),
];

/// String operators: they bind tighter than `*` and do not chain.
pub(crate) const STRING_OPERATORS: &[&str] = &[
    "has",
    "!has",
    "has_cs",
    "!has_cs",
    "hasprefix",
    "!hasprefix",
    "hasprefix_cs",
    "!hasprefix_cs",
    "hassuffix",
    "!hassuffix",
    "hassuffix_cs",
    "!hassuffix_cs",
    "contains",
    "!contains",
    "contains_cs",
    "!contains_cs",
    "containscs",
    "notcontains",
    "notcontainscs",
    "startswith",
    "!startswith",
    "startswith_cs",
    "!startswith_cs",
    "endswith",
    "!endswith",
    "endswith_cs",
    "!endswith_cs",
    "like",
    "notlike",
    "likecs",
    "notlikecs",
];

/// Operators at the level of `==` that take a parenthesized list.
pub(crate) const LIST_OPERATORS: &[&str] = &["in", "!in", "in~", "!in~", "has_any", "has_all"];

/// The `name=value` parameters each operator accepts, besides any `hint.*`.
pub(crate) fn parameters_of(operator: &str) -> &'static [&'static str] {
    match operator {
        "join" => &["kind"],
        "lookup" => &["kind"],
        "union" => &["kind", "withsource", "with_source", "isfuzzy", "best_effort", "__isFuzzy"],
        "mv-expand" | "mvexpand" => &["kind", "bagexpansion", "with_itemindex"],
        "mv-apply" | "mvapply" => &["with_itemindex", "bagexpansion"],
        "parse" | "parse-where" => &["kind", "flags"],
        "make-series" => &["kind"],
        "search" => &["kind", "withsource", "with_source"],
        "find" => &["withsource", "with_source", "kind"],
        "scan" => &["kind", "with_match_id"],
        "reduce" => &["kind"],
        "consume" => &["decodeblocks"],
        _ => &[],
    }
}

/// Chart types, which `render` accepts although several are keywords.
const CHART_TYPES: &[&str] = &[
    "table",
    "list",
    "barchart",
    "piechart",
    "ladderchart",
    "timechart",
    "linechart",
    "anomalychart",
    "pivotchart",
    "areachart",
    "stackedareachart",
    "scatterchart",
    "timepivot",
    "columnchart",
    "timeline",
    "3Dchart",
    "card",
    "treemap",
    "plotly",
    "graph",
    "sankey",
];

/// Whether `word` is a chart type of `render`.
pub(crate) fn is_chart_type(word: &str) -> bool {
    CHART_TYPES.contains(&word)
}

/// Operators whose parameters [`parameters_of`] lists, for [`is_parameter_name`].
const OPERATORS_WITH_PARAMETERS: &[&str] = &[
    "join",
    "union",
    "mv-expand",
    "mv-apply",
    "parse",
    "make-series",
    "search",
    "find",
    "scan",
    "reduce",
    "consume",
];

/// Whether `word` names a parameter of any query operator (`kind`, `hint.strategy`).
pub(crate) fn is_parameter_name(word: &str) -> bool {
    word.starts_with("hint.")
        || OPERATORS_WITH_PARAMETERS.iter().any(|operator| parameters_of(operator).contains(&word))
}

/// Scalar type names; `name(` after one of these is not a call.
const TYPE_NAMES: &[&str] = &[
    "bool", "boolean", "byte", "char", "date", "datetime", "decimal", "double", "dynamic", "float",
    "guid", "int", "int16", "int32", "int64", "int8", "long", "real", "string", "time", "timespan",
    "uint", "uint16", "uint32", "uint64", "uint8", "ulong", "uniqueid",
];

/// The query operator most likely meant by `word`, which is not one, for a suggestion.
pub(crate) fn nearest_operator(word: &str) -> Option<&'static str> {
    if word.is_empty() {
        return None;
    }
    // Internal names are never what a typo meant.
    let public = OPERATOR_NAMES.iter().copied().filter(|name| !name.starts_with("__"));
    crate::resolve::nearest_name(word, public)
}

/// Every query operator name the parser knows.
const OPERATOR_NAMES: &[&str] = &[
    "__executeAndCache",
    "as",
    "assert-schema",
    "consume",
    "count",
    "datatable",
    "distinct",
    "evaluate",
    "extend",
    "externaldata",
    "external_data",
    "facet",
    "filter",
    "find",
    "fork",
    "getschema",
    "graph-mark-components",
    "graph-match",
    "graph-shortest-paths",
    "graph-to-table",
    "graph-where-edges",
    "graph-where-nodes",
    "invoke",
    "join",
    "limit",
    "lookup",
    "macro-expand",
    "make-graph",
    "make-series",
    "mv-apply",
    "mv-expand",
    "mvapply",
    "mvexpand",
    "order",
    "parse",
    "parse-kv",
    "parse-where",
    "partition",
    "print",
    "project",
    "project-away",
    "project-by-names",
    "project-keep",
    "project-rename",
    "project-reorder",
    "project-smart",
    "range",
    "reduce",
    "render",
    "sample",
    "sample-distinct",
    "scan",
    "search",
    "serialize",
    "sort",
    "summarize",
    "take",
    "top",
    "top-hitters",
    "top-nested",
    "union",
    "where",
];

/// The word is a string operator such as `has`.
pub(crate) const STRING_OPERATOR: u16 = 32;
/// The word is an `in`-style list operator or `between`/`!between`.
pub(crate) const EQUALITY_WORD: u16 = 64;
/// The word is a scalar type name.
pub(crate) const TYPE_NAME: u16 = 128;
/// The word names a query operator.
pub(crate) const OPERATOR_NAME: u16 = 256;

/// The word is a plain name whatever its text, such as `project` in `project-awayx`.
pub(crate) const PLAIN_NAME: u16 = 512;

/// FNV-1a: a fast hash for the short words looked up once per token.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &byte in bytes {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

type WordTable = std::collections::HashMap<&'static str, u16, std::hash::BuildHasherDefault<Fnv>>;

fn word_table() -> &'static WordTable {
    static TABLE: std::sync::OnceLock<WordTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = WordTable::default();
        for (word, rules) in KEYWORD_RULES {
            *table.entry(word).or_insert(0) |= rules;
        }
        let lists: [(&[&str], u16); 4] = [
            (STRING_OPERATORS, STRING_OPERATOR),
            (LIST_OPERATORS, EQUALITY_WORD),
            (&["between", "!between"], EQUALITY_WORD),
            (TYPE_NAMES, TYPE_NAME),
        ];
        for (words, flag) in lists {
            for word in words {
                *table.entry(word).or_insert(0) |= flag;
            }
        }
        for word in OPERATOR_NAMES {
            *table.entry(word).or_insert(0) |= OPERATOR_NAME;
        }
        table
    })
}

/// The classification flags of a word (0 for an ordinary name).
///
/// The test `flags_skip_only_unlisted_words` checks the shortcut below against every list.
pub(crate) fn word_flags(word: &str) -> u16 {
    // Every listed word starts with a lower-case letter, `_`, `!` or a digit; most names in
    // real queries (`TimeGenerated`) start with a capital and skip the lookup.
    let first = word.as_bytes().first().copied().unwrap_or(b'A');
    if first.is_ascii_uppercase() || word.len() > 32 {
        return 0;
    }
    word_table().get(word).copied().unwrap_or(0)
}

/// The type names Kusto accepts in parameter lists, schemas and `parse` patterns.
const PARAM_TYPES: &[&str] = &[
    "bool", "boolean", "date", "datetime", "decimal", "double", "dynamic", "guid", "int", "int64",
    "int8", "long", "real", "string", "time", "timespan", "uniqueid",
];

/// Whether `word` is a type name usable in a parameter list or schema.
pub(crate) fn is_param_type(word: &str) -> bool {
    PARAM_TYPES.contains(&word)
}

/// Every value listed for a query operator parameter (`kind=relaxed`, `hint.strategy=shuffle`),
/// accepted even when the word is otherwise a keyword.
const PARAMETER_VALUES: &[&str] = &[
    "all",
    "anti",
    "any",
    "array",
    "auto",
    "bag",
    "broadcast",
    "case_insensitive",
    "case_sensitive",
    "centralized",
    "default",
    "full",
    "fullouter",
    "inner",
    "innerunique",
    "last",
    "left",
    "leftanti",
    "leftantisemi",
    "leftouter",
    "leftsemi",
    "legacy",
    "local",
    "multipleBlocks",
    "native",
    "none",
    "nonempty",
    "outer",
    "partial",
    "per_node",
    "per_shard",
    "regex",
    "relaxed",
    "right",
    "rightanti",
    "rightantisemi",
    "rightouter",
    "rightsemi",
    "shuffle",
    "simple",
    "single",
    "source",
    "splitBlock",
    "strong",
    "unique_edges",
    "unresolved",
    "weak",
];

/// Whether `word` is a listed query operator parameter value.
pub(crate) fn is_parameter_value(word: &str) -> bool {
    PARAMETER_VALUES.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_skip_only_unlisted_words() {
        for (word, flags) in word_table() {
            assert_eq!(word_flags(word), *flags, "{word}");
        }
        assert_eq!(word_flags("TimeGenerated"), 0);
        assert_ne!(word_flags("where") & NOT_EXPR, 0);
        assert_eq!(word_flags("where") & NOT_DECLARE, 0);
        assert_ne!(word_flags("kind") & NOT_DECLARE, 0);
        assert_ne!(word_flags("has") & STRING_OPERATOR, 0);
    }

    #[test]
    fn keyword_rules_are_sorted_and_unique() {
        assert!(KEYWORD_RULES.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }
}
