//! The mitigation plan of an analysis: the mitigations of the open threats
//! grouped by the practice they come from, each group and action with the
//! risk it removes (the sum of the residual scores of the open threats it
//! addresses), ordered by that risk.
//!
//! Computed here so that the PDF report and the desktop app show the same
//! plan. Pure. Must not: do IO or change any threat.

use crate::engine::Threat;
use crate::model::TriageStatus;
use crate::rules::practice::PRACTICES;
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// What a group of mitigations comes from.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum PlanKey {
    /// A practice of the practice guide (`rules::practice::PRACTICES`), or an
    /// unknown practice id named by a user's rule.
    Practice(String),
    /// A named public standard, when no practice covers the mitigation.
    Standard(String),
    /// Neither a practice nor a standard.
    Other,
}

impl PlanKey {
    fn of(m: &crate::rules::Mitigation) -> PlanKey {
        match (&m.practice, &m.standard) {
            (Some(p), _) => PlanKey::Practice(p.clone()),
            (None, Some(s)) => PlanKey::Standard(s.clone()),
            (None, None) => PlanKey::Other,
        }
    }

    /// The tie-break order of groups with equal risk (kept from the first
    /// report: practice ids, `other` and `standard:NAME` sorted as text).
    fn sort_text(&self) -> String {
        match self {
            PlanKey::Practice(p) => p.clone(),
            PlanKey::Standard(s) => format!("standard:{s}"),
            PlanKey::Other => "other".into(),
        }
    }
}

/// One practice (or standard) and its actions.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanGroup {
    pub key: PlanKey,
    /// The practice's title, the standard's name, or the id in title case.
    pub title: String,
    /// The practice guide's words, for known practices.
    pub guide: Option<String>,
    /// Sum of the scores of the distinct open threats of the group.
    pub risk_removed: u32,
    /// Distinct open threats the group addresses.
    pub open_threats: usize,
    /// Ordered by risk removed, then text.
    pub actions: Vec<PlanAction>,
}

/// One mitigation text and the open threats it addresses.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanAction {
    pub text: String,
    /// The threats, in register order.
    pub threats: Vec<Uuid>,
    pub risk_removed: u32,
    /// The targets of those threats, sorted, each once.
    pub targets: Vec<String>,
}

/// The plan of `threats` (already ranked): only open threats count.
pub fn mitigation_plan(threats: &[Threat]) -> Vec<PlanGroup> {
    // Sort text of the key -> (key, action text -> threat indices).
    let mut groups: BTreeMap<String, (PlanKey, BTreeMap<String, Vec<usize>>)> = BTreeMap::new();
    for (i, t) in threats.iter().enumerate().filter(|(_, t)| t.status == TriageStatus::Open) {
        for m in t.mitigations.iter() {
            let key = PlanKey::of(m);
            let entry = groups.entry(key.sort_text()).or_insert_with(|| (key, BTreeMap::new()));
            let list = entry.1.entry(m.text.clone()).or_default();
            if !list.contains(&i) {
                list.push(i);
            }
        }
    }
    let risk = |ids: &[usize]| ids.iter().map(|&i| u32::from(threats[i].score)).sum::<u32>();
    let mut ordered: Vec<(String, PlanGroup)> = groups
        .into_iter()
        .map(|(sort, (key, actions))| {
            let mut all: Vec<usize> = actions.values().flatten().copied().collect();
            all.sort_unstable();
            all.dedup();
            let mut actions: Vec<PlanAction> = actions
                .into_iter()
                .map(|(text, ids)| {
                    let mut targets: Vec<String> = ids.iter().map(|&i| threats[i].target.name.clone()).collect();
                    targets.sort_unstable();
                    targets.dedup();
                    PlanAction {
                        text,
                        risk_removed: risk(&ids),
                        threats: ids.iter().map(|&i| threats[i].id).collect(),
                        targets,
                    }
                })
                .collect();
            actions.sort_by(|a, b| b.risk_removed.cmp(&a.risk_removed).then(a.text.cmp(&b.text)));
            let practice = match &key {
                PlanKey::Practice(p) => PRACTICES.iter().find(|x| x.id == p),
                _ => None,
            };
            let title = match (&key, practice) {
                (_, Some(p)) => p.title.to_string(),
                (PlanKey::Standard(s), None) => s.clone(),
                (PlanKey::Practice(p), None) => title_case(p),
                (PlanKey::Other, None) => "Other".to_string(),
            };
            let group = PlanGroup {
                title,
                guide: practice.map(|p| p.guide.to_string()),
                risk_removed: risk(&all),
                open_threats: all.len(),
                actions,
                key,
            };
            (sort, group)
        })
        .collect();
    ordered.sort_by(|a, b| b.1.risk_removed.cmp(&a.1.risk_removed).then(a.0.cmp(&b.0)));
    ordered.into_iter().map(|(_, g)| g).collect()
}

/// `some_id` as `Some id`.
fn title_case(s: &str) -> String {
    let s = s.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
