//! Three-valued evaluation of conditions against the graph view.
//!
//! A property the user has not set takes its documented default and marks
//! the result as *assumed*; a property without a default is *unknown*. A
//! rule fires when its condition is true (confidence high, or medium when it
//! relied on assumed defaults) or unknown (confidence low). Every atomic
//! predicate explains itself in words: that is the threat's rationale.

use super::{Cond, Lit, Op};
use crate::graph::{runtime_status, secret_like_env, FactId, GraphView, RuntimeStatus};
use crate::model::property::{PropertyDef, Scope as PropScope};
use crate::model::{Element, ElementKind, Value};
use serde::Serialize;

/// What a condition is evaluated on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// Index into the model's elements.
    Element(usize),
    /// Index into `GraphView::flows`.
    Flow(usize),
}

/// How sure the engine is that a threat applies.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tri {
    True,
    False,
    Unknown,
}

/// Result of evaluating a condition.
#[derive(Clone, Debug)]
pub struct Outcome {
    tri: Tri,
    pub assumed: bool,
    pub why: Vec<String>,
    /// The properties the result rests on while they are not set (unknown, or taken at their
    /// default), with the element or flow that lacks them (the subject or a neighbour): setting
    /// them settles the threat. Written with `why`, when explaining.
    pub unset: Vec<(Subject, &'static str)>,
}

impl Outcome {
    /// `Some(confidence)` when the rule fires.
    pub fn fires(&self) -> Option<Confidence> {
        match self.tri {
            Tri::True if self.assumed => Some(Confidence::Medium),
            Tri::True => Some(Confidence::High),
            Tri::Unknown => Some(Confidence::Low),
            Tri::False => None,
        }
    }
}

/// Evaluation context.
pub struct Ctx<'v, 'm> {
    pub view: &'v GraphView<'m>,
    /// Analysis date (ISO), for end-of-life checks.
    pub as_of: &'v str,
    /// Whether to write the rationale. The engine evaluates without it and
    /// re-evaluates the few rules that fire with it: formatting is the cost.
    pub explain: bool,
}

impl Ctx<'_, '_> {
    fn on(&self, tri: Tri, assumed: bool, why: impl FnOnce() -> String) -> Outcome {
        Outcome { tri, assumed, why: if self.explain { vec![why()] } else { Vec::new() }, unset: Vec::new() }
    }

    fn ob(&self, b: bool, why: impl FnOnce() -> String) -> Outcome {
        self.on(if b { Tri::True } else { Tri::False }, false, why)
    }

    fn flag(&self, b: bool, yes: impl FnOnce() -> String, no: &str) -> Outcome {
        self.ob(b, || if b { yes() } else { no.to_string() })
    }

    fn num(&self, op: Option<&Op>, n: usize, why: impl FnOnce() -> String) -> Outcome {
        let hit = op.map(|op| compare(&Value::Int(n as i64), op)).unwrap_or(n > 0);
        self.ob(hit, why)
    }

    pub fn eval(&self, cond: &Cond, s: Subject) -> Outcome {
        match cond {
            Cond::All(items) => {
                let mut out = Outcome { tri: Tri::True, assumed: false, why: Vec::new(), unset: Vec::new() };
                for c in items {
                    let o = self.eval(c, s);
                    match o.tri {
                        Tri::False => return o,
                        Tri::Unknown => out.tri = Tri::Unknown,
                        Tri::True => {}
                    }
                    out.assumed |= o.assumed;
                    out.why.extend(o.why);
                    out.unset.extend(o.unset);
                }
                out
            }
            Cond::Any(items) => {
                let mut unknown: Option<Outcome> = None;
                let mut falses = Vec::new();
                for c in items {
                    let o = self.eval(c, s);
                    match o.tri {
                        Tri::True => return o,
                        Tri::Unknown if unknown.is_none() => unknown = Some(o),
                        Tri::Unknown => {}
                        Tri::False => falses.extend(o.why),
                    }
                }
                unknown.unwrap_or(Outcome { tri: Tri::False, assumed: false, why: falses, unset: Vec::new() })
            }
            Cond::Not(inner) => {
                let o = self.eval(inner, s);
                let tri = match o.tri {
                    Tri::True => Tri::False,
                    Tri::False => Tri::True,
                    Tri::Unknown => Tri::Unknown,
                };
                Outcome { tri, ..o }
            }
            Cond::Property { name, op, defs } => self.property(name, op, defs, s),
            Cond::Fact { fact, op } => self.fact(*fact, op.as_ref(), s),
            Cond::Category(cats) => match s {
                Subject::Element(i) => {
                    let c = self.view.categories[i];
                    self.ob(cats.iter().any(|x| x == c), || {
                        let what = c.replace('_', " ");
                        let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
                        format!("is {article} {what}")
                    })
                }
                Subject::Flow(_) => self.ob(false, String::new),
            },
            Cond::Vendor(vendors) => match s {
                Subject::Element(i) => {
                    let v = crate::model::kind::vendor_of(&self.view.element(i).vendor_type);
                    self.ob(vendors.iter().any(|x| x == v), || format!("runs on {v}"))
                }
                Subject::Flow(_) => self.ob(false, String::new),
            },
            Cond::Data(min) => {
                let (cls, what, assumed) = match s {
                    Subject::Element(i) => {
                        let f = &self.view.element_facts[i];
                        (f.max_classification, "handles", f.classification_assumed)
                    }
                    Subject::Flow(f) => (self.flow_facts(f).max_classification, "carries", false),
                };
                let hit = cls >= Some(*min);
                let why = match cls {
                    Some(c) if assumed => format!("holds records no data asset describes (taken as {})", c.as_str()),
                    Some(c) => format!("{what} {} data", c.as_str()),
                    None => format!("{what} no classified data"),
                };
                self.ob(hit, || why)
            }
            Cond::Tagged(tags) => {
                let have = match s {
                    Subject::Element(i) => &self.view.element_facts[i].tags,
                    Subject::Flow(f) => &self.flow_facts(f).tags,
                };
                let mut hit: Vec<&String> = tags.iter().filter(|t| have.contains(*t)).collect();
                hit.sort();
                let why = if hit.is_empty() {
                    format!("no data tagged {}", tags.join("/"))
                } else {
                    format!("data tagged {}", hit.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "))
                };
                self.ob(!hit.is_empty(), || why)
            }
            Cond::Source(inner) | Cond::Target(inner) => match s {
                Subject::Flow(f) => {
                    let (_, a, b) = self.view.flows[f];
                    let (end, label) = if matches!(cond, Cond::Source(_)) { (a, "source") } else { (b, "target") };
                    let mut o = self.eval(inner, Subject::Element(end));
                    if self.explain && !o.why.is_empty() {
                        let name = &self.view.element(end).name;
                        o.why = vec![format!("{label} `{name}` {}", join_why(&o.why))];
                    }
                    o
                }
                Subject::Element(_) => self.ob(false, String::new),
            },
            Cond::AnyInbound(inner) | Cond::AnyOutbound(inner) => match s {
                Subject::Element(i) => {
                    let inbound = matches!(cond, Cond::AnyInbound(_));
                    let list = if inbound { &self.view.inbound[i] } else { &self.view.outbound[i] };
                    let mut unknown: Option<Outcome> = None;
                    for &fl in list {
                        let mut o = self.eval(inner, Subject::Flow(fl));
                        if o.tri == Tri::False {
                            continue;
                        }
                        let (fi, a, b) = self.view.flows[fl];
                        let label = &self.view.model.flows[fi].label;
                        let other = if inbound { &self.view.element(a).name } else { &self.view.element(b).name };
                        let dir = if inbound { "from" } else { "to" };
                        let flow_desc = if label.is_empty() {
                            format!("flow {dir} `{other}`")
                        } else {
                            format!("flow `{label}` {dir} `{other}`")
                        };
                        o.why = vec![format!("{flow_desc}: {}", join_why(&o.why))];
                        match o.tri {
                            Tri::True => return o,
                            Tri::Unknown if unknown.is_none() => unknown = Some(o),
                            _ => {}
                        }
                    }
                    let dir = if inbound { "inbound" } else { "outbound" };
                    unknown.unwrap_or_else(|| self.ob(false, || format!("has no {dir} flow of that kind")))
                }
                Subject::Flow(_) => self.ob(false, String::new),
            },
        }
    }

    fn flow_facts(&self, f: usize) -> &crate::graph::FlowFacts {
        &self.view.flow_facts[f]
    }

    fn property(&self, name: &str, op: &Op, defs: &[&'static PropertyDef], s: Subject) -> Outcome {
        let (props, def) = match s {
            Subject::Element(i) => {
                let e: &Element = self.view.element(i);
                let cat = self.view.categories[i];
                let def = defs.iter().copied().find(|d| match d.scope {
                    PropScope::Element(k, cats) => k == e.kind && (cats.is_empty() || cats.contains(&cat)),
                    PropScope::Flow => false,
                });
                (&e.properties, def)
            }
            Subject::Flow(f) => (
                &self.view.model.flows[self.view.flows[f].0].properties,
                defs.iter().copied().find(|d| d.scope == PropScope::Flow),
            ),
        };
        // A property that does not exist for this subject's kind or category
        // cannot match: "not applicable" is false, not unknown.
        let Some(def) = def else {
            return self.ob(false, String::new);
        };
        if let Op::IsSet(want) = op {
            let set = props.contains_key(name);
            let why = match props.get(name) {
                Some(v) => format!("`{name}` is {v}"),
                None => format!("`{name}` is not set"),
            };
            return self.ob(set == *want, || why);
        }
        let (value, assumed) = match props.get(name) {
            Some(v) => (v.clone(), false),
            None => match def.default {
                Some(d) => (d.to_value(), true),
                None => {
                    let mut o = self.on(Tri::Unknown, false, || format!("`{name}` is not set (unknown)"));
                    if self.explain {
                        o.unset.push((s, def.name));
                    }
                    return o;
                }
            },
        };
        let why =
            if assumed { format!("`{name}` is {value} (not set; default)") } else { format!("`{name}` is {value}") };
        let mut o = self.on(if compare(&value, op) { Tri::True } else { Tri::False }, assumed, || why);
        if assumed && self.explain {
            o.unset.push((s, def.name));
        }
        o
    }

    fn fact(&self, fact: FactId, op: Option<&Op>, s: Subject) -> Outcome {
        match s {
            Subject::Element(i) => self.element_fact(fact, op, i),
            Subject::Flow(fl) => self.flow_fact(fact, op, fl),
        }
    }

    /// Names of elements for a rationale. At most five names; a role shared
    /// by 900 functions is explained by its count, not by a wall of names.
    fn names(&self, ids: &[usize]) -> String {
        const SHOWN: usize = 5;
        let v = self.view;
        let mut s = ids.iter().take(SHOWN).map(|&i| format!("`{}`", v.element(i).name)).collect::<Vec<_>>().join(", ");
        if ids.len() > SHOWN {
            s.push_str(&format!(" and {} more", ids.len() - SHOWN));
        }
        s
    }

    /// An element fact other than a grant fact.
    fn element_fact(&self, fact: FactId, op: Option<&Op>, i: usize) -> Outcome {
        let v = self.view;
        let f = &v.element_facts[i];
        let e = v.element(i);
        match fact {
            FactId::InternetFacing => {
                let mut o = self.flag(
                    f.internet_facing,
                    || format!("is Internet-facing: {}", f.internet_facing_why),
                    "is not Internet-facing",
                );
                o.assumed = f.internet_facing && f.internet_facing_assumed;
                o
            }
            FactId::InternetReachable => self.flag(
                f.internet_reachable,
                || format!("is reachable from the Internet (from {})", f.untrusted_origin),
                "is not reachable from the Internet",
            ),
            FactId::UntrustedInput => self.flag(
                f.untrusted_input,
                || format!("receives untrusted data from {}", f.untrusted_origin),
                "receives no untrusted data",
            ),
            FactId::UntrustedAsyncInput => self.flag(
                f.untrusted_async_input,
                || format!("receives untrusted data through an asynchronous chain from {}", f.untrusted_origin),
                "receives no untrusted data asynchronously",
            ),
            FactId::UntrustedSource => self.flag(f.untrusted_source, || "is an untrusted party".into(), "is trusted"),
            FactId::AttackPaths => self.num(op, f.attack_paths, || {
                if f.attack_paths > 0 {
                    format!(
                        "is reached by {} attack path(s) from the Internet, shortest: {}",
                        f.attack_paths,
                        f.shortest_attack_path
                            .iter()
                            .map(|&x| v.element(x).name.as_str())
                            .collect::<Vec<_>>()
                            .join(" → ")
                    )
                } else {
                    "has no attack path from the Internet".into()
                }
            }),
            FactId::InTriggerLoop => self.flag(
                f.in_trigger_loop,
                || format!("is in a trigger loop with {}", self.names(&f.loop_members)),
                "is in no trigger loop",
            ),
            FactId::FanIn => self.num(op, f.fan_in, || format!("has {} inbound flow(s)", f.fan_in)),
            FactId::FanOut => self.num(op, f.fan_out, || format!("has {} outbound flow(s)", f.fan_out)),
            FactId::HasGrants
            | FactId::GrantWithoutFlow
            | FactId::WildcardAction
            | FactId::WildcardResource
            | FactId::AdminActions
            | FactId::LogTamperActions
            | FactId::ResourceExposure
            | FactId::UnmodelledGrant
            | FactId::BlastRadius
            | FactId::BlastRadiusSensitive
            | FactId::SharedRole => self.grant_fact(fact, op, i),
            FactId::SecretEnv => {
                let env = match e.properties.get("environment") {
                    Some(Value::List(l)) => secret_like_env(l),
                    _ => Vec::new(),
                };
                match e.properties.get("secrets_in_env") {
                    Some(Value::Bool(true)) => self
                        .ob(true, || "keeps secrets in plain environment variables (`secrets_in_env` is true)".into()),
                    _ if !env.is_empty() => {
                        self.ob(true, || format!("environment variables look like secrets: {}", env.join(", ")))
                    }
                    _ => self.ob(false, || "no secret-looking environment variables".into()),
                }
            }
            FactId::RuntimeEol => match e.properties.get("runtime") {
                Some(Value::Str(r)) => match runtime_status(r, self.as_of) {
                    RuntimeStatus::EndOfLife { since } => {
                        self.ob(true, || format!("runtime {r} reached end of support on {since}"))
                    }
                    RuntimeStatus::Supported => self.ob(false, || format!("runtime {r} is supported")),
                    RuntimeStatus::Unknown => {
                        self.on(Tri::Unknown, false, || format!("runtime {r} is not in the support table"))
                    }
                },
                _ if e.kind == ElementKind::Function => {
                    let mut o = self.on(Tri::Unknown, false, || "`runtime` is not set (unknown)".into());
                    if self.explain {
                        o.unset.push((Subject::Element(i), "runtime"));
                    }
                    o
                }
                _ => self.ob(false, String::new),
            },
            FactId::VisibilityBelowConsumerTimeout => match &f.consumer_timeout_over_visibility {
                Some(w) => {
                    let mut o = self.ob(true, || w.clone());
                    o.assumed = f.consumer_timeout_assumed;
                    o
                }
                None => self.ob(false, || "visibility timeout covers its consumers".into()),
            },
            FactId::CrossesBoundary
            | FactId::BoundariesCrossed
            | FactId::FromUntrusted
            | FactId::Async
            | FactId::Plaintext => self.ob(false, String::new),
        }
    }

    /// A fact about the permission grants of a function.
    fn grant_fact(&self, fact: FactId, op: Option<&Op>, i: usize) -> Outcome {
        let v = self.view;
        let f = &v.element_facts[i];
        match fact {
            FactId::HasGrants => {
                let n = f.grant_count;
                self.flag(n > 0, || format!("holds {n} permission grant(s)"), "holds no permission grants")
            }
            FactId::GrantWithoutFlow => self.flag(
                !f.grant_without_flow.is_empty(),
                || f.grant_without_flow.join("; "),
                "uses every resource it is granted",
            ),
            FactId::WildcardAction => self.flag(
                !f.wildcard_actions.is_empty(),
                || format!("is granted wildcard actions {}", f.wildcard_actions.join(", ")),
                "has no wildcard actions",
            ),
            FactId::WildcardResource => self.flag(
                f.wildcard_resource,
                || "is granted access to every resource (`*`)".into(),
                "has no wildcard resources",
            ),
            FactId::AdminActions => self.flag(
                !f.admin_actions.is_empty(),
                || format!("is granted privilege-escalation actions {}", f.admin_actions.join(", ")),
                "has no privilege-escalation actions",
            ),
            FactId::LogTamperActions => self.flag(
                !f.log_tamper_actions.is_empty(),
                || format!("may delete or alter logs ({})", f.log_tamper_actions.join(", ")),
                "cannot alter logs",
            ),
            FactId::ResourceExposure => self.flag(
                !f.resource_exposure_actions.is_empty(),
                || {
                    format!(
                        "may change who can access a resource (Permissions management): {}",
                        f.resource_exposure_actions.join(", ")
                    )
                },
                "holds no Permissions-management actions",
            ),
            FactId::UnmodelledGrant => self.flag(
                !f.unmodelled_grants.is_empty(),
                || format!("is granted access to resources not in the model: {}", f.unmodelled_grants.join(", ")),
                "has no grants outside the model",
            ),
            FactId::BlastRadius => {
                let size = f.blast_radius_size(v.resource_count);
                let what = if f.wildcard_resource {
                    format!("every store and trigger in the model ({size})")
                } else {
                    self.names(&f.blast_radius)
                };
                self.num(op, size, || format!("can reach {size} resource(s) if compromised: {what}"))
            }
            FactId::BlastRadiusSensitive => self.flag(
                f.blast_radius_sensitive,
                || "its grants reach confidential or restricted data".into(),
                "its grants reach no sensitive data",
            ),
            FactId::SharedRole => self.flag(
                !f.shared_role_with.is_empty(),
                || format!("shares its role with {}", self.names(&f.shared_role_with)),
                "has a role of its own",
            ),
            _ => self.ob(false, String::new),
        }
    }

    fn flow_fact(&self, fact: FactId, op: Option<&Op>, fl: usize) -> Outcome {
        let f = self.flow_facts(fl);
        match fact {
            FactId::CrossesBoundary => self.flag(
                f.crosses_boundary,
                || format!("crosses {} trust boundary(ies)", f.boundaries_crossed),
                "stays inside one trust boundary",
            ),
            FactId::BoundariesCrossed => {
                self.num(op, f.boundaries_crossed, || format!("crosses {} trust boundary(ies)", f.boundaries_crossed))
            }
            FactId::FromUntrusted => {
                self.flag(f.from_untrusted, || "starts at an untrusted party".into(), "starts at a trusted element")
            }
            FactId::Async => self.flag(f.is_async, || "is asynchronous".into(), "is synchronous"),
            FactId::Plaintext => match f.encrypted {
                Some(false) => self.ob(true, || "is not encrypted in transit".into()),
                Some(true) => self.ob(false, || "is encrypted in transit".into()),
                None => {
                    let mut o = self.on(Tri::Unknown, false, || "encryption in transit is not stated (unknown)".into());
                    if self.explain {
                        o.unset.push((Subject::Flow(fl), "encrypted"));
                    }
                    o
                }
            },
            _ => self.ob(false, String::new),
        }
    }
}

/// Joins the explanations of one subject into a single clause.
fn join_why(parts: &[String]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for p in parts {
        if !p.is_empty() && !seen.contains(&p.as_str()) {
            seen.push(p);
        }
    }
    seen.join(", ")
}

fn lit_eq(v: &Value, l: &Lit) -> bool {
    match (v, l) {
        (Value::Bool(a), Lit::Bool(b)) => a == b,
        (Value::Int(a), Lit::Int(b)) => a == b,
        (Value::Str(a), Lit::Str(b)) => a == b,
        (Value::List(a), Lit::Str(b)) => a.len() == 1 && &a[0] == b,
        _ => false,
    }
}

/// Glob match (case-insensitive, as IAM actions are): the graph's IAM glob.
pub use crate::graph::access::glob;

fn compare(v: &Value, op: &Op) -> bool {
    match op {
        Op::Equals(l) => lit_eq(v, l),
        Op::NotEquals(l) => !lit_eq(v, l),
        Op::In(ls) => ls.iter().any(|l| lit_eq(v, l)),
        Op::Gt(n) => matches!(v, Value::Int(i) if i > n),
        Op::Gte(n) => matches!(v, Value::Int(i) if i >= n),
        Op::Lt(n) => matches!(v, Value::Int(i) if i < n),
        Op::Lte(n) => matches!(v, Value::Int(i) if i <= n),
        Op::IsSet(_) => true,
        Op::Contains(x) => matches!(v, Value::List(items) if items.iter().any(|i| i == x)),
        Op::ContainsMatch(g) => matches!(v, Value::List(items) if items.iter().any(|i| glob(g, i))),
        Op::Matches(g) => matches!(v, Value::Str(s) if glob(g, s)),
    }
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn glob_matches_like_iam() {
        assert!(glob("*", "anything"));
        assert!(glob("s3:*", "S3:GetObject"));
        assert!(glob("*FullAccess", "AmazonS3FullAccess"));
        assert!(!glob("s3:*", "dynamodb:GetItem"));
        assert!(glob("a*b*c", "aXXbYYc"));
        assert!(!glob("a*b*c", "aXXbYY"));
    }
}
