//! Every emitted alert rule's `properties` validate against Microsoft's resource schema
//! (`ScheduledAlertRuleProperties` / `NrtAlertRuleProperties`, draft-04, with
//! `common/definitions.json` resolved locally) and carry every property the REST spec requires.
//!
//! Inputs: the golden specs, and every analytics rule of the shared corpus that loads cleanly.

#![allow(clippy::unwrap_used)]

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use jsonschema::{Draft, Registry, Validator};
use palisade_compiler::{Options, build};
use palisade_diagnostics::FileId;
use serde_json::{Value as Json, json};

const SCHEMA_BASE: &str = "https://schema.management.azure.com/schemas";

struct Schemas {
    stable_scheduled: Validator,
    preview_scheduled: Validator,
    preview_nrt: Validator,
    rest_required: Vec<String>,
    nrt_required: Vec<String>,
}

fn load_schemas(shared: &Path) -> Schemas {
    let arm = shared.join("reference/arm");
    let read = |rel: &str| -> Json {
        serde_json::from_str(&fs::read_to_string(arm.join(rel)).unwrap()).unwrap()
    };
    let stable = read("azure-resource-manager-schemas/2025-09-01/Microsoft.SecurityInsights.json");
    let preview =
        read("azure-resource-manager-schemas/2025-07-01-preview/Microsoft.SecurityInsights.json");
    let definitions = read("azure-resource-manager-schemas/common/definitions.json");
    let rest = read("azure-rest-api-specs/securityinsights/stable/2025-12-01/AlertRules.json");

    let stable_uri = format!("{SCHEMA_BASE}/2025-09-01/Microsoft.SecurityInsights.json");
    let preview_uri = format!("{SCHEMA_BASE}/2025-07-01-preview/Microsoft.SecurityInsights.json");
    let nrt_required: Vec<String> = serde_json::from_value(
        preview["definitions"]["NrtAlertRuleProperties"]["required"].clone(),
    )
    .unwrap();
    let registry = Registry::new()
        .draft(Draft::Draft4)
        .add(stable_uri.as_str(), stable)
        .unwrap()
        .add(preview_uri.as_str(), preview)
        .unwrap()
        .add(format!("{SCHEMA_BASE}/common/definitions.json").as_str(), definitions)
        .unwrap()
        .prepare()
        .unwrap();
    let validator = |uri: &str, definition: &str| {
        jsonschema::options()
            .with_draft(Draft::Draft4)
            .with_registry(&registry)
            .build(&json!({ "$ref": format!("{uri}#/definitions/{definition}") }))
            .unwrap()
    };
    Schemas {
        stable_scheduled: validator(&stable_uri, "ScheduledAlertRuleProperties"),
        preview_scheduled: validator(&preview_uri, "ScheduledAlertRuleProperties"),
        preview_nrt: validator(&preview_uri, "NrtAlertRuleProperties"),
        rest_required: serde_json::from_value(
            rest["definitions"]["ScheduledAlertRuleProperties"]["required"].clone(),
        )
        .unwrap(),
        nrt_required,
    }
}

/// Checks every alert rule in an ARM template; returns the problems found.
fn check_template(schemas: &Schemas, label: &str, template: &Json) -> Vec<String> {
    let mut problems = Vec::new();
    for resource in template["resources"].as_array().unwrap() {
        let properties = &resource["properties"];
        let kind = resource["kind"].as_str().unwrap();
        let preview = resource["apiVersion"].as_str().unwrap().ends_with("-preview");
        let (validator, required) = match (kind, preview) {
            ("Scheduled", false) => (&schemas.stable_scheduled, &schemas.rest_required),
            ("Scheduled", true) => (&schemas.preview_scheduled, &schemas.rest_required),
            ("NRT", true) => (&schemas.preview_nrt, &schemas.nrt_required),
            other => {
                problems.push(format!("{label}: unexpected kind/API pair {other:?}"));
                continue;
            }
        };
        for error in validator.iter_errors(properties) {
            problems.push(format!("{label}: {} at {}", error, error.instance_path()));
        }
        for key in required {
            if properties.get(key).is_none() {
                problems.push(format!("{label}: required property `{key}` missing"));
            }
        }
        if kind == "Scheduled" && !preview {
            for key in ["subTechniques", "sentinelEntitiesMappings"] {
                if properties.get(key).is_some() {
                    problems.push(format!("{label}: preview-only `{key}` on a stable API"));
                }
            }
        }
    }
    problems
}

fn analytics_templates(files: &std::collections::BTreeMap<String, Vec<u8>>) -> Vec<(String, Json)> {
    files
        .iter()
        .filter(|(path, _)| path.starts_with("arm/analytics-rules/"))
        .map(|(path, bytes)| (path.clone(), support::parse_json(bytes)))
        .collect()
}

#[test]
fn golden_rules_validate_against_microsoft_schema() {
    let Some(shared) = support::shared_or_skip("golden_rules_validate") else { return };
    let schemas = load_schemas(&shared);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut n_checked = 0;
    let mut problems = Vec::new();
    for entry in fs::read_dir(root).unwrap() {
        let spec = entry.unwrap().path().join("spec.yaml");
        let text = fs::read_to_string(&spec).unwrap();
        let detection = support::load_clean(&spec.to_string_lossy(), &text);
        let output = build(&[detection], &Options::default());
        for (path, template) in analytics_templates(&output.files) {
            n_checked += 1;
            problems.extend(check_template(&schemas, &path, &template));
        }
    }
    assert!(n_checked >= 5);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn schema_check_catches_a_broken_rule() {
    let Some(shared) = support::shared_or_skip("schema_check_catches") else { return };
    let schemas = load_schemas(&shared);
    let template = json!({"resources": [{
        "kind": "Scheduled",
        "apiVersion": "2025-09-01",
        "properties": {"displayName": "x", "enabled": true, "tactics": ["Initial Access"],
                       "triggerOperator": "gt", "subTechniques": ["T1078.004"]}
    }]});
    let problems = check_template(&schemas, "broken", &template);
    let text = problems.join("\n");
    assert!(text.contains("missing"), "{text}");
    assert!(text.contains("preview-only `subTechniques`"), "{text}");
    assert!(text.contains("suppressionDuration"), "{text}");
    assert!(problems.len() >= 6, "{text}");
}

/// The analytics-rule YAML files of the corpus (MANIFEST.md: `Detections/**` and the rule
/// folders of `Solutions/*`).
pub fn corpus_rule_files(shared: &Path) -> Vec<PathBuf> {
    let root = shared.join("corpus/cloudflare__Azure-Sentinel");
    let mut files = Vec::new();
    let rule_dirs = [
        "Analytic Rules",
        "Analytics Rules",
        "Analytical Rules",
        "Detections",
        "Detection Queries",
    ];
    walk(&root.join("Detections"), &mut files);
    if let Ok(solutions) = fs::read_dir(root.join("Solutions")) {
        for solution in solutions {
            let solution = solution.unwrap().path();
            for dir in rule_dirs {
                walk(&solution.join(dir), &mut files);
            }
        }
    }
    files.retain(|path| path.extension().is_some_and(|ext| ext == "yaml" || ext == "yml"));
    files.sort();
    files
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, files);
        } else {
            files.push(path);
        }
    }
}

#[test]
fn corpus_rules_validate_against_microsoft_schema() {
    let Some(shared) = support::shared_or_skip("corpus_rules_validate") else { return };
    let schemas = load_schemas(&shared);
    let mut detections = Vec::new();
    let files = corpus_rule_files(&shared);
    for (idx, path) in files.iter().enumerate() {
        let text = fs::read_to_string(path).unwrap();
        let display = path.to_string_lossy().into_owned();
        if let Some(detection) = support::load_detection(FileId(idx as u32), &display, &text) {
            detections.push(detection);
        }
    }
    let output = build(&detections, &Options::default());
    let templates = analytics_templates(&output.files);
    let mut problems = Vec::new();
    for (path, template) in &templates {
        problems.extend(check_template(&schemas, path, template));
    }
    eprintln!(
        "corpus: {} rule files, {} loaded cleanly, {} compiled, {} failed in the compiler, {} schema problems",
        files.len(),
        detections.len(),
        templates.len(),
        output.failed.len(),
        problems.len()
    );
    for problem in &problems {
        eprintln!("  {problem}");
    }
    for diag in
        output.diagnostics.iter().filter(|d| d.severity == palisade_diagnostics::Severity::Error)
    {
        let file = &detections.iter().find(|d| d.file == diag.primary.span.file).unwrap().path;
        eprintln!("  not compiled: {file}: {} {}", diag.code, diag.message);
    }
    assert!(templates.len() >= 1000, "only {} corpus rules compiled", templates.len());
    assert!(problems.is_empty(), "{} schema problems", problems.len());
}
