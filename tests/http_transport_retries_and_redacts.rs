//! The shared HTTP transport against a loopback server that checks every byte: what is
//! sent (method, path, headers, compressed body), which failures are retried and how
//! long it waits (recorded, never slept), `Retry-After`, permanent 4xx, and that
//! credentials never show in errors or `Debug` output.
#![cfg(feature = "transport")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::server::{Reply, TestServer};
use telemetra::sinks::http::{
    Encoding, HttpConfig, HttpTransport, Method, Request, Secret, Sleeper,
};

/// Records the waits instead of sleeping; its clock advances by what it "slept".
#[derive(Debug)]
struct RecordingSleeper {
    slept: Mutex<Vec<Duration>>,
}

impl RecordingSleeper {
    fn new() -> Arc<Self> {
        Arc::new(RecordingSleeper {
            slept: Mutex::new(Vec::new()),
        })
    }
    fn delays(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
}

impl Sleeper for RecordingSleeper {
    fn sleep(&self, d: Duration) {
        self.slept.lock().unwrap().push(d);
    }
    fn now(&self) -> Instant {
        Instant::now() + self.slept.lock().unwrap().iter().sum::<Duration>()
    }
}

fn transport(sleeper: &Arc<RecordingSleeper>) -> HttpTransport {
    let config = HttpConfig::builder()
        .request_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    HttpTransport::new(config)
        .unwrap()
        .with_sleeper(Arc::clone(sleeper) as Arc<dyn Sleeper>)
}

#[test]
fn sends_gzip_body_with_every_header_as_given() {
    let server = TestServer::start(vec![Reply::status(202).body("{\"errors\":[]}")]);
    let sleeper = RecordingSleeper::new();
    let body = br#"{"metrics":[{"name":"a","value":1}]}"#.to_vec();
    let resp = transport(&sleeper)
        .send(
            Request::new(Method::Post, server.url("/v1/ingest?x=1"))
                .header("content-type", "application/json")
                .secret_header("authorization", Secret::new("Bearer tok-123456"))
                .body(body.clone()),
        )
        .unwrap();
    assert_eq!(resp.status, 202);
    assert_eq!(resp.body, b"{\"errors\":[]}");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/v1/ingest?x=1");
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.header("authorization"), Some("Bearer tok-123456"));
    assert_eq!(r.header_count("authorization"), 1);
    assert_eq!(
        r.header("user-agent"),
        Some(concat!("telemetra/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(
        r.header("content-length"),
        Some(r.raw_body.len().to_string().as_str())
    );
    assert_ne!(r.raw_body, body, "the body travels compressed");
    assert_eq!(r.body, body);
    assert!(sleeper.delays().is_empty());
}

#[test]
fn deflate_and_identity_encodings_are_honoured() {
    let server = TestServer::start(vec![]);
    let sleeper = RecordingSleeper::new();
    let t = transport(&sleeper);
    t.send(
        Request::new(Method::Post, server.url("/d"))
            .encoding(Encoding::Deflate)
            .body(b"hello deflate".to_vec()),
    )
    .unwrap();
    t.send(
        Request::new(Method::Put, server.url("/i"))
            .encoding(Encoding::Identity)
            .body(b"plain".to_vec()),
    )
    .unwrap();
    // An empty body is never compressed (a Pushgateway "delete by PUT").
    t.send(Request::new(Method::Put, server.url("/e"))).unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].header("content-encoding"), Some("deflate"));
    assert_eq!(reqs[0].body, b"hello deflate");
    assert_eq!(reqs[1].method, "PUT");
    assert_eq!(reqs[1].header("content-encoding"), None);
    assert_eq!(reqs[1].raw_body, b"plain");
    assert_eq!(reqs[2].header("content-encoding"), None);
    assert_eq!(reqs[2].header("content-length"), Some("0"));
}

#[test]
fn server_errors_are_retried_with_jittered_exponential_backoff() {
    let server = TestServer::start(vec![
        Reply::status(503),
        Reply::status(500),
        Reply::status(502),
        Reply::ok(),
    ]);
    let sleeper = RecordingSleeper::new();
    let resp = transport(&sleeper)
        .send(Request::new(Method::Post, server.url("/x")).body(b"b".to_vec()))
        .unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(server.requests().len(), 4);
    let delays = sleeper.delays();
    assert_eq!(delays.len(), 3);
    for (i, d) in delays.iter().enumerate() {
        let ceiling = Duration::from_millis(200) * 2u32.pow(i as u32);
        assert!(*d <= ceiling, "retry {i}: {d:?} > {ceiling:?}");
    }
    // Every attempt carries the same bytes.
    let bodies: Vec<_> = server.requests().into_iter().map(|r| r.body).collect();
    assert!(bodies.iter().all(|b| b == b"b"));
}

#[test]
fn retry_after_seconds_and_dates_are_honoured_and_capped() {
    let date = chrono::Utc::now() + chrono::Duration::seconds(4);
    let server = TestServer::start(vec![
        Reply::status(429).header("Retry-After", "3"),
        Reply::status(503).header("Retry-After", "60"),
        Reply::status(408).header("Retry-After", &date.to_rfc2822().replace("+0000", "GMT")),
        Reply::ok(),
    ]);
    let sleeper = RecordingSleeper::new();
    let config = HttpConfig::builder()
        .max_total_time(Duration::from_secs(60))
        .build()
        .unwrap();
    let t = HttpTransport::new(config)
        .unwrap()
        .with_sleeper(Arc::clone(&sleeper) as Arc<dyn Sleeper>);
    t.send(Request::new(Method::Post, server.url("/x")).body(b"b".to_vec()))
        .unwrap();
    let d = sleeper.delays();
    assert_eq!(d.len(), 3);
    assert_eq!(d[0], Duration::from_secs(3));
    assert_eq!(d[1], Duration::from_secs(10), "capped by max_backoff");
    assert!(
        d[2] <= Duration::from_secs(4) && d[2] >= Duration::from_secs(2),
        "date form: {:?}",
        d[2]
    );
}

#[test]
fn exhausted_retries_are_transient_and_carry_the_servers_retry_after() {
    let server = TestServer::start(vec![
        Reply::status(500).body("boom"),
        Reply::status(500).body("boom"),
        Reply::status(500).body("boom"),
        Reply::status(503)
            .header("retry-after", "120")
            .body("overloaded, come back later"),
    ]);
    let sleeper = RecordingSleeper::new();
    let config = HttpConfig::builder()
        .max_total_time(Duration::from_secs(300))
        .build()
        .unwrap();
    let t = HttpTransport::new(config)
        .unwrap()
        .with_sleeper(Arc::clone(&sleeper) as Arc<dyn Sleeper>);
    let err = t
        .send(Request::new(Method::Post, server.url("/x")).body(b"b".to_vec()))
        .unwrap_err();
    assert!(!err.is_permanent());
    assert_eq!(server.requests().len(), 4);
    assert_eq!(sleeper.delays().len(), 3);
    let msg = err.to_string();
    assert!(msg.contains("4 attempts"), "{msg}");
    assert!(msg.contains("503"), "{msg}");
    assert!(msg.contains("overloaded"), "{msg}");
    assert_eq!(err.retry_after_hint(), Some(Duration::from_secs(120)));
}

#[test]
fn total_retry_time_is_bounded() {
    let server = TestServer::start(vec![
        Reply::status(503).header("retry-after", "8"),
        Reply::status(503).header("retry-after", "8"),
        Reply::ok(),
    ]);
    let sleeper = RecordingSleeper::new();
    let config = HttpConfig::builder()
        .max_total_time(Duration::from_secs(12))
        .build()
        .unwrap();
    let t = HttpTransport::new(config)
        .unwrap()
        .with_sleeper(Arc::clone(&sleeper) as Arc<dyn Sleeper>);
    let err = t
        .send(Request::new(Method::Post, server.url("/x")).body(b"b".to_vec()))
        .unwrap_err();
    assert!(err.to_string().contains("budget"), "{err}");
    assert_eq!(sleeper.delays(), vec![Duration::from_secs(8)]);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn client_errors_are_permanent_with_status_and_truncated_vendor_text() {
    let long = format!("{{\"errors\":[\"bad metric name {}\"]}}", "x".repeat(2000));
    let server = TestServer::start(vec![Reply::status(400).body(&long)]);
    let sleeper = RecordingSleeper::new();
    let err = transport(&sleeper)
        .send(Request::new(Method::Post, server.url("/x")).body(b"b".to_vec()))
        .unwrap_err();
    assert!(err.is_permanent());
    assert_eq!(server.requests().len(), 1, "4xx is not retried");
    assert!(sleeper.delays().is_empty());
    let msg = err.to_string();
    assert!(msg.contains("400"), "{msg}");
    assert!(msg.contains("bad metric name"), "{msg}");
    assert!(
        msg.len() < 700,
        "vendor text truncated: {} bytes",
        msg.len()
    );
    for status in [401, 403, 404, 413] {
        let server = TestServer::start(vec![Reply::status(status)]);
        let err = transport(&sleeper)
            .send(Request::new(Method::Post, server.url("/x")).body(b"b".to_vec()))
            .unwrap_err();
        assert!(err.is_permanent(), "{status}");
        assert!(err.to_string().contains(&status.to_string()));
        assert_eq!(server.requests().len(), 1);
    }
}

#[test]
fn timeouts_and_hang_ups_are_retried() {
    let server = TestServer::start(vec![
        Reply::ok().delay(Duration::from_millis(1500)),
        Reply::hang_up(),
        Reply::status(204),
    ]);
    let sleeper = RecordingSleeper::new();
    let config = HttpConfig::builder()
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let t = HttpTransport::new(config)
        .unwrap()
        .with_sleeper(Arc::clone(&sleeper) as Arc<dyn Sleeper>);
    let resp = t
        .send(Request::new(Method::Post, server.url("/x")).body(b"b".to_vec()))
        .unwrap();
    assert_eq!(resp.status, 204);
    assert_eq!(sleeper.delays().len(), 2);
}

#[test]
fn connection_refused_is_transient_and_the_url_never_leaks() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let sleeper = RecordingSleeper::new();
    let url = format!("http://user:pa55word@127.0.0.1:{port}/push?api_key=KEY-0123456789");
    let err = transport(&sleeper)
        .send(
            Request::new(Method::Post, url)
                .secret_header("dd-api-key", Secret::new("KEY-0123456789"))
                .body(b"b".to_vec()),
        )
        .unwrap_err();
    assert!(!err.is_permanent());
    assert_eq!(sleeper.delays().len(), 3);
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("connect"), "{shown}");
    for secret in ["KEY-0123456789", "pa55word", "api_key", "/push"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
}

#[test]
fn secrets_never_appear_in_debug_or_in_echoed_error_text() {
    let server = TestServer::start(vec![Reply::status(403)
        .body("{\"errors\":[\"Forbidden: api key 0123456789abcdef is invalid\"]}")]);
    let sleeper = RecordingSleeper::new();
    let t = transport(&sleeper);
    let req = Request::new(Method::Post, server.url("/api/v2/series"))
        .secret_header("dd-api-key", Secret::new("0123456789abcdef"))
        .body(b"{}".to_vec());
    let dbg = format!("{req:?} {t:?} {:?}", Secret::new("0123456789abcdef"));
    assert!(!dbg.contains("0123456789abcdef"), "{dbg}");
    let err = t.send(req).unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(err.is_permanent());
    assert!(
        shown.contains("403") && shown.contains("Forbidden"),
        "{shown}"
    );
    assert!(!shown.contains("0123456789abcdef"), "{shown}");
    // The key did reach the server, once, in its header.
    assert_eq!(
        server.requests()[0].header("dd-api-key"),
        Some("0123456789abcdef")
    );
}

#[test]
fn a_transport_can_be_built_inside_an_async_runtime() {
    // reqwest's blocking client panics when built on a runtime thread; applications
    // often configure telemetry inside `#[tokio::main]`.
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let server = TestServer::start(vec![]);
    let url = server.url("/from-async");
    let transport = rt.block_on(async { HttpTransport::new(HttpConfig::default()).unwrap() });
    // Used (as the sink worker does) on a plain thread.
    std::thread::spawn(move || {
        transport
            .send(Request::new(Method::Post, url).body(b"x".to_vec()))
            .unwrap()
    })
    .join()
    .unwrap();
    assert_eq!(server.requests()[0].path, "/from-async");
}
