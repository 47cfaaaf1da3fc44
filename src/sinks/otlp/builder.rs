//! [`OtlpBuilder`]: an [`OtlpSink`]'s settings, from code or the `OTEL_*` variables.

use super::*;

/// Builds an [`OtlpSink`].
pub struct OtlpBuilder {
    pub(super) url: String,
    pub(super) traces_url: String,
    pub(super) logs_url: String,
    pub(super) records: bool,
    pub(super) protocol: Protocol,
    pub(super) headers: Vec<(String, String)>,
    pub(super) temporality: Temporality,
    pub(super) resource: Vec<(String, String)>,
    pub(super) service_name: Option<String>,
    pub(super) bounds_ms: Vec<f64>,
    pub(super) http: Option<HttpConfig>,
}

impl fmt::Debug for OtlpBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OtlpBuilder")
            .field("url", &redact_url(&self.url))
            .field(
                "headers",
                &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("temporality", &self.temporality)
            .field("resource", &self.resource)
            .finish_non_exhaustive()
    }
}

impl OtlpBuilder {
    /// The full metrics URL instead of `<endpoint>/v1/metrics`.
    pub fn metrics_url(mut self, url: impl Into<String>) -> Self {
        self.url = url.into();
        self
    }

    /// The full traces URL instead of `<endpoint>/v1/traces`.
    pub fn traces_url(mut self, url: impl Into<String>) -> Self {
        self.traces_url = url.into();
        self
    }

    /// The full logs URL instead of `<endpoint>/v1/logs`.
    pub fn logs_url(mut self, url: impl Into<String>) -> Self {
        self.logs_url = url.into();
        self
    }

    /// Whether spans and events are exported too, as OTLP traces and logs (default
    /// true).
    pub fn records(mut self, on: bool) -> Self {
        self.records = on;
        self
    }

    /// A header on every request (an API key, a tenant id): its value is a secret,
    /// never shown in `Debug` or errors.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Protobuf (default) or JSON bodies.
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// Cumulative (default) or delta sums and histograms.
    pub fn temporality(mut self, t: Temporality) -> Self {
        self.temporality = t;
        self
    }

    /// The `service.name` resource attribute (default `unknown_service`).
    pub fn service_name(mut self, name: impl Into<String>) -> Self {
        self.service_name = Some(name.into());
        self
    }

    /// A resource attribute (`deployment.environment`, `service.version`…).
    pub fn resource_attribute(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.resource.push((key.into(), value.into()));
        self
    }

    /// Histogram bucket upper bounds in ms (default [`DEFAULT_BOUNDS_MS`]).
    pub fn bounds_ms(mut self, bounds: impl Into<Vec<f64>>) -> Self {
        self.bounds_ms = bounds.into();
        self
    }

    /// Transport settings (timeouts, retries, gzip).
    pub fn http(mut self, config: HttpConfig) -> Self {
        self.http = Some(config);
        self
    }

    /// Checks the settings and builds the HTTP client.
    ///
    /// # Errors
    /// [`Error::Config`] for a URL that is not http(s), an invalid header, or bounds
    /// that are not 1–200 finite, strictly increasing numbers.
    pub fn build(self) -> Result<OtlpSink, Error> {
        let parse = |u: &str| {
            let url = reqwest::Url::parse(u.trim())
                .map_err(|e| Error::config("otlp_endpoint", format!("is not a valid URL: {e}")))?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(Error::config(
                    "otlp_endpoint",
                    "must be an http:// or https:// URL",
                ));
            }
            Ok(url)
        };
        let url = parse(&self.url)?;
        let traces_url = parse(&self.traces_url)?;
        let logs_url = parse(&self.logs_url)?;
        for (k, v) in &self.headers {
            if reqwest::header::HeaderName::from_bytes(k.as_bytes()).is_err()
                || reqwest::header::HeaderValue::from_str(v).is_err()
            {
                return Err(Error::config(
                    "otlp_headers",
                    format!("header `{}` is not a valid HTTP header", k.escape_debug()),
                ));
            }
        }
        let b = &self.bounds_ms;
        if b.is_empty()
            || b.len() > 200
            || b.iter().any(|x| !x.is_finite())
            || b.windows(2).any(|w| matches!(w, [x, y] if x >= y))
        {
            return Err(Error::config(
                "otlp_bounds_ms",
                "must be 1 to 200 finite, strictly increasing bounds",
            ));
        }
        let mut attributes = vec![
            (
                "service.name".to_owned(),
                self.service_name
                    .clone()
                    .unwrap_or_else(|| "unknown_service".to_owned()),
            ),
            ("telemetry.sdk.name".to_owned(), "telemetra".to_owned()),
            ("telemetry.sdk.language".to_owned(), "rust".to_owned()),
            (
                "telemetry.sdk.version".to_owned(),
                env!("CARGO_PKG_VERSION").to_owned(),
            ),
        ];
        for (k, v) in self.resource {
            // `service_name` wins over a `service.name` attribute.
            if k == "service.name" && self.service_name.is_some() {
                continue;
            }
            match attributes.iter_mut().find(|(key, _)| *key == k) {
                Some(slot) => slot.1 = v,
                None => attributes.push((k, v)),
            }
        }
        Ok(OtlpSink {
            transport: HttpTransport::new(self.http.unwrap_or_default())?,
            catalog: None,
            shown_url: redact_url(url.as_str()),
            url: url.to_string(),
            traces_url: traces_url.to_string(),
            logs_url: logs_url.to_string(),
            records: self.records,
            protocol: self.protocol,
            headers: self
                .headers
                .into_iter()
                .map(|(k, v)| (k, Secret::new(v)))
                .collect(),
            temporality: self.temporality,
            resource: attributes,
            bounds_ms: self.bounds_ms,
        })
    }
}
