//! Replays the fuzz targets (`fuzz/src/readers.rs`, included by path) in the default test run:
//! every file of the test corpora, the examples and the templates goes through every reader —
//! a `.twm` through the YAML reader, a template through the rule loader, and so on — and so do
//! the inputs fuzzing found (`tests/corpus/fuzz/<target>/`, each a regression test). A panic
//! in any reader fails with the file and the target that caused it.

#[path = "../../fuzz/src/readers.rs"]
#[allow(dead_code)]
mod readers;

use crate::support::root;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_none_or(|e| e != "expected") {
            out.push(path);
        }
    }
}

#[test]
fn every_reader_survives_every_corpus_file() {
    let mut inputs = Vec::new();
    for dir in ["tests/corpus", "models/examples", "models/templates", "models/rules"] {
        files(&root().join(dir), &mut inputs);
    }
    assert!(inputs.len() > 80, "the corpora hold {} files", inputs.len());
    let fuzz_found = root().join("tests/corpus/fuzz");
    if fuzz_found.exists() {
        for t in std::fs::read_dir(&fuzz_found).unwrap() {
            let name = t.unwrap().file_name().to_string_lossy().to_string();
            assert!(readers::TARGETS.iter().any(|(n, _)| *n == name), "tests/corpus/fuzz/{name} names no fuzz target");
        }
    }
    // A real project too (the corpora hold only broken ones), made here: .twm files are binary.
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("orders.twm");
    let model = threatwright::store::load_model(&root().join("models/examples/orders-service.yaml")).unwrap();
    threatwright::store::save_model(&project, &model, "fuzz-replay").unwrap();
    inputs.push(project);
    let mut panics = Vec::new();
    for path in &inputs {
        let data = std::fs::read(path).unwrap();
        for (name, target) in readers::TARGETS {
            if std::panic::catch_unwind(|| target(&data)).is_err() {
                panics.push(format!("{name} panicked on {}", path.strip_prefix(root()).unwrap_or(path).display()));
            }
        }
    }
    assert!(panics.is_empty(), "{}", panics.join("\n"));
}
