//! OWASP Threat Dragon v2 importer (the JSON file Threat Dragon saves).
//!
//! Cells map by shape: `actor` → external (`generic.user`, or a closer guess
//! from the name), `process` → function (`generic.function`), `store` → store
//! (`generic.table` unless the name says bucket, database, cache, queue, …),
//! `flow` → flows (protocol, `isEncrypted`; `isBidirectional` adds the reverse
//! flow, id `reverse_flow_id`, which the export folds back into one bidirectional
//! cell; `isPublicNetwork` marks the external end untrusted),
//! `trust-boundary-box` → boundaries holding the elements inside them (boxes
//! inside boxes nest), `trust-boundary-curve` → a note in the model
//! description naming the flows that cross it. Positions and box sizes are
//! kept; a diagram without them is laid out automatically. What the model has
//! no place for — curves, text blocks, unattached flows, and every cell's
//! geometry and unmodelled fields — is kept in the description's "Threat Dragon
//! diagram" section (`diagram`), which the export writes back.
//!
//! Threat Dragon's own threats cannot become triage decisions (their ids are
//! not ours): they are kept verbatim in a "Threat Dragon:" section of the
//! element's description (`notes`), a flow's on its source element, and the
//! export writes them back. Threats that Threatwright itself exported (they
//! carry a `Threatwright rule:` line) come back as triage decisions instead.
//! Cells exported by Threatwright carry a `threatwright` object in `data`
//! (vendor type, properties, assets, mitigations, boundary kind), and the
//! document a root `threatwright` object (data assets, grants, triage, risk
//! settings); both are read back, so export → import loses nothing we model.
//!
//! Must not: fail on what it does not understand (that is a warning); only
//! unreadable JSON, a file that is not a Threat Dragon model, and v1 files
//! are errors.

pub mod diagram;
pub mod notes;

use super::builder::unique_name;
use super::{load_document, model_name, Imported};
use crate::diag::{Diagnostic, Diagnostics};
use crate::layout;
use crate::model::kind::{category, category_kind, category_of};
use crate::model::*;
use crate::yaml::{Mark, Node};
use notes::{KeptThreat, Notes};
use std::collections::{BTreeMap, HashMap};

/// The marker our export puts in a threat's description.
pub const RULE_MARKER: &str = "Threatwright rule: ";
/// The marker of the exact status (Threat Dragon has only three).
pub const STATUS_MARKER: &str = "Threatwright status: ";

const NODE_W: f64 = layout::NODE_WIDTH as f64;
const NODE_H: f64 = layout::NODE_HEIGHT as f64;

/// Imports a Threat Dragon v2 JSON model.
pub fn import(text: &str, file: &str) -> Result<Imported, Diagnostics> {
    let root = load_document(text, file)?;
    let err = |n: &Node, msg: String| Diagnostics::one(Diagnostic::new(file, n.mark.line, n.mark.col, msg));
    if root.as_map().is_none() {
        return Err(err(
            &root,
            format!(
                "expected a Threat Dragon model (a JSON object with `summary` and `detail`), found {}",
                root.describe()
            ),
        ));
    }
    let detail = root.get("detail");
    let v1 = detail
        .and_then(|d| d.get("diagrams"))
        .and_then(Node::as_seq)
        .is_some_and(|ds| ds.iter().any(|d| d.get("diagramJson").is_some()));
    if v1 {
        return Err(err(
            &root,
            "Threat Dragon v1 format; save it as v2 in Threat Dragon first (open it in Threat Dragon 2.x and save)"
                .into(),
        ));
    }
    let Some(detail) = detail else {
        return Err(err(&root, "not a Threat Dragon model: no `detail` object".into()));
    };
    let Some(diagrams) = detail.get("diagrams") else {
        return Err(err(detail, "detail: no `diagrams` array".into()));
    };
    let Some(diagrams) = diagrams.as_seq() else {
        return Err(err(
            diagrams,
            format!("detail.diagrams: expected an array of diagrams, found {}", diagrams.describe()),
        ));
    };
    let mut im = Importer::new(file);
    // What only a Threatwright export carries (grants, data assets, triage
    // with owner and date, risk settings), read with serde: the located tree
    // is for diagnostics, this part is ours and optional.
    im.extra = serde_json::from_str::<serde_json::Value>(text).ok().and_then(|v| v.get("threatwright").cloned());
    let summary = root.get("summary");
    let s = |k: &str| summary.and_then(|s| s.get(k)).and_then(Node::as_scalar).map(str::to_string);
    im.model.name = s("title").filter(|t| !t.trim().is_empty()).unwrap_or_else(|| model_name(file));
    im.model.description = s("description").unwrap_or_default();
    im.model.author = s("owner").unwrap_or_default();
    if let Some(v) = root.get("version").and_then(Node::as_scalar) {
        if !v.starts_with('2') {
            im.warn(
                root.get("version").map(|n| n.mark).unwrap_or(root.mark),
                format!("version `{v}` is not a Threat Dragon 2.x version; read as v2"),
            );
        }
    }
    for (i, d) in diagrams.iter().enumerate() {
        im.diagram(d, &format!("detail.diagrams[{i}]"), diagrams.len() > 1)?;
    }
    Ok(im.finish())
}

fn num(n: Option<&Node>) -> Option<f64> {
    let t = n?.as_scalar()?;
    let v: f64 = t.trim().parse().ok()?;
    v.is_finite().then_some(v)
}

fn text(n: Option<&Node>) -> String {
    n.and_then(Node::as_scalar).map(str::to_string).unwrap_or_default()
}

fn flag(n: Option<&Node>) -> bool {
    n.and_then(Node::as_bool).unwrap_or(false)
}

fn clamp(v: f64) -> i64 {
    v.round().clamp(-1e9, 1e9) as i64
}

use crate::import::geometry::{contains, nest, Rect};

fn segments_cross(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> bool {
    let o = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0);
    let (d1, d2, d3, d4) = (o(c, d, a), o(c, d, b), o(a, b, c), o(a, b, d));
    (d1 > 0.0) != (d2 > 0.0) && (d3 > 0.0) != (d4 > 0.0) && d1 != 0.0 && d2 != 0.0 && d3 != 0.0 && d4 != 0.0
}

struct Box {
    id: BoundaryId,
    rect: Rect,
}

struct PendingFlow {
    mark: Mark,
    path: String,
    id: FlowId,
    from: String,
    to: String,
    label: String,
    properties: Properties,
    public: bool,
    bidirectional: bool,
    threats: Vec<KeptThreat>,
    decisions: Vec<TriageDecision>,
    vertices: Vec<(f64, f64)>,
    /// Exported by Threatwright: properties are exact, nothing to infer.
    ours: bool,
    /// The cell as drawn, kept whole if the flow cannot be modelled.
    raw: serde_json::Value,
}

struct Curve {
    name: String,
    points: Vec<(f64, f64)>,
}

struct Importer {
    file: String,
    model: Model,
    warnings: Vec<Diagnostic>,
    /// Cell id → element index.
    cells: HashMap<String, usize>,
    rects: Vec<Rect>,
    notes: Vec<Notes>,
    boxes: Vec<Box>,
    curves: Vec<Curve>,
    flows: Vec<PendingFlow>,
    /// False when a cell lacks a position (or several diagrams are read): lay out.
    positioned: bool,
    /// Triage decisions from threats we exported.
    decisions: Vec<TriageDecision>,
    /// Status Threat Dragon shows for each threat we exported.
    td_statuses: HashMap<uuid::Uuid, TriageStatus>,
    /// The `threatwright` object of our own export.
    extra: Option<serde_json::Value>,
    /// Data assets and mitigations of elements, assets of flows, by id (our export).
    element_extra: HashMap<ElementId, (Vec<AssetId>, Vec<String>)>,
    flow_assets: HashMap<FlowId, Vec<AssetId>>,
    /// Where each element, boundary and flow was drawn, to locate problems.
    marks: HashMap<uuid::Uuid, Mark>,
    /// Cells the model has no place for (curves, text blocks, flows without two modelled
    /// ends), kept whole for the export to write back.
    kept_cells: Vec<serde_json::Value>,
    /// Geometry and unmodelled fields of the cells that the model does hold.
    drawn_cells: Vec<serde_json::Value>,
}

impl Importer {
    fn new(file: &str) -> Self {
        Importer {
            file: file.to_string(),
            model: Model::default(),
            warnings: Vec::new(),
            cells: HashMap::new(),
            rects: Vec::new(),
            notes: Vec::new(),
            boxes: Vec::new(),
            curves: Vec::new(),
            flows: Vec::new(),
            positioned: true,
            decisions: Vec::new(),
            td_statuses: HashMap::new(),
            extra: None,
            element_extra: HashMap::new(),
            flow_assets: HashMap::new(),
            marks: HashMap::new(),
            kept_cells: Vec::new(),
            drawn_cells: Vec::new(),
        }
    }

    fn warn(&mut self, mark: Mark, message: impl Into<String>) {
        crate::import::push_warning(&mut self.warnings, &self.file, mark, message);
    }

    /// A free name for a cell: its text with whitespace collapsed (Threat
    /// Dragon labels wrap), made unique the way every importer does.
    fn unique_name(&self, wanted: &str, taken: &dyn Fn(&str) -> bool) -> String {
        let base = wanted.split_whitespace().collect::<Vec<_>>().join(" ");
        let base = if base.is_empty() { "Unnamed".to_string() } else { base };
        unique_name(&base, taken)
    }

    fn diagram(&mut self, d: &Node, path: &str, several: bool) -> Result<(), Diagnostics> {
        let Some(cells) = d.get("cells") else {
            self.warn(d.mark, format!("{path}: no `cells`; diagram skipped"));
            return Ok(());
        };
        let Some(cells) = cells.as_seq() else {
            return Err(Diagnostics::one(Diagnostic::new(
                &self.file,
                cells.mark.line,
                cells.mark.col,
                format!("{path}.cells: expected an array of cells, found {}", cells.describe()),
            )));
        };
        if let Some(t) = d.get("diagramType").and_then(Node::as_scalar) {
            if !t.eq_ignore_ascii_case("STRIDE") && !t.eq_ignore_ascii_case("Generic") {
                self.warn(
                    d.mark,
                    format!("{path}: a {t} diagram; its threats are kept but Threatwright analyses STRIDE"),
                );
            }
        }
        // Diagrams are read one after the other; positions of later diagrams
        // would overlap, so several diagrams are laid out automatically.
        if several {
            self.positioned = false;
        }
        // Boxes first (membership needs them), then nodes, then edges.
        let order = |c: &Node| match shape_of(c).as_str() {
            "trust-boundary-box" => 0,
            "flow" | "trust-boundary-curve" => 2,
            _ => 1,
        };
        let mut sorted: Vec<(usize, &Node)> = cells.iter().enumerate().collect();
        sorted.sort_by_key(|(i, c)| (order(c), *i));
        for (i, c) in sorted {
            let p = format!("{path}.cells[{i}]");
            if c.as_map().is_none() {
                self.warn(c.mark, format!("{p}: expected a cell object, found {}; skipped", c.describe()));
                continue;
            }
            let shape = shape_of(c);
            if matches!(shape.as_str(), "actor" | "process" | "store" | "trust-boundary-box" | "flow") {
                self.drawn_cells.extend(diagram::drawn(&diagram::to_json(c)));
            }
            match shape.as_str() {
                "actor" => self.node(c, &p, ElementKind::External),
                "process" => self.node(c, &p, ElementKind::Function),
                "store" => self.node(c, &p, ElementKind::Store),
                "trust-boundary-box" => self.boundary(c, &p),
                "trust-boundary-curve" => {
                    self.curve(c);
                    self.kept_cells.push(diagram::to_json(c));
                }
                "flow" => self.flow(c, &p),
                "td-text-block" => self.kept_cells.push(diagram::to_json(c)),
                "" => self.warn(c.mark, format!("{p}: cell without a `shape` or `data.type`; skipped")),
                other => self.warn(c.mark, format!("{p}: unknown Threat Dragon shape `{other}`; skipped")),
            }
        }
        Ok(())
    }

    fn rect(&mut self, c: &Node, w: f64, h: f64) -> Option<Rect> {
        let pos = c.get("position");
        let (x, y) = (num(pos.and_then(|p| p.get("x"))), num(pos.and_then(|p| p.get("y"))));
        let size = c.get("size");
        let w = num(size.and_then(|s| s.get("width"))).filter(|v| *v > 0.0).unwrap_or(w);
        let h = num(size.and_then(|s| s.get("height"))).filter(|v| *v > 0.0).unwrap_or(h);
        match (x, y) {
            (Some(x), Some(y)) => Some((x, y, w, h)),
            _ => {
                self.positioned = false;
                None
            }
        }
    }

    /// Threats of a cell: kept ones and (for threats we exported) decisions.
    fn threats(
        &mut self,
        c: &Node,
        path: &str,
        target: &str,
        target_ids: &[uuid::Uuid],
    ) -> (Vec<KeptThreat>, Vec<TriageDecision>) {
        let mut kept = Vec::new();
        let mut decisions = Vec::new();
        let Some(list) = c.get("data").and_then(|d| d.get("threats")) else { return (kept, decisions) };
        let Some(items) = list.as_seq() else {
            if !list.is_null() {
                self.warn(
                    list.mark,
                    format!("{path}.data.threats: expected an array, found {}; ignored", list.describe()),
                );
            }
            return (kept, decisions);
        };
        for (i, t) in items.iter().enumerate() {
            if t.as_map().is_none() {
                self.warn(
                    t.mark,
                    format!("{path}.data.threats[{i}]: expected a threat object, found {}; skipped", t.describe()),
                );
                continue;
            }
            let raw_status = text(t.get("status"));
            let status = match td_status(&raw_status) {
                Some(s) => s,
                None => {
                    self.warn(
                        t.get("status").map(|n| n.mark).unwrap_or(t.mark),
                        format!("{path}.data.threats[{i}]: unknown status `{raw_status}`; kept as open"),
                    );
                    TriageStatus::Open
                }
            };
            let description = text(t.get("description"));
            let id = text(t.get("id")).trim().to_string();
            let id = if id.is_empty() { text(t.get("threatId")).trim().to_string() } else { id };
            // One of ours: a triage decision on the same threat id.
            let rule = description.lines().find_map(|l| l.strip_prefix(RULE_MARKER)).map(|r| r.trim().to_string());
            if let (Some(rule), Ok(threat)) = (rule, uuid::Uuid::parse_str(&id)) {
                if target_ids.iter().any(|&t| crate::model::ids::threat_id(&rule, t) == threat) {
                    let exact =
                        description.lines().find_map(|l| l.strip_prefix(STATUS_MARKER)).and_then(TriageStatus::parse);
                    let status = match exact {
                        // Threat Dragon has no accepted/transferred: keep ours unless the status was changed there.
                        Some(e) if td_status_name(e) == td_status_name(status) => e,
                        _ => status,
                    };
                    self.td_statuses.insert(threat, status);
                    if status != TriageStatus::Open {
                        decisions.push(TriageDecision {
                            threat,
                            rule,
                            target: target.to_string(),
                            status,
                            note: "Status set in OWASP Threat Dragon".into(),
                            owner: String::new(),
                            date: String::new(),
                        });
                    }
                    continue;
                }
            }
            kept.push(KeptThreat {
                tool: String::new(),
                title: text(t.get("title")),
                status: Some(status),
                kind: text(t.get("type")),
                severity: text(t.get("severity")),
                id,
                model_type: text(t.get("modelType")),
                flow: None,
                flow_label: String::new(),
                description,
                mitigation: text(t.get("mitigation")),
                score: text(t.get("score")),
            });
        }
        (kept, decisions)
    }

    fn node(&mut self, c: &Node, path: &str, kind: ElementKind) {
        let data = c.get("data");
        let cell_id = text(c.get("id"));
        let name_raw = data
            .and_then(|d| d.get("name"))
            .and_then(Node::as_scalar)
            .map(str::to_string)
            .or_else(|| {
                c.get("attrs")
                    .and_then(|a| a.get("text"))
                    .and_then(|t| t.get("text"))
                    .and_then(Node::as_scalar)
                    .map(str::to_string)
            })
            .unwrap_or_default();
        let fallback = match kind {
            ElementKind::External => "Actor",
            ElementKind::Store => "Store",
            _ => "Process",
        };
        let wanted = if name_raw.trim().is_empty() { fallback.to_string() } else { name_raw.clone() };
        let taken = |n: &str| self.model.elements.iter().any(|e| e.name == n);
        let name = self.unique_name(&wanted, &taken);
        if name != wanted.split_whitespace().collect::<Vec<_>>().join(" ") && !name_raw.trim().is_empty() {
            self.warn(
                c.mark,
                format!("{path}: another element is already named `{}`; this one is `{name}`", wanted.trim()),
            );
        }
        let d = |k: &str| data.and_then(|d| d.get(k));
        // Ours first: the exact vendor type and properties.
        let tw = d("threatwright");
        let tw_type = tw
            .and_then(|t| t.get("type"))
            .and_then(Node::as_scalar)
            .filter(|t| category_of(t).is_some())
            .map(str::to_string);
        let vendor_type = tw_type.clone().unwrap_or_else(|| guess_type(kind, &name, data));
        let kind = category_of(&vendor_type).and_then(category_kind).unwrap_or(kind);
        let mut properties = Properties::new();
        if let Some(props) = tw.and_then(|t| t.get("properties")) {
            properties = read_properties(props);
        } else {
            if kind == ElementKind::Store && d("isEncrypted").and_then(Node::as_bool).is_some() {
                properties.insert("encrypted_at_rest".into(), Value::Bool(flag(d("isEncrypted"))));
            }
            if kind == ElementKind::Trigger && d("isEncrypted").and_then(Node::as_bool) == Some(true) {
                properties.insert("encrypted".into(), Value::Bool(true));
            }
        }
        let id = uuid::Uuid::parse_str(&cell_id)
            .ok()
            .map(ElementId)
            .filter(|id| !self.model.elements.iter().any(|e| e.id == *id))
            .unwrap_or_else(|| ElementId::derive(&name, 0));
        let (threats, decisions) = self.threats(c, path, &name, &[id.0]);
        self.decisions.extend(decisions);
        if let Some(tw) = tw {
            let assets = ids_of(tw.get("assets")).into_iter().map(AssetId).collect();
            let mitigations = tw
                .get("mitigations")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter_map(|m| m.as_scalar().map(str::to_string))
                .collect();
            self.element_extra.insert(id, (assets, mitigations));
        }
        let mut notes = Notes { out_of_scope: None, threats };
        if flag(d("outOfScope")) {
            notes.out_of_scope = Some(text(d("reasonOutOfScope")));
        }
        let rect = self.rect(c, NODE_W, NODE_H);
        let description = text(d("description"));
        // A description already carrying a section (our own export writes it
        // back stripped, but a hand-edited file may not): merge.
        let (description, mut old) = notes::split(&description);
        old.threats.extend(notes.threats);
        if notes.out_of_scope.is_some() {
            old.out_of_scope = notes.out_of_scope;
        }
        let boundary = rect.and_then(|r| self.innermost(r));
        let idx = self.model.elements.len();
        if !cell_id.is_empty() {
            let duplicate = match self.cells.entry(cell_id.clone()) {
                std::collections::hash_map::Entry::Occupied(_) => true,
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(idx);
                    false
                }
            };
            if duplicate {
                self.warn(c.mark, format!("{path}: duplicate cell id `{cell_id}`; flows to it reach the first cell"));
            }
        }
        self.rects.push(rect.unwrap_or((0.0, 0.0, NODE_W, NODE_H)));
        self.notes.push(old);
        self.marks.insert(id.0, c.mark);
        self.model.elements.push(Element {
            id,
            name,
            kind,
            vendor_type,
            boundary,
            description,
            properties,
            assets: Vec::new(),
            mitigations: Vec::new(),
            position: rect.map(|r| Position { x: clamp(r.0), y: clamp(r.1) }),
        });
    }

    /// The smallest box containing a rectangle.
    fn innermost(&self, r: Rect) -> Option<BoundaryId> {
        self.boxes
            .iter()
            .filter(|b| contains(b.rect, r) && b.rect != r)
            .min_by(|a, b| (a.rect.2 * a.rect.3).total_cmp(&(b.rect.2 * b.rect.3)))
            .map(|b| b.id)
    }

    fn boundary(&mut self, c: &Node, path: &str) {
        let data = c.get("data");
        let wanted = text(data.and_then(|d| d.get("name")));
        let wanted = if wanted.trim().is_empty() {
            text(c.get("attrs").and_then(|a| a.get("label").or_else(|| a.get("text"))).and_then(|t| t.get("text")))
        } else {
            wanted
        };
        let wanted = if wanted.trim().is_empty() { "Trust boundary".to_string() } else { wanted };
        let taken = |n: &str| self.model.boundaries.iter().any(|b| b.name == n);
        let name = self.unique_name(&wanted, &taken);
        let kind = data
            .and_then(|d| d.get("threatwright"))
            .and_then(|t| t.get("kind"))
            .and_then(Node::as_scalar)
            .and_then(BoundaryKind::parse)
            .unwrap_or_else(|| guess_boundary(&name));
        let rect = self.rect(c, 0.0, 0.0).filter(|r| r.2 > 0.0 && r.3 > 0.0);
        let id = match rect {
            None => {
                self.warn(
                    c.mark,
                    format!("{path}: trust boundary `{name}` has no position or size; kept without members"),
                );
                BoundaryId::derive(&name, 0)
            }
            Some(rect) => {
                let id = uuid::Uuid::parse_str(&text(c.get("id")))
                    .ok()
                    .map(BoundaryId)
                    .filter(|id| !self.model.boundaries.iter().any(|b| b.id == *id))
                    .unwrap_or_else(|| BoundaryId::derive(&name, 0));
                self.boxes.push(Box { id, rect });
                self.marks.insert(id.0, c.mark);
                id
            }
        };
        self.model.boundaries.push(Boundary {
            id,
            name,
            kind,
            parent: None,
            description: text(data.and_then(|d| d.get("description"))),
            position: rect.map(|r| Position { x: clamp(r.0), y: clamp(r.1) }),
            size: rect.map(|r| Size { width: clamp(r.2), height: clamp(r.3) }),
        });
    }

    fn curve(&mut self, c: &Node) {
        let pt = |n: Option<&Node>| Some((num(n?.get("x"))?, num(n?.get("y"))?));
        let mut points = Vec::new();
        points.extend(pt(c.get("source")));
        for v in c.get("vertices").and_then(Node::as_seq).unwrap_or(&[]) {
            points.extend(pt(Some(v)));
        }
        points.extend(pt(c.get("target")));
        let name = text(c.get("data").and_then(|d| d.get("name")));
        let name = if name.trim().is_empty() {
            format!("trust boundary curve {}", self.curves.len() + 1)
        } else {
            format!("trust boundary curve `{}`", name.trim())
        };
        if points.len() < 2 {
            self.warn(c.mark, format!("{name} has no end points; ignored"));
            return;
        }
        self.curves.push(Curve { name, points });
    }

    fn flow(&mut self, c: &Node, path: &str) {
        let data = c.get("data");
        let d = |k: &str| data.and_then(|d| d.get(k));
        let end = |k: &str| c.get(k).and_then(|s| s.get("cell")).and_then(Node::as_scalar).map(str::to_string);
        let (Some(from), Some(to)) = (end("source"), end("target")) else {
            self.warn(c.mark, format!("{path}: data flow not attached at both ends; kept for the export only"));
            self.kept_cells.push(diagram::to_json(c));
            return;
        };
        let mut label = text(d("name"));
        if label.trim().is_empty() {
            label = c
                .get("labels")
                .and_then(Node::as_seq)
                .and_then(|l| l.first())
                .and_then(|l| l.get("attrs"))
                .and_then(|a| a.get("labelText").or_else(|| a.get("label")))
                .and_then(|t| t.get("text"))
                .and_then(Node::as_scalar)
                .unwrap_or("")
                .to_string();
        }
        let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut properties = Properties::new();
        let tw = d("threatwright");
        if let Some(props) = tw.and_then(|t| t.get("properties")) {
            properties = read_properties(props);
        } else {
            let protocol = text(d("protocol")).trim().to_ascii_lowercase();
            if !protocol.is_empty() {
                properties.insert("protocol".into(), Value::Str(protocol.clone()));
            }
            if let Some(e) = d("isEncrypted").and_then(Node::as_bool) {
                properties.insert(
                    "encrypted".into(),
                    Value::Bool(e || matches!(protocol.as_str(), "https" | "tls" | "wss" | "sftp" | "ssh")),
                );
            } else if matches!(protocol.as_str(), "https" | "tls" | "wss" | "sftp" | "ssh") {
                properties.insert("encrypted".into(), Value::Bool(true));
            }
        }
        let vertices = c
            .get("vertices")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|v| Some((num(v.get("x"))?, num(v.get("y"))?)))
            .collect();
        let cell_id = text(c.get("id"));
        let id = uuid::Uuid::parse_str(&cell_id)
            .ok()
            .map(FlowId)
            .filter(|id| !self.flows.iter().any(|f| f.id == *id))
            .unwrap_or_else(|| FlowId::derive(&format!("{from}->{to}:{label}:{}", self.flows.len()), 0));
        // The target name of a flow threat is only known once both ends are;
        // decisions get it in `finish`.
        // A bidirectional flow is two flows here and one cell there: our threats on
        // its cell may be about either half.
        let bidirectional = flag(d("isBidirectional"));
        let halves = if bidirectional { vec![id.0, reverse_flow_id(id).0] } else { vec![id.0] };
        let (threats, decisions) = self.threats(c, path, "", &halves);
        if let Some(tw) = tw {
            self.flow_assets.insert(id, ids_of(tw.get("assets")).into_iter().map(AssetId).collect());
        }
        self.flows.push(PendingFlow {
            mark: c.mark,
            path: path.to_string(),
            id,
            from,
            to,
            label,
            properties,
            public: flag(d("isPublicNetwork")),
            bidirectional,
            threats,
            decisions,
            vertices,
            ours: tw.is_some(),
            raw: diagram::to_json(c),
        });
    }

    fn finish(mut self) -> Imported {
        // Boundaries nest by containment: the smallest box around each box.
        let rects: Vec<Rect> = self.boxes.iter().map(|b| b.rect).collect();
        let parents: Vec<Option<BoundaryId>> = nest(&rects, |o, b| self.boxes[o].id != self.boxes[b].id)
            .into_iter()
            .map(|p| p.map(|p| self.boxes[p].id))
            .collect();
        for (b, parent) in self.boxes.iter().zip(parents) {
            if let Some(m) = self.model.boundaries.iter_mut().find(|m| m.id == b.id) {
                m.parent = parent;
            }
        }
        // Flows.
        let mut curve_notes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let pending = std::mem::take(&mut self.flows);
        for f in pending {
            let (Some(&a), Some(&b)) = (self.cells.get(&f.from), self.cells.get(&f.to)) else {
                let which = if self.cells.contains_key(&f.from) { &f.to } else { &f.from };
                self.warn(
                    f.mark,
                    format!(
                        "{}: data flow `{}` connects `{which}`, which is not an actor, process or store; \
                         kept for the export only",
                        f.path, f.label
                    ),
                );
                self.kept_cells.push(f.raw);
                continue;
            };
            if a == b {
                self.warn(
                    f.mark,
                    format!(
                        "{}: data flow `{}` loops on `{}`; kept for the export only",
                        f.path, f.label, self.model.elements[a].name
                    ),
                );
                self.kept_cells.push(f.raw);
                continue;
            }
            let (ea, eb) = (self.model.elements[a].id, self.model.elements[b].id);
            self.marks.insert(f.id.0, f.mark);
            let (na, nb) = (self.model.elements[a].name.clone(), self.model.elements[b].name.clone());
            let target_name =
                if f.label.is_empty() { format!("{na} → {nb}") } else { format!("{na} → {nb} ({})", f.label) };
            for mut dcs in f.decisions {
                dcs.target = target_name.clone();
                self.decisions.push(dcs);
            }
            if f.public && !f.ours {
                for i in [a, b] {
                    if self.model.elements[i].kind == ElementKind::External {
                        self.model.elements[i].properties.insert("trust".into(), Value::Str("untrusted".into()));
                    }
                }
            }
            // Crossing curves: a straight line through the flow's vertices.
            let center = |r: Rect| (r.0 + r.2 / 2.0, r.1 + r.3 / 2.0);
            let mut line = vec![center(self.rects[a])];
            line.extend(f.vertices.iter().copied());
            line.push(center(self.rects[b]));
            for cv in &self.curves {
                let crosses =
                    line.windows(2).any(|s| cv.points.windows(2).any(|t| segments_cross(s[0], s[1], t[0], t[1])));
                if crosses {
                    curve_notes.entry(cv.name.clone()).or_default().push(target_name.clone());
                }
            }
            let flow_label = if f.label.is_empty() { nb.clone() } else { format!("{} → {nb}", f.label) };
            for mut t in f.threats {
                t.flow = Some(f.id.to_string());
                t.flow_label = flow_label.clone();
                self.notes[a].threats.push(t);
            }
            // Every flow cell is a flow, even a second one between the same two elements:
            // merging them lost a cell (and moved its threats) on the way back.
            let flow = |id: FlowId, from: ElementId, to: ElementId| Flow {
                id,
                from,
                to,
                label: f.label.clone(),
                properties: f.properties.clone(),
                assets: Vec::new(),
            };
            self.model.flows.push(flow(f.id, ea, eb));
            if f.bidirectional {
                self.model.flows.push(flow(reverse_flow_id(f.id), eb, ea));
            }
        }
        // A model exported by us and read again already carries the notes and the kept cells.
        let (text, _) = diagram::split(&self.model.description);
        self.model.description = text;
        for (curve, flows) in curve_notes {
            let note = format!("Threat Dragon {curve} is crossed by: {}.", flows.join("; "));
            self.model.description = if self.model.description.trim().is_empty() {
                note
            } else {
                format!("{}\n\n{note}", self.model.description.trim_end())
            };
        }
        self.model.description = diagram::append_all(&self.model.description, &self.kept_cells, &self.drawn_cells);
        // Kept threats go into the descriptions.
        for (e, n) in self.model.elements.iter_mut().zip(&self.notes) {
            e.description = notes::append(&e.description, n);
        }
        self.apply_extra();
        if !self.positioned && !self.model.elements.is_empty() {
            layout::auto_layout(&mut self.model);
        }
        let problems = crate::import::drawn_validation(&self.model, &self.file, &self.marks);
        self.warnings.extend(problems);
        Imported { model: self.model, warnings: self.warnings }
    }
}

impl Importer {
    /// Restores what our export carries beyond Threat Dragon's fields, and
    /// merges triage: a decision from the file stands unless Threat Dragon
    /// now shows another status for that threat.
    fn apply_extra(&mut self) {
        let extra = self.extra.take().unwrap_or(serde_json::Value::Null);
        let part = |k: &str| extra.get(k).cloned().unwrap_or(serde_json::Value::Null);
        fn list<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Vec<T> {
            match v {
                serde_json::Value::Array(items) => {
                    items.into_iter().filter_map(|i| serde_json::from_value(i).ok()).collect()
                }
                _ => Vec::new(),
            }
        }
        if let Some(v) = part("version").as_str() {
            self.model.version = v.to_string();
        }
        if let Some(v) = part("scope").as_str() {
            self.model.scope = v.to_string();
        }
        if let Ok(r) = serde_json::from_value(part("risk")) {
            self.model.risk = r;
        }
        self.model.assets = list(part("assets"));
        let known: std::collections::HashSet<AssetId> = self.model.assets.iter().map(|a| a.id).collect();
        for e in &mut self.model.elements {
            if let Some((assets, mitigations)) = self.element_extra.remove(&e.id) {
                e.assets = assets.into_iter().filter(|a| known.contains(a)).collect();
                e.mitigations = mitigations;
            }
        }
        for f in &mut self.model.flows {
            if let Some(assets) = self.flow_assets.remove(&f.id) {
                f.assets = assets.into_iter().filter(|a| known.contains(a)).collect();
            }
        }
        let elements: std::collections::HashSet<ElementId> = self.model.elements.iter().map(|e| e.id).collect();
        self.model.grants = list::<Grant>(part("grants"))
            .into_iter()
            .filter(|g| {
                elements.contains(&g.principal)
                    && !matches!(g.target, GrantTarget::Element(t) if !elements.contains(&t))
            })
            .collect();
        let mut triage: Vec<TriageDecision> = Vec::new();
        for d in list::<TriageDecision>(part("triage")) {
            match self.td_statuses.get(&d.threat) {
                Some(&s) if td_status_name(s) != td_status_name(d.status) => {}
                _ => triage.push(d),
            }
        }
        for d in std::mem::take(&mut self.decisions) {
            if !triage.iter().any(|t| t.threat == d.threat) {
                triage.push(d);
            }
        }
        self.model.triage = triage;
    }
}

/// The id of the reverse half of a bidirectional Threat Dragon flow (the forward half keeps
/// the cell's id); the export recognises the pair by it and writes one bidirectional cell.
pub fn reverse_flow_id(forward: FlowId) -> FlowId {
    FlowId::derive(&format!("{forward}:reverse"), 0)
}

fn ids_of(n: Option<&Node>) -> Vec<uuid::Uuid> {
    n.and_then(Node::as_seq).unwrap_or(&[]).iter().filter_map(|i| uuid::Uuid::parse_str(i.as_scalar()?).ok()).collect()
}

fn shape_of(c: &Node) -> String {
    if let Some(s) = c.get("shape").and_then(Node::as_scalar) {
        return s.to_string();
    }
    match c.get("data").and_then(|d| d.get("type")).and_then(Node::as_scalar) {
        Some("tm.Actor") => "actor",
        Some("tm.Process") => "process",
        Some("tm.Store") => "store",
        Some("tm.Flow") => "flow",
        Some("tm.BoundaryBox") => "trust-boundary-box",
        Some("tm.Boundary") => "trust-boundary-curve",
        Some("tm.Text") => "td-text-block",
        Some(other) => return other.to_string(),
        None => "",
    }
    .to_string()
}

/// Threat Dragon status → ours; `None` when unrecognised.
pub fn td_status(text: &str) -> Option<TriageStatus> {
    let t: String = text.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    match t.as_str() {
        "open" | "" => Some(TriageStatus::Open),
        "mitigated" => Some(TriageStatus::Mitigated),
        "notapplicable" | "na" | "opennotapplicable" => Some(TriageStatus::NotApplicable),
        _ => TriageStatus::parse(text),
    }
}

/// Our status → Threat Dragon's (`Open`, `Mitigated`, `NotApplicable`):
/// accepted and transferred risks are closed decisions, shown as `Mitigated`.
pub fn td_status_name(s: TriageStatus) -> &'static str {
    match s {
        TriageStatus::Open => "Open",
        TriageStatus::Mitigated | TriageStatus::Accepted | TriageStatus::Transferred => "Mitigated",
        TriageStatus::NotApplicable => "NotApplicable",
    }
}

fn read_properties(n: &Node) -> Properties {
    let mut out = Properties::new();
    for (k, v) in n.as_map().unwrap_or(&[]) {
        let Some(k) = k.as_scalar() else { continue };
        let value = if let Some(items) = v.as_seq() {
            Value::List(items.iter().filter_map(|i| i.as_scalar().map(str::to_string)).collect())
        } else if let Some(b) = v.as_bool() {
            Value::Bool(b)
        } else if let Some(i) = v.as_i64() {
            Value::Int(i)
        } else if let Some(s) = v.as_scalar() {
            Value::Str(s.to_string())
        } else {
            continue;
        };
        out.insert(k.to_string(), value);
    }
    out
}

fn has(name: &str, words: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    let tokens: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).collect();
    words.iter().any(|w| tokens.iter().any(|t| t == w || (w.len() > 4 && t.starts_with(w))))
}

/// Vendor type from the shape, the name and Threat Dragon's flags.
fn guess_type(kind: ElementKind, name: &str, data: Option<&Node>) -> String {
    let f = |k: &str| flag(data.and_then(|d| d.get(k)));
    let t = match kind {
        ElementKind::External => {
            if f("providesAuthentication")
                || has(name, &["idp", "identity", "cognito", "auth0", "okta", "oauth", "sso"])
            {
                category::IDENTITY_PROVIDER
            } else if has(name, &["admin", "administrator", "operator", "ops"]) {
                category::ADMIN
            } else if has(name, &["browser", "client", "mobile", "spa", "frontend"]) {
                category::BROWSER
            } else if has(name, &["pipeline", "ci", "cd", "github", "gitlab", "jenkins"]) {
                category::PIPELINE
            } else if has(name, &["partner", "third", "vendor", "payment", "stripe", "provider"]) {
                category::PARTNER_API
            } else if has(name, &["service", "system", "api", "server", "application", "app", "backend", "external"]) {
                category::SERVICE
            } else {
                category::USER
            }
        }
        ElementKind::Store => {
            if f("isALog") || has(name, &["log", "logs", "audit", "trail"]) {
                category::LOG_STORE
            } else if has(name, &["queue", "sqs", "mq", "rabbitmq"]) {
                category::QUEUE
            } else if has(name, &["topic", "sns", "pubsub"]) {
                category::TOPIC
            } else if has(name, &["stream", "kinesis", "kafka"]) {
                category::STREAM
            } else if has(name, &["bucket", "s3", "blob", "files", "file", "object", "objects", "storage"]) {
                category::BUCKET
            } else if has(name, &["cache", "redis", "memcached", "elasticache"]) {
                category::CACHE
            } else if has(name, &["secret", "secrets", "vault", "credential", "credentials", "parameter", "parameters"])
            {
                category::SECRET_STORE
            } else if has(name, &["kms", "key", "keys", "hsm"]) {
                category::KEY_STORE
            } else if has(
                name,
                &["sql", "database", "db", "postgres", "postgresql", "mysql", "rds", "aurora", "oracle"],
            ) {
                category::DATABASE
            } else {
                category::TABLE
            }
        }
        _ => {
            if has(name, &["gateway", "api"]) && !has(name, &["function", "lambda", "handler", "service"]) {
                category::API
            } else if has(name, &["workflow", "orchestrator", "state", "saga"])
                && has(name, &["workflow", "machine", "orchestrator", "saga"])
            {
                category::WORKFLOW
            } else {
                category::FUNCTION
            }
        }
    };
    format!("generic.{t}")
}

fn guess_boundary(name: &str) -> BoundaryKind {
    if has(name, &["internet", "public", "untrusted", "external", "dmz"]) {
        BoundaryKind::Internet
    } else if has(name, &["vpc", "vnet", "network"]) {
        BoundaryKind::Vpc
    } else if has(name, &["subnet"]) {
        BoundaryKind::Subnet
    } else if has(name, &["account", "aws", "subscription", "project", "cloud"]) {
        BoundaryKind::Account
    } else if has(name, &["region"]) {
        BoundaryKind::Region
    } else if has(name, &["tenant"]) {
        BoundaryKind::Tenant
    } else if has(name, &["partner", "third", "vendor"]) {
        BoundaryKind::Partner
    } else if has(name, &["corporate", "corp", "office", "premises", "intranet"]) {
        BoundaryKind::Corporate
    } else {
        BoundaryKind::Generic
    }
}
