//! The whole `palisade validate` run over the Azure-Sentinel snapshot of `shared/corpus`
//! (analytics rules, hunting queries, parsers and the rest of its YAML and query files) with
//! every KQL check on, against the KQL oracle's semantic pass over the same queries (issue 5).
//!
//! The release binary runs `palisade validate DIR --format json` (process start, reading and
//! loading every file, schema and limit checks, KQL parsing, name resolution against the
//! embedded catalog, output-column checks, lints and writing the JSON included) once to warm
//! the page cache, then `PALISADE_BENCH_ROUNDS` times (default 11). It prints the median,
//! minimum and maximum wall clock, the median CPU time (user plus system) and the peak RSS of
//! the runs. The queries of the specs that load are then fed to one `node parse.js --ndjson`
//! process with every table file of `shared/reference/tables` as `--schema`, so that the oracle
//! binds names against the same tables (start-up included); the ratio is printed.
//!
//! `cargo bench -p palisade-cli --bench validate_corpus` runs everything. Without `--bench` (as
//! `cargo test --benches` runs it) one round is timed and the oracle is left out. Skips loudly
//! when the shared corpus, node or the oracle package is missing.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
mod support;
use support::{children_usage, load_average, median, run_palisade};

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use palisade_diagnostics::SourceFiles;
use palisade_spec::load::Outcome;

const DEFAULT_ROUNDS: usize = 11;

/// The snapshot validated, under `shared/corpus`.
const SNAPSHOT: &str = "cloudflare__Azure-Sentinel";

/// The oracle's schema files, in merge order, under `shared/reference/tables`.
const SCHEMA_FILES: &[&str] = &[
    "azure_monitor_tables.json",
    "sentinel_overlay.json",
    "sentinel_customtables.json",
    "sentinel_functions.json",
    "sentinel_asim_functions.json",
];

/// The goals of issue 5.
const GOAL_WALL: Duration = Duration::from_secs(1);
const GOAL_RSS_MB: f64 = 200.0;

fn loud(message: &str) {
    eprintln!("\n==================== {message} ====================\n");
}

fn shared_dir() -> PathBuf {
    match std::env::var_os("PALISADE_SHARED") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// Every `.yaml`/`.yml` file below `dir`, in path order.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml" || ext == "yml"))
        .collect()
}

/// The query of every spec that loads, as (path under the snapshot, query text).
fn spec_queries(root: &Path) -> Vec<(String, String)> {
    let mut files = SourceFiles::new();
    let mut queries = Vec::new();
    for path in yaml_files(root) {
        let shown = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        let bytes = fs::read(&path).unwrap();
        let (_, result) = palisade_validator::check_file(&mut files, &shown, &bytes);
        if let Outcome::Detection(detection) = result.outcome {
            if !detection.query.text.trim().is_empty() {
                queries.push((shown, detection.query.text.clone()));
            }
        }
    }
    queries
}

fn main() {
    let full = std::env::args().any(|arg| arg == "--bench");
    let rounds = if full {
        std::env::var("PALISADE_BENCH_ROUNDS")
            .ok()
            .and_then(|rounds| rounds.parse().ok())
            .filter(|&rounds: &usize| rounds > 0)
            .unwrap_or(DEFAULT_ROUNDS)
    } else {
        1
    };
    let shared = shared_dir();
    let root = shared.join("corpus").join(SNAPSHOT);
    if !root.is_dir() {
        loud(&format!(
            "SKIPPED: validate_corpus: {} not found (set PALISADE_SHARED)",
            root.display()
        ));
        return;
    }
    let binary = Path::new(env!("CARGO_BIN_EXE_palisade"));
    println!("corpus: {}", root.display());
    println!("binary: {}", binary.display());
    println!("load average before: {}", load_average());

    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("palisade.json");
    let (_, _, code) = run_palisade(binary, &root, &out);
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    for _ in 0..rounds {
        let (wall, cpu, round_code) = run_palisade(binary, &root, &out);
        assert_eq!(round_code, code, "palisade's exit code changed between runs");
        walls.push(wall);
        cpus.push(cpu);
    }
    // Read before the oracle runs: the peak is over every child waited for so far.
    let (_, rss_kib) = children_usage();
    let rss_mb = rss_kib as f64 * 1024.0 / 1e6;
    let (min, max) = (*walls.iter().min().unwrap(), *walls.iter().max().unwrap());
    let wall = median(&mut walls);
    let cpu = median(&mut cpus);

    let value: serde_json::Value = serde_json::from_reader(File::open(&out).unwrap()).unwrap();
    let diagnostics = value["diagnostics"].as_array().cloned().unwrap_or_default();
    let mut by_severity: BTreeMap<String, usize> = BTreeMap::new();
    for diag in &diagnostics {
        *by_severity.entry(diag["severity"].as_str().unwrap_or("?").to_owned()).or_default() += 1;
    }
    println!(
        "palisade validate {SNAPSHOT} --format json, {rounds} runs: median {:.1} ms (min {:.1}, \
         max {:.1}), CPU time median {:.1} ms, peak RSS {rss_mb:.1} MB, exit code {code}; \
         {} findings {by_severity:?}",
        ms(wall),
        ms(min),
        ms(max),
        ms(cpu),
        diagnostics.len(),
    );
    println!(
        "goals: wall < {} ms: {}; peak RSS < {GOAL_RSS_MB} MB: {}",
        GOAL_WALL.as_millis(),
        if wall < GOAL_WALL { "met" } else { "NOT met" },
        if rss_mb < GOAL_RSS_MB { "met" } else { "NOT met" },
    );
    println!("load average after palisade: {}", load_average());

    if !full {
        loud("SKIPPED: validate_corpus: oracle timing runs only under `cargo bench`");
        return;
    }
    oracle(&shared, &root, work.path(), wall, cpu);
}

/// Times the oracle's semantic pass over the specs' queries, start-up included, and prints the
/// ratios to the median `palisade validate` run.
fn oracle(
    shared: &Path,
    root: &Path,
    work: &Path,
    palisade_wall: Duration,
    palisade_cpu: Duration,
) {
    let script = shared.join("tools/kql-oracle/parse.js");
    if !script.is_file() {
        loud(&format!("SKIPPED: validate_corpus: oracle: {} not found", script.display()));
        return;
    }
    let tables = shared.join("reference/tables");
    let schemas: Vec<PathBuf> = SCHEMA_FILES.iter().map(|name| tables.join(name)).collect();
    if let Some(missing) = schemas.iter().find(|path| !path.is_file()) {
        loud(&format!("SKIPPED: validate_corpus: oracle schema {} not found", missing.display()));
        return;
    }
    let queries = spec_queries(root);
    let ndjson = work.join("queries.ndjson");
    let mut writer = std::io::BufWriter::new(File::create(&ndjson).unwrap());
    let mut bytes = 0;
    for (id, query) in &queries {
        bytes += query.len();
        writeln!(writer, "{}", serde_json::json!({ "id": id, "query": query })).unwrap();
    }
    writer.flush().unwrap();
    drop(writer);
    println!(
        "oracle input: the queries of the {} specs that load, {bytes} bytes ({:.2} MB)",
        queries.len(),
        bytes as f64 / 1e6
    );

    let out_path = work.join("oracle.ndjson");
    let mut command = Command::new("node");
    command.arg(&script).arg("--ndjson");
    for schema in &schemas {
        command.arg("--schema").arg(schema);
    }
    let (cpu_before, _) = children_usage();
    let start = Instant::now();
    let result = command
        .stdin(File::open(&ndjson).unwrap())
        .stdout(File::create(&out_path).unwrap())
        .stderr(Stdio::piped())
        .output();
    let wall = start.elapsed();
    let (cpu_after, rss_kib) = children_usage();
    match result {
        Ok(output) if output.status.success() => {}
        Ok(output) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            loud(&format!(
                "SKIPPED: validate_corpus: oracle failed ({}): {} (run shared/tools/kql-oracle/install.sh)",
                output.status,
                stderr.lines().next().unwrap_or("")
            ));
            return;
        }
        Err(error) => {
            loud(&format!("SKIPPED: validate_corpus: oracle: cannot run node: {error}"));
            return;
        }
    }
    let mut n_answers = 0;
    let mut n_semantic = 0;
    for line in BufReader::new(File::open(&out_path).unwrap()).lines() {
        let Ok(answer) = serde_json::from_str::<serde_json::Value>(&line.unwrap()) else {
            continue;
        };
        n_answers += 1;
        if answer["semantic"].is_array() {
            n_semantic += 1;
        }
    }
    if n_answers != queries.len() {
        loud(&format!(
            "SKIPPED: validate_corpus: the oracle answered {n_answers} of {} queries",
            queries.len()
        ));
        return;
    }
    let cpu = cpu_after - cpu_before;
    println!(
        "oracle, one `node parse.js --ndjson --schema ...` process, semantic pass, start-up \
         included: {:.2} s wall, {:.2} s CPU, peak RSS {:.0} MB (the largest child so far); \
         {n_semantic} of {n_answers} answers carry a semantic pass",
        wall.as_secs_f64(),
        cpu.as_secs_f64(),
        rss_kib as f64 * 1024.0 / 1e6,
    );
    println!(
        "ratio oracle / palisade validate: {:.1}x by wall clock (median run), {:.1}x by CPU time",
        wall.as_secs_f64() / palisade_wall.as_secs_f64(),
        cpu.as_secs_f64() / palisade_cpu.as_secs_f64(),
    );
    println!("load average after the oracle: {}", load_average());
}
