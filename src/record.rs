//! [`Record`]: what record-capable sinks receive — finished spans and telemetry events.
//!
//! Metrics are aggregates: a sink sees cumulative snapshots. Spans and events are
//! records: each one reaches every record-capable sink once, already scrubbed of PII,
//! through a bounded per-sink buffer (see `docs/events.md`).

use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::trace::SpanRecord;

/// One record on its way to the sinks that accept records
/// ([`Sink::accepts_records`](crate::sinks::Sink::accepts_records)).
///
/// Serialised with a `record` tag naming the variant, the other fields beside it:
///
/// ```text
/// {"record":"event","domain":"chat","operation":"chat.send","level":"INFO",...}
/// {"record":"span","name":"billing.charge","context":{"trace_id":"4bf9…",...},...}
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "lowercase")]
pub enum Record {
    /// A finished, sampled span.
    Span(SpanRecord),
    /// A telemetry event kept by the sampling policy.
    Event(Event),
}

impl Record {
    /// The event, if this record is one.
    #[must_use]
    pub fn as_event(&self) -> Option<&Event> {
        match self {
            Record::Event(e) => Some(e),
            Record::Span(_) => None,
        }
    }

    /// The span, if this record is one.
    #[must_use]
    pub fn as_span(&self) -> Option<&SpanRecord> {
        match self {
            Record::Span(s) => Some(s),
            Record::Event(_) => None,
        }
    }
}
