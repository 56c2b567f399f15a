//! Fuzzes `palisade_kql::resolve` after `parse`: against the embedded catalog (the real
//! Sentinel tables and functions) and against an empty schema, resolution must not panic and
//! every span it reports must lie inside the text on character boundaries. The parse itself
//! is checked as in the `parse` target.

#![no_main]

mod checks;

use libfuzzer_sys::fuzz_target;
use palisade_kql::resolve::{EmptySchema, Schema};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parse = checks::check_parse(&text);
    let catalog = palisade_catalog::Catalog::builtin();
    for schema in [catalog as &dyn Schema, &EmptySchema] {
        let resolution = palisade_kql::resolve(&parse, schema);
        for table in &resolution.tables {
            checks::assert_range(&text, &table.span, "table read");
            // An empty name is legal KQL only as a bracketed name such as `[""]`.
            let written = &text[table.span.start as usize..table.span.end as usize];
            assert!(
                !table.name.is_empty() || written.starts_with('['),
                "a table read at {:?} has no name",
                table.span
            );
        }
        for item in &resolution.unresolved {
            checks::assert_range(&text, &item.span, "unresolved name");
        }
        if let Some(output) = &resolution.output {
            let _ = output.columns.len();
        }
    }
});
