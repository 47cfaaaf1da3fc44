//! Values whose key is not next to them: SQL `INSERT … (columns) VALUES (values)`, CSV rows
//! under a header line, and header-less rows (CSV fields, SQL values) whose adjacent fields
//! read as a person's name (`74175,Federica,Gallo,…`).
//!
//! Each finder returns the byte spans to replace; [`LineScrubber`](super::LineScrubber)
//! replaces them and scrubs the text between them as usual.

use super::config::KeyRule;
use super::keys::{self, find_rule};
use super::names;
use super::Scrubber;

/// What replaces a span.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fill<'r> {
    /// The value of a key rule's key.
    Rule(&'r KeyRule),
    /// A person's name (the [`PersonName`](super::Detector::PersonName) detector's output).
    Name,
    /// Message content (what the `message` key's rule does).
    Content,
}

/// A span of a line to replace.
pub(crate) type Span<'r> = (usize, usize, Fill<'r>);

/// Most fields read from one row.
const MAX_FIELDS: usize = 64;

/// A CSV header: its delimiter and the key rule each column matches.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    delim: u8,
    /// Rule index per column (into the scrubber's key rules).
    cols: Vec<Option<usize>>,
}

/// The delimiter of a row: the most frequent of `,` `;` `|` tab, at least twice.
fn delimiter(b: &[u8]) -> Option<u8> {
    let mut best = (0usize, 0u8);
    for d in [b',', b';', b'|', b'\t'] {
        let n = b.iter().filter(|&&c| c == d).count();
        if n > best.0 {
            best = (n, d);
        }
    }
    (best.0 >= 2).then_some(best.1)
}

/// The fields of a row split at `delim` outside double quotes; each span is the field's
/// content without surrounding spaces and quotes.
fn fields(b: &[u8], start: usize, end: usize, delim: u8) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = start;
    let mut quoted: Option<u8> = None;
    let mut i = start;
    while i <= end && out.len() < MAX_FIELDS {
        let c = b.get(i).copied().unwrap_or(delim);
        if let Some(q) = quoted {
            if c == q {
                quoted = None;
            }
        } else if (c == b'"' || c == b'\'') && trim(b, s, i).0 == i {
            quoted = Some(c);
        } else if c == delim || i == end {
            out.push(unquote(b, trim(b, s, i)));
            s = i + 1;
        }
        i += 1;
    }
    out
}

fn trim(b: &[u8], mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e && b.get(s).is_some_and(|c| *c == b' ') {
        s += 1;
    }
    while e > s && b.get(e - 1).is_some_and(|c| *c == b' ') {
        e -= 1;
    }
    (s, e)
}

fn unquote(b: &[u8], (s, e): (usize, usize)) -> (usize, usize) {
    let first = b.get(s).copied();
    if e >= s + 2 && matches!(first, Some(b'"' | b'\'')) && b.get(e - 1).copied() == first {
        (s + 1, e - 1)
    } else {
        (s, e)
    }
}

/// A header line: 3+ fields, each an identifier (`first_name`, `Street`, `e-mail`), at least
/// one of them a key rule's key.
pub(crate) fn header(scrubber: &Scrubber, line: &str) -> Option<Header> {
    let b = line.as_bytes();
    let delim = delimiter(b)?;
    let f = fields(b, 0, b.len(), delim);
    if f.len() < 3 {
        return None;
    }
    let config = scrubber.config();
    let mut cols = Vec::with_capacity(f.len());
    let mut any = false;
    for &(s, e) in &f {
        let name = b.get(s..e)?;
        // identifiers in any Latin script (`prénom`, `imię`, `förnamn`, `città`)
        let ident = name.len() <= 40
            && name
                .first()
                .is_some_and(|&c| c.is_ascii_alphabetic() || c >= 0xC0)
            && name.iter().all(|&c| {
                c.is_ascii_alphanumeric() || c >= 0x80 || matches!(c, b'_' | b'-' | b'.' | b' ')
            });
        if !ident {
            return None;
        }
        let rule = find_rule(&config.key_rules, &config.rule_index, name)
            .and_then(|r| config.key_rules.iter().position(|x| std::ptr::eq(x, r)));
        any |= rule.is_some();
        cols.push(rule);
    }
    any.then_some(Header { delim, cols })
}

/// The fields of a data row under `header` whose column has a rule that applies to them.
/// `None` when the row does not fit the header (another delimiter or field count).
pub(crate) fn under_header<'r>(
    scrubber: &'r Scrubber,
    header: &Header,
    line: &str,
) -> Option<Vec<Span<'r>>> {
    let b = line.as_bytes();
    let f = fields(b, 0, b.len(), header.delim);
    if f.len() != header.cols.len() {
        return None;
    }
    let rules = &scrubber.config().key_rules;
    let mut out = Vec::new();
    for (&(s, e), col) in f.iter().zip(&header.cols) {
        let Some(rule) = col.and_then(|i| rules.get(i)) else {
            continue;
        };
        let value = b.get(s..e).unwrap_or(&[]);
        if e > s && keys::rule_applies(rule, rule.label().as_bytes(), value, false) {
            out.push((s, e, Fill::Rule(rule)));
        }
    }
    Some(out)
}

/// Position of `VALUES` (any case) followed by `(`, and of the column list's `(` before it.
fn find_values(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 6 <= b.len() {
        let w = b.get(i..i + 6)?;
        if w.eq_ignore_ascii_case(b"values") && (i == 0 || !is_word(b.get(i - 1).copied())) {
            let mut j = i + 6;
            while b.get(j) == Some(&b' ') {
                j += 1;
            }
            if b.get(j) == Some(&b'(') {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

fn is_word(c: Option<u8>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// The matching `)` of the `(` at `open`, skipping quoted strings.
fn close_paren(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quoted: Option<u8> = None;
    for (i, &c) in b.iter().enumerate().skip(open) {
        if let Some(q) = quoted {
            if c == q {
                quoted = None;
            }
            continue;
        }
        match c {
            b'\'' | b'"' => quoted = Some(c),
            b'(' => depth += 1,
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `INSERT INTO t (first_name, email) VALUES ('Ewa', 'ewa@…'), (…)`: every value whose
/// column has a rule that applies to it; `INSERT INTO t VALUES (…)` without columns: the
/// values that read as a person's name.
pub(crate) fn sql_values<'r>(scrubber: &'r Scrubber, line: &str) -> Vec<Span<'r>> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let Some(v) = find_values(b) else {
        return out;
    };
    let config = scrubber.config();
    // the column list: the last `( … )` before VALUES
    let head = b.get(..v).unwrap_or(&[]);
    let cols: Vec<(usize, usize)> = match (
        head.iter().rposition(|&c| c == b'('),
        head.iter().rposition(|&c| c == b')'),
    ) {
        (Some(o), Some(c)) if o < c => fields(b, o + 1, c, b',')
            .into_iter()
            .map(|(s, e)| strip_ident_quotes(b, s, e))
            .collect(),
        _ => Vec::new(),
    };
    let mut j = v + 6;
    loop {
        while matches!(b.get(j), Some(b' ' | b',')) {
            j += 1;
        }
        if b.get(j) != Some(&b'(') {
            break;
        }
        let Some(close) = close_paren(b, j) else {
            break;
        };
        let vals = fields(b, j + 1, close, b',');
        if cols.len() == vals.len() {
            for (&(cs, ce), &(s, e)) in cols.iter().zip(&vals) {
                let col = b.get(cs..ce).unwrap_or(&[]);
                let value = b.get(s..e).unwrap_or(&[]);
                if e <= s || value.eq_ignore_ascii_case(b"null") {
                    continue;
                }
                if let Some(rule) = find_rule(&config.key_rules, &config.rule_index, col) {
                    if keys::rule_applies(rule, col, value, false) {
                        out.push((s, e, Fill::Rule(rule)));
                    }
                }
            }
        } else if cols.is_empty() {
            name_fields(b, &vals, &mut out);
        }
        j = close + 1;
    }
    out
}

fn strip_ident_quotes(b: &[u8], s: usize, e: usize) -> (usize, usize) {
    let first = b.get(s).copied();
    if e >= s + 2 && matches!(first, Some(b'`' | b'"' | b'[')) {
        (s + 1, e - 1)
    } else {
        (s, e)
    }
}

/// A header-less row (4+ fields): the fields that read as a person's name.
pub(crate) fn row_names<'r>(line: &str) -> Vec<Span<'r>> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    if let Some(d) = delimiter(b) {
        let f = fields(b, 0, b.len(), d);
        if f.len() >= 4 {
            name_fields(b, &f, &mut out);
        }
    }
    out
}

/// Two adjacent fields that are capitalised words (`Federica`, `Gallo`; `Maite
/// Zubizarreta`), one of them a known given name or surname, are a person's name; so is a
/// single field of two or three capitalised words starting with a known given name.
fn name_fields<'r>(b: &[u8], f: &[(usize, usize)], out: &mut Vec<Span<'r>>) {
    let mut last_end = 0;
    for (k, &(s, e)) in f.iter().enumerate() {
        if s < last_end {
            continue;
        }
        let Some(words) = name_words(b, s, e) else {
            continue;
        };
        let known = known_name(b, s, e);
        if words >= 2 && known {
            out.push((s, e, Fill::Name));
            last_end = e;
            continue;
        }
        if words > 1 {
            continue;
        }
        if let Some(&(ns, ne)) = f.get(k + 1) {
            if name_words(b, ns, ne).is_some() && (known || known_name(b, ns, ne)) {
                out.push((s, e, Fill::Name));
                out.push((ns, ne, Fill::Name));
                last_end = ne;
            }
        }
    }
}

/// The number of words when `s..e` is 1-3 capitalised words of letters (`O'Connell`,
/// `Wróbel`, `Washington-Hale`), not an all-capitals code.
fn name_words(b: &[u8], s: usize, e: usize) -> Option<usize> {
    let v = b.get(s..e)?;
    if v.len() < 2 || v.len() > 48 {
        return None;
    }
    let mut words = 0;
    for w in v.split(|&c| c == b' ') {
        let first = *w.first()?;
        let second = w.get(1).copied().unwrap_or(b'a');
        let upper = first.is_ascii_uppercase() || first >= 0xC0;
        let lower_next = second.is_ascii_lowercase() || second >= 0x80 || second == b'\'';
        if !upper
            || !lower_next
            || !w
                .iter()
                .all(|&c| c.is_ascii_alphabetic() || c >= 0x80 || matches!(c, b'\'' | b'-'))
        {
            return None;
        }
        words += 1;
    }
    (1..=3).contains(&words).then_some(words)
}

fn known_name(b: &[u8], s: usize, e: usize) -> bool {
    let info = names::word_info(b, s);
    info.end <= e && names::is_person_name(info.kind)
}

/// A chat transcript line: `[10:02] Maria: body`, `[10:02] Maria : body`, `<Maria> body`,
/// `2026-12-03 10:05 | Maria Lopez | body`. The speaker (capitalised words, not a bot's
/// handle such as `support-bot`) is a name and what they wrote is message content.
pub(crate) fn chat_line<'r>(line: &str) -> Vec<Span<'r>> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let lead = b.iter().take_while(|&&c| c == b' ').count();
    let first = b.get(lead).copied();
    if first == Some(b'[') {
        let Some(close) = b
            .iter()
            .skip(lead)
            .position(|&c| c == b']')
            .map(|p| p + lead)
        else {
            return out;
        };
        let stamp = b.get(lead + 1..close).unwrap_or(&[]);
        if !is_clock(stamp) {
            return out;
        }
        let s = close
            + 1
            + b.get(close + 1..)
                .map_or(0, |r| r.iter().take_while(|&&c| c == b' ').count());
        let Some(colon) = b
            .get(s..)
            .and_then(|r| r.iter().take(50).position(|&c| c == b':'))
        else {
            return out;
        };
        let (ns, ne) = trim(b, s, s + colon);
        if name_words(b, ns, ne).is_some() && !log_word(b.get(ns..ne).unwrap_or(&[])) {
            out.push((ns, ne, Fill::Name));
            push_body(b, s + colon + 1, &mut out);
        }
    } else if first == Some(b'<') {
        let Some(close) = b
            .iter()
            .skip(lead)
            .take(50)
            .position(|&c| c == b'>')
            .map(|p| p + lead)
        else {
            return out;
        };
        if name_words(b, lead + 1, close).is_some()
            || irc_nick(b.get(lead + 1..close).unwrap_or(&[]))
        {
            out.push((lead + 1, close, Fill::Name));
            push_body(b, close + 1, &mut out);
        }
    } else if b.windows(3).filter(|w| *w == b" | ").count() == 2 {
        let f = fields(b, 0, b.len(), b'|');
        if let [(ts, te), (ns, ne), (bs, be)] = f[..] {
            if is_clock(b.get(ts..te).unwrap_or(&[])) && name_words(b, ns, ne).is_some() && be > bs
            {
                out.push((ns, ne, Fill::Name));
                out.push((bs, be, Fill::Content));
            }
        }
    }
    out
}

/// An IRC-style nick between `<` and `>` (`<Anna_K>`, `<jdoe42>`, `<mike|away>`): 2-30
/// bytes of nick characters with a `_`, a digit or mixed case, which HTML tags
/// (`<div>`), placeholders (`<none>`) and all-caps markers (`<EOF>`) do not have.
fn irc_nick(w: &[u8]) -> bool {
    (2..=30).contains(&w.len())
        && w.first().is_some_and(u8::is_ascii_alphabetic)
        && w.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'|' | b'^' | b'`'))
        && (w.iter().any(|&c| c == b'_' || c.is_ascii_digit())
            || (w.iter().any(u8::is_ascii_uppercase) && w.iter().any(u8::is_ascii_lowercase)))
        && !w
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
}

/// Capitalised words that open log lines rather than chat lines (`[10:02] Warning: …`).
fn log_word(w: &[u8]) -> bool {
    let first = w.split(|&c| c == b' ').next().unwrap_or(w);
    [
        &b"Error"[..],
        b"Warning",
        b"Warn",
        b"Info",
        b"Debug",
        b"Trace",
        b"Fatal",
        b"Notice",
        b"Critical",
        b"Exception",
        b"Caused",
        b"Note",
        b"Success",
        b"Failed",
        b"Failure",
        b"Retry",
        b"Status",
        b"Started",
        b"Stopped",
        b"Step",
        b"Job",
        b"Task",
        b"Build",
        b"Deploy",
        b"Deploying",
        b"Running",
        b"Done",
        b"Finished",
        b"Alert",
        b"System",
        b"Server",
        b"Client",
        b"Request",
        b"Response",
    ]
    .iter()
    .any(|x| x.eq_ignore_ascii_case(first))
}

fn push_body<'r>(b: &[u8], from: usize, out: &mut Vec<Span<'r>>) {
    let (s, e) = trim(b, from, b.len());
    if e > s {
        out.push((s, e, Fill::Content));
    }
}

/// A timestamp-ish text with a clock time (`10:02`, `2026-12-03 10:05`, `10:02:33 PM`).
fn is_clock(t: &[u8]) -> bool {
    t.len() <= 32
        && t.windows(3)
            .any(|w| matches!(w, [a, b':', c] if a.is_ascii_digit() && c.is_ascii_digit()))
        && t.iter()
            .all(|&c| c.is_ascii_digit() || b" :-/.,TZAPMapm+".contains(&c))
}

/// `Maria Lopez <maria@example.com>` (mail and git headers, YAML contacts): the capitalised
/// words right before an angle-bracketed e-mail address.
pub(crate) fn name_before_email<'r>(line: &str) -> Vec<Span<'r>> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = b
        .get(from..)
        .and_then(|r| r.iter().position(|&c| c == b'<'))
    {
        let lt = from + p;
        from = lt + 1;
        let inner = b.get(lt + 1..).unwrap_or(&[]);
        let Some(gt) = inner.iter().take(256).position(|&c| c == b'>') else {
            continue;
        };
        if !inner.get(..gt).is_some_and(|m| m.contains(&b'@'))
            || lt == 0
            || b.get(lt - 1) != Some(&b' ')
        {
            continue;
        }
        // back over up to three words
        let e = lt - 1;
        let mut s = e;
        let mut words = 0;
        while words < 3 {
            let mut k = s;
            while k > 0
                && b.get(k - 1)
                    .is_some_and(|&c| c != b' ' && c != b':' && c != b'"' && c != b',')
            {
                k -= 1;
            }
            if k == s || name_words(b, k, s).is_none() {
                break;
            }
            s = k;
            words += 1;
            if s == 0 || b.get(s - 1) != Some(&b' ') || s < 2 {
                break;
            }
            if name_words(b, word_start(b, s - 1), s - 1).is_none() {
                break;
            }
            s -= 1;
        }
        let s = if b.get(s) == Some(&b' ') { s + 1 } else { s };
        if words > 0 && s < e {
            out.push((s, e, Fill::Name));
        }
    }
    out
}

fn word_start(b: &[u8], e: usize) -> usize {
    let mut k = e;
    while k > 0
        && b.get(k - 1)
            .is_some_and(|&c| c != b' ' && c != b':' && c != b'"' && c != b',')
    {
        k -= 1;
    }
    k
}

/// The line after a sign-off: a name of one to four capitalised words on its own.
pub(crate) fn signature<'r>(line: &str) -> Vec<Span<'r>> {
    let b = line.as_bytes();
    let (s, e) = trim(b, 0, b.len());
    let (s2, e2) = (
        s,
        b.get(s..e).map_or(e, |v| {
            s + v
                .iter()
                .rposition(|&c| c != b'.' && c != b',')
                .map_or(0, |p| p + 1)
        }),
    );
    if name_words(b, s2, e2).is_some() {
        vec![(s2, e2, Fill::Name)]
    } else {
        Vec::new()
    }
}
