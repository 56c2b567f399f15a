//! Output schemas and findings of `palisade_kql::resolve` on fixture queries.
//!
//! Each `tests/resolve/cases/*.kql` is resolved against a small hand-written schema (two
//! Sentinel tables with a few of their real columns) and snapshotted as text:
//! tables read, output columns with types, and unresolved names with severity.

#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::Path;

use palisade_kql::resolve::{
    BuiltinKind, FunctionSchema, NameKind, ScalarType, Schema, SchemaColumn, TableSchema,
};

struct TestSchema;

const SIGNIN: &[(&str, ScalarType)] = &[
    ("TimeGenerated", ScalarType::Datetime),
    ("UserPrincipalName", ScalarType::String),
    ("IPAddress", ScalarType::String),
    ("AppDisplayName", ScalarType::String),
    ("ResultType", ScalarType::String),
    ("Location", ScalarType::String),
    ("LocationDetails", ScalarType::Dynamic),
    ("DeviceDetail", ScalarType::Dynamic),
];

const AUDIT: &[(&str, ScalarType)] = &[
    ("TimeGenerated", ScalarType::Datetime),
    ("OperationName", ScalarType::String),
    ("InitiatedBy", ScalarType::Dynamic),
    ("TargetResources", ScalarType::Dynamic),
];

impl Schema for TestSchema {
    fn table(&self, name: &str) -> Option<TableSchema<'_>> {
        let columns = match name {
            "SigninLogs" => SIGNIN,
            "AuditLogs" => AUDIT,
            _ => return None,
        };
        Some(TableSchema {
            name: if name == "SigninLogs" { "SigninLogs" } else { "AuditLogs" },
            columns: columns.iter().map(|&(name, ty)| SchemaColumn { name, ty }).collect(),
            open: false,
        })
    }

    fn function(&self, _name: &str) -> Option<FunctionSchema<'_>> {
        None
    }

    fn is_builtin(&self, kind: BuiltinKind, name: &str) -> bool {
        match kind {
            BuiltinKind::Scalar => matches!(
                name,
                "strlen"
                    | "tostring"
                    | "tolower"
                    | "bin"
                    | "count"
                    | "strcat"
                    | "ago"
                    | "now"
                    | "toscalar"
                    | "materialize"
            ),
            BuiltinKind::Aggregate => {
                matches!(
                    name,
                    "count" | "dcount" | "make_set" | "arg_max" | "countif" | "sum" | "max"
                )
            }
            BuiltinKind::Plugin => matches!(name, "bag_unpack" | "pivot"),
        }
    }
}

fn render(text: &str) -> String {
    let parse = palisade_kql::parse(text);
    let resolution = palisade_kql::resolve(&parse, &TestSchema);
    let mut out = String::new();
    for error in parse.diagnostics() {
        let _ = writeln!(out, "syntax: {} {}", error.code, error.message);
    }
    for read in &resolution.tables {
        let _ = writeln!(out, "reads {} {:?} @{:?}", read.name, read.kind, read.span);
    }
    match &resolution.output {
        Some(output) => {
            let _ = write!(out, "output ({}", if output.open { "open" } else { "closed" });
            if let Some(exact) = &output.exact {
                let _ = write!(out, ", exact after `{}` @{:?}", exact.operator, exact.span);
            }
            out.push_str("):\n");
            for column in &output.columns {
                let ty = column.ty.map_or("?", ScalarType::as_str);
                let _ = writeln!(out, "  {}: {ty}", column.name);
            }
        }
        None => out.push_str("no output\n"),
    }
    for item in &resolution.unresolved {
        let _ = write!(
            out,
            "unresolved {:?} {:?} `{}` @{:?} ({:?})",
            item.severity, item.kind, item.name, item.span, item.reason
        );
        if let Some(suggestion) = &item.suggestion {
            let _ = write!(out, " did you mean `{suggestion}`");
        }
        if let Some(dropped) = &item.dropped_by {
            let how = if dropped.by_name { "removed" } else { "left out" };
            let _ = write!(out, " {how} by `{}` @{:?}", dropped.operator, dropped.span);
        }
        out.push('\n');
    }
    out
}

#[test]
fn fixture_output_schemas() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/resolve/cases");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "kql"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "fixtures missing in {}", dir.display());
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        insta::with_settings!({ description => text.clone(), snapshot_path => "resolve/snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name.clone(), render(&text));
        });
        // Without the output, the findings and tables are the same.
        let parse = palisade_kql::parse(&text);
        let full = palisade_kql::resolve(&parse, &TestSchema);
        let names = palisade_kql::resolve::resolve_names(&parse, &TestSchema);
        assert_eq!(names.output, None, "{name}");
        assert_eq!((names.tables, names.unresolved), (full.tables, full.unresolved), "{name}");
    }
}

#[test]
fn spans_point_at_the_name() {
    let text = "SigninLogs | where UserPrincipalNam == 'x'";
    let parse = palisade_kql::parse(text);
    let resolution = palisade_kql::resolve(&parse, &TestSchema);
    let item = resolution.hard().next().unwrap();
    assert_eq!(&text[item.span.start as usize..item.span.end as usize], "UserPrincipalNam");
    assert_eq!(item.suggestion.as_deref(), Some("UserPrincipalName"));
}

#[test]
fn never_panics_on_damaged_queries() {
    let base = "let f = (T:(*)) { T | summarize arg_max(x, *) by y }; SigninLogs | join kind=leftouter (AuditLogs | mv-apply t = TargetResources on (project t)) on $left.IPAddress == $right.OperationName | union (print 1) | invoke f() | evaluate bag_unpack(z) | parse a with * 'x' b:long | make-series count() on TimeGenerated step 1h by c";
    let mut checked = 0;
    for cut in 0..=base.len() {
        if !base.is_char_boundary(cut) {
            continue;
        }
        for text in [&base[..cut], &base[cut..]] {
            let parse = palisade_kql::parse(text);
            let resolution = palisade_kql::resolve(&parse, &TestSchema);
            for item in &resolution.unresolved {
                assert!(item.span.end as usize <= text.len());
            }
            checked += 1;
        }
    }
    assert!(checked > 100);
}

#[test]
fn findings_become_diagnostics() {
    let text = "MyTable_CL | union (SigninLogs | where Usr == 1)";
    let parse = palisade_kql::parse(text);
    let resolution = palisade_kql::resolve(&parse, &TestSchema);
    let diagnostics = resolution.diagnostics(palisade_diagnostics::FileId(0), 100);
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["KQL103", "KQL101"]);
    assert_eq!(diagnostics[1].severity, palisade_diagnostics::Severity::Error);
    assert_eq!(diagnostics[0].severity, palisade_diagnostics::Severity::Note);
    assert_eq!(diagnostics[1].primary.span.start, 100 + 39);
    assert!(diagnostics[1].message.contains("`Usr`"));
}

/// Inputs the resolve fuzz target found to take exponential time (see docs/benchmarks.md):
/// nested `iff` calls, and `let` functions and views that refer to themselves. Each must
/// resolve, with the nested call still typed by its first branch.
#[test]
fn nested_calls_and_self_reference_resolve_in_linear_time() {
    let depth = 60;
    let nested = format!("print x = {}1{}", "iff(true, ".repeat(depth), ", 2)".repeat(depth));
    let resolution = palisade_kql::resolve(&palisade_kql::parse(&nested), &TestSchema);
    let output = resolution.output.unwrap();
    assert_eq!(output.columns.len(), 1);
    assert_eq!(output.columns[0].name, "x");
    assert_eq!(output.columns[0].ty, Some(ScalarType::Long));

    let calls = ["f(\"a\")"; 12].join(" | union ");
    let function = format!("let f = (t:string) {{ {calls} }};\nf(\"z\")");
    let view = format!("let V = view () {{ union {} }};\nV", ["V"; 12].join(", "));
    for text in [function, view] {
        let parse = palisade_kql::parse(&text);
        assert!(!parse.has_errors(), "{text}");
        let resolution = palisade_kql::resolve(&parse, &TestSchema);
        assert!(resolution.output.unwrap().open, "{text}");
    }
}

/// A chain such as `1 + 1 + ...`, `a == 0 or a == 1 or ...` or `d.a.a.a...` nests one level per
/// operator.
/// Resolving 200,000 levels on a test thread's stack must neither overflow nor lose the
/// chain's type or a misspelt name at its far end.
#[test]
fn long_operator_chains_resolve_without_recursion() {
    let sum = format!("print x = {}", vec!["1"; 200_000].join(" + "));
    let resolution = palisade_kql::resolve(&palisade_kql::parse(&sum), &TestSchema);
    let output = resolution.output.unwrap();
    assert_eq!(output.columns[0].ty, Some(ScalarType::Long));

    let terms: Vec<String> = (0..100_000).map(|i| format!("x == {i}")).collect();
    let chain = format!("print x = 1 | where {} or Nope == 1", terms.join(" or "));
    let parse = palisade_kql::parse(&chain);
    assert!(!parse.has_errors());
    let resolution = palisade_kql::resolve(&parse, &TestSchema);
    let missed: Vec<&str> = resolution.unresolved.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(missed, ["Nope"]);

    let path = format!("print d = dynamic({{}}) | extend y = d.{}z", "a.".repeat(200_000));
    let parse = palisade_kql::parse(&path);
    assert!(!parse.has_errors());
    let resolution = palisade_kql::resolve(&parse, &TestSchema);
    assert_eq!(resolution.output.unwrap().columns[1].ty, Some(ScalarType::Dynamic));

    // Element chains are not walked in a loop: below 1,000 levels they stay unresolved.
    let elements = format!("print d = dynamic([]) | extend y = d{}[0].a", "[0]".repeat(200_000));
    let parse = palisade_kql::parse(&elements);
    assert!(!parse.has_errors());
    let resolution = palisade_kql::resolve(&parse, &TestSchema);
    assert_eq!(resolution.output.unwrap().columns.len(), 2);
}

/// A `project` of 100,000 columns took 13 s in release, because each added column was looked
/// up in the list of those before it. The time is now linear; the bound is far above it (about
/// a second in a debug build) and far below the quadratic time (minutes in a debug build).
#[test]
fn wide_projections_resolve_in_linear_time() {
    let names: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    let text = format!(
        "SigninLogs | extend {} | project-away c5 | project-rename z = c7 | project {}, c5",
        names.iter().map(|name| format!("{name} = 1")).collect::<Vec<_>>().join(", "),
        names.join(", ")
    );
    let parse = palisade_kql::parse(&text);
    assert!(!parse.has_errors());
    let started = std::time::Instant::now();
    let resolution = palisade_kql::resolve(&parse, &TestSchema);
    let elapsed = started.elapsed();
    let output = resolution.output.unwrap();
    assert_eq!(output.columns.len(), 100_000);
    assert_eq!(output.columns[0].name, "c0");
    let missed: Vec<&str> = resolution.unresolved.iter().map(|item| item.name.as_str()).collect();
    assert_eq!(missed, ["c5", "c7", "c5"]);
    assert!(elapsed.as_secs() < 20, "{elapsed:?}");
}

/// An operator first in a query (`where ...` with no table) parses, as in Kusto, but is one
/// hard `KQL012` at the operator, with no column findings against the missing rows and no
/// output to check mappings against; operators that make rows of their own still start one.
#[test]
fn operator_without_input_is_one_finding() {
    let cases: &[(&str, &[&str])] = &[
        ("where ResultType == \"50126\" | summarize count() by UserPrincipalName", &["where"]),
        ("SigninLogs | join (where Nope == 1) on ResultType", &["where"]),
        ("let x = project Foo; x", &["project"]),
        ("top-nested 3 of Foo by count()", &["top-nested"]),
        ("print 1", &[]),
        ("range x from 1 to 3 step 1 | where x > 1", &[]),
        ("union SigninLogs, AuditLogs | take 1", &[]),
        ("SigninLogs | mv-apply d = DeviceDetail on (where isnotnull(d))", &[]),
    ];
    for (text, expected) in cases {
        let parse = palisade_kql::parse(text);
        assert!(!parse.has_errors(), "{text}");
        let resolution = palisade_kql::resolve(&parse, &TestSchema);
        let found: Vec<&str> = resolution
            .unresolved
            .iter()
            .filter(|item| item.reason == palisade_kql::resolve::Reason::NoInput)
            .map(|item| item.name.as_str())
            .collect();
        assert_eq!(found, *expected, "{text}");
        if !expected.is_empty() {
            assert_eq!(resolution.output, None, "{text}");
            assert!(
                resolution.unresolved.iter().all(|item| item.kind != NameKind::Column),
                "{text}: {:?}",
                resolution.unresolved
            );
        }
    }
    let text = "where ResultType == \"50126\"";
    let parse = palisade_kql::parse(text);
    let resolution = palisade_kql::resolve(&parse, &TestSchema);
    let diagnostics = resolution.diagnostics(palisade_diagnostics::FileId(0), 0);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code.as_str(), "KQL012");
    assert_eq!(diagnostics[0].severity, palisade_diagnostics::Severity::Error);
    assert_eq!((diagnostics[0].primary.span.start, diagnostics[0].primary.span.end), (0, 5));
    assert!(diagnostics[0].message.contains("starts with `where`"), "{}", diagnostics[0].message);
}
