//! W3C `traceparent` parsing and formatting.

use crate::trace::id::parse_lower_hex;
use crate::trace::{SpanContext, SpanId, TraceError, TraceId};

/// The fields of a valid `traceparent`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Traceparent {
    /// The version field as received (`0x00`–`0xfe`); we always send `00`.
    pub version: u8,
    /// The trace id.
    pub trace_id: TraceId,
    /// The caller's span id (our parent).
    pub parent_id: SpanId,
    /// The flags byte as received. Bits 0 (`sampled`) and 1 (`random`) are used and
    /// propagated; the others are reserved and never sent.
    pub flags: u8,
}

/// `trace-flags` bit 0: the caller may have recorded trace data.
pub const FLAG_SAMPLED: u8 = 0x01;
/// `trace-flags` bit 1 (W3C Level 2): at least the right-most 7 bytes of the trace id
/// are random.
pub const FLAG_RANDOM: u8 = 0x02;

impl Traceparent {
    /// Whether bit 0 (`sampled`) is set.
    #[must_use]
    pub fn sampled(&self) -> bool {
        self.flags & FLAG_SAMPLED != 0
    }

    /// Whether bit 1 (`random-trace-id`, W3C Level 2) is set.
    #[must_use]
    pub fn random(&self) -> bool {
        self.flags & FLAG_RANDOM != 0
    }
}

/// Parses a `traceparent` value.
///
/// Surrounding spaces and tabs (HTTP optional whitespace) are ignored; anything else
/// must match the spec exactly: lowercase hex, `-` separators, version `ff` forbidden,
/// version `00` exactly 55 chars, a higher version at least 55 chars and, if longer, a
/// `-` after the flags (its extra fields are ignored), ids not all zero.
///
/// # Errors
/// [`TraceError::Traceparent`] naming the rule broken, or the id errors.
pub fn parse_traceparent(value: &str) -> Result<Traceparent, TraceError> {
    let v = value.trim_matches([' ', '\t']);
    if v.len() < 55 {
        return Err(TraceError::Traceparent("is shorter than 55 chars"));
    }
    let field = |r: std::ops::Range<usize>| v.get(r).ok_or(TraceError::Traceparent("is not ascii"));
    let version_hex = field(0..2)?;
    let version = match parse_lower_hex(version_hex) {
        Some(n) if version_hex.len() == 2 => n,
        _ => {
            return Err(TraceError::Traceparent(
                "version is not 2 lowercase hex digits",
            ));
        }
    };
    if version == 0xff {
        return Err(TraceError::Traceparent("version ff is forbidden"));
    }
    let b = v.as_bytes();
    if [2usize, 35, 52].iter().any(|&i| b.get(i) != Some(&b'-')) {
        return Err(TraceError::Traceparent("fields are not separated by '-'"));
    }
    let trace_id = TraceId::from_hex(field(3..35)?)?;
    let parent_id = SpanId::from_hex(field(36..52)?)?;
    let flags = parse_lower_hex(field(53..55)?).ok_or(TraceError::Traceparent(
        "flags are not 2 lowercase hex digits",
    ))?;
    if v.len() > 55 {
        if version == 0 {
            return Err(TraceError::Traceparent("version 00 has extra fields"));
        }
        if b.get(55) != Some(&b'-') {
            return Err(TraceError::Traceparent("flags are not followed by '-'"));
        }
    }
    #[allow(clippy::cast_possible_truncation)] // both parsed from exactly 2 hex digits
    Ok(Traceparent {
        version: version as u8,
        trace_id,
        parent_id,
        flags: flags as u8,
    })
}

/// Formats `00-<trace id>-<span id>-<flags>`: flags `00` to `03`, bit 0 from
/// [`SpanContext::sampled`], bit 1 from [`SpanContext::random`], reserved bits zero.
#[must_use]
pub fn format_traceparent(cx: &SpanContext) -> String {
    let mut flags = 0_u8;
    if cx.sampled {
        flags |= FLAG_SAMPLED;
    }
    if cx.random {
        flags |= FLAG_RANDOM;
    }
    format!("00-{}-{}-{flags:02x}", cx.trace_id, cx.span_id)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::trace::TraceState;

    const TID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
    const PID: &str = "00f067aa0ba902b7";

    /// Expected outcome of one malformed-or-odd input.
    enum Want {
        /// Accepted with these (sampled, random) flags.
        Ok(bool, bool),
        /// Rejected.
        Rejected,
    }

    #[test]
    fn malformed_table() {
        use Want::{Ok as Accept, Rejected};
        let cases: Vec<(&str, String, Want)> = vec![
            (
                "canonical sampled",
                format!("00-{TID}-{PID}-01"),
                Accept(true, false),
            ),
            (
                "canonical not sampled",
                format!("00-{TID}-{PID}-00"),
                Accept(false, false),
            ),
            (
                "unknown flag bits ignored",
                format!("00-{TID}-{PID}-09"),
                Accept(true, false),
            ),
            (
                "random flag (level 2)",
                format!("00-{TID}-{PID}-02"),
                Accept(false, true),
            ),
            (
                "sampled and random (level 2)",
                format!("00-{TID}-{PID}-03"),
                Accept(true, true),
            ),
            (
                "every flag bit",
                format!("00-{TID}-{PID}-ff"),
                Accept(true, true),
            ),
            (
                "reserved bit only",
                format!("00-{TID}-{PID}-04"),
                Accept(false, false),
            ),
            (
                "surrounding whitespace (OWS)",
                format!(" \t00-{TID}-{PID}-01 "),
                Accept(true, false),
            ),
            (
                "higher version, 55 chars",
                format!("01-{TID}-{PID}-01"),
                Accept(true, false),
            ),
            (
                "higher version, extra field",
                format!("cc-{TID}-{PID}-01-what-ever"),
                Accept(true, false),
            ),
            (
                "higher version, random flag read the version-00 way",
                format!("cc-{TID}-{PID}-02-what-ever"),
                Accept(false, true),
            ),
            (
                "higher version, extra without dash",
                format!("cc-{TID}-{PID}-01x"),
                Rejected,
            ),
            ("version ff", format!("ff-{TID}-{PID}-01"), Rejected),
            ("version uppercase", format!("0A-{TID}-{PID}-01"), Rejected),
            ("version non-hex", format!("0g-{TID}-{PID}-01"), Rejected),
            (
                "version 00 extra field",
                format!("00-{TID}-{PID}-01-extra"),
                Rejected,
            ),
            (
                "version 00 trailing char",
                format!("00-{TID}-{PID}-011"),
                Rejected,
            ),
            (
                "short trace id",
                format!("00-{}-{PID}-01", &TID[1..]),
                Rejected,
            ),
            (
                "short parent id",
                format!("00-{TID}-{}-01", &PID[1..]),
                Rejected,
            ),
            ("long trace id", format!("00-{TID}0-{PID}-01"), Rejected),
            (
                "uppercase trace id",
                format!("00-{}-{PID}-01", TID.to_uppercase()),
                Rejected,
            ),
            (
                "uppercase parent id",
                format!("00-{TID}-{}-01", "00F067AA0BA902B7"),
                Rejected,
            ),
            (
                "zero trace id",
                format!("00-{}-{PID}-01", "0".repeat(32)),
                Rejected,
            ),
            (
                "zero parent id",
                format!("00-{TID}-{}-01", "0".repeat(16)),
                Rejected,
            ),
            ("one-digit flags", format!("00-{TID}-{PID}-1"), Rejected),
            ("non-hex flags", format!("00-{TID}-{PID}-0x"), Rejected),
            ("uppercase flags", format!("00-{TID}-{PID}-0A"), Rejected),
            (
                "non-hex in trace id",
                format!("00-{}g-{PID}-01", &TID[..31]),
                Rejected,
            ),
            (
                "underscore separators",
                format!("00_{TID}_{PID}_01"),
                Rejected,
            ),
            (
                "inner whitespace",
                format!("00- {}-{PID}-01", &TID[1..]),
                Rejected,
            ),
            ("space before flags", format!("00-{TID}-{PID}- 1"), Rejected),
            (
                "non-ascii",
                format!("00-{}é-{PID}-01", &TID[..30]),
                Rejected,
            ),
            ("empty", String::new(), Rejected),
            (
                "two headers joined",
                format!("00-{TID}-{PID}-01,00-{TID}-{PID}-01"),
                Rejected,
            ),
        ];
        for (what, input, want) in cases {
            let got = parse_traceparent(&input);
            match want {
                Want::Ok(sampled, random) => {
                    let tp = got.unwrap_or_else(|e| unreachable!("{what}: rejected: {e}"));
                    assert_eq!(tp.sampled(), sampled, "{what}");
                    assert_eq!(tp.random(), random, "{what}");
                    assert_eq!(tp.trace_id.to_string(), TID, "{what}");
                    assert_eq!(tp.parent_id.to_string(), PID, "{what}");
                }
                Want::Rejected => assert!(got.is_err(), "{what}: accepted {input:?}"),
            }
        }
    }

    #[test]
    fn round_trip() {
        for (sampled, random, flags) in [
            (false, false, "00"),
            (true, false, "01"),
            (false, true, "02"),
            (true, true, "03"),
        ] {
            let cx = SpanContext {
                trace_id: TraceId::random(),
                span_id: SpanId::random(),
                sampled,
                random,
                trace_state: TraceState::empty(),
            };
            let s = format_traceparent(&cx);
            assert_eq!(s.len(), 55);
            assert!(s.ends_with(&format!("-{flags}")), "{s}");
            let tp = parse_traceparent(&s).unwrap();
            assert_eq!(
                (tp.trace_id, tp.parent_id, tp.sampled(), tp.random()),
                (cx.trace_id, cx.span_id, sampled, random)
            );
        }
    }

    /// The spec's examples ("Examples of HTTP traceparent Headers") and its trace-flags
    /// text: "both `01` and `03` represent that the trace has been sampled", "`03` and
    /// `02` both represent that at least the right-most 7 bytes of the `trace-id` are
    /// randomly (or pseudo-randomly) generated".
    #[test]
    fn spec_examples() {
        let cases = [
            (
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                true,
                false,
            ),
            (
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
                false,
                false,
            ),
            (
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                true,
                false,
            ),
            (
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03",
                true,
                true,
            ),
            (
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02",
                false,
                true,
            ),
        ];
        for (value, sampled, random) in cases {
            let tp = parse_traceparent(value).unwrap();
            assert_eq!(
                (tp.version, tp.sampled(), tp.random()),
                (0, sampled, random)
            );
            let cx = SpanContext {
                trace_id: tp.trace_id,
                span_id: tp.parent_id,
                sampled,
                random,
                trace_state: TraceState::empty(),
            };
            // Unchanged ids and flags format back to the same value.
            assert_eq!(format_traceparent(&cx), value);
        }
    }

    #[test]
    fn errors_name_the_field_without_echoing_input() {
        let e = parse_traceparent(&format!("ff-{TID}-{PID}-01")).unwrap_err();
        assert_eq!(e.to_string(), "traceparent version ff is forbidden");
        let e = parse_traceparent(&format!("00-{}-{PID}-01", "0".repeat(32))).unwrap_err();
        assert_eq!(e.to_string(), "trace id must not be all zeros");
        assert!(!e.to_string().contains(PID));
    }
}
