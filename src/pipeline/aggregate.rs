//! The aggregator: cumulative state per series, owned by the flusher thread.
//!
//! Looking a series up costs one hash of a few machine words when the name is
//! `'static` and the tags are static or interned (the common case): such emissions
//! are identified by the addresses of their name and tag list, which never change.
//! Other emissions are canonicalised (tags sorted, sanitised) and hashed by content.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use hdrhistogram::Histogram;

use super::handles::{CellRef, CounterCell, GaugeCell, Registration};
use super::key::{fast_key, FastKey, FxBuild};
use super::{DropReason, Emission};
use crate::pii::Scrubber;
use crate::snapshot::{Distribution, Kind, Series, Snapshot, Value};
use crate::tags::{canonicalize, Tag, TagsRepr};

/// Largest timing recorded exactly in the histogram: 24 h in µs. Larger values are
/// clamped there in the histogram (count, sum and max stay exact).
const MAX_TIMING_US: u64 = 86_400_000_000;

/// The tag added to a metric name's overflow series.
pub(crate) const OVERFLOW_TAG: &str = "telemetra_overflow";
/// The series that takes new series once the total cap is reached.
pub(crate) const GLOBAL_OVERFLOW: &str = "telemetra.overflow";

#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) max_series: usize,
    pub(crate) max_per_metric: usize,
    pub(crate) max_name_len: usize,
    pub(crate) max_tags: usize,
    pub(crate) max_tag_value_len: usize,
    pub(crate) sigfig: u8,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct SeriesKey {
    kind: Kind,
    name: Arc<str>,
    tags: Arc<[Tag]>,
}

/// What resolving a key found, cached for the fast path.

#[derive(Clone, Copy)]
struct Resolved {
    idx: usize,
    overflow: bool,
    sanitized: [u8; SANITIZE_N],
}

struct TimingState {
    hist: Arc<Histogram<u64>>,
    count: u64,
    sum: f64,
    min: f64,
    max: f64,
}

enum State {
    Counter(f64),
    Gauge(f64),
    Timing(TimingState),
}

struct SeriesState {
    key: SeriesKey,
    start: SystemTime,
    updated: SystemTime,
    state: State,
    counters: Vec<Arc<CounterCell>>,
    gauges: Vec<Arc<GaugeCell>>,
}

/// Counts kept by the aggregator, read into self-metrics and [`Stats`](super::Stats).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct AggCounts {
    pub(crate) emitted: u64,
    pub(crate) invalid_name: u64,
    pub(crate) invalid_value: u64,
    pub(crate) overflow: u64,
    /// empty_key, value_truncated, too_many, pii_replaced, pii_dropped
    pub(crate) sanitized: [u64; SANITIZE_N],
}

const SANITIZE_N: usize = 5;
pub(crate) const SANITIZE_REASONS: [&str; SANITIZE_N] = [
    "empty_key",
    "value_truncated",
    "too_many",
    "pii_replaced",
    "pii_dropped",
];

pub(crate) struct Aggregator {
    limits: Limits,
    /// An empty histogram of the configured precision, cloned for new timings.
    template: Histogram<u64>,
    series: Vec<SeriesState>,
    by_key: HashMap<SeriesKey, usize>,
    fast: HashMap<FastKey, Resolved, FxBuild>,
    per_name: HashMap<(Kind, Arc<str>), (usize, Option<usize>)>,
    global_overflow: HashMap<Kind, usize>,
    /// Flusher-local copy of the interner's sets.
    pub(crate) interned: Vec<Arc<[Tag]>>,
    pub(crate) counts: AggCounts,
    /// Series that are the pipeline's own (not subject to caps), by key.
    pub(crate) user_series: usize,
    /// Scrubs tag values of new series (the fast path then maps straight to the
    /// scrubbed series).
    scrubber: Option<Arc<Scrubber>>,
}

impl Aggregator {
    pub(crate) fn new(
        limits: Limits,
        scrubber: Option<Arc<Scrubber>>,
    ) -> Result<Self, crate::Error> {
        let template = Histogram::new(limits.sigfig)
            .map_err(|e| crate::Error::config("histogram_sigfig", format!("{e:?}")))?;
        Ok(Aggregator {
            limits,
            template,
            series: Vec::new(),
            by_key: HashMap::new(),
            fast: HashMap::default(),
            per_name: HashMap::new(),
            global_overflow: HashMap::new(),
            interned: Vec::new(),
            counts: AggCounts::default(),
            user_series: 0,
            scrubber,
        })
    }

    pub(crate) fn series_count(&self) -> usize {
        self.series.len()
    }

    /// Applies one emission at time `now`. Returns why it was dropped, if it was.
    pub(crate) fn apply(&mut self, e: &Emission, now: SystemTime) -> Result<(), DropReason> {
        self.apply_n(e, 1, now)
    }

    /// Applies an emission that stands for `n` emissions aggregated on their thread
    /// (its value is their sum, or for a gauge the last value).
    pub(crate) fn apply_n(
        &mut self,
        e: &Emission,
        n: u64,
        now: SystemTime,
    ) -> Result<(), DropReason> {
        let valid = match e.kind {
            Kind::Counter | Kind::Timing => e.value.is_finite() && e.value >= 0.0,
            Kind::Gauge => e.value.is_finite(),
        };
        if !valid {
            self.counts.invalid_value += n;
            return Err(DropReason::InvalidValue);
        }
        let r = match self.resolve(e) {
            Ok(r) => r,
            Err(reason) => {
                // `resolve` counted one; the rest of the aggregate shares its fate.
                self.counts.invalid_name += n.saturating_sub(1);
                return Err(reason);
            }
        };
        self.counts.emitted += n;
        if r.overflow {
            self.counts.overflow += n;
        }
        for (c, k) in self.counts.sanitized.iter_mut().zip(r.sanitized) {
            *c += u64::from(k) * n;
        }
        if let Some(s) = self.series.get_mut(r.idx) {
            s.updated = now;
            record(&mut s.state, e.value);
        }
        Ok(())
    }

    fn resolve(&mut self, e: &Emission) -> Result<Resolved, DropReason> {
        let fk = fast_key(e);
        if let Some(r) = fk.and_then(|k| self.fast.get(&k)) {
            return Ok(*r);
        }
        let r = self.resolve_slow(e.kind, &e.name, &e.tags, e.outcome)?;
        if let Some(k) = fk {
            self.fast.insert(k, r);
        }
        Ok(r)
    }

    fn resolve_slow(
        &mut self,
        kind: Kind,
        name: &str,
        tags: &TagsRepr,
        outcome: Option<bool>,
    ) -> Result<Resolved, DropReason> {
        if name.is_empty() || name.len() > self.limits.max_name_len {
            self.counts.invalid_name += 1;
            return Err(DropReason::InvalidName);
        }
        let mut list: Vec<Tag> = Vec::new();
        let bound = |id: &u32, list: &mut Vec<Tag>| {
            let idx = *id as usize;
            if let Some(set) = self.interned.get(idx) {
                list.extend(set.iter().cloned());
            }
        };
        match tags {
            TagsRepr::None => {}
            TagsRepr::Static(s) => list.extend(s.iter().map(|(k, v)| Tag::new(*k, *v))),
            TagsRepr::Owned(o) => list.extend(o.iter().cloned()),
            TagsRepr::Bound(id, s) => {
                bound(id, &mut list);
                list.extend(s.iter().map(|(k, v)| Tag::new(*k, *v)));
            }
            TagsRepr::BoundOwned(id, o) => {
                bound(id, &mut list);
                list.extend(o.iter().cloned());
            }
            TagsRepr::Shared(shared) => {
                list.extend(shared.0.iter().cloned());
                list.extend(shared.1.iter().cloned());
            }
        }
        if let Some(ok) = outcome {
            list.push(Tag::new("success", if ok { "true" } else { "false" }));
        }
        let mut sanitized = [0u8; SANITIZE_N];
        if let Some(s) = &self.scrubber {
            // Before canonicalising, so that truncation cannot cut a match in half.
            scrub_tags(s, &mut list, &mut sanitized);
        }
        let list = canonicalize(
            list,
            self.limits.max_tags,
            self.limits.max_tag_value_len,
            |reason| {
                if let Some(i) = SANITIZE_REASONS.iter().position(|r| *r == reason) {
                    if let Some(c) = sanitized.get_mut(i) {
                        *c = c.saturating_add(1);
                    }
                }
            },
        );
        let key = SeriesKey {
            kind,
            name: Arc::from(name),
            tags: list.into(),
        };
        let (idx, overflow) = self.lookup_or_insert(key);
        Ok(Resolved {
            idx,
            overflow,
            sanitized,
        })
    }

    /// Finds the series for `key`, creating it within the caps, or routes to an
    /// overflow series.
    fn lookup_or_insert(&mut self, key: SeriesKey) -> (usize, bool) {
        if let Some(idx) = self.by_key.get(&key) {
            return (*idx, false);
        }
        let name_key = (key.kind, Arc::clone(&key.name));
        let (count, name_overflow) = self.per_name.get(&name_key).copied().unwrap_or((0, None));
        if self.user_series >= self.limits.max_series {
            let kind = key.kind;
            if let Some(idx) = self.global_overflow.get(&kind) {
                return (*idx, true);
            }
            let idx = self.insert_series(SeriesKey {
                kind,
                name: Arc::from(GLOBAL_OVERFLOW),
                tags: Arc::from(vec![Tag::new("kind", kind.as_str())]),
            });
            self.global_overflow.insert(kind, idx);
            return (idx, true);
        }
        if count >= self.limits.max_per_metric {
            if let Some(idx) = name_overflow {
                return (idx, true);
            }
            let idx = self.insert_series(SeriesKey {
                kind: key.kind,
                name: Arc::clone(&key.name),
                tags: Arc::from(vec![Tag::new(OVERFLOW_TAG, "true")]),
            });
            self.user_series += 1;
            self.per_name.insert(name_key, (count, Some(idx)));
            return (idx, true);
        }
        let idx = self.insert_series(key);
        self.user_series += 1;
        self.per_name.insert(name_key, (count + 1, name_overflow));
        (idx, false)
    }

    fn insert_series(&mut self, key: SeriesKey) -> usize {
        if let Some(idx) = self.by_key.get(&key) {
            return *idx;
        }
        let now = SystemTime::now();
        let state = match key.kind {
            Kind::Counter => State::Counter(0.0),
            Kind::Gauge => State::Gauge(0.0),
            Kind::Timing => State::Timing(TimingState {
                hist: Arc::new(self.template.clone()),
                count: 0,
                sum: 0.0,
                min: 0.0,
                max: 0.0,
            }),
        };
        let idx = self.series.len();
        self.by_key.insert(key.clone(), idx);
        self.series.push(SeriesState {
            key,
            start: now,
            updated: now,
            state,
            counters: Vec::new(),
            gauges: Vec::new(),
        });
        idx
    }

    /// Sets a series of the pipeline's own (no caps): a counter to `value` as its
    /// total, a gauge to `value`, a timing gets `value` recorded.
    pub(crate) fn set_internal(
        &mut self,
        kind: Kind,
        name: &'static str,
        tags: Vec<Tag>,
        value: f64,
        now: SystemTime,
    ) {
        if !value.is_finite() {
            return;
        }
        let mut tags = tags;
        tags.sort_by(|a, b| a.key.cmp(&b.key));
        let idx = self.insert_series(SeriesKey {
            kind,
            name: Arc::from(name),
            tags: tags.into(),
        });
        if let Some(s) = self.series.get_mut(idx) {
            match &mut s.state {
                State::Counter(total) => {
                    if *total != value {
                        *total = value;
                        s.updated = now;
                    }
                }
                state => {
                    record(state, value);
                    s.updated = now;
                }
            }
        }
    }

    /// Attaches a handle's cell to its series. Returns false if the name is invalid.
    pub(crate) fn attach(&mut self, reg: Registration) -> bool {
        let Ok(r) = self.resolve_slow(reg.kind(), &reg.name, &reg.tags, None) else {
            return false;
        };
        if let Some(s) = self.series.get_mut(r.idx) {
            match reg.cell {
                CellRef::Counter(c) => s.counters.push(c),
                CellRef::Gauge(g) => s.gauges.push(g),
            }
        }
        true
    }

    /// Publishes the cumulative state.
    pub(crate) fn snapshot(&mut self, seq: u64, now: SystemTime) -> Snapshot {
        let mut out = Vec::with_capacity(self.series.len());
        for (id, s) in self.series.iter_mut().enumerate() {
            fold_cells(s, now);
            let value = match &s.state {
                State::Counter(total) => {
                    let live: u64 = s.counters.iter().map(|c| c.sum()).sum();
                    Value::Counter(total + live as f64)
                }
                State::Gauge(v) => Value::Gauge(*v),
                State::Timing(t) => Value::Timing(Distribution {
                    hist: Arc::clone(&t.hist),
                    count: t.count,
                    sum: t.sum,
                    min: t.min,
                    max: t.max,
                }),
            };
            out.push(Series {
                id,
                name: Arc::clone(&s.key.name),
                tags: Arc::clone(&s.key.tags),
                start: s.start,
                updated: s.updated,
                value,
            });
        }
        Snapshot {
            seq,
            taken_at: now,
            series: out,
        }
    }
}

/// Scrubs tag values in place: a replaced value counts as `pii_replaced`, a tag the
/// rules drop is removed and counts as `pii_dropped`.
fn scrub_tags(s: &Scrubber, list: &mut Vec<Tag>, sanitized: &mut [u8; SANITIZE_N]) {
    let mut bump = |i: usize| {
        if let Some(c) = sanitized.get_mut(i) {
            *c = c.saturating_add(1);
        }
    };
    list.retain_mut(|t| {
        let out = s.scrub_tag_value(&t.key, &t.value).map(|c| match c {
            std::borrow::Cow::Borrowed(_) => None,
            std::borrow::Cow::Owned(o) => Some(o),
        });
        match out {
            Some(None) => true,
            Some(Some(clean)) => {
                t.value = clean.into();
                bump(3);
                true
            }
            None => {
                bump(4);
                false
            }
        }
    });
}

/// Reads handle cells into the series: gauges set since the last flush, counters
/// whose handles are all gone (folded into the total and forgotten).
fn fold_cells(s: &mut SeriesState, now: SystemTime) {
    for g in &s.gauges {
        if let Some(v) = g.take() {
            s.state = State::Gauge(v);
            s.updated = now;
        }
    }
    s.gauges.retain(|g| Arc::strong_count(g) > 1);
    if s.counters.is_empty() {
        return;
    }
    let mut folded = 0u64;
    s.counters.retain(|c| {
        // strong_count == 1: only we hold it, no handle can add any more.
        let dead = Arc::strong_count(c) == 1;
        if dead {
            folded += c.sum();
        }
        !dead
    });
    if let State::Counter(total) = &mut s.state {
        *total += folded as f64;
    }
    // A handle counts as an update when its total moved; approximated by "has live
    // cells", which only affects the `updated` stamp of handle-driven counters.
    if !s.counters.is_empty() || folded > 0 {
        s.updated = now;
    }
}

fn record(state: &mut State, v: f64) {
    match state {
        State::Counter(total) => *total += v,
        State::Gauge(g) => *g = v,
        State::Timing(t) => {
            let us = (v * 1000.0).round();
            let us = if us >= MAX_TIMING_US as f64 {
                MAX_TIMING_US
            } else {
                us as u64
            };
            let h = Arc::make_mut(&mut t.hist);
            // `record` grows the (auto-resizing) histogram; it cannot fail below
            // MAX_TIMING_US, but clamping is the safe answer if it ever did.
            if h.record(us).is_err() {
                h.saturating_record(us);
            }
            if t.count == 0 {
                t.min = v;
                t.max = v;
            } else {
                t.min = t.min.min(v);
                t.max = t.max.max(v);
            }
            t.count += 1;
            t.sum += v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn limits() -> Limits {
        Limits {
            max_series: 4,
            max_per_metric: 2,
            max_name_len: 10,
            max_tags: 4,
            max_tag_value_len: 8,
            sigfig: 2,
        }
    }

    fn em(name: &'static str, kind: Kind, value: f64, tags: TagsRepr) -> Emission {
        Emission {
            name: Cow::Borrowed(name),
            tags,
            value,
            kind,
            outcome: None,
        }
    }

    #[test]
    fn caps_route_to_overflow_series() {
        let mut a = Aggregator::new(limits(), None).unwrap();
        let now = SystemTime::now();
        for v in ["a", "b", "c", "d"] {
            let tags = TagsRepr::Owned(vec![Tag::new("k", v)].into());
            a.apply(&em("m", Kind::Counter, 1.0, tags), now).unwrap();
        }
        let snap = a.snapshot(1, now);
        assert_eq!(snap.counter("m", &[("k", "a")]), Some(1.0));
        assert_eq!(snap.counter("m", &[("k", "b")]), Some(1.0));
        assert_eq!(snap.counter("m", &[(OVERFLOW_TAG, "true")]), Some(2.0));
        assert_eq!(a.counts.overflow, 2);
        // Total cap (4): "m" took 3, one more series fits, then the global overflow.
        a.apply(&em("x", Kind::Counter, 1.0, TagsRepr::None), now)
            .unwrap();
        a.apply(&em("y", Kind::Counter, 5.0, TagsRepr::None), now)
            .unwrap();
        let snap = a.snapshot(2, now);
        assert_eq!(snap.counter("x", &[]), Some(1.0));
        assert_eq!(
            snap.counter(GLOBAL_OVERFLOW, &[("kind", "counter")]),
            Some(5.0)
        );
    }

    #[test]
    fn invalid_input_is_dropped_and_counted() {
        let mut a = Aggregator::new(limits(), None).unwrap();
        let now = SystemTime::now();
        let bad = [
            em("", Kind::Counter, 1.0, TagsRepr::None),
            em("much_too_long_name", Kind::Counter, 1.0, TagsRepr::None),
            em("n", Kind::Counter, f64::NAN, TagsRepr::None),
            em("n", Kind::Counter, -1.0, TagsRepr::None),
            em("n", Kind::Gauge, f64::INFINITY, TagsRepr::None),
            em("n", Kind::Timing, -0.5, TagsRepr::None),
        ];
        for e in &bad {
            assert!(a.apply(e, now).is_err());
        }
        assert_eq!(a.counts.invalid_name, 2);
        assert_eq!(a.counts.invalid_value, 4);
        assert_eq!(a.counts.emitted, 0);
        // Negative gauges are fine.
        a.apply(&em("n", Kind::Gauge, -3.0, TagsRepr::None), now)
            .unwrap();
        assert_eq!(a.snapshot(1, now).gauge("n", &[]), Some(-3.0));
    }

    #[test]
    fn timings_keep_exact_count_sum_min_max() {
        let mut a = Aggregator::new(limits(), None).unwrap();
        let now = SystemTime::now();
        for v in [5.0, 1.5, 5.0, 250.0, 1e12] {
            a.apply(&em("t", Kind::Timing, v, TagsRepr::None), now)
                .unwrap();
        }
        let snap = a.snapshot(1, now);
        let d = snap.timing("t", &[]).unwrap();
        assert_eq!(d.count, 5);
        assert_eq!(d.sum, 5.0 + 1.5 + 5.0 + 250.0 + 1e12);
        assert_eq!(d.min, 1.5);
        assert_eq!(d.max, 1e12);
        assert!((d.quantile(0.5) - 5.0).abs() <= 0.05, "{}", d.quantile(0.5));
        assert_eq!(d.count_le(10.0), 3);
        assert_eq!(d.count_le(1e13), 5);
    }

    #[test]
    fn static_and_owned_forms_of_the_same_series_meet() {
        let mut a = Aggregator::new(limits(), None).unwrap();
        let now = SystemTime::now();
        let s: &'static [(&'static str, &'static str)] = &[("b", "2"), ("a", "1")];
        a.apply(&em("m", Kind::Counter, 1.0, TagsRepr::Static(s)), now)
            .unwrap();
        a.apply(&em("m", Kind::Counter, 1.0, TagsRepr::Static(s)), now)
            .unwrap();
        let owned = TagsRepr::Owned(vec![Tag::new("a", "1"), Tag::new("b", "2")].into());
        a.apply(&em("m", Kind::Counter, 1.0, owned), now).unwrap();
        let snap = a.snapshot(1, now);
        assert_eq!(snap.series.len(), 1);
        assert_eq!(snap.counter("m", &[("a", "1"), ("b", "2")]), Some(3.0));
    }
}
