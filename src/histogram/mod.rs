//! The timing histograms' bucket layout, below both the pipeline (which records into
//! it) and snapshots (which read it), and the exact cuts at bucket bounds ([`cuts`]).
//!
//! A timing histogram written by one thread with plain loads and stores, read by the
//! flusher: the per-thread half of a timing series.
//!
//! Values are nanoseconds. The bucket layout is the HDR layout of a histogram with two
//! significant digits (256 sub-buckets per power of two, the lower half used only in the
//! first bucket), so every bucket maps exactly onto one bucket of the flusher's
//! `hdrhistogram` at the default precision: moving counts across loses nothing.
//! Values below 256 ns are kept exactly; above, each bucket is at most 1/128 wide
//! relative to its lower edge.
//!
//! The buckets come in chunks of 128 (one power of two, 512 bytes), so a series costs
//! what its range needs: a cell starts with the chunks three powers of two either side
//! of its first value, and the flusher adds headroom (two powers of two below the
//! smallest value seen, four above the largest) at every collection. A value outside
//! all of that — 16 times slower than anything the thread has recorded on the series
//! before the last flush, say — allocates its chunk on the emitting thread, once.

pub(crate) mod cuts;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// log2 of half the sub-bucket count.
const HALF_BITS: u32 = 7;
/// Counters per chunk: one power of two above the first.
pub(crate) const CHUNK: usize = 1 << HALF_BITS;
/// Chunks covering every `u64`: indices below 58 × 128.
pub(crate) const CHUNKS: usize = 58;

type Chunk = Box<[AtomicU32; CHUNK]>;

/// The bucket index of `v` (HDR `counts_index` with unit magnitude 0).
#[inline]
pub(crate) fn index_of(v: u64) -> usize {
    // Bucket: the power of two above the 256 exact values; sub-bucket: the top 8 bits.
    let bucket = 64 - (v | 0xff).leading_zeros() - (HALF_BITS + 1);
    let sub = v >> bucket;
    (((u64::from(bucket) + 1) << HALF_BITS) + sub - (1 << HALF_BITS)) as usize
}

/// The lowest value that falls in bucket `i`.
#[inline]
pub(crate) fn lowest_of(i: usize) -> u64 {
    let chunk = i >> HALF_BITS;
    if chunk <= 1 {
        return i as u64;
    }
    let offset = (i & (CHUNK - 1)) as u64;
    (offset + (1 << HALF_BITS)) << (chunk - 1)
}

/// The highest value in the bucket of `v`.
#[inline]
pub(crate) fn highest_of(v: u64) -> u64 {
    lowest_of(index_of(v) + 1).saturating_sub(1).max(v)
}

/// The buckets of one thread's timing series.
#[derive(Debug)]
pub(crate) struct LocalHist {
    chunks: [OnceLock<Chunk>; CHUNKS],
}

impl Default for LocalHist {
    fn default() -> Self {
        LocalHist {
            chunks: std::array::from_fn(|_| OnceLock::new()),
        }
    }
}

fn new_chunk() -> Chunk {
    Box::new(std::array::from_fn(|_| AtomicU32::new(0)))
}

impl LocalHist {
    /// A histogram with chunks ready around `first`.
    pub(crate) fn around(first: u64) -> LocalHist {
        let h = LocalHist::default();
        let c = index_of(first) >> HALF_BITS;
        h.ensure(c.saturating_sub(3), c + 3);
        h
    }

    /// Makes sure chunks `from..=to` exist (either thread may call it).
    fn ensure(&self, from: usize, to: usize) {
        for chunk in self.chunks.iter().take(to + 1).skip(from) {
            chunk.get_or_init(new_chunk);
        }
    }

    /// Adds one value and returns its bucket. Only the owning thread calls this.
    #[inline]
    pub(crate) fn record(&self, v: u64) -> usize {
        let i = index_of(v);
        if let Some(chunk) = self.chunks.get(i >> HALF_BITS) {
            let c = chunk.get_or_init(new_chunk);
            if let Some(b) = c.get(i & (CHUNK - 1)) {
                // Relaxed: one writer; the flusher synchronises on the cell's count.
                // Wrapping: the flusher takes differences, so a bucket may wrap as long
                // as it gets fewer than 2^32 values between two flushes.
                b.store(b.load(Ordering::Relaxed).wrapping_add(1), Ordering::Relaxed);
            }
        }
        i
    }

    /// The flusher's side: calls `f(lowest value, new count)` for every bucket that
    /// grew since `seen` was last updated, and updates `seen`.
    pub(crate) fn collect(&self, seen: &mut Seen, mut f: impl FnMut(u64, u64)) {
        let (mut lo, mut hi) = (usize::MAX, 0);
        for (ci, chunk) in self.chunks.iter().enumerate() {
            let Some(chunk) = chunk.get() else { continue };
            let Some(seen_chunk) = seen.chunk(ci) else {
                continue;
            };
            for (o, (b, s)) in chunk.iter().zip(seen_chunk.iter_mut()).enumerate() {
                // Relaxed: ordered after the Acquire load of the cell's count.
                let now = b.load(Ordering::Relaxed);
                let d = now.wrapping_sub(*s);
                if d != 0 {
                    *s = now;
                    f(lowest_of((ci << HALF_BITS) + o), u64::from(d));
                }
                if now != 0 {
                    (lo, hi) = (lo.min(ci), hi.max(ci));
                }
            }
        }
        // Headroom for the next interval, allocated here rather than on the emitter.
        if lo <= hi {
            self.ensure(lo.saturating_sub(2), hi + 4);
        }
    }
}

/// What the flusher has collected of a [`LocalHist`] so far.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    chunks: Vec<Option<Box<[u32; CHUNK]>>>,
}

impl Seen {
    fn chunk(&mut self, i: usize) -> Option<&mut [u32; CHUNK]> {
        if self.chunks.len() <= i {
            self.chunks.resize_with(i + 1, || None);
        }
        let slot = self.chunks.get_mut(i)?;
        Some(slot.get_or_insert_with(|| Box::new([0; CHUNK])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_hdrhistogram_at_two_digits() {
        let mut h = hdrhistogram::Histogram::<u64>::new(2).unwrap();
        for v in [0u64, 1, 255, 256, 257, 1000, 123_456, 1 << 40, u64::MAX / 4] {
            let i = index_of(v);
            let lo = lowest_of(i);
            assert!(lo <= v, "{v}: lowest {lo}");
            h.record(lo).unwrap();
            assert_eq!(h.lowest_equivalent(v), lo, "{v}");
            // The next bucket starts past v.
            assert!(lowest_of(i + 1) > v, "{v}");
        }
        assert!(index_of(u64::MAX) < CHUNKS * CHUNK);
    }

    #[test]
    fn exact_below_256_and_within_one_percent_above() {
        for v in 0..256u64 {
            assert_eq!(lowest_of(index_of(v)), v);
        }
        for v in [300u64, 9_999, 1_000_000, 250_000_000] {
            let lo = lowest_of(index_of(v));
            assert!((v - lo) as f64 / v as f64 <= 1.0 / 128.0, "{v} {lo}");
        }
    }

    #[test]
    fn collect_reports_each_count_once() {
        let h = LocalHist::default();
        let mut seen = Seen::default();
        for v in [5u64, 5, 1_000, 2_000_000] {
            h.record(v);
        }
        let mut got = Vec::new();
        h.collect(&mut seen, |v, n| got.push((v, n)));
        got.sort_unstable();
        assert_eq!(got[0], (5, 2));
        assert_eq!(got.iter().map(|g| g.1).sum::<u64>(), 4);
        let mut again = Vec::new();
        h.collect(&mut seen, |v, n| again.push((v, n)));
        assert!(again.is_empty());
        h.record(5);
        h.collect(&mut seen, |v, n| again.push((v, n)));
        assert_eq!(again, vec![(5, 1)]);
    }
}
