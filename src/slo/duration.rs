//! Human durations used in SLO and alert configuration: `"300ms"`, `"5m"`, `"1h30m"`, `"30d"`.
//!
//! Units: `ms`, `s`, `m`, `h`, `d` (86 400 s), `w` (7 d). Months are not a duration (they vary in
//! length); use a calendar window for them.

use std::time::Duration;

/// Parses a duration such as `"5m"`, `"1h30m"`, `"30d"` or `"250ms"`.
///
/// Returns a short lowercase reason on failure (the caller adds the field name).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("empty duration".to_owned());
    }
    let mut total_ms: u128 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(format!("expected a number in duration `{text}`"));
        }
        let (num, tail) = rest.split_at(digits);
        let value: u128 = num
            .parse()
            .map_err(|_| format!("number too large in duration `{text}`"))?;
        let unit_len = tail.bytes().take_while(u8::is_ascii_alphabetic).count();
        let (unit, tail) = tail.split_at(unit_len);
        let unit_ms: u128 = match unit {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            "" => {
                return Err(format!(
                    "missing unit in duration `{text}` (use ms, s, m, h, d, w)"
                ))
            }
            other => return Err(format!("unknown unit `{other}` in duration `{text}`")),
        };
        total_ms = value
            .checked_mul(unit_ms)
            .and_then(|v| total_ms.checked_add(v))
            .ok_or_else(|| format!("duration `{text}` is too large"))?;
        rest = tail;
    }
    let ms = u64::try_from(total_ms).map_err(|_| format!("duration `{text}` is too large"))?;
    Ok(Duration::from_millis(ms))
}

/// Formats a duration with the largest exact units, e.g. `1h30m`, `30d`, `250ms`, `0s`.
pub fn format_duration(d: Duration) -> String {
    let mut ms = d.as_millis();
    if ms == 0 {
        return "0s".to_owned();
    }
    let mut out = String::new();
    for (unit, size) in [
        ("d", 86_400_000u128),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
    ] {
        if ms >= size {
            out.push_str(&format!("{}{unit}", ms / size));
            ms %= size;
        }
    }
    if ms > 0 {
        out.push_str(&format!("{ms}ms"));
    }
    out
}

/// Serde adapter: a [`Duration`] as a human string (`#[serde(with = "crate::slo::duration::serde_str")]`).
pub mod serde_str {
    use super::{format_duration, parse_duration};
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    /// Serializes as a human duration string.
    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_duration(*d))
    }

    /// Deserializes from a human duration string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(d)?;
        parse_duration(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        let cases = [
            ("300ms", 300),
            ("5m", 300_000),
            ("1h30m", 5_400_000),
            ("30d", 2_592_000_000),
            ("7d", 604_800_000),
        ];
        for (text, ms) in cases {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_millis(ms)),
                "{text}"
            );
            assert_eq!(format_duration(Duration::from_millis(ms)), text);
        }
        assert_eq!(parse_duration("1w"), Ok(Duration::from_secs(604_800)));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("5y").is_err());
        assert!(parse_duration("m").is_err());
    }
}
