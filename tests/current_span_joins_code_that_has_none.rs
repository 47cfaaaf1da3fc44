//! Code that has no span in hand still joins the active trace: spans started with
//! `Telemetry::span`, events and outgoing headers pick up the thread's current context,
//! a future carries it across threads, and leaving it restores the outer one.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use telemetra::sinks::MemorySink;
use telemetra::trace::{current, propagation, FutureExt};
use telemetra::{Config, Telemetry};

const T: Duration = Duration::from_secs(10);
const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

fn pipeline() -> (Telemetry, MemorySink) {
    let sink = MemorySink::new();
    let t = Telemetry::start(Config::builder().sink(sink.clone()).build().unwrap()).unwrap();
    (t, sink)
}

/// Library code: takes no span, emits a span, an event and an outgoing request.
fn library_call(t: &Telemetry) -> HashMap<String, String> {
    let _db = t.span("db.query");
    t.event("chat", "chat.lookup").emit();
    let mut outgoing: HashMap<String, String> = HashMap::new();
    assert!(propagation::inject_current(&mut outgoing));
    outgoing
}

#[test]
fn spans_events_and_headers_join_the_entered_span() {
    let (t, sink) = pipeline();
    let headers = vec![("traceparent".to_owned(), TRACEPARENT.to_owned())];
    let server = t.span_from_headers(&headers, "chat.request");
    let outgoing = {
        let _in = server.enter();
        library_call(&t)
    };
    assert!(current().is_none(), "leaving the span restores no context");
    drop(server);
    // Outside any span: a new trace, an event without one.
    let _other = t.span("background.job");
    t.event("chat", "chat.idle").emit();
    drop(_other);
    t.flush(T).unwrap();

    let spans = sink.spans();
    let by = |n: &str| spans.iter().find(|s| s.name == n).unwrap();
    let (root, db, bg) = (by("chat.request"), by("db.query"), by("background.job"));
    assert_eq!(db.context.trace_id, root.context.trace_id);
    assert_eq!(db.parent_span_id, Some(root.context.span_id));
    assert_ne!(bg.context.trace_id, root.context.trace_id);
    assert_eq!(bg.parent_span_id, None);

    let events = sink.events();
    let lookup = events
        .iter()
        .find(|e| e.operation == "chat.lookup")
        .unwrap();
    assert_eq!(lookup.trace_id, Some(root.context.trace_id));
    // The event was made while `db.query` was open but not entered: it belongs to the
    // entered span.
    assert_eq!(lookup.span_id, Some(root.context.span_id));
    let idle = events.iter().find(|e| e.operation == "chat.idle").unwrap();
    assert_eq!(idle.trace_id, None);

    let tp = &outgoing["traceparent"];
    assert!(
        tp.starts_with("00-4bf92f3577b34da6a3ce929d0e0e4736-"),
        "{tp}"
    );
    assert!(tp.contains(&root.context.span_id.to_string()), "{tp}");
    t.shutdown(T).unwrap();
}

#[test]
fn nested_entries_make_a_chain_and_unwind() {
    let (t, sink) = pipeline();
    let a = t.span("a");
    let _in_a = a.enter();
    let b = t.span("b");
    {
        let _in_b = b.enter();
        let c = t.span("c");
        drop(c);
    }
    let d = t.span("d"); // back in `a`
    drop((d, b));
    drop(_in_a);
    drop(a);
    t.flush(T).unwrap();
    let spans = sink.spans();
    let id = |n: &str| spans.iter().find(|s| s.name == n).unwrap();
    assert_eq!(id("b").parent_span_id, Some(id("a").context.span_id));
    assert_eq!(id("c").parent_span_id, Some(id("b").context.span_id));
    assert_eq!(id("d").parent_span_id, Some(id("a").context.span_id));
    t.shutdown(T).unwrap();
}

struct Noop;
impl Wake for Noop {
    fn wake(self: Arc<Self>) {}
}

#[test]
fn a_future_carries_its_context_to_the_thread_that_polls_it() {
    let (t, sink) = pipeline();
    let server = t.span("chat.request");
    let t2 = t.clone();
    let mut polls = 0;
    let fut = std::future::poll_fn(move |_| {
        polls += 1;
        if polls == 1 {
            return Poll::Pending;
        }
        let child = t2.span("chat.store");
        Poll::Ready(child.parent_span_id())
    })
    .in_context(server.context().clone());
    let mut fut = Box::pin(fut);
    let waker = Waker::from(Arc::new(Noop));
    assert!(fut
        .as_mut()
        .poll(&mut Context::from_waker(&waker))
        .is_pending());
    // The second poll happens on another thread, which has no context of its own.
    let parent = std::thread::spawn(move || {
        assert!(current().is_none());
        let waker = Waker::from(Arc::new(Noop));
        match fut.as_mut().poll(&mut Context::from_waker(&waker)) {
            Poll::Ready(p) => p,
            Poll::Pending => panic!("the future finishes on its second poll"),
        }
    })
    .join()
    .unwrap();
    assert_eq!(parent, Some(server.context().span_id));
    drop(server);
    t.flush(T).unwrap();
    assert_eq!(sink.spans().len(), 2);
    t.shutdown(T).unwrap();
}
