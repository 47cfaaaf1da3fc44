//! Time to recover: after an incident ends, how long until burn-rate alerts stop firing and
//! until a rolling budget is back above a policy threshold (the SRE Workbook's "reset time").
//!
//! # Model
//! Traffic arrives at a constant rate. The error ratio is `after` before the incident and after
//! it, and `error_ratio` during its `duration`; the incident ends at `t = 0`. A window of
//! length `W` ending at `t >= 0` then still holds `x(t) = min(duration, W - t)` (at least 0) of
//! the incident, so its error ratio is `after + x(t) * (error_ratio - after) / W`. It is at or
//! below a level `L` (with `after <= L < error_ratio`) once
//! `x(t) <= x* = (L - after) * W / (error_ratio - after)`, that is from `t = W - x*` on (or at
//! once when the window never held more than `x*`).
//!
//! - A burn-rate condition stops firing when **either** window is at or below
//!   `factor * B` (it fires only while both exceed it, strictly): the earlier of its two
//!   windows. Conditions of one severity are ORed, so the alert clears at the latest of them.
//! - A rolling budget reaches a status when the error ratio over the whole period is below
//!   the status' bound: healthy `< B/2`, warning `<= 4B/5`, critical `< B`. Strict bounds are
//!   reached just after the returned instant. Calendar budgets recover only when a new period
//!   starts, which this model does not cover.
//!
//! Everything is exact ([`Fraction`]s and integer nanoseconds); `None` means never (the level
//! after the incident is itself above the threshold).
//!
//! Checked against the workbook: 15% errors for 10 minutes at 99.9% trip the 1 h / 5 m page,
//! which clears 4 min 31.2 s after the errors stop (the 5 m window; the 1 h window alone would
//! stay high for 54 min 14.4 s); a one-window 1 h alert at burn 36 resets 57.84 min after a
//! total outage.

use super::budget::BudgetStatus;
use super::burn::{BurnRateRule, BurnSeverity};
use super::target::{Fraction, Target};
use std::time::Duration;

/// An incident as the recovery functions see it (see the module docs for the model).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Incident {
    /// Error ratio during the incident, in `[0, 1]` (clamped).
    pub error_ratio: Fraction,
    /// How long it lasted.
    pub duration: Duration,
    /// Error ratio before and after it, in `[0, 1]` (clamped); zero for a clean service.
    pub after: Fraction,
}

impl Incident {
    /// An incident of `error_ratio` for `duration` on an otherwise clean service.
    pub fn new(error_ratio: Fraction, duration: Duration) -> Self {
        Self {
            error_ratio,
            duration,
            after: Fraction::zero(),
        }
    }

    /// The error ratio once the incident is over (and before it). Defaults to zero.
    #[must_use]
    pub fn then(mut self, after: Fraction) -> Self {
        self.after = after;
        self
    }
}

fn clamp01(f: Fraction) -> Fraction {
    f.max(Fraction::zero()).min(Fraction::one())
}

fn nanos(d: Duration) -> i128 {
    i128::try_from(d.as_nanos()).unwrap_or(i128::MAX)
}

fn from_nanos(n: i128) -> Duration {
    let n = u128::try_from(n.max(0)).unwrap_or(0);
    let secs = u64::try_from(n / 1_000_000_000).unwrap_or(u64::MAX);
    // The remainder is below 1e9.
    Duration::new(secs, u32::try_from(n % 1_000_000_000).unwrap_or(0))
}

/// Time after the incident ends until the error ratio over `window` is at or below `level`
/// (`strict`: below it). `Some(ZERO)` when it already is at the end; `None` when never (the
/// ratio after the incident is above `level`, or equal to it with `strict`).
pub fn window_clear_time(
    incident: &Incident,
    window: Duration,
    level: Fraction,
    strict: bool,
) -> Option<Duration> {
    let (e, a) = (clamp01(incident.error_ratio), clamp01(incident.after));
    if a > level || (strict && a == level) {
        return None;
    }
    if e <= level || incident.duration.is_zero() || window.is_zero() {
        return Some(Duration::ZERO);
    }
    let w = nanos(window);
    let held = nanos(incident.duration).min(w);
    // x* = (L - a) / (e - a) * W, in nanoseconds, exact; on overflow the window length is
    // an upper bound (after W the incident has left the window and the ratio is `a`).
    let x_star = level
        .checked_sub(a)
        .and_then(|num| num.checked_div(e.checked_sub(a)?))
        .and_then(|share| share.checked_mul(Fraction::new(w, 1)));
    let Some(x_star) = x_star else {
        return Some(window);
    };
    // held <= x*  <=>  held * den <= num (den > 0).
    if Fraction::new(held, 1) <= x_star {
        return Some(Duration::ZERO);
    }
    // t = W - x*, rounded up to the nanosecond so the ratio is at or below the level then.
    let floor = x_star.num.div_euclid(x_star.den);
    Some(from_nanos(w.saturating_sub(floor)))
}

impl BurnRateRule {
    /// Time after `incident` ends until this condition stops firing: the earlier of its two
    /// windows reaching `factor * B` (`Some(ZERO)` if it was not firing; `None` = never).
    pub fn reset_time(&self, target: Target, incident: &Incident) -> Option<Duration> {
        let level = self.factor().checked_mul(target.budget())?;
        let long = window_clear_time(incident, self.long, level, false);
        let short = window_clear_time(incident, self.short, level, false);
        match (long, short) {
            (Some(l), Some(s)) => Some(l.min(s)),
            (l, s) => l.or(s),
        }
    }
}

/// Time after `incident` ends until the `severity` alert built from `rules` (its conditions
/// ORed, as [`crate::alert::AlertEngine::evaluate_slos`] does) stops firing: the latest reset
/// of its conditions. `None` when one of them never resets or no rule has that severity.
pub fn burn_alert_reset_time(
    target: Target,
    rules: &[BurnRateRule],
    severity: BurnSeverity,
    incident: &Incident,
) -> Option<Duration> {
    let mut latest: Option<Duration> = None;
    for rule in rules.iter().filter(|r| r.severity == severity) {
        let reset = rule.reset_time(target, incident)?;
        latest = Some(latest.map_or(reset, |l| l.max(reset)));
    }
    latest
}

/// Time after `incident` ends until a rolling budget over `period` is back at `status` or
/// better (healthy: remaining `> 1/2`; warning: `>= 1/5`; critical: `> 0`; exhausted: at
/// once). `None` = never at this `after` ratio.
pub fn budget_recovery_time(
    target: Target,
    period: Duration,
    incident: &Incident,
    status: BudgetStatus,
) -> Option<Duration> {
    // remaining = 1 - ratio / B, so the bound on remaining is a bound on the period's ratio.
    let (consumed, strict) = match status {
        BudgetStatus::Healthy => (Fraction::new(1, 2), true),
        BudgetStatus::Warning => (Fraction::new(4, 5), false),
        BudgetStatus::Critical => (Fraction::one(), true),
        BudgetStatus::Exhausted => return Some(Duration::ZERO),
    };
    let level = consumed.checked_mul(target.budget())?;
    window_clear_time(incident, period, level, strict)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t999() -> Target {
        Target::from_ppm(999_000).unwrap_or_else(|| unreachable!())
    }
    const MIN: u64 = 60;

    #[test]
    fn workbook_reset_times() {
        let rules = BurnRateRule::workbook_defaults();
        let page_1h = rules.first().cloned().unwrap_or_else(|| unreachable!());
        // 15% errors for 10 min. 5 m window: x* = 0.0144 / 0.15 * 5 min = 28.8 s, so it is
        // clear 300 - 28.8 = 271.2 s after the end; 1 h window: x* = 0.096 * 60 min = 5.76 min,
        // clear after 60 - 5.76 = 54.24 min = 3254.4 s. The condition clears with the earlier.
        let burst = Incident::new(Fraction::new(15, 100), Duration::from_secs(10 * MIN));
        let level = Fraction::new(144, 10_000);
        assert_eq!(
            window_clear_time(&burst, page_1h.short, level, false),
            Some(Duration::from_millis(271_200))
        );
        assert_eq!(
            window_clear_time(&burst, page_1h.long, level, false),
            Some(Duration::from_millis(3_254_400))
        );
        assert_eq!(
            page_1h.reset_time(t999(), &burst),
            Some(Duration::from_millis(271_200))
        );
        // The 6h/30m page at 6: the 6 h window holds 10/360 * 0.15 = 0.42% < 0.6%, it never
        // fired; the page as a whole clears with the 1 h / 5 m condition.
        let six = rules.get(1).cloned().unwrap_or_else(|| unreachable!());
        assert_eq!(six.reset_time(t999(), &burst), Some(Duration::ZERO));
        assert_eq!(
            burn_alert_reset_time(t999(), &rules, BurnSeverity::Page, &burst),
            Some(Duration::from_millis(271_200))
        );
        // Approach 4: one 1 h window at burn 36 after a total outage of at least an hour:
        // x* = 0.036 h, reset 60 * (1 - 0.036) = 57.84 min.
        let outage = Incident::new(Fraction::one(), Duration::from_secs(2 * 3600));
        let hour = Duration::from_secs(3600);
        assert_eq!(
            window_clear_time(&outage, hour, Fraction::new(36, 1000), false),
            Some(Duration::from_millis(3_470_400))
        );
        // Errors that stay above the threshold afterwards never reset; at it, they do.
        assert_eq!(
            page_1h.reset_time(t999(), &burst.then(Fraction::new(2, 100))),
            None
        );
        assert_eq!(
            window_clear_time(&burst.then(level), page_1h.short, level, false),
            Some(Duration::from_secs(300))
        );
        assert_eq!(
            window_clear_time(&burst.then(level), page_1h.short, level, true),
            None
        );
    }

    #[test]
    fn budget_recovers_as_the_incident_ages_out() {
        // 100% errors for 30 min at 99.9% over 30 d (allowed bad time 43.2 min): consumed
        // 30/43.2 = 69.4%, remaining 30.6% (warning). Healthy again when less than half is
        // consumed, i.e. when under 21.6 min of the outage is still in the window:
        // 30 d - 21.6 min after the end.
        let period = Duration::from_secs(30 * 86_400);
        let outage = Incident::new(Fraction::one(), Duration::from_secs(30 * MIN));
        assert_eq!(
            budget_recovery_time(t999(), period, &outage, BudgetStatus::Healthy),
            Some(period - Duration::from_millis(1_296_000))
        );
        assert_eq!(
            budget_recovery_time(t999(), period, &outage, BudgetStatus::Warning),
            Some(Duration::ZERO)
        );
        // 60 min: remaining -38.9% (exhausted). Critical (remaining > 0) once under 43.2 min
        // remain in the window; warning (>= 20%) at 34.56 min.
        let long = Incident::new(Fraction::one(), Duration::from_secs(60 * MIN));
        assert_eq!(
            budget_recovery_time(t999(), period, &long, BudgetStatus::Critical),
            Some(period - Duration::from_millis(2_592_000))
        );
        assert_eq!(
            budget_recovery_time(t999(), period, &long, BudgetStatus::Warning),
            Some(period - Duration::from_millis(2_073_600))
        );
        // A service that keeps burning at exactly half the budget never gets back above 1/2.
        let steady = long.then(Fraction::new(5, 10_000));
        assert_eq!(
            budget_recovery_time(t999(), period, &steady, BudgetStatus::Healthy),
            None
        );
    }
}
