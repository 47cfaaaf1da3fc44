//! Joins the standalone reliability modules to the pipeline: [`Telemetry`] and
//! [`TaggedEmitter`] are [`health::GaugeSink`]s and [`cost::CounterSink`]s, so a
//! [`HealthMonitor`](crate::health::HealthMonitor)'s gauges and a
//! [`CostTracker`](crate::cost::CostTracker)'s token and cost counters flow through
//! the same queue, aggregation and sinks as every other metric.
//!
//! Names and tags arrive as borrowed strings, so each call copies them (these are
//! per-check and per-AI-call paths, not hot loops). Cost amounts are fractional and go
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

use crate::tags::Tag;
use crate::{cost, health, TaggedEmitter, Telemetry};

fn owned_tags(tags: &[(&str, &str)]) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::new((*k).to_owned(), (*v).to_owned()))
        .collect()
}

impl health::GaugeSink for Telemetry {
    fn gauge(&self, name: &str, value: f64, tags: &[(&str, &str)]) {
        Telemetry::gauge(self, name.to_owned(), value, owned_tags(tags));
    }
}

impl health::GaugeSink for TaggedEmitter {
    fn gauge(&self, name: &str, value: f64, tags: &[(&str, &str)]) {
        TaggedEmitter::gauge(self, name.to_owned(), value, owned_tags(tags));
    }
}

impl cost::CounterSink for Telemetry {
    fn count(&self, name: &str, value: f64, tags: &[(&str, &str)]) {
        self.add(name.to_owned(), value, owned_tags(tags));
    }
}

impl cost::CounterSink for TaggedEmitter {
    fn count(&self, name: &str, value: f64, tags: &[(&str, &str)]) {
        self.add(name.to_owned(), value, owned_tags(tags));
    }
}
