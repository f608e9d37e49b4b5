//! Open Threat Model: import of IriusRisk's public example and of a
//! serverless fixture (types, trust zones, nesting, kept threats and their
//! states), and bad input (broken JSON, not OTM, a data flow to an unknown
//! component) located with exit code 2. A property test: no input panics.

use crate::support::*;
use proptest::prelude::*;
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
