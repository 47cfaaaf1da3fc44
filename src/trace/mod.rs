//! Distributed tracing: ids, spans, context propagation and Datadog APM encoding.
//!
//! A [`Tracer`] starts spans; a [`Span`] times a unit of work and, when it ends (by
//! [`Span::end`] or by drop), hands a plain-data [`SpanRecord`] to the tracer's
//! [`SpanExporter`]. The exporter (the pipeline) turns each record into a timing
//! `<name>` in ms tagged `success` and `error_code` ([`SpanRecord::timing`]) and buffers
//! sampled records for record-capable sinks, such as the Datadog APM encoder in
//! [`datadog`].
//!
//! Sampling is decided once per trace, at its root, from the trace id ([`Sampler`]), and
//! travels in the `sampled` flag: a trace is recorded whole or not at all.
//!
//! Context crosses process boundaries as W3C `traceparent`/`tracestate` and our
//! `x-trace-id` header ([`propagation`]). See `docs/tracing.md` for the decisions.
//!
//! ```
//! use std::collections::HashMap;
//! use telemetra::trace::{Tracer, propagation};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let tracer = Tracer::builder().sample_rate(0.5).build()?;
//! let incoming: HashMap<String, String> = HashMap::new();
//! let server = tracer.span_from_headers(&incoming, "http.request");
//! let n = server.in_child("db.query", |span| {
//!     span.set_attribute("db.rows", 3_i64);
//!     let mut outgoing: Vec<(String, String)> = Vec::new();
//!     span.inject(&mut outgoing);
//!     Ok::<_, std::io::Error>(outgoing.len())
//! })?;
//! assert_eq!(n, 2); // traceparent + x-trace-id
//! # Ok(())
//! # }
//! ```

mod context;
pub mod current;
pub mod datadog;
mod error;
mod id;
pub mod propagation;
mod record;
mod rng;
mod sampling;
mod span;
mod tracer;

pub use context::{SpanContext, TraceState, TRACESTATE_MAX_LEN, TRACESTATE_MAX_MEMBERS};
pub use current::{current, ContextGuard, FutureExt, InContext};
pub use error::TraceError;
pub use id::{SpanId, TraceId};
pub use record::{
    AttrValue, SpanRecord, SpanTiming, Status, MAX_ATTRIBUTES, MAX_KEY_LEN, MAX_VALUE_LEN,
};
pub use sampling::{trace_sampled, Sampler};
pub use span::{ErrorCode, Span};
pub use tracer::{SpanExporter, Tracer, TracerBuilder};
