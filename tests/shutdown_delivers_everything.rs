//! `shutdown` delivers everything emitted before it, from every thread, and counts
//! what comes after.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use telemetra::{sinks::MemorySink, Config, Error, Telemetry};

#[test]
fn shutdown_delivers_every_thread_s_partial_batch() {
    let sink = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .batch_size(1024)
            .sink(sink.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    // Threads that emit less than a batch and then exit, or go quiet.
    let (park_tx, park_rx) = crossbeam_channel::bounded::<()>(0);
    let quiet = {
        let t = t.clone();
        std::thread::spawn(move || {
            t.count("quiet", 7, ());
            let _ = park_rx.recv_timeout(Duration::from_secs(60));
        })
    };
    let exited = {
        let t = t.clone();
        std::thread::spawn(move || t.count("exited", 5, ()))
    };
    exited.join().unwrap();
    t.gauge("balance", 12.5, &[("currency", "EUR")]);
    {
        let _timer = t.timer("op_ms", ());
    }
    std::thread::sleep(Duration::from_millis(20));
    t.shutdown(Duration::from_secs(10)).unwrap();
    assert_eq!(sink.counter("quiet", &[]), Some(7.0));
    assert_eq!(sink.counter("exited", &[]), Some(5.0));
    assert_eq!(sink.gauge("balance", &[("currency", "EUR")]), Some(12.5));
    assert_eq!(sink.timing_count("op_ms", &[]), Some(1));

    // After shutdown: counted drops, no panic, flush says so, shutdown is idempotent.
    t.incr("late", ());
    t.counter("late_handle", ()).incr();
    assert_eq!(t.stats().dropped_shutdown, 2);
    assert!(matches!(
        t.flush(Duration::from_secs(1)),
        Err(Error::NotRunning)
    ));
    assert!(t.shutdown(Duration::from_secs(1)).is_ok());
    assert!(!t.is_running());
    drop(park_tx);
    quiet.join().unwrap();
}

#[test]
fn dropping_the_last_handle_flushes() {
    let sink = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .sink(sink.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    t.incr("bye", ());
    drop(t);
    assert_eq!(sink.counter("bye", &[]), Some(1.0));
}
