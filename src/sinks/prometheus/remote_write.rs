//! Prometheus remote write 1.0 (see [`RemoteWriteSink`]).

use std::fmt;
use std::time::UNIX_EPOCH;

use prost::Message;

use super::text::{families, format_value, label_pairs, RenderOptions, TimingUnit};
use crate::sinks::http::{
    redact_url, take_basic_auth, Encoding, HttpConfig, HttpTransport, Method, Request, Secret,
};
use crate::sinks::{Export, Sink, SinkError};
use crate::snapshot::{Snapshot, Value};
use crate::Error;

/// Series per request: receivers take a few thousand per request comfortably (the
/// Prometheus agent sends up to 2,000 samples per shard and request by default).
const SERIES_PER_REQUEST: usize = 2_000;

/// `prometheus.WriteRequest` (prompb/remote.proto; field 3, metadata, unused).
#[derive(Clone, PartialEq, Message)]
struct WriteRequest {
    #[prost(message, repeated, tag = "1")]
    timeseries: Vec<TimeSeries>,
}

/// `prometheus.TimeSeries` (prompb/types.proto; exemplars and native histograms
/// unused).
#[derive(Clone, PartialEq, Message)]
struct TimeSeries {
    #[prost(message, repeated, tag = "1")]
    labels: Vec<Label>,
    #[prost(message, repeated, tag = "2")]
    samples: Vec<Sample>,
}

/// `prometheus.Label`.
#[derive(Clone, PartialEq, Message)]
struct Label {
    #[prost(string, tag = "1")]
    name: String,
    #[prost(string, tag = "2")]
    value: String,
}

/// `prometheus.Sample`: a value at a time in milliseconds since the epoch.
#[derive(Clone, PartialEq, Message)]
struct Sample {
    #[prost(double, tag = "1")]
    value: f64,
    #[prost(int64, tag = "2")]
    timestamp: i64,
}

/// Builds a [`RemoteWriteSink`].
pub struct RemoteWriteBuilder {
    url: String,
    labels: Vec<(String, String)>,
    options: RenderOptions,
    http: Option<HttpConfig>,
}

impl fmt::Debug for RemoteWriteBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteWriteBuilder")
            .field("url", &redact_url(&self.url))
            .field("labels", &self.labels)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl RemoteWriteBuilder {
    /// A label added to every series (`instance`, `cluster`…). Give every process its
    /// own set: two writing the same series would interleave their totals.
    pub fn external_label(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.push((name.into(), value.into()));
        self
    }

    /// Histogram bucket upper bounds in ms (default as the Pushgateway's).
    pub fn buckets_ms(mut self, bounds: impl Into<Vec<f64>>) -> Self {
        self.options.buckets_ms = bounds.into();
        self
    }

    /// The unit timings are exported in (default seconds, `_seconds` suffix).
    pub fn timing_unit(mut self, unit: TimingUnit) -> Self {
        self.options.unit = unit;
        self
    }

    /// Transport settings (timeouts, retries). Bodies are snappy-compressed as the
    /// protocol requires, whatever the gzip setting says.
    pub fn http(mut self, config: HttpConfig) -> Self {
        self.http = Some(config);
        self
    }

    /// Checks the settings and builds the HTTP client.
    ///
    /// # Errors
    /// [`Error::Config`] for a URL that is not http(s), an invalid or reserved label
    /// name, an empty label value, or bucket bounds that are not 1–200 finite,
    /// positive, strictly increasing numbers.
    pub fn build(self) -> Result<RemoteWriteSink, Error> {
        let mut url = reqwest::Url::parse(self.url.trim())
            .map_err(|e| Error::config("remote_write_url", format!("is not a valid URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::config(
                "remote_write_url",
                "must be an http:// or https:// URL",
            ));
        }
        let mut labels = self.labels;
        for (name, value) in &labels {
            if !super::is_label_name(name) || name == "le" {
                return Err(Error::config(
                    "external_label",
                    format!("`{name}` is not a valid label name (or is reserved)"),
                ));
            }
            if value.is_empty() {
                return Err(Error::config(
                    "external_label",
                    format!("`{name}` has an empty value"),
                ));
            }
        }
        labels.sort();
        if labels.windows(2).any(|w| matches!(w, [a, b] if a.0 == b.0)) {
            return Err(Error::config("external_label", "a label name is repeated"));
        }
        super::text::check_buckets(&self.options.buckets_ms)?;
        let auth = take_basic_auth(&mut url);
        Ok(RemoteWriteSink {
            transport: HttpTransport::new(self.http.unwrap_or_default())?,
            shown_url: redact_url(self.url.trim()),
            url: url.to_string(),
            auth,
            labels,
            options: self.options,
            last_ms: i64::MIN,
        })
    }
}

/// Prometheus remote write 1.0: the cumulative snapshot as protobuf `WriteRequest`s,
/// snappy-compressed, `POST`ed to any receiver (Mimir, Thanos, Cortex,
/// VictoriaMetrics, Prometheus's own `--web.enable-remote-write-receiver`).
///
/// Series are named and labelled as in the text format (see the module docs), plus
/// the sink's external labels. Every export sends every series at one timestamp: the
/// snapshot's time in milliseconds, moved 1 ms past the previous export's when the
/// clock has not advanced, so each series' samples are strictly increasing in time. A
/// retry resends the same samples at the same timestamp, which a receiver takes as a
/// duplicate, so retries never double-count; a failed export loses nothing, since the
/// next one carries newer cumulative totals.
///
/// ```no_run
/// # fn main() -> Result<(), telemetra::Error> {
/// use telemetra::sinks::prometheus::{exact_bounds, RemoteWriteSink, RenderOptions};
/// use telemetra::{Config, Telemetry};
///
/// let sink = RemoteWriteSink::builder("http://127.0.0.1:9090/api/v1/write")
///     .external_label("instance", "wallet-1")
///     .build()?;
/// let t = Telemetry::start(Config::builder().sink(sink).build()?)?;
/// t.incr("product.wallet.spend.success", &[("currency", "EUR")]);
/// # Ok(()) }
/// ```
pub struct RemoteWriteSink {
    transport: HttpTransport,
    url: String,
    shown_url: String,
    auth: Option<Secret>,
    labels: Vec<(String, String)>,
    options: RenderOptions,
    /// The timestamp of the last export, ms.
    last_ms: i64,
}

impl fmt::Debug for RemoteWriteSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteWriteSink")
            .field("url", &self.shown_url)
            .field("labels", &self.labels)
            .finish_non_exhaustive()
    }
}

impl RemoteWriteSink {
    /// A builder for a receiver's write endpoint (e.g.
    /// `http://127.0.0.1:9090/api/v1/write`; user info becomes a Basic
    /// `Authorization` header).
    pub fn builder(url: impl Into<String>) -> RemoteWriteBuilder {
        RemoteWriteBuilder {
            url: url.into(),
            labels: Vec::new(),
            options: RenderOptions::default(),
            http: None,
        }
    }

    /// The time series of a snapshot at `ms`, labels sorted by name as the protocol
    /// requires.
    fn series(&self, snapshot: &Snapshot, ms: i64) -> Vec<TimeSeries> {
        let mut out = Vec::new();
        let one = |name: String, mut labels: Vec<Label>, value: f64| {
            labels.push(Label {
                name: "__name__".to_owned(),
                value: name,
            });
            labels.sort_by(|a, b| a.name.cmp(&b.name));
            TimeSeries {
                labels,
                samples: vec![Sample {
                    value,
                    timestamp: ms,
                }],
            }
        };
        for (name, fam) in families(snapshot, &self.options) {
            for s in &fam.series {
                let mut labels: Vec<Label> = label_pairs(s, fam.kind)
                    .into_iter()
                    .filter(|(n, _)| !self.labels.iter().any(|(e, _)| e == n))
                    .map(|(name, value)| Label {
                        name,
                        value: value.to_owned(),
                    })
                    .collect();
                labels.extend(self.labels.iter().map(|(n, v)| Label {
                    name: n.clone(),
                    value: v.clone(),
                }));
                match &s.value {
                    Value::Counter(v) | Value::Gauge(v) => {
                        out.push(one(name.clone(), labels, *v));
                    }
                    Value::Timing(d) => {
                        let scale = match self.options.unit {
                            TimingUnit::Seconds => 1000.0,
                            TimingUnit::Milliseconds => 1.0,
                        };
                        for bound in &self.options.buckets_ms {
                            let mut l = labels.clone();
                            l.push(Label {
                                name: "le".to_owned(),
                                value: format_value(bound / scale),
                            });
                            out.push(one(format!("{name}_bucket"), l, d.count_le(*bound) as f64));
                        }
                        let mut l = labels.clone();
                        l.push(Label {
                            name: "le".to_owned(),
                            value: "+Inf".to_owned(),
                        });
                        out.push(one(format!("{name}_bucket"), l, d.count as f64));
                        out.push(one(format!("{name}_sum"), labels.clone(), d.sum / scale));
                        out.push(one(format!("{name}_count"), labels, d.count as f64));
                    }
                }
            }
        }
        out
    }
}

impl Sink for RemoteWriteSink {
    fn name(&self) -> &str {
        "prometheus_remote_write"
    }

    /// The `le` bucket bounds: Prometheus counts `value <= le`.
    fn exact_timing_bounds(&self) -> Vec<crate::TimingBound> {
        super::exact_bounds(&self.options)
    }

    fn export(&mut self, export: &Export<'_>) -> Result<(), SinkError> {
        let snapshot = export.snapshot;
        let taken = snapshot
            .taken_at
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        // Strictly later than the last export, so no series gets two samples at one
        // timestamp (a receiver would keep one, or refuse the second).
        let ms = taken.max(self.last_ms.saturating_add(1));
        let series = self.series(snapshot, ms);
        for chunk in series.chunks(SERIES_PER_REQUEST) {
            let body = WriteRequest {
                timeseries: chunk.to_vec(),
            }
            .encode_to_vec();
            let body = snap::raw::Encoder::new()
                .compress_vec(&body)
                .map_err(|e| SinkError::new(format!("snappy compression failed: {e}")))?;
            let mut req = Request::new(Method::Post, self.url.as_str())
                .header("content-type", "application/x-protobuf")
                .header("content-encoding", "snappy")
                .header("x-prometheus-remote-write-version", "0.1.0")
                .encoding(Encoding::Identity)
                .body(body);
            if let Some(a) = &self.auth {
                req = req.secret_header("authorization", a.clone());
            }
            self.transport.send(req)?;
        }
        self.last_ms = ms;
        Ok(())
    }
}
