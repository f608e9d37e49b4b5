//! The edge in front of the APIs: CloudFront distributions, load balancers
//! and WAF web ACL associations.
//!
//! Must not: decide which elements are public entry points (the import's
//! finish does, from categories).

use super::ctx::*;
use super::handler::{Handler, Pass};

impl Ctx {
    /// A distribution: WAF, logs, TLS policy and origins.
    pub(super) fn distribution(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        let cfg = p.get("DistributionConfig");
        if cfg.and_then(|c| c.get("WebACLId")).is_some() {
            self.b.set_bool(id, "waf", true);
        }
        if cfg.and_then(|c| c.get("Logging")).is_some() {
            self.b.set_bool(id, "access_logs", true);
        }
        if let Some(v) = cfg.and_then(|c| c.at(&["ViewerCertificate", "MinimumProtocolVersion"])).and_then(V::str) {
            let version = v.trim_start_matches("TLSv").split('_').next().unwrap_or(v).to_string();
            self.b.set_str(id, "tls_min_version", &version);
        }
        for o in cfg.and_then(|c| c.get("Origins")).map(V::items).unwrap_or_default() {
            if let Some(t) = o.get("DomainName").and_then(|d| self.resolve(d)) {
                self.b.flow(id, t, "origin request", Hop::Call);
            }
        }
    }

    /// A web ACL protecting an API, stage or load balancer.
    pub(super) fn web_acl_association(&mut self, r: &Res) {
        let p = &r.props;
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
}

/// CloudFront, load balancers and WAF.
pub(super) const HANDLERS: &[(&[&str], Handler)] = &[
    (&["AWS::CloudFront::Distribution"], Handler::Element("aws.cloudfront", Pass::Main, Ctx::distribution)),
    (&["AWS::ElasticLoadBalancingV2::LoadBalancer"], Handler::Element("aws.alb", Pass::Main, Ctx::no_settings)),
    (
        &["AWS::WAFv2::WebACLAssociation", "AWS::WAFRegional::WebACLAssociation"],
        Handler::Configures(Pass::Main, Ctx::web_acl_association),
    ),
    (
        &[
            "AWS::CloudFront::OriginAccessControl",
            "AWS::CloudFront::CloudFrontOriginAccessIdentity",
            "AWS::CloudFront::CachePolicy",
            "AWS::CloudFront::ResponseHeadersPolicy",
            "AWS::CloudFront::OriginRequestPolicy",
            "AWS::CloudFront::Function",
        ],
        Handler::Configures(Pass::Main, Ctx::skip),
    ),
];
