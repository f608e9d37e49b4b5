//! SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning): one
//! reporting descriptor per rule that fired, with help text, and one result
//! per open threat with a level, a location in the model file (line of the
//! element or flow) and a stable fingerprint.
//! Must not: compute scores or bands (the default level of a rule is the
//! heat-map cell of its base likelihood and impact).

use crate::engine::{Analysis, Threat};
use crate::model::TriageStatus;
use crate::risk::Severity;
use crate::rules::{Catalog, Confidence, Equivalents};
use serde::Serialize;
use std::collections::BTreeMap;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// `security-severity` as GitHub expects it (0.0–10.0).
fn security_severity(score: u8) -> String {
    format!("{:.1}", f64::from(score) / 25.0 * 10.0)
}

// The log as borrowing structs, streamed to the writer: a 10,000-function estate has 72,000
// results, and a `serde_json::Value` tree of them peaked at 800 MiB. Fields are in byte order
// of their names, the order the earlier `Value` (a sorted map) wrote them in.

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
struct Run<'a> {
    results: Results<'a>,
    tool: Tool<'a>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    information_uri: &'static str,
    name: &'static str,
    rules: Vec<Descriptor<'a>>,
    version: &'static str,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    default_configuration: Level,
    full_description: Text<'a>,
    help: Help,
    id: &'a str,
    name: String,
    properties: DescriptorProperties<'a>,
    short_description: Text<'a>,
}

#[derive(Serialize)]
struct Level {
    level: &'static str,
}

#[derive(Serialize)]
struct Help {
    markdown: String,
    text: String,
}

#[derive(Serialize)]
struct DescriptorProperties<'a> {
    /// The same check in the scanners teams run (fields in sorted-key order, as the map wrote them).
    #[serde(skip_serializing_if = "Equivalents::is_empty")]
    equivalents: &'a Equivalents,
    #[serde(rename = "security-severity")]
    security_severity: String,
    tags: Vec<String>,
}

/// The open threats as results, serialised one by one.
struct Results<'a> {
    threats: &'a [Threat],
    rule_index: &'a BTreeMap<&'a str, usize>,
    model_uri: &'a str,
    line_of: &'a dyn Fn(uuid::Uuid) -> usize,
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.threats.iter().filter(|t| t.status == TriageStatus::Open).map(|t| self.result(t)))
    }
}

impl<'a> Results<'a> {
    fn result(&self, t: &'a Threat) -> SarifResult<'a> {
        SarifResult {
            level: level(t.severity),
            locations: [Location {
                logical_locations: [Logical {
                    kind: if t.target.kind == "flow" { "flow" } else { "element" },
                    name: &t.target.name,
                }],
                physical_location: Physical {
                    artifact_location: Artifact { uri: self.model_uri },
                    region: Region { start_line: (self.line_of)(t.target.id).max(1) },
                },
            }],
            message: Message { text: format!("{} — {}: {}", t.title, t.target.name, t.rationale.join("; ")) },
            partial_fingerprints: Fingerprints { v1: t.id.to_string() },
            properties: ResultProperties { confidence: t.confidence, score: t.score, severity: t.severity.as_str() },
            rule_id: &t.rule,
            rule_index: self.rule_index[t.rule.as_str()],
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    level: &'static str,
    locations: [Location<'a>; 1],
    message: Message,
    partial_fingerprints: Fingerprints,
    properties: ResultProperties,
    rule_id: &'a str,
    rule_index: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    logical_locations: [Logical<'a>; 1],
    physical_location: Physical<'a>,
}

#[derive(Serialize)]
struct Logical<'a> {
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical<'a> {
    artifact_location: Artifact<'a>,
    region: Region,
}

#[derive(Serialize)]
struct Artifact<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "threatwright/v1")]
    v1: String,
}

#[derive(Serialize)]
struct ResultProperties {
    confidence: Confidence,
    score: u8,
    severity: &'static str,
}

/// Writes the SARIF log of an analysis to `w` (buffer it: the callers write through one).
/// `model_uri` is the model file as given on the
/// command line; `line_of(target id)` gives the 1-based line of the target.
pub fn write(
    a: &Analysis,
    catalog: &Catalog,
    model_uri: &str,
    line_of: &dyn Fn(uuid::Uuid) -> usize,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut rule_index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rules = Vec::new();
    for t in &a.threats {
        if rule_index.contains_key(t.rule.as_str()) {
            continue;
        }
        rule_index.insert(&t.rule, rules.len());
        rules.push(descriptor(a, catalog, t));
    }
    let results = Results { threats: &a.threats, rule_index: &rule_index, model_uri, line_of };
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            results,
            tool: Tool {
                driver: Driver {
                    information_uri: "https://github.com/threatwright/threatwright",
                    name: "Threatwright",
                    rules,
                    version: crate::version(),
                },
            },
        }],
        version: "2.1.0",
    };
    serde_json::to_writer_pretty(&mut *w, &log)?;
    w.write_all(b"\n")
}

/// The reporting descriptor of `t`'s rule (the first threat of each rule describes it).
fn descriptor<'a>(a: &Analysis, catalog: &Catalog, t: &'a Threat) -> Descriptor<'a> {
    let mut help = format!("{}\n\nMitigations:\n", t.description.trim());
    for m in t.mitigations.iter() {
        help.push_str(&format!("- {}\n", m.text));
    }
    let same = t.references.equivalents.labels();
    if !same.is_empty() {
        help.push_str(&format!("\nEquivalent checks: {}\n", same.join(", ")));
    }
    let mut tags = vec!["security".to_string(), t.category.as_str().to_string()];
    tags.extend(t.references.cwe.iter().map(|c| format!("external/cwe/cwe-{c}")));
    Descriptor {
        default_configuration: Level { level: level(default_severity(a, catalog.rule(&t.rule), t)) },
        full_description: Text { text: t.description.trim() },
        help: Help { markdown: help.clone(), text: help },
        id: &t.rule,
        name: t.rule.replace('-', ""),
        properties: DescriptorProperties {
            equivalents: &t.references.equivalents,
            security_severity: security_severity(t.inherent_score),
            tags,
        },
        short_description: Text { text: &t.title },
    }
}

/// SARIF log of an analysis, as text (see [`write`]).
pub fn analysis(a: &Analysis, catalog: &Catalog, model_uri: &str, line_of: &dyn Fn(uuid::Uuid) -> usize) -> String {
    let mut out = Vec::new();
    write(a, catalog, model_uri, line_of, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("SARIF is UTF-8")
}

/// The band of a rule's base likelihood and impact under the model's matrix
/// and bands (the heat-map cell); the threat's own band without the rule.
fn default_severity(a: &Analysis, rule: Option<&crate::rules::Rule>, t: &Threat) -> Severity {
    rule.map_or(t.severity, |r| a.heat_map.cell(r.likelihood, r.impact).severity)
}
