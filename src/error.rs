//! The crate's one error type.

use std::time::Duration;

/// Everything that can go wrong in telemetra's fallible calls.
///
/// Emission never returns an error: it degrades to counted drops. Errors come from
/// configuration (caught in `build()`), from starting the pipeline, and from
/// [`flush`](crate::Telemetry::flush) / [`shutdown`](crate::Telemetry::shutdown).
/// Messages never contain API keys, tokens, tag values or payloads.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A configuration value is out of range or inconsistent.
    #[error("invalid config: `{field}` {reason}")]
    Config {
        /// The builder setter or config key at fault.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The global handle was already installed.
    #[error("the global telemetry handle is already initialised")]
    AlreadyInitialized,
    /// A background thread could not be started.
    #[error("could not start the {what} thread")]
    Spawn {
        /// Which thread.
        what: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The pipeline was shut down (or was never started: a no-op handle).
    #[error("the telemetry pipeline is not running")]
    NotRunning,
    /// `flush` or `shutdown` was called on one of the pipeline's own threads (from an
    /// `on_error` hook, or inside a sink): it cannot wait for the pipeline from there,
    /// so it returns at once instead of waiting out its timeout.
    #[error("`{what}` called on one of the pipeline's own threads (an on_error hook or a sink), where it cannot wait for the pipeline")]
    OnPipelineThread {
        /// `flush`, `shutdown` or `collect_now`.
        what: &'static str,
    },
    /// `flush` or `shutdown` did not finish in time; the named sinks had not received
    /// the flushed state yet.
    #[error("timed out after {timeout:?} waiting for sinks: {pending:?}")]
    Timeout {
        /// The timeout that was given.
        timeout: Duration,
        /// Sinks (or `flusher`) still pending.
        pending: Vec<String>,
    },
    /// The flushed state reached the named sinks but their export failed (at
    /// shutdown also: their [`Sink::shutdown`](crate::sinks::Sink::shutdown) failed,
    /// such as a Pushgateway delete).
    #[error("export failed for sinks: {sinks:?}")]
    Export {
        /// The sinks whose export of the flushed state failed.
        sinks: Vec<String>,
    },
    /// A sink reported an error (passed to the `on_error` handler).
    #[error("sink `{sink}` failed: {source}")]
    Sink {
        /// The sink's name.
        sink: String,
        /// What the sink said.
        #[source]
        source: crate::sinks::SinkError,
    },
    /// An SLO definition or SLO config is invalid.
    #[error(transparent)]
    Slo(#[from] crate::slo::SloError),
    /// An alert rule, rule file or notifier is invalid.
    #[error(transparent)]
    Alert(#[from] crate::alert::AlertError),
    /// A health check registration is invalid.
    #[error(transparent)]
    Health(#[from] crate::health::HealthError),
    /// A cost, budget or quota configuration is invalid.
    #[error(transparent)]
    Cost(#[from] crate::cost::CostError),
    /// An unknown runtime switch or a bad switch file.
    #[error(transparent)]
    Switch(#[from] crate::switches::SwitchError),
    /// A PII scrubber configuration is invalid.
    #[error(transparent)]
    Pii(#[from] crate::pii::ConfigError),
    /// A sampling configuration is invalid.
    #[error(transparent)]
    Sampling(#[from] crate::sampling::SamplingError),
    /// A trace configuration or trace header problem.
    #[error(transparent)]
    Trace(#[from] crate::trace::TraceError),
    /// A sink's settings work but will likely surprise (passed to the `on_error`
    /// handler once, when the pipeline starts; see
    /// [`Sink::start_warnings`](crate::sinks::Sink::start_warnings)). Nothing failed.
    #[error("sink `{sink}` warning: {message}")]
    SinkWarning {
        /// The sink's name.
        sink: String,
        /// What may go wrong, and how to avoid it.
        message: String,
    },
    /// A name in the metric catalog was emitted as another kind (passed to the
    /// `on_error` handler once per name); the series is kept as emitted.
    #[error("metric `{name}` is a {catalogued:?} in the catalog but was emitted as a {emitted:?}")]
    CatalogMismatch {
        /// The metric name.
        name: String,
        /// The kind the catalog gives.
        catalogued: crate::snapshot::Kind,
        /// The kind it was emitted as.
        emitted: crate::snapshot::Kind,
    },
    /// A sink panicked (passed to the `on_error` handler); the pipeline carried on.
    #[error("sink `{sink}` panicked")]
    SinkPanicked {
        /// The sink's name.
        sink: String,
    },
}

impl Error {
    pub(crate) fn config(field: &'static str, reason: impl Into<String>) -> Self {
        Error::Config {
            field,
            reason: reason.into(),
        }
    }
}
