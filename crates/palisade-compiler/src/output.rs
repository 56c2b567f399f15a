//! Writing a build to disk atomically.
//!
//! The files go to a fresh temporary folder next to the output folder; only when every file
//! is written is the old folder moved aside and the new one renamed into its place. On any
//! error before that swap the output folder is left exactly as it was, and the temporary
//! folder is removed. When the old folder cannot be removed after the swap, the build is in
//! place and [`Written::leftover`] says where the old folder is, for the caller to tell the
//! user.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::build::MANIFEST_FILE;

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmitError {
    /// A file-system operation failed.
    ///
    /// The reason is part of the message and not a separate source, so that a chain of
    /// errors prints it once.
    #[error("{action} {path}: {error}")]
    Io {
        /// What we were doing.
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying error, without a path of its own.
        error: io::Error,
    },
    /// The output path exists but is not a folder.
    #[error("output path {0} exists and is not a folder")]
    NotAFolder(PathBuf),
    /// The output folder has content that Palisade did not write.
    #[error(
        "output folder {0} holds files Palisade did not write (no Palisade {MANIFEST_FILE}, or \
         entries other than arm/, bicep/, bundle/ and {MANIFEST_FILE}); refusing to replace it"
    )]
    NotOurs(PathBuf),
    /// The output folder is a previous build with a file (or link) in it that the build did
    /// not write: its manifest does not list it.
    #[error(
        "output folder {folder} holds {file}, which no build wrote (its {MANIFEST_FILE} does \
         not list it); refusing to replace the folder and delete it: move the file elsewhere \
         and build again"
    )]
    ForeignFile {
        /// The output folder.
        folder: PathBuf,
        /// The file, inside `folder`.
        file: PathBuf,
    },
    /// A relative path in the file set would leave the output folder.
    #[error("output file path {0:?} is not a plain relative path")]
    BadRelativePath(String),
}

fn io_error<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> EmitError + 'a {
    move |error| EmitError::Io { action, path: path.to_owned(), error }
}

/// Creates a folder with a fresh name `<prefix><random>` in `parent` and returns its path.
///
/// `tempfile` picks the name and retries when it is taken; the folder is created here, so a
/// failure is the system's own error (with its OS code), without the path `tempfile` adds to
/// the errors of its own folder type: [`EmitError::Io`] names the path once.
fn fresh_folder(parent: &Path, prefix: &str) -> io::Result<PathBuf> {
    let created = tempfile::Builder::new()
        .prefix(prefix)
        .rand_bytes(RANDOM_LEN)
        .disable_cleanup(true)
        .make_in(parent, |path| fs::create_dir(path).map(|()| path.to_owned()))?;
    Ok(created.into_parts().0)
}

/// A folder that is removed with its contents when dropped, unless [`Staging::keep`] is called.
struct Staging {
    path: Option<PathBuf>,
}

impl Staging {
    fn path(&self) -> &Path {
        self.path.as_deref().expect("the path is taken only by `keep`, which consumes self")
    }

    /// The path, no longer removed on drop.
    fn keep(mut self) -> PathBuf {
        self.path.take().expect("the path is taken only here, once")
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = fs::remove_dir_all(path);
        }
    }
}

/// What [`write_atomically`] did besides writing the build.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Written {
    /// The previous output, moved aside, that could not be removed, and why: the new build
    /// is in place, and this folder is left for the user to delete.
    pub leftover: Option<(PathBuf, io::Error)>,
    /// Temporary folders of earlier builds found next to the output (`.<out>.new-XXXXXX`,
    /// `.<out>.old-XXXXXX`), sorted: a build that was killed leaves them. They are not removed,
    /// since another build may be writing one right now; the caller names them.
    pub stale: Vec<PathBuf>,
}

/// The temporary folders that a build of `out` creates next to it and that are there now:
/// folders named `.<out>.new-` or `.<out>.old-` and six letters or digits, as
/// [`write_atomically`] names them, sorted.
pub fn stale_temporaries(out: &Path) -> Vec<PathBuf> {
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let Some(base) = out.file_name().map(|name| name.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let Ok(entries) = fs::read_dir(&parent) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = [".new-", ".old-"].iter().any(|kind| {
                name.strip_prefix(&format!(".{base}{kind}")).is_some_and(|random| {
                    random.len() == RANDOM_LEN && random.bytes().all(|b| b.is_ascii_alphanumeric())
                })
            });
            ours && entry.file_type().is_ok_and(|kind| kind.is_dir())
        })
        .map(|entry| entry.path())
        .collect();
    found.sort();
    found
}

/// The length of the random part of a temporary folder's name (`tempfile`'s default).
const RANDOM_LEN: usize = 6;

/// Replaces the folder `out` with exactly `files`, or leaves it untouched on error.
///
/// An existing, non-empty folder is replaced only when it looks exactly like a previous build:
/// a `manifest.json` that Palisade wrote and nothing but `arm/`, `bicep/`, `bundle/` and that
/// manifest at its top level, and in those folders only files the manifest lists. Anything
/// else is refused rather than replaced, so that `--out .` or `--out detections` cannot wipe a
/// repository or the specs being built, and a file someone added to a build is not deleted.
///
/// # Errors
///
/// Any file-system failure, a non-folder at `out`, a foreign folder or file, or a file path
/// with `..`, a root or a drive in it.
pub fn write_atomically(
    out: &Path,
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<Written, EmitError> {
    for path in files.keys() {
        check_relative(path)?;
    }
    let existing = inspect_existing(out)?;
    let stale = stale_temporaries(out);

    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io_error("creating", &parent))?;
    let base = out.file_name().map_or_else(|| "out".into(), |name| name.to_string_lossy());

    let staging = fresh_folder(&parent, &format!(".{base}.new-"))
        .map_err(io_error("creating a temporary folder in", &parent))?;
    let staging = Staging { path: Some(staging) };
    for (relative, bytes) in files {
        let path = staging.path().join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io_error("creating", dir))?;
        }
        fs::write(&path, bytes).map_err(io_error("writing", &path))?;
    }
    tracing::debug!(n_files = files.len(), staging = %staging.path().display(), "staged output");

    if !existing {
        let staged = staging.keep();
        return match fs::rename(&staged, out) {
            Ok(()) => Ok(Written { leftover: None, stale }),
            Err(error) => {
                let _ = fs::remove_dir_all(&staged);
                Err(io_error("moving the new output to", out)(error))
            }
        };
    }

    // Reserve a unique name for the old folder, then free it for the rename.
    let backup = fresh_folder(&parent, &format!(".{base}.old-"))
        .map_err(io_error("creating a temporary folder in", &parent))?;
    fs::remove_dir(&backup).map_err(io_error("removing", &backup))?;

    fs::rename(out, &backup).map_err(io_error("moving the old output aside from", out))?;
    let staged = staging.keep();
    if let Err(error) = fs::rename(&staged, out) {
        let _ = fs::rename(&backup, out);
        let _ = fs::remove_dir_all(&staged);
        return Err(io_error("moving the new output to", out)(error));
    }
    match fs::remove_dir_all(&backup) {
        Ok(()) => Ok(Written { leftover: None, stale }),
        Err(error) => Ok(Written { leftover: Some((backup, error)), stale }),
    }
}

/// Whether `out` exists as one of our folders; errors for anything else that exists.
fn inspect_existing(out: &Path) -> Result<bool, EmitError> {
    let metadata = match fs::symlink_metadata(out) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(error) => return Err(io_error("reading", out)(error)),
    };
    if !metadata.is_dir() {
        return Err(EmitError::NotAFolder(out.to_owned()));
    }
    let mut n_entries = 0;
    for entry in fs::read_dir(out).map_err(io_error("reading", out))? {
        let entry = entry.map_err(io_error("reading", out))?;
        n_entries += 1;
        let name = entry.file_name();
        if !OUR_ENTRIES.iter().any(|ours| name.as_os_str() == *ours) {
            return Err(EmitError::NotOurs(out.to_owned()));
        }
    }
    if n_entries == 0 {
        return Ok(true);
    }
    let Some(listed) = our_manifest_files(&out.join(MANIFEST_FILE)) else {
        return Err(EmitError::NotOurs(out.to_owned()));
    };
    for folder in OUR_ENTRIES.iter().filter(|entry| **entry != MANIFEST_FILE) {
        check_listed(out, Path::new(folder), &listed)?;
    }
    Ok(true)
}

/// Errors for the first file or link under `out/relative` (a folder or absent) that is not in
/// `listed`, the paths the manifest names.
fn check_listed(out: &Path, relative: &Path, listed: &BTreeSet<String>) -> Result<(), EmitError> {
    let path = out.join(relative);
    let metadata = match fs::symlink_metadata(&path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(io_error("reading", &path)(error)),
    };
    if metadata.is_dir() {
        let mut names = Vec::new();
        for entry in fs::read_dir(&path).map_err(io_error("reading", &path))? {
            names.push(entry.map_err(io_error("reading", &path))?.file_name());
        }
        names.sort();
        for name in names {
            check_listed(out, &relative.join(name), listed)?;
        }
        return Ok(());
    }
    let key: Option<Vec<&str>> =
        relative.components().map(|part| part.as_os_str().to_str()).collect();
    let ours = metadata.is_file() && key.is_some_and(|parts| listed.contains(&parts.join("/")));
    if ours {
        Ok(())
    } else {
        Err(EmitError::ForeignFile { folder: out.to_owned(), file: relative.to_owned() })
    }
}

/// The top-level entries a build writes.
const OUR_ENTRIES: &[&str] = &["arm", "bicep", "bundle", MANIFEST_FILE];

/// The files a manifest that Palisade wrote (`"generator": "palisade"`) lists (every `path`
/// in it, and the manifest itself), or `None` for anything else.
fn our_manifest_files(path: &Path) -> Option<BTreeSet<String>> {
    let bytes = fs::read(path).ok()?;
    let manifest = serde_json::from_slice::<serde_json::Value>(&bytes).ok()?;
    if manifest.get("generator").and_then(|v| v.as_str()) != Some("palisade") {
        return None;
    }
    let mut listed = BTreeSet::from([MANIFEST_FILE.to_owned()]);
    let mut stack = vec![&manifest];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    match value {
                        serde_json::Value::String(text) if key == "path" => {
                            listed.insert(text.clone());
                        }
                        _ => stack.push(value),
                    }
                }
            }
            serde_json::Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    Some(listed)
}

fn check_relative(path: &str) -> Result<(), EmitError> {
    let plain = !path.is_empty()
        && Path::new(path).components().all(|component| matches!(component, Component::Normal(_)));
    if plain { Ok(()) } else { Err(EmitError::BadRelativePath(path.to_owned())) }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Folders a killed build left next to the output are named; other names are not, and
    /// the build's own temporary folder is gone afterwards.
    #[test]
    fn stale_temporary_folders_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        for name in
            [".dist.new-a1B2c3", ".dist.old-XyZ789", ".dist.new-toolong1", ".web.new-a1B2c3"]
        {
            fs::create_dir(dir.path().join(name)).unwrap();
        }
        fs::write(dir.path().join(".dist.new-a1B2c3/manifest.json"), "{}").unwrap();
        fs::write(dir.path().join(".dist.new-f1le00"), "a file").unwrap();
        let files = BTreeMap::from([(
            "manifest.json".to_owned(),
            br#"{"generator": "palisade"}"#.to_vec(),
        )]);
        let written = write_atomically(&out, &files).unwrap();
        assert_eq!(
            written.stale,
            [dir.path().join(".dist.new-a1B2c3"), dir.path().join(".dist.old-XyZ789")]
        );
        // A second build over the first finds the same two, and nothing of its own.
        let written = write_atomically(&out, &files).unwrap();
        assert_eq!(written.stale.len(), 2, "{:?}", written.stale);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 6);
    }
}
