//! Tauri builder for the Threatwright desktop app: registers the IPC commands and runs the
//! event loop. No business logic lives here — commands are in `commands`, errors in `error`,
//! and the threat-modelling logic in the `threatwright` core crate.

pub mod commands;
pub mod error;

/// Builds and runs the Tauri application (blocks until the last window closes).
pub fn run() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![commands::app_info])
        .run(tauri::generate_context!())
        .expect("error while running the Threatwright application");
}
