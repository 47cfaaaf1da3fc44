//! The emit path's series hash and string comparison, written for what it sees: a
//! handful of short strings (names, tag keys and values, mostly under 32 bytes) per
//! emission.
//!
//! Both read a short string as two overlapping little-endian words, with no call and no
//! loop: the general-purpose `Hasher` interface (one absorb per `write`) and `memcmp`
//! (a call per string) cost more than the work itself at these lengths. The mixing is
//! wyhash's folded 64×64→128-bit multiply, keyed by a random seed per pipeline so that
//! tag values chosen by a client cannot be aimed at one hash bucket ahead of time.

use crate::tags::{clip, IntoTags};

/// wyhash's constants.
const P0: u64 = 0xa076_1d64_78bd_642f;
const P1: u64 = 0xe703_7ed1_a0b4_28db;
const P2: u64 = 0x8ebc_6af0_9c88_c6e3;

/// The folded multiply: the two halves of the 128-bit product, xored.
#[inline(always)]
fn mum(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

/// The little-endian word at `at` (0 if out of range, which callers rule out).
#[inline(always)]
fn word(s: &[u8], at: usize) -> u64 {
    s.get(at..)
        .and_then(<[u8]>::first_chunk::<8>)
        .map_or(0, |b| u64::from_le_bytes(*b))
}

/// A string of at most 16 bytes as two words that together cover every byte (they
/// overlap when it is shorter; the length, mixed in by the caller, tells such strings
/// apart).
#[inline(always)]
fn short(s: &[u8]) -> (u64, u64) {
    if let (Some(a), Some(b)) = (s.first_chunk::<8>(), s.last_chunk::<8>()) {
        return (u64::from_le_bytes(*a), u64::from_le_bytes(*b));
    }
    if let (Some(a), Some(b)) = (s.first_chunk::<4>(), s.last_chunk::<4>()) {
        return (
            u64::from(u32::from_le_bytes(*a)),
            u64::from(u32::from_le_bytes(*b)),
        );
    }
    // 0 to 3 bytes: the first, middle and last cover them all.
    let byte = |b: Option<&u8>| u64::from(b.copied().unwrap_or(0));
    (
        (byte(s.first()) << 16) | (byte(s.get(s.len() / 2)) << 8) | byte(s.last()),
        0,
    )
}

/// A running series hash.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SeriesHash(u64);

impl SeriesHash {
    /// Starts a hash with the pipeline's `seed` and a word of fixed-size parts.
    #[inline(always)]
    pub(crate) fn new(seed: u64, head: u64) -> Self {
        SeriesHash(mum(seed ^ P0, head ^ P1))
    }

    /// Mixes in a word.
    #[inline(always)]
    pub(crate) fn word(self, w: u64) -> Self {
        SeriesHash(mum(self.0 ^ P0, w ^ P2))
    }

    /// Mixes in a string, its length included.
    #[inline(always)]
    pub(crate) fn str(self, s: &str) -> Self {
        let s = s.as_bytes();
        let n = s.len();
        let mut h = self.0 ^ (n as u64).wrapping_mul(P2);
        if n <= 16 {
            let (a, b) = short(s);
            return SeriesHash(mum(a ^ P0 ^ h, b ^ P1));
        }
        let mut at = 0;
        while at + 16 < n {
            h = mum(word(s, at) ^ P0 ^ h, word(s, at + 8) ^ P1);
            at += 16;
        }
        // The last 16 bytes, overlapping the previous chunk where the length is not a
        // multiple of 16.
        SeriesHash(mum(word(s, n - 16) ^ P0 ^ h, word(s, n - 8) ^ P2))
    }

    /// The hash.
    #[inline(always)]
    pub(crate) fn finish(self) -> u64 {
        mum(self.0, P0 ^ P1)
    }
}

/// Whether two strings are equal; inline and branch-light for the short strings of
/// names and tags, `memcmp` past 16 bytes.
#[inline(always)]
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n <= 16 {
        return short(a) == short(b);
    }
    a == b
}

/// Words a [`ValueKey`] holds.
pub(crate) const VALUE_WORDS: usize = 8;

/// The fewest words that, with the length, determine every byte of a string of up to
/// 32 bytes, and how many: one up to 8 bytes (two overlapping halves, or the first,
/// middle and last byte), two up to 16, three up to 24, four up to 32. None past 32
/// bytes. Built with scalar stores and read back with scalar loads: a generic key type
/// read its words with vector loads right after they were stored word by word, and the
/// failed store-to-load forwarding doubled an emission's time (14 → 27 ns at one
/// series).
#[inline(always)]
fn cover_value(s: &[u8]) -> Option<(usize, [u64; 4])> {
    let n = s.len();
    if n <= 8 {
        let (a, b) = short(s);
        // Below 8 bytes `short` gives at most 4-byte halves (or one word for 0–3).
        let w = if n == 8 { a } else { a | (b << 32) };
        return Some((1, [w, 0, 0, 0]));
    }
    if n <= 16 {
        let (a, b) = short(s);
        return Some((2, [a, b, 0, 0]));
    }
    if n <= 24 {
        return Some((3, [word(s, 0), word(s, 8), word(s, n - 8), 0]));
    }
    if n <= 32 {
        return Some((4, words32(s)));
    }
    None
}

/// The tag values of a family emission as words that determine every byte: their
/// count and lengths packed into `shape`, then the words covering each value
/// ([`short`] up to 16 bytes, [`words32`] up to 32), zero past the last. Two
/// emissions of one family are of one series exactly when their keys are equal
/// ([`ValueKey::same`]).
#[derive(Clone, Copy, Debug)]
#[repr(C)]
pub(crate) struct ValueKey {
    /// Bits 0–7: the value count; then 6 bits per value length; bits 56–63: the words
    /// used.
    pub(crate) shape: u64,
    pub(crate) words: [u64; VALUE_WORDS],
}

impl ValueKey {
    /// The key of `values` (each cut by `cut` first), or None when they do not fit:
    /// more than eight values, a value over 32 bytes, or more than [`VALUE_WORDS`]
    /// words in all. Each value takes the fewest words that cover it ([`cover_value`]: one
    /// up to 8 bytes, two up to 16, three up to 24, four up to 32), one after the
    /// other, so that a typical pair (a route, a status) fits the first four words,
    /// the first cache line of a family slot.
    #[inline(always)]
    pub(crate) fn of<'a, const N: usize>(
        values: &[&'a str; N],
        cut: impl Fn(&'a str) -> &'a str,
    ) -> Option<ValueKey> {
        if N > 8 {
            return None;
        }
        let mut k = ValueKey {
            shape: N as u64,
            words: [0; VALUE_WORDS],
        };
        let mut at = 0usize;
        for (i, v) in values.iter().enumerate() {
            let b = cut(v).as_bytes();
            let (used, w) = cover_value(b)?;
            for (j, x) in w.into_iter().take(used).enumerate() {
                *k.words.get_mut(at + j)? = x;
            }
            at += used;
            k.shape |= (b.len() as u64) << (8 + 6 * i);
        }
        k.shape |= (at as u64) << 56;
        Some(k)
    }

    /// As [`of`](Self::of), for the tag values of a plain emission, each cut at `at`
    /// bytes as stored.
    #[inline(always)]
    pub(crate) fn of_tags<T: IntoTags + ?Sized>(tags: &T, at: usize) -> Option<ValueKey> {
        let n = tags.tag_count();
        if n > 8 {
            return None;
        }
        let mut k = ValueKey {
            shape: n as u64,
            words: [0; VALUE_WORDS],
        };
        let mut used_all = 0usize;
        for i in 0..n {
            let (_, v) = tags.tag(i)?;
            let b = clip(v, at).as_bytes();
            let (used, w) = cover_value(b)?;
            for (j, x) in w.into_iter().take(used).enumerate() {
                *k.words.get_mut(used_all + j)? = x;
            }
            used_all += used;
            k.shape |= (b.len() as u64) << (8 + 6 * i);
        }
        k.shape |= (used_all as u64) << 56;
        Some(k)
    }

    /// Whether two keys are equal. Equal shapes mean equal lengths, hence the same
    /// words used (the rest are zero in both): only those are compared.
    #[inline(always)]
    pub(crate) fn same(&self, other: &ValueKey) -> bool {
        if self.shape != other.shape {
            return false;
        }
        let used = (self.shape >> 56) as usize;
        let (a, b) = (&self.words, &other.words);
        let head = (a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]);
        if used <= 4 {
            return head == 0;
        }
        head | (a[4] ^ b[4]) | (a[5] ^ b[5]) | (a[6] ^ b[6]) | (a[7] ^ b[7]) == 0
    }

    /// The key's hash, seeded by the pipeline's `seed` and the family's id. Words
    /// past the used ones are zero in every key of this shape, so a key of up to four
    /// words hashes those alone.
    #[inline(always)]
    pub(crate) fn hash(&self, seed: u64, family: u64) -> u64 {
        let [a, b, c, d, e, f, g, h] = self.words;
        // Independent multiplies, then one to mix them.
        let mut x = mum(a ^ seed ^ P0, b ^ P1).wrapping_add(mum(c ^ P2, d ^ seed));
        if self.shape >> 56 > 4 {
            x = x.wrapping_add(mum(e ^ P1, f ^ seed ^ P2).wrapping_add(mum(g ^ P0, h ^ family)));
        }
        mum(x ^ self.shape ^ P0, seed ^ family ^ P1)
    }
}

/// What a stored string is compared by on the emit path: its length and, up to 32
/// bytes, the overlapping words that cover it, so that a comparison reads only the
/// caller's string (the stored one is read only past 32 bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    len: usize,
    words: [u64; 4],
}

/// Up to 32 bytes as four words covering them: the first and last 16 bytes, each as
/// [`short`] reads them (overlapping when the string is shorter).
#[inline(always)]
fn words32(s: &[u8]) -> [u64; 4] {
    let n = s.len();
    if n <= 16 {
        let (a, b) = short(s);
        return [a, b, 0, 0];
    }
    [word(s, 0), word(s, 8), word(s, n - 16), word(s, n - 8)]
}

impl Fingerprint {
    /// The fingerprint of a stored string.
    pub(crate) fn of(s: &str) -> Fingerprint {
        let words = if s.len() <= 32 {
            words32(s.as_bytes())
        } else {
            [0; 4]
        };
        Fingerprint {
            len: s.len(),
            words,
        }
    }

    /// Whether `given`, cut to `at` bytes as stored strings are, equals the string this
    /// is the fingerprint of, which `stored` gives (read only past 32 bytes or when
    /// `given` must be cut).
    #[inline(always)]
    pub(crate) fn same<'s>(
        &self,
        given: &str,
        at: usize,
        stored: impl FnOnce() -> Option<&'s str>,
    ) -> bool {
        if given.len() == self.len {
            let [a, b, c, d] = self.words;
            let g = given.as_bytes();
            if self.len <= 16 {
                let (x, y) = short(g);
                (x == a) & (y == b)
            } else if self.len <= 32 {
                let n = self.len;
                (word(g, 0) == a)
                    & (word(g, 8) == b)
                    & (word(g, n - 16) == c)
                    & (word(g, n - 8) == d)
            } else {
                stored().is_some_and(|s| s.as_bytes() == given.as_bytes())
            }
        } else {
            given.len() > at && self.same_cut(given, at, stored())
        }
    }

    /// Whether `given` equals the string this is the fingerprint of, decided from the
    /// fingerprint alone: false also when it cannot be (over 32 bytes), for the
    /// caller to compare exactly then ([`same`](Self::same)).
    #[inline(always)]
    pub(crate) fn equals(&self, given: &str) -> bool {
        let g = given.as_bytes();
        let n = g.len();
        if n != self.len {
            return false;
        }
        let [a, b, c, d] = self.words;
        if n <= 16 {
            let (x, y) = short(g);
            (x == a) & (y == b)
        } else if n <= 32 {
            (word(g, 0) == a) & (word(g, 8) == b) & (word(g, n - 16) == c) & (word(g, n - 8) == d)
        } else {
            false
        }
    }

    /// `given` is longer than stored strings may be: cut it first.
    #[cold]
    #[inline(never)]
    fn same_cut(&self, given: &str, at: usize, stored: Option<&str>) -> bool {
        stored.is_some_and(|s| same(s, clip(given, at)))
    }
}

#[cfg(test)]
#[path = "ident_hash_tests.rs"]
mod tests;
