//! Threagile importer (the `threagile.yaml` model of github.com/Threagile/threagile).
//!
//! Technical assets become elements: the category comes from the asset's
//! technology where the mapping is clear (`function` → function,
//! `web-service-rest`/`gateway`/`load-balancer` → API, `message-queue` →
//! queue, `database` → database, `file-server`/`block-storage` → bucket,
//! `vault` → secret store, …), else from its type (external entity → user or
//! service, process → function, datastore → table). A tag that names one of
//! our vendor types (`aws:lambda`, `generic:cache`) wins over both. What has
//! no property of ours (id, type, technologies, machine, size, usage,
//! encryption, integrity, availability) is kept on one `Threagile:` line of
//! the description, the owner and the out-of-scope reason on lines of their
//! own (`OWNER`, `OUT_OF_SCOPE`); the export reads them back. Communication links become flows (protocol,
//! encryption, authentication, data sent and received); trust boundaries
//! become boundaries, nested as `trust_boundaries_nested` says; shared
//! runtimes have no equivalent and are kept as lines of the model
//! description; data assets keep their name, tags and a classification from
//! their confidentiality (`CLASSIFICATION`).
//!
//! Threagile's risk ids are not ours, so `risk_tracking` entries are kept as
//! threats of the element their id names (`notes`, tool `Threagile`), or of
//! the model when the id names no asset. Entries keyed by one of our threat
//! ids (our own export) come back as triage decisions.
//!
//! Must not: fail on what it does not understand (a warning); only unreadable
//! YAML, a document that is not a Threagile model and a link to an asset that
//! does not exist are errors. `<<` merge keys are followed, `includes` not.

use super::threat_dragon::notes::{self, KeptThreat, Notes};
use super::threat_dragon::{RULE_MARKER, STATUS_MARKER};
use super::{load_document, model_name, Imported};
use crate::diag::{Diagnostic, Diagnostics};
use crate::layout;
use crate::model::kind::{category, category_kind, category_of};
use crate::model::*;
use crate::yaml::{Mark, Node};
use std::collections::HashMap;

/// The tool name kept threats carry.
pub const TOOL: &str = "Threagile";
/// The prefix of the line that keeps what Threatwright has no field for.
pub const META_PREFIX: &str = "Threagile: ";
/// The marker of the target of one of our decisions (beside [`RULE_MARKER`]).
pub const TARGET_MARKER: &str = "Threatwright target: ";
/// The line that says a technical asset is out of scope (`: reason` follows).
pub const OUT_OF_SCOPE: &str = "Out of scope in Threagile";
/// The line that names a technical asset's owner.
pub const OWNER: &str = "Owner: ";

/// Splits the last paragraph off a description when it is one line starting
/// with `prefix`: the text before it and the rest of that line.
pub fn peel(description: &str, prefix: &str) -> (String, Option<String>) {
    let trimmed = description.trim_end();
    let (before, last) = match trimmed.rfind("\n\n") {
        Some(i) => (&trimmed[..i], &trimmed[i + 2..]),
        None => ("", trimmed),
    };
    match last.strip_prefix(prefix).filter(|r| !r.contains('\n')) {
        Some(rest) => (before.trim_end().to_string(), Some(rest.to_string())),
        None => (description.to_string(), None),
    }
}

/// The tag prefix of a boundary kind Threagile's types do not express.
pub const KIND_TAG: &str = "threatwright:";

/// Threagile confidentiality → our classification (five levels onto four).
pub const CLASSIFICATION: &[(&str, Classification)] = &[
    ("public", Classification::Public),
    ("internal", Classification::Internal),
    ("restricted", Classification::Confidential),
    ("confidential", Classification::Confidential),
    ("strictly-confidential", Classification::Restricted),
];

/// Our classification → Threagile confidentiality.
pub fn confidentiality(c: Classification) -> &'static str {
    match c {
        Classification::Public => "public",
        Classification::Internal => "internal",
        Classification::Confidential => "confidential",
        Classification::Restricted => "strictly-confidential",
    }
}

/// Threagile trust boundary type → our boundary kind.
pub const BOUNDARY_KINDS: &[(&str, BoundaryKind)] = &[
    ("network-on-prem", BoundaryKind::Corporate),
    ("network-dedicated-hoster", BoundaryKind::Generic),
    ("network-virtual-lan", BoundaryKind::Vpc),
    ("network-cloud-provider", BoundaryKind::Account),
    ("network-cloud-security-group", BoundaryKind::Subnet),
    ("network-policy-namespace-isolation", BoundaryKind::Tenant),
    ("execution-environment", BoundaryKind::Generic),
];

/// Our boundary kind → Threagile trust boundary type (a tag keeps the kinds
/// that do not come back from the type).
pub fn boundary_type(k: BoundaryKind) -> &'static str {
    match k {
        BoundaryKind::Corporate => "network-on-prem",
        BoundaryKind::Vpc => "network-virtual-lan",
        BoundaryKind::Account | BoundaryKind::Region => "network-cloud-provider",
        BoundaryKind::Subnet => "network-cloud-security-group",
        BoundaryKind::Tenant => "network-policy-namespace-isolation",
        BoundaryKind::Internet | BoundaryKind::Partner => "network-dedicated-hoster",
        BoundaryKind::Generic => "execution-environment",
    }
}

/// Threagile status → ours.
pub fn status(text: &str) -> Option<TriageStatus> {
    Some(match text.trim() {
        "unchecked" | "in-discussion" | "in-progress" => TriageStatus::Open,
        "accepted" => TriageStatus::Accepted,
        "mitigated" => TriageStatus::Mitigated,
        "false-positive" => TriageStatus::NotApplicable,
        _ => return None,
    })
}

/// Our status → Threagile's (transferred risks are accepted ones).
pub fn status_name(s: TriageStatus) -> &'static str {
    match s {
        TriageStatus::Open => "unchecked",
        TriageStatus::Mitigated => "mitigated",
        TriageStatus::Accepted | TriageStatus::Transferred => "accepted",
        TriageStatus::NotApplicable => "false-positive",
    }
}

/// The category a technology maps to, for an asset of a Threagile type;
/// `None` when the mapping is not clear.
pub fn technology_category(ty: &str, technology: &str) -> Option<&'static str> {
    use category::*;
    Some(match (ty, technology) {
        ("external-entity", "browser" | "mobile-app" | "desktop" | "client-system") => BROWSER,
        ("external-entity", "devops-client") => ADMIN,
        ("external-entity", "web-service-rest" | "web-service-soap" | "gateway") => PARTNER_API,
        (_, "build-pipeline") => PIPELINE,
        (_, "identity-provider") => IDENTITY_PROVIDER,
        ("external-entity", _) => return None,
        (_, "message-queue") => QUEUE,
        ("datastore", "database" | "identity-store-database") => DATABASE,
        (
            "datastore",
            "file-server"
            | "local-file-system"
            | "block-storage"
            | "data-lake"
            | "sourcecode-repository"
            | "artifact-registry",
        ) => BUCKET,
        ("datastore", "vault") => SECRET_STORE,
        ("datastore", "hsm") => KEY_STORE,
        ("datastore", "monitoring") => LOG_STORE,
        ("datastore", "search-index" | "identity-store-ldap" | "ldap-server") => TABLE,
        ("datastore", _) => return None,
        (_, "web-service-rest" | "web-service-soap" | "gateway" | "reverse-proxy" | "load-balancer") => API,
        (_, "scheduler") => SCHEDULE,
        (_, "function" | "task" | "batch-processing" | "event-listener" | "stream-processing") => FUNCTION,
        _ => return None,
    })
}

/// The Threagile type and technology an element exports as.
pub fn export_technology(cat: &str) -> (&'static str, &'static str) {
    use category::*;
    match cat {
        USER => ("external-entity", "client-system"),
        BROWSER => ("external-entity", "browser"),
        ADMIN => ("external-entity", "devops-client"),
        PARTNER_API => ("external-entity", "web-service-rest"),
        IDENTITY_PROVIDER => ("external-entity", "identity-provider"),
        PIPELINE => ("external-entity", "build-pipeline"),
        SERVICE => ("external-entity", "unknown-technology"),
        API | FUNCTION_URL | WEBHOOK => ("process", "web-service-rest"),
        CDN => ("process", "reverse-proxy"),
        QUEUE | TOPIC | EVENT_BUS | STREAM | STORAGE_EVENT => ("process", "message-queue"),
        SCHEDULE => ("process", "scheduler"),
        DATABASE | TABLE | CACHE => ("datastore", "database"),
        BUCKET => ("datastore", "file-server"),
        SECRET_STORE => ("datastore", "vault"),
        KEY_STORE => ("datastore", "hsm"),
        LOG_STORE => ("datastore", "monitoring"),
        _ => ("process", "function"),
    }
}

/// Whether a Threagile protocol encrypts in transit (`None`: cannot tell).
pub fn protocol_encrypted(protocol: &str) -> Option<bool> {
    match protocol {
        "https" | "wss" | "ssh" | "ssh-tunnel" | "ftps" | "sftp" | "scp" | "ldaps" => Some(true),
        p if p.ends_with("-encrypted") => Some(true),
        "unknown-protocol"
        | "in-process-library-call"
        | "inter-process-communication"
        | "local-file-access"
        | "container-spawning"
        | "" => None,
        _ => Some(false),
    }
}

/// The `Threagile:` line: `key=value` pairs (values without spaces).
pub fn meta_line(pairs: &[(&str, String)]) -> String {
    let body: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty() && !v.contains(char::is_whitespace))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if body.is_empty() {
        String::new()
    } else {
        format!("{META_PREFIX}{}", body.join(" "))
    }
}

/// Splits the `Threagile:` line (the last paragraph of a description that is
/// one) off a description: the text before it and its pairs.
pub fn split_meta(description: &str) -> (String, HashMap<String, String>) {
    let trimmed = description.trim_end();
    let (before, last) = match trimmed.rfind("\n\n") {
        Some(i) => (&trimmed[..i], &trimmed[i + 2..]),
        None => ("", trimmed),
    };
    let Some(body) = last.strip_prefix(META_PREFIX).filter(|b| !b.contains('\n')) else {
        return (description.to_string(), HashMap::new());
    };
    let mut pairs = HashMap::new();
    for token in body.split_whitespace() {
        match token.split_once('=') {
            Some((k, v)) => pairs.insert(k.to_string(), v.to_string()),
            None => return (description.to_string(), HashMap::new()),
        };
    }
    (before.trim_end().to_string(), pairs)
}

/// A `Threagile:` line appended to a description after a blank line.
fn with_meta(description: &str, meta: &str) -> String {
    match (description.trim().is_empty(), meta.is_empty()) {
        (_, true) => description.to_string(),
        (true, false) => meta.to_string(),
        (false, false) => format!("{}\n\n{meta}", description.trim_end()),
    }
}

/// Value of `key` in a mapping, following `<<` merge keys (YAML 1.1), which
/// Threagile models use for inheritance.
fn field<'a>(n: &'a Node, key: &str) -> Option<&'a Node> {
    fn find<'a>(n: &'a Node, key: &str, depth: usize) -> Option<&'a Node> {
        if let Some(v) = n.get(key) {
            return Some(v);
        }
        let merged = n.get("<<").filter(|_| depth < 16)?;
        match merged.as_seq() {
            Some(items) => items.iter().find_map(|m| find(m, key, depth + 1)),
            None => find(merged, key, depth + 1),
        }
    }
    find(n, key, 0)
}

fn text(n: &Node, key: &str) -> String {
    field(n, key)
        .and_then(Node::as_scalar)
        .filter(|_| !field(n, key).is_some_and(Node::is_null))
        .unwrap_or("")
        .to_string()
}

fn flag(n: &Node, key: &str) -> bool {
    field(n, key).and_then(Node::as_bool).unwrap_or(false)
}

/// A list of strings (a missing or null list is empty).
fn strings(n: &Node, key: &str) -> Vec<(String, Mark)> {
    field(n, key)
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|i| i.as_scalar().filter(|s| !s.is_empty()).map(|s| (s.to_string(), i.mark)))
        .collect()
}

/// The entries of a named mapping section, `(name, node)`; null is empty.
fn entries<'a>(root: &'a Node, key: &str, file: &str) -> Result<Vec<(String, &'a Node)>, Diagnostics> {
    let Some(section) = root.get(key) else { return Ok(Vec::new()) };
    if section.is_null() {
        return Ok(Vec::new());
    }
    let Some(map) = section.as_map() else {
        return Err(Diagnostics::one(Diagnostic::new(
            file,
            section.mark.line,
            section.mark.col,
            format!("{key}: expected a mapping of names to entries, found {}", section.describe()),
        )));
    };
    Ok(map.iter().filter_map(|(k, v)| k.as_scalar().map(|k| (k.to_string(), v))).collect())
}

/// Imports a Threagile model.
pub fn import(text: &str, file: &str) -> Result<Imported, Diagnostics> {
    let root = load_document(text, file)?;
    let err = |n: &Node, msg: String| Diagnostics::one(Diagnostic::new(file, n.mark.line, n.mark.col, msg));
    if root.as_map().is_none() {
        return Err(err(
            &root,
            format!(
                "expected a Threagile model (a mapping with `threagile_version` and `technical_assets`), found {}",
                root.describe()
            ),
        ));
    }
    if root.get("technical_assets").is_none() && root.get("threagile_version").is_none() {
        return Err(err(&root, "not a Threagile model: no `threagile_version` or `technical_assets`".into()));
    }
    let mut im = Importer { file: file.to_string(), ..Importer::default() };
    im.header(&root);
    im.data_assets(&entries(&root, "data_assets", file)?);
    let assets = entries(&root, "technical_assets", file)?;
    for (name, a) in &assets {
        im.technical_asset(name, a);
    }
    for (name, a) in &assets {
        im.links(name, a)?;
    }
    im.boundaries(&entries(&root, "trust_boundaries", file)?);
    im.shared_runtimes(&entries(&root, "shared_runtimes", file)?);
    im.risk_tracking(&entries(&root, "risk_tracking", file)?);
    for key in ["includes", "individual_risk_categories"] {
        if let Some(n) = root.get(key).filter(|n| !n.is_null()) {
            im.warn(n.mark, format!("`{key}` is not imported"));
        }
    }
    Ok(im.finish())
}

#[derive(Default)]
struct Importer {
    file: String,
    model: Model,
    warnings: Vec<Diagnostic>,
    /// Threagile id → element index, data asset id, boundary id.
    elements: HashMap<String, usize>,
    assets: HashMap<String, AssetId>,
    boundaries: HashMap<String, BoundaryId>,
    notes: Vec<Notes>,
    model_notes: Notes,
    marks: HashMap<uuid::Uuid, Mark>,
}

impl Importer {
    fn warn(&mut self, mark: Mark, message: impl Into<String>) {
        crate::import::push_warning(&mut self.warnings, &self.file, mark, message);
    }

    fn header(&mut self, root: &Node) {
        let title = text(root, "title");
        self.model.name = if title.trim().is_empty() { model_name(&self.file) } else { title };
        self.model.author = root.get("author").map(|a| text(a, "name")).unwrap_or_default();
        let description = ["application_description", "business_overview", "technical_overview"]
            .iter()
            .filter_map(|k| root.get(k).map(|n| text(n, "description")))
            .find(|d| !d.trim().is_empty())
            .unwrap_or_default();
        self.model.description = description.trim().to_string();
        if let Some(v) = root.get("threagile_version").and_then(Node::as_scalar) {
            if !v.starts_with("1.") {
                let mark = root.get("threagile_version").map(|n| n.mark).unwrap_or_default();
                self.warn(mark, format!("threagile_version `{v}` is not 1.x; read as 1.x"));
            }
        }
    }

    fn data_assets(&mut self, items: &[(String, &Node)]) {
        for (name, a) in items {
            let id = text(a, "id");
            let conf = text(a, "confidentiality");
            let classification = match CLASSIFICATION.iter().find(|(t, _)| *t == conf) {
                Some((_, c)) => *c,
                None => {
                    self.warn(
                        a.mark,
                        format!("data asset `{name}`: unknown confidentiality `{conf}`; classified internal"),
                    );
                    Classification::Internal
                }
            };
            let pairs: Vec<(&str, String)> =
                ["id", "confidentiality", "integrity", "availability", "usage", "quantity"]
                    .iter()
                    .map(|k| (*k, text(a, k)))
                    .collect();
            let asset_id = AssetId::derive(name, 0);
            if self.assets.insert(if id.is_empty() { name.clone() } else { id.clone() }, asset_id).is_some() {
                self.warn(a.mark, format!("data asset `{name}`: duplicate id `{id}`; references reach the last one"));
            }
            self.model.assets.push(DataAsset {
                id: asset_id,
                name: name.clone(),
                classification,
                tags: strings(a, "tags").into_iter().map(|(t, _)| t).collect(),
                description: with_meta(text(a, "description").trim(), &meta_line(&pairs)),
            });
        }
    }

    fn asset_refs(&mut self, n: &Node, keys: &[&str], whose: &str) -> Vec<AssetId> {
        let mut out = Vec::new();
        for key in keys {
            for (r, mark) in strings(n, key) {
                match self.assets.get(&r) {
                    Some(a) if !out.contains(a) => out.push(*a),
                    Some(_) => {}
                    None => self.warn(mark, format!("{whose}: unknown data asset `{r}` in `{key}`; ignored")),
                }
            }
        }
        out
    }

    fn technical_asset(&mut self, name: &str, a: &Node) {
        let ty = text(a, "type");
        let mut techs: Vec<String> = strings(a, "technologies").into_iter().map(|(t, _)| t).collect();
        let single = text(a, "technology");
        if !single.is_empty() && !techs.contains(&single) {
            techs.insert(0, single);
        }
        let tags: Vec<String> = strings(a, "tags").into_iter().map(|(t, _)| t).collect();
        let human = flag(a, "used_as_client_by_human");
        let fallback = match ty.as_str() {
            "external-entity" if human => category::USER,
            "external-entity" => category::SERVICE,
            "datastore" => category::TABLE,
            "process" => category::FUNCTION,
            other => {
                self.warn(a.mark, format!("technical asset `{name}`: unknown type `{other}`; imported as a process"));
                category::FUNCTION
            }
        };
        let cat = techs.iter().find_map(|t| technology_category(&ty, t)).unwrap_or(fallback);
        // A tag naming one of our vendor types (`aws:lambda`) of the same kind
        // is the exact type (a process tagged `aws:s3` uses S3, it is not one).
        let vendor_type = tags
            .iter()
            .map(|t| t.replacen(':', ".", 1))
            .find(|t| category_of(t).and_then(category_kind) == category_kind(cat))
            .unwrap_or_else(|| format!("generic.{cat}"));
        let cat = category_of(&vendor_type).unwrap_or(cat);
        let kind = category_kind(cat).unwrap_or(ElementKind::Function);
        let properties = self.element_properties(a, kind, cat);
        let id_text = text(a, "id");
        let id = ElementId::derive(name, 0);
        let mut pairs = vec![("id", id_text.clone()), ("type", ty.clone()), ("technologies", techs.join(","))];
        for k in ["machine", "size", "usage", "encryption", "integrity", "availability"] {
            pairs.push((k, text(a, k)));
        }
        let owner = text(a, "owner");
        let mut description = text(a, "description").trim().to_string();
        if flag(a, "out_of_scope") {
            let reason = text(a, "justification_out_of_scope").split_whitespace().collect::<Vec<_>>().join(" ");
            let line = if reason.is_empty() { format!("{OUT_OF_SCOPE}.") } else { format!("{OUT_OF_SCOPE}: {reason}") };
            description = with_meta(&description, &line);
        }
        if !owner.trim().is_empty() {
            description = with_meta(&description, &format!("{OWNER}{}", owner.trim()));
        }
        let description = with_meta(&description, &meta_line(&pairs));
        let assets = self.asset_refs(a, &["data_assets_stored", "data_assets_processed"], &format!("`{name}`"));
        if self
            .elements
            .insert(if id_text.is_empty() { name.to_string() } else { id_text.clone() }, self.model.elements.len())
            .is_some()
        {
            self.warn(a.mark, format!("technical asset `{name}`: duplicate id `{id_text}`; references reach this one"));
        }
        self.notes.push(Notes::default());
        self.marks.insert(id.0, a.mark);
        self.model.elements.push(Element {
            id,
            name: name.to_string(),
            kind,
            vendor_type,
            boundary: None,
            description,
            properties,
            assets,
            mitigations: Vec::new(),
            position: None,
        });
    }

    /// The properties a technical asset's fields say something about.
    fn element_properties(&self, a: &Node, kind: ElementKind, cat: &str) -> Properties {
        let mut p = Properties::new();
        let internet = flag(a, "internet");
        let encryption = text(a, "encryption");
        let encrypted = (!encryption.is_empty()).then(|| encryption != "none");
        match kind {
            ElementKind::External if internet => {
                p.insert("trust".into(), Value::Str("untrusted".into()));
            }
            ElementKind::Store => {
                if let Some(e) = encrypted {
                    p.insert("encrypted_at_rest".into(), Value::Bool(e));
                }
            }
            ElementKind::Trigger if crate::model::kind::is_public_endpoint(cat) && !internet => {
                p.insert("endpoint".into(), Value::Str("private".into()));
            }
            ElementKind::Trigger if crate::model::kind::groups::MESSAGE_SOURCE.contains(&cat) => {
                if let Some(e) = encrypted {
                    p.insert("encrypted".into(), Value::Bool(e));
                }
            }
            ElementKind::Function if flag(a, "multi_tenant") => {
                p.insert("multi_tenant".into(), Value::Bool(true));
            }
            _ => {}
        }
        p
    }

    fn links(&mut self, name: &str, a: &Node) -> Result<(), Diagnostics> {
        let Some(links) = field(a, "communication_links").filter(|l| !l.is_null()) else { return Ok(()) };
        let Some(links) = links.as_map() else {
            self.warn(
                links.mark,
                format!("`{name}`.communication_links: expected a mapping, found {}; ignored", links.describe()),
            );
            return Ok(());
        };
        let from = self.model.elements.iter().position(|e| e.name == name).unwrap_or_default();
        for (k, l) in links {
            let label = k.as_scalar().unwrap_or("").to_string();
            let target = text(l, "target");
            let Some(&to) = self.elements.get(&target) else {
                let at = field(l, "target").map(|t| t.mark).unwrap_or(l.mark);
                return Err(Diagnostics::one(Diagnostic::new(
                    &self.file,
                    at.line,
                    at.col,
                    format!("communication link `{label}` of `{name}` targets `{target}`, which is not a technical asset id"),
                )));
            };
            let mut properties = Properties::new();
            let protocol = text(l, "protocol");
            if !protocol.is_empty() {
                properties.insert("protocol".into(), Value::Str(protocol.clone()));
            }
            if let Some(e) = protocol_encrypted(&protocol).map(|e| e || flag(l, "vpn")) {
                properties.insert("encrypted".into(), Value::Bool(e));
            }
            let auth = text(l, "authentication");
            if !auth.is_empty() {
                properties.insert("authenticated".into(), Value::Bool(auth != "none"));
            }
            let assets = self.asset_refs(l, &["data_assets_sent", "data_assets_received"], &format!("link `{label}`"));
            let id = FlowId::derive(&format!("{name}:{label}"), 0);
            self.marks.insert(id.0, l.mark);
            self.model.flows.push(Flow {
                id,
                from: self.model.elements[from].id,
                to: self.model.elements[to].id,
                label,
                properties,
                assets,
            });
        }
        Ok(())
    }

    fn boundaries(&mut self, items: &[(String, &Node)]) {
        for (name, b) in items {
            let ty = text(b, "type");
            let tags: Vec<String> = strings(b, "tags").into_iter().map(|(t, _)| t).collect();
            let tagged = tags.iter().find_map(|t| t.strip_prefix(KIND_TAG).and_then(BoundaryKind::parse));
            let kind = match (tagged, BOUNDARY_KINDS.iter().find(|(t, _)| *t == ty)) {
                (Some(k), _) => k,
                (None, Some((_, k))) => *k,
                (None, None) => {
                    self.warn(b.mark, format!("trust boundary `{name}`: unknown type `{ty}`; imported as generic"));
                    BoundaryKind::Generic
                }
            };
            let id_text = text(b, "id");
            let id = BoundaryId::derive(name, 0);
            self.boundaries.insert(if id_text.is_empty() { name.clone() } else { id_text.clone() }, id);
            self.marks.insert(id.0, b.mark);
            let meta = meta_line(&[("id", id_text), ("type", ty)]);
            self.model.boundaries.push(Boundary {
                id,
                name: name.clone(),
                kind,
                parent: None,
                description: with_meta(text(b, "description").trim(), &meta),
                position: None,
                size: None,
            });
        }
        for (name, b) in items {
            let this = BoundaryId::derive(name, 0);
            for (r, mark) in strings(b, "trust_boundaries_nested") {
                let child = self.boundaries.get(&r).copied();
                match child.and_then(|c| self.model.boundaries.iter_mut().find(|x| x.id == c)) {
                    Some(c) if c.id != this && c.parent.is_none() => c.parent = Some(this),
                    Some(_) => self.warn(mark, format!("trust boundary `{r}` is nested twice or in itself; kept once")),
                    None => self.warn(mark, format!("trust boundary `{name}`: unknown nested boundary `{r}`; ignored")),
                }
            }
            for (r, mark) in strings(b, "technical_assets_inside") {
                match self.elements.get(&r).map(|&i| &mut self.model.elements[i]) {
                    Some(e) if e.boundary.is_none() => e.boundary = Some(this),
                    Some(e) => {
                        let n = e.name.clone();
                        self.warn(mark, format!("`{n}` is inside two trust boundaries; kept in the first"));
                    }
                    None => self.warn(mark, format!("trust boundary `{name}`: unknown technical asset `{r}`; ignored")),
                }
            }
        }
    }

    /// Shared runtimes have no equivalent: one line each in the model description.
    fn shared_runtimes(&mut self, items: &[(String, &Node)]) {
        let mut lines = Vec::new();
        for (name, r) in items {
            let running: Vec<String> = strings(r, "technical_assets_running")
                .into_iter()
                .filter_map(|(id, _)| self.elements.get(&id).map(|&i| self.model.elements[i].name.clone()))
                .collect();
            lines.push(format!("Threagile shared runtime `{name}` ({}) runs: {}.", text(r, "id"), running.join("; ")));
        }
        if !lines.is_empty() {
            self.model.description = with_meta(&self.model.description, &lines.join("\n"));
        }
    }

    fn risk_tracking(&mut self, items: &[(String, &Node)]) {
        for (risk, r) in items {
            let raw = text(r, "status");
            let status = match status(&raw) {
                Some(s) => s,
                None => {
                    self.warn(r.mark, format!("risk tracking `{risk}`: unknown status `{raw}`; kept as open"));
                    TriageStatus::Open
                }
            };
            let justification = text(r, "justification").trim().to_string();
            if let Ok(threat) = uuid::Uuid::parse_str(risk) {
                self.decision(threat, status, &justification, r);
                continue;
            }
            let mut description = if status == TriageStatus::Mitigated { String::new() } else { justification.clone() };
            let (ticket, date, by) = (text(r, "ticket"), text(r, "date"), text(r, "checked_by"));
            let checked: Vec<String> = [("ticket", ticket), ("checked by", by), ("on", date)]
                .into_iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(k, v)| format!("{k} {}", v.trim()))
                .collect();
            if !checked.is_empty() {
                description = with_meta(&description, &format!("Tracked in Threagile: {}.", checked.join(", ")));
            }
            let kept = KeptThreat {
                tool: TOOL.into(),
                title: risk.split('@').next().unwrap_or(risk).replace('-', " "),
                status: Some(status),
                kind: String::new(),
                severity: String::new(),
                id: risk.clone(),
                model_type: String::new(),
                flow: None,
                flow_label: String::new(),
                description,
                mitigation: if status == TriageStatus::Mitigated { justification } else { String::new() },
                score: String::new(),
            };
            match risk.split('@').skip(1).find_map(|part| self.elements.get(part).copied()) {
                Some(i) => self.notes[i].threats.push(kept),
                None => self.model_notes.threats.push(kept),
            }
        }
    }

    /// A `risk_tracking` entry keyed by one of our threat ids: a triage decision.
    fn decision(&mut self, threat: uuid::Uuid, status: TriageStatus, justification: &str, r: &Node) {
        let mut note = Vec::new();
        let (mut rule, mut target, mut exact) = (String::new(), String::new(), None);
        for line in justification.lines() {
            if let Some(v) = line.strip_prefix(RULE_MARKER) {
                rule = v.trim().to_string();
            } else if let Some(v) = line.strip_prefix(TARGET_MARKER) {
                target = v.trim().to_string();
            } else if let Some(v) = line.strip_prefix(STATUS_MARKER) {
                exact = TriageStatus::parse(v);
            } else {
                note.push(line);
            }
        }
        let status = match exact {
            Some(e) if status_name(e) == status_name(status) => e,
            _ => status,
        };
        self.model.triage.push(TriageDecision {
            threat,
            rule,
            target,
            status,
            note: note.join("\n").trim().to_string(),
            owner: text(r, "checked_by"),
            date: text(r, "date"),
        });
    }

    fn finish(mut self) -> Imported {
        for (e, n) in self.model.elements.iter_mut().zip(&self.notes) {
            let (text, mut old) = notes::split(&e.description);
            old.threats.extend(n.threats.iter().cloned());
            if n.out_of_scope.is_some() {
                old.out_of_scope = n.out_of_scope.clone();
            }
            e.description = notes::append(&text, &old);
        }
        self.model.description = notes::append(&self.model.description, &self.model_notes);
        if !self.model.elements.is_empty() {
            layout::auto_layout(&mut self.model);
        }
        let problems = super::drawn_validation(&self.model, &self.file, &self.marks);
        self.warnings.extend(problems);
        Imported { model: self.model, warnings: self.warnings }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meta_line_round_trips_and_plain_text_stays_text() {
        let line = meta_line(&[
            ("id", "erp-system".into()),
            ("technologies", "erp,web-server".into()),
            ("owner", "Company ABC".into()),
        ]);
        assert_eq!(line, "Threagile: id=erp-system technologies=erp,web-server");
        let d = with_meta("The ERP.", &line);
        let (text, pairs) = split_meta(&d);
        assert_eq!(text, "The ERP.");
        assert_eq!(pairs.get("id").map(String::as_str), Some("erp-system"));
        for plain in ["Threagile: great tool", "a\n\nThreagile: x y", "just text"] {
            assert_eq!(split_meta(plain), (plain.to_string(), HashMap::new()), "{plain}");
        }
    }

    #[test]
    fn statuses_and_classifications_map_both_ways() {
        for s in TriageStatus::ALL {
            assert!(status(status_name(s)).is_some());
        }
        for c in Classification::ALL {
            let back = CLASSIFICATION.iter().find(|(t, _)| *t == confidentiality(c)).map(|(_, c)| *c);
            assert_eq!(back, Some(c));
        }
        for k in BoundaryKind::ALL {
            assert!(BOUNDARY_KINDS.iter().any(|(t, _)| *t == boundary_type(k)));
        }
    }

    #[test]
    fn exported_technologies_import_as_the_same_category() {
        for c in crate::model::kind::CATEGORIES {
            let (ty, tech) = export_technology(c.name);
            let back = technology_category(ty, tech);
            assert_eq!(category_kind(back.unwrap_or(c.name)), Some(c.kind), "{}", c.name);
        }
    }
}
