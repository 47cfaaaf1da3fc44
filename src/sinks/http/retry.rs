//! Waiting between attempts and reading `Retry-After`. The backoff itself
//! (`backoff_delay`, `retry_delay`, `is_retryable_status`) lives in `crate::net`, shared
//! with the alert dispatcher.

use std::fmt;
use std::time::{Duration, Instant, SystemTime};

/// How a transport waits between attempts. A test's sleeper records the
/// delays and returns at once.
pub trait Sleeper: Send + Sync + fmt::Debug {
    /// Waits for `d`.
    fn sleep(&self, d: Duration);

    /// The current instant, as seen by this sleeper (used for the total-time budget).
    /// Defaults to [`Instant::now`].
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// The real sleeper: [`std::thread::sleep`].
#[derive(Debug, Default, Clone, Copy)]
pub struct ThreadSleeper;

impl Sleeper for ThreadSleeper {
    fn sleep(&self, d: Duration) {
        std::thread::sleep(d);
    }
}

/// Parses a `Retry-After` value: delay-seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`), relative to `now`. A date in the past means no
/// wait; anything unparseable is `None`.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use telemetra::sinks::http::parse_retry_after;
/// assert_eq!(parse_retry_after("3", SystemTime::UNIX_EPOCH), Some(Duration::from_secs(3)));
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
/// assert_eq!(
///     parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
///     Some(Duration::from_secs(10))
/// );
/// ```
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return v.parse::<u64>().ok().map(Duration::from_secs);
    }
    // An HTTP-date in any of RFC 9110's three forms (IMF-fixdate, RFC 850, asctime);
    // else, leniently, any RFC 2822 date (a one-digit day, a numeric zone).
    let at = httpdate::parse_http_date(v).ok().or_else(|| {
        chrono::DateTime::parse_from_rfc2822(v)
            .ok()
            .map(|d| SystemTime::from(d.with_timezone(&chrono::Utc)))
    })?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}
