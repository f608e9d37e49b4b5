//! Section 2: the likelihood × impact heat map, drawn from
//! `Analysis.heat_map` (cell scores and bands follow the model's `risk:`),
//! and the threats by STRIDE category.
//!
//! Must not: compute threats, scores or bands; it draws what `Analysis` carries.

use crate::export::pdf::doc::{Cell, Col, Writer, INK, MARGIN, MUTED, WHITE};
use crate::export::pdf::fonts::Style;
use crate::export::pdf::*;

pub(in crate::export::pdf) fn heat_map(w: &mut Writer, r: &Report) {
    let fonts = w.fonts;
    w.heading("2 Risk heat map", 1);
    w.para(
        &format!(
            "All {} threats by likelihood and impact (1–5 each); the score is {}. Colours are the severity bands: {}.",
            r.analysis.threats.len(),
            if r.model.risk.matrix.is_some() { "the model's risk matrix entry" } else { "their product" },
            Severity::ALL
                .into_iter()
                .map(|sev| format!("{} {}", sev.as_str(), band_range(r, sev)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        9.0,
        Style::Regular,
        INK,
        0.0,
    );
    w.gap(16.0);
    let cell = 62.0;
    let gx = MARGIN + 48.0;
    let gy = w.y + 14.0;
    let page = w.page();
    page.text(gx - 48.0, gy - 6.0, 8.5, Style::Bold, INK, "Impact ↓");
    for row in 0..5 {
        let impact = 5 - row;
        let y = gy + row as f32 * cell;
        let label = impact.to_string();
        page.text(gx - 16.0, y + cell / 2.0 + 4.0, 10.0, Style::Bold, MUTED, &label);
        for col in 0..5 {
            let likelihood = col + 1;
            let x = gx + col as f32 * cell;
            let c = r.analysis.heat_map.cell(likelihood as u8, impact as u8);
            let (score, sev, n) = (c.score, c.severity, c.count);
            let fill = if n > 0 { severity_color(sev) } else { pale(severity_color(sev), 0.82) };
            page.rect(x, y, cell, cell, Some(fill), Some(WHITE), 1.5);
            page.text(
                x + 4.0,
                y + 10.0,
                6.5,
                Style::Regular,
                if n > 0 { pale(fill, 0.6) } else { MUTED },
                &format!("{likelihood}×{impact}={score}"),
            );
            if n > 0 {
                let text = n.to_string();
                let tw = fonts.width(&text, Style::Bold, 18.0);
                page.text(x + (cell - tw) / 2.0, y + cell / 2.0 + 9.0, 18.0, Style::Bold, WHITE, &text);
            }
        }
    }
    let by = gy + 5.0 * cell;
    for col in 0..5 {
        let label = (col + 1).to_string();
        page.text(gx + col as f32 * cell + cell / 2.0 - 3.0, by + 14.0, 10.0, Style::Bold, MUTED, &label);
    }
    page.text(gx + 2.5 * cell - 30.0, by + 30.0, 8.5, Style::Bold, INK, "Likelihood →");
    // Legend at the right.
    let lx = gx + 5.0 * cell + 28.0;
    let mut ly = gy + 4.0;
    page.text(lx, ly + 8.0, 9.5, Style::Bold, INK, "Severity bands");
    ly += 20.0;
    for sev in Severity::ALL.into_iter().rev() {
        let n = r.analysis.summary.by_severity.get(sev.as_str()).copied().unwrap_or(0);
        page.rect(lx, ly, 12.0, 12.0, Some(severity_color(sev)), None, 0.0);
        page.text(lx + 18.0, ly + 9.5, 9.0, Style::Regular, INK, &format!("{} — {n}", title_case(sev.as_str())));
        ly += 19.0;
    }
    w.y = by + 50.0;

    // By STRIDE and by status.
    w.heading("Threats by STRIDE category", 3);
    let rows: Vec<Vec<Cell>> = Stride::ALL
        .iter()
        .map(|s| {
            let ts: Vec<&Threat> = r.analysis.threats.iter().filter(|t| t.category == *s).collect();
            let count = |sev: Severity| ts.iter().filter(|t| t.severity == sev).count().to_string();
            vec![
                Cell::new(format!("{} ({})", s.as_str(), s.letter())),
                Cell::new(ts.len().to_string()).bold(),
                Cell::new(count(Severity::Critical)),
                Cell::new(count(Severity::High)),
                Cell::new(count(Severity::Medium)),
                Cell::new(count(Severity::Low)),
                Cell::new(ts.iter().filter(|t| r.is_open(t)).count().to_string()),
            ]
        })
        .collect();
    let cols = [
        Col { title: "Category", width: 160.0, right: false },
        Col { title: "Threats", width: 50.0, right: true },
        Col { title: "Critical", width: 50.0, right: true },
        Col { title: "High", width: 50.0, right: true },
        Col { title: "Medium", width: 50.0, right: true },
        Col { title: "Low", width: 50.0, right: true },
        Col { title: "Open", width: 50.0, right: true },
    ];
    w.table(&cols, &rows, 8.5);
}
