//! Layout quality and speed: for every built-in template, the examples, a
//! generated estate and any model named in `TW_LAYOUT_MODELS` (paths separated
//! by `:`, YAML or `.twm`), prints crossings, flows through nodes, overlaps,
//! escapes, aspect ratio and time — and beside them Graphviz `dot`'s figures
//! on the same graph (boundaries as clusters, left to right, same node size,
//! straight segments between node centres) when `dot` is on the PATH.
//! Run with `cargo bench --bench layout`; prints figures, asserts nothing.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;
use threatwright::layout::{auto_layout, quality, Quality, NODE_HEIGHT, NODE_WIDTH};
use threatwright::model::{Model, Position, Size};

#[path = "../tests/common/testkit.rs"]
mod testkit;

fn main() {
    let mut models: Vec<(String, Model)> = Vec::new();
    for name in threatwright::import::templates::names() {
        let m = threatwright::import::templates::instantiate(name).expect("template loads");
        models.push((name.to_string(), m));
    }
    for path in ["models/examples/orders-service.yaml", "models/examples/photo-pipeline.yaml"] {
        models.push((path.rsplit('/').next().unwrap_or(path).to_string(), load(path)));
    }
    models.push(("service estate 40".into(), testkit::service_estate(6)));
    models.push(("service estate 200".into(), testkit::service_estate(32)));
    models.push(("random estate 200 (stress)".into(), testkit::analysis_estate(200, 260)));
    models.push(("service estate 2000 (scale)".into(), testkit::service_estate(330)));
    if let Ok(extra) = std::env::var("TW_LAYOUT_MODELS") {
        for path in extra.split(':').filter(|p| !p.is_empty()) {
            models.push((path.rsplit('/').next().unwrap_or(path).to_string(), load(path)));
        }
    }
    let has_dot = Command::new("dot").arg("-V").output().is_ok();
    println!(
        "{:<38} {:>5} {:>5} {:>4} {:>4} {:>4} {:>4} {:>6} {:>8} | {:>5} {:>5} {:>4} {:>6}",
        "model", "elems", "cross", "thru", "ovl", "lbl", "esc", "aspect", "ms", "dot-x", "dot-t", "d-ov", "d-asp"
    );
    // Totals over the readable set; the (scale) model is there for speed.
    let (mut ours, mut theirs) = (0usize, 0usize);
    for (name, mut m) in models {
        let t = Instant::now();
        auto_layout(&mut m);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let q = quality(&m);
        let counted = !name.contains("(scale)");
        ours += if counted { q.crossings } else { 0 };
        let dot = if has_dot { dot_quality(&m) } else { None };
        let dot_cols = match &dot {
            Some(d) => {
                theirs += if counted { d.crossings } else { 0 };
                format!("{:>5} {:>5} {:>4} {:>6.2}", d.crossings, d.flows_through_nodes, d.node_overlaps, d.aspect())
            }
            None => "    -     -    -      -".into(),
        };
        println!(
            "{:<38} {:>5} {:>5} {:>4} {:>4} {:>4} {:>4} {:>6.2} {:>8.1} | {dot_cols}",
            name,
            m.elements.len(),
            q.crossings,
            q.flows_through_nodes,
            q.node_overlaps,
            q.label_overlaps,
            q.escapes,
            q.aspect(),
            ms
        );
    }
    if has_dot {
        println!("total crossings (all but the scale model): threatwright {ours}, dot {theirs}");
    } else {
        println!("total crossings: threatwright {ours} (install graphviz for dot's figures)");
    }
}

fn load(path: &str) -> Model {
    threatwright::store::load_model(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The model laid out by `dot`, measured the same way; `None` when dot fails.
fn dot_quality(m: &Model) -> Option<Quality> {
    let mut src = String::from("digraph g {\nrankdir=LR;\nnode [shape=box, fixedsize=true];\n");
    let (w, h) = (NODE_WIDTH as f64 / 72.0, NODE_HEIGHT as f64 / 72.0);
    fn emit(m: &Model, src: &mut String, level: Option<usize>, w: f64, h: f64, depth: usize) {
        for (i, e) in m.elements.iter().enumerate() {
            if e.boundary.and_then(|b| m.boundaries.iter().position(|x| x.id == b)) == level {
                src.push_str(&format!("n{i} [width={w:.4}, height={h:.4}];\n"));
            }
        }
        if depth > m.boundaries.len() {
            return;
        }
        for (b, x) in m.boundaries.iter().enumerate() {
            if x.parent.and_then(|p| m.boundaries.iter().position(|y| y.id == p)) == level && Some(b) != level {
                src.push_str(&format!("subgraph cluster_{b} {{\nlabel=\"{b}\";\n"));
                emit(m, src, Some(b), w, h, depth + 1);
                src.push_str("}\n");
            }
        }
    }
    emit(m, &mut src, None, w, h, 0);
    for f in &m.flows {
        let a = m.elements.iter().position(|e| e.id == f.from)?;
        let b = m.elements.iter().position(|e| e.id == f.to)?;
        src.push_str(&format!("n{a} -> n{b};\n"));
    }
    src.push_str("}\n");
    let mut child = Command::new("dot").arg("-Tjson").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().ok()?;
    child.stdin.take()?.write_all(src.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let mut placed = m.clone();
    for o in json["objects"].as_array()? {
        let name = o["name"].as_str().unwrap_or("");
        if let Some(i) = name.strip_prefix('n').and_then(|s| s.parse::<usize>().ok()) {
            let pos: Vec<f64> = o["pos"].as_str()?.split(',').filter_map(|s| s.parse().ok()).collect();
            placed.elements[i].position = Some(Position {
                x: (pos[0] - NODE_WIDTH as f64 / 2.0) as i64,
                y: (-pos[1] - NODE_HEIGHT as f64 / 2.0) as i64,
            });
        } else if let Some(b) = name.strip_prefix("cluster_").and_then(|s| s.parse::<usize>().ok()) {
            let bb: Vec<f64> = o["bb"].as_str()?.split(',').filter_map(|s| s.parse().ok()).collect();
            placed.boundaries[b].position = Some(Position { x: bb[0] as i64, y: -bb[3] as i64 });
            placed.boundaries[b].size = Some(Size { width: (bb[2] - bb[0]) as i64, height: (bb[3] - bb[1]) as i64 });
        }
    }
    Some(quality(&placed))
}
