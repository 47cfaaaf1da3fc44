//! Names that sign a message: alone on the line after a sign-off (`Kind regards,` /
//! `Philippa Wetherell`), after a dash (`— Gianmarco Zanella`, `-- Winifred`), or a known
//! given name alone on its line (`Anna`). Lines may be real (`\n`) or escaped inside a JSON
//! string (`\\n`), so the same rules hold for a multi-line value and for its JSON-escaped
//! form on one log line.
#![allow(
    clippy::many_single_char_names,
    reason = "byte scanners read best as b (bytes), i/j (offsets), c (byte)"
)]

use super::detect::{at, before};
use super::names::{capitalised, common_noun, is_person_name, word_end, word_info, Kind, WordInfo};

/// Sign-off lines, lower case, without trailing punctuation.
#[rustfmt::skip]
const SIGN_OFFS: &[&str] = &[
    "regards", "kind regards", "best regards", "warm regards", "best", "best wishes", "cheers",
    "thanks", "thank you", "many thanks", "sincerely", "yours sincerely", "yours faithfully",
    "yours truly", "mit freundlichen grüßen", "mit freundlichen grüssen", "viele grüße",
    "beste grüße", "liebe grüße", "freundliche grüße", "grüße", "un saludo", "saludos",
    "atentamente", "un abrazo", "cordialement", "bien cordialement", "bien à vous",
    "salutations", "pozdrawiam", "z poważaniem", "serdecznie pozdrawiam", "atenciosamente",
    "abraços", "cumprimentos", "obrigado", "obrigada", "cordiali saluti", "saluti",
    "distinti saluti", "un saluto", "dhanyavaad", "dhanyawad", "shukriya", "regards and thanks",
    "met vriendelijke groet", "met vriendelijke groeten", "vriendelijke groet",
    "vriendelijke groeten", "hartelijke groet", "groeten", "groetjes", "med vänliga hälsningar",
    "vänliga hälsningar", "hälsningar", "mvh", "mvg", "hilsen", "saludos cordiales",
    "cordiales saludos", "um abraço", "pozdrowienia", "salutations distinguées",
    "all the best", "take care", "herzliche grüße", "viele grüsse", "tack", "bedankt",
];

/// Capitalised words that sign for a team or a tool, not a person (`— Release Team`).
#[rustfmt::skip]
const NOT_PEOPLE: &[&[u8]] = &[
    b"Team", b"Support", b"Release", b"Bot", b"Admin", b"Ops", b"Engineering", b"Platform",
    b"Security", b"Office", b"Department", b"Staff", b"Management", b"Sales", b"Marketing",
    b"Billing", b"Notifications", b"Alerts", b"System", b"Automation", b"Robot", b"Helpdesk",
    b"Inc", b"Ltd", b"GmbH", b"Corp", b"Company", b"The", b"Your", b"Our", b"All", b"Everyone",
    b"Thanks", b"Done", b"End", b"Summary", b"Note", b"Notes", b"Update", b"Updates", b"Changes",
    b"Changelog", b"Fixed", b"Added", b"Removed", b"Todo", b"Warning", b"Error", b"Info",
];

/// Whether a line (any case, surrounding spaces and trailing `,` `!` `.` ignored) is a
/// sign-off such as `Kind regards,` or `Mit freundlichen Grüßen`. Allocates nothing.
pub(crate) fn is_sign_off(line: &[u8]) -> bool {
    let mut s = 0;
    let mut e = line.len();
    while s < e && matches!(line.get(s), Some(b' ' | b'\t')) {
        s += 1;
    }
    while e > s
        && matches!(
            line.get(e - 1),
            Some(b' ' | b'\t' | b'\r' | b',' | b'!' | b'.')
        )
    {
        e -= 1;
    }
    let Some(t) = line.get(s..e) else {
        return false;
    };
    t.len() <= 32
        && SIGN_OFFS
            .iter()
            .any(|w| w.as_bytes().eq_ignore_ascii_case(t))
}

/// Where the line holding the word at `i` starts, when only lead bytes (spaces, `-`, `>`,
/// `*`, `~`, `–`, `—`; at most 8 bytes) stand before the word on it. Returns whether a dash
/// leads and where the previous line ends (`None` at the start of the text).
fn lead(b: &[u8], i: usize) -> Option<(bool, Option<usize>)> {
    let mut k = i;
    let mut dash = false;
    while k > 0 && i - k <= 8 {
        match before(b, k) {
            b' ' | b'\t' | b'>' | b'*' | b'~' => k -= 1,
            b'-' => {
                dash = true;
                k -= 1;
            }
            // `–` (U+2013) and `—` (U+2014)
            0x93 | 0x94 if k >= 3 && before(b, k - 1) == 0x80 && before(b, k - 2) == 0xE2 => {
                dash = true;
                k -= 3;
            }
            b'\n' => {
                let end = k - 1;
                return Some((dash, Some(end - usize::from(before(b, end) == b'\r'))));
            }
            b'n' if k >= 2 && before(b, k - 1) == b'\\' => return Some((dash, Some(k - 2))),
            _ => return None,
        }
    }
    (k == 0).then_some((dash, None))
}

/// The start of the line that ends at `end` (after a real or an escaped line break).
fn line_start(b: &[u8], end: usize) -> usize {
    let mut k = end;
    while k > 0 && end - k < 64 {
        let p = before(b, k);
        if p == b'\n' || (p == b'n' && k >= 2 && before(b, k - 1) == b'\\') || p == b'"' {
            return k;
        }
        k -= 1;
    }
    k
}

/// 1-3 capitalised words from `i` that end their line (a real or escaped line break, a
/// closing quote or the end of the text; trailing `.` `,` `!` allowed). Returns the end, the
/// number of words, whether one is a known name and whether one signs for a team or tool.
fn name_line(b: &[u8], i: usize) -> Option<(usize, usize, bool, bool)> {
    let mut j = i;
    let mut words = 0;
    let mut known = false;
    let mut other = false;
    let mut end;
    loop {
        if !capitalised(b, j) {
            return None;
        }
        end = word_end(b, j);
        let w = b.get(j..end)?;
        let kind = word_info(b, j).kind;
        known |= is_person_name(kind);
        other |= common_noun(w)
            || NOT_PEOPLE.contains(&w)
            || matches!(kind, Some(Kind::Greeting | Kind::Person | Kind::Title));
        words += 1;
        if words < 3 && at(b, end) == b' ' && capitalised(b, end + 1) {
            j = end + 1;
            continue;
        }
        break;
    }
    let mut t = end;
    while matches!(at(b, t), b'.' | b',' | b'!' | b' ') && t - end < 3 {
        t += 1;
    }
    let c = at(b, t);
    let eol = t >= b.len()
        || matches!(c, b'\n' | b'\r' | b'"')
        || (c == b'\\' && matches!(at(b, t + 1), b'n' | b'r' | b'"'));
    eol.then_some((end, words, known, other))
}

/// A name that signs a message, starting at the capitalised word at `i`: a known given
/// name alone on its line, 1-3 name words after a dash with a known name among them or
/// two or more words, or 1-3 name words on the line after a sign-off. Returns its span.
pub(crate) fn signature_at(b: &[u8], i: usize, info: &WordInfo) -> Option<(usize, usize)> {
    if !capitalised(b, i) {
        return None;
    }
    let (dash, prev) = lead(b, i)?;
    let given = matches!(info.kind, Some(Kind::Given | Kind::Both));
    // cheap checks first: at a line start only a dash, a known given name or a sign-off on
    // the line before can make a signature
    if !dash
        && !given
        && !prev.is_some_and(|pe| is_sign_off(b.get(line_start(b, pe)..pe).unwrap_or(&[])))
    {
        return None;
    }
    let (end, words, known, other) = name_line(b, i)?;
    if other {
        return None;
    }
    if words == 1 && given {
        return Some((i, end));
    }
    if dash && (known || words >= 2) {
        return Some((i, end));
    }
    let pe = prev?;
    let line = b.get(line_start(b, pe)..pe)?;
    is_sign_off(line).then_some((i, end))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::pii::names;

    fn sig(text: &str, word: &str) -> Option<(usize, usize)> {
        names::warm();
        let b = text.as_bytes();
        let i = text.find(word).unwrap();
        signature_at(b, i, &word_info(b, i))
    }

    #[test]
    fn signatures_after_sign_offs_and_dashes() {
        assert!(is_sign_off(b"Kind regards,"));
        assert!(is_sign_off(b"  Mit freundlichen Gr\xc3\xbc\xc3\x9fen "));
        assert!(!is_sign_off(b"regards to the team"));
        let t = "Kind regards,\nPhilippa Wetherell";
        assert_eq!(sig(t, "Philippa"), Some((14, t.len())));
        let t = r#"{"d": "ok.\nUn saludo,\nLeocadia Urrutia"}"#;
        assert_eq!(sig(t, "Leocadia"), Some((24, 40)));
        assert!(sig("ship it.\n\u{2014} Gianmarco Zanella", "Gianmarco").is_some());
        assert!(sig("notes\n\u{2014} Release Team", "Release").is_none());
        assert!(sig("Thanks for the Gianmarco Zanella", "Gianmarco").is_none());
        assert!(sig("Thanks,\nDeploy finished", "Deploy").is_none());
    }
}
