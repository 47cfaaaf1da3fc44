//! Health checks: component checks run concurrently with timeouts and aggregated into an
//! overall status report, with a cheap public view and a full internal view.
//!
//! # Concepts
//!
//! - A [`Component`] is a name, a check (a closure returning a [`CheckOutcome`]), a
//!   timeout and an optional latency threshold above which an `ok` result is reported as
//!   `degraded` (e.g. the database above 200 ms).
//! - [`HealthChecker::run`] starts every check on its own worker thread and waits for all
//!   of them with one deadline per check. A check that misses its deadline is reported as
//!   `error` ("timed out"); the report never waits longer than the longest timeout.
//!   A check that panics is reported as `error` with the panic message.
//! - Threads stay bounded: at most one worker per component exists at any time. If a
//!   check is still hung from an earlier run, no new thread is started for it and it is
//!   reported as `error` ("still running") until the old worker returns.
//! - The overall status is the worst component status: any `error` ⇒ `error`, else any
//!   `degraded` ⇒ `degraded`, else `ok` (also `ok` with no components).
//! - [`HealthReport`] is the internal view (status, version, environment, timestamp,
//!   components with latency and message, optionally the runtime switches).
//!   [`PublicHealth`] is the public view for load balancers: status, version, timestamp
//!   and environment only — it has no field that could carry a component name, message or
//!   other internal detail. [`HealthChecker::public`] answers from the last report and
//!   never runs a check, so it is always cheap.
//! - [`HealthReport::gauges`] turns a report into gauges (`health.status`,
//!   `health.component.status`, `health.component.latency_ms`) so that alert rules can
//!   fire on them; [`HealthReport::emit`] sends them to any [`GaugeSink`], and
//!   [`HealthChecker::start_monitor`] does both on a background thread every interval.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use telemetra::health::{CheckOutcome, Component, HealthChecker, Status};
//!
//! # fn main() -> Result<(), telemetra::health::HealthError> {
//! let checker = HealthChecker::builder()
//!     .version("1.4.2")
//!     .environment("production")
//!     .component(
//!         Component::builder("database")
//!             .check(|| CheckOutcome::ok())
//!             .timeout(Duration::from_secs(2))
//!             .degraded_above(Duration::from_millis(200))
//!             .build()?,
//!     )
//!     .component(
//!         Component::builder("storage")
//!             .check(|| CheckOutcome::degraded("replica lagging"))
//!             .build()?,
//!     )
//!     .build()?;
//!
//! let report = checker.run();
//! assert_eq!(report.status, Status::Degraded);
//! let public = serde_json::to_string(&report.public()).unwrap_or_default();
//! assert!(!public.contains("replica"));
//! # Ok(())
//! # }
//! ```

mod checker;
mod component;
mod error;
mod monitor;
mod report;
mod status;

pub use checker::{HealthChecker, HealthCheckerBuilder};
pub use component::{Component, ComponentBuilder};
pub use error::HealthError;
pub use monitor::HealthMonitor;
pub use report::{ComponentHealth, Gauge, HealthReport, PublicHealth};
pub use status::{CheckOutcome, Status};

/// Metric name of the overall status gauge (0 ok, 1 degraded, 2 error).
pub const STATUS_GAUGE: &str = "health.status";
/// Metric name of the per-component status gauge (0 ok, 1 degraded, 2 error), tagged
/// `component=<name>`.
pub const COMPONENT_STATUS_GAUGE: &str = "health.component.status";
/// Metric name of the per-component check latency gauge in milliseconds, tagged
/// `component=<name>`.
pub const COMPONENT_LATENCY_GAUGE: &str = "health.component.latency_ms";

/// Where health gauges go. The telemetry pipeline implements this once; closures
/// `Fn(&str, f64, &[(&str, &str)])` implement it too.
///
/// ```
/// use telemetra::health::GaugeSink;
/// use parking_lot::Mutex;
///
/// let seen = Mutex::new(Vec::new());
/// let sink = |name: &str, value: f64, _tags: &[(&str, &str)]| {
///     seen.lock().push((name.to_owned(), value));
/// };
/// sink.gauge("health.status", 0.0, &[]);
/// assert_eq!(seen.lock().len(), 1);
/// ```
pub trait GaugeSink {
    /// Records the latest value of a gauge.
    fn gauge(&self, name: &str, value: f64, tags: &[(&str, &str)]);
}

impl<F> GaugeSink for F
where
    F: Fn(&str, f64, &[(&str, &str)]),
{
    fn gauge(&self, name: &str, value: f64, tags: &[(&str, &str)]) {
        self(name, value, tags);
    }
}
