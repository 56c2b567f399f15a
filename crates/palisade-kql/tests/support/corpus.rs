//! Extracts every KQL query from `shared/corpus`, each with a source label and a stable id.
//!
//! What counts as a query is described in `corpus/MANIFEST.md`: the `query` field of rule-shaped
//! YAML (plus `Query` in the PascalCase dialect and `ParserQuery`/`FunctionQuery` of parser
//! YAML), every standalone `.kql`/`.kusto`/`.csl` file, every `.txt` file (the corpus keeps only
//! KQL-looking ones), the `query` strings of ARM templates and rule exports (`.json`), and the
//! blocks pulled out of markdown into `_derived/`.

use std::fs;
use std::path::{Path, PathBuf};

use super::yaml;

/// Top-level corpus directories that hold no queries of their own: Sigma rules, duplicated
/// ARM pairs, schema CSVs, and the derived markdown blocks, which are read from their JSONL.
const SKIPPED_DIRS: &[&str] =
    &["SigmaHQ__sigma", "arm-pairs", "arm-pairs-bulk", "_derived", "oshezaf__sentinelninja"];

/// The YAML keys whose string values are queries.
const QUERY_KEYS: &[&str] = &["query", "Query", "ParserQuery", "FunctionQuery"];

/// Top-level keys that mark an Azure-Sentinel YAML as an analytics rule wherever it sits, as
/// the corpus manifest counts them: a few solutions keep rules in their `Hunting Queries`.
const ANALYTICS_MARKERS: &[&str] = &["triggerOperator", "kind"];

/// Extensions of standalone query files.
const QUERY_EXTENSIONS: &[&str] = &["kql", "kusto", "csl", "txt"];

/// The one Azure-Sentinel copy in the corpus, split into finer sources.
const AZURE_SENTINEL: &str = "cloudflare__Azure-Sentinel";

/// Folders of Azure-Sentinel that hold analytics rules (the spelling varies per solution).
const ANALYTICS_DIRS: &[&str] =
    &["Detections", "Analytic Rules", "Analytics Rules", "Analytical Rules", "Detection Queries"];

/// The markdown blocks file, relative to the corpus directory.
pub const MARKDOWN_BLOCKS: &str = "_derived/kql-blocks-from-markdown.jsonl";

/// One query of the corpus.
#[derive(Debug, Clone)]
pub struct Query {
    /// Stable id: the path under the corpus directory, plus `#<key><n>` for YAML fields or
    /// `#<block>` for markdown blocks.
    pub id: String,
    /// Source label such as `azure-sentinel:analytics`, `reprise99:files` or
    /// `alexverboon/MDATP:markdown`.
    pub source: String,
    pub text: String,
}

/// The whole extraction, with what could not be read.
#[derive(Debug, Default)]
pub struct Corpus {
    pub queries: Vec<Query>,
    /// One line per file or record that could not be read, with the reason.
    pub problems: Vec<String>,
    /// Queries that were empty or whitespace only, and so not compared.
    pub n_blank: usize,
    /// Records read from the markdown blocks file, blank or not.
    pub n_markdown_records: usize,
}

/// Reads every query under `corpus_dir`.
pub fn load(corpus_dir: &Path) -> Corpus {
    let mut corpus = Corpus::default();
    let mut files = Vec::new();
    let Ok(entries) = fs::read_dir(corpus_dir) else {
        corpus.problems.push(format!("cannot list {}", corpus_dir.display()));
        return corpus;
    };
    let mut top: Vec<PathBuf> = entries.filter_map(|entry| Some(entry.ok()?.path())).collect();
    top.sort();
    for dir in top.iter().filter(|path| path.is_dir()) {
        let name = dir.file_name().and_then(|name| name.to_str()).unwrap_or_default();
        if !SKIPPED_DIRS.contains(&name) {
            collect_files(dir, &mut files);
        }
    }

    let names = RepoNames::new(&top);
    for path in &files {
        let Ok(relative) = path.strip_prefix(corpus_dir) else { continue };
        let relative = relative.to_string_lossy().replace('\\', "/");
        read_query_file(path, &relative, &names, &mut corpus);
    }
    read_markdown_blocks(&corpus_dir.join(MARKDOWN_BLOCKS), &names, &mut corpus);
    corpus
}

/// Short names for source labels: the repository owner, or `owner/repo` when the corpus holds
/// several repositories of one owner.
struct RepoNames {
    shared_owners: Vec<String>,
}

impl RepoNames {
    fn new(top: &[PathBuf]) -> RepoNames {
        let mut owners: Vec<String> = top
            .iter()
            .filter_map(|path| {
                path.file_name()?.to_str()?.split_once("__").map(|(owner, _)| owner.to_string())
            })
            .collect();
        owners.sort();
        let shared_owners = owners
            .windows(2)
            .filter(|pair| pair[0] == pair[1])
            .map(|pair| pair[0].clone())
            .collect();
        RepoNames { shared_owners }
    }

    fn short(&self, repo_dir: &str) -> String {
        if repo_dir == AZURE_SENTINEL {
            return "azure-sentinel".to_string();
        }
        match repo_dir.split_once("__") {
            Some((owner, repo)) if self.shared_owners.iter().any(|shared| shared == owner) => {
                format!("{owner}/{repo}")
            }
            Some((owner, _)) => owner.to_string(),
            None => repo_dir.to_string(),
        }
    }
}

/// Lists files below `dir` recursively, sorted so that ids come out in a stable order.
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(|entry| Some(entry.ok()?.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn read_query_file(path: &Path, relative: &str, names: &RepoNames, corpus: &mut Corpus) {
    let extension = path.extension().and_then(|ext| ext.to_str()).unwrap_or_default();
    let extension = extension.to_ascii_lowercase();
    let is_yaml = extension == "yaml" || extension == "yml";
    let is_json = extension == "json";
    if !is_yaml && !is_json && !QUERY_EXTENSIONS.contains(&extension.as_str()) {
        return;
    }

    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            corpus.problems.push(format!("{relative}: cannot read: {error}"));
            return;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let repo = relative.split('/').next().unwrap_or_default();

    if is_json {
        read_arm_queries(text, relative, &source_label(names, repo, relative, "arm"), corpus);
        return;
    }
    if !is_yaml {
        let source = source_label(names, repo, relative, "files");
        push_query(corpus, relative.to_string(), source, text.to_string());
        return;
    }

    let wanted: Vec<&str> = QUERY_KEYS.iter().chain(ANALYTICS_MARKERS).copied().collect();
    let fields = match yaml::top_level_strings(text, &wanted) {
        Ok(fields) => fields,
        Err(error) => {
            corpus.problems.push(format!("{relative}: not valid YAML: {error}"));
            return;
        }
    };
    let is_analytics_rule = fields.iter().any(|field| {
        field.key == "triggerOperator"
            || (field.key == "kind" && matches!(field.value.as_str(), "Scheduled" | "NRT"))
    });
    let kind = if is_analytics_rule { "analytics-rule" } else { "yaml" };
    let queries: Vec<yaml::Field> =
        fields.into_iter().filter(|field| QUERY_KEYS.contains(&field.key.as_str())).collect();
    let several = queries.len() > 1;
    for field in queries {
        let id = if several {
            format!("{relative}#{}{}", field.key, field.document)
        } else {
            relative.to_string()
        };
        let source = source_label(names, repo, relative, kind);
        push_query(corpus, id, source, field.value);
    }
}

/// Reads the `query` (or `Query`) strings anywhere in an ARM template or rule export, with
/// their JSON pointer in the id; ARM expressions such as `[parameters('query')]` are skipped.
fn read_arm_queries(text: &str, relative: &str, source: &str, corpus: &mut Corpus) {
    let json: serde_json::Value = match serde_json::from_str(text) {
        Ok(json) => json,
        Err(error) => {
            corpus.problems.push(format!("{relative}: not valid JSON: {error}"));
            return;
        }
    };
    let mut found = Vec::new();
    collect_json_queries(&json, String::new(), &mut found);
    for (pointer, query) in found {
        if query.trim_start().starts_with('[') {
            continue;
        }
        push_query(corpus, format!("{relative}#{pointer}"), source.to_string(), query);
    }
}

fn collect_json_queries(
    value: &serde_json::Value,
    pointer: String,
    out: &mut Vec<(String, String)>,
) {
    match value {
        serde_json::Value::Object(object) => {
            for (key, child) in object {
                let child_pointer = format!("{pointer}/{key}");
                match child {
                    serde_json::Value::String(text) if key == "query" || key == "Query" => {
                        out.push((child_pointer, text.clone()));
                    }
                    _ => collect_json_queries(child, child_pointer, out),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (idx, child) in items.iter().enumerate() {
                collect_json_queries(child, format!("{pointer}/{idx}"), out);
            }
        }
        _ => {}
    }
}

fn read_markdown_blocks(path: &Path, names: &RepoNames, corpus: &mut Corpus) {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            corpus.problems.push(format!("{}: cannot read: {error}", path.display()));
            return;
        }
    };
    for (line_idx, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record: serde_json::Value = match serde_json::from_str(line) {
            Ok(record) => record,
            Err(error) => {
                corpus.problems.push(format!("{MARKDOWN_BLOCKS}:{}: {error}", line_idx + 1));
                continue;
            }
        };
        let field = |name: &str| record.get(name).and_then(serde_json::Value::as_str);
        let (Some(source), Some(block_path), Some(query)) =
            (field("source"), field("path"), field("query"))
        else {
            corpus
                .problems
                .push(format!("{MARKDOWN_BLOCKS}:{}: missing source, path or query", line_idx + 1));
            continue;
        };
        let block = record.get("block").and_then(serde_json::Value::as_u64).unwrap_or(0);
        let id = format!("{source}/{block_path}#{block}");
        corpus.n_markdown_records += 1;
        push_query(corpus, id, format!("{}:markdown", names.short(source)), query.to_string());
    }
}

fn push_query(corpus: &mut Corpus, id: String, source: String, text: String) {
    if text.trim().is_empty() {
        corpus.n_blank += 1;
        return;
    }
    corpus.queries.push(Query { id, source, text });
}

/// Names the source of a file: `<short repo name>:<kind>`, where Azure-Sentinel is split by
/// content instead.
fn source_label(names: &RepoNames, repo: &str, relative: &str, kind: &str) -> String {
    if repo != AZURE_SENTINEL {
        let kind = if kind == "analytics-rule" { "yaml" } else { kind };
        return format!("{}:{kind}", names.short(repo));
    }
    let dirs: Vec<&str> = relative.split('/').collect();
    let dirs = &dirs[..dirs.len().saturating_sub(1)];
    let has = |name: &str| dirs.iter().any(|dir| dir.eq_ignore_ascii_case(name));
    let part = if kind == "arm" {
        "arm"
    } else if kind == "analytics-rule" {
        "analytics"
    } else if has("Parsers") {
        "parsers"
    } else if has("Hunting Queries") {
        "hunting"
    } else if has("Exploration Queries") {
        "exploration"
    } else if ANALYTICS_DIRS.iter().any(|name| has(name)) {
        "analytics"
    } else {
        "other"
    };
    format!("{}:{part}", names.short(repo))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_azure_sentinel_by_folder() {
        let top = [PathBuf::from("a__x"), PathBuf::from("a__y"), PathBuf::from("b__z")];
        let names = RepoNames::new(&top);
        let label = |path: &str| source_label(&names, AZURE_SENTINEL, path, "yaml");
        assert_eq!(
            label("cloudflare__Azure-Sentinel/Solutions/X/Analytic Rules/a.yaml"),
            "azure-sentinel:analytics"
        );
        assert_eq!(
            label("cloudflare__Azure-Sentinel/Hunting Queries/a.yaml"),
            "azure-sentinel:hunting"
        );
        assert_eq!(
            source_label(&names, AZURE_SENTINEL, "x/Hunting Queries/a.yaml", "analytics-rule"),
            "azure-sentinel:analytics"
        );
        assert_eq!(
            label("cloudflare__Azure-Sentinel/Solutions/X/Parsers/p.txt"),
            "azure-sentinel:parsers"
        );
        assert_eq!(source_label(&names, "a__x", "a__x/q.kql", "files"), "a/x:files");
        assert_eq!(source_label(&names, "b__z", "b__z/q.kql", "files"), "b:files");
    }
}
