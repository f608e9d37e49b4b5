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
mod names;
mod section;

use crate::engine::{Analysis, Threat};
use crate::model::{Model, TriageStatus};
use crate::risk::Severity;
use crate::rules::{practice::PRACTICES, Stride, FRAMEWORKS};
use doc::{Rgb3, Writer};
use fonts::Fonts;
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
                "The PDF report needs fonts that are not installed: {m}. Install DejaVu Sans and Noto Sans (Debian: apt install fonts-dejavu-core fonts-noto-core fonts-noto-cjk) and try again."
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
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
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
    // Laid out once here: the diagram, its plan, every tile and path page read this one.
    let placed = self::diagram::placed(model);
    let report = Report { model: &placed, analysis, date: date.clone() };
    let mut w = Writer::new(&fonts);
    use section::*;
    cover::cover(&mut w, &report);
    // The contents page, filled in once the sections know their pages.
    w.new_page(false);
    let toc_page = w.pages.len() - 1;
    diagram::diagram_section(&mut w, &report);
    attack_paths::attack_paths(&mut w, &report);
    heat_map::heat_map(&mut w, &report);
    register::register(&mut w, &report);
    details::details(&mut w, &report);
    plan::mitigation_plan(&mut w, &report);
    compliance::compliance(&mut w, &report);
    appendix::elements(&mut w, &report);
    appendix::resolved(&mut w, &report);
    appendix::session_log(&mut w, &report);
    contents::contents(&mut w, toc_page);
    contents::chrome(&mut w, &report);

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
