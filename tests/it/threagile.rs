//! Threagile: import of Threagile's own example model (assets, links, nested
//! trust boundaries, data assets with their confidentiality, risk tracking
//! kept as threats), bad input (located errors, exit 2), the export (valid
//! against Threagile's schema, `tests/corpus/threagile/schema.json`) and the
//! round trips export → import → export and of triage decisions. A property
//! test: no input panics.

use crate::support::*;
use proptest::prelude::*;
use threatwright::engine::{analyze, Analysis, Options};
use threatwright::import::threagile;
use threatwright::import::threat_dragon::notes;
use threatwright::model::{validate, Classification, Element, ElementKind, Model, TriageStatus, Value};
use yaml_rust2::{Yaml, YamlLoader};

const EXAMPLE: &str = "tests/corpus/threagile/example.yaml";
const AS_OF: &str = "2026-11-01";

fn import(path: &str) -> threatwright::import::sam::Imported {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    threagile::import(&text, path).unwrap_or_else(|d| panic!("{path}: {d}"))
}

fn el<'m>(m: &'m Model, name: &str) -> &'m Element {
    m.elements.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("no element `{name}`"))
}

fn boundary_of(m: &Model, name: &str) -> Option<String> {
    el(m, name).boundary.map(|b| m.boundary(b).unwrap().name.clone())
}

fn analysis(m: &Model) -> Analysis {
    let catalog = threatwright::rules::builtin_catalog().unwrap();
    analyze(m, &catalog, &Options { as_of: AS_OF.into(), ..Options::default() })
}

fn export(m: &Model) -> String {
    threatwright::export::threagile::analysis(m, &analysis(m))
}

/// YAML as JSON, the way a schema validator sees it.
fn to_json(y: &Yaml) -> serde_json::Value {
    use serde_json::Value as J;
    match y {
        Yaml::Null | Yaml::BadValue | Yaml::Alias(_) => J::Null,
        Yaml::Boolean(b) => J::Bool(*b),
        Yaml::Integer(i) => J::from(*i),
        Yaml::Real(r) => r.parse::<f64>().map(J::from).unwrap_or(J::Null),
        Yaml::String(s) => J::String(s.clone()),
        Yaml::Array(items) => J::Array(items.iter().map(to_json).collect()),
        Yaml::Hash(h) => J::Object(
            h.iter()
                .map(|(k, v)| (k.as_str().map(str::to_string).unwrap_or_else(|| format!("{k:?}")), to_json(v)))
                .collect(),
        ),
    }
}

fn parse(text: &str) -> serde_json::Value {
    let docs = YamlLoader::load_from_str(text).expect("the export is YAML");
    to_json(&docs[0])
}

fn assert_valid(label: &str, text: &str) {
    assert_schema_valid("tests/corpus/threagile/schema.json", label, &parse(text));
}

#[test]
fn imports_threagiles_example_model() {
    let im = import(EXAMPLE);
    let m = &im.model;
    assert!(validate(m).is_empty(), "{:?}", validate(m));
    assert_eq!(m.name, "Some Example Application");
    assert_eq!(m.author, "John Doe");
    assert_eq!((m.elements.len(), m.flows.len(), m.boundaries.len(), m.assets.len()), (14, 20, 5, 12));
    for (name, kind, ty) in [
        ("Customer Web Client", ElementKind::External, "generic.browser"),
        ("Load Balancer", ElementKind::Trigger, "generic.api"),
        ("Customer Contract Database", ElementKind::Store, "generic.database"),
        ("Identity Provider", ElementKind::External, "generic.identity_provider"),
        ("Jenkins Build Server", ElementKind::External, "generic.pipeline"),
        // Tagged `aws:s3`: the tag names the exact type.
        ("Contract File Server", ElementKind::Store, "aws.s3"),
    ] {
        let e = el(m, name);
        assert_eq!((e.kind, e.vendor_type.as_str()), (kind, ty), "{name}");
    }
    // The original technology is kept on the description's `Threagile:` line.
    let (_, meta) = threagile::split_meta(&notes::split(&el(m, "Backoffice ERP System").description).0);
    assert_eq!(meta.get("technologies").map(String::as_str), Some("erp"));
    assert_eq!(meta.get("id").map(String::as_str), Some("erp-system"));
    // Internet-facing externals are untrusted; out of scope is kept with its reason.
    let client = el(m, "Customer Web Client");
    assert_eq!(client.properties.get("trust"), Some(&Value::Str("untrusted".into())));
    assert!(client.description.contains("\n\nOut of scope in Threagile: Owned and managed by end-user customer\n\n"));
    assert_eq!(el(m, "Load Balancer").properties.get("endpoint"), Some(&Value::Str("private".into())));
    assert_eq!(el(m, "Customer Contract Database").properties.get("encrypted_at_rest"), Some(&Value::Bool(true)));
    // Nested boundaries and membership.
    let dmz = m.boundaries.iter().find(|b| b.name == "Web DMZ").unwrap();
    assert_eq!(dmz.parent.and_then(|p| m.boundary(p)).map(|b| b.name.as_str()), Some("Application Network"));
    assert_eq!(boundary_of(m, "Apache Webserver").as_deref(), Some("Web DMZ"));
    assert_eq!(boundary_of(m, "Customer Web Client"), None);
    // Links: protocol, encryption, authentication, data.
    let f = m.flows.iter().find(|f| f.label == "Customer Traffic").unwrap();
    assert_eq!(f.properties.get("protocol"), Some(&Value::Str("https".into())));
    assert_eq!(f.properties.get("encrypted"), Some(&Value::Bool(true)));
    assert_eq!(f.properties.get("authenticated"), Some(&Value::Bool(true)));
    assert_eq!(f.assets.len(), 5);
    let nfs = m.flows.iter().find(|f| f.label == "NFS Filesystem Access").unwrap();
    assert_eq!(nfs.properties.get("encrypted"), Some(&Value::Bool(false)));
    assert_eq!(nfs.properties.get("authenticated"), Some(&Value::Bool(false)));
    // Confidentiality → classification, merge keys followed.
    let class = |n: &str| m.assets.iter().find(|a| a.name == n).unwrap().classification;
    assert_eq!(class("Customer Accounts"), Classification::Restricted);
    assert_eq!(class("Customer Contract Summaries"), Classification::Confidential);
    assert_eq!(class("Marketing Material"), Classification::Public);
    // Risk tracking: on the element its id names, else on the model.
    let (_, erp) = notes::split(&el(m, "Backoffice ERP System").description);
    let t = &erp.threats[0];
    assert_eq!((t.tool.as_str(), t.id.as_str()), ("Threagile", "untrusted-deserialization@erp-system"));
    assert_eq!(
        (t.status, t.description.lines().next()),
        (Some(TriageStatus::Accepted), Some("Risk accepted as tolerable"))
    );
    let (_, ldap) = notes::split(&el(m, "LDAP Auth Server").description);
    assert_eq!(ldap.threats[0].status, Some(TriageStatus::Mitigated));
    assert_eq!(notes::split(&m.description).1.threats.len(), 4);
    assert!(m.description.contains("Threagile shared runtime `WebApp and Backoffice Virtualization`"));
    // What is not imported warns, located.
    assert!(
        im.warnings.iter().any(|w| w.message.contains("individual_risk_categories") && w.line > 0),
        "{:?}",
        im.warnings
    );
    // The model file keeps it all.
    let back = threatwright::yaml::parse_model(&threatwright::yaml::to_string(m), "reread").unwrap();
    assert_eq!(&back, m);
}

#[test]
fn export_validates_against_threagiles_schema() {
    for path in [
        "models/examples/orders-service.yaml",
        "models/examples/photo-pipeline.yaml",
        "models/examples/threatwright.yaml",
    ] {
        let m = threatwright::store::load_model(&root().join(path)).unwrap();
        let text = export(&m);
        assert_valid(path, &text);
        let doc = parse(&text);
        assert_eq!(doc["technical_assets"].as_object().unwrap().len(), m.elements.len(), "{path}");
        let links: usize = doc["technical_assets"]
            .as_object()
            .unwrap()
            .values()
            .map(|a| a["communication_links"].as_object().unwrap().len())
            .sum();
        assert_eq!(links, m.flows.len(), "{path}");
        assert_eq!(doc["risk_tracking"].as_object().unwrap().len(), m.triage.len(), "{path}");
    }
    let doc = parse(&export(&import(EXAMPLE).model));
    let client = &doc["technical_assets"]["Customer Web Client"];
    assert_eq!(
        (&client["out_of_scope"], &client["justification_out_of_scope"]),
        (&true.into(), &"Owned and managed by end-user customer".into())
    );
    assert_eq!(
        (&client["id"], &client["technologies"][0], &client["owner"]),
        (&"customer-client".into(), &"browser".into(), &"Customer".into())
    );
    assert_valid(EXAMPLE, &export(&import(EXAMPLE).model));
}

#[test]
fn the_export_keeps_to_what_threagile_checks_beyond_its_schema() {
    let mut m = threatwright::store::load_model(&root().join("models/examples/threatwright.yaml")).unwrap();
    assert!(!m.triage.is_empty());
    m.elements[0].description = "Threagile: id=not_valid!".into();
    if let Some(d) = m.triage.first_mut() {
        d.date = "last Tuesday".into();
    }
    let doc = parse(&export(&m));
    let id_ok = |id: &str| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    for section in ["data_assets", "technical_assets", "trust_boundaries", "shared_runtimes"] {
        for (name, v) in doc[section].as_object().unwrap() {
            assert!(id_ok(v["id"].as_str().unwrap()), "{section}.{name}: id {}", v["id"]);
        }
    }
    for (id, r) in doc["risk_tracking"].as_object().unwrap() {
        let d = &r["date"];
        assert!(d.is_null() || d.as_str().is_some_and(|d| d.len() == 10), "{id}: date {d}");
    }
}

#[test]
fn cli_exports_and_imports() {
    let out = run(&["analyze", "models/examples/orders-service.yaml", "--format", "threagile", "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("---\nthreagile_version: 1.0.0\n"), "{}", text(&out.stdout));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("example.yaml");
    let out = run(&["import", "threagile", EXAMPLE, "-o", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(threatwright::store::load_model(&path).unwrap().elements.len(), 14);
}

/// What a round trip must keep: elements, flows, boundaries with nesting, data assets.
fn shape(m: &Model) -> Vec<String> {
    let name = |id| m.element(id).map(|e| e.name.clone()).unwrap_or_default();
    let bname = |id: Option<threatwright::model::BoundaryId>| id.and_then(|b| m.boundary(b)).map(|b| b.name.clone());
    let mut out: Vec<String> = Vec::new();
    out.extend(
        m.elements
            .iter()
            .map(|e| format!("element {} {} {} in {:?}", e.name, e.kind, e.vendor_type, bname(e.boundary))),
    );
    out.extend(m.flows.iter().map(|f| format!("flow {} -> {} assets {}", name(f.from), name(f.to), f.assets.len())));
    out.extend(
        m.boundaries.iter().map(|b| format!("boundary {} {} in {:?}", b.name, b.kind.as_str(), bname(b.parent))),
    );
    out.extend(m.assets.iter().map(|a| format!("asset {} {}", a.name, a.classification.as_str())));
    out.sort();
    out
}

#[test]
fn export_then_import_keeps_elements_flows_boundaries_and_assets() {
    let example = import(EXAMPLE).model;
    for (label, m) in [
        (
            "orders-service",
            threatwright::store::load_model(&root().join("models/examples/orders-service.yaml")).unwrap(),
        ),
        (
            "photo-pipeline",
            threatwright::store::load_model(&root().join("models/examples/photo-pipeline.yaml")).unwrap(),
        ),
        ("threatwright", threatwright::store::load_model(&root().join("models/examples/threatwright.yaml")).unwrap()),
        ("example", example),
    ] {
        let first = export(&m);
        let back = threagile::import(&first, "export.yaml").unwrap_or_else(|d| panic!("{label}: {d}"));
        assert!(validate(&back.model).is_empty(), "{label}: {:?}", validate(&back.model));
        assert_eq!(shape(&back.model), shape(&m), "{label}");
        let mut a = m.triage.clone();
        let mut b = back.model.triage.clone();
        a.sort_by_key(|d| d.threat);
        b.sort_by_key(|d| d.threat);
        assert_eq!(b, a, "{label}: triage decisions come back");
        let second = export(&back.model);
        assert_eq!(second, first, "{label}: export → import → export is stable");
    }
}

#[test]
fn bad_input_is_located_and_exits_2() {
    for (doc, wanted) in [
        ("a: [1, 2\nb: 3\n", "x.yaml:"),
        ("- 1\n- 2\n", "expected a Threagile model"),
        ("title: x\nsummary: {}\n", "not a Threagile model"),
        ("threagile_version: 1.0.0\ntechnical_assets: [1]\n", "technical_assets: expected a mapping"),
    ] {
        let e = threagile::import(doc, "x.yaml").expect_err(doc);
        assert!(e.to_string().contains(wanted), "{doc}: {e}");
    }
    let out = run(&["import", "threagile", "tests/corpus/threagile/broken/unknown-target.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("tests/corpus/threagile/broken/unknown-target.yaml:15:17: communication link `Queries` of `Web App` targets `nowhere`"),
        "{err}"
    );
    let out = run(&["import", "threagile", "tests/corpus/threat-dragon/orders-v2.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("orders-v2.json:1:1: not a Threagile model"), "{}", text(&out.stderr));
    // Odd entries are warnings, never failures.
    let odd = "threagile_version: 2.0.0\ntechnical_assets:\n  A:\n    id: a\n    type: weird\n    data_assets_stored: [nope]\n    \
               communication_links: 7\n  B: {id: b, type: datastore, technology: vault}\ntrust_boundaries:\n  T: {id: t, type: odd, technical_assets_inside: [a, zz], trust_boundaries_nested: [t]}\n\
               risk_tracking:\n  x@b: {status: maybe}\n";
    let im = threagile::import(odd, "odd.yaml").unwrap();
    assert_eq!(im.model.elements.len(), 2);
    assert_eq!(el(&im.model, "B").vendor_type, "generic.secret_store");
    let tagged = "technical_assets:\n  Uploader: {id: u, type: process, technology: function, tags: [aws:s3]}\n  \
                  Files: {id: f, type: datastore, technology: file-server, tags: [aws:s3]}\n";
    let m = threagile::import(tagged, "tags.yaml").unwrap().model;
    assert_eq!(
        (el(&m, "Uploader").vendor_type.as_str(), el(&m, "Files").vendor_type.as_str()),
        ("generic.function", "aws.s3")
    );
    assert!(im.warnings.len() >= 7, "{:?}", im.warnings);
}

proptest! {
    #![proptest_config(crate::support::proptest_config(64))]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
        let _ = threagile::import(&s, "p.yaml");
    }

    #[test]
    fn arbitrary_assets_never_panic(
        ty in prop_oneof![Just("process"), Just("datastore"), Just("external-entity"), Just("x")],
        tech in prop_oneof![Just("function"), Just("gateway"), Just("message-queue"), Just("vault"), Just("browser"), Just("")],
        target in prop_oneof![Just("a"), Just("b")],
        proto in prop_oneof![Just("https"), Just("jdbc-encrypted"), Just("ftp"), Just(""), Just("x")],
        flag in any::<bool>(),
    ) {
        let doc = format!(
            "threagile_version: 1.0.0\ntechnical_assets:\n  A:\n    id: a\n    type: {ty}\n    technology: {tech}\n    internet: {flag}\n    \
             communication_links:\n      L: {{target: {target}, protocol: '{proto}', authentication: none}}\n  B: {{id: b, type: {ty}, technologies: [{tech}]}}\n\
             trust_boundaries:\n  T: {{id: t, type: network-on-prem, technical_assets_inside: [a], trust_boundaries_nested: [t]}}\n"
        );
        if let Ok(im) = threagile::import(&doc, "p.yaml") {
            let text = export(&im.model);
            prop_assert!(threagile::import(&text, "again.yaml").is_ok());
        }
    }
}
