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
    /// Whether at least the right-most 7 bytes of the trace id are random: the W3C
    /// Level 2 `random-trace-id` flag (`trace-flags` bit `0x02`). Set for trace ids we
    /// generate ([`TraceId::random`]); carried unchanged, like the trace id, when a trace
    /// is continued. Absent in older serialized data, where it reads as `false`.
    #[serde(default)]
    pub random: bool,
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
    /// Empty members and optional whitespace around members are allowed. Keys follow the
    /// W3C Level 2 grammar (see `valid_key`): a lowercase letter or digit, then up to 255
    /// of `a-z 0-9 _ - * / @`. A key that appears again keeps only its leftmost entry
    /// (the most recent position, as vendors add and move their entries to the left); the
    /// later duplicates are discarded. Any invalid member, or more than 32 members
    /// (duplicates included), rejects the whole list. A valid list longer than 512 chars
    /// is truncated by whole entries (longest-first above 128 chars, then from the right).
    ///
    /// # Errors
    /// [`TraceError::Tracestate`] naming the rule broken.
    pub fn parse(header: &str) -> Result<Self, TraceError> {
        let mut members: Vec<(&str, &str)> = Vec::new();
        let mut received = 0_usize;
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
            received += 1;
            if received > TRACESTATE_MAX_MEMBERS {
                return Err(TraceError::Tracestate("has more than 32 members"));
            }
            // "Only one entry per key is allowed" is the sender's duty; a receiver "MAY
            // also discard duplicate keys" (W3C Level 2), which beats dropping the list.
            if !members.iter().any(|(k2, _)| *k2 == k) {
                members.push((k, v));
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

/// W3C Trace Context Level 2: `key = ( lcalpha / DIGIT ) 0*255 ( keychar )`,
/// `keychar = lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@"`. So a key may start with a
/// digit, and `@` may appear anywhere but first, any number of times (Level 1's
/// `tenant@system` shape is a special case).
fn valid_key(k: &str) -> bool {
    let b = k.as_bytes();
    (1..=256).contains(&b.len())
        && b.first()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && b.iter()
            .all(|c| matches!(c, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'*' | b'/' | b'@'))
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
            "FOO=1",
            "foo.bar=1",
            "foo =1",
            "@foo=1",
            "@=1",
            "_foo=1",
            "rojo",
            "rojo=",
            "rojo=a=b",
            "foo=,bar=3",
            "k=caf\u{e9}",
            "k=tab\tin",
            // A duplicate does not rescue an invalid member elsewhere.
            "a=1,a=2,B=3",
        ] {
            assert!(TraceState::parse(bad).is_err(), "{bad:?}");
        }
        let many: Vec<String> = (0..33).map(|i| format!("k{i}=v")).collect();
        assert!(TraceState::parse(&many.join(",")).is_err());
        let ok: Vec<String> = (0..32).map(|i| format!("k{i}=v")).collect();
        assert!(TraceState::parse(&ok.join(",")).is_ok());
    }

    /// W3C Trace Context Level 2, "Key": `key = ( lcalpha / DIGIT ) 0*255 ( keychar )`,
    /// `keychar = lcalpha / DIGIT / "_" / "-"/ "*" / "/" / "@"`: "A `key` MUST begin with
    /// a lowercase letter or a digit and contain up to 256 characters".
    #[test]
    fn level_2_key_grammar() {
        let accepted = [
            "1abc".to_owned(),
            "0".to_owned(),
            "a@1b".to_owned(),
            "a@bcdefghijklmnop".to_owned(),
            "fw529a3039@dt".to_owned(),
            "foo@".to_owned(),
            "foo@@bar".to_owned(),
            "foo@bar@baz".to_owned(),
            "9_-*/@x".to_owned(),
            "z".repeat(256),
            format!("{}@{}", "t".repeat(241), "v".repeat(14)),
            format!("{}@v", "t".repeat(242)),
            format!("t@{}", "v".repeat(15)),
        ];
        for key in &accepted {
            let ts = TraceState::parse(&format!("foo=1,{key}=2"))
                .unwrap_or_else(|e| unreachable!("{key:?}: {e}"));
            assert_eq!(ts.get(key), Some("2"), "{key:?}");
            assert_eq!(ts.get("foo"), Some("1"), "{key:?}");
            assert_eq!(ts.insert(key, "3").unwrap().get(key), Some("3"));
        }
        for key in ["z".repeat(257), "@vendor".to_owned(), "A1".to_owned()] {
            assert!(
                TraceState::parse(&format!("foo=1,{key}=2")).is_err(),
                "{key:?}"
            );
            assert!(TraceState::empty().insert(&key, "v").is_err(), "{key:?}");
        }
    }

    /// Level 2, "Combined Header Value": "Only one entry per key is allowed"; "Mutating
    /// the tracestate Field": "vendors MAY also discard duplicate keys that were not
    /// generated by them". We keep the list and the leftmost entry of each key.
    #[test]
    fn duplicate_keys_keep_the_leftmost_entry() {
        for (input, want) in [
            ("foo=1,foo=1", "foo=1"),
            ("foo=1,foo=2", "foo=1"),
            ("rojo=1,congo=2,rojo=3", "rojo=1,congo=2"),
            (
                "congo=ucfJifl5GOE, rojo=00f067aa0ba902b7 ,congo=t61rcWkgMzE",
                "congo=ucfJifl5GOE,rojo=00f067aa0ba902b7",
            ),
        ] {
            assert_eq!(TraceState::parse(input).unwrap().as_str(), want, "{input}");
        }
        // Duplicates still count toward the 32-member limit (`list-member 0*31(...)`).
        let mut many: Vec<String> = (0..32).map(|i| format!("k{i}=v")).collect();
        many.push("k0=again".to_owned());
        assert!(TraceState::parse(&many.join(",")).is_err());
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
