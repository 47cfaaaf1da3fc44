//! Datadog APM sink: finished spans to the local Datadog Agent's trace intake.
//!
//! [`DatadogApmSink`] takes records (it ignores metric snapshots: the metric sinks are
//! [`DatadogSink`](super::datadog::DatadogSink) and DogStatsD) and `PUT`s the sampled
//! spans it receives to `<agent>/v0.4/traces` as a JSON v0.4 payload from
//! [`encode_v04_json`]: spans grouped into one array per trace, with the headers the
//! agent checks (`Content-Type`, `X-Datadog-Trace-Count`, `Datadog-Meta-Lang`,
//! `Datadog-Meta-Lang-Version`, `Datadog-Meta-Tracer-Version`). Events are not sent.
//!
//! # Where the agent is
//! [`agent_url`](DatadogApmBuilder::agent_url) if set, else as Datadog's own tracers do:
//! `DD_TRACE_AGENT_URL`, else `http://$DD_AGENT_HOST:$DD_TRACE_AGENT_PORT` (each part
//! defaulting to `127.0.0.1` and `8126`). Unix-socket URLs are refused by
//! [`build`](DatadogApmBuilder::build).
//!
//! # Batches, sizes and failures
//! Spans of one trace that arrive in the same record batch travel in one trace array.
//! Spans of a trace that end far apart (beyond the pipeline's
//! [`record_flush_interval`](crate::ConfigBuilder::record_flush_interval)) travel as
//! several chunks of the same trace id, which the agent joins. A payload is kept under
//! [`max_payload_bytes`](DatadogApmBuilder::max_payload_bytes) (default 8 MiB, a third of
//! the agent's 25 MB default) by splitting at trace boundaries; a single trace larger
//! than the cap is split into chunks of spans.
//!
//! Requests go through the shared [`HttpTransport`] (retries with backoff). When the
//! agent stays unreachable or answers `5xx`/`429`, the error is transient: the pipeline
//! keeps the spans and the next attempt sends them, minus those a split batch already
//! delivered. A `4xx` (the agent refused the payload) is permanent and the spans are
//! dropped and counted. Error messages name the agent by `host:port` only.
//!
//! ```no_run
//! # fn main() -> Result<(), telemetra::Error> {
//! use telemetra::sinks::datadog_apm::DatadogApmSink;
//! let apm = DatadogApmSink::builder("checkout")
//!     .env("prod")
//!     .version("1.4.2")
//!     .build()?;
//! let telemetry = telemetra::Telemetry::start(telemetra::Config::builder().sink(apm).build()?)?;
//! {
//!     let root = telemetry.span("http.request");
//!     let _child = root.child("db.query");
//! }
//! telemetry.flush(std::time::Duration::from_secs(5))?;
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::fmt;

use super::http::{redact_url, Encoding, HttpConfig, HttpTransport, Method, Request};
use super::resend::Delivered;
use super::{Export, Sink, SinkError};
use crate::record::Record;
use crate::trace::datadog::{encode_v04_json, DdApmConfig, TRACES_PATH};
use crate::trace::SpanRecord;
use crate::Error;

/// Default cap on one payload's body: 8 MiB.
pub const DEFAULT_MAX_PAYLOAD_BYTES: usize = 8 * 1024 * 1024;

/// The agent's own default limit (`apm_config.max_payload_size`): 25 MB.
pub const AGENT_MAX_PAYLOAD_BYTES: usize = 25 * 1000 * 1000;

/// The smallest accepted payload cap.
const MIN_PAYLOAD_BYTES: usize = 1024;

/// The agent address Datadog's tracers use when nothing is configured.
pub const DEFAULT_AGENT_URL: &str = "http://127.0.0.1:8126";

/// Sends finished spans to the local Datadog Agent. See the [module docs](self).
pub struct DatadogApmSink {
    transport: HttpTransport,
    /// `<agent>/v0.4/traces`.
    url: String,
    /// `host:port` of the agent, the only part of the URL errors name.
    agent: String,
    config: DdApmConfig,
    max_payload_bytes: usize,
    delivered: Delivered,
}

impl fmt::Debug for DatadogApmSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatadogApmSink")
            .field("agent", &self.agent)
            .field("config", &self.config)
            .field("max_payload_bytes", &self.max_payload_bytes)
            .finish_non_exhaustive()
    }
}

/// Builds a [`DatadogApmSink`]; setters never fail, [`build`](DatadogApmBuilder::build)
/// checks. `Debug` shows the agent URL without user info or query.
#[derive(Clone)]
pub struct DatadogApmBuilder {
    service: String,
    env: Option<String>,
    version: Option<String>,
    agent_url: Option<String>,
    max_payload_bytes: usize,
    http: Option<HttpConfig>,
}

impl fmt::Debug for DatadogApmBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatadogApmBuilder")
            .field("service", &self.service)
            .field("env", &self.env)
            .field("version", &self.version)
            .field("agent_url", &self.agent_url.as_deref().map(redact_url))
            .field("max_payload_bytes", &self.max_payload_bytes)
            .field("http", &self.http)
            .finish()
    }
}

impl DatadogApmSink {
    /// A builder for spans of `service` (the Datadog `service` of spans without a
    /// `service.name` attribute; must not be empty).
    pub fn builder(service: impl Into<String>) -> DatadogApmBuilder {
        DatadogApmBuilder {
            service: service.into(),
            env: None,
            version: None,
            agent_url: None,
            max_payload_bytes: DEFAULT_MAX_PAYLOAD_BYTES,
            http: None,
        }
    }

    /// The agent this sink sends to, as `host:port`.
    pub fn agent(&self) -> &str {
        &self.agent
    }

    /// The payloads this sink would send for `records` (spans only), in order, each
    /// under the payload cap unless a single span is larger.
    pub fn payloads(&self, records: &[Record]) -> Result<Vec<Payload>, SinkError> {
        let spans: Vec<&SpanRecord> = records.iter().filter_map(Record::as_span).collect();
        self.pack(&spans)
    }

    fn pack(&self, spans: &[&SpanRecord]) -> Result<Vec<Payload>, SinkError> {
        // Group by trace, first-seen order.
        let mut order: Vec<u128> = Vec::new();
        let mut groups: HashMap<u128, Vec<SpanRecord>> = HashMap::new();
        for s in spans {
            let key = s.context.trace_id.to_u128();
            groups
                .entry(key)
                .or_insert_with(|| {
                    order.push(key);
                    Vec::new()
                })
                .push((*s).clone());
        }
        // Encode each trace (or chunk of an oversized trace) once.
        let mut chunks: Vec<Chunk> = Vec::new();
        for key in &order {
            if let Some(group) = groups.get(key) {
                self.encode_trace(group, &mut chunks)?;
            }
        }
        // Pack the chunks into payloads: `[` chunk `,` chunk … `]`.
        let mut out = Vec::new();
        let mut cur = Payload::empty();
        for c in chunks {
            if cur.trace_count > 0 && cur.body.len() + 1 + c.json.len() + 1 > self.max_payload_bytes
            {
                out.push(std::mem::replace(&mut cur, Payload::empty()).close(&self.config)?);
            }
            cur.push(c);
        }
        if cur.trace_count > 0 {
            out.push(cur.close(&self.config)?);
        }
        Ok(out)
    }

    /// Encodes one trace's spans as one trace array, or as several when it is larger
    /// than the cap.
    fn encode_trace(&self, spans: &[SpanRecord], out: &mut Vec<Chunk>) -> Result<(), SinkError> {
        let payload = encode_v04_json(spans, &self.config)
            .map_err(|e| SinkError::permanent(format!("encoding spans: {e}")))?;
        // `[<trace>]` → `<trace>`.
        let json = payload
            .body
            .get(1..payload.body.len().saturating_sub(1))
            .unwrap_or_default()
            .to_vec();
        if json.len() + 2 <= self.max_payload_bytes || spans.len() <= 1 {
            out.push(Chunk {
                json,
                spans: spans.len(),
                span_ids: spans
                    .iter()
                    .map(|s| (s.context.trace_id.to_u128(), s.context.span_id.to_u64()))
                    .collect(),
            });
            return Ok(());
        }
        let (a, b) = spans.split_at(spans.len() / 2);
        self.encode_trace(a, out)?;
        self.encode_trace(b, out)
    }

    fn send(&self, payload: &Payload) -> Result<(), SinkError> {
        let mut req = Request::new(Method::Put, self.url.as_str())
            .encoding(Encoding::Identity)
            .body(payload.body.clone());
        for (name, value) in &payload.headers {
            req = req.header(*name, value.as_str());
        }
        self.transport.send(req).map(|_| ()).map_err(|e| {
            let msg = format!("datadog agent {}: {e}", self.agent);
            let out = if e.is_permanent() {
                SinkError::permanent(msg)
            } else {
                SinkError::new(msg)
            };
            match e.retry_after_hint() {
                Some(d) => out.retry_after(d),
                None => out,
            }
        })
    }
}

/// One trace array (or chunk of one), encoded.
struct Chunk {
    json: Vec<u8>,
    spans: usize,
    span_ids: Vec<(u128, u64)>,
}

/// One request body for the agent, with its headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    /// Request headers, `X-Datadog-Trace-Count` matching the body.
    pub headers: Vec<(&'static str, String)>,
    /// JSON body: an array of traces.
    pub body: Vec<u8>,
    /// Trace arrays in the body.
    pub trace_count: usize,
    /// Spans in the body.
    pub span_count: usize,
    /// `(trace id, span id)` of every span in the body.
    span_ids: Vec<(u128, u64)>,
}

impl Payload {
    fn empty() -> Payload {
        Payload {
            headers: Vec::new(),
            body: vec![b'['],
            trace_count: 0,
            span_count: 0,
            span_ids: Vec::new(),
        }
    }

    fn push(&mut self, c: Chunk) {
        if self.trace_count > 0 {
            self.body.push(b',');
        }
        self.body.extend_from_slice(&c.json);
        self.trace_count += 1;
        self.span_count += c.spans;
        self.span_ids.extend(c.span_ids);
    }

    /// Closes the body and sets the headers (those of [`encode_v04_json`], the trace
    /// count made to match).
    fn close(mut self, cfg: &DdApmConfig) -> Result<Payload, SinkError> {
        self.body.push(b']');
        let base = encode_v04_json(&[], cfg)
            .map_err(|e| SinkError::permanent(format!("encoding spans: {e}")))?;
        self.headers = base
            .headers
            .into_iter()
            .map(|(k, v)| {
                if k == "X-Datadog-Trace-Count" {
                    (k, self.trace_count.to_string())
                } else {
                    (k, v)
                }
            })
            .collect();
        Ok(self)
    }
}

impl DatadogApmBuilder {
    /// `meta["env"]` on every span (Datadog's `env` tag). Defaults to none.
    pub fn env(mut self, env: impl Into<String>) -> Self {
        self.env = Some(env.into());
        self
    }

    /// `meta["version"]` on every span: the application's version. Defaults to none.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// Base URL of the agent (`http://host:port`, no path); `/v0.4/traces` is appended.
    /// Defaults to `DD_TRACE_AGENT_URL`, else `DD_AGENT_HOST` and
    /// `DD_TRACE_AGENT_PORT`, else `http://127.0.0.1:8126`.
    pub fn agent_url(mut self, url: impl Into<String>) -> Self {
        self.agent_url = Some(url.into());
        self
    }

    /// Cap on one request's body in bytes (1 KiB to 25 MB, the agent's limit); bigger
    /// batches are split at trace boundaries. Defaults to 8 MiB.
    pub fn max_payload_bytes(mut self, bytes: usize) -> Self {
        self.max_payload_bytes = bytes;
        self
    }

    /// HTTP settings (timeouts, retries). Bodies are never compressed: the agent's
    /// v0.4 intake takes them plain. Defaults to [`HttpConfig::default`].
    pub fn http(mut self, config: HttpConfig) -> Self {
        self.http = Some(config);
        self
    }

    /// Checks the settings and builds the HTTP client. Reads the `DD_*` variables when
    /// no [`agent_url`](DatadogApmBuilder::agent_url) was given.
    pub fn build(self) -> Result<DatadogApmSink, Error> {
        if self.service.trim().is_empty() {
            return Err(Error::config("service", "must not be empty"));
        }
        for (field, v) in [("env", &self.env), ("version", &self.version)] {
            if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
                return Err(Error::config(field, "must not be empty when set"));
            }
        }
        if !(MIN_PAYLOAD_BYTES..=AGENT_MAX_PAYLOAD_BYTES).contains(&self.max_payload_bytes) {
            return Err(Error::config(
                "max_payload_bytes",
                format!("must be between {MIN_PAYLOAD_BYTES} and {AGENT_MAX_PAYLOAD_BYTES}"),
            ));
        }
        let raw = self
            .agent_url
            .unwrap_or_else(|| agent_url_from_env(|k| std::env::var(k).ok()));
        let (url, agent) = parse_agent_url(&raw)?;
        let mut config = DdApmConfig::new(self.service);
        if let Some(env) = self.env {
            config = config.env(env);
        }
        if let Some(version) = self.version {
            config = config.version(version);
        }
        // Validates the service and the header values once, here.
        encode_v04_json(&[], &config).map_err(|e| Error::config("service", e.to_string()))?;
        let http = match self.http {
            Some(h) => h,
            None => HttpConfig::builder().gzip(false).build()?,
        };
        Ok(DatadogApmSink {
            transport: HttpTransport::new(http)?,
            url,
            agent,
            config,
            max_payload_bytes: self.max_payload_bytes,
            delivered: Delivered::default(),
        })
    }
}

/// The agent URL Datadog's tracers derive from the environment: `DD_TRACE_AGENT_URL`,
/// else `http://<DD_AGENT_HOST or 127.0.0.1>:<DD_TRACE_AGENT_PORT or 8126>`. Pure: the
/// caller supplies the lookup.
///
/// ```
/// use telemetra::sinks::datadog_apm::agent_url_from_env;
/// assert_eq!(agent_url_from_env(|_| None), "http://127.0.0.1:8126");
/// let env = |k: &str| (k == "DD_AGENT_HOST").then(|| "dd-agent".to_owned());
/// assert_eq!(agent_url_from_env(env), "http://dd-agent:8126");
/// ```
pub fn agent_url_from_env(get: impl Fn(&str) -> Option<String>) -> String {
    let set = |k: &str| {
        get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    if let Some(url) = set("DD_TRACE_AGENT_URL") {
        return url;
    }
    if set("DD_AGENT_HOST").is_none() && set("DD_TRACE_AGENT_PORT").is_none() {
        return DEFAULT_AGENT_URL.to_owned();
    }
    let host = set("DD_AGENT_HOST").unwrap_or_else(|| "127.0.0.1".to_owned());
    // An IPv6 literal needs brackets in a URL.
    let host = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host
    };
    let port = set("DD_TRACE_AGENT_PORT").unwrap_or_else(|| "8126".to_owned());
    format!("http://{host}:{port}")
}

/// `(<base>/v0.4/traces, host:port)`; errors never repeat the URL.
fn parse_agent_url(raw: &str) -> Result<(String, String), Error> {
    let url = reqwest::Url::parse(raw.trim())
        .map_err(|e| Error::config("agent_url", format!("is not a valid URL: {e}")))?;
    if url.scheme() == "unix" {
        return Err(Error::config(
            "agent_url",
            "unix sockets are not supported; use http://host:port",
        ));
    }
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::config(
            "agent_url",
            "must be an http:// or https:// URL",
        ));
    }
    let Some(host) = url.host_str() else {
        return Err(Error::config("agent_url", "has no host"));
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config("agent_url", "must not carry credentials"));
    }
    let port = url.port_or_known_default().unwrap_or(8126);
    let agent = format!("{host}:{port}");
    let base = url.as_str().trim_end_matches('/');
    Ok((format!("{base}{TRACES_PATH}"), agent))
}

impl Sink for DatadogApmSink {
    fn name(&self) -> &str {
        "datadog-apm"
    }

    /// Metric snapshots are not this sink's business.
    fn export(&mut self, _export: &Export<'_>) -> Result<(), SinkError> {
        Ok(())
    }

    fn accepts_records(&self) -> bool {
        true
    }

    fn export_records(&mut self, records: &[Record]) -> Result<(), SinkError> {
        let pending: Vec<&SpanRecord> = self
            .delivered
            .pending(records)
            .into_iter()
            .filter_map(Record::as_span)
            .collect();
        let payloads = match self.pack(&pending) {
            Ok(p) => p,
            Err(e) => {
                self.delivered.clear();
                return Err(e);
            }
        };
        for p in &payloads {
            if let Err(e) = self.send(p) {
                if e.is_permanent() {
                    self.delivered.clear();
                }
                return Err(e);
            }
            // Remember what went through, in case a later payload of this batch fails.
            let sent = records.iter().filter(|r| {
                r.as_span().is_some_and(|s| {
                    p.span_ids
                        .contains(&(s.context.trace_id.to_u128(), s.context.span_id.to_u64()))
                })
            });
            self.delivered.extend(sent);
        }
        self.delivered.clear();
        Ok(())
    }
}

#[cfg(test)]
#[path = "datadog_apm_tests.rs"]
mod tests;
