//! Spec fixtures: every file in `tests/specs/valid` checks clean, and every file in
//! `tests/specs/invalid` has its findings, rendered for people, in a snapshot named after it.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use palisade_diagnostics::render::human;
use palisade_diagnostics::{Severity, SourceFiles};
use palisade_validator::{check_duplicate_ids, check_file};

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs").join(kind);
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    paths.sort();
    assert!(!paths.is_empty());
    paths
}

fn shown(path: &Path) -> String {
    let parent = path.parent().unwrap().file_name().unwrap().to_string_lossy();
    format!("{parent}/{}", path.file_name().unwrap().to_string_lossy())
}

#[test]
fn valid_specs_are_clean() {
    let mut files = SourceFiles::new();
    let mut detections = Vec::new();
    for path in fixtures("valid") {
        let (_, result) = check_file(&mut files, &shown(&path), &std::fs::read(&path).unwrap());
        let findings: Vec<_> =
            result.diagnostics.iter().filter(|d| d.severity != Severity::Note).collect();
        assert!(findings.is_empty(), "{}: {findings:#?}", path.display());
        match result.outcome {
            palisade_spec::load::Outcome::Detection(detection) => detections.push(*detection),
            other => panic!("{}: {other:?}", path.display()),
        }
    }
    assert_eq!(check_duplicate_ids(&detections), []);
}

#[test]
fn invalid_specs_snapshot() {
    for path in fixtures("invalid") {
        let mut files = SourceFiles::new();
        let (_, result) = check_file(&mut files, &shown(&path), &std::fs::read(&path).unwrap());
        assert!(
            result.diagnostics.iter().any(|d| d.severity == Severity::Error),
            "{} has no error",
            path.display()
        );
        let mut out = Vec::new();
        human::render(&result.diagnostics, &files, &mut out).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(name, String::from_utf8(out).unwrap());
    }
}
