//! The YAML model file format (yaml-rust2): a located, limit-guarded loader,
//! the upgrade of files written in an older version of the format, the reader
//! (names or ids, every problem reported with line and column) and a
//! deterministic writer.
//!
//! Must not: touch the file system (callers pass text), or know about
//! threats. See `docs/model-format.md` for the format itself.

pub mod migrate;
pub(crate) mod node;
pub mod read;
pub(crate) mod write;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{validate, Model};
pub use migrate::FormatVersion;
pub use node::{load, Limits, Mark, Node, NodeValue};

/// Version of the model file format this build writes, and the newest it
/// reads (older ones are upgraded as they are read; see [`migrate`]).
pub const FORMAT_VERSION: FormatVersion = migrate::CURRENT;

/// A model read from its text, with where each entity sits in the file and
/// what reading it upgraded.
#[derive(Debug)]
pub struct Parsed {
    pub model: Model,
    pub map: read::SourceMap,
    /// The version the file declares; `None` when it does not say (read as 1.0).
    pub version: Option<FormatVersion>,
    /// One located note per change the upgrade from an older version made,
    /// printed as warnings (`fmt` writes the upgraded model back).
    pub notes: Vec<Diagnostic>,
}

/// Parses and validates a model. `file` labels the diagnostics.
pub fn parse_model(text: &str, file: &str) -> Result<Model, Diagnostics> {
    parse(text, file).map(|p| p.model)
}

/// Like [`parse_model`], also returning where each entity sits in the file.
pub fn parse_model_located(text: &str, file: &str) -> Result<(Model, read::SourceMap), Diagnostics> {
    parse(text, file).map(|p| (p.model, p.map))
}

/// Parses and validates a model written in any version of the format up to
/// [`FORMAT_VERSION`], upgrading an older one in memory. A file of a newer
/// version is refused with that one problem.
pub fn parse(text: &str, file: &str) -> Result<Parsed, Diagnostics> {
    let located = |mark: Mark, message: String| Diagnostic::new(file, mark.line, mark.col, message);
    let mut root = load(text, Limits::default()).map_err(|e| Diagnostics::one(located(e.mark, e.message)))?;
    let upgraded = migrate::upgrade(&mut root).map_err(|(m, msg)| Diagnostics::one(located(m, msg)))?;
    let (model, map, problems) = read::read(&root);
    let mut diags: Vec<Diagnostic> =
        problems.into_iter().map(|(m, msg)| Diagnostic::new(file, m.line, m.col, msg)).collect();
    for p in validate(&model) {
        let m = map.locate(p.subject, p.field.as_deref());
        diags.push(Diagnostic::new(file, m.line, m.col, p.message));
    }
    if diags.is_empty() {
        let notes = upgraded.notes.into_iter().map(|(m, msg)| located(m, msg)).collect();
        Ok(Parsed { model, map, version: upgraded.from, notes })
    } else {
        diags.sort();
        diags.dedup();
        Err(Diagnostics(diags))
    }
}

/// Writes a model in the canonical format.
pub fn to_string(model: &Model) -> String {
    write::write(model)
}
