//! Checks for Palisade detection specs.
//!
//! This crate owns what `palisade validate` checks about spec files: that they are readable
//! (size, UTF-8, not empty), YAML syntax (through `palisade-spec`), the JSON Schemas in
//! `schemas/`, Sentinel's limits and rule semantics (`SPEC1xx`), the registry of codes, and
//! the checks across the files of a run ([`check_project`]: duplicate ids, indicators listed in
//! several specs, indicator age). It reads no files and prints nothing: callers pass bytes and
//! get diagnostics back. KQL checks live in `palisade-kql`.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod checks;
pub mod limits;
pub mod lints;
pub mod query;
pub mod registry;
pub mod registry_emit;
pub mod registry_ioc;
pub mod schema;
pub mod silence;

use std::collections::HashMap;

use palisade_diagnostics::{Diagnostic, FileId, Severity, SourceFiles, Span};
use palisade_ioc::hygiene::{self, AgePolicy};
use palisade_spec::load::{self, LoadResult, Outcome};
use palisade_spec::{Detection, codes, yaml};

/// Largest spec file we read: 1 MiB. A query is at most 10,000 characters, so real specs are
/// far smaller; the limit keeps a stray large file from slowing a folder walk.
pub const MAX_FILE_SIZE: usize = 1024 * 1024;

/// Adds a file's bytes to `files` and checks it: readability, YAML, schema, loading, limits.
///
/// The text kept in `files` is the normalised text spans index (see
/// [`yaml::normalize_source`]). Files that are too large or not UTF-8 are added with text
/// the renderers can show, and fail without further checks.
pub fn check_file(files: &mut SourceFiles, path: &str, bytes: &[u8]) -> (FileId, LoadResult) {
    let _span = tracing::debug_span!("validate", path).entered();
    if bytes.len() > MAX_FILE_SIZE {
        let file = files.add(path, "");
        let diag = Diagnostic::error(
            codes::FILE_TOO_LARGE,
            format!("The file is {} bytes, over the 1 MiB limit", bytes.len()),
            Span::file_start(file),
        )
        .with_note(
            "spec files are small (a query is at most 10,000 characters), so this is not read",
        )
        .with_help("split the content, or move it out of the spec folders");
        return (file, failed(diag));
    }
    if let Some(sniffed) = palisade_spec::encoding::sniff(bytes) {
        let file = files.add(path, sniffed.text.clone());
        return (file, failed(sniffed.diagnostic(file, "spec files")));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = error.valid_up_to();
            let shown = String::from_utf8_lossy(bytes).into_owned();
            let shown = yaml::normalize_source(&shown).into_owned();
            let file = files.add(path, shown);
            let offset = String::from_utf8_lossy(&bytes[..valid]).len() as u32;
            let diag = Diagnostic::error(
                codes::NOT_UTF8,
                format!("The file is not valid UTF-8 (first bad byte at offset {valid})"),
                Span::new(file, offset, offset),
            )
            .with_note("spec files must be UTF-8; other encodings change names and queries")
            .with_help("re-save the file as UTF-8");
            return (file, failed(diag));
        }
    };
    let normalized = yaml::normalize_source(text).into_owned();
    let file = files.add(path, normalized);
    let text = files.get(file).text().to_owned();
    (file, check_text(file, path, &text))
}

fn failed(diag: Diagnostic) -> LoadResult {
    LoadResult { outcome: Outcome::Failed, diagnostics: vec![diag] }
}

/// Checks one file's normalised text (already added to `SourceFiles` as `file`).
pub fn check_text(file: FileId, path: &str, text: &str) -> LoadResult {
    let parsed = yaml::parse(file, text);
    let mut diagnostics = parsed.diagnostics;
    let Some(root) = parsed.root else {
        if !diagnostics.iter().any(|diag| diag.severity == Severity::Error) {
            diagnostics.push(load::empty_file(file));
        }
        return LoadResult { outcome: Outcome::Failed, diagnostics };
    };

    if let Some(mut result) = load::multiple_documents(file, &root, &parsed.more_documents) {
        diagnostics.append(&mut result.diagnostics);
        return LoadResult { outcome: result.outcome, diagnostics };
    }
    let mut loaded = load::load_document(file, path, text, &root);
    let is_spec = !matches!(loaded.outcome, Outcome::Skipped { .. }) && root.as_mapping().is_some();
    let schema_diagnostics =
        if is_spec { schema::check(file, &root, load::classify(path, &root)) } else { Vec::new() };
    if let Outcome::Detection(detection) = &loaded.outcome {
        loaded.diagnostics.extend(checks::check(detection, &root));
        loaded.diagnostics.extend(silence::check_entries(&root));
        loaded.diagnostics.extend(lints::check_detection(detection));
        loaded.diagnostics.extend(query::check(detection, text));
    }
    diagnostics.append(&mut loaded.diagnostics);
    merge_schema(&mut diagnostics, schema_diagnostics);
    drop_nested_key_errors(&mut diagnostics);
    sort(&mut diagnostics);
    LoadResult { outcome: loaded.outcome, diagnostics }
}

/// Adds schema findings that say something new: one at the same span as a finding of the
/// loader or the checks, one starting where a limit check's finding (`SPEC1xx`) starts, or
/// one with the same code and message, repeats what they already said more precisely.
fn merge_schema(diagnostics: &mut Vec<Diagnostic>, schema_diagnostics: Vec<Diagnostic>) {
    let n_own = diagnostics.len();
    for diag in schema_diagnostics {
        let repeated = diagnostics[..n_own].iter().any(|seen| {
            seen.primary.span == diag.primary.span
                || (seen.primary.span.file == diag.primary.span.file
                    && seen.primary.span.start == diag.primary.span.start
                    && seen.code.as_str().starts_with("SPEC1"))
                || (seen.code == diag.code && seen.message == diag.message)
        });
        if !repeated {
            diagnostics.push(diag);
        }
    }
}

/// Drops "a mapping key is not a plain value" inside a value already reported with the wrong
/// type: unquoted `{{Column}}` is both, and the type error says how to fix it.
fn drop_nested_key_errors(diagnostics: &mut Vec<Diagnostic>) {
    let outer: Vec<Span> = diagnostics
        .iter()
        .filter(|diag| diag.code == codes::WRONG_TYPE)
        .map(|diag| diag.primary.span)
        .collect();
    diagnostics.retain(|diag| {
        let span = diag.primary.span;
        let inside = |outer: &Span| {
            outer.file == span.file && outer.start < span.start && span.end <= outer.end
        };
        diag.code != codes::UNSUPPORTED_YAML || !outer.iter().any(inside)
    });
}

/// Sorts diagnostics into the deterministic output order.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Every check that needs all the specs of a run, on the detections as loaded (IOC specs not
/// yet expanded), in the run's order: duplicate ids ([`check_duplicate_ids`]) and the run-wide
/// indicator checks ([`check_indicators`]), sorted.
///
/// [`check_file`] checks one file; a project is checked by calling it on every file, then this
/// on the detections they gave. `policy` is the date indicator age is measured at and the
/// maximum age (`palisade validate --as-of` and `--ioc-max-age`).
pub fn check_project(detections: &[Detection], policy: AgePolicy) -> Vec<Diagnostic> {
    let mut diagnostics = check_duplicate_ids(detections);
    diagnostics.extend(check_indicators(detections, policy));
    sort(&mut diagnostics);
    diagnostics
}

/// The indicator checks that need the whole run ([`palisade_ioc::hygiene::check_run`]) over
/// the IOC specs among `detections`, in their order: the same indicator in several specs
/// (`IOC030`), an `ip:port` whose address another spec lists alone (`IOC033`), and indicator
/// age (`IOC031`, `IOC032`, `IOC036`).
pub fn check_indicators(detections: &[Detection], policy: AgePolicy) -> Vec<Diagnostic> {
    let specs = detections.iter().filter_map(|detection| {
        detection.ioc.as_ref().map(|spec| (detection.path.as_str(), &spec.iocs))
    });
    hygiene::check_run(specs, policy)
}

/// Reports ids used by more than one detection: an error on each later file, naming the first.
///
/// Ids are compared as the compiler turns them into rule GUIDs (see [`rule_identity`]): a GUID
/// in any letter case, bare or in one pair of braces, is one id, so `{8B2C…}` and `8b2c…` are
/// reported here as the same id rather than later as two colliding resource names (`EMIT003`);
/// every other id is compared exactly, as its derived GUID is.
pub fn check_duplicate_ids<'a>(
    detections: impl IntoIterator<Item = &'a Detection>,
) -> Vec<Diagnostic> {
    let mut first_by_id: HashMap<String, &Detection> = HashMap::new();
    let mut diagnostics = Vec::new();
    for detection in detections {
        let key = rule_identity(&detection.id.value);
        let Some(first) = first_by_id.get(&key) else {
            first_by_id.insert(key, detection);
            continue;
        };
        let (written, first_written) = (detection.id.value.as_str(), first.id.value.as_str());
        let mut message = format!("Duplicate id `{written}`: also used by `{}`", first.path);
        if written != first_written {
            message.push_str(&format!(", written `{first_written}`"));
        }
        let mut diag = Diagnostic::error(codes::DUPLICATE_ID, message, detection.id.span)
            .with_label(format!("used here in `{}`", detection.path))
            .with_secondary(first.id.span, format!("first used in `{}`", first.path))
            .with_note("both files would deploy to the same Sentinel rule, and the last one wins");
        if written != first_written {
            diag = diag
                .with_note("a GUID names one rule in any letter case and with or without braces");
        }
        diagnostics.push(diag.with_help("give one of them a new GUID"));
    }
    diagnostics
}

/// The form of a spec `id` that names its rule: for a GUID in the usual 36-character
/// hyphenated form (any letter case, bare or in one pair of braces), the GUID in lower case
/// without braces; for any other id, the id exactly as written.
///
/// Two ids with the same identity compile to the same rule GUID. This mirrors the compiler's
/// GUID derivation (docs/decisions/0002-rule-guids.md); a test of this crate checks both agree.
pub fn rule_identity(id: &str) -> String {
    let unbraced = id.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')).unwrap_or(id);
    let is_guid = unbraced.len() == 36
        && unbraced.bytes().enumerate().all(|(idx, byte)| match idx {
            8 | 13 | 18 | 23 => byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        });
    if is_guid { unbraced.to_ascii_lowercase() } else { id.to_owned() }
}
