//! Reads the YAML model format into a [`Model`], collecting every problem.
//!
//! Hand-written files may refer to elements, boundaries and assets by name
//! and may omit ids; ids are then derived from names (see `ids::derive`) and
//! written back by `fmt`. Must not: accept unknown keys silently, or stop at
//! the first problem when more can be reported.

use super::node::{Mark, Node, NodeValue};
use crate::model::property::{Scope, PROPERTIES};
use crate::model::Subject;
use crate::model::*;
use rustc_hash::FxHashMap as HashMap;

/// Where things were in the file, for mapping validation problems to lines.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    marks: HashMap<(Subject, Option<String>), Mark>,
}

impl SourceMap {
    fn put(&mut self, subject: Subject, field: Option<&str>, mark: Mark) {
        self.marks.entry((subject, field.map(str::to_string))).or_insert(mark);
    }

    /// Best location for a subject and field: the field, else the subject, else line 1.
    pub fn locate(&self, subject: Subject, field: Option<&str>) -> Mark {
        let exact = field.and_then(|f| self.marks.get(&(subject, Some(f.to_string()))));
        exact.or_else(|| self.marks.get(&(subject, None))).copied().unwrap_or(Mark { line: 1, col: 1 })
    }
}

/// A located problem found while reading.
pub type ReadProblem = (Mark, String);

struct Reader {
    problems: Vec<ReadProblem>,
    map: SourceMap,
}

/// Checks the keys of a mapping against an allow-list.
fn check_keys(r: &mut Reader, node: &Node, what: &str, allowed: &[&str]) {
    let Some(entries) = node.as_map() else { return };
    for (k, _) in entries {
        match k.as_scalar() {
            Some(key) if allowed.contains(&key) => {}
            Some(key) => r
                .problems
                .push((k.mark, format!("unknown key `{key}` in {what}; expected one of: {}", allowed.join(", ")))),
            None => r.problems.push((k.mark, format!("keys in {what} must be strings"))),
        }
    }
}

fn string(r: &mut Reader, node: Option<&Node>, what: &str) -> Option<String> {
    let n = node?;
    if n.is_null() {
        return None;
    }
    match &n.value {
        NodeValue::Scalar { text, .. } => Some(text.clone()),
        _ => {
            r.problems.push((n.mark, format!("{what}: expected a string, found {}", n.describe())));
            None
        }
    }
}

fn string_list(r: &mut Reader, node: Option<&Node>, what: &str) -> Vec<(String, Mark)> {
    let Some(n) = node else { return Vec::new() };
    if n.is_null() {
        return Vec::new();
    }
    match &n.value {
        NodeValue::Seq(items) => items
            .iter()
            .filter_map(|i| match i.as_scalar() {
                Some(s) => Some((s.to_string(), i.mark)),
                None => {
                    r.problems.push((i.mark, format!("{what}: expected a string, found {}", i.describe())));
                    None
                }
            })
            .collect(),
        NodeValue::Scalar { text, .. } => vec![(text.clone(), n.mark)],
        NodeValue::Map(_) => {
            r.problems.push((n.mark, format!("{what}: expected a list of strings, found a mapping")));
            Vec::new()
        }
    }
}

fn int(r: &mut Reader, node: Option<&Node>, what: &str) -> Option<i64> {
    let n = node?;
    match n.as_i64() {
        Some(v) => Some(v),
        None => {
            r.problems.push((n.mark, format!("{what}: expected an integer, found {}", n.describe())));
            None
        }
    }
}

/// Converts a YAML node into a property value (type checks against the
/// schema happen in model validation, so the file and the UI share them).
fn value(r: &mut Reader, node: &Node, what: &str) -> Option<Value> {
    if node.is_null() {
        return None;
    }
    if let Some(b) = node.as_bool() {
        return Some(Value::Bool(b));
    }
    if let Some(i) = node.as_i64() {
        return Some(Value::Int(i));
    }
    match &node.value {
        NodeValue::Scalar { text, .. } => Some(Value::Str(text.clone())),
        NodeValue::Seq(_) => Some(Value::List(string_list(r, Some(node), what).into_iter().map(|(s, _)| s).collect())),
        NodeValue::Map(_) => {
            r.problems.push((node.mark, format!("{what}: expected a value or a list, found a mapping")));
            None
        }
    }
}

/// Most elements a model file may hold (a whole estate is tens of thousands).
pub const MAX_ELEMENTS: usize = 200_000;
/// Most flows a model file may hold.
pub const MAX_FLOWS: usize = 500_000;

/// [`seq`], refusing a list longer than `max` (reported at the list, nothing of it read).
fn seq_at_most<'a>(r: &mut Reader, node: Option<&'a Node>, what: &str, max: usize) -> &'a [Node] {
    let items = seq(r, node, what);
    if items.len() > max {
        let mark = node.map_or(items[0].mark, |n| n.mark);
        r.problems.push((
            mark,
            format!("`{what}` has {} entries, over the limit of {max}; refusing to read them", items.len()),
        ));
        return &[];
    }
    items
}

fn seq<'a>(r: &mut Reader, node: Option<&'a Node>, what: &str) -> &'a [Node] {
    match node {
        None => &[],
        Some(n) if n.is_null() => &[],
        Some(n) => match n.as_seq() {
            Some(items) => items,
            None => {
                r.problems.push((n.mark, format!("`{what}` must be a list, found {}", n.describe())));
                &[]
            }
        },
    }
}

fn position(r: &mut Reader, node: Option<&Node>) -> Option<Position> {
    let n = node?;
    check_keys(r, n, "position", &["x", "y"]);
    if n.as_map().is_none() {
        r.problems.push((n.mark, format!("position: expected a mapping with x and y, found {}", n.describe())));
        return None;
    }
    Some(Position {
        x: int(r, n.get("x"), "position.x").unwrap_or(0),
        y: int(r, n.get("y"), "position.y").unwrap_or(0),
    })
}

fn size(r: &mut Reader, node: Option<&Node>) -> Option<Size> {
    let n = node?;
    check_keys(r, n, "size", &["width", "height"]);
    if n.as_map().is_none() {
        r.problems.push((n.mark, format!("size: expected a mapping with width and height, found {}", n.describe())));
        return None;
    }
    Some(Size {
        width: int(r, n.get("width"), "size.width").unwrap_or(0),
        height: int(r, n.get("height"), "size.height").unwrap_or(0),
    })
}

/// Resolves names (or ids written out) to ids.
struct Names<T> {
    by_name: HashMap<String, T>,
    by_id: HashMap<uuid::Uuid, T>,
}

impl<T: Copy + Into<uuid::Uuid>> Names<T> {
    fn new() -> Self {
        Names { by_name: HashMap::default(), by_id: HashMap::default() }
    }
    fn add(&mut self, name: &str, id: T) {
        self.by_name.entry(name.to_string()).or_insert(id);
        self.by_id.insert(id.into(), id);
    }
    fn resolve(&self, text: &str) -> Option<T> {
        // An id in the hyphenated form, in either case (as `fmt` writes it, or pasted in capitals).
        if text.len() == 36 {
            if let Some(id) = uuid::Uuid::try_parse(text).ok().and_then(|u| self.by_id.get(&u)) {
                return Some(*id);
            }
        }
        self.by_name.get(text).copied()
    }
}

fn id_of<T>(
    r: &mut Reader,
    node: &Node,
    name: &str,
    ordinals: &mut HashMap<String, usize>,
    parse: fn(&str) -> Option<T>,
    derive: fn(&str, usize) -> T,
) -> T {
    let ordinal = ordinals.entry(name.to_string()).or_insert(0);
    let nth = *ordinal;
    *ordinal += 1;
    // Derived (a SHA-1 v5 UUID) only when the file has no usable id: `fmt` writes ids.
    match string(r, node.get("id"), "id") {
        None => derive(name, nth),
        Some(text) => parse(&text).unwrap_or_else(|| {
            let mark = node.get("id").map(|n| n.mark).unwrap_or(node.mark);
            r.problems.push((mark, format!("id `{text}` is not a UUID (remove it and one is assigned on save)")));
            derive(name, nth)
        }),
    }
}

/// The keys of a flow that are not properties.
const FLOW_FIELDS: &[&str] = &["id", "from", "to", "label", "data"];

/// Reads a model from a located tree in the current format (`yaml::parse`
/// upgrades an older file first; `threatwright:` is not looked at here).
/// Returns the model, the source map and every problem found (the model is
/// partial when there are problems).
pub fn read(root: &Node) -> (Model, SourceMap, Vec<ReadProblem>) {
    let mut r = Reader { problems: Vec::new(), map: SourceMap::default() };
    let mut model = Model::default();
    if root.as_map().is_none() {
        r.problems.push((
            root.mark,
            format!("expected a model (a mapping with name and elements), found {}", root.describe()),
        ));
        return (model, r.map, r.problems);
    }
    check_keys(
        &mut r,
        root,
        "the model",
        &[
            "threatwright",
            "name",
            "description",
            "version",
            "author",
            "scope",
            "assets",
            "boundaries",
            "elements",
            "flows",
            "grants",
            "triage",
            "session",
            "risk",
        ],
    );
    read_header(&mut r, root, &mut model);
    let assets = read_assets(&mut r, root, &mut model);
    let boundaries = read_boundaries(&mut r, root, &mut model);
    let elements = read_elements(&mut r, root, &mut model, &assets, &boundaries);
    read_flows(&mut r, root, &mut model, &elements, &assets);
    read_grants(&mut r, root, &mut model, &elements);
    read_triage(&mut r, root, &mut model);
    read_session(&mut r, root, &mut model);
    (model, r.map, r.problems)
}

/// The model's own fields: risk settings, name and the rest. The format
/// version (`threatwright:`) was checked, and an older file upgraded, before
/// the reader saw the tree (`migrate::upgrade`).
fn read_header(r: &mut Reader, root: &Node, model: &mut Model) {
    if let Some(n) = root.get("risk") {
        model.risk = read_risk(r, n);
    }
    match string(r, root.get("name"), "name") {
        Some(name) => model.name = name,
        None => r.problems.push((root.mark, "the model needs a `name`".into())),
    }
    model.description = string(r, root.get("description"), "description").unwrap_or_default();
    model.version = string(r, root.get("version"), "version").unwrap_or_default();
    model.author = string(r, root.get("author"), "author").unwrap_or_default();
    model.scope = string(r, root.get("scope"), "scope").unwrap_or_default();
    r.map.put(Subject::Model, None, root.mark);
}

/// `assets:`, returning their names for the sections that refer to them.
fn read_assets(r: &mut Reader, root: &Node, model: &mut Model) -> Names<AssetId> {
    let mut assets = Names::<AssetId>::new();
    let mut ordinals = HashMap::default();
    for n in seq(r, root.get("assets"), "assets") {
        check_keys(r, n, "a data asset", &["id", "name", "classification", "tags", "description"]);
        let Some(name) = required_name(r, n, "data asset") else { continue };
        let id = id_of(r, n, &name, &mut ordinals, AssetId::parse, AssetId::derive);
        let classification = match string(r, n.get("classification"), "classification") {
            None => Classification::Internal,
            Some(text) => Classification::parse(&text).unwrap_or_else(|| {
                let mark = n.get("classification").map(|c| c.mark).unwrap_or(n.mark);
                r.problems.push((
                    mark,
                    format!("unknown classification `{text}`; expected public, internal, confidential or restricted"),
                ));
                Classification::Internal
            }),
        };
        let tags = string_list(r, n.get("tags"), "tags").into_iter().map(|(s, _)| s).collect();
        let description = string(r, n.get("description"), "description").unwrap_or_default();
        r.map.put(Subject::Asset(id.0), None, n.mark);
        locate_fields(r, n, Subject::Asset(id.0), &["id", "name"]);
        assets.add(&name, id);
        model.assets.push(DataAsset { id, name, classification, tags, description });
    }
    assets
}

/// `boundaries:`, returning their names for the sections that refer to them.
fn read_boundaries(r: &mut Reader, root: &Node, model: &mut Model) -> Names<BoundaryId> {
    // Boundaries: ids first, then parents (a parent may be declared later).
    let mut boundaries = Names::<BoundaryId>::new();
    let mut ordinals = HashMap::default();
    let boundary_nodes = seq(r, root.get("boundaries"), "boundaries");
    let mut pending_parents = Vec::new();
    for n in boundary_nodes {
        check_keys(r, n, "a boundary", &["id", "name", "kind", "parent", "description", "position", "size"]);
        let Some(name) = required_name(r, n, "boundary") else { continue };
        let id = id_of(r, n, &name, &mut ordinals, BoundaryId::parse, BoundaryId::derive);
        let kind = match string(r, n.get("kind"), "kind") {
            None => BoundaryKind::Generic,
            Some(text) => BoundaryKind::parse(&text).unwrap_or_else(|| {
                let mark = n.get("kind").map(|c| c.mark).unwrap_or(n.mark);
                let all: Vec<_> = BoundaryKind::ALL.iter().map(|k| k.as_str()).collect();
                r.problems.push((mark, format!("unknown boundary kind `{text}`; expected one of {}", all.join(", "))));
                BoundaryKind::Generic
            }),
        };
        r.map.put(Subject::Boundary(id.0), None, n.mark);
        locate_fields(r, n, Subject::Boundary(id.0), &["id", "name", "parent", "size"]);
        boundaries.add(&name, id);
        pending_parents.push((model.boundaries.len(), n));
        model.boundaries.push(Boundary {
            id,
            name,
            kind,
            parent: None,
            description: string(r, n.get("description"), "description").unwrap_or_default(),
            position: position(r, n.get("position")),
            size: size(r, n.get("size")),
        });
    }
    for (index, n) in pending_parents {
        if let Some(text) = string(r, n.get("parent"), "parent") {
            match boundaries.resolve(&text) {
                Some(p) => model.boundaries[index].parent = Some(p),
                None => r.problems.push((
                    n.get("parent").map(|p| p.mark).unwrap_or(n.mark),
                    format!("unknown parent boundary `{text}`"),
                )),
            }
        }
    }
    boundaries
}

/// `elements:`, returning their names for flows and grants. A name is
/// registered even when its kind is wrong (see below).
fn read_elements(
    r: &mut Reader,
    root: &Node,
    model: &mut Model,
    assets: &Names<AssetId>,
    boundaries: &Names<BoundaryId>,
) -> Names<ElementId> {
    let mut elements = Names::<ElementId>::new();
    let mut ordinals = HashMap::default();
    for n in seq_at_most(r, root.get("elements"), "elements", MAX_ELEMENTS) {
        check_keys(
            r,
            n,
            "an element",
            &["id", "name", "kind", "type", "boundary", "description", "properties", "data", "mitigations", "position"],
        );
        let Some(name) = required_name(r, n, "element") else { continue };
        let id = id_of(r, n, &name, &mut ordinals, ElementId::parse, ElementId::derive);
        let vendor_type = string(r, n.get("type"), "type");
        let kind = match string(r, n.get("kind"), "kind") {
            Some(text) => match ElementKind::parse(&text) {
                Some(k) => Some(k),
                None => {
                    r.problems.push((
                        n.get("kind").map(|k| k.mark).unwrap_or(n.mark),
                        format!("unknown kind `{text}`; expected function, trigger, store or external"),
                    ));
                    None
                }
            },
            None => {
                match vendor_type.as_deref().and_then(kind::category_of).and_then(kind::category_kind) {
                    Some(k) => Some(k),
                    None => {
                        r.problems.push((n.mark, format!("element `{name}` needs a `kind` (function, trigger, store or external) or a known `type`")));
                        None
                    }
                }
            }
        };
        // Register the name even when the kind is wrong, so flows that refer
        // to it do not cascade into misleading "unknown element" errors.
        elements.add(&name, id);
        let Some(kind) = kind else { continue };
        let vendor_type = vendor_type.unwrap_or_else(|| format!("generic.{}", kind.default_category()));
        let subject = Subject::Element(id.0);
        r.map.put(subject, None, n.mark);
        locate_fields(r, n, subject, &["id", "name", "type", "boundary", "data"]);
        let boundary = match string(r, n.get("boundary"), "boundary") {
            None => None,
            Some(text) => {
                let b = boundaries.resolve(&text);
                if b.is_none() {
                    r.problems.push((
                        n.get("boundary").map(|b| b.mark).unwrap_or(n.mark),
                        format!("unknown boundary `{text}`"),
                    ));
                }
                b
            }
        };
        let mut properties = Properties::new();
        if let Some(pn) = n.get("properties") {
            match pn.as_map() {
                Some(entries) => {
                    for (k, v) in entries {
                        let Some(key) = k.as_scalar() else { continue };
                        r.map.put(subject, Some(&format!("properties.{key}")), v.mark);
                        if let Some(val) = value(r, v, key) {
                            properties.insert(key.to_string(), val);
                        }
                    }
                }
                None if pn.is_null() => {}
                None => r.problems.push((pn.mark, format!("properties: expected a mapping, found {}", pn.describe()))),
            }
        }
        let data = resolve_assets(r, n.get("data"), assets);
        let mitigations = string_list(r, n.get("mitigations"), "mitigations").into_iter().map(|(s, _)| s).collect();
        model.elements.push(Element {
            id,
            name,
            kind,
            vendor_type,
            boundary,
            description: string(r, n.get("description"), "description").unwrap_or_default(),
            properties,
            assets: data,
            mitigations,
            position: position(r, n.get("position")),
        });
    }
    elements
}

/// `flows:`. Properties sit inline beside from/to; which keys are
/// properties comes from the schema (`Scope::Flow`), so a flow property
/// added there is read as soon as the writer writes it.
fn read_flows(r: &mut Reader, root: &Node, model: &mut Model, elements: &Names<ElementId>, assets: &Names<AssetId>) {
    let mut ordinals = HashMap::default();
    let property_keys: Vec<&'static str> =
        PROPERTIES.iter().filter(|p| p.scope == Scope::Flow).map(|p| p.name).collect();
    let keys: Vec<&str> = FLOW_FIELDS.iter().copied().chain(property_keys.iter().copied()).collect();
    for n in seq_at_most(r, root.get("flows"), "flows", MAX_FLOWS) {
        check_keys(r, n, "a flow", &keys);
        if n.as_map().is_none() {
            r.problems.push((n.mark, format!("a flow must be a mapping with from and to, found {}", n.describe())));
            continue;
        }
        let from = endpoint(r, n, "from", elements);
        let to = endpoint(r, n, "to", elements);
        let (Some((from, _)), Some((to, _))) = (from, to) else { continue };
        let label = string(r, n.get("label"), "label").unwrap_or_default();
        let id = id_of(r, n, &format!("{from}->{to}:{label}"), &mut ordinals, FlowId::parse, FlowId::derive);
        let subject = Subject::Flow(id.0);
        r.map.put(subject, None, n.mark);
        locate_fields(r, n, subject, &["id", "from", "to", "data"]);
        let mut properties = Properties::new();
        for key in &property_keys {
            if let Some(v) = n.get(key) {
                r.map.put(subject, Some(&format!("properties.{key}")), v.mark);
                if let Some(val) = value(r, v, key) {
                    properties.insert((*key).to_string(), val);
                }
            }
        }
        let data = resolve_assets(r, n.get("data"), assets);
        model.flows.push(Flow { id, from, to, label, properties, assets: data });
    }
}

/// `grants:`.
fn read_grants(r: &mut Reader, root: &Node, model: &mut Model, elements: &Names<ElementId>) {
    let mut ordinals = HashMap::default();
    for n in seq(r, root.get("grants"), "grants") {
        check_keys(r, n, "a grant", &["id", "principal", "resource", "actions"]);
        if n.as_map().is_none() {
            r.problems.push((
                n.mark,
                format!("a grant must be a mapping with principal, resource and actions, found {}", n.describe()),
            ));
            continue;
        }
        let Some((principal, _)) = endpoint(r, n, "principal", elements) else { continue };
        // `resource: {outside: NAME}` names a resource outside the model
        // explicitly (for names that do not look like an ARN).
        let outside = n.get("resource").and_then(|x| x.get("outside")).and_then(|x| x.as_scalar()).map(str::to_string);
        if let Some(res) = n.get("resource").filter(|x| x.as_map().is_some()) {
            check_keys(r, res, "a grant resource", &["outside"]);
        }
        let resource_text = match outside {
            Some(t) => Err(t),
            None => Ok(string(r, n.get("resource").filter(|x| x.as_map().is_none()), "resource")),
        };
        let target = match resource_text {
            Err(t) if !t.is_empty() => GrantTarget::Unmodelled(t),
            Err(_) => {
                r.problems.push((n.mark, "`resource: {outside: …}` needs a name".into()));
                continue;
            }
            Ok(resource) => match resource {
                None => {
                    r.problems.push((n.mark, "a grant needs a `resource` (an element name, `*`, or an ARN)".into()));
                    continue;
                }
                Some(t) if t == "*" => GrantTarget::Any,
                Some(t) => match elements.resolve(&t) {
                    Some(e) => GrantTarget::Element(e),
                    None if t.contains(':') || t.contains('/') || t.contains('*') => GrantTarget::Unmodelled(t),
                    None => {
                        r.problems.push((n.get("resource").map(|x| x.mark).unwrap_or(n.mark), format!(
                        "unknown resource `{t}`; expected an element name, `*`, an ARN, or `{{outside: {t}}}` for a resource outside the model"
                    )));
                        continue;
                    }
                },
            },
        };
        let actions: Vec<String> = string_list(r, n.get("actions"), "actions").into_iter().map(|(s, _)| s).collect();
        let target_key = match &target {
            GrantTarget::Element(e) => e.to_string(),
            GrantTarget::Any => "*".into(),
            GrantTarget::Unmodelled(s) => s.clone(),
        };
        let id = id_of(r, n, &format!("{principal}=>{target_key}"), &mut ordinals, GrantId::parse, GrantId::derive);
        r.map.put(Subject::Grant(id.0), None, n.mark);
        locate_fields(r, n, Subject::Grant(id.0), &["id", "principal", "resource", "actions"]);
        model.grants.push(Grant { id, principal, target, actions });
    }
}

/// `triage:`.
fn read_triage(r: &mut Reader, root: &Node, model: &mut Model) {
    for n in seq(r, root.get("triage"), "triage") {
        check_keys(r, n, "a triage decision", &["threat", "rule", "target", "status", "note", "owner", "date"]);
        if n.as_map().is_none() {
            r.problems.push((n.mark, format!("a triage decision must be a mapping, found {}", n.describe())));
            continue;
        }
        let threat = match string(r, n.get("threat"), "threat") {
            Some(t) => match uuid::Uuid::parse_str(&t) {
                Ok(u) => u,
                Err(_) => {
                    r.problems.push((
                        n.get("threat").map(|x| x.mark).unwrap_or(n.mark),
                        format!("`threat` must be a threat id (UUID), found `{t}`"),
                    ));
                    continue;
                }
            },
            None => {
                r.problems.push((n.mark, "a triage decision needs the `threat` id".into()));
                continue;
            }
        };
        let status = match string(r, n.get("status"), "status") {
            Some(s) => match TriageStatus::parse(&s) {
                Some(st) => st,
                None => {
                    let all: Vec<&str> = TriageStatus::ALL.iter().map(|s| s.as_str()).collect();
                    r.problems.push((
                        n.get("status").map(|x| x.mark).unwrap_or(n.mark),
                        format!("unknown status `{s}`; expected one of {}", all.join(", ")),
                    ));
                    continue;
                }
            },
            None => {
                r.problems.push((n.mark, "a triage decision needs a `status`".into()));
                continue;
            }
        };
        if model.triage.iter().any(|t: &TriageDecision| t.threat == threat) {
            r.problems.push((n.mark, format!("threat {threat} is triaged twice")));
            continue;
        }
        model.triage.push(TriageDecision {
            threat,
            rule: string(r, n.get("rule"), "rule").unwrap_or_default(),
            target: string(r, n.get("target"), "target").unwrap_or_default(),
            status,
            note: string(r, n.get("note"), "note").unwrap_or_default(),
            owner: string(r, n.get("owner"), "owner").unwrap_or_default(),
            date: string(r, n.get("date"), "date").unwrap_or_default(),
        });
    }
}

/// `session:`, the guided sessions' log (format 2.2).
fn read_session(r: &mut Reader, root: &Node, model: &mut Model) {
    const KEYS: &[&str] = &["at", "who", "subject", "property", "question", "answer", "note", "resolved", "raised"];
    for n in seq(r, root.get("session"), "session") {
        if n.as_map().is_none() {
            r.problems.push((n.mark, format!("a session entry must be a mapping, found {}", n.describe())));
            continue;
        }
        check_keys(r, n, "a session entry", KEYS);
        let text = |r: &mut Reader, key: &str| string(r, n.get(key), key).unwrap_or_default();
        let entry = crate::model::SessionEntry {
            at: text(r, "at"),
            who: text(r, "who"),
            subject: text(r, "subject"),
            property: text(r, "property"),
            question: text(r, "question"),
            answer: text(r, "answer"),
            note: text(r, "note"),
            resolved: string_list(r, n.get("resolved"), "resolved").into_iter().map(|(t, _)| t).collect(),
            raised: string_list(r, n.get("raised"), "raised").into_iter().map(|(t, _)| t).collect(),
        };
        if entry.property.is_empty() || entry.answer.is_empty() {
            r.problems.push((n.mark, "a session entry needs the `property` asked and its `answer`".into()));
            continue;
        }
        model.session.push(entry);
    }
}

fn read_risk(r: &mut Reader, n: &Node) -> crate::model::RiskSettings {
    let mut s = crate::model::RiskSettings::default();
    check_keys(r, n, "risk settings", &["bands", "weights", "matrix"]);
    let small = |r: &mut Reader, node: Option<&Node>, what: &str, into: &mut u8| {
        if let Some(v) = int(r, node, what) {
            match u8::try_from(v) {
                Ok(x) if x <= 25 => *into = x,
                _ => r
                    .problems
                    .push((node.map(|x| x.mark).unwrap_or(n.mark), format!("{what}: expected 0 to 25, found {v}"))),
            }
        }
    };
    if let Some(b) = n.get("bands") {
        check_keys(r, b, "risk bands", &["medium", "high", "critical"]);
        small(r, b.get("medium"), "bands.medium", &mut s.bands.medium);
        small(r, b.get("high"), "bands.high", &mut s.bands.high);
        small(r, b.get("critical"), "bands.critical", &mut s.bands.critical);
    }
    if let Some(w) = n.get("weights") {
        const KEYS: &[&str] = &[
            "internet_facing",
            "attack_paths_threshold",
            "attack_paths",
            "restricted_data",
            "regulated_data",
            "blast_radius",
            "unknown",
            "mitigation",
            "mitigation_max",
        ];
        check_keys(r, w, "risk weights", KEYS);
        let ws = &mut s.weights;
        let fields: [&mut u8; 9] = [
            &mut ws.internet_facing,
            &mut ws.attack_paths_threshold,
            &mut ws.attack_paths,
            &mut ws.restricted_data,
            &mut ws.regulated_data,
            &mut ws.blast_radius,
            &mut ws.unknown,
            &mut ws.mitigation,
            &mut ws.mitigation_max,
        ];
        for (key, field) in KEYS.iter().zip(fields) {
            small(r, w.get(key), &format!("weights.{key}"), field);
        }
    }
    if let Some(m) = n.get("matrix") {
        let mut rows = Vec::new();
        for row in seq(r, Some(m), "matrix") {
            let mut out = Vec::new();
            for cell in seq(r, Some(row), "matrix row") {
                let mut v = 0;
                small(r, Some(cell), "matrix score", &mut v);
                out.push(v);
            }
            rows.push(out);
        }
        s.matrix = Some(rows);
    }
    for problem in s.problems() {
        r.problems.push((n.mark, problem));
    }
    s
}

fn required_name(r: &mut Reader, n: &Node, what: &str) -> Option<String> {
    if n.as_map().is_none() {
        r.problems.push((n.mark, format!("a {what} must be a mapping with a name, found {}", n.describe())));
        return None;
    }
    match string(r, n.get("name"), "name") {
        Some(name) if !name.trim().is_empty() => Some(name),
        _ => {
            r.problems.push((n.mark, format!("a {what} needs a non-empty `name`")));
            None
        }
    }
}

fn locate_fields(r: &mut Reader, n: &Node, subject: Subject, fields: &[&str]) {
    for f in fields {
        if let Some(v) = n.get(f) {
            r.map.put(subject, Some(f), v.mark);
        }
    }
}

fn endpoint(r: &mut Reader, n: &Node, key: &str, elements: &Names<ElementId>) -> Option<(ElementId, String)> {
    match string(r, n.get(key), key) {
        None => {
            r.problems.push((n.mark, format!("missing `{key}`: expected the name of an element")));
            None
        }
        Some(text) => match elements.resolve(&text) {
            Some(id) => Some((id, text)),
            None => {
                r.problems.push((
                    n.get(key).map(|x| x.mark).unwrap_or(n.mark),
                    format!("`{key}` refers to unknown element `{text}`"),
                ));
                None
            }
        },
    }
}

fn resolve_assets(r: &mut Reader, node: Option<&Node>, assets: &Names<AssetId>) -> Vec<AssetId> {
    let mut out = Vec::new();
    for (name, mark) in string_list(r, node, "data") {
        match assets.resolve(&name) {
            Some(id) => out.push(id),
            None => r.problems.push((mark, format!("unknown data asset `{name}`; declare it under `assets`"))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_over_its_limit_is_refused_where_it_starts() {
        let doc = crate::yaml::node::load("elements:\n  - a\n  - b\n  - c\n", Default::default()).unwrap();
        let mut r = Reader { problems: Vec::new(), map: SourceMap::default() };
        assert_eq!(seq_at_most(&mut r, doc.get("elements"), "elements", 3).len(), 3);
        assert!(r.problems.is_empty());
        assert!(seq_at_most(&mut r, doc.get("elements"), "elements", 2).is_empty());
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].0.line, 2);
        assert_eq!(r.problems[0].1, "`elements` has 3 entries, over the limit of 2; refusing to read them");
    }
}
