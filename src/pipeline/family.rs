//! A metric family: a name and tag keys fixed ahead of time, whose series differ by
//! their tag values alone (`prometheus`' `CounterVec`). An emission hashes and compares
//! only the values: the name and keys were checked once, when the family was made.

use std::sync::atomic::{AtomicU64, Ordering};

use super::cell::Ident;
use super::{Emission, Sample};
use crate::snapshot::Kind;
use crate::tags::{clip, BoundTags, Str, Tag, TagsRepr};

/// Family ids: non-zero, unique per process.
static NEXT_FAMILY: AtomicU64 = AtomicU64::new(1);

/// A family's fixed parts.
#[derive(Debug)]
pub(crate) struct Family {
    pub(crate) id: u64,
    pub(crate) kind: Kind,
    pub(crate) name: Str,
    /// The tag keys, clipped as stored keys are.
    pub(crate) keys: Box<[Str]>,
    pub(crate) bound: BoundTags,
}

impl Family {
    pub(crate) fn new(kind: Kind, name: Str, keys: Box<[Str]>, bound: BoundTags) -> Family {
        Family {
            // Relaxed: a unique id is all that is needed.
            id: NEXT_FAMILY.fetch_add(1, Ordering::Relaxed),
            kind,
            name,
            keys,
            bound,
        }
    }

    /// The tags of the series with these values, clipped at `at`.
    fn tags(&self, values: &[&str], at: usize) -> Box<[Tag]> {
        self.keys
            .iter()
            .zip(values)
            .map(|(k, v)| Tag::new(k.clone(), Str::Owned(clip(v, at).to_owned())))
            .collect()
    }

    /// The identity of the series with these values.
    pub(crate) fn ident(&self, values: &[&str], at: usize) -> Ident {
        Ident::new(
            self.kind,
            None,
            self.name.clone(),
            self.tags(values, at),
            self.bound.clone(),
            0,
        )
        .in_family(self.id)
    }

    /// An emission of the series with these values, for the queue.
    pub(crate) fn queued(&self, values: &[&str], at: usize, sample: Sample) -> Emission {
        Emission {
            name: self.name.clone(),
            tags: TagsRepr::with_bound(&self.bound, self.tags(values, at)),
            sample,
            outcome: None,
        }
    }
}
