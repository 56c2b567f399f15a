//! Compiled `properties` against the ones Microsoft's solution packager produced from the same
//! YAML at the same commit (`corpus/arm-pairs` and `corpus/arm-pairs-bulk`).
//!
//! Where the packager itself was wrong, we keep the correct value and list the difference in
//! `tests/arm-pairs-exceptions.json` with the reason; the test fails on any difference that is
//! not listed there, and on any listed difference that no longer occurs.

#![allow(clippy::unwrap_used)]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use palisade_compiler::{Options, build};
use palisade_diagnostics::FileId;
use serde_json::Value as Json;

/// The fields compared, in report order.
const FIELDS: &[&str] = &[
    "displayName",
    "description",
    "severity",
    "query",
    "queryFrequency",
    "queryPeriod",
    "triggerOperator",
    "triggerThreshold",
    "tactics",
    "entityMappings",
    "customDetails",
    "alertDetailsOverride",
    "eventGroupingSettings",
    "incidentConfiguration",
];

const DURATION_FIELDS: &[&str] = &["queryFrequency", "queryPeriod"];

/// Seconds of an ISO 8601 duration of the `P[nD][T[nH][nM][nS]]` shape, or `None`.
fn iso_seconds(text: &str) -> Option<u64> {
    let rest = text.strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut total = 0;
    let mut take = |part: &str, units: &[(char, u64)]| -> Option<()> {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let &(_, factor) = units.iter().find(|(unit, _)| *unit == c)?;
            total += number.parse::<u64>().ok()? * factor;
            number.clear();
        }
        number.is_empty().then_some(())
    };
    take(date, &[('D', 86_400)])?;
    take(time, &[('H', 3_600), ('M', 60), ('S', 1)])?;
    (!rest.is_empty()).then_some(total)
}

/// ARM's literal decoding for comparison: `[[…]` loses one `[`; expressions stay as written.
fn decoded(value: &Json) -> Json {
    match value {
        Json::String(text) if text.starts_with("[[") && text.ends_with(']') => {
            Json::String(text[1..].to_owned())
        }
        Json::Array(items) => Json::Array(items.iter().map(decoded).collect()),
        Json::Object(map) => {
            Json::Object(map.iter().map(|(k, v)| (k.clone(), decoded(v))).collect())
        }
        other => other.clone(),
    }
}

fn field_equal(field: &str, ours: Option<&Json>, theirs: Option<&Json>) -> bool {
    if DURATION_FIELDS.contains(&field) {
        let seconds = |v: Option<&Json>| v.and_then(Json::as_str).and_then(iso_seconds);
        return ours.is_some() && seconds(ours).is_some() && seconds(ours) == seconds(theirs);
    }
    ours.map(decoded) == theirs.map(decoded)
}

/// Compiles one YAML file and returns its ARM `properties`.
fn compile_properties(path: &str, text: &str) -> Result<Json, String> {
    let Some(detection) = support::load_detection(FileId(0), path, text) else {
        return Err("does not load cleanly".into());
    };
    let output = build(&[detection], &Options::default());
    if output.has_errors() {
        return Err(format!("does not compile: {:?}", output.diagnostics));
    }
    let arm = output.files.iter().find(|(p, _)| p.starts_with("arm/analytics-rules/")).unwrap();
    let template = support::parse_json(arm.1);
    Ok(template["resources"][0]["properties"].clone())
}

/// Names the known packager defect behind a difference, if it is one.
fn packager_defect(
    field: &str,
    ours: Option<&Json>,
    theirs: Option<&Json>,
) -> Option<&'static str> {
    match (field, ours, theirs) {
        ("entityMappings", Some(_), None) => Some("entityMappings dropped"),
        ("entityMappings", Some(Json::Array(_)), Some(Json::Object(_))) => {
            Some("entityMappings object instead of array")
        }
        ("incidentConfiguration", Some(_), None) => Some("incidentConfiguration dropped"),
        ("incidentConfiguration", Some(_), Some(theirs)) => {
            let lookback = theirs["groupingConfiguration"]["lookbackDuration"].as_str()?;
            iso_seconds(lookback).is_none().then_some("lookbackDuration not converted to ISO 8601")
        }
        ("customDetails", Some(_), Some(Json::Object(theirs))) => theirs
            .values()
            .any(|v| v.as_str().is_some_and(|s| s.starts_with("[variables(")))
            .then_some("customDetails values replaced by [variables(...)]"),
        _ => None,
    }
}

fn differing_fields(ours: &Json, theirs: &Json) -> Vec<&'static str> {
    FIELDS
        .iter()
        .copied()
        .filter(|field| !field_equal(field, ours.get(*field), theirs.get(*field)))
        .collect()
}

#[test]
fn curated_pairs_match_except_documented_packager_defects() {
    let Some(shared) = support::shared_or_skip("curated_pairs_match") else { return };
    let pairs_dir = shared.join("corpus/arm-pairs");
    let exceptions_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/arm-pairs-exceptions.json");
    let exceptions: Json =
        serde_json::from_str(&fs::read_to_string(exceptions_path).unwrap()).unwrap();
    let expected: BTreeSet<(String, String)> = exceptions["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(
                e["reason"].as_str().is_some_and(|r| r.len() > 20),
                "every exception needs a reason"
            );
            (e["pair"].as_str().unwrap().to_owned(), e["field"].as_str().unwrap().to_owned())
        })
        .collect();

    let mut names: Vec<String> = fs::read_dir(&pairs_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 20);

    let mut found = BTreeSet::new();
    for name in &names {
        let dir = pairs_dir.join(name);
        let text = fs::read_to_string(dir.join("rule.yaml")).unwrap();
        let theirs = support::parse_json(&fs::read(dir.join("rule.arm.json")).unwrap());
        let ours = compile_properties(name, &text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for field in differing_fields(&ours, &theirs["properties"]) {
            eprintln!(
                "{name}.{field}: ours {} / Microsoft's {}",
                ours.get(field).map_or("(absent)".into(), Json::to_string),
                theirs["properties"].get(field).map_or("(absent)".into(), Json::to_string)
            );
            found.insert((name.clone(), field.to_owned()));
        }
    }
    let unlisted: Vec<_> = found.difference(&expected).collect();
    let stale: Vec<_> = expected.difference(&found).collect();
    assert!(unlisted.is_empty(), "differences not in arm-pairs-exceptions.json: {unlisted:?}");
    assert!(stale.is_empty(), "listed exceptions that no longer occur: {stale:?}");
}

#[test]
fn bulk_pairs_figures() {
    let Some(shared) = support::shared_or_skip("bulk_pairs_figures") else { return };
    let corpus = shared.join("corpus");
    let lines = fs::read_to_string(corpus.join("arm-pairs-bulk/pairs.jsonl")).unwrap();

    let mut n_pairs = 0;
    let mut n_compiled = 0;
    let mut n_all_equal = 0;
    let mut n_equal_but_defects = 0;
    let mut defects: BTreeMap<&str, usize> = BTreeMap::new();
    let mut drift: BTreeMap<&str, usize> = BTreeMap::new();
    let mut not_compiled = Vec::new();
    let mut per_field: BTreeMap<&str, usize> = BTreeMap::new();
    let mut examples: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for line in lines.lines().filter(|l| !l.trim().is_empty()) {
        n_pairs += 1;
        let pair: Json = serde_json::from_str(line).unwrap();
        let yaml_path = pair["yaml_path"].as_str().unwrap();
        let text = fs::read_to_string(corpus.join(yaml_path)).unwrap();
        let ours = match compile_properties(yaml_path, &text) {
            Ok(ours) => ours,
            Err(why) => {
                not_compiled.push(format!("{yaml_path}: {why}"));
                continue;
            }
        };
        n_compiled += 1;
        let differing = differing_fields(&ours, &pair["arm_resource"]["properties"]);
        if differing.is_empty() {
            n_all_equal += 1;
        }
        let theirs = &pair["arm_resource"]["properties"];
        let mut only_defects = !differing.is_empty();
        for field in &differing {
            match packager_defect(field, ours.get(*field), theirs.get(*field)) {
                Some(defect) => *defects.entry(defect).or_default() += 1,
                None => {
                    only_defects = false;
                    *drift.entry(field).or_default() += 1;
                }
            }
        }
        if only_defects {
            n_equal_but_defects += 1;
        }
        for field in differing {
            if std::env::var_os("PALISADE_PAIRS_DETAIL").is_some() {
                eprintln!(
                    "DETAIL {yaml_path} {field}: ours {} / Microsoft's {}",
                    ours.get(field).map_or("(absent)".into(), Json::to_string),
                    pair["arm_resource"]["properties"]
                        .get(field)
                        .map_or("(absent)".into(), Json::to_string)
                );
            }
            *per_field.entry(field).or_default() += 1;
            examples.entry(field).or_default().push(yaml_path.to_owned());
        }
    }

    eprintln!(
        "arm-pairs-bulk: {n_pairs} pairs, {n_compiled} compiled, {n_all_equal} equal on every compared field"
    );
    for field in FIELDS {
        let n_diff = per_field.get(field).copied().unwrap_or(0);
        eprintln!("  {field:<24} equal {:>4}  differ {:>4}", n_compiled - n_diff, n_diff);
    }
    eprintln!("  equal except known packager defects: {n_equal_but_defects}");
    for (defect, n) in &defects {
        eprintln!("  packager defect {defect:<48} {n:>4}");
    }
    for (field, n) in &drift {
        eprintln!("  YAML/package drift in {field:<36} {n:>4}");
    }
    for entry in &not_compiled {
        eprintln!("  not compiled: {entry}");
    }
    for (field, paths) in &examples {
        for path in paths.iter().take(3) {
            eprintln!("  e.g. {field}: {path}");
        }
    }
    assert_eq!(n_pairs, 583);
    assert!(n_compiled >= 570, "only {n_compiled} of {n_pairs} bulk pairs compiled");
    assert!(n_all_equal >= 510, "only {n_all_equal} bulk pairs equal on every field");
    let n_explained = n_all_equal + n_equal_but_defects;
    assert!(n_explained >= 550, "only {n_explained} bulk pairs equal up to packager defects");
}
