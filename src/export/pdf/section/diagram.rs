//! Section 1: the data-flow diagram (drawn by `pdf::diagram`) and the
//! elements with the most threats.
//!
//! Must not: compute threats, scores or bands; it draws what `Analysis` carries.

use crate::export::pdf::doc::{self, Cell, Col, Writer, ACCENT, MARGIN, MUTED};
use crate::export::pdf::fonts::Style;
use crate::export::pdf::*;

pub(in crate::export::pdf) fn diagram_section(w: &mut Writer, r: &Report) {
    let plan = diagram::plan(r.model);
    let landscape = match &plan {
        diagram::Plan::Single { landscape } | diagram::Plan::Split { landscape, .. } => *landscape,
    };
    w.new_page(landscape);
    w.sections.push(doc::Section { title: "1 Data-flow diagram".into(), level: 1, page: w.pages.len() - 1 });
    let y = w.y + 18.0;
    w.page().text(MARGIN, y, 18.0, Style::Bold, ACCENT, "1 Data-flow diagram");
    w.y += 26.0;
    let caption = if r.model.elements.iter().any(|e| e.position.is_none()) {
        "Elements without a saved position are placed by the automatic layout."
    } else {
        "As drawn in the model."
    };
    let tiling = match &plan {
        diagram::Plan::Split { parts, .. } => format!(
            " Too large for one readable page: this overview shows the whole diagram, and the {} numbered parts on the next pages show it at a readable size.",
            parts.len()
        ),
        diagram::Plan::Single { .. } => String::new(),
    };
    w.para(
        &format!(
            "{} elements, {} flows, {} trust boundaries. {caption}{tiling}",
            r.model.elements.len(),
            r.model.flows.len(),
            r.model.boundaries.len()
        ),
        8.5,
        Style::Regular,
        MUTED,
        0.0,
    );
    w.gap(6.0);
    match plan {
        diagram::Plan::Single { .. } => diagram::draw(w, r),
        diagram::Plan::Split { parts, .. } => {
            diagram::draw_overview(w, r, &parts);
            for part in &parts {
                w.new_page(part.landscape);
                let y = w.y + 12.0;
                w.page().text(MARGIN, y, 12.0, Style::Bold, ACCENT, &part.title);
                w.y += 20.0;
                diagram::draw_part(w, r, part);
            }
        }
    }
    // Where the threats concentrate, in the room the diagram leaves.
    let mut per: BTreeMap<uuid::Uuid, (usize, usize, Severity)> = BTreeMap::new();
    for t in &r.analysis.threats {
        let e = per.entry(t.target.id).or_insert((0, 0, Severity::Low));
        e.0 += 1;
        e.1 += usize::from(r.is_open(t));
        e.2 = e.2.max(t.severity);
    }
    let mut rows: Vec<(&str, &str, (usize, usize, Severity))> = r
        .model
        .elements
        .iter()
        .filter_map(|e| per.get(&e.id.0).map(|c| (e.name.as_str(), e.kind.as_str(), *c)))
        .collect();
    rows.sort_by(|a, b| b.2 .2.cmp(&a.2 .2).then(b.2 .0.cmp(&a.2 .0)).then(a.0.cmp(b.0)));
    let fit = ((w.room() - 60.0) / 15.0).floor().max(0.0) as usize;
    if fit >= 3 && !rows.is_empty() {
        let shown = rows.len().min(fit).min(12);
        w.heading(&format!("Elements with the most threats ({shown} of {})", rows.len()), 3);
        let cells: Vec<Vec<Cell>> = rows[..shown]
            .iter()
            .map(|(name, kind, (n, open, sev))| {
                vec![
                    Cell::new(*name).bold(),
                    Cell::new(*kind),
                    Cell::new(n.to_string()),
                    Cell::new(open.to_string()),
                    Cell::new(title_case(sev.as_str())).bold().chip(severity_color(*sev)),
                ]
            })
            .collect();
        let cols = [
            Col { title: "Element", width: 220.0, right: false },
            Col { title: "Kind", width: 80.0, right: false },
            Col { title: "Threats", width: 60.0, right: true },
            Col { title: "Open", width: 60.0, right: true },
            Col { title: "Highest severity", width: 90.0, right: false },
        ];
        w.table(&cols, &cells, 8.0);
    }
}
