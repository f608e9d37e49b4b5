//! PDF report speed and size (target: 1,000 threats under 2 s).
//! Run with `cargo bench --bench pdf`; prints figures, asserts nothing.

use std::time::Instant;
use threatwright::engine::{analyze, Options};
use threatwright::export::pdf::{render, PdfOptions};
use threatwright::model::*;
use threatwright::rules::builtin_catalog;

fn add(m: &mut Model, name: String, kind: ElementKind, ty: &str, boundary: BoundaryId, props: Vec<(&str, Value)>) -> ElementId {
    let id = ElementId::derive(&name, 0);
    let assets = if kind == ElementKind::Store { m.assets.iter().map(|a| a.id).collect() } else { vec![] };
    m.elements.push(Element {
        id,
        name,
        kind,
        vendor_type: ty.into(),
        boundary: Some(boundary),
        description: String::new(),
        properties: props.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        assets,
        mitigations: vec![],
        position: None,
    });
    id
}

/// `units` chains of public API → function → table, insecure enough to fire many rules.
fn generate(units: usize) -> Model {
    let mut m = Model { name: format!("Generated {units}"), version: "1".into(), author: "bench".into(), ..Model::default() };
    let pii = DataAsset { id: AssetId::derive("pii", 0), name: "PII".into(), classification: Classification::Confidential, tags: vec!["pii".into()], description: String::new() };
    m.assets.push(pii.clone());
    let internet = Boundary { id: BoundaryId::derive("internet", 0), name: "Internet".into(), kind: BoundaryKind::Internet, parent: None, description: String::new(), position: None, size: None };
    let account = Boundary { id: BoundaryId::derive("account", 0), name: "Account".into(), kind: BoundaryKind::Account, parent: None, description: String::new(), position: None, size: None };
    m.boundaries = vec![internet.clone(), account.clone()];
    let client = add(&mut m, "Client".into(), ElementKind::External, "generic.browser", internet.id, vec![]);
    let mut flows = 0;
    for u in 0..units {
        let api = add(&mut m, format!("API {u}"), ElementKind::Trigger, "aws.apigateway", account.id, vec![("auth", Value::Str("none".into()))]);
        let func = add(
            &mut m,
            format!("Handler {u}"),
            ElementKind::Function,
            "aws.lambda",
            account.id,
            vec![("runtime", Value::Str("python3.8".into())), ("environment", Value::List(vec!["DB_PASSWORD".into()]))],
        );
        let table = add(&mut m, format!("Table {u}"), ElementKind::Store, "aws.dynamodb", account.id, vec![]);
        for (a, b) in [(client, api), (api, func), (func, table)] {
            flows += 1;
            m.flows.push(Flow { id: FlowId::derive("flow", flows), from: a, to: b, label: format!("call {flows}"), properties: Properties::new(), assets: vec![pii.id] });
        }
    }
    m
}

fn main() {
    let catalog = builtin_catalog().expect("catalog loads");
    let options = Options { as_of: "2026-01-15".into(), ..Options::default() };
    // Warm the font cache (fonts are parsed once per process).
    let small = generate(2);
    let a = analyze(&small, &catalog, &options);
    let t = Instant::now();
    render(&small, &a, &PdfOptions::default()).expect("renders");
    println!("first render (includes loading fonts): {:?}", t.elapsed());

    for target in [100usize, 300, 1000] {
        let mut units = 2;
        let (model, analysis) = loop {
            let m = generate(units);
            let a = analyze(&m, &catalog, &options);
            if a.threats.len() >= target {
                break (m, a);
            }
            units += 1 + (target - a.threats.len()) / 25;
        };
        let mut best = std::time::Duration::MAX;
        let mut size = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let bytes = render(&model, &analysis, &PdfOptions::default()).expect("renders");
            best = best.min(t.elapsed());
            size = bytes.len();
        }
        println!(
            "{:>5} threats, {:>4} elements: best of 3 {:>8.1?}, {:>7} KB{}",
            analysis.threats.len(),
            model.elements.len(),
            best,
            size / 1024,
            if target == 1000 { if best.as_secs_f64() < 2.0 { "  (target < 2 s: met)" } else { "  (target < 2 s: MISSED)" } } else { "" }
        );
    }
}
