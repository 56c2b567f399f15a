//! The whole `palisade validate` run over the corpus's standalone queries, against the KQL
//! oracle's syntax-only pass over the same queries (issue 4's 100x goal).
//!
//! The queries are every `.kql`, `.kusto` and `.csl` file and every `.txt` file holding a `|`
//! under `shared/corpus`, except the Sigma rules, the ARM pairs and `_derived`, copied one query
//! per file into a temporary folder. The release binary then runs `palisade validate DIR
//! --format json` (process start, file reading, resolution, lints and writing the JSON
//! included) once to warm the page cache and `PALISADE_BENCH_ROUNDS` times (default 11); the
//! median, minimum and maximum wall clock, the CPU time and the peak RSS are printed. The oracle
//! (`node parse.js --ndjson`, one process, start-up included) reads the same queries once.
//!
//! `cargo bench -p palisade-cli --bench validate_kql` runs everything. Without `--bench` (as
//! `cargo test --benches` runs it) one round is timed and the oracle is left out. Skips loudly
//! when the shared corpus, node or the oracle package is missing.

#![allow(clippy::unwrap_used)]

mod support;
use support::{children_usage, load_average, median, run_palisade};

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DEFAULT_ROUNDS: usize = 11;

/// Top-level corpus folders left out: Sigma rules (not KQL), the ARM pairs (copies of
/// Azure-Sentinel rules) and the derived markdown blocks.
fn skipped_top_level(name: &str) -> bool {
    name.starts_with("SigmaHQ") || name.starts_with("arm-pairs") || name == "_derived"
}

fn loud(message: &str) {
    eprintln!("\n==================== {message} ====================\n");
}

fn shared_dir() -> PathBuf {
    match std::env::var_os("PALISADE_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

/// Every standalone query of the corpus as (path under the corpus, bytes), in path order.
fn standalone_queries(corpus: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut top: Vec<PathBuf> =
        fs::read_dir(corpus).unwrap().filter_map(|entry| Some(entry.ok()?.path())).collect();
    top.sort();
    for dir in top.iter().filter(|path| path.is_dir()) {
        let name = dir.file_name().and_then(|name| name.to_str()).unwrap_or_default();
        if skipped_top_level(name) {
            continue;
        }
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            let ext = path
                .extension()
                .and_then(|ext| ext.to_str())
                .map(str::to_ascii_lowercase)
                .unwrap_or_default();
            let is_query = matches!(ext.as_str(), "kql" | "kusto" | "csl");
            if !is_query && ext != "txt" {
                continue;
            }
            let Ok(bytes) = fs::read(path) else { continue };
            if is_query || bytes.contains(&b'|') {
                let relative = path.strip_prefix(corpus).unwrap_or(path);
                found.push((relative.to_string_lossy().into_owned(), bytes));
            }
        }
    }
    found
}

/// Files whose findings include a syntax error (`KQL0xx` at error level), from the JSON.
fn syntax_rejected(json: &Path) -> std::collections::BTreeSet<String> {
    let value: serde_json::Value = serde_json::from_reader(File::open(json).unwrap()).unwrap();
    value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|diag| {
            diag["severity"] == "error" && diag["code"].as_str().is_some_and(is_syntax_code)
        })
        .filter_map(|diag| diag["file"].as_str())
        .map(|file| file.rsplit('/').next().unwrap_or(file).to_owned())
        .collect()
}

fn is_syntax_code(code: &str) -> bool {
    code.strip_prefix("KQL").is_some_and(|digits| digits.starts_with('0'))
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
    let corpus = shared.join("corpus");
    if !corpus.is_dir() {
        loud(&format!(
            "SKIPPED: validate_kql: corpus {} not found (set PALISADE_SHARED)",
            corpus.display()
        ));
        return;
    }
    let binary = Path::new(env!("CARGO_BIN_EXE_palisade"));
    let queries = standalone_queries(&corpus);
    if queries.is_empty() {
        loud("SKIPPED: validate_kql: the corpus holds no standalone queries");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("queries");
    let empty = work.path().join("empty");
    fs::create_dir_all(&dir).unwrap();
    fs::create_dir_all(&empty).unwrap();
    let ndjson_path = work.path().join("queries.ndjson");
    let mut ndjson = std::io::BufWriter::new(File::create(&ndjson_path).unwrap());
    let mut bytes = 0;
    let width = queries.len().to_string().len().max(5);
    for (idx, (origin, text)) in queries.iter().enumerate() {
        let name = format!("{:0width$}.kql", idx + 1);
        fs::write(dir.join(&name), text).unwrap();
        bytes += text.len();
        let line = serde_json::json!({
            "id": name,
            "origin": origin,
            "query": String::from_utf8_lossy(text),
        });
        writeln!(ndjson, "{line}").unwrap();
    }
    ndjson.flush().unwrap();
    drop(ndjson);
    println!(
        "standalone queries: {} files, {bytes} bytes ({:.2} MB), in {}",
        queries.len(),
        bytes as f64 / 1e6,
        dir.display()
    );
    println!("binary: {}", binary.display());
    println!("load average before: {}", load_average());

    // The empty folder: process start, argument parsing and the walk of nothing.
    let empty_out = work.path().join("empty.json");
    let mut empty_walls: Vec<Duration> =
        (0..rounds.max(5)).map(|_| run_palisade(binary, &empty, &empty_out).0).collect();
    println!(
        "palisade validate EMPTY --format json, {} runs: median {:.1} ms",
        empty_walls.len(),
        median(&mut empty_walls).as_secs_f64() * 1e3
    );

    let out = work.path().join("palisade.json");
    let (_, _, code) = run_palisade(binary, &dir, &out);
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    for _ in 0..rounds {
        let (wall, cpu, round_code) = run_palisade(binary, &dir, &out);
        assert_eq!(round_code, code, "palisade's exit code changed between runs");
        walls.push(wall);
        cpus.push(cpu);
    }
    let (_, palisade_rss) = children_usage();
    let (min, max) = (*walls.iter().min().unwrap(), *walls.iter().max().unwrap());
    let wall_median = median(&mut walls);
    let cpu_median = median(&mut cpus);
    let output_bytes = fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    let rejected = syntax_rejected(&out);
    let value: serde_json::Value = serde_json::from_reader(File::open(&out).unwrap()).unwrap();
    let n_findings = value["diagnostics"].as_array().map_or(0, Vec::len);
    println!(
        "palisade validate DIR --format json, {rounds} runs: median {:.1} ms (min {:.1}, max \
         {:.1}), CPU time median {:.1} ms, peak RSS {:.1} MB, exit code {code}; {n_findings} \
         findings, {output_bytes} bytes of JSON; {} files with a syntax error",
        wall_median.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3,
        cpu_median.as_secs_f64() * 1e3,
        palisade_rss as f64 * 1024.0 / 1e6,
        rejected.len(),
    );
    println!(
        "palisade throughput by wall clock: {:.1} MB/s, {:.0} files/s",
        bytes as f64 / 1e6 / wall_median.as_secs_f64(),
        queries.len() as f64 / wall_median.as_secs_f64()
    );
    println!("load average after palisade: {}", load_average());

    if !full {
        loud("SKIPPED: validate_kql: oracle timing runs only under `cargo bench`");
        return;
    }
    oracle(&shared, work.path(), &ndjson_path, queries.len(), &rejected, wall_median, cpu_median);
}

/// Times the oracle over the NDJSON file, start-up included, and prints the ratios.
fn oracle(
    shared: &Path,
    work: &Path,
    ndjson: &Path,
    n_queries: usize,
    palisade_rejected: &std::collections::BTreeSet<String>,
    palisade_wall: Duration,
    palisade_cpu: Duration,
) {
    let script = shared.join("tools/kql-oracle/parse.js");
    if !script.is_file() {
        loud(&format!("SKIPPED: validate_kql: oracle: {} not found", script.display()));
        return;
    }
    let out_path = work.join("oracle.ndjson");
    let (cpu_before, _) = children_usage();
    let start = Instant::now();
    let status = Command::new("node")
        .arg(&script)
        .arg("--ndjson")
        .stdin(File::open(ndjson).unwrap())
        .stdout(File::create(&out_path).unwrap())
        .stderr(Stdio::piped())
        .output();
    let wall = start.elapsed();
    let (cpu_after, rss) = children_usage();
    let output = match status {
        Ok(output) if output.status.success() => output,
        Ok(output) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            loud(&format!(
                "SKIPPED: validate_kql: oracle failed ({}): {} (run shared/tools/kql-oracle/install.sh)",
                output.status,
                stderr.lines().next().unwrap_or("")
            ));
            return;
        }
        Err(error) => {
            loud(&format!("SKIPPED: validate_kql: oracle: cannot run node: {error}"));
            return;
        }
    };
    drop(output);
    let mut oracle_rejected = std::collections::BTreeSet::new();
    let mut n_answers = 0;
    for line in BufReader::new(File::open(&out_path).unwrap()).lines() {
        let line = line.unwrap();
        let Ok(answer) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        n_answers += 1;
        if answer["ok"] != true {
            if let Some(id) = answer["id"].as_str() {
                oracle_rejected.insert(id.to_owned());
            }
        }
    }
    if n_answers != n_queries {
        loud(&format!(
            "SKIPPED: validate_kql: the oracle answered {n_answers} of {n_queries} queries"
        ));
        return;
    }
    let agree = n_queries - oracle_rejected.symmetric_difference(palisade_rejected).count();
    let cpu = cpu_after - cpu_before;
    println!(
        "oracle, one `node parse.js --ndjson` process, syntax only, start-up included: {:.2} s \
         wall, {:.2} s CPU, peak RSS {:.0} MB (the largest child so far); rejects {} of \
         {n_queries}; syntax verdicts agree with palisade on {agree} of {n_queries}",
        wall.as_secs_f64(),
        cpu.as_secs_f64(),
        rss as f64 * 1024.0 / 1e6,
        oracle_rejected.len(),
    );
    println!(
        "ratio oracle / palisade validate: {:.1}x by wall clock (median run), {:.1}x by CPU time",
        wall.as_secs_f64() / palisade_wall.as_secs_f64(),
        cpu.as_secs_f64() / palisade_cpu.as_secs_f64(),
    );
    println!("load average after the oracle: {}", load_average());
}
