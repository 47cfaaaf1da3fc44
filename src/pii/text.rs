//! The free-text scanner: key rules written inline (`key=value`, `key: value`,
//! `"key": "value"`) plus the value detectors, in one left-to-right pass.
#![allow(
    clippy::many_single_char_names,
    reason = "byte scanners read best as b (bytes), i/j (offsets), c (byte)"
)]

use std::borrow::Cow;

use super::config::{Action, KeyRule};
use super::detect::{at, before, detect_at, is_alnum, Enabled, Verdict};
use super::hash::Keyed;
use super::keys::{find_rule, RuleIndex};

/// Largest number of bytes by which scrubbing may lengthen one string.
pub const MAX_GROWTH: usize = 64;

/// Longest key looked at before a `=` or `:`.
const MAX_KEY: usize = 64;

/// Everything the scanner needs, borrowed from the [`Scrubber`](super::Scrubber).
pub(crate) struct Engine<'s> {
    pub(crate) rules: &'s [KeyRule],
    pub(crate) index: &'s RuleIndex,
    pub(crate) actions: &'s [Option<Action>; 11],
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
        while i < b.len() {
            let c = at(b, i);
            if c.is_ascii_alphanumeric() {
                if !is_alnum(before(b, i)) {
                    if let Some(next) = self.detect(b, i, &mut out) {
                        i = next.max(i + 1);
                        continue;
                    }
                }
                // No detector starts inside a word: skip the rest of it.
                i += 1;
                while is_alnum(at(b, i)) {
                    i += 1;
                }
                continue;
            }
            if (c == b'=' || c == b':') && !self.rules.is_empty() {
                if let Some(next) = self.key_value(b, i, &mut out) {
                    i = next.max(i + 1);
                    continue;
                }
            }
            if matches!(c, b'+' | b'(' | b':') {
                if let Some(next) = self.detect(b, i, &mut out) {
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
        let rule = find_rule(self.rules, self.index, b.get(ks..ke)?)?;
        let mut v = sep + 1;
        while matches!(at(b, v), b' ' | b'\t') && v - sep <= 4 {
            v += 1;
        }
        let (vs, ve, resume) = value_span(b, v, colon, rule.label() == "secret");
        if ve > vs {
            out.replace(vs, ve, rule.label(), rule.action(), self.keyed);
        }
        Some(resume)
    }
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
fn value_span(b: &[u8], v: usize, colon: bool, secret: bool) -> (usize, usize, usize) {
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
                || (!secret && matches!(d, b',' | b';' | b'}' | b']' | b'"'))
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
