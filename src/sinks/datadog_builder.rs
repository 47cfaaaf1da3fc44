//! [`DatadogBuilder`]: a [`DatadogSink`]'s key, site, tags and limits.

use super::*;

/// Configures a [`DatadogSink`].
#[derive(Clone)]
pub struct DatadogBuilder {
    pub(super) api_key: Secret,
    pub(super) site: String,
    pub(super) base_url: Option<String>,
    pub(super) host: Option<String>,
    pub(super) tags: Vec<Tag>,
    pub(super) compression: Encoding,
    pub(super) max_body: usize,
    pub(super) max_uncompressed: usize,
    pub(super) transport: Option<HttpTransport>,
    pub(super) name: String,
}

impl fmt::Debug for DatadogBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatadogBuilder")
            .field("api_key", &self.api_key)
            .field("site", &self.site)
            // User info in a base URL is a credential (the transport sends it as a
            // secret header): never printed.
            .field(
                "base_url",
                &self.base_url.as_deref().map(crate::sinks::http::redact_url),
            )
            .field("compression", &self.compression)
            .finish_non_exhaustive()
    }
}

impl DatadogBuilder {
    /// The Datadog site: `datadoghq.com` (US1), `us3.datadoghq.com`,
    /// `us5.datadoghq.com`, `datadoghq.eu`, `ap1.datadoghq.com`, `ap2.datadoghq.com`,
    /// `ddog-gov.com`, … (what `DD_SITE` holds). Requests go to `https://api.<site>`.
    ///
    /// Defaults to `datadoghq.com`.
    pub fn site(mut self, site: impl Into<String>) -> Self {
        self.site = site.into();
        self
    }

    /// Sends to `base_url` (`http://127.0.0.1:8080`) instead of `https://api.<site>`;
    /// the path `/api/v2/series` is appended. For tests and proxies.
    ///
    /// Defaults to none (the site's API host).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Reports every series against this host (a `resources` entry of type `host`).
    ///
    /// Defaults to none.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// Adds a tag to every series (`env`, `service`, `version`, …).
    ///
    /// Defaults to no extra tags.
    pub fn tag(mut self, key: impl Into<Str>, value: impl Into<Str>) -> Self {
        self.tags.push(Tag::new(key, value));
        self
    }

    /// The request body compression: [`Encoding::Deflate`] (a zlib stream, the API's
    /// default), [`Encoding::Gzip`], or [`Encoding::Identity`] (uncompressed; the
    /// 512 000-byte limit then applies to the JSON itself).
    ///
    /// Defaults to [`Encoding::Deflate`].
    pub fn compression(mut self, c: Encoding) -> Self {
        self.compression = c;
        self
    }

    /// The largest request body as sent, in bytes (1 024 to 512 000); larger exports
    /// are split across requests.
    ///
    /// Defaults to 512 000, the API's limit.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// The largest decompressed request body, in bytes (1 024 to 5 242 879).
    ///
    /// Defaults to 5 242 879, just under the API's limit.
    pub fn max_uncompressed_bytes(mut self, bytes: usize) -> Self {
        self.max_uncompressed = bytes;
        self
    }

    /// The HTTP transport (timeouts, retries, backoff) to send with.
    ///
    /// Defaults to `HttpTransport::new(HttpConfig::default())`.
    pub fn transport(mut self, transport: HttpTransport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The sink's name in self-metrics and errors.
    ///
    /// Defaults to `datadog`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Checks the settings and builds the sink (nothing is sent).
    pub fn build(self) -> Result<DatadogSink, Error> {
        let key = self.api_key.expose();
        if key.trim().is_empty() {
            return Err(Error::config("api_key", "must not be empty"));
        }
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::config(
                "api_key",
                "must be printable ASCII without spaces",
            ));
        }
        let base = match &self.base_url {
            Some(url) => {
                let parsed = crate::sinks::http::check_http_url("base_url", url)?;
                parsed.as_str().trim_end_matches('/').to_owned()
            }
            None => {
                let site = self.site.trim().trim_end_matches('/');
                let site = site.strip_prefix("https://").unwrap_or(site);
                let site = site.strip_prefix("api.").unwrap_or(site);
                let valid = site.contains('.')
                    && !site.starts_with('.')
                    && site
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
                if !valid {
                    return Err(Error::config(
                        "site",
                        format!(
                            "`{site}` is not a Datadog site such as datadoghq.com or datadoghq.eu"
                        ),
                    ));
                }
                format!("https://api.{}", site.to_ascii_lowercase())
            }
        };
        if !(1024..=MAX_BODY_BYTES).contains(&self.max_body) {
            return Err(Error::config(
                "max_body_bytes",
                format!("must be between 1024 and {MAX_BODY_BYTES}"),
            ));
        }
        if !(1024..=MAX_UNCOMPRESSED_BYTES).contains(&self.max_uncompressed) {
            return Err(Error::config(
                "max_uncompressed_bytes",
                format!("must be between 1024 and {MAX_UNCOMPRESSED_BYTES}"),
            ));
        }
        if self.host.as_deref().is_some_and(|h| h.trim().is_empty()) {
            return Err(Error::config("host", "must not be empty"));
        }
        let transport = match self.transport {
            Some(t) => t,
            None => HttpTransport::new(HttpConfig::default())?,
        };
        Ok(DatadogSink {
            name: self.name,
            url: format!("{base}{PATH}"),
            api_key: self.api_key,
            opts: EncodeOptions {
                host: self.host,
                tags: self.tags.iter().map(dd_names::tag).collect(),
                max_body: self.max_body,
                max_uncompressed: self.max_uncompressed,
                compression: self.compression,
            },
            transport,
            cursor: PartialCursor::default(),
            last_stamp: None,
        })
    }
}
