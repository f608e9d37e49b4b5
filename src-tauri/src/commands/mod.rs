//! IPC commands exposed to the UI. Each command is a thin adapter: it takes state and
//! arguments, calls the `threatwright` core crate and returns serializable data or a
//! `CommandError`. Every command listed here has a typed wrapper in ui/src/ipc/index.ts.

pub mod analysis;
pub mod file;
pub mod project;
pub mod schema;
pub mod window;

use serde::Serialize;
use ts_rs::TS;

use crate::error::CommandResult;

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

    #[test]
    fn app_info_reports_core_version() {
        let info = app_info().unwrap();
        assert_eq!(info.version, threatwright::version());
        assert!(!info.version.is_empty());
    }

    #[test]
    fn app_info_serializes_with_version_field() {
        let json = serde_json::to_value(app_info().unwrap()).unwrap();
        assert_eq!(json, serde_json::json!({ "version": threatwright::version() }));
    }
}
