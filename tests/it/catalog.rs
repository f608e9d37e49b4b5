//! The rule catalog checks itself: every rule's examples fire or stay
//! silent as declared, the embedded file list matches `models/rules/`, and
//! the catalog is broad enough.

use crate::support::root;
use threatwright::engine::{fires_on, Options};
use threatwright::rules::{builtin_catalog, load::BUILTIN_FILES};

#[test]
fn every_rule_example_fires_or_stays_silent_as_declared() {
    let catalog = builtin_catalog().unwrap_or_else(|d| panic!("built-in catalog fails to load:\n{d}"));
    let options = Options::default();
    let mut failures = Vec::new();
    for rule in &catalog.rules {
        for ex in &rule.fires {
            if !fires_on(&ex.model, rule, &ex.target, &options) {
                failures.push(format!("{}:{}: {} should fire on `{}`", rule.file, ex.line, rule.id, ex.target));
            }
        }
        for ex in &rule.silent {
            if fires_on(&ex.model, rule, &ex.target, &options) {
                failures.push(format!("{}:{}: {} should stay silent on `{}`", rule.file, ex.line, rule.id, ex.target));
            }
        }
    }
    assert!(failures.is_empty(), "{} example(s) misbehave:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn embedded_rule_files_match_the_folder() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("models/rules"))
        .unwrap()
        .map(|e| format!("models/rules/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = BUILTIN_FILES.iter().map(|(f, _)| f.to_string()).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded, "add new rule files to BUILTIN_FILES in src/rules/load.rs");
}
