//! Helpers shared by the integration tests: finding `../shared` and running the KQL oracle.

#![allow(dead_code, clippy::unwrap_used)]

pub mod seed;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// `$PALISADE_SHARED`, or `<repo>/../shared`, when it exists.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("PALISADE_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    dir.is_dir().then_some(dir)
}

/// Prints a loud skip line; tests call it and return when a prerequisite is missing.
pub fn skip(test: &str, why: &str) {
    eprintln!("SKIPPED {test}: {why}");
}

/// Table name to column names, merged from several schema files of the shared layout.
pub fn load_schemas(files: &[PathBuf]) -> BTreeMap<String, BTreeSet<String>> {
    let mut tables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        for (table, columns) in json["tables"].as_object().unwrap() {
            let entry = tables.entry(table.clone()).or_default();
            for column in columns.as_array().unwrap() {
                entry.insert(column["name"].as_str().unwrap().to_string());
            }
        }
    }
    tables
}

/// The result of parsing one query with Microsoft's parser.
pub struct OracleResult {
    /// The whole JSON answer.
    pub json: serde_json::Value,
}

impl OracleResult {
    /// Syntax and semantic diagnostics of error severity, as `code: message`.
    pub fn errors(&self) -> Vec<String> {
        let mut errors = Vec::new();
        for key in ["syntax", "semantic"] {
            if let Some(list) = self.json[key].as_array() {
                for diag in list {
                    if diag["severity"].as_str() == Some("Error") {
                        errors.push(format!("{}: {}", diag["code"], diag["message"]));
                    }
                }
            }
        }
        errors
    }

    /// The text of every string-literal token, decoded by the parser's own lexer output.
    pub fn string_tokens(&self) -> Vec<String> {
        self.json["tokens"]
            .as_array()
            .map(|tokens| {
                tokens
                    .iter()
                    .filter(|t| t["kind"].as_str().is_some_and(|k| k.contains("String")))
                    .map(|t| t["text"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Runs `parse.js` on each query with the given schema files; `None` when node or the oracle
/// cannot run here.
pub fn oracle(queries: &[String], schemas: &[PathBuf], tokens: bool) -> Option<Vec<OracleResult>> {
    let shared = shared_dir()?;
    let script = shared.join("tools/kql-oracle/parse.js");
    if !script.is_file() {
        return None;
    }

    let mut command = Command::new("node");
    command.arg(&script).arg("--ndjson");
    for schema in schemas {
        command.arg("--schema").arg(schema);
    }
    if tokens {
        command.arg("--tokens");
    }
    let mut child =
        command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().ok()?;
    {
        let mut stdin = child.stdin.take().unwrap();
        for query in queries {
            writeln!(stdin, "{}", serde_json::Value::String(query.clone())).unwrap();
        }
    }
    let output = child.wait_with_output().ok()?;
    if !output.status.success() {
        eprintln!("oracle failed: {}", String::from_utf8_lossy(&output.stderr));
        return None;
    }

    let results: Vec<OracleResult> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| OracleResult { json: serde_json::from_str(line).unwrap() })
        .collect();
    if results.len() != queries.len() {
        eprintln!("oracle answered {} of {} queries", results.len(), queries.len());
        return None;
    }
    Some(results)
}
