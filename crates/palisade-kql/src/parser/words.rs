//! Word lists the parser consults: reserved keywords and operator families.

/// Keywords that Kusto does not accept as a bare name in an expression (sorted, for binary
/// search); such a name has to be written `['name']`.
///
/// Measured against Kusto.Language 12.4.1: every keyword of `syntax_kinds.json` was tried as
/// a column in `project`, `where`, `extend` and `summarize ... by`.
pub(crate) const RESERVED: &[&str] = &[
    "!between",
    "!contains",
    "!contains_cs",
    "!endswith",
    "!endswith_cs",
    "!has",
    "!has_cs",
    "!hasprefix",
    "!hasprefix_cs",
    "!hassuffix",
    "!hassuffix_cs",
    "!in",
    "!in~",
    "!startswith",
    "!startswith_cs",
    "3Dchart",
    "__contextual_datatable",
    "__crossCluster",
    "__crossDB",
    "__executeAndCache",
    "__id",
    "__isFuzzy",
    "__noWithSource",
    "__packedColumn",
    "__projectAway",
    "__sourceColumnIndex",
    "accumulate",
    "and",
    "anomalychart",
    "areachart",
    "as",
    "asc",
    "assert-schema",
    "bagexpansion",
    "barchart",
    "between",
    "bin_legacy",
    "boolean",
    "by",
    "byte",
    "cachingpolicy",
    "callout",
    "cancel",
    "card",
    "char",
    "columnchart",
    "commands-and-queries",
    "contains",
    "contains_cs",
    "containscs",
    "cycles",
    "dataexport",
    "datascope",
    "datatable",
    "date",
    "datetime",
    "decimal",
    "decodeblocks",
    "desc",
    "double",
    "dynamic",
    "earliest",
    "encodingpolicy",
    "endswith",
    "endswith_cs",
    "expandoutput",
    "extent_tags_retention",
    "external_data",
    "externaldata",
    "find",
    "first",
    "flags",
    "float",
    "force_remote",
    "granny-asc",
    "granny-desc",
    "graph-mark-components",
    "graph-match",
    "graph-shortest-paths",
    "graph-to-table",
    "graph-where-edges",
    "graph-where-nodes",
    "harddelete",
    "hardretention",
    "has",
    "has_all",
    "has_any",
    "has_cs",
    "hasprefix",
    "hasprefix_cs",
    "hassuffix",
    "hassuffix_cs",
    "hint.concurrency",
    "hint.distribution",
    "hint.materialized",
    "hint.num_partitions",
    "hint.progressive_top",
    "hint.remote",
    "hint.shufflekey",
    "hint.spread",
    "hint.strategy",
    "hotcache",
    "in",
    "int",
    "int16",
    "int32",
    "int64",
    "int8",
    "invoke",
    "in~",
    "isfuzzy",
    "journal",
    "ladderchart",
    "last",
    "latest",
    "like",
    "likecs",
    "linechart",
    "long",
    "macro-expand",
    "make-graph",
    "make-series",
    "materialize",
    "materialized-view-combine",
    "materialized-views",
    "mdm",
    "missing",
    "mv-apply",
    "mv-expand",
    "nooptimization",
    "notcontains",
    "notcontainscs",
    "notlike",
    "notlikecs",
    "of",
    "or",
    "others",
    "parse-kv",
    "parse-where",
    "partitioned-by",
    "pathformat",
    "piechart",
    "pivotchart",
    "print",
    "project",
    "project-away",
    "project-by-names",
    "project-keep",
    "project-rename",
    "project-reorder",
    "project-smart",
    "queries",
    "query_results",
    "real",
    "relaxed",
    "restricted_view_access",
    "row_level_security",
    "rowstore",
    "rowstore_references",
    "rowstore_sealinfo",
    "rowstorepolicy",
    "rowstores",
    "sample",
    "sample-distinct",
    "scatterchart",
    "seal",
    "seals",
    "search",
    "set",
    "set-or-append",
    "set-or-replace",
    "shards",
    "simple",
    "softdelete",
    "softretention",
    "sql",
    "stackedareachart",
    "startswith",
    "startswith_cs",
    "statistics",
    "storedqueryresultcontainers",
    "string",
    "tablepurge",
    "time",
    "timechart",
    "timeline",
    "timepivot",
    "timespan",
    "title",
    "to",
    "top-hitters",
    "top-nested",
    "toscalar",
    "totable",
    "treemap",
    "uint",
    "uint16",
    "uint32",
    "uint64",
    "uint8",
    "ulong",
    "union",
    "uniqueid",
    "unrestrictedviewers",
    "verbose",
    "viewers",
    "views",
    "where",
    "with_itemindex",
    "with_match_id",
    "with_step_name",
    "writeaheadlog",
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

/// Words that cannot be declared as names without brackets, since operators read them as
/// parameter names.
pub(crate) fn is_undeclarable(word: &str) -> bool {
    matches!(word, "kind" | "withsource" | "with_source")
}

/// Scalar type names; `name(` after one of these is not a call.
const TYPE_NAMES: &[&str] = &[
    "bool", "boolean", "byte", "char", "date", "datetime", "decimal", "double", "dynamic", "float",
    "guid", "int", "int16", "int32", "int64", "int8", "long", "real", "string", "time", "timespan",
    "uint", "uint16", "uint32", "uint64", "uint8", "ulong", "uniqueid",
];

/// Every query operator name the parser knows.
const OPERATOR_NAMES: &[&str] = &[
    "as",
    "assert-schema",
    "consume",
    "count",
    "datatable",
    "distinct",
    "evaluate",
    "execute-and-cache",
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

/// The word is in [`RESERVED`].
pub(crate) const RESERVED_WORD: u8 = 1;
/// The word is a string operator such as `has`.
pub(crate) const STRING_OPERATOR: u8 = 2;
/// The word is an `in`-style list operator or `between`/`!between`.
pub(crate) const EQUALITY_WORD: u8 = 4;
/// The word is a scalar type name.
pub(crate) const TYPE_NAME: u8 = 8;
/// The word names a query operator.
pub(crate) const OPERATOR_NAME: u8 = 16;

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

type WordTable = std::collections::HashMap<&'static str, u8, std::hash::BuildHasherDefault<Fnv>>;

fn word_table() -> &'static WordTable {
    static TABLE: std::sync::OnceLock<WordTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = WordTable::default();
        let lists: [(&[&str], u8); 5] = [
            (RESERVED, RESERVED_WORD),
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
pub(crate) fn word_flags(word: &str) -> u8 {
    // Every listed word starts with a lower-case letter, `_`, `!` or a digit; most names in
    // real queries (`TimeGenerated`) start with a capital and skip the lookup.
    let first = word.as_bytes().first().copied().unwrap_or(b'A');
    if first.is_ascii_uppercase() || word.len() > 32 {
        return 0;
    }
    word_table().get(word).copied().unwrap_or(0)
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
        assert_ne!(word_flags("where") & RESERVED_WORD, 0);
        assert_ne!(word_flags("has") & STRING_OPERATOR, 0);
    }

    #[test]
    fn reserved_list_is_sorted_and_unique() {
        assert!(RESERVED.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
