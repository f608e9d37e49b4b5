//! Shared helpers: run the CLI, compare against golden files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the CLI from the repository root (so paths in messages are relative).
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_threatwright"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the threatwright binary runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Compares `actual` with a golden file; `UPDATE_GOLDEN=1` rewrites it.
pub fn assert_golden(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, actual).expect("golden file is writable");
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|_| panic!("missing golden file {}; run with UPDATE_GOLDEN=1", path.display()));
    assert_eq!(expected, actual, "output differs from {}", path.display());
}
