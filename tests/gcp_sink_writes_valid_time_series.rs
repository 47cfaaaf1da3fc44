//! The Cloud Monitoring sink against loopback servers (API and metadata server): URL,
//! bearer token, bodies that Google's own message types accept, at most 200 series per
//! request, token caching, retries, and 400 partial-failure summaries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(feature = "gcp")]

mod support;
mod vendor;

use support::skip;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value as Json;
use support::server::{Recorded, Reply, TestServer};
use telemetra::sinks::gcp::GcpSink;
use telemetra::sinks::http::{HttpConfig, HttpTransport, Sleeper};
use telemetra::{Config, Telemetry};

#[derive(Debug, Default)]
struct NoSleep;

impl Sleeper for NoSleep {
    fn sleep(&self, _: Duration) {}
}

fn transport(attempts: u32) -> HttpTransport {
    let config = HttpConfig::builder()
        .max_attempts(attempts)
        .build()
        .unwrap();
    HttpTransport::new(config)
        .unwrap()
        .with_sleeper(Arc::new(NoSleep))
}

fn start(sink: GcpSink, errors: Option<Arc<Mutex<Vec<String>>>>) -> Telemetry {
    let mut b = Config::builder()
        .flush_interval(Duration::from_secs(3600))
        .self_metrics(false)
        .max_series_per_metric(10_000)
        .sink(sink);
    if let Some(errors) = errors {
        b = b.on_error(move |e| errors.lock().unwrap().push(format!("{e}")));
    }
    Telemetry::start(b.build().unwrap()).unwrap()
}

fn series(r: &Recorded) -> Vec<Json> {
    let v: Json = serde_json::from_slice(&r.body).unwrap();
    v["timeSeries"].as_array().unwrap().clone()
}

#[test]
fn writes_cumulative_counters_gauges_and_distributions_with_a_bearer_token() {
    let api = TestServer::start(vec![]);
    let sink = GcpSink::builder("my-project")
        .base_url(api.url(""))
        .token("ya29.static-token")
        .build()
        .unwrap();
    let t = start(sink, None);
    t.count(
        "product.wallet.spend",
        4,
        &[("currency", "EUR"), ("http.status", "200")],
    );
    t.gauge("queue.depth", 2.5, ());
    for ms in [0.3, 4.0, 4.0, 30.0, 700.0] {
        t.timing_ms("wallet.tx.latency", ms, &[("op", "spend")]);
    }
    t.flush(Duration::from_secs(10)).unwrap();
    let reqs = api.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/v3/projects/my-project/timeSeries");
    assert_eq!(r.header("authorization"), Some("Bearer ya29.static-token"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    let s = series(r);
    let find = |ty: &str| {
        s.iter()
            .find(|x| x["metric"]["type"] == ty)
            .unwrap_or_else(|| panic!("{ty} in {s:#?}"))
    };
    let c = find("custom.googleapis.com/product/wallet/spend");
    assert_eq!(c["metricKind"], "CUMULATIVE");
    assert_eq!(c["points"][0]["value"]["doubleValue"], 4.0);
    assert_eq!(c["metric"]["labels"]["http_status"], "200");
    assert_eq!(c["resource"]["type"], "global");
    assert_eq!(c["resource"]["labels"]["project_id"], "my-project");
    assert_eq!(
        find("custom.googleapis.com/queue/depth")["metricKind"],
        "GAUGE"
    );
    let d =
        &find("custom.googleapis.com/wallet/tx/latency")["points"][0]["value"]["distributionValue"];
    assert_eq!(d["count"], "5");
    let counts: u64 = d["bucketCounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(counts, 5);
    vendor::check_bodies(
        "gcp_check.py",
        &["--check-time"],
        std::slice::from_ref(&r.body),
    );

    // A second export right away: every series was written less than 10 s ago.
    t.count(
        "product.wallet.spend",
        1,
        &[("currency", "EUR"), ("http.status", "200")],
    );
    t.flush(Duration::from_secs(10)).unwrap();
    assert_eq!(api.requests().len(), 1, "spacing holds the point back");
}

#[test]
fn more_than_200_series_are_split_into_requests_of_at_most_200() {
    let api = TestServer::start(vec![]);
    let sink = GcpSink::builder("p1")
        .base_url(api.url(""))
        .token("t0k3n")
        .build()
        .unwrap();
    let t = start(sink, None);
    for i in 0..450 {
        t.count("jobs.done", 1, vec![("shard".to_owned(), format!("s{i}"))]);
    }
    t.flush(Duration::from_secs(30)).unwrap();
    let reqs = api.requests();
    let sizes: Vec<usize> = reqs.iter().map(|r| series(r).len()).collect();
    assert_eq!(sizes, vec![200, 200, 50]);
    let bodies: Vec<Vec<u8>> = reqs.iter().map(|r| r.body.clone()).collect();
    vendor::check_bodies("gcp_check.py", &["--check-time"], &bodies);
}

#[test]
fn metadata_tokens_are_fetched_once_and_dropped_on_401() {
    let token = |t: &str| {
        Reply::ok()
            .header("content-type", "application/json")
            .body(&format!(
                "{{\"access_token\":\"{t}\",\"expires_in\":3599,\"token_type\":\"Bearer\"}}"
            ))
    };
    let metadata = TestServer::start(vec![token("tok-1"), token("tok-2")]);
    let api = TestServer::start(vec![
        Reply::ok(),
        Reply::status(401).body("{\"error\":{\"code\":401,\"status\":\"UNAUTHENTICATED\"}}"),
        Reply::ok(),
    ]);
    let sink = GcpSink::builder("p1")
        .base_url(api.url(""))
        .metadata_server(metadata.url(""))
        .min_point_spacing(Duration::from_secs(5))
        .transport(transport(1))
        .build()
        .unwrap();
    let t = start(sink, None);
    // Different series each time so that spacing does not hold them back.
    t.count("a", 1, ());
    t.flush(Duration::from_secs(10)).unwrap();
    t.count("b", 1, ());
    assert!(t.flush(Duration::from_secs(10)).is_err(), "401");
    t.count("c", 1, ());
    t.flush(Duration::from_secs(10)).unwrap();
    let m = metadata.requests();
    assert_eq!(m.len(), 2, "one fetch, one after the 401");
    for r in &m {
        assert_eq!(r.method, "GET");
        assert_eq!(
            r.path,
            "/computeMetadata/v1/instance/service-accounts/default/token"
        );
        assert_eq!(r.header("metadata-flavor"), Some("Google"));
    }
    let auth: Vec<_> = api
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(auth, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
    // The failed export's series `b` went with the next one.
    let last = series(&api.requests()[2]);
    assert_eq!(last.len(), 2);
}

#[test]
fn transient_failures_are_retried_by_the_transport() {
    let api = TestServer::start(vec![Reply::status(503), Reply::status(500), Reply::ok()]);
    let sink = GcpSink::builder("p1")
        .base_url(api.url(""))
        .token_provider(|| Ok("from-provider".to_owned()))
        .transport(transport(3))
        .build()
        .unwrap();
    let t = start(sink, None);
    t.count("a", 1, ());
    t.flush(Duration::from_secs(10)).unwrap();
    let reqs = api.requests();
    assert_eq!(reqs.len(), 3);
    assert!(reqs
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer from-provider")));
}

#[test]
fn a_400_partial_failure_reports_the_summary_and_moves_on() {
    let summary = r#"{"error":{"code":400,"message":"One or more TimeSeries could not be written","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.monitoring.v3.CreateTimeSeriesSummary","totalPointCount":2,"successPointCount":1,"errors":[{"status":{"code":3},"pointCount":1}]}]}}"#;
    let api = TestServer::start(vec![Reply::status(400).body(summary)]);
    let calls = Arc::new(AtomicUsize::new(0));
    let c = Arc::clone(&calls);
    let errors = Arc::new(Mutex::new(Vec::new()));
    let sink = GcpSink::builder("p1")
        .base_url(api.url(""))
        .token_provider(move || {
            c.fetch_add(1, Ordering::SeqCst);
            Ok("secret-token-value".to_owned())
        })
        .build()
        .unwrap();
    let t = start(sink, Some(Arc::clone(&errors)));
    t.count("a", 1, ());
    t.count("b", 1, ());
    assert!(t.flush(Duration::from_secs(10)).is_err());
    // The worker calls on_error just after it signals the flush: wait (bounded).
    support::wait_for(|| !errors.lock().unwrap().is_empty());
    let errors = errors.lock().unwrap().clone();
    assert!(
        errors.iter().any(|e| e.contains("1 of 2 points refused")),
        "{errors:?}"
    );
    assert!(errors.iter().all(|e| !e.contains("secret-token-value")));
    // Not retried in a loop: the request was answered.
    assert_eq!(api.requests().len(), 1);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn from_env_parts_targets_the_project_with_metadata_credentials() {
    let s = GcpSink::from_env_parts("my-project".into()).unwrap();
    assert_eq!(
        s.url(),
        "https://monitoring.googleapis.com/v3/projects/my-project/timeSeries"
    );
    assert!(format!("{s:?}").contains("metadata.google.internal"));
    let e = GcpSink::from_env_parts(String::new()).unwrap_err();
    assert!(e.to_string().contains("GOOGLE_CLOUD_PROJECT"), "{e}");
}
