//! `place_flow_labels`: where each flow's label sits on the canvas, from the core's
//! `layout::label_positions` (on the straight segment between the node centres, clear of nodes
//! and of the labels placed before it). The shell only forwards the model; the placement is the
//! core's, so the canvas and the PDF agree.

use threatwright::layout::{label_positions, LabelPosition};
use threatwright::Model;

use crate::error::CommandResult;

/// The label centre and box of every flow whose two ends are placed, in flow order.
#[tauri::command]
pub fn place_flow_labels(model: Model) -> CommandResult<Vec<LabelPosition>> {
    Ok(label_positions(&model))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The UI's browser test serves this template, its analysis and its label positions from
    /// `ui/tests/fixtures/views-aws-rest-api-cognito.json`, so the canvas views are tested on
    /// the core's real graph findings. Regenerated with the bindings (`scripts/gen-bindings.sh`).
    #[test]
    fn views_fixture_bindings_are_up_to_date() {
        const TEMPLATE: &str = "aws-rest-api-cognito";
        let state = crate::state::AppState::new(None, None, None);
        let catalog = state.catalog.as_ref().expect("the built-in catalog loads");
        let model = threatwright::import::templates::instantiate(TEMPLATE).unwrap();
        let options = threatwright::engine::Options { as_of: "2026-12-01".into(), ..Default::default() };
        let analysis = threatwright::engine::analyze(&model, catalog, &options);
        assert!(!analysis.graph.attack_paths.is_empty(), "the fixture needs an attack path");
        let fixture = serde_json::json!({
            "_source": format!("template {TEMPLATE}, analysed as of {}; regenerate with scripts/gen-bindings.sh", options.as_of),
            "model": model,
            "analysis": analysis,
            "labels": label_positions(&model),
        });
        let want = serde_json::to_string_pretty(&fixture).expect("the fixture serialises") + "\n";
        crate::bindings::check_ui_fixture(&format!("views-{TEMPLATE}.json"), &want);
    }

    #[test]
    fn every_flow_of_a_laid_out_template_gets_a_label() {
        let model = threatwright::import::templates::instantiate("aws-webhook-ingest").unwrap();
        let labels = place_flow_labels(model.clone()).unwrap();
        assert_eq!(labels.len(), model.flows.len());
        assert!(labels.iter().zip(&model.flows).all(|(l, f)| l.flow == f.id && l.width > 0));
    }
}
