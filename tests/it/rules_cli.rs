//! User rule folders, disabling rules, and located errors for broken rule files.

use crate::support::*;

#[test]
fn a_user_rule_folder_adds_rules_that_fire() {
    let model = "tests/corpus/user-rules-model.yaml";
    let out =
        run(&["analyze", model, "--format", "json", "--rules", "tests/corpus/user-rules", "--as-of", "2026-11-01"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hit = json["threats"].as_array().unwrap().iter().find(|t| t["rule"] == "ACME-001").expect("ACME-001 fires");
    assert_eq!(hit["target"]["name"], "Lab results");
    assert!(hit["rationale"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().contains("phi")));

    let out = run(&[
        "analyze",
        model,
        "--rules",
        "tests/corpus/user-rules",
        "--disable",
        "ACME-001",
        "--as-of",
        "2026-11-01",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["threats"].as_array().unwrap().iter().all(|t| t["rule"] != "ACME-001"));
}

#[test]
fn disabling_an_unknown_rule_is_bad_input() {
    let out = run(&["analyze", "models/examples/orders-service.yaml", "--disable", "NOPE-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown rule id `NOPE-1`"));
}

#[test]
fn rules_check_accepts_a_good_file() {
    let out = run(&["rules", "--check", "tests/corpus/user-rules/team.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("1 rule(s) ok"));
}

#[test]
fn a_broken_rule_file_gives_located_errors_and_exit_2() {
    let file = "tests/corpus/rules-invalid/broken.yaml";
    for args in [vec!["rules", "--check", file], vec!["rules", "--rules", "tests/corpus/rules-invalid"]] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        for line in stderr.lines() {
            assert!(line.starts_with(&format!("error: {file}:")), "unlocated: {line}");
        }
        for needle in [
            "unknown STRIDE category `Spoofy`",
            "category `bucket` belongs to kind store",
            "unknown property `timout`",
            "unknown fact `internet_facingg`",
            "unknown property `auth` for function",
            "value does not fit the property: expected an integer",
            "numeric fact `fan_in` needs a comparison",
            "a condition needs exactly one of",
            "`likelihood`: expected an integer from 1 to 5",
            "unknown practice `hope`",
            "`cwe` expects numbers",
            "`csa` expects SAS-1",
            "unknown compliance framework `iso27001`",
            "unknown key `colour` in a rule",
            "`examples.fires` needs at least one example",
            "example target `Nope`",
            "duplicate rule id `BAD-002`",
            "property `versioning`: expected true or false",
        ] {
            assert!(stderr.contains(needle), "missing `{needle}` in:\n{stderr}");
        }
    }
}

#[test]
fn a_rule_whose_example_misbehaves_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.yaml");
    let body = std::fs::read_to_string(root().join("tests/corpus/user-rules/team.yaml")).unwrap();
    // Swap the examples' meaning: the secure variant is now claimed to fire.
    let swapped = body
        .replace("      fires:", "      tmp:")
        .replace("      silent:", "      fires:")
        .replace("      tmp:", "      silent:");
    std::fs::write(&path, swapped).unwrap();
    let out = run(&["rules", "--check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("ACME-001 should fire on `Fn` but does not"), "{stderr}");
    assert!(stderr.contains("ACME-001 should stay silent on `Fn` but fires"), "{stderr}");
}

#[test]
fn a_user_rule_reusing_a_retired_id_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let body = std::fs::read_to_string(root().join("tests/corpus/user-rules/team.yaml")).unwrap();
    std::fs::write(dir.path().join("r.yaml"), body.replace("ACME-001", "TW-FN-013")).unwrap();
    let out = run(&["rules", "--rules", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    let file = dir.path().join("r.yaml").display().to_string();
    assert!(stderr.starts_with(&format!("error: {file}:")), "{stderr}");
    assert!(stderr.contains("rule id `TW-FN-013` was retired in 0.1.0"), "{stderr}");
}

#[test]
fn a_single_rule_file_can_be_passed_as_a_rule_folder() {
    let out = run(&["rules", "--rules", "tests/corpus/user-rules/team.yaml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("ACME-001"));
}
