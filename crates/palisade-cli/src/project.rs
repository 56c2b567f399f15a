//! Finding, reading and checking the spec files of a run; shared by `validate` and `build`.
//!
//! Paths are files or folders. Folders are walked recursively for `.yaml` and `.yml` files
//! (hidden folders such as `.git` are skipped); files named on the command line are read
//! whatever their extension. Files are read in sorted path order, so file ids, diagnostics and
//! output are the same on every run.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};
use palisade_diagnostics::{Diagnostic, FileId, Severity, SourceFiles};
use palisade_spec::Detection;
use palisade_spec::load::Outcome;
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
    /// Files that are YAML but not specs, with the reason.
    pub skipped: Vec<(FileId, String)>,
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
            if entry.file_type().is_file() && is_yaml(entry.path()) {
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

/// Reads and checks every spec file under `paths` (or the default folders when empty).
///
/// # Errors
///
/// When we could not run: a path that does not exist, or a file that cannot be read.
/// Problems in the files themselves are diagnostics.
pub fn load_project(paths: &[PathBuf]) -> anyhow::Result<Project> {
    let paths = if paths.is_empty() { default_paths()? } else { paths.to_vec() };
    let spec_files = discover(&paths)?;
    tracing::debug!(n_files = spec_files.len(), "discovered spec files");

    let root = repository_root()?;
    let mut project = Project::default();
    for path in &spec_files {
        let bytes =
            std::fs::read(path).with_context(|| format!("reading spec {}", path.display()))?;
        let shown = display_path(path, &root);
        let (file, result) = palisade_validator::check_file(&mut project.files, &shown, &bytes);
        project.diagnostics.extend(result.diagnostics);
        match result.outcome {
            Outcome::Detection(detection) => project.detections.push(*detection),
            Outcome::Skipped { reason } => project.skipped.push((file, reason)),
            Outcome::Failed => {}
        }
    }
    project.diagnostics.extend(palisade_validator::check_duplicate_ids(&project.detections));
    palisade_validator::sort(&mut project.diagnostics);
    Ok(project)
}
