//! Unit tests of `sinks/datadog_apm.rs`.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
use super::*;
use crate::trace::{SpanContext, SpanId, TraceId, TraceState};

fn span(trace: u128, id: u64, parent: Option<u64>, pad: usize) -> Record {
    Record::Span(SpanRecord {
        name: "op".into(),
        context: SpanContext {
            trace_id: TraceId::from_u128(trace).unwrap(),
            span_id: SpanId::from_u64(id).unwrap(),
            sampled: true,
            random: true,
            trace_state: TraceState::empty(),
        },
        parent_span_id: parent.and_then(SpanId::from_u64),
        start_unix_nanos: 1_700_000_000_000_000_000,
        duration_nanos: 10,
        status: crate::trace::Status::Ok,
        attributes: vec![("pad".into(), "x".repeat(pad).into())],
        dropped_attributes: 0,
    })
}

fn sink(cap: usize) -> DatadogApmSink {
    DatadogApmSink::builder("svc")
        .agent_url("http://127.0.0.1:9")
        .max_payload_bytes(cap)
        .build()
        .unwrap()
}

#[test]
fn spans_of_a_trace_share_one_array_and_payloads_respect_the_cap() {
    let mut recs = Vec::new();
    for t in 1..=20u128 {
        recs.push(span(t, 1, None, 100));
        recs.push(span(t, 2, Some(1), 100));
    }
    recs.push(Record::Event(crate::event::Event::new("d", "o")));
    let payloads = sink(2048).payloads(&recs).unwrap();
    assert!(payloads.len() > 1);
    let mut spans = 0;
    for p in &payloads {
        assert!(p.body.len() <= 2048, "{}", p.body.len());
        let v: serde_json::Value = serde_json::from_slice(&p.body).unwrap();
        let traces = v.as_array().unwrap();
        assert_eq!(traces.len(), p.trace_count);
        let count = p
            .headers
            .iter()
            .find(|(k, _)| *k == "X-Datadog-Trace-Count")
            .unwrap();
        assert_eq!(count.1, p.trace_count.to_string());
        for t in traces {
            assert_eq!(t.as_array().unwrap().len(), 2, "one array per trace");
            spans += 2;
        }
    }
    assert_eq!(spans, 40);
}

#[test]
fn an_oversized_trace_is_split_into_chunks() {
    let recs: Vec<Record> = (1..=10).map(|i| span(7, i, None, 600)).collect();
    let payloads = sink(2048).payloads(&recs).unwrap();
    let total: usize = payloads.iter().map(|p| p.span_count).sum();
    assert_eq!(total, 10);
    assert!(payloads.iter().all(|p| p.body.len() <= 2048));
}

#[test]
fn agent_url_follows_the_datadog_variables() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    assert_eq!(agent_url_from_env(env(&[])), DEFAULT_AGENT_URL);
    assert_eq!(
        agent_url_from_env(env(&[
            ("DD_TRACE_AGENT_URL", "http://a:1"),
            ("DD_AGENT_HOST", "b")
        ])),
        "http://a:1"
    );
    assert_eq!(
        agent_url_from_env(env(&[("DD_TRACE_AGENT_PORT", "9126")])),
        "http://127.0.0.1:9126"
    );
    assert_eq!(
        agent_url_from_env(env(&[("DD_AGENT_HOST", "::1")])),
        "http://[::1]:8126"
    );
}

#[test]
fn builder_validation_names_the_field_and_not_the_url() {
    let err = |b: DatadogApmBuilder| b.build().unwrap_err().to_string();
    assert!(err(DatadogApmSink::builder(" ")).contains("service"));
    let e = err(DatadogApmSink::builder("s").agent_url("unix:///var/run/apm.sock"));
    assert!(e.contains("agent_url") && !e.contains("/var/run"), "{e}");
    let e = err(DatadogApmSink::builder("s").agent_url("http://user:pw@h:1"));
    assert!(e.contains("agent_url") && !e.contains("pw"), "{e}");
    assert!(err(DatadogApmSink::builder("s").max_payload_bytes(10)).contains("max_payload_bytes"));
    assert!(err(DatadogApmSink::builder("s").env("")).contains("env"));
    let s = DatadogApmSink::builder("s")
        .agent_url("http://dd-agent:8126/")
        .build()
        .unwrap();
    assert_eq!(s.agent(), "dd-agent:8126");
    assert_eq!(s.url, "http://dd-agent:8126/v0.4/traces");
}
