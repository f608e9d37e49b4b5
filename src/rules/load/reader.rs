//! Located-error helpers shared by the rule and condition parsers: the
//! file label, the collected diagnostics, and readers of keys, strings and
//! scores that report what they reject.
//! Must not: know what a rule or a condition means.

use crate::diag::{Diagnostic, Diagnostics};
use crate::yaml::{Node, NodeValue};

/// The state of parsing one rule file: its label and the problems so far.
pub(super) struct Reader<'a> {
    pub(super) file: &'a str,
    pub(super) diags: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(file: &'a str) -> Self {
        Self { file, diags: Vec::new() }
    }

    /// The parsed value when nothing was reported, else every problem sorted
    /// by position.
    pub(super) fn finish<T>(mut self, value: T) -> Result<T, Diagnostics> {
        if self.diags.is_empty() {
            Ok(value)
        } else {
            self.diags.sort();
            Err(Diagnostics(self.diags))
        }
    }

    pub(super) fn err(&mut self, node: &Node, msg: impl Into<String>) {
        self.diags.push(Diagnostic::new(self.file, node.mark.line, node.mark.col, msg));
    }

    pub(super) fn keys(&mut self, node: &Node, what: &str, allowed: &[&str]) {
        if let Some(entries) = node.as_map() {
            for (k, _) in entries {
                let key = k.as_scalar().unwrap_or("");
                if !allowed.contains(&key) {
                    self.err(k, format!("unknown key `{key}` in {what}; expected one of: {}", allowed.join(", ")));
                }
            }
        }
    }

    pub(super) fn string(&mut self, node: Option<&Node>, parent: &Node, what: &str, required: bool) -> Option<String> {
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

    pub(super) fn strings(&mut self, node: Option<&Node>, what: &str) -> Vec<(String, Node)> {
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

    pub(super) fn score(&mut self, node: Option<&Node>, parent: &Node, what: &str) -> u8 {
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
