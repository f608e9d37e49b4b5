//! Analysis speed on generated models (PRODUCT.md targets: 10,000 elements
//! and 30,000 flows under 200 ms on one core; 500 elements under 5 ms).
//! Run with `cargo bench --bench analysis`; prints figures, asserts nothing.

use std::time::Instant;
use threatwright::engine::{analyze, Options};
use threatwright::model::*;
use threatwright::rules::builtin_catalog;

#[path = "../tests/common/testkit.rs"]
mod testkit;
use testkit::analysis_estate as generate;

fn measure(label: &str, elements: usize, flows: usize, runs: usize) {
    let catalog = builtin_catalog().expect("built-in catalog loads");
    let model = generate(elements, flows);
    let options = Options::default();
    let _ = analyze(&model, &catalog, &options); // warm-up
    let mut times = Vec::new();
    let mut threats = 0;
    let mut by_rule: std::collections::BTreeMap<String, usize> = Default::default();
    for _ in 0..runs {
        let t = Instant::now();
        let a = analyze(&model, &catalog, &options);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        threats = a.threats.len();
        by_rule.clear();
        for t in &a.threats {
            *by_rule.entry(t.rule.clone()).or_default() += 1;
        }
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "{label:<28} {elements:>6} elements {flows:>6} flows {:>3} rules {threats:>7} threats   median {:>8.2} ms   min {:>8.2} ms",
        catalog.rules.len(),
        times[times.len() / 2],
        times[0]
    );
    let mut top: Vec<(String, usize)> = by_rule.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let top: Vec<String> = top.iter().take(6).map(|(r, n)| format!("{r} {n}")).collect();
    println!("    most frequent: {}", top.join(", "));
}

/// The well-configured example model replicated `copies` times (renamed),
/// plus cross-links to reach `flows`: the cost of evaluating rules when few
/// of them fire, as opposed to formatting thousands of threats.
fn replicated(copies: usize, flows: usize) -> Model {
    let base = threatwright::yaml::parse_model(include_str!("../models/examples/orders-service.yaml"), "orders")
        .expect("example parses");
    let mut m = Model { name: "replicated".into(), assets: base.assets.clone(), ..Model::default() };
    for c in 0..copies {
        let mut map = std::collections::HashMap::new();
        for b in &base.boundaries {
            let mut b2 = b.clone();
            b2.id = BoundaryId::derive(&format!("{}#{c}", b.name), 0);
            b2.name = format!("{} {c}", b.name);
            map.insert(b.id.0, b2.id.0);
            m.boundaries.push(b2);
        }
        for b in m.boundaries.iter_mut().rev().take(base.boundaries.len()) {
            b.parent = b.parent.map(|p| BoundaryId(map.get(&p.0).copied().unwrap_or(p.0)));
        }
        for e in &base.elements {
            let mut e2 = e.clone();
            e2.id = ElementId::derive(&format!("{}#{c}", e.name), 0);
            e2.name = format!("{} {c}", e.name);
            e2.boundary = e.boundary.map(|b| BoundaryId(map[&b.0]));
            map.insert(e.id.0, e2.id.0);
            m.elements.push(e2);
        }
        for f in &base.flows {
            let mut f2 = f.clone();
            f2.id = FlowId::derive(&format!("{}#{c}", f.id), 0);
            f2.from = ElementId(map[&f.from.0]);
            f2.to = ElementId(map[&f.to.0]);
            m.flows.push(f2);
        }
        for g in &base.grants {
            let mut g2 = g.clone();
            g2.id = GrantId::derive(&format!("{}#{c}", g.id), 0);
            g2.principal = ElementId(map[&g.principal.0]);
            if let GrantTarget::Element(t) = g.target {
                g2.target = GrantTarget::Element(ElementId(map[&t.0]));
            }
            m.grants.push(g2);
        }
    }
    // Cross-links between copies' functions and tables, as in a large estate.
    let functions: Vec<ElementId> =
        m.elements.iter().filter(|e| e.kind == ElementKind::Function).map(|e| e.id).collect();
    let tables: Vec<ElementId> = m.elements.iter().filter(|e| e.kind == ElementKind::Store).map(|e| e.id).collect();
    let mut i = 0;
    while m.flows.len() < flows {
        let from = functions[i % functions.len()];
        let to = tables[(i * 7 + 3) % tables.len()];
        let mut props = Properties::new();
        props.insert("protocol".into(), Value::Str("https".into()));
        props.insert("authenticated".into(), Value::Bool(true));
        m.flows.push(Flow {
            id: FlowId::derive(&format!("x{i}"), 0),
            from,
            to,
            label: String::new(),
            properties: props,
            assets: vec![],
        });
        i += 1;
    }
    m
}

fn measure_model(label: &str, model: &Model, runs: usize) {
    let catalog = builtin_catalog().expect("built-in catalog loads");
    let options = Options::default();
    let _ = analyze(model, &catalog, &options);
    let mut times = Vec::new();
    let mut threats = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let a = analyze(model, &catalog, &options);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        threats = a.threats.len();
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "{label:<28} {:>6} elements {:>6} flows {:>3} rules {threats:>7} threats   median {:>8.2} ms   min {:>8.2} ms",
        model.elements.len(),
        model.flows.len(),
        catalog.rules.len(),
        times[times.len() / 2],
        times[0]
    );
}

fn main() {
    // `cargo bench --bench analysis -- well` runs only the cases whose label contains "well".
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |label: &str| filter.as_deref().map(|f| label.contains(f)).unwrap_or(true);
    if wanted("analysis, small") {
        measure("analysis, small (target 5ms)", 500, 1_500, 50);
    }
    if wanted("analysis, large") {
        measure("analysis, large (target 200ms)", 10_000, 30_000, 7);
    }
    if wanted("well-configured, 500") {
        measure_model("well-configured, 500", &replicated(50, 1_500), 50);
    }
    if wanted("well-configured, 10k") {
        measure_model("well-configured, 10k", &replicated(1_000, 30_000), 7);
    }
}
