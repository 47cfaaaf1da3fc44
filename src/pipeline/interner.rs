//! Interned tag sets of tagged emitters: emissions carry a `u32` instead of the tags.

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};

use crate::tags::{BoundTags, Tag};

/// Interns tag sets by content, up to a cap. Interned sets live as long as the
/// pipeline (the cap bounds the memory); past the cap, tagged emitters share their
/// tags by reference count instead.
#[derive(Debug)]
pub(crate) struct Interner {
    cap: usize,
    ids: Mutex<HashMap<Arc<[Tag]>, u32>>,
    sets: RwLock<Vec<Arc<[Tag]>>>,
}

impl Interner {
    pub(crate) fn new(cap: usize) -> Self {
        Interner {
            cap,
            ids: Mutex::new(HashMap::new()),
            sets: RwLock::new(Vec::new()),
        }
    }

    /// Interns `tags` (order-insensitive: sorted by key first).
    pub(crate) fn intern(&self, mut tags: Vec<Tag>) -> BoundTags {
        if tags.is_empty() {
            return BoundTags::None;
        }
        tags.sort_by(|a, b| a.key.cmp(&b.key));
        let set: Arc<[Tag]> = tags.into();
        let mut ids = self.ids.lock();
        if let Some(id) = ids.get(&set) {
            return BoundTags::Interned(*id);
        }
        let mut sets = self.sets.write();
        match u32::try_from(sets.len()) {
            Ok(id) if sets.len() < self.cap => {
                sets.push(Arc::clone(&set));
                ids.insert(set, id);
                BoundTags::Interned(id)
            }
            _ => BoundTags::Shared(set),
        }
    }

    /// The set with id `id`.
    pub(crate) fn get(&self, id: u32) -> Option<Arc<[Tag]>> {
        self.sets.read().get(id as usize).cloned()
    }

    /// Copies out the sets from index `from` on (the flusher keeps its own copy).
    pub(crate) fn sets_from(&self, from: usize, into: &mut Vec<Arc<[Tag]>>) {
        let sets = self.sets.read();
        if let Some(new) = sets.get(from..) {
            into.extend(new.iter().cloned());
        }
    }
}
