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

/// `text` with every one of `secrets` replaced by `***`, in each form a server or
/// proxy may echo it: as given; the credential after an auth scheme (`Bearer x` →
/// `x`); for `Basic` credentials `user:password` and the password, decoded; each of
/// these base64-encoded; and all of them percent-encoded (RFC 3986's unreserved
/// characters kept, or everything but alphanumerics escaped). Parts shorter than 4
/// bytes are left alone (they would blank out ordinary words). What the sinks'
/// transport and the alert dispatcher both scrub with, before any cut to length.
pub(crate) fn scrub<'a>(text: &str, secrets: impl IntoIterator<Item = &'a str>) -> String {
    use base64::Engine as _;
    let mut parts: Vec<String> = Vec::new();
    for s in secrets {
        // The whole value, and the credential after an auth scheme (`Bearer x`).
        let whole = s.trim();
        parts.push(whole.to_owned());
        if let Some((_, token)) = whole.rsplit_once(' ') {
            parts.push(token.to_owned());
        }
        // Basic credentials also as a server may echo them decoded.
        parts.extend(basic_parts(whole));
    }
    // Each also base64-encoded (as a server may echo a header it decoded or
    // re-encoded), then everything as it appears percent-encoded (in an echoed URL
    // or form body).
    let b64: Vec<String> = parts
        .iter()
        .map(|p| base64::engine::general_purpose::STANDARD.encode(p))
        .collect();
    parts.extend(b64);
    let encoded: Vec<String> = parts
        .iter()
        .flat_map(|p| {
            [UNRESERVED_KEPT, percent_encoding::NON_ALPHANUMERIC]
                .map(|set| percent_encoding::utf8_percent_encode(p, set).to_string())
        })
        .collect();
    parts.extend(encoded);
    // Longest first, so that a part never leaves the rest of a longer one behind.
    parts.sort_by_key(|p| std::cmp::Reverse(p.len()));
    parts.dedup();
    let mut out = text.to_owned();
    for part in parts.iter().filter(|p| p.len() >= 4) {
        if out.contains(part.as_str()) {
            out = out.replace(part.as_str(), "***");
        }
    }
    out
}

/// What [`scrub`] percent-encodes: everything but RFC 3986's unreserved characters
/// (it also tries the stricter everything-but-alphanumerics).
const UNRESERVED_KEPT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// For a `Basic <base64>` value: `user:password` and the password, decoded.
fn basic_parts(value: &str) -> Vec<String> {
    use base64::Engine as _;
    let Some(b64) = value.strip_prefix("Basic ") else {
        return Vec::new();
    };
    let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(b64.trim()) else {
        return Vec::new();
    };
    let pair = String::from_utf8_lossy(&raw).into_owned();
    match pair.split_once(':') {
        Some((_, pass)) => vec![pair.clone(), pass.to_owned()],
        None => vec![pair],
    }
}

/// The secrets a URL carries, for [`scrub`]: the whole URL, its path and query (a
/// webhook's token), and its user info, also as the `Basic` header a client makes of
/// it (so that the decoded password and `user:password` are scrubbed too). A plain
/// split, not a parser: it only decides what to scrub, and scrubbing more is safe.
pub(crate) fn url_secrets(url: &str) -> Vec<String> {
    use base64::Engine as _;
    let url = url.trim();
    let mut out = vec![url.to_owned()];
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => (
            rest.get(..i).unwrap_or_default(),
            rest.get(i..).unwrap_or_default(),
        ),
        None => (rest, ""),
    };
    let path = path.split('#').next().unwrap_or_default();
    if path.len() > 1 {
        out.push(path.to_owned());
    }
    if let Some((userinfo, _)) = authority.rsplit_once('@') {
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        let (user, pass) = userinfo.split_once(':').unwrap_or((userinfo, ""));
        let pair = format!("{}:{}", decode(user), decode(pass));
        out.push(userinfo.to_owned());
        out.push(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        ));
    }
    out
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
    fn every_form_of_a_secret_is_scrubbed() {
        use base64::Engine as _;
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let text = format!(
            "a=R0UT1NG/key b={} c=R0UT1NG%2Fkey d=Bearer t0k3n-x e={} f=usr:pa55/w g=pa55/w",
            b64("R0UT1NG/key"),
            b64("usr:pa55/w")
        );
        let secrets = [
            "R0UT1NG/key".to_owned(),
            "Bearer t0k3n-x".to_owned(),
            format!("Basic {}", b64("usr:pa55/w")),
        ];
        let out = scrub(&text, secrets.iter().map(String::as_str));
        assert_eq!(out, "a=*** b=*** c=*** d=*** e=*** f=*** g=***");
        // Short parts are left alone.
        assert_eq!(scrub("abc abc", ["abc"]), "abc abc");
    }

    #[test]
    fn urls_give_up_their_path_and_credentials() {
        let s = url_secrets("https://am:pa%2Fss@h:9/services/T0/B0/t0k?x=1#frag");
        assert!(s.contains(&"/services/T0/B0/t0k?x=1".to_owned()), "{s:?}");
        assert!(s.contains(&"am:pa%2Fss".to_owned()), "{s:?}");
        let out = scrub("got am:pa/ss and pa/ss", s.iter().map(String::as_str));
        assert_eq!(out, "got *** and ***");
        assert_eq!(url_secrets("http://h"), vec!["http://h".to_owned()]);
    }

    #[test]
    fn secret_never_prints() {
        let s = Secret::new("k3y");
        assert_eq!(format!("{s:?} {s}"), "Secret(***) ***");
        assert!(!s.is_empty() && Secret::from(String::new()).is_empty());
    }
}
