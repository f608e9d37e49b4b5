//! The state of one CloudFormation import and the passes over its resources:
//! every resource gets its element first (so references resolve in any
//! order), then the handlers of `handler::FAMILIES` run pass by pass, and
//! `finish` resolves what needs the whole template (API auth, environment
//! references, log groups, public entry points).
//!
//! Shared by the SAM importer and the Serverless Framework importer (whose
//! `resources` section is CloudFormation). Must not: know any resource type
//! by name (that is the handler table), or fail on a resource it does not
//! understand; it becomes a `generic.service` element plus a warning.

pub(super) use super::policy as iam;
pub(super) use super::value::{merge_globals, RefTo, V, VK};
pub(super) use crate::import::builder::{Builder, Hop};
pub(super) use crate::model::auth::AuthKind;
pub(super) use crate::model::{Classification, ElementId, ElementKind, GrantTarget, Value};
pub(super) use crate::yaml::Mark;
pub(super) use std::collections::HashMap;

use super::handler;

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
    /// A known kind.
    Kind(AuthKind),
}

pub struct Route {
    pub target: ElementId,
    pub label: String,
    pub auth: Auth,
    pub api_key: Option<bool>,
    pub validated: bool,
    /// Where the route was written, for warnings about its authorizer.
    pub mark: Mark,
}

impl Route {
    /// A route with no API key setting of its own and no request validation.
    pub fn new(target: ElementId, label: String, auth: Auth, mark: Mark) -> Route {
        Route { target, label, auth, api_key: None, validated: false, mark }
    }
}

pub struct Api {
    pub id: ElementId,
    pub(super) authorizers: HashMap<String, AuthKind>,
    pub(super) default_auth: Option<String>,
    pub(super) api_key: bool,
    pub(super) routes: Vec<Route>,
    pub(super) pools: Vec<ElementId>,
    pub(super) configured: bool,
}

/// Properties naming the physical resource, matched against literal ARNs.
const PHYSICAL_NAME_KEYS: [&str; 8] =
    ["BucketName", "TableName", "QueueName", "TopicName", "Name", "FunctionName", "StateMachineName", "EventBusName"];

/// The state of one import.
pub struct Ctx {
    pub b: Builder,
    pub(super) apis: Vec<Api>,
    pub(super) globals: V,
    /// (function, referenced element, variable name) from environment values.
    pub(super) env_refs: Vec<(ElementId, ElementId, String)>,
    /// Functions using each role (by the role's logical id).
    pub(super) roles: HashMap<String, Vec<ElementId>>,
    /// Log group names → retention, matched to functions at the end.
    pub(super) log_groups: Vec<(String, i64, Mark)>,
    /// HTTP API integrations and API stages by logical id.
    pub(super) integrations: HashMap<String, ElementId>,
    pub(super) stages: HashMap<String, ElementId>,
    /// Policy documents by the logical id of their resource, for roles that
    /// attach a managed policy of the template.
    pub(super) documents: HashMap<String, V>,
    /// User pools by logical id: their element, the authorization-like custom
    /// attributes users could change, and what their app clients let users write.
    pub(super) user_pools: HashMap<String, (ElementId, Vec<String>, Option<WriteSet>)>,
}

/// The attributes the app clients of a user pool let users write.
pub enum WriteSet {
    /// A client without `WriteAttributes`: every writable attribute.
    All,
    /// The union of the clients' `WriteAttributes`.
    Only(Vec<String>),
}

/// Which way data goes between a resource and what one of its properties names.
enum Direction {
    /// The named resource sends to this one.
    From,
    /// This resource sends to or invokes the named one.
    To,
    /// This resource reads or writes the named store or queue.
    Uses,
}

/// The direction a property's path of keys implies, if it names a data relation.
fn direction_of(key: &str) -> Option<Direction> {
    let k = key.to_ascii_lowercase();
    if k.contains("role")
        || k.contains("kms")
        || k.contains("key")
        || k.contains("subnet")
        || k.contains("securitygroup")
    {
        return None;
    }
    if k.contains("source") {
        return Some(Direction::From);
    }
    if ["target", "destination", "endpoint", "function", "invoke", "notification", "deadletter"]
        .iter()
        .any(|w| k.contains(w))
    {
        return Some(Direction::To);
    }
    if ["table", "bucket", "queue", "topic", "stream", "database", "cluster", "secret"].iter().any(|w| k.contains(w)) {
        return Some(Direction::Uses);
    }
    None
}

/// The data classification a resource's tags declare, if any.
pub(super) fn classification_of(tags: &V) -> Option<Classification> {
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

/// A CORS origin without the quotes templates often wrap it in.
pub(super) fn unquote(s: &str) -> String {
    s.trim().trim_matches('\'').trim_matches('"').to_string()
}

/// A boolean setting, if present and a boolean.
pub(super) fn ev_bool(v: Option<&V>) -> Option<bool> {
    v.and_then(V::bool)
}

impl Ctx {
    /// A new import into `b`; `globals` are the SAM `Globals` (null elsewhere).
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
            documents: HashMap::new(),
            user_pools: HashMap::new(),
        }
    }

    /// The modelled element a value refers to, through `!Ref`/`!GetAtt`/`${X}`
    /// or a physical name inside an ARN.
    pub fn resolve(&self, v: &V) -> Option<ElementId> {
        let s = v.s()?;
        s.refs.iter().find_map(|r| self.b.lookup(&r.id)).or_else(|| iam::by_physical_name(&self.b, &s.text))
    }

    /// A store or queue encrypted with a modelled KMS key records the key's
    /// name (`kms_key`): a function granted that key for the resource it uses
    /// needs it, and is not over-privileged.
    pub fn encrypted_with(&mut self, resource: ElementId, key: Option<&V>) {
        let Some(k) = key.and_then(|k| self.resolve(k)) else { return };
        if k != resource && self.b.get(k).category() == crate::model::kind::category::KEY_STORE {
            let name = self.b.get(k).name.clone();
            self.b.set_str(resource, "kms_key", &name);
        }
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
    /// order), then each pass of the handler table in turn.
    pub fn resources(&mut self, resources: &[Res]) {
        for r in resources {
            self.element_of(r);
            if let Some(doc) = r.props.get("PolicyDocument") {
                self.documents.entry(r.id.clone()).or_insert_with(|| doc.clone());
            }
        }
        for pass in handler::Pass::ORDER {
            for r in resources {
                for h in handler::handlers(&r.ty).filter(|h| h.pass() == pass) {
                    h.run(self, r);
                }
            }
        }
        for r in resources.iter().filter(|r| handler::element_type(&r.ty).is_none()) {
            if !handler::configures_others(&r.ty) {
                self.infer_relations(r);
            }
        }
    }

    /// A resource of a type the importer does not interpret is still joined to
    /// what its properties reference (`!Ref`, `!GetAtt`, `${X}`), where the
    /// property's name tells the direction: a source (`SourceArn`,
    /// `EventSourceArn`, `StreamArn`) sends to it; a target, destination,
    /// endpoint or function receives from it; a store or queue it names by
    /// table, bucket, queue or topic is used by it. Other references (roles,
    /// keys, subnets) are configuration, not data, and add no flow.
    fn infer_relations(&mut self, r: &Res) {
        let Some(me) = self.b.lookup(&r.id) else { return };
        // Each value with the path of keys above it (`KinesisStreamSourceConfiguration.KinesisStreamARN`).
        let mut stack: Vec<(String, &V)> = r.props.map().iter().map(|(k, v)| (k.clone(), v)).collect();
        while let Some((key, v)) = stack.pop() {
            match &v.kind {
                VK::Map(entries) => stack.extend(entries.iter().map(|(k, v)| (format!("{key}.{k}"), v))),
                VK::List(items) => stack.extend(items.iter().map(|v| (key.clone(), v))),
                VK::Str(s) => {
                    let named: Vec<ElementId> = s.refs.iter().filter_map(|r| self.b.lookup(&r.id)).collect();
                    for other in named {
                        match direction_of(&key) {
                            Some(Direction::From) => self.b.flow(other, me, "events", Hop::Event),
                            Some(Direction::To) => self.b.flow(me, other, "delivers", Hop::Call),
                            Some(Direction::Uses) => self.b.flow(me, other, "uses", Hop::Call),
                            None => {}
                        }
                    }
                }
                VK::Null => {}
            }
        }
    }

    /// The element of a resource, its physical names and its classification;
    /// a resource of an unknown type becomes a generic service.
    fn element_of(&mut self, r: &Res) {
        if let Some(ty) = handler::element_type(&r.ty) {
            let id = self.b.element(&r.id, ty);
            self.b.locate(id, r.mark);
            for key in PHYSICAL_NAME_KEYS {
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
        } else if !handler::configures_others(&r.ty) {
            let id = self.b.element(&r.id, "generic.service");
            self.b.locate(id, r.mark);
            self.b.describe(id, &format!("{} (not interpreted by the importer)", r.ty));
            self.b.warn(
                r.mark,
                format!("resource type `{}` is not supported; modelled as generic.service `{}`", r.ty, r.id),
            );
        }
    }
    /// Resolves routes into API auth, wires the client to every public entry
    /// point, turns environment references into flows and returns the model.
    pub fn finish(mut self) -> crate::import::Imported {
        self.resolve_apis();
        self.environment_flows();
        self.match_log_groups();
        self.settle_user_pool_claims();
        self.wire_public_entries();
        self.b.finish()
    }

    /// The Internet client calls every public entry point.
    fn wire_public_entries(&mut self) {
        let entries: Vec<ElementId> = self
            .b
            .model
            .elements
            .iter()
            .filter(|e| crate::model::kind::is_public_endpoint(e.category()))
            .filter(|e| e.properties.get("endpoint") != Some(&Value::Str("private".into())))
            .map(|e| e.id)
            .collect();
        for e in entries {
            let authenticated = match self.b.prop(e, "auth") {
                Some(Value::Str(s)) => s != AuthKind::None.as_str(),
                _ => false,
            };
            let client = self.b.client();
            self.b.flow(client, e, "HTTPS", Hop::Https(authenticated));
        }
    }
}
