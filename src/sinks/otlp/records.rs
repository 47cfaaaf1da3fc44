//! Spans and events as OTLP traces and logs (already scrubbed and sampled by the
//! pipeline when they reach a sink).

use super::proto::opentelemetry::proto as pb;
use super::{kv, nanos};
use crate::event::Event;
use crate::sampling::Level;
use crate::trace::{AttrValue, SpanRecord, Status};
use pb::collector::logs::v1::ExportLogsServiceRequest;
use pb::collector::trace::v1::ExportTraceServiceRequest;
use pb::common::v1::{any_value, AnyValue, InstrumentationScope, KeyValue};
use pb::logs::v1::{LogRecord, ResourceLogs, ScopeLogs, SeverityNumber};
use pb::resource::v1::Resource;
use pb::trace::v1::{span, status, ResourceSpans, ScopeSpans, Span};

fn scope() -> Option<InstrumentationScope> {
    Some(InstrumentationScope {
        name: "telemetra".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        ..Default::default()
    })
}

fn any(v: any_value::Value) -> Option<AnyValue> {
    Some(AnyValue { value: Some(v) })
}

fn attr(key: &str, v: &AttrValue) -> KeyValue {
    let value = match v {
        AttrValue::Str(s) => any_value::Value::StringValue(s.to_string()),
        AttrValue::Int(i) => any_value::Value::IntValue(*i),
        AttrValue::Float(f) => any_value::Value::DoubleValue(*f),
        AttrValue::Bool(b) => any_value::Value::BoolValue(*b),
    };
    KeyValue {
        key: key.to_owned(),
        value: any(value),
    }
}

/// A span as OTLP has it.
fn span(r: &SpanRecord) -> Span {
    let cx = &r.context;
    let status = match &r.status {
        Status::Ok => pb::trace::v1::Status {
            code: status::StatusCode::Unset as i32,
            ..Default::default()
        },
        Status::Error { code } => pb::trace::v1::Status {
            code: status::StatusCode::Error as i32,
            message: code.to_string(),
        },
    };
    Span {
        trace_id: cx.trace_id.to_u128().to_be_bytes().to_vec(),
        span_id: cx.span_id.to_u64().to_be_bytes().to_vec(),
        parent_span_id: r
            .parent_span_id
            .map(|p| p.to_u64().to_be_bytes().to_vec())
            .unwrap_or_default(),
        // W3C trace flags: sampled (the only spans that reach a sink).
        flags: u32::from(cx.sampled),
        name: r.name.to_string(),
        kind: span::SpanKind::Internal as i32,
        start_time_unix_nano: r.start_unix_nanos,
        end_time_unix_nano: r.start_unix_nanos.saturating_add(r.duration_nanos),
        attributes: r.attributes.iter().map(|(k, v)| attr(k, v)).collect(),
        dropped_attributes_count: r.dropped_attributes,
        status: Some(status),
        ..Default::default()
    }
}

/// The OTLP severity of a level (the specification's ranges: DEBUG 5, INFO 9, WARN 13,
/// ERROR 17, FATAL 21).
fn severity(l: Level) -> SeverityNumber {
    match l {
        Level::Debug => SeverityNumber::Debug,
        Level::Info => SeverityNumber::Info,
        Level::Warn => SeverityNumber::Warn,
        Level::Error => SeverityNumber::Error,
        Level::Critical => SeverityNumber::Fatal,
    }
}

/// A JSON value as an OTLP value.
fn json(v: &serde_json::Value) -> Option<AnyValue> {
    use serde_json::Value as J;
    let value = match v {
        J::Null => return None,
        J::Bool(b) => any_value::Value::BoolValue(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => any_value::Value::IntValue(i),
            None => any_value::Value::DoubleValue(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => any_value::Value::StringValue(s.clone()),
        J::Array(a) => any_value::Value::ArrayValue(pb::common::v1::ArrayValue {
            values: a.iter().filter_map(json).collect(),
        }),
        J::Object(o) => any_value::Value::KvlistValue(pb::common::v1::KeyValueList {
            values: o
                .iter()
                .map(|(k, v)| KeyValue {
                    key: k.clone(),
                    value: json(v),
                })
                .collect(),
        }),
    };
    any(value)
}

/// An event as an OTLP log record: the message (else the operation) as the body, the
/// event's fields as attributes, its trace and span ids as the record's.
fn log(e: &Event) -> LogRecord {
    let mut attributes = vec![
        kv("event.domain", &e.domain),
        kv("event.name", &e.operation),
    ];
    let mut text = |k: &str, v: Option<&str>| {
        if let Some(v) = v {
            attributes.push(kv(k, v));
        }
    };
    text("actor.id", e.actor_id.as_deref());
    text("session.id", e.session_id.as_deref());
    text("request.id", e.request_id.as_deref());
    text("error.code", e.error_code.as_deref());
    if let Some(a) = &e.actor_type {
        let a = serde_json::to_value(a).ok();
        text("actor.type", a.as_ref().and_then(serde_json::Value::as_str));
    }
    if let Some(s) = e.success {
        attributes.push(KeyValue {
            key: "success".to_owned(),
            value: any(any_value::Value::BoolValue(s)),
        });
    }
    if let Some(ms) = e.latency_ms {
        attributes.push(KeyValue {
            key: "latency_ms".to_owned(),
            value: any(any_value::Value::DoubleValue(ms)),
        });
    }
    attributes.push(KeyValue {
        key: "sample_rate".to_owned(),
        value: any(any_value::Value::DoubleValue(e.sample_rate)),
    });
    if let serde_json::Value::Object(o) = &e.metadata {
        for (k, v) in o {
            if let Some(value) = json(v) {
                attributes.push(KeyValue {
                    key: k.clone(),
                    value: Some(value),
                });
            }
        }
    }
    let time = e
        .timestamp
        .timestamp_nanos_opt()
        .and_then(|n| u64::try_from(n).ok())
        .unwrap_or_else(|| nanos(std::time::SystemTime::now()));
    let body = e.message.clone().unwrap_or_else(|| e.operation.to_string());
    LogRecord {
        time_unix_nano: time,
        observed_time_unix_nano: time,
        severity_number: severity(e.level) as i32,
        severity_text: e.level.as_str().to_owned(),
        body: any(any_value::Value::StringValue(body)),
        attributes,
        trace_id: e
            .trace_id
            .map(|t| t.to_u128().to_be_bytes().to_vec())
            .unwrap_or_default(),
        span_id: e
            .span_id
            .map(|s| s.to_u64().to_be_bytes().to_vec())
            .unwrap_or_default(),
        ..Default::default()
    }
}

/// The traces request of a batch's spans, if it has any.
pub(super) fn traces<'a>(
    resource: &Resource,
    spans: impl Iterator<Item = &'a SpanRecord>,
) -> Option<ExportTraceServiceRequest> {
    let spans: Vec<Span> = spans.map(span).collect();
    (!spans.is_empty()).then(|| ExportTraceServiceRequest {
        resource_spans: vec![ResourceSpans {
            resource: Some(resource.clone()),
            scope_spans: vec![ScopeSpans {
                scope: scope(),
                spans,
                ..Default::default()
            }],
            ..Default::default()
        }],
    })
}

/// The logs request of a batch's events, if it has any.
pub(super) fn logs<'a>(
    resource: &Resource,
    events: impl Iterator<Item = &'a Event>,
) -> Option<ExportLogsServiceRequest> {
    let records: Vec<LogRecord> = events.map(log).collect();
    (!records.is_empty()).then(|| ExportLogsServiceRequest {
        resource_logs: vec![ResourceLogs {
            resource: Some(resource.clone()),
            scope_logs: vec![ScopeLogs {
                scope: scope(),
                log_records: records,
                ..Default::default()
            }],
            ..Default::default()
        }],
    })
}
