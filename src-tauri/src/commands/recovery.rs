//! Autosave and crash recovery: into the `.twm` project itself, else a recovery file in the app
//! data folder (`store::recovery`) for YAML and untitled models. The clock is read here, at the
//! edge; the format, the file names and the staleness rule belong to the core.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use threatwright::store::{project, recovery};
use threatwright::Model;

use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::state::AppState;

pub use recovery::Recovery;

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The `.twm` project at `path`, when it is one that exists (it keeps its own autosaves). Only a
/// project the user chose: its autosave writes into the file and its recovery reads from it.
fn existing_project(state: &AppState, path: Option<&str>) -> CommandResult<Option<PathBuf>> {
    match path.map(Path::new).filter(|p| project::is_project(p) && p.exists()) {
        Some(p) => Ok(Some(state.chosen.check(&p.to_string_lossy())?)),
        None => Ok(None),
    }
}

fn recovery_dir(state: &AppState) -> CommandResult<&Path> {
    state
        .recovery_dir
        .as_deref()
        .ok_or_else(|| CommandError::new(ErrorCode::AutosaveFailed, "the app data folder is unknown"))
}

/// Autosaves unsaved changes: into the `.twm` project itself, else into a recovery file.
#[tauri::command]
pub async fn autosave_model(
    state: tauri::State<'_, AppState>,
    path: Option<String>,
    model: Model,
) -> CommandResult<()> {
    if let Some(p) = existing_project(&state, path.as_deref())? {
        return project::autosave(&p, &model).map_err(|e| CommandError::store(ErrorCode::AutosaveFailed, &e));
    }
    recovery::write(recovery_dir(&state)?, path.as_deref(), &model, now_secs())
        .map_err(|e| CommandError::new(ErrorCode::AutosaveFailed, e.to_string()))
}

/// An autosave newer than the file at `path` (or of the untitled model), if any.
#[tauri::command]
pub fn check_recovery(state: tauri::State<'_, AppState>, path: Option<String>) -> CommandResult<Option<Recovery>> {
    if let Some(p) = existing_project(&state, path.as_deref())? {
        let found = project::recoverable_autosave(&p).map_err(|e| CommandError::store(ErrorCode::ModelInvalid, &e))?;
        return Ok(found.map(|a| Recovery { path: path.clone(), saved_at: a.created_at, model: a.model }));
    }
    Ok(state.recovery_dir.as_deref().and_then(|d| recovery::read(d, path.as_deref())))
}

/// Drops the recovery file of `path` (after a save, or when the user declines to restore).
#[tauri::command]
pub fn clear_recovery(state: tauri::State<'_, AppState>, path: Option<String>) -> CommandResult<()> {
    if let Some(dir) = state.recovery_dir.as_deref() {
        recovery::clear(dir, path.as_deref());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_autosave_round_trips() {
        let dir = std::env::temp_dir().join(format!("tw-twm-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("m.twm");
        let model = threatwright::import::templates::instantiate("aws-webhook-ingest").unwrap();
        project::save(&file, &model, None, "tester").unwrap();
        let state = AppState::new(None, None, None);
        let err = existing_project(&state, file.to_str()).unwrap_err();
        assert!(
            err.message.contains("not a file you chose"),
            "a project the user did not choose is refused: {}",
            err.message
        );
        state.chosen.allow(&file);
        assert_eq!(existing_project(&state, file.to_str()).unwrap(), Some(file.clone()));
        assert!(project::recoverable_autosave(&file).unwrap().is_none());
        let mut edited = model.clone();
        edited.name = "edited".into();
        project::autosave(&file, &edited).unwrap();
        assert_eq!(project::recoverable_autosave(&file).unwrap().unwrap().model.name, "edited");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn yaml_and_untitled_models_are_not_projects() {
        let state = AppState::new(None, None, None);
        assert_eq!(existing_project(&state, None).unwrap(), None);
        assert_eq!(existing_project(&state, Some("/nowhere/m.yaml")).unwrap(), None);
        assert_eq!(
            existing_project(&state, Some("/nowhere/m.twm")).unwrap(),
            None,
            "a project that does not exist yet"
        );
    }
}
