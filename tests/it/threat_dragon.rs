//! OWASP Threat Dragon v2: import of a realistic model (kinds, flows,
//! boundary membership by containment, kept threats and their statuses),
//! bad input (broken JSON located, v1 refused, exit 2), the export (valid
//! against Threat Dragon's own schema, our threats per cell) and the round
//! trip export → import → export. A property test: no input panics.

use crate::support::*;
use proptest::prelude::*;
use threatwright::engine::{analyze, Analysis, Options};
use threatwright::import::threat_dragon::{self, notes};
use threatwright::model::{validate, Element, ElementKind, Model, TriageStatus, Value};

const FIXTURE: &str = "tests/corpus/threat-dragon/orders-v2.json";
const AS_OF: &str = "2026-11-01";

fn import(path: &str) -> threatwright::import::sam::Imported {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    threat_dragon::import(&text, path).unwrap_or_else(|d| panic!("{path}: {d}"))
}

fn el<'m>(m: &'m Model, name: &str) -> &'m Element {
    m.elements.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("no element `{name}`"))
}

fn boundary_of(m: &Model, name: &str) -> Option<String> {
    el(m, name).boundary.map(|b| m.boundary(b).unwrap().name.clone())
}

fn has_flow(m: &Model, from: &str, to: &str) -> bool {
    m.flows.iter().any(|f| f.from == el(m, from).id && f.to == el(m, to).id)
}

fn analysis(m: &Model) -> Analysis {
    let catalog = threatwright::rules::builtin_catalog().unwrap();
    analyze(m, &catalog, &Options { as_of: AS_OF.into(), ..Options::default() })
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("the export is JSON")
}

fn cells(doc: &serde_json::Value) -> &Vec<serde_json::Value> {
    doc["detail"]["diagrams"][0]["cells"].as_array().unwrap()
}

fn threat_count(doc: &serde_json::Value) -> usize {
    cells(doc).iter().map(|c| c["data"]["threats"].as_array().map_or(0, |t| t.len())).sum()
}

#[test]
fn imports_elements_kinds_boundaries_and_flows() {
    let im = import(FIXTURE);
    let m = &im.model;
    assert!(validate(m).is_empty(), "{:?}", validate(m));
    assert_eq!(m.name, "Serverless Orders");
    assert_eq!(m.author, "Platform Security");
    let kinds: Vec<(&str, ElementKind, &str)> =
        m.elements.iter().map(|e| (e.name.as_str(), e.kind, e.vendor_type.as_str())).collect();
    for expected in [
        ("Customer Browser", ElementKind::External, "generic.browser"),
        ("Orders API Gateway", ElementKind::Trigger, "generic.api"),
        ("Create Order", ElementKind::Function, "generic.function"),
        ("Fulfilment Worker", ElementKind::Function, "generic.function"),
        ("Fulfilment Queue", ElementKind::Trigger, "generic.queue"),
        ("Orders Database", ElementKind::Store, "generic.database"),
        ("Receipts Bucket", ElementKind::Store, "generic.bucket"),
        ("Payment Provider", ElementKind::External, "generic.partner_api"),
    ] {
        assert!(kinds.contains(&expected), "missing {expected:?} in {kinds:?}");
    }
    assert_eq!(m.elements.len(), 8, "text blocks and unknown shapes are not elements");
    // Membership by containment; the VPC box nests in the account box.
    assert_eq!(boundary_of(m, "Customer Browser").as_deref(), Some("Internet"));
    assert_eq!(boundary_of(m, "Create Order").as_deref(), Some("AWS account"));
    assert_eq!(boundary_of(m, "Orders Database").as_deref(), Some("Orders VPC"));
    assert_eq!(boundary_of(m, "Payment Provider"), None);
    let vpc = m.boundaries.iter().find(|b| b.name == "Orders VPC").unwrap();
    assert_eq!(vpc.parent.and_then(|p| m.boundary(p)).map(|b| b.name.as_str()), Some("AWS account"));
    // Positions are kept (not re-laid out).
    assert_eq!(el(m, "Orders Database").position.map(|p| (p.x, p.y)), Some((960, 330)));
    // Flows with their properties; a bidirectional flow becomes two.
    assert_eq!(m.flows.len(), 8);
    for (a, b) in [
        ("Customer Browser", "Orders API Gateway"),
        ("Create Order", "Orders Database"),
        ("Orders Database", "Create Order"),
        ("Fulfilment Worker", "Receipts Bucket"),
    ] {
        assert!(has_flow(m, a, b), "flow {a} → {b}");
    }
    let place = m.flows.iter().find(|f| f.label == "Place order").unwrap();
    assert_eq!(place.properties.get("protocol"), Some(&Value::Str("https".into())));
    assert_eq!(place.properties.get("encrypted"), Some(&Value::Bool(true)));
    // Public network: the external end is untrusted.
    assert_eq!(el(m, "Payment Provider").properties.get("trust"), Some(&Value::Str("untrusted".into())));
    // The curve boundary becomes a note naming the flow crossing it.
    assert!(
        m.description.contains("PCI scope") && m.description.contains("Create Order → Payment Provider"),
        "{}",
        m.description
    );
    // Unknown shapes warn, located.
    assert!(
        im.warnings.iter().any(|w| w.message.contains("unknown Threat Dragon shape `cloud-icon`") && w.line > 0),
        "{:?}",
        im.warnings
    );
}

#[test]
fn keeps_threat_dragon_threats_with_their_status() {
    let m = import(FIXTURE).model;
    let (text, db) = notes::split(&el(&m, "Orders Database").description);
    assert_eq!(text, "");
    let statuses: Vec<(&str, Option<TriageStatus>, &str)> =
        db.threats.iter().map(|t| (t.title.as_str(), t.status, t.severity.as_str())).collect();
    assert_eq!(
        statuses,
        vec![
            ("Unauthorised access", Some(TriageStatus::Mitigated), "High"),
            ("Record tampering", Some(TriageStatus::Open), "Medium")
        ]
    );
    let (text, api) = notes::split(&el(&m, "Orders API Gateway").description);
    assert_eq!(text, "Public REST API in front of the order functions.");
    assert_eq!(api.threats[0].status, Some(TriageStatus::NotApplicable));
    assert_eq!(api.threats[0].kind, "Denial of service");
    let (_, func) = notes::split(&el(&m, "Create Order").description);
    assert_eq!(func.threats[0].mitigation, "Scope the role to the orders table.\n\nReview the policy quarterly.");
    // A flow's threat sits on its source element, tagged with the flow.
    let (_, cust) = notes::split(&el(&m, "Customer Browser").description);
    let flow = m.flows.iter().find(|f| f.label == "Place order").unwrap();
    assert!(cust.threats.iter().any(|t| t.title == "Interception"
        && t.flow == Some(flow.id.to_string())
        && t.status == Some(TriageStatus::Mitigated)));
    let (_, bucket) = notes::split(&el(&m, "Receipts Bucket").description);
    assert_eq!(bucket.out_of_scope.as_deref(), Some("Managed by the finance team"));
    let total: usize = m.elements.iter().map(|e| notes::split(&e.description).1.threats.len()).sum();
    assert_eq!(total, 6);
    // The model file keeps them.
    let back = threatwright::yaml::parse_model(&threatwright::yaml::to_string(&m), "reread").unwrap();
    assert_eq!(back, m);
}

#[test]
fn bad_input_is_located_and_exits_2() {
    let out = run(&["import", "threat-dragon", "tests/corpus/threat-dragon/broken.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("tests/corpus/threat-dragon/broken.json:125:19: invalid JSON"), "{err}");

    let out = run(&["import", "threat-dragon", "tests/corpus/threat-dragon/legacy-v1.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("Threat Dragon v1 format; save it as v2 in Threat Dragon first"),
        "{}",
        text(&out.stderr)
    );

    for (doc, wanted) in [
        ("[1, 2]", "expected a Threat Dragon model"),
        ("{\"summary\": {\"title\": \"x\"}}", "no `detail`"),
        ("{\"detail\": {\"diagrams\": {}}}", "detail.diagrams: expected an array"),
        ("{\"detail\": {\"diagrams\": [{\"cells\": 3}]}}", "detail.diagrams[0].cells: expected an array"),
    ] {
        let e = threat_dragon::import(doc, "x.json").expect_err(doc);
        assert!(e.to_string().contains(wanted), "{doc}: {e}");
    }
    // Odd cells are warnings, never failures.
    let odd = r#"{"version":"2.3.0","summary":{"title":"t"},"detail":{"diagrams":[{"cells":[
        7, {"shape":"actor"}, {"shape":"flow","source":{"x":1,"y":2},"target":{"cell":"nope"}},
        {"shape":"flow","source":{"cell":"a"},"target":{"cell":"b"}},
        {"shape":"process","id":"p","data":{"name":"P","threats":[{"status":"Weird"}, 5]}}]}]}}"#;
    let im = threat_dragon::import(odd, "odd.json").unwrap();
    assert_eq!(im.model.elements.len(), 2);
    assert!(im.warnings.len() >= 4, "{:?}", im.warnings);
}

#[test]
fn cli_imports_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("orders.yaml");
    let out = run(&["import", "threat-dragon", FIXTURE, "-o", out_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let m = threatwright::store::load_model(&out_path).unwrap();
    assert_eq!(m.elements.len(), 8);
}

fn export(path: &str) -> String {
    let out = run(&["analyze", path, "--format", "threat-dragon", "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn export_validates_against_the_threat_dragon_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/data/threat-dragon-v2.schema.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the Threat Dragon schema compiles");
    for model in ["models/examples/photo-pipeline.yaml", "models/examples/orders-service.yaml"] {
        let doc = json(&export(model));
        let errors: Vec<String> =
            validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{model}: export does not validate:\n{}", errors.join("\n"));
        // Our threats, per cell, mapped.
        let m = threatwright::store::load_model(&root().join(model)).unwrap();
        let a = analysis(&m);
        assert_eq!(threat_count(&doc), a.threats.len());
        let t = &a.threats[0];
        let cell = cells(&doc).iter().find(|c| c["id"] == t.target.id.to_string()).expect("the threat's cell");
        let td = cell["data"]["threats"].as_array().unwrap().iter().find(|x| x["id"] == t.id.to_string()).unwrap();
        assert_eq!(td["title"], t.title.as_str());
        assert!(["High", "Medium", "Low"].contains(&td["severity"].as_str().unwrap()));
        assert!(["Open", "Mitigated", "NotApplicable"].contains(&td["status"].as_str().unwrap()));
        assert!(td["description"].as_str().unwrap().starts_with(&*t.description));
        // Boundaries are boxes, flows connect cells.
        assert_eq!(cells(&doc).iter().filter(|c| c["shape"] == "trust-boundary-box").count(), m.boundaries.len());
        for c in cells(&doc).iter().filter(|c| c["shape"] == "flow") {
            for end in ["source", "target"] {
                let id = &c[end]["cell"];
                assert!(cells(&doc).iter().any(|n| &n["id"] == id), "dangling flow end {id}");
            }
        }
    }
}

#[test]
fn export_then_import_gives_back_elements_flows_and_threats() {
    for model in ["models/examples/orders-service.yaml", "models/examples/photo-pipeline.yaml"] {
        let original = threatwright::store::load_model(&root().join(model)).unwrap();
        let doc = export(model);
        let back = threat_dragon::import(&doc, "export.json").unwrap_or_else(|d| panic!("{model}: {d}")).model;
        let names = |m: &Model| {
            let mut v: Vec<(String, ElementKind, String)> =
                m.elements.iter().map(|e| (e.name.clone(), e.kind, e.vendor_type.clone())).collect();
            v.sort();
            v
        };
        assert_eq!(names(&back), names(&original), "{model}");
        let flows = |m: &Model| {
            let mut v: Vec<(String, String, String)> = m
                .flows
                .iter()
                .map(|f| {
                    (m.element(f.from).unwrap().name.clone(), m.element(f.to).unwrap().name.clone(), f.label.clone())
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(flows(&back), flows(&original), "{model}");
        for e in &original.elements {
            assert_eq!(el(&back, &e.name).properties, e.properties, "{model}: properties of {}", e.name);
            assert_eq!(
                el(&back, &e.name).boundary.and_then(|b| back.boundary(b)).map(|b| &b.name),
                e.boundary.and_then(|b| original.boundary(b)).map(|b| &b.name)
            );
        }
        // Same threats, same statuses, and nothing duplicated on re-export.
        let (a, b) = (analysis(&original), analysis(&back));
        let key = |a: &Analysis| {
            let mut v: Vec<(uuid::Uuid, TriageStatus)> = a.threats.iter().map(|t| (t.id, t.status)).collect();
            v.sort();
            v
        };
        assert_eq!(key(&b), key(&a), "{model}");
        let again = threatwright::export::threat_dragon::analysis(&back, &b);
        assert_eq!(threat_count(&json(&again)), threat_count(&json(&doc)), "{model}");
    }
}

#[test]
fn threat_dragon_threats_survive_import_and_export() {
    let m = import(FIXTURE).model;
    let a = analysis(&m);
    let doc = json(&threatwright::export::threat_dragon::analysis(&m, &a));
    assert_eq!(threat_count(&doc), a.threats.len() + 6);
    let db = cells(&doc).iter().find(|c| c["data"]["name"] == "Orders Database").unwrap();
    let kept = db["data"]["threats"].as_array().unwrap().iter().find(|t| t["title"] == "Unauthorised access").unwrap();
    assert_eq!(kept["status"], "Mitigated");
    assert_eq!(kept["id"], "9d3c7a10-0000-4000-8000-000000000004");
    assert_eq!(db["data"]["description"], "");
    let flow = cells(&doc).iter().find(|c| c["data"]["name"] == "Place order").unwrap();
    assert!(flow["data"]["threats"].as_array().unwrap().iter().any(|t| t["title"] == "Interception"));
    let bucket = cells(&doc).iter().find(|c| c["data"]["name"] == "Receipts Bucket").unwrap();
    assert_eq!(bucket["data"]["outOfScope"], true);
    // Round trip: the kept threats come back once.
    let back = threat_dragon::import(&doc.to_string(), "again.json").unwrap().model;
    let total: usize = back.elements.iter().map(|e| notes::split(&e.description).1.threats.len()).sum();
    assert_eq!(total, 6);
}

#[test]
fn triage_made_in_threat_dragon_comes_back_as_decisions() {
    let model = "models/examples/orders-service.yaml";
    let m = threatwright::store::load_model(&root().join(model)).unwrap();
    let a = analysis(&m);
    let mut doc = json(&threatwright::export::threat_dragon::analysis(&m, &a));
    let target = a.threats.iter().find(|t| t.status == TriageStatus::Open).unwrap();
    for c in doc["detail"]["diagrams"][0]["cells"].as_array_mut().unwrap() {
        for t in c["data"]["threats"].as_array_mut().into_iter().flatten() {
            if t["id"] == target.id.to_string() {
                t["status"] = "NotApplicable".into();
            }
        }
    }
    let back = threat_dragon::import(&doc.to_string(), "td.json").unwrap().model;
    let after = analysis(&back);
    assert_eq!(after.threats.iter().find(|t| t.id == target.id).unwrap().status, TriageStatus::NotApplicable);
    assert!(back.triage.iter().any(|d| d.threat == target.id && d.rule == target.rule));
}

proptest! {
    #![proptest_config(crate::support::proptest_config(64))]

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        let _ = threat_dragon::import(&v.to_string(), "p.json");
        let wrapped = serde_json::json!({"version": "2.3.0", "summary": {"title": "t"}, "detail": {"diagrams": [{"cells": [v.clone(), {"shape": "flow", "data": v}]}]}});
        let _ = threat_dragon::import(&wrapped.to_string(), "p.json");
    }

    #[test]
    fn arbitrary_cells_never_panic(cells in proptest::collection::vec(arb_cell(), 0..12)) {
        let doc = serde_json::json!({"version": "2.3.0", "summary": {"title": "t"}, "detail": {"diagrams": [{"cells": cells}]}});
        if let Ok(im) = threat_dragon::import(&doc.to_string(), "p.json") {
            let a = analysis(&im.model);
            let _ = threatwright::export::threat_dragon::analysis(&im.model, &a);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(s in "\\PC{0,200}") {
        let _ = threat_dragon::import(&s, "p.json");
    }
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value as J;
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i32>().prop_map(J::from),
        prop_oneof![
            Just("actor"),
            Just("flow"),
            Just("store"),
            Just("trust-boundary-box"),
            Just("x"),
            Just("Open"),
            Just("")
        ]
        .prop_map(|s| J::String(s.into())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(J::Array),
            proptest::collection::vec(
                (
                    prop_oneof![
                        Just("shape"),
                        Just("data"),
                        Just("id"),
                        Just("cells"),
                        Just("diagrams"),
                        Just("detail"),
                        Just("threats"),
                        Just("position"),
                        Just("size"),
                        Just("source"),
                        Just("target"),
                        Just("cell"),
                        Just("x"),
                        Just("y"),
                        Just("name")
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|kv| J::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

fn arb_cell() -> impl Strategy<Value = serde_json::Value> {
    let shape = prop_oneof![
        Just("actor"),
        Just("process"),
        Just("store"),
        Just("flow"),
        Just("trust-boundary-box"),
        Just("trust-boundary-curve"),
        Just("odd")
    ];
    let id = prop_oneof![Just("a"), Just("b"), Just("c"), Just("0b7f2d0e-1c1a-4c55-9a51-000000000001")];
    let name = prop_oneof![Just(""), Just("Queue"), Just("API"), Just("db"), Just("Threat Dragon:\n- title: x")];
    let status = prop_oneof![Just("Open"), Just("Mitigated"), Just("NotApplicable"), Just("??")];
    (shape, id.clone(), id.clone(), id, name, -500i32..1500, -500i32..1500, 0i32..900, 0i32..900, status, any::<bool>()).prop_map(
        |(shape, cid, src, dst, name, x, y, w, h, status, flag)| {
            serde_json::json!({
                "shape": shape, "id": cid, "position": {"x": x, "y": y}, "size": {"width": w, "height": h},
                "source": {"cell": src}, "target": {"cell": dst},
                "data": {"name": name, "isBidirectional": flag, "isPublicNetwork": flag, "outOfScope": flag,
                         "threats": [{"title": name, "status": status, "type": "Tampering", "severity": "High", "description": name, "mitigation": ""}]}
            })
        },
    )
}

/// OWASP Threat Dragon's own demo models (`tests/corpus/threat-dragon/demo/`, Apache-2.0,
/// NOTICE beside them).
const DEMOS: &[&str] = &[
    "cryptocurrency-wallet",
    "generic-cms",
    "iot-device",
    "online-game",
    "payment-online",
    "renting-car",
    "three-tier-web-app",
    "v2-threat-model",
];

/// What the round trip import → export still changes, per demo and shape: (demo, shape,
/// cells in the original, cells in the export). Issue 15 item 6 is done when this is empty;
/// a fix that closes a row must delete it (the test compares the whole list).
/// Why each row: a flow without two attached ends is dropped with its threat
/// (v2-threat-model); curve boundaries and text blocks are not exported.
const KNOWN_LOSSES: &[(&str, &str, usize, usize)] = &[];

/// Cells per shape of a Threat Dragon document.
fn shapes(doc: &serde_json::Value) -> std::collections::BTreeMap<String, usize> {
    let mut out = std::collections::BTreeMap::new();
    for d in doc["detail"]["diagrams"].as_array().into_iter().flatten() {
        for c in d["cells"].as_array().into_iter().flatten() {
            *out.entry(c["shape"].as_str().unwrap_or("").to_string()).or_default() += 1;
        }
    }
    out
}

/// Threat Dragon's own threats (not ours: those carry the rule marker) of each cell id,
/// as (id, title, status, severity, type) sorted.
fn td_threats(doc: &serde_json::Value) -> std::collections::BTreeMap<String, Vec<[String; 5]>> {
    let mut out: std::collections::BTreeMap<String, Vec<[String; 5]>> = std::collections::BTreeMap::new();
    for d in doc["detail"]["diagrams"].as_array().into_iter().flatten() {
        for c in d["cells"].as_array().into_iter().flatten() {
            for t in c["data"]["threats"].as_array().into_iter().flatten() {
                if t["description"].as_str().unwrap_or("").contains(threat_dragon::RULE_MARKER) {
                    continue;
                }
                let f = |k: &str| t[k].as_str().unwrap_or("").to_string();
                let v = out.entry(c["id"].as_str().unwrap_or("").to_string()).or_default();
                v.push([f("id"), f("title"), f("status"), f("severity"), f("type")]);
                v.sort();
            }
        }
    }
    out
}

#[test]
fn threat_dragon_demos_round_trip_with_only_the_known_losses() {
    // The eight demos of OWASP Threat Dragon: every cell, its geometry and its threats survive.
    let mut losses = Vec::new();
    for demo in DEMOS {
        let path = format!("tests/corpus/threat-dragon/demo/{demo}.json");
        let original = json(&std::fs::read_to_string(root().join(&path)).unwrap());
        let m = import(&path).model;
        let back = json(&threatwright::export::threat_dragon::analysis(&m, &analysis(&m)));
        let (before, after) = (shapes(&original), shapes(&back));
        for shape in before.keys().chain(after.keys()).collect::<std::collections::BTreeSet<_>>() {
            let (b, a) = (before.get(shape).copied().unwrap_or(0), after.get(shape).copied().unwrap_or(0));
            if a != b {
                losses.push((*demo, shape.clone(), b, a));
            }
        }
        // Every actor, process, store and box keeps its cell id; every threat of a cell
        // that is exported comes back on it, with its status, severity and type.
        let ids = |doc: &serde_json::Value, shape: &str| -> std::collections::BTreeSet<String> {
            cells(doc)
                .iter()
                .filter(|c| c["shape"] == shape)
                .filter_map(|c| c["id"].as_str().map(str::to_string))
                .collect()
        };
        for shape in ["actor", "process", "store", "trust-boundary-box"] {
            assert_eq!(ids(&back, shape), ids(&original, shape), "{demo}: {shape} cell ids");
        }
        // Every cell keeps its geometry (position, size, flow ends with their ports, vertices)
        // and what the model has no field for (descriptions, out-of-scope flags, the protocol
        // and the name as written, the encryption flag as ticked).
        let by_id: std::collections::HashMap<&str, &serde_json::Value> =
            cells(&back).iter().filter_map(|c| Some((c["id"].as_str()?, c))).collect();
        for c in cells(&original) {
            let id = c["id"].as_str().unwrap_or("");
            let now = by_id.get(id).unwrap_or_else(|| panic!("{demo}: cell {id} ({}) is gone", c["shape"]));
            for k in ["position", "size", "source", "target", "vertices"] {
                if !c[k].is_null() {
                    assert_eq!(now[k], c[k], "{demo}: {} {id}: {k}", c["shape"]);
                }
            }
            for k in
                ["name", "description", "protocol", "outOfScope", "reasonOutOfScope", "isEncrypted", "isPublicNetwork"]
            {
                if !c["data"][k].is_null() {
                    assert_eq!(now["data"][k], c["data"][k], "{demo}: {} {id}: data.{k}", c["shape"]);
                }
            }
        }
        // Export → import → export is a fixpoint.
        let again = threat_dragon::import(&back.to_string(), "again.json").unwrap().model;
        let twice = json(&threatwright::export::threat_dragon::analysis(&again, &analysis(&again)));
        assert_eq!(cells(&twice), cells(&back), "{demo}: a second round trip changed the cells");
        let (was, now) = (td_threats(&original), td_threats(&back));
        let exported: std::collections::BTreeSet<String> =
            cells(&back).iter().filter_map(|c| c["id"].as_str().map(str::to_string)).collect();
        for (cell, threats) in &was {
            if exported.contains(cell) {
                assert_eq!(now.get(cell), Some(threats), "{demo}: threats of cell {cell}");
            }
        }
    }
    let known: Vec<(&str, String, usize, usize)> =
        KNOWN_LOSSES.iter().map(|&(d, s, b, a)| (d, s.to_string(), b, a)).collect();
    assert_eq!(losses, known, "the round trip changed (update KNOWN_LOSSES only when a loss is fixed)");
}

#[test]
fn a_bidirectional_flow_stays_one_cell_through_export_and_import() {
    let m = import("tests/corpus/threat-dragon/demo/cryptocurrency-wallet.json").model;
    let first = json(&threatwright::export::threat_dragon::analysis(&m, &analysis(&m)));
    let bidirectional = |doc: &serde_json::Value| {
        cells(doc).iter().filter(|c| c["shape"] == "flow" && c["data"]["isBidirectional"] == true).count()
    };
    assert_eq!(bidirectional(&first), 4, "the demo's four bidirectional flows");
    let back = threat_dragon::import(&first.to_string(), "again.json").unwrap().model;
    assert_eq!(back.flows.len(), m.flows.len(), "both halves come back");
    let second = json(&threatwright::export::threat_dragon::analysis(&back, &analysis(&back)));
    assert_eq!(shapes(&second), shapes(&first));
    assert_eq!(bidirectional(&second), 4);
    assert_eq!(threat_count(&second), threat_count(&first), "no threat doubles on the way back");
    assert_eq!(td_threats(&second), td_threats(&first));
}
