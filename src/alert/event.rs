//! Alert events (what notifiers send) and the active-alert view.

use super::input::fnv1a;
use super::rule::Severity;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// Whether an event announces or clears an alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertEventKind {
    /// The alert is firing (first notification or a reminder, see [`AlertEvent::repeat`]).
    Firing,
    /// The alert stopped firing.
    Resolved,
}

impl AlertEventKind {
    /// `firing` or `resolved`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Firing => "firing",
            Self::Resolved => "resolved",
        }
    }
}

/// A notification-worthy change of one alert (one rule and label set).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlertEvent {
    /// Engine-unique id, increasing; used to acknowledge.
    pub id: u64,
    /// Firing or resolved.
    pub kind: AlertEventKind,
    /// A reminder for an alert already notified as firing (sent each cooldown).
    pub repeat: bool,
    /// Rule name (also the `alertname` label).
    pub rule: String,
    /// Full label set: `alertname`, `severity`, rule labels, group-by labels.
    pub labels: BTreeMap<String, String>,
    /// Severity.
    pub severity: Severity,
    /// Rule description.
    pub description: String,
    /// One-line human summary, e.g. `sum(x[5m]) > 10 (value 12)`.
    pub summary: String,
    /// Aggregated value at the last evaluation where the condition held.
    pub value: f64,
    /// The rule threshold.
    pub threshold: f64,
    /// When the condition first held (pending started).
    pub active_at: DateTime<Utc>,
    /// When the alert started firing (Alertmanager `startsAt`).
    pub fired_at: DateTime<Utc>,
    /// When it resolved (Alertmanager `endsAt` for resolved alerts).
    pub resolved_at: Option<DateTime<Utc>>,
    /// Evaluation time that produced the event.
    pub at: DateTime<Utc>,
    /// Stable identity of the label set (hex FNV-1a); the PagerDuty dedup key is derived from it.
    pub fingerprint: String,
    /// The rule's cooldown: the next reminder is due after it (sinks derive expiry from it).
    #[serde(with = "crate::slo::duration::serde_str")]
    pub cooldown: Duration,
    /// Who acknowledged, if anyone.
    pub acknowledged_by: Option<String>,
    /// When it was acknowledged.
    pub acknowledged_at: Option<DateTime<Utc>>,
}

impl AlertEvent {
    /// PagerDuty / generic dedup key: `telemetra-<fingerprint>` (stable, at most 255 chars).
    pub fn dedup_key(&self) -> String {
        format!("telemetra-{}", self.fingerprint)
    }
}

/// Whether an active alert is waiting out `for` or firing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertState {
    /// The condition holds, `for` not yet elapsed.
    Pending,
    /// Firing.
    Firing,
}

/// One active alert (as Prometheus' `ALERTS` series).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActiveAlert {
    /// Rule name.
    pub rule: String,
    /// Label set.
    pub labels: BTreeMap<String, String>,
    /// Pending or firing.
    pub state: AlertState,
    /// When the condition first held.
    pub active_at: DateTime<Utc>,
    /// When it started firing.
    pub fired_at: Option<DateTime<Utc>>,
    /// Latest value.
    pub value: f64,
    /// Held only by `keep_firing_for` since this time.
    pub keep_firing_since: Option<DateTime<Utc>>,
    /// Acknowledged (reminders suppressed until it resolves).
    pub acknowledged: bool,
    /// Stable identity of the label set.
    pub fingerprint: String,
}

/// Stable hex fingerprint of a label set.
pub fn fingerprint(labels: &BTreeMap<String, String>) -> String {
    let mut parts: Vec<&[u8]> = Vec::with_capacity(labels.len() * 2);
    for (k, v) in labels {
        parts.push(k.as_bytes());
        parts.push(v.as_bytes());
    }
    format!("{:016x}", fnv1a(&parts))
}
