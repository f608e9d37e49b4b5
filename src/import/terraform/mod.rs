//! Terraform importer: a directory of `.tf` files (or one file), or the JSON
//! of `terraform show -json` (a plan or a state). `hcl` and `plan` read the
//! source into Terraform resources with CloudFormation-style references;
//! `cfn` translates them into the CloudFormation resources the shared AWS
//! handlers (`import::aws`) read, so Terraform and SAM share one vocabulary
//! and one set of rules. Elements keep the resource address as their
//! identity (the id derives from it, which `import … --onto` matches) and
//! take the short resource name when it is unique.
//!
//! Must not: model a resource itself (the handlers do), or fail on a
//! resource it does not know (it becomes `generic.service` with a warning).

mod cfn;
mod hcl;
mod plan;

use super::aws::{evaluate_resources, Ctx};
use super::builder::{Builder, AWS};
use super::{model_name, Imported};
use crate::diag::{Diagnostic, Diagnostics};
use crate::yaml::{Mark, Node, NodeValue};
use serde_json::Value;
use std::path::Path;

/// One Terraform resource instance, with its arguments as JSON (nested blocks as arrays of
/// objects, references as `Ref` / `Fn::GetAtt` / `Fn::Join` of addresses).
#[derive(Clone, Debug)]
pub struct TfResource {
    /// `module.api.aws_lambda_function.handler[0]`.
    pub address: String,
    pub ty: String,
    pub attrs: Value,
    pub file: String,
    /// 1-based line of the block, 0 when unknown (plan JSON).
    pub line: usize,
}

/// `invoke_arn` → `InvokeArn`: a Terraform attribute as CloudFormation spells attributes.
pub fn camel(attr: &str) -> String {
    attr.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

/// Imports the Terraform at `path`: a directory of `.tf` files (a `.tf` file stands for its
/// directory), or plan/state JSON.
pub fn import_path(path: &Path) -> Result<Imported, Diagnostics> {
    let label = path.display().to_string();
    if path.is_dir() {
        let (tf, vars) = hcl::read_dir(path)?;
        if tf.is_empty() {
            return Err(Diagnostics::one(Diagnostic::new(
                &label,
                0,
                0,
                "no Terraform here: the directory holds no `.tf` file (for a plan, pass the JSON of `terraform show -json`)",
            )));
        }
        let read = hcl::resources(&tf, &vars, Some(path))?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("terraform").to_string();
        // Lines point into one file only when everything came from one file: label with it.
        let first = read.resources.first().map(|r| r.file.clone()).unwrap_or_else(|| tf[0].path.clone());
        let one_file = read.resources.iter().all(|r| r.file == first) && read.warnings.iter().all(|w| w.0 == first);
        let label = if one_file { first } else { label };
        return Ok(assemble(&name, &label, read.resources, read.warnings, one_file));
    }
    // Terraform reads every `.tf` file of a directory together: a `.tf` file stands for its
    // directory (what the app's file dialog can pick).
    if path.is_file() && path.extension().is_some_and(|e| e == "tf") {
        if let Some(dir) = path.parent().filter(|d| d.is_dir()) {
            let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
            return import_path(dir);
        }
    }
    let text = crate::store::read_text(path)?;
    import(&text, &label, path.parent())
}

/// Imports one Terraform source given as text: plan/state JSON when it is a JSON object,
/// otherwise HCL (`dir` is where its local modules are found).
pub fn import(text: &str, file: &str, dir: Option<&Path>) -> Result<Imported, Diagnostics> {
    if text.trim_start().starts_with('{') {
        let json: Value = serde_json::from_str(text).map_err(|e| {
            Diagnostics::one(Diagnostic::new(file, e.line().max(1), e.column().max(1), format!("invalid JSON: {e}")))
        })?;
        let resources = plan::resources(&json, file)?;
        return Ok(assemble(&model_name(file), file, resources, Vec::new(), true));
    }
    let source = hcl::parse(text, file)?;
    let read = hcl::resources(std::slice::from_ref(&source), &[], dir)?;
    if read.resources.is_empty() && !text.contains("resource") {
        return Err(Diagnostics::one(Diagnostic::new(
            file,
            1,
            1,
            "not Terraform: no `resource` block (expected `.tf` HCL, a directory of it, or `terraform show -json` output)",
        )));
    }
    Ok(assemble(&model_name(file), file, read.resources, read.warnings, true))
}

/// Runs the CloudFormation translation of `resources` through the shared AWS handlers.
/// `located` says whether lines point into `file` (one source file) or are only hints.
fn assemble(
    name: &str,
    file: &str,
    resources: Vec<TfResource>,
    warnings: Vec<(String, usize, String)>,
    located: bool,
) -> Imported {
    let translated = cfn::translate(&resources);
    let mark_of =
        |line: usize| Mark { line: if located { line } else { 0 }, col: if located && line > 0 { 1 } else { 0 } };
    let mut entries = Vec::new();
    for r in &translated.resources {
        let mark = mark_of(r.line);
        let props = to_node(&Value::Object(r.props.clone()), mark, 0);
        let body = Node {
            value: NodeValue::Map(vec![
                (scalar("Type", mark), scalar(&r.ty, mark)),
                (scalar("Properties", mark), props),
            ]),
            mark,
            tag: None,
        };
        entries.push((scalar(&r.address, mark), body));
    }
    let root_mark = Mark { line: 0, col: 0 };
    let resources_node = Node { value: NodeValue::Map(entries), mark: root_mark, tag: None };
    let root = Node {
        value: NodeValue::Map(vec![(scalar("Resources", root_mark), resources_node.clone())]),
        mark: root_mark,
        tag: None,
    };
    let mut b = Builder::new(AWS, name, "Imported from Terraform", file);
    for (f, line, msg) in warnings {
        let msg = if located || f == file { msg } else { format!("{f}:{line}: {msg}") };
        b.warn(mark_of(line), msg);
    }
    let (res, mut env) = match evaluate_resources(&root, &resources_node, file) {
        Ok(r) => r,
        Err(d) => {
            b.warnings.extend(d.0);
            return finish(Ctx::new(b, crate::import::aws::value::V::null(root_mark)).finish(), &resources, located);
        }
    };
    for (mark, msg) in std::mem::take(&mut env.warnings) {
        b.warn(mark, msg);
    }
    let mut ctx = Ctx::new(b, crate::import::aws::value::V::null(root_mark));
    ctx.resources(&res);
    finish(ctx.finish(), &resources, located)
}

/// Gives elements named by a resource address their short resource name where it is unique
/// (their id stays the one derived from the address, and the description keeps the address),
/// names unknown types as Terraform does, and locates warnings about a resource in its file
/// when the import read several.
fn finish(mut imported: Imported, resources: &[TfResource], located: bool) -> Imported {
    // `aws_sqs_queue.jobs` → `jobs`; a module's `this` (the registry modules' convention) takes
    // the module's name: `module.queue.aws_sqs_queue.this` → `queue`.
    let short = |name: &str| -> Option<String> {
        let base = name.split('[').next().unwrap_or(name);
        let parts: Vec<&str> = base.split('.').collect();
        let last = *parts.last()?;
        let index = name.strip_prefix(base).unwrap_or("").replace('"', "");
        let generic = matches!(last, "this" | "main" | "default");
        let module = parts.len() >= 4 && parts[parts.len() - 4] == "module";
        let word = if generic && module { parts[parts.len() - 3] } else { last };
        (parts.len() >= 2).then(|| format!("{word}{index}"))
    };
    let names: Vec<Option<String>> = imported.model.elements.iter().map(|e| short(&e.name)).collect();
    for (i, n) in names.iter().enumerate() {
        let Some(n) = n else { continue };
        let clash = names.iter().enumerate().any(|(j, m)| j != i && m.as_ref() == Some(n))
            || imported.model.elements.iter().any(|e| &e.name == n);
        if clash {
            continue;
        }
        let e = &mut imported.model.elements[i];
        if resources.iter().any(|r| r.address == e.name) {
            let was = format!("Terraform `{}`", e.name);
            e.description = match e.description.is_empty() {
                true => was,
                false => format!("{was}. {}", e.description),
            };
        }
        e.name = n.clone();
    }
    for e in &mut imported.model.elements {
        e.description = e.description.replace("Terraform::", "Terraform type ");
    }
    // Flow labels that name a resource (an event rule's flow is labelled with the rule) use
    // its short name too, longest address first so `a.b[1]` is not cut by `a.b`.
    let mut renamed: Vec<(String, String)> =
        resources.iter().filter_map(|r| short(&r.address).map(|n| (r.address.clone(), n))).collect();
    renamed.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
    for f in &mut imported.model.flows {
        for (address, name) in &renamed {
            if f.label.contains(address.as_str()) {
                f.label = f.label.replace(address.as_str(), name);
            }
        }
    }
    for w in &mut imported.warnings {
        w.message = w.message.replace("resource type `Terraform::", "Terraform resource type `");
        if !located {
            let at = resources.iter().filter(|r| r.line > 0).find(|r| w.message.contains(&format!("`{}`", r.address)));
            if let Some(r) = at {
                w.message = format!("{} (at {}:{})", w.message, r.file, r.line);
            }
        }
    }
    imported
}

fn scalar(text: &str, mark: Mark) -> Node {
    Node { value: NodeValue::Scalar { text: text.to_string(), plain: false }, mark, tag: None }
}

/// JSON as a node tree, every node at `mark`.
fn to_node(v: &Value, mark: Mark, depth: usize) -> Node {
    let value = match v {
        _ if depth > 64 => NodeValue::Scalar { text: String::new(), plain: true },
        Value::Null => NodeValue::Scalar { text: "null".into(), plain: true },
        Value::Bool(b) => NodeValue::Scalar { text: b.to_string(), plain: true },
        Value::Number(n) => NodeValue::Scalar { text: n.to_string(), plain: true },
        Value::String(s) => NodeValue::Scalar { text: s.clone(), plain: false },
        Value::Array(items) => NodeValue::Seq(items.iter().map(|i| to_node(i, mark, depth + 1)).collect()),
        Value::Object(map) => {
            NodeValue::Map(map.iter().map(|(k, v)| (scalar(k, mark), to_node(v, mark, depth + 1))).collect())
        }
    };
    Node { value, mark, tag: None }
}
