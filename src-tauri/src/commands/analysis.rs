//! `analyze_model` and `layout_model`: run the core engine / auto-layout on the model the UI
//! sends. `analyze_model` is async so Tauri runs it off the main thread and typing or dragging
//! never waits for it.

use std::time::Instant;

use serde::Serialize;
use threatwright::engine::{analyze, Analysis, Options};
use threatwright::Model;
use ts_rs::TS;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// An analysis plus how long it took (shown in the header).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "AnalysisReport.ts")]
pub struct AnalysisReport {
    pub analysis: Analysis,
    /// Wall-clock time of `analyze`, in microseconds.
    #[ts(type = "number")]
    pub micros: u64,
}

/// Today's date as `YYYY-MM-DD` (UTC), for runtime end-of-life checks.
pub fn today() -> String {
    threatwright::clock::today()
}

/// Analyses the model with the built-in catalog.
#[tauri::command]
pub async fn analyze_model(state: tauri::State<'_, AppState>, model: Model) -> CommandResult<AnalysisReport> {
    let catalog = state.catalog.as_ref().map_err(|e| CommandError::new("catalog_invalid", e.clone()))?;
    let options = Options { as_of: today(), ..Options::default() };
    let start = Instant::now();
    let analysis = analyze(&model, catalog, &options);
    Ok(AnalysisReport { analysis, micros: start.elapsed().as_micros() as u64 })
}

/// Returns the model with every element and boundary placed by the core's auto-layout.
#[tauri::command]
pub fn layout_model(mut model: Model) -> CommandResult<Model> {
    threatwright::layout::auto_layout(&mut model);
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_an_iso_date() {
        let t = today();
        assert_eq!(t.len(), 10, "{t}");
        assert!(t.starts_with("20"), "{t}");
        assert_eq!(&t[4..5], "-");
    }
}
