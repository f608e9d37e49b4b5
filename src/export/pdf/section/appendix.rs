//! Appendices B and C: the model's elements, flows, boundaries and data
//! assets, and the triage decisions resolved by design.
//!
//! Must not: compute threats, scores or bands; it draws what `Analysis` carries.

use crate::export::pdf::doc::{Cell, Col, Writer, INK, MUTED};
use crate::export::pdf::fonts::Style;
use crate::export::pdf::*;

pub(in crate::export::pdf) fn elements(w: &mut Writer, r: &Report) {
    let m = r.model;
    w.heading("B Elements and properties", 1);
    let boundary_name = |id: Option<crate::model::BoundaryId>| {
        id.and_then(|b| m.boundary(b)).map(|b| b.name.clone()).unwrap_or_else(|| "—".into())
    };
    let asset_names = |ids: &[crate::model::AssetId]| -> String {
        let names: Vec<String> = ids.iter().filter_map(|a| m.asset(*a)).map(|a| a.name.clone()).collect();
        if names.is_empty() {
            "—".into()
        } else {
            names.join(", ")
        }
    };
    let props = |p: &crate::model::Properties| -> String {
        if p.is_empty() {
            return "—".into();
        }
        p.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; ")
    };
    let mut count: HashMap<uuid::Uuid, usize> = HashMap::new();
    for t in &r.analysis.threats {
        *count.entry(t.target.id).or_default() += 1;
    }
    let rows: Vec<Vec<Cell>> = m
        .elements
        .iter()
        .map(|e| {
            let mut p = props(&e.properties);
            if !e.mitigations.is_empty() {
                p.push_str(&format!("; controls in place: {}", e.mitigations.join(", ")));
            }
            vec![
                Cell::new(e.name.clone()).bold(),
                Cell::new(format!("{}\n{}", e.kind.as_str(), e.vendor_type)),
                Cell::new(boundary_name(e.boundary)),
                Cell::new(asset_names(&e.assets)),
                Cell::new(p),
                Cell::new(count.get(&e.id.0).copied().unwrap_or(0).to_string()),
            ]
        })
        .collect();
    let cols = [
        Col { title: "Element", width: 110.0, right: false },
        Col { title: "Kind / type", width: 66.0, right: false },
        Col { title: "Boundary", width: 66.0, right: false },
        Col { title: "Data", width: 76.0, right: false },
        Col { title: "Properties", width: 160.0, right: false },
        Col { title: "Threats", width: 36.0, right: true },
    ];
    w.heading("Elements", 3);
    w.table(&cols, &rows, 7.5);

    let name =
        |id: crate::model::ElementId| m.element(id).map(|e| e.name.clone()).unwrap_or_else(|| "(missing)".into());
    let rows: Vec<Vec<Cell>> = m
        .flows
        .iter()
        .map(|f| {
            vec![
                Cell::new(format!("{} → {}", name(f.from), name(f.to))).bold(),
                Cell::new(if f.label.is_empty() { "—".to_string() } else { f.label.clone() }),
                Cell::new(asset_names(&f.assets)),
                Cell::new(props(&f.properties)),
                Cell::new(count.get(&f.id.0).copied().unwrap_or(0).to_string()),
            ]
        })
        .collect();
    let cols = [
        Col { title: "Flow", width: 140.0, right: false },
        Col { title: "Label", width: 70.0, right: false },
        Col { title: "Data", width: 80.0, right: false },
        Col { title: "Properties", width: 178.0, right: false },
        Col { title: "Threats", width: 36.0, right: true },
    ];
    w.heading("Data flows", 3);
    if rows.is_empty() {
        w.para("The model has no data flows.", 9.0, Style::Regular, INK, 0.0);
    } else {
        w.table(&cols, &rows, 7.5);
    }

    let rows: Vec<Vec<Cell>> = m
        .boundaries
        .iter()
        .map(|b| {
            vec![
                Cell::new(b.name.clone()).bold(),
                Cell::new(b.kind.as_str()),
                Cell::new(boundary_name(b.parent)),
                Cell::new(if b.description.is_empty() { "—".to_string() } else { b.description.clone() }),
            ]
        })
        .collect();
    if !rows.is_empty() {
        let cols = [
            Col { title: "Trust boundary", width: 120.0, right: false },
            Col { title: "Kind", width: 60.0, right: false },
            Col { title: "Inside", width: 100.0, right: false },
            Col { title: "Description", width: 220.0, right: false },
        ];
        w.heading("Trust boundaries", 3);
        w.table(&cols, &rows, 7.5);
    }
    let rows: Vec<Vec<Cell>> = m
        .assets
        .iter()
        .map(|a| {
            vec![
                Cell::new(a.name.clone()).bold(),
                Cell::new(a.classification.as_str()),
                Cell::new(if a.tags.is_empty() { "—".to_string() } else { a.tags.join(", ") }),
                Cell::new(if a.description.is_empty() { "—".to_string() } else { a.description.clone() }),
            ]
        })
        .collect();
    if !rows.is_empty() {
        let cols = [
            Col { title: "Data asset", width: 120.0, right: false },
            Col { title: "Classification", width: 70.0, right: false },
            Col { title: "Tags", width: 80.0, right: false },
            Col { title: "Description", width: 230.0, right: false },
        ];
        w.heading("Data assets", 3);
        w.table(&cols, &rows, 7.5);
    }
}

/// An appendix's heading and the muted line that says what it holds.
fn intro(w: &mut Writer, title: &str, text: &str) {
    w.heading(title, 1);
    w.para(text, 8.5, Style::Regular, MUTED, 0.0);
    w.gap(4.0);
}

pub(in crate::export::pdf) fn resolved(w: &mut Writer, r: &Report) {
    if r.analysis.resolved.is_empty() {
        return;
    }
    intro(
        w,
        "C Resolved decisions",
        "Triage decisions recorded in the model whose threat no longer fires: the design changed so that the rule no longer applies. Kept for the audit trail.",
    );
    let rows: Vec<Vec<Cell>> = r
        .analysis
        .resolved
        .iter()
        .map(|d| {
            vec![
                Cell::new(short(&d.threat)).color(MUTED),
                Cell::new(d.rule.clone()),
                Cell::new(d.target.clone()),
                Cell::new(title_case(d.decided.as_str())),
                Cell::new(
                    [d.owner.as_str(), d.date.as_str()]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Cell::new(d.note.clone()),
            ]
        })
        .collect();
    let cols = [
        Col { title: "ID", width: 46.0, right: false },
        Col { title: "Rule", width: 56.0, right: false },
        Col { title: "Target", width: 100.0, right: false },
        Col { title: "Decided", width: 56.0, right: false },
        Col { title: "Owner, date", width: 80.0, right: false },
        Col { title: "Note", width: 160.0, right: false },
    ];
    w.table(&cols, &rows, 7.5);
}

/// Appendix D: the guided sessions' log, one row per answered question.
pub(in crate::export::pdf) fn session_log(w: &mut Writer, r: &Report) {
    if r.model.session.is_empty() {
        return;
    }
    intro(
        w,
        "D Guided session log",
        "Questions the team answered in guided sessions to settle what the analysis had to assume, with who answered, when, and the threats each answer resolved or raised.",
    );
    let rows: Vec<Vec<Cell>> = r
        .model
        .session
        .iter()
        .map(|e| {
            let mut effect: Vec<String> = Vec::new();
            if !e.resolved.is_empty() {
                effect.push(format!("Resolved: {}", e.resolved.join("; ")));
            }
            if !e.raised.is_empty() {
                effect.push(format!("Raised: {}", e.raised.join("; ")));
            }
            if effect.is_empty() {
                effect.push("No threat changed".into());
            }
            if !e.note.is_empty() {
                effect.push(format!("Note: {}", e.note));
            }
            vec![
                Cell::new(format!("{}\n{}", e.at, e.who)),
                Cell::new(e.subject.clone()),
                Cell::new(e.question.clone()),
                Cell::new(e.answer.clone()),
                Cell::new(effect.join("\n")),
            ]
        })
        .collect();
    let cols = [
        Col { title: "When, who", width: 70.0, right: false },
        Col { title: "Element or flow", width: 86.0, right: false },
        Col { title: "Question", width: 150.0, right: false },
        Col { title: "Answer", width: 52.0, right: false },
        Col { title: "Effect", width: 140.0, right: false },
    ];
    w.table(&cols, &rows, 7.5);
}
