//! Section 5: the mitigation plan, drawn from `Analysis.mitigation_plan`
//! (groups by practice and the risk each removes).
//!
//! Must not: compute threats, scores or bands; it draws what `Analysis` carries.

use crate::export::pdf::doc::{Cell, Col, Writer, INK, MUTED};
use crate::export::pdf::fonts::Style;
use crate::export::pdf::*;

pub(in crate::export::pdf) fn mitigation_plan(w: &mut Writer, r: &Report) {
    w.heading("5 Mitigation plan", 1);
    w.para(
        "Mitigations grouped by the practice they come from, ordered by the risk they remove: the sum of the scores of the open threats they address. Within a practice, actions are ordered the same way.",
        8.5,
        Style::Regular,
        MUTED,
        0.0,
    );
    w.gap(4.0);
    let plan = &r.analysis.mitigation_plan;
    if plan.is_empty() {
        w.para("No open threat needs a mitigation.", 9.5, Style::Regular, INK, 0.0);
        return;
    }
    // Overview.
    let overview: Vec<Vec<Cell>> = plan
        .iter()
        .enumerate()
        .map(|(i, g)| {
            vec![
                Cell::new((i + 1).to_string()),
                Cell::new(g.title.clone()).bold(),
                Cell::new(g.open_threats.to_string()),
                Cell::new(g.actions.len().to_string()),
                Cell::new(g.risk_removed.to_string()).bold(),
            ]
        })
        .collect();
    let cols = [
        Col { title: "#", width: 20.0, right: true },
        Col { title: "Practice", width: 250.0, right: false },
        Col { title: "Open threats", width: 64.0, right: true },
        Col { title: "Actions", width: 50.0, right: true },
        Col { title: "Risk removed", width: 70.0, right: true },
    ];
    w.table(&cols, &overview, 8.5);
    for (i, g) in plan.iter().enumerate() {
        w.heading(
            &format!("5.{} {} — risk {} across {} open threats", i + 1, g.title, g.risk_removed, g.open_threats),
            3,
        );
        if let Some(guide) = &g.guide {
            w.para(&format!("Practice guide: {guide}"), 8.5, Style::Regular, MUTED, 0.0);
            w.gap(3.0);
        }
        let rows: Vec<Vec<Cell>> = g
            .actions
            .iter()
            .map(|a| {
                let shown = a.targets.len().min(6);
                let mut t = a.targets[..shown].join(", ");
                if a.targets.len() > shown {
                    t.push_str(&format!(" and {} more", a.targets.len() - shown));
                }
                vec![
                    Cell::new(a.text.clone()),
                    Cell::new(a.threats.len().to_string()),
                    Cell::new(a.risk_removed.to_string()).bold(),
                    Cell::new(t),
                ]
            })
            .collect();
        let cols = [
            Col { title: "Action", width: 230.0, right: false },
            Col { title: "Threats", width: 40.0, right: true },
            Col { title: "Risk", width: 34.0, right: true },
            Col { title: "Where", width: 150.0, right: false },
        ];
        w.table(&cols, &rows, 8.0);
    }
}
