//! [`ReliabilitySinkBuilder`]: rules, SLOs, delivery and switches for a [`ReliabilitySink`],
//! validated in [`build`](ReliabilitySinkBuilder::build).

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use parking_lot::Mutex;

use super::feed::SloSource;
use super::notify::{Channel, DispatchQueue, Dispatcher};
use super::sink::{Clock, ReliabilitySink, ReliabilityStats, SinkSwitches, SloSlot, State};
use super::{Aggregation, AlertEngine, AlertError, AlertRule, EngineConfig};
use crate::slo::{Indicator, SloDefinition, SloTracker};
use crate::switches::Switches;

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
    /// [`ReliabilityHandle`](super::ReliabilityHandle) but not sent.
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
