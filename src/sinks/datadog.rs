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
//! compressed body (zlib `deflate` by default, or `gzip`) is at most 512 000 bytes; a
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

// The encoder lands before the transport it feeds (the shared transport is written
// in parallel); the sink itself follows.
#![allow(dead_code, unused_imports)]

use std::io::Write as _;
use std::time::SystemTime;

use serde_json::{json, Value as Json};

use super::cursor::{PartialCursor, PendingDelta};
use super::dd_names;
use super::DeltaValue;
#[cfg(test)]
use super::Export;

/// The default Datadog site (US1).
pub const DEFAULT_SITE: &str = "datadoghq.com";
/// The API's limit on a request body as sent (compressed).
pub const MAX_BODY_BYTES: usize = 512_000;
/// The API's limit on a decompressed body (strictly below 5 242 880 bytes).
pub const MAX_UNCOMPRESSED_BYTES: usize = 5_242_879;
/// `{"series":[` and `]}`.
const ENVELOPE: usize = 13;

/// How request bodies are compressed (`Content-Encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// A zlib stream, `Content-Encoding: deflate` (the API's default).
    Deflate,
    /// `Content-Encoding: gzip`.
    Gzip,
}

impl Compression {
    /// The `Content-Encoding` header value.
    pub fn header(self) -> &'static str {
        match self {
            Compression::Deflate => "deflate",
            Compression::Gzip => "gzip",
        }
    }

    fn compress(self, raw: &[u8]) -> std::io::Result<Vec<u8>> {
        let level = flate2::Compression::default();
        match self {
            Compression::Deflate => {
                let mut e =
                    flate2::write::ZlibEncoder::new(Vec::with_capacity(raw.len() / 8), level);
                e.write_all(raw)?;
                e.finish()
            }
            Compression::Gzip => {
                let mut e = flate2::write::GzEncoder::new(Vec::with_capacity(raw.len() / 8), level);
                e.write_all(raw)?;
                e.finish()
            }
        }
    }
}

/// What goes into the requests of one export, before compression.
#[derive(Debug, Clone)]
pub(crate) struct EncodeOptions {
    pub(crate) host: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) max_body: usize,
    pub(crate) max_uncompressed: usize,
    pub(crate) compression: Compression,
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
) -> std::io::Result<Vec<Batch>> {
    // Each series' members, serialised once, joined with commas.
    let mut groups: Vec<(usize, Vec<u8>)> = Vec::with_capacity(pending.len());
    for (pos, p) in pending.iter().enumerate() {
        let mut bytes = Vec::new();
        for o in series_objects(p, now, opts) {
            if !bytes.is_empty() {
                bytes.push(b',');
            }
            serde_json::to_writer(&mut bytes, &o)?;
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
) -> std::io::Result<()> {
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
    let body = opts.compression.compress(&raw)?;
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

#[cfg(test)]
#[path = "datadog_tests.rs"]
mod tests;
