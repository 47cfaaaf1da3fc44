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

/// What [`FlakyRecords`] was given: export calls, batch sizes, the events' `i`.
#[derive(Debug, Default)]
struct Seen(u32, Vec<usize>, Vec<i64>);

/// Takes records in batches, failing (transiently) the second batch it is given.
#[derive(Debug, Clone, Default)]
struct FlakyRecords {
    seen: std::sync::Arc<parking_lot::Mutex<Seen>>,
}

impl telemetra::sinks::Sink for FlakyRecords {
    fn name(&self) -> &str {
        "flaky-records"
    }

    fn export(
        &mut self,
        _export: &telemetra::sinks::Export<'_>,
    ) -> Result<(), telemetra::sinks::SinkError> {
        Ok(())
    }

    fn accepts_records(&self) -> bool {
        true
    }

    fn export_records(
        &mut self,
        records: &[telemetra::Record],
    ) -> Result<(), telemetra::sinks::SinkError> {
        let mut seen = self.seen.lock();
        seen.0 += 1;
        if seen.0 == 2 {
            return Err(
                telemetra::sinks::SinkError::new("try again").retry_after(Duration::from_millis(1))
            );
        }
        seen.1.push(records.len());
        for r in records {
            if let telemetra::Record::Event(e) = r {
                seen.2.push(e.metadata["i"].as_i64().unwrap());
            }
        }
        Ok(())
    }
}

#[test]
fn a_large_backlog_goes_out_in_bounded_batches_once_each_and_in_order() {
    let sink = FlakyRecords::default();
    let t = Telemetry::start(
        Config::builder()
            .sink(sink.clone())
            .flush_interval(Duration::from_secs(3600))
            .record_flush_interval(Duration::from_secs(60))
            .build()
            .unwrap(),
    )
    .unwrap();
    let n = 5_000_i64;
    for i in 0..n {
        t.event("growth", "growth.invite").meta("i", i).emit();
    }
    // The failed batch stays buffered and goes out again after its retry delay.
    t.flush(T).unwrap();
    let deadline = std::time::Instant::now() + T;
    while sink.seen.lock().2.len() < n as usize && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
        t.flush(T).unwrap();
    }
    let seen = sink.seen.lock();
    assert_eq!(
        seen.2,
        (0..n).collect::<Vec<_>>(),
        "every record once, in order"
    );
    assert!(
        seen.1.iter().all(|&b| (1..=1024).contains(&b)),
        "{:?}",
        seen.1
    );
    assert!(
        seen.0 >= 6,
        "at least five batches and one failure: {}",
        seen.0
    );
    drop(seen);
    assert_eq!(t.record_stats().exported, n as u64);
    t.shutdown(T).unwrap();
}
