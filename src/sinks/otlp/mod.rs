//! OTLP/HTTP metrics export (feature `otlp`): the protocol every OpenTelemetry
//! collector and most backends accept (Grafana, Honeycomb, New Relic, the Datadog
//! Agent, Google's collector).
//!
//! Each snapshot becomes one `ExportMetricsServiceRequest` in binary protobuf
//! (`Content-Type: application/x-protobuf`, gzip by default), `POST`ed to
//! `<endpoint>/v1/metrics` through the shared transport (retries with backoff on
//! 429/502/503/504 and connection errors, `Retry-After` honoured). The message types
//! are generated from the official definitions (see `proto.rs`).
//!
//! | telemetra | OTLP |
//! | --- | --- |
//! | counter | `Sum`, monotonic, cumulative (fixed start time: the series' first sight) or delta (since the last export that succeeded) |
//! | gauge | `Gauge` |
//! | timing | `Histogram` in `ms`, explicit bounds, count, sum, min, max |
//! | tags | data point attributes (strings) |
//! | exemplar | data point exemplar (trace and span id, value, time) |
//!
//! Configuration from the environment follows the OpenTelemetry specification:
//! `OTEL_EXPORTER_OTLP_ENDPOINT` (base URL, default `http://localhost:4318`; the path
//! `/v1/metrics` is appended), `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` (used as is),
//! `OTEL_EXPORTER_OTLP_HEADERS` / `OTEL_EXPORTER_OTLP_METRICS_HEADERS`
//! (`k=v,k2=v2`, values percent-decoded, all treated as secrets),
//! `OTEL_EXPORTER_OTLP_PROTOCOL` (`http/protobuf` or `http/json`; `grpc` is refused
//! with a config error), `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`
//! (`cumulative` or `delta`), `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`.
//! `OBSERVABILITY_PROVIDER=otlp` picks this sink (see [`env`](super::env)).
//!
//! ```no_run
//! # fn main() -> Result<(), telemetra::Error> {
//! use telemetra::sinks::otlp::{OtlpSink, Temporality};
//! use telemetra::{Config, Telemetry};
//!
//! let sink = OtlpSink::builder("http://127.0.0.1:4318")
//!     .service_name("wallet")
//!     .temporality(Temporality::Delta)
//!     .build()?;
//! let t = Telemetry::start(Config::builder().sink(sink).build()?)?;
//! t.incr("product.wallet.spend.success", &[("currency", "EUR")]);
//! # Ok(()) }
//! ```

mod builder;
mod json;
mod proto;
mod records;

pub use builder::OtlpBuilder;

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use prost::Message;

use self::proto::opentelemetry::proto as pb;
use pb::collector::metrics::v1::ExportMetricsServiceRequest;
use pb::common::v1::{any_value, AnyValue, InstrumentationScope, KeyValue};
use pb::metrics::v1::{
    metric, number_data_point, AggregationTemporality, Gauge, Histogram, HistogramDataPoint,
    Metric, NumberDataPoint, ResourceMetrics, ScopeMetrics, Sum,
};
use pb::resource::v1::Resource;

use super::http::{redact_url, HttpConfig, HttpTransport, Method, Request, Secret};
use super::{DeltaValue, Export, Sink, SinkError};
use crate::snapshot::{Distribution, Exemplar, Series, Value};
use crate::Error;

/// Default bucket bounds of exported histograms, in ms (OpenTelemetry's SDK default).
pub const DEFAULT_BOUNDS_MS: &[f64] = &[
    0.0, 5.0, 10.0, 25.0, 50.0, 75.0, 100.0, 250.0, 500.0, 750.0, 1_000.0, 2_500.0, 5_000.0,
    7_500.0, 10_000.0,
];

/// The OTLP/HTTP encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    /// `http/protobuf`: binary protobuf (`application/x-protobuf`), the default.
    #[default]
    HttpProtobuf,
    /// `http/json`: OTLP/JSON (`application/json`): lowerCamelCase names, enums as
    /// integers, trace and span ids as hex.
    HttpJson,
}

/// How sums and histograms relate to time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Temporality {
    /// Totals since the series was first seen (its start time is fixed).
    #[default]
    Cumulative,
    /// Changes since the last export that succeeded: an export that fails is folded
    /// into the next one, so the deltas still add up to the totals.
    Delta,
}

/// Exports each snapshot's metrics over OTLP/HTTP (see the [module docs](self)).
pub struct OtlpSink {
    transport: HttpTransport,
    /// Descriptions and units (see [`crate::catalog`]).
    catalog: Option<std::sync::Arc<crate::catalog::Catalog>>,
    url: String,
    traces_url: String,
    logs_url: String,
    records: bool,
    protocol: Protocol,
    shown_url: String,
    headers: Vec<(String, Secret)>,
    temporality: Temporality,
    resource: Vec<(String, String)>,
    bounds_ms: Vec<f64>,
}

impl fmt::Debug for OtlpSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OtlpSink")
            .field("url", &self.shown_url)
            .field("temporality", &self.temporality)
            .finish_non_exhaustive()
    }
}

fn nanos(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

fn kv(key: &str, value: &str) -> KeyValue {
    KeyValue {
        key: key.to_owned(),
        value: Some(AnyValue {
            value: Some(any_value::Value::StringValue(value.to_owned())),
        }),
    }
}

fn attributes(s: &Series) -> Vec<KeyValue> {
    s.tags.iter().map(|t| kv(&t.key, &t.value)).collect()
}

fn exemplar(e: &Exemplar) -> pb::metrics::v1::Exemplar {
    pb::metrics::v1::Exemplar {
        time_unix_nano: nanos(e.time),
        trace_id: e.trace_id.to_u128().to_be_bytes().to_vec(),
        span_id: e.span_id.to_u64().to_be_bytes().to_vec(),
        value: Some(pb::metrics::v1::exemplar::Value::AsDouble(e.value)),
        ..Default::default()
    }
}

impl OtlpSink {
    /// A builder for a collector's OTLP/HTTP base URL (`http://collector:4318`).
    pub fn builder(endpoint: impl AsRef<str>) -> OtlpBuilder {
        OtlpBuilder {
            url: signal_url(endpoint.as_ref(), "metrics"),
            traces_url: signal_url(endpoint.as_ref(), "traces"),
            logs_url: signal_url(endpoint.as_ref(), "logs"),
            records: true,
            protocol: Protocol::default(),
            headers: Vec::new(),
            temporality: Temporality::default(),
            resource: Vec::new(),
            service_name: None,
            bounds_ms: DEFAULT_BOUNDS_MS.to_vec(),
            http: None,
        }
    }

    /// The sink the `OTEL_*` variables given by `get` describe (see the
    /// [module docs](self)); `get` returns a variable's value or `None` when unset.
    ///
    /// # Errors
    /// [`Error::Config`] naming the variable at fault.
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<OtlpSink, Error> {
        let var = |name: &str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let mut protocol = Protocol::default();
        if let Some(p) = var("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL")
            .or_else(|| var("OTEL_EXPORTER_OTLP_PROTOCOL"))
        {
            protocol = match p.as_str() {
                "http/protobuf" => Protocol::HttpProtobuf,
                "http/json" => Protocol::HttpJson,
                _ => {
                    return Err(Error::config(
                        "OTEL_EXPORTER_OTLP_PROTOCOL",
                        format!(
                            "is {:?}; http/protobuf and http/json are supported (not grpc)",
                            p.chars().take(40).collect::<String>()
                        ),
                    ))
                }
            };
        }
        let mut b = match var("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") {
            Some(url) => OtlpSink::builder("http://localhost:4318").metrics_url(url),
            None => OtlpSink::builder(
                var("OTEL_EXPORTER_OTLP_ENDPOINT")
                    .as_deref()
                    .unwrap_or("http://localhost:4318"),
            ),
        };
        for name in [
            "OTEL_EXPORTER_OTLP_HEADERS",
            "OTEL_EXPORTER_OTLP_METRICS_HEADERS",
        ] {
            for (k, v) in parse_pairs(&var(name).unwrap_or_default(), name)? {
                b = b.header(k, v);
            }
        }
        for (k, v) in parse_pairs(
            &var("OTEL_RESOURCE_ATTRIBUTES").unwrap_or_default(),
            "OTEL_RESOURCE_ATTRIBUTES",
        )? {
            b = b.resource_attribute(k, v);
        }
        if let Some(name) = var("OTEL_SERVICE_NAME") {
            b = b.service_name(name);
        }
        b = b.protocol(protocol);
        if let Some(t) = var("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE") {
            b = b.temporality(match t.to_ascii_lowercase().as_str() {
                "cumulative" => Temporality::Cumulative,
                "delta" => Temporality::Delta,
                _ => {
                    return Err(Error::config(
                        "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE",
                        "must be cumulative or delta",
                    ))
                }
            });
        }
        b.build().map_err(|e| match e {
            Error::Config { reason, .. } => Error::config("OTEL_EXPORTER_OTLP_ENDPOINT", reason),
            other => other,
        })
    }

    fn resource(&self) -> Resource {
        Resource {
            attributes: self.resource.iter().map(|(k, v)| kv(k, v)).collect(),
            ..Default::default()
        }
    }

    fn post<M: Message + serde::Serialize>(&self, url: &str, msg: &M) -> Result<(), SinkError> {
        let (content_type, body) = match self.protocol {
            Protocol::HttpProtobuf => ("application/x-protobuf", msg.encode_to_vec()),
            Protocol::HttpJson => (
                "application/json",
                serde_json::to_vec(msg)
                    .map_err(|e| SinkError::new(format!("OTLP/JSON encoding failed: {e}")))?,
            ),
        };
        let mut req = Request::new(Method::Post, url)
            .header("content-type", content_type)
            .body(body);
        for (k, v) in &self.headers {
            req = req.secret_header(k.clone(), v.clone());
        }
        self.transport.send(req).map(|_| ())
    }

    /// The request body for an export (protobuf, before compression).
    fn request(&self, export: &Export<'_>) -> ExportMetricsServiceRequest {
        let snap = export.snapshot;
        let now = nanos(snap.taken_at);
        let delta = self.temporality == Temporality::Delta;
        let temporality = if delta {
            AggregationTemporality::Delta
        } else {
            AggregationTemporality::Cumulative
        } as i32;
        // Delta points start where the last successful export ended.
        let delta_start = export.previous.map(|p| nanos(p.taken_at));
        let mut metrics: Vec<Metric> = Vec::new();
        let mut at_name: std::collections::HashMap<(&str, u8), usize> =
            std::collections::HashMap::new();
        for d in export.deltas() {
            let s = d.series;
            let start = match delta_start {
                Some(t) if delta && t > nanos(s.start) => t,
                _ => nanos(s.start),
            };
            let changed = d.changed();
            let value = if delta { d.value } else { cumulative(&s.value) };
            let (kind, data_point) = match value {
                DeltaValue::Counter(v) => (0u8, Point::Number(v)),
                DeltaValue::Gauge(v) => (1, Point::Number(v)),
                DeltaValue::Timing(dist) => (2, Point::Hist(dist)),
            };
            // A delta of nothing is not a point (cumulative points always are).
            if delta && kind != 1 && !changed {
                continue;
            }
            let exemplars: Vec<_> = s.exemplar.iter().map(exemplar).collect();
            let def = self
                .catalog
                .as_deref()
                .and_then(|c| c.get(&s.name))
                .filter(|d| d.kind == s.kind());
            let idx = *at_name.entry((&*s.name, kind)).or_insert_with(|| {
                metrics.push(Metric {
                    name: s.name.to_string(),
                    description: def.map(|d| d.description.to_owned()).unwrap_or_default(),
                    unit: match (kind, def) {
                        (2, _) => "ms".to_owned(),
                        (_, Some(d)) => d.unit.to_owned(),
                        _ => String::new(),
                    },
                    data: Some(match kind {
                        0 => metric::Data::Sum(Sum {
                            data_points: Vec::new(),
                            aggregation_temporality: temporality,
                            is_monotonic: true,
                        }),
                        1 => metric::Data::Gauge(Gauge {
                            data_points: Vec::new(),
                        }),
                        _ => metric::Data::Histogram(Histogram {
                            data_points: Vec::new(),
                            aggregation_temporality: temporality,
                        }),
                    }),
                    ..Default::default()
                });
                metrics.len() - 1
            });
            let Some(m) = metrics.get_mut(idx) else {
                continue;
            };
            match (&mut m.data, data_point) {
                (Some(metric::Data::Sum(sum)), Point::Number(v)) => {
                    sum.data_points.push(NumberDataPoint {
                        attributes: attributes(s),
                        start_time_unix_nano: start,
                        time_unix_nano: now,
                        value: Some(number_data_point::Value::AsDouble(v)),
                        exemplars,
                        ..Default::default()
                    });
                }
                (Some(metric::Data::Gauge(g)), Point::Number(v)) => {
                    g.data_points.push(NumberDataPoint {
                        attributes: attributes(s),
                        time_unix_nano: now,
                        value: Some(number_data_point::Value::AsDouble(v)),
                        ..Default::default()
                    });
                }
                (Some(metric::Data::Histogram(h)), Point::Hist(dist)) => {
                    h.data_points
                        .push(self.histogram_point(s, &dist, start, now, exemplars));
                }
                _ => {}
            }
        }
        ExportMetricsServiceRequest {
            resource_metrics: vec![ResourceMetrics {
                resource: Some(self.resource()),
                scope_metrics: vec![ScopeMetrics {
                    scope: Some(InstrumentationScope {
                        name: "telemetra".to_owned(),
                        version: env!("CARGO_PKG_VERSION").to_owned(),
                        ..Default::default()
                    }),
                    metrics,
                    ..Default::default()
                }],
                ..Default::default()
            }],
        }
    }

    fn histogram_point(
        &self,
        s: &Series,
        d: &Distribution,
        start: u64,
        now: u64,
        exemplars: Vec<pb::metrics::v1::Exemplar>,
    ) -> HistogramDataPoint {
        // OTLP buckets are `(previous bound, bound]`, the last one unbounded above.
        let mut counts = Vec::with_capacity(self.bounds_ms.len() + 1);
        let mut below = 0u64;
        for b in &self.bounds_ms {
            let le = d.count_le(*b).min(d.count);
            counts.push(le.saturating_sub(below));
            below = le.max(below);
        }
        counts.push(d.count.saturating_sub(below));
        let some = d.count > 0;
        HistogramDataPoint {
            attributes: attributes(s),
            start_time_unix_nano: start,
            time_unix_nano: now,
            count: d.count,
            sum: Some(d.sum),
            bucket_counts: counts,
            explicit_bounds: self.bounds_ms.clone(),
            exemplars,
            min: some.then_some(d.min),
            max: some.then_some(d.max),
            ..Default::default()
        }
    }
}

/// A data point's value before it is placed.
enum Point {
    Number(f64),
    Hist(Distribution),
}

/// A series' cumulative value in the shape of a delta.
fn cumulative(v: &Value) -> DeltaValue {
    match v {
        Value::Counter(x) => DeltaValue::Counter(*x),
        Value::Gauge(x) => DeltaValue::Gauge(*x),
        Value::Timing(d) => DeltaValue::Timing(d.clone()),
    }
}

/// `<endpoint>/v1/<signal>`, as the specification builds a signal's URL from the base.
fn signal_url(endpoint: &str, signal: &str) -> String {
    format!("{}/v1/{signal}", endpoint.trim().trim_end_matches('/'))
}

/// `k=v,k2=v2` with percent-encoded values (W3C Baggage-like, as the OTLP exporter
/// specification has it); blank members skipped.
fn parse_pairs(text: &str, var: &'static str) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    for member in text.split(',').map(str::trim).filter(|m| !m.is_empty()) {
        let Some((k, v)) = member.split_once('=') else {
            return Err(Error::config(var, "members must be key=value"));
        };
        let v = percent_encoding::percent_decode_str(v.trim())
            .decode_utf8()
            .map_err(|_| Error::config(var, "a value is not UTF-8 once percent-decoded"))?;
        out.push((k.trim().to_owned(), v.into_owned()));
    }
    Ok(out)
}

impl Sink for OtlpSink {
    fn name(&self) -> &str {
        "otlp"
    }

    /// The histogram bounds: OTLP buckets are `value <= bound`.
    fn exact_timing_bounds(&self) -> Vec<crate::TimingBound> {
        self.bounds_ms
            .iter()
            .filter(|b| **b > 0.0)
            .map(|&ms| crate::TimingBound::AtMostMs(ms))
            .collect()
    }

    fn export(&mut self, export: &Export<'_>) -> Result<(), SinkError> {
        let req = self.request(export);
        self.post(&self.url, &req)
    }

    fn accepts_records(&self) -> bool {
        self.records
    }

    fn set_catalog(&mut self, catalog: std::sync::Arc<crate::catalog::Catalog>) {
        self.catalog = Some(catalog);
    }

    /// Spans to `/v1/traces`, events to `/v1/logs`. A batch is retried whole, so a
    /// batch whose traces went out and whose logs failed sends its traces again:
    /// collectors take a span id seen twice as one span.
    fn export_records(&mut self, batch: &[crate::Record]) -> Result<(), SinkError> {
        let resource = self.resource();
        if let Some(req) = records::traces(&resource, batch.iter().filter_map(|r| r.as_span())) {
            self.post(&self.traces_url, &req)?;
        }
        if let Some(req) = records::logs(&resource, batch.iter().filter_map(|r| r.as_event())) {
            self.post(&self.logs_url, &req)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
