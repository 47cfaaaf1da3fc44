//! Sinks: where snapshots go.
//!
//! A sink implements [`Sink`]. The pipeline gives every sink its own worker thread
//! with a one-slot "latest snapshot" mailbox: a slow, failing, hung or panicking sink
//! skips intermediate snapshots (harmless, they are cumulative) and never delays the
//! flusher, another sink or the emitters.
//!
//! Each export hands the sink the new snapshot *and* the last snapshot this sink
//! delivered successfully ([`Export::previous`]). Cumulative sinks ignore the latter;
//! delta sinks use [`Export::deltas`]. When `export` returns an error the cursor stays
//! put, so the next export's deltas include everything the failed one carried.
//!
//! A sink that also wants events and spans says so with [`Sink::accepts_records`] and
//! receives them, already scrubbed, through [`Sink::export_records`] on the same
//! worker thread, from a bounded buffer of its own
//! ([`record_buffer`](crate::ConfigBuilder::record_buffer); full: the oldest are
//! dropped and counted).
//!
//! ```
//! use telemetra::sinks::{Export, Sink, SinkError};
//!
//! #[derive(Debug)]
//! struct CountLines(usize);
//!
//! impl Sink for CountLines {
//!     fn name(&self) -> &str { "count-lines" }
//!     fn export(&mut self, export: &Export<'_>) -> Result<(), SinkError> {
//!         self.0 += export.deltas().filter(|d| d.changed()).count();
//!         Ok(())
//!     }
//! }
//! ```

mod memory;
mod noop;
mod stdout;

#[cfg(any(feature = "datadog", feature = "dogstatsd"))]
mod cursor;
#[cfg(any(feature = "datadog", feature = "dogstatsd"))]
mod dd_names;
#[cfg(test)]
#[allow(dead_code)]
mod testutil;

#[cfg(any(feature = "datadog", feature = "http"))]
mod resend;

#[cfg(feature = "datadog")]
pub mod datadog;
#[cfg(feature = "datadog")]
pub mod datadog_apm;
#[cfg(feature = "dogstatsd")]
pub mod dogstatsd;
pub mod env;
#[cfg(feature = "gcp")]
pub mod gcp;
#[cfg(feature = "transport")]
pub mod http;
#[cfg(feature = "http")]
pub mod ingest;
#[cfg(feature = "otlp")]
pub mod otlp;
#[cfg(feature = "prometheus")]
pub mod prometheus;

pub use memory::MemorySink;
pub use noop::NoopSink;
pub use stdout::JsonLinesSink;

use std::fmt;
use std::sync::Arc;

use crate::record::Record;
use crate::snapshot::{Distribution, Series, Snapshot, Value};

/// A destination for snapshots.
///
/// `export` runs on the sink's own thread; it may block (an HTTP request, say) without
/// affecting anything else. A panic inside it is caught and counted; the pipeline
/// keeps the sink and calls it again with the next snapshot.
pub trait Sink: Send + fmt::Debug + 'static {
    /// A short name for self-metrics and errors (`datadog`, `memory`, …). Names should
    /// be unique within one pipeline.
    fn name(&self) -> &str;

    /// Delivers one snapshot. Returning an error keeps this sink's delta cursor where
    /// it was, unless the error is [`SinkError::permanent`].
    fn export(&mut self, export: &Export<'_>) -> Result<(), SinkError>;

    /// Whether this sink takes records (events and spans) as well as snapshots. Asked
    /// once, when the pipeline starts. Defaults to false.
    fn accepts_records(&self) -> bool {
        false
    }

    /// Delivers a batch of records (at most 1,024, oldest first), already scrubbed of
    /// PII. Called on the sink's worker thread, between snapshot exports: promptly after
    /// records arrive (every `record_flush_interval`) and before each snapshot, so that
    /// [`flush`](crate::Telemetry::flush) covers the records emitted before it.
    ///
    /// On a transient error the batch is kept at the front of the sink's buffer and
    /// retried after the error's [`retry_after`](SinkError::retry_after) (else 1 s) or
    /// with the next snapshot, whichever comes first; the buffer stays bounded, so a
    /// long outage loses the oldest records (counted). A
    /// [permanent](SinkError::permanent) error or a panic drops the batch (counted as
    /// `rejected`). Only called when [`accepts_records`](Sink::accepts_records) is true.
    /// Defaults to accepting and discarding.
    fn export_records(&mut self, records: &[Record]) -> Result<(), SinkError> {
        let _ = records;
        Ok(())
    }

    /// The timing values at which this sink reads distributions (its bucket bounds),
    /// so that the pipeline counts them exactly: see
    /// [`Distribution::count_le`](crate::snapshot::Distribution::count_le). Asked
    /// once, when the pipeline starts. Defaults to none.
    fn exact_timing_bounds(&self) -> Vec<crate::TimingBound> {
        Vec::new()
    }

    /// Receives the pipeline's metric catalog (see [`crate::catalog`]) once, when the
    /// pipeline starts, for sinks whose format has a place for descriptions and
    /// units. Defaults to ignoring it.
    fn set_catalog(&mut self, catalog: Arc<crate::catalog::Catalog>) {
        let _ = catalog;
    }

    /// Called once when the pipeline shuts down, after the final export. An error
    /// (a Pushgateway group that could not be deleted, say) goes to the `on_error`
    /// handler and makes [`Telemetry::shutdown`](crate::Telemetry::shutdown) return
    /// [`Error::Export`](crate::Error::Export) naming this sink. Defaults to doing
    /// nothing.
    fn shutdown(&mut self) -> Result<(), SinkError> {
        Ok(())
    }

    /// Settings that work but will likely surprise (a Pushgateway grouping key that
    /// every process shares, say). Asked once when the pipeline starts; each is reported
    /// to the `on_error` handler as [`Error::SinkWarning`](crate::Error::SinkWarning).
    /// Defaults to none.
    fn start_warnings(&self) -> Vec<String> {
        Vec::new()
    }
}

/// What a sink receives: the new snapshot and the last one it delivered.
#[derive(Debug, Clone, Copy)]
pub struct Export<'a> {
    /// The snapshot to deliver.
    pub snapshot: &'a Arc<Snapshot>,
    /// The last snapshot this sink delivered successfully, if any.
    pub previous: Option<&'a Arc<Snapshot>>,
}

impl<'a> Export<'a> {
    /// Every series with its change since [`previous`](Export::previous): counter
    /// increments, the latest gauge value, the timings recorded since.
    pub fn deltas(&self) -> impl Iterator<Item = Delta<'a>> + 'a {
        let prev = self.previous;
        self.snapshot.series.iter().map(move |s| {
            let before = prev.and_then(|p| p.series.get(s.id));
            Delta::between(s, before)
        })
    }
}

/// One series' change between two snapshots.
#[derive(Debug, Clone)]
pub struct Delta<'a> {
    /// The series as of the new snapshot.
    pub series: &'a Series,
    /// What changed.
    pub value: DeltaValue,
    updated: bool,
}

/// A change in one series.
#[derive(Debug, Clone)]
pub enum DeltaValue {
    /// The counter's increase.
    Counter(f64),
    /// The gauge's current value.
    Gauge(f64),
    /// The timings recorded in between.
    Timing(Distribution),
}

impl<'a> Delta<'a> {
    fn between(now: &'a Series, before: Option<&Series>) -> Delta<'a> {
        let updated = before.is_none_or(|b| now.updated > b.updated);
        let value = match (&now.value, before.map(|b| &b.value)) {
            (Value::Counter(n), Some(Value::Counter(b))) => DeltaValue::Counter((n - b).max(0.0)),
            (Value::Counter(n), _) => DeltaValue::Counter(*n),
            (Value::Gauge(n), _) => DeltaValue::Gauge(*n),
            (Value::Timing(n), Some(Value::Timing(b))) => DeltaValue::Timing(n.since(b)),
            (Value::Timing(n), _) => DeltaValue::Timing(n.clone()),
        };
        Delta {
            series: now,
            value,
            updated,
        }
    }

    /// Whether anything happened to the series since the previous snapshot: a
    /// non-zero counter increase, a gauge set, timings recorded.
    pub fn changed(&self) -> bool {
        match &self.value {
            DeltaValue::Counter(d) => *d != 0.0,
            DeltaValue::Gauge(_) => self.updated,
            DeltaValue::Timing(d) => d.count > 0,
        }
    }
}

/// An export failure, as a sink reports it (defined with the crate's error type, which
/// carries it).
pub use crate::error::SinkError;
