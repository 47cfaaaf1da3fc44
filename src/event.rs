//! Structured telemetry events: [`Event`], built with [`Telemetry::event`](crate::Telemetry::event)
//! into an [`EventBuilder`](crate::EventBuilder).
//!
//! An event says that one operation happened: which [`domain`](Event::domain) and
//! [`operation`](Event::operation), at what [`Level`], for which actor, session and
//! request, whether it succeeded, how long it took, with which error code, plus free
//! [`metadata`](Event::metadata). Events are records, not aggregates: each kept event
//! reaches every record-capable sink (stdout, memory, HTTP ingest) once.
//!
//! # Sampling, on the calling thread
//! [`EventBuilder::emit`](crate::EventBuilder::emit) asks the pipeline's [`SamplingPolicy`](crate::sampling::SamplingPolicy)
//! (set with [`ConfigBuilder::sampling`](crate::ConfigBuilder::sampling)): events below
//! the minimum level and events that lose the draw at their domain's or operation's
//! rate are dropped and counted (`telemetra.records.dropped{reason=below_min_level|sampled_out}`).
//! `ERROR` and `CRITICAL` are always kept. The decision is a rate lookup and one draw
//! from a per-thread generator, with no allocation. It is taken at
//! [`emit`](crate::EventBuilder::emit), with the final level and trace, whatever order the
//! setters came in. For high-volume events that are mostly sampled out,
//! [`decide`](crate::EventBuilder::decide) takes it early, so that a dropped event's metadata
//! is never even built:
//!
//! ```
//! # let t = telemetra::Telemetry::noop();
//! if let Some(e) = t.event("chat", "chat.typing").decide() {
//!     e.meta("chars", 12).emit();
//! }
//! ```
//!
//! An event in a trace is sampled from its trace id, consistently with the trace.
//!
//! # The `event.count` counter
//! Every kept event also adds `1 / rate` to the counter `event.count` tagged `domain`,
//! `operation`, `level`, `error_code` (`none` without one) and `success` (when known),
//! so that operation counts stay unbiased under sampling (the `StatsD` `@rate` rule).
//! Turn it off with [`ConfigBuilder::event_metrics`](crate::ConfigBuilder::event_metrics).
//!
//! # Scrubbing, on the flusher thread
//! Before any sink sees an event: the actor id is replaced by its keyed pseudonym
//! (always), metadata is scrubbed as JSON (nested values too), the message as free text,
//! the error code as a tag value. Session id, request id, operation and latency are kept.
//!
//! ```
//! # fn main() -> Result<(), telemetra::Error> {
//! use std::time::Duration;
//! use telemetra::{event::ActorType, sinks::MemorySink, Config, Level, Telemetry};
//!
//! let sink = MemorySink::new();
//! let t = Telemetry::start(Config::builder().sink(sink.clone()).build()?)?;
//! t.event("wallet", "wallet.spend")
//!     .level(Level::Warn)
//!     .actor(ActorType::User, "user-42")
//!     .request("req-7")
//!     .success(false)
//!     .error_code("INSUFFICIENT_FUNDS")
//!     .meta("amount", 12.5)
//!     .meta("email", "ann@example.com")
//!     .emit();
//! t.flush(Duration::from_secs(5))?;
//! let events = sink.events();
//! assert_eq!(events[0].metadata["email"], "[email]");
//! assert!(events[0].actor_id.as_deref().is_some_and(|id| id.starts_with("usr_")));
//! # Ok(()) }
//! ```

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::sampling::Level;
use crate::trace::{SpanId, TraceId};

/// Who performed an event's operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorType {
    /// An end user (the actor id is pseudonymised like any other).
    User,
    /// The system itself: a job, a worker, another service.
    System,
    /// A staff member acting through an admin tool.
    Admin,
}

/// One structured telemetry event, as record-capable sinks receive it (already scrubbed
/// and with its sample rate). Serialised with camel-case field names (`actorId`,
/// `latencyMs`, `errorCode`, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// When the event was emitted.
    pub timestamp: DateTime<Utc>,
    /// Product area: `chat`, `wallet`, `calls`, `ai`, `safety`, `support`, `growth`,
    /// `data_rights`, `fraud`, `infra`, or any other.
    pub domain: Cow<'static, str>,
    /// What happened, e.g. `chat.send`, `wallet.spend`, `safety.panic_press`.
    pub operation: Cow<'static, str>,
    /// Severity.
    pub level: Level,
    /// Who acted, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_type: Option<ActorType>,
    /// The actor's id; leaves the process only as a keyed pseudonym (`usr_…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    /// Session id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// Request id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Whether the operation succeeded, if it is one that can fail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// How long the operation took, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
    /// A short machine-readable error code, e.g. `INSUFFICIENT_FUNDS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<Cow<'static, str>>,
    /// A human-readable message (an error's text); scrubbed as free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Free metadata, a JSON object; scrubbed recursively.
    #[serde(default)]
    pub metadata: Value,
    /// The trace the event belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<TraceId>,
    /// The span the event belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span_id: Option<SpanId>,
    /// The probability the event had of being kept, in `(0, 1]`: it stands for
    /// `1 / sample_rate` events.
    pub sample_rate: f64,
}

impl Event {
    /// A new INFO event at the current time, with nothing but its domain and operation.
    #[must_use]
    pub fn new(
        domain: impl Into<Cow<'static, str>>,
        operation: impl Into<Cow<'static, str>>,
    ) -> Event {
        Event {
            timestamp: DateTime::<Utc>::UNIX_EPOCH,
            domain: domain.into(),
            operation: operation.into(),
            level: Level::Info,
            actor_type: None,
            actor_id: None,
            session_id: None,
            request_id: None,
            success: None,
            latency_ms: None,
            error_code: None,
            message: None,
            metadata: Value::Object(Map::new()),
            trace_id: None,
            span_id: None,
            sample_rate: 1.0,
        }
    }
}
