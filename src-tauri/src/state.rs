//! Application state shared by the commands: the rule catalog (loaded once at start-up), the
//! model path given on the command line, the unsaved-changes flag the window's close handler
//! consults, and where the recent-files list lives. Must not: hold the model itself — the UI
//! owns the document and sends it with each command.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use threatwright::rules::Catalog;

use crate::paths::Chosen;

/// State managed by Tauri (`app.manage(AppState { .. })`).
pub struct AppState {
    /// The built-in rule catalog, or the diagnostics explaining why it failed to load.
    pub catalog: Result<Catalog, String>,
    /// First command-line argument: the model file to open at start-up.
    pub startup_path: Option<PathBuf>,
    /// True while the UI reports unsaved changes; closing the window then asks first.
    pub dirty: Mutex<bool>,
    /// File holding the recent-files list (in the app config dir), if that dir is known.
    pub recent_file: Option<PathBuf>,
    /// Folder of the recovery files of YAML and untitled models (in the app data dir).
    pub recovery_dir: Option<PathBuf>,
    /// Marker of a model being opened (in the app config dir): written before an open, removed
    /// once the UI reports the model interactive, so a start after a hang or crash while
    /// opening does not open the same file again by itself.
    pub opening_file: Option<PathBuf>,
    /// The files the window may name (chosen in a dialog, on the command line, or recent).
    pub chosen: Chosen,
}

impl AppState {
    /// Loads the catalog once; `startup_path` comes from the command line.
    pub fn new(startup_path: Option<PathBuf>, recent_file: Option<PathBuf>, recovery_dir: Option<PathBuf>) -> Self {
        let catalog = threatwright::rules::builtin_catalog().map_err(|d| d.to_string());
        let chosen = Chosen::from_env();
        startup_path.iter().for_each(|p| chosen.allow(p));
        crate::commands::file::read_recent(recent_file.as_deref()).iter().for_each(|p| chosen.allow(Path::new(p)));
        Self { catalog, startup_path, dirty: Mutex::new(false), recent_file, recovery_dir, opening_file: None, chosen }
    }
}
