//! The HTTP ingest sink against a loopback server: JSON deltas (counters summed,
//! gauges last, timings as summaries), bearer token, gzip, size-capped batches, an
//! outage and a half-delivered export that count nothing twice, and every body valid
//! against `docs/schemas/ingest-v1.json` (checked with `check-jsonschema` when it is
//! installed, see `scripts/test-deps/prometheus.sh`).
#![cfg(feature = "http")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

mod support;

use std::collections::HashMap;

use std::time::Duration;

use serde_json::Value;
use support::schema::ingest_schema_check;
use support::server::{Recorded, Reply, TestServer};
use telemetra::sinks::http::{HttpConfig, Secret};
use telemetra::sinks::ingest::HttpIngestSink;
use telemetra::{Config, Telemetry};

fn start(sink: HttpIngestSink) -> Telemetry {
    Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .self_metrics(false)
            .sink(sink)
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn one_attempt() -> HttpConfig {
    HttpConfig::builder().max_attempts(1).build().unwrap()
}

fn metrics(r: &Recorded) -> Vec<Value> {
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["version"], 1);
    v["metrics"].as_array().unwrap().clone()
}

fn find<'a>(ms: &'a [Value], name: &str) -> Option<&'a Value> {
    ms.iter().find(|m| m["name"] == name)
}

#[test]
fn posts_deltas_as_json_with_bearer_token_and_gzip() {
    let server = TestServer::start(vec![]);
    let sink = HttpIngestSink::builder(server.url("/v1/metrics"))
        .bearer_token(Secret::new("tok-abcdef123"))
        .build()
        .unwrap();
    assert!(!format!("{sink:?}").contains("tok-abcdef123"));
    let t = start(sink);
    t.count("product.wallet.spend.success", 3, &[("currency", "EUR")]);
    t.gauge("active_users", 17.0, &[("region", "eu")]);
    for ms in [120.0, 120.0, 450.0, 250.0] {
        t.timing_ms("wallet_tx_latency_ms", ms, ());
    }
    t.flush(Duration::from_secs(10)).unwrap();
    t.count("product.wallet.spend.success", 2, &[("currency", "EUR")]);
    t.timing_ms("wallet_tx_latency_ms", 80.0, ());
    t.flush(Duration::from_secs(10)).unwrap();
    t.flush(Duration::from_secs(10)).unwrap(); // nothing changed: nothing sent

    let reqs = server.requests();
    assert_eq!(reqs.len(), 2, "an export with no change sends nothing");
    for r in &reqs {
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/v1/metrics");
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("content-encoding"), Some("gzip"));
        assert_eq!(r.header("authorization"), Some("Bearer tok-abcdef123"));
    }
    let first = metrics(&reqs[0]);
    assert_eq!(first.len(), 3);
    let c = find(&first, "product.wallet.spend.success").unwrap();
    assert_eq!(c["kind"], "counter");
    assert_eq!(c["aggregation"], "sum");
    assert_eq!(c["value"], 3.0);
    assert_eq!(c["labels"], serde_json::json!({"currency": "EUR"}));
    assert!(c["start"].as_str().unwrap() <= c["timestamp"].as_str().unwrap());
    let g = find(&first, "active_users").unwrap();
    assert_eq!(
        (g["aggregation"].as_str(), g["value"].as_f64()),
        (Some("last"), Some(17.0))
    );
    assert!(g.get("start").is_none());
    let s = find(&first, "wallet_tx_latency_ms").unwrap();
    assert_eq!(s["aggregation"], "summary");
    assert_eq!(s["unit"], "ms");
    assert_eq!(s["value"]["count"], 4);
    assert_eq!(s["value"]["sum"], 940.0);
    assert_eq!(s["value"]["min"], 120.0);
    assert_eq!(s["value"]["max"], 450.0);
    assert_eq!(s["value"]["mean"], 235.0);
    let p99 = s["value"]["p99"].as_f64().unwrap();
    assert!((445.0..=450.0).contains(&p99), "p99 {p99}");

    let second = metrics(&reqs[1]);
    assert_eq!(
        second.len(),
        2,
        "the unchanged gauge is not re-sent: {second:?}"
    );
    assert_eq!(
        find(&second, "product.wallet.spend.success").unwrap()["value"],
        2.0
    );
    let s2 = find(&second, "wallet_tx_latency_ms").unwrap();
    assert_eq!(s2["value"]["count"], 1);
    assert_eq!(s2["value"]["sum"], 80.0);
    // The second interval starts where the first ended.
    assert_eq!(
        find(&second, "product.wallet.spend.success").unwrap()["start"],
        c["timestamp"]
    );
    ingest_schema_check(&reqs.iter().map(|r| r.body.clone()).collect::<Vec<_>>());
}

#[test]
fn an_outage_is_carried_into_the_next_delivery() {
    let server = TestServer::start(vec![Reply::status(503), Reply::status(503)]);
    let sink = HttpIngestSink::builder(server.url("/ingest"))
        .http(one_attempt())
        .build()
        .unwrap();
    let t = start(sink);
    t.count("orders", 5, ());
    assert!(t.flush(Duration::from_secs(10)).is_err());
    t.count("orders", 7, ());
    assert!(t.flush(Duration::from_secs(10)).is_err());
    t.count("orders", 1, ());
    t.flush(Duration::from_secs(10)).unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    let delivered = metrics(&reqs[2]);
    assert_eq!(find(&delivered, "orders").unwrap()["value"], 13.0);
    ingest_schema_check(&[reqs[2].body.clone()]);
}

#[test]
fn big_snapshots_are_split_and_a_half_delivered_export_counts_nothing_twice() {
    // Request 0 succeeds, request 1 fails: the export fails half-way.
    let server = TestServer::start(vec![Reply::ok(), Reply::status(503)]);
    let sink = HttpIngestSink::builder(server.url("/ingest"))
        .max_batch_bytes(1024)
        .http(one_attempt())
        .build()
        .unwrap();
    let t = start(sink);
    for i in 0..60 {
        t.count(
            format!("series.{i:02}"),
            1,
            vec![("shard", format!("s{i}"))],
        );
    }
    assert!(t.flush(Duration::from_secs(10)).is_err());
    for i in 0..60 {
        t.count(
            format!("series.{i:02}"),
            10,
            vec![("shard", format!("s{i}"))],
        );
    }
    t.flush(Duration::from_secs(10)).unwrap();

    let reqs = server.requests();
    assert!(
        reqs.len() > 3,
        "split into several requests: {}",
        reqs.len()
    );
    let mut delivered: HashMap<String, f64> = HashMap::new();
    for (i, r) in reqs.iter().enumerate() {
        assert!(r.body.len() <= 1024, "request {i}: {} bytes", r.body.len());
        if i == 1 {
            continue; // answered 503
        }
        for m in metrics(r) {
            *delivered
                .entry(m["name"].as_str().unwrap().to_owned())
                .or_default() += m["value"].as_f64().unwrap();
        }
    }
    assert_eq!(delivered.len(), 60);
    for (name, total) in &delivered {
        assert_eq!(*total, 11.0, "{name}");
    }
    ingest_schema_check(&reqs.iter().map(|r| r.body.clone()).collect::<Vec<_>>());
}

#[test]
fn a_rejected_batch_is_permanent_and_the_token_stays_secret() {
    let server = TestServer::start(vec![Reply::status(401).body("invalid token tok-zyx98765")]);
    let errors = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = errors.clone();
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .self_metrics(false)
            .sink(
                HttpIngestSink::builder(server.url("/ingest"))
                    .bearer_token(Secret::new("tok-zyx98765"))
                    .build()
                    .unwrap(),
            )
            .on_error(move |e| seen.lock().unwrap().push(format!("{e} {e:?}")))
            .build()
            .unwrap(),
    )
    .unwrap();
    t.count("orders", 1, ());
    assert!(t.flush(Duration::from_secs(10)).is_err());
    // Permanent: the cursor moved on, the next export sends only what is new.
    t.count("orders", 4, ());
    t.flush(Duration::from_secs(10)).unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(find(&metrics(&reqs[1]), "orders").unwrap()["value"], 4.0);
    support::wait_for(|| !errors.lock().unwrap().is_empty());
    let reported = errors.lock().unwrap().clone();
    assert!(reported.iter().any(|e| e.contains("401")), "{reported:?}");
    assert!(
        reported.iter().all(|e| !e.contains("tok-zyx98765")),
        "{reported:?}"
    );
}

#[test]
fn bad_configuration_names_the_field() {
    let e = HttpIngestSink::builder("nope").build().unwrap_err();
    assert!(e.to_string().contains("ingest_url"), "{e}");
    let e = HttpIngestSink::builder("http://127.0.0.1:1/")
        .max_batch_bytes(10)
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("max_batch_bytes"), "{e}");
    let e = HttpIngestSink::builder("http://127.0.0.1:1/")
        .bearer_token(Secret::new("has space"))
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("bearer_token"), "{e}");
    assert!(!e.to_string().contains("has space"));
}

/// A request the receiver refuses for good (4xx) used to end the export, so the later
/// requests of a split export were never sent and their series were dropped with the
/// refused ones. Now the rest are sent; only the refused request's series are lost, the
/// flush reports how many, and the next export carries only what is new.
#[test]
fn a_refused_request_of_a_split_export_does_not_stop_the_others() {
    let server = TestServer::start(vec![Reply::ok(), Reply::status(400).body("bad batch")]);
    let sink = HttpIngestSink::builder(server.url("/ingest"))
        .max_batch_bytes(1024)
        .http(one_attempt())
        .build()
        .unwrap();
    let t = start(sink);
    for i in 0..60 {
        t.count(
            format!("series.{i:02}"),
            1,
            vec![("shard", format!("s{i}"))],
        );
    }
    let err = t.flush(Duration::from_secs(10)).unwrap_err();
    let reqs = server.requests();
    assert!(
        reqs.len() > 3,
        "split into several requests: {}",
        reqs.len()
    );
    let mut delivered: HashMap<String, f64> = HashMap::new();
    for (i, r) in reqs.iter().enumerate() {
        if i == 1 {
            continue; // refused
        }
        for m in metrics(r) {
            *delivered
                .entry(m["name"].as_str().unwrap().to_owned())
                .or_default() += m["value"].as_f64().unwrap();
        }
    }
    let refused = metrics(&reqs[1]).len();
    assert!(refused > 0);
    assert_eq!(
        delivered.len() + refused,
        60,
        "every series but the refused request's was delivered ({err})"
    );
    // The next export sends only what is new.
    t.count("series.00", 5, vec![("shard", "s0".to_owned())]);
    t.flush(Duration::from_secs(10)).unwrap();
    let last = server.requests();
    let next = metrics(last.last().unwrap());
    assert_eq!(next.len(), 1, "{next:?}");
    assert_eq!(next[0]["value"], 5.0);
}
