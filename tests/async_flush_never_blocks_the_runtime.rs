//! `flush_async` and `shutdown_async` wait off the runtime's thread: on a single-threaded
//! runtime, other tasks keep running while a slow sink holds the flush, and the flush
//! still delivers everything.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use telemetra::sinks::{Export, MemorySink, Sink, SinkError};
use telemetra::{Config, Telemetry};

const T: Duration = Duration::from_secs(10);

/// Takes 300 ms per export, then hands it to a memory sink.
#[derive(Debug)]
struct Slow(MemorySink);

impl Sink for Slow {
    fn name(&self) -> &str {
        "slow"
    }
    fn export(&mut self, export: &Export<'_>) -> Result<(), SinkError> {
        std::thread::sleep(Duration::from_millis(300));
        self.0.export(export)
    }
}

#[test]
fn other_tasks_run_while_a_flush_waits() {
    let sink = MemorySink::new();
    let t = Telemetry::start(Config::builder().sink(Slow(sink.clone())).build().unwrap()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let ticks = Arc::new(AtomicU64::new(0));
    let ticks_during = rt.block_on(async {
        let ticker = {
            let (done, ticks) = (Arc::clone(&done), Arc::clone(&ticks));
            tokio::spawn(async move {
                // Bounded: at most ~10 s of yielding.
                for _ in 0..50_000_000u64 {
                    if done.load(Ordering::Acquire) {
                        break;
                    }
                    ticks.fetch_add(1, Ordering::Relaxed);
                    tokio::task::yield_now().await;
                }
            })
        };
        t.count("jobs.done", 7, ());
        let flushed = t.flush_async(T).await;
        let during = ticks.load(Ordering::Relaxed);
        done.store(true, Ordering::Release);
        ticker.await.unwrap();
        flushed.unwrap();
        t.shutdown_async(T).await.unwrap();
        during
    });
    // A blocking flush on this one thread would have let the ticker run not at all
    // until it returned.
    assert!(
        ticks_during > 100,
        "the ticker ran {ticks_during} times during a 300 ms flush"
    );
    assert_eq!(sink.counter("jobs.done", &[]), Some(7.0));
    // After shutdown, both report the pipeline as stopped or succeed idempotently.
    assert!(rt.block_on(t.shutdown_async(T)).is_ok());
    assert!(rt.block_on(t.flush_async(T)).is_err());
}
