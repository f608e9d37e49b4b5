//! SARIF output validates against the SARIF 2.1.0 JSON schema (OASIS,
//! shipped as test data) and carries what GitHub code scanning needs.

use crate::support::*;
use serde_json::Value;

fn sarif(model: &str) -> Value {
    let out = run(&["analyze", model, "--format", "sarif", "--as-of", "2026-11-01"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    for model in ["models/examples/photo-pipeline.yaml", "models/examples/orders-service.yaml"] {
        let log = sarif(model);
        let errors: Vec<String> =
            validator.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{model}: SARIF does not validate:\n{}", errors.join("\n"));
    }
}

#[test]
fn sarif_results_point_at_the_element_in_the_model_file() {
    let log = sarif("models/examples/photo-pipeline.yaml");
    let run0 = &log["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run0["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let text = std::fs::read_to_string(root().join("models/examples/photo-pipeline.yaml")).unwrap();
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        assert!(rules[idx]["help"]["text"].as_str().unwrap().contains("Mitigations"));
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "models/examples/photo-pipeline.yaml");
        let line = loc["region"]["startLine"].as_u64().unwrap() as usize;
        let name = r["locations"][0]["logicalLocations"][0]["name"].as_str().unwrap();
        if r["locations"][0]["logicalLocations"][0]["kind"] == "element" {
            let at = text.lines().nth(line - 1).unwrap();
            assert!(at.contains(name), "line {line} `{at}` should name `{name}`");
        }
    }
}
