//! Errors from building health checks.

/// Errors from [`ComponentBuilder::build`](super::ComponentBuilder::build) and
/// [`HealthCheckerBuilder::build`](super::HealthCheckerBuilder::build).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HealthError {
    /// The component `name` is empty or has characters other than `[A-Za-z0-9_.-]`.
    #[error("component `name` must be 1 to 64 characters of letters, digits, `_`, `.` or `-`")]
    InvalidName,
    /// No `check` closure was given.
    #[error("component `check` is missing")]
    MissingCheck,
    /// The `timeout` is zero.
    #[error("component `timeout` must be greater than zero")]
    ZeroTimeout,
    /// `degraded_above` is not below `timeout`.
    #[error("component `degraded_above` must be less than `timeout`")]
    DegradedNotBelowTimeout,
    /// Two components share a name.
    #[error("component `name` must be unique, `{0}` appears twice")]
    DuplicateComponent(String),
    /// The monitor `interval` is zero.
    #[error("monitor `interval` must be greater than zero")]
    ZeroInterval,
    /// The monitor thread could not be started.
    #[error("could not start the health monitor thread")]
    Thread,
    /// The monitor thread did not stop within the shutdown timeout.
    #[error("health monitor did not stop within the shutdown `timeout`")]
    ShutdownTimeout,
    /// `version` or `environment` is empty.
    #[error("`{0}` must not be empty")]
    Empty(&'static str),
}
