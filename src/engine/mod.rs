//! The STRIDE engine: evaluates the rule catalog per element and per flow
//! over the graph view, and produces threats with a stable id, the target,
//! the matched facts as rationale, confidence, mitigations and references.
//!
//! Pure and deterministic: same model, catalog and options in, identical
//! analysis out. Analysis never fails: problems of a half-drawn model are
//! reported as diagnostics beside the threats. Must not: do IO.

use crate::graph::GraphView;
use crate::model::{ids::threat_id, validate, Model, Problem};
use crate::risk::Severity;
use crate::rules::eval::Ctx;
use crate::rules::{Catalog, Confidence, Mitigation, References, Rule, Stride, Subject};
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
        Options { as_of: crate::graph::RUNTIME_TABLE_CHECKED.to_string(), disabled: BTreeSet::new() }
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
    pub likelihood: u8,
    pub impact: u8,
    pub score: u8,
    pub severity: Severity,
    pub status: String,
    /// Why the rule fired: the facts that matched, in words.
    pub rationale: Vec<String>,
    pub mitigations: Arc<[Mitigation]>,
    pub references: Arc<References>,
    pub compliance: Arc<[String]>,
    pub generic: bool,
}

/// Counts for the summary.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    pub total: usize,
    pub by_severity: BTreeMap<String, usize>,
    pub by_category: BTreeMap<String, usize>,
    pub elements: usize,
    pub flows: usize,
    pub rules_evaluated: usize,
}

/// The result of an analysis.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    pub model: String,
    pub as_of: String,
    pub threats: Vec<Threat>,
    pub summary: Summary,
    /// Validation problems of the model (the analysis still ran).
    pub diagnostics: Vec<Problem>,
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
    let mut threats = Vec::new();

    // Rules applicable to each (kind, category, vendor), resolved once.
    let mut applicable: std::collections::HashMap<(crate::model::ElementKind, &str, &str), Vec<&Rule>> =
        std::collections::HashMap::new();
    for (i, e) in model.elements.iter().enumerate() {
        let target = Target {
            id: e.id.0,
            name: e.name.clone(),
            kind: e.kind.as_str().to_string(),
            vendor_type: e.vendor_type.clone(),
        };
        let vendor = crate::model::kind::vendor_of(&e.vendor_type);
        let category = view.categories[i];
        let list = applicable
            .entry((e.kind, category, vendor))
            .or_insert_with(|| rules.iter().copied().filter(|r| applies(r, e.kind, category, vendor)).collect());
        let found: Vec<Threat> = list
            .iter()
            .filter_map(|r| fire(&ctx, &explain, r, Subject::Element(i), &target))
            .collect();
        threats.extend(suppress_generic(found));
    }
    for fl in 0..view.flows.len() {
        let (fi, a, b) = view.flows[fl];
        let f = &model.flows[fi];
        let (from, to) = (&model.elements[a].name, &model.elements[b].name);
        let name = if f.label.is_empty() { format!("{from} → {to}") } else { format!("{from} → {to} ({})", f.label) };
        let target = Target { id: f.id.0, name, kind: "flow".into(), vendor_type: String::new() };
        let found: Vec<Threat> = rules
            .iter()
            .filter(|r| r.applies_to.flows)
            .filter_map(|r| fire(&ctx, &explain, r, Subject::Flow(fl), &target))
            .collect();
        threats.extend(suppress_generic(found));
    }
    rank(&mut threats);

    let mut summary = Summary {
        total: threats.len(),
        elements: model.elements.len(),
        flows: model.flows.len(),
        rules_evaluated: rules.len(),
        ..Summary::default()
    };
    for s in Severity::ALL {
        summary.by_severity.insert(s.as_str().to_string(), 0);
    }
    for t in &threats {
        *summary.by_severity.entry(t.severity.as_str().to_string()).or_default() += 1;
        *summary.by_category.entry(t.category.as_str().to_string()).or_default() += 1;
    }
    Analysis {
        model: model.name.clone(),
        as_of: options.as_of.clone(),
        threats,
        summary,
        diagnostics: validate(model),
    }
}

/// Evaluates one rule on one subject.
fn fire(ctx: &Ctx, explain: &Ctx, rule: &Rule, s: Subject, target: &Target) -> Option<Threat> {
    let confidence = ctx.eval(&rule.when, s).fires()?;
    let outcome = explain.eval(&rule.when, s);
    let likelihood = if confidence == Confidence::Low { rule.likelihood.saturating_sub(1).max(1) } else { rule.likelihood };
    let score = likelihood * rule.impact;
    let mut rationale: Vec<String> = Vec::new();
    for w in outcome.why {
        if !w.is_empty() && !rationale.contains(&w) {
            rationale.push(w);
        }
    }
    Some(Threat {
        id: threat_id(&rule.id, target.id),
        rule: rule.id.clone(),
        title: rule.title.clone(),
        category: rule.category,
        description: rule.description.clone(),
        target: target.clone(),
        confidence,
        likelihood,
        impact: rule.impact,
        score,
        severity: Severity::of(score),
        status: "open".into(),
        rationale,
        mitigations: rule.mitigations.clone(),
        references: rule.references.clone(),
        compliance: rule.compliance.clone(),
        generic: rule.generic,
    })
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
                && target.split_once("->").map(|(a, b)| {
                    let prefix = format!("{} → {}", a.trim(), b.trim());
                    t.target.name == prefix || t.target.name.starts_with(&format!("{prefix} ("))
                }).unwrap_or(false))
    })
}
