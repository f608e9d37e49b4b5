//! Open Threat Model: import of IriusRisk's public example and of a
//! serverless fixture (types, trust zones, nesting, kept threats and their
//! states), bad input (broken JSON, not OTM, a data flow to an unknown
//! component) located with exit code 2, the export (valid against the OTM
//! schema, `tests/schemas/otm_schema.json`) and the round trips model → OTM →
//! model and OTM → model → OTM, with a state changed in another OTM tool
//! coming back as triage. A property test: no input panics.

use crate::support::*;
use proptest::prelude::*;
use threatwright::engine::{analyze, Analysis, Options};
use threatwright::import::otm;
use threatwright::import::threat_dragon::notes;
use threatwright::model::{validate, BoundaryKind, Element, ElementKind, Model, TriageStatus};

const FIXTURE: &str = "tests/corpus/otm/orders.otm.json";
const EXAMPLE: &str = "tests/corpus/otm/EXAMPLE.json";

fn import(path: &str) -> threatwright::import::sam::Imported {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    otm::import(&text, path).unwrap_or_else(|d| panic!("{path}: {d}"))
}

fn el<'m>(m: &'m Model, name: &str) -> &'m Element {
    m.elements.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("no element `{name}`"))
}

fn boundary_of(m: &Model, name: &str) -> Option<String> {
    el(m, name).boundary.map(|b| m.boundary(b).unwrap().name.clone())
}

#[test]
fn imports_types_zones_nesting_and_flows() {
    let im = import(FIXTURE);
    let m = &im.model;
    assert!(validate(m).is_empty(), "{:?}", validate(m));
    assert_eq!((m.name.as_str(), m.author.as_str()), ("Orders OTM", "Platform Security"));
    for (name, kind, ty) in [
        ("Customer", ElementKind::External, "generic.browser"),
        ("Orders API", ElementKind::Trigger, "aws.apigateway"),
        ("Create Order", ElementKind::Function, "aws.lambda"),
        ("Fulfilment Queue", ElementKind::Trigger, "aws.sqs"),
        ("Orders Table", ElementKind::Store, "aws.dynamodb"),
    ] {
        assert_eq!((el(m, name).kind, el(m, name).vendor_type.as_str()), (kind, ty), "{name}");
    }
    // A type with no mapping is guessed and its OTM type kept in the description.
    assert!(el(m, "Billing Mainframe").description.contains("Open Threat Model type: CD-MAINFRAME"));
    // Zones: IriusRisk's ids give the kind; nesting through parent.trustZone.
    let kind = |n: &str| m.boundaries.iter().find(|b| b.name == n).unwrap().kind;
    assert_eq!(kind("Internet"), BoundaryKind::Internet);
    assert_eq!(kind("Public Cloud"), BoundaryKind::Account);
    let vpc = m.boundaries.iter().find(|b| b.name == "Orders VPC").unwrap();
    assert_eq!(vpc.parent.and_then(|p| m.boundary(p)).map(|b| b.name.as_str()), Some("Public Cloud"));
    assert_eq!(boundary_of(m, "Customer").as_deref(), Some("Internet"));
    assert_eq!(boundary_of(m, "Orders Table").as_deref(), Some("Orders VPC"));
    // A component inside a component goes to its parent's boundary.
    assert_eq!(boundary_of(m, "Billing Agent").as_deref(), Some("Orders VPC"));
    assert!(el(m, "Billing Agent").description.contains("Inside component Billing Mainframe."));
    // Five data flows, one bidirectional: six flows.
    assert_eq!(m.flows.len(), 6);
    let has = |a: &str, b: &str| m.flows.iter().any(|f| f.from == el(m, a).id && f.to == el(m, b).id);
    assert!(has("Create Order", "Orders Table") && has("Orders Table", "Create Order"));
    // No representations: laid out.
    assert!(m.elements.iter().all(|e| e.position.is_some()));
}

#[test]
fn keeps_otm_threats_with_state_and_mitigations() {
    let m = import(FIXTURE).model;
    let (text, api) = notes::split(&el(&m, "Orders API").description);
    assert_eq!(text, "");
    let t = &api.threats[0];
    assert_eq!(
        (t.tool.as_str(), t.title.as_str(), t.status),
        ("Open Threat Model", "Request flood", Some(TriageStatus::Mitigated))
    );
    assert_eq!(
        (t.kind.as_str(), t.score.as_str(), t.id.as_str()),
        ("Denial of Service", "likelihood 60, impact 40", "t-dos")
    );
    assert_eq!(t.mitigation, "- Throttle the stage [implemented; id m-throttle]\n  Usage plan with a rate limit");
    let (_, db) = notes::split(&el(&m, "Orders Table").description);
    assert_eq!(db.threats[0].status, Some(TriageStatus::Open));
    assert!(db.threats[0].description.contains("CWEs: CWE-284"));
    // A data flow's threat sits on its source element, tagged with the flow.
    let (_, customer) = notes::split(&el(&m, "Customer").description);
    let flow = m.flows.iter().find(|f| f.label == "Place order").unwrap();
    assert_eq!(customer.threats[0].flow, Some(flow.id.to_string()));
    assert_eq!(customer.threats[0].status, Some(TriageStatus::Accepted));
    // The model file keeps them.
    let back = threatwright::yaml::parse_model(&threatwright::yaml::to_string(&m), "reread").unwrap();
    assert_eq!(back, m);
}

#[test]
fn imports_the_public_example() {
    let im = import(EXAMPLE);
    let m = &im.model;
    assert!(validate(m).is_empty(), "{:?}", validate(m));
    assert_eq!(m.name, "Test project");
    assert_eq!(m.elements.len(), 4);
    assert_eq!(m.boundaries.len(), 2);
    assert_eq!(m.flows.len(), 4, "two bidirectional data flows");
    assert_eq!(el(m, "Web Client").vendor_type, "generic.browser");
    assert_eq!(el(m, "Customer Database").kind, ElementKind::Store);
    assert_eq!(m.assets.len(), 2);
    assert_eq!(el(m, "Web Service").assets.len(), 2);
    let kept: usize = m.elements.iter().map(|e| notes::split(&e.description).1.threats.len()).sum();
    assert_eq!(kept, 2, "one threat on a component, one on a data flow");
    // The example's representations overlap, so it is laid out instead.
    let at: std::collections::HashSet<_> = m.elements.iter().map(|e| e.position.map(|p| (p.x, p.y))).collect();
    assert_eq!(at.len(), 4);
}

const AS_OF: &str = "2026-11-01";

fn analysis(m: &Model) -> Analysis {
    let catalog = threatwright::rules::builtin_catalog().unwrap();
    analyze(m, &catalog, &Options { as_of: AS_OF.into(), ..Options::default() })
}

fn export(m: &Model) -> String {
    threatwright::export::otm::analysis(m, &analysis(m))
}

fn reimport(label: &str, text: &str) -> Model {
    let im = otm::import(text, label).unwrap_or_else(|d| panic!("{label}: {d}"));
    assert!(im.warnings.is_empty(), "{label}: {:?}", im.warnings);
    im.model
}

fn assert_valid(label: &str, text: &str) {
    let doc: serde_json::Value = serde_json::from_str(text).expect("the export is JSON");
    assert_schema_valid("tests/schemas/otm_schema.json", label, &doc);
}

/// The examples, and one with an element outside every boundary (OTM puts every component in
/// a trust zone; ours need not be in a boundary).
fn models() -> Vec<(String, Model)> {
    let mut out = examples_with_decisions(AS_OF);
    let mut loose = out[0].1.clone();
    loose.elements[0].boundary = None;
    out.push((format!("{} (first element outside every boundary)", out[0].0), loose));
    out
}

#[test]
fn export_validates_and_round_trips_every_example() {
    let models = models();
    assert!(models.len() >= 15, "{} models", models.len());
    for (label, m) in models {
        let first = export(&m);
        assert_valid(&label, &first);
        let back = reimport(&label, &first);
        assert_same_model(&label, &back, &m);
        // Every threat, with its score and status.
        let key = |a: &Analysis| -> Vec<_> { a.threats.iter().map(|t| (t.id, t.score, t.status)).collect() };
        assert_eq!(key(&analysis(&back)), key(&analysis(&m)), "{label}: threats");
        assert_eq!(export(&back), first, "{label}: a second round trip changes the file");
    }
}

#[test]
fn export_names_every_threat_with_its_state_and_mitigations() {
    let m = threatwright::store::load_model(&root().join("models/examples/orders-service.yaml")).unwrap();
    let a = analysis(&m);
    let doc: serde_json::Value = serde_json::from_str(&export(&m)).unwrap();
    let defs = doc["threats"].as_array().unwrap();
    assert_eq!(defs.len(), a.threats.len(), "one definition per threat");
    let t = &a.threats[0];
    let def = defs.iter().find(|d| d["id"] == t.id.to_string()).unwrap();
    assert_eq!(def["name"], t.title);
    assert_eq!(def["categories"][0], t.category.as_str());
    assert_eq!(def["risk"]["impact"], u32::from(t.impact) * 20);
    // The instance sits on its target, component or data flow.
    let mut holders = doc["components"].as_array().unwrap().iter().chain(doc["dataflows"].as_array().unwrap());
    let holder = holders.find(|h| h["id"] == t.target.id.to_string()).expect("the target is written");
    let instance = holder["threats"].as_array().unwrap().iter().find(|i| i["threat"] == def["id"]).unwrap();
    assert_eq!(instance["state"], "exposed");
    assert_eq!(instance["mitigations"].as_array().unwrap().len(), t.mitigations.len());
    let first_mitigation = &instance["mitigations"][0]["mitigation"];
    let mdef = doc["mitigations"].as_array().unwrap().iter().find(|d| d["id"] == *first_mitigation).unwrap();
    assert_eq!(mdef["name"], t.mitigations[0].text);
    // Elements outside every boundary sit in the one implicit zone, which the import drops.
    let implicit: Vec<_> =
        doc["trustZones"].as_array().unwrap().iter().filter(|z| z["id"] == otm::IMPLICIT_ZONE).collect();
    assert_eq!(implicit.len(), usize::from(m.elements.iter().any(|e| e.boundary.is_none())));
}

#[test]
fn a_state_set_in_another_otm_tool_comes_back_as_triage() {
    let m = threatwright::store::load_model(&root().join("models/examples/photo-pipeline.yaml")).unwrap();
    let a = analysis(&m);
    let t = a.threats.iter().find(|t| t.status == TriageStatus::Open).expect("an open threat");
    let mut doc: serde_json::Value = serde_json::from_str(&export(&m)).unwrap();
    let mut changed = 0;
    for list in ["components", "dataflows"] {
        for holder in doc[list].as_array_mut().unwrap() {
            for i in holder["threats"].as_array_mut().unwrap() {
                if i["threat"] == t.id.to_string() {
                    i["state"] = "mitigated".into();
                    changed += 1;
                }
            }
        }
    }
    assert_eq!(changed, 1);
    let back = reimport("edited.otm.json", &doc.to_string());
    let d = back.triage.iter().find(|d| d.threat == t.id).expect("a decision for the edited threat");
    assert_eq!((d.status, d.rule.as_str()), (TriageStatus::Mitigated, t.rule.as_str()));
    let after = analysis(&back);
    assert_eq!(after.threats.iter().find(|x| x.id == t.id).unwrap().status, TriageStatus::Mitigated);
}

#[test]
fn the_public_example_round_trips_with_its_threats() {
    let m = import(EXAMPLE).model;
    let first = export(&m);
    assert_valid(EXAMPLE, &first);
    let back = reimport(EXAMPLE, &first);
    assert_eq!(back.elements.len(), m.elements.len());
    assert_eq!(back.flows.len(), m.flows.len());
    assert_eq!(back.boundaries, m.boundaries);
    for (a, b) in m.elements.iter().zip(&back.elements) {
        assert_eq!((&a.name, &a.vendor_type, a.boundary), (&b.name, &b.vendor_type, b.boundary));
        assert_eq!(notes::split(&a.description).1, notes::split(&b.description).1, "{}: kept threats", a.name);
    }
    // The example's own threat and mitigation ids go back out as they came in.
    let doc: serde_json::Value = serde_json::from_str(&first).unwrap();
    let source: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(EXAMPLE)).unwrap()).unwrap();
    for list in ["threats", "mitigations"] {
        for item in source[list].as_array().unwrap() {
            let used = first.contains(&format!("\"{}\"", item["id"].as_str().unwrap()));
            let written = doc[list].as_array().unwrap().iter().any(|d| d["id"] == item["id"]);
            assert_eq!(used, written, "{list} {}", item["id"]);
        }
    }
    assert_eq!(export(&back), first, "a second round trip changes the file");
}

/// What StartLeft (IriusRisk's converter) writes from Terraform, Microsoft TMT and Visio.
#[test]
fn startlefts_files_import_and_round_trip() {
    let mut paths: Vec<_> =
        std::fs::read_dir(root().join("tests/corpus/otm/startleft")).unwrap().map(|e| e.unwrap().path()).collect();
    paths.retain(|p| p.extension().is_some_and(|x| x == "otm"));
    paths.sort();
    assert_eq!(paths.len(), 4);
    for p in paths {
        let label = p.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&p).unwrap();
        let source: serde_json::Value = serde_json::from_str(&text).unwrap();
        let count = |k: &str| source[k].as_array().map_or(0, Vec::len);
        let im = otm::import(&text, &label).unwrap_or_else(|d| panic!("{label}: {d}"));
        let m = &im.model;
        assert!(validate(m).is_empty(), "{label}: {:?}", validate(m));
        assert_eq!(m.elements.len(), count("components"), "{label}: components");
        assert_eq!(m.boundaries.len(), count("trustZones"), "{label}: trust zones");
        assert!(m.flows.len() + 1 >= count("dataflows"), "{label}: data flows"); // a loop is skipped
        let instances: usize = ["components", "dataflows"]
            .iter()
            .flat_map(|k| source[*k].as_array().into_iter().flatten())
            .map(|c| c["threats"].as_array().map_or(0, Vec::len))
            .sum();
        let kept: usize = m.elements.iter().map(|e| notes::split(&e.description).1.threats.len()).sum();
        assert_eq!(kept, instances, "{label}: every threat instance is kept");
        // TMT's states are known states, not warnings.
        assert!(!im.warnings.iter().any(|w| w.to_string().contains("unknown state")), "{label}: {:?}", im.warnings);
        let first = export(m);
        assert_valid(&label, &first);
        let back = reimport(&label, &first);
        assert_eq!((&back.elements, &back.flows, &back.boundaries), (&m.elements, &m.flows, &m.boundaries), "{label}");
        assert_eq!(export(&back), first, "{label}: a second round trip changes the file");
    }
}

#[test]
fn threats_kept_from_other_tools_keep_their_tool() {
    let text = std::fs::read_to_string(root().join("tests/corpus/threat-dragon/orders-v2.json")).unwrap();
    let m = threatwright::import::threat_dragon::import(&text, "orders-v2.json").unwrap().model;
    let kept = |m: &Model| -> Vec<notes::Notes> { m.elements.iter().map(|e| notes::split(&e.description).1).collect() };
    assert!(kept(&m).iter().any(|n| !n.threats.is_empty()), "the fixture has Threat Dragon threats");
    let first = export(&m);
    assert_valid("orders-v2", &first);
    let back = reimport("orders-v2.otm.json", &first);
    assert_eq!(kept(&back), kept(&m));
    assert_eq!(export(&back), first);
}

#[test]
fn cli_exports_otm() {
    let out = run(&["analyze", "models/examples/orders-service.yaml", "--format", "otm"]);
    assert!(out.status.code().is_some_and(|c| c != 2), "{}", text(&out.stderr));
    assert_valid("cli", &text(&out.stdout));
}

#[test]
fn bad_input_is_located_and_exits_2() {
    let out = run(&["import", "otm", "tests/corpus/otm/broken.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("tests/corpus/otm/broken.json:3:1"), "{}", text(&out.stderr));

    let out = run(&["import", "otm", "tests/corpus/otm/dangling.otm.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("dangling.otm.json:6:") && err.contains("`nowhere` is not the id of a component"), "{err}");

    let out = run(&["import", "otm", "tests/corpus/threat-dragon/orders-v2.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("expected an Open Threat Model document"), "{}", text(&out.stderr));

    for (doc, wanted) in [
        ("[1]", "expected an Open Threat Model document"),
        ("{\"otmVersion\": \"0.2.0\", \"project\": {}, \"components\": 4}", "components: expected an array"),
        ("{\"otmVersion\": \"0.2.0\", \"project\": {}, \"trustZones\": {}}", "trustZones: expected an array"),
    ] {
        let e = otm::import(doc, "x.json").expect_err(doc);
        assert!(e.to_string().contains(wanted), "{doc}: {e}");
    }
}

#[test]
fn cli_imports_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("orders.yaml");
    let out = run(&["import", "otm", FIXTURE, "-o", out_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(threatwright::store::load_model(&out_path).unwrap().elements.len(), 7);
}

proptest! {
    #![proptest_config(crate::support::proptest_config(64))]

    #[test]
    fn arbitrary_components_never_panic(items in proptest::collection::vec(arb_item(), 0..10)) {
        let doc = serde_json::json!({"otmVersion": "0.2.0", "project": {"name": "p", "id": "p"},
            "trustZones": items, "components": items, "dataflows": items, "threats": items, "mitigations": items});
        let _ = otm::import(&doc.to_string(), "p.json");
    }

    #[test]
    fn arbitrary_bytes_never_panic(s in "\\PC{0,200}") {
        let _ = otm::import(&s, "p.json");
    }
}

fn arb_item() -> impl Strategy<Value = serde_json::Value> {
    let id = prop_oneof![Just("a"), Just("b"), Just(""), Just("0b7f2d0e-1c1a-4c55-9a51-000000000001")];
    let ty = prop_oneof![Just("s3"), Just("odd"), Just("aws.lambda"), Just("internet")];
    let state = prop_oneof![Just("exposed"), Just("mitigated"), Just("??")];
    (id.clone(), id.clone(), id, ty, state, -50i32..500, any::<bool>()).prop_map(|(a, b, c, ty, state, x, flag)| {
        serde_json::json!({"id": a, "name": b, "type": ty, "parent": {"trustZone": c, "component": b},
            "source": a, "destination": b, "bidirectional": flag, "risk": {"trustRating": x, "impact": x},
            "representations": [{"representation": "d", "id": "r", "position": {"x": x, "y": x}}],
            "threats": [{"threat": c, "state": state, "mitigations": [{"mitigation": a, "state": state}]}]})
    })
}
