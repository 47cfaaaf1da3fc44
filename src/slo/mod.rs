//! Service level objectives: definitions, windowed counts, error budgets and burn rates.
//!
//! # Model
//! An SLO is an [`Indicator`] (availability: good / total events; latency: events at most a
//! threshold / total), a [`Target`] (held exactly as parts per million) and a [`Window`]
//! (rolling, e.g. 30 d, or calendar month / ISO week in UTC). A [`SloTracker`] keeps the
//! good/total counts in a bounded [`WindowStore`] (per-minute buckets for 24 h, per-hour for
//! 35 d, per-day for 400 d) and produces an [`SloReport`] at any `now`. The budget counts
//! events, or time slices ([`BudgetingMethod`], see [`timeslice`]).
//!
//! Beyond the report: [`recovery`] says when alerts reset and budgets recover after an
//! incident, and [`prometheus`] exports an SLO as Prometheus recording and alerting rules.
//!
//! # Arithmetic
//! With budget `B = 1 - target`: consumed `= bad / (B * total)`, remaining `= 1 - consumed`,
//! burn rate over `W` `= (bad_W / total_W) / B`. Every value that decides a state is an exact
//! [`Fraction`] of integers, so 500 bad of 1,000,000 at 99.9% leaves exactly 1/2 of the budget
//! (warning), where naive `f64` says 0.5000000000000004 (healthy). Status boundaries: healthy
//! `r > 1/2`, warning `1/5 <= r <= 1/2`, critical `0 < r < 1/5`, exhausted `r <= 0`.
//! No traffic consumes nothing and yields no burn rate (so no burn alert fires).
//! [`Fraction`] has checked arithmetic and exact decimal parsing for doing the same math
//! outside the tracker; the pure functions of [`budget`] are re-exported here.
//!
//! All functions are pure: they take `now` and never read a clock or do I/O.

pub mod budget;
pub mod burn;
pub mod definition;
pub mod duration;
pub mod fraction;
pub mod presets;
pub mod prometheus;
pub mod recovery;
pub mod store;
pub mod target;
pub mod timeslice;
pub mod tracker;

pub use budget::{
    allowed_bad_time, budget_spent, burn_rate, burn_rate_for_budget_share, detection_time,
    time_to_exhaustion, BudgetStatus, ErrorBudget,
};
pub use burn::{BurnAlertStatus, BurnRateRule, BurnRateSpec, BurnSeverity, FactorSpec};
pub use definition::{Indicator, SloBuilder, SloDefinition, SloSpec, Window};
pub use fraction::{Fraction, ParseDecimalError};
pub use recovery::{budget_recovery_time, burn_alert_reset_time, window_clear_time, Incident};
pub use store::{Counts, WindowStore};
pub use target::Target;
pub use timeslice::{BudgetingMethod, BudgetingSpec};
pub use tracker::{SloReport, SloTracker};

/// The Rust snippets of `docs/slo.md`, compiled and run as doc tests.
#[cfg(all(doctest, feature = "transport"))]
#[doc = include_str!("../../docs/slo.md")]
pub struct SloDocTests;

/// Errors from SLO configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SloError {
    /// A field failed validation.
    #[error("invalid slo field `{field}`: {reason}")]
    InvalidField {
        /// The field, e.g. `slos[2].target`.
        field: String,
        /// Why it is invalid.
        reason: String,
    },
    /// The JSON could not be parsed (serde names the missing or unknown field).
    #[error("invalid slo json")]
    Json(#[from] serde_json::Error),
}

impl SloError {
    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidField {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod config_tests {
    use super::*;

    #[test]
    fn json_config_errors_name_the_field() {
        let ok = r#"{"slos": [
            {"name": "api", "indicator": {"type": "availability"}, "target": 99.9, "window": "30d"},
            {"name": "lat", "indicator": {"type": "latency", "threshold": "300ms"}, "target": 95,
             "window": "month", "burn_alerts": [{"severity": "page", "long": "1h", "short": "5m", "factor": 14.4}]}
        ]}"#;
        let slos = SloDefinition::list_from_json(ok).unwrap_or_default();
        assert_eq!(slos.len(), 2);
        assert_eq!(slos.get(1).map(|s| s.window), Some(Window::CalendarMonth));
        let cases = [
            (
                r#"{"slos": [{"name": "a", "indicator": {"type": "availability"}, "target": 100, "window": "30d"}]}"#,
                "slos[0].target",
            ),
            (
                r#"{"slos": [{"name": "a", "indicator": {"type": "availability"}, "target": 99.9, "window": "30x"}]}"#,
                "slos[0].window",
            ),
            (
                r#"{"slos": [{"name": "", "indicator": {"type": "availability"}, "target": 99.9, "window": "30d"}]}"#,
                "slos[0].name",
            ),
            (
                r#"{"slos": [{"name": "a", "indicator": {"type": "availability"}, "target": 99.9, "window": "30d",
                "burn_alerts": [{"severity": "page", "long": "5m", "short": "1h", "factor": 14.4}]}]}"#,
                "slos[0].burn_alerts[0].short",
            ),
            (
                r#"{"slos": [{"name": "a", "indicator": {"type": "availability"}, "target": 99.9, "window": "30d"},
                {"name": "a", "indicator": {"type": "availability"}, "target": 99.9, "window": "30d"}]}"#,
                "slos[1].name",
            ),
        ];
        for (json, field) in cases {
            match SloDefinition::list_from_json(json) {
                Err(SloError::InvalidField { field: f, .. }) => assert_eq!(f, field),
                other => unreachable!("expected invalid {field}, got {other:?}"),
            }
        }
        let missing = SloDefinition::from_json(
            r#"{"name": "a", "indicator": {"type": "availability"}, "window": "30d"}"#,
        );
        let msg = missing.map_err(|e| {
            format!(
                "{e}: {}",
                std::error::Error::source(&e)
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            )
        });
        assert!(msg
            .err()
            .unwrap_or_default()
            .contains("missing field `target`"));
        let built = SloDefinition::builder("x").build();
        assert!(matches!(built, Err(SloError::InvalidField { field, .. }) if field == "target"));
    }
}
