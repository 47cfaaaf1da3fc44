//! The `trace` module's error type.

/// Why a trace id, span id, header or payload setting was rejected.
///
/// Messages are lowercase, name the field at fault and never echo header values (they may
/// carry user data).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TraceError {
    /// A trace id was not 32 (or, where allowed, 16) lowercase hex digits.
    #[error("trace id must be 32 lowercase hex digits")]
    TraceIdFormat,
    /// A span id was not 16 lowercase hex digits.
    #[error("span id must be 16 lowercase hex digits")]
    SpanIdFormat,
    /// An id was all zeros, which the W3C spec reserves as invalid.
    #[error("{0} must not be all zeros")]
    ZeroId(&'static str),
    /// The traceparent header broke a rule of the W3C grammar.
    #[error("traceparent {0}")]
    Traceparent(&'static str),
    /// The tracestate header broke a rule of the W3C grammar.
    #[error("tracestate {0}")]
    Tracestate(&'static str),
    /// The x-trace-id header was none of the accepted shapes.
    #[error("x-trace-id must be 32 lowercase hex, a uuid or 16 lowercase hex")]
    XTraceId,
    /// The sample rate was not a finite number in `[0, 1]`.
    #[error("sample_rate must be a finite number in [0, 1]")]
    SampleRate,
    /// A Datadog payload setting was invalid.
    #[error("datadog {0}")]
    Datadog(&'static str),
}
