//! Project file speed: save and open of a 10,000-element model (target under
//! 300 ms each), an incremental save after a small edit, a triage decision,
//! and the file size. Run with `cargo bench --bench store`; prints figures,
//! asserts nothing.

use std::time::Instant;
use threatwright::engine::triage::TriageOutcome;
use threatwright::model::*;
use threatwright::store::project;

/// 10,000 elements (API → function → queue → function → table chains) with
/// realistic properties, 30,000 flows, a grant per function.
fn generate(elements: usize, flows: usize) -> Model {
    let mut m = Model { name: format!("generated {elements}"), ..Model::default() };
    let pii = DataAsset {
        id: AssetId::derive("pii", 0),
        name: "PII".into(),
        classification: Classification::Confidential,
        tags: vec!["pii".into()],
        description: String::new(),
    };
    m.assets.push(pii.clone());
    let account = Boundary {
        id: BoundaryId::derive("account", 0),
        name: "Account".into(),
        kind: BoundaryKind::Account,
        parent: None,
        description: String::new(),
        position: None,
        size: None,
    };
    m.boundaries.push(account.clone());
    let kinds = [
        ("aws.apigateway", ElementKind::Trigger),
        ("aws.lambda", ElementKind::Function),
        ("aws.sqs", ElementKind::Trigger),
        ("aws.lambda", ElementKind::Function),
        ("aws.dynamodb", ElementKind::Store),
    ];
    for i in 0..elements {
        let (t, k) = kinds[i % kinds.len()];
        let mut props = Properties::new();
        if k == ElementKind::Function {
            props.insert("runtime".into(), Value::Str("python3.12".into()));
            props.insert("timeout".into(), Value::Int(30));
            props.insert("environment".into(), Value::List(vec!["TABLE_NAME".into(), "STAGE".into()]));
        } else {
            props.insert("encrypted".into(), Value::Bool(true));
        }
        m.elements.push(Element {
            id: ElementId::derive(&format!("e{i}"), 0),
            name: format!("service {} {}", i / 5, t),
            kind: k,
            vendor_type: t.into(),
            boundary: Some(account.id),
            description: "generated for the store benchmark".into(),
            properties: props,
            assets: if k == ElementKind::Store { vec![pii.id] } else { vec![] },
            mitigations: vec![],
            position: Some(Position { x: (i % 100) as i64 * 200, y: (i / 100) as i64 * 150 }),
        });
        if k == ElementKind::Function {
            m.grants.push(Grant {
                id: GrantId::derive(&format!("g{i}"), 0),
                principal: m.elements[i].id,
                target: GrantTarget::Any,
                actions: vec!["dynamodb:GetItem".into()],
            });
        }
    }
    let n = m.elements.len();
    for i in 0..flows {
        let (a, b) = (i % n, (i * 7 + 1) % n);
        let mut properties = Properties::new();
        properties.insert("protocol".into(), Value::Str("https".into()));
        m.flows.push(Flow {
            id: FlowId::derive(&format!("f{i}"), 0),
            from: m.elements[a].id,
            to: m.elements[b].id,
            label: format!("call {i}"),
            properties,
            assets: vec![pii.id],
        });
    }
    m
}

/// This thread's CPU time in ms (Linux `/proc/thread-self/schedstat`), so
/// figures stay meaningful on a loaded machine; 0 elsewhere.
fn cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse::<f64>().ok()))
        .map_or(0.0, |ns| ns / 1e6)
}

/// A wall-clock and CPU stopwatch.
struct Watch(Instant, f64);

impl Watch {
    fn start() -> Self {
        Watch(Instant::now(), cpu())
    }
    fn stop(&self) -> (f64, f64) {
        (self.0.elapsed().as_secs_f64() * 1000.0, cpu() - self.1)
    }
}

fn median(v: Vec<(f64, f64)>) -> String {
    let pick = |mut x: Vec<f64>| {
        x.sort_by(|a, b| a.partial_cmp(b).unwrap());
        x[x.len() / 2]
    };
    let wall = pick(v.iter().map(|p| p.0).collect());
    let cpu = pick(v.iter().map(|p| p.1).collect());
    format!("median {wall:>8.1} ms wall {cpu:>8.1} ms cpu")
}

fn size(path: &std::path::Path) -> u64 {
    let side = |s: &str| std::fs::metadata(format!("{}{s}", path.display())).map(|m| m.len()).unwrap_or(0);
    side("") + side("-wal")
}

fn measure(elements: usize, flows: usize, runs: usize) {
    let dir = tempfile::tempdir().unwrap();
    let model = generate(elements, flows);
    let yaml_bytes = threatwright::yaml::to_string(&model).len();
    let (mut first, mut open, mut same, mut edit, mut triage) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut file_size = 0;
    let mut after = 0;
    for run in 0..runs {
        let path = dir.path().join(format!("bench{run}.twm"));
        let t = Watch::start();
        project::save(&path, &model, Some("first save"), "tester").unwrap();
        first.push(t.stop());
        file_size = size(&path);
        let t = Watch::start();
        let back = project::open(&path).unwrap();
        open.push(t.stop());
        assert_eq!(back.elements.len(), elements);
        let t = Watch::start();
        project::save(&path, &model, Some("unchanged"), "tester").unwrap();
        same.push(t.stop());
        let mut edited = model.clone();
        for e in edited.elements.iter_mut().step_by(100) {
            e.description = format!("edited in run {run}");
        }
        let t = Watch::start();
        project::save(&path, &edited, Some("1% edited"), "tester").unwrap();
        edit.push(t.stop());
        let d = TriageDecision {
            threat: ids::threat_id("TW-API-001", edited.elements[0].id.0),
            rule: "TW-API-001".into(),
            target: "e0".into(),
            status: TriageStatus::Accepted,
            note: "bench".into(),
            owner: String::new(),
            date: String::new(),
        };
        let outcome = TriageOutcome {
            threat: d.threat,
            rule: d.rule.clone(),
            target: d.target.clone(),
            from: TriageStatus::Open,
            to: d.status,
            decision: Some(d),
        };
        let t = Watch::start();
        project::record_triage(&path, &outcome, "bench").unwrap();
        triage.push(t.stop());
        after = size(&path);
    }
    println!(
        "store, {elements} elements {flows} flows {} grants (YAML {:.1} MB):",
        model.grants.len(),
        yaml_bytes as f64 / 1e6
    );
    println!("  save, new file         {}   (target 300 ms)", median(first));
    println!("  open, latest revision  {}   (target 300 ms)", median(open));
    println!("  save, unchanged model  {}", median(same));
    println!("  save, 1% of elements   {}", median(edit));
    println!("  record_triage          {}", median(triage));
    println!(
        "  file size: {:.1} MB after the first save, {:.1} MB after 4 revisions",
        file_size as f64 / 1e6,
        after as f64 / 1e6
    );
}

fn main() {
    measure(500, 1_500, 7);
    measure(10_000, 30_000, 5);
}
