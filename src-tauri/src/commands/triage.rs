//! `triage_threat` and `triage_threats`: record triage decisions on threats of the model through
//! the core's one triage policy (`engine::triage::record`), so the app writes what the CLI and
//! the `.twm` project write. The UI owns undo: it commits the returned decisions as one edit (a
//! bulk triage of the register is one edit too), and it sends one request at a time, so
//! decisions typed in quick succession apply in order.

use tauri::AppHandle;
use threatwright::engine::triage::{self, TriageRequest};
use threatwright::engine::{analyze, Options};
use threatwright::Model;

use crate::commands::analysis::today;
use crate::error::{CommandError, CommandResult, ErrorCode};

/// `model` with the decision of `request` recorded (open with no note clears it).
pub fn record(catalog: &threatwright::rules::Catalog, model: Model, request: &TriageRequest) -> CommandResult<Model> {
    record_all(catalog, model, std::slice::from_ref(request))
}

/// `model` with the decisions of every request recorded, in order, each with its own owner,
/// note and date; all or nothing (the first request naming no current threat fails them all).
///
/// One analysis serves every request: recording a decision changes only `model.triage`, which
/// changes no threat's id, so the threats the requests name are the same after each.
pub fn record_all(
    catalog: &threatwright::rules::Catalog,
    mut model: Model,
    requests: &[TriageRequest],
) -> CommandResult<Model> {
    let analysis = analyze(&model, catalog, &Options { as_of: today(), ..Options::default() });
    for (i, request) in requests.iter().enumerate() {
        triage::record(&mut model, &analysis, request).map_err(|e| {
            let which =
                if requests.len() > 1 { format!("threat {} of {}: ", i + 1, requests.len()) } else { String::new() };
            CommandError::new(ErrorCode::TriageFailed, format!("{which}{e}"))
        })?;
    }
    Ok(model)
}

/// Records a triage decision, on the blocking thread pool (it analyses the model first).
#[tauri::command]
pub async fn triage_threat(app: AppHandle, model: Model, request: TriageRequest) -> CommandResult<Model> {
    super::with_catalog(app, move |catalog| record(catalog, model, &request)).await
}

/// Records several triage decisions at once (the register's bulk triage), on the blocking
/// thread pool; the UI commits the result as one undoable edit.
#[tauri::command]
pub async fn triage_threats(app: AppHandle, model: Model, requests: Vec<TriageRequest>) -> CommandResult<Model> {
    super::with_catalog(app, move |catalog| record_all(catalog, model, &requests)).await
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

    #[test]
    fn records_many_decisions_each_with_its_owner_or_none_when_one_is_unknown() {
        let catalog = threatwright::rules::builtin_catalog().unwrap();
        let model = threatwright::import::templates::instantiate("aws-sqs-sns-fanout").unwrap();
        let analysis = analyze(&model, &catalog, &Options::default());
        let ids: Vec<String> = analysis.threats.iter().take(3).map(|t| t.id.to_string()).collect();
        let mut requests: Vec<TriageRequest> =
            ids.iter().map(|id| request(id, TriageStatus::Accepted, "bulk: tracked in SEC-9")).collect();
        requests[2].owner = "bob".into();
        let recorded = record_all(&catalog, model.clone(), &requests).unwrap();
        let got: Vec<_> = recorded.triage.iter().map(|d| (d.threat.to_string(), d.status, d.owner.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (ids[0].clone(), TriageStatus::Accepted, "alice"),
                (ids[1].clone(), TriageStatus::Accepted, "alice"),
                (ids[2].clone(), TriageStatus::Accepted, "bob"),
            ]
        );
        assert!(recorded.triage.iter().all(|d| d.note == "bulk: tracked in SEC-9"));

        let reopened: Vec<TriageRequest> = ids.iter().map(|id| request(id, TriageStatus::Open, "")).collect();
        assert!(record_all(&catalog, recorded, &reopened).unwrap().triage.is_empty(), "open with no note clears each");

        requests.push(request("ffffffff-0000", TriageStatus::Accepted, ""));
        let err = record_all(&catalog, model, &requests).unwrap_err();
        assert_eq!(err.code, ErrorCode::TriageFailed);
        assert!(err.message.starts_with("threat 4 of 4: "), "{}", err.message);
    }
}
