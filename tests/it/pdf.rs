//! The PDF report: rendered for the examples, a generated 300-threat model
//! and a model with names in several scripts, then read back with poppler's
//! `pdftotext` / `pdfinfo` (installed by scripts/install-deps.sh).

use crate::support::{root, run, text};
use std::path::Path;
use std::process::Command;
use threatwright::engine::{analyze, Analysis, Options};
use threatwright::export::pdf::{render, PdfOptions};
use threatwright::model::*;
use threatwright::rules::builtin_catalog;
use threatwright::yaml;

const AS_OF: &str = "2026-01-15";

fn options() -> Options {
    Options { as_of: AS_OF.into(), ..Options::default() }
}

pub(crate) fn pdf_of(model: &Model) -> (Analysis, Vec<u8>) {
    let analysis = analyze(model, &builtin_catalog().expect("catalog loads"), &options());
    let bytes = render(model, &analysis, &PdfOptions::default()).expect("the report renders");
    (analysis, bytes)
}

/// What `pdftotext -raw` reads from the PDF, in content-stream order; pages
/// are separated by form feeds.
fn pdftotext(bytes: &[u8], name: &str) -> String {
    pdftotext_as(bytes, name, "-raw")
}

/// What `pdftotext MODE` prints for the PDF (`-raw`: text in stream order; `-bbox`: an XHTML
/// page list with every word's box).
pub(crate) fn pdftotext_as(bytes: &[u8], name: &str, mode: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).expect("write pdf");
    let out = Command::new("pdftotext")
        .args([mode, "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils, or scripts/install-deps.sh)");
    assert!(out.status.success(), "pdftotext failed: {}", text(&out.stderr));
    text(&out.stdout)
}

/// Text of the PDF in content-stream order, whitespace collapsed, so wrapped
/// lines of one cell read as one string.
fn pdf_text(bytes: &[u8], name: &str) -> String {
    collapse(&pdftotext(bytes, name))
}

/// The text of each page, whitespace collapsed.
pub(crate) fn pdf_pages(bytes: &[u8]) -> Vec<String> {
    let mut pages: Vec<String> = pdftotext(bytes, "report").split('\x0c').map(collapse).collect();
    if pages.last().is_some_and(|p| p.is_empty()) {
        pages.pop();
    }
    pages
}

pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(crate) fn page_count(bytes: &[u8]) -> usize {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("count.pdf");
    std::fs::write(&path, bytes).expect("write pdf");
    let out = Command::new("pdfinfo").arg(&path).output().expect("pdfinfo runs");
    assert!(out.status.success(), "pdfinfo rejects the file: {}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().expect("page count")))
        .expect("pdfinfo prints Pages")
}

/// Every threat title, element name and severity count is in the text.
fn assert_complete(model: &Model, analysis: &Analysis, txt: &str) {
    for t in &analysis.threats {
        assert!(txt.contains(&collapse(&t.title)), "threat title missing: {}", t.title);
        let id = &t.id.simple().to_string()[..8];
        assert!(txt.contains(&format!(" {id} ")), "register id {id} missing or wrapped");
    }
    for e in &model.elements {
        assert!(txt.contains(&collapse(&e.name)), "element name missing: {}", e.name);
    }
    for (sev, n) in &analysis.summary.by_severity {
        let label = format!("{}{} — {n}", sev[..1].to_uppercase(), &sev[1..]);
        assert!(txt.contains(&label), "severity count missing: {label}");
    }
    assert!(txt.contains(&format!("{} in total", analysis.threats.len())));
}

fn example(name: &str) -> Model {
    let path = root().join("models/examples").join(name);
    let src = std::fs::read_to_string(&path).expect("example exists");
    yaml::parse_model(&src, name).expect("example parses")
}

#[test]
fn examples_render_with_every_title_name_and_count() {
    for (name, pages) in [("orders-service.yaml", 5..=25), ("photo-pipeline.yaml", 15..=80)] {
        let model = example(name);
        let (analysis, bytes) = pdf_of(&model);
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.len() < 1_500_000, "{name}: {} bytes", bytes.len());
        let n = page_count(&bytes);
        assert!(pages.contains(&n), "{name}: {n} pages");
        let txt = pdf_text(&bytes, name);
        assert_complete(&model, &analysis, &txt);
        for heading in [
            "Executive summary",
            "Contents",
            "Data-flow diagram",
            "Risk heat map",
            "Risk register",
            "Threat details",
            "Mitigation plan",
            "Compliance mapping",
            "Elements and properties",
        ] {
            assert!(txt.contains(heading), "{name}: section missing: {heading}");
        }
        assert!(txt.contains(&format!("Page {n} of {n}")), "{name}: page numbers");
    }
}

use crate::testkit::insecure_chains as generated;

#[test]
fn a_300_threat_model_renders_completely() {
    let mut units = 4;
    let model = loop {
        let m = generated(units);
        let n = analyze(&m, &builtin_catalog().expect("catalog"), &options()).threats.len();
        if n >= 300 {
            break m;
        }
        units += 1 + (300 - n) / 20;
    };
    let (analysis, bytes) = pdf_of(&model);
    assert!(analysis.threats.len() >= 300);
    let n = page_count(&bytes);
    assert!((40..=400).contains(&n), "{n} pages for {} threats", analysis.threats.len());
    assert!(bytes.len() < 4_000_000, "{} bytes", bytes.len());
    let txt = pdf_text(&bytes, "generated");
    assert_complete(&model, &analysis, &txt);
}

const UNICODE_MODEL: &str = r#"
name: Café Ñandú — pedidos
version: "2.1"
author: Zoë Łukasiewicz
scope: Ordering in Japan, Russia and Egypt
boundaries:
  - name: Интернет
    kind: internet
  - name: クラウド
    kind: account
elements:
  - name: Café Ñandú
    kind: external
    type: generic.browser
    boundary: Интернет
  - name: 注文サービス
    type: aws.lambda
    boundary: クラウド
    properties:
      runtime: python3.8
      environment: [DB_PASSWORD]
  - name: Заказы
    type: aws.dynamodb
    boundary: クラウド
  - name: طلبات
    type: aws.sqs
    boundary: クラウド
flows:
  - from: Café Ñandú
    to: 注文サービス
    label: 注文する
  - from: 注文サービス
    to: Заказы
    label: запись
  - from: 注文サービス
    to: طلبات
"#;

#[test]
fn names_in_any_script_survive_extraction() {
    let model = yaml::parse_model(UNICODE_MODEL, "unicode.yaml").expect("fixture parses");
    let (analysis, bytes) = pdf_of(&model);
    let txt = pdf_text(&bytes, "unicode");
    for name in ["Café Ñandú", "注文サービス", "Заказы", "طلبات", "Интернет", "クラウド", "Zoë Łukasiewicz", "注文する"]
    {
        assert!(txt.contains(name), "{name} missing from the text");
    }
    assert_complete(&model, &analysis, &txt);
    // Subset fonts keep the file small even with the CJK face embedded.
    assert!(bytes.len() < 400_000, "{} bytes", bytes.len());
}

#[test]
fn rendering_is_deterministic_apart_from_the_date() {
    let model = example("photo-pipeline.yaml");
    let analysis = analyze(&model, &builtin_catalog().expect("catalog"), &options());
    let at = |date: &str| {
        render(&model, &analysis, &PdfOptions { date: Some(date.into()), ..PdfOptions::default() }).expect("renders")
    };
    let (a, b) = (at("2026-01-15"), at("2026-01-15"));
    assert!(a == b, "two renders of the same input differ");
    let c = at("2026-02-01");
    assert_ne!(a, c, "the date is part of the document");
}

#[test]
fn cli_report_writes_a_pdf() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report.pdf");
    let o = run(&[
        "report",
        "models/examples/orders-service.yaml",
        "-o",
        out.to_str().expect("utf-8 path"),
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", text(&o.stderr));
    let bytes = std::fs::read(&out).expect("report written");
    assert!(page_count(&bytes) >= 5);
    let o = run(&[
        "report",
        "models/examples/orders-service.yaml",
        "-o",
        out.to_str().expect("utf-8 path"),
        "--disable",
        "TW-NOPE-999",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(Path::new(&out).exists());
}

/// A model whose `risk.bands` differ from the defaults (medium 3, high 6,
/// critical 12): the heat map, the PDF and SARIF all band by them.
const CUSTOM_BANDS: &str = r#"name: Custom bands
risk:
  bands: {medium: 3, high: 6, critical: 12}
assets:
  - {name: Cards, classification: restricted, tags: [pci]}
elements:
  - {name: Client, type: generic.browser}
  - {name: API, type: aws.apigateway, properties: {auth: none}}
  - {name: Fn, type: aws.lambda, data: [Cards], properties: {runtime: python3.12, timeout: 30}}
flows:
  - {from: Client, to: API}
  - {from: API, to: Fn, data: [Cards]}
"#;

#[test]
fn custom_bands_reach_the_heat_map_the_pdf_and_sarif() {
    use threatwright::export::{self, Format, RenderInputs, SourceLines};
    use threatwright::risk::Severity;
    let model = yaml::parse_model(CUSTOM_BANDS, "bands.yaml").expect("model parses");
    let catalog = builtin_catalog().expect("catalog loads");
    let analysis = analyze(&model, &catalog, &options());
    assert_eq!(analysis.bands, model.risk.bands);

    // Heat map: every cell is banded by the model's bands, and every threat
    // sits in a cell of its own severity.
    assert_eq!(analysis.heat_map.cell(2, 3).severity, Severity::High, "score 6 is high here, medium by default");
    assert_eq!(analysis.heat_map.cell(3, 4).severity, Severity::Critical, "score 12 is critical here");
    assert_eq!(analysis.heat_map.score_range(Severity::High), Some((6, 10)));
    for t in &analysis.threats {
        assert_eq!(analysis.heat_map.cell(t.likelihood, t.impact).severity, t.severity, "{}", t.rule);
    }
    let counted: usize = analysis.heat_map.cells.iter().map(|c| c.count).sum();
    assert_eq!(counted, analysis.threats.len());

    // PDF: the legend and the cover tiles state the custom ranges.
    let (_, bytes) = pdf_of(&model);
    let txt = pdf_text(&bytes, "bands");
    assert!(txt.contains("low 1–2, medium 3–5, high 6–10, critical 12–25"), "heat-map legend");
    assert!(txt.contains("score 6–10") && !txt.contains("score 10–16"), "cover tiles");

    // SARIF: a rule's default level is the band of its base score under the custom bands.
    let pdf = PdfOptions::default();
    let lines = SourceLines::new();
    let inputs = RenderInputs { catalog: &catalog, source_uri: "bands.yaml", source_lines: &lines, pdf: &pdf };
    let sarif = export::render(Format::Sarif, &model, &analysis, &inputs).expect("SARIF renders");
    let log: serde_json::Value = serde_json::from_slice(&sarif).expect("SARIF is JSON");
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    let mut moved = 0;
    for r in rules {
        let rule = catalog.rule(r["id"].as_str().expect("id")).expect("a catalog rule");
        let sev = model.risk.band(rule.likelihood * rule.impact);
        let level = match sev {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low => "note",
        };
        assert_eq!(r["defaultConfiguration"]["level"], level, "{}", rule.id);
        moved += usize::from(Severity::of(rule.likelihood * rule.impact) != sev);
    }
    assert!(moved > 0, "the model must have a rule whose default band differs, or this test proves nothing");
}
