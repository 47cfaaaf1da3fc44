//! With the `http-types` feature, `http::HeaderMap` is a header collection like any other:
//! `propagation::extract(&map)` and `span.inject(&mut map)` round-trip a context, repeated
//! `tracestate` fields are joined, and odd values never panic.
#![cfg(feature = "http-types")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use http::{HeaderMap, HeaderValue};
use telemetra::trace::propagation::{self, Extracted, HeaderGet, HeaderSet};
use telemetra::trace::Tracer;

const TP: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03";

#[test]
fn extract_and_inject_round_trip() {
    let tracer = Tracer::default();
    let mut incoming = HeaderMap::new();
    incoming.insert("TraceParent", HeaderValue::from_static(TP));
    incoming.insert(
        "tracestate",
        HeaderValue::from_static("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"),
    );
    let parent = propagation::extract(&incoming);
    let cx = parent.parent().unwrap();
    assert_eq!(cx.trace_id.to_string(), "4bf92f3577b34da6a3ce929d0e0e4736");
    assert!(cx.sampled && cx.random);

    let span = tracer.span_from_headers(&incoming, "srv");
    let mut outgoing = HeaderMap::new();
    outgoing.insert("traceparent", HeaderValue::from_static("stale"));
    outgoing.append("TRACEPARENT", HeaderValue::from_static("stale too"));
    span.inject(&mut outgoing);
    assert_eq!(outgoing.get_all("traceparent").iter().count(), 1);
    assert_eq!(
        outgoing["tracestate"],
        "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"
    );
    assert_eq!(outgoing["x-trace-id"], "4bf92f3577b34da6a3ce929d0e0e4736");
    // What we wrote reads back as exactly the span's context.
    assert_eq!(
        propagation::extract(&outgoing),
        Extracted::Parent(span.context().clone())
    );

    // A new trace, and the current-span helper, through the same map type.
    let root = tracer.root_span("root");
    let mut h = HeaderMap::new();
    root.inject(&mut h);
    assert!(h.get("tracestate").is_none());
    assert_eq!(
        propagation::extract(&h),
        Extracted::Parent(root.context().clone())
    );
    let _in = root.enter();
    let mut h2 = HeaderMap::new();
    assert!(propagation::inject_current(&mut h2));
    assert_eq!(h, h2);
}

/// "When receiving multiple `tracestate` header fields, they MUST be combined into a
/// single header according to RFC9110" (field order, joined with commas).
#[test]
fn repeated_tracestate_fields_are_joined_in_order() {
    let mut h = HeaderMap::new();
    h.insert("traceparent", HeaderValue::from_static(TP));
    h.append(
        "tracestate",
        HeaderValue::from_static("rojo=00f067aa0ba902b7"),
    );
    h.append("TraceState", HeaderValue::from_static(" congo=t61rcWkgMzE"));
    h.append("tracestate", HeaderValue::from_static(""));
    assert_eq!(
        h.header("TRACESTATE").unwrap(),
        "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE,"
    );
    let cx = propagation::extract(&h).parent().unwrap().clone();
    assert_eq!(
        cx.trace_state.as_str(),
        "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"
    );
    // One field borrows; none is `None`.
    assert!(matches!(
        h.header("traceparent"),
        Some(std::borrow::Cow::Borrowed(TP))
    ));
    assert!(h.header("x-trace-id").is_none());
    assert!(h.header("not a header name").is_none());
    // Two traceparent fields join into an invalid value: no remote parent.
    h.append("traceparent", HeaderValue::from_static(TP));
    assert_eq!(propagation::extract(&h), Extracted::None);
}

#[test]
fn values_that_are_not_text_are_ignored() {
    let mut h = HeaderMap::new();
    h.insert("traceparent", HeaderValue::from_static(TP));
    h.append("tracestate", HeaderValue::from_static("rojo=1"));
    h.append(
        "tracestate",
        HeaderValue::from_bytes(b"congo=\xff\xfe").unwrap(),
    );
    assert!(h.header("tracestate").is_none());
    let cx = propagation::extract(&h).parent().unwrap().clone();
    assert!(cx.trace_state.is_empty(), "tracestate dropped whole");
    assert!(cx.sampled, "traceparent kept");

    let mut bad = HeaderMap::new();
    bad.insert(
        "traceparent",
        HeaderValue::from_bytes(b"00-\xc3\xa9").unwrap(),
    );
    bad.insert(
        "x-trace-id",
        HeaderValue::from_static("4bf92f3577b34da6a3ce929d0e0e4736"),
    );
    assert!(matches!(propagation::extract(&bad), Extracted::TraceId(_)));
}

#[test]
fn invalid_writes_are_skipped_without_panicking() {
    let mut h = HeaderMap::new();
    h.insert("traceparent", HeaderValue::from_static("old"));
    // Not a valid field value: nothing written, the old value gone.
    h.set_header("traceparent", "bad\r\nvalue".to_owned());
    assert!(h.get("traceparent").is_none());
    // `http` stores non-ASCII bytes as opaque `obs-text`; reading them back as text
    // fails, so they read as absent.
    h.set_header("traceparent", "caf\u{e9}".to_owned());
    assert_eq!(h["traceparent"].as_bytes(), "caf\u{e9}".as_bytes());
    assert!(h.header("traceparent").is_none());
    h.remove("traceparent");
    // Not a valid field name: nothing written.
    h.set_header("bad name", "v".to_owned());
    h.set_header("", "v".to_owned());
    assert!(h.is_empty());
    // Valid ones replace every spelling.
    h.append("X-Trace-Id", HeaderValue::from_static("a"));
    h.append("x-trace-id", HeaderValue::from_static("b"));
    h.set_header("X-TRACE-ID", "c".to_owned());
    assert_eq!(h.get_all("x-trace-id").iter().collect::<Vec<_>>(), ["c"]);
}
