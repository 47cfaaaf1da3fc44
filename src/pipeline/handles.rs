//! Cells behind pre-registered [`Counter`](crate::Counter) and
//! [`Gauge`](crate::Gauge) handles: the flusher reads them at every flush, the
//! handle writes them with one atomic operation and no queue at all.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use crossbeam_utils::CachePadded;

use crate::snapshot::Kind;
use crate::tags::{Str, TagsRepr};

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

/// A striped counter (a "LongAdder").
#[derive(Debug, Default)]
pub(crate) struct CounterCell {
    stripes: [CachePadded<AtomicU64>; STRIPES],
}

impl CounterCell {
    #[inline]
    pub(crate) fn add(&self, v: u64) {
        // Relaxed: the flusher only needs every increment to become visible
        // eventually; totals are read at flush time, and `flush()` synchronises
        // through the control channel.
        if let Some(s) = self.stripes.get(stripe()) {
            s.fetch_add(v, Ordering::Relaxed);
        }
    }

    pub(crate) fn sum(&self) -> u64 {
        self.stripes
            .iter()
            .fold(0u64, |acc, s| acc.wrapping_add(s.load(Ordering::Relaxed)))
    }
}

/// A gauge cell: the bits of the last value set, or `UNSET` when nothing was set
/// since the flusher last looked.
#[derive(Debug)]
pub(crate) struct GaugeCell {
    bits: AtomicU64,
}

/// A NaN payload no finite `f64` can have; `set` rejects NaN, so it is free.
const UNSET: u64 = 0x7ff8_dead_beef_0001;

impl Default for GaugeCell {
    fn default() -> Self {
        GaugeCell {
            bits: AtomicU64::new(UNSET),
        }
    }
}

impl GaugeCell {
    #[inline]
    pub(crate) fn set(&self, v: f64) {
        // Relaxed: last-writer-wins is the whole contract of a gauge.
        self.bits.store(v.to_bits(), Ordering::Relaxed);
    }

    /// The value set since the last call, if any.
    pub(crate) fn take(&self) -> Option<f64> {
        let b = self.bits.swap(UNSET, Ordering::Relaxed);
        (b != UNSET).then(|| f64::from_bits(b))
    }
}

/// A cell to attach to a series.
#[derive(Debug, Clone)]
pub(crate) enum CellRef {
    Counter(Arc<CounterCell>),
    Gauge(Arc<GaugeCell>),
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
        }
    }
}
