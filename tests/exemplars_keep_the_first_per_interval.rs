//! A series keeps the first value recorded in a sampled span per collection interval
//! as its exemplar; the next interval takes a fresh one. (Later emissions in sampled
//! spans of the same interval then cost a relaxed load, not a lock and a clock read.)
#![cfg(feature = "prometheus")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use telemetra::sinks::prometheus::{scrape, RenderOptions};
use telemetra::trace::{SpanId, Tracer};
use telemetra::{Config, Telemetry};

const T: Duration = Duration::from_secs(10);
const OM: Option<&str> = Some("application/openmetrics-text");

/// The span id on the `orders_total` line of an OpenMetrics scrape, if any.
fn exemplar_span(t: &Telemetry) -> Option<String> {
    let body = scrape(t, &RenderOptions::default(), OM, T).unwrap().body;
    let line = body
        .lines()
        .find(|l| l.starts_with("orders_total "))?
        .to_owned();
    let at = line.find("span_id=\"")? + "span_id=\"".len();
    Some(line[at..at + 16].to_owned())
}

fn emit_in(t: &Telemetry, tracer: &Tracer, name: &'static str) -> SpanId {
    let span = tracer.root_span(name);
    let _in = span.enter();
    t.incr("orders", ());
    span.context().span_id
}

#[test]
fn the_first_sampled_value_of_an_interval_is_kept() {
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .build()
            .unwrap(),
    )
    .unwrap();
    let tracer = Tracer::builder().build().unwrap();
    let first = emit_in(&t, &tracer, "a");
    let second = emit_in(&t, &tracer, "b");
    assert_ne!(first, second);
    assert_eq!(exemplar_span(&t), Some(first.to_string()));
    // A scrape is a collection: the next interval keeps its own first.
    let third = emit_in(&t, &tracer, "c");
    let _fourth = emit_in(&t, &tracer, "d");
    assert_eq!(exemplar_span(&t), Some(third.to_string()));
    t.shutdown(T).unwrap();
}
