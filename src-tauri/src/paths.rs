//! Which files the window may name. The web view is the least trusted part of the app (it
//! renders text from strangers' files), so a command that reads or writes a file takes the path
//! only if the user chose it: in a native dialog, on the command line, or earlier (the recent
//! list, written only with chosen paths). Folders in `TW_TRUSTED_DIRS` (a path list, set by
//! automation such as the end-to-end tests, never by the web view) are chosen as a whole.
//! Must not: touch the file system beyond making a path absolute.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::error::{CommandError, CommandResult, ErrorCode};

/// The paths the user chose this run, and the trusted folders.
#[derive(Debug, Default)]
pub struct Chosen {
    paths: Mutex<HashSet<PathBuf>>,
    trusted_dirs: Vec<PathBuf>,
}

/// An absolute path with no `..`, or `None` (such a path is never chosen).
fn normal(path: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(path).ok()?;
    let plain = abs.components().all(|c| matches!(c, Component::RootDir | Component::Prefix(_) | Component::Normal(_)));
    plain.then_some(abs)
}

impl Chosen {
    /// `trusted_dirs`: folders whose files count as chosen (see the module docs).
    pub fn new(trusted_dirs: impl IntoIterator<Item = PathBuf>) -> Self {
        Self { paths: Mutex::default(), trusted_dirs: trusted_dirs.into_iter().filter_map(|d| normal(&d)).collect() }
    }

    /// The trusted folders of `TW_TRUSTED_DIRS`, if set.
    pub fn from_env() -> Self {
        Self::new(
            std::env::var_os("TW_TRUSTED_DIRS")
                .map(|v| std::env::split_paths(&v).collect::<Vec<_>>())
                .unwrap_or_default(),
        )
    }

    /// Records a path the user chose.
    pub fn allow(&self, path: &Path) {
        if let Some(p) = normal(path) {
            self.paths.lock().unwrap_or_else(|e| e.into_inner()).insert(p);
        }
    }

    /// `path` when the user chose it, else an error naming it.
    pub fn check(&self, path: &str) -> CommandResult<PathBuf> {
        let chosen = normal(Path::new(path)).filter(|p| {
            self.paths.lock().unwrap_or_else(|e| e.into_inner()).contains(p)
                || self.trusted_dirs.iter().any(|d| p.starts_with(d) && p != d)
        });
        chosen.ok_or_else(|| {
            CommandError::new(
                ErrorCode::InvalidInput,
                format!("{path}: not a file you chose; open or save it through the file dialog"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_chosen_paths_and_files_under_trusted_folders_pass() {
        let chosen = Chosen::new([PathBuf::from("/work/trusted")]);
        assert!(chosen.check("/home/u/model.twm").is_err(), "nothing is chosen at first");
        chosen.allow(Path::new("/home/u/model.twm"));
        assert_eq!(chosen.check("/home/u/model.twm").unwrap(), PathBuf::from("/home/u/model.twm"));
        assert!(chosen.check("/home/u/other.twm").is_err());
        assert!(chosen.check("/home/u/x/../model.twm").is_err(), "no `..`, even to a chosen file");
        assert!(chosen.check("/work/trusted/out/report.pdf").is_ok());
        assert!(chosen.check("/work/trusted").is_err(), "the folder itself is not a file in it");
        assert!(chosen.check("/work/trusted/../secret").is_err());
        assert!(chosen.check("/work/trusted-not/x").is_err(), "a sibling with the same prefix is not inside");
        let err = chosen.check("/etc/passwd").unwrap_err();
        assert!(err.message.contains("/etc/passwd: not a file you chose"), "{}", err.message);
    }
}
