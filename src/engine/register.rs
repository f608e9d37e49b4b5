//! The register for people: the findings of one rule with one severity
//! grouped across their targets ("Function runs on an end-of-life runtime —
//! 23 functions"), ranked by their highest-ranked finding. Markdown and the
//! PDF show the groups, expandable to every finding; JSON, CSV and SARIF keep
//! one result per target. Must not: score or re-rank threats.

use super::Threat;
use crate::model::risk_settings::Severity;
use crate::model::TriageStatus;
use std::collections::HashMap;

/// One row of the grouped register.
#[derive(Debug)]
pub struct RegisterGroup<'a> {
    pub rule: &'a str,
    pub severity: Severity,
    /// The group's findings in rank order; never empty.
    pub threats: Vec<&'a Threat>,
}

impl RegisterGroup<'_> {
    /// The highest-ranked finding, whose title, category and score the row shows.
    pub fn top(&self) -> &Threat {
        self.threats[0]
    }

    /// Findings still open.
    pub fn open(&self) -> usize {
        self.threats.iter().filter(|t| t.status == TriageStatus::Open).count()
    }

    /// The targets' names in rank order.
    pub fn targets(&self) -> Vec<&str> {
        self.threats.iter().map(|t| t.target.name.as_str()).collect()
    }
}

/// The ranked threats grouped by rule and severity, in the rank of each
/// group's first finding.
pub fn register_groups(threats: &[Threat]) -> Vec<RegisterGroup<'_>> {
    let mut groups: Vec<RegisterGroup<'_>> = Vec::new();
    let mut index: HashMap<(&str, Severity), usize> = HashMap::new();
    for t in threats {
        let key = (t.rule.as_str(), t.severity);
        match index.get(&key) {
            Some(&g) => groups[g].threats.push(t),
            None => {
                index.insert(key, groups.len());
                groups.push(RegisterGroup { rule: &t.rule, severity: t.severity, threats: vec![t] });
            }
        }
    }
    groups
}
