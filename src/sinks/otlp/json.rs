//! Serializers for the generated types' OTLP/JSON form (see `proto.rs`): trace and span
//! ids as lowercase hex, as the OTLP specification requires (not base64, which the
//! protobuf JSON mapping would give), other bytes as base64.

use base64::Engine as _;
use serde::Serializer;

/// Bytes as lowercase hex.
pub(crate) fn hex<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(b & 0xf), 16).unwrap_or('0'));
    }
    s.serialize_str(&out)
}

/// Bytes as standard base64.
pub(crate) fn base64<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
}
