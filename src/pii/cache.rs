//! The tag-value cache: a bounded memo of scan results, so a repeated tag value is a lookup
//! rather than a rescan.
//!
//! * Clean values (nothing matched) are remembered as 64-bit fingerprints in a fixed,
//!   pre-allocated open-addressing table, so recording and finding them never allocates.
//!   Fingerprints come from `RandomState` (`SipHash` with a random per-cache key), so nobody
//!   can craft a collision; an accidental one (probability below `capacity / 2^64` per lookup)
//!   would let an unscanned value through unscrubbed.
//! * Dirty values keep the original and the scrubbed text (`HashMap<u64, (Box<str>,
//!   Box<str>)>`); a hit compares the original, so collisions there are harmless.
//! * Each table holds at most `capacity` entries; when one is full it is cleared (no LRU
//!   bookkeeping on the hot path). `clears` in [`CacheStats`] counts how often.
//! * Only values up to [`MAX_CACHED_LEN`] bytes are cached; longer ones are always scanned.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

use parking_lot::Mutex;

/// Longest tag value, in bytes, that the cache remembers.
pub const MAX_CACHED_LEN: usize = 256;

/// Counters describing the cache's use since the scrubber was built.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that needed a scan.
    pub misses: u64,
    /// Times a full table was cleared.
    pub clears: u64,
    /// Entries currently held (clean + dirty).
    pub entries: usize,
}

pub(crate) enum Lookup {
    Clean,
    Dirty(String),
    Miss(u64),
}

struct Inner {
    clean: Box<[u64]>,
    clean_len: usize,
    dirty: HashMap<u64, (Box<str>, Box<str>)>,
    stats: CacheStats,
}

pub(crate) struct ValueCache {
    inner: Mutex<Inner>,
    hasher: RandomState,
    capacity: usize,
}

impl ValueCache {
    pub(crate) fn new(capacity: usize) -> ValueCache {
        let slots = (capacity * 2).next_power_of_two();
        ValueCache {
            inner: Mutex::new(Inner {
                clean: vec![0; slots].into_boxed_slice(),
                clean_len: 0,
                dirty: HashMap::new(),
                stats: CacheStats::default(),
            }),
            hasher: RandomState::new(),
            capacity,
        }
    }

    fn fingerprint(&self, value: &str) -> u64 {
        self.hasher.hash_one(value).max(1) // 0 marks an empty slot
    }

    pub(crate) fn lookup(&self, value: &str) -> Lookup {
        let h = self.fingerprint(value);
        let mut inner = self.inner.lock();
        let mask = inner.clean.len() - 1;
        let mut slot = usize::try_from(h).unwrap_or(usize::MAX) & mask;
        loop {
            match inner.clean.get(slot).copied() {
                Some(0) | None => break,
                Some(f) if f == h => {
                    inner.stats.hits += 1;
                    return Lookup::Clean;
                }
                Some(_) => slot = (slot + 1) & mask,
            }
        }
        let dirty = match inner.dirty.get(&h) {
            Some((orig, scrubbed)) if **orig == *value => Some(String::from(&**scrubbed)),
            _ => None,
        };
        if let Some(s) = dirty {
            inner.stats.hits += 1;
            Lookup::Dirty(s)
        } else {
            inner.stats.misses += 1;
            Lookup::Miss(h)
        }
    }

    pub(crate) fn insert_clean(&self, h: u64) {
        let mut inner = self.inner.lock();
        if inner.clean_len >= self.capacity {
            inner.clean.fill(0);
            inner.clean_len = 0;
            inner.stats.clears += 1;
        }
        let mask = inner.clean.len() - 1;
        let mut slot = usize::try_from(h).unwrap_or(usize::MAX) & mask;
        loop {
            match inner.clean.get_mut(slot) {
                Some(f) if *f == 0 => {
                    *f = h;
                    inner.clean_len += 1;
                    return;
                }
                Some(f) if *f == h => return,
                Some(_) => slot = (slot + 1) & mask,
                None => return,
            }
        }
    }

    pub(crate) fn insert_dirty(&self, h: u64, original: &str, scrubbed: &str) {
        let mut inner = self.inner.lock();
        if inner.dirty.len() >= self.capacity {
            inner.dirty.clear();
            inner.stats.clears += 1;
        }
        inner
            .dirty
            .insert(h, (Box::from(original), Box::from(scrubbed)));
    }

    pub(crate) fn stats(&self) -> CacheStats {
        let inner = self.inner.lock();
        CacheStats {
            entries: inner.clean_len + inner.dirty.len(),
            ..inner.stats
        }
    }
}
