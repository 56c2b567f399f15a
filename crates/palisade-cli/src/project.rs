//! Finding, reading and checking the spec files of a run; shared by `validate` and `build`.
//!
//! Paths are files or folders. Folders are walked recursively for `.yaml` and `.yml` files and
//! bare queries (`.kql`, `.kusto`, `.csl`); folders and files whose names start with `.`
//! (`.git`, `.github`, `.pre-commit-config.yaml`) are passed over unless named on the command
//! line. Files named on the command line are read whatever their extension, as queries when it
//! is a query extension and as specs otherwise. Files are read in sorted path order, so file ids, diagnostics and
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
/// Symbolic links are followed, to files and to folders. A file reached by more than one
/// path (through a link, or named twice) is listed once, under the first of its paths in
/// sorted order. A link that leads back into a folder being walked (a loop) and a link whose
/// target does not exist are skipped with a warning on stderr.
///
/// # Errors
///
/// When a path does not exist or a folder cannot be walked.
pub fn discover(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    // Each file with the path it is known by on disk, for telling files reached twice apart.
    let mut found: Vec<(PathBuf, PathBuf)> = Vec::new();
    for path in paths {
        let metadata =
            std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
        if metadata.is_file() {
            found.push((path.clone(), canonical(path)));
            continue;
        }
        if !metadata.is_dir() {
            bail!("{} is neither a file nor a folder", path.display());
        }
        let root = canonical(path);
        // Folders reached through a link, with where they are on disk: files under them are
        // not under `root` on disk.
        let mut linked: Vec<(PathBuf, PathBuf)> = Vec::new();
        let walker =
            WalkDir::new(path).follow_links(true).sort_by_file_name().into_iter().filter_entry(
                |entry| entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.'),
            );
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    skip_link(&error).with_context(|| format!("walking {}", path.display()))?;
                    continue;
                }
            };
            let path_here = entry.path();
            if entry.path_is_symlink() && entry.file_type().is_dir() {
                linked.push((path_here.to_path_buf(), canonical(path_here)));
            }
            if !entry.file_type().is_file()
                || !(is_yaml(path_here) || crate::kql_files::is_query_file(path_here))
            {
                continue;
            }
            let on_disk = if entry.path_is_symlink() {
                canonical(path_here)
            } else if let Some((dir, target)) =
                linked.iter().rev().find(|(dir, _)| path_here.starts_with(dir))
            {
                target.join(path_here.strip_prefix(dir).unwrap_or(path_here))
            } else {
                root.join(path_here.strip_prefix(path).unwrap_or(path_here))
            };
            found.push((entry.into_path(), on_disk));
        }
    }
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    let mut seen = std::collections::HashSet::new();
    found.retain(|(_, on_disk)| seen.insert(on_disk.clone()));
    Ok(found.into_iter().map(|(path, _)| path).collect())
}

/// Where `path` is on disk, links resolved; the path as it is when that cannot be found.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| normalize(&absolute(path)))
}

/// Skips a walk error caused by a link (a loop, or a target that does not exist) with a
/// warning; any other error is returned.
fn skip_link(error: &walkdir::Error) -> anyhow::Result<()> {
    let shown = error.path().map_or_else(String::new, |path| path.display().to_string());
    if let Some(ancestor) = error.loop_ancestor() {
        say!(
            "palisade: warning: skipping {shown}: the link leads back to {}, which is already \
             being read",
            ancestor.display()
        );
        return Ok(());
    }
    let broken_link = error.io_error().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
        && error.path().is_some_and(|path| path.is_symlink());
    if broken_link {
        say!("palisade: warning: skipping {shown}: the link's target does not exist");
        return Ok(());
    }
    Err(anyhow::anyhow!("{error}"))
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

/// What reading and checking one file found, before it joins the project.
enum Checked {
    /// A bare query file and its findings.
    Query(Vec<Diagnostic>),
    /// A YAML file and what loading it gave.
    Spec(palisade_spec::load::LoadResult),
}

/// One file read and checked by a worker: its display path and what was found.
struct CheckedFile {
    shown: String,
    checked: Checked,
}

/// A worker's own file table. Its ids are the run's: the file at index `i` of the run has id
/// `i` here too, and the ids of files other workers read hold empty placeholders. So the spans
/// in what a worker found need no renumbering when the results are merged in path order.
#[derive(Default)]
struct WorkerFiles {
    files: SourceFiles,
}

impl WorkerFiles {
    /// Reads and checks the file that gets id `index` in the run.
    fn check(&mut self, index: usize, path: &Path, root: &Path) -> anyhow::Result<CheckedFile> {
        while self.files.len() < index {
            self.files.add("", "");
        }
        let bytes =
            std::fs::read(path).with_context(|| format!("reading spec {}", path.display()))?;
        let shown = display_path(path, root);
        let (file, checked) = if crate::kql_files::is_query_file(path) {
            let (file, diagnostics) =
                palisade_validator::query::check_query_bytes(&mut self.files, &shown, &bytes);
            (file, Checked::Query(diagnostics))
        } else {
            let (file, result) = palisade_validator::check_file(&mut self.files, &shown, &bytes);
            (file, Checked::Spec(result))
        };
        if file.0 as usize != index || self.files.len() != index + 1 {
            bail!("internal error: checking {} did not add exactly one file", path.display());
        }
        Ok(CheckedFile { shown, checked })
    }

    /// The text kept for the file with id `index`.
    fn text(&self, index: usize) -> &str {
        self.files.try_get(FileId(index as u32)).map_or("", |file| file.text())
    }
}

/// The stack of each worker thread: 8 MiB, as the main thread's on Linux.
const WORKER_STACK: usize = 8 << 20;

/// How many threads read and check `n_files` files: one per core, at most 16, and one for
/// small runs, where starting a thread costs more than it saves.
fn worker_count(n_files: usize) -> usize {
    const FILES_PER_THREAD: usize = 16;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    cores.min(16).min(n_files.div_ceil(FILES_PER_THREAD)).max(1)
}

/// Reads and checks `paths` into the project, in parallel, and adds them in the order given,
/// so file ids, findings and output are the same as reading them one by one.
fn read_files(project: &mut Project, paths: &[PathBuf], root: &Path) -> anyhow::Result<()> {
    let base = project.files.len();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut files = WorkerFiles::default();
        let mut done = Vec::new();
        loop {
            let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(path) = paths.get(at) else { break };
            let result = files.check(base + at, path, root);
            let failed = result.is_err();
            done.push((at, result));
            if failed {
                // Later files are not needed: the first error in path order ends the run.
                break;
            }
        }
        (files, done)
    };
    let n_workers = worker_count(paths.len());
    let mut results: Vec<(WorkerFiles, Vec<_>)> = if n_workers == 1 {
        vec![work()]
    } else {
        std::thread::scope(|scope| {
            // The main thread's stack size, so deeply nested queries fare the same on every
            // worker. A thread that cannot start leaves its files to the others: the shared
            // counter hands every file to whichever worker asks first.
            let handles: Vec<_> = (1..n_workers)
                .filter_map(|_| {
                    std::thread::Builder::new()
                        .stack_size(WORKER_STACK)
                        .spawn_scoped(scope, work)
                        .ok()
                })
                .collect();
            let mut results = vec![work()];
            for handle in handles {
                match handle.join() {
                    Ok(result) => results.push(result),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            results
        })
    };
    let mut slots: Vec<Option<(usize, anyhow::Result<CheckedFile>)>> =
        std::iter::repeat_with(|| None).take(paths.len()).collect();
    for (table, (_, done)) in results.iter_mut().enumerate() {
        for (at, result) in done.drain(..) {
            slots[at] = Some((table, result));
        }
    }
    // Every index below a worker's failure was taken by some worker, which finished it: the
    // first empty slot can only follow an error.
    for (at, slot) in slots.into_iter().enumerate() {
        let Some((table, result)) = slot else { break };
        let checked = result?;
        let text = results.get(table).map_or("", |(files, _)| files.text(base + at));
        let file = project.files.add(checked.shown, text);
        add_checked(project, file, checked.checked);
    }
    Ok(())
}

/// Adds what checking `file` found to the project.
fn add_checked(project: &mut Project, file: FileId, checked: Checked) {
    let result = match checked {
        Checked::Query(diagnostics) => {
            project.diagnostics.extend(diagnostics);
            return;
        }
        Checked::Spec(result) => result,
    };
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
    let defaulted = paths.is_empty();
    let paths = if defaulted { default_paths()? } else { paths.to_vec() };
    let root = repository_root()?;
    if defaulted && paths.is_empty() {
        bail!(
            "nothing to check: {} has no `detections/` or `exclusions/` folder; run from the \
             repository, or name the folders or files to check",
            root.display()
        );
    }
    let spec_files = discover(&paths)?;
    // A run that checks nothing must not pass: a mis-pointed CI job would go green.
    for path in paths.iter().filter(|path| path.is_dir()) {
        if !spec_files.iter().any(|file| file.starts_with(path)) {
            bail!(
                "nothing to check in {}: it holds no `.yaml`, `.yml`, `.kql`, `.kusto` or `.csl` \
                 file (names starting with `.` are passed over); name the folders that hold the \
                 specs",
                path.display()
            );
        }
    }
    tracing::debug!(n_files = spec_files.len(), "discovered spec files");

    let mut project = Project { as_of: Some(policy.as_of), ..Project::default() };
    read_files(&mut project, &spec_files, &root)?;
    // IOC specs refer to exclusions by id, so when the run has one, the repository's
    // exclusion files are read too, also if only some specs were named.
    let exclusions_dir = root.join("exclusions");
    if project.detections.iter().any(|d| d.ioc.is_some()) && exclusions_dir.is_dir() {
        let known: Vec<PathBuf> = spec_files.iter().map(|p| normalize(&absolute(p))).collect();
        let more: Vec<PathBuf> = discover(&[exclusions_dir])?
            .into_iter()
            .filter(|path| !known.contains(&normalize(&absolute(path))))
            .collect();
        read_files(&mut project, &more, &root)?;
    }
    project.diagnostics.extend(palisade_validator::check_duplicate_ids(&project.detections));
    project.diagnostics.extend(crate::hygiene::check_indicators(&project.detections, policy));
    expand_ioc_specs(&mut project);
    palisade_validator::sort(&mut project.diagnostics);
    Ok(project)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Links to files and folders are followed; a file reached twice is listed once, under
    /// its first path; a loop and a dangling link are skipped.
    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed_once_and_loops_skipped() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("rules")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(root.join("rules/a.yaml"), "id: a\n").unwrap();
        std::fs::write(outside.join("b.kql"), "T | take 1\n").unwrap();
        std::fs::write(outside.join("c.yaml"), "id: c\n").unwrap();
        // A folder link out of the tree, a file link to a file in it, a loop, a dangling link.
        symlink(&outside, root.join("shared")).unwrap();
        symlink(root.join("rules/a.yaml"), root.join("z-again.yaml")).unwrap();
        symlink(&root, root.join("rules/loop")).unwrap();
        symlink(dir.path().join("missing.yaml"), root.join("gone.yaml")).unwrap();

        let found = discover(std::slice::from_ref(&root)).unwrap();
        let shown: Vec<String> = found
            .iter()
            .map(|path| path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"))
            .collect();
        assert_eq!(shown, ["rules/a.yaml", "shared/b.kql", "shared/c.yaml"]);

        // Named twice, and once more through the link: still one file.
        let twice = [root.join("z-again.yaml"), root.join("rules/a.yaml")];
        let found = discover(&twice).unwrap();
        assert_eq!(found, [root.join("rules/a.yaml")]);
    }

    /// Files checked on several threads give what checking them one by one gives.
    #[test]
    fn parallel_reading_keeps_path_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for idx in 0..40 {
            let path = dir.path().join(format!("q{idx:02}.kql"));
            let query = if idx % 3 == 0 { "T | where (x" } else { "SigninLogs | take 1" };
            std::fs::write(&path, query).unwrap();
            paths.push(path);
        }
        let mut project = Project::default();
        read_files(&mut project, &paths, dir.path()).unwrap();
        assert_eq!(project.files.len(), 40);
        let mut one_by_one = Project::default();
        for path in &paths {
            read_files(&mut one_by_one, std::slice::from_ref(path), dir.path()).unwrap();
        }
        let names = |project: &Project| -> Vec<String> {
            project.files.iter().map(|(_, file)| file.path().to_owned()).collect()
        };
        assert_eq!(names(&project), names(&one_by_one));
        assert_eq!(project.diagnostics, one_by_one.diagnostics);
        assert!(project.diagnostics.iter().all(|diag| {
            let file = project.files.get(diag.primary.span.file);
            file.path().ends_with(".kql") && file.text().starts_with('T')
        }));
    }
}
