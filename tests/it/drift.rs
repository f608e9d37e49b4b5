//! Drift: `import sam|serverless|terraform … --onto MODEL` re-imports changed infrastructure
//! onto a triaged, renamed and rearranged model and loses none of it; the report names the
//! changes and the threats they make appear, disappear or change severity; a second re-import
//! of the same infrastructure changes nothing; `--dry-run` writes nothing.

use crate::support::*;
use std::path::Path;
use threatwright::model::{Model, Position};

const AS_OF: &str = "2026-11-01";

fn load(path: &Path) -> Model {
    threatwright::store::load_model(path).unwrap_or_else(|d| panic!("{}: {d}", path.display()))
}

fn save(path: &Path, m: &Model) {
    std::fs::write(path, threatwright::yaml::to_string(m)).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = run(args);
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

/// Imports the Terraform fixture, triages a threat, renames and moves the table.
fn triaged_model(dir: &Path) -> (std::path::PathBuf, String) {
    let tf = dir.join("v1");
    copy_dir(&root().join("tests/corpus/terraform/orders"), &tf);
    let model = dir.join("orders.yaml");
    let (code, _, err) = cli(&["import", "terraform", tf.to_str().unwrap(), "-o", model.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, csv, err) = cli(&["analyze", model.to_str().unwrap(), "--format", "csv", "--as-of", AS_OF]);
    assert_eq!(code, 0, "{err}");
    let pitr = csv.lines().find(|l| l.contains("TW-STO-009")).expect("the table lacks PITR").split(',').nth(1).unwrap();
    let (code, _, err) = cli(&[
        "triage",
        model.to_str().unwrap(),
        pitr,
        "--status",
        "accepted",
        "--note",
        "AWS Backup plan, see OPS-12",
        "--date",
        AS_OF,
    ]);
    assert_eq!(code, 0, "{err}");
    let mut m = load(&model);
    let table = m.elements.iter_mut().find(|e| e.name == "orders").unwrap();
    table.name = "Orders table".into();
    table.description = "Holds every order.".into();
    table.position = Some(Position { x: 4321, y: 1234 });
    save(&model, &m);
    (model, pitr.to_string())
}

/// The fixture, changed: the Glue job removed, the workers on a supported runtime without
/// AdministratorAccess, a new audit queue.
fn changed_terraform(dir: &Path) -> std::path::PathBuf {
    let v2 = dir.join("v2");
    copy_dir(&dir.join("v1"), &v2);
    let main = v2.join("main.tf");
    let mut s = std::fs::read_to_string(&main).unwrap();
    let (a, b) = (s.find("resource \"aws_glue_job\"").unwrap(), s.find("module \"notify\"").unwrap());
    s.replace_range(a..b, "");
    s = s.replace("nodejs16.x", "nodejs22.x");
    let (a, b) = (
        s.find("resource \"aws_iam_role_policy_attachment\"").unwrap(),
        s.find("resource \"aws_lambda_event_source_mapping\"").unwrap(),
    );
    s.replace_range(a..b, "");
    s.push_str("\nresource \"aws_sqs_queue\" \"audit\" {\n  name = \"audit\"\n}\n");
    std::fs::write(&main, s).unwrap();
    v2
}

#[test]
fn a_changed_terraform_reimport_keeps_triage_names_layout_and_reports_the_drift() {
    let dir = tempfile::tempdir().unwrap();
    let (model, pitr) = triaged_model(dir.path());
    let before = load(&model);
    let v2 = changed_terraform(dir.path());
    let (code, report, err) = cli(&[
        "import",
        "terraform",
        v2.to_str().unwrap(),
        "--onto",
        model.to_str().unwrap(),
        "--report",
        "json",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(code, 0, "{err}");
    let r: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(r["added"], serde_json::json!(["audit"]));
    assert_eq!(r["disappeared"], serde_json::json!(["report"]));
    assert_eq!(r["triage_kept"], 1);
    let runtime: Vec<&serde_json::Value> =
        r["changed"].as_array().unwrap().iter().filter(|c| c["property"] == "runtime").collect();
    assert_eq!(runtime.len(), 2, "{}", r["changed"]);
    assert_eq!(runtime[0]["new"], "nodejs22.x");
    assert_eq!(r["grants_removed"].as_array().unwrap().len(), 2, "AdministratorAccess of both workers");
    let removed: Vec<&str> =
        r["threats"]["removed"].as_array().unwrap().iter().map(|t| t["rule"].as_str().unwrap()).collect();
    assert!(removed.contains(&"TW-IAM-003") && removed.contains(&"TW-FN-003"), "{removed:?}");

    let after = load(&model);
    // Nothing the user did is lost.
    assert_eq!(after.triage, before.triage);
    assert!(after.triage[0].threat.to_string().starts_with(&pitr));
    let table = after.elements.iter().find(|e| e.name == "Orders table").expect("the rename is kept");
    assert_eq!(table.description, "Holds every order.");
    assert_eq!(table.position, Some(Position { x: 4321, y: 1234 }));
    for e in &before.elements {
        if let Some(now) = after.elements.iter().find(|x| x.id == e.id) {
            assert_eq!(now.position, e.position, "{} moved", e.name);
        } else {
            panic!("{} was deleted", e.name);
        }
    }
    // What disappeared is marked, what is new is placed.
    let report_el = after.elements.iter().find(|e| e.name == "report").unwrap();
    assert!(report_el.description.contains("Drift: not found"), "{}", report_el.description);
    assert!(after.elements.iter().find(|e| e.name == "audit").unwrap().position.is_some());
    // The accepted threat is still accepted in the analysis.
    let (_, csv, _) = cli(&["analyze", model.to_str().unwrap(), "--format", "csv", "--as-of", AS_OF]);
    let line = csv.lines().find(|l| l.contains(&pitr)).unwrap();
    assert!(line.contains("accepted"), "{line}");

    // The same infrastructure again: nothing changes, and --dry-run writes nothing.
    let text_before = std::fs::read_to_string(&model).unwrap();
    let (code, report, err) =
        cli(&["import", "terraform", v2.to_str().unwrap(), "--onto", model.to_str().unwrap(), "--as-of", AS_OF]);
    assert_eq!(code, 0, "{err}");
    assert!(
        report.contains("no changes in the infrastructure") && report.contains("no differences in threats"),
        "{report}"
    );
    assert_eq!(load(&model), load_text(&text_before));
    let (code, report, _) = cli(&[
        "import",
        "terraform",
        dir.path().join("v1").to_str().unwrap(),
        "--onto",
        model.to_str().unwrap(),
        "--dry-run",
    ]);
    assert_eq!(code, 0);
    assert!(report.contains("elements back in the infrastructure") && report.contains("report"), "{report}");
    assert_eq!(load(&model), load_text(&text_before), "--dry-run wrote the model");
}

fn load_text(text: &str) -> Model {
    threatwright::yaml::parse_model(text, "before").unwrap()
}

#[test]
fn a_sam_reimport_onto_a_project_file_adds_a_revision_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.yaml");
    let original = std::fs::read_to_string(root().join("tests/corpus/sam/sqs-sns-fanout.json")).unwrap();
    std::fs::write(&template, &original).unwrap();
    let project = dir.path().join("fanout.twm");
    let (code, _, err) = cli(&["import", "sam", template.to_str().unwrap(), "-o", project.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let before = load(&project);
    // A new function in the template.
    let mut doc: serde_json::Value = serde_json::from_str(&original).unwrap();
    doc["Resources"]["AuditFunction"] = serde_json::json!({
        "Type": "AWS::Serverless::Function",
        "Properties": { "Runtime": "python3.12", "Handler": "a.h", "CodeUri": "." }
    });
    std::fs::write(&template, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let (code, report, err) =
        cli(&["import", "sam", template.to_str().unwrap(), "--onto", project.to_str().unwrap(), "--as-of", AS_OF]);
    assert_eq!(code, 0, "{err}");
    assert!(report.contains("+ AuditFunction"), "{report}");
    let after = load(&project);
    assert_eq!(after.elements.len(), before.elements.len() + 1);
    let (code, log, err) = cli(&["revisions", project.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(log.contains("re-imported infrastructure"), "{log}");
}

#[test]
fn onto_a_missing_or_broken_model_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.yaml");
    let (code, _, err) =
        cli(&["import", "terraform", "tests/corpus/terraform/orders", "--onto", missing.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(!missing.exists());
    let broken = dir.path().join("broken.yaml");
    std::fs::write(&broken, "threatwright: \"2.1\"\nname: [\n").unwrap();
    let (code, _, err) =
        cli(&["import", "terraform", "tests/corpus/terraform/orders", "--onto", broken.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("broken.yaml:"), "located: {err}");
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), "threatwright: \"2.1\"\nname: [\n");
}
