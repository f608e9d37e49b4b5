//! Model files: the start-up document, open/save through the core's store, native file
//! dialogs (run in Rust, so the UI needs no dialog permission at all) and the recent-files
//! list kept in the app config dir.

use std::path::{Path, PathBuf};

use serde::Serialize;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;
use threatwright::Model;
use ts_rs::TS;

use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::state::AppState;

const RECENT_MAX: usize = 8;

/// A model file the UI should show, bound to `path` (where Ctrl+S writes).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "OpenedModel.ts")]
pub struct OpenedModel {
    pub path: Option<String>,
    /// `None` when the path does not exist yet: start an empty model bound to it.
    pub model: Option<Model>,
}

/// Loads a model; the core places its elements when the file has no positions.
pub fn load(path: &Path) -> CommandResult<Model> {
    threatwright::store::load_placed(path).map_err(|d| CommandError::located(ErrorCode::ModelInvalid, &d))
}

/// Reads the recent-files list (missing or unreadable file = empty list).
pub fn read_recent(file: Option<&Path>) -> Vec<String> {
    file.and_then(|f| std::fs::read_to_string(f).ok()).and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

/// Moves `path` to the front of the recent-files list and persists it (best effort).
pub fn remember(file: Option<&Path>, path: &Path) -> Vec<String> {
    let entry = path.to_string_lossy().to_string();
    let mut list = read_recent(file);
    list.retain(|p| *p != entry);
    list.insert(0, entry);
    list.truncate(RECENT_MAX);
    if let Some(f) = file {
        let _ = f.parent().map(std::fs::create_dir_all);
        let _ = std::fs::write(f, serde_json::to_string_pretty(&list).unwrap_or_default());
    }
    list
}

/// The model named on the command line, if any (a missing file starts an empty model).
#[tauri::command]
pub fn get_startup(state: tauri::State<'_, AppState>) -> CommandResult<OpenedModel> {
    let Some(path) = state.startup_path.clone() else { return Ok(OpenedModel { path: None, model: None }) };
    let model = if path.exists() { Some(load(&path)?) } else { None };
    remember(state.recent_file.as_deref(), &path);
    Ok(OpenedModel { path: Some(path.to_string_lossy().into()), model })
}

/// Opens the model file at `path`.
#[tauri::command]
pub fn open_model(state: tauri::State<'_, AppState>, path: String) -> CommandResult<OpenedModel> {
    let model = load(Path::new(&path))?;
    remember(state.recent_file.as_deref(), Path::new(&path));
    Ok(OpenedModel { path: Some(path), model: Some(model) })
}

/// Writes the model to `path`: YAML (atomically), or a new revision of a `.twm` project.
#[tauri::command]
pub fn save_model(state: tauri::State<'_, AppState>, path: String, model: Model) -> CommandResult<()> {
    threatwright::store::save_model(Path::new(&path), &model, &threatwright::store::current_user())
        .map_err(|e| CommandError::new(ErrorCode::SaveFailed, format!("{path}: {e}")))?;
    remember(state.recent_file.as_deref(), Path::new(&path));
    Ok(())
}

/// The recent-files list, newest first.
#[tauri::command]
pub fn list_recent_files(state: tauri::State<'_, AppState>) -> CommandResult<Vec<String>> {
    Ok(read_recent(state.recent_file.as_deref()))
}

/// Native "Open" dialog; `None` when cancelled.
#[tauri::command]
pub async fn pick_open_path(app: AppHandle) -> CommandResult<Option<String>> {
    let picked = app
        .dialog()
        .file()
        .add_filter("Threat model (.twm project or YAML)", &["twm", "yaml", "yml"])
        .add_filter("Threatwright project (.twm)", &["twm"])
        .add_filter("YAML model", &["yaml", "yml"])
        .blocking_pick_file();
    Ok(picked.and_then(|p| p.into_path().ok()).map(|p: PathBuf| p.to_string_lossy().into()))
}

/// Native "Save as" dialog; `None` when cancelled.
#[tauri::command]
pub async fn pick_save_path(app: AppHandle, suggested: String) -> CommandResult<Option<String>> {
    let dialog = app
        .dialog()
        .file()
        .add_filter("Threatwright project (.twm)", &["twm"])
        .add_filter("YAML model", &["yaml", "yml"])
        .set_file_name(&suggested);
    let picked = dialog.blocking_save_file();
    Ok(picked.and_then(|p| p.into_path().ok()).map(|p: PathBuf| p.to_string_lossy().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_list_is_most_recent_first_and_deduplicated() {
        let dir = std::env::temp_dir().join(format!("tw-recent-{}", std::process::id()));
        let file = dir.join("recent.json");
        remember(Some(&file), Path::new("/a.yaml"));
        remember(Some(&file), Path::new("/b.yaml"));
        let list = remember(Some(&file), Path::new("/a.yaml"));
        assert_eq!(list, vec!["/a.yaml".to_string(), "/b.yaml".to_string()]);
        assert_eq!(read_recent(Some(&file)), list);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn bad_file_reports_located_diagnostics() {
        let dir = std::env::temp_dir().join(format!("tw-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bad.yaml");
        std::fs::write(&file, "name: x\nelements: 3\n").unwrap();
        let err = load(&file).unwrap_err();
        assert_eq!(err.code, ErrorCode::ModelInvalid);
        assert!(err.message.contains("bad.yaml:"), "{}", err.message);
        let d = &err.diagnostics[0];
        assert!(d.file.ends_with("bad.yaml") && d.line == 2, "{d:?}");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn examples_load_with_positions() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/examples/orders-service.yaml");
        let model = load(&path).unwrap();
        assert!(model.elements.iter().all(|e| e.position.is_some()));
    }
}
