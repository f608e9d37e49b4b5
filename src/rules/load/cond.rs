//! Parses a rule's condition. Each condition head (`all`, `property`,
//! `fact`, …) and each operator (`equals`, `gte`, …) is read through one
//! table into an enum, and the parsers dispatch on the enum, so a name in a
//! table without a parser does not compile, and no user file can reach a
//! panic. Literals are type-checked against the property schema and facts
//! against their scope.
//! Must not: evaluate conditions (that is `eval.rs`) or read files.

use super::reader::Reader;
use crate::graph::{fact_by_name, FactScope, FACTS};
use crate::model::kind::{category_kind, CATEGORIES, VENDORS};
use crate::model::property::{PropType, Scope as PropScope};
use crate::model::{Classification, ElementKind, PropertyDef};
use crate::rules::{property_defs, Cond, Lit, Op};
use crate::yaml::Node;

/// The head of a condition: the key that says what kind of condition it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CondHead {
    All,
    Any,
    Not,
    Property,
    Fact,
    Category,
    Vendor,
    Data,
    Tagged,
    Source,
    Target,
    AnyInbound,
    AnyOutbound,
}

/// Every condition head by its name in a rule file, in the order error
/// messages list them.
pub const HEADS: &[(&str, CondHead)] = &[
    ("all", CondHead::All),
    ("any", CondHead::Any),
    ("not", CondHead::Not),
    ("property", CondHead::Property),
    ("fact", CondHead::Fact),
    ("category", CondHead::Category),
    ("vendor", CondHead::Vendor),
    ("data", CondHead::Data),
    ("tagged", CondHead::Tagged),
    ("source", CondHead::Source),
    ("target", CondHead::Target),
    ("any_inbound", CondHead::AnyInbound),
    ("any_outbound", CondHead::AnyOutbound),
];

impl CondHead {
    /// The head a key names, if it names one.
    pub fn parse(key: &str) -> Option<Self> {
        HEADS.iter().find(|(name, _)| *name == key).map(|(_, h)| *h)
    }

    /// The name of the head in a rule file.
    pub fn name(self) -> &'static str {
        HEADS.iter().find(|(_, h)| *h == self).map(|(name, _)| *name).expect("every head is in HEADS")
    }

    /// Whether the condition also takes an operator key (`property: x, equals: y`).
    pub fn takes_operator(self) -> bool {
        matches!(self, Self::Property | Self::Fact)
    }
}

/// The operator of a `property` or numeric `fact` condition, without its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    Equals,
    NotEquals,
    In,
    Gt,
    Gte,
    Lt,
    Lte,
    IsSet,
    Contains,
    ContainsMatch,
    Matches,
}

/// Every operator by its name in a rule file, in the order error messages
/// list them.
pub const OPS: &[(&str, OpKind)] = &[
    ("equals", OpKind::Equals),
    ("not_equals", OpKind::NotEquals),
    ("in", OpKind::In),
    ("gt", OpKind::Gt),
    ("gte", OpKind::Gte),
    ("lt", OpKind::Lt),
    ("lte", OpKind::Lte),
    ("is_set", OpKind::IsSet),
    ("contains", OpKind::Contains),
    ("contains_match", OpKind::ContainsMatch),
    ("matches", OpKind::Matches),
];

impl OpKind {
    /// The operator a key names, if it names one.
    pub fn parse(key: &str) -> Option<Self> {
        OPS.iter().find(|(name, _)| *name == key).map(|(_, o)| *o)
    }

    /// The name of the operator in a rule file.
    pub fn name(self) -> &'static str {
        OPS.iter().find(|(_, o)| *o == self).map(|(name, _)| *name).expect("every operator is in OPS")
    }
}

fn head_names() -> String {
    HEADS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

fn op_names() -> String {
    OPS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

pub(super) fn category_names() -> String {
    CATEGORIES.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
}

/// Where a condition is evaluated.
#[derive(Clone, Debug)]
pub(super) enum CondScope {
    Element { kinds: Vec<ElementKind>, categories: Vec<String> },
    Flow,
}

/// Parses a condition: a list (all of them), or a mapping with exactly one head.
pub(super) fn parse_cond(p: &mut Reader, node: &Node, scope: &CondScope) -> Option<Cond> {
    if let Some(items) = node.as_seq() {
        return Some(Cond::All(parse_list(p, items, scope)));
    }
    let (head, value) = find_head(p, node)?;
    let mut allowed = vec![head.name()];
    if head.takes_operator() {
        allowed.extend(OPS.iter().map(|(n, _)| *n));
    }
    p.keys(node, &format!("a `{}` condition", head.name()), &allowed);
    match head {
        CondHead::All => parse_list_value(p, head, value, scope).map(Cond::All),
        CondHead::Any => parse_list_value(p, head, value, scope).map(Cond::Any),
        CondHead::Not => parse_cond(p, value, scope).map(|c| Cond::Not(Box::new(c))),
        CondHead::Source => parse_end(p, node, head, value, scope).map(|c| Cond::Source(Box::new(c))),
        CondHead::Target => parse_end(p, node, head, value, scope).map(|c| Cond::Target(Box::new(c))),
        CondHead::AnyInbound => parse_flows(p, node, head, value, scope).map(|c| Cond::AnyInbound(Box::new(c))),
        CondHead::AnyOutbound => parse_flows(p, node, head, value, scope).map(|c| Cond::AnyOutbound(Box::new(c))),
        CondHead::Category => parse_category(p, node, value, scope),
        CondHead::Vendor => parse_vendor(p, node, value, scope),
        CondHead::Data => parse_data(p, value),
        CondHead::Tagged => Some(Cond::Tagged(p.strings(Some(value), "tagged").into_iter().map(|(s, _)| s).collect())),
        CondHead::Fact => parse_fact(p, node, value, scope),
        CondHead::Property => parse_property(p, node, value, scope),
    }
}

/// The one head of a condition mapping and its value.
fn find_head<'n>(p: &mut Reader, node: &'n Node) -> Option<(CondHead, &'n Node)> {
    let Some(entries) = node.as_map() else {
        p.err(node, format!(
            "a condition must be a mapping such as `{{property: auth, equals: none}}` or `{{fact: internet_facing}}`, found {}",
            node.describe()
        ));
        return None;
    };
    let heads: Vec<(CondHead, &Node)> =
        entries.iter().filter_map(|(k, v)| k.as_scalar().and_then(CondHead::parse).map(|h| (h, v))).collect();
    if let [one] = heads[..] {
        return Some(one);
    }
    let found = if heads.is_empty() {
        "none".to_string()
    } else {
        heads.iter().map(|(h, _)| h.name()).collect::<Vec<_>>().join(", ")
    };
    p.err(node, format!("a condition needs exactly one of {}; found {found}", head_names()));
    None
}

fn parse_list(p: &mut Reader, items: &[Node], scope: &CondScope) -> Vec<Cond> {
    items.iter().filter_map(|i| parse_cond(p, i, scope)).collect()
}

/// The list of conditions of `all` or `any`.
fn parse_list_value(p: &mut Reader, head: CondHead, value: &Node, scope: &CondScope) -> Option<Vec<Cond>> {
    let Some(items) = value.as_seq() else {
        p.err(value, format!("`{}` expects a list of conditions", head.name()));
        return None;
    };
    Some(parse_list(p, items, scope))
}

/// Reports a head that needs an element subject used on a flow.
fn element_only(p: &mut Reader, node: &Node, head: CondHead, scope: &CondScope) -> bool {
    if matches!(scope, CondScope::Flow) {
        p.err(
            node,
            format!("`{}` applies to elements; inside a flow rule use `source:` or `target:` first", head.name()),
        );
        return false;
    }
    true
}

/// The inner condition of `source` or `target`, on the flow's end element.
fn parse_end(p: &mut Reader, node: &Node, head: CondHead, value: &Node, scope: &CondScope) -> Option<Cond> {
    if !matches!(scope, CondScope::Flow) {
        p.err(node, format!("`{}` is only valid in a flow rule or inside `any_inbound`/`any_outbound`", head.name()));
        return None;
    }
    let inner = CondScope::Element { kinds: ElementKind::ALL.to_vec(), categories: Vec::new() };
    parse_cond(p, value, &inner)
}

/// The inner condition of `any_inbound` or `any_outbound`, on the element's flows.
fn parse_flows(p: &mut Reader, node: &Node, head: CondHead, value: &Node, scope: &CondScope) -> Option<Cond> {
    if !element_only(p, node, head, scope) {
        return None;
    }
    parse_cond(p, value, &CondScope::Flow)
}

fn parse_category(p: &mut Reader, node: &Node, value: &Node, scope: &CondScope) -> Option<Cond> {
    if !element_only(p, node, CondHead::Category, scope) {
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

fn parse_vendor(p: &mut Reader, node: &Node, value: &Node, scope: &CondScope) -> Option<Cond> {
    if !element_only(p, node, CondHead::Vendor, scope) {
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

fn parse_data(p: &mut Reader, value: &Node) -> Option<Cond> {
    let text = value.as_scalar().unwrap_or("");
    match Classification::parse(text) {
        Some(c) => Some(Cond::Data(c)),
        None => {
            p.err(
                value,
                format!(
                    "`data` expects a minimum classification (public, internal, confidential, restricted), found `{text}`"
                ),
            );
            None
        }
    }
}

fn parse_fact(p: &mut Reader, node: &Node, value: &Node, scope: &CondScope) -> Option<Cond> {
    let name = value.as_scalar().unwrap_or("");
    let Some(def) = fact_by_name(name) else {
        let all: Vec<&str> = FACTS.iter().map(|f| f.name).collect();
        p.err(value, format!("unknown fact `{name}`; expected one of {}", all.join(", ")));
        return None;
    };
    if let Some(msg) = fact_scope_error(name, &def.scope, scope) {
        p.err(value, msg);
        return None;
    }
    let op = parse_op(p, node, None)?;
    match &op {
        None if def.numeric => {
            p.err(node, format!("numeric fact `{name}` needs a comparison such as `gte: 2`"));
            return None;
        }
        Some(_) if !def.numeric => {
            p.err(node, format!("fact `{name}` is true or false; negate it with `not:` instead of an operator"));
            return None;
        }
        Some(op) if !is_numeric_op(op) => {
            p.err(node, format!("numeric fact `{name}` takes gt, gte, lt, lte or an integer equals"));
            return None;
        }
        _ => {}
    }
    Some(Cond::Fact { fact: def.id, op })
}

fn is_numeric_op(op: &Op) -> bool {
    matches!(op, Op::Gt(_) | Op::Gte(_) | Op::Lt(_) | Op::Lte(_) | Op::Equals(Lit::Int(_)) | Op::NotEquals(Lit::Int(_)))
}

/// Why a fact cannot be used in this scope, if it cannot.
fn fact_scope_error(name: &str, fact: &FactScope, scope: &CondScope) -> Option<String> {
    match (fact, scope) {
        (FactScope::Flow, CondScope::Element { .. }) => {
            Some(format!("fact `{name}` is a flow fact; use it in a flow rule or inside `any_inbound`/`any_outbound`"))
        }
        (FactScope::Element(_), CondScope::Flow) => {
            Some(format!("fact `{name}` is an element fact; inside a flow rule use `source:` or `target:` first"))
        }
        (FactScope::Element(kinds), CondScope::Element { kinds: ours, .. })
            if !kinds.is_empty() && !ours.iter().any(|k| kinds.contains(k)) =>
        {
            let ks: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            Some(format!("fact `{name}` is only defined for {}", ks.join(", ")))
        }
        _ => None,
    }
}

fn parse_property(p: &mut Reader, node: &Node, value: &Node, scope: &CondScope) -> Option<Cond> {
    let name = value.as_scalar().unwrap_or("").to_string();
    let Some(def) = property_defs(&name).into_iter().find(|d| property_in_scope(d, scope)) else {
        p.err(
            value,
            format!(
                "unknown property `{name}` for {} (see docs/properties.md for the property schema)",
                scope_text(scope)
            ),
        );
        return None;
    };
    let Some(op) = parse_op(p, node, Some(def.ty))? else {
        p.err(node, format!("property `{name}` needs an operator: {}", op_names()));
        return None;
    };
    let defs = property_defs(&name);
    Some(Cond::Property { name, op, defs })
}

/// Whether a schema entry applies somewhere in the condition's scope.
fn property_in_scope(def: &PropertyDef, scope: &CondScope) -> bool {
    match (&def.scope, scope) {
        (PropScope::Flow, CondScope::Flow) => true,
        (PropScope::Element(k, cats), CondScope::Element { kinds, categories }) => {
            kinds.contains(k)
                && (cats.is_empty() || categories.is_empty() || categories.iter().any(|c| cats.contains(&c.as_str())))
        }
        _ => false,
    }
}

/// The scope in words, for error messages: `flows`, `function` or `trigger (api, cdn)`.
fn scope_text(scope: &CondScope) -> String {
    match scope {
        CondScope::Flow => "flows".to_string(),
        CondScope::Element { kinds, categories } => {
            let ks: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            if categories.is_empty() {
                ks.join("/")
            } else {
                format!("{} ({})", ks.join("/"), categories.join(", "))
            }
        }
    }
}

/// Parses the single operator of a `property`/`fact` condition, type-checked
/// against the property type when known. `Some(None)`: no operator given.
fn parse_op(p: &mut Reader, node: &Node, ty: Option<PropType>) -> Option<Option<Op>> {
    let present: Vec<(OpKind, &Node)> =
        OPS.iter().filter_map(|(name, kind)| node.get(name).map(|v| (*kind, v))).collect();
    if present.len() > 1 {
        let names: Vec<&str> = present.iter().map(|(k, _)| k.name()).collect();
        p.err(node, format!("use one operator per condition (found {}); combine with `all:`", names.join(", ")));
        return None;
    }
    let Some(&(kind, v)) = present.first() else { return Some(None) };
    let op = match kind {
        OpKind::Equals => Op::Equals(lit(p, v, ty)?),
        OpKind::NotEquals => Op::NotEquals(lit(p, v, ty)?),
        OpKind::In => Op::In(lits(p, v, ty)?),
        OpKind::Gt => Op::Gt(int(p, v, ty, kind)?),
        OpKind::Gte => Op::Gte(int(p, v, ty, kind)?),
        OpKind::Lt => Op::Lt(int(p, v, ty, kind)?),
        OpKind::Lte => Op::Lte(int(p, v, ty, kind)?),
        OpKind::IsSet => Op::IsSet(v.as_bool().or_else(|| {
            p.err(v, "`is_set` expects true or false");
            None
        })?),
        OpKind::Contains => Op::Contains(text(p, v, ty, kind, true)?),
        OpKind::ContainsMatch => Op::ContainsMatch(text(p, v, ty, kind, true)?),
        OpKind::Matches => Op::Matches(text(p, v, ty, kind, false)?),
    };
    Some(Some(op))
}

/// A literal of `equals`, `not_equals` or `in`, checked against the property type.
fn lit(p: &mut Reader, n: &Node, ty: Option<PropType>) -> Option<Lit> {
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
            (PropType::Bool, Lit::Bool(_)) | (PropType::Int { .. }, Lit::Int(_)) | (PropType::Str, Lit::Str(_)) => true,
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
}

/// The literals of `in`; the first bad one ends the condition.
fn lits(p: &mut Reader, v: &Node, ty: Option<PropType>) -> Option<Vec<Lit>> {
    let Some(items) = v.as_seq() else {
        p.err(v, "`in` expects a list of values");
        return None;
    };
    let mut ls = Vec::new();
    for i in items {
        ls.push(lit(p, i, ty)?);
    }
    Some(ls)
}

/// The integer of a comparison, which needs an integer property.
fn int(p: &mut Reader, n: &Node, ty: Option<PropType>, kind: OpKind) -> Option<i64> {
    let name = kind.name();
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
}

/// The text of `contains`, `contains_match` (a list property) or `matches`
/// (a string property).
fn text(p: &mut Reader, n: &Node, ty: Option<PropType>, kind: OpKind, want_list: bool) -> Option<String> {
    let name = kind.name();
    if let Some(t) = ty {
        let ok = if want_list { matches!(t, PropType::List) } else { matches!(t, PropType::Str | PropType::Enum(_)) };
        if !ok {
            p.err(n, format!("`{name}` does not apply to a property that is {}", t.describe()));
            return None;
        }
    }
    n.as_scalar().map(str::to_string).or_else(|| {
        p.err(n, format!("`{name}` expects a string, found {}", n.describe()));
        None
    })
}
