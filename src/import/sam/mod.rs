//! AWS SAM / CloudFormation importer.
//!
//! Reads YAML (short-form tags kept by the located loader) and JSON, evaluates
//! intrinsics (`aws::value`), maps resources and events to elements, flows
//! and grants through the CloudFormation handlers of `aws`, and assembles a
//! laid-out model with the shared `builder`. This file owns only what is
//! particular to a SAM template: the document's shape and its `Globals`.
//! Must not: fail on what it does not understand; that is a warning.

pub use crate::import::{load_document, Imported};

use crate::diag::{Diagnostic, Diagnostics};
use crate::import::aws::value::V;
use crate::import::aws::{evaluate_resources, Ctx};
use crate::import::builder::{Builder, AWS};
use crate::import::model_name;
use crate::yaml::{Node, NodeValue};

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
    let mut b = Builder::new(AWS, &model_name(file), &description, file);
    for (mark, msg) in std::mem::take(&mut env.warnings) {
        b.warn(mark, msg);
    }
    let mut ctx = Ctx::new(b, globals);
    ctx.resources(&res);
    Ok(ctx.finish())
}
