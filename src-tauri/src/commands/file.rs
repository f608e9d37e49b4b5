//! Model files: the start-up document, open/save through the core's store, native file
//! dialogs (run in Rust, so the UI needs no dialog permission at all) and the recent-files
//! list kept in the app config dir (each change also rebuilds File → Open Recent, `menu.rs`).

use std::path::{Path, PathBuf};

use serde::Serialize;
use tauri::{AppHandle, Manager};
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
    /// The start-up file was not opened because the last start did not finish opening it (the
    /// app hung or crashed): the UI says so and offers to open it anyway. `path` is then `None`.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interrupted: Option<String>,
}

/// The file a previous open left marked as "being opened" (it never reported back).
pub fn read_opening(marker: Option<&Path>) -> Option<String> {
    marker.and_then(|m| std::fs::read_to_string(m).ok()).and_then(|t| serde_json::from_str(&t).ok())
}

/// Marks `path` as being opened (`None`: nothing is); best effort.
pub fn write_opening(marker: Option<&Path>, path: Option<&Path>) {
    let Some(m) = marker else { return };
    match path {
        Some(p) => {
            let _ = m.parent().map(std::fs::create_dir_all);
            let _ = std::fs::write(m, serde_json::to_string(&p.to_string_lossy()).unwrap_or_default());
        }
        None => {
            let _ = std::fs::remove_file(m);
        }
    }
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

/// The model named on the command line, if any (a missing file starts an empty model), read
/// and laid out on the blocking pool. Not reopened when the last start never finished opening it.
#[tauri::command]
pub async fn get_startup(app: AppHandle) -> CommandResult<OpenedModel> {
    let state = app.state::<AppState>();
    let Some(path) = state.startup_path.clone() else {
        return Ok(OpenedModel { path: None, model: None, interrupted: None });
    };
    let marker = state.opening_file.clone();
    let entry = path.to_string_lossy().to_string();
    if read_opening(marker.as_deref()).as_deref() == Some(entry.as_str()) {
        // Cleared now: if the user chooses to open it anyway and it works, the next start is normal.
        write_opening(marker.as_deref(), None);
        return Ok(OpenedModel { path: None, model: None, interrupted: Some(entry) });
    }
    let recent = state.recent_file.clone();
    let app = app.clone();
    blocking(move || {
        let model = if path.exists() {
            write_opening(marker.as_deref(), Some(&path));
            Some(load(&path)?)
        } else {
            None
        };
        crate::menu::set_recent(&app, &remember(recent.as_deref(), &path));
        Ok(OpenedModel { path: Some(entry), model, interrupted: None })
    })
    .await
}

/// Runs file work on the blocking pool, so the window keeps painting (a large model takes seconds).
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> CommandResult<T> + Send + 'static) -> CommandResult<T> {
    tauri::async_runtime::spawn_blocking(work).await.map_err(|e| CommandError::internal(e.to_string()))?
}

/// The UI reports the opened model interactive (or the open failed or was cancelled): the
/// "being opened" marker goes.
#[tauri::command]
pub fn finish_opening(state: tauri::State<'_, AppState>) -> CommandResult<()> {
    write_opening(state.opening_file.as_deref(), None);
    Ok(())
}

/// Opens the model file at `path`.
#[tauri::command]
pub async fn open_model(app: AppHandle, path: String) -> CommandResult<OpenedModel> {
    let state = app.state::<AppState>();
    let file = state.chosen.check(&path)?;
    let (marker, recent) = (state.opening_file.clone(), state.recent_file.clone());
    let app = app.clone();
    blocking(move || {
        write_opening(marker.as_deref(), Some(&file));
        let model = load(&file).inspect_err(|_| write_opening(marker.as_deref(), None))?;
        crate::menu::set_recent(&app, &remember(recent.as_deref(), &file));
        Ok(OpenedModel { path: Some(path), model: Some(model), interrupted: None })
    })
    .await
}

/// Writes the model to `path`: YAML (atomically), or a new revision of a `.twm` project.
#[tauri::command]
pub fn save_model(app: AppHandle, state: tauri::State<'_, AppState>, path: String, model: Model) -> CommandResult<()> {
    let file = state.chosen.check(&path)?;
    threatwright::store::save_model(&file, &model, &crate::commands::project::user_name(&state))
        .map_err(|e| CommandError::new(ErrorCode::SaveFailed, format!("{path}: {e}")))?;
    crate::menu::set_recent(&app, &remember(state.recent_file.as_deref(), &file));
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
    Ok(chosen(&app, picked.and_then(|p| p.into_path().ok())))
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
    Ok(chosen(&app, picked.and_then(|p| p.into_path().ok())))
}

/// Records a dialog's answer as chosen by the user (the commands that take a path accept only
/// such paths) and returns it as text.
pub fn chosen(app: &AppHandle, picked: Option<PathBuf>) -> Option<String> {
    let path = picked?;
    app.state::<AppState>().chosen.allow(&path);
    Some(path.to_string_lossy().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_opening_marker_names_the_file_until_it_is_cleared() {
        let dir = std::env::temp_dir().join(format!("tw-opening-{}", std::process::id()));
        let marker = dir.join("opening.json");
        assert_eq!(read_opening(Some(&marker)), None);
        write_opening(Some(&marker), Some(Path::new("/models/big estate.yaml")));
        assert_eq!(read_opening(Some(&marker)).as_deref(), Some("/models/big estate.yaml"));
        write_opening(Some(&marker), None);
        assert_eq!(read_opening(Some(&marker)), None);
        std::fs::write(&marker, "not json").unwrap();
        assert_eq!(read_opening(Some(&marker)), None, "a damaged marker blocks nothing");
        write_opening(None, Some(Path::new("/x.yaml")));
        let _ = std::fs::remove_dir_all(dir);
    }

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
