//! Per-call input and the usage summaries the cost tracker reports.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Money, QuotaCheck, TokenCost};

/// One AI call to account for.
///
/// ```
/// use std::time::Duration;
/// use telemetra::cost::AiCall;
/// let call = AiCall::new("u-42", "gpt-4", 1_200, 300)
///     .duration(Duration::from_millis(850))
///     .tags(&[("service", "chat")]);
/// assert_eq!(call.input_tokens, 1_200);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct AiCall<'a> {
    /// Anonymised user id (never a name or e-mail). Not used as a metric tag.
    pub user: &'a str,
    /// Model name as sent to the provider.
    pub model: &'a str,
    /// Input (prompt) tokens.
    pub input_tokens: u64,
    /// Output (completion) tokens.
    pub output_tokens: u64,
    /// Wall time of the call.
    pub duration: Duration,
    /// Extra tags for the counters (e.g. `service=chat`); keep them free of PII.
    pub tags: &'a [(&'a str, &'a str)],
}

impl<'a> AiCall<'a> {
    /// A call with zero duration and no extra tags.
    #[must_use]
    pub fn new(user: &'a str, model: &'a str, input_tokens: u64, output_tokens: u64) -> Self {
        Self {
            user,
            model,
            input_tokens,
            output_tokens,
            duration: Duration::ZERO,
            tags: &[],
        }
    }

    /// Sets the call duration.
    #[must_use]
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = duration;
        self
    }

    /// Sets extra counter tags.
    #[must_use]
    pub fn tags(mut self, tags: &'a [(&'a str, &'a str)]) -> Self {
        self.tags = tags;
        self
    }
}

/// What [`CostTracker::record_call`](super::CostTracker::record_call) did.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    /// The pricing-table entry used, or `unknown`.
    pub model: String,
    /// Whether the model was in the table.
    pub known: bool,
    /// Exact cost in USD.
    pub cost: TokenCost,
    /// The user's quota state after this call.
    pub quota: QuotaCheck,
    /// `false` when cost tracking is switched off (nothing was counted or accounted).
    pub tracked: bool,
}

/// Usage of one model within a [`UsageSummary`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelUsage {
    /// Calls.
    pub calls: u64,
    /// Input tokens.
    pub input_tokens: u64,
    /// Output tokens.
    pub output_tokens: u64,
    /// Cost in USD.
    pub cost: Money,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct DayUsage {
    pub(crate) calls: u64,
    pub(crate) input_tokens: u64,
    pub(crate) output_tokens: u64,
    pub(crate) duration_ms: u64,
    pub(crate) cost: Money,
    pub(crate) models: BTreeMap<String, ModelUsage>,
}

/// One user's usage on one UTC day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageSummary {
    /// User id (or `_overflow`).
    pub user: String,
    /// UTC day.
    pub date: NaiveDate,
    /// Calls.
    pub calls: u64,
    /// Input tokens.
    pub input_tokens: u64,
    /// Output tokens.
    pub output_tokens: u64,
    /// Summed call durations in milliseconds.
    pub duration_ms: u64,
    /// Cost in USD.
    pub cost: Money,
    /// Share of the user's daily quota used, in percent; `None` without a quota.
    pub quota_percent: Option<f64>,
    /// Breakdown by pricing-table entry (`unknown` for unpriced models).
    pub models: BTreeMap<String, ModelUsage>,
}

/// A model name that was not in the pricing table, with its call count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownModel {
    /// The name as given (truncated to 128 characters), or `(other)` once 64 distinct
    /// names are listed.
    pub name: String,
    /// Calls seen.
    pub calls: u64,
}

/// Counts for the tracker itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackerStats {
    /// Users with usage in the retention window.
    pub tracked_users: usize,
    /// Calls accounted to [`OVERFLOW_USER`](super::OVERFLOW_USER) because the cap was reached.
    pub overflow_calls: u64,
    /// Calls older than the retention window (counted in counters, not in summaries).
    pub stale_calls: u64,
    /// Calls to unknown models.
    pub unknown_model_calls: u64,
}
