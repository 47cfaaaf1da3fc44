//! [`AlertEngine`]: evaluates rules (and SLO burn-rate conditions) on each snapshot.

use super::engine_config::EngineConfig;
use super::event::{ActiveAlert, AlertEvent};
use super::history::{GroupHistory, Kind, Sample};
use super::input::{series_key, PointKind, SeriesPoint};
use super::rule::{Aggregation, AlertRule, Severity, TagMatcher};
use super::state::{EventSink, InstanceTable, Labels, RuleMeta};
use super::AlertError;
use crate::slo::{BurnSeverity, SloTracker};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::time::Duration;

#[derive(Clone, Copy, Debug)]
struct SeriesLast {
    total: f64,
    sum: f64,
    last_seen: DateTime<Utc>,
}

#[derive(Clone, Debug)]
struct RuleSlot {
    rule: AlertRule,
    meta: RuleMeta,
    groups: HashMap<Vec<String>, GroupHistory>,
    table: InstanceTable,
}

/// Evaluates alert rules over snapshots and keeps per-alert state, history and acknowledgements.
///
/// Pure with respect to time: every call takes `now`; nothing reads a clock or does I/O.
#[derive(Clone, Debug)]
pub struct AlertEngine {
    config: EngineConfig,
    rules: Vec<RuleSlot>,
    referenced: HashSet<String>,
    series: HashMap<u64, SeriesLast>,
    evaluations: u64,
    slo_tables: BTreeMap<(String, BurnSeverity), InstanceTable>,
    sink: EventSink,
    events: VecDeque<AlertEvent>,
    dropped_series: u64,
    dropped_groups: u64,
}

struct Obs<'a> {
    point: &'a SeriesPoint<'a>,
    delta: f64,
    delta_sum: f64,
}

impl AlertEngine {
    /// An engine for `rules` with default limits; rules are validated, names must be unique.
    pub fn new(rules: Vec<AlertRule>) -> Result<Self, AlertError> {
        Self::with_config(rules, EngineConfig::default())
    }

    /// An engine with explicit limits.
    pub fn with_config(rules: Vec<AlertRule>, config: EngineConfig) -> Result<Self, AlertError> {
        for (field, value) in [
            ("engine_config.slo_page_severity", &config.slo_page_severity),
            (
                "engine_config.slo_ticket_severity",
                &config.slo_ticket_severity,
            ),
        ] {
            if value.trim().is_empty() {
                return Err(AlertError::invalid(field, "must not be empty"));
            }
        }
        let mut referenced = HashSet::new();
        let mut slots: Vec<RuleSlot> = Vec::with_capacity(rules.len());
        for (i, rule) in rules.into_iter().enumerate() {
            rule.validate(&format!("rules[{i}]."))?;
            if slots.iter().any(|s| s.rule.name == rule.name) {
                return Err(AlertError::invalid(
                    format!("rules[{i}].name"),
                    "duplicate rule name",
                ));
            }
            referenced.insert(rule.metric.clone());
            if let Aggregation::ErrorRatio { total_metrics, .. } = &rule.aggregation {
                referenced.extend(total_metrics.iter().cloned());
            }
            let meta = RuleMeta {
                name: rule.name.clone(),
                severity: rule.severity,
                description: rule.description.clone(),
                expression: rule.expression(),
                threshold: rule.threshold,
                for_duration: rule.for_duration,
                keep_firing_for: rule.keep_firing_for,
                cooldown: rule.cooldown,
            };
            slots.push(RuleSlot {
                rule,
                meta,
                groups: HashMap::new(),
                table: InstanceTable::default(),
            });
        }
        Ok(Self {
            config,
            rules: slots,
            referenced,
            series: HashMap::new(),
            evaluations: 0,
            slo_tables: BTreeMap::new(),
            sink: EventSink::default(),
            events: VecDeque::new(),
            dropped_series: 0,
            dropped_groups: 0,
        })
    }

    /// The rules.
    pub fn rules(&self) -> impl Iterator<Item = &AlertRule> {
        self.rules.iter().map(|s| &s.rule)
    }

    /// Enables or disables a rule at runtime; false if no rule has that name. A disabled rule
    /// resolves its firing alerts at the next evaluation.
    pub fn set_enabled(&mut self, rule: &str, enabled: bool) -> bool {
        let slot = self.rules.iter_mut().find(|s| s.rule.name == rule);
        slot.map(|s| s.rule.enabled = enabled).is_some()
    }

    /// Evaluates every rule on one snapshot taken at `now` and returns the new events
    /// (firing, reminders, resolved) in a deterministic order.
    ///
    /// Counter and timing deltas are taken against the previous snapshot. On the engine's
    /// first evaluation every series only sets a baseline; a series first seen later counts its
    /// whole total (it was created since the previous snapshot).
    pub fn evaluate(&mut self, now: DateTime<Utc>, points: &[SeriesPoint<'_>]) -> Vec<AlertEvent> {
        self.evaluations += 1;
        let first = self.evaluations == 1;
        let now_ms = now.timestamp_millis();
        let mut by_name: HashMap<&str, Vec<Obs<'_>>> = HashMap::new();
        for p in points {
            if !self.referenced.contains(p.name) {
                continue;
            }
            let key = series_key(p.name, p.tags);
            let (total, sum) = match p.kind {
                PointKind::Counter { total } => (total, 0.0),
                PointKind::Timing(t) => (t.count as f64, t.sum),
                PointKind::Gauge { .. } => (0.0, 0.0),
            };
            let prev = self.series.get(&key).copied();
            let (delta, delta_sum) = match prev {
                Some(prev) => (
                    if total >= prev.total {
                        total - prev.total
                    } else {
                        total
                    },
                    if sum >= prev.sum && total >= prev.total {
                        sum - prev.sum
                    } else {
                        sum
                    },
                ),
                None if first => (0.0, 0.0),
                None => (total, sum),
            };
            if prev.is_some() || self.series.len() < self.config.max_series {
                self.series.insert(
                    key,
                    SeriesLast {
                        total,
                        sum,
                        last_seen: now,
                    },
                );
            } else {
                self.dropped_series += 1;
            }
            by_name.entry(p.name).or_default().push(Obs {
                point: p,
                delta,
                delta_sum,
            });
        }
        let mut sink = std::mem::take(&mut self.sink);
        sink.out.clear();
        for slot in &mut self.rules {
            evaluate_rule(
                slot,
                now,
                now_ms,
                &by_name,
                &self.config,
                &mut self.dropped_groups,
                &mut sink,
            );
        }
        if self.evaluations.is_multiple_of(16) {
            let ttl = self.config.series_ttl;
            self.series
                .retain(|_, s| (now - s.last_seen).to_std().map_or(true, |age| age <= ttl));
        }
        self.finish(sink)
    }

    /// Evaluates the burn-rate conditions of SLO trackers at `now`: one alert per SLO and
    /// severity (`alertname = slo_burn_rate`, labels `slo`, `burn = page|ticket`, `severity`
    /// named by [`EngineConfig::slo_page_severity`] / [`EngineConfig::slo_ticket_severity`]),
    /// firing when any of that severity's long/short window pairs both exceed their factor.
    /// Page is routed as [`Severity::Critical`], ticket as [`Severity::Warning`]; no `for`, as
    /// in Sloth.
    pub fn evaluate_slos(
        &mut self,
        now: DateTime<Utc>,
        trackers: &[&SloTracker],
    ) -> Vec<AlertEvent> {
        let mut sink = std::mem::take(&mut self.sink);
        sink.out.clear();
        for tracker in trackers {
            let def = tracker.definition();
            let all = tracker.burn_alerts(now);
            for severity in [BurnSeverity::Page, BurnSeverity::Ticket] {
                let statuses: Vec<_> = all.iter().filter(|s| s.rule.severity == severity).collect();
                if statuses.is_empty() {
                    continue;
                }
                let firing: Vec<_> = statuses.iter().filter(|s| s.firing).collect();
                let value = firing
                    .iter()
                    .filter_map(|s| s.long_burn.map(|b| b.to_f64()))
                    .fold(f64::NAN, f64::max);
                let sev = match severity {
                    BurnSeverity::Page => Severity::Critical,
                    BurnSeverity::Ticket => Severity::Warning,
                };
                let name = match severity {
                    BurnSeverity::Page => &self.config.slo_page_severity,
                    BurnSeverity::Ticket => &self.config.slo_ticket_severity,
                };
                let mut labels = Labels::new();
                labels.insert("alertname".into(), "slo_burn_rate".into());
                labels.insert("severity".into(), name.clone());
                labels.insert("slo".into(), def.name.clone());
                labels.insert("burn".into(), severity.as_str().into());
                let threshold = statuses
                    .iter()
                    .map(|s| s.rule.factor().to_f64())
                    .fold(f64::NAN, f64::min);
                let meta = RuleMeta {
                    name: "slo_burn_rate".into(),
                    severity: sev,
                    description: format!(
                        "{} error budget burns too fast ({})",
                        def.name,
                        severity.as_str()
                    ),
                    expression: format!("burn_rate({}) over long and short windows", def.name),
                    threshold,
                    for_duration: Duration::ZERO,
                    keep_firing_for: Duration::ZERO,
                    cooldown: self.config.slo_cooldown,
                };
                let results = if firing.is_empty() {
                    Vec::new()
                } else {
                    vec![(labels, value)]
                };
                let table = self
                    .slo_tables
                    .entry((def.name.clone(), severity))
                    .or_default();
                table.step(&meta, now, results, false, &mut sink);
            }
        }
        self.slo_tables.retain(|_, t| !t.is_empty());
        self.finish(sink)
    }

    fn finish(&mut self, mut sink: EventSink) -> Vec<AlertEvent> {
        let out = std::mem::take(&mut sink.out);
        for ev in &out {
            if self.events.len() >= self.config.max_events {
                self.events.pop_front();
            }
            self.events.push_back(ev.clone());
        }
        self.sink = sink;
        out
    }

    /// Recent events, oldest first (bounded by [`EngineConfig::max_events`]).
    pub fn events(&self) -> impl Iterator<Item = &AlertEvent> {
        self.events.iter()
    }

    /// Active alerts (pending and firing) of all rules and SLOs.
    pub fn active(&self) -> Vec<ActiveAlert> {
        let mut out = Vec::new();
        for slot in &self.rules {
            slot.table.active(&slot.rule.name, &mut out);
        }
        for table in self.slo_tables.values() {
            table.active("slo_burn_rate", &mut out);
        }
        out
    }

    /// Acknowledges the alert that produced event `id`: the event is marked and, while the
    /// alert keeps firing, reminders stop (its resolution is still notified).
    pub fn acknowledge(&mut self, id: u64, by: &str, now: DateTime<Utc>) -> Result<(), AlertError> {
        let ev = self
            .events
            .iter_mut()
            .find(|e| e.id == id)
            .ok_or(AlertError::UnknownEvent { id })?;
        ev.acknowledged_by = Some(by.to_owned());
        ev.acknowledged_at = Some(now);
        let fp = ev.fingerprint.clone();
        for slot in &mut self.rules {
            slot.table.acknowledge(&fp);
        }
        for table in self.slo_tables.values_mut() {
            table.acknowledge(&fp);
        }
        Ok(())
    }

    /// Series dropped because [`EngineConfig::max_series`] was reached, and groups dropped
    /// because [`EngineConfig::max_groups_per_rule`] was reached.
    pub fn dropped(&self) -> (u64, u64) {
        (self.dropped_series, self.dropped_groups)
    }
}

fn lookback_ms(config: &EngineConfig) -> i64 {
    i64::try_from(config.lookback.as_millis()).unwrap_or(i64::MAX)
}

fn matches_all(filter: &[TagMatcher], tags: &[(String, String)]) -> bool {
    filter.iter().all(|m| m.matches(tags))
}

fn group_key(group_by: &[String], tags: &[(String, String)]) -> Vec<String> {
    group_by
        .iter()
        .map(|k| {
            tags.iter()
                .find(|(tk, _)| tk == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
        .collect()
}

fn evaluate_rule(
    slot: &mut RuleSlot,
    now: DateTime<Utc>,
    now_ms: i64,
    by_name: &HashMap<&str, Vec<Obs<'_>>>,
    config: &EngineConfig,
    dropped_groups: &mut u64,
    sink: &mut EventSink,
) {
    let rule = &slot.rule;
    if !rule.enabled {
        slot.groups.clear();
        slot.table.step(&slot.meta, now, Vec::new(), true, sink);
        return;
    }
    let mut samples: HashMap<Vec<String>, Sample> = HashMap::new();
    for o in by_name.get(rule.metric.as_str()).into_iter().flatten() {
        if !matches_all(&rule.filter, o.point.tags) {
            continue;
        }
        let s = samples
            .entry(group_key(&rule.group_by, o.point.tags))
            .or_default();
        match o.point.kind {
            PointKind::Counter { .. } => {
                s.kind = Kind::Counter;
                s.delta += o.delta;
            }
            PointKind::Gauge { value } => {
                s.kind = Kind::Gauge;
                s.gauge += value;
            }
            PointKind::Timing(t) => {
                s.kind = Kind::Timing;
                s.delta += o.delta;
                s.delta_sum += o.delta_sum;
                for (dst, src) in s.q.iter_mut().zip([t.p50, t.p95, t.p99]) {
                    *dst = dst.max(src);
                }
            }
        }
    }
    if let Aggregation::ErrorRatio {
        total_metrics,
        total_filter,
    } = &rule.aggregation
    {
        for name in total_metrics {
            for o in by_name.get(name.as_str()).into_iter().flatten() {
                if matches_all(total_filter, o.point.tags) {
                    let s = samples
                        .entry(group_key(&rule.group_by, o.point.tags))
                        .or_default();
                    s.total += o.delta;
                }
            }
        }
    }
    for (key, history) in &mut slot.groups {
        if !samples.contains_key(key) {
            history.carry(now_ms, lookback_ms(config));
        }
    }
    for (key, sample) in samples {
        if !slot.groups.contains_key(&key) && slot.groups.len() >= config.max_groups_per_rule {
            *dropped_groups += 1;
            continue;
        }
        slot.groups
            .entry(key)
            .or_insert_with(|| GroupHistory::new(rule.window))
            .push_observed(now_ms, &sample);
    }
    let mut results = Vec::new();
    slot.groups.retain(|key, history| {
        if history.expire(now_ms, rule.window) {
            return false;
        }
        if let Some(value) = history.aggregate(&rule.aggregation, rule.window) {
            if rule.op.holds(value, rule.threshold) {
                let mut labels = rule.labels.clone();
                for (k, v) in rule.group_by.iter().zip(key) {
                    labels.insert(k.clone(), v.clone());
                }
                labels.insert("alertname".into(), rule.name.clone());
                // The rule's own `severity` label, if any, names the severity.
                labels
                    .entry("severity".into())
                    .or_insert_with(|| rule.severity.as_str().into());
                results.push((labels, value));
            }
        }
        true
    });
    slot.table.step(&slot.meta, now, results, false, sink);
}
