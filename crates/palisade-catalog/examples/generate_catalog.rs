//! Regenerates `crates/palisade-catalog/data/` from `shared/reference`.
//!
//! Usage: `cargo run -p palisade-catalog --example generate_catalog [-- <shared dir>]`; the
//! shared directory defaults to `$PALISADE_SHARED`, then `<repo>/../shared`.

#[path = "../tools/generator.rs"]
mod generator;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("PALISADE_SHARED").map(PathBuf::from))
        .unwrap_or_else(|| crate_dir.join("../../../shared"));
    let files = match generator::generate(&shared.join("reference")) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("generate_catalog: {error}");
            return ExitCode::from(2);
        }
    };
    for (name, contents) in files {
        let path = crate_dir.join("data").join(name);
        if let Err(error) = std::fs::write(&path, &contents) {
            eprintln!("generate_catalog: cannot write {}: {error}", path.display());
            return ExitCode::from(2);
        }
        println!("wrote {} ({} bytes)", path.display(), contents.len());
    }
    ExitCode::SUCCESS
}
