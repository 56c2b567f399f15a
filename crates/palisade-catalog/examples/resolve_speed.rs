//! Times `palisade_kql::parse` plus `palisade_kql::resolve` against the embedded catalog.
//!
//! Input: a JSON-lines file of `{"id", "query"}`, such as the `analytics-queries.jsonl` that
//! `cargo test -p palisade-kql --test resolve_conformance` writes to
//! `<target>/palisade-conformance/`.
//!
//! ```sh
//! cargo run --release -p palisade-catalog --example resolve_speed -- FILE [ROUNDS]
//! ```

use std::time::{Duration, Instant};

use palisade_catalog::Catalog;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: resolve_speed FILE [ROUNDS]")?;
    let rounds: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let text = std::fs::read_to_string(&path).map_err(|error| format!("{path}: {error}"))?;
    let queries: Vec<String> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|value| value.get("query")?.as_str().map(str::to_string))
        .collect();
    let bytes: usize = queries.iter().map(String::len).sum();

    let started = Instant::now();
    let catalog = Catalog::builtin();
    let load = started.elapsed();

    let parses: Vec<_> = queries.iter().map(|query| palisade_kql::parse(query)).collect();
    let mut best_parse = Duration::MAX;
    let mut best_resolve = Duration::MAX;
    let mut hard = 0usize;
    for _ in 0..rounds {
        let started = Instant::now();
        for query in &queries {
            std::hint::black_box(palisade_kql::parse(query));
        }
        best_parse = best_parse.min(started.elapsed());

        let started = Instant::now();
        hard = 0;
        for parse in &parses {
            let resolution = palisade_kql::resolve(parse, catalog);
            hard += usize::from(resolution.has_hard_column_errors());
            std::hint::black_box(resolution);
        }
        best_resolve = best_resolve.min(started.elapsed());
    }
    let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
    println!(
        "{} queries, {:.2} MB; catalog load {:.1} ms (once); best of {rounds}: parse {:.1} ms, \
         resolve {:.1} ms, parse+resolve {:.1} ms ({:.0} queries/s); {hard} with hard column findings",
        queries.len(),
        bytes as f64 / 1e6,
        ms(load),
        ms(best_parse),
        ms(best_resolve),
        ms(best_parse + best_resolve),
        queries.len() as f64 / (best_parse + best_resolve).as_secs_f64()
    );
    Ok(())
}
