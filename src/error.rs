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
    ///
    /// `failures` says why, one entry per sink: the kind of failure, the HTTP status if
    /// the vendor answered, and the sink's own message (sinks scrub credentials from
    /// it, as from every error they report).
    #[error("export failed for {}", ExportFailures(failures))]
    Export {
        /// The sinks whose export of the flushed state failed.
        sinks: Vec<String>,
        /// Each failing sink's last error, in the order of `sinks`.
        failures: Vec<SinkFailure>,
    },
    /// A sink reported an error (passed to the `on_error` handler).
    #[error("sink `{sink}` failed: {source}")]
    Sink {
        /// The sink's name.
        sink: String,
        /// What the sink said.
        #[source]
        source: SinkError,
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

/// Why one sink's export (or its own shutdown) failed: carried by [`Error::Export`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SinkFailure {
    /// The sink's name.
    pub sink: String,
    /// What kind of failure it was.
    pub kind: FailureKind,
    /// The HTTP status the vendor answered with, if it answered.
    pub status: Option<u16>,
    /// The sink's message (already free of credentials), or what happened when the
    /// sink had none to give (a panic).
    pub message: String,
}

/// The kind of a [`SinkFailure`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureKind {
    /// A failure the sink retries: the data is kept and goes with the next export.
    Transient,
    /// A failure retrying cannot fix (the vendor refused the payload): the data of
    /// that export was dropped and counted.
    Permanent,
    /// The sink panicked; the pipeline carried on.
    Panicked,
    /// The sink's own [`Sink::shutdown`](crate::sinks::Sink::shutdown) failed (such as a
    /// Pushgateway delete).
    Shutdown,
}

impl SinkFailure {
    pub(crate) fn new(sink: &str, kind: FailureKind, error: Option<&SinkError>) -> Self {
        SinkFailure {
            sink: sink.to_owned(),
            kind,
            status: error.and_then(|e| e.status()),
            message: match error {
                Some(e) => e.to_string(),
                None => "the sink panicked".to_owned(),
            },
        }
    }
}

impl std::fmt::Display for SinkFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.kind {
            FailureKind::Transient => "transient",
            FailureKind::Permanent => "permanent",
            FailureKind::Panicked => "panicked",
            FailureKind::Shutdown => "shutdown",
        };
        write!(f, "`{}` ({kind}", self.sink)?;
        if let Some(status) = self.status {
            write!(f, ", HTTP {status}")?;
        }
        write!(f, "): {}", self.message)
    }
}

/// Formats the failures of an [`Error::Export`], `; `-separated.
struct ExportFailures<'a>(&'a [SinkFailure]);

impl std::fmt::Display for ExportFailures<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, failure) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            failure.fmt(f)?;
        }
        Ok(())
    }
}

impl Error {
    /// An [`Error::Export`] for these failures (`sinks` follows from them).
    pub(crate) fn export(failures: Vec<SinkFailure>) -> Self {
        Error::Export {
            sinks: failures.iter().map(|f| f.sink.clone()).collect(),
            failures,
        }
    }

    pub(crate) fn config(field: &'static str, reason: impl Into<String>) -> Self {
        Error::Config {
            field,
            reason: reason.into(),
        }
    }
}

/// An export failure, as a sink reports it.
#[derive(Debug)]
pub struct SinkError {
    message: String,
    permanent: bool,
    retry_after: Option<Duration>,
    status: Option<u16>,
}

impl SinkError {
    /// A transient failure: the data is kept and sent with the next export.
    pub fn new(message: impl Into<String>) -> Self {
        SinkError {
            message: message.into(),
            permanent: false,
            retry_after: None,
            status: None,
        }
    }

    /// A failure that retrying cannot fix (the vendor rejected the payload): the
    /// cursor moves on, the data of this export is dropped and counted.
    pub fn permanent(message: impl Into<String>) -> Self {
        SinkError {
            permanent: true,
            ..SinkError::new(message)
        }
    }

    /// Asks the worker not to export again before `after` (a `Retry-After`).
    pub fn retry_after(mut self, after: Duration) -> Self {
        self.retry_after = Some(after);
        self
    }

    /// Records the HTTP status the vendor answered with (for callers that branch on
    /// it, such as the alert notifiers' retry policy).
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Puts `context` in front of the message (`"<context>: <message>"`), keeping the
    /// rest (permanence, `Retry-After`, HTTP status): for a sink that reports where in
    /// its work an inner failure happened.
    pub fn context(mut self, context: impl std::fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// Marks the failure permanent (see [`SinkError::permanent`]), keeping the rest.
    pub fn into_permanent(mut self) -> Self {
        self.permanent = true;
        self
    }

    /// The HTTP status the vendor answered with, if the failure was an HTTP answer.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// Whether this failure is permanent.
    pub fn is_permanent(&self) -> bool {
        self.permanent
    }

    /// The requested pause before the next export, if any.
    pub fn retry_after_hint(&self) -> Option<Duration> {
        self.retry_after
    }
}

impl std::fmt::Display for SinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SinkError {}
