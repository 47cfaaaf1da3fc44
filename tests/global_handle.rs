//! The global facade: a no-op before `init`, the pipeline after, counted drops after
//! `shutdown`. (One test: the global is per process.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use telemetra::{sinks::MemorySink, Config, Error};

#[test]
fn global_lifecycle() {
    // Before init: silent no-ops, never a panic.
    telemetra::incr("before", ());
    telemetra::gauge("before", 1.0, ());
    drop(telemetra::timer("before", ()));
    assert!(matches!(
        telemetra::flush(Duration::from_millis(10)),
        Err(Error::NotRunning)
    ));
    assert!(!telemetra::global().is_running());

    let sink = MemorySink::new();
    let t = telemetra::init(Config::builder().sink(sink.clone()).build().unwrap()).unwrap();
    assert!(matches!(
        telemetra::init(Config::builder().build().unwrap()),
        Err(Error::AlreadyInitialized)
    ));
    telemetra::incr("after", &[("k", "v")]);
    telemetra::time("timed_ms", (), || {
        std::thread::sleep(Duration::from_millis(1))
    });
    telemetra::tagged(vec![("service", "chat")]).incr("sent", ());
    telemetra::shutdown(Duration::from_secs(5)).unwrap();
    assert_eq!(sink.counter("after", &[("k", "v")]), Some(1.0));
    assert_eq!(sink.counter("sent", &[("service", "chat")]), Some(1.0));
    assert_eq!(sink.timing_count("timed_ms", &[]), Some(1));
    assert_eq!(sink.counter("before", &[]), None);
    telemetra::incr("late", ());
    assert_eq!(t.stats().dropped_shutdown, 1);
}
