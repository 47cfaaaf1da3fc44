//! One thread's cell for one series: written by that thread alone with plain relaxed
//! loads and stores (no read-modify-write, no lock), read by the flusher, which keeps
//! what it has collected so far and takes the difference.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;

use super::aggregate::Resolved;
use super::ident_hash::Fingerprint;
use super::Sample;
use crate::histogram::cuts::TimingShared;
use crate::histogram::{LocalHist, Seen as HistSeen};
use crate::snapshot::{Exemplar, Kind};
use crate::tags::{BoundTags, IntoTags, Str, Tag};

/// What a series is: everything that tells two series apart on the emitting thread.
#[derive(Debug)]
pub(crate) struct Ident {
    pub(crate) kind: Kind,
    pub(crate) outcome: Option<bool>,
    pub(crate) name: Str,
    /// The call's own tags, in the caller's order (clipped, see `local::CLIP`).
    pub(crate) tags: Box<[Tag]>,
    pub(crate) bound: BoundTags,
    /// `bound` as a word (see [`bound_id`]).
    pub(crate) bound_id: u64,
    /// Non-zero for the cells of a pre-bound timing handle: the handle's id, which
    /// alone identifies the series.
    pub(crate) handle: u64,
    /// Fingerprints of `name`, then of each tag's key and value, for [`Ident::matches`].
    fp: Box<[Fingerprint]>,
    /// Non-zero for cells made through a family handle (see `family`): its id. Such
    /// a cell is found by its tag values alone.
    pub(crate) family: u64,
}

/// A word standing for an emitter's bound tags: the interned id, or the address of a
/// shared list (kept alive by every cell that uses it, so never reused meanwhile).
#[inline]
pub(crate) fn bound_id(bound: &BoundTags) -> u64 {
    match bound {
        BoundTags::None => u64::MAX,
        BoundTags::Interned(id) => u64::from(*id),
        BoundTags::Shared(a) => (Arc::as_ptr(a).cast::<()>() as usize as u64) | (1 << 63),
    }
}

impl Ident {
    /// A series identity; `tags` already clipped.
    pub(crate) fn new(
        kind: Kind,
        outcome: Option<bool>,
        name: Str,
        tags: Box<[Tag]>,
        bound: BoundTags,
        handle: u64,
    ) -> Ident {
        let fp = std::iter::once(Fingerprint::of(&name))
            .chain(
                tags.iter()
                    .flat_map(|t| [Fingerprint::of(&t.key), Fingerprint::of(&t.value)]),
            )
            .collect();
        Ident {
            kind,
            outcome,
            bound_id: bound_id(&bound),
            name,
            tags,
            bound,
            handle,
            fp,
            family: 0,
        }
    }

    /// This identity, as the cell of family `id`.
    pub(crate) fn in_family(mut self, id: u64) -> Ident {
        self.family = id;
        self
    }

    /// Whether a family emission with these tag values (the family's keys being
    /// this series') belongs to this series.
    #[inline]
    pub(crate) fn values_match(&self, family: u64, values: &[&str], clip_at: usize) -> bool {
        if self.family != family || self.fp.len() != 2 * values.len() + 1 {
            return false;
        }
        values.iter().enumerate().all(|(i, v)| {
            self.fp
                .get(2 * i + 2)
                .is_some_and(|f| f.same(v, clip_at, || self.tags.get(i).map(|t| &*t.value)))
        })
    }

    /// Whether an emission with these parts belongs to this series.
    #[inline(always)]
    pub(crate) fn matches<T: IntoTags + ?Sized>(
        &self,
        kind: Kind,
        outcome: Option<bool>,
        bound: u64,
        name: &str,
        tags: &T,
        clip_at: usize,
    ) -> bool {
        let n = tags.tag_count();
        if self.handle != 0
            || self.kind != kind
            || self.outcome != outcome
            || self.bound_id != bound
            || self.fp.len() != 2 * n + 1
        {
            return false;
        }
        // The common case decided from the fingerprints alone, every string compared
        // without a branch on the outcome: strings of at most 32 bytes, none cut.
        let mut all = self.fp.first().is_some_and(|f| f.equals(name));
        for i in 0..n {
            let (Some((k, v)), Some(kf), Some(vf)) =
                (tags.tag(i), self.fp.get(2 * i + 1), self.fp.get(2 * i + 2))
            else {
                return false;
            };
            all &= kf.equals(k) & vf.equals(v);
        }
        all || self.matches_slow(name, tags, clip_at)
    }

    /// [`matches`](Self::matches) past the fingerprints' reach: a string over 32
    /// bytes, or one to be cut before comparing.
    #[cold]
    #[inline(never)]
    fn matches_slow<T: IntoTags + ?Sized>(&self, name: &str, tags: &T, clip_at: usize) -> bool {
        // Every string within the fingerprints' reach (at most 32 bytes, none cut):
        // their "no" was final.
        let limit = clip_at.min(32);
        let reach = (0..tags.tag_count()).all(|i| {
            tags.tag(i)
                .is_some_and(|(k, v)| k.len() <= limit && v.len() <= limit)
        });
        if name.len() <= 32 && reach {
            return false;
        }
        let Some(name_fp) = self.fp.first() else {
            return false;
        };
        if !name_fp.same(name, usize::MAX, || Some(&self.name)) {
            return false;
        }
        (0..tags.tag_count()).all(|i| {
            let (Some((k, v)), Some(kf), Some(vf)) =
                (tags.tag(i), self.fp.get(2 * i + 1), self.fp.get(2 * i + 2))
            else {
                return false;
            };
            kf.same(k, clip_at, || self.tags.get(i).map(|t| &*t.key))
                && vf.same(v, clip_at, || self.tags.get(i).map(|t| &*t.value))
        })
    }
}

/// The running state of one series on one thread.
#[derive(Debug)]
enum Data {
    Counter {
        /// Whole increments, saturating at `u64::MAX`.
        int: AtomicU64,
        /// `f64` bits: the sum of fractional increments (`add`).
        frac: AtomicU64,
        /// Increments that hit the saturation.
        saturated: AtomicU64,
    },
    Gauge {
        /// `f64` bits of the last value set.
        bits: AtomicU64,
    },
    Timing(Box<TimingData>),
}

/// A timing cell's data. What every emission writes (the sum, the interval's
/// extremes) comes first, in one cache line; the histogram's chunk table after.
#[derive(Debug)]
#[repr(C, align(64))]
struct TimingData {
    /// Sum of the values, ns, saturating.
    sum: AtomicU64,
    /// The pipeline's cuts and collection epoch.
    shared: Arc<TimingShared>,
    /// The extremes of the values recorded under an epoch, by its parity: the
    /// flusher reads the slot of the epoch it has just closed while this thread
    /// writes the other. (The extremes ever are the flusher's: the smallest and
    /// largest of every interval's.)
    even: Extremes,
    odd: Extremes,
    /// Per cut with a counter: values of its bucket below it (wrapping, as buckets).
    below: Box<[AtomicU32]>,
    hist: LocalHist,
}

/// The smallest and largest value recorded under `epoch`.
#[derive(Debug)]
struct Extremes {
    epoch: AtomicU64,
    min: AtomicU64,
    max: AtomicU64,
}

impl Extremes {
    fn new() -> Extremes {
        Extremes {
            epoch: AtomicU64::new(u64::MAX),
            min: AtomicU64::new(0),
            max: AtomicU64::new(0),
        }
    }
}

impl TimingData {
    fn new(shared: &Arc<TimingShared>, first: Option<u64>) -> TimingData {
        TimingData {
            hist: first.map_or_else(LocalHist::default, LocalHist::around),
            sum: AtomicU64::new(0),
            shared: Arc::clone(shared),
            below: (0..shared.cuts.len()).map(|_| AtomicU32::new(0)).collect(),
            even: Extremes::new(),
            odd: Extremes::new(),
        }
    }

    /// The extremes slot of `epoch`.
    #[inline(always)]
    fn extremes(&self, epoch: u64) -> &Extremes {
        if epoch & 1 == 0 {
            &self.even
        } else {
            &self.odd
        }
    }

    /// A value in bucket `i`, which holds a cut: counts it below each cut it is below.
    #[cold]
    #[inline(never)]
    fn record_below(&self, ns: u64, i: usize) {
        self.shared.cuts.below(ns, i, |k| {
            if let Some(c) = self.below.get(k) {
                c.store(c.load(Ordering::Relaxed).wrapping_add(1), Ordering::Relaxed);
            }
        });
    }
}

/// What the flusher has taken from a cell so far.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    n: u64,
    int: u64,
    frac: f64,
    saturated: u64,
    sum: u64,
    hist: HistSeen,
    below: Vec<u32>,
    /// The series this cell feeds, once resolved.
    pub(crate) resolved: Option<Resolved>,
}

/// One thread's cell for one series. Laid out so that what an emission touches (the
/// count, the data, the hash and the identity's address) shares one cache line.
#[derive(Debug)]
#[repr(C, align(64))]
pub(crate) struct LocalCell {
    /// Emissions recorded. Stored (Release) after the data; the flusher loads it
    /// (Acquire) first, so what it reads covers at least that many.
    n: AtomicU64,
    data: Data,
    pub(crate) hash: u64,
    pub(crate) ident: Arc<Ident>,
    /// Flusher-only (the lock is never contended).
    pub(crate) seen: Mutex<Seen>,
    /// The first value recorded in a sampled span since the flusher last took it.
    /// Written only then, so emissions outside spans never touch it.
    exemplar: Mutex<Option<Exemplar>>,
    /// Whether `exemplar` holds one: later emissions in sampled spans then cost one
    /// relaxed load, not a lock, a clock read and a context lookup each. Changed only
    /// under the `exemplar` lock.
    exemplar_kept: AtomicBool,
}

/// What was recorded since the flusher last looked.
#[derive(Debug)]
pub(crate) enum Delta<'a> {
    Counter {
        int: u64,
        frac: f64,
        saturated: u64,
    },
    Gauge(f64),
    Timing {
        hist: &'a LocalHist,
        seen: &'a mut HistSeen,
        sum_ns: u64,
        /// Of the values recorded under the epoch just closed, if any.
        interval: Option<(u64, u64)>,
        /// New values below each cut with a counter.
        below: &'a [AtomicU32],
        below_seen: &'a mut Vec<u32>,
    },
}

impl LocalCell {
    /// A cell holding its first sample.
    pub(crate) fn new(
        hash: u64,
        ident: Arc<Ident>,
        first: Sample,
        timing: &Arc<TimingShared>,
    ) -> LocalCell {
        let data = match ident.kind {
            Kind::Counter => Data::Counter {
                int: AtomicU64::new(0),
                frac: AtomicU64::new(0f64.to_bits()),
                saturated: AtomicU64::new(0),
            },
            Kind::Gauge => Data::Gauge {
                bits: AtomicU64::new(0f64.to_bits()),
            },
            Kind::Timing => Data::Timing(Box::new(TimingData::new(
                timing,
                match first {
                    Sample::Nanos(ns) => Some(ns),
                    _ => None,
                },
            ))),
        };
        let cell = LocalCell {
            hash,
            ident,
            n: AtomicU64::new(0),
            data,
            seen: Mutex::new(Seen::default()),
            exemplar: Mutex::new(None),
            exemplar_kept: AtomicBool::new(false),
        };
        cell.record(first);
        cell
    }

    /// What the owner thread does per emission: plain loads and stores.
    #[inline]
    pub(crate) fn record(&self, s: Sample) {
        // Relaxed throughout: this thread is the only writer; the flusher synchronises
        // on the Release store of `n` below.
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        match (&self.data, s) {
            (Data::Counter { int, saturated, .. }, Sample::Count(v)) => {
                match load(int).checked_add(v) {
                    Some(t) => int.store(t, Ordering::Relaxed),
                    None => {
                        int.store(u64::MAX, Ordering::Relaxed);
                        saturated.store(load(saturated) + 1, Ordering::Relaxed);
                    }
                }
            }
            (Data::Counter { frac, .. }, Sample::Add(v)) => {
                frac.store(
                    (f64::from_bits(load(frac)) + v).to_bits(),
                    Ordering::Relaxed,
                );
            }
            (Data::Gauge { bits }, Sample::Gauge(v)) => {
                bits.store(v.to_bits(), Ordering::Relaxed);
                // Gauges keep no exemplar: no span lookup.
                self.n.store(load(&self.n) + 1, Ordering::Release);
                return;
            }
            (Data::Timing(t), Sample::Nanos(ns)) => {
                let i = t.hist.record(ns);
                if t.shared.cuts.in_bucket(i) {
                    t.record_below(ns, i);
                }
                t.sum
                    .store(load(&t.sum).saturating_add(ns), Ordering::Relaxed);
                // Relaxed: a value recorded while its cell is being collected may land
                // in the neighbouring interval's extremes (see `collect`).
                let e = load(&t.shared.epoch);
                let x = t.extremes(e);
                if load(&x.epoch) != e {
                    x.min.store(ns, Ordering::Relaxed);
                    x.max.store(ns, Ordering::Relaxed);
                    x.epoch.store(e, Ordering::Relaxed);
                } else {
                    if ns < load(&x.min) {
                        x.min.store(ns, Ordering::Relaxed);
                    }
                    if ns > load(&x.max) {
                        x.max.store(ns, Ordering::Relaxed);
                    }
                }
            }
            // A sample of another kind never reaches a cell (the kind is part of the
            // identity); ignoring it keeps this path free of panics.
            _ => return,
        }
        // Relaxed: a stale `false` costs one extra lock, a stale `true` one exemplar.
        if crate::trace::current::in_sampled() && !self.exemplar_kept.load(Ordering::Relaxed) {
            self.keep_exemplar(s);
        }
        // Release: publishes the stores above to a flusher that loads `n`.
        self.n.store(load(&self.n) + 1, Ordering::Release);
    }

    /// Keeps `s` as the cell's exemplar of this interval, with the current (sampled)
    /// span.
    #[cold]
    #[inline(never)]
    fn keep_exemplar(&self, s: Sample) {
        let value = match s {
            Sample::Count(v) => v as f64,
            Sample::Add(v) => v,
            Sample::Nanos(ns) => ns as f64 / 1e6,
            Sample::Gauge(_) => return,
        };
        if let Some((trace_id, span_id)) = crate::trace::current::exemplar_ids() {
            let mut kept = self.exemplar.lock();
            *kept = Some(Exemplar {
                trace_id,
                span_id,
                value,
                time: std::time::SystemTime::now(),
            });
            self.exemplar_kept.store(true, Ordering::Relaxed);
        }
    }

    /// The flusher's side: the exemplar kept since it last looked, if any.
    pub(crate) fn take_exemplar(&self) -> Option<Exemplar> {
        let mut kept = self.exemplar.lock();
        self.exemplar_kept.store(false, Ordering::Relaxed);
        kept.take()
    }

    /// The flusher's collection, in the interval `epoch` closes: calls `f` with how
    /// many emissions arrived since it last looked and what they added, unless
    /// nothing did.
    ///
    /// The interval's extremes are exact for every value recorded before the epoch
    /// moved on and collected now; a value recorded in the instant between (its
    /// thread read the old epoch) counts here but its extremes may show in the next
    /// interval, so the reader clamps them to the histogram's range.
    pub(crate) fn collect(
        &self,
        epoch: u64,
        f: impl FnOnce(&Ident, &mut Option<Resolved>, u64, Delta<'_>),
    ) {
        // Acquire: pairs with the owner's Release store of `n`.
        let n = self.n.load(Ordering::Acquire);
        let mut seen = self.seen.lock();
        let seen = &mut *seen;
        if n == seen.n {
            return;
        }
        let dn = n.wrapping_sub(seen.n);
        seen.n = n;
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let delta = match &self.data {
            Data::Counter {
                int,
                frac,
                saturated,
            } => {
                let (i, fr, sat) = (load(int), f64::from_bits(load(frac)), load(saturated));
                let d = Delta::Counter {
                    int: i.saturating_sub(seen.int),
                    frac: fr - seen.frac,
                    saturated: sat.saturating_sub(seen.saturated),
                };
                (seen.int, seen.frac, seen.saturated) = (i, fr, sat);
                d
            }
            Data::Gauge { bits } => Delta::Gauge(f64::from_bits(load(bits))),
            Data::Timing(t) => {
                let sum = load(&t.sum);
                let d_sum = sum.saturating_sub(seen.sum);
                seen.sum = sum;
                let x = t.extremes(epoch);
                let interval = (load(&x.epoch) == epoch).then(|| (load(&x.min), load(&x.max)));
                Delta::Timing {
                    hist: &t.hist,
                    seen: &mut seen.hist,
                    sum_ns: d_sum,
                    interval,
                    below: &t.below,
                    below_seen: &mut seen.below,
                }
            }
        };
        f(&self.ident, &mut seen.resolved, dn, delta);
    }
}
