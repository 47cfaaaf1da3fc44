//! A component to check: name, check closure, timeout, latency threshold.

use std::fmt;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use super::{CheckOutcome, HealthError};

pub(crate) type CheckFn = Arc<dyn Fn() -> CheckOutcome + Send + Sync + 'static>;

/// A registered health check. Build with [`Component::builder`].
///
/// ```
/// use std::time::Duration;
/// use telemetra::health::{CheckOutcome, Component};
///
/// # fn main() -> Result<(), telemetra::health::HealthError> {
/// let db = Component::builder("database")
///     .check(|| CheckOutcome::ok())
///     .timeout(Duration::from_secs(1))
///     .degraded_above(Duration::from_millis(200))
///     .build()?;
/// assert_eq!(db.name(), "database");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Component {
    pub(crate) name: Arc<str>,
    pub(crate) check: CheckFn,
    pub(crate) timeout: Duration,
    pub(crate) degraded_above: Option<Duration>,
    /// True while a worker thread is running this component's check. Shared by clones, so
    /// one component never has two workers at once.
    pub(crate) in_flight: Arc<AtomicBool>,
}

impl Component {
    /// Starts a builder for a component called `name` (used as the `component` tag value,
    /// so keep it short and free of user data).
    #[must_use]
    pub fn builder(name: impl Into<String>) -> ComponentBuilder {
        ComponentBuilder {
            name: name.into(),
            check: None,
            timeout: Duration::from_secs(5),
            degraded_above: None,
        }
    }

    /// A component named `environment` that is `error` when any of `vars` is unset or
    /// empty. The message lists the missing variable names, never any value.
    ///
    /// ```
    /// use telemetra::health::{Component, HealthChecker, Status};
    ///
    /// # fn main() -> Result<(), telemetra::health::HealthError> {
    /// let env = Component::required_env(&["TELEMETRA_SURELY_UNSET_VAR"])?;
    /// let report = HealthChecker::builder().component(env).build()?.run();
    /// assert_eq!(report.status, Status::Error);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// None in practice; the signature matches the builder's.
    pub fn required_env(vars: &[&str]) -> Result<Component, HealthError> {
        let vars: Vec<String> = vars.iter().map(|v| (*v).to_owned()).collect();
        Component::builder("environment")
            .timeout(Duration::from_secs(1))
            .check(move || {
                let missing: Vec<&str> = vars
                    .iter()
                    .filter(|v| std::env::var_os(v.as_str()).is_none_or(|x| x.is_empty()))
                    .map(String::as_str)
                    .collect();
                if missing.is_empty() {
                    CheckOutcome::ok()
                } else {
                    CheckOutcome::error(format!(
                        "missing environment variables: {}",
                        missing.join(", ")
                    ))
                }
            })
            .build()
    }

    /// The component name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The check timeout.
    #[must_use]
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The latency above which an `ok` result is reported as `degraded`, if any.
    #[must_use]
    pub fn degraded_above(&self) -> Option<Duration> {
        self.degraded_above
    }
}

impl fmt::Debug for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Component")
            .field("name", &self.name)
            .field("timeout", &self.timeout)
            .field("degraded_above", &self.degraded_above)
            .finish_non_exhaustive()
    }
}

/// Builder for [`Component`].
pub struct ComponentBuilder {
    name: String,
    check: Option<CheckFn>,
    timeout: Duration,
    degraded_above: Option<Duration>,
}

impl fmt::Debug for ComponentBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ComponentBuilder")
            .field("name", &self.name)
            .field("timeout", &self.timeout)
            .field("degraded_above", &self.degraded_above)
            .finish_non_exhaustive()
    }
}

impl ComponentBuilder {
    /// The check. It runs on a worker thread, may block (it is abandoned after `timeout`)
    /// and may panic (reported as `error`). Required; no default.
    #[must_use]
    pub fn check<F>(mut self, check: F) -> Self
    where
        F: Fn() -> CheckOutcome + Send + Sync + 'static,
    {
        self.check = Some(Arc::new(check));
        self
    }

    /// How long to wait for the check before reporting `error` ("timed out").
    /// Defaults to 5 s.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Latency above which an `ok` result is reported as `degraded` (e.g. 200 ms for a
    /// database, 500 ms for an API). Defaults to none (latency never degrades).
    #[must_use]
    pub fn degraded_above(mut self, threshold: Duration) -> Self {
        self.degraded_above = Some(threshold);
        self
    }

    /// Validates and builds the component.
    ///
    /// # Errors
    /// [`HealthError::InvalidName`], [`HealthError::MissingCheck`],
    /// [`HealthError::ZeroTimeout`] or [`HealthError::DegradedNotBelowTimeout`].
    pub fn build(self) -> Result<Component, HealthError> {
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if !name_ok {
            return Err(HealthError::InvalidName);
        }
        let check = self.check.ok_or(HealthError::MissingCheck)?;
        if self.timeout.is_zero() {
            return Err(HealthError::ZeroTimeout);
        }
        if self.degraded_above.is_some_and(|d| d >= self.timeout) {
            return Err(HealthError::DegradedNotBelowTimeout);
        }
        Ok(Component {
            name: Arc::from(self.name),
            check,
            timeout: self.timeout,
            degraded_above: self.degraded_above,
            in_flight: Arc::new(AtomicBool::new(false)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_the_field() {
        let ok = || CheckOutcome::ok();
        assert_eq!(
            Component::builder("").check(ok).build().err(),
            Some(HealthError::InvalidName)
        );
        assert_eq!(
            Component::builder("db").build().err(),
            Some(HealthError::MissingCheck)
        );
        assert_eq!(
            Component::builder("db")
                .check(ok)
                .timeout(Duration::ZERO)
                .build()
                .err(),
            Some(HealthError::ZeroTimeout)
        );
        let err = Component::builder("db")
            .check(ok)
            .timeout(Duration::from_millis(100))
            .degraded_above(Duration::from_millis(100))
            .build()
            .err();
        assert_eq!(err, Some(HealthError::DegradedNotBelowTimeout));
        assert!(err.is_some_and(|e| e.to_string().contains("degraded_above")));
    }
}
