//! Alert notifiers can use the sinks' shared HTTP transport (reqwest, rustls): a
//! PagerDuty trigger goes out as the exact JSON, statuses reach the dispatcher's retry
//! policy, and a dead endpoint is a transport error.
#![cfg(feature = "transport")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use support::server::{Reply, TestServer};
use telemetra::alert::notify::HttpPost;
use telemetra::sinks::http::{HttpConfig, HttpTransport};

fn transport() -> HttpTransport {
    HttpTransport::new(HttpConfig::builder().max_attempts(1).build().unwrap()).unwrap()
}

#[test]
fn posts_bytes_and_headers_and_returns_statuses() {
    let server = TestServer::start(vec![
        Reply::status(202).body("{\"status\":\"success\"}"),
        Reply::status(429).header("Retry-After", "7"),
        Reply::status(400).body("invalid event"),
    ]);
    let t = transport();
    let body = br#"{"routing_key":"k","event_action":"trigger"}"#;
    let ok = t
        .post(
            &server.url("/v2/enqueue"),
            &[("Content-Type", "application/json")],
            body,
        )
        .unwrap();
    assert_eq!(ok.status, 202);
    let limited = t.post(&server.url("/v2/enqueue"), &[], body).unwrap();
    assert_eq!(limited.status, 429);
    assert_eq!(limited.retry_after, Some(std::time::Duration::from_secs(7)));
    let bad = t.post(&server.url("/v2/enqueue"), &[], body).unwrap();
    assert_eq!(bad.status, 400);
    assert!(String::from_utf8_lossy(&bad.body).contains("invalid event"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    assert_eq!(reqs[0].method, "POST");
    assert_eq!(reqs[0].path, "/v2/enqueue");
    assert_eq!(reqs[0].header("content-type"), Some("application/json"));
    assert_eq!(reqs[0].text(), String::from_utf8_lossy(body));
}

#[test]
fn a_dead_endpoint_is_a_transport_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = transport()
        .post(&format!("http://127.0.0.1:{port}/hook"), &[], b"{}")
        .unwrap_err();
    assert!(!err.to_string().contains("/hook"), "{err}");
}
