//! End to end with the real thing: a `prometheus-pushgateway` receives our pushes, a
//! real `prometheus` scrapes it every second (`honor_labels: true`), and PromQL answers
//! equal what was emitted through a `Telemetry` pipeline. `promtool check metrics`
//! accepts the exposition text. Skips (with a printed reason) when the Debian packages
//! are not installed: `scripts/test-deps/prometheus.sh`.
#![cfg(feature = "prometheus")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

mod support;

use std::time::Duration;

use support::prom;
use telemetra::sinks::prometheus::PushgatewaySink;
use telemetra::{Config, Telemetry};

const LIMIT: Duration = Duration::from_secs(45);

#[test]
fn promql_sums_and_quantiles_match_what_was_emitted() {
    if let Some(reason) = prom::missing(&[prom::PUSHGATEWAY, prom::PROMETHEUS, prom::PROMTOOL]) {
        support::skip::skipped(&reason);
        return;
    }
    let gateway = prom::pushgateway(0);
    let prometheus = prom::prometheus(&format!("127.0.0.1:{}", gateway.port));

    let job = "telemetra_e2e";
    let sink = || {
        PushgatewaySink::builder(gateway.base_url())
            .job(job)
            .grouping_label("instance", "it-1")
            .build()
            .unwrap()
    };
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .sink(sink())
            .build()
            .unwrap(),
    )
    .unwrap();
    for _ in 0..7 {
        t.count("product.wallet.spend.success", 3, &[("currency", "EUR")]);
    }
    t.count("product.wallet.spend.success", 5, &[("currency", "USD")]);
    let http = t.tagged(vec![("service", "api")]);
    for status in ["200", "200", "500"] {
        http.incr("infra.http.request.count", vec![("status", status)]);
    }
    t.gauge("active_users", 17.0, &[("region", "eu")]);
    // 90 fast requests (100 ms) and 10 slow ones (450 ms): p50 lies in the
    // (50 ms, 100 ms] bucket, p95 in (400 ms, 500 ms].
    for _ in 0..90 {
        t.timing_ms("infra.http.request.latency_ms", 100.0, ());
    }
    for _ in 0..10 {
        t.timing_ms("infra.http.request.latency_ms", 450.0, ());
    }
    t.flush(Duration::from_secs(20)).unwrap();

    // The exposition text we pushed passes promtool (exit 0: no parse error and no lint).
    let text = sink().render(&t.snapshot().unwrap());
    let (code, out) = prom::promtool_check(&text);
    eprintln!("promtool check metrics: exit {code} {out}");
    assert_eq!(code, 0, "promtool: {out}\n{text}");

    let sel = format!("job=\"{job}\",instance=\"it-1\"");
    let spend = prom::query_until(
        &prometheus,
        &format!("sum(product_wallet_spend_success_total{{{sel}}})"),
        LIMIT,
        |v| v == 26.0,
    );
    eprintln!("sum(product_wallet_spend_success_total) = {spend:?}");
    assert_eq!(spend, Some(26.0));
    let eur = prom::query(
        &prometheus,
        &format!("sum(product_wallet_spend_success_total{{{sel},currency=\"EUR\"}})"),
    );
    assert_eq!(eur, Some(21.0));
    let requests = prom::query(
        &prometheus,
        &format!("sum(infra_http_request_count_total{{{sel},service=\"api\"}})"),
    );
    assert_eq!(requests, Some(3.0));
    let errors = prom::query(
        &prometheus,
        &format!("sum(infra_http_request_count_total{{{sel},status=\"500\"}})"),
    );
    assert_eq!(errors, Some(1.0));
    let users = prom::query(&prometheus, &format!("active_users{{{sel},region=\"eu\"}}"));
    assert_eq!(users, Some(17.0));
    let count = prom::query(
        &prometheus,
        &format!("sum(infra_http_request_latency_seconds_count{{{sel}}})"),
    );
    assert_eq!(count, Some(100.0));
    let sum = prom::query(
        &prometheus,
        &format!("sum(infra_http_request_latency_seconds_sum{{{sel}}})"),
    )
    .unwrap();
    assert!((sum - 13.5).abs() < 1e-9, "sum {sum}");
    let q = |q: f64| {
        prom::query(
            &prometheus,
            &format!(
                "histogram_quantile({q}, sum by (le) (infra_http_request_latency_seconds_bucket{{{sel}}}))"
            ),
        )
        .unwrap()
    };
    let (p50, p95) = (q(0.5), q(0.95));
    eprintln!("histogram_quantile: p50 = {p50} s, p95 = {p95} s");
    assert!(p50 > 0.05 && p50 <= 0.1, "p50 {p50}");
    assert!(p95 > 0.4 && p95 <= 0.5, "p95 {p95}");
    // Self-metrics travel like any other series.
    let emitted = prom::query(&prometheus, &format!("telemetra_emitted_total{{{sel}}}"));
    eprintln!("telemetra_emitted_total = {emitted:?}");
    assert!(emitted.is_some_and(|v| v > 0.0));
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
fn the_real_gateway_accepts_awkward_names_labels_and_grouping_values() {
    if let Some(reason) = prom::missing(&[prom::PUSHGATEWAY, prom::PROMTOOL]) {
        support::skip::skipped(&reason);
        return;
    }
    let gateway = prom::pushgateway(0);
    let job = "telemetra/awkward job";
    let sink = || {
        PushgatewaySink::builder(gateway.base_url())
            .job(job)
            .grouping_label("path", "/var/tmp")
            .grouping_label("empty", "")
            .build()
            .unwrap()
    };
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .sink(sink())
            .build()
            .unwrap(),
    )
    .unwrap();
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
            ("a_b", "u"),
        ],
    );
    t.timing_ms("rpc", 1.0, &[("le", "tag")]);
    t.gauge("dup", 1.0, ());
    t.gauge("dup", 2.0, &[("region", "")]);
    t.gauge("dup", 3.0, &[("a.b", "x")]);
    t.gauge("dup", 4.0, &[("a_b", "x")]);
    // 200 from the gateway: the flush succeeds.
    t.flush(Duration::from_secs(20)).unwrap();
    let text = sink().render(&t.snapshot().unwrap());
    // These user-chosen names draw lint findings (a gauge named `x_total`, `_b` read as
    // the abbreviated unit "bytes"): exit 3 = lint only, which is acceptable; exit 1
    // (a parse error) is not.
    let (code, out) = prom::promtool_check(&text);
    eprintln!("promtool check metrics (awkward names): exit {code}\n{out}");
    assert!(
        code == 0 || code == 3,
        "promtool exit {code}: {out}\n{text}"
    );
    // The job came through @base64 intact.
    assert_eq!(prom::gateway_value(&gateway, "a_b_2_total", job), Some(2.0));
    assert_eq!(prom::gateway_value(&gateway, "x_2_total", job), Some(3.0));
    t.shutdown(Duration::from_secs(10)).unwrap();
}
