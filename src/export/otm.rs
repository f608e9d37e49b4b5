//! Open Threat Model export: the model and its threats as an OTM 0.2.0 JSON
//! document (valid against the OTM schema, `tests/schemas/otm_schema.json`),
//! for IriusRisk, StartLeft and other OTM tools, and back with `import otm`.
//!
//! Boundaries become trust zones (nested through `parent.trustZone`, the kind
//! as the zone type, a trust rating from the kind), elements become
//! components (the IriusRisk component id where there is one,
//! [`crate::import::otm::otm_type`]), flows become data flows, data assets
//! become assets. Every derived threat becomes a threat definition (STRIDE
//! category, CWEs, likelihood and impact on OTM's 0–100 scale) referenced
//! from its component or data flow with its triage status as state, and each
//! of its mitigations a mitigation definition (implemented once the threat
//! is mitigated). Threats kept from other tools (the notes section of a
//! description) go back as threats of their own, with their original id.
//!
//! OTM requires every component to sit in a trust zone or a component, so
//! elements outside every boundary are put in one zone marked
//! `attributes.threatwright.implicit`, which the import drops again. What OTM
//! has no field for (vendor type, properties, grants, triage notes, risk
//! settings) travels in `attributes.threatwright` objects, which other tools
//! ignore and the import reads back.
//!
//! Must not: compute threats or scores.

use crate::engine::{Analysis, Threat};
use crate::import::otm::{otm_type, state_name, IMPLICIT_ZONE, TYPE_MARKER};
use crate::import::threat_dragon::notes::{self, KeptThreat};
use crate::layout;
use crate::model::{BoundaryKind, Classification, ElementKind, Model, TriageStatus};
use serde_json::{json, Value as J};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The OTM version the export declares.
pub const OTM_VERSION: &str = "0.2.0";
/// The one representation (diagram) positions refer to.
pub const DIAGRAM: &str = "threatwright-diagram";

/// Trust rating (0–100) of a boundary kind: how far what is inside is trusted.
pub fn trust_rating(kind: BoundaryKind) -> u8 {
    match kind {
        BoundaryKind::Internet => 10,
        BoundaryKind::Partner => 30,
        BoundaryKind::Corporate => 60,
        BoundaryKind::Generic => 50,
        BoundaryKind::Tenant => 70,
        BoundaryKind::Account | BoundaryKind::Region => 80,
        BoundaryKind::Vpc | BoundaryKind::Subnet => 90,
    }
}

/// Confidentiality (0–100) of a classification; the import's thresholds read it back.
pub fn confidentiality(c: Classification) -> u8 {
    match c {
        Classification::Public => 10,
        Classification::Internal => 40,
        Classification::Confidential => 70,
        Classification::Restricted => 100,
    }
}

/// The threat and mitigation definitions, and the instances that reference them.
#[derive(Default)]
struct Registry {
    threats: Vec<J>,
    mitigations: Vec<J>,
    threat_ids: HashSet<String>,
    mitigation_ids: HashSet<String>,
}

impl Registry {
    /// A derived threat: its definition once, and its instance.
    fn ours(&mut self, t: &Threat) -> J {
        let id = t.id.to_string();
        let state = if t.status == TriageStatus::Mitigated { "implemented" } else { "recommended" };
        let mut mitigations = Vec::new();
        for m in t.mitigations.iter() {
            let mid = mitigation_id(&m.text);
            if self.mitigation_ids.insert(mid.clone()) {
                let source = m.practice.as_deref().map(|p| format!("Practice {p}")).or(m.standard.clone());
                self.mitigations.push(json!({
                    "id": mid,
                    "name": m.text,
                    "description": source,
                    "riskReduction": 50,
                }));
            }
            mitigations.push(json!({ "mitigation": mid, "state": state }));
        }
        if self.threat_ids.insert(id.clone()) {
            let mut description = t.description.to_string();
            if !t.rationale.is_empty() {
                description.push_str(&format!("\n\nWhy: {}", t.rationale.join("; ")));
            }
            self.threats.push(json!({
                "id": id,
                "name": t.title,
                "description": description,
                "categories": [t.category.as_str()],
                "cwes": t.references.cwe.iter().map(|c| format!("CWE-{c}")).collect::<Vec<_>>(),
                "risk": {
                    "likelihood": u32::from(t.likelihood) * 20,
                    "impact": u32::from(t.impact) * 20,
                    "impactComment": t.explanation.join("; "),
                },
                "tags": [t.severity.as_str()],
                "attributes": { "threatwright": {
                    "rule": t.rule,
                    "target": t.target.name,
                    "severity": t.severity.as_str(),
                    "score": t.score,
                }},
            }));
        }
        json!({ "threat": id, "state": state_name(t.status), "mitigations": mitigations })
    }

    /// A threat kept from another tool: written back under its own id, with
    /// what OTM has no field for in `attributes.threatwright.kept`.
    fn kept(&mut self, k: &KeptThreat, owner: Uuid, n: usize) -> J {
        let (description, cwes) = split_cwes(&k.description);
        let (likelihood, impact) = parse_score(&k.score);
        let mut kept = json!({
            "tool": k.tool,
            "status": k.status.map(TriageStatus::as_str),
            "kind": k.kind,
            "severity": k.severity,
            "score": k.score,
            "description": k.description,
            "modelType": k.model_type,
        });
        let mut mitigations = Vec::new();
        match parse_mitigations(&k.mitigation) {
            Some(list) => {
                for (name, state, mid, text) in list {
                    if self.mitigation_ids.insert(mid.clone()) {
                        self.mitigations.push(json!({
                            "id": mid, "name": name, "description": text, "riskReduction": 50,
                        }));
                    }
                    mitigations.push(json!({ "mitigation": mid, "state": state }));
                }
            }
            None => kept["mitigation"] = json!(k.mitigation),
        }
        let categories: Vec<&str> = k.kind.split(", ").filter(|c| !c.trim().is_empty()).collect();
        let mut def = json!({
            "id": k.id.trim(),
            "name": k.title,
            "description": description,
            "categories": categories,
            "cwes": cwes,
            "risk": { "likelihood": likelihood, "impact": impact.unwrap_or(0.0) },
            "attributes": { "threatwright": { "kept": kept } },
        });
        // One OTM threat may be referenced from several places: the same
        // definition is written once, a different one under the same id gets its own id.
        let same = |d: &J| d["id"] == def["id"];
        match self.threats.iter().find(|d| same(d)) {
            Some(existing) if *existing == def => {}
            found => {
                if found.is_some() || k.id.trim().is_empty() {
                    let id = Uuid::new_v5(&owner, format!("kept:{n}:{}:{}", k.tool, k.title).as_bytes());
                    def["id"] = json!(id.to_string());
                }
                if k.title.trim().is_empty() {
                    def["name"] = def["id"].clone();
                }
                self.threat_ids.insert(def["id"].as_str().unwrap_or_default().to_string());
                self.threats.push(def.clone());
            }
        }
        let state = k.status.map(state_name).unwrap_or("exposed");
        json!({ "threat": def["id"], "state": state, "mitigations": mitigations })
    }
}

/// The id a rule's mitigation gets in exchange formats (OTM, Threat Composer): one per text,
/// the same in every export.
pub(crate) fn mitigation_id(text: &str) -> String {
    Uuid::new_v5(&crate::model::ids::NAMESPACE, format!("mitigation:{text}").as_bytes()).to_string()
}

/// A kept description without its `CWEs:` line (the import writes it from `cwes`), and the CWEs.
fn split_cwes(description: &str) -> (String, Vec<String>) {
    match description.rsplit_once("\n\nCWEs: ").or_else(|| description.strip_prefix("CWEs: ").map(|c| ("", c))) {
        Some((before, list)) if !list.contains('\n') => {
            (before.to_string(), list.split(", ").map(str::to_string).collect())
        }
        _ => (description.to_string(), Vec::new()),
    }
}

/// `likelihood L, impact I` or `impact I`, as the import writes a kept score.
fn parse_score(score: &str) -> (Option<f64>, Option<f64>) {
    let mut l = None;
    let mut i = None;
    for part in score.split(", ") {
        if let Some(v) = part.strip_prefix("likelihood ") {
            l = v.trim().parse().ok();
        } else if let Some(v) = part.strip_prefix("impact ") {
            i = v.trim().parse().ok();
        }
    }
    (l, i)
}

/// Mitigation lines as the import writes them (`- NAME [STATE; id ID]`, then an
/// indented description line); `None` when the text is anything else.
pub(crate) fn parse_mitigations(text: &str) -> Option<Vec<(String, String, String, String)>> {
    let mut out: Vec<(String, String, String, String)> = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix("  ") {
            let last = out.last_mut()?;
            if !last.3.is_empty() {
                return None;
            }
            last.3 = rest.to_string();
            continue;
        }
        let body = line.strip_prefix("- ")?.strip_suffix(']')?;
        let (name, meta) = body.rsplit_once(" [")?;
        let (state, mid) = meta.split_once("; id ")?;
        out.push((name.to_string(), state.to_string(), mid.to_string(), String::new()));
    }
    Some(out)
}

fn representation(id: &str, x: i64, y: i64, w: i64, h: i64) -> J {
    json!([{
        "representation": DIAGRAM,
        "id": format!("{id}-shape"),
        "position": { "x": x, "y": y },
        "size": { "width": w, "height": h },
    }])
}

/// A name for the project id: lower-case words joined by `-`.
fn slug(name: &str) -> String {
    let s: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let s = s.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    if s.is_empty() {
        "threat-model".into()
    } else {
        s
    }
}

/// The model and its analysis as an OTM document (pretty-printed JSON).
pub fn analysis(model: &Model, analysis: &Analysis) -> String {
    let mut reg = Registry::default();
    let mut on: HashMap<Uuid, Vec<&Threat>> = HashMap::new();
    for t in &analysis.threats {
        on.entry(t.target.id).or_default().push(t);
    }
    let flow_ids: HashSet<String> = model.flows.iter().map(|f| f.id.to_string()).collect();
    let mut flow_kept: HashMap<String, Vec<J>> = HashMap::new();
    let mut components = Vec::new();
    for e in &model.elements {
        let (description, kept) = notes::split(&e.description);
        let id = e.id.to_string();
        let mut threats: Vec<J> = on.get(&e.id.0).into_iter().flatten().map(|t| reg.ours(t)).collect();
        for (n, k) in kept.threats.iter().enumerate() {
            let instance = reg.kept(k, e.id.0, n);
            match k.flow.as_ref().filter(|f| flow_ids.contains(*f)) {
                Some(f) => flow_kept.entry(f.clone()).or_default().push(instance),
                None => threats.push(instance),
            }
        }
        let ty = description
            .lines()
            .find_map(|l| l.strip_prefix(TYPE_MARKER))
            .map(str::to_string)
            .unwrap_or_else(|| otm_type(&e.vendor_type));
        let zone = e.boundary.map(|b| b.to_string()).unwrap_or_else(|| IMPLICIT_ZONE.to_string());
        let key = if e.kind == ElementKind::Store { "stored" } else { "processed" };
        let mut c = json!({
            "id": id,
            "name": e.name,
            "type": ty,
            "description": description,
            "parent": { "trustZone": zone },
            "assets": { key: e.assets.iter().map(|a| a.to_string()).collect::<Vec<_>>() },
            "threats": threats,
            "tags": [e.category()],
            "attributes": { "threatwright": {
                "type": e.vendor_type,
                "properties": e.properties,
                "mitigations": e.mitigations,
            }},
        });
        if let Some(reason) = &kept.out_of_scope {
            c["attributes"]["threatwright"]["outOfScope"] = json!(reason);
        }
        if let Some(p) = e.position {
            c["representations"] = representation(&id, p.x, p.y, layout::NODE_WIDTH, layout::NODE_HEIGHT);
        }
        components.push(c);
    }
    let dataflows: Vec<J> = model
        .flows
        .iter()
        .map(|f| {
            let id = f.id.to_string();
            let mut threats: Vec<J> = on.get(&f.id.0).into_iter().flatten().map(|t| reg.ours(t)).collect();
            threats.extend(flow_kept.remove(&id).unwrap_or_default());
            json!({
                "id": id,
                "name": f.label,
                "source": f.from.to_string(),
                "destination": f.to.to_string(),
                "bidirectional": false,
                "assets": f.assets.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
                "threats": threats,
                "attributes": { "threatwright": { "properties": f.properties } },
            })
        })
        .collect();
    let doc = [
        ("otmVersion", json!(OTM_VERSION)),
        (
            "project",
            json!({
                "name": model.name,
                "id": slug(&model.name),
                "description": model.description,
                "owner": model.author,
                "attributes": { "threatwright": {
                    "version": model.version,
                    "scope": model.scope,
                    "risk": model.risk,
                    "assets": model.assets,
                    "grants": model.grants,
                    "triage": model.triage,
                }},
            }),
        ),
        ("representations", json!([{ "name": "Threatwright diagram", "id": DIAGRAM, "type": "diagram" }])),
        (
            "assets",
            json!(model.assets.iter().map(|a| json!({
            "id": a.id.to_string(),
            "name": a.name,
            "description": a.description,
            "risk": { "confidentiality": confidentiality(a.classification), "integrity": 50, "availability": 50 },
        })).collect::<Vec<_>>()),
        ),
        ("trustZones", json!(zones(model))),
        ("components", json!(components)),
        ("dataflows", json!(dataflows)),
        ("threats", json!(reg.threats)),
        ("mitigations", json!(reg.mitigations)),
    ];
    ordered(&doc)
}

/// A pretty-printed object with its keys in the given order (`serde_json`
/// sorts them), so a reader sees `otmVersion` and `project` first.
fn ordered(entries: &[(&str, J)]) -> String {
    let fields: Vec<String> = entries
        .iter()
        .map(|(k, v)| {
            let value = serde_json::to_string_pretty(v).unwrap_or_default().replace('\n', "\n  ");
            format!("  {}: {value}", J::from(*k))
        })
        .collect();
    format!("{{\n{}\n}}\n", fields.join(",\n"))
}

/// Boundaries as trust zones, and the implicit zone when an element is outside every boundary.
fn zones(model: &Model) -> Vec<J> {
    let mut out: Vec<J> = model
        .boundaries
        .iter()
        .map(|b| {
            let id = b.id.to_string();
            let mut z = json!({
                "id": id,
                "name": b.name,
                "type": b.kind.as_str(),
                "description": b.description,
                "risk": { "trustRating": trust_rating(b.kind) },
                "attributes": { "threatwright": { "kind": b.kind.as_str() } },
            });
            if let Some(p) = b.parent {
                z["parent"] = json!({ "trustZone": p.to_string() });
            }
            if let (Some(p), Some(s)) = (b.position, b.size) {
                z["representations"] = representation(&id, p.x, p.y, s.width, s.height);
            }
            z
        })
        .collect();
    if model.elements.iter().any(|e| e.boundary.is_none()) {
        out.push(json!({
            "id": IMPLICIT_ZONE,
            "name": "Outside every boundary",
            "type": "generic",
            "description": "Written by Threatwright, because OTM puts every component in a trust zone; \
                            Threatwright drops this zone when it imports the file.",
            "risk": { "trustRating": trust_rating(BoundaryKind::Generic) },
            "attributes": { "threatwright": { "implicit": true } },
        }));
    }
    out
}
