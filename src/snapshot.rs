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

use std::sync::Arc;
use std::time::SystemTime;

use hdrhistogram::Histogram;

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
/// `count`, `sum`, `min` and `max` are exact (kept in whole nanoseconds); quantiles and
/// bucket counts come from the histogram, which keeps values to two significant
/// digits (exact below 256 ns, then within 1/128 of the value).
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

    /// How many values were `<= bound_ms` (to the histogram's precision). This is what
    /// a Prometheus `le` bucket or a GCP bucket boundary needs.
    pub fn count_le(&self, bound_ms: f64) -> u64 {
        if self.count == 0 || bound_ms.is_nan() || bound_ms < 0.0 {
            return 0;
        }
        if bound_ms >= self.max {
            return self.count;
        }
        let ns = (bound_ms * NS_PER_MS).floor();
        if ns >= u64::MAX as f64 {
            return self.count;
        }
        self.hist.count_between(0, ns as u64)
    }

    /// The distribution of the values recorded after `earlier` (an older view of the
    /// same series). `min` and `max` of the difference come from the histogram.
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
        let (min, max) = if h.is_empty() {
            (0.0, 0.0)
        } else {
            (h.min() as f64 / NS_PER_MS, h.max() as f64 / NS_PER_MS)
        };
        Distribution {
            hist: Arc::new(h),
            count,
            sum: (self.sum - earlier.sum).max(0.0),
            min,
            max,
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
        }
    }

    /// Iterates over (upper value in ms, count) for each recorded histogram bucket.
    pub fn buckets(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        self.hist
            .iter_recorded()
            .map(|v| (v.value_iterated_to() as f64 / NS_PER_MS, v.count_at_value()))
    }
}
