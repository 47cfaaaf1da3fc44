//! The emitting side: per-thread buffers in front of the shared bounded queue.
//!
//! Counters and gauges whose name and tags have stable addresses (the common case:
//! literals and tagged emitters) are aggregated right on the emitting thread, in a
//! cell per series that only that thread writes — a relaxed load and a store of the
//! running sum (or last value) and of the emission count, no lock and no
//! read-modify-write — and that the flusher reads at every flush. Nothing crosses to
//! another core per emission, and two threads on one series share nothing.
//! Everything else (timings, owned strings, a thread's 4,097th series) is buffered
//! as is:
//!
//! Every thread that emits into a pipeline gets its own buffer (a `Vec` behind an
//! uncontended mutex, on its own cache line). An emission is pushed there; when the
//! buffer holds `batch_size` emissions the whole batch goes to the shared queue in one
//! `try_send`. So two threads hammering the same series never touch the same cache
//! line except once per batch, and the shared queue's head sees one operation per
//! `batch_size` emissions.
//!
//! The mutex is there for the flusher, not for other emitters: at every flush the
//! flusher takes each buffer's partial batch, so a thread that goes quiet never
//! strands its last emissions. The owner thread finds it unlocked but for those
//! moments.
//!
//! Shutdown is exact: the flusher's final sweep marks every buffer closed under its
//! lock, and the handoff to the queue happens under the same lock, so every emission
//! is either aggregated or counted as dropped.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crossbeam_channel::TrySendError;
use crossbeam_utils::CachePadded;
use parking_lot::Mutex;

use super::key::{fast_key, FastKey, FxBuild};
use super::{DropReason, Emission, Shared};
use crate::snapshot::Kind;

/// One thread's buffer.
#[derive(Debug, Default)]
pub(crate) struct ThreadBuf {
    inner: CachePadded<Mutex<BufState>>,
}

/// Most series one thread aggregates in place between two flushes; beyond it,
/// emissions are buffered as they are.
const MAX_LOCAL_SERIES: usize = 4096;

/// A counter or gauge aggregated in a thread's buffer: the first emission (carrying
/// name and tags) with its value replaced by the running sum (counters) or the last
/// value (gauges), and how many emissions it stands for.
#[derive(Debug)]
pub(crate) struct LocalAgg {
    pub(crate) e: Emission,
    pub(crate) n: u64,
    key: FastKey,
}

/// A counter or gauge series of one thread, on the lock-free path: written by its
/// thread alone with plain relaxed loads and stores (no read-modify-write, no lock),
/// read by the flusher, which keeps track of what it has already collected.
#[derive(Debug)]
pub(crate) struct LocalCell {
    /// The series' first emission (name and tags; its value is not used).
    template: Emission,
    key: FastKey,
    /// `f64` bits: the running sum (counter) or the last value (gauge).
    value: AtomicU64,
    /// Emissions recorded. Stored (Release) after `value`; the flusher loads it
    /// (Acquire) before `value`, so the value it reads covers at least that many.
    n: AtomicU64,
    /// Flusher-only: the `n` and `value` it has collected so far.
    seen_n: AtomicU64,
    seen_value: AtomicU64,
}

impl LocalCell {
    /// What the owner thread does per emission: a load and a store each.
    #[inline]
    fn record(&self, kind: Kind, value: f64) {
        // Relaxed: this thread is the only writer; the flusher synchronises on `n`.
        let v = match kind {
            Kind::Counter => f64::from_bits(self.value.load(Ordering::Relaxed)) + value,
            _ => value,
        };
        self.value.store(v.to_bits(), Ordering::Relaxed);
        let n = self.n.load(Ordering::Relaxed);
        // Release: publishes the value store above to a flusher that loads `n`.
        self.n.store(n + 1, Ordering::Release);
    }

    /// The flusher's collection: what was recorded since it last looked.
    fn collect(&self) -> Option<LocalAgg> {
        // Acquire: pairs with the owner's Release store of `n`.
        let n = self.n.load(Ordering::Acquire);
        let seen = self.seen_n.load(Ordering::Relaxed);
        if n <= seen {
            return None;
        }
        let v = f64::from_bits(self.value.load(Ordering::Relaxed));
        let value = match self.template.kind {
            Kind::Counter => v - f64::from_bits(self.seen_value.load(Ordering::Relaxed)),
            _ => v,
        };
        self.seen_n.store(n, Ordering::Relaxed);
        self.seen_value.store(v.to_bits(), Ordering::Relaxed);
        Some(LocalAgg {
            e: Emission {
                value,
                ..self.template.clone()
            },
            n: n - seen,
            key: self.key,
        })
    }
}

/// Slots of the direct-mapped cache in front of a thread's series index.
const SLOTS: usize = 32;

#[derive(Debug, Default)]
struct BufState {
    items: Vec<Emission>,
    /// Counters and gauges with a stable identity ('static name, static or interned
    /// tags), aggregated in place: no data crosses to the flusher per emission. Kept
    /// in order of first appearance, so that series are created in the order they
    /// were first emitted (sinks that number look-alike series rely on it).
    vals: Vec<LocalAgg>,
    /// Position in `vals` by identity.
    index: HashMap<FastKey, u32, FxBuild>,
    /// A direct-mapped cache of `index` (position + 1; 0 = empty): the common case is
    /// one multiply, one load and a three-word compare.
    slots: [u32; SLOTS],
    /// This thread's lock-free series cells, in order of first appearance (the owner
    /// registers one here, under the lock, the first time it emits to a series).
    cells: Vec<Arc<LocalCell>>,
    /// The final sweep has run: nothing may be added any more.
    closed: bool,
    /// The owning thread has exited: once empty, the flusher forgets the buffer.
    orphaned: bool,
}

impl ThreadBuf {
    /// Takes the buffered emissions (swapping in `spare`). With `close`, marks the
    /// buffer closed in the same critical section. Returns the emissions and whether
    /// the buffer can be forgotten (its thread is gone and it is now empty).
    /// The locally aggregated counters and gauges are moved into `aggregated`.
    pub(crate) fn take(
        &self,
        spare: Vec<Emission>,
        aggregated: &mut Vec<LocalAgg>,
        close: bool,
    ) -> (Vec<Emission>, bool) {
        let mut st = self.inner.lock();
        st.closed |= close;
        let items = std::mem::replace(&mut st.items, spare);
        aggregated.extend(st.cells.iter().filter_map(|c| c.collect()));
        // `append` and `clear` keep capacity: the next interval inserts without
        // allocating.
        aggregated.append(&mut st.vals);
        st.index.clear();
        st.slots = [0; SLOTS];
        (items, st.orphaned)
    }

    fn is_closed(&self) -> bool {
        self.inner.lock().closed
    }
}

struct Entry {
    pipeline: u64,
    buf: Arc<ThreadBuf>,
    /// This thread's lock-free series, by identity (owner-only: no lock needed).
    cells: Vec<Arc<LocalCell>>,
    index: HashMap<FastKey, u32, FxBuild>,
    /// Direct-mapped cache of `index` (position + 1; 0 = empty).
    slots: [u32; SLOTS],
}

impl Entry {
    fn new(pipeline: u64, buf: Arc<ThreadBuf>) -> Self {
        Entry {
            pipeline,
            buf,
            cells: Vec::new(),
            index: HashMap::default(),
            slots: [0; SLOTS],
        }
    }

    /// Adds to a series this thread already has. False if it has none for `key`.
    #[inline]
    fn record(&mut self, key: &FastKey, kind: Kind, value: f64) -> bool {
        let slot = slot_of(key);
        let cached = self
            .slots
            .get(slot)
            .and_then(|i| i.checked_sub(1))
            .map(|i| i as usize)
            .filter(|i| self.cells.get(*i).is_some_and(|c| c.key == *key));
        let Some(i) = cached.or_else(|| self.index.get(key).map(|i| *i as usize)) else {
            return false;
        };
        let Some(cell) = self.cells.get(i) else {
            return false;
        };
        cell.record(kind, value);
        if let Some(s) = self.slots.get_mut(slot) {
            *s = i as u32 + 1;
        }
        true
    }

    /// Registers a new series cell for this thread, holding the first emission.
    /// False if the buffer is closed (the emission is then counted as dropped).
    fn add(&mut self, key: FastKey, value: f64, e: Emission) -> bool {
        let cell = Arc::new(LocalCell {
            template: e,
            key,
            value: AtomicU64::new(value.to_bits()),
            n: AtomicU64::new(1),
            seen_n: AtomicU64::new(0),
            seen_value: AtomicU64::new(0f64.to_bits()),
        });
        {
            let mut st = self.buf.inner.lock();
            if st.closed {
                return false;
            }
            st.cells.push(Arc::clone(&cell));
        }
        let i = self.cells.len() as u32;
        self.index.insert(key, i);
        if let Some(s) = self.slots.get_mut(slot_of(&key)) {
            *s = i + 1;
        }
        self.cells.push(cell);
        true
    }
}

#[derive(Default)]
struct Local {
    entries: Vec<Entry>,
}

impl Drop for Local {
    fn drop(&mut self) {
        for e in &self.entries {
            e.buf.inner.lock().orphaned = true;
        }
    }
}

thread_local! {
    static LOCAL: RefCell<Local> = RefCell::new(Local::default());
}

impl Local {
    fn buf_for(&mut self, shared: &Shared) -> Option<Arc<ThreadBuf>> {
        if let Some(e) = self.entries.iter().find(|e| e.pipeline == shared.id) {
            return Some(Arc::clone(&e.buf));
        }
        // First emission from this thread into this pipeline; also forget buffers of
        // pipelines that have shut down.
        self.entries.retain(|e| !e.buf.is_closed());
        let buf = shared.register_thread()?;
        self.entries.push(Entry::new(shared.id, Arc::clone(&buf)));
        Some(buf)
    }
}

/// Hands one emission to the pipeline. Never blocks on anything but the thread's own
/// (uncontended) buffer lock; never fails loudly.
#[inline]
pub(crate) fn emit(shared: &Shared, e: Emission) {
    let key = aggregable(&e);
    emit_with(shared, key, e.kind, e.value, move || e);
}

/// The emission path proper. `key` is the emission's identity when it can be
/// aggregated on this thread (a valid counter or gauge value with a `'static` name
/// and static or interned tags); `make` builds the emission only when it has to be
/// stored, so the common case — adding to a series this thread already has — never
/// builds or moves one.
#[inline]
pub(crate) fn emit_with(
    shared: &Shared,
    key: Option<FastKey>,
    kind: Kind,
    value: f64,
    make: impl FnOnce() -> Emission,
) {
    // Relaxed: `closed` only ever goes false → true; a stale `false` is caught by the
    // buffer's own `closed` flag, checked under its lock.
    if shared.closed.load(Ordering::Relaxed) {
        shared.count_drop(DropReason::Shutdown, 1);
        return;
    }
    if !shared.collect.is_enabled() {
        shared.count_drop(DropReason::Disabled, 1);
        return;
    }
    let mut make = Some(make);
    let _ = LOCAL.try_with(|cell| {
        let Ok(mut local) = cell.try_borrow_mut() else {
            return;
        };
        let pos = match local.entries.iter().position(|en| en.pipeline == shared.id) {
            Some(pos) => pos,
            None => {
                if local.buf_for(shared).is_none() {
                    return; // closed: the fallback buffer counts the drop
                }
                local.entries.len().saturating_sub(1)
            }
        };
        let Some(entry) = local.entries.get_mut(pos) else {
            return;
        };
        if let Some(key) = &key {
            // The hot path: a series this thread already has. No lock, no RMW.
            if entry.record(key, kind, value) {
                make = None;
                return;
            }
            if entry.cells.len() < MAX_LOCAL_SERIES {
                if let Some(make) = make.take() {
                    if !entry.add(*key, value, make()) {
                        shared.count_drop(DropReason::Shutdown, 1);
                    }
                }
                return;
            }
        }
        if let Some(make) = make.take() {
            push(shared, &entry.buf, key, kind, value, make);
        }
    });
    // The thread-local is gone (an emission from a thread-local destructor) or busy
    // (re-entrancy): use the shared fallback buffer.
    if let Some(make) = make {
        push(shared, &shared.fallback, key, kind, value, make);
    }
}

#[inline]
fn slot_of(key: &FastKey) -> usize {
    let [a, b, c] = key.words();
    let h = (a ^ b.rotate_left(21) ^ c.rotate_left(42)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> 59) as usize // SLOTS = 32 = 2^5
}

/// The identity under which a counter or gauge can be aggregated on its thread: valid
/// values only (invalid ones travel to the flusher, which counts them one by one).
#[inline]
fn aggregable(e: &Emission) -> Option<FastKey> {
    let valid = match e.kind {
        Kind::Counter => e.value.is_finite() && e.value >= 0.0,
        Kind::Gauge => e.value.is_finite(),
        Kind::Timing => false,
    };
    if valid {
        fast_key(e)
    } else {
        None
    }
}

#[inline]
fn push(
    shared: &Shared,
    buf: &ThreadBuf,
    key: Option<FastKey>,
    kind: Kind,
    value: f64,
    make: impl FnOnce() -> Emission,
) {
    let mut st = buf.inner.lock();
    if st.closed {
        drop(st);
        shared.count_drop(DropReason::Shutdown, 1);
        return;
    }
    if let Some(key) = key {
        let st = &mut *st;
        let slot = slot_of(&key);
        let cached = st
            .slots
            .get(slot)
            .and_then(|i| i.checked_sub(1))
            .map(|i| i as usize)
            .filter(|i| st.vals.get(*i).is_some_and(|a| a.key == key));
        let found = cached.or_else(|| st.index.get(&key).map(|i| *i as usize));
        if let Some(a) = found.and_then(|i| st.vals.get_mut(i)) {
            match kind {
                Kind::Counter => a.e.value += value,
                _ => a.e.value = value,
            }
            a.n += 1;
            if let (Some(s), Some(i)) = (st.slots.get_mut(slot), found) {
                *s = i as u32 + 1;
            }
            return;
        }
        if st.vals.len() < MAX_LOCAL_SERIES {
            let i = st.vals.len() as u32;
            st.index.insert(key, i);
            if let Some(s) = st.slots.get_mut(slot) {
                *s = i + 1;
            }
            st.vals.push(LocalAgg {
                e: make(),
                n: 1,
                key,
            });
            return;
        }
    }
    let e = make();
    st.items.push(e);
    if st.items.len() >= shared.batch_size {
        let full = std::mem::replace(&mut st.items, shared.spare_vec());
        // Sent under the buffer lock so that the final sweep (which takes this lock)
        // either sees the batch already in the queue or sees it still here.
        if let Err(err) = shared.tx.try_send(full) {
            let mut batch = match err {
                TrySendError::Full(b) | TrySendError::Disconnected(b) => b,
            };
            let n = batch.len() as u64;
            batch.clear();
            shared.recycle(batch);
            drop(st);
            shared.count_drop(DropReason::QueueFull, n);
        }
    }
}
