//! Lambda functions and what configures them (permissions, event source
//! mappings, URLs, destinations, log groups), Step Functions state machines,
//! and the other compute resources (ECS services, CodePipeline pipelines).
//!
//! Must not: read an API's or an event source's own settings (their
//! families do); a function only records what triggers it and what it may
//! call.

use super::ctx::*;
use super::handler::{Handler, Pass};
use crate::graph::secret_like_env;
use crate::model::kind::category;

impl Ctx {
    /// A SAM or CloudFormation function: its settings, destinations, URL,
    /// role and events.
    pub(super) fn function(&mut self, r: &Res, id: ElementId) {
        let sam = r.ty == "AWS::Serverless::Function";
        let p = if sam {
            let g = self.globals.get("Function").cloned().unwrap_or(V::null(r.mark));
            merge_globals(&g, &r.props)
        } else {
            r.props.clone()
        };
        if let Some(c) = p.get("Tags").and_then(classification_of) {
            self.b.classify(id, c);
        }
        self.function_basics(id, &p);
        if sam {
            if let Some(t) = p.get("Tracing").and_then(V::str) {
                self.b.set_bool(id, "tracing", t.eq_ignore_ascii_case("active"));
            }
            if let Some(dlq) = p.get("DeadLetterQueue") {
                self.b.set_bool(id, "dead_letter", true);
                if let Some(q) = dlq.get("TargetArn").and_then(|t| self.resolve(t)) {
                    self.b.flow(id, q, "dead letters", Hop::Event);
                    self.holds_dead_letters(q);
                }
            }
            if let Some(cfg) = p.get("EventInvokeConfig") {
                self.destinations(id, cfg);
            }
            if let Some(url) = p.get("FunctionUrlConfig") {
                self.function_url(id, &r.id, url);
            }
            self.role_and_events(id, r, p.get("Role"));
        } else {
            if let Some(mode) = p.at(&["TracingConfig", "Mode"]).and_then(V::str) {
                self.b.set_bool(id, "tracing", mode.eq_ignore_ascii_case("active"));
            }
            if let Some(target) = p.at(&["DeadLetterConfig", "TargetArn"]) {
                self.b.set_bool(id, "dead_letter", true);
                if let Some(q) = self.resolve(target) {
                    self.b.flow(id, q, "dead letters", Hop::Event);
                    self.holds_dead_letters(q);
                }
            }
            match p.get("Role") {
                Some(role) => self.attach_role(id, role),
                None => self.b.warn(r.mark, format!("function `{}` has no `Role`", r.id)),
            }
        }
    }

    /// Properties common to SAM, CloudFormation and Serverless functions,
    /// from CloudFormation-style keys.
    pub fn function_basics(&mut self, id: ElementId, p: &V) {
        if let Some(rt) = p.get("Runtime").and_then(V::str) {
            self.b.set_str(id, "runtime", rt);
        } else if p.get("PackageType").and_then(V::str) == Some("Image") {
            self.b.set_str(id, "runtime", "container image");
        }
        for (key, prop, min, max) in [
            ("Timeout", "timeout", 0, 31_536_000),
            ("MemorySize", "memory", 64, 32_768),
            ("ReservedConcurrentExecutions", "reserved_concurrency", -1, 1_000_000_000),
        ] {
            if let Some(v) = p.get(key) {
                match v.int().filter(|i| (min..=max).contains(i)) {
                    Some(i) => self.b.set(id, prop, Value::Int(i)),
                    None => self.b.warn(v.mark, format!("`{key}` is not a number in range: {}", v.render())),
                }
            }
        }
        let vars = p.at(&["Environment", "Variables"]).map(V::map).unwrap_or(&[]);
        let names: Vec<String> = vars.iter().map(|(k, _)| k.clone()).collect();
        self.b.set(id, "environment", Value::List(names));
        self.b.set_bool(id, "secrets_in_env", secrets_in_env(vars));
        for (k, v) in vars {
            let mut targets: Vec<ElementId> = v.all_refs().iter().filter_map(|r| self.b.lookup(&r.id)).collect();
            if targets.is_empty() {
                if let Some(t) = v.str().and_then(|t| self.b.physical(t)) {
                    targets.push(t);
                }
            }
            for target in targets {
                self.env_refs.push((id, target, k.clone()));
            }
        }
        if let Some(k) = p.get("KmsKeyArn") {
            self.b.set_bool(id, "env_kms_key", !k.is_null());
        }
        if let Some(vpc) = p.get("VpcConfig") {
            let subnets = vpc.get("SubnetIds").map(|s| !s.items().is_empty()).unwrap_or(false);
            self.b.set_bool(id, "vpc", subnets);
        }
        if p.get("CodeSigningConfigArn").is_some_and(|v| !v.is_null()) {
            self.b.set_bool(id, "code_signing", true);
        }
        if let Some(layers) = p.get("Layers") {
            let names: Vec<String> = layers
                .items()
                .into_iter()
                .map(|l| match l.s() {
                    Some(s) => s.refs.first().map(|r| r.id.clone()).unwrap_or_else(|| s.text.clone()),
                    None => l.render(),
                })
                .collect();
            self.b.set(id, "layers", Value::List(names));
        }
    }

    pub(super) fn destinations(&mut self, id: ElementId, cfg: &V) {
        let dc = cfg.get("DestinationConfig");
        if let Some(on_failure) = dc.and_then(|d| d.get("OnFailure")) {
            self.b.set_bool(id, "dead_letter", true);
            if let Some(t) = on_failure.get("Destination").and_then(|d| self.resolve(d)) {
                self.b.flow(id, t, "on failure", Hop::Event);
                self.failure_destination(t);
            }
        }
        if let Some(t) = dc.and_then(|d| d.at(&["OnSuccess", "Destination"])).and_then(|d| self.resolve(d)) {
            self.b.flow(id, t, "on success", Hop::Event);
        }
    }

    /// A function URL: the `aws.lambda_url` element in front of the function,
    /// its only representation (the function itself records nothing).
    pub fn function_url(&mut self, id: ElementId, logical: &str, cfg: &V) {
        let auth = match cfg.get("AuthType").and_then(V::str).map(str::to_ascii_uppercase).as_deref() {
            Some("AWS_IAM") => AuthKind::Iam,
            Some("NONE") => AuthKind::None,
            _ => {
                self.b.warn(cfg.mark, "function URL without a known `AuthType`; assuming NONE");
                AuthKind::None
            }
        };
        let url = self.b.element(&format!("{logical}Url"), "aws.lambda_url");
        self.b.set_str(url, "auth", auth.as_str());
        let origins = cfg.at(&["Cors", "AllowOrigins"]).map(V::texts).unwrap_or_default();
        if !origins.is_empty() {
            self.b.set(url, "cors_origins", Value::List(origins));
        }
        self.b.flow(url, id, "invoke", Hop::Call);
    }

    /// The execution role of a SAM function or state machine — the given
    /// role, or the one SAM generates from `Policies` — and its `Events`.
    pub(super) fn role_and_events(&mut self, id: ElementId, r: &Res, role: Option<&V>) {
        let p = &r.props;
        match role {
            Some(role) => self.attach_role(id, role),
            None => {
                self.b.set_str(id, "role", &format!("{}Role", r.id));
                if let Some(pol) = p.get("Policies") {
                    iam::policies(&mut self.b, id, pol);
                }
            }
        }
        for (name, ev) in p.get("Events").map(V::map).unwrap_or(&[]) {
            self.sam_event(id, name, ev);
        }
    }

    /// A function's role given by `Role:`: the role resource's statements
    /// apply, or, for a role from elsewhere, only its name is known.
    pub fn attach_role(&mut self, id: ElementId, role: &V) {
        match role.s() {
            Some(s) if !s.refs.is_empty() => {
                let rid = s.refs[0].id.clone();
                self.b.set_str(id, "role", &rid);
                self.roles.entry(rid).or_default().push(id);
            }
            Some(s) => {
                let name = s.text.rsplit('/').next().unwrap_or(&s.text).to_string();
                self.b.set_str(id, "role", &name);
                self.b.warn(
                    role.mark,
                    format!("role `{name}` is defined outside the template; its permissions are not modelled"),
                );
            }
            None => self.b.warn(role.mark, "`Role` is not a string or reference"),
        }
    }

    /// A Step Functions state machine: tracing, logging, the tasks it calls.
    pub(super) fn state_machine(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        let tracing = ev_bool(p.at(&["Tracing", "Enabled"])).or(ev_bool(p.at(&["TracingConfiguration", "Enabled"])));
        if let Some(t) = tracing {
            self.b.set_bool(id, "tracing", t);
        }
        if let Some(level) = p.at(&["Logging", "Level"]).or(p.at(&["LoggingConfiguration", "Level"])).and_then(V::str) {
            self.b.set_bool(id, "logging", !level.eq_ignore_ascii_case("OFF"));
        }
        let mut refs = Vec::new();
        for key in ["Definition", "DefinitionString", "DefinitionSubstitutions"] {
            if let Some(d) = p.get(key) {
                refs.extend(d.all_refs());
            }
        }
        for rf in refs {
            if let Some(t) = self.b.lookup(&rf.id) {
                if t != id && self.b.get(t).kind != ElementKind::External {
                    let label = if self.b.category(t) == category::FUNCTION { "invoke" } else { "task" };
                    self.b.flow(id, t, label, Hop::Call);
                }
            }
        }
        self.role_and_events(id, r, p.get("Role").or_else(|| p.get("RoleArn")));
    }

    /// Who may invoke a function; an API Gateway permission is a route.
    pub(super) fn permission(&mut self, r: &Res) {
        let p = &r.props;
        let Some(f) = p.get("FunctionName").and_then(|f| self.resolve(f)) else { return };
        let principal = p.get("Principal").and_then(V::str).unwrap_or("");
        let scoped =
            p.get("SourceArn").is_some() || p.get("SourceAccount").is_some() || p.get("PrincipalOrgID").is_some();
        if principal == "*" && !scoped {
            self.b.set_bool(f, "public_invoke", true);
        }
        if principal == "apigateway.amazonaws.com" {
            if let Some(api) = p.get("SourceArn").and_then(|s| self.resolve(s)).and_then(|a| self.api_index(a)) {
                if !self.apis[api].routes.iter().any(|r| r.target == f) {
                    self.route(api, Route::new(f, "invoke".into(), Auth::Default, r.mark));
                }
            }
        }
    }

    /// A queue or stream polled by a function.
    pub(super) fn event_source_mapping(&mut self, r: &Res) {
        let p = &r.props;
        let (Some(src), Some(f)) = (
            p.get("EventSourceArn").and_then(|s| self.resolve(s)),
            p.get("FunctionName").and_then(|f| self.resolve(f)),
        ) else {
            self.b.warn(r.mark, format!("event source mapping `{}` links resources outside the template", r.id));
            return;
        };
        let src = if self.b.category(src) == category::TABLE {
            let tname = self.b.get(src).name.clone();
            let s = self.b.element(&format!("{tname}Stream"), "aws.dynamodb_stream");
            self.b.flow(src, s, "item changes", Hop::Event);
            s
        } else {
            src
        };
        if self.b.category(src) == category::STREAM {
            self.stream_settings(src, p);
        }
        self.b.flow(src, f, "records", Hop::Event);
    }

    /// A function URL defined as its own resource.
    pub(super) fn lambda_url(&mut self, r: &Res) {
        let p = &r.props;
        if let Some(f) = p.get("TargetFunctionArn").and_then(|f| self.resolve(f)) {
            let fname = self.b.get(f).name.clone();
            self.function_url(f, &fname, p);
        }
    }

    /// Destinations of asynchronous invocations.
    pub(super) fn event_invoke_config(&mut self, r: &Res) {
        let p = &r.props;
        if let Some(f) = p.get("FunctionName").and_then(|f| self.resolve(f)) {
            self.destinations(f, p);
        }
    }

    /// A log group, matched to its function when the import finishes.
    pub(super) fn log_group(&mut self, r: &Res) {
        let p = &r.props;
        let name = p.get("LogGroupName").and_then(V::str).unwrap_or("").to_string();
        let days = p.get("RetentionInDays").and_then(V::int).unwrap_or(-1);
        self.log_groups.push((name, days, r.mark));
    }

    /// Environment values that name a modelled resource become flows: a
    /// read-only store flows to the function, anything else is called.
    pub(super) fn environment_flows(&mut self) {
        for (f, target, var) in std::mem::take(&mut self.env_refs) {
            if self.b.has_flow(f, target) || self.b.has_flow(target, f) {
                continue;
            }
            let cat = self.b.category(target);
            let actions: Vec<String> = self
                .b
                .model
                .grants
                .iter()
                .filter(|g| g.principal == f && g.target == GrantTarget::Element(target))
                .flat_map(|g| g.actions.clone())
                .collect();
            let kind = self.b.get(target).kind;
            if kind == ElementKind::Store && iam::read_only(&actions) {
                self.b.flow(target, f, &var, Hop::Call);
            } else if kind != ElementKind::External || cat == category::IDENTITY_PROVIDER {
                self.b.flow(f, target, &var, Hop::Call);
            }
        }
    }

    /// Log retention of `/aws/lambda/NAME` groups onto their functions; a
    /// function log group whose function is not modelled is a warning.
    pub(super) fn match_log_groups(&mut self) {
        for (name, days, mark) in std::mem::take(&mut self.log_groups) {
            let Some(fname) = name.strip_prefix("/aws/lambda/") else { continue };
            match self.b.lookup(fname).or_else(|| iam::by_physical_name(&self.b, fname)) {
                Some(f) if days > 0 => self.b.set(f, "log_retention_days", Value::Int(days)),
                Some(_) => {}
                None => self.b.warn(
                    mark,
                    format!("log group `{name}` belongs to no function of this template; its retention is not applied"),
                ),
            }
        }
    }
}

/// Lambda, Step Functions and the other compute resources.
pub(super) const HANDLERS: &[(&[&str], Handler)] = &[
    (
        &["AWS::Serverless::Function", "AWS::Lambda::Function"],
        Handler::Element("aws.lambda", Pass::Functions, Ctx::function),
    ),
    (
        &["AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"],
        Handler::Element("aws.stepfunctions", Pass::Main, Ctx::state_machine),
    ),
    (&["AWS::ECS::Service"], Handler::Element("aws.ecs_fargate", Pass::Main, Ctx::no_settings)),
    (&["AWS::CodePipeline::Pipeline"], Handler::Element("aws.codepipeline", Pass::Main, Ctx::no_settings)),
    (&["AWS::Lambda::Permission"], Handler::Configures(Pass::Main, Ctx::permission)),
    (&["AWS::Lambda::EventSourceMapping"], Handler::Configures(Pass::Main, Ctx::event_source_mapping)),
    (&["AWS::Lambda::Url"], Handler::Configures(Pass::Main, Ctx::lambda_url)),
    (&["AWS::Lambda::EventInvokeConfig"], Handler::Configures(Pass::Main, Ctx::event_invoke_config)),
    (&["AWS::Logs::LogGroup"], Handler::Configures(Pass::Main, Ctx::log_group)),
    (
        &[
            "AWS::Lambda::LayerVersion",
            "AWS::Lambda::LayerVersionPermission",
            "AWS::Lambda::Version",
            "AWS::Lambda::Alias",
            "AWS::Lambda::CodeSigningConfig",
            "AWS::Serverless::LayerVersion",
            "AWS::Serverless::Application",
        ],
        Handler::Configures(Pass::Main, Ctx::skip),
    ),
];

/// Whether a function's environment holds a plain-text secret, decided by
/// the one detector, `graph::secret_like_env`, on the values the template
/// states. A value computed from a resource reference, or an unresolved
/// variable (`${…}`), is not a value the template states.
fn secrets_in_env(vars: &[(String, V)]) -> bool {
    let mut entries = Vec::new();
    for (name, v) in vars {
        let Some(s) = v.s() else { continue };
        let text = s.text.trim();
        // A dynamic reference is stated by the template even when `!Sub` fills in its name.
        if s.refs.is_empty() && !text.starts_with("${") || text.contains("{{resolve:") {
            entries.push(format!("{name}={text}"));
        }
    }
    !secret_like_env(&entries).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, V)> {
        pairs.iter().map(|(k, v)| (k.to_string(), V::text(*v, Mark::default()))).collect()
    }

    #[test]
    fn dynamic_references_to_secrets_land_in_plain_text_but_parameters_do_not() {
        assert!(secrets_in_env(&env(&[("CONFIG", "{{resolve:secretsmanager:db:SecretString:password}}")])));
        assert!(secrets_in_env(&env(&[("CONFIG", "{{resolve:ssm-secure:/prod/db}}")])));
        assert!(!secrets_in_env(&env(&[("DB_PASSWORD", "{{resolve:ssm:/prod/db-password}}")])));
    }

    #[test]
    fn literal_secrets_are_told_by_name_or_format_and_references_are_not_secrets() {
        assert!(secrets_in_env(&env(&[("DB_PASSWORD", "hunter2")])));
        assert!(secrets_in_env(&env(&[("STRIPE", "sk_live_51Hx0000")])));
        assert!(!secrets_in_env(&env(&[("DB_PASSWORD", "/prod/db/password")])));
        assert!(!secrets_in_env(&env(&[("DB_PASSWORD", "arn:aws:kms:eu-west-1:1:key/x")])));
        assert!(!secrets_in_env(&env(&[("DB_PASSWORD", "${env:DB_PASSWORD}")])));
        assert!(!secrets_in_env(&env(&[("TABLE_NAME", "orders")])));
    }
}
