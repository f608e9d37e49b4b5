//! Section 3: the ranked risk register, one row per rule and severity, then
//! every finding, one row per target.
//!
//! Must not: compute threats, scores or bands; it draws what `Analysis` carries.

use crate::engine::register_groups;
use crate::export::pdf::doc::{Cell, Col, Writer, INK, MUTED};
use crate::export::pdf::fonts::Style;
use crate::export::pdf::*;

pub(in crate::export::pdf) fn register(w: &mut Writer, r: &Report) {
    w.heading("3 Risk register", 1);
    let groups = register_groups(&r.analysis.threats);
    w.para(
        "One row per rule and severity: the findings of one rule are listed together with their targets. Ranked by the highest score, then confidence. Open counts findings not yet triaged; STRIDE by initial: Spoofing, Tampering, Repudiation, Information disclosure, Denial of service, Elevation of privilege. Section 3.1 lists every finding, one per target.",
        8.5,
        Style::Regular,
        MUTED,
        0.0,
    );
    w.gap(4.0);
    let cols = [
        Col { title: "#", width: 20.0, right: true },
        Col { title: "Rule", width: 60.0, right: false },
        Col { title: "Title", width: 150.0, right: false },
        Col { title: "Targets", width: 118.0, right: false },
        Col { title: "STRIDE", width: 38.0, right: false },
        Col { title: "Score", width: 32.0, right: true },
        Col { title: "Severity", width: 44.0, right: false },
        Col { title: "Open", width: 37.0, right: true },
    ];
    let rows: Vec<Vec<Cell>> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let t = g.top();
            let names = g.targets();
            let targets =
                if names.len() == 1 { names[0].to_string() } else { format!("{}: {}", names.len(), names.join(", ")) };
            vec![
                Cell::new((i + 1).to_string()),
                Cell::new(g.rule.to_string()).color(MUTED),
                Cell::new(t.title.clone()),
                Cell::new(targets),
                Cell::new(t.category.letter().to_string()),
                Cell::new(t.score.to_string()).bold(),
                Cell::new(title_case(g.severity.as_str())).bold().chip(severity_color(g.severity)),
                Cell::new(g.open().to_string()),
            ]
        })
        .collect();
    if rows.is_empty() {
        w.para("The analysis found no threats.", 9.5, Style::Regular, INK, 0.0);
        return;
    }
    w.table(&cols, &rows, 7.5);
    every_finding(w, r);
}

/// Section 3.1: every finding, one row per target.
fn every_finding(w: &mut Writer, r: &Report) {
    w.heading("3.1 Every finding", 2);
    w.para("ID is the start of the stable threat id; L likelihood, I impact (1–5).", 8.5, Style::Regular, MUTED, 0.0);
    w.gap(4.0);
    // ID (eight digits at their widest), STRIDE and Score fit their text and header on one line.
    let cols = [
        Col { title: "#", width: 20.0, right: true },
        Col { title: "ID", width: 48.0, right: false },
        Col { title: "Title", width: 150.0, right: false },
        Col { title: "Target", width: 91.0, right: false },
        Col { title: "STRIDE", width: 38.0, right: false },
        Col { title: "L", width: 14.0, right: true },
        Col { title: "I", width: 14.0, right: true },
        Col { title: "Score", width: 32.0, right: true },
        Col { title: "Severity", width: 44.0, right: false },
        Col { title: "Status", width: 48.0, right: false },
    ];
    let rows: Vec<Vec<Cell>> = r
        .analysis
        .threats
        .iter()
        .enumerate()
        .map(|(i, t)| {
            vec![
                Cell::new((i + 1).to_string()),
                Cell::new(short(&t.id)).color(MUTED),
                Cell::new(t.title.clone()),
                Cell::new(t.target.name.clone()),
                Cell::new(t.category.letter().to_string()),
                Cell::new(t.likelihood.to_string()),
                Cell::new(t.impact.to_string()),
                Cell::new(t.score.to_string()).bold(),
                Cell::new(title_case(t.severity.as_str())).bold().chip(severity_color(t.severity)),
                Cell::new(title_case(&r.status(t))),
            ]
        })
        .collect();
    w.table(&cols, &rows, 7.5);
}
