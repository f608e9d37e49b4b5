//! The history of a `.twm` project file in the app: its revisions (listed with author and
//! date, compared with the open model, restored) and the triage history of every threat.
//! Everything is read from the file the user opened (a chosen path), off the main thread.
//! Must not: write the file; a restore is an edit of the open model, saved as a new revision.

use serde::Serialize;
use tauri::{AppHandle, Manager};
use threatwright::store::project::{self, RevisionInfo, TriageHistoryEntry};
use threatwright::Model;
use ts_rs::TS;

use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::state::AppState;

/// A project's revisions and triage history, oldest first.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ProjectHistory.ts")]
pub struct ProjectHistory {
    pub revisions: Vec<RevisionInfo>,
    pub triage: Vec<TriageHistoryEntry>,
}

/// A revision compared with the open model: what changed in the threats since it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "RevisionComparison.ts")]
pub struct RevisionComparison {
    pub revision: u32,
    /// Threats added, removed, re-scored and re-triaged, as text.
    pub report: String,
    pub added: u32,
    pub removed: u32,
    pub rescored: u32,
    pub retriaged: u32,
}

fn store_error(e: threatwright::store::Error) -> CommandError {
    CommandError::located(ErrorCode::ModelInvalid, &e.diagnostics)
}

/// Runs `f` on the chosen project file off the main thread.
async fn with_project<T: Send + 'static>(
    app: AppHandle,
    path: String,
    f: impl FnOnce(&AppState, &std::path::Path) -> CommandResult<T> + Send + 'static,
) -> CommandResult<T> {
    let file = app.state::<AppState>().chosen.check(&path)?;
    if !project::is_project(&file) {
        return Err(CommandError::new(
            ErrorCode::InvalidInput,
            format!("{path}: revisions are kept in .twm project files"),
        ));
    }
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>(), &file))
        .await
        .map_err(|e| CommandError::internal(e.to_string()))?
}

/// The revisions and triage history of the project at `path`.
#[tauri::command]
pub async fn project_history(app: AppHandle, path: String) -> CommandResult<ProjectHistory> {
    with_project(app, path, |_, file| {
        Ok(ProjectHistory {
            revisions: project::revisions(file).map_err(store_error)?,
            triage: project::triage_history(file).map_err(store_error)?,
        })
    })
    .await
}

/// Revision `revision` of the project, compared with `model` (the open, possibly unsaved model).
#[tauri::command]
pub async fn compare_revision(
    app: AppHandle,
    path: String,
    revision: u32,
    model: Model,
) -> CommandResult<RevisionComparison> {
    with_project(app, path, move |state, file| {
        let old = project::load_revision(file, &revision.to_string()).map_err(store_error)?;
        let before = crate::commands::analysis::run_analysis(state, &old)?.analysis;
        let after = crate::commands::analysis::run_analysis(state, &model)?.analysis;
        let d = threatwright::engine::diff::diff(&before, &after);
        Ok(RevisionComparison {
            revision,
            report: d.text(),
            added: d.added.len() as u32,
            removed: d.removed.len() as u32,
            rescored: d.rescored.len() as u32,
            retriaged: d.retriaged.len() as u32,
        })
    })
    .await
}

/// The model of revision `revision`, for the UI to restore as one undoable edit.
#[tauri::command]
pub async fn load_revision(app: AppHandle, path: String, revision: u32) -> CommandResult<Model> {
    with_project(app, path, move |_, file| project::load_revision(file, &revision.to_string()).map_err(store_error))
        .await
}
