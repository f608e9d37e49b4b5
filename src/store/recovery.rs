//! Recovery files: the autosave of a YAML or untitled model, kept as one
//! JSON file per model in a folder the caller chooses (the desktop app's
//! data folder). A `.twm` project keeps its autosaves inside itself
//! (`project::autosave`) instead.
//!
//! The file is `{"path": …, "saved_secs": …, "model": …}`, named by the
//! FNV-1a hash of the model's path (`untitled.json` without one). A
//! recovery file is offered only when it is newer than the model file.
//! The clock is read by the caller: the time of a save and the model
//! file's modification time are arguments, so tests need no sleeps.
//! Must not: decide when to autosave, or know about Tauri.

use crate::model::Model;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// An autosave offered for recovery.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// The file the autosave belongs to (`None`: an untitled model).
    pub path: Option<String>,
    /// When it was taken, ISO 8601 UTC.
    pub saved_at: String,
    pub model: Model,
}

/// The file as stored.
#[derive(Serialize, Deserialize)]
struct RecoveryFile {
    path: Option<String>,
    saved_secs: u64,
    model: Model,
}

/// Why a recovery file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct RecoveryError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// The recovery file of the model at `path` (`None`: untitled) in `dir`.
pub fn file_for(dir: &Path, path: Option<&str>) -> PathBuf {
    let Some(p) = path else { return dir.join("untitled.json") };
    let hash = p.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    dir.join(format!("{hash:016x}.json"))
}

/// Writes the recovery file of `path` atomically, stamped `saved_secs`
/// (seconds since the epoch, from the caller's clock).
pub fn write(dir: &Path, path: Option<&str>, model: &Model, saved_secs: u64) -> Result<(), RecoveryError> {
    std::fs::create_dir_all(dir).map_err(|source| RecoveryError { path: dir.to_path_buf(), source })?;
    let file = RecoveryFile { path: path.map(String::from), saved_secs, model: model.clone() };
    let json = serde_json::to_vec(&file).expect("a model serialises to JSON");
    let target = file_for(dir, path);
    super::write_atomic(&target, &json).map_err(|source| RecoveryError { path: target, source })
}

/// The recovery file of `path` when it is newer than `file_secs`, the model
/// file's modification time (`None`: the file is gone or has no time).
/// A missing, unreadable or foreign recovery file is `None`.
pub fn read_if_newer(dir: &Path, path: Option<&str>, file_secs: Option<u64>) -> Option<Recovery> {
    let text = std::fs::read_to_string(file_for(dir, path)).ok()?;
    let file: RecoveryFile = serde_json::from_str(&text).ok()?;
    if file.path.as_deref() != path || !is_newer(file.saved_secs, file_secs) {
        return None;
    }
    Some(Recovery { path: file.path, saved_at: crate::clock::iso_from_unix(file.saved_secs as i64), model: file.model })
}

/// [`read_if_newer`] against the modification time of the file at `path`.
pub fn read(dir: &Path, path: Option<&str>) -> Option<Recovery> {
    let file_secs = path.and_then(|p| modified_secs(Path::new(p)));
    read_if_newer(dir, path, file_secs)
}

/// The staleness rule: an autosave is worth offering when it was taken after
/// the model file was last written (a second's resolution, so a save in the
/// same second as the autosave wins), or when there is no model file.
pub fn is_newer(saved_secs: u64, file_secs: Option<u64>) -> bool {
    file_secs.is_none_or(|s| s < saved_secs)
}

/// Removes the recovery file of `path` (after a save, or when the user
/// declines to restore); a missing file is not an error.
pub fn clear(dir: &Path, path: Option<&str>) {
    let _ = std::fs::remove_file(file_for(dir, path));
}

/// Modification time of a file, seconds since the epoch.
pub fn modified_secs(path: &Path) -> Option<u64> {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    modified.duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offered_only_when_newer_than_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let model = Model { name: "M".into(), ..Model::default() };
        write(dir.path(), Some("/x/m.yaml"), &model, 1_000).expect("written");
        assert!(read_if_newer(dir.path(), Some("/x/m.yaml"), Some(999)).is_some());
        assert!(read_if_newer(dir.path(), Some("/x/m.yaml"), Some(1_000)).is_none(), "a save in the same second wins");
        assert!(read_if_newer(dir.path(), Some("/x/m.yaml"), None).is_some(), "the file is gone");
        let r = read_if_newer(dir.path(), Some("/x/m.yaml"), None).expect("offered");
        assert_eq!((r.saved_at.as_str(), r.model.name.as_str()), ("1970-01-01T00:16:40Z", "M"));
        assert!(read_if_newer(dir.path(), None, None).is_none(), "another model's file is not offered");
        clear(dir.path(), Some("/x/m.yaml"));
        assert!(read_if_newer(dir.path(), Some("/x/m.yaml"), None).is_none());
    }

    #[test]
    fn file_names_are_stable() {
        let d = Path::new("/d");
        assert_eq!(file_for(d, None), Path::new("/d/untitled.json"));
        assert_eq!(file_for(d, Some("a")), file_for(d, Some("a")));
        assert_ne!(file_for(d, Some("a")), file_for(d, Some("b")));
    }
}
