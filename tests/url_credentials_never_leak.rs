//! Credentials in a Pushgateway or ingest URL (`http://user:pass@host`) are sent as an explicit
//! `Authorization: Basic` header that the transport knows is a secret: a gateway or proxy
//! that echoes the header back in a 401 cannot put the password, nor its base64, into
//! an error, `Debug` output or the `on_error` text. Builders' `Debug` hides them too.
#![cfg(all(feature = "prometheus", feature = "http"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::server::{Reply, TestServer};
use telemetra::sinks::http::HttpConfig;
use telemetra::sinks::ingest::HttpIngestSink;
use telemetra::sinks::prometheus::PushgatewaySink;
use telemetra::{Config, Telemetry};

const USER: &str = "pusher";
const PASS: &str = "hunter2-s3cret%21";
/// `pusher:hunter2-s3cret!` (the password percent-decoded), base64.
const B64: &str = "cHVzaGVyOmh1bnRlcjItczNjcmV0IQ==";

#[test]
fn an_echoed_authorization_header_never_reaches_an_error() {
    // The gateway answers 401 and echoes what it was sent.
    let server = TestServer::start(vec![Reply::status(401).body(&format!(
        "unauthorized: authorization: Basic {B64} (user {USER}, password hunter2-s3cret!)"
    ))]);
    let url = format!("http://{USER}:{PASS}@127.0.0.1:{}", server.port());
    let builder = PushgatewaySink::builder(url.clone())
        .job("leak_check")
        .http(HttpConfig::builder().max_attempts(1).build().unwrap());
    let builder_debug = format!("{builder:?}");
    let sink = builder.build().unwrap();
    let sink_debug = format!("{sink:?}");
    let errors = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&errors);
    let t = Telemetry::start(
        Config::builder()
            .self_metrics(false)
            .sink(sink)
            .on_error(move |e| seen.lock().unwrap().push(format!("{e} | {e:?}")))
            .build()
            .unwrap(),
    )
    .unwrap();
    t.count("jobs", 1, ());
    let flushed = t.flush(Duration::from_secs(10));
    assert!(flushed.is_err());
    let flushed = format!("{:?}", flushed.unwrap_err());
    t.shutdown(Duration::from_secs(10)).ok();

    let reqs = server.requests();
    assert!(!reqs.is_empty());
    assert_eq!(
        reqs[0].header("authorization"),
        Some(format!("Basic {B64}").as_str()),
        "user info is sent as Basic credentials, percent-decoded"
    );
    assert_eq!(reqs[0].header_count("authorization"), 1);

    support::wait_for(|| !errors.lock().unwrap().is_empty());
    let reported = errors.lock().unwrap().clone();
    assert!(reported.iter().any(|e| e.contains("401")), "{reported:?}");
    let everything = format!("{reported:?} {flushed} {builder_debug} {sink_debug}");
    for secret in [B64, "hunter2", PASS] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked: {everything}"
        );
    }
}

#[test]
fn ingest_builder_debug_hides_url_credentials() {
    let b = HttpIngestSink::builder("https://svc:topsecret@ingest.example/v1");
    let shown = format!("{b:?}");
    assert!(!shown.contains("topsecret"), "{shown}");
    assert!(shown.contains("ingest.example"), "{shown}");
}

/// The ingest sink handles URL credentials the same way: an explicit secret header,
/// scrubbed (encoded and decoded) from an echoing 401; a URL with credentials and a
/// bearer token at once is a config error.
#[test]
fn ingest_url_credentials_are_a_secret_header_too() {
    let server = TestServer::start(vec![
        Reply::status(401).body(&format!("no: Basic {B64} / hunter2-s3cret!"))
    ]);
    let url = format!("http://{USER}:{PASS}@127.0.0.1:{}/v1", server.port());
    let errors = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&errors);
    let t = Telemetry::start(
        Config::builder()
            .self_metrics(false)
            .sink(
                HttpIngestSink::builder(url.clone())
                    .http(HttpConfig::builder().max_attempts(1).build().unwrap())
                    .build()
                    .unwrap(),
            )
            .on_error(move |e| seen.lock().unwrap().push(format!("{e} | {e:?}")))
            .build()
            .unwrap(),
    )
    .unwrap();
    t.count("jobs", 1, ());
    assert!(t.flush(Duration::from_secs(10)).is_err());
    t.shutdown(Duration::from_secs(10)).ok();
    let reqs = server.requests();
    assert_eq!(
        reqs[0].header("authorization"),
        Some(format!("Basic {B64}").as_str())
    );
    support::wait_for(|| !errors.lock().unwrap().is_empty());
    let reported = errors.lock().unwrap().clone();
    assert!(reported.iter().any(|e| e.contains("401")), "{reported:?}");
    let all = format!("{reported:?}");
    assert!(!all.contains(B64) && !all.contains("hunter2"), "{all}");

    let both = HttpIngestSink::builder(url)
        .bearer_token(telemetra::sinks::http::Secret::new("tok-123456"))
        .build()
        .unwrap_err();
    assert!(both.to_string().contains("ingest_url"), "{both}");
}
