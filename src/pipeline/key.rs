//! Identity keys for emissions whose name and tags are `'static` or interned.

use std::borrow::Cow;

use super::Emission;
use crate::snapshot::Kind;
use crate::tags::{StaticTags, TagsRepr};

/// Identity of an emission whose name and tags are `'static` or interned, packed in
/// three words: the name's address with its length in the top 16 bits, the same for
/// the static tag list, and the interned tag-set id with the kind and outcome.
/// (User-space addresses fit in 48 bits on every 64-bit target we build for; a value
/// that does not fit simply gets no fast key.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FastKey([u64; 3]);

impl std::hash::Hash for FastKey {
    #[inline]
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for w in self.0 {
            state.write_u64(w);
        }
    }
}

impl FastKey {
    /// The three packed words.
    #[inline]
    pub(crate) fn words(&self) -> [u64; 3] {
        self.0
    }
}

#[inline]
fn pack(addr: usize, len: usize) -> Option<u64> {
    let (addr, len) = (addr as u64, len as u64);
    (addr >> 48 == 0 && len >> 16 == 0).then_some(addr | (len << 48))
}

/// FxHash (as in rustc): the fast-path keys are a handful of machine words chosen by
/// our own code (addresses of `'static` data), not attacker-controlled input, so a
/// multiply-rotate hash is safe here and several times cheaper than SipHash.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    #[inline]
    fn write_u8(&mut self, v: u8) {
        self.write_u64(u64::from(v));
    }
    #[inline]
    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }
    #[inline]
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
    #[inline]
    fn write_isize(&mut self, v: isize) {
        self.write_u64(v as u64);
    }
    #[inline]
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// The identity of an emission, when its name and tags have stable addresses: a
/// `'static` name, and no tags, `'static` tags or interned tags (plus static ones).
#[inline]
pub(crate) fn fast_key(e: &Emission) -> Option<FastKey> {
    let Cow::Borrowed(name) = &e.name else {
        return None;
    };
    let (bound, tags) = match &e.tags {
        TagsRepr::None => (u32::MAX, &[][..]),
        TagsRepr::Static(s) => (u32::MAX, *s),
        TagsRepr::Bound(id, s) => (*id, *s),
        _ => return None,
    };
    FastKey::from_parts(e.kind, e.outcome, name, bound, tags)
}

impl FastKey {
    /// The key of an emission with a `'static` name, static tags and (unless
    /// `u32::MAX`) an interned tag set.
    #[inline]
    pub(crate) fn from_parts(
        kind: Kind,
        outcome: Option<bool>,
        name: &'static str,
        bound: u32,
        tags: StaticTags,
    ) -> Option<FastKey> {
        let kind: u64 = match kind {
            Kind::Counter => 0,
            Kind::Gauge => 1,
            Kind::Timing => 2,
        };
        let outcome: u64 = match outcome {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        };
        Some(FastKey([
            pack(name.as_ptr() as usize, name.len())?,
            pack(tags.as_ptr() as usize, tags.len())?,
            u64::from(bound) | (kind << 32) | (outcome << 40),
        ]))
    }
}
