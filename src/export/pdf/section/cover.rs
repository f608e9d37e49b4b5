//! The cover page and executive summary: the model's identity, the overall
//! posture, one tile per severity band (with the band's scores from the
//! analysis' heat map), counts by status and the top open risks.
//!
//! Must not: compute threats, scores or bands; it draws what `Analysis` carries.

use crate::export::pdf::doc::{self, Writer, ACCENT, BAND, INK, MARGIN, MUTED, RULE, WHITE};
use crate::export::pdf::fonts::Style;
use crate::export::pdf::*;

pub(in crate::export::pdf) fn cover(w: &mut Writer, r: &Report) {
    let fonts = w.fonts;
    w.new_page(false);
    w.page().chrome = false;
    let pw = w.page().w;
    // Title band.
    let band_h = 170.0;
    w.page().rect(0.0, 0.0, pw, band_h, Some(ACCENT), None, 0.0);
    w.page().text(MARGIN, 52.0, 9.0, Style::Bold, (0.72, 0.80, 0.92), "THREAT MODEL AND RISK ASSESSMENT");
    let mut y = 84.0;
    let lines = fonts.wrap(display_name(r.model), Style::Bold, 24.0, pw - 2.0 * MARGIN);
    for line in lines.iter().take(2) {
        w.page().text(MARGIN, y, 24.0, Style::Bold, WHITE, line);
        y += 29.0;
    }
    if !r.model.description.is_empty() {
        let d = fonts.ellipsize(&r.model.description, Style::Regular, 10.5, pw - 2.0 * MARGIN);
        w.page().text(MARGIN, y + 2.0, 10.5, Style::Regular, (0.85, 0.89, 0.95), &d);
    }
    w.y = band_h + 22.0;
    let or_dash = |s: &str| if s.trim().is_empty() { "—".to_string() } else { s.trim().to_string() };
    w.field("Version", &or_dash(&r.model.version), 9.5, 100.0);
    w.field("Assessment date", &r.date, 9.5, 100.0);
    w.field("Author", &or_dash(&r.model.author), 9.5, 100.0);
    w.field("Scope", &or_dash(&r.model.scope), 9.5, 100.0);
    let s = &r.analysis.summary;
    w.field(
        "Basis",
        &format!(
            "{} elements, {} data flows, {} trust boundaries; {} rules of the Threatwright {} catalog evaluated (analysis as of {}).",
            s.elements,
            s.flows,
            r.model.boundaries.len(),
            s.rules_evaluated,
            crate::version(),
            r.analysis.as_of
        ),
        9.5,
        100.0,
    );
    w.gap(10.0);
    let tw = w.width();
    let y = w.y;
    w.page().line(vec![(MARGIN, y), (MARGIN + tw, y)], RULE, 0.6, false);
    w.gap(14.0);

    // Executive summary.
    w.sections.push(doc::Section { title: "Executive summary".into(), level: 1, page: 0 });
    let y = w.y + 15.0;
    w.page().text(MARGIN, y, 15.0, Style::Bold, ACCENT, "Executive summary");
    w.y += 26.0;

    let open: Vec<&Threat> = r.analysis.threats.iter().filter(|t| r.is_open(t)).collect();
    posture(w, &open);
    tiles(w, r, &open);
    top_risks(w, r, &open);
}

/// The overall posture: a verdict by the worst open severity, in a box.
fn posture(w: &mut Writer, open: &[&Threat]) {
    let fonts = w.fonts;
    let tw = w.width();
    let worst = open.iter().map(|t| t.severity).max();
    let count_open = |s: Severity| open.iter().filter(|t| t.severity == s).count();
    let (verdict, text) = match worst {
        Some(Severity::Critical) => ("Unacceptable", format!("{} critical and {} high risks are open. The critical risks need treatment before the system handles production data.", count_open(Severity::Critical), count_open(Severity::High))),
        Some(Severity::High) => ("Elevated", format!("No critical risk is open, but {} high risks are. Plan their treatment in the next release.", count_open(Severity::High))),
        Some(Severity::Medium) => ("Moderate", format!("Only medium and low risks are open ({} medium). Treat them as part of normal hardening.", count_open(Severity::Medium))),
        Some(Severity::Low) => ("Acceptable", "Only low risks are open.".to_string()),
        None => ("Acceptable", "No threat is open: every finding is mitigated, accepted, transferred or not applicable.".to_string()),
    };
    let pc = worst.map(severity_color).unwrap_or(severity_color(Severity::Low));
    let lines = fonts.wrap(&text, Style::Regular, 9.5, tw - 24.0);
    let box_h = 22.0 + lines.len() as f32 * 13.0 + 8.0;
    let y = w.y;
    w.page().rect(MARGIN, y, tw, box_h, Some(pale(pc, 0.88)), None, 0.0);
    w.page().rect(MARGIN, y, 4.0, box_h, Some(pc), None, 0.0);
    w.page().text(MARGIN + 14.0, y + 17.0, 11.0, Style::Bold, pc, &format!("Overall posture: {verdict}"));
    for (i, line) in lines.iter().enumerate() {
        w.page().text(MARGIN + 14.0, y + 33.0 + i as f32 * 13.0, 9.5, Style::Regular, INK, line);
    }
    w.y += box_h + 14.0;
}

/// One tile per severity band (count, open count, the band's scores), then
/// the counts by status, the denial-of-wallet bound and resolved decisions.
fn tiles(w: &mut Writer, r: &Report, open: &[&Threat]) {
    let fonts = w.fonts;
    let tw = w.width();
    let count_open = |s: Severity| open.iter().filter(|t| t.severity == s).count();
    let gap = 10.0;
    let tile_w = (tw - 3.0 * gap) / 4.0;
    let y = w.y;
    for (i, sev) in Severity::ALL.into_iter().rev().enumerate() {
        let x = MARGIN + i as f32 * (tile_w + gap);
        let c = severity_color(sev);
        let total = r.analysis.summary.by_severity.get(sev.as_str()).copied().unwrap_or(0);
        let open_n = count_open(sev);
        w.page().rect(x, y, tile_w, 58.0, Some(BAND), None, 0.0);
        w.page().rect(x, y, tile_w, 4.0, Some(c), None, 0.0);
        w.page().text(x + 10.0, y + 36.0, 24.0, Style::Bold, c, &total.to_string());
        let nw = fonts.width(&total.to_string(), Style::Bold, 24.0);
        w.page().text(x + 16.0 + nw, y + 24.0, 9.0, Style::Bold, INK, &title_case(sev.as_str()));
        w.page().text(x + 16.0 + nw, y + 36.0, 8.0, Style::Regular, MUTED, &format!("{open_n} open"));
        w.page().text(x + 10.0, y + 51.0, 7.0, Style::Regular, MUTED, &band_scores(r, sev));
    }
    w.y += 70.0;
    let statuses: Vec<String> = status_counts(r).into_iter().map(|(s, n)| format!("{} {n}", title_case(&s))).collect();
    w.field("Threats", &format!("{} in total", r.analysis.threats.len()), 9.0, 100.0);
    w.field("By status", &statuses.join(" · "), 9.0, 100.0);
    if r.analysis.summary.denial_of_wallet_usd_month > 0.0 {
        w.field(
            "Denial of wallet",
            &format!(
                "an attacker flooding the exposed, unthrottled triggers could run up to {} per month in compute ({} trigger(s)).",
                usd(r.analysis.summary.denial_of_wallet_usd_month),
                r.analysis.denial_of_wallet.len()
            ),
            9.0,
            100.0,
        );
    }
    if !r.analysis.resolved.is_empty() {
        w.field(
            "Resolved",
            &format!("{} earlier decision(s) whose threat no longer fires (appendix C).", r.analysis.resolved.len()),
            9.0,
            100.0,
        );
    }
    w.gap(8.0);
}

/// The first five open threats (or threats, when none is open).
fn top_risks(w: &mut Writer, r: &Report, open: &[&Threat]) {
    let fonts = w.fonts;
    let tw = w.width();
    let y = w.y + 11.0;
    w.page().text(MARGIN, y, 11.0, Style::Bold, ACCENT, "Top risks");
    w.y += 18.0;
    let top: Vec<&Threat> = {
        let mut v: Vec<&Threat> = open.to_vec();
        if v.is_empty() {
            v = r.analysis.threats.iter().collect();
        }
        v.into_iter().take(5).collect()
    };
    if top.is_empty() {
        w.para("The analysis found no threats.", 9.5, Style::Regular, INK, 0.0);
    }
    for t in top {
        let chip = format!("{} {}", title_case(t.severity.as_str()), t.score);
        let cw = fonts.width(&chip, Style::Bold, 7.5) + 8.0;
        let sentence = format!("{} — {}.", t.title.trim_end_matches('.'), t.target.name);
        let lines = fonts.wrap(&sentence, Style::Regular, 9.5, tw - cw - 10.0);
        w.ensure(lines.len() as f32 * 13.0 + 4.0);
        let y = w.y;
        w.page().round_rect(MARGIN, y + 1.0, cw, 11.0, 2.5, Some(severity_color(t.severity)), None, 0.0, false);
        w.page().text(MARGIN + 4.0, y + 9.5, 7.5, Style::Bold, WHITE, &chip);
        for (i, line) in lines.iter().enumerate() {
            w.page().text(MARGIN + cw + 8.0, y + 10.0 + i as f32 * 13.0, 9.5, Style::Regular, INK, line);
        }
        w.y += lines.len() as f32 * 13.0 + 4.0;
    }
}

/// Counts by status, in the fixed order of `TriageStatus::ALL`.
fn status_counts(r: &Report) -> Vec<(String, usize)> {
    TriageStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), r.analysis.summary.by_status.get(s.as_str()).copied().unwrap_or(0)))
        .collect()
}
