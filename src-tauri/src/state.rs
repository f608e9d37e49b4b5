//! Application state shared by the commands: the rule catalog (loaded once at start-up), the
//! model path given on the command line, the unsaved-changes flag the window's close handler
//! consults, where the recent-files list lives, and the last analyses sent (so the next one can
//! be sent as a delta). Must not: hold the model itself — the UI owns the document and sends it
//! with each command.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use threatwright::engine::Analysis;
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
    /// The analyses last sent to the UI, newest last, by revision: the base of the next delta.
    pub sent: Mutex<Sent>,
}

/// How many sent analyses are kept: the UI's current one and one answer it may have dropped
/// as stale (a 2,000-element model's analysis is tens of MB, so not more).
const KEEP_SENT: usize = 2;

/// The analyses last sent to the UI.
#[derive(Default)]
pub struct Sent {
    last_revision: u64,
    kept: VecDeque<(u64, Arc<Analysis>)>,
}

impl Sent {
    /// The sent analysis numbered `revision`, if it is still kept.
    pub fn get(&self, revision: u64) -> Option<Arc<Analysis>> {
        self.kept.iter().find(|(r, _)| *r == revision).map(|(_, a)| a.clone())
    }

    /// Keeps `analysis` as sent and returns its revision number.
    pub fn keep(&mut self, analysis: Arc<Analysis>) -> u64 {
        self.last_revision += 1;
        if self.kept.len() == KEEP_SENT {
            self.kept.pop_front();
        }
        self.kept.push_back((self.last_revision, analysis));
        self.last_revision
    }
}

impl AppState {
    /// Loads the catalog once; `startup_path` comes from the command line.
    pub fn new(startup_path: Option<PathBuf>, recent_file: Option<PathBuf>, recovery_dir: Option<PathBuf>) -> Self {
        let catalog = threatwright::rules::builtin_catalog().map_err(|d| d.to_string());
        let chosen = Chosen::from_env();
        startup_path.iter().for_each(|p| chosen.allow(p));
        crate::commands::file::read_recent(recent_file.as_deref()).iter().for_each(|p| chosen.allow(Path::new(p)));
        Self {
            catalog,
            startup_path,
            dirty: Mutex::new(false),
            recent_file,
            recovery_dir,
            opening_file: None,
            chosen,
            sent: Mutex::default(),
        }
    }
}
