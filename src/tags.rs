//! Tags: the key/value labels attached to every series.
//!
//! Emission takes tags in whichever form the caller has them, borrowed for the length
//! of the call: literals (`&[("reason", "INSUFFICIENT_FUNDS")]`), values computed at
//! run time (`&[("route", route.as_str())]`), `String`s, [`Tag`]s (see [`IntoTags`]).
//! The emitting thread hashes the name and tags and finds its own cell for the series;
//! only the first emission of a series on a thread copies them. Tags known ahead of
//! time (a region, a service name) can be bound once in a
//! [`TaggedEmitter`](crate::TaggedEmitter).
//!
//! # What happens to bad tags
//! Tags are checked on the flusher thread, never on the caller's:
//! - a key longer than [`max_tag_key_len`](crate::ConfigBuilder::max_tag_key_len):
//!   truncated at a character boundary;
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

/// Tags as they are stored with a series' first emission (or a queued emission).
#[derive(Clone, Debug, Default)]
pub(crate) enum TagsRepr {
    /// No tags.
    #[default]
    None,
    /// Owned tags.
    Owned(Box<[Tag]>),
    /// Tags interned by a tagged emitter, plus per-call tags.
    BoundOwned(u32, Box<[Tag]>),
    /// Tags of a tagged emitter that could not be interned (the interner was full),
    /// plus per-call tags.
    Shared(Box<SharedTags>),
}

impl TagsRepr {
    /// Per-call tags joined to an emitter's bound tags.
    pub(crate) fn with_bound(bound: &BoundTags, call: Box<[Tag]>) -> TagsRepr {
        match bound {
            BoundTags::None if call.is_empty() => TagsRepr::None,
            BoundTags::None => TagsRepr::Owned(call),
            BoundTags::Interned(id) => TagsRepr::BoundOwned(*id, call),
            BoundTags::Shared(a) => TagsRepr::Shared(Box::new((Arc::clone(a), call))),
        }
    }
}

/// One key/value pair, in any of the forms tags come in: `(&str, &str)`,
/// `(&str, String)`, `(String, String)`, `(Cow<str>, …)` or a [`Tag`].
pub trait TagPair {
    /// The key and the value.
    fn pair(&self) -> (&str, &str);
}

impl<K: AsRef<str>, V: AsRef<str>> TagPair for (K, V) {
    #[inline]
    fn pair(&self) -> (&str, &str) {
        (self.0.as_ref(), self.1.as_ref())
    }
}

impl TagPair for Tag {
    #[inline]
    fn pair(&self) -> (&str, &str) {
        (&self.key, &self.value)
    }
}

/// Anything that can be passed as the tags of an emission: borrowed for the length of
/// the call, whatever its lifetime, and never copied on a series the thread has seen.
///
/// Implemented for:
/// - `()`: no tags;
/// - slices, arrays and `Vec`s of pairs, by value or by reference: `&[("k", "v")]`,
///   `&[("route", route.as_str())]` with a runtime `route: String`,
///   `&[(key, value)]` of `String`s, `vec![("status", status)]`;
/// - slices, arrays and `Vec`s of [`Tag`]s;
/// - references, `Box`es and `Arc`s of any of these.
///
/// ```
/// # fn main() -> Result<(), telemetra::Error> {
/// # let t = telemetra::Telemetry::start(telemetra::Config::builder().build()?)?;
/// let route = String::from("/users/:id"); // computed at run time
/// let status = 200.to_string();
/// t.incr("http.requests", &[("route", route.as_str()), ("status", status.as_str())]);
/// # Ok(()) }
/// ```
pub trait IntoTags {
    /// How many tags there are.
    fn tag_count(&self) -> usize;
    /// The `i`-th tag, in the caller's order.
    fn tag(&self, i: usize) -> Option<(&str, &str)>;
    /// Where the list lives (its first element's address), or 0 when unknown. Only a
    /// hint: the emit path uses it to guess the series a call site emitted to last
    /// and still compares every name, key and value before using that guess.
    #[doc(hidden)]
    #[inline]
    fn addr(&self) -> usize {
        0
    }
}

impl IntoTags for () {
    #[inline]
    fn tag_count(&self) -> usize {
        0
    }
    #[inline]
    fn tag(&self, _: usize) -> Option<(&str, &str)> {
        None
    }
    #[inline]
    fn addr(&self) -> usize {
        1
    }
}

impl<P: TagPair> IntoTags for [P] {
    #[inline]
    fn tag_count(&self) -> usize {
        self.len()
    }
    #[inline]
    fn tag(&self, i: usize) -> Option<(&str, &str)> {
        self.get(i).map(TagPair::pair)
    }
    #[inline]
    fn addr(&self) -> usize {
        self.as_ptr() as usize
    }
}

// Arrays by reference only (`&[("k", "v")]`): with a by-value impl too, clippy's
// `needless_borrows_for_generic_args` would flag the idiomatic borrowed literal.
impl<P: TagPair, const N: usize> IntoTags for &[P; N] {
    #[inline]
    fn tag_count(&self) -> usize {
        N
    }
    #[inline]
    fn tag(&self, i: usize) -> Option<(&str, &str)> {
        self.get(i).map(TagPair::pair)
    }
    #[inline]
    fn addr(&self) -> usize {
        self.as_ptr() as usize
    }
}

impl<P: TagPair> IntoTags for Vec<P> {
    #[inline]
    fn tag_count(&self) -> usize {
        self.len()
    }
    #[inline]
    fn tag(&self, i: usize) -> Option<(&str, &str)> {
        self.get(i).map(TagPair::pair)
    }
    #[inline]
    fn addr(&self) -> usize {
        self.as_ptr() as usize
    }
}

impl<T: IntoTags + ?Sized> IntoTags for &T {
    #[inline]
    fn tag_count(&self) -> usize {
        (**self).tag_count()
    }
    #[inline]
    fn tag(&self, i: usize) -> Option<(&str, &str)> {
        (**self).tag(i)
    }
    #[inline]
    fn addr(&self) -> usize {
        (**self).addr()
    }
}

impl<T: IntoTags + ?Sized> IntoTags for Box<T> {
    #[inline]
    fn tag_count(&self) -> usize {
        (**self).tag_count()
    }
    #[inline]
    fn tag(&self, i: usize) -> Option<(&str, &str)> {
        (**self).tag(i)
    }
    #[inline]
    fn addr(&self) -> usize {
        (**self).addr()
    }
}

impl<T: IntoTags + ?Sized> IntoTags for Arc<T> {
    #[inline]
    fn tag_count(&self) -> usize {
        (**self).tag_count()
    }
    #[inline]
    fn tag(&self, i: usize) -> Option<(&str, &str)> {
        (**self).tag(i)
    }
    #[inline]
    fn addr(&self) -> usize {
        (**self).addr()
    }
}

/// Copies borrowed tags into owned ones (a series' first emission, or a queued one).
pub(crate) fn to_owned_tags<T: IntoTags + ?Sized>(tags: &T, clip_at: usize) -> Box<[Tag]> {
    (0..tags.tag_count())
        .filter_map(|i| tags.tag(i))
        .map(|(k, v)| Tag::new(clip(k, clip_at).to_owned(), clip(v, clip_at).to_owned()))
        .collect()
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
#[inline]
pub(crate) fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut cut = max;
    while cut > 0 && !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.get(..cut).unwrap_or("")
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
    max_key_len: usize,
    max_value_len: usize,
    mut on_sanitize: impl FnMut(&'static str),
) -> Vec<Tag> {
    for t in &mut tags {
        if t.key.len() > max_key_len {
            t.key = Cow::Owned(clip(&t.key, max_key_len).to_owned());
            on_sanitize("key_truncated");
        }
    }
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
            t.value = Cow::Owned(clip(&t.value, max_value_len).to_owned());
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
            10,
            3,
            |r| reasons.push(r),
        );
        assert_eq!(out, tags(&[("a", "1"), ("b", "2"), ("c", "é")]));
        assert_eq!(reasons, vec!["empty_key", "value_truncated"]);
    }

    #[test]
    fn too_many_tags_are_cut_in_key_order() {
        let mut n = 0;
        let out = canonicalize(
            tags(&[("c", "3"), ("a", "1"), ("b", "2")]),
            2,
            10,
            10,
            |_| n += 1,
        );
        assert_eq!(out, tags(&[("a", "1"), ("b", "2")]));
        assert_eq!(n, 1);
    }
}
