//! Graph facts, table-driven: each case is a small model and the facts
//! expected of named elements.

use threatwright::graph::GraphView;
use threatwright::yaml;

fn model(text: &str) -> threatwright::Model {
    yaml::parse_model(text, "case.yaml").unwrap_or_else(|d| panic!("{d}"))
}

fn idx(v: &GraphView, name: &str) -> usize {
    v.model.elements.iter().position(|e| e.name == name).unwrap()
}

const PIPELINE: &str = r#"
name: pipeline
assets:
  - {name: PII, classification: confidential, tags: [pii]}
boundaries:
  - {name: Internet, kind: internet}
  - {name: Account, kind: account}
elements:
  - {name: Browser, type: generic.browser, boundary: Internet}
  - {name: Admin, type: generic.admin, properties: {trust: trusted}}
  - {name: API, type: aws.apigateway, boundary: Account}
  - {name: Ingest, type: aws.lambda, boundary: Account}
  - {name: Queue, type: aws.sqs, boundary: Account}
  - {name: Worker, type: aws.lambda, boundary: Account}
  - {name: Table, type: aws.dynamodb, boundary: Account, data: [PII]}
  - {name: Private API, type: aws.apigateway, boundary: Account, properties: {endpoint: private}}
  - {name: Internal fn, type: aws.lambda, boundary: Account}
  - {name: Audit, type: aws.s3, boundary: Account, data: [PII]}
flows:
  - {from: Browser, to: API, protocol: https}
  - {from: API, to: Ingest}
  - {from: Ingest, to: Queue}
  - {from: Queue, to: Worker}
  - {from: Worker, to: Table, data: [PII]}
  - {from: Admin, to: Private API}
  - {from: Private API, to: Internal fn}
  - {from: Internal fn, to: Audit, data: [PII]}
grants:
  - {principal: Worker, resource: Table, actions: [dynamodb:PutItem]}
  - {principal: Worker, resource: Audit, actions: ["s3:*"]}
  - {principal: Ingest, resource: "*", actions: [iam:PassRole, logs:DeleteLogGroup]}
"#;

#[test]
fn exposure_reachability_and_untrusted_data() {
    let m = model(PIPELINE);
    let v = GraphView::build(&m);
    let f = |n: &str| &v.element_facts[idx(&v, n)];
    // (element, internet_facing, internet_reachable, untrusted_input, untrusted_async_input)
    let cases = [
        ("API", true, true, true, false),
        ("Ingest", false, true, true, false),
        ("Queue", false, true, true, true),
        ("Worker", false, true, true, true),
        ("Table", false, true, true, true),
        ("Private API", false, false, false, false),
        ("Internal fn", false, false, false, false),
        ("Audit", false, false, false, false),
    ];
    for (name, facing, reachable, untrusted, via_async) in cases {
        let x = f(name);
        assert_eq!(x.internet_facing, facing, "{name} internet_facing");
        assert_eq!(x.internet_reachable, reachable, "{name} internet_reachable");
        assert_eq!(x.untrusted_input, untrusted, "{name} untrusted_input");
        assert_eq!(x.untrusted_async_input, via_async, "{name} untrusted_async_input");
    }
    assert!(f("Browser").untrusted_source);
    assert!(!f("Admin").untrusted_source);
}

#[test]
fn attack_paths_count_entry_points_and_give_the_shortest_path() {
    let m = model(PIPELINE);
    let v = GraphView::build(&m);
    let t = &v.element_facts[idx(&v, "Table")];
    assert_eq!(t.attack_paths, 1);
    let names: Vec<&str> = t.shortest_attack_path.iter().map(|&i| m.elements[i].name.as_str()).collect();
    assert_eq!(names, ["API", "Ingest", "Queue", "Worker", "Table"]);
    assert_eq!(v.element_facts[idx(&v, "Audit")].attack_paths, 0, "behind a private API");
}

#[test]
fn grants_compared_with_flows() {
    let m = model(PIPELINE);
    let v = GraphView::build(&m);
    let w = &v.element_facts[idx(&v, "Worker")];
    assert_eq!(w.grant_without_flow.len(), 1, "{:?}", w.grant_without_flow);
    assert!(w.grant_without_flow[0].contains("`Audit`"));
    assert_eq!(w.wildcard_actions, ["s3:*"]);
    assert!(w.blast_radius_sensitive);
    assert_eq!(w.blast_radius.len(), 2);
    let i = &v.element_facts[idx(&v, "Ingest")];
    assert!(i.wildcard_resource);
    assert_eq!(i.admin_actions, ["iam:PassRole"]);
    assert_eq!(i.log_tamper_actions, ["logs:DeleteLogGroup"]);
    assert!(i.blast_radius_size(v.resource_count) >= 4, "Resource * reaches every store and trigger");
    assert!(i.blast_radius_sensitive);
}

#[test]
fn trigger_loops_are_cycles_through_a_function_and_an_async_trigger() {
    let m = model(
        r#"
name: loop
elements:
  - {name: Bucket, type: aws.s3}
  - {name: On upload, type: aws.s3_notification}
  - {name: Resize, type: aws.lambda}
  - {name: Client, type: generic.browser}
  - {name: API, type: aws.apigateway}
flows:
  - {from: Bucket, to: On upload}
  - {from: On upload, to: Resize}
  - {from: Resize, to: Bucket}
  - {from: Client, to: API}
  - {from: API, to: Client}
"#,
    );
    let v = GraphView::build(&m);
    for n in ["Bucket", "On upload", "Resize"] {
        assert!(v.element_facts[idx(&v, n)].in_trigger_loop, "{n}");
    }
    assert!(!v.element_facts[idx(&v, "API")].in_trigger_loop, "request/response is not a trigger loop");
}

#[test]
fn flows_know_boundaries_crossed_and_encryption() {
    let m = model(PIPELINE);
    let v = GraphView::build(&m);
    let browser_to_api = v.flows.iter().position(|&(fi, _, _)| m.flows[fi].from == m.elements[0].id).unwrap();
    let ff = &v.flow_facts[browser_to_api];
    assert!(ff.crosses_boundary);
    assert_eq!(ff.boundaries_crossed, 2);
    assert!(ff.from_untrusted);
    assert_eq!(ff.encrypted, Some(true), "https implies encryption");
    let queue_to_worker = v.flows.iter().position(|&(fi, _, _)| m.flows[fi].to == m.elements[5].id).unwrap();
    let ff = &v.flow_facts[queue_to_worker];
    assert!(ff.is_async);
    assert!(!ff.crosses_boundary);
    assert_eq!(ff.encrypted, None, "unknown when neither stated nor implied");
}

#[test]
fn half_drawn_models_still_build() {
    let text = "name: x\nelements:\n  - {name: F, type: aws.lambda}\nflows:\n  - {from: F, to: Ghost}\n";
    let root = yaml::load(text, yaml::Limits::default()).unwrap();
    let (m, _, problems) = yaml::read::read(&root);
    assert!(!problems.is_empty());
    let v = GraphView::build(&m);
    assert_eq!(v.flows.len(), 0);
}

/// The category traits of the catalog drive the graph, for every category:
/// a trigger with the `public_endpoint` trait is Internet-facing unless
/// private, a flow touching an `async_delivery` category is an async hop,
/// and an external with `untrusted_by_default` and no `trust` is an
/// untrusted source (so it is not itself an entry point; what it calls is).
#[test]
fn category_traits_drive_exposure_async_hops_and_trust() {
    use threatwright::model::kind::CATEGORIES;
    for c in CATEGORIES {
        let text = format!(
            "name: t\nelements:\n  - {{name: X, type: generic.{}}}\n  - {{name: Fn, type: generic.function}}\nflows:\n  - {{from: X, to: Fn}}\n",
            c.name
        );
        let m = model(&text);
        let v = GraphView::build(&m);
        let x = idx(&v, "X");
        let is_trigger = c.kind == threatwright::model::ElementKind::Trigger;
        assert_eq!(v.element_facts[x].internet_facing, is_trigger && c.public_endpoint, "{}: internet_facing", c.name);
        assert_eq!(v.element_facts[x].untrusted_source, c.untrusted_by_default, "{}: untrusted source", c.name);
        let fn_exposed = v.element_facts[idx(&v, "Fn")].internet_facing;
        assert_eq!(fn_exposed, c.untrusted_by_default, "{}: its callee is an entry point", c.name);
        assert_eq!(v.flow_facts[0].is_async, c.async_delivery, "{}: async hop", c.name);
    }
}

#[test]
fn attack_paths_listed_stay_linear_when_every_entry_point_reaches_hundreds_of_stores() {
    // 250 entry points each reaching ~250 sensitive stores: listing every pair was
    // 50,000 paths (99 MB of JSON); past 2,000 the list is the shortest path per store.
    let model = crate::testkit::pytm_estate(1_000);
    let catalog = threatwright::builtin_catalog().unwrap();
    let a = threatwright::analyze(&model, &catalog, &threatwright::Options::default());
    let view = GraphView::build(&model);
    let reached: Vec<usize> = (0..model.elements.len())
        .filter(|&i| {
            model.elements[i].kind == threatwright::model::ElementKind::Store
                && view.element_facts[i].attack_paths > 0
                && view.element_facts[i].max_classification >= Some(threatwright::model::Classification::Confidential)
        })
        .collect();
    assert!(reached.len() > 100, "the estate has many reachable sensitive stores: {}", reached.len());
    let paths = &a.graph.attack_paths;
    assert_eq!(paths.len(), reached.len(), "one path per reachable sensitive store");
    let targets: std::collections::BTreeSet<_> = paths.iter().map(|p| p.target).collect();
    assert_eq!(targets.len(), reached.len(), "each store once");
    // A small model still lists a path per entry point and store.
    let small = crate::testkit::pytm_estate(8);
    let a = threatwright::analyze(&small, &catalog, &threatwright::Options::default());
    let stores: std::collections::BTreeSet<_> = a.graph.attack_paths.iter().map(|p| p.target).collect();
    assert!(a.graph.attack_paths.len() > stores.len(), "a store reached from several entry points is listed for each");
}
