//! Triage, the CI gate, diff, and the other register formats, end to end
//! through the CLI on a small model written for the purpose.

use crate::support::*;
use serde_json::Value;
use std::fs;

const MODEL: &str = r#"name: Gate
assets:
  - {name: Cards, classification: restricted, tags: [pci]}
elements:
  - {name: Client, type: generic.browser}
  - {name: API, type: aws.apigateway, properties: {auth: none}}
  - {name: Fn, type: aws.lambda, data: [Cards], properties: {runtime: python3.12, timeout: 30, memory: 1024, input_validation: true}}
flows:
  - {from: Client, to: API}
  - {from: API, to: Fn, data: [Cards]}
"#;

fn analyze(path: &str, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["analyze", path, "--format", "json", "--as-of", "2026-11-01"];
    args.extend_from_slice(extra);
    let out = run(&args);
    (out.status.code(), serde_json::from_slice(&out.stdout).unwrap_or(Value::Null))
}

fn threat<'a>(json: &'a Value, rule: &str) -> &'a Value {
    json["threats"].as_array().unwrap().iter().find(|t| t["rule"] == rule).unwrap_or_else(|| panic!("{rule} missing"))
}

#[test]
fn ci_gate_fails_on_an_open_high_and_passes_after_triage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gate.yaml");
    fs::write(&path, MODEL).unwrap();
    let p = path.to_str().unwrap();

    let (code, json) = analyze(p, &["--fail-on", "high"]);
    assert_eq!(code, Some(1), "an open high threat fails the gate");
    let t = threat(&json, "TW-API-001");
    assert!(matches!(t["severity"].as_str(), Some("high" | "critical")));
    let id = t["id"].as_str().unwrap().to_string();

    // Only the high threats block; accept each with a note.
    let highs: Vec<String> = json["threats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| matches!(t["severity"].as_str(), Some("high" | "critical")))
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    for h in &highs {
        let out = run(&[
            "triage",
            p,
            &h[..8],
            "--status",
            "accepted",
            "--note",
            "behind the corporate VPN",
            "--owner",
            "alice",
            "--date",
            "2026-11-29",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    let (code, json) = analyze(p, &["--fail-on", "high"]);
    assert_eq!(code, Some(0), "accepted threats no longer block");
    let t = threat(&json, "TW-API-001");
    assert_eq!(t["id"], id.as_str(), "the id is stable across the rewrite");
    assert_eq!(t["status"], "accepted");
    assert_eq!(t["triage"]["note"], "behind the corporate VPN");
    assert_eq!(t["triage"]["owner"], "alice");
    assert_eq!(json["summary"]["by_status"]["accepted"].as_u64().unwrap() as usize, highs.len());

    // Fixing the cause turns the decision into "resolved by design", not silence.
    let fixed = fs::read_to_string(&path).unwrap().replace("auth: none", "auth: jwt");
    fs::write(&path, fixed).unwrap();
    let (_, json) = analyze(p, &[]);
    assert!(json["threats"].as_array().unwrap().iter().all(|t| t["rule"] != "TW-API-001"));
    let resolved = json["resolved"].as_array().unwrap();
    assert!(resolved
        .iter()
        .any(|r| r["rule"] == "TW-API-001" && r["decided"] == "accepted" && r["note"] == "behind the corporate VPN"));
}

#[test]
fn triage_rejects_unknown_ids_and_statuses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.yaml");
    fs::write(&path, MODEL).unwrap();
    let p = path.to_str().unwrap();
    let out = run(&["triage", p, "deadbeef", "--status", "accepted"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no threat with id `deadbeef`"));
    let out = run(&["triage", p, "deadbeef", "--status", "ignored"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read_to_string(&path).unwrap(), MODEL, "bad input never touches the file");
}

#[test]
fn diff_lists_added_removed_and_rescored_threats() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.yaml");
    let new = dir.path().join("new.yaml");
    fs::write(&old, MODEL).unwrap();
    // The new version fixes auth, and adds an unencrypted queue in front of the function.
    let changed = MODEL.replace("auth: none", "auth: jwt").replace(
        "flows:\n",
        "  - {name: Queue, type: aws.sqs, data: [Cards], properties: {encrypted: false}}\nflows:\n  - {from: Fn, to: Queue, data: [Cards]}\n",
    );
    fs::write(&new, changed).unwrap();
    let out = run(&["diff", old.to_str().unwrap(), new.to_str().unwrap(), "--format", "json", "--as-of", "2026-11-01"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(d["removed"].as_array().unwrap().iter().any(|t| t["rule"] == "TW-API-001"));
    assert!(d["added"].as_array().unwrap().iter().any(|t| t["target"] == "Queue"));
    let out = run(&["diff", old.to_str().unwrap(), old.to_str().unwrap()]);
    assert_eq!(text(&out.stdout), "no differences in threats\n");
}

#[test]
fn denial_of_wallet_is_priced_on_the_exposed_trigger() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.yaml");
    fs::write(&path, MODEL).unwrap();
    let (_, json) = analyze(path.to_str().unwrap(), &[]);
    let dow = &json["denial_of_wallet"][0];
    assert_eq!(dow["trigger"], "API");
    let usd = dow["usd_per_month"].as_f64().unwrap();
    // 1000 (account default) × 1 GB × 2,592,000 s × $0.0000166667 ≈ $43,200, plus requests.
    assert!((43_000.0..60_000.0).contains(&usd), "{usd}");
    assert_eq!(json["summary"]["denial_of_wallet_usd_month"].as_f64().unwrap(), usd);
    let dos_on_api = json["threats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["category"] == "Denial of Service" && t["target"]["name"] == "API")
        .collect::<Vec<_>>();
    assert!(!dos_on_api.is_empty() && dos_on_api.iter().all(|t| t["cost"]["usd_per_month"].as_f64() == Some(usd)));

    // Throttling the API removes the exposure.
    fs::write(&path, MODEL.replace("auth: none}", "auth: none, throttling: true}")).unwrap();
    let (_, json) = analyze(path.to_str().unwrap(), &[]);
    assert!(json["denial_of_wallet"].as_array().unwrap().is_empty());
}

#[test]
fn compliance_view_maps_rules_and_regulated_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.yaml");
    fs::write(&path, MODEL).unwrap();
    let (_, json) = analyze(path.to_str().unwrap(), &[]);
    let pci = json["compliance"].as_array().unwrap().iter().find(|c| c["framework"] == "pci_dss").unwrap();
    let entries = pci["threats"].as_array().unwrap();
    assert!(entries.iter().any(|e| e["rule"] == "TW-API-001" && e["reason"] == "rule tagged PCI DSS"));
    assert_eq!(pci["open"].as_u64().unwrap() as usize, entries.len());
}

#[test]
fn every_score_explains_itself() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.yaml");
    fs::write(&path, MODEL).unwrap();
    let (_, json) = analyze(path.to_str().unwrap(), &[]);
    for t in json["threats"].as_array().unwrap() {
        let ex = t["explanation"].as_array().unwrap();
        assert!(ex[0].as_str().unwrap().starts_with("base likelihood"), "{}", t["rule"]);
        assert!(t["score"].as_u64() <= t["inherent_score"].as_u64());
    }
    // The function handles restricted data: threats on it that do not ask about data get +1 impact.
    let fn_threat = json["threats"].as_array().unwrap().iter().find(|t| {
        t["target"]["name"] == "Fn"
            && t["explanation"].as_array().unwrap().iter().any(|e| e.as_str().unwrap().contains("restricted"))
    });
    assert!(fn_threat.is_some());
}

#[test]
fn csv_and_yaml_formats_carry_the_register() {
    let out = run(&["analyze", "models/examples/photo-pipeline.yaml", "--format", "csv", "--as-of", "2026-11-01"]);
    let csv = text(&out.stdout);
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("rank,id,rule,title,category,target"));
    let (_, json) = analyze("models/examples/photo-pipeline.yaml", &[]);
    assert_eq!(lines.count(), json["threats"].as_array().unwrap().len());
    let out = run(&["analyze", "models/examples/photo-pipeline.yaml", "--format", "yaml", "--as-of", "2026-11-01"]);
    let yaml = text(&out.stdout);
    assert!(yaml.contains("threats:") && yaml.contains("rule: TW-STO-001"));
}

#[test]
fn triage_and_diff_work_on_project_files() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("m.yaml");
    let twm = dir.path().join("m.twm");
    fs::write(&yaml, MODEL).unwrap();
    let out = run(&["convert", yaml.to_str().unwrap(), "-o", twm.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let t = twm.to_str().unwrap();
    let (_, json) = analyze(t, &[]);
    let id = threat(&json, "TW-API-001")["id"].as_str().unwrap().to_string();
    let out = run(&["triage", t, &id, "--status", "transferred", "--note", "gateway team owns it", "--owner", "bob"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (_, json) = analyze(t, &[]);
    assert_eq!(threat(&json, "TW-API-001")["status"], "transferred");
    let out = run(&["diff", &format!("{t}@1"), &format!("{t}@latest"), "--format", "json", "--as-of", "2026-11-01"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &d["retriaged"][0];
    assert_eq!(r["old_status"], "open");
    assert_eq!(r["threat"]["status"], "transferred");
}

#[test]
fn new_and_import_write_project_files_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let twm = dir.path().join("new.twm");
    let out = run(&["new", "--template", "aws-rest-api-cognito", "-o", twm.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (code, json) = analyze(twm.to_str().unwrap(), &[]);
    assert_eq!(code, Some(0));
    assert!(json["summary"]["elements"].as_u64().unwrap() > 3);
    let out = run(&["revisions", twm.to_str().unwrap()]);
    assert!(text(&out.stdout).contains("created from template aws-rest-api-cognito"), "{}", text(&out.stdout));
}

/// The one triage policy (`engine::triage`), shared by the CLI, the project
/// file and the app. The CLI used to keep "open with no note" and the app to
/// drop it; the app wrote the target's id and the CLI its name. Now: the
/// target's name, and "open with no note" clears the decision.
#[test]
fn triage_records_the_target_name_and_open_without_a_note_clears() {
    use threatwright::engine::triage::{record, TriageError, TriageRequest};
    use threatwright::model::TriageStatus;
    let catalog = threatwright::rules::builtin_catalog().unwrap();
    let options = threatwright::engine::Options { as_of: "2026-11-01".into(), ..Default::default() };
    let mut model = threatwright::yaml::parse_model(MODEL, "m.yaml").unwrap();
    let analysis = threatwright::engine::analyze(&model, &catalog, &options);
    let t = analysis.threats.iter().find(|t| t.rule == "TW-API-001").unwrap();
    let id = t.id.to_string();
    let request = |status, note: &str| TriageRequest {
        threat: id[..8].to_string(),
        status,
        note: note.into(),
        owner: "alice".into(),
        date: "2026-11-29".into(),
    };

    let out = record(&mut model, &analysis, &request(TriageStatus::Accepted, "behind the VPN")).unwrap();
    assert_eq!((out.from, out.to), (TriageStatus::Open, TriageStatus::Accepted));
    assert_eq!(model.triage.len(), 1);
    assert_eq!(model.triage[0].target, "API", "the target's name, not its id");
    assert_eq!(model.triage[0].threat, t.id);

    record(&mut model, &analysis, &request(TriageStatus::Open, "re-opened: VPN removed")).unwrap();
    assert_eq!(model.triage.len(), 1, "open with a note is kept, replacing the decision");
    assert_eq!(model.triage[0].status, TriageStatus::Open);

    let out = record(&mut model, &analysis, &request(TriageStatus::Open, "  ")).unwrap();
    assert!(out.decision.is_none() && model.triage.is_empty(), "open with no note clears the decision");

    let short = TriageRequest { threat: id[..5].to_string(), ..request(TriageStatus::Accepted, "") };
    assert!(matches!(record(&mut model, &analysis, &short), Err(TriageError::Unknown { .. })), "under 6 characters");
}

#[test]
fn cli_triage_open_without_a_note_removes_the_decision_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.yaml");
    fs::write(&path, MODEL).unwrap();
    let p = path.to_str().unwrap();
    let (_, json) = analyze(p, &[]);
    let id = threat(&json, "TW-API-001")["id"].as_str().unwrap().to_string();
    let out = run(&["triage", p, &id[..8], "--status", "accepted", "--note", "VPN", "--owner", "bob"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = fs::read_to_string(&path).unwrap();
    assert!(written.contains("target: API"), "the target's name is recorded:\n{written}");
    let out = run(&["triage", p, &id[..8], "--status", "open", "--owner", "bob"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("accepted → open"));
    assert!(!fs::read_to_string(&path).unwrap().contains("triage:"), "no decision is left");
}
