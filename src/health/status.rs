//! Status values and check outcomes.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Health of a component or of the whole service, ordered from best to worst.
///
/// ```
/// use telemetra::health::Status;
/// assert_eq!(Status::Ok.worst(Status::Degraded), Status::Degraded);
/// assert_eq!(Status::Error.gauge_value(), 2.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Working normally.
    Ok,
    /// Working, but slow or partially impaired.
    Degraded,
    /// Not working, timed out or panicked.
    Error,
}

impl Status {
    /// The worse of two statuses.
    #[must_use]
    pub fn worst(self, other: Status) -> Status {
        self.max(other)
    }

    /// The overall status of many: any error ⇒ error, else any degraded ⇒ degraded, else
    /// ok (also for none).
    #[must_use]
    pub fn overall<I: IntoIterator<Item = Status>>(statuses: I) -> Status {
        statuses.into_iter().fold(Status::Ok, Status::worst)
    }

    /// Gauge encoding: 0 ok, 1 degraded, 2 error.
    #[must_use]
    pub fn gauge_value(self) -> f64 {
        match self {
            Status::Ok => 0.0,
            Status::Degraded => 1.0,
            Status::Error => 2.0,
        }
    }

    /// Lowercase name as it appears in JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Degraded => "degraded",
            Status::Error => "error",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a check closure returns: a status and an optional message (internal view only).
///
/// `Result<(), E: Display>` converts into an outcome: `Ok` ⇒ ok, `Err(e)` ⇒ error with
/// `e.to_string()` as the message.
///
/// ```
/// use telemetra::health::{CheckOutcome, Status};
/// let outcome: CheckOutcome = Err::<(), _>("connection refused").into();
/// assert_eq!(outcome.status, Status::Error);
/// assert_eq!(outcome.message.as_deref(), Some("connection refused"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOutcome {
    /// The status the check observed.
    pub status: Status,
    /// Optional detail for the internal view.
    pub message: Option<String>,
}

impl CheckOutcome {
    /// Healthy, no message.
    #[must_use]
    pub fn ok() -> Self {
        Self {
            status: Status::Ok,
            message: None,
        }
    }

    /// Healthy, with a message.
    #[must_use]
    pub fn ok_with(message: impl Into<String>) -> Self {
        Self {
            status: Status::Ok,
            message: Some(message.into()),
        }
    }

    /// Degraded, with a message.
    #[must_use]
    pub fn degraded(message: impl Into<String>) -> Self {
        Self {
            status: Status::Degraded,
            message: Some(message.into()),
        }
    }

    /// Error, with a message.
    #[must_use]
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            status: Status::Error,
            message: Some(message.into()),
        }
    }
}

impl<E: fmt::Display> From<Result<(), E>> for CheckOutcome {
    fn from(result: Result<(), E>) -> Self {
        match result {
            Ok(()) => CheckOutcome::ok(),
            Err(e) => CheckOutcome::error(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overall_status_rules() {
        use Status::{Degraded as D, Error as E, Ok as O};
        let cases: &[(&[Status], Status)] = &[
            (&[], O),
            (&[O], O),
            (&[O, O, O], O),
            (&[O, D], D),
            (&[D, D], D),
            (&[O, E], E),
            (&[D, E, O], E),
            (&[E, D], E),
            (&[E], E),
        ];
        for (input, want) in cases {
            assert_eq!(Status::overall(input.iter().copied()), *want, "{input:?}");
        }
    }
}
