//! Line-by-line scrubbing of a stream (log files, `examples/scrub`): the little state that
//! spans lines, on top of [`Scrubber::scrub_text`].

use std::borrow::Cow;

use super::config::Detector;
use super::signature;
use super::tabular::{self, Fill, Header, Span};
use super::Scrubber;

/// Scrubs a stream one line at a time, carrying what spans lines:
///
/// * the body of a PEM private key (`-----BEGIN … PRIVATE KEY-----` … `-----END …`) is
///   replaced line by line with `[private_key]`;
/// * a line that names a secret without its value (`- name: STRIPE_API_KEY`, `password:`)
///   makes the value on the next line (`value: "…"`, or the whole line) a secret;
/// * a CSV header line's columns apply to the rows under it while they fit it;
/// * the line after a sign-off (`Kind regards,`) loses a name standing alone on it.
///
/// Within a line it also finds values whose key is not next to them: SQL `INSERT` values
/// under their columns, adjacent name fields of header-less rows, chat speakers and
/// message bodies (`[10:02] Maria: …`), and names before an `<e-mail>`.
///
/// Every other line goes through [`Scrubber::scrub_text`].
///
/// ```
/// use telemetra::pii::{LineScrubber, Scrubber};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let scrubber = Scrubber::with_defaults()?;
/// let mut lines = LineScrubber::new(&scrubber);
/// assert_eq!(lines.scrub_line("  - name: STRIPE_API_KEY"), "  - name: STRIPE_API_KEY");
/// assert_eq!(lines.scrub_line("    value: \"abc123\""), "    value: \"[secret]\"");
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct LineScrubber<'s> {
    scrubber: &'s Scrubber,
    in_private_key: bool,
    secret_next: bool,
    /// The last CSV header line's columns, while the rows below it fit it.
    header: Option<Header>,
    /// The previous line was a sign-off (`Kind regards,`): this one may be a name.
    signature_next: bool,
}

impl<'s> LineScrubber<'s> {
    /// A line scrubber over `scrubber`, at the start of a stream.
    #[must_use]
    pub fn new(scrubber: &'s Scrubber) -> LineScrubber<'s> {
        LineScrubber {
            scrubber,
            in_private_key: false,
            secret_next: false,
            header: None,
            signature_next: false,
        }
    }

    /// Scrubs the next line of the stream (without its line terminator).
    pub fn scrub_line<'a>(&mut self, line: &'a str) -> Cow<'a, str> {
        if self.in_private_key {
            if line.contains("-----END ") {
                self.in_private_key = false;
                return Cow::Borrowed(line);
            }
            // the detector's action (mask, hash or drop), as in one-pass scrubbing
            return Cow::Owned(self.scrubber.apply_detector(Detector::PrivateKey, line));
        }
        let out = if self.secret_next {
            self.secret_next = false;
            mask_value_line(line)
        } else {
            self.scrub_spans(line)
        };
        if line.contains("-----BEGIN ")
            && line.contains("PRIVATE KEY-----")
            && !line.contains("-----END ")
            && self.scrubber.detector_on(Detector::PrivateKey)
        {
            self.in_private_key = true;
        }
        self.secret_next = self.names_secret(line);
        out
    }

    /// Values whose key or context is elsewhere (a CSV header, SQL columns, a chat speaker,
    /// a sign-off on the line before) are replaced whole; the rest goes through
    /// [`Scrubber::scrub_text`].
    fn scrub_spans<'a>(&mut self, line: &'a str) -> Cow<'a, str> {
        let scrubber = self.scrubber;
        let mut spans: Vec<Span<'s>> = Vec::new();
        if let Some(h) = tabular::header(scrubber, line) {
            self.header = Some(h);
        } else if let Some(h) = &self.header {
            match tabular::under_header(scrubber, h, line) {
                Some(s) => spans = s,
                None => self.header = None,
            }
        }
        if spans.is_empty() {
            spans = tabular::sql_values(scrubber, line);
        }
        if spans.is_empty() {
            spans = tabular::chat_line(line);
        }
        if spans.is_empty() && self.signature_next {
            spans = tabular::signature(line);
        }
        if spans.is_empty() {
            spans = tabular::row_names(line);
        }
        if line.contains('<') && line.contains('@') {
            spans.extend(tabular::name_before_email(line));
        }
        self.signature_next = signature::is_sign_off(line.as_bytes());
        if spans.is_empty() {
            return scrubber.scrub_text(line);
        }
        spans.sort_unstable_by_key(|s| s.0);
        let mut out = String::with_capacity(line.len() + 16);
        let mut at = 0;
        for (s, e, rule) in spans {
            if s < at || e <= s {
                continue;
            }
            out.push_str(&scrubber.scrub_text(line.get(at..s).unwrap_or("")));
            let value = line.get(s..e).unwrap_or("");
            match rule {
                Fill::Rule(r) => out.push_str(&scrubber.apply_rule(r, value).unwrap_or_default()),
                Fill::Name => out.push_str(&scrubber.apply_detector(Detector::PersonName, value)),
                Fill::Content => match scrubber.key_rule("message") {
                    Some(r) => out.push_str(&scrubber.apply_rule(r, value).unwrap_or_default()),
                    None => out.push_str(&scrubber.scrub_text(value)),
                },
            }
            at = e;
        }
        out.push_str(&scrubber.scrub_text(line.get(at..).unwrap_or("")));
        Cow::Owned(out)
    }

    /// `- name: DB_PASSWORD`, `key: api_token`, `password:` (value on the next line).
    fn names_secret(&self, line: &str) -> bool {
        let t = line.trim().trim_start_matches("- ").trim();
        for prefix in ["name:", "name =", "name=", "key:", "key ="] {
            if let Some(rest) = t.strip_prefix(prefix) {
                let named = rest.trim().trim_matches(|c| c == '"' || c == '\'');
                return !named.is_empty()
                    && self
                        .scrubber
                        .key_rule(named)
                        .is_some_and(|r| r.label() == "secret");
            }
        }
        if let Some(key) = t.strip_suffix(':').or_else(|| t.strip_suffix(": |")) {
            return !key.contains(' ')
                && self
                    .scrubber
                    .key_rule(key)
                    .is_some_and(|r| r.label() == "secret");
        }
        false
    }
}

/// The value on a line that follows a secret's name: after `value:` / `value=` when
/// present, else the whole line but its indentation.
fn mask_value_line(line: &str) -> Cow<'_, str> {
    let start = ["value:", "value=", "value ="]
        .iter()
        .find_map(|k| line.find(k).map(|p| p + k.len()))
        .unwrap_or(0);
    let rest = line.get(start..).unwrap_or("");
    let lead = rest.len() - rest.trim_start().len();
    let body = rest.trim();
    if body.is_empty() {
        return Cow::Borrowed(line);
    }
    let quoted = body.len() >= 2
        && (body.starts_with('"') && body.ends_with('"')
            || body.starts_with('\'') && body.ends_with('\''));
    let mut out = String::with_capacity(line.len());
    out.push_str(line.get(..start + lead).unwrap_or(""));
    if quoted {
        out.push_str(body.get(..1).unwrap_or(""));
        out.push_str("[secret]");
        out.push_str(body.get(body.len() - 1..).unwrap_or(""));
    } else {
        out.push_str("[secret]");
    }
    Cow::Owned(out)
}
