//! The cost tracker: per-call accounting, counters, per-user daily usage and quotas.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use parking_lot::Mutex;

use super::usage::DayUsage;
use super::{
    evaluate_quota, AiCall, CallRecord, CostError, CostTrackerBuilder, CounterSink, Money,
    PricingTable, Quota, QuotaCheck, QuotaDecision, TokenCost, TrackerStats, UnknownModel,
    UsageSummary,
};
use crate::switches::Switch;

/// Counter: one per recorded call, tagged `model`.
pub const REQUESTS_COUNTER: &str = "ai.requests.count";
/// Counter: input tokens, tagged `model`.
pub const INPUT_TOKENS_COUNTER: &str = "ai.tokens.input";
/// Counter: output tokens, tagged `model`.
pub const OUTPUT_TOKENS_COUNTER: &str = "ai.tokens.output";
/// Counter: cost in USD, tagged `model`.
pub const COST_COUNTER: &str = "ai.cost.usd";
/// Counter: calls to models missing from the pricing table (tagged `model=unknown`).
pub const UNKNOWN_MODEL_COUNTER: &str = "ai.cost.unknown_model";
/// Counter: calls accounted to the overflow user because the user cap was reached.
pub const USERS_OVERFLOW_COUNTER: &str = "ai.cost.users_overflow";
/// Pseudo-user that collects usage of users beyond the `max_users` cap.
pub const OVERFLOW_USER: &str = "_overflow";

const MAX_UNKNOWN_NAMES: usize = 64;
const MAX_UNKNOWN_NAME_LEN: usize = 128;

#[derive(Debug, Default)]
pub(super) struct State {
    pub(super) users: HashMap<String, BTreeMap<NaiveDate, DayUsage>>,
    pub(super) overflow: BTreeMap<NaiveDate, DayUsage>,
    pub(super) quotas: HashMap<String, Quota>,
    pub(super) unknown: BTreeMap<String, u64>,
    pub(super) latest_day: Option<NaiveDate>,
    pub(super) last_full_prune: Option<NaiveDate>,
    pub(super) stats: TrackerStats,
}

/// Tracks token cost per call, emits counters, keeps per-user daily usage and answers
/// quota checks. Cheap to clone; all clones share state.
///
/// - **Pricing**: exact, from a [`PricingTable`]; unknown models use its `unknown` price
///   (conservative by default), are counted under `model=unknown` plus
///   [`UNKNOWN_MODEL_COUNTER`] and listed by [`unknown_models`](Self::unknown_models).
/// - **Time**: every method that depends on the date takes `now`; days are UTC.
/// - **Memory**: at most `max_users` users, each with at most `retention_days` days and
///   one entry per pricing-table model. A new user arriving at the cap (after dropping
///   users with no usage in the window) is accounted to [`OVERFLOW_USER`] and counted
///   ([`USERS_OVERFLOW_COUNTER`]); quota checks for such users **fail open** (allow), so
///   the cap can never lock users out. Size the cap above the daily active users.
/// - **Switches**: with `costs.realtime_tracking` off, calls are priced but nothing is
///   counted or stored; with `quotas.enabled` off, every quota check allows.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use telemetra::cost::{AiCall, CostTracker, Quota, QuotaDecision};
///
/// # fn main() -> Result<(), telemetra::cost::CostError> {
/// let tracker = CostTracker::builder().default_quota(Quota::tokens(10_000)).build()?;
/// let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().unwrap_or_default();
/// let rec = tracker.record_call(&AiCall::new("u-1", "claude-sonnet-4-5", 6_000, 2_000), now);
/// assert_eq!(rec.cost.total.to_string(), "0.05"); // 6000×3/1e6 + 2000×15/1e6 = 0.048
/// assert_eq!(tracker.check_quota("u-1", now).decision, QuotaDecision::Warn);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct CostTracker {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) pricing: PricingTable,
    pub(super) default_quota: Quota,
    pub(super) warn_percent: u32,
    pub(super) max_users: usize,
    pub(super) retention_days: u32,
    pub(super) tracking: Option<Switch>,
    pub(super) quotas_switch: Option<Switch>,
    pub(super) sink: Option<Arc<dyn CounterSink>>,
    pub(super) state: Mutex<State>,
}

impl fmt::Debug for CostTracker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CostTracker")
            .field("models", &self.inner.pricing.models.len())
            .field("max_users", &self.inner.max_users)
            .field("retention_days", &self.inner.retention_days)
            .finish_non_exhaustive()
    }
}

impl CostTracker {
    /// Starts a builder.
    #[must_use]
    pub fn builder() -> CostTrackerBuilder {
        CostTrackerBuilder::default()
    }

    /// The pricing table.
    #[must_use]
    pub fn pricing(&self) -> &PricingTable {
        &self.inner.pricing
    }

    /// Prices a call and emits its counters (requests, input and output tokens, cost), with
    /// `model` (table entry or `unknown`) added to `tags`. No per-user accounting. Returns
    /// the exact cost, also when tracking is switched off (then nothing is emitted).
    pub fn record_tokens(
        &self,
        model: &str,
        input: u64,
        output: u64,
        tags: &[(&str, &str)],
    ) -> TokenCost {
        let priced = self.inner.pricing.price(model, input, output);
        if self.tracking_enabled() {
            if !priced.known {
                self.note_unknown(model);
            }
            self.emit(
                priced.model,
                priced.known,
                input,
                output,
                priced.cost.total,
                tags,
                false,
            );
        }
        priced.cost
    }

    /// Prices a call, emits its counters and adds it to the user's usage for the UTC day of
    /// `now`; returns the cost and the user's quota state after the call.
    pub fn record_call(&self, call: &AiCall<'_>, now: DateTime<Utc>) -> CallRecord {
        let priced = self
            .inner
            .pricing
            .price(call.model, call.input_tokens, call.output_tokens);
        let model = priced.model.to_owned();
        if !self.tracking_enabled() {
            return CallRecord {
                model,
                known: priced.known,
                cost: priced.cost,
                quota: self.check_quota(call.user, now),
                tracked: false,
            };
        }
        let day = now.date_naive();
        let overflowed = {
            let mut state = self.inner.state.lock();
            if !priced.known {
                note_unknown(&mut state, call.model);
            }
            self.account(&mut state, call, &model, priced.cost.total, day)
        };
        self.emit(
            &model,
            priced.known,
            call.input_tokens,
            call.output_tokens,
            priced.cost.total,
            call.tags,
            overflowed,
        );
        CallRecord {
            model,
            known: priced.known,
            cost: priced.cost,
            quota: self.check_quota(call.user, now),
            tracked: true,
        }
    }

    /// Whether `user` may make another call on the UTC day of `now`: `allow` below the
    /// soft threshold (default 80%), `warn` from it, `block` at 100% of the daily quota.
    /// Always `allow` when quotas are switched off (the percentage is still reported), the
    /// user has no quota, or the user is not tracked (beyond the user cap). The check looks
    /// at usage so far: one call can take a user from below 80% to above 100%.
    #[must_use]
    pub fn check_quota(&self, user: &str, now: DateTime<Utc>) -> QuotaCheck {
        let state = self.inner.state.lock();
        let quota = self.quota_for(&state, user);
        if quota.is_unlimited() {
            return QuotaCheck::allow();
        }
        let day = now.date_naive();
        let (tokens, cost) = state
            .users
            .get(user)
            .and_then(|days| days.get(&day))
            .map_or((0, Money::ZERO), |d| {
                (d.input_tokens.saturating_add(d.output_tokens), d.cost)
            });
        drop(state);
        let mut check = evaluate_quota(&quota, tokens, cost, self.inner.warn_percent);
        if self
            .inner
            .quotas_switch
            .as_ref()
            .is_some_and(|s| !s.is_enabled())
        {
            // Switched off: usage is still reported, the call is always allowed.
            check.decision = QuotaDecision::Allow;
        }
        check
    }

    /// Sets (or with `None` removes) a per-user quota that overrides the default.
    /// Overrides are not bounded by `max_users`; they are set by operators, not traffic.
    ///
    /// # Errors
    /// [`CostError::Zero`] for a zero limit.
    pub fn set_user_quota(&self, user: &str, quota: Option<Quota>) -> Result<(), CostError> {
        let mut state = self.inner.state.lock();
        match quota {
            Some(q) => {
                q.validate("quota")?;
                state.quotas.insert(user.to_owned(), q);
            }
            None => {
                state.quotas.remove(user);
            }
        }
        Ok(())
    }

    /// A user's usage on a UTC day (within the retention window).
    #[must_use]
    pub fn usage(&self, user: &str, day: NaiveDate) -> Option<UsageSummary> {
        let state = self.inner.state.lock();
        let usage = if user == OVERFLOW_USER {
            state.overflow.get(&day)
        } else {
            state.users.get(user).and_then(|d| d.get(&day))
        }?;
        Some(self.summary(&state, user, day, usage))
    }

    /// Every user's usage on a UTC day, sorted by user id (overflow included).
    #[must_use]
    pub fn daily_usage(&self, day: NaiveDate) -> Vec<UsageSummary> {
        let state = self.inner.state.lock();
        let mut out: Vec<UsageSummary> = state
            .users
            .iter()
            .filter_map(|(user, days)| days.get(&day).map(|u| self.summary(&state, user, day, u)))
            .collect();
        if let Some(u) = state.overflow.get(&day) {
            out.push(self.summary(&state, OVERFLOW_USER, day, u));
        }
        out.sort_by(|a, b| a.user.cmp(&b.user));
        out
    }

    /// Model names seen that were not in the pricing table, most calls first.
    #[must_use]
    pub fn unknown_models(&self) -> Vec<UnknownModel> {
        let state = self.inner.state.lock();
        let mut out: Vec<UnknownModel> = state
            .unknown
            .iter()
            .map(|(name, calls)| UnknownModel {
                name: name.clone(),
                calls: *calls,
            })
            .collect();
        out.sort_by(|a, b| b.calls.cmp(&a.calls).then_with(|| a.name.cmp(&b.name)));
        out
    }

    /// Counts for the tracker itself.
    #[must_use]
    pub fn stats(&self) -> TrackerStats {
        let state = self.inner.state.lock();
        TrackerStats {
            tracked_users: state.users.len(),
            ..state.stats
        }
    }

    fn tracking_enabled(&self) -> bool {
        self.inner.tracking.as_ref().is_none_or(Switch::is_enabled)
    }

    fn quota_for(&self, state: &State, user: &str) -> Quota {
        state
            .quotas
            .get(user)
            .copied()
            .unwrap_or(self.inner.default_quota)
    }

    fn note_unknown(&self, model: &str) {
        note_unknown(&mut self.inner.state.lock(), model);
    }

    /// Adds the call to the user's day; returns whether it went to the overflow user.
    fn account(
        &self,
        state: &mut State,
        call: &AiCall<'_>,
        model: &str,
        cost: Money,
        day: NaiveDate,
    ) -> bool {
        let latest = match state.latest_day {
            Some(d) if d >= day => d,
            _ => {
                state.latest_day = Some(day);
                day
            }
        };
        let oldest = latest
            .checked_sub_days(chrono::Days::new(u64::from(
                self.inner.retention_days.saturating_sub(1),
            )))
            .unwrap_or(NaiveDate::MIN);
        if day < oldest {
            state.stats.stale_calls += 1;
            return false;
        }
        let mut overflowed = false;
        if !state.users.contains_key(call.user) && state.users.len() >= self.inner.max_users {
            if state.last_full_prune != Some(latest) {
                state.last_full_prune = Some(latest);
                state.users.retain(|_, days| {
                    days.retain(|d, _| *d >= oldest);
                    !days.is_empty()
                });
                state.overflow.retain(|d, _| *d >= oldest);
            }
            overflowed = state.users.len() >= self.inner.max_users;
        }
        let days = if overflowed {
            state.stats.overflow_calls += 1;
            &mut state.overflow
        } else {
            let days = state.users.entry(call.user.to_owned()).or_default();
            days.retain(|d, _| *d >= oldest);
            days
        };
        let usage = days.entry(day).or_default();
        usage.calls += 1;
        usage.input_tokens = usage.input_tokens.saturating_add(call.input_tokens);
        usage.output_tokens = usage.output_tokens.saturating_add(call.output_tokens);
        let ms = u64::try_from(call.duration.as_millis()).unwrap_or(u64::MAX);
        usage.duration_ms = usage.duration_ms.saturating_add(ms);
        usage.cost = usage.cost + cost;
        let m = usage.models.entry(model.to_owned()).or_default();
        m.calls += 1;
        m.input_tokens = m.input_tokens.saturating_add(call.input_tokens);
        m.output_tokens = m.output_tokens.saturating_add(call.output_tokens);
        m.cost = m.cost + cost;
        overflowed
    }

    fn summary(&self, state: &State, user: &str, day: NaiveDate, u: &DayUsage) -> UsageSummary {
        let quota = if user == OVERFLOW_USER {
            Quota::default()
        } else {
            self.quota_for(state, user)
        };
        let tokens = u.input_tokens.saturating_add(u.output_tokens);
        UsageSummary {
            user: user.to_owned(),
            date: day,
            calls: u.calls,
            input_tokens: u.input_tokens,
            output_tokens: u.output_tokens,
            duration_ms: u.duration_ms,
            cost: u.cost,
            quota_percent: evaluate_quota(&quota, tokens, u.cost, self.inner.warn_percent).percent,
            models: u.models.clone(),
        }
    }

    #[allow(clippy::too_many_arguments)] // private helper, all plain values
    #[allow(clippy::cast_precision_loss)] // counters carry presentation values
    fn emit(
        &self,
        model: &str,
        known: bool,
        input: u64,
        output: u64,
        cost: Money,
        tags: &[(&str, &str)],
        overflowed: bool,
    ) {
        let Some(sink) = &self.inner.sink else {
            return;
        };
        let mut all: Vec<(&str, &str)> = Vec::with_capacity(tags.len() + 1);
        all.push(("model", model));
        all.extend(tags.iter().copied().filter(|(k, _)| *k != "model"));
        sink.count(REQUESTS_COUNTER, 1.0, &all);
        sink.count(INPUT_TOKENS_COUNTER, input as f64, &all);
        sink.count(OUTPUT_TOKENS_COUNTER, output as f64, &all);
        sink.count(COST_COUNTER, cost.as_f64(), &all);
        if !known {
            sink.count(UNKNOWN_MODEL_COUNTER, 1.0, &all);
        }
        if overflowed {
            sink.count(USERS_OVERFLOW_COUNTER, 1.0, &[]);
        }
    }
}

fn note_unknown(state: &mut State, model: &str) {
    state.stats.unknown_model_calls += 1;
    let name: String = model.chars().take(MAX_UNKNOWN_NAME_LEN).collect();
    if let Some(calls) = state.unknown.get_mut(&name) {
        *calls += 1;
    } else if state.unknown.len() < MAX_UNKNOWN_NAMES {
        state.unknown.insert(name, 1);
    } else {
        *state.unknown.entry("(other)".to_owned()).or_default() += 1;
    }
}
