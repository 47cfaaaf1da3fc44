//! W3C Trace Context Level 2 (https://www.w3.org/TR/trace-context-2/), through the public
//! API: the `random-trace-id` flag travels with the trace, tracestate keys follow the
//! Level 2 grammar, and a duplicated key keeps the list. Vectors are the spec's own
//! examples and the cases of its test suite (`w3c/trace-context`, `test/test.py`).
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use telemetra::trace::propagation::{
    extract, format_traceparent, parse_traceparent, Extracted, HeaderGet, TRACEPARENT, TRACESTATE,
};
use telemetra::trace::{SpanContext, TraceState, Tracer};

const TID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";

fn outgoing_traceparent(incoming: &[(&str, &str)]) -> String {
    let span = Tracer::default().span_from_headers(incoming, "srv");
    let child = span.child("client");
    let mut out: Vec<(String, String)> = Vec::new();
    child.inject(&mut out);
    out.header(TRACEPARENT).unwrap().into_owned()
}

fn outgoing_tracestate(incoming: &[(&str, &str)]) -> Option<String> {
    let span = Tracer::default().span_from_headers(incoming, "srv");
    let mut out: Vec<(String, String)> = Vec::new();
    span.inject(&mut out);
    out.header(TRACESTATE).map(std::borrow::Cow::into_owned)
}

/// "If the flag is set in the incoming `traceparent` header, it MUST also be set in all
/// outgoing `traceparent` headers which use the same `trace-id`." / "If the flag is unset
/// in the incoming `traceparent` header, it MUST also be unset in any outgoing
/// `traceparent` headers which use the same `trace-id`." / other flags: "Vendors MUST set
/// those to zero."
#[test]
fn random_flag_is_continued_and_other_bits_cleared() {
    for (flags, sent) in [
        ("00", "00"),
        ("01", "01"),
        ("02", "02"),
        ("03", "03"),
        ("0b", "03"),
        ("fe", "02"),
    ] {
        let tp = format!("00-{TID}-00f067aa0ba902b7-{flags}");
        let out = outgoing_traceparent(&[("traceparent", &tp)]);
        assert!(out.starts_with(&format!("00-{TID}-")), "{out}");
        assert!(
            !out.contains("00f067aa0ba902b7"),
            "parent-id must be ours: {out}"
        );
        assert!(out.ends_with(&format!("-{sent}")), "{flags} -> {out}");
    }
    // A higher version is parsed the version-00 way and downgraded to 00.
    let out = outgoing_traceparent(&[(
        "traceparent",
        &format!("cc-{TID}-00f067aa0ba902b7-03-future"),
    )]);
    assert!(out.starts_with("00-") && out.ends_with("-03"), "{out}");
}

/// "When at least the right-most 7 bytes of the `trace-id` are randomly (or
/// pseudo-randomly) generated, the `random-trace-id` flag SHOULD be set to `1`."
#[test]
fn traces_we_start_carry_the_random_flag() {
    let tracer = Tracer::builder().sample_rate(0.0).build().unwrap();
    let root = tracer.root_span("root");
    assert!(root.context().random);
    assert!(format_traceparent(root.context()).ends_with("-02"));
    // Without any usable header: a new trace, ours, random.
    assert!(outgoing_traceparent(&[("traceparent", "garbage")]).ends_with("-03"));
}

/// Older serialized contexts have no `random` field; they read as `false`.
#[test]
fn serialized_contexts_without_the_flag_still_load() {
    let old = format!(r#"{{"trace_id":"{TID}","span_id":"00f067aa0ba902b7","sampled":true}}"#);
    let cx: SpanContext = serde_json::from_str(&old).unwrap();
    assert!(cx.sampled && !cx.random);
    let new = serde_json::to_string(&SpanContext { random: true, ..cx }).unwrap();
    let back: SpanContext = serde_json::from_str(&new).unwrap();
    assert!(back.random);
}

/// "key = ( lcalpha / DIGIT ) 0*255 ( keychar )", "keychar = lcalpha / DIGIT / "_" /
/// "-"/ "*" / "/" / "@"": "A `key` MUST begin with a lowercase letter or a digit and
/// contain up to 256 characters". Cases from the spec test suite's
/// `test_tracestate_key_illegal_vendor_format`, `test_tracestate_key_length_limit` and
/// `test_tracestate_key_illegal_characters`.
#[test]
fn tracestate_keys_follow_the_level_2_grammar() {
    let tp = format!("00-{TID}-1234567890123456-00");
    for (ts, kept) in [
        ("foo@=1,bar=2", Some("foo@=1,bar=2")),
        ("foo@@bar=1,bar=2", Some("foo@@bar=1,bar=2")),
        ("foo@bar@baz=1,bar=2", Some("foo@bar@baz=1,bar=2")),
        ("1abc=1,bar=2", Some("1abc=1,bar=2")),
        ("@foo=1,bar=2", None),
        ("foo =1", None),
        ("FOO=1", None),
        ("foo.bar=1", None),
    ] {
        assert_eq!(
            outgoing_tracestate(&[("traceparent", &tp), ("tracestate", ts)]).as_deref(),
            kept,
            "{ts}"
        );
    }
    let long_keys = [
        ("z".repeat(256), true),
        ("z".repeat(257), false),
        (format!("{}@{}", "t".repeat(241), "v".repeat(14)), true),
        (format!("{}@v", "t".repeat(242)), true),
        (format!("t@{}", "v".repeat(15)), true),
    ];
    for (key, ok) in long_keys {
        let second = format!("{key}=1");
        let got = outgoing_tracestate(&[
            ("traceparent", &tp),
            ("tracestate", "foo=1"),
            ("tracestate", &second),
        ]);
        let want = ok.then(|| format!("foo=1,{second}"));
        assert_eq!(got, want, "key of {} chars", key.len());
    }
}

/// "Only one entry per key is allowed" (the sender's duty); "vendors MAY also discard
/// duplicate keys that were not generated by them". The spec test suite's
/// `test_tracestate_duplicated_keys` expects the tracestate "to be inherited, and the
/// duplicated keys to be either kept as-is or one of them to be discarded".
#[test]
fn duplicated_keys_keep_the_list() {
    let tp = "00-12345678901234567890123456789012-1234567890123456-00";
    let cases: [&[(&str, &str)]; 4] = [
        &[("tracestate", "foo=1,foo=1")],
        &[("tracestate", "foo=1,foo=2")],
        &[("tracestate", "foo=1"), ("tracestate", "foo=1")],
        &[("tracestate", "foo=1"), ("tracestate", "foo=2")],
    ];
    for extra in cases {
        let mut h = vec![("traceparent", tp)];
        h.extend_from_slice(extra);
        let Extracted::Parent(cx) = extract(&h) else {
            unreachable!("{h:?}")
        };
        assert_eq!(cx.trace_id.to_string(), "12345678901234567890123456789012");
        assert_eq!(cx.trace_state.as_str(), "foo=1", "{h:?}");
        assert_eq!(outgoing_tracestate(&h).as_deref(), Some("foo=1"));
    }
}

/// The tracestate examples of the spec, and its member limit: 32 accepted, 33 not
/// (`test_tracestate_member_count_limit`).
#[test]
fn spec_examples_and_member_limit() {
    for ts in [
        "congo=t61rcWkgMzE",
        "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
        "congo=ucfJifl5GOE,rojo=00f067aa0ba902b7",
        "vendorname1=opaqueValue1,vendorname2=opaqueValue2",
    ] {
        assert_eq!(TraceState::parse(ts).unwrap().as_str(), ts);
    }
    let tp = parse_traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").unwrap();
    assert!(tp.sampled() && !tp.random());
    let members: Vec<String> = (1..=33).map(|i| format!("bar{i:02}={i:02}")).collect();
    let ok = TraceState::parse(&members[..32].join(",")).unwrap();
    assert_eq!(ok.iter().count(), 32);
    assert_eq!(ok.get("bar01"), Some("01"));
    assert!(TraceState::parse(&members.join(",")).is_err());
}
