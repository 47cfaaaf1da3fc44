//! OTLP/HTTP metrics: what the sink posts decodes with OpenTelemetry's official Python
//! bindings (`opentelemetry-proto`, installed by `scripts/test-deps/python.sh` into
//! `$TELEMETRA_VENV`, default `/tmp/telemetra-venv`), and means what was emitted:
//! cumulative sums rise from a fixed start time, delta sums add up to the totals
//! across a collector outage, histogram buckets add up to the count, the resource and
//! exemplars are there.
#![cfg(feature = "otlp")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value as Json;
use support::server::{Reply, TestServer};
use telemetra::sinks::http::HttpConfig;
use telemetra::sinks::otlp::{OtlpSink, Temporality};
use telemetra::{Config, Telemetry};

const T: Duration = Duration::from_secs(20);

fn python() -> Option<PathBuf> {
    let venv = std::env::var_os("TELEMETRA_VENV")
        .map_or_else(|| PathBuf::from("/tmp/telemetra-venv"), PathBuf::from);
    let py = venv.join("bin/python");
    let ok = std::process::Command::new(&py)
        .args([
            "-c",
            "import opentelemetry.proto.collector.metrics.v1.metrics_service_pb2",
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(py)
}

/// Reads `input` with the official bindings as the collector request `class` —
/// binary protobuf, or proto3 JSON when `json` — and returns the message as
/// `MessageToDict` writes it (camelCase keys, 64-bit integers as strings, bytes as
/// base64).
fn official(py: &PathBuf, class: &str, input: &[u8], json: bool) -> Json {
    let module = match class {
        "ExportTraceServiceRequest" => "opentelemetry.proto.collector.trace.v1.trace_service_pb2",
        "ExportLogsServiceRequest" => "opentelemetry.proto.collector.logs.v1.logs_service_pb2",
        _ => "opentelemetry.proto.collector.metrics.v1.metrics_service_pb2",
    };
    let dir = std::env::temp_dir().join(format!("telemetra-otlp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{class}-{json}-{}.bin", input.len()));
    std::fs::write(&path, input).unwrap();
    let read = if json {
        format!("Parse(open(sys.argv[1]).read(), {class}())")
    } else {
        format!("{class}.FromString(open(sys.argv[1], 'rb').read())")
    };
    let script = format!(
        "import sys, json\n\
from google.protobuf.json_format import MessageToDict, Parse\n\
from {module} import {class}\n\
m = {read}\n\
print(json.dumps(MessageToDict(m)))\n"
    );
    let out = std::process::Command::new(py)
        .args(["-c", &script])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the official bindings refused it: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A metrics request body, decoded by the official bindings.
fn decode(py: &PathBuf, body: &[u8]) -> Json {
    official(py, "ExportMetricsServiceRequest", body, false)
}

fn metrics(req: &Json) -> &Vec<Json> {
    req["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]
        .as_array()
        .unwrap()
}

fn metric<'a>(req: &'a Json, name: &str) -> Option<&'a Json> {
    metrics(req).iter().find(|m| m["name"] == name)
}

fn attr<'a>(point: &'a Json, key: &str) -> Option<&'a str> {
    point["attributes"]
        .as_array()?
        .iter()
        .find(|a| a["key"] == key)?["value"]["stringValue"]
        .as_str()
}

fn num(v: &Json) -> f64 {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

fn start(url: &str, temporality: Temporality) -> Telemetry {
    let sink = OtlpSink::builder(url)
        .service_name("wallet")
        .resource_attribute("deployment.environment", "test")
        .header("api-key", "s3cret-otlp-key")
        .temporality(temporality)
        .http(HttpConfig::builder().max_attempts(1).build().unwrap())
        .build()
        .unwrap();
    Telemetry::start(
        Config::builder()
            .sink(sink)
            .catalog(telemetra::catalog::Catalog::new().metric(
                telemetra::catalog::MetricDef::counter("orders", "Orders placed."),
            ))
            .flush_interval(Duration::from_secs(3600))
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn emit(t: &Telemetry, n: u64) {
    for i in 0..n {
        t.incr(
            "orders",
            &[("currency", if i % 2 == 0 { "EUR" } else { "USD" })],
        );
        t.timing("orders.latency", Duration::from_millis(i % 120), ());
    }
    t.gauge("queue.depth", n as f64, ());
}

#[test]
fn cumulative_export_decodes_and_adds_up() {
    let Some(py) = python() else {
        support::skip::skipped(
            "opentelemetry-proto not installed (run scripts/test-deps/python.sh)",
        );
        return;
    };
    let server = TestServer::start(vec![]);
    let t = start(&server.url(""), Temporality::Cumulative);
    let tracer = telemetra::trace::Tracer::builder().build().unwrap();
    let span = tracer.root_span("checkout");
    {
        let _in = span.enter();
        t.incr("traced", ());
    }
    emit(&t, 100);
    t.flush(T).unwrap();
    emit(&t, 100);
    t.flush(T).unwrap();
    t.shutdown(T).unwrap();
    let reqs = server.requests();
    assert!(reqs.len() >= 2);
    let first = &reqs[0];
    assert_eq!(first.path, "/v1/metrics");
    assert_eq!(first.header("content-type"), Some("application/x-protobuf"));
    assert_eq!(first.header("api-key"), Some("s3cret-otlp-key"));
    let decoded: Vec<Json> = reqs.iter().map(|r| decode(&py, &r.body)).collect();
    let (a, b) = (&decoded[0], &decoded[1]);
    // Resource and scope.
    let res = &a["resourceMetrics"][0]["resource"];
    assert_eq!(attr(res, "service.name"), Some("wallet"));
    assert_eq!(attr(res, "deployment.environment"), Some("test"));
    assert_eq!(attr(res, "telemetry.sdk.name"), Some("telemetra"));
    assert_eq!(
        a["resourceMetrics"][0]["scopeMetrics"][0]["scope"]["name"],
        "telemetra"
    );
    // The catalog's description and unit.
    assert_eq!(
        metric(a, "orders").unwrap()["description"],
        "Orders placed."
    );
    assert_eq!(metric(a, "orders").unwrap()["unit"], "1");
    // Cumulative sums: monotonic, fixed start time, exact totals.
    for (req, want) in [(a, 50.0), (b, 100.0)] {
        let sum = &metric(req, "orders").unwrap()["sum"];
        assert_eq!(sum["isMonotonic"], true);
        assert_eq!(
            sum["aggregationTemporality"],
            "AGGREGATION_TEMPORALITY_CUMULATIVE"
        );
        for p in sum["dataPoints"].as_array().unwrap() {
            assert_eq!(num(&p["asDouble"]), want, "{p}");
        }
    }
    let starts = |req: &Json| -> Vec<String> {
        metric(req, "orders").unwrap()["sum"]["dataPoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["startTimeUnixNano"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(starts(a), starts(b), "start time fixed");
    // Histogram: buckets add up to the count; bounds as configured; min/max.
    let h = &metric(b, "orders.latency").unwrap()["histogram"];
    assert_eq!(
        h["aggregationTemporality"],
        "AGGREGATION_TEMPORALITY_CUMULATIVE"
    );
    assert_eq!(metric(b, "orders.latency").unwrap()["unit"], "ms");
    let p = &h["dataPoints"][0];
    let counts: Vec<f64> = p["bucketCounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(num)
        .collect();
    assert_eq!(counts.iter().sum::<f64>(), num(&p["count"]));
    assert_eq!(num(&p["count"]), 200.0);
    assert_eq!(
        counts.len(),
        p["explicitBounds"].as_array().unwrap().len() + 1
    );
    // Values 0..=119 ms twice over, minus one full cycle's worth of shape: exact at
    // bound 0 (two zeros per 120 values) and at 5 ms (values 0..=5).
    assert_eq!(counts[0], 2.0, "{counts:?}");
    assert_eq!(counts[1], 10.0, "{counts:?}");
    assert_eq!(num(&p["min"]), 0.0);
    assert_eq!(num(&p["max"]), 99.0);
    // Gauge and exemplar.
    let g = &metric(b, "queue.depth").unwrap()["gauge"]["dataPoints"][0];
    assert_eq!(num(&g["asDouble"]), 100.0);
    let ex = &metric(b, "traced").unwrap()["sum"]["dataPoints"][0]["exemplars"][0];
    use base64::Engine as _;
    let tid = base64::engine::general_purpose::STANDARD
        .decode(ex["traceId"].as_str().unwrap())
        .unwrap();
    let hex: String = tid.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, span.context().trace_id.to_string());
}

#[test]
fn delta_sums_add_up_across_a_collector_outage() {
    let Some(py) = python() else {
        support::skip::skipped(
            "opentelemetry-proto not installed (run scripts/test-deps/python.sh)",
        );
        return;
    };
    // Second export refused (the collector is down), the rest accepted.
    let server = TestServer::start(vec![Reply::ok(), Reply::status(503), Reply::ok()]);
    let t = start(&server.url(""), Temporality::Delta);
    emit(&t, 100);
    t.flush(T).unwrap();
    emit(&t, 60);
    assert!(
        t.flush(T).is_err(),
        "the collector refused the second export"
    );
    emit(&t, 40);
    t.flush(T).unwrap();
    t.shutdown(T).unwrap();
    let reqs = server.requests();
    let mut seen = 0.0;
    let mut hist = 0.0;
    for (i, r) in reqs.iter().enumerate() {
        // The refused request's data came again in the next one.
        if i == 1 {
            continue;
        }
        let req = decode(&py, &r.body);
        if let Some(m) = metric(&req, "orders") {
            assert_eq!(
                m["sum"]["aggregationTemporality"],
                "AGGREGATION_TEMPORALITY_DELTA"
            );
            for p in m["sum"]["dataPoints"].as_array().unwrap() {
                assert!(num(&p["startTimeUnixNano"]) < num(&p["timeUnixNano"]));
                seen += num(&p["asDouble"]);
            }
        }
        if let Some(m) = metric(&req, "orders.latency") {
            for p in m["histogram"]["dataPoints"].as_array().unwrap() {
                hist += num(&p["count"]);
            }
        }
    }
    assert_eq!(seen, 200.0, "delta sums add up to what was emitted");
    assert_eq!(hist, 200.0);
}

#[test]
fn environment_configuration_follows_the_specification() {
    let vars = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let s = OtlpSink::from_vars(vars(&[
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"),
        ("OTEL_EXPORTER_OTLP_HEADERS", "api-key=abc%2C123,x-tenant=7"),
        ("OTEL_SERVICE_NAME", "wallet"),
        ("OTEL_RESOURCE_ATTRIBUTES", "service.name=ignored,team=pay"),
    ]))
    .unwrap();
    let shown = format!("{s:?}");
    assert!(
        shown.contains("http://collector:4318/v1/metrics"),
        "{shown}"
    );
    assert!(!shown.contains("abc"), "header values are secrets: {shown}");
    let bad = [
        vars(&[("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")]),
        vars(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://x")]),
        vars(&[("OTEL_EXPORTER_OTLP_HEADERS", "novalue")]),
        vars(&[(
            "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE",
            "sideways",
        )]),
    ];
    for get in bad {
        assert!(matches!(
            OtlpSink::from_vars(get),
            Err(telemetra::Error::Config { .. })
        ));
    }
    let provider = telemetra::sinks::env::from_vars(vars(&[
        ("OBSERVABILITY_PROVIDER", "otlp"),
        (
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
            "http://127.0.0.1:1/custom",
        ),
    ]))
    .unwrap();
    assert_eq!(provider.name(), "otlp");
}

/// A traces or logs request body, decoded by the official bindings.
fn decode_as(py: &PathBuf, body: &[u8], class: &str) -> Json {
    official(py, class, body, false)
}

fn hex_of_b64(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Spans go to `/v1/traces` with their parentage, events to `/v1/logs` with level,
/// body, attributes and trace context, scrubbed of PII like everywhere else.
#[test]
fn spans_and_events_export_as_traces_and_logs() {
    let Some(py) = python() else {
        support::skip::skipped(
            "opentelemetry-proto not installed (run scripts/test-deps/python.sh)",
        );
        return;
    };
    let server = TestServer::start(vec![]);
    let t = start(&server.url(""), Temporality::Cumulative);
    let root = t.span("checkout");
    let (trace, root_id) = (root.context().trace_id, root.context().span_id);
    {
        let _in = root.enter();
        let child = t.span("db.query");
        drop(child);
        t.event("wallet", "wallet.spend")
            .level(telemetra::Level::Warn)
            .message("paid by jane.doe@example.com")
            .meta("amount", 12)
            .emit();
    }
    drop(root);
    t.flush(T).unwrap();
    t.shutdown(T).unwrap();
    let reqs = server.requests();
    let traces: Vec<Json> = reqs
        .iter()
        .filter(|r| r.path == "/v1/traces")
        .map(|r| decode_as(&py, &r.body, "ExportTraceServiceRequest"))
        .collect();
    let spans: Vec<&Json> = traces
        .iter()
        .flat_map(|t| {
            t["resourceSpans"][0]["scopeSpans"][0]["spans"]
                .as_array()
                .unwrap()
        })
        .collect();
    let by = |n: &str| *spans.iter().find(|s| s["name"] == n).unwrap();
    let (r, c) = (by("checkout"), by("db.query"));
    assert_eq!(
        hex_of_b64(r["traceId"].as_str().unwrap()),
        trace.to_string()
    );
    assert_eq!(
        hex_of_b64(c["traceId"].as_str().unwrap()),
        trace.to_string()
    );
    assert_eq!(
        hex_of_b64(r["spanId"].as_str().unwrap()),
        root_id.to_string()
    );
    assert_eq!(
        hex_of_b64(c["parentSpanId"].as_str().unwrap()),
        root_id.to_string(),
        "parentage intact"
    );
    assert!(r.get("parentSpanId").is_none());
    assert!(num(&r["endTimeUnixNano"]) >= num(&r["startTimeUnixNano"]));
    let res = &traces[0]["resourceSpans"][0]["resource"];
    assert_eq!(attr(res, "service.name"), Some("wallet"));

    let logs: Vec<Json> = reqs
        .iter()
        .filter(|r| r.path == "/v1/logs")
        .map(|r| decode_as(&py, &r.body, "ExportLogsServiceRequest"))
        .collect();
    let rec = &logs[0]["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0];
    assert_eq!(rec["severityNumber"], "SEVERITY_NUMBER_WARN");
    assert_eq!(rec["severityText"], "WARN");
    assert_eq!(attr(rec, "event.name"), Some("wallet.spend"));
    assert_eq!(
        hex_of_b64(rec["traceId"].as_str().unwrap()),
        trace.to_string()
    );
    let body = rec["body"]["stringValue"].as_str().unwrap();
    assert!(body.starts_with("paid by "), "{body}");
    let all = serde_json::to_string(&logs).unwrap();
    assert!(!all.contains("jane.doe@example.com"), "scrubbed: {all}");
}

/// Parses an OTLP/JSON body with the official bindings' JSON parser (proto3 JSON),
/// after turning the hex trace and span ids that OTLP/JSON requires into the base64
/// that proto3 JSON expects; returns the message re-read as JSON.
fn parse_json(py: &PathBuf, body: &Json, class: &str) -> Json {
    fn ids_to_b64(v: &mut Json) {
        use base64::Engine as _;
        match v {
            Json::Object(o) => {
                for (k, x) in o.iter_mut() {
                    if matches!(k.as_str(), "traceId" | "spanId" | "parentSpanId") {
                        let hex = x.as_str().unwrap().to_owned();
                        let bytes: Vec<u8> = (0..hex.len())
                            .step_by(2)
                            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                            .collect();
                        *x = Json::String(base64::engine::general_purpose::STANDARD.encode(bytes));
                    } else {
                        ids_to_b64(x);
                    }
                }
            }
            Json::Array(a) => a.iter_mut().for_each(ids_to_b64),
            _ => {}
        }
    }
    let mut b = body.clone();
    ids_to_b64(&mut b);
    official(py, class, &serde_json::to_vec(&b).unwrap(), true)
}

#[test]
fn json_bodies_follow_otlp_json() {
    let Some(py) = python() else {
        support::skip::skipped(
            "opentelemetry-proto not installed (run scripts/test-deps/python.sh)",
        );
        return;
    };
    let server = TestServer::start(vec![]);
    let sink = OtlpSink::from_vars(|name| match name {
        "OTEL_EXPORTER_OTLP_ENDPOINT" => Some(server.url("")),
        "OTEL_EXPORTER_OTLP_PROTOCOL" => Some("http/json".to_owned()),
        "OTEL_SERVICE_NAME" => Some("wallet".to_owned()),
        _ => None,
    })
    .unwrap();
    let t = Telemetry::start(Config::builder().sink(sink).build().unwrap()).unwrap();
    emit(&t, 100);
    let root = t.span("checkout");
    let trace = root.context().trace_id.to_string();
    {
        let _in = root.enter();
        drop(t.span("db.query"));
    }
    drop(root);
    t.flush(T).unwrap();
    t.shutdown(T).unwrap();
    let reqs = server.requests();
    assert!(reqs
        .iter()
        .all(|r| r.header("content-type") == Some("application/json")));
    let body = |path: &str| -> Json {
        serde_json::from_slice(&reqs.iter().find(|r| r.path == path).unwrap().body).unwrap()
    };
    // OTLP/JSON as the specification writes it: camelCase, enums as integers, the
    // oneof value inline.
    let m = body("/v1/metrics");
    let orders = m["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "orders")
        .unwrap();
    assert_eq!(orders["sum"]["aggregationTemporality"], 2);
    assert_eq!(orders["sum"]["isMonotonic"], true);
    assert_eq!(num(&orders["sum"]["dataPoints"][0]["asDouble"]), 50.0);
    // And the official parser reads it.
    let parsed = parse_json(&py, &m, "ExportMetricsServiceRequest");
    assert_eq!(
        num(&metric(&parsed, "orders").unwrap()["sum"]["dataPoints"][0]["asDouble"]),
        50.0
    );
    // Trace ids in hex.
    let tr = body("/v1/traces");
    let spans = tr["resourceSpans"][0]["scopeSpans"][0]["spans"]
        .as_array()
        .unwrap();
    assert!(spans.iter().all(|s| s["traceId"] == trace.as_str()), "{tr}");
    let parsed = parse_json(&py, &tr, "ExportTraceServiceRequest");
    let spans = parsed["resourceSpans"][0]["scopeSpans"][0]["spans"]
        .as_array()
        .unwrap();
    let child = spans.iter().find(|s| s["name"] == "db.query").unwrap();
    let parent = spans.iter().find(|s| s["name"] == "checkout").unwrap();
    assert_eq!(child["parentSpanId"], parent["spanId"]);
}
