//! Reading and writing header collections: plain maps, pair lists and iterators, and,
//! with the `http-types` feature, `http::HeaderMap`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasher;

/// Reads a header by name.
pub trait HeaderGet {
    /// Every value of header `name` (ASCII case-insensitive), joined with `,` in the
    /// collection's order; `None` when absent (or, for `http::HeaderMap`, when a value is
    /// not visible ASCII).
    fn header(&self, name: &str) -> Option<Cow<'_, str>>;
}

/// Writes a header.
pub trait HeaderSet {
    /// Replaces every header named `name` (ASCII case-insensitive) with one `name: value`.
    fn set_header(&mut self, name: &str, value: String);
}

/// Joins the values of all pairs whose name matches, borrowing when there is one.
pub(crate) fn join_matching<'a>(
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
    name: &str,
) -> Option<Cow<'a, str>> {
    join(
        pairs
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v),
    )
}

/// Joins repeated fields with `,` in order (RFC 9110 section 5.3), borrowing when there is
/// only one; `None` when there is none.
fn join<'a>(values: impl Iterator<Item = &'a str>) -> Option<Cow<'a, str>> {
    values.fold(None, |out, v| {
        Some(match out {
            None => Cow::Borrowed(v),
            Some(prev) => {
                let mut s = prev.into_owned();
                s.push(',');
                s.push_str(v);
                Cow::Owned(s)
            }
        })
    })
}

/// Adapts an iterator of `(&str, &str)` pairs (cloned for each look-up) to [`HeaderGet`]:
/// `HeaderPairs(req.headers().iter().map(|(k, v)| (k.as_str(), v.as_str())))`.
#[derive(Clone, Debug)]
pub struct HeaderPairs<I>(pub I);

impl<'a, I> HeaderGet for HeaderPairs<I>
where
    I: Iterator<Item = (&'a str, &'a str)> + Clone,
{
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        // The pairs' lifetime is not tied to `&self`, so the value is copied out.
        join_matching(self.0.clone(), name).map(|c| Cow::Owned(c.into_owned()))
    }
}

impl<S: BuildHasher> HeaderGet for HashMap<String, String, S> {
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        join_matching(self.iter().map(|(k, v)| (k.as_str(), v.as_str())), name)
    }
}

impl HeaderGet for [(String, String)] {
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        join_matching(self.iter().map(|(k, v)| (k.as_str(), v.as_str())), name)
    }
}

impl HeaderGet for Vec<(String, String)> {
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        self.as_slice().header(name)
    }
}

impl HeaderGet for [(&str, &str)] {
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        join_matching(self.iter().copied(), name)
    }
}

impl HeaderGet for Vec<(&str, &str)> {
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        self.as_slice().header(name)
    }
}

impl<T: HeaderGet + ?Sized> HeaderGet for &T {
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        (**self).header(name)
    }
}

impl<S: BuildHasher> HeaderSet for HashMap<String, String, S> {
    fn set_header(&mut self, name: &str, value: String) {
        self.retain(|k, _| !k.eq_ignore_ascii_case(name));
        self.insert(name.to_owned(), value);
    }
}

impl HeaderSet for Vec<(String, String)> {
    fn set_header(&mut self, name: &str, value: String) {
        self.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.push((name.to_owned(), value));
    }
}

impl<T: HeaderSet + ?Sized> HeaderSet for &mut T {
    fn set_header(&mut self, name: &str, value: String) {
        (**self).set_header(name, value);
    }
}

/// Reads `http::HeaderMap` (feature `http-types`). Names are case-insensitive (the map
/// stores them lowercase); repeated fields are joined with `,` in order, as the W3C spec
/// requires for `tracestate` (RFC 9110 section 5.3). A field that is not visible ASCII
/// (`HeaderValue::to_str` fails) could be valid in none of the formats read here, so the
/// header is then treated as absent, as a whole: skipping just that field could let one
/// of two `traceparent` fields through, or keep half of a `tracestate` that another
/// container would reject.
#[cfg(feature = "http-types")]
impl HeaderGet for http::HeaderMap {
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        let values = self.get_all(name);
        if values.iter().any(|v| v.to_str().is_err()) {
            return None;
        }
        join(values.iter().filter_map(|v| v.to_str().ok()))
    }
}

/// Writes `http::HeaderMap` (feature `http-types`): replaces every field named `name`
/// with one. Never panics: a name or value that `http` rejects is not written (the old
/// fields are still removed, so a stale context never survives), nor is a field beyond
/// the map's size limit.
#[cfg(feature = "http-types")]
impl HeaderSet for http::HeaderMap {
    fn set_header(&mut self, name: &str, value: String) {
        let Ok(name) = http::header::HeaderName::from_bytes(name.as_bytes()) else {
            return;
        };
        // Removing first also frees the slot the new value takes.
        self.remove(&name);
        if let Ok(value) = http::HeaderValue::try_from(value) {
            // Fails only when the map is at its size limit: drop rather than panic.
            let _ = self.try_insert(name, value);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_and_joined() {
        let v = vec![
            ("TraceState".to_owned(), "a=1".to_owned()),
            ("other".to_owned(), "x".to_owned()),
            ("tracestate".to_owned(), "b=2".to_owned()),
        ];
        assert_eq!(v.header("tracestate").unwrap(), "a=1,b=2");
        assert_eq!(v.header("TRACESTATE").unwrap(), "a=1,b=2");
        assert!(v.header("traceparent").is_none());
        let pairs = [("X-Trace-Id", "abc")];
        assert_eq!(pairs.as_slice().header("x-trace-id").unwrap(), "abc");
        let it = HeaderPairs(pairs.iter().copied());
        assert_eq!(it.header("x-trace-id").unwrap(), "abc");
        assert_eq!(it.header("x-trace-id").unwrap(), "abc");
    }

    #[test]
    fn set_replaces_all_spellings() {
        let mut m = HashMap::new();
        m.insert("TraceParent".to_owned(), "old".to_owned());
        m.set_header("traceparent", "new".to_owned());
        assert_eq!(m.len(), 1);
        assert_eq!(m.header("traceparent").unwrap(), "new");
        let mut v = vec![("TRACEPARENT".to_owned(), "old".to_owned())];
        v.set_header("traceparent", "new".to_owned());
        assert_eq!(v, vec![("traceparent".to_owned(), "new".to_owned())]);
    }
}
