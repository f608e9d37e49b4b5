//! Open Threat Model (OTM) importer: IriusRisk's open JSON format
//! (`otmVersion` 0.2.0, <https://github.com/iriusrisk/OpenThreatModel>).
//!
//! Mapping: `trustZones` → boundaries (nested through `parent.trustZone`; the
//! kind from the zone's type or name, else from its `trustRating`: 30 or less
//! is the Internet), `components` → elements (an IriusRisk component id such
//! as `aws-lambda-function` or `sqs-simple-queue-service` maps to our vendor
//! type through [`TYPES`]; another type is guessed from the type and name and
//! kept as an `Open Threat Model type:` line of the description, which the
//! OTM export writes back), a component inside a component (`parent.component`)
//! goes to its parent's boundary, `dataflows` → flows (`bidirectional` adds
//! the reverse flow), `assets` → data assets (classification from their
//! confidentiality). Positions come from `representations` when every element
//! and boundary has one and they agree with membership; otherwise the model
//! is laid out.
//!
//! OTM threats cannot become triage decisions (their ids are not ours): each
//! threat a component or data flow references is kept on its element
//! (`threat_dragon::notes`, tool `Open Threat Model`) with its state as status
//! and its mitigations, with their states, as mitigation text.
//!
//! What our own export (`export/otm.rs`) wrote comes back whole: a threat
//! whose `attributes.threatwright.rule` names the rule that derives its id is
//! a derived threat, and its state a triage status; `attributes.threatwright`
//! objects restore vendor types, properties, grants, triage and threats kept
//! from other tools (`kept`); the zone marked `implicit` holds what is outside
//! every boundary and is dropped.
//!
//! Must not: fail on what it does not understand (that is a warning). Only
//! unreadable JSON, a document that is not OTM and a data flow to a component
//! that does not exist are errors.

use super::builder::unique_name;
use super::{load_document, model_name, validation_warnings, Imported};
use crate::diag::{Diagnostic, Diagnostics};
use crate::import::threat_dragon::notes::{self, KeptThreat, Notes};
use crate::layout;
use crate::model::kind::{category_kind, category_of};
use crate::model::*;
use crate::yaml::{Mark, Node};
use serde_json::Value as J;
use std::collections::{HashMap, HashSet};

/// The tool name kept threats carry.
pub const TOOL: &str = "Open Threat Model";
/// The description line that keeps an OTM type we have no vendor type for.
pub const TYPE_MARKER: &str = "Open Threat Model type: ";
/// The id of the trust zone our export puts elements outside every boundary in.
pub const IMPLICIT_ZONE: &str = "threatwright-outside-every-boundary";

/// IriusRisk component ids (as StartLeft writes them into OTM) and our vendor
/// types. The first row of a vendor type is what the export writes.
pub const TYPES: &[(&str, &str)] = &[
    ("aws-lambda-function", "aws.lambda"),
    ("step-functions", "aws.stepfunctions"),
    ("elastic-container-service", "aws.ecs_fargate"),
    ("api-gateway", "aws.apigateway"),
    ("load-balancer", "aws.alb"),
    ("sqs-simple-queue-service", "aws.sqs"),
    ("sns", "aws.sns"),
    ("eventbridge", "aws.eventbridge"),
    ("kinesis-data-analytics", "aws.kinesis"),
    ("cf-cloudfront", "aws.cloudfront"),
    ("dynamodb", "aws.dynamodb"),
    ("s3", "aws.s3"),
    ("rds", "aws.rds"),
    ("elasticache", "aws.elasticache"),
    ("CD-SECRETS-MANAGER", "aws.secretsmanager"),
    ("CD-SYSTEMS-MANAGER", "aws.ssm_parameter"),
    ("kms", "aws.kms"),
    ("cloudwatch", "aws.cloudwatch_logs"),
    ("cloudtrail", "aws.cloudtrail"),
    ("cognito", "aws.cognito"),
    ("CD-CODEPIPELINE", "aws.codepipeline"),
    ("web-client", "generic.browser"),
    ("generic-client", "generic.user"),
    ("database", "generic.database"),
    ("web-service", "generic.function"),
];

/// IriusRisk's built-in trust zone ids (used as the zone `type` by StartLeft).
const ZONE_INTERNET: &str = "f0ba7722-39b6-4c81-8290-a30a248bb8d9";
const ZONE_PUBLIC_CLOUD: &str = "b61d6911-338d-46a8-9f39-8dcd24abfe91";

const NODE_W: f64 = layout::NODE_WIDTH as f64;
const NODE_H: f64 = layout::NODE_HEIGHT as f64;

use crate::import::geometry::{contains, Rect};

/// Imports an Open Threat Model JSON (or YAML) document.
pub fn import(text: &str, file: &str) -> Result<Imported, Diagnostics> {
    let root = load_document(text, file)?;
    let err = |n: &Node, msg: String| Diagnostics::one(Diagnostic::new(file, n.mark.line, n.mark.col, msg));
    if root.as_map().is_none() || root.get("otmVersion").is_none() || root.get("project").is_none() {
        return Err(err(
            &root,
            format!(
                "expected an Open Threat Model document (an object with `otmVersion` and `project`), found {}",
                if root.as_map().is_some() { "an object without them" } else { root.describe() }
            ),
        ));
    }
    // Our own export's `attributes.threatwright` objects, read with serde at
    // the same indices as the located tree.
    let json: J = serde_json::from_str(text).unwrap_or(J::Null);
    let mut im = Importer::new(file, &json);
    im.header(&root);
    im.assets(&root);
    im.definitions(&root);
    im.zones(&root)?;
    im.components(&root)?;
    im.dataflows(&root)?;
    Ok(im.finish())
}

/// The text of a scalar; empty for a missing or null one.
fn text(n: Option<&Node>) -> String {
    match n {
        Some(n) if !n.is_null() => n.as_scalar().unwrap_or("").to_string(),
        _ => String::new(),
    }
}

fn num(n: Option<&Node>) -> Option<f64> {
    let v: f64 = n?.as_scalar()?.trim().parse().ok()?;
    v.is_finite().then_some(v)
}

fn clamp(v: f64) -> i64 {
    v.round().clamp(-1e9, 1e9) as i64
}

fn seq(n: Option<&Node>) -> &[Node] {
    n.and_then(Node::as_seq).unwrap_or(&[])
}

/// Whether a word of `name` is one of `words` (case-insensitive).
fn has(name: &str, words: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.split(|c: char| !c.is_ascii_alphanumeric()).any(|t| words.contains(&t))
}

/// Our vendor type for an OTM component type, and whether it is exact
/// (otherwise guessed from the type and the name).
pub fn vendor_type(otm_type: &str, name: &str) -> (String, bool) {
    if let Some((_, v)) = TYPES.iter().find(|(o, _)| o.eq_ignore_ascii_case(otm_type)) {
        return (v.to_string(), true);
    }
    if category_of(otm_type).is_some() {
        return (otm_type.to_string(), true);
    }
    let both = format!("{otm_type} {name}");
    let cat = if has(&both, &["browser", "web", "mobile", "spa"]) && has(&both, &["client", "browser", "app"]) {
        "browser"
    } else if has(&both, &["user", "actor", "customer", "client", "person"]) {
        "user"
    } else if has(&both, &["database", "db", "sql", "postgres", "mysql", "oracle", "rds"]) {
        "database"
    } else if has(&both, &["bucket", "storage", "blob", "files"]) {
        "bucket"
    } else if has(&both, &["queue", "mq"]) {
        "queue"
    } else if has(&both, &["topic"]) {
        "topic"
    } else if has(&both, &["cache", "redis"]) {
        "cache"
    } else if has(&both, &["gateway", "api"]) {
        "api"
    } else if has(&both, &["table", "store", "nosql"]) {
        "table"
    } else {
        "function"
    };
    (format!("generic.{cat}"), false)
}

/// The OTM type the export writes for a vendor type: the IriusRisk id when
/// there is one, else the vendor type itself.
pub fn otm_type(vendor_type: &str) -> String {
    TYPES.iter().find(|(_, v)| *v == vendor_type).map(|(o, _)| o.to_string()).unwrap_or_else(|| vendor_type.into())
}

/// An OTM state → our status; `None` when unrecognised.
pub fn otm_state(state: &str) -> Option<TriageStatus> {
    let t: String = state.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    match t.as_str() {
        // StartLeft writes a Microsoft TMT file's states as they are (AutoGenerated, NotStarted, …).
        "" | "open" | "expose" | "exposed" | "partlymitigated" | "partlymitigate" | "required" | "autogenerated"
        | "notstarted" | "needsinvestigation" => Some(TriageStatus::Open),
        "mitigate" | "mitigated" | "implemented" => Some(TriageStatus::Mitigated),
        "accept" | "accepted" => Some(TriageStatus::Accepted),
        "notapplicable" | "na" | "hidden" => Some(TriageStatus::NotApplicable),
        "transfer" | "transferred" => Some(TriageStatus::Transferred),
        _ => None,
    }
}

/// Our status → the OTM state the export writes (IriusRisk's words).
pub fn state_name(s: TriageStatus) -> &'static str {
    match s {
        TriageStatus::Open => "exposed",
        TriageStatus::Mitigated => "mitigated",
        TriageStatus::Accepted => "accepted",
        TriageStatus::NotApplicable => "not-applicable",
        TriageStatus::Transferred => "transferred",
    }
}

/// Boundary kind from an OTM zone's type, name and trust rating.
fn zone_kind(ty: &str, name: &str, rating: Option<f64>) -> BoundaryKind {
    if let Some(k) = BoundaryKind::parse(ty) {
        return k;
    }
    let both = format!("{ty} {name}");
    if ty == ZONE_INTERNET
        || has(&both, &["internet", "public", "untrusted", "external", "dmz"]) && !has(&both, &["cloud"])
    {
        BoundaryKind::Internet
    } else if ty == ZONE_PUBLIC_CLOUD || has(&both, &["account", "aws", "cloud", "subscription", "project"]) {
        BoundaryKind::Account
    } else if has(&both, &["vpc", "vnet", "network"]) {
        BoundaryKind::Vpc
    } else if has(&both, &["subnet"]) {
        BoundaryKind::Subnet
    } else if has(&both, &["partner", "third", "vendor"]) {
        BoundaryKind::Partner
    } else if has(&both, &["corporate", "corp", "office", "intranet"]) {
        BoundaryKind::Corporate
    } else if rating.is_some_and(|r| r <= 30.0) {
        BoundaryKind::Internet
    } else {
        BoundaryKind::Generic
    }
}

/// A threat instance waiting for its target's name (flows are read last).
struct Instance {
    threat: KeptThreat,
    /// Our own threat: rule id.
    rule: Option<String>,
}

struct Importer<'a> {
    file: String,
    json: &'a J,
    model: Model,
    warnings: Vec<Diagnostic>,
    zones: HashMap<String, usize>,
    /// Zones our export wrote for elements outside every boundary.
    implicit_zones: HashSet<String>,
    zone_rects: Vec<Option<Rect>>,
    components: HashMap<String, usize>,
    rects: Vec<Option<Rect>>,
    names: HashSet<String>,
    notes: Vec<Notes>,
    marks: HashMap<uuid::Uuid, Mark>,
    /// Top-level threat definitions and mitigations by id.
    threat_defs: HashMap<String, (&'a Node, usize)>,
    mitigation_defs: HashMap<String, (String, String)>,
    assets: HashMap<String, AssetId>,
    /// Statuses OTM shows for threats we exported.
    ours: HashMap<uuid::Uuid, (TriageStatus, String, String)>,
}

impl<'a> Importer<'a> {
    fn new(file: &str, json: &'a J) -> Self {
        Importer {
            file: file.to_string(),
            json,
            model: Model::default(),
            warnings: Vec::new(),
            zones: HashMap::new(),
            implicit_zones: HashSet::new(),
            zone_rects: Vec::new(),
            components: HashMap::new(),
            rects: Vec::new(),
            names: HashSet::new(),
            notes: Vec::new(),
            marks: HashMap::new(),
            threat_defs: HashMap::new(),
            mitigation_defs: HashMap::new(),
            assets: HashMap::new(),
            ours: HashMap::new(),
        }
    }

    fn warn(&mut self, mark: Mark, message: impl Into<String>) {
        crate::import::push_warning(&mut self.warnings, &self.file, mark, message);
    }

    fn fail(&self, n: &Node, message: String) -> Diagnostics {
        Diagnostics::one(Diagnostic::new(&self.file, n.mark.line, n.mark.col, message))
    }

    /// `attributes.threatwright` of the `i`th item of a top-level list (our export only).
    fn ours_of(&self, list: &str, i: usize) -> &'a J {
        &self.json[list][i]["attributes"]["threatwright"]
    }

    fn header(&mut self, root: &Node) {
        let project = root.get("project");
        let p = |k: &str| text(project.and_then(|p| p.get(k)));
        let name = p("name");
        self.model.name = if name.trim().is_empty() { model_name(&self.file) } else { name };
        self.model.description = p("description");
        self.model.author = p("owner");
        let version = text(root.get("otmVersion"));
        if !version.starts_with("0.") {
            let at = root.get("otmVersion").map(|n| n.mark).unwrap_or(root.mark);
            self.warn(at, format!("otmVersion `{version}` is not a 0.x version; read as 0.2.0"));
        }
        let extra = &self.json["project"]["attributes"]["threatwright"];
        if let Some(v) = extra["version"].as_str() {
            self.model.version = v.to_string();
        }
        if let Some(v) = extra["scope"].as_str() {
            self.model.scope = v.to_string();
        }
        if let Ok(r) = serde_json::from_value(extra["risk"].clone()) {
            self.model.risk = r;
        }
        self.model.triage = list(&extra["triage"]);
    }

    fn assets(&mut self, root: &Node) {
        let ours: Vec<DataAsset> = list(&self.json["project"]["attributes"]["threatwright"]["assets"]);
        let mut taken = HashSet::new();
        for (i, a) in seq(root.get("assets")).iter().enumerate() {
            let id = text(a.get("id"));
            let wanted = text(a.get("name"));
            let wanted = if wanted.trim().is_empty() { format!("Asset {}", i + 1) } else { wanted };
            let name = unique_name(wanted.trim(), |n| taken.contains(n));
            taken.insert(name.clone());
            let asset_id = uuid::Uuid::parse_str(&id).map(AssetId).unwrap_or_else(|_| AssetId::derive(&name, 0));
            let asset = ours.iter().find(|o| o.id == asset_id).cloned().unwrap_or_else(|| {
                let c = num(a.get("risk").and_then(|r| r.get("confidentiality"))).unwrap_or(50.0);
                let classification = match c {
                    c if c >= 90.0 => Classification::Restricted,
                    c if c >= 60.0 => Classification::Confidential,
                    c if c >= 30.0 => Classification::Internal,
                    _ => Classification::Public,
                };
                DataAsset {
                    id: asset_id,
                    name,
                    classification,
                    tags: Vec::new(),
                    description: text(a.get("description")),
                }
            });
            if self.model.assets.iter().any(|x| x.id == asset.id) {
                self.warn(a.mark, format!("assets[{i}]: duplicate asset id `{id}`; skipped"));
                continue;
            }
            self.assets.insert(id, asset.id);
            self.model.assets.push(asset);
        }
    }

    fn definitions(&mut self, root: &'a Node) {
        for (i, t) in seq(root.get("threats")).iter().enumerate() {
            let id = text(t.get("id"));
            if id.is_empty() {
                self.warn(t.mark, format!("threats[{i}]: a threat without an `id`; nothing can reference it"));
                continue;
            }
            self.threat_defs.insert(id, (t, i));
        }
        for m in seq(root.get("mitigations")) {
            let name = text(m.get("name"));
            let description = text(m.get("description"));
            self.mitigation_defs.insert(text(m.get("id")), (name, description));
        }
    }

    /// The rectangle of the first representation with a position.
    fn rect(n: &Node, w: f64, h: f64) -> Option<Rect> {
        seq(n.get("representations")).iter().find_map(|r| {
            let p = r.get("position")?;
            let size = r.get("size");
            let w = num(size.and_then(|s| s.get("width"))).filter(|v| *v > 0.0).unwrap_or(w);
            let h = num(size.and_then(|s| s.get("height"))).filter(|v| *v > 0.0).unwrap_or(h);
            Some((num(p.get("x"))?, num(p.get("y"))?, w, h))
        })
    }

    fn zones(&mut self, root: &Node) -> Result<(), Diagnostics> {
        let Some(zones) = root.get("trustZones").filter(|z| !z.is_null()) else { return Ok(()) };
        let Some(zones) = zones.as_seq() else {
            return Err(self.fail(zones, format!("trustZones: expected an array, found {}", zones.describe())));
        };
        let mut taken = HashSet::new();
        let mut parents = Vec::new();
        for (i, z) in zones.iter().enumerate() {
            let otm_id = text(z.get("id"));
            if self.ours_of("trustZones", i)["implicit"] == J::Bool(true) {
                self.implicit_zones.insert(otm_id);
                continue;
            }
            let wanted = text(z.get("name"));
            let wanted = if wanted.trim().is_empty() { "Trust zone".to_string() } else { wanted.trim().to_string() };
            let name = unique_name(&wanted, |n| taken.contains(n));
            taken.insert(name.clone());
            let rating = num(z.get("risk").and_then(|r| r.get("trustRating")));
            let ours = self.ours_of("trustZones", i);
            let kind = ours["kind"]
                .as_str()
                .and_then(BoundaryKind::parse)
                .unwrap_or_else(|| zone_kind(&text(z.get("type")), &name, rating));
            let id = uuid::Uuid::parse_str(&otm_id)
                .ok()
                .map(BoundaryId)
                .filter(|id| !self.model.boundaries.iter().any(|b| b.id == *id))
                .unwrap_or_else(|| BoundaryId::derive(&name, 0));
            if otm_id.is_empty() || self.zones.insert(otm_id.clone(), self.model.boundaries.len()).is_some() {
                self.warn(
                    z.mark,
                    format!("trustZones[{i}]: missing or duplicate id `{otm_id}`; nothing can be inside it"),
                );
            }
            let rect = Self::rect(z, 0.0, 0.0).filter(|r| r.2 > 0.0 && r.3 > 0.0);
            self.zone_rects.push(rect);
            self.marks.insert(id.0, z.mark);
            parents.push((z.get("parent").map(|p| text(p.get("trustZone"))).unwrap_or_default(), z.mark, i));
            self.model.boundaries.push(Boundary {
                id,
                name,
                kind,
                parent: None,
                description: text(z.get("description")),
                position: rect.map(|r| Position { x: clamp(r.0), y: clamp(r.1) }),
                size: rect.map(|r| Size { width: clamp(r.2), height: clamp(r.3) }),
            });
        }
        for (b, (parent, mark, i)) in parents.into_iter().enumerate() {
            if parent.is_empty() {
                continue;
            }
            match self.zones.get(&parent) {
                Some(&p) if p != b => self.model.boundaries[b].parent = Some(self.model.boundaries[p].id),
                _ => self
                    .warn(mark, format!("trustZones[{i}]: parent trust zone `{parent}` is unknown; kept at the top")),
            }
        }
        Ok(())
    }

    fn components(&mut self, root: &'a Node) -> Result<(), Diagnostics> {
        let Some(list) = root.get("components").filter(|c| !c.is_null()) else { return Ok(()) };
        let Some(items) = list.as_seq() else {
            return Err(self.fail(list, format!("components: expected an array, found {}", list.describe())));
        };
        let mut parent_components = Vec::new();
        for (i, c) in items.iter().enumerate() {
            if c.as_map().is_none() {
                self.warn(
                    c.mark,
                    format!("components[{i}]: expected a component object, found {}; skipped", c.describe()),
                );
                continue;
            }
            let parent = c.get("parent");
            let zone = text(parent.and_then(|p| p.get("trustZone")));
            let in_component = text(parent.and_then(|p| p.get("component")));
            let idx = self.component(c, i);
            if self.implicit_zones.contains(&zone) {
                continue;
            }
            if !zone.is_empty() {
                match self.zones.get(&zone) {
                    Some(&b) => self.model.elements[idx].boundary = Some(self.model.boundaries[b].id),
                    None => self.warn(
                        c.mark,
                        format!("components[{i}]: trust zone `{zone}` is unknown; outside every boundary"),
                    ),
                }
            } else if !in_component.is_empty() {
                parent_components.push((idx, in_component, c.mark, i));
            } else {
                self.warn(
                    c.mark,
                    format!("components[{i}]: no `parent` trust zone or component; outside every boundary"),
                );
            }
        }
        // A component inside a component shares its parent's boundary (OTM
        // nests components; our elements do not nest). Parents may nest too.
        let parent_of: HashMap<usize, usize> =
            parent_components.iter().filter_map(|(idx, p, _, _)| Some((*idx, *self.components.get(p)?))).collect();
        for (idx, parent, mark, i) in parent_components {
            let Some(&p) = self.components.get(&parent).filter(|p| **p != idx) else {
                self.warn(
                    mark,
                    format!("components[{i}]: parent component `{parent}` is unknown; outside every boundary"),
                );
                continue;
            };
            let mut at = p;
            for _ in 0..parent_of.len() {
                match parent_of.get(&at) {
                    Some(&up) if self.model.elements[at].boundary.is_none() => at = up,
                    _ => break,
                }
            }
            self.model.elements[idx].boundary = self.model.elements[at].boundary;
            let pname = self.model.elements[p].name.clone();
            let e = &mut self.model.elements[idx];
            e.description = join(&e.description, &format!("Inside component {pname}."));
        }
        Ok(())
    }

    /// One component as an element; returns its index.
    fn component(&mut self, c: &'a Node, i: usize) -> usize {
        let otm_id = text(c.get("id"));
        let wanted = text(c.get("name"));
        let wanted = if wanted.trim().is_empty() { "Component".to_string() } else { wanted.trim().to_string() };
        let name = unique_name(&wanted, |n| self.names.contains(n));
        if name != wanted {
            self.warn(
                c.mark,
                format!("components[{i}]: another element is already named `{wanted}`; this one is `{name}`"),
            );
        }
        self.names.insert(name.clone());
        let raw_type = text(c.get("type"));
        let ours = self.ours_of("components", i);
        let tw_type = ours["type"].as_str().filter(|t| category_of(t).is_some());
        let (vendor, exact) = match tw_type {
            Some(t) => (t.to_string(), true),
            None => vendor_type(&raw_type, &name),
        };
        let kind = category_of(&vendor).and_then(category_kind).unwrap_or(ElementKind::Function);
        let mut description = text(c.get("description"));
        let (before, old) = notes::split(&description);
        description = before;
        let keep_type = !exact || (tw_type.is_none() && otm_type(&vendor) != raw_type);
        if keep_type && !raw_type.is_empty() && !description.lines().any(|l| l.starts_with(TYPE_MARKER)) {
            description = join(&description, &format!("{TYPE_MARKER}{raw_type}"));
        }
        let id = uuid::Uuid::parse_str(&otm_id)
            .ok()
            .map(ElementId)
            .filter(|id| !self.model.elements.iter().any(|e| e.id == *id))
            .unwrap_or_else(|| ElementId::derive(&name, 0));
        let properties = serde_json::from_value(ours["properties"].clone()).unwrap_or_default();
        let mitigations = list(&ours["mitigations"]);
        let mut assets: Vec<AssetId> = Vec::new();
        for k in ["processed", "stored"] {
            for a in seq(c.get("assets").and_then(|a| a.get(k))) {
                if let Some(&id) = self.assets.get(&text(Some(a))) {
                    if !assets.contains(&id) {
                        assets.push(id);
                    }
                }
            }
        }
        let idx = self.model.elements.len();
        if otm_id.is_empty() || self.components.insert(otm_id.clone(), idx).is_some() {
            self.warn(
                c.mark,
                format!("components[{i}]: missing or duplicate id `{otm_id}`; data flows reach the first"),
            );
        }
        self.marks.insert(id.0, c.mark);
        self.rects.push(Self::rect(c, NODE_W, NODE_H));
        let mut old = old;
        if let Some(reason) = ours["outOfScope"].as_str() {
            old.out_of_scope = Some(reason.to_string());
        }
        self.notes.push(old);
        self.model.elements.push(Element {
            id,
            name: name.clone(),
            kind,
            vendor_type: vendor,
            boundary: None,
            description,
            properties,
            assets,
            mitigations,
            position: None,
        });
        let instances = self.instances(c, &format!("components[{i}]"));
        self.keep(idx, instances, None, &name, id.0);
        idx
    }

    /// The threats a component or data flow references.
    fn instances(&mut self, n: &Node, path: &str) -> Vec<Instance> {
        let mut out = Vec::new();
        let Some(list) = n.get("threats").filter(|t| !t.is_null()) else { return out };
        let Some(items) = list.as_seq() else {
            self.warn(list.mark, format!("{path}.threats: expected an array, found {}; ignored", list.describe()));
            return out;
        };
        for (i, t) in items.iter().enumerate() {
            let tid = text(t.get("threat"));
            let raw = text(t.get("state"));
            let status = otm_state(&raw).unwrap_or_else(|| {
                self.warn(t.mark, format!("{path}.threats[{i}]: unknown state `{raw}`; kept as open"));
                TriageStatus::Open
            });
            let mut kept = KeptThreat {
                tool: TOOL.into(),
                title: tid.clone(),
                status: Some(status),
                id: tid.clone(),
                ..KeptThreat::default()
            };
            let mut rule = None;
            let mut restored = None;
            match self.threat_defs.get(&tid).copied() {
                Some((def, di)) => {
                    let ours = &self.json["threats"][di]["attributes"]["threatwright"];
                    rule = ours["rule"].as_str().map(str::to_string);
                    self.describe_threat(&mut kept, def);
                    restored = ours["kept"].as_object();
                }
                None => self.warn(
                    t.mark,
                    format!("{path}.threats[{i}]: threat `{tid}` is not defined under `threats`; kept by its id"),
                ),
            }
            let mut lines = Vec::new();
            for m in seq(t.get("mitigations")) {
                let mid = text(m.get("mitigation"));
                let state = text(m.get("state"));
                let (name, description) =
                    self.mitigation_defs.get(&mid).cloned().unwrap_or_else(|| (mid.clone(), String::new()));
                lines.push(format!("- {name} [{state}; id {mid}]"));
                if !description.is_empty() && description != name {
                    lines.push(format!("  {}", description.replace('\n', " ")));
                }
            }
            kept.mitigation = lines.join("\n");
            if let Some(k) = restored {
                restore_kept(&mut kept, k);
            }
            out.push(Instance { threat: kept, rule });
        }
        out
    }

    fn describe_threat(&self, kept: &mut KeptThreat, def: &Node) {
        let name = text(def.get("name"));
        if !name.trim().is_empty() {
            kept.title = name;
        }
        kept.kind = seq(def.get("categories"))
            .iter()
            .map(|c| text(Some(c)))
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let risk = def.get("risk");
        let (l, i) = (num(risk.and_then(|r| r.get("likelihood"))), num(risk.and_then(|r| r.get("impact"))));
        kept.score = match (l, i) {
            (Some(l), Some(i)) => format!("likelihood {l}, impact {i}"),
            (None, Some(i)) => format!("impact {i}"),
            _ => String::new(),
        };
        let mut description = text(def.get("description"));
        let cwes: Vec<String> = seq(def.get("cwes")).iter().map(|c| text(Some(c))).filter(|c| !c.is_empty()).collect();
        if !cwes.is_empty() {
            description = join(&description, &format!("CWEs: {}", cwes.join(", ")));
        }
        kept.description = description;
    }

    /// Files threat instances on element `idx`: ours become statuses, others kept threats.
    fn keep(
        &mut self,
        idx: usize,
        instances: Vec<Instance>,
        flow: Option<(FlowId, String)>,
        target: &str,
        target_id: uuid::Uuid,
    ) {
        for Instance { mut threat, rule } in instances {
            if let (Some(rule), Ok(tid)) = (rule, uuid::Uuid::parse_str(&threat.id)) {
                if crate::model::ids::threat_id(&rule, target_id) == tid {
                    let status = threat.status.unwrap_or(TriageStatus::Open);
                    self.ours.insert(tid, (status, rule, target.to_string()));
                    continue;
                }
            }
            if let Some((id, label)) = &flow {
                threat.flow = Some(id.to_string());
                if threat.flow_label.is_empty() {
                    threat.flow_label = label.clone();
                }
            }
            self.notes[idx].threats.push(threat);
        }
    }

    fn dataflows(&mut self, root: &'a Node) -> Result<(), Diagnostics> {
        let Some(list) = root.get("dataflows").filter(|d| !d.is_null()) else { return Ok(()) };
        let Some(items) = list.as_seq() else {
            return Err(self.fail(list, format!("dataflows: expected an array, found {}", list.describe())));
        };
        let mut seen: HashSet<(ElementId, ElementId)> = HashSet::new();
        for (i, d) in items.iter().enumerate() {
            let path = format!("dataflows[{i}]");
            let mut ends = [0usize; 2];
            for (k, key) in ["source", "destination"].iter().enumerate() {
                let Some(n) = d.get(key) else {
                    return Err(self.fail(d, format!("{path}: no `{key}`")));
                };
                let name = text(Some(n));
                match self.components.get(&name) {
                    Some(&e) => ends[k] = e,
                    None => return Err(self.fail(n, format!("{path}.{key}: `{name}` is not the id of a component"))),
                }
            }
            let [a, b] = ends;
            let label = text(d.get("name"));
            if a == b {
                self.warn(d.mark, format!("{path}: data flow `{label}` loops on one component; skipped"));
                continue;
            }
            let (ea, eb) = (self.model.elements[a].id, self.model.elements[b].id);
            let ours = self.ours_of("dataflows", i);
            let properties: Properties = serde_json::from_value(ours["properties"].clone()).unwrap_or_default();
            let assets: Vec<AssetId> =
                seq(d.get("assets")).iter().filter_map(|x| self.assets.get(&text(Some(x))).copied()).collect();
            let id = uuid::Uuid::parse_str(&text(d.get("id")))
                .ok()
                .map(FlowId)
                .filter(|id| !self.model.flows.iter().any(|f| f.id == *id))
                .unwrap_or_else(|| FlowId::derive(&format!("{}:{i}", text(d.get("id"))), 0));
            let (na, nb) = (self.model.elements[a].name.clone(), self.model.elements[b].name.clone());
            let target = self.model.flow_name(ea, eb, &label);
            let flow_label = if label.is_empty() { nb.clone() } else { format!("{label} → {nb}") };
            let instances = self.instances(d, &path);
            self.keep(a, instances, Some((id, flow_label)), &target, id.0);
            let bidirectional = d.get("bidirectional").and_then(Node::as_bool).unwrap_or(false);
            let mut pairs = vec![(ea, eb, id)];
            if bidirectional {
                pairs.push((eb, ea, FlowId::derive(&format!("{id}:reverse"), 0)));
            }
            for (from, to, fid) in pairs {
                if !seen.insert((from, to)) {
                    self.warn(
                        d.mark,
                        format!("{path}: a second data flow from `{na}` to `{nb}`; merged into the first"),
                    );
                    continue;
                }
                self.marks.insert(fid.0, d.mark);
                self.model.flows.push(Flow {
                    id: fid,
                    from,
                    to,
                    label: label.clone(),
                    properties: properties.clone(),
                    assets: assets.clone(),
                });
            }
        }
        Ok(())
    }

    /// Whether the representations place every element and boundary, apart,
    /// and inside their boundaries.
    fn placed(&self) -> bool {
        let mut at = HashSet::new();
        let all = self.rects.iter().all(|r| r.is_some_and(|r| at.insert((clamp(r.0), clamp(r.1)))))
            && self.zone_rects.iter().all(Option::is_some);
        all && self.model.elements.iter().zip(&self.rects).all(|(e, r)| match (e.boundary, r) {
            (Some(b), Some(r)) => {
                let zi = self.model.boundaries.iter().position(|x| x.id == b);
                zi.and_then(|z| self.zone_rects[z]).is_some_and(|z| contains(z, *r))
            }
            _ => true,
        })
    }

    fn finish(mut self) -> Imported {
        for (e, n) in self.model.elements.iter_mut().zip(&self.notes) {
            e.description = notes::append(&e.description, n);
        }
        // Triage: a decision of our export stands unless OTM now shows another status.
        let ours = std::mem::take(&mut self.ours);
        self.model.triage.retain(|d| ours.get(&d.threat).is_none_or(|(s, _, _)| *s == d.status));
        let mut shown: Vec<_> = ours.into_iter().collect();
        shown.sort_by_key(|(t, _)| *t);
        for (threat, (status, rule, target)) in shown {
            if status != TriageStatus::Open && !self.model.triage.iter().any(|d| d.threat == threat) {
                self.model.triage.push(TriageDecision {
                    threat,
                    rule,
                    target,
                    status,
                    note: "Status set in an Open Threat Model tool".into(),
                    owner: String::new(),
                    date: String::new(),
                });
            }
        }
        let elements: HashSet<ElementId> = self.model.elements.iter().map(|e| e.id).collect();
        self.model.grants = list::<Grant>(&self.json["project"]["attributes"]["threatwright"]["grants"])
            .into_iter()
            .filter(|g| {
                elements.contains(&g.principal)
                    && !matches!(g.target, GrantTarget::Element(t) if !elements.contains(&t))
            })
            .collect();
        if self.placed() {
            for (e, r) in self.model.elements.iter_mut().zip(&self.rects) {
                e.position = r.map(|r| Position { x: clamp(r.0), y: clamp(r.1) });
            }
        } else if !self.model.elements.is_empty() {
            layout::auto_layout(&mut self.model);
        }
        let locate = |s: Subject| match s {
            Subject::Element(u) | Subject::Boundary(u) | Subject::Flow(u) => self.marks.get(&u).copied(),
            _ => None,
        };
        let problems = validation_warnings(&self.model, &self.file, locate);
        self.warnings.extend(problems);
        Imported { model: self.model, warnings: self.warnings }
    }
}

/// What our export kept of a threat from another tool (`attributes.threatwright.kept`),
/// written over what the OTM fields said.
fn restore_kept(kept: &mut KeptThreat, k: &serde_json::Map<String, J>) {
    let s = |key: &str| k.get(key).and_then(J::as_str).map(str::to_string);
    for (key, field) in [
        ("tool", &mut kept.tool),
        ("kind", &mut kept.kind),
        ("severity", &mut kept.severity),
        ("score", &mut kept.score),
        ("description", &mut kept.description),
        ("modelType", &mut kept.model_type),
        ("mitigation", &mut kept.mitigation),
    ] {
        if let Some(v) = s(key) {
            *field = v;
        }
    }
    if k.contains_key("status") {
        kept.status = s("status").as_deref().and_then(TriageStatus::parse);
    }
}

/// Items of a JSON array that deserialise as `T`; the others are dropped.
fn list<T: serde::de::DeserializeOwned>(v: &J) -> Vec<T> {
    v.as_array().into_iter().flatten().filter_map(|i| serde_json::from_value(i.clone()).ok()).collect()
}

/// Text with a line appended after a blank line.
fn join(text: &str, line: &str) -> String {
    if text.trim().is_empty() {
        line.to_string()
    } else {
        format!("{}\n\n{line}", text.trim_end())
    }
}
