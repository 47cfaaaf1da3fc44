//! The Datadog sink against a loopback server: URL, headers, compressed bodies that
//! Datadog's own client model accepts, batching under the payload limits, retries and
//! `Retry-After` through the shared transport, and deltas that survive an outage or a
//! half-delivered export without loss or double counting.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(feature = "datadog")]

mod support;
mod vendor;

use support::skip;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value as Json;
use support::server::{Recorded, Reply, TestServer};
use telemetra::sinks::datadog::DatadogSink;
use telemetra::sinks::http::{Encoding, HttpConfig, HttpTransport, Sleeper};
use telemetra::{Config, Telemetry};

const KEY: &str = "0123456789abcdef0123456789abcdef";

#[derive(Debug, Default)]
struct RecordingSleeper(Mutex<Vec<Duration>>);

impl Sleeper for RecordingSleeper {
    fn sleep(&self, d: Duration) {
        self.0.lock().unwrap().push(d);
    }
}

fn transport(attempts: u32, sleeper: Arc<RecordingSleeper>) -> HttpTransport {
    let config = HttpConfig::builder()
        .max_attempts(attempts)
        .base_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_secs(30))
        .build()
        .unwrap();
    HttpTransport::new(config).unwrap().with_sleeper(sleeper)
}

fn start(sink: DatadogSink) -> Telemetry {
    Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .self_metrics(false)
            .max_series_per_metric(10_000)
            .sink(sink)
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn series(r: &Recorded) -> Vec<Json> {
    let v: Json = serde_json::from_slice(&r.body).unwrap();
    v["series"].as_array().unwrap().clone()
}

/// Sum of the values sent for `metric` across `requests`.
fn sent(requests: &[Recorded], metric: &str) -> f64 {
    requests
        .iter()
        .flat_map(series)
        .filter(|s| s["metric"] == metric)
        .map(|s| s["points"][0]["value"].as_f64().unwrap())
        .sum()
}

#[test]
fn posts_deflated_series_with_the_api_key_to_the_v2_endpoint() {
    let server = TestServer::start(vec![Reply::status(202).body("{\"errors\":[]}")]);
    let sink = DatadogSink::builder(KEY)
        .base_url(server.url(""))
        .host("web-1")
        .tag("env", "test")
        .build()
        .unwrap();
    let t = start(sink);
    t.count("payments", 3, &[("outcome", "ok")]);
    t.gauge("queue.depth", 7.0, ());
    for ms in [1.0, 2.0, 3.0, 40.0] {
        t.timing_ms("latency_ms", ms, &[("op", "get")]);
    }
    t.flush(Duration::from_secs(10)).unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/api/v2/series");
    assert_eq!(r.header("dd-api-key"), Some(KEY));
    assert_eq!(r.header_count("dd-api-key"), 1);
    assert_eq!(r.header("content-encoding"), Some("deflate"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.raw_body.len() < r.body.len(), "the body is compressed");

    let s = series(r);
    let find = |m: &str| {
        s.iter()
            .find(|x| x["metric"] == m)
            .unwrap_or_else(|| panic!("{m}"))
    };
    let c = find("payments");
    assert_eq!(c["type"], 1);
    assert_eq!(c["points"][0]["value"], 3.0);
    assert!(c["interval"].as_i64().unwrap() >= 1);
    assert_eq!(c["tags"], serde_json::json!(["outcome:ok", "env:test"]));
    assert_eq!(
        c["resources"],
        serde_json::json!([{"name": "web-1", "type": "host"}])
    );
    assert_eq!(find("queue.depth")["type"], 3);
    assert_eq!(find("latency_ms.count")["points"][0]["value"], 4.0);
    assert_eq!(find("latency_ms.avg")["points"][0]["value"], 11.5);
    assert_eq!(find("latency_ms.max")["points"][0]["value"], 40.0);
    for m in ["latency_ms.median", "latency_ms.95percentile"] {
        assert_eq!(find(m)["type"], 3);
    }
    vendor::check_bodies(
        "dd_check.py",
        &["--encoding", "deflate", "--check-time"],
        std::slice::from_ref(&r.raw_body),
    );

    // Nothing changed: nothing is sent.
    t.flush(Duration::from_secs(10)).unwrap();
    assert_eq!(server.requests().len(), 1);
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
fn gzip_is_available_and_accepted_by_the_vendor_model() {
    let server = TestServer::start(vec![]);
    let sink = DatadogSink::builder(KEY)
        .base_url(server.url("/"))
        .compression(Encoding::Gzip)
        .build()
        .unwrap();
    let t = start(sink);
    t.count("orders.placed", 1, &[("region", "eu west|1")]);
    t.flush(Duration::from_secs(10)).unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].header("content-encoding"), Some("gzip"));
    assert_eq!(series(&reqs[0])[0]["tags"][0], "region:eu_west_1");
    vendor::check_bodies(
        "dd_check.py",
        &["--encoding", "gzip", "--check-time"],
        std::slice::from_ref(&reqs[0].raw_body),
    );
}

fn many_series(t: &Telemetry, n: usize, round: u64) {
    for i in 0..n {
        // Distinct, poorly compressible tag values so that batches fill up.
        let v = format!(
            "{:016x}",
            (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        );
        t.count("jobs.done", round, vec![("shard".to_owned(), v)]);
    }
}

#[test]
fn many_series_are_split_into_requests_under_the_limits() {
    let server = TestServer::start(vec![]);
    let sink = DatadogSink::builder(KEY)
        .base_url(server.url(""))
        .max_body_bytes(4096)
        .max_uncompressed_bytes(16_384)
        .build()
        .unwrap();
    let t = start(sink);
    many_series(&t, 1500, 1);
    t.flush(Duration::from_secs(30)).unwrap();
    let reqs = server.requests();
    assert!(reqs.len() >= 4, "{} requests", reqs.len());
    let mut total = 0;
    for r in &reqs {
        assert!(r.raw_body.len() <= 4096, "{}", r.raw_body.len());
        assert!(r.body.len() <= 16_384, "{}", r.body.len());
        total += series(r).len();
    }
    assert_eq!(total, 1500, "every series exactly once");
    assert_eq!(sent(&reqs, "jobs.done"), 1500.0);
    let bodies: Vec<Vec<u8>> = reqs.iter().map(|r| r.raw_body.clone()).collect();
    vendor::check_bodies("dd_check.py", &["--encoding", "deflate"], &bodies);
}

#[test]
fn retries_back_off_and_honour_retry_after() {
    let server = TestServer::start(vec![
        Reply::status(503),
        Reply::status(429).header("Retry-After", "7"),
        Reply::status(202),
    ]);
    let sleeper = Arc::new(RecordingSleeper::default());
    let sink = DatadogSink::builder(KEY)
        .base_url(server.url(""))
        .transport(transport(4, Arc::clone(&sleeper)))
        .build()
        .unwrap();
    let t = start(sink);
    t.count("payments", 5, ());
    t.flush(Duration::from_secs(10)).unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    assert!(
        reqs.iter().all(|r| r.body == reqs[0].body),
        "the same batch is retried"
    );
    let waits = sleeper.0.lock().unwrap().clone();
    assert_eq!(waits.len(), 2);
    assert!(
        waits[0] <= Duration::from_millis(100),
        "jittered backoff {waits:?}"
    );
    assert_eq!(waits[1], Duration::from_secs(7), "Retry-After wins");
    assert_eq!(sent(&reqs[2..], "payments"), 5.0);
}

#[test]
fn an_outage_loses_nothing_and_the_key_never_leaks() {
    let server = TestServer::start(vec![
        Reply::status(202),
        Reply::status(503).body(&format!("upstream echoed {KEY}")),
        Reply::status(500),
        Reply::status(202),
    ]);
    let errors = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&errors);
    let sink = DatadogSink::builder(KEY)
        .base_url(server.url(""))
        .transport(transport(1, Arc::default()))
        .build()
        .unwrap();
    assert!(!format!("{sink:?}").contains(KEY));
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .self_metrics(false)
            .on_error(move |e| seen.lock().unwrap().push(format!("{e} {e:?}")))
            .sink(sink)
            .build()
            .unwrap(),
    )
    .unwrap();
    t.count("payments", 10, ());
    t.flush(Duration::from_secs(10)).unwrap();
    t.count("payments", 5, ());
    assert!(t.flush(Duration::from_secs(10)).is_err());
    t.count("payments", 7, ());
    assert!(t.flush(Duration::from_secs(10)).is_err());
    t.count("payments", 1, ());
    t.flush(Duration::from_secs(10)).unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 4);
    let last = series(&reqs[3]);
    assert_eq!(
        last[0]["points"][0]["value"], 13.0,
        "the outage's increments, once"
    );
    let delivered: f64 = [&reqs[0], &reqs[3]]
        .iter()
        .map(|r| sent(std::slice::from_ref(*r), "payments"))
        .sum();
    assert_eq!(delivered, 23.0);
    // The worker calls on_error just after it signals the flush: wait (bounded).
    support::wait_for(|| errors.lock().unwrap().len() >= 2);
    let errors = errors.lock().unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    for e in errors.iter() {
        assert!(!e.contains(KEY), "secret in error: {e}");
    }
}

#[test]
fn a_half_delivered_export_is_neither_resent_nor_lost() {
    // Export 1: first request ok, second fails. Export 2: everything ok.
    let server = TestServer::start(vec![Reply::status(202), Reply::status(503)]);
    let sink = DatadogSink::builder(KEY)
        .base_url(server.url(""))
        .max_body_bytes(4096)
        .transport(transport(1, Arc::default()))
        .build()
        .unwrap();
    let t = start(sink);
    many_series(&t, 600, 1);
    assert!(t.flush(Duration::from_secs(30)).is_err());
    let first = server.requests().len();
    assert_eq!(first, 2, "the export stops at the failed request");
    many_series(&t, 600, 2);
    t.flush(Duration::from_secs(30)).unwrap();
    let reqs = server.requests();
    // Per series: what the 202 replies carried must add up to its total, 3.
    let mut per_series: HashMap<String, f64> = HashMap::new();
    for (i, r) in reqs.iter().enumerate() {
        if i == 1 {
            continue; // answered 503
        }
        for s in series(r) {
            *per_series
                .entry(s["tags"][0].as_str().unwrap().to_owned())
                .or_default() += s["points"][0]["value"].as_f64().unwrap();
        }
    }
    assert_eq!(per_series.len(), 600);
    assert!(per_series.values().all(|v| *v == 3.0), "{per_series:?}");
}

#[test]
fn sites_map_to_their_api_hosts_and_bad_config_is_named() {
    let cases = [
        (None, "https://api.datadoghq.com/api/v2/series"),
        (
            Some("us3.datadoghq.com"),
            "https://api.us3.datadoghq.com/api/v2/series",
        ),
        (
            Some("datadoghq.eu"),
            "https://api.datadoghq.eu/api/v2/series",
        ),
        (
            Some("ap1.datadoghq.com"),
            "https://api.ap1.datadoghq.com/api/v2/series",
        ),
        (
            Some("ddog-gov.com"),
            "https://api.ddog-gov.com/api/v2/series",
        ),
    ];
    for (site, url) in cases {
        let s = DatadogSink::from_env_parts(KEY.to_owned(), site.map(str::to_owned)).unwrap();
        assert_eq!(s.url(), url);
    }
    let e = DatadogSink::from_env_parts(String::new(), None).unwrap_err();
    assert!(e.to_string().contains("DD_API_KEY"), "{e}");
    let e = DatadogSink::from_env_parts(KEY.into(), Some("not a site".into())).unwrap_err();
    assert!(e.to_string().contains("DD_SITE") && !e.to_string().contains(KEY));
    let e = DatadogSink::builder(KEY)
        .max_body_bytes(600_000)
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("max_body_bytes"));
}

/// Datadog keeps one point per series and timestamp: two exports in one second used to
/// send two count points with the same timestamp, and the vendor stored only the last
/// (1110 of 1150 in the reproduction). Five flushes in quick succession, then
/// shutdown: every point of a series has its own timestamp, none is in the future, and
/// what a last-point-per-timestamp store keeps adds up to everything emitted.
#[test]
fn exports_within_one_second_never_share_a_timestamp() {
    let server = TestServer::start(vec![Reply::status(202).body("{\"errors\":[]}")]);
    let sink = DatadogSink::builder(KEY)
        .base_url(server.url(""))
        .build()
        .unwrap();
    let t = start(sink);
    let mut emitted = 0u64;
    for round in 1..=5u64 {
        t.count("orders", round * 10, &[("shop", "a")]);
        emitted += round * 10;
        t.flush(Duration::from_secs(10)).unwrap();
    }
    t.count("orders", 7, &[("shop", "a")]);
    emitted += 7;
    t.shutdown(Duration::from_secs(10)).unwrap();

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // What Datadog would store: the last value per timestamp.
    let mut stored: HashMap<i64, f64> = HashMap::new();
    let mut points = 0;
    for s in server.requests().iter().flat_map(series) {
        if s["metric"] != "orders" {
            continue;
        }
        let ts = s["points"][0]["timestamp"].as_i64().unwrap();
        assert!(ts <= now, "a point stamped in the future: {ts} > {now}");
        let v = s["points"][0]["value"].as_f64().unwrap();
        assert!(
            stored.insert(ts, v).is_none(),
            "two points for one series at {ts}"
        );
        points += 1;
    }
    assert_eq!(points, 6, "one point per export");
    assert_eq!(stored.values().sum::<f64>(), emitted as f64);
}

/// Base URLs are parsed, not matched by prefix: `http://` alone, a missing host or a
/// bad port are config errors naming the field and never echoing the URL; an IPv6
/// loopback with a port is fine. The GCP sink's URLs are checked the same way.
#[test]
fn base_urls_are_parsed_not_prefix_matched() {
    for bad in ["http://", "http://user:pw@host:99999", "ftp://h", "http//x"] {
        let e = DatadogSink::builder(KEY).base_url(bad).build().unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("base_url"), "{bad}: {msg}");
        assert!(!msg.contains("pw@"), "{bad}: {msg}");
    }
    assert!(DatadogSink::builder(KEY)
        .base_url("http://[::1]:8126")
        .build()
        .is_ok());
    #[cfg(feature = "gcp")]
    {
        use telemetra::sinks::gcp::GcpSink;
        let e = GcpSink::builder("my-project")
            .base_url("https://")
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("base_url"), "{e}");
        let e = GcpSink::builder("my-project")
            .metadata_server("metadata")
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("metadata_server"), "{e}");
    }
}
