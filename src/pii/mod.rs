//! PII scrubbing for everything that leaves the process.
//!
//! The product rule is simple: e-mail addresses, phone numbers, names, postal addresses,
//! message content, photo URLs, passwords and tokens never leave the process; user ids leave
//! only as keyed pseudonyms; request ids, operations, durations, error codes, amounts and
//! counts are kept. The pipeline runs a [`Scrubber`] on the flusher side (never on the
//! application thread) over tag values, span attributes, event metadata and error messages
//! before any sink sees them.
//!
//! # Two kinds of rule
//!
//! * **Key rules** ([`KeyRule`]): the value under a sensitive key is replaced whatever it
//!   holds: `email`, `phone`, `first_name`/`lastName`/`full-name`/`name`, `address`,
//!   `password`/`passwd`/`secret`/`token`/`api_key`/`authorization`/`cookie`,
//!   `message`/`content`/`body`, `photo_url`, and more (see `docs/pii.md`). Keys are matched
//!   word by word across `snake_case`, `camelCase`, `kebab-case` and header spellings
//!   (`X-Api-Key`), with exceptions for technical names (`host_name`, `error_message`). The
//!   same rules apply inside free text to `key=value`, `key: value` and `"key": "value"`.
//! * **Detectors** ([`Detector`]): shapes recognised anywhere: e-mail, phone, payment card
//!   (Luhn), IPv4/IPv6, JWT, `Bearer` credentials, API keys, IBAN (mod 97), US SSN,
//!   credentials in URLs, PEM private keys, IMEI, national ids with check digits, ABA
//!   routing numbers, crypto wallets, home-directory user names, high-entropy secrets,
//!   dates of birth, and person names and postal addresses from embedded gazetteers used
//!   with context (titles, salutations, house numbers and street types). Each is a hand-written byte scanner tuned to leave UUIDs, request
//!   ids, ISO timestamps, latencies, amounts, order ids, hex hashes, error codes, metric names
//!   and HTTP paths alone.
//!
//! Each rule has an [`Action`]: mask (`[email]`), keyed hash (`email_3f9a…`, HMAC-SHA256 under
//! the configured key) or drop.
//!
//! # Guarantees
//!
//! * **No allocation when nothing matches**: text comes back as `Cow::Borrowed`.
//! * **Bounded output**: for every string, `output.len() <= input.len() + MAX_GROWTH` (64
//!   bytes). Placeholders are at most 41 bytes (`[label]` ≤ 26, `label_<16 hex>` ≤ 41) and
//!   replace at least one byte; once the growth budget is spent, further matches are
//!   replaced by a single `*`, which is never longer than the match.
//! * **Never panics** on any UTF-8 input: scanners read bytes through bounds-checked
//!   accessors, and every match starts and ends next to an ASCII byte, so replacement
//!   boundaries are always `char` boundaries.
//! * **Cached tag values**: [`Scrubber::scrub_tag_value`] remembers recent results in a
//!   bounded cache (see [`CacheStats`]; clear-on-full, capacity from
//!   [`ScrubberConfigBuilder::cache_capacity`]), so a repeated value is a lookup, not a scan.
//!
//! # Example
//!
//! ```
//! use telemetra::pii::{Scrubber, ScrubberConfig};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let scrubber = Scrubber::new(
//!     ScrubberConfig::builder()
//!         .hash_key(*b"0123456789abcdef0123456789abcdef")
//!         .build()?,
//! );
//! let line = scrubber.scrub_text("login failed for ann@example.com from 203.0.113.7");
//! assert_eq!(line, "login failed for [email] from [ip]");
//! assert_eq!(scrubber.scrub_text("order ORD-1042 took 35 ms"), "order ORD-1042 took 35 ms");
//! assert!(scrubber.pseudonymize("user-42").starts_with("usr_"));
//! # Ok(())
//! # }
//! ```

mod cache;
mod config;
mod detect;
mod hash;
mod ids;
mod json;
mod keys;
mod lines;
mod names;
mod numeric;
mod places;
mod signature;
mod tabular;
mod text;
mod versions;

use std::borrow::Cow;
use std::fmt;

pub use self::cache::{CacheStats, MAX_CACHED_LEN};
pub use self::config::{
    Action, ConfigError, Detector, KeyRule, ScrubberConfig, ScrubberConfigBuilder,
    MAX_CACHE_CAPACITY, MAX_LABEL_LEN, MIN_HASH_KEY_LEN,
};
pub use self::json::{MAX_DEPTH, TRUNCATED};
pub use self::lines::LineScrubber;
pub use self::text::MAX_GROWTH;

use self::cache::{Lookup, ValueCache};
use self::hash::Keyed;
use self::text::Engine;

/// Prefix of pseudonymised actor ids: `usr_` + 16 hex digits.
pub const PSEUDONYM_PREFIX: &str = "usr_";

/// Applies the key rules and detectors of a [`ScrubberConfig`]. Cheap to share (`&self`
/// everywhere; the only lock is the tag-value cache's).
pub struct Scrubber {
    config: ScrubberConfig,
    keyed: Keyed,
    cache: ValueCache,
}

impl fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scrubber")
            .field("config", &self.config)
            .field("cache", &self.cache.stats())
            .finish_non_exhaustive()
    }
}

impl Scrubber {
    /// A scrubber for a validated configuration.
    #[must_use]
    pub fn new(config: ScrubberConfig) -> Scrubber {
        // The name/address gazetteer is built once per process, here rather than at the
        // first scan, so that scanning clean text never allocates.
        names::warm();
        let keyed = config.keyed.clone();
        let cache = ValueCache::new(config.cache_capacity);
        Scrubber {
            config,
            keyed,
            cache,
        }
    }

    /// A scrubber with the product rules and a random per-process hash key.
    ///
    /// # Errors
    /// [`ConfigError::NoEntropy`] when no random key can be drawn.
    pub fn with_defaults() -> Result<Scrubber, ConfigError> {
        Ok(Scrubber::new(ScrubberConfig::builder().build()?))
    }

    /// The configuration in use.
    #[must_use]
    pub fn config(&self) -> &ScrubberConfig {
        &self.config
    }

    fn engine(&self) -> Engine<'_> {
        let mut enabled = [false; Detector::ALL.len()];
        for (on, action) in enabled.iter_mut().zip(self.config.detectors.iter()) {
            *on = action.is_some();
        }
        Engine {
            rules: &self.config.key_rules,
            index: &self.config.rule_index,
            actions: &self.config.detectors,
            enabled,
            keyed: &self.keyed,
        }
    }

    /// Scrubs free text: log lines, error messages, string values. Applies the detectors and
    /// the inline key rules (`password=…`, `email: …`, `"token": "…"`). Returns
    /// `Cow::Borrowed` (no allocation) when nothing matched. Not cached.
    ///
    /// Text of several lines is scrubbed line by line as by a [`LineScrubber`], so the rules
    /// that need the line before (a CSV header, a sign-off, a PEM key's first line) hold
    /// inside one multi-line value too (such text may allocate scratch space for table rows
    /// even when nothing matches).
    #[must_use]
    pub fn scrub_text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if text.contains('\n') {
            return self.scrub_lines(text);
        }
        self.engine().scrub(text)
    }

    /// Multi-line text through a [`LineScrubber`]. When the per-line placeholders together
    /// would grow the text by more than [`MAX_GROWTH`], the text is scrubbed in one pass
    /// instead (which keeps the bound).
    fn scrub_lines<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut lines = LineScrubber::new(self);
        let mut out: Option<String> = None;
        let mut start = 0;
        for line in text.split('\n') {
            let scrubbed = lines.scrub_line(line);
            match (scrubbed, &mut out) {
                (Cow::Borrowed(_), None) => {}
                (Cow::Borrowed(l), Some(o)) => o.push_str(l),
                (Cow::Owned(l), None) => {
                    let mut o = String::with_capacity(text.len() + MAX_GROWTH);
                    o.push_str(text.get(..start).unwrap_or(""));
                    o.push_str(&l);
                    out = Some(o);
                }
                (Cow::Owned(l), Some(o)) => o.push_str(&l),
            }
            start += line.len() + 1;
            if let Some(o) = &mut out {
                if start <= text.len() {
                    o.push('\n');
                }
            }
        }
        match out {
            None => Cow::Borrowed(text),
            Some(o) if o.len() <= text.len() + MAX_GROWTH => Cow::Owned(o),
            Some(_) => self.engine().scrub(text),
        }
    }

    /// Scrubs one tag value (or span attribute) given its key. `None` means the tag must be
    /// dropped (a rule with [`Action::Drop`]). A key rule replaces the whole value; otherwise
    /// the value is scanned as text, through the cache for values up to
    /// [`MAX_CACHED_LEN`] bytes. A clean value comes back borrowed without allocating, on the
    /// first call and on every cache hit.
    #[must_use]
    pub fn scrub_tag_value<'a>(&self, key: &str, value: &'a str) -> Option<Cow<'a, str>> {
        if let Some(rule) = self.key_rule(key) {
            if keys::rule_applies(rule, key.as_bytes(), value.as_bytes(), false) {
                return self.apply_rule(rule, value).map(Cow::Owned);
            }
        }
        if value.len() > MAX_CACHED_LEN {
            return Some(self.scrub_text(value));
        }
        match self.cache.lookup(value) {
            Lookup::Clean => Some(Cow::Borrowed(value)),
            Lookup::Dirty(s) => Some(Cow::Owned(s)),
            Lookup::Miss(h) => {
                let scrubbed = self.scrub_text(value);
                match &scrubbed {
                    Cow::Borrowed(_) => self.cache.insert_clean(h),
                    Cow::Owned(s) => self.cache.insert_dirty(h, value, s),
                }
                Some(scrubbed)
            }
        }
    }

    /// Same as [`scrub_tag_value`](Self::scrub_tag_value), for span attributes.
    #[must_use]
    pub fn scrub_attribute<'a>(&self, key: &str, value: &'a str) -> Option<Cow<'a, str>> {
        self.scrub_tag_value(key, value)
    }

    /// The key rule that makes `key` sensitive, if any.
    #[must_use]
    pub fn key_rule(&self, key: &str) -> Option<&KeyRule> {
        keys::find_rule(
            &self.config.key_rules,
            &self.config.rule_index,
            key.as_bytes(),
        )
    }

    /// Whether the detector `d` is on.
    fn detector_on(&self, d: Detector) -> bool {
        self.config
            .detectors
            .get(d.index())
            .copied()
            .flatten()
            .is_some()
    }

    /// The replacement the detector `d` gives `value` (its configured action; `value`
    /// itself when the detector is off).
    fn apply_detector(&self, d: Detector, value: &str) -> String {
        let Some(action) = self.config.detectors.get(d.index()).copied().flatten() else {
            return value.to_owned();
        };
        let mut s = String::new();
        match action {
            Action::Drop => {}
            Action::Mask => {
                s.push('[');
                s.push_str(d.label());
                s.push(']');
            }
            Action::Hash => self.keyed.write_token(&mut s, d.label(), value.as_bytes()),
        }
        s
    }

    /// The replacement a rule gives `value`; `None` for [`Action::Drop`].
    fn apply_rule(&self, rule: &KeyRule, value: &str) -> Option<String> {
        match rule.action() {
            Action::Drop => None,
            Action::Mask => Some(format!("[{}]", rule.label())),
            Action::Hash => {
                let mut s = String::with_capacity(rule.label().len() + 17);
                self.keyed
                    .write_token(&mut s, rule.label(), value.as_bytes());
                Some(s)
            }
        }
    }

    /// Replaces a user id by its keyed pseudonym `usr_<16 hex>` (HMAC-SHA256 under the
    /// configured key, first 64 bits). Same id and key give the same pseudonym, so events stay
    /// joinable per user. Idempotent: a value that already has the pseudonym shape is returned
    /// unchanged.
    #[must_use]
    pub fn pseudonymize(&self, actor_id: &str) -> String {
        if is_pseudonym(actor_id) {
            return actor_id.to_owned();
        }
        let mut s = String::with_capacity(PSEUDONYM_PREFIX.len() + 16);
        s.push_str(PSEUDONYM_PREFIX);
        for &c in &self.keyed.hex16(actor_id.as_bytes()) {
            s.push(char::from(c));
        }
        s
    }

    /// Counters of the tag-value cache.
    #[must_use]
    pub fn cache_stats(&self) -> CacheStats {
        self.cache.stats()
    }
}

/// Whether `s` is already `usr_` + 16 lower-case hex digits.
#[must_use]
pub fn is_pseudonym(s: &str) -> bool {
    s.strip_prefix(PSEUDONYM_PREFIX).is_some_and(|h| {
        h.len() == 16
            && h.bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    })
}
