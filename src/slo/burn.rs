//! Multiwindow, multi-burn-rate alert conditions (SRE workbook, "Alerting on SLOs").
//!
//! A condition fires when the error ratio over both its long and its short window exceeds
//! `factor * B` (strict `>`, as Sloth and the workbook). The test is exact integer
//! cross-multiplication: `bad * 1e6 * 1000 > factor_milli * budget_ppm * total`. No traffic in a
//! window means no ratio (Prometheus' NaN), so the condition is false.

use super::budget::burn_rate;
use super::duration::{format_duration, parse_duration};
use super::store::{Counts, WindowStore};
use super::target::{Fraction, Target, PPM};
use super::SloError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How urgent a burn-rate alert is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BurnSeverity {
    /// Wake someone up.
    Page,
    /// Handle in working hours.
    Ticket,
}

impl BurnSeverity {
    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Page => "page",
            Self::Ticket => "ticket",
        }
    }
}

/// One long/short window pair with its burn-rate factor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BurnRateRule {
    /// Page or ticket.
    pub severity: BurnSeverity,
    /// Long window (e.g. 1 h).
    #[serde(with = "super::duration::serde_str")]
    pub long: Duration,
    /// Short window (about 1/12 of the long one, e.g. 5 m).
    #[serde(with = "super::duration::serde_str")]
    pub short: Duration,
    /// Burn-rate factor in thousandths (14.4 = `14_400`).
    pub factor_milli: u32,
}

impl BurnRateRule {
    /// A rule; `factor_milli` is the factor times 1000.
    pub fn new(severity: BurnSeverity, long: Duration, short: Duration, factor_milli: u32) -> Self {
        Self {
            severity,
            long,
            short,
            factor_milli,
        }
    }

    /// The workbook's recommended set for a 30-day SLO: page 1h/5m at 14.4 (2% of budget),
    /// page 6h/30m at 6 (5%), ticket 3d/6h at 1 (10%).
    pub fn workbook_defaults() -> Vec<Self> {
        let m = |mins: u64| Duration::from_secs(mins * 60);
        vec![
            Self::new(BurnSeverity::Page, m(60), m(5), 14_400),
            Self::new(BurnSeverity::Page, m(360), m(30), 6_000),
            Self::new(BurnSeverity::Ticket, m(3 * 24 * 60), m(360), 1_000),
        ]
    }

    /// The factor as a fraction.
    pub fn factor(&self) -> Fraction {
        Fraction::new(i128::from(self.factor_milli), 1000)
    }

    /// Whether `counts` exceeds this rule's burn threshold (strict, exact; false with no traffic).
    pub fn exceeded(&self, target: Target, counts: Counts) -> bool {
        if counts.total == 0 {
            return false;
        }
        let lhs = u128::from(counts.bad()) * u128::from(PPM) * 1000;
        let rhs = u128::from(self.factor_milli)
            * u128::from(target.budget_ppm())
            * u128::from(counts.total);
        lhs > rhs
    }

    /// Evaluates this rule over `store` at `now`.
    pub fn evaluate(
        &self,
        target: Target,
        store: &WindowStore,
        now: DateTime<Utc>,
    ) -> BurnAlertStatus {
        let long = store.counts_last(now, self.long);
        let short = store.counts_last(now, self.short);
        BurnAlertStatus {
            rule: self.clone(),
            long_burn: burn_rate(target, long.bad(), long.total),
            short_burn: burn_rate(target, short.bad(), short.total),
            firing: self.exceeded(target, long) && self.exceeded(target, short),
        }
    }
}

/// The result of one burn-rate condition at one instant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BurnAlertStatus {
    /// The condition.
    pub rule: BurnRateRule,
    /// Burn rate over the long window (`None` without traffic).
    pub long_burn: Option<Fraction>,
    /// Burn rate over the short window (`None` without traffic).
    pub short_burn: Option<Fraction>,
    /// Both windows exceed the factor.
    pub firing: bool,
}

/// JSON shape of a burn-rate rule: `{"severity": "page", "long": "1h", "short": "5m", "factor": 14.4}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BurnRateSpec {
    /// `page` or `ticket`.
    pub severity: BurnSeverity,
    /// Long window, e.g. `"1h"`.
    pub long: String,
    /// Short window, e.g. `"5m"`; must be shorter than `long`.
    pub short: String,
    /// Burn-rate factor (> 0, at most three decimals).
    pub factor: f64,
}

impl From<BurnRateRule> for BurnRateSpec {
    fn from(r: BurnRateRule) -> Self {
        Self {
            severity: r.severity,
            long: format_duration(r.long),
            short: format_duration(r.short),
            factor: f64::from(r.factor_milli) / 1000.0,
        }
    }
}

impl BurnRateSpec {
    /// Validates; `prefix` is prepended to field names in errors.
    pub fn validate(self, prefix: &str) -> Result<BurnRateRule, SloError> {
        let window = |name: &str, text: &str| {
            parse_duration(text)
                .ok()
                .filter(|d| d.as_secs() >= 60 && d.as_secs() <= 35 * 86_400)
                .ok_or_else(|| {
                    SloError::invalid(
                        format!("{prefix}{name}"),
                        "must be a duration from 1m to 35d",
                    )
                })
        };
        let long = window("long", &self.long)?;
        let short = window("short", &self.short)?;
        if short >= long {
            return Err(SloError::invalid(
                format!("{prefix}short"),
                "must be shorter than long",
            ));
        }
        let milli = self.factor * 1000.0;
        if !(milli.is_finite() && milli >= 1.0 && milli <= f64::from(u32::MAX))
            || (milli - milli.round()).abs() > 1e-6
        {
            return Err(SloError::invalid(
                format!("{prefix}factor"),
                "must be a positive number with at most three decimals",
            ));
        }
        // Range-checked above.
        Ok(BurnRateRule::new(
            self.severity,
            long,
            short,
            milli.round() as u32,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn target() -> Target {
        Target::from_ppm(999_000).unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn threshold_is_strict_and_exact() {
        let rule = BurnRateRule::workbook_defaults()
            .into_iter()
            .next()
            .unwrap_or_else(|| unreachable!());
        // 14.4 * 0.001 = 0.0144 exactly: 144 bad of 10_000 is not above it, 145 is.
        assert!(!rule.exceeded(
            target(),
            Counts {
                good: 10_000 - 144,
                total: 10_000
            }
        ));
        assert!(rule.exceeded(
            target(),
            Counts {
                good: 10_000 - 145,
                total: 10_000
            }
        ));
        assert!(!rule.exceeded(target(), Counts::default()));
    }

    /// Workbook figure: a 10% error burst at 99.9% trips the 1h/5m page after 8.64 min
    /// (so at the 9th one-minute evaluation) and clears once the 5-minute window is clean.
    #[test]
    fn ten_percent_burst_detection_and_reset() {
        let rule = BurnRateRule::workbook_defaults()
            .into_iter()
            .next()
            .unwrap_or_else(|| unreachable!());
        let mut store = WindowStore::new();
        let t0 = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let at = |m: i64| t0 + chrono::Duration::minutes(m);
        // Two quiet hours of 1000 req/min, then 10% errors for 30 minutes, then quiet again.
        let mut fired_at = None;
        let mut cleared_at = None;
        for m in 0..240 {
            let bad = if (120..150).contains(&m) { 100 } else { 0 };
            store.record(at(m), 1000 - bad, 1000);
            let firing = rule
                .evaluate(target(), &store, at(m) + chrono::Duration::seconds(59))
                .firing;
            if firing && fired_at.is_none() {
                fired_at = Some(m - 120 + 1); // minutes of errors seen
            }
            if !firing && fired_at.is_some() && cleared_at.is_none() && m >= 150 {
                cleared_at = Some(m - 150 + 1);
            }
        }
        assert_eq!(fired_at, Some(9)); // first whole minute past 8.64
        assert_eq!(cleared_at, Some(5)); // the 5m window is clean after 5 good minutes
    }
}
