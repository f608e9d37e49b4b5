//! Section 1's attack-path pages: one landscape page per critical attack
//! path the engine found (when none is critical, the high ones, at most
//! five), drawing only the path's steps from the entry point to the store,
//! and listing the open threats on the path by score.
//!
//! Must not: find paths or compute threats, scores or severities; it draws
//! `Analysis.graph.attack_paths` and `Analysis.threats`.

use crate::engine::AttackPath;
use crate::export::pdf::doc::{self, Cell, Col, Writer, ACCENT, INK, MARGIN, MUTED};
use crate::export::pdf::fonts::Style;
use crate::export::pdf::*;

/// At most this many critical paths get a page; the rest are counted.
const MAX_CRITICAL: usize = 20;
/// At most this many high paths get a page when none is critical.
const MAX_HIGH: usize = 5;
/// Threats listed under a path before "and N more".
const MAX_THREATS: usize = 12;

/// The paths that get a page: the critical ones, else the high ones; and
/// how many more of that severity were left out.
fn chosen<'a>(r: &Report<'a>) -> (Vec<&'a AttackPath>, usize) {
    let paths = &r.analysis.graph.attack_paths;
    let of = |sev: Severity| paths.iter().filter(move |p| p.severity == Some(sev)).collect::<Vec<_>>();
    let (mut picked, max) = match of(Severity::Critical) {
        c if !c.is_empty() => (c, MAX_CRITICAL),
        _ => (of(Severity::High), MAX_HIGH),
    };
    let more = picked.len().saturating_sub(max);
    picked.truncate(max);
    (picked, more)
}

fn name_of(r: &Report, id: &uuid::Uuid) -> String {
    r.model.elements.iter().find(|e| e.id.0 == *id).map(|e| e.name.clone()).unwrap_or_else(|| short(id))
}

pub(in crate::export::pdf) fn attack_paths(w: &mut Writer, r: &Report) {
    let (paths, more) = chosen(r);
    let total = paths.len();
    for (i, p) in paths.into_iter().enumerate() {
        w.new_page(true);
        let title = format!("Attack path: {} → {}", name_of(r, &p.entry), name_of(r, &p.target));
        w.sections.push(doc::Section { title: title.clone(), level: 2, page: w.pages.len() - 1 });
        let fonts = w.fonts;
        let width = w.width();
        for line in fonts.wrap(&title, Style::Bold, 14.0, width) {
            let y = w.y + 14.0;
            w.page().text(MARGIN, y, 14.0, Style::Bold, ACCENT, &line);
            w.y += 19.0;
        }
        let sev = p.severity.map(|s| title_case(s.as_str())).unwrap_or_else(|| "None".into());
        let mut caption = format!(
            "{sev}: the highest open residual severity on the target. {} elements from the entry point to the data store; path {} of {total}.",
            p.elements.len(),
            i + 1
        );
        if more > 0 && i + 1 == total {
            caption.push_str(&format!(" {more} more paths of this severity are not drawn."));
        }
        w.para(&caption, 8.5, Style::Regular, MUTED, 0.0);
        w.gap(8.0);
        // The drawing takes at most 55% of the room; the threat list what
        // is left, so each path stays on its page.
        let height = w.room() * 0.55;
        let y0 = w.y;
        diagram::draw_path_in(w, r, &p.elements, &p.flows, height);
        w.y = w.y.max(y0) + 12.0;
        threat_list(w, r, p);
    }
}

/// The open threats on the path's elements and flows, highest score first.
fn open_threats<'a>(r: &'a Report, p: &AttackPath) -> Vec<&'a crate::engine::Threat> {
    let mut out: Vec<&crate::engine::Threat> = r
        .analysis
        .threats
        .iter()
        .filter(|t| r.is_open(t) && (p.elements.contains(&t.target.id) || p.flows.contains(&t.target.id)))
        .collect();
    // Stable: equal scores keep the register's order.
    out.sort_by_key(|t| std::cmp::Reverse(t.score));
    out
}

fn threat_list(w: &mut Writer, r: &Report, p: &AttackPath) {
    let threats = open_threats(r, p);
    w.heading(&format!("Open threats on the path ({})", threats.len()), 3);
    if threats.is_empty() {
        w.para("No open threats on the path's elements and flows.", 9.0, Style::Regular, INK, 0.0);
        return;
    }
    // Rows of about 16.5 pt below the heading and the table header, and a
    // line for "and N more".
    let fit = ((w.room() - 60.0) / 16.5).floor().max(1.0) as usize;
    let shown = fit.min(MAX_THREATS).min(threats.len());
    let rows: Vec<Vec<Cell>> = threats
        .iter()
        .take(shown)
        .map(|t| {
            vec![
                Cell::new(t.score.to_string()).bold(),
                Cell::new(title_case(t.severity.as_str())).bold().chip(severity_color(t.severity)),
                Cell::new(t.title.clone()),
                Cell::new(t.target.name.clone()),
            ]
        })
        .collect();
    let cols = [
        Col { title: "Score", width: 34.0, right: true },
        Col { title: "Severity", width: 56.0, right: false },
        Col { title: "Threat", width: 300.0, right: false },
        Col { title: "On", width: 150.0, right: false },
    ];
    w.table(&cols, &rows, 8.0);
    if threats.len() > shown {
        let more = threats.len() - shown;
        w.para(&format!("… and {more} more in the risk register."), 8.0, Style::Regular, MUTED, 0.0);
    }
}
