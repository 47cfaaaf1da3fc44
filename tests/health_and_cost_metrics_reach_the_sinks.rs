//! `Telemetry` and `TaggedEmitter` are a `health::GaugeSink` and a `cost::CounterSink`:
//! health gauges and token/cost counters arrive in a sink like any other metric.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use telemetra::cost::{AiCall, CostTracker, CounterSink, COST_COUNTER, INPUT_TOKENS_COUNTER};
use telemetra::health::{
    CheckOutcome, Component, GaugeSink, HealthChecker, COMPONENT_STATUS_GAUGE, STATUS_GAUGE,
};
use telemetra::sinks::MemorySink;
use telemetra::switches::Switches;
use telemetra::{Config, Telemetry};

const T: Duration = Duration::from_secs(10);

fn pipeline(sink: &MemorySink, switches: &Switches) -> Telemetry {
    Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .sink(sink.clone())
            .switches(switches.clone())
            .build()
            .unwrap(),
    )
    .unwrap()
}

#[test]
fn health_gauges_arrive_in_the_sink() {
    let sink = MemorySink::new();
    let t = pipeline(&sink, &Switches::new());
    let checker = HealthChecker::builder()
        .component(
            Component::builder("database")
                .check(CheckOutcome::ok)
                .build()
                .unwrap(),
        )
        .component(
            Component::builder("storage")
                .check(|| CheckOutcome::degraded("replica lagging"))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    checker.run().emit(&t);
    // A tagged emitter adds its tags to every gauge.
    checker.run().emit(&t.tagged(vec![("region", "eu")]));
    t.flush(T).unwrap();
    assert_eq!(sink.gauge(STATUS_GAUGE, &[]), Some(1.0)); // degraded
    assert_eq!(
        sink.gauge(COMPONENT_STATUS_GAUGE, &[("component", "database")]),
        Some(0.0)
    );
    assert_eq!(
        sink.gauge(COMPONENT_STATUS_GAUGE, &[("component", "storage")]),
        Some(1.0)
    );
    assert_eq!(sink.gauge(STATUS_GAUGE, &[("region", "eu")]), Some(1.0));

    // The monitor thread takes the pipeline as its sink.
    let as_sink: Arc<dyn GaugeSink + Send + Sync> = Arc::new(t.clone());
    let monitor = checker
        .start_monitor(Duration::from_secs(3600), as_sink)
        .unwrap();
    monitor.shutdown(T).unwrap();
    t.shutdown(T).unwrap();
}

#[test]
fn cost_counters_arrive_in_the_sink_and_obey_switches() {
    let sink = MemorySink::new();
    let switches = Switches::new();
    let t = pipeline(&sink, &switches);
    let chat = t.tagged(vec![("service", "chat")]);
    let tracker = CostTracker::builder()
        .sink(Arc::new(chat) as Arc<dyn CounterSink>)
        .switches(&switches)
        .build()
        .unwrap();
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .unwrap();
    let a = tracker.record_call(&AiCall::new("u-1", "gpt-4-turbo", 10_000, 1_000), now);
    let b = tracker.record_tokens("gpt-4-turbo", 2_000, 500, &[]);
    t.flush(T).unwrap();
    let tags = [("model", "gpt-4-turbo"), ("service", "chat")];
    assert_eq!(sink.counter(INPUT_TOKENS_COUNTER, &tags), Some(12_000.0));
    let cost = sink.counter(COST_COUNTER, &tags).unwrap();
    let expected = a.cost.total.as_f64() + b.total.as_f64();
    assert!((cost - expected).abs() < 1e-9, "{cost} vs {expected}");

    // `ops.metrics_collection` off: the tracker still accounts, the pipeline drops.
    switches.metrics_collection().disable();
    tracker.record_tokens("gpt-4-turbo", 1, 1, &[]);
    t.flush(T).unwrap();
    assert_eq!(sink.counter(INPUT_TOKENS_COUNTER, &tags), Some(12_000.0));
    assert_eq!(t.stats().dropped_disabled, 4);

    // The plain handle works as a sink too.
    switches.metrics_collection().enable();
    CounterSink::count(&t, "ai.cost.usd", 0.25, &[("service", "batch")]);
    t.flush(T).unwrap();
    assert_eq!(
        sink.counter(COST_COUNTER, &[("service", "batch")]),
        Some(0.25)
    );
    t.shutdown(T).unwrap();
}
