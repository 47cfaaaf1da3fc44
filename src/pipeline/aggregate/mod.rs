//! The aggregator: cumulative state per series, owned by the flusher thread.
//!
//! Most values arrive as differences read from the emitting threads' cells (see
//! `cell.rs`); each cell resolves its series once (tags scrubbed, canonicalised,
//! capped) and remembers it. Queued emissions (the rare path) are resolved one by one.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::SystemTime;

use hdrhistogram::Histogram;

use super::cell::{Delta, LocalCell};
use super::handles::{CellRef, CounterCell, GaugeCell, Registration};
use super::{DropReason, Emission, Sample};
use crate::histogram::cuts::TimingShared;
use crate::histogram::highest_of;
use crate::pii::Scrubber;
use crate::snapshot::{Distribution, Exact, Exemplar, Kind, Series, Snapshot, Value};
use crate::tags::{canonicalize, Tag, TagsRepr};

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

// The positions above name the right reasons.
const _: () = assert!(SANITIZE_REASONS[PII_REPLACED].len() == "pii_replaced".len());
const _: () = assert!(SANITIZE_REASONS[PII_DROPPED].len() == "pii_dropped".len());

mod series;
mod timing;

use timing::{record_timing, TimingState};

#[cfg(test)]
mod tests;
