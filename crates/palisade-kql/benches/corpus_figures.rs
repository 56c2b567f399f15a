//! Whole-corpus figures that criterion does not give: median MB/s and queries/s over several
//! rounds, allocations per query (a counting global allocator), peak memory (VmHWM), and the
//! same queries through the KQL oracle (`node parse.js --ndjson`, syntax only) for the ratio.
//!
//! `cargo bench -p palisade-kql --bench corpus_figures` runs everything; the number of timed
//! rounds is `PALISADE_BENCH_ROUNDS` (default 11). Without `--bench` (as `cargo test --benches`
//! runs it) one round is timed and the oracle is left out. Skips loudly when the shared corpus,
//! node or the oracle package is missing.

#![allow(clippy::unwrap_used)]

// The conformance harness's corpus reader and oracle client, shared rather than copied; its own
// unit tests are compiled here without a test harness, hence the allow.
#[allow(unused_imports)]
#[path = "../tests/support/mod.rs"]
mod support;

use std::alloc::System;
use std::time::{Duration, Instant};

use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const DEFAULT_ROUNDS: usize = 11;

fn main() {
    let full = std::env::args().any(|arg| arg == "--bench");
    let rounds = if full {
        std::env::var("PALISADE_BENCH_ROUNDS")
            .ok()
            .and_then(|rounds| rounds.parse().ok())
            .filter(|&rounds| rounds > 0)
            .unwrap_or(DEFAULT_ROUNDS)
    } else {
        1
    };

    let shared = support::shared_dir();
    let dir = shared.join("corpus");
    if !dir.is_dir() {
        support::loud(&format!(
            "SKIPPED: corpus figures: corpus {} not found (set PALISADE_SHARED)",
            dir.display()
        ));
        return;
    }
    let rss_before_load = memory_kib("VmRSS");
    let corpus = support::corpus::load(&dir);
    let queries: Vec<(String, String)> =
        corpus.queries.into_iter().map(|query| (query.id, query.text)).collect();
    let texts: Vec<&str> = queries.iter().map(|(_, text)| text.as_str()).collect();
    let bytes: usize = texts.iter().map(|text| text.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!("corpus: {} queries, {bytes} bytes ({mb:.2} MB)", texts.len());
    if texts.is_empty() {
        support::loud("SKIPPED: corpus figures: the corpus holds no queries");
        return;
    }

    // Throughput: one warm-up round, then `rounds` timed rounds; the median is reported.
    let mut errors = parse_all(&texts);
    let mut seconds = Vec::with_capacity(rounds);
    let mut cpu_seconds = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let cpu_start = thread_cpu();
        let start = Instant::now();
        errors = parse_all(&texts);
        seconds.push(start.elapsed().as_secs_f64());
        if let (Some(before), Some(after)) = (cpu_start, thread_cpu()) {
            cpu_seconds.push((after - before).as_secs_f64());
        }
    }
    let median = median_of(&mut seconds);
    let (fastest, slowest) = (seconds[0], seconds[seconds.len() - 1]);
    println!(
        "parse, single thread, {rounds} rounds, wall clock: median {:.1} ms = {:.1} MB/s, {:.0} \
         queries/s (fastest {:.1} MB/s, slowest {:.1} MB/s); {errors} syntax errors in the corpus",
        median * 1e3,
        mb / median,
        texts.len() as f64 / median,
        mb / fastest,
        mb / slowest,
    );
    // On a shared machine the thread may wait for a core; its own CPU time leaves that out.
    let cpu_median = if cpu_seconds.len() == rounds {
        let cpu_median = median_of(&mut cpu_seconds);
        println!(
            "parse, single thread, {rounds} rounds, thread CPU time: median {:.1} ms = {:.1} MB/s, \
             {:.0} queries/s; the thread ran {:.0}% of the wall-clock time",
            cpu_median * 1e3,
            mb / cpu_median,
            texts.len() as f64 / cpu_median,
            100.0 * cpu_median / median,
        );
        Some(cpu_median)
    } else {
        support::loud("thread CPU time unavailable (/proc/thread-self/schedstat): wall clock only");
        None
    };

    allocation_figures(&texts);
    memory_figures(&texts, rss_before_load);

    if !full {
        support::loud("SKIPPED: corpus figures: oracle timing runs only under `cargo bench`");
        return;
    }
    oracle_figures(&shared, &queries, &texts, median, cpu_median);
}

/// Sorts `values` and returns the middle one.
fn median_of(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The calling thread's time on a CPU so far (first field of its schedstat, in nanoseconds).
fn thread_cpu() -> Option<Duration> {
    schedstat_ns("/proc/thread-self/schedstat").map(Duration::from_nanos)
}

fn schedstat_ns(path: &str) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.split_whitespace().next()?.parse().ok()
}

/// CPU time used so far by the direct children of this process, all their threads included.
fn children_cpu() -> Option<Duration> {
    let mut total = 0u64;
    let mut any = false;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let children = std::fs::read_to_string(task.ok()?.path().join("children")).ok()?;
        for pid in children.split_whitespace() {
            for thread in std::fs::read_dir(format!("/proc/{pid}/task")).ok()? {
                let path = thread.ok()?.path().join("schedstat");
                total += schedstat_ns(path.to_str()?)?;
                any = true;
            }
        }
    }
    any.then(|| Duration::from_nanos(total))
}

fn parse_all(texts: &[&str]) -> usize {
    texts
        .iter()
        .map(|text| std::hint::black_box(palisade_kql::parse(text)).diagnostics().len())
        .sum()
}

/// Allocations (including reallocations) and bytes allocated by one `parse`, result dropped.
fn allocation_figures(texts: &[&str]) {
    let mut counts = Vec::with_capacity(texts.len());
    let mut total_bytes = 0usize;
    for text in texts {
        let region = Region::new(GLOBAL);
        drop(std::hint::black_box(palisade_kql::parse(text)));
        let change = region.change();
        counts.push(change.allocations + change.reallocations);
        total_bytes += change.bytes_allocated + change.bytes_reallocated.max(0) as usize;
    }
    let total: usize = counts.iter().sum();
    let text_bytes: usize = texts.iter().map(|text| text.len()).sum();
    counts.sort_unstable();
    let at = |fraction: f64| counts[((counts.len() - 1) as f64 * fraction) as usize];
    println!(
        "allocations per query: mean {:.1}, median {}, p99 {}, max {} ({} in all, {:.2} per KB \
         of query text); bytes allocated per query: mean {:.0} ({:.1} per byte of query text)",
        total as f64 / counts.len() as f64,
        at(0.5),
        at(0.99),
        at(1.0),
        total,
        total as f64 / (text_bytes as f64 / 1024.0),
        total_bytes as f64 / counts.len() as f64,
        total_bytes as f64 / text_bytes as f64,
    );
}

/// Peak resident memory: the corpus loaded, parsing one query at a time, and keeping every tree.
fn memory_figures(texts: &[&str], rss_before_load: Option<u64>) {
    let show = |value: Option<u64>| match value {
        Some(kib) => format!("{:.1} MiB", kib as f64 / 1024.0),
        None => "unknown".to_string(),
    };
    let loaded = memory_kib("VmRSS");
    let reset = reset_peak();
    parse_all(texts);
    let streaming_peak = memory_kib("VmHWM");
    let kept: Vec<palisade_kql::Parse> =
        texts.iter().map(|text| palisade_kql::parse(text)).collect();
    let kept_peak = memory_kib("VmHWM");
    let n_elements: usize = kept.iter().map(|parse| parse.root().descendants().count() + 1).sum();
    drop(kept);
    let note = if reset { "" } else { " (peak could not be reset: includes loading)" };
    println!(
        "memory (RSS): {} before loading the corpus, {} with it loaded; peak parsing one query at \
         a time {}; peak keeping all {} trees ({n_elements} nodes) {}{note}",
        show(rss_before_load),
        show(loaded),
        show(streaming_peak),
        texts.len(),
        show(kept_peak),
    );
}

/// A line such as `VmHWM:   1234 kB` of /proc/self/status, in KiB.
fn memory_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets VmHWM to the current RSS (Linux `clear_refs` value 5).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn oracle_figures(
    shared: &std::path::Path,
    queries: &[(String, String)],
    texts: &[&str],
    palisade_median: f64,
    palisade_cpu_median: Option<f64>,
) {
    let script = match support::oracle::check_available(shared) {
        Ok(script) => script,
        Err(why) => {
            support::loud(&format!("SKIPPED: oracle timing: {why}"));
            return;
        }
    };
    let start = Instant::now();
    let mut oracle = match support::oracle::Oracle::start(&script) {
        Ok(oracle) => oracle,
        Err(why) => {
            support::loud(&format!("SKIPPED: oracle timing: {why}"));
            return;
        }
    };
    // The first answer includes starting node and loading Kusto.Language.
    let warm_up = [("warm-up".to_string(), "print 1".to_string())];
    if let Err(why) = oracle.verdicts(&warm_up) {
        support::loud(&format!("SKIPPED: oracle timing: {why}"));
        return;
    }
    let startup = start.elapsed();
    let corpus_start = Instant::now();
    let verdicts = match oracle.verdicts(queries) {
        Ok(verdicts) => verdicts,
        Err(why) => {
            support::loud(&format!("SKIPPED: oracle timing: {why}"));
            return;
        }
    };
    let corpus_time = corpus_start.elapsed();
    let total = startup + corpus_time;
    let cpu_total = children_cpu();
    drop(oracle);

    let mb = texts.iter().map(|text| text.len()).sum::<usize>() as f64 / 1e6;
    let both_accept = texts
        .iter()
        .zip(&verdicts)
        .filter(|(text, verdict)| verdict.accepts && !palisade_kql::parse(text).has_errors())
        .count();
    let ratio = |oracle: Duration| oracle.as_secs_f64() / palisade_median;
    println!(
        "oracle (node parse.js --ndjson, syntax only), one run: start-up {:.2} s; corpus {:.2} s \
         = {:.2} MB/s, {:.0} queries/s; with start-up {:.2} s; {} of {} accepted by the oracle \
         ({both_accept} by both)",
        startup.as_secs_f64(),
        corpus_time.as_secs_f64(),
        mb / corpus_time.as_secs_f64(),
        texts.len() as f64 / corpus_time.as_secs_f64(),
        total.as_secs_f64(),
        verdicts.iter().filter(|verdict| verdict.accepts).count(),
        verdicts.len(),
    );
    println!(
        "ratio oracle / palisade parse, wall clock (median round): {:.0}x without the oracle's \
         start-up, {:.0}x with it",
        ratio(corpus_time),
        ratio(total),
    );
    if let (Some(cpu), Some(palisade_cpu)) = (cpu_total, palisade_cpu_median) {
        println!(
            "oracle CPU time, all node threads, start-up included: {:.2} s; ratio to palisade's \
             median thread CPU time {:.0}x",
            cpu.as_secs_f64(),
            cpu.as_secs_f64() / palisade_cpu,
        );
    }
}
