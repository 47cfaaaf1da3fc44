//! Value detectors: hand-written byte scanners, tried at word starts.
//!
//! Every scanner reads bytes through [`at`], which yields `0` past the end, so no index can
//! panic. A match only ever starts and ends next to an ASCII byte (or at the ends of the
//! text), so match boundaries are always `char` boundaries.
#![allow(
    clippy::many_single_char_names,
    reason = "byte scanners read best as b (bytes), i/j (offsets), c (byte)"
)]

use super::config::Detector;
use super::{ids, names, numeric, places, urls, versions::version_before};

/// The byte at `i`, or `0` past the end.
#[inline]
pub(crate) fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// The byte before `i`, or `0` at the start.
#[inline]
pub(crate) fn before(b: &[u8], i: usize) -> u8 {
    if i == 0 {
        0
    } else {
        at(b, i - 1)
    }
}

/// Whether `p` occurs at `i` (byte loop: cheaper than `memcmp` for a few bytes).
#[inline]
fn has_prefix(b: &[u8], i: usize, p: &[u8]) -> bool {
    p.iter().enumerate().all(|(k, &c)| at(b, i + k) == c)
}

#[inline]
pub(crate) fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

/// Longest run any single scanner reads from its start (JWTs, bearer credentials and API
/// keys longer than this are masked up to here). Keeps the worst case at
/// `O(len × MAX_TOKEN)` for adversarial input and linear for ordinary text.
const MAX_TOKEN: usize = 4096;

/// Longest JWT header read (real ones are well under 200 bytes).
const MAX_JWT_HEADER: usize = 512;

/// Longest API key read after its prefix (real ones are under 200 bytes).
const MAX_API_KEY: usize = 256;

/// How far the word-shape pre-scan looks (e-mail local parts are at most 64 bytes, URL
/// schemes 32, safe tokens 128).
const MAX_RUN: usize = 160;

/// Outcome of trying the detectors at one position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// PII of this kind at `start..end`.
    Found {
        start: usize,
        end: usize,
        detector: Detector,
    },
    /// A known-safe token (UUID, hex hash, ISO date, loopback address) ends at this offset:
    /// do not look inside it.
    Keep(usize),
    /// Nothing here.
    Nothing,
}

/// Which detectors are on, indexed by [`Detector::index`].
pub(crate) type Enabled = [bool; Detector::ALL.len()];

#[inline]
fn on(enabled: &Enabled, d: Detector) -> bool {
    enabled.get(d.index()).copied().unwrap_or(false)
}

fn found(start: usize, end: usize, detector: Detector) -> Verdict {
    Verdict::Found {
        start,
        end,
        detector,
    }
}

/// Tries every enabled detector that can start at `i`. The caller guarantees nothing about
/// `i`; each scanner checks its own left boundary.
pub(crate) fn detect_at(b: &[u8], i: usize, enabled: &Enabled) -> Verdict {
    let c = at(b, i);
    let prev = before(b, i);
    if c.is_ascii_alphanumeric() {
        if is_alnum(prev) {
            return Verdict::Nothing;
        }
        // One pass over the word tells which scanners can possibly match: an e-mail needs
        // an `@` right after the local-part run, a URL a `:` after the scheme.
        // Bounded, so `a.a.a.…` stays linear.
        let mut run_end = i;
        let mut pct = false;
        while run_end - i < MAX_RUN {
            let d = at(b, run_end);
            if d == b'%' {
                pct = true;
            } else if !(is_alnum(d) || matches!(d, b'.' | b'_' | b'+' | b'-')) {
                break;
            }
            run_end += 1;
        }
        let stop = at(b, run_end);
        // A short alphabetic word can only be a scheme word (`Bearer`), a URL scheme or
        // drive letter (`:` follows), an IPv6 group (`:`), an e-mail local part (`@`), an
        // upper-case national id or IBAN: everything else needs 8+ bytes.
        if c.is_ascii_alphabetic()
            && run_end - i < 8
            && !matches!(stop, b':' | b'@')
            && !pct
            && !matches!(c, b'b' | b'B')
            && !grouped_id_start(b, i)
        {
            return Verdict::Nothing;
        }
        // `1985-03-12`, `12.03.1985`, `3/12/1985`: before the ISO-date keep below
        let date_sep = |c: u8| matches!(c, b'.' | b'/' | b'-');
        let date_like = c.is_ascii_digit()
            && ((at(b, i + 4) == b'-' && (1..4).all(|k| at(b, i + k).is_ascii_digit()))
                || date_sep(at(b, i + 1))
                || (at(b, i + 1).is_ascii_digit() && date_sep(at(b, i + 2))));
        if date_like && on(enabled, Detector::DateOfBirth) {
            if let Some(e) = names::old_date(b, i) {
                return found(i, e, Detector::DateOfBirth);
            }
        }
        // UUIDs, hashes and dates are all 10+ bytes of this run.
        if run_end - i >= 10 {
            if let Some(end) = safe_token(b, i) {
                // `key 9f8e…` / `token: 3f9a…`: a hex key, not a hash
                if end - i >= 24
                    && on(enabled, Detector::GenericSecret)
                    && ids::hex_key_after_secret_word(b, i, end)
                {
                    return found(i, end, Detector::GenericSecret);
                }
                return Verdict::Keep(end);
            }
        }
        if c.is_ascii_uppercase()
            && (at(b, i + 1).is_ascii_uppercase() || at(b, i + 1).is_ascii_digit())
            && on(enabled, Detector::NationalId)
        {
            if let Some(e) = ids::nino(b, i)
                .or_else(|| ids::codice_fiscale(b, i))
                .or_else(|| ids::nif(b, i))
                .or_else(|| ids::pan(b, i))
            {
                return found(i, e, Detector::NationalId);
            }
        }
        if grouped_id_start(b, i) && on(enabled, Detector::PostalAddress) {
            if let Some(e) = names::standalone_postcode(b, i) {
                return found(i, e, Detector::PostalAddress);
            }
        }
        if c.is_ascii_alphabetic() {
            if at(b, i + 1) == b':' && on(enabled, Detector::HomePath) {
                if let Some((s, e)) = ids::home_user(b, i) {
                    return found(s, e, Detector::HomePath);
                }
            }
            if matches!(c, b'b' | b't' | b'l') && on(enabled, Detector::CryptoWallet) {
                if let Some(e) = ids::bech32(b, i) {
                    return found(i, e, Detector::CryptoWallet);
                }
            }
            if matches!(c, b'L' | b'M' | b'D')
                && run_end - i >= 26
                && on(enabled, Detector::CryptoWallet)
            {
                if let Some(e) = ids::base58check(b, i) {
                    return found(i, e, Detector::CryptoWallet);
                }
            }
            if stop == b':' && matches!(c, b'h' | b'H') && on(enabled, Detector::PhotoUrl) {
                if let Some(e) = urls::photo_url(b, i) {
                    return found(i, e, Detector::PhotoUrl);
                }
            }
            if stop == b':' && on(enabled, Detector::UrlCredentials) {
                if let Some((s, e)) = url_credentials(b, i) {
                    return found(s, e, Detector::UrlCredentials);
                }
            }
            if on(enabled, Detector::Jwt) {
                if let Some(e) = jwt(b, i) {
                    return found(i, e, Detector::Jwt);
                }
            }
            if on(enabled, Detector::BearerToken) {
                if let Some((s, e)) = bearer(b, i) {
                    return found(s, e, Detector::BearerToken);
                }
            }
            if on(enabled, Detector::ApiKey) {
                if let Some(e) = api_key(b, i) {
                    return found(i, e, Detector::ApiKey);
                }
            }
            if on(enabled, Detector::Iban) {
                if let Some(e) = numeric::iban(b, i) {
                    return found(i, e, Detector::Iban);
                }
            }
        }
        let pct_at = pct
            && stop != b'@'
            && b.get(i..run_end)
                .is_some_and(|w| w.windows(3).any(|x| x == b"%40"));
        if (stop == b'@' || pct_at) && on(enabled, Detector::Email) {
            if let Some(e) = email(b, i) {
                return found(i, e, Detector::Email);
            }
        }
        if c.is_ascii_digit() {
            let mut digits = i;
            while at(b, digits).is_ascii_digit() && digits - i < 40 {
                digits += 1;
            }
            let digits = digits - i;
            let after = at(b, i + digits);
            let grouped = matches!(after, b' ' | b'-') && at(b, i + digits + 1).is_ascii_digit();
            if digits == 5 && after == b'-' && on(enabled, Detector::PostalAddress) {
                if let Some(e) = names::standalone_postcode(b, i) {
                    return found(i, e, Detector::PostalAddress);
                }
            }
            if matches!(digits, 2 | 4 | 5 | 6)
                && matches!(after, b' ' | b'-')
                && before(b, i) == b' '
                && on(enabled, Detector::PostalAddress)
            {
                if let Some(e) = names::postcode_before_city(b, i) {
                    return found(i, e, Detector::PostalAddress);
                }
            }
            if (2..=6).contains(&digits)
                && matches!(after, b' ' | b'-' | b',')
                && on(enabled, Detector::PostalAddress)
            {
                if let Some(e) = places::postcode_then_city(b, i) {
                    return found(i, e, Detector::PostalAddress);
                }
            }
            if digits == 3 && after == b'-' && on(enabled, Detector::Ssn) {
                if let Some(e) = numeric::ssn(b, i) {
                    return found(i, e, Detector::Ssn);
                }
            }
            if c == b'0' && digits == 1 && on(enabled, Detector::CryptoWallet) {
                if let Some(e) = ids::hex_wallet(b, i) {
                    return found(i, e, Detector::CryptoWallet);
                }
            }
            if digits <= 3 && after == b'.' {
                match numeric::ipv4(b, i) {
                    Some((e, true)) if on(enabled, Detector::Ipv4) && !version_before(b, i) => {
                        return found(i, e, Detector::Ipv4)
                    }
                    Some((e, _)) => return Verdict::Keep(e),
                    None => {}
                }
            }
            if prev == b' ' && numeric::after_iban_group(b, i) {
                return Verdict::Nothing; // the tail of an IBAN-like run, valid or not
            }
            // a card has 13-19 digits, plain or in groups (`4111 1111 …`, `3782 822463 …`)
            if (digits >= 13 || (grouped && digits >= 4)) && on(enabled, Detector::PaymentCard) {
                if let Some(e) = numeric::card(b, i) {
                    return found(i, e, Detector::PaymentCard);
                }
            }
            if (digits == 15 || (digits == 2 && grouped)) && on(enabled, Detector::Imei) {
                if let Some(e) = ids::imei(b, i) {
                    return found(i, e, Detector::Imei);
                }
            }
            if on(enabled, Detector::NationalId) {
                let id = match digits {
                    12 => ids::aadhaar(b, i),
                    4 if grouped => ids::aadhaar(b, i),
                    11 => ids::pesel(b, i),
                    8 => ids::nif(b, i),
                    3 if at(b, i + 3) == b'.' => ids::cpf(b, i),
                    15 => ids::nir(b, i),
                    1 if grouped => ids::nir(b, i),
                    _ => None,
                };
                if let Some(e) = id {
                    return found(i, e, Detector::NationalId);
                }
            }
            if (4..=8).contains(&digits)
                && after == b' '
                && !matches!(prev, b'-' | b'.' | b'/' | b'#' | b'_')
                && on(enabled, Detector::GenericSecret)
            {
                // `729104 is your Amazon one-time password`, `338102 aapka code hai`
                if ids::code_before_phrase(b, i + digits) {
                    return found(i, i + digits, Detector::GenericSecret);
                }
            }
            if digits == 9 && on(enabled, Detector::RoutingNumber) {
                if let Some(e) = ids::aba(b, i) {
                    return found(i, e, Detector::RoutingNumber);
                }
            }
            if matches!(c, b'1' | b'3') && run_end - i >= 26 && on(enabled, Detector::CryptoWallet)
            {
                if let Some(e) = ids::base58check(b, i) {
                    return found(i, e, Detector::CryptoWallet);
                }
            }
            // a phone has 7+ digits, or continues after a separator
            let continues = matches!(after, b' ' | b'-' | b'.' | b'/' | b'(')
                && matches!(at(b, i + digits + 1), b'0'..=b'9' | b'(');
            if (digits >= 7 || continues) && on(enabled, Detector::Phone) {
                if let Some(e) = numeric::phone(b, i) {
                    return found(i, e, Detector::Phone);
                }
            }
        }
        let run = run_end - i;
        let credential_slot = matches!(prev, b' ' | b'=' | b':' | b'"' | b'\'');
        if (run >= 20 || (run >= 10 && credential_slot)) && on(enabled, Detector::GenericSecret) {
            if let Some(e) = ids::generic_secret(b, i) {
                return found(i, e, Detector::GenericSecret);
            }
        }
        if c.is_ascii_hexdigit() {
            return ipv6_verdict(b, i, enabled);
        }
        return Verdict::Nothing;
    }
    match c {
        b'-' => {
            if on(enabled, Detector::PrivateKey) {
                if let Some(e) = ids::pem_private_key(b, i) {
                    return found(i, e, Detector::PrivateKey);
                }
            }
            if on(enabled, Detector::UrlCredentials) {
                if let Some((s, e)) = ids::cli_credential(b, i) {
                    return found(s, e, Detector::UrlCredentials);
                }
            }
            Verdict::Nothing
        }
        b'/' if on(enabled, Detector::HomePath) => match ids::home_user(b, i) {
            Some((s, e)) => found(s, e, Detector::HomePath),
            None => Verdict::Nothing,
        },
        b'+' | b'(' if on(enabled, Detector::Phone) => match numeric::phone(b, i) {
            Some(e) => found(i, e, Detector::Phone),
            None => Verdict::Nothing,
        },
        b':' => ipv6_verdict(b, i, enabled),
        _ => Verdict::Nothing,
    }
}

fn ipv6_verdict(b: &[u8], i: usize, enabled: &Enabled) -> Verdict {
    match numeric::ipv6(b, i) {
        Some((e, true)) if on(enabled, Detector::Ipv6) => found(i, e, Detector::Ipv6),
        Some((e, _)) => Verdict::Keep(e),
        None => Verdict::Nothing,
    }
}

/// UUIDs (8-4-4-4-12 hex), hex hashes (16+ hex digits with at least one letter) and ISO dates
/// (`YYYY-MM-DD`, with an optional `T` time part) are kept whole, so no detector looks inside.
fn safe_token(b: &[u8], i: usize) -> Option<usize> {
    // UUID
    let mut j = i;
    let mut ok = true;
    for (g, len) in [8_usize, 4, 4, 4, 12].iter().enumerate() {
        if g > 0 {
            if at(b, j) != b'-' {
                ok = false;
                break;
            }
            j += 1;
        }
        for _ in 0..*len {
            if !at(b, j).is_ascii_hexdigit() {
                ok = false;
                break;
            }
            j += 1;
        }
        if !ok {
            break;
        }
    }
    if ok && !is_alnum(at(b, j)) {
        return Some(j);
    }
    // hex hash
    let mut j = i;
    let mut letter = false;
    while at(b, j).is_ascii_hexdigit() {
        letter |= at(b, j).is_ascii_alphabetic();
        j += 1;
    }
    // Two leading capitals are an IBAN's country code, not a hash: leave those to the IBAN check.
    let country = at(b, i).is_ascii_uppercase() && at(b, i + 1).is_ascii_uppercase();
    if letter && !country && j - i >= 16 && !is_alnum(at(b, j)) && at(b, j) != b'@' {
        return Some(j);
    }
    // ISO date / timestamp
    let digits = |from: usize, n: usize| (from..from + n).all(|k| at(b, k).is_ascii_digit());
    if digits(i, 4)
        && at(b, i + 4) == b'-'
        && digits(i + 5, 2)
        && at(b, i + 7) == b'-'
        && digits(i + 8, 2)
        && !at(b, i + 10).is_ascii_digit()
    {
        let mut j = i + 10;
        if at(b, j) == b'T' {
            j += 1;
            while matches!(at(b, j), b'0'..=b'9' | b':' | b'.' | b'+' | b'-' | b'Z') {
                j += 1;
            }
        }
        return Some(j);
    }
    None
}

/// systemd unit suffixes: `getty@tty1.service`, `postgresql@14-main.service` are units.
const SYSTEMD_UNITS: &[&[u8]] = &[
    b"service",
    b"socket",
    b"timer",
    b"target",
    b"mount",
    b"slice",
    b"scope",
    b"device",
    b"swap",
    b"automount",
];

const IMAGE_EXT: &[&[u8]] = &[b"png", b"jpg", b"jpeg", b"gif", b"svg", b"webp", b"ico"];

/// `local@domain.tld`; local part 1-64 bytes of `A-Za-z0-9._%+-`, at least two domain labels,
/// an alphabetic TLD of 2-24 letters that is not an image extension (`icon@2x.png`).
pub(crate) fn email(b: &[u8], i: usize) -> Option<usize> {
    let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    if local(before(b, i)) || !is_alnum(at(b, i)) {
        return None;
    }
    let mut j = i;
    while local(at(b, j)) && j - i < 64 && !has_prefix(b, j, b"%40") {
        j += 1;
    }
    let width = if at(b, j) == b'@' {
        1
    } else if has_prefix(b, j, b"%40") {
        3 // percent-encoded inside a URL
    } else {
        return None;
    };
    if before(b, j) == b'.' || j == i {
        return None;
    }
    j += width;
    let mut labels = 0;
    let mut end = j;
    let mut tld = (j, j);
    loop {
        let start = j;
        while (is_alnum(at(b, j)) || at(b, j) == b'-') && j - start < 63 {
            j += 1;
        }
        if j == start || at(b, start) == b'-' || before(b, j) == b'-' {
            break;
        }
        labels += 1;
        end = j;
        tld = (start, j);
        if at(b, j) == b'.' && is_alnum(at(b, j + 1)) {
            j += 1;
        } else {
            break;
        }
    }
    let tld_bytes = b.get(tld.0..tld.1).unwrap_or(&[]);
    if labels < 2 || !(2..=24).contains(&tld_bytes.len()) {
        return None;
    }
    if !tld_bytes.iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    if IMAGE_EXT.iter().any(|e| e.eq_ignore_ascii_case(tld_bytes))
        || SYSTEMD_UNITS
            .iter()
            .any(|e| e.eq_ignore_ascii_case(tld_bytes))
    {
        return None;
    }
    Some(end)
}

/// `scheme://userinfo@host`: returns the userinfo span.
fn url_credentials(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let mut j = i;
    while (is_alnum(at(b, j)) || matches!(at(b, j), b'+' | b'.' | b'-')) && j - i < 32 {
        j += 1;
    }
    if at(b, j) != b':' || at(b, j + 1) != b'/' || at(b, j + 2) != b'/' {
        return None;
    }
    let start = j + 3;
    let mut k = start;
    while k - start < 256 {
        match at(b, k) {
            b'@' => break,
            0 | b'/' | b'?' | b'"' | b'\'' | b'<' | b'>' | b'[' | b']' => return None,
            c if c.is_ascii_whitespace() => return None,
            _ => k += 1,
        }
    }
    if at(b, k) != b'@' || k == start || !is_alnum(at(b, k + 1)) {
        return None;
    }
    Some((start, k))
}

fn is_b64url(c: u8) -> bool {
    is_alnum(c) || c == b'_' || c == b'-'
}

/// `eyJ<header>.eyJ<payload>.<signature>` (both JSON parts begin with `{"`).
fn jwt(b: &[u8], i: usize) -> Option<usize> {
    let part = |from: usize, max: usize| {
        let mut j = from;
        while is_b64url(at(b, j)) && j - from < max {
            j += 1;
        }
        j
    };
    if !has_prefix(b, i, b"eyJ") {
        return None;
    }
    let h = part(i, MAX_JWT_HEADER);
    if h - i < 10 || at(b, h) != b'.' || !has_prefix(b, h + 1, b"eyJ") {
        return None;
    }
    let p = part(h + 1, MAX_TOKEN);
    if p - h < 10 || at(b, p) != b'.' {
        return None;
    }
    Some(part(p + 1, MAX_TOKEN))
}

/// `Bearer <credential>` / `Basic <credential>`: returns the credential span. The credential
/// must be 8+ token bytes and contain a digit, a symbol or both letter cases, so prose such as
/// "Bearer authentication failed" is kept.
fn bearer(b: &[u8], i: usize) -> Option<(usize, usize)> {
    if !matches!(at(b, i), b'b' | b'B') {
        return None;
    }
    let word = if b
        .get(i..i + 6)
        .is_some_and(|w| w.eq_ignore_ascii_case(b"bearer"))
    {
        6
    } else if b
        .get(i..i + 5)
        .is_some_and(|w| w.eq_ignore_ascii_case(b"basic"))
    {
        5
    } else {
        return None;
    };
    let mut j = i + word;
    if !matches!(at(b, j), b' ' | b'\t') {
        return None;
    }
    while matches!(at(b, j), b' ' | b'\t') && j - i < word + 8 {
        j += 1;
    }
    let start = j;
    let (mut digit, mut upper, mut lower, mut symbol) = (false, false, false, false);
    loop {
        let c = at(b, j);
        match c {
            b'0'..=b'9' => digit = true,
            b'A'..=b'Z' => upper = true,
            b'a'..=b'z' => lower = true,
            b'.' | b'_' | b'~' | b'+' | b'/' | b'=' | b'-' => symbol = true,
            _ => break,
        }
        j += 1;
        if j - start >= MAX_TOKEN {
            break;
        }
    }
    while j > start && matches!(before(b, j), b'.' | b'-') {
        j -= 1; // sentence punctuation
    }
    if j - start < 8 || !(digit || symbol || (upper && lower)) {
        return None;
    }
    // `token_type=Bearer expires_in=3600`: a `key=value` pair follows, not a credential
    // (base64 padding `=` only ends one)
    let cred = b.get(start..j).unwrap_or(&[]);
    if cred
        .windows(2)
        .any(|w| w.first() == Some(&b'=') && w.get(1).is_some_and(|c| *c != b'='))
        && cred
            .iter()
            .take_while(|&&c| c != b'=')
            .all(|&c| c.is_ascii_lowercase() || c == b'_')
    {
        return None;
    }
    Some((start, j))
}

/// An API key shape: (prefix, minimum length after it, bytes allowed in the tail besides
/// letters and digits).
type Shape = (&'static [u8], usize, &'static [u8]);

// Well-known API key prefixes, by their first byte (so a word is compared only with the
// shapes that start like it): Stripe, GitHub, Slack, Google, GitLab, SendGrid, HashiCorp
// Vault, Hugging Face, Linear, npm, PyPI, Shopify, DigitalOcean, Postman, Atlassian, Figma,
// Supabase, Square, Google OAuth, Doppler, Mailgun, Stripe webhooks, Sentry, Pulumi.
const SHAPES_UPPER_A: &[Shape] = &[(b"AIza", 30, b"-_"), (b"ATATT", 30, b"-_=")];
const SHAPES_UPPER_P: &[Shape] = &[(b"PMAK-", 30, b"-")];
const SHAPES_UPPER_S: &[Shape] = &[(b"SG.", 40, b"-_.")];
const SHAPES_D: &[Shape] = &[
    (b"dop_v1_", 40, b""),
    (b"doo_v1_", 40, b""),
    (b"dor_v1_", 40, b""),
    (b"dp.st.", 30, b"-_."),
    (b"dp.pt.", 30, b"-_."),
];
const SHAPES_F: &[Shape] = &[(b"figd_", 30, b"-_")];
const SHAPES_G: &[Shape] = &[
    (b"ghp_", 30, b""),
    (b"gho_", 30, b""),
    (b"ghu_", 30, b""),
    (b"ghs_", 30, b""),
    (b"ghr_", 30, b""),
    (b"github_pat_", 20, b"-_"),
    (b"glpat-", 20, b"-_"),
    (b"glrt-", 20, b"-_"),
    (b"gldt-", 20, b"-_"),
];
const SHAPES_H: &[Shape] = &[
    (b"hvs.", 20, b"-_"),
    (b"hvb.", 20, b"-_"),
    (b"hf_", 30, b""),
];
const SHAPES_K: &[Shape] = &[(b"key-", 32, b"")];
const SHAPES_L: &[Shape] = &[(b"lin_api_", 30, b"")];
const SHAPES_N: &[Shape] = &[(b"npm_", 30, b"")];
const SHAPES_P: &[Shape] = &[
    (b"pk_live_", 16, b"-_"),
    (b"pypi-", 40, b"-_"),
    (b"pul-", 40, b""),
];
const SHAPES_R: &[Shape] = &[(b"rk_live_", 16, b"-_"), (b"rk_test_", 16, b"-_")];
const SHAPES_S: &[Shape] = &[
    (b"sk-", 20, b"-_"),
    (b"sk_live_", 16, b"-_"),
    (b"sk_test_", 16, b"-_"),
    (b"shpat_", 32, b""),
    (b"shpss_", 32, b""),
    (b"shpca_", 32, b""),
    (b"shppa_", 32, b""),
    (b"sbp_", 30, b""),
    (b"sq0atp-", 20, b"-_"),
    (b"sq0csp-", 20, b"-_"),
    (b"sntrys_", 30, b"-_=+/"),
];
const SHAPES_W: &[Shape] = &[(b"whsec_", 24, b"")];
const SHAPES_X: &[Shape] = &[
    (b"xoxb-", 10, b"-_"),
    (b"xoxp-", 10, b"-_"),
    (b"xoxa-", 10, b"-_"),
    (b"xoxr-", 10, b"-_"),
    (b"xoxs-", 10, b"-_"),
    (b"xoxe-", 10, b"-_"),
    (b"xapp-", 20, b"-_"),
];
const SHAPES_Y: &[Shape] = &[(b"ya29.", 20, b"-_.")];

/// The key shapes whose prefix starts with `c`.
fn shapes(c: u8) -> &'static [Shape] {
    match c {
        b'A' => SHAPES_UPPER_A,
        b'P' => SHAPES_UPPER_P,
        b'S' => SHAPES_UPPER_S,
        b'd' => SHAPES_D,
        b'f' => SHAPES_F,
        b'g' => SHAPES_G,
        b'h' => SHAPES_H,
        b'k' => SHAPES_K,
        b'l' => SHAPES_L,
        b'n' => SHAPES_N,
        b'p' => SHAPES_P,
        b'r' => SHAPES_R,
        b's' => SHAPES_S,
        b'w' => SHAPES_W,
        b'x' => SHAPES_X,
        b'y' => SHAPES_Y,
        _ => &[],
    }
}

/// API keys by prefix (the rest must contain a digit; after bare `sk-` also both cases), plus AWS access key ids
/// (`AKIA`/`ASIA` + exactly 16 upper-case alphanumerics).
fn api_key(b: &[u8], i: usize) -> Option<usize> {
    let c0 = at(b, i);
    let candidates = shapes(c0);
    if candidates.is_empty() && c0 != b'A' {
        return None;
    }
    for prefix in [b"AKIA", b"ASIA"] {
        if c0 == b'A' && has_prefix(b, i, prefix) {
            let mut j = i + 4;
            while at(b, j).is_ascii_uppercase() || at(b, j).is_ascii_digit() {
                j += 1;
            }
            if j - i == 20 && !is_alnum(at(b, j)) {
                return Some(j);
            }
        }
    }
    for &(prefix, min, extra) in candidates {
        if !has_prefix(b, i, prefix) {
            continue;
        }
        let start = i + prefix.len();
        let mut j = start;
        let (mut digit, mut upper, mut lower) = (false, false, false);
        loop {
            let c = at(b, j);
            if (is_alnum(c) || extra.contains(&c)) && j - start < MAX_API_KEY {
                digit |= c.is_ascii_digit();
                upper |= c.is_ascii_uppercase();
                lower |= c.is_ascii_lowercase();
                j += 1;
            } else {
                break;
            }
        }
        while j > start && matches!(before(b, j), b'.' | b'-') {
            j -= 1; // sentence punctuation
        }
        // Bare `sk-` is also a common word prefix (`sk-learn`): demand key-like mixed case.
        let mixed = prefix != b"sk-" || (upper && lower);
        if j - start >= min && digit && mixed {
            return Some(j);
        }
    }
    None
}

/// `GB82 WEST …` (a grouped IBAN) or `AB 12 34 56 C` (a spaced NINO): two capitals, then
/// a digit, or a space and a digit.
fn grouped_id_start(b: &[u8], i: usize) -> bool {
    at(b, i).is_ascii_uppercase()
        && at(b, i + 1).is_ascii_uppercase()
        && (at(b, i + 2).is_ascii_digit()
            || (at(b, i + 2) == b' ' && at(b, i + 3).is_ascii_digit()))
}
