//! What changed between two analyses, so that after an edit the shell sends the UI a few
//! threats instead of all of them (a 2,000-element model has ~6,000 threats, ~11 MB of JSON;
//! one edit changes a handful). The UI applies the delta to the analysis it holds
//! (`ui/src/lib/delta.ts`); [`apply`] is the same in Rust, and the tests prove both rebuild the
//! new analysis exactly. Must not: run an analysis (it compares two finished ones).

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use serde::Serialize;
use threatwright::engine::{Analysis, ComplianceView, GraphFindings, HeatMap, PlanGroup, Resolved, Summary, Threat};
use threatwright::model::{Bands, Problem};
use threatwright::risk::DowEstimate;
use ts_rs::TS;

/// An item that is new or changed, with its index in the new list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "AnalysisDelta.ts")]
pub struct Placed<T> {
    pub at: u32,
    pub item: T,
}

/// A list as the difference from the base's: the base's items minus those at `removed`, with
/// `inserted` placed at their indices.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "AnalysisDelta.ts")]
pub struct ListDelta<T> {
    /// Indices in the base of the items that are gone or changed, ascending.
    pub removed: Vec<u32>,
    /// New and changed items, ascending by their index in the new list.
    pub inserted: Vec<Placed<T>>,
}

/// The new analysis as the difference from `base`: its threats, denial-of-wallet estimates,
/// plan and compliance views as list deltas, and every other section that changed whole
/// (absent sections are as in the base).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "AnalysisDelta.ts")]
pub struct AnalysisDelta {
    /// Revision of the analysis this applies to.
    #[ts(type = "number")]
    pub base: u64,
    pub threats: ListDelta<Threat>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denial_of_wallet: Option<ListDelta<DowEstimate>>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mitigation_plan: Option<ListDelta<PlanGroup>>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compliance: Option<ListDelta<ComplianceView>>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Summary>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<Vec<Problem>>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<Vec<Resolved>>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bands: Option<Bands>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heat_map: Option<HeatMap>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graph: Option<GraphFindings>,
}

fn changed<T: PartialEq + Clone>(old: &T, new: &T) -> Option<T> {
    (old != new).then(|| new.clone())
}

/// The difference from `old` to `new`, items matched by `key`; `None` when a key repeats in
/// `old`, or the items that stayed the same are not in the same relative order (the core orders
/// each list by its items' own fields, so they are; `None` makes the caller send the whole).
pub fn list_delta<T, K, F>(old: &[T], new: &[T], key: F) -> Option<ListDelta<T>>
where
    T: PartialEq + Clone,
    K: Hash + Eq,
    F: Fn(&T) -> K,
{
    let mut before: HashMap<K, usize> = HashMap::with_capacity(old.len());
    if !old.iter().enumerate().all(|(i, t)| before.insert(key(t), i).is_none()) {
        return None;
    }
    let mut kept = vec![false; old.len()];
    let mut kept_in_new = Vec::with_capacity(new.len());
    let mut inserted = Vec::new();
    for (i, t) in new.iter().enumerate() {
        match before.get(&key(t)) {
            Some(&j) if !kept[j] && old[j] == *t => {
                kept[j] = true;
                kept_in_new.push(j);
            }
            _ => inserted.push(Placed { at: u32::try_from(i).ok()?, item: t.clone() }),
        }
    }
    if !kept_in_new.windows(2).all(|w| w[0] < w[1]) {
        return None;
    }
    let removed = (0..old.len()).filter(|&j| !kept[j]).map(u32::try_from).collect::<Result<_, _>>().ok()?;
    Some(ListDelta { removed, inserted })
}

/// Rebuilds the new list from the base's and the delta (what the UI does in TypeScript).
pub fn apply_list<T: Clone>(base: &[T], d: &ListDelta<T>) -> Vec<T> {
    let removed: HashSet<usize> = d.removed.iter().map(|&j| j as usize).collect();
    let mut kept = base.iter().enumerate().filter(|(j, _)| !removed.contains(j)).map(|(_, t)| t);
    let mut inserted = d.inserted.iter().peekable();
    let mut out = Vec::with_capacity(base.len() + d.inserted.len());
    loop {
        let next = match inserted.peek() {
            Some(p) if p.at as usize == out.len() => inserted.next().map(|p| &p.item),
            _ => kept.next(),
        };
        match next {
            Some(t) => out.push(t.clone()),
            None => break,
        }
    }
    out.extend(inserted.map(|p| p.item.clone()));
    out
}

/// A list's delta, or `Some(None)` when the list did not change; `None` when it cannot be
/// sent as a delta.
fn section<T, K, F>(old: &[T], new: &[T], key: F) -> Option<Option<ListDelta<T>>>
where
    T: PartialEq + Clone,
    K: Hash + Eq,
    F: Fn(&T) -> K,
{
    if old == new {
        return Some(None);
    }
    list_delta(old, new, key).map(Some)
}

/// The difference from `old` (revision `base`) to `new`, or `None` when it cannot be sent as
/// a delta (see [`list_delta`]).
pub fn delta(base: u64, old: &Analysis, new: &Analysis) -> Option<AnalysisDelta> {
    if old.format_version != new.format_version {
        return None;
    }
    Some(AnalysisDelta {
        base,
        threats: list_delta(&old.threats, &new.threats, |t| t.id)?,
        denial_of_wallet: section(&old.denial_of_wallet, &new.denial_of_wallet, |d| d.trigger.clone())?,
        mitigation_plan: section(&old.mitigation_plan, &new.mitigation_plan, |g| g.key.clone())?,
        compliance: section(&old.compliance, &new.compliance, |v| v.framework.clone())?,
        model: changed(&old.model, &new.model),
        as_of: changed(&old.as_of, &new.as_of),
        summary: changed(&old.summary, &new.summary),
        diagnostics: changed(&old.diagnostics, &new.diagnostics),
        resolved: changed(&old.resolved, &new.resolved),
        bands: changed(&old.bands, &new.bands),
        heat_map: changed(&old.heat_map, &new.heat_map),
        graph: changed(&old.graph, &new.graph),
    })
}

/// Rebuilds the new analysis from the base and the delta (what the UI does in TypeScript).
pub fn apply(base: &Analysis, d: &AnalysisDelta) -> Analysis {
    let whole = |old: &String, new: &Option<String>| new.clone().unwrap_or_else(|| old.clone());
    Analysis {
        format_version: base.format_version,
        model: whole(&base.model, &d.model),
        as_of: whole(&base.as_of, &d.as_of),
        threats: apply_list(&base.threats, &d.threats),
        summary: d.summary.clone().unwrap_or_else(|| base.summary.clone()),
        diagnostics: d.diagnostics.clone().unwrap_or_else(|| base.diagnostics.clone()),
        resolved: d.resolved.clone().unwrap_or_else(|| base.resolved.clone()),
        compliance: d.compliance.as_ref().map_or_else(|| base.compliance.clone(), |l| apply_list(&base.compliance, l)),
        denial_of_wallet: d
            .denial_of_wallet
            .as_ref()
            .map_or_else(|| base.denial_of_wallet.clone(), |l| apply_list(&base.denial_of_wallet, l)),
        bands: d.bands.unwrap_or(base.bands),
        heat_map: d.heat_map.clone().unwrap_or_else(|| base.heat_map.clone()),
        mitigation_plan: d
            .mitigation_plan
            .as_ref()
            .map_or_else(|| base.mitigation_plan.clone(), |l| apply_list(&base.mitigation_plan, l)),
        graph: d.graph.clone().unwrap_or_else(|| base.graph.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use threatwright::import::templates::instantiate;
    use threatwright::model::Value;
    use threatwright::Model;

    fn analyse(model: &Model) -> Analysis {
        let catalog = threatwright::builtin_catalog().expect("the built-in catalog loads");
        let options = threatwright::engine::Options { as_of: "2026-12-01".into(), ..Default::default() };
        threatwright::analyze(model, &catalog, &options)
    }

    /// The delta from `before` to `after`, checked to rebuild `after` exactly.
    fn round_trip(before: &Model, after: &Model) -> AnalysisDelta {
        let (old, new) = (analyse(before), analyse(after));
        let d = delta(7, &old, &new).expect("a delta");
        assert_eq!(d.base, 7);
        assert_eq!(apply(&old, &d), new, "the delta rebuilds the new analysis");
        d
    }

    fn template() -> Model {
        instantiate("aws-rest-api-cognito").expect("template")
    }

    #[test]
    fn a_one_property_edit_sends_only_the_threats_it_changes() {
        let before = template();
        let mut after = before.clone();
        let api = after.elements.iter_mut().find(|e| e.vendor_type == "aws.apigateway").expect("an API");
        api.properties.insert("auth".into(), Value::Str("none".into()));
        let d = round_trip(&before, &after);
        let total = analyse(&after).threats.len();
        assert!(!d.threats.removed.is_empty() || !d.threats.inserted.is_empty(), "the edit changed some threat");
        assert!(d.threats.inserted.len() < total / 2, "{} of {total} threats sent", d.threats.inserted.len());
        assert!(d.bands.is_none() && d.model.is_none() && d.as_of.is_none(), "unchanged sections are left out");
        assert!(d.threats.inserted.windows(2).all(|w| w[0].at < w[1].at), "ascending indices");
    }

    #[test]
    fn the_same_model_gives_an_empty_delta() {
        let d = round_trip(&template(), &template());
        assert!(d.threats.removed.is_empty() && d.threats.inserted.is_empty());
        assert!(d.summary.is_none() && d.graph.is_none() && d.compliance.is_none() && d.mitigation_plan.is_none());
    }

    #[test]
    fn removing_adding_and_renaming_elements_round_trip() {
        let before = template();
        let mut removed = before.clone();
        let gone = removed.elements.remove(1).id;
        removed.flows.retain(|f| f.from != gone && f.to != gone);
        round_trip(&before, &removed);
        round_trip(&removed, &before);
        let mut renamed = before.clone();
        renamed.elements.iter_mut().for_each(|e| e.name = format!("zz {}", e.name));
        renamed.name = "Renamed".into();
        let d = round_trip(&before, &renamed);
        assert_eq!(d.model.as_deref(), Some("Renamed"));
        round_trip(&before, &instantiate("aws-webhook-ingest").expect("template"));
    }

    #[test]
    fn to_and_from_an_empty_model() {
        let empty = Model { elements: vec![], flows: vec![], boundaries: vec![], grants: vec![], ..template() };
        let d = round_trip(&empty, &template());
        assert_eq!(d.threats.inserted.len(), analyse(&template()).threats.len());
        let d = round_trip(&template(), &empty);
        assert_eq!(d.threats.removed.len(), analyse(&template()).threats.len());
    }

    /// The UI's test of its own `applyDelta` (ui/src/lib/delta.test.ts) reads a real delta from
    /// `ui/tests/fixtures/delta-aws-webhook-ingest.json`: a base analysis, the delta of an edit
    /// that removes, adds and re-scores threats, and the analysis it must rebuild. Regenerated
    /// with the bindings (`scripts/gen-bindings.sh`).
    #[test]
    fn ui_delta_fixture_bindings_are_up_to_date() {
        const TEMPLATE: &str = "aws-webhook-ingest";
        let before = instantiate(TEMPLATE).expect("template");
        let mut after = before.clone();
        let gone = after.elements.iter().find(|e| e.vendor_type == "aws.sqs").expect("a queue").id;
        after.elements.retain(|e| e.id != gone);
        after.flows.retain(|f| f.from != gone && f.to != gone);
        after.grants.clear();
        after.name = format!("{} (edited)", before.name);
        let d = round_trip(&before, &after);
        assert!(!d.threats.removed.is_empty() && !d.threats.inserted.is_empty() && d.summary.is_some());
        assert!(d.mitigation_plan.is_some(), "the plan changes as a list delta");
        let fixture = serde_json::json!({
            "_source": format!("template {TEMPLATE}, then its queue and grants removed and renamed; analysed as of 2026-12-01; regenerate with scripts/gen-bindings.sh"),
            "base": analyse(&before),
            "delta": d,
            "expected": analyse(&after),
        });
        let want = serde_json::to_string(&fixture).expect("the fixture serialises") + "\n";
        crate::bindings::check_ui_fixture(&format!("delta-{TEMPLATE}.json"), &want);
    }

    #[test]
    fn list_deltas_match_items_by_key_and_refuse_repeated_keys() {
        let old = ["a1", "b1", "c1", "d1"];
        let new = ["x1", "a1", "c2", "d1", "e1"];
        let first = |s: &&str| s.chars().next();
        let d = list_delta(&old, &new, first).expect("a delta");
        assert_eq!(d.removed, [1, 2], "b went, c changed");
        assert_eq!(d.inserted.iter().map(|p| (p.at, p.item)).collect::<Vec<_>>(), [(0, "x1"), (2, "c2"), (4, "e1")]);
        assert_eq!(apply_list(&old, &d), new);
        assert!(list_delta(&["a1", "a2"], &["a1"], first).is_none(), "a repeated key");
        assert!(list_delta(&["a1", "b1"], &["b1", "a1"], first).is_none(), "kept items reordered");
    }

    #[test]
    fn unchanged_threats_out_of_order_give_no_delta() {
        let old = analyse(&template());
        let mut new = old.clone();
        assert!(new.threats.len() > 2);
        new.threats.swap(0, 2);
        assert!(delta(1, &old, &new).is_none(), "a reordering cannot be sent as a delta");
        let mut newer = old.clone();
        newer.format_version += 1;
        assert!(delta(1, &old, &newer).is_none());
    }
}
