//! Reads NDJSON lines `{"id": ..., "query": "..."}` on stdin and prints one line per query:
//! `{"id": ..., "ok": bool, "errors": [[code, message, start], ...]}`.
//!
//! Used to compare Palisade's syntax verdicts with the oracle's over a corpus.

use std::io::{BufRead, Write};

fn main() {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        let query = value.get("query").and_then(|q| q.as_str()).unwrap_or("");
        let parse = palisade_kql::parse(query);
        let errors: Vec<serde_json::Value> = parse
            .diagnostics()
            .iter()
            .map(|e| serde_json::json!([e.code, e.message, e.range.start]))
            .collect();
        let result = serde_json::json!({
            "id": value.get("id").cloned().unwrap_or_default(),
            "ok": !parse.has_errors(),
            "errors": errors,
        });
        let _ = writeln!(out, "{result}");
    }
}
