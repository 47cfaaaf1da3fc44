//! One timing series on the flusher: its histogram, exact count, sum and extremes, the
//! values below each exact cut, and the extremes of its recent intervals.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use hdrhistogram::Histogram;

use crate::histogram::cuts::Cuts;
use crate::histogram::index_of;

/// Largest timing recorded exactly in the histogram: 24 h in ns. Larger values are
/// clamped there in the histogram (count, sum and max stay exact).
const MAX_TIMING_NS: u64 = 86_400_000_000_000;

/// Intervals whose extremes a timing series keeps, for delta sinks that skipped a few
/// snapshots (after an outage, say) and still want exact extremes.
const RECENT_INTERVALS: usize = 32;

/// A timing series, in nanoseconds.
pub(super) struct TimingState {
    pub(super) hist: Arc<Histogram<u64>>,
    pub(super) count: u64,
    pub(super) sum: u64,
    pub(super) min: u64,
    pub(super) max: u64,
    /// Values below each of the pipeline's cuts that has a counter (see `cuts`).
    pub(super) below: Arc<Vec<u64>>,
    /// The extremes of the values of the interval being collected, if any.
    pub(super) interval: Option<(u64, u64)>,
    /// The extremes of the last intervals that had values: (snapshot seq, min, max).
    pub(super) recent: Arc<VecDeque<(u64, u64, u64)>>,
    /// Every interval from this snapshot seq on that had values is in `recent`.
    pub(super) recent_from: u64,
}

impl TimingState {
    pub(super) fn new(template: &Histogram<u64>, cuts: usize) -> TimingState {
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
    pub(super) fn add_exact(&mut self, ns: u64, cuts: &Cuts) {
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
    pub(super) fn note_interval(&mut self, min: u64, max: u64) {
        self.interval = Some(match self.interval {
            Some((a, b)) => (a.min(min), b.max(max)),
            None => (min, max),
        });
    }

    /// New values below each cut, read from a cell.
    pub(super) fn add_below(&mut self, below: &[AtomicU32], seen: &mut Vec<u32>) {
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
    pub(super) fn close_interval(&mut self, seq: u64) {
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

/// Records `n` values of `ns` nanoseconds into a timing's histogram and count (sum,
/// min and max are the caller's).
pub(super) fn record_timing(t: &mut TimingState, ns: u64, n: u64) {
    let v = ns.min(MAX_TIMING_NS);
    let h = Arc::make_mut(&mut t.hist);
    // `record_n` grows the (auto-resizing) histogram; it cannot fail below
    // MAX_TIMING_NS, but clamping is the safe answer if it ever did.
    if h.record_n(v, n).is_err() {
        h.saturating_record_n(v, n);
    }
    t.count += n;
}
