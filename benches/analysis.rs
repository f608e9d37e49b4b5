//! Analysis speed on generated models (PRODUCT.md targets: 10,000 elements
//! and 30,000 flows under 200 ms on one core; 500 elements under 5 ms).
//! Run with `cargo bench --bench analysis`; prints figures, asserts nothing.

use std::time::Instant;
use threatwright::engine::{analyze, Options};
use threatwright::model::*;
use threatwright::rules::builtin_catalog;

/// A model of `units` services, each API → function → queue → worker →
/// table (+ bucket), with grants, boundaries and classified data; about
/// 5 elements per unit and extra cross-links to reach `flows_per_element`.
fn generate(elements: usize, flows: usize) -> Model {
    let mut m = Model { name: format!("generated {elements}"), ..Model::default() };
    let pii = DataAsset { id: AssetId::derive("pii", 0), name: "PII".into(), classification: Classification::Confidential, tags: vec!["pii".into()], description: String::new() };
    m.assets.push(pii.clone());
    let internet = Boundary { id: BoundaryId::derive("internet", 0), name: "Internet".into(), kind: BoundaryKind::Internet, parent: None, description: String::new(), position: None, size: None };
    let account = Boundary { id: BoundaryId::derive("account", 0), name: "Account".into(), kind: BoundaryKind::Account, parent: None, description: String::new(), position: None, size: None };
    m.boundaries = vec![internet.clone(), account.clone()];
    let kinds = [("generic.browser", ElementKind::External), ("aws.apigateway", ElementKind::Trigger), ("aws.lambda", ElementKind::Function), ("aws.sqs", ElementKind::Trigger), ("aws.dynamodb", ElementKind::Store)];
    for i in 0..elements {
        let (t, k) = kinds[i % kinds.len()];
        let mut props = Properties::new();
        if k == ElementKind::Function {
            props.insert("runtime".into(), Value::Str(if i % 3 == 0 { "python3.8".into() } else { "python3.12".into() }));
            props.insert("timeout".into(), Value::Int(if i % 7 == 0 { 900 } else { 10 }));
            props.insert("environment".into(), Value::List(vec!["TABLE_NAME".into(), if i % 4 == 0 { "DB_PASSWORD".into() } else { "STAGE".into() }]));
        }
        if k == ElementKind::Trigger && i % 2 == 0 {
            props.insert("auth".into(), Value::Str("none".into()));
        }
        if k == ElementKind::Trigger && i % 3 == 0 {
            props.insert("encrypted".into(), Value::Bool(true));
            props.insert("throttling".into(), Value::Bool(true));
        }
        m.elements.push(Element {
            id: ElementId::derive(&format!("e{i}"), 0),
            name: format!("e{i}"),
            kind: k,
            vendor_type: t.into(),
            boundary: Some(if k == ElementKind::External { internet.id } else { account.id }),
            description: String::new(),
            properties: props,
            assets: if k == ElementKind::Store { vec![pii.id] } else { vec![] },
            mitigations: vec![],
            position: None,
        });
    }
    let n = m.elements.len();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..flows {
        // Mostly along the chain, some random cross-links.
        let a = if i < n - 1 { i } else { (rand() % n as u64) as usize };
        let b = if i < n - 1 { i + 1 } else { (rand() % n as u64) as usize };
        // A realistic mix: most flows state HTTPS, a fifth carry personal data.
        let mut props = Properties::new();
        if i % 10 != 0 {
            props.insert("protocol".into(), Value::Str("https".into()));
        }
        let assets = if i % 5 == 0 { vec![pii.id] } else { vec![] };
        m.flows.push(Flow { id: FlowId::derive(&format!("f{i}"), 0), from: m.elements[a].id, to: m.elements[b].id, label: String::new(), properties: props, assets });
    }
    for i in (2..n).step_by(5) {
        m.grants.push(Grant { id: GrantId::derive(&format!("g{i}"), 0), principal: m.elements[i].id, target: if i % 10 == 2 { GrantTarget::Any } else { GrantTarget::Element(m.elements[(i + 2).min(n - 1)].id) }, actions: vec!["dynamodb:*".into()] });
    }
    m
}

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

fn main() {
    measure("analysis, small (target 5ms)", 500, 1_500, 50);
    measure("analysis, large (target 200ms)", 10_000, 30_000, 7);
}
