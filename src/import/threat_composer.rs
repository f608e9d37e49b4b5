//! AWS Threat Composer import (`.tc.json`, schema 1,
//! <https://github.com/awslabs/threat-composer>): its threats and mitigations
//! laid onto a model.
//!
//! Threat Composer has threat statements, mitigations, assumptions and
//! prose, but no diagram, so the threats need a model to sit on:
//! - [`onto`] lays a file onto a given model (`import threat-composer FILE
//!   --onto MODEL`);
//! - [`import`] uses the model our own export embedded in the architecture
//!   description (a fenced YAML block under [`MODEL_HEADING`]), or, for a file
//!   written in Threat Composer, one element standing for the application
//!   (named after it, with its impacted assets as data assets).
//!
//! A threat our export wrote (its `custom:threatwright-rule` and
//! `-target` metadata derive its id) is one of our threats: its status, and
//! its Comments as the note, become a triage decision. Any other threat is
//! kept (`threat_dragon::notes`, tool `Threat Composer`) on the element an
//! impacted asset or the statement names, else on the fallback element or
//! the model: its statement as the title, STRIDE as the type, priority as
//! severity, the statement's parts, tags and comments as description lines
//! ([`FIELDS`]), and its linked mitigations with their status as the
//! mitigation text, all of which the export writes back. Assumptions become
//! paragraphs of the model's scope.
//!
//! Must not: fail on what it does not understand (that is a warning). Only
//! unreadable JSON, a document that is not Threat Composer's and a
//! malformed embedded model are errors.

use super::{load_document, model_name, validation_warnings, Imported};
use crate::diag::{Diagnostic, Diagnostics};
use crate::import::threat_dragon::notes::{self, KeptThreat, Notes};
use crate::layout;
use crate::model::kind::category_kind;
use crate::model::*;
use crate::yaml::{Mark, Node};
use serde_json::Value as J;
use std::collections::HashMap;

/// The tool name kept threats carry.
pub const TOOL: &str = "Threat Composer";
/// The heading of the architecture description our export embeds the model under.
pub const MODEL_HEADING: &str = "### Threatwright model";
/// Metadata keys of our export (Threat Composer allows `custom:` keys of up to 50 characters).
pub const META_RULE: &str = "custom:threatwright-rule";
pub const META_TARGET: &str = "custom:threatwright-target";
pub const META_STATUS: &str = "custom:threatwright-status";
pub const META_OWNER: &str = "custom:threatwright-owner";
pub const META_DATE: &str = "custom:threatwright-date";
pub const META_DESCRIPTION: &str = "custom:threatwright-description";
pub const META_WHY: &str = "custom:threatwright-why";
/// On a threat kept from another tool (Threat Dragon, OTM, …): that tool.
pub const META_TOOL: &str = "custom:threatwright-tool";

/// The description lines a kept threat's parts are written on, in this order
/// (`Comments:` last, since it may run over several lines).
pub const FIELDS: [&str; 8] = [
    "Threat source: ",
    "Prerequisites: ",
    "Action: ",
    "Impact: ",
    "Impacted goals: ",
    "Impacted assets: ",
    "Tags: ",
    "Number: ",
];
/// The last description line of a kept threat.
pub const COMMENTS: &str = "Comments: ";

/// STRIDE letters and the category names our threats and kept threats use.
pub const STRIDE: [(&str, &str); 6] = [
    ("S", "Spoofing"),
    ("T", "Tampering"),
    ("R", "Repudiation"),
    ("I", "Information Disclosure"),
    ("D", "Denial of Service"),
    ("E", "Elevation of Privilege"),
];

/// A Threat Composer threat status → ours.
pub fn status_of(tc: &str) -> Option<TriageStatus> {
    match tc {
        "threatIdentified" => Some(TriageStatus::Open),
        "threatResolved" => Some(TriageStatus::Mitigated),
        "threatResolvedNotUseful" => Some(TriageStatus::NotApplicable),
        _ => None,
    }
}

/// Our status → Threat Composer's (accepted and transferred are decisions
/// made: resolved; the exact status goes in [`META_STATUS`]).
pub fn tc_status(s: TriageStatus) -> &'static str {
    match s {
        TriageStatus::Open => "threatIdentified",
        TriageStatus::NotApplicable => "threatResolvedNotUseful",
        TriageStatus::Mitigated | TriageStatus::Accepted | TriageStatus::Transferred => "threatResolved",
    }
}

/// A Threat Composer document, read with located errors.
struct Doc<'a> {
    file: &'a str,
    root: Node,
    json: J,
}

impl<'a> Doc<'a> {
    fn read(text: &str, file: &'a str) -> Result<Self, Diagnostics> {
        let root = load_document(text, file)?;
        let at = |n: &Node, msg: String| Diagnostics::one(Diagnostic::new(file, n.mark.line, n.mark.col, msg));
        if root.as_map().is_none() || root.get("schema").is_none() {
            return Err(at(
                &root,
                format!(
                    "expected a Threat Composer document (an object with `schema`, as in a .tc.json file), found {}",
                    if root.as_map().is_some() { "an object without it" } else { root.describe() }
                ),
            ));
        }
        for key in ["threats", "mitigations", "mitigationLinks", "assumptions"] {
            if let Some(n) = root.get(key).filter(|n| !n.is_null() && n.as_seq().is_none()) {
                return Err(at(n, format!("{key}: expected an array, found {}", n.describe())));
            }
        }
        let json = serde_json::from_str(text).unwrap_or(J::Null);
        Ok(Doc { file, root, json })
    }

    fn mark(&self, path: &[&str], i: usize) -> Mark {
        let mut n = &self.root;
        for key in path {
            match n.get(key) {
                Some(x) => n = x,
                None => return n.mark,
            }
        }
        n.as_seq().and_then(|s| s.get(i)).map(|x| x.mark).unwrap_or(n.mark)
    }

    fn items(&self, key: &str) -> &[J] {
        self.json[key].as_array().map(Vec::as_slice).unwrap_or(&[])
    }

    /// The model our export embedded in the architecture description, if any.
    fn embedded(&self) -> Result<Option<Model>, Diagnostics> {
        let Some(text) = self.json["architecture"]["description"].as_str() else { return Ok(None) };
        let Some(after) = text.split_once(MODEL_HEADING).map(|(_, a)| a) else { return Ok(None) };
        let Some(body) = after.split_once("```yaml\n").and_then(|(_, b)| b.split_once("\n```")).map(|(b, _)| b) else {
            return Ok(None);
        };
        let at = self.root.get("architecture").and_then(|a| a.get("description")).map(|n| n.mark).unwrap_or_default();
        crate::yaml::parse_model(body, "embedded model").map(Some).map_err(|d| {
            let first = d.0.first().map(|x| x.to_string()).unwrap_or_default();
            Diagnostics::one(Diagnostic::new(
                self.file,
                at.line,
                at.col,
                format!("architecture.description: the embedded Threatwright model does not read: {first}"),
            ))
        })
    }
}

/// Text of a JSON string (empty otherwise).
fn s(v: &J) -> String {
    v.as_str().unwrap_or("").to_string()
}

/// Strings of a JSON array of strings.
fn strings(v: &J) -> Vec<String> {
    v.as_array().into_iter().flatten().filter_map(J::as_str).map(str::to_string).collect()
}

/// The value of a metadata key of a threat, mitigation or assumption.
fn meta<'j>(item: &'j J, key: &str) -> Option<&'j J> {
    item["metadata"].as_array()?.iter().find(|m| m["key"] == key).map(|m| &m["value"])
}

/// A number as Threat Composer writes it (`22` or `22.0`).
fn number(v: &J) -> String {
    match v.as_f64() {
        Some(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", n as i64),
        Some(n) => n.to_string(),
        None => String::new(),
    }
}

/// Imports a Threat Composer file on its own: onto the model our export
/// embedded, or onto one element standing for the application.
pub fn import(text: &str, file: &str) -> Result<Imported, Diagnostics> {
    let doc = Doc::read(text, file)?;
    match doc.embedded()? {
        Some(model) => Ok(lay(&doc, model, None)),
        None => {
            let (model, app) = application(&doc);
            Ok(lay(&doc, model, Some(app)))
        }
    }
}

/// Lays a Threat Composer file's threats, mitigations and assumptions onto `model`.
pub fn onto(text: &str, file: &str, model: &Model) -> Result<Imported, Diagnostics> {
    let doc = Doc::read(text, file)?;
    Ok(lay(&doc, model.clone(), None))
}

/// A model of one element standing for the application, its impacted assets
/// as data assets; returns it and the element's index.
fn application(doc: &Doc) -> (Model, usize) {
    let info = &doc.json["applicationInfo"];
    let name = s(&info["name"]).trim().to_string();
    let mut model = Model { name: if name.is_empty() { model_name(doc.file) } else { name }, ..Model::default() };
    let mut description = s(&info["description"]).trim().to_string();
    for (key, heading) in [("architecture", "Architecture"), ("dataflow", "Data flow")] {
        let text = s(&doc.json[key]["description"]);
        if !text.trim().is_empty() {
            description = join(&description, &format!("### {heading}\n\n{}", text.trim()));
        }
    }
    model.description = description;
    let mut assets: Vec<String> = Vec::new();
    for t in doc.items("threats") {
        for a in strings(&t["impactedAssets"]) {
            let a = a.trim().to_string();
            if !a.is_empty() && !assets.iter().any(|x| x.eq_ignore_ascii_case(&a)) {
                assets.push(a);
            }
        }
    }
    for name in assets {
        let id = AssetId::derive(&name, 0);
        let description = "An impacted asset of the Threat Composer model".into();
        model.assets.push(DataAsset { id, name, classification: Classification::Internal, tags: vec![], description });
    }
    let element = Element {
        id: ElementId::derive(&model.name, 0),
        name: model.name.clone(),
        kind: category_kind("function").unwrap_or(ElementKind::Function),
        vendor_type: "generic.function".into(),
        boundary: None,
        description: "The application of the Threat Composer model. Draw its parts, then lay the file onto \
                      the drawing with `import threat-composer FILE --onto MODEL`."
            .into(),
        properties: Properties::new(),
        assets: model.assets.iter().map(|a| a.id).collect(),
        mitigations: Vec::new(),
        position: None,
    };
    model.elements.push(element);
    (model, 0)
}

/// Where kept threats go: an element's notes, or the model's.
struct Placement {
    elements: Vec<Notes>,
    model: Notes,
}

impl Placement {
    /// Takes the notes sections out of the model's descriptions.
    fn take(model: &mut Model) -> Self {
        let mut elements = Vec::new();
        for e in &mut model.elements {
            let (text, old) = notes::split(&e.description);
            e.description = text;
            elements.push(old);
        }
        let (text, old) = notes::split(&model.description);
        model.description = text;
        Placement { elements, model: old }
    }

    fn all(&mut self) -> impl Iterator<Item = &mut Notes> {
        self.elements.iter_mut().chain([&mut self.model])
    }

    /// The kept threat with this id, wherever it is.
    fn find(&mut self, id: &str) -> Option<&mut KeptThreat> {
        if id.is_empty() {
            return None;
        }
        self.all().flat_map(|n| n.threats.iter_mut()).find(|k| k.id == id)
    }

    /// Puts the notes sections back.
    fn put(self, model: &mut Model) {
        for (e, n) in model.elements.iter_mut().zip(&self.elements) {
            e.description = notes::append(&e.description, n);
        }
        model.description = notes::append(&model.description, &self.model);
    }
}

fn lay(doc: &Doc, mut model: Model, fallback: Option<usize>) -> Imported {
    let mut warnings = Vec::new();
    let mut warn = |mark: Mark, msg: String| warnings.push(Diagnostic::new(doc.file, mark.line, mark.col, msg));
    for (key, what) in [("architecture", "architecture"), ("dataflow", "data-flow")] {
        if doc.json[key]["image"].as_str().is_some_and(|i| !i.is_empty()) {
            warn(doc.mark(&[key, "image"], 0), format!("{key}.image: the {what} image is not imported"));
        }
    }
    // Mitigations and what links them to threats.
    let mut mitigations: HashMap<String, &J> = HashMap::new();
    for m in doc.items("mitigations") {
        mitigations.insert(s(&m["id"]), m);
    }
    let mut linked: HashMap<String, Vec<String>> = HashMap::new();
    for (i, l) in doc.items("mitigationLinks").iter().enumerate() {
        let (mid, to) = (s(&l["mitigationId"]), s(&l["linkedId"]));
        if !mitigations.contains_key(&mid) {
            warn(doc.mark(&["mitigationLinks"], i), format!("mitigationLinks[{i}]: mitigation `{mid}` is not defined"));
            continue;
        }
        linked.entry(to).or_default().push(mid);
    }
    let mut place = Placement::take(&mut model);
    // Threats of this tool the file no longer has are gone; the others are replaced where they are.
    let incoming: std::collections::HashSet<String> = doc.items("threats").iter().map(|t| s(&t["id"])).collect();
    place.all().for_each(|n| n.threats.retain(|k| k.tool != TOOL || incoming.contains(&k.id)));

    let targets: HashMap<uuid::Uuid, String> = model
        .elements
        .iter()
        .map(|e| (e.id.0, e.name.clone()))
        .chain(model.flows.iter().map(|f| (f.id.0, model.flow_name(f.from, f.to, &f.label))))
        .collect();
    let mut shown: HashMap<uuid::Uuid, TriageDecision> = HashMap::new();
    for (i, t) in doc.items("threats").iter().enumerate() {
        let id = s(&t["id"]);
        let raw = s(&t["status"]);
        let status = meta(t, META_STATUS)
            .and_then(J::as_str)
            .and_then(TriageStatus::parse)
            .or_else(|| status_of(&raw))
            .unwrap_or_else(|| {
                if !raw.is_empty() {
                    warn(doc.mark(&["threats"], i), format!("threats[{i}]: unknown status `{raw}`; kept as open"));
                }
                TriageStatus::Open
            });
        let comments = meta(t, "Comments").map(s).unwrap_or_default();
        if meta(t, META_TOOL).is_some() {
            // A threat kept from another tool: it is still where the embedded model keeps it.
            if let Some(k) = place.find(&id) {
                if k.status.unwrap_or(TriageStatus::Open) != status {
                    k.status = Some(status);
                }
                continue;
            }
        }
        if let Some((tid, rule, target)) = ours(t, &id, &targets) {
            let owner = meta(t, META_OWNER).map(s).unwrap_or_default();
            let date = meta(t, META_DATE).map(s).unwrap_or_default();
            let note = if comments.is_empty() { "Status set in Threat Composer".into() } else { comments };
            shown.insert(tid, TriageDecision { threat: tid, rule, target, status, note, owner, date });
            continue;
        }
        let kept = kept_threat(t, &id, status, &comments, &linked, &mitigations);
        if let Some(k) = place.find(&id) {
            *k = kept; // laid on before: replaced where it is
            continue;
        }
        match target_of(&model, t, fallback) {
            Some(e) => place.elements[e].threats.push(kept),
            None => place.model.threats.push(kept),
        }
    }
    // Triage: a decision stands unless Threat Composer now shows another status.
    model.triage.retain(|d| shown.get(&d.threat).is_none_or(|x| x.status == d.status));
    let mut shown: Vec<TriageDecision> = shown.into_values().collect();
    shown.sort_by_key(|d| d.threat);
    for d in shown {
        if d.status != TriageStatus::Open && !model.triage.iter().any(|x| x.threat == d.threat) {
            model.triage.push(d);
        }
    }
    assumptions(doc, &mut model);
    place.put(&mut model);
    if model.elements.iter().any(|e| e.position.is_none()) {
        layout::auto_layout(&mut model);
    }
    warnings.extend(validation_warnings(&model, doc.file, |_| None));
    Imported { model, warnings }
}

/// Our own threat: its id derives from the rule and target our export wrote,
/// and the target is in the model. Returns the id, rule and target name.
fn ours(t: &J, id: &str, targets: &HashMap<uuid::Uuid, String>) -> Option<(uuid::Uuid, String, String)> {
    let rule = meta(t, META_RULE)?.as_str()?;
    let target = uuid::Uuid::parse_str(meta(t, META_TARGET)?.as_str()?).ok()?;
    let tid = uuid::Uuid::parse_str(id).ok()?;
    (crate::model::ids::threat_id(rule, target) == tid)
        .then(|| targets.get(&target).map(|name| (tid, rule.to_string(), name.clone())))?
}

/// The element a kept threat is about: one an impacted asset names, else
/// the one with the longest name the statement mentions, else the fallback.
fn target_of(model: &Model, t: &J, fallback: Option<usize>) -> Option<usize> {
    if fallback.is_some() {
        return fallback;
    }
    let assets = strings(&t["impactedAssets"]);
    let by_asset = model.elements.iter().position(|e| assets.iter().any(|a| a.trim().eq_ignore_ascii_case(&e.name)));
    if by_asset.is_some() {
        return by_asset;
    }
    let statement = s(&t["statement"]).to_lowercase();
    model
        .elements
        .iter()
        .enumerate()
        .filter(|(_, e)| e.name.chars().count() >= 3 && mentions(&statement, &e.name.to_lowercase()))
        .max_by_key(|(_, e)| e.name.len())
        .map(|(i, _)| i)
}

/// Whether `text` contains `word` with no letter or digit right before or after it.
fn mentions(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A threat from Threat Composer, kept with everything the export needs to write it back.
fn kept_threat(
    t: &J,
    id: &str,
    status: TriageStatus,
    comments: &str,
    linked: &HashMap<String, Vec<String>>,
    mitigations: &HashMap<String, &J>,
) -> KeptThreat {
    let letters = meta(t, "STRIDE").map(strings).unwrap_or_default();
    let kind = letters
        .iter()
        .filter_map(|l| STRIDE.iter().find(|(k, _)| k.eq_ignore_ascii_case(l)).map(|(_, n)| *n))
        .collect::<Vec<_>>()
        .join(", ");
    let values = [
        s(&t["threatSource"]),
        s(&t["prerequisites"]),
        s(&t["threatAction"]),
        s(&t["threatImpact"]),
        strings(&t["impactedGoal"]).join("; "),
        strings(&t["impactedAssets"]).join("; "),
        strings(&t["tags"]).join("; "),
        number(&t["numericId"]),
    ];
    let mut lines: Vec<String> = FIELDS
        .iter()
        .zip(values)
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}{}", v.replace('\n', " ")))
        .collect();
    if !comments.trim().is_empty() {
        lines.push(format!("{COMMENTS}{}", comments.trim()));
    }
    let mut mitigation = Vec::new();
    for mid in linked.get(id).into_iter().flatten() {
        let m = mitigations[mid];
        let state = s(&m["status"]);
        let state = if state.is_empty() { "mitigationIdentified".to_string() } else { state };
        mitigation.push(format!("- {} [{state}; id {mid}]", s(&m["content"]).replace('\n', " ")));
        if let Some(c) = meta(m, "Comments").and_then(J::as_str).filter(|c| !c.trim().is_empty()) {
            mitigation.push(format!("  {}", c.replace('\n', " ")));
        }
    }
    let statement = s(&t["statement"]);
    KeptThreat {
        tool: TOOL.into(),
        title: if statement.trim().is_empty() { s(&t["threatAction"]) } else { statement },
        status: Some(status),
        kind,
        severity: meta(t, "Priority").map(s).unwrap_or_default(),
        id: id.to_string(),
        description: lines.join("\n"),
        mitigation: mitigation.join("\n"),
        ..KeptThreat::default()
    }
}

/// Assumptions as paragraphs of the scope (`content`, then a `Comments:` line), once each.
fn assumptions(doc: &Doc, model: &mut Model) {
    for a in doc.items("assumptions") {
        let content = s(&a["content"]).trim().to_string();
        if content.is_empty() {
            continue;
        }
        let comments = meta(a, "Comments").map(s).unwrap_or_default();
        let paragraph = if comments.trim().is_empty() {
            content
        } else {
            format!("{content}\n{COMMENTS}{}", comments.trim().replace('\n', " "))
        };
        if !model.scope.split("\n\n").any(|p| p.trim() == paragraph) {
            model.scope = join(&model.scope, &paragraph);
        }
    }
}

/// Text with a paragraph appended after a blank line.
fn join(text: &str, paragraph: &str) -> String {
    if text.trim().is_empty() {
        paragraph.to_string()
    } else {
        format!("{}\n\n{paragraph}", text.trim_end())
    }
}
