//! The pure half of the GCP sink: series → `TimeSeries` JSON, labels and names.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use serde_json::{json, Map, Value as Json};

use crate::snapshot::{Distribution, Series, Value};

/// The default bucket bounds of timing distributions, in ms: a latency ladder from
/// 0.5 ms to 60 s (1-2.5-5 steps), 17 finite bounds, 18 buckets.
pub const DEFAULT_BOUNDS_MS: [f64; 17] = [
    0.5, 1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1_000.0, 2_500.0, 5_000.0, 10_000.0,
    25_000.0, 50_000.0, 60_000.0,
];
/// The most labels a user-defined metric may have.
pub(crate) const MAX_LABELS: usize = 30;
const MAX_LABEL_KEY: usize = 100;
const MAX_LABEL_VALUE: usize = 1024;
const MAX_TYPE: usize = 200;

/// Settings the encoder needs.
#[derive(Debug, Clone)]
pub(crate) struct GcpEncoding {
    pub(crate) prefix: String,
    pub(crate) resource_type: String,
    pub(crate) resource_labels: Vec<(String, String)>,
    pub(crate) bounds: Vec<f64>,
}

/// `custom.googleapis.com/` + the name with `.` as `/`; characters outside
/// `[A-Za-z0-9_/]` become `_`, empty path segments are dropped, at most 200 characters.
pub(crate) fn metric_type(prefix: &str, name: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + name.len());
    out.push_str(prefix);
    let base = out.len();
    for c in name.chars() {
        let c = match c {
            '.' | '/' => '/',
            c if c.is_ascii_alphanumeric() || c == '_' => c,
            _ => '_',
        };
        if c == '/' && (out.len() == base || out.ends_with('/')) {
            continue;
        }
        if out.len() >= MAX_TYPE {
            break;
        }
        out.push(c);
    }
    while out.len() > base && out.ends_with('/') {
        out.pop();
    }
    if out.len() == base {
        out.push_str("unnamed");
    }
    out
}

/// A label key under `[a-zA-Z][a-zA-Z0-9_]*`, at most 100 characters: other
/// characters become `_`, leading non-letters are dropped, an empty key is `label`.
pub(crate) fn label_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len().min(MAX_LABEL_KEY));
    for c in key.chars() {
        if out.is_empty() && !c.is_ascii_alphabetic() {
            continue;
        }
        if out.len() >= MAX_LABEL_KEY {
            break;
        }
        out.push(if c.is_ascii_alphanumeric() { c } else { '_' });
    }
    if out.is_empty() {
        out.push_str("label");
    }
    out
}

/// A label value cut to 1024 bytes at a character boundary.
pub(crate) fn label_value(v: &str) -> String {
    let mut end = v.len().min(MAX_LABEL_VALUE);
    while !v.is_char_boundary(end) {
        end -= 1;
    }
    v.get(..end).unwrap_or_default().to_owned()
}

/// The series' labels: sanitised keys (first one wins on a clash), at most 30.
pub(crate) fn labels(series: &Series) -> Map<String, Json> {
    let mut out = Map::new();
    for t in series.tags.iter() {
        if out.len() >= MAX_LABELS {
            break;
        }
        let k = label_key(&t.key);
        if !out.contains_key(&k) {
            out.insert(k, Json::String(label_value(&t.value)));
        }
    }
    out
}

/// RFC 3339 in UTC with as many fractional digits as needed.
pub(crate) fn rfc3339(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// The `distributionValue` of a timing.
pub(crate) fn distribution(d: &Distribution, bounds: &[f64]) -> Json {
    let mut counts = Vec::with_capacity(bounds.len() + 1);
    let mut below = 0u64;
    for b in bounds {
        // Values below the bound (Google's buckets are `lower <= value < upper`):
        // exact, since the sink declares its bounds; never above count.
        let cum = d.count_lt(*b).min(d.count).max(below);
        counts.push(cum - below);
        below = cum;
    }
    counts.push(d.count - below);
    let mean = d.mean();
    // The histogram keeps no sum of squares; each recorded bucket stands for its
    // values (within the histogram's precision), which is as close as we can get.
    let ssd: f64 = if d.count < 2 {
        0.0
    } else {
        d.buckets()
            .map(|(v, c)| {
                let v = v.clamp(d.min, d.max);
                (v - mean) * (v - mean) * c as f64
            })
            .sum()
    };
    json!({
        "count": d.count.to_string(),
        "mean": if mean.is_finite() { mean } else { 0.0 },
        "sumOfSquaredDeviation": if ssd.is_finite() { ssd.max(0.0) } else { 0.0 },
        "bucketOptions": {"explicitBuckets": {"bounds": bounds}},
        "bucketCounts": counts.iter().map(u64::to_string).collect::<Vec<_>>(),
    })
}

/// One `TimeSeries` with one point ending at `end`, or `None` when the series cannot
/// be written at `end` (a CUMULATIVE start not strictly before it, a non-finite value).
pub(crate) fn time_series(s: &Series, end: SystemTime, enc: &GcpEncoding) -> Option<Json> {
    let end_s = rfc3339(end);
    let cumulative_interval = || -> Option<Json> {
        (s.start < end).then(|| json!({"startTime": rfc3339(s.start), "endTime": end_s}))
    };
    let (kind, value_type, interval, value, unit) = match &s.value {
        Value::Counter(v) if v.is_finite() => (
            "CUMULATIVE",
            "DOUBLE",
            cumulative_interval()?,
            json!({"doubleValue": v}),
            None,
        ),
        Value::Gauge(v) if v.is_finite() => (
            "GAUGE",
            "DOUBLE",
            json!({"endTime": end_s}),
            json!({"doubleValue": v}),
            None,
        ),
        Value::Timing(d) => (
            "CUMULATIVE",
            "DISTRIBUTION",
            cumulative_interval()?,
            json!({"distributionValue": distribution(d, &enc.bounds)}),
            Some("ms"),
        ),
        _ => return None,
    };
    let resource_labels: Map<String, Json> = enc
        .resource_labels
        .iter()
        .map(|(k, v)| (k.clone(), Json::String(v.clone())))
        .collect();
    let mut ts = json!({
        "metric": {"type": metric_type(&enc.prefix, &s.name), "labels": labels(s)},
        "resource": {"type": enc.resource_type, "labels": resource_labels},
        "metricKind": kind,
        "valueType": value_type,
        "points": [{"interval": interval, "value": value}],
    });
    if let (Some(u), Json::Object(m)) = (unit, &mut ts) {
        m.insert("unit".into(), json!(u));
    }
    Some(ts)
}

/// What the sink last wrote for a series.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Written {
    /// The point's end time.
    pub(crate) end: SystemTime,
    /// The series' `updated` stamp at that point.
    pub(crate) updated: SystemTime,
}

/// How much earlier than `spacing` a point may still be written: flushes arrive at the
/// flush interval give or take scheduling jitter, and with the default 10 s interval
/// and 10 s spacing a strict comparison would hold back every other point. Never
/// below Cloud Monitoring's own 5 s.
const SPACING_SLACK: Duration = Duration::from_secs(1);
const MIN_SPACING: Duration = Duration::from_secs(5);

/// The series of a snapshot that are due: changed since their last written point and
/// at least `spacing` (less one second of slack, never under 5 s) after it. Duplicates of an earlier series' GCP identity (two
/// names that sanitise alike) are left out and counted.
pub(crate) fn due<'s>(
    series: &'s [Series],
    end: SystemTime,
    written: &HashMap<usize, Written>,
    spacing: Duration,
    enc: &GcpEncoding,
) -> (Vec<(&'s Series, Json)>, usize) {
    let mut seen = std::collections::HashSet::new();
    let mut collisions = 0;
    let mut out = Vec::new();
    let spacing = spacing.saturating_sub(SPACING_SLACK).max(MIN_SPACING);
    for s in series {
        if let Some(w) = written.get(&s.id) {
            let spaced = end.duration_since(w.end).is_ok_and(|d| d >= spacing);
            if s.updated <= w.updated || !spaced {
                continue;
            }
        }
        let Some(ts) = time_series(s, end, enc) else {
            continue;
        };
        let key = ts.get("metric").map(ToString::to_string);
        if !seen.insert(key) {
            collisions += 1;
            continue;
        }
        out.push((s, ts));
    }
    (out, collisions)
}

#[cfg(test)]
#[path = "gcp_encode_tests.rs"]
mod tests;
