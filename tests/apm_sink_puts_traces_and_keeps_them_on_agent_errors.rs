//! The Datadog APM sink against a loopback "agent": `PUT /v0.4/traces` with the v0.4
//! headers, one trace array per trace, metrics ignored; an agent `500` keeps the spans
//! for the next attempt, a `400` drops them (counted).
#![cfg(feature = "datadog")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use support::server::{Recorded, Reply, TestServer};
use telemetra::sinks::datadog_apm::DatadogApmSink;
use telemetra::sinks::http::HttpConfig;
use telemetra::{Config, Telemetry};

fn start(server: &TestServer) -> Telemetry {
    let sink = DatadogApmSink::builder("checkout")
        .env("test")
        .version("1.2.3")
        .agent_url(format!("http://127.0.0.1:{}", server.port()))
        .http(
            HttpConfig::builder()
                .max_attempts(1)
                .gzip(false)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .record_flush_interval(Duration::from_secs(60))
            .self_metrics(false)
            .sink(sink)
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn traces(r: &Recorded) -> Vec<Vec<Value>> {
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_array().unwrap().clone())
        .collect()
}

/// One trace of a root and two children; returns (trace id low 64, root span id).
fn emit_trace(t: &Telemetry) -> (u64, u64) {
    let root = t.span("http.request");
    let ids = (
        root.context().trace_id.low64(),
        root.context().span_id.to_u64(),
    );
    drop(root.child("db.query"));
    let mut c = root.child("cache.get");
    c.set_error("miss");
    drop(c);
    drop(root);
    ids
}

#[test]
fn puts_v04_json_with_the_agent_headers_and_one_array_per_trace() {
    let server = TestServer::start(vec![]);
    let t = start(&server);
    t.count("requests", 1, ()); // metrics are not this sink's business
    let (trace, root) = emit_trace(&t);
    t.flush(Duration::from_secs(10)).unwrap();

    let reqs = server.requests();
    assert_eq!(reqs.len(), 1, "{reqs:?}");
    let r = &reqs[0];
    assert_eq!(r.method, "PUT");
    assert_eq!(r.path, "/v0.4/traces");
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("x-datadog-trace-count"), Some("1"));
    assert_eq!(r.header("datadog-meta-lang"), Some("rust"));
    assert!(r.header("datadog-meta-tracer-version").is_some());
    assert!(r.header("datadog-meta-lang-version").is_some());
    assert_eq!(
        r.header("content-encoding"),
        None,
        "the agent takes plain JSON"
    );
    let tr = traces(r);
    assert_eq!(tr.len(), 1);
    let spans = &tr[0];
    assert_eq!(spans.len(), 3);
    for s in spans {
        assert_eq!(s["trace_id"].as_u64(), Some(trace));
        assert_eq!(s["service"], "checkout");
        assert_eq!(s["meta"]["env"], "test");
        assert_eq!(s["meta"]["version"], "1.2.3");
    }
    let by_name = |n: &str| spans.iter().find(|s| s["name"] == n).unwrap();
    assert_eq!(by_name("http.request")["parent_id"], 0);
    assert_eq!(by_name("http.request")["span_id"].as_u64(), Some(root));
    assert_eq!(by_name("db.query")["parent_id"].as_u64(), Some(root));
    assert_eq!(by_name("cache.get")["error"], 1);
    assert_eq!(by_name("cache.get")["meta"]["error.type"], "miss");
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
fn an_agent_500_keeps_the_spans_for_the_next_attempt() {
    let server = TestServer::start(vec![Reply::status(500).body("agent overloaded")]);
    let t = start(&server);
    let (trace, _) = emit_trace(&t);
    // Whether this flush reports the failure depends on whether the worker took the
    // records alone or with the flush's snapshot (which then retries them at once).
    if let Err(e) = t.flush(Duration::from_secs(10)) {
        assert!(e.to_string().contains("datadog-apm"), "{e}");
    }
    // By the end of the next flush the kept spans have gone again.
    t.flush(Duration::from_secs(10)).unwrap();

    let reqs = server.requests();
    assert_eq!(reqs.len(), 2, "{reqs:?}");
    assert_eq!(reqs[0].body, reqs[1].body, "the same spans, again");
    let spans = &traces(&reqs[1])[0];
    assert_eq!(spans.len(), 3);
    assert!(spans.iter().all(|s| s["trace_id"].as_u64() == Some(trace)));
    let stats = t.record_stats();
    assert_eq!(stats.exported, 3);
    assert_eq!(stats.rejected, 0);
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
fn an_agent_400_drops_the_spans_and_counts_them() {
    let server = TestServer::start(vec![Reply::status(400).body("bad payload")]);
    let t = start(&server);
    emit_trace(&t);
    let _ = t.flush(Duration::from_secs(10)); // Err unless the records went ahead alone
    t.flush(Duration::from_secs(10)).unwrap();
    assert_eq!(
        server.requests().len(),
        1,
        "a rejected payload is not resent"
    );
    let stats = t.record_stats();
    assert_eq!(stats.rejected, 3);
    assert_eq!(stats.exported, 0);
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
fn errors_name_the_agent_by_host_and_port_only() {
    // Nothing listens on port 9 of the loopback: a connect error.
    let sink = DatadogApmSink::builder("svc")
        .agent_url("http://127.0.0.1:9/some/base")
        .http(HttpConfig::builder().max_attempts(1).build().unwrap())
        .build()
        .unwrap();
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = Arc::clone(&seen);
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .self_metrics(false)
            .on_error(move |e| log.lock().unwrap().push(e.to_string()))
            .sink(sink)
            .build()
            .unwrap(),
    )
    .unwrap();
    drop(t.span("op"));
    assert!(t.flush(Duration::from_secs(10)).is_err());
    assert_eq!(t.record_stats().exported, 0);
    let seen = seen.lock().unwrap().clone();
    assert!(!seen.is_empty());
    for e in &seen {
        assert!(e.contains("127.0.0.1:9"), "{e}");
        assert!(!e.contains("/some/base") && !e.contains("http://"), "{e}");
    }
}
