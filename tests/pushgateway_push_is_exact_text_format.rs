//! What the Pushgateway sink sends, byte for byte, to a loopback server: `PUT` to the
//! grouping key, text format 0.0.4 headers, gzip, HELP/TYPE once per name, escaping,
//! sanitised and de-collided names, cumulative histogram buckets with `+Inf` = count.
#![cfg(feature = "prometheus")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::time::Duration;

use support::server::{Reply, TestServer};
use telemetra::sinks::http::HttpConfig;
use telemetra::sinks::prometheus::PushgatewaySink;
use telemetra::{Config, Error, Telemetry};

fn start(sink: PushgatewaySink, self_metrics: bool) -> Telemetry {
    Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .self_metrics(self_metrics)
            .sink(sink)
            .build()
            .unwrap(),
    )
    .unwrap()
}

#[test]
fn a_flush_puts_the_whole_snapshot_to_the_grouping_key() {
    let server = TestServer::start(vec![]);
    let sink = PushgatewaySink::builder(server.url("/"))
        .job("wallet")
        .grouping_label("instance", "w-1")
        .grouping_label("path", "/srv/app")
        .buckets_ms(vec![100.0, 500.0, 1000.0])
        .build()
        .unwrap();
    let t = start(sink, false);
    t.count("product.wallet.spend.success", 3, &[("currency", "EUR")]);
    t.count("product.wallet.spend.success", 2, &[("currency", "USD")]);
    t.gauge("active_users", 42.5, &[("region", "eu")]);
    for ms in [120.0, 120.0, 700.0, 2000.0] {
        t.timing_ms("wallet_tx_latency_ms", ms, ());
    }
    t.flush(Duration::from_secs(10)).unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "PUT");
    assert_eq!(
        r.path,
        "/metrics/job/wallet/instance/w-1/path@base64/L3Nydi9hcHA"
    );
    assert_eq!(
        r.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    let expected = "\
# HELP active_users telemetra gauge active_users
# TYPE active_users gauge
active_users{region=\"eu\"} 42.5
# HELP product_wallet_spend_success_total telemetra counter product.wallet.spend.success
# TYPE product_wallet_spend_success_total counter
product_wallet_spend_success_total{currency=\"EUR\"} 3
product_wallet_spend_success_total{currency=\"USD\"} 2
# HELP wallet_tx_latency_seconds telemetra timing in seconds wallet_tx_latency_ms
# TYPE wallet_tx_latency_seconds histogram
wallet_tx_latency_seconds_bucket{le=\"0.1\"} 0
wallet_tx_latency_seconds_bucket{le=\"0.5\"} 2
wallet_tx_latency_seconds_bucket{le=\"1\"} 3
wallet_tx_latency_seconds_bucket{le=\"+Inf\"} 4
wallet_tx_latency_seconds_sum 2.94
wallet_tx_latency_seconds_count 4
";
    assert_eq!(r.text(), expected);

    // The next flush pushes the cumulative state again, in full.
    t.count("product.wallet.spend.success", 1, &[("currency", "EUR")]);
    t.flush(Duration::from_secs(10)).unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert!(reqs[1]
        .text()
        .contains("product_wallet_spend_success_total{currency=\"EUR\"} 4\n"));
    assert!(reqs[1]
        .text()
        .contains("wallet_tx_latency_seconds_count 4\n"));
}

#[test]
fn names_are_sanitised_deduplicated_and_values_escaped() {
    let server = TestServer::start(vec![]);
    let sink = PushgatewaySink::builder(server.url(""))
        .http(HttpConfig::builder().gzip(false).build().unwrap())
        .build()
        .unwrap();
    let t = start(sink, false);
    t.count("a_b", 1, ());
    t.count("a.b", 2, ());
    t.count("x", 3, ());
    t.gauge("x_total", 4.0, ());
    t.gauge("push_time_seconds", 5.0, ());
    t.gauge("__private", 6.0, ());
    t.gauge("9lives", 7.0, ());
    t.count("hits_total", 8, ());
    t.gauge(
        "paths",
        1.0,
        vec![
            ("file", "C:\\dir\\\"x\".txt\nline2"),
            ("a.b", "dot"),
            ("a_b", "underscore"),
            ("__meta", "m"),
        ],
    );
    t.timing_ms("rpc", 1.0, &[("le", "tag")]);
    // These render alike after sanitising: the gateway must not see duplicates.
    t.gauge("dup", 1.0, ());
    t.gauge("dup", 2.0, &[("region", "")]);
    t.gauge("dup", 3.0, &[("a.b", "x")]);
    t.gauge("dup", 4.0, &[("a_b", "x")]);
    t.flush(Duration::from_secs(10)).unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.path, "/metrics/job/telemetra");
    assert_eq!(r.header("content-encoding"), None);
    let text = r.text();
    for line in [
        "a_b_total 1\n",
        "a_b_2_total 2\n",
        "x_total 4\n",
        "x_2_total 3\n",
        "# TYPE x_total gauge\n",
        "# TYPE x_2_total counter\n",
        "push_time_seconds_2 5\n",
        "_private 6\n",
        "_9lives 7\n",
        "hits_total 8\n",
        "# TYPE hits_total counter\n",
        "paths{_meta=\"m\",a_b=\"dot\",a_b_2=\"underscore\",file=\"C:\\\\dir\\\\\\\"x\\\".txt\\nline2\"} 1\n",
        "rpc_seconds_bucket{le_=\"tag\",le=\"0.001\"} 1\n",
        "rpc_seconds_bucket{le_=\"tag\",le=\"+Inf\"} 1\n",
        "rpc_seconds_count{le_=\"tag\"} 1\n",
        "dup 1\n",
        "dup{telemetra_duplicate=\"2\"} 2\n",
        "dup{a_b=\"x\"} 3\n",
        "dup{a_b=\"x\",telemetra_duplicate=\"2\"} 4\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    // HELP and TYPE once per name, and each name's lines contiguous.
    let mut seen = Vec::<String>::new();
    for line in text.lines().filter(|l| l.starts_with("# TYPE ")) {
        let name = line.split(' ').nth(2).unwrap().to_owned();
        assert!(!seen.contains(&name), "TYPE twice for {name}");
        seen.push(name);
    }
    let mut current = String::new();
    let mut finished = Vec::<String>::new();
    for line in text.lines() {
        let family = if let Some(rest) = line.strip_prefix("# ") {
            rest.split(' ').nth(1).unwrap().to_owned()
        } else {
            let name = line.split(['{', ' ']).next().unwrap();
            seen.iter()
                .find(|f| {
                    name == f.as_str()
                        || ["_bucket", "_sum", "_count"]
                            .iter()
                            .any(|s| name == format!("{f}{s}"))
                })
                .unwrap_or_else(|| panic!("sample {name} outside any TYPE"))
                .clone()
        };
        if family != current {
            assert!(!finished.contains(&family), "{family} not contiguous");
            finished.push(std::mem::replace(&mut current, family));
        }
    }
    assert!(text.ends_with('\n'));
}

#[test]
fn self_metrics_are_pushed_like_any_other_series() {
    let server = TestServer::start(vec![]);
    let sink = PushgatewaySink::builder(server.url("")).build().unwrap();
    let t = start(sink, true);
    t.incr("orders", ());
    t.flush(Duration::from_secs(10)).unwrap();
    t.flush(Duration::from_secs(10)).unwrap();
    let text = server.requests().last().unwrap().text();
    assert!(
        text.contains("# TYPE telemetra_emitted_total counter\n"),
        "{text}"
    );
    assert!(text.contains("orders_total 1\n"));
}

#[test]
fn a_rejected_push_is_reported_as_permanent() {
    let server =
        TestServer::start(vec![Reply::status(400)
            .body("pushed metrics are invalid or inconsistent with existing metrics")]);
    let errors = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = errors.clone();
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .sink(PushgatewaySink::builder(server.url("")).build().unwrap())
            .on_error(move |e: &Error| seen.lock().unwrap().push(e.to_string()))
            .build()
            .unwrap(),
    )
    .unwrap();
    t.incr("orders", ());
    assert!(t.flush(Duration::from_secs(10)).is_err());
    assert_eq!(server.requests().len(), 1, "a 400 is not retried");
    // The handler runs on the sink's thread, just after flush() has its answer.
    let reported = || {
        let errors = errors.lock().unwrap();
        errors
            .iter()
            .any(|e| e.contains("400") && e.contains("inconsistent"))
    };
    support::wait_for(&reported);
    assert!(reported(), "{:?}", errors.lock().unwrap());
}

#[test]
fn bad_configuration_names_the_field() {
    let e = PushgatewaySink::builder("ftp://x").build().unwrap_err();
    assert!(e.to_string().contains("pushgateway_url"), "{e}");
    let e = PushgatewaySink::builder("not a url").build().unwrap_err();
    assert!(e.to_string().contains("pushgateway_url"), "{e}");
    let e = PushgatewaySink::builder("http://x")
        .job("")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("job"), "{e}");
    let e = PushgatewaySink::builder("http://x")
        .buckets_ms(vec![5.0, 1.0])
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("buckets_ms"), "{e}");
    let e = PushgatewaySink::builder("http://x")
        .grouping_label("bad-name", "v")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("grouping_label"), "{e}");
    let s = PushgatewaySink::builder("http://user:hunter2@127.0.0.1:9091")
        .build()
        .unwrap();
    assert!(!format!("{s:?}").contains("hunter2"));
}
