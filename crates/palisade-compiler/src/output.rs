//! Writing a build to disk atomically.
//!
//! The files go to a fresh temporary folder next to the output folder; only when every file
//! is written is the old folder moved aside and the new one renamed into its place. On any
//! error before that swap the output folder is left exactly as it was, and the temporary
//! folder is removed.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::build::MANIFEST_FILE;

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmitError {
    /// A file-system operation failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What we were doing.
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
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
    /// A relative path in the file set would leave the output folder.
    #[error("output file path {0:?} is not a plain relative path")]
    BadRelativePath(String),
}

fn io_error<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> EmitError + 'a {
    move |source| EmitError::Io { action, path: path.to_owned(), source }
}

/// Replaces the folder `out` with exactly `files`, or leaves it untouched on error.
///
/// An existing, non-empty folder is replaced only when it looks exactly like a previous build:
/// a `manifest.json` that Palisade wrote and nothing but `arm/`, `bicep/`, `bundle/` and that
/// manifest at its top level. Anything else is refused rather than replaced, so that `--out .`
/// or `--out detections` cannot wipe a repository or the specs being built.
///
/// # Errors
///
/// Any file-system failure, a non-folder at `out`, a foreign folder, or a file path with
/// `..`, a root or a drive in it.
pub fn write_atomically(out: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), EmitError> {
    for path in files.keys() {
        check_relative(path)?;
    }
    let existing = inspect_existing(out)?;

    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io_error("creating", &parent))?;
    let base = out.file_name().map_or_else(|| "out".into(), |name| name.to_string_lossy());

    let staging = tempfile::Builder::new()
        .prefix(&format!(".{base}.new-"))
        .tempdir_in(&parent)
        .map_err(io_error("creating a temporary folder in", &parent))?;
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
        return fs::rename(&staged, out).map_err(|source| {
            let _ = fs::remove_dir_all(&staged);
            EmitError::Io { action: "moving the new output to", path: out.to_owned(), source }
        });
    }

    // Reserve a unique name for the old folder, then free it for the rename.
    let backup_reservation = tempfile::Builder::new()
        .prefix(&format!(".{base}.old-"))
        .tempdir_in(&parent)
        .map_err(io_error("creating a temporary folder in", &parent))?;
    let backup = backup_reservation.path().to_owned();
    backup_reservation.close().map_err(io_error("removing", &backup))?;

    fs::rename(out, &backup).map_err(io_error("moving the old output aside from", out))?;
    let staged = staging.keep();
    if let Err(source) = fs::rename(&staged, out) {
        let _ = fs::rename(&backup, out);
        let _ = fs::remove_dir_all(&staged);
        return Err(EmitError::Io {
            action: "moving the new output to",
            path: out.to_owned(),
            source,
        });
    }
    if let Err(error) = fs::remove_dir_all(&backup) {
        tracing::warn!(path = %backup.display(), %error, "could not remove the previous output");
    }
    Ok(())
}

/// Whether `out` exists as one of our folders; errors for anything else that exists.
fn inspect_existing(out: &Path) -> Result<bool, EmitError> {
    let metadata = match fs::symlink_metadata(out) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(source) => {
            return Err(EmitError::Io { action: "reading", path: out.to_owned(), source });
        }
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
    if n_entries > 0 && !is_our_manifest(&out.join(MANIFEST_FILE)) {
        return Err(EmitError::NotOurs(out.to_owned()));
    }
    Ok(true)
}

/// The top-level entries a build writes.
const OUR_ENTRIES: &[&str] = &["arm", "bicep", "bundle", MANIFEST_FILE];

/// Whether `path` is a manifest that Palisade wrote (`"generator": "palisade"`).
fn is_our_manifest(path: &Path) -> bool {
    let Ok(bytes) = fs::read(path) else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&bytes).is_ok_and(|manifest| {
        manifest.get("generator").and_then(|v| v.as_str()) == Some("palisade")
    })
}

fn check_relative(path: &str) -> Result<(), EmitError> {
    let plain = !path.is_empty()
        && Path::new(path).components().all(|component| matches!(component, Component::Normal(_)));
    if plain { Ok(()) } else { Err(EmitError::BadRelativePath(path.to_owned())) }
}
