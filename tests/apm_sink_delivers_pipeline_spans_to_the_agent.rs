//! A running pipeline with a [`DatadogApmSink`] delivers a small trace to Datadog's own
//! APM test agent (`ddapm-test-agent`, PyPI), which stores it with parent/child ids
//! intact.
//!
//! Skips (with a printed reason) when the agent is not installed. Looks in
//! `$TELEMETRA_DDAPM_AGENT`, then `PATH`, then `/tmp/v/bin`.
#![cfg(feature = "datadog")]
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

use std::time::Duration;

use support::ddapm::{find_agent, http, Agent};

use telemetra::sinks::datadog_apm::DatadogApmSink;
use telemetra::{Config, Telemetry};

#[test]
fn pipeline_spans_reach_the_agent_with_parent_child_ids_intact() {
    let Some(exe) = find_agent() else {
        support::skip::skipped(
            "ddapm-test-agent not found (set TELEMETRA_DDAPM_AGENT, put it on PATH, or run scripts/test-deps/python.sh)",
        );
        return;
    };
    let agent = Agent::start(&exe);
    // The sink sends no session token: a session started without one collects every
    // untokened request made after it (this agent serves this test only).
    let (code, _) = http(agent.port, "GET", "/test/session/start", &[], b"").unwrap();
    assert_eq!(code, 200);

    let sink = DatadogApmSink::builder("telemetra-pipeline-test")
        .env("test")
        .version("0.0.1")
        .agent_url(format!("http://127.0.0.1:{}", agent.port))
        .build()
        .unwrap();
    let telemetry = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .self_metrics(false)
            .sink(sink)
            .build()
            .unwrap(),
    )
    .unwrap();

    // root → (db.query → db.fetch), root → cache.get (an error)
    let mut expected: Vec<(u64, u64, u64, &str)> = Vec::new(); // (trace, span, parent, name)
    let trace = {
        let root = telemetry.span("http.request");
        let tid = root.context().trace_id;
        let rid = root.context().span_id.to_u64();
        expected.push((tid.low64(), rid, 0, "http.request"));
        {
            let db = root.child("db.query");
            let did = db.context().span_id.to_u64();
            expected.push((tid.low64(), did, rid, "db.query"));
            let fetch = db.child("db.fetch");
            expected.push((
                tid.low64(),
                fetch.context().span_id.to_u64(),
                did,
                "db.fetch",
            ));
        }
        let mut cache = root.child("cache.get");
        expected.push((
            tid.low64(),
            cache.context().span_id.to_u64(),
            rid,
            "cache.get",
        ));
        cache.set_error("miss");
        tid
    };
    telemetry.flush(Duration::from_secs(30)).unwrap();
    let stats = telemetry.record_stats();
    assert_eq!(stats.exported, 4, "{stats:?}\n{}", agent.log());

    let (code, body) = http(agent.port, "GET", "/test/session/traces", &[], b"").unwrap();
    assert_eq!(code, 200, "{}", String::from_utf8_lossy(&body));
    let traces: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let spans: Vec<&serde_json::Value> = traces
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t.as_array().unwrap())
        .collect();
    assert_eq!(spans.len(), 4, "{traces}\n{}", agent.log());
    for (tid, sid, parent, name) in &expected {
        let s = spans
            .iter()
            .find(|s| s["span_id"].as_u64() == Some(*sid))
            .unwrap_or_else(|| panic!("span {name} missing: {traces}"));
        assert_eq!(s["trace_id"].as_u64(), Some(*tid));
        assert_eq!(s["parent_id"].as_u64().unwrap_or(0), *parent, "{name}");
        assert_eq!(s["name"], *name);
        assert_eq!(s["service"], "telemetra-pipeline-test");
        assert_eq!(
            s["meta"]["_dd.p.tid"].as_str(),
            Some(format!("{:016x}", trace.high64()).as_str())
        );
    }
    let cache = spans.iter().find(|s| s["name"] == "cache.get").unwrap();
    assert_eq!(cache["error"].as_i64(), Some(1));

    telemetry.shutdown(Duration::from_secs(10)).unwrap();
    println!(
        "agent stored {} spans of trace {trace}; parent/child ids intact",
        spans.len()
    );
    drop(agent);
}
