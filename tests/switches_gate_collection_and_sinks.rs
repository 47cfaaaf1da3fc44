//! `ops.metrics_collection` drops emissions (counted as `reason=disabled`); `sink.<name>`
//! pauses one sink without moving its delta cursor, so nothing is lost across a pause.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use telemetra::sinks::MemorySink;
use telemetra::switches::{names, Switches};
use telemetra::{Config, Error, Telemetry};

const T: Duration = Duration::from_secs(10);

#[test]
fn collection_off_drops_and_counts_every_kind_of_emission() {
    let sink = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .sink(sink.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    let counter = t.counter("orders.handle", ());
    let gauge = t.gauge_handle("queue.depth", ());
    let tagged = t.tagged(vec![("service", "wallet")]);

    t.switches().set(names::METRICS_COLLECTION, false).unwrap();
    t.count("orders", 5, ());
    tagged.incr("orders", ());
    t.timing_ms("latency_ms", 3.0, ());
    counter.add(2);
    gauge.set(1.0);
    t.flush(T).unwrap();
    assert_eq!(t.stats().dropped_disabled, 5);
    assert_eq!(t.stats().emitted, 0);
    assert_eq!(sink.counter("orders", &[]), None);
    assert_eq!(sink.counter("orders.handle", &[]), Some(0.0));
    assert_eq!(
        sink.counter("telemetra.dropped", &[("reason", "disabled")]),
        Some(5.0)
    );

    t.switches().metrics_collection().enable();
    t.count("orders", 5, ());
    counter.add(2);
    t.flush(T).unwrap();
    assert_eq!(sink.counter("orders", &[]), Some(5.0));
    assert_eq!(sink.counter("orders.handle", &[]), Some(2.0));
    assert_eq!(t.stats().dropped_disabled, 5);
    t.shutdown(T).unwrap();
}

#[test]
fn a_paused_sink_catches_up_when_switched_back_on() {
    let switches = Switches::new();
    let paused = MemorySink::named("paused");
    let other = MemorySink::named("other");
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .sink(paused.clone())
            .sink(other.clone())
            .switches(switches.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    // The pipeline registered one switch per sink in the registry it was given.
    assert_eq!(switches.states().get("sink.paused"), Some(&true));

    t.count("orders", 1, ());
    t.flush(T).unwrap();
    switches.set("sink.paused", false).unwrap();
    for n in [2, 3, 4] {
        t.count("orders", n, ());
        t.flush(T).unwrap(); // a paused sink does not hold up flush()
    }
    assert_eq!(paused.counter_delta_sum("orders", &[]), 1.0);
    assert_eq!(paused.exports(), 1);
    assert_eq!(other.counter_delta_sum("orders", &[]), 10.0);

    switches.set("sink.paused", true).unwrap();
    t.flush(T).unwrap();
    // One export carries all three increments made while paused.
    assert_eq!(paused.exports(), 2);
    assert_eq!(paused.counter_delta_sum("orders", &[]), 10.0);
    t.flush(T).unwrap();
    let snap = other.last().unwrap();
    assert!(snap
        .series
        .iter()
        .any(|s| &*s.name == "telemetra.sink.exports"
            && s.tag("sink") == Some("paused")
            && s.tag("outcome") == Some("disabled")
            && matches!(s.value, telemetra::snapshot::Value::Counter(n) if n == 3.0)));
    t.shutdown(T).unwrap();
}

#[test]
fn sink_names_must_be_switch_names() {
    let err = Config::builder()
        .sink(MemorySink::named("Memory Sink"))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { field: "sink", .. }), "{err}");
    assert!(Telemetry::noop()
        .switches()
        .states()
        .contains_key("alerts.enabled"));
}
