//! Every lint over the Azure-Sentinel snapshot in `../shared/corpus`: no panics, every finding
//! inside its query's YAML node, and the number of findings per lint printed (with samples
//! when `PALISADE_LINT_SAMPLES=N` is set) so false positives can be reviewed.
//! `PALISADE_LINT_QUERIES=<file>` also writes every query as one JSON line
//! (`{"id": path, "query": text, "lints": [[code, query offset], ...]}`), the input of the KQL
//! oracle's `--ndjson --analyzers`, to compare findings with Kusto.Language's analyzers.
//!
//! Skips, saying so loudly, when the shared folder is absent.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::io::Write as _;

use palisade_diagnostics::{SourceFiles, SourceMap};
use palisade_spec::SpecKind;
use palisade_spec::load::Outcome;
use palisade_validator::check_file;
use palisade_validator::lints::{self, LINTS};

mod common;
use common::{shared, yaml_files};

#[test]
fn lints_over_the_corpus() {
    let Some(shared) = shared() else {
        eprintln!("SKIPPED lints_over_the_corpus: no shared folder (set PALISADE_SHARED)");
        return;
    };
    let root = shared.join("corpus/cloudflare__Azure-Sentinel");
    let mut paths = Vec::new();
    yaml_files(&root, &mut paths);
    let n_samples: usize =
        std::env::var("PALISADE_LINT_SAMPLES").ok().and_then(|n| n.parse().ok()).unwrap_or(0);

    let mut files = SourceFiles::new();
    let mut counts: BTreeMap<&str, [usize; 2]> = BTreeMap::new();
    let mut samples: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut n_queries = [0usize; 2];
    let mut queries_out = std::env::var_os("PALISADE_LINT_QUERIES")
        .map(|path| std::io::BufWriter::new(std::fs::File::create(path).unwrap()));
    for path in &paths {
        let shown = path.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        let (file, result) = check_file(&mut files, &shown, &bytes);
        let Outcome::Detection(detection) = result.outcome else { continue };
        let kind = usize::from(detection.spec_kind == SpecKind::HuntingQuery);
        n_queries[kind] += 1;
        let text = files.get(file).text().to_owned();
        if let Some(out) = queries_out.as_mut() {
            let query = &detection.query.text;
            let offsets = SourceMap::verbatim(file, 0, query.len() as u32);
            let target = lints::LintTarget::of(&detection);
            let found: Vec<_> = lints::check_query(query, target, &offsets)
                .iter()
                .map(|diag| serde_json::json!([diag.code.as_str(), diag.primary.span.start]))
                .collect();
            let line = serde_json::json!({ "id": shown, "query": query, "lints": found });
            writeln!(out, "{line}").unwrap();
        }
        for diag in lints::check_detection(&detection) {
            let span = diag.primary.span;
            let query = detection.query.span;
            assert!(
                span.file == file && query.start <= span.start && span.end <= query.end,
                "{shown}: {} outside the query",
                diag.code
            );
            let code = diag.code.as_str();
            counts.entry(code).or_default()[kind] += 1;
            let kept = samples.entry(code).or_default();
            if kept.len() < n_samples {
                let line = files.get(file).line_col(span.start).line;
                let flagged = text[span.start as usize..span.end as usize].replace('\n', " ");
                kept.push(format!("{shown}:{line}: {} [{flagged}]", diag.message));
            }
        }
    }

    eprintln!("lints over {} analytics rules and {} hunting queries:", n_queries[0], n_queries[1]);
    eprintln!("code    name                                        rules  hunting");
    for entry in LINTS {
        let code = entry.meta.code.as_str();
        let [rules, hunting] = counts.get(code).copied().unwrap_or_default();
        eprintln!("{code}  {:<42}  {rules:>5}  {hunting:>7}", entry.meta.name);
        for sample in samples.get(code).into_iter().flatten() {
            eprintln!("    {sample}");
        }
    }
    assert!(n_queries[0] > 1_000 && n_queries[1] > 1_000, "{n_queries:?}");
    assert!(counts.len() >= 10, "only {} lints fire on the corpus: {counts:?}", counts.len());
}
