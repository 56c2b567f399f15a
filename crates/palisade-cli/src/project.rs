//! Finding, reading and checking the spec files of a run; shared by `validate` and `build`.
//!
//! Paths are files or folders. Folders are walked recursively for `.yaml` and `.yml` files and
//! bare queries (`.kql`, `.kusto`, `.csl`; hidden folders such as `.git` are skipped); files
//! named on the command line are read whatever their extension, as queries when it is a query
//! extension and as specs otherwise. Files are read in sorted path order, so file ids, diagnostics and
//! output are the same on every run.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};
use palisade_diagnostics::{Diagnostic, FileId, Severity, SourceFiles};
use palisade_spec::load::Outcome;
use palisade_spec::{Detection, codes as spec_codes, ioc, yaml};
use walkdir::WalkDir;

/// Every file of a run, what was loaded from them, and what was found.
#[derive(Debug, Default)]
pub struct Project {
    /// Every file read, with the (normalised) text diagnostics point into.
    pub files: SourceFiles,
    /// The detections loaded, in path order, including those with errors: check
    /// [`Project::has_errors`] before compiling one.
    pub detections: Vec<Detection>,
    /// Everything found, sorted by file, offset and code.
    pub diagnostics: Vec<Diagnostic>,
    /// Files that are YAML but not specs, with the reason (exclusion files are not listed).
    pub skipped: Vec<(FileId, String)>,
    /// The exclusions loaded from exclusion files, in path order, without invalid ones.
    pub exclusions: Vec<palisade_ioc::exclusion::Exclusion>,
    /// How many IOC specs were expanded into the detections above.
    pub ioc_specs: usize,
    /// Exclusion files that were recognised as such but failed to load.
    pub failed_exclusions: Vec<palisade_ioc::exclusion::FailedExclusion>,
    /// The date exclusion expiry and indicator age are measured at (`--as-of`).
    pub as_of: Option<palisade_ioc::Date>,
}

impl Project {
    /// Whether any error-level diagnostic points into `file`.
    pub fn has_errors(&self, file: FileId) -> bool {
        self.diagnostics
            .iter()
            .any(|diag| diag.severity == Severity::Error && diag.primary.span.file == file)
    }
}

/// The folders used when no path is given: `detections/` and `exclusions/` of the repository
/// (the closest folder with a `.git` above the current one, else the current folder). Folders
/// that do not exist are left out.
///
/// # Errors
///
/// When the current folder cannot be read.
pub fn default_paths() -> anyhow::Result<Vec<PathBuf>> {
    let root = repository_root()?;
    let paths =
        ["detections", "exclusions"].iter().map(|name| root.join(name)).filter(|p| p.is_dir());
    Ok(paths.collect())
}

/// The closest folder with a `.git` at or above the current one, else the current folder.
///
/// # Errors
///
/// When the current folder cannot be read.
pub fn repository_root() -> anyhow::Result<PathBuf> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    Ok(cwd.ancestors().find(|dir| dir.join(".git").exists()).unwrap_or(&cwd).to_path_buf())
}

/// Lists the spec files under `paths`, sorted and without duplicates.
///
/// # Errors
///
/// When a path does not exist or a folder cannot be walked.
pub fn discover(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for path in paths {
        let metadata =
            std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
        if metadata.is_file() {
            found.push(path.clone());
            continue;
        }
        if !metadata.is_dir() {
            bail!("{} is neither a file nor a folder", path.display());
        }
        let walker = WalkDir::new(path).sort_by_file_name().into_iter().filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        });
        for entry in walker {
            let entry = entry.with_context(|| format!("walking {}", path.display()))?;
            let path = entry.path();
            if entry.file_type().is_file()
                && (is_yaml(path) || crate::kql_files::is_query_file(path))
            {
                found.push(entry.into_path());
            }
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml"))
}

/// The path as shown to users: relative to the repository root when it is inside it (so that
/// GitHub annotations find the file from any working folder), with `/` separators.
fn display_path(path: &Path, root: &Path) -> String {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|cwd| cwd.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    let absolute = normalize(&absolute);
    let shown = absolute.strip_prefix(root).map_or_else(|_| normalize(path), Path::to_path_buf);
    shown.to_string_lossy().replace('\\', "/")
}

/// Reads and checks one file into the project.
fn read_file(project: &mut Project, path: &Path, root: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading spec {}", path.display()))?;
    let shown = display_path(path, root);
    if crate::kql_files::is_query_file(path) {
        let (_, diagnostics) =
            palisade_validator::query::check_query_bytes(&mut project.files, &shown, &bytes);
        project.diagnostics.extend(diagnostics);
        return Ok(());
    }
    let (file, result) = palisade_validator::check_file(&mut project.files, &shown, &bytes);
    project.diagnostics.extend(result.diagnostics);
    match result.outcome {
        Outcome::Detection(detection) => project.detections.push(*detection),
        Outcome::Skipped { reason } => {
            if !load_exclusion(project, file) {
                project.skipped.push((file, reason));
            }
        }
        Outcome::Failed => {}
    }
    Ok(())
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    std::env::current_dir().map(|cwd| cwd.join(path)).unwrap_or_else(|_| path.to_path_buf())
}

/// Loads `file` as an exclusion file if it is one, replacing its "skipped" note with what
/// loading it found. Returns whether it was one.
fn load_exclusion(project: &mut Project, file: FileId) -> bool {
    let text = project.files.get(file).text().to_owned();
    let Some(root) = yaml::parse(file, &text).root else {
        return false;
    };
    if !ioc::is_exclusion_document(&root) {
        return false;
    }
    project
        .diagnostics
        .retain(|diag| !(diag.code == spec_codes::SKIPPED_FILE && diag.primary.span.file == file));
    let mut diagnostics = Vec::new();
    let loaded = ioc::load_exclusion(&root, &mut diagnostics);
    if loaded.is_none() {
        // Remembered so that a detection listing it hears why it is missing (EXC017).
        if let Some(id) = ioc::exclusion_document_id(&root) {
            let error = diagnostics
                .iter()
                .chain(project.diagnostics.iter().filter(|d| d.primary.span.file == file))
                .find(|d| d.severity == Severity::Error)
                .map(|d| d.primary.span);
            project.failed_exclusions.push(palisade_ioc::exclusion::FailedExclusion { id, error });
        }
    }
    if let Some(exclusion) = loaded {
        match project.exclusions.iter().find(|known| known.id.value == exclusion.id.value) {
            Some(first) => diagnostics.push(
                Diagnostic::error(
                    palisade_ioc::codes::EXC014_DUPLICATE_ID,
                    format!("Exclusion id `{}` is defined twice", exclusion.id.value),
                    exclusion.id.span,
                )
                .with_secondary(first.id.span, "first defined here")
                .with_note("specs refer to exclusions by id, so the id must name one file")
                .with_help("rename one of them, or merge the two files"),
            ),
            None => {
                diagnostics.extend(project.as_of.and_then(|as_of| exclusion.check_expiry(as_of)));
                project.exclusions.push(exclusion);
            }
        }
    }
    project.diagnostics.extend(diagnostics);
    true
}

/// Replaces each IOC spec by the analytics rules and hunting queries generated from it, with
/// the diagnostics of generation; notes exclusions that no spec applies.
fn expand_ioc_specs(project: &mut Project) {
    let detections = std::mem::take(&mut project.detections);
    let mut used: Vec<String> = Vec::new();
    for detection in detections {
        let detection = crate::hygiene::drop_failed_references(
            detection,
            &project.exclusions,
            &project.failed_exclusions,
            &mut project.diagnostics,
        );
        let Some(spec) = &detection.ioc else {
            project.detections.push(detection);
            continue;
        };
        project.ioc_specs += 1;
        used.extend(spec.exclusions.iter().map(|reference| reference.id.value.clone()));
        let generated = palisade_compiler::ioc::expand(
            &detection,
            &project.exclusions,
            &mut project.diagnostics,
        );
        if generated.is_empty() {
            // Nothing to build; the template stays so that the file counts as loaded.
            project.detections.push(detection);
        } else {
            project.detections.extend(generated);
        }
    }
    for exclusion in &project.exclusions {
        if !used.contains(&exclusion.id.value) {
            project.diagnostics.push(
                Diagnostic::note_level(
                    palisade_ioc::codes::EXC015_UNUSED,
                    format!("No detection applies exclusion `{}`", exclusion.id.value),
                    exclusion.id.span,
                )
                .with_note("it is valid and kept for detections that list it in `exclusions`"),
            );
        }
    }
}

/// Removes `.` and resolves `..` by the path's text alone (no symlinks are followed).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Reads and checks every spec file under `paths` (or the default folders when empty), with
/// exclusion expiry and indicator age measured as `policy` says.
///
/// # Errors
///
/// When we could not run: a path that does not exist, or a file that cannot be read.
/// Problems in the files themselves are diagnostics.
pub fn load_project(
    paths: &[PathBuf],
    policy: palisade_ioc::hygiene::AgePolicy,
) -> anyhow::Result<Project> {
    let paths = if paths.is_empty() { default_paths()? } else { paths.to_vec() };
    let root = repository_root()?;
    let spec_files = discover(&paths)?;
    tracing::debug!(n_files = spec_files.len(), "discovered spec files");

    let mut project = Project { as_of: Some(policy.as_of), ..Project::default() };
    for path in &spec_files {
        read_file(&mut project, path, &root)?;
    }
    // IOC specs refer to exclusions by id, so when the run has one, the repository's
    // exclusion files are read too, also if only some specs were named.
    let exclusions_dir = root.join("exclusions");
    if project.detections.iter().any(|d| d.ioc.is_some()) && exclusions_dir.is_dir() {
        let known: Vec<PathBuf> = spec_files.iter().map(|p| normalize(&absolute(p))).collect();
        for path in discover(&[exclusions_dir])? {
            if !known.contains(&normalize(&absolute(&path))) {
                read_file(&mut project, &path, &root)?;
            }
        }
    }
    project.diagnostics.extend(palisade_validator::check_duplicate_ids(&project.detections));
    project.diagnostics.extend(crate::hygiene::check_indicators(&project.detections, policy));
    expand_ioc_specs(&mut project);
    palisade_validator::sort(&mut project.diagnostics);
    Ok(project)
}
