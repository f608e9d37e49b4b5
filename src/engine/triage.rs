//! Triage decisions: finding a threat by its id or a unique prefix, and the
//! one policy for turning a status and a note into the decision a model
//! keeps. The CLI, the `.twm` project store and the desktop app all record
//! triage through [`record`], so the files they write agree.
//!
//! Policy, chosen once:
//! - The decision's `target` is the target's *name*. The threat id already
//!   encodes the target's id; the name is what an auditor reads in the YAML
//!   file and in "resolved by design", where the element may be gone.
//! - "Open" with no note clears the decision: it says nothing the analysis
//!   does not (every threat starts open), and kept, it would later show up
//!   as a "resolved" decision of status open. Open with a note is kept.
//!
//! Pure. Must not: do IO or read the clock or the environment (owner and date
//! are inputs).

use crate::engine::{Analysis, Threat};
use crate::model::{Model, TriageDecision, TriageStatus};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Shortest id prefix accepted.
pub const MIN_PREFIX: usize = 6;

/// What to record on which threat.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageRequest {
    /// The threat id, or a unique prefix of it (at least [`MIN_PREFIX`] characters).
    pub threat: String,
    pub status: TriageStatus,
    #[serde(default)]
    pub note: String,
    /// Who decided (resolved by the caller, e.g. `store::current_user`).
    #[serde(default)]
    pub owner: String,
    /// `YYYY-MM-DD` (resolved by the caller from the clock).
    #[serde(default)]
    pub date: String,
}

/// What [`record`] did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TriageOutcome {
    pub threat: Uuid,
    pub rule: String,
    /// The target's name.
    pub target: String,
    /// The status before.
    pub from: TriageStatus,
    pub to: TriageStatus,
    /// The decision now kept in the model; `None` when it was cleared.
    pub decision: Option<TriageDecision>,
}

/// Why a triage request names no single current threat.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TriageError {
    #[error("no threat with id `{given}` in this model (ids are listed by `threatwright analyze`; give at least 6 characters)")]
    Unknown { given: String },
    #[error("threat id prefix `{given}` is ambiguous ({count} threats); give more characters")]
    Ambiguous { given: String, count: usize },
    #[error("threat `{given}` no longer fires (resolved by design); its decision is kept as it is")]
    NoLongerFires { given: String },
}

/// The current threat `given` names: its full id or a unique prefix.
pub fn find<'a>(model: &Model, analysis: &'a Analysis, given: &str) -> Result<&'a Threat, TriageError> {
    let threats = analysis.threats.iter().map(|t| t.id);
    let decided = model.triage.iter().map(|d| d.threat);
    let id = resolve(threats, decided, given)?;
    Ok(analysis.threats.iter().find(|t| t.id == id).expect("resolve returns the id of a current threat"))
}

/// The one id of `current` that `given` is a prefix of (at least
/// [`MIN_PREFIX`] characters); `decided` are the ids with a decision.
fn resolve(
    current: impl Iterator<Item = Uuid>,
    mut decided: impl Iterator<Item = Uuid>,
    given: &str,
) -> Result<Uuid, TriageError> {
    let wanted = given.trim().to_ascii_lowercase();
    let long_enough = wanted.len() >= MIN_PREFIX;
    let matches: Vec<Uuid> =
        if long_enough { current.filter(|id| id.to_string().starts_with(&wanted)).collect() } else { Vec::new() };
    match matches.as_slice() {
        [one] => Ok(*one),
        [] if long_enough && decided.any(|id| id.to_string().starts_with(&wanted)) => {
            Err(TriageError::NoLongerFires { given: given.to_string() })
        }
        [] => Err(TriageError::Unknown { given: given.to_string() }),
        many => Err(TriageError::Ambiguous { given: given.to_string(), count: many.len() }),
    }
}

/// The decision to keep for `threat` (see the policy above); `None` clears it.
pub fn decision(threat: &Threat, request: &TriageRequest) -> Option<TriageDecision> {
    if request.status == TriageStatus::Open && request.note.trim().is_empty() {
        return None;
    }
    Some(TriageDecision {
        threat: threat.id,
        rule: threat.rule.clone(),
        target: threat.target.name.clone(),
        status: request.status,
        note: request.note.clone(),
        owner: request.owner.clone(),
        date: request.date.clone(),
    })
}

/// Replaces (or, for `None`, removes) the decision on `threat` in `triage`,
/// keeping the position of a replaced decision; returns the old status.
pub fn apply(triage: &mut Vec<TriageDecision>, threat: Uuid, decision: Option<TriageDecision>) -> Option<TriageStatus> {
    let at = triage.iter().position(|d| d.threat == threat);
    let old = at.map(|i| triage[i].status);
    match (at, decision) {
        (Some(i), Some(d)) => triage[i] = d,
        (Some(i), None) => {
            triage.remove(i);
        }
        (None, Some(d)) => triage.push(d),
        (None, None) => {}
    }
    old
}

/// Records `request` in `model`, whose analysis is `analysis`.
pub fn record(model: &mut Model, analysis: &Analysis, request: &TriageRequest) -> Result<TriageOutcome, TriageError> {
    let t = find(model, analysis, &request.threat)?;
    let decision = decision(t, request);
    apply(&mut model.triage, t.id, decision.clone());
    Ok(TriageOutcome {
        threat: t.id,
        rule: t.rule.clone(),
        target: t.target.name.clone(),
        from: t.status,
        to: request.status,
        decision,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> Uuid {
        Uuid::parse_str(text).expect("a uuid")
    }

    #[test]
    fn prefixes_resolve_to_one_threat_or_a_located_reason() {
        let a = id("abcdef01-0000-5000-8000-000000000000");
        let b = id("abcdef02-0000-5000-8000-000000000000");
        let gone = id("123456ff-0000-5000-8000-000000000000");
        let ids = || [a, b].into_iter();
        let decided = || [gone].into_iter();
        assert_eq!(resolve(ids(), decided(), "ABCDEF01"), Ok(a), "case and spaces do not matter");
        assert_eq!(resolve(ids(), decided(), &b.to_string()), Ok(b));
        assert_eq!(
            resolve(ids(), decided(), "abcdef"),
            Err(TriageError::Ambiguous { given: "abcdef".into(), count: 2 })
        );
        assert_eq!(resolve(ids(), decided(), "abcde"), Err(TriageError::Unknown { given: "abcde".into() }));
        assert_eq!(resolve(ids(), decided(), "123456"), Err(TriageError::NoLongerFires { given: "123456".into() }));
        assert_eq!(resolve(ids(), decided(), "fedcba"), Err(TriageError::Unknown { given: "fedcba".into() }));
    }
}
