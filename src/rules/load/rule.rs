//! Parses one rule of a rule file: its metadata (id, title, STRIDE
//! category, scores, mitigations, references, compliance tags), where it
//! applies, its examples, and which risk context its condition prices in.
//! Must not: parse conditions itself (that is `cond.rs`) or read files.

use super::cond::{category_names, parse_cond, CondScope};
use super::reader::Reader;
use super::Retired;
use crate::diag::Diagnostic;
use crate::graph::{FactDef, Prices};
use crate::model::kind::{category_kind, VENDORS};
use crate::model::ElementKind;
use crate::rules::{AppliesTo, Cond, Example, LessLikely, Mitigation, References, Rule, Stride, FRAMEWORKS, PRACTICES};
use crate::yaml::{self, Node, NodeValue};

const RULE_KEYS: &[&str] = &[
    "id",
    "title",
    "category",
    "description",
    "applies_to",
    "when",
    "likelihood",
    "impact",
    "less_likely_when",
    "mitigations",
    "references",
    "compliance",
    "generic",
    "examples",
    "deprecated",
];

/// A rule of a file: active, or retired with its id kept reserved.
pub(super) enum Parsed {
    Active(Box<Rule>),
    Retired(Retired),
}

pub(super) fn parse_rule(p: &mut Reader, node: &Node) -> Option<Parsed> {
    if node.as_map().is_none() {
        p.err(node, format!("a rule must be a mapping, found {}", node.describe()));
        return None;
    }
    p.keys(node, "a rule", RULE_KEYS);
    if let Some(d) = node.get("deprecated") {
        return parse_retired(p, node, d).map(Parsed::Retired);
    }
    parse_active(p, node).map(|r| Parsed::Active(Box::new(r)))
}

/// A rule with `deprecated: {since, reason}`: only its id and the
/// retirement are read, since the rest may name what no longer exists.
fn parse_retired(p: &mut Reader, node: &Node, d: &Node) -> Option<Retired> {
    let before = p.diags.len();
    let id = parse_id(p, node);
    if d.as_map().is_none() {
        p.err(d, "`deprecated` expects `{since: VERSION or DATE, reason: TEXT}`");
        return None;
    }
    p.keys(d, "deprecated", &["since", "reason"]);
    let since = p.string(d.get("since"), d, "since", true).unwrap_or_default();
    let reason = p.string(d.get("reason"), d, "reason", true).unwrap_or_default();
    if p.diags.len() > before {
        return None;
    }
    Some(Retired { id, since, reason, file: p.file.to_string(), line: node.mark.line })
}

fn parse_active(p: &mut Reader, node: &Node) -> Option<Rule> {
    let before = p.diags.len();
    let id = parse_id(p, node);
    let title = p.string(node.get("title"), node, "title", true).unwrap_or_default();
    let description = p.string(node.get("description"), node, "description", true).unwrap_or_default();
    let category = parse_stride(p, node);
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
    let less_likely_when = parse_less_likely(p, node.get("less_likely_when"), &scope, likelihood);
    let mitigations = parse_mitigations(p, node.get("mitigations"), node);
    let references = parse_references(p, node.get("references"));
    let compliance = parse_compliance(p, node);
    let generic = match node.get("generic") {
        None => false,
        Some(g) => g.as_bool().unwrap_or_else(|| {
            p.err(g, "`generic`: expected true or false");
            false
        }),
    };
    let (fires, silent) = parse_examples(p, node.get("examples"), node);
    if p.diags.len() > before {
        return None;
    }
    Some(Rule {
        id,
        title,
        category: category?,
        description: description.into(),
        applies_to,
        uses_exposure: prices(&when, Prices::Exposure),
        uses_data: prices(&when, Prices::Data),
        uses_privilege: prices(&when, Prices::Privilege),
        when,
        likelihood,
        impact,
        less_likely_when,
        mitigations: mitigations.into(),
        references: references.into(),
        compliance: compliance.into(),
        generic,
        fires,
        silent,
        file: p.file.to_string(),
        line: node.mark.line,
    })
}

/// Whether the condition already asks about this risk context: a fact that
/// declares it in `FACTS`, or for data a `data:` or `tagged:` atom.
pub(crate) fn prices(when: &Cond, what: Prices) -> bool {
    when.any_atom(&|c| match c {
        Cond::Fact { fact, .. } => FactDef::get(*fact).prices_in == Some(what),
        Cond::Data(_) | Cond::Tagged(_) => what == Prices::Data,
        _ => false,
    })
}

/// `less_likely_when: [{when: CONDITION, likelihood: 1-5, because: TEXT}]`; the
/// likelihood must be lower than the rule's own.
fn parse_less_likely(p: &mut Reader, node: Option<&Node>, scope: &CondScope, base: u8) -> Vec<LessLikely> {
    let Some(node) = node else { return Vec::new() };
    let Some(items) = node.as_seq() else {
        p.err(node, "`less_likely_when` expects a list of {when, likelihood, because}");
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        if item.as_map().is_none() {
            p.err(item, format!("expected {{when, likelihood, because}}, found {}", item.describe()));
            continue;
        }
        p.keys(item, "a `less_likely_when` entry", &["when", "likelihood", "because"]);
        let when = match item.get("when") {
            Some(w) => parse_cond(p, w, scope),
            None => {
                p.err(item, "missing `when`");
                None
            }
        };
        let likelihood = p.score(item.get("likelihood"), item, "likelihood");
        if base > 0 && likelihood >= base {
            let at = item.get("likelihood").unwrap_or(item);
            p.err(at, format!("`likelihood` {likelihood} must be lower than the rule's likelihood {base}"));
        }
        let because = p.string(item.get("because"), item, "because", true);
        if let (Some(when), Some(because)) = (when, because) {
            out.push(LessLikely { when, likelihood, because });
        }
    }
    out
}

fn parse_id(p: &mut Reader, node: &Node) -> String {
    let id = p.string(node.get("id"), node, "id", true).unwrap_or_default();
    if !id.is_empty() && !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.') {
        p.err(node.get("id").unwrap_or(node), format!("rule id `{id}` may only use letters, digits, `-`, `_` and `.`"));
    }
    id
}

fn parse_stride(p: &mut Reader, node: &Node) -> Option<Stride> {
    let c = p.string(node.get("category"), node, "category", true)?;
    Stride::parse(&c).or_else(|| {
        p.err(node.get("category").unwrap_or(node), format!(
            "unknown STRIDE category `{c}`; expected Spoofing, Tampering, Repudiation, Information Disclosure, Denial of Service or Elevation of Privilege"
        ));
        None
    })
}

fn parse_compliance(p: &mut Reader, node: &Node) -> Vec<String> {
    let mut compliance = Vec::new();
    for (c, n) in p.strings(node.get("compliance"), "compliance") {
        if FRAMEWORKS.iter().any(|(id, _)| *id == c) {
            compliance.push(c);
        } else {
            p.err(&n, format!("unknown compliance framework `{c}`; expected hipaa, pci_dss, gdpr or soc2"));
        }
    }
    compliance
}

fn parse_applies(p: &mut Reader, node: Option<&Node>, parent: &Node) -> AppliesTo {
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

fn parse_mitigations(p: &mut Reader, node: Option<&Node>, parent: &Node) -> Vec<Mitigation> {
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
            if crate::rules::practice::practice(pr).is_none() {
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

fn parse_references(p: &mut Reader, node: Option<&Node>) -> References {
    let mut r = References::default();
    let Some(n) = node else { return r };
    p.keys(n, "references", &["cwe", "capec", "owasp_serverless", "csa", "other", "equivalents"]);
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
    if let Some(e) = n.get("equivalents") {
        let keys: Vec<&str> = r.equivalents.tools().iter().map(|(k, _, _)| *k).collect();
        p.keys(e, "equivalents", &keys);
        let eq = &mut r.equivalents;
        for (key, out) in [
            ("checkov", &mut eq.checkov),
            ("cfn_lint", &mut eq.cfn_lint),
            ("prowler", &mut eq.prowler),
            ("cdk_nag", &mut eq.cdk_nag),
        ] {
            for (s, sn) in p.strings(e.get(key), key) {
                if s.is_empty() || s.contains(char::is_whitespace) {
                    p.err(&sn, format!("`{key}` expects check ids without spaces, found `{s}`"));
                } else {
                    out.push(s);
                }
            }
        }
    }
    r
}

fn parse_examples(p: &mut Reader, node: Option<&Node>, parent: &Node) -> (Vec<Example>, Vec<Example>) {
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

fn parse_example(p: &mut Reader, node: &Node) -> Option<Example> {
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
    if !bad && !names_target(&model, &target) {
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

/// Whether `target` names an element or a flow `From -> To` of the model.
fn names_target(model: &crate::model::Model, target: &str) -> bool {
    model.elements.iter().any(|e| e.name == target)
        || target
            .split_once("->")
            .map(|(a, b)| {
                let (a, b) = (a.trim(), b.trim());
                model.flows.iter().any(|f| {
                    model.element(f.from).map(|e| e.name.as_str()) == Some(a)
                        && model.element(f.to).map(|e| e.name.as_str()) == Some(b)
                })
            })
            .unwrap_or(false)
}
