//! Alerting: rules over metric snapshots, the pending → firing → resolved state machine,
//! SLO burn-rate alerts, alert events with acknowledgement, and notifiers.
//!
//! # Feeding the engine
//! On every pipeline flush, build a slice of [`SeriesPoint`]s from the snapshot (counters as
//! cumulative totals, gauges as current values, timings as cumulative count/sum plus the
//! latest interval's p50/p95/p99) and call [`AlertEngine::evaluate`] with the snapshot time;
//! for SLOs call [`AlertEngine::evaluate_slos`] with the trackers. Hand the returned events to
//! a [`notify::Dispatcher`] (on a background thread).
//!
//! In a pipeline, [`ReliabilitySink`] does all of this on its own sink thread: add it
//! with [`ConfigBuilder::sink`](crate::ConfigBuilder::sink) and query it through its
//! [`ReliabilityHandle`] (see `docs/slo.md`, "Wiring: ReliabilitySink").
//!
//! # Aggregations
//! Per evaluation, the series a rule selects (metric name + tag filter) are combined per
//! `group_by` label set into one sample: counter increases and timing count/sum increases are
//! added, gauges are summed, interval quantiles take the largest. Over the window:
//!
//! | aggregation | counter | gauge | timing |
//! | --- | --- | --- | --- |
//! | `sum` | increase | sum of samples | sum of durations |
//! | `count` | increase | number of samples | number of events |
//! | `avg` | increase per evaluation | mean of samples | mean duration |
//! | `min` / `max` | per-evaluation increase | sample | interval mean duration |
//! | `rate` | increase / window seconds | — | events / window seconds |
//! | `p50` / `p95` / `p99` | — | — | largest interval quantile (an upper bound) |
//! | `error_ratio` | increase / increase of `total_metrics` | — | — |
//!
//! "—" yields no value, and no value never fires (as NaN in Prometheus). An error ratio
//! without any total traffic has no value.
//!
//! # State machine (per rule and label set; Prometheus semantics)
//! - The condition holds and the alert is new: **pending** with `active_at = now`; it becomes
//!   **firing** at the first evaluation with `now - active_at >= for` (at once without `for`).
//! - The condition does not hold (or has no value): a pending alert is dropped (the timer
//!   resets); a firing alert stays firing while `now - keep_firing_since < keep_firing_for`
//!   (`keep_firing_since` = first evaluation without the condition, cleared when it returns),
//!   then **resolves**. `keep_firing_for` never applies to pending alerts.
//! - Notifications: `firing` when an alert starts firing; reminders (`repeat = true`) every
//!   `cooldown` while it fires and is not acknowledged; `resolved` once, only if its firing
//!   was notified. A re-fire less than `cooldown` after the last firing notification of the
//!   same label set is announced only when the cooldown has elapsed (flap suppression).
//! - Events are kept (bounded) for listing; [`AlertEngine::acknowledge`] marks one and stops
//!   reminders for its alert.

mod engine;
mod engine_config;
mod event;
mod feed;
mod history;
mod input;
pub mod notify;
pub mod packs;
mod rule;
mod sink;
mod sink_builder;
mod state;

#[cfg(test)]
mod tests_engine;

pub use engine::AlertEngine;
pub use engine_config::EngineConfig;
pub use event::{fingerprint, ActiveAlert, AlertEvent, AlertEventKind, AlertState};
pub use feed::SloSource;
pub use input::{PointKind, SeriesPoint, TimingSummary};
pub use rule::{
    Aggregation, AlertRule, AlertRuleBuilder, Comparison, MatchOp, Severity, TagMatcher,
};
pub use sink::{ReliabilityHandle, ReliabilitySink, ReliabilityStats};
pub use sink_builder::ReliabilitySinkBuilder;

/// Errors from alert configuration, the engine and delivery. Messages never contain URLs,
/// keys, tag values or payloads.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AlertError {
    /// A rule field failed validation.
    #[error("invalid alert rule field `{field}`: {reason}")]
    InvalidField {
        /// The field, e.g. `rules[3].window`.
        field: String,
        /// Why it is invalid.
        reason: String,
    },
    /// The JSON could not be parsed.
    #[error("invalid alert rules json")]
    Json(#[from] serde_json::Error),
    /// No event with this id is kept.
    #[error("no alert event with id {id}")]
    UnknownEvent {
        /// The id.
        id: u64,
    },
    /// A notification could not be delivered.
    #[error("{channel} notification failed: {reason}")]
    Delivery {
        /// Channel name.
        channel: &'static str,
        /// Status code or transport error kind (never the URL or body).
        reason: String,
    },
    /// A background thread could not be started.
    #[error("could not start the alert dispatch thread")]
    Spawn,
    /// A bounded wait ended before the work was done.
    #[error("{what} did not finish in time")]
    Timeout {
        /// What was waited for.
        what: &'static str,
    },
    /// A notifier panicked (isolated; the others were delivered).
    #[error("{channel} notifier panicked")]
    NotifierPanicked {
        /// Channel name.
        channel: &'static str,
    },
}

impl AlertError {
    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidField {
            field: field.into(),
            reason: reason.into(),
        }
    }
}
