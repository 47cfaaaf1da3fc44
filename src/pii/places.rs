//! Postcodes written next to what makes them postcodes: a city (`80331 München`,
//! `1017 GC Amsterdam`, `Mumbai 400076`, `Manchester M14 5HG`), a postcode word (`PLZ 50667`,
//! `ZIP code: 10001-2345`, `CAP 50122`, `kod pocztowy 80-831`) or a US state (`Austin, TX
//! 78701-4312`). A bare number next to none of them (`processed 12000 Records`, `port 10115`)
//! is kept.
#![allow(
    clippy::many_single_char_names,
    reason = "byte scanners read best as b (bytes), i/j (offsets), c (byte)"
)]

use super::detect::{at, before, is_alnum};
use super::names::{self, capitalised, next_word, postcode, word_end, F_CITY};

/// USPS state and territory codes.
#[rustfmt::skip]
const US_STATES: &[&[u8; 2]] = &[
    b"AL", b"AK", b"AZ", b"AR", b"CA", b"CO", b"CT", b"DE", b"FL", b"GA", b"HI", b"ID", b"IL",
    b"IN", b"IA", b"KS", b"KY", b"LA", b"ME", b"MD", b"MA", b"MI", b"MN", b"MS", b"MO", b"MT",
    b"NE", b"NV", b"NH", b"NJ", b"NM", b"NY", b"NC", b"ND", b"OH", b"OK", b"OR", b"PA", b"RI",
    b"SC", b"SD", b"TN", b"TX", b"UT", b"VT", b"VA", b"WA", b"WV", b"WI", b"WY", b"DC", b"PR",
];

/// Whether 1-3 words from `n` name a city: capitalised words and particles (`Rio de
/// Janeiro`, `Frankfurt am Main`), one of them in the city list.
fn city_at(b: &[u8], n: usize) -> bool {
    let mut j = n;
    for k in 0..3 {
        let e = word_end(b, j);
        let w = b.get(j..e).unwrap_or(&[]);
        let cap = capitalised(b, j);
        let particle = matches!(w, b"de" | b"do" | b"da" | b"del" | b"am" | b"an" | b"sur");
        if cap && names::word_flags(w) & F_CITY != 0 {
            return true;
        }
        if !(cap || particle && k > 0) {
            return false;
        }
        match next_word(b, e) {
            Some(m) if at(b, e) == b' ' => j = m,
            _ => return false,
        }
    }
    false
}

/// A postcode at `i` followed by a city (`80331 München`, `00-514 Warszawa`,
/// `1017 GC Amsterdam`, `114 51 Stockholm`, `94107 San Francisco`). Returns its end.
pub(crate) fn postcode_then_city(b: &[u8], i: usize) -> Option<usize> {
    if matches!(before(b, i), b'.' | b'-' | b'/' | b':' | b'_' | b'#' | b'$') {
        return None;
    }
    let pe = postcode(b, i)?;
    let mut k = pe;
    if at(b, k) == b',' {
        k += 1;
    }
    if at(b, k) != b' ' {
        return None;
    }
    let n = next_word(b, k)?;
    let year = pe == i + 4
        && matches!(b.get(i..i + 2), Some(b"19" | b"20"))
        && place_preposition_before(b, i);
    if year {
        return None; // `in 2026 Berlin hosted …`
    }
    if city_at(b, n) {
        return Some(pe);
    }
    // `nach 74653 Künzelsau`, `à 48200 Saint-Chély`: a place preposition, five digits or a
    // grouped shape, and a capitalised word that is not a noun of logs (`Requests`)
    let digits = b.get(i..pe)?.iter().filter(|c| c.is_ascii_digit()).count();
    let shaped = digits >= 5 || b.get(i..pe)?.contains(&b'-');
    let ne = word_end(b, n);
    (shaped
        && k == pe
        && place_preposition_before(b, i)
        && capitalised(b, n)
        && !names::common_noun(b.get(n..ne)?))
    .then_some(pe)
}

/// Whether a place preposition (`in`, `nach`, `à`, `a`, `w`, `em`, `naar`, `i`, `en`)
/// stands right before `i`.
fn place_preposition_before(b: &[u8], i: usize) -> bool {
    if before(b, i) != b' ' {
        return false;
    }
    let e = i - 1;
    let mut s = e;
    while s > 0 && (before(b, s).is_ascii_alphabetic() || before(b, s) >= 0x80) && e - s < 6 {
        s -= 1;
    }
    matches!(
        b.get(s..e),
        Some(
            b"in"
                | b"nach"
                | b"\xc3\xa0"
                | b"a"
                | b"w"
                | b"em"
                | b"naar"
                | b"i"
                | b"en"
                | b"aus"
                | b"da"
                | b"de"
        )
    ) && !is_alnum(before(b, s))
}

/// Separators between a city and its postcode: ` `, `, `, ` - `, ` – `.
fn skip_city_sep(b: &[u8], e: usize) -> usize {
    let mut j = e;
    while j - e < 5 {
        match at(b, j) {
            b' ' | b',' | b'-' => j += 1,
            // `–` (U+2013) and `—` (U+2014)
            0xE2 if at(b, j + 1) == 0x80 && matches!(at(b, j + 2), 0x93 | 0x94) => j += 3,
            _ => break,
        }
    }
    j
}

/// After a city word ending at `e`: a postcode (`Mumbai 400076`, `Bengaluru - 560034`,
/// `Leeds LS6 2AB`, `Berlin 10115`). Four-digit numbers are years here, not postcodes.
/// Returns the postcode's span.
pub(crate) fn postcode_after_city(b: &[u8], e: usize) -> Option<(usize, usize)> {
    let s = skip_city_sep(b, e);
    if s == e || !is_alnum(at(b, s)) {
        return None;
    }
    let pe = postcode(b, s)?;
    let digits = b.get(s..pe)?.iter().filter(|c| c.is_ascii_digit()).count();
    let letters = b.get(s..pe)?.iter().any(u8::is_ascii_uppercase);
    (digits >= 5 || letters).then_some((s, pe))
}

/// After a postcode word ending at `e` (`PLZ`, `ZIP`, `CAP`, `pincode`, `postal`): fillers
/// (`code`, `:`, `=`, `#`, `no.`) and a postcode. Returns the postcode's span.
pub(crate) fn postcode_after_word(b: &[u8], e: usize) -> Option<(usize, usize)> {
    let mut j = e;
    for _ in 0..3 {
        while matches!(at(b, j), b' ' | b':' | b'=' | b'#' | b'"' | b'\'') && j - e < 24 {
            j += 1;
        }
        if at(b, j).is_ascii_digit() || at(b, j).is_ascii_uppercase() && is_alnum(at(b, j + 1)) {
            break;
        }
        let we = word_end(b, j);
        let w = b.get(j..we)?;
        if !matches!(
            w,
            b"code" | b"Code" | b"no" | b"No" | b"postal" | b"pocztowy" | b"postale" | b"is"
        ) {
            return None;
        }
        j = we;
        if at(b, j) == b'.' {
            j += 1;
        }
    }
    let pe = postcode(b, j)?;
    let digits = b.get(j..pe)?.iter().filter(|c| c.is_ascii_digit()).count();
    (digits >= 4 || b.get(j..pe)?.contains(&b'-')).then_some((j, pe))
}

/// Australian states and territories: a four-digit postcode follows (`Sydney NSW 2000`).
const AU_STATES: &[&[u8]] = &[b"NSW", b"VIC", b"QLD", b"WA", b"SA", b"TAS", b"ACT", b"NT"];

/// Canadian provinces and territories: an `A9A 9A9` postcode follows (`Toronto, ON M5X 1A9`).
#[rustfmt::skip]
const CA_PROVINCES: &[&[u8]] = &[
    b"ON", b"QC", b"BC", b"AB", b"MB", b"SK", b"NS", b"NB", b"NL", b"PE", b"YT", b"NT", b"NU",
];

/// After an Australian state or a Canadian province at `i..e` that follows a city: its
/// postcode (`Brisbane QLD 4000`, `Vancouver, BC V6B 4Y8`). Returns the postcode's span.
fn state_postcode(b: &[u8], i: usize, e: usize) -> Option<(usize, usize)> {
    let code = b.get(i..e)?;
    let s = e + 1;
    if AU_STATES.contains(&code) {
        let four = (s..s + 4).all(|k| at(b, k).is_ascii_digit()) && !is_alnum(at(b, s + 4));
        return four.then_some((s, s + 4));
    }
    if CA_PROVINCES.contains(&code) {
        let l = |k: usize| at(b, s + k).is_ascii_uppercase();
        let d = |k: usize| at(b, s + k).is_ascii_digit();
        let shape = l(0) && d(1) && l(2) && at(b, s + 3) == b' ' && d(4) && l(5) && d(6);
        return (shape && !is_alnum(at(b, s + 7))).then_some((s, s + 7));
    }
    None
}

/// A US state code at `i` after a city (`Austin, TX 78701-4312`, `Springfield, OR 97403`)
/// followed by a ZIP or ZIP+4 code, or an Australian state or Canadian province followed by
/// its postcode. Returns the postcode's span.
pub(crate) fn state_zip(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let mut e = i;
    while at(b, e).is_ascii_uppercase() && e - i < 4 {
        e += 1;
    }
    let code = b.get(i..e)?;
    let p = before(b, i);
    let after_city =
        p == b' ' && i >= 2 && (before(b, i - 1) == b',' || before(b, i - 1).is_ascii_lowercase());
    if at(b, e) != b' ' || !after_city {
        return None;
    }
    if let Some(span) = state_postcode(b, i, e) {
        return Some(span);
    }
    if !US_STATES.iter().any(|s| s.as_slice() == code) {
        return None;
    }
    let s = i + 3;
    let mut j = s;
    while at(b, j).is_ascii_digit() {
        j += 1;
    }
    if j - s != 5 {
        return None;
    }
    if at(b, j) == b'-' && (1..=4).all(|k| at(b, j + k).is_ascii_digit()) {
        j += 5;
    }
    (!is_alnum(at(b, j))).then_some((s, j))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_next_to_a_city_a_word_or_a_state() {
        names::warm();
        assert_eq!(postcode_then_city(b"in 80331 M\xc3\xbcnchen", 3), Some(8));
        assert_eq!(postcode_then_city(b"1017 GC Amsterdam", 0), Some(7));
        assert_eq!(postcode_then_city(b"94107 San Francisco", 0), Some(5));
        assert_eq!(postcode_then_city(b"12000 Records", 0), None);
        assert_eq!(postcode_after_city(b"Mumbai - 400076", 6), Some((9, 15)));
        assert_eq!(postcode_after_city(b"Paris 2024", 5), None);
        assert_eq!(
            postcode_after_word(b"ZIP code: 10001-2345", 3),
            Some((10, 20))
        );
        assert_eq!(postcode_after_word(b"PLZ 50667,", 3), Some((4, 9)));
        assert_eq!(postcode_after_word(b"zip 42", 3), None);
        assert_eq!(state_zip(b"Austin, TX 78701-4312", 8), Some((11, 21)));
        assert_eq!(state_zip(b"rx TX 78701", 3), Some((6, 11)));
        assert_eq!(state_zip(b"XX 78701", 0), None);
    }
}
