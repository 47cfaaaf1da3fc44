//! Extracting and injecting trace context in plain header collections.
//!
//! Formats:
//! * W3C `traceparent` + `tracestate` (Trace Context Level 2) — the primary format,
//!   validated strictly ([`parse_traceparent`], [`TraceState::parse`]). The `sampled`
//!   and `random` trace flags are read and propagated unchanged; other flag bits are
//!   ignored and sent as zero. A tracestate key repeated in a list keeps its leftmost
//!   entry.
//! * `x-trace-id` — our older services' header. It carries a trace id only (no parent
//!   span, no sampled flag). Accepted shapes, all-zero rejected:
//!   32 lowercase hex (as sent); a UUID `8-4-4-4-12` with dashes, hex in either case (RFC
//!   9562 says UUIDs compare case-insensitively), its 128 bits used as the trace id; 16
//!   lowercase hex, taken as the low 64 bits (high bits zero, as B3 and Datadog do).
//!   We always send 32 lowercase hex.
//!
//! Precedence: a valid `traceparent` wins; otherwise a valid `x-trace-id` gives the trace
//! id; otherwise a new trace. A `tracestate` is only read alongside a valid `traceparent`
//! and is dropped whole when invalid. Nothing here panics, and nothing invalid is ever
//! re-emitted: injection writes values we format ourselves.
//!
//! With the `http-types` feature, [`HeaderGet`] and [`HeaderSet`] are implemented for
//! the `http` 1.x `HeaderMap` (the header type of hyper, axum, tonic and reqwest), so
//! requests' headers are read and written in place:
//!
#![cfg_attr(feature = "http-types", doc = "```")]
#![cfg_attr(not(feature = "http-types"), doc = "```ignore")]
//! use http::HeaderMap;
//! use telemetra::trace::{propagation, Tracer};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut incoming = HeaderMap::new();
//! incoming.insert(
//!     "traceparent",
//!     "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03".parse()?,
//! );
//! incoming.append("tracestate", "rojo=00f067aa0ba902b7".parse()?);
//! incoming.append("tracestate", "congo=t61rcWkgMzE".parse()?);
//! let parent = propagation::extract(&incoming);
//! let parent = parent.parent().ok_or("no parent")?;
//! assert!(parent.sampled && parent.random);
//! assert_eq!(parent.trace_state.as_str(), "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
//!
//! let span = Tracer::default().span_from_headers(&incoming, "http.request");
//! let mut outgoing = HeaderMap::new();
//! span.inject(&mut outgoing);
//! let tp = outgoing.get("traceparent").ok_or("no traceparent")?.to_str()?;
//! assert!(tp.starts_with("00-4bf92f3577b34da6a3ce929d0e0e4736-") && tp.ends_with("-03"));
//! # Ok(())
//! # }
//! ```

mod headers;
mod traceparent;

pub use headers::{HeaderGet, HeaderPairs, HeaderSet};
pub use traceparent::{
    format_traceparent, parse_traceparent, Traceparent, FLAG_RANDOM, FLAG_SAMPLED,
};

use super::id::parse_lower_hex;
use super::{SpanContext, TraceError, TraceId, TraceState};

/// Header name of the W3C parent.
pub const TRACEPARENT: &str = "traceparent";
/// Header name of the W3C vendor state.
pub const TRACESTATE: &str = "tracestate";
/// Header name of our services' trace id.
pub const X_TRACE_ID: &str = "x-trace-id";

/// What incoming headers said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Extracted {
    /// A valid `traceparent` (with its `tracestate`, if valid): start a child of it.
    Parent(SpanContext),
    /// Only a valid `x-trace-id`: start a local root in that trace.
    TraceId(TraceId),
    /// Nothing usable: start a new trace.
    None,
}

impl Extracted {
    /// The remote parent context, if any.
    #[must_use]
    pub fn parent(&self) -> Option<&SpanContext> {
        match self {
            Self::Parent(cx) => Some(cx),
            _ => None,
        }
    }
}

/// Reads `traceparent`/`tracestate`/`x-trace-id` from `headers`.
pub fn extract<H: HeaderGet + ?Sized>(headers: &H) -> Extracted {
    if let Some(Ok(tp)) = headers.header(TRACEPARENT).map(|v| parse_traceparent(&v)) {
        let trace_state = headers
            .header(TRACESTATE)
            .and_then(|ts| TraceState::parse(&ts).ok())
            .unwrap_or_default();
        return Extracted::Parent(SpanContext {
            trace_id: tp.trace_id,
            span_id: tp.parent_id,
            sampled: tp.sampled(),
            random: tp.random(),
            trace_state,
        });
    }
    match headers.header(X_TRACE_ID).map(|v| parse_x_trace_id(&v)) {
        Some(Ok(t)) => Extracted::TraceId(t),
        _ => Extracted::None,
    }
}

/// Writes `traceparent`, `tracestate` (when not empty) and `x-trace-id` for `cx`,
/// replacing any existing spelling of those headers.
pub fn inject<H: HeaderSet + ?Sized>(cx: &SpanContext, headers: &mut H) {
    headers.set_header(TRACEPARENT, format_traceparent(cx));
    if !cx.trace_state.is_empty() {
        headers.set_header(TRACESTATE, cx.trace_state.as_str().to_owned());
    }
    headers.set_header(X_TRACE_ID, cx.trace_id.to_string());
}

/// Injects the thread's [current](crate::trace::current()) span context, if there is
/// one; returns whether there was.
pub fn inject_current<H: HeaderSet + ?Sized>(headers: &mut H) -> bool {
    match crate::trace::current() {
        Some(cx) => {
            inject(&cx, headers);
            true
        }
        None => false,
    }
}

/// Parses an `x-trace-id` value (surrounding spaces and tabs ignored); shapes in the
/// module docs.
///
/// # Errors
/// [`TraceError::XTraceId`] for any other shape, [`TraceError::ZeroId`] for zero.
pub fn parse_x_trace_id(value: &str) -> Result<TraceId, TraceError> {
    let v = value.trim_matches([' ', '\t']);
    let raw = match v.len() {
        32 | 16 => parse_lower_hex(v),
        36 => parse_uuid(v),
        _ => None,
    }
    .ok_or(TraceError::XTraceId)?;
    TraceId::from_u128(raw).ok_or(TraceError::ZeroId("x-trace-id"))
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hex in either case.
fn parse_uuid(v: &str) -> Option<u128> {
    let mut hex = String::with_capacity(32);
    for (i, c) in v.chars().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if c != '-' {
                return None;
            }
        } else if c.is_ascii_hexdigit() {
            hex.push(c.to_ascii_lowercase());
        } else {
            return None;
        }
    }
    if hex.len() == 32 {
        parse_lower_hex(&hex)
    } else {
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::trace::SpanId;
    use std::collections::HashMap;

    const TID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
    const TP: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    fn cx(ts: &str) -> SpanContext {
        SpanContext {
            trace_id: TraceId::random(),
            span_id: SpanId::random(),
            sampled: true,
            random: true,
            trace_state: TraceState::parse(ts).unwrap(),
        }
    }

    #[test]
    fn round_trip_through_every_container() {
        let c = cx("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
        let mut m: HashMap<String, String> = HashMap::new();
        inject(&c, &mut m);
        assert_eq!(extract(&m), Extracted::Parent(c.clone()));
        let mut v: Vec<(String, String)> = Vec::new();
        inject(&c, &mut v);
        assert_eq!(extract(&v), Extracted::Parent(c.clone()));
        let pairs: Vec<(&str, &str)> = v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(extract(&pairs), Extracted::Parent(c.clone()));
        let it = HeaderPairs(v.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(extract(&it), Extracted::Parent(c));
    }

    #[test]
    fn x_trace_id_round_trip_and_shapes() {
        let c = cx("");
        let mut v: Vec<(String, String)> = Vec::new();
        inject(&c, &mut v);
        v.retain(|(k, _)| k != TRACEPARENT);
        assert!(v.iter().all(|(k, _)| k != TRACESTATE));
        assert_eq!(extract(&v), Extracted::TraceId(c.trace_id));

        let t = TraceId::from_hex(TID).unwrap();
        assert_eq!(parse_x_trace_id(TID), Ok(t));
        assert_eq!(
            parse_x_trace_id("4bf92f35-77b3-4da6-a3ce-929d0e0e4736"),
            Ok(t)
        );
        assert_eq!(
            parse_x_trace_id("4BF92F35-77B3-4DA6-A3CE-929D0E0E4736"),
            Ok(t)
        );
        assert_eq!(
            parse_x_trace_id(" a3ce929d0e0e4736 ").unwrap().to_u128(),
            0xa3ce_929d_0e0e_4736
        );
        for bad in [
            "",
            "4BF92F3577B34DA6A3CE929D0E0E4736",
            "4bf92f35-77b3-4da6-a3ce929d0e0e-4736",
            "4bf92f3577b34da6a3ce929d0e0e473",
            "00000000-0000-0000-0000-000000000000",
            "0000000000000000",
            "4bf92f3577b34da6a3ce929d0e0e47zz",
            "+bf92f35-77b3-4da6-a3ce-929d0e0e4736",
            "4bf92f35-77b3-4da6-a3ce-929d0e0e473é",
        ] {
            assert!(parse_x_trace_id(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn precedence_and_fallbacks() {
        let other = "0af7651916cd43dd8448eb211c80319c";
        let h = vec![(TRACEPARENT, TP), (X_TRACE_ID, other)];
        assert_eq!(extract(&h).parent().unwrap().trace_id.to_string(), TID);
        // An invalid traceparent falls back to a valid x-trace-id.
        let h = vec![(TRACEPARENT, "ff-garbage"), (X_TRACE_ID, other)];
        assert_eq!(
            extract(&h),
            Extracted::TraceId(TraceId::from_hex(other).unwrap())
        );
        let h = vec![(TRACEPARENT, "ff-garbage"), (TRACESTATE, "a=1")];
        assert_eq!(extract(&h), Extracted::None);
        let empty: Vec<(&str, &str)> = Vec::new();
        assert_eq!(extract(&empty), Extracted::None);
    }

    #[test]
    fn invalid_tracestate_dropped_whole_traceparent_kept() {
        for bad in ["Rojo=1", "@a=1", "a=1,b"] {
            let h = vec![(TRACEPARENT, TP), (TRACESTATE, bad)];
            let p = extract(&h);
            let p = p.parent().unwrap();
            assert!(p.trace_state.is_empty(), "{bad}");
            assert!(p.sampled);
        }
        // Repeated tracestate headers are joined before validation.
        let h = vec![
            (TRACEPARENT, TP),
            ("TraceState", "a=1"),
            (TRACESTATE, "b=2"),
        ];
        assert_eq!(
            extract(&h).parent().unwrap().trace_state.as_str(),
            "a=1,b=2"
        );
        // A duplicated key keeps its leftmost entry (W3C Level 2), in one header or two.
        for h in [
            vec![(TRACEPARENT, TP), (TRACESTATE, "a=1,b=2,a=3")],
            vec![
                (TRACEPARENT, TP),
                (TRACESTATE, "a=1,b=2"),
                (TRACESTATE, "a=3"),
            ],
        ] {
            assert_eq!(
                extract(&h).parent().unwrap().trace_state.as_str(),
                "a=1,b=2"
            );
        }
        // Repeated traceparent headers make it invalid.
        let h = vec![(TRACEPARENT, TP), (TRACEPARENT, TP)];
        assert_eq!(extract(&h), Extracted::None);
    }

    #[test]
    fn injection_normalises_foreign_versions_and_flags() {
        let tp = "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09-extra";
        let p = extract(&vec![(TRACEPARENT, tp)]);
        let mut out: Vec<(String, String)> = Vec::new();
        inject(p.parent().unwrap(), &mut out);
        assert_eq!(out.header(TRACEPARENT).unwrap(), TP);
    }

    /// Level 2: "If the flag is set in the incoming `traceparent` header, it MUST also be
    /// set in all outgoing `traceparent` headers which use the same `trace-id`", and "If
    /// the flag is unset [...] it MUST also be unset".
    #[test]
    fn random_flag_is_propagated_unchanged() {
        let tracer = crate::trace::Tracer::default();
        for (incoming, flags) in [
            ("00", "00"),
            ("01", "01"),
            ("02", "02"),
            ("03", "03"),
            ("07", "03"),
            ("fd", "01"),
        ] {
            let tp = format!("00-{TID}-00f067aa0ba902b7-{incoming}");
            let h = vec![(TRACEPARENT, tp.as_str())];
            let server = tracer.span_from_headers(&h, "srv");
            let client = server.child("client");
            let mut out: Vec<(String, String)> = Vec::new();
            client.inject(&mut out);
            let sent = out.header(TRACEPARENT).unwrap();
            assert!(sent.starts_with(&format!("00-{TID}-")), "{sent}");
            assert!(sent.ends_with(&format!("-{flags}")), "{incoming}: {sent}");
        }
        // Our own trace ids are random: a new trace says so.
        let mut out: Vec<(String, String)> = Vec::new();
        tracer.root_span("root").inject(&mut out);
        assert!(out.header(TRACEPARENT).unwrap().ends_with("-03"));
        // An x-trace-id trace id came from elsewhere: we cannot vouch for its randomness.
        let h = vec![(X_TRACE_ID, TID)];
        let mut out: Vec<(String, String)> = Vec::new();
        tracer.span_from_headers(&h, "srv").inject(&mut out);
        assert!(out.header(TRACEPARENT).unwrap().ends_with("-01"));
    }
}
