//! AWS SAM / CloudFormation importer.
//!
//! Reads YAML (short-form tags kept by the located loader) and JSON, evaluates
//! intrinsics (`value`), maps resources and events to elements, flows and
//! grants (`resources`, `iam`) and assembles a laid-out model (`build`).
//! Must not: fail on what it does not understand; that is a warning.

pub(crate) mod build;
pub(crate) mod iam;
pub(crate) mod resources;
pub(crate) mod value;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Model;
use crate::yaml::{load, Limits, Node, NodeValue};
use resources::{Ctx, Res};
use value::{Env, V};

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
            Ok(v) => Ok(value::from_json(&v, 0)),
            Err(je) => Err(fail(je.line().max(1), je.column().max(1), format!("invalid JSON: {je}"))),
        },
        Err(e) => Err(fail(e.mark.line, e.mark.col, e.message)),
    }
}

/// Name of a model imported from `file`: the file stem.
pub(crate) fn model_name(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = base.split('.').next().filter(|s| !s.is_empty()).unwrap_or(base);
    if stem.is_empty() {
        "Imported model".into()
    } else {
        stem.to_string()
    }
}

/// The `Resources` of a template as evaluated values, skipping resources
/// whose `Condition` is false. Errors when `Resources` is not a mapping.
pub(crate) fn evaluate_resources(root: &Node, resources: &Node, file: &str) -> Result<(Vec<Res>, Env), Diagnostics> {
    let Some(entries) = resources.as_map() else {
        return Err(Diagnostics::one(Diagnostic::new(
            file,
            resources.mark.line,
            resources.mark.col,
            format!("`Resources` must be a mapping of logical ids to resources, found {}", resources.describe()),
        )));
    };
    let ids: Vec<String> = entries.iter().filter_map(|(k, _)| k.as_scalar().map(str::to_string)).collect();
    let mut env = Env::new(root, ids);
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for (k, v) in entries {
        let Some(id) = k.as_scalar() else { continue };
        let ty = v.get("Type").and_then(Node::as_scalar);
        let Some(ty) = ty else {
            warnings.push((v.mark, format!("resource `{id}` has no `Type`; skipped")));
            continue;
        };
        if let Some(cond) = v.get("Condition").and_then(Node::as_scalar) {
            if env.condition(cond, v.mark) == Some(false) {
                continue;
            }
        }
        let props = match v.get("Properties") {
            Some(p) => env.eval(p),
            None => V::null(v.mark),
        };
        let raw = env.eval(v);
        out.push(Res { id: id.to_string(), ty: ty.to_string(), props, mark: k.mark, raw });
    }
    env.warnings.extend(warnings);
    Ok((out, env))
}

/// Imports an AWS SAM or CloudFormation template (YAML or JSON).
pub fn import(text: &str, file: &str) -> Result<Imported, Diagnostics> {
    let root = load_document(text, file)?;
    let not_template = |n: &Node, what: String| Diagnostics::one(Diagnostic::new(file, n.mark.line, n.mark.col, what));
    if !matches!(root.value, NodeValue::Map(_)) {
        return Err(not_template(
            &root,
            format!("expected a SAM/CloudFormation template (a mapping with `Resources`), found {}", root.describe()),
        ));
    }
    let Some(resources) = root.get("Resources") else {
        return Err(not_template(&root, "not a SAM/CloudFormation template: no `Resources` section".into()));
    };
    let (res, mut env) = evaluate_resources(&root, resources, file)?;
    let globals = root.get("Globals").map(|g| env.eval(g)).unwrap_or(V::null(root.mark));
    let description = root.get("Description").and_then(Node::as_scalar).unwrap_or("").to_string();
    let mut b = build::Builder::new(&model_name(file), &description, file);
    for (mark, msg) in std::mem::take(&mut env.warnings) {
        b.warn(mark, msg);
    }
    let mut ctx = Ctx::new(b, globals);
    ctx.resources(&res);
    Ok(ctx.finish())
}
