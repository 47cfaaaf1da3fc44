//! Arbitrary incoming header values never panic, and whatever we inject after extracting
//! them is valid by the W3C rules.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::print_stdout,
    missing_docs
)]

use proptest::prelude::*;
use telemetra::trace::propagation::{
    extract, inject, Extracted, HeaderGet, TRACEPARENT, TRACESTATE, X_TRACE_ID,
};
use telemetra::trace::{SpanId, TraceState, Tracer};

fn traceparent() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9a-fA-F -]{0,64}",
        "([0-9a-f]{2}|ff|0F)-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-[ -~]{0,8}|[ -~]{0,2})?",
        "00-0{32}-[0-9a-f]{16}-0[01]",
        "00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]",
    ]
}

fn tracestate() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "([a-z0-9@_*/-]{1,12}=[ -~]{0,12}, ?){0,40}",
        "([a-z][a-z0-9]{0,5}(@[a-z]{1,3})?=[a-zA-Z0-9;:]{1,200},){0,10}",
    ]
}

fn x_trace_id() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9a-fA-F-]{16,36}",
        "[0-9a-f]{8}-[0-9a-fA-F]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    ]
}

fn is_lower_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && s.bytes().any(|b| b != b'0')
}

/// Independent check of what we send, written from the spec rather than from our parser.
fn assert_valid_outgoing(out: &Vec<(String, String)>) {
    let tp = out.header(TRACEPARENT).unwrap();
    let parts: Vec<&str> = tp.split('-').collect();
    assert_eq!(parts.len(), 4, "{tp}");
    assert_eq!(parts[0], "00");
    assert!(is_lower_hex(parts[1], 32), "{tp}");
    assert!(is_lower_hex(parts[2], 16), "{tp}");
    // Only `sampled` (0x01) and Level 2's `random` (0x02) may be set; "Vendors MUST set
    // those [other flags] to zero".
    assert!(["00", "01", "02", "03"].contains(&parts[3]), "{tp}");
    if let Some(ts) = out.header(TRACESTATE) {
        assert!(!ts.is_empty() && ts.len() <= 512);
        let members: Vec<&str> = ts.split(',').collect();
        assert!(members.len() <= 32);
        for m in &members {
            let (k, v) = m.split_once('=').unwrap();
            assert!(!k.is_empty() && k.len() <= 256 && !v.is_empty() && v.len() <= 256);
            assert!(!k
                .bytes()
                .any(|b| b.is_ascii_uppercase() || b == b' ' || b == b','));
            assert!(v
                .bytes()
                .all(|b| (0x20..=0x7e).contains(&b) && b != b',' && b != b'='));
            assert!(!v.ends_with(' '));
        }
        assert_eq!(TraceState::parse(&ts).unwrap().as_str(), ts);
    }
    let x = out.header(X_TRACE_ID).unwrap();
    assert!(is_lower_hex(&x, 32), "{x}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn extract_then_inject_is_valid(tp in traceparent(), ts in tracestate(), x in x_trace_id(),
                                    with_tp in any::<bool>(), with_x in any::<bool>()) {
        let mut h: Vec<(String, String)> = vec![("TraceState".to_owned(), ts)];
        if with_tp { h.push(("TRACEPARENT".to_owned(), tp)); }
        if with_x { h.push(("x-trace-id".to_owned(), x)); }
        let extracted = extract(&h);
        let tracer = Tracer::default();
        let span = tracer.span_from_headers(&h, "srv");
        let mut out: Vec<(String, String)> = Vec::new();
        span.inject(&mut out);
        assert_valid_outgoing(&out);
        match &extracted {
            Extracted::Parent(cx) => {
                prop_assert_eq!(span.context().trace_id, cx.trace_id);
                prop_assert_eq!(span.parent_span_id(), Some(cx.span_id));
                prop_assert_eq!(span.context().sampled, cx.sampled);
                prop_assert_eq!(span.context().random, cx.random);
                // Our own output round-trips exactly.
                let mut again: Vec<(String, String)> = Vec::new();
                inject(cx, &mut again);
                prop_assert_eq!(extract(&again), extracted.clone());
            }
            Extracted::TraceId(t) => prop_assert_eq!(span.context().trace_id, *t),
            Extracted::None => prop_assert_eq!(span.parent_span_id(), None::<SpanId>),
        }
    }

    #[test]
    fn parsers_never_panic(s in any::<String>()) {
        let _ = telemetra::trace::propagation::parse_traceparent(&s);
        let _ = telemetra::trace::propagation::parse_x_trace_id(&s);
        if let Ok(ts) = TraceState::parse(&s) {
            prop_assert!(ts.as_str().len() <= 512);
            prop_assert_eq!(TraceState::parse(ts.as_str()).unwrap(), ts);
        }
    }
}

/// Guards the strategies: they must reach both the accepting and rejecting paths.
#[test]
fn strategies_hit_valid_and_invalid_inputs() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use telemetra::trace::propagation::parse_traceparent;
    let mut runner = TestRunner::deterministic();
    let (mut tp_ok, mut ts_ok, mut x_ok) = (0, 0, 0);
    for _ in 0..2000 {
        let tp = traceparent().new_tree(&mut runner).unwrap().current();
        tp_ok += usize::from(parse_traceparent(&tp).is_ok());
        let ts = tracestate().new_tree(&mut runner).unwrap().current();
        ts_ok += usize::from(TraceState::parse(&ts).is_ok_and(|t| !t.is_empty()));
        let x = x_trace_id().new_tree(&mut runner).unwrap().current();
        x_ok += usize::from(telemetra::trace::propagation::parse_x_trace_id(&x).is_ok());
    }
    println!("valid of 2000: traceparent {tp_ok}, tracestate {ts_ok}, x-trace-id {x_ok}");
    for n in [tp_ok, ts_ok, x_ok] {
        assert!((100..1900).contains(&n), "{tp_ok} {ts_ok} {x_ok}");
    }
}
