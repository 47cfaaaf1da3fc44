//! `flush()` and `shutdown()` say why a sink failed, not only which: `Error::Export`
//! carries each failing sink's last error (kind, HTTP status, the sink's message,
//! which sinks keep free of credentials). Before, it carried the sink names alone and
//! the cause went only to `on_error`.
#![cfg(feature = "http")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::time::Duration;

use support::server::{Reply, TestServer};
use telemetra::sinks::http::{HttpConfig, Secret};
use telemetra::sinks::ingest::HttpIngestSink;
use telemetra::sinks::MemorySink;
use telemetra::{Config, Error, FailureKind, SinkFailure, Telemetry};

fn ingest(server: &TestServer) -> HttpIngestSink {
    HttpIngestSink::builder(server.url("/ingest"))
        .bearer_token(Secret::new("tok-never-in-errors-42"))
        .http(HttpConfig::builder().max_attempts(1).build().unwrap())
        .build()
        .unwrap()
}

fn start(sink: HttpIngestSink) -> Telemetry {
    Telemetry::start(
        Config::builder()
            .self_metrics(false)
            .flush_interval(Duration::from_secs(3600))
            .sink(sink)
            .sink(MemorySink::new())
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn failures(result: Result<(), Error>) -> (Vec<String>, Vec<SinkFailure>, String) {
    match result {
        Err(e @ Error::Export { .. }) => {
            let text = e.to_string();
            let Error::Export { sinks, failures } = e else {
                unreachable!()
            };
            (sinks, failures, text)
        }
        other => panic!("expected an export error, got {other:?}"),
    }
}

#[test]
fn a_retryable_status_is_a_transient_failure_with_its_status() {
    // The server echoes the request headers in its body, as a careless vendor might.
    let server = TestServer::start(vec![Reply::echo(503), Reply::ok()]);
    let t = start(ingest(&server));
    t.count("orders", 5, ());
    let (sinks, failures, text) = failures(t.flush(Duration::from_secs(10)));
    // Only the failing sink is named; the memory sink succeeded.
    assert_eq!(sinks, ["http"]);
    assert_eq!(failures.len(), 1);
    let f = &failures[0];
    assert_eq!(f.sink, "http");
    assert_eq!(f.kind, FailureKind::Transient);
    assert_eq!(f.status, Some(503));
    assert!(f.message.contains("503"), "{f}");
    assert!(text.contains("`http` (transient, HTTP 503)"), "{text}");
    assert!(!text.contains("tok-never-in-errors-42"), "{text}");
    // Transient: the next flush delivers, and the error is gone.
    assert!(t.flush(Duration::from_secs(10)).is_ok());
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
fn a_refused_payload_is_a_permanent_failure_with_its_status() {
    let server = TestServer::start(vec![Reply::status(400).body("bad metric name")]);
    let t = start(ingest(&server));
    t.count("orders", 5, ());
    let (_, failures, text) = failures(t.flush(Duration::from_secs(10)));
    let f = &failures[0];
    assert_eq!(f.kind, FailureKind::Permanent);
    assert_eq!(f.status, Some(400));
    assert!(f.message.contains("bad metric name"), "{f}");
    assert!(text.contains("(permanent, HTTP 400)"), "{text}");
}

#[test]
fn an_unreachable_endpoint_has_no_status_but_says_why() {
    let server = TestServer::start(vec![Reply::hang_up()]);
    let t = start(ingest(&server));
    t.count("orders", 5, ());
    let (_, failures, _) = failures(t.flush(Duration::from_secs(10)));
    let f = &failures[0];
    assert_eq!(f.kind, FailureKind::Transient);
    assert_eq!(f.status, None);
    assert!(!f.message.is_empty());
}
