//! Notifiers: Slack, PagerDuty Events v2, Alertmanager v2 and a generic JSON webhook.
//!
//! Payloads are pure functions of an [`AlertEvent`] ([`payload`]); a [`Notifier`] turns an
//! event into a [`Request`]; the [`Dispatcher`] sends requests through an [`HttpPost`]
//! transport with retries and exponential backoff, runs each notifier on its own scoped
//! thread (a failing or slow notifier never blocks the others), and honours the global and
//! per-channel kill switches (`alerts.enabled`, `alerts.slack`, `alerts.pagerduty`,
//! `alerts.alertmanager`, `alerts.webhook`).
//!
//! Secrets (webhook URLs, routing keys, auth headers) live in [`Secret`] and in [`Request`],
//! whose `Debug` output redacts them; errors carry only channel names and status codes.

mod dispatch;
pub mod payload;
mod std_http;
#[cfg(feature = "transport")]
mod transport;

#[cfg(test)]
mod tests_alertmanager;
#[cfg(test)]
mod tests_http;

pub use dispatch::{backoff_delay, DeliveryOutcome, DispatchReport, Dispatcher, RetryPolicy};
pub use payload::{AlertmanagerNotifier, PagerDutyNotifier, SlackNotifier, WebhookNotifier};
pub use std_http::StdHttpPost;

use super::event::AlertEvent;
use super::AlertError;
use std::fmt;
use std::time::Duration;

/// A string that must not leak: `Debug` and `Display` print `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value (only for building requests).
    pub fn expose(&self) -> &str {
        &self.0
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

/// An HTTP response as the transport returns it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Body bytes.
    pub body: Vec<u8>,
    /// Parsed `Retry-After` (seconds form), if present.
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

/// The seam to an HTTP client: telemetra's reqwest transport implements it, as does
/// [`StdHttpPost`].
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

    /// Whether a response means delivered. Defaults to any 2xx.
    fn delivered(&self, response: &HttpResponse) -> bool {
        (200..300).contains(&response.status)
    }
}
