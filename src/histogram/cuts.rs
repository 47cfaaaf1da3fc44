//! Timing values at which exported counts are exact: the bounds of the sinks' buckets
//! and the SLOs' latency thresholds.
//!
//! The histograms keep values to two significant digits (see the parent module), so a bucket
//! bound that falls inside one of their buckets cannot be answered from the bucket
//! counts alone: `le="0.25"` would count a 250.5 ms value. Each such *cut* gets a
//! counter of its own in every timing cell: how many of the values that fell in the
//! cut's histogram bucket were below it. With the counts of the buckets wholly below,
//! that is the exact number of values below the cut. A cut on a bucket's lower edge
//! needs no counter.
//!
//! A cut `t` counts the values `v < t` (nanoseconds). Prometheus' `le` is `v <= b`,
//! i.e. a cut at `b + 1`; Google's explicit buckets are `lower <= v < upper`, cuts at
//! the bounds themselves (see [`TimingBound`]).

use std::ops::Range;
use std::time::Duration;

use super::{index_of, lowest_of, CHUNK, CHUNKS};

/// Buckets of the histogram layout, and the bit set over them.
const BUCKETS: usize = CHUNKS * CHUNK;
const BIT_WORDS: usize = BUCKETS.div_ceil(64);

/// Most cuts one pipeline keeps counters for. Every timing cell carries one counter
/// per cut that falls inside a bucket, so this bounds their memory (4 bytes each).
pub const MAX_TIMING_CUTS: usize = 512;

/// A timing value at which a sink or an SLO reads distributions, which the pipeline
/// then counts exactly (see [`Distribution::count_le`](crate::snapshot::Distribution::count_le)).
///
/// Sinks declare theirs through [`Sink::exact_timing_bounds`](crate::sinks::Sink::exact_timing_bounds);
/// others can be added with
/// [`ConfigBuilder::exact_timing_bounds`](crate::ConfigBuilder::exact_timing_bounds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TimingBound {
    /// Values at most this many milliseconds (Prometheus `le`).
    AtMostMs(f64),
    /// Values below this many milliseconds (Google's explicit bucket bounds).
    BelowMs(f64),
    /// Values at most this long (an SLO's latency threshold).
    AtMost(Duration),
}

impl TimingBound {
    /// The cut in nanoseconds: the count asked for is that of the values below it.
    /// None for a bound no value can be below (negative, NaN) or past `u64` ns.
    pub(crate) fn cut_ns(self) -> Option<u64> {
        match self {
            TimingBound::AtMostMs(ms) => {
                let ns = ms_to_ns(ms)?;
                Some(ns.floor() as u64).and_then(|n| n.checked_add(1))
            }
            TimingBound::BelowMs(ms) => Some(ms_to_ns(ms)?.ceil() as u64),
            TimingBound::AtMost(d) => u64::try_from(d.as_nanos()).ok()?.checked_add(1),
        }
    }
}

/// Milliseconds as nanoseconds, snapped to a whole number when within a millionth
/// of one (so that `0.3` ms is 300,000 ns although `0.3 * 1e6` is not exactly that).
fn ms_to_ns(ms: f64) -> Option<f64> {
    if !ms.is_finite() || ms < 0.0 {
        return None;
    }
    let ns = ms * 1e6;
    let whole = ns.round();
    let ns = if (ns - whole).abs() <= 1e-6 * whole.max(1.0) {
        whole
    } else {
        ns
    };
    (ns < u64::MAX as f64).then_some(ns)
}

/// What every timing cell of a pipeline shares: the cuts, and the collection epoch
/// that tells a cell when a new interval began (for its per-interval extremes).
#[derive(Debug, Default)]
pub(crate) struct TimingShared {
    pub(crate) cuts: Cuts,
    /// Collections started: values recorded while it reads `e` belong to the
    /// interval that collection `e` closes.
    pub(crate) epoch: std::sync::atomic::AtomicU64,
}

/// One pipeline's cuts.
#[derive(Debug, Default)]
pub(crate) struct Cuts {
    /// The cuts inside a bucket (not on its lower edge), sorted: each has a counter.
    inner: Box<[u64]>,
    /// Bit `i`: bucket `i` holds an inner cut.
    bits: Box<[u64]>,
}

impl Cuts {
    /// The cuts of `bounds`, keeping the [`MAX_TIMING_CUTS`] smallest; how many were
    /// left out.
    pub(crate) fn new(bounds: impl IntoIterator<Item = TimingBound>) -> (Cuts, usize) {
        let mut inner: Vec<u64> = bounds
            .into_iter()
            .filter_map(TimingBound::cut_ns)
            .filter(|&t| t > 0 && lowest_of(index_of(t)) != t)
            .collect();
        inner.sort_unstable();
        inner.dedup();
        let left_out = inner.len().saturating_sub(MAX_TIMING_CUTS);
        inner.truncate(MAX_TIMING_CUTS);
        let mut bits = vec![0u64; BIT_WORDS];
        for &t in &inner {
            let i = index_of(t);
            if let Some(w) = bits.get_mut(i / 64) {
                *w |= 1 << (i % 64);
            }
        }
        (
            Cuts {
                inner: inner.into(),
                bits: bits.into(),
            },
            left_out,
        )
    }

    /// How many cuts have counters.
    pub(crate) fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether bucket `i` holds a cut with a counter.
    #[inline(always)]
    pub(crate) fn in_bucket(&self, i: usize) -> bool {
        self.bits
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// The positions of the cuts inside bucket `i`.
    fn positions(&self, i: usize) -> Range<usize> {
        let lo = lowest_of(i);
        let from = self.inner.partition_point(|&t| t <= lo);
        let to = self.inner.partition_point(|&t| t < lowest_of(i + 1));
        from..to.max(from)
    }

    /// Calls `f(k)` for each cut `k` (a position) that `v`, a value in bucket `i`
    /// ([`index_of`]), is below.
    #[inline]
    pub(crate) fn below(&self, v: u64, i: usize, mut f: impl FnMut(usize)) {
        for k in self.positions(i) {
            if self.inner.get(k).is_some_and(|&t| v < t) {
                f(k);
            }
        }
    }

    /// The position of cut `t`, if it has a counter.
    pub(crate) fn position(&self, t: u64) -> Option<usize> {
        self.inner.binary_search(&t).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_become_cuts_of_the_values_below() {
        let cut = |b: TimingBound| b.cut_ns();
        assert_eq!(cut(TimingBound::AtMostMs(250.0)), Some(250_000_001));
        assert_eq!(cut(TimingBound::BelowMs(250.0)), Some(250_000_000));
        assert_eq!(cut(TimingBound::AtMostMs(0.3)), Some(300_001));
        assert_eq!(cut(TimingBound::BelowMs(0.3)), Some(300_000));
        assert_eq!(cut(TimingBound::AtMostMs(0.0000005)), Some(1)); // 0.5 ns: v <= 0
        assert_eq!(cut(TimingBound::BelowMs(0.0000005)), Some(1)); // v < 0.5: v = 0
        assert_eq!(
            cut(TimingBound::AtMost(Duration::from_millis(300))),
            Some(300_000_001)
        );
        assert_eq!(cut(TimingBound::AtMostMs(-1.0)), None);
        assert_eq!(cut(TimingBound::BelowMs(f64::NAN)), None);
        assert_eq!(cut(TimingBound::AtMostMs(f64::INFINITY)), None);
    }

    #[test]
    fn only_cuts_inside_a_bucket_get_counters() {
        // 256 is a bucket edge; 250,000,001 is not.
        let (c, left) = Cuts::new([
            TimingBound::BelowMs(0.000256),
            TimingBound::AtMostMs(250.0),
            TimingBound::AtMostMs(250.0),
        ]);
        assert_eq!(left, 0);
        assert_eq!(c.len(), 1);
        let i = index_of(250_000_001);
        assert!(c.in_bucket(i));
        assert!(!c.in_bucket(i - 1));
        let mut hit = Vec::new();
        c.below(250_000_000, i, |k| hit.push(k));
        assert_eq!(hit, vec![0]);
        hit.clear();
        c.below(250_000_001, i, |k| hit.push(k));
        assert!(hit.is_empty());
    }

    #[test]
    fn cuts_are_capped() {
        let (c, left) = Cuts::new((1..=600).map(|i| TimingBound::AtMostMs(f64::from(i) + 0.5)));
        assert_eq!(c.len(), MAX_TIMING_CUTS);
        assert_eq!(left, 600 - MAX_TIMING_CUTS);
    }
}
