//! `analyze`: the JSON contract, compact snapshots of every example and
//! template analysis, the Markdown register of the examples,
//! determinism, the CI gate and the precision bar on a well-configured model.

use crate::support::*;
use serde_json::Value;

const AS_OF: &str = "2026-11-01";

fn analyze_json(model: &str, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["analyze", model, "--format", "json", "--as-of", AS_OF];
    args.extend_from_slice(extra);
    let out = run(&args);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{model}: bad JSON ({e}): {}", text(&out.stderr)));
    (out.status.code(), json)
}

/// One line per threat, sorted: `rule@target: severity score, confidence …,
/// inherent severity score, status` (plus the denial-of-wallet bound and the
/// generic marker when present), then resolved decisions and diagnostics.
/// Wording changes in rationales or mitigations do not show here; a rule
/// that starts or stops firing, or a score that moves, does.
fn snapshot(json: &Value) -> String {
    let str_of = |v: &Value| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
    let threats = json["threats"].as_array().expect("threats array");
    let mut lines: Vec<String> = threats
        .iter()
        .map(|t| {
            let mut line = format!(
                "{}@{}: {} {}, confidence {}, inherent {} {}, {}",
                str_of(&t["rule"]),
                str_of(&t["target"]["name"]),
                str_of(&t["severity"]),
                t["score"],
                str_of(&t["confidence"]),
                str_of(&t["inherent_severity"]),
                t["inherent_score"],
                str_of(&t["status"]),
            );
            if let Some(usd) = t["cost"]["usd_per_month"].as_f64() {
                line.push_str(&format!(", cost {usd:.0} USD/month"));
            }
            if t["generic"] == Value::Bool(true) {
                line.push_str(", generic");
            }
            line
        })
        .collect();
    lines.sort();
    let by = &json["summary"]["by_severity"];
    let mut out = format!(
        "# {} as of {}: {} threats ({} critical, {} high, {} medium, {} low)\n",
        str_of(&json["model"]),
        str_of(&json["as_of"]),
        threats.len(),
        by["critical"],
        by["high"],
        by["medium"],
        by["low"],
    );
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    for (key, label) in [("resolved", "resolved"), ("diagnostics", "diagnostic")] {
        for item in json[key].as_array().into_iter().flatten() {
            out.push_str(&format!("{label}: {item}\n"));
        }
    }
    out
}

/// Model files whose analyses are snapshotted: every example and every
/// template, so a refactor that changes what fires shows as a reviewed diff.
fn snapshotted_models() -> Vec<(String, String)> {
    let mut models = Vec::new();
    for dir in ["examples", "templates"] {
        let mut names: Vec<String> = std::fs::read_dir(root().join("models").join(dir))
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".yaml").map(str::to_string))
            .collect();
        names.sort();
        models.extend(names.into_iter().map(|n| (dir.to_string(), n)));
    }
    models
}

#[test]
fn every_example_and_template_analysis_matches_its_snapshot() {
    let models = snapshotted_models();
    assert!(models.len() >= 16, "examples and templates: {models:?}");
    let mut failures = Vec::new();
    for (dir, name) in &models {
        let (code, json) = analyze_json(&format!("models/{dir}/{name}.yaml"), &[]);
        assert_eq!(code, Some(0), "{dir}/{name}");
        let golden = root().join(format!("tests/golden/{dir}/{name}.threats"));
        // Check every model before failing, so one run writes every `.new` file.
        if let Err(e) = std::panic::catch_unwind(|| assert_golden(&golden, &snapshot(&json))) {
            failures.push(e.downcast::<String>().map(|s| *s).unwrap_or_default());
        }
    }
    assert!(failures.is_empty(), "{} snapshots differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn example_markdown_registers_match_their_golden_files() {
    for name in ["orders-service", "photo-pipeline"] {
        let md = run(&["analyze", &format!("models/examples/{name}.yaml"), "--format", "markdown", "--as-of", AS_OF]);
        assert_eq!(md.status.code(), Some(0));
        assert_golden(&root().join(format!("tests/golden/{name}.analysis.md")), &text(&md.stdout));
    }
}

#[test]
fn json_follows_the_product_contract() {
    let (_, json) = analyze_json("models/examples/photo-pipeline.yaml", &[]);
    let threats = json["threats"].as_array().expect("threats array");
    assert!(!threats.is_empty());
    let categories = [
        "Spoofing",
        "Tampering",
        "Repudiation",
        "Information Disclosure",
        "Denial of Service",
        "Elevation of Privilege",
    ];
    for t in threats {
        for key in [
            "id",
            "rule",
            "title",
            "category",
            "target",
            "likelihood",
            "impact",
            "score",
            "severity",
            "status",
            "mitigations",
            "rationale",
        ] {
            assert!(!t[key].is_null(), "threat lacks `{key}`: {t}");
        }
        for key in ["id", "name", "kind"] {
            assert!(t["target"][key].is_string(), "target lacks `{key}`");
        }
        assert!(categories.contains(&t["category"].as_str().unwrap()));
        let (l, i, s) =
            (t["likelihood"].as_u64().unwrap(), t["impact"].as_u64().unwrap(), t["score"].as_u64().unwrap());
        assert!((1..=5).contains(&l) && (1..=5).contains(&i) && s == l * i);
        assert!(["low", "medium", "high", "critical"].contains(&t["severity"].as_str().unwrap()));
        assert!(!t["rationale"].as_array().unwrap().is_empty(), "a threat must say why it fired: {}", t["rule"]);
        // Mitigations are indices into the rule's entry of the `rules` table.
        let rule = &json["rules"][t["rule"].as_str().unwrap()];
        assert!(rule["description"].is_string(), "rules lacks {}", t["rule"]);
        let indices = t["mitigations"].as_array().unwrap();
        assert!(!indices.is_empty(), "a threat names its mitigations: {}", t["rule"]);
        for i in indices {
            let m = &rule["mitigations"][i.as_u64().expect("an index") as usize];
            assert!(m["practice"].is_string() || m["standard"].is_string(), "{}: mitigation {i} is {m}", t["rule"]);
        }
        assert!(t["description"].is_null(), "the rule's text lives once, in `rules`");
    }
    assert_eq!(json["format_version"], 2);
    assert_eq!(json["format_minor"], 1, "the minor version sits beside the major one (format 2.1)");
    let summary = &json["summary"]["by_severity"];
    let total: u64 = ["low", "medium", "high", "critical"].iter().map(|s| summary[*s].as_u64().unwrap()).sum();
    assert_eq!(total as usize, threats.len());
    // Ranked by score, highest first.
    let scores: Vec<u64> = threats.iter().map(|t| t["score"].as_u64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn threat_ids_are_stable_across_unrelated_edits() {
    let (_, before) = analyze_json("models/examples/photo-pipeline.yaml", &[]);
    let dir = tempfile::tempdir().unwrap();
    let edited = dir.path().join("edited.yaml");
    let original = std::fs::read_to_string(root().join("models/examples/photo-pipeline.yaml")).unwrap();
    // Add an unrelated element and rename nothing: every existing threat keeps its id.
    let text =
        original.replace("elements:\n", "elements:\n  - name: Unrelated partner\n    type: generic.partner_api\n");
    std::fs::write(&edited, text).unwrap();
    let (_, after) = analyze_json(edited.to_str().unwrap(), &[]);
    let ids = |v: &Value| -> Vec<(String, String)> {
        v["threats"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["id"].as_str().unwrap().to_string(), t["rule"].as_str().unwrap().to_string()))
            .collect()
    };
    let after_ids = ids(&after);
    for (id, rule) in ids(&before) {
        assert!(after_ids.iter().any(|(a, _)| *a == id), "threat {rule} {id} lost its id");
    }
}

#[test]
fn analysis_is_deterministic() {
    let a = run(&["analyze", "models/examples/photo-pipeline.yaml", "--as-of", AS_OF]);
    let b = run(&["analyze", "models/examples/photo-pipeline.yaml", "--as-of", AS_OF]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn a_well_configured_model_has_no_high_or_critical_threat() {
    let (_, json) = analyze_json("models/examples/orders-service.yaml", &[]);
    let serious: Vec<String> = json["threats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| matches!(t["severity"].as_str(), Some("high" | "critical")))
        .map(|t| format!("{} on {}", t["rule"], t["target"]["name"]))
        .collect();
    assert!(serious.is_empty(), "well-configured model raised: {serious:?}");
}

#[test]
fn fail_on_gates_ci() {
    let (code, _) = analyze_json("models/examples/photo-pipeline.yaml", &["--fail-on", "high"]);
    assert_eq!(code, Some(1), "open high threats must fail the gate");
    let (code, _) = analyze_json("models/examples/orders-service.yaml", &["--fail-on", "high"]);
    assert_eq!(code, Some(0));
    let out = run(&["analyze", "models/examples/orders-service.yaml", "--fail-on", "severe"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_half_drawn_model_is_bad_input_for_the_cli_but_analysable_by_the_library() {
    use threatwright::engine::{analyze, Options};
    let text = "name: x\nelements:\n  - {name: API, type: aws.apigateway, properties: {auth: none}}\n  - {name: F, type: aws.lambda}\nflows:\n  - {from: API, to: F}\n  - {from: F, to: Ghost}\n";
    let root_node = threatwright::yaml::load(text, threatwright::yaml::Limits::default()).unwrap();
    let (model, _, problems) = threatwright::yaml::read::read(&root_node);
    assert!(!problems.is_empty());
    let catalog = threatwright::rules::builtin_catalog().unwrap();
    let analysis = analyze(&model, &catalog, &Options::default());
    assert!(analysis.threats.iter().any(|t| t.rule == "TW-API-001"), "the well-formed part is still analysed");
}

#[test]
fn json_output_validates_against_its_published_schema() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("docs/analysis-format.schema.json")).unwrap())
            .expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the analysis schema compiles");
    let mut triaged = 0;
    for (dir, name) in snapshotted_models() {
        let (_, json) = analyze_json(&format!("models/{dir}/{name}.yaml"), &[]);
        let errors: Vec<String> =
            validator.iter_errors(&json).take(5).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{dir}/{name}: {errors:?}");
        triaged += json["threats"].as_array().unwrap().iter().filter(|t| !t["triage"].is_null()).count();
    }
    assert!(triaged > 0, "some example carries triage decisions, so their shape is checked too");
    // The schema is not vacuous: the version-1 shape (text on every threat) and a missing table fail.
    let (_, mut json) = analyze_json("models/examples/photo-pipeline.yaml", &[]);
    json["threats"][0]["description"] = Value::String("inline text".into());
    assert!(!validator.is_valid(&json), "a threat carrying its rule's text is the old shape");
    let (_, mut json) = analyze_json("models/examples/photo-pipeline.yaml", &[]);
    json.as_object_mut().unwrap().remove("rules");
    assert!(!validator.is_valid(&json));
}
