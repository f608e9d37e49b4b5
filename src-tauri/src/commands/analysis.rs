//! `analyze_model` and `layout_model`: run the core engine / auto-layout on the model the UI
//! sends, both on the blocking thread pool, so neither the main thread nor the async runtime
//! waits for them, and typing or dragging never stalls. After an edit the analysis goes back
//! as a delta from the one the UI holds (`crate::delta`).

use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use tauri::{AppHandle, Manager};
use threatwright::engine::{analyze, Analysis, Options};
use threatwright::Model;
use ts_rs::TS;

use crate::delta::{delta, AnalysisDelta};
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

/// The answer to `analyze_model`: the whole analysis, or what changed since the one the UI
/// holds. The UI sends `revision` back as `base` with its next request.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "AnalysisUpdate.ts")]
pub struct AnalysisUpdate {
    /// Number of this analysis, for the UI's next `base`.
    #[ts(type = "number")]
    pub revision: u64,
    /// Wall-clock time of `analyze`, in microseconds.
    #[ts(type = "number")]
    pub micros: u64,
    /// The whole analysis: when no `base` was given, or the shell no longer holds it.
    #[ts(as = "Option<Analysis>")]
    pub analysis: Option<Arc<Analysis>>,
    /// What changed since `base`, when the shell holds it.
    pub delta: Option<AnalysisDelta>,
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

/// Analyses `model` and answers with what changed since the analysis numbered `base`, or with
/// the whole analysis when there is no such base (none given, or no longer kept).
pub fn run_update(state: &AppState, model: &Model, base: Option<u64>) -> CommandResult<AnalysisUpdate> {
    let report = run_analysis(state, model)?;
    let new = Arc::new(report.analysis);
    let old = base.and_then(|b| state.sent.lock().ok()?.get(b).map(|a| (b, a)));
    let change = old.and_then(|(b, old)| delta(b, &old, &new));
    let revision = state.sent.lock().map_err(|e| CommandError::internal(e.to_string()))?.keep(new.clone());
    let analysis = change.is_none().then_some(new);
    Ok(AnalysisUpdate { revision, micros: report.micros, analysis, delta: change })
}

/// Analyses the model with the built-in catalog, on the blocking thread pool.
#[tauri::command]
pub async fn analyze_model(app: AppHandle, model: Model, base: Option<u64>) -> CommandResult<AnalysisUpdate> {
    tauri::async_runtime::spawn_blocking(move || run_update(&app.state::<AppState>(), &model, base))
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
    fn the_next_analysis_is_sent_as_a_delta_from_the_one_the_ui_holds() {
        let state = AppState::new(None, None, None);
        let model = threatwright::import::templates::instantiate("aws-webhook-ingest").unwrap();
        let first = run_update(&state, &model, None).unwrap();
        assert!(first.delta.is_none(), "no base: the whole analysis");
        let whole = first.analysis.expect("the whole analysis");
        let next = run_update(&state, &model, Some(first.revision)).unwrap();
        assert!(next.analysis.is_none(), "the base is held: only the delta");
        let d = next.delta.expect("a delta");
        assert_eq!(d.base, first.revision);
        assert!(next.revision > first.revision);
        assert_eq!(crate::delta::apply(&whole, &d), *whole, "nothing changed");
        assert!(run_update(&state, &model, Some(999)).unwrap().analysis.is_some(), "an unknown base: the whole");
        // Only the last two sent are kept: the first is gone by now.
        assert!(run_update(&state, &model, Some(first.revision)).unwrap().analysis.is_some());
    }

    #[test]
    fn today_is_an_iso_date() {
        let t = today();
        assert_eq!(t.len(), 10, "{t}");
        assert!(t.starts_with("20"), "{t}");
        assert_eq!(&t[4..5], "-");
    }
}
