//! Risk scoring: likelihood 1–5 × impact 1–5 → score 1–25 → severity band,
//! with context modifiers in the spirit of the OWASP Risk Rating
//! methodology, inherent and residual risk, and an explanation of every
//! point that moved.
//!
//! Inherent risk = the rule's base likelihood and impact, moved by context:
//! exposure raises likelihood (Internet-facing target, several attack paths),
//! sensitive data and blast radius raise impact, and a threat resting on
//! unknown properties loses likelihood. Residual risk = inherent risk minus
//! the mitigations recorded on the element (practice ids matching the
//! threat's mitigations). The matrix, bands and weights come from the
//! model's `risk:` settings (defaults documented in docs/risk.md).
//!
//! Pure; must not know about rules files or IO.

pub(crate) mod cost;

pub use crate::model::risk_settings::{Bands, RiskSettings, Severity, Weights};
pub use cost::DowEstimate;

/// The context of one threat that moves its score.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    pub base_likelihood: u8,
    pub base_impact: u8,
    /// A finding elsewhere makes this one less likely: the likelihood to start
    /// from instead of the base, and why.
    pub less_likely: Option<(u8, String)>,
    /// The condition rested on unknown properties (low confidence).
    pub unknown: bool,
    pub internet_facing: bool,
    pub attack_paths: usize,
    pub restricted_data: bool,
    /// Regulated tags handled (phi, pci).
    pub regulated: Vec<String>,
    pub blast_radius_sensitive: bool,
    /// Practices recorded on the element that match the threat's mitigations.
    pub mitigations_in_place: Vec<String>,
}

/// Inherent and residual risk with their explanation.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    pub inherent_likelihood: u8,
    pub inherent_impact: u8,
    pub inherent_score: u8,
    pub likelihood: u8,
    pub impact: u8,
    pub score: u8,
    pub severity: Severity,
    pub inherent_severity: Severity,
    pub explanation: Vec<String>,
}

fn up(v: &mut u8, by: u8) -> u8 {
    let before = *v;
    *v = (*v + by).min(5);
    *v - before
}

fn down(v: &mut u8, by: u8) -> u8 {
    let before = *v;
    *v = v.saturating_sub(by).max(1);
    before - *v
}

/// Scores a threat in its context.
pub fn assess(ctx: &Context, s: &RiskSettings) -> Assessment {
    let w = s.weights;
    let (mut l, mut i) = (ctx.base_likelihood.clamp(1, 5), ctx.base_impact.clamp(1, 5));
    let mut why = vec![format!("base likelihood {l}, impact {i} (rule)")];
    if let Some((to, because)) = &ctx.less_likely {
        let by = l.saturating_sub(*to);
        let d = down(&mut l, by);
        if d > 0 {
            why.push(format!("−{d} likelihood: {because}"));
        }
    }
    if ctx.unknown {
        let d = down(&mut l, w.unknown);
        if d > 0 {
            why.push(format!("−{d} likelihood: rests on properties that are not set"));
        }
    }
    if ctx.internet_facing {
        let d = up(&mut l, w.internet_facing);
        if d > 0 {
            why.push(format!("+{d} likelihood: exposed to the Internet"));
        }
    }
    if w.attack_paths_threshold > 0 && ctx.attack_paths >= w.attack_paths_threshold as usize {
        let d = up(&mut l, w.attack_paths);
        if d > 0 {
            why.push(format!("+{d} likelihood: {} attack paths from the Internet", ctx.attack_paths));
        }
    }
    if ctx.restricted_data {
        let d = up(&mut i, w.restricted_data);
        if d > 0 {
            why.push(format!("+{d} impact: handles restricted data"));
        }
    }
    if !ctx.regulated.is_empty() {
        let d = up(&mut i, w.regulated_data);
        if d > 0 {
            why.push(format!("+{d} impact: regulated data ({})", ctx.regulated.join(", ")));
        }
    }
    if ctx.blast_radius_sensitive {
        let d = up(&mut i, w.blast_radius);
        if d > 0 {
            why.push(format!("+{d} impact: its permissions reach sensitive data (blast radius)"));
        }
    }
    let (il, ii) = (l, i);
    let inherent_score = s.score(il, ii);
    if !ctx.mitigations_in_place.is_empty() {
        let by = (w.mitigation as usize * ctx.mitigations_in_place.len()).min(w.mitigation_max as usize) as u8;
        let d = down(&mut l, by);
        if d > 0 {
            why.push(format!(
                "−{d} likelihood (residual): mitigations in place ({})",
                ctx.mitigations_in_place.join(", ")
            ));
        }
    }
    let score = s.score(l, i);
    Assessment {
        inherent_likelihood: il,
        inherent_impact: ii,
        inherent_score,
        likelihood: l,
        impact: i,
        score,
        severity: s.band(score),
        inherent_severity: s.band(inherent_score),
        explanation: why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn default_bands() {
        for (score, sev) in [
            (1, Severity::Low),
            (4, Severity::Low),
            (5, Severity::Medium),
            (9, Severity::Medium),
            (10, Severity::High),
            (16, Severity::High),
            (20, Severity::Critical),
            (25, Severity::Critical),
        ] {
            assert_eq!(Severity::of(score), sev, "{score}");
        }
    }

    #[test]
    fn explanation_names_every_modifier() {
        let ctx = Context {
            base_likelihood: 3,
            base_impact: 3,
            internet_facing: true,
            restricted_data: true,
            mitigations_in_place: vec!["api_security".into()],
            ..Context::default()
        };
        let a = assess(&ctx, &RiskSettings::default());
        assert_eq!((a.inherent_likelihood, a.inherent_impact, a.inherent_score), (4, 4, 16));
        assert_eq!((a.likelihood, a.impact, a.score), (3, 4, 12));
        assert_eq!(a.explanation.len(), 4, "{:?}", a.explanation);
        assert!(a.explanation[1].contains("Internet"));
        assert!(a.explanation[3].contains("api_security"));
    }

    #[test]
    fn bad_settings_are_reported() {
        let s = RiskSettings {
            bands: Bands { medium: 10, high: 5, critical: 20 },
            matrix: Some(vec![vec![1; 5]; 4]),
            ..RiskSettings::default()
        };
        assert_eq!(s.problems().len(), 2);
    }

    fn ctx_strategy() -> impl Strategy<Value = Context> {
        (
            1u8..=5,
            1u8..=5,
            any::<bool>(),
            any::<bool>(),
            0usize..6,
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            0usize..4,
        )
            .prop_map(|(l, i, unknown, facing, paths, restricted, regulated, blast, mitig)| Context {
                base_likelihood: l,
                base_impact: i,
                less_likely: None,
                unknown,
                internet_facing: facing,
                attack_paths: paths,
                restricted_data: restricted,
                regulated: if regulated { vec!["phi".into()] } else { vec![] },
                blast_radius_sensitive: blast,
                mitigations_in_place: (0..mitig).map(|k| format!("p{k}")).collect(),
            })
    }

    proptest! {
        /// Raising any risk factor never lowers the score.
        #[test]
        fn score_is_monotone_in_each_factor(c in ctx_strategy()) {
            let s = RiskSettings::default();
            let base = assess(&c, &s).score;
            let mut more = c.clone(); more.base_likelihood = (c.base_likelihood + 1).min(5);
            prop_assert!(assess(&more, &s).score >= base);
            let mut more = c.clone(); more.base_impact = (c.base_impact + 1).min(5);
            prop_assert!(assess(&more, &s).score >= base);
            let mut less = c.clone(); less.less_likely = Some((1, "a finding elsewhere".into()));
            prop_assert!(assess(&less, &s).score <= base, "a less-likely reason never raises the score");
            let mut more = c.clone(); more.internet_facing = true;
            prop_assert!(assess(&more, &s).score >= base);
            let mut more = c.clone(); more.restricted_data = true;
            prop_assert!(assess(&more, &s).score >= base);
            let mut more = c.clone(); more.blast_radius_sensitive = true;
            prop_assert!(assess(&more, &s).score >= base);
            let mut more = c.clone(); more.attack_paths += 3;
            prop_assert!(assess(&more, &s).score >= base);
            let mut more = c.clone(); more.unknown = false;
            prop_assert!(assess(&more, &s).score >= base);
        }

        /// Recording a mitigation never raises residual risk, and never changes inherent risk.
        #[test]
        fn mitigations_never_raise_residual_risk(c in ctx_strategy()) {
            let s = RiskSettings::default();
            let before = assess(&c, &s);
            let mut more = c.clone();
            more.mitigations_in_place.push("extra".into());
            let after = assess(&more, &s);
            prop_assert!(after.score <= before.score);
            prop_assert_eq!(after.inherent_score, before.inherent_score);
            prop_assert!(after.score <= after.inherent_score);
        }

        /// Scores stay on the matrix and severities follow the bands.
        #[test]
        fn scores_stay_in_range(c in ctx_strategy()) {
            let s = RiskSettings::default();
            let a = assess(&c, &s);
            prop_assert!((1..=25).contains(&a.score));
            prop_assert_eq!(a.severity, s.band(a.score));
        }
    }
}
