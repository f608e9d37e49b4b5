//! Rule families on whole models: each insecure system fires its family's key rules, its secure twin none of them.
//!
//! `tests/corpus/families/<family>-insecure.yaml` is a realistic serverless
//! system with that family's typical misconfigurations; `<family>-secure.yaml`
//! is the same system with the controls switched on. The secure twin must not
//! fire any of the listed rules, nor any threat of severity high or critical.

use crate::support::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;

const AS_OF: &str = "2026-11-01";
const DIR: &str = "tests/corpus/families";

/// Per family: the rules that must fire on the insecure model and stay silent
/// on the secure one.
const FAMILIES: &[(&str, &[&str])] = &[
    (
        "api",
        &[
            "TW-API-001",
            "TW-API-003",
            "TW-API-004",
            "TW-API-005",
            "TW-API-006",
            "TW-API-008",
            "TW-API-009",
            "TW-API-011",
        ],
    ),
    (
        "function",
        &["TW-FN-001", "TW-FN-002", "TW-FN-003", "TW-FN-004", "TW-FN-005", "TW-FN-018", "TW-FN-019", "TW-FN-021"],
    ),
    (
        "privilege",
        &[
            "TW-IAM-001",
            "TW-IAM-002",
            "TW-IAM-003",
            "TW-IAM-005",
            "TW-IAM-006",
            "TW-IAM-007",
            "TW-IAM-008",
            "TW-IAM-009",
        ],
    ),
    ("messaging", &["TW-MSG-001", "TW-MSG-002", "TW-MSG-003", "TW-MSG-004", "TW-MSG-005", "TW-MSG-006", "TW-MSG-007"]),
    (
        "store",
        &[
            "TW-STO-001",
            "TW-STO-006",
            "TW-STO-008",
            "TW-STO-009",
            "TW-STO-010",
            "TW-STO-011",
            "TW-STO-012",
            "TW-STO-014",
        ],
    ),
    (
        "flow",
        &[
            "TW-FLOW-001",
            "TW-FLOW-002",
            "TW-FLOW-003",
            "TW-FLOW-004",
            "TW-FLOW-005",
            "TW-FLOW-006",
            "TW-FLOW-007",
            "TW-FLOW-008",
        ],
    ),
    (
        "external",
        &[
            "TW-EXT-001",
            "TW-EXT-002",
            "TW-EXT-004",
            "TW-EXT-005",
            "TW-EXT-006",
            "TW-EXT-008",
            "TW-EXT-010",
            "TW-EXT-012",
        ],
    ),
];

/// The threats of a model, analysed as JSON on the fixed date.
fn threats(model: &str) -> Vec<Value> {
    let out = run(&["analyze", model, "--format", "json", "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(0), "{model}: analyze failed: {}", text(&out.stderr));
    let json: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{model}: analyze printed invalid JSON ({e})"));
    json["threats"].as_array().unwrap_or_else(|| panic!("{model}: no `threats` array")).clone()
}

fn rule(threat: &Value) -> &str {
    threat["rule"].as_str().unwrap_or_default()
}

/// `rule on target (severity)`, for failure messages.
fn describe(threat: &Value) -> String {
    format!(
        "{} on `{}` ({})",
        rule(threat),
        threat["target"]["name"].as_str().unwrap_or("?"),
        threat["severity"].as_str().unwrap_or("?")
    )
}

#[test]
fn every_family_model_validates() {
    let mut count = 0;
    for entry in fs::read_dir(root().join(DIR)).expect("the families corpus exists") {
        let path = entry.expect("directory entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        count += 1;
        let rel = format!("{DIR}/{}", path.file_name().and_then(|n| n.to_str()).expect("UTF-8 file name"));
        let out = run(&["validate", &rel]);
        assert_eq!(out.status.code(), Some(0), "{rel} does not validate:\n{}", text(&out.stderr));
    }
    assert_eq!(count, 2 * FAMILIES.len(), "expected an insecure and a secure model per family in {DIR}");
}

#[test]
fn insecure_models_fire_their_family_rules() {
    let mut failures = Vec::new();
    for (family, rules) in FAMILIES {
        let model = format!("{DIR}/{family}-insecure.yaml");
        let found = threats(&model);
        let fired: BTreeSet<&str> = found.iter().map(rule).collect();
        for id in *rules {
            if !fired.contains(id) {
                failures.push(format!("family {family}: {id} does not fire on {model}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn secure_models_fire_none_of_their_family_rules_and_nothing_high() {
    let mut failures = Vec::new();
    for (family, rules) in FAMILIES {
        let model = format!("{DIR}/{family}-secure.yaml");
        for threat in threats(&model) {
            if rules.contains(&rule(&threat)) {
                failures.push(format!("family {family}: {} fires on {model}", describe(&threat)));
            }
            if matches!(threat["severity"].as_str(), Some("high" | "critical")) {
                failures
                    .push(format!("family {family}: {model} keeps a high or critical threat: {}", describe(&threat)));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn family_table_lists_four_to_eight_rules_of_its_own_family() {
    let prefixes = [
        ("api", "TW-API-"),
        ("function", "TW-FN-"),
        ("privilege", "TW-IAM-"),
        ("messaging", "TW-MSG-"),
        ("store", "TW-STO-"),
        ("flow", "TW-FLOW-"),
        ("external", "TW-EXT-"),
    ];
    for (family, rules) in FAMILIES {
        let prefix = prefixes
            .iter()
            .find(|(f, _)| f == family)
            .map(|(_, p)| *p)
            .unwrap_or_else(|| panic!("family {family} has no rule prefix"));
        assert!((4..=8).contains(&rules.len()), "family {family}: assert 4 to 8 rules, not {}", rules.len());
        for id in *rules {
            assert!(id.starts_with(prefix), "family {family}: {id} is not a {prefix} rule");
        }
    }
}
