//! Identity and access: IAM roles and policies applied to the functions
//! that use them, SAM connectors, Cognito user pools and CloudTrail trails.
//!
//! Must not: parse policy documents itself (that is `policy`).

use super::ctx::*;
use super::handler::{Handler, Pass};

impl Ctx {
    /// SAM connectors: a flow in the permitted direction plus the grant.
    pub(super) fn connector(&mut self, r: &Res) {
        let p = &r.props;
        let endpoint = |ctx: &Ctx, key: &str| {
            p.get(key).and_then(|s| s.get("Id")).and_then(V::str).and_then(|id| ctx.b.lookup(id))
        };
        let (Some(src), Some(dst)) = (endpoint(self, "Source"), endpoint(self, "Destination")) else {
            self.b.warn(r.mark, format!("connector `{}` links resources outside the template", r.id));
            return;
        };
        let perms = p.get("Permissions").map(V::texts).unwrap_or_default();
        let dest_type = self.b.get(dst).vendor_type.clone();
        let (read, write): (&[&str], &[&str]) = match dest_type.as_str() {
            "aws.dynamodb" => (
                &["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem"],
                &["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"],
            ),
            "aws.s3" => (&["s3:GetObject", "s3:ListBucket"], &["s3:PutObject", "s3:DeleteObject"]),
            "aws.sqs" => (&["sqs:ReceiveMessage", "sqs:DeleteMessage"], &["sqs:SendMessage"]),
            "aws.sns" => (&[], &["sns:Publish"]),
            "aws.eventbridge" => (&[], &["events:PutEvents"]),
            "aws.lambda" => (&[], &["lambda:InvokeFunction"]),
            "aws.stepfunctions" => (&[], &["states:StartExecution"]),
            _ => (&[], &[]),
        };
        let mut actions = Vec::new();
        if perms.iter().any(|p| p == "Read") {
            actions.extend(read.iter().map(|a| a.to_string()));
            self.b.flow(dst, src, "read", Hop::Call);
        }
        if perms.iter().any(|p| p == "Write") {
            actions.extend(write.iter().map(|a| a.to_string()));
            self.b.flow(src, dst, "write", Hop::Call);
        }
        if self.b.get(src).kind == ElementKind::Function {
            self.b.grant(src, GrantTarget::Element(dst), &actions);
        }
    }

    /// A role's inline and managed policies apply to every function using it.
    pub(super) fn role(&mut self, r: &Res) {
        let p = &r.props;
        let users = self.roles.get(&r.id).cloned().unwrap_or_default();
        for f in users {
            for pol in p.get("Policies").map(V::items).unwrap_or_default() {
                if let Some(doc) = pol.get("PolicyDocument") {
                    iam::document(&mut self.b, f, doc);
                }
            }
            for arn in p.get("ManagedPolicyArns").map(V::items).unwrap_or_default() {
                match arn.s().and_then(|s| s.refs.first()) {
                    Some(rf) => {
                        if let Some(doc) = self.documents.get(&rf.id).cloned() {
                            iam::document(&mut self.b, f, &doc);
                        }
                    }
                    None => {
                        let text = arn.str().unwrap_or("").to_string();
                        iam::managed(&mut self.b, f, &text, arn);
                    }
                }
            }
        }
    }

    /// A policy applies to every function using one of its roles.
    pub(super) fn policy(&mut self, r: &Res) {
        let p = &r.props;
        let Some(doc) = p.get("PolicyDocument") else { return };
        for role in p.get("Roles").map(V::items).unwrap_or_default() {
            let rid = role.s().and_then(|s| s.refs.first()).map(|r| r.id.clone());
            for f in rid.and_then(|id| self.roles.get(&id).cloned()).unwrap_or_default() {
                iam::document(&mut self.b, f, doc);
            }
        }
    }

    /// A user pool: password policy, MFA, advanced security, triggers.
    pub(super) fn user_pool(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        if let Some(n) = p.at(&["Policies", "PasswordPolicy", "MinimumLength"]).and_then(V::int) {
            self.b.set(id, "password_min_length", Value::Int(n.clamp(0, 256)));
        }
        match p.get("MfaConfiguration").and_then(V::str).map(str::to_ascii_uppercase).as_deref() {
            Some("ON") => self.b.set_str(id, "mfa", "required"),
            Some("OPTIONAL") => self.b.set_str(id, "mfa", "optional"),
            Some("OFF") => self.b.set_str(id, "mfa", "off"),
            _ => {}
        }
        if let Some(mode) = p.at(&["UserPoolAddOns", "AdvancedSecurityMode"]).and_then(V::str) {
            self.b.set_bool(id, "advanced_security", mode.eq_ignore_ascii_case("ENFORCED"));
        }
        let claims: Vec<String> = p
            .get("Schema")
            .map(V::items)
            .unwrap_or_default()
            .into_iter()
            .filter(|a| {
                ev_bool(a.get("Mutable")) != Some(false) && ev_bool(a.get("DeveloperOnlyAttribute")) != Some(true)
            })
            .filter_map(|a| a.get("Name").and_then(V::str))
            .filter(|name| !STANDARD_ATTRIBUTES.contains(name) && is_authorization_like(name))
            .map(|name| format!("custom:{name}"))
            .collect();
        if !claims.is_empty() {
            self.user_pools.insert(r.id.clone(), (id, claims, None));
        }
        for (trigger, f) in p.get("LambdaConfig").map(V::map).unwrap_or(&[]) {
            if let Some(f) = self.resolve(f) {
                self.b.flow(id, f, &format!("trigger {trigger}"), Hop::Call);
            }
        }
    }

    /// An app client of a user pool: the attributes it lets users write
    /// (`WriteAttributes`; every writable attribute when absent).
    pub(super) fn user_pool_client(&mut self, r: &Res) {
        let Some(pool) = r.props.get("UserPoolId").and_then(|v| v.s()).and_then(|s| s.refs.first()) else { return };
        let Some((_, _, writes)) = self.user_pools.get_mut(&pool.id) else { return };
        let mine = r.props.get("WriteAttributes").map(V::texts);
        *writes = match (writes.take(), mine) {
            (Some(WriteSet::All), _) | (_, None) => Some(WriteSet::All),
            (Some(WriteSet::Only(mut all)), Some(list)) => {
                all.extend(list);
                Some(WriteSet::Only(all))
            }
            (None, Some(list)) => Some(WriteSet::Only(list)),
        };
    }

    /// Records on each user pool the authorization-like attributes users may
    /// change: those some app client lets them write (all of them when the
    /// template has no client for the pool, since one may be defined elsewhere).
    pub(super) fn settle_user_pool_claims(&mut self) {
        for (_, (id, claims, writes)) in std::mem::take(&mut self.user_pools) {
            let writable: Vec<String> = match &writes {
                Some(WriteSet::Only(list)) => claims.into_iter().filter(|c| list.contains(c)).collect(),
                _ => claims,
            };
            if !writable.is_empty() {
                self.b.set(id, "user_writable_claims", Value::List(writable));
            }
        }
    }

    /// A trail: log file validation.
    pub(super) fn trail(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        self.b.set_bool(id, "tamper_protection", ev_bool(p.get("EnableLogFileValidation")).unwrap_or(false));
    }
}

/// Attributes every user pool has; only custom ones carry application data.
const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "picture",
    "preferred_username",
    "profile",
    "zoneinfo",
    "updated_at",
    "website",
];

/// A custom attribute name an application is likely to authorise on.
fn is_authorization_like(name: &str) -> bool {
    const HINTS: &[&str] = &[
        "admin",
        "role",
        "group",
        "tenant",
        "permission",
        "scope",
        "privilege",
        "entitle",
        "tier",
        "plan",
        "org",
        "level",
    ];
    let n = name.to_ascii_lowercase();
    HINTS.iter().any(|h| n.contains(h))
}

/// IAM, connectors, Cognito and CloudTrail.
pub(super) const HANDLERS: &[(&[&str], Handler)] = &[
    (&["AWS::IAM::Role"], Handler::Configures(Pass::Iam, Ctx::role)),
    (&["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"], Handler::Configures(Pass::Iam, Ctx::policy)),
    (&["AWS::Serverless::Connector"], Handler::Configures(Pass::Main, Ctx::connector)),
    (&["AWS::Cognito::UserPool"], Handler::Element("aws.cognito", Pass::Main, Ctx::user_pool)),
    (&["AWS::CloudTrail::Trail"], Handler::Element("aws.cloudtrail", Pass::Main, Ctx::trail)),
    (&["AWS::Cognito::UserPoolClient"], Handler::Configures(Pass::Iam, Ctx::user_pool_client)),
    (
        &[
            "AWS::Cognito::UserPoolDomain",
            "AWS::Cognito::IdentityPool",
            "AWS::Cognito::UserPoolGroup",
            "AWS::Cognito::IdentityPoolRoleAttachment",
            "AWS::Cognito::UserPoolResourceServer",
        ],
        Handler::Configures(Pass::Main, Ctx::skip),
    ),
];
