//! Entering a `tracing` span pushes only its id on the thread's current-context stack;
//! the context is looked up when something asks. These tests check that everything
//! that asks still gets the entered span: telemetra events, native child spans, header
//! injection and exemplars; that a span's own timing links to the span itself; that an
//! unsampled span failed by an ERROR event is timed as failed; and that the same series
//! receives the timings of sampled and unsampled spans.
#![cfg(all(feature = "tracing", feature = "prometheus"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::time::Duration;

use telemetra::integrations::tracing::TelemetraLayer;
use telemetra::sinks::MemorySink;
use telemetra::snapshot::Value;
use telemetra::trace::{current, propagation, SpanRecord};
use telemetra::{Config, Telemetry};
use tracing_subscriber::layer::SubscriberExt;

const T: Duration = Duration::from_secs(10);

fn pipeline(rate: f64) -> (Telemetry, MemorySink) {
    let sink = MemorySink::new();
    let config = Config::builder()
        .flush_interval(Duration::from_secs(3600))
        .trace_sample_rate(rate)
        .sink(sink.clone());
    (Telemetry::start(config.build().unwrap()).unwrap(), sink)
}

fn with_layer<R>(t: &Telemetry, f: impl FnOnce() -> R) -> R {
    // A second layer below telemetra's, as real stacks have: the lookup must find the
    // registry through both.
    let subscriber = tracing_subscriber::registry()
        .with(tracing_subscriber::filter::LevelFilter::TRACE)
        .with(TelemetraLayer::new(t));
    tracing::subscriber::with_default(subscriber, f)
}

fn span<'a>(spans: &'a [SpanRecord], name: &str) -> &'a SpanRecord {
    spans.iter().find(|s| s.name == name).unwrap()
}

#[test]
fn what_asks_for_the_current_context_gets_the_entered_span() {
    let (t, sink) = pipeline(1.0);
    let tracer = t.tracer();
    let (inside, injected) = with_layer(&t, || {
        let root = tracing::info_span!("request");
        let _in = root.enter();
        let inside = current().expect("the entered tracing span is current");
        t.event("shop", "checkout").emit();
        drop(tracer.span("native.child"));
        t.count("orders", 1, ());
        let mut headers = HashMap::new();
        propagation::inject_current(&mut headers);
        (inside, headers)
    });
    assert!(current().is_none(), "exited: nothing is current");
    t.flush(T).unwrap();
    let spans = sink.spans();
    let request = span(&spans, "request");
    assert_eq!(inside, request.context);
    // The native span is the tracing span's child.
    assert_eq!(
        span(&spans, "native.child").parent_span_id,
        Some(request.context.span_id)
    );
    // The event carries the span's ids.
    let events = sink.events();
    assert_eq!(events[0].trace_id, Some(request.context.trace_id));
    assert_eq!(events[0].span_id, Some(request.context.span_id));
    // The outgoing traceparent names it as the parent.
    let tp = injected.get("traceparent").unwrap();
    assert!(tp.contains(&request.context.span_id.to_string()), "{tp}");
    // The counter emitted inside keeps it as its exemplar (a scrape shows it).
    let scrape = telemetra::sinks::prometheus::scrape(
        &t,
        &Default::default(),
        Some("application/openmetrics-text"),
        T,
    )
    .unwrap();
    let line = scrape
        .body
        .lines()
        .find(|l| l.starts_with("orders_total"))
        .unwrap()
        .to_owned();
    assert!(
        line.contains(&request.context.trace_id.to_string()),
        "{line}"
    );
    t.shutdown(T).unwrap();
}

#[test]
fn a_span_timing_links_to_the_span_itself() {
    let (t, _sink) = pipeline(1.0);
    let (outer, inner) = with_layer(&t, || {
        let outer = tracing::info_span!("outer");
        let _o = outer.enter();
        let inner = tracing::info_span!("inner.work");
        let inner_cx = {
            let _i = inner.enter();
            current().unwrap()
        };
        drop(inner);
        (current().unwrap(), inner_cx)
    });
    let scrape = telemetra::sinks::prometheus::scrape(
        &t,
        &Default::default(),
        Some("application/openmetrics-text"),
        T,
    )
    .unwrap();
    // The exemplar of `inner.work`'s timing is `inner.work`, not the `outer` span that
    // was current when it closed.
    let with_exemplar: Vec<&str> = scrape
        .body
        .lines()
        .filter(|l| l.starts_with("inner_work") && l.contains(" # {"))
        .collect();
    assert!(!with_exemplar.is_empty(), "{}", scrape.body);
    for l in with_exemplar {
        assert!(l.contains(&inner.span_id.to_string()), "{l}");
        assert!(!l.contains(&outer.span_id.to_string()), "{l}");
    }
    t.shutdown(T).unwrap();
}

#[test]
fn unsampled_spans_are_timed_into_the_same_series_and_fail_on_error_events() {
    let (t, sink) = pipeline(0.0);
    with_layer(&t, || {
        for i in 0..5 {
            let s = tracing::info_span!("job");
            let _in = s.enter();
            if i == 4 {
                tracing::error!("it broke");
            }
        }
        // An explicit root inside an entered span starts its own trace.
        let outer = tracing::info_span!("outer");
        let _o = outer.enter();
        let lone = tracing::info_span!(parent: None, "lone");
        let _l = lone.enter();
        assert!(current().is_some());
    });
    t.flush(T).unwrap();
    assert!(sink.spans().is_empty(), "nothing sampled, nothing recorded");
    let snap = sink.last().unwrap();
    let count = |code: &str| match snap
        .series
        .iter()
        .find(|s| &*s.name == "job" && s.tag("error_code") == Some(code))
        .map(|s| &s.value)
    {
        Some(Value::Timing(d)) => d.count,
        _ => 0,
    };
    assert_eq!(count("none"), 4);
    assert_eq!(count("error"), 1);
    // The same series a sampled span times into (`success` tag and all).
    let (t2, sink2) = pipeline(1.0);
    with_layer(&t2, || drop(tracing::info_span!("job").entered()));
    t2.flush(T).unwrap();
    let tags = |s: &MemorySink| {
        let snap = s.last().unwrap();
        let job = snap.series.iter().find(|x| &*x.name == "job").unwrap();
        job.tags.to_vec()
    };
    let unsampled_ok: Vec<_> = snap
        .series
        .iter()
        .filter(|s| &*s.name == "job" && s.tag("error_code") == Some("none"))
        .map(|s| s.tags.to_vec())
        .collect();
    assert_eq!(unsampled_ok, vec![tags(&sink2)]);
    t.shutdown(T).unwrap();
    t2.shutdown(T).unwrap();
}
