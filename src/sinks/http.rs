//! The shared HTTP transport of the network sinks: timeouts, compression, retries with
//! backoff and jitter, `Retry-After`.
//!
//! Every HTTP sink (Pushgateway, ingest, Datadog, GCP) builds one [`HttpTransport`] from an
//! [`HttpConfig`] and calls [`HttpTransport::send`] from its own worker thread. The client
//! is reqwest's blocking one with rustls: no async runtime is imposed on the application,
//! and the sink's thread is the only one that ever waits on the network.
//!
//! # Retries
//! One `send` makes up to [`max_attempts`](HttpConfigBuilder::max_attempts) attempts.
//! Connect errors, timeouts and other transport failures, `408`, `429` and every `5xx`
//! are retried after a delay from [`backoff_delay`] (exponential, full jitter: uniform in
//! `[0, min(max_backoff, base_backoff · 2^retry)]`). A `Retry-After` header (seconds or
//! an HTTP date, see [`parse_retry_after`]) replaces the jittered delay, capped by
//! `max_backoff`. The whole `send`, waits included, stops retrying once the next wait
//! would cross [`max_total_time`](HttpConfigBuilder::max_total_time). When retries run
//! out the error is transient ([`SinkError::new`]): the pipeline keeps the data and the
//! next export carries it; a server's `Retry-After` travels along as
//! [`SinkError::retry_after`] so the worker does not come back sooner than asked.
//!
//! Any other non-success status (`400`, `401`, `403`, `404`, `413`, …) is permanent
//! ([`SinkError::permanent`]): retrying the same payload cannot help. Its message names
//! the status and carries the start of the vendor's error text (at most
//! [`MAX_ERROR_TEXT`] bytes).
//!
//! # Secrets
//! Header values given as [`Secret`] (API keys, bearer tokens) are marked sensitive for
//! the HTTP stack, never appear in `Debug` output, and are replaced by `***` if a vendor
//! echoes them in an error text. Error messages never carry the URL (reqwest errors are
//! stripped with `without_url`) since URLs may hold credentials. Redirects are not
//! followed, so credentials never travel to another host.
//!
//! # Testing
//! [`backoff_delay`] and [`parse_retry_after`] are pure. Waiting goes through a
//! [`Sleeper`], so a test can record the delays instead of sleeping
//! ([`HttpTransport::with_sleeper`]).

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use flate2::write::{GzEncoder, ZlibEncoder};
use flate2::Compression;

use super::SinkError;
use crate::Error;

/// The longest part of a vendor's error text kept in an error message, in bytes.
pub const MAX_ERROR_TEXT: usize = 512;

/// The longest pause requested from the pipeline worker after a `Retry-After`.
const MAX_RETRY_AFTER_HINT: Duration = Duration::from_secs(600);

/// A credential (API key, bearer token): its `Debug` and `Display` print `***`.
///
/// ```
/// use telemetra::sinks::http::Secret;
/// let key = Secret::new("abc123");
/// assert_eq!(format!("{key:?}"), "Secret(***)");
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

/// Settings of an [`HttpTransport`].
#[derive(Debug, Clone)]
pub struct HttpConfig {
    connect_timeout: Duration,
    request_timeout: Duration,
    max_attempts: u32,
    base_backoff: Duration,
    max_backoff: Duration,
    max_total_time: Duration,
    gzip: bool,
    user_agent: String,
}

impl HttpConfig {
    /// A builder with the defaults.
    ///
    /// ```
    /// # fn main() -> Result<(), telemetra::Error> {
    /// use std::time::Duration;
    /// use telemetra::sinks::http::HttpConfig;
    /// let config = HttpConfig::builder()
    ///     .request_timeout(Duration::from_secs(5))
    ///     .max_attempts(3)
    ///     .build()?;
    /// assert_eq!(config.max_attempts(), 3);
    /// # Ok(()) }
    /// ```
    pub fn builder() -> HttpConfigBuilder {
        HttpConfigBuilder::default()
    }

    /// Time allowed to open a connection.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }
    /// Time allowed for one whole request, connect to last byte.
    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }
    /// Attempts per `send`, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }
    /// Backoff before the first retry (before jitter).
    pub fn base_backoff(&self) -> Duration {
        self.base_backoff
    }
    /// Longest wait between two attempts.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }
    /// Longest time one `send` spends, waits included, before giving up retrying.
    pub fn max_total_time(&self) -> Duration {
        self.max_total_time
    }
    /// Whether bodies are gzip-compressed unless a request says otherwise.
    pub fn gzip(&self) -> bool {
        self.gzip
    }
    /// The `User-Agent` header.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            max_attempts: 4,
            base_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_total_time: Duration::from_secs(30),
            gzip: true,
            user_agent: concat!("telemetra/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

/// Builds an [`HttpConfig`]; setters never fail, [`build`](HttpConfigBuilder::build)
/// checks.
#[derive(Debug, Clone, Default)]
pub struct HttpConfigBuilder {
    cfg: HttpConfig,
}

impl HttpConfigBuilder {
    /// Time allowed to open a connection (> 0). Defaults to 5 s.
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.cfg.connect_timeout = t;
        self
    }
    /// Time allowed for one request, connect to last byte (> 0). Defaults to 10 s.
    pub fn request_timeout(mut self, t: Duration) -> Self {
        self.cfg.request_timeout = t;
        self
    }
    /// Attempts per `send`, the first included (1 to 20). Defaults to 4.
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.cfg.max_attempts = n;
        self
    }
    /// Backoff ceiling of the first retry, doubled for each further one. Defaults to
    /// 200 ms.
    pub fn base_backoff(mut self, t: Duration) -> Self {
        self.cfg.base_backoff = t;
        self
    }
    /// Longest wait between two attempts, `Retry-After` included (≥ base backoff).
    /// Defaults to 10 s.
    pub fn max_backoff(mut self, t: Duration) -> Self {
        self.cfg.max_backoff = t;
        self
    }
    /// Longest time one `send` may take, waits included, before it stops retrying.
    /// Defaults to 30 s.
    pub fn max_total_time(mut self, t: Duration) -> Self {
        self.cfg.max_total_time = t;
        self
    }
    /// Whether request bodies are gzip-compressed unless the request asks for a
    /// specific [`Encoding`]. Defaults to `true`.
    pub fn gzip(mut self, on: bool) -> Self {
        self.cfg.gzip = on;
        self
    }
    /// The `User-Agent` header. Defaults to `telemetra/<version>`.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.cfg.user_agent = ua.into();
        self
    }

    /// Checks the settings.
    pub fn build(self) -> Result<HttpConfig, Error> {
        let c = self.cfg;
        if c.connect_timeout.is_zero() {
            return Err(Error::config(
                "connect_timeout",
                "must be greater than zero",
            ));
        }
        if c.request_timeout.is_zero() {
            return Err(Error::config(
                "request_timeout",
                "must be greater than zero",
            ));
        }
        if !(1..=20).contains(&c.max_attempts) {
            return Err(Error::config("max_attempts", "must be between 1 and 20"));
        }
        if c.max_backoff < c.base_backoff {
            return Err(Error::config(
                "max_backoff",
                "must not be smaller than base_backoff",
            ));
        }
        if c.user_agent.is_empty() || !c.user_agent.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(Error::config(
                "user_agent",
                "must be non-empty printable ASCII",
            ));
        }
        Ok(c)
    }
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

/// A request-body encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Sent as is, no `Content-Encoding`.
    Identity,
    /// `Content-Encoding: gzip`.
    Gzip,
    /// `Content-Encoding: deflate` (a zlib stream, as HTTP defines it).
    Deflate,
}

impl Encoding {
    /// The `Content-Encoding` value, `None` for identity.
    pub fn header_value(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some("gzip"),
            Encoding::Deflate => Some("deflate"),
        }
    }
}

/// Compresses `body` with `encoding` (identity returns it unchanged).
pub fn encode_body(body: &[u8], encoding: Encoding) -> Result<Vec<u8>, SinkError> {
    let fail = |e: std::io::Error| SinkError::permanent(format!("compressing the body: {e}"));
    match encoding {
        Encoding::Identity => Ok(body.to_vec()),
        Encoding::Gzip => {
            let mut enc =
                GzEncoder::new(Vec::with_capacity(body.len() / 4), Compression::default());
            enc.write_all(body).map_err(fail)?;
            enc.finish().map_err(fail)
        }
        Encoding::Deflate => {
            let mut enc =
                ZlibEncoder::new(Vec::with_capacity(body.len() / 4), Compression::default());
            enc.write_all(body).map_err(fail)?;
            enc.finish().map_err(fail)
        }
    }
}

#[derive(Clone)]
enum HeaderValue {
    Plain(String),
    Secret(Secret),
}

/// One HTTP request, built by a sink and handed to [`HttpTransport::send`].
///
/// ```
/// use telemetra::sinks::http::{Encoding, Method, Request, Secret};
/// let req = Request::new(Method::Post, "http://127.0.0.1:9/ingest")
///     .header("content-type", "application/json")
///     .secret_header("authorization", Secret::new("Bearer t0ken"))
///     .encoding(Encoding::Gzip)
///     .body(b"{}".to_vec());
/// assert!(!format!("{req:?}").contains("t0ken"));
/// ```
#[derive(Clone)]
pub struct Request {
    method: Method,
    url: String,
    headers: Vec<(String, HeaderValue)>,
    body: Vec<u8>,
    encoding: Option<Encoding>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| match v {
                HeaderValue::Plain(s) => (k.as_str(), s.as_str()),
                HeaderValue::Secret(_) => (k.as_str(), "***"),
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .field("encoding", &self.encoding)
            .finish_non_exhaustive()
    }
}

impl Request {
    /// A request with no headers and an empty body.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Request {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
            encoding: None,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .push((name.into(), HeaderValue::Plain(value.into())));
        self
    }

    /// Adds a header whose value is a credential: marked sensitive, never printed.
    pub fn secret_header(mut self, name: impl Into<String>, value: Secret) -> Self {
        self.headers.push((name.into(), HeaderValue::Secret(value)));
        self
    }

    /// Sets the (uncompressed) body.
    pub fn body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }

    /// Compresses the body with `encoding`, whatever [`HttpConfig::gzip`] says.
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = Some(encoding);
        self
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The uncompressed body.
    pub fn body_bytes(&self) -> &[u8] {
        &self.body
    }

    fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (_, v) in &self.headers {
            if let HeaderValue::Secret(s) = v {
                // The whole value, and the credential after an auth scheme (`Bearer x`).
                let whole = s.expose().trim();
                let token = whole.rsplit(' ').next().unwrap_or(whole);
                for part in [whole, token] {
                    if part.len() >= 4 {
                        out = out.replace(part, "***");
                    }
                }
                // Basic credentials also as a server may echo them decoded.
                for part in basic_parts(whole) {
                    if part.len() >= 4 {
                        out = out.replace(&part, "***");
                    }
                }
            }
        }
        out
    }
}

/// A response with a success status.
#[derive(Debug, Clone)]
pub struct Response {
    /// The HTTP status (2xx).
    pub status: u16,
    /// The `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The (decompressed) body.
    pub body: Vec<u8>,
}

/// How a transport waits between attempts. Tests substitute one that records the
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

/// Removes the user info from `url` and returns it as an `Authorization: Basic` value
/// (user and password percent-decoded), to be sent as a secret header: the transport
/// then scrubs it, and the decoded password, from every error.
pub(crate) fn take_basic_auth(url: &mut reqwest::Url) -> Option<Secret> {
    use base64::Engine as _;
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let pair = format!(
        "{}:{}",
        decode(url.username()),
        decode(url.password().unwrap_or(""))
    );
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Some(Secret::new(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )))
}

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

/// `url` with any user info replaced by `***` (for `Debug` and errors).
pub(crate) fn redact_userinfo(url: &str) -> String {
    match reqwest::Url::parse(url.trim()) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_username("***");
            let _ = u.set_password(None);
            u.to_string()
        }
        Ok(u) => u.to_string(),
        // Unparsable: show nothing after the scheme that could hold credentials.
        Err(_) => match url.split_once('@') {
            Some((_, host)) => format!("***@{host}"),
            None => url.to_owned(),
        },
    }
}

/// A vendor's or the client's error text as it may appear in an error: the request's
/// secrets scrubbed *before* the cut to [`MAX_ERROR_TEXT`] bytes, so that a secret
/// straddling the cut cannot keep its first half.
fn error_text(req: &Request, raw: &str) -> String {
    truncate_text(&req.scrub(raw))
}

/// Keeps at most [`MAX_ERROR_TEXT`] bytes of `text` (at a character boundary), on one
/// line.
fn truncate_text(text: &str) -> String {
    let mut end = text.len().min(MAX_ERROR_TEXT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text.get(..end).unwrap_or_default();
    let mut out: String = cut
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned();
    if end < text.len() {
        out.push('…');
    }
    out
}

/// A small xorshift generator for jitter, seeded per `send` from the std hasher's
/// random keys (no extra dependency, no shared state).
struct Jitter(u64);

impl Jitter {
    fn new() -> Self {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(0x9e37_79b9_7f4a_7c15);
        Jitter(h.finish() | 1)
    }

    fn next(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// What one attempt came to.
enum Attempt {
    Done(Response),
    Retry {
        what: String,
        retry_after: Option<Duration>,
        /// The HTTP status, when the attempt got an answer.
        status: Option<u16>,
    },
    Fatal(SinkError),
}

/// The shared HTTP client of the network sinks. Cheap to share (`Clone` shares the
/// connection pool).
#[derive(Clone)]
pub struct HttpTransport {
    client: reqwest::blocking::Client,
    config: HttpConfig,
    sleeper: Arc<dyn Sleeper>,
}

impl fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpTransport")
            .field("config", &self.config)
            .field("sleeper", &self.sleeper)
            .finish_non_exhaustive()
    }
}

impl HttpTransport {
    /// A transport with `config`.
    ///
    /// Safe to call from inside an async runtime (`#[tokio::main]`): reqwest's blocking
    /// client panics when *built* on a runtime thread, so it is built on a short-lived
    /// thread of its own; it is only ever *used* on the sink's worker thread.
    pub fn new(config: HttpConfig) -> Result<Self, Error> {
        let builder = reqwest::blocking::Client::builder()
            .use_rustls_tls()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none());
        let built = std::thread::scope(|s| {
            std::thread::Builder::new()
                .name("telemetra-http-init".into())
                .spawn_scoped(s, move || builder.build())
                .map(|h| h.join())
        });
        let client = match built {
            Ok(Ok(Ok(client))) => client,
            Ok(Ok(Err(e))) => {
                return Err(Error::config(
                    "http",
                    format!("cannot build the client: {}", e.without_url()),
                ))
            }
            Ok(Err(_panicked)) => {
                return Err(Error::config("http", "building the client panicked"))
            }
            Err(source) => {
                return Err(Error::Spawn {
                    what: "telemetra-http-init".into(),
                    source,
                })
            }
        };
        Ok(HttpTransport {
            client,
            config,
            sleeper: Arc::new(ThreadSleeper),
        })
    }

    /// Replaces the sleeper (tests: record delays instead of waiting).
    pub fn with_sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// The settings.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// Sends `req`, retrying as described in the [module docs](self). `Ok` only for a
    /// 2xx status.
    pub fn send(&self, req: Request) -> Result<Response, SinkError> {
        let encoding = req.encoding.unwrap_or(if self.config.gzip {
            Encoding::Gzip
        } else {
            Encoding::Identity
        });
        let encoding = if req.body.is_empty() {
            Encoding::Identity
        } else {
            encoding
        };
        let body = encode_body(&req.body, encoding)?;
        let started = self.sleeper.now();
        let mut jitter = Jitter::new();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let (what, retry_after, status) = match self.attempt(&req, &body, encoding) {
                Attempt::Done(r) => return Ok(r),
                Attempt::Fatal(e) => return Err(e),
                Attempt::Retry {
                    what,
                    retry_after,
                    status,
                } => (what, retry_after, status),
            };
            let give_up = |why: &str| {
                let e = SinkError::new(format!(
                    "{} failed after {attempt} attempt{}{why}: {what}",
                    req.method.as_str(),
                    if attempt == 1 { "" } else { "s" },
                ));
                let e = match status {
                    Some(s) => e.with_status(s),
                    None => e,
                };
                match retry_after {
                    Some(d) => e.retry_after(d.min(MAX_RETRY_AFTER_HINT)),
                    None => e,
                }
            };
            if attempt >= self.config.max_attempts {
                return Err(give_up(""));
            }
            let delay = match retry_after {
                Some(d) => d.min(self.config.max_backoff),
                None => backoff_delay(
                    attempt - 1,
                    self.config.base_backoff,
                    self.config.max_backoff,
                    jitter.next(),
                ),
            };
            let spent = self.sleeper.now().saturating_duration_since(started);
            if spent + delay > self.config.max_total_time {
                return Err(give_up(" (retry time budget spent)"));
            }
            self.sleeper.sleep(delay);
        }
    }

    fn attempt(&self, req: &Request, body: &[u8], encoding: Encoding) -> Attempt {
        let mut rb = self
            .client
            .request(req.method.to_reqwest(), req.url.as_str());
        for (name, value) in &req.headers {
            let hv = match value {
                HeaderValue::Plain(s) => reqwest::header::HeaderValue::from_str(s),
                HeaderValue::Secret(s) => {
                    reqwest::header::HeaderValue::from_str(s.expose()).map(|mut v| {
                        v.set_sensitive(true);
                        v
                    })
                }
            };
            let Ok(hv) = hv else {
                return Attempt::Fatal(SinkError::permanent(format!(
                    "header `{name}` has an invalid value"
                )));
            };
            rb = rb.header(name.as_str(), hv);
        }
        if let Some(ce) = encoding.header_value() {
            rb = rb.header(reqwest::header::CONTENT_ENCODING, ce);
        }
        let resp = match rb.body(body.to_vec()).send() {
            Ok(r) => r,
            Err(e) => return transport_error(req, e),
        };
        let status = resp.status().as_u16();
        let header = |name: reqwest::header::HeaderName| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let retry_after = header(reqwest::header::RETRY_AFTER)
            .and_then(|v| parse_retry_after(&v, SystemTime::now()));
        let body = match resp.bytes() {
            Ok(b) => b.to_vec(),
            Err(e) if (200..300).contains(&status) => {
                // The server accepted the request; a broken response body changes nothing.
                let _ = e;
                Vec::new()
            }
            Err(e) => return transport_error(req, e),
        };
        if (200..300).contains(&status) {
            return Attempt::Done(Response {
                status,
                content_type,
                body,
            });
        }
        let text = error_text(req, &String::from_utf8_lossy(&body));
        let what = if text.is_empty() {
            format!("status {status}")
        } else {
            format!("status {status}: {text}")
        };
        if is_retryable_status(status) {
            Attempt::Retry {
                what,
                retry_after,
                status: Some(status),
            }
        } else {
            Attempt::Fatal(
                SinkError::permanent(format!("{} rejected with {what}", req.method.as_str()))
                    .with_status(status),
            )
        }
    }
}

fn transport_error(req: &Request, e: reqwest::Error) -> Attempt {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "transport error"
    };
    let e = e.without_url();
    // The innermost cause says the most ("connection refused"); none carries the URL.
    let mut cause: &dyn std::error::Error = &e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let what = error_text(req, &format!("{kind}: {cause}"));
    if e.is_builder() {
        return Attempt::Fatal(SinkError::permanent(format!("invalid request: {what}")));
    }
    Attempt::Retry {
        what,
        retry_after: None,
        status: None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
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
    fn jitter_stays_in_unit_interval() {
        let mut j = Jitter::new();
        for _ in 0..10_000 {
            let x = j.next();
            assert!((0.0..1.0).contains(&x));
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        // RFC 9110 also allows the obsolete RFC 850 and asctime forms.
        assert_eq!(
            parse_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Wed Oct 21 07:28:00 2015", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
        assert_eq!(parse_retry_after("", now), None);
    }

    #[test]
    fn statuses() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable_status(s), "{s}");
        }
        for s in [400, 401, 403, 404, 413, 422] {
            assert!(!is_retryable_status(s), "{s}");
        }
    }

    #[test]
    fn error_text_is_truncated_on_a_char_boundary() {
        let long = "é".repeat(400);
        let t = truncate_text(&long);
        assert!(t.len() <= MAX_ERROR_TEXT + '…'.len_utf8());
        assert!(t.ends_with('…'));
        assert_eq!(truncate_text("bad\nthing"), "bad thing");
    }

    #[test]
    fn a_secret_straddling_the_cut_is_scrubbed_whole() {
        let token = "tok-0123456789abcdefghij";
        let req = Request::new(Method::Post, "http://127.0.0.1:1/x")
            .secret_header("authorization", Secret::new(format!("Bearer {token}")));
        // The token starts 8 bytes before the cut.
        let echoed = format!("{}{token} trailing", "x".repeat(MAX_ERROR_TEXT - 8));
        let text = error_text(&req, &echoed);
        assert!(!text.contains(&token[..8]), "{text}");
        assert!(text.len() <= MAX_ERROR_TEXT + '…'.len_utf8());
    }

    #[test]
    fn secrets_are_scrubbed_from_vendor_text() {
        let req = Request::new(Method::Post, "http://x")
            .secret_header("authorization", Secret::new("Bearer s3cr3t-token"));
        assert_eq!(req.scrub("invalid token s3cr3t-token"), "invalid token ***");
        assert!(!format!("{req:?}").contains("s3cr3t"));
    }

    #[test]
    fn config_validation_names_the_field() {
        let e = HttpConfig::builder().max_attempts(0).build().unwrap_err();
        assert!(e.to_string().contains("max_attempts"));
        let e = HttpConfig::builder()
            .base_backoff(Duration::from_secs(20))
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("max_backoff"));
        let c = HttpConfig::default();
        assert_eq!(
            c.user_agent(),
            concat!("telemetra/", env!("CARGO_PKG_VERSION"))
        );
    }
}
