//! [`IngestBuilder`]: an [`HttpIngestSink`]'s endpoint, credentials and batch limits.

use super::*;

/// Builds an [`HttpIngestSink`].
#[derive(Clone)]
pub struct IngestBuilder {
    pub(super) url: String,
    pub(super) token: Option<Secret>,
    pub(super) max_batch_bytes: usize,
    pub(super) records: bool,
    pub(super) http: Option<HttpConfig>,
}

impl std::fmt::Debug for IngestBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IngestBuilder")
            .field("url", &crate::sinks::http::redact_url(&self.url))
            .field("token", &self.token)
            .field("max_batch_bytes", &self.max_batch_bytes)
            .field("records", &self.records)
            .finish_non_exhaustive()
    }
}

impl IngestBuilder {
    /// Sends `Authorization: Bearer <token>`. Defaults to no authorization.
    pub fn bearer_token(mut self, token: Secret) -> Self {
        self.token = Some(token);
        self
    }

    /// Cap on one request's uncompressed body in bytes (≥ 1024); larger snapshots are
    /// split. Defaults to 512 KiB.
    pub fn max_batch_bytes(mut self, bytes: usize) -> Self {
        self.max_batch_bytes = bytes;
        self
    }

    /// Whether the sink also posts spans and events (`{"spans":[…]}` and
    /// `{"events":[…]}` bodies, see the [module docs](crate::sinks::ingest)). Defaults to `true`.
    pub fn records(mut self, on: bool) -> Self {
        self.records = on;
        self
    }

    /// HTTP settings (timeouts, retries, gzip). Defaults to [`HttpConfig::default`].
    pub fn http(mut self, config: HttpConfig) -> Self {
        self.http = Some(config);
        self
    }

    /// Checks the settings and builds the HTTP client.
    pub fn build(self) -> Result<HttpIngestSink, Error> {
        let mut url = reqwest::Url::parse(self.url.trim())
            .map_err(|e| Error::config("ingest_url", format!("is not a valid URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::config(
                "ingest_url",
                "must be an http:// or https:// URL",
            ));
        }
        if self.max_batch_bytes < MIN_BATCH_BYTES {
            return Err(Error::config(
                "max_batch_bytes",
                format!("must be at least {MIN_BATCH_BYTES}"),
            ));
        }
        if let Some(t) = &self.token {
            if t.is_empty() || !t.expose().bytes().all(|b| (0x21..0x7f).contains(&b)) {
                return Err(Error::config(
                    "bearer_token",
                    "must be non-empty printable ASCII without spaces",
                ));
            }
        }
        // URL user info becomes a registered secret header, never part of the URL sent.
        let basic = crate::sinks::http::take_basic_auth(&mut url);
        if basic.is_some() && self.token.is_some() {
            return Err(Error::config(
                "ingest_url",
                "has user info and a bearer token is set: use one of them",
            ));
        }
        Ok(HttpIngestSink {
            transport: HttpTransport::new(self.http.unwrap_or_default())?,
            url: url.to_string(),
            basic,
            token: self.token,
            max_batch_bytes: self.max_batch_bytes,
            records: self.records,
            delivered: Delivered::default(),
            delivered_ahead: HashMap::new(),
        })
    }
}
