//! Immutable snapshots of the aggregated state, published every flush interval.
//!
//! # Why cumulative snapshots
//! The aggregator keeps *cumulative* state per series: a counter's total since the
//! series was first seen, a gauge's last value, a timing's histogram of every value
//! ever recorded. A flush publishes that state as an immutable [`Snapshot`] shared by
//! every sink (`Arc`). Sinks that want cumulative values (Prometheus, GCP CUMULATIVE)
//! send them as they are; sinks that want deltas (Datadog counts, DogStatsD) subtract
//! the last snapshot *they successfully delivered* (see
//! [`Export::deltas`](crate::sinks::Export::deltas)). A failed export leaves that
//! cursor where it was, so the next successful one carries everything that happened
//! in between: an outage loses no increments, and memory stays bounded by the number
//! of series, not by the length of the outage.
//!
//! Series are append-only: a series keeps its [`Series::id`] (its index in
//! [`Snapshot::series`]) for the life of the pipeline, so two snapshots can be
//! compared index by index.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::SystemTime;

use hdrhistogram::Histogram;

use crate::histogram::cuts::{TimingBound, TimingShared};
use crate::histogram::{index_of, lowest_of};
use crate::tags::Tag;

/// What kind of series this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A monotonic counter.
    Counter,
    /// A last-value gauge.
    Gauge,
    /// A distribution of durations, in milliseconds.
    Timing,
}

impl Kind {
    /// The lowercase name: `counter`, `gauge`, `timing`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
            Kind::Timing => "timing",
        }
    }
}

/// One flush's view of every series.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Increases by one with every published snapshot, starting at 1.
    pub seq: u64,
    /// When the snapshot was taken.
    pub taken_at: SystemTime,
    /// Every series, indexed by [`Series::id`].
    pub series: Vec<Series>,
}

impl Snapshot {
    /// An empty snapshot (sequence 0).
    pub fn empty() -> Self {
        Snapshot {
            seq: 0,
            taken_at: SystemTime::UNIX_EPOCH,
            series: Vec::new(),
        }
    }

    /// Finds a series by kind, name and tags (in any order).
    ///
    /// Linear in the number of series: meant for tests and tools, not for sinks.
    pub fn find(&self, kind: Kind, name: &str, tags: &[(&str, &str)]) -> Option<&Series> {
        self.series
            .iter()
            .find(|s| s.kind() == kind && &*s.name == name && s.tags_equal(tags))
    }

    /// The total of a counter series, if it exists.
    pub fn counter(&self, name: &str, tags: &[(&str, &str)]) -> Option<f64> {
        match self.find(Kind::Counter, name, tags)?.value {
            Value::Counter(v) => Some(v),
            _ => None,
        }
    }

    /// The value of a gauge series, if it exists.
    pub fn gauge(&self, name: &str, tags: &[(&str, &str)]) -> Option<f64> {
        match self.find(Kind::Gauge, name, tags)?.value {
            Value::Gauge(v) => Some(v),
            _ => None,
        }
    }

    /// The distribution of a timing series, if it exists.
    pub fn timing(&self, name: &str, tags: &[(&str, &str)]) -> Option<&Distribution> {
        match &self.find(Kind::Timing, name, tags)?.value {
            Value::Timing(d) => Some(d),
            _ => None,
        }
    }
}

/// One series: a name, a set of tags and a value.
#[derive(Clone, Debug)]
pub struct Series {
    /// Stable index of the series in every snapshot of this pipeline.
    pub id: usize,
    /// The metric name as emitted (sinks apply their own naming rules).
    pub name: Arc<str>,
    /// Tags sorted by key, unique keys.
    pub tags: Arc<[Tag]>,
    /// When the series was first seen (the start of its cumulative interval).
    pub start: SystemTime,
    /// When it last received a value.
    pub updated: SystemTime,
    /// The cumulative value.
    pub value: Value,
    /// The latest value recorded while a sampled span was current on the emitting
    /// thread (counters and timings), for exemplars (OpenMetrics).
    pub exemplar: Option<Exemplar>,
}

/// A value recorded inside a sampled span, linking a series to a trace.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exemplar {
    /// The trace of the span that was current.
    pub trace_id: crate::trace::TraceId,
    /// That span.
    pub span_id: crate::trace::SpanId,
    /// The value: a counter's increment, a timing in milliseconds.
    pub value: f64,
    /// When it was recorded.
    pub time: SystemTime,
}

impl Series {
    /// The series' kind.
    pub fn kind(&self) -> Kind {
        match self.value {
            Value::Counter(_) => Kind::Counter,
            Value::Gauge(_) => Kind::Gauge,
            Value::Timing(_) => Kind::Timing,
        }
    }

    /// Whether the tags are exactly `tags` (in any order).
    pub fn tags_equal(&self, tags: &[(&str, &str)]) -> bool {
        self.tags.len() == tags.len()
            && tags
                .iter()
                .all(|(k, v)| self.tags.iter().any(|t| t.key == *k && t.value == *v))
    }

    /// The value of tag `key`, if present.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|t| t.key == key)
            .map(|t| t.value.as_ref())
    }
}

/// A series' cumulative value.
#[derive(Clone, Debug)]
pub enum Value {
    /// A counter's total since the series started.
    Counter(f64),
    /// A gauge's last value.
    Gauge(f64),
    /// A timing distribution since the series started.
    Timing(Distribution),
}

/// Nanoseconds per millisecond: the histogram's unit is the nanosecond.
pub(crate) const NS_PER_MS: f64 = 1e6;

/// A distribution of timings in milliseconds, backed by an HDR histogram.
///
/// `count`, `sum`, `min` and `max` are exact (kept in whole nanoseconds). Quantiles
/// come from the histogram, which keeps values to two significant digits (exact
/// below 256 ns, then within 1/128 of the value). Bucket counts
/// ([`count_le`](Distribution::count_le), [`count_lt`](Distribution::count_lt)) are
/// exact at every bound a sink or an SLO declared (see
/// [`TimingBound`]) and at the histogram's own bucket edges; at
/// other bounds they are to the histogram's precision. The `min` and `max` of
/// [`since`](Distribution::since) are the exact extremes of the values recorded in
/// between, for spans of up to 32 snapshots that had values.
#[derive(Clone)]
pub struct Distribution {
    pub(crate) hist: Arc<Histogram<u64>>,
    /// Number of values.
    pub count: u64,
    /// Sum of the values, ms.
    pub sum: f64,
    /// Smallest value, ms (0 when empty).
    pub min: f64,
    /// Largest value, ms (0 when empty).
    pub max: f64,
    pub(crate) exact: Exact,
}

/// What makes a [`Distribution`]'s bucket counts and interval extremes exact.
#[derive(Clone, Debug, Default)]
pub(crate) struct Exact {
    /// The snapshot this view is from (0: none).
    pub(crate) seq: u64,
    /// `min` and `max` in ns.
    pub(crate) min_ns: u64,
    pub(crate) max_ns: u64,
    /// The pipeline's cuts (None: no cut has a counter).
    pub(crate) timing: Option<Arc<TimingShared>>,
    /// Values below each cut with a counter.
    pub(crate) below: Arc<Vec<u64>>,
    /// (snapshot seq, min ns, max ns) of the last intervals that had values.
    pub(crate) recent: Arc<VecDeque<(u64, u64, u64)>>,
    /// Every interval from this snapshot seq on that had values is in `recent`.
    pub(crate) recent_from: u64,
}

impl std::fmt::Debug for Distribution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Distribution")
            .field("count", &self.count)
            .field("sum", &self.sum)
            .field("min", &self.min)
            .field("max", &self.max)
            .field("p50", &self.quantile(0.5))
            .field("p99", &self.quantile(0.99))
            .finish()
    }
}

impl Distribution {
    /// The mean in ms (0 when empty).
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum / self.count as f64
        }
    }

    /// The value at quantile `q` (0..=1) in ms, to the histogram's precision; 0 when
    /// empty.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 || !q.is_finite() {
            return 0.0;
        }
        let v = self.hist.value_at_quantile(q.clamp(0.0, 1.0)) as f64 / NS_PER_MS;
        // The histogram reports the highest value equivalent to the bucket; never report
        // beyond the exact extremes.
        v.clamp(self.min, self.max)
    }

    /// p50, p90, p95, p99 and p99.9 in ms.
    pub fn percentiles(&self) -> [(f64, f64); 5] {
        [0.5, 0.9, 0.95, 0.99, 0.999].map(|q| (q, self.quantile(q)))
    }

    /// How many values were at most `bound_ms`: a Prometheus `le` bucket. Exact at
    /// declared bounds and histogram bucket edges (see the type's docs).
    pub fn count_le(&self, bound_ms: f64) -> u64 {
        TimingBound::AtMostMs(bound_ms)
            .cut_ns()
            .map_or(0, |t| self.count_below_ns(t))
    }

    /// How many values were below `bound_ms`: what Google's explicit buckets
    /// (`lower <= value < upper`) need. Exact where [`count_le`](Self::count_le) is.
    pub fn count_lt(&self, bound_ms: f64) -> u64 {
        TimingBound::BelowMs(bound_ms)
            .cut_ns()
            .map_or(0, |t| self.count_below_ns(t))
    }

    /// How many values were at most `bound` long: an SLO's good events.
    pub fn count_at_most(&self, bound: std::time::Duration) -> u64 {
        TimingBound::AtMost(bound)
            .cut_ns()
            .map_or(self.count, |t| self.count_below_ns(t))
    }

    /// How many values were below `t` ns.
    pub(crate) fn count_below_ns(&self, t: u64) -> u64 {
        let x = &self.exact;
        if self.count == 0 || t == 0 || t <= x.min_ns {
            return 0;
        }
        if t > x.max_ns {
            return self.count;
        }
        let i = index_of(t);
        let edge = lowest_of(i);
        let under = match edge.checked_sub(1) {
            Some(top) => self.hist.count_between(0, top),
            None => 0,
        };
        if edge == t {
            return under.min(self.count);
        }
        let cut = x
            .timing
            .as_ref()
            .and_then(|s| s.cuts.position(t))
            .map(|k| x.below.get(k).copied().unwrap_or(0));
        match cut {
            Some(b) => under.saturating_add(b).min(self.count),
            // Not a declared bound: to the histogram's precision.
            None => self.hist.count_between(0, t - 1).min(self.count),
        }
    }

    /// The distribution of the values recorded after `earlier` (an older view of the
    /// same series). `min` and `max` are the exact extremes of those values when
    /// `earlier` is at most 32 snapshots with values back; beyond, they come from the
    /// histogram.
    pub fn since(&self, earlier: &Distribution) -> Distribution {
        if earlier.count == 0 {
            return self.clone();
        }
        if earlier.count >= self.count {
            return Distribution::empty(&self.hist);
        }
        let mut h = (*self.hist).clone();
        if h.subtract(&*earlier.hist).is_err() {
            // Cannot happen for two views of one cumulative series; report the whole.
            return self.clone();
        }
        let count = self.count - earlier.count;
        let (x, e) = (&self.exact, &earlier.exact);
        let between = x
            .recent
            .iter()
            .filter(|(seq, _, _)| *seq > e.seq && *seq <= x.seq)
            .fold(None, |acc: Option<(u64, u64)>, &(_, a, b)| {
                Some(acc.map_or((a, b), |(m, n)| (m.min(a), n.max(b))))
            });
        let (min_ns, max_ns) = match between {
            Some(mm) if e.seq >= x.recent_from && e.seq > 0 => mm,
            _ if h.is_empty() => (0, 0),
            _ => (h.min().max(x.min_ns), h.max().min(x.max_ns)),
        };
        let below = x
            .below
            .iter()
            .enumerate()
            .map(|(k, b)| b.saturating_sub(e.below.get(k).copied().unwrap_or(0)))
            .collect();
        Distribution {
            hist: Arc::new(h),
            count,
            sum: (self.sum - earlier.sum).max(0.0),
            min: min_ns as f64 / NS_PER_MS,
            max: max_ns as f64 / NS_PER_MS,
            exact: Exact {
                min_ns,
                max_ns,
                below: Arc::new(below),
                ..x.clone()
            },
        }
    }

    fn empty(like: &Histogram<u64>) -> Distribution {
        let mut h = like.clone();
        h.reset();
        Distribution {
            hist: Arc::new(h),
            count: 0,
            sum: 0.0,
            min: 0.0,
            max: 0.0,
            exact: Exact::default(),
        }
    }

    /// Iterates over (upper value in ms, count) for each recorded histogram bucket.
    pub fn buckets(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        self.hist
            .iter_recorded()
            .map(|v| (v.value_iterated_to() as f64 / NS_PER_MS, v.count_at_value()))
    }
}
