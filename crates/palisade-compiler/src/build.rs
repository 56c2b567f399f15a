//! The build as a pure function: detections in, output files and diagnostics out.
//!
//! Nothing here touches the file system; [`crate::output`] writes the result. The file set is
//! a sorted map from `/`-separated relative path to bytes, so the same detections always give
//! the same files with the same bytes, whatever order they were loaded in.

use std::collections::{BTreeMap, HashMap};

use palisade_diagnostics::{Diagnostic, Severity};
use palisade_spec::{Detection, SpecKind};
use serde_json::{Map, Value as Json};
use sha2::{Digest, Sha256};

use crate::analytics;
use crate::arm;
use crate::bicep;
use crate::codes;
use crate::hunting;
use crate::ir::{Resource, Template};
use crate::options::Options;

/// Folder of per-detection ARM templates.
pub const ARM_DIR: &str = "arm";
/// Folder of per-detection Bicep files.
pub const BICEP_DIR: &str = "bicep";
/// Subfolder for analytics rules.
pub const ANALYTICS_DIR: &str = "analytics-rules";
/// Subfolder for hunting queries.
pub const HUNTING_DIR: &str = "hunting-queries";
/// Folder of bundle templates.
pub const BUNDLE_DIR: &str = "bundle";
/// The manifest file.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The manifest format version.
pub const MANIFEST_VERSION: i64 = 1;

/// ARM's limit on resources per template.
pub const MAX_BUNDLE_RESOURCES: usize = 800;
/// A byte budget below ARM's 4 MB template limit, for the bundle's resources.
pub const MAX_BUNDLE_BYTES: usize = 3_900_000;

/// The result of a build.
#[derive(Debug, Default)]
pub struct BuildOutput {
    /// Output files by `/`-separated relative path.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Everything generation found, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// What was compiled, in output order.
    pub compiled: Vec<CompiledEntry>,
    /// Display paths of the detections that could not be compiled, sorted.
    pub failed: Vec<String>,
}

impl BuildOutput {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|diag| diag.severity == Severity::Error)
    }
}

/// One compiled detection as the manifest lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompiledEntry {
    /// Display path of the spec.
    pub spec: String,
    /// Analytics rule or hunting query.
    pub spec_kind: SpecKind,
    /// The spec `id`.
    pub id: String,
    /// The resource GUID.
    pub guid: String,
    /// The resource type.
    pub resource_type: String,
    /// The resource name, with the workspace written `{workspace}`.
    pub resource_name: String,
    /// The API version.
    pub api_version: String,
    /// Relative path of the ARM template.
    pub arm_path: String,
    /// Relative path of the Bicep file.
    pub bicep_path: String,
}

struct Compiled<'a> {
    detection: &'a Detection,
    guid: String,
    resource: Resource,
}

/// Compiles every detection that can be compiled, and reports the rest.
///
/// A detection with an error is left out of the file set; the caller decides whether the
/// remaining files may be written (`--keep-going`) or not. Two detections with the same
/// resource name are both left out, since either one would overwrite the other in Azure.
///
/// An IOC spec (`ioc` set) should be expanded with the project's exclusions first
/// ([`crate::ioc::expand`]); one passed here is expanded without exclusions, so any exclusion it
/// names is an error (`EXC004`) rather than silently left out.
pub fn build(detections: &[Detection], options: &Options) -> BuildOutput {
    let mut output = BuildOutput::default();
    let detections: Vec<&Detection> = detections.iter().collect();
    let generated = expand_unexpanded(&detections, &mut output);
    let compiled = compile_all(&detections, &generated, options, &mut output);
    let compiled = drop_duplicates(compiled, &mut output);
    let paths = assign_paths(&compiled);

    let mut entries = Vec::new();
    for (item, (arm_path, bicep_path)) in compiled.iter().zip(paths) {
        let template = Template { resources: vec![item.resource.clone()] };
        output.files.insert(arm_path.clone(), arm::write_template(&template));
        output.files.insert(bicep_path.clone(), bicep::write_template(&template));
        entries.push(CompiledEntry {
            spec: item.detection.path.clone(),
            spec_kind: item.detection.spec_kind,
            id: item.detection.id.value.clone(),
            guid: item.guid.clone(),
            resource_type: item.resource.resource_type.clone(),
            resource_name: resource_name(&item.resource, &item.guid),
            api_version: item.resource.api_version.clone(),
            arm_path,
            bicep_path,
        });
    }

    let bundles = bundles(&compiled);
    for (path, bytes) in &bundles {
        output.files.insert(path.clone(), bytes.clone());
    }
    let manifest = manifest(&entries, &bundles, &output.files);
    output.files.insert(MANIFEST_FILE.to_owned(), manifest);

    output.compiled = entries;
    output.failed.sort();
    output.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    output
}

/// Runs every check of [`build`] and returns its diagnostics, without writing ARM, Bicep, the
/// bundle or the manifest: what `palisade validate` reports so that a clean validate means a
/// clean build.
pub fn check(detections: &[&Detection], options: &Options) -> Vec<Diagnostic> {
    let mut output = BuildOutput::default();
    let generated = expand_unexpanded(detections, &mut output);
    let compiled = compile_all(detections, &generated, options, &mut output);
    drop_duplicates(compiled, &mut output);
    output.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    output.diagnostics
}

/// Expands the IOC specs that were passed unexpanded, without exclusions (see [`build`]).
fn expand_unexpanded(detections: &[&Detection], output: &mut BuildOutput) -> Vec<Detection> {
    let mut generated = Vec::new();
    for detection in detections.iter().filter(|d| d.ioc.is_some()) {
        let mut diagnostics = Vec::new();
        let expanded = crate::ioc::expand(detection, &[], &mut diagnostics);
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            output.failed.push(detection.path.clone());
        } else {
            generated.extend(expanded);
        }
        output.diagnostics.append(&mut diagnostics);
    }
    generated
}

/// Compiles each detection into its resource, in output order (path, target table, id); the
/// ones that cannot be compiled are listed in `output.failed`.
fn compile_all<'a>(
    detections: &[&'a Detection],
    generated: &'a [Detection],
    options: &Options,
    output: &mut BuildOutput,
) -> Vec<Compiled<'a>> {
    let mut sorted: Vec<&Detection> =
        detections.iter().copied().filter(|d| d.ioc.is_none()).chain(generated).collect();
    sorted.sort_by(|a, b| {
        let table = |d: &Detection| d.target.as_ref().map(|t| t.value.clone());
        a.path.cmp(&b.path).then(table(a).cmp(&table(b))).then(a.id.value.cmp(&b.id.value))
    });

    let mut compiled = Vec::new();
    for detection in sorted {
        let _span = tracing::debug_span!("emit", path = %detection.path).entered();
        let mut diagnostics = Vec::new();
        let result = match detection.spec_kind {
            SpecKind::AnalyticsRule => analytics::compile(detection, options, &mut diagnostics)
                .map(|rule| (rule.guid, rule.resource)),
            SpecKind::HuntingQuery => {
                let query = hunting::compile(detection, options, &mut diagnostics);
                Some((query.guid, query.resource))
            }
        };
        output.diagnostics.append(&mut diagnostics);
        match result {
            Some((guid, resource)) => compiled.push(Compiled { detection, guid, resource }),
            None => output.failed.push(detection.path.clone()),
        }
    }
    compiled
}

/// Removes every detection whose GUID another one also has, with one error per detection.
fn drop_duplicates<'a>(compiled: Vec<Compiled<'a>>, output: &mut BuildOutput) -> Vec<Compiled<'a>> {
    let mut by_guid: HashMap<String, Vec<usize>> = HashMap::new();
    for (idx, item) in compiled.iter().enumerate() {
        by_guid.entry(item.guid.clone()).or_default().push(idx);
    }

    let mut keep = Vec::new();
    for (idx, item) in compiled.iter().enumerate() {
        let group = &by_guid[&item.guid];
        if group.len() == 1 {
            keep.push(idx);
            continue;
        }
        let others: Vec<&Compiled<'_>> =
            group.iter().filter(|&&other| other != idx).map(|&other| &compiled[other]).collect();
        let other_paths: Vec<String> =
            others.iter().map(|other| format!("`{}`", other.detection.path)).collect();
        let mut diag = Diagnostic::error(
            codes::DUPLICATE_RESOURCE_NAME,
            format!(
                "`{}` and {} compile to the same resource name `{}`",
                item.detection.path,
                other_paths.join(", "),
                item.guid
            ),
            item.detection.id.span,
        )
        .with_label("this id")
        .with_note("deploying both would make one overwrite the other in the workspace")
        .with_help("give each detection its own `id`; neither file is built until then");
        for other in others {
            diag = diag.with_secondary(other.detection.id.span, "same resource name");
        }
        output.diagnostics.push(diag);
        output.failed.push(item.detection.path.clone());
    }

    compiled.into_iter().enumerate().filter(|(idx, _)| keep.contains(idx)).map(|(_, c)| c).collect()
}

/// The output file stem of a spec path: its file name without extension, with every
/// character outside `A-Za-z0-9._-` replaced by `-`.
pub fn file_stem(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let mut out = String::new();
    for c in stem.chars() {
        let keep = c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
        let c = if keep { c } else { '-' };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    out.trim_matches(['-', '.']).to_owned()
}

/// The output file stem of a detection: [`file_stem`] of its spec path, and for a detection
/// generated from an IOC spec `-<target table>` after it.
pub fn output_stem(detection: &Detection) -> String {
    let stem = file_stem(&detection.path);
    match &detection.target {
        Some(table) => format!("{stem}-{}", file_stem(&format!("{}.x", table.value))),
        None => stem,
    }
}

/// ARM and Bicep paths for each compiled detection. Stems that collide within a folder
/// (compared case-insensitively, for case-insensitive file systems) get `-<guid>` appended.
fn assign_paths(compiled: &[Compiled<'_>]) -> Vec<(String, String)> {
    let folder = |item: &Compiled<'_>| match item.detection.spec_kind {
        SpecKind::AnalyticsRule => ANALYTICS_DIR,
        SpecKind::HuntingQuery => HUNTING_DIR,
    };
    let stems: Vec<String> = compiled.iter().map(|item| output_stem(item.detection)).collect();
    let mut counts: HashMap<(String, &str), usize> = HashMap::new();
    for (item, stem) in compiled.iter().zip(&stems) {
        *counts.entry((stem.to_lowercase(), folder(item))).or_default() += 1;
    }

    compiled
        .iter()
        .zip(stems)
        .map(|(item, stem)| {
            let unique = counts[&(stem.to_lowercase(), folder(item))] == 1 && !stem.is_empty();
            let stem = match (unique, stem.is_empty()) {
                (true, _) => stem,
                (false, true) => item.guid.clone(),
                (false, false) => format!("{stem}-{}", item.guid),
            };
            let dir = folder(item);
            (format!("{ARM_DIR}/{dir}/{stem}.json"), format!("{BICEP_DIR}/{dir}/{stem}.bicep"))
        })
        .collect()
}

fn resource_name(resource: &Resource, guid: &str) -> String {
    match resource.resource_type.as_str() {
        analytics::LEGACY_TYPE => format!("{{workspace}}/Microsoft.SecurityInsights/{guid}"),
        hunting::SAVED_SEARCH_TYPE => format!("{{workspace}}/{guid}"),
        _ => guid.to_owned(),
    }
}

/// Bundle templates holding every compiled resource, split to stay under ARM's limits.
/// One part is `bundle/bundle.json`; several are `bundle/bundle-001.json` and up.
fn bundles(compiled: &[Compiled<'_>]) -> Vec<(String, Vec<u8>)> {
    let mut parts: Vec<Vec<Resource>> = Vec::new();
    let mut current: Vec<Resource> = Vec::new();
    let mut current_bytes = 0;
    for (idx, item) in compiled.iter().enumerate() {
        let mut resource = item.resource.clone();
        resource.symbol = format!("resource{}", idx + 1);
        let size = arm::to_bytes(&arm::lower_resource(&resource)).len();
        let full = current.len() == MAX_BUNDLE_RESOURCES || current_bytes + size > MAX_BUNDLE_BYTES;
        if !current.is_empty() && full {
            parts.push(std::mem::take(&mut current));
            current_bytes = 0;
        }
        current_bytes += size;
        current.push(resource);
    }
    if !current.is_empty() || parts.is_empty() {
        parts.push(current);
    }

    let n_parts = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(idx, resources)| {
            let name = if n_parts == 1 {
                format!("{BUNDLE_DIR}/bundle.json")
            } else {
                format!("{BUNDLE_DIR}/bundle-{:03}.json", idx + 1)
            };
            (name, arm::write_template(&Template { resources }))
        })
        .collect()
}

/// The SHA-256 of some bytes, as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn manifest(
    entries: &[CompiledEntry],
    bundles: &[(String, Vec<u8>)],
    files: &BTreeMap<String, Vec<u8>>,
) -> Vec<u8> {
    let file_entry = |path: &str| {
        let mut map = Map::new();
        map.insert("path".into(), Json::String(path.to_owned()));
        let bytes = files.get(path).map_or(&[][..], Vec::as_slice);
        map.insert("sha256".into(), Json::String(sha256_hex(bytes)));
        Json::Object(map)
    };

    let detections = entries
        .iter()
        .map(|entry| {
            let mut map = Map::new();
            map.insert("spec".into(), Json::String(entry.spec.clone()));
            let kind = match entry.spec_kind {
                SpecKind::AnalyticsRule => "analyticsRule",
                SpecKind::HuntingQuery => "huntingQuery",
            };
            map.insert("kind".into(), Json::String(kind.into()));
            map.insert("id".into(), Json::String(entry.id.clone()));
            map.insert("guid".into(), Json::String(entry.guid.clone()));
            map.insert("resourceType".into(), Json::String(entry.resource_type.clone()));
            map.insert("resourceName".into(), Json::String(entry.resource_name.clone()));
            map.insert("apiVersion".into(), Json::String(entry.api_version.clone()));
            map.insert("arm".into(), file_entry(&entry.arm_path));
            map.insert("bicep".into(), file_entry(&entry.bicep_path));
            Json::Object(map)
        })
        .collect();

    let bundle_entries = bundles.iter().map(|(path, _)| file_entry(path)).collect();

    let mut document = Map::new();
    document.insert("version".into(), Json::from(MANIFEST_VERSION));
    document.insert("generator".into(), Json::String("palisade".into()));
    document.insert("detections".into(), Json::Array(detections));
    document.insert("bundles".into(), Json::Array(bundle_entries));
    arm::to_bytes(&Json::Object(document))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_safe_and_readable() {
        assert_eq!(file_stem("detections/aad/Impossible travel (v2).yaml"), "Impossible-travel-v2");
        assert_eq!(file_stem("a\\b\\c.yml"), "c");
        assert_eq!(file_stem("x/ünïcode name.yaml"), "n-code-name");
        assert_eq!(file_stem("x/(((.yaml"), "");
        assert_eq!(file_stem("x/rule.v2.yaml"), "rule.v2");
    }

    #[test]
    fn sha256_matches_known_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
