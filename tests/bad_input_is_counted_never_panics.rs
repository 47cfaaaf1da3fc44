//! Bad names, values and tags get their documented outcome: sanitised, or dropped and
//! counted. Nothing panics.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use telemetra::{sinks::MemorySink, Config, Tag, Telemetry};

fn start(sink: &MemorySink) -> Telemetry {
    Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .max_name_len(32)
            .max_tag_value_len(8)
            .max_tags(3)
            .max_series_per_metric(5)
            .sink(sink.clone())
            .build()
            .unwrap(),
    )
    .unwrap()
}

#[test]
fn invalid_names_and_values_are_dropped_and_counted() {
    let sink = MemorySink::new();
    let t = start(&sink);
    t.incr("", ());
    t.incr("x".repeat(33), ());
    t.add("cost", f64::NAN, ());
    t.add("cost", -1.0, ());
    t.gauge("g", f64::INFINITY, ());
    t.timing_ms("lat", -5.0, ());
    t.timing_ms("lat", f64::NAN, ());
    t.counter("", ()).incr();
    t.gauge_handle("ok_gauge", ()).set(f64::NAN);
    t.incr("fine", ());
    t.flush(Duration::from_secs(5)).unwrap();
    let s = t.stats();
    assert_eq!(s.dropped_invalid_name, 3, "{s:?}");
    assert_eq!(s.dropped_invalid_value, 6, "{s:?}");
    assert_eq!(s.emitted, 1);
    t.flush(Duration::from_secs(5)).unwrap();
    assert_eq!(
        sink.counter("telemetra.dropped", &[("reason", "invalid_name")]),
        Some(3.0)
    );
    assert_eq!(
        sink.counter("telemetra.dropped", &[("reason", "invalid_value")]),
        Some(6.0)
    );
}

#[test]
fn tags_are_sanitised_and_counted() {
    let sink = MemorySink::new();
    let t = start(&sink);
    t.incr(
        "m",
        vec![
            Tag::new("", "x"),
            Tag::new("k", "first"),
            Tag::new("k", "second"),
            Tag::new("long", "0123456789abc"),
            Tag::new("z1", "1"),
            Tag::new("z2", "2"),
        ],
    );
    t.flush(Duration::from_secs(5)).unwrap();
    // Empty key removed, last `k` wins, value cut to 8 bytes, only 3 tags kept
    // (in key order: k, long, z1).
    assert_eq!(
        sink.counter("m", &[("k", "second"), ("long", "01234567"), ("z1", "1")]),
        Some(1.0)
    );
    t.flush(Duration::from_secs(5)).unwrap();
    for (reason, n) in [
        ("empty_key", 1.0),
        ("value_truncated", 1.0),
        ("too_many", 1.0),
    ] {
        assert_eq!(
            sink.counter("telemetra.tags.sanitized", &[("reason", reason)]),
            Some(n),
            "{reason}"
        );
    }
}

#[test]
fn cardinality_overflow_keeps_the_counts() {
    let sink = MemorySink::new();
    let t = start(&sink);
    for user in 0..10u64 {
        t.incr("per_user", vec![("user", user.to_string())]);
    }
    t.flush(Duration::from_secs(5)).unwrap();
    let snap = sink.last().unwrap();
    let total: f64 = snap
        .series
        .iter()
        .filter(|s| &*s.name == "per_user")
        .map(|s| match s.value {
            telemetra::snapshot::Value::Counter(v) => v,
            _ => 0.0,
        })
        .sum();
    assert_eq!(total, 10.0, "no increment lost to the cap");
    assert_eq!(
        sink.counter("per_user", &[("telemetra_overflow", "true")]),
        Some(5.0)
    );
    assert_eq!(t.stats().cardinality_overflow, 5);
}

#[test]
fn tagged_emitters_merge_and_call_tags_win() {
    let sink = MemorySink::new();
    let t = start(&sink);
    let wallet = t.tagged(vec![("service", "wallet"), ("region", "eu")]);
    let us = wallet.tagged(vec![("region", "us")]);
    wallet.incr("spend", ());
    wallet.incr("spend", &[("region", "apac")]);
    us.incr("spend", ());
    us.count("spend", 2, vec![("tier".to_owned(), "gold".to_owned())]);
    let _ = wallet.time_result("op", (), || Err::<(), _>("boom"));
    let _ = wallet.time_result("op", (), || Ok::<_, ()>(()));
    t.flush(Duration::from_secs(5)).unwrap();
    assert_eq!(
        sink.counter("spend", &[("service", "wallet"), ("region", "eu")]),
        Some(1.0)
    );
    assert_eq!(
        sink.counter("spend", &[("service", "wallet"), ("region", "apac")]),
        Some(1.0)
    );
    assert_eq!(
        sink.counter("spend", &[("service", "wallet"), ("region", "us")]),
        Some(1.0)
    );
    assert_eq!(
        sink.counter(
            "spend",
            &[("service", "wallet"), ("region", "us"), ("tier", "gold")]
        ),
        Some(2.0)
    );
    for ok in ["true", "false"] {
        assert_eq!(
            sink.timing_count(
                "op",
                &[("service", "wallet"), ("region", "eu"), ("success", ok)]
            ),
            Some(1)
        );
    }
}

#[test]
fn handles_and_plain_emissions_share_a_series() {
    let sink = MemorySink::new();
    let t = start(&sink);
    let c = t.counter("orders", &[("region", "eu")]);
    let g = t.gauge_handle("queue_depth", ());
    c.add(5);
    t.count("orders", 2, &[("region", "eu")]);
    g.set(3.0);
    t.flush(Duration::from_secs(5)).unwrap();
    assert_eq!(sink.counter("orders", &[("region", "eu")]), Some(7.0));
    assert_eq!(sink.gauge("queue_depth", &[]), Some(3.0));
    c.incr();
    drop(c); // its total is folded in, not lost
    t.flush(Duration::from_secs(5)).unwrap();
    assert_eq!(sink.counter("orders", &[("region", "eu")]), Some(8.0));
}
