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
        for (trigger, f) in p.get("LambdaConfig").map(V::map).unwrap_or(&[]) {
            if let Some(f) = self.resolve(f) {
                self.b.flow(id, f, &format!("trigger {trigger}"), Hop::Call);
            }
        }
    }

    /// A trail: log file validation.
    pub(super) fn trail(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        self.b.set_bool(id, "tamper_protection", ev_bool(p.get("EnableLogFileValidation")).unwrap_or(false));
    }
}

/// IAM, connectors, Cognito and CloudTrail.
pub(super) const HANDLERS: &[(&[&str], Handler)] = &[
    (&["AWS::IAM::Role"], Handler::Configures(Pass::Iam, Ctx::role)),
    (&["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"], Handler::Configures(Pass::Iam, Ctx::policy)),
    (&["AWS::Serverless::Connector"], Handler::Configures(Pass::Main, Ctx::connector)),
    (&["AWS::Cognito::UserPool"], Handler::Element("aws.cognito", Pass::Main, Ctx::user_pool)),
    (&["AWS::CloudTrail::Trail"], Handler::Element("aws.cloudtrail", Pass::Main, Ctx::trail)),
    (
        &[
            "AWS::Cognito::UserPoolClient",
            "AWS::Cognito::UserPoolDomain",
            "AWS::Cognito::IdentityPool",
            "AWS::Cognito::UserPoolGroup",
            "AWS::Cognito::IdentityPoolRoleAttachment",
            "AWS::Cognito::UserPoolResourceServer",
        ],
        Handler::Configures(Pass::Main, Ctx::skip),
    ),
];
