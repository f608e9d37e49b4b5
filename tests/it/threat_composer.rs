//! AWS Threat Composer: the export (valid against Threat Composer's schema,
//! `tests/schemas/threat-composer-v1.schema.json`) of every example and
//! template, and the round trip model → .tc.json → model → .tc.json; import of
//! Threat Composer's own threat model (its threats, mitigations with their
//! links and statuses, assumptions) and its round trip; laying a file edited
//! in Threat Composer onto a model (`--onto`): a changed status becomes a
//! triage decision, a new threat is kept on the element it names; bad input
//! located with exit code 2. A property test: no input panics.

use crate::support::*;
use proptest::prelude::*;
use serde_json::{json, Value as J};
use std::collections::BTreeSet;
use threatwright::engine::{analyze, Analysis, Options};
use threatwright::import::threat_composer as tc;
use threatwright::import::threat_dragon::notes;
use threatwright::model::{Model, TriageStatus};

const EXAMPLE: &str = "tests/corpus/threat-composer/ThreatComposer.tc.json";
const AS_OF: &str = "2026-11-01";

fn analysis(m: &Model) -> Analysis {
    let catalog = threatwright::rules::builtin_catalog().unwrap();
    analyze(m, &catalog, &Options { as_of: AS_OF.into(), ..Options::default() })
}

fn export(m: &Model) -> String {
    threatwright::export::threat_composer::analysis(m, &analysis(m))
}

fn import(label: &str, text: &str) -> threatwright::import::sam::Imported {
    tc::import(text, label).unwrap_or_else(|d| panic!("{label}: {d}"))
}

fn load(path: &str) -> Model {
    let mut m = threatwright::store::load_model(&root().join(path)).unwrap();
    if m.elements.iter().any(|e| e.position.is_none()) {
        threatwright::layout::auto_layout(&mut m);
    }
    m
}

fn assert_valid(label: &str, text: &str) {
    let doc: J = serde_json::from_str(text).expect("the export is JSON");
    assert_schema_valid("tests/schemas/threat-composer-v1.schema.json", label, &doc);
}

#[test]
fn export_validates_and_round_trips_every_example() {
    let models = examples_with_decisions(AS_OF);
    assert!(models.len() >= 15, "{} models", models.len());
    for (label, m) in models {
        let first = export(&m);
        assert_valid(&label, &first);
        let doc: J = serde_json::from_str(&first).unwrap();
        assert_eq!(doc["threats"].as_array().unwrap().len(), analysis(&m).threats.len(), "{label}: one per threat");
        let im = import(&label, &first);
        assert!(im.warnings.is_empty(), "{label}: {:?}", im.warnings);
        let back = im.model;
        assert_same_model(&label, &back, &m);
        let key = |a: &Analysis| -> Vec<_> { a.threats.iter().map(|t| (t.id, t.score, t.status)).collect() };
        assert_eq!(key(&analysis(&back)), key(&analysis(&m)), "{label}: threats");
        assert_eq!(export(&back), first, "{label}: a second round trip changes the file");
    }
}

#[test]
fn a_threat_reads_as_a_statement_with_its_mitigations_linked() {
    let m = load("models/examples/photo-pipeline.yaml");
    let a = analysis(&m);
    let doc: J = serde_json::from_str(&export(&m)).unwrap();
    let t = a.threats.iter().find(|t| t.rule == "TW-STO-001").expect("the public bucket threat");
    let w = doc["threats"].as_array().unwrap().iter().find(|x| x["id"] == t.id.to_string()).unwrap();
    assert_eq!(
        w["statement"],
        "A threat actor who exploits \"Store holding confidential data is publicly readable\" on Uploads bucket \
         can read data that Uploads bucket holds or handles, which leads to the disclosure of data to someone not \
         entitled to it, resulting in reduced confidentiality of Photos and Location data"
    );
    assert_eq!(w["impactedGoal"], json!(["confidentiality"]));
    assert_eq!(w["impactedAssets"], json!(["Photos", "Location data"]));
    assert_eq!(w["status"], "threatIdentified");
    let meta = |k: &str| w["metadata"].as_array().unwrap().iter().find(|m| m["key"] == k).map(|m| m["value"].clone());
    assert_eq!(meta("STRIDE"), Some(json!(["I"])));
    assert_eq!(meta("Priority"), Some(json!("High")));
    assert_eq!(meta(tc::META_RULE), Some(json!("TW-STO-001")));
    // Each of the rule's mitigations is linked to the threat; shared ones are written once.
    let links: Vec<&J> =
        doc["mitigationLinks"].as_array().unwrap().iter().filter(|l| l["linkedId"] == w["id"]).collect();
    assert_eq!(links.len(), t.mitigations.len());
    let ids: BTreeSet<String> =
        doc["mitigations"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids.len(), doc["mitigations"].as_array().unwrap().len(), "mitigations are not repeated");
    let content =
        |id: &J| doc["mitigations"].as_array().unwrap().iter().find(|m| m["id"] == *id).unwrap()["content"].clone();
    assert_eq!(content(&links[0]["mitigationId"]), t.mitigations[0].text);
    // An external target is spoofed, not called.
    let s = a.threats.iter().find(|t| t.target.kind == "external" && t.category.as_str() == "Spoofing");
    if let Some(s) = s {
        let w = doc["threats"].as_array().unwrap().iter().find(|x| x["id"] == s.id.to_string()).unwrap();
        assert!(w["threatAction"].as_str().unwrap().starts_with(&format!("pass as {}", s.target.name)), "{w}");
    }
}

#[test]
fn imports_threat_composers_own_threat_model() {
    let text = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let source: J = serde_json::from_str(&text).unwrap();
    let im = import(EXAMPLE, &text);
    // The diagram images cannot come along, and the import says so.
    assert_eq!(im.warnings.len(), 2, "{:?}", im.warnings);
    assert!(im.warnings.iter().all(|w| w.to_string().contains("image is not imported")));
    let m = &im.model;
    assert_eq!(m.name, "Threat composer");
    assert_eq!(m.elements.len(), 1, "one element stands for the application");
    let kept = notes::split(&m.elements[0].description).1.threats;
    assert_eq!(kept.len(), 20);
    let t = kept.iter().find(|k| k.id == "f29b9a9f-94d9-4d6e-be3e-5fffb874d2a6").unwrap();
    assert_eq!(
        (t.tool.as_str(), t.status, t.kind.as_str()),
        (tc::TOOL, Some(TriageStatus::Mitigated), "Information Disclosure")
    );
    assert!(t.title.starts_with("A threat actor that is able to trick a user"), "{}", t.title);
    assert!(t.description.contains("Impacted assets: application metadata; threats; mitigations; assumptions"));
    assert_eq!(m.assets.len(), 7, "{:?}", m.assets.iter().map(|a| &a.name).collect::<Vec<_>>());
    assert_eq!(m.scope.split("\n\n").count(), source["assumptions"].as_array().unwrap().len());

    // Back out: every threat with its statement and status, every threat's mitigation links.
    let first = export(m);
    assert_valid(EXAMPLE, &first);
    let doc: J = serde_json::from_str(&first).unwrap();
    let threat_ids: BTreeSet<&str> =
        source["threats"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    for t in source["threats"].as_array().unwrap() {
        let w = doc["threats"].as_array().unwrap().iter().find(|x| x["id"] == t["id"]).expect("the threat is written");
        for key in [
            "statement",
            "status",
            "threatSource",
            "prerequisites",
            "threatAction",
            "threatImpact",
            "impactedGoal",
            "impactedAssets",
            "numericId",
        ] {
            // An empty part is written as absent (Threat Composer writes either).
            let empty = |v: &J| v.is_null() || *v == json!("") || *v == json!([]);
            assert!(
                w[key] == t[key] || empty(&w[key]) && empty(&t[key]),
                "{}: {key}: {} vs {}",
                t["id"],
                w[key],
                t[key]
            );
        }
    }
    let links = |d: &J| -> BTreeSet<(String, String)> {
        d["mitigationLinks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| threat_ids.contains(l["linkedId"].as_str().unwrap()))
            .map(|l| (l["mitigationId"].as_str().unwrap().to_string(), l["linkedId"].as_str().unwrap().to_string()))
            .collect()
    };
    assert_eq!(links(&doc), links(&source));
    let back = import("again.tc.json", &first);
    assert_eq!(export(&back.model), first, "a second round trip changes the file");
}

#[test]
fn laid_onto_a_model_a_changed_status_is_triage_and_a_new_threat_is_kept_where_it_points() {
    let dir = tempfile::tempdir().unwrap();
    let model_path = dir.path().join("photo.yaml");
    let m = load("models/examples/photo-pipeline.yaml");
    std::fs::write(&model_path, threatwright::yaml::to_string(&m)).unwrap();
    let a = analysis(&m);
    let t = a.threats.iter().find(|t| t.status == TriageStatus::Open).unwrap();
    let mut doc: J = serde_json::from_str(&export(&m)).unwrap();
    // Another team resolves one threat as not useful, with a comment, and adds one of its own.
    for w in doc["threats"].as_array_mut().unwrap() {
        if w["id"] == t.id.to_string() {
            w["status"] = "threatResolvedNotUseful".into();
            let meta = w["metadata"].as_array_mut().unwrap();
            meta.retain(|m| m["key"] != tc::META_STATUS);
            meta.push(json!({"key": "Comments", "value": "covered by the org-wide SCP"}));
        }
    }
    doc["threats"].as_array_mut().unwrap().push(json!({
        "id": "0a0b0c0d-0000-4000-8000-000000000001", "numericId": 900, "status": "threatIdentified",
        "threatSource": "insider", "prerequisites": "with console access", "threatAction": "delete objects",
        "threatImpact": "lost photos", "impactedGoal": ["availability"], "impactedAssets": ["uploads bucket"],
        "statement": "An insider with console access can delete objects, which leads to lost photos",
        "metadata": [{"key": "STRIDE", "value": ["D"]}, {"key": "Priority", "value": "Low"}]
    }));
    let tc_path = dir.path().join("edited.tc.json");
    std::fs::write(&tc_path, doc.to_string()).unwrap();
    let out = run(&["import", "threat-composer", tc_path.to_str().unwrap(), "--onto", model_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let back = threatwright::store::load_model(&model_path).unwrap();
    let d = back.triage.iter().find(|d| d.threat == t.id).expect("a decision");
    assert_eq!((d.status, d.note.as_str()), (TriageStatus::NotApplicable, "covered by the org-wide SCP"));
    let bucket = back.elements.iter().find(|e| e.name == "Uploads bucket").unwrap();
    let kept = notes::split(&bucket.description).1.threats;
    assert_eq!(kept.len(), 1);
    assert_eq!((kept[0].severity.as_str(), kept[0].kind.as_str()), ("Low", "Denial of Service"));
    // Nothing else moved, and laying the same file on again changes nothing.
    assert_eq!(back.elements.len(), m.elements.len());
    assert_eq!(back.flows, m.flows);
    let again = run(&["import", "threat-composer", tc_path.to_str().unwrap(), "--onto", model_path.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(threatwright::store::load_model(&model_path).unwrap(), back);
}

#[test]
fn threats_kept_from_other_tools_keep_their_tool() {
    let text = std::fs::read_to_string(root().join("tests/corpus/threat-dragon/orders-v2.json")).unwrap();
    let m = threatwright::import::threat_dragon::import(&text, "orders-v2.json").unwrap().model;
    let kept = |m: &Model| -> Vec<notes::Notes> { m.elements.iter().map(|e| notes::split(&e.description).1).collect() };
    assert!(kept(&m).iter().any(|n| !n.threats.is_empty()));
    let first = export(&m);
    assert_valid("orders-v2", &first);
    let back = import("orders-v2.tc.json", &first).model;
    assert_eq!(kept(&back), kept(&m));
    assert_eq!(export(&back), first);
}

#[test]
fn bad_input_is_located_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    for (name, body, wanted) in [
        ("broken.tc.json", "{\"schema\": 1,\n  \"threats\": [\n", "broken.tc.json:3:"),
        ("otm.tc.json", "{\"otmVersion\": \"0.2.0\", \"project\": {}}", "expected a Threat Composer document"),
        ("list.tc.json", "{\"schema\": 1,\n \"threats\": {\"a\": 1}}", "list.tc.json:2:13: threats: expected an array"),
        (
            "embedded.tc.json",
            "{\"schema\": 1, \"architecture\": {\"description\": \"### Threatwright model\\n\\n```yaml\\nname: [\\n```\"}}",
            "the embedded Threatwright model does not read",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        let out = run(&["import", "threat-composer", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(text(&out.stderr).contains(wanted), "{name}: {}", text(&out.stderr));
    }
}

#[test]
fn cli_exports_threat_composer() {
    let out = run(&["analyze", "models/examples/orders-service.yaml", "--format", "threat-composer"]);
    assert!(out.status.code().is_some_and(|c| c != 2), "{}", text(&out.stderr));
    assert_valid("cli", &text(&out.stdout));
}

proptest! {
    #![proptest_config(crate::support::proptest_config(64))]

    #[test]
    fn arbitrary_threats_never_panic(items in proptest::collection::vec(arb_item(), 0..10)) {
        let doc = json!({"schema": 1, "threats": items, "mitigations": items, "mitigationLinks": items,
            "assumptions": items, "applicationInfo": {"name": "x"}});
        let _ = tc::import(&doc.to_string(), "p.tc.json");
        let m = load("models/templates/aws-sqs-sns-fanout.yaml");
        let _ = tc::onto(&doc.to_string(), "p.tc.json", &m);
    }

    #[test]
    fn arbitrary_bytes_never_panic(s in "\\PC{0,200}") {
        let _ = tc::import(&s, "p.tc.json");
    }
}

fn arb_item() -> impl Strategy<Value = J> {
    let id = prop_oneof![Just("a"), Just(""), Just("0b7f2d0e-1c1a-4c55-9a51-000000000001")];
    let status = prop_oneof![Just("threatIdentified"), Just("threatResolved"), Just("??"), Just("mitigationResolved")];
    let words = prop_oneof![Just("Uploads bucket"), Just("é"), Just(""), Just("a, b and c")];
    (id.clone(), id, status, words, -5i64..50).prop_map(|(a, b, status, w, n)| {
        json!({"id": a, "numericId": n, "status": status, "statement": w, "content": w,
            "impactedAssets": [w], "mitigationId": a, "linkedId": b,
            "metadata": [{"key": "STRIDE", "value": [w]}, {"key": "custom:threatwright-rule", "value": w},
                {"key": "custom:threatwright-target", "value": b}, {"key": "Comments", "value": n}]})
    })
}
