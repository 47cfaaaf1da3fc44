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
use super::{
    ActiveAlert, Aggregation, AlertEngine, AlertError, AlertEvent, AlertRule, EngineConfig,
};
use crate::sinks::{Export, Sink, SinkError};
use crate::slo::{Indicator, SloDefinition, SloReport, SloTracker};
use crate::switches::{Switch, Switches};

type Clock = Arc<dyn Fn(SystemTime) -> DateTime<Utc> + Send + Sync>;

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

struct SloSlot {
    tracker: SloTracker,
    source: SloSource,
    fed: bool,
}

struct State {
    engine: AlertEngine,
    slos: Vec<SloSlot>,
    reports: Vec<SloReport>,
    stats: ReliabilityStats,
    last_seq: Option<u64>,
    last_now: Option<DateTime<Utc>>,
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

    /// Recent events, oldest first (bounded by [`EngineConfig::max_events`]).
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

struct SinkSwitches {
    alerts: Switch,
    slo_enforced: Switch,
    channels: Vec<(Channel, Switch)>,
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
    name: String,
    state: Arc<Mutex<State>>,
    dispatcher: Option<Dispatcher>,
    queue: Option<DispatchQueue>,
    referenced: HashSet<String>,
    switches: SinkSwitches,
    clock: Clock,
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

/// Builds a [`ReliabilitySink`]; [`build`](Self::build) validates everything.
pub struct ReliabilitySinkBuilder {
    name: String,
    rules: Vec<AlertRule>,
    engine_config: EngineConfig,
    slos: Vec<(SloDefinition, SloSource)>,
    dispatcher: Option<Dispatcher>,
    queue: Option<DispatchQueue>,
    switches: Option<Switches>,
    clock: Option<Clock>,
}

impl Default for ReliabilitySinkBuilder {
    fn default() -> Self {
        Self {
            name: "reliability".to_owned(),
            rules: Vec::new(),
            engine_config: EngineConfig::default(),
            slos: Vec::new(),
            dispatcher: None,
            queue: None,
            switches: None,
            clock: None,
        }
    }
}

impl fmt::Debug for ReliabilitySinkBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReliabilitySinkBuilder")
            .field("name", &self.name)
            .field("rules", &self.rules.len())
            .field("slos", &self.slos.len())
            .field("dispatcher", &self.dispatcher)
            .finish_non_exhaustive()
    }
}

impl ReliabilitySinkBuilder {
    /// The sink's name (also its switch, `sink.<name>`). Defaults to `reliability`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Adds an alert rule. Defaults to no rules.
    pub fn rule(mut self, rule: AlertRule) -> Self {
        self.rules.push(rule);
        self
    }

    /// Adds alert rules (a pack from [`packs`](super::packs), a JSON file's rules).
    /// Defaults to no rules.
    pub fn rules(mut self, rules: impl IntoIterator<Item = AlertRule>) -> Self {
        self.rules.extend(rules);
        self
    }

    /// The engine's limits. Defaults to [`EngineConfig::default`].
    pub fn engine_config(mut self, config: EngineConfig) -> Self {
        self.engine_config = config;
        self
    }

    /// Tracks an SLO fed from `source`; its burn-rate conditions alert through the
    /// engine (`alertname=slo_burn_rate`) while `ops.slo_enforced` is on. Defaults to
    /// no SLOs.
    pub fn slo(mut self, definition: SloDefinition, source: SloSource) -> Self {
        self.slos.push((definition, source));
        self
    }

    /// Where alert events go. Defaults to none: events are kept for the
    /// [`ReliabilityHandle`] but not sent.
    pub fn dispatcher(mut self, dispatcher: Dispatcher) -> Self {
        self.dispatcher = Some(dispatcher);
        self
    }

    /// Sends through a [`DispatchQueue`] (started by the caller) instead of on the sink's
    /// thread: an export only queues its events, so a slow endpoint never delays the next
    /// evaluation; a full queue drops and counts ([`ReliabilityStats::dropped`]), and
    /// delivery failures are reported by the next export. Replaces
    /// [`dispatcher`](Self::dispatcher). Defaults to none.
    pub fn dispatch_queue(mut self, queue: DispatchQueue) -> Self {
        self.queue = Some(queue);
        self
    }

    /// The switches read at every export: `alerts.enabled` and `alerts.<channel>`
    /// (`slack`, `pagerduty`, and `alertmanager` / `webhook` when registered) gate
    /// notifications (events are still kept); `ops.slo_enforced` gates SLO burn-rate
    /// alerts (trackers and reports keep counting). Pass the pipeline's registry.
    /// Defaults to a fresh registry with every switch on.
    pub fn switches(mut self, switches: Switches) -> Self {
        self.switches = Some(switches);
        self
    }

    /// Maps a snapshot's `taken_at` to the evaluation time, for tests that let hours
    /// pass in milliseconds and for replays. Defaults to `taken_at` itself.
    pub fn clock(
        mut self,
        clock: impl Fn(SystemTime) -> DateTime<Utc> + Send + Sync + 'static,
    ) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Validates the rules (through [`AlertEngine::with_config`]), the SLOs and their
    /// sources.
    ///
    /// # Errors
    /// [`AlertError::InvalidField`] naming the field: `name`, `rules[i].…`,
    /// `slos[i].name` (duplicate), `slos[i].source` (kind does not match the
    /// indicator), `slos[i].source.<metric field>` (empty), `slos[i].source.threshold`.
    pub fn build(self) -> Result<ReliabilitySink, AlertError> {
        if !crate::switches::valid_sink_name(&self.name) {
            return Err(AlertError::invalid(
                "name",
                "must be 1 to 64 of `a-z 0-9 _ -` (it names the switch `sink.<name>`)",
            ));
        }
        let mut referenced = HashSet::new();
        for rule in &self.rules {
            referenced.insert(rule.metric.clone());
            if let Aggregation::ErrorRatio { total_metrics, .. } = &rule.aggregation {
                referenced.extend(total_metrics.iter().cloned());
            }
        }
        let engine = AlertEngine::with_config(self.rules, self.engine_config)?;
        let mut slos: Vec<SloSlot> = Vec::with_capacity(self.slos.len());
        for (i, (def, source)) in self.slos.into_iter().enumerate() {
            validate_slo(i, &def, &source)?;
            if slos.iter().any(|s| s.tracker.definition().name == def.name) {
                return Err(AlertError::invalid(
                    format!("slos[{i}].name"),
                    "duplicate slo name",
                ));
            }
            slos.push(SloSlot {
                tracker: SloTracker::new(def),
                source,
                fed: false,
            });
        }
        let switches = self.switches.unwrap_or_default();
        let mut channels = vec![
            (Channel::Slack, switches.alerts_slack()),
            (Channel::PagerDuty, switches.alerts_pagerduty()),
        ];
        for channel in [Channel::Alertmanager, Channel::Webhook] {
            if let Ok(s) = switches.get(&format!("alerts.{}", channel.as_str())) {
                channels.push((channel, s));
            }
        }
        Ok(ReliabilitySink {
            name: self.name,
            state: Arc::new(Mutex::new(State {
                engine,
                slos,
                reports: Vec::new(),
                stats: ReliabilityStats::default(),
                last_seq: None,
                last_now: None,
            })),
            dispatcher: self.dispatcher,
            queue: self.queue,
            referenced,
            switches: SinkSwitches {
                alerts: switches.alerts(),
                slo_enforced: switches.slo_enforced(),
                channels,
            },
            clock: self
                .clock
                .unwrap_or_else(|| Arc::new(DateTime::<Utc>::from)),
        })
    }
}

fn validate_slo(i: usize, def: &SloDefinition, source: &SloSource) -> Result<(), AlertError> {
    let field = |f: &str| format!("slos[{i}].source{f}");
    let nonempty = |name: &str, f: &str| {
        if name.is_empty() {
            Err(AlertError::invalid(field(f), "must not be empty"))
        } else {
            Ok(())
        }
    };
    match (&def.indicator, source) {
        (
            Indicator::Availability,
            SloSource::Availability {
                total_metric,
                bad_metric,
                ..
            },
        ) => {
            nonempty(total_metric, ".total_metric")?;
            nonempty(bad_metric, ".bad_metric")
        }
        (
            Indicator::Latency { threshold: want },
            SloSource::Latency {
                timing_metric,
                threshold,
                ..
            },
        ) => {
            nonempty(timing_metric, ".timing_metric")?;
            if threshold == want {
                Ok(())
            } else {
                Err(AlertError::invalid(
                    field(".threshold"),
                    format!("{threshold:?} differs from the slo's latency threshold {want:?}"),
                ))
            }
        }
        _ => Err(AlertError::invalid(
            field(""),
            "an availability slo needs an availability source, a latency slo a latency source",
        )),
    }
}
