//! The JSON contract of `analyze --format json` (see PRODUCT.md and
//! docs/analysis-format.md, schema in docs/analysis-format.schema.json): the
//! `Analysis` with its version (`format_version`, the major, and
//! `format_minor`), lean — the text every threat of one rule shares
//! (description, mitigations, references, compliance tags) is written once,
//! in the top-level `rules` table, as SARIF does; each threat keeps its fields
//! and names its mitigations by their index in that table.
//! Must not: shape or compute anything else (the fields are `Analysis`'s own).

use crate::engine::{
    Analysis, ComplianceView, GraphFindings, HeatMap, Highlight, PlanGroup, Resolved, Summary, Target, Threat,
    TriageInfo,
};
use crate::model::{Bands, Problem, TriageStatus};
use crate::risk::cost::DowEstimate;
use crate::risk::Severity;
use crate::rules::{Confidence, Mitigation, References, Stride};
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The JSON of an analysis: compact (a 60,000-threat register is a third
/// smaller without indentation; `jq .` pretty-prints), newline-terminated.
pub fn analysis(a: &Analysis) -> String {
    let mut s = serde_json::to_string(&Lean::of(a)).expect("analysis serialises");
    s.push('\n');
    s
}

/// Writes the same JSON as [`analysis`] to `w` without building it in memory.
pub fn write(a: &Analysis, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, &Lean::of(a))?;
    w.write_all(b"\n")
}

/// `Analysis` with the shared rule text moved to `rules`.
#[derive(Serialize)]
struct Lean<'a> {
    format_version: u32,
    format_minor: u32,
    model: &'a str,
    as_of: &'a str,
    /// Per rule id, the text all its threats share.
    rules: BTreeMap<&'a str, RuleText<'a>>,
    threats: Vec<LeanThreat<'a>>,
    summary: &'a Summary,
    diagnostics: &'a [Problem],
    resolved: &'a [Resolved],
    compliance: &'a [ComplianceView],
    denial_of_wallet: &'a [DowEstimate],
    bands: &'a Bands,
    heat_map: &'a HeatMap,
    mitigation_plan: &'a [PlanGroup],
    graph: &'a GraphFindings,
}

#[derive(Serialize)]
struct RuleText<'a> {
    description: &'a str,
    mitigations: &'a [Mitigation],
    references: &'a References,
    compliance: &'a [String],
}

/// A threat without its rule's text; `mitigations` index `rules[rule].mitigations`.
#[derive(Serialize)]
struct LeanThreat<'a> {
    id: Uuid,
    rule: &'a str,
    title: &'a str,
    category: Stride,
    target: &'a Target,
    confidence: Confidence,
    likelihood: u8,
    impact: u8,
    score: u8,
    severity: Severity,
    inherent_likelihood: u8,
    inherent_impact: u8,
    inherent_score: u8,
    inherent_severity: Severity,
    explanation: &'a [String],
    status: TriageStatus,
    triage: &'a Option<TriageInfo>,
    cost: &'a Option<DowEstimate>,
    rationale: &'a [String],
    mitigations: Indices,
    generic: bool,
    highlight: &'a Highlight,
}

impl<'a> Lean<'a> {
    fn of(a: &'a Analysis) -> Self {
        let mut rules = BTreeMap::new();
        for t in &a.threats {
            rules.entry(t.rule.as_str()).or_insert_with(|| RuleText {
                description: &t.description,
                mitigations: &t.mitigations,
                references: &t.references,
                compliance: &t.compliance,
            });
        }
        Lean {
            format_version: a.format_version,
            format_minor: crate::engine::FORMAT_MINOR,
            model: &a.model,
            as_of: &a.as_of,
            rules,
            threats: a.threats.iter().map(LeanThreat::of).collect(),
            summary: &a.summary,
            diagnostics: &a.diagnostics,
            resolved: &a.resolved,
            compliance: &a.compliance,
            denial_of_wallet: &a.denial_of_wallet,
            bands: &a.bands,
            heat_map: &a.heat_map,
            mitigation_plan: &a.mitigation_plan,
            graph: &a.graph,
        }
    }
}

impl<'a> LeanThreat<'a> {
    fn of(t: &'a Threat) -> Self {
        LeanThreat {
            id: t.id,
            rule: &t.rule,
            title: &t.title,
            category: t.category,
            target: &t.target,
            confidence: t.confidence,
            likelihood: t.likelihood,
            impact: t.impact,
            score: t.score,
            severity: t.severity,
            inherent_likelihood: t.inherent_likelihood,
            inherent_impact: t.inherent_impact,
            inherent_score: t.inherent_score,
            inherent_severity: t.inherent_severity,
            explanation: &t.explanation,
            status: t.status,
            triage: &t.triage,
            cost: &t.cost,
            rationale: &t.rationale,
            mitigations: Indices(t.mitigations.len()),
            generic: t.generic,
            highlight: &t.highlight,
        }
    }
}

/// `0, 1, … n-1` as a JSON array.
struct Indices(usize);

impl Serialize for Indices {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0))?;
        for i in 0..self.0 {
            seq.serialize_element(&i)?;
        }
        seq.end()
    }
}
