//! Differences between two analyses: threats added, removed (resolved),
//! re-scored and re-triaged, matched by their stable ids.
//! Must not: run an analysis or do IO (it compares two finished ones).

use super::{Analysis, Threat};
use crate::model::TriageStatus;
use crate::risk::Severity;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// A threat as listed in a diff.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Item {
    pub id: Uuid,
    pub rule: String,
    pub title: String,
    pub target: String,
    pub score: u8,
    pub severity: Severity,
    pub status: TriageStatus,
}

impl From<&Threat> for Item {
    fn from(t: &Threat) -> Self {
        Item {
            id: t.id,
            rule: t.rule.clone(),
            title: t.title.clone(),
            target: t.target.name.clone(),
            score: t.score,
            severity: t.severity,
            status: t.status,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rescored {
    pub threat: Item,
    pub old_score: u8,
    pub old_severity: Severity,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Retriaged {
    pub threat: Item,
    pub old_status: TriageStatus,
}

/// The difference between two analyses, in ranked order of the new one.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AnalysisDiff {
    pub added: Vec<Item>,
    pub removed: Vec<Item>,
    pub rescored: Vec<Rescored>,
    pub retriaged: Vec<Retriaged>,
}

impl AnalysisDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.rescored.is_empty() && self.retriaged.is_empty()
    }

    /// Human-readable listing.
    pub fn text(&self) -> String {
        if self.is_empty() {
            return "no differences in threats\n".into();
        }
        let line = |sign: &str, t: &Item| {
            format!("  {sign} {:<8} {:>2}  {}  {} — {}\n", t.severity.as_str(), t.score, t.rule, t.title, t.target)
        };
        let mut out = String::new();
        if !self.added.is_empty() {
            out.push_str(&format!("added ({}):\n", self.added.len()));
            self.added.iter().for_each(|t| out.push_str(&line("+", t)));
        }
        if !self.removed.is_empty() {
            out.push_str(&format!("removed ({}):\n", self.removed.len()));
            self.removed.iter().for_each(|t| out.push_str(&line("-", t)));
        }
        if !self.rescored.is_empty() {
            out.push_str(&format!("re-scored ({}):\n", self.rescored.len()));
            for r in &self.rescored {
                out.push_str(&format!(
                    "  ~ {}  {} — {}: {} {} → {} {}\n",
                    r.threat.rule,
                    r.threat.title,
                    r.threat.target,
                    r.old_severity.as_str(),
                    r.old_score,
                    r.threat.severity.as_str(),
                    r.threat.score
                ));
            }
        }
        if !self.retriaged.is_empty() {
            out.push_str(&format!("triage changed ({}):\n", self.retriaged.len()));
            for r in &self.retriaged {
                out.push_str(&format!(
                    "  * {}  {} — {}: {} → {}\n",
                    r.threat.rule,
                    r.threat.title,
                    r.threat.target,
                    r.old_status.as_str(),
                    r.threat.status.as_str()
                ));
            }
        }
        out
    }
}

/// Compares two analyses.
pub fn diff(old: &Analysis, new: &Analysis) -> AnalysisDiff {
    let before: HashMap<Uuid, &Threat> = old.threats.iter().map(|t| (t.id, t)).collect();
    let after: HashMap<Uuid, &Threat> = new.threats.iter().map(|t| (t.id, t)).collect();
    let mut d = AnalysisDiff::default();
    for t in &new.threats {
        match before.get(&t.id) {
            None => d.added.push(t.into()),
            Some(o) => {
                if o.score != t.score || o.severity != t.severity {
                    d.rescored.push(Rescored { threat: t.into(), old_score: o.score, old_severity: o.severity });
                }
                if o.status != t.status {
                    d.retriaged.push(Retriaged { threat: t.into(), old_status: o.status });
                }
            }
        }
    }
    d.removed = old.threats.iter().filter(|t| !after.contains_key(&t.id)).map(Item::from).collect();
    d
}
