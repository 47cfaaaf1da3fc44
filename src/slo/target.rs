//! Exact SLO targets (parts per million) and exact fractions.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

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

impl TryFrom<f64> for Target {
    type Error = String;
    fn try_from(percent: f64) -> Result<Self, String> {
        Self::from_percent(percent)
    }
}

/// An exact fraction `num / den` with `den > 0`; comparisons cross-multiply in `i128`.
///
/// Used for every ratio whose comparison decides a state (budget status, burn-rate alerts), so
/// boundary cases such as "exactly 50% remaining" are decided exactly.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Fraction {
    /// Numerator (may be negative: an overspent budget).
    pub num: i128,
    /// Denominator, always positive.
    pub den: i128,
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
}

impl PartialEq for Fraction {
    fn eq(&self, other: &Self) -> bool {
        self.cmp_ratio(other.num, other.den) == Ordering::Equal
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
    fn budget_is_exact_where_f64_is_not() {
        let t = Target::from_ppm(999_000);
        assert_eq!(t.map(|t| t.budget()), Some(Fraction::new(1, 1000)));
        // The float trap from the shared doc: 1 - 0.999 != 0.001 in f64.
        assert_ne!(1.0 - 0.999, 0.001);
    }
}
