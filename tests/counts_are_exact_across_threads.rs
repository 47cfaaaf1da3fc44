//! Two threads × 1,000,000 emissions: exact totals with a queue large enough, and
//! `emitted + dropped == attempted` exactly with a tiny one.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use telemetra::{sinks::MemorySink, Config, Telemetry};

const PER_THREAD: u64 = 1_000_000;

fn run(config: Config) -> Telemetry {
    let t = Telemetry::start(config).unwrap();
    std::thread::scope(|s| {
        for worker in ["a", "b"] {
            let t = t.clone();
            s.spawn(move || {
                let tagged = t.tagged(vec![("worker", worker)]);
                for i in 0..PER_THREAD {
                    t.incr("requests", &[("route", "/pay"), ("method", "POST")]);
                    if i % 2 == 0 {
                        tagged.count("bytes", 3, ());
                    }
                }
            });
        }
    });
    t
}

#[test]
fn totals_are_exact_with_a_large_enough_queue() {
    let sink = MemorySink::new();
    let config = Config::builder()
        .queue_capacity(1 << 22)
        .flush_interval(Duration::from_millis(50))
        .sink(sink.clone())
        .build()
        .unwrap();
    let t = run(config);
    t.flush(Duration::from_secs(30)).unwrap();
    let stats = t.stats();
    assert_eq!(stats.dropped(), 0, "{stats:?}");
    assert_eq!(
        sink.counter("requests", &[("route", "/pay"), ("method", "POST")]),
        Some((2 * PER_THREAD) as f64)
    );
    for w in ["a", "b"] {
        assert_eq!(
            sink.counter("bytes", &[("worker", w)]),
            Some((PER_THREAD / 2 * 3) as f64)
        );
    }
    assert_eq!(stats.emitted, 3 * PER_THREAD);
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
fn emitted_plus_dropped_equals_attempted_with_a_tiny_queue() {
    let sink = MemorySink::new();
    let config = Config::builder()
        .queue_capacity(16)
        .batch_size(8)
        .flush_interval(Duration::from_secs(3600))
        .sink(sink.clone())
        .build()
        .unwrap();
    let t = run(config);
    t.flush(Duration::from_secs(30)).unwrap();
    let stats = t.stats();
    let attempted = 3 * PER_THREAD;
    assert_eq!(stats.emitted + stats.dropped(), attempted, "{stats:?}");
    assert!(
        stats.dropped_queue_full > 0,
        "a 16-slot queue must overflow: {stats:?}"
    );
    // What was counted as emitted is exactly what the sink sees.
    let seen = sink
        .counter("requests", &[("route", "/pay"), ("method", "POST")])
        .unwrap_or(0.0)
        + ["a", "b"]
            .iter()
            .map(|w| sink.counter("bytes", &[("worker", w)]).unwrap_or(0.0) / 3.0)
            .sum::<f64>();
    assert_eq!(seen as u64, stats.emitted);
    // And the pipeline reports its drops about itself.
    t.flush(Duration::from_secs(5)).unwrap();
    assert_eq!(
        sink.counter("telemetra.dropped", &[("reason", "queue_full")]),
        Some(stats.dropped_queue_full as f64)
    );
}
