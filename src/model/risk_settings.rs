//! The risk settings a model carries (`risk:` in the YAML): severity bands,
//! modifier weights and an optional score matrix, with the severity type they
//! band scores into. They are part of the model, so they live here; `risk`
//! re-exports them and does the scoring. Must not: score threats or know
//! about rules, the engine or IO.

use serde::{Deserialize, Serialize};

/// Severity band, ordered from least to most severe.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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

    /// Band of a score with the default bands.
    pub fn of(score: u8) -> Self {
        RiskSettings::default().band(score)
    }
}

/// Lower bounds of the medium, high and critical bands.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bands {
    pub medium: u8,
    pub high: u8,
    pub critical: u8,
}

impl Default for Bands {
    fn default() -> Self {
        Bands { medium: 5, high: 10, critical: 20 }
    }
}

/// Weights of the context modifiers (points of likelihood or impact).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weights {
    /// + likelihood when the target is Internet-facing (or a flow from an untrusted party).
    pub internet_facing: u8,
    /// + likelihood when a store is reached by this many attack paths or more …
    pub attack_paths_threshold: u8,
    /// … by this much.
    pub attack_paths: u8,
    /// + impact when the target handles restricted data.
    pub restricted_data: u8,
    /// + impact when the target handles regulated data (phi, pci).
    pub regulated_data: u8,
    /// + impact when a compromised function's grants reach sensitive data.
    pub blast_radius: u8,
    /// − likelihood when the threat rests on unknown properties.
    pub unknown: u8,
    /// − likelihood per mitigation practice recorded on the element …
    pub mitigation: u8,
    /// … up to this much in total.
    pub mitigation_max: u8,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            internet_facing: 1,
            attack_paths_threshold: 3,
            attack_paths: 1,
            restricted_data: 1,
            regulated_data: 0,
            blast_radius: 1,
            unknown: 1,
            mitigation: 1,
            mitigation_max: 2,
        }
    }
}

/// Risk settings of a model (`risk:` in the YAML).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RiskSettings {
    #[serde(default)]
    pub bands: Bands,
    #[serde(default)]
    pub weights: Weights,
    /// Optional 5×5 matrix: `matrix[likelihood-1][impact-1]` is the score
    /// (1–25) used instead of likelihood × impact.
    #[serde(default)]
    pub matrix: Option<Vec<Vec<u8>>>,
}

impl RiskSettings {
    pub fn band(&self, score: u8) -> Severity {
        if score >= self.bands.critical {
            Severity::Critical
        } else if score >= self.bands.high {
            Severity::High
        } else if score >= self.bands.medium {
            Severity::Medium
        } else {
            Severity::Low
        }
    }

    pub fn score(&self, likelihood: u8, impact: u8) -> u8 {
        let (l, i) = (likelihood.clamp(1, 5), impact.clamp(1, 5));
        match &self.matrix {
            Some(m) => m.get(l as usize - 1).and_then(|r| r.get(i as usize - 1)).copied().unwrap_or(l * i),
            None => l * i,
        }
    }

    /// Problems with the settings (bands out of order, matrix shape).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let b = self.bands;
        if !(1 <= b.medium && b.medium < b.high && b.high < b.critical && b.critical <= 25) {
            out.push(format!(
                "risk bands must satisfy 1 ≤ medium < high < critical ≤ 25, found {}/{}/{}",
                b.medium, b.high, b.critical
            ));
        }
        if let Some(m) = &self.matrix {
            if m.len() != 5 || m.iter().any(|r| r.len() != 5) {
                out.push("risk matrix must have 5 rows of 5 scores (likelihood 1–5 × impact 1–5)".into());
            } else if m.iter().flatten().any(|s| !(1..=25).contains(s)) {
                out.push("risk matrix scores must be 1 to 25".into());
            } else {
                // Monotone in both factors, or the register would rank a worse risk lower.
                for l in 0..5 {
                    for i in 0..5 {
                        if (l > 0 && m[l][i] < m[l - 1][i]) || (i > 0 && m[l][i] < m[l][i - 1]) {
                            out.push("risk matrix scores must not decrease as likelihood or impact grows".into());
                            return out;
                        }
                    }
                }
            }
        }
        out
    }
}
