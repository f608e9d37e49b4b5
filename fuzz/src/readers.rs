//! What each fuzz target does with one input, shared by the libFuzzer targets in
//! `fuzz/fuzz_targets/` and the replay test `tests/it/fuzz_replay.rs` (which includes this file
//! by path), so a crash found by fuzzing replays in the default test run exactly as found.
//! Every reader must answer any input with `Ok` or a located error: a panic, an abort or a hang
//! is the finding.

use std::sync::OnceLock;
use threatwright::{Catalog, ImportFormat, Model, Options};

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| threatwright::builtin_catalog().expect("the built-in catalog loads"))
}

/// Analysis never fails: whatever a reader accepts is analysed.
fn analyse(model: &Model) {
    let _ = threatwright::analyze(model, catalog(), &Options::default());
}

/// The YAML model reader; a model it accepts is analysed, written back and laid out.
pub fn model_yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(mut model) = threatwright::yaml::parse_model(text, "fuzz.yaml") {
        analyse(&model);
        let _ = threatwright::yaml::to_string(&model);
        threatwright::store::place_if_unplaced(&mut model);
    }
}

/// The rule-file loader and its condition language; a rule file that loads is evaluated
/// against the orders-service example, so its conditions run too.
pub fn rule_files(data: &[u8]) {
    static MODEL: OnceLock<Model> = OnceLock::new();
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(rules) = threatwright::rules::parse_rule_files(&[("fuzz.yaml".to_string(), text.to_string())]) {
        let model = MODEL.get_or_init(|| {
            threatwright::yaml::parse_model(include_str!("../../models/examples/orders-service.yaml"), "orders.yaml")
                .expect("the example reads")
        });
        let _ = threatwright::analyze(model, &rules, &Options::default());
    }
}

fn import(format: ImportFormat, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(imported) = threatwright::import::run(format, text, "fuzz-input") {
        analyse(&imported.model);
    }
}

/// The SAM / CloudFormation importer (YAML or JSON).
pub fn import_sam(data: &[u8]) {
    import(ImportFormat::Sam, data);
}

/// The Serverless Framework importer.
pub fn import_serverless(data: &[u8]) {
    import(ImportFormat::Serverless, data);
}

/// The OWASP Threat Dragon importer (v1 and v2 JSON).
pub fn import_threat_dragon(data: &[u8]) {
    import(ImportFormat::ThreatDragon, data);
}

/// The Terraform importer (HCL, or plan/state JSON).
pub fn import_terraform(data: &[u8]) {
    import(ImportFormat::Terraform, data);
}

/// The Threagile importer (YAML).
pub fn import_threagile(data: &[u8]) {
    import(ImportFormat::Threagile, data);
}

/// The Microsoft Threat Modeling Tool importer (`.tm7` XML).
pub fn import_tm7(data: &[u8]) {
    import(ImportFormat::Tm7, data);
}

/// The Open Threat Model importer (JSON).
pub fn import_otm(data: &[u8]) {
    import(ImportFormat::Otm, data);
}

/// The AWS Threat Composer importer (`.tc.json`).
pub fn import_threat_composer(data: &[u8]) {
    import(ImportFormat::ThreatComposer, data);
}

/// The `.twm` project opener (SQLite header, schema, migrations, model rows): the input is
/// written to a scratch file of this process and thread, then opened as a project.
pub fn open_twm(data: &[u8]) {
    let path =
        std::env::temp_dir().join(format!("tw-fuzz-{}-{:?}.twm", std::process::id(), std::thread::current().id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(model) = threatwright::store::load_model(&path) {
        analyse(&model);
    }
    for side in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{side}", path.display()));
    }
}

/// What a target does with one input.
pub type Target = fn(&[u8]);

/// Every target by name (the names of `fuzz/Cargo.toml`'s binaries).
pub const TARGETS: &[(&str, Target)] = &[
    ("model_yaml", model_yaml),
    ("rule_files", rule_files),
    ("import_sam", import_sam),
    ("import_serverless", import_serverless),
    ("import_threat_dragon", import_threat_dragon),
    ("import_terraform", import_terraform),
    ("import_threagile", import_threagile),
    ("import_tm7", import_tm7),
    ("import_otm", import_otm),
    ("import_threat_composer", import_threat_composer),
    ("open_twm", open_twm),
];
