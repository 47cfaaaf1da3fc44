//! The per-rule, per-label-set alert state machine (Prometheus semantics, shared doc §6).
//!
//! ```text
//!            condition holds                 held for >= `for`
//! (inactive) ───────────────▶ pending ─────────────────────────▶ firing
//!     ▲                          │ condition absent: dropped       │ condition absent:
//!     └──────────────────────────┘                                 │ firing while
//!     ▲                                                            │ now - keep_since < keep_firing_for,
//!     └────────────────────────── resolved ◀───────────────────────┘ then resolved
//! ```
//! Notifications: the first `firing` is emitted when an alert starts firing, unless a firing
//! notification for the same label set went out less than `cooldown` ago (a flapping alert
//! is then announced once the cooldown has elapsed, if still firing). While firing and not
//! acknowledged, a reminder (`repeat = true`) goes out each `cooldown`. `resolved` is emitted
//! only for alerts whose firing was notified.

use super::event::{fingerprint, ActiveAlert, AlertEvent, AlertEventKind, AlertState};
use super::rule::Severity;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Labels identifying one alert.
pub(crate) type Labels = BTreeMap<String, String>;

/// What the state machine needs to know about a rule.
#[derive(Clone, Debug)]
pub(crate) struct RuleMeta {
    pub(crate) name: String,
    pub(crate) severity: Severity,
    pub(crate) description: String,
    pub(crate) expression: String,
    pub(crate) threshold: f64,
    pub(crate) for_duration: Duration,
    pub(crate) keep_firing_for: Duration,
    pub(crate) cooldown: Duration,
}

#[derive(Clone, Debug)]
struct Instance {
    fingerprint: String,
    state: AlertState,
    active_at: DateTime<Utc>,
    fired_at: Option<DateTime<Utc>>,
    keep_firing_since: Option<DateTime<Utc>>,
    value: f64,
    notified: bool,
    last_notified: Option<DateTime<Utc>>,
    acknowledged: bool,
}

/// The alerts of one rule.
#[derive(Clone, Debug, Default)]
pub(crate) struct InstanceTable {
    instances: BTreeMap<Labels, Instance>,
    /// Last firing notification of resolved alerts, kept for the cooldown.
    recent: BTreeMap<Labels, DateTime<Utc>>,
}

fn elapsed(now: DateTime<Utc>, since: DateTime<Utc>) -> Duration {
    (now - since).to_std().unwrap_or(Duration::ZERO)
}

/// Allocates event ids.
#[derive(Clone, Debug, Default)]
pub(crate) struct EventSink {
    pub(crate) next_id: u64,
    pub(crate) out: Vec<AlertEvent>,
}

impl InstanceTable {
    /// Applies one evaluation: `results` are the label sets whose condition holds now.
    pub(crate) fn step(
        &mut self,
        meta: &RuleMeta,
        now: DateTime<Utc>,
        results: Vec<(Labels, f64)>,
        force_resolve: bool,
        sink: &mut EventSink,
    ) {
        let mut seen: BTreeSet<Labels> = BTreeSet::new();
        for (labels, value) in results {
            if force_resolve {
                break;
            }
            let inst = self
                .instances
                .entry(labels.clone())
                .or_insert_with(|| Instance {
                    fingerprint: fingerprint(&labels),
                    state: AlertState::Pending,
                    active_at: now,
                    fired_at: None,
                    keep_firing_since: None,
                    value,
                    notified: false,
                    last_notified: None,
                    acknowledged: false,
                });
            inst.value = value;
            inst.keep_firing_since = None;
            if inst.state == AlertState::Pending
                && elapsed(now, inst.active_at) >= meta.for_duration
            {
                inst.state = AlertState::Firing;
                inst.fired_at = Some(now);
            }
            seen.insert(labels);
        }
        // Label sets without a result: drop pending, hold or resolve firing.
        let absent: Vec<Labels> = self
            .instances
            .keys()
            .filter(|k| !seen.contains(*k))
            .cloned()
            .collect();
        for labels in absent {
            let Some(inst) = self.instances.get_mut(&labels) else {
                continue;
            };
            if inst.state == AlertState::Firing && !force_resolve && !meta.keep_firing_for.is_zero()
            {
                let since = *inst.keep_firing_since.get_or_insert(now);
                if elapsed(now, since) < meta.keep_firing_for {
                    continue;
                }
            }
            if let Some(inst) = self.instances.remove(&labels) {
                if inst.notified {
                    let ev = make_event(
                        meta,
                        &labels,
                        &inst,
                        now,
                        AlertEventKind::Resolved,
                        false,
                        sink,
                    );
                    sink.out.push(ev);
                }
                if let Some(t) = inst.last_notified {
                    self.recent.insert(labels, t);
                }
            }
        }
        self.recent.retain(|_, t| elapsed(now, *t) < meta.cooldown);
        // Notifications for firing alerts.
        for (labels, inst) in &mut self.instances {
            if inst.state != AlertState::Firing {
                continue;
            }
            let due = match (
                inst.notified,
                inst.last_notified.or(self.recent.get(labels).copied()),
            ) {
                (_, None) => true,
                (false, Some(t)) => elapsed(now, t) >= meta.cooldown,
                (true, Some(t)) => !inst.acknowledged && elapsed(now, t) >= meta.cooldown,
            };
            if due {
                let repeat = inst.notified;
                inst.notified = true;
                inst.last_notified = Some(now);
                let ev = make_event(
                    meta,
                    labels,
                    inst,
                    now,
                    AlertEventKind::Firing,
                    repeat,
                    sink,
                );
                sink.out.push(ev);
            }
        }
    }

    /// Marks the alert with `fingerprint` acknowledged; false if it is not active.
    pub(crate) fn acknowledge(&mut self, fp: &str) -> bool {
        let mut found = false;
        for inst in self.instances.values_mut().filter(|i| i.fingerprint == fp) {
            inst.acknowledged = true;
            found = true;
        }
        found
    }

    /// Active alerts (pending and firing).
    pub(crate) fn active(&self, rule: &str, out: &mut Vec<ActiveAlert>) {
        for (labels, inst) in &self.instances {
            out.push(ActiveAlert {
                rule: rule.to_owned(),
                labels: labels.clone(),
                state: inst.state,
                active_at: inst.active_at,
                fired_at: inst.fired_at,
                value: inst.value,
                keep_firing_since: inst.keep_firing_since,
                acknowledged: inst.acknowledged,
                fingerprint: inst.fingerprint.clone(),
            });
        }
    }

    /// No active alerts and no cooldown marks.
    pub(crate) fn is_empty(&self) -> bool {
        self.instances.is_empty() && self.recent.is_empty()
    }
}

fn make_event(
    meta: &RuleMeta,
    labels: &Labels,
    inst: &Instance,
    now: DateTime<Utc>,
    kind: AlertEventKind,
    repeat: bool,
    sink: &mut EventSink,
) -> AlertEvent {
    sink.next_id += 1;
    AlertEvent {
        id: sink.next_id,
        kind,
        repeat,
        rule: meta.name.clone(),
        labels: labels.clone(),
        severity: meta.severity,
        description: meta.description.clone(),
        summary: format!("{}: {} (value {})", meta.name, meta.expression, inst.value),
        value: inst.value,
        threshold: meta.threshold,
        active_at: inst.active_at,
        fired_at: inst.fired_at.unwrap_or(now),
        resolved_at: (kind == AlertEventKind::Resolved).then_some(now),
        at: now,
        fingerprint: inst.fingerprint.clone(),
        cooldown: meta.cooldown,
        acknowledged_by: None,
        acknowledged_at: None,
    }
}
