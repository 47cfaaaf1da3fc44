//! A sink that fails for 5 intervals then recovers: its first successful export
//! carries every increment made during the outage, nothing counted twice.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use telemetra::{sinks::MemorySink, Config, Telemetry};

#[test]
fn first_export_after_an_outage_carries_everything_once() {
    let sink = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .sink(sink.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    t.count("payments", 10, &[("outcome", "ok")]);
    t.timing_ms("latency_ms", 5.0, ());
    t.flush(Duration::from_secs(5)).unwrap();
    assert_eq!(
        sink.counter_delta_sum("payments", &[("outcome", "ok")]),
        10.0
    );

    sink.fail_next(5);
    for interval in 1..=5u64 {
        t.count("payments", interval, &[("outcome", "ok")]);
        t.timing_ms("latency_ms", 5.0, ());
        assert!(
            t.flush(Duration::from_secs(5)).is_err(),
            "interval {interval} fails"
        );
    }
    // Still only what was delivered before the outage.
    assert_eq!(
        sink.counter_delta_sum("payments", &[("outcome", "ok")]),
        10.0
    );
    assert_eq!(sink.timing_delta_count("latency_ms", &[]), 1);

    t.count("payments", 100, &[("outcome", "ok")]);
    t.flush(Duration::from_secs(5)).unwrap();
    let total = 10.0 + (1 + 2 + 3 + 4 + 5) as f64 + 100.0;
    assert_eq!(
        sink.counter_delta_sum("payments", &[("outcome", "ok")]),
        total
    );
    assert_eq!(sink.timing_delta_count("latency_ms", &[]), 6);

    // A further export adds nothing: nothing is counted twice.
    t.flush(Duration::from_secs(5)).unwrap();
    assert_eq!(
        sink.counter_delta_sum("payments", &[("outcome", "ok")]),
        total
    );
    assert_eq!(sink.timing_delta_count("latency_ms", &[]), 6);
    assert_eq!(sink.attempts(), sink.exports() + 5);
}
