//! Seeded faults: 300 valid Azure-Sentinel analytics rules from `../shared/corpus`, each broken
//! in one way per fault kind by an edit of its YAML text (`tests/faults/mod.rs`), then checked
//! by Palisade's real validation. Every fault must be reported with the right code at the
//! right line; the near-miss indicators of the IOC kind must not be.
//!
//! Prints the per-kind table and every miss; asserts at least 98% per kind and overall.
//! Skips, saying so loudly, when the shared folder is absent.
//!
//! Run: `cargo test -p palisade-validator --test seeded_faults -- --nocapture`.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use palisade_catalog::Catalog;
use palisade_diagnostics::{Diagnostic, FileId, Severity, SourceFiles};
use palisade_spec::load::Outcome;
use palisade_spec::{Detection, SpecKind, ioc, yaml};
use palisade_validator::{check_duplicate_ids, check_file};

mod common;
mod faults;
use common::{shared, yaml_files};
use faults::{Kind, Original, Seeded};

/// How many rules the proof takes.
const N_RULES: usize = 300;
/// Smallest catch rate, per kind and overall.
const THRESHOLD: f64 = 0.98;

/// Folders of the snapshot that hold analytics rules.
const RULE_FOLDERS: &[&str] =
    &["Analytic Rules", "Analytics Rules", "Analytical Rules", "Detections", "Detection Queries"];

#[derive(Default)]
struct Row {
    applied: usize,
    skipped: BTreeMap<&'static str, usize>,
    code: usize,
    line: usize,
    help: usize,
    help_expected: usize,
    /// Variants with another error-level finding besides the expected one.
    collateral: BTreeMap<String, usize>,
    false_positives: usize,
    probes: usize,
}

#[test]
fn seeded_faults() {
    let Some(shared) = shared() else {
        eprintln!("SKIPPED seeded_faults: no shared folder (set PALISADE_SHARED)");
        return;
    };
    let started = std::time::Instant::now();
    let root = shared.join("corpus/cloudflare__Azure-Sentinel");
    let mut paths = Vec::new();
    yaml_files(&root, &mut paths);

    // Valid rules: analytics rules with no error-level finding, in sorted path order.
    let candidates: Vec<(String, &std::path::PathBuf)> = paths
        .iter()
        .map(|path| (path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"), path))
        .filter(|(shown, _)| shown.split('/').any(|folder| RULE_FOLDERS.contains(&folder)))
        .collect();
    let n_threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let chunk = candidates.len().div_ceil(n_threads).max(1);
    let valid: Vec<Original> = std::thread::scope(|scope| {
        let handles: Vec<_> = candidates
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .filter_map(|(shown, path)| original(shown, path))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|handle| handle.join().unwrap()).collect()
    });
    assert!(valid.len() >= N_RULES, "only {} valid rules", valid.len());
    // Evenly spaced over the sorted list.
    let chosen: Vec<&Original> = (0..N_RULES).map(|i| &valid[i * valid.len() / N_RULES]).collect();
    eprintln!(
        "seeded faults: {} valid analytics rules, {} taken (every {:.1}th)",
        valid.len(),
        chosen.len(),
        valid.len() as f64 / N_RULES as f64
    );

    let selected = started.elapsed();

    // The kinds are independent: run them on a few threads, then merge in kind order.
    let mut results: Vec<(Kind, Row, Vec<String>, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n_threads)
            .map(|t| {
                let chosen = &chosen;
                scope.spawn(move || {
                    let kinds = Kind::ALL.iter().copied().skip(t).step_by(n_threads);
                    kinds.map(|kind| run_kind(kind, chosen)).collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|handle| handle.join().unwrap()).collect()
    });
    results.sort_by_key(|(kind, ..)| *kind);
    let mut rows: BTreeMap<Kind, Row> = BTreeMap::new();
    let mut misses: Vec<String> = Vec::new();
    let mut false_positives: Vec<String> = Vec::new();
    for (kind, row, kind_misses, kind_false_positives) in results {
        rows.insert(kind, row);
        misses.extend(kind_misses);
        false_positives.extend(kind_false_positives);
    }
    eprintln!(
        "seeded faults: selection {:.1}s, faults {:.1}s on {n_threads} threads",
        selected.as_secs_f64(),
        (started.elapsed() - selected).as_secs_f64()
    );

    print_table(&rows);
    for miss in &misses {
        eprintln!("MISS {miss}");
    }
    for fp in &false_positives {
        eprintln!("FALSE POSITIVE {fp}");
    }

    let (mut applied, mut caught) = (0, 0);
    for (kind, row) in &rows {
        applied += row.applied;
        caught += row.line;
        assert!(row.applied > 0, "{}: applied to no rule", kind.name());
        let rate = row.line as f64 / row.applied as f64;
        assert!(rate >= THRESHOLD, "{}: {:.1}% caught", kind.name(), 100.0 * rate);
        if row.help_expected > 0 {
            let rate = row.help as f64 / row.help_expected as f64;
            assert!(rate >= THRESHOLD, "{}: {:.1}% with the suggestion", kind.name(), 100.0 * rate);
        }
    }
    let rate = caught as f64 / applied as f64;
    assert!(rate >= THRESHOLD, "overall {:.1}% caught", 100.0 * rate);
    assert!(false_positives.is_empty(), "{} false positives", false_positives.len());
}

/// The rule at `path` when it is a valid analytics rule: it loads as one, with no error-level
/// finding.
fn original(shown: &str, path: &std::path::Path) -> Option<Original> {
    let bytes = std::fs::read(path).unwrap();
    let mut files = SourceFiles::new();
    let (_, result) = check_file(&mut files, shown, &bytes);
    let Outcome::Detection(detection) = result.outcome else { return None };
    if detection.spec_kind != SpecKind::AnalyticsRule
        || result.diagnostics.iter().any(|diag| diag.severity == Severity::Error)
    {
        return None;
    }
    let text = yaml::normalize_source(&String::from_utf8(bytes).unwrap()).into_owned();
    let (output, exact) = known_output(&detection).unzip();
    Some(Original { path: shown.to_owned(), output, exact: exact.unwrap_or(false), text })
}

/// Seeds and checks one kind on every chosen rule: its row, misses and false positives.
fn run_kind(kind: Kind, chosen: &[&Original]) -> (Kind, Row, Vec<String>, Vec<String>) {
    let mut row = Row::default();
    let mut misses = Vec::new();
    let mut false_positives = Vec::new();
    for (index, rule) in chosen.iter().enumerate() {
        let seeded = match faults::seed(kind, rule, index) {
            Ok(seeded) => seeded,
            Err(reason) => {
                *row.skipped.entry(reason).or_default() += 1;
                continue;
            }
        };
        row.applied += 1;
        dump(&seeded, index);
        let (files, ids, diagnostics) = validate(&seeded);
        judge(&seeded, &files, &ids, &diagnostics, &mut row, &mut misses, &mut false_positives);
    }
    (kind, row, misses, false_positives)
}

/// Writes the seeded files below `$PALISADE_SEEDED_DUMP/<kind>/<index>/`, when that is set,
/// for reading the edits or running `palisade validate` on them.
fn dump(seeded: &Seeded, index: usize) {
    let Some(dir) = std::env::var_os("PALISADE_SEEDED_DUMP") else { return };
    let dir = std::path::Path::new(&dir).join(seeded.kind.name()).join(format!("{index:03}"));
    for (path, text) in &seeded.files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::write(dir.join("EDIT.txt"), format!("{}\n{}\n", seeded.origin, seeded.edit)).unwrap();
}

/// The query's output columns when Palisade's resolver knows all of them, and whether they are
/// exactly all, standard columns included (the output of a `project` or `summarize`).
fn known_output(detection: &Detection) -> Option<(Vec<String>, bool)> {
    let parse = palisade_kql::parse(&detection.query.text);
    if parse.has_errors() {
        return None;
    }
    let resolution = palisade_kql::resolve(&parse, Catalog::builtin());
    let output = resolution.output?;
    let exact = output.exact.is_some();
    (!output.open).then(|| (output.columns.into_iter().map(|column| column.name).collect(), exact))
}

/// Validates the seeded files as `palisade validate` does a project: each file checked, ids
/// compared across files, exclusion files loaded, IOC specs expanded with the exclusions.
fn validate(seeded: &Seeded) -> (SourceFiles, Vec<FileId>, Vec<Diagnostic>) {
    // A project reads its files in sorted path order.
    assert!(seeded.files.windows(2).all(|pair| pair[0].0 < pair[1].0), "{}", seeded.edit);
    let mut files = SourceFiles::new();
    let mut ids = Vec::new();
    let mut diagnostics = Vec::new();
    let mut detections = Vec::new();
    let mut exclusions = Vec::new();
    for (path, text) in &seeded.files {
        let (file, result) = check_file(&mut files, path, text.as_bytes());
        ids.push(file);
        diagnostics.extend(result.diagnostics);
        match result.outcome {
            Outcome::Detection(detection) => detections.push(*detection),
            Outcome::Skipped { .. } => {
                let text = files.get(file).text().to_owned();
                let Some(root) = yaml::parse(file, &text).root else { continue };
                if ioc::is_exclusion_document(&root) {
                    diagnostics.retain(|diag| {
                        !(diag.code == palisade_spec::codes::SKIPPED_FILE
                            && diag.primary.span.file == file)
                    });
                    exclusions.extend(ioc::load_exclusion(&root, &mut diagnostics));
                }
            }
            Outcome::Failed => {}
        }
    }
    diagnostics.extend(check_duplicate_ids(&detections));
    for detection in &detections {
        if detection.ioc.is_some() {
            palisade_compiler::ioc::expand(detection, &exclusions, &mut diagnostics);
        }
    }
    (files, ids, diagnostics)
}

fn judge(
    seeded: &Seeded,
    files: &SourceFiles,
    ids: &[FileId],
    diagnostics: &[Diagnostic],
    row: &mut Row,
    misses: &mut Vec<String>,
    false_positives: &mut Vec<String>,
) {
    let code = seeded.kind.code();
    let expect = &seeded.expect;
    let file = ids[expect.file];
    let line_of = |diag: &Diagnostic| {
        files.get(diag.primary.span.file).line_col(diag.primary.span.start).line as usize
    };
    let with_code: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|diag| diag.code.as_str() == code && diag.primary.span.file == file)
        .filter(|diag| expect.message.as_ref().is_none_or(|text| diag.message.contains(text)))
        .collect();
    let at_line: Vec<&&Diagnostic> =
        with_code.iter().filter(|diag| line_of(diag) == expect.line).collect();
    let describe = |diag: &Diagnostic| {
        format!("{} line {}: {}", diag.code.as_str(), line_of(diag), diag.message)
    };
    let all: Vec<String> = diagnostics
        .iter()
        .filter(|diag| diag.severity >= Severity::Warning)
        .map(describe)
        .collect();
    if !with_code.is_empty() {
        row.code += 1;
    }
    if at_line.is_empty() {
        misses.push(format!(
            "{} {}: {}; expected {code} at line {}; got: [{}]",
            seeded.kind.name(),
            seeded.origin,
            seeded.edit,
            expect.line,
            all.join("; ")
        ));
    } else {
        row.line += 1;
    }
    if let Some(help) = &expect.help {
        row.help_expected += 1;
        let suggested = at_line
            .iter()
            .any(|diag| diag.help.as_ref().is_some_and(|text| text.contains(help.as_str())));
        if suggested {
            row.help += 1;
        } else if !at_line.is_empty() {
            let helps: Vec<String> = at_line.iter().filter_map(|diag| diag.help.clone()).collect();
            misses.push(format!(
                "{} {}: {}; no suggestion of `{help}` (help: {helps:?})",
                seeded.kind.name(),
                seeded.origin,
                seeded.edit
            ));
        }
    }
    for near in &seeded.must_not {
        row.probes += 1;
        let flagged = diagnostics.iter().find(|diag| {
            diag.code.as_str() == code
                && diag.primary.span.file == ids[0]
                && near.line.is_none_or(|line| line_of(diag) == line)
                && near.message.as_ref().is_none_or(|text| diag.message.contains(text.as_str()))
        });
        if let Some(diag) = flagged {
            row.false_positives += 1;
            false_positives.push(format!(
                "{} {}: {}: {}",
                seeded.kind.name(),
                seeded.origin,
                near.what,
                describe(diag)
            ));
        }
    }
    let mut others: Vec<&str> = diagnostics
        .iter()
        .filter(|diag| diag.severity == Severity::Error && diag.code.as_str() != code)
        .map(|diag| diag.code.as_str())
        .collect();
    others.sort_unstable();
    others.dedup();
    for other in others {
        *row.collateral.entry(other.to_owned()).or_default() += 1;
    }
}

fn print_table(rows: &BTreeMap<Kind, Row>) {
    eprintln!();
    eprintln!(
        "{:<31} {:<8} {:>7} {:>10} {:>10} {:>7}  suggestion",
        "kind", "code", "applied", "right code", "right line", "rate"
    );
    let (mut applied, mut code, mut line) = (0, 0, 0);
    for (kind, row) in rows {
        applied += row.applied;
        code += row.code;
        line += row.line;
        let suggestion = if row.help_expected > 0 {
            format!("{}/{}", row.help, row.help_expected)
        } else {
            "-".to_owned()
        };
        eprintln!(
            "{:<31} {:<8} {:>7} {:>10} {:>10} {:>6.1}%  {}",
            kind.name(),
            kind.code(),
            row.applied,
            row.code,
            row.line,
            100.0 * row.line as f64 / row.applied.max(1) as f64,
            suggestion
        );
    }
    eprintln!(
        "{:<31} {:<8} {:>7} {:>10} {:>10} {:>6.1}%",
        "overall",
        "",
        applied,
        code,
        line,
        100.0 * line as f64 / applied.max(1) as f64
    );
    eprintln!();
    for (kind, row) in rows {
        if !row.skipped.is_empty() {
            let skipped: Vec<String> =
                row.skipped.iter().map(|(reason, n)| format!("{n} {reason}")).collect();
            eprintln!("skipped {}: {}", kind.name(), skipped.join("; "));
        }
    }
    for (kind, row) in rows {
        if !row.collateral.is_empty() {
            eprintln!("other errors with {}: {:?}", kind.name(), row.collateral);
        }
        if row.probes > 0 {
            eprintln!(
                "near misses for {}: {} probed, {} flagged",
                kind.name(),
                row.probes,
                row.false_positives
            );
        }
    }
}
