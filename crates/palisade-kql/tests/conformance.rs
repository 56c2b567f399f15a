//! Conformance of `palisade_kql::parse` with Microsoft's parser (the KQL oracle) on every query
//! of the shared corpus, plus a mutation check on damaged copies of valid queries.
//!
//! See `tests/CONFORMANCE.md` for how to run it, the environment variables and the outputs.
//! Both tests skip loudly when node, the oracle package or the shared directory is missing.

#![allow(clippy::unwrap_used)]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::json;

use support::corpus::{self, Query};
use support::mutate::{self, Mutation};
use support::oracle::{self, Oracle, OracleVerdict};
use support::report::{self, Tally};
use support::{loud, output_dir, shared_dir};

/// Agreement the corpus test enforces on a full run, in percent of all compared queries.
///
/// The goal of issue 4 is 99.9, which the parser met on its first day; the floor can be
/// raised further (the run prints the figure) but should not be lowered.
const MIN_AGREEMENT_PERCENT: f64 = 99.9;

/// Agreement the mutation test enforces on a full run; the goal of issue 4 is 99.
const MIN_MUTANT_AGREEMENT_PERCENT: f64 = 99.0;

/// Whether every corpus disagreement must be listed in `known-disagreements.tsv`.
///
/// Turning it off makes unlisted disagreements a printed warning instead of a failure, for a
/// parser change that needs a few commits to settle; turn it back on after.
const REQUIRE_LISTED_DISAGREEMENTS: bool = true;

const GOAL_PERCENT: f64 = 99.9;
const MUTANT_GOAL_PERCENT: f64 = 99.0;
const N_MUTANTS: usize = 500;

/// The committed allow-list, relative to this crate.
const ALLOW_LIST: &str = "tests/conformance/known-disagreements.tsv";

/// Palisade's first diagnostic, for the disagreement list.
#[derive(Debug, Clone)]
struct PalisadeDiag {
    code: String,
    message: String,
    start: u32,
    end: u32,
}

#[derive(Debug, Clone)]
struct PalisadeVerdict {
    accepts: bool,
    n_diagnostics: usize,
    first: Option<PalisadeDiag>,
    /// The panic message when `parse` panicked, which counts as a rejection and always fails.
    panic: Option<String>,
}

/// One query compared on both sides.
struct Compared {
    query: Query,
    palisade: PalisadeVerdict,
    oracle: OracleVerdict,
}

/// The corpus comparison, shared by both tests so the oracle reads the corpus only once.
struct CorpusRun {
    compared: Vec<Compared>,
    oracle: Mutex<Oracle>,
    filtered: bool,
}

/// What the environment asks for: which sources, how many queries per source, which ids.
struct Selection {
    sources: Vec<String>,
    limit: Option<usize>,
    ids: Vec<String>,
}

impl Selection {
    fn from_env() -> Selection {
        let list = |name: &str| -> Vec<String> {
            std::env::var(name)
                .unwrap_or_default()
                .split(',')
                .map(|item| item.trim().to_ascii_lowercase())
                .filter(|item| !item.is_empty())
                .collect()
        };
        let limit = std::env::var("PALISADE_CONFORMANCE_LIMIT").ok().and_then(|v| v.parse().ok());
        Selection {
            sources: list("PALISADE_CONFORMANCE_SOURCE"),
            limit,
            ids: list("PALISADE_CONFORMANCE_ID"),
        }
    }

    fn is_filtered(&self) -> bool {
        !self.sources.is_empty() || self.limit.is_some() || !self.ids.is_empty()
    }

    fn apply(&self, queries: Vec<Query>) -> Vec<Query> {
        let matches = |text: &str, wanted: &[String]| {
            let text = text.to_ascii_lowercase();
            wanted.is_empty() || wanted.iter().any(|item| text.contains(item.as_str()))
        };
        let mut per_source: BTreeMap<String, usize> = BTreeMap::new();
        queries
            .into_iter()
            .filter(|query| matches(&query.source, &self.sources) && matches(&query.id, &self.ids))
            .filter(|query| {
                let seen = per_source.entry(query.source.clone()).or_default();
                *seen += 1;
                self.limit.is_none_or(|limit| *seen <= limit)
            })
            .collect()
    }
}

fn palisade_verdict(text: &str) -> PalisadeVerdict {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let parse = palisade_kql::parse(text);
        let first = parse.diagnostics().first().map(|diag| PalisadeDiag {
            code: diag.code.to_string(),
            message: diag.message.to_string(),
            start: diag.range.start,
            end: diag.range.end,
        });
        (parse.has_errors(), parse.diagnostics().len(), first)
    }));
    match outcome {
        Ok((has_errors, n_diagnostics, first)) => {
            PalisadeVerdict { accepts: !has_errors, n_diagnostics, first, panic: None }
        }
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|text| (*text).to_string()))
                .unwrap_or_else(|| "non-string panic payload".to_string());
            PalisadeVerdict { accepts: false, n_diagnostics: 0, first: None, panic: Some(message) }
        }
    }
}

/// Runs the corpus comparison once; `None`, after a loud SKIPPED line naming `test`, when the
/// harness must skip.
///
/// # Panics
///
/// Panics, in every test that asks, when the oracle fails mid-run.
fn corpus_run(test: &str) -> Option<&'static CorpusRun> {
    static RUN: OnceLock<Result<CorpusRun, NoRun>> = OnceLock::new();
    match RUN.get_or_init(run_corpus) {
        Ok(run) => Some(run),
        Err(NoRun::Skip(why)) => {
            loud(&format!("SKIPPED: {test}: {why}"));
            None
        }
        Err(NoRun::Fail(error)) => panic!("{error}"),
    }
}

/// Why there is no corpus run: nothing to run against, or the run broke.
enum NoRun {
    Skip(String),
    Fail(String),
}

fn run_corpus() -> Result<CorpusRun, NoRun> {
    let shared = shared_dir();
    let corpus_dir = shared.join("corpus");
    if !corpus_dir.is_dir() {
        let why = format!("corpus {} not found (set PALISADE_SHARED)", corpus_dir.display());
        return Err(NoRun::Skip(why));
    }
    let script = oracle::check_available(&shared).map_err(|why| NoRun::Skip(why.to_string()))?;

    let started = Instant::now();
    let corpus = corpus::load(&corpus_dir);
    for problem in &corpus.problems {
        loud(&format!("conformance: not compared: {problem}"));
    }
    let n_extracted = corpus.queries.len();
    let selection = Selection::from_env();
    let queries = selection.apply(corpus.queries);
    let load_time = started.elapsed();

    let mut oracle = Oracle::start(&script).map_err(NoRun::Fail)?;
    let started = Instant::now();
    let pairs: Vec<(String, String)> =
        queries.iter().map(|query| (query.id.clone(), query.text.clone())).collect();
    let oracle_verdicts = oracle.verdicts(&pairs).map_err(NoRun::Fail)?;
    let oracle_time = started.elapsed();

    let started = Instant::now();
    let palisade_verdicts: Vec<PalisadeVerdict> =
        queries.iter().map(|query| palisade_verdict(&query.text)).collect();
    let palisade_time = started.elapsed();

    let n_bytes: usize = queries.iter().map(|query| query.text.len()).sum();
    loud(&format!(
        "conformance: {n_extracted} queries extracted from {} ({} blank skipped, {} files \
         unreadable), {} compared ({:.1} MB){}; load {}, oracle {}, palisade {}",
        corpus_dir.display(),
        corpus.n_blank,
        corpus.problems.len(),
        queries.len(),
        n_bytes as f64 / 1e6,
        if selection.is_filtered() { ", FILTERED by PALISADE_CONFORMANCE_* variables" } else { "" },
        millis(load_time),
        millis(oracle_time),
        millis(palisade_time),
    ));

    let compared = queries
        .into_iter()
        .zip(palisade_verdicts)
        .zip(oracle_verdicts)
        .map(|((query, palisade), oracle)| Compared { query, palisade, oracle })
        .collect();
    Ok(CorpusRun { compared, oracle: Mutex::new(oracle), filtered: selection.is_filtered() })
}

fn millis(duration: Duration) -> String {
    format!("{} ms", duration.as_millis())
}

fn disagreement_json(
    id: &str,
    source: Option<&str>,
    palisade: &PalisadeVerdict,
    oracle: &OracleVerdict,
) -> serde_json::Value {
    let verdict = |accepts: bool| if accepts { "accept" } else { "reject" };
    json!({
        "id": id,
        "source": source,
        "palisade": verdict(palisade.accepts),
        "oracle": verdict(oracle.accepts),
        "palisade_diagnostics": palisade.n_diagnostics,
        "palisade_first": palisade.first.as_ref().map(|diag| json!({
            "code": diag.code, "message": diag.message, "start": diag.start, "end": diag.end,
        })),
        "palisade_panic": palisade.panic,
        "oracle_diagnostics": oracle.n_diagnostics,
        "oracle_first": oracle.first.as_ref().map(|diag| json!({
            "code": diag.code, "message": diag.message,
            "startByte": diag.start_byte, "lengthByte": diag.length_byte,
        })),
    })
}

/// A one-line summary of a disagreement for the printed report.
fn describe(id: &str, palisade: &PalisadeVerdict, oracle: &OracleVerdict) -> String {
    let palisade_side = match (&palisade.panic, &palisade.first) {
        (Some(message), _) => format!("palisade PANICKED: {message}"),
        (None, Some(diag)) => {
            format!("palisade {} at {}..{}: {}", diag.code, diag.start, diag.end, diag.message)
        }
        (None, None) => "palisade accepts".to_string(),
    };
    let oracle_side = match &oracle.first {
        Some(diag) => format!("oracle {} at byte {}: {}", diag.code, diag.start_byte, diag.message),
        None => "oracle accepts".to_string(),
    };
    format!("  {id}\n      {palisade_side}\n      {oracle_side}")
}

#[test]
fn corpus_agrees_with_oracle() {
    let Some(run) = corpus_run("KQL conformance") else { return };

    let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
    for item in &run.compared {
        groups
            .entry(item.query.source.clone())
            .or_default()
            .add(item.palisade.accepts, item.oracle.accepts);
    }
    let (mut out, total) = report::table(
        "KQL conformance: Palisade vs the KQL oracle, syntax verdict per query",
        "source",
        &groups,
    );

    let allow_list_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(ALLOW_LIST);
    let allow_list =
        report::read_allow_list(&allow_list_path).unwrap_or_else(|error| panic!("{error}"));
    let disagreements: Vec<&Compared> =
        run.compared.iter().filter(|item| item.palisade.accepts != item.oracle.accepts).collect();
    let unlisted: Vec<&Compared> = disagreements
        .iter()
        .copied()
        .filter(|item| !allow_list.contains_key(&item.query.id))
        .collect();
    let panics: Vec<&Compared> =
        run.compared.iter().filter(|item| item.palisade.panic.is_some()).collect();
    let compared_ids: BTreeSet<&str> =
        run.compared.iter().map(|item| item.query.id.as_str()).collect();
    let disagreeing_ids: BTreeSet<&str> =
        disagreements.iter().map(|item| item.query.id.as_str()).collect();
    let stale: Vec<&String> = allow_list
        .keys()
        .filter(|id| compared_ids.contains(id.as_str()) && !disagreeing_ids.contains(id.as_str()))
        .collect();

    let lines: Vec<serde_json::Value> = disagreements
        .iter()
        .map(|item| {
            let mut line = disagreement_json(
                &item.query.id,
                Some(&item.query.source),
                &item.palisade,
                &item.oracle,
            );
            line["listed_reason"] = json!(allow_list.get(&item.query.id));
            line
        })
        .collect();
    let output = output_dir().join("disagreements.jsonl");
    report::write_jsonl(&output, &lines).unwrap_or_else(|error| panic!("{error}"));

    let palisade_codes = report::top_counts(
        disagreements
            .iter()
            .filter(|item| !item.palisade.accepts)
            .filter_map(|item| Some(item.palisade.first.as_ref()?.code.as_str())),
        8,
    );
    let oracle_codes = report::top_counts(
        disagreements
            .iter()
            .filter(|item| !item.oracle.accepts)
            .filter_map(|item| Some(item.oracle.first.as_ref()?.code.as_str())),
        8,
    );
    out.push_str(&format!(
        "disagreements: {} ({} listed in {ALLOW_LIST}, {} unlisted), full list: {}\n",
        disagreements.len(),
        disagreements.len() - unlisted.len(),
        unlisted.len(),
        output.display()
    ));
    out.push_str(&format!(
        "  first palisade codes where only palisade rejects: {palisade_codes:?}\n"
    ));
    out.push_str(&format!(
        "  first oracle codes where only the oracle rejects: {oracle_codes:?}\n"
    ));
    for item in unlisted.iter().take(15) {
        out.push_str(&describe(&item.query.id, &item.palisade, &item.oracle));
        out.push('\n');
    }
    if unlisted.len() > 15 {
        out.push_str(&format!("  ... and {} more in {}\n", unlisted.len() - 15, output.display()));
    }
    for id in &stale {
        out.push_str(&format!(
            "  note: `{id}` is listed in {ALLOW_LIST} but now agrees; remove it\n"
        ));
    }

    let mut failures = Vec::new();
    if !panics.is_empty() {
        failures.push(format!(
            "palisade_kql::parse panicked on {} queries, first `{}`",
            panics.len(),
            panics[0].query.id
        ));
    }
    if !run.filtered && total.percent() < MIN_AGREEMENT_PERCENT {
        failures.push(format!(
            "agreement {:.2}% is below MIN_AGREEMENT_PERCENT = {MIN_AGREEMENT_PERCENT}",
            total.percent()
        ));
    }
    if REQUIRE_LISTED_DISAGREEMENTS && !unlisted.is_empty() {
        failures.push(format!("{} disagreements are not listed in {ALLOW_LIST}", unlisted.len()));
    }
    if !REQUIRE_LISTED_DISAGREEMENTS && !unlisted.is_empty() {
        out.push_str(&format!(
            "NOT ENFORCED: {} unlisted disagreements (REQUIRE_LISTED_DISAGREEMENTS is false)\n",
            unlisted.len()
        ));
    }
    out.push_str(&format!(
        "agreement {:.2}% of {} queries; enforced floor {MIN_AGREEMENT_PERCENT}%, \
         goal {GOAL_PERCENT}%{}\n",
        total.percent(),
        total.total,
        if run.filtered { " (filtered run: floor not enforced)" } else { "" }
    ));
    loud(&out);
    assert!(failures.is_empty(), "KQL conformance failed:\n  {}", failures.join("\n  "));
}

#[test]
fn mutants_agree_with_oracle() {
    let Some(run) = corpus_run("KQL mutation check") else { return };

    let mut valid: Vec<&Compared> =
        run.compared.iter().filter(|item| item.palisade.accepts && item.oracle.accepts).collect();
    valid.sort_by(|a, b| a.query.id.cmp(&b.query.id));
    let step = (valid.len() / N_MUTANTS).max(1);
    let bases: Vec<&Compared> = valid.iter().copied().step_by(step).take(N_MUTANTS).collect();

    let mut mutants = Vec::new();
    let mut n_unmutable = 0usize;
    for (idx, base) in bases.iter().enumerate() {
        let preferred = Mutation::ALL[idx % Mutation::ALL.len()];
        match mutate::mutate(&base.query.id, &base.query.text, preferred) {
            Some(mutant) => mutants.push((base.query.id.clone(), mutant)),
            None => n_unmutable += 1,
        }
    }
    if mutants.is_empty() {
        loud(&format!(
            "SKIPPED: mutation check: no query that both sides accept among {} compared",
            run.compared.len()
        ));
        return;
    }

    let pairs: Vec<(String, String)> = mutants
        .iter()
        .map(|(id, mutant)| {
            (format!("{id}~{}@{}", mutant.mutation.name(), mutant.offset), mutant.text.clone())
        })
        .collect();
    let oracle_verdicts = {
        let mut oracle = run.oracle.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        oracle.verdicts(&pairs).unwrap_or_else(|error| panic!("{error}"))
    };

    let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
    let mut lines = Vec::new();
    let mut described = Vec::new();
    let mut n_panics = 0usize;
    let mut n_still_valid = 0usize;
    for (((_, mutant), (mutant_id, text)), oracle) in
        mutants.iter().zip(&pairs).zip(&oracle_verdicts)
    {
        let palisade = palisade_verdict(text);
        n_panics += usize::from(palisade.panic.is_some());
        n_still_valid += usize::from(oracle.accepts);
        groups
            .entry(mutant.mutation.name().to_string())
            .or_default()
            .add(palisade.accepts, oracle.accepts);
        if palisade.accepts != oracle.accepts {
            lines.push(disagreement_json(mutant_id, None, &palisade, oracle));
            described.push(describe(mutant_id, &palisade, oracle));
        }
    }
    let (mut out, total) = report::table(
        &format!(
            "KQL mutation check: {} mutants of {} valid corpus queries (every {step}th by id), \
             {n_still_valid} still valid per the oracle",
            mutants.len(),
            valid.len()
        ),
        "mutation",
        &groups,
    );
    let output = output_dir().join("mutant-disagreements.jsonl");
    report::write_jsonl(&output, &lines).unwrap_or_else(|error| panic!("{error}"));
    if n_unmutable > 0 {
        out.push_str(&format!("  {n_unmutable} selected queries offered no place to damage\n"));
    }
    for line in described.iter().take(10) {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!(
        "mutant agreement {:.2}% of {}; enforced floor {MIN_MUTANT_AGREEMENT_PERCENT}%, \
         goal {MUTANT_GOAL_PERCENT}%; full list: {}\n",
        total.percent(),
        total.total,
        output.display()
    ));
    loud(&out);

    assert_eq!(n_panics, 0, "palisade_kql::parse panicked on {n_panics} mutants");
    assert!(
        run.filtered || total.percent() >= MIN_MUTANT_AGREEMENT_PERCENT,
        "mutant agreement {:.2}% is below the floor {MIN_MUTANT_AGREEMENT_PERCENT}",
        total.percent()
    );
}

/// The extraction finds the corpus's documented query counts, so a broken reader cannot pass
/// the conformance test by comparing nothing.
#[test]
fn corpus_extraction_finds_every_source() {
    let corpus_dir = shared_dir().join("corpus");
    if !corpus_dir.is_dir() {
        loud(&format!(
            "SKIPPED: corpus extraction: {} not found (set PALISADE_SHARED)",
            corpus_dir.display()
        ));
        return;
    }
    let corpus = corpus::load(&corpus_dir);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for query in &corpus.queries {
        *counts.entry(query.source.as_str()).or_default() += 1;
    }
    let count = |source: &str| counts.get(source).copied().unwrap_or(0);

    // MANIFEST.md: 1,073 analytics-rule YAMLs (19 of them in `Hunting Queries` folders), 1,207
    // hunting queries, 58 exploration queries, 2,002 markdown blocks.
    assert_eq!(count("azure-sentinel:analytics"), 1_073, "{counts:?}");
    assert!(count("azure-sentinel:hunting") >= 1_200, "{counts:?}");
    assert_eq!(count("azure-sentinel:exploration"), 59, "{counts:?}");
    assert_eq!(corpus.n_markdown_records, 2_002);
    assert_eq!(count("microsoft/sentinel-as-code:yaml"), 57);
    assert!(count("reprise99:files") >= 460, "{counts:?}");
}
