//! Threagile export: the model as a Threagile model YAML (valid against
//! Threagile's `support/schema.json`), so a team can run Threagile's own
//! risk rules on it, and come back with `import threagile`.
//!
//! Elements become technical assets (type and technology from the category,
//! `export_technology`; a tag such as `aws:lambda` keeps a vendor type the
//! technology cannot say), flows become communication links of their source,
//! boundaries become trust boundaries (nested ones in
//! `trust_boundaries_nested`), data assets keep their classification as
//! confidentiality. What an earlier Threagile import kept (the `Threagile:`
//! line of a description, shared runtimes in the model description, risk
//! tracking kept as threats) is written back as it was.
//!
//! Our triage decisions become `risk_tracking` entries keyed by our threat
//! ids, with the rule and target as lines of the justification. Threagile
//! computes its own risk ids, so it reports these entries as orphaned unless
//! run with `--ignore-orphaned-risk-tracking`; the import reads them back.
//!
//! Must not: compute threats or scores.

use crate::engine::Analysis;
use crate::import::threagile::{
    boundary_type, confidentiality, export_technology, peel, split_meta, status_name, technology_category,
    BOUNDARY_KINDS, KIND_TAG, OUT_OF_SCOPE, OWNER, TARGET_MARKER, TOOL,
};
use crate::import::threat_dragon::notes::{self, KeptThreat, Notes};
use crate::import::threat_dragon::{RULE_MARKER, STATUS_MARKER};
use crate::model::kind::{category, category_of, is_public_endpoint, is_untrusted_by_default};
use crate::model::{Element, ElementKind, Model, TriageStatus, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use yaml_rust2::yaml::{Hash, Yaml};
use yaml_rust2::YamlEmitter;

/// The Threagile version the export declares.
pub const THREAGILE_VERSION: &str = "1.0.0";

/// Threagile's protocol names (the schema's enum).
const PROTOCOLS: &[&str] = &[
    "unknown-protocol",
    "http",
    "https",
    "ws",
    "wss",
    "reverse-proxy-web-protocol",
    "reverse-proxy-web-protocol-encrypted",
    "mqtt",
    "jdbc",
    "jdbc-encrypted",
    "odbc",
    "odbc-encrypted",
    "sql-access-protocol",
    "sql-access-protocol-encrypted",
    "nosql-access-protocol",
    "nosql-access-protocol-encrypted",
    "binary",
    "binary-encrypted",
    "text",
    "text-encrypted",
    "ssh",
    "ssh-tunnel",
    "smtp",
    "smtp-encrypted",
    "pop3",
    "pop3-encrypted",
    "imap",
    "imap-encrypted",
    "ftp",
    "ftps",
    "sftp",
    "scp",
    "ldap",
    "ldaps",
    "jms",
    "nfs",
    "smb",
    "smb-encrypted",
    "local-file-access",
    "nrpe",
    "xmpp",
    "iiop",
    "iiop-encrypted",
    "jrmp",
    "jrmp-encrypted",
    "in-process-library-call",
    "inter-process-communication",
    "container-spawning",
];

fn s(text: &str) -> Yaml {
    Yaml::String(text.to_string())
}

fn opt(text: &str) -> Yaml {
    if text.trim().is_empty() {
        Yaml::Null
    } else {
        s(text)
    }
}

/// A date as Threagile reads it (`2006-01-02`), or null.
fn date(text: &str) -> Yaml {
    let t = text.trim();
    let ok =
        t.len() == 10 && t.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
    if ok {
        s(t)
    } else {
        Yaml::Null
    }
}

fn list<I: IntoIterator<Item = String>>(items: I) -> Yaml {
    Yaml::Array(items.into_iter().map(Yaml::String).collect())
}

fn map(pairs: Vec<(&str, Yaml)>) -> Yaml {
    let mut h = Hash::new();
    for (k, v) in pairs {
        h.insert(s(k), v);
    }
    Yaml::Hash(h)
}

/// Unique Threagile ids: the kept one when free, else a slug of the name.
#[derive(Default)]
struct Ids(HashSet<String>);

impl Ids {
    fn take(&mut self, kept: Option<&String>, name: &str) -> String {
        let slug: String = name
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
            .split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        // Threagile accepts ids of letters, digits and hyphens only.
        let valid = |k: &&String| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        let base = match kept.filter(valid) {
            Some(k) => k.clone(),
            None if slug.is_empty() => "asset".to_string(),
            None => slug,
        };
        let mut id = base.clone();
        let mut n = 1;
        while !self.0.insert(id.clone()) {
            n += 1;
            id = format!("{base}-{n}");
        }
        id
    }
}

/// A protocol of ours as a Threagile protocol.
fn protocol(p: Option<&Value>, encrypted: Option<&Value>) -> &'static str {
    let name = match p {
        Some(Value::Str(p)) => p.to_ascii_lowercase(),
        _ => String::new(),
    };
    if let Some(known) = PROTOCOLS.iter().find(|k| **k == name) {
        return known;
    }
    match (crate::graph::protocol_encrypted(&name), encrypted) {
        (Some(true), _) | (None, Some(Value::Bool(true))) => "binary-encrypted",
        (Some(false), _) | (None, Some(Value::Bool(false))) => "binary",
        _ => "unknown-protocol",
    }
}

/// The Threagile model YAML of a model; `analysis` gives the date.
pub fn analysis(model: &Model, analysis: &Analysis) -> String {
    let mut ex =
        Exporter { model, ids: Ids::default(), tags: BTreeSet::new(), assets: HashMap::new(), risks: Vec::new() };
    let data_assets = ex.data_assets();
    let elements = ex.element_ids();
    let technical_assets = ex.technical_assets(&elements);
    let trust_boundaries = ex.trust_boundaries(&elements);
    let (description, shared_runtimes) = ex.shared_runtimes(&elements);
    let risk_tracking = ex.risk_tracking();
    let mut doc = Hash::new();
    let mut put = |k: &str, v: Yaml| {
        doc.insert(s(k), v);
    };
    put("threagile_version", s(THREAGILE_VERSION));
    put("title", s(if model.name.trim().is_empty() { "Threatwright model" } else { &model.name }));
    if let Yaml::String(d) = date(&analysis.as_of) {
        put("date", Yaml::String(d));
    }
    let author = if model.author.trim().is_empty() { "Threatwright" } else { model.author.as_str() };
    put("author", map(vec![("name", s(author))]));
    put(
        "management_summary_comment",
        s(&format!("Exported by Threatwright {} (analysis as of {})", crate::version(), analysis.as_of)),
    );
    put("business_criticality", s("important"));
    put("application_description", map(vec![("description", opt(&description))]));
    put("tags_available", list(ex.tags.iter().cloned()));
    put("data_assets", data_assets);
    put("technical_assets", technical_assets);
    put("trust_boundaries", trust_boundaries);
    put("shared_runtimes", shared_runtimes);
    put("risk_tracking", risk_tracking);
    let mut out = String::new();
    YamlEmitter::new(&mut out).dump(&Yaml::Hash(doc)).expect("writing YAML to a String cannot fail");
    out.push('\n');
    out
}

struct Exporter<'m> {
    model: &'m Model,
    ids: Ids,
    tags: BTreeSet<String>,
    /// Asset id → Threagile id.
    assets: HashMap<uuid::Uuid, String>,
    /// Threagile-kept risks: (risk id, threat).
    risks: Vec<(String, KeptThreat)>,
}

impl Exporter<'_> {
    fn data_assets(&mut self) -> Yaml {
        let mut out = Hash::new();
        for a in &self.model.assets {
            let (text, meta) = split_meta(&a.description);
            let id = self.ids.take(meta.get("id"), &a.name);
            self.assets.insert(a.id.0, id.clone());
            let m = |k: &str, d: &str| meta.get(k).cloned().unwrap_or_else(|| d.to_string());
            // The kept rating when it still says the same classification.
            let kept = meta.get("confidentiality").filter(|c| {
                crate::import::threagile::CLASSIFICATION.iter().any(|(t, cl)| t == c && *cl == a.classification)
            });
            let conf = kept.cloned().unwrap_or_else(|| confidentiality(a.classification).to_string());
            self.tags.extend(a.tags.iter().cloned());
            out.insert(
                s(&a.name),
                map(vec![
                    ("id", s(&id)),
                    ("description", opt(&text)),
                    ("usage", s(&m("usage", "business"))),
                    ("tags", list(a.tags.iter().cloned())),
                    ("origin", Yaml::Null),
                    ("owner", Yaml::Null),
                    ("quantity", s(&m("quantity", "many"))),
                    ("confidentiality", s(&conf)),
                    ("integrity", s(&m("integrity", "operational"))),
                    ("availability", s(&m("availability", "operational"))),
                    ("justification_cia_rating", Yaml::Null),
                ]),
            );
        }
        Yaml::Hash(out)
    }

    /// Each element's Threagile id, with its description split into text,
    /// owner, kept pairs and notes.
    fn element_ids(&mut self) -> Vec<Parts> {
        let mut out = Vec::new();
        for e in &self.model.elements {
            let (rest, notes) = notes::split(&e.description);
            let (rest, meta) = split_meta(&rest);
            let (rest, owner) = peel(&rest, OWNER);
            let (text, kept) = peel(&rest, OUT_OF_SCOPE);
            let reason = |r: String| r.strip_prefix(": ").unwrap_or(r.strip_prefix('.').unwrap_or(&r)).to_string();
            // Out of scope in Threagile, or in Threat Dragon (the notes).
            let out_of_scope = kept.map(reason).or_else(|| notes.out_of_scope.clone());
            let id = self.ids.take(meta.get("id"), &e.name);
            out.push(Parts { id, text, owner: owner.unwrap_or_default(), out_of_scope, meta, notes });
        }
        out
    }

    fn technical_assets(&mut self, parts: &[Parts]) -> Yaml {
        let mut out = Hash::new();
        for (e, p) in self.model.elements.iter().zip(parts) {
            let asset = self.technical_asset(e, p, parts);
            out.insert(s(&e.name), asset);
        }
        Yaml::Hash(out)
    }

    fn technical_asset(&mut self, e: &Element, p: &Parts, parts: &[Parts]) -> Yaml {
        let cat = e.category();
        let human = [category::USER, category::BROWSER, category::ADMIN].contains(&cat);
        let reimported = |ty: &str, techs: &[&str]| {
            let fallback = match ty {
                "external-entity" if human => category::USER,
                "external-entity" => category::SERVICE,
                "datastore" => category::TABLE,
                _ => category::FUNCTION,
            };
            techs.iter().find_map(|t| technology_category(ty, t)).unwrap_or(fallback)
        };
        let (ty, tech) = export_technology(cat);
        let kept_ty = p.meta.get("type").map(String::as_str).unwrap_or("");
        let kept_techs: Vec<&str> =
            p.meta.get("technologies").map(|t| t.split(',').filter(|t| !t.is_empty()).collect()).unwrap_or_default();
        let (ty, techs) = if !kept_techs.is_empty() && reimported(kept_ty, &kept_techs) == cat {
            (kept_ty, kept_techs)
        } else {
            (ty, vec![tech])
        };
        let mut tags = Vec::new();
        if e.vendor_type != format!("generic.{}", reimported(ty, &techs)) && category_of(&e.vendor_type).is_some() {
            tags.push(e.vendor_type.replacen('.', ":", 1));
        }
        self.tags.extend(tags.iter().cloned());
        let prop = |k: &str| e.properties.get(k);
        let untrusted_boundary = e.boundary.and_then(|b| self.model.boundary(b)).is_some_and(|b| b.kind.untrusted());
        let internet = match e.kind {
            ElementKind::External => match prop("trust") {
                Some(Value::Str(t)) => t == "untrusted" || untrusted_boundary,
                _ => untrusted_boundary || is_untrusted_by_default(cat),
            },
            _ if is_public_endpoint(cat) => prop("endpoint") != Some(&Value::Str("private".into())),
            _ => false,
        };
        let encrypted = matches!(prop("encrypted_at_rest").or(prop("encrypted")), Some(Value::Bool(true)));
        let encryption = match p.meta.get("encryption") {
            Some(k) if (k != "none") == encrypted => k.clone(),
            _ if encrypted => "transparent".into(),
            _ => "none".into(),
        };
        let machine = match e.kind {
            ElementKind::External => "physical",
            ElementKind::Store => "virtual",
            _ => "serverless",
        };
        let m = |k: &str, d: &str| p.meta.get(k).cloned().unwrap_or_else(|| d.to_string());
        let highest = e.assets.iter().filter_map(|a| self.model.asset(*a)).map(|a| a.classification).max();
        let conf = highest.map_or("internal", confidentiality);
        let asset_ids: Vec<String> = e.assets.iter().filter_map(|a| self.assets.get(&a.0).cloned()).collect();
        let stored = e.kind == ElementKind::Store;
        // Threagile's own kept risks go to `risk_tracking`; other tools' stay in the text.
        let mut others = Notes::default();
        for t in &p.notes.threats {
            if t.tool == TOOL {
                self.risks.push((t.id.clone(), t.clone()));
            } else {
                others.threats.push(t.clone());
            }
        }
        let description = notes::append(&p.text, &others);
        map(vec![
            ("id", s(&p.id)),
            ("description", opt(&description)),
            ("type", s(ty)),
            ("usage", s(&m("usage", "business"))),
            ("used_as_client_by_human", Yaml::Boolean(human)),
            ("out_of_scope", Yaml::Boolean(p.out_of_scope.is_some())),
            ("justification_out_of_scope", opt(p.out_of_scope.as_deref().unwrap_or(""))),
            ("size", s(&m("size", "component"))),
            ("technologies", list(techs.iter().map(|t| t.to_string()))),
            ("tags", list(tags)),
            ("internet", Yaml::Boolean(internet)),
            ("machine", s(&m("machine", machine))),
            ("encryption", s(&encryption)),
            ("owner", s(&p.owner)),
            ("confidentiality", s(conf)),
            ("integrity", s(&m("integrity", "operational"))),
            ("availability", s(&m("availability", "operational"))),
            ("justification_cia_rating", Yaml::Null),
            ("multi_tenant", Yaml::Boolean(prop("multi_tenant") == Some(&Value::Bool(true)))),
            ("redundant", Yaml::Boolean(false)),
            ("custom_developed_parts", Yaml::Boolean(e.kind == ElementKind::Function)),
            ("data_assets_processed", list(if stored { Vec::new() } else { asset_ids.clone() })),
            ("data_assets_stored", list(if stored { asset_ids } else { Vec::new() })),
            ("data_formats_accepted", list(Vec::new())),
            ("communication_links", self.links(e, parts)),
        ])
    }

    fn links(&self, e: &Element, parts: &[Parts]) -> Yaml {
        let index: HashMap<_, _> = self.model.elements.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
        let mut out = Hash::new();
        for f in self.model.flows.iter().filter(|f| f.from == e.id) {
            let Some(&to) = index.get(&f.to) else { continue };
            let base = if f.label.trim().is_empty() {
                format!("To {}", self.model.elements[to].name)
            } else {
                f.label.clone()
            };
            let mut key = base.clone();
            let mut n = 1;
            while out.contains_key(&s(&key)) {
                n += 1;
                key = format!("{base} ({n})");
            }
            let authenticated = f.properties.get("authenticated") == Some(&Value::Bool(true));
            out.insert(
                s(&key),
                map(vec![
                    ("target", s(&parts[to].id)),
                    ("description", Yaml::Null),
                    ("protocol", s(protocol(f.properties.get("protocol"), f.properties.get("encrypted")))),
                    ("authentication", s(if authenticated { "token" } else { "none" })),
                    ("authorization", s("none")),
                    ("tags", list(Vec::new())),
                    ("vpn", Yaml::Boolean(false)),
                    ("ip_filtered", Yaml::Boolean(false)),
                    ("readonly", Yaml::Boolean(false)),
                    ("usage", s("business")),
                    ("data_assets_sent", list(f.assets.iter().filter_map(|a| self.assets.get(&a.0).cloned()))),
                    ("data_assets_received", list(Vec::new())),
                ]),
            );
        }
        Yaml::Hash(out)
    }

    fn trust_boundaries(&mut self, parts: &[Parts]) -> Yaml {
        let mut out = Hash::new();
        let mut ids = HashMap::new();
        let mut texts = HashMap::new();
        for b in &self.model.boundaries {
            let (text, meta) = split_meta(&b.description);
            ids.insert(b.id, self.ids.take(meta.get("id"), &b.name));
            texts.insert(b.id, (text, meta));
        }
        for b in &self.model.boundaries {
            let (text, meta) = &texts[&b.id];
            let kept = meta.get("type").filter(|t| BOUNDARY_KINDS.iter().any(|(k, kind)| k == *t && *kind == b.kind));
            let ty = kept.map(String::as_str).unwrap_or(boundary_type(b.kind));
            let mut tags = Vec::new();
            if !BOUNDARY_KINDS.iter().any(|(k, kind)| *k == ty && *kind == b.kind) {
                tags.push(format!("{KIND_TAG}{}", b.kind.as_str()));
            }
            self.tags.extend(tags.iter().cloned());
            let inside = self.model.elements.iter().zip(parts).filter(|(e, _)| e.boundary == Some(b.id));
            let nested = self.model.boundaries.iter().filter(|c| c.parent == Some(b.id) && c.id != b.id);
            out.insert(
                s(&b.name),
                map(vec![
                    ("id", s(&ids[&b.id])),
                    ("description", opt(text)),
                    ("type", s(ty)),
                    ("tags", list(tags)),
                    ("technical_assets_inside", list(inside.map(|(_, p)| p.id.clone()))),
                    ("trust_boundaries_nested", list(nested.map(|c| ids[&c.id].clone()))),
                ]),
            );
        }
        Yaml::Hash(out)
    }

    /// Shared runtimes kept in the model description by an import, and the
    /// description without them (and without kept risks, which go to `risk_tracking`).
    fn shared_runtimes(&mut self, parts: &[Parts]) -> (String, Yaml) {
        let (text, kept) = notes::split(&self.model.description);
        for t in kept.threats.into_iter().filter(|t| t.tool == TOOL) {
            self.risks.push((t.id.clone(), t));
        }
        let mut out = Hash::new();
        let mut lines = Vec::new();
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("Threagile shared runtime `") else {
                lines.push(line);
                continue;
            };
            let parsed = rest.split_once("` (").and_then(|(name, r)| {
                let (id, r) = r.split_once(") runs: ")?;
                Some((name, id, r.strip_suffix('.').unwrap_or(r)))
            });
            let Some((name, id, running)) = parsed else {
                lines.push(line);
                continue;
            };
            let running: Vec<String> = running
                .split("; ")
                .filter_map(|n| self.model.elements.iter().position(|e| e.name == n).map(|i| parts[i].id.clone()))
                .collect();
            let id = self.ids.take(Some(&id.to_string()), name);
            out.insert(
                s(name),
                map(vec![
                    ("id", s(&id)),
                    ("description", Yaml::Null),
                    ("tags", list(Vec::new())),
                    ("technical_assets_running", list(running)),
                ]),
            );
        }
        (lines.join("\n").trim().to_string(), Yaml::Hash(out))
    }

    fn risk_tracking(&self) -> Yaml {
        let mut out = Hash::new();
        for d in &self.model.triage {
            let mut justification = d.note.trim().to_string();
            justification = format!("{justification}\n\n{RULE_MARKER}{}\n{TARGET_MARKER}{}", d.rule, d.target);
            if d.status == TriageStatus::Transferred {
                justification.push_str(&format!("\n{STATUS_MARKER}{}", d.status.as_str()));
            }
            out.insert(
                s(&d.threat.to_string()),
                map(vec![
                    ("status", s(status_name(d.status))),
                    ("justification", s(justification.trim())),
                    ("ticket", Yaml::Null),
                    ("date", date(&d.date)),
                    ("checked_by", opt(&d.owner)),
                ]),
            );
        }
        for (id, t) in &self.risks {
            if id.is_empty() {
                continue;
            }
            let (text, tracked) = split_tracked(&t.description);
            let justification = if t.mitigation.is_empty() { text } else { t.mitigation.clone() };
            let get = |k: &str| tracked.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str()).unwrap_or("");
            out.insert(
                s(id),
                map(vec![
                    ("status", s(status_name(t.status.unwrap_or(TriageStatus::Open)))),
                    ("justification", opt(&justification)),
                    ("ticket", opt(get("ticket"))),
                    ("date", date(get("on"))),
                    ("checked_by", opt(get("checked by"))),
                ]),
            );
        }
        Yaml::Hash(out)
    }
}

/// The parts of an element description the export uses.
struct Parts {
    id: String,
    text: String,
    owner: String,
    out_of_scope: Option<String>,
    meta: HashMap<String, String>,
    notes: Notes,
}

/// Splits the `Tracked in Threagile: …` line off a kept risk's description.
fn split_tracked(description: &str) -> (String, Vec<(String, String)>) {
    let mut text = Vec::new();
    let mut fields = Vec::new();
    for line in description.lines() {
        match line.strip_prefix("Tracked in Threagile: ") {
            Some(rest) => {
                for part in rest.strip_suffix('.').unwrap_or(rest).split(", ") {
                    for key in ["ticket", "checked by", "on"] {
                        if let Some(v) = part.strip_prefix(&format!("{key} ")) {
                            fields.push((key.to_string(), v.to_string()));
                            break;
                        }
                    }
                }
            }
            None => text.push(line),
        }
    }
    (text.join("\n").trim().to_string(), fields)
}
