//! The guided session: `session_questions` lists what the analysis had to assume, as the
//! schema's questions; `session_answer` records an answer through the core
//! (`engine::session::answer`: the property set, the log entry with the threats resolved and
//! raised). The UI owns undo: it commits the returned model as one edit.

use tauri::{AppHandle, Manager};
use threatwright::engine::session::{self, Answer, Question};
use threatwright::engine::{analyze, Options};
use threatwright::Model;

use crate::commands::analysis::today;
use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::state::AppState;

fn on_catalog<T: Send + 'static>(
    app: AppHandle,
    work: impl FnOnce(&threatwright::rules::Catalog, &Options) -> CommandResult<T> + Send + 'static,
) -> tauri::async_runtime::JoinHandle<CommandResult<T>> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let catalog = state.catalog.as_ref().map_err(|e| CommandError::new(ErrorCode::CatalogInvalid, e.clone()))?;
        work(catalog, &Options { as_of: today(), ..Options::default() })
    })
}

/// The questions of a guided session on `model`, in the order to ask them (off the main thread:
/// it analyses the model).
#[tauri::command]
pub async fn session_questions(app: AppHandle, model: Model) -> CommandResult<Vec<Question>> {
    on_catalog(app, move |catalog, options| Ok(session::questions(&model, &analyze(&model, catalog, options))))
        .await
        .map_err(|e| CommandError::internal(e.to_string()))?
}

/// `model` with the answer recorded: the property set and the log entry appended (its last).
#[tauri::command]
pub async fn session_answer(app: AppHandle, model: Model, answer: Answer) -> CommandResult<Model> {
    on_catalog(app, move |catalog, options| {
        session::answer(&model, catalog, options, &answer)
            .map(|(next, _)| next)
            .map_err(|e| CommandError::new(ErrorCode::InvalidInput, e))
    })
    .await
    .map_err(|e| CommandError::internal(e.to_string()))?
}
