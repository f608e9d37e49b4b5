//! API Gateway REST and HTTP APIs and AppSync: authorizers, routes from
//! OpenAPI bodies, methods and routes defined as resources, stages, usage
//! plans and request validators, and the auth each API ends up with (the
//! weakest of its routes).
//!
//! Must not: invent routes to functions the template does not connect.

use super::ctx::*;
use super::handler::{Handler, Pass};

impl Ctx {
    pub(super) fn api_index(&self, id: ElementId) -> Option<usize> {
        self.apis.iter().position(|a| a.id == id)
    }

    /// The API a route belongs to: the referenced one, or the implicit API
    /// SAM creates (`ServerlessRestApi` / `ServerlessHttpApi`).
    pub fn api_for(&mut self, reference: Option<&V>, http: bool, implicit: &str) -> usize {
        if let Some(id) = reference.and_then(|v| self.resolve(v)) {
            if let Some(i) = self.api_index(id) {
                return i;
            }
            self.configure_api(id, &V::null(Mark::default()));
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
        self.configure_api(id, &g);
        self.apis.len() - 1
    }

    /// Reads the security settings of a SAM or CloudFormation API.
    pub fn configure_api(&mut self, id: ElementId, p: &V) {
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
            self.sam_auth(index, auth);
        }
        self.api_settings(id, p);
        if let Some(body) = p.get("DefinitionBody").or_else(|| p.get("Body")) {
            self.openapi(index, body);
        }
    }

    /// The `Auth` of a SAM API: authorizers (their kind told by their shape),
    /// the default authorizer, API keys and the resource policy.
    pub(super) fn sam_auth(&mut self, index: usize, auth: &V) {
        let id = self.apis[index].id;
        for (name, a) in auth.get("Authorizers").map(V::map).unwrap_or(&[]) {
            let kind = if a.get("UserPoolArn").is_some() {
                if let Some(pool) = a.get("UserPoolArn").and_then(|u| self.resolve(u)) {
                    self.apis[index].pools.push(pool);
                }
                AuthKind::Cognito
            } else if a.get("JwtConfiguration").is_some() {
                if let Some(pool) = a.at(&["JwtConfiguration", "issuer"]).and_then(|u| self.resolve(u)) {
                    self.apis[index].pools.push(pool);
                }
                AuthKind::Jwt
            } else if a.get("FunctionArn").is_some() {
                if let Some(f) = a.get("FunctionArn").and_then(|u| self.resolve(u)) {
                    self.b.flow(id, f, "authorize", Hop::Call);
                }
                AuthKind::Custom
            } else {
                self.b.warn(a.mark, format!("authorizer `{name}` of unknown type; assuming a custom authorizer"));
                AuthKind::Custom
            };
            self.apis[index].authorizers.insert(name.clone(), kind);
        }
        if ev_bool(auth.get("EnableIamAuthorizer")) == Some(true) {
            self.apis[index].authorizers.insert("AWS_IAM".into(), AuthKind::Iam);
        }
        self.apis[index].default_auth = auth.get("DefaultAuthorizer").and_then(V::str).map(str::to_string);
        self.apis[index].api_key = ev_bool(auth.get("ApiKeyRequired")).unwrap_or(false);
        if auth.get("ResourcePolicy").is_some() {
            self.b.get_mut(id).mitigations.push("resource_policy".into());
        }
    }

    /// Throttling, access logs, CORS, endpoint type and TLS policy of an API.
    pub(super) fn api_settings(&mut self, id: ElementId, p: &V) {
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
    }

    /// Routes and authorizers of an OpenAPI / Swagger definition.
    pub(super) fn openapi(&mut self, api: usize, body: &V) {
        let schemes = body.at(&["components", "securitySchemes"]).or_else(|| body.get("securityDefinitions"));
        for (name, s) in schemes.map(V::map).unwrap_or(&[]) {
            // The API Gateway extension names the kind most precisely, then
            // the auth type, then the OpenAPI scheme type.
            let kind = [
                s.at(&["x-amazon-apigateway-authorizer", "type"]),
                s.get("x-amazon-apigateway-authtype"),
                s.get("type"),
            ]
            .into_iter()
            .flatten()
            .find_map(|v| v.str().and_then(auth_kind))
            .unwrap_or(AuthKind::Custom);
            for arn in s.at(&["x-amazon-apigateway-authorizer", "providerARNs"]).map(V::items).unwrap_or_default() {
                if let Some(pool) = self.resolve(arn) {
                    self.apis[api].pools.push(pool);
                }
            }
            self.apis[api].authorizers.insert(name.clone(), kind);
        }
        let global =
            body.get("security").map(|s| s.items().first().and_then(|m| m.map().first().map(|(k, _)| k.clone())));
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
                    Some(None) => Auth::Kind(AuthKind::None),
                    Some(Some(name)) => Auth::Named(name),
                    None => match &global {
                        Some(Some(name)) => Auth::Named(name.clone()),
                        Some(None) => Auth::Kind(AuthKind::None),
                        None => Auth::Default,
                    },
                };
                let label = format!("{} {path}", method.to_ascii_uppercase());
                self.apis[api].routes.push(Route {
                    target,
                    label,
                    auth,
                    api_key: None,
                    validated: op.get("x-amazon-apigateway-request-validator").is_some()
                        || body.get("x-amazon-apigateway-request-validator").is_some(),
                    mark: op.mark,
                });
            }
        }
    }

    /// Adds a route of an API to a function (or state machine).
    pub fn route(&mut self, api: usize, route: Route) {
        self.apis[api].routes.push(route);
    }

    /// The element of an API, by its index.
    pub fn api_id(&self, api: usize) -> ElementId {
        self.apis[api].id
    }

    /// Defines an authorizer of an API unless one of that name exists.
    pub fn define_authorizer(&mut self, api: usize, name: &str, kind: AuthKind) {
        self.apis[api].authorizers.entry(name.to_string()).or_insert(kind);
    }

    /// An identity provider whose users sign in to use the API.
    pub fn add_pool(&mut self, api: usize, pool: ElementId) {
        self.apis[api].pools.push(pool);
    }

    pub(super) fn integration_target(&self, integration: &str) -> Option<ElementId> {
        self.integrations.get(integration).copied()
    }

    pub(super) fn stage_api(&self, stage: &str) -> Option<ElementId> {
        self.stages.get(stage).copied()
    }

    /// The auth kind a route ends up with, once the API's authorizers are known.
    pub(super) fn route_kind(&mut self, api: &Api, route: &Route) -> AuthKind {
        let api_key = route.api_key.unwrap_or(api.api_key);
        let keyed = |k: AuthKind| if k == AuthKind::None && api_key { AuthKind::ApiKey } else { k };
        let name = match &route.auth {
            Auth::Kind(k) => return keyed(*k),
            Auth::Named(n) => Some(n.clone()),
            Auth::Default => api.default_auth.clone(),
        };
        match name.as_deref() {
            None | Some("NONE") => keyed(AuthKind::None),
            Some("AWS_IAM") => AuthKind::Iam,
            Some(n) => match api.authorizers.get(n) {
                Some(k) => *k,
                None => {
                    let message = format!("authorizer `{n}` is not defined on its API; assuming a custom authorizer");
                    self.b.warn(route.mark, message);
                    AuthKind::Custom
                }
            },
        }
    }

    /// Every API's routes become flows and the API's auth is its weakest
    /// route's; the client signs in to the API's identity providers.
    pub(super) fn resolve_apis(&mut self) {
        let apis = std::mem::take(&mut self.apis);
        for api in &apis {
            let mut weakest: Option<AuthKind> = None;
            for route in &api.routes {
                let kind = self.route_kind(api, route);
                if weakest.is_none_or(|w| strength(kind) < strength(w)) {
                    weakest = Some(kind);
                }
                self.b.flow(api.id, route.target, &route.label, Hop::Call);
            }
            let kind = weakest.unwrap_or_else(|| {
                let mark = self.b.mark_of(api.id).unwrap_or_default();
                let default = Route::new(api.id, String::new(), Auth::Default, mark);
                self.route_kind(api, &default)
            });
            self.b.set_str(api.id, "auth", kind.as_str());
            if !api.routes.is_empty() && api.routes.iter().all(|r| r.validated) {
                self.b.set_bool(api.id, "request_validation", true);
            }
            for pool in &api.pools {
                let client = self.b.client();
                self.b.flow(client, *pool, "sign in", Hop::Https(false));
            }
        }
    }

    /// A REST or HTTP API (SAM or CloudFormation): its settings, with the
    /// SAM `Globals` merged in, and the implicit stage SAM creates for it.
    pub(super) fn api(&mut self, r: &Res, id: ElementId) {
        let http = r.ty.contains("Http") || r.ty.contains("V2");
        let sam = r.ty.starts_with("AWS::Serverless");
        let props = if sam {
            let g = self.globals.get(if http { "HttpApi" } else { "Api" }).cloned().unwrap_or(V::null(r.mark));
            merge_globals(&g, &r.props)
        } else {
            r.props.clone()
        };
        self.configure_api(id, &props);
        if sam {
            let stage = r.props.get("StageName").and_then(V::str).unwrap_or("Prod");
            self.stages.insert(format!("{}{}Stage", r.id, stage), id);
        }
    }

    /// An HTTP API integration, indexed for the routes that point through it.
    pub(super) fn integration(&mut self, r: &Res) {
        if let Some(f) = r.props.get("IntegrationUri").and_then(|u| self.resolve(u)) {
            self.integrations.insert(r.id.clone(), f);
        }
    }

    /// A stage, indexed for the web ACL associations that name it.
    pub(super) fn index_stage(&mut self, r: &Res) {
        let p = &r.props;
        if let Some(api) = p.get("RestApiId").or_else(|| p.get("ApiId")).and_then(|a| self.resolve(a)) {
            self.stages.insert(r.id.clone(), api);
        }
    }

    /// Stage settings: throttling and access logs of its API.
    pub(super) fn stage(&mut self, r: &Res) {
        let p = &r.props;
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

    /// A usage plan with a throttle throttles its APIs.
    pub(super) fn usage_plan(&mut self, r: &Res) {
        let p = &r.props;
        if p.get("Throttle").is_none() {
            return;
        }
        for stage in p.get("ApiStages").map(V::items).unwrap_or_default() {
            if let Some(api) = stage.get("ApiId").and_then(|a| self.resolve(a)) {
                self.b.set_bool(api, "throttling", true);
            }
        }
    }

    /// A request validator that validates bodies or parameters.
    pub(super) fn request_validator(&mut self, r: &Res) {
        let p = &r.props;
        if let Some(api) = p.get("RestApiId").and_then(|a| self.resolve(a)) {
            if ev_bool(p.get("ValidateRequestBody")) == Some(true)
                || ev_bool(p.get("ValidateRequestParameters")) == Some(true)
            {
                self.b.set_bool(api, "request_validation", true);
            }
        }
    }

    /// A REST API method integrated with a function.
    pub(super) fn method(&mut self, r: &Res) {
        let p = &r.props;
        let (Some(api_el), Some(f)) = (
            p.get("RestApiId").and_then(|a| self.resolve(a)),
            p.at(&["Integration", "Uri"]).and_then(|u| self.resolve(u)),
        ) else {
            return;
        };
        let Some(api) = self.api_index(api_el) else { return };
        let auth =
            Auth::Kind(p.get("AuthorizationType").and_then(V::str).and_then(auth_kind).unwrap_or(AuthKind::None));
        let method = p.get("HttpMethod").and_then(V::str).unwrap_or("ANY").to_string();
        let route = Route {
            api_key: ev_bool(p.get("ApiKeyRequired")),
            validated: p.get("RequestValidatorId").is_some(),
            ..Route::new(f, method, auth, r.mark)
        };
        self.route(api, route);
    }

    /// An HTTP API route to a function through its integration.
    pub(super) fn http_route(&mut self, r: &Res) {
        let p = &r.props;
        let Some(api_el) = p.get("ApiId").and_then(|a| self.resolve(a)) else { return };
        let Some(api) = self.api_index(api_el) else { return };
        let target = p.get("Target").and_then(|t| t.s()).and_then(|s| s.refs.first().cloned());
        let integration = target.and_then(|t| self.integration_target(&t.id));
        let Some(f) = integration else { return };
        let auth =
            Auth::Kind(p.get("AuthorizationType").and_then(V::str).and_then(auth_kind).unwrap_or(AuthKind::None));
        let key = p.get("RouteKey").and_then(V::str).unwrap_or("$default").to_string();
        self.route(api, Route::new(f, key, auth, r.mark));
    }
}

/// Strength of an auth kind; an API's auth is its weakest route.
fn strength(kind: AuthKind) -> u8 {
    match kind {
        AuthKind::None => 0,
        AuthKind::ApiKey => 1,
        AuthKind::Custom => 2,
        AuthKind::Jwt | AuthKind::Cognito => 3,
        AuthKind::Iam => 4,
        AuthKind::Mtls => 5,
    }
}

/// How AWS spells auth kinds: API Gateway `AuthorizationType`, OpenAPI
/// authorizer types and security scheme types, Serverless authorizer types.
/// One table for every front end, compared without regard to case.
const AUTH_SPELLINGS: &[(&str, AuthKind)] = &[
    ("none", AuthKind::None),
    ("aws_iam", AuthKind::Iam),
    ("awssigv4", AuthKind::Iam),
    ("cognito_user_pools", AuthKind::Cognito),
    ("jwt", AuthKind::Jwt),
    ("oauth2", AuthKind::Jwt),
    ("openidconnect", AuthKind::Jwt),
    ("custom", AuthKind::Custom),
    ("token", AuthKind::Custom),
    ("request", AuthKind::Custom),
    ("apikey", AuthKind::ApiKey),
];

/// The auth kind an AWS spelling names, if it names one.
pub fn auth_kind(spelling: &str) -> Option<AuthKind> {
    AUTH_SPELLINGS.iter().find(|(s, _)| s.eq_ignore_ascii_case(spelling.trim())).map(|(_, k)| *k)
}

/// API Gateway and AppSync.
pub(super) const HANDLERS: &[(&[&str], Handler)] = &[
    (&["AWS::Serverless::Api", "AWS::ApiGateway::RestApi"], Handler::Element("aws.apigateway", Pass::Apis, Ctx::api)),
    (
        &["AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"],
        Handler::Element("aws.apigateway_http", Pass::Apis, Ctx::api),
    ),
    (
        &["AWS::Serverless::GraphQLApi", "AWS::AppSync::GraphQLApi"],
        Handler::Element("aws.appsync", Pass::Main, Ctx::no_settings),
    ),
    (&["AWS::ApiGatewayV2::Integration"], Handler::Configures(Pass::Links, Ctx::integration)),
    (&["AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Stage"], Handler::Configures(Pass::Links, Ctx::index_stage)),
    (&["AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Stage"], Handler::Configures(Pass::Main, Ctx::stage)),
    (&["AWS::ApiGateway::UsagePlan"], Handler::Configures(Pass::Main, Ctx::usage_plan)),
    (&["AWS::ApiGateway::RequestValidator"], Handler::Configures(Pass::Main, Ctx::request_validator)),
    (&["AWS::ApiGateway::Method"], Handler::Configures(Pass::Main, Ctx::method)),
    (&["AWS::ApiGatewayV2::Route"], Handler::Configures(Pass::Main, Ctx::http_route)),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn every_front_end_spelling_names_one_kind() {
        assert_eq!(auth_kind("COGNITO_USER_POOLS"), Some(AuthKind::Cognito));
        assert_eq!(auth_kind("awsSigv4"), Some(AuthKind::Iam));
        assert_eq!(auth_kind("openIdConnect"), Some(AuthKind::Jwt));
        assert_eq!(auth_kind("apiKey"), Some(AuthKind::ApiKey));
        assert_eq!(auth_kind("REQUEST"), Some(AuthKind::Custom));
        assert_eq!(auth_kind("http"), None);
    }

    #[test]
    pub(super) fn an_api_is_as_strong_as_its_weakest_kind() {
        let mut kinds = AuthKind::ALL.to_vec();
        kinds.sort_by_key(|k| strength(*k));
        assert_eq!(kinds.first(), Some(&AuthKind::None));
        assert!(strength(AuthKind::ApiKey) < strength(AuthKind::Custom));
        assert!(strength(AuthKind::Jwt) < strength(AuthKind::Iam));
    }
}
