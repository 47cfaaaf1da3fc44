//! Metric families (`counter_vec`, `gauge_vec`, `timing_vec`): tag values borrowed for
//! the call, series told apart by values alone, exact totals from several threads, the
//! same series as plain `incr` calls, no allocation on a series the thread has seen,
//! and a bad name counted, never silent.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod counting_alloc;

use std::time::Duration;

use counting_alloc::allocs;
use telemetra::snapshot::Value;
use telemetra::{sinks::MemorySink, Config, Telemetry};

const T: Duration = Duration::from_secs(30);

fn start(sink: &MemorySink) -> Telemetry {
    Telemetry::start(
        Config::builder()
            .sink(sink.clone())
            .flush_interval(Duration::from_secs(3600))
            .build()
            .unwrap(),
    )
    .unwrap()
}

#[test]
fn families_are_exact_across_threads_and_meet_plain_emissions() {
    let sink = MemorySink::new();
    let t = start(&sink);
    let requests = t.counter_vec("http.requests", ["route", "status"]);
    let depth = t.gauge_vec("queue.depth", ["queue"]);
    let latency = t.timing_vec("http.latency", ["route"]);
    let routes: Vec<String> = (0..20).map(|i| format!("/api/v1/item/{i}")).collect();
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for i in 0..10_000usize {
                    let route = routes[i % routes.len()].as_str();
                    let status = if i % 7 == 0 { "500" } else { "200" };
                    requests.incr([route, status]);
                    latency.record([route], Duration::from_micros(i as u64 % 1000));
                }
            });
        }
    });
    // The same series through the plain API: one series, one total.
    t.incr(
        "http.requests",
        &[("route", "/api/v1/item/0"), ("status", "200")],
    );
    requests.add(["/api/v1/item/0", "200"], 4);
    requests.add_f64(["/api/v1/item/0", "200"], f64::NAN); // dropped, counted
    depth.set(["jobs"], 3.0);
    depth.set(["jobs"], 7.0);
    t.flush(T).unwrap();
    let snap = sink.last().unwrap();
    // Route 0 gets i = 20k (k < 500) per thread; status 500 when 7 divides k: 72.
    assert_eq!(
        snap.counter(
            "http.requests",
            &[("route", "/api/v1/item/0"), ("status", "200")]
        ),
        Some(2.0 * 428.0 + 1.0 + 4.0)
    );
    assert_eq!(
        snap.counter(
            "http.requests",
            &[("route", "/api/v1/item/0"), ("status", "500")]
        ),
        Some(2.0 * 72.0)
    );
    let total: f64 = snap
        .series
        .iter()
        .filter(|s| &*s.name == "http.requests")
        .map(|s| match s.value {
            Value::Counter(v) => v,
            _ => 0.0,
        })
        .sum();
    assert_eq!(total, 20_000.0 + 5.0);
    let timings: u64 = snap
        .series
        .iter()
        .filter(|s| &*s.name == "http.latency")
        .map(|s| match &s.value {
            Value::Timing(d) => d.count,
            _ => 0,
        })
        .sum();
    assert_eq!(timings, 20_000);
    assert_eq!(snap.gauge("queue.depth", &[("queue", "jobs")]), Some(7.0));
    assert_eq!(t.stats().dropped_invalid_value, 1);
    t.shutdown(T).unwrap();
}

#[test]
fn a_family_allocates_nothing_on_a_series_the_thread_has_seen() {
    let sink = MemorySink::new();
    let t = start(&sink);
    let requests = t.counter_vec("http.requests", ["route", "status"]);
    let latency = t.timing_vec("http.latency", ["route"]);
    let tenant = t
        .tagged(vec![("service", "wallet")])
        .gauge_vec("tenant.load", ["tenant"]);
    let routes: Vec<String> = (0..30).map(|i| format!("/r/{i}")).collect();
    let body = |i: usize| {
        let route = routes[i % routes.len()].as_str();
        requests.incr([route, "200"]);
        latency.record_ms([route], 1.5);
        tenant.set([route], i as f64);
    };
    for i in 0..routes.len() {
        body(i);
    }
    let before = allocs();
    for i in 0..30_000 {
        body(i);
    }
    assert_eq!(allocs() - before, 0, "allocations on seen series");
    t.flush(T).unwrap();
    assert_eq!(
        sink.last()
            .unwrap()
            .gauge("tenant.load", &[("service", "wallet"), ("tenant", "/r/29")]),
        Some(29_999.0)
    );
    t.shutdown(T).unwrap();
}

#[test]
fn a_bad_family_name_drops_every_emission_and_counts_it() {
    let sink = MemorySink::new();
    let t = start(&sink);
    let bad = t.counter_vec("", ["k"]);
    bad.incr(["v"]);
    bad.add(["v"], 3);
    t.flush(T).unwrap();
    assert_eq!(t.stats().dropped_invalid_name, 2);
    t.shutdown(T).unwrap();
    // A family of a pipeline that has shut down drops and counts too.
    bad.incr(["v"]);
}
