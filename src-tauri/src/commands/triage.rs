//! `triage_threat`: records a triage decision on a threat of the model through the core's one
//! triage policy (`engine::triage::record`), so the app writes what the CLI and the `.twm`
//! project write. The UI owns undo: it commits the returned decisions as one edit, and it sends
//! one request at a time, so decisions typed in quick succession apply in order.

use tauri::{AppHandle, Manager};
use threatwright::engine::triage::{self, TriageRequest};
use threatwright::engine::{analyze, Options};
use threatwright::Model;

use crate::commands::analysis::today;
use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::state::AppState;

/// `model` with the decision of `request` recorded (open with no note clears it).
pub fn record(
    catalog: &threatwright::rules::Catalog,
    mut model: Model,
    request: &TriageRequest,
) -> CommandResult<Model> {
    let analysis = analyze(&model, catalog, &Options { as_of: today(), ..Options::default() });
    triage::record(&mut model, &analysis, request)
        .map_err(|e| CommandError::new(ErrorCode::TriageFailed, e.to_string()))?;
    Ok(model)
}

/// Records a triage decision, on the blocking thread pool (it analyses the model first).
#[tauri::command]
pub async fn triage_threat(app: AppHandle, model: Model, request: TriageRequest) -> CommandResult<Model> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let catalog = state.catalog.as_ref().map_err(|e| CommandError::new(ErrorCode::CatalogInvalid, e.clone()))?;
        record(catalog, model, &request)
    })
    .await
    .map_err(|e| CommandError::internal(e.to_string()))?
}

#[cfg(test)]
mod tests {
    use super::*;
    use threatwright::model::TriageStatus;

    fn request(threat: &str, status: TriageStatus, note: &str) -> TriageRequest {
        TriageRequest {
            threat: threat.into(),
            status,
            note: note.into(),
            owner: "alice".into(),
            date: "2026-11-29".into(),
        }
    }

    #[test]
    fn records_replaces_and_clears_a_decision_by_the_core_policy() {
        let catalog = threatwright::rules::builtin_catalog().unwrap();
        let model = threatwright::import::templates::instantiate("aws-webhook-ingest").unwrap();
        let analysis = analyze(&model, &catalog, &Options::default());
        let threat = &analysis.threats[0];
        let id = threat.id.to_string();
        let accepted = record(&catalog, model.clone(), &request(&id, TriageStatus::Accepted, "WAF")).unwrap();
        assert_eq!(accepted.triage.len(), 1);
        let d = &accepted.triage[0];
        assert_eq!((d.status, d.note.as_str(), d.owner.as_str()), (TriageStatus::Accepted, "WAF", "alice"));
        assert_eq!(d.target, threat.target.name, "the decision names the target like the CLI");
        let noted = record(&catalog, accepted, &request(&id[..8], TriageStatus::Open, "look at it")).unwrap();
        assert_eq!(noted.triage.len(), 1, "a prefix names the same threat; open with a note is kept");
        let cleared = record(&catalog, noted, &request(&id, TriageStatus::Open, " ")).unwrap();
        assert!(cleared.triage.is_empty(), "open with no note clears the decision");
    }

    #[test]
    fn an_unknown_threat_is_a_triage_error() {
        let catalog = threatwright::rules::builtin_catalog().unwrap();
        let model = threatwright::import::templates::instantiate("aws-webhook-ingest").unwrap();
        let err = record(&catalog, model, &request("ffffffff-0000", TriageStatus::Accepted, "")).unwrap_err();
        assert_eq!(err.code, ErrorCode::TriageFailed);
    }
}
