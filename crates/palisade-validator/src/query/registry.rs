//! Registry entries of the query codes: `KQL0xx` syntax (from `palisade_kql::ERROR_CODES`),
//! `KQL1xx` name resolution and output columns.

use palisade_diagnostics::{Code, Severity};

use crate::registry::CodeInfo;

macro_rules! info {
    ($code:literal, $name:literal, $severity:ident, $summary:literal, $docs:literal) => {
        CodeInfo {
            code: Code::new($code),
            name: $name,
            summary: $summary,
            severity: Severity::$severity,
            docs: $docs,
        }
    };
}

/// Every query code, ascending.
#[rustfmt::skip]
pub const REGISTRY: &[CodeInfo] = &[
    info!(
        "KQL001", "unterminated-string", Error,
        "A string literal is not closed before the end of its line or of the text",
        "## What it flags\n\
         A `'` or `\"` string with no closing quote on its line (or a `'''` block never closed).\n\
         \n\
         ## Why it matters\n\
         Sentinel rejects the query; everything after the quote is read as text.\n\
         \n\
         ## Example\n\
         ```kql\n\
         SecurityEvent | where Account == 'admin\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         SecurityEvent | where Account == 'admin'\n\
         ```\n"
    ),
    info!(
        "KQL002", "unterminated-literal", Error,
        "A `datetime(...)`-style literal is not closed with `)` on its line",
        "## What it flags\n\
         A typed literal such as `datetime(2024-01-01` or `timespan(1d` without its `)`.\n\
         \n\
         ## Why it matters\n\
         The literal swallows the rest of the line and the query does not parse.\n\
         \n\
         ## Example\n\
         ```kql\n\
         T | where TimeGenerated > datetime(2024-01-01\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         T | where TimeGenerated > datetime(2024-01-01)\n\
         ```\n"
    ),
    info!(
        "KQL003", "unexpected-character", Error,
        "A character that starts no KQL token",
        "## What it flags\n\
         A character outside strings and comments that KQL has no use for, such as `#`, `` ` `` or a smart quote.\n\
         \n\
         ## Why it matters\n\
         Sentinel rejects the query; smart quotes often come from pasting out of documents.\n\
         \n\
         ## Example\n\
         ```kql\n\
         T | where Name == \u{2018}x\u{2019}\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         T | where Name == 'x'\n\
         ```\n"
    ),
    info!(
        "KQL004", "expected-token", Error,
        "A required token such as a closing `)` or a `=` is missing",
        "## What it flags\n\
         A missing bracket, comma, `=` or keyword; for brackets, the opening one is shown too.\n\
         \n\
         ## Why it matters\n\
         The query does not parse, so Sentinel rejects the rule.\n\
         \n\
         ## Example\n\
         ```kql\n\
         T | where (A > 1 and B < 2\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         T | where (A > 1 and B < 2)\n\
         ```\n"
    ),
    info!(
        "KQL005", "expected-expression", Error,
        "An expression is missing where one is required",
        "## What it flags\n\
         An operator or clause whose expression is missing, as in `where` with nothing after it or `A and`.\n\
         \n\
         ## Why it matters\n\
         The query does not parse; often a line was deleted or a condition left half-written.\n\
         \n\
         ## Example\n\
         ```kql\n\
         T | where A > 1 and\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         T | where A > 1 and B < 2\n\
         ```\n"
    ),
    info!(
        "KQL006", "unknown-query-operator", Error,
        "The word after `|` is not a query operator",
        "## What it flags\n\
         A pipe followed by a word that is no tabular operator, usually a typo such as `summerize` or `projet`.\n\
         \n\
         ## Why it matters\n\
         The query does not parse.\n\
         \n\
         ## Example\n\
         ```kql\n\
         T | summerize count() by Account\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         T | summarize count() by Account\n\
         ```\n"
    ),
    info!(
        "KQL007", "unexpected-token", Error,
        "Tokens left over that do not fit the grammar at that point",
        "## What it flags\n\
         Text the parser cannot place, such as a second value without a comma or a stray `)`.\n\
         \n\
         ## Why it matters\n\
         The query does not parse.\n\
         \n\
         ## Example\n\
         ```kql\n\
         T | project A B\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         T | project A, B\n\
         ```\n"
    ),
    info!(
        "KQL008", "expected-name", Error,
        "A name (column, table, parameter or variable) is missing",
        "## What it flags\n\
         A place that needs a name but holds none, such as `let = 1` or `extend = x`.\n\
         \n\
         ## Why it matters\n\
         The query does not parse.\n\
         \n\
         ## Example\n\
         ```kql\n\
         let = ago(1d);\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         let start = ago(1d);\n\
         ```\n"
    ),
    info!(
        "KQL009", "chained-comparison", Error,
        "Comparison and string operators do not chain: `a == b == c` needs parentheses",
        "## What it flags\n\
         Two comparison or string operators in a row at one level, as in `a == b == c` or `x has 'a' has 'b'`.\n\
         \n\
         ## Why it matters\n\
         KQL does not chain comparisons; Sentinel rejects the query.\n\
         \n\
         ## Example\n\
         ```kql\n\
         T | where A == B == true\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         T | where (A == B) == true\n\
         ```\n"
    ),
    info!(
        "KQL010", "invalid-dynamic", Error,
        "The content of `dynamic(...)` is not a JSON-like value",
        "## What it flags\n\
         A `dynamic(...)` literal holding something other than a JSON-like value: an expression, or a list with a missing comma.\n\
         \n\
         ## Why it matters\n\
         `dynamic()` literals take constants only; Sentinel rejects the query.\n\
         \n\
         ## Example\n\
         ```kql\n\
         let ports = dynamic([22 3389]);\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         let ports = dynamic([22, 3389]);\n\
         ```\n"
    ),
    info!(
        "KQL011", "nesting-too-deep", Error,
        "The query nests deeper than the parser supports",
        "## What it flags\n\
         Brackets or sub-queries nested more than 1,000 levels deep, counted as written: each `(`, `[`, `{` and each call opens one level.\n\
         Past the limit the rest of the query is not read, so this is the only finding for it.\n\
         \n\
         ## Why it matters\n\
         No real detection nests this deep; the limit keeps hostile input from exhausting the stack.\n\
         Kusto itself accepts somewhat deeper nesting (between 1,000 and 5,000 levels, depending on the brackets), so a query this deep may still run in Sentinel.\n\
         \n\
         ## Example\n\
         A generated condition with hundreds of nested `(`.\n\
         \n\
         ## Instead\n\
         Flatten the condition, for example with `in (...)` or a `let` list.\n"
    ),
    info!(
        "KQL012", "operator-without-input", Error,
        "A query operator that needs a tabular input has none",
        "## What it flags\n\
         An operator such as `where` or `project` at the start of a query (a statement, a `let` value, a function body or a sub-query such as the right side of a `join`), with no table piped into it.\n\
         Kusto's parser accepts the text; its semantic pass rejects it, and so does name resolution here, with this one finding at the operator: the columns the operator names are not checked, and the query's output is unknown, so mapped columns are not checked either.\n\
         Operators that make rows of their own (`print`, `range`, `datatable`, `union`, `search`, `find`, `externaldata`, `evaluate`) may start a query.\n\
         \n\
         ## Why it matters\n\
         The query has nothing to filter, and Sentinel rejects it; often the table line was deleted.\n\
         \n\
         ## Example\n\
         ```kql\n\
         where EventID == 4625\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         SecurityEvent\n\
         | where EventID == 4625\n\
         ```\n"
    ),
    info!(
        "KQL013", "expected-type", Error,
        "A type name is missing or not a KQL type",
        "## What it flags\n\
         A type position (in `datatable`, a function parameter, `to typeof(...)`) holding no type or an unknown one.\n\
         \n\
         ## Why it matters\n\
         The query does not parse.\n\
         \n\
         ## Example\n\
         ```kql\n\
         datatable(Name: text) ['a']\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         datatable(Name: string) ['a']\n\
         ```\n"
    ),
    info!(
        "KQL014", "invalid-escape", Error,
        "A backslash escape in a string literal is not valid (use `@'...'` for raw text)",
        "## What it flags\n\
         A `\\` in a normal string followed by a character KQL does not escape, common in Windows paths and regexes.\n\
         \n\
         ## Why it matters\n\
         Sentinel rejects the query.\n\
         \n\
         ## Example\n\
         ```kql\n\
         T | where Path startswith 'C:\\Windows\\Temp'\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         T | where Path startswith @'C:\\Windows\\Temp'\n\
         ```\n"
    ),
    info!(
        "KQL101", "unknown-column", Error,
        "A column that does not exist where it is used",
        "## What it flags\n\
         A column name missing from a row schema that is fully known, such as a column of a catalog table after `where`, with the nearest real name suggested.\n\
         Names are case-sensitive: `accountname` is not `AccountName`.\n\
         A standard or hidden column (`TenantId`, `Type`, `_ResourceId`) is flagged too when an operator before it certainly left it out: `project`, `project-keep`, `summarize`, `distinct`, `count` and `make-series` output exactly the columns they name, and `project-away` removes the ones it names; the finding says which operator it was.\n\
         \n\
         ## Why it matters\n\
         Sentinel rejects the query when the rule is saved.\n\
         \n\
         ## Example\n\
         ```kql\n\
         SigninLogs | where UserPrincipalNam == 'a@b.c'\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         SigninLogs | where UserPrincipalName == 'a@b.c'\n\
         ```\n\
         \n\
         A standard column after a `project` that does not keep it:\n\
         ```kql\n\
         SigninLogs | project TimeGenerated, IPAddress | where TenantId == 'x'\n\
         ```\n\
         Keep it in the `project` (`| project TimeGenerated, IPAddress, TenantId`), or filter before the `project`.\n"
    ),
    info!(
        "KQL102", "column-not-verified", Note,
        "A column not among the known columns of a partly known row schema",
        "## What it flags\n\
         A column name after a source whose columns are not all known (an unknown table, a plugin, `search`), when it is not among the known ones.\n\
         Also standard and hidden columns (`TenantId`, `SourceSystem`, `Type`, `_ItemId`, `_ResourceId`) that a catalog schema lacks, unless an operator such as `project` or `summarize` before them left them out (then it is `KQL101`), and a member read with `.` from a value Palisade typed as not `dynamic`.\n\
         \n\
         ## Why it matters\n\
         It may exist in the workspace; the note says that Palisade could not check it.\n\
         \n\
         ## Example\n\
         ```kql\n\
         MyApp_CL | where Usr == 'x'\n\
         ```\n\
         \n\
         ## Instead\n\
         Nothing to change if the column exists; add the table's schema to check it.\n"
    ),
    info!(
        "KQL103", "unknown-table", Note,
        "A table that is not in the catalog",
        "## What it flags\n\
         A table name that is neither in the embedded catalog nor a known workspace function; `_CL` custom tables are reported here too.\n\
         \n\
         ## Why it matters\n\
         Custom tables and tables newer than the catalog exist in real workspaces, so this is a note; its columns cannot be checked.\n\
         \n\
         ## Example\n\
         ```kql\n\
         ContosoAudit_CL | take 10\n\
         ```\n\
         \n\
         ## Instead\n\
         Nothing to change if the table exists in the target workspace.\n"
    ),
    info!(
        "KQL104", "unknown-function", Note,
        "A function that is neither built in, nor declared, nor a known workspace function",
        "## What it flags\n\
         A call of a name that no `let`, built-in function or catalog workspace function (such as an ASIM parser) defines.\n\
         \n\
         ## Why it matters\n\
         It may be a saved function of the workspace; if not, Sentinel rejects the query.\n\
         \n\
         ## Example\n\
         ```kql\n\
         T | extend h = tolowr(Name)\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         T | extend h = tolower(Name)\n\
         ```\n"
    ),
    info!(
        "KQL105", "table-name-case", Error,
        "A table name that matches a catalog table only in another case",
        "## What it flags\n\
         A table written in another case than its real name, such as `securityevent`.\n\
         \n\
         ## Why it matters\n\
         Table names are case-sensitive in Sentinel: the query fails to resolve the table.\n\
         \n\
         ## Example\n\
         ```kql\n\
         securityevent | where EventID == 4625\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         SecurityEvent | where EventID == 4625\n\
         ```\n"
    ),
    info!(
        "KQL106", "table-looks-misspelled", Warning,
        "An unknown table one letter away from a catalog table",
        "## What it flags\n\
         A table that is not in the catalog but is one edit (a letter added, dropped or changed) away from one that is, such as `SigninLog`.\n\
         \n\
         ## Why it matters\n\
         It is most likely a typo, and the rule would fail; it is a warning because the catalog may lack a newer table of that name.\n\
         \n\
         ## Example\n\
         ```kql\n\
         SigninLog | take 10\n\
         ```\n\
         \n\
         ## Instead\n\
         ```kql\n\
         SigninLogs | take 10\n\
         ```\n"
    ),
    info!(
        "KQL107", "recursive-function", Error,
        "A `let` function that calls itself",
        "## What it flags\n\
         A call of a `let` function inside its own body, directly, as in `let f = () { f() };`.\n\
         \n\
         ## Why it matters\n\
         KQL functions cannot be recursive: a `let` name is visible only after its statement, so Sentinel rejects the query.\n\
         \n\
         ## Example\n\
         ```kql\n\
         let countdown = (n: long) { iff(n <= 0, 0, countdown(n - 1)) };\n\
         print countdown(3)\n\
         ```\n\
         \n\
         ## Instead\n\
         Compute the result without the self-call, for example with a fixed number of steps, `range` and `summarize`, or the `scan` operator.\n"
    ),
    info!(
        "KQL110", "mapped-column-missing", Error,
        "A column named by a mapping or alert field that the query does not output",
        "## What it flags\n\
         A `columnName` in `entityMappings` or `sentinelEntitiesMappings`, a `customDetails` value, a `{{Column}}` placeholder, `alertTacticsColumnName`, `alertSeverityColumnName` or an `alertDynamicProperties` value naming a column missing from the query's output, when every output column is known.\n\
         \n\
         ## Why it matters\n\
         Sentinel rejects the rule, or the alert silently lacks the entity or detail; Microsoft's own CI does not check this.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         query: SigninLogs | project TimeGenerated, UserPrincipalName\n\
         entityMappings:\n\
         \x20 - entityType: IP\n\
         \x20   fieldMappings:\n\
         \x20     - identifier: Address\n\
         \x20       columnName: IPCustomEntity\n\
         ```\n\
         \n\
         ## Instead\n\
         Project the column (`| extend IPCustomEntity = IPAddress`) or map one the query outputs.\n\
         \n\
         The help says which side looks wrong: when the output column nearest to the name is itself an unknown column of the query (a `KQL101` finding), or the name is a real column of a table the query reads, the query is what is misspelt, and the help points at its column rather than suggesting the misspelling here.\n\
         A standard column such as `TenantId` is flagged too when an operator such as `project` left it out of the output.\n"
    ),
    info!(
        "KQL111", "mapped-column-case", Error,
        "A mapped column that the query outputs only in another case",
        "## What it flags\n\
         A mapped or placeholder column such as `accountName` when the query outputs `AccountName`.\n\
         \n\
         ## Why it matters\n\
         Sentinel matches column names case-sensitively, so the mapping finds nothing.\n\
         \n\
         ## Example\n\
         ```yaml\n\
         columnName: accountName\n\
         ```\n\
         \n\
         ## Instead\n\
         ```yaml\n\
         columnName: AccountName\n\
         ```\n"
    ),
    info!(
        "KQL112", "mapped-column-union-suffix", Warning,
        "A mapped column that `union` has likely renamed with a type suffix",
        "## What it flags\n\
         A mapping to `X` when the query outputs `X_string`, `X_long` and so on instead: `union` renames a column whose type differs between its inputs by appending the type.\n\
         \n\
         ## Why it matters\n\
         The column `X` then does not exist in the output, so the mapping finds nothing.\n\
         It is a warning because column types are inferred, and an inferred type can be wrong.\n\
         \n\
         ## Example\n\
         ```kql\n\
         union (A | extend Port = 22), (B | extend Port = '22')\n\
         ```\n\
         \n\
         ## Instead\n\
         Give the column one type in every leg (`extend Port = tostring(Port)`), or map `Port_string`.\n"
    ),
    info!(
        "KQL113", "mapped-column-dynamic", Warning,
        "An entity mapping to a `dynamic` column",
        "## What it flags\n\
         An entity `columnName` whose output column has type `dynamic`, such as the result of `make_set()` or `parse_json()`.\n\
         \n\
         ## Why it matters\n\
         Sentinel takes dynamic values for some identifiers and turns others into one string such as `[\"a\",\"b\"]`, which matches no entity.\n\
         \n\
         ## Example\n\
         ```kql\n\
         T | summarize IPs = make_set(IPAddress) by Account\n\
         ```\n\
         \n\
         ## Instead\n\
         Map a scalar column, for example after `mv-expand IPs to typeof(string)`.\n"
    ),
    info!(
        "KQL114", "mapped-column-not-verified", Note,
        "A mapped column not among the known output columns of a partly known output",
        "## What it flags\n\
         A mapped or placeholder column when the query's output is not fully known (an unknown table, a workspace function, a plugin), and the column is not among the known ones.\n\
         \n\
         ## Why it matters\n\
         It may well exist; the note says that Palisade could not check it.\n\
         \n\
         ## Example\n\
         ```kql\n\
         MyApp_CL | project-away RawData\n\
         ```\n\
         \n\
         ## Instead\n\
         Nothing to change if the column exists; project it explicitly to have it checked.\n"
    ),
];

/// The registry entry of a query code, case-insensitively.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    REGISTRY.iter().find(|info| info.code.as_str().eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_syntax_code_is_registered_with_its_summary() {
        for (_, code, summary) in palisade_kql::ERROR_CODES {
            let info = lookup(code).unwrap_or_else(|| panic!("{code} is not registered"));
            assert_eq!(info.summary, *summary, "{code}");
            assert_eq!(info.severity, Severity::Error, "{code}");
        }
        let syntax = REGISTRY.iter().filter(|info| info.code.as_str() < "KQL100").count();
        assert_eq!(syntax, palisade_kql::ERROR_CODES.len());
    }

    #[test]
    fn codes_are_ascending_kql_and_documented() {
        for pair in REGISTRY.windows(2) {
            assert!(pair[0].code < pair[1].code, "{} then {}", pair[0].code, pair[1].code);
        }
        for info in REGISTRY {
            assert!(info.code.is_well_formed(), "{}", info.code);
            assert_eq!(info.code.family(), "KQL");
            for heading in
                ["## What it flags\n", "## Why it matters\n", "## Example\n", "## Instead\n"]
            {
                assert!(info.docs.contains(heading), "{} lacks {heading}", info.code);
            }
            assert!(!info.summary.contains('\n') && !info.summary.ends_with('.'), "{}", info.code);
        }
    }

    #[test]
    fn every_resolution_and_validator_code_is_registered() {
        use crate::query::codes;
        for code in ["KQL101", "KQL102", "KQL103", "KQL104", "KQL107"] {
            assert!(lookup(code).is_some(), "{code}");
        }
        for code in [
            codes::TABLE_NAME_CASE,
            codes::TABLE_LOOKS_MISSPELLED,
            codes::MAPPED_COLUMN_MISSING,
            codes::MAPPED_COLUMN_CASE,
            codes::MAPPED_COLUMN_UNION_SUFFIX,
            codes::MAPPED_COLUMN_DYNAMIC,
            codes::MAPPED_COLUMN_UNVERIFIED,
        ] {
            assert!(lookup(code.as_str()).is_some(), "{code}");
        }
    }
}
