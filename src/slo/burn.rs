//! Multiwindow, multi-burn-rate alert conditions (SRE workbook, "Alerting on SLOs").
//!
//! A condition fires when the error ratio over both its long and its short window exceeds
//! `factor * B` (strict `>`, as Sloth and the workbook). Factors are exact decimals
//! ([`Fraction`]: `"14.4"`, or `"14/15"` for a 28-day window's 0.933…) and the test is exact
//! integer cross-multiplication: `bad * 1e6 * factor.den > factor.num * budget_ppm * total`.
//! No traffic in a window means no ratio (Prometheus' NaN), so the condition is false.

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
    /// Burn-rate factor, exact (14.4 = `72/5`); serialized as its decimal text.
    #[serde(serialize_with = "serialize_factor")]
    pub factor: Fraction,
}

fn serialize_factor<S: serde::Serializer>(f: &Fraction, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&f.to_exact_string())
}

/// Largest accepted factor (a full outage at 99.9999% burns at 1 000 000).
const MAX_FACTOR: i128 = 1_000_000;
/// Finest accepted factor denominator (after reduction).
const MAX_FACTOR_DEN: i128 = 1_000_000_000_000;

impl BurnRateRule {
    /// A rule with the factor in thousandths (14.4 = `14_400`); kept for compatibility, see
    /// [`BurnRateRule::with_factor`].
    pub fn new(severity: BurnSeverity, long: Duration, short: Duration, factor_milli: u32) -> Self {
        Self::with_factor(
            severity,
            long,
            short,
            Fraction::new(i128::from(factor_milli), 1000).reduced(),
        )
    }

    /// A rule with an exact factor: `BurnRateRule::with_factor(Page, h1, m5, "14.4".parse()?)`.
    /// The engine and JSON configuration validate it (above 0, at most 1 000 000).
    pub fn with_factor(
        severity: BurnSeverity,
        long: Duration,
        short: Duration,
        factor: Fraction,
    ) -> Self {
        Self {
            severity,
            long,
            short,
            factor: factor.reduced(),
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
        self.factor
    }

    /// Whether `counts` exceeds this rule's burn threshold (strict, exact; false with no traffic).
    pub fn exceeded(&self, target: Target, counts: Counts) -> bool {
        if counts.total == 0 || self.factor.num <= 0 {
            return false;
        }
        let (num, den) = (self.factor.num, self.factor.den);
        let lhs = i128::from(counts.bad())
            .checked_mul(i128::from(PPM))
            .and_then(|v| v.checked_mul(den));
        let rhs = num
            .checked_mul(i128::from(target.budget_ppm()))
            .and_then(|v| v.checked_mul(i128::from(counts.total)));
        match (lhs, rhs) {
            (Some(l), Some(r)) => l > r,
            // Beyond i128 (factors near the limits with ~1e19 events): the nearest f64s.
            _ => {
                counts.bad() as f64 / counts.total as f64
                    > self.factor.to_f64() * target.budget().to_f64()
            }
        }
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
    /// Burn-rate factor (> 0): a number (`14.4`) or an exact decimal or ratio as a string
    /// (`"14.4"`, `"14/15"`).
    pub factor: FactorSpec,
}

/// A burn-rate factor in JSON: a number or a string, read exactly as its decimal text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FactorSpec {
    /// A JSON number; read through its shortest decimal form (`14.4` is exactly 14.4).
    Number(f64),
    /// A decimal (`"0.9333"`) or ratio (`"14/15"`) string.
    Text(String),
}

impl From<f64> for FactorSpec {
    fn from(f: f64) -> Self {
        Self::Number(f)
    }
}

impl FactorSpec {
    /// The exact value: a number through its shortest decimal text, a string as written.
    pub fn to_exact(&self) -> Result<Fraction, String> {
        let text = match self {
            Self::Number(f) if f.is_finite() => format!("{f}"),
            Self::Number(_) => return Err("must be a finite number".to_owned()),
            Self::Text(t) => t.clone(),
        };
        Fraction::from_decimal(&text).map_err(|e| e.to_string())
    }

    fn to_fraction(&self) -> Result<Fraction, String> {
        let f = self.to_exact()?;
        let text = f.to_exact_string();
        if f <= Fraction::zero() || f > Fraction::new(MAX_FACTOR, 1) {
            return Err(format!("{text} is not above 0 and at most 1000000"));
        }
        if f.den > MAX_FACTOR_DEN {
            return Err(format!("{text} has more than 12 decimals"));
        }
        Ok(f)
    }
}

impl From<BurnRateRule> for BurnRateSpec {
    fn from(r: BurnRateRule) -> Self {
        Self {
            severity: r.severity,
            long: format_duration(r.long),
            short: format_duration(r.short),
            factor: FactorSpec::Text(r.factor.to_exact_string()),
        }
    }
}

impl BurnRateSpec {
    /// Validates; `prefix` is prepended to field names in errors.
    pub fn validate(self, prefix: &str) -> Result<BurnRateRule, SloError> {
        let window = |name: &str, text: &str| {
            parse_duration(text)
                .ok()
                .filter(|d| d.as_secs() >= 60 && d.as_secs() <= 400 * 86_400)
                .ok_or_else(|| {
                    SloError::invalid(
                        format!("{prefix}{name}"),
                        "must be a duration from 1m to 400d",
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
        let factor = self
            .factor
            .to_fraction()
            .map_err(|reason| SloError::invalid(format!("{prefix}factor"), reason))?;
        Ok(BurnRateRule::with_factor(
            self.severity,
            long,
            short,
            factor,
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

    #[test]
    fn factors_are_exact_decimals() {
        let h = Duration::from_secs(3600);
        let m5 = Duration::from_secs(300);
        // A 28-day window's slow factor 28/30 is held exactly, and a burn at exactly
        // 14/15 * 0.1% (14 bad of 15 000) does not exceed it while 15 of 15 000 does.
        let spec = |factor: FactorSpec| BurnRateSpec {
            severity: BurnSeverity::Ticket,
            long: "4d".into(),
            short: "6h".into(),
            factor,
        };
        let slow = spec(FactorSpec::Text("14/15".into())).validate("");
        let Ok(slow) = slow else {
            unreachable!("{slow:?}")
        };
        assert_eq!(slow.factor, Fraction::new(14, 15));
        let c = |bad: u64| Counts {
            good: 15_000 - bad,
            total: 15_000,
        };
        assert!(!slow.exceeded(target(), c(14)));
        assert!(slow.exceeded(target(), c(15)));
        // JSON numbers read through their decimal text: 13.44 is exactly 1344/100.
        let r = spec(FactorSpec::Number(13.44)).validate("");
        assert_eq!(r.ok().map(|r| r.factor), Some(Fraction::new(1344, 100)));
        // The old thousandths constructor is the same rule.
        assert_eq!(
            BurnRateRule::new(BurnSeverity::Page, h, m5, 14_400),
            BurnRateRule::with_factor(BurnSeverity::Page, h, m5, Fraction::new(72, 5))
        );
        for (bad, reason) in [
            (FactorSpec::Number(0.0), "not above 0"),
            (FactorSpec::Number(-1.0), "not above 0"),
            (FactorSpec::Text("1/0".into()), "denominator is zero"),
            (FactorSpec::Text("fast".into()), "invalid decimal"),
            (FactorSpec::Number(2e6), "at most 1000000"),
        ] {
            let e = spec(bad.clone()).validate("slos[0].burn_alerts[1].");
            assert!(
                matches!(&e, Err(SloError::InvalidField { field, reason: r })
                    if field == "slos[0].burn_alerts[1].factor" && r.contains(reason)),
                "{bad:?}: {e:?}"
            );
        }
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
                                         // The closed forms agree: detection 0.0144 / 0.1 * 1 h = 8.64 min and reset
                                         // 5 min - 0.0144 / 0.1 * 5 min = 4.28 min, each first seen at the next whole minute.
        let burst = super::super::recovery::Incident::new(
            Fraction::new(1, 10),
            Duration::from_secs(30 * 60),
        );
        let detect = super::super::budget::detection_time(
            target(),
            burst.error_ratio,
            rule.long,
            rule.factor,
        );
        assert_eq!(detect, Some(Duration::from_millis(518_400)));
        let reset = rule.reset_time(target(), &burst);
        assert_eq!(reset, Some(Duration::from_millis(256_800)));
        let whole_minutes = |d: Option<Duration>| d.map(|d| d.as_millis().div_ceil(60_000));
        assert_eq!(
            whole_minutes(detect),
            fired_at.and_then(|m| u128::try_from(m).ok())
        );
        assert_eq!(
            whole_minutes(reset),
            cleared_at.and_then(|m| u128::try_from(m).ok())
        );
    }
}
