//! Starting points and safety nets: built-in templates, SAM / Serverless imports, the OS user
//! for triage decisions, autosave and crash recovery (in the `.twm` project itself, or a
//! recovery file in the app data dir for YAML and untitled models), and the PDF risk report.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;
use threatwright::engine::{analyze, Options};
use threatwright::export::pdf::{self, PdfError, PdfOptions};
use threatwright::import::templates::{self, TemplateInfo};
use threatwright::store::project;
use threatwright::Model;
use ts_rs::TS;

use crate::commands::analysis::today;
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// An imported model plus the importer's located warnings (`file:line:col: message`).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ImportedModel.ts")]
pub struct ImportedModel {
    pub model: Model,
    pub warnings: Vec<String>,
    /// The file it came from (never bound as the save path).
    pub source: String,
}

/// An autosave newer than the file it belongs to, offered at start-up.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export_to = "Recovery.ts")]
pub struct Recovery {
    /// The file the autosave belongs to (`None`: an untitled model).
    pub path: Option<String>,
    /// When it was taken (ISO 8601 UTC or seconds since the epoch, as text).
    pub saved_at: String,
    pub model: Model,
}

/// Recovery file of a YAML or untitled model.
#[derive(Serialize, Deserialize)]
struct RecoveryFile {
    path: Option<String>,
    saved_secs: u64,
    model: Model,
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// FNV-1a: a stable file name for the recovery file of `path`.
pub fn recovery_file(dir: &Path, path: Option<&str>) -> PathBuf {
    let Some(p) = path else { return dir.join("untitled.json") };
    let hash = p.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    dir.join(format!("{hash:016x}.json"))
}

/// Writes the recovery file of a YAML or untitled model (atomically).
pub fn write_recovery(dir: &Path, path: Option<&str>, model: &Model) -> CommandResult<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CommandError::new("autosave_failed", format!("{}: {e}", dir.display())))?;
    let file = RecoveryFile { path: path.map(String::from), saved_secs: now_secs(), model: model.clone() };
    let json = serde_json::to_vec(&file).map_err(|e| CommandError::internal(e.to_string()))?;
    let target = recovery_file(dir, path);
    threatwright::store::write_atomic(&target, &json)
        .map_err(|e| CommandError::new("autosave_failed", format!("{}: {e}", target.display())))
}

/// The recovery file of `path` when it is newer than the file itself (or the file is gone).
pub fn read_recovery(dir: &Path, path: Option<&str>) -> Option<Recovery> {
    let text = std::fs::read_to_string(recovery_file(dir, path)).ok()?;
    let file: RecoveryFile = serde_json::from_str(&text).ok()?;
    if file.path.as_deref() != path {
        return None;
    }
    if let Some(p) = path {
        let modified = std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let file_secs = modified.and_then(|m| m.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_secs());
        if file_secs.is_some_and(|s| s >= file.saved_secs) {
            return None;
        }
    }
    Some(Recovery { path: file.path, saved_at: iso(file.saved_secs), model: file.model })
}

fn iso(secs: u64) -> String {
    threatwright::clock::iso_from_unix(secs as i64)
}

fn recovery_dir(state: &AppState) -> CommandResult<&Path> {
    state.recovery_dir.as_deref().ok_or_else(|| CommandError::new("autosave_failed", "the app data folder is unknown"))
}

/// The built-in architecture templates.
#[tauri::command]
pub fn list_templates() -> CommandResult<Vec<TemplateInfo>> {
    Ok(templates::list())
}

/// A new (untitled) model from a template, laid out.
#[tauri::command]
pub fn new_from_template(name: String) -> CommandResult<Model> {
    templates::instantiate(&name).map_err(|e| CommandError::new("template_invalid", e.to_string()))
}

/// Imports a SAM / CloudFormation template (`format = "sam"`) or a serverless.yml
/// (`format = "serverless"`); the model is laid out and returned with the warnings.
pub fn import(path: &Path, format: &str) -> CommandResult<ImportedModel> {
    let text = threatwright::store::read_text(path).map_err(|d| CommandError::new("import_failed", d.to_string()))?;
    let file = path.display().to_string();
    let imported = match format {
        "sam" => threatwright::import::sam::import(&text, &file),
        "serverless" => threatwright::import::serverless::import(&text, &file),
        other => return Err(CommandError::invalid_input(format!("unknown import format `{other}`"))),
    }
    .map_err(|d| CommandError::new("import_failed", d.to_string()))?;
    let mut model = imported.model;
    threatwright::layout::auto_layout(&mut model);
    Ok(ImportedModel { model, warnings: imported.warnings.iter().map(|w| w.to_string()).collect(), source: file })
}

/// Imports the file at `path` (see [`import`]).
#[tauri::command]
pub async fn import_file(path: String, format: String) -> CommandResult<ImportedModel> {
    import(Path::new(&path), &format)
}

/// Native open dialog for an import source; `None` when cancelled.
#[tauri::command]
pub async fn pick_import_path(app: AppHandle, format: String) -> CommandResult<Option<String>> {
    let dialog = app.dialog().file();
    let dialog = if format == "serverless" {
        dialog.add_filter("Serverless Framework (serverless.yml)", &["yml", "yaml"])
    } else {
        dialog.add_filter("SAM / CloudFormation template", &["yaml", "yml", "json", "template"])
    };
    Ok(dialog.blocking_pick_file().and_then(|p| p.into_path().ok()).map(|p| p.to_string_lossy().into()))
}

/// The OS user name, recorded as the owner of triage decisions.
#[tauri::command]
pub fn current_user() -> CommandResult<String> {
    Ok(project::current_user())
}

/// Today's date (`YYYY-MM-DD`, UTC), the date of triage decisions.
#[tauri::command]
pub fn today_date() -> CommandResult<String> {
    Ok(today())
}

/// Autosaves unsaved changes: into the `.twm` project itself, else into a recovery file.
#[tauri::command]
pub async fn autosave_model(
    state: tauri::State<'_, AppState>,
    path: Option<String>,
    model: Model,
) -> CommandResult<()> {
    match path.as_deref() {
        Some(p) if project::is_project(Path::new(p)) && Path::new(p).exists() => {
            project::autosave(Path::new(p), &model).map_err(|d| CommandError::new("autosave_failed", d.to_string()))
        }
        _ => write_recovery(recovery_dir(&state)?, path.as_deref(), &model),
    }
}

/// An autosave newer than the file at `path` (or of the untitled model), if any.
#[tauri::command]
pub fn check_recovery(state: tauri::State<'_, AppState>, path: Option<String>) -> CommandResult<Option<Recovery>> {
    if let Some(p) = path.as_deref().filter(|p| project::is_project(Path::new(p)) && Path::new(p).exists()) {
        let found = project::recoverable_autosave(Path::new(p))
            .map_err(|d| CommandError::new("model_invalid", d.to_string()))?;
        return Ok(found.map(|a| Recovery { path: Some(p.to_string()), saved_at: a.created_at, model: a.model }));
    }
    Ok(state.recovery_dir.as_deref().and_then(|d| read_recovery(d, path.as_deref())))
}

/// Drops the recovery file of `path` (after a save, or when the user declines to restore).
#[tauri::command]
pub fn clear_recovery(state: tauri::State<'_, AppState>, path: Option<String>) -> CommandResult<()> {
    if let Some(dir) = state.recovery_dir.as_deref() {
        let _ = std::fs::remove_file(recovery_file(dir, path.as_deref()));
    }
    Ok(())
}

/// Analyses `model` and renders the PDF risk report.
pub fn render_report(catalog: &threatwright::rules::Catalog, model: &Model) -> CommandResult<Vec<u8>> {
    let analysis = analyze(model, catalog, &Options { as_of: today(), ..Options::default() });
    pdf::render(model, &analysis, &PdfOptions::default()).map_err(|e| match e {
        PdfError::MissingFont(m) => CommandError::new(
            "fonts_missing",
            format!("The PDF report needs fonts that are not installed: {m}. Install DejaVu Sans and Noto Sans CJK (Debian: apt install fonts-dejavu-core fonts-noto-cjk) and try again."),
        ),
        other => CommandError::new("pdf_failed", other.to_string()),
    })
}

/// Writes the PDF risk report of `model` to `path`, off the main thread.
#[tauri::command]
pub async fn export_pdf(state: tauri::State<'_, AppState>, path: String, model: Model) -> CommandResult<()> {
    let catalog = state.catalog.clone().map_err(|e| CommandError::new("catalog_invalid", e))?;
    tauri::async_runtime::spawn_blocking(move || {
        let bytes = render_report(&catalog, &model)?;
        threatwright::store::write_atomic(Path::new(&path), &bytes)
            .map_err(|e| CommandError::new("save_failed", format!("{path}: {e}")))
    })
    .await
    .map_err(|e| CommandError::internal(e.to_string()))?
}

/// Native save dialog for the PDF report; `None` when cancelled.
#[tauri::command]
pub async fn pick_pdf_path(app: AppHandle, suggested: String) -> CommandResult<Option<String>> {
    let picked = app.dialog().file().add_filter("PDF report", &["pdf"]).set_file_name(&suggested).blocking_save_file();
    Ok(picked.and_then(|p| p.into_path().ok()).map(|p| p.to_string_lossy().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(new_from_template("nope".into()).unwrap_err().code, "template_invalid");
    }

    #[test]
    fn imports_sam_and_serverless_fixtures_and_reports_bad_input() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let find = |dir: &str, ext: &[&str]| -> Option<PathBuf> {
            let mut v: Vec<_> =
                std::fs::read_dir(root.join(dir)).ok()?.filter_map(Result::ok).map(|e| e.path()).collect();
            v.sort();
            v.into_iter().find(|p| p.extension().is_some_and(|x| ext.iter().any(|e| x == *e)))
        };
        if let Some(sam) = find("tests/corpus/sam", &["yaml", "yml"]) {
            let got = import(&sam, "sam").unwrap();
            assert!(!got.model.elements.is_empty());
            assert!(got.model.elements.iter().all(|e| e.position.is_some()));
        }
        if let Some(sls) = find("tests/corpus/serverless", &["yml"]) {
            assert!(!import(&sls, "serverless").unwrap().model.elements.is_empty());
        }
        let dir = tmp("import");
        let bad = dir.join("bad.yaml");
        std::fs::write(&bad, "just: text\n").unwrap();
        assert_eq!(import(&bad, "sam").unwrap_err().code, "import_failed");
        assert_eq!(import(&bad, "cdk").unwrap_err().code, "invalid_input");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn recovery_file_is_offered_only_when_newer_than_the_file() {
        let dir = tmp("recovery");
        let model = threatwright::import::templates::instantiate("aws-webhook-ingest").unwrap();
        write_recovery(&dir, None, &model).unwrap();
        let got = read_recovery(&dir, None).expect("untitled recovery");
        assert_eq!(got.model, model);
        assert!(got.saved_at.ends_with('Z'));
        // A file saved after the autosave wins.
        let file = dir.join("m.yaml");
        let p = file.to_string_lossy().to_string();
        write_recovery(&dir, Some(&p), &model).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        std::fs::write(&file, "x").unwrap();
        assert!(read_recovery(&dir, Some(&p)).is_none());
        // A missing file: the recovery is offered.
        std::fs::remove_file(&file).unwrap();
        assert!(read_recovery(&dir, Some(&p)).is_some());
        assert_ne!(recovery_file(&dir, Some("/a.yaml")), recovery_file(&dir, Some("/b.yaml")));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn project_autosave_round_trips() {
        let dir = tmp("twm");
        let file = dir.join("m.twm");
        let model = threatwright::import::templates::instantiate("aws-webhook-ingest").unwrap();
        project::save(&file, &model, None).unwrap();
        assert!(project::recoverable_autosave(&file).unwrap().is_none());
        let mut edited = model.clone();
        edited.name = "edited".into();
        project::autosave(&file, &edited).unwrap();
        assert_eq!(project::recoverable_autosave(&file).unwrap().unwrap().model.name, "edited");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn pdf_report_renders_or_explains_missing_fonts() {
        let catalog = threatwright::rules::builtin_catalog().unwrap();
        let model = threatwright::import::templates::instantiate("aws-webhook-ingest").unwrap();
        match render_report(&catalog, &model) {
            Ok(bytes) => assert!(bytes.starts_with(b"%PDF")),
            Err(e) => assert_eq!(e.code, "fonts_missing", "{e}"),
        }
    }
}
