//! The HTTP ingest sink posts records too: `{"version":1,"spans":[…]}` and
//! `{"version":1,"events":[…]}` batches with the bearer token and gzip, split under the
//! size cap, kept across a failed request without duplicates, and every body valid
//! against `docs/schemas/ingest-v1.json` (checked with `check-jsonschema` from
//! `${TELEMETRA_VENV:-/tmp/telemetra-venv}` when it is installed; skipped with a printed
//! reason otherwise).
#![cfg(feature = "http")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

mod support;

use std::time::Duration;

use serde_json::Value;
use support::schema::ingest_schema_check;
use support::server::{Recorded, Reply, TestServer};
use telemetra::event::ActorType;
use telemetra::sinks::http::{HttpConfig, Secret};
use telemetra::sinks::ingest::HttpIngestSink;
use telemetra::{Config, Level, Telemetry};

fn start(sink: HttpIngestSink) -> Telemetry {
    Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .record_flush_interval(Duration::from_secs(60))
            .self_metrics(false)
            .event_metrics(false)
            .sink(sink)
            .build()
            .unwrap(),
    )
    .unwrap()
}

/// The requests whose body carries `key` (spans also post their timing metrics).
fn carrying(reqs: &[Recorded], key: &str) -> Vec<Recorded> {
    reqs.iter()
        .filter(|r| body(r).get(key).is_some())
        .cloned()
        .collect()
}

fn body(r: &Recorded) -> Value {
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["version"], 1);
    v
}

#[test]
fn spans_and_events_are_posted_as_schema_valid_batches() {
    let server = TestServer::start(vec![]);
    let sink = HttpIngestSink::builder(server.url("/v1/ingest"))
        .bearer_token(Secret::new("tok-records-42"))
        .build()
        .unwrap();
    let t = start(sink);
    let (trace, root_id, child_id) = {
        let mut root = t.span("http.request");
        root.set_attribute("route", "/users/:id");
        root.set_attribute("rows", 3_i64);
        root.set_attribute("ratio", 0.5);
        root.set_attribute("nan", f64::NAN);
        root.set_attribute("cached", false);
        let mut child = root.child("db.query");
        child.set_error("timeout");
        let ids = (
            root.context().trace_id,
            root.context().span_id,
            child.context().span_id,
        );
        drop(child);
        ids
    };
    t.event("wallet", "wallet.spend")
        .level(Level::Warn)
        .actor(ActorType::User, "user-42")
        .success(false)
        .error_code("INSUFFICIENT_FUNDS")
        .meta("amount", 12.5)
        .emit();
    t.event("chat", "chat.send").emit();
    t.flush(Duration::from_secs(10)).unwrap();

    let reqs = server.requests();
    let (span_reqs, event_reqs) = (carrying(&reqs, "spans"), carrying(&reqs, "events"));
    assert_eq!(span_reqs.len(), 1);
    assert_eq!(event_reqs.len(), 1);
    assert_eq!(carrying(&reqs, "metrics").len(), reqs.len() - 2);
    for r in &reqs {
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/v1/ingest");
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("content-encoding"), Some("gzip"));
        assert_eq!(r.header("authorization"), Some("Bearer tok-records-42"));
    }
    let spans = body(&span_reqs[0])["spans"].as_array().unwrap().clone();
    assert_eq!(spans.len(), 2);
    let root = spans.iter().find(|s| s["name"] == "http.request").unwrap();
    let child = spans.iter().find(|s| s["name"] == "db.query").unwrap();
    assert_eq!(root["trace_id"], trace.to_string());
    assert_eq!(root["span_id"], root_id.to_string());
    assert!(root.get("parent_span_id").is_none());
    assert_eq!(root["status"], "ok");
    assert_eq!(root["attributes"]["rows"], 3);
    assert_eq!(root["attributes"]["ratio"], 0.5);
    assert_eq!(root["attributes"]["cached"], false);
    assert_eq!(root["attributes"]["route"], "/users/:id");
    assert!(root["attributes"].get("nan").is_none());
    assert_eq!(child["span_id"], child_id.to_string());
    assert_eq!(child["parent_span_id"], root_id.to_string());
    assert_eq!(child["status"], "error");
    assert_eq!(child["error_code"], "timeout");
    assert!(child["duration_ns"].as_u64().is_some());
    assert!(child["start"].as_str().unwrap().ends_with('Z'));

    let events = body(&event_reqs[0])["events"].as_array().unwrap().clone();
    assert_eq!(events.len(), 2);
    let spend = events
        .iter()
        .find(|e| e["operation"] == "wallet.spend")
        .unwrap();
    assert_eq!(spend["level"], "WARN");
    assert_eq!(spend["errorCode"], "INSUFFICIENT_FUNDS");
    assert!(
        spend["actorId"].as_str().unwrap().starts_with("usr_"),
        "pseudonymised"
    );
    assert_eq!(spend["metadata"]["amount"], 12.5);

    ingest_schema_check(&reqs.iter().map(|r| r.body.clone()).collect::<Vec<_>>());
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
fn big_record_batches_are_split_and_a_failure_resends_only_the_rest() {
    // The second request fails: the first one's records must not travel twice.
    let server = TestServer::start(vec![Reply::ok(), Reply::status(503)]);
    let sink = HttpIngestSink::builder(server.url("/v1/ingest"))
        .max_batch_bytes(2048)
        .http(HttpConfig::builder().max_attempts(1).build().unwrap())
        .build()
        .unwrap();
    let t = start(sink);
    for i in 0..40 {
        t.event("load", "load.item").meta("i", i).emit();
    }
    // Err unless the worker took the records alone and the flush's snapshot retried
    // them at once.
    let _ = t.flush(Duration::from_secs(10));
    t.flush(Duration::from_secs(10)).unwrap();

    let reqs = server.requests();
    assert!(reqs.len() >= 3, "{}", reqs.len());
    let mut seen: Vec<i64> = Vec::new();
    for (n, r) in reqs.iter().enumerate() {
        assert!(r.body.len() <= 2048, "{}", r.body.len());
        if n == 1 {
            continue; // answered 503
        }
        for e in body(r)["events"].as_array().unwrap() {
            seen.push(e["metadata"]["i"].as_i64().unwrap());
        }
    }
    seen.sort_unstable();
    assert_eq!(seen, (0..40).collect::<Vec<_>>(), "each event exactly once");
    assert_eq!(t.record_stats().exported, 40);
    ingest_schema_check(&reqs.iter().map(|r| r.body.clone()).collect::<Vec<_>>());
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
fn records_can_be_turned_off() {
    let server = TestServer::start(vec![]);
    let sink = HttpIngestSink::builder(server.url("/v1/ingest"))
        .records(false)
        .build()
        .unwrap();
    let t = start(sink);
    drop(t.span("op"));
    t.event("chat", "chat.send").emit();
    t.flush(Duration::from_secs(10)).unwrap();
    let reqs = server.requests();
    assert!(carrying(&reqs, "spans").is_empty());
    assert!(carrying(&reqs, "events").is_empty());
    assert_eq!(carrying(&reqs, "metrics").len(), reqs.len());
    t.shutdown(Duration::from_secs(10)).unwrap();
}
