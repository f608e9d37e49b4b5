//! Generates the TypeScript bindings in ui/src/bindings/ from the Rust types that cross IPC,
//! and fails when the committed files drift. Regenerate with
//! `UPDATE_BINDINGS=1 cargo test -p threatwright-app bindings` (or scripts/gen-bindings.sh).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ts_rs::TS;

use crate::commands::{
    analysis::{AnalysisReport, AnalysisUpdate},
    export::Formats,
    file::OpenedModel,
    project::{ImportedModel, ReimportPreview},
    recovery::Recovery,
    revisions::{ProjectHistory, RevisionComparison},
    schema::Schema,
    AppInfo,
};
use crate::error::CommandError;

fn export_all(dir: &Path) {
    let cfg = ts_rs::Config::new().with_out_dir(dir);
    let dir = &cfg;
    AppInfo::export_all(dir).expect("export AppInfo");
    CommandError::export_all(dir).expect("export CommandError");
    Schema::export_all(dir).expect("export Schema");
    AnalysisReport::export_all(dir).expect("export AnalysisReport");
    AnalysisUpdate::export_all(dir).expect("export AnalysisUpdate");
    OpenedModel::export_all(dir).expect("export OpenedModel");
    threatwright::Model::export_all(dir).expect("export Model");
    threatwright::layout::LabelPosition::export_all(dir).expect("export LabelPosition");
    ImportedModel::export_all(dir).expect("export ImportedModel");
    ReimportPreview::export_all(dir).expect("export ReimportPreview");
    Recovery::export_all(dir).expect("export Recovery");
    ProjectHistory::export_all(dir).expect("export ProjectHistory");
    RevisionComparison::export_all(dir).expect("export RevisionComparison");
    Formats::export_all(dir).expect("export Formats");
    threatwright::engine::triage::TriageRequest::export_all(dir).expect("export TriageRequest");
    threatwright::engine::session::Question::export_all(dir).expect("export Question");
    threatwright::engine::session::Answer::export_all(dir).expect("export Answer");
    threatwright::import::templates::TemplateInfo::export_all(dir).expect("export TemplateInfo");
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .map(|it| {
            it.filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
                .map(|e| {
                    (e.file_name().to_string_lossy().into(), std::fs::read_to_string(e.path()).unwrap_or_default())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Checks a UI test fixture the Rust side generates (`ui/tests/fixtures/NAME`) against `want`,
/// rewriting it first under `UPDATE_BINDINGS` (`scripts/gen-bindings.sh`).
pub(crate) fn check_ui_fixture(name: &str, want: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/tests/fixtures").join(name);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, want).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(want == have, "{} is stale: run scripts/gen-bindings.sh", path.display());
}

#[test]
fn bindings_are_up_to_date() {
    let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(&committed);
        export_all(&committed);
    }
    let fresh = std::env::temp_dir().join(format!("tw-bindings-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&fresh);
    export_all(&fresh);
    let (want, have) = (read_dir(&fresh), read_dir(&committed));
    let _ = std::fs::remove_dir_all(&fresh);
    assert!(!want.is_empty());
    assert_eq!(want, have, "ui/src/bindings is stale: run scripts/gen-bindings.sh");
}
