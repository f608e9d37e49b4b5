//! Model validation: reports every problem at once, each naming its subject
//! (and field) so the file format can map it to a line and column.
//!
//! Must not: stop at the first problem, or reject a model for things the
//! threat engine merely dislikes (insecure is valid; inconsistent is not).

use super::kind::{self, category_kind};
use super::property::{element_property, flow_property, lookup};
use super::{Model, Properties};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// What a problem is about.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum Subject {
    Model,
    Element(Uuid),
    Boundary(Uuid),
    Flow(Uuid),
    Grant(Uuid),
    Asset(Uuid),
}

/// One validation problem.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub subject: Subject,
    /// Field within the subject (`to`, `properties.timeout`), if any.
    pub field: Option<String>,
    pub message: String,
}

fn problem(subject: Subject, field: Option<&str>, message: String) -> Problem {
    Problem { subject, field: field.map(str::to_string), message }
}

/// Validates a model and returns every problem found (empty when valid).
pub fn validate(model: &Model) -> Vec<Problem> {
    let mut out = Vec::new();
    check_unique_ids(model, &mut out);
    check_unique_names(model, &mut out);

    let by_id: HashMap<Uuid, &super::Element> = model.elements.iter().map(|e| (e.id.0, e)).collect();
    let elements: HashSet<Uuid> = by_id.keys().copied().collect();
    let boundaries: HashSet<Uuid> = model.boundaries.iter().map(|b| b.id.0).collect();
    let assets: HashSet<Uuid> = model.assets.iter().map(|a| a.id.0).collect();

    for b in &model.boundaries {
        let s = Subject::Boundary(b.id.0);
        if b.name.trim().is_empty() {
            out.push(problem(s, Some("name"), "boundary name is empty".into()));
        }
        if let Some(sz) = b.size {
            if sz.width < 0 || sz.height < 0 {
                out.push(problem(
                    s,
                    Some("size"),
                    format!("boundary size must not be negative, found {} × {}", sz.width, sz.height),
                ));
            }
        }
        if let Some(p) = b.parent {
            if !boundaries.contains(&p.0) {
                out.push(problem(s, Some("parent"), format!("parent boundary {p} does not exist")));
            }
        }
    }
    check_boundary_cycles(model, &mut out);

    for e in &model.elements {
        let s = Subject::Element(e.id.0);
        if e.name.trim().is_empty() {
            out.push(problem(s, Some("name"), "element name is empty".into()));
        }
        match kind::category_of(&e.vendor_type) {
            None => out.push(problem(
                s,
                Some("type"),
                format!(
                    "unknown vendor type `{}`; expected a type such as aws.lambda, or generic.{}",
                    e.vendor_type,
                    e.kind.default_category()
                ),
            )),
            Some(cat) => {
                let k = category_kind(cat).expect("catalog categories are valid");
                if k != e.kind {
                    out.push(problem(
                        s,
                        Some("type"),
                        format!("type `{}` is a {k}, but the element is declared as a {}", e.vendor_type, e.kind),
                    ));
                }
            }
        }
        if let Some(b) = e.boundary {
            if !boundaries.contains(&b.0) {
                out.push(problem(s, Some("boundary"), format!("boundary {b} does not exist")));
            }
        }
        for a in &e.assets {
            if !assets.contains(&a.0) {
                out.push(problem(s, Some("data"), format!("data asset {a} does not exist")));
            }
        }
        let cat = e.category();
        check_properties(
            &e.properties,
            s,
            |name| {
                element_property(name, e.kind, cat).ok_or_else(|| {
                    if lookup(name).next().is_some() {
                        format!("property `{name}` does not apply to a {} of type {}", e.kind, e.vendor_type)
                    } else {
                        format!("unknown property `{name}` for a {}", e.kind)
                    }
                })
            },
            &mut out,
        );
    }

    for f in &model.flows {
        let s = Subject::Flow(f.id.0);
        if !elements.contains(&f.from.0) {
            out.push(problem(s, Some("from"), format!("flow starts at element {} which does not exist", f.from)));
        }
        if !elements.contains(&f.to.0) {
            out.push(problem(s, Some("to"), format!("flow ends at element {} which does not exist", f.to)));
        }
        for a in &f.assets {
            if !assets.contains(&a.0) {
                out.push(problem(s, Some("data"), format!("data asset {a} does not exist")));
            }
        }
        check_properties(
            &f.properties,
            s,
            |name| flow_property(name).ok_or_else(|| format!("unknown flow property `{name}`")),
            &mut out,
        );
    }

    for g in &model.grants {
        let s = Subject::Grant(g.id.0);
        match by_id.get(&g.principal.0) {
            None => out.push(problem(s, Some("principal"), format!("principal {} does not exist", g.principal))),
            Some(p) if p.kind != super::ElementKind::Function => out.push(problem(
                s,
                Some("principal"),
                format!("principal `{}` is a {}, but only functions hold permissions", p.name, p.kind),
            )),
            Some(_) => {}
        }
        if let super::GrantTarget::Element(t) = g.target {
            if !elements.contains(&t.0) {
                out.push(problem(s, Some("resource"), format!("resource {t} does not exist")));
            }
        }
        if g.actions.is_empty() {
            out.push(problem(s, Some("actions"), "a grant needs at least one action".into()));
        }
    }

    for a in &model.assets {
        if a.name.trim().is_empty() {
            out.push(problem(Subject::Asset(a.id.0), Some("name"), "data asset name is empty".into()));
        }
    }
    out
}

fn check_properties(
    props: &Properties,
    subject: Subject,
    def_of: impl Fn(&str) -> Result<&'static super::PropertyDef, String>,
    out: &mut Vec<Problem>,
) {
    for (name, value) in props {
        let field = format!("properties.{name}");
        match def_of(name) {
            Err(msg) => out.push(problem(subject, Some(&field), msg)),
            Ok(def) => {
                if let Err(msg) = def.ty.check(value) {
                    out.push(problem(subject, Some(&field), format!("property `{name}`: {msg}")));
                }
            }
        }
    }
}

fn check_unique_ids(model: &Model, out: &mut Vec<Problem>) {
    let mut seen: HashMap<Uuid, &'static str> = HashMap::new();
    let mut check = |id: Uuid, what: &'static str, subject: Subject, out: &mut Vec<Problem>| {
        if let Some(prev) = seen.insert(id, what) {
            out.push(problem(subject, Some("id"), format!("duplicate id {id} (also used by {prev})")));
        }
    };
    for a in &model.assets {
        check(a.id.0, "a data asset", Subject::Asset(a.id.0), out);
    }
    for b in &model.boundaries {
        check(b.id.0, "a boundary", Subject::Boundary(b.id.0), out);
    }
    for e in &model.elements {
        check(e.id.0, "an element", Subject::Element(e.id.0), out);
    }
    for f in &model.flows {
        check(f.id.0, "a flow", Subject::Flow(f.id.0), out);
    }
    for g in &model.grants {
        check(g.id.0, "a grant", Subject::Grant(g.id.0), out);
    }
}

fn check_unique_names(model: &Model, out: &mut Vec<Problem>) {
    fn dupes<'a>(items: impl Iterator<Item = (&'a str, Subject)>, what: &str, out: &mut Vec<Problem>) {
        let mut seen = HashSet::new();
        for (name, s) in items {
            if !name.trim().is_empty() && !seen.insert(name) {
                out.push(problem(s, Some("name"), format!("duplicate {what} name `{name}`: names must be unique")));
            }
        }
    }
    dupes(model.elements.iter().map(|e| (e.name.as_str(), Subject::Element(e.id.0))), "element", out);
    dupes(model.boundaries.iter().map(|b| (b.name.as_str(), Subject::Boundary(b.id.0))), "boundary", out);
    dupes(model.assets.iter().map(|a| (a.name.as_str(), Subject::Asset(a.id.0))), "data asset", out);
}

fn check_boundary_cycles(model: &Model, out: &mut Vec<Problem>) {
    let parent: HashMap<Uuid, Uuid> = model.boundaries.iter().filter_map(|b| b.parent.map(|p| (b.id.0, p.0))).collect();
    for b in &model.boundaries {
        let mut cur = b.id.0;
        let mut steps = 0;
        while let Some(&p) = parent.get(&cur) {
            steps += 1;
            if p == b.id.0 {
                out.push(problem(
                    Subject::Boundary(b.id.0),
                    Some("parent"),
                    format!("boundary `{}` is nested inside itself (cycle of {steps})", b.name),
                ));
                break;
            }
            if steps > model.boundaries.len() {
                break; // a cycle further up; reported for its own members
            }
            cur = p;
        }
    }
}
