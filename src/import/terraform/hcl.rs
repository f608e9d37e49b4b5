//! Terraform configuration (`.tf` files) into resources: the blocks of a
//! directory are read with `hcl-rs`, variables (defaults, `terraform.tfvars`,
//! `*.auto.tfvars`), locals, `count` and `for_each` are evaluated as far as
//! they are static, local modules are flattened under their addresses
//! (`module.api.aws_lambda_function.handler`), and every expression that
//! names another resource becomes a CloudFormation-style reference (`Ref`,
//! `Fn::GetAtt`, `Fn::Join` for templates) that the shared AWS handlers
//! resolve. What cannot be evaluated statically is left unknown (null).
//!
//! Must not: know any resource type (that is `cfn`), or fail on an
//! expression it cannot evaluate.

use super::{camel, TfResource};
use crate::diag::{Diagnostic, Diagnostics};
use hcl::expr::{BinaryOperator, Expression, ObjectKey, Operation, TraversalOperator, UnaryOperator};
use hcl::structure::{Block, Body, Structure};
use hcl::template::{Element, Template};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// How deep locals, modules and expressions may nest before evaluation gives up.
const MAX_DEPTH: usize = 48;
/// Module instances and resources one import reads at most (a configuration past them is
/// not one a threat model can show; the rest is skipped with a warning).
const MAX_MODULES: usize = 500;
const MAX_RESOURCES: usize = 20_000;
/// Evaluation steps one module instance may take.
const EVAL_BUDGET: usize = 1_000_000;

/// One parsed `.tf` file.
pub struct Source {
    pub path: String,
    pub text: String,
    pub body: Body,
}

/// Parses a `.tf` file, with a located error for bad HCL.
pub fn parse(text: &str, path: &str) -> Result<Source, Diagnostics> {
    match hcl::parse(text) {
        Ok(body) => Ok(Source { path: path.to_string(), text: text.to_string(), body }),
        Err(hcl::Error::Parse(e)) => {
            let at = e.location();
            Err(Diagnostics::one(Diagnostic::new(
                path,
                at.line(),
                at.column(),
                format!("invalid HCL: {}", e.message().replace('\n', " ")),
            )))
        }
        Err(e) => Err(Diagnostics::one(Diagnostic::new(path, 1, 1, format!("invalid HCL: {e}")))),
    }
}

/// The `.tf` files of a directory (not its subdirectories), sorted, parsed.
pub fn read_dir(dir: &Path) -> Result<(Vec<Source>, Vec<Source>), Diagnostics> {
    let fail = |msg: String| Diagnostics::one(Diagnostic::new(&dir.display().to_string(), 0, 0, msg));
    let entries = std::fs::read_dir(dir).map_err(|e| fail(format!("cannot read the directory: {e}")))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut tf = Vec::new();
    let mut vars = Vec::new();
    for p in paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let is_tf = name.ends_with(".tf");
        let is_vars = name == "terraform.tfvars" || name.ends_with(".auto.tfvars");
        if !(is_tf || is_vars) || !p.is_file() {
            continue;
        }
        let text = crate::store::read_text(&p)?;
        let source = parse(&text, &p.display().to_string())?;
        if is_tf {
            tf.push(source);
        } else {
            vars.push(source);
        }
    }
    Ok((tf, vars))
}

/// A resource block before `count`/`for_each` expansion.
struct Decl<'a> {
    ty: String,
    name: String,
    block: &'a Block,
    file: usize,
    line: usize,
}

/// One module instance being evaluated: its address prefix and its scope.
struct Scope<'a> {
    prefix: String,
    vars: Map<String, Value>,
    locals: HashMap<String, &'a Expression>,
    /// Locals evaluated once (they cannot name `count` or `each`).
    local_values: std::cell::RefCell<HashMap<String, Value>>,
    /// Resource addresses (without prefix) declared here, with `count`/`for_each` keys when static.
    resources: HashMap<String, Option<Vec<Value>>>,
    /// Data sources by (type, name), evaluated on demand.
    data: HashMap<(String, String), &'a Block>,
    /// Module outputs, by module name then output name.
    module_outputs: HashMap<String, Map<String, Value>>,
    /// `count.index`, `each.key`, `each.value` of the instance being read.
    instance: Map<String, Value>,
    /// Evaluation steps left: locals that name each other many times over cannot take
    /// exponential time (what is left unevaluated is unknown).
    budget: std::cell::Cell<usize>,
}

/// What reading a directory gives: resources and warnings (file, line, message).
pub struct Read {
    pub resources: Vec<TfResource>,
    pub warnings: Vec<(String, usize, String)>,
    /// The directories of the modules being read, outermost first (a module that sources one
    /// of them would recurse forever).
    chain: Vec<PathBuf>,
    /// Module instances read so far.
    modules: usize,
}

/// Reads the resources of parsed `.tf` files (a module's directory is at `dir`).
pub fn resources(tf: &[Source], tfvars: &[Source], dir: Option<&Path>) -> Result<Read, Diagnostics> {
    let mut read = Read { resources: Vec::new(), warnings: Vec::new(), chain: Vec::new(), modules: 0 };
    if let Some(d) = dir {
        read.chain.push(d.canonicalize().unwrap_or_else(|_| d.to_path_buf()));
    }
    let mut inputs = Map::new();
    for v in tfvars {
        for s in v.body.iter() {
            if let Structure::Attribute(a) = s {
                let scope = Scope::empty(String::new());
                inputs.insert(a.key.to_string(), scope.eval(&a.expr, 0));
            }
        }
    }
    module(tf, dir, dir, String::new(), inputs, 0, &mut read)?;
    Ok(read)
}

/// The directory `terraform init` downloaded the module with key `key` (`api.handler` for a
/// module inside a module) to, from `.terraform/modules/modules.json` under the root module.
fn installed_module(root: &Path, key: &str) -> Option<PathBuf> {
    let text = std::fs::read_to_string(root.join(".terraform/modules/modules.json")).ok()?;
    let doc: Value = serde_json::from_str(&text).ok()?;
    let entry = doc.get("Modules")?.as_array()?.iter().find(|m| m.get("Key").and_then(Value::as_str) == Some(key))?;
    Some(root.join(entry.get("Dir")?.as_str()?))
}

fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle).map(|i| text[..i].matches('\n').count() + 1).unwrap_or(0)
}

/// Reads one module instance (the root has an empty prefix) into `read`, returning its outputs.
fn module(
    tf: &[Source],
    dir: Option<&Path>,
    root: Option<&Path>,
    prefix: String,
    inputs: Map<String, Value>,
    depth: usize,
    read: &mut Read,
) -> Result<Map<String, Value>, Diagnostics> {
    let mut scope = Scope::empty(prefix.clone());
    let mut decls = Vec::new();
    let mut outputs: Vec<(String, &Expression)> = Vec::new();
    let mut modules: Vec<(&Block, usize)> = Vec::new();
    for (fi, source) in tf.iter().enumerate() {
        for s in source.body.iter() {
            let Structure::Block(b) = s else { continue };
            let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
            match (b.identifier.as_str(), labels.as_slice()) {
                ("variable", [name]) => {
                    let default = attr(&b.body, "default").map(|e| scope.eval(e, 0)).unwrap_or(Value::Null);
                    let value = inputs.get(*name).cloned().unwrap_or(default);
                    scope.vars.insert(name.to_string(), value);
                }
                ("locals", []) => {
                    for s in b.body.iter() {
                        if let Structure::Attribute(a) = s {
                            scope.locals.insert(a.key.to_string(), &a.expr);
                        }
                    }
                }
                ("resource", [ty, name]) => {
                    let line = line_of(&source.text, &format!("\"{ty}\" \"{name}\""));
                    decls.push(Decl { ty: ty.to_string(), name: name.to_string(), block: b, file: fi, line });
                }
                ("data", [ty, name]) => {
                    scope.data.insert((ty.to_string(), name.to_string()), b);
                }
                ("output", [name]) => {
                    if let Some(e) = attr(&b.body, "value") {
                        outputs.push((name.to_string(), e));
                    }
                }
                ("module", [_]) => modules.push((b, fi)),
                _ => {}
            }
        }
    }
    // Resource addresses first, so references resolve in any order.
    for d in &decls {
        let keys = scope.instance_keys(d.block);
        scope.resources.insert(format!("{}.{}", d.ty, d.name), keys);
    }
    // Modules: local sources are flattened; their outputs become values.
    for (b, fi) in modules {
        let name = b.labels.first().map(|l| l.as_str()).unwrap_or("").to_string();
        let line = line_of(&tf[fi].text, &format!("module \"{name}\""));
        let source = attr(&b.body, "source").map(|e| scope.eval(e, 0));
        let local = source.as_ref().and_then(Value::as_str).filter(|s| s.starts_with("./") || s.starts_with("../"));
        // A registry or Git module that `terraform init` downloaded is read from `.terraform/modules`.
        let key = format!("{}{name}", prefix.replace("module.", ""));
        let sub = match (local, dir, root) {
            (Some(rel), Some(dir), _) => Some(dir.join(rel)),
            (None, _, Some(root)) => installed_module(root, &key),
            _ => None,
        };
        let Some(sub) = sub else {
            read.warnings.push((
                tf[fi].path.clone(),
                line,
                format!(
                    "module `{name}` has a remote or unknown source ({}); its resources are not imported \
                     (run `terraform init` to download it, or import `terraform show -json` output)",
                    source.map(|s| s.to_string()).unwrap_or_else(|| "none".into())
                ),
            ));
            continue;
        };
        let canonical = sub.canonicalize().unwrap_or_else(|_| sub.clone());
        let skip = if read.chain.contains(&canonical) {
            Some("sources a module that contains it (it would never end)")
        } else if depth >= 8 {
            Some("nests too deep")
        } else if read.modules >= MAX_MODULES || read.resources.len() >= MAX_RESOURCES {
            Some("is past the import's limit of module instances or resources")
        } else {
            None
        };
        if let Some(why) = skip {
            read.warnings.push((tf[fi].path.clone(), line, format!("module `{name}` {why}; skipped")));
            continue;
        }
        read.modules += 1;
        let mut inputs = Map::new();
        for s in b.body.iter() {
            if let Structure::Attribute(a) = s {
                if !matches!(a.key.as_str(), "source" | "version" | "providers" | "count" | "for_each" | "depends_on") {
                    inputs.insert(a.key.to_string(), scope.eval(&a.expr, 0));
                }
            }
        }
        if !sub.is_dir() {
            read.warnings.push((
                tf[fi].path.clone(),
                line,
                format!(
                    "module `{name}`: its source `{}` is not a directory here; its resources are not imported",
                    sub.display()
                ),
            ));
            continue;
        }
        let (sub_tf, _) = read_dir(&sub)?;
        read.chain.push(canonical);
        let out = module(&sub_tf, Some(&sub), root, format!("{prefix}module.{name}."), inputs, depth + 1, read);
        read.chain.pop();
        let out = out?;
        scope.module_outputs.insert(name, out);
    }
    for d in &decls {
        let keys = scope.resources.get(&format!("{}.{}", d.ty, d.name)).cloned().flatten();
        let path = &tf[d.file].path;
        let instances = instances(d, keys, path, read);
        for (suffix, inst) in instances {
            if read.resources.len() >= MAX_RESOURCES {
                read.warnings.push((
                    path.clone(),
                    d.line,
                    format!("more than {MAX_RESOURCES} resources; the rest are skipped"),
                ));
                break;
            }
            scope.instance = inst;
            let attrs = scope.body(&d.block.body, 0);
            read.resources.push(TfResource {
                address: format!("{prefix}{}.{}{suffix}", d.ty, d.name),
                ty: d.ty.clone(),
                attrs,
                file: path.clone(),
                line: d.line,
            });
        }
        scope.instance = Map::new();
    }
    Ok(outputs.into_iter().map(|(k, e)| (k, scope.eval(e, 0))).collect())
}

/// The instances of a resource: one per static `count` index or `for_each` key (with the
/// address suffix and the `count.index` / `each.*` values), else one.
fn instances(d: &Decl, keys: Option<Vec<Value>>, path: &str, read: &mut Read) -> Vec<(String, Map<String, Value>)> {
    match keys {
        None if has_attr(&d.block.body, "count") || has_attr(&d.block.body, "for_each") => {
            read.warnings.push((
                path.to_string(),
                d.line,
                format!("`{}.{}`: count or for_each is not static; imported as one instance", d.ty, d.name),
            ));
            vec![(String::new(), Map::new())]
        }
        None => vec![(String::new(), Map::new())],
        Some(keys) => keys
            .iter()
            .map(|k| {
                let mut inst = Map::new();
                match k {
                    Value::Number(_) => {
                        inst.insert("count.index".into(), k.clone());
                        (format!("[{k}]"), inst)
                    }
                    Value::Array(kv) => {
                        inst.insert("each.key".into(), kv[0].clone());
                        inst.insert("each.value".into(), kv[1].clone());
                        (format!("[{}]", kv[0]), inst)
                    }
                    _ => (String::new(), inst),
                }
            })
            .collect(),
    }
}

fn attr<'a>(body: &'a Body, key: &str) -> Option<&'a Expression> {
    body.iter().find_map(|s| match s {
        Structure::Attribute(a) if a.key.as_str() == key => Some(&a.expr),
        _ => None,
    })
}

fn has_attr(body: &Body, key: &str) -> bool {
    attr(body, key).is_some()
}

impl<'a> Scope<'a> {
    fn empty(prefix: String) -> Scope<'a> {
        Scope {
            prefix,
            vars: Map::new(),
            locals: HashMap::new(),
            local_values: std::cell::RefCell::new(HashMap::new()),
            resources: HashMap::new(),
            data: HashMap::new(),
            module_outputs: HashMap::new(),
            instance: Map::new(),
            budget: std::cell::Cell::new(EVAL_BUDGET),
        }
    }

    /// The instance keys of a block with a static `count` (numbers) or `for_each` ([key, value]
    /// pairs); `None` when it has neither or they are not static.
    fn instance_keys(&self, block: &Block) -> Option<Vec<Value>> {
        if let Some(e) = attr(&block.body, "count") {
            let n = self.eval(e, 0).as_u64()?;
            return Some((0..n.min(1000)).map(|i| json!(i)).collect());
        }
        let e = attr(&block.body, "for_each")?;
        match self.eval(e, 0) {
            Value::Object(m) => Some(m.into_iter().map(|(k, v)| json!([k, v])).collect()),
            Value::Array(items) => {
                let mut seen = HashSet::new();
                Some(
                    items
                        .into_iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .filter(|s| seen.insert(s.clone()))
                        .map(|s| json!([s, s]))
                        .collect(),
                )
            }
            _ => None,
        }
    }

    /// A block body as an object: attributes evaluated, nested blocks as arrays of objects
    /// (`dynamic` blocks are left out: their content is not static).
    fn body(&self, body: &Body, depth: usize) -> Value {
        let mut out = Map::new();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    if !matches!(a.key.as_str(), "count" | "for_each" | "depends_on" | "provider" | "lifecycle") {
                        out.insert(a.key.to_string(), self.eval(&a.expr, depth));
                    }
                }
                Structure::Block(b) if depth < MAX_DEPTH && b.identifier.as_str() != "dynamic" => {
                    let v = self.body(&b.body, depth + 1);
                    match out.entry(b.identifier.to_string()).or_insert_with(|| Value::Array(Vec::new())) {
                        Value::Array(items) => items.push(v),
                        other => *other = Value::Array(vec![v]),
                    }
                }
                Structure::Block(_) => {}
            }
        }
        Value::Object(out)
    }

    /// Evaluates an expression as far as it is static; references to resources become
    /// CloudFormation-style references, and what is unknown is null.
    fn eval(&self, e: &Expression, depth: usize) -> Value {
        if depth > MAX_DEPTH || self.budget.get() == 0 {
            return Value::Null;
        }
        self.budget.set(self.budget.get() - 1);
        let d = depth + 1;
        match e {
            Expression::Null => Value::Null,
            Expression::Bool(b) => Value::Bool(*b),
            Expression::Number(n) => serde_json::to_value(n).unwrap_or(Value::Null),
            Expression::String(s) => Value::String(s.clone()),
            Expression::Array(items) => Value::Array(items.iter().map(|i| self.eval(i, d)).collect()),
            Expression::Object(map) => Value::Object(
                map.iter()
                    .filter_map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Identifier(i) => i.to_string(),
                            ObjectKey::Expression(e) => match self.eval(e, d) {
                                Value::String(s) => s,
                                Value::Null => return None,
                                other => other.to_string(),
                            },
                            _ => return None,
                        };
                        Some((key, self.eval(v, d)))
                    })
                    .collect(),
            ),
            Expression::TemplateExpr(t) => match Template::from_expr(t) {
                Ok(t) => self.template(&t, d),
                Err(_) => Value::Null,
            },
            Expression::Variable(v) => self.traverse(v.as_str(), &[], d),
            Expression::Traversal(t) => match &t.expr {
                Expression::Variable(v) => self.traverse(v.as_str(), &t.operators, d),
                other => {
                    let base = self.eval(other, d);
                    self.apply(base, &t.operators, d)
                }
            },
            Expression::FuncCall(f) => self.call(f.name.name.as_str(), &f.args, d),
            Expression::Parenthesis(e) => self.eval(e, d),
            Expression::Conditional(c) => match self.eval(&c.cond_expr, d) {
                Value::Bool(true) => self.eval(&c.true_expr, d),
                Value::Bool(false) => self.eval(&c.false_expr, d),
                // Unknown: the true branch, as the CloudFormation importer takes `!If`.
                _ => self.eval(&c.true_expr, d),
            },
            Expression::Operation(op) => self.operation(op, d),
            Expression::ForExpr(_) => Value::Null,
            _ => Value::Null,
        }
    }

    fn template(&self, t: &Template, depth: usize) -> Value {
        let mut parts: Vec<Value> = Vec::new();
        for el in t.elements() {
            match el {
                Element::Literal(s) => parts.push(Value::String(s.clone())),
                Element::Interpolation(i) => parts.push(self.eval(&i.expr, depth)),
                Element::Directive(_) => return Value::Null,
            }
        }
        join(parts)
    }

    fn operation(&self, op: &Operation, d: usize) -> Value {
        match op {
            Operation::Unary(u) => match (u.operator, self.eval(&u.expr, d)) {
                (UnaryOperator::Not, Value::Bool(b)) => Value::Bool(!b),
                (UnaryOperator::Neg, Value::Number(n)) => n.as_f64().map(|f| json!(-f)).unwrap_or(Value::Null),
                _ => Value::Null,
            },
            Operation::Binary(b) => {
                let (l, r) = (self.eval(&b.lhs_expr, d), self.eval(&b.rhs_expr, d));
                let known = !l.is_null() && !r.is_null() && !is_reference(&l) && !is_reference(&r);
                match b.operator {
                    BinaryOperator::Eq if known => Value::Bool(l == r),
                    BinaryOperator::NotEq if known => Value::Bool(l != r),
                    BinaryOperator::And => match (l, r) {
                        (Value::Bool(a), Value::Bool(b)) => Value::Bool(a && b),
                        _ => Value::Null,
                    },
                    BinaryOperator::Or => match (l, r) {
                        (Value::Bool(a), Value::Bool(b)) => Value::Bool(a || b),
                        _ => Value::Null,
                    },
                    op => match (l.as_f64(), r.as_f64()) {
                        (Some(a), Some(c)) => match op {
                            BinaryOperator::Plus => number(a + c),
                            BinaryOperator::Minus => number(a - c),
                            BinaryOperator::Mul => number(a * c),
                            BinaryOperator::Div if c != 0.0 => number(a / c),
                            BinaryOperator::Greater => Value::Bool(a > c),
                            BinaryOperator::GreaterEq => Value::Bool(a >= c),
                            BinaryOperator::Less => Value::Bool(a < c),
                            BinaryOperator::LessEq => Value::Bool(a <= c),
                            _ => Value::Null,
                        },
                        _ => Value::Null,
                    },
                }
            }
        }
    }

    /// The few functions whose result matters to the model; others are unknown.
    fn call(&self, name: &str, args: &[Expression], d: usize) -> Value {
        let arg = |i: usize| args.get(i).map(|a| self.eval(a, d)).unwrap_or(Value::Null);
        match name {
            // A policy or pattern written with jsonencode is kept as the document itself.
            "jsonencode" | "tostring" | "tolist" | "toset" | "tomap" | "tonumber" | "tobool" | "sensitive"
            | "nonsensitive" => arg(0),
            "jsondecode" => match arg(0) {
                Value::String(s) => serde_json::from_str(&s).unwrap_or(Value::Null),
                other => other,
            },
            "lower" => arg(0).as_str().map(|s| Value::String(s.to_lowercase())).unwrap_or(Value::Null),
            "upper" => arg(0).as_str().map(|s| Value::String(s.to_uppercase())).unwrap_or(Value::Null),
            "merge" => {
                let mut out = Map::new();
                for i in 0..args.len() {
                    if let Value::Object(m) = arg(i) {
                        out.extend(m);
                    }
                }
                Value::Object(out)
            }
            "concat" => Value::Array(
                (0..args.len())
                    .flat_map(|i| match arg(i) {
                        Value::Array(items) => items,
                        _ => Vec::new(),
                    })
                    .collect(),
            ),
            "coalesce" | "try" => (0..args.len()).map(arg).find(|v| !v.is_null()).unwrap_or(Value::Null),
            "lookup" => match (arg(0), arg(1)) {
                (Value::Object(m), Value::String(k)) => m.get(&k).cloned().unwrap_or_else(|| arg(2)),
                _ => arg(2),
            },
            "element" => match (arg(0), arg(1).as_u64()) {
                (Value::Array(items), Some(i)) if !items.is_empty() => items[i as usize % items.len()].clone(),
                _ => Value::Null,
            },
            "length" => match arg(0) {
                Value::Array(items) => json!(items.len()),
                Value::Object(m) => json!(m.len()),
                Value::String(s) => json!(s.chars().count()),
                _ => Value::Null,
            },
            "format" => match arg(0) {
                Value::String(f) => {
                    let mut parts = Vec::new();
                    let mut rest = f.as_str();
                    let mut i = 1;
                    while let Some(at) = rest.find("%s").or_else(|| rest.find("%d")) {
                        parts.push(Value::String(rest[..at].to_string()));
                        parts.push(arg(i));
                        i += 1;
                        rest = &rest[at + 2..];
                    }
                    parts.push(Value::String(rest.to_string()));
                    join(parts)
                }
                _ => Value::Null,
            },
            "join" => match (arg(0), arg(1)) {
                (Value::String(sep), Value::Array(items)) => {
                    let mut parts = Vec::new();
                    for (i, it) in items.into_iter().enumerate() {
                        if i > 0 {
                            parts.push(Value::String(sep.clone()));
                        }
                        parts.push(it);
                    }
                    join(parts)
                }
                _ => Value::Null,
            },
            _ => Value::Null,
        }
    }

    /// A name with traversal operators: `var.x`, `local.y`, `aws_s3_bucket.b.arn`,
    /// `data.aws_iam_policy_document.p.json`, `module.m.out`, `count.index`, `each.value.k`.
    fn traverse(&self, root: &str, ops: &[TraversalOperator], d: usize) -> Value {
        let attr_at = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        match root {
            "var" => {
                let v = attr_at(0).and_then(|n| self.vars.get(n)).cloned().unwrap_or(Value::Null);
                self.apply(v, ops.get(1..).unwrap_or(&[]), d)
            }
            "local" => {
                let Some(name) = attr_at(0) else { return Value::Null };
                let known = self.local_values.borrow().get(name).cloned();
                let v = match known {
                    Some(v) => v,
                    None => {
                        let v = self.locals.get(name).map(|e| self.eval(e, d + 4)).unwrap_or(Value::Null);
                        // Only a complete evaluation is kept (one cut short by depth is not).
                        if d < MAX_DEPTH / 2 {
                            self.local_values.borrow_mut().insert(name.to_string(), v.clone());
                        }
                        v
                    }
                };
                self.apply(v, ops.get(1..).unwrap_or(&[]), d)
            }
            "count" | "each" => {
                let Some(name) = attr_at(0) else { return Value::Null };
                let v = self.instance.get(&format!("{root}.{name}")).cloned().unwrap_or(Value::Null);
                self.apply(v, ops.get(1..).unwrap_or(&[]), d)
            }
            "module" => {
                let (Some(m), Some(out)) = (attr_at(0), attr_at(1)) else { return Value::Null };
                let v = self.module_outputs.get(m).and_then(|o| o.get(out)).cloned().unwrap_or(Value::Null);
                self.apply(v, ops.get(2..).unwrap_or(&[]), d)
            }
            "data" => {
                let (Some(ty), Some(name)) = (attr_at(0), attr_at(1)) else { return Value::Null };
                let block = self.data.get(&(ty.to_string(), name.to_string()));
                match (ty, block, attr_at(2)) {
                    ("aws_iam_policy_document", Some(block), Some("json" | "minified_json")) => {
                        self.policy_document(block, d)
                    }
                    // A managed policy looked up by name: its ARN, so the policy table knows it.
                    ("aws_iam_policy", Some(block), Some("arn")) => {
                        match (attr(&block.body, "arn"), attr(&block.body, "name")) {
                            (Some(arn), _) => self.eval(arn, d),
                            (None, Some(name)) => match self.eval(name, d) {
                                Value::String(n) => Value::String(format!("arn:aws:iam::aws:policy/{n}")),
                                _ => Value::Null,
                            },
                            _ => Value::Null,
                        }
                    }
                    _ => Value::Null,
                }
            }
            "path" | "terraform" | "self" => Value::Null,
            ty => self.resource_reference(ty, ops),
        }
    }

    /// `aws_x.name[index].attr` as `Ref`/`Fn::GetAtt` of the instance's address.
    fn resource_reference(&self, ty: &str, ops: &[TraversalOperator]) -> Value {
        let Some(TraversalOperator::GetAttr(name)) = ops.first() else { return Value::Null };
        let base = format!("{ty}.{}", name.as_str());
        let Some(keys) = self.resources.get(&base) else { return Value::Null };
        let mut rest = &ops[1..];
        let reference = |suffix: String, rest: &[TraversalOperator]| {
            let address = format!("{}{base}{suffix}", self.prefix);
            let attr = match rest.first() {
                Some(TraversalOperator::GetAttr(a)) => a.as_str(),
                _ => "id",
            };
            reference_to(&address, attr)
        };
        match (rest.first(), keys) {
            (Some(TraversalOperator::Index(i)), _) => {
                let key = self.eval(i, 0);
                rest = &rest[1..];
                reference(format!("[{key}]"), rest)
            }
            (Some(TraversalOperator::LegacyIndex(i)), _) => reference(format!("[{i}]"), &rest[1..]),
            (Some(TraversalOperator::AttrSplat | TraversalOperator::FullSplat), Some(keys)) => Value::Array(
                keys.iter()
                    .map(|k| {
                        let key = if let Value::Array(kv) = k { kv[0].clone() } else { k.clone() };
                        reference(format!("[{key}]"), &rest[1..])
                    })
                    .collect(),
            ),
            (_, Some(keys)) if !keys.is_empty() => {
                // A counted resource named without its index: its first instance.
                let key = if let Value::Array(kv) = &keys[0] { kv[0].clone() } else { keys[0].clone() };
                reference(format!("[{key}]"), rest)
            }
            _ => reference(String::new(), rest),
        }
    }

    /// Applies attribute and index operators to a value.
    fn apply(&self, mut v: Value, ops: &[TraversalOperator], d: usize) -> Value {
        for op in ops {
            v = match (op, v) {
                (TraversalOperator::GetAttr(a), Value::Object(mut m)) => m.remove(a.as_str()).unwrap_or(Value::Null),
                (TraversalOperator::Index(i), Value::Array(items)) => {
                    self.eval(i, d).as_u64().and_then(|i| items.get(i as usize).cloned()).unwrap_or(Value::Null)
                }
                (TraversalOperator::Index(i), Value::Object(mut m)) => match self.eval(i, d) {
                    Value::String(k) => m.remove(&k).unwrap_or(Value::Null),
                    _ => Value::Null,
                },
                (TraversalOperator::LegacyIndex(i), Value::Array(items)) => {
                    items.get(*i as usize).cloned().unwrap_or(Value::Null)
                }
                _ => Value::Null,
            };
        }
        v
    }

    /// An `aws_iam_policy_document` data source as the JSON policy it renders.
    fn policy_document(&self, block: &Block, d: usize) -> Value {
        let body = self.body(&block.body, d);
        let mut statements = Vec::new();
        for s in body.get("statement").and_then(Value::as_array).cloned().unwrap_or_default() {
            let mut st = Map::new();
            st.insert("Effect".into(), s.get("effect").cloned().unwrap_or_else(|| json!("Allow")));
            for (tf, cfn) in [
                ("sid", "Sid"),
                ("actions", "Action"),
                ("not_actions", "NotAction"),
                ("resources", "Resource"),
                ("not_resources", "NotResource"),
            ] {
                if let Some(v) = s.get(tf) {
                    st.insert(cfn.into(), v.clone());
                }
            }
            for (tf, cfn) in [("principals", "Principal"), ("not_principals", "NotPrincipal")] {
                let mut principal = Map::new();
                for p in s.get(tf).and_then(Value::as_array).cloned().unwrap_or_default() {
                    let ty = p.get("type").and_then(Value::as_str).unwrap_or("AWS").to_string();
                    let ids = p.get("identifiers").cloned().unwrap_or(Value::Null);
                    if ty == "*" {
                        st.insert(cfn.into(), json!("*"));
                        continue;
                    }
                    principal.insert(ty, ids);
                }
                if !principal.is_empty() {
                    st.insert(cfn.into(), Value::Object(principal));
                }
            }
            let mut condition: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
            for c in s.get("condition").and_then(Value::as_array).cloned().unwrap_or_default() {
                let (Some(test), Some(var)) =
                    (c.get("test").and_then(Value::as_str), c.get("variable").and_then(Value::as_str))
                else {
                    continue;
                };
                condition
                    .entry(test.to_string())
                    .or_default()
                    .insert(var.to_string(), c.get("values").cloned().unwrap_or(Value::Null));
            }
            if !condition.is_empty() {
                st.insert("Condition".into(), serde_json::to_value(condition).unwrap_or(Value::Null));
            }
            statements.push(Value::Object(st));
        }
        json!({ "Version": "2012-10-17", "Statement": statements })
    }
}

fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        json!(f as i64)
    } else {
        json!(f)
    }
}

/// Whether a value is a reference to a resource (`Ref`, `Fn::GetAtt`, `Fn::Join`).
pub fn is_reference(v: &Value) -> bool {
    v.as_object().is_some_and(|m| m.len() == 1 && m.keys().any(|k| k == "Ref" || k.starts_with("Fn::")))
}

/// The reference to `attr` of the resource at `address`: `Ref` for its id or name,
/// `Fn::GetAtt` (attribute in CloudFormation's spelling) otherwise.
pub fn reference_to(address: &str, attr: &str) -> Value {
    match attr {
        "id" | "name" | "bucket" | "url" | "function_name" => json!({ "Ref": address }),
        other => json!({ "Fn::GetAtt": [address, camel(other)] }),
    }
}

/// Template parts as one value: a single part as itself, known text joined, anything with a
/// reference as `Fn::Join`, anything unknown as null.
fn join(parts: Vec<Value>) -> Value {
    if parts.iter().any(Value::is_null) {
        return if parts.iter().any(is_reference) {
            // Keep the references, so what the text names still resolves.
            json!({ "Fn::Join": ["", parts.into_iter().filter(|p| !p.is_null()).collect::<Vec<_>>()] })
        } else {
            Value::Null
        };
    }
    let parts: Vec<Value> = parts.into_iter().filter(|p| p.as_str() != Some("")).collect();
    if parts.len() == 1 {
        return parts.into_iter().next().unwrap_or(Value::Null);
    }
    if parts.iter().all(|p| !is_reference(p) && !p.is_object() && !p.is_array()) {
        let text: String = parts
            .iter()
            .map(|p| match p {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        return Value::String(text);
    }
    json!({ "Fn::Join": ["", parts] })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Read {
        let source = parse(text, "main.tf").expect("valid HCL");
        resources(&[source], &[], None).expect("resources")
    }

    #[test]
    fn variables_locals_and_count_are_evaluated_and_references_become_cfn_references() {
        let r = read(
            "variable \"env\" { default = \"prod\" }\nlocals { name = \"orders-${var.env}\" }\n\
             resource \"aws_sqs_queue\" \"q\" {\n  count = 2\n  name = \"${local.name}-${count.index}\"\n}\n\
             resource \"aws_lambda_function\" \"f\" {\n  role = aws_iam_role.r.arn\n  environment {\n    \
             variables = { QUEUE = aws_sqs_queue.q[1].url }\n  }\n}\nresource \"aws_iam_role\" \"r\" {}\n",
        );
        let addresses: Vec<&str> = r.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(addresses, ["aws_sqs_queue.q[0]", "aws_sqs_queue.q[1]", "aws_lambda_function.f", "aws_iam_role.r"]);
        assert_eq!(r.resources[1].attrs["name"], "orders-prod-1");
        assert_eq!(r.resources[2].attrs["role"], json!({"Fn::GetAtt": ["aws_iam_role.r", "Arn"]}));
        assert_eq!(r.resources[2].attrs["environment"][0]["variables"]["QUEUE"], json!({"Ref": "aws_sqs_queue.q[1]"}));
        assert_eq!(r.resources[2].line, 7);
    }

    #[test]
    fn a_policy_document_data_source_renders_as_its_json_policy() {
        let r = read(
            "data \"aws_iam_policy_document\" \"p\" {\n  statement {\n    actions = [\"s3:GetObject\"]\n    \
             resources = [\"${aws_s3_bucket.b.arn}/*\"]\n  }\n}\nresource \"aws_s3_bucket\" \"b\" {}\n\
             resource \"aws_iam_policy\" \"x\" { policy = data.aws_iam_policy_document.p.json }\n",
        );
        let policy = &r.resources[1].attrs["policy"];
        assert_eq!(policy["Statement"][0]["Effect"], "Allow");
        assert_eq!(policy["Statement"][0]["Action"], json!(["s3:GetObject"]));
        assert_eq!(
            policy["Statement"][0]["Resource"][0],
            json!({"Fn::Join": ["", [{"Fn::GetAtt": ["aws_s3_bucket.b", "Arn"]}, "/*"]]})
        );
    }

    #[test]
    fn locals_that_name_each_other_over_and_over_end_quickly() {
        let mut text = String::from("locals {\n");
        for i in 0..30 {
            let next = (i + 1) % 30;
            text.push_str(&format!("  l{i} = [local.l{next}, local.l{next}, local.l{next}, local.l{next}]\n"));
        }
        text.push_str("}\nresource \"aws_sqs_queue\" \"q\" { name = local.l0 }\n");
        let r = read(&text);
        assert_eq!(r.resources.len(), 1);
    }

    #[test]
    fn a_module_that_sources_its_own_directory_is_skipped_with_a_located_warning() {
        let dir = std::env::temp_dir().join(format!("tw-tf-self-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = "module \"a\" { source = \"./\" }\nmodule \"b\" { source = \"../tw-tf-self-x\" }\n\
                    resource \"aws_sqs_queue\" \"q\" { count = 3 }\n";
        std::fs::write(dir.join("main.tf"), text).unwrap();
        let (tf, vars) = read_dir(&dir).unwrap();
        let r = resources(&tf, &vars, Some(&dir)).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(r.resources.len(), 3);
        let a = r.warnings.iter().find(|w| w.2.contains("module `a`")).expect("a warning about `a`");
        assert!(a.2.contains("contains it") && a.1 == 1, "{a:?}");
        let b = r.warnings.iter().find(|w| w.2.contains("module `b`")).expect("a warning about `b`");
        assert_eq!(b.1, 2, "located at its line: {b:?}");
    }

    #[test]
    fn bad_hcl_is_a_located_error() {
        let Err(e) = parse("resource \"a\" \"b\" {\n  x = \n}\n", "bad.tf") else { panic!("accepted bad HCL") };
        let d = e.to_string();
        assert!(d.starts_with("bad.tf:3:") || d.starts_with("bad.tf:2:"), "{d}");
    }
}
