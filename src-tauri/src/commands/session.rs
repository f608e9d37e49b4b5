//! The guided session: `session_questions` lists what the analysis had to assume, as the
//! schema's questions; `session_answer` records an answer through the core
//! (`engine::session::answer`: the property set, the log entry with the threats resolved and
//! raised). The UI owns undo: it commits the returned model as one edit.

use tauri::AppHandle;
use threatwright::engine::session::{self, Answer, Question};
use threatwright::engine::{analyze, Options};
use threatwright::Model;

use crate::commands::analysis::today;
use crate::error::{CommandError, CommandResult, ErrorCode};

fn options() -> Options {
    Options { as_of: today(), ..Options::default() }
}

/// The questions of a guided session on `model`, in the order to ask them (off the main thread:
/// it analyses the model).
#[tauri::command]
pub async fn session_questions(app: AppHandle, model: Model) -> CommandResult<Vec<Question>> {
    super::with_catalog(app, move |catalog| Ok(session::questions(&model, &analyze(&model, catalog, &options())))).await
}

/// `model` with the answer recorded: the property set and the log entry appended (its last).
#[tauri::command]
pub async fn session_answer(app: AppHandle, model: Model, answer: Answer) -> CommandResult<Model> {
    super::with_catalog(app, move |catalog| {
        session::answer(&model, catalog, &options(), &answer)
            .map(|(next, _)| next)
            .map_err(|e| CommandError::new(ErrorCode::InvalidInput, e))
    })
    .await
}
