//! HTTP JSON ingest sink: our own wire format for a generic collector.
//!
//! Every export `POST`s the changes since the last delivered export as JSON, schema
//! `docs/schemas/ingest-v1.json` (JSON Schema draft 2020-12):
//!
//! ```json
//! {
//!   "version": 1,
//!   "metrics": [
//!     {"name": "product.wallet.spend.success", "kind": "counter", "aggregation": "sum",
//!      "value": 3, "labels": {"currency": "EUR"},
//!      "start": "2026-11-23T15:20:00.000Z", "timestamp": "2026-11-23T15:20:10.000Z"},
//!     {"name": "active_users", "kind": "gauge", "aggregation": "last",
//!      "value": 17, "labels": {"region": "eu"}, "timestamp": "2026-11-23T15:20:10.000Z"},
//!     {"name": "wallet_tx_latency_ms", "kind": "timing", "aggregation": "summary",
//!      "unit": "ms", "labels": {},
//!      "value": {"count": 4, "sum": 940.0, "min": 120.0, "max": 450.0, "mean": 235.0,
//!                "p50": 120.0, "p90": 450.0, "p95": 450.0, "p99": 450.0, "p999": 450.0},
//!      "start": "2026-11-23T15:20:00.000Z", "timestamp": "2026-11-23T15:20:10.000Z"}
//!   ]
//! }
//! ```
//!
//! # Semantics (delta, per sink)
//! - **Counters**, `aggregation: "sum"`: `value` is the increase over `[start,
//!   timestamp]`, the receiver adds them up. Zero increases are not sent.
//! - **Gauges**, `aggregation: "last"`: `value` is the current value, sent when the gauge
//!   was set since the last delivered export; the receiver keeps the latest.
//! - **Timings**, `aggregation: "summary"`: `value` summarises the timings recorded over
//!   `[start, timestamp]`, in milliseconds (`unit: "ms"`): exact `count`, `sum`, `min`,
//!   `max`, `mean`, and `p50`…`p999` from the histogram (within its precision). Summaries
//!   of different intervals can be combined by adding `count` and `sum` and taking the
//!   extremes of `min`/`max`; quantiles cannot be combined exactly.
//!
//! `start` is when the previous delivered export was taken (or when the series first
//! appeared); `timestamp` is when this snapshot was taken. Both are RFC 3339 UTC with
//! milliseconds. Labels are the series' tags.
//!
//! Like every delta sink, a failed export leaves the cursor where it was, so the next
//! one carries everything: an outage loses no increments. A snapshot bigger than
//! [`max_batch_bytes`](IngestBuilder::max_batch_bytes) (uncompressed) is split into
//! several requests; when one of them fails, the series already delivered are
//! remembered so that the retry sends them only what is new: nothing is counted twice.
//! A single metric larger than the cap (it takes huge labels) travels alone.
//!
//! # Records: spans and events
//! The sink also takes records ([`Sink::accepts_records`]; turn off with
//! [`records(false)`](IngestBuilder::records)) and posts them to the same URL, spans and
//! events in separate bodies, under the same size cap, gzip and token:
//!
//! ```json
//! {"version": 1, "spans": [
//!   {"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7",
//!    "parent_span_id": "53995c3f42cd8ad8", "name": "db.query",
//!    "start": "2026-11-23T15:20:00.123456789Z", "duration_ns": 1500000,
//!    "status": "error", "error_code": "timeout",
//!    "attributes": {"rows": 3, "cached": false, "table": "users"}}
//! ]}
//! {"version": 1, "events": [
//!   {"timestamp": "2026-11-23T15:20:00.123Z", "domain": "wallet",
//!    "operation": "wallet.spend", "level": "WARN", "actorType": "user",
//!    "actorId": "usr_…", "success": false, "errorCode": "INSUFFICIENT_FUNDS",
//!    "metadata": {"amount": 12.5}, "sampleRate": 1.0}
//! ]}
//! ```
//!
//! A span: `parent_span_id` is absent for a trace root, `error_code` only with
//! `"status": "error"`, non-finite float attributes are left out, `dropped_attributes`
//! appears when the span refused some. An event is [`Event`](crate::event::Event)
//! serialised as the JSON-lines sink writes it (camel-case fields, optional ones left
//! out). Records are already scrubbed of PII. A failed request keeps the records for
//! the pipeline's next attempt; those a split batch already delivered are not sent again.
//!
//! ```no_run
//! # fn main() -> Result<(), telemetra::Error> {
//! use telemetra::sinks::{http::Secret, ingest::HttpIngestSink};
//! let sink = HttpIngestSink::builder("https://collector.example/v1/metrics")
//!     .bearer_token(Secret::new("token"))
//!     .build()?;
//! let telemetry = telemetra::Telemetry::start(telemetra::Config::builder().sink(sink).build()?)?;
//! # drop(telemetry); Ok(()) }
//! ```

#[path = "ingest_builder.rs"]
mod builder;

pub use builder::IngestBuilder;

use std::collections::HashMap;
use std::fmt;
use std::time::SystemTime;

use serde_json::{json, Map, Value as Json};

use super::http::{HttpConfig, HttpTransport, Method, Request, Secret};
use super::resend::Delivered;
use super::{Delta, DeltaValue, Export, Sink, SinkError};
use crate::record::Record;
use crate::snapshot::{Series, Snapshot};
use crate::trace::{AttrValue, SpanRecord, Status};
use crate::Error;

/// Default cap on one request's uncompressed body: 512 KiB.
pub const DEFAULT_MAX_BATCH_BYTES: usize = 512 * 1024;

/// The smallest accepted batch cap.
const MIN_BATCH_BYTES: usize = 1024;

/// `{"version":1,"metrics":[` … `]}`
const PREFIX: &str = "{\"version\":1,\"metrics\":[";
/// `{"version":1,"spans":[` … `]}`
const SPANS_PREFIX: &str = "{\"version\":1,\"spans\":[";
/// `{"version":1,"events":[` … `]}`
const EVENTS_PREFIX: &str = "{\"version\":1,\"events\":[";
const SUFFIX: &str = "]}";

/// Posts delta batches as JSON to a collector. See the [module docs](self).
pub struct HttpIngestSink {
    transport: HttpTransport,
    url: String,
    /// `Basic …` from the URL's user info, if any.
    basic: Option<Secret>,
    token: Option<Secret>,
    max_batch_bytes: usize,
    records: bool,
    /// Records delivered by a partly failed `export_records`.
    delivered: Delivered,
    /// Series delivered by a partly failed export, with the value they were delivered
    /// at and when that snapshot was taken: the next export's baseline for them
    /// instead of [`Export::previous`].
    delivered_ahead: HashMap<usize, (Series, SystemTime)>,
}

impl fmt::Debug for HttpIngestSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpIngestSink")
            .field("token", &self.token)
            .field("max_batch_bytes", &self.max_batch_bytes)
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

impl HttpIngestSink {
    /// A builder posting to `url` (http or https).
    pub fn builder(url: impl Into<String>) -> IngestBuilder {
        IngestBuilder {
            url: url.into(),
            token: None,
            max_batch_bytes: DEFAULT_MAX_BATCH_BYTES,
            records: true,
            http: None,
        }
    }

    /// The request bodies (uncompressed) this sink would send for `export`, in order.
    pub fn bodies(&self, export: &Export<'_>) -> Vec<String> {
        batches(&self.items(export), self.max_batch_bytes, PREFIX)
            .into_iter()
            .map(|b| b.body)
            .collect()
    }

    /// The request bodies (uncompressed) this sink would send for `records`, in order:
    /// the `spans` batches, then the `events` batches.
    pub fn record_bodies(&self, records: &[Record]) -> Vec<String> {
        let all: Vec<&Record> = records.iter().collect();
        record_batches(&all, self.max_batch_bytes)
            .into_iter()
            .map(|(b, _)| b.body)
            .collect()
    }

    fn post(&self, body: String) -> Result<(), SinkError> {
        let mut req = Request::new(Method::Post, self.url.as_str())
            .header("content-type", "application/json")
            .body(body.into_bytes());
        if let Some(t) = &self.token {
            req = req.secret_header(
                "authorization",
                Secret::new(format!("Bearer {}", t.expose())),
            );
        } else if let Some(b) = &self.basic {
            req = req.secret_header("authorization", b.clone());
        }
        self.transport.send(req).map(|_| ())
    }

    fn items(&self, export: &Export<'_>) -> Vec<(usize, String)> {
        let snap = export.snapshot;
        let prev = export.previous;
        snap.series
            .iter()
            .filter_map(|s| {
                let ahead = self.delivered_ahead.get(&s.id);
                let before = ahead
                    .map(|(a, _)| a)
                    .or_else(|| prev.and_then(|p| p.series.get(s.id)));
                let delta = Delta::between(s, before);
                if !delta.changed() {
                    return None;
                }
                let start = match (ahead, prev) {
                    (Some((_, at)), _) => (*at).max(s.start),
                    (None, Some(p)) if p.series.get(s.id).is_some() => p.taken_at.max(s.start),
                    _ => s.start,
                };
                metric_json(&delta, start, snap).map(|j| (s.id, j))
            })
            .collect()
    }
}

impl Sink for HttpIngestSink {
    fn name(&self) -> &str {
        "http"
    }

    fn export(&mut self, export: &Export<'_>) -> Result<(), SinkError> {
        let items = self.items(export);
        let all = batches(&items, self.max_batch_bytes, PREFIX);
        let total = all.len();
        // The first request the receiver refused for good, and how many series the
        // refused requests carried: the others are still sent.
        let mut rejected: Option<(usize, SinkError)> = None;
        let mut rejected_series = 0usize;
        for (i, batch) in all.into_iter().enumerate() {
            match self.post(batch.body) {
                Ok(_) => {}
                Err(e) if e.is_permanent() => {
                    rejected_series += batch.ids.len();
                    rejected.get_or_insert((i, e));
                }
                Err(e) => return Err(e),
            }
            // Delivered, or refused for good (resending cannot help): either way not
            // to be sent again if a later request fails and the export is retried.
            for id in batch.ids {
                if let Some(s) = export.snapshot.series.get(id) {
                    self.delivered_ahead
                        .insert(id, (s.clone(), export.snapshot.taken_at));
                }
            }
        }
        // The worker now moves the cursor to this snapshot.
        self.delivered_ahead.clear();
        match rejected {
            None => Ok(()),
            Some((i, e)) => Err(e
                .context(format_args!(
                    "ingest refused request {} of {total} ({rejected_series} series dropped; the other requests were delivered)",
                    i + 1
                ))
                .into_permanent()),
        }
    }

    fn accepts_records(&self) -> bool {
        self.records
    }

    fn export_records(&mut self, records: &[Record]) -> Result<(), SinkError> {
        let pending = self.delivered.pending(records);
        let all = record_batches(&pending, self.max_batch_bytes);
        let total = all.len();
        let mut rejected: Option<(usize, SinkError)> = None;
        let mut rejected_records = 0usize;
        for (i, (batch, sent)) in all.into_iter().enumerate() {
            match self.post(batch.body) {
                Ok(_) => {}
                Err(e) if e.is_permanent() => {
                    rejected_records += sent.len();
                    rejected.get_or_insert((i, e));
                }
                Err(e) => return Err(e),
            }
            // Remember what went through (or was refused for good), in case a later
            // request of this batch fails.
            self.delivered.extend(sent);
        }
        self.delivered.clear();
        match rejected {
            None => Ok(()),
            Some((i, e)) => Err(e
                .context(format_args!(
                    "ingest refused record request {} of {total} ({rejected_records} records dropped; the other requests were delivered)",
                    i + 1
                ))
                .into_permanent()),
        }
    }
}

/// The `spans` bodies, then the `events` bodies, each with the records it carries.
fn record_batches<'a>(records: &[&'a Record], max: usize) -> Vec<(Batch, Vec<&'a Record>)> {
    let mut spans = Vec::new();
    let mut events = Vec::new();
    for (i, r) in records.iter().enumerate() {
        match r {
            Record::Span(s) => spans.extend(span_json(s).map(|j| (i, j))),
            Record::Event(e) => events.extend(serde_json::to_string(e).ok().map(|j| (i, j))),
        }
    }
    let mut out = Vec::new();
    for (items, prefix) in [(spans, SPANS_PREFIX), (events, EVENTS_PREFIX)] {
        for b in batches(&items, max, prefix) {
            let sent = b
                .ids
                .iter()
                .filter_map(|i| records.get(*i).copied())
                .collect();
            out.push((b, sent));
        }
    }
    out
}

/// One span object of a `spans` batch, or `None` if it cannot be encoded.
fn span_json(s: &SpanRecord) -> Option<String> {
    let mut m = Map::new();
    m.insert(
        "trace_id".into(),
        Json::String(s.context.trace_id.to_string()),
    );
    m.insert(
        "span_id".into(),
        Json::String(s.context.span_id.to_string()),
    );
    if let Some(p) = s.parent_span_id {
        m.insert("parent_span_id".into(), Json::String(p.to_string()));
    }
    m.insert("name".into(), Json::String(s.name.to_string()));
    let start = chrono::DateTime::<chrono::Utc>::from(s.start())
        .to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    m.insert("start".into(), Json::String(start));
    m.insert("duration_ns".into(), json!(s.duration_nanos));
    match &s.status {
        Status::Ok => {
            m.insert("status".into(), Json::String("ok".into()));
        }
        Status::Error { code } => {
            m.insert("status".into(), Json::String("error".into()));
            m.insert("error_code".into(), Json::String(code.to_string()));
        }
    }
    let attributes: Map<String, Json> = s
        .attributes
        .iter()
        .filter_map(|(k, v)| {
            let v = match v {
                AttrValue::Str(x) => Json::String(x.to_string()),
                AttrValue::Int(i) => json!(i),
                AttrValue::Float(f) => finite(*f)?,
                AttrValue::Bool(b) => Json::Bool(*b),
            };
            Some((k.to_string(), v))
        })
        .collect();
    m.insert("attributes".into(), Json::Object(attributes));
    if s.dropped_attributes > 0 {
        m.insert("dropped_attributes".into(), json!(s.dropped_attributes));
    }
    serde_json::to_string(&Json::Object(m)).ok()
}

fn rfc3339(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn finite(v: f64) -> Option<Json> {
    v.is_finite().then(|| json!(v))
}

/// One metric object, or `None` for a value JSON cannot carry (NaN, ±∞).
fn metric_json(delta: &Delta<'_>, start: SystemTime, snap: &Snapshot) -> Option<String> {
    let s = delta.series;
    let labels: Map<String, Json> = s
        .tags
        .iter()
        .map(|t| (t.key.to_string(), Json::String(t.value.to_string())))
        .collect();
    let mut m = Map::new();
    m.insert("name".into(), Json::String(s.name.to_string()));
    m.insert("kind".into(), Json::String(s.kind().as_str().into()));
    let (aggregation, value) = match &delta.value {
        DeltaValue::Counter(v) => ("sum", finite(*v)?),
        DeltaValue::Gauge(v) => ("last", finite(*v)?),
        DeltaValue::Timing(d) => {
            m.insert("unit".into(), Json::String("ms".into()));
            let [p50, p90, p95, p99, p999] = d.percentiles().map(|(_, v)| v);
            (
                "summary",
                json!({
                    "count": d.count,
                    "sum": finite(d.sum)?,
                    "min": finite(d.min)?,
                    "max": finite(d.max)?,
                    "mean": finite(d.mean())?,
                    "p50": finite(p50)?,
                    "p90": finite(p90)?,
                    "p95": finite(p95)?,
                    "p99": finite(p99)?,
                    "p999": finite(p999)?,
                }),
            )
        }
    };
    m.insert("aggregation".into(), Json::String(aggregation.into()));
    m.insert("value".into(), value);
    m.insert("labels".into(), Json::Object(labels));
    if aggregation != "last" {
        m.insert("start".into(), Json::String(rfc3339(start)));
    }
    m.insert("timestamp".into(), Json::String(rfc3339(snap.taken_at)));
    serde_json::to_string(&Json::Object(m)).ok()
}

struct Batch {
    body: String,
    ids: Vec<usize>,
}

/// Packs metric objects into bodies of at most `max` bytes (one oversized metric
/// travels alone).
fn batches(items: &[(usize, String)], max: usize, prefix: &str) -> Vec<Batch> {
    let mut out = Vec::new();
    let mut cur = Batch {
        body: String::from(prefix),
        ids: Vec::new(),
    };
    for (id, item) in items {
        let extra = item.len() + usize::from(!cur.ids.is_empty());
        if !cur.ids.is_empty() && cur.body.len() + extra + SUFFIX.len() > max {
            cur.body.push_str(SUFFIX);
            out.push(std::mem::replace(
                &mut cur,
                Batch {
                    body: String::from(prefix),
                    ids: Vec::new(),
                },
            ));
        }
        if !cur.ids.is_empty() {
            cur.body.push(',');
        }
        cur.body.push_str(item);
        cur.ids.push(*id);
    }
    if !cur.ids.is_empty() {
        cur.body.push_str(SUFFIX);
        out.push(cur);
    }
    out
}

#[cfg(test)]
#[path = "ingest_tests.rs"]
mod tests;
