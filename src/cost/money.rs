//! Exact money amounts in integer pico-units.

use std::fmt;
use std::iter::Sum;
use std::ops::Add;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use super::CostError;

const PICOS_PER_UNIT: u128 = 1_000_000_000_000;
const PICOS_PER_CENT: u128 = 10_000_000_000;

/// An exact, non-negative amount of money in pico-units (10⁻¹² of a currency unit).
///
/// Token prices of up to 6 decimal places per million tokens are whole pico-units per
/// token, so every cost is an exact integer and sums never drift. Rounding happens only
/// when presenting: [`to_cents`](Self::to_cents) and `Display` round half up to the cent.
/// Arithmetic saturates instead of overflowing (the ceiling is ~3.4 × 10²⁶ units).
///
/// JSON: serializes as a number (an `f64`, for dashboards); deserializes exactly from a
/// number or a string such as `"0.075"`.
///
/// ```
/// use telemetra::cost::Money;
///
/// # fn main() -> Result<(), telemetra::cost::CostError> {
/// let a = Money::parse("0.005", "amount")?;
/// let b = Money::from_cents(1);
/// assert_eq!((a + b).to_string(), "0.02"); // 0.015 rounds half up
/// assert_eq!((a + b).to_decimal_string(), "0.015");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money {
    picos: u128,
}

impl Money {
    /// Zero.
    pub const ZERO: Money = Money { picos: 0 };

    /// From pico-units (10⁻¹²).
    #[must_use]
    pub const fn from_picos(picos: u128) -> Self {
        Self { picos }
    }

    /// From micro-units (10⁻⁶).
    #[must_use]
    pub const fn from_micros(micros: u64) -> Self {
        Self {
            picos: micros as u128 * 1_000_000,
        }
    }

    /// From cents (10⁻²).
    #[must_use]
    pub const fn from_cents(cents: u64) -> Self {
        Self {
            picos: cents as u128 * PICOS_PER_CENT,
        }
    }

    /// From whole units.
    #[must_use]
    pub const fn from_units(units: u64) -> Self {
        Self {
            picos: units as u128 * PICOS_PER_UNIT,
        }
    }

    /// Parses a plain decimal (`12`, `12.5`, `0.000001`) with at most 12 decimal places.
    /// `field` names the value in the error.
    ///
    /// # Errors
    /// [`CostError::InvalidAmount`] for signs, exponents, empty parts, more than 12
    /// decimals or overflow.
    pub fn parse(s: &str, field: &str) -> Result<Self, CostError> {
        parse_decimal(s, 12)
            .map(Self::from_picos)
            .ok_or_else(|| CostError::InvalidAmount {
                field: field.to_owned(),
                max_decimals: 12,
            })
    }

    /// The amount in pico-units.
    #[must_use]
    pub const fn picos(self) -> u128 {
        self.picos
    }

    /// The amount in cents, rounded half up.
    #[must_use]
    pub fn to_cents(self) -> u128 {
        self.picos.saturating_add(PICOS_PER_CENT / 2) / PICOS_PER_CENT
    }

    /// The amount as a float, for counters and display (may lose precision).
    #[must_use]
    #[allow(clippy::cast_precision_loss)] // documented: a presentation value
    pub fn as_f64(self) -> f64 {
        let whole = (self.picos / PICOS_PER_UNIT) as f64;
        let frac = (self.picos % PICOS_PER_UNIT) as f64 / 1e12;
        whole + frac
    }

    /// The exact decimal, trailing zeros trimmed (`0.015`, `12`).
    #[must_use]
    pub fn to_decimal_string(self) -> String {
        let whole = self.picos / PICOS_PER_UNIT;
        let frac = self.picos % PICOS_PER_UNIT;
        if frac == 0 {
            return whole.to_string();
        }
        let digits = format!("{frac:012}");
        format!("{whole}.{}", digits.trim_end_matches('0'))
    }

    /// Sum that saturates at the maximum.
    #[must_use]
    pub const fn saturating_add(self, other: Money) -> Money {
        Money {
            picos: self.picos.saturating_add(other.picos),
        }
    }

    /// Multiplies by a count, saturating.
    #[must_use]
    pub const fn saturating_mul(self, n: u64) -> Money {
        Money {
            picos: self.picos.saturating_mul(n as u128),
        }
    }

    /// `self / other` in basis points (1/100 of a percent), rounded down; `None` when
    /// `other` is zero.
    #[must_use]
    pub fn ratio_bps(self, other: Money) -> Option<u128> {
        ratio_bps(self.picos, other.picos)
    }
}

pub(crate) fn ratio_bps(used: u128, limit: u128) -> Option<u128> {
    if limit == 0 {
        return None;
    }
    Some(used.saturating_mul(10_000) / limit)
}

/// Parses a plain non-negative decimal into integer units of 10^-`decimals`.
pub(crate) fn parse_decimal(s: &str, decimals: u32) -> Option<u128> {
    let s = s.trim();
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    let digits_only = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits_only(whole) || !digits_only(frac) {
        return None;
    }
    if s.contains('.') && frac.is_empty() {
        return None;
    }
    let frac_len = u32::try_from(frac.len()).ok()?;
    if frac_len > decimals {
        return None;
    }
    let scale = 10u128.checked_pow(decimals)?;
    let whole: u128 = whole.parse().ok()?;
    let frac_value: u128 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    let frac_scaled = frac_value.checked_mul(10u128.checked_pow(decimals - frac_len)?)?;
    whole.checked_mul(scale)?.checked_add(frac_scaled)
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        self.saturating_add(rhs)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Money::saturating_add)
    }
}

impl fmt::Display for Money {
    /// Rounded half up to two decimals, e.g. `0.02`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cents = self.to_cents();
        write!(f, "{}.{:02}", cents / 100, cents % 100)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MoneyVisitor)
    }
}

struct MoneyVisitor;

impl de::Visitor<'_> for MoneyVisitor {
    type Value = Money;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative decimal amount with at most 12 decimal places")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
        Ok(Money::from_units(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
        u64::try_from(v)
            .map(Money::from_units)
            .map_err(|_| E::custom("amount must not be negative"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
        // `Display` for f64 prints the shortest decimal that round-trips, which is the
        // literal written in the JSON for any amount with up to ~15 significant digits.
        self.visit_str(&v.to_string())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
        parse_decimal(v, 12).map(Money::from_picos).ok_or_else(|| {
            E::custom("amount must be a non-negative decimal with at most 12 decimal places")
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parse_is_exact() {
        assert_eq!(Money::parse("0.075", "x").unwrap().picos(), 75_000_000_000);
        assert_eq!(Money::parse("12", "x").unwrap(), Money::from_units(12));
        assert_eq!(Money::parse("0.000000000001", "x").unwrap().picos(), 1);
        for bad in ["", "-1", "1e3", ".5", "5.", "1.0000000000001", "a"] {
            assert!(Money::parse(bad, "price").is_err(), "{bad}");
        }
    }

    #[test]
    fn json_round_trip_from_numbers_and_strings() {
        let m: Money = serde_json::from_str("0.075").unwrap();
        assert_eq!(m.picos(), 75_000_000_000);
        let m: Money = serde_json::from_str("\"26.5\"").unwrap();
        assert_eq!(m.to_decimal_string(), "26.5");
        let m: Money = serde_json::from_str("150").unwrap();
        assert_eq!(m, Money::from_units(150));
        assert!(serde_json::from_str::<Money>("-3").is_err());
        assert_eq!(
            serde_json::to_string(&Money::parse("0.075", "x").unwrap()).unwrap(),
            "0.075"
        );
    }

    #[test]
    fn cents_round_half_up() {
        assert_eq!(Money::parse("0.004999", "x").unwrap().to_cents(), 0);
        assert_eq!(Money::parse("0.005", "x").unwrap().to_cents(), 1);
        assert_eq!(Money::parse("1.234", "x").unwrap().to_string(), "1.23");
    }
}
