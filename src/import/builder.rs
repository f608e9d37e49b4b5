//! Assembles an imported cloud model: elements keyed by the source's logical
//! ids, merged flows and grants, the `Internet` boundary with its `Client`,
//! the vendor's account boundary, data assets from classification tags, and
//! the final layout and validation. The vendor (`Vendor`) names the account
//! boundary and the protocol of flows inside it, so every cloud front end
//! (CloudFormation, Serverless, Terraform) shares this one assembly.
//!
//! Must not: read source files (that is each importer's front end);
//! everything here works on names and ids.

use super::{validation_warnings, Imported};
use crate::diag::Diagnostic;
use crate::layout;
use crate::model::kind::{category_kind, category_of};
use crate::model::*;
use crate::yaml::Mark;
use std::collections::{BTreeSet, HashMap};

/// What an imported model says about the cloud it was deployed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vendor {
    /// Name of the boundary holding every deployed resource.
    pub account: &'static str,
    /// Description of that boundary.
    pub account_description: &'static str,
    /// Protocol of calls and event deliveries inside the account.
    pub internal_protocol: &'static str,
}

/// Amazon Web Services, as a CloudFormation template deploys it.
pub const AWS: Vendor = Vendor {
    account: "AWS account",
    account_description: "Resources deployed by the template",
    internal_protocol: "aws-internal",
};

/// A name not yet `taken`: `base`, else `base (2)`, `base (3)`, ….
pub fn unique_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut name = base.to_string();
    let mut n = 1;
    while taken(&name) {
        n += 1;
        name = format!("{base} ({n})");
    }
    name
}

/// How a flow travels, which decides its properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hop {
    /// HTTPS from a client; `true` when the entry point authenticates callers.
    Https(bool),
    /// A synchronous call inside the cloud account (SDK call, invoke).
    Call,
    /// An asynchronous event delivery (queue poll, notification, stream).
    Event,
}

pub struct Builder {
    pub file: String,
    vendor: Vendor,
    pub model: Model,
    pub warnings: Vec<Diagnostic>,
    by_logical: HashMap<String, ElementId>,
    index: HashMap<ElementId, usize>,
    account: BoundaryId,
    client: Option<ElementId>,
    flows: HashMap<(ElementId, ElementId), usize>,
    grants: HashMap<(ElementId, String), usize>,
    /// Physical names (BucketName, TableName, …) of modelled resources, to
    /// match literal ARNs.
    physical: Vec<(String, ElementId)>,
    /// Where each element was defined, to locate validation problems.
    marks: HashMap<ElementId, Mark>,
}

impl Builder {
    pub fn new(vendor: Vendor, name: &str, description: &str, file: &str) -> Builder {
        let account = Boundary {
            id: BoundaryId::derive(vendor.account, 0),
            name: vendor.account.into(),
            kind: BoundaryKind::Account,
            parent: None,
            description: vendor.account_description.into(),
            position: None,
            size: None,
        };
        let model = Model {
            name: name.to_string(),
            description: description.to_string(),
            boundaries: vec![account.clone()],
            ..Model::default()
        };
        Builder {
            file: file.to_string(),
            vendor,
            model,
            warnings: Vec::new(),
            by_logical: HashMap::new(),
            index: HashMap::new(),
            account: account.id,
            client: None,
            flows: HashMap::new(),
            grants: HashMap::new(),
            physical: Vec::new(),
            marks: HashMap::new(),
        }
    }

    pub fn warn(&mut self, mark: Mark, message: impl Into<String>) {
        crate::import::push_warning(&mut self.warnings, &self.file, mark, message);
    }

    /// Adds an element for a logical id (or returns the existing one).
    pub fn element(&mut self, logical: &str, vendor_type: &str) -> ElementId {
        if let Some(id) = self.by_logical.get(logical) {
            return *id;
        }
        let boundary = self.account;
        self.add(logical, vendor_type, Some(boundary))
    }

    fn add(&mut self, logical: &str, vendor_type: &str, boundary: Option<BoundaryId>) -> ElementId {
        let name = unique_name(logical, |n| self.model.elements.iter().any(|e| e.name == n));
        let kind = category_of(vendor_type).and_then(category_kind).unwrap_or(ElementKind::External);
        let id = ElementId::derive(&name, 0);
        self.index.insert(id, self.model.elements.len());
        self.model.elements.push(Element {
            id,
            name,
            kind,
            vendor_type: vendor_type.to_string(),
            boundary,
            description: String::new(),
            properties: Properties::new(),
            assets: Vec::new(),
            mitigations: Vec::new(),
            position: None,
        });
        self.by_logical.insert(logical.to_string(), id);
        id
    }

    /// Records where an element was defined (the first place wins).
    pub fn locate(&mut self, id: ElementId, mark: Mark) {
        self.marks.entry(id).or_insert(mark);
    }

    /// Where an element was defined, if recorded.
    pub fn mark_of(&self, id: ElementId) -> Option<Mark> {
        self.marks.get(&id).copied()
    }

    /// Records the physical name (BucketName, TableName, …) of a modelled
    /// resource, so literal ARNs and names can be matched to it.
    pub fn add_physical(&mut self, name: &str, id: ElementId) {
        self.physical.push((name.to_string(), id));
    }

    /// The element with this physical name, if any (the first recorded).
    pub fn physical(&self, name: &str) -> Option<ElementId> {
        self.physical.iter().find(|(n, _)| n == name).map(|(_, id)| *id)
    }

    /// Every recorded physical name, in the order recorded.
    pub fn physical_names(&self) -> &[(String, ElementId)] {
        &self.physical
    }

    /// Makes `logical` another name of an existing element.
    pub fn alias(&mut self, logical: &str, id: ElementId) {
        self.by_logical.entry(logical.to_string()).or_insert(id);
    }

    pub fn lookup(&self, logical: &str) -> Option<ElementId> {
        self.by_logical.get(logical).copied()
    }

    pub fn get(&self, id: ElementId) -> &Element {
        &self.model.elements[self.index[&id]]
    }

    pub fn get_mut(&mut self, id: ElementId) -> &mut Element {
        let i = self.index[&id];
        &mut self.model.elements[i]
    }

    pub fn category(&self, id: ElementId) -> &'static str {
        self.get(id).category()
    }

    pub fn set(&mut self, id: ElementId, key: &str, value: Value) {
        self.get_mut(id).properties.insert(key.to_string(), value);
    }

    pub fn set_bool(&mut self, id: ElementId, key: &str, value: bool) {
        self.set(id, key, Value::Bool(value));
    }

    pub fn set_str(&mut self, id: ElementId, key: &str, value: &str) {
        self.set(id, key, Value::Str(value.to_string()));
    }

    pub fn prop(&self, id: ElementId, key: &str) -> Option<&Value> {
        self.get(id).properties.get(key)
    }

    pub fn describe(&mut self, id: ElementId, text: &str) {
        let e = self.get_mut(id);
        if e.description.is_empty() {
            e.description = text.to_string();
        }
    }

    /// The browser client in the `Internet` boundary, created on first use.
    pub fn client(&mut self) -> ElementId {
        if let Some(id) = self.client {
            return id;
        }
        let internet = Boundary {
            id: BoundaryId::derive("Internet", 0),
            name: "Internet".into(),
            kind: BoundaryKind::Internet,
            parent: None,
            description: "Callers of the public endpoints".into(),
            position: None,
            size: None,
        };
        let bid = internet.id;
        self.model.boundaries.insert(0, internet);
        let id = self.add("Client", "generic.browser", Some(bid));
        self.set_str(id, "trust", "untrusted");
        self.describe(id, "Any caller on the Internet (browser, mobile app, script)");
        self.client = Some(id);
        id
    }

    /// Adds a flow, or extends the label of the flow between the same pair.
    pub fn flow(&mut self, from: ElementId, to: ElementId, label: &str, hop: Hop) {
        if from == to {
            return;
        }
        if let Some(&i) = self.flows.get(&(from, to)) {
            let f = &mut self.model.flows[i];
            if !label.is_empty() && !f.label.split(", ").any(|l| l == label) {
                f.label = if f.label.is_empty() { label.to_string() } else { format!("{}, {label}", f.label) };
            }
            return;
        }
        let mut properties = Properties::new();
        match hop {
            Hop::Https(auth) => {
                properties.insert("protocol".into(), Value::Str("https".into()));
                properties.insert("encrypted".into(), Value::Bool(true));
                properties.insert("authenticated".into(), Value::Bool(auth));
            }
            Hop::Call => {
                properties.insert("protocol".into(), Value::Str(self.vendor.internal_protocol.into()));
                properties.insert("encrypted".into(), Value::Bool(true));
                properties.insert("authenticated".into(), Value::Bool(true));
            }
            Hop::Event => {
                properties.insert("protocol".into(), Value::Str(self.vendor.internal_protocol.into()));
                properties.insert("encrypted".into(), Value::Bool(true));
                properties.insert("authenticated".into(), Value::Bool(true));
                properties.insert("async".into(), Value::Bool(true));
            }
        }
        let key = format!("{}->{}", self.get(from).name, self.get(to).name);
        self.flows.insert((from, to), self.model.flows.len());
        self.model.flows.push(Flow {
            id: FlowId::derive(&key, 0),
            from,
            to,
            label: label.to_string(),
            properties,
            assets: Vec::new(),
        });
    }

    pub fn has_flow(&self, from: ElementId, to: ElementId) -> bool {
        self.flows.contains_key(&(from, to))
    }

    /// Adds a grant, merging actions with an existing grant on the same target.
    pub fn grant(&mut self, principal: ElementId, target: GrantTarget, actions: &[String]) {
        if actions.is_empty() {
            return;
        }
        // A bare name outside the model (a table name, `Role.Arn`) becomes an
        // ARN-like reference so the model file can tell it from an element.
        let target = match target {
            GrantTarget::Unmodelled(t) if !(t.contains(':') || t.contains('/') || t.contains('*')) => {
                let service = actions.first().and_then(|a| a.split_once(':')).map(|(s, _)| s).unwrap_or("unknown");
                GrantTarget::Unmodelled(format!("arn:aws:{service}:::{t}"))
            }
            other => other,
        };
        let tkey = match &target {
            GrantTarget::Element(e) => format!("element:{e}"),
            GrantTarget::Any => "*".into(),
            GrantTarget::Unmodelled(s) => format!("arn:{s}"),
        };
        if let Some(&i) = self.grants.get(&(principal, tkey.clone())) {
            let g = &mut self.model.grants[i];
            let mut set: BTreeSet<String> = g.actions.drain(..).collect();
            set.extend(actions.iter().cloned());
            g.actions = set.into_iter().collect();
            return;
        }
        let key = format!("{}->{tkey}", self.get(principal).name);
        self.grants.insert((principal, tkey), self.model.grants.len());
        let actions: BTreeSet<String> = actions.iter().cloned().collect();
        self.model.grants.push(Grant {
            id: GrantId::derive(&key, 0),
            principal,
            target,
            actions: actions.into_iter().collect(),
        });
    }

    /// Attaches a data asset of this classification (from a resource tag).
    pub fn classify(&mut self, id: ElementId, classification: Classification) {
        let name = format!("{} data", capitalise(classification.as_str()));
        let asset = match self.model.assets.iter().find(|a| a.name == name) {
            Some(a) => a.id,
            None => {
                let a = DataAsset {
                    id: AssetId::derive(&name, 0),
                    name: name.clone(),
                    classification,
                    tags: Vec::new(),
                    description: "Data of resources tagged with this classification in the template".into(),
                };
                let id = a.id;
                self.model.assets.push(a);
                id
            }
        };
        let e = self.get_mut(id);
        if !e.assets.contains(&asset) {
            e.assets.push(asset);
        }
    }

    /// Lays the model out and checks it; a validation problem here is a bug
    /// of the importer, reported as a warning rather than lost.
    pub fn finish(mut self) -> Imported {
        self.model.flows.retain(|f| f.from != f.to);
        layout::auto_layout(&mut self.model);
        let mark_of = |id: ElementId| self.marks.get(&id).copied();
        let locate = |s: Subject| match s {
            Subject::Element(e) => mark_of(ElementId(e)),
            Subject::Flow(f) => self.model.flows.iter().find(|x| x.id.0 == f).and_then(|x| mark_of(x.from)),
            Subject::Grant(g) => self.model.grants.iter().find(|x| x.id.0 == g).and_then(|x| mark_of(x.principal)),
            _ => None,
        };
        let problems = validation_warnings(&self.model, &self.file, locate);
        self.warnings.extend(problems);
        Imported { model: self.model, warnings: self.warnings }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
