//! Criterion benchmarks of the parser over the whole shared corpus, single-threaded.
//!
//! `cargo bench -p palisade-kql --bench parse`; see docs/benchmarks.md for the figures.
//! Every query the conformance harness compares is parsed once per iteration; the throughput
//! is bytes of query text per second (criterion prints it as MiB/s or GiB/s).
//! Skips loudly when the shared corpus is missing.

#![allow(clippy::unwrap_used)]

// The conformance harness's corpus reader and oracle client, shared rather than copied; its own
// unit tests are compiled here without a test harness, hence the allow.
#[allow(unused_imports)]
#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn corpus_queries() -> Option<Vec<(String, String)>> {
    let dir = support::shared_dir().join("corpus");
    if !dir.is_dir() {
        support::loud(&format!(
            "SKIPPED: parse benchmark: corpus {} not found (set PALISADE_SHARED)",
            dir.display()
        ));
        return None;
    }
    let corpus = support::corpus::load(&dir);
    Some(corpus.queries.into_iter().map(|query| (query.source, query.text)).collect())
}

fn parse_all(queries: &[&str]) -> usize {
    let mut errors = 0;
    for query in queries {
        errors += black_box(palisade_kql::parse(black_box(query))).diagnostics().len();
    }
    errors
}

fn tokenize_all(queries: &[&str]) -> usize {
    let mut tokens = 0;
    let mut errors = Vec::new();
    for query in queries {
        errors.clear();
        tokens += black_box(palisade_kql::tokenize(black_box(query), &mut errors)).len();
    }
    tokens
}

fn benches(c: &mut Criterion) {
    let Some(queries) = corpus_queries() else { return };
    let all: Vec<&str> = queries.iter().map(|(_, text)| text.as_str()).collect();
    let analytics: Vec<&str> = queries
        .iter()
        .filter(|(source, _)| source == "azure-sentinel:analytics")
        .map(|(_, text)| text.as_str())
        .collect();
    let bytes = |set: &[&str]| set.iter().map(|text| text.len() as u64).sum::<u64>();
    support::loud(&format!(
        "corpus: {} queries, {} bytes; analytics rules: {} queries, {} bytes",
        all.len(),
        bytes(&all),
        analytics.len(),
        bytes(&analytics)
    ));

    let mut group = c.benchmark_group("corpus");
    group.sample_size(20).measurement_time(Duration::from_secs(15));
    group.throughput(Throughput::Bytes(bytes(&all)));
    group.bench_function("parse", |b| b.iter(|| parse_all(&all)));
    group.bench_function("tokenize", |b| b.iter(|| tokenize_all(&all)));
    group.finish();

    let mut group = c.benchmark_group("analytics_rules");
    group.sample_size(20).measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(analytics.len() as u64));
    group.bench_function("parse", |b| b.iter(|| parse_all(&analytics)));
    group.finish();
}

criterion_group!(parse, benches);
criterion_main!(parse);
