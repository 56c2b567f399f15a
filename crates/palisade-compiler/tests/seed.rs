//! The repository's own IOC content, end to end: `detections/` and `exclusions/` read through
//! the real loader, expanded, and built to ARM and Bicep; golden snapshots of the KQL, ARM and
//! Bicep, and every generated query checked by Microsoft's KQL parser with the table schemas.

#![allow(clippy::unwrap_used)]

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use palisade_compiler::{Options, build, ioc};
use palisade_diagnostics::{Diagnostic, Severity, SourceFiles};
use palisade_ioc::exclusion::Exclusion;
use palisade_spec::load::{Outcome, load_spec};
use palisade_spec::{Detection, SpecKind, ioc as spec_ioc, yaml};

const SEED: &str = "detections/unknown-rat-threatfox/unknown-rat-c2.yaml";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "yaml" || ext == "yml") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Everything the repository's content loads and generates, as `palisade build` sees it.
struct Content {
    files: SourceFiles,
    detections: Vec<Detection>,
    exclusions: Vec<Exclusion>,
    diagnostics: Vec<Diagnostic>,
}

fn load_content() -> Content {
    let root = repo();
    let mut files = SourceFiles::new();
    let mut templates = Vec::new();
    let mut exclusions = Vec::new();
    let mut diagnostics = Vec::new();
    for folder in ["detections", "exclusions"] {
        for path in yaml_files(&root.join(folder)) {
            let shown = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            let text =
                yaml::normalize_source(&std::fs::read_to_string(&path).unwrap()).into_owned();
            let file = files.add(shown.clone(), text.clone());
            let parsed = yaml::parse(file, &text);
            let root_node = parsed.root.unwrap();
            if spec_ioc::is_exclusion_document(&root_node) {
                exclusions.extend(spec_ioc::load_exclusion(&root_node, &mut diagnostics));
                continue;
            }
            let result = load_spec(file, &shown, &text);
            diagnostics.extend(result.diagnostics);
            if let Outcome::Detection(detection) = result.outcome {
                templates.push(*detection);
            }
        }
    }
    let mut detections = Vec::new();
    for template in &templates {
        if template.ioc.is_some() {
            detections.extend(ioc::expand(template, &exclusions, &mut diagnostics));
        } else {
            detections.push(template.clone());
        }
    }
    Content { files, detections, exclusions, diagnostics }
}

/// `CODE path:line` for each diagnostic, in a stable order.
fn located(content: &Content) -> Vec<String> {
    let mut out: Vec<String> = content
        .diagnostics
        .iter()
        .map(|diag| {
            let file = content.files.get(diag.primary.span.file);
            let line = file.line_col(diag.primary.span.start).line;
            format!("{} {} {}:{line}", diag.severity, diag.code, file.path())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_repository_content_loads_with_exactly_the_expected_warnings() {
    let content = load_content();
    assert_eq!(content.exclusions.len(), 5);
    assert_eq!(
        located(&content),
        [
            "warning EXC003 exclusions/intune-software-update.yaml:19",
            "warning EXC003 exclusions/intune-software-update.yaml:19",
            "warning EXC003 exclusions/scheduled-maintenance-internal-repository.yaml:18",
        ]
    );
}

/// The seed scopes the internal-address exclusion away from `CommonSecurityLog`; applied
/// there, as the write-up words it, it would hide the traffic the rule exists to find.
#[test]
fn the_internal_address_exclusion_on_commonsecuritylog_is_exc006() {
    let content = load_content();
    let text = std::fs::read_to_string(repo().join(SEED)).unwrap().replace(
        "  - id: scheduled-maintenance-internal-repository\n    targets: [DeviceNetworkEvents]\n",
        "  - scheduled-maintenance-internal-repository\n",
    );
    let template = support::load_clean(SEED, &text);
    let mut diags = Vec::new();
    let generated = ioc::expand(&template, &content.exclusions, &mut diags);
    let exc006: Vec<&Diagnostic> = diags.iter().filter(|d| d.code.as_str() == "EXC006").collect();
    assert_eq!(exc006.len(), 1, "{diags:#?}");
    assert_eq!(exc006[0].severity, Severity::Warning);
    assert_eq!(
        exc006[0].message,
        "Exclusion `scheduled-maintenance-internal-repository` hides every connection from an internal IPv4 host to an indicator in `DestinationIP` on `CommonSecurityLog`"
    );
    let start = exc006[0].primary.span.start as usize;
    assert!(text[start..].starts_with("CommonSecurityLog\n"));
    let csl = &generated[0].query.text;
    assert!(csl.contains("| where not(coalesce(ipv4_is_in_any_range(SourceIP, dynamic([\"10.0.0.0/8\", \"172.16.0.0/12\", \"192.168.0.0/16\"])), false))"), "{csl}");
}

#[test]
fn the_seed_expands_to_a_rule_and_a_hunting_query_per_target() {
    let content = load_content();
    let seed: Vec<&Detection> = content.detections.iter().filter(|d| d.path == SEED).collect();
    let summary: Vec<(SpecKind, String, String, String)> = seed
        .iter()
        .map(|d| {
            let table = d.target.as_ref().unwrap().value.clone();
            (d.spec_kind, table, d.id.value.clone(), d.name.value.clone())
        })
        .collect();
    let rule = SpecKind::AnalyticsRule;
    let hunt = SpecKind::HuntingQuery;
    let csl = "CommonSecurityLog".to_string();
    let dne = "DeviceNetworkEvents".to_string();
    let name = |table: &str| format!("Unknown RAT C2 traffic (ThreatFox) in {table}");
    assert_eq!(
        summary,
        [
            (rule, csl.clone(), "32cd8950-a5a8-5191-95e9-e94fb0f31b13".into(), name(&csl)),
            (hunt, csl.clone(), "becc975b-eceb-52e9-8811-3c56f59627f9".into(), name(&csl)),
            (rule, dne.clone(), "ca1ee75f-d125-5376-b04c-2a051dec814b".into(), name(&dne)),
            (hunt, dne.clone(), "e28dbe77-66f0-5925-8009-0c0509d99432".into(), name(&dne)),
        ]
    );
    // Checked independently: Python uuid5(uuid5(d23cf559-…, "ioc-target"), "<kind>/<id>/<table>").
    for detection in &seed {
        let uuid = uuid::Uuid::parse_str(&detection.id.value).unwrap();
        assert_eq!(uuid.get_version_num(), 5);
    }
    // The hunting query keeps no schedule; the rule keeps the spec's.
    assert!(seed[1].query_frequency.is_none() && seed[1].kind.is_none());
    assert_eq!(seed[0].query_frequency.as_ref().unwrap().value.to_string(), "1h");
}

#[test]
fn the_seed_queries_match_the_write_up() {
    let content = load_content();
    let query = |table: &str| {
        let found = content.detections.iter().find(|d| {
            d.path == SEED
                && d.spec_kind == SpecKind::HuntingQuery
                && d.target.as_ref().unwrap().value == table
        });
        found.unwrap().query.text.clone()
    };
    let csl = query("CommonSecurityLog");
    let dne = query("DeviceNetworkEvents");
    // The write-up's lists, matches and order, per table.
    let list = "let malicious_ipv4 = dynamic([\"172.245.95.9\", \"194.26.192.187\"]);\n";
    assert!(csl.contains(list) && dne.contains(list));
    assert!(csl.contains("\nCommonSecurityLog\n| where DestinationIP in (malicious_ipv4) or SourceIP in (malicious_ipv4)\n"));
    assert!(dne.contains("\nDeviceNetworkEvents\n| where RemoteIP in (malicious_ipv4)\n"));
    assert!(csl.ends_with("| order by TimeGenerated desc"));
    assert!(dne.ends_with("| order by Timestamp desc"));
    // The write-up's projected columns are all still projected, in its order.
    let projected = |query: &str| {
        let line = query.lines().find(|l| l.starts_with("| project ")).unwrap().to_string();
        line["| project ".len()..].split(", ").map(str::to_owned).collect::<Vec<_>>()
    };
    let in_order = |have: &[String], want: &[&str]| {
        let positions: Vec<usize> =
            want.iter().map(|w| have.iter().position(|h| h == w).unwrap()).collect();
        positions.windows(2).all(|p| p[0] < p[1])
    };
    let csl_write_up = [
        "TimeGenerated",
        "SourceIP",
        "DestinationIP",
        "DestinationPort",
        "DeviceAction",
        "Activity",
    ];
    let dne_write_up = [
        "Timestamp",
        "DeviceName",
        "RemoteIP",
        "RemotePort",
        "InitiatingProcessFileName",
        "ActionType",
    ];
    assert!(in_order(&projected(&csl), &csl_write_up), "{csl}");
    assert!(in_order(&projected(&dne), &dne_write_up), "{dne}");
    // Ranges go to the range functions, never to string matching.
    assert!(!csl.contains("ipv4_is_in_any_range"), "the internal-address exclusion is scoped away");
    for forbidden in [" has ", "startswith", "matches regex", "has_any"] {
        assert!(!csl.contains(forbidden) && !dne.contains(forbidden), "{forbidden}");
    }
    insta::assert_snapshot!("seed_kql_commonsecuritylog", csl);
    insta::assert_snapshot!("seed_kql_devicenetworkevents", dne);
}

#[test]
fn the_seed_builds_to_golden_arm_and_bicep() {
    let content = load_content();
    let output = build(&content.detections, &Options::default());
    assert!(output.diagnostics.is_empty(), "{:#?}", output.diagnostics);
    let seed_files: Vec<&String> =
        output.files.keys().filter(|path| path.contains("unknown-rat-c2")).collect();
    assert_eq!(
        seed_files,
        [
            "arm/analytics-rules/unknown-rat-c2-CommonSecurityLog.json",
            "arm/analytics-rules/unknown-rat-c2-DeviceNetworkEvents.json",
            "arm/hunting-queries/unknown-rat-c2-CommonSecurityLog.json",
            "arm/hunting-queries/unknown-rat-c2-DeviceNetworkEvents.json",
            "bicep/analytics-rules/unknown-rat-c2-CommonSecurityLog.bicep",
            "bicep/analytics-rules/unknown-rat-c2-DeviceNetworkEvents.bicep",
            "bicep/hunting-queries/unknown-rat-c2-CommonSecurityLog.bicep",
            "bicep/hunting-queries/unknown-rat-c2-DeviceNetworkEvents.bicep",
        ]
    );
    for path in seed_files {
        let text = String::from_utf8(output.files[path].clone()).unwrap();
        let name = path.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, text);
    }
    let rule: serde_json::Value = serde_json::from_slice(
        &output.files["arm/analytics-rules/unknown-rat-c2-DeviceNetworkEvents.json"],
    )
    .unwrap();
    let props = &rule["resources"][0]["properties"];
    assert_eq!(props["severity"], "High");
    assert_eq!(props["tactics"], serde_json::json!(["CommandAndControl"]));
    assert_eq!(props["techniques"], serde_json::json!(["T1071", "T1571"]));
    assert_eq!(props["subTechniques"], serde_json::json!(["T1071.001"]));
    let entities: Vec<String> = props["entityMappings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["entityType"].as_str().unwrap(),
                e["fieldMappings"][0]["columnName"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        entities,
        [
            "IP:MatchedAddress",
            "Host:DeviceName",
            "Account:InitiatingProcessAccountName",
            "Process:InitiatingProcessCommandLine"
        ]
    );
}

#[test]
fn an_unknown_exclusion_names_the_nearest_known_id() {
    let content = load_content();
    let path = repo().join(SEED);
    let text = std::fs::read_to_string(path)
        .unwrap()
        .replace("  - admin-remote-powershell\n", "  - admin-remote-powershel\n");
    let template = support::load_clean(SEED, &text);
    let mut diags = Vec::new();
    let generated = ioc::expand(&template, &content.exclusions, &mut diags);
    assert_eq!(generated.len(), 4, "the other exclusions still apply");
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code.as_str(), "EXC004");
    assert_eq!(errors[0].message, "No exclusion has the id `admin-remote-powershel`");
    assert_eq!(
        errors[0].help.as_deref(),
        Some("the nearest known id is `admin-remote-powershell`")
    );
    let start = errors[0].primary.span.start as usize;
    assert!(text[start..].starts_with("admin-remote-powershel\n"));
}

/// Every query generated for the repository's content, parsed by Microsoft's parser with the
/// Sentinel table schemas loaded: no syntax or semantic error.
#[test]
fn every_generated_query_is_accepted_by_the_kql_oracle() {
    let Some(shared) =
        support::shared_or_skip("every_generated_query_is_accepted_by_the_kql_oracle")
    else {
        return;
    };
    let script = shared.join("tools/kql-oracle/parse.js");
    let schema = shared.join("reference/tables/sentinel_core_tables.json");
    let content = load_content();
    let queries: Vec<(String, String)> = content
        .detections
        .iter()
        .map(|d| (format!("{} {:?} {:?}", d.path, d.spec_kind, d.target), d.query.text.clone()))
        .collect();
    assert!(queries.len() >= 4);
    let spawned = Command::new("node")
        .arg(&script)
        .arg("--ndjson")
        .arg("--schema")
        .arg(&schema)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = spawned else {
        eprintln!("SKIPPED every_generated_query_is_accepted_by_the_kql_oracle: node cannot run");
        return;
    };
    {
        let mut stdin = child.stdin.take().unwrap();
        for (_, query) in &queries {
            writeln!(stdin, "{}", serde_json::Value::String(query.clone())).unwrap();
        }
    }
    let output = child.wait_with_output().unwrap();
    if !output.status.success() {
        eprintln!(
            "SKIPPED every_generated_query_is_accepted_by_the_kql_oracle: the oracle cannot load: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        return;
    }
    let answers: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(answers.len(), queries.len(), "the oracle answered every query");
    for ((what, query), answer) in queries.iter().zip(&answers) {
        assert!(answer["semantic"].is_array(), "{what}: semantic analysis ran with the schema");
        let mut errors = Vec::new();
        for key in ["syntax", "semantic"] {
            for diag in answer[key].as_array().unwrap() {
                if diag["severity"] == "Error" {
                    errors.push(format!("{}: {}", diag["code"], diag["message"]));
                }
            }
        }
        assert!(errors.is_empty(), "{what}:\n{query}\n{errors:#?}");
    }
    eprintln!("kql oracle accepted {} generated queries", queries.len());
}

#[test]
fn fields_of_hand_written_queries_are_left_out_with_a_warning() {
    let content = load_content();
    let text = std::fs::read_to_string(repo().join(SEED))
        .unwrap()
        .replace("version: 1.0.0\n", "version: 1.0.0\ncustomDetails:\n  Port: DestinationPort\n");
    let template = support::load_clean(SEED, &text);
    let mut diags = Vec::new();
    let generated = ioc::expand(&template, &content.exclusions, &mut diags);
    assert_eq!(generated.len(), 4);
    assert!(generated.iter().all(|d| d.custom_details.is_none()));
    let emit006: Vec<&Diagnostic> = diags.iter().filter(|d| d.code.as_str() == "EMIT006").collect();
    assert_eq!(emit006.len(), 1, "{diags:#?}");
    assert_eq!(emit006[0].message, "`customDetails` is not used by an IOC spec and is left out");
    let start = emit006[0].primary.span.start as usize;
    assert!(text[start..].starts_with("Port: DestinationPort"));
}

#[test]
fn build_expands_an_unexpanded_ioc_spec_and_fails_it_on_a_missing_exclusion() {
    let text = std::fs::read_to_string(repo().join(SEED)).unwrap();
    let template = support::load_clean(SEED, &text);
    // Without the project's exclusions every referenced id is unknown: an error, never a
    // silently dropped exclusion.
    let output = build(std::slice::from_ref(&template), &Options::default());
    assert_eq!(output.failed, [SEED]);
    let codes: Vec<&str> = output.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["EXC004"; 5]);
    assert!(output.compiled.is_empty());

    let without: String =
        text.split("exclusions:\n").next().unwrap().to_owned() + "version: 1.0.0\n";
    let template = support::load_clean(SEED, &without);
    let output = build(std::slice::from_ref(&template), &Options::default());
    assert!(output.diagnostics.is_empty(), "{:#?}", output.diagnostics);
    assert_eq!(output.compiled.len(), 4);
}

/// The seed without its exclusions, with `id` and `targets` replaced.
fn seed_with(id: &str, targets: &str) -> String {
    let text = std::fs::read_to_string(repo().join(SEED)).unwrap();
    let without = text.split("exclusions:\n").next().unwrap().to_owned() + "version: 1.0.0\n";
    let mut out = String::new();
    let mut in_targets = false;
    for line in without.lines() {
        if in_targets && line.starts_with("  - ") {
            continue;
        }
        in_targets = false;
        if line.starts_with("id:") {
            out.push_str(&format!("id: {id}\n"));
        } else if line.starts_with("targets:") {
            out.push_str(&format!("targets: {targets}\n"));
            in_targets = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn guids(text: &str) -> Vec<String> {
    let template = support::load_clean(SEED, text);
    let output = build(std::slice::from_ref(&template), &Options::default());
    assert!(output.diagnostics.is_empty(), "{:#?}", output.diagnostics);
    output.compiled.iter().map(|entry| entry.guid.clone()).collect()
}

/// Decision 0002: `{X}` and `X` name the same rule, in any letter case; the per-target rules
/// and hunting queries of an IOC spec follow the same reading of the id.
#[test]
fn braced_and_upper_case_guid_ids_give_the_same_ioc_rule_ids() {
    let targets = "[CommonSecurityLog, DeviceNetworkEvents]";
    let bare = guids(&seed_with("aaaaaaaa-0000-4000-8000-000000000001", targets));
    assert_eq!(bare.len(), 4);
    for spelling in [
        "'{aaaaaaaa-0000-4000-8000-000000000001}'",
        "AAAAAAAA-0000-4000-8000-000000000001",
        "'{AAAAAAAA-0000-4000-8000-000000000001}'",
    ] {
        assert_eq!(guids(&seed_with(spelling, targets)), bare, "{spelling}");
    }
    assert_ne!(guids(&seed_with("'{aaaaaaaa-0000-4000-8000-000000000002}'", targets)), bare);
}

/// A table listed twice in `targets` is one IOC037 warning at the repetition and is compiled
/// once, never four EMIT003 collisions.
#[test]
fn a_repeated_target_is_one_warning_and_compiles_once() {
    let text = seed_with(
        "aaaaaaaa-0000-4000-8000-000000000001",
        "[CommonSecurityLog, DeviceNetworkEvents, DeviceNetworkEvents]",
    );
    let result = load_spec(palisade_diagnostics::FileId(0), SEED, &text);
    let codes: Vec<&str> = result.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["IOC037"]);
    let diag = &result.diagnostics[0];
    assert_eq!(diag.message, "`DeviceNetworkEvents` is listed twice in `targets`");
    let at = |span: palisade_diagnostics::Span| &text[span.start as usize..span.end as usize];
    let repeated = text.rfind("DeviceNetworkEvents]").unwrap();
    assert_eq!(diag.primary.span.start as usize, repeated, "at the repetition");
    assert_eq!(at(diag.secondary[0].span), "DeviceNetworkEvents");
    assert!((diag.secondary[0].span.start as usize) < repeated, "the first listing is related");

    let Outcome::Detection(template) = result.outcome else { panic!("not a detection") };
    let output = build(std::slice::from_ref(&*template), &Options::default());
    assert!(output.diagnostics.is_empty(), "{:#?}", output.diagnostics);
    assert_eq!(output.compiled.len(), 4, "two tables, a rule and a hunting query each");
}
