//! Appendix A: the compliance mapping, drawn from `Analysis.compliance`.
//!
//! Must not: compute threats, scores or bands; it draws what `Analysis` carries.

use crate::export::pdf::doc::{Cell, Col, Writer, INK, MUTED};
use crate::export::pdf::fonts::Style;
use crate::export::pdf::*;

pub(in crate::export::pdf) fn compliance(w: &mut Writer, r: &Report) {
    w.heading("A Compliance mapping", 1);
    w.para(
        "Threats that touch a control area of each framework, by the rule's mapping or the data they concern. The mapping shows where a finding matters to an audit; it is not a statement of compliance.",
        8.5,
        Style::Regular,
        MUTED,
        0.0,
    );
    w.gap(4.0);
    let rank: HashMap<uuid::Uuid, usize> = r.analysis.threats.iter().enumerate().map(|(i, t)| (t.id, i + 1)).collect();
    let views: Vec<&crate::engine::ComplianceView> = FRAMEWORKS
        .iter()
        .filter_map(|(k, _)| r.analysis.compliance.iter().find(|v| v.framework == *k))
        .chain(r.analysis.compliance.iter().filter(|v| !FRAMEWORKS.iter().any(|(k, _)| *k == v.framework)))
        .collect();
    let rows: Vec<Vec<Cell>> = views
        .iter()
        .map(|v| {
            let crit_high =
                v.threats.iter().filter(|t| t.status == TriageStatus::Open && t.severity >= Severity::High).count();
            vec![
                Cell::new(v.title.clone()).bold(),
                Cell::new(v.threats.len().to_string()),
                Cell::new(v.open.to_string()),
                Cell::new(crit_high.to_string()).bold(),
            ]
        })
        .collect();
    let cols = [
        Col { title: "Framework", width: 200.0, right: false },
        Col { title: "Threats", width: 70.0, right: true },
        Col { title: "Open", width: 70.0, right: true },
        Col { title: "Open high or critical", width: 110.0, right: true },
    ];
    w.table(&cols, &rows, 8.5);
    for (n, v) in views.iter().enumerate() {
        w.heading(&format!("A.{} {}", n + 1, v.title), 2);
        if v.threats.is_empty() {
            w.para(&format!("No threat of this assessment touches {}.", v.title), 9.0, Style::Regular, INK, 0.0);
            continue;
        }
        let rows: Vec<Vec<Cell>> = v
            .threats
            .iter()
            .map(|t| {
                vec![
                    Cell::new(rank.get(&t.id).map(|n| n.to_string()).unwrap_or_default()),
                    Cell::new(t.title.clone()),
                    Cell::new(t.target.clone()),
                    Cell::new(t.reason.clone()),
                    Cell::new(title_case(t.severity.as_str())).bold().chip(severity_color(t.severity)),
                    Cell::new(title_case(t.status.as_str())),
                ]
            })
            .collect();
        let cols = [
            Col { title: "#", width: 22.0, right: true },
            Col { title: "Threat", width: 160.0, right: false },
            Col { title: "Target", width: 96.0, right: false },
            Col { title: "Why", width: 100.0, right: false },
            Col { title: "Severity", width: 46.0, right: false },
            Col { title: "Status", width: 56.0, right: false },
        ];
        w.table(&cols, &rows, 7.5);
    }
}
