//! The free-text scanner: key rules written inline (`key=value`, `key: value`,
//! `"key": "value"`) plus the value detectors, in one left-to-right pass.
#![allow(
    clippy::many_single_char_names,
    reason = "byte scanners read best as b (bytes), i/j (offsets), c (byte)"
)]

use std::borrow::Cow;

use super::config::{Action, Detector, KeyRule};
use super::detect::{at, before, detect_at, is_alnum, Enabled, Verdict};
use super::hash::Keyed;
use super::keys::{self, find_rule, RuleIndex};
use super::{names, numeric, places, signature, urls};

/// Largest number of bytes by which scrubbing may lengthen one string.
pub const MAX_GROWTH: usize = 64;

/// Longest key looked at before a `=` or `:`.
const MAX_KEY: usize = 64;

/// Everything the scanner needs, borrowed from the [`Scrubber`](super::Scrubber).
pub(crate) struct Engine<'s> {
    pub(crate) rules: &'s [KeyRule],
    pub(crate) index: &'s RuleIndex,
    pub(crate) actions: &'s [Option<Action>; Detector::ALL.len()],
    pub(crate) enabled: Enabled,
    pub(crate) keyed: &'s Keyed,
}

/// Lazily built output: nothing is allocated until the first replacement.
pub(crate) struct Out<'a> {
    src: &'a str,
    buf: Option<String>,
    copied: usize,
}

impl<'a> Out<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Out {
            src,
            buf: None,
            copied: 0,
        }
    }

    /// Replaces `start..end` of the source. Keeps the invariant
    /// `output.len() <= copied + MAX_GROWTH`: when a placeholder would break it, a single `*`
    /// (never longer than the match) is written instead.
    pub(crate) fn replace(
        &mut self,
        start: usize,
        end: usize,
        label: &str,
        action: Action,
        keyed: &Keyed,
    ) {
        if start < self.copied || end <= start {
            return;
        }
        let src = self.src;
        let buf = self
            .buf
            .get_or_insert_with(|| String::with_capacity(src.len() + MAX_GROWTH));
        buf.push_str(src.get(self.copied..start).unwrap_or(""));
        let matched = src.get(start..end).unwrap_or("");
        let room = (end + MAX_GROWTH).saturating_sub(buf.len());
        match action {
            Action::Drop => {}
            Action::Mask if label.len() + 2 <= room => {
                buf.push('[');
                buf.push_str(label);
                buf.push(']');
            }
            Action::Hash if label.len() + 17 <= room => {
                keyed.write_token(buf, label, matched.as_bytes());
            }
            _ => buf.push('*'),
        }
        self.copied = end;
    }

    pub(crate) fn finish(self) -> Cow<'a, str> {
        match self.buf {
            None => Cow::Borrowed(self.src),
            Some(mut buf) => {
                buf.push_str(self.src.get(self.copied..).unwrap_or(""));
                Cow::Owned(buf)
            }
        }
    }
}

impl Engine<'_> {
    /// Scrubs free text. Borrowed output means nothing matched (and nothing was allocated).
    pub(crate) fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let b = text.as_bytes();
        let mut out = Out::new(text);
        let mut i = 0;
        // a DogStatsD event (`_e{5,12}:title|text|#tags`): its text is what a person wrote
        let event_text = statsd_event_text(b);
        while i < b.len() {
            let c = at(b, i);
            if c.is_ascii_alphanumeric() {
                // Inside a dotted, snake or kebab identifier (`svc.name`, `a_b`, `x-y`) every
                // detector that could match was already tried at the identifier's start.
                let p = before(b, i);
                // After an escaped line break or tab inside a JSON string (`…,\nAnna`) a
                // word starts: names and addresses are looked for there.
                if p == b'\\' && matches!(c, b'n' | b't' | b'r') {
                    let n = at(b, i + 1);
                    if n.is_ascii_uppercase() || n >= 0xC0 {
                        if let Some(next) = self.words(b, i + 1, &mut out) {
                            i = next.max(i + 1);
                            continue;
                        }
                    }
                }
                if !is_alnum(p) && p < 0x80 && !matches!(p, b'.' | b'_' | b'-') {
                    if let Some(next) = self.detect(b, i, &mut out) {
                        i = next.max(i + 1);
                        continue;
                    }
                    if let Some(next) = self.words(b, i, &mut out) {
                        i = next.max(i + 1);
                        continue;
                    }
                    // `"x4111111111111111"`: a card number glued to one letter
                    if c.is_ascii_alphabetic() && at(b, i + 1).is_ascii_digit() {
                        if let Some(next) = self.glued_card(b, i + 1, &mut out) {
                            i = next;
                            continue;
                        }
                    }
                }
                // No detector starts inside a word: skip the rest of it.
                i += 1;
                while is_alnum(at(b, i)) {
                    i += 1;
                }
                continue;
            }
            if c == b'|' && event_text.is_some_and(|(s, _)| s == i + 1) {
                if let Some((s, e)) = event_text {
                    let action = self.content_action();
                    out.replace(s, e, "content", action, self.keyed);
                    i = e;
                    continue;
                }
            }
            if (c == b'=' || c == b':') && !self.rules.is_empty() {
                if let Some(next) = self.key_value(b, i, &mut out) {
                    i = next.max(i + 1);
                    continue;
                }
            }
            if c == b'/'
                && matches!(before(b, i), b' ' | b'"' | b'\'' | b'=' | 0)
                && self.on(Detector::PhotoUrl)
            {
                // `GET /users/42/avatar.png`: a photo path in an access log
                if let Some(e) = urls::photo_path(b, i) {
                    let action = self.action(Detector::PhotoUrl);
                    out.replace(i, e, Detector::PhotoUrl.label(), action, self.keyed);
                    i = e;
                    continue;
                }
            }
            if matches!(c, b'+' | b'(' | b':')
                || (c == b'-' && matches!(at(b, i + 1), b'-' | b'u' | b'p'))
                || (c == b'-'
                    && matches!(at(b, i + 1), b'w' | b'b' | b'n' | b'c')
                    && before(b, i) == b' ')
                || (c == b'/' && matches!(at(b, i + 1), b'h' | b'U'))
            {
                if let Some(next) = self.detect(b, i, &mut out) {
                    i = next.max(i + 1);
                    continue;
                }
            }
            if c >= 0xC0 && before(b, i) < 0x80 && !is_alnum(before(b, i)) {
                // a word that starts with a non-ASCII letter (`Élodie`, `Łukasz`)
                if let Some(next) = self.words(b, i, &mut out) {
                    i = next.max(i + 1);
                    continue;
                }
            }
            i += 1;
        }
        out.finish()
    }

    fn detect(&self, b: &[u8], i: usize, out: &mut Out<'_>) -> Option<usize> {
        match detect_at(b, i, &self.enabled) {
            Verdict::Found {
                start,
                end,
                detector,
            } => {
                let action = self
                    .actions
                    .get(detector.index())
                    .copied()
                    .flatten()
                    .unwrap_or(Action::Mask);
                out.replace(start, end, detector.label(), action, self.keyed);
                Some(end)
            }
            Verdict::Keep(end) => Some(end),
            Verdict::Nothing => None,
        }
    }

    /// A payment card number starting at `i`, right after one letter: 13-19 digits that end
    /// the word and pass the card detector (issuer prefix, Luhn).
    fn glued_card(&self, b: &[u8], i: usize, out: &mut Out<'_>) -> Option<usize> {
        let mut e = i;
        while at(b, e).is_ascii_digit() {
            e += 1;
        }
        if !(13..=19).contains(&(e - i)) || is_alnum(at(b, e)) || !self.on(Detector::PaymentCard) {
            return None;
        }
        let digits = b.get(i..e)?;
        match detect_at(digits, 0, &self.enabled) {
            Verdict::Found {
                start,
                end,
                detector: Detector::PaymentCard,
            } if end == e - i => {
                let action = self
                    .actions
                    .get(Detector::PaymentCard.index())
                    .copied()
                    .flatten()
                    .unwrap_or(Action::Mask);
                out.replace(
                    i + start,
                    e,
                    Detector::PaymentCard.label(),
                    action,
                    self.keyed,
                );
                Some(e)
            }
            _ => None,
        }
    }

    /// Word-level context detectors at the word starting at `i`: secrets in prose
    /// (`password is …`, `verification code 123456`), person names and postal addresses.
    fn words(&self, b: &[u8], i: usize, out: &mut Out<'_>) -> Option<usize> {
        let mut hit = |s: usize, e: usize, d: Detector| {
            let action = self
                .actions
                .get(d.index())
                .copied()
                .flatten()
                .unwrap_or(Action::Mask);
            out.replace(s, e, d.label(), action, self.keyed);
            e
        };
        // Names, addresses and prose secrets never start inside an identifier, a path or
        // an address (`svc.Name`, `a_b`, `x-Name`, `/Users`).
        if matches!(
            before(b, i),
            b'.' | b'_' | b'-' | b'/' | b'\\' | b'@' | b'%' | b'$' | b'#' | b'&' | b'?' | b'='
        ) {
            return None;
        }
        if at(b, i).is_ascii_digit() {
            // a house number: up to 5 digits, then a space, a comma or one letter
            let mut d = i;
            while at(b, d).is_ascii_digit() && d - i < 6 {
                d += 1;
            }
            if d - i > 5 || !matches!(at(b, d), b' ' | b',' | b'A'..=b'Z' | b'a'..=b'z' | b'/') {
                return None;
            }
            if self.on(Detector::PostalAddress) {
                if let Some((s, e)) = names::address_at(b, i, None) {
                    return Some(hit(s, e, Detector::PostalAddress));
                }
            }
            return None;
        }
        if self.on(Detector::PersonName) && before(b, i) == b' ' && before(b, i - 1) == b'-' {
            if let Some((s, e)) = access_log_user(b, i) {
                return Some(hit(s, e, Detector::PersonName));
            }
        }
        let info = names::word_info(b, i);
        if info.kind.is_none()
            && info.flags == 0
            && !at(b, i).is_ascii_uppercase()
            && at(b, i) < 0x80
        {
            return None; // an ordinary lower-case word
        }
        if info.flags & names::F_SAYS != 0 {
            if let Some((s, e)) = quoted_speech(b, i, info.end) {
                if let Some(rule) = self.rules.iter().find(|r| r.label() == "content") {
                    out.replace(s, e, "content", rule.action(), self.keyed);
                    return Some(e);
                }
            }
        }
        let prose = names::F_PASSWORD | names::F_OTP | names::F_CODE;
        if info.flags & prose != 0 && self.on(Detector::GenericSecret) {
            if let Some((s, e)) = prose_secret(b, i, info.flags) {
                return Some(hit(s, e, Detector::GenericSecret));
            }
        }
        if info.flags & names::F_ACCOUNT != 0 && self.on(Detector::BankAccount) {
            if let Some((s, e)) = account_number_after(b, info.end) {
                return Some(hit(s, e, Detector::BankAccount));
            }
        }
        if info.flags & names::F_BORN != 0 && self.on(Detector::DateOfBirth) {
            if let Some((s, e)) = names::birth_date_after(b, info.end) {
                return Some(hit(s, e, Detector::DateOfBirth));
            }
        }
        if info.flags & names::F_SSN != 0 && self.on(Detector::Ssn) {
            if let Some((s, e)) = numeric::ssn_after(b, info.end) {
                return Some(hit(s, e, Detector::Ssn));
            }
        }
        if self.on(Detector::PostalAddress) {
            // `PLZ 50667`, `Mumbai 400076`, `Austin, TX 78701`
            let postcode = if info.flags & names::F_POSTWORD != 0 {
                places::postcode_after_word(b, info.end)
            } else {
                None
            }
            .or_else(|| {
                (info.flags & names::F_CITY != 0)
                    .then(|| places::postcode_after_city(b, info.end))
                    .flatten()
            })
            .or_else(|| {
                (matches!(info.end - i, 2 | 3) && at(b, i + 1).is_ascii_uppercase())
                    .then(|| places::state_zip(b, i))
                    .flatten()
            });
            if let Some((s, e)) = postcode {
                return Some(hit(s, e, Detector::PostalAddress));
            }
        }
        if self.on(Detector::PostalAddress) {
            if let Some((s, e)) = names::address_at(b, i, Some(&info)) {
                return Some(hit(s, e, Detector::PostalAddress));
            }
        }
        if self.on(Detector::PersonName) {
            if let Some((s, e)) = names::name_at(b, i, &info).or_else(|| {
                // a signature starts its line: not after a space that follows a word
                let mid_line = before(b, i) == b' ' && is_alnum(before(b, i - 1));
                (!mid_line)
                    .then(|| signature::signature_at(b, i, &info))
                    .flatten()
            }) {
                return Some(hit(s, e, Detector::PersonName));
            }
        }
        None
    }

    /// The action of the `content` key rule (masking when there is none).
    fn content_action(&self) -> Action {
        self.rules
            .iter()
            .find(|r| r.label() == "content")
            .map_or(Action::Mask, KeyRule::action)
    }

    fn action(&self, d: Detector) -> Action {
        self.actions
            .get(d.index())
            .copied()
            .flatten()
            .unwrap_or(Action::Mask)
    }

    fn on(&self, d: Detector) -> bool {
        self.enabled.get(d.index()).copied().unwrap_or(false)
    }

    /// At a `=` or `:` at `sep`: if the key before it matches a rule, replaces the value after
    /// it and returns where scanning resumes.
    fn key_value(&self, b: &[u8], sep: usize, out: &mut Out<'_>) -> Option<usize> {
        let colon = at(b, sep) == b':';
        if colon && (at(b, sep + 1) == b'/' || at(b, sep + 1) == b':') {
            return None; // `scheme://`, `a::b`
        }
        if at(b, sep + 1) == b'=' || before(b, sep) == b'=' || before(b, sep) == b'!' {
            return None; // `==`, `!=`
        }
        let (ks, ke) = key_before(b, sep)?;
        if matches!(before(b, ks), b'/' | b'\\') {
            return None; // the last segment of a path (`~/.aws/credentials: …`)
        }
        let key = b.get(ks..ke)?;
        let rule = find_rule(self.rules, self.index, key)?;
        if rule.log_field && keys::has_level_key(b) {
            return None; // a log record's message: scanned as text
        }
        let mut v = sep + 1;
        while matches!(at(b, v), b' ' | b'\t') && v - sep <= 4 {
            v += 1;
        }
        // A bare key inside quotes (`-H 'X-Api-Key: …'`) ends its value at that quote.
        let enclosing = match before(b, ks) {
            q @ (b'"' | b'\'') if at(b, ke) != q => Some(q),
            _ => None,
        };
        if rule.label() == "content" && nested_turns(b, v) {
            // `"message": {"text": …}`, `"messages": [{"role": …, "content": …}]`: the keys
            // inside decide, so ids and roles stay
            return Some(sep + 1);
        }
        let (vs, mut ve, mut resume) = value_span(b, v, colon, rule.label() == "secret", enclosing);
        if rule.label() == "secret" && !colon {
            // `authorization=Bearer <token>`: the scheme word and its credential.
            if let Some(end) = auth_scheme_tail(b, vs, ve) {
                ve = end;
                resume = end;
            }
        }
        let value = b.get(vs..ve)?;
        if ve > vs && keys::rule_applies(rule, key, value, matches!(before(b, ks), b'?' | b'&')) {
            out.replace(vs, ve, rule.label(), rule.action(), self.keyed);
            Some(resume)
        } else {
            Some(sep + 1)
        }
    }
}

/// Whether the value at `v` is an object or a list of objects (`{…}`, `[{…}, …]`).
fn nested_turns(b: &[u8], v: usize) -> bool {
    match at(b, v) {
        b'{' => true,
        b'[' => {
            let mut j = v + 1;
            while matches!(at(b, j), b' ' | b'\n' | b'\t') {
                j += 1;
            }
            at(b, j) == b'{'
        }
        _ => false,
    }
}

/// The text of a DogStatsD event line `_e{<title len>,<text len>}:<title>|<text>|…`: its
/// span, when the lengths fit the line.
fn statsd_event_text(b: &[u8]) -> Option<(usize, usize)> {
    if !b.starts_with(b"_e{") {
        return None;
    }
    let num = |j: &mut usize| -> Option<usize> {
        let s = *j;
        let mut n = 0_usize;
        while at(b, *j).is_ascii_digit() && *j - s < 6 {
            n = n * 10 + usize::from(at(b, *j) - b'0');
            *j += 1;
        }
        (*j > s).then_some(n)
    };
    let mut j = 3;
    let title = num(&mut j)?;
    if at(b, j) != b',' {
        return None;
    }
    j += 1;
    let text = num(&mut j)?;
    if at(b, j) != b'}' || at(b, j + 1) != b':' {
        return None;
    }
    let s = j + 2 + title + 1;
    if at(b, s - 1) != b'|' {
        return None;
    }
    let e = s + text;
    (text > 0 && e <= b.len() && matches!(at(b, e), b'|' | 0)).then_some((s, e))
}

fn is_key_byte(c: u8) -> bool {
    is_alnum(c) || matches!(c, b'_' | b'-' | b'.')
}

/// The key ending right before `sep`: a bare word (`user.email`, `X-Api-Key`) or a quoted one
/// (`"email"`, `\"email\"`), with optional spaces before the separator.
fn key_before(b: &[u8], sep: usize) -> Option<(usize, usize)> {
    let mut e = sep;
    while e > 0 && matches!(before(b, e), b' ' | b'\t') && sep - e < 4 {
        e -= 1;
    }
    let q = before(b, e);
    if q == b'"' || q == b'\'' {
        let mut ke = e - 1;
        if before(b, ke) == b'\\' {
            ke -= 1;
        }
        let mut s = ke;
        while s > 0 && ke - s < MAX_KEY && before(b, s) != q && before(b, s) != b'\\' {
            s -= 1;
        }
        if s == 0 || before(b, s) != q && before(b, s) != b'\\' {
            return None;
        }
        return (ke > s).then_some((s, ke));
    }
    let mut s = e;
    while s > 0 && is_key_byte(before(b, s)) && e - s < MAX_KEY {
        s -= 1;
    }
    (e > s).then_some((s, e))
}

/// The value starting at `v` (after the separator and spaces). Returns the span to replace
/// and where scanning resumes.
fn value_span(
    b: &[u8],
    v: usize,
    colon: bool,
    secret: bool,
    enclosing: Option<u8>,
) -> (usize, usize, usize) {
    let c = at(b, v);
    // quoted, possibly with escaped quotes (`\"…\"` inside a JSON string)
    let (quote, escaped) = match c {
        b'"' | b'\'' => (Some(c), false),
        b'\\' if matches!(at(b, v + 1), b'"' | b'\'') => (Some(at(b, v + 1)), true),
        _ => (None, false),
    };
    if let Some(q) = quote {
        let start = v + if escaped { 2 } else { 1 };
        let mut j = start;
        while j < b.len() {
            let d = at(b, j);
            if escaped {
                if d == b'\\' && at(b, j + 1) == q {
                    return (start, j, j + 2);
                }
            } else if d == b'\\' {
                j += 1; // skip the escaped byte
            } else if d == q {
                return (start, j, j + 1);
            }
            j += 1;
        }
        return (start, b.len(), b.len());
    }
    if c == b'{' || c == b'[' {
        let end = balanced(b, v);
        return (v, end, end);
    }
    let mut j = v;
    if colon {
        // `Key: value …` runs to the end of the line (or of a JSON-ish member); secrets
        // (`Cookie: a=1; b=2`) run to the end of the line. `key=value` stops at whitespace.
        while j < b.len() {
            let d = at(b, j);
            if d == b'\n'
                || d == b'\r'
                || Some(d) == enclosing
                || (!secret && matches!(d, b',' | b';' | b'}' | b']' | b'"'))
                || (secret && d == b',' && next_is_member(b, j + 1))
            {
                break;
            }
            j += 1;
        }
        while j > v && matches!(before(b, j), b' ' | b'\t') {
            j -= 1;
        }
        return (v, j, j);
    }
    let stop = |d: u8| {
        d.is_ascii_whitespace()
            || matches!(
                d,
                b'&' | b',' | b';' | b')' | b']' | b'}' | b'"' | b'\'' | b'<' | b'>'
            )
    };
    while j < b.len() && !stop(at(b, j)) {
        j += 1;
    }
    (v, j, j)
}

/// End of the bracketed value starting at `v` (`{…}` or `[…]`, strings respected), or the end
/// of the text when unbalanced.
fn balanced(b: &[u8], v: usize) -> usize {
    let mut depth = 0_usize;
    let mut in_str = false;
    let mut j = v;
    while j < b.len() {
        let d = at(b, j);
        if in_str {
            if d == b'\\' {
                j += 1;
            } else if d == b'"' {
                in_str = false;
            }
        } else {
            match d {
                b'"' => in_str = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return j + 1;
                    }
                }
                _ => {}
            }
        }
        j += 1;
    }
    b.len()
}

/// Whether a list member `key:` or `key=` starts at `j` (a DogStatsD tag, a logfmt pair).
fn next_is_member(b: &[u8], j: usize) -> bool {
    let mut k = j;
    while (is_alnum(at(b, k)) || matches!(at(b, k), b'_' | b'-' | b'.')) && k - j < 40 {
        k += 1;
    }
    k > j && matches!(at(b, k), b':' | b'=')
}

/// After `key=<scheme>`: when the value is an HTTP auth scheme word and a credential follows
/// after one space, the end of that credential.
fn auth_scheme_tail(b: &[u8], vs: usize, ve: usize) -> Option<usize> {
    let word = b.get(vs..ve)?;
    let scheme = [
        &b"bearer"[..],
        b"basic",
        b"token",
        b"digest",
        b"bot",
        b"negotiate",
        b"apikey",
        b"sso-key",
    ]
    .iter()
    .any(|s| s.eq_ignore_ascii_case(word));
    if !scheme {
        return None;
    }
    let mut j = ve;
    if at(b, j) == b' ' {
        j += 1;
    } else if b.get(j..j + 3) == Some(b"%20") || b.get(j..j + 3) == Some(b"%20") {
        j += 3;
    } else if at(b, j) == b'+' {
        j += 1;
    } else {
        return None;
    }
    let start = j;
    while j < b.len()
        && !at(b, j).is_ascii_whitespace()
        && !matches!(at(b, j), b'&' | b',' | b';' | b'"' | b'\'' | b'<' | b'>')
    {
        j += 1;
    }
    (j > start).then_some(j)
}

fn is_word_byte(c: u8) -> bool {
    is_alnum(c) || c >= 0x80
}

const CONNECTORS: &[&[u8]] = &[
    b"is",
    b"to",
    b"was",
    b"ist",
    b"es",
    b"est",
    b"\xc3\xa9",
    b"\xc3\xa8",
    b"jest",
    b"set",
    b"now",
    b"de",
    b"do",
    b"da",
    b"temporary",
    b"new",
    b"tempor\xc3\xa1ria",
    b"nueva",
    b"nova",
    b"neues",
    b"lautet",
    b"\xc3\xa9:",
    b"changed",
    b"reset",
    b"updated",
    b"ge\xc3\xa4ndert",
    b"auf",
    b"cambiada",
    b"alterada",
    b"para",
    b"modifi\xc3\xa9",
    b"en",
    b"zmienione",
    b"na",
    b"cambiata",
    b"in",
    b"wurde",
    b"sido",
    b"foi",
    b"zosta\xc5\x82o",
    b"stato",
    b"\xc3\xa4r",
    b"temporal",
    b"temporaire",
    b"provisoria",
    b"provis\xc3\xb3ria",
];

const CODE_CONTEXT: &[&[u8]] = &[
    b"verification",
    b"Verification",
    b"security",
    b"login",
    b"one-time",
    b"confirmation",
    b"sms",
    b"SMS",
    b"2FA",
    b"2fa",
    b"MFA",
    b"auth",
    b"access",
    b"OTP",
    b"Your",
    b"your",
    b"verificaci\xc3\xb3n",
    b"verifica\xc3\xa7\xc3\xa3o",
    b"v\xc3\xa9rification",
    b"weryfikacyjny",
    b"di",
    b"Best\xc3\xa4tigungs",
    b"Votre",
    b"votre",
    b"Tu",
    b"tu",
    b"Su",
    b"su",
    b"Seu",
    b"seu",
    b"tuo",
    b"Tw\xc3\xb3j",
    b"tw\xc3\xb3j",
    b"Dein",
    b"dein",
    b"Ihr",
    b"ihr",
    b"Use",
    b"use",
    b"Enter",
    b"enter",
    b"Aapka",
    b"aapka",
];

/// Words after `code` that say what kind of code it is, with an optional `de`/`di`
/// before them (`código de verificación`, `kod weryfikacyjny`, `Kod SMS`). Returns where
/// they end.
fn code_qualifier_after(b: &[u8], e: usize) -> Option<usize> {
    let mut j = e;
    let mut end = None;
    // `Kod SMS do logowania`, `código de verificación`: qualifiers, joined by `de`/`do`
    for _ in 0..4 {
        if at(b, j) != b' ' {
            break;
        }
        let ws = j + 1;
        let mut we = ws;
        while is_word_byte(at(b, we)) && we - ws < 24 {
            we += 1;
        }
        let w = b.get(ws..we)?;
        if matches!(
            w,
            b"de" | b"di" | b"do" | b"da" | b"of" | b"per" | b"pour" | b"para"
        ) {
            j = we;
            continue;
        }
        if !CODE_QUALIFIERS.contains(&w) {
            break;
        }
        end = Some(we);
        j = we;
    }
    end
}

#[rustfmt::skip]
const CODE_QUALIFIERS: &[&[u8]] = &[
    b"verificaci\xc3\xb3n", b"verificacion", b"verifica\xc3\xa7\xc3\xa3o", b"verificacao",
    b"v\xc3\xa9rification", b"verification", b"verifica", b"weryfikacyjny", b"weryfikacji",
    b"confirmaci\xc3\xb3n", b"confirma\xc3\xa7\xc3\xa3o", b"confirmation", b"conferma",
    b"seguridad", b"s\xc3\xa9curit\xc3\xa9", b"seguran\xc3\xa7a", b"sicurezza", b"acceso",
    b"acc\xc3\xa8s", b"acesso", b"accesso", b"SMS", b"sms", b"OTP", b"jednorazowy",
    b"verificatie", b"autenticaci\xc3\xb3n", b"autentica\xc3\xa7\xc3\xa3o", b"autenticazione",
    b"d'acc\xc3\xa8s", b"dost\xc4\x99pu", b"connexion", b"logowania", b"logowanie",
    b"login", b"Anmeldung", b"inicio", b"sesi\xc3\xb3n", b"sesion", b"entrada", b"accesso",
];

#[rustfmt::skip]
const POSSESSIVES: &[&[u8]] = &[
    b"Your", b"your", b"Tu", b"tu", b"Votre", b"votre", b"Ton", b"ton", b"Dein", b"dein",
    b"Ihr", b"ihr", b"Seu", b"seu", b"Il", b"tuo", b"Tw\xc3\xb3j", b"tw\xc3\xb3j", b"Uw", b"uw",
    b"Je", b"Din", b"din", b"Aapka", b"aapka",
];

fn capitalised_ascii(w: &[u8]) -> bool {
    w.len() >= 2
        && w.first().is_some_and(u8::is_ascii_uppercase)
        && w.iter().skip(1).all(u8::is_ascii_alphanumeric)
        && w.iter().skip(1).any(u8::is_ascii_lowercase)
}

/// After a password word, `for <who>:` (`temporary password for the new hire: …`): where
/// the value starts, when the phrase ends with a colon within 48 bytes.
fn password_for_phrase(b: &[u8], j: usize) -> Option<usize> {
    let mut we = j;
    while is_word_byte(at(b, we)) && we - j < 8 {
        we += 1;
    }
    let w = b.get(j..we)?;
    if !matches!(
        w,
        b"for"
            | b"f\xc3\xbcr"
            | b"para"
            | b"pour"
            | b"per"
            | b"dla"
            | b"voor"
            | b"f\xc3\xb6r"
            | b"of"
    ) {
        return None;
    }
    let mut k = we;
    while k - we < 48 {
        match at(b, k) {
            b':' => {
                k += 1;
                while at(b, k) == b' ' {
                    k += 1;
                }
                return (at(b, k) > b' ').then_some(k);
            }
            0 | b'\n' | b'=' | b'"' | b'\'' | b'.' | b',' | b';' => return None,
            _ => k += 1,
        }
    }
    None
}

/// A secret written in prose: `password is hunter2`, `the password to 'x y'`,
/// `Your verification code is 123456`, `OTP: 4821`.
fn prose_secret(b: &[u8], i: usize, flags: u16) -> Option<(usize, usize)> {
    let mut e = i;
    while is_word_byte(at(b, e)) && e - i < 24 {
        e += 1;
    }
    let pw = flags & names::F_PASSWORD != 0;
    let otp = flags & names::F_OTP != 0;
    let code = flags & names::F_CODE != 0;
    if !(pw || otp || code) || matches!(before(b, i), b'"' | b'\'' | b'_' | b'-' | b'.') {
        return None;
    }
    if code {
        // the word before `code` must say what kind of code it is
        let mut s = i;
        while s > 0 && before(b, s) == b' ' && i - s < 2 {
            s -= 1;
        }
        let pe = s;
        while s > 0 && (is_word_byte(before(b, s)) || before(b, s) == b'-') && pe - s < 24 {
            s -= 1;
        }
        // … or the words after it do: `código de verificación`, `kod weryfikacyjny`,
        // `Kod SMS`, `code de confirmation`
        let qualified_after = match code_qualifier_after(b, e) {
            Some(end) => {
                e = end;
                true
            }
            None => false,
        };
        let before_word = b.get(s..pe)?;
        // `Your Uber code: 4821`, `Tu Netflix código`: a possessive, a brand, then the word
        let possessive_brand = capitalised_ascii(before_word) && {
            let mut t = s;
            while t > 0 && before(b, t) == b' ' && s - t < 2 {
                t -= 1;
            }
            let te = t;
            while t > 0 && is_word_byte(before(b, t)) && te - t < 16 {
                t -= 1;
            }
            te < s && b.get(t..te).is_some_and(|w| POSSESSIVES.contains(&w))
        };
        if !qualified_after && !possessive_brand && !CODE_CONTEXT.contains(&before_word) {
            return None;
        }
    }
    if at(b, e) != b' ' && at(b, e) != b':' {
        return None;
    }
    let mut j = e;
    let mut connector = false;
    for _ in 0..4 {
        while matches!(at(b, j), b' ' | b':' | b'=') {
            connector |= at(b, j) != b' ';
            j += 1;
        }
        let mut we = j;
        while is_word_byte(at(b, we)) && we - j < 16 {
            we += 1;
        }
        if we > j && CONNECTORS.contains(&b.get(j..we)?) {
            connector = true;
            j = we;
            continue;
        }
        break;
    }
    if matches!(b.get(i..e)?, b"IDENTIFIED" | b"identified") {
        // SQL `IDENTIFIED BY '…'`: only a quoted value after `BY`
        if !matches!(b.get(j..j + 3), Some(b"BY " | b"by ")) {
            return None;
        }
        j += 3;
        if !matches!(at(b, j), b'\'' | b'"') {
            return None;
        }
    }
    if pw && !connector {
        if let Some(v) = password_for_phrase(b, j) {
            j = v;
            connector = true;
        }
    }
    let q = at(b, j);
    if q == b'\'' || q == b'"' || q == b'`' {
        let s = j + 1;
        let mut k = s;
        while at(b, k) != q && k < b.len() && k - s < 128 {
            k += 1;
        }
        return (at(b, k) == q && k > s).then_some((s, k));
    }
    // a password needs a connector (`password is …`); a code or PIN may follow its word
    // directly (`PIN 4821`, `Use code 771204`)
    if !(connector || otp || code) {
        return None;
    }
    let s = j;
    let mut k = s;
    while k < b.len()
        && !at(b, k).is_ascii_whitespace()
        && !matches!(at(b, k), b'"' | b'\'' | b',' | b';' | b')')
        && k - s < 128
    {
        k += 1;
    }
    while k > s && matches!(before(b, k), b'.' | b'!' | b'?') {
        k -= 1;
    }
    let tok = b.get(s..k)?;
    if otp || code {
        return ((4..=8).contains(&tok.len()) && tok.iter().all(u8::is_ascii_digit))
            .then_some((s, k));
    }
    let strong = tok.len() >= 4
        && tok
            .iter()
            .any(|c| c.is_ascii_digit() || !c.is_ascii_alphanumeric());
    strong.then_some((s, k))
}

/// What a person wrote, quoted after a word that reports it: `user u_42 wrote: "…"`,
/// `new message from u_42: "…"`, `Kunde schrieb "…"`. `message` needs `from` right after
/// it and no error word before it (`error message: "…"` is a log's). The quoted text must
/// have two words or more (ids and codes have none) and close on the line. Returns its span.
#[cold]
#[inline(never)]
fn quoted_speech(b: &[u8], i: usize, e: usize) -> Option<(usize, usize)> {
    let word = b.get(i..e)?;
    if matches!(word, b"message" | b"Message") {
        if b.get(e..e + 6) != Some(b" from ") {
            return None;
        }
        let mut s = i;
        while s > 0 && before(b, s) == b' ' && i - s < 2 {
            s -= 1;
        }
        let pe = s;
        while s > 0 && before(b, s).is_ascii_alphabetic() && pe - s < 16 {
            s -= 1;
        }
        let prev = b.get(s..pe)?.to_ascii_lowercase();
        if matches!(
            prev.as_slice(),
            b"error" | b"err" | b"status" | b"exception" | b"log" | b"commit" | b"panic"
        ) {
            return None;
        }
    }
    // the opening quote within 48 bytes, after `: ` or a space, on the same line
    let mut j = e;
    while j < b.len() && j - e < 48 {
        match at(b, j) {
            b'\n' | b'\r' | b'\'' | b'=' | b'{' | b'[' => return None,
            b'\\' if at(b, j + 1) == b'"' => break,
            b'"' => break,
            _ => j += 1,
        }
    }
    let escaped = at(b, j) == b'\\';
    if !(at(b, j) == b'"' || escaped) || !matches!(before(b, j), b' ' | b':') {
        return None;
    }
    let s = j + if escaped { 2 } else { 1 };
    let mut k = s;
    while k < b.len() && k - s < 1024 {
        let c = at(b, k);
        if c == b'\n' {
            return None;
        }
        if escaped && c == b'\\' && at(b, k + 1) == b'"' {
            break;
        }
        if !escaped && c == b'"' {
            break;
        }
        k += 1;
    }
    let text = b.get(s..k)?;
    let closed = if escaped {
        at(b, k) == b'\\'
    } else {
        at(b, k) == b'"'
    };
    (closed && text.contains(&b' ') && text.iter().any(u8::is_ascii_alphabetic)).then_some((s, k))
}

/// The remote user of a combined access-log line: `<client> - <user> [<date>`.
/// After an account word (`account`, `acct`, `Konto`, `sort`): optional `no.`, `number`,
/// `nr`, `#`, `code`, `:` (up to 24 bytes), then 6-20 digits in at most five groups joined by
/// single spaces or dashes (`61158872`, `0044-1772-9981`, `40-47-84`), not glued to a letter
/// or another digit. Returns the digits' span.
fn account_number_after(b: &[u8], e: usize) -> Option<(usize, usize)> {
    let mut j = e;
    let limit = e + 24;
    loop {
        while matches!(at(b, j), b' ' | b':' | b'#' | b'.' | b'=' | b'\'' | b'"') && j < limit {
            j += 1;
        }
        if j >= limit || at(b, j).is_ascii_digit() {
            break;
        }
        let mut k = j;
        while at(b, k).is_ascii_alphabetic() || at(b, k) >= 0x80 {
            k += 1;
        }
        let w = b.get(j..k)?;
        const FILLER: &[&[u8]] = &[
            b"no",
            b"No",
            b"nr",
            b"Nr",
            b"number",
            b"Number",
            b"num",
            b"code",
            b"Code",
            b"holder",
            b"n\xc2\xb0",
            b"n\xc2\xba",
            b"Nummer",
            b"numero",
            b"n\xc3\xbamero",
            b"numer",
            b"de",
            b"do",
            b"nb",
        ];
        if k == j || !FILLER.contains(&w) {
            // any other word (`account ending 1881`, `account balance 12 EUR`): no number
            return None;
        }
        j = k;
    }
    let s = j;
    let mut digits = 0;
    let mut groups = 1;
    let mut k = s;
    loop {
        while at(b, k).is_ascii_digit() {
            k += 1;
            digits += 1;
        }
        if matches!(at(b, k), b' ' | b'-') && at(b, k + 1).is_ascii_digit() && groups < 5 {
            // a following group, but not `… 1250 EUR` amounts: a group of 2+ digits
            let mut g = k + 1;
            while at(b, g).is_ascii_digit() {
                g += 1;
            }
            if g - k - 1 < 2 {
                break;
            }
            k += 1;
            groups += 1;
            continue;
        }
        break;
    }
    let glued = at(b, k).is_ascii_alphanumeric()
        || at(b, k) == b'_'
        || (at(b, k) == b'.' && at(b, k + 1).is_ascii_digit());
    ((6..=20).contains(&digits) && !glued).then_some((s, k))
}

fn access_log_user(b: &[u8], i: usize) -> Option<(usize, usize)> {
    if i < 3 || before(b, i - 2) != b' ' {
        return None;
    }
    let mut e = i;
    while e < b.len() && !at(b, e).is_ascii_whitespace() && e - i < 64 {
        e += 1;
    }
    (at(b, e) == b' ' && at(b, e + 1) == b'[' && at(b, e + 2).is_ascii_digit()).then_some((i, e))
}
