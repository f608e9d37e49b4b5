//! Window title and the unsaved-changes guard. The UI reports its document state; when the user
//! closes a window with unsaved changes the close is held and the UI asks (see `lib.rs`).

use tauri::{Emitter, Manager, WebviewWindow};

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// Event sent to the UI when the user tries to close a window with unsaved changes.
pub const CLOSE_REQUESTED: &str = "tw://close-requested";

/// Sets the window title and remembers whether there are unsaved changes.
#[tauri::command]
pub fn set_document_state(
    window: WebviewWindow,
    state: tauri::State<'_, AppState>,
    title: String,
    dirty: bool,
) -> CommandResult<()> {
    *state.dirty.lock().map_err(|_| CommandError::internal("state lock poisoned"))? = dirty;
    window.set_title(&title).map_err(|e| CommandError::internal(e.to_string()))
}

/// Closes the window without asking again (the UI has already confirmed).
#[tauri::command]
pub fn close_window(window: WebviewWindow, state: tauri::State<'_, AppState>) -> CommandResult<()> {
    *state.dirty.lock().map_err(|_| CommandError::internal("state lock poisoned"))? = false;
    window.destroy().map_err(|e| CommandError::internal(e.to_string()))
}

/// Close handler: holds the close and asks the UI when there are unsaved changes.
pub fn on_close_requested(window: &tauri::Window, api: &tauri::CloseRequestApi) {
    let dirty = window.state::<AppState>().dirty.lock().map(|d| *d).unwrap_or(false);
    if dirty {
        api.prevent_close();
        let _ = window.emit(CLOSE_REQUESTED, ());
    }
}
