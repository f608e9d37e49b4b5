//! The named graph facts rules may use (`fact: internet_facing`). The rule
//! loader rejects any name not listed here; the engine evaluates them from
//! the precomputed [`super::ElementFacts`] and [`super::FlowFacts`]. Each
//! fact also declares which risk context it already prices in, so the rule
//! loader can tell which risk modifiers a condition makes redundant.
//! Must not: compute facts (that is `graph`), or know about rules.

use crate::model::ElementKind;

/// Where a fact is defined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactScope {
    /// Elements of these kinds (empty: every kind).
    Element(&'static [ElementKind]),
    Flow,
}

/// Identifier of a fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FactId {
    InternetFacing,
    InternetReachable,
    UntrustedInput,
    UntrustedAsyncInput,
    UntrustedSource,
    AttackPaths,
    InTriggerLoop,
    FanIn,
    FanOut,
    HasGrants,
    GrantWithoutFlow,
    WildcardAction,
    WildcardResource,
    AdminActions,
    LogTamperActions,
    ResourceExposure,
    UnmodelledGrant,
    BlastRadius,
    BlastRadiusSensitive,
    SharedRole,
    SecretEnv,
    RuntimeEol,
    VisibilityBelowConsumerTimeout,
    CrossesBoundary,
    BoundariesCrossed,
    FromUntrusted,
    Async,
    Plaintext,
}

/// The risk context a fact already says something about. A rule whose
/// condition names such a fact has priced that context into its own
/// likelihood and impact, so the matching risk modifier must not add it again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prices {
    /// Exposure to untrusted parties (the exposure modifier).
    Exposure,
    /// The sensitivity of the data handled (the data modifier).
    Data,
    /// What the element's grants reach (the blast-radius modifier).
    Privilege,
}

/// A fact of the vocabulary.
pub struct FactDef {
    pub name: &'static str,
    pub id: FactId,
    pub scope: FactScope,
    /// Numeric facts need a comparison (`gte: 2`); boolean facts do not.
    pub numeric: bool,
    /// The risk context this fact prices in, if any.
    pub prices_in: Option<Prices>,
    pub doc: &'static str,
}

use ElementKind::{Function as F, Store as S, Trigger as T};
const ANY: &[ElementKind] = &[];
const FN: &[ElementKind] = &[F];

const EXPOSURE: Option<Prices> = Some(Prices::Exposure);
const PRIVILEGE: Option<Prices> = Some(Prices::Privilege);
const NONE: Option<Prices> = None;

macro_rules! fact {
    ($name:literal, $id:ident, $scope:expr, $numeric:expr, $prices:expr, $doc:literal) => {
        FactDef { name: $name, id: FactId::$id, scope: $scope, numeric: $numeric, prices_in: $prices, doc: $doc }
    };
}

/// The vocabulary of graph facts.
pub const FACTS: &[FactDef] = &[
    fact!("internet_facing", InternetFacing, FactScope::Element(ANY), false, EXPOSURE,
        "Receives flows directly from an untrusted party (an untrusted external or anything in an Internet/partner boundary), or is public itself: an API, webhook, CDN or function-URL trigger whose `endpoint` is not private, a queue/topic/bus whose resource policy allows `*`, a public invoke permission, a public store"),
    fact!("internet_reachable", InternetReachable, FactScope::Element(ANY), false, EXPOSURE,
        "Load from the Internet reaches it: reachable from an entry point through a chain of invocations (a store passes load on only to triggers, not to functions that read it)"),
    fact!("untrusted_input", UntrustedInput, FactScope::Element(ANY), false, EXPOSURE,
        "Receives data that originated at an untrusted source, through any chain of flows, stores included (stored injection); a publicly readable store is not a source"),
    fact!("untrusted_async_input", UntrustedAsyncInput, FactScope::Element(ANY), false, EXPOSURE,
        "Receives untrusted data through a chain that includes an asynchronous hop (queue, topic, stream, bus, storage event)"),
    fact!("untrusted_source", UntrustedSource, FactScope::Element(ANY), false, EXPOSURE,
        "Is itself untrusted: an external with trust untrusted (users and browsers by default) or inside an Internet/partner boundary"),
    fact!("attack_paths", AttackPaths, FactScope::Element(&[S]), true, EXPOSURE,
        "Number of Internet entry points from which a chain of flows reaches this store (counted for stores holding confidential or restricted data)"),
    fact!("in_trigger_loop", InTriggerLoop, FactScope::Element(ANY), false, NONE,
        "Part of a cycle of flows through a function and an asynchronous trigger or store: the function can re-trigger itself"),
    fact!("fan_in", FanIn, FactScope::Element(ANY), true, NONE, "Number of inbound flows"),
    fact!("fan_out", FanOut, FactScope::Element(ANY), true, NONE, "Number of outbound flows"),
    fact!("has_grants", HasGrants, FactScope::Element(FN), false, NONE, "The function holds at least one permission grant"),
    fact!("grant_without_flow", GrantWithoutFlow, FactScope::Element(FN), false, NONE,
        "A permission grant targets a modelled resource the function has no data flow with (least-privilege gap)"),
    fact!("wildcard_action", WildcardAction, FactScope::Element(FN), false, PRIVILEGE,
        "A grant allows `*` or every action of a service (`s3:*`, `storage.*`)"),
    fact!("wildcard_resource", WildcardResource, FactScope::Element(FN), false, PRIVILEGE,
        "A grant applies to every resource (`Resource: *` or a wildcard ARN)"),
    fact!("admin_actions", AdminActions, FactScope::Element(FN), false, PRIVILEGE,
        "A grant allows privilege escalation or code replacement (iam:PassRole, lambda:UpdateFunctionCode, …)"),
    fact!("log_tamper_actions", LogTamperActions, FactScope::Element(FN), false, NONE,
        "A grant allows deleting or silencing logs and audit trails"),
    fact!("resource_exposure", ResourceExposure, FactScope::Element(FN), false, PRIVILEGE,
        "A grant allows actions AWS classes as Permissions management (ACLs, resource policies, grants: `s3:PutObjectAcl`, `sqs:AddPermission`, `kms:CreateGrant`, …) beyond the wildcards and escalation actions other facts name: the function can change who may access a resource"),
    fact!("unmodelled_grant", UnmodelledGrant, FactScope::Element(FN), false, NONE,
        "A grant targets a specific resource that is not in the model (forgotten or undocumented dependency)"),
    fact!("blast_radius", BlastRadius, FactScope::Element(FN), true, PRIVILEGE,
        "Number of modelled stores and triggers the function's grants reach: what an attacker controls after compromising it"),
    fact!("blast_radius_sensitive", BlastRadiusSensitive, FactScope::Element(FN), false, PRIVILEGE,
        "The function's grants reach a store holding confidential or restricted data"),
    fact!("shared_role", SharedRole, FactScope::Element(FN), false, NONE,
        "The function's role is shared with other functions"),
    fact!("secret_env", SecretEnv, FactScope::Element(FN), false, NONE,
        "Environment variables look like plain-text secrets (or secrets_in_env is true)"),
    fact!("runtime_eol", RuntimeEol, FactScope::Element(FN), false, NONE,
        "The runtime is past its end-of-support date on the analysis date (unknown when the runtime is not set or not in the table)"),
    fact!("visibility_below_consumer_timeout", VisibilityBelowConsumerTimeout, FactScope::Element(&[T]), false, NONE,
        "A queue's visibility timeout is shorter than the timeout of a function consuming it"),
    fact!("crosses_boundary", CrossesBoundary, FactScope::Flow, false, NONE,
        "The flow's ends sit in different trust boundaries"),
    fact!("boundaries_crossed", BoundariesCrossed, FactScope::Flow, true, NONE,
        "How many trust boundaries the flow crosses"),
    fact!("from_untrusted", FromUntrusted, FactScope::Flow, false, EXPOSURE,
        "The flow starts at an untrusted source"),
    fact!("async", Async, FactScope::Flow, false, NONE,
        "The hop is asynchronous (explicit `async`, or a queue, topic, stream, bus, storage event or schedule at either end)"),
    fact!("plaintext", Plaintext, FactScope::Flow, false, NONE,
        "The flow is not encrypted in transit (from `encrypted`, else from the protocol; unknown when neither says)"),
];

/// Looks a fact up by name.
pub fn fact_by_name(name: &str) -> Option<&'static FactDef> {
    FACTS.iter().find(|f| f.name == name)
}

impl FactDef {
    pub fn get(id: FactId) -> &'static FactDef {
        FACTS.iter().find(|f| f.id == id).expect("every FactId is in FACTS")
    }
}
