//! Helpers shared by the compiler's integration tests: loading specs, finding the shared
//! reference data, decoding ARM literals, and a decoder for the Bicep subset we emit.

#![allow(dead_code, clippy::unwrap_used)]

pub mod bicep;

use std::path::{Path, PathBuf};

use palisade_diagnostics::{FileId, Severity};
use palisade_spec::Detection;
use palisade_spec::load::{Outcome, load_spec};
use serde_json::Value as Json;

/// The shared reference folder, from `PALISADE_SHARED` or `<repo>/../shared`, if present.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("PALISADE_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    dir.is_dir().then_some(dir)
}

/// The shared folder, or a loud SKIPPED line and `None`.
pub fn shared_or_skip(test: &str) -> Option<PathBuf> {
    let dir = shared_dir();
    if dir.is_none() {
        eprintln!(
            "SKIPPED {test}: shared reference data not found (set PALISADE_SHARED or put it at ../shared)"
        );
    }
    dir
}

/// Loads one spec that must load cleanly.
pub fn load_clean(path: &str, text: &str) -> Detection {
    let result = load_spec(FileId(0), path, text);
    let errors: Vec<_> =
        result.diagnostics.iter().filter(|diag| diag.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{path}: {errors:#?}");
    match result.outcome {
        Outcome::Detection(detection) => *detection,
        other => panic!("{path}: not a detection: {other:?}"),
    }
}

/// Loads a spec, returning the detection only when loading found no error.
pub fn load_detection(file: FileId, path: &str, text: &str) -> Option<Detection> {
    let result = load_spec(file, path, text);
    if result.has_errors() {
        return None;
    }
    match result.outcome {
        Outcome::Detection(detection) => Some(*detection),
        _ => None,
    }
}

/// The value ARM deploys for a JSON value we emitted: one leading `[` is removed from
/// `[[…]` strings. Any other bracketed string is an expression, which properties never hold.
pub fn arm_literal_value(value: &Json) -> Json {
    match value {
        Json::String(text) if text.starts_with('[') && text.ends_with(']') => {
            assert!(text.starts_with("[["), "unexpected expression in properties: {text}");
            Json::String(text[1..].to_owned())
        }
        Json::Array(items) => Json::Array(items.iter().map(arm_literal_value).collect()),
        Json::Object(map) => {
            Json::Object(map.iter().map(|(k, v)| (k.clone(), arm_literal_value(v))).collect())
        }
        other => other.clone(),
    }
}

/// Parses emitted ARM bytes.
pub fn parse_json(bytes: &[u8]) -> Json {
    serde_json::from_slice(bytes).unwrap()
}
