//! The graph view of a model (petgraph): built once per analysis, it answers
//! the questions rules ask that no single element can — who is exposed to
//! the Internet, which boundaries a flow crosses, where untrusted data goes
//! (also through asynchronous hops), attack paths to sensitive stores,
//! permission grants compared with actual data flows, trigger loops.
//!
//! One fact family per file: `exposure.rs` (untrusted sources, entry
//! points), `taint.rs` (untrusted data and load through the graph),
//! `attack_paths.rs`, `privilege.rs` (grants), `runtime.rs`; this file builds
//! the view and keeps the small families (data, flows, loops, queues).
//! Property names it reads are in `props.rs`; categories are asked by trait
//! (`model::kind`), never by name.
//!
//! Pure: no IO, no clock. Dangling references are skipped, never a panic, so
//! a half-drawn model still analyses. Must not: know about rules or scoring.

pub mod access;
mod attack_paths;
pub mod data;
mod exposure;
mod facts;
mod privilege;
mod props;
mod runtime;
mod taint;

pub use facts::{fact_by_name, FactDef, FactId, FactScope, Prices, FACTS};
pub use privilege::{is_admin_action, is_log_tamper_action, is_wildcard_action, secret_like_env};
pub use runtime::{checked as runtime_table_checked, runtime_status, RuntimeStatus};

use crate::model::kind::{groups, is_async_delivery};
use crate::model::property::int_default;
use crate::model::*;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{HashMap, HashSet};

/// Precomputed facts of one element.
#[derive(Clone, Debug, Default)]
pub struct ElementFacts {
    /// The element receives flows straight from an untrusted party, or is
    /// itself public (function URL, public store).
    pub internet_facing: bool,
    pub internet_facing_why: String,
    /// Internet-facing only because `endpoint` is unset (default regional).
    pub internet_facing_assumed: bool,
    /// Reachable from an untrusted source through any chain of flows.
    pub internet_reachable: bool,
    /// Untrusted data arrives here through a chain that has an async hop.
    pub untrusted_async_input: bool,
    /// Receives data that originated at an untrusted source (any chain).
    pub untrusted_input: bool,
    pub untrusted_origin: String,
    /// An untrusted source itself (external or in an untrusted boundary).
    pub untrusted_source: bool,
    /// Entry points that can reach this element, and the shortest path length.
    pub attack_paths: usize,
    pub shortest_attack_path: Vec<usize>,
    pub in_trigger_loop: bool,
    pub loop_members: Vec<usize>,
    pub fan_in: usize,
    pub fan_out: usize,
    /// Function grants: how many name this element as principal.
    pub grant_count: usize,
    pub grant_without_flow: Vec<String>,
    pub wildcard_actions: Vec<String>,
    pub wildcard_resource: bool,
    pub admin_actions: Vec<String>,
    pub log_tamper_actions: Vec<String>,
    /// Granted actions at the Permissions-management access level (ACLs,
    /// resource policies, grants) that no wildcard or escalation fact names,
    /// each with the resource it applies to.
    pub resource_exposure_actions: Vec<String>,
    pub unmodelled_grants: Vec<String>,
    /// Stores and triggers named by the function's grants (a wildcard
    /// resource reaches all of them: see `wildcard_resource`).
    pub blast_radius: Vec<usize>,
    pub blast_radius_sensitive: bool,
    pub shared_role_with: Vec<usize>,
    /// Highest classification held, processed or carried in/out.
    pub max_classification: Option<Classification>,
    /// The classification is not stated but taken as internal: a store of
    /// records (table, bucket, database, cache) that no data asset describes.
    pub classification_assumed: bool,
    pub tags: HashSet<String>,
    /// For queues: a consumer's timeout exceeds the visibility timeout.
    pub consumer_timeout_over_visibility: Option<String>,
    /// Whether that comparison relied on a default timeout.
    pub consumer_timeout_assumed: bool,
}

/// Precomputed facts of one flow.
#[derive(Clone, Debug, Default)]
pub struct FlowFacts {
    pub crosses_boundary: bool,
    pub boundaries_crossed: usize,
    pub from_untrusted: bool,
    pub is_async: bool,
    pub max_classification: Option<Classification>,
    pub tags: HashSet<String>,
    /// `Some(false)` plaintext, `Some(true)` encrypted, `None` unknown.
    pub encrypted: Option<bool>,
}

/// The analysed graph of a model.
pub struct GraphView<'m> {
    pub model: &'m Model,
    pub index: HashMap<ElementId, usize>,
    /// Flows with both ends present: (flow index in model, from, to).
    pub flows: Vec<(usize, usize, usize)>,
    pub element_facts: Vec<ElementFacts>,
    /// Facts of each entry of `flows` (same index).
    pub flow_facts: Vec<FlowFacts>,
    pub inbound: Vec<Vec<usize>>,
    pub outbound: Vec<Vec<usize>>,
    /// Entry points (elements receiving from untrusted sources), in model order.
    pub entry_points: Vec<usize>,
    /// Number of stores and triggers (what a wildcard grant reaches).
    pub resource_count: usize,
    /// Category of each element (resolved once; rules ask often).
    pub categories: Vec<&'static str>,
    /// Position of each boundary in the model (first one wins on duplicates).
    pub boundary_index: HashMap<BoundaryId, usize>,
}

impl ElementFacts {
    /// Size of the blast radius, counting a wildcard resource as everything.
    pub fn blast_radius_size(&self, resource_count: usize) -> usize {
        if self.wildcard_resource {
            resource_count
        } else {
            self.blast_radius.len()
        }
    }
}

impl<'m> GraphView<'m> {
    /// Builds the view and computes every fact.
    pub fn build(model: &'m Model) -> Self {
        let n = model.elements.len();
        let index: HashMap<ElementId, usize> = model.elements.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
        let mut graph: DiGraph<usize, usize> = DiGraph::with_capacity(n, model.flows.len());
        let nodes: Vec<NodeIndex> = (0..n).map(|i| graph.add_node(i)).collect();
        let mut flows = Vec::with_capacity(model.flows.len());
        let mut inbound = vec![Vec::new(); n];
        let mut outbound = vec![Vec::new(); n];
        for (fi, f) in model.flows.iter().enumerate() {
            if let (Some(&a), Some(&b)) = (index.get(&f.from), index.get(&f.to)) {
                graph.add_edge(nodes[a], nodes[b], fi);
                inbound[b].push(flows.len());
                outbound[a].push(flows.len());
                flows.push((fi, a, b));
            }
        }
        let mut view = GraphView {
            model,
            index,
            flows,
            element_facts: vec![ElementFacts::default(); n],
            flow_facts: Vec::new(),
            inbound,
            outbound,
            entry_points: Vec::new(),
            resource_count: 0,
            categories: model.elements.iter().map(|e| e.category()).collect(),
            boundary_index: {
                let mut m = HashMap::with_capacity(model.boundaries.len());
                for (i, b) in model.boundaries.iter().enumerate() {
                    m.entry(b.id).or_insert(i);
                }
                m
            },
        };
        view.compute_data();
        let untrusted = view.compute_exposure();
        view.compute_taint(&untrusted);
        view.compute_attack_paths(&untrusted);
        view.compute_flow_facts();
        view.compute_loops(&graph);
        privilege::compute(&mut view);
        view.compute_queue_timeouts();
        view
    }

    pub fn element(&self, i: usize) -> &'m Element {
        &self.model.elements[i]
    }

    /// Boundary chain of an element, innermost first.
    pub fn boundary_chain(&self, e: &Element) -> Vec<&'m Boundary> {
        let mut out = Vec::new();
        let mut cur = e.boundary;
        while let Some(id) = cur {
            match self.boundary_index.get(&id).map(|&i| &self.model.boundaries[i]) {
                Some(b) if !out.iter().any(|x: &&Boundary| x.id == b.id) => {
                    out.push(b);
                    cur = b.parent;
                }
                _ => break,
            }
        }
        out
    }

    fn compute_data(&mut self) {
        let model = self.model;
        let cls = |ids: &[AssetId]| ids.iter().filter_map(|a| model.asset(*a)).map(|a| a.classification).max();
        for (i, e) in model.elements.iter().enumerate() {
            let f = &mut self.element_facts[i];
            f.max_classification = cls(&e.assets);
            for a in e.assets.iter().filter_map(|a| model.asset(*a)) {
                f.tags.extend(a.tags.iter().cloned());
            }
        }
        for &(fi, a, b) in &self.flows {
            let flow = &model.flows[fi];
            let c = cls(&flow.assets);
            let tags: Vec<String> =
                flow.assets.iter().filter_map(|x| model.asset(*x)).flat_map(|x| x.tags.clone()).collect();
            for end in [a, b] {
                let f = &mut self.element_facts[end];
                f.max_classification = f.max_classification.max(c);
                f.tags.extend(tags.iter().cloned());
            }
        }
        for i in 0..model.elements.len() {
            let f = &mut self.element_facts[i];
            if f.max_classification.is_none() && crate::model::kind::holds_records(self.categories[i]) {
                f.max_classification = Some(Classification::Internal);
                f.classification_assumed = true;
            }
            f.fan_in = self.inbound[i].len();
            f.fan_out = self.outbound[i].len();
        }
    }

    /// Whether the hop `from → to` over model flow `fi` is asynchronous.
    pub fn flow_is_async(&self, fi: usize, from: usize, to: usize) -> bool {
        match self.model.flows[fi].properties.get(props::ASYNC) {
            Some(Value::Bool(b)) => *b,
            _ => is_async_delivery(self.categories[from]) || is_async_delivery(self.categories[to]),
        }
    }

    fn compute_flow_facts(&mut self) {
        for &(fi, a, b) in &self.flows {
            let flow = &self.model.flows[fi];
            let (ea, eb) = (self.element(a), self.element(b));
            let ca = self.boundary_chain(ea);
            let cb = self.boundary_chain(eb);
            let crossed = ca.iter().filter(|x| !cb.iter().any(|y| y.id == x.id)).count()
                + cb.iter().filter(|y| !ca.iter().any(|x| x.id == y.id)).count();
            let encrypted = match flow.properties.get(props::ENCRYPTED) {
                Some(Value::Bool(b)) => Some(*b),
                _ => match flow.properties.get(props::PROTOCOL) {
                    Some(Value::Str(p)) => protocol_encrypted(p),
                    _ => None,
                },
            };
            let model = self.model;
            let assets: Vec<&DataAsset> = flow.assets.iter().filter_map(|x| model.asset(*x)).collect();
            self.flow_facts.push(FlowFacts {
                crosses_boundary: crossed > 0,
                boundaries_crossed: crossed,
                from_untrusted: self.element_facts[a].untrusted_source,
                is_async: self.flow_is_async(fi, a, b),
                max_classification: assets.iter().map(|x| x.classification).max(),
                tags: assets.iter().flat_map(|x| x.tags.iter().cloned()).collect(),
                encrypted,
            });
        }
    }

    fn compute_loops(&mut self, graph: &DiGraph<usize, usize>) {
        for scc in tarjan_scc(graph) {
            let members: Vec<usize> = scc.iter().map(|n| graph[*n]).collect();
            let looped = if members.len() == 1 { graph.contains_edge(scc[0], scc[0]) } else { true };
            if !looped {
                continue;
            }
            // A trigger loop: a function feeds something that (eventually)
            // triggers it again. Request/response pairs between a client and
            // an API are not loops of that kind, so require a function and a
            // trigger or store, and no external in the cycle.
            let kinds: Vec<ElementKind> = members.iter().map(|&i| self.element(i).kind).collect();
            let has_fn = kinds.contains(&ElementKind::Function);
            let has_src = kinds.iter().any(|k| matches!(k, ElementKind::Trigger | ElementKind::Store));
            let has_ext = kinds.contains(&ElementKind::External);
            let has_async = members.iter().any(|&i| is_async_delivery(self.categories[i]));
            if has_fn && has_src && !has_ext && has_async {
                let mut sorted = members.clone();
                sorted.sort_unstable();
                for &m in &members {
                    self.element_facts[m].in_trigger_loop = true;
                    self.element_facts[m].loop_members = sorted.clone();
                }
            }
        }
    }

    /// Queues whose consumers may
    /// run longer than the message stays invisible.
    fn compute_queue_timeouts(&mut self) {
        let default_vis =
            int_default(props::VISIBILITY_TIMEOUT).expect("the schema gives a default visibility timeout");
        let default_timeout = int_default(props::TIMEOUT).expect("the schema gives a default timeout");
        for i in 0..self.model.elements.len() {
            let q = self.element(i);
            if !groups::QUEUE.contains(&q.category()) {
                continue;
            }
            let (vis, vis_default) = match q.properties.get(props::VISIBILITY_TIMEOUT) {
                Some(Value::Int(v)) => (*v, false),
                _ => (default_vis, true),
            };
            for &fl in &self.outbound[i] {
                let c = self.element(self.flows[fl].2);
                if c.kind != ElementKind::Function {
                    continue;
                }
                let (t, t_default) = match c.properties.get(props::TIMEOUT) {
                    Some(Value::Int(t)) => (*t, false),
                    _ => (default_timeout, true),
                };
                if t > vis {
                    let note = |d: bool| if d { " (default)" } else { "" };
                    self.element_facts[i].consumer_timeout_over_visibility = Some(format!(
                        "consumer `{}` may run {t} s{} but the visibility timeout is {vis} s{}",
                        c.name,
                        note(t_default),
                        note(vis_default)
                    ));
                    self.element_facts[i].consumer_timeout_assumed = vis_default || t_default;
                }
            }
        }
    }
}

/// Whether a protocol name implies encryption in transit (`None`: cannot tell).
pub fn protocol_encrypted(protocol: &str) -> Option<bool> {
    let p = protocol.to_ascii_lowercase();
    match p.as_str() {
        "https" | "tls" | "mtls" | "wss" | "grpcs" | "sftp" | "ssh" | "aws-internal" | "azure-internal"
        | "gcp-internal" | "amqps" | "mqtts" | "postgresql+tls" | "mysql+tls" => Some(true),
        "http" | "ws" | "ftp" | "smtp" | "telnet" | "amqp" | "mqtt" | "grpc" | "tcp" | "udp" => Some(false),
        _ => None,
    }
}
