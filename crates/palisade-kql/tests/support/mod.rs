//! Support code for the conformance harness: corpus extraction, the oracle process, mutations
//! and reporting.
//! Nothing here knows how Palisade parses; `conformance.rs` brings the two sides together.

#![allow(dead_code)]

pub mod corpus;
pub mod mutate;
pub mod oracle;
pub mod report;
pub mod yaml;

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes a line straight to the process's stderr.
///
/// libtest captures `println!` and `eprintln!` of passing tests, and the figures and SKIPPED
/// lines must be visible in CI logs without `--nocapture`.
pub fn loud(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = stderr.write_all(b"\n");
    }
    let _ = stderr.flush();
}

/// The repository root: two levels above this crate's manifest.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shared reference directory: `$PALISADE_SHARED`, else `<repo>/../shared`.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("PALISADE_SHARED") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => repo_root().join("../shared"),
    }
}

/// Where the harness writes its disagreement lists: `<target>/palisade-conformance/`.
///
/// The test binary lives in `<target>/<profile>/deps/`, so the target directory is found from
/// it, which also honours `CARGO_TARGET_DIR`.
pub fn output_dir() -> PathBuf {
    let from_exe = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent()?.parent()?.parent().map(Path::to_path_buf));
    let base = from_exe.unwrap_or_else(std::env::temp_dir);
    base.join("palisade-conformance")
}

/// FNV-1a over the bytes of `text`, used for deterministic choices that must not depend on
/// the standard library's randomly seeded hasher.
pub fn stable_hash(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}
