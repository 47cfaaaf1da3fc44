//! Per-service monthly budgets with ok / warning / exceeded status.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Utc};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use super::money::ratio_bps;
use super::{CostError, Money};

/// Where spend stands against a budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BudgetStatus {
    /// Below the warning threshold.
    Ok,
    /// At or above the warning threshold, at most the budget.
    Warning,
    /// Strictly above the budget.
    Exceeded,
}

/// Classifies spend against a budget: `exceeded` when `spent > budget`, `warning` when
/// `spent ≥ warning_percent % of budget`, else `ok`. Exact integer comparison; a zero
/// budget is `exceeded` as soon as anything is spent.
///
/// ```
/// use telemetra::cost::{budget_status, BudgetStatus, Money};
/// let budget = Money::from_units(20);
/// assert_eq!(budget_status(Money::from_units(16), budget, 80), BudgetStatus::Warning);
/// assert_eq!(budget_status(Money::from_units(20), budget, 80), BudgetStatus::Warning);
/// assert_eq!(budget_status(Money::from_cents(2001), budget, 80), BudgetStatus::Exceeded);
/// ```
#[must_use]
pub fn budget_status(spent: Money, budget: Money, warning_percent: u32) -> BudgetStatus {
    if spent > budget {
        BudgetStatus::Exceeded
    } else if spent.picos().saturating_mul(100)
        >= budget.picos().saturating_mul(u128::from(warning_percent))
    {
        BudgetStatus::Warning
    } else {
        BudgetStatus::Ok
    }
}

/// One service's monthly budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceBudget {
    /// Service name, e.g. `vercel`.
    pub name: String,
    /// Monthly budget in the tracker's currency.
    pub budget: Money,
    /// Committed monthly cost counted from the first day of each month (a subscription
    /// fee). Must not exceed `budget`. Defaults to zero (a purely variable service).
    #[serde(default)]
    pub fixed_cost: Money,
}

impl ServiceBudget {
    /// A fixed-cost service: a subscription whose fee equals its budget.
    #[must_use]
    pub fn fixed(name: impl Into<String>, monthly_cost: Money) -> Self {
        Self {
            name: name.into(),
            budget: monthly_cost,
            fixed_cost: monthly_cost,
        }
    }

    /// A variable service: spend is recorded with [`BudgetTracker::record_spend`].
    #[must_use]
    pub fn variable(name: impl Into<String>, budget: Money) -> Self {
        Self {
            name: name.into(),
            budget,
            fixed_cost: Money::ZERO,
        }
    }
}

/// Budget configuration, loadable from JSON:
/// `{"currency": "EUR", "warningPercent": 80, "total": 150, "services": [{"name": "vercel", "budget": 20, "fixedCost": 20}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BudgetConfig {
    /// Currency code of every amount. Defaults to `EUR`.
    #[serde(default = "default_currency")]
    pub currency: String,
    /// Warning threshold in percent of a budget. Defaults to 80.
    #[serde(default = "default_warning")]
    pub warning_percent: u32,
    /// Optional budget for all services together.
    #[serde(default)]
    pub total: Option<Money>,
    /// Per-service budgets.
    #[serde(default)]
    pub services: Vec<ServiceBudget>,
}

fn default_currency() -> String {
    "EUR".to_owned()
}

fn default_warning() -> u32 {
    80
}

impl Default for BudgetConfig {
    fn default() -> Self {
        Self {
            currency: default_currency(),
            warning_percent: default_warning(),
            total: None,
            services: Vec::new(),
        }
    }
}

/// Status of one service (or of the total) for a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceBudgetReport {
    /// Service name, or `total`.
    pub name: String,
    /// Monthly budget.
    pub budget: Money,
    /// Committed (fixed) cost.
    pub fixed: Money,
    /// Variable spend recorded this month.
    pub variable: Money,
    /// `fixed + variable`.
    pub spent: Money,
    /// `spent / budget` in percent, for display.
    pub percent: f64,
    /// Status; see [`BudgetTracker`] for the rule.
    pub status: BudgetStatus,
}

/// Budget status of every service for one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetReport {
    /// Month as `YYYY-MM` (UTC).
    pub month: String,
    /// Currency of every amount.
    pub currency: String,
    /// Per-service status, in configuration order.
    pub services: Vec<ServiceBudgetReport>,
    /// Status of all services together, when a total budget is configured.
    pub total: Option<ServiceBudgetReport>,
}

/// Tracks monthly spend per service against budgets (calendar months in UTC).
///
/// Status rule: `exceeded` above the budget, `warning` at or above the warning threshold,
/// else `ok` — except that spend made only of committed fixed costs is always `ok` (a
/// paid subscription is expected, not a warning). Spend for an earlier month than the
/// latest one seen is dropped and counted ([`stale_records`](Self::stale_records)).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use telemetra::cost::{BudgetConfig, BudgetStatus, BudgetTracker, Money, ServiceBudget};
///
/// # fn main() -> Result<(), telemetra::cost::CostError> {
/// let budgets = BudgetTracker::new(BudgetConfig {
///     total: Some(Money::from_units(150)),
///     services: vec![
///         ServiceBudget::fixed("vercel", Money::from_units(20)),
///         ServiceBudget::variable("openai", Money::from_units(50)),
///     ],
///     ..BudgetConfig::default()
/// })?;
/// let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).single().unwrap_or_default();
/// assert_eq!(budgets.record_spend("openai", Money::from_units(40), now)?, BudgetStatus::Warning);
/// assert_eq!(budgets.report(now).currency, "EUR");
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct BudgetTracker {
    config: BudgetConfig,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    month: Option<(i32, u32)>,
    variable: Vec<Money>,
    stale: u64,
}

impl BudgetTracker {
    /// Validates a configuration and starts tracking.
    ///
    /// # Errors
    /// [`CostError::Empty`] for an empty currency or service name, [`CostError::Percent`]
    /// for `warningPercent` outside 1–100, [`CostError::Zero`] for a zero budget,
    /// [`CostError::DuplicateService`], or [`CostError::InvalidAmount`] when a fixed cost
    /// exceeds its budget.
    pub fn new(config: BudgetConfig) -> Result<Self, CostError> {
        if config.currency.is_empty() {
            return Err(CostError::Empty("currency"));
        }
        if !(1..=100).contains(&config.warning_percent) {
            return Err(CostError::Percent {
                field: "warningPercent",
                max: 100,
            });
        }
        if config.total == Some(Money::ZERO) {
            return Err(CostError::Zero("total".to_owned()));
        }
        let mut seen = HashSet::new();
        for s in &config.services {
            if s.name.is_empty() {
                return Err(CostError::Empty("services.name"));
            }
            if !seen.insert(s.name.as_str()) {
                return Err(CostError::DuplicateService(s.name.clone()));
            }
            if s.budget == Money::ZERO {
                return Err(CostError::Zero(format!("services.{}.budget", s.name)));
            }
            if s.fixed_cost > s.budget {
                return Err(CostError::InvalidAmount {
                    field: format!("services.{}.fixedCost (above budget)", s.name),
                    max_decimals: 12,
                });
            }
        }
        let n = config.services.len();
        Ok(Self {
            config,
            state: Mutex::new(State {
                month: None,
                variable: vec![Money::ZERO; n],
                stale: 0,
            }),
        })
    }

    /// Parses a JSON [`BudgetConfig`] and starts tracking.
    ///
    /// # Errors
    /// [`CostError::Config`] for malformed JSON, otherwise as [`new`](Self::new).
    pub fn from_json(json: &str) -> Result<Self, CostError> {
        let config = serde_json::from_str(json).map_err(|e| CostError::Config {
            what: "budget",
            message: e.to_string(),
        })?;
        Self::new(config)
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &BudgetConfig {
        &self.config
    }

    /// Adds variable spend for `service` in the month of `now` and returns the service's
    /// status afterwards.
    ///
    /// # Errors
    /// [`CostError::UnknownService`] when the service has no budget.
    pub fn record_spend(
        &self,
        service: &str,
        amount: Money,
        now: DateTime<Utc>,
    ) -> Result<BudgetStatus, CostError> {
        let index = self
            .config
            .services
            .iter()
            .position(|s| s.name == service)
            .ok_or_else(|| CostError::UnknownService(service.to_owned()))?;
        let month = (now.year(), now.month());
        let mut state = self.state.lock();
        match state.month {
            Some(current) if month < current => state.stale += 1,
            Some(current) if month == current => {}
            _ => {
                state.month = Some(month);
                state.variable.iter_mut().for_each(|v| *v = Money::ZERO);
            }
        }
        if state.month == Some(month) {
            if let Some(v) = state.variable.get_mut(index) {
                *v = v.saturating_add(amount);
            }
        }
        let variable = state.variable.get(index).copied().unwrap_or_default();
        drop(state);
        let budget = self
            .config
            .services
            .get(index)
            .map(|s| (s.budget, s.fixed_cost));
        Ok(budget.map_or(BudgetStatus::Ok, |(budget, fixed)| {
            self.classify(fixed, variable, budget)
        }))
    }

    /// Spend records dropped because they were for an earlier month.
    #[must_use]
    pub fn stale_records(&self) -> u64 {
        self.state.lock().stale
    }

    /// The status of every service (and the total) for the month of `now`.
    #[must_use]
    pub fn report(&self, now: DateTime<Utc>) -> BudgetReport {
        let month = (now.year(), now.month());
        let state = self.state.lock();
        let variable: Vec<Money> = if state.month == Some(month) {
            state.variable.clone()
        } else {
            vec![Money::ZERO; self.config.services.len()]
        };
        drop(state);
        let services: Vec<ServiceBudgetReport> = self
            .config
            .services
            .iter()
            .zip(variable)
            .map(|(s, v)| self.line(&s.name, s.budget, s.fixed_cost, v))
            .collect();
        let total = self.config.total.map(|budget| {
            let fixed = services.iter().map(|s| s.fixed).sum();
            let variable = services.iter().map(|s| s.variable).sum();
            self.line("total", budget, fixed, variable)
        });
        BudgetReport {
            month: format!("{:04}-{:02}", month.0, month.1),
            currency: self.config.currency.clone(),
            services,
            total,
        }
    }

    fn classify(&self, fixed: Money, variable: Money, budget: Money) -> BudgetStatus {
        if variable == Money::ZERO && fixed <= budget {
            return BudgetStatus::Ok;
        }
        budget_status(fixed + variable, budget, self.config.warning_percent)
    }

    fn line(
        &self,
        name: &str,
        budget: Money,
        fixed: Money,
        variable: Money,
    ) -> ServiceBudgetReport {
        let spent = fixed + variable;
        #[allow(clippy::cast_precision_loss)] // display value
        let percent =
            ratio_bps(spent.picos(), budget.picos()).map_or(0.0, |bps| bps as f64 / 100.0);
        ServiceBudgetReport {
            name: name.to_owned(),
            budget,
            fixed,
            variable,
            spent,
            percent,
            status: self.classify(fixed, variable, budget),
        }
    }
}
