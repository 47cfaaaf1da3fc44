//! `tracing` spans and events arrive through `TelemetraLayer` and through
//! `TelemetraSubscriber` alike as telemetra spans and events: parentage from the span
//! tree, remote parents from `traceparent`, fields as scrubbed attributes and metadata,
//! errors from fields and ERROR events, and the entered `tracing` span is telemetra's
//! current span. Every test runs through both. The subscriber's own duties (handles
//! counted across clones and threads, `Span::current`, the level filter) come last.
#![cfg(feature = "tracing")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::time::Duration;

use telemetra::integrations::tracing::{TelemetraLayer, TelemetraSubscriber};
use telemetra::sampling::Level;
use telemetra::sinks::MemorySink;
use telemetra::snapshot::Value;
use telemetra::trace::{propagation, AttrValue, SpanRecord, Status};
use telemetra::{Config, Telemetry};
use tracing_subscriber::layer::SubscriberExt;

const T: Duration = Duration::from_secs(10);
const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

fn pipeline(config: telemetra::ConfigBuilder) -> (Telemetry, MemorySink) {
    let sink = MemorySink::new();
    let t = Telemetry::start(config.sink(sink.clone()).build().unwrap()).unwrap();
    (t, sink)
}

/// The two ways in: the layer over `tracing_subscriber`'s registry, or the subscriber.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Layer,
    Subscriber,
}

const KINDS: [Kind; 2] = [Kind::Layer, Kind::Subscriber];

fn with<R>(kind: Kind, t: &Telemetry, f: impl FnOnce() -> R) -> R {
    match kind {
        Kind::Layer => {
            let subscriber = tracing_subscriber::registry().with(TelemetraLayer::new(t));
            tracing::subscriber::with_default(subscriber, f)
        }
        Kind::Subscriber => tracing::subscriber::with_default(TelemetraSubscriber::new(t), f),
    }
}

fn span<'a>(spans: &'a [SpanRecord], name: &str) -> &'a SpanRecord {
    spans
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no span {name} in {spans:?}"))
}

/// How many timings named `name` the last snapshot holds, whatever their tags.
fn timed(sink: &MemorySink, name: &str) -> u64 {
    let snap = sink.last().unwrap();
    snap.series
        .iter()
        .filter(|s| &*s.name == name)
        .map(|s| match &s.value {
            Value::Timing(d) => d.count,
            _ => 0,
        })
        .sum()
}

#[tracing::instrument(fields(db.rows))]
fn load_user(id: u64) -> u64 {
    tracing::Span::current().record("db.rows", 1_i64);
    tracing::info!(email = "ann.lee@example.com", id, "loaded user");
    id * 2
}

#[test]
fn spans_nest_and_events_join_them_scrubbed() {
    for kind in KINDS {
        let (t, sink) = pipeline(Config::builder());
        let out = with(kind, &t, || {
            let request =
                tracing::info_span!("http.request", route = "/users/:id", attempt = 1_u64);
            let _in = request.enter();
            load_user(21)
        });
        assert_eq!(out, 42);
        t.flush(T).unwrap();

        let spans = sink.spans();
        assert_eq!(spans.len(), 2, "{spans:?}");
        let (root, child) = (span(&spans, "http.request"), span(&spans, "load_user"));
        assert_eq!(root.parent_span_id, None);
        assert_eq!(child.context.trace_id, root.context.trace_id);
        assert_eq!(child.parent_span_id, Some(root.context.span_id));
        assert_eq!(
            root.attribute("route"),
            Some(&AttrValue::Str("/users/:id".into()))
        );
        assert_eq!(root.attribute("attempt"), Some(&AttrValue::Int(1)));
        assert_eq!(child.attribute("id"), Some(&AttrValue::Int(21)));
        assert_eq!(child.attribute("db.rows"), Some(&AttrValue::Int(1)));
        assert!(child.duration() <= root.duration());

        let events = sink.events();
        assert_eq!(events.len(), 1, "{events:?}");
        let e = &events[0];
        assert_eq!(e.level, Level::Info);
        assert_eq!(e.domain, "tracing_layer_feeds_the_pipeline");
        assert_eq!(e.operation, "tracing_layer_feeds_the_pipeline");
        assert_eq!(e.message.as_deref(), Some("loaded user"));
        assert_eq!(e.trace_id, Some(child.context.trace_id));
        assert_eq!(e.span_id, Some(child.context.span_id));
        assert_eq!(e.metadata["id"], 21);
        let text = serde_json::to_string(e).unwrap();
        assert!(!text.contains("ann.lee@example.com"), "{text}");
        assert!(
            e.metadata.get("email").is_some(),
            "the field is kept, its value masked"
        );

        // Every span is also a timing.
        assert_eq!(timed(&sink, "http.request"), 1);
        assert_eq!(timed(&sink, "load_user"), 1);
        t.shutdown(T).unwrap();
    }
}

#[test]
fn a_remote_parent_entered_before_the_span_continues_its_trace() {
    for kind in KINDS {
        let (t, sink) = pipeline(Config::builder());
        let headers = vec![("traceparent".to_owned(), TRACEPARENT.to_owned())];
        let extracted = propagation::extract(&headers);
        let remote = extracted.parent().unwrap().clone();
        let outgoing = with(kind, &t, || {
            let _remote = remote.enter();
            let server = tracing::info_span!("chat.request");
            let _in = server.enter();
            // Telemetra-native code inside the tracing span joins it.
            let native = t.span("chat.store");
            drop(native);
            let mut out: HashMap<String, String> = HashMap::new();
            assert!(propagation::inject_current(&mut out));
            out
        });
        t.flush(T).unwrap();
        let spans = sink.spans();
        let (server, native) = (span(&spans, "chat.request"), span(&spans, "chat.store"));
        assert_eq!(
            server.context.trace_id.to_string(),
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
        assert_eq!(
            server.parent_span_id.unwrap().to_string(),
            "00f067aa0ba902b7"
        );
        assert_eq!(native.parent_span_id, Some(server.context.span_id));
        let tp = &outgoing["traceparent"];
        assert!(
            tp.contains(&server.context.span_id.to_string()),
            "outgoing {tp} names the entered tracing span"
        );
        assert!(
            telemetra::trace::current().is_none(),
            "exiting restores the stack"
        );
        t.shutdown(T).unwrap();
    }
}

#[test]
fn error_fields_and_error_events_fail_the_span() {
    for kind in KINDS {
        let (t, sink) = pipeline(Config::builder());
        with(kind, &t, || {
            let failed = tracing::info_span!(
                "billing.charge",
                error = "card declined for bob@example.com"
            );
            drop(failed);
            let logged = tracing::info_span!("db.write");
            let _in = logged.enter();
            tracing::error!(code = 500_u64, "write failed");
        });
        t.flush(T).unwrap();
        let spans = sink.spans();
        for name in ["billing.charge", "db.write"] {
            assert_eq!(
                span(&spans, name).status,
                Status::Error {
                    code: "error".into()
                },
                "{name}"
            );
        }
        let msg = span(&spans, "billing.charge")
            .attribute("error.message")
            .unwrap();
        let AttrValue::Str(msg) = msg else {
            panic!("{msg:?}")
        };
        assert!(
            msg.contains("card declined") && !msg.contains("bob@example.com"),
            "{msg}"
        );
        let events = sink.events();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].level, Level::Error);
        t.shutdown(T).unwrap();
    }
}

#[test]
fn unsampled_traces_are_timed_but_not_recorded() {
    for kind in KINDS {
        let (t, sink) = pipeline(Config::builder().trace_sample_rate(0.0));
        with(kind, &t, || {
            for _ in 0..10 {
                let s = tracing::info_span!("job.run", n = 3_i64);
                let _in = s.enter();
            }
        });
        t.flush(T).unwrap();
        assert!(sink.spans().is_empty());
        assert_eq!(timed(&sink, "job.run"), 10);
        t.shutdown(T).unwrap();
    }
}

#[test]
fn the_subscriber_ends_a_span_once_when_its_last_handle_goes_on_any_thread() {
    let (t, sink) = pipeline(Config::builder());
    let sub = tracing::Dispatch::new(TelemetraSubscriber::new(&t));
    let (root, child) = tracing::dispatcher::with_default(&sub, || {
        let root = tracing::info_span!("batch.run");
        let child = root.in_scope(|| tracing::info_span!("batch.item", n = 1_i64));
        (root, child)
    });
    let clone = child.clone();
    drop(child);
    t.flush(T).unwrap();
    assert!(sink.spans().is_empty(), "a handle is still alive");
    // The last handles drop on other threads, inside no dispatcher of their own: the
    // span still knows its subscriber.
    std::thread::spawn(move || drop(clone)).join().unwrap();
    std::thread::spawn(move || drop(root)).join().unwrap();
    t.flush(T).unwrap();
    let spans = sink.spans();
    assert_eq!(spans.len(), 2, "{spans:?}");
    let (root, item) = (span(&spans, "batch.run"), span(&spans, "batch.item"));
    assert_eq!(item.parent_span_id, Some(root.context.span_id));
    assert_eq!(timed(&sink, "batch.item"), 1);
    t.shutdown(T).unwrap();
}

#[test]
fn the_subscriber_knows_the_current_span_and_filters_by_level() {
    let (t, sink) = pipeline(Config::builder());
    let sub = TelemetraSubscriber::new(&t).with_max_level(tracing::Level::INFO);
    tracing::subscriber::with_default(sub, || {
        assert!(tracing::Span::current().is_none());
        let request = tracing::info_span!("http.request", status = tracing::field::Empty);
        let _in = request.enter();
        assert_eq!(
            tracing::Span::current().metadata().map(|m| m.name()),
            Some("http.request")
        );
        tracing::Span::current().record("status", 204_i64);
        let hidden = tracing::debug_span!("cache.lookup");
        assert!(hidden.is_disabled(), "DEBUG is above the maximum level");
        tracing::debug!("dropped before it is made");
        tracing::info!("kept");
    });
    assert!(
        telemetra::trace::current().is_none(),
        "exiting restores the stack"
    );
    t.flush(T).unwrap();
    let spans = sink.spans();
    assert_eq!(spans.len(), 1, "{spans:?}");
    assert_eq!(spans[0].attribute("status"), Some(&AttrValue::Int(204)));
    let events = sink.events();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].span_id, Some(spans[0].context.span_id));
    t.shutdown(T).unwrap();
}

#[test]
fn the_subscriber_follows_an_instrumented_future_across_polls() {
    use tracing::Instrument;
    let (t, sink) = pipeline(Config::builder());
    let sub = tracing::Dispatch::new(TelemetraSubscriber::new(&t));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    tracing::dispatcher::with_default(&sub, || {
        rt.block_on(
            async {
                tokio::time::sleep(Duration::from_millis(1)).await;
                // A native span after an await still joins the instrumented span.
                drop(t.span("store.write"));
                tracing::info!("written");
            }
            .instrument(tracing::info_span!("job.handle")),
        );
    });
    t.flush(T).unwrap();
    let spans = sink.spans();
    let (job, store) = (span(&spans, "job.handle"), span(&spans, "store.write"));
    assert_eq!(store.parent_span_id, Some(job.context.span_id));
    assert_eq!(sink.events()[0].span_id, Some(job.context.span_id));
    assert!(job.duration() >= Duration::from_millis(1));
    t.shutdown(T).unwrap();
}

#[test]
fn a_nested_subscriber_never_takes_the_outer_ones_spans_for_its_own() {
    let (outer_t, outer_sink) = pipeline(Config::builder());
    let (inner_t, inner_sink) = pipeline(Config::builder());
    let outer = tracing::Dispatch::new(TelemetraSubscriber::new(&outer_t));
    let inner = tracing::Dispatch::new(TelemetraSubscriber::new(&inner_t));
    // Each subscriber's first span gets the same id in its own slab.
    let idle = tracing::dispatcher::with_default(&inner, || tracing::info_span!("inner.idle"));
    tracing::dispatcher::with_default(&outer, || {
        let request = tracing::info_span!("outer.request");
        assert_eq!(request.id(), idle.id(), "the collision this test is about");
        let _in = request.enter();
        tracing::dispatcher::with_default(&inner, || {
            assert!(tracing::Span::current().is_none());
            tracing::error!("inside the inner dispatcher");
        });
    });
    drop(idle);
    outer_t.flush(T).unwrap();
    inner_t.flush(T).unwrap();
    let idle = inner_sink.spans();
    assert_eq!(idle.len(), 1);
    assert_eq!(idle[0].status, Status::Ok, "not failed by the error event");
    let event = &inner_sink.events()[0];
    assert_ne!(event.span_id, Some(idle[0].context.span_id));
    assert_eq!(outer_sink.spans()[0].status, Status::Ok);
    outer_t.shutdown(T).unwrap();
    inner_t.shutdown(T).unwrap();
}
