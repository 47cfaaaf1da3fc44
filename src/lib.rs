//! # telemetra
//!
//! Instrumentation for Rust services: an emitter API that costs nanoseconds, a
//! lock-free aggregating pipeline, isolated sinks, and the reliability
//! layer — PII scrubbing, sampling, SLOs, error budgets and alerting.
//!
//! ## Concepts
//!
//! ```text
//! emit ──▶ per-thread buffer ──batch──▶ bounded queue ──▶ flusher ──▶ Snapshot ──▶ sink workers
//! (count, gauge,   (no contention)       (full: drop      (aggregates:  (immutable,   (one thread each,
//!  timing, timer)                         and count)       cumulative)   every flush)  latest-only mailbox)
//! ```
//!
//! - **Emit**: [`Telemetry::count`], [`gauge`](Telemetry::gauge),
//!   [`timing`](Telemetry::timing), [`timer`](Telemetry::timer),
//!   [`time_result`](Telemetry::time_result). Emission returns `()`: it never panics,
//!   never blocks, and with `'static` names and tags never allocates.
//! - **Aggregate**: a background flusher keeps cumulative state per series — counter
//!   totals, last gauge values, an HDR histogram per timing — within caps on series
//!   per metric and in total.
//! - **Flush**: every [`flush_interval`](ConfigBuilder::flush_interval) the state is
//!   published as an immutable [`Snapshot`].
//! - **Sink**: each [`Sink`](sinks::Sink) has its own thread and sees every snapshot
//!   together with the last one it delivered, so delta sinks lose nothing across an
//!   outage (see [`snapshot`] for why cumulative).
//!
//! ## Quick start
//!
//! ```
//! # fn main() -> Result<(), telemetra::Error> {
//! use std::time::Duration;
//! use telemetra::{sinks::JsonLinesSink, Config};
//!
//! let config = Config::builder()
//!     .sink(JsonLinesSink::new(std::io::sink()))
//!     .build()?;
//! let telemetry = telemetra::init(config)?; // also installs the global handle
//!
//! telemetra::incr("product.wallet.spend.success", &[("currency", "EUR")]);
//! telemetry.count("product.wallet.spend.failed", 1, &[("reason", "INSUFFICIENT_FUNDS")]);
//! let wallet = telemetry.tagged(vec![("service", "wallet")]);
//! let _tx = wallet.timer("wallet_tx_latency_ms", ()); // records when dropped
//! # drop(_tx);
//! telemetra::shutdown(Duration::from_secs(5))?;
//! # Ok(()) }
//! ```
//!
//! ## Events and spans
//! Besides metrics, the pipeline carries records: structured [events](event) made with
//! [`Telemetry::event`] and finished spans from [`Telemetry::tracer`]. They are sampled
//! on the emitting thread ([`ConfigBuilder::sampling`],
//! [`ConfigBuilder::trace_sample_rate`]), queued without blocking, scrubbed of PII on
//! the flusher thread ([`pii`]) and handed to every sink that
//! [accepts records](sinks::Sink::accepts_records) through a bounded buffer of its own.
//! Metric tag values are scrubbed too, once per new series. See `docs/events.md`.
//!
//! ## In a library, in an application
//! A library emits through the free functions ([`count`], [`incr`], [`gauge`],
//! [`timing`], …) or through a [`Telemetry`] its caller hands it; it never calls
//! [`init`]. Until an application calls [`init`], the free functions are no-ops that
//! cost a load and a branch. An application calls [`init`] once at start-up and
//! [`shutdown`] before exiting.
//!
//! ## Hot paths
//! For a series known ahead of time, take a handle once and use it in the loop:
//! [`Telemetry::counter`] gives a [`Counter`] whose increment is a single relaxed
//! atomic add on a cache line owned by the calling thread; [`Telemetry::tagged`]
//! interns a tag set once so that emissions carry four bytes instead of the tags.
//!
//! ## Failure behaviour
//! Nothing in the emit path can fail loudly. A full queue, an invalid name or value,
//! an emission after shutdown: each is dropped and counted ([`Stats`], and the
//! `telemetra.dropped{reason=…}` self-metric). A sink that errors, hangs or panics
//! affects only itself.

pub mod alert;
pub mod catalog;
mod clock;
mod config;
pub mod cost;
mod error;
pub mod event;
pub mod family;
mod global;
pub mod health;
pub(crate) mod histogram;
pub mod integrations;
mod net;
mod off_thread;
pub mod pii;
mod pipeline;
mod record;
pub mod sampling;
pub mod sinks;
pub mod slo;
pub mod snapshot;
pub mod switches;
mod tags;
mod telemetry;
pub mod testing;
pub mod trace;

/// The Rust snippets of the pages in `docs/`, compiled (and run, unless marked
/// `no_run`) as doc tests, so that no page shows code that does not build. (`docs/slo.md`
/// is checked from `slo`.)
#[cfg(all(doctest, feature = "transport", feature = "tracing", feature = "tower"))]
mod doc_pages {
    #[doc = include_str!("../docs/costs.md")]
    pub struct Costs;
    #[doc = include_str!("../docs/events.md")]
    pub struct Events;
    #[doc = include_str!("../docs/health.md")]
    pub struct Health;
    #[doc = include_str!("../docs/integrations.md")]
    pub struct Integrations;
    #[doc = include_str!("../docs/pii.md")]
    pub struct Pii;
    #[doc = include_str!("../docs/sinks.md")]
    pub struct Sinks;
    #[doc = include_str!("../docs/switches.md")]
    pub struct Switches;
    #[doc = include_str!("../docs/testing.md")]
    pub struct Testing;
    #[doc = include_str!("../docs/tracing.md")]
    pub struct Tracing;
}

pub use config::{Config, ConfigBuilder, ErrorHandler};
pub use error::{Error, FailureKind, SinkFailure};
pub use event::Event;
pub use family::{CounterVec, GaugeVec, TimingVec};
pub use global::{
    add, count, flush, gauge, global, incr, init, set_global, set_local_global, shutdown, tagged,
    time, time_result, timer, timing, timing_ms, with_local_global, LocalGlobal,
};
pub use histogram::cuts::{TimingBound, MAX_TIMING_CUTS};
pub use off_thread::OffThread;
pub use pipeline::{RecordStats, Stats};
pub use record::Record;
pub use sampling::Level;
pub use snapshot::Snapshot;
pub use tags::{IntoTags, StaticTags, Str, Tag, TagPair};
pub use telemetry::{Counter, EventBuilder, Gauge, TaggedEmitter, Telemetry, Timer, TimingHandle};
