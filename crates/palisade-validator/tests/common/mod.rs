//! Helpers shared by the corpus tests: finding `../shared` and listing its YAML files.

use std::path::{Path, PathBuf};

/// The shared folder (`$PALISADE_SHARED`, else `../shared` beside the repository), if present.
pub fn shared() -> Option<PathBuf> {
    let path = std::env::var_os("PALISADE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    path.is_dir().then_some(path)
}

/// Every `.yaml`/`.yml` file below `dir`, in sorted order.
pub fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "yaml" || ext == "yml") {
            out.push(path);
        }
    }
}
