//! `analyze` over several models or a folder: one combined register, a run
//! per model in SARIF, per-model exit codes.

use crate::support::{root, run, text};
use serde_json::Value;
use std::path::Path;

const AS_OF: &str = "2026-01-15";

/// A folder of two models (one in a subfolder), a broken model, a SAM
/// template and a README that `analyze DIR` must leave alone.
fn estate() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &str, to: &str| {
        let to = dir.path().join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root().join(from), to).unwrap();
    };
    copy("models/examples/photo-pipeline.yaml", "a/photo.yaml");
    copy("models/examples/orders-service.yaml", "b/nested/orders.yml");
    std::fs::write(dir.path().join("b/broken.yaml"), "threatwright: 1\nname: broken\nelements: [\n").unwrap();
    std::fs::write(dir.path().join("template.yaml"), "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n")
        .unwrap();
    std::fs::write(dir.path().join("README.md"), "not a model\n").unwrap();
    dir
}

fn analyze(dir: &Path, extra: &[&str]) -> (Option<i32>, Vec<u8>, String) {
    let mut args = vec!["analyze", dir.to_str().unwrap(), "--as-of", AS_OF];
    args.extend(extra);
    let out = run(&args);
    (out.status.code(), out.stdout, text(&out.stderr))
}

#[test]
fn a_folder_is_analysed_model_by_model_into_one_json_document() {
    let dir = estate();
    let (code, stdout, stderr) = analyze(dir.path(), &["--format", "json"]);
    assert_eq!(code, Some(2), "a model that cannot be read makes the run exit 2: {stderr}");
    assert!(stderr.contains("broken.yaml"), "its problem is reported: {stderr}");
    let json: Value = serde_json::from_slice(&stdout).expect("one JSON document");
    let models = json["models"].as_array().unwrap();
    let files: Vec<String> = models
        .iter()
        .map(|m| Path::new(m["file"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["photo.yaml", "broken.yaml", "orders.yml"], "sorted by path; the template and README skipped");
    assert_eq!(models[1]["exit_code"], 2);
    assert!(models[1]["errors"][0].as_str().unwrap().contains("broken.yaml:"), "located: {}", models[1]);
    // Each analysis is the model's own output, unchanged.
    let alone = run(&["analyze", "models/examples/photo-pipeline.yaml", "--as-of", AS_OF]);
    let alone: Value = serde_json::from_slice(&alone.stdout).unwrap();
    assert_eq!(models[0]["analysis"]["threats"], alone["threats"]);
    let total = alone["threats"].as_array().unwrap().len() + models[2]["analysis"]["threats"].as_array().unwrap().len();
    assert_eq!(json["estate"]["threats"], total);
    assert_eq!(json["estate"]["models"], 3);
    assert_eq!(json["estate"]["exit_code"], 2);
    assert_eq!((&json["format_version"], &json["format_minor"]), (&alone["format_version"], &alone["format_minor"]));
}

#[test]
fn fail_on_is_decided_per_model_and_the_run_exits_with_the_worst() {
    let (code, stdout, stderr) = {
        let out = run(&[
            "analyze",
            "models/examples/photo-pipeline.yaml",
            "models/examples/orders-service.yaml",
            "--as-of",
            AS_OF,
            "--fail-on",
            "high",
            "--format",
            "json",
        ]);
        (out.status.code(), out.stdout, text(&out.stderr))
    };
    assert_eq!(code, Some(1), "{stderr}");
    let json: Value = serde_json::from_slice(&stdout).unwrap();
    let codes: Vec<&Value> = json["models"].as_array().unwrap().iter().map(|m| &m["exit_code"]).collect();
    assert_eq!(codes, [1, 0], "photo-pipeline has open high threats, orders-service none");
    assert!(stderr.contains("photo-pipeline.yaml: ") && !stderr.contains("orders-service.yaml: "), "{stderr}");
}

#[test]
fn sarif_of_an_estate_has_one_run_per_model_and_validates() {
    let dir = estate();
    let (_, stdout, _) = analyze(dir.path(), &["--format", "sarif"]);
    let log: Value = serde_json::from_slice(&stdout).unwrap();
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 3);
    assert!(!runs[0]["results"].as_array().unwrap().is_empty());
    assert_eq!(runs[1]["invocations"][0]["executionSuccessful"], false, "the broken model's run says it failed");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(&log).take(5).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn csv_and_markdown_of_an_estate_name_the_model_of_every_row() {
    let dir = estate();
    let (_, stdout, _) = analyze(dir.path(), &["--format", "csv"]);
    let csv = text(&stdout);
    assert!(csv.starts_with("model_file,rank,id,rule,"), "{}", &csv[..80]);
    let single = |m: &str| text(&run(&["analyze", m, "--as-of", AS_OF, "--format", "csv"]).stdout);
    // Rows (records) add up, even where a cell holds a line break.
    let records = |t: &str| t.matches("\r\n").count();
    let expected = records(&single("models/examples/photo-pipeline.yaml")) - 1
        + records(&single("models/examples/orders-service.yaml"))
        - 1
        + 1;
    assert_eq!(records(&csv), expected);
    assert!(csv.lines().skip(1).any(|l| l.contains("photo.yaml,")));
    let (_, stdout, _) = analyze(dir.path(), &["--format", "markdown"]);
    let md = text(&stdout);
    assert!(md.starts_with("# Threat register: 3 model(s)"), "{}", &md[..60]);
    assert!(md.contains("| not read: "), "the broken model is listed as not read");
}

#[test]
fn formats_of_one_model_refuse_an_estate_with_exit_2() {
    let dir = estate();
    for format in ["yaml", "threat-dragon"] {
        let (code, _, stderr) = analyze(dir.path(), &["--format", format]);
        assert_eq!(code, Some(2), "{format}");
        assert!(stderr.contains("writes one model"), "{stderr}");
    }
    let empty = tempfile::tempdir().unwrap();
    let (code, _, stderr) = analyze(empty.path(), &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("no Threatwright model"), "{stderr}");
}
