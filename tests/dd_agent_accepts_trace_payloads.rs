//! Datadog's own APM test agent (`ddapm-test-agent`, PyPI) accepts our v0.4 JSON payload
//! and stores it with parent/child ids intact.
//!
//! Skips (with a printed reason) when the agent is not installed. Looks in
//! `$TELEMETRA_DDAPM_AGENT`, then `PATH`, then `/tmp/v/bin`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::print_stderr,
    missing_docs
)]

mod support;

use std::sync::Arc;

use support::ddapm::{find_agent, http, Agent};

use parking_lot::Mutex;
use telemetra::trace::datadog::{encode_v04_json, DdApmConfig, TRACES_PATH};
use telemetra::trace::{SpanExporter, SpanRecord, Tracer};

#[derive(Default)]
struct Collect(Mutex<Vec<SpanRecord>>);
impl SpanExporter for Collect {
    fn on_end(&self, record: SpanRecord) {
        self.0.lock().push(record);
    }
}

#[test]
fn agent_accepts_payload_and_keeps_parent_child_ids() {
    let Some(exe) = find_agent() else {
        support::skip::skipped(
            "ddapm-test-agent not found (set TELEMETRA_DDAPM_AGENT, put it on PATH, or run scripts/test-deps/python.sh)",
        );
        return;
    };
    let collect = Arc::new(Collect::default());
    let tracer = Tracer::builder().exporter(collect.clone()).build().unwrap();
    {
        let mut root = tracer.root_span("http.request");
        root.set_attribute("resource.name", "GET /users/:id");
        root.set_attribute("span.type", "web");
        root.set_attribute("http.status_code", 500_i64);
        let child = root.child("db.query");
        let r: Result<(), &'static str> = child.in_child("db.fetch", |_| Err("timeout"));
        assert!(r.is_err());
        drop(child);
        root.set_error("upstream_failed");
    }
    let _ = tracer.in_span("other.trace", |s| {
        s.set_attribute("ratio", 0.5);
        Ok::<_, std::io::Error>(())
    });
    let records = collect.0.lock().clone();
    assert_eq!(records.len(), 4);
    let payload = encode_v04_json(
        &records,
        &DdApmConfig::new("telemetra-test")
            .env("test")
            .lang_version("1.95"),
    )
    .unwrap();
    assert_eq!(payload.trace_count, 2);

    let agent = Agent::start(&exe);
    let token = format!("telemetra-{}", std::process::id());
    let (code, _) = http(
        agent.port,
        "GET",
        &format!("/test/session/start?test_session_token={token}"),
        &[],
        b"",
    )
    .unwrap();
    assert_eq!(code, 200);

    let mut headers = payload.headers.clone();
    headers.push(("X-Datadog-Test-Session-Token", token.clone()));
    let (code, body) = http(agent.port, "PUT", TRACES_PATH, &headers, &payload.body).unwrap();
    let text = String::from_utf8_lossy(&body);
    assert_eq!(code, 200, "agent rejected payload: {text}");
    assert!(text.contains("rate_by_service"), "{text}");

    let (code, body) = http(
        agent.port,
        "GET",
        &format!("/test/session/traces?test_session_token={token}"),
        &[],
        b"",
    )
    .unwrap();
    assert_eq!(code, 200);
    let traces: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let spans: Vec<&serde_json::Value> = traces
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t.as_array().unwrap())
        .collect();
    assert_eq!(spans.len(), 4, "{traces}");
    for r in &records {
        let s = spans
            .iter()
            .find(|s| s["span_id"].as_u64() == Some(r.context.span_id.to_u64()))
            .unwrap_or_else(|| panic!("span {} missing", r.name));
        assert_eq!(s["trace_id"].as_u64(), Some(r.context.trace_id.low64()));
        assert_eq!(
            s["parent_id"].as_u64().unwrap_or(0),
            r.parent_span_id.map_or(0, |p| p.to_u64())
        );
        assert_eq!(s["name"], r.name.as_ref());
        assert_eq!(
            s["meta"]["_dd.p.tid"].as_str(),
            Some(format!("{:016x}", r.context.trace_id.high64()).as_str())
        );
        assert_eq!(s["error"].as_i64(), Some(i64::from(!r.status.is_ok())));
    }
    let fetch = spans.iter().find(|s| s["name"] == "db.fetch").unwrap();
    assert_eq!(fetch["meta"]["error.type"], "timeout");
    // The enabled checks really run: a wrong trace count is refused (checked last:
    // the agent keeps rejected traces in the session too).
    let mut wrong = headers.clone();
    wrong.retain(|(k, _)| *k != "X-Datadog-Trace-Count");
    wrong.push(("X-Datadog-Trace-Count", "5".to_owned()));
    let (code, _) = http(agent.port, "PUT", TRACES_PATH, &wrong, &payload.body).unwrap();
    assert_eq!(code, 400);

    println!(
        "agent accepted {} traces / {} spans; parent/child ids intact",
        payload.trace_count,
        spans.len()
    );
    drop(agent);
}
