//! Detectors for number-shaped PII: phone, card, SSN, IBAN, IPv4, IPv6.
#![allow(
    clippy::many_single_char_names,
    reason = "byte scanners read best as b (bytes), i/j (offsets), c (byte)"
)]

use super::detect::{at, before, is_alnum};

/// Bytes that, right before a number, mean it is part of something else (a path, an id,
/// an amount, a negative number).
fn glued_left(c: u8) -> bool {
    is_alnum(c)
        || matches!(
            c,
            b'-' | b'_' | b'.' | b'/' | b'\\' | b'#' | b'$' | b'@' | b'&' | b'%'
        )
}

/// After a number: another alphanumeric, or a decimal/time continuation (`.5`, `:30`).
fn glued_right(b: &[u8], j: usize) -> bool {
    let c = at(b, j);
    is_alnum(c)
        || c == b'_'
        || (matches!(c, b'.' | b',' | b':' | b'-' | b'/') && at(b, j + 1).is_ascii_digit())
}

/// US SSN `AAA-GG-SSSS` with the SSA validity rules (area not 000, 666 or 9xx; group not 00;
/// serial not 0000).
pub(crate) fn ssn(b: &[u8], i: usize) -> Option<usize> {
    if glued_left(before(b, i)) {
        return None;
    }
    let d = |k: usize| at(b, i + k);
    let shape = [0, 1, 2, 4, 5, 7, 8, 9, 10]
        .iter()
        .all(|&k| d(k).is_ascii_digit())
        && d(3) == b'-'
        && d(6) == b'-';
    if !shape || glued_right(b, i + 11) || d(11) == b'-' {
        return None;
    }
    let area = [d(0), d(1), d(2)];
    if area == *b"000" || area == *b"666" || area[0] == b'9' {
        return None;
    }
    if [d(4), d(5)] == *b"00" || [d(7), d(8), d(9), d(10)] == *b"0000" {
        return None;
    }
    Some(i + 11)
}

/// After an SSN word ending at `e` (`SSN`, `SSN:`, `Social Security Number`, `social
/// security no.`): nine digits, plain, dashed or spaced (`432871190`, `536 22 1234`), with
/// the same validity rules. Returns their span.
pub(crate) fn ssn_after(b: &[u8], e: usize) -> Option<(usize, usize)> {
    let mut j = e;
    for _ in 0..4 {
        while matches!(at(b, j), b' ' | b':' | b'=' | b'#' | b'.' | b'"' | b'\'') && j - e < 40 {
            j += 1;
        }
        if at(b, j).is_ascii_digit() || j - e >= 40 {
            break;
        }
        let mut k = j;
        while at(b, k).is_ascii_alphabetic() {
            k += 1;
        }
        let w = b.get(j..k)?;
        let filler = [&b"security"[..], b"number", b"no", b"num", b"nr", b"is"]
            .iter()
            .any(|f| f.eq_ignore_ascii_case(w));
        if k == j || !filler {
            return None;
        }
        j = k;
    }
    let s = j;
    let mut digits = [0_u8; 9];
    let mut n = 0;
    let mut k = s;
    while n < 9 {
        let c = at(b, k);
        if c.is_ascii_digit() {
            if let Some(slot) = digits.get_mut(n) {
                *slot = c;
            }
            n += 1;
        } else if !(matches!(c, b' ' | b'-') && (n == 3 || n == 5)) {
            break;
        }
        k += 1;
    }
    if n != 9 || glued_right(b, k) || glued_left(before(b, s)) && before(b, s) != b'#' {
        return None;
    }
    let [a0, a1, a2, g0, g1, s0, s1, s2, s3] = digits;
    let area = [a0, a1, a2];
    if area == *b"000" || area == *b"666" || a0 == b'9' || [g0, g1] == *b"00" {
        return None;
    }
    ([s0, s1, s2, s3] != *b"0000").then_some((s, k))
}

/// Dotted-quad IPv4. Returns the end and whether it is PII (loopback `127/8` and `0.0.0.0`
/// are not).
pub(crate) fn ipv4(b: &[u8], i: usize) -> Option<(usize, bool)> {
    let p = before(b, i);
    // A URL host (`scheme://1.2.3.4`, `user:pass@1.2.3.4`) is glued to `/` or `@` but is
    // still an address.
    let url_host = (p == b'/' && i >= 2 && before(b, i - 1) == b'/') || p == b'@';
    if glued_left(p) && !url_host {
        return None;
    }
    let mut j = i;
    let mut octets = [0_u16; 4];
    for (n, slot) in octets.iter_mut().enumerate() {
        if n > 0 {
            if at(b, j) != b'.' {
                return None;
            }
            j += 1;
        }
        let start = j;
        let mut v: u16 = 0;
        while at(b, j).is_ascii_digit() && j - start < 3 {
            v = v * 10 + u16::from(at(b, j) - b'0');
            j += 1;
        }
        if j == start || v > 255 || (j - start > 1 && at(b, start) == b'0') {
            return None;
        }
        *slot = v;
    }
    // A port (`:53`) or a list separator may follow; a further dotted part may not.
    let next = at(b, j);
    if is_alnum(next) || next == b'_' || (next == b'.' && is_alnum(at(b, j + 1))) {
        return None;
    }
    // `1.2.3.4-beta`, `1.2.3.4+build5`: a version with a pre-release or build suffix
    if (next == b'-' && at(b, j + 1).is_ascii_alphabetic())
        || (next == b'+' && is_alnum(at(b, j + 1)))
    {
        return None;
    }
    let pii = !(octets[0] == 127 || octets == [0, 0, 0, 0]);
    Some((j, pii))
}

/// IPv6 (full, `::`-compressed, with an optional trailing dotted quad). Needs at least one
/// decimal digit (so `dead::beef`-like identifiers are left) and, without `::`, all 8 groups
/// (so `12:30:45` and MAC addresses are left). Returns the end and whether it is PII
/// (`::` and `::1` are not).
pub(crate) fn ipv6(b: &[u8], i: usize) -> Option<(usize, bool)> {
    let p = before(b, i);
    if is_alnum(p) || p == b':' || p == b'.' {
        return None;
    }
    let mut j = i;
    let mut groups = 0;
    let mut compressed = false;
    let mut digit = false;
    let mut all_zero_but_last = true;
    let mut last: u32 = 0;
    if at(b, j) == b':' {
        if at(b, j + 1) != b':' {
            return None;
        }
        compressed = true;
        j += 2;
    }
    loop {
        let start = j;
        let mut v: u32 = 0;
        while at(b, j).is_ascii_hexdigit() && j - start < 4 {
            let c = at(b, j);
            digit |= c.is_ascii_digit();
            v = v * 16 + u32::from(hex_value(c));
            j += 1;
        }
        if j == start {
            break;
        }
        if at(b, j) == b'.' && groups <= 6 {
            // embedded IPv4 tail
            if let Some((end, _)) = ipv4(b, start) {
                groups += 2;
                j = end;
                all_zero_but_last = false;
                digit = true;
                break;
            }
            return None;
        }
        if at(b, j).is_ascii_hexdigit() {
            return None; // group longer than 4
        }
        if groups > 0 && last != 0 {
            all_zero_but_last = false;
        }
        last = v;
        groups += 1;
        if groups > 8 {
            return None;
        }
        if at(b, j) == b':' && at(b, j + 1) == b':' && !compressed {
            compressed = true;
            j += 2;
        } else if at(b, j) == b':' && at(b, j + 1).is_ascii_hexdigit() {
            j += 1;
        } else {
            break;
        }
    }
    let valid = if compressed { groups <= 7 } else { groups == 8 };
    if !valid || is_alnum(at(b, j)) || at(b, j) == b'_' {
        return None;
    }
    if compressed && groups <= 1 && all_zero_but_last && last <= 1 {
        return Some((j, false)); // `::` or `::1`
    }
    if !digit || (groups < 2 && !compressed) {
        return None;
    }
    Some((j, true))
}

fn hex_value(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

/// Luhn checksum over ASCII digits.
pub(crate) fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0_u32;
    for (k, &d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d.wrapping_sub(b'0'));
        if k % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

/// Whether an issuer prefix (IIN) is known for this length.
fn card_brand_ok(d: &[u8]) -> bool {
    let n = d.len();
    let prefix = |k: usize| {
        d.iter()
            .take(k)
            .fold(0_u32, |acc, &c| acc * 10 + u32::from(c.wrapping_sub(b'0')))
    };
    let (two, four) = (prefix(2), prefix(4));
    match d.first() {
        Some(b'4') => matches!(n, 13 | 16 | 19),
        Some(b'5') => (51..=55).contains(&two) && n == 16,
        Some(b'2') => (2221..=2720).contains(&four) && n == 16,
        Some(b'3') => match two {
            34 | 37 => n == 15,
            35 => (16..=19).contains(&n),
            30 | 36 | 38 | 39 => (14..=19).contains(&n),
            _ => false,
        },
        Some(b'6') => {
            (four == 6011 || two == 62 || two == 64 || two == 65) && (16..=19).contains(&n)
        }
        _ => false,
    }
}

/// Payment card: 13-19 digits, optionally grouped by single spaces or dashes (one kind),
/// a known issuer prefix for the length, and a valid Luhn checksum. When groups follow a card
/// (`4111 1111 1111 1111 2024`), the longest valid prefix of whole groups wins.
pub(crate) fn card(b: &[u8], i: usize) -> Option<usize> {
    if glued_left(before(b, i)) || before(b, i) == b'+' || after_iban_group(b, i) {
        return None;
    }
    let mut digits = [0_u8; 19];
    let mut n = 0;
    let mut j = i;
    let mut sep: Option<u8> = None;
    // candidate ends: (byte end, digit count)
    let mut ends = [(0_usize, 0_usize); 20];
    let mut n_ends = 0;
    loop {
        let c = at(b, j);
        if c.is_ascii_digit() {
            let Some(slot) = digits.get_mut(n) else {
                sep?; // an ungrouped 20+ digit run is an id, not a card
                break; // more groups than a card holds: try the whole-group prefixes
            };
            *slot = c;
            n += 1;
            j += 1;
            continue;
        }
        if let Some(e) = ends.get_mut(n_ends) {
            *e = (j, n);
            n_ends += 1;
        }
        if matches!(c, b' ' | b'-') && at(b, j + 1).is_ascii_digit() && sep.is_none_or(|s| s == c) {
            sep = Some(c);
            j += 1;
            continue;
        }
        break;
    }
    if sep.is_none() && n > 19 {
        return None;
    }
    for &(end, count) in ends.get(..n_ends).unwrap_or(&[]).iter().rev() {
        if !(13..=19).contains(&count) || glued_right(b, end) {
            continue;
        }
        let d = digits.get(..count)?;
        if card_brand_ok(d) && luhn(d) {
            return Some(end);
        }
    }
    None
}

/// Phone numbers.
///
/// * International: `+` and 8-15 digits, grouped by spaces, dashes, dots or a parenthesised
///   group (`+1 (555) 123-4567`, `+44 20 7946 0958`, `+4915112345678`).
/// * North American: groups 3-3-4 (optionally `1` first, area code optionally in parentheses)
///   with area code and exchange starting 2-9 (`(555) 123-4567`, `555.123.4567`).
/// * National with trunk prefix: a leading `0` then a non-zero digit, 10-12 digits, any
///   grouping (`06 12 34 56 78`, `020 7946 0958`, `0612345678`).
///
/// Plain digit runs without `+`, trunk `0` or 3-3-4 grouping (ids, amounts, epoch times) are
/// never phones, nor are dates, times or decimals.
pub(crate) fn phone(b: &[u8], i: usize) -> Option<usize> {
    if glued_left(before(b, i)) || after_iban_group(b, i) {
        return None;
    }
    let mut j = i;
    // `(+48) 601 …`: the country code in parentheses
    let mut cc_paren = at(b, j) == b'(' && at(b, j + 1) == b'+';
    if cc_paren {
        j += 1;
    }
    let intl = at(b, j) == b'+';
    if intl {
        j += 1;
        if !matches!(at(b, j), b'1'..=b'9' | b'(') {
            return None;
        }
    }
    let mut groups = [0_u8; 16];
    let mut n_groups = 0;
    let mut digits = 0;
    let mut first = [0_u8; 2];
    let mut area_exchange = [0_u8; 3];
    let mut dots = 0;
    let mut end = i;
    loop {
        let paren = std::mem::take(&mut cc_paren) || at(b, j) == b'(';
        if at(b, j) == b'(' {
            j += 1;
        }
        let start = j;
        while at(b, j).is_ascii_digit() {
            if let Some(slot) = first.get_mut(digits) {
                *slot = at(b, j);
            }
            digits += 1;
            j += 1;
        }
        let len = j - start;
        if len == 0 && n_groups > 0 {
            break; // `+351 913 241 745 (Timeout)`: the number ended at the last group
        }
        if len == 0 || digits > 15 {
            return None;
        }
        if let Some(slot) = area_exchange.get_mut(n_groups) {
            *slot = at(b, start);
        }
        if let Some(slot) = groups.get_mut(n_groups) {
            *slot = u8::try_from(len).unwrap_or(u8::MAX);
        }
        n_groups += 1;
        if paren {
            if at(b, j) != b')' {
                return None;
            }
            j += 1;
        }
        end = j;
        let c = at(b, j);
        let next = at(b, j + 1);
        if matches!(c, b' ' | b'-' | b'.' | b'/') && (next.is_ascii_digit() || next == b'(') {
            dots += usize::from(c == b'.');
            j += 1;
        } else if paren && (c.is_ascii_digit()) {
            // `(555)123-4567`
        } else {
            break;
        }
    }
    // A CSV field separator may follow a grouped or international number.
    let csv = at(b, end) == b',' && (intl || n_groups >= 3 || digits >= 10);
    if glued_right(b, end) && !csv {
        return None;
    }
    let g = groups.get(..n_groups).unwrap_or(&[]);
    if dots > 0 && n_groups == 2 {
        return None; // looks like a decimal
    }
    if intl {
        return (8..=15).contains(&digits).then_some(end);
    }
    let nanp_digit = |k: usize| {
        area_exchange
            .get(k)
            .is_some_and(|d| (b'2'..=b'9').contains(d))
    };
    // Grouped 3-3-4 numbers are phones even with a fictional exchange (`555 123 4567`);
    // the area code must still start 2-9.
    let nanp = match g {
        [3, 3, 4] => nanp_digit(0) && (nanp_digit(1) || n_groups == 3),
        [1, 3, 3, 4] => first[0] == b'1' && nanp_digit(1) && nanp_digit(2),
        _ => false,
    };
    let trunk = first[0] == b'0'
        && first[1] != b'0'
        && (10..=12).contains(&digits)
        && g.iter().all(|&len| len >= 2);
    // `0033 6 12 34 56 78`: the `00` international prefix
    let intl_00 = first == *b"00"
        && g.first().is_some_and(|&l| l >= 4 || n_groups > 2)
        && (10..=17).contains(&digits)
        && at(b, i + 2) != b'0';
    // `(11) 99270-6605`: a parenthesised two-digit area code, then 4-5 + 4 digits
    let area_paren = at(b, i) == b'(' && matches!(g, [2, 4 | 5, 4]);
    // `690 113 222`, `601 234 567`: Spanish and Polish mobiles in three groups of three
    let mobile_333 = matches!(g, [3, 3, 3]) && dots == 0 && (b'5'..=b'9').contains(&first[0]);
    (nanp || trunk || intl_00 || area_paren || mobile_333).then_some(end)
}

/// IBAN registry lengths by country code.
#[rustfmt::skip]
const IBAN_LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24), (b"AE", 23), (b"AL", 28), (b"AT", 20), (b"AZ", 28), (b"BA", 20), (b"BE", 16),
    (b"BG", 22), (b"BH", 22), (b"BR", 29), (b"BY", 28), (b"CH", 21), (b"CR", 22), (b"CY", 28),
    (b"CZ", 24), (b"DE", 22), (b"DK", 18), (b"DO", 28), (b"EE", 20), (b"EG", 29), (b"ES", 24),
    (b"FI", 18), (b"FO", 18), (b"FR", 27), (b"GB", 22), (b"GE", 22), (b"GI", 23), (b"GL", 18),
    (b"GR", 27), (b"GT", 28), (b"HR", 21), (b"HU", 28), (b"IE", 22), (b"IL", 23), (b"IQ", 23),
    (b"IS", 26), (b"IT", 27), (b"JO", 30), (b"KW", 30), (b"KZ", 20), (b"LB", 28), (b"LC", 32),
    (b"LI", 21), (b"LT", 20), (b"LU", 20), (b"LV", 21), (b"MC", 27), (b"MD", 24), (b"ME", 22),
    (b"MK", 19), (b"MR", 27), (b"MT", 31), (b"MU", 30), (b"NL", 18), (b"NO", 15), (b"PK", 24),
    (b"PL", 28), (b"PS", 29), (b"PT", 25), (b"QA", 29), (b"RO", 24), (b"RS", 22), (b"SA", 24),
    (b"SC", 31), (b"SE", 24), (b"SI", 19), (b"SK", 24), (b"SM", 27), (b"ST", 25), (b"SV", 28),
    (b"TL", 23), (b"TN", 24), (b"TR", 26), (b"UA", 29), (b"VA", 22), (b"VG", 24), (b"XK", 20),
];

/// IBAN: country code with its registry length, two check digits, upper-case alphanumerics
/// (optionally in space-separated groups of four), and ISO 7064 mod-97 = 1.
pub(crate) fn iban(b: &[u8], i: usize) -> Option<usize> {
    let cc = [at(b, i), at(b, i + 1)];
    if !cc.iter().all(u8::is_ascii_uppercase)
        || !at(b, i + 2).is_ascii_digit()
        || !at(b, i + 3).is_ascii_digit()
    {
        return None;
    }
    let &(_, len) = IBAN_LENGTHS.iter().find(|(c, _)| **c == cc)?;
    let mut chars = [0_u8; 34];
    let mut n = 0;
    let mut j = i;
    while n < len {
        let c = at(b, j);
        if c.is_ascii_digit() || c.is_ascii_uppercase() {
            *chars.get_mut(n)? = c;
            n += 1;
            j += 1;
        } else if c == b' ' && n % 4 == 0 && n > 0 && is_alnum(at(b, j + 1)) {
            j += 1;
        } else {
            return None;
        }
    }
    if is_alnum(at(b, j)) {
        return None;
    }
    let chars = chars.get(..len)?;
    let rotated = chars.iter().skip(4).chain(chars.iter().take(4));
    let mut rem: u32 = 0;
    for &c in rotated {
        if c.is_ascii_digit() {
            rem = (rem * 10 + u32::from(c - b'0')) % 97;
        } else {
            rem = (rem * 100 + u32::from(c - b'A') + 10) % 97;
        }
    }
    (rem == 1).then_some(j)
}

/// Whether `i` follows a 4-character group of an IBAN-like run (`DE89 3704 0044 …`): its
/// digits are the tail of an account number (valid or not), not a phone.
pub(crate) fn after_iban_group(b: &[u8], i: usize) -> bool {
    if i < 5 || before(b, i) != b' ' {
        return false;
    }
    let group = (i - 5..i - 1).all(|k| at(b, k).is_ascii_alphanumeric());
    group && !is_alnum(before(b, i - 5)) && {
        // walk back over groups to a country code + check digits
        let mut s = i - 5;
        let mut ok = false;
        for _ in 0..8 {
            let c0 = at(b, s);
            let c1 = at(b, s + 1);
            if c0.is_ascii_alphabetic()
                && c1.is_ascii_alphabetic()
                && at(b, s + 2).is_ascii_digit()
                && at(b, s + 3).is_ascii_digit()
            {
                ok = true;
                break;
            }
            if s < 5 || before(b, s) != b' ' {
                break;
            }
            s -= 5;
        }
        ok
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn luhn_known_values() {
        assert!(luhn(b"4111111111111111"));
        assert!(!luhn(b"4111111111111112"));
        assert!(luhn(b"378282246310005"));
    }

    #[test]
    fn iban_known_values() {
        assert!(iban(b"DE89370400440532013000", 0).is_some());
        assert!(iban(b"GB82 WEST 1234 5698 7654 32", 0).is_some());
        assert!(iban(b"DE89370400440532013001", 0).is_none());
    }
}
