//! Testing your own instrumentation: a pipeline per test that records into memory,
//! made the calling thread's global handle so that code using the free functions
//! ([`crate::incr`], [`crate::timing`], …) is observed too, with assertions that read
//! exact totals. See `docs/testing.md`.
//!
//! ```
//! use telemetra::testing::TestRecorder;
//!
//! fn charge(amount: u64) {
//!     // Library code: emits through the global handle.
//!     telemetra::incr("wallet.charge", &[("currency", "EUR")]);
//!     telemetra::count("wallet.charged_cents", amount, &[("currency", "EUR")]);
//! }
//!
//! let rec = TestRecorder::new();
//! rec.run(|| {
//!     charge(250);
//!     charge(100);
//! });
//! rec.assert_counter("wallet.charge", &[("currency", "EUR")], 2.0);
//! assert_eq!(rec.counter("wallet.charged_cents", &[("currency", "EUR")]), Some(350.0));
//! assert_eq!(rec.counter("wallet.charge", &[("currency", "USD")]), None);
//! ```

use std::time::Duration;

use crate::sinks::MemorySink;
use crate::snapshot::Snapshot;
use crate::{Config, ConfigBuilder, LocalGlobal, Telemetry};

/// How long reads wait for the pipeline.
const WAIT: Duration = Duration::from_secs(10);

/// A pipeline recording into a [`MemorySink`], for one test. Reads flush first, so
/// they see everything emitted before them. Shuts its pipeline down when dropped.
#[derive(Debug)]
pub struct TestRecorder {
    telemetry: Telemetry,
    sink: MemorySink,
}

impl Default for TestRecorder {
    fn default() -> Self {
        TestRecorder::new()
    }
}

impl TestRecorder {
    /// A recorder with default settings (no self-metrics, no publishing on a timer:
    /// reads flush).
    pub fn new() -> Self {
        Self::with_config(Config::builder())
    }

    /// A recorder from your own settings (limits, sampling, catalog…); its memory sink
    /// is added, self-metrics are turned off and the flush interval is made long.
    ///
    /// A config the pipeline refuses gives a recorder whose handle is a no-op (and
    /// whose reads return nothing), so that a test fails on its assertions rather than
    /// here; check [`TestRecorder::is_running`] to tell.
    pub fn with_config(builder: ConfigBuilder) -> Self {
        let sink = MemorySink::new();
        let telemetry = builder
            .sink(sink.clone())
            .self_metrics(false)
            .flush_interval(Duration::from_secs(3600))
            .build()
            .and_then(Telemetry::start)
            .unwrap_or_else(|_| Telemetry::noop());
        TestRecorder { telemetry, sink }
    }

    /// Whether the pipeline started.
    pub fn is_running(&self) -> bool {
        !self.telemetry.is_noop()
    }

    /// The pipeline's handle, to pass to code that takes one.
    pub fn telemetry(&self) -> &Telemetry {
        &self.telemetry
    }

    /// Makes this recorder the calling thread's global handle until the guard drops
    /// (see [`set_local_global`](crate::set_local_global)).
    pub fn install(&self) -> LocalGlobal {
        crate::set_local_global(&self.telemetry)
    }

    /// Runs `f` with this recorder as the calling thread's global handle.
    pub fn run<R>(&self, f: impl FnOnce() -> R) -> R {
        crate::with_local_global(&self.telemetry, f)
    }

    /// Everything recorded so far, as a snapshot (after a flush).
    pub fn snapshot(&self) -> Option<std::sync::Arc<Snapshot>> {
        let _ = self.telemetry.flush(WAIT);
        self.sink.last()
    }

    /// A counter's total with exactly these tags, if it was emitted.
    pub fn counter(&self, name: &str, tags: &[(&str, &str)]) -> Option<f64> {
        self.snapshot()?.counter(name, tags)
    }

    /// A gauge's last value with exactly these tags.
    pub fn gauge(&self, name: &str, tags: &[(&str, &str)]) -> Option<f64> {
        self.snapshot()?.gauge(name, tags)
    }

    /// How many timings were recorded with exactly these tags.
    pub fn timing_count(&self, name: &str, tags: &[(&str, &str)]) -> Option<u64> {
        Some(self.snapshot()?.timing(name, tags)?.count)
    }

    /// Panics, naming the series and what was found, unless the counter's total is
    /// `expected`.
    #[track_caller]
    #[allow(clippy::panic)] // An assertion helper for tests: failing loudly is its job.
    pub fn assert_counter(&self, name: &str, tags: &[(&str, &str)], expected: f64) {
        let got = self.counter(name, tags);
        if got != Some(expected) {
            panic!("counter {name} {tags:?}: expected {expected}, found {got:?}");
        }
    }

    /// Panics unless exactly `expected` timings were recorded for the series.
    #[track_caller]
    #[allow(clippy::panic)]
    pub fn assert_timing_count(&self, name: &str, tags: &[(&str, &str)], expected: u64) {
        let got = self.timing_count(name, tags);
        if got != Some(expected) {
            panic!("timing {name} {tags:?}: expected {expected} values, found {got:?}");
        }
    }
}

impl Drop for TestRecorder {
    fn drop(&mut self) {
        let _ = self.telemetry.shutdown(WAIT);
    }
}
