//! Attack-path facts: how many entry points reach each sensitive store and
//! the shortest path from the nearest one. Must not: decide what is an entry
//! point or sensitive data (`exposure.rs`, the data facts).

use super::GraphView;
use crate::model::*;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::VecDeque;

impl GraphView<'_> {
    /// Attack paths to every confidential or restricted store; `untrusted`
    /// marks the untrusted sources, through which no path continues.
    pub(super) fn compute_attack_paths(&mut self, untrusted: &[bool]) {
        let model = self.model;
        let n = model.elements.len();
        // Attack paths: how many entry points reach each sensitive store
        // (bitsets propagated over the SCC condensation, linear in the
        // graph), and the shortest path from the nearest entry point (one
        // multi-source BFS).
        let sensitive: Vec<bool> = (0..n)
            .map(|i| {
                model.elements[i].kind == ElementKind::Store
                    && self.element_facts[i].max_classification >= Some(Classification::Confidential)
            })
            .collect();
        if sensitive.iter().any(|s| *s) && !self.entry_points.is_empty() {
            let (scc_of, order) = self.condensation(untrusted);
            // `order` is topological (sources first) over SCC ids.
            let mut succ: Vec<Vec<usize>> = vec![Vec::new(); order.len()];
            for &(_, a, b) in &self.flows {
                if scc_of[a] != scc_of[b] && !untrusted[a] && !untrusted[b] {
                    succ[scc_of[a]].push(scc_of[b]);
                }
            }
            // Entry points in chunks of CHUNK_WORDS × 64 bits, so the bitsets stay a few
            // megabytes however many entry points there are (12,500 entry points in one set
            // were 137 MB); the total work is the same.
            const CHUNK_WORDS: usize = 16;
            let mut reached = vec![0u32; order.len()];
            for chunk in self.entry_points.chunks(CHUNK_WORDS * 64) {
                let words = chunk.len().div_ceil(64);
                let mut bits = vec![0u64; order.len() * words];
                for (k, &ep) in chunk.iter().enumerate() {
                    bits[scc_of[ep] * words + k / 64] |= 1 << (k % 64);
                }
                for &c in &order {
                    for &d in &succ[c] {
                        for w in 0..words {
                            let v = bits[c * words + w];
                            bits[d * words + w] |= v;
                        }
                    }
                }
                for (c, r) in reached.iter_mut().enumerate() {
                    *r += bits[c * words..(c + 1) * words].iter().map(|w| w.count_ones()).sum::<u32>();
                }
            }
            let mut dist = vec![usize::MAX; n];
            let mut prev = vec![usize::MAX; n];
            let mut q = VecDeque::new();
            for &ep in &self.entry_points {
                dist[ep] = 0;
                q.push_back(ep);
            }
            while let Some(cur) = q.pop_front() {
                for &fl in &self.outbound[cur] {
                    let next = self.flows[fl].2;
                    if dist[next] == usize::MAX && !untrusted[next] {
                        dist[next] = dist[cur] + 1;
                        prev[next] = cur;
                        q.push_back(next);
                    }
                }
            }
            for t in (0..n).filter(|t| sensitive[*t]) {
                let count = reached[scc_of[t]];
                if count == 0 || dist[t] == usize::MAX {
                    continue;
                }
                let mut path = vec![t];
                let mut cur = t;
                while dist[cur] != 0 {
                    cur = prev[cur];
                    path.push(cur);
                }
                path.reverse();
                let f = &mut self.element_facts[t];
                f.attack_paths = count as usize;
                f.shortest_attack_path = path;
            }
        }
    }

    /// Strongly connected components of the flow graph: the component of
    /// each element and the components in topological order.
    /// Flows touching an untrusted party are left out: chains never continue
    /// through the attacker (see `taint.rs`).
    fn condensation(&self, untrusted: &[bool]) -> (Vec<usize>, Vec<usize>) {
        let n = self.model.elements.len();
        let mut g: DiGraph<(), ()> = DiGraph::with_capacity(n, self.flows.len());
        let nodes: Vec<NodeIndex> = (0..n).map(|_| g.add_node(())).collect();
        for &(_, a, b) in &self.flows {
            if !untrusted[a] && !untrusted[b] {
                g.add_edge(nodes[a], nodes[b], ());
            }
        }
        let sccs = tarjan_scc(&g); // reverse topological order
        let mut scc_of = vec![0; n];
        for (c, members) in sccs.iter().enumerate() {
            for m in members {
                scc_of[m.index()] = c;
            }
        }
        let order: Vec<usize> = (0..sccs.len()).rev().collect();
        (scc_of, order)
    }
}
