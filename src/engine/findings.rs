//! The engine's graph findings in a form a diagram can draw: attack paths
//! from each entry point to each sensitive store, the blast radius of every
//! function with grants, trigger loops, and the flows that cross a trust
//! boundary; and, per threat, the elements and flows its rationale names.
//!
//! Everything here is read off the `GraphView` the rules already used, so the
//! picture never disagrees with the register. Must not: compute new facts.

use crate::graph::{FactId, GraphView};
use crate::model::{Classification, ElementId, ElementKind, Grant, GrantTarget};
use crate::risk::Severity;
use crate::rules::{Cond, Subject};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use uuid::Uuid;

/// Breadth-first steps allowed for the per-entry-point attack paths; past it
/// (estates with thousands of entry points) only the shortest path to each
/// store is listed, which the facts already hold.
const PATH_SEARCH_BUDGET: usize = 2_000_000;

/// Paths listed per entry point at most, in all; past it (estates where
/// every entry point reaches hundreds of stores, which would list entry
/// points × stores paths) only the shortest path to each store is listed.
const PATH_LIST_BUDGET: usize = 2_000;

/// What the diagram can show of the graph facts.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GraphFindings {
    /// Shortest path from each entry point to each sensitive store it reaches.
    pub attack_paths: Vec<AttackPath>,
    /// Every function whose grants reach modelled resources (or everything).
    pub blast_radius: Vec<BlastRadius>,
    pub trigger_loops: Vec<TriggerLoop>,
    /// Flows that cross at least one trust boundary.
    pub boundary_crossings: Vec<Uuid>,
}

/// One attack path, entry point first.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttackPath {
    pub entry: Uuid,
    pub target: Uuid,
    /// Elements in path order, `entry` first and `target` last.
    pub elements: Vec<Uuid>,
    /// The flow taken at each step (one fewer than `elements`).
    pub flows: Vec<Uuid>,
    /// Highest residual severity of the open threats on the target.
    pub severity: Option<Severity>,
}

/// The resources a function's grants reach.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BlastRadius {
    pub function: Uuid,
    pub reaches: Vec<Uuid>,
    /// The grants behind `reaches`.
    pub grants: Vec<Uuid>,
    /// A grant on every resource (`Resource: *`): the radius is everything.
    pub wildcard: bool,
}

/// A cycle of triggers, functions and stores.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TriggerLoop {
    pub elements: Vec<Uuid>,
    /// The flows between members of the loop.
    pub flows: Vec<Uuid>,
}

/// The elements and flows a threat's rationale names, its target included.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Highlight {
    pub elements: Vec<Uuid>,
    pub flows: Vec<Uuid>,
}

/// The graph findings of a view; `worst` is the highest open severity per target id.
pub(crate) fn graph_findings(view: &GraphView, worst: &BTreeMap<Uuid, Severity>) -> GraphFindings {
    let model = view.model;
    let id = |i: usize| model.elements[i].id.0;
    let mut attack_paths = attack_paths(view);
    for p in &mut attack_paths {
        p.severity = worst.get(&p.target).copied();
    }
    let mut grants_of: HashMap<ElementId, Vec<&Grant>> = HashMap::new();
    for g in &model.grants {
        grants_of.entry(g.principal).or_default().push(g);
    }
    let mut blast_radius = Vec::new();
    for (i, f) in view.element_facts.iter().enumerate() {
        if f.blast_radius.is_empty() && !f.wildcard_resource {
            continue;
        }
        let e = &model.elements[i];
        let reached: BTreeSet<usize> = f.blast_radius.iter().copied().collect();
        let grants = grants_of
            .get(&e.id)
            .into_iter()
            .flatten()
            .filter(|g| match &g.target {
                GrantTarget::Element(t) => view.index.get(t).is_some_and(|t| reached.contains(t)),
                GrantTarget::Any => true,
                GrantTarget::Unmodelled(_) => f.wildcard_resource,
            })
            .map(|g| g.id.0)
            .collect();
        blast_radius.push(BlastRadius {
            function: e.id.0,
            reaches: f.blast_radius.iter().map(|&t| id(t)).collect(),
            grants,
            wildcard: f.wildcard_resource,
        });
    }
    let mut loops: BTreeSet<&[usize]> = BTreeSet::new();
    for f in &view.element_facts {
        if f.in_trigger_loop {
            loops.insert(&f.loop_members);
        }
    }
    let trigger_loops = loops
        .into_iter()
        .map(|members| TriggerLoop {
            elements: members.iter().map(|&i| id(i)).collect(),
            flows: flows_within(view, members),
        })
        .collect();
    let boundary_crossings = view
        .flows
        .iter()
        .zip(&view.flow_facts)
        .filter(|(_, f)| f.crosses_boundary)
        .map(|(&(fi, _, _), _)| model.flows[fi].id.0)
        .collect();
    GraphFindings { attack_paths, blast_radius, trigger_loops, boundary_crossings }
}

/// Model flow ids of the flows whose both ends are in `members` (sorted).
fn flows_within(view: &GraphView, members: &[usize]) -> Vec<Uuid> {
    view.flows
        .iter()
        .filter(|&&(_, a, b)| members.binary_search(&a).is_ok() && members.binary_search(&b).is_ok())
        .map(|&(fi, _, _)| view.model.flows[fi].id.0)
        .collect()
}

/// Shortest path from every entry point to every sensitive store it reaches,
/// never through an untrusted party (as the attack-path facts).
fn attack_paths(view: &GraphView) -> Vec<AttackPath> {
    let model = view.model;
    let n = model.elements.len();
    let targets: Vec<usize> = (0..n)
        .filter(|&i| {
            model.elements[i].kind == ElementKind::Store
                && view.element_facts[i].max_classification >= Some(Classification::Confidential)
                && view.element_facts[i].attack_paths > 0
        })
        .collect();
    if targets.is_empty() {
        return Vec::new();
    }
    let per_search = n + view.flows.len();
    if per_search.saturating_mul(view.entry_points.len()) > PATH_SEARCH_BUDGET {
        return shortest_per_store(view, &targets);
    }
    let mut out = Vec::new();
    let mut prev_flow = vec![usize::MAX; n];
    let mut seen = vec![false; n];
    let mut queue = VecDeque::new();
    for &ep in &view.entry_points {
        seen.iter_mut().for_each(|s| *s = false);
        seen[ep] = true;
        queue.push_back(ep);
        while let Some(cur) = queue.pop_front() {
            for &fl in &view.outbound[cur] {
                let next = view.flows[fl].2;
                if !seen[next] && !view.element_facts[next].untrusted_source {
                    seen[next] = true;
                    prev_flow[next] = fl;
                    queue.push_back(next);
                }
            }
        }
        for &t in targets.iter().filter(|&&t| seen[t] && t != ep) {
            let mut path = vec![t];
            let mut cur = t;
            while cur != ep {
                cur = view.flows[prev_flow[cur]].1;
                path.push(cur);
            }
            path.reverse();
            if let Some(p) = path_of(view, &path) {
                out.push(p);
            }
        }
        if out.len() > PATH_LIST_BUDGET {
            return shortest_per_store(view, &targets);
        }
    }
    out
}

/// The shortest attack path to each of `targets`, which the facts already hold.
fn shortest_per_store(view: &GraphView, targets: &[usize]) -> Vec<AttackPath> {
    targets.iter().filter_map(|&t| path_of(view, &view.element_facts[t].shortest_attack_path)).collect()
}

/// An attack path over element indices, with the flow taken at each step;
/// the untrusted party that feeds the entry point, when drawn, goes first.
fn path_of(view: &GraphView, path: &[usize]) -> Option<AttackPath> {
    let source = path.first().and_then(|&ep| {
        view.inbound[ep].iter().map(|&fl| view.flows[fl].1).find(|&s| view.element_facts[s].untrusted_source)
    });
    let path: Vec<usize> = source.into_iter().chain(path.iter().copied()).collect();
    let (&first, &last) = (path.first()?, path.last()?);
    let model = view.model;
    let flows = path
        .windows(2)
        .filter_map(|w| view.outbound[w[0]].iter().find(|&&fl| view.flows[fl].2 == w[1]))
        .map(|&fl| model.flows[view.flows[fl].0].id.0)
        .collect();
    Some(AttackPath {
        entry: model.elements[first].id.0,
        target: model.elements[last].id.0,
        elements: path.iter().map(|&i| model.elements[i].id.0).collect(),
        flows,
        severity: None,
    })
}

/// What a threat of a rule with condition `when` on `subject` points at: its
/// target (a flow with its ends), and the elements of the graph facts the
/// condition names — attack path, trigger loop, blast radius, shared role.
pub(crate) fn highlight(view: &GraphView, when: &Cond, subject: Subject) -> Highlight {
    let model = view.model;
    let mut elements: Vec<usize> = Vec::new();
    let mut flows: Vec<Uuid> = Vec::new();
    match subject {
        Subject::Flow(fl) => {
            let (fi, a, b) = view.flows[fl];
            flows.push(model.flows[fi].id.0);
            elements.extend([a, b]);
        }
        Subject::Element(i) => {
            elements.push(i);
            let f = &view.element_facts[i];
            let mut facts = Vec::new();
            facts_of(when, &mut facts);
            for fact in facts {
                match fact {
                    FactId::AttackPaths => {
                        if let Some(p) = path_of(view, &f.shortest_attack_path) {
                            elements.extend(p.elements.iter().filter_map(|id| view.index.get(&ElementId(*id))));
                            flows.extend(p.flows);
                        }
                    }
                    FactId::InTriggerLoop => {
                        elements.extend(&f.loop_members);
                        flows.extend(flows_within(view, &f.loop_members));
                    }
                    FactId::BlastRadius | FactId::BlastRadiusSensitive => elements.extend(&f.blast_radius),
                    FactId::SharedRole => elements.extend(&f.shared_role_with),
                    _ => {}
                }
            }
        }
    }
    let mut seen = BTreeSet::new();
    elements.retain(|e| seen.insert(*e));
    let mut seen = BTreeSet::new();
    flows.retain(|f| seen.insert(*f));
    Highlight { elements: elements.into_iter().map(|i| model.elements[i].id.0).collect(), flows }
}

/// Every fact a condition names, at any depth.
fn facts_of(c: &Cond, out: &mut Vec<FactId>) {
    match c {
        Cond::All(v) | Cond::Any(v) => v.iter().for_each(|c| facts_of(c, out)),
        Cond::Not(c) | Cond::Source(c) | Cond::Target(c) | Cond::AnyInbound(c) | Cond::AnyOutbound(c) => {
            facts_of(c, out)
        }
        Cond::Fact { fact, .. } if !out.contains(fact) => out.push(*fact),
        Cond::Fact { .. }
        | Cond::Property { .. }
        | Cond::Category(_)
        | Cond::Vendor(_)
        | Cond::Data(_)
        | Cond::Tagged(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{analyze, Options};
    use crate::rules::builtin_catalog;
    use crate::yaml::parse_model;

    const MODEL: &str = "name: findings
boundaries:
  - {name: Internet, kind: internet}
  - {name: Account, kind: account}
assets:
  - {name: Cards, classification: restricted}
elements:
  - {name: User, type: generic.user, boundary: Internet}
  - {name: Api, type: aws.apigateway, boundary: Account}
  - {name: Handler, type: aws.lambda, boundary: Account}
  - {name: Cards table, type: aws.dynamodb, boundary: Account, data: [Cards]}
  - {name: Notes bucket, type: aws.s3, boundary: Account}
  - {name: Worker, type: aws.lambda, boundary: Account}
  - {name: Jobs, type: aws.sqs, boundary: Account}
flows:
  - {from: User, to: Api, label: https}
  - {from: Api, to: Handler}
  - {from: Handler, to: Cards table}
  - {from: Worker, to: Jobs}
  - {from: Jobs, to: Worker}
grants:
  - {principal: Handler, resource: Cards table, actions: ['dynamodb:*']}
  - {principal: Handler, resource: Notes bucket, actions: ['s3:GetObject']}
";

    fn names(m: &crate::model::Model, ids: &[uuid::Uuid]) -> Vec<String> {
        ids.iter().map(|id| m.elements.iter().find(|e| e.id.0 == *id).unwrap().name.clone()).collect()
    }

    #[test]
    fn findings_name_the_path_the_radius_the_loop_and_the_crossings() {
        let m = parse_model(MODEL, "x").unwrap();
        let a = analyze(&m, &builtin_catalog().unwrap(), &Options::default());
        let g = &a.graph;
        let path = g.attack_paths.iter().find(|p| names(&m, &[p.target]) == ["Cards table"]).expect("a path");
        assert_eq!(names(&m, &path.elements), ["User", "Api", "Handler", "Cards table"]);
        assert_eq!(path.flows.len(), 3);
        assert!(path.severity.is_some(), "the table has open threats");
        let br = g.blast_radius.iter().find(|b| names(&m, &[b.function]) == ["Handler"]).expect("a radius");
        let mut reached = names(&m, &br.reaches);
        reached.sort();
        assert_eq!(reached, ["Cards table", "Notes bucket"]);
        assert_eq!(br.grants.len(), 2);
        assert_eq!(g.trigger_loops.len(), 1);
        let mut looped = names(&m, &g.trigger_loops[0].elements);
        looped.sort();
        assert_eq!(looped, ["Jobs", "Worker"]);
        assert_eq!(g.trigger_loops[0].flows.len(), 2);
        // User → Api leaves the Internet for the account; nothing else crosses.
        assert_eq!(g.boundary_crossings, vec![m.flows[0].id.0]);
    }

    #[test]
    fn a_threat_highlights_what_its_rationale_names() {
        let m = parse_model(MODEL, "x").unwrap();
        let a = analyze(&m, &builtin_catalog().unwrap(), &Options::default());
        for t in &a.threats {
            if t.target.kind != "flow" {
                assert_eq!(t.highlight.elements.first(), Some(&t.target.id));
            } else {
                assert_eq!(t.highlight.flows, vec![t.target.id]);
                assert_eq!(t.highlight.elements.len(), 2);
            }
        }
        let on_path = a
            .threats
            .iter()
            .find(|t| t.target.name == "Cards table" && t.rationale.iter().any(|r| r.contains("attack path")))
            .expect("an attack-path threat on the table");
        assert_eq!(names(&m, &on_path.highlight.elements), ["Cards table", "User", "Api", "Handler"]);
        assert_eq!(on_path.highlight.flows.len(), 3);
        let in_loop = a
            .threats
            .iter()
            .find(|t| t.target.name == "Jobs" && t.rationale.iter().any(|r| r.contains("trigger loop")));
        let in_loop = in_loop.expect("a trigger-loop threat on the queue");
        assert_eq!(in_loop.highlight.elements.len(), 2);
        assert_eq!(in_loop.highlight.flows.len(), 2);
    }
}
