//! `flush()` delivers every record emitted before it, even when the records would
//! otherwise wait for their batching interval; shutdown delivers them too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use telemetra::sinks::MemorySink;
use telemetra::{Config, Telemetry};

const T: Duration = Duration::from_secs(10);

fn start(sink: &MemorySink) -> Telemetry {
    Telemetry::start(
        Config::builder()
            .sink(sink.clone())
            .flush_interval(Duration::from_secs(3600))
            .record_flush_interval(Duration::from_secs(60))
            .build()
            .unwrap(),
    )
    .unwrap()
}

#[test]
fn flush_delivers_records_emitted_before_it() {
    let sink = MemorySink::new();
    let t = start(&sink);
    for round in 0..5_u64 {
        for i in 0..7 {
            t.event("growth", "growth.invite").meta("i", i).emit();
        }
        t.in_span("growth.invite", |_| Ok::<_, std::io::Error>(()))
            .unwrap();
        t.flush(T).unwrap();
        assert_eq!(sink.events().len() as u64, 7 * (round + 1));
        assert_eq!(sink.spans().len() as u64, round + 1);
    }
    t.shutdown(T).unwrap();
}

#[test]
fn records_from_other_threads_are_flushed_too() {
    let sink = MemorySink::new();
    let t = start(&sink);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..100 {
                    t.event("infra", "infra.tick").emit();
                }
            });
        }
    });
    t.flush(T).unwrap();
    assert_eq!(sink.events().len(), 400);
    t.shutdown(T).unwrap();
}

#[test]
fn shutdown_delivers_pending_records() {
    let sink = MemorySink::new();
    let t = start(&sink);
    for _ in 0..25 {
        t.event("data_rights", "data_rights.export").emit();
    }
    t.shutdown(T).unwrap();
    assert_eq!(sink.events().len(), 25);
    assert_eq!(t.record_stats().exported, 25);
}
