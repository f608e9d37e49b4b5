//! Queues, topics and streams: SQS queues with their redrive, SNS topics
//! with their subscriptions, Kinesis streams, the resource policies of
//! queues and topics, and stream consumer settings.
//!
//! Must not: add the consumer's trigger flow for a SAM event (that is
//! `events`).

use super::ctx::*;
use super::handler::{Handler, Pass};

impl Ctx {
    /// Stream consumer settings (`BisectBatchOnFunctionError`, retries, on-failure).
    pub fn stream_settings(&mut self, s: ElementId, p: &V) {
        if let Some(b) = ev_bool(p.get("BisectBatchOnFunctionError")) {
            self.b.set_bool(s, "bisect_on_error", b);
        }
        if let Some(n) = p.get("MaximumRetryAttempts").and_then(V::int) {
            self.b.set(s, "max_retries", Value::Int(n.clamp(-1, 1_000_000_000)));
        }
        if let Some(on_failure) = p.at(&["DestinationConfig", "OnFailure"]) {
            self.b.set_bool(s, "dlq", true);
            if let Some(t) = on_failure.get("Destination").and_then(|d| self.resolve(d)) {
                self.failure_destination(t);
            }
        }
    }

    pub(super) fn resource_policy_principal(&self, doc: &V) -> Option<String> {
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
            let restricted = st.get("Condition").is_some_and(iam::restricts_principal);
            for p in principals {
                if p == "*" && !restricted {
                    return Some("*".into());
                }
                found.get_or_insert(if p == "*" { "* (restricted by condition)".into() } else { p });
            }
        }
        found
    }

    /// A queue: encryption, redrive, visibility timeout.
    pub(super) fn queue(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        if p.get("KmsMasterKeyId").is_some() {
            self.b.set_bool(id, "encrypted", true);
            self.encrypted_with(id, p.get("KmsMasterKeyId"));
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
                self.holds_dead_letters(d);
            }
        }
        if let Some(v) = p.get("VisibilityTimeout").and_then(V::int) {
            self.b.set(id, "visibility_timeout", Value::Int(v.clamp(0, 31_536_000)));
        }
    }

    /// A topic: encryption and inline subscriptions.
    pub(super) fn topic(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        self.b.set_bool(id, "encrypted", p.get("KmsMasterKeyId").is_some());
        self.encrypted_with(id, p.get("KmsMasterKeyId"));
        for sub in p.get("Subscription").map(V::items).unwrap_or_default() {
            if let Some(t) = sub.get("Endpoint").and_then(|e| self.resolve(e)) {
                self.b.flow(id, t, "notify", Hop::Event);
            }
        }
    }

    /// A subscription of a modelled endpoint to a topic.
    pub(super) fn subscription(&mut self, r: &Res) {
        let p = &r.props;
        if let (Some(topic), Some(t)) =
            (p.get("TopicArn").and_then(|t| self.resolve(t)), p.get("Endpoint").and_then(|e| self.resolve(e)))
        {
            self.b.flow(topic, t, "notify", Hop::Event);
            if p.get("RedrivePolicy").is_some() {
                self.b.set_bool(topic, "dlq", true);
            }
        }
    }

    /// A queue or topic that receives failed messages: people drain it, so it
    /// needs an alarm rather than a consumer (`alarmed` until an alarm is found).
    pub(super) fn holds_dead_letters(&mut self, id: ElementId) {
        self.b.set_bool(id, "dead_letter_queue", true);
        if self.b.prop(id, "alarmed").is_none() {
            self.b.set_bool(id, "alarmed", false);
        }
    }

    /// The on-failure destination of an invocation or an event source
    /// mapping: a queue or topic there holds dead letters like a redrive
    /// target (a function or bus there consumes them).
    pub(super) fn failure_destination(&mut self, t: ElementId) {
        use crate::model::kind::category::{QUEUE, TOPIC};
        if matches!(self.b.get(t).category(), QUEUE | TOPIC) {
            self.holds_dead_letters(t);
        }
    }

    /// A CloudWatch alarm folds into what it watches: every modelled queue,
    /// topic or stream named by its dimensions is `alarmed`.
    pub(super) fn alarm(&mut self, r: &Res) {
        let p = &r.props;
        let mut dims: Vec<&V> = p.get("Dimensions").map(V::items).unwrap_or_default();
        for m in p.get("Metrics").map(V::items).unwrap_or_default() {
            dims.extend(m.at(&["MetricStat", "Metric", "Dimensions"]).map(V::items).unwrap_or_default());
        }
        for d in dims {
            if let Some(id) = d.get("Value").and_then(|v| self.resolve(v)) {
                if self.b.get(id).kind == ElementKind::Trigger {
                    self.b.set_bool(id, "alarmed", true);
                }
            }
        }
    }

    /// Who may send to a queue or publish to a topic.
    pub(super) fn queue_or_topic_policy(&mut self, r: &Res) {
        let p = &r.props;
        let key = if r.ty.contains("SQS") { "Queues" } else { "Topics" };
        let principal = p.get("PolicyDocument").and_then(|d| self.resource_policy_principal(d));
        for t in p.get(key).map(V::items).unwrap_or_default() {
            if let (Some(id), Some(pr)) = (self.resolve(t), principal.as_ref()) {
                self.b.set_str(id, "policy_principal", pr);
            }
        }
    }

    /// A Kinesis stream: encryption.
    pub(super) fn kinesis_stream(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        let kms = p.at(&["StreamEncryption", "EncryptionType"]).and_then(V::str) == Some("KMS");
        self.b.set_bool(id, "encrypted", kms);
        self.encrypted_with(id, p.at(&["StreamEncryption", "KeyId"]));
    }
}

/// Queues, topics and streams.
pub(super) const HANDLERS: &[(&[&str], Handler)] = &[
    (&["AWS::SQS::Queue"], Handler::Element("aws.sqs", Pass::Main, Ctx::queue)),
    (&["AWS::SNS::Topic"], Handler::Element("aws.sns", Pass::Main, Ctx::topic)),
    (&["AWS::Kinesis::Stream"], Handler::Element("aws.kinesis", Pass::Main, Ctx::kinesis_stream)),
    (&["AWS::SNS::Subscription"], Handler::Configures(Pass::Main, Ctx::subscription)),
    (&["AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy"], Handler::Configures(Pass::Main, Ctx::queue_or_topic_policy)),
    (&["AWS::CloudWatch::Alarm"], Handler::Configures(Pass::Iam, Ctx::alarm)),
];
