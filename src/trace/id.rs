//! Trace and span identifiers.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::rng;
use super::TraceError;

/// A 128-bit trace id, never all zeros. Shown as 32 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TraceId(u128);

/// A 64-bit span id, never all zeros. Shown as 16 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SpanId(u64);

impl TraceId {
    /// A fresh random trace id from this thread's generator.
    #[must_use]
    pub fn random() -> Self {
        Self(rng::nonzero_u128())
    }

    /// Wraps a raw value; `None` for zero.
    #[must_use]
    pub const fn from_u128(v: u128) -> Option<Self> {
        if v == 0 {
            None
        } else {
            Some(Self(v))
        }
    }

    /// The raw 128-bit value.
    #[must_use]
    pub const fn to_u128(self) -> u128 {
        self.0
    }

    /// The low 64 bits (Datadog's `trace_id`, and what sampling compares).
    #[must_use]
    pub const fn low64(self) -> u64 {
        #[allow(clippy::cast_possible_truncation)] // truncation is the point
        let low = self.0 as u64;
        low
    }

    /// The high 64 bits (Datadog's `_dd.p.tid`).
    #[must_use]
    pub const fn high64(self) -> u64 {
        #[allow(clippy::cast_possible_truncation)] // the shift leaves 64 bits
        let high = (self.0 >> 64) as u64;
        high
    }

    /// Parses exactly 32 lowercase hex digits.
    ///
    /// # Errors
    /// [`TraceError::TraceIdFormat`] for any other shape, [`TraceError::ZeroId`] for zero.
    pub fn from_hex(s: &str) -> Result<Self, TraceError> {
        if s.len() != 32 {
            return Err(TraceError::TraceIdFormat);
        }
        let v = parse_lower_hex(s).ok_or(TraceError::TraceIdFormat)?;
        Self::from_u128(v).ok_or(TraceError::ZeroId("trace id"))
    }
}

impl SpanId {
    /// A fresh random span id from this thread's generator.
    #[must_use]
    pub fn random() -> Self {
        Self(rng::nonzero_u64())
    }

    /// Wraps a raw value; `None` for zero.
    #[must_use]
    pub const fn from_u64(v: u64) -> Option<Self> {
        if v == 0 {
            None
        } else {
            Some(Self(v))
        }
    }

    /// The raw 64-bit value.
    #[must_use]
    pub const fn to_u64(self) -> u64 {
        self.0
    }

    /// Parses exactly 16 lowercase hex digits.
    ///
    /// # Errors
    /// [`TraceError::SpanIdFormat`] for any other shape, [`TraceError::ZeroId`] for zero.
    pub fn from_hex(s: &str) -> Result<Self, TraceError> {
        if s.len() != 16 {
            return Err(TraceError::SpanIdFormat);
        }
        let v = parse_lower_hex(s).ok_or(TraceError::SpanIdFormat)?;
        #[allow(clippy::cast_possible_truncation)] // 16 hex digits fit in 64 bits
        Self::from_u64(v as u64).ok_or(TraceError::ZeroId("span id"))
    }
}

/// Parses up to 32 lowercase hex digits; `None` on any other byte or an empty string.
pub(crate) fn parse_lower_hex(s: &str) -> Option<u128> {
    if s.is_empty() || s.len() > 32 {
        return None;
    }
    let mut v: u128 = 0;
    for b in s.bytes() {
        let d = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        v = (v << 4) | u128::from(d);
    }
    Some(v)
}

impl fmt::Display for TraceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl fmt::Debug for TraceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TraceId({self})")
    }
}

impl fmt::Display for SpanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Debug for SpanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SpanId({self})")
    }
}

impl Serialize for TraceId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TraceId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::from_hex(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for SpanId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SpanId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::from_hex(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let t = TraceId::random();
        assert_eq!(TraceId::from_hex(&t.to_string()).unwrap(), t);
        let s = SpanId::random();
        assert_eq!(SpanId::from_hex(&s.to_string()).unwrap(), s);
        assert_eq!(
            TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736")
                .unwrap()
                .high64(),
            0x4bf9_2f35_77b3_4da6
        );
    }

    #[test]
    fn rejects_bad_hex() {
        assert_eq!(
            TraceId::from_hex(&"0".repeat(32)),
            Err(TraceError::ZeroId("trace id"))
        );
        assert_eq!(
            SpanId::from_hex(&"0".repeat(16)),
            Err(TraceError::ZeroId("span id"))
        );
        assert!(TraceId::from_hex("4BF92F3577B34DA6A3CE929D0E0E4736").is_err());
        assert!(SpanId::from_hex("00f067aa0ba902b").is_err());
        assert!(SpanId::from_hex("00f067aa0ba902bg").is_err());
        assert!(SpanId::from_hex("+0f067aa0ba902b7").is_err());
    }

    #[test]
    fn serde_as_hex_strings() {
        let s = SpanId::from_u64(0xab).unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"00000000000000ab\"");
        let back: SpanId = serde_json::from_str("\"00000000000000ab\"").unwrap();
        assert_eq!(back, s);
    }
}
