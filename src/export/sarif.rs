//! SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning): one
//! reporting descriptor per rule that fired, with help text, and one result
//! per open threat with a level, a location in the model file (line of the
//! element or flow) and a stable fingerprint.
//! Must not: compute scores or bands (the default level of a rule is the
//! heat-map cell of its base likelihood and impact).

use crate::engine::Analysis;
use crate::model::TriageStatus;
use crate::risk::Severity;
use crate::rules::Catalog;
use serde_json::{json, Value};
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

/// SARIF log of an analysis. `model_uri` is the model file as given on the
/// command line; `line_of(target id)` gives the 1-based line of the target.
pub fn analysis(a: &Analysis, catalog: &Catalog, model_uri: &str, line_of: &dyn Fn(uuid::Uuid) -> usize) -> String {
    let mut rule_index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rules = Vec::new();
    for t in &a.threats {
        if rule_index.contains_key(t.rule.as_str()) {
            continue;
        }
        rule_index.insert(&t.rule, rules.len());
        let r = catalog.rule(&t.rule);
        let help_text = {
            let mut s = format!("{}\n\nMitigations:\n", t.description.trim());
            for m in t.mitigations.iter() {
                s.push_str(&format!("- {}\n", m.text));
            }
            s
        };
        let mut tags = vec!["security".to_string(), t.category.as_str().to_string()];
        tags.extend(t.references.cwe.iter().map(|c| format!("external/cwe/cwe-{c}")));
        rules.push(json!({
            "id": t.rule,
            "name": t.rule.replace('-', ""),
            "shortDescription": { "text": t.title },
            "fullDescription": { "text": t.description.trim() },
            "help": { "text": help_text, "markdown": help_text },
            "defaultConfiguration": { "level": level(default_severity(a, r, t)) },
            "properties": { "tags": tags, "security-severity": security_severity(t.inherent_score) }
        }));
    }
    let results: Vec<Value> = a
        .threats
        .iter()
        .filter(|t| t.status == TriageStatus::Open)
        .map(|t| {
            json!({
                "ruleId": t.rule,
                "ruleIndex": rule_index[t.rule.as_str()],
                "level": level(t.severity),
                "message": { "text": format!("{} — {}: {}", t.title, t.target.name, t.rationale.join("; ")) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": model_uri },
                        "region": { "startLine": line_of(t.target.id).max(1) }
                    },
                    "logicalLocations": [{ "name": t.target.name, "kind": if t.target.kind == "flow" { "flow" } else { "element" } }]
                }],
                "partialFingerprints": { "threatwright/v1": t.id.to_string() },
                "properties": { "score": t.score, "severity": t.severity.as_str(), "confidence": t.confidence }
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "Threatwright",
                "version": crate::version(),
                "informationUri": "https://github.com/threatwright/threatwright",
                "rules": rules
            }},
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&log).expect("SARIF serialises");
    s.push('\n');
    s
}

/// The band of a rule's base likelihood and impact under the model's matrix
/// and bands (the heat-map cell); the threat's own band without the rule.
fn default_severity(a: &Analysis, rule: Option<&crate::rules::Rule>, t: &crate::engine::Threat) -> Severity {
    rule.map_or(t.severity, |r| a.heat_map.cell(r.likelihood, r.impact).severity)
}
