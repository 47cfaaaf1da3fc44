//! Datadog metrics API v2 sink: `POST https://api.<site>/api/v2/series`.
//!
//! Every export sends the series that changed since the last delivery:
//!
//! | telemetra | Datadog series | `type` |
//! | --- | --- | --- |
//! | counter | `name`, the increase, `interval` = seconds since the last delivery | 1 (count) |
//! | gauge | `name`, the last value (only when set since) | 3 (gauge) |
//! | timing | `name.avg`, `name.max`, `name.median`, `name.95percentile` of the values recorded since | 3 (gauge) |
//! |        | `name.count`, their number, with `interval` | 1 (count) |
//!
//! The timing family is the one the Datadog Agent produces for a histogram with its
//! default `histogram_aggregates` (`max`, `median`, `avg`, `count`) and
//! `histogram_percentiles` (`0.95`), so dashboards built for Agent histograms work
//! unchanged. Names and tags follow Datadog's rules (see `dd_names`): metric names are
//! ASCII letters, digits, `_` and `.`, start with a letter, at most 200 characters;
//! tags are `key:value`.
//!
//! # Batching
//! The series are packed into requests whose JSON stays under 5 242 880 bytes and whose
//! body as sent (zlib `deflate` by default, or `gzip`) is at most 512 000 bytes; a
//! batch that compresses too poorly is split in two until it fits. A series (with all
//! the members of a timing family) never straddles two requests.
//!
//! # Partial failure
//! When a request fails after the transport's retries, the remaining requests of that
//! export are not attempted and the export fails, which keeps the pipeline's delta
//! cursor. Resending everything on the next export would count the series of the
//! requests that *did* succeed twice; reporting success would lose the others. The sink
//! does neither: it remembers, per series, the state delivered by the successful
//! requests, and the next export measures those series from there. A request the API
//! rejects as invalid (a 4xx other than 408/429) is treated as delivered — resending it
//! cannot succeed — and reported as a permanent error if nothing else failed.

#[path = "datadog_builder.rs"]
mod builder;

pub use builder::DatadogBuilder;

use std::fmt;
use std::time::{Duration, SystemTime};

use serde_json::{json, Value as Json};

use super::cursor::{PartialCursor, PendingDelta};
use super::dd_names;
use super::http::{encode_body, Encoding, HttpConfig, HttpTransport, Method, Request, Secret};
use super::{DeltaValue, Export, Sink, SinkError};
use crate::tags::{Str, Tag};
use crate::Error;

/// The default Datadog site (US1).
pub const DEFAULT_SITE: &str = "datadoghq.com";
/// The API's limit on a request body as sent (compressed).
pub const MAX_BODY_BYTES: usize = 512_000;
/// The API's limit on a decompressed body (strictly below 5 242 880 bytes).
pub const MAX_UNCOMPRESSED_BYTES: usize = 5_242_879;
/// The series endpoint path.
const PATH: &str = "/api/v2/series";
/// `{"series":[` and `]}`.
const ENVELOPE: usize = 13;

/// What goes into the requests of one export, before compression.
#[derive(Debug, Clone)]
pub(crate) struct EncodeOptions {
    pub(crate) host: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) max_body: usize,
    pub(crate) max_uncompressed: usize,
    pub(crate) compression: Encoding,
}

/// One request body and the series (positions in the pending list) it carries.
#[derive(Debug)]
pub(crate) struct Batch {
    /// The compressed body.
    pub(crate) body: Vec<u8>,
    /// Positions of its series in the pending list.
    pub(crate) series: Vec<usize>,
}

/// The JSON `MetricSeries` objects of one pending delta (one, or five for a timing).
fn series_objects(p: &PendingDelta<'_>, now: SystemTime, opts: &EncodeOptions) -> Vec<Json> {
    let s = p.delta.series;
    let ts = unix_secs(now);
    let interval = now
        .duration_since(p.since)
        .map_or(1, |d| (d.as_secs_f64().round() as i64).max(1));
    let mut tags: Vec<String> = s.tags.iter().map(dd_names::tag).collect();
    tags.extend(opts.tags.iter().cloned());
    let base = dd_names::metric_name(&s.name);
    let one = |suffix: &str, kind: u8, value: f64| -> Option<Json> {
        if !value.is_finite() {
            return None;
        }
        let mut name = base.clone();
        dd_names::truncate_chars(&mut name, dd_names::MAX_NAME - suffix.len());
        name.push_str(suffix);
        let mut o = json!({
            "metric": name,
            "type": kind,
            "points": [{"timestamp": ts, "value": value}],
        });
        if let Json::Object(m) = &mut o {
            if kind == 1 {
                m.insert("interval".into(), json!(interval));
            }
            if !tags.is_empty() {
                m.insert("tags".into(), json!(tags));
            }
            if let Some(h) = &opts.host {
                m.insert("resources".into(), json!([{"name": h, "type": "host"}]));
            }
        }
        Some(o)
    };
    match &p.delta.value {
        DeltaValue::Counter(d) => one("", 1, *d).into_iter().collect(),
        DeltaValue::Gauge(g) => one("", 3, *g).into_iter().collect(),
        DeltaValue::Timing(d) => [
            one(".avg", 3, d.mean()),
            one(".count", 1, d.count as f64),
            one(".max", 3, d.max),
            one(".median", 3, d.quantile(0.5)),
            one(".95percentile", 3, d.quantile(0.95)),
        ]
        .into_iter()
        .flatten()
        .collect(),
    }
}

fn unix_secs(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Encodes the pending deltas into compressed request bodies within the limits.
pub(crate) fn encode_batches(
    pending: &[PendingDelta<'_>],
    now: SystemTime,
    opts: &EncodeOptions,
) -> Result<Vec<Batch>, SinkError> {
    // Each series' members, serialised once, joined with commas.
    let mut groups: Vec<(usize, Vec<u8>)> = Vec::with_capacity(pending.len());
    for (pos, p) in pending.iter().enumerate() {
        let mut bytes = Vec::new();
        for o in series_objects(p, now, opts) {
            if !bytes.is_empty() {
                bytes.push(b',');
            }
            serde_json::to_writer(&mut bytes, &o)
                .map_err(|e| SinkError::permanent(format!("encoding a series failed: {e}")))?;
        }
        if !bytes.is_empty() {
            groups.push((pos, bytes));
        }
    }
    // First cut on the uncompressed limit, then split on the compressed one.
    let mut out = Vec::new();
    let mut start = 0;
    let mut size = ENVELOPE;
    for (i, (_, g)) in groups.iter().enumerate() {
        let add = g.len() + usize::from(i > start);
        if i > start && size + add > opts.max_uncompressed {
            compress_split(groups.get(start..i).unwrap_or_default(), opts, &mut out)?;
            start = i;
            size = ENVELOPE + g.len();
        } else {
            size += add;
        }
    }
    compress_split(groups.get(start..).unwrap_or_default(), opts, &mut out)?;
    Ok(out)
}

fn compress_split(
    groups: &[(usize, Vec<u8>)],
    opts: &EncodeOptions,
    out: &mut Vec<Batch>,
) -> Result<(), SinkError> {
    if groups.is_empty() {
        return Ok(());
    }
    let mut raw =
        Vec::with_capacity(ENVELOPE + groups.iter().map(|g| g.1.len() + 1).sum::<usize>());
    raw.extend_from_slice(b"{\"series\":[");
    for (i, (_, g)) in groups.iter().enumerate() {
        if i > 0 {
            raw.push(b',');
        }
        raw.extend_from_slice(g);
    }
    raw.extend_from_slice(b"]}");
    let body = encode_body(&raw, opts.compression)?;
    if body.len() > opts.max_body && groups.len() > 1 {
        let (a, b) = groups.split_at(groups.len() / 2);
        compress_split(a, opts, out)?;
        return compress_split(b, opts, out);
    }
    // A single series over the limit goes alone: the API will say what it thinks.
    out.push(Batch {
        body,
        series: groups.iter().map(|g| g.0).collect(),
    });
    Ok(())
}

/// Sends snapshot deltas to the Datadog metrics API v2 (see the module docs).
///
/// ```
/// # fn main() -> Result<(), telemetra::Error> {
/// use telemetra::sinks::datadog::DatadogSink;
///
/// let sink = DatadogSink::builder("0123456789abcdef0123456789abcdef")
///     .site("datadoghq.eu")
///     .host("web-1")
///     .tag("env", "prod")
///     .build()?;
/// assert_eq!(sink.url(), "https://api.datadoghq.eu/api/v2/series");
/// assert!(!format!("{sink:?}").contains("0123456789abcdef"));
/// # Ok(()) }
/// ```
pub struct DatadogSink {
    name: String,
    url: String,
    api_key: Secret,
    opts: EncodeOptions,
    transport: HttpTransport,
    cursor: PartialCursor,
    /// The second the last delivered points were stamped with: Datadog keeps one point
    /// per series and timestamp, so a second export within that second would overwrite
    /// the first one's counts.
    last_stamp: Option<i64>,
}

impl fmt::Debug for DatadogSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatadogSink")
            .field("name", &self.name)
            .field("url", &super::http::redact_url(&self.url))
            .field("api_key", &self.api_key)
            .field("compression", &self.opts.compression)
            .finish_non_exhaustive()
    }
}

impl DatadogSink {
    /// Starts configuring a sink that authenticates with `api_key` (`DD_API_KEY`).
    pub fn builder(api_key: impl Into<String>) -> DatadogBuilder {
        DatadogBuilder {
            api_key: Secret::new(api_key),
            site: DEFAULT_SITE.to_owned(),
            base_url: None,
            host: None,
            tags: Vec::new(),
            compression: Encoding::Deflate,
            max_body: MAX_BODY_BYTES,
            max_uncompressed: MAX_UNCOMPRESSED_BYTES,
            transport: None,
            name: "datadog".to_owned(),
        }
    }

    /// The sink as configured from the environment: `DD_API_KEY` and, if set,
    /// `DD_SITE`; everything else at its default.
    pub fn from_env_parts(api_key: String, site: Option<String>) -> Result<DatadogSink, Error> {
        let b = DatadogSink::builder(api_key.trim());
        match site {
            Some(site) if !site.trim().is_empty() => b.site(site),
            _ => b,
        }
        .build()
        // Name the variable the user set, not the builder setter.
        .map_err(|e| match e {
            Error::Config {
                field: "api_key",
                reason,
            } => Error::config("DD_API_KEY", reason),
            Error::Config {
                field: "site",
                reason,
            } => Error::config("DD_SITE", reason),
            other => other,
        })
    }

    /// The URL series are posted to.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl DatadogSink {
    /// The time to stamp an export's points with: the snapshot's, unless points were
    /// already sent stamped with that second (or a later one). Then the next second,
    /// waiting until the clock reaches it (at most a second, on this sink's thread
    /// only), so that no point is stamped in the future. Successive exports within one
    /// second are so spread over distinct seconds; their deltas stay exact.
    fn stamp(&self, taken_at: SystemTime) -> SystemTime {
        let Some(last) = self.last_stamp else {
            return taken_at;
        };
        if unix_secs(taken_at) > last {
            return taken_at;
        }
        let next = u64::try_from(last.saturating_add(1)).unwrap_or(0);
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(next);
        if let Ok(wait) = at.duration_since(SystemTime::now()) {
            std::thread::sleep(wait.min(Duration::from_secs(2)));
        }
        at
    }
}

impl Sink for DatadogSink {
    fn name(&self) -> &str {
        &self.name
    }

    fn export(&mut self, export: &Export<'_>) -> Result<(), SinkError> {
        let pending = self.cursor.changed(export);
        let stamp = if pending.is_empty() {
            export.snapshot.taken_at
        } else {
            self.stamp(export.snapshot.taken_at)
        };
        let batches = encode_batches(&pending, stamp, &self.opts)?;
        let total = batches.len();
        let mut delivered: Vec<usize> = Vec::new();
        let mut rejected: Option<(usize, SinkError)> = None;
        for (i, batch) in batches.into_iter().enumerate() {
            let mut req = Request::new(Method::Post, self.url.as_str())
                .secret_header("DD-API-KEY", self.api_key.clone())
                .header("Content-Type", "application/json")
                // Compressed here, to size the batch; sent as is.
                .encoding(Encoding::Identity)
                .body(batch.body);
            if let Some(ce) = self.opts.compression.header_value() {
                req = req.header("Content-Encoding", ce);
            }
            match self.transport.send(req) {
                Ok(_) => {
                    delivered.extend(&batch.series);
                    self.last_stamp = Some(unix_secs(stamp));
                }
                Err(e) if e.is_permanent() => {
                    // Resending cannot succeed: the batch counts as delivered (dropped).
                    delivered.extend(&batch.series);
                    rejected.get_or_insert((i, e));
                }
                Err(e) => {
                    let series = delivered
                        .iter()
                        .filter_map(|&p| pending.get(p).map(|p| p.delta.series));
                    self.cursor.ack(export, series);
                    return Err(e.context(format_args!(
                        "datadog request {} of {total} failed, the rest kept for the next export",
                        i + 1
                    )));
                }
            }
        }
        self.cursor.reset();
        match rejected {
            None => Ok(()),
            Some((i, e)) => Err(e
                .context(format_args!(
                    "datadog rejected request {} of {total}",
                    i + 1
                ))
                .into_permanent()),
        }
    }
}

#[cfg(test)]
#[path = "datadog_tests.rs"]
mod tests;
