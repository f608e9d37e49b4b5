//! Template values with CloudFormation intrinsics evaluated: a located tree
//! of strings, lists and mappings in which every string remembers which
//! resources it refers to (`!Ref`, `!GetAtt`, `${X}` in `!Sub`).
//!
//! Parameters resolve to their defaults, conditions are evaluated where the
//! inputs are known (otherwise the first branch of `!If` is taken, with a
//! warning), and anything that needs a deployed stack (`!ImportValue`,
//! `!GetAZs`) stays as a placeholder with a warning. Must not: build the
//! model, panic or recurse without bound.

use crate::yaml::{Mark, Node, NodeValue};
use std::collections::{HashMap, HashSet};

/// A reference to a resource of the template, with the attribute of `!GetAtt`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefTo {
    pub id: String,
    pub attr: Option<String>,
}

/// A string value: its text (placeholders for what cannot be known), the
/// resources it names, and whether it was written literally in the template.
#[derive(Clone, Debug, PartialEq)]
pub struct S {
    pub text: String,
    pub refs: Vec<RefTo>,
    /// True for text written as-is (or a parameter default), false for text
    /// computed from other resources or pseudo parameters.
    pub literal: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum VK {
    Null,
    Str(S),
    List(Vec<V>),
    Map(Vec<(String, V)>),
}

/// An evaluated value and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct V {
    pub kind: VK,
    pub mark: Mark,
}

static EMPTY_MAP: [(String, V); 0] = [];

impl V {
    pub fn null(mark: Mark) -> V {
        V { kind: VK::Null, mark }
    }

    pub fn text(text: impl Into<String>, mark: Mark) -> V {
        V { kind: VK::Str(S { text: text.into(), refs: Vec::new(), literal: true }), mark }
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        match &self.kind {
            VK::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Value at a path of keys.
    pub fn at(&self, path: &[&str]) -> Option<&V> {
        let mut v = self;
        for key in path {
            v = v.get(key)?;
        }
        Some(v)
    }

    pub fn s(&self) -> Option<&S> {
        match &self.kind {
            VK::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn str(&self) -> Option<&str> {
        self.s().map(|s| s.text.as_str())
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, VK::Null)
    }

    /// Booleans as CloudFormation accepts them (`true`, `"true"`, `True`).
    pub fn bool(&self) -> Option<bool> {
        match self.str()?.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// Integers, also when written as strings.
    pub fn int(&self) -> Option<i64> {
        let t = self.str()?.trim();
        t.parse::<i64>()
            .ok()
            .or_else(|| t.parse::<f64>().ok().filter(|f| f.is_finite() && f.abs() < 1e15).map(|f| f as i64))
    }

    pub fn map(&self) -> &[(String, V)] {
        match &self.kind {
            VK::Map(entries) => entries,
            _ => &EMPTY_MAP,
        }
    }

    /// A string or each string of a list (`Action: x` and `Action: [x, y]`).
    pub fn items(&self) -> Vec<&V> {
        match &self.kind {
            VK::List(items) => items.iter().collect(),
            VK::Null => Vec::new(),
            _ => vec![self],
        }
    }

    /// Texts of a string or a list of strings.
    pub fn texts(&self) -> Vec<String> {
        self.items().into_iter().filter_map(|v| v.str().map(str::to_string)).collect()
    }

    /// Every resource reference anywhere below this value.
    pub fn all_refs(&self) -> Vec<RefTo> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(v) = stack.pop() {
            match &v.kind {
                VK::Null => {}
                VK::Str(s) => out.extend(s.refs.iter().cloned()),
                VK::List(items) => stack.extend(items.iter().rev()),
                VK::Map(entries) => stack.extend(entries.iter().rev().map(|(_, v)| v)),
            }
        }
        out
    }

    /// A compact JSON-like rendering (event patterns as a `filter`).
    pub fn render(&self) -> String {
        match &self.kind {
            VK::Null => "null".into(),
            VK::Str(s) => s.text.clone(),
            VK::List(items) => format!("[{}]", items.iter().map(V::render).collect::<Vec<_>>().join(", ")),
            VK::Map(entries) => {
                format!(
                    "{{{}}}",
                    entries.iter().map(|(k, v)| format!("{k}: {}", v.render())).collect::<Vec<_>>().join(", ")
                )
            }
        }
    }
}

/// Deep merge of SAM `Globals` into a resource's properties: mappings merge
/// key by key, lists are concatenated (globals first), scalars of the
/// resource win.
pub fn merge_globals(globals: &V, local: &V) -> V {
    match (&globals.kind, &local.kind) {
        (VK::Map(g), VK::Map(l)) => {
            let mut out: Vec<(String, V)> = Vec::new();
            for (k, gv) in g {
                match l.iter().find(|(lk, _)| lk == k) {
                    Some((_, lv)) => out.push((k.clone(), merge_globals(gv, lv))),
                    None => out.push((k.clone(), gv.clone())),
                }
            }
            for (k, lv) in l {
                if !g.iter().any(|(gk, _)| gk == k) {
                    out.push((k.clone(), lv.clone()));
                }
            }
            V { kind: VK::Map(out), mark: local.mark }
        }
        (VK::List(g), VK::List(l)) => {
            V { kind: VK::List(g.iter().chain(l.iter()).cloned().collect()), mark: local.mark }
        }
        (_, VK::Null) => globals.clone(),
        _ => local.clone(),
    }
}

const PSEUDO: &[&str] = &[
    "AWS::AccountId",
    "AWS::Region",
    "AWS::StackName",
    "AWS::StackId",
    "AWS::Partition",
    "AWS::URLSuffix",
    "AWS::NotificationARNs",
    "AWS::NoValue",
];

/// The evaluation context of one template.
pub struct Env {
    pub params: HashMap<String, Option<Node>>,
    pub resources: HashSet<String>,
    conditions: HashMap<String, Node>,
    mappings: Option<Node>,
    condition_cache: HashMap<String, Option<bool>>,
    evaluating: HashSet<String>,
    pub warnings: Vec<(Mark, String)>,
    budget: usize,
}

fn key_text(n: &Node) -> Option<&str> {
    n.as_scalar()
}

/// The intrinsic a node stands for: `!Name arg` or `{Fn::Name: arg}` / `{Ref: arg}`.
fn intrinsic(n: &Node) -> Option<(String, Node)> {
    if let Some(tag) = &n.tag {
        let name = tag.trim_start_matches('!');
        let name = match name {
            "Ref" | "Condition" => name.to_string(),
            other => format!("Fn::{other}"),
        };
        let mut arg = n.clone();
        arg.tag = None;
        return Some((name, arg));
    }
    let entries = n.as_map()?;
    if entries.len() != 1 {
        return None;
    }
    let (k, v) = &entries[0];
    let k = key_text(k)?;
    if k == "Ref" || k.starts_with("Fn::") {
        Some((k.to_string(), v.clone()))
    } else {
        None
    }
}

impl Env {
    /// Prepares evaluation of a template root (a mapping).
    pub fn new(root: &Node, resource_ids: impl IntoIterator<Item = String>) -> Env {
        let mut params = HashMap::new();
        if let Some(entries) = root.get("Parameters").and_then(Node::as_map) {
            for (k, v) in entries {
                if let Some(name) = k.as_scalar() {
                    params.insert(name.to_string(), v.get("Default").cloned());
                }
            }
        }
        let mut conditions = HashMap::new();
        if let Some(entries) = root.get("Conditions").and_then(Node::as_map) {
            for (k, v) in entries {
                if let Some(name) = k.as_scalar() {
                    conditions.insert(name.to_string(), v.clone());
                }
            }
        }
        Env {
            params,
            resources: resource_ids.into_iter().collect(),
            conditions,
            mappings: root.get("Mappings").cloned(),
            condition_cache: HashMap::new(),
            evaluating: HashSet::new(),
            warnings: Vec::new(),
            budget: 2_000_000,
        }
    }

    fn warn(&mut self, mark: Mark, msg: String) {
        if !self.warnings.iter().any(|(m, w)| *m == mark && *w == msg) {
            self.warnings.push((mark, msg));
        }
    }

    fn computed(&self, text: String, refs: Vec<RefTo>, mark: Mark) -> V {
        V { kind: VK::Str(S { text, refs, literal: false }), mark }
    }

    /// Evaluates a node; `None` only for `AWS::NoValue`.
    pub fn eval(&mut self, n: &Node) -> V {
        self.eval_opt(n).unwrap_or_else(|| V::null(n.mark))
    }

    fn eval_opt(&mut self, n: &Node) -> Option<V> {
        if self.budget == 0 {
            return Some(V::null(n.mark));
        }
        self.budget -= 1;
        if let Some((name, arg)) = intrinsic(n) {
            return self.intrinsic(&name, &arg, n.mark);
        }
        Some(match &n.value {
            NodeValue::Scalar { text, plain } => {
                if *plain && n.is_null() {
                    V::null(n.mark)
                } else {
                    V::text(text.clone(), n.mark)
                }
            }
            NodeValue::Seq(items) => {
                V { kind: VK::List(items.iter().filter_map(|i| self.eval_opt(i)).collect()), mark: n.mark }
            }
            NodeValue::Map(entries) => {
                let mut out = Vec::new();
                for (k, v) in entries {
                    let Some(key) = key_text(k) else { continue };
                    if let Some(val) = self.eval_opt(v) {
                        out.push((key.to_string(), val));
                    }
                }
                V { kind: VK::Map(out), mark: n.mark }
            }
        })
    }

    fn scalar_arg(&mut self, arg: &Node) -> Option<String> {
        self.eval(arg).str().map(str::to_string)
    }

    fn intrinsic(&mut self, name: &str, arg: &Node, mark: Mark) -> Option<V> {
        match name {
            "Ref" => {
                let Some(target) = arg.as_scalar() else {
                    self.warn(mark, "`Ref` expects a logical id".into());
                    return Some(V::null(mark));
                };
                self.reference(target, mark)
            }
            "Fn::GetAtt" => self.get_att(arg, mark),
            "Fn::Sub" => self.substitute(arg, mark),
            "Fn::Join" => self.join(arg, mark),
            "Fn::If" => self.if_condition(arg, mark),
            "Fn::Select" => self.select(arg, mark),
            "Fn::FindInMap" => self.find_in_map(arg, mark),
            "Fn::Split" => self.split(arg, mark),
            "Fn::Base64" | "Fn::ToJsonString" => self.eval_opt(arg),
            "Fn::ImportValue" | "Fn::GetAZs" | "Fn::Cidr" | "Fn::Length" | "Fn::Transform" | "Fn::GetParam" => {
                let detail = arg.as_scalar().map(|s| format!(" `{s}`")).unwrap_or_default();
                self.warn(mark, format!("`{name}`{detail} depends on the deployed environment; kept as a placeholder"));
                let inner = self.eval(arg);
                Some(self.computed(format!("<{name}{detail}>"), inner.all_refs(), mark))
            }
            "Condition" => {
                let cond = arg.as_scalar().unwrap_or("").to_string();
                let value = self.condition(&cond, mark);
                Some(V::text(value.map(|b| b.to_string()).unwrap_or_else(|| "<condition>".into()), mark))
            }
            "Fn::Equals" | "Fn::Not" | "Fn::And" | "Fn::Or" => {
                let node = Node { value: NodeValue::Map(vec![(scalar(name, mark), arg.clone())]), mark, tag: None };
                let value = self.condition_node(&node);
                Some(V::text(value.map(|b| b.to_string()).unwrap_or_else(|| "<condition>".into()), mark))
            }
            other => {
                self.warn(mark, format!("unsupported intrinsic function `{other}`; kept as a placeholder"));
                Some(self.computed(format!("<{other}>"), Vec::new(), mark))
            }
        }
    }

    /// `Fn::GetAtt`: a resource and one of its attributes.
    fn get_att(&mut self, arg: &Node, mark: Mark) -> Option<V> {
        let (id, attr) = match (&arg.value, arg.as_scalar()) {
            (_, Some(text)) => match text.split_once('.') {
                Some((a, b)) => (a.to_string(), b.to_string()),
                None => (text.to_string(), String::new()),
            },
            (NodeValue::Seq(items), None) if items.len() == 2 => {
                let a = self.scalar_arg(&items[0]).unwrap_or_default();
                let b = self.scalar_arg(&items[1]).unwrap_or_default();
                (a, b)
            }
            _ => {
                self.warn(mark, "`Fn::GetAtt` expects `Resource.Attribute` or [Resource, Attribute]".into());
                return Some(V::null(mark));
            }
        };
        if !self.resources.contains(&id) {
            self.warn(mark, format!("`Fn::GetAtt` names `{id}`, which is not a resource of this template"));
        }
        Some(self.computed(format!("{id}.{attr}"), vec![RefTo { id, attr: Some(attr) }], mark))
    }

    /// `Fn::Sub`: a template with `${…}` placeholders and optional variables.
    fn substitute(&mut self, arg: &Node, mark: Mark) -> Option<V> {
        let (template, vars) = match &arg.value {
            NodeValue::Seq(items) if items.len() == 2 => {
                let mut vars = HashMap::new();
                if let Some(entries) = items[1].as_map() {
                    for (k, v) in entries {
                        if let Some(key) = k.as_scalar() {
                            let val = self.eval(v);
                            vars.insert(key.to_string(), val);
                        }
                    }
                }
                (items[0].as_scalar().map(str::to_string), vars)
            }
            _ => (arg.as_scalar().map(str::to_string), HashMap::new()),
        };
        let Some(template) = template else {
            self.warn(mark, "`Fn::Sub` expects a string or [string, variables]".into());
            return Some(V::null(mark));
        };
        Some(self.sub(&template, &vars, mark))
    }

    /// `Fn::Join`: a list joined by a separator.
    fn join(&mut self, arg: &Node, mark: Mark) -> Option<V> {
        let items = arg.as_seq().unwrap_or(&[]);
        if items.len() != 2 {
            self.warn(mark, "`Fn::Join` expects [separator, list]".into());
            return Some(V::null(mark));
        }
        let sep = items[0].as_scalar().unwrap_or("").to_string();
        let list = self.eval(&items[1]);
        let mut texts = Vec::new();
        let mut refs = Vec::new();
        let mut literal = true;
        for v in list.items() {
            match v.s() {
                Some(s) => {
                    texts.push(s.text.clone());
                    refs.extend(s.refs.iter().cloned());
                    literal &= s.literal;
                }
                None => texts.push(v.render()),
            }
        }
        Some(V { kind: VK::Str(S { text: texts.join(&sep), refs, literal }), mark })
    }

    /// `Fn::If`: one of two values, by a condition (the first when undecided).
    fn if_condition(&mut self, arg: &Node, mark: Mark) -> Option<V> {
        let items = arg.as_seq().unwrap_or(&[]);
        if items.len() != 3 {
            self.warn(mark, "`Fn::If` expects [condition, value if true, value if false]".into());
            return Some(V::null(mark));
        }
        let cond = items[0].as_scalar().unwrap_or("").to_string();
        match self.condition(&cond, mark) {
            Some(false) => self.eval_opt(&items[2]),
            Some(true) => self.eval_opt(&items[1]),
            None => {
                self.warn(mark, format!("condition `{cond}` cannot be decided from the template; assuming it holds"));
                self.eval_opt(&items[1])
            }
        }
    }

    /// `Fn::Select`: one item of a list.
    fn select(&mut self, arg: &Node, mark: Mark) -> Option<V> {
        let items = arg.as_seq().unwrap_or(&[]);
        if items.len() != 2 {
            self.warn(mark, "`Fn::Select` expects [index, list]".into());
            return Some(V::null(mark));
        }
        let index = self.eval(&items[0]).int();
        let list = self.eval(&items[1]);
        match (index, &list.kind) {
            (Some(i), VK::List(values)) if i >= 0 && (i as usize) < values.len() => Some(values[i as usize].clone()),
            _ => {
                self.warn(mark, "cannot resolve `Fn::Select`".into());
                Some(self.computed("<Fn::Select>".into(), list.all_refs(), mark))
            }
        }
    }

    /// `Fn::FindInMap`: a value of the template's `Mappings`.
    fn find_in_map(&mut self, arg: &Node, mark: Mark) -> Option<V> {
        let items = arg.as_seq().unwrap_or(&[]);
        let keys: Vec<Option<String>> = items.iter().take(3).map(|i| self.scalar_arg(i)).collect();
        if let [Some(a), Some(b), Some(c)] = keys.as_slice() {
            let found =
                self.mappings.as_ref().and_then(|m| m.get(a)).and_then(|m| m.get(b)).and_then(|m| m.get(c)).cloned();
            if let Some(node) = found {
                return self.eval_opt(&node);
            }
        }
        self.warn(mark, "cannot resolve `Fn::FindInMap` from the template's Mappings".into());
        Some(self.computed("<Fn::FindInMap>".into(), Vec::new(), mark))
    }

    /// `Fn::Split`: a string split into a list.
    fn split(&mut self, arg: &Node, mark: Mark) -> Option<V> {
        let items = arg.as_seq().unwrap_or(&[]);
        if items.len() == 2 {
            let sep = items[0].as_scalar().unwrap_or(",").to_string();
            let v = self.eval(&items[1]);
            if let (Some(s), false) = (v.s(), sep.is_empty()) {
                let list = s.text.split(sep.as_str()).map(|p| V::text(p, mark)).collect();
                return Some(V { kind: VK::List(list), mark });
            }
        }
        self.warn(mark, "cannot resolve `Fn::Split`".into());
        Some(V { kind: VK::List(Vec::new()), mark })
    }

    fn reference(&mut self, target: &str, mark: Mark) -> Option<V> {
        if target == "AWS::NoValue" {
            return None;
        }
        if PSEUDO.contains(&target) {
            return Some(self.computed(format!("${{{target}}}"), Vec::new(), mark));
        }
        if let Some(default) = self.params.get(target).cloned() {
            return Some(match default {
                Some(node) => {
                    let mut v = self.eval(&node);
                    v.mark = mark;
                    v
                }
                None => {
                    self.warn(mark, format!("parameter `{target}` has no default; kept as a placeholder"));
                    self.computed(format!("${{{target}}}"), Vec::new(), mark)
                }
            });
        }
        if !self.resources.contains(target) {
            self.warn(
                mark,
                format!("`Ref` names `{target}`, which is neither a parameter nor a resource of this template"),
            );
        }
        Some(self.computed(target.to_string(), vec![RefTo { id: target.to_string(), attr: None }], mark))
    }

    fn sub(&mut self, template: &str, vars: &HashMap<String, V>, mark: Mark) -> V {
        let mut text = String::new();
        let mut refs = Vec::new();
        let mut literal = true;
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            text.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                text.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = after[..end].trim();
            rest = &after[end + 1..];
            if let Some(lit) = name.strip_prefix('!') {
                text.push_str(&format!("${{{lit}}}"));
                continue;
            }
            let value = if let Some(v) = vars.get(name) {
                Some(v.clone())
            } else if let Some((id, attr)) =
                name.split_once('.').filter(|_| !PSEUDO.contains(&name) && !self.params.contains_key(name))
            {
                if !self.resources.contains(id) {
                    self.warn(mark, format!("`Fn::Sub` names `{id}`, which is not a resource of this template"));
                }
                Some(self.computed(
                    name.to_string(),
                    vec![RefTo { id: id.to_string(), attr: Some(attr.to_string()) }],
                    mark,
                ))
            } else {
                self.reference(name, mark)
            };
            match value.as_ref().and_then(V::s) {
                Some(s) => {
                    text.push_str(&s.text);
                    refs.extend(s.refs.iter().cloned());
                    literal &= s.literal;
                }
                None => literal = false,
            }
        }
        text.push_str(rest);
        V { kind: VK::Str(S { text, refs, literal }), mark }
    }

    /// Value of a named condition, `None` when it depends on the deployment.
    pub fn condition(&mut self, name: &str, mark: Mark) -> Option<bool> {
        if let Some(v) = self.condition_cache.get(name) {
            return *v;
        }
        let Some(node) = self.conditions.get(name).cloned() else {
            self.warn(mark, format!("unknown condition `{name}`"));
            return None;
        };
        if !self.evaluating.insert(name.to_string()) {
            self.warn(mark, format!("condition `{name}` refers to itself"));
            return None;
        }
        let value = self.condition_node(&node);
        self.evaluating.remove(name);
        self.condition_cache.insert(name.to_string(), value);
        value
    }

    fn condition_node(&mut self, n: &Node) -> Option<bool> {
        let (name, arg) = intrinsic(n).or_else(|| {
            let (k, v) = n.as_map()?.first()?;
            (k.as_scalar()? == "Condition").then(|| ("Condition".to_string(), v.clone()))
        })?;
        let items = arg.as_seq().unwrap_or(&[]);
        match name.as_str() {
            "Condition" => {
                let c = arg.as_scalar()?.to_string();
                self.condition(&c, n.mark)
            }
            "Fn::Equals" if items.len() == 2 => {
                let a = self.eval(&items[0]);
                let b = self.eval(&items[1]);
                let known = |v: &V| {
                    v.s().is_some_and(|s| s.refs.is_empty() && !s.text.contains("${") && !s.text.starts_with('<'))
                };
                if known(&a) && known(&b) {
                    Some(a.str() == b.str())
                } else {
                    None
                }
            }
            "Fn::Not" => items.first().and_then(|c| self.condition_node(c)).map(|b| !b),
            "Fn::And" => {
                let values: Vec<Option<bool>> = items.iter().map(|c| self.condition_node(c)).collect();
                if values.contains(&Some(false)) {
                    Some(false)
                } else if values.iter().all(|v| *v == Some(true)) {
                    Some(true)
                } else {
                    None
                }
            }
            "Fn::Or" => {
                let values: Vec<Option<bool>> = items.iter().map(|c| self.condition_node(c)).collect();
                if values.contains(&Some(true)) {
                    Some(true)
                } else if values.iter().all(|v| *v == Some(false)) {
                    Some(false)
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

fn scalar(text: &str, mark: Mark) -> Node {
    Node { value: NodeValue::Scalar { text: text.to_string(), plain: true }, mark, tag: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{load, Limits};

    fn eval(text: &str, key: &str) -> (V, Env) {
        let root = load(text, Limits::default()).unwrap();
        let ids: Vec<String> = root
            .get("Resources")
            .and_then(Node::as_map)
            .unwrap_or(&[])
            .iter()
            .filter_map(|(k, _)| k.as_scalar().map(str::to_string))
            .collect();
        let mut env = Env::new(&root, ids);
        let v = env.eval(root.get("Values").unwrap().get(key).unwrap());
        (v, env)
    }

    const T: &str = "Parameters:\n  Stage: {Type: String, Default: prod}\nConditions:\n  IsProd: !Equals [!Ref Stage, prod]\n  NotProd: !Not [!Condition IsProd]\nResources:\n  Table: {Type: AWS::DynamoDB::Table}\n  Fn: {Type: AWS::Serverless::Function}\nValues:\n  a: !Ref Table\n  b: !GetAtt Table.Arn\n  c: !Sub 'arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Table}-${Stage}'\n  d: {'Fn::GetAtt': [Fn, Arn]}\n  e: !If [IsProd, big, small]\n  f: !If [NotProd, big, small]\n  g: !Join ['-', [x, !Ref Stage]]\n  h: !Select [1, [p, q, r]]\n  i: !Sub ['${X}/y', {X: !Ref Table}]\n  j: !Sub '${!Literal}'\n";

    #[test]
    fn intrinsics_resolve_to_text_and_references() {
        let (a, _) = eval(T, "a");
        assert_eq!(a.s().unwrap().refs, vec![RefTo { id: "Table".into(), attr: None }]);
        let (b, _) = eval(T, "b");
        assert_eq!(b.s().unwrap().refs[0].attr.as_deref(), Some("Arn"));
        let (c, _) = eval(T, "c");
        assert_eq!(c.str(), Some("arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/Table-prod"));
        assert_eq!(c.s().unwrap().refs.len(), 1);
        assert_eq!(eval(T, "d").0.s().unwrap().refs[0].id, "Fn");
        assert_eq!(eval(T, "e").0.str(), Some("big"));
        assert_eq!(eval(T, "f").0.str(), Some("small"));
        assert_eq!(eval(T, "g").0.str(), Some("x-prod"));
        assert_eq!(eval(T, "h").0.str(), Some("q"));
        assert_eq!(eval(T, "i").0.s().unwrap().refs[0].id, "Table");
        assert_eq!(eval(T, "j").0.str(), Some("${Literal}"));
    }

    #[test]
    fn globals_merge_deeply() {
        let g = load("Timeout: 10\nEnvironment: {Variables: {A: '1'}}\nLayers: [l1]\n", Limits::default()).unwrap();
        let l = load("Timeout: 30\nEnvironment: {Variables: {B: '2'}}\nLayers: [l2]\n", Limits::default()).unwrap();
        let mut env = Env::new(&g, Vec::new());
        let merged = merge_globals(&env.eval(&g), &env.eval(&l));
        assert_eq!(merged.get("Timeout").unwrap().int(), Some(30));
        assert_eq!(merged.at(&["Environment", "Variables"]).unwrap().map().len(), 2);
        assert_eq!(merged.get("Layers").unwrap().texts(), vec!["l1", "l2"]);
    }
}
