//! The Prometheus pull side: a scrape reads what was emitted a moment ago (no flush),
//! in text 0.0.4 or OpenMetrics 1.0 by the `Accept` header, with exact `le` buckets,
//! and leaves delta sinks' totals alone; a real Prometheus scraping the built-in
//! listener stores the exact totals.
#![cfg(feature = "prometheus")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::time::Duration;

use telemetra::sinks::prometheus::{exact_bounds, scrape, RenderOptions, ScrapeFormat};
use telemetra::sinks::MemorySink;
use telemetra::{Config, Telemetry};

const T: Duration = Duration::from_secs(10);

/// The pipeline publishes once an hour: whatever a scrape shows, it read live.
fn start(options: &RenderOptions, sink: MemorySink) -> Telemetry {
    Telemetry::start(
        Config::builder()
            .sink(sink)
            .flush_interval(Duration::from_secs(3600))
            .exact_timing_bounds(exact_bounds(options))
            .build()
            .unwrap(),
    )
    .unwrap()
}

/// 1,000 counts from two threads, one gauge, and timings on, just above and below
/// the 250 ms bound.
fn emit(t: &Telemetry) {
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for i in 0..500 {
                    let route = format!("/pay/{}", i % 2);
                    t.incr("http.requests", &[("route", route.as_str())]);
                }
            });
        }
    });
    t.gauge("queue.depth", 7.5, ());
    for ns in [250_000_000u64, 250_000_000, 250_000_001, 249_999_999] {
        t.timing("db.query", Duration::from_nanos(ns), ());
    }
}

fn line<'a>(body: &'a str, prefix: &str) -> &'a str {
    body.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line {prefix:?} in\n{body}"))
}

#[test]
fn a_scrape_reads_the_live_aggregate_in_the_negotiated_format() {
    let options = RenderOptions::default();
    let t = start(&options, MemorySink::new());
    emit(&t);
    let text = scrape(&t, &options, None, T).unwrap();
    assert_eq!(text.format, ScrapeFormat::Text);
    assert_eq!(
        text.content_type(),
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let body = &text.body;
    assert_eq!(
        line(body, "http_requests_total{route=\"/pay/0\"}"),
        "http_requests_total{route=\"/pay/0\"} 500"
    );
    assert_eq!(
        line(body, "http_requests_total{route=\"/pay/1\"}"),
        "http_requests_total{route=\"/pay/1\"} 500"
    );
    assert!(
        body.contains("# TYPE http_requests_total counter\n"),
        "{body}"
    );
    assert_eq!(line(body, "queue_depth "), "queue_depth 7.5");
    // `value <= le`, exactly: 249.999999 and two of 250 ms, not 250.000001.
    assert_eq!(
        line(body, "db_query_seconds_bucket{le=\"0.25\"}"),
        "db_query_seconds_bucket{le=\"0.25\"} 3"
    );
    assert_eq!(
        line(body, "db_query_seconds_bucket{le=\"0.3\"}"),
        "db_query_seconds_bucket{le=\"0.3\"} 4"
    );
    assert_eq!(
        line(body, "db_query_seconds_count"),
        "db_query_seconds_count 4"
    );
    assert!(!body.contains("# EOF"));

    let om = scrape(
        &t,
        &options,
        // What Prometheus 2.42 sends.
        Some("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
        T,
    )
    .unwrap();
    assert_eq!(om.format, ScrapeFormat::OpenMetrics);
    assert_eq!(
        om.content_type(),
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    );
    let body = &om.body;
    assert!(body.ends_with("# EOF\n"), "{body}");
    // The family has no `_total`; its samples do.
    assert!(body.contains("# TYPE http_requests counter\n"), "{body}");
    assert!(body.contains("# HELP http_requests "), "{body}");
    assert_eq!(
        line(body, "http_requests_total{route=\"/pay/0\"}"),
        "http_requests_total{route=\"/pay/0\"} 500"
    );
    assert!(
        body.contains("# TYPE db_query_seconds histogram\n"),
        "{body}"
    );

    // Still live: more emissions show at the next scrape, with no flush between.
    t.incr("http.requests", &[("route", "/pay/0")]);
    let again = scrape(&t, &options, None, T).unwrap();
    assert_eq!(
        line(&again.body, "http_requests_total{route=\"/pay/0\"}"),
        "http_requests_total{route=\"/pay/0\"} 501"
    );
    match support::prom::missing(&[support::prom::PROMTOOL]) {
        Some(reason) => support::skip::skipped(&format!("promtool check: {reason}")),
        None => {
            let (code, out) = support::prom::promtool_check(&again.body);
            assert_eq!(code, 0, "promtool: {out}\n{}", again.body);
        }
    }
    t.shutdown(T).unwrap();
}

/// Counters and timings recorded inside a sampled span keep it as an exemplar, shown
/// in OpenMetrics only, on the `_total` line and on the bucket that holds the value;
/// emissions outside spans and inside unsampled ones leave no exemplar.
#[test]
fn exemplars_link_series_to_the_sampled_span() {
    use telemetra::trace::Tracer;
    let options = RenderOptions::default();
    let t = start(&options, MemorySink::new());
    let tracer = Tracer::builder().build().unwrap();
    let span = tracer.root_span("checkout");
    let (trace, id) = (span.context().trace_id, span.context().span_id);
    assert!(span.context().sampled);
    {
        let _in = span.enter();
        t.count("orders", 3, ());
        t.timing("orders.latency", Duration::from_millis(42), ());
    }
    // Outside the span: counted, but the exemplar stays the span's.
    t.incr("orders", ());
    t.incr("plain", ());
    let unsampled = Tracer::builder().sample_rate(0.0).build().unwrap();
    let quiet = unsampled.root_span("quiet");
    assert!(!quiet.context().sampled);
    {
        let _in = quiet.enter();
        t.incr("quiet", ());
    }
    let om = scrape(&t, &options, Some("application/openmetrics-text"), T).unwrap();
    let body = &om.body;
    let ex = format!("# {{trace_id=\"{trace}\",span_id=\"{id}\"}}");
    let orders = line(body, "orders_total ");
    assert!(
        orders.starts_with(&format!("orders_total 4 {ex} 3 ")),
        "{orders}"
    );
    let bucket = line(body, "orders_latency_seconds_bucket{le=\"0.05\"}");
    assert!(
        bucket.starts_with(&format!(
            "orders_latency_seconds_bucket{{le=\"0.05\"}} 1 {ex} 0.042 "
        )),
        "{bucket}"
    );
    assert!(!line(body, "orders_latency_seconds_bucket{le=\"0.025\"}").contains('#'));
    assert!(!line(body, "orders_latency_seconds_bucket{le=\"0.1\"}").contains('#'));
    assert_eq!(line(body, "plain_total "), "plain_total 1");
    assert_eq!(line(body, "quiet_total "), "quiet_total 1");
    // The timestamp is seconds since the epoch, within the last minute.
    let ts: f64 = orders.rsplit(' ').next().unwrap().parse().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!((now - ts).abs() < 60.0, "{ts} vs {now}");
    // Text 0.0.4 has no exemplars.
    let text = scrape(&t, &options, None, T).unwrap();
    assert!(text
        .body
        .lines()
        .all(|l| l.starts_with('#') || !l.contains('#')));
    match support::prom::missing(&[support::prom::PROMTOOL]) {
        Some(reason) => support::skip::skipped(&format!("promtool check: {reason}")),
        None => {
            let (code, out) = support::prom::promtool_check(&text.body);
            assert_eq!(code, 0, "promtool: {out}");
        }
    }
    t.shutdown(T).unwrap();
}

#[test]
fn accept_headers_pick_the_format() {
    use ScrapeFormat::{OpenMetrics as Om, Text};
    let cases: &[(Option<&str>, ScrapeFormat)] = &[
        (None, Text),
        (Some(""), Text),
        (Some("*/*"), Text),
        (Some("text/plain;version=0.0.4"), Text),
        (Some("application/openmetrics-text"), Om),
        (Some("application/openmetrics-text; version=1.0.0"), Om),
        (Some("Application/OpenMetrics-Text;Version=1.0.0"), Om),
        // A version we do not speak.
        (Some("application/openmetrics-text;version=2.0.0"), Text),
        // Text preferred by quality.
        (
            Some("application/openmetrics-text;q=0.2,text/plain;q=0.9"),
            Text,
        ),
        (Some("application/openmetrics-text;q=0"), Text),
        (Some("text/plain;q=0.5,application/openmetrics-text"), Om),
        (Some("garbage;;;=,"), Text),
    ];
    for (accept, want) in cases {
        assert_eq!(ScrapeFormat::negotiate(*accept), *want, "{accept:?}");
    }
}

#[test]
fn scrapes_leave_delta_sinks_exact() {
    let options = RenderOptions::default();
    let sink = MemorySink::new();
    let t = start(&options, sink.clone());
    for round in 0..3 {
        for _ in 0..100 {
            t.incr("orders", ());
            t.timing("orders.latency", Duration::from_millis(5 + round), ());
        }
        // Several scrapes between flushes close intervals no sink sees.
        for _ in 0..=round {
            scrape(&t, &options, None, T).unwrap();
        }
        t.flush(T).unwrap();
    }
    t.incr("orders", ());
    scrape(&t, &options, None, T).unwrap();
    t.shutdown(T).unwrap();
    assert_eq!(sink.counter("orders", &[]), Some(301.0));
    assert_eq!(sink.counter_delta_sum("orders", &[]), 301.0);
    assert_eq!(sink.timing_delta_count("orders.latency", &[]), 300);
}

#[test]
fn a_scrape_after_shutdown_says_so() {
    let options = RenderOptions::default();
    let t = start(&options, MemorySink::new());
    t.shutdown(T).unwrap();
    let err = scrape(&t, &options, None, T).unwrap_err();
    assert!(matches!(err, telemetra::Error::NotRunning), "{err}");
}

#[test]
#[cfg(feature = "scrape-server")]
fn a_real_prometheus_scrapes_exact_totals_from_the_built_in_listener() {
    use support::prom;
    use telemetra::sinks::prometheus::ScrapeServer;
    let options = RenderOptions::default();
    let t = start(&options, MemorySink::new());
    let server = ScrapeServer::start(&t, "127.0.0.1:0", options.clone()).unwrap();
    let base = format!("http://{}", server.local_addr());
    emit(&t);

    // The listener itself, byte-level.
    let client = reqwest::blocking::Client::new();
    let r = client
        .get(format!("{base}/metrics"))
        .header("accept", "application/openmetrics-text; version=1.0.0")
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    );
    let body = r.text().unwrap();
    assert!(
        body.contains("http_requests_total{route=\"/pay/1\"} 500"),
        "{body}"
    );
    assert!(body.ends_with("# EOF\n"));
    let plain = client.get(format!("{base}/metrics?x=1")).send().unwrap();
    assert_eq!(
        plain.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    assert_eq!(
        client.get(format!("{base}/other")).send().unwrap().status(),
        404
    );
    assert_eq!(
        client
            .post(format!("{base}/metrics"))
            .send()
            .unwrap()
            .status(),
        405
    );

    if let Some(reason) = prom::missing(&[prom::PROMETHEUS]) {
        support::skip::skipped(&reason);
        return;
    }
    let prometheus = prom::prometheus_with(
        &server.local_addr().to_string(),
        &["--enable-feature=exemplar-storage"],
    );
    // A sampled span's counts and timings become exemplars Prometheus stores.
    let tracer = telemetra::trace::Tracer::builder().build().unwrap();
    let span = tracer.root_span("checkout");
    let trace = span.context().trace_id.to_string();
    {
        let _in = span.enter();
        t.incr("traced.orders", ());
        t.timing("traced.latency", Duration::from_millis(30), ());
    }
    for route in ["/pay/0", "/pay/1"] {
        let got = prom::query_until(
            &prometheus,
            &format!("http_requests_total{{route=\"{route}\"}}"),
            Duration::from_secs(45),
            |v| v == 500.0,
        );
        assert_eq!(got, Some(500.0), "{route}");
    }
    let le = prom::query(&prometheus, "db_query_seconds_bucket{le=\"0.25\"}");
    assert_eq!(le, Some(3.0));
    assert_eq!(prom::query(&prometheus, "queue_depth"), Some(7.5));
    // Emissions after the first scrapes arrive at a later one: live, not flushed.
    for _ in 0..250 {
        t.incr("http.requests", &[("route", "/pay/0")]);
    }
    let got = prom::query_until(
        &prometheus,
        "http_requests_total{route=\"/pay/0\"}",
        Duration::from_secs(45),
        |v| v == 750.0,
    );
    assert_eq!(got, Some(750.0));
    for q in ["traced_orders_total", "traced_latency_seconds_bucket"] {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        let mut ids = Vec::new();
        while std::time::Instant::now() < deadline {
            ids = prom::exemplar_trace_ids(&prometheus, q);
            if !ids.is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        assert!(!ids.is_empty(), "no exemplar for {q}");
        assert!(ids.iter().all(|id| *id == trace), "{q}: {ids:?} vs {trace}");
    }
    server.stop();
    t.shutdown(T).unwrap();
}
