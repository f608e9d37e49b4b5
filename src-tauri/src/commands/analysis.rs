//! `analyze_model` and `layout_model`: run the core engine / auto-layout on the model the UI
//! sends, both on the blocking thread pool, so neither the main thread nor the async runtime
//! waits for them, and typing or dragging never stalls.

use std::time::Instant;

use serde::Serialize;
use tauri::{AppHandle, Manager};
use threatwright::engine::{analyze, Analysis, Options};
use threatwright::Model;
use ts_rs::TS;

use crate::error::{CommandError, CommandResult, ErrorCode};
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

/// Analyses `model` with the catalog of `state`, timing the core call.
pub fn run_analysis(state: &AppState, model: &Model) -> CommandResult<AnalysisReport> {
    let catalog = state.catalog.as_ref().map_err(|e| CommandError::new(ErrorCode::CatalogInvalid, e.clone()))?;
    let options = Options { as_of: today(), ..Options::default() };
    let start = Instant::now();
    let analysis = analyze(model, catalog, &options);
    Ok(AnalysisReport { analysis, micros: start.elapsed().as_micros() as u64 })
}

/// Analyses the model with the built-in catalog, on the blocking thread pool.
#[tauri::command]
pub async fn analyze_model(app: AppHandle, model: Model) -> CommandResult<AnalysisReport> {
    tauri::async_runtime::spawn_blocking(move || run_analysis(&app.state::<AppState>(), &model))
        .await
        .map_err(|e| CommandError::internal(e.to_string()))?
}

/// Returns the model with every element and boundary placed by the core's auto-layout, laid
/// out on the blocking thread pool (a large model takes a while; the window keeps answering).
#[tauri::command]
pub async fn layout_model(mut model: Model) -> CommandResult<Model> {
    tauri::async_runtime::spawn_blocking(move || {
        threatwright::layout::auto_layout(&mut model);
        model
    })
    .await
    .map_err(|e| CommandError::internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysis_runs_with_the_builtin_catalog() {
        let state = AppState::new(None, None, None);
        let model = threatwright::import::templates::instantiate("aws-webhook-ingest").unwrap();
        let report = run_analysis(&state, &model).unwrap();
        assert_eq!(report.analysis.model, model.name);
        assert!(!report.analysis.threats.is_empty());
    }

    #[test]
    fn today_is_an_iso_date() {
        let t = today();
        assert_eq!(t.len(), 10, "{t}");
        assert!(t.starts_with("20"), "{t}");
        assert_eq!(&t[4..5], "-");
    }
}
