//! OWASP Threat Dragon v2 export: the model as one STRIDE diagram (boundaries
//! as trust-boundary boxes, elements as actor/process/store cells at their
//! laid-out positions, flows as edges between cell ids) whose per-cell
//! `threats` are the analysis threats, so a team can continue in Threat
//! Dragon and come back.
//! A flow pair imported from one bidirectional Threat Dragon flow (the reverse
//! half has the id `reverse_flow_id` of the forward one) is one bidirectional
//! cell again, carrying the threats of both halves.
//!
//! Mapping: severity critical/high → High, medium → Medium, low → Low;
//! status open → Open, mitigated/accepted/transferred → Mitigated,
//! not_applicable → NotApplicable (the exact status and the rule id are kept
//! as `Threatwright rule:` / `Threatwright status:` lines of the description,
//! which the importer reads back as triage decisions). Threats kept from an
//! earlier Threat Dragon import (the "Threat Dragon:" section of an element
//! description) are written back onto their cell. Each cell's `data` also
//! carries a `threatwright` object (vendor type, properties, boundary kind)
//! so a re-import restores what Threat Dragon has no field for.
//!
//! Must not: compute threats or scores.

use crate::engine::{Analysis, Threat};
use crate::import::threat_dragon::diagram;
use crate::import::threat_dragon::notes::{self, KeptThreat, Notes};
use crate::import::threat_dragon::{reverse_flow_id, td_status_name, RULE_MARKER, STATUS_MARKER};
use crate::layout::{self, NODE_HEIGHT, NODE_WIDTH};
use crate::model::kind::{category, groups};
use crate::model::{BoundaryId, ElementKind, Model, TriageStatus, Value};
use crate::risk::Severity;
use serde_json::{json, Map, Value as J};
use std::collections::HashMap;

/// Threat Dragon's spelling of a STRIDE category.
fn td_type(category: &str) -> String {
    let mut out = String::new();
    for (i, w) in category.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
            out.push_str(&w.to_ascii_lowercase());
        } else {
            out.push_str(w);
        }
    }
    out
}

fn td_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
    }
}

fn props_json(p: &crate::model::Properties) -> J {
    serde_json::to_value(p).unwrap_or(J::Null)
}

fn ours(t: &Threat, number: usize) -> J {
    let mut description = t.description.to_string();
    if !t.rationale.is_empty() {
        description.push_str("\n\nWhy: ");
        description.push_str(&t.rationale.join("; "));
    }
    if let Some(tr) = &t.triage {
        if !tr.note.is_empty() {
            description.push_str(&format!("\n\nTriage: {}", tr.note));
            if !tr.owner.is_empty() || !tr.date.is_empty() {
                description.push_str(&format!(
                    " ({})",
                    [tr.owner.as_str(), tr.date.as_str()]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    description.push_str(&format!("\n\n{RULE_MARKER}{}\n{STATUS_MARKER}{}", t.rule, t.status.as_str()));
    let mitigation = t.mitigations.iter().map(|m| m.text.clone()).collect::<Vec<_>>().join("\n");
    json!({
        "id": t.id.to_string(),
        "threatId": t.id.to_string(),
        "title": t.title,
        "status": td_status_name(t.status),
        "severity": td_severity(t.severity),
        "type": td_type(t.category.as_str()),
        "modelType": "STRIDE",
        "number": number,
        "score": t.score.to_string(),
        "description": description,
        "mitigation": mitigation,
    })
}

fn kept(t: &KeptThreat, number: usize) -> J {
    let mut o = json!({
        "title": t.title,
        "status": td_status_name(t.status.unwrap_or(TriageStatus::Open)),
        "severity": t.severity,
        "type": t.kind,
        "modelType": if t.model_type.is_empty() { "STRIDE" } else { t.model_type.as_str() },
        "number": number,
        "score": t.score,
        "description": t.description,
        "mitigation": t.mitigation,
    });
    if !t.id.is_empty() {
        o["id"] = J::String(t.id.clone());
        o["threatId"] = J::String(t.id.clone());
    }
    o
}

fn open(threats: &[J]) -> bool {
    threats.iter().any(|t| t["status"] == "Open")
}

/// The Threat Dragon v2 JSON of a model and its analysis.
pub fn analysis(model: &Model, analysis: &Analysis) -> String {
    let laid_out;
    let needs_layout = model.elements.iter().any(|e| e.position.is_none())
        || model.boundaries.iter().any(|b| b.position.is_none() || b.size.is_none());
    let model = if needs_layout {
        let mut m = model.clone();
        layout::auto_layout(&mut m);
        laid_out = m;
        &laid_out
    } else {
        model
    };
    let mut number = 0usize;
    let mut next = || {
        number += 1;
        number
    };
    let mut by_target: HashMap<uuid::Uuid, Vec<&Threat>> = HashMap::new();
    for t in &analysis.threats {
        by_target.entry(t.target.id).or_default().push(t);
    }
    // Kept Threat Dragon threats, by element, split off their descriptions.
    let split: Vec<(String, Notes)> = model.elements.iter().map(|e| notes::split(&e.description)).collect();
    let flow_ids: std::collections::HashSet<String> = model.flows.iter().map(|f| f.id.to_string()).collect();
    let mut flow_kept: HashMap<String, Vec<&KeptThreat>> = HashMap::new();
    for (_, n) in &split {
        for t in &n.threats {
            if let Some(f) = t.flow.as_ref().filter(|f| flow_ids.contains(*f)) {
                flow_kept.entry(f.clone()).or_default().push(t);
            }
        }
    }

    let mut cells = boundary_cells(model);
    let untrusted: Vec<bool> = model
        .elements
        .iter()
        .map(|e| {
            e.kind == ElementKind::External
                && (e.properties.get("trust") == Some(&Value::Str("untrusted".into()))
                    || e.boundary.and_then(|b| model.boundary(b)).is_some_and(|b| b.kind.untrusted()))
        })
        .collect();
    for (i, e) in model.elements.iter().enumerate() {
        let (description, n) = &split[i];
        let mut threats: Vec<J> = by_target.get(&e.id.0).into_iter().flatten().map(|t| ours(t, next())).collect();
        threats.extend(
            n.threats
                .iter()
                .filter(|t| !t.flow.as_ref().is_some_and(|f| flow_ids.contains(f)))
                .map(|t| kept(t, next())),
        );
        cells.push(element_cell(e, description, n, threats));
    }
    let index: HashMap<_, _> = model.elements.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    // A bidirectional Threat Dragon flow was imported as two flows, the reverse one with
    // a derived id: while both halves are still there, they go back as one cell.
    let reverse_half = |f: &crate::model::Flow| {
        model.flows.iter().find(|g| g.id == reverse_flow_id(f.id) && g.from == f.to && g.to == f.from)
    };
    let halves: std::collections::HashSet<crate::model::FlowId> =
        model.flows.iter().filter_map(|f| reverse_half(f).map(|g| g.id)).collect();
    for f in model.flows.iter().filter(|f| !halves.contains(&f.id)) {
        let (Some(&a), Some(&b)) = (index.get(&f.from), index.get(&f.to)) else { continue };
        let back = reverse_half(f);
        let targets = std::iter::once(f.id).chain(back.map(|g| g.id));
        let mut threats: Vec<J> =
            targets.flat_map(|id| by_target.get(&id.0).into_iter().flatten()).map(|t| ours(t, next())).collect();
        threats.extend(flow_kept.get(&f.id.to_string()).into_iter().flatten().map(|t| kept(t, next())));
        let mut cell = flow_cell(model, f, (a, b), untrusted[a] || untrusted[b], threats);
        cell["data"]["isBidirectional"] = J::Bool(back.is_some());
        cells.push(cell);
    }
    // Cells the model has no place for (curves, text blocks, unattached flows), as drawn.
    let (summary, kept_cells, drawn) = diagram::split_all(&model.description);
    for cell in &mut cells {
        if let Some(d) = cell.get("id").and_then(J::as_str).and_then(|id| drawn.get(id)) {
            diagram::overlay(cell, d);
        }
    }
    cells.extend(kept_cells);
    document(model, &summary, analysis, cells, number)
}

/// The trust boundaries as boxes, outer ones below inner ones.
fn boundary_cells(model: &Model) -> Vec<J> {
    let mut cells = Vec::new();
    let depth = |mut id: Option<BoundaryId>| {
        let mut d = 0i64;
        while let Some(b) = id.and_then(|i| model.boundary(i)) {
            d += 1;
            id = b.parent;
            if d > 64 {
                break;
            }
        }
        d
    };
    for b in &model.boundaries {
        let (Some(p), Some(s)) = (b.position, b.size) else { continue };
        cells.push(json!({
            "id": b.id.to_string(),
            "shape": "trust-boundary-box",
            "zIndex": -100 + depth(b.parent),
            "visible": true,
            "position": {"x": p.x, "y": p.y},
            "size": {"width": s.width.max(10), "height": s.height.max(10)},
            "attrs": {"label": {"text": b.name}},
            "data": {
                "type": "tm.BoundaryBox",
                "name": b.name,
                "description": b.description,
                "isTrustBoundary": true,
                "hasOpenThreats": false,
                "threatwright": {"kind": b.kind.as_str()},
            },
        }));
    }
    cells
}

/// One element as an actor, store or process cell with its threats.
fn element_cell(e: &crate::model::Element, description: &str, n: &Notes, threats: Vec<J>) -> J {
    let cat = e.category();
    let (shape, ty) = match e.kind {
        ElementKind::External => ("actor", "tm.Actor"),
        ElementKind::Store => ("store", "tm.Store"),
        ElementKind::Trigger if [category::QUEUE, category::TOPIC, category::STREAM].contains(&cat) => {
            ("store", "tm.Store")
        }
        _ => ("process", "tm.Process"),
    };
    let p = e.position.unwrap_or_default();
    let mut data = Map::new();
    data.insert("type".into(), json!(ty));
    data.insert("name".into(), json!(e.name));
    data.insert("description".into(), json!(description));
    data.insert("outOfScope".into(), json!(n.out_of_scope.is_some()));
    data.insert("reasonOutOfScope".into(), json!(n.out_of_scope.clone().unwrap_or_default()));
    data.insert("isTrustBoundary".into(), json!(false));
    data.insert("hasOpenThreats".into(), json!(open(&threats)));
    match shape {
        "actor" => {
            data.insert("providesAuthentication".into(), json!(cat == category::IDENTITY_PROVIDER));
        }
        "store" => {
            data.insert("isALog".into(), json!(cat == category::LOG_STORE));
            data.insert(
                "isEncrypted".into(),
                json!(matches!(
                    e.properties.get("encrypted_at_rest").or(e.properties.get("encrypted")),
                    Some(Value::Bool(true))
                )),
            );
            data.insert("isSigned".into(), json!(false));
            data.insert("storesCredentials".into(), json!(groups::KEY_MATERIAL.contains(&cat)));
            data.insert("storesInventory".into(), json!(false));
        }
        _ => {
            data.insert("handlesCardPayment".into(), json!(false));
            data.insert("handlesGoodsOrServices".into(), json!(false));
            data.insert("isWebApplication".into(), json!(cat == category::API));
            data.insert("privilegeLevel".into(), json!(""));
        }
    }
    data.insert("threats".into(), J::Array(threats));
    data.insert("threatwright".into(), json!({"type": e.vendor_type, "properties": props_json(&e.properties), "assets": e.assets, "mitigations": e.mitigations}));
    json!({
        "id": e.id.to_string(),
        "shape": shape,
        "zIndex": 1,
        "visible": true,
        "position": {"x": p.x, "y": p.y},
        "size": {"width": NODE_WIDTH, "height": NODE_HEIGHT},
        "attrs": {"text": {"text": e.name}},
        "data": J::Object(data),
    })
}

/// One flow as a Threat Dragon flow cell with its threats; `public` when
/// either end is an untrusted external entity.
fn flow_cell(model: &Model, f: &crate::model::Flow, (a, b): (usize, usize), public: bool, threats: Vec<J>) -> J {
    let protocol = match f.properties.get("protocol") {
        Some(Value::Str(s)) => s.clone(),
        _ => String::new(),
    };
    let encrypted = matches!(f.properties.get("encrypted"), Some(Value::Bool(true)));
    json!({
        "id": f.id.to_string(),
        "shape": "flow",
        "zIndex": 10,
        "connector": "smooth",
        "attrs": {"line": {"stroke": "#333333", "strokeWidth": 1, "targetMarker": {"name": "block"}, "sourceMarker": {"name": ""}}},
        "labels": [{"position": 0.5, "attrs": {"label": {"text": f.label}}}],
        "source": {"cell": model.elements[a].id.to_string()},
        "target": {"cell": model.elements[b].id.to_string()},
        "vertices": [],
        "data": {
            "type": "tm.Flow",
            "name": f.label,
            "description": "",
            "outOfScope": false,
            "reasonOutOfScope": "",
            "isBidirectional": false,
            "isEncrypted": encrypted,
            "isPublicNetwork": public,
            "protocol": protocol,
            "isTrustBoundary": false,
            "hasOpenThreats": open(&threats),
            "threats": threats,
            "threatwright": {"properties": props_json(&f.properties), "assets": f.assets},
        },
    })
}

/// The Threat Dragon v2 document around the cells; `threat_top` is the
/// highest threat number used.
fn document(model: &Model, summary: &str, analysis: &Analysis, cells: Vec<J>, threat_top: usize) -> String {
    let doc = json!({
        "version": "2.3.0",
        "threatwright": {
            "version": model.version,
            "scope": model.scope,
            "assets": model.assets,
            "grants": model.grants,
            "triage": model.triage,
            "risk": model.risk,
        },
        "summary": {"title": model.name, "owner": model.author, "description": summary, "id": 0},
        "detail": {
            "contributors": [],
            "diagrams": [{
                "id": 0,
                "title": model.name,
                "diagramType": "STRIDE",
                "placeholder": "New STRIDE diagram description",
                "thumbnail": "./public/content/images/thumbnail.stride.jpg",
                "version": "2.3.0",
                "description": format!("Exported by Threatwright {} (analysis as of {})", crate::version(), analysis.as_of),
                "cells": cells,
            }],
            "diagramTop": 1,
            "reviewer": "",
            "threatTop": threat_top,
        },
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
