//! [`HttpConfig`]: timeouts, retries, compression and user agent of a transport.

use std::time::Duration;

use crate::Error;

/// Settings of an [`HttpTransport`](super::HttpTransport).
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub(super) connect_timeout: Duration,
    pub(super) request_timeout: Duration,
    pub(super) max_attempts: u32,
    pub(super) base_backoff: Duration,
    pub(super) max_backoff: Duration,
    pub(super) max_total_time: Duration,
    pub(super) gzip: bool,
    pub(super) user_agent: String,
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
    /// specific [`Encoding`](super::Encoding). Defaults to `true`.
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
