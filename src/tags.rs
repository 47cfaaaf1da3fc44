//! Tags: the key/value labels attached to every series.
//!
//! Emission takes tags in whichever form the caller has them, and the cheapest form is
//! the one that needs nothing at all at run time: a `&'static` slice of `&'static str`
//! pairs, which a literal such as `&[("reason", "INSUFFICIENT_FUNDS")]` already is
//! (Rust promotes constant array literals to `'static`). Such tags travel through the
//! pipeline as a pointer; nothing is copied, hashed or allocated on the calling thread.
//!
//! Owned tags (`Vec<(K, V)>` of `String`s or `Tag`s) are accepted too and cost one
//! allocation per emission. Tags that are known ahead of time but only at run time
//! (a region, a service name) belong in a [`TaggedEmitter`](crate::TaggedEmitter),
//! which interns them once and then emits as cheaply as static tags.
//!
//! # What happens to bad tags
//! Tags are checked on the flusher thread, never on the caller's:
//! - an empty key: the tag is removed;
//! - a repeated key: the last value wins (per-call tags override pre-bound ones);
//! - a value longer than [`max_tag_value_len`](crate::ConfigBuilder::max_tag_value_len):
//!   truncated at a character boundary;
//! - more than [`max_tags`](crate::ConfigBuilder::max_tags) tags: the extra ones
//!   (in key order) are removed.
//!
//! Each of these is counted under `telemetra.tags.sanitized{reason=…}`.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// A string that is either `'static` (borrowed, free to pass around) or owned.
pub type Str = Cow<'static, str>;

/// One tag: a key and a value.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Tag {
    /// The tag key, e.g. `reason`.
    pub key: Str,
    /// The tag value, e.g. `INSUFFICIENT_FUNDS`.
    pub value: Str,
}

impl Tag {
    /// Makes a tag from anything string-like; `&'static str` is not copied.
    ///
    /// ```
    /// let t = telemetra::Tag::new("region", String::from("eu-west-1"));
    /// assert_eq!(t.to_string(), "region:eu-west-1");
    /// ```
    pub fn new(key: impl Into<Str>, value: impl Into<Str>) -> Self {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={:?}", self.key, self.value)
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.key, self.value)
    }
}

/// A static tag list: what a literal `&[("k", "v")]` is.
pub type StaticTags = &'static [(&'static str, &'static str)];

/// A tagged emitter's shared (not interned) tags and a call's own tags.
pub(crate) type SharedTags = (Arc<[Tag]>, Box<[Tag]>);

/// Tags as they travel from the emitting thread to the flusher.
///
/// Kept small (the largest variant is a `u32` plus a fat pointer) because every
/// emission carries one.
#[derive(Clone, Debug, Default)]
pub(crate) enum TagsRepr {
    /// No tags.
    #[default]
    None,
    /// A `'static` list: passed as a pointer.
    Static(StaticTags),
    /// Owned tags: one allocation.
    Owned(Box<[Tag]>),
    /// Tags interned by a tagged emitter, plus per-call static tags.
    Bound(u32, StaticTags),
    /// Tags interned by a tagged emitter, plus per-call owned tags.
    BoundOwned(u32, Box<[Tag]>),
    /// Tags of a tagged emitter that could not be interned (the interner was full),
    /// plus per-call tags. Boxed to keep every emission small: this is the rare path.
    Shared(Box<SharedTags>),
}

/// Anything that can be passed as the tags of an emission.
///
/// Implemented for:
/// - `()`: no tags;
/// - `&'static [(&'static str, &'static str)]` and `&'static [_; N]`: zero-copy (a
///   literal `&[("k", "v")]`);
///
/// Arrays by value are deliberately not accepted: `[("k", "v")]` would have to be
/// copied into an allocation, while the borrowed literal `&[("k", "v")]` costs nothing.
/// - `Vec<(K, V)>` where `K`, `V` convert into [`Str`] (owned `String`s or
///   `&'static str`): one allocation;
/// - `Vec<Tag>`, `&[Tag]`: one allocation.
pub trait IntoTags {
    /// Converts into the internal representation.
    #[doc(hidden)]
    fn into_tags(self) -> TagsArg;
}

/// The opaque result of [`IntoTags`]: either a static list or owned tags.
#[doc(hidden)]
#[derive(Debug)]
pub struct TagsArg(pub(crate) TagsInner);

#[derive(Debug)]
pub(crate) enum TagsInner {
    None,
    Static(StaticTags),
    Owned(Box<[Tag]>),
}

impl IntoTags for () {
    #[inline]
    fn into_tags(self) -> TagsArg {
        TagsArg(TagsInner::None)
    }
}

impl IntoTags for &'static [(&'static str, &'static str)] {
    #[inline]
    fn into_tags(self) -> TagsArg {
        if self.is_empty() {
            TagsArg(TagsInner::None)
        } else {
            TagsArg(TagsInner::Static(self))
        }
    }
}

impl<const N: usize> IntoTags for &'static [(&'static str, &'static str); N] {
    #[inline]
    fn into_tags(self) -> TagsArg {
        (self as &'static [(&'static str, &'static str)]).into_tags()
    }
}

impl<K: Into<Str>, V: Into<Str>> IntoTags for Vec<(K, V)> {
    fn into_tags(self) -> TagsArg {
        owned(self.into_iter().map(|(k, v)| Tag::new(k, v)).collect())
    }
}

impl IntoTags for Vec<Tag> {
    fn into_tags(self) -> TagsArg {
        owned(self.into_boxed_slice())
    }
}

impl IntoTags for &[Tag] {
    fn into_tags(self) -> TagsArg {
        owned(self.into())
    }
}

impl IntoTags for TagsArg {
    #[inline]
    fn into_tags(self) -> TagsArg {
        self
    }
}

fn owned(tags: Box<[Tag]>) -> TagsArg {
    if tags.is_empty() {
        TagsArg(TagsInner::None)
    } else {
        TagsArg(TagsInner::Owned(tags))
    }
}

impl TagsInner {
    /// Combines per-call tags with a tagged emitter's bound tags.
    #[inline]
    pub(crate) fn with_bound(self, bound: &BoundTags) -> TagsRepr {
        match (bound, self) {
            (BoundTags::None, TagsInner::None) => TagsRepr::None,
            (BoundTags::None, TagsInner::Static(s)) => TagsRepr::Static(s),
            (BoundTags::None, TagsInner::Owned(o)) => TagsRepr::Owned(o),
            (BoundTags::Interned(id), TagsInner::None) => TagsRepr::Bound(*id, &[]),
            (BoundTags::Interned(id), TagsInner::Static(s)) => TagsRepr::Bound(*id, s),
            (BoundTags::Interned(id), TagsInner::Owned(o)) => TagsRepr::BoundOwned(*id, o),
            (BoundTags::Shared(a), TagsInner::None) => {
                TagsRepr::Shared(Box::new((a.clone(), Box::new([]))))
            }
            (BoundTags::Shared(a), TagsInner::Static(s)) => TagsRepr::Shared(Box::new((
                a.clone(),
                s.iter().map(|(k, v)| Tag::new(*k, *v)).collect(),
            ))),
            (BoundTags::Shared(a), TagsInner::Owned(o)) => {
                TagsRepr::Shared(Box::new((a.clone(), o)))
            }
        }
    }
}

/// The pre-bound tags of an emitter.
#[derive(Clone, Debug, Default)]
pub(crate) enum BoundTags {
    /// A plain handle.
    #[default]
    None,
    /// Interned: emissions carry only the id.
    Interned(u32),
    /// Not interned because the interner is full: emissions share the list.
    Shared(Arc<[Tag]>),
}

/// Sorts tags by key, applies the sanitising rules and reports what it changed.
pub(crate) fn canonicalize(
    mut tags: Vec<Tag>,
    max_tags: usize,
    max_value_len: usize,
    mut on_sanitize: impl FnMut(&'static str),
) -> Vec<Tag> {
    if tags.iter().any(|t| t.key.is_empty()) {
        tags.retain(|t| {
            let keep = !t.key.is_empty();
            if !keep {
                on_sanitize("empty_key");
            }
            keep
        });
    }
    // Stable sort keeps insertion order among equal keys, so "last wins" below keeps
    // the later tag: per-call tags come after bound tags.
    tags.sort_by(|a, b| a.key.cmp(&b.key));
    let mut out: Vec<Tag> = Vec::with_capacity(tags.len());
    for t in tags {
        match out.last_mut() {
            Some(last) if last.key == t.key => {
                *last = t;
            }
            _ => out.push(t),
        }
    }
    for t in &mut out {
        if t.value.len() > max_value_len {
            let mut cut = max_value_len;
            while cut > 0 && !t.value.is_char_boundary(cut) {
                cut -= 1;
            }
            let truncated = t.value.get(..cut).unwrap_or("").to_owned();
            t.value = Cow::Owned(truncated);
            on_sanitize("value_truncated");
        }
    }
    if out.len() > max_tags {
        for _ in max_tags..out.len() {
            on_sanitize("too_many");
        }
        out.truncate(max_tags);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&'static str, &'static str)]) -> Vec<Tag> {
        pairs.iter().map(|(k, v)| Tag::new(*k, *v)).collect()
    }

    #[test]
    fn canonical_form_sorts_dedups_and_sanitises() {
        let mut reasons = Vec::new();
        let out = canonicalize(
            tags(&[("b", "1"), ("", "x"), ("a", "1"), ("b", "2"), ("c", "ééé")]),
            8,
            3,
            |r| reasons.push(r),
        );
        assert_eq!(out, tags(&[("a", "1"), ("b", "2"), ("c", "é")]));
        assert_eq!(reasons, vec!["empty_key", "value_truncated"]);
    }

    #[test]
    fn too_many_tags_are_cut_in_key_order() {
        let mut n = 0;
        let out = canonicalize(tags(&[("c", "3"), ("a", "1"), ("b", "2")]), 2, 10, |_| {
            n += 1
        });
        assert_eq!(out, tags(&[("a", "1"), ("b", "2")]));
        assert_eq!(n, 1);
    }
}
