//! The PDF risk report: cover and executive summary, table of contents, the
//! data-flow diagram, a likelihood × impact heat map, the ranked risk
//! register, per-threat detail, a mitigation plan by practice, the
//! compliance mapping and an appendix of the model's elements.
//!
//! Drawn with printpdf in an embedded, subset Unicode font (DejaVu Sans with
//! Noto Sans CJK as fallback; see `fonts`). Deterministic: the same model,
//! analysis and options give the same bytes (the date is an option).
//! Must not: compute threats or scores (it renders an `Analysis`).

mod diagram;
mod doc;
mod fonts;

use crate::engine::{Analysis, Threat};
use crate::model::{Model, TriageStatus};
use crate::risk::Severity;
use crate::rules::{practice::PRACTICES, Stride, FRAMEWORKS};
use doc::{Cell, Col, Rgb3, Writer, ACCENT, BAND, INK, MARGIN, MUTED, RULE, WHITE};
use fonts::{Fonts, Style};
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::path::PathBuf;

/// Options of the report.
#[derive(Clone, Debug, Default)]
pub struct PdfOptions {
    /// Report date (`YYYY-MM-DD`) for the cover and the document's creation
    /// date; the analysis date when `None`.
    pub date: Option<String>,
    /// Extra folders searched for the fonts before the system folders.
    pub font_dirs: Vec<PathBuf>,
    /// Folders searched after the system folders (the user's own fonts).
    pub late_font_dirs: Vec<PathBuf>,
}

impl PdfOptions {
    /// Adds the font folders of the user's environment, whose values the
    /// edge (CLI, app) reads and passes in: `THREATWRIGHT_FONT_DIR` before
    /// every other folder, and `HOME`'s `.local/share/fonts` and
    /// `Library/Fonts` after the system folders.
    pub fn with_environment(mut self, font_dir: Option<OsString>, home: Option<OsString>) -> Self {
        if let Some(d) = font_dir {
            self.font_dirs.insert(0, PathBuf::from(d));
        }
        if let Some(home) = home {
            let home = PathBuf::from(home);
            self.late_font_dirs.push(home.join(".local/share/fonts"));
            self.late_font_dirs.push(home.join("Library/Fonts"));
        }
        self
    }
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("missing font: {0}")]
    MissingFont(String),
    #[error("font: {0}")]
    Font(String),
}

impl PdfError {
    /// A stable code for the app's error mapping: `fonts_missing` or `pdf_failed`.
    pub fn code(&self) -> &'static str {
        match self {
            PdfError::MissingFont(_) => "fonts_missing",
            PdfError::Font(_) => "pdf_failed",
        }
    }

    /// The message a user of the desktop app reads, with what to do about it.
    pub fn user_message(&self) -> String {
        match self {
            PdfError::MissingFont(m) => format!(
                "The PDF report needs fonts that are not installed: {m}. Install DejaVu Sans and Noto Sans CJK (Debian: apt install fonts-dejavu-core fonts-noto-cjk) and try again."
            ),
            other => other.to_string(),
        }
    }
}

/// Everything the sections read.
pub(crate) struct Report<'a> {
    pub model: &'a Model,
    pub analysis: &'a Analysis,
    date: String,
}

impl Report<'_> {
    fn status(&self, t: &Threat) -> String {
        t.status.as_str().to_string()
    }

    fn is_open(&self, t: &Threat) -> bool {
        t.status == TriageStatus::Open
    }
}

pub(crate) fn severity_color(s: Severity) -> Rgb3 {
    match s {
        Severity::Critical => (0.69, 0.11, 0.13),
        Severity::High => (0.89, 0.36, 0.07),
        Severity::Medium => (0.86, 0.62, 0.05),
        Severity::Low => (0.20, 0.56, 0.35),
    }
}

fn pale(c: Rgb3, amount: f32) -> Rgb3 {
    (c.0 + (1.0 - c.0) * amount, c.1 + (1.0 - c.1) * amount, c.2 + (1.0 - c.2) * amount)
}

pub(crate) fn title_case(s: &str) -> String {
    let s = s.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// US dollars with thousands separators, no cents.
fn usd(v: f64) -> String {
    let n = v.max(0.0).round() as u64;
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("${out}")
}

fn short(id: &uuid::Uuid) -> String {
    id.simple().to_string()[..8].to_string()
}

fn framework_name(key: &str) -> String {
    FRAMEWORKS.iter().find(|(k, _)| *k == key).map(|(_, n)| n.to_string()).unwrap_or_else(|| key.to_string())
}

/// The band's scores as "lo–hi" (one score alone, or "none").
fn band_range(r: &Report, sev: Severity) -> String {
    match r.analysis.heat_map.score_range(sev) {
        Some((lo, hi)) if lo == hi => lo.to_string(),
        Some((lo, hi)) => format!("{lo}–{hi}"),
        None => "none".to_string(),
    }
}

/// The band's scores for a cover tile: "score 10–16".
fn band_scores(r: &Report, sev: Severity) -> String {
    match r.analysis.heat_map.score_range(sev) {
        Some(_) => format!("score {}", band_range(r, sev)),
        None => "no score".to_string(),
    }
}

/// Renders the report.
pub fn render(model: &Model, analysis: &Analysis, options: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load(&options.font_dirs, &options.late_font_dirs)?;
    let date = options.date.clone().unwrap_or_else(|| analysis.as_of.clone());
    let report = Report { model, analysis, date: date.clone() };
    let mut w = Writer::new(&fonts);
    cover(&mut w, &report);
    // The contents page, filled in once the sections know their pages.
    w.new_page(false);
    let toc_page = w.pages.len() - 1;
    diagram_section(&mut w, &report);
    heat_map(&mut w, &report);
    register(&mut w, &report);
    details(&mut w, &report);
    mitigation_plan(&mut w, &report);
    compliance(&mut w, &report);
    elements(&mut w, &report);
    resolved(&mut w, &report);
    contents(&mut w, toc_page);
    chrome(&mut w, &report);

    let title = format!("{} — threat model and risk assessment", display_name(model));
    let bookmarks: Vec<(String, usize)> = w.sections.iter().map(|s| (s.title.clone(), s.page)).collect();
    let created = printpdf::OffsetDateTime::from_unix_timestamp(crate::clock::unix_from_date(&date).unwrap_or(0))
        .unwrap_or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0).expect("epoch"));
    let pages = std::mem::take(&mut w.pages);
    doc::finish(&fonts, &pages, &title, &model.author, &bookmarks, created)
}

fn display_name(model: &Model) -> &str {
    if model.name.trim().is_empty() {
        "Untitled model"
    } else {
        model.name.trim()
    }
}

/// Counts by status, in the fixed order of `TriageStatus::ALL`.
fn status_counts(r: &Report) -> Vec<(String, usize)> {
    TriageStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), r.analysis.summary.by_status.get(s.as_str()).copied().unwrap_or(0)))
        .collect()
}

fn cover(w: &mut Writer, r: &Report) {
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

    // Posture.
    let open: Vec<&Threat> = r.analysis.threats.iter().filter(|t| r.is_open(t)).collect();
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

    // Severity tiles.
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

    // Top risks.
    let y = w.y + 11.0;
    w.page().text(MARGIN, y, 11.0, Style::Bold, ACCENT, "Top risks");
    w.y += 18.0;
    let top: Vec<&Threat> = {
        let mut v: Vec<&Threat> = open.clone();
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

fn contents(w: &mut Writer, toc_page: usize) {
    let fonts = w.fonts;
    let entries: Vec<(String, u8, usize)> = w.sections.iter().map(|s| (s.title.clone(), s.level, s.page)).collect();
    w.sections.insert(1, doc::Section { title: "Contents".into(), level: 1, page: toc_page });
    let tw = w.width();
    let page = &mut w.pages[toc_page];
    page.text(MARGIN, doc::TOP + 18.0, 18.0, Style::Bold, ACCENT, "Contents");
    page.line(vec![(MARGIN, doc::TOP + 25.0), (MARGIN + tw, doc::TOP + 25.0)], ACCENT, 1.2, false);
    let mut y = doc::TOP + 50.0;
    for (title, level, target) in entries {
        let (size, style, indent) = if level == 1 { (10.5, Style::Bold, 0.0) } else { (9.5, Style::Regular, 16.0) };
        let num = (target + 1).to_string();
        let nw = fonts.width(&num, style, size);
        let label = fonts.ellipsize(&title, style, size, tw - indent - nw - 30.0);
        let lw = fonts.width(&label, style, size);
        page.text(MARGIN + indent, y, size, style, INK, &label);
        page.text(MARGIN + tw - nw, y, size, style, INK, &num);
        // Dot leader.
        let dots_from = MARGIN + indent + lw + 6.0;
        let dots_to = MARGIN + tw - nw - 6.0;
        let mut x = dots_from;
        let mut leader = String::new();
        let dw = fonts.width(". ", Style::Regular, size);
        while x + dw < dots_to {
            leader.push_str(". ");
            x += dw;
        }
        let lx = dots_to - fonts.width(leader.trim_end(), Style::Regular, size);
        page.text(lx, y, size, Style::Regular, RULE, leader.trim_end());
        page.items.push(doc::Item::Link { x: MARGIN, y: y - size, w: tw, h: size * 1.5, page: target });
        y += if level == 1 { 20.0 } else { 16.0 };
    }
}

/// Running header and footer with page numbers.
fn chrome(w: &mut Writer, r: &Report) {
    let fonts = w.fonts;
    let total = w.pages.len();
    let name = display_name(r.model).to_string();
    for (i, page) in w.pages.iter_mut().enumerate() {
        let tw = page.w - 2.0 * MARGIN;
        let foot_y = page.h - 28.0;
        let num = format!("Page {} of {}", i + 1, total);
        let nw = fonts.width(&num, Style::Regular, 7.5);
        page.text(MARGIN + tw - nw, foot_y, 7.5, Style::Regular, MUTED, &num);
        page.text(
            MARGIN,
            foot_y,
            7.5,
            Style::Regular,
            MUTED,
            &format!("Threatwright {} · confidential: security assessment", crate::version()),
        );
        if page.chrome {
            let right = format!("Threat model and risk assessment · {}", r.date);
            let rw = fonts.width(&right, Style::Regular, 7.5);
            let left = fonts.ellipsize(&name, Style::Bold, 7.5, tw - rw - 20.0);
            page.text(MARGIN, 34.0, 7.5, Style::Bold, MUTED, &left);
            page.text(MARGIN + tw - rw, 34.0, 7.5, Style::Regular, MUTED, &right);
            page.line(vec![(MARGIN, 40.0), (MARGIN + tw, 40.0)], RULE, 0.5, false);
        }
        page.line(vec![(MARGIN, foot_y - 10.0), (MARGIN + tw, foot_y - 10.0)], RULE, 0.5, false);
    }
}

fn diagram_section(w: &mut Writer, r: &Report) {
    let landscape = diagram::is_wide(r.model);
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
    w.para(
        &format!(
            "{} elements, {} flows, {} trust boundaries. {caption}",
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
    diagram::draw(w, r);
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

fn heat_map(w: &mut Writer, r: &Report) {
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

fn register(w: &mut Writer, r: &Report) {
    w.heading("3 Risk register", 1);
    w.para(
        "Ranked by score, then confidence. ID is the start of the stable threat id; L likelihood, I impact (1–5); STRIDE by initial: Spoofing, Tampering, Repudiation, Information disclosure, Denial of service, Elevation of privilege.",
        8.5,
        Style::Regular,
        MUTED,
        0.0,
    );
    w.gap(4.0);
    let cols = [
        Col { title: "#", width: 20.0, right: true },
        Col { title: "ID", width: 44.0, right: false },
        Col { title: "Title", width: 160.0, right: false },
        Col { title: "Target", width: 96.0, right: false },
        Col { title: "STRIDE", width: 32.0, right: false },
        Col { title: "L", width: 14.0, right: true },
        Col { title: "I", width: 14.0, right: true },
        Col { title: "Score", width: 27.0, right: true },
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

fn references(t: &Threat) -> String {
    let refs = &t.references;
    let mut out: Vec<String> = Vec::new();
    out.extend(refs.cwe.iter().map(|c| format!("CWE-{c}")));
    out.extend(refs.capec.iter().map(|c| format!("CAPEC-{c}")));
    out.extend(refs.owasp_serverless.iter().map(|c| format!("OWASP Serverless {c}")));
    out.extend(refs.csa.iter().map(|c| format!("CSA {c}")));
    out.extend(refs.other.iter().cloned());
    out.join(", ")
}

fn details(w: &mut Writer, r: &Report) {
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

fn confidence(c: crate::rules::Confidence) -> &'static str {
    match c {
        crate::rules::Confidence::High => "high",
        crate::rules::Confidence::Medium => "medium",
        crate::rules::Confidence::Low => "low",
    }
}

fn mitigation_plan(w: &mut Writer, r: &Report) {
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

fn compliance(w: &mut Writer, r: &Report) {
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

fn resolved(w: &mut Writer, r: &Report) {
    if r.analysis.resolved.is_empty() {
        return;
    }
    w.heading("C Resolved decisions", 1);
    w.para(
        "Triage decisions recorded in the model whose threat no longer fires: the design changed so that the rule no longer applies. Kept for the audit trail.",
        8.5,
        Style::Regular,
        MUTED,
        0.0,
    );
    w.gap(4.0);
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

fn elements(w: &mut Writer, r: &Report) {
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
        Col { title: "Element", width: 90.0, right: false },
        Col { title: "Kind / type", width: 66.0, right: false },
        Col { title: "Boundary", width: 66.0, right: false },
        Col { title: "Data", width: 76.0, right: false },
        Col { title: "Properties", width: 180.0, right: false },
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
