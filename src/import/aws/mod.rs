//! CloudFormation resources into a model, shared by every front end whose
//! input is (or compiles to) CloudFormation: the SAM importer and the
//! Serverless Framework importer today, a Terraform plan tomorrow.
//!
//! `value` evaluates intrinsics, `policy` turns IAM policies into grants,
//! `ctx` holds the state of one import, and `handler` is the table that maps
//! each resource type to its handler, one file per resource family
//! (`function`, `api`, `events`, `storage`, `messaging`, `data`, `edge`,
//! `iam`). Must not: read files, or fail on a resource it does not understand
//! (it becomes a `generic.service` element plus a warning).

pub(crate) mod api;
pub(crate) mod ctx;
mod data;
mod edge;
mod events;
mod function;
pub(crate) mod handler;
mod iam;
mod messaging;
pub(crate) mod policy;
mod storage;
pub(crate) mod value;

pub(crate) use ctx::{Ctx, Res};

use crate::diag::{Diagnostic, Diagnostics};
use crate::yaml::Node;
use value::{Env, V};

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

#[cfg(test)]
mod tests {
    use crate::import::sam;

    fn warnings(template: &str) -> Vec<String> {
        let imported = sam::import(template, "t.yaml").expect("a template");
        imported.warnings.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn an_undefined_authorizer_is_reported_at_its_route() {
        let w = warnings(
            "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      \
             Events:\n        Get:\n          Type: Api\n          Properties:\n            Path: /\n            \
             Method: get\n            Auth:\n              Authorizer: Missing\n",
        );
        let hit = w.iter().find(|w| w.contains("authorizer `Missing`")).expect("a warning about the authorizer");
        assert!(hit.starts_with("t.yaml:8:"), "at the event, not 0:0: {hit}");
    }

    #[test]
    fn a_function_log_group_without_its_function_is_a_located_warning() {
        let w = warnings(
            "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      \
             LogGroupName: /aws/lambda/Gone\n      RetentionInDays: 7\n",
        );
        let hit = w.iter().find(|w| w.contains("log group `/aws/lambda/Gone`")).expect("a warning about the group");
        assert!(hit.starts_with("t.yaml:2:"), "at the resource: {hit}");
    }
}
