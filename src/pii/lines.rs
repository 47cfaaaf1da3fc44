//! Line-by-line scrubbing of a stream (log files, `examples/scrub`): the little state that
//! spans lines, on top of [`Scrubber::scrub_text`].

use std::borrow::Cow;

use super::Scrubber;

/// Scrubs a stream one line at a time, carrying what spans lines:
///
/// * the body of a PEM private key (`-----BEGIN … PRIVATE KEY-----` … `-----END …`) is
///   replaced line by line with `[private_key]`;
/// * a line that names a secret without its value (`- name: STRIPE_API_KEY`, `password:`)
///   makes the value on the next line (`value: "…"`, or the whole line) a secret.
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
}

impl<'s> LineScrubber<'s> {
    /// A line scrubber over `scrubber`, at the start of a stream.
    #[must_use]
    pub fn new(scrubber: &'s Scrubber) -> LineScrubber<'s> {
        LineScrubber {
            scrubber,
            in_private_key: false,
            secret_next: false,
        }
    }

    /// Scrubs the next line of the stream (without its line terminator).
    pub fn scrub_line<'a>(&mut self, line: &'a str) -> Cow<'a, str> {
        if self.in_private_key {
            if line.contains("-----END ") {
                self.in_private_key = false;
                return Cow::Borrowed(line);
            }
            return Cow::Owned("[private_key]".to_owned());
        }
        let out = if self.secret_next {
            self.secret_next = false;
            mask_value_line(line)
        } else {
            self.scrubber.scrub_text(line)
        };
        if line.contains("-----BEGIN ")
            && line.contains("PRIVATE KEY-----")
            && !line.contains("-----END ")
        {
            self.in_private_key = true;
        }
        self.secret_next = self.names_secret(line);
        out
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
