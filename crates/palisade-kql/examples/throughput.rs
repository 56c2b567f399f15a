//! Parses every query of an NDJSON file (`{"query": "..."}` per line) several times and prints
//! single-threaded parse throughput. Usage: `throughput FILE [ROUNDS]`.

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: throughput FILE [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("cannot read {path}");
        std::process::exit(2);
    };
    let queries: Vec<String> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|value| value.get("query")?.as_str().map(str::to_owned))
        .collect();
    let bytes: usize = queries.iter().map(String::len).sum();

    let start = Instant::now();
    let mut errors = 0usize;
    for _ in 0..rounds {
        for query in &queries {
            errors += palisade_kql::parse(query).diagnostics().len();
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let total = (bytes * rounds) as f64;
    println!(
        "{} queries, {:.1} MB, {rounds} rounds: {:.1} MB/s, {:.0} queries/s ({errors} errors counted)",
        queries.len(),
        bytes as f64 / 1e6,
        total / seconds / 1e6,
        (queries.len() * rounds) as f64 / seconds
    );
}
