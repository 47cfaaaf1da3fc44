//! Spans continue an incoming trace, reach the record sinks with their parent/child ids
//! intact and their attributes scrubbed, and every span (sampled or not) becomes a
//! timing `<name>` tagged `success` and `error_code`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use telemetra::sinks::MemorySink;
use telemetra::trace::{AttrValue, Status};
use telemetra::{Config, Telemetry};

const T: Duration = Duration::from_secs(10);
const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

#[test]
fn a_request_trace_arrives_whole() {
    let sink = MemorySink::new();
    let t = Telemetry::start(Config::builder().sink(sink.clone()).build().unwrap()).unwrap();
    let headers = vec![("traceparent".to_owned(), TRACEPARENT.to_owned())];
    let mut server = t.span_from_headers(&headers, "chat.request");
    server.set_attribute("user.email", "ann@example.com");
    server.set_attribute("http.route", "/v1/messages");
    server
        .in_child("chat.send", |span| {
            span.set_attribute("note", "deliver to bob@example.com");
            span.set_attribute("chars", 12_i64);
            span.set_attribute("phone", 447_700_900_123_i64);
            Ok::<_, std::io::Error>(())
        })
        .unwrap();
    let billing: Result<(), &'static str> =
        server.in_child("billing.charge", |_| Err("card_declined"));
    assert!(billing.is_err());
    server.end();
    t.flush(T).unwrap();

    let spans = sink.spans();
    assert_eq!(spans.len(), 3);
    let by = |n: &str| spans.iter().find(|s| s.name == n).unwrap();
    let (root, send, bill) = (by("chat.request"), by("chat.send"), by("billing.charge"));
    let trace = root.context.trace_id;
    assert_eq!(trace.to_string(), "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(
        root.parent_span_id.unwrap().to_string(),
        "00f067aa0ba902b7",
        "the remote caller is the root's parent"
    );
    for child in [send, bill] {
        assert_eq!(child.context.trace_id, trace);
        assert_eq!(child.parent_span_id, Some(root.context.span_id));
    }
    assert_ne!(send.context.span_id, bill.context.span_id);
    assert_eq!(
        bill.status,
        Status::Error {
            code: "card_declined".into()
        }
    );
    // Attributes are scrubbed; technical ones kept.
    assert_eq!(
        root.attribute("user.email"),
        Some(&AttrValue::Str("[email]".into()))
    );
    assert_eq!(
        root.attribute("http.route"),
        Some(&AttrValue::Str("/v1/messages".into()))
    );
    assert_eq!(
        send.attribute("note"),
        Some(&AttrValue::Str("deliver to [email]".into()))
    );
    assert_eq!(send.attribute("chars"), Some(&AttrValue::Int(12)));
    assert_eq!(
        send.attribute("phone"),
        Some(&AttrValue::Str("[phone]".into()))
    );

    // Timings, tagged with the outcome.
    let ok = [("error_code", "none"), ("success", "true")];
    assert_eq!(sink.timing_count("chat.request", &ok), Some(1));
    assert_eq!(sink.timing_count("chat.send", &ok), Some(1));
    assert_eq!(
        sink.timing_count(
            "billing.charge",
            &[("error_code", "card_declined"), ("success", "false")]
        ),
        Some(1)
    );
    t.shutdown(T).unwrap();
}

#[test]
fn unsampled_traces_are_timed_but_not_recorded() {
    let sink = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .sink(sink.clone())
            .trace_sample_rate(0.0)
            .build()
            .unwrap(),
    )
    .unwrap();
    for _ in 0..10 {
        t.in_span("job.run", |s| {
            s.in_child("job.step", |_| Ok::<_, std::io::Error>(()))
        })
        .unwrap();
    }
    t.flush(T).unwrap();
    assert!(sink.spans().is_empty());
    let ok = [("error_code", "none"), ("success", "true")];
    assert_eq!(sink.timing_count("job.run", &ok), Some(10));
    assert_eq!(sink.timing_count("job.step", &ok), Some(10));
    // An incoming sampled flag is honoured whatever the local rate.
    let headers = vec![("traceparent".to_owned(), TRACEPARENT.to_owned())];
    drop(t.span_from_headers(&headers, "srv"));
    t.flush(T).unwrap();
    assert_eq!(sink.spans().len(), 1);
    t.shutdown(T).unwrap();
}

#[test]
fn spans_ending_after_shutdown_are_counted() {
    let sink = MemorySink::new();
    let t = Telemetry::start(Config::builder().sink(sink.clone()).build().unwrap()).unwrap();
    let span = t.span("late");
    t.shutdown(T).unwrap();
    drop(span);
    assert_eq!(t.record_stats().dropped_shutdown, 1);
    assert!(t.stats().dropped_shutdown >= 1);
}
