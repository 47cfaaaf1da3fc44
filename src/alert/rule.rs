//! Alert rules: what to select, how to aggregate over a window, the condition and its timing.

use super::AlertError;
use crate::slo::duration::format_duration;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// Alert severity: the product's two scales (critical/high/warning/info and P0–P3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// P0: full outage, respond in 5 minutes.
    #[serde(alias = "P0")]
    P0,
    /// Critical.
    #[serde(alias = "CRITICAL")]
    Critical,
    /// P1: respond in 15 minutes.
    #[serde(alias = "P1")]
    P1,
    /// High.
    #[serde(alias = "HIGH")]
    High,
    /// P2: respond in 1 hour.
    #[serde(alias = "P2")]
    P2,
    /// Warning.
    #[serde(alias = "WARN", alias = "WARNING", alias = "warn")]
    Warning,
    /// P3: respond in 24 hours.
    #[serde(alias = "P3")]
    P3,
    /// Informational.
    #[serde(alias = "INFO")]
    Info,
}

impl Severity {
    /// Lowercase name (`p0`, `critical`, ...), used as the `severity` label.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::P0 => "p0",
            Self::Critical => "critical",
            Self::P1 => "p1",
            Self::High => "high",
            Self::P2 => "p2",
            Self::Warning => "warning",
            Self::P3 => "p3",
            Self::Info => "info",
        }
    }

    /// Urgency rank, 0 = most urgent (P0/critical) to 3 (P3/info).
    pub fn rank(self) -> u8 {
        match self {
            Self::P0 | Self::Critical => 0,
            Self::P1 | Self::High => 1,
            Self::P2 | Self::Warning => 2,
            Self::P3 | Self::Info => 3,
        }
    }

    /// PagerDuty `payload.severity`: critical, error, warning or info.
    pub fn pagerduty(self) -> &'static str {
        ["critical", "error", "warning", "info"]
            .get(usize::from(self.rank()))
            .copied()
            .unwrap_or("info")
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Comparison between the aggregated value and the threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    /// `>`
    #[serde(rename = ">")]
    Gt,
    /// `>=`
    #[serde(rename = ">=")]
    Ge,
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `<=`
    #[serde(rename = "<=")]
    Le,
    /// `==`
    #[serde(rename = "==")]
    Eq,
    /// `!=`
    #[serde(rename = "!=")]
    Ne,
}

impl Comparison {
    /// Applies the comparison; NaN compares false (as in Prometheus), even for `!=`.
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        if value.is_nan() {
            return false;
        }
        match self {
            Self::Gt => value > threshold,
            Self::Ge => value >= threshold,
            Self::Lt => value < threshold,
            Self::Le => value <= threshold,
            Self::Eq => value == threshold,
            Self::Ne => value != threshold,
        }
    }

    /// The operator text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Eq => "==",
            Self::Ne => "!=",
        }
    }
}

/// How a tag value must match.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchOp {
    /// Equal (a missing tag never matches).
    #[default]
    Eq,
    /// Not equal (a missing tag matches).
    Ne,
    /// Starts with (e.g. status `5` for every 5xx).
    Prefix,
}

/// One tag condition of a selector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagMatcher {
    /// Tag key.
    pub key: String,
    /// Match operator. Defaults to `eq`.
    #[serde(default)]
    pub op: MatchOp,
    /// Value to compare with.
    pub value: String,
}

impl TagMatcher {
    /// `key == value`.
    pub fn eq(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            op: MatchOp::Eq,
            value: value.into(),
        }
    }

    /// Whether a series with `tags` passes.
    pub fn matches(&self, tags: &[(String, String)]) -> bool {
        let found = tags
            .iter()
            .find(|(k, _)| *k == self.key)
            .map(|(_, v)| v.as_str());
        match (self.op, found) {
            (MatchOp::Eq, Some(v)) => v == self.value,
            (MatchOp::Ne, Some(v)) => v != self.value,
            (MatchOp::Ne, None) => true,
            (MatchOp::Prefix, Some(v)) => v.starts_with(self.value.as_str()),
            (MatchOp::Eq | MatchOp::Prefix, None) => false,
        }
    }
}

/// Aggregation of the selected series over the rule window (see the `alert` module docs for
/// the exact meaning per metric kind).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Counter increase, gauge sum of samples, timing sum of durations.
    Sum,
    /// Counter increase, gauge number of samples, timing number of events.
    Count,
    /// Mean: gauge samples, timing event mean (Δsum/Δcount), counter increase per evaluation.
    Avg,
    /// Smallest per-evaluation value.
    Min,
    /// Largest per-evaluation value.
    Max,
    /// Counter increase (or timing events) per second of window.
    Rate,
    /// Timing median (largest interval p50 in the window).
    P50,
    /// Timing p95 (largest interval p95 in the window).
    P95,
    /// Timing p99 (largest interval p99 in the window).
    P99,
    /// Increase of the rule's metric divided by the increase of `total_metrics` (no total = no value).
    ErrorRatio {
        /// Counters whose increases add up to the total.
        total_metrics: Vec<String>,
        /// Tag conditions for the total series (the rule's filter applies to the errors only).
        #[serde(default)]
        total_filter: Vec<TagMatcher>,
    },
}

/// A validated alert rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertRule {
    /// Unique name; becomes the `alertname` label.
    pub name: String,
    /// Free text for notifications.
    #[serde(default)]
    pub description: String,
    /// Metric name the rule selects.
    pub metric: String,
    /// Tag conditions (all must hold).
    #[serde(default)]
    pub filter: Vec<TagMatcher>,
    /// Tag keys that split the rule into one alert per label set; empty = one alert in total.
    #[serde(default)]
    pub group_by: Vec<String>,
    /// Aggregation over the window.
    pub aggregation: Aggregation,
    /// Aggregation window.
    #[serde(with = "crate::slo::duration::serde_str")]
    pub window: Duration,
    /// Comparison with the threshold.
    pub op: Comparison,
    /// Threshold (ratios are fractions: 2% = 0.02; latencies are in the timing's unit).
    pub threshold: f64,
    /// How long the condition must hold before firing (pending until then).
    #[serde(rename = "for", default, with = "crate::slo::duration::serde_str")]
    pub for_duration: Duration,
    /// How long a firing alert keeps firing after the condition stops holding.
    #[serde(default, with = "crate::slo::duration::serde_str")]
    pub keep_firing_for: Duration,
    /// Minimum time between two notifications of the same alert.
    #[serde(default = "default_cooldown", with = "crate::slo::duration::serde_str")]
    pub cooldown: Duration,
    /// Disabled rules evaluate nothing (firing alerts resolve).
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Severity.
    pub severity: Severity,
    /// Extra labels on every alert of the rule. A `severity` label replaces the `severity`
    /// label's value (e.g. `page`), while [`AlertRule::severity`] still decides routing
    /// (notifiers' minimum severity, PagerDuty's severity, Slack's colour). `alertname` is
    /// reserved; values must not be empty.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

fn default_cooldown() -> Duration {
    Duration::from_secs(15 * 60)
}

fn default_true() -> bool {
    true
}

impl AlertRule {
    /// Starts a builder with the defaults: sum over 5 m, `> 0`, no `for`, cooldown 15 m,
    /// enabled, severity warning.
    pub fn builder(name: impl Into<String>, metric: impl Into<String>) -> AlertRuleBuilder {
        AlertRuleBuilder {
            rule: Self {
                name: name.into(),
                description: String::new(),
                metric: metric.into(),
                filter: Vec::new(),
                group_by: Vec::new(),
                aggregation: Aggregation::Sum,
                window: Duration::from_secs(300),
                op: Comparison::Gt,
                threshold: 0.0,
                for_duration: Duration::ZERO,
                keep_firing_for: Duration::ZERO,
                cooldown: default_cooldown(),
                enabled: true,
                severity: Severity::Warning,
                labels: BTreeMap::new(),
            },
        }
    }

    /// Parses and validates `{"rules": [...]}`; errors name the field, e.g. `rules[3].window`.
    pub fn list_from_json(text: &str) -> Result<Vec<Self>, AlertError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawFile {
            rules: Vec<serde_json::Value>,
        }
        let file: RawFile = serde_json::from_str(text)?;
        let mut rules: Vec<Self> = Vec::with_capacity(file.rules.len());
        for (i, value) in file.rules.into_iter().enumerate() {
            // Deserialize one rule at a time so errors carry the rule's index.
            let rule: Self = serde_json::from_value(value)
                .map_err(|e| AlertError::invalid(format!("rules[{i}]"), e.to_string()))?;
            rule.validate(&format!("rules[{i}]."))?;
            if rules.iter().any(|r| r.name == rule.name) {
                return Err(AlertError::invalid(
                    format!("rules[{i}].name"),
                    "duplicate rule name",
                ));
            }
            rules.push(rule);
        }
        Ok(rules)
    }

    /// Checks the rule; `prefix` is prepended to field names in errors.
    pub fn validate(&self, prefix: &str) -> Result<(), AlertError> {
        let f = |name: &str| format!("{prefix}{name}");
        if self.name.trim().is_empty() {
            return Err(AlertError::invalid(f("name"), "must not be empty"));
        }
        if self.metric.trim().is_empty() {
            return Err(AlertError::invalid(f("metric"), "must not be empty"));
        }
        if self.window.is_zero() || self.window > Duration::from_secs(35 * 86_400) {
            return Err(AlertError::invalid(
                f("window"),
                "must be above 0 and at most 35d",
            ));
        }
        if !self.threshold.is_finite() {
            return Err(AlertError::invalid(
                f("threshold"),
                "must be a finite number",
            ));
        }
        if let Aggregation::ErrorRatio { total_metrics, .. } = &self.aggregation {
            if total_metrics.is_empty() || total_metrics.iter().any(|m| m.trim().is_empty()) {
                return Err(AlertError::invalid(
                    f("aggregation.error_ratio.total_metrics"),
                    "must list at least one non-empty metric",
                ));
            }
        }
        for (key, value) in &self.labels {
            if !is_label_name(key) || key == "alertname" {
                return Err(AlertError::invalid(
                    f(&format!("labels.{key}")),
                    "must match [a-zA-Z_][a-zA-Z0-9_]* and not be alertname",
                ));
            }
            if value.trim().is_empty() {
                return Err(AlertError::invalid(
                    f(&format!("labels.{key}")),
                    "must not be empty",
                ));
            }
        }
        for key in &self.group_by {
            if !is_label_name(key) {
                return Err(AlertError::invalid(
                    f("group_by"),
                    format!("`{key}` is not a valid label name"),
                ));
            }
        }
        Ok(())
    }

    /// A one-line summary such as `sum(product.wallet.spend.failed[10m]) > 10`.
    pub fn expression(&self) -> String {
        let agg = match &self.aggregation {
            Aggregation::ErrorRatio { .. } => "error_ratio",
            other => match other {
                Aggregation::Sum => "sum",
                Aggregation::Count => "count",
                Aggregation::Avg => "avg",
                Aggregation::Min => "min",
                Aggregation::Max => "max",
                Aggregation::Rate => "rate",
                Aggregation::P50 => "p50",
                Aggregation::P95 => "p95",
                _ => "p99",
            },
        };
        format!(
            "{agg}({}[{}]) {} {}",
            self.metric,
            format_duration(self.window),
            self.op.as_str(),
            self.threshold
        )
    }
}

/// Alertmanager-compatible label name.
pub(crate) fn is_label_name(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Builder for [`AlertRule`]; setters are infallible, [`AlertRuleBuilder::build`] validates.
#[derive(Clone, Debug)]
pub struct AlertRuleBuilder {
    rule: AlertRule,
}

impl AlertRuleBuilder {
    /// Description. Defaults to empty.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.rule.description = text.into();
        self
    }
    /// Adds a tag condition. Defaults to none.
    pub fn filter(mut self, matcher: TagMatcher) -> Self {
        self.rule.filter.push(matcher);
        self
    }
    /// Adds a group-by tag key. Defaults to none (one alert per rule).
    pub fn group_by(mut self, key: impl Into<String>) -> Self {
        self.rule.group_by.push(key.into());
        self
    }
    /// Aggregation. Defaults to sum.
    pub fn aggregation(mut self, aggregation: Aggregation) -> Self {
        self.rule.aggregation = aggregation;
        self
    }
    /// Window. Defaults to 5 m.
    pub fn window(mut self, window: Duration) -> Self {
        self.rule.window = window;
        self
    }
    /// Condition. Defaults to `> 0`.
    pub fn condition(mut self, op: Comparison, threshold: f64) -> Self {
        self.rule.op = op;
        self.rule.threshold = threshold;
        self
    }
    /// `for` duration. Defaults to zero (fire at once).
    pub fn for_duration(mut self, d: Duration) -> Self {
        self.rule.for_duration = d;
        self
    }
    /// `keep_firing_for`. Defaults to zero.
    pub fn keep_firing_for(mut self, d: Duration) -> Self {
        self.rule.keep_firing_for = d;
        self
    }
    /// Cooldown between notifications. Defaults to 15 m.
    pub fn cooldown(mut self, d: Duration) -> Self {
        self.rule.cooldown = d;
        self
    }
    /// Enabled flag. Defaults to true.
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.rule.enabled = enabled;
        self
    }
    /// Severity. Defaults to warning.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.rule.severity = severity;
        self
    }
    /// Adds a label. Defaults to none.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.rule.labels.insert(key.into(), value.into());
        self
    }
    /// Validates and builds.
    pub fn build(self) -> Result<AlertRule, AlertError> {
        self.rule.validate("")?;
        Ok(self.rule)
    }
}
