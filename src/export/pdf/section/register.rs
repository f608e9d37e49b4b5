//! Section 3: the ranked risk register, one row per threat.
//!
//! Must not: compute threats, scores or bands; it draws what `Analysis` carries.

use crate::export::pdf::doc::{Cell, Col, Writer, INK, MUTED};
use crate::export::pdf::fonts::Style;
use crate::export::pdf::*;

pub(in crate::export::pdf) fn register(w: &mut Writer, r: &Report) {
    w.heading("3 Risk register", 1);
    w.para(
        "Ranked by score, then confidence. ID is the start of the stable threat id; L likelihood, I impact (1–5); STRIDE by initial: Spoofing, Tampering, Repudiation, Information disclosure, Denial of service, Elevation of privilege.",
        8.5,
        Style::Regular,
        MUTED,
        0.0,
    );
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
    if rows.is_empty() {
        w.para("The analysis found no threats.", 9.5, Style::Regular, INK, 0.0);
    } else {
        w.table(&cols, &rows, 7.5);
    }
}
