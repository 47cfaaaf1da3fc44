//! Alert notifiers can use the sinks' shared HTTP transport (reqwest, rustls): a
//! PagerDuty trigger goes out as the exact JSON, statuses reach the dispatcher's retry
//! policy, a dead endpoint is a transport error, and IPv6 literals work (the former
//! hand-written client failed on `http://[::1]`).
#![cfg(feature = "transport")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout
)]

mod support;

use std::sync::Arc;
use support::server::{Reply, TestServer};

use telemetra::alert::notify::{Channel, Dispatcher, HttpPost, Secret, SlackNotifier};
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

#[test]
fn a_dispatcher_posts_to_an_ipv6_loopback_url() {
    let server = match TestServer::start_at("[::1]:0", vec![Reply::ok().body("ok")]) {
        Ok(s) => s,
        Err(e) => {
            support::skip::skipped_for_environment(&format!("no IPv6 loopback ({e})"));
            return;
        }
    };
    let url = server.url("/services/T0/B0/hook");
    assert!(url.starts_with("http://[::1]:"), "{url}");
    let d = Dispatcher::new(Arc::new(transport())).notifier(SlackNotifier::new(Secret::new(url)));
    let event = telemetra::alert::AlertEvent {
        id: 1,
        kind: telemetra::alert::AlertEventKind::Firing,
        repeat: false,
        rule: "ipv6".to_owned(),
        labels: Default::default(),
        severity: telemetra::alert::Severity::P1,
        description: String::new(),
        summary: "ipv6".to_owned(),
        value: 1.0,
        threshold: 0.0,
        active_at: chrono::Utc::now(),
        fired_at: chrono::Utc::now(),
        resolved_at: None,
        at: chrono::Utc::now(),
        fingerprint: "ipv6".to_owned(),
        cooldown: std::time::Duration::from_secs(60),
        acknowledged_by: None,
        acknowledged_at: None,
    };
    let report = d.dispatch(std::slice::from_ref(&event));
    assert_eq!(report.delivered(), 1, "{:?}", report.outcomes);
    assert_eq!(report.outcomes[0].channel, Channel::Slack);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].path, "/services/T0/B0/hook");
    assert_eq!(
        reqs[0].header("host"),
        Some(format!("[::1]:{}", server.port()).as_str())
    );
    assert_eq!(
        reqs[0].header("content-encoding"),
        None,
        "webhooks get plain JSON"
    );
    let body: serde_json::Value = serde_json::from_str(&reqs[0].text()).unwrap();
    assert_eq!(body["text"], "[FIRING] [P1] ipv6");

    // Without a port, `http://[::1]/x` is port 80: a connection attempt (refused, or
    // whatever listens there), never a malformed URL.
    match transport().post("http://[::1]/x", &[], b"{}") {
        Ok(r) => assert!(r.status > 0),
        Err(e) => assert!(e.to_string().starts_with("connection failed"), "{e}"),
    }
}
