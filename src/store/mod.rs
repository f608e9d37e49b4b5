//! Model files on disk: reading with a size guard, and atomic writes (write a
//! temporary file beside the target, fsync, rename) so a crash never leaves a
//! half-written model.
//!
//! Must not: parse or validate (that is `yaml`), or hold domain logic.

pub mod project;
pub mod rules;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Model;
use crate::yaml;
use std::fs;
use std::io::Write;
use std::path::Path;

/// Reads a text file, refusing files over the YAML loader's size limit.
pub fn read_text(path: &Path) -> Result<String, Diagnostics> {
    let label = path.display().to_string();
    let fail = |msg: String| Diagnostics::one(Diagnostic::new(&label, 0, 0, msg));
    let meta = fs::metadata(path).map_err(|e| fail(format!("cannot read file: {e}")))?;
    if meta.is_dir() {
        return Err(fail("is a directory, expected a file".into()));
    }
    let limit = yaml::Limits::default().max_bytes;
    if meta.len() > limit as u64 {
        return Err(fail(format!(
            "file is {} bytes, over the limit of {limit} bytes; refusing to load it",
            meta.len()
        )));
    }
    let bytes = fs::read(path).map_err(|e| fail(format!("cannot read file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let col = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        Diagnostics::one(Diagnostic::new(&label, line, col, "file is not valid UTF-8 text"))
    })
}

/// Loads and validates a model file: YAML, or the latest revision of a
/// `.twm` project.
pub fn load_model(path: &Path) -> Result<Model, Diagnostics> {
    if project::is_project(path) {
        return project::load_validated(path);
    }
    let text = read_text(path)?;
    yaml::parse_model(&text, &path.display().to_string())
}

/// Writes bytes atomically: a crash leaves either the old or the new file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "model".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Saves a model as YAML, atomically, or as a new revision of a `.twm` project.
pub fn save_model(path: &Path, model: &Model) -> std::io::Result<()> {
    if project::is_project(path) {
        return project::save(path, model, None).map(|_| ()).map_err(std::io::Error::other);
    }
    write_atomic(path, yaml::to_string(model).as_bytes())
}
