//! Microsoft Threat Modeling Tool: import of a hand-written `.tm7`
//! (stencils by generic type, border boundaries holding and nesting by their
//! boxes, a line boundary noted, connectors as flows, threat instances kept
//! with their state) and of a public file saved by the tool itself (several
//! drawing surfaces); bad input (non-XML, other XML, a DTD, deep nesting)
//! gives located errors and exit 2, never a panic.

use crate::support::*;
use proptest::prelude::*;
use threatwright::import::threat_dragon::notes;
use threatwright::import::tm7;
use threatwright::model::{validate, BoundaryKind, Element, ElementKind, Model, TriageStatus, Value};

const FIXTURE: &str = "tests/corpus/tm7/orders.tm7";
const PUBLIC: &str = "tests/corpus/tm7/university-portal.tm7";

fn import(path: &str) -> threatwright::import::sam::Imported {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    tm7::import(&text, path).unwrap_or_else(|d| panic!("{path}: {d}"))
}

fn el<'m>(m: &'m Model, name: &str) -> &'m Element {
    m.elements.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("no element `{name}`"))
}

fn boundary_of(m: &Model, name: &str) -> Option<String> {
    el(m, name).boundary.map(|b| m.boundary(b).unwrap().name.clone())
}

#[test]
fn imports_stencils_boundaries_and_flows() {
    let im = import(FIXTURE);
    let m = &im.model;
    assert!(validate(m).is_empty(), "{:?}", validate(m));
    assert_eq!((m.name.as_str(), m.author.as_str()), ("Serverless Orders (Azure)", "Platform Security"));
    assert!(m.scope.contains("Payment provider API"), "{}", m.scope);
    let kinds: Vec<(&str, ElementKind, &str)> =
        m.elements.iter().map(|e| (e.name.as_str(), e.kind, e.vendor_type.as_str())).collect();
    assert_eq!(
        kinds,
        vec![
            ("Customer Browser", ElementKind::External, "generic.browser"),
            ("Orders API", ElementKind::Trigger, "azure.apim"),
            ("Create Order", ElementKind::Function, "azure.function"),
            ("Orders Database", ElementKind::Store, "azure.sql"),
            ("Signing Keys", ElementKind::Store, "azure.key_vault"),
            ("Payment Provider", ElementKind::External, "generic.service"),
        ],
        "annotations are not elements"
    );
    // The stencil type is kept, and out of scope with its reason.
    assert!(el(m, "Orders Database").description.starts_with("Microsoft TMT stencil: SE.DS.TMCore.AzureSQLDB"));
    assert!(el(m, "Signing Keys").description.contains("Out of scope in Microsoft TMT: Managed by the platform team"));
    // Boxes hold the stencils inside them and nest.
    assert_eq!(boundary_of(m, "Customer Browser").as_deref(), Some("Internet"));
    assert_eq!(boundary_of(m, "Create Order").as_deref(), Some("Azure Subscription"));
    assert_eq!(boundary_of(m, "Orders Database").as_deref(), Some("Orders VNet"));
    assert_eq!(boundary_of(m, "Payment Provider"), None);
    let vnet = m.boundaries.iter().find(|b| b.name == "Orders VNet").unwrap();
    assert_eq!(vnet.parent.and_then(|p| m.boundary(p)).map(|b| b.name.as_str()), Some("Azure Subscription"));
    let kind = |n: &str| m.boundaries.iter().find(|b| b.name == n).unwrap().kind;
    assert_eq!((kind("Internet"), kind("Azure Subscription")), (BoundaryKind::Internet, BoundaryKind::Account));
    // Positions are kept from Left/Top.
    assert_eq!(el(m, "Orders Database").position.map(|p| (p.x, p.y)), Some((820, 400)));
    // Connectors: protocol from the type id, encryption and authentication from the properties.
    assert_eq!(m.flows.len(), 5, "the dangling connector is skipped");
    let place = m.flows.iter().find(|f| f.label == "Place order").unwrap();
    assert_eq!(place.properties.get("protocol"), Some(&Value::Str("https".into())));
    assert_eq!(place.properties.get("authenticated"), Some(&Value::Bool(true)));
    let insert = m.flows.iter().find(|f| f.label == "Insert order").unwrap();
    assert_eq!(insert.properties.get("encrypted"), Some(&Value::Bool(true)));
    let key = m.flows.iter().find(|f| f.label == "Read signing key").unwrap();
    assert_eq!(key.properties.get("encrypted"), Some(&Value::Bool(false)));
    // The line boundary names the flow crossing it.
    assert!(
        m.description
            .contains("trust boundary line `PCI scope` is crossed by: Create Order → Payment Provider (Charge card)"),
        "{}",
        m.description
    );
    assert!(
        im.warnings.iter().any(|w| w.message.contains("`Dangling` is not attached") && w.line == 341),
        "{:?}",
        im.warnings
    );
}

#[test]
fn keeps_threat_instances_with_their_state() {
    let m = import(FIXTURE).model;
    let threats = |n: &str| notes::split(&el(&m, n).description).1.threats;
    let browser = threats("Customer Browser");
    let t = &browser[0];
    assert_eq!(
        (t.tool.as_str(), t.title.as_str(), t.status),
        ("Microsoft TMT", "Spoofing the Orders API", Some(TriageStatus::Mitigated))
    );
    assert_eq!((t.kind.as_str(), t.severity.as_str()), ("Spoofing", "High"));
    assert_eq!(t.mitigation, "Orders API validates Entra ID tokens on every request.");
    let place = m.flows.iter().find(|f| f.label == "Place order").unwrap();
    assert_eq!(t.flow, Some(place.id.to_string()));
    // The justification of a threat that is not mitigated stays in its description.
    let api = threats("Orders API");
    assert_eq!(api[0].status, Some(TriageStatus::NotApplicable));
    assert!(api[0].description.ends_with("Justification: The function runs with its own managed identity only."));
    let func = threats("Create Order");
    let statuses: Vec<Option<TriageStatus>> = func.iter().map(|t| t.status).collect();
    assert_eq!(
        statuses,
        vec![Some(TriageStatus::Open), Some(TriageStatus::Open)],
        "auto-generated and needs investigation"
    );
    let back = threatwright::yaml::parse_model(&threatwright::yaml::to_string(&m), "reread").unwrap();
    assert_eq!(back, m);
}

#[test]
fn imports_a_file_saved_by_the_tool() {
    let im = import(PUBLIC);
    let m = &im.model;
    assert!(validate(m).is_empty(), "{:?}", validate(m));
    assert_eq!(m.name, "University Web Portal Secure Access Threat Model");
    assert_eq!((m.elements.len(), m.flows.len()), (32, 47));
    // Two drawing surfaces: each a boundary holding its stencils, laid out anew.
    let surfaces: Vec<&str> = m.boundaries.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(surfaces, vec!["Diagram: 12th Week Project", "Diagram: Diagram 1"]);
    assert!(m.elements.iter().all(|e| e.boundary.is_some() && e.position.is_some()));
    assert_eq!(el(m, "Staff/Users").vendor_type, "generic.user");
    let kept: usize = m.elements.iter().map(|e| notes::split(&e.description).1.threats.len()).sum();
    let in_model = notes::split(&m.description).1.threats.len();
    assert_eq!(kept + in_model, 113, "every threat instance is kept");
    let mitigated = m
        .elements
        .iter()
        .flat_map(|e| notes::split(&e.description).1.threats)
        .filter(|t| t.status == Some(TriageStatus::Mitigated))
        .count();
    assert!(mitigated > 0);
    let out = run(&["import", "tm7", PUBLIC]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("name: University Web Portal Secure Access Threat Model"));
}

#[test]
fn bad_input_is_located_and_exits_2() {
    for (doc, wanted) in [
        ("not xml at all", "x.tm7:1:1: invalid XML"),
        ("<ThreatModel><DrawingSurfaceList>\n  <Oops></DrawingSurfaceList></ThreatModel>", "x.tm7:2:"),
        ("<html><body/></html>", "x.tm7:1:1: not a Microsoft Threat Modeling Tool model: the root element is <html>"),
        ("<KnowledgeBase/>", "a .tb7 template"),
        ("<ThreatModel><Version>4.3</Version></ThreatModel>", "no <DrawingSurfaceList>"),
        (
            "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><ThreatModel>&lol2;</ThreatModel>",
            "invalid XML",
        ),
    ] {
        let e = tm7::import(doc, "x.tm7").expect_err(doc);
        assert!(e.to_string().contains(wanted), "{doc}: {e}");
    }
    let huge = format!("<ThreatModel>{}</ThreatModel>", " ".repeat(33 * 1024 * 1024));
    let e = tm7::import(&huge, "huge.tm7").expect_err("over the size limit");
    assert!(e.to_string().contains("huge.tm7:1:1: file is 34603035 bytes, over the limit"), "{e}");
    // Deep nesting is no problem for a reader that does not recurse.
    let deep = format!(
        "<ThreatModel><DrawingSurfaceList>{}{}</DrawingSurfaceList></ThreatModel>",
        "<a>".repeat(50_000),
        "</a>".repeat(50_000)
    );
    let e = threatwright::import::run(threatwright::ImportFormat::Tm7, &deep, "deep.tm7").expect_err("no element");
    assert!(e.to_string().contains("nothing to import"), "{e}");
    let out = run(&["import", "tm7", "tests/corpus/threagile/example.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("tests/corpus/threagile/example.yaml:1:1: invalid XML"),
        "{}",
        text(&out.stderr)
    );
}

proptest! {
    #![proptest_config(crate::support::proptest_config(64))]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
        let _ = tm7::import(&s, "p.tm7");
    }

    #[test]
    fn mutated_fixtures_never_panic(cut in 0usize..40_000, junk in "[<>/a-zA-Z0-9 =\"]{0,12}") {
        let text = std::fs::read_to_string(root().join(FIXTURE)).unwrap();
        let at = (0..=cut.min(text.len())).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let mutated = format!("{}{junk}{}", &text[..at], &text[at..]);
        let _ = tm7::import(&mutated, "m.tm7");
    }
}
