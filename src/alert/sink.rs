//! [`ReliabilitySink`]: the alert engine, SLO trackers and notifiers as a pipeline sink.
//!
//! On every export the sink turns the snapshot into [`SeriesPoint`]s (timing quantiles
//! over the interval since the previous snapshot it saw), runs
//! [`AlertEngine::evaluate`] at the snapshot's time, feeds each SLO tracker the
//! cumulative counts of its [`SloSource`], runs [`AlertEngine::evaluate_slos`] and hands
//! the new events to a [`Dispatcher`]. It runs on its own sink thread like any other
//! sink, so a slow notifier delays only the next evaluation, never the emitters, the
//! flusher or another sink. A [`ReliabilityHandle`] lists alerts, events and SLO
//! reports and acknowledges events from any thread.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use parking_lot::Mutex;

use super::feed::{Points, SloSource};
use super::notify::{Channel, DispatchQueue, Dispatcher};
use super::sink_builder::ReliabilitySinkBuilder;
use super::{ActiveAlert, AlertEngine, AlertError, AlertEvent};
use crate::sinks::{Export, Sink, SinkError};
use crate::slo::{SloReport, SloTracker};
use crate::switches::Switch;

pub(super) type Clock = Arc<dyn Fn(SystemTime) -> DateTime<Utc> + Send + Sync>;

/// What the sink has done so far (totals since it was built).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReliabilityStats {
    /// Snapshots evaluated.
    pub evaluations: u64,
    /// Snapshots passed over: seen before, or older than the last one evaluated.
    pub stale_snapshots: u64,
    /// Alert events produced (rules and SLO burn rates).
    pub events: u64,
    /// Notifications delivered.
    pub delivered: u64,
    /// Notifications that failed after their retries.
    pub failed: u64,
    /// Notifications not sent because a switch was off.
    pub suppressed: u64,
    /// Notifications dropped because the [`DispatchQueue`] was full.
    pub dropped: u64,
}

pub(super) struct SloSlot {
    pub(super) tracker: SloTracker,
    pub(super) source: SloSource,
    pub(super) fed: bool,
}

pub(super) struct State {
    pub(super) engine: AlertEngine,
    pub(super) slos: Vec<SloSlot>,
    pub(super) reports: Vec<SloReport>,
    pub(super) stats: ReliabilityStats,
    pub(super) last_seq: Option<u64>,
    pub(super) last_now: Option<DateTime<Utc>>,
}

/// A cheap, cloneable view of a [`ReliabilitySink`]'s state, usable from any thread
/// (an admin endpoint, a test). Each call takes a short lock that the sink also takes
/// while it evaluates (never while it notifies).
#[derive(Clone)]
pub struct ReliabilityHandle {
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for ReliabilityHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReliabilityHandle")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl ReliabilityHandle {
    /// Alerts pending or firing, of every rule and SLO.
    pub fn active_alerts(&self) -> Vec<ActiveAlert> {
        self.state.lock().engine.active()
    }

    /// Recent events, oldest first (bounded by [`EngineConfig::max_events`](super::EngineConfig::max_events)).
    pub fn events(&self) -> Vec<AlertEvent> {
        self.state.lock().engine.events().cloned().collect()
    }

    /// Acknowledges the alert that produced event `id` as of `now`: reminders stop
    /// while it keeps firing; its resolution is still notified.
    ///
    /// # Errors
    /// [`AlertError::UnknownEvent`] if no kept event has this id.
    pub fn acknowledge_at(&self, id: u64, by: &str, now: DateTime<Utc>) -> Result<(), AlertError> {
        self.state.lock().engine.acknowledge(id, by, now)
    }

    /// [`acknowledge_at`](Self::acknowledge_at) the current wall-clock time.
    ///
    /// # Errors
    /// [`AlertError::UnknownEvent`] if no kept event has this id.
    pub fn acknowledge(&self, id: u64, by: &str) -> Result<(), AlertError> {
        self.acknowledge_at(id, by, Utc::now())
    }

    /// The SLO reports of the last evaluation, in the order the SLOs were added.
    pub fn slo_reports(&self) -> Vec<SloReport> {
        self.state.lock().reports.clone()
    }

    /// The last report of the SLO named `name`.
    pub fn slo_report(&self, name: &str) -> Option<SloReport> {
        let st = self.state.lock();
        st.reports.iter().find(|r| r.name == name).cloned()
    }

    /// Totals since the sink was built.
    pub fn stats(&self) -> ReliabilityStats {
        self.state.lock().stats
    }

    /// The evaluation time of the last snapshot evaluated.
    pub fn last_evaluated(&self) -> Option<DateTime<Utc>> {
        self.state.lock().last_now
    }
}

pub(super) struct SinkSwitches {
    pub(super) alerts: Switch,
    pub(super) slo_enforced: Switch,
    pub(super) channels: Vec<(Channel, Switch)>,
}

/// Alerting and SLO tracking as a [`Sink`].
///
/// On every export: the snapshot becomes [`SeriesPoint`](super::SeriesPoint)s (timing
/// quantiles over the interval since the previous snapshot), [`AlertEngine::evaluate`]
/// runs at the snapshot's time, each SLO tracker is fed its [`SloSource`]'s cumulative
/// counts, [`AlertEngine::evaluate_slos`] runs while `ops.slo_enforced` is on, and the
/// new events go to the [`Dispatcher`] unless `alerts.enabled` or the channel's switch
/// is off. A snapshot is never evaluated twice. See `docs/slo.md`, "Wiring:
/// ReliabilitySink".
///
/// ```
/// # fn main() -> Result<(), telemetra::Error> {
/// use std::time::Duration;
/// use telemetra::alert::{AlertRule, Comparison, ReliabilitySink};
/// use telemetra::{switches::Switches, Config, Telemetry};
///
/// let switches = Switches::new();
/// let rule = AlertRule::builder("payout_failures", "product.wallet.payout.failed")
///     .window(Duration::from_secs(300))
///     .condition(Comparison::Gt, 10.0)
///     .build()?;
/// let sink = ReliabilitySink::builder()
///     .rule(rule)
///     .switches(switches.clone())
///     .build()?;
/// let alerts = sink.handle();
/// let telemetry = Telemetry::start(Config::builder().sink(sink).switches(switches).build()?)?;
/// telemetry.count("product.wallet.payout.failed", 3, ());
/// telemetry.flush(Duration::from_secs(5))?;
/// assert!(alerts.active_alerts().is_empty());
/// # Ok(()) }
/// ```
pub struct ReliabilitySink {
    pub(super) name: String,
    pub(super) state: Arc<Mutex<State>>,
    pub(super) dispatcher: Option<Dispatcher>,
    pub(super) queue: Option<DispatchQueue>,
    pub(super) referenced: HashSet<String>,
    pub(super) switches: SinkSwitches,
    pub(super) clock: Clock,
}

impl fmt::Debug for ReliabilitySink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReliabilitySink")
            .field("name", &self.name)
            .field("dispatcher", &self.dispatcher)
            .finish_non_exhaustive()
    }
}

impl ReliabilitySink {
    /// A builder with no rules, no SLOs and no notifiers.
    pub fn builder() -> ReliabilitySinkBuilder {
        ReliabilitySinkBuilder::default()
    }

    /// A handle on this sink's alerts and SLO reports; take it before handing the sink
    /// to the pipeline.
    pub fn handle(&self) -> ReliabilityHandle {
        ReliabilityHandle {
            state: Arc::clone(&self.state),
        }
    }

    /// Evaluates one snapshot; returns the events to notify (empty for a stale one).
    fn evaluate(&self, export: &Export<'_>) -> Vec<AlertEvent> {
        let snap: &crate::Snapshot = export.snapshot;
        let now = (self.clock)(snap.taken_at);
        let mut guard = self.state.lock();
        let st = &mut *guard;
        // Never evaluate a snapshot twice (a retried export, a replayed snapshot) nor
        // go back in time: either would re-announce or mis-time alerts.
        if st.last_seq.is_some_and(|s| snap.seq <= s) || st.last_now.is_some_and(|t| now < t) {
            st.stats.stale_snapshots += 1;
            return Vec::new();
        }
        st.last_seq = Some(snap.seq);
        st.last_now = Some(now);
        let rows = Points::new(snap, export.previous.map(|p| &**p), &self.referenced);
        let points = rows.points(snap);
        if st.stats.evaluations == 0 {
            // A pipeline's series start at zero with the pipeline: an empty baseline
            // makes the first snapshot's totals count as increases.
            let _ = st.engine.evaluate(now, &[]);
        }
        let mut events = st.engine.evaluate(now, &points);
        for slot in &mut st.slos {
            if !slot.fed {
                slot.tracker.observe_cumulative(now, 0, 0);
                slot.fed = true;
            }
            let (good, total) = slot.source.cumulative(snap);
            slot.tracker.observe_cumulative(now, good, total);
        }
        if self.switches.slo_enforced.is_enabled() {
            let trackers: Vec<&SloTracker> = st.slos.iter().map(|s| &s.tracker).collect();
            events.extend(st.engine.evaluate_slos(now, &trackers));
        }
        st.reports = st.slos.iter().map(|s| s.tracker.report(now)).collect();
        st.stats.evaluations += 1;
        st.stats.events += events.len() as u64;
        events
    }
}

impl SinkSwitches {
    fn apply(&self, dispatcher: &Dispatcher) {
        dispatcher.set_enabled(self.alerts.is_enabled());
        for (channel, switch) in &self.channels {
            dispatcher.set_channel_enabled(*channel, switch.is_enabled());
        }
    }
}

impl ReliabilitySink {
    /// Queues the events for the queue's worker and reports the failures it has had since
    /// the previous export (one export late, but never lost).
    fn enqueue(&self, queue: &DispatchQueue, events: Vec<AlertEvent>) -> Result<(), SinkError> {
        self.switches.apply(queue.dispatcher());
        let n = events.len() as u64;
        let queued = queue.enqueue(events);
        let (failures, count) = queue.take_failures();
        let q = queue.stats();
        {
            let mut st = self.state.lock();
            st.stats.delivered = q.delivered;
            st.stats.failed = q.failed;
            st.stats.suppressed = q.suppressed;
            if !queued {
                st.stats.dropped += n;
            }
        }
        match failures.first() {
            None => Ok(()),
            Some(first) => Err(SinkError::permanent(format!(
                "{count} alert notifications failed since the last export, first: {first}"
            ))),
        }
    }
}

impl Sink for ReliabilitySink {
    fn name(&self) -> &str {
        &self.name
    }

    /// The latency SLOs' thresholds: good events are those at most the threshold.
    fn exact_timing_bounds(&self) -> Vec<crate::TimingBound> {
        let st = self.state.lock();
        st.slos
            .iter()
            .filter_map(|s| match &s.source {
                SloSource::Latency { threshold, .. } => {
                    Some(crate::TimingBound::AtMost(*threshold))
                }
                SloSource::Availability { .. } => None,
            })
            .collect()
    }

    /// Evaluates and notifies. Returns an error only when notifications failed after
    /// their retries: a permanent one (the evaluation is done and is not repeated, so
    /// the cursor moves on), which reaches the pipeline's `on_error` handler.
    fn export(&mut self, export: &Export<'_>) -> Result<(), SinkError> {
        let events = self.evaluate(export);
        if let Some(queue) = &self.queue {
            return self.enqueue(queue, events);
        }
        let Some(dispatcher) = &self.dispatcher else {
            return Ok(());
        };
        if events.is_empty() {
            return Ok(());
        }
        self.switches.apply(dispatcher);
        let report = dispatcher.dispatch(&events);
        let failed: Vec<&AlertError> = report
            .outcomes
            .iter()
            .filter_map(|o| o.result.as_ref().err())
            .collect();
        {
            let mut st = self.state.lock();
            st.stats.delivered += report.delivered() as u64;
            st.stats.failed += failed.len() as u64;
            st.stats.suppressed += report.suppressed as u64;
        }
        match failed.first() {
            None => Ok(()),
            Some(first) => Err(SinkError::permanent(format!(
                "{} of {} alert notifications failed, first: {first}",
                failed.len(),
                report.outcomes.len()
            ))),
        }
    }
}
