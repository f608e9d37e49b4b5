//! Typed properties: the value type, and the schema of every property an
//! element or flow may carry, with its documented default and why it matters
//! for security.
//!
//! The schema is the single source of truth for the YAML format, validation,
//! the rule loader (a rule may only ask about a property defined here) and the
//! editor's properties panel. Must not: encode threats; it says what a
//! property *is*, the rule catalog says what it *means*.

use super::kind::{groups, ElementKind};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A property value. Lists hold strings (IAM actions, CORS origins, env vars).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Bool(bool),
    Int(#[cfg_attr(feature = "ts", ts(type = "number"))] i64),
    Str(String),
    List(Vec<String>),
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Str(_) => "string",
            Value::List(_) => "list of strings",
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Str(s) => f.write_str(s),
            Value::List(items) => write!(f, "[{}]", items.join(", ")),
        }
    }
}

/// The type a property must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropType {
    Bool,
    Int { min: i64, max: i64 },
    Str,
    Enum(&'static [&'static str]),
    List,
}

impl PropType {
    pub fn describe(&self) -> String {
        match self {
            PropType::Bool => "true or false".into(),
            PropType::Int { min, max } => format!("an integer from {min} to {max}"),
            PropType::Str => "a string".into(),
            PropType::Enum(options) => format!("one of {}", options.join(", ")),
            PropType::List => "a list of strings".into(),
        }
    }

    /// Checks a value; on mismatch returns what was expected.
    pub fn check(&self, value: &Value) -> Result<(), String> {
        let ok = match (self, value) {
            (PropType::Bool, Value::Bool(_)) => true,
            (PropType::Int { min, max }, Value::Int(i)) => (min..=max).contains(&i),
            (PropType::Str, Value::Str(_)) => true,
            (PropType::Enum(options), Value::Str(s)) => options.contains(&s.as_str()),
            (PropType::List, Value::List(_)) => true,
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(format!("expected {}, found {} `{}`", self.describe(), value.type_name(), value))
        }
    }
}

/// Where a property applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Elements of this kind; an empty category list means every category.
    Element(ElementKind, &'static [&'static str]),
    /// Data flows.
    Flow,
}

/// One property of the schema.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PropertyDef {
    pub name: &'static str,
    pub scope: Scope,
    pub ty: PropType,
    /// Value assumed when the user has not set it (the platform default).
    /// `None` means unknown: rules asking about it fire at low confidence.
    pub default: Option<DefaultValue>,
    /// One line: why this matters for security.
    pub doc: &'static str,
    /// The question that settles the property in a guided session, in the user's words. A yes/no
    /// question reads so that "Yes" is `true`.
    pub question: &'static str,
}

/// A default in const-friendly form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultValue {
    Bool(bool),
    Int(i64),
    Str(&'static str),
    EmptyList,
}

impl DefaultValue {
    pub fn to_value(self) -> Value {
        match self {
            DefaultValue::Bool(b) => Value::Bool(b),
            DefaultValue::Int(i) => Value::Int(i),
            DefaultValue::Str(s) => Value::Str(s.to_string()),
            DefaultValue::EmptyList => Value::List(Vec::new()),
        }
    }
}

use DefaultValue as D;
use ElementKind::{External as X, Function as F, Store as S, Trigger as T};

const AUTH: &[&str] = super::auth::AuthKind::NAMES;
const PUBLIC: &[&str] = &["none", "read", "write"];
const TRUST: &[&str] = &["untrusted", "partner", "trusted"];
const MFA: &[&str] = &["off", "optional", "required"];
const ENDPOINT: &[&str] = &["edge", "regional", "private"];
const INT_SECONDS: PropType = PropType::Int { min: 0, max: 31_536_000 };
const INT_COUNT: PropType = PropType::Int { min: -1, max: 1_000_000_000 };

const API: &[&str] = groups::ENDPOINT;
const HTTP: &[&str] = groups::HTTP;
const ASYNC_SRC: &[&str] = groups::MESSAGE_SOURCE;
const QUEUE: &[&str] = groups::QUEUE;
const STREAM: &[&str] = groups::STREAM;
const IDP: &[&str] = groups::IDENTITY_PROVIDER;
const PIPELINE: &[&str] = groups::PIPELINE;
const ALL: &[&str] = &[];

macro_rules! p {
    ($name:literal, $scope:expr, $ty:expr, $default:expr, $doc:literal, $question:literal) => {
        PropertyDef { name: $name, scope: $scope, ty: $ty, default: $default, doc: $doc, question: $question }
    };
}

/// The property schema. Order here is the order of the properties panel and
/// of the YAML writer.
pub const PROPERTIES: &[PropertyDef] = &[
    // ---- functions
    p!(
        "runtime",
        Scope::Element(F, ALL),
        PropType::Str,
        None,
        "End-of-life runtimes no longer receive security patches",
        "Which runtime does this function run on (for example nodejs20.x)?"
    ),
    p!(
        "timeout",
        Scope::Element(F, ALL),
        INT_SECONDS,
        Some(D::Int(3)),
        "Long timeouts let one request burn compute and money (denial of wallet)",
        "What is this function's timeout, in seconds?"
    ),
    p!(
        "memory",
        Scope::Element(F, ALL),
        PropType::Int { min: 64, max: 32_768 },
        Some(D::Int(128)),
        "Memory multiplies the cost of every second an attacker keeps the function busy",
        "How much memory does this function have, in MB?"
    ),
    p!(
        "reserved_concurrency",
        Scope::Element(F, ALL),
        INT_COUNT,
        None,
        "Without a concurrency cap a flood scales out without limit and starves other functions",
        "What concurrency cap does this function have (its reserved concurrency)?"
    ),
    p!(
        "role",
        Scope::Element(F, ALL),
        PropType::Str,
        None,
        "A role shared by many functions gives each one the union of their permissions",
        "Which IAM role does this function run as?"
    ),
    p!(
        "environment",
        Scope::Element(F, ALL),
        PropType::List,
        Some(D::EmptyList),
        "Variable names that look like secrets reveal credentials stored in plain text",
        "Which environment variables does this function have (their names)?"
    ),
    p!(
        "secrets_in_env",
        Scope::Element(F, ALL),
        PropType::Bool,
        None,
        "Plain-text secrets in the environment leak through consoles, logs and crash dumps",
        "Does this function hold secrets in plain-text environment variables?"
    ),
    p!(
        "env_kms_key",
        Scope::Element(F, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "A customer-managed key lets you control and audit who can decrypt environment values",
        "Are this function's environment variables encrypted with a customer-managed key?"
    ),
    p!(
        "input_validation",
        Scope::Element(F, ALL),
        PropType::Bool,
        None,
        "Event data from any trigger is attacker-controlled until validated",
        "Does this handler validate its input before using it?"
    ),
    p!(
        "vpc",
        Scope::Element(F, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "Functions outside a VPC can reach any Internet host, easing exfiltration",
        "Does this function run inside a VPC?"
    ),
    p!(
        "tracing",
        Scope::Element(F, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "Without tracing an incident cannot be followed across asynchronous hops",
        "Is tracing (such as X-Ray) on for this function?"
    ),
    p!(
        "logging",
        Scope::Element(F, ALL),
        PropType::Bool,
        Some(D::Bool(true)),
        "Without execution logs there is no record of what a function did",
        "Does this function write execution logs?"
    ),
    p!(
        "log_retention_days",
        Scope::Element(F, ALL),
        INT_COUNT,
        None,
        "Logs must be kept long enough for investigation and compliance",
        "How many days are this function's logs kept?"
    ),
    p!(
        "dead_letter",
        Scope::Element(F, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "Failed asynchronous events without a dead-letter target are lost or retried forever",
        "Do failed asynchronous invocations of this function go to a dead-letter target?"
    ),
    p!(
        "code_signing",
        Scope::Element(F, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "Code signing stops tampered or unapproved code from being deployed",
        "Is code signing enforced for this function's deployments?"
    ),
    p!(
        "public_invoke",
        Scope::Element(F, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "An invoke permission for any principal lets anyone call the function directly",
        "Can anyone (any principal) invoke this function directly?"
    ),
    p!(
        "writes_tmp",
        Scope::Element(F, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "Files in /tmp survive into the next invocation in a warm container",
        "Does this function write files to /tmp?"
    ),
    p!(
        "global_state",
        Scope::Element(F, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "Module-level state carries data from one request to the next",
        "Does this function keep data in module-level (global) state between requests?"
    ),
    p!(
        "multi_tenant",
        Scope::Element(F, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "Data of several tenants in one execution environment can cross over",
        "Does this function handle the data of several tenants?"
    ),
    p!(
        "verbose_errors",
        Scope::Element(F, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "Stack traces and debug output reveal internals to callers",
        "Does this function return stack traces or debug details to its callers?"
    ),
    p!(
        "unsafe_deserialization",
        Scope::Element(F, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "Deserialising untrusted payloads with an unsafe library can execute code",
        "Does this function deserialise untrusted payloads with an unsafe library (pickle, Java serialization, unsafe YAML load)?"
    ),
    p!(
        "fetches_urls",
        Scope::Element(F, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "Fetching caller-supplied URLs enables SSRF and credential theft from metadata endpoints",
        "Does this function fetch URLs that its callers supply?"
    ),
    p!(
        "idempotent",
        Scope::Element(F, ALL),
        PropType::Bool,
        None,
        "At-least-once delivery replays events; non-idempotent handlers act twice",
        "Is this handler idempotent: does processing the same event twice have no extra effect?"
    ),
    p!(
        "dependency_scanning",
        Scope::Element(F, ALL),
        PropType::Bool,
        None,
        "Unscanned dependencies ship known vulnerabilities into every invocation",
        "Are this function's dependencies scanned for known vulnerabilities?"
    ),
    p!(
        "layers",
        Scope::Element(F, ALL),
        PropType::List,
        Some(D::EmptyList),
        "Layers run with the function's privileges; foreign or unpinned layers are supply-chain risk",
        "Which layers does this function use?"
    ),
    p!(
        "runtime_protection",
        Scope::Element(F, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "Runtime self-protection blocks injection and exfiltration attempts as they happen",
        "Does this function run with a runtime protection agent?"
    ),
    // ---- triggers
    p!(
        "auth",
        Scope::Element(T, API),
        PropType::Enum(AUTH),
        Some(D::Str("none")),
        "Routes without an authorizer accept requests from anyone",
        "How do callers of this route prove who they are?"
    ),
    p!(
        "public_by_design",
        Scope::Element(T, API),
        PropType::Bool,
        Some(D::Bool(false)),
        "Marks an endpoint that is meant to be anonymous, so missing auth is a decision",
        "Is this endpoint meant to be public, open to anonymous callers?"
    ),
    p!(
        "waf",
        Scope::Element(T, API),
        PropType::Bool,
        Some(D::Bool(false)),
        "A web application firewall filters injection payloads and abusive clients",
        "Is this endpoint behind a web application firewall?"
    ),
    p!(
        "throttling",
        Scope::Element(T, API),
        PropType::Bool,
        Some(D::Bool(false)),
        "Rate limits bound abuse, brute force and the bill (denial of wallet)",
        "Does this endpoint throttle requests (rate and burst limits)?"
    ),
    p!(
        "access_logs",
        Scope::Element(T, API),
        PropType::Bool,
        Some(D::Bool(false)),
        "Access logs record who called what, the basis of any investigation",
        "Are access logs on for this endpoint?"
    ),
    p!(
        "request_validation",
        Scope::Element(T, HTTP),
        PropType::Bool,
        Some(D::Bool(false)),
        "Schema validation at the gateway rejects malformed input before code runs",
        "Does this endpoint validate requests against a schema before they reach the function?"
    ),
    p!(
        "cors_origins",
        Scope::Element(T, API),
        PropType::List,
        Some(D::EmptyList),
        "A wildcard origin lets any web page call the API with the user's browser",
        "Which origins may call this endpoint from a browser (CORS)?"
    ),
    p!(
        "endpoint",
        Scope::Element(T, API),
        PropType::Enum(ENDPOINT),
        Some(D::Str("regional")),
        "Private endpoints are not reachable from the Internet at all",
        "Is this endpoint edge-optimised, regional or private?"
    ),
    p!(
        "tls_min_version",
        Scope::Element(T, API),
        PropType::Str,
        None,
        "Old TLS versions allow downgrade and interception",
        "What is the lowest TLS version this endpoint accepts (for example TLS1_2)?"
    ),
    p!(
        "signature_verification",
        Scope::Element(T, groups::WEBHOOK),
        PropType::Bool,
        None,
        "Webhook payloads must be signed or anyone can forge the third party's events",
        "Does this webhook verify the sender's signature on every payload?"
    ),
    p!(
        "encrypted",
        Scope::Element(T, ASYNC_SRC),
        PropType::Bool,
        None,
        "Messages at rest in the broker are readable by anyone with storage access",
        "Are the messages it holds encrypted at rest?"
    ),
    p!(
        "policy_principal",
        Scope::Element(T, ASYNC_SRC),
        PropType::Str,
        None,
        "A resource policy for principal * lets any account publish or read",
        "Who may publish to it or read from it (the principal of its resource policy; * for anyone)?"
    ),
    p!(
        "dead_letter_queue",
        Scope::Element(T, ASYNC_SRC),
        PropType::Bool,
        Some(D::Bool(false)),
        "A dead-letter queue holds failed messages for people to inspect; it needs an alarm, not a consumer",
        "Is this a dead-letter queue, holding the messages that failed elsewhere?"
    ),
    p!(
        "alarmed",
        Scope::Element(T, ASYNC_SRC),
        PropType::Bool,
        Some(D::Bool(false)),
        "Without an alarm on its depth or age, failed or piling-up messages go unnoticed",
        "Is there an alarm on its depth or the age of its oldest message?"
    ),
    p!(
        "dlq",
        Scope::Element(T, ASYNC_SRC),
        PropType::Bool,
        Some(D::Bool(false)),
        "Poison messages without a dead-letter queue are retried until they expire",
        "Do messages that keep failing go to a dead-letter queue?"
    ),
    p!(
        "visibility_timeout",
        Scope::Element(T, QUEUE),
        INT_SECONDS,
        Some(D::Int(30)),
        "A visibility timeout shorter than the function timeout delivers a message twice",
        "What is this queue's visibility timeout, in seconds?"
    ),
    p!(
        "max_receive_count",
        Scope::Element(T, QUEUE),
        INT_COUNT,
        None,
        "Bounds how often a failing message is retried before it is dead-lettered",
        "How many times is a message received before it is dead-lettered?"
    ),
    p!(
        "bisect_on_error",
        Scope::Element(T, STREAM),
        PropType::Bool,
        Some(D::Bool(false)),
        "Without bisecting, one bad record blocks the shard and is retried for its lifetime",
        "Does the consumer split a failing batch to isolate the bad record (bisect on error)?"
    ),
    p!(
        "max_retries",
        Scope::Element(T, STREAM),
        INT_COUNT,
        Some(D::Int(-1)),
        "-1 retries until the record expires: a retry storm on a poison record",
        "How many times is a failing record retried (-1: until it expires)?"
    ),
    p!(
        "schedule",
        Scope::Element(T, groups::SCHEDULE),
        PropType::Str,
        None,
        "A schedule runs with the function's full privileges and no caller to authenticate",
        "On what schedule does this rule fire (for example rate(5 minutes))?"
    ),
    p!(
        "filter",
        Scope::Element(T, groups::EVENT_FILTER),
        PropType::Str,
        None,
        "Without a prefix or pattern filter every write, including the function's own, triggers it",
        "Which events does this trigger match (its prefix, suffix or event pattern)?"
    ),
    // ---- stores
    p!(
        "encrypted_at_rest",
        Scope::Element(S, ALL),
        PropType::Bool,
        None,
        "Unencrypted stores expose data to anyone who obtains the media or a snapshot",
        "Is this store encrypted at rest?"
    ),
    p!(
        "kms_key",
        Scope::Element(S, ALL),
        PropType::Str,
        None,
        "The KMS key (by element name) that encrypts it: functions using the store need that key",
        "Which KMS key (by element name) encrypts this store?"
    ),
    p!(
        "kms_key",
        Scope::Element(T, ASYNC_SRC),
        PropType::Str,
        None,
        "The KMS key (by element name) that encrypts its messages: producers and consumers need that key",
        "Which KMS key (by element name) encrypts its messages?"
    ),
    p!(
        "cmk",
        Scope::Element(S, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "A customer-managed key lets you revoke access and audit every decryption",
        "Is it encrypted with a customer-managed key?"
    ),
    p!(
        "public_access",
        Scope::Element(S, ALL),
        PropType::Enum(PUBLIC),
        Some(D::Str("none")),
        "Public read leaks data; public write lets anyone plant content and trigger functions",
        "Can anyone outside the account read or write this store?"
    ),
    p!(
        "block_public_access",
        Scope::Element(S, groups::BUCKET),
        PropType::Bool,
        Some(D::Bool(true)),
        "The account-level guard that stops a policy or ACL from making the bucket public",
        "Is Block Public Access on for this bucket?"
    ),
    p!(
        "versioning",
        Scope::Element(S, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "Versions let you recover from tampering, deletion and ransomware",
        "Is versioning on for this store?"
    ),
    p!(
        "backups",
        Scope::Element(S, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "Point-in-time recovery restores data after corruption or malicious deletion",
        "Is this store backed up?"
    ),
    p!(
        "access_logging",
        Scope::Element(S, ALL),
        PropType::Bool,
        Some(D::Bool(false)),
        "Data access logs are the audit trail auditors ask for on sensitive stores",
        "Are access logs kept for this store?"
    ),
    p!(
        "rotation",
        Scope::Element(S, groups::KEY_MATERIAL),
        PropType::Bool,
        Some(D::Bool(false)),
        "Rotation limits how long a leaked secret or key stays useful",
        "Is this key or secret rotated automatically?"
    ),
    p!(
        "retention_days",
        Scope::Element(S, groups::LOG_STORE),
        INT_COUNT,
        None,
        "Logs deleted too early cannot support an investigation",
        "How many days are these logs kept?"
    ),
    p!(
        "tamper_protection",
        Scope::Element(S, groups::LOG_STORE),
        PropType::Bool,
        Some(D::Bool(false)),
        "Immutable or validated logs cannot be erased by an intruder covering tracks",
        "Are these logs protected from tampering (integrity validation or write-once storage)?"
    ),
    p!(
        "transit_encryption",
        Scope::Element(S, groups::NETWORKED_STORE),
        PropType::Bool,
        None,
        "Clients talking to the store in plain text expose data on the network",
        "Is traffic to this store encrypted in transit?"
    ),
    // ---- externals
    p!(
        "trust",
        Scope::Element(X, ALL),
        PropType::Enum(TRUST),
        None,
        "How far the tool may trust what this party sends",
        "How far do you trust this external party?"
    ),
    p!(
        "password_min_length",
        Scope::Element(X, IDP),
        PropType::Int { min: 0, max: 256 },
        Some(D::Int(8)),
        "Short passwords fall to guessing and credential stuffing",
        "What minimum password length does this identity provider enforce?"
    ),
    p!(
        "mfa",
        Scope::Element(X, IDP),
        PropType::Enum(MFA),
        Some(D::Str("off")),
        "Multi-factor authentication stops stolen passwords from being enough",
        "Is multi-factor authentication off, optional or required?"
    ),
    p!(
        "user_writable_claims",
        Scope::Element(X, IDP),
        PropType::List,
        None,
        "Custom attributes named like authorization data (role, tenant, is_admin…) that users may change themselves become claims in their tokens",
        "Which user attributes can users write themselves (attributes used as claims)?"
    ),
    p!(
        "advanced_security",
        Scope::Element(X, IDP),
        PropType::Bool,
        Some(D::Bool(false)),
        "Adaptive authentication blocks compromised credentials and bots",
        "Are advanced security features (compromised-credential and risk checks) on?"
    ),
    p!(
        "deploy_role_admin",
        Scope::Element(X, PIPELINE),
        PropType::Bool,
        Some(D::Bool(false)),
        "A deploy role with administrator rights turns a pipeline compromise into an account takeover",
        "Does the pipeline deploy with an administrator role?"
    ),
    p!(
        "secrets_in_repo",
        Scope::Element(X, PIPELINE),
        PropType::Bool,
        Some(D::Bool(false)),
        "Credentials committed to the repository are readable by everyone with clone access",
        "Are secrets committed to the repository the pipeline builds?"
    ),
    p!(
        "security_scanning",
        Scope::Element(X, PIPELINE),
        PropType::Bool,
        Some(D::Bool(false)),
        "Automated scanning in the pipeline catches vulnerabilities before deployment",
        "Does the pipeline run security scanning (dependencies, code, templates)?"
    ),
    // ---- flows
    p!(
        "protocol",
        Scope::Flow,
        PropType::Str,
        None,
        "The transport decides whether data is encrypted in transit",
        "Which protocol does this flow use (for example HTTPS, SQS or TCP)?"
    ),
    p!(
        "encrypted",
        Scope::Flow,
        PropType::Bool,
        None,
        "Unencrypted flows expose the data they carry to anyone on the path",
        "Is this flow encrypted in transit (TLS)?"
    ),
    p!(
        "authenticated",
        Scope::Flow,
        PropType::Bool,
        None,
        "The receiver cannot tell who sent an unauthenticated message",
        "Does the receiver authenticate the sender of this flow?"
    ),
    p!(
        "async",
        Scope::Flow,
        PropType::Bool,
        None,
        "Asynchronous hops lose the caller's identity and retry on failure",
        "Is this flow asynchronous (the sender does not wait for an answer)?"
    ),
    p!(
        "signed",
        Scope::Flow,
        PropType::Bool,
        Some(D::Bool(false)),
        "Unsigned state passed between steps can be altered in between",
        "Are the messages of this flow signed?"
    ),
];

/// Looks a property up by name and scope kind.
pub fn lookup(name: &str) -> impl Iterator<Item = &'static PropertyDef> + '_ {
    PROPERTIES.iter().filter(move |p| p.name == name)
}

/// The definition of `name` for an element of `kind`/`category`, if any.
pub fn element_property(name: &str, kind: ElementKind, category: &str) -> Option<&'static PropertyDef> {
    lookup(name).find(|p| match p.scope {
        Scope::Element(k, cats) => k == kind && (cats.is_empty() || cats.contains(&category)),
        Scope::Flow => false,
    })
}

/// The definition of a flow property.
pub fn flow_property(name: &str) -> Option<&'static PropertyDef> {
    lookup(name).find(|p| p.scope == Scope::Flow)
}

/// Every property that applies to an element of this kind and category, in schema order.
pub fn element_properties(kind: ElementKind, category: &str) -> Vec<&'static PropertyDef> {
    PROPERTIES
        .iter()
        .filter(|p| match p.scope {
            Scope::Element(k, cats) => k == kind && (cats.is_empty() || cats.contains(&category)),
            Scope::Flow => false,
        })
        .collect()
}

/// The documented default of a property: that of its first definition, or
/// `None` when the property is unknown or has no default. A name defined in
/// several scopes (`encrypted`) should be asked through `element_property`
/// or `flow_property` instead.
pub fn default_of(name: &str) -> Option<DefaultValue> {
    lookup(name).next().and_then(|p| p.default)
}

/// The integer default of a property, or `None` when it has none or is not an integer.
pub fn int_default(name: &str) -> Option<i64> {
    match default_of(name) {
        Some(DefaultValue::Int(i)) => Some(i),
        _ => None,
    }
}

/// The string (or enum) default of a property, or `None` when it has none or is not a string.
pub fn str_default(name: &str) -> Option<&'static str> {
    match default_of(name) {
        Some(DefaultValue::Str(s)) => Some(s),
        _ => None,
    }
}

/// Schema position of a property name, used to order output deterministically.
pub fn schema_rank(name: &str) -> usize {
    PROPERTIES.iter().position(|p| p.name == name).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_have_the_declared_type() {
        for p in PROPERTIES {
            if let Some(d) = p.default {
                assert!(p.ty.check(&d.to_value()).is_ok(), "default of {} has the wrong type", p.name);
            }
        }
    }

    #[test]
    fn typed_defaults_read_the_schema() {
        assert_eq!(int_default("timeout"), Some(3));
        assert_eq!(int_default("memory"), Some(128));
        assert_eq!(int_default("visibility_timeout"), Some(30));
        assert_eq!(str_default("endpoint"), Some("regional"));
        assert_eq!(int_default("endpoint"), None);
        assert_eq!(default_of("runtime"), None);
        assert_eq!(default_of("no_such_property"), None);
    }

    #[test]
    fn every_property_documents_why_it_matters() {
        for p in PROPERTIES {
            assert!(p.doc.len() > 20, "{} needs a one-line explanation", p.name);
        }
    }

    #[test]
    fn type_check_reports_what_was_expected() {
        let err = PropType::Int { min: 0, max: 900 }.check(&Value::Str("long".into())).unwrap_err();
        assert!(err.contains("expected an integer from 0 to 900"), "{err}");
        assert!(PropType::Enum(AUTH).check(&Value::Str("jwt".into())).is_ok());
        assert!(PropType::Enum(AUTH).check(&Value::Str("maybe".into())).is_err());
    }
}
