//! Detectors for identifiers with a check digit or a fixed shape: IMEI (Luhn), national ids
//! (UK NINO, ES NIF/NIE, IT codice fiscale, PL PESEL, IN Aadhaar with Verhoeff), US ABA
//! routing numbers (next to a routing word), crypto wallets (base58check, bech32, `0x` + 40
//! hex), PEM private keys, user home paths and high-entropy generic secrets.
#![allow(
    clippy::many_single_char_names,
    reason = "byte scanners read best as b (bytes), i/j (offsets), c (byte)"
)]

use sha2::{Digest, Sha256};

use super::detect::{at, before, is_alnum};
use super::numeric::luhn;

/// The run of ASCII digits starting at `i` (at most `max + 1` are read).
fn digit_run(b: &[u8], i: usize, max: usize) -> usize {
    let mut j = i;
    while at(b, j).is_ascii_digit() && j - i <= max {
        j += 1;
    }
    j - i
}

/// Bytes around a number that make it part of something else.
fn glued(c: u8) -> bool {
    is_alnum(c) || matches!(c, b'_' | b'.' | b'/' | b'\\' | b'-' | b':' | b'#' | b'$')
}

fn digits_ok(b: &[u8], i: usize, n: usize) -> bool {
    let next = at(b, i + n);
    let continued = matches!(next, b'.' | b',' | b'/' | b':') && at(b, i + n + 1).is_ascii_digit();
    !(glued(before(b, i)) || is_alnum(next) || matches!(next, b'_' | b'-') || continued)
}

/// Reads digit groups of the given lengths separated by `sep` from `i` into `out` (as
/// ASCII digits, in order): the position after the last group, or None when the text
/// has another shape or `out` is too short.
fn digit_groups(b: &[u8], i: usize, groups: &[usize], sep: u8, out: &mut [u8]) -> Option<usize> {
    let mut n = 0;
    let mut j = i;
    for (g, len) in groups.iter().enumerate() {
        if g > 0 {
            if at(b, j) != sep {
                return None;
            }
            j += 1;
        }
        if digit_run(b, j, *len) != *len {
            return None;
        }
        out.get_mut(n..n + len)?.copy_from_slice(b.get(j..j + len)?);
        n += len;
        j += len;
    }
    Some(j)
}

/// IMEI: 15 digits with a valid Luhn check digit, standing alone, plain or grouped as
/// `AA-BBBBBB-CCCCCC-D` / `AA BBBBBB CCCCCC D`.
pub(crate) fn imei(b: &[u8], i: usize) -> Option<usize> {
    if digit_run(b, i, 15) == 15 && digits_ok(b, i, 15) {
        return luhn(b.get(i..i + 15)?).then_some(i + 15);
    }
    if glued(before(b, i)) || digit_run(b, i, 2) != 2 {
        return None;
    }
    let sep = at(b, i + 2);
    if !matches!(sep, b'-' | b' ') {
        return None;
    }
    let mut d = [0_u8; 15];
    let j = digit_groups(b, i, &[2, 6, 6, 1], sep, &mut d)?;
    (!is_alnum(at(b, j)) && luhn(&d)).then_some(j)
}

/// BR CPF `123.456.789-09` (or 11 plain digits after a `CPF` word is left to the key
/// rules): the two mod-11 check digits.
pub(crate) fn cpf(b: &[u8], i: usize) -> Option<usize> {
    if glued(before(b, i)) {
        return None;
    }
    let mut ascii = [0_u8; 11];
    let j = digit_groups(b, i, &[3, 3, 3], b'.', &mut ascii)?;
    let mut d = ascii.map(|c| u32::from(c.wrapping_sub(b'0')));
    if at(b, j) != b'-' || digit_run(b, j + 1, 2) != 2 || is_alnum(at(b, j + 3)) {
        return None;
    }
    *d.get_mut(9)? = u32::from(at(b, j + 1) - b'0');
    *d.get_mut(10)? = u32::from(at(b, j + 2) - b'0');
    let check = |upto: usize| {
        let sum: u32 = (0..upto)
            .map(|k| d.get(k).copied().unwrap_or(0) * u32::try_from(upto + 1 - k).unwrap_or(0))
            .sum();
        let r = (sum * 10) % 11;
        if r == 10 {
            0
        } else {
            r
        }
    };
    (check(9) == *d.get(9)? && check(10) == *d.get(10)?).then_some(j + 3)
}

/// IN PAN: five capitals (the fourth names the holder type), four digits, a capital.
pub(crate) fn pan(b: &[u8], i: usize) -> Option<usize> {
    if is_alnum(before(b, i)) || is_alnum(at(b, i + 10)) {
        return None;
    }
    let s = b.get(i..i + 10)?;
    let shape = s.iter().enumerate().all(|(k, c)| match k {
        0..=4 | 9 => c.is_ascii_uppercase(),
        _ => c.is_ascii_digit(),
    });
    (shape && b"PCHFATBLJG".contains(s.get(3)?)).then_some(i + 10)
}

/// FR NIR (social security number): 13 digits + a 2-digit key = 97 - (n mod 97), plain or
/// spaced `1 85 05 78 006 084 36`.
pub(crate) fn nir(b: &[u8], i: usize) -> Option<usize> {
    if glued(before(b, i)) || !matches!(at(b, i), b'1' | b'2') {
        return None;
    }
    let mut d = [0_u8; 15];
    let mut n = 0;
    let mut j = i;
    while n < 15 && j - i < 24 {
        let c = at(b, j);
        if c.is_ascii_digit() {
            *d.get_mut(n)? = c - b'0';
            n += 1;
        } else if !(c == b' ' && at(b, j + 1).is_ascii_digit() && n > 0) {
            break;
        }
        j += 1;
    }
    if n != 15 || is_alnum(at(b, j)) {
        return None;
    }
    let body = d
        .iter()
        .take(13)
        .fold(0_u64, |acc, &x| acc * 10 + u64::from(x));
    let key = u64::from(*d.get(13)?) * 10 + u64::from(*d.get(14)?);
    (97 - body % 97 == key).then_some(j)
}

/// PL PESEL: 11 digits, a plausible birth date (month carries the century) and the
/// 1-3-7-9 weighted check digit.
pub(crate) fn pesel(b: &[u8], i: usize) -> Option<usize> {
    if digit_run(b, i, 11) != 11 || !digits_ok(b, i, 11) {
        return None;
    }
    let d: Vec<u32> = b
        .get(i..i + 11)?
        .iter()
        .map(|&c| u32::from(c - b'0'))
        .collect();
    let month = d.get(2)? * 10 + d.get(3)?;
    let day = d.get(4)? * 10 + d.get(5)?;
    if !matches!(month % 20, 1..=12) || !(1..=31).contains(&day) {
        return None;
    }
    let w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let sum: u32 = d.iter().zip(w.iter()).map(|(a, b)| a * b).sum();
    ((10 - sum % 10) % 10 == *d.get(10)?).then_some(i + 11)
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

fn verhoeff(digits: &[u8]) -> bool {
    let mut c = 0_usize;
    for (k, &d) in digits.iter().rev().enumerate() {
        let p = VERHOEFF_P
            .get(k % 8)
            .and_then(|row| row.get(usize::from(d.wrapping_sub(b'0'))))
            .copied()
            .unwrap_or(0);
        c = VERHOEFF_D
            .get(c)
            .and_then(|row| row.get(usize::from(p)))
            .copied()
            .map_or(0, usize::from);
    }
    c == 0
}

/// IN Aadhaar: 12 digits (first 2-9), plain or as 4-4-4 groups, Verhoeff-checked.
pub(crate) fn aadhaar(b: &[u8], i: usize) -> Option<usize> {
    if glued(before(b, i)) || !matches!(at(b, i), b'2'..=b'9') {
        return None;
    }
    let mut d = [0_u8; 12];
    let end = if digit_run(b, i, 12) == 12 {
        d.copy_from_slice(b.get(i..i + 12)?);
        i + 12
    } else {
        let sep = at(b, i + 4);
        if !matches!(sep, b' ' | b'-') || at(b, i + 9) != sep {
            return None;
        }
        for (g, chunk) in d.chunks_mut(4).enumerate() {
            let s = i + g * 5;
            if digit_run(b, s, 4) != 4 {
                return None;
            }
            chunk.copy_from_slice(b.get(s..s + 4)?);
        }
        i + 14
    };
    if is_alnum(at(b, end))
        || (matches!(at(b, end), b' ' | b'-') && at(b, end + 1).is_ascii_digit())
    {
        return None;
    }
    verhoeff(&d).then_some(end)
}

/// US ABA routing number: 9 digits with the 3-7-1 checksum, only when a routing word
/// (`routing`, `ABA`, `RTN`) comes shortly before (a bare 9-digit number is usually an id).
pub(crate) fn aba(b: &[u8], i: usize) -> Option<usize> {
    if digit_run(b, i, 9) != 9 || !digits_ok(b, i, 9) {
        return None;
    }
    let d = b.get(i..i + 9)?;
    let w = [3_u32, 7, 1, 3, 7, 1, 3, 7, 1];
    let sum: u32 = d
        .iter()
        .zip(w.iter())
        .map(|(&c, w)| u32::from(c - b'0') * w)
        .sum();
    if !sum.is_multiple_of(10) || sum == 0 {
        return None;
    }
    let from = i.saturating_sub(32);
    let window = b.get(from..i)?;
    let near = |word: &[u8]| {
        window
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word))
    };
    (near(b"routing") || near(b"aba") || near(b"rtn")).then_some(i + 9)
}

const NIF_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// ES NIF (8 digits + check letter) and NIE (`X`/`Y`/`Z` + 7 digits + check letter).
pub(crate) fn nif(b: &[u8], i: usize) -> Option<usize> {
    if glued(before(b, i)) {
        return None;
    }
    let (value, end) = match at(b, i) {
        b'X' | b'Y' | b'Z' => {
            if digit_run(b, i + 1, 7) != 7 {
                return None;
            }
            let lead = u32::from(at(b, i) - b'X');
            let v = b
                .get(i + 1..i + 8)?
                .iter()
                .fold(lead, |acc, &c| acc * 10 + u32::from(c - b'0'));
            (v, i + 8)
        }
        b'0'..=b'9' => {
            if digit_run(b, i, 8) != 8 {
                return None;
            }
            let v = b
                .get(i..i + 8)?
                .iter()
                .fold(0_u32, |acc, &c| acc * 10 + u32::from(c - b'0'));
            (v, i + 8)
        }
        _ => return None,
    };
    let letter = at(b, end);
    if is_alnum(at(b, end + 1)) || at(b, end + 1) == b'_' {
        return None;
    }
    let want = NIF_LETTERS.get(usize::try_from(value % 23).ok()?)?;
    (letter == *want).then_some(end + 1)
}

/// UK National Insurance number: two prefix letters, six digits (optionally in pairs), and
/// a suffix A-D.
pub(crate) fn nino(b: &[u8], i: usize) -> Option<usize> {
    let first_ok =
        |c: u8| c.is_ascii_uppercase() && !matches!(c, b'D' | b'F' | b'I' | b'Q' | b'U' | b'V');
    let second_ok = |c: u8| first_ok(c) && c != b'O';
    if is_alnum(before(b, i)) || !first_ok(at(b, i)) || !second_ok(at(b, i + 1)) {
        return None;
    }
    let mut j = i + 2;
    let spaced = at(b, j) == b' ';
    for _ in 0..3 {
        if spaced {
            if at(b, j) != b' ' {
                return None;
            }
            j += 1;
        }
        if !at(b, j).is_ascii_digit() || !at(b, j + 1).is_ascii_digit() {
            return None;
        }
        j += 2;
    }
    if spaced && at(b, j) == b' ' {
        j += 1;
    }
    if !matches!(at(b, j), b'A'..=b'D') || is_alnum(at(b, j + 1)) {
        return None;
    }
    Some(j + 1)
}

const CF_ODD: [u32; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

/// IT codice fiscale: `AAAAAA00A00A000A` with the odd/even check letter.
pub(crate) fn codice_fiscale(b: &[u8], i: usize) -> Option<usize> {
    if is_alnum(before(b, i)) || is_alnum(at(b, i + 16)) {
        return None;
    }
    let s = b.get(i..i + 16)?;
    let shape = s.iter().enumerate().all(|(k, c)| match k {
        0..=5 | 8 | 11 | 15 => c.is_ascii_uppercase(),
        _ => c.is_ascii_digit(),
    });
    if !shape || !b"ABCDEHLMPRST".contains(s.get(8)?) {
        return None;
    }
    let mut total = 0_u32;
    for (k, &c) in s.iter().take(15).enumerate() {
        let idx = if c.is_ascii_digit() {
            c - b'0'
        } else {
            c - b'A'
        };
        total += if k % 2 == 0 {
            *CF_ODD.get(usize::from(idx))?
        } else {
            u32::from(idx)
        };
    }
    let want = b'A' + u8::try_from(total % 26).ok()?;
    (*s.get(15)? == want).then_some(i + 16)
}

const B58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Bitcoin base58check address (`1…`/`3…`, 26-35 chars): decodes to 25 bytes whose last 4
/// are the double-SHA-256 checksum of the first 21.
pub(crate) fn base58check(b: &[u8], i: usize) -> Option<usize> {
    if is_alnum(before(b, i)) || !matches!(at(b, i), b'1' | b'3' | b'L' | b'M' | b'D') {
        return None;
    }
    let mut j = i;
    while B58.contains(&at(b, j)) && j - i <= 35 {
        j += 1;
    }
    if !(26..=35).contains(&(j - i)) || is_alnum(at(b, j)) {
        return None;
    }
    let mut out = [0_u8; 25];
    for &c in b.get(i..j)? {
        let mut carry = u32::try_from(B58.iter().position(|&x| x == c)?).ok()?;
        for byte in out.iter_mut().rev() {
            carry += u32::from(*byte) * 58;
            *byte = u8::try_from(carry & 0xff).ok()?;
            carry >>= 8;
        }
        if carry != 0 {
            return None;
        }
    }
    let (payload, check) = out.split_at(21);
    let digest = Sha256::digest(Sha256::digest(payload));
    (digest.get(..4)? == check).then_some(j)
}

const BECH32: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/// Bech32 / bech32m segwit address (`bc1…`, `tb1…`, `ltc1…`) with a valid checksum.
pub(crate) fn bech32(b: &[u8], i: usize) -> Option<usize> {
    if is_alnum(before(b, i)) {
        return None;
    }
    let hrp_len = [&b"bc1"[..], b"tb1", b"ltc1"]
        .iter()
        .find(|p| b.get(i..i + p.len()) == Some(**p))?
        .len()
        - 1;
    let mut j = i + hrp_len + 1;
    while BECH32.contains(&at(b, j)) && j - i <= 90 {
        j += 1;
    }
    let data_len = j - (i + hrp_len + 1);
    if !(14..=80).contains(&data_len) || is_alnum(at(b, j)) {
        return None;
    }
    let gen = [
        0x3b6a_57b2_u32,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut chk = 1_u32;
    let mut step = |v: u32| {
        let top = chk >> 25;
        chk = ((chk & 0x01ff_ffff) << 5) ^ v;
        for (k, g) in gen.iter().enumerate() {
            if (top >> k) & 1 == 1 {
                chk ^= g;
            }
        }
    };
    let hrp = b.get(i..i + hrp_len)?;
    for &c in hrp {
        step(u32::from(c >> 5));
    }
    step(0);
    for &c in hrp {
        step(u32::from(c & 31));
    }
    for &c in b.get(i + hrp_len + 1..j)? {
        step(u32::try_from(BECH32.iter().position(|&x| x == c)?).ok()?);
    }
    (chk == 1 || chk == 0x2bc8_30a3).then_some(j)
}

/// Ethereum-style address: `0x` + exactly 40 hex digits (64-digit transaction hashes are
/// kept).
pub(crate) fn hex_wallet(b: &[u8], i: usize) -> Option<usize> {
    if is_alnum(before(b, i)) || at(b, i) != b'0' || !matches!(at(b, i + 1), b'x' | b'X') {
        return None;
    }
    let mut j = i + 2;
    while at(b, j).is_ascii_hexdigit() {
        j += 1;
    }
    (j - i == 42 && !is_alnum(at(b, j)) && at(b, j) != b'_').then_some(j)
}

/// `-----BEGIN … PRIVATE KEY-----`: the whole block up to and including its `-----END …`
/// line, or to the end of the text when the block continues on later lines.
pub(crate) fn pem_private_key(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i..i + 11) != Some(b"-----BEGIN ") {
        return None;
    }
    let mut j = i + 11;
    while (at(b, j).is_ascii_uppercase() || at(b, j) == b' ') && j - i < 60 {
        j += 1;
    }
    let label = b.get(i + 11..j)?;
    if !label.ends_with(b"PRIVATE KEY") || b.get(j..j + 5) != Some(b"-----") {
        return None;
    }
    j += 5;
    let rest = b.get(j..)?;
    let end = rest
        .windows(9)
        .position(|w| w == b"-----END ")
        .map_or(b.len(), |p| {
            let mut e = j + p + 9;
            while (at(b, e).is_ascii_uppercase() || at(b, e) == b' ') && e < b.len() {
                e += 1;
            }
            while at(b, e) == b'-' {
                e += 1;
            }
            e
        });
    Some(end)
}

fn is_secret_byte(c: u8) -> bool {
    is_alnum(c) || matches!(c, b'_' | b'-' | b'+' | b'/' | b'=')
}

/// Whether a word right before `i` (skipping `: = "'` and spaces) is one after which a
/// credential usually follows.
fn secret_word_before(b: &[u8], i: usize) -> bool {
    let mut e = i;
    let mut skipped = 0;
    while e > 0 && matches!(before(b, e), b' ' | b':' | b'=' | b'"' | b'\'' | b'\t') && skipped < 4
    {
        e -= 1;
        skipped += 1;
    }
    if skipped == 0 {
        return false;
    }
    let mut s = e;
    while s > 0 && (is_alnum(before(b, s)) || before(b, s) == b'-') && e - s < 24 {
        s -= 1;
    }
    let Some(mut word) = b.get(s..e) else {
        return false;
    };
    // `the signing secret is 8a7d…`, `token was 9f1c…`: one connector between
    if matches!(
        word,
        b"is" | b"was" | b"ist" | b"es" | b"est" | b"are" | b"to" | b"now"
    ) {
        let mut e2 = s;
        while e2 > 0 && before(b, e2) == b' ' && s - e2 < 2 {
            e2 -= 1;
        }
        let mut s2 = e2;
        while s2 > 0 && (is_alnum(before(b, s2)) || before(b, s2) == b'-') && e2 - s2 < 24 {
            s2 -= 1;
        }
        match b.get(s2..e2) {
            Some(w) if e2 < s && !w.is_empty() => word = w,
            _ => return false,
        }
    }
    const WORDS: &[&[u8]] = &[
        b"-p",
        b"--password",
        b"token",
        b"key",
        b"secret",
        b"password",
        b"pass",
        b"pwd",
        b"apikey",
        b"api-key",
        b"bearer",
        b"credential",
        b"credentials",
        b"passwort",
        b"senha",
        b"haslo",
        b"contrasena",
        b"--token",
        b"-t",
        b"access",
        b"auth",
    ];
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
        || word.len() > 3
            && [&b"token"[..], b"secret", b"password", b"key"]
                .iter()
                .any(|w| {
                    word.len() >= w.len()
                        && word
                            .get(word.len() - w.len()..)
                            .is_some_and(|t| t.eq_ignore_ascii_case(w))
                })
}

/// Whether a hex run `i..end` follows a credential word (`key`, `token`, `secret`, …),
/// which makes it a hex key rather than a hash.
pub(crate) fn hex_key_after_secret_word(b: &[u8], i: usize, end: usize) -> bool {
    b.get(i..end)
        .is_some_and(|w| w.iter().all(u8::is_ascii_hexdigit))
        && secret_word_before(b, i)
}

/// Command-line credentials: `-u user:pass` / `--user user:pass` (the whole pair) and
/// `-p <password>` / `--password <password>` (not a port such as `-p 8080:80`).
pub(crate) fn cli_credential(b: &[u8], i: usize) -> Option<(usize, usize)> {
    if !matches!(before(b, i), b' ' | b'\t' | 0) {
        return None;
    }
    let (user, len) = if b.get(i..i + 3) == Some(b"-u ") {
        (true, 3)
    } else if b.get(i..i + 7) == Some(b"--user ") || b.get(i..i + 7) == Some(b"--user=") {
        (true, 7)
    } else if b.get(i..i + 3) == Some(b"-p ") {
        (false, 3)
    } else if b.get(i..i + 2) == Some(b"-p")
        && at(b, i + 2).is_ascii_graphic()
        && at(b, i + 2) != b'-'
        && b.get(..i)
            .is_some_and(|h| h.windows(4).any(|w| w == b" -u "))
    {
        // `mysql -u root -pS3cret`: the password glued to `-p`, after a `-u` user
        (false, 2)
    } else if b.get(i..i + 11) == Some(b"--password ") {
        (false, 11)
    } else if b.get(i..i + 3) == Some(b"-w ")
        && b.get(..i)
            .is_some_and(|h| h.windows(4).any(|w| w == b"ldap"))
    {
        // `ldapsearch -D cn=admin,… -w <password>`
        (false, 3)
    } else if at(b, i + 1) == b'b' || at(b, i + 2) == b'b' {
        return htpasswd_password(b, i);
    } else {
        return None;
    };
    let mut s = i + len;
    let quote = at(b, s);
    let quoted = matches!(quote, b'\'' | b'"');
    if quoted {
        s += 1;
    }
    let mut e = s;
    while e < b.len() && e - s < 256 {
        let c = at(b, e);
        if (quoted && c == quote) || (!quoted && c.is_ascii_whitespace()) {
            break;
        }
        e += 1;
    }
    let tok = b.get(s..e)?;
    if tok.is_empty() || tok.first() == Some(&b'-') {
        return None;
    }
    if user {
        return tok.contains(&b':').then_some((s, e));
    }
    let port_like = tok
        .iter()
        .all(|c| c.is_ascii_digit() || matches!(c, b':' | b'/' | b'.'));
    (!port_like && tok.len() >= 4).then_some((s, e))
}

/// `htpasswd -b[c] <file> <user> <password>` / `htpasswd -nb <user> <password>`: the
/// password argument.
fn htpasswd_password(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let before_flags = b.get(..i)?;
    if !before_flags.ends_with(b"htpasswd ") {
        return None;
    }
    let mut j = i + 1;
    let mut stdout = false;
    while at(b, j).is_ascii_alphabetic() {
        stdout |= at(b, j) == b'n';
        j += 1;
    }
    // skip the file (unless `-n`) and the user
    for _ in 0..if stdout { 1 } else { 2 } {
        if at(b, j) != b' ' {
            return None;
        }
        j += 1;
        while at(b, j) > b' ' {
            j += 1;
        }
    }
    if at(b, j) != b' ' {
        return None;
    }
    let s = j + 1;
    let mut e = s;
    while at(b, e) > b' ' && e - s < 256 {
        e += 1;
    }
    (e > s).then_some((s, e))
}

/// `729104 is your Amazon one-time password`, `660231 is your Instagram code`, `338102
/// aapka verification code hai`: after a 4-8 digit run ending at `e`, a connector and a
/// possessive, then a code word before the sentence ends.
pub(crate) fn code_before_phrase(b: &[u8], e: usize) -> bool {
    const LEADS: &[&[u8]] = &[
        b" is your ",
        b" is the ",
        b" is je ",
        b" is uw ",
        b" es tu ",
        b" es su ",
        b" est votre ",
        b" est ton ",
        b" ist dein ",
        b" ist Ihr ",
        b" ist ihr ",
        b" \xc3\xa8 il tuo ",
        b" \xc3\xa9 o seu ",
        b" \xc3\xa9 o teu ",
        b" \xc3\xa9 seu ",
        b" to tw\xc3\xb3j ",
        b" jest twoim ",
        b" \xc3\xa4r din ",
        b" aapka ",
        b" is your ",
    ];
    if !matches!(at(b, e + 1), b'i' | b'e' | b't' | b'j' | b'a' | 0xc3) {
        return false; // `3412 ms`, `1532 rows`
    }
    let rest = b.get(e..).unwrap_or(&[]);
    let Some(lead) = LEADS.iter().find(|l| rest.starts_with(l)) else {
        return false;
    };
    // the code word within the rest of the sentence (up to 48 bytes)
    let mut j = e + lead.len();
    let stop = (j + 48).min(b.len());
    while j < stop {
        let c = at(b, j);
        if matches!(c, b'.' | b'\n' | b'!' | b'?' | b',' | b';') {
            return false;
        }
        if c.is_ascii_alphabetic() && !is_alnum(before(b, j)) {
            let mut k = j;
            while is_alnum(at(b, k)) || at(b, k) >= 0x80 || at(b, k) == b'-' {
                k += 1;
            }
            let w = b.get(j..k).unwrap_or(&[]);
            let lower = |t: &[u8]| {
                w.len() >= t.len()
                    && w.get(w.len() - t.len()..)
                        .is_some_and(|x| x.eq_ignore_ascii_case(t))
            };
            if lower(b"code")
                || lower(b"kod")
                || lower(b"kode")
                || lower(b"password")
                || lower(b"passcode")
                || lower(b"c\xc3\xb3digo")
                || lower(b"codigo")
                || lower(b"codice")
                || w.eq_ignore_ascii_case(b"otp")
                || w.eq_ignore_ascii_case(b"pin")
                || w.eq_ignore_ascii_case(b"tan")
            {
                return true;
            }
            j = k;
            continue;
        }
        j += 1;
    }
    false
}

/// Generic high-entropy secret: a token of 20+ bytes with upper case, lower case and digits
/// (at least two of each), or of 8+ bytes with a digit and a letter right after a
/// credential word (`-p`, `token`, `secret`, `password`, …). Paths with many `/` are left.
pub(crate) fn generic_secret(b: &[u8], i: usize) -> Option<usize> {
    let end = generic_secret_token(b, i)?;
    // `expires_in=3600` after `Bearer`: a `key=value` pair, not a token
    let tok = b.get(i..end)?;
    if let Some(eq) = tok.iter().position(|&c| c == b'=') {
        let key = tok.get(..eq)?;
        if eq >= 2
            && tok.get(eq + 1).is_some_and(|&c| c != b'=')
            && key.iter().all(|&c| c.is_ascii_lowercase() || c == b'_')
        {
            return None;
        }
    }
    Some(end)
}

fn generic_secret_token(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    let (mut up, mut low, mut dig, mut slash) = (0, 0, 0, 0);
    while is_secret_byte(at(b, j)) && j - i < 512 {
        let c = at(b, j);
        up += usize::from(c.is_ascii_uppercase());
        low += usize::from(c.is_ascii_lowercase());
        dig += usize::from(c.is_ascii_digit());
        slash += usize::from(c == b'/');
        j += 1;
    }
    // A sentence-final `=`/`-` is not part of the token.
    let len = j - i;
    if len < 8 || slash > 2 || at(b, j) == b'.' && is_alnum(at(b, j + 1)) {
        return None;
    }
    // A lone JWT header (`eyJhbGciOi…`, base64 of `{"alg"…`) is not a credential; whole
    // JWTs are the JWT detector's.
    if b.get(i..i + 3) == Some(b"eyJ") && at(b, j) != b'.' {
        return None;
    }
    let strong = len >= 20 && up >= 2 && low >= 2 && dig >= 2;
    if strong {
        // `evt_1NgZ2c2eZvKYlo2C`, `cus_9s6XKzkNRiz8i3`: an object id (a short lower-case type
        // and `_`) is an identifier unless its type or the word before says credential.
        let lead = b.get(i..j).unwrap_or(&[]);
        let typed = lead
            .iter()
            .position(|&c| c == b'_')
            .filter(|&p| (2..=6).contains(&p))
            .and_then(|p| lead.get(..p))
            .filter(|t| t.iter().all(u8::is_ascii_lowercase));
        if let Some(t) = typed {
            const CREDENTIAL_TYPES: &[&[u8]] = &[
                b"sk", b"rk", b"pk", b"whsec", b"key", b"api", b"tok", b"token", b"pat", b"sess",
                b"auth", b"rt", b"at", b"secret", b"pwd", b"pass",
            ];
            if !CREDENTIAL_TYPES.contains(&t) && !secret_word_before(b, i) {
                return None;
            }
        }
        return Some(j);
    }
    let weak = dig >= 1 && (up + low) >= 1 && len >= 10 && !(up == 0 && len < 14);
    (weak && secret_word_before(b, i)).then_some(j)
}

/// A user's home directory in a path: `/home/<user>`, `/Users/<user>`, `C:\Users\<user>`
/// (also with doubled backslashes). Returns the user segment.
pub(crate) fn home_user(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let start = if b.get(i..i + 6) == Some(b"/home/") {
        i + 6
    } else if b.get(i..i + 7) == Some(b"/Users/") {
        i + 7
    } else if at(b, i + 1) == b':' && at(b, i).is_ascii_alphabetic() && !is_alnum(before(b, i)) {
        let mut j = i + 2;
        let slash = |j: usize| at(b, j) == b'\\' || at(b, j) == b'/';
        while slash(j) {
            j += 1;
        }
        if !b
            .get(j..j + 5)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"users"))
            || !slash(j + 5)
        {
            return None;
        }
        j += 5;
        while slash(j) {
            j += 1;
        }
        j
    } else {
        return None;
    };
    let mut e = start;
    while (is_alnum(at(b, e)) || matches!(at(b, e), b'.' | b'_' | b'-')) && e - start < 64 {
        e += 1;
    }
    (e > start).then_some((start, e))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn check_digits() {
        assert!(imei(b"490154203237518", 0).is_some());
        assert!(imei(b"490154203237517", 0).is_none());
        // Grouped, either separator, not mixed.
        assert_eq!(imei(b"49-015420-323751-8 ok", 0), Some(18));
        assert_eq!(imei(b"49 015420 323751 8", 0), Some(18));
        assert!(imei(b"49-015420-323751-7", 0).is_none());
        assert!(imei(b"49-015420 323751-8", 0).is_none());
        assert_eq!(cpf(b"111.444.777-35", 0), Some(14));
        assert!(cpf(b"111.444.777-36", 0).is_none());
        assert!(cpf(b"111.444-777-35", 0).is_none());
        assert!(pesel(b"44051401359", 0).is_some());
        assert!(aadhaar(b"2341 2341 2346", 0).is_some() || aadhaar(b"234123412346", 0).is_some());
        assert!(nif(b"12345678Z", 0).is_some());
        assert!(nif(b"X1234567L", 0).is_some());
        assert!(nino(b"AB123456C", 0).is_some());
        assert!(codice_fiscale(b"RSSMRA85T10A562S", 0).is_some());
        assert!(aba(b"routing 011000015", 8).is_some());
        assert!(base58check(b"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", 0).is_some());
        assert!(bech32(b"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", 0).is_some());
        assert!(hex_wallet(b"0x52908400098527886E0F7030069857D2E4169EE7", 0).is_some());
    }
}
