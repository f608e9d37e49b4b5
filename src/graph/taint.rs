//! Taint facts: where data from an untrusted party goes (also through
//! asynchronous hops), where it came from, and which elements take load from
//! the Internet. Must not: decide what is an entry point (`exposure.rs`).

use super::{props, GraphView};
use crate::model::*;
use std::collections::VecDeque;

impl GraphView<'_> {
    /// Untrusted input, its origin and Internet reachability of every element,
    /// walking from the entry points; `untrusted` marks the untrusted sources.
    pub(super) fn compute_taint(&mut self, untrusted: &[bool]) {
        let model = self.model;
        let n = model.elements.len();
        // Untrusted data: BFS over flows from every entry point that accepts
        // data (a publicly readable store leaks, but takes no input),
        // tracking whether an asynchronous hop was crossed.
        let taint_sources: Vec<usize> = self
            .entry_points
            .iter()
            .copied()
            .filter(|&i| {
                let e = &model.elements[i];
                !(e.kind == ElementKind::Store
                    && matches!(e.properties.get(props::PUBLIC_ACCESS), Some(Value::Str(p)) if p == "read")
                    && !self.inbound[i].iter().any(|&fl| untrusted[self.flows[fl].1]))
            })
            .collect();
        let mut seen_sync = vec![false; n];
        let mut seen_async = vec![false; n];
        let mut origin: Vec<Option<usize>> = vec![None; n];
        let mut queue = VecDeque::new();
        for &ep in &taint_sources {
            if !seen_sync[ep] {
                seen_sync[ep] = true;
                origin[ep] = Some(ep);
                queue.push_back((ep, false));
            }
        }
        // Chains never continue through an untrusted party: what reaches the
        // attacker and comes back is the attacker's own input again, and is
        // accounted for at the element it enters.
        while let Some((cur, via_async)) = queue.pop_front() {
            for &fl in &self.outbound[cur] {
                let (fi, _, next) = self.flows[fl];
                if untrusted[next] {
                    continue;
                }
                let hop_async = via_async || self.flow_is_async(fi, cur, next);
                let seen = if hop_async { &mut seen_async } else { &mut seen_sync };
                if !seen[next] {
                    seen[next] = true;
                    if origin[next].is_none() {
                        origin[next] = origin[cur];
                    }
                    queue.push_back((next, hop_async));
                }
            }
        }
        // Load from the Internet: the same walk, but a store does not pass
        // load on to the functions that read it (a read is not an
        // invocation); only its change notifications (triggers) do.
        let mut loaded = vec![false; n];
        let mut queue: VecDeque<usize> = self.entry_points.iter().copied().collect();
        for &ep in &self.entry_points {
            loaded[ep] = true;
        }
        while let Some(cur) = queue.pop_front() {
            let from_store = model.elements[cur].kind == ElementKind::Store;
            for &fl in &self.outbound[cur] {
                let next = self.flows[fl].2;
                if untrusted[next] || loaded[next] || (from_store && model.elements[next].kind != ElementKind::Trigger)
                {
                    continue;
                }
                loaded[next] = true;
                queue.push_back(next);
            }
        }
        for i in 0..n {
            let f = &mut self.element_facts[i];
            f.internet_reachable = loaded[i] || f.internet_facing;
            f.untrusted_input = (seen_sync[i] || seen_async[i]) && !untrusted[i];
            f.untrusted_async_input = seen_async[i] && !untrusted[i];
            if let Some(o) = origin[i] {
                let src = self.inbound[o].iter().map(|&fl| self.flows[fl].1).find(|s| untrusted[*s]);
                f.untrusted_origin = match src {
                    Some(s) => format!("`{}` via entry point `{}`", model.elements[s].name, model.elements[o].name),
                    None => format!("entry point `{}`", model.elements[o].name),
                };
            }
        }
    }
}
