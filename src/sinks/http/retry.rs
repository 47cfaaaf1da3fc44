//! When to retry and how long to wait: backoff, `Retry-After`, retryable statuses.

use std::fmt;
use std::time::{Duration, Instant, SystemTime};

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

/// The delay before retry number `retry` (0 for the first retry) with full jitter:
/// `jitter · min(max, base · 2^retry)`, where `jitter` is uniform in `[0, 1]` (values
/// outside are clamped). Pure: the caller supplies the randomness.
///
/// ```
/// use std::time::Duration;
/// use telemetra::sinks::http::backoff_delay;
/// let base = Duration::from_millis(200);
/// let max = Duration::from_secs(10);
/// assert_eq!(backoff_delay(0, base, max, 1.0), Duration::from_millis(200));
/// assert_eq!(backoff_delay(3, base, max, 0.5), Duration::from_millis(800));
/// assert_eq!(backoff_delay(30, base, max, 1.0), max);
/// ```
pub fn backoff_delay(retry: u32, base: Duration, max: Duration, jitter: f64) -> Duration {
    let factor = 2u32.checked_pow(retry.min(31)).unwrap_or(u32::MAX);
    let ceiling = base.checked_mul(factor).unwrap_or(max).min(max);
    let j = if jitter.is_nan() {
        0.0
    } else {
        jitter.clamp(0.0, 1.0)
    };
    ceiling.mul_f64(j)
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

/// Whether a status is retried: `408`, `429` and every `5xx`.
pub fn is_retryable_status(status: u16) -> bool {
    status == 408 || status == 429 || (500..600).contains(&status)
}
