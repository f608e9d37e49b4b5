//! The strict rule-file loader. Unknown keys, unknown facts, properties,
//! categories or practices, operators of the wrong type, bad scores and
//! duplicate or retired ids are load errors with file, line and column.
//!
//! This module owns the catalog and the entry points; `rule.rs` parses one
//! rule, `cond.rs` its condition through the head and operator tables, and
//! `reader.rs` holds the located-error helpers they share.
//! Must not: read files (the caller passes text; `store::rules` reads
//! folders), or evaluate conditions.

mod cond;
mod reader;
mod rule;

pub use cond::{CondHead, OpKind, HEADS, OPS};

use crate::diag::{Diagnostic, Diagnostics};
use crate::rules::Rule;
use crate::yaml;
use reader::Reader;
use std::collections::HashMap;

/// The built-in catalog files, embedded at build time. A test checks that
/// this list matches the files in `models/rules/`.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("models/rules/api.yaml", include_str!("../../../models/rules/api.yaml")),
    ("models/rules/function.yaml", include_str!("../../../models/rules/function.yaml")),
    ("models/rules/privilege.yaml", include_str!("../../../models/rules/privilege.yaml")),
    ("models/rules/messaging.yaml", include_str!("../../../models/rules/messaging.yaml")),
    ("models/rules/store.yaml", include_str!("../../../models/rules/store.yaml")),
    ("models/rules/flow.yaml", include_str!("../../../models/rules/flow.yaml")),
    ("models/rules/external.yaml", include_str!("../../../models/rules/external.yaml")),
    ("models/rules/generic.yaml", include_str!("../../../models/rules/generic.yaml")),
];

/// A loaded catalog.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub rules: Vec<Rule>,
}

impl Catalog {
    /// Adds rules, rejecting ids already present (located at the newcomer).
    pub fn extend(&mut self, rules: Vec<Rule>) -> Result<(), Diagnostics> {
        let mut diags = Vec::new();
        for r in rules {
            if let Some(prev) = self.rules.iter().find(|p| p.id == r.id) {
                diags.push(Diagnostic::new(
                    &r.file,
                    r.line,
                    1,
                    format!("duplicate rule id `{}` (already defined at {}:{})", r.id, prev.file, prev.line),
                ));
            } else {
                self.rules.push(r);
            }
        }
        if diags.is_empty() {
            Ok(())
        } else {
            Err(Diagnostics(diags))
        }
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// The embedded catalog. Fails only if a built-in file is broken, which the
/// test suite prevents.
pub fn builtin_catalog() -> Result<Catalog, Diagnostics> {
    let mut catalog = Catalog::default();
    for (file, text) in BUILTIN_FILES {
        catalog.extend(parse_rule_file(text, file)?)?;
    }
    Ok(catalog)
}

/// Parses several rule files, given as `(label, text)` pairs in the order
/// they should load, and reports the problems of all of them at once.
pub fn parse_rule_files(files: &[(String, String)]) -> Result<Vec<Rule>, Diagnostics> {
    let mut rules = Vec::new();
    let mut diags = Vec::new();
    for (label, text) in files {
        match parse_rule_file(text, label) {
            Ok(r) => rules.extend(r),
            Err(d) => diags.extend(d.0),
        }
    }
    if diags.is_empty() {
        Ok(rules)
    } else {
        Err(Diagnostics(diags))
    }
}

/// Parses one rule file (`rules:` list).
pub fn parse_rule_file(text: &str, file: &str) -> Result<Vec<Rule>, Diagnostics> {
    let root = yaml::load(text, yaml::Limits::default())
        .map_err(|e| Diagnostics::one(Diagnostic::new(file, e.mark.line, e.mark.col, e.message)))?;
    let mut p = Reader::new(file);
    let mut rules = Vec::new();
    p.keys(&root, "a rule file", &["rules"]);
    let items = match root.get("rules").and_then(|r| r.as_seq()) {
        Some(items) => items.to_vec(),
        None => {
            p.err(&root, "a rule file needs a `rules:` list");
            Vec::new()
        }
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for node in &items {
        // Duplicates are reported even when either copy is otherwise broken.
        if let Some(id) = node.get("id").and_then(|n| n.as_scalar()) {
            if let Some(line) = seen.insert(id.to_string(), node.mark.line) {
                p.err(node, format!("duplicate rule id `{id}` (first defined on line {line})"));
                continue;
            }
        }
        if let Some(rule) = rule::parse_rule(&mut p, node) {
            rules.push(rule);
        }
    }
    p.finish(rules)
}
