//! Tags whose values are computed at run time (borrowed `&str`s of any lifetime) take
//! the same path as literals: no allocation on a series the thread has seen, nothing
//! dropped at default settings, exact totals.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use telemetra::{sinks::MemorySink, Config, Tag, Telemetry};

struct Counting;

thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
}

/// Live heap bytes of the whole process.
static LIVE: AtomicI64 = AtomicI64::new(0);

// SAFETY: forwards to the system allocator; only counts calls and bytes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        LIVE.fetch_add(layout.size() as i64, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as i64, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocs() -> u64 {
    ALLOCS.with(Cell::get)
}

/// The memory tests read process-wide live bytes: the tests here run one at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

const T: Duration = Duration::from_secs(30);

fn start(sink: &MemorySink) -> Telemetry {
    Telemetry::start(Config::builder().sink(sink.clone()).build().unwrap()).unwrap()
}

/// `route` is a `String` made at run time: `route.as_str()` borrows it for the call.
/// This compiling is half the point of the test.
#[test]
fn borrowed_runtime_tags_compile_and_allocate_nothing_on_a_seen_series() {
    let _serial = serial();
    let sink = MemorySink::new();
    let t = start(&sink);
    let routes: Vec<String> = (0..50).map(|i| format!("/api/v1/item/{i}")).collect();
    let statuses: Vec<String> = ["200", "404", "503"].map(String::from).to_vec();
    let tagged = t.tagged(vec![("service", "wallet")]);
    let handle = t.timing_handle("handle.latency", &[("op", "spend")]);
    let body = |i: usize| {
        let route = routes[i % routes.len()].as_str();
        let status = &statuses[i % statuses.len()];
        t.incr(
            "http.requests",
            &[("route", route), ("status", status.as_str())],
        );
        t.count("http.bytes", 512, &[("route", route)]);
        t.add("http.cost", 0.25, &[("route", route)]);
        t.gauge("http.inflight", i as f64, &[("route", route)]);
        t.timing(
            "http.latency",
            Duration::from_micros((i % 7) as u64 * 100 + 50),
            &[("route", route), ("status", status.as_str())],
        );
        // `(&str, String)` pairs and `Tag`s borrow just the same.
        let pairs = [("status", status.clone())];
        t.incr("http.by_status", &pairs);
        tagged.incr("wallet.calls", &[("route", route)]);
        let tags = [("route", route)];
        let timer = t.timer("http.handler", &tags);
        drop(timer);
        handle.record(Duration::from_micros(3));
        drop(pairs);
    };
    // Warm up: every series gets its cell on this thread.
    for i in 0..3_000 {
        body(i);
    }
    t.flush(T).unwrap();
    let mut measured = 0;
    let before = allocs();
    for i in 0..300 {
        // `pairs` clones a String per call: count the caller's own allocations apart.
        measured += 1;
        body(i);
    }
    let ours = allocs() - before - measured;
    assert_eq!(ours, 0, "allocations on seen series with runtime tags");
    t.flush(T).unwrap();
    let n = 3_300.0;
    let per_route = n / 50.0;
    assert_eq!(
        sink.counter("http.bytes", &[("route", "/api/v1/item/7")]),
        Some(per_route * 512.0)
    );
    assert_eq!(
        sink.counter("http.cost", &[("route", "/api/v1/item/7")]),
        Some(per_route * 0.25)
    );
    assert_eq!(
        sink.counter(
            "wallet.calls",
            &[("service", "wallet"), ("route", "/api/v1/item/7")]
        ),
        Some(per_route)
    );
    assert_eq!(
        sink.timing_count("handle.latency", &[("op", "spend")]),
        Some(3_300)
    );
    let by_status: u64 = ["200", "404", "503"]
        .iter()
        .map(|s| sink.counter("http.by_status", &[("status", s)]).unwrap() as u64)
        .sum();
    assert_eq!(by_status, 3_300);
    let timings: u64 = (0..50)
        .flat_map(|r| ["200", "404", "503"].map(move |s| (r, s)))
        .filter_map(|(r, s)| {
            let route = format!("/api/v1/item/{r}");
            sink.timing_count("http.latency", &[("route", &route), ("status", s)])
        })
        .sum();
    assert_eq!(timings, 3_300);
    let stats = t.stats();
    assert_eq!(stats.dropped(), 0, "{stats:?}");
    t.shutdown(T).unwrap();
}

/// 10 M emissions in a tight loop (counters, timings and gauges with runtime tags at
/// cardinality 1,000) on one and on two threads: nothing dropped, totals exact.
#[test]
fn ten_million_runtime_emissions_drop_nothing_on_one_and_two_threads() {
    let _serial = serial();
    for threads in [1usize, 2] {
        let sink = MemorySink::new();
        let t = start(&sink);
        let per_thread = 10_000_000 / threads;
        let routes: Vec<String> = (0..1_000).map(|i| format!("/r/{i}")).collect();
        std::thread::scope(|s| {
            for _ in 0..threads {
                let (t, routes) = (t.clone(), &routes);
                s.spawn(move || {
                    for i in 0..per_thread {
                        let route = routes[i % 1_000].as_str();
                        match i % 4 {
                            0 | 1 => t.incr("rt.count", &[("route", route), ("m", "GET")]),
                            2 => t.timing(
                                "rt.latency",
                                Duration::from_nanos(i as u64 % 5_000),
                                &[("route", route), ("m", "GET")],
                            ),
                            _ => t.gauge("rt.depth", (i % 10) as f64, &[("route", route)]),
                        }
                    }
                });
            }
        });
        t.flush(T).unwrap();
        let stats = t.stats();
        assert_eq!(stats.dropped(), 0, "{threads} threads: {stats:?}");
        let snap = sink.last().unwrap();
        let (mut counts, mut timings) = (0.0, 0u64);
        for s in &snap.series {
            match (&*s.name, &s.value) {
                ("rt.count", telemetra::snapshot::Value::Counter(v)) => counts += v,
                ("rt.latency", telemetra::snapshot::Value::Timing(d)) => timings += d.count,
                _ => {}
            }
        }
        let total = (per_thread * threads) as u64;
        assert_eq!(counts as u64, total / 2, "{threads} threads");
        assert_eq!(timings, total / 4, "{threads} threads");
        // Every emission is accounted for: the gauges are the rest.
        assert_eq!(stats.emitted, total, "{threads} threads: {stats:?}");
        t.shutdown(T).unwrap();
    }
}

/// 64 threads record timings on one series for up to 5 s: exact count, nothing dropped.
#[test]
fn sixty_four_threads_timing_one_series_drop_nothing() {
    let _serial = serial();
    let sink = MemorySink::new();
    let t = start(&sink);
    let deadline = Instant::now() + Duration::from_secs(5);
    let op = String::from("checkout");
    let total: u64 = std::thread::scope(|s| {
        let hs: Vec<_> = (0..64)
            .map(|k| {
                let (t, op) = (t.clone(), op.as_str());
                s.spawn(move || {
                    let mut n = 0u64;
                    // Bounded in count and in time.
                    while n < 2_000_000 && (!n.is_multiple_of(1024) || Instant::now() < deadline) {
                        t.timing(
                            "op.latency",
                            Duration::from_nanos(k * 1_000 + n % 997),
                            &[("op", op)],
                        );
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).sum()
    });
    t.flush(T).unwrap();
    let stats = t.stats();
    assert_eq!(stats.dropped(), 0, "{stats:?}");
    let d = sink
        .last()
        .unwrap()
        .timing("op.latency", &[("op", "checkout")])
        .cloned()
        .unwrap();
    assert_eq!(d.count, total);
    assert_eq!(stats.emitted, total);
    assert_eq!(d.min, 0.0);
    assert_eq!(d.max, (63_000.0 + 996.0) / 1e6);
    t.shutdown(T).unwrap();
}

/// The last gauge value set before a flush is the one exported, every time.
#[test]
fn the_last_gauge_value_set_before_a_flush_wins() {
    let _serial = serial();
    let sink = MemorySink::new();
    let t = start(&sink);
    let key = String::from("eu-west-1");
    for trial in 0..40 {
        for v in 0..40_000 {
            t.gauge("depth", f64::from(v), &[("region", key.as_str())]);
        }
        let last = -f64::from(trial) - 999.0;
        t.gauge("depth", last, &[("region", key.as_str())]);
        t.flush(T).unwrap();
        assert_eq!(sink.gauge("depth", &[("region", "eu-west-1")]), Some(last));
    }
    t.gauge("depth", -1.5, &[("region", key.as_str())]);
    t.shutdown(T).unwrap();
    assert_eq!(sink.gauge("depth", &[("region", "eu-west-1")]), Some(-1.5));
}

/// Timings keep nanoseconds: sub-microsecond values stay apart.
#[test]
fn sub_microsecond_timings_are_resolved() {
    let _serial = serial();
    let sink = MemorySink::new();
    let t = start(&sink);
    for ns in [100u64, 200, 200, 300] {
        t.timing("fast", Duration::from_nanos(ns), ());
    }
    t.flush(T).unwrap();
    let snap = sink.last().unwrap();
    let d = snap.timing("fast", &[]).unwrap();
    assert_eq!((d.count, d.min, d.max), (4, 0.0001, 0.0003));
    assert!((d.sum - 0.0008).abs() < 1e-12, "{}", d.sum);
    assert_eq!(d.quantile(0.5), 0.0002);
    assert_eq!(d.count_le(0.00015), 1);
}

/// Whole increments are exact to `u64::MAX`; past it the total saturates and the
/// overflow is counted. Handle increments count as emissions.
#[test]
fn counters_are_exact_to_u64_and_count_their_overflow() {
    let _serial = serial();
    let sink = MemorySink::new();
    let t = start(&sink);
    let h = t.counter("big.handle", ());
    for c in [u64::MAX / 2, u64::MAX / 2, 1] {
        h.add(c);
        t.count("big.plain", c, &[("k", "v")]);
    }
    t.flush(T).unwrap();
    let st = t.stats();
    assert_eq!(st.counter_overflow, 0, "{st:?}");
    assert_eq!(
        st.emitted, 6,
        "handle increments count as emissions: {st:?}"
    );
    assert_eq!(sink.counter("big.handle", &[]), Some(u64::MAX as f64));
    assert_eq!(
        sink.counter("big.plain", &[("k", "v")]),
        Some(u64::MAX as f64)
    );
    h.add(2);
    t.count("big.plain", 2, &[("k", "v")]);
    t.flush(T).unwrap();
    let st = t.stats();
    assert_eq!(st.counter_overflow, 2, "{st:?}");
    assert_eq!(st.emitted, 8);
    assert_eq!(st.dropped(), 0);
    assert_eq!(sink.counter("big.handle", &[]), Some(u64::MAX as f64));
    t.shutdown(T).unwrap();
}

/// A million handles: the same series shares one cell, distinct ones stop at the cap
/// (`max_series`) and drop their increments, counted. Memory stays bounded.
#[test]
fn a_million_handles_stay_bounded() {
    let _serial = serial();
    let sink = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .max_series(10_000)
            .sink(sink.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    let base = LIVE.load(Ordering::Relaxed);
    for _ in 0..1_000_000 {
        t.counter("same", &[("k", "v")]).incr();
    }
    let same = LIVE.load(Ordering::Relaxed) - base;
    assert!(same < 1 << 20, "1M handles on one series kept {same} bytes");
    let mut ids = String::new();
    for i in 0..1_000_000u32 {
        ids.clear();
        ids.push_str(&i.to_string());
        t.counter("distinct", &[("id", ids.as_str())]).incr();
    }
    let grown = LIVE.load(Ordering::Relaxed) - base;
    // 10,000 cells of under 1 KiB plus their index: well under 64 MiB.
    assert!(grown < 64 << 20, "1M distinct handles kept {grown} bytes");
    t.flush(T).unwrap();
    let st = t.stats();
    assert_eq!(sink.counter("same", &[("k", "v")]), Some(1_000_000.0));
    assert_eq!(st.dropped_handle_limit, 1_000_000 - 9_999, "{st:?}");
    assert_eq!(st.emitted + st.dropped(), 2_000_000, "{st:?}");
    assert_eq!(
        sink.counter("distinct", &[("id", "42")]),
        Some(1.0),
        "handles within the cap work"
    );
    t.shutdown(T).unwrap();
}

/// 10 kB tag keys are cut to `max_tag_key_len` and counted; memory stays bounded.
#[test]
fn huge_tag_keys_are_truncated_and_counted() {
    let _serial = serial();
    let sink = MemorySink::new();
    let t = start(&sink);
    let base = LIVE.load(Ordering::Relaxed);
    let keys: Vec<String> = (0..32)
        .map(|k| format!("{k:02}{}", "k".repeat(10_000)))
        .collect();
    for series in 0..1_000 {
        let value = series.to_string();
        let tags: Vec<Tag> = keys
            .iter()
            .map(|k| Tag::new(k.clone(), value.clone()))
            .collect();
        t.incr("wide", &tags);
    }
    t.flush(T).unwrap();
    let grown = LIVE.load(Ordering::Relaxed) - base;
    // 1,000 series × 32 tags: ~400-byte keys on the thread, 200-byte keys in the
    // series. Untruncated it would be 640 MB.
    assert!(grown < 96 << 20, "kept {grown} bytes");
    let snap = sink.last().unwrap();
    let s = snap.series.iter().find(|s| &*s.name == "wide").unwrap();
    assert_eq!(s.tags.len(), 32);
    assert!(
        s.tags.iter().all(|t| t.key.len() == 200),
        "{:?}",
        s.tags[0].key.len()
    );
    assert_eq!(
        sink.counter("telemetra.tags.sanitized", &[("reason", "key_truncated")]),
        Some(32_000.0)
    );
    t.shutdown(T).unwrap();
}

/// One call site, one tag array on the stack and one `String` buffer rewritten in
/// place: every call has the same addresses and only the bytes differ. The emit path
/// guesses a call site's series from those addresses, so this is where a guess taken on
/// trust would put counts in the wrong series. Lengths cover the short (≤ 16 bytes),
/// medium (≤ 32) and long comparisons, and values differ only in their last byte.
#[test]
fn a_reused_buffer_with_new_bytes_is_a_new_series() {
    use std::fmt::Write;
    let _serial = serial();
    let sink = MemorySink::new();
    let t = start(&sink);
    let prefixes = [
        "",
        "tenant-0000000000-",
        "tenant-with-a-rather-long-name-000000-",
    ];
    let mut buf = String::new();
    let mut expected = std::collections::BTreeMap::new();
    for round in 0..200u64 {
        for (p, prefix) in prefixes.iter().enumerate() {
            // Runs of the same value, then a change: the guess is right, then wrong.
            let v = (round / 3 + p as u64) % 7;
            buf.clear();
            write!(buf, "{prefix}{v}").unwrap();
            let same_addr = buf.as_ptr();
            t.incr("reused.buffer", &[("tenant", buf.as_str())]);
            assert_eq!(same_addr, buf.as_ptr(), "the buffer never moves");
            *expected.entry(buf.clone()).or_insert(0u64) += 1;
        }
    }
    t.flush(T).unwrap();
    for (tenant, n) in &expected {
        assert_eq!(
            sink.counter("reused.buffer", &[("tenant", tenant.as_str())]),
            Some(*n as f64),
            "{tenant}"
        );
    }
    assert_eq!(expected.values().sum::<u64>(), 600);
    t.shutdown(T).unwrap();
}

/// Series that differ only where a fast comparison could blur them: where one string
/// ends and the next begins, one byte at each length up to and past 32 (where a series
/// stops fitting the thread's inline key), the fifth tag (past the key's four), a
/// value longer than the stored cut, the kind, and pre-bound tags. Each is emitted
/// many times in an interleaved order, from runtime `String`s; every total is exact.
#[test]
fn look_alike_series_stay_apart() {
    let _serial = serial();
    let sink = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .sink(sink.clone())
            .max_tag_value_len(40)
            .build()
            .unwrap(),
    )
    .unwrap();
    let base: String = (0..36u8).map(|i| char::from(b'a' + i % 26)).collect();
    // (name, tags) pairs, all distinct as series.
    let mut series: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let kv = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    series.push(("split".into(), vec![kv("ab", "c")]));
    series.push(("split".into(), vec![kv("a", "bc")]));
    series.push(("split".into(), vec![kv("abc", "")]));
    series.push(("splitab".into(), vec![kv("c", "")]));
    for n in 0..=base.len() {
        let v = &base[..n];
        series.push(("len".into(), vec![kv("v", v)]));
        if n > 0 {
            // The same length, the last byte changed.
            let mut w = v.as_bytes().to_vec();
            *w.last_mut().unwrap() = b'Z';
            series.push((
                "len".into(),
                vec![kv("v", std::str::from_utf8(&w).unwrap())],
            ));
        }
    }
    let five: Vec<_> = (0..5).map(|i| kv(&format!("k{i}"), "v")).collect();
    let mut five_other = five.clone();
    five_other[4].1 = "w".into();
    series.push(("five".into(), five));
    series.push(("five".into(), five_other));
    // Longer than the 40-byte cut: stored (and matched) as its first 40 bytes.
    let long = format!("{base}{base}");
    series.push(("cut".into(), vec![kv("v", &long[..40])]));
    let tagged = t.tagged(vec![("service", "wallet")]);
    let rounds = 300u64;
    for r in 0..rounds {
        for (name, tags) in &series {
            let tags: Vec<(&str, &str)> =
                tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            t.incr(name, &tags[..]);
            t.gauge(name, r as f64, &tags[..]);
            tagged.count(name, 2, &tags[..]);
        }
        // A longer value cut to the same 40 bytes is the same series.
        t.incr("cut", &[("v", &long[..50])]);
    }
    t.flush(T).unwrap();
    for (name, tags) in &series {
        let tags: Vec<(&str, &str)> = tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let want = if name == "cut" { 2 * rounds } else { rounds };
        assert_eq!(
            sink.counter(name, &tags),
            Some(want as f64),
            "{name} {tags:?}"
        );
        assert_eq!(
            sink.gauge(name, &tags),
            Some((rounds - 1) as f64),
            "{name} {tags:?}"
        );
        let mut with_service = tags.clone();
        with_service.push(("service", "wallet"));
        assert_eq!(
            sink.counter(name, &with_service),
            Some(2.0 * rounds as f64),
            "{name} {with_service:?}"
        );
    }
    let stats = t.stats();
    assert_eq!(stats.dropped_queue_full, 0);
    t.shutdown(T).unwrap();
}

/// With a value cut shorter than the 32 bytes the emit path compares by fingerprint:
/// values that differ only past the cut are one series whichever the call site sent
/// last, and a value that differs before the cut is another.
#[test]
fn values_cut_short_meet_in_one_series() {
    let _serial = serial();
    let sink = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .sink(sink.clone())
            .max_tag_value_len(8)
            .build()
            .unwrap(),
    )
    .unwrap();
    let values: Vec<String> = ["abcdefgh-1", "abcdefgh-22", "abcdefgh", "abcdefgX-1"]
        .iter()
        .map(|v| (*v).to_owned())
        .collect();
    let rounds = 100u64;
    for _ in 0..rounds {
        for v in &values {
            t.incr("cut.short", &[("k", v.as_str())]);
        }
    }
    t.flush(T).unwrap();
    assert_eq!(
        sink.counter("cut.short", &[("k", "abcdefgh")]),
        Some(3.0 * rounds as f64)
    );
    assert_eq!(
        sink.counter("cut.short", &[("k", "abcdefgX")]),
        Some(rounds as f64)
    );
    t.shutdown(T).unwrap();
}

/// One thread emitting to 8,000 distinct series (eight metrics of 1,000 routes, within
/// the default limits) in a tight loop: every series lives in a cell of the thread's
/// own, so nothing is queued, nothing dropped, every total exact.
#[test]
fn eight_thousand_series_on_one_thread_drop_nothing() {
    let _serial = serial();
    let sink = MemorySink::new();
    let t = start(&sink);
    let names: Vec<String> = (0..8).map(|i| format!("api.requests.{i}")).collect();
    let routes: Vec<String> = (0..1000).map(|i| format!("/api/v1/item/{i}")).collect();
    let rounds = 250u64;
    for _ in 0..rounds {
        for name in &names {
            for route in &routes {
                t.incr(name, &[("route", route.as_str())]);
            }
        }
    }
    t.flush(T).unwrap();
    let stats = t.stats();
    assert_eq!(stats.dropped_queue_full, 0, "{stats:?}");
    assert_eq!(stats.cardinality_overflow, 0, "{stats:?}");
    for name in &names {
        for route in routes.iter().step_by(97) {
            assert_eq!(
                sink.counter(name, &[("route", route.as_str())]),
                Some(rounds as f64),
                "{name} {route}"
            );
        }
    }
    t.shutdown(T).unwrap();
}
