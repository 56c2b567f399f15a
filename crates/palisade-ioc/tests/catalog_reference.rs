//! Every column the catalog names exists in Microsoft's table reference.

#![allow(clippy::unwrap_used)]

mod common;

use palisade_ioc::catalog::{Catalog, GENERATED_COLUMNS};

#[test]
fn every_catalog_column_exists_in_the_table_reference() {
    let Some(shared) = common::shared_dir() else {
        common::skip(
            "every_catalog_column_exists_in_the_table_reference",
            "../shared is not present",
        );
        return;
    };
    let tables_dir = shared.join("reference/tables");
    // The docs-derived reference lacks `Timestamp` on Defender XDR tables; the overlay adds it
    // (confirmed against Azure-Sentinel's own KQL validation schemas for the tables we use).
    let schemas = common::load_schemas(&[
        tables_dir.join("azure_monitor_tables.json"),
        tables_dir.join("sentinel_overlay.json"),
    ]);

    let mut checked = 0;
    for table in Catalog::builtin().tables() {
        let Some(columns) = schemas.get(&table.name) else {
            panic!("table `{}` is not in the reference", table.name);
        };
        let named = table
            .columns
            .values()
            .flat_map(|columns| columns.names())
            .map(str::to_string)
            .chain(table.project.iter().cloned());
        let entity_columns =
            table.entities.iter().flat_map(|e| e.field_mappings.iter().map(|m| &m.column_name));
        for column in named.chain(entity_columns.cloned()) {
            if GENERATED_COLUMNS.contains(&column.as_str()) {
                continue;
            }
            assert!(columns.contains(&column), "`{}.{column}` is not in the reference", table.name);
            checked += 1;
        }
    }
    assert!(checked > 100, "checked only {checked} columns");
    eprintln!("checked {checked} catalog columns against the table reference");
}
