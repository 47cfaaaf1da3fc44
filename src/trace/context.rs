//! [`SpanContext`] and the W3C [`TraceState`] list.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{SpanId, TraceError, TraceId};

/// Most list members a tracestate may carry (W3C).
pub const TRACESTATE_MAX_MEMBERS: usize = 32;
/// Length we keep and propagate; longer lists lose whole entries, > 128 chars first (W3C).
pub const TRACESTATE_MAX_LEN: usize = 512;

/// What identifies a span across process boundaries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanContext {
    /// The trace the span belongs to.
    pub trace_id: TraceId,
    /// The span itself (for a remote context: the caller's span, our parent).
    pub span_id: SpanId,
    /// Whether the trace is recorded; decided at the root and inherited.
    pub sampled: bool,
    /// Vendor state carried along unchanged (`tracestate`).
    #[serde(default)]
    pub trace_state: TraceState,
}

/// A validated W3C `tracestate` list, kept in canonical form (`k=v,k2=v2`, no spaces).
///
/// Cloning is cheap (one `Arc`); the empty list allocates nothing.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TraceState(Option<Arc<str>>);

impl TraceState {
    /// The empty list.
    #[must_use]
    pub const fn empty() -> Self {
        Self(None)
    }

    /// Parses a header value (repeated headers already joined with `,`).
    ///
    /// Empty members and optional whitespace around members are allowed. Any invalid
    /// member, a duplicated key or more than 32 members rejects the whole list. A valid
    /// list longer than 512 chars is truncated by whole entries (longest-first above
    /// 128 chars, then from the right).
    ///
    /// # Errors
    /// [`TraceError::Tracestate`] naming the rule broken.
    pub fn parse(header: &str) -> Result<Self, TraceError> {
        let mut members: Vec<(&str, &str)> = Vec::new();
        for raw in header.split(',') {
            let m = raw.trim_matches([' ', '\t']);
            if m.is_empty() {
                continue;
            }
            let (k, v) = m
                .split_once('=')
                .ok_or(TraceError::Tracestate("member lacks '='"))?;
            if !valid_key(k) {
                return Err(TraceError::Tracestate("key is invalid"));
            }
            if !valid_value(v) {
                return Err(TraceError::Tracestate("value is invalid"));
            }
            if members.iter().any(|(k2, _)| *k2 == k) {
                return Err(TraceError::Tracestate("key is duplicated"));
            }
            members.push((k, v));
            if members.len() > TRACESTATE_MAX_MEMBERS {
                return Err(TraceError::Tracestate("has more than 32 members"));
            }
        }
        Ok(Self::from_members(&members))
    }

    fn from_members(members: &[(&str, &str)]) -> Self {
        let entry_len = |(k, v): &(&str, &str)| k.len() + 1 + v.len();
        let total = |ms: &[(&str, &str)]| {
            ms.iter().map(entry_len).sum::<usize>() + ms.len().saturating_sub(1)
        };
        let mut kept: Vec<(&str, &str)> = members.to_vec();
        while total(&kept) > TRACESTATE_MAX_LEN {
            if let Some(pos) = kept.iter().position(|e| entry_len(e) > 128) {
                kept.remove(pos);
            } else {
                kept.pop();
            }
        }
        if kept.is_empty() {
            return Self(None);
        }
        let mut s = String::with_capacity(total(&kept));
        for (i, (k, v)) in kept.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.push_str(k);
            s.push('=');
            s.push_str(v);
        }
        Self(Some(Arc::from(s)))
    }

    /// The canonical header value; empty for the empty list.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.0.as_deref().unwrap_or("")
    }

    /// Whether the list has no members.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The members, newest (leftmost) first.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.as_str().split(',').filter_map(|m| m.split_once('='))
    }

    /// The value for `key`, if present.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// A new list with `key=value` moved to the front (as a vendor updating its entry
    /// does), dropping an older entry for `key` and the rightmost entry beyond 32.
    ///
    /// # Errors
    /// [`TraceError::Tracestate`] when `key` or `value` is invalid.
    pub fn insert(&self, key: &str, value: &str) -> Result<Self, TraceError> {
        if !valid_key(key) {
            return Err(TraceError::Tracestate("key is invalid"));
        }
        if !valid_value(value) {
            return Err(TraceError::Tracestate("value is invalid"));
        }
        let mut members = vec![(key, value)];
        members.extend(self.iter().filter(|(k, _)| *k != key));
        members.truncate(TRACESTATE_MAX_MEMBERS);
        Ok(Self::from_members(&members))
    }
}

/// `simple-key = lcalpha 0*255(lcalpha / DIGIT / "_" / "-"/ "*" / "/")`, or
/// `tenant-id "@" system-id` with `tenant-id = (lcalpha / DIGIT) 0*240(...)` and
/// `system-id = lcalpha 0*13(...)`.
fn valid_key(k: &str) -> bool {
    let body = |s: &str| {
        s.bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'*' | b'/'))
    };
    match k.split_once('@') {
        None => {
            (1..=256).contains(&k.len())
                && k.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
                && body(k)
        }
        Some((tenant, system)) => {
            (1..=241).contains(&tenant.len())
                && (1..=14).contains(&system.len())
                && tenant
                    .as_bytes()
                    .first()
                    .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                && system
                    .as_bytes()
                    .first()
                    .is_some_and(u8::is_ascii_lowercase)
                && body(tenant)
                && body(system)
        }
    }
}

/// `value = 0*255(chr) nblk-chr`; `chr = %x20 / nblk-chr`;
/// `nblk-chr = %x21-2B / %x2D-3C / %x3E-7E`.
fn valid_value(v: &str) -> bool {
    (1..=256).contains(&v.len())
        && v.bytes()
            .all(|b| matches!(b, 0x20..=0x2B | 0x2D..=0x3C | 0x3E..=0x7E))
        && !v.ends_with(' ')
}

impl fmt::Debug for TraceState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Vendor values are opaque and may identify users: show only the keys.
        f.debug_list().entries(self.iter().map(|(k, _)| k)).finish()
    }
}

impl Serialize for TraceState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TraceState {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn canonicalises_and_round_trips() {
        let ts = TraceState::parse(" rojo=00f067aa0ba902b7 ,, congo=t61rcWkgMzE\t").unwrap();
        assert_eq!(ts.as_str(), "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
        assert_eq!(TraceState::parse(ts.as_str()).unwrap(), ts);
        assert_eq!(ts.get("congo"), Some("t61rcWkgMzE"));
        assert!(TraceState::parse("").unwrap().is_empty());
        assert!(TraceState::parse("tenant@vendor=opaque,dd=s:1;o:rum").is_ok());
    }

    #[test]
    fn rejects_whole_list() {
        for bad in [
            "Rojo=1",
            "rojo=1,rojo=2",
            "rojo",
            "rojo=",
            "rojo=a=b",
            "1abc=x",
            "a@=x",
            "a@1b=x",
            "a@bcdefghijklmnop=x",
            "k=caf\u{e9}",
            "k=tab\tin",
        ] {
            assert!(TraceState::parse(bad).is_err(), "{bad:?}");
        }
        let many: Vec<String> = (0..33).map(|i| format!("k{i}=v")).collect();
        assert!(TraceState::parse(&many.join(",")).is_err());
        let ok: Vec<String> = (0..32).map(|i| format!("k{i}=v")).collect();
        assert!(TraceState::parse(&ok.join(",")).is_ok());
    }

    #[test]
    fn truncates_long_lists_by_whole_entries() {
        let long = format!("big={}", "x".repeat(200));
        let mut members = vec!["a=1".to_owned(), long];
        members.extend((0..20).map(|i| format!("k{i}={}", "y".repeat(20))));
        let ts = TraceState::parse(&members.join(",")).unwrap();
        assert!(ts.as_str().len() <= TRACESTATE_MAX_LEN);
        assert!(ts.get("big").is_none());
        assert_eq!(ts.get("a"), Some("1"));
    }

    #[test]
    fn insert_moves_key_to_front() {
        let ts = TraceState::parse("a=1,b=2").unwrap();
        assert_eq!(ts.insert("b", "3").unwrap().as_str(), "b=3,a=1");
        assert!(ts.insert("B", "3").is_err());
    }

    #[test]
    fn debug_hides_values() {
        let ts = TraceState::parse("a=secret").unwrap();
        assert!(!format!("{ts:?}").contains("secret"));
    }
}
