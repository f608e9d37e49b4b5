//! Every stage at N = 100, 1,000, 10,000 and 50,000 on OWASP pytm's benchmark
//! architecture (`testkit::pytm_estate`): parse, validate, graph, analysis,
//! each output format, PDF, `.twm` save and open, and a SAM import of a
//! 500-function template. Prints time, the peak of heap bytes live during the
//! stage (a counting allocator) and the growth from one size to the next.
//! Asserts nothing; BENCHMARKS.md holds the figures.
//!
//! `cargo bench --bench scale` runs every size; `-- 1000` one size;
//! `-- write DIR` writes `pytm-estate-N.yaml` and `sam-500.yaml` into DIR
//! for the whole-process comparison in `scripts/bench.sh`; `-- profile N`
//! runs only parse, analysis and JSON at N, for `perf record`.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;
use threatwright::export::{self, pdf::PdfOptions, RenderInputs, SourceLines};
use threatwright::{engine, graph::GraphView, import, model, rules, store, yaml};

#[path = "../tests/common/testkit.rs"]
mod testkit;

/// Counts live heap bytes and their peak since the last reset, over mimalloc (the CLI's allocator).
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(live, Relaxed);
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let live = LIVE.fetch_add(new_size - layout.size(), Relaxed) + new_size - layout.size();
            PEAK.fetch_max(live, Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const SIZES: [usize; 4] = [100, 1_000, 10_000, 50_000];

/// One stage's figures at each size.
#[derive(Default)]
struct Row {
    stage: String,
    ms: Vec<Option<f64>>,
    mib: Vec<Option<f64>>,
}

/// Runs `f` (best of `runs` for time), returning its result, milliseconds and
/// the peak heap growth in MiB while it ran.
fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> (T, f64, f64) {
    let mut best = f64::MAX;
    let mut peak = 0usize;
    let mut out = None;
    for _ in 0..runs.max(1) {
        drop(out.take());
        let base = LIVE.load(Relaxed);
        PEAK.store(base, Relaxed);
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        peak = peak.max(PEAK.load(Relaxed).saturating_sub(base));
        out = Some(r);
    }
    (out.expect("ran once"), best, peak as f64 / (1024.0 * 1024.0))
}

/// A SAM template of `n` functions behind one API, each writing its own
/// table through a policy template: the import benchmark.
fn sam_template(n: usize) -> String {
    let mut s = String::from("AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n");
    for i in 0..n {
        s.push_str(&format!(
            "  Table{i}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions:\n        - AttributeName: id\n          AttributeType: S\n      KeySchema:\n        - AttributeName: id\n          KeyType: HASH\n  Fn{i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n      Environment:\n        Variables:\n          TABLE: !Ref Table{i}\n      Policies:\n        - DynamoDBCrudPolicy:\n            TableName: !Ref Table{i}\n      Events:\n        Get:\n          Type: Api\n          Properties:\n            RestApiId: !Ref Api\n            Path: /items{i}\n            Method: get\n"
        ));
    }
    s
}

fn stages(n: usize, col: usize, rows: &mut Vec<Row>, catalog: &rules::Catalog) {
    let runs = if n >= 10_000 { 2 } else { 5 };
    // The PDF up to N = TW_SCALE_PDF_MAX (default 1,000); 0 leaves it out.
    let pdf_max: usize = std::env::var("TW_SCALE_PDF_MAX").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000);
    let mut put = |stage: &str, ms: f64, mib: f64| {
        let i = rows.iter().position(|r| r.stage == stage).unwrap_or_else(|| {
            rows.push(Row { stage: stage.into(), ms: vec![None; SIZES.len()], mib: vec![None; SIZES.len()] });
            rows.len() - 1
        });
        rows[i].ms[col] = Some(ms);
        rows[i].mib[col] = Some(mib);
        eprintln!("  N = {n}: {stage}: {ms:.1} ms, peak heap {mib:.0} MiB");
    };
    let generated = testkit::pytm_estate(n);
    let text = yaml::to_string(&generated);
    let (result, ms, mib) = measure(runs, || yaml::parse_model(&text, "estate.yaml"));
    let parsed = match result {
        Ok(m) => {
            put("parse (YAML → model)", ms, mib);
            m
        }
        Err(e) => {
            // A model file over the reader's size limit (SECURITY.md) is refused; the other
            // stages still run on the generated model.
            eprintln!("  N = {n}: the {:.0} MB file is refused: {}", text.len() as f64 / 1e6, e.0[0].message);
            generated
        }
    };
    let (_, ms, mib) = measure(runs, || model::validate(&parsed));
    put("validate", ms, mib);
    let (_, ms, mib) = measure(runs, || GraphView::build(&parsed).flows.len());
    put("graph", ms, mib);
    let options = engine::Options { as_of: "2026-12-01".into(), ..engine::Options::default() };
    let (analysis, ms, mib) = measure(runs, || engine::analyze(&parsed, catalog, &options));
    put("analysis (graph, rules, risk)", ms, mib);
    let lines = SourceLines::new();
    let pdf = PdfOptions::default();
    let inputs = RenderInputs { catalog, source_uri: "estate.yaml", source_lines: &lines, pdf: &pdf };
    for format in export::Format::ALL {
        if format == export::Format::Pdf && n > pdf_max {
            continue; // a 62,000-threat register is 1,500 pages: minutes (TW_SCALE_PDF_MAX=10000)
        }
        if format == export::Format::ThreatDragon && n > 10_000 {
            continue; // lays the model out first: the layout's refinement is superlinear (BENCHMARKS.md)
        }
        let runs = if format == export::Format::Pdf { 1 } else { runs };
        let (bytes, ms, mib) = measure(runs, || export::render(format, &parsed, &analysis, &inputs).expect("renders"));
        put(&format!("output {format}"), ms, mib);
        eprintln!("  N = {n}: {format} is {:.1} MB", bytes.len() as f64 / 1e6);
    }
    let dir = std::env::temp_dir().join(format!("tw-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("estate.twm");
    let (_, ms, mib) = measure(1, || store::project::save(&path, &parsed, Some("first"), "bench").expect("saves"));
    put(".twm save (first revision)", ms, mib);
    let (_, ms, mib) = measure(runs, || store::project::open(&path).expect("opens"));
    put(".twm open", ms, mib);
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    if args.first().map(String::as_str) == Some("write") {
        let dir = std::path::PathBuf::from(args.get(1).expect("write DIR"));
        std::fs::create_dir_all(&dir).expect("creates the folder");
        for n in SIZES {
            let path = dir.join(format!("pytm-estate-{n}.yaml"));
            std::fs::write(&path, yaml::to_string(&testkit::pytm_estate(n))).expect("writes");
        }
        std::fs::write(dir.join("sam-500.yaml"), sam_template(500)).expect("writes");
        println!("wrote the estates and sam-500.yaml into {}", dir.display());
        return;
    }
    if args.first().map(String::as_str) == Some("profile") {
        // The CLI's `analyze --format json` path only, for `perf record`.
        let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1_000);
        let text = yaml::to_string(&testkit::pytm_estate(n));
        let catalog = rules::builtin_catalog().expect("built-in catalog loads");
        let options = engine::Options { as_of: "2026-12-01".into(), ..engine::Options::default() };
        for _ in 0..3 {
            let model = yaml::parse_model(&text, "estate.yaml").expect("parses");
            let analysis = engine::analyze(&model, &catalog, &options);
            let lines = SourceLines::new();
            let pdf = PdfOptions::default();
            let inputs = RenderInputs { catalog: &catalog, source_uri: "estate.yaml", source_lines: &lines, pdf: &pdf };
            let json = export::render(export::Format::Json, &model, &analysis, &inputs).expect("renders");
            println!("{} threats, {} bytes", analysis.threats.len(), json.len());
        }
        return;
    }
    let sizes: Vec<usize> = match args.first().and_then(|a| a.parse().ok()) {
        Some(n) => vec![n],
        None => SIZES.to_vec(),
    };
    let catalog = rules::builtin_catalog().expect("built-in catalog loads");
    let mut rows = Vec::new();
    for &n in &sizes {
        let col = SIZES.iter().position(|&s| s == n).unwrap_or(0);
        eprintln!("N = {n} …");
        stages(n, col, &mut rows, &catalog);
    }
    let sam = sam_template(500);
    let (_, ms, mib) = measure(5, || import::run(import::Format::Sam, &sam, "sam-500.yaml").expect("imports"));
    println!("SAM import, 500 functions ({:.1} MB): {ms:.1} ms, peak heap {mib:.1} MiB\n", sam.len() as f64 / 1e6);
    println!("| stage | {} | growth ×10 (1k→10k) |", SIZES.map(|n| format!("N={n} ms / MiB")).join(" | "));
    println!("|---|{}---|", "---|".repeat(SIZES.len()));
    for r in &rows {
        let cells: Vec<String> = (0..SIZES.len())
            .map(|i| match (r.ms[i], r.mib[i]) {
                (Some(ms), Some(mib)) => format!("{ms:.1} / {mib:.0}"),
                _ => "–".into(),
            })
            .collect();
        let growth = match (r.ms[1], r.ms[2]) {
            (Some(a), Some(b)) if a > 0.0 => format!("{:.1}×", b / a),
            _ => "–".into(),
        };
        println!("| {} | {} | {growth} |", r.stage, cells.join(" | "));
    }
}
