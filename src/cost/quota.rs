//! Per-user daily quotas: allow, warn at the soft threshold, block at the hard one.

use serde::{Deserialize, Serialize};

use super::money::ratio_bps;
use super::{CostError, Money};

/// A daily per-user limit on tokens (input + output), on cost in USD, or both; the more
/// used of the two decides.
///
/// JSON: `{"dailyTokens": 200000, "dailyCost": 5}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Quota {
    /// Tokens (input + output) per UTC day.
    #[serde(default)]
    pub daily_tokens: Option<u64>,
    /// Cost in USD per UTC day.
    #[serde(default)]
    pub daily_cost: Option<Money>,
}

impl Quota {
    /// A token-only quota.
    #[must_use]
    pub const fn tokens(daily_tokens: u64) -> Self {
        Self {
            daily_tokens: Some(daily_tokens),
            daily_cost: None,
        }
    }

    /// A cost-only quota (USD).
    #[must_use]
    pub const fn cost(daily_cost: Money) -> Self {
        Self {
            daily_tokens: None,
            daily_cost: Some(daily_cost),
        }
    }

    /// Whether neither limit is set.
    #[must_use]
    pub fn is_unlimited(&self) -> bool {
        self.daily_tokens.is_none() && self.daily_cost.is_none()
    }

    pub(crate) fn validate(&self, field: &str) -> Result<(), CostError> {
        if self.daily_tokens == Some(0) {
            return Err(CostError::Zero(format!("{field}.dailyTokens")));
        }
        if self.daily_cost == Some(Money::ZERO) {
            return Err(CostError::Zero(format!("{field}.dailyCost")));
        }
        Ok(())
    }
}

/// What to do with a user's next call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuotaDecision {
    /// Below the soft threshold (or no quota, or quotas switched off).
    Allow,
    /// At or above the soft threshold, below the hard one: allow, but tell the user.
    Warn,
    /// At or above the hard threshold: refuse the call.
    Block,
}

/// Answer of a quota check.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuotaCheck {
    /// The decision.
    pub decision: QuotaDecision,
    /// Share of the quota used, in percent (the larger of tokens and cost), rounded down
    /// to 0.01; `None` without a quota.
    pub percent: Option<f64>,
}

impl QuotaCheck {
    /// An `allow` answer with no usage figure.
    #[must_use]
    pub const fn allow() -> Self {
        Self {
            decision: QuotaDecision::Allow,
            percent: None,
        }
    }
}

/// Decides a quota from usage: `block` when any limit is reached (used ≥ limit, so exactly
/// 100% blocks), `warn` when any usage is at or above `warn_percent` of its limit (exactly
/// 80% warns), else `allow`. Integer arithmetic only.
///
/// ```
/// use telemetra::cost::{evaluate_quota, Money, Quota, QuotaDecision};
/// let quota = Quota::tokens(1_000);
/// let d = |used| evaluate_quota(&quota, used, Money::ZERO, 80).decision;
/// assert_eq!(d(799), QuotaDecision::Allow);
/// assert_eq!(d(800), QuotaDecision::Warn);
/// assert_eq!(d(999), QuotaDecision::Warn);
/// assert_eq!(d(1_000), QuotaDecision::Block);
/// ```
#[must_use]
pub fn evaluate_quota(
    quota: &Quota,
    tokens_used: u64,
    cost_used: Money,
    warn_percent: u32,
) -> QuotaCheck {
    let pairs = [
        quota
            .daily_tokens
            .map(|limit| (u128::from(tokens_used), u128::from(limit))),
        quota
            .daily_cost
            .map(|limit| (cost_used.picos(), limit.picos())),
    ];
    let mut decision = QuotaDecision::Allow;
    let mut bps: Option<u128> = None;
    for (used, limit) in pairs.into_iter().flatten() {
        let this = if used >= limit {
            QuotaDecision::Block
        } else if used.saturating_mul(100) >= limit.saturating_mul(u128::from(warn_percent)) {
            QuotaDecision::Warn
        } else {
            QuotaDecision::Allow
        };
        decision = decision.max(this);
        let r = ratio_bps(used, limit).unwrap_or(u128::MAX);
        bps = Some(bps.map_or(r, |b| b.max(r)));
    }
    #[allow(clippy::cast_precision_loss)] // display value
    let percent = bps.map(|b| b as f64 / 100.0);
    QuotaCheck { decision, percent }
}
