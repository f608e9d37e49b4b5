//! Writes a [`Model`] as YAML: fixed key order, properties in schema order,
//! references by name where the name is unique, ids always written out.
//!
//! Deterministic: the same model always gives the same bytes, so git diffs
//! of a model show only what changed. Must not: reorder the user's lists.

use super::FORMAT_VERSION;
use crate::model::property::schema_rank;
use crate::model::*;
use std::collections::HashMap;
use yaml_rust2::yaml::{Hash, Yaml};
use yaml_rust2::YamlEmitter;

fn s(text: &str) -> Yaml {
    Yaml::String(text.to_string())
}

fn put(map: &mut Hash, key: &str, value: Yaml) {
    map.insert(s(key), value);
}

fn put_text(map: &mut Hash, key: &str, text: &str) {
    if !text.is_empty() {
        put(map, key, s(text));
    }
}

fn list(items: impl IntoIterator<Item = String>) -> Yaml {
    Yaml::Array(items.into_iter().map(Yaml::String).collect())
}

fn value(v: &Value) -> Yaml {
    match v {
        Value::Bool(b) => Yaml::Boolean(*b),
        Value::Int(i) => Yaml::Integer(*i),
        Value::Str(t) => s(t),
        Value::List(items) => list(items.iter().cloned()),
    }
}

fn properties(map: &mut Hash, props: &Properties) {
    let mut keys: Vec<&String> = props.keys().collect();
    keys.sort_by(|a, b| schema_rank(a).cmp(&schema_rank(b)).then(a.cmp(b)));
    for k in keys {
        put(map, k, value(&props[k]));
    }
}

/// Name if unique in its collection, else the id: what references print as.
struct RefNames(HashMap<uuid::Uuid, String>);

impl RefNames {
    fn new<'a>(items: impl Iterator<Item = (uuid::Uuid, &'a str)> + Clone) -> Self {
        let mut count: HashMap<&str, usize> = HashMap::new();
        for (_, name) in items.clone() {
            *count.entry(name).or_default() += 1;
        }
        RefNames(
            items
                .map(|(id, name)| {
                    let unique = count[name] == 1 && !looks_like_uuid(name) && name != "*";
                    (id, if unique { name.to_string() } else { id.to_string() })
                })
                .collect(),
        )
    }
    fn get(&self, id: uuid::Uuid) -> String {
        self.0.get(&id).cloned().unwrap_or_else(|| id.to_string())
    }
}

/// The `risk:` section: only what differs from the defaults.
fn risk_tree(r: &crate::model::RiskSettings) -> Yaml {
    let mut m = Hash::new();
    let d = crate::model::RiskSettings::default();
    if r.bands != d.bands {
        let mut b = Hash::new();
        put(&mut b, "medium", Yaml::Integer(r.bands.medium.into()));
        put(&mut b, "high", Yaml::Integer(r.bands.high.into()));
        put(&mut b, "critical", Yaml::Integer(r.bands.critical.into()));
        put(&mut m, "bands", Yaml::Hash(b));
    }
    if r.weights != d.weights {
        let w = r.weights;
        let mut b = Hash::new();
        for (k, v) in [
            ("internet_facing", w.internet_facing),
            ("attack_paths_threshold", w.attack_paths_threshold),
            ("attack_paths", w.attack_paths),
            ("restricted_data", w.restricted_data),
            ("regulated_data", w.regulated_data),
            ("blast_radius", w.blast_radius),
            ("unknown", w.unknown),
            ("mitigation", w.mitigation),
            ("mitigation_max", w.mitigation_max),
        ] {
            put(&mut b, k, Yaml::Integer(v.into()));
        }
        put(&mut m, "weights", Yaml::Hash(b));
    }
    if let Some(matrix) = &r.matrix {
        let rows = matrix.iter().map(|row| Yaml::Array(row.iter().map(|v| Yaml::Integer((*v).into())).collect()));
        put(&mut m, "matrix", Yaml::Array(rows.collect()));
    }
    Yaml::Hash(m)
}

/// A grant's resource: an element's reference, `*`, or a resource outside the model.
fn grant_target(model: &Model, elements: &RefNames, target: &GrantTarget) -> Yaml {
    match target {
        GrantTarget::Element(e) => s(&elements.get(e.0)),
        GrantTarget::Any => s("*"),
        // Written plainly only when the reader will take it back as
        // outside the model: ARN-like and not an element's name or id.
        GrantTarget::Unmodelled(t)
            if t != "*"
                && (t.contains(':') || t.contains('/') || t.contains('*'))
                && !model.elements.iter().any(|e| e.name == *t || e.id.to_string() == t.to_ascii_lowercase()) =>
        {
            s(t)
        }
        GrantTarget::Unmodelled(t) => {
            let mut o = Hash::new();
            put(&mut o, "outside", s(t));
            Yaml::Hash(o)
        }
    }
}

fn looks_like_uuid(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok()
}

/// Builds the YAML document tree of a model.
pub fn to_yaml_tree(model: &Model) -> Yaml {
    let elements = RefNames::new(model.elements.iter().map(|e| (e.id.0, e.name.as_str())));
    let boundaries = RefNames::new(model.boundaries.iter().map(|b| (b.id.0, b.name.as_str())));
    let assets = RefNames::new(model.assets.iter().map(|a| (a.id.0, a.name.as_str())));
    let asset_list = |ids: &[AssetId]| list(ids.iter().map(|a| assets.get(a.0)));

    let mut root = Hash::new();
    // A string: `2.1` unquoted would be a YAML float, and `2.10` would read as 2.1.
    put(&mut root, "threatwright", s(&FORMAT_VERSION.to_string()));
    put(&mut root, "name", s(&model.name));
    put_text(&mut root, "description", &model.description);
    put_text(&mut root, "version", &model.version);
    put_text(&mut root, "author", &model.author);
    put_text(&mut root, "scope", &model.scope);

    if !model.assets.is_empty() {
        let items = model.assets.iter().map(|a| {
            let mut m = Hash::new();
            put(&mut m, "name", s(&a.name));
            put(&mut m, "id", s(&a.id.to_string()));
            put(&mut m, "classification", s(a.classification.as_str()));
            if !a.tags.is_empty() {
                put(&mut m, "tags", list(a.tags.iter().cloned()));
            }
            put_text(&mut m, "description", &a.description);
            Yaml::Hash(m)
        });
        put(&mut root, "assets", Yaml::Array(items.collect()));
    }

    if !model.boundaries.is_empty() {
        let items = model.boundaries.iter().map(|b| {
            let mut m = Hash::new();
            put(&mut m, "name", s(&b.name));
            put(&mut m, "id", s(&b.id.to_string()));
            put(&mut m, "kind", s(b.kind.as_str()));
            if let Some(p) = b.parent {
                put(&mut m, "parent", s(&boundaries.get(p.0)));
            }
            put_text(&mut m, "description", &b.description);
            if let Some(p) = b.position {
                put(&mut m, "position", position(p));
            }
            if let Some(sz) = b.size {
                let mut sm = Hash::new();
                put(&mut sm, "width", Yaml::Integer(sz.width));
                put(&mut sm, "height", Yaml::Integer(sz.height));
                put(&mut m, "size", Yaml::Hash(sm));
            }
            Yaml::Hash(m)
        });
        put(&mut root, "boundaries", Yaml::Array(items.collect()));
    }

    let items = model.elements.iter().map(|e| {
        let mut m = Hash::new();
        put(&mut m, "name", s(&e.name));
        put(&mut m, "id", s(&e.id.to_string()));
        put(&mut m, "kind", s(e.kind.as_str()));
        put(&mut m, "type", s(&e.vendor_type));
        if let Some(b) = e.boundary {
            put(&mut m, "boundary", s(&boundaries.get(b.0)));
        }
        put_text(&mut m, "description", &e.description);
        if !e.assets.is_empty() {
            put(&mut m, "data", asset_list(&e.assets));
        }
        if !e.properties.is_empty() {
            let mut pm = Hash::new();
            properties(&mut pm, &e.properties);
            put(&mut m, "properties", Yaml::Hash(pm));
        }
        if !e.mitigations.is_empty() {
            put(&mut m, "mitigations", list(e.mitigations.iter().cloned()));
        }
        if let Some(p) = e.position {
            put(&mut m, "position", position(p));
        }
        Yaml::Hash(m)
    });
    put(&mut root, "elements", Yaml::Array(items.collect()));

    if !model.flows.is_empty() {
        let items = model.flows.iter().map(|f| {
            let mut m = Hash::new();
            put(&mut m, "from", s(&elements.get(f.from.0)));
            put(&mut m, "to", s(&elements.get(f.to.0)));
            put(&mut m, "id", s(&f.id.to_string()));
            put_text(&mut m, "label", &f.label);
            properties(&mut m, &f.properties);
            if !f.assets.is_empty() {
                put(&mut m, "data", asset_list(&f.assets));
            }
            Yaml::Hash(m)
        });
        put(&mut root, "flows", Yaml::Array(items.collect()));
    }

    if !model.grants.is_empty() {
        let items = model.grants.iter().map(|g| {
            let mut m = Hash::new();
            put(&mut m, "principal", s(&elements.get(g.principal.0)));
            put(&mut m, "resource", grant_target(model, &elements, &g.target));
            put(&mut m, "actions", list(g.actions.iter().cloned()));
            put(&mut m, "id", s(&g.id.to_string()));
            Yaml::Hash(m)
        });
        put(&mut root, "grants", Yaml::Array(items.collect()));
    }
    if model.risk != crate::model::RiskSettings::default() {
        put(&mut root, "risk", risk_tree(&model.risk));
    }
    if !model.triage.is_empty() {
        let items = model.triage.iter().map(|t| {
            let mut m = Hash::new();
            put(&mut m, "threat", s(&t.threat.to_string()));
            put_text(&mut m, "rule", &t.rule);
            put_text(&mut m, "target", &t.target);
            put(&mut m, "status", s(t.status.as_str()));
            put_text(&mut m, "note", &t.note);
            put_text(&mut m, "owner", &t.owner);
            put_text(&mut m, "date", &t.date);
            Yaml::Hash(m)
        });
        put(&mut root, "triage", Yaml::Array(items.collect()));
    }
    if !model.session.is_empty() {
        let items = model.session.iter().map(|e| {
            let mut m = Hash::new();
            put_text(&mut m, "at", &e.at);
            put_text(&mut m, "who", &e.who);
            put_text(&mut m, "subject", &e.subject);
            put(&mut m, "property", s(&e.property));
            put_text(&mut m, "question", &e.question);
            put(&mut m, "answer", s(&e.answer));
            put_text(&mut m, "note", &e.note);
            if !e.resolved.is_empty() {
                put(&mut m, "resolved", list(e.resolved.iter().cloned()));
            }
            if !e.raised.is_empty() {
                put(&mut m, "raised", list(e.raised.iter().cloned()));
            }
            Yaml::Hash(m)
        });
        put(&mut root, "session", Yaml::Array(items.collect()));
    }
    Yaml::Hash(root)
}

fn position(p: Position) -> Yaml {
    let mut m = Hash::new();
    put(&mut m, "x", Yaml::Integer(p.x));
    put(&mut m, "y", Yaml::Integer(p.y));
    Yaml::Hash(m)
}

/// Serialises a model to the YAML format.
pub fn write(model: &Model) -> String {
    let mut out = String::new();
    {
        let mut emitter = YamlEmitter::new(&mut out);
        emitter.multiline_strings(true);
        emitter.dump(&to_yaml_tree(model)).expect("writing YAML to a String cannot fail");
    }
    let body = out.strip_prefix("---\n").unwrap_or(&out);
    format!("# Threatwright model. Edit freely; `threatwright fmt` keeps it tidy.\n{body}\n")
}
