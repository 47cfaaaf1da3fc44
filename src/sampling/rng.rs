//! A small, fast PRNG (`SplitMix64`) for sampling decisions. Not cryptographic.

use std::hash::{BuildHasher, RandomState};

/// `SplitMix64` (Steele, Lea, Flood 2014): one add and a 64-bit finaliser per draw; passes
/// `BigCrush`; any seed (zero included) is fine. Deterministic for a fixed seed, which is what
/// tests use; [`SplitMix64::from_entropy`] for production.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The `SplitMix64` finaliser: a bijective 64-bit mix with full avalanche.
#[must_use]
pub const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SplitMix64 {
    /// A generator with a fixed seed (reproducible sequences).
    #[must_use]
    pub const fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// A generator seeded from the OS (`getrandom`), falling back to std's per-process
    /// random `RandomState` keys if the OS source fails. Never fails.
    #[must_use]
    pub fn from_entropy() -> SplitMix64 {
        let mut bytes = [0_u8; 8];
        let seed = match getrandom::fill(&mut bytes) {
            Ok(()) => u64::from_le_bytes(bytes),
            Err(_) => RandomState::new().hash_one(0x7e1e_3e7a_u64),
        };
        SplitMix64::new(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        mix64(self.state)
    }

    /// A uniform float in `[0, 1)` with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        // 53 bits fit exactly in an f64 mantissa: the conversion is exact.
        #[allow(clippy::cast_precision_loss)]
        let v = (self.next_u64() >> 11) as f64;
        v * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `true` with probability `rate` (clamped to `[0, 1]`).
    pub fn chance(&mut self, rate: f64) -> bool {
        below_rate(self.next_u64(), rate)
    }
}

/// Whether a uniform 64-bit value falls below `rate × 2^64`: the one comparison every sampling
/// decision here uses. `rate >= 1` always keeps, `rate <= 0` (or NaN) never does. Kept sets
/// are nested: a value kept at rate `r` is kept at every rate above `r`.
#[must_use]
pub fn below_rate(x: u64, rate: f64) -> bool {
    if rate.is_nan() || rate <= 0.0 {
        return false;
    }
    if rate >= 1.0 {
        return true;
    }
    // rate in (0, 1): rate × 2^64 < 2^64, so the cast cannot saturate wrongly.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let threshold = (rate * 18_446_744_073_709_551_616.0) as u64;
    x < threshold
}
