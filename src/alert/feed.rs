//! Turning pipeline snapshots into the alert engine's and the SLO trackers' inputs.

use std::collections::HashSet;
use std::time::Duration;

use super::input::{SeriesPoint, TimingSummary};
use super::rule::TagMatcher;
use crate::snapshot::{Series, Snapshot, Value};

/// Where an SLO's good and total counts come from in the pipeline's snapshots.
///
/// Counts are read as cumulative totals from every series of the named metric whose
/// tags pass the filter (all [`TagMatcher`]s must match), summed, and fed to
/// [`SloTracker::observe_cumulative`](crate::slo::SloTracker::observe_cumulative) on
/// each export. A counter series counts its total; a timing series counts its number
/// of recorded durations, so `time_result`'s `success=false` timings can be the bad
/// events.
#[derive(Clone, Debug, PartialEq)]
pub enum SloSource {
    /// An availability SLO: good = total − bad.
    Availability {
        /// Metric counting every event, e.g. `infra.http.request.count`.
        total_metric: String,
        /// Which series of `total_metric` count (empty: all of them).
        total_filter: Vec<TagMatcher>,
        /// Metric counting bad events (may be `total_metric` again).
        bad_metric: String,
        /// Which series of `bad_metric` are bad, e.g. `status` prefix `5`.
        bad_filter: Vec<TagMatcher>,
    },
    /// A latency SLO: good = durations at most `threshold` (exact: the sink declares
    /// the threshold, see `Distribution::count_at_most`), total = every duration.
    Latency {
        /// A timing metric, e.g. `infra.http.request.latency_ms`.
        timing_metric: String,
        /// Which series count (empty: all of them).
        filter: Vec<TagMatcher>,
        /// Must equal the SLO definition's latency threshold.
        threshold: Duration,
    },
}

impl SloSource {
    /// Cumulative `(good, total)` in `snap`.
    pub(crate) fn cumulative(&self, snap: &Snapshot) -> (u64, u64) {
        match self {
            SloSource::Availability {
                total_metric,
                total_filter,
                bad_metric,
                bad_filter,
            } => {
                let total = sum(snap, total_metric, total_filter, |s| events(&s.value));
                let bad = sum(snap, bad_metric, bad_filter, |s| events(&s.value));
                let total = to_count(total);
                (total.saturating_sub(to_count(bad)), total)
            }
            SloSource::Latency {
                timing_metric,
                filter,
                threshold,
            } => {
                let mut good = 0u64;
                let mut total = 0u64;
                for s in matching(snap, timing_metric, filter) {
                    if let Value::Timing(d) = &s.value {
                        good = good.saturating_add(d.count_at_most(*threshold));
                        total = total.saturating_add(d.count);
                    }
                }
                (good.min(total), total)
            }
        }
    }
}

fn events(v: &Value) -> f64 {
    match v {
        Value::Counter(n) => *n,
        Value::Timing(d) => d.count as f64,
        Value::Gauge(_) => 0.0,
    }
}

fn to_count(v: f64) -> u64 {
    // Counter totals are whole numbers unless fractional `add`s were used; round, and
    // saturate (the `as` cast does) rather than wrap.
    if v.is_finite() && v > 0.0 {
        v.round() as u64
    } else {
        0
    }
}

fn sum(
    snap: &Snapshot,
    metric: &str,
    filter: &[TagMatcher],
    value: impl Fn(&Series) -> f64,
) -> f64 {
    matching(snap, metric, filter).map(value).sum()
}

fn matching<'a>(
    snap: &'a Snapshot,
    metric: &'a str,
    filter: &'a [TagMatcher],
) -> impl Iterator<Item = &'a Series> + 'a {
    snap.series
        .iter()
        .filter(move |s| &*s.name == metric)
        .filter(move |s| {
            filter.is_empty() || {
                let tags = owned_tags(s);
                filter.iter().all(|m| m.matches(&tags))
            }
        })
}

pub(crate) fn owned_tags(s: &Series) -> Vec<(String, String)> {
    s.tags
        .iter()
        .map(|t| (t.key.to_string(), t.value.to_string()))
        .collect()
}

/// The series of `snap` that some rule refers to, with owned tags (the engine's input
/// borrows them) and per-interval timing quantiles against `previous`.
pub(crate) struct Points {
    rows: Vec<(usize, Tags, Row)>,
}

type Tags = Vec<(String, String)>;

enum Row {
    Counter(f64),
    Gauge(f64),
    Timing(TimingSummary),
}

impl Points {
    pub(crate) fn new(
        snap: &Snapshot,
        previous: Option<&Snapshot>,
        referenced: &HashSet<String>,
    ) -> Self {
        let mut rows = Vec::new();
        for s in &snap.series {
            if !referenced.contains(&*s.name) {
                continue;
            }
            let row = match &s.value {
                Value::Counter(v) => Row::Counter(*v),
                Value::Gauge(v) => Row::Gauge(*v),
                Value::Timing(d) => {
                    let before = previous
                        .and_then(|p| p.series.get(s.id))
                        .filter(|p| p.name == s.name && p.tags == s.tags);
                    let interval = match before.map(|b| &b.value) {
                        Some(Value::Timing(b)) => d.since(b),
                        _ => d.clone(),
                    };
                    let q = |q: f64| {
                        if interval.count == 0 {
                            f64::NAN
                        } else {
                            interval.quantile(q)
                        }
                    };
                    Row::Timing(TimingSummary {
                        count: d.count,
                        sum: d.sum,
                        p50: q(0.5),
                        p95: q(0.95),
                        p99: q(0.99),
                    })
                }
            };
            rows.push((s.id, owned_tags(s), row));
        }
        Points { rows }
    }

    /// The engine's view; names are borrowed from `snap` (the snapshot `new` saw).
    pub(crate) fn points<'a>(&'a self, snap: &'a Snapshot) -> Vec<SeriesPoint<'a>> {
        self.rows
            .iter()
            .filter_map(|(id, tags, row)| {
                let name: &str = &snap.series.get(*id)?.name;
                Some(match row {
                    Row::Counter(v) => SeriesPoint::counter(name, tags, *v),
                    Row::Gauge(v) => SeriesPoint::gauge(name, tags, *v),
                    Row::Timing(t) => SeriesPoint::timing(name, tags, *t),
                })
            })
            .collect()
    }
}
