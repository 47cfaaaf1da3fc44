//! Notifiers: Slack, PagerDuty Events v2, Alertmanager v2 and a generic JSON webhook.
//!
//! Payloads are pure functions of an [`AlertEvent`] ([`payload`]); a [`Notifier`] turns an
//! event into a [`Request`]; the [`Dispatcher`] sends requests through an [`HttpPost`]
//! transport with retries and exponential backoff, runs each notifier on its own scoped
//! thread (a failing or slow notifier never blocks the others), and honours the global and
//! per-channel kill switches (`alerts.enabled`, `alerts.slack`, `alerts.pagerduty`,
//! `alerts.alertmanager`, `alerts.webhook`).
//!
//! # The HTTP client
//! With the `transport` feature (on with any HTTP sink, so by default), the sinks' shared
//! transport implements [`HttpPost`]: `Dispatcher::new(Arc::new(HttpTransport::new(config)?))`
//! with [`sinks::http::HttpTransport`](crate::sinks::http::HttpTransport) — reqwest with
//! rustls, `https://` and `http://`, IPv6 literals, timeouts from the
//! [`HttpConfig`](crate::sinks::http::HttpConfig). It makes one attempt per `post`; the
//! dispatcher's [`RetryPolicy`] does the retrying (the transport's `max_attempts` is not
//! used here). Without the feature, implement [`HttpPost`] over the HTTP client the
//! application already has; nothing else in this module needs it.
//!
//! ```
//! # #[cfg(feature = "transport")]
//! # fn main() -> Result<(), telemetra::Error> {
//! use std::sync::Arc;
//! use telemetra::alert::notify::{Dispatcher, Secret, SlackNotifier};
//! use telemetra::sinks::http::{HttpConfig, HttpTransport};
//! let transport = HttpTransport::new(HttpConfig::default())?;
//! let dispatcher = Dispatcher::new(Arc::new(transport))
//!     .notifier(SlackNotifier::new(Secret::new("https://hooks.slack.com/services/T0/B0/x")));
//! # let _ = dispatcher; Ok(()) }
//! # #[cfg(not(feature = "transport"))]
//! # fn main() {}
//! ```
//!
//! Secrets (webhook URLs, routing keys, auth headers) live in [`Secret`] (the same type as
//! `sinks::http::Secret`) and in [`Request`], whose `Debug` output redacts them; errors
//! carry only channel names, status codes and transport error kinds. A server that
//! echoes the request (a PagerDuty routing key in its answer, a proxy repeating the
//! URL) has every secret scrubbed from the response body a notifier's
//! [`delivered`](Notifier::delivered) reads and from the error text, whatever the
//! [`HttpPost`] implementation (see [`Notifier::secrets`]).

mod dispatch;
pub mod payload;
mod queue;
#[cfg(feature = "transport")]
mod transport;

#[cfg(all(test, feature = "transport"))]
mod tests_alertmanager;
#[cfg(test)]
mod tests_http;

pub use crate::net::Secret;
pub use dispatch::{DeliveryOutcome, DispatchReport, Dispatcher, RetryPolicy};
pub use payload::{AlertmanagerNotifier, PagerDutyNotifier, SlackNotifier, WebhookNotifier};
pub use queue::{DispatchQueue, QueueStats};

use super::event::AlertEvent;
use super::AlertError;
use std::fmt;
use std::time::Duration;

/// An HTTP response as the transport returns it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Body bytes.
    pub body: Vec<u8>,
    /// Parsed `Retry-After` (seconds or an HTTP date), if present.
    pub retry_after: Option<Duration>,
}

/// Transport failures; messages never contain the URL or the body.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The URL could not be used (e.g. unsupported scheme).
    #[error("unsupported or malformed url")]
    InvalidUrl,
    /// Connecting failed.
    #[error("connection failed: {0}")]
    Connect(String),
    /// Reading or writing timed out.
    #[error("request timed out")]
    Timeout,
    /// Other I/O error (its kind only).
    #[error("i/o error: {0}")]
    Io(String),
    /// The response was not valid HTTP/1.1.
    #[error("malformed http response")]
    Protocol,
}

/// The seam to an HTTP client. With the `transport` feature,
/// [`sinks::http::HttpTransport`](crate::sinks::http::HttpTransport) implements it (see
/// the [module docs](self)); without it, implement it over the application's own HTTP
/// client. An implementation makes one attempt per call (the [`Dispatcher`] retries) and
/// must not put the URL, header values or body into a [`TransportError`].
pub trait HttpPost: Send + Sync {
    /// Sends `body` with `headers` to `url` by POST and returns the response.
    fn post(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<HttpResponse, TransportError>;
}

/// Notification channels (each has its own kill switch).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    /// Slack incoming webhook (`alerts.slack`).
    Slack,
    /// PagerDuty Events API v2 (`alerts.pagerduty`).
    PagerDuty,
    /// Prometheus Alertmanager API v2 (`alerts.alertmanager`).
    Alertmanager,
    /// Generic JSON webhook (`alerts.webhook`).
    Webhook,
}

impl Channel {
    /// All channels.
    pub const ALL: [Channel; 4] = [
        Self::Slack,
        Self::PagerDuty,
        Self::Alertmanager,
        Self::Webhook,
    ];

    /// Lowercase name, also the switch suffix (`alerts.<name>`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Slack => "slack",
            Self::PagerDuty => "pagerduty",
            Self::Alertmanager => "alertmanager",
            Self::Webhook => "webhook",
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Self::Slack => 0,
            Self::PagerDuty => 1,
            Self::Alertmanager => 2,
            Self::Webhook => 3,
        }
    }
}

/// A prepared HTTP request; `Debug` redacts the URL and header values.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// Destination (secret for Slack and webhooks).
    pub url: Secret,
    /// Headers (values may be secret).
    pub headers: Vec<(String, String)>,
    /// JSON body.
    pub body: Vec<u8>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("Request")
            .field("url", &self.url)
            .field("headers", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Turns alert events into requests for one destination.
pub trait Notifier: Send + Sync + fmt::Debug {
    /// The channel (for kill switches and errors).
    fn channel(&self) -> Channel;

    /// Whether this notifier wants the event (severity floor, resolved events, ...).
    fn accepts(&self, event: &AlertEvent) -> bool;

    /// Builds the request for one event (pure).
    fn request(&self, event: &AlertEvent) -> Result<Request, AlertError>;

    /// Whether a response means delivered. Defaults to any 2xx. The body it gets has
    /// every secret of the notifier already scrubbed (see [`secrets`](Self::secrets)).
    fn delivered(&self, response: &HttpResponse) -> bool {
        (200..300).contains(&response.status)
    }

    /// The secrets this notifier sends *outside* the request's URL and header values,
    /// such as a routing key in the body. The [`Dispatcher`] scrubs them, with the
    /// URL, its path, its user info and every header value but `Content-Type`, from
    /// each response body before [`delivered`](Self::delivered) sees it and from every
    /// error text, in every form a server may echo them (as sent, base64- and
    /// percent-encoded). Defaults to none.
    fn secrets(&self) -> Vec<&Secret> {
        Vec::new()
    }
}
