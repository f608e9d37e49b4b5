//! Permission facts: grants compared with data flows (over-privilege),
//! wildcards, administrative and log-tampering actions, blast radius, shared
//! roles; and secret-looking environment variables.

use super::access::{Level, Levels};
use super::data::{self, TableError};
use super::GraphView;
use crate::model::kind::category;
use crate::model::kind::groups::LOG_STORE;
use crate::model::{Classification, ElementKind, GrantTarget, Value};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// `*`, `service:*` or `service.*`: every action of a service or of all.
pub fn is_wildcard_action(action: &str) -> bool {
    let a = action.trim();
    a == "*" || a.ends_with(":*") || a.ends_with(".*") || a.ends_with("/*")
}

/// Actions that let a principal escalate its own privileges or replace code.
pub fn is_admin_action(action: &str) -> bool {
    let a = action.trim().to_ascii_lowercase();
    const EXACT: &[&str] = &[
        "*",
        "iam:*",
        "iam:passrole",
        "iam:createpolicyversion",
        "iam:attachrolepolicy",
        "iam:putrolepolicy",
        "iam:createaccesskey",
        "iam:updateassumerolepolicy",
        "iam:attachuserpolicy",
        "iam:createrole",
        "lambda:updatefunctioncode",
        "lambda:updatefunctionconfiguration",
        "lambda:addpermission",
        "lambda:createfunction",
        "lambda:*",
        "sts:*",
        "organizations:*",
        "kms:*",
        "iam.serviceaccounts.actas",
        "iam.serviceaccountkeys.create",
        "resourcemanager.projects.setiampolicy",
        "cloudfunctions.functions.update",
        "microsoft.authorization/roleassignments/write",
        "microsoft.authorization/*",
    ];
    EXACT.contains(&a.as_str())
}

/// Actions that delete or silence logs and audit trails.
pub fn is_log_tamper_action(action: &str) -> bool {
    let a = action.trim().to_ascii_lowercase();
    const EXACT: &[&str] = &[
        "*",
        "logs:*",
        "logs:deleteloggroup",
        "logs:deletelogstream",
        "logs:putretentionpolicy",
        "logs:deleteretentionpolicy",
        "logs:deletesubscriptionfilter",
        "cloudtrail:*",
        "cloudtrail:stoplogging",
        "cloudtrail:deletetrail",
        "cloudtrail:updatetrail",
        "cloudtrail:puteventselectors",
        "logging.logs.delete",
        "logging.sinks.delete",
        "logging.sinks.update",
        "logging.*",
        "microsoft.insights/diagnosticsettings/delete",
        "microsoft.operationalinsights/workspaces/delete",
    ];
    EXACT.contains(&a.as_str())
}

/// Whether a resource pattern covers every resource of a service (`*`,
/// `arn:aws:s3:::*`, `arn:aws:dynamodb:*:*:table/*`) rather than one named
/// resource and its children (`arn:aws:s3:::bucket/*`, `…:table/Orders*`).
pub fn is_every_resource(pattern: &str) -> bool {
    let p = pattern.trim();
    if p == "*" {
        return true;
    }
    if let Some(rest) = p.strip_prefix("arn:") {
        // arn:partition:service:region:account:resource
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        let service = parts.get(1).copied().unwrap_or("");
        let resource = parts.get(4).copied().unwrap_or("");
        // S3 names the bucket first (`bucket/key`); other services name a
        // type first (`table/Orders`, `function:name`, `log-group:x`).
        let name = if service == "s3" {
            resource.split('/').next().unwrap_or("")
        } else {
            resource.split_once(['/', ':']).map(|(_, name)| name).unwrap_or(resource)
        };
        return name.is_empty() || name.starts_with('*');
    }
    // GCP/Azure style paths: a wildcard in place of the resource name.
    p.ends_with("/*") && p.matches('/').count() <= 1 || p.starts_with('*')
}

/// Actions that only append to logs.
pub fn is_log_write_action(action: &str) -> bool {
    matches!(
        action.trim().to_ascii_lowercase().as_str(),
        "logs:createloggroup"
            | "logs:createlogstream"
            | "logs:putlogevents"
            | "logging.logentries.create"
            | "xray:puttracesegments"
            | "xray:puttelemetryrecords"
    )
}

/// Values that are a secret in plain text whatever the variable is called.
/// CloudFormation resolves `{{resolve:secretsmanager:…}}` and
/// `{{resolve:ssm-secure:…}}` at deployment and writes the secret into the
/// function's configuration, readable by anyone who may read that
/// configuration; well-known credential formats are secrets by their value.
fn is_plaintext_secret(value: &str) -> bool {
    const PLAINTEXT_DYNAMIC_REFERENCES: &[&str] = &["{{resolve:secretsmanager:", "{{resolve:ssm-secure:"];
    const CREDENTIAL_PREFIXES: &[&str] = &["sk_live_", "ghp_", "xoxb-", "xoxp-", "-----BEGIN"];
    PLAINTEXT_DYNAMIC_REFERENCES.iter().any(|r| value.contains(r))
        || value.starts_with("AKIA") && value.len() == 20
        || CREDENTIAL_PREFIXES.iter().any(|p| value.starts_with(p))
}

/// The secret-name hints of `models/data/secret-name-hints.tsv`.
pub struct SecretHints {
    pub hints: Vec<&'static str>,
    pub not_secrets: Vec<&'static str>,
    pub reference_suffixes: Vec<&'static str>,
    pub reference_values: Vec<&'static str>,
}

/// The hint table, embedded.
pub const SECRET_HINTS: &str = include_str!("../../models/data/secret-name-hints.tsv");

impl SecretHints {
    /// Parses `kind<TAB>text` rows (kinds: hint, not_secret, reference_suffix, reference_value).
    pub fn parse(text: &'static str) -> Result<SecretHints, TableError> {
        let mut h =
            SecretHints { hints: vec![], not_secrets: vec![], reference_suffixes: vec![], reference_values: vec![] };
        for (line, cells) in data::rows(text, 2)? {
            let list = match cells[0] {
                "hint" => &mut h.hints,
                "not_secret" => &mut h.not_secrets,
                "reference_suffix" => &mut h.reference_suffixes,
                "reference_value" => &mut h.reference_values,
                other => {
                    return Err(TableError {
                        line,
                        message: format!(
                            "unknown kind `{other}`; expected hint, not_secret, reference_suffix or reference_value"
                        ),
                    })
                }
            };
            list.push(cells[1]);
        }
        Ok(h)
    }

    /// The built-in table (parsed once; a test proves it parses).
    pub fn builtin() -> &'static SecretHints {
        static T: OnceLock<SecretHints> = OnceLock::new();
        T.get_or_init(|| {
            SecretHints::parse(SECRET_HINTS).unwrap_or(SecretHints {
                hints: vec![],
                not_secrets: vec![],
                reference_suffixes: vec![],
                reference_values: vec![],
            })
        })
    }
}

/// Environment variable names (or `NAME=value` entries) that look like secrets
/// held in plain text: the one secret detector, used by the graph and the
/// importers. References to a secret store, a plain parameter
/// (`{{resolve:ssm:…}}`), any ARN and any parameter path are not secrets.
pub fn secret_like_env(entries: &[String]) -> Vec<String> {
    let SecretHints { hints, not_secrets, reference_suffixes, reference_values } = SecretHints::builtin();
    entries
        .iter()
        .filter(|entry| {
            let (name, value) = match entry.split_once('=') {
                Some((n, v)) => (n.trim().to_ascii_uppercase(), Some(v.trim())),
                None => (entry.trim().to_ascii_uppercase(), None),
            };
            if value.is_some_and(is_plaintext_secret) {
                return true;
            }
            if reference_suffixes.iter().any(|s| name.ends_with(s)) || not_secrets.iter().any(|s| name.contains(s)) {
                return false;
            }
            // `_SK` only as a suffix (STRIPE_SK), not inside words (TASK_SKIP).
            if !name.ends_with("_SK") && !hints.iter().filter(|h| **h != "_SK").any(|h| name.contains(h)) {
                return false;
            }
            if let Some(v) = value {
                if v.is_empty()
                    || reference_values.iter().any(|r| v.to_ascii_lowercase().starts_with(&r.to_ascii_lowercase()))
                {
                    return false;
                }
            }
            true
        })
        .map(|e| e.split_once('=').map(|(n, _)| n.trim().to_string()).unwrap_or_else(|| e.trim().to_string()))
        .collect()
}

/// What unneeded actions would let an attacker do, in Cloudsplaining's terms,
/// from the access level AWS publishes for each: Permissions management is
/// resource exposure, Read data exfiltration, Write infrastructure modification,
/// escalation actions privilege escalation. Actions of unknown level stay plain.
fn classified(levels: &Levels, actions: &[String]) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for a in actions {
        let l = levels.of(a);
        let class = if is_admin_action(a) {
            "privilege escalation"
        } else if l.contains(&Level::Permissions) {
            "resource exposure"
        } else if l.contains(&Level::Write) {
            "infrastructure modification"
        } else if l.contains(&Level::Read) {
            "data exfiltration"
        } else {
            ""
        };
        match groups.iter_mut().find(|(c, _)| *c == class) {
            Some((_, list)) => list.push(a),
            None => groups.push((class, vec![a])),
        }
    }
    groups
        .into_iter()
        .map(|(class, list)| if class.is_empty() { list.join(", ") } else { format!("{} ({class})", list.join(", ")) })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Whether function `p` needs its grant on element `t`, by the flows around
/// them: a flow between them, or one of the shapes where the grant is used
/// without one. The checks run cheapest first and stop at the first that holds.
fn grant_is_used(model: &crate::model::Model, talks: &[BTreeSet<usize>], p: usize, t: usize) -> bool {
    let target = &model.elements[t];
    talks[p].contains(&t)
        // A key is used through what it encrypts: granted for a store or
        // queue the function has a flow with, it is what that flow needs.
        || (target.category() == category::KEY_STORE
            && talks[p].iter().any(|&x| {
                matches!(model.elements[x].properties.get(super::props::KMS_KEY), Some(Value::Str(k)) if *k == target.name)
            }))
        // A stream or notification of the resource that invokes the
        // function is read with the function's role (an event source
        // mapping polls with it): the grant is what that trigger needs.
        || talks[p].iter().any(|&x| model.elements[x].kind == ElementKind::Trigger && talks[x].contains(&t))
        // A bucket an outside party reads or writes directly, where the
        // same party calls the function (itself or through its front
        // door): the function signs URLs for that party, and the grant
        // is what a presigned URL needs.
        || (target.category() == category::BUCKET
            && talks[p]
                .iter()
                .flat_map(|&x| {
                    let front = model.elements[x].kind == ElementKind::Trigger;
                    std::iter::once(x).chain(talks[x].iter().copied().filter(move |_| front))
                })
                .any(|c| model.elements[c].kind == ElementKind::External && talks[c].contains(&t)))
}

pub(super) fn compute(view: &mut GraphView<'_>) {
    let model = view.model;
    let n = model.elements.len();
    // Direct neighbours by flow in either direction.
    let mut talks: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    for &(_, a, b) in &view.flows {
        talks[a].insert(b);
        talks[b].insert(a);
    }
    let resources: Vec<usize> =
        (0..n).filter(|&i| matches!(model.elements[i].kind, ElementKind::Store | ElementKind::Trigger)).collect();
    let mut blast: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    let levels = Levels::builtin();
    for g in &model.grants {
        let Some(&p) = view.index.get(&g.principal) else { continue };
        let f = &mut view.element_facts[p];
        f.grant_count += 1;
        for a in &g.actions {
            if is_wildcard_action(a) && !f.wildcard_actions.contains(a) {
                f.wildcard_actions.push(a.clone());
            }
            if is_admin_action(a) && !f.admin_actions.contains(a) {
                f.admin_actions.push(a.clone());
            }
            if is_log_tamper_action(a) && !f.log_tamper_actions.contains(a) {
                f.log_tamper_actions.push(a.clone());
            }
            if !is_wildcard_action(a) && !is_admin_action(a) && levels.of(a).contains(&Level::Permissions) {
                let on = match &g.target {
                    GrantTarget::Any => "every resource".to_string(),
                    GrantTarget::Unmodelled(text) => format!("`{text}`"),
                    GrantTarget::Element(t) => view
                        .index
                        .get(t)
                        .map(|&t| format!("`{}`", model.elements[t].name))
                        .unwrap_or_else(|| "a missing element".into()),
                };
                let entry = format!("{a} on {on}");
                if !f.resource_exposure_actions.contains(&entry) {
                    f.resource_exposure_actions.push(entry);
                }
            }
        }
        match &g.target {
            GrantTarget::Any => f.wildcard_resource = true,
            GrantTarget::Unmodelled(text) => {
                if is_every_resource(text) {
                    f.wildcard_resource = true;
                } else {
                    f.unmodelled_grants.push(text.clone());
                }
            }
            GrantTarget::Element(t) => {
                let Some(&t) = view.index.get(t) else { continue };
                // Writing one's own logs is what every function does; it gives
                // an attacker nothing to read or destroy, so it is not blast radius.
                let log_writes_only = LOG_STORE.contains(&model.elements[t].category())
                    && g.actions.iter().all(|a| is_log_write_action(a));
                if !log_writes_only {
                    blast[p].insert(t);
                }
                if !grant_is_used(model, &talks, p, t) {
                    f.grant_without_flow.push(format!(
                        "holds {} on `{}` but has no data flow with it",
                        classified(levels, &g.actions),
                        model.elements[t].name
                    ));
                }
            }
        }
    }
    // A wildcard resource reaches every store and trigger; counted, not
    // materialised, so `Resource: *` on many functions stays linear.
    let is_sensitive =
        |t: usize, view: &GraphView<'_>| view.element_facts[t].max_classification >= Some(Classification::Confidential);
    let any_sensitive = resources.iter().any(|&t| is_sensitive(t, view));
    view.resource_count = resources.len();
    for (p, b) in blast.into_iter().enumerate() {
        let wildcard = view.element_facts[p].wildcard_resource;
        let sensitive = (wildcard && any_sensitive) || b.iter().any(|&t| is_sensitive(t, view));
        let f = &mut view.element_facts[p];
        f.blast_radius = b.into_iter().collect();
        f.blast_radius_sensitive = sensitive;
    }
    // Shared roles.
    let mut by_role: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (i, e) in model.elements.iter().enumerate() {
        if let Some(Value::Str(r)) = e.properties.get(super::props::ROLE) {
            if !r.is_empty() {
                by_role.entry(r.as_str()).or_default().push(i);
            }
        }
    }
    for members in by_role.values().filter(|m| m.len() > 1) {
        for &m in members {
            view.element_facts[m].shared_role_with = members.iter().copied().filter(|x| *x != m).collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unneeded_actions_are_named_by_what_they_would_let_an_attacker_do() {
        let l = Levels::builtin();
        let acts = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            classified(l, &acts(&["s3:GetObject", "s3:PutObjectAcl", "s3:DeleteObject", "iam:PassRole", "x:Y"])),
            "s3:GetObject (data exfiltration); s3:PutObjectAcl (resource exposure); s3:DeleteObject (infrastructure modification); iam:PassRole (privilege escalation); x:Y"
        );
        assert_eq!(classified(l, &acts(&["s3:ListBucket"])), "s3:ListBucket");
    }

    #[test]
    fn the_secret_hint_table_parses() {
        let h = SecretHints::parse(SECRET_HINTS).expect("models/data/secret-name-hints.tsv parses");
        assert!(h.hints.contains(&"PASSWORD") && h.not_secrets.contains(&"PARTITION_KEY"));
        assert!(h.reference_suffixes.contains(&"_ARN") && h.reference_values.contains(&"arn:"));
        assert_eq!(SecretHints::parse("hint\tX\nsecret\tY\n").err().unwrap().line, 2);
    }

    #[test]
    fn wildcard_actions() {
        for (a, want) in [("*", true), ("s3:*", true), ("storage.*", true), ("s3:GetObject", false), ("s3:Get*", false)]
        {
            assert_eq!(is_wildcard_action(a), want, "{a}");
        }
    }

    #[test]
    fn secret_like_names_are_flagged_and_references_are_not() {
        let env: Vec<String> = [
            "DB_PASSWORD",
            "STRIPE_API_KEY=sk_live_123",
            "TABLE_NAME",
            "API_KEY_SECRET_ARN",
            "GITHUB_TOKEN={{resolve:ssm:/ci/gh-token-name}}",
            "SIGNING_KEY",
            "LOG_LEVEL=debug",
            "DB_PASSWORD_PARAM=/prod/db/password",
            "WEBHOOK_KEY=arn:aws:kms:eu-west-1:111122223333:key/x",
            // Resolved at deployment into the function's configuration, in plain text.
            "CONFIG={{resolve:secretsmanager:db:SecretString:password}}",
            "LEGACY={{resolve:ssm-secure:/prod/legacy}}",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(secret_like_env(&env), vec!["DB_PASSWORD", "STRIPE_API_KEY", "SIGNING_KEY", "CONFIG", "LEGACY"]);
    }

    #[test]
    fn every_resource_patterns() {
        for (p, want) in [
            ("*", true),
            ("arn:aws:s3:::*", true),
            ("arn:aws:s3:::*/*", true),
            ("arn:aws:dynamodb:*:*:table/*", true),
            ("arn:aws:logs:*:*:*", true),
            ("arn:aws:s3:::archive-bucket/*", false),
            ("arn:aws:dynamodb:eu-west-1:123:table/Orders*", false),
            ("arn:aws:iam::123:role/tenant-*", false),
            ("arn:aws:sqs:eu-west-1:123:orders", false),
        ] {
            assert_eq!(is_every_resource(p), want, "{p}");
        }
    }

    #[test]
    fn more_secret_names() {
        let env: Vec<String> =
            ["LICENSE_KEY", "STRIPE_SK", "TABLE_PARTITION_KEY", "TASK_SKIP"].iter().map(|s| s.to_string()).collect();
        assert_eq!(secret_like_env(&env), vec!["LICENSE_KEY", "STRIPE_SK"]);
    }

    #[test]
    fn admin_and_log_tamper_actions() {
        assert!(is_admin_action("iam:PassRole"));
        assert!(is_admin_action("lambda:UpdateFunctionCode"));
        assert!(!is_admin_action("dynamodb:GetItem"));
        assert!(is_log_tamper_action("logs:DeleteLogGroup"));
        assert!(is_log_tamper_action("cloudtrail:StopLogging"));
        assert!(!is_log_tamper_action("logs:PutLogEvents"));
    }
}
