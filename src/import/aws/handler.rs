//! The table from CloudFormation resource types to their handlers: one
//! `HANDLERS` list per resource family file, gathered in `FAMILIES`. Which
//! types become elements (`element_type`) and which only configure others
//! (`configures_others`) are derived from it, so the lists cannot drift.
//!
//! Must not: handle a resource itself; a handler lives in its family's file.

use super::ctx::{Ctx, Res};
use super::{api, data, edge, events, function, iam, messaging, storage};
use crate::model::ElementId;

/// When a handler runs. Every resource has its element before the first
/// pass, so references resolve in any order; later passes may rely on what
/// earlier ones recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass {
    /// Functions and their SAM events (which create routes and implicit APIs).
    Functions,
    /// API settings, authorizers and OpenAPI routes.
    Apis,
    /// Indexes other resources point through (integrations, stages).
    Links,
    /// Everything else.
    Main,
    /// IAM roles and policies, once every function has named its role.
    Iam,
}

impl Pass {
    pub const ORDER: [Pass; 5] = [Pass::Functions, Pass::Apis, Pass::Links, Pass::Main, Pass::Iam];
}

/// What a resource type becomes and which routine reads it.
#[derive(Clone, Copy)]
pub enum Handler {
    /// An element of this vendor type; the routine reads its settings.
    Element(&'static str, Pass, fn(&mut Ctx, &Res, ElementId)),
    /// No element: the routine configures other resources.
    Configures(Pass, fn(&mut Ctx, &Res)),
}

impl Handler {
    pub fn pass(&self) -> Pass {
        match *self {
            Handler::Element(_, pass, _) | Handler::Configures(pass, _) => pass,
        }
    }

    pub fn run(&self, ctx: &mut Ctx, r: &Res) {
        match *self {
            Handler::Element(_, _, read) => {
                // The first pass gave every element type its element.
                if let Some(id) = ctx.b.lookup(&r.id) {
                    read(ctx, r, id);
                }
            }
            Handler::Configures(_, read) => read(ctx, r),
        }
    }
}

/// Every resource family, in the order its handlers are tried.
pub const FAMILIES: &[&[(&[&str], Handler)]] = &[
    function::HANDLERS,
    api::HANDLERS,
    events::HANDLERS,
    storage::HANDLERS,
    messaging::HANDLERS,
    data::HANDLERS,
    edge::HANDLERS,
    iam::HANDLERS,
];

/// Type families whose types configure others even when no handler reads
/// them (a WAF rule group, a VPC, an alarm); they are skipped silently.
const CONFIGURING_FAMILIES: &[&str] = &[
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

/// The handlers of a resource type, in table order.
pub fn handlers(ty: &str) -> impl Iterator<Item = &'static Handler> + '_ {
    FAMILIES.iter().flat_map(|f| f.iter()).filter(move |(types, _)| types.contains(&ty)).map(|(_, h)| h)
}

/// The vendor type a resource type becomes, `None` for resources that only
/// configure others (policies, permissions, stages) or are unknown.
pub fn element_type(ty: &str) -> Option<&'static str> {
    handlers(ty).find_map(|h| match h {
        Handler::Element(vendor_type, _, _) => Some(*vendor_type),
        Handler::Configures(..) => None,
    })
}

/// Resource types that configure other resources and need no element.
pub fn configures_others(ty: &str) -> bool {
    element_type(ty).is_none()
        && (handlers(ty).next().is_some() || CONFIGURING_FAMILIES.iter().any(|p| ty.starts_with(p)))
}

impl Ctx {
    /// The routine of an element type that has no settings to read.
    pub(super) fn no_settings(&mut self, _: &Res, _: ElementId) {}

    /// The routine of a type that configures nothing the model records.
    pub(super) fn skip(&mut self, _: &Res) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn entries() -> impl Iterator<Item = &'static (&'static [&'static str], Handler)> {
        FAMILIES.iter().flat_map(|f| f.iter())
    }

    #[test]
    fn a_type_is_either_an_element_of_one_vendor_type_or_configures_others() {
        for (types, _) in entries() {
            for ty in *types {
                let vendor_types: HashSet<&str> = handlers(ty)
                    .filter_map(|h| if let Handler::Element(v, _, _) = h { Some(*v) } else { None })
                    .collect();
                let configures = handlers(ty).any(|h| matches!(h, Handler::Configures(..)));
                assert!(vendor_types.len() <= 1, "{ty} becomes several vendor types: {vendor_types:?}");
                assert!(!configures || vendor_types.is_empty(), "{ty} is both an element and configures others");
            }
        }
    }

    #[test]
    fn a_type_has_at_most_one_handler_per_pass() {
        for (types, _) in entries() {
            for ty in *types {
                for pass in Pass::ORDER {
                    assert!(handlers(ty).filter(|h| h.pass() == pass).count() <= 1, "{ty} twice in {pass:?}");
                }
            }
        }
    }

    #[test]
    fn element_types_and_configuring_types_follow_the_table() {
        assert_eq!(element_type("AWS::Serverless::Function"), Some("aws.lambda"));
        assert_eq!(element_type("AWS::ElastiCache::ServerlessCache"), Some("aws.elasticache"));
        assert_eq!(element_type("AWS::Lambda::Permission"), None);
        assert!(configures_others("AWS::Lambda::Permission"));
        assert!(configures_others("AWS::EC2::VPC"), "a configuring family without a handler");
        assert!(!configures_others("AWS::ElasticLoadBalancingV2::LoadBalancer"), "an element of a configuring family");
        assert!(!configures_others("AWS::Glue::Job"), "unknown types become generic services");
    }
}
