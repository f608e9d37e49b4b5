//! Risk scoring: likelihood 1–5 × impact 1–5 → score 1–25 → severity band.
//!
//! Bands (documented in docs/risk.md): 1–4 low, 5–9 medium, 10–16 high,
//! 20–25 critical (scores 17–19 cannot occur on a 5×5 matrix). A threat the
//! engine is only weakly sure of (an unknown property) loses one likelihood
//! point. Pure; must not know about rules or files.

use serde::Serialize;

/// Severity band, ordered from least to most severe.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Self::Low, Self::Medium, Self::High, Self::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// Band of a score.
    pub fn of(score: u8) -> Self {
        match score {
            0..=4 => Self::Low,
            5..=9 => Self::Medium,
            10..=16 => Self::High,
            _ => Self::Critical,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands() {
        assert_eq!(Severity::of(1), Severity::Low);
        assert_eq!(Severity::of(4), Severity::Low);
        assert_eq!(Severity::of(5), Severity::Medium);
        assert_eq!(Severity::of(9), Severity::Medium);
        assert_eq!(Severity::of(10), Severity::High);
        assert_eq!(Severity::of(16), Severity::High);
        assert_eq!(Severity::of(20), Severity::Critical);
        assert_eq!(Severity::of(25), Severity::Critical);
    }
}
