//! The STRIDE engine: evaluates the rule catalog per element and per flow
//! over the graph view, and produces threats with a stable id, the target,
//! the matched facts as rationale, confidence, mitigations and references.
//!
//! Pure and deterministic: same model, catalog and options in, identical
//! analysis out. Analysis never fails: problems of a half-drawn model are
//! reported as diagnostics beside the threats. Must not: do IO.

pub mod diff;
mod findings;
pub(crate) mod heat_map;
pub(crate) mod plan;
mod register;
pub mod session;
pub mod triage;

pub use findings::{AttackPath, BlastRadius, GraphFindings, Highlight, TriggerLoop};
pub use heat_map::{HeatCell, HeatMap};
pub use plan::{PlanAction, PlanGroup, PlanKey};
pub use register::{register_groups, RegisterGroup};

use crate::graph::GraphView;
use crate::model::{ids::threat_id, validate, Classification, ElementKind, Model, Problem, TriageStatus, Value};
use crate::risk::cost::{self, DowEstimate, FunctionLimits};
use crate::risk::{assess, Bands, Context, Severity};
use crate::rules::eval::Ctx;
use crate::rules::{Catalog, Confidence, Mitigation, References, Rule, Stride, Subject};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use uuid::Uuid;

/// Analysis options.
#[derive(Clone, Debug)]
pub struct Options {
    /// Analysis date (ISO `YYYY-MM-DD`), used for runtime end-of-life.
    pub as_of: String,
    /// Rule ids to skip.
    pub disabled: BTreeSet<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options { as_of: crate::graph::runtime_table_checked().to_string(), disabled: BTreeSet::new() }
    }
}

/// What a threat is about.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Target {
    pub id: Uuid,
    pub name: String,
    /// `function`, `trigger`, `store`, `external` or `flow`.
    pub kind: String,
    /// Vendor type of an element, empty for flows.
    #[serde(rename = "type")]
    pub vendor_type: String,
}

/// One derived threat.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Threat {
    pub id: Uuid,
    pub rule: String,
    pub title: String,
    pub category: Stride,
    pub description: Arc<str>,
    pub target: Target,
    pub confidence: Confidence,
    /// Residual likelihood, impact, score and severity: what the register ranks by.
    pub likelihood: u8,
    pub impact: u8,
    pub score: u8,
    pub severity: Severity,
    /// Before the mitigations recorded on the element.
    pub inherent_likelihood: u8,
    pub inherent_impact: u8,
    pub inherent_score: u8,
    pub inherent_severity: Severity,
    /// Why the score is what it is: base values and each modifier that moved it.
    pub explanation: Vec<String>,
    pub status: TriageStatus,
    /// The triage decision, when one was recorded.
    pub triage: Option<TriageInfo>,
    /// Denial-of-wallet bound, on denial-of-service threats of an exposed trigger.
    pub cost: Option<DowEstimate>,
    /// Why the rule fired: the facts that matched, in words.
    pub rationale: Vec<String>,
    pub mitigations: Arc<[Mitigation]>,
    pub references: Arc<References>,
    pub compliance: Arc<[String]>,
    pub generic: bool,
    /// The elements and flows the rationale names, the target included (for the diagram).
    pub highlight: Highlight,
    /// The properties the finding rests on while they are unset (unknown, or taken at their
    /// default), with the id of the element or flow that lacks each (the target or one the rule
    /// looked at), in the order the rule asks them: the questions of a guided session.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub unset: Vec<(Uuid, &'static str)>,
}

/// Note, owner and date of a triage decision.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TriageInfo {
    pub note: String,
    pub owner: String,
    pub date: String,
}

/// A triage decision whose threat no longer fires: resolved by design.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resolved {
    pub threat: Uuid,
    pub rule: String,
    pub target: String,
    /// The status the decision had (kept for the record).
    pub decided: TriageStatus,
    pub note: String,
    pub owner: String,
    pub date: String,
}

/// Threats touching one compliance framework.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComplianceView {
    /// `hipaa`, `pci_dss`, `gdpr`, `soc2`.
    pub framework: String,
    pub title: String,
    pub threats: Vec<ComplianceEntry>,
    pub open: usize,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComplianceEntry {
    pub id: Uuid,
    pub rule: String,
    pub title: String,
    pub target: String,
    pub severity: Severity,
    pub status: TriageStatus,
    /// Why it touches the framework: the rule's tag, or the data it concerns.
    pub reason: String,
}

/// Counts for the summary.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    pub total: usize,
    pub by_severity: BTreeMap<String, usize>,
    pub by_category: BTreeMap<String, usize>,
    pub by_status: BTreeMap<String, usize>,
    /// Open threats by severity (what a CI gate looks at).
    pub open_by_severity: BTreeMap<String, usize>,
    /// Sum of the denial-of-wallet bounds of all exposed triggers, USD per month.
    pub denial_of_wallet_usd_month: f64,
    pub elements: usize,
    pub flows: usize,
    pub rules_evaluated: usize,
}

/// Major version of the JSON analysis contract (`Analysis` as serialised,
/// the `format_version` field): raised when a field is removed, renamed or
/// changes meaning. See docs/analysis-format.md.
pub const FORMAT_VERSION: u32 = 2;

/// Minor version of the JSON analysis contract (`format_minor`, beside
/// `format_version`): raised when a field is added, set back to 0 when
/// [`FORMAT_VERSION`] goes up. An integer of its own rather than a
/// `"2.1"` string, so readers that compare `format_version` with 2 go on
/// working.
pub const FORMAT_MINOR: u32 = 1;

/// The result of an analysis.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    pub model: String,
    pub as_of: String,
    pub threats: Vec<Threat>,
    pub summary: Summary,
    /// Validation problems of the model (the analysis still ran).
    pub diagnostics: Vec<Problem>,
    /// Triage decisions whose threat no longer fires.
    pub resolved: Vec<Resolved>,
    /// Per framework, the threats that touch it.
    pub compliance: Vec<ComplianceView>,
    /// Denial-of-wallet bounds per exposed, unthrottled trigger.
    pub denial_of_wallet: Vec<DowEstimate>,
    /// The severity bands in force (the model's `risk.bands`).
    pub bands: Bands,
    /// Likelihood × impact cells with their banded severity and threat counts (residual risk).
    pub heat_map: HeatMap,
    /// Mitigations of the open threats by practice, ordered by the risk they remove.
    pub mitigation_plan: Vec<PlanGroup>,
    /// Attack paths, blast radius, trigger loops and boundary crossings, for the diagram.
    pub graph: GraphFindings,
}

fn applies(rule: &Rule, kind: crate::model::ElementKind, category: &str, vendor: &str) -> bool {
    !rule.applies_to.flows
        && rule.applies_to.kinds.contains(&kind)
        && (rule.applies_to.categories.is_empty() || rule.applies_to.categories.iter().any(|c| c == category))
        && (rule.applies_to.vendors.is_empty() || rule.applies_to.vendors.iter().any(|v| v == vendor))
}

/// Runs the analysis.
pub fn analyze(model: &Model, catalog: &Catalog, options: &Options) -> Analysis {
    let view = GraphView::build(model);
    let ctx = Ctx { view: &view, as_of: &options.as_of, explain: false };
    let explain = Ctx { view: &view, as_of: &options.as_of, explain: true };
    let rules: Vec<&Rule> = catalog.rules.iter().filter(|r| !options.disabled.contains(&r.id)).collect();
    let dow = denial_of_wallet(&view);
    let mut threats = Vec::new();

    // Rules applicable to each (kind, category, vendor), resolved once; then
    // every element and flow evaluated in parallel, in model order (the
    // register is ranked afterwards, so the output does not depend on threads).
    let mut applicable: std::collections::HashMap<(ElementKind, &str, &str), Vec<&Rule>> =
        std::collections::HashMap::new();
    let keys: Vec<(ElementKind, &str, &str)> = model
        .elements
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let key = (e.kind, view.categories[i], crate::model::kind::vendor_of(&e.vendor_type));
            applicable
                .entry(key)
                .or_insert_with(|| rules.iter().copied().filter(|r| applies(r, key.0, key.1, key.2)).collect());
            key
        })
        .collect();
    let flow_rules: Vec<&Rule> = rules.iter().copied().filter(|r| r.applies_to.flows).collect();
    let per_element: Vec<Vec<Threat>> = (0..model.elements.len())
        .into_par_iter()
        .with_min_len(64)
        .map(|i| {
            let e = &model.elements[i];
            let target = Target {
                id: e.id.0,
                name: e.name.clone(),
                kind: e.kind.as_str().to_string(),
                vendor_type: e.vendor_type.clone(),
            };
            let found =
                applicable[&keys[i]].iter().filter_map(|r| fire(&ctx, &explain, r, Subject::Element(i), &target, &dow));
            suppress_generic(found.collect())
        })
        .collect();
    let per_flow: Vec<Vec<Threat>> = (0..view.flows.len())
        .into_par_iter()
        .with_min_len(64)
        .map(|fl| {
            let (fi, a, b) = view.flows[fl];
            let f = &model.flows[fi];
            let (from, to) = (&model.elements[a].name, &model.elements[b].name);
            let name =
                if f.label.is_empty() { format!("{from} → {to}") } else { format!("{from} → {to} ({})", f.label) };
            let target = Target { id: f.id.0, name, kind: "flow".into(), vendor_type: String::new() };
            let found = flow_rules.iter().filter_map(|r| fire(&ctx, &explain, r, Subject::Flow(fl), &target, &dow));
            suppress_generic(found.collect())
        })
        .collect();
    threats.extend(per_element.into_iter().flatten());
    threats.extend(per_flow.into_iter().flatten());

    // Triage: apply decisions; decisions without a threat are resolved by design.
    let decisions: std::collections::HashMap<Uuid, &crate::model::TriageDecision> =
        model.triage.iter().map(|d| (d.threat, d)).collect();
    let mut seen = BTreeSet::new();
    for t in &mut threats {
        if let Some(d) = decisions.get(&t.id) {
            t.status = d.status;
            t.triage = Some(TriageInfo { note: d.note.clone(), owner: d.owner.clone(), date: d.date.clone() });
            seen.insert(t.id);
        }
    }
    let resolved = model
        .triage
        .iter()
        .filter(|d| !seen.contains(&d.threat))
        .map(|d| Resolved {
            threat: d.threat,
            rule: d.rule.clone(),
            target: d.target.clone(),
            decided: d.status,
            note: d.note.clone(),
            owner: d.owner.clone(),
            date: d.date.clone(),
        })
        .collect();
    rank(&mut threats);

    let mut summary = Summary {
        total: threats.len(),
        elements: model.elements.len(),
        flows: model.flows.len(),
        rules_evaluated: rules.len(),
        denial_of_wallet_usd_month: dow.iter().map(|d| d.usd_per_month).fold(0.0, |a, b| a + b),
        ..Summary::default()
    };
    for s in Severity::ALL {
        summary.by_severity.insert(s.as_str().to_string(), 0);
        summary.open_by_severity.insert(s.as_str().to_string(), 0);
    }
    for s in TriageStatus::ALL {
        summary.by_status.insert(s.as_str().to_string(), 0);
    }
    // Counted by key without allocating a key per threat (62,000 threats made 250,000 strings).
    fn bump(map: &mut BTreeMap<String, usize>, key: &str) {
        match map.get_mut(key) {
            Some(n) => *n += 1,
            None => {
                map.insert(key.to_string(), 1);
            }
        }
    }
    for t in &threats {
        bump(&mut summary.by_severity, t.severity.as_str());
        bump(&mut summary.by_category, t.category.as_str());
        bump(&mut summary.by_status, t.status.as_str());
        if t.status == TriageStatus::Open {
            bump(&mut summary.open_by_severity, t.severity.as_str());
        }
    }
    let mut worst: BTreeMap<Uuid, Severity> = BTreeMap::new();
    for t in threats.iter().filter(|t| t.status == TriageStatus::Open) {
        let w = worst.entry(t.target.id).or_insert(t.severity);
        *w = (*w).max(t.severity);
    }
    Analysis {
        format_version: FORMAT_VERSION,
        graph: findings::graph_findings(&view, &worst),
        model: model.name.clone(),
        bands: model.risk.bands,
        heat_map: heat_map::heat_map(&model.risk, &threats),
        mitigation_plan: plan::mitigation_plan(&threats),
        as_of: options.as_of.clone(),
        compliance: compliance(&view, &threats),
        threats,
        summary,
        diagnostics: validate(model),
        resolved,
        denial_of_wallet: dow,
    }
}

/// Evaluates one rule on one subject and scores the threat in its context.
fn fire(ctx: &Ctx, explain: &Ctx, rule: &Rule, s: Subject, target: &Target, dow: &[DowEstimate]) -> Option<Threat> {
    let confidence = ctx.eval(&rule.when, s).fires()?;
    let outcome = explain.eval(&rule.when, s);
    let mut unset: Vec<(Uuid, &'static str)> = Vec::new();
    for (on, name) in outcome.unset {
        let id = match on {
            Subject::Element(i) => ctx.view.element(i).id.0,
            Subject::Flow(fl) => ctx.view.model.flows[ctx.view.flows[fl].0].id.0,
        };
        if !unset.contains(&(id, name)) {
            unset.push((id, name));
        }
    }
    let mut rationale: Vec<String> = Vec::new();
    for w in outcome.why {
        if !w.is_empty() && !rationale.contains(&w) {
            rationale.push(w);
        }
    }
    let view = ctx.view;
    let less_likely = rule
        .less_likely_when
        .iter()
        .find(|l| ctx.eval(&l.when, s).fires().is_some_and(|c| c >= Confidence::Medium))
        .map(|l| (l.likelihood, l.because.clone()));
    let mut context = Context {
        base_likelihood: rule.likelihood,
        base_impact: rule.impact,
        less_likely,
        unknown: confidence == Confidence::Low,
        ..Context::default()
    };
    let (classification, tags) = match s {
        Subject::Element(i) => {
            let f = &view.element_facts[i];
            let e = view.element(i);
            if !rule.uses_exposure {
                context.internet_facing = f.internet_facing;
                context.attack_paths = f.attack_paths;
            }
            if !rule.uses_privilege
                && e.kind == ElementKind::Function
                && matches!(rule.category, Stride::ElevationOfPrivilege | Stride::Tampering)
            {
                context.blast_radius_sensitive = f.blast_radius_sensitive;
            }
            let practices: BTreeSet<&str> = rule.mitigations.iter().filter_map(|m| m.practice.as_deref()).collect();
            context.mitigations_in_place =
                e.mitigations.iter().filter(|m| practices.contains(m.as_str())).cloned().collect();
            (f.max_classification, &f.tags)
        }
        Subject::Flow(fl) => {
            let f = &view.flow_facts[fl];
            if !rule.uses_exposure {
                context.internet_facing = f.from_untrusted;
            }
            (f.max_classification, &f.tags)
        }
    };
    if !rule.uses_data {
        context.restricted_data = classification == Some(Classification::Restricted);
        let mut regulated: Vec<String> = tags.iter().filter(|t| matches!(t.as_str(), "phi" | "pci")).cloned().collect();
        regulated.sort();
        context.regulated = regulated;
    }
    let a = assess(&context, &view.model.risk);
    let cost = match (rule.category, s) {
        (Stride::DenialOfService, Subject::Element(i)) => {
            let name = &view.element(i).name;
            dow.iter().find(|d| &d.trigger == name).cloned()
        }
        _ => None,
    };
    Some(Threat {
        id: threat_id(&rule.id, target.id),
        rule: rule.id.clone(),
        title: rule.title.clone(),
        category: rule.category,
        description: rule.description.clone(),
        target: target.clone(),
        confidence,
        likelihood: a.likelihood,
        impact: a.impact,
        score: a.score,
        severity: a.severity,
        inherent_likelihood: a.inherent_likelihood,
        inherent_impact: a.inherent_impact,
        inherent_score: a.inherent_score,
        inherent_severity: a.inherent_severity,
        explanation: a.explanation,
        status: TriageStatus::Open,
        triage: None,
        cost,
        rationale,
        mitigations: rule.mitigations.clone(),
        references: rule.references.clone(),
        compliance: rule.compliance.clone(),
        generic: rule.generic,
        highlight: findings::highlight(view, &rule.when, s),
        unset,
    })
}

/// Denial-of-wallet bounds of every Internet-facing HTTP trigger without
/// throttling that invokes functions.
fn denial_of_wallet(view: &GraphView) -> Vec<DowEstimate> {
    let mut out = Vec::new();
    for (i, e) in view.model.elements.iter().enumerate() {
        let category = view.categories[i];
        if e.kind != ElementKind::Trigger
            || !crate::model::kind::is_public_endpoint(category)
            || !view.element_facts[i].internet_facing
            || matches!(e.properties.get("throttling"), Some(Value::Bool(true)))
        {
            continue;
        }
        let int = |f: &crate::model::Element, key: &str| match f.properties.get(key) {
            Some(Value::Int(v)) => Some(*v),
            _ => None,
        };
        let mut seen = BTreeSet::new();
        let functions: Vec<FunctionLimits> = view.outbound[i]
            .iter()
            .map(|&fl| view.flows[fl].2)
            .filter(|&t| view.element(t).kind == ElementKind::Function && seen.insert(t))
            .map(|t| {
                let f = view.element(t);
                FunctionLimits {
                    name: &f.name,
                    reserved: int(f, "reserved_concurrency"),
                    timeout: int(f, "timeout").unwrap_or_else(|| schema_int("timeout")),
                    memory: int(f, "memory").unwrap_or_else(|| schema_int("memory")),
                }
            })
            .collect();
        let vendor = crate::model::kind::vendor_of(&e.vendor_type);
        let through_gateway = crate::model::kind::groups::API.contains(&category);
        if let Some(est) = cost::estimate(&e.name, vendor, through_gateway, &functions) {
            out.push(est);
        }
    }
    out
}

/// The schema's integer default of a function property the estimate needs.
fn schema_int(name: &str) -> i64 {
    crate::model::property::int_default(name).expect("the schema gives timeout and memory integer defaults")
}

/// Which threats touch each compliance framework: the rule's own tags, and
/// disclosure or tampering of data tagged for the framework.
fn compliance(view: &GraphView, threats: &[Threat]) -> Vec<ComplianceView> {
    let data_framework = |tag: &str| match tag {
        "phi" => Some("hipaa"),
        "pci" => Some("pci_dss"),
        "pii" | "gdpr" => Some("gdpr"),
        _ => None,
    };
    // Tags of every target, looked up once (threats are many).
    let mut tags: std::collections::HashMap<Uuid, Vec<&str>> = std::collections::HashMap::new();
    for (fl, &(fi, _, _)) in view.flows.iter().enumerate() {
        let mut t: Vec<&str> = view.flow_facts[fl].tags.iter().map(String::as_str).collect();
        t.sort_unstable();
        tags.insert(view.model.flows[fi].id.0, t);
    }
    for (i, e) in view.model.elements.iter().enumerate() {
        let mut t: Vec<&str> = view.element_facts[i].tags.iter().map(String::as_str).collect();
        t.sort_unstable();
        tags.insert(e.id.0, t);
    }
    crate::rules::FRAMEWORKS
        .iter()
        .map(|(id, title)| {
            let mut entries = Vec::new();
            for t in threats {
                let reason = if t.compliance.iter().any(|c| c == id) {
                    Some(format!("rule tagged {title}"))
                } else if matches!(t.category, Stride::InformationDisclosure | Stride::Tampering) {
                    tags.get(&t.target.id)
                        .and_then(|ts| ts.iter().find(|tag| data_framework(tag) == Some(id)))
                        .map(|tag| format!("concerns data tagged {tag}"))
                } else {
                    None
                };
                if let Some(reason) = reason {
                    entries.push(ComplianceEntry {
                        id: t.id,
                        rule: t.rule.clone(),
                        title: t.title.clone(),
                        target: t.target.name.clone(),
                        severity: t.severity,
                        status: t.status,
                        reason,
                    });
                }
            }
            ComplianceView {
                framework: (*id).to_string(),
                title: (*title).to_string(),
                open: entries.iter().filter(|e| e.status == TriageStatus::Open).count(),
                threats: entries,
            }
        })
        .collect()
}

/// Keeps a generic threat only where no specific threat of its STRIDE
/// category fired on the same target, and at most one per category.
fn suppress_generic(found: Vec<Threat>) -> Vec<Threat> {
    let specific: BTreeSet<Stride> = found.iter().filter(|t| !t.generic).map(|t| t.category).collect();
    let mut generic_seen = BTreeSet::new();
    found
        .into_iter()
        .filter(|t| !t.generic || (!specific.contains(&t.category) && generic_seen.insert(t.category)))
        .collect()
}

/// Total, deterministic order: score, then confidence, then rule id, target name, id.
pub fn rank(threats: &mut Vec<Threat>) {
    // Sort indices, then permute once: threats are large and many.
    let mut order: Vec<usize> = (0..threats.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&threats[i], &threats[j]);
        b.score
            .cmp(&a.score)
            .then(b.confidence.cmp(&a.confidence))
            .then(a.rule.cmp(&b.rule))
            .then(a.target.name.cmp(&b.target.name))
            .then(a.id.cmp(&b.id))
    });
    let mut slots: Vec<Option<Threat>> = std::mem::take(threats).into_iter().map(Some).collect();
    threats.extend(order.into_iter().map(|i| slots[i].take().expect("each index once")));
}

/// Whether `rule` fires on the named target of `model` (element name or
/// `From -> To`), used by the catalog's example checks.
pub fn fires_on(model: &Model, rule: &Rule, target: &str, options: &Options) -> bool {
    let mut catalog = Catalog::default();
    catalog.rules.push(rule.clone());
    let analysis = analyze(model, &catalog, options);
    analysis.threats.iter().any(|t| {
        t.target.name == target
            || (t.target.kind == "flow"
                && target
                    .split_once("->")
                    .map(|(a, b)| {
                        let prefix = format!("{} → {}", a.trim(), b.trim());
                        t.target.name == prefix || t.target.name.starts_with(&format!("{prefix} ("))
                    })
                    .unwrap_or(false))
    })
}
