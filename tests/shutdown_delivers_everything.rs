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

/// Takes 300 ms per export, then hands it to a memory sink.
#[derive(Debug)]
struct SlowSink(MemorySink);

impl telemetra::sinks::Sink for SlowSink {
    fn name(&self) -> &str {
        "slow"
    }
    fn export(
        &mut self,
        export: &telemetra::sinks::Export<'_>,
    ) -> Result<(), telemetra::sinks::SinkError> {
        std::thread::sleep(Duration::from_millis(300));
        self.0.export(export)
    }
}

/// A `shutdown` called while another is delivering used to return `Ok` at once, before
/// anything was delivered. It now waits for the one under way and reports its outcome:
/// whichever call returns first, the final state has reached the sink.
#[test]
fn a_concurrent_shutdown_waits_for_the_one_under_way() {
    let sink = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .self_metrics(false)
            .sink(SlowSink(sink.clone()))
            .build()
            .unwrap(),
    )
    .unwrap();
    t.count("orders", 42, ());
    let delivered_when_returned = std::thread::scope(|s| {
        let calls: Vec<_> = (0..2)
            .map(|i| {
                let (t, sink) = (&t, &sink);
                s.spawn(move || {
                    // The second caller starts a little later, mid-delivery.
                    std::thread::sleep(Duration::from_millis(50 * i));
                    let r = t.shutdown(Duration::from_secs(10));
                    (r.is_ok(), sink.counter("orders", &[]))
                })
            })
            .collect();
        calls
            .into_iter()
            .map(|c| c.join().unwrap())
            .collect::<Vec<_>>()
    });
    for (ok, orders) in delivered_when_returned {
        assert!(ok);
        assert_eq!(orders, Some(42.0), "returned before the final export");
    }
}

/// Fails every export.
#[derive(Debug)]
struct Failing;

impl telemetra::sinks::Sink for Failing {
    fn name(&self) -> &str {
        "failing"
    }
    fn export(
        &mut self,
        _: &telemetra::sinks::Export<'_>,
    ) -> Result<(), telemetra::sinks::SinkError> {
        Err(telemetra::sinks::SinkError::new("down"))
    }
}

/// An `on_error` hook runs on a pipeline thread; a `flush` there used to wait its whole
/// timeout for a pipeline that was waiting for the hook. It now returns at once with an
/// error saying why.
#[test]
fn flush_from_an_on_error_hook_returns_at_once() {
    use std::sync::{Arc, Mutex, OnceLock};
    let handle: Arc<OnceLock<Telemetry>> = Arc::new(OnceLock::new());
    let seen: Arc<Mutex<Vec<(Duration, String)>>> = Arc::default();
    let (h, s) = (Arc::clone(&handle), Arc::clone(&seen));
    let t = Telemetry::start(
        Config::builder()
            .self_metrics(false)
            .sink(Failing)
            .on_error(move |_| {
                if let Some(t) = h.get() {
                    let started = std::time::Instant::now();
                    let r = t.flush(Duration::from_secs(5));
                    s.lock()
                        .unwrap()
                        .push((started.elapsed(), format!("{r:?}")));
                }
            })
            .build()
            .unwrap(),
    )
    .unwrap();
    handle.set(t.clone()).ok().unwrap();
    t.count("orders", 1, ());
    let started = std::time::Instant::now();
    assert!(t.flush(Duration::from_secs(10)).is_err());
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    let seen = seen.lock().unwrap().clone();
    assert!(!seen.is_empty(), "the hook ran");
    for (took, r) in &seen {
        assert!(*took < Duration::from_millis(500), "{took:?}");
        assert!(r.contains("OnPipelineThread"), "{r}");
    }
    t.shutdown(Duration::from_secs(10)).ok();
}
