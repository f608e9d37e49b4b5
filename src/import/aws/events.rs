//! Event sources: the SAM `Events` of functions and state machines, and
//! EventBridge buses, rules and schedules.
//!
//! Must not: configure the source resources themselves (their families do);
//! an event only adds the trigger flow and the grant the trigger implies.

use super::ctx::*;
use super::handler::{Handler, Pass};
use super::storage::s3_key_filter;
use crate::model::kind::category;

impl Ctx {
    /// One SAM event source of a function or state machine.
    pub fn sam_event(&mut self, target: ElementId, name: &str, ev: &V) {
        let ty = ev.get("Type").and_then(V::str).unwrap_or("").to_string();
        let null = V::null(ev.mark);
        let p = ev.get("Properties").unwrap_or(&null);
        let at = ev.mark;
        match ty.as_str() {
            "Api" | "HttpApi" => self.api_event(target, ty == "HttpApi", p, at),
            "SQS" => {
                if let Some(q) = self.source(p.get("Queue"), "aws.sqs", category::QUEUE, at) {
                    self.b.flow(q, target, "poll", Hop::Event);
                    let actions =
                        ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"].map(String::from);
                    if self.b.category(target) == category::FUNCTION {
                        self.b.grant(target, GrantTarget::Element(q), &actions);
                    }
                }
            }
            "SNS" => {
                if let Some(t) = self.source(p.get("Topic"), "aws.sns", category::TOPIC, at) {
                    self.b.flow(t, target, "notify", Hop::Event);
                }
            }
            "S3" => {
                if let Some(bucket) = self.source(p.get("Bucket"), "aws.s3", category::BUCKET, at) {
                    let events = p.get("Events").map(V::texts).unwrap_or_default().join(", ");
                    let filter = p.get("Filter").map(s3_key_filter);
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
            "DynamoDB" | "Kinesis" => self.stream_event(target, ty == "DynamoDB", p, at),
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

    /// A route of a SAM `Api` or `HttpApi` event.
    pub(super) fn api_event(&mut self, target: ElementId, http: bool, p: &V, at: Mark) {
        let reference = p.get(if http { "ApiId" } else { "RestApiId" });
        let api = self.api_for(reference, http, if http { "ServerlessHttpApi" } else { "ServerlessRestApi" });
        let method = p.get("Method").and_then(V::str).unwrap_or(if http { "ANY" } else { "" }).to_ascii_uppercase();
        let path = p.get("Path").and_then(V::str).unwrap_or(if http { "$default" } else { "/" });
        let auth = match p.at(&["Auth", "Authorizer"]).and_then(V::str) {
            Some(n) => Auth::Named(n.to_string()),
            None => Auth::Default,
        };
        let route = Route {
            api_key: ev_bool(p.at(&["Auth", "ApiKeyRequired"])),
            validated: ev_bool(p.at(&["RequestModel", "ValidateBody"])) == Some(true)
                || ev_bool(p.at(&["RequestModel", "ValidateParameters"])) == Some(true)
                || requires_parameters(p.get("RequestParameters"))
                || carries_no_input(&method, path),
            ..Route::new(target, format!("{method} {path}").trim().to_string(), auth, at)
        };
        self.route(api, route);
    }

    /// A SAM `DynamoDB` or `Kinesis` event: the stream, its consumer
    /// settings, the records flow and the read grant the trigger implies.
    pub(super) fn stream_event(&mut self, target: ElementId, dynamo: bool, p: &V, at: Mark) {
        let src = if dynamo {
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
            let k = self.source(p.get("Stream"), "aws.kinesis", category::STREAM, at);
            if let Some(k) = k {
                let actions =
                    ["kinesis:DescribeStream", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"]
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

    /// An event bus: encryption and who may put events.
    pub(super) fn event_bus(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        if p.get("KmsKeyIdentifier").is_some() {
            self.b.set_bool(id, "encrypted", true);
        }
        if let Some(pr) = p.get("Policy").and_then(|d| self.resource_policy_principal(d)) {
            self.b.set_str(id, "policy_principal", &pr);
        }
    }

    /// Who may put events on a bus.
    pub(super) fn event_bus_policy(&mut self, r: &Res) {
        let p = &r.props;
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

    /// A rule or schedule and its targets.
    pub(super) fn rule(&mut self, r: &Res) {
        let p = &r.props;
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

    /// An EventBridge Scheduler schedule and its target.
    pub(super) fn schedule(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        if let Some(expr) = p.get("ScheduleExpression").and_then(V::str) {
            self.b.set_str(id, "schedule", expr);
        }
        if let Some(t) = p.at(&["Target", "Arn"]).and_then(|a| self.resolve(a)) {
            self.b.flow(id, t, "scheduled run", Hop::Event);
        }
    }
}

/// Whether a SAM `RequestParameters` list marks a parameter `Required: true`
/// (`- method.request.path.id: {Required: true}`): SAM then has API Gateway
/// validate the request's parameters before the function runs.
fn requires_parameters(params: Option<&V>) -> bool {
    params
        .map(V::items)
        .unwrap_or_default()
        .iter()
        .flat_map(|item| item.map().iter())
        .any(|(_, settings)| ev_bool(settings.get("Required")) == Some(true))
}

/// A route that takes no body and no path parameters (`GET /health`) has
/// nothing for the gateway to validate.
fn carries_no_input(method: &str, path: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS" | "DELETE") && !path.contains('{')
}

/// Events, rules and schedules.
pub(super) const HANDLERS: &[(&[&str], Handler)] = &[
    (&["AWS::Events::EventBus"], Handler::Element("aws.eventbridge", Pass::Main, Ctx::event_bus)),
    (&["AWS::Scheduler::Schedule"], Handler::Element("aws.eventbridge_schedule", Pass::Main, Ctx::schedule)),
    (&["AWS::Events::EventBusPolicy"], Handler::Configures(Pass::Main, Ctx::event_bus_policy)),
    (&["AWS::Events::Rule"], Handler::Configures(Pass::Main, Ctx::rule)),
    (&["AWS::Events::Archive", "AWS::Scheduler::ScheduleGroup"], Handler::Configures(Pass::Main, Ctx::skip)),
];
