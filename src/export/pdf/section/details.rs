//! Section 4: one block per threat: target, classification, rationale,
//! score and its explanation, mitigations, references and triage.
//!
//! Must not: compute threats, scores or bands; it draws what `Analysis` carries.

use crate::export::pdf::doc::{Writer, BAND, INK, MARGIN, WHITE};
use crate::export::pdf::fonts::Style;
use crate::export::pdf::*;

pub(in crate::export::pdf) fn details(w: &mut Writer, r: &Report) {
    let fonts = w.fonts;
    w.heading("4 Threat details", 1);
    if r.analysis.threats.is_empty() {
        w.para("The analysis found no threats.", 9.5, Style::Regular, INK, 0.0);
    }
    let label_w = 78.0;
    for (i, t) in r.analysis.threats.iter().enumerate() {
        let tw = w.width();
        let chip = format!("{} · {}", title_case(t.severity.as_str()), t.score);
        let cw = fonts.width(&chip, Style::Bold, 8.0) + 10.0;
        let title = format!("{}. {}", i + 1, t.title);
        let lines = fonts.wrap(&title, Style::Bold, 10.5, tw - cw - 16.0);
        w.ensure(lines.len() as f32 * 14.0 + 70.0);
        w.gap(4.0);
        let y = w.y;
        let head_h = lines.len() as f32 * 14.0 + 8.0;
        w.page().rect(MARGIN, y, tw, head_h, Some(BAND), None, 0.0);
        w.page().rect(MARGIN, y, 3.0, head_h, Some(severity_color(t.severity)), None, 0.0);
        for (li, line) in lines.iter().enumerate() {
            w.page().text(MARGIN + 9.0, y + 14.0 + li as f32 * 14.0, 10.5, Style::Bold, INK, line);
        }
        w.page().round_rect(
            MARGIN + tw - cw - 4.0,
            y + 5.0,
            cw,
            12.0,
            3.0,
            Some(severity_color(t.severity)),
            None,
            0.0,
            false,
        );
        w.page().text(MARGIN + tw - cw + 1.0, y + 14.0, 8.0, Style::Bold, WHITE, &chip);
        w.y += head_h + 5.0;
        let target = if t.target.vendor_type.is_empty() {
            format!("{} ({})", t.target.name, t.target.kind)
        } else {
            format!("{} ({}, {})", t.target.name, t.target.kind, t.target.vendor_type)
        };
        w.field("Target", &target, 8.5, label_w);
        w.field(
            "Classification",
            &format!(
                "{} · rule {} · id {} · confidence {} · status {}",
                t.category.as_str(),
                t.rule,
                t.id,
                confidence(t.confidence),
                title_case(&r.status(t))
            ),
            8.5,
            label_w,
        );
        w.field("Threat", t.description.trim(), 8.5, label_w);
        for (k, why) in t.rationale.iter().enumerate() {
            w.field(if k == 0 { "Why it applies" } else { "" }, &format!("• {why}"), 8.5, label_w);
        }
        let mut score = format!(
            "Residual: likelihood {} × impact {} = {} ({}).",
            t.likelihood,
            t.impact,
            t.score,
            t.severity.as_str()
        );
        if t.inherent_score != t.score {
            score.push_str(&format!(
                " Inherent, before the controls in place: {} × {} = {} ({}).",
                t.inherent_likelihood,
                t.inherent_impact,
                t.inherent_score,
                t.inherent_severity.as_str()
            ));
        }
        w.field("Score", &score, 8.5, label_w);
        for why in &t.explanation {
            w.field("", &format!("• {why}"), 8.5, label_w);
        }
        if let Some(c) = &t.cost {
            w.field(
                "Denial of wallet",
                &format!("up to {} per month. {}", usd(c.usd_per_month), c.basis),
                8.5,
                label_w,
            );
        }
        for (k, m) in t.mitigations.iter().enumerate() {
            let source = match (&m.practice, &m.standard) {
                (Some(p), _) => {
                    PRACTICES.iter().find(|x| x.id == p).map(|x| x.title.to_string()).unwrap_or_else(|| p.clone())
                }
                (None, Some(s)) => s.clone(),
                _ => String::new(),
            };
            let text =
                if source.is_empty() { format!("• {}", m.text) } else { format!("• {} [{}]", m.text, source) };
            w.field(if k == 0 { "Mitigations" } else { "" }, &text, 8.5, label_w);
        }
        let refs = references(t);
        if !refs.is_empty() {
            w.field("References", &refs, 8.5, label_w);
        }
        if !t.compliance.is_empty() {
            let names: Vec<String> = t.compliance.iter().map(|c| framework_name(c)).collect();
            w.field("Compliance", &names.join(", "), 8.5, label_w);
        }
        if let Some(d) = &t.triage {
            let mut text = title_case(t.status.as_str());
            if !d.owner.is_empty() {
                text.push_str(&format!(" by {}", d.owner));
            }
            if !d.date.is_empty() {
                text.push_str(&format!(" on {}", d.date));
            }
            if !d.note.is_empty() {
                text.push_str(&format!(": {}", d.note));
            }
            w.field("Triage", &text, 8.5, label_w);
        }
        w.gap(6.0);
    }
}

fn references(t: &Threat) -> String {
    t.references.labels().join(", ")
}

fn confidence(c: crate::rules::Confidence) -> &'static str {
    match c {
        crate::rules::Confidence::High => "high",
        crate::rules::Confidence::Medium => "medium",
        crate::rules::Confidence::Low => "low",
    }
}
