//! What the sinks' HTTP transport and the alert notifiers share, with or without the
//! `transport` feature: the [`Secret`] type and the one retry policy (exponential
//! backoff with full jitter, `Retry-After` honoured, retryable statuses).
//!
//! Re-exported as `sinks::http::{Secret, backoff_delay, retry_delay, is_retryable_status}`
//! (feature `transport`) and `alert::notify::Secret`; the alert
//! [`Dispatcher`](crate::alert::notify::Dispatcher) waits with [`retry_delay`] like
//! the transport does, so there is one policy and one set of tests.

// Without the transport, only `Secret` is re-exported; the policy is used inside.
#![cfg_attr(not(feature = "transport"), allow(unreachable_pub))]

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// A credential (API key, bearer token, webhook URL, routing key): its `Debug` and
/// `Display` print `***`.
///
/// ```
/// use telemetra::alert::notify::Secret;
/// let key = Secret::new("abc123");
/// assert_eq!(format!("{key:?}"), "Secret(***)");
/// assert_eq!(format!("{key}"), "***");
/// assert_eq!(key.expose(), "abc123");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the credential is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

/// The delay before retry number `retry` (0 for the first retry) with full jitter:
/// `jitter · min(max, base · 2^retry)`, where `jitter` is uniform in `[0, 1]` (values
/// outside are clamped, NaN counts as 0). Pure: the caller supplies the randomness.
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

/// The wait before retry number `retry`: the server's `Retry-After`, if it sent one,
/// capped at `max`; else [`backoff_delay`]. What the transport and the alert
/// dispatcher both wait.
///
/// ```
/// use std::time::Duration;
/// use telemetra::sinks::http::retry_delay;
/// let (base, max) = (Duration::from_millis(500), Duration::from_secs(30));
/// assert_eq!(retry_delay(1, base, max, 1.0, None), Duration::from_secs(1));
/// assert_eq!(retry_delay(1, base, max, 1.0, Some(Duration::from_secs(7))), Duration::from_secs(7));
/// assert_eq!(retry_delay(1, base, max, 1.0, Some(Duration::from_secs(700))), max);
/// ```
pub fn retry_delay(
    retry: u32,
    base: Duration,
    max: Duration,
    jitter: f64,
    retry_after: Option<Duration>,
) -> Duration {
    match retry_after {
        Some(d) => d.min(max),
        None => backoff_delay(retry, base, max, jitter),
    }
}

/// Whether a status is retried: `408`, `425`, `429` and every `5xx`.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 425 | 429) || (500..600).contains(&status)
}

/// A small xorshift generator for jitter, seeded per `send` (or per alert delivery)
/// from the std hasher's random keys (no extra dependency, no shared state).
pub(crate) struct Jitter(u64);

impl Jitter {
    pub(crate) fn new() -> Self {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(0x9e37_79b9_7f4a_7c15);
        Jitter(h.finish() | 1)
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn next(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_then_caps_and_jitter_scales_it() {
        let base = Duration::from_millis(200);
        let max = Duration::from_secs(10);
        let full: Vec<_> = (0..8).map(|r| backoff_delay(r, base, max, 1.0)).collect();
        let ms: Vec<u128> = full.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [200, 400, 800, 1600, 3200, 6400, 10_000, 10_000]);
        assert_eq!(backoff_delay(2, base, max, 0.0), Duration::ZERO);
        assert_eq!(
            backoff_delay(2, base, max, 0.25),
            Duration::from_millis(200)
        );
        assert_eq!(backoff_delay(u32::MAX, base, max, 1.0), max);
        assert_eq!(backoff_delay(1, base, max, f64::NAN), Duration::ZERO);
        assert_eq!(backoff_delay(1, base, max, 7.0), Duration::from_millis(400));
    }

    #[test]
    fn retry_after_replaces_the_backoff_and_is_capped() {
        let base = Duration::from_millis(500);
        let max = Duration::from_secs(30);
        let ra = |s| Some(Duration::from_secs(s));
        // Longer or shorter than the backoff: the server's word wins.
        assert_eq!(
            retry_delay(0, base, max, 1.0, ra(7)),
            Duration::from_secs(7)
        );
        assert_eq!(
            retry_delay(5, base, max, 1.0, ra(1)),
            Duration::from_secs(1)
        );
        assert_eq!(retry_delay(0, base, max, 0.0, ra(0)), Duration::ZERO);
        assert_eq!(retry_delay(0, base, max, 1.0, ra(700)), max);
        assert_eq!(
            retry_delay(3, base, max, 0.5, None),
            backoff_delay(3, base, max, 0.5)
        );
    }

    #[test]
    fn jitter_stays_in_unit_interval() {
        let mut j = Jitter::new();
        for _ in 0..10_000 {
            let x = j.next();
            assert!((0.0..1.0).contains(&x));
        }
    }

    #[test]
    fn statuses() {
        for s in [408, 425, 429, 500, 502, 503, 504, 599] {
            assert!(is_retryable_status(s), "{s}");
        }
        for s in [200, 400, 401, 403, 404, 413, 422, 600] {
            assert!(!is_retryable_status(s), "{s}");
        }
    }

    #[test]
    fn secret_never_prints() {
        let s = Secret::new("k3y");
        assert_eq!(format!("{s:?} {s}"), "Secret(***) ***");
        assert!(!s.is_empty() && Secret::from(String::new()).is_empty());
    }
}
