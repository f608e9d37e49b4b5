//! Starting points: the built-in templates, imports of every format the core reads (SAM /
//! CloudFormation, Serverless Framework, OWASP Threat Dragon) through `import::run_file`, and
//! the OS user and today's date for triage decisions.

use std::path::Path;

use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;
use threatwright::import::templates::{self, TemplateInfo};
use threatwright::import::{self as import_formats, Format as ImportFormat};
use threatwright::Model;
use ts_rs::TS;

use crate::commands::analysis::today;
use crate::error::{CommandError, CommandResult, ErrorCode, Located};
use crate::state::AppState;

/// An imported model plus the importer's located warnings.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ImportedModel.ts")]
pub struct ImportedModel {
    pub model: Model,
    pub warnings: Vec<Located>,
    /// The file it came from (never bound as the save path).
    pub source: String,
}

/// A re-import of infrastructure laid onto the open model, for the user to review before it
/// is applied: the updated model and the drift report.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ReimportPreview.ts")]
pub struct ReimportPreview {
    /// The open model with the re-import laid onto it (names, layout and triage kept).
    pub model: Model,
    /// The drift report as text: changes, and threats that appear, disappear or re-score.
    pub report: String,
    /// Whether the infrastructure changed at all.
    pub changed: bool,
    /// Threats the change adds and removes.
    pub threats_added: u32,
    pub threats_removed: u32,
    pub warnings: Vec<Located>,
    pub source: String,
}

/// The built-in architecture templates.
#[tauri::command]
pub fn list_templates() -> CommandResult<Vec<TemplateInfo>> {
    Ok(templates::list())
}

/// A new (untitled) model from a template, laid out.
#[tauri::command]
pub fn new_from_template(name: String) -> CommandResult<Model> {
    templates::instantiate(&name).map_err(|e| CommandError::new(ErrorCode::TemplateInvalid, e.to_string()))
}

/// The sample project the welcome screen offers: the photo-pipeline example (a photo-sharing
/// backend drawn as first sketched, with unknown and insecure settings left to find), embedded
/// in the app, laid out.
#[tauri::command]
pub fn sample_project() -> CommandResult<Model> {
    const SAMPLE: &str = include_str!("../../../models/examples/photo-pipeline.yaml");
    let mut model = threatwright::yaml::parse_model(SAMPLE, "photo-pipeline.yaml")
        .map_err(|d| CommandError::located(ErrorCode::ModelInvalid, &d))?;
    if model.elements.iter().any(|e| e.position.is_none()) {
        threatwright::layout::auto_layout(&mut model);
    }
    Ok(model)
}

/// Imports the file at `path` in `format`; the model is laid out and returned with the warnings.
pub fn import(path: &Path, format: ImportFormat) -> CommandResult<ImportedModel> {
    let imported =
        import_formats::run_file(format, path).map_err(|d| CommandError::located(ErrorCode::ImportFailed, &d))?;
    let mut model = imported.model;
    threatwright::layout::auto_layout(&mut model);
    let warnings = imported.warnings.iter().map(Located::from).collect();
    Ok(ImportedModel { model, warnings, source: path.display().to_string() })
}

/// Imports the file at `path` (see [`import`]), off the main thread.
#[tauri::command]
pub async fn import_file(app: AppHandle, path: String, format: ImportFormat) -> CommandResult<ImportedModel> {
    let file = app.state::<AppState>().chosen.check(&path)?;
    import(&file, format)
}

/// Re-imports the infrastructure at `path` onto `model` (see [`ReimportPreview`]), off the main
/// thread; nothing is applied until the UI commits the returned model.
#[tauri::command]
pub async fn reimport_file(
    app: AppHandle,
    path: String,
    format: ImportFormat,
    model: Model,
) -> CommandResult<ReimportPreview> {
    let file = app.state::<AppState>().chosen.check(&path)?;
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        if format == ImportFormat::ThreatComposer {
            return lay_threat_composer(&state, &file, model);
        }
        let imported =
            import_formats::run_file(format, &file).map_err(|d| CommandError::located(ErrorCode::ImportFailed, &d))?;
        let source = file.display().to_string();
        let (updated, report) = import_formats::drift::onto(&model, &imported.model, &source);
        let before = crate::commands::analysis::run_analysis(&state, &model)?.analysis;
        let after = crate::commands::analysis::run_analysis(&state, &updated)?.analysis;
        let report = report.with_threats(&before, &after);
        Ok(ReimportPreview {
            changed: !report.is_empty(),
            threats_added: report.threats.added.len() as u32,
            threats_removed: report.threats.removed.len() as u32,
            report: report.text(),
            model: updated,
            warnings: imported.warnings.iter().map(Located::from).collect(),
            source,
        })
    })
    .await
    .map_err(|e| CommandError::internal(e.to_string()))?
}

/// A Threat Composer file laid onto the open model: the report lists the decisions that
/// change (threats re-triaged) and the threats kept from the file.
fn lay_threat_composer(state: &AppState, file: &std::path::Path, model: Model) -> CommandResult<ReimportPreview> {
    let source = file.display().to_string();
    let text = threatwright::store::read_text(file).map_err(|d| CommandError::located(ErrorCode::ImportFailed, &d))?;
    let imported = import_formats::threat_composer::onto(&text, &source, &model)
        .map_err(|d| CommandError::located(ErrorCode::ImportFailed, &d))?;
    let before = crate::commands::analysis::run_analysis(state, &model)?.analysis;
    let after = crate::commands::analysis::run_analysis(state, &imported.model)?.analysis;
    let diff = threatwright::engine::diff::diff(&before, &after);
    let kept = |m: &Model| -> usize {
        let tool = import_formats::threat_composer::TOOL;
        std::iter::once(&m.description)
            .chain(m.elements.iter().map(|e| &e.description))
            .map(|d| import_formats::threat_dragon::notes::split(d).1.threats.iter().filter(|k| k.tool == tool).count())
            .sum()
    };
    let report = format!(
        "{}threats kept from Threat Composer: {} (before: {})\n",
        diff.text(),
        kept(&imported.model),
        kept(&model)
    );
    Ok(ReimportPreview {
        changed: imported.model != model,
        threats_added: diff.added.len() as u32,
        threats_removed: diff.removed.len() as u32,
        report,
        model: imported.model,
        warnings: imported.warnings.iter().map(Located::from).collect(),
        source,
    })
}

/// Native open dialog for an import source, filtered by the format's extensions.
#[tauri::command]
pub async fn pick_import_path(app: AppHandle, format: ImportFormat) -> CommandResult<Option<String>> {
    let dialog = app
        .dialog()
        .file()
        .set_title(format!("Import {}", format.label()))
        .add_filter(format.label(), format.extensions());
    Ok(crate::commands::file::chosen(&app, dialog.blocking_pick_file().and_then(|p| p.into_path().ok())))
}

/// The settings file beside the recent-files list (the app config dir): `{"name": "…"}`.
fn settings_file(state: &AppState) -> Option<std::path::PathBuf> {
    state.recent_file.as_deref().map(|f| f.with_file_name("settings.json"))
}

/// The name set in Settings, if any (blank and unreadable files count as none).
fn set_name(state: &AppState) -> Option<String> {
    let text = std::fs::read_to_string(settings_file(state)?).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let name = v.get("name")?.as_str()?.trim();
    (!name.is_empty()).then(|| name.chars().take(MAX_NAME).collect())
}

const MAX_NAME: usize = 100;

/// Who the app records as the owner of triage decisions, who answered a guided session and the
/// author of project revisions: the name set in Settings, else the OS account's.
pub fn user_name(state: &AppState) -> String {
    set_name(state).unwrap_or_else(threatwright::store::current_user)
}

/// The user's name as the app records it (see `user_name`).
#[tauri::command]
pub fn current_user(state: tauri::State<'_, AppState>) -> CommandResult<String> {
    Ok(user_name(&state))
}

/// The OS account's name, what a blank name in Settings falls back to.
#[tauri::command]
pub fn os_user_name() -> CommandResult<String> {
    Ok(threatwright::store::current_user())
}

/// Sets the name the app records (blank: the OS account's again); returns the name now in use.
#[tauri::command]
pub fn set_user_name(state: tauri::State<'_, AppState>, name: String) -> CommandResult<String> {
    write_user_name(&state, &name)
}

fn write_user_name(state: &AppState, name: &str) -> CommandResult<String> {
    let name: String = name.trim().chars().take(MAX_NAME).collect();
    if name.chars().any(char::is_control) {
        return Err(CommandError::new(ErrorCode::InvalidInput, "a name cannot hold control characters"));
    }
    let file = settings_file(state)
        .ok_or_else(|| CommandError::new(ErrorCode::SaveFailed, "no configuration folder to keep settings in"))?;
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| CommandError::new(ErrorCode::SaveFailed, format!("{}: {e}", dir.display())))?;
    }
    let json = serde_json::json!({ "name": name }).to_string();
    threatwright::store::write_atomic(&file, json.as_bytes())
        .map_err(|e| CommandError::new(ErrorCode::SaveFailed, format!("{}: {e}", file.display())))?;
    Ok(user_name(state))
}

/// Today's date (`YYYY-MM-DD`, UTC), the date of triage decisions.
#[tauri::command]
pub fn today_date() -> CommandResult<String> {
    Ok(today())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_set_in_settings_is_recorded_and_blank_falls_back_to_the_os_account() {
        let dir = tmp("settings");
        let state = AppState::new(None, Some(dir.join("recent.json")), None);
        let os = threatwright::store::current_user();
        assert_eq!(user_name(&state), os);
        assert_eq!(write_user_name(&state, "  Ana Souza  ").unwrap(), "Ana Souza");
        assert_eq!(user_name(&state), "Ana Souza");
        assert_eq!(write_user_name(&state, "").unwrap(), os);
        assert!(write_user_name(&state, "Ana\nSouza").is_err());
        assert_eq!(write_user_name(&state, &"x".repeat(500)).unwrap().len(), MAX_NAME);
        std::fs::write(dir.join("settings.json"), "{not json").unwrap();
        assert_eq!(user_name(&state), os, "an unreadable settings file is no name");
    }
    use std::path::PathBuf;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("tw-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn every_template_instantiates_laid_out() {
        let list = list_templates().unwrap();
        assert!(list.len() >= 14);
        for t in list {
            let m = new_from_template(t.name.clone()).unwrap();
            assert!(!m.elements.is_empty(), "{}", t.name);
            assert!(m.elements.iter().all(|e| e.position.is_some()), "{}", t.name);
        }
        assert_eq!(new_from_template("nope".into()).unwrap_err().code, ErrorCode::TemplateInvalid);
    }

    #[test]
    fn the_sample_project_is_a_laid_out_model_with_data_assets() {
        let m = sample_project().unwrap();
        assert_eq!(m.name, "Photo pipeline");
        assert!(m.elements.len() > 10 && !m.assets.is_empty());
        assert!(m.elements.iter().all(|e| e.position.is_some()), "every element is placed");
    }

    /// A file of the import corpus; it is part of the repository, so a missing file fails.
    fn corpus(rel: &str) -> PathBuf {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus").join(rel);
        assert!(path.is_file(), "missing corpus file {}", path.display());
        path
    }

    #[test]
    fn imports_every_format_laid_out() {
        for (format, rel) in [
            (ImportFormat::Sam, "sam/rest-api-cognito.yaml"),
            (ImportFormat::Serverless, "serverless/orders-api.yml"),
            (ImportFormat::ThreatDragon, "threat-dragon/orders-v2.json"),
        ] {
            let got = import(&corpus(rel), format).unwrap_or_else(|e| panic!("{format}: {e}"));
            assert!(!got.model.elements.is_empty(), "{format}");
            assert!(got.model.elements.iter().all(|e| e.position.is_some()), "{format}");
        }
    }

    #[test]
    fn a_bad_import_source_reports_located_diagnostics() {
        let dir = tmp("import");
        let bad = dir.join("bad.yaml");
        std::fs::write(&bad, "just: text\n").unwrap();
        let err = import(&bad, ImportFormat::Sam).unwrap_err();
        assert_eq!(err.code, ErrorCode::ImportFailed);
        assert!(!err.diagnostics.is_empty());
        assert!(err.diagnostics.iter().all(|d| d.file.ends_with("bad.yaml")), "{:?}", err.diagnostics);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn import_formats_cross_ipc_by_their_core_names() {
        let parsed: ImportFormat = serde_json::from_value(serde_json::json!("threat-dragon")).unwrap();
        assert_eq!(parsed, ImportFormat::ThreatDragon);
        assert!(serde_json::from_value::<ImportFormat>(serde_json::json!("cdk")).is_err());
    }
}
