//! The likelihood × impact heat map of an analysis: the 25 cells with their
//! score and banded severity under the model's `risk:` matrix and bands, and
//! how many threats (all, and open) fall into each by residual risk.
//!
//! Renderers (the PDF, SARIF, the desktop register) draw these cells instead
//! of multiplying likelihood by impact themselves, so a custom matrix or
//! custom bands reach every view. Pure. Must not: do IO or rank threats.

use crate::engine::Threat;
use crate::model::TriageStatus;
use crate::risk::{RiskSettings, Severity};
use serde::Serialize;

/// One cell of the heat map.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct HeatCell {
    /// 1–5.
    pub likelihood: u8,
    /// 1–5.
    pub impact: u8,
    /// The score of the cell: the model's matrix entry, or likelihood × impact.
    pub score: u8,
    /// The band of `score` under the model's bands.
    pub severity: Severity,
    /// Threats whose residual likelihood and impact fall in this cell (any status).
    pub count: usize,
    /// Of those, the ones still open.
    pub open: usize,
}

/// The 5 × 5 grid, residual risk. `cells` is ordered by likelihood, then
/// impact (both ascending): cell (l, i) is `cells[(l - 1) * 5 + (i - 1)]`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HeatMap {
    pub cells: Vec<HeatCell>,
}

impl HeatMap {
    /// The cell of a likelihood and an impact (each clamped to 1–5).
    pub fn cell(&self, likelihood: u8, impact: u8) -> &HeatCell {
        let (l, i) = (likelihood.clamp(1, 5) as usize, impact.clamp(1, 5) as usize);
        &self.cells[(l - 1) * 5 + (i - 1)]
    }

    /// Lowest and highest cell score in a band (`None` when no cell has it),
    /// e.g. 10–16 for the default high band on the plain matrix.
    pub fn score_range(&self, severity: Severity) -> Option<(u8, u8)> {
        let scores = self.cells.iter().filter(|c| c.severity == severity).map(|c| c.score);
        let lo = scores.clone().min()?;
        Some((lo, scores.max()?))
    }
}

/// The heat map of `threats` under `settings` (the model's `risk:`).
pub fn heat_map(settings: &RiskSettings, threats: &[Threat]) -> HeatMap {
    let mut cells = Vec::with_capacity(25);
    for likelihood in 1..=5u8 {
        for impact in 1..=5u8 {
            let score = settings.score(likelihood, impact);
            let severity = settings.band(score);
            cells.push(HeatCell { likelihood, impact, score, severity, count: 0, open: 0 });
        }
    }
    let mut map = HeatMap { cells };
    for t in threats {
        let (l, i) = (t.likelihood.clamp(1, 5) as usize, t.impact.clamp(1, 5) as usize);
        let cell = &mut map.cells[(l - 1) * 5 + (i - 1)];
        cell.count += 1;
        cell.open += usize::from(t.status == TriageStatus::Open);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::Bands;

    #[test]
    fn default_bands_give_the_documented_ranges() {
        let m = heat_map(&RiskSettings::default(), &[]);
        assert_eq!(m.score_range(Severity::Low), Some((1, 4)));
        assert_eq!(m.score_range(Severity::Medium), Some((5, 9)));
        assert_eq!(m.score_range(Severity::High), Some((10, 16)));
        assert_eq!(m.score_range(Severity::Critical), Some((20, 25)));
        assert_eq!(m.cell(2, 5).score, 10);
        assert_eq!(m.cell(2, 5).severity, Severity::High);
    }

    #[test]
    fn custom_bands_and_matrix_are_honoured() {
        let mut matrix = vec![vec![1u8; 5]; 5];
        matrix[4][4] = 25;
        let s = RiskSettings {
            bands: Bands { medium: 6, high: 12, critical: 25 },
            matrix: Some(matrix),
            ..RiskSettings::default()
        };
        let m = heat_map(&s, &[]);
        assert_eq!(m.cell(5, 4).score, 1);
        assert_eq!(m.cell(5, 4).severity, Severity::Low);
        assert_eq!(m.cell(5, 5).severity, Severity::Critical);
        assert_eq!(m.score_range(Severity::High), None);
    }
}
