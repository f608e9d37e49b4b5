//! Model files on disk: reading with a size guard, and atomic writes (write a
//! temporary file beside the target, fsync, rename) so a crash never leaves a
//! half-written model.
//!
//! Must not: parse or validate (that is `yaml`), or hold domain logic.

pub(crate) mod error;
pub mod project;
pub mod recovery;
pub mod rules;

pub use error::{Error, ErrorKind};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Model;
use crate::yaml;
use std::fs;
use std::io::Write;
use std::path::Path;

/// Reads a text file, refusing files over the YAML loader's size limit. A UTF-8 byte order mark
/// (which Windows editors write) is dropped: YAML allows it, and JSON readers would reject it.
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
    let mut bytes = fs::read(path).map_err(|e| fail(format!("cannot read file: {e}")))?;
    if bytes.starts_with("\u{feff}".as_bytes()) {
        bytes.drain(..3);
    }
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
    load_model_noted(path).map(|(model, _)| model)
}

/// Loads a model like [`load_model`], with the notes of the upgrade of a model
/// written in an older version of the format (a YAML file, or the model a
/// project file saved before a breaking change).
pub fn load_model_noted(path: &Path) -> Result<(Model, Vec<Diagnostic>), Diagnostics> {
    if project::is_project(path) {
        return project::load_validated_noted(path).map_err(Diagnostics::from);
    }
    let text = read_text(path)?;
    yaml::parse(&text, &path.display().to_string()).map(|p| (p.model, p.notes))
}

/// Loads a model like [`load_model`] and, for YAML files, the line of each
/// element and flow (what SARIF points at); no lines for project files.
pub fn load_located(path: &Path) -> Result<(Model, crate::export::SourceLines), Diagnostics> {
    let is_yaml = matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"));
    if !is_yaml {
        return Ok((load_model(path)?, Default::default()));
    }
    let text = read_text(path)?;
    let (model, map) = yaml::parse_model_located(&text, &path.display().to_string())?;
    let mut lines = crate::export::SourceLines::new();
    for e in &model.elements {
        lines.insert(e.id.0, map.locate(crate::model::Subject::Element(e.id.0), None).line);
    }
    for f in &model.flows {
        lines.insert(f.id.0, map.locate(crate::model::Subject::Flow(f.id.0), None).line);
    }
    Ok((model, lines))
}

/// Loads a model for an editor: like [`load_model`], then placed by the
/// automatic layout when an element or a boundary has no saved position
/// (a hand-written or imported file), so it opens cleanly.
pub fn load_placed(path: &Path) -> Result<Model, Diagnostics> {
    let mut model = load_model(path)?;
    place_if_unplaced(&mut model);
    Ok(model)
}

/// Places every element and boundary that has no position (or a boundary
/// no size) without moving what is placed — the whole model when nothing
/// is; returns whether it placed anything.
pub fn place_if_unplaced(model: &mut Model) -> bool {
    crate::layout::place_unplaced(model)
}

/// The user to record as author and triage owner, from the environment:
/// `$USER`, `$USERNAME` or `$LOGNAME`, else `unknown`. Read once at the edge
/// (the CLI's start, the app's state) and passed in, never deep inside.
pub fn current_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "unknown".into())
}

/// Writes bytes atomically: a crash leaves either the old or the new file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Writes what `write` produces atomically, through a buffer: an output of
/// hundreds of megabytes is streamed to the file instead of built in memory.
pub fn write_atomic_with<E: From<std::io::Error>>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), E> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "model".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::io::BufWriter::with_capacity(1 << 20, fs::File::create(&tmp)?);
        write(&mut f)?;
        let f = f.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        Ok(fs::rename(&tmp, path)?)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Saves a model as YAML, atomically, or as a new revision of a `.twm`
/// project by `author`.
pub fn save_model(path: &Path, model: &Model, author: &str) -> std::io::Result<()> {
    if project::is_project(path) {
        return project::save(path, model, None, author).map(|_| ()).map_err(std::io::Error::other);
    }
    write_atomic(path, yaml::to_string(model).as_bytes())
}

/// The Threatwright models under `dir`, sorted, for `analyze DIR`: every
/// `.twm` project, and every `.yaml`/`.yml` file with a top-level
/// `threatwright:` version key or `elements:` list (so SAM templates, CI
/// files and other YAML beside them are left alone). Hidden folders,
/// `node_modules` and `target` are skipped; symbolic links are not followed.
pub fn model_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, Diagnostics> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let entries = fs::read_dir(&d).map_err(|e| {
            Diagnostics::one(Diagnostic::new(&d.display().to_string(), 0, 0, format!("cannot list: {e}")))
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                if !name.starts_with('.') && name != "node_modules" && name != "target" {
                    pending.push(path);
                }
            } else if kind.is_file() && is_model_file(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn is_model_file(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some("twm") => true,
        Some("yaml" | "yml") => read_text(path)
            .map(|text| text.lines().any(|l| l.starts_with("threatwright:") || l.starts_with("elements:")))
            .unwrap_or(false),
        _ => false,
    }
}
