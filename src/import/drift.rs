//! Drift: a fresh import of infrastructure laid onto the model made from an
//! earlier one. Elements are matched by their source identity — the id an
//! importer derives from the logical id or resource address, which a
//! rename in the editor does not change — so the user's names,
//! descriptions, positions, boundaries, data assets, mitigations and
//! triage stay. What is new is added (and placed without moving anything),
//! properties the infrastructure states are updated, grants follow the
//! infrastructure, and what disappeared is kept but marked, never deleted:
//! the user decides. The report lists every change; the caller adds the
//! threats that appear, disappear or change severity (`with_threats`).
//!
//! Must not: analyse threats or do IO.

use crate::engine::diff::{diff, AnalysisDiff};
use crate::engine::Analysis;
use crate::model::{ElementId, GrantTarget, Model, Value};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The line that marks an element the last re-import did not find.
pub const DISAPPEARED: &str = "Drift: not found when the infrastructure was last re-imported from";

/// One property that changed on an element that is still there.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PropertyChange {
    pub element: String,
    pub property: String,
    /// `null` when the property was not set before.
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

/// What a re-import changes, and what it does to the threats.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DriftReport {
    /// The file or directory re-imported.
    pub source: String,
    pub added: Vec<String>,
    /// Elements the infrastructure no longer has: kept in the model and marked.
    pub disappeared: Vec<String>,
    /// Elements marked as gone before that are back.
    pub reappeared: Vec<String>,
    pub changed: Vec<PropertyChange>,
    pub flows_added: Vec<String>,
    /// Flows between infrastructure elements the import no longer has: kept, for the user to delete.
    pub flows_missing: Vec<String>,
    pub grants_added: Vec<String>,
    pub grants_removed: Vec<String>,
    /// Triage decisions kept (all of them: their threat ids do not depend on the import).
    pub triage_kept: usize,
    pub threats: AnalysisDiff,
}

impl DriftReport {
    /// Whether the infrastructure changed at all.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.disappeared.is_empty()
            && self.reappeared.is_empty()
            && self.changed.is_empty()
            && self.flows_added.is_empty()
            && self.flows_missing.is_empty()
            && self.grants_added.is_empty()
            && self.grants_removed.is_empty()
    }

    /// The threats the change makes appear, disappear or change severity.
    pub fn with_threats(mut self, before: &Analysis, after: &Analysis) -> DriftReport {
        self.threats = diff(before, after);
        self
    }

    /// Human-readable report.
    pub fn text(&self) -> String {
        let mut out = format!("drift against {}\n", self.source);
        if self.is_empty() {
            out.push_str("no changes in the infrastructure\n");
        }
        let list = |out: &mut String, title: &str, sign: &str, items: &[String]| {
            if !items.is_empty() {
                out.push_str(&format!("{title} ({}):\n", items.len()));
                items.iter().for_each(|i| out.push_str(&format!("  {sign} {i}\n")));
            }
        };
        list(&mut out, "elements added", "+", &self.added);
        list(&mut out, "elements no longer in the infrastructure (kept, marked)", "-", &self.disappeared);
        list(&mut out, "elements back in the infrastructure", "+", &self.reappeared);
        if !self.changed.is_empty() {
            out.push_str(&format!("properties changed ({}):\n", self.changed.len()));
            let show =
                |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "unset".into());
            for c in &self.changed {
                out.push_str(&format!("  ~ {}.{}: {} → {}\n", c.element, c.property, show(&c.old), show(&c.new)));
            }
        }
        list(&mut out, "flows added", "+", &self.flows_added);
        list(&mut out, "flows no longer in the infrastructure (kept)", "-", &self.flows_missing);
        list(&mut out, "permissions added", "+", &self.grants_added);
        list(&mut out, "permissions removed", "-", &self.grants_removed);
        out.push_str(&format!("triage decisions kept: {}\n", self.triage_kept));
        out.push_str("threats:\n");
        for line in self.threats.text().lines() {
            out.push_str(&format!("  {line}\n"));
        }
        out
    }
}

fn json(v: &Value) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// Lays `imported` (a fresh import of `source`) onto `current`; returns the updated model and
/// the report of what changed (without threats: see [`DriftReport::with_threats`]).
pub fn onto(current: &Model, imported: &Model, source: &str) -> (Model, DriftReport) {
    let mut model = current.clone();
    let mut report =
        DriftReport { source: source.to_string(), triage_kept: current.triage.len(), ..Default::default() };
    let fresh: HashMap<ElementId, usize> = imported.elements.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    // Elements of the vendor families the import produces are the infrastructure's; elements
    // of other types were drawn by hand and are left alone.
    let families: HashSet<&str> =
        imported.elements.iter().filter_map(|e| e.vendor_type.split('.').next()).filter(|f| *f != "generic").collect();
    let from_infrastructure = |vendor_type: &str| {
        vendor_type.split('.').next().is_some_and(|f| families.contains(f)) || vendor_type == "generic.service"
    };
    let name_in = |m: &Model, id: ElementId| m.elements.iter().find(|e| e.id == id).map(|e| e.name.clone());

    // Boundaries and data assets the import brings.
    for b in &imported.boundaries {
        if !model.boundaries.iter().any(|x| x.id == b.id) {
            let mut b = b.clone();
            b.position = None;
            b.size = None;
            model.boundaries.push(b);
        }
    }
    for a in &imported.assets {
        if !model.assets.iter().any(|x| x.id == a.id) {
            model.assets.push(a.clone());
        }
    }

    let marker = format!("{DISAPPEARED} {source}.");
    let unmark = |d: &str| -> String {
        d.lines().filter(|l| !l.starts_with(DISAPPEARED)).collect::<Vec<_>>().join("\n").trim_end().to_string()
    };
    for e in &mut model.elements {
        match fresh.get(&e.id) {
            Some(&i) => {
                let new = &imported.elements[i];
                if e.description.lines().any(|l| l.starts_with(DISAPPEARED)) {
                    e.description = unmark(&e.description);
                    report.reappeared.push(e.name.clone());
                }
                if e.vendor_type != new.vendor_type {
                    report.changed.push(PropertyChange {
                        element: e.name.clone(),
                        property: "type".into(),
                        old: Some(serde_json::Value::String(e.vendor_type.clone())),
                        new: Some(serde_json::Value::String(new.vendor_type.clone())),
                    });
                    e.vendor_type = new.vendor_type.clone();
                    e.kind = new.kind;
                }
                // What the infrastructure states wins; what only the user said stays (an importer
                // states a setting it reads as off explicitly, so a removed setting still shows).
                for (k, v) in &new.properties {
                    if e.properties.get(k) != Some(v) {
                        report.changed.push(PropertyChange {
                            element: e.name.clone(),
                            property: k.clone(),
                            old: e.properties.get(k).map(json),
                            new: Some(json(v)),
                        });
                        e.properties.insert(k.clone(), v.clone());
                    }
                }
                for a in &new.assets {
                    if !e.assets.contains(a) {
                        e.assets.push(*a);
                    }
                }
            }
            None if from_infrastructure(&e.vendor_type)
                && !e.description.lines().any(|l| l.starts_with(DISAPPEARED)) =>
            {
                e.description =
                    if e.description.is_empty() { marker.clone() } else { format!("{}\n{marker}", e.description) };
                report.disappeared.push(e.name.clone());
            }
            None => {}
        }
    }
    for e in &imported.elements {
        if !model.elements.iter().any(|x| x.id == e.id) {
            let mut e = e.clone();
            e.position = None;
            report.added.push(e.name.clone());
            model.elements.push(e);
        }
    }

    // Flows, matched by their ends.
    let ends = |m: &Model| -> HashSet<(ElementId, ElementId)> { m.flows.iter().map(|f| (f.from, f.to)).collect() };
    let fresh_ends = ends(imported);
    for f in &imported.flows {
        match model.flows.iter_mut().find(|x| x.from == f.from && x.to == f.to) {
            Some(existing) => {
                for (k, v) in &f.properties {
                    existing.properties.insert(k.clone(), v.clone());
                }
            }
            None => {
                report.flows_added.push(model.flow_name(f.from, f.to, &f.label));
                model.flows.push(f.clone());
            }
        }
    }
    let infra: HashSet<ElementId> =
        current.elements.iter().filter(|e| from_infrastructure(&e.vendor_type)).map(|e| e.id).collect();
    for f in &current.flows {
        if infra.contains(&f.from) && infra.contains(&f.to) && !fresh_ends.contains(&(f.from, f.to)) {
            report.flows_missing.push(model.flow_name(f.from, f.to, &f.label));
        }
    }

    // Grants come from the infrastructure: those of its principals are replaced.
    let grant_text = |m: &Model, g: &crate::model::Grant| {
        let target = match &g.target {
            GrantTarget::Element(id) => name_in(m, *id).unwrap_or_else(|| id.0.to_string()),
            GrantTarget::Any => "*".into(),
            GrantTarget::Unmodelled(s) => s.clone(),
        };
        format!("{} → {}: {}", name_in(m, g.principal).unwrap_or_default(), target, g.actions.join(", "))
    };
    let principals: HashSet<ElementId> = imported.elements.iter().map(|e| e.id).collect();
    let old_grants: BTreeSet<String> =
        current.grants.iter().filter(|g| principals.contains(&g.principal)).map(|g| grant_text(&model, g)).collect();
    let new_grants: BTreeSet<String> = imported.grants.iter().map(|g| grant_text(&model, g)).collect();
    report.grants_added = new_grants.difference(&old_grants).cloned().collect();
    report.grants_removed = old_grants.difference(&new_grants).cloned().collect();
    model.grants.retain(|g| !principals.contains(&g.principal));
    model.grants.extend(imported.grants.iter().cloned());

    crate::layout::place_unplaced(&mut model);
    (model, report)
}
