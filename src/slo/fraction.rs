//! [`Fraction`]: exact ratios of `i128` integers, with checked arithmetic and decimal parsing.
//!
//! Every ratio whose comparison decides a state (budget status, burn-rate alerts, recovery
//! times) is a `Fraction`, so boundary cases such as "exactly 50% remaining" are decided
//! exactly. Arithmetic is `checked_*`: `None` on overflow or division by zero, never a panic.
//! Results are reduced to lowest terms so chains of operations stay small.
//!
//! ```
//! use telemetra::slo::Fraction;
//! let target: Fraction = "0.9995".parse()?;
//! let budget = Fraction::one().checked_sub(target).ok_or("overflow")?;
//! assert_eq!(budget, Fraction::new(1, 2000));
//! let factor: Fraction = "14.4".parse()?;
//! assert_eq!(factor.checked_mul(budget), Some(Fraction::new(72, 10_000)));
//! assert!("9..5".parse::<Fraction>().is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// An exact fraction `num / den` with `den > 0`; comparisons cross-multiply in `i128`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Fraction {
    /// Numerator (may be negative: an overspent budget).
    pub num: i128,
    /// Denominator, always positive.
    pub den: i128,
}

/// Why a decimal string is not a [`Fraction`] (or a target).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid decimal `{text}`: {reason}")]
pub struct ParseDecimalError {
    /// The input (configuration text, never a secret).
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl ParseDecimalError {
    pub(crate) fn new(text: &str, reason: &'static str) -> Self {
        Self {
            text: text.to_owned(),
            reason,
        }
    }
}

/// Most digits after the point: `10^30` still fits an `i128` with room for the integer part.
const MAX_DECIMALS: usize = 30;

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.saturating_abs();
    b = b.saturating_abs();
    while b != 0 {
        let r = a % b;
        a = b;
        b = r;
    }
    a
}

impl Fraction {
    /// `num / den`; a non-positive `den` is treated as `num / 1` with the sign folded in.
    pub fn new(num: i128, den: i128) -> Self {
        match den.cmp(&0) {
            Ordering::Greater => Self { num, den },
            Ordering::Less => Self {
                num: num.saturating_neg(),
                den: den.saturating_neg(),
            },
            Ordering::Equal => Self { num, den: 1 },
        }
    }

    /// Zero.
    pub fn zero() -> Self {
        Self { num: 0, den: 1 }
    }

    /// One.
    pub fn one() -> Self {
        Self { num: 1, den: 1 }
    }

    /// The same value in lowest terms.
    pub fn reduced(self) -> Self {
        let g = gcd(self.num, self.den);
        if g <= 1 {
            return self;
        }
        Self {
            num: self.num / g,
            den: self.den / g,
        }
    }

    /// Nearest `f64` (for display and for derived durations).
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// Exact comparison with `n / d` (`d > 0`).
    pub fn cmp_ratio(self, n: i128, d: i128) -> Ordering {
        // self.num/self.den vs n/d  <=>  self.num*d vs n*self.den (both dens positive).
        let lhs = self.num.saturating_mul(d);
        let rhs = n.saturating_mul(self.den);
        lhs.cmp(&rhs)
    }

    /// `1 - self`.
    pub fn one_minus(self) -> Self {
        Self::new(self.den.saturating_sub(self.num), self.den)
    }

    /// `self + other`; `None` on overflow.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        let (a, b) = (self.reduced(), other.reduced());
        let g = gcd(a.den, b.den).max(1);
        let den = (a.den / g).checked_mul(b.den)?;
        let num = a
            .num
            .checked_mul(b.den / g)?
            .checked_add(b.num.checked_mul(a.den / g)?)?;
        Some(Self::new(num, den).reduced())
    }

    /// `self - other`; `None` on overflow.
    pub fn checked_sub(self, other: Self) -> Option<Self> {
        self.checked_add(Self::new(other.num.checked_neg()?, other.den))
    }

    /// `self * other`; `None` on overflow.
    pub fn checked_mul(self, other: Self) -> Option<Self> {
        let (a, b) = (self.reduced(), other.reduced());
        // Cross-reduce first so exact products of large terms still fit.
        let g1 = gcd(a.num, b.den).max(1);
        let g2 = gcd(b.num, a.den).max(1);
        let num = (a.num / g1).checked_mul(b.num / g2)?;
        let den = (a.den / g2).checked_mul(b.den / g1)?;
        Some(Self::new(num, den))
    }

    /// `self / other`; `None` when `other` is zero or on overflow.
    pub fn checked_div(self, other: Self) -> Option<Self> {
        if other.num == 0 {
            return None;
        }
        self.checked_mul(Self::new(other.den, other.num))
    }

    /// Parses a plain decimal such as `"0.9995"`, `"14.4"` or `"-1.5"` (at most 30 decimals,
    /// no exponent), or a ratio such as `"14/15"`; exact (no floating point).
    pub fn from_decimal(text: &str) -> Result<Self, ParseDecimalError> {
        let err = |reason| ParseDecimalError::new(text, reason);
        let t = text.trim();
        if t.is_empty() {
            return Err(err("empty"));
        }
        if let Some((n, d)) = t.split_once('/') {
            let n: i128 = n
                .trim()
                .parse()
                .map_err(|_| err("numerator is not an integer"))?;
            let d: i128 = d
                .trim()
                .parse()
                .map_err(|_| err("denominator is not an integer"))?;
            if d == 0 {
                return Err(err("denominator is zero"));
            }
            return Ok(Self::new(n, d).reduced());
        }
        let (negative, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty() {
            return Err(err("no digits"));
        }
        if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(err("expected digits with at most one `.`"));
        }
        if frac.len() > MAX_DECIMALS {
            return Err(err("more than 30 digits after the point"));
        }
        let den = 10i128
            .checked_pow(u32::try_from(frac.len()).unwrap_or(u32::MAX))
            .ok_or_else(|| err("too many decimals"))?;
        let mut num: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            num = num
                .checked_mul(10)
                .and_then(|n| n.checked_add(i128::from(b - b'0')))
                .ok_or_else(|| err("too large"))?;
        }
        if negative {
            num = -num;
        }
        Ok(Self::new(num, den).reduced())
    }
}

impl Fraction {
    /// The exact decimal text (`"14.4"`, `"-0.5"`, `"3"`) when the value has one (its reduced
    /// denominator has no prime factor but 2 and 5), else `"num/den"` (`"14/15"`). Parses back
    /// to the same value with [`Fraction::from_decimal`].
    pub fn to_exact_string(self) -> String {
        let r = self.reduced();
        if r.den <= 0 {
            // Only a hand-built value (the fields are public) can get here.
            return format!("{}/{}", r.num, r.den);
        }
        let (mut twos, mut fives, mut rest) = (0u32, 0u32, r.den);
        while rest % 2 == 0 {
            rest /= 2;
            twos += 1;
        }
        while rest % 5 == 0 {
            rest /= 5;
            fives += 1;
        }
        let places = twos.max(fives);
        let scale = 10i128.checked_pow(places);
        let scaled = scale.and_then(|s| r.num.checked_mul(s / r.den));
        match scaled {
            Some(n) if rest == 1 => {
                let sign = if n < 0 { "-" } else { "" };
                let digits = n.unsigned_abs().to_string();
                let places = usize::try_from(places).unwrap_or(0);
                if places == 0 {
                    return format!("{sign}{digits}");
                }
                let padded = format!("{digits:0>width$}", width = places + 1);
                let (int, frac) = padded.split_at(padded.len() - places);
                format!("{sign}{int}.{frac}")
            }
            _ => format!("{}/{}", r.num, r.den),
        }
    }
}

impl FromStr for Fraction {
    type Err = ParseDecimalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_decimal(s)
    }
}

impl PartialEq for Fraction {
    fn eq(&self, other: &Self) -> bool {
        self.cmp_ratio(other.num, other.den) == Ordering::Equal
    }
}

impl Eq for Fraction {}

impl PartialOrd for Fraction {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Fraction {
    fn cmp(&self, other: &Self) -> Ordering {
        // Exact when the products fit (every value this crate builds); saturating otherwise.
        self.cmp_ratio(other.num, other.den)
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Fraction {
        Fraction::from_decimal(s).unwrap_or_else(|e| unreachable!("{e}"))
    }

    #[test]
    fn parses_decimals_exactly() {
        let cases = [
            ("0.9995", 9995, 10_000),
            ("99.95", 9995, 100),
            ("14.4", 144, 10),
            ("-1.5", -3, 2),
            ("+2", 2, 1),
            (".5", 1, 2),
            ("3.", 3, 1),
            ("14/15", 14, 15),
            ("0.000000000000000000000000000001", 1, 10i128.pow(30)),
        ];
        for (text, n, d) in cases {
            let f = p(text);
            assert_eq!(f, Fraction::new(n, d), "{text}");
            // Reduced: equal values have equal terms.
            assert_eq!((f.num, f.den), {
                let r = Fraction::new(n, d).reduced();
                (r.num, r.den)
            });
        }
        for bad in [
            "",
            " ",
            ".",
            "1.2.3",
            "abc",
            "1e3",
            "--1",
            "1/0",
            "0.0000000000000000000000000000001",
        ] {
            let e = Fraction::from_decimal(bad);
            assert!(e.is_err(), "{bad:?} parsed as {e:?}");
        }
        let e = Fraction::from_decimal("9..5").err();
        assert_eq!(
            e.map(|e| e.to_string()),
            Some("invalid decimal `9..5`: expected digits with at most one `.`".to_owned())
        );
    }

    #[test]
    fn arithmetic_is_exact_and_checked() {
        let third = Fraction::new(1, 3);
        let sixth = Fraction::new(1, 6);
        assert_eq!(third.checked_add(sixth), Some(Fraction::new(1, 2)));
        assert_eq!(third.checked_sub(sixth), Some(sixth));
        assert_eq!(sixth.checked_sub(third), Some(Fraction::new(-1, 6)));
        assert_eq!(third.checked_mul(p("1.5")), Some(Fraction::new(1, 2)));
        assert_eq!(third.checked_div(sixth), Some(Fraction::new(2, 1)));
        assert_eq!(third.checked_div(Fraction::zero()), None);
        // The float trap: 1 - 0.999 is exactly 0.001, and 14.4 * 0.001 exactly 0.0144.
        let budget = Fraction::one().checked_sub(p("0.999"));
        assert_eq!(budget, Some(Fraction::new(1, 1000)));
        assert_eq!(
            budget.and_then(|b| b.checked_mul(p("14.4"))),
            Some(Fraction::new(144, 10_000))
        );
        // Overflow is None, never a panic.
        let huge = Fraction::new(i128::MAX, 1);
        assert_eq!(huge.checked_add(Fraction::one()), None);
        assert_eq!(huge.checked_mul(Fraction::new(2, 1)), None);
        assert_eq!(
            Fraction::new(i128::MIN, 1).checked_sub(Fraction::one()),
            None
        );
        // Cross-reduction keeps exact products in range.
        let big = Fraction::new(i128::MAX / 7 * 7, 7);
        assert_eq!(
            big.checked_mul(Fraction::new(7, i128::MAX / 7 * 7)),
            Some(Fraction::one())
        );
        assert!(third > sixth && Fraction::new(-1, 2) < Fraction::zero());
    }

    #[test]
    fn exact_strings_round_trip() {
        for (f, text) in [
            (Fraction::new(144, 10), "14.4"),
            (Fraction::new(-1, 2), "-0.5"),
            (Fraction::new(3, 1), "3"),
            (Fraction::new(1, 1000), "0.001"),
            (Fraction::new(14, 15), "14/15"),
            (Fraction::new(6, -4), "-1.5"),
        ] {
            assert_eq!(f.to_exact_string(), text);
            assert_eq!(p(text), f);
        }
        // A hand-built zero denominator is printed, not looped over.
        assert_eq!(Fraction { num: 3, den: 0 }.to_exact_string(), "1/0");
    }
}
