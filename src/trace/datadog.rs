//! Datadog APM agent intake v0.4 (`PUT`/`POST /v0.4/traces`), JSON body.
//!
//! [`encode_v04_json`] is a pure function from finished [`SpanRecord`]s to the request
//! headers and body; sending is the sink's job. Mapping:
//!
//! | Datadog | from |
//! | --- | --- |
//! | `trace_id` | low 64 bits of the trace id; the high 64 go to `meta["_dd.p.tid"]` (16 hex) |
//! | `span_id`, `parent_id` | span id, parent span id (0 for a root) |
//! | `name` | span name |
//! | `service` / `resource` / `type` | string attributes `service.name` / `resource.name` / `span.type`, else the configured service / the span name / `custom` |
//! | `start`, `duration` | ns since epoch, ns |
//! | `error` | 1 for [`Status::Error`], with `meta["error.type"]` and `meta["error_code"]` = the code |
//! | `meta` | `env`, `version`, string and bool attributes |
//! | `metrics` | integer and finite float attributes; `_sampling_priority_v1` (1 sampled, 0 not) and `_dd.top_level` = 1 on spans whose parent is not in the payload |
//!
//! Records are grouped into traces by trace id, in first-seen order. The encoder does not
//! split large batches: the agent accepts bodies up to 25 MB by default.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::{AttrValue, SpanRecord, Status, TraceError};

/// Request path at the agent.
pub const TRACES_PATH: &str = "/v0.4/traces";

/// Settings for the payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DdApmConfig {
    service: String,
    env: Option<String>,
    version: Option<String>,
    lang_version: String,
    tracer_version: String,
}

impl DdApmConfig {
    /// Settings for `service` (must not be empty).
    #[must_use]
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            env: None,
            version: None,
            lang_version: "unknown".to_owned(),
            tracer_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }

    /// `meta["env"]` on every span. Defaults to none.
    #[must_use]
    pub fn env(mut self, env: impl Into<String>) -> Self {
        self.env = Some(env.into());
        self
    }

    /// `meta["version"]` (the application's version) on every span. Defaults to none.
    #[must_use]
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// `Datadog-Meta-Lang-Version` (the rustc version). Defaults to `unknown`.
    #[must_use]
    pub fn lang_version(mut self, v: impl Into<String>) -> Self {
        self.lang_version = v.into();
        self
    }

    /// `Datadog-Meta-Tracer-Version`. Defaults to this crate's version.
    #[must_use]
    pub fn tracer_version(mut self, v: impl Into<String>) -> Self {
        self.tracer_version = v.into();
        self
    }
}

/// An encoded request: send `body` with `headers` to [`TRACES_PATH`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DdApmPayload {
    /// Request headers (`Content-Type`, `X-Datadog-Trace-Count`, `Datadog-Meta-*`).
    pub headers: Vec<(&'static str, String)>,
    /// JSON body: an array of traces, each an array of spans.
    pub body: Vec<u8>,
    /// Number of traces in the body.
    pub trace_count: usize,
}

#[derive(Serialize)]
struct DdSpan<'a> {
    trace_id: u64,
    span_id: u64,
    parent_id: u64,
    name: &'a str,
    service: &'a str,
    resource: &'a str,
    r#type: &'a str,
    start: i64,
    duration: i64,
    error: i32,
    meta: BTreeMap<&'a str, Cow<'a, str>>,
    metrics: BTreeMap<&'a str, f64>,
}

const RESERVED: [&str; 3] = ["service.name", "resource.name", "span.type"];

/// Encodes `records` as a v0.4 JSON trace payload.
///
/// # Errors
/// [`TraceError::Datadog`] when the service name or a header value is empty or not
/// visible ASCII.
pub fn encode_v04_json(
    records: &[SpanRecord],
    cfg: &DdApmConfig,
) -> Result<DdApmPayload, TraceError> {
    if cfg.service.is_empty() {
        return Err(TraceError::Datadog("service must not be empty"));
    }
    for (field, v) in [
        ("lang_version", &cfg.lang_version),
        ("tracer_version", &cfg.tracer_version),
    ] {
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(TraceError::Datadog(if field == "lang_version" {
                "lang_version must be non-empty visible ascii"
            } else {
                "tracer_version must be non-empty visible ascii"
            }));
        }
    }
    let mut order: Vec<u128> = Vec::new();
    let mut groups: HashMap<u128, Vec<&SpanRecord>> = HashMap::new();
    for r in records {
        let key = r.context.trace_id.to_u128();
        groups
            .entry(key)
            .or_insert_with(|| {
                order.push(key);
                Vec::new()
            })
            .push(r);
    }
    let traces: Vec<Vec<DdSpan<'_>>> = order
        .iter()
        .filter_map(|k| groups.get(k))
        .map(|spans| {
            let ids: HashSet<u64> = spans.iter().map(|r| r.context.span_id.to_u64()).collect();
            spans.iter().map(|r| to_dd(r, cfg, &ids)).collect()
        })
        .collect();
    let body = serde_json::to_vec(&traces)
        .map_err(|_| TraceError::Datadog("body could not be encoded"))?;
    let headers = vec![
        ("Content-Type", "application/json".to_owned()),
        ("X-Datadog-Trace-Count", traces.len().to_string()),
        ("Datadog-Meta-Lang", "rust".to_owned()),
        ("Datadog-Meta-Lang-Version", cfg.lang_version.clone()),
        ("Datadog-Meta-Tracer-Version", cfg.tracer_version.clone()),
    ];
    Ok(DdApmPayload {
        headers,
        body,
        trace_count: traces.len(),
    })
}

fn str_attr<'a>(r: &'a SpanRecord, key: &str) -> Option<&'a str> {
    match r.attribute(key) {
        Some(AttrValue::Str(s)) if !s.is_empty() => Some(s),
        _ => None,
    }
}

fn to_dd<'a>(r: &'a SpanRecord, cfg: &'a DdApmConfig, ids_in_trace: &HashSet<u64>) -> DdSpan<'a> {
    let mut meta: BTreeMap<&'a str, Cow<'a, str>> = BTreeMap::new();
    let mut metrics: BTreeMap<&'a str, f64> = BTreeMap::new();
    for (k, v) in &r.attributes {
        if RESERVED.contains(&k.as_ref()) {
            continue;
        }
        match v {
            AttrValue::Str(s) => {
                meta.insert(k, Cow::Borrowed(s));
            }
            AttrValue::Bool(b) => {
                meta.insert(k, Cow::Borrowed(if *b { "true" } else { "false" }));
            }
            #[allow(clippy::cast_precision_loss)] // Datadog metrics are float64
            AttrValue::Int(i) => {
                metrics.insert(k, *i as f64);
            }
            AttrValue::Float(f) if f.is_finite() => {
                metrics.insert(k, *f);
            }
            AttrValue::Float(_) => {}
        }
    }
    if let Some(env) = &cfg.env {
        meta.insert("env", Cow::Borrowed(env));
    }
    if let Some(version) = &cfg.version {
        meta.insert("version", Cow::Borrowed(version));
    }
    let high = r.context.trace_id.high64();
    if high != 0 {
        meta.insert("_dd.p.tid", Cow::Owned(format!("{high:016x}")));
    }
    if let Status::Error { code } = &r.status {
        meta.insert("error.type", Cow::Borrowed(code));
        meta.insert("error_code", Cow::Borrowed(code));
    }
    let parent_id = r.parent_span_id.map_or(0, super::SpanId::to_u64);
    if parent_id == 0 || !ids_in_trace.contains(&parent_id) {
        metrics.insert("_sampling_priority_v1", if r.sampled() { 1.0 } else { 0.0 });
        metrics.insert("_dd.top_level", 1.0);
    }
    DdSpan {
        trace_id: r.context.trace_id.low64(),
        span_id: r.context.span_id.to_u64(),
        parent_id,
        name: &r.name,
        service: str_attr(r, "service.name").unwrap_or(&cfg.service),
        resource: str_attr(r, "resource.name").unwrap_or(&r.name),
        r#type: str_attr(r, "span.type").unwrap_or("custom"),
        start: i64::try_from(r.start_unix_nanos).unwrap_or(i64::MAX),
        duration: i64::try_from(r.duration_nanos).unwrap_or(i64::MAX),
        error: i32::from(!r.status.is_ok()),
        meta,
        metrics,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::trace::{SpanContext, SpanId, TraceId, TraceState};

    fn rec(trace: u128, span: u64, parent: Option<u64>, status: Status) -> SpanRecord {
        SpanRecord {
            name: "op".into(),
            context: SpanContext {
                trace_id: TraceId::from_u128(trace).unwrap(),
                span_id: SpanId::from_u64(span).unwrap(),
                sampled: true,
                random: true,
                trace_state: TraceState::empty(),
            },
            parent_span_id: parent.and_then(SpanId::from_u64),
            start_unix_nanos: 1_700_000_000_000_000_000,
            duration_nanos: 1_500,
            status,
            attributes: vec![
                ("resource.name".into(), "GET /x".into()),
                ("rows".into(), AttrValue::Int(3)),
                ("nan".into(), AttrValue::Float(f64::NAN)),
                ("cached".into(), AttrValue::Bool(true)),
            ],
            dropped_attributes: 0,
        }
    }

    #[test]
    fn encodes_groups_ids_and_headers() {
        let t = (0xaaaa_u128 << 64) | 0x1234;
        let recs = [
            rec(
                t,
                2,
                Some(1),
                Status::Error {
                    code: "timeout".into(),
                },
            ),
            rec(5, 9, None, Status::Ok),
            rec(t, 1, None, Status::Ok),
        ];
        let p = encode_v04_json(&recs, &DdApmConfig::new("api").env("dev")).unwrap();
        assert_eq!(p.trace_count, 2);
        assert!(p
            .headers
            .contains(&("X-Datadog-Trace-Count", "2".to_owned())));
        let v: serde_json::Value = serde_json::from_slice(&p.body).unwrap();
        let child = &v[0][0];
        assert_eq!(child["trace_id"], 0x1234);
        assert_eq!(child["parent_id"], 1);
        assert_eq!(child["error"], 1);
        assert_eq!(child["resource"], "GET /x");
        assert_eq!(child["service"], "api");
        assert_eq!(child["meta"]["_dd.p.tid"], "000000000000aaaa");
        assert_eq!(child["meta"]["error.type"], "timeout");
        assert_eq!(child["meta"]["cached"], "true");
        assert_eq!(child["meta"]["env"], "dev");
        assert_eq!(child["metrics"]["rows"], 3.0);
        assert!(child["metrics"].get("nan").is_none());
        assert!(child["metrics"].get("_dd.top_level").is_none());
        assert_eq!(v[0][1]["metrics"]["_dd.top_level"], 1.0);
        assert_eq!(v[1][0]["parent_id"], 0);
        assert!(v[1][0]["meta"].get("_dd.p.tid").is_none());
    }

    #[test]
    fn rejects_bad_config() {
        assert!(encode_v04_json(&[], &DdApmConfig::new("")).is_err());
        assert!(encode_v04_json(&[], &DdApmConfig::new("a").lang_version("1 2")).is_err());
        let p = encode_v04_json(&[], &DdApmConfig::new("a")).unwrap();
        assert_eq!(p.body, b"[]");
    }
}
