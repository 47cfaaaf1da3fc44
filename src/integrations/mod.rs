//! Joins the standalone reliability modules to the pipeline: [`Telemetry`] and
//! [`TaggedEmitter`] are [`health::GaugeSink`]s and [`cost::CounterSink`]s, so a
//! [`HealthMonitor`](crate::health::HealthMonitor)'s gauges and a
//! [`CostTracker`](crate::cost::CostTracker)'s token and cost counters flow through
//! the same queue, aggregation and sinks as every other metric.
//!
//! Names and tags arrive as borrowed strings and go down the same path as any
//! emission: nothing is copied on a series the thread has seen. Cost amounts are fractional and go
//! through [`Telemetry::add`]; the pipeline's switches apply as to any emission.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use std::time::Duration;
//! use telemetra::cost::CostTracker;
//! use telemetra::{sinks::MemorySink, Config, Telemetry};
//!
//! let sink = MemorySink::new();
//! let telemetry = Telemetry::start(Config::builder().sink(sink.clone()).build()?)?;
//! let costs = CostTracker::builder().sink(Arc::new(telemetry.clone())).build()?;
//! costs.record_tokens("gpt-4", 1_000, 100, &[("service", "chat")]);
//! telemetry.flush(Duration::from_secs(5))?;
//! assert!(sink.last().is_some_and(|s| s.series.iter().any(|s| &*s.name == "ai.cost.usd")));
//! # Ok(()) }
//! ```
//!
//! With the `metrics` feature (on by default), [`metrics`] makes telemetra the backend of
//! the [`metrics`](https://docs.rs/metrics/0.24) crate's facade. With the `tracing`
//! feature (on by default), [`tracing`] is a `tracing_subscriber` layer that turns
//! `tracing` spans and events into telemetra ones, or (cheaper, when nothing else consumes
//! them) telemetra as the whole `tracing` subscriber. With the `tower` feature (on by
//! default), [`tower`] is HTTP server middleware: trace continuation, request count and
//! latency per route.

#[cfg(feature = "metrics")]
pub mod metrics;
#[cfg(feature = "tower")]
pub mod tower;
#[cfg(feature = "tracing")]
pub mod tracing;

use crate::{cost, health, TaggedEmitter, Telemetry};

impl health::GaugeSink for Telemetry {
    fn gauge(&self, name: &str, value: f64, tags: &[(&str, &str)]) {
        Telemetry::gauge(self, name, value, tags);
    }
}

impl health::GaugeSink for TaggedEmitter {
    fn gauge(&self, name: &str, value: f64, tags: &[(&str, &str)]) {
        TaggedEmitter::gauge(self, name, value, tags);
    }
}

impl cost::CounterSink for Telemetry {
    fn count(&self, name: &str, value: f64, tags: &[(&str, &str)]) {
        self.add(name, value, tags);
    }
}

impl cost::CounterSink for TaggedEmitter {
    fn count(&self, name: &str, value: f64, tags: &[(&str, &str)]) {
        self.add(name, value, tags);
    }
}
