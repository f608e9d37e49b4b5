//! Exposure facts: which elements are untrusted sources, and which are entry
//! points (Internet-facing), each with the reason it is. Must not: follow
//! flows beyond one hop (that is `taint.rs` and `attack_paths.rs`).

use super::{props, GraphView};
use crate::model::kind::{is_public_endpoint, is_untrusted_by_default};
use crate::model::property::str_default;
use crate::model::*;

impl GraphView<'_> {
    /// Whether an element is an untrusted source of data.
    fn is_untrusted_source(&self, e: &Element) -> bool {
        if self.boundary_chain(e).first().map(|b| b.kind.untrusted()).unwrap_or(false) {
            return true;
        }
        if e.kind != ElementKind::External {
            return false;
        }
        match e.properties.get(props::TRUST) {
            Some(Value::Str(t)) => t == "untrusted",
            _ => is_untrusted_by_default(e.category()),
        }
    }

    /// Marks untrusted sources and entry points (with the reason each is
    /// Internet-facing) and returns which elements are untrusted sources.
    pub(super) fn compute_exposure(&mut self) -> Vec<bool> {
        let model = self.model;
        let n = model.elements.len();
        let untrusted: Vec<bool> = model.elements.iter().map(|e| self.is_untrusted_source(e)).collect();
        for i in 0..n {
            let e = &model.elements[i];
            self.element_facts[i].untrusted_source = untrusted[i];
            let mut why = None;
            if !untrusted[i] {
                if let Some(&fl) = self.inbound[i].iter().find(|&&fl| untrusted[self.flows[fl].1]) {
                    let src = self.element(self.flows[fl].1);
                    why = Some(format!("receives flows from untrusted `{}`", src.name));
                }
                // HTTP front doors are on the Internet unless made private,
                // whether or not the diagram draws their clients.
                if why.is_none() && e.kind == ElementKind::Trigger && is_public_endpoint(e.category()) {
                    let (endpoint, assumed) = match e.properties.get(props::ENDPOINT) {
                        Some(Value::Str(x)) => (x.as_str(), false),
                        _ => (str_default(props::ENDPOINT).expect("the schema gives `endpoint` a default"), true),
                    };
                    if endpoint != "private" {
                        let note = if assumed { ", `endpoint` not set; default" } else { "" };
                        why =
                            Some(format!("is a public {} endpoint ({endpoint}{note})", e.category().replace('_', " ")));
                        self.element_facts[i].internet_facing_assumed = assumed;
                    }
                }
                if why.is_none() && e.kind == ElementKind::Trigger {
                    if let Some(Value::Str(p)) = e.properties.get(props::POLICY_PRINCIPAL) {
                        if p.trim() == "*" {
                            why = Some("its resource policy allows any principal (`*`)".into());
                        }
                    }
                }
                if why.is_none()
                    && e.kind == ElementKind::Function
                    && matches!(e.properties.get(props::PUBLIC_INVOKE), Some(Value::Bool(true)))
                {
                    why = Some("its invoke permission allows any principal".into());
                }
                if why.is_none() && e.kind == ElementKind::Store {
                    if let Some(Value::Str(p)) = e.properties.get(props::PUBLIC_ACCESS) {
                        if p != "none" {
                            why = Some(format!("allows public {p} access"));
                        }
                    }
                }
            }
            if let Some(w) = why {
                self.element_facts[i].internet_facing = true;
                self.element_facts[i].internet_facing_why = w;
                self.entry_points.push(i);
            }
        }
        untrusted
    }
}
