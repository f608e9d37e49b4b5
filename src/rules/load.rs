//! The strict rule-file loader. Unknown keys, unknown facts, properties,
//! categories or practices, operators of the wrong type, bad scores and
//! duplicate ids are load errors with file, line and column.

use super::*;
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::{fact_by_name, FactScope};
use crate::model::kind::{category_kind, CATEGORIES, VENDORS};
use crate::model::property::{PropType, Scope as PropScope};
use crate::yaml::{self, Node, NodeValue};
use std::collections::HashMap;
use std::path::Path;

/// The built-in catalog files, embedded at build time. A test checks that
/// this list matches the files in `models/rules/`.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("models/rules/api.yaml", include_str!("../../models/rules/api.yaml")),
    ("models/rules/function.yaml", include_str!("../../models/rules/function.yaml")),
    ("models/rules/privilege.yaml", include_str!("../../models/rules/privilege.yaml")),
    ("models/rules/messaging.yaml", include_str!("../../models/rules/messaging.yaml")),
    ("models/rules/store.yaml", include_str!("../../models/rules/store.yaml")),
    ("models/rules/flow.yaml", include_str!("../../models/rules/flow.yaml")),
    ("models/rules/external.yaml", include_str!("../../models/rules/external.yaml")),
    ("models/rules/generic.yaml", include_str!("../../models/rules/generic.yaml")),
];

/// A loaded catalog.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub rules: Vec<Rule>,
}

impl Catalog {
    /// Adds rules, rejecting ids already present (located at the newcomer).
    pub fn extend(&mut self, rules: Vec<Rule>) -> Result<(), Diagnostics> {
        let mut diags = Vec::new();
        for r in rules {
            if let Some(prev) = self.rules.iter().find(|p| p.id == r.id) {
                diags.push(Diagnostic::new(
                    &r.file,
                    r.line,
                    1,
                    format!("duplicate rule id `{}` (already defined at {}:{})", r.id, prev.file, prev.line),
                ));
            } else {
                self.rules.push(r);
            }
        }
        if diags.is_empty() {
            Ok(())
        } else {
            Err(Diagnostics(diags))
        }
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// The embedded catalog. Fails only if a built-in file is broken, which the
/// test suite prevents.
pub fn builtin_catalog() -> Result<Catalog, Diagnostics> {
    let mut catalog = Catalog::default();
    for (file, text) in BUILTIN_FILES {
        catalog.extend(parse_rule_file(text, file)?)?;
    }
    Ok(catalog)
}

/// Loads every `*.yaml`/`*.yml` file of a folder (sorted by name).
pub fn load_catalog_dir(dir: &Path) -> Result<Vec<Rule>, Diagnostics> {
    let label = dir.display().to_string();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Diagnostics::one(Diagnostic::new(&label, 0, 0, format!("cannot read rule folder: {e}"))))?;
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    let mut rules = Vec::new();
    let mut diags = Vec::new();
    for f in files {
        let text = crate::store::read_text(&f)?;
        match parse_rule_file(&text, &f.display().to_string()) {
            Ok(r) => rules.extend(r),
            Err(d) => diags.extend(d.0),
        }
    }
    if diags.is_empty() {
        Ok(rules)
    } else {
        Err(Diagnostics(diags))
    }
}

struct P<'a> {
    file: &'a str,
    diags: Vec<Diagnostic>,
}

impl P<'_> {
    fn err(&mut self, node: &Node, msg: impl Into<String>) {
        self.diags.push(Diagnostic::new(self.file, node.mark.line, node.mark.col, msg));
    }

    fn keys(&mut self, node: &Node, what: &str, allowed: &[&str]) {
        if let Some(entries) = node.as_map() {
            for (k, _) in entries {
                let key = k.as_scalar().unwrap_or("");
                if !allowed.contains(&key) {
                    self.err(k, format!("unknown key `{key}` in {what}; expected one of: {}", allowed.join(", ")));
                }
            }
        }
    }

    fn string(&mut self, node: Option<&Node>, parent: &Node, what: &str, required: bool) -> Option<String> {
        match node {
            None if required => {
                self.err(parent, format!("missing `{what}`"));
                None
            }
            None => None,
            Some(n) => match &n.value {
                NodeValue::Scalar { text, .. } if !n.is_null() => Some(text.clone()),
                _ => {
                    self.err(n, format!("`{what}`: expected a string, found {}", n.describe()));
                    None
                }
            },
        }
    }

    fn strings(&mut self, node: Option<&Node>, what: &str) -> Vec<(String, Node)> {
        let Some(n) = node else { return Vec::new() };
        match &n.value {
            NodeValue::Scalar { text, .. } => vec![(text.clone(), n.clone())],
            NodeValue::Seq(items) => items
                .iter()
                .filter_map(|i| match i.as_scalar() {
                    Some(s) => Some((s.to_string(), i.clone())),
                    None => {
                        self.err(i, format!("`{what}`: expected a string, found {}", i.describe()));
                        None
                    }
                })
                .collect(),
            NodeValue::Map(_) => {
                self.err(n, format!("`{what}`: expected a string or a list of strings, found a mapping"));
                Vec::new()
            }
        }
    }

    fn score(&mut self, node: Option<&Node>, parent: &Node, what: &str) -> u8 {
        match node.map(|n| (n, n.as_i64())) {
            Some((_, Some(v))) if (1..=5).contains(&v) => v as u8,
            Some((n, _)) => {
                self.err(n, format!("`{what}`: expected an integer from 1 to 5"));
                1
            }
            None => {
                self.err(parent, format!("missing `{what}` (1 to 5)"));
                1
            }
        }
    }
}

/// Where a condition is evaluated.
#[derive(Clone, Debug)]
enum CondScope {
    Element { kinds: Vec<ElementKind>, categories: Vec<String> },
    Flow,
}

/// Parses one rule file (`rules:` list).
pub fn parse_rule_file(text: &str, file: &str) -> Result<Vec<Rule>, Diagnostics> {
    let root = yaml::load(text, yaml::Limits::default())
        .map_err(|e| Diagnostics::one(Diagnostic::new(file, e.mark.line, e.mark.col, e.message)))?;
    let mut p = P { file, diags: Vec::new() };
    let mut rules = Vec::new();
    p.keys(&root, "a rule file", &["rules"]);
    let items = match root.get("rules").and_then(|r| r.as_seq()) {
        Some(items) => items.to_vec(),
        None => {
            p.err(&root, "a rule file needs a `rules:` list");
            Vec::new()
        }
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for node in &items {
        // Duplicates are reported even when either copy is otherwise broken.
        if let Some(id) = node.get("id").and_then(|n| n.as_scalar()) {
            if let Some(line) = seen.insert(id.to_string(), node.mark.line) {
                p.err(node, format!("duplicate rule id `{id}` (first defined on line {line})"));
                continue;
            }
        }
        if let Some(rule) = parse_rule(&mut p, node) {
            rules.push(rule);
        }
    }
    if p.diags.is_empty() {
        Ok(rules)
    } else {
        p.diags.sort();
        Err(Diagnostics(p.diags))
    }
}

const RULE_KEYS: &[&str] = &[
    "id",
    "title",
    "category",
    "description",
    "applies_to",
    "when",
    "likelihood",
    "impact",
    "mitigations",
    "references",
    "compliance",
    "generic",
    "examples",
];

fn parse_rule(p: &mut P, node: &Node) -> Option<Rule> {
    if node.as_map().is_none() {
        p.err(node, format!("a rule must be a mapping, found {}", node.describe()));
        return None;
    }
    p.keys(node, "a rule", RULE_KEYS);
    let before = p.diags.len();
    let id = p.string(node.get("id"), node, "id", true).unwrap_or_default();
    if !id.is_empty() && !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.') {
        p.err(node.get("id").unwrap_or(node), format!("rule id `{id}` may only use letters, digits, `-`, `_` and `.`"));
    }
    let title = p.string(node.get("title"), node, "title", true).unwrap_or_default();
    let description = p.string(node.get("description"), node, "description", true).unwrap_or_default();
    let category = match p.string(node.get("category"), node, "category", true) {
        Some(c) => Stride::parse(&c).or_else(|| {
            p.err(node.get("category").unwrap_or(node), format!(
                "unknown STRIDE category `{c}`; expected Spoofing, Tampering, Repudiation, Information Disclosure, Denial of Service or Elevation of Privilege"
            ));
            None
        }),
        None => None,
    };
    let applies_to = parse_applies(p, node.get("applies_to"), node);
    let scope = if applies_to.flows {
        CondScope::Flow
    } else {
        CondScope::Element { kinds: applies_to.kinds.clone(), categories: applies_to.categories.clone() }
    };
    let when = match node.get("when") {
        None => Cond::All(Vec::new()),
        Some(w) => parse_cond(p, w, &scope).unwrap_or(Cond::All(Vec::new())),
    };
    let likelihood = p.score(node.get("likelihood"), node, "likelihood");
    let impact = p.score(node.get("impact"), node, "impact");
    let mitigations = parse_mitigations(p, node.get("mitigations"), node);
    let references = parse_references(p, node.get("references"));
    let mut compliance = Vec::new();
    for (c, n) in p.strings(node.get("compliance"), "compliance") {
        if FRAMEWORKS.iter().any(|(id, _)| *id == c) {
            compliance.push(c);
        } else {
            p.err(&n, format!("unknown compliance framework `{c}`; expected hipaa, pci_dss, gdpr or soc2"));
        }
    }
    let generic = match node.get("generic") {
        None => false,
        Some(g) => g.as_bool().unwrap_or_else(|| {
            p.err(g, "`generic`: expected true or false");
            false
        }),
    };
    let (fires, silent) = parse_examples(p, node.get("examples"), node);
    use crate::graph::FactId as F;
    let uses_exposure = when.any_atom(&|c| {
        matches!(
            c,
            Cond::Fact {
                fact: F::InternetFacing
                    | F::InternetReachable
                    | F::UntrustedInput
                    | F::UntrustedAsyncInput
                    | F::AttackPaths
                    | F::FromUntrusted
                    | F::UntrustedSource,
                ..
            }
        )
    });
    let uses_data = when.any_atom(&|c| matches!(c, Cond::Data(_) | Cond::Tagged(_)));
    let uses_privilege = when.any_atom(&|c| {
        matches!(
            c,
            Cond::Fact {
                fact: F::BlastRadius
                    | F::BlastRadiusSensitive
                    | F::WildcardAction
                    | F::WildcardResource
                    | F::AdminActions,
                ..
            }
        )
    });
    if p.diags.len() > before {
        return None;
    }
    Some(Rule {
        id,
        title,
        category: category?,
        description: description.into(),
        applies_to,
        when,
        likelihood,
        impact,
        mitigations: mitigations.into(),
        references: references.into(),
        compliance: compliance.into(),
        generic,
        fires,
        silent,
        uses_exposure,
        uses_data,
        uses_privilege,
        file: p.file.to_string(),
        line: node.mark.line,
    })
}

fn parse_applies(p: &mut P, node: Option<&Node>, parent: &Node) -> AppliesTo {
    let mut out = AppliesTo { kinds: Vec::new(), flows: false, categories: Vec::new(), vendors: Vec::new() };
    let Some(n) = node else {
        p.err(
            parent,
            "missing `applies_to` (kind: function|trigger|store|external|flow, optional category and vendor)",
        );
        return out;
    };
    p.keys(n, "applies_to", &["kind", "category", "vendor"]);
    for (k, kn) in p.strings(n.get("kind"), "kind") {
        if k == "flow" {
            out.flows = true;
        } else if let Some(kind) = ElementKind::parse(&k) {
            out.kinds.push(kind);
        } else {
            p.err(&kn, format!("unknown kind `{k}`; expected function, trigger, store, external or flow"));
        }
    }
    if out.flows && !out.kinds.is_empty() {
        p.err(n, "a rule applies either to flows or to element kinds, not both");
    }
    if !out.flows && out.kinds.is_empty() {
        p.err(n, "`applies_to` needs a `kind`");
    }
    for (c, cn) in p.strings(n.get("category"), "category") {
        match category_kind(&c) {
            Some(k) if out.kinds.contains(&k) => out.categories.push(c),
            Some(k) => p.err(&cn, format!("category `{c}` belongs to kind {k}, which this rule does not apply to")),
            None => p.err(&cn, format!("unknown category `{c}`; expected one of {}", category_names())),
        }
    }
    for (v, vn) in p.strings(n.get("vendor"), "vendor") {
        if VENDORS.contains(&v.as_str()) {
            out.vendors.push(v);
        } else {
            p.err(&vn, format!("unknown vendor `{v}`; expected aws, azure, gcp or generic"));
        }
    }
    out
}

fn category_names() -> String {
    CATEGORIES.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
}

const OPS: &[&str] =
    &["equals", "not_equals", "in", "gt", "gte", "lt", "lte", "is_set", "contains", "contains_match", "matches"];
const HEADS: &[&str] = &[
    "all",
    "any",
    "not",
    "property",
    "fact",
    "category",
    "vendor",
    "data",
    "tagged",
    "source",
    "target",
    "any_inbound",
    "any_outbound",
];

fn parse_cond(p: &mut P, node: &Node, scope: &CondScope) -> Option<Cond> {
    if let Some(items) = node.as_seq() {
        let parts: Vec<Cond> = items.iter().filter_map(|i| parse_cond(p, i, scope)).collect();
        return Some(Cond::All(parts));
    }
    let Some(entries) = node.as_map() else {
        p.err(node, format!(
            "a condition must be a mapping such as `{{property: auth, equals: none}}` or `{{fact: internet_facing}}`, found {}",
            node.describe()
        ));
        return None;
    };
    let heads: Vec<&str> = entries.iter().filter_map(|(k, _)| k.as_scalar()).filter(|k| HEADS.contains(k)).collect();
    if heads.len() != 1 {
        p.err(
            node,
            format!(
                "a condition needs exactly one of {}; found {}",
                HEADS.join(", "),
                if heads.is_empty() { "none".to_string() } else { heads.join(", ") }
            ),
        );
        return None;
    }
    let head = heads[0];
    let value = node.get(head).expect("head key present");
    let allowed: Vec<&str> = match head {
        "property" | "fact" => std::iter::once(head).chain(OPS.iter().copied()).collect(),
        _ => vec![head],
    };
    p.keys(node, &format!("a `{head}` condition"), &allowed);
    let element_only = |p: &mut P, what: &str| -> bool {
        if matches!(scope, CondScope::Flow) {
            p.err(node, format!("`{what}` applies to elements; inside a flow rule use `source:` or `target:` first"));
            return false;
        }
        true
    };
    match head {
        "all" | "any" => {
            let Some(items) = value.as_seq() else {
                p.err(value, format!("`{head}` expects a list of conditions"));
                return None;
            };
            let parts: Vec<Cond> = items.iter().filter_map(|i| parse_cond(p, i, scope)).collect();
            Some(if head == "all" { Cond::All(parts) } else { Cond::Any(parts) })
        }
        "not" => parse_cond(p, value, scope).map(|c| Cond::Not(Box::new(c))),
        "source" | "target" => {
            if !matches!(scope, CondScope::Flow) {
                p.err(node, format!("`{head}` is only valid in a flow rule or inside `any_inbound`/`any_outbound`"));
                return None;
            }
            let inner = CondScope::Element { kinds: ElementKind::ALL.to_vec(), categories: Vec::new() };
            let c = parse_cond(p, value, &inner)?;
            Some(if head == "source" { Cond::Source(Box::new(c)) } else { Cond::Target(Box::new(c)) })
        }
        "any_inbound" | "any_outbound" => {
            if !element_only(p, head) {
                return None;
            }
            let c = parse_cond(p, value, &CondScope::Flow)?;
            Some(if head == "any_inbound" { Cond::AnyInbound(Box::new(c)) } else { Cond::AnyOutbound(Box::new(c)) })
        }
        "category" => {
            if !element_only(p, head) {
                return None;
            }
            let mut cats = Vec::new();
            for (c, cn) in p.strings(Some(value), "category") {
                if category_kind(&c).is_some() {
                    cats.push(c);
                } else {
                    p.err(&cn, format!("unknown category `{c}`; expected one of {}", category_names()));
                }
            }
            Some(Cond::Category(cats))
        }
        "vendor" => {
            if !element_only(p, head) {
                return None;
            }
            let mut vs = Vec::new();
            for (v, vn) in p.strings(Some(value), "vendor") {
                if VENDORS.contains(&v.as_str()) {
                    vs.push(v);
                } else {
                    p.err(&vn, format!("unknown vendor `{v}`; expected aws, azure, gcp or generic"));
                }
            }
            Some(Cond::Vendor(vs))
        }
        "data" => {
            let text = value.as_scalar().unwrap_or("");
            match Classification::parse(text) {
                Some(c) => Some(Cond::Data(c)),
                None => {
                    p.err(value, format!("`data` expects a minimum classification (public, internal, confidential, restricted), found `{text}`"));
                    None
                }
            }
        }
        "tagged" => Some(Cond::Tagged(p.strings(Some(value), "tagged").into_iter().map(|(s, _)| s).collect())),
        "fact" => {
            let name = value.as_scalar().unwrap_or("");
            let Some(def) = fact_by_name(name) else {
                let all: Vec<&str> = crate::graph::FACTS.iter().map(|f| f.name).collect();
                p.err(value, format!("unknown fact `{name}`; expected one of {}", all.join(", ")));
                return None;
            };
            match (&def.scope, scope) {
                (FactScope::Flow, CondScope::Element { .. }) => {
                    p.err(value, format!("fact `{name}` is a flow fact; use it in a flow rule or inside `any_inbound`/`any_outbound`"));
                    return None;
                }
                (FactScope::Element(_), CondScope::Flow) => {
                    p.err(
                        value,
                        format!(
                            "fact `{name}` is an element fact; inside a flow rule use `source:` or `target:` first"
                        ),
                    );
                    return None;
                }
                (FactScope::Element(kinds), CondScope::Element { kinds: ours, .. }) if !kinds.is_empty() => {
                    if !ours.iter().any(|k| kinds.contains(k)) {
                        let ks: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
                        p.err(value, format!("fact `{name}` is only defined for {}", ks.join(", ")));
                        return None;
                    }
                }
                _ => {}
            }
            let op = parse_op(p, node, None)?;
            if def.numeric && op.is_none() {
                p.err(node, format!("numeric fact `{name}` needs a comparison such as `gte: 2`"));
                return None;
            }
            if !def.numeric && op.is_some() {
                p.err(node, format!("fact `{name}` is true or false; negate it with `not:` instead of an operator"));
                return None;
            }
            if let Some(op) = &op {
                if !matches!(
                    op,
                    Op::Gt(_)
                        | Op::Gte(_)
                        | Op::Lt(_)
                        | Op::Lte(_)
                        | Op::Equals(Lit::Int(_))
                        | Op::NotEquals(Lit::Int(_))
                ) {
                    p.err(node, format!("numeric fact `{name}` takes gt, gte, lt, lte or an integer equals"));
                    return None;
                }
            }
            Some(Cond::Fact { fact: def.id, op })
        }
        "property" => {
            let name = value.as_scalar().unwrap_or("").to_string();
            let defs: Vec<&PropertyDef> = property_defs(&name)
                .into_iter()
                .filter(|d| match (&d.scope, scope) {
                    (PropScope::Flow, CondScope::Flow) => true,
                    (PropScope::Element(k, cats), CondScope::Element { kinds, categories }) => {
                        kinds.contains(k)
                            && (cats.is_empty()
                                || categories.is_empty()
                                || categories.iter().any(|c| cats.contains(&c.as_str())))
                    }
                    _ => false,
                })
                .collect();
            let Some(def) = defs.first().copied() else {
                let scope_text = match scope {
                    CondScope::Flow => "flows".to_string(),
                    CondScope::Element { kinds, categories } => {
                        let ks: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
                        if categories.is_empty() {
                            ks.join("/")
                        } else {
                            format!("{} ({})", ks.join("/"), categories.join(", "))
                        }
                    }
                };
                p.err(
                    value,
                    format!(
                        "unknown property `{name}` for {scope_text} (see docs/model-format.md for the property schema)"
                    ),
                );
                return None;
            };
            let Some(op) = parse_op(p, node, Some(def.ty))? else {
                p.err(node, format!("property `{name}` needs an operator: {}", OPS.join(", ")));
                return None;
            };
            let defs = property_defs(&name);
            Some(Cond::Property { name, op, defs })
        }
        _ => unreachable!("heads are exhaustive"),
    }
}

/// Parses the single operator of a `property`/`fact` condition, type-checked
/// against the property type when known. `Ok(None)`: no operator given.
fn parse_op(p: &mut P, node: &Node, ty: Option<PropType>) -> Option<Option<Op>> {
    let present: Vec<&str> = OPS.iter().copied().filter(|o| node.get(o).is_some()).collect();
    if present.len() > 1 {
        p.err(node, format!("use one operator per condition (found {}); combine with `all:`", present.join(", ")));
        return None;
    }
    let Some(&name) = present.first() else { return Some(None) };
    let v = node.get(name).expect("present");
    let lit = |p: &mut P, n: &Node| -> Option<Lit> {
        let l = if let Some(b) = n.as_bool() {
            Lit::Bool(b)
        } else if let Some(i) = n.as_i64() {
            Lit::Int(i)
        } else if let Some(s) = n.as_scalar() {
            Lit::Str(s.to_string())
        } else {
            p.err(n, format!("expected a value, found {}", n.describe()));
            return None;
        };
        if let Some(t) = ty {
            let ok = match (&t, &l) {
                (PropType::Bool, Lit::Bool(_)) | (PropType::Int { .. }, Lit::Int(_)) | (PropType::Str, Lit::Str(_)) => {
                    true
                }
                (PropType::Enum(opts), Lit::Str(s)) => opts.contains(&s.as_str()),
                (PropType::List, Lit::Str(_)) => true,
                _ => false,
            };
            if !ok {
                p.err(n, format!("value does not fit the property: expected {}", t.describe()));
                return None;
            }
        }
        Some(l)
    };
    let int = |p: &mut P, n: &Node| -> Option<i64> {
        if let Some(t) = ty {
            if !matches!(t, PropType::Int { .. }) {
                p.err(n, format!("`{name}` compares integers, but the property is {}", t.describe()));
                return None;
            }
        }
        n.as_i64().or_else(|| {
            p.err(n, format!("`{name}` expects an integer, found {}", n.describe()));
            None
        })
    };
    let text = |p: &mut P, n: &Node, want_list: bool| -> Option<String> {
        if let Some(t) = ty {
            let ok =
                if want_list { matches!(t, PropType::List) } else { matches!(t, PropType::Str | PropType::Enum(_)) };
            if !ok {
                p.err(n, format!("`{name}` does not apply to a property that is {}", t.describe()));
                return None;
            }
        }
        n.as_scalar().map(str::to_string).or_else(|| {
            p.err(n, format!("`{name}` expects a string, found {}", n.describe()));
            None
        })
    };
    let op = match name {
        "equals" => Op::Equals(lit(p, v)?),
        "not_equals" => Op::NotEquals(lit(p, v)?),
        "in" => {
            let Some(items) = v.as_seq() else {
                p.err(v, "`in` expects a list of values");
                return None;
            };
            let mut ls = Vec::new();
            for i in items {
                ls.push(lit(p, i)?);
            }
            Op::In(ls)
        }
        "gt" => Op::Gt(int(p, v)?),
        "gte" => Op::Gte(int(p, v)?),
        "lt" => Op::Lt(int(p, v)?),
        "lte" => Op::Lte(int(p, v)?),
        "is_set" => Op::IsSet(v.as_bool().or_else(|| {
            p.err(v, "`is_set` expects true or false");
            None
        })?),
        "contains" => Op::Contains(text(p, v, true)?),
        "contains_match" => Op::ContainsMatch(text(p, v, true)?),
        "matches" => Op::Matches(text(p, v, false)?),
        _ => unreachable!("operators are exhaustive"),
    };
    Some(Some(op))
}

fn parse_mitigations(p: &mut P, node: Option<&Node>, parent: &Node) -> Vec<Mitigation> {
    let Some(items) = node.and_then(|n| n.as_seq()) else {
        p.err(node.unwrap_or(parent), "a rule needs a `mitigations` list");
        return Vec::new();
    };
    if items.is_empty() {
        p.err(node.unwrap_or(parent), "a rule needs at least one mitigation");
    }
    let mut out = Vec::new();
    for m in items {
        p.keys(m, "a mitigation", &["text", "practice", "standard"]);
        let text = p.string(m.get("text"), m, "text", true).unwrap_or_default();
        let practice = p.string(m.get("practice"), m, "practice", false);
        let standard = p.string(m.get("standard"), m, "standard", false);
        if let Some(pr) = &practice {
            if super::practice::practice(pr).is_none() {
                let all: Vec<&str> = PRACTICES.iter().map(|p| p.id).collect();
                p.err(
                    m.get("practice").unwrap_or(m),
                    format!("unknown practice `{pr}`; expected one of {}", all.join(", ")),
                );
            }
        }
        if practice.is_none() && standard.is_none() {
            p.err(m, "a mitigation must name the `practice` it comes from (or a public `standard`)");
        }
        out.push(Mitigation { text, practice, standard });
    }
    out
}

fn parse_references(p: &mut P, node: Option<&Node>) -> References {
    let mut r = References::default();
    let Some(n) = node else { return r };
    p.keys(n, "references", &["cwe", "capec", "owasp_serverless", "csa", "other"]);
    for (key, out) in [("cwe", &mut r.cwe), ("capec", &mut r.capec)] {
        for (s, sn) in p.strings(n.get(key), key) {
            match s.trim_start_matches("CWE-").trim_start_matches("CAPEC-").parse::<u32>() {
                Ok(v) => out.push(v),
                Err(_) => p.err(&sn, format!("`{key}` expects numbers, found `{s}`")),
            }
        }
    }
    r.owasp_serverless = p.strings(n.get("owasp_serverless"), "owasp_serverless").into_iter().map(|(s, _)| s).collect();
    for (s, sn) in p.strings(n.get("csa"), "csa") {
        let ok =
            s.strip_prefix("SAS-").and_then(|x| x.parse::<u32>().ok()).map(|x| (1..=12).contains(&x)).unwrap_or(false);
        if ok {
            r.csa.push(s);
        } else {
            p.err(&sn, format!("`csa` expects SAS-1 … SAS-12, found `{s}`"));
        }
    }
    r.other = p.strings(n.get("other"), "other").into_iter().map(|(s, _)| s).collect();
    r
}

fn parse_examples(p: &mut P, node: Option<&Node>, parent: &Node) -> (Vec<Example>, Vec<Example>) {
    let Some(n) = node else {
        p.err(parent, "a rule needs `examples` with at least one `fires` and one `silent` model");
        return (Vec::new(), Vec::new());
    };
    p.keys(n, "examples", &["fires", "silent"]);
    let mut lists = Vec::new();
    for key in ["fires", "silent"] {
        let mut out = Vec::new();
        match n.get(key).and_then(|x| x.as_seq()) {
            Some(items) if !items.is_empty() => {
                for ex in items {
                    if let Some(e) = parse_example(p, ex) {
                        out.push(e);
                    }
                }
            }
            _ => p.err(n, format!("`examples.{key}` needs at least one example")),
        }
        lists.push(out);
    }
    let silent = lists.pop().unwrap_or_default();
    let fires = lists.pop().unwrap_or_default();
    (fires, silent)
}

fn parse_example(p: &mut P, node: &Node) -> Option<Example> {
    p.keys(node, "an example", &["target", "model"]);
    let target = p.string(node.get("target"), node, "target", true)?;
    let Some(model_node) = node.get("model") else {
        p.err(node, "an example needs a `model` fragment");
        return None;
    };
    // Fragments may omit the model name.
    let mut m = model_node.clone();
    if let NodeValue::Map(entries) = &mut m.value {
        if !entries.iter().any(|(k, _)| k.as_scalar() == Some("name")) {
            let key = Node { value: NodeValue::Scalar { text: "name".into(), plain: true }, mark: m.mark, tag: None };
            let val =
                Node { value: NodeValue::Scalar { text: "example".into(), plain: true }, mark: m.mark, tag: None };
            entries.insert(0, (key, val));
        }
    }
    let (model, map, problems) = yaml::read::read(&m);
    let mut bad = false;
    for (mark, msg) in problems {
        p.diags.push(Diagnostic::new(p.file, mark.line, mark.col, format!("example model: {msg}")));
        bad = true;
    }
    for prob in crate::model::validate(&model) {
        let mark = map.locate(prob.subject, prob.field.as_deref());
        p.diags.push(Diagnostic::new(p.file, mark.line, mark.col, format!("example model: {}", prob.message)));
        bad = true;
    }
    let known = model.elements.iter().any(|e| e.name == target)
        || target
            .split_once("->")
            .map(|(a, b)| {
                let (a, b) = (a.trim(), b.trim());
                model.flows.iter().any(|f| {
                    model.element(f.from).map(|e| e.name.as_str()) == Some(a)
                        && model.element(f.to).map(|e| e.name.as_str()) == Some(b)
                })
            })
            .unwrap_or(false);
    if !known && !bad {
        p.err(
            node.get("target").unwrap_or(node),
            format!("example target `{target}` is neither an element nor a flow `From -> To` of the example model"),
        );
        bad = true;
    }
    if bad {
        return None;
    }
    Some(Example { model, target, line: node.mark.line })
}
