//! Builds every spec under a folder with `--keep-going` semantics, using only the loader
//! (no validator), and prints each spec that could not be built with its reason.
//!
//! Usage: `cargo run -p palisade-compiler --example build_tree -- <out> <root> [<folder>...]`;
//! the folders (default: the root itself) are relative to the root, and paths are shown
//! relative to it. A folder name may use `*` as its whole first component, for example
//! `Solutions/*/Analytic Rules`.
//! Used to measure the compiler on the Azure-Sentinel corpus in `../shared/corpus`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use palisade_compiler::{Options, build, write_atomically};
use palisade_diagnostics::{FileId, Severity, SourceFiles};
use palisade_spec::SpecKind;
use palisade_spec::load::{Outcome, load_spec};

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "yaml" || ext == "yml") {
            files.push(path);
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, root, folders @ ..] = args.as_slice() else {
        eprintln!("usage: build_tree <out> <root> [<folder>...]");
        return ExitCode::from(2);
    };
    let root = Path::new(root);
    let mut paths = Vec::new();
    if folders.is_empty() {
        walk(root, &mut paths);
    }
    for folder in folders {
        match folder.split_once("/*/") {
            Some((parent, rest)) => {
                let Ok(entries) = fs::read_dir(root.join(parent)) else { continue };
                for entry in entries.flatten() {
                    walk(&entry.path().join(rest), &mut paths);
                }
            }
            None => walk(&root.join(folder), &mut paths),
        }
    }
    paths.sort();
    paths.dedup();

    let mut sources = SourceFiles::new();
    let mut detections = Vec::new();
    let mut failures: Vec<(String, String)> = Vec::new();
    let mut n_rule_files = 0;
    for path in &paths {
        let display = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
        let Ok(text) = fs::read_to_string(path) else {
            failures.push((display, "not UTF-8 or unreadable".into()));
            continue;
        };
        let file = sources.add(display.clone(), text.as_str());
        let result = load_spec(file, &display, &text);
        let errors: Vec<String> = result
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        if let Outcome::Detection(detection) = result.outcome {
            if detection.spec_kind != SpecKind::AnalyticsRule {
                continue;
            }
            n_rule_files += 1;
            if errors.is_empty() {
                detections.push(*detection);
            } else {
                failures.push((display, errors.join("; ")));
            }
        }
    }

    let output = build(&detections, &Options::default());
    let failed: BTreeSet<FileId> = output
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.primary.span.file)
        .collect();
    for diag in output.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        let path = sources.get(diag.primary.span.file).path().to_owned();
        failures.push((path, format!("{} {}", diag.code, diag.message)));
    }
    if let Err(error) = write_atomically(Path::new(out), &output.files) {
        eprintln!("build_tree: {error}");
        return ExitCode::from(2);
    }

    failures.sort();
    for (path, why) in &failures {
        println!("FAILED {path}: {why}");
    }
    println!(
        "analytics rules: {n_rule_files} loaded as rules, {} compiled, {} not compiled ({} in loading, {} in the compiler); {} files written to {out}",
        output.compiled.len(),
        n_rule_files - output.compiled.len(),
        n_rule_files - detections.len(),
        failed.len(),
        output.files.len()
    );
    ExitCode::SUCCESS
}
