//! The YAML model file format (yaml-rust2): a located, limit-guarded loader,
//! the reader (names or ids, every problem reported with line and column) and
//! a deterministic writer.
//!
//! Must not: touch the file system (callers pass text), or know about
//! threats. See `docs/model-format.md` for the format itself.

pub(crate) mod node;
pub mod read;
pub(crate) mod write;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{validate, Model};
pub use node::{load, Limits, Mark, Node, NodeValue};

/// Version of the model file format this build writes and reads.
pub const FORMAT_VERSION: i64 = 1;

/// Parses and validates a model. `file` labels the diagnostics.
pub fn parse_model(text: &str, file: &str) -> Result<Model, Diagnostics> {
    parse_model_located(text, file).map(|(m, _)| m)
}

/// Like [`parse_model`], also returning where each entity sits in the file.
pub fn parse_model_located(text: &str, file: &str) -> Result<(Model, read::SourceMap), Diagnostics> {
    let root = load(text, Limits::default())
        .map_err(|e| Diagnostics::one(Diagnostic::new(file, e.mark.line, e.mark.col, e.message)))?;
    let (model, map, problems) = read::read(&root);
    let mut diags: Vec<Diagnostic> =
        problems.into_iter().map(|(m, msg)| Diagnostic::new(file, m.line, m.col, msg)).collect();
    for p in validate(&model) {
        let m = map.locate(p.subject, p.field.as_deref());
        diags.push(Diagnostic::new(file, m.line, m.col, p.message));
    }
    if diags.is_empty() {
        Ok((model, map))
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
