//! SARIF 2.1.0 for code-scanning services: one run, with the tool's rules and one result per
//! diagnostic.
//!
//! The caller passes the rules (Palisade passes its code registry), so that each result's
//! `ruleId` points into `tool.driver.rules` with a summary, the full docs and, when the
//! caller has an absolute URL for the page, a `helpUri`.
//! Codes without a passed rule get a rule with only their id, so every `ruleIndex` is valid.
//! Columns count Unicode scalar values (`columnKind: unicodeCodePoints`); end positions are just
//! past the span. Artifact URIs are the file paths, percent-encoded, relative to the repository
//! root (`uriBaseId` `SRCROOT`), which `run.originalUriBaseIds` defines: as the absolute
//! `file:` URI the caller passes in [`Tool::source_root`], or, without one, by a description
//! only, which SARIF reads as "the consumer knows the root" (code-scanning services use the
//! checkout).

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::{ordered, resolve};
use crate::{Diagnostic, Severity, SourceFiles, Span};

/// The SARIF version written.
pub const SARIF_VERSION: &str = "2.1.0";

/// The schema URI written in `$schema`.
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The tool that produced the run.
#[derive(Clone, Debug)]
pub struct Tool<'a> {
    /// `palisade`.
    pub name: &'a str,
    /// The tool's version.
    pub version: &'a str,
    /// An absolute URI about the tool, if any.
    pub information_uri: Option<&'a str>,
    /// The absolute URI of the repository root that paths are relative to, ending in `/`
    /// (see [`folder_uri`]); `None` leaves it to the consumer.
    pub source_root: Option<&'a str>,
}

/// The base id every artifact location is relative to.
pub const SOURCE_ROOT_ID: &str = "SRCROOT";

/// A `file:` URI for an absolute folder path, percent-encoded, ending in `/`, as
/// `originalUriBaseIds` needs it: `/work/repo` becomes `file:///work/repo/` and `C:\repo`
/// becomes `file:///C:/repo/`.
pub fn folder_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut uri = String::from("file://");
    if !path.starts_with('/') {
        uri.push('/');
    }
    // A drive letter's colon is kept; everything else goes through the path encoding.
    let (drive, rest) = match path.split_once(':') {
        Some((drive, rest))
            if drive.len() == 1 && drive.bytes().all(|b| b.is_ascii_alphabetic()) =>
        {
            (format!("{drive}:"), rest.to_owned())
        }
        _ => (String::new(), path),
    };
    uri.push_str(&drive);
    uri.push_str(&path_to_uri(&rest));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// One rule (diagnostic code) for `tool.driver.rules`.
#[derive(Clone, Debug)]
pub struct Rule<'a> {
    /// The code, such as `SPEC013`.
    pub code: &'a str,
    /// The kebab-case name, such as `invalid-value`.
    pub name: &'a str,
    /// One line saying what the code flags.
    pub summary: &'a str,
    /// The full documentation, in Markdown.
    pub docs: &'a str,
    /// The severity the code is reported with.
    pub severity: Severity,
    /// An absolute URI of the code's docs page, if any.
    pub help_uri: Option<String>,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// Percent-encodes a path for a URI reference, keeping `/` and unreserved characters.
pub fn path_to_uri(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.replace('\\', "/").bytes() {
        let keep = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/');
        if keep {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// The first paragraph under `## What it flags`, or the summary.
fn full_description(rule: &Rule) -> String {
    let Some((_, rest)) = rule.docs.split_once("## What it flags\n") else {
        return rule.summary.to_owned();
    };
    let paragraph: Vec<&str> = rest
        .trim_start_matches('\n')
        .lines()
        .take_while(|line| !line.trim().is_empty() && !line.starts_with("## "))
        .collect();
    if paragraph.is_empty() { rule.summary.to_owned() } else { paragraph.join(" ") }
}

fn rule_value(rule: &Rule) -> Value {
    let mut map = serde_json::Map::new();
    map.insert("id".into(), json!(rule.code));
    map.insert("name".into(), json!(rule.name));
    map.insert("shortDescription".into(), json!({ "text": rule.summary }));
    map.insert("fullDescription".into(), json!({ "text": full_description(rule) }));
    map.insert("help".into(), json!({ "text": rule.docs, "markdown": rule.docs }));
    if let Some(uri) = &rule.help_uri {
        map.insert("helpUri".into(), json!(uri));
    }
    map.insert("defaultConfiguration".into(), json!({ "level": level(rule.severity) }));
    Value::Object(map)
}

fn location(files: &SourceFiles, span: Span) -> Value {
    let resolved = resolve(files, span);
    json!({
        "physicalLocation": {
            "artifactLocation": {
                "uri": path_to_uri(resolved.path),
                "uriBaseId": SOURCE_ROOT_ID,
            },
            "region": {
                "startLine": resolved.start.line,
                "startColumn": resolved.start.column,
                "endLine": resolved.end.line,
                "endColumn": resolved.end.column,
            },
        },
    })
}

/// The message text: what, then each note and the help on their own lines.
fn message_text(diag: &Diagnostic) -> String {
    let mut text = diag.message.clone();
    for note in &diag.notes {
        text.push_str("\nnote: ");
        text.push_str(note);
    }
    if let Some(help) = &diag.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    text
}

/// The SARIF log as a JSON value.
pub fn to_value(
    diagnostics: &[Diagnostic],
    files: &SourceFiles,
    rules: &[Rule],
    tool: &Tool,
) -> Value {
    let mut rule_values: Vec<Value> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for rule in rules {
        if index.contains_key(rule.code) {
            continue;
        }
        index.insert(rule.code, rule_values.len());
        rule_values.push(rule_value(rule));
    }
    let ordered = ordered(diagnostics, files);
    for diag in &ordered {
        let code = diag.code.as_str();
        if !index.contains_key(code) {
            index.insert(code, rule_values.len());
            rule_values.push(json!({ "id": code }));
        }
    }
    let results: Vec<Value> = ordered
        .iter()
        .map(|diag| {
            let mut result = serde_json::Map::new();
            result.insert("ruleId".into(), json!(diag.code.as_str()));
            result.insert("ruleIndex".into(), json!(index[diag.code.as_str()]));
            result.insert("level".into(), json!(level(diag.severity)));
            result.insert("message".into(), json!({ "text": message_text(diag) }));
            result.insert("locations".into(), json!([location(files, diag.primary.span)]));
            if !diag.secondary.is_empty() {
                let related: Vec<Value> = diag
                    .secondary
                    .iter()
                    .enumerate()
                    .map(|(id, label)| {
                        let mut value = location(files, label.span);
                        value["id"] = json!(id);
                        value["message"] = json!({ "text": label.message });
                        value
                    })
                    .collect();
                result.insert("relatedLocations".into(), Value::Array(related));
            }
            Value::Object(result)
        })
        .collect();
    let mut driver = serde_json::Map::new();
    driver.insert("name".into(), json!(tool.name));
    driver.insert("version".into(), json!(tool.version));
    if let Some(uri) = tool.information_uri {
        driver.insert("informationUri".into(), json!(uri));
    }
    driver.insert("rules".into(), Value::Array(rule_values));
    let root = match tool.source_root {
        Some(uri) => json!({ "uri": uri }),
        None => json!({
            "description": {
                "text": "The repository root (the folder with `.git`); every path is relative to it",
            },
        }),
    };
    json!({
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": { "driver": driver },
            "originalUriBaseIds": { SOURCE_ROOT_ID: root },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// Writes the SARIF log, pretty-printed, with a final newline.
///
/// # Errors
///
/// Returns the writer's error.
pub fn render(
    diagnostics: &[Diagnostic],
    files: &SourceFiles,
    rules: &[Rule],
    tool: &Tool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let value = to_value(diagnostics, files, rules, tool);
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}
