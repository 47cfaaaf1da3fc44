//! [`SloTracker`]: one SLO definition plus its bounded windowed counts.

use super::budget::{allowed_bad_time, burn_rate, time_to_exhaustion, ErrorBudget};
use super::burn::BurnAlertStatus;
use super::definition::{Indicator, SloDefinition, Window};
use super::store::{Counts, WindowStore};
use super::target::Fraction;
use super::timeslice::SliceState;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::borrow::Cow;
use std::time::Duration;

/// Tracks one SLO: feed it events (or cumulative counters), ask for a [`SloReport`] at `now`.
///
/// Nothing here reads a clock: every call takes the time it refers to.
#[derive(Clone, Debug)]
pub struct SloTracker {
    definition: SloDefinition,
    store: WindowStore,
    slices: Option<SliceState>,
    last_cumulative: Option<Counts>,
}

impl SloTracker {
    /// A tracker with an empty store.
    pub fn new(definition: SloDefinition) -> Self {
        Self {
            slices: SliceState::new(definition.budgeting),
            definition,
            store: WindowStore::new(),
            last_cumulative: None,
        }
    }

    /// The definition.
    pub fn definition(&self) -> &SloDefinition {
        &self.definition
    }

    /// The windowed event counts.
    pub fn store(&self) -> &WindowStore {
        &self.store
    }

    /// The windowed counts the budget is computed from at `now`: the event store, or for a
    /// time-slice SLO the complete slices (see [`crate::slo::timeslice`]).
    pub fn budget_store(&self, now: DateTime<Utc>) -> Cow<'_, WindowStore> {
        match &self.slices {
            Some(slices) => slices.store_at(now),
            None => Cow::Borrowed(&self.store),
        }
    }

    /// Events recorded for a time slice that had already been closed (a later slice had
    /// started); they count as events but in no slice. Zero for occurrence SLOs.
    pub fn late_events(&self) -> u64 {
        self.slices.as_ref().map_or(0, |s| s.late)
    }

    /// Adds `good` of `total` events that happened at `at`.
    pub fn record(&mut self, at: DateTime<Utc>, good: u64, total: u64) {
        self.store.record(at, good, total);
        if let Some(slices) = &mut self.slices {
            slices.record(at, good, total);
        }
    }

    /// Adds one event, good or bad.
    pub fn record_event(&mut self, at: DateTime<Utc>, good: bool) {
        self.record(at, u64::from(good), 1);
    }

    /// Adds one event with its latency: for a latency SLO it is good when
    /// `latency <= threshold`; for an availability SLO a completed request is good.
    pub fn record_latency(&mut self, at: DateTime<Utc>, latency: Duration) {
        let good = match &self.definition.indicator {
            Indicator::Latency { threshold } => latency <= *threshold,
            Indicator::Availability => true,
        };
        self.record_event(at, good);
    }

    /// Feeds cumulative counters (as in a pipeline snapshot); the delta since the previous
    /// call is recorded at `at`. The first call only sets the baseline. A counter that went
    /// down is taken as a restart: its current value is the delta (Prometheus `increase`).
    pub fn observe_cumulative(&mut self, at: DateTime<Utc>, good_total: u64, total: u64) {
        let now = Counts {
            good: good_total,
            total,
        };
        if let Some(prev) = self.last_cumulative {
            let delta = |cur: u64, old: u64| if cur >= old { cur - old } else { cur };
            let d_total = delta(now.total, prev.total);
            let d_good = delta(now.good, prev.good).min(d_total);
            self.record(at, d_good, d_total);
        }
        self.last_cumulative = Some(now);
    }

    /// Event counts over the compliance window at `now`.
    pub fn window_counts(&self, now: DateTime<Utc>) -> Counts {
        self.counts_in_window(&self.store, now)
    }

    /// The budget's counts over the compliance window at `now`: events, or for a time-slice
    /// SLO good/total slices (ratios in billionths for `RatioTimeslices`).
    pub fn budget_counts(&self, now: DateTime<Utc>) -> Counts {
        self.counts_in_window(&self.budget_store(now), now)
    }

    fn counts_in_window(&self, store: &WindowStore, now: DateTime<Utc>) -> Counts {
        match self.definition.window {
            Window::Rolling(d) => store.counts_last(now, d),
            Window::CalendarMonth | Window::CalendarWeek => {
                store.counts_since(now, self.definition.window.counting_start(now))
            }
        }
    }

    /// Burn rate over any `window` ending at `now` (`None` without traffic), in the budget's
    /// units (slices for a time-slice SLO).
    pub fn burn_rate(&self, now: DateTime<Utc>, window: Duration) -> Option<Fraction> {
        let c = self.budget_store(now).counts_last(now, window);
        burn_rate(self.definition.target, c.bad(), c.total)
    }

    /// Evaluates every burn-rate condition of the definition at `now`.
    pub fn burn_alerts(&self, now: DateTime<Utc>) -> Vec<BurnAlertStatus> {
        let store = self.budget_store(now);
        self.definition
            .burn_alerts
            .iter()
            .map(|r| r.evaluate(self.definition.target, &store, now))
            .collect()
    }

    /// The full budget report at `now`.
    pub fn report(&self, now: DateTime<Utc>) -> SloReport {
        let def = &self.definition;
        let (period_start, period_end) = def.window.period(now);
        let period = def.window.period_length(now);
        let store = self.budget_store(now);
        let units = self.counts_in_window(&store, now);
        let budget = ErrorBudget::from_counts(def.target, units.good, units.total);
        let c = store.counts_last(now, def.current_burn_window);
        let current_burn = burn_rate(def.target, c.bad(), c.total);
        SloReport {
            name: def.name.clone(),
            period_start,
            period_end,
            counts: self.window_counts(now),
            allowed_bad_time: allowed_bad_time(def.target, period),
            time_to_exhaustion: time_to_exhaustion(budget.remaining, current_burn, period),
            current_burn,
            burn_alerts: def
                .burn_alerts
                .iter()
                .map(|r| r.evaluate(def.target, &store, now))
                .collect(),
            budget,
        }
    }
}

/// A snapshot of one SLO's budget at an instant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SloReport {
    /// SLO name.
    pub name: String,
    /// Start of the compliance period.
    pub period_start: DateTime<Utc>,
    /// End of the period (`now` for rolling windows, the calendar boundary otherwise).
    pub period_end: DateTime<Utc>,
    /// Event counts in the window.
    pub counts: Counts,
    /// The budget (exact consumed / remaining / status), in the definition's budgeting units
    /// (events, or slices for a time-slice SLO).
    pub budget: ErrorBudget,
    /// Allowed bad time `B * period` (time-based view of the same budget).
    pub allowed_bad_time: Duration,
    /// Burn rate over the definition's current-burn window.
    pub current_burn: Option<Fraction>,
    /// Time to exhaustion at the current burn rate (`None` = never).
    pub time_to_exhaustion: Option<Duration>,
    /// The burn-rate conditions.
    pub burn_alerts: Vec<BurnAlertStatus>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slo::budget::BudgetStatus;
    use chrono::TimeZone;

    #[test]
    fn cumulative_feed_and_calendar_window() {
        let def = SloDefinition::builder("wallet")
            .target_percent(99.9)
            .window(Window::CalendarMonth)
            .build();
        let Ok(def) = def else { unreachable!("valid") };
        let mut t = SloTracker::new(def);
        let t0 = Utc
            .with_ymd_and_hms(2026, 2, 27, 12, 0, 0)
            .single()
            .unwrap_or_default();
        t.observe_cumulative(t0, 0, 0);
        t.observe_cumulative(t0 + chrono::Duration::minutes(1), 999_500, 1_000_000);
        let r = t.report(t0 + chrono::Duration::minutes(2));
        assert_eq!(
            r.counts,
            Counts {
                good: 999_500,
                total: 1_000_000
            }
        );
        assert_eq!(r.budget.status, BudgetStatus::Warning);
        // February 2026 has 28 days: 99.9% of 28 d allows 40.32 min.
        assert_eq!(r.allowed_bad_time, Duration::from_millis(2_419_200));
        // A new month starts with a fresh budget.
        let march = t.report(
            Utc.with_ymd_and_hms(2026, 3, 1, 0, 30, 0)
                .single()
                .unwrap_or_default(),
        );
        assert_eq!(march.counts.total, 0);
        // A counter reset counts the new value as the delta.
        t.observe_cumulative(t0 + chrono::Duration::minutes(3), 10, 10);
        assert_eq!(
            t.window_counts(t0 + chrono::Duration::minutes(3)).total,
            1_000_010
        );
    }

    #[test]
    fn latency_events_and_time_to_exhaustion() {
        let def = SloDefinition::builder("chat.latency")
            .latency(Duration::from_millis(300))
            .target_percent(95.0)
            .build();
        let Ok(def) = def else { unreachable!("valid") };
        let mut t = SloTracker::new(def);
        let now = Utc
            .with_ymd_and_hms(2026, 1, 10, 0, 0, 0)
            .single()
            .unwrap_or_default();
        t.record_latency(now, Duration::from_millis(300)); // inclusive: good
        t.record_latency(now, Duration::from_millis(301));
        let r = t.report(now);
        assert_eq!(r.counts, Counts { good: 1, total: 2 });
        // 50% errors against a 5% budget: burn 10 over the last hour; exhausted already.
        assert_eq!(r.current_burn, Some(Fraction::new(10, 1)));
        assert_eq!(r.budget.status, BudgetStatus::Exhausted);
        assert_eq!(r.time_to_exhaustion, Some(Duration::ZERO));
    }
}
