//! The oracle's semantic pass: `node parse.js --ndjson --schema ...` with every table file of
//! `shared/reference/tables` loaded, in the order the oracle merges them.
//!
//! Answers are cached in `<target>/palisade-conformance/resolve-oracle-cache.jsonl`, keyed by
//! a hash of the query text and the schema files, because the semantic pass takes a minute.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::support::stable_hash;

/// The schema files, in merge order, relative to `shared/reference/tables`.
pub const SCHEMA_FILES: &[&str] = &[
    "azure_monitor_tables.json",
    "sentinel_overlay.json",
    "sentinel_customtables.json",
    "sentinel_functions.json",
    "sentinel_asim_functions.json",
];

/// How long one answer may take.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(120);

/// One semantic diagnostic of the oracle.
#[derive(Debug, Clone)]
pub struct SemanticDiag {
    pub code: String,
    pub message: String,
    pub start_byte: u64,
}

/// The oracle's answer for one query.
#[derive(Debug, Clone)]
pub struct SemanticAnswer {
    /// Syntax diagnostics were reported (the semantic list is then not comparable).
    pub syntax_errors: usize,
    pub semantic: Vec<SemanticDiag>,
}

/// The schema file paths, or the first one missing.
///
/// # Errors
///
/// Returns the path of a missing file.
pub fn schema_paths(shared: &Path) -> Result<Vec<PathBuf>, PathBuf> {
    let dir = shared.join("reference/tables");
    SCHEMA_FILES
        .iter()
        .map(|name| {
            let path = dir.join(name);
            if path.is_file() { Ok(path) } else { Err(path) }
        })
        .collect()
}

fn cache_key(schema_hash: u64, query: &str) -> String {
    format!("{:016x}{:016x}", schema_hash, stable_hash(query))
}

/// Answers for every `(id, query)`, from the cache where possible and the oracle otherwise.
///
/// # Errors
///
/// Returns a message when the oracle cannot be started, dies, hangs or answers out of turn.
pub fn answers(
    script: &Path,
    schemas: &[PathBuf],
    queries: &[(String, String)],
    cache_path: &Path,
) -> Result<Vec<SemanticAnswer>, String> {
    let mut schema_text = String::new();
    for path in schemas {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        schema_text.push_str(&text);
    }
    let schema_hash = stable_hash(&schema_text);

    let mut cache: HashMap<String, serde_json::Value> = HashMap::new();
    if let Ok(text) = std::fs::read_to_string(cache_path) {
        for line in text.lines() {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else { continue };
            if let Some(key) = value.get("key").and_then(serde_json::Value::as_str) {
                cache.insert(key.to_string(), value);
            }
        }
    }

    let missing: Vec<usize> = (0..queries.len())
        .filter(|&idx| !cache.contains_key(&cache_key(schema_hash, &queries[idx].1)))
        .collect();
    if !missing.is_empty() {
        let asked: Vec<(String, String)> =
            missing.iter().map(|&idx| queries[idx].clone()).collect();
        let fresh = ask_oracle(script, schemas, &asked)?;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(cache_path)
            .map_err(|error| format!("cannot write {}: {error}", cache_path.display()))?;
        for ((_, query), mut answer) in asked.iter().zip(fresh) {
            let key = cache_key(schema_hash, query);
            answer["key"] = serde_json::Value::String(key.clone());
            let _ = writeln!(file, "{answer}");
            cache.insert(key, answer);
        }
    }

    queries
        .iter()
        .map(|(id, query)| {
            let value = cache
                .get(&cache_key(schema_hash, query))
                .ok_or_else(|| format!("no oracle answer for `{id}`"))?;
            read_answer(value).map_err(|why| format!("oracle answer for `{id}`: {why}"))
        })
        .collect()
}

fn ask_oracle(
    script: &Path,
    schemas: &[PathBuf],
    queries: &[(String, String)],
) -> Result<Vec<serde_json::Value>, String> {
    let mut command = Command::new("node");
    command.arg(script).arg("--ndjson");
    for schema in schemas {
        command.arg("--schema").arg(schema);
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| format!("cannot start the oracle: {error}"))?;
    let mut stdin = child.stdin.take().ok_or("oracle stdin was not piped")?;
    let stdout = child.stdout.take().ok_or("oracle stdout was not piped")?;
    let lines: Vec<String> = queries
        .iter()
        .map(|(id, query)| serde_json::json!({ "id": id, "query": query }).to_string())
        .collect();
    thread::spawn(move || {
        for line in lines {
            if stdin.write_all(line.as_bytes()).is_err() || stdin.write_all(b"\n").is_err() {
                return;
            }
        }
        let _ = stdin.flush();
    });
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let failed = line.is_err();
            if tx.send(line).is_err() || failed {
                break;
            }
        }
    });

    let mut out = Vec::with_capacity(queries.len());
    for (idx, (id, _)) in queries.iter().enumerate() {
        let line = match rx.recv_timeout(ANSWER_TIMEOUT) {
            Ok(Ok(line)) => line,
            Ok(Err(error)) => return Err(fail(&mut child, idx, id, &error.to_string())),
            Err(_) => return Err(fail(&mut child, idx, id, "no answer (died or hung)")),
        };
        let value: serde_json::Value = serde_json::from_str(&line)
            .map_err(|error| fail(&mut child, idx, id, &format!("unreadable answer: {error}")))?;
        if value.get("id").and_then(serde_json::Value::as_str) != Some(id.as_str()) {
            return Err(fail(&mut child, idx, id, "answer out of turn"));
        }
        out.push(value);
    }
    let _ = child.kill();
    let _ = child.wait();
    Ok(out)
}

fn fail(child: &mut std::process::Child, idx: usize, id: &str, why: &str) -> String {
    let _ = child.kill();
    let _ = child.wait();
    format!("semantic oracle failed at query {} (`{id}`): {why}", idx + 1)
}

fn read_answer(value: &serde_json::Value) -> Result<SemanticAnswer, String> {
    if let Some(error) = value.get("error") {
        return Err(format!("the oracle reported an error: {error}"));
    }
    let syntax = value
        .get("syntax")
        .and_then(serde_json::Value::as_array)
        .ok_or("answer has no `syntax` list")?;
    let semantic = value
        .get("semantic")
        .and_then(serde_json::Value::as_array)
        .map(|list| {
            list.iter()
                .map(|diag| SemanticDiag {
                    code: text(diag, "code"),
                    message: text(diag, "message"),
                    start_byte: diag
                        .get("startByte")
                        .and_then(serde_json::Value::as_u64)
                        .unwrap_or(0),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(SemanticAnswer { syntax_errors: syntax.len(), semantic })
}

fn text(diag: &serde_json::Value, name: &str) -> String {
    diag.get(name).and_then(serde_json::Value::as_str).unwrap_or_default().to_string()
}
