//! The JSON of `terraform show -json`: a plan (`planned_values`) or a state
//! (`values`), with the `configuration` section's references put back where
//! a plan does not know a value yet, and known ARNs, URLs and names of the
//! plan's own resources turned back into references, so relations resolve
//! as they do from `.tf` files.
//!
//! Must not: know any resource type (that is `cfn`).

use super::hcl::reference_to;
use super::TfResource;
use crate::diag::{Diagnostic, Diagnostics};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The managed resources of a plan or state document.
pub fn resources(doc: &Value, file: &str) -> Result<Vec<TfResource>, Diagnostics> {
    let root =
        doc.pointer("/planned_values/root_module").or_else(|| doc.pointer("/values/root_module")).ok_or_else(|| {
            Diagnostics::one(Diagnostic::new(
                file,
                1,
                1,
                "not a Terraform plan or state: expected the JSON of `terraform show -json` \
                 (an object with `planned_values` or `values`)",
            ))
        })?;
    let mut out = Vec::new();
    walk(root, file, &mut out, 0);
    if let Some(config) = doc.pointer("/configuration/root_module") {
        overlay(config, "", &mut out, 0);
    }
    relink(&mut out);
    Ok(out)
}

fn walk(module: &Value, file: &str, out: &mut Vec<TfResource>, depth: usize) {
    if depth > 16 {
        return;
    }
    for r in module.get("resources").and_then(Value::as_array).into_iter().flatten() {
        if r.get("mode").and_then(Value::as_str).unwrap_or("managed") != "managed" {
            continue;
        }
        let (Some(address), Some(ty)) =
            (r.get("address").and_then(Value::as_str), r.get("type").and_then(Value::as_str))
        else {
            continue;
        };
        out.push(TfResource {
            address: address.to_string(),
            ty: ty.to_string(),
            attrs: r.get("values").cloned().unwrap_or_else(|| json!({})),
            file: file.to_string(),
            line: 0,
        });
    }
    for child in module.get("child_modules").and_then(Value::as_array).into_iter().flatten() {
        walk(child, file, out, depth + 1);
    }
}

/// Puts the configuration's references where the plan has no value.
fn overlay(config: &Value, prefix: &str, out: &mut [TfResource], depth: usize) {
    if depth > 16 {
        return;
    }
    for c in config.get("resources").and_then(Value::as_array).into_iter().flatten() {
        let Some(address) = c.get("address").and_then(Value::as_str) else { continue };
        let Some(expressions) = c.get("expressions") else { continue };
        let full = format!("{prefix}{address}");
        for r in out.iter_mut().filter(|r| r.address == full || r.address.starts_with(&format!("{full}["))) {
            fill(&mut r.attrs, expressions, prefix);
        }
    }
    if let Some(Value::Object(calls)) = config.get("module_calls") {
        for (name, call) in calls {
            if let Some(m) = call.get("module") {
                overlay(m, &format!("{prefix}module.{name}."), out, depth + 1);
            }
        }
    }
}

fn fill(value: &mut Value, expr: &Value, prefix: &str) {
    match expr {
        Value::Object(e) if e.contains_key("references") => {
            let refs = e["references"].as_array().cloned().unwrap_or_default();
            let mut named: Vec<Value> = Vec::new();
            for r in refs.iter().filter_map(Value::as_str).filter_map(|r| resource_reference(r, prefix)) {
                if !named.iter().any(|n| super::cfn::target(n) == super::cfn::target(&r)) {
                    named.push(r);
                }
            }
            match value {
                Value::Null => *value = named.first().cloned().unwrap_or(Value::Null),
                Value::String(s) if s.is_empty() => *value = named.first().cloned().unwrap_or(Value::Null),
                // A map whose unknown members come from one resource (`variables = { Q = aws_sqs_queue.q.url }`).
                Value::Object(m) if named.len() == 1 => {
                    for v in m.values_mut().filter(|v| v.is_null()) {
                        *v = named[0].clone();
                    }
                }
                _ => {}
            }
        }
        // A resource's or nested block's arguments: each one an expression, or blocks.
        Value::Object(e) if !e.contains_key("constant_value") => {
            if !value.is_object() {
                return;
            }
            for (k, sub) in e {
                let slot = value.as_object_mut().map(|m| m.entry(k.clone()).or_insert(Value::Null));
                if let Some(slot) = slot {
                    fill(slot, sub, prefix);
                }
            }
        }
        Value::Array(blocks) => {
            if let Value::Array(items) = value {
                for (item, b) in items.iter_mut().zip(blocks) {
                    fill(item, b, prefix);
                }
            }
        }
        _ => {}
    }
}

/// `aws_iam_role.r.arn` (or `aws_iam_role.r`) as a reference; `var.`, `local.` and the like are not.
fn resource_reference(r: &str, prefix: &str) -> Option<Value> {
    let parts: Vec<&str> = r.split('.').collect();
    if parts.len() < 2 || matches!(parts[0], "var" | "local" | "data" | "module" | "count" | "each" | "path" | "self") {
        return None;
    }
    let address = format!("{prefix}{}.{}", parts[0], parts[1]);
    Some(reference_to(&address, parts.get(2).copied().unwrap_or("id")))
}

/// Replaces known ARNs, URLs and names of the document's own resources with references.
fn relink(out: &mut [TfResource]) {
    let mut known: HashMap<String, Value> = HashMap::new();
    for r in out.iter() {
        for attr in ["arn", "invoke_arn", "stream_arn", "qualified_arn", "url", "id", "bucket", "name", "function_name"]
        {
            if let Some(s) = r.attrs.get(attr).and_then(Value::as_str) {
                if s.len() >= 3 {
                    known.entry(s.to_string()).or_insert_with(|| reference_to(&r.address, attr));
                }
            }
        }
    }
    for r in out.iter_mut() {
        let own = r.address.clone();
        if let Value::Object(m) = &mut r.attrs {
            for v in m.values_mut() {
                replace(v, &known, &own, 0);
            }
        }
    }
}

fn replace(v: &mut Value, known: &HashMap<String, Value>, own: &str, depth: usize) {
    if depth > 32 {
        return;
    }
    match v {
        Value::String(s) => {
            if let Some(r) = known.get(s.as_str()) {
                if super::cfn::target(r).as_deref() != Some(own) {
                    *v = r.clone();
                }
            } else if s.starts_with("arn:") {
                // `arn:…:bucket/*`: the ARN of a known resource with a suffix.
                if let Some((base, r)) = known
                    .iter()
                    .filter(|(k, _)| k.starts_with("arn:") && s.starts_with(k.as_str()))
                    .max_by_key(|(k, _)| k.len())
                {
                    let rest = s[base.len()..].to_string();
                    *v = json!({ "Fn::Join": ["", [r, rest]] });
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| replace(i, known, own, depth + 1)),
        Value::Object(m) => m.values_mut().for_each(|i| replace(i, known, own, depth + 1)),
        _ => {}
    }
}
