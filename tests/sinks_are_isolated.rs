//! A hung sink and a panicking sink affect only themselves.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::time::{Duration, Instant};

use support::{HungSink, PanickingSink};
use telemetra::{sinks::MemorySink, Config, Error, Telemetry};

#[test]
fn a_hung_sink_does_not_stop_emitters_or_other_sinks() {
    let (release_tx, release) = crossbeam_channel::bounded::<()>(0);
    let healthy = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_millis(20))
            .queue_capacity(1 << 22)
            .sink(HungSink { release })
            .sink(healthy.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    // Emit across many flush intervals while the hung sink sits in its first export.
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < Duration::from_millis(300) && n < 2_000_000 {
        t.incr("work", ());
        n += 1;
    }
    let before = healthy.exports();
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        healthy.exports() > before,
        "the healthy sink kept receiving snapshots"
    );
    // flush() reports the hung sink by name instead of blocking forever.
    match t.flush(Duration::from_millis(300)) {
        Err(Error::Timeout { pending, .. }) => assert_eq!(pending, vec!["hung".to_owned()]),
        other => panic!("expected a timeout naming the hung sink, got {other:?}"),
    }
    let stats = t.stats();
    assert_eq!(stats.dropped(), 0, "{stats:?}");
    // The healthy sink's export of the flushed snapshot may finish just after the
    // deadline that the hung sink used up.
    for _ in 0..100 {
        if healthy.counter("work", &[]) == Some(n as f64) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(healthy.counter("work", &[]), Some(n as f64));
    drop(release_tx);
    t.shutdown(Duration::from_secs(5)).unwrap();
}

#[test]
fn a_panicking_sink_does_not_stop_the_others() {
    let healthy = MemorySink::new();
    let errors = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = errors.clone();
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .sink(PanickingSink)
            .sink(healthy.clone())
            .on_error(move |e| {
                if matches!(e, Error::SinkPanicked { .. }) {
                    seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            })
            .build()
            .unwrap(),
    )
    .unwrap();
    for round in 1..=3u64 {
        t.incr("orders", ());
        match t.flush(Duration::from_secs(5)) {
            Err(Error::Export { sinks, failures }) => {
                assert_eq!(sinks, vec!["panicking".to_owned()]);
                assert_eq!(failures.len(), 1);
                assert_eq!(failures[0].sink, "panicking");
                assert_eq!(failures[0].kind, telemetra::FailureKind::Panicked);
            }
            other => panic!("expected the panicking sink's export to fail, got {other:?}"),
        }
        assert_eq!(healthy.counter("orders", &[]), Some(round as f64));
    }
    assert_eq!(errors.load(std::sync::atomic::Ordering::SeqCst), 3);
    // Self-metrics in a snapshot report the exports finished before it: the 4th
    // snapshot reports the first 3 panics.
    t.flush(Duration::from_secs(5)).ok();
    assert_eq!(
        healthy.counter(
            "telemetra.sink.exports",
            &[("sink", "panicking"), ("outcome", "panicked")]
        ),
        Some(3.0)
    );
}
