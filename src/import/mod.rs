//! Ways into a model other than drawing it: built-in architecture templates
//! and importers of existing infrastructure (AWS SAM / CloudFormation,
//! Serverless Framework, OWASP Threat Dragon, Open Threat Model, Threagile,
//! Microsoft Threat Modeling Tool, AWS Threat Composer). Every import is laid out with
//! `layout::auto_layout` so it opens cleanly in the editor and the report.
//!
//! This module owns what every importer shares: the `Imported` result, the
//! located document loader, the model name taken from a file, and the checks
//! run on a finished import. `builder` assembles a model for a cloud vendor;
//! `aws` maps CloudFormation resources through a table of handlers, one file
//! per resource family, and is the seam further front ends (Terraform) plug
//! into.
//!
//! Must not: analyse threats. Importers return a model plus located
//! warnings; unknown resource types become generic elements, never a failure.

pub(crate) mod aws;
pub(crate) mod builder;
pub mod drift;
pub(crate) mod format;
pub(crate) mod geometry;
pub mod otm;
pub mod sam;
pub mod serverless;
pub mod templates;
pub mod terraform;
pub mod threagile;
pub mod threat_composer;
pub mod threat_dragon;
pub mod tm7;

pub use format::{run, run_file, Format};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{validate, Model, Subject};
use crate::yaml::{load, Limits, Mark, Node, NodeValue};

/// An imported model and what the importer could not resolve.
#[derive(Clone, Debug)]
pub struct Imported {
    pub model: Model,
    /// Located warnings (`file:line:col: message`); line 0 when unknown.
    pub warnings: Vec<Diagnostic>,
}

/// Loads a YAML or JSON document with the located, limit-guarded loader.
pub fn load_document(text: &str, file: &str) -> Result<Node, Diagnostics> {
    let fail = |line: usize, col: usize, msg: String| Diagnostics::one(Diagnostic::new(file, line, col, msg));
    let looks_json = text.trim_start().starts_with(['{', '[']);
    match load(text, Limits::default()) {
        Ok(node) => Ok(node),
        Err(_) if looks_json => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) => Ok(from_json(&v, 0)),
            Err(je) => Err(fail(je.line().max(1), je.column().max(1), format!("invalid JSON: {je}"))),
        },
        Err(e) => Err(fail(e.mark.line, e.mark.col, e.message)),
    }
}

/// Name of a model imported from `file`: the file stem.
/// Adds a located warning unless the same one is already there (a file that repeats a
/// mistake is reported once per place).
pub(crate) fn push_warning(warnings: &mut Vec<Diagnostic>, file: &str, mark: Mark, message: impl Into<String>) {
    let d = Diagnostic::new(file, mark.line, mark.col, message);
    if !warnings.contains(&d) {
        warnings.push(d);
    }
}

pub fn model_name(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = base.split('.').next().filter(|s| !s.is_empty()).unwrap_or(base);
    if stem.is_empty() {
        "Imported model".into()
    } else {
        stem.to_string()
    }
}

/// Validation problems of a finished import as warnings, each at the place
/// `locate` knows for its subject (line 0 when it knows none). A problem here
/// is a bug of the importer, reported rather than lost.
pub fn validation_warnings(model: &Model, file: &str, locate: impl Fn(Subject) -> Option<Mark>) -> Vec<Diagnostic> {
    validate(model)
        .into_iter()
        .map(|p| {
            let at = locate(p.subject).unwrap_or_default();
            Diagnostic::new(file, at.line, at.col, format!("imported model is inconsistent: {}", p.message))
        })
        .collect()
}

/// Validation problems of an import of another tool's drawing (Threat Dragon, Threagile,
/// Microsoft TMT), each located where its element, boundary or flow was drawn.
pub(crate) fn drawn_validation(
    model: &Model,
    file: &str,
    marks: &std::collections::HashMap<uuid::Uuid, Mark>,
) -> Vec<Diagnostic> {
    validation_warnings(model, file, |s| match s {
        Subject::Element(u) | Subject::Boundary(u) | Subject::Flow(u) => marks.get(&u).copied(),
        _ => None,
    })
}

/// Converts parsed JSON into a node tree (used when the YAML loader rejects
/// a JSON file, e.g. one indented with tabs); positions are unknown there.
fn from_json(v: &serde_json::Value, depth: usize) -> Node {
    let mark = Mark { line: 1, col: 1 };
    let value = match v {
        _ if depth > 64 => NodeValue::Scalar { text: String::new(), plain: true },
        serde_json::Value::Null => NodeValue::Scalar { text: "null".into(), plain: true },
        serde_json::Value::Bool(b) => NodeValue::Scalar { text: b.to_string(), plain: true },
        serde_json::Value::Number(n) => NodeValue::Scalar { text: n.to_string(), plain: true },
        serde_json::Value::String(s) => NodeValue::Scalar { text: s.clone(), plain: false },
        serde_json::Value::Array(items) => NodeValue::Seq(items.iter().map(|i| from_json(i, depth + 1)).collect()),
        serde_json::Value::Object(map) => NodeValue::Map(
            map.iter()
                .map(|(k, v)| {
                    (
                        Node { value: NodeValue::Scalar { text: k.clone(), plain: false }, mark, tag: None },
                        from_json(v, depth + 1),
                    )
                })
                .collect(),
        ),
    };
    Node { value, mark, tag: None }
}
