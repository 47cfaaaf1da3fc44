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
//! Connect errors, timeouts and other transport failures, `408`, `425`, `429` and every
//! `5xx` ([`is_retryable_status`]) are retried after a delay from [`retry_delay`]:
//! [`backoff_delay`] (exponential, full jitter: uniform in
//! `[0, min(max_backoff, base_backoff · 2^retry)]`), or a `Retry-After` header (seconds
//! or an HTTP date, see [`parse_retry_after`]) instead, capped by `max_backoff`. The alert
//! [`Dispatcher`](crate::alert::notify::Dispatcher) retries with the same functions. The whole `send`, waits included, stops retrying once the next wait
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
//! echoes them in an error text — as sent, base64-encoded or percent-encoded; for
//! `Basic` credentials also decoded. Scrubbing comes before the cut to
//! [`MAX_ERROR_TEXT`], so a secret straddling the cut cannot keep its first half. User
//! info in a request URL (`http://user:pass@host`) is sent as such a secret
//! `Authorization: Basic` header, never left to the HTTP client. Error messages never carry the URL (reqwest errors are
//! stripped with `without_url`) since URLs may hold credentials. Redirects are not
//! followed, so credentials never travel to another host.
//!
//! # Testing
//! [`backoff_delay`] and [`parse_retry_after`] are pure. Waiting goes through a
//! [`Sleeper`], so a test can record the delays instead of sleeping
//! ([`HttpTransport::with_sleeper`]).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::SinkError;
use crate::Error;

/// The longest part of a vendor's error text kept in an error message, in bytes.
pub const MAX_ERROR_TEXT: usize = 512;

/// The longest pause requested from the pipeline worker after a `Retry-After`.
const MAX_RETRY_AFTER_HINT: Duration = Duration::from_secs(600);

mod config;
mod request;
mod retry;

/// Checks that `url` is an absolute `http://` or `https://` URL with a host (parsed,
/// not matched by prefix: `http://` alone, `http:/x` or a bad port are refused); an
/// error names `field` and never echoes the URL, which may hold credentials.
// Used by the GCP and Datadog sinks; the others parse their URL themselves.
#[cfg_attr(not(any(feature = "gcp", feature = "datadog")), allow(dead_code))]
pub(crate) fn check_http_url(field: &'static str, url: &str) -> Result<reqwest::Url, Error> {
    let parsed = reqwest::Url::parse(url.trim())
        .map_err(|e| Error::config(field, format!("is not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::config(field, "must be an http:// or https:// URL"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Error::config(field, "must name a host"));
    }
    Ok(parsed)
}

use crate::net::Jitter;
pub use crate::net::{backoff_delay, is_retryable_status, retry_delay};
pub use config::{HttpConfig, HttpConfigBuilder};
pub(crate) use request::redact_url;
#[cfg(any(feature = "prometheus", feature = "http"))]
pub(crate) use request::take_basic_auth;
pub use request::{encode_body, Encoding, Method, Request, Response, Secret};
use request::{error_text, HeaderValue};
pub use retry::{parse_retry_after, Sleeper, ThreadSleeper};

/// What one attempt came to.
/// An HTTP answer of any status (see [`HttpTransport::answer_once`]).
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) content_type: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Vec<u8>,
}

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
        let req = req.with_url_credentials_as_header();
        let (body, encoding) = self.encode(&req)?;
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
            let delay = retry_delay(
                attempt - 1,
                self.config.base_backoff,
                self.config.max_backoff,
                jitter.next(),
                retry_after,
            );
            let spent = self.sleeper.now().saturating_duration_since(started);
            if spent + delay > self.config.max_total_time {
                return Err(give_up(" (retry time budget spent)"));
            }
            self.sleeper.sleep(delay);
        }
    }

    /// One attempt and no retry, for a caller with a retry loop of its own (the alert
    /// dispatcher): any HTTP answer, whatever its status, with the whole body. A
    /// body that is not a success has the request's secrets scrubbed but is not cut,
    /// so that the caller can scrub secrets of its own (a routing key sent in the
    /// body) before anything shortens it. `Err` only when no answer came (the text
    /// scrubbed and cut like every transport error).
    pub(crate) fn answer_once(&self, req: Request) -> Result<Answer, SinkError> {
        let req = req.with_url_credentials_as_header();
        let (body, encoding) = self.encode(&req)?;
        match self.exchange(&req, &body, encoding) {
            Ok(mut answer) => {
                if !(200..300).contains(&answer.status) {
                    answer.body = req
                        .scrub(&String::from_utf8_lossy(&answer.body))
                        .into_bytes();
                }
                Ok(answer)
            }
            Err(Attempt::Fatal(e)) => Err(e),
            Err(Attempt::Retry { what, .. }) => Err(SinkError::new(format!(
                "{} failed: {what}",
                req.method.as_str()
            ))),
            Err(Attempt::Done(r)) => Ok(Answer {
                status: r.status,
                content_type: r.content_type,
                retry_after: None,
                body: r.body,
            }),
        }
    }

    /// The body as sent, and its encoding (none for an empty body).
    fn encode(&self, req: &Request) -> Result<(Vec<u8>, Encoding), SinkError> {
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
        Ok((encode_body(&req.body, encoding)?, encoding))
    }

    /// One request and its answer, whatever the status; `Err` with the attempt's
    /// outcome when no answer came.
    fn exchange(&self, req: &Request, body: &[u8], encoding: Encoding) -> Result<Answer, Attempt> {
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
                return Err(Attempt::Fatal(SinkError::permanent(format!(
                    "header `{name}` has an invalid value"
                ))));
            };
            rb = rb.header(name.as_str(), hv);
        }
        if let Some(ce) = encoding.header_value() {
            rb = rb.header(reqwest::header::CONTENT_ENCODING, ce);
        }
        let resp = match rb.body(body.to_vec()).send() {
            Ok(r) => r,
            Err(e) => return Err(transport_error(req, e)),
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
            Err(e) => return Err(transport_error(req, e)),
        };
        Ok(Answer {
            status,
            content_type,
            retry_after,
            body,
        })
    }

    fn attempt(&self, req: &Request, body: &[u8], encoding: Encoding) -> Attempt {
        let Answer {
            status,
            content_type,
            retry_after,
            body,
        } = match self.exchange(req, body, encoding) {
            Ok(a) => a,
            Err(outcome) => return outcome,
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
    use super::request::truncate_text;
    use super::*;

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
    fn shown_urls_hold_no_credentials() {
        let cases = [
            ("http://u:p4ss@h:9/a?key=t0k#f", "http://***@h:9/a?***#***"),
            ("https://h/v3", "https://h/v3"),
            ("http://h/?access_token=t0k", "http://h/?***"),
            ("not a url u:p4ss@h?t0k", "***@h?***"),
            ("plain", "plain"),
        ];
        for (url, shown) in cases {
            assert_eq!(redact_url(url), shown, "{url}");
        }
        // Query values are scrubbed from error text, decoded or not.
        let req = Request::new(Method::Get, "http://127.0.0.1:1/t?access_token=a%2Fs3cret")
            .with_url_credentials_as_header();
        assert_eq!(req.scrub("got a/s3cret, a%2Fs3cret"), "got ***, ***");
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
