//! Global tags from the config (`service`, `env`, …) are on every series — plain
//! emissions, tagged emitters, handles, spans' timings, self-metrics — and on every span
//! and event record; a tag set on the emission itself wins; bad global tags are config
//! errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use telemetra::sinks::MemorySink;
use telemetra::trace::AttrValue;
use telemetra::{Config, Error, Telemetry};

const T: Duration = Duration::from_secs(10);

#[test]
fn every_series_and_record_carries_them() {
    let sink = MemorySink::new();
    let config = Config::builder()
        .sink(sink.clone())
        .global_tag("service", "wallet")
        .global_tag("env", "prod");
    let t = Telemetry::start(config.build().unwrap()).unwrap();
    let route = String::from("/spend");
    t.incr("http.requests", &[("route", route.as_str())]);
    t.incr(
        "http.requests",
        &[("route", route.as_str()), ("env", "canary")],
    );
    t.tagged(vec![("team", "payments")]).incr("jobs.done", ());
    t.counter("handle.count", ()).add(3);
    t.timing_handle("handle.latency", ())
        .record(Duration::from_millis(2));
    {
        let mut span = t.span("wallet.spend");
        span.set_attribute("env", "span-level");
    }
    t.event("wallet", "wallet.spend").emit();
    t.flush(T).unwrap();

    let snap = sink.last().unwrap();
    let g = |extra: &[(&'static str, &'static str)]| {
        let mut tags = vec![("service", "wallet"), ("env", "prod")];
        tags.extend_from_slice(extra);
        tags
    };
    assert_eq!(
        snap.counter("http.requests", &g(&[("route", "/spend")])),
        Some(1.0)
    );
    assert_eq!(
        snap.counter(
            "http.requests",
            &[
                ("service", "wallet"),
                ("env", "canary"),
                ("route", "/spend")
            ]
        ),
        Some(1.0),
        "the emission's own env wins"
    );
    assert_eq!(
        snap.counter("jobs.done", &g(&[("team", "payments")])),
        Some(1.0)
    );
    assert_eq!(snap.counter("handle.count", &g(&[])), Some(3.0));
    assert!(snap.timing("handle.latency", &g(&[])).is_some());
    let untagged: Vec<_> = snap
        .series
        .iter()
        .filter(|s| !s.tags.iter().any(|t| &*t.key == "service"))
        .map(|s| s.name.to_string())
        .collect();
    assert!(
        untagged.is_empty(),
        "series without the global tags: {untagged:?}"
    );

    let span = &sink.spans()[0];
    assert_eq!(
        span.attribute("service"),
        Some(&AttrValue::Str("wallet".into()))
    );
    assert_eq!(
        span.attribute("env"),
        Some(&AttrValue::Str("span-level".into())),
        "the span's own attribute wins"
    );
    let event = &sink.events()[0];
    assert_eq!(event.metadata["service"], "wallet");
    assert_eq!(event.metadata["env"], "prod");
    t.shutdown(T).unwrap();
}

#[test]
fn bad_global_tags_are_config_errors() {
    let field = |b: telemetra::ConfigBuilder| match b.build() {
        Err(Error::Config { field, .. }) => field,
        other => panic!("expected a config error, got {other:?}"),
    };
    assert_eq!(field(Config::builder().global_tag("", "x")), "global_tags");
    assert_eq!(
        field(
            Config::builder()
                .global_tag("env", "a")
                .global_tag("env", "b")
        ),
        "global_tags"
    );
    assert_eq!(
        field(
            Config::builder()
                .max_tags(2)
                .global_tag("a", "1")
                .global_tag("b", "2")
        ),
        "global_tags"
    );
    assert_eq!(
        field(Config::builder().global_tag("env", "x".repeat(300))),
        "global_tags"
    );
    assert!(Config::builder().global_tag("env", "prod").build().is_ok());
}
