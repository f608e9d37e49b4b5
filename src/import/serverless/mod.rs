//! Serverless Framework importer (`serverless.yml`).
//!
//! Resolves `${self:…}`, `${opt:…, default}`, `${sls:stage}` and similar
//! variables where the file itself says the answer (self references and
//! defaults; never the environment or the network), keeps the rest verbatim
//! with a warning, then maps `provider`, `functions` with their `events`, and
//! the CloudFormation `resources` (through the SAM importer's resource
//! handling) into a model. Must not: read anything but the text it is given.

use crate::diag::{Diagnostic, Diagnostics};
use crate::import::aws::api::auth_kind;
use crate::import::aws::ctx::{Auth, Ctx, Route};
use crate::import::aws::evaluate_resources;
use crate::import::aws::policy as iam;
use crate::import::aws::value::{Env, RefTo, S, V, VK};
use crate::import::builder::{Builder, Hop, AWS};
use crate::import::{load_document, model_name, Imported};
use crate::model::auth::AuthKind;
use crate::model::{ElementId, Value};
use crate::yaml::{Mark, Node, NodeValue};

const MAX_DEPTH: usize = 16;

/// Variable resolution over the raw document.
struct Vars<'a> {
    root: &'a Node,
    stage: String,
    region: String,
    warnings: Vec<(Mark, String)>,
}

/// Splits `a, b` at top-level commas (not inside `${…}`, `(...)` or quotes).
fn split_top(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut cur = String::new();
    for c in text.chars() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '{' | '(') => depth += 1,
            (None, '}' | ')') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(std::mem::take(&mut cur).trim().to_string());
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur.trim().to_string());
    parts
}

/// The end (index of the closing brace) of the `${` starting at `start`.
fn closing(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0;
    let mut i = start;
    while i < bytes.len() {
        if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'{') {
            depth += 1;
            i += 2;
            continue;
        }
        if bytes[i] == b'}' {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

/// Whether `${…}` is a Serverless variable (CloudFormation `Fn::Sub`
/// placeholders such as `${AWS::Region}` or `${MyBucket}` are left alone).
fn is_variable(inner: &str) -> bool {
    let head = inner.split(',').next().unwrap_or("").trim();
    !head.starts_with("AWS::") && (head.contains(':') || head.starts_with("file(") || head.starts_with("self"))
}

impl<'a> Vars<'a> {
    fn lookup_self(&self, path: &str) -> Option<&'a Node> {
        let mut n = self.root;
        for key in path.split('.').filter(|k| !k.is_empty()) {
            n = match &n.value {
                NodeValue::Seq(items) => items.get(key.parse::<usize>().ok()?)?,
                _ => n.get(key)?,
            };
        }
        Some(n)
    }

    /// Resolves one variable body (`self:custom.x, 'default'`).
    fn variable(&mut self, inner: &str, mark: Mark, depth: usize) -> Option<Node> {
        let parts = split_top(inner);
        let primary = parts[0].as_str();
        let found: Option<Node> = if let Some(path) = primary.strip_prefix("self:") {
            self.lookup_self(path).cloned().map(|n| self.node(&n, depth + 1))
        } else {
            let text = match primary {
                "sls:stage" => Some(self.stage.clone()),
                "aws:region" => Some(self.region.clone()),
                _ => None,
            };
            text.map(|t| scalar(&t, mark))
        };
        if let Some(n) = found.filter(|n| !n.is_null()) {
            return Some(n);
        }
        for fallback in &parts[1..] {
            let f = fallback.trim();
            if f.starts_with("${") {
                let resolved = self.text(f, mark, depth + 1);
                if !resolved.contains("${") {
                    return Some(scalar(&resolved, mark));
                }
            } else if ["self:", "opt:", "env:", "sls:", "aws:", "ssm:", "cf:", "s3:", "file("]
                .iter()
                .any(|p| f.starts_with(p))
            {
                if let Some(n) = self.variable(f, mark, depth + 1) {
                    return Some(n);
                }
            } else if !f.is_empty() {
                return Some(scalar(f.trim_matches('\'').trim_matches('"'), mark));
            }
        }
        match primary {
            "opt:stage" => Some(scalar(&self.stage, mark)),
            "opt:region" => Some(scalar(&self.region, mark)),
            _ => None,
        }
    }

    /// Resolves every variable of a string, keeping unresolvable ones.
    fn text(&mut self, text: &str, mark: Mark, depth: usize) -> String {
        if depth > MAX_DEPTH {
            self.warnings.push((mark, "variables nest too deeply; kept verbatim".into()));
            return text.to_string();
        }
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let Some(end) = closing(rest, start) else {
                out.push_str(&rest[start..]);
                return out;
            };
            let inner = &rest[start + 2..end];
            if is_variable(inner) {
                match self.variable(inner, mark, depth) {
                    Some(n) => {
                        out.push_str(&n.as_scalar().map(str::to_string).unwrap_or_else(|| format!("${{{inner}}}")))
                    }
                    None => {
                        self.warnings
                            .push((mark, format!("cannot resolve `${{{inner}}}` from the file; kept verbatim")));
                        out.push_str(&rest[start..=end]);
                    }
                }
            } else {
                out.push_str(&rest[start..=end]);
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }

    fn node(&mut self, n: &Node, depth: usize) -> Node {
        if depth > MAX_DEPTH * 8 {
            return n.clone();
        }
        let value = match &n.value {
            NodeValue::Scalar { text, plain } if text.contains("${") => {
                let t = text.trim();
                // A value that is exactly one variable may resolve to a whole subtree.
                if t.starts_with("${")
                    && closing(t, 0) == Some(t.len() - 1)
                    && is_variable(&t[2..t.len() - 1])
                    && depth <= MAX_DEPTH * 8
                {
                    if let Some(resolved) = self.variable(&t[2..t.len() - 1], n.mark, depth) {
                        if !matches!(resolved.value, NodeValue::Scalar { .. }) {
                            return Node { mark: n.mark, tag: n.tag.clone().or(resolved.tag.clone()), ..resolved };
                        }
                    }
                }
                NodeValue::Scalar { text: self.text(text, n.mark, depth), plain: *plain }
            }
            NodeValue::Scalar { .. } => n.value.clone(),
            NodeValue::Seq(items) => NodeValue::Seq(items.iter().map(|i| self.node(i, depth + 1)).collect()),
            NodeValue::Map(entries) => {
                NodeValue::Map(entries.iter().map(|(k, v)| (k.clone(), self.node(v, depth + 1))).collect())
            }
        };
        Node { value, mark: n.mark, tag: n.tag.clone() }
    }
}

fn scalar(text: &str, mark: Mark) -> Node {
    Node { value: NodeValue::Scalar { text: text.to_string(), plain: false }, mark, tag: None }
}

fn vmap(entries: Vec<(&str, V)>, mark: Mark) -> V {
    V { kind: VK::Map(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect()), mark }
}

/// CloudFormation logical id of a Serverless function.
fn logical_id(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        match c {
            '-' => out.push_str("Dash"),
            '_' => out.push_str("Underscore"),
            c if i == 0 => out.extend(c.to_uppercase()),
            c => out.push(c),
        }
    }
    format!("{out}LambdaFunction")
}

/// Imports a Serverless Framework configuration.
pub fn import(text: &str, file: &str) -> Result<Imported, Diagnostics> {
    let raw = load_document(text, file)?;
    let err = |n: &Node, msg: String| Diagnostics::one(Diagnostic::new(file, n.mark.line, n.mark.col, msg));
    if !matches!(raw.value, NodeValue::Map(_)) {
        return Err(err(&raw, format!("expected a Serverless Framework configuration (a mapping with `service`, `provider` and `functions`), found {}", raw.describe())));
    }
    if raw.get("functions").is_none() && raw.get("provider").is_none() {
        return Err(err(&raw, "not a serverless.yml: no `provider` or `functions` section".into()));
    }
    let provider_raw = raw.get("provider");
    let get_text = |key: &str, default: &str| {
        provider_raw
            .and_then(|p| p.get(key))
            .and_then(Node::as_scalar)
            .filter(|s| !s.contains("${"))
            .unwrap_or(default)
            .to_string()
    };
    let mut vars = Vars {
        root: &raw,
        stage: get_text("stage", "dev"),
        region: get_text("region", "us-east-1"),
        warnings: Vec::new(),
    };
    let root = vars.node(&raw, 0);
    let var_warnings = std::mem::take(&mut vars.warnings);

    let name = root
        .get("service")
        .and_then(|s| {
            s.as_scalar().map(str::to_string).or_else(|| s.get("name").and_then(Node::as_scalar).map(str::to_string))
        })
        .unwrap_or_else(|| model_name(file));
    let mut b = Builder::new(AWS, &name, "Imported from a Serverless Framework configuration", file);
    for (m, w) in var_warnings {
        b.warn(m, w);
    }
    if let Some(p) = provider_raw.and_then(|p| p.get("name")).and_then(Node::as_scalar) {
        if p != "aws" {
            b.warn(
                provider_raw.map(|p| p.mark).unwrap_or_default(),
                format!("provider `{p}` is not supported; the functions are modelled as AWS Lambda"),
            );
        }
    }

    let functions: Vec<(String, Node)> = match root.get("functions") {
        None => Vec::new(),
        Some(f) => match f.as_map() {
            Some(entries) => {
                entries.iter().filter_map(|(k, v)| Some((k.as_scalar()?.to_string(), v.clone()))).collect()
            }
            None if f.is_null() => Vec::new(),
            None => {
                return Err(err(
                    f,
                    format!("`functions` must be a mapping of function names to functions, found {}", f.describe()),
                ))
            }
        },
    };

    // CloudFormation part and the evaluation context for intrinsics anywhere.
    let empty = Node { value: NodeValue::Map(Vec::new()), mark: root.mark, tag: None };
    let cfn = root.get("resources").filter(|r| r.as_map().is_some()).unwrap_or(&empty);
    let (res, mut env) = match cfn.get("Resources") {
        Some(r) => evaluate_resources(cfn, r, file)?,
        None => (Vec::new(), Env::new(cfn, Vec::new())),
    };
    for (fname, _) in &functions {
        env.resources.insert(logical_id(fname));
    }
    for implied in ["ApiGatewayRestApi", "HttpApi", "IamRoleLambdaExecution", "ServerlessDeploymentBucket"] {
        env.resources.insert(implied.to_string());
    }
    let provider = root.get("provider").map(|p| env.eval(p)).unwrap_or(V::null(root.mark));
    let fvals: Vec<(String, V)> = functions.iter().map(|(n, f)| (n.clone(), env.eval(f))).collect();
    for (m, w) in std::mem::take(&mut env.warnings) {
        b.warn(m, w);
    }

    let mut ids = Vec::new();
    for (fname, _) in &fvals {
        let id = b.element(fname, "aws.lambda");
        b.alias(&logical_id(fname), id);
        ids.push(id);
    }
    let mut ctx = Ctx::new(b, V::null(root.mark));
    // Roles first, so IAM resources of `resources` apply to their functions.
    let provider_role = provider.at(&["iam", "role"]).filter(|r| r.s().is_some()).or_else(|| provider.get("role"));
    for ((_, f), id) in fvals.iter().zip(&ids) {
        match f.get("role").or(provider_role) {
            Some(role) => ctx.attach_role(*id, role),
            None => ctx.b.set_str(*id, "role", "IamRoleLambdaExecution"),
        }
    }
    ctx.resources(&res);

    let statements = provider.get("iamRoleStatements").or_else(|| provider.at(&["iam", "role", "statements"]));
    let managed = provider.get("iamManagedPolicies").or_else(|| provider.at(&["iam", "role", "managedPolicies"]));
    for ((_, f), id) in fvals.iter().zip(&ids) {
        function(&mut ctx, *id, f, &provider);
        for (i, ev) in f.get("events").map(V::items).unwrap_or_default().into_iter().enumerate() {
            event(&mut ctx, *id, i, ev, &provider);
        }
    }
    for ((_, f), id) in fvals.iter().zip(&ids) {
        let id = *id;
        if f.get("role").or(provider_role).is_none() {
            if let Some(st) = statements {
                iam::document(&mut ctx.b, id, &vmap(vec![("Statement", st.clone())], st.mark));
            }
            for m in managed.map(V::items).unwrap_or_default() {
                if let Some(t) = m.str() {
                    iam::managed(&mut ctx.b, id, t, m);
                }
            }
        }
    }
    Ok(ctx.finish())
}

fn pick<'a>(f: &'a V, provider: &'a V, key: &str) -> Option<&'a V> {
    f.get(key).or_else(|| provider.get(key))
}

/// Function settings: the function's own, else the provider's.
fn function(ctx: &mut Ctx, id: ElementId, f: &V, provider: &V) {
    let mark = f.mark;
    let mut cfn: Vec<(&str, V)> = Vec::new();
    for (sls, key) in [
        ("runtime", "Runtime"),
        ("timeout", "Timeout"),
        ("memorySize", "MemorySize"),
        ("kmsKeyArn", "KmsKeyArn"),
        ("layers", "Layers"),
    ] {
        if let Some(v) = pick(f, provider, sls) {
            cfn.push((key, v.clone()));
        }
    }
    if let Some(v) = f.get("reservedConcurrency") {
        cfn.push(("ReservedConcurrentExecutions", v.clone()));
    }
    let mut vars: Vec<(String, V)> = provider.get("environment").map(|e| e.map().to_vec()).unwrap_or_default();
    for (k, v) in f.get("environment").map(V::map).unwrap_or(&[]) {
        vars.retain(|(pk, _)| pk != k);
        vars.push((k.clone(), v.clone()));
    }
    cfn.push(("Environment", vmap(vec![("Variables", V { kind: VK::Map(vars), mark })], mark)));
    if let Some(vpc) = pick(f, provider, "vpc") {
        cfn.push((
            "VpcConfig",
            vmap(vec![("SubnetIds", vpc.get("subnetIds").cloned().unwrap_or(V::null(mark)))], mark),
        ));
    }
    ctx.function_basics(id, &vmap(cfn, mark));
    let tracing = f.get("tracing").or_else(|| provider.at(&["tracing", "lambda"]));
    if let Some(t) = tracing {
        let on = t.bool().unwrap_or_else(|| t.str().is_some_and(|s| s.eq_ignore_ascii_case("active")));
        ctx.b.set_bool(id, "tracing", on);
    }
    if let Some(days) = pick(f, provider, "logRetentionInDays").and_then(V::int) {
        ctx.b.set(id, "log_retention_days", Value::Int(days.clamp(-1, 1_000_000_000)));
    }
    if let Some(dlq) = f.get("onError") {
        ctx.b.set_bool(id, "dead_letter", true);
        if let Some(t) = ctx.resolve(dlq) {
            ctx.b.flow(id, t, "on error", Hop::Event);
        }
    }
    if let Some(d) = f.at(&["destinations", "onFailure"]) {
        ctx.b.set_bool(id, "dead_letter", true);
        let target = d.get("arn").unwrap_or(d);
        if let Some(t) = ctx.resolve(target) {
            ctx.b.flow(id, t, "on failure", Hop::Event);
        }
    }
    if let Some(url) = f.get("url") {
        let auth = if url.get("authorizer").and_then(V::str) == Some("aws_iam") { "AWS_IAM" } else { "NONE" };
        if url.bool() != Some(false) {
            let mut cfg = vec![("AuthType", V::text(auth, url.mark))];
            if let Some(c) = url.get("cors") {
                let origins = if c.bool() == Some(true) {
                    V::text("*", c.mark)
                } else {
                    c.get("allowedOrigins").cloned().unwrap_or(V::null(c.mark))
                };
                cfg.push(("Cors", vmap(vec![("AllowOrigins", origins)], c.mark)));
            }
            let name = ctx.b.get(id).name.clone();
            ctx.function_url(id, &name, &vmap(cfg, url.mark));
        }
    }
}

fn api_settings(ctx: &mut Ctx, api: usize, provider: &V, http: bool) {
    let id = ctx.api_id(api);
    let logs = provider.at(&["logs", if http { "httpApi" } else { "restApi" }]);
    if logs.is_some_and(|l| l.bool() != Some(false)) {
        ctx.b.set_bool(id, "access_logs", true);
    }
    if !http && provider.at(&["apiGateway", "usagePlan"]).is_some_and(|u| u.render().contains("throttle")) {
        ctx.b.set_bool(id, "throttling", true);
    }
    if http {
        if let Some(c) = provider.at(&["httpApi", "cors"]) {
            let origins = if c.bool() == Some(true) {
                vec!["*".to_string()]
            } else {
                c.get("allowedOrigins").map(V::texts).unwrap_or_default()
            };
            if !origins.is_empty() {
                ctx.b.set(id, "cors_origins", Value::List(origins));
            }
        }
        for (name, a) in provider.at(&["httpApi", "authorizers"]).map(V::map).unwrap_or(&[]) {
            let kind = match a.get("type").and_then(V::str).and_then(auth_kind) {
                Some(kind) => kind,
                None if a.get("functionName").is_some() => AuthKind::Custom,
                None => AuthKind::Jwt,
            };
            ctx.define_authorizer(api, name, kind);
            if let Some(pool) = a.get("issuerUrl").and_then(|u| ctx.resolve(u)) {
                ctx.add_pool(api, pool);
            }
        }
    }
}

/// An `http` (REST API) or `httpApi` (HTTP API) event: a route of the
/// service's API, with its authorizer, CORS and validation.
fn http_event(ctx: &mut Ctx, fid: ElementId, http: bool, body: &V, provider: &V) {
    let api = ctx.api_for(None, http, if http { "HttpApi" } else { "ApiGatewayRestApi" });
    api_settings(ctx, api, provider, http);
    let (method, path) = match body.str() {
        Some(t) => {
            let mut it = t.splitn(2, ' ');
            let m = it.next().unwrap_or("ANY").to_string();
            (m, it.next().unwrap_or("").to_string())
        }
        None => (
            body.get("method").and_then(V::str).unwrap_or("ANY").to_string(),
            body.get("path").and_then(V::str).unwrap_or("").to_string(),
        ),
    };
    let label = if method == "*" {
        "ANY *".to_string()
    } else {
        format!("{} /{}", method.to_ascii_uppercase(), path.trim_start_matches('/'))
    };
    let auth = match body.get("authorizer") {
        None => Auth::Kind(AuthKind::None),
        Some(a) => http_authorizer(ctx, api, http, a),
    };
    if let Some(c) = body.get("cors") {
        let origins = if c.bool() == Some(true) {
            vec!["*".to_string()]
        } else {
            let mut o = c.get("origins").map(V::texts).unwrap_or_default();
            o.extend(c.get("origin").map(V::texts).unwrap_or_default());
            o
        };
        if !origins.is_empty() {
            let id = ctx.api_id(api);
            ctx.b.set(id, "cors_origins", Value::List(origins));
        }
    }
    let route = Route {
        api_key: body.get("private").and_then(V::bool),
        validated: body.at(&["request", "schemas"]).is_some() || body.at(&["request", "schema"]).is_some(),
        ..Route::new(fid, label, auth, body.mark)
    };
    ctx.route(api, route);
}

/// The authorizer of an `http` or `httpApi` event: a kind the framework
/// names, a Cognito pool by ARN, an HTTP API authorizer by name, or a
/// function of the service (a custom authorizer the API calls).
fn http_authorizer(ctx: &mut Ctx, api: usize, http: bool, a: &V) -> Auth {
    let text = a
        .str()
        .map(str::to_string)
        .or_else(|| a.get("arn").and_then(V::str).map(str::to_string))
        .or_else(|| a.get("name").and_then(V::str).map(str::to_string))
        .unwrap_or_default();
    if let Some(kind) = a.get("type").and_then(V::str).and_then(auth_kind) {
        return Auth::Kind(kind);
    }
    if text == "aws_iam" {
        return Auth::Kind(AuthKind::Iam);
    }
    if text.contains("cognito-idp") || a.get("arn").is_some_and(|x| x.s().is_some_and(|s| !s.refs.is_empty())) {
        return Auth::Kind(AuthKind::Cognito);
    }
    if http {
        return Auth::Named(text);
    }
    if let Some(f) = ctx.b.lookup(&text) {
        let api_id = ctx.api_id(api);
        ctx.b.flow(api_id, f, "authorize", Hop::Call);
    }
    Auth::Kind(AuthKind::Custom)
}

/// One entry of a function's `events`.
fn event(ctx: &mut Ctx, fid: ElementId, index: usize, ev: &V, provider: &V) {
    let Some((kind, body)) = ev.map().first() else {
        ctx.b.warn(ev.mark, "an event must be a mapping such as `- http: GET /path`");
        return;
    };
    let mark = body.mark;
    let name = format!("{}{index}", kind);
    let sam = |ty: &str, props: Vec<(&str, V)>| sam_event(ty, props, mark);
    match kind.as_str() {
        "http" | "httpApi" => http_event(ctx, fid, kind == "httpApi", body, provider),
        "sqs" => {
            let arn = body.get("arn").unwrap_or(body).clone();
            ctx.sam_event(fid, &name, &sam("SQS", vec![("Queue", arn)]));
        }
        "sns" => {
            let arn = body.get("arn").cloned();
            let topic_name =
                body.str().map(str::to_string).or_else(|| body.get("topicName").and_then(V::str).map(str::to_string));
            match (arn, topic_name) {
                (Some(a), _) => ctx.sam_event(fid, &name, &sam("SNS", vec![("Topic", a)])),
                (None, Some(t)) if t.starts_with("arn:") => {
                    ctx.sam_event(fid, &name, &sam("SNS", vec![("Topic", V::text(t, mark))]))
                }
                (None, Some(t)) => {
                    let topic = ctx.b.lookup(&t).unwrap_or_else(|| ctx.b.element(&t, "aws.sns"));
                    ctx.b.add_physical(&t, topic);
                    ctx.b.flow(topic, fid, "notify", Hop::Event);
                }
                _ => ctx.b.warn(mark, "sns event without a topic"),
            }
        }
        "s3" => s3_event(ctx, fid, body),
        "schedule" => {
            let rate = body.get("rate").unwrap_or(body);
            let expr = rate.texts().join(", ");
            ctx.sam_event(fid, &format!("Schedule{index}"), &sam("Schedule", vec![("Schedule", V::text(expr, mark))]));
        }
        "stream" => stream_event(ctx, fid, index, body),
        "eventBridge" => event_bridge_event(ctx, fid, index, body),
        "cognitoUserPool" => {
            let pool = body.get("pool").and_then(V::str).unwrap_or("UserPool").to_string();
            let p = ctx.b.lookup(&pool).unwrap_or_else(|| ctx.b.element(&pool, "aws.cognito"));
            let trigger = body.get("trigger").and_then(V::str).unwrap_or("");
            ctx.b.flow(p, fid, format!("trigger {trigger}").trim(), Hop::Call);
        }
        other => ctx.b.warn(ev.mark, format!("event type `{other}` is not supported; no trigger modelled")),
    }
}

/// A SAM event of this type and properties, for the SAM event handling.
fn sam_event(ty: &str, props: Vec<(&str, V)>, mark: Mark) -> V {
    vmap(vec![("Type", V::text(ty, mark)), ("Properties", vmap(props, mark))], mark)
}

/// An `s3` event: the bucket (created by the framework unless `existing`) and its notification.
fn s3_event(ctx: &mut Ctx, fid: ElementId, body: &V) {
    let bucket_v = body.get("bucket").unwrap_or(body);
    let existing = body.get("existing").and_then(V::bool) == Some(true);
    let bucket = match ctx.resolve(bucket_v) {
        Some(b) => b,
        None => {
            let bname = bucket_v.str().unwrap_or("bucket").to_string();
            let id = ctx.b.element(&bname, "aws.s3");
            ctx.b.add_physical(&bname, id);
            if existing {
                ctx.b.describe(id, "Existing bucket, defined outside this configuration");
            } else {
                ctx.b.set_bool(id, "encrypted_at_rest", true);
                ctx.b.describe(id, "Bucket created by the Serverless Framework for this event");
            }
            id
        }
    };
    let event = body.get("event").and_then(V::str).unwrap_or("s3:ObjectCreated:*").to_string();
    let rules: Vec<String> = body
        .get("rules")
        .map(V::items)
        .unwrap_or_default()
        .iter()
        .flat_map(|r| r.map().iter().filter_map(|(k, v)| Some(format!("{k}={}", v.str()?))).collect::<Vec<_>>())
        .collect();
    ctx.storage_event(bucket, fid, &event, Some(rules.join(", ")));
}

/// A `stream` event: a DynamoDB or Kinesis stream and its consumer settings.
fn stream_event(ctx: &mut Ctx, fid: ElementId, index: usize, body: &V) {
    let mark = body.mark;
    let name = format!("stream{index}");
    let arn = body.get("arn").unwrap_or(body).clone();
    let ty = body.get("type").and_then(V::str).map(str::to_string);
    let dynamo = ty.as_deref() == Some("dynamodb")
        || arn.str().is_some_and(|a| a.contains(":dynamodb:") || a.ends_with(".StreamArn"))
        || arn.s().is_some_and(|s| s.refs.iter().any(|r| r.attr.as_deref() == Some("StreamArn")));
    let mut props = vec![("Stream", arn)];
    if let Some(v) = body.get("bisectBatchOnFunctionError") {
        props.push(("BisectBatchOnFunctionError", v.clone()));
    }
    if let Some(v) = body.get("maximumRetryAttempts") {
        props.push(("MaximumRetryAttempts", v.clone()));
    }
    if let Some(v) = body.at(&["destinations", "onFailure"]) {
        props.push(("DestinationConfig", vmap(vec![("OnFailure", v.clone())], mark)));
    }
    ctx.sam_event(fid, &name, &sam_event(if dynamo { "DynamoDB" } else { "Kinesis" }, props, mark));
}

/// An `eventBridge` event: a schedule, or a rule on a bus (created when named).
fn event_bridge_event(ctx: &mut Ctx, fid: ElementId, index: usize, body: &V) {
    let mark = body.mark;
    if let Some(s) = body.get("schedule") {
        ctx.sam_event(fid, &format!("Schedule{index}"), &sam_event("Schedule", vec![("Schedule", s.clone())], mark));
        return;
    }
    let bus = match body.get("eventBus") {
        Some(b) if ctx.resolve(b).is_none() && b.str().is_some_and(|t| !t.starts_with("arn:") && t != "default") => {
            let t = b.str().unwrap_or("bus").to_string();
            let bus = ctx.b.element(&t, "aws.eventbridge");
            ctx.b.add_physical(&t, bus);
            V {
                kind: VK::Str(S { text: t.clone(), refs: vec![RefTo { id: t, attr: None }], literal: false }),
                mark: b.mark,
            }
        }
        Some(b) => b.clone(),
        None => V::text("default", mark),
    };
    let mut props = vec![("EventBusName", bus)];
    if let Some(p) = body.get("pattern") {
        props.push(("Pattern", p.clone()));
    }
    ctx.sam_event(fid, &format!("Rule{index}"), &sam_event("EventBridgeRule", props, mark));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_resolve_self_and_defaults() {
        let text = "service: shop\nprovider:\n  name: aws\n  stage: ${opt:stage, 'prod'}\ncustom:\n  table: ${self:service}-orders-${self:provider.stage}\n  other: ${env:HOME}\nfunctions: {}\n";
        let root = crate::yaml::load(text, crate::yaml::Limits::default()).unwrap();
        let mut vars = Vars { root: &root, stage: "dev".into(), region: "us-east-1".into(), warnings: Vec::new() };
        let out = vars.node(&root, 0);
        assert_eq!(out.get("custom").unwrap().get("table").unwrap().as_scalar(), Some("shop-orders-prod"));
        assert_eq!(out.get("custom").unwrap().get("other").unwrap().as_scalar(), Some("${env:HOME}"));
        assert_eq!(vars.warnings.len(), 1);
    }

    #[test]
    fn logical_ids_follow_the_framework() {
        assert_eq!(logical_id("create-order"), "CreateDashorderLambdaFunction");
        assert_eq!(logical_id("hello_world"), "HelloUnderscoreworldLambdaFunction");
    }
}
