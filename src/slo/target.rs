//! Exact SLO targets (parts per million) and exact fractions.

pub use super::fraction::{Fraction, ParseDecimalError};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One million: the denominator of every [`Target`].
pub const PPM: u64 = 1_000_000;

/// An SLO target held exactly as parts per million (99.9% = `999_000`).
///
/// Four decimals of a percent are representable (99.9999%). A target must be above 0% and
/// below 100%: a 100% target has no error budget, so budget ratios and burn rates would divide
/// by zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "f64", try_from = "f64")]
pub struct Target(u32);

impl Target {
    /// A target from parts per million; `None` unless `0 < ppm < 1_000_000`.
    pub fn from_ppm(ppm: u32) -> Option<Self> {
        (ppm > 0 && u64::from(ppm) < PPM).then_some(Self(ppm))
    }

    /// A target from a percentage such as `99.9`; the percent must have at most four decimals.
    pub fn from_percent(percent: f64) -> Result<Self, String> {
        if !percent.is_finite() {
            return Err("must be a finite percentage".to_owned());
        }
        let scaled = percent * 10_000.0;
        let rounded = scaled.round();
        if (scaled - rounded).abs() > 1e-6 {
            return Err(format!("{percent} has more than four decimals"));
        }
        if !(rounded > 0.0 && rounded < PPM as f64) {
            return Err(format!("{percent} is not above 0 and below 100"));
        }
        // In range (0, 1e6) and integral, so the cast is exact.
        Self::from_ppm(rounded as u32).ok_or_else(|| format!("{percent} is out of range"))
    }

    /// A target from an exact fraction of one (`0.9995` as `9995/10000`); it must be a whole
    /// number of parts per million, above 0 and below 1.
    pub fn from_fraction(ratio: Fraction) -> Result<Self, String> {
        let ppm = ratio
            .checked_mul(Fraction::new(i128::from(PPM), 1))
            .map(Fraction::reduced)
            .ok_or_else(|| "is too large".to_owned())?;
        if ppm.den != 1 {
            return Err(format!(
                "{ratio} is finer than one part per million (four decimals of a percent)"
            ));
        }
        u32::try_from(ppm.num)
            .ok()
            .and_then(Self::from_ppm)
            .ok_or_else(|| format!("{ratio} is not above 0 and below 1"))
    }

    /// Parses a target written as a ratio (`"0.9995"`, below 1) or a percentage (`"99.95"`, or
    /// with a sign: `"99.95%"`), exactly. A bare number of 1 or more is read as a percentage,
    /// so targets below 1% must be written with `%`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let (number, percent) = match t.strip_suffix('%') {
            Some(n) => (n, true),
            None => (t, false),
        };
        let value = Fraction::from_decimal(number).map_err(|e| e.to_string())?;
        let percent = percent || value >= Fraction::one();
        let ratio = if percent {
            value.checked_div(Fraction::new(100, 1))
        } else {
            Some(value)
        };
        let ratio = ratio.ok_or_else(|| format!("`{t}` is out of range"))?;
        Self::from_fraction(ratio).map_err(|reason| format!("target `{t}` {reason}"))
    }

    /// The target as an exact fraction of one (99.9% = `999/1000`).
    pub fn ratio(self) -> Fraction {
        Fraction::new(i128::from(self.0), i128::from(PPM)).reduced()
    }

    /// Parts per million (99.9% = `999_000`).
    pub fn ppm(self) -> u32 {
        self.0
    }

    /// Error-budget share in parts per million (`1_000_000 - ppm`, 99.9% = `1_000`).
    pub fn budget_ppm(self) -> u64 {
        PPM - u64::from(self.0)
    }

    /// The budget `1 - target` as an exact fraction.
    pub fn budget(self) -> Fraction {
        Fraction::new(i128::from(self.budget_ppm()), i128::from(PPM))
    }

    /// The target as a percentage (for display only).
    pub fn percent(self) -> f64 {
        f64::from(self.0) / 10_000.0
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.percent())
    }
}

impl From<Target> for f64 {
    fn from(t: Target) -> f64 {
        t.percent()
    }
}

impl FromStr for Target {
    type Err = String;
    /// See [`Target::parse`].
    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse(s)
    }
}

impl TryFrom<f64> for Target {
    type Error = String;
    fn try_from(percent: f64) -> Result<Self, String> {
        Self::from_percent(percent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_round_trips_exactly() {
        for (p, ppm) in [
            (99.9, 999_000),
            (99.5, 995_000),
            (99.95, 999_500),
            (99.9999, 999_999),
        ] {
            assert_eq!(Target::from_percent(p).map(Target::ppm), Ok(ppm));
        }
        assert!(Target::from_percent(100.0).is_err());
        assert!(Target::from_percent(0.0).is_err());
        assert!(Target::from_percent(99.99999).is_err());
        assert!(Target::from_percent(f64::NAN).is_err());
    }

    #[test]
    fn targets_parse_from_decimal_strings() {
        let cases = [
            ("99.95", 999_500),
            ("0.9995", 999_500),
            ("99.95%", 999_500),
            ("99.9999", 999_999),
            ("0.5%", 5_000),
            ("0.999", 999_000),
            (" 95 ", 950_000),
        ];
        for (text, ppm) in cases {
            assert_eq!(Target::parse(text).map(Target::ppm), Ok(ppm), "{text}");
        }
        let errors = [
            ("100", "is not above 0 and below 1"),
            ("0", "is not above 0 and below 1"),
            ("99.99999", "finer than one part per million"),
            ("0.9999999", "finer than one part per million"),
            ("-5", "is not above 0 and below 1"),
            ("ninety", "invalid decimal `ninety`"),
            ("", "invalid decimal ``: empty"),
        ];
        for (text, reason) in errors {
            let e = Target::parse(text);
            assert!(
                matches!(&e, Err(msg) if msg.contains(reason)),
                "{text:?}: {e:?}"
            );
        }
        assert_eq!(
            "99.9".parse::<Target>().map(Target::ratio),
            Ok(Fraction::new(999, 1000))
        );
    }

    #[test]
    fn budget_is_exact_where_f64_is_not() {
        let t = Target::from_ppm(999_000);
        assert_eq!(t.map(|t| t.budget()), Some(Fraction::new(1, 1000)));
        // The float trap from the shared doc: 1 - 0.999 != 0.001 in f64.
        assert_ne!(1.0 - 0.999, 0.001);
    }
}
