//! A small, fast, per-thread PRNG for ids: xorshift128+ seeded from the OS via
//! `getrandom` (expanded with splitmix64).
//!
//! Ids need uniqueness and uniform low bits (trace-consistent sampling compares the low
//! 64 bits of a trace id against a threshold), not cryptographic strength. xorshift128+
//! passes `BigCrush` except for the lowest bit's linearity, which does not matter here.

use std::cell::Cell;
use std::time::{SystemTime, UNIX_EPOCH};

thread_local! {
    /// Per-thread state; `(0, 0)` means "not yet seeded".
    static STATE: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

/// One splitmix64 step: advances `x` and returns a well-mixed output.
pub(crate) fn splitmix64(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Seeds a thread's generator: OS randomness, or, if the OS refuses, a mix of the clock,
/// a stack address and the thread id so that threads still diverge.
fn seed() -> (u64, u64) {
    let mut buf = [0u8; 8];
    #[allow(clippy::cast_possible_truncation)] // low bits are what matter for a seed
    let mut x = if getrandom::fill(&mut buf).is_ok() {
        u64::from_le_bytes(buf)
    } else {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let addr = std::ptr::addr_of!(buf) as usize as u64;
        let tid = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::thread::current().id().hash(&mut h);
            h.finish()
        };
        nanos ^ addr.rotate_left(32) ^ tid
    };
    let a = splitmix64(&mut x);
    let b = splitmix64(&mut x);
    // xorshift128+ must not start from the all-zero state.
    if a == 0 && b == 0 {
        (1, 0)
    } else {
        (a, b)
    }
}

/// Next 64 random bits from this thread's xorshift128+ generator.
pub(crate) fn next_u64() -> u64 {
    STATE.with(|cell| {
        let (mut s0, mut s1) = cell.get();
        if s0 == 0 && s1 == 0 {
            (s0, s1) = seed();
        }
        // xorshift128+ (Vigna 2014): a=23, b=17, c=26.
        let result = s0.wrapping_add(s1);
        let mut x = s0;
        let y = s1;
        x ^= x << 23;
        let next1 = x ^ y ^ (x >> 17) ^ (y >> 26);
        cell.set((y, next1));
        result
    })
}

/// A random non-zero `u64`.
pub(crate) fn nonzero_u64() -> u64 {
    loop {
        let v = next_u64();
        if v != 0 {
            return v;
        }
    }
}

/// A random non-zero `u128`.
pub(crate) fn nonzero_u128() -> u128 {
    loop {
        let v = (u128::from(next_u64()) << 64) | u128::from(next_u64());
        if v != 0 {
            return v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_distinct_and_nonzero() {
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let v = nonzero_u64();
            assert_ne!(v, 0);
            assert!(seen.insert(v));
        }
    }

    #[test]
    fn threads_get_different_streams() {
        let a = std::thread::spawn(next_u64).join().unwrap_or(0);
        let b = std::thread::spawn(next_u64).join().unwrap_or(0);
        assert_ne!(a, b);
    }

    #[test]
    fn low_bits_look_uniform() {
        // Roughly half of the values fall below 2^63; a loose bound, not a timing.
        let below = (0..20_000).filter(|_| next_u64() < (1 << 63)).count();
        assert!((9_000..11_000).contains(&below), "{below}");
    }
}
