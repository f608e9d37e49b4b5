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
use rule::Parsed;
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

/// The committed list of retired built-in rule ids (`id since reason`, one
/// a line), embedded like the rule files. A test checks it against the catalog.
pub const RETIRED_FILE: (&str, &str) = ("models/rules/retired.txt", include_str!("../../../models/rules/retired.txt"));

/// A retired rule: its id stays reserved, so no rule may take it again.
#[derive(Clone, Debug, PartialEq)]
pub struct Retired {
    pub id: String,
    /// The version or date it was retired in.
    pub since: String,
    pub reason: String,
    /// Where it was retired (`models/rules/function.yaml`, or `retired.txt`).
    pub file: String,
    pub line: usize,
}

/// A loaded catalog: the active rules and the retired ids they must not reuse.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub rules: Vec<Rule>,
    pub retired: Vec<Retired>,
}

impl Catalog {
    /// Adds the rules and retired ids of another catalog, rejecting ids
    /// already defined or retired (located at the newcomer).
    pub fn extend(&mut self, more: Catalog) -> Result<(), Diagnostics> {
        let mut diags = Vec::new();
        for r in more.retired {
            if let Some(prev) = self.rules.iter().find(|p| p.id == r.id) {
                diags.push(Diagnostic::new(
                    &r.file,
                    r.line,
                    1,
                    format!("retired rule id `{}` is still defined at {}:{}", r.id, prev.file, prev.line),
                ));
            } else if !self.retired.iter().any(|p| p.id == r.id) {
                self.retired.push(r);
            }
        }
        for r in more.rules {
            if let Some(prev) = self.rules.iter().find(|p| p.id == r.id) {
                diags.push(Diagnostic::new(
                    &r.file,
                    r.line,
                    1,
                    format!("duplicate rule id `{}` (already defined at {}:{})", r.id, prev.file, prev.line),
                ));
            } else if let Some(old) = self.retired.iter().find(|p| p.id == r.id) {
                diags.push(Diagnostic::new(
                    &r.file,
                    r.line,
                    1,
                    format!(
                        "rule id `{}` was retired in {} ({}; {}:{}); rule ids are never reused, choose a new one",
                        r.id, old.since, old.reason, old.file, old.line
                    ),
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
    let (file, text) = RETIRED_FILE;
    catalog.extend(Catalog { rules: Vec::new(), retired: parse_retired(text, file)? })?;
    Ok(catalog)
}

/// Parses a retired-id list: `ID SINCE REASON…` a line, `#` starts a comment.
pub fn parse_retired(text: &str, file: &str) -> Result<Vec<Retired>, Diagnostics> {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let body = line.split('#').next().unwrap_or("").trim();
        if body.is_empty() {
            continue;
        }
        let mut parts = body.splitn(3, char::is_whitespace);
        let (id, since, reason) = (parts.next(), parts.next(), parts.next().map(str::trim));
        match (id, since, reason) {
            (Some(id), Some(since), Some(reason)) if !reason.is_empty() => out.push(Retired {
                id: id.to_string(),
                since: since.to_string(),
                reason: reason.to_string(),
                file: file.to_string(),
                line: line_no,
            }),
            _ => diags.push(Diagnostic::new(file, line_no, 1, "expected `ID SINCE REASON` (a retired rule id)")),
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(Diagnostics(diags))
    }
}

/// Parses several rule files, given as `(label, text)` pairs in the order
/// they should load, and reports the problems of all of them at once.
pub fn parse_rule_files(files: &[(String, String)]) -> Result<Catalog, Diagnostics> {
    let mut catalog = Catalog::default();
    let mut diags = Vec::new();
    for (label, text) in files {
        match parse_rule_file(text, label) {
            Ok(c) => {
                catalog.rules.extend(c.rules);
                catalog.retired.extend(c.retired);
            }
            Err(d) => diags.extend(d.0),
        }
    }
    if diags.is_empty() {
        Ok(catalog)
    } else {
        Err(Diagnostics(diags))
    }
}

/// Parses one rule file (`rules:` list) into its active and retired rules.
pub fn parse_rule_file(text: &str, file: &str) -> Result<Catalog, Diagnostics> {
    let root = yaml::load(text, yaml::Limits::default())
        .map_err(|e| Diagnostics::one(Diagnostic::new(file, e.mark.line, e.mark.col, e.message)))?;
    let mut p = Reader::new(file);
    let mut catalog = Catalog::default();
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
        match rule::parse_rule(&mut p, node) {
            Some(Parsed::Active(rule)) => catalog.rules.push(*rule),
            Some(Parsed::Retired(r)) => catalog.retired.push(r),
            None => {}
        }
    }
    p.finish(catalog)
}
