//! Token cost tracking: model pricing, exact cost, per-service monthly budgets and
//! per-user daily quotas.
//!
//! # Exact arithmetic
//!
//! Prices are USD per million tokens with at most 6 decimal places, so one token costs a
//! whole number of pico-USD (10⁻¹² USD). Costs are `u128` pico-units ([`Money`]): every
//! sum is exact and rounding happens once, when presenting (half up to the cent). The
//! product target is ±2%; this is exact.
//!
//! # Pieces
//!
//! - [`PricingTable`]: prices per model (JSON-loadable; the default is an example price list),
//!   prefix lookup for dated model names, a conservative `unknown` price.
//! - [`CostTracker`]: `record_tokens` (counters only) and `record_call` (counters +
//!   per-user daily usage), `check_quota` (allow / warn / block), usage summaries,
//!   unknown-model listing, bounded memory. Counters go to a [`CounterSink`].
//! - [`BudgetTracker`]: monthly per-service budgets (fixed and variable) in a configurable
//!   currency, status ok / warning / exceeded.
//! - Pure functions [`token_cost`], [`evaluate_quota`], [`budget_status`] hold the math;
//!   they take plain values, never read a clock.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use telemetra::cost::{AiCall, CostTracker, Quota, QuotaDecision};
//!
//! # fn main() -> Result<(), telemetra::cost::CostError> {
//! let tracker = CostTracker::builder().default_quota(Quota::tokens(1_000_000)).build()?;
//! let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().unwrap_or_default();
//! let rec = tracker.record_call(&AiCall::new("u-1", "gpt-4-turbo", 10_000, 1_000), now);
//! assert_eq!(rec.cost.total.to_string(), "0.13");
//! assert_eq!(rec.quota.decision, QuotaDecision::Allow);
//! # Ok(())
//! # }
//! ```

mod budget;
mod builder;
mod error;
mod money;
mod pricing;
mod quota;
mod tracker;
mod usage;

pub use budget::{
    budget_status, BudgetConfig, BudgetReport, BudgetStatus, BudgetTracker, ServiceBudget,
    ServiceBudgetReport,
};
pub use builder::CostTrackerBuilder;
pub use error::CostError;
pub use money::Money;
pub use pricing::{token_cost, ModelPrice, Priced, PricingTable, TokenCost, UNKNOWN_MODEL};
pub use quota::{evaluate_quota, Quota, QuotaCheck, QuotaDecision};
pub use tracker::{
    CostTracker, COST_COUNTER, INPUT_TOKENS_COUNTER, OUTPUT_TOKENS_COUNTER, OVERFLOW_USER,
    REQUESTS_COUNTER, UNKNOWN_MODEL_COUNTER, USERS_OVERFLOW_COUNTER,
};
pub use usage::{AiCall, CallRecord, ModelUsage, TrackerStats, UnknownModel, UsageSummary};

/// Where cost counters go. The telemetry pipeline implements this once; closures
/// `Fn(&str, f64, &[(&str, &str)]) + Send + Sync` implement it too.
///
/// ```
/// use std::sync::Arc;
/// use telemetra::cost::{CostTracker, CounterSink};
///
/// # fn main() -> Result<(), telemetra::cost::CostError> {
/// let sink: Arc<dyn CounterSink> = Arc::new(|name: &str, value: f64, tags: &[(&str, &str)]| {
///     let _ = (name, value, tags); // forward to the pipeline
/// });
/// let tracker = CostTracker::builder().sink(sink).build()?;
/// tracker.record_tokens("gpt-4", 100, 10, &[("service", "chat")]);
/// # Ok(())
/// # }
/// ```
pub trait CounterSink: Send + Sync {
    /// Adds `value` to a counter.
    fn count(&self, name: &str, value: f64, tags: &[(&str, &str)]);
}

impl<F> CounterSink for F
where
    F: Fn(&str, f64, &[(&str, &str)]) + Send + Sync,
{
    fn count(&self, name: &str, value: f64, tags: &[(&str, &str)]) {
        self(name, value, tags);
    }
}
