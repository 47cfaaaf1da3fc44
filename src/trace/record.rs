//! Plain data describing a finished span: [`SpanRecord`], [`Status`], [`AttrValue`].

use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{SpanContext, SpanId};

/// Most attributes a span keeps; later ones are counted in `dropped_attributes`.
pub const MAX_ATTRIBUTES: usize = 32;
/// Longest attribute key in bytes; longer keys drop the attribute.
pub const MAX_KEY_LEN: usize = 128;
/// Longest string attribute value (and error code) in bytes; longer ones are truncated
/// at a char boundary.
pub const MAX_VALUE_LEN: usize = 256;

/// An attribute value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttrValue {
    /// A string, at most [`MAX_VALUE_LEN`] bytes.
    Str(Cow<'static, str>),
    /// A signed integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
}

impl From<&'static str> for AttrValue {
    fn from(v: &'static str) -> Self {
        Self::Str(Cow::Borrowed(v))
    }
}
impl From<String> for AttrValue {
    fn from(v: String) -> Self {
        Self::Str(Cow::Owned(v))
    }
}
impl From<i64> for AttrValue {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}
impl From<f64> for AttrValue {
    fn from(v: f64) -> Self {
        Self::Float(v)
    }
}
impl From<bool> for AttrValue {
    fn from(v: bool) -> Self {
        Self::Bool(v)
    }
}

/// How the span's work ended.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Status {
    /// Success (the default until marked otherwise).
    #[default]
    Ok,
    /// Failure, with a short machine-readable code (`timeout`, `not_found`, …).
    Error {
        /// The error code; at most [`MAX_VALUE_LEN`] bytes.
        code: Cow<'static, str>,
    },
}

impl Status {
    /// Whether the status is [`Status::Ok`].
    #[must_use]
    pub fn is_ok(&self) -> bool {
        matches!(self, Self::Ok)
    }

    /// The error code, or `"none"` for success (the `error_code` tag value).
    #[must_use]
    pub fn error_code(&self) -> &str {
        match self {
            Self::Ok => "none",
            Self::Error { code } => code,
        }
    }
}

/// A finished span, handed to [`SpanExporter::on_end`](super::SpanExporter::on_end).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpanRecord {
    /// The span's name (also the timing metric's name).
    pub name: Cow<'static, str>,
    /// Trace id, span id, sampled flag and tracestate.
    pub context: SpanContext,
    /// The parent span, local or remote; `None` for a trace root.
    pub parent_span_id: Option<SpanId>,
    /// Wall-clock start, nanoseconds since the Unix epoch.
    pub start_unix_nanos: u64,
    /// Monotonic duration in nanoseconds (saturates at `u64::MAX`).
    pub duration_nanos: u64,
    /// Ok or error with a code.
    pub status: Status,
    /// Attributes in insertion order, keys unique.
    pub attributes: Vec<(Cow<'static, str>, AttrValue)>,
    /// Attributes refused by the count or key-size limits.
    pub dropped_attributes: u32,
}

/// The timing a finished span stands for: `<name>` in ms with tags `success` and
/// `error_code`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpanTiming<'a> {
    /// Metric name (the span name).
    pub name: &'a str,
    /// Duration in milliseconds.
    pub millis: f64,
    /// Tag `success`: `"true"` or `"false"`.
    pub success: &'static str,
    /// Tag `error_code`: the code, or `"none"`.
    pub error_code: &'a str,
}

impl SpanRecord {
    /// Wall-clock start.
    #[must_use]
    pub fn start(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_nanos(self.start_unix_nanos)
    }

    /// Monotonic duration.
    #[must_use]
    pub fn duration(&self) -> Duration {
        Duration::from_nanos(self.duration_nanos)
    }

    /// Whether the trace is recorded (children inherit the root's decision).
    #[must_use]
    pub fn sampled(&self) -> bool {
        self.context.sampled
    }

    /// The timing to emit for this span, whatever the sampling decision.
    #[must_use]
    pub fn timing(&self) -> SpanTiming<'_> {
        #[allow(clippy::cast_precision_loss)] // sub-ns precision loss above 2^53 ns is fine
        let millis = self.duration_nanos as f64 / 1e6;
        SpanTiming {
            name: &self.name,
            millis,
            success: if self.status.is_ok() { "true" } else { "false" },
            error_code: self.status.error_code(),
        }
    }

    /// The value of attribute `key`.
    #[must_use]
    pub fn attribute(&self, key: &str) -> Option<&AttrValue> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
}

/// Truncates `s` to at most `max` bytes at a char boundary.
pub(crate) fn truncate_cow(s: &mut Cow<'static, str>, max: usize) {
    if s.len() <= max {
        return;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    match s {
        Cow::Borrowed(b) => *b = b.get(..end).unwrap_or(""),
        Cow::Owned(o) => o.truncate(end),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn truncates_at_char_boundary() {
        let mut s: Cow<'static, str> = Cow::Owned("é".repeat(200));
        truncate_cow(&mut s, MAX_VALUE_LEN);
        assert_eq!(s.len(), 256);
        let mut b: Cow<'static, str> = Cow::Borrowed("aé");
        truncate_cow(&mut b, 2);
        assert_eq!(b, "a");
    }

    #[test]
    fn status_tags() {
        assert_eq!(Status::Ok.error_code(), "none");
        let e = Status::Error {
            code: "timeout".into(),
        };
        assert_eq!(e.error_code(), "timeout");
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"status":"error","code":"timeout"}"#
        );
    }
}
