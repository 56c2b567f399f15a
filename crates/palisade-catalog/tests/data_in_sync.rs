//! The committed `data/` files are exactly what the generator makes from `shared/reference`.

#![allow(clippy::unwrap_used)]

#[path = "../tools/generator.rs"]
mod generator;

use std::io::Write;
use std::path::{Path, PathBuf};

fn shared_dir() -> PathBuf {
    match std::env::var_os("PALISADE_SHARED") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

#[test]
fn committed_data_matches_shared_reference() {
    let reference = shared_dir().join("reference");
    if !reference.is_dir() {
        // Written to the real stderr so the line shows even when libtest captures output.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: catalog data sync: {} not found (set PALISADE_SHARED)",
            reference.display()
        );
        return;
    }
    let files = generator::generate(&reference).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for (name, generated) in files {
        let committed = std::fs::read_to_string(data.join(name)).unwrap();
        assert!(
            committed == generated,
            "data/{name} is out of date with {}; run `{}`",
            reference.display(),
            "cargo run -p palisade-catalog --example generate_catalog"
        );
    }
}
