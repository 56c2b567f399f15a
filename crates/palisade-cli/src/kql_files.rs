//! Bare query files (`.kql`, `.kusto`, `.csl`): found by extension, checked as one query each.

use std::path::Path;

/// Extensions of bare query files, compared case-insensitively.
pub const QUERY_EXTENSIONS: &[&str] = &["kql", "kusto", "csl"];

/// Whether `path` names a bare query file by its extension.
pub fn is_query_file(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| QUERY_EXTENSIONS.iter().any(|known| ext.eq_ignore_ascii_case(known)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_files_by_extension() {
        assert!(is_query_file(Path::new("a/b.kql")));
        assert!(is_query_file(Path::new("B.KUSTO")));
        assert!(is_query_file(Path::new("c.csl")));
        assert!(!is_query_file(Path::new("c.yaml")));
        assert!(!is_query_file(Path::new("kql")));
    }
}
