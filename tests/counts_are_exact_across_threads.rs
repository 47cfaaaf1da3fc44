//! Two threads × 1,000,000 emissions: exact totals, and `emitted + dropped ==
//! attempted` exactly when the queue (only used past a thread's series cap) overflows.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use telemetra::{sinks::MemorySink, Config, Snapshot, Telemetry};

const PER_THREAD: u64 = 1_000_000;

/// Each thread emits PER_THREAD static-tag counters, and half as many tagged-emitter
/// counters and timings and, every tenth iteration, a counter with owned tags: all
/// aggregated in the thread's cells.
fn run(config: Config) -> (Telemetry, u64) {
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
                        tagged.timing_ms("latency_ms", (i % 100) as f64, ());
                    }
                    if i % 10 == 0 {
                        t.incr("owned", vec![("worker".to_owned(), worker.to_owned())]);
                    }
                }
            });
        }
    });
    let attempted = 2 * (PER_THREAD + PER_THREAD / 2 * 2 + PER_THREAD / 10);
    (t, attempted)
}

fn seen(s: &Snapshot) -> u64 {
    let mut n = s
        .counter("requests", &[("route", "/pay"), ("method", "POST")])
        .unwrap_or(0.0) as u64;
    for w in ["a", "b"] {
        n += (s.counter("bytes", &[("worker", w)]).unwrap_or(0.0) / 3.0) as u64;
        n += s
            .timing("latency_ms", &[("worker", w)])
            .map_or(0, |d| d.count);
        n += s.counter("owned", &[("worker", w)]).unwrap_or(0.0) as u64;
    }
    n
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
    let (t, attempted) = run(config);
    t.flush(Duration::from_secs(30)).unwrap();
    let stats = t.stats();
    assert_eq!(stats.dropped(), 0, "{stats:?}");
    assert_eq!(stats.emitted, attempted);
    let snap = sink.last().unwrap();
    assert_eq!(
        snap.counter("requests", &[("route", "/pay"), ("method", "POST")]),
        Some((2 * PER_THREAD) as f64)
    );
    for w in ["a", "b"] {
        assert_eq!(
            snap.counter("bytes", &[("worker", w)]),
            Some((PER_THREAD / 2 * 3) as f64)
        );
        let d = snap.timing("latency_ms", &[("worker", w)]).unwrap();
        assert_eq!(d.count, PER_THREAD / 2);
        // Sum of (i % 100) over even i < 1e6: 10,000 blocks of 0+2+…+98.
        assert_eq!(d.sum, 10_000.0 * 2450.0);
        assert_eq!(
            snap.counter("owned", &[("worker", w)]),
            Some((PER_THREAD / 10) as f64)
        );
    }
    assert_eq!(seen(&snap), attempted);
    t.shutdown(Duration::from_secs(10)).unwrap();
}

/// What reaches the queue now: each thread's series past its cells (4,096 here: the
/// floor, as `max_series` × 1.25 is below it). Both threads fill their cells, then emit
/// to series past the cap through a 16-slot queue.
#[test]
fn emitted_plus_dropped_equals_attempted_with_a_tiny_queue() {
    const CELLS: u64 = 4096;
    const PAST: u64 = 200_000;
    let sink = MemorySink::new();
    let config = Config::builder()
        .queue_capacity(16)
        .batch_size(8)
        .max_series(3_000)
        .max_series_per_metric(3_000)
        .flush_interval(Duration::from_secs(3600))
        .sink(sink.clone())
        .build()
        .unwrap();
    let t = Telemetry::start(config).unwrap();
    std::thread::scope(|s| {
        for worker in ["a", "b"] {
            let t = t.clone();
            s.spawn(move || {
                for i in 0..CELLS {
                    let i = i.to_string();
                    t.incr("fill", &[("worker", worker), ("i", i.as_str())]);
                }
                let keys: Vec<String> = (0..10).map(|k| k.to_string()).collect();
                for i in 0..PAST {
                    let k = keys[(i % 10) as usize].as_str();
                    t.incr("past", &[("worker", worker), ("k", k)]);
                }
            });
        }
    });
    let attempted = 2 * (CELLS + PAST);
    t.flush(Duration::from_secs(30)).unwrap();
    let stats = t.stats();
    assert_eq!(stats.emitted + stats.dropped(), attempted, "{stats:?}");
    assert!(
        stats.dropped_queue_full > 0,
        "a 16-slot queue must overflow: {stats:?}"
    );
    // What was counted as emitted is exactly what the sink sees (series past
    // `max_series` included: they land in the overflow series).
    let snap = sink.last().unwrap();
    let seen: f64 = snap
        .series
        .iter()
        .filter(|s| !s.name.starts_with("telemetra.") || &*s.name == "telemetra.overflow")
        .map(|s| match s.value {
            telemetra::snapshot::Value::Counter(v) => v,
            _ => 0.0,
        })
        .sum();
    assert_eq!(seen as u64, stats.emitted);
    // The thread collected first fills `max_series`; its early series have their own.
    assert!(
        ["a", "b"]
            .iter()
            .any(|w| snap.counter("fill", &[("worker", w), ("i", "7")]) == Some(1.0)),
        "an early series has its own"
    );
    // And the pipeline reports its drops about itself.
    t.flush(Duration::from_secs(5)).unwrap();
    assert_eq!(
        sink.counter("telemetra.dropped", &[("reason", "queue_full")]),
        Some(stats.dropped_queue_full as f64)
    );
}
