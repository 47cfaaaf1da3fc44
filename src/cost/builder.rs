//! Builder for the cost tracker.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use parking_lot::Mutex;

use super::tracker::{Inner, State};
use super::{CostError, CostTracker, CounterSink, PricingTable, Quota};
use crate::switches::Switches;

/// Builder for [`CostTracker`].
#[derive(Default)]
pub struct CostTrackerBuilder {
    pricing: Option<PricingTable>,
    default_quota: Quota,
    user_quotas: Vec<(String, Quota)>,
    warn_percent: Option<u32>,
    max_users: Option<usize>,
    retention_days: Option<u32>,
    switches: Option<Switches>,
    sink: Option<Arc<dyn CounterSink>>,
}

impl fmt::Debug for CostTrackerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CostTrackerBuilder")
            .field("default_quota", &self.default_quota)
            .field("warn_percent", &self.warn_percent)
            .field("max_users", &self.max_users)
            .field("retention_days", &self.retention_days)
            .finish_non_exhaustive()
    }
}

impl CostTrackerBuilder {
    /// The pricing table. Defaults to [`PricingTable::default`] (an example price list,
    /// conservative `unknown` price).
    #[must_use]
    pub fn pricing(mut self, pricing: PricingTable) -> Self {
        self.pricing = Some(pricing);
        self
    }

    /// The daily quota of every user without an override. Defaults to unlimited.
    #[must_use]
    pub fn default_quota(mut self, quota: Quota) -> Self {
        self.default_quota = quota;
        self
    }

    /// A per-user quota override. Defaults to none.
    #[must_use]
    pub fn user_quota(mut self, user: impl Into<String>, quota: Quota) -> Self {
        self.user_quotas.push((user.into(), quota));
        self
    }

    /// Soft quota threshold in percent (1–99); the hard block is always at 100%.
    /// Defaults to 80.
    #[must_use]
    pub fn warn_percent(mut self, percent: u32) -> Self {
        self.warn_percent = Some(percent);
        self
    }

    /// Most users tracked at once. Defaults to 10 000.
    #[must_use]
    pub fn max_users(mut self, max_users: usize) -> Self {
        self.max_users = Some(max_users);
        self
    }

    /// UTC days of usage kept per user, today included. Defaults to 7.
    #[must_use]
    pub fn retention_days(mut self, days: u32) -> Self {
        self.retention_days = Some(days);
        self
    }

    /// Honour the `costs.realtime_tracking` and `quotas.enabled` switches of this
    /// registry. Defaults to none (both always on).
    #[must_use]
    pub fn switches(mut self, switches: &Switches) -> Self {
        self.switches = Some(switches.clone());
        self
    }

    /// Where counters go. Defaults to none (accounting only).
    #[must_use]
    pub fn sink(mut self, sink: Arc<dyn CounterSink>) -> Self {
        self.sink = Some(sink);
        self
    }

    /// Validates and builds the tracker.
    ///
    /// # Errors
    /// [`CostError::Percent`] for `warn_percent` outside 1–99, [`CostError::Zero`] for a
    /// zero `max_users`, `retention_days` or quota limit, and pricing-table errors.
    pub fn build(self) -> Result<CostTracker, CostError> {
        let pricing = self.pricing.unwrap_or_default();
        pricing.validate()?;
        let warn_percent = self.warn_percent.unwrap_or(80);
        if !(1..=99).contains(&warn_percent) {
            return Err(CostError::Percent {
                field: "warn_percent",
                max: 99,
            });
        }
        let max_users = self.max_users.unwrap_or(10_000);
        if max_users == 0 {
            return Err(CostError::Zero("max_users".to_owned()));
        }
        let retention_days = self.retention_days.unwrap_or(7);
        if retention_days == 0 {
            return Err(CostError::Zero("retention_days".to_owned()));
        }
        self.default_quota.validate("default_quota")?;
        let mut quotas = HashMap::new();
        for (user, quota) in self.user_quotas {
            quota.validate("user_quota")?;
            quotas.insert(user, quota);
        }
        Ok(CostTracker {
            inner: Arc::new(Inner {
                pricing,
                default_quota: self.default_quota,
                warn_percent,
                max_users,
                retention_days,
                tracking: self.switches.as_ref().map(Switches::cost_tracking),
                quotas_switch: self.switches.as_ref().map(Switches::quotas),
                sink: self.sink,
                state: Mutex::new(State {
                    quotas,
                    ..State::default()
                }),
            }),
        })
    }
}
