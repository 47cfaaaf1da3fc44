//! The aggregator: cumulative state per series, owned by the flusher thread.
//!
//! Most values arrive as differences read from the emitting threads' cells (see
//! `cell.rs`); each cell resolves its series once (tags scrubbed, canonicalised,
//! capped) and remembers it. Queued emissions (the rare path) are resolved one by one.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::SystemTime;

use hdrhistogram::Histogram;

use super::cell::{Delta, LocalCell};
use super::handles::{CellRef, CounterCell, GaugeCell, Registration};
use super::{DropReason, Emission, Sample};
use crate::histogram::cuts::{Cuts, TimingShared};
use crate::histogram::{highest_of, index_of};
use crate::pii::Scrubber;
use crate::snapshot::{Distribution, Exact, Exemplar, Kind, Series, Snapshot, Value};
use crate::tags::{canonicalize, Tag, TagsRepr};

/// Largest timing recorded exactly in the histogram: 24 h in ns. Larger values are
/// clamped there in the histogram (count, sum and max stay exact).
const MAX_TIMING_NS: u64 = 86_400_000_000_000;

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
    pub(crate) max_tag_key_len: usize,
    pub(crate) max_tag_value_len: usize,
    pub(crate) sigfig: u8,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct SeriesKey {
    kind: Kind,
    name: Arc<str>,
    tags: Arc<[Tag]>,
}

/// What resolving a series found, kept by each cell that feeds it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Resolved {
    idx: usize,
    overflow: bool,
    sanitized: [u8; SANITIZE_N],
}

/// Intervals whose extremes a timing series keeps, for delta sinks that skipped a few
/// snapshots (after an outage, say) and still want exact extremes.
const RECENT_INTERVALS: usize = 32;

/// A timing series, in nanoseconds.
struct TimingState {
    hist: Arc<Histogram<u64>>,
    count: u64,
    sum: u64,
    min: u64,
    max: u64,
    /// Values below each of the pipeline's cuts that has a counter (see `cuts`).
    below: Arc<Vec<u64>>,
    /// The extremes of the values of the interval being collected, if any.
    interval: Option<(u64, u64)>,
    /// The extremes of the last intervals that had values: (snapshot seq, min, max).
    recent: Arc<VecDeque<(u64, u64, u64)>>,
    /// Every interval from this snapshot seq on that had values is in `recent`.
    recent_from: u64,
}

impl TimingState {
    fn new(template: &Histogram<u64>, cuts: usize) -> TimingState {
        TimingState {
            hist: Arc::new(template.clone()),
            count: 0,
            sum: 0,
            min: 0,
            max: 0,
            below: Arc::new(vec![0; cuts]),
            interval: None,
            recent: Arc::default(),
            recent_from: 0,
        }
    }

    /// One value, exactly as emitted.
    fn add_exact(&mut self, ns: u64, cuts: &Cuts) {
        record_timing(self, ns, 1);
        self.sum = self.sum.saturating_add(ns);
        self.min = if self.count == 1 {
            ns
        } else {
            self.min.min(ns)
        };
        self.max = self.max.max(ns);
        self.note_interval(ns, ns);
        let i = index_of(ns);
        if cuts.in_bucket(i) {
            let below = Arc::make_mut(&mut self.below);
            cuts.below(ns, i, |k| {
                if let Some(b) = below.get_mut(k) {
                    *b += 1;
                }
            });
        }
    }

    /// Widens this interval's extremes to take in `min..=max`.
    fn note_interval(&mut self, min: u64, max: u64) {
        self.interval = Some(match self.interval {
            Some((a, b)) => (a.min(min), b.max(max)),
            None => (min, max),
        });
    }

    /// New values below each cut, read from a cell.
    fn add_below(&mut self, below: &[AtomicU32], seen: &mut Vec<u32>) {
        if below.is_empty() {
            return;
        }
        if seen.len() < below.len() {
            seen.resize(below.len(), 0);
        }
        let acc = Arc::make_mut(&mut self.below);
        if acc.len() < below.len() {
            acc.resize(below.len(), 0);
        }
        for ((b, s), a) in below.iter().zip(seen.iter_mut()).zip(acc.iter_mut()) {
            // Relaxed: ordered after the Acquire load of the cell's count.
            let now = b.load(Ordering::Relaxed);
            *a += u64::from(now.wrapping_sub(*s));
            *s = now;
        }
    }

    /// Ends the interval that snapshot `seq` publishes.
    fn close_interval(&mut self, seq: u64) {
        if let Some((min, max)) = self.interval.take() {
            let recent = Arc::make_mut(&mut self.recent);
            if recent.len() >= RECENT_INTERVALS {
                if let Some((gone, _, _)) = recent.pop_front() {
                    self.recent_from = gone + 1;
                }
            }
            recent.push_back((seq, min, max));
        }
    }
}

enum State {
    /// Whole increments (saturating) and fractional ones, kept apart so that whole
    /// counts stay exact to `u64::MAX`.
    Counter {
        int: u64,
        frac: f64,
    },
    Gauge(f64),
    Timing(TimingState),
}

struct SeriesState {
    key: SeriesKey,
    start: SystemTime,
    updated: SystemTime,
    state: State,
    /// The latest exemplar any thread kept for the series.
    exemplar: Option<Exemplar>,
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
    /// Whole increments that hit a counter's `u64::MAX`.
    pub(crate) counter_overflow: u64,
    /// key_truncated, empty_key, value_truncated, too_many, pii_replaced, pii_dropped
    pub(crate) sanitized: [u64; SANITIZE_N],
}

const SANITIZE_N: usize = 6;
/// Positions of the PII reasons in [`SANITIZE_REASONS`].
const PII_REPLACED: usize = 4;
const PII_DROPPED: usize = 5;
pub(crate) const SANITIZE_REASONS: [&str; SANITIZE_N] = [
    "key_truncated",
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
    /// Added to every series whose own tags lack the key.
    global: Arc<[Tag]>,
    /// The cuts and collection epoch the timing cells share.
    timing: Arc<TimingShared>,
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
            per_name: HashMap::new(),
            global_overflow: HashMap::new(),
            interned: Vec::new(),
            counts: AggCounts::default(),
            user_series: 0,
            scrubber,
            global: Arc::from(Vec::new()),
            timing: Arc::default(),
        })
    }

    /// The cuts and collection epoch the timing cells share.
    pub(crate) fn set_timing(&mut self, timing: Arc<TimingShared>) {
        self.timing = timing;
    }

    /// Starts a collection: values recorded from now on belong to the next interval.
    /// Returns the epoch that closes (see `LocalCell::collect`).
    pub(crate) fn start_collection(&self) -> u64 {
        self.timing.epoch.fetch_add(1, Ordering::AcqRel)
    }

    /// Tags added to every series that does not set the key itself.
    pub(crate) fn set_global_tags(&mut self, tags: Arc<[Tag]>) {
        self.global = tags;
    }

    pub(crate) fn series_count(&self) -> usize {
        self.series.len()
    }

    /// Applies one queued emission at time `now`. Returns why it was dropped, if it
    /// was.
    pub(crate) fn apply(&mut self, e: &Emission, now: SystemTime) -> Result<(), DropReason> {
        if !e.sample.is_valid() {
            self.counts.invalid_value += 1;
            return Err(DropReason::InvalidValue);
        }
        let r = self.resolve_slow(e.sample.kind(), &e.name, &e.tags, e.outcome)?;
        self.count_resolved(&r, 1);
        if let Some(s) = self.series.get_mut(r.idx) {
            s.updated = now;
            match (&mut s.state, e.sample) {
                (State::Counter { int, .. }, Sample::Count(v)) => {
                    add_int(int, v, &mut self.counts.counter_overflow, 1);
                }
                (State::Counter { frac, .. }, Sample::Add(v)) => *frac += v,
                (State::Gauge(g), Sample::Gauge(v)) => *g = v,
                (State::Timing(t), Sample::Nanos(ns)) => t.add_exact(ns, &self.timing.cuts),
                _ => {}
            }
        }
        Ok(())
    }

    fn count_resolved(&mut self, r: &Resolved, n: u64) {
        self.counts.emitted += n;
        if r.overflow {
            self.counts.overflow += n;
        }
        for (c, k) in self.counts.sanitized.iter_mut().zip(r.sanitized) {
            *c += u64::from(k) * n;
        }
    }

    /// Applies what a thread's cell recorded since the last collection.
    pub(crate) fn apply_cell(&mut self, cell: &LocalCell, epoch: u64, now: SystemTime) {
        let mut exemplar = cell.take_exemplar();
        cell.collect(epoch, |ident, resolved, n, delta| {
            let r = match resolved {
                Some(r) => *r,
                None => {
                    let tags = TagsRepr::with_bound(&ident.bound, ident.tags.clone());
                    match self.resolve_slow(ident.kind, &ident.name, &tags, ident.outcome) {
                        Ok(r) => {
                            *resolved = Some(r);
                            r
                        }
                        Err(_) => {
                            // Counted one; the rest of the delta shares its fate.
                            self.counts.invalid_name += n.saturating_sub(1);
                            return;
                        }
                    }
                }
            };
            self.count_resolved(&r, n);
            let Some(s) = self.series.get_mut(r.idx) else {
                return;
            };
            s.updated = now;
            if let Some(e) = exemplar.take() {
                s.exemplar = Some(e);
            }
            match (&mut s.state, delta) {
                (
                    State::Counter { int, frac },
                    Delta::Counter {
                        int: di,
                        frac: df,
                        saturated,
                    },
                ) => {
                    self.counts.counter_overflow += saturated;
                    add_int(int, di, &mut self.counts.counter_overflow, 0);
                    *frac += df;
                }
                (State::Gauge(g), Delta::Gauge(v)) => *g = v,
                (
                    State::Timing(t),
                    Delta::Timing {
                        hist,
                        seen,
                        sum_ns,
                        interval,
                        below,
                        below_seen,
                    },
                ) => {
                    let mut added = 0u64;
                    let (mut lo, mut hi) = (u64::MAX, 0);
                    hist.collect(seen, |v, k| {
                        record_timing(t, v, k);
                        added += k;
                        (lo, hi) = (lo.min(v), hi.max(v));
                    });
                    if added > 0 {
                        // The cell's extremes of the interval where they lie in the
                        // lowest and highest buckets read now; else (a value raced the
                        // collection) those buckets' edges.
                        let (lo_top, hi_top) = (highest_of(lo), highest_of(hi));
                        let (a, b) = match interval {
                            Some((a, b))
                                if (lo..=lo_top).contains(&a) && (hi..=hi_top).contains(&b) =>
                            {
                                (a, b)
                            }
                            _ => (lo, hi_top),
                        };
                        t.min = if t.count == added { a } else { t.min.min(a) };
                        t.max = t.max.max(b);
                        t.note_interval(a, b);
                    }
                    t.sum = t.sum.saturating_add(sum_ns);
                    t.add_below(below, below_seen);
                }
                _ => {}
            }
        });
    }

    pub(crate) fn resolve_slow(
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
            TagsRepr::Owned(o) => list.extend(o.iter().cloned()),
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
        let own = list.len();
        for g in self.global.iter() {
            if !list.iter().take(own).any(|t| t.key == g.key) {
                list.push(g.clone());
            }
        }
        let mut sanitized = [0u8; SANITIZE_N];
        if let Some(s) = &self.scrubber {
            // Before canonicalising, so that truncation cannot cut a match in half.
            scrub_tags(s, &mut list, &mut sanitized);
        }
        let list = canonicalize(
            list,
            self.limits.max_tags,
            self.limits.max_tag_key_len,
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
            Kind::Counter => State::Counter { int: 0, frac: 0.0 },
            Kind::Gauge => State::Gauge(0.0),
            Kind::Timing => State::Timing(TimingState::new(&self.template, self.timing.cuts.len())),
        };
        let idx = self.series.len();
        self.by_key.insert(key.clone(), idx);
        self.series.push(SeriesState {
            key,
            start: now,
            updated: now,
            state,
            exemplar: None,
            counters: Vec::new(),
            gauges: Vec::new(),
        });
        idx
    }

    /// Sets a series of the pipeline's own (no caps): a counter to `value` as its
    /// total, a gauge to `value`, a timing gets `value` (ms) recorded.
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
        let own = tags.len();
        for g in self.global.iter() {
            if !tags.iter().take(own).any(|t| t.key == g.key) {
                tags.push(g.clone());
            }
        }
        tags.sort_by(|a, b| a.key.cmp(&b.key));
        let idx = self.insert_series(SeriesKey {
            kind,
            name: Arc::from(name),
            tags: tags.into(),
        });
        if let Some(s) = self.series.get_mut(idx) {
            match &mut s.state {
                State::Counter { int, frac } => {
                    if *int as f64 + *frac != value {
                        (*int, *frac) = (0, value);
                        s.updated = now;
                    }
                }
                State::Gauge(g) => {
                    *g = value;
                    s.updated = now;
                }
                State::Timing(t) => {
                    if let Some(Sample::Nanos(ns)) = Sample::from_ms(value) {
                        t.add_exact(ns, &self.timing.cuts);
                        s.updated = now;
                    }
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
                // Its cells live on the recording threads; the series now exists.
                CellRef::Timing(..) => {}
            }
        }
        true
    }

    /// Reads every handle cell into its series.
    pub(crate) fn fold_handles(&mut self, now: SystemTime) {
        let counts = &mut self.counts;
        for s in &mut self.series {
            for g in &s.gauges {
                let (v, n) = g.take();
                counts.emitted += n;
                if let Some(v) = v {
                    s.state = State::Gauge(v);
                    s.updated = now;
                }
            }
            for c in &s.counters {
                let d = c.collect();
                if d.n == 0 {
                    continue;
                }
                counts.emitted += d.n;
                s.updated = now;
                if let State::Counter { int, .. } = &mut s.state {
                    if d.overflowed {
                        *int = u64::MAX;
                        counts.counter_overflow += 1;
                    } else {
                        add_int(int, d.sum, &mut counts.counter_overflow, 1);
                    }
                }
            }
        }
    }

    /// Publishes the cumulative state.
    pub(crate) fn snapshot(&mut self, seq: u64, now: SystemTime) -> Snapshot {
        for s in &mut self.series {
            if let State::Timing(t) = &mut s.state {
                t.close_interval(seq);
            }
        }
        let mut out = Vec::with_capacity(self.series.len());
        for (id, s) in self.series.iter().enumerate() {
            let value = match &s.state {
                State::Counter { int, frac } => Value::Counter(*int as f64 + *frac),
                State::Gauge(v) => Value::Gauge(*v),
                State::Timing(t) => Value::Timing(Distribution {
                    hist: Arc::clone(&t.hist),
                    count: t.count,
                    sum: t.sum as f64 / 1e6,
                    min: t.min as f64 / 1e6,
                    max: t.max as f64 / 1e6,
                    exact: Exact {
                        seq,
                        min_ns: t.min,
                        max_ns: t.max,
                        timing: Some(Arc::clone(&self.timing)),
                        below: Arc::clone(&t.below),
                        recent: Arc::clone(&t.recent),
                        recent_from: t.recent_from,
                    },
                }),
            };
            out.push(Series {
                id,
                name: Arc::clone(&s.key.name),
                tags: Arc::clone(&s.key.tags),
                start: s.start,
                updated: s.updated,
                value,
                exemplar: s.exemplar,
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
                bump(PII_REPLACED);
                true
            }
            None => {
                bump(PII_DROPPED);
                false
            }
        }
    });
}

/// Adds whole increments to a counter total, saturating at `u64::MAX`; `per_hit`
/// overflows are counted when it saturates (the increments that did not fit).
fn add_int(total: &mut u64, v: u64, overflow: &mut u64, per_hit: u64) {
    match total.checked_add(v) {
        Some(t) => *total = t,
        None => {
            *total = u64::MAX;
            *overflow += per_hit.max(1);
        }
    }
}

/// Records `n` values of `ns` nanoseconds into a timing's histogram and count (sum,
/// min and max are the caller's).
fn record_timing(t: &mut TimingState, ns: u64, n: u64) {
    let v = ns.min(MAX_TIMING_NS);
    let h = Arc::make_mut(&mut t.hist);
    // `record_n` grows the (auto-resizing) histogram; it cannot fail below
    // MAX_TIMING_NS, but clamping is the safe answer if it ever did.
    if h.record_n(v, n).is_err() {
        h.saturating_record_n(v, n);
    }
    t.count += n;
}

// The positions above name the right reasons.
const _: () = assert!(SANITIZE_REASONS[PII_REPLACED].len() == "pii_replaced".len());
const _: () = assert!(SANITIZE_REASONS[PII_DROPPED].len() == "pii_dropped".len());

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
            max_tag_key_len: 8,
            max_tag_value_len: 8,
            sigfig: 2,
        }
    }

    fn em(name: &'static str, kind: Kind, value: f64, tags: TagsRepr) -> Emission {
        let sample = match kind {
            Kind::Counter if value.fract() == 0.0 && value >= 0.0 => Sample::Count(value as u64),
            Kind::Counter => Sample::Add(value),
            Kind::Gauge => Sample::Gauge(value),
            Kind::Timing => Sample::from_ms(value).unwrap_or(Sample::Add(-1.0)),
        };
        Emission {
            name: Cow::Borrowed(name),
            tags,
            sample,
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
        let want = 5.0 + 1.5 + 5.0 + 250.0 + 1e12;
        assert!((d.sum - want).abs() <= want * 1e-15, "{}", d.sum);
        assert_eq!(d.min, 1.5);
        assert_eq!(d.max, 1e12);
        assert!((d.quantile(0.5) - 5.0).abs() <= 0.05, "{}", d.quantile(0.5));
        assert_eq!(d.count_le(10.0), 3);
        assert_eq!(d.count_le(1e13), 5);
    }

    #[test]
    fn whole_counts_are_exact_to_u64_and_saturate_counted() {
        let mut a = Aggregator::new(limits(), None).unwrap();
        let now = SystemTime::now();
        let c = |v| Emission {
            name: Cow::Borrowed("c"),
            tags: TagsRepr::None,
            sample: Sample::Count(v),
            outcome: None,
        };
        a.apply(&c(u64::MAX / 2), now).unwrap();
        a.apply(&c(u64::MAX / 2), now).unwrap();
        a.apply(&c(1), now).unwrap();
        assert_eq!(a.counts.counter_overflow, 0);
        match &a.series[0].state {
            State::Counter { int, .. } => assert_eq!(*int, u64::MAX),
            _ => panic!("not a counter"),
        }
        a.apply(&c(1), now).unwrap();
        assert_eq!(a.counts.counter_overflow, 1);
        assert_eq!(a.counts.emitted, 4);
    }

    #[test]
    fn tag_orders_of_the_same_series_meet() {
        let mut a = Aggregator::new(limits(), None).unwrap();
        let now = SystemTime::now();
        let s = || TagsRepr::Owned(vec![Tag::new("b", "2"), Tag::new("a", "1")].into());
        a.apply(&em("m", Kind::Counter, 1.0, s()), now).unwrap();
        a.apply(&em("m", Kind::Counter, 1.0, s()), now).unwrap();
        let owned = TagsRepr::Owned(vec![Tag::new("a", "1"), Tag::new("b", "2")].into());
        a.apply(&em("m", Kind::Counter, 1.0, owned), now).unwrap();
        let snap = a.snapshot(1, now);
        assert_eq!(snap.series.len(), 1);
        assert_eq!(snap.counter("m", &[("a", "1"), ("b", "2")]), Some(3.0));
    }
}
