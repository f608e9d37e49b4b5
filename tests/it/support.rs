//! Shared helpers: run the CLI, compare against golden files.
//!
//! A golden file is never rewritten by a test run. When the output differs,
//! the test writes it beside the golden as `<golden>.new` and fails with a
//! short diff; `scripts/accept-golden.sh [docs|analysis|corpus]` moves the
//! reviewed `.new` files over their goldens. That way every golden change is
//! looked at once, as a diff, before it is committed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the CLI from the repository root (so paths in messages are relative).
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_threatwright"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the threatwright binary runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Property-test settings with a fixed default seed, so every run checks the
/// same cases and a failure reproduces; `PROPTEST_RNG_SEED=<n>` explores others.
pub fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, RngSeed};
    let mut config = Config { cases, ..Config::default() };
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(0x7457_2026);
    }
    config
}

/// The `.new` file written beside `golden` when the output differs.
pub fn new_path(golden: &Path) -> PathBuf {
    let mut name = golden.as_os_str().to_owned();
    name.push(".new");
    PathBuf::from(name)
}

/// Which accept scope a golden belongs to, for the failure message.
fn scope(golden: &Path) -> &'static str {
    let rel = golden.strip_prefix(root()).unwrap_or(golden);
    if rel.starts_with("docs") {
        "docs"
    } else if rel.starts_with("tests/golden") {
        "analysis"
    } else {
        "corpus"
    }
}

/// Compares `actual` with a golden file. On a difference (or a missing
/// golden) it writes `<golden>.new` and fails with a short diff; on a match
/// it removes a stale `.new` file left by an earlier run.
pub fn assert_golden(path: &Path, actual: &str) {
    let new = new_path(path);
    let expected = std::fs::read_to_string(path).ok();
    if expected.as_deref() == Some(actual) {
        let _ = std::fs::remove_file(&new);
        return;
    }
    std::fs::write(&new, actual).unwrap_or_else(|e| panic!("cannot write {}: {e}", new.display()));
    let rel = |p: &Path| p.strip_prefix(root()).unwrap_or(p).display().to_string();
    let what = match &expected {
        Some(expected) => short_diff(expected, actual),
        None => format!("the golden file does not exist yet; the output has {} lines\n", actual.lines().count()),
    };
    panic!(
        "output differs from {golden}\n{what}wrote {new}; review it with `diff -u {golden} {new}`, \
         then accept it with `scripts/accept-golden.sh {scope}`",
        golden = rel(path),
        new = rel(&new),
        scope = scope(path),
    );
}

/// Lines that differ between two texts: the common head and tail are
/// dropped, and at most a screenful of the middle is shown.
pub fn short_diff(expected: &str, actual: &str) -> String {
    const SHOWN: usize = 12;
    let (a, b): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..].iter().rev().zip(b[head..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (gone, added) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut out = format!("@@ line {}: {} lines removed, {} added\n", head + 1, gone.len(), added.len());
    for (sign, lines) in [('-', gone), ('+', added)] {
        for line in lines.iter().take(SHOWN) {
            out.push_str(&format!("{sign} {line}\n"));
        }
        if lines.len() > SHOWN {
            out.push_str(&format!("{sign} … {} more\n", lines.len() - SHOWN));
        }
    }
    if gone.is_empty() && added.is_empty() {
        out.push_str("  (the texts differ only in their final newline)\n");
    }
    out
}

#[test]
fn a_golden_mismatch_writes_a_new_file_and_fails_until_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let golden = dir.path().join("case.expected");
    std::fs::write(&golden, "one\ntwo\nthree\n").unwrap();
    let result = std::panic::catch_unwind(|| assert_golden(&golden, "one\nTWO\nthree\n"));
    let message = *result.expect_err("a mismatch fails").downcast::<String>().unwrap();
    assert!(message.contains("- two\n+ TWO\n"), "{message}");
    assert_eq!(std::fs::read_to_string(new_path(&golden)).unwrap(), "one\nTWO\nthree\n");
    assert_eq!(std::fs::read_to_string(&golden).unwrap(), "one\ntwo\nthree\n", "the golden is left alone");
    // Accepting is a move; after it the same output passes and leaves no `.new` behind.
    std::fs::rename(new_path(&golden), &golden).unwrap();
    assert_golden(&golden, "one\nTWO\nthree\n");
    std::fs::write(new_path(&golden), "stale").unwrap();
    assert_golden(&golden, "one\nTWO\nthree\n");
    assert!(!new_path(&golden).exists(), "a matching run removes a stale `.new` file");
}

#[test]
fn a_short_diff_shows_only_the_changed_middle() {
    let expected: String = (0..100).map(|i| format!("line {i}\n")).collect();
    let actual = expected.replace("line 50\n", "line fifty\n");
    assert_eq!(short_diff(&expected, &actual), "@@ line 51: 1 lines removed, 1 added\n- line 50\n+ line fifty\n");
    let long: String = (0..40).map(|i| format!("new {i}\n")).collect();
    assert!(short_diff("", &long).contains("+ … 28 more\n"));
}

/// Fails with every error when `doc` does not validate against the JSON Schema at `schema`
/// (a path from the repository root).
pub fn assert_schema_valid(schema: &str, label: &str, doc: &serde_json::Value) {
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(root().join(schema)).unwrap())
        .unwrap_or_else(|e| panic!("{schema}: {e}"));
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator.iter_errors(doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{label}: the export does not validate:\n{}", errors.join("\n"));
}

/// Every example and template model, laid out as the editor opens it, with a triage
/// decision of each non-open status on its first threats (analysed as of `as_of`): what an
/// export to another tool's format has to carry.
pub fn examples_with_decisions(as_of: &str) -> Vec<(String, threatwright::Model)> {
    use threatwright::model::{TriageDecision, TriageStatus};
    let catalog = threatwright::rules::builtin_catalog().unwrap();
    let options = threatwright::engine::Options { as_of: as_of.into(), ..Default::default() };
    let mut out = Vec::new();
    for dir in ["models/examples", "models/templates"] {
        let mut paths: Vec<_> = std::fs::read_dir(root().join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for p in paths.into_iter().filter(|p| p.extension().is_some_and(|x| x == "yaml")) {
            let label = p.strip_prefix(root()).unwrap().display().to_string();
            let mut m = threatwright::store::load_model(&p).unwrap();
            if m.elements.iter().any(|e| e.position.is_none()) {
                threatwright::layout::auto_layout(&mut m);
            }
            let threats = threatwright::engine::analyze(&m, &catalog, &options).threats;
            for (t, status) in threats.iter().zip(TriageStatus::ALL.iter().skip(1)) {
                if !m.triage.iter().any(|d| d.threat == t.id) {
                    m.triage.push(TriageDecision {
                        threat: t.id,
                        rule: t.rule.clone(),
                        target: t.target.name.clone(),
                        status: *status,
                        note: format!("decided for {label}"),
                        owner: "Ana".into(),
                        date: "2026-11-30".into(),
                    });
                }
            }
            out.push((label, m));
        }
    }
    out
}

/// Fails unless `back` (a model that went out to another tool's format and came back) has
/// every element, flow, boundary, asset, grant and triage decision of `model`, with their ids,
/// and the same name, author, description and scope.
pub fn assert_same_model(label: &str, back: &threatwright::Model, model: &threatwright::Model) {
    assert_eq!(back.elements, model.elements, "{label}: elements");
    assert_eq!(back.flows, model.flows, "{label}: flows");
    assert_eq!(back.boundaries, model.boundaries, "{label}: boundaries");
    assert_eq!(back.assets, model.assets, "{label}: assets");
    assert_eq!(back.grants, model.grants, "{label}: grants");
    assert_eq!(back.triage, model.triage, "{label}: triage");
    let header = |m: &threatwright::Model| (m.name.clone(), m.author.clone(), m.description.clone(), m.scope.clone());
    assert_eq!(header(back), header(model), "{label}: name, author, description, scope");
}
