//! Test sinks shared by the integration tests.
#![allow(dead_code)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use crossbeam_channel::Receiver;
use telemetra::sinks::{Export, Sink, SinkError};

/// Polls `done` every 20 ms for at most 5 s (a sink worker calls `on_error` just after
/// it signals a flush, so errors arrive a moment after `flush` returns); whether it held.
pub(crate) fn wait_for(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..250 {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    done()
}

/// Starts a pipeline with `sink` alone that exports only on `flush` and `shutdown` (no
/// periodic flush, no self-metrics); every `on_error` report lands in the returned list
/// as `on_error: {e} | {e:?}`.
pub(crate) fn start_reporting(
    sink: impl Sink,
) -> (
    telemetra::Telemetry,
    std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) {
    let errors = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = std::sync::Arc::clone(&errors);
    let t = telemetra::Telemetry::start(
        telemetra::Config::builder()
            .self_metrics(false)
            .flush_interval(Duration::from_secs(3600))
            .sink(sink)
            .on_error(move |e| seen.lock().unwrap().push(format!("on_error: {e} | {e:?}")))
            .build()
            .unwrap(),
    )
    .unwrap();
    (t, errors)
}

/// Blocks in `export` until the test drops the paired sender (a "hung" vendor).
#[derive(Debug)]
pub(crate) struct HungSink {
    pub(crate) release: Receiver<()>,
}

impl Sink for HungSink {
    fn name(&self) -> &str {
        "hung"
    }
    fn export(&mut self, _: &Export<'_>) -> Result<(), SinkError> {
        let _ = self.release.recv_timeout(Duration::from_secs(120));
        Ok(())
    }
}

/// Panics on every export.
#[derive(Debug)]
pub(crate) struct PanickingSink;

impl Sink for PanickingSink {
    fn name(&self) -> &str {
        "panicking"
    }
    fn export(&mut self, _: &Export<'_>) -> Result<(), SinkError> {
        panic!("a user's sink panicked");
    }
}

#[cfg(feature = "prometheus")]
pub(crate) mod ddapm;
pub(crate) mod prom;
pub(crate) mod schema;
pub(crate) mod server;
pub(crate) mod skip;
