//! The emitting thread's side of the pipeline: one cell per series per thread.
//!
//! Every emission — counter, gauge or timing, literal or runtime tags, borrowed for any
//! lifetime — goes the same way, to a cell of the emitting thread's own:
//!
//! 1. **The call site's last series.** A 16-slot cache keyed by the *addresses* of the
//!    name and of the tag list remembers which cell such a call went to last. The
//!    address is only a guess (a stack array or a reused `String` has the same address
//!    with other bytes in it), so the guess is confirmed by comparing the name, every
//!    key and every value with the series' fingerprints (length plus the words that
//!    cover up to 32 bytes, see `ident_hash`). A call site whose guess proves wrong is
//!    not asked again for its next 15 calls, so one whose values change from call to
//!    call stops paying for it.
//! 2. **The call's schema, then its values.** A plain emission's name, tag keys, kind
//!    and bound tags make its *schema* ([`Schema`]), as a family's fixed parts do. The
//!    call site's slot remembers its schema too, confirmed by comparing the name and
//!    keys with the schema's fingerprints (else found by hash, and made on first
//!    sight); then only the tag values are keyed and hashed (a [`ValueKey`], seeded
//!    per pipeline) and looked up in the thread's value table, whose slot holds the
//!    key beside the cell pointer, as a family's series are. A call site that cycles
//!    through many series (a route per request) thus pays for its values alone.
//!    Series whose name or keys are over 32 bytes, with more than eight tags or
//!    values that do not fit a key are found by their whole series hash in a second
//!    table and compared through their identity.
//!
//! Either way the cell is updated with plain loads and stores. Nothing is allocated,
//! locked, queued or written to a cache line another thread writes. Only a series new
//! to the thread allocates its cell and registers it, under the thread's own buffer
//! lock.
//!
//! The flusher reads every thread's cells at each flush and takes the difference from
//! what it last read (see `cell.rs`).
//!
//! What cannot live in a cell — a thread's series past `Shared::local_series`, emissions
//! from a thread-local destructor or re-entrant ones — is pushed as an [`Emission`] into
//! the thread's buffer and then, a batch at a time, into the shared bounded queue; a
//! full queue drops the batch and counts it.
//!
//! Shutdown is exact for everything that happens-before it: the final sweep marks each
//! buffer closed under its lock, cells are registered and batches handed off under the
//! same lock, and every cell is read after that.

mod buffer;
mod keyed;

pub(crate) use buffer::ThreadBuf;
use buffer::{push, queued, queued_ident};
pub(crate) use keyed::{emit_family, emit_handle};

use std::cell::RefCell;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use crossbeam_channel::TrySendError;
use crossbeam_utils::CachePadded;
use hashbrown::HashTable;
use parking_lot::Mutex;

use super::cell::{bound_id, Ident, LocalCell};
use super::family::Family;
use super::ident_hash::{Fingerprint, SeriesHash, ValueKey};
use super::{DropReason, Emission, Sample, Shared};
use crate::snapshot::Kind;
use crate::tags::{clip, to_owned_tags, BoundTags, IntoTags, Str, TagsRepr};

/// Fewest series one thread may keep a cell for, per pipeline, whatever `max_series`
/// says (see `Shared::local_series`); past the limit, emissions are queued as they are.
pub(crate) const MIN_LOCAL_SERIES: usize = 4096;

/// Slots of the call-site cache: the series last emitted to with a given name and tag
/// list *address*, tried (and fully compared) before hashing. Two ways per set: with one,
/// two call sites whose addresses fell in the same slot evicted each other at every call
/// (a layout accident: a span's timing then went the slow way, 2.5× the instructions).
const RECENT: usize = 32;

/// Calls a call-site cache slot is skipped for after a wrong guess.
const RECENT_SKIP: u32 = 15;

/// A call-site cache slot.
#[derive(Clone, Copy, Default)]
struct Recent {
    name: usize,
    tags: usize,
    /// Position in `cells` + 1; 0 = empty.
    cell: u32,
    /// Calls to skip the slot's cell for, after its guess was wrong: a call site
    /// whose tag values change from call to call stops paying for a wrong guess.
    skip: u32,
    /// Position in `Entry::schemas` + 1 of the call's schema (name, keys and kind,
    /// see [`Schema`]); 0 = none. Also a guess, confirmed before use.
    schema: u32,
}

/// A family series' slot in its thread's family table: found by hash and confirmed by
/// the values' words held here, so that an emission reads this slot and its cell and
/// nothing else (no identity behind further pointers). Laid out so that with up to
/// four words of values (two values of up to 16 bytes) the lookup, the comparison and
/// the cell's position read one cache line; the hash is not kept (a resize computes it
/// again from the key). Holds the series of [`Schema`]s too, under the schema's id.
#[repr(C, align(64))]
struct FamSlot {
    family: u64,
    cell: Arc<LocalCell>,
    /// Position in `Entry::cells`.
    index: u32,
    key: ValueKey,
}

// What a lookup reads, up to the key's fourth word, in the first cache line.
const _: () = assert!(std::mem::offset_of!(FamSlot, key) + 40 <= 64);

impl FamSlot {
    /// The slot's hash, as its lookups compute it.
    #[inline]
    fn hash(&self, seed: u64) -> u64 {
        self.key.hash(seed, self.family)
    }
}

/// What a thread's plain emissions of one shape share: kind and outcome, bound tags,
/// name and tag keys — everything of their series but the tag values, as a family
/// has it. Its series are found by their values alone, as a family's are (in
/// `Entry::families`, under the schema's `id`): a call site that emits to many series
/// confirms its name and keys against the schema, then hashes only the values.
/// Only names and keys (cut as stored) of at most 32 bytes, so that their
/// fingerprints decide equality alone.
struct Schema {
    hash: u64,
    /// Unique in its entry; the high bit keeps it apart from family ids.
    id: u64,
    head: u32,
    bound: u64,
    name: Fingerprint,
    keys: Box<[Fingerprint]>,
}

impl Schema {
    /// Whether an emission with these parts has this schema. `at`: where keys are cut.
    #[inline(always)]
    fn confirms<T: IntoTags + ?Sized>(
        &self,
        head: u32,
        bound: u64,
        name: &str,
        tags: &T,
        at: usize,
    ) -> bool {
        let n = tags.tag_count();
        if self.head != head || self.bound != bound || self.keys.len() != n {
            return false;
        }
        let mut all = self.name.equals(name);
        for i in 0..n {
            let (Some((k, _)), Some(f)) = (tags.tag(i), self.keys.get(i)) else {
                return false;
            };
            all &= f.equals(clip(k, at));
        }
        all
    }
}

/// Most schemas a thread keeps per pipeline: past it, emissions of new shapes are
/// found by their whole series hash (`Entry::table`), as before.
const MAX_SCHEMAS: usize = 4096;

/// One pipeline's state on one thread.
struct Entry {
    pipeline: u64,
    buf: Arc<ThreadBuf>,
    cells: Vec<Arc<LocalCell>>,
    /// Position in `cells` by hash (collisions resolved by comparing identities).
    table: HashTable<u32>,
    /// By name and tag-list address: where such a call went last.
    recent: [Recent; RECENT],
    /// Family and schema series whose values fit a [`ValueKey`].
    families: HashTable<FamSlot>,
    /// The shapes of this thread's plain emissions.
    schemas: Vec<Schema>,
    /// Position in `schemas` by hash.
    schema_table: HashTable<u32>,
}

impl Entry {
    fn new(pipeline: u64, buf: Arc<ThreadBuf>) -> Self {
        Entry {
            pipeline,
            buf,
            cells: Vec::new(),
            table: HashTable::new(),
            recent: [Recent::default(); RECENT],
            families: HashTable::new(),
            schemas: Vec::new(),
            schema_table: HashTable::new(),
        }
    }

    /// The call-site cache slot of a name and tag-list address.
    #[inline]
    /// The first of the two slots a call with these addresses may sit in.
    fn recent_set(name: usize, tags: usize) -> usize {
        let k = (name ^ tags.rotate_left(29)) as u64;
        2 * (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 60) as usize // RECENT / 2 = 16 = 2^4
    }

    /// The slot that holds a call with these addresses, if one does.
    #[inline(always)]
    fn recent_slot(&self, name: usize, tags: usize) -> Option<usize> {
        let set = Self::recent_set(name, tags);
        let is = |i: usize| {
            self.recent
                .get(i)
                .is_some_and(|r| r.name == name && r.tags == tags)
        };
        if is(set) {
            Some(set)
        } else if is(set + 1) {
            Some(set + 1)
        } else {
            None
        }
    }

    /// The cell a call with this name and tag-list address went to last, if `is`
    /// holds for it.
    #[inline]
    fn recent(
        &mut self,
        name: usize,
        tags: usize,
        is: impl Fn(&LocalCell) -> bool,
    ) -> Option<&LocalCell> {
        let i = self.recent_slot(name, tags)?;
        let r = self.recent.get_mut(i)?;
        if r.skip > 0 {
            r.skip -= 1;
            return None;
        }
        let c = r
            .cell
            .checked_sub(1)
            .and_then(|i| self.cells.get(i as usize))?;
        if is(c) {
            return Some(c);
        }
        r.skip = RECENT_SKIP;
        None
    }

    /// Remembers that a call with this name and tag-list address went to cell `i`, of
    /// schema `schema` if it has one.
    #[inline]
    fn remember(&mut self, name: usize, tags: usize, i: usize, schema: Option<usize>) {
        let slot = self.recent_slot(name, tags).or_else(|| {
            // A new call site: it takes the set's first slot, whose call moves to the
            // second (the second's is forgotten).
            let set = Self::recent_set(name, tags);
            let first = *self.recent.get(set)?;
            *self.recent.get_mut(set + 1)? = first;
            *self.recent.get_mut(set)? = Recent {
                name,
                tags,
                cell: 0,
                skip: 0,
                schema: 0,
            };
            Some(set)
        });
        if let Some(r) = slot.and_then(|k| self.recent.get_mut(k)) {
            r.cell = i as u32 + 1;
            if let Some(s) = schema {
                r.schema = s as u32 + 1;
            }
        }
    }

    /// The schema of a plain emission: the one its call site had last if it still
    /// holds, else found by hash; a new one when the emission's name and keys fit one
    /// and the thread has room. None: the emission is found by its whole series hash.
    #[inline]
    fn schema<T: IntoTags + ?Sized>(
        &mut self,
        seed: u64,
        head: u32,
        bound: u64,
        (name, tags): (&str, &T),
        (name_at, tags_at): (usize, usize),
        at: usize,
    ) -> Option<usize> {
        // The slot's schema, if it has one for these addresses (a call site that went
        // by the whole series hash last has none, and is looked up by hash).
        let guess = self
            .recent_slot(name_at, tags_at)
            .and_then(|k| self.recent.get(k))
            .and_then(|r| r.schema.checked_sub(1))
            .map(|i| i as usize);
        if let Some(i) = guess {
            if self
                .schemas
                .get(i)
                .is_some_and(|s| s.confirms(head, bound, name, tags, at))
            {
                return Some(i);
            }
        }
        self.schema_by_hash(seed, head, bound, name, tags, at)
    }

    /// [`schema`](Self::schema) past the call site's guess.
    #[inline(never)]
    fn schema_by_hash<T: IntoTags + ?Sized>(
        &mut self,
        seed: u64,
        head: u32,
        bound: u64,
        name: &str,
        tags: &T,
        at: usize,
    ) -> Option<usize> {
        let n = tags.tag_count();
        if n > 8 || name.len() > 32 {
            return None;
        }
        let mut h = SeriesHash::new(seed, u64::from(head)).word(bound).str(name);
        for i in 0..n {
            let k = clip(tags.tag(i)?.0, at);
            if k.len() > 32 {
                return None;
            }
            h = h.str(k);
        }
        let hash = h.finish();
        let schemas = &self.schemas;
        if let Some(&i) = self.schema_table.find(hash, |&i| {
            schemas
                .get(i as usize)
                .is_some_and(|s| s.hash == hash && s.confirms(head, bound, name, tags, at))
        }) {
            return Some(i as usize);
        }
        if self.schemas.len() >= MAX_SCHEMAS {
            return None;
        }
        let keys = (0..n)
            .filter_map(|i| tags.tag(i))
            .map(|(k, _)| Fingerprint::of(clip(k, at)))
            .collect();
        let i = self.schemas.len();
        self.schemas.push(Schema {
            hash,
            id: (1 << 63) | i as u64,
            head,
            bound,
            name: Fingerprint::of(name),
            keys,
        });
        let schemas = &self.schemas;
        self.schema_table.insert_unique(hash, i as u32, |&j| {
            schemas.get(j as usize).map_or(0, |s| s.hash)
        });
        Some(i)
    }

    /// The position of the cell for which `is` holds, if this thread has one.
    #[inline]
    fn find(&self, hash: u64, is: impl Fn(&LocalCell) -> bool) -> Option<usize> {
        let cells = &self.cells;
        self.table
            .find(hash, |i| {
                cells
                    .get(*i as usize)
                    .is_some_and(|c| c.hash == hash && is(c))
            })
            .map(|i| *i as usize)
    }

    /// A series new to this thread: a cell of its own while the thread has room
    /// (its position), else the emission queued as it is. None also when the buffer
    /// is closed (counted). `by_hash`: the cell is found through `table` (series
    /// without a key slot of their own: long or many tags, long family values,
    /// timing handles); keyed series are found through their slot and need no entry.
    fn add_or_queue(
        &mut self,
        shared: &Shared,
        hash: u64,
        by_hash: bool,
        ident: impl FnOnce() -> Arc<Ident>,
        sample: Sample,
        queued: impl FnOnce() -> Emission,
    ) -> Option<usize> {
        if self.cells.len() >= shared.local_series {
            push(shared, &self.buf, queued());
            return None;
        }
        let i = self.add(
            LocalCell::new(hash, ident(), sample, &shared.timing),
            by_hash,
        );
        if i.is_none() {
            shared.count_drop(DropReason::Shutdown, 1);
        }
        i
    }

    /// Registers a new cell for this thread (in `table` too when `by_hash`); its
    /// position, or None if the buffer is closed.
    fn add(&mut self, cell: LocalCell, by_hash: bool) -> Option<usize> {
        let cell = Arc::new(cell);
        {
            let mut st = self.buf.inner.lock();
            if st.closed {
                return None;
            }
            st.cells.push(Arc::clone(&cell));
        }
        let i = self.cells.len() as u32;
        if by_hash {
            let hash = cell.hash;
            let cells = &self.cells;
            self.table
                .insert_unique(hash, i, |j| cells.get(*j as usize).map_or(0, |c| c.hash));
        }
        self.cells.push(cell);
        Some(i as usize)
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
    /// This thread's entry for `shared`, registering the thread on first use. None
    /// once the pipeline is closed.
    #[inline(always)]
    fn entry(&mut self, shared: &Shared) -> Option<&mut Entry> {
        // Most threads emit into one pipeline: look at the first entry before searching.
        if self
            .entries
            .first()
            .is_some_and(|e| e.pipeline == shared.id)
        {
            return self.entries.first_mut();
        }
        self.entry_slow(shared)
    }

    #[cold]
    #[inline(never)]
    fn entry_slow(&mut self, shared: &Shared) -> Option<&mut Entry> {
        if let Some(pos) = self.entries.iter().position(|e| e.pipeline == shared.id) {
            return self.entries.get_mut(pos);
        }
        // First emission from this thread into this pipeline; also forget buffers of
        // pipelines that have shut down.
        self.entries.retain(|e| !e.buf.is_closed());
        let buf = shared.register_thread()?;
        self.entries.push(Entry::new(shared.id, buf));
        self.entries.last_mut()
    }
}

/// An emission's kind and outcome as a word.
#[inline(always)]
fn series_head(kind: Kind, outcome: Option<bool>) -> u32 {
    let kind = match kind {
        Kind::Counter => 0,
        Kind::Gauge => 1,
        Kind::Timing => 2,
    };
    let outcome = match outcome {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    };
    kind | (outcome << 2)
}

/// The series hash of an emission's parts.
#[inline]
fn series_hash<T: IntoTags + ?Sized>(
    shared: &Shared,
    kind: Kind,
    outcome: Option<bool>,
    bound: u64,
    name: &str,
    tags: &T,
) -> u64 {
    let mut h = SeriesHash::new(shared.seed, u64::from(series_head(kind, outcome)))
        .word(bound)
        .str(name);
    let at = shared.clip_at;
    for i in 0..tags.tag_count() {
        if let Some((k, v)) = tags.tag(i) {
            h = h.str(clip(k, at)).str(clip(v, at));
        }
    }
    h.finish()
}

/// Whether the pipeline takes emissions now; counts the drop when it does not.
#[inline]
fn accepting(shared: &Shared) -> bool {
    // Relaxed: `closed` only ever goes false → true; a stale `false` is caught by the
    // buffer's own `closed` flag, checked under its lock.
    if shared.closed.load(Ordering::Relaxed) {
        shared.count_drop(DropReason::Shutdown, 1);
        return false;
    }
    if !shared.collect.is_enabled() {
        shared.count_drop(DropReason::Disabled, 1);
        return false;
    }
    true
}

/// Hands one emission to the pipeline. Never blocks on anything but the thread's own
/// (uncontended) buffer lock; never fails loudly; allocates only for a series new to
/// this thread.
#[inline]
pub(crate) fn emit<T: IntoTags + ?Sized>(
    shared: &Shared,
    bound: &BoundTags,
    name: &str,
    sample: Sample,
    tags: &T,
    outcome: Option<bool>,
) {
    if !accepting(shared) {
        return;
    }
    if name.is_empty() || name.len() > shared.max_name_len {
        shared.count_drop(DropReason::InvalidName, 1);
        return;
    }
    if !sample.is_valid() {
        shared.count_drop(DropReason::InvalidValue, 1);
        return;
    }
    let kind = sample.kind();
    let bid = bound_id(bound);
    let at = shared.clip_at;
    let (name_at, tags_at) = (name.as_ptr() as usize, tags.addr());
    let done = LOCAL.try_with(|cell| {
        let Ok(mut local) = cell.try_borrow_mut() else {
            return false;
        };
        let Some(entry) = local.entry(shared) else {
            shared.count_drop(DropReason::Shutdown, 1);
            return true;
        };
        let is = |c: &LocalCell| c.ident.matches(kind, outcome, bid, name, tags, at);
        // The hottest path: this call site's last series, confirmed by comparing.
        if let Some(c) = entry.recent(name_at, tags_at, is) {
            c.record(sample);
            return true;
        }
        // Past the call site's last series: on a function of its own, so that the
        // hottest path above keeps a small frame.
        emit_seen(entry, shared, bound, name, sample, tags, outcome);
        true
    });
    // The thread-local is gone (an emission from a thread-local destructor) or busy
    // (re-entrancy): use the shared fallback buffer.
    if !matches!(done, Ok(true)) {
        push(
            shared,
            &shared.fallback,
            queued(bound, name, sample, tags, outcome, at),
        );
    }
}

/// Records a plain emission whose call site's last series was not it: by schema and
/// values, else by its whole series hash; a series new to the thread gets a cell.
#[inline(never)]
fn emit_seen<T: IntoTags + ?Sized>(
    entry: &mut Entry,
    shared: &Shared,
    bound: &BoundTags,
    name: &str,
    sample: Sample,
    tags: &T,
    outcome: Option<bool>,
) {
    let kind = sample.kind();
    let bid = bound_id(bound);
    let at = shared.clip_at;
    let (name_at, tags_at) = (name.as_ptr() as usize, tags.addr());
    // The hot path: a series this thread already has, found by its schema
    // (name, keys, kind) and its values.
    let head = series_head(kind, outcome);
    let schema = entry
        .schema(shared.seed, head, bid, (name, tags), (name_at, tags_at), at)
        .and_then(|si| Some((si, entry.schemas.get(si)?.id)));
    if let Some((si, id, key)) =
        schema.and_then(|(si, id)| Some((si, id, ValueKey::of_tags(tags, at)?)))
    {
        let hash = key.hash(shared.seed, id);
        if let Some(s) = entry
            .families
            .find(hash, |s| s.family == id && s.key.same(&key))
        {
            s.cell.record(sample);
            let index = s.index as usize;
            entry.remember(name_at, tags_at, index, Some(si));
            return;
        }
        let ident = || new_ident(kind, outcome, name, tags, bound, at);
        let queue = || queued(bound, name, sample, tags, outcome, at);
        if let Some(i) = entry.add_or_queue(shared, hash, false, ident, sample, queue) {
            if let Some(cell) = entry.cells.get(i) {
                let slot = FamSlot {
                    family: id,
                    cell: Arc::clone(cell),
                    index: i as u32,
                    key,
                };
                let seed = shared.seed;
                entry.families.insert_unique(hash, slot, |s| s.hash(seed));
            }
            entry.remember(name_at, tags_at, i, Some(si));
        }
        return;
    }
    // Longer or more tags: by hash, compared through the cell's identity.
    let hash = series_hash(shared, kind, outcome, bid, name, tags);
    let is = |c: &LocalCell| c.ident.matches(kind, outcome, bid, name, tags, at);
    if let Some(i) = entry.find(hash, is) {
        if let Some(c) = entry.cells.get(i) {
            c.record(sample);
        }
        entry.remember(name_at, tags_at, i, None);
        return;
    }
    let ident = || new_ident(kind, outcome, name, tags, bound, at);
    let queue = || queued(bound, name, sample, tags, outcome, at);
    if let Some(i) = entry.add_or_queue(shared, hash, true, ident, sample, queue) {
        entry.remember(name_at, tags_at, i, None);
    }
}

/// The identity of a plain series new to this thread.
fn new_ident<T: IntoTags + ?Sized>(
    kind: Kind,
    outcome: Option<bool>,
    name: &str,
    tags: &T,
    bound: &BoundTags,
    at: usize,
) -> Arc<Ident> {
    Arc::new(Ident::new(
        kind,
        outcome,
        Str::Owned(name.to_owned()),
        to_owned_tags(tags, at),
        bound.clone(),
        0,
    ))
}

#[cfg(test)]
#[path = "local_tests.rs"]
mod tests;
