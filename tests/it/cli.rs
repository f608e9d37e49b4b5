//! CLI behaviour: exit codes, one located line per problem, fmt.

use crate::support::*;
use std::fs;

#[test]
fn examples_validate() {
    for entry in fs::read_dir(root().join("models/examples")).unwrap() {
        let path = entry.unwrap().path();
        let rel = path.strip_prefix(root()).unwrap().to_str().unwrap().to_string();
        let out = run(&["validate", &rel]);
        assert_eq!(out.status.code(), Some(0), "{rel}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains(": ok ("));
    }
}

/// Every file in the invalid corpus exits 2 and prints exactly the expected
/// located lines (golden `.expected` beside each file).
#[test]
fn invalid_corpus_reports_every_problem_with_location_and_exit_2() {
    let dir = root().join("tests/corpus/invalid");
    let mut count = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        count += 1;
        let rel = path.strip_prefix(root()).unwrap().to_str().unwrap().to_string();
        let out = run(&["validate", &rel]);
        assert_eq!(out.status.code(), Some(2), "{rel} must exit 2");
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("panicked"), "{rel} panicked: {stderr}");
        for line in stderr.lines() {
            assert!(line.starts_with(&format!("error: {rel}:")), "{rel}: line without location: {line}");
        }
        assert_golden(&path.with_extension("expected"), &stderr);
    }
    assert!(count >= 10, "the corpus should hold at least 10 broken files, found {count}");
}

#[test]
fn many_problems_are_all_reported_at_once() {
    let out = run(&["validate", "tests/corpus/invalid/many-problems.yaml"]);
    let stderr = text(&out.stderr);
    for needle in [
        "nested inside itself",
        "unknown boundary kind `galaxy`",
        "unknown key `boundry`",
        "expected an integer from 0 to 31536000, found string `forever`",
        "is a trigger, but the element is declared as a store",
        "unknown kind `database`",
        "unknown property `colour`",
        "duplicate element name `Handler`",
        "refers to unknown element `Nowhere`",
        "only functions hold permissions",
    ] {
        assert!(stderr.contains(needle), "missing `{needle}` in:\n{stderr}");
    }
    assert!(stderr.lines().count() >= 15);
}

#[test]
fn missing_file_is_bad_input() {
    let out = run(&["validate", "does/not/exist.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("does/not/exist.yaml: cannot read file"));
}

#[test]
fn unknown_subcommand_is_bad_input() {
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn fmt_fills_ids_is_idempotent_and_check_detects_drift() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.yaml");
    fs::write(&path, "name: Tiny\nelements:\n  - {name: Fn, type: aws.lambda, properties: {timeout: 30}}\n  - {name: Q, type: aws.sqs}\nflows:\n  - {from: Q, to: Fn, async: true}\n").unwrap();
    let p = path.to_str().unwrap();
    assert_eq!(run(&["fmt", "--check", p]).status.code(), Some(1));
    assert_eq!(run(&["fmt", p]).status.code(), Some(0));
    let first = fs::read_to_string(&path).unwrap();
    assert!(first.contains("id: "), "ids are filled in:\n{first}");
    assert!(first.contains("timeout: 30"));
    assert_eq!(run(&["fmt", "--check", p]).status.code(), Some(0));
    assert_eq!(run(&["fmt", p]).status.code(), Some(0));
    assert_eq!(first, fs::read_to_string(&path).unwrap(), "fmt is idempotent");
    // No temporary files are left behind by the atomic write.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn fmt_place_positions_new_elements_and_keeps_placed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.yaml");
    let text = "name: Placed\nelements:\n  - {name: Api, type: aws.apigateway, position: {x: 500, y: 300}}\n  - {name: Fn, type: aws.lambda}\nflows:\n  - {from: Api, to: Fn}\n";
    fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap();
    assert_eq!(run(&["fmt", p]).status.code(), Some(0));
    assert!(!fs::read_to_string(&path).unwrap().contains("x: 800"), "plain fmt places nothing");
    assert_eq!(run(&["fmt", "--place", p]).status.code(), Some(0));
    let m = threatwright::yaml::parse_model(&fs::read_to_string(&path).unwrap(), "m").unwrap();
    let api = m.elements.iter().find(|e| e.name == "Api").unwrap().position.unwrap();
    let f = m.elements.iter().find(|e| e.name == "Fn").unwrap().position.expect("Fn is placed");
    assert_eq!((api.x, api.y), (500, 300), "the placed element did not move");
    assert!(f.x > api.x, "the new function goes right of the API that invokes it: {f:?}");
}

#[test]
fn fmt_refuses_invalid_models_without_touching_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.yaml");
    let broken = "name: Broken\nelements:\n  - {name: Fn, kind: lambda}\n";
    fs::write(&path, broken).unwrap();
    let out = run(&["fmt", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read_to_string(&path).unwrap(), broken, "no data loss on bad input");
}

#[test]
fn a_closed_pipe_ends_the_cli_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_threatwright"))
        .args(["rules", "--format", "markdown"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little, then hang up like `| head -1` does.
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let _ = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// The CLI's `--format` values and `import` subcommands are the names of
/// `export::Format` and `import::Format`, and each renders through the one
/// dispatch (`export::render`) exactly as `analyze` prints it.
#[test]
fn cli_formats_are_the_core_format_enums() {
    use threatwright::export::{self, Format, RenderInputs};
    let model = "models/examples/orders-service.yaml";
    let (m, lines) = threatwright::store::load_located(&root().join(model)).unwrap();
    let catalog = threatwright::rules::builtin_catalog().unwrap();
    let options = threatwright::engine::Options { as_of: "2026-11-01".into(), ..Default::default() };
    let analysis = threatwright::engine::analyze(&m, &catalog, &options);
    let pdf = export::pdf::PdfOptions::default();
    let inputs = RenderInputs { catalog: &catalog, source_uri: model, source_lines: &lines, pdf: &pdf };
    for format in Format::ALL.into_iter().filter(|f| f.is_text()) {
        let out = run(&["analyze", model, "--format", format.name(), "--as-of", "2026-11-01"]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", text(&out.stderr));
        let bytes = export::render(format, &m, &analysis, &inputs).unwrap();
        assert_eq!(text(&out.stdout), text(&bytes), "{format}: the CLI prints what export::render renders");
        assert_eq!(format.name().parse::<Format>().unwrap(), format);
    }
    for format in threatwright::import::Format::ALL {
        let out = run(&["import", format.name(), "--help"]);
        assert_eq!(out.status.code(), Some(0), "`import {format}` is a subcommand");
        assert_eq!(format.name().parse::<threatwright::import::Format>().unwrap(), format);
    }
    assert!("pdf".parse::<Format>().is_ok() && "word".parse::<Format>().is_err());
}

#[test]
fn questions_lists_the_guided_session_in_text_and_json_and_refuses_bad_input_with_exit_2() {
    let model = root().join("models/examples/photo-pipeline.yaml");
    let m = model.to_str().unwrap();
    let out = run(&["questions", m, "--as-of", "2026-12-01"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let listing = text(&out.stdout);
    assert!(listing.contains("  1. "), "{listing}");
    assert!(listing.contains("(input_validation): Does this handler validate its input before using it?"), "{listing}");
    let out = run(&["questions", m, "--json", "--as-of", "2026-12-01"]);
    let qs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let qs = qs.as_array().unwrap();
    assert_eq!(qs.len(), listing.lines().count(), "one line per question");
    for q in qs {
        assert!(q["question"].as_str().unwrap().ends_with('?'));
        assert!(!q["threats"].as_array().unwrap().is_empty());
    }
    let bad = run(&["questions", "/nonexistent/model.yaml"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("/nonexistent/model.yaml"));
}
