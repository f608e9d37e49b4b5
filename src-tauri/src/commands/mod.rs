//! IPC commands exposed to the UI. Each command is a thin adapter: it takes state and
//! arguments, calls the `threatwright` core crate and returns serializable data or a
//! `CommandError`. Every command listed here has a typed wrapper in ui/src/ipc/index.ts.

pub mod analysis;
pub mod export;
pub mod file;
pub mod layout;
pub mod project;
pub mod recovery;
pub mod revisions;
pub mod schema;
pub mod session;
pub mod triage;
pub mod window;

use serde::Serialize;
use tauri::{AppHandle, Manager};
use threatwright::rules::Catalog;
use ts_rs::TS;

use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::state::AppState;

/// Runs `work` with the built-in rule catalog on the blocking thread pool: for commands that
/// analyse a model, which must not hold up the main thread.
pub async fn with_catalog<T: Send + 'static>(
    app: AppHandle,
    work: impl FnOnce(&Catalog) -> CommandResult<T> + Send + 'static,
) -> CommandResult<T> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let catalog = state.catalog.as_ref().map_err(|e| CommandError::new(ErrorCode::CatalogInvalid, e.clone()))?;
        work(catalog)
    })
    .await
    .map_err(|e| CommandError::internal(e.to_string()))?
}

/// Facts about the running app, shown in the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "AppInfo.ts")]
pub struct AppInfo {
    /// Version of the threatwright core crate.
    pub version: String,
}

/// Returns the app's version information.
#[tauri::command]
pub fn app_info() -> CommandResult<AppInfo> {
    Ok(AppInfo { version: threatwright::version().to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The product's one version: `[workspace.package]` of the root Cargo.toml.
    fn workspace_version() -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let table = &text[text.find("[workspace.package]").expect("root Cargo.toml has a [workspace.package]")..];
        let line = table.lines().find(|l| l.starts_with("version")).expect("[workspace.package] has a version");
        line.split('"').nth(1).expect("version = \"x.y.z\"").to_string()
    }

    #[test]
    fn app_info_reports_the_core_crate_version() {
        assert_eq!(app_info().unwrap().version, workspace_version());
    }

    #[test]
    fn app_info_serializes_with_version_field() {
        let json = serde_json::to_value(app_info().unwrap()).unwrap();
        assert_eq!(json, serde_json::json!({ "version": threatwright::version() }));
    }
}
