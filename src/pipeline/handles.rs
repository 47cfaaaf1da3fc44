//! Cells behind pre-registered [`Counter`](crate::Counter) and
//! [`Gauge`](crate::Gauge) handles: the flusher reads them at every flush, the
//! handle writes them with atomic operations and no queue at all.
//!
//! Handles are deduplicated by identity (asking twice for the same series shares one
//! cell) and capped at `max_series` distinct ones, so that creating handles in a loop
//! cannot grow memory without bound; a handle made past the cap drops its operations
//! and counts them (`Stats::dropped_handle_limit`).

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use crossbeam_utils::CachePadded;
use parking_lot::Mutex;

use super::cell::Ident;
use crate::snapshot::Kind;
use crate::tags::{Str, Tag, TagsRepr};

/// Stripes per counter cell. Threads pick a stripe round-robin on first use, so up
/// to this many threads add to one counter without sharing a cache line.
pub(crate) const STRIPES: usize = 8;

static NEXT_STRIPE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static STRIPE: Cell<usize> = const { Cell::new(usize::MAX) };
}

#[inline]
fn stripe() -> usize {
    STRIPE
        .try_with(|s| {
            let v = s.get();
            if v != usize::MAX {
                return v;
            }
            // Relaxed: only spreads threads over stripes; any value is correct.
            let v = NEXT_STRIPE.fetch_add(1, Ordering::Relaxed) % STRIPES;
            s.set(v);
            v
        })
        .unwrap_or(0)
}

#[derive(Debug, Default)]
struct Stripe {
    /// Increments of exactly 1 (`incr`, the common case): one atomic add, which is
    /// both the count of increments and their sum. Never wraps in practice (2^64 adds).
    ones: AtomicU64,
    /// Sum of the other increments, wrapping.
    sum: AtomicU64,
    /// Other increments made.
    n: AtomicU64,
    /// Times `sum` wrapped past `u64::MAX`.
    wraps: AtomicU64,
}

/// A striped counter (a "LongAdder") that also counts its increments.
#[derive(Debug, Default)]
pub(crate) struct CounterCell {
    stripes: [CachePadded<Stripe>; STRIPES],
    /// Flusher-only: per stripe, the (sum, n, wraps, ones) already collected.
    seen: Mutex<[(u64, u64, u64, u64); STRIPES]>,
}

/// What a counter handle added since the flusher last looked.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CounterDelta {
    /// The increase, saturated at `u64::MAX`.
    pub(crate) sum: u64,
    /// Increments made.
    pub(crate) n: u64,
    /// Whether the true increase did not fit a `u64`.
    pub(crate) overflowed: bool,
}

impl CounterCell {
    #[inline]
    pub(crate) fn add(&self, v: u64) {
        // Relaxed: the flusher only needs every increment to become visible
        // eventually; totals are read at flush time, and `flush()` synchronises
        // through the control channel.
        if let Some(s) = self.stripes.get(stripe()) {
            if v == 1 {
                s.ones.fetch_add(1, Ordering::Relaxed);
                return;
            }
            let prev = s.sum.fetch_add(v, Ordering::Relaxed);
            if prev.checked_add(v).is_none() {
                s.wraps.fetch_add(1, Ordering::Relaxed);
            }
            s.n.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The flusher's collection since it last called this.
    pub(crate) fn collect(&self) -> CounterDelta {
        let mut seen = self.seen.lock();
        let mut out = CounterDelta::default();
        for (s, seen) in self.stripes.iter().zip(seen.iter_mut()) {
            // Relaxed: see `add`.
            let (n, wraps) = (s.n.load(Ordering::Relaxed), s.wraps.load(Ordering::Relaxed));
            let sum = s.sum.load(Ordering::Relaxed);
            let ones = s.ones.load(Ordering::Relaxed);
            let d_ones = ones.wrapping_sub(seen.3);
            let d = sum.wrapping_sub(seen.0);
            // The true increase is `wraps_since × 2^64 + sum − seen_sum`: exact in `d`
            // when the stripe did not wrap, or wrapped once and ended below where it
            // was; past that it does not fit a u64. (A wrap whose count is not yet
            // visible here is still exact in `d`; at worst the next look reports a
            // saturation that did not happen, on a counter already at 2^64.)
            let dw = wraps.wrapping_sub(seen.2);
            out.overflowed |= dw > 1 || (dw == 1 && sum >= seen.0);
            match out.sum.checked_add(d).and_then(|t| t.checked_add(d_ones)) {
                Some(t) => out.sum = t,
                None => out.overflowed = true,
            }
            out.n = out
                .n
                .wrapping_add(n.wrapping_sub(seen.1))
                .wrapping_add(d_ones);
            *seen = (sum, n, wraps, ones);
        }
        if out.overflowed {
            out.sum = u64::MAX;
        }
        out
    }
}

/// A gauge cell: the bits of the last value set, or `UNSET` when nothing was set
/// since the flusher last looked, and how many sets there were.
#[derive(Debug)]
pub(crate) struct GaugeCell {
    bits: AtomicU64,
    n: CachePadded<AtomicU64>,
    seen_n: AtomicU64,
}

/// A NaN payload no finite `f64` can have; `set` rejects NaN, so it is free.
const UNSET: u64 = 0x7ff8_dead_beef_0001;

impl Default for GaugeCell {
    fn default() -> Self {
        GaugeCell {
            bits: AtomicU64::new(UNSET),
            n: CachePadded::new(AtomicU64::new(0)),
            seen_n: AtomicU64::new(0),
        }
    }
}

impl GaugeCell {
    #[inline]
    pub(crate) fn set(&self, v: f64) {
        // Relaxed: last-writer-wins is the whole contract of a gauge.
        self.bits.store(v.to_bits(), Ordering::Relaxed);
        self.n.fetch_add(1, Ordering::Relaxed);
    }

    /// The value set since the last call, if any, and how many sets there were.
    pub(crate) fn take(&self) -> (Option<f64>, u64) {
        // Relaxed: statistics and a last-value register.
        let n = self.n.load(Ordering::Relaxed);
        let dn = n.wrapping_sub(self.seen_n.swap(n, Ordering::Relaxed));
        let b = self.bits.swap(UNSET, Ordering::Relaxed);
        ((b != UNSET).then(|| f64::from_bits(b)), dn)
    }
}

/// A cell to attach to a series.
#[derive(Debug, Clone)]
pub(crate) enum CellRef {
    Counter(Arc<CounterCell>),
    Gauge(Arc<GaugeCell>),
    /// A timing handle: its identity and series hash (its cells live per thread).
    Timing(Arc<Ident>, u64),
}

/// A handle registration, picked up by the flusher at the next flush.
#[derive(Debug)]
pub(crate) struct Registration {
    pub(crate) name: Str,
    pub(crate) tags: TagsRepr,
    pub(crate) cell: CellRef,
}

impl Registration {
    pub(crate) fn kind(&self) -> Kind {
        match self.cell {
            CellRef::Counter(_) => Kind::Counter,
            CellRef::Gauge(_) => Kind::Gauge,
            CellRef::Timing(..) => Kind::Timing,
        }
    }
}

/// Identity of a handle: kind, name, the call's tags in order, and the bound tags.
type HandleKey = (Kind, Str, Box<[Tag]>, u64);

/// Every distinct handle of a pipeline, up to a cap.
#[derive(Debug)]
pub(crate) struct HandleIndex {
    cap: usize,
    cells: HashMap<HandleKey, CellRef>,
}

impl HandleIndex {
    pub(crate) fn new(cap: usize) -> Self {
        HandleIndex {
            cap,
            cells: HashMap::new(),
        }
    }

    /// The cell of an existing handle with this identity, or a new one from `make`
    /// (with `true`: register it); None past the cap.
    pub(crate) fn get_or_insert(
        &mut self,
        key: HandleKey,
        make: impl FnOnce() -> CellRef,
    ) -> Option<(CellRef, bool)> {
        if let Some(c) = self.cells.get(&key) {
            return Some((c.clone(), false));
        }
        if self.cells.len() >= self.cap {
            return None;
        }
        let c = make();
        self.cells.insert(key, c.clone());
        Some((c, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_deltas_are_exact_and_overflow_saturates() {
        let c = CounterCell::default();
        c.add(u64::MAX / 2);
        c.add(u64::MAX / 2);
        c.add(1);
        let d = c.collect();
        assert_eq!(
            d,
            CounterDelta {
                sum: u64::MAX,
                n: 3,
                overflowed: false
            }
        );
        c.add(5);
        let d = c.collect();
        assert_eq!((d.sum, d.n), (5, 1));
        c.add(u64::MAX);
        c.add(2);
        let d = c.collect();
        assert!(d.overflowed);
        assert_eq!((d.sum, d.n), (u64::MAX, 2));
    }

    #[test]
    fn gauge_take_reports_sets() {
        let g = GaugeCell::default();
        assert_eq!(g.take(), (None, 0));
        g.set(1.0);
        g.set(-2.0);
        assert_eq!(g.take(), (Some(-2.0), 2));
        assert_eq!(g.take(), (None, 0));
    }
}
