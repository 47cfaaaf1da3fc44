//! Code instrumented with the `metrics` facade (`counter!`, `gauge!`, `histogram!`) lands
//! in the telemetra pipeline through `integrations::metrics::TelemetraRecorder`: exact
//! counts across threads, gauges' read-modify-writes, histograms as timings in the
//! described unit, and registration of a key seen before allocates nothing.
//!
//! Every test uses `metrics::with_local_recorder`, so none fights over the global one.

#![cfg(feature = "metrics")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::Duration;

use metrics::Unit;
use telemetra::integrations::metrics::TelemetraRecorder;
use telemetra::snapshot::Kind;
use telemetra::{sinks::MemorySink, Config, Telemetry};

struct Counting;

thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts calls per thread.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocs() -> u64 {
    ALLOCS.with(Cell::get)
}

const T: Duration = Duration::from_secs(30);

fn start(sink: &MemorySink) -> Telemetry {
    Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .sink(sink.clone())
            .build()
            .unwrap(),
    )
    .unwrap()
}

/// What a library instrumented with `metrics` (and knowing nothing of telemetra) does.
mod some_library {
    pub(crate) fn handle_request(route: &'static str) {
        metrics::counter!("lib.requests", "route" => route).increment(1);
        metrics::gauge!("lib.inflight").set(3.0);
        metrics::histogram!("lib.latency", "route" => route).record(0.002);
    }
}

#[test]
fn counters_with_labels_are_exact_across_threads() {
    let sink = MemorySink::new();
    let t = start(&sink);
    let recorder = TelemetraRecorder::new(&t);
    let statuses = ["200", "503"];
    std::thread::scope(|s| {
        for status in statuses {
            let recorder = &recorder;
            s.spawn(move || {
                metrics::with_local_recorder(recorder, || {
                    for i in 0..100_000u64 {
                        // Literal labels: a static key.
                        metrics::counter!("http.requests", "route" => "/a", "status" => "200")
                            .increment(1);
                        // Runtime labels, in either order: one series.
                        let route = if i % 2 == 0 { "/b" } else { "/c" };
                        if i % 3 == 0 {
                            metrics::counter!("http.by_route", "status" => status, "route" => route)
                                .increment(2);
                        } else {
                            metrics::counter!("http.by_route", "route" => route, "status" => status)
                                .increment(2);
                        }
                    }
                });
            });
        }
    });
    t.flush(T).unwrap();
    assert_eq!(
        sink.counter("http.requests", &[("route", "/a"), ("status", "200")]),
        Some(200_000.0)
    );
    for status in statuses {
        for route in ["/b", "/c"] {
            assert_eq!(
                sink.counter("http.by_route", &[("route", route), ("status", status)]),
                Some(100_000.0),
                "{route} {status}"
            );
        }
    }
    assert_eq!(t.stats().dropped_handle_limit, 0);
}

#[test]
fn absolute_sets_the_total_and_never_lowers_it() {
    let sink = MemorySink::new();
    let t = start(&sink);
    let recorder = TelemetraRecorder::new(&t);
    metrics::with_local_recorder(&recorder, || {
        let c = metrics::counter!("jobs.seen");
        c.absolute(10);
        c.absolute(25);
        c.absolute(20); // lower: ignored
        metrics::counter!("jobs.seen").absolute(30);
    });
    t.flush(T).unwrap();
    assert_eq!(sink.counter("jobs.seen", &[]), Some(30.0));
    metrics::with_local_recorder(&recorder, || {
        metrics::counter!("jobs.seen").increment(5); // mixed: both add
        metrics::counter!("jobs.seen").absolute(31);
    });
    t.flush(T).unwrap();
    assert_eq!(sink.counter("jobs.seen", &[]), Some(36.0));
}

#[test]
fn gauges_set_increment_and_decrement() {
    let sink = MemorySink::new();
    let t = start(&sink);
    let recorder = TelemetraRecorder::new(&t);
    metrics::with_local_recorder(&recorder, || {
        let g = metrics::gauge!("pool.size", "pool" => "db");
        g.set(10.0);
        g.increment(5.0);
        metrics::gauge!("pool.size", "pool" => "db").decrement(2.5);
        metrics::gauge!("queue.depth").set(f64::NAN); // dropped and counted
    });
    t.flush(T).unwrap();
    assert_eq!(sink.gauge("pool.size", &[("pool", "db")]), Some(12.5));
    assert_eq!(t.stats().dropped_invalid_value, 1);

    // Read-modify-writes from two threads are exact, and the gauge ends at the last value.
    std::thread::scope(|s| {
        for step in [1.0, -0.5] {
            let recorder = &recorder;
            s.spawn(move || {
                metrics::with_local_recorder(recorder, || {
                    for _ in 0..20_000 {
                        metrics::gauge!("pool.size", "pool" => "db").increment(step);
                    }
                });
            });
        }
    });
    t.flush(T).unwrap();
    assert_eq!(
        sink.gauge("pool.size", &[("pool", "db")]),
        Some(12.5 + 10_000.0)
    );
}

#[test]
fn histograms_are_timings_in_seconds_by_default() {
    let sink = MemorySink::new();
    let t = start(&sink);
    let recorder = TelemetraRecorder::new(&t);
    metrics::with_local_recorder(&recorder, || {
        let h = metrics::histogram!("http.latency", "route" => "/a");
        h.record(0.25);
        h.record(0.5);
        metrics::histogram!("http.latency", "route" => "/a").record(Duration::from_millis(250));
        metrics::histogram!("http.latency", "route" => "/a").record(-1.0); // dropped and counted
    });
    t.flush(T).unwrap();
    assert_eq!(
        sink.timing_count("http.latency", &[("route", "/a")]),
        Some(3)
    );
    let snap = sink.last().unwrap();
    let d = snap.timing("http.latency", &[("route", "/a")]).unwrap();
    assert!((d.sum - 1000.0).abs() < 1e-6, "{d:?}");
    assert!((d.max - 500.0).abs() < 1e-6, "{d:?}");
    assert_eq!(t.stats().dropped_invalid_value, 1);
}

#[test]
fn a_described_unit_is_respected_before_or_after_registration() {
    let sink = MemorySink::new();
    let t = start(&sink);
    let recorder = TelemetraRecorder::new(&t);
    metrics::with_local_recorder(&recorder, || {
        metrics::describe_histogram!("db.query", Unit::Milliseconds, "time spent in queries");
        metrics::histogram!("db.query").record(12.0);
        metrics::describe_histogram!("rpc.wire", Unit::Nanoseconds, "time on the wire");
        metrics::histogram!("rpc.wire").record(2_500_000.0);
        // Registered (in seconds) before its unit is described.
        metrics::histogram!("cache.get").record(1.0);
        metrics::describe_histogram!("cache.get", Unit::Microseconds, "cache lookups");
        metrics::histogram!("cache.get").record(500.0);
        // `description:` inline describes on every call: harmless.
        for _ in 0..3 {
            metrics::counter!(description: "jobs done", unit: Unit::Count, "jobs.done")
                .increment(1);
        }
    });
    t.flush(T).unwrap();
    let snap = sink.last().unwrap();
    let sum = |name: &str| snap.timing(name, &[]).unwrap().sum;
    assert!((sum("db.query") - 12.0).abs() < 1e-6);
    assert!((sum("rpc.wire") - 2.5).abs() < 1e-6);
    assert!((sum("cache.get") - 1000.5).abs() < 1e-6);
    assert_eq!(sink.counter("jobs.done", &[]), Some(3.0));

    let d = recorder.description(Kind::Timing, "db.query").unwrap();
    assert_eq!(d.unit, Some(Unit::Milliseconds));
    assert_eq!(&*d.text, "time spent in queries");
    let d = recorder.description(Kind::Counter, "jobs.done").unwrap();
    assert_eq!((d.unit, &*d.text), (Some(Unit::Count), "jobs done"));
    assert!(recorder.description(Kind::Gauge, "jobs.done").is_none());
}

#[test]
fn a_library_using_the_facade_lands_in_the_pipeline() {
    let sink = MemorySink::new();
    let t = start(&sink);
    let recorder = TelemetraRecorder::new(&t);
    metrics::with_local_recorder(&recorder, || {
        for _ in 0..7 {
            some_library::handle_request("/users/:id");
        }
    });
    // Outside the closure the facade is back to its no-op recorder.
    some_library::handle_request("/users/:id");
    t.flush(T).unwrap();
    assert_eq!(
        sink.counter("lib.requests", &[("route", "/users/:id")]),
        Some(7.0)
    );
    assert_eq!(sink.gauge("lib.inflight", &[]), Some(3.0));
    assert_eq!(
        sink.timing_count("lib.latency", &[("route", "/users/:id")]),
        Some(7)
    );
}

#[test]
fn two_recorders_on_one_thread_do_not_mix() {
    let (sink_a, sink_b) = (MemorySink::new(), MemorySink::new());
    let (a, b) = (start(&sink_a), start(&sink_b));
    let (ra, rb) = (TelemetraRecorder::new(&a), TelemetraRecorder::new(&b));
    for i in 0..1_000 {
        let r = if i % 4 == 0 { &rb } else { &ra };
        metrics::with_local_recorder(r, || metrics::counter!("shared.name").increment(1));
    }
    // A recorder made after another was dropped finds none of its handles.
    drop(rb);
    let rc = TelemetraRecorder::new(&b);
    metrics::with_local_recorder(&rc, || metrics::counter!("shared.name").increment(1));
    a.flush(T).unwrap();
    b.flush(T).unwrap();
    assert_eq!(sink_a.counter("shared.name", &[]), Some(750.0));
    assert_eq!(sink_b.counter("shared.name", &[]), Some(251.0));
}

#[test]
fn more_keys_than_a_thread_keeps_are_still_exact() {
    let sink = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .max_series(20_000)
            .max_series_per_metric(10_000)
            .sink(sink.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    let recorder = TelemetraRecorder::new(&t);
    let ids: Vec<String> = (0..6_000).map(|i| format!("k{i}")).collect();
    metrics::with_local_recorder(&recorder, || {
        for _ in 0..3 {
            for id in &ids {
                metrics::counter!("many.keys", "id" => id.clone()).increment(1);
            }
        }
    });
    t.flush(T).unwrap();
    for id in &ids {
        assert_eq!(sink.counter("many.keys", &[("id", id)]), Some(3.0), "{id}");
    }
    assert_eq!(t.stats().dropped_handle_limit, 0);
}

#[test]
fn steady_state_registration_allocates_nothing() {
    let sink = MemorySink::new();
    let t = start(&sink);
    let recorder = TelemetraRecorder::new(&t);
    let routes = ["/a", "/b", "/c"];
    let statuses = ["200", "404"];
    let body = |i: usize| {
        metrics::counter!("http.requests", "route" => "/a", "status" => "200").increment(1);
        metrics::gauge!("http.inflight").set(i as f64);
        metrics::gauge!("http.inflight").increment(1.0);
        metrics::histogram!("http.latency", "route" => "/a").record(0.003);
        // Runtime labels: the macro itself builds a `Vec` of labels, one allocation that
        // is the caller's, counted apart below.
        let (route, status) = (routes[i % routes.len()], statuses[i % statuses.len()]);
        metrics::counter!("http.by_route", "route" => route, "status" => status).increment(1);
    };
    metrics::with_local_recorder(&recorder, || {
        for i in 0..1_000 {
            body(i);
        }
        let n = 10_000;
        let before = allocs();
        for i in 0..n {
            body(i);
        }
        let ours = allocs() - before - n as u64;
        assert_eq!(ours, 0, "allocations on keys this thread has registered");
    });
    t.flush(T).unwrap();
    assert_eq!(
        sink.counter("http.requests", &[("route", "/a"), ("status", "200")]),
        Some(11_000.0)
    );
    assert_eq!(
        sink.timing_count("http.latency", &[("route", "/a")]),
        Some(11_000)
    );
}
