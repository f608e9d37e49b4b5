//! CloudFormation and SAM resources into elements, properties, flows and
//! grants: functions with their events, APIs with their authorizers, stores,
//! queues and topics with their policies, IAM roles and policies.
//!
//! Shared by the SAM importer and the Serverless Framework importer (whose
//! `resources` section is CloudFormation). Must not: fail on a resource it
//! does not understand; it becomes a `generic.service` element plus a warning.

use super::policy as iam;
use super::value::{merge_globals, RefTo, V, VK};
use crate::import::builder::{Builder, Hop};
use crate::model::{Classification, ElementId, GrantTarget, Value};
use crate::yaml::Mark;
use std::collections::HashMap;

/// One evaluated resource of a template.
pub struct Res {
    pub id: String,
    pub ty: String,
    pub props: V,
    pub mark: Mark,
    /// The resource entry itself (for `Tags` of SAM resources and `Metadata`).
    pub raw: V,
}

/// How a route is protected, before the API's authorizers are known.
#[derive(Clone, Debug, PartialEq)]
pub enum Auth {
    /// The API's default authorizer.
    Default,
    /// An authorizer by name (`NONE` and `AWS_IAM` included).
    Named(String),
    /// A known kind (`none`, `cognito`, `custom`, `iam`, `jwt`, `api_key`).
    Kind(&'static str),
}

pub struct Route {
    pub target: ElementId,
    pub label: String,
    pub auth: Auth,
    pub api_key: Option<bool>,
    pub validated: bool,
}

pub struct Api {
    pub id: ElementId,
    pub authorizers: HashMap<String, &'static str>,
    pub default_auth: Option<String>,
    pub api_key: bool,
    pub routes: Vec<Route>,
    pub pools: Vec<ElementId>,
    configured: bool,
}

/// The state of one import.
pub struct Ctx {
    pub b: Builder,
    pub apis: Vec<Api>,
    pub globals: V,
    /// (function, referenced element, variable name) from environment values.
    env_refs: Vec<(ElementId, ElementId, String)>,
    /// Functions using each role (by the role's logical id).
    pub roles: HashMap<String, Vec<ElementId>>,
    /// Log group names → retention, matched to functions at the end.
    log_groups: Vec<(String, i64, Mark)>,
    /// HTTP API integrations and API stages by logical id.
    integrations: HashMap<String, ElementId>,
    stages: HashMap<String, ElementId>,
}

/// The vendor type a resource type becomes, `None` for resources that only
/// configure others (policies, permissions, stages).
pub fn element_type(ty: &str) -> Option<&'static str> {
    Some(match ty {
        "AWS::Serverless::Function" | "AWS::Lambda::Function" => "aws.lambda",
        "AWS::Serverless::StateMachine" | "AWS::StepFunctions::StateMachine" => "aws.stepfunctions",
        "AWS::Serverless::Api" | "AWS::ApiGateway::RestApi" => "aws.apigateway",
        "AWS::Serverless::HttpApi" | "AWS::ApiGatewayV2::Api" => "aws.apigateway_http",
        "AWS::Serverless::GraphQLApi" | "AWS::AppSync::GraphQLApi" => "aws.appsync",
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => "aws.alb",
        "AWS::SQS::Queue" => "aws.sqs",
        "AWS::SNS::Topic" => "aws.sns",
        "AWS::Events::EventBus" => "aws.eventbridge",
        "AWS::Scheduler::Schedule" => "aws.eventbridge_schedule",
        "AWS::Kinesis::Stream" => "aws.kinesis",
        "AWS::DynamoDB::Table" | "AWS::DynamoDB::GlobalTable" | "AWS::Serverless::SimpleTable" => "aws.dynamodb",
        "AWS::S3::Bucket" => "aws.s3",
        "AWS::RDS::DBInstance" | "AWS::RDS::DBCluster" => "aws.rds",
        "AWS::ElastiCache::CacheCluster"
        | "AWS::ElastiCache::ReplicationGroup"
        | "AWS::ElastiCache::ServerlessCache" => "aws.elasticache",
        "AWS::SecretsManager::Secret" => "aws.secretsmanager",
        "AWS::SSM::Parameter" => "aws.ssm_parameter",
        "AWS::KMS::Key" => "aws.kms",
        "AWS::CloudTrail::Trail" => "aws.cloudtrail",
        "AWS::Cognito::UserPool" => "aws.cognito",
        "AWS::CloudFront::Distribution" => "aws.cloudfront",
        "AWS::CodePipeline::Pipeline" => "aws.codepipeline",
        "AWS::ECS::Service" => "aws.ecs_fargate",
        _ => return None,
    })
}

/// Resource types that configure other resources and need no element.
fn configures_others(ty: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "AWS::IAM::",
        "AWS::ApiGateway::",
        "AWS::ApiGatewayV2::",
        "AWS::WAFv2::",
        "AWS::WAF::",
        "AWS::WAFRegional::",
        "AWS::CloudFormation::",
        "AWS::EC2::",
        "AWS::Route53::",
        "AWS::CertificateManager::",
        "AWS::CloudWatch::",
        "AWS::CodeDeploy::",
        "AWS::ApplicationAutoScaling::",
        "AWS::AppSync::",
        "AWS::ElasticLoadBalancingV2::",
        "AWS::Logs::",
        "AWS::SSO::",
        "AWS::ECS::",
        "AWS::ECR::",
    ];
    const TYPES: &[&str] = &[
        "AWS::Lambda::Permission",
        "AWS::Lambda::EventSourceMapping",
        "AWS::Lambda::Url",
        "AWS::Lambda::LayerVersion",
        "AWS::Lambda::LayerVersionPermission",
        "AWS::Lambda::Version",
        "AWS::Lambda::Alias",
        "AWS::Lambda::EventInvokeConfig",
        "AWS::Lambda::CodeSigningConfig",
        "AWS::Serverless::LayerVersion",
        "AWS::Serverless::Connector",
        "AWS::SQS::QueuePolicy",
        "AWS::SNS::TopicPolicy",
        "AWS::SNS::Subscription",
        "AWS::S3::BucketPolicy",
        "AWS::SecretsManager::RotationSchedule",
        "AWS::SecretsManager::SecretTargetAttachment",
        "AWS::SecretsManager::ResourcePolicy",
        "AWS::KMS::Alias",
        "AWS::Cognito::UserPoolClient",
        "AWS::Cognito::UserPoolDomain",
        "AWS::Cognito::IdentityPool",
        "AWS::Cognito::UserPoolGroup",
        "AWS::Cognito::IdentityPoolRoleAttachment",
        "AWS::Cognito::UserPoolResourceServer",
        "AWS::Events::Rule",
        "AWS::Events::EventBusPolicy",
        "AWS::Events::Archive",
        "AWS::Scheduler::ScheduleGroup",
        "AWS::CloudFront::OriginAccessControl",
        "AWS::CloudFront::CloudFrontOriginAccessIdentity",
        "AWS::CloudFront::CachePolicy",
        "AWS::CloudFront::ResponseHeadersPolicy",
        "AWS::CloudFront::OriginRequestPolicy",
        "AWS::CloudFront::Function",
        "AWS::Serverless::Application",
        "AWS::SSM::Document",
    ];
    TYPES.contains(&ty) || PREFIXES.iter().any(|p| ty.starts_with(p)) && element_type(ty).is_none()
}

/// Strength of an auth kind; an API's auth is its weakest route.
fn strength(kind: &str) -> u8 {
    match kind {
        "none" => 0,
        "api_key" => 1,
        "custom" => 2,
        "jwt" | "cognito" => 3,
        "iam" => 4,
        _ => 5,
    }
}

fn classification_of(tags: &V) -> Option<Classification> {
    let pairs: Vec<(String, String)> = match &tags.kind {
        VK::Map(entries) => entries.iter().filter_map(|(k, v)| Some((k.clone(), v.str()?.to_string()))).collect(),
        VK::List(items) => items
            .iter()
            .filter_map(|t| Some((t.get("Key")?.str()?.to_string(), t.get("Value")?.str()?.to_string())))
            .collect(),
        _ => Vec::new(),
    };
    pairs.into_iter().find_map(|(k, v)| {
        let key: String = k.to_ascii_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        if matches!(
            key.as_str(),
            "dataclassification" | "classification" | "dataclass" | "datasensitivity" | "sensitivity"
        ) {
            Classification::parse(&v.trim().to_ascii_lowercase())
        } else {
            None
        }
    })
}

/// Environment variable names and values that look like plain-text secrets.
fn secret_value(name: &str, v: &V) -> bool {
    let upper = name.to_ascii_uppercase();
    let secret_name =
        ["SECRET", "PASSWORD", "PASSWD", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL", "ACCESS_KEY"]
            .iter()
            .any(|w| upper.contains(w))
            && !["_ARN", "_NAME", "_ID", "_PATH", "_PARAM", "_PARAMETER"].iter().any(|s| upper.ends_with(s));
    let Some(s) = v.s() else { return false };
    let text = s.text.trim();
    if text.contains("{{resolve:secretsmanager") {
        return true;
    }
    let pattern = text.starts_with("AKIA") && text.len() == 20
        || ["sk_live_", "ghp_", "xoxb-", "xoxp-", "-----BEGIN"].iter().any(|p| text.starts_with(p));
    pattern
        || (secret_name
            && s.refs.is_empty()
            && !text.is_empty()
            && !text.starts_with("arn:")
            && !text.starts_with('/')
            && !text.starts_with("${"))
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches('\'').trim_matches('"').to_string()
}

fn ev_bool(v: Option<&V>) -> Option<bool> {
    v.and_then(V::bool)
}

impl Ctx {
    pub fn new(b: Builder, globals: V) -> Ctx {
        Ctx {
            b,
            apis: Vec::new(),
            globals,
            env_refs: Vec::new(),
            roles: HashMap::new(),
            log_groups: Vec::new(),
            integrations: HashMap::new(),
            stages: HashMap::new(),
        }
    }

    /// The modelled element a value refers to, through `!Ref`/`!GetAtt`/`${X}`
    /// or a physical name inside an ARN.
    pub fn resolve(&self, v: &V) -> Option<ElementId> {
        let s = v.s()?;
        s.refs.iter().find_map(|r| self.b.lookup(&r.id)).or_else(|| iam::by_physical_name(&self.b, &s.text))
    }

    /// An event source: the modelled element, or one created from its ARN.
    pub fn source(&mut self, v: Option<&V>, vendor_type: &str, what: &str, at: Mark) -> Option<ElementId> {
        let Some(v) = v else {
            self.b.warn(at, format!("event has no {what}"));
            return None;
        };
        if let Some(id) = self.resolve(v) {
            return Some(id);
        }
        let text = v.str().map(str::to_string).unwrap_or_else(|| v.render());
        let name =
            text.rsplit([':', '/']).next().filter(|n| !n.is_empty() && !n.contains('$')).unwrap_or(&text).to_string();
        let refs: Vec<RefTo> = v.all_refs();
        if let Some(r) = refs.first() {
            self.b.warn(v.mark, format!("`{}` is not a modelled resource; {what} modelled from the reference", r.id));
        } else {
            self.b.warn(v.mark, format!("{what} `{text}` is not defined in this template; modelled from its name"));
        }
        let id = self.b.element(&name, vendor_type);
        self.b.describe(id, "Defined outside this template");
        Some(id)
    }

    /// Loads every resource: elements first (so references resolve in any
    /// order), then functions, then everything else, then roles.
    pub fn resources(&mut self, resources: &[Res]) {
        for r in resources {
            if let Some(ty) = element_type(&r.ty) {
                let id = self.b.element(&r.id, ty);
                self.b.locate(id, r.mark);
                for key in [
                    "BucketName",
                    "TableName",
                    "QueueName",
                    "TopicName",
                    "Name",
                    "FunctionName",
                    "StateMachineName",
                    "EventBusName",
                ] {
                    if let Some(name) =
                        r.props.get(key).and_then(V::s).filter(|s| s.refs.is_empty() && !s.text.contains('<'))
                    {
                        self.b.add_physical(&name.text, id);
                    }
                }
                let tags = r.props.get("Tags").or_else(|| r.raw.get("Tags"));
                if let Some(c) = tags.and_then(classification_of) {
                    self.b.classify(id, c);
                }
            } else if !configures_others(&r.ty) {
                let id = self.b.element(&r.id, "generic.service");
                self.b.locate(id, r.mark);
                self.b.describe(id, &format!("{} (not interpreted by the importer)", r.ty));
                self.b.warn(
                    r.mark,
                    format!("resource type `{}` is not supported; modelled as generic.service `{}`", r.ty, r.id),
                );
            }
        }
        for r in
            resources.iter().filter(|r| matches!(r.ty.as_str(), "AWS::Serverless::Function" | "AWS::Lambda::Function"))
        {
            self.function(r);
        }
        for r in resources.iter().filter(|r| {
            matches!(
                r.ty.as_str(),
                "AWS::Serverless::Api"
                    | "AWS::ApiGateway::RestApi"
                    | "AWS::Serverless::HttpApi"
                    | "AWS::ApiGatewayV2::Api"
            )
        }) {
            let http = r.ty.contains("Http") || r.ty.contains("V2");
            let id = self.b.lookup(&r.id).expect("APIs get elements in the first pass");
            let props = if r.ty.starts_with("AWS::Serverless") {
                let g = self.globals.get(if http { "HttpApi" } else { "Api" }).cloned().unwrap_or(V::null(r.mark));
                merge_globals(&g, &r.props)
            } else {
                r.props.clone()
            };
            self.configure_api(id, &props, http);
        }
        for r in resources {
            let p = &r.props;
            match r.ty.as_str() {
                "AWS::ApiGatewayV2::Integration" => {
                    if let Some(f) = p.get("IntegrationUri").and_then(|u| self.resolve(u)) {
                        self.integrations.insert(r.id.clone(), f);
                    }
                }
                "AWS::ApiGateway::Stage" | "AWS::ApiGatewayV2::Stage" => {
                    if let Some(api) = p.get("RestApiId").or_else(|| p.get("ApiId")).and_then(|a| self.resolve(a)) {
                        self.stages.insert(r.id.clone(), api);
                    }
                }
                "AWS::Serverless::Api" | "AWS::Serverless::HttpApi" => {
                    let stage = p.get("StageName").and_then(V::str).unwrap_or("Prod");
                    if let Some(api) = self.b.lookup(&r.id) {
                        self.stages.insert(format!("{}{}Stage", r.id, stage), api);
                    }
                }
                _ => {}
            }
        }
        for r in resources {
            self.other(r);
        }
        for r in resources
            .iter()
            .filter(|r| matches!(r.ty.as_str(), "AWS::IAM::Role" | "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy"))
        {
            self.iam(r, resources);
        }
    }

    fn function(&mut self, r: &Res) {
        let id = self.b.lookup(&r.id).expect("functions get elements in the first pass");
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
        let secret = vars.iter().any(|(k, v)| secret_value(k, v));
        self.b.set_bool(id, "secrets_in_env", secret);
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

    fn destinations(&mut self, id: ElementId, cfg: &V) {
        let dc = cfg.get("DestinationConfig");
        if let Some(on_failure) = dc.and_then(|d| d.get("OnFailure")) {
            self.b.set_bool(id, "dead_letter", true);
            if let Some(t) = on_failure.get("Destination").and_then(|d| self.resolve(d)) {
                self.b.flow(id, t, "on failure", Hop::Event);
            }
        }
        if let Some(t) = dc.and_then(|d| d.at(&["OnSuccess", "Destination"])).and_then(|d| self.resolve(d)) {
            self.b.flow(id, t, "on success", Hop::Event);
        }
    }

    pub fn function_url(&mut self, id: ElementId, logical: &str, cfg: &V) {
        let auth = match cfg.get("AuthType").and_then(V::str).map(str::to_ascii_uppercase).as_deref() {
            Some("AWS_IAM") => "iam",
            Some("NONE") => "none",
            _ => {
                self.b.warn(cfg.mark, "function URL without a known `AuthType`; assuming NONE");
                "none"
            }
        };
        self.b.set_str(id, "function_url", auth);
        let url = self.b.element(&format!("{logical}Url"), "aws.lambda_url");
        self.b.set_str(url, "auth", auth);
        let origins = cfg.at(&["Cors", "AllowOrigins"]).map(V::texts).unwrap_or_default();
        if !origins.is_empty() {
            self.b.set(url, "cors_origins", Value::List(origins));
        }
        self.b.flow(url, id, "invoke", Hop::Call);
    }

    /// The execution role of a SAM function or state machine — the given
    /// role, or the one SAM generates from `Policies` — and its `Events`.
    fn role_and_events(&mut self, id: ElementId, r: &Res, role: Option<&V>) {
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

    fn api_index(&self, id: ElementId) -> Option<usize> {
        self.apis.iter().position(|a| a.id == id)
    }

    /// The API a route belongs to: the referenced one, or the implicit API
    /// SAM creates (`ServerlessRestApi` / `ServerlessHttpApi`).
    pub fn api_for(&mut self, reference: Option<&V>, http: bool, implicit: &str) -> usize {
        if let Some(id) = reference.and_then(|v| self.resolve(v)) {
            if let Some(i) = self.api_index(id) {
                return i;
            }
            self.configure_api(id, &V::null(Mark::default()), http);
            return self.apis.len() - 1;
        }
        if let Some(v) = reference {
            self.b.warn(v.mark, "the API of this event is not in the template; the route is added to the implicit API");
        }
        let id = self.b.element(implicit, if http { "aws.apigateway_http" } else { "aws.apigateway" });
        if let Some(i) = self.api_index(id) {
            return i;
        }
        self.b.describe(id, "API created implicitly by SAM from function events");
        let g = self.globals.get(if http { "HttpApi" } else { "Api" }).cloned().unwrap_or(V::null(Mark::default()));
        self.configure_api(id, &g, http);
        self.apis.len() - 1
    }

    /// Reads the security settings of a SAM or CloudFormation API.
    pub fn configure_api(&mut self, id: ElementId, p: &V, _http: bool) {
        let index = match self.api_index(id) {
            Some(i) => i,
            None => {
                self.apis.push(Api {
                    id,
                    authorizers: HashMap::new(),
                    default_auth: None,
                    api_key: false,
                    routes: Vec::new(),
                    pools: Vec::new(),
                    configured: false,
                });
                self.apis.len() - 1
            }
        };
        if p.is_null() || self.apis[index].configured {
            return;
        }
        self.apis[index].configured = true;
        if let Some(auth) = p.get("Auth") {
            for (name, a) in auth.get("Authorizers").map(V::map).unwrap_or(&[]) {
                let kind = if a.get("UserPoolArn").is_some() {
                    if let Some(pool) = a.get("UserPoolArn").and_then(|u| self.resolve(u)) {
                        self.apis[index].pools.push(pool);
                    }
                    "cognito"
                } else if a.get("JwtConfiguration").is_some() {
                    if let Some(pool) = a.at(&["JwtConfiguration", "issuer"]).and_then(|u| self.resolve(u)) {
                        self.apis[index].pools.push(pool);
                    }
                    "jwt"
                } else if a.get("FunctionArn").is_some() {
                    if let Some(f) = a.get("FunctionArn").and_then(|u| self.resolve(u)) {
                        self.b.flow(id, f, "authorize", Hop::Call);
                    }
                    "custom"
                } else {
                    self.b.warn(a.mark, format!("authorizer `{name}` of unknown type; assuming a custom authorizer"));
                    "custom"
                };
                self.apis[index].authorizers.insert(name.clone(), kind);
            }
            if ev_bool(auth.get("EnableIamAuthorizer")) == Some(true) {
                self.apis[index].authorizers.insert("AWS_IAM".into(), "iam");
            }
            self.apis[index].default_auth = auth.get("DefaultAuthorizer").and_then(V::str).map(str::to_string);
            self.apis[index].api_key = ev_bool(auth.get("ApiKeyRequired")).unwrap_or(false);
            if auth.get("ResourcePolicy").is_some() {
                self.b.get_mut(id).mitigations.push("resource_policy".into());
            }
        }
        // Throttling: stage method settings, HTTP API route settings.
        let mut throttled = p
            .get("MethodSettings")
            .map(|m| {
                m.items()
                    .iter()
                    .any(|s| s.get("ThrottlingRateLimit").is_some() || s.get("ThrottlingBurstLimit").is_some())
            })
            .unwrap_or(false);
        for key in ["DefaultRouteSettings", "RouteSettings"] {
            if let Some(s) = p.get(key) {
                let text = s.render();
                throttled |= text.contains("ThrottlingBurstLimit") || text.contains("ThrottlingRateLimit");
            }
        }
        if throttled {
            self.b.set_bool(id, "throttling", true);
        }
        if p.get("AccessLogSetting").or_else(|| p.get("AccessLogSettings")).is_some() {
            self.b.set_bool(id, "access_logs", true);
        }
        let cors = p.get("Cors").or_else(|| p.get("CorsConfiguration"));
        if let Some(c) = cors {
            let origins = match &c.kind {
                VK::Str(s) if s.text.eq_ignore_ascii_case("true") => vec!["*".to_string()],
                VK::Str(s) => vec![unquote(&s.text)],
                _ => c
                    .get("AllowOrigin")
                    .or_else(|| c.get("AllowOrigins"))
                    .map(|o| o.texts().iter().map(|t| unquote(t)).collect())
                    .unwrap_or_default(),
            };
            if !origins.is_empty() {
                self.b.set(id, "cors_origins", Value::List(origins));
            }
        }
        let endpoint = p.get("EndpointConfiguration").map(|e| match e.str() {
            Some(t) => t.to_string(),
            None => e.get("Type").or_else(|| e.get("Types")).map(|t| t.texts().join(",")).unwrap_or_default(),
        });
        if let Some(ep) = endpoint.map(|e| e.to_ascii_lowercase()) {
            if ["edge", "regional", "private"].contains(&ep.as_str()) {
                self.b.set_str(id, "endpoint", &ep);
            }
        }
        if let Some(policy) = p.at(&["Domain", "SecurityPolicy"]).and_then(V::str) {
            self.b.set_str(id, "tls_min_version", &policy.trim_start_matches("TLS_").replace('_', "."));
        }
        if let Some(body) = p.get("DefinitionBody").or_else(|| p.get("Body")) {
            self.openapi(index, body);
        }
    }

    /// Routes and authorizers of an OpenAPI / Swagger definition.
    fn openapi(&mut self, api: usize, body: &V) {
        let schemes = body.at(&["components", "securitySchemes"]).or_else(|| body.get("securityDefinitions"));
        for (name, s) in schemes.map(V::map).unwrap_or(&[]) {
            let t = s.at(&["x-amazon-apigateway-authorizer", "type"]).and_then(V::str).map(str::to_ascii_lowercase);
            let kind = match (
                t.as_deref(),
                s.get("x-amazon-apigateway-authtype").and_then(V::str),
                s.get("type").and_then(V::str),
            ) {
                (Some("cognito_user_pools"), _, _) | (_, Some("cognito_user_pools"), _) => "cognito",
                (Some("jwt"), _, _) => "jwt",
                (Some("token" | "request"), _, _) => "custom",
                (_, Some("awsSigv4"), _) => "iam",
                (_, _, Some("apiKey")) => "api_key",
                (_, _, Some("oauth2" | "openIdConnect")) => "jwt",
                _ => "custom",
            };
            for arn in s.at(&["x-amazon-apigateway-authorizer", "providerARNs"]).map(V::items).unwrap_or_default() {
                if let Some(pool) = self.resolve(arn) {
                    self.apis[api].pools.push(pool);
                }
            }
            self.apis[api].authorizers.insert(name.clone(), kind);
        }
        let global =
            body.get("security").map(|s| s.items().first().and_then(|m| m.map().first().map(|(k, _)| k.clone())));
        let api_id = self.apis[api].id;
        for (path, ops) in body.get("paths").map(V::map).unwrap_or(&[]) {
            for (method, op) in ops.map() {
                let Some(integration) = op.get("x-amazon-apigateway-integration") else { continue };
                let Some(uri) = integration.get("uri") else { continue };
                let Some(target) = self.resolve(uri) else {
                    self.b.warn(
                        uri.mark,
                        format!(
                            "integration of {} {path} does not point at a modelled function",
                            method.to_ascii_uppercase()
                        ),
                    );
                    continue;
                };
                let auth = match op
                    .get("security")
                    .map(|s| s.items().first().and_then(|m| m.map().first().map(|(k, _)| k.clone())))
                {
                    Some(None) => Auth::Kind("none"),
                    Some(Some(name)) => Auth::Named(name),
                    None => match &global {
                        Some(Some(name)) => Auth::Named(name.clone()),
                        Some(None) => Auth::Kind("none"),
                        None => Auth::Default,
                    },
                };
                let label = format!("{} {path}", method.to_ascii_uppercase());
                let _ = api_id;
                self.apis[api].routes.push(Route {
                    target,
                    label,
                    auth,
                    api_key: None,
                    validated: op.get("x-amazon-apigateway-request-validator").is_some()
                        || body.get("x-amazon-apigateway-request-validator").is_some(),
                });
            }
        }
    }

    /// Adds a route of an API to a function (or state machine).
    pub fn route(
        &mut self,
        api: usize,
        target: ElementId,
        label: String,
        auth: Auth,
        api_key: Option<bool>,
        validated: bool,
    ) {
        self.apis[api].routes.push(Route { target, label, auth, api_key, validated });
    }

    /// One SAM event source of a function or state machine.
    pub fn sam_event(&mut self, target: ElementId, name: &str, ev: &V) {
        let ty = ev.get("Type").and_then(V::str).unwrap_or("").to_string();
        let null = V::null(ev.mark);
        let p = ev.get("Properties").unwrap_or(&null);
        let at = ev.mark;
        match ty.as_str() {
            "Api" | "HttpApi" => {
                let http = ty == "HttpApi";
                let reference = p.get(if http { "ApiId" } else { "RestApiId" });
                let api = self.api_for(reference, http, if http { "ServerlessHttpApi" } else { "ServerlessRestApi" });
                let method =
                    p.get("Method").and_then(V::str).unwrap_or(if http { "ANY" } else { "" }).to_ascii_uppercase();
                let path = p.get("Path").and_then(V::str).unwrap_or(if http { "$default" } else { "/" });
                let auth = match p.at(&["Auth", "Authorizer"]).and_then(V::str) {
                    Some(n) => Auth::Named(n.to_string()),
                    None => Auth::Default,
                };
                let api_key = ev_bool(p.at(&["Auth", "ApiKeyRequired"]));
                let validated = ev_bool(p.at(&["RequestModel", "ValidateBody"])) == Some(true)
                    || ev_bool(p.at(&["RequestModel", "ValidateParameters"])) == Some(true);
                self.route(api, target, format!("{method} {path}").trim().to_string(), auth, api_key, validated);
            }
            "SQS" => {
                if let Some(q) = self.source(p.get("Queue"), "aws.sqs", "queue", at) {
                    self.b.flow(q, target, "poll", Hop::Event);
                    let actions =
                        ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"].map(String::from);
                    if self.b.category(target) == "function" {
                        self.b.grant(target, GrantTarget::Element(q), &actions);
                    }
                }
            }
            "SNS" => {
                if let Some(t) = self.source(p.get("Topic"), "aws.sns", "topic", at) {
                    self.b.flow(t, target, "notify", Hop::Event);
                }
            }
            "S3" => {
                if let Some(bucket) = self.source(p.get("Bucket"), "aws.s3", "bucket", at) {
                    let events = p.get("Events").map(V::texts).unwrap_or_default().join(", ");
                    let filter = p.at(&["Filter", "S3Key", "Rules"]).map(|rules| {
                        rules
                            .items()
                            .iter()
                            .filter_map(|r| Some(format!("{}={}", r.get("Name")?.str()?, r.get("Value")?.str()?)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    });
                    self.storage_event(bucket, target, &events, filter);
                }
            }
            "Schedule" | "ScheduleV2" => {
                let tname = self.b.get(target).name.clone();
                let s = self.b.element(&format!("{tname}{name}"), "aws.eventbridge_schedule");
                if let Some(expr) = p.get("Schedule").or_else(|| p.get("ScheduleExpression")).and_then(V::str) {
                    self.b.set_str(s, "schedule", expr);
                }
                self.b.flow(s, target, "scheduled run", Hop::Event);
            }
            "EventBridgeRule" | "CloudWatchEvent" => {
                let bus = self.bus(p.get("EventBusName"), at);
                if let Some(pattern) = p.get("Pattern") {
                    if self.b.prop(bus, "filter").is_none() {
                        self.b.set_str(bus, "filter", &pattern.render());
                    }
                }
                self.b.flow(bus, target, &format!("rule {name}"), Hop::Event);
            }
            "DynamoDB" | "Kinesis" => {
                let src = if ty == "DynamoDB" {
                    let table = self.source(p.get("Stream"), "aws.dynamodb", "table stream", at);
                    table.map(|t| {
                        let tname = self.b.get(t).name.clone();
                        let s = self.b.element(&format!("{tname}Stream"), "aws.dynamodb_stream");
                        self.b.flow(t, s, "item changes", Hop::Event);
                        let actions = [
                            "dynamodb:DescribeStream",
                            "dynamodb:GetRecords",
                            "dynamodb:GetShardIterator",
                            "dynamodb:ListStreams",
                        ]
                        .map(String::from);
                        self.b.grant(target, GrantTarget::Element(t), &actions);
                        s
                    })
                } else {
                    let k = self.source(p.get("Stream"), "aws.kinesis", "stream", at);
                    if let Some(k) = k {
                        let actions = [
                            "kinesis:DescribeStream",
                            "kinesis:GetRecords",
                            "kinesis:GetShardIterator",
                            "kinesis:ListShards",
                        ]
                        .map(String::from);
                        self.b.grant(target, GrantTarget::Element(k), &actions);
                    }
                    k
                };
                if let Some(s) = src {
                    self.stream_settings(s, p);
                    self.b.flow(s, target, "records", Hop::Event);
                }
            }
            "Cognito" => {
                if let Some(pool) = self.source(p.get("UserPool"), "aws.cognito", "user pool", at) {
                    let trigger = p.get("Trigger").map(|t| t.texts().join(", ")).unwrap_or_default();
                    self.b.flow(pool, target, format!("trigger {trigger}").trim(), Hop::Call);
                }
            }
            "CloudWatchLogs" => {
                if let Some(lg) = self.source(p.get("LogGroupName"), "aws.cloudwatch_logs", "log group", at) {
                    self.b.flow(lg, target, "log subscription", Hop::Event);
                }
            }
            "IoTRule" | "MQ" | "MSK" | "SelfManagedKafka" | "DocumentDB" | "AlexaSkill" => {
                let vt = match ty.as_str() {
                    "IoTRule" => "generic.topic",
                    "MQ" => "generic.queue",
                    "AlexaSkill" => "generic.service",
                    _ => "generic.stream",
                };
                let tname = self.b.get(target).name.clone();
                let s = self.b.element(&format!("{tname}{name}"), vt);
                self.b.describe(s, &format!("SAM {ty} event source"));
                self.b.flow(s, target, &ty, Hop::Event);
            }
            "" => self.b.warn(at, format!("event `{name}` has no `Type`")),
            other => self.b.warn(at, format!("event type `{other}` of `{name}` is not supported; no trigger modelled")),
        }
    }

    /// Stream consumer settings (`BisectBatchOnFunctionError`, retries, on-failure).
    pub fn stream_settings(&mut self, s: ElementId, p: &V) {
        if let Some(b) = ev_bool(p.get("BisectBatchOnFunctionError")) {
            self.b.set_bool(s, "bisect_on_error", b);
        }
        if let Some(n) = p.get("MaximumRetryAttempts").and_then(V::int) {
            self.b.set(s, "max_retries", Value::Int(n.clamp(-1, 1_000_000_000)));
        }
        if p.at(&["DestinationConfig", "OnFailure"]).is_some() {
            self.b.set_bool(s, "dlq", true);
        }
    }

    /// The event bus of a rule: the referenced bus or the account's default bus.
    pub fn bus(&mut self, v: Option<&V>, at: Mark) -> ElementId {
        match v {
            Some(v) if v.str() != Some("default") => self
                .source(Some(v), "aws.eventbridge", "event bus", at)
                .unwrap_or_else(|| self.b.element("DefaultEventBus", "aws.eventbridge")),
            _ => {
                let id = self.b.element("DefaultEventBus", "aws.eventbridge");
                self.b.describe(id, "The account's default event bus");
                id
            }
        }
    }

    /// Bucket → notification → function.
    pub fn storage_event(&mut self, bucket: ElementId, target: ElementId, events: &str, filter: Option<String>) {
        let bname = self.b.get(bucket).name.clone();
        let n = self.b.element(&format!("{bname}Notifications"), "aws.s3_notification");
        if let Some(f) = filter.filter(|f| !f.is_empty()) {
            self.b.set_str(n, "filter", &f);
        }
        self.b.flow(bucket, n, "object events", Hop::Event);
        self.b.flow(n, target, events, Hop::Event);
    }

    fn resource_policy_principal(&self, doc: &V) -> Option<String> {
        let mut found: Option<String> = None;
        for st in doc.get("Statement").map(V::items).unwrap_or_default() {
            if st.get("Effect").and_then(V::str).is_some_and(|e| e.eq_ignore_ascii_case("deny")) {
                continue;
            }
            let Some(pr) = st.get("Principal") else { continue };
            let principals: Vec<String> = match pr.str() {
                Some(t) => vec![t.to_string()],
                None => pr.map().iter().flat_map(|(_, v)| v.texts()).collect(),
            };
            let restricted = st.get("Condition").is_some_and(|c| {
                let t = c.render();
                [
                    "aws:SourceArn",
                    "aws:SourceAccount",
                    "aws:PrincipalOrgID",
                    "aws:SourceVpce",
                    "aws:SourceOwner",
                    "aws:PrincipalAccount",
                ]
                .iter()
                .any(|k| t.contains(k))
            });
            for p in principals {
                if p == "*" && !restricted {
                    return Some("*".into());
                }
                found.get_or_insert(if p == "*" { "* (restricted by condition)".into() } else { p });
            }
        }
        found
    }

    /// Resources that are not functions (APIs were read before).
    fn other(&mut self, r: &Res) {
        let p = &r.props;
        let me = self.b.lookup(&r.id);
        match r.ty.as_str() {
            "AWS::Serverless::StateMachine" | "AWS::StepFunctions::StateMachine" => {
                let id = me.expect("state machines get elements");
                let tracing =
                    ev_bool(p.at(&["Tracing", "Enabled"])).or(ev_bool(p.at(&["TracingConfiguration", "Enabled"])));
                if let Some(t) = tracing {
                    self.b.set_bool(id, "tracing", t);
                }
                if let Some(level) =
                    p.at(&["Logging", "Level"]).or(p.at(&["LoggingConfiguration", "Level"])).and_then(V::str)
                {
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
                        if t != id && self.b.get(t).kind != crate::model::ElementKind::External {
                            let label = if self.b.category(t) == "function" { "invoke" } else { "task" };
                            self.b.flow(id, t, label, Hop::Call);
                        }
                    }
                }
                self.role_and_events(id, r, p.get("Role").or_else(|| p.get("RoleArn")));
            }
            "AWS::S3::Bucket" => {
                let id = me.expect("buckets get elements");
                let enc = p.get("BucketEncryption");
                self.b.set_bool(id, "encrypted_at_rest", true);
                let kms = enc.map(|e| e.render()).unwrap_or_default();
                self.b.set_bool(id, "cmk", kms.contains("KMSMasterKeyID"));
                if let Some(pab) = p.get("PublicAccessBlockConfiguration") {
                    let all = ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"]
                        .iter()
                        .all(|k| ev_bool(pab.get(k)) == Some(true));
                    self.b.set_bool(id, "block_public_access", all);
                }
                match p.get("AccessControl").and_then(V::str) {
                    Some("PublicRead") => self.b.set_str(id, "public_access", "read"),
                    Some("PublicReadWrite") => self.b.set_str(id, "public_access", "write"),
                    _ => {}
                }
                if p.at(&["VersioningConfiguration", "Status"]).and_then(V::str) == Some("Enabled") {
                    self.b.set_bool(id, "versioning", true);
                }
                if p.get("LoggingConfiguration").is_some() {
                    self.b.set_bool(id, "access_logging", true);
                }
                if p.get("ReplicationConfiguration").is_some() {
                    self.b.set_bool(id, "backups", true);
                }
                for lc in p.at(&["NotificationConfiguration", "LambdaConfigurations"]).map(V::items).unwrap_or_default()
                {
                    if let Some(f) = lc.get("Function").and_then(|f| self.resolve(f)) {
                        let filter = lc.at(&["Filter", "S3Key", "Rules"]).map(|rules| {
                            rules
                                .items()
                                .iter()
                                .filter_map(|r| Some(format!("{}={}", r.get("Name")?.str()?, r.get("Value")?.str()?)))
                                .collect::<Vec<_>>()
                                .join(", ")
                        });
                        let event = lc.get("Event").and_then(V::str).unwrap_or("").to_string();
                        self.storage_event(id, f, &event, filter);
                    }
                }
                for key in ["QueueConfigurations", "TopicConfigurations"] {
                    for c in p.at(&["NotificationConfiguration", key]).map(V::items).unwrap_or_default() {
                        if let Some(t) = c.get("Queue").or_else(|| c.get("Topic")).and_then(|t| self.resolve(t)) {
                            self.b.flow(id, t, "object events", Hop::Event);
                        }
                    }
                }
            }
            "AWS::S3::BucketPolicy" => {
                let Some(bucket) = p.get("Bucket").and_then(|b| self.resolve(b)) else {
                    self.b.warn(r.mark, format!("bucket policy `{}` is for a bucket outside the template", r.id));
                    return;
                };
                let Some(doc) = p.get("PolicyDocument") else { return };
                let mut access = None::<&str>;
                for st in doc.get("Statement").map(V::items).unwrap_or_default() {
                    if st.get("Effect").and_then(V::str).is_some_and(|e| e.eq_ignore_ascii_case("deny")) {
                        continue;
                    }
                    let single = V::null(st.mark);
                    let pr = st.get("Principal").unwrap_or(&single);
                    let public =
                        pr.str() == Some("*") || pr.get("AWS").is_some_and(|a| a.texts().iter().any(|t| t == "*"));
                    let restricted = st.get("Condition").is_some_and(|c| {
                        let t = c.render();
                        [
                            "aws:SourceArn",
                            "aws:SourceAccount",
                            "aws:PrincipalOrgID",
                            "aws:SourceVpce",
                            "aws:SourceIp",
                            "aws:SourceVpc",
                        ]
                        .iter()
                        .any(|k| t.contains(k))
                    });
                    if !public || restricted {
                        continue;
                    }
                    let actions = st.get("Action").map(V::texts).unwrap_or_default();
                    let write = actions.iter().any(|a| {
                        a == "*"
                            || a == "s3:*"
                            || a.starts_with("s3:Put")
                            || a.starts_with("s3:Delete")
                            || a == "s3:AbortMultipartUpload"
                    });
                    let read = actions.iter().any(|a| a.starts_with("s3:Get") || a.starts_with("s3:List"));
                    if write {
                        access = Some("write");
                    } else if read && access.is_none() {
                        access = Some("read");
                    }
                }
                if let Some(a) = access {
                    self.b.set_str(bucket, "public_access", a);
                    if self.b.prop(bucket, "block_public_access") == Some(&Value::Bool(true)) {
                        self.b.warn(r.mark, "bucket policy grants public access while Block Public Access is on; the deployment would reject it");
                    }
                }
            }
            "AWS::DynamoDB::Table" | "AWS::DynamoDB::GlobalTable" | "AWS::Serverless::SimpleTable" => {
                let id = me.expect("tables get elements");
                self.b.set_bool(id, "encrypted_at_rest", true);
                let sse = p.get("SSESpecification");
                let cmk = sse.is_some_and(|s| s.get("KMSMasterKeyId").is_some());
                self.b.set_bool(id, "cmk", cmk);
                if let Some(b) = ev_bool(p.at(&["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"])) {
                    self.b.set_bool(id, "backups", b);
                }
            }
            "AWS::SQS::Queue" => {
                let id = me.expect("queues get elements");
                if p.get("KmsMasterKeyId").is_some() {
                    self.b.set_bool(id, "encrypted", true);
                } else if let Some(b) = ev_bool(p.get("SqsManagedSseEnabled")) {
                    self.b.set_bool(id, "encrypted", b);
                }
                if let Some(rp) = p.get("RedrivePolicy") {
                    self.b.set_bool(id, "dlq", true);
                    if let Some(n) = rp.get("maxReceiveCount").and_then(V::int) {
                        self.b.set(id, "max_receive_count", Value::Int(n));
                    }
                    if let Some(d) = rp.get("deadLetterTargetArn").and_then(|d| self.resolve(d)) {
                        self.b.flow(id, d, "redrive", Hop::Event);
                    }
                }
                if let Some(v) = p.get("VisibilityTimeout").and_then(V::int) {
                    self.b.set(id, "visibility_timeout", Value::Int(v.clamp(0, 31_536_000)));
                }
            }
            "AWS::SNS::Topic" => {
                let id = me.expect("topics get elements");
                self.b.set_bool(id, "encrypted", p.get("KmsMasterKeyId").is_some());
                for sub in p.get("Subscription").map(V::items).unwrap_or_default() {
                    if let Some(t) = sub.get("Endpoint").and_then(|e| self.resolve(e)) {
                        self.b.flow(id, t, "notify", Hop::Event);
                    }
                }
            }
            "AWS::SNS::Subscription" => {
                if let (Some(topic), Some(t)) =
                    (p.get("TopicArn").and_then(|t| self.resolve(t)), p.get("Endpoint").and_then(|e| self.resolve(e)))
                {
                    self.b.flow(topic, t, "notify", Hop::Event);
                    if p.get("RedrivePolicy").is_some() {
                        self.b.set_bool(topic, "dlq", true);
                    }
                }
            }
            "AWS::SQS::QueuePolicy" | "AWS::SNS::TopicPolicy" => {
                let key = if r.ty.contains("SQS") { "Queues" } else { "Topics" };
                let principal = p.get("PolicyDocument").and_then(|d| self.resource_policy_principal(d));
                for t in p.get(key).map(V::items).unwrap_or_default() {
                    if let (Some(id), Some(pr)) = (self.resolve(t), principal.as_ref()) {
                        self.b.set_str(id, "policy_principal", pr);
                    }
                }
            }
            "AWS::Events::EventBus" => {
                let id = me.expect("buses get elements");
                if p.get("KmsKeyIdentifier").is_some() {
                    self.b.set_bool(id, "encrypted", true);
                }
                if let Some(pr) = p.get("Policy").and_then(|d| self.resource_policy_principal(d)) {
                    self.b.set_str(id, "policy_principal", &pr);
                }
            }
            "AWS::Events::EventBusPolicy" => {
                let bus = self.bus(p.get("EventBusName"), r.mark);
                let pr = match p.get("Statement") {
                    Some(st) => {
                        let doc = V { kind: VK::Map(vec![("Statement".into(), st.clone())]), mark: st.mark };
                        self.resource_policy_principal(&doc)
                    }
                    None => p.get("Principal").and_then(V::str).map(str::to_string),
                };
                if let Some(pr) = pr {
                    self.b.set_str(bus, "policy_principal", &pr);
                }
            }
            "AWS::Events::Rule" => {
                let source = if let Some(expr) = p.get("ScheduleExpression").and_then(V::str) {
                    let s = self.b.element(&r.id, "aws.eventbridge_schedule");
                    self.b.set_str(s, "schedule", expr);
                    s
                } else {
                    let bus = self.bus(p.get("EventBusName"), r.mark);
                    if let Some(pattern) = p.get("EventPattern") {
                        if self.b.prop(bus, "filter").is_none() {
                            self.b.set_str(bus, "filter", &pattern.render());
                        }
                    }
                    bus
                };
                for t in p.get("Targets").map(V::items).unwrap_or_default() {
                    if let Some(tid) = t.get("Arn").and_then(|a| self.resolve(a)) {
                        self.b.flow(source, tid, &format!("rule {}", r.id), Hop::Event);
                    }
                }
            }
            "AWS::Scheduler::Schedule" => {
                let id = me.expect("schedules get elements");
                if let Some(expr) = p.get("ScheduleExpression").and_then(V::str) {
                    self.b.set_str(id, "schedule", expr);
                }
                if let Some(t) = p.at(&["Target", "Arn"]).and_then(|a| self.resolve(a)) {
                    self.b.flow(id, t, "scheduled run", Hop::Event);
                }
            }
            "AWS::Kinesis::Stream" => {
                let id = me.expect("streams get elements");
                let kms = p.at(&["StreamEncryption", "EncryptionType"]).and_then(V::str) == Some("KMS");
                self.b.set_bool(id, "encrypted", kms);
            }
            "AWS::Cognito::UserPool" => {
                let id = me.expect("user pools get elements");
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
            "AWS::SecretsManager::Secret" => {
                let id = me.expect("secrets get elements");
                self.b.set_bool(id, "encrypted_at_rest", true);
                self.b.set_bool(id, "cmk", p.get("KmsKeyId").is_some());
            }
            "AWS::SecretsManager::RotationSchedule" => {
                if let Some(s) = p.get("SecretId").and_then(|s| self.resolve(s)) {
                    self.b.set_bool(s, "rotation", true);
                    if let Some(f) = p.get("RotationLambdaARN").and_then(|f| self.resolve(f)) {
                        self.b.flow(f, s, "rotate", Hop::Call);
                    }
                }
            }
            "AWS::KMS::Key" => {
                let id = me.expect("keys get elements");
                self.b.set_bool(id, "rotation", ev_bool(p.get("EnableKeyRotation")).unwrap_or(false));
            }
            "AWS::SSM::Parameter" => {
                let id = me.expect("parameters get elements");
                self.b.set_bool(id, "encrypted_at_rest", false);
            }
            "AWS::RDS::DBInstance" | "AWS::RDS::DBCluster" => {
                let id = me.expect("databases get elements");
                self.b.set_bool(id, "encrypted_at_rest", ev_bool(p.get("StorageEncrypted")).unwrap_or(false));
                self.b.set_bool(id, "cmk", p.get("KmsKeyId").is_some());
                if let Some(days) = p.get("BackupRetentionPeriod").and_then(V::int) {
                    self.b.set_bool(id, "backups", days > 0);
                }
            }
            "AWS::ElastiCache::ReplicationGroup" | "AWS::ElastiCache::CacheCluster" => {
                let id = me.expect("caches get elements");
                if let Some(b) = ev_bool(p.get("AtRestEncryptionEnabled")) {
                    self.b.set_bool(id, "encrypted_at_rest", b);
                }
                if let Some(b) = ev_bool(p.get("TransitEncryptionEnabled")) {
                    self.b.set_bool(id, "transit_encryption", b);
                }
            }
            "AWS::CloudTrail::Trail" => {
                let id = me.expect("trails get elements");
                self.b.set_bool(id, "tamper_protection", ev_bool(p.get("EnableLogFileValidation")).unwrap_or(false));
            }
            "AWS::Logs::LogGroup" => {
                let name = p.get("LogGroupName").and_then(V::str).unwrap_or("").to_string();
                let days = p.get("RetentionInDays").and_then(V::int).unwrap_or(-1);
                self.log_groups.push((name, days, r.mark));
            }
            "AWS::CloudFront::Distribution" => {
                let id = me.expect("distributions get elements");
                let cfg = p.get("DistributionConfig");
                if cfg.and_then(|c| c.get("WebACLId")).is_some() {
                    self.b.set_bool(id, "waf", true);
                }
                if cfg.and_then(|c| c.get("Logging")).is_some() {
                    self.b.set_bool(id, "access_logs", true);
                }
                if let Some(v) =
                    cfg.and_then(|c| c.at(&["ViewerCertificate", "MinimumProtocolVersion"])).and_then(V::str)
                {
                    let version = v.trim_start_matches("TLSv").split('_').next().unwrap_or(v).to_string();
                    self.b.set_str(id, "tls_min_version", &version);
                }
                for o in cfg.and_then(|c| c.get("Origins")).map(V::items).unwrap_or_default() {
                    if let Some(t) = o.get("DomainName").and_then(|d| self.resolve(d)) {
                        self.b.flow(id, t, "origin request", Hop::Call);
                    }
                }
            }
            "AWS::Lambda::Permission" => {
                let Some(f) = p.get("FunctionName").and_then(|f| self.resolve(f)) else { return };
                let principal = p.get("Principal").and_then(V::str).unwrap_or("");
                let scoped = p.get("SourceArn").is_some()
                    || p.get("SourceAccount").is_some()
                    || p.get("PrincipalOrgID").is_some();
                if principal == "*" && !scoped {
                    self.b.set_bool(f, "public_invoke", true);
                }
                if principal == "apigateway.amazonaws.com" {
                    if let Some(api) = p.get("SourceArn").and_then(|s| self.resolve(s)).and_then(|a| self.api_index(a))
                    {
                        if !self.apis[api].routes.iter().any(|r| r.target == f) {
                            self.route(api, f, "invoke".into(), Auth::Default, None, false);
                        }
                    }
                }
            }
            "AWS::Lambda::EventSourceMapping" => {
                let (Some(src), Some(f)) = (
                    p.get("EventSourceArn").and_then(|s| self.resolve(s)),
                    p.get("FunctionName").and_then(|f| self.resolve(f)),
                ) else {
                    self.b
                        .warn(r.mark, format!("event source mapping `{}` links resources outside the template", r.id));
                    return;
                };
                let src = if self.b.category(src) == "table" {
                    let tname = self.b.get(src).name.clone();
                    let s = self.b.element(&format!("{tname}Stream"), "aws.dynamodb_stream");
                    self.b.flow(src, s, "item changes", Hop::Event);
                    s
                } else {
                    src
                };
                if self.b.category(src) == "stream" {
                    self.stream_settings(src, p);
                }
                self.b.flow(src, f, "records", Hop::Event);
            }
            "AWS::Lambda::Url" => {
                if let Some(f) = p.get("TargetFunctionArn").and_then(|f| self.resolve(f)) {
                    let fname = self.b.get(f).name.clone();
                    self.function_url(f, &fname, p);
                }
            }
            "AWS::Lambda::EventInvokeConfig" => {
                if let Some(f) = p.get("FunctionName").and_then(|f| self.resolve(f)) {
                    self.destinations(f, p);
                }
            }
            "AWS::ApiGateway::Stage" | "AWS::ApiGatewayV2::Stage" => {
                let Some(api) = p.get("RestApiId").or_else(|| p.get("ApiId")).and_then(|a| self.resolve(a)) else {
                    return;
                };
                let text = p.render();
                if text.contains("ThrottlingRateLimit") || text.contains("ThrottlingBurstLimit") {
                    self.b.set_bool(api, "throttling", true);
                }
                if p.get("AccessLogSetting").or_else(|| p.get("AccessLogSettings")).is_some() {
                    self.b.set_bool(api, "access_logs", true);
                }
            }
            "AWS::ApiGateway::UsagePlan" if p.get("Throttle").is_some() => {
                for stage in p.get("ApiStages").map(V::items).unwrap_or_default() {
                    if let Some(api) = stage.get("ApiId").and_then(|a| self.resolve(a)) {
                        self.b.set_bool(api, "throttling", true);
                    }
                }
            }
            "AWS::ApiGateway::RequestValidator" => {
                if let Some(api) = p.get("RestApiId").and_then(|a| self.resolve(a)) {
                    if ev_bool(p.get("ValidateRequestBody")) == Some(true)
                        || ev_bool(p.get("ValidateRequestParameters")) == Some(true)
                    {
                        self.b.set_bool(api, "request_validation", true);
                    }
                }
            }
            "AWS::ApiGateway::Method" => {
                let (Some(api_el), Some(f)) = (
                    p.get("RestApiId").and_then(|a| self.resolve(a)),
                    p.at(&["Integration", "Uri"]).and_then(|u| self.resolve(u)),
                ) else {
                    return;
                };
                let Some(api) = self.api_index(api_el) else { return };
                let auth = match p.get("AuthorizationType").and_then(V::str).map(str::to_ascii_uppercase).as_deref() {
                    Some("COGNITO_USER_POOLS") => Auth::Kind("cognito"),
                    Some("CUSTOM") => Auth::Kind("custom"),
                    Some("AWS_IAM") => Auth::Kind("iam"),
                    _ => Auth::Kind("none"),
                };
                let method = p.get("HttpMethod").and_then(V::str).unwrap_or("ANY").to_string();
                let api_key = ev_bool(p.get("ApiKeyRequired"));
                self.route(api, f, method, auth, api_key, p.get("RequestValidatorId").is_some());
            }
            "AWS::ApiGatewayV2::Integration" => {}
            "AWS::ApiGatewayV2::Route" => {
                let Some(api_el) = p.get("ApiId").and_then(|a| self.resolve(a)) else { return };
                let Some(api) = self.api_index(api_el) else { return };
                let target = p.get("Target").and_then(|t| t.s()).and_then(|s| s.refs.first().cloned());
                let integration = target.and_then(|t| self.integration_target(&t.id));
                let Some(f) = integration else { return };
                let auth = match p.get("AuthorizationType").and_then(V::str).map(str::to_ascii_uppercase).as_deref() {
                    Some("JWT") => Auth::Kind("jwt"),
                    Some("CUSTOM") => Auth::Kind("custom"),
                    Some("AWS_IAM") => Auth::Kind("iam"),
                    _ => Auth::Kind("none"),
                };
                let key = p.get("RouteKey").and_then(V::str).unwrap_or("$default").to_string();
                self.route(api, f, key, auth, None, false);
            }
            "AWS::WAFv2::WebACLAssociation" | "AWS::WAFRegional::WebACLAssociation" => {
                let Some(arn) = p.get("ResourceArn") else { return };
                let mut hit = false;
                for rf in arn.all_refs() {
                    let target = self.b.lookup(&rf.id).or_else(|| self.stage_api(&rf.id));
                    if let Some(t) = target {
                        self.b.set_bool(t, "waf", true);
                        hit = true;
                    }
                }
                if !hit {
                    self.b.warn(r.mark, "web ACL association does not point at a modelled API or load balancer");
                }
            }
            "AWS::Serverless::Connector" => self.connector(r),
            _ => {}
        }
    }

    fn integration_target(&self, integration: &str) -> Option<ElementId> {
        self.integrations.get(integration).copied()
    }

    fn stage_api(&self, stage: &str) -> Option<ElementId> {
        self.stages.get(stage).copied()
    }

    /// SAM connectors: a flow in the permitted direction plus the grant.
    fn connector(&mut self, r: &Res) {
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
        if self.b.get(src).kind == crate::model::ElementKind::Function {
            self.b.grant(src, GrantTarget::Element(dst), &actions);
        }
    }

    fn iam(&mut self, r: &Res, all: &[Res]) {
        let p = &r.props;
        match r.ty.as_str() {
            "AWS::IAM::Role" => {
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
                                if let Some(doc) =
                                    all.iter().find(|x| x.id == rf.id).and_then(|x| x.props.get("PolicyDocument"))
                                {
                                    iam::document(&mut self.b, f, doc);
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
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
                let Some(doc) = p.get("PolicyDocument") else { return };
                for role in p.get("Roles").map(V::items).unwrap_or_default() {
                    let rid = role.s().and_then(|s| s.refs.first()).map(|r| r.id.clone());
                    for f in rid.and_then(|id| self.roles.get(&id).cloned()).unwrap_or_default() {
                        iam::document(&mut self.b, f, doc);
                    }
                }
            }
            _ => {}
        }
    }

    /// Resolves routes into API auth, wires the client to every public entry
    /// point, turns environment references into flows and returns the model.
    pub fn finish(mut self) -> crate::import::Imported {
        let apis = std::mem::take(&mut self.apis);
        for api in &apis {
            let mut weakest: Option<&'static str> = None;
            for route in &api.routes {
                let kind = self.route_kind(api, route);
                if weakest.is_none_or(|w| strength(kind) < strength(w)) {
                    weakest = Some(kind);
                }
                self.b.flow(api.id, route.target, &route.label, Hop::Call);
            }
            let kind = weakest.unwrap_or_else(|| {
                let default = Route {
                    target: api.id,
                    label: String::new(),
                    auth: Auth::Default,
                    api_key: None,
                    validated: false,
                };
                self.route_kind(api, &default)
            });
            self.b.set_str(api.id, "auth", kind);
            if !api.routes.is_empty() && api.routes.iter().all(|r| r.validated) {
                self.b.set_bool(api.id, "request_validation", true);
            }
            for pool in &api.pools {
                let client = self.b.client();
                self.b.flow(client, *pool, "sign in", Hop::Https(false));
            }
        }
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
            if kind == crate::model::ElementKind::Store && iam::read_only(&actions) {
                self.b.flow(target, f, &var, Hop::Call);
            } else if kind != crate::model::ElementKind::External || cat == "identity_provider" {
                self.b.flow(f, target, &var, Hop::Call);
            }
        }
        for (name, days, mark) in std::mem::take(&mut self.log_groups) {
            let fname = name.strip_prefix("/aws/lambda/").map(str::to_string);
            let f = fname.and_then(|n| self.b.lookup(&n).or_else(|| iam::by_physical_name(&self.b, &n)));
            match f {
                Some(f) if days > 0 => self.b.set(f, "log_retention_days", Value::Int(days)),
                Some(_) => {}
                None => {
                    let _ = mark;
                }
            }
        }
        let entries: Vec<ElementId> = self
            .b
            .model
            .elements
            .iter()
            .filter(|e| matches!(e.category(), "api" | "function_url" | "cdn" | "webhook"))
            .filter(|e| e.properties.get("endpoint") != Some(&Value::Str("private".into())))
            .map(|e| e.id)
            .collect();
        for e in entries {
            let auth = self
                .b
                .prop(e, "auth")
                .and_then(|v| if let Value::Str(s) = v { Some(s.as_str()) } else { None })
                .unwrap_or("none");
            let authenticated = auth != "none";
            let client = self.b.client();
            self.b.flow(client, e, "HTTPS", Hop::Https(authenticated));
        }
        self.b.finish()
    }

    fn route_kind(&mut self, api: &Api, route: &Route) -> &'static str {
        let api_key = route.api_key.unwrap_or(api.api_key);
        let name = match &route.auth {
            Auth::Kind(k) => return if *k == "none" && api_key { "api_key" } else { k },
            Auth::Named(n) => Some(n.clone()),
            Auth::Default => api.default_auth.clone(),
        };
        match name.as_deref() {
            None | Some("NONE") => {
                if api_key {
                    "api_key"
                } else {
                    "none"
                }
            }
            Some("AWS_IAM") => "iam",
            Some(n) => match api.authorizers.get(n) {
                Some(k) => k,
                None => {
                    let mark = Mark::default();
                    self.b.warn(
                        mark,
                        format!("authorizer `{n}` is not defined on its API; assuming a custom authorizer"),
                    );
                    "custom"
                }
            },
        }
    }
}
