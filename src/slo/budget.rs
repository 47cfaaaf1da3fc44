//! Error-budget arithmetic: pure functions over counts, a [`Target`] and durations.
//!
//! Every quantity whose comparison decides a state is an exact [`Fraction`] of integers
//! (`u64` counts times parts per million fit easily in `i128`); `f64` appears only in display
//! helpers and in derived durations (time to exhaustion).

use super::target::{Fraction, Target, PPM};
use serde::Serialize;
use std::fmt;
use std::time::Duration;

/// Error-budget policy status from the remaining budget `r` (a common policy: healthy above 50 %, warning 20–50 %, critical below 20 %).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetStatus {
    /// `r > 50%`: normal releases.
    Healthy,
    /// `20% <= r <= 50%`: slow releases, watch closely.
    Warning,
    /// `0 < r < 20%`: freeze non-critical releases.
    Critical,
    /// `r <= 0`: the budget is spent (a critical state of its own).
    Exhausted,
}

impl BudgetStatus {
    /// Status for an exact remaining fraction; the boundaries 1/2 and 1/5 are decided exactly.
    pub fn from_remaining(remaining: Fraction) -> Self {
        use std::cmp::Ordering::{Greater, Less};
        if remaining.cmp_ratio(0, 1) != Greater {
            Self::Exhausted
        } else if remaining.cmp_ratio(1, 2) == Greater {
            Self::Healthy
        } else if remaining.cmp_ratio(1, 5) == Less {
            Self::Critical
        } else {
            Self::Warning
        }
    }

    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Healthy => "healthy",
            Self::Warning => "warning",
            Self::Critical => "critical",
            Self::Exhausted => "exhausted",
        }
    }
}

impl fmt::Display for BudgetStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error budget of one SLO over a set of events (an Occurrences budget).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ErrorBudget {
    /// The objective.
    pub target: Target,
    /// Good events.
    pub good: u64,
    /// All events.
    pub total: u64,
    /// `total - good`.
    pub bad: u64,
    /// Allowed bad events `B * total`, exact.
    pub allowed_bad: Fraction,
    /// Consumed share `bad / (B * total)`, exact; 0 with no traffic.
    pub consumed: Fraction,
    /// Remaining share `1 - consumed`, exact; negative when overspent.
    pub remaining: Fraction,
    /// Policy status derived exactly from `remaining`.
    pub status: BudgetStatus,
}

impl ErrorBudget {
    /// Computes the budget from good and total counts (`good` is clamped to `total`).
    ///
    /// No traffic (`total == 0`) consumes nothing: remaining 1, healthy.
    pub fn from_counts(target: Target, good: u64, total: u64) -> Self {
        let good = good.min(total);
        let bad = total - good;
        let budget_ppm = i128::from(target.budget_ppm());
        let ppm = i128::from(PPM);
        let allowed_bad = Fraction::new(budget_ppm * i128::from(total), ppm);
        let consumed = if total == 0 {
            Fraction::zero()
        } else {
            // bad / (B * total) = bad * 1e6 / (budget_ppm * total)
            Fraction::new(i128::from(bad) * ppm, budget_ppm * i128::from(total))
        };
        let remaining = consumed.one_minus();
        Self {
            target,
            good,
            total,
            bad,
            allowed_bad,
            consumed,
            remaining,
            status: BudgetStatus::from_remaining(remaining),
        }
    }

    /// Bad events still allowed (`B * total - bad`), negative when overspent.
    pub fn remaining_bad(&self) -> f64 {
        self.allowed_bad.to_f64() - self.bad as f64
    }

    /// The SLI `good / total`; `None` with no traffic.
    pub fn sli(&self) -> Option<f64> {
        (self.total > 0).then(|| self.good as f64 / self.total as f64)
    }
}

/// Allowed bad time `B * period`, exact to the nanosecond (99.9% over 30 d = 43 min 12 s).
pub fn allowed_bad_time(target: Target, period: Duration) -> Duration {
    let nanos = period.as_nanos() * u128::from(target.budget_ppm()) / u128::from(PPM);
    duration_from_nanos(nanos)
}

/// Burn rate `error_ratio / B = bad * 1e6 / (total * budget_ppm)`; `None` with no traffic
/// (0/0 is NaN in Prometheus and every comparison with it is false).
pub fn burn_rate(target: Target, bad: u64, total: u64) -> Option<Fraction> {
    (total > 0).then(|| {
        Fraction::new(
            i128::from(bad) * i128::from(PPM),
            i128::from(total) * i128::from(target.budget_ppm()),
        )
    })
}

/// Share of a period's budget spent by burning at `burn` for `window`: `burn * window / period`.
pub fn budget_spent(burn: Fraction, window: Duration, period: Duration) -> Fraction {
    Fraction::new(
        burn.num.saturating_mul(secs(window)),
        burn.den.saturating_mul(secs(period)),
    )
}

/// Burn rate that spends `share` of the budget in `window`: `share * period / window`
/// (2% of 30 d in 1 h = 14.4).
pub fn burn_rate_for_budget_share(share: Fraction, window: Duration, period: Duration) -> Fraction {
    Fraction::new(
        share.num.saturating_mul(secs(period)),
        share.den.saturating_mul(secs(window)).max(1),
    )
}

/// Time until the remaining budget is gone at burn rate `burn`: `remaining * period / burn`.
/// Zero when `remaining <= 0`; `None` (never) when the burn rate is zero or unknown.
pub fn time_to_exhaustion(
    remaining: Fraction,
    burn: Option<Fraction>,
    period: Duration,
) -> Option<Duration> {
    if remaining.num <= 0 {
        return Some(Duration::ZERO);
    }
    let burn = burn?;
    if burn.num <= 0 {
        return None;
    }
    let secs_f = remaining.to_f64() * period.as_secs_f64() / burn.to_f64();
    Duration::try_from_secs_f64(secs_f).ok()
}

/// Workbook detection time of a single-window burn alert: `B / error_ratio * window * burn`
/// (99.9%, 1 h window at 14.4, 10% errors: 8.64 min).
///
/// `None` (never) when the error ratio is at or below the alert's threshold `burn * B`: the
/// window's ratio can never exceed it (the alert fires only strictly above). Otherwise the
/// time is below `window`.
pub fn detection_time(
    target: Target,
    error_ratio: Fraction,
    window: Duration,
    burn: Fraction,
) -> Option<Duration> {
    // Fires iff er > burn * B  <=>  er.num * burn.den * 1e6 > burn.num * budget_ppm * er.den.
    let budget_ppm = i128::from(Target::budget_ppm(target));
    let lhs = error_ratio
        .num
        .saturating_mul(burn.den)
        .saturating_mul(i128::from(PPM));
    let rhs = burn
        .num
        .saturating_mul(budget_ppm)
        .saturating_mul(error_ratio.den);
    if error_ratio.num <= 0 || lhs <= rhs {
        return None;
    }
    // B/er * W * burn = (budget_ppm/1e6) * (er.den/er.num) * W * (burn.num/burn.den)
    let num = budget_ppm
        .saturating_mul(error_ratio.den)
        .saturating_mul(i128::try_from(window.as_nanos()).unwrap_or(i128::MAX))
        .saturating_mul(burn.num);
    let den = i128::from(PPM)
        .saturating_mul(error_ratio.num)
        .saturating_mul(burn.den);
    Some(duration_from_nanos(
        u128::try_from(num / den.max(1)).unwrap_or(0),
    ))
}

fn secs(d: Duration) -> i128 {
    i128::from(d.as_secs())
}

fn duration_from_nanos(nanos: u128) -> Duration {
    let secs = u64::try_from(nanos / 1_000_000_000).unwrap_or(u64::MAX);
    // The remainder is below 1e9, so it fits in u32.
    let sub = u32::try_from(nanos % 1_000_000_000).unwrap_or(0);
    Duration::new(secs, sub)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ppm: u32) -> Target {
        match Target::from_ppm(ppm) {
            Some(t) => t,
            None => unreachable!("test targets are valid"),
        }
    }
    const DAY: u64 = 86_400;

    #[test]
    fn allowed_bad_time_matches_the_doc() {
        let month = Duration::from_secs(30 * DAY);
        let cases = [
            (999_000, month, 2592),                         // 43.2 min
            (995_000, month, 12_960),                       // 3.6 h
            (990_000, month, 25_920),                       // 7.2 h
            (999_900, month, 259),                          // 4.32 min (259.2 s)
            (999_000, Duration::from_secs(28 * DAY), 2419), // 40.32 min (2419.2 s)
        ];
        for (ppm, period, secs) in cases {
            assert_eq!(allowed_bad_time(t(ppm), period).as_secs(), secs, "{ppm}");
        }
        assert_eq!(
            allowed_bad_time(t(999_000), month),
            Duration::from_secs_f64(43.2 * 60.0)
        );
        assert_eq!(
            allowed_bad_time(t(995_000), month),
            Duration::from_secs(3 * 3600 + 36 * 60)
        );
        assert_eq!(
            allowed_bad_time(t(999_900), month),
            Duration::from_millis(259_200)
        );
        assert_eq!(
            allowed_bad_time(t(999_000), Duration::from_secs(28 * DAY)),
            Duration::from_millis(2_419_200)
        );
    }

    #[test]
    fn boundary_half_remaining_is_warning_exactly() {
        // BOUNDARY: 500 bad of 1e6 at 99.9% leaves exactly 0.5 -> warning.
        let b = ErrorBudget::from_counts(t(999_000), 1_000_000 - 500, 1_000_000);
        assert_eq!(b.remaining, Fraction::new(1, 2));
        assert_eq!(b.status, BudgetStatus::Warning);
        assert_eq!(b.allowed_bad, Fraction::new(1000, 1));
        // The naive f64 computation lands on the wrong side of the boundary.
        let naive = 1.0 - (500.0 / 1e6) / (1.0 - 0.999);
        assert!(naive > 0.5);
    }

    #[test]
    fn status_table() {
        let cases = [
            (0, BudgetStatus::Healthy),
            (499, BudgetStatus::Healthy),
            (500, BudgetStatus::Warning),
            (800, BudgetStatus::Warning), // exactly 20% remaining
            (801, BudgetStatus::Critical),
            (999, BudgetStatus::Critical),
            (1000, BudgetStatus::Exhausted),
            (1500, BudgetStatus::Exhausted),
        ];
        for (bad, status) in cases {
            let b = ErrorBudget::from_counts(t(999_000), 1_000_000 - bad, 1_000_000);
            assert_eq!(b.status, status, "bad={bad}");
        }
        let overspent = ErrorBudget::from_counts(t(999_000), 1_000_000 - 1500, 1_000_000);
        assert_eq!(overspent.remaining, Fraction::new(-1, 2));
        assert_eq!(overspent.remaining_bad(), -500.0);
        let idle = ErrorBudget::from_counts(t(999_000), 0, 0);
        assert_eq!((idle.status, idle.sli()), (BudgetStatus::Healthy, None));
    }

    #[test]
    fn burn_rate_budget_share_and_exhaustion() {
        let month = Duration::from_secs(30 * DAY);
        let hour = Duration::from_secs(3600);
        // 14.4x for 1 h consumes exactly 2% of a 30-day budget.
        assert_eq!(
            budget_spent(Fraction::new(144, 10), hour, month),
            Fraction::new(2, 100)
        );
        // and the inverse: 2% in 1 h, 5% in 6 h, 10% in 3 d.
        let share = |p: i128, w: u64| {
            burn_rate_for_budget_share(Fraction::new(p, 100), Duration::from_secs(w), month)
        };
        assert_eq!(share(2, 3600), Fraction::new(144, 10));
        assert_eq!(share(5, 6 * 3600), Fraction::new(6, 1));
        assert_eq!(share(10, 3 * DAY), Fraction::new(1, 1));
        assert_eq!(share(5, 36 * 3600), Fraction::new(1, 1));
        // Burn rate of 1.44% errors at 99.9% is 14.4.
        assert_eq!(
            burn_rate(t(999_000), 144, 10_000),
            Some(Fraction::new(144, 10))
        );
        assert_eq!(burn_rate(t(999_000), 0, 0), None);
        // A full budget at burn 14.4 lasts period / 14.4 = 50 h.
        let full = time_to_exhaustion(Fraction::one(), Some(Fraction::new(144, 10)), month);
        assert_eq!(full.map(|d| d.as_secs()), Some(50 * 3600));
        assert_eq!(
            time_to_exhaustion(Fraction::new(1, 2), Some(Fraction::one()), month),
            Some(month / 2)
        );
        assert_eq!(
            time_to_exhaustion(Fraction::zero(), None, month),
            Some(Duration::ZERO)
        );
        assert_eq!(
            time_to_exhaustion(Fraction::one(), Some(Fraction::zero()), month),
            None
        );
    }

    #[test]
    fn workbook_detection_times() {
        let hour = Duration::from_secs(3600);
        let burn = Fraction::new(144, 10);
        // 100% errors: 0.864 min = 51.84 s.
        assert_eq!(
            detection_time(t(999_000), Fraction::one(), hour, burn),
            Some(Duration::from_millis(51_840))
        );
        // 15% errors: 5.76 min.
        assert_eq!(
            detection_time(t(999_000), Fraction::new(15, 100), hour, burn),
            Some(Duration::from_millis(345_600))
        );
        // 10% errors: 8.64 min.
        assert_eq!(
            detection_time(t(999_000), Fraction::new(1, 10), hour, burn),
            Some(Duration::from_millis(518_400))
        );
        // At or below the threshold 14.4 * 0.1% = 1.44% the alert never fires; just above
        // it, it fires just before the window is full (1.45%: 0.0144/0.0145 h = 3575.17 s).
        for never in [
            Fraction::new(144, 10_000),
            Fraction::new(1, 100),
            Fraction::zero(),
        ] {
            assert_eq!(
                detection_time(t(999_000), never, hour, burn),
                None,
                "{never}"
            );
        }
        let just_above = detection_time(t(999_000), Fraction::new(145, 10_000), hour, burn);
        assert_eq!(just_above.map(|d| d.as_millis()), Some(3_575_172));
        // Approach 2: 36 h window at burn 1 sees a total outage after ~2 min 10 s (129.6 s).
        let w36 = Duration::from_secs(36 * 3600);
        assert_eq!(
            detection_time(t(999_000), Fraction::one(), w36, Fraction::one()),
            Some(Duration::from_millis(129_600))
        );
        // Approach 4: 5% in 1 h is burn 36; budget spent at firing 36 * 1h / 30d = 5%.
        let b36 =
            burn_rate_for_budget_share(Fraction::new(5, 100), hour, Duration::from_secs(30 * DAY));
        assert_eq!(b36, Fraction::new(36, 1));
        // Extreme goal: at 90% a full outage is burn 10 = 1.39%/h, below the 2%/1h page.
        let full_outage_90 = burn_rate(t(900_000), 1, 1);
        assert_eq!(full_outage_90, Some(Fraction::new(10, 1)));
        // Low traffic: 10 req/h, one failure in an hour at 99.9% is burn 100.
        assert_eq!(burn_rate(t(999_000), 1, 10), Some(Fraction::new(100, 1)));
    }
}
