//! Golden snapshots of the ARM and Bicep output for real-shaped specs, plus the check that
//! every Bicep value decodes to exactly the ARM value.
//!
//! Inputs: `tests/golden/<detection>/spec.yaml`. Snapshots: `tests/snapshots/`.

#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use palisade_compiler::{Options, RuleShape, build};
use serde_json::Value as Json;

fn golden_dirs() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut dirs: Vec<(String, String)> = fs::read_dir(&root)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = fs::read_to_string(path.join("spec.yaml")).unwrap();
            (name, text)
        })
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 5, "expected the golden specs");
    dirs
}

fn only_template(files: &BTreeMap<String, Vec<u8>>, folder: &str, ext: &str) -> String {
    let matches: Vec<&String> =
        files.keys().filter(|p| p.starts_with(folder) && p.ends_with(ext)).collect();
    assert_eq!(matches.len(), 1, "{matches:?}");
    String::from_utf8(files[matches[0]].clone()).unwrap()
}

#[test]
fn golden_arm_and_bicep() {
    for shape in [RuleShape::Legacy, RuleShape::Extension] {
        let options = Options { rule_shape: shape, ..Options::default() };
        for (name, text) in golden_dirs() {
            let path = format!("tests/golden/{name}/spec.yaml");
            let detection = support::load_clean(&path, &text);
            let output = build(std::slice::from_ref(&detection), &options);
            assert!(!output.has_errors(), "{name}: {:#?}", output.diagnostics);

            let arm = only_template(&output.files, "arm/", ".json");
            let bicep = only_template(&output.files, "bicep/", ".bicep");
            let suffix = match shape {
                RuleShape::Legacy => "",
                RuleShape::Extension => "__extension",
            };
            let is_rule = output.files.keys().any(|p| p.starts_with("arm/analytics-rules/"));
            if shape == RuleShape::Legacy || is_rule {
                insta::assert_snapshot!(format!("{name}{suffix}__arm"), arm);
                insta::assert_snapshot!(format!("{name}{suffix}__bicep"), bicep);
            }
            assert_bicep_matches_arm(&name, &arm, &bicep);
        }
    }
}

/// Decodes the Bicep and compares every resource property with the ARM value after ARM's own
/// literal decoding; names are compared with the workspace parameter filled in.
fn assert_bicep_matches_arm(name: &str, arm: &str, bicep: &str) {
    let arm: Json = serde_json::from_str(arm).unwrap();
    let values = BTreeMap::from([("workspace".to_owned(), "my-workspace".to_owned())]);
    let decoded = support::bicep::decode(bicep, &values).unwrap_or_else(|e| panic!("{name}: {e}"));

    assert_eq!(decoded.params.len(), 1, "{name}");
    assert_eq!(decoded.params[0].0, "workspace");
    assert_eq!(decoded.params[0].1, "string");
    assert_eq!(
        Some(arm["parameters"]["workspace"]["metadata"]["description"].clone()),
        decoded.params[0].2.clone().map(Json::String)
    );

    let arm_resources = arm["resources"].as_array().unwrap();
    let bicep_resources: Vec<_> = decoded.resources.iter().filter(|r| !r.existing).collect();
    assert_eq!(arm_resources.len(), bicep_resources.len(), "{name}");
    for (arm_resource, bicep_resource) in arm_resources.iter().zip(bicep_resources) {
        let type_and_version = format!(
            "{}@{}",
            arm_resource["type"].as_str().unwrap(),
            arm_resource["apiVersion"].as_str().unwrap()
        );
        assert_eq!(bicep_resource.type_and_version, type_and_version, "{name}");
        assert_eq!(
            bicep_resource.body["properties"],
            support::arm_literal_value(&arm_resource["properties"]),
            "{name}: properties differ between Bicep and ARM"
        );
        assert_eq!(bicep_resource.body["kind"], arm_resource["kind"], "{name}");

        let arm_name = arm_resource["name"].as_str().unwrap();
        let bicep_name = bicep_resource.body["name"].as_str().unwrap();
        if arm_resource.get("scope").is_some() {
            assert_eq!(bicep_name, arm_name, "{name}");
            assert_eq!(bicep_resource.body["scope"], "@logAnalyticsWorkspace");
        } else {
            // `[concat(parameters('workspace'),'/…','<guid>')]` evaluated by hand.
            let inner = arm_name.strip_prefix("[concat(parameters('workspace'),").unwrap();
            let inner = inner.strip_suffix(")]").unwrap();
            let literal: String = inner.split(',').map(|part| part.trim_matches('\'')).collect();
            assert_eq!(bicep_name, format!("my-workspace{literal}"), "{name}");
        }
    }
}

#[test]
fn bicep_has_no_arm_escape() {
    for (name, text) in golden_dirs() {
        let detection = support::load_clean(&name, &text);
        let output = build(&[detection], &Options::default());
        let bicep = only_template(&output.files, "bicep/", ".bicep");
        assert!(!bicep.contains("'[["), "{name}: ARM escape leaked into Bicep");
    }
}

#[test]
fn tricky_query_decodes_from_bicep_to_exactly_the_spec_value() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/tricky-strings/spec.yaml");
    let detection = support::load_clean("tricky.yaml", &fs::read_to_string(root).unwrap());
    for needle in ["'", "\\", "${", "\r", "\t", "'''", "→"] {
        assert!(detection.query.text.contains(needle), "fixture lacks {needle:?}");
    }
    let output = build(std::slice::from_ref(&detection), &Options::default());
    let bicep = only_template(&output.files, "bicep/", ".bicep");
    let values = BTreeMap::from([("workspace".to_owned(), "ws".to_owned())]);
    let decoded = support::bicep::decode(&bicep, &values).unwrap();
    let properties = &decoded.resources[0].body["properties"];
    assert_eq!(properties["query"].as_str().unwrap(), detection.query.text);
    assert_eq!(properties["displayName"].as_str().unwrap(), detection.name.value);
    assert_eq!(
        properties["description"].as_str().unwrap(),
        detection.description.as_ref().unwrap().value
    );
}
