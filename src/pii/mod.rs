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
//!   dates of birth, photo and avatar URLs (by host and path), and person names and postal addresses from embedded gazetteers used
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
mod urls;
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

/// End-to-end checks of the rules added in the fourth round of issue #14 (each rule with a
/// case it must catch and one it must leave).
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod fourth_round_tests {
    use super::*;

    fn s(text: &str) -> String {
        let scrubber = Scrubber::new(
            ScrubberConfig::builder()
                .hash_key(*b"0123456789abcdef0123456789abcdef")
                .build()
                .unwrap(),
        );
        scrubber.scrub_text(text).into_owned()
    }

    #[test]
    fn lone_given_names_in_prose() {
        assert_eq!(
            s("Daniel called again about the refund"),
            "[name] called again about the refund"
        );
        assert_eq!(
            s("Thanks to Emma and Noah for the fix"),
            "Thanks to [name] and [name] for the fix"
        );
        assert_eq!(
            s("Según Javier, el cobro aparece dos veces"),
            "Según [name], el cobro aparece dos veces"
        );
        assert_eq!(
            s("A Beatriz ligou sobre o pedido"),
            "A [name] ligou sobre o pedido"
        );
        assert_eq!(
            s("Klant Jeroen de Vries wil opzeggen"),
            "Klant [name] wil opzeggen"
        );
        // places, products and identifiers stay
        for kept in [
            "en la oficina de Valencia",
            "the cluster runs on Aurora now",
            "Julia 1.10 released",
            "Max retries reached",
            "logs of Daniel_svc rotated",
        ] {
            assert_eq!(s(kept), kept);
        }
    }

    #[test]
    fn one_time_codes_in_prose() {
        assert_eq!(
            s("729104 is your Amazon one-time password. Do not share it."),
            "[secret] is your Amazon one-time password. Do not share it."
        );
        assert_eq!(
            s("660231 is your Instagram code"),
            "[secret] is your Instagram code"
        );
        assert_eq!(
            s("Your Uber code: 4821. Never share it."),
            "Your Uber code: [secret]. Never share it."
        );
        assert_eq!(
            s("Kod SMS do logowania: 773019"),
            "Kod SMS do logowania: [secret]"
        );
        assert_eq!(
            s("Code de connexion : 190245"),
            "Code de connexion : [secret]"
        );
        for kept in [
            "4412 is the order number",
            "Your error code 503 was logged",
            "processed 482913 rows in 38s",
        ] {
            assert_eq!(s(kept), kept);
        }
    }

    #[test]
    fn photo_urls_outside_photo_keys() {
        assert_eq!(
            s("GET https://www.gravatar.com/avatar/205e460b479e2e5b48aec07710c08d50?s=200 200"),
            "GET [photo_url] 200"
        );
        assert_eq!(
            s("\"GET /users/8812/avatar.png HTTP/1.1\" 200"),
            "\"GET [photo_url] HTTP/1.1\" 200"
        );
        for kept in [
            "GET /static/img/logo.png HTTP/1.1",
            "image https://cdn.shop.example/products/sku-1182/main.jpg",
            "POST http://avatar-service:8080/api/avatars/upload 201",
        ] {
            assert_eq!(s(kept), kept);
        }
    }

    #[test]
    fn passwords_in_commands_and_sql() {
        assert_eq!(
            s("GRANT ALL ON db.* TO 'etl'@'%' IDENTIFIED BY \"Etl_Load_77\";"),
            "GRANT ALL ON db.* TO 'etl'@'%' IDENTIFIED BY \"[secret]\";"
        );
        assert_eq!(
            s("temporary password for the new hire: Welcome#2026"),
            "temporary password for the new hire: [secret]"
        );
        assert!(!s("$ htpasswd -b /etc/nginx/.htpasswd admin n0t4public").contains("n0t4public"));
        assert!(
            !s("$ ldapsearch -x -D cn=admin,dc=ex,dc=org -w LdapAdm1n -b dc=ex")
                .contains("LdapAdm1n")
        );
        assert_eq!(
            s("$ grep -c -w error app.log"),
            "$ grep -c -w error app.log"
        );
    }

    #[test]
    fn tokens_by_prefix_context_and_key() {
        for (text, secret) in [
            (
                "sendgrid: SG.aB3dE5fG7hI9jK1lM3nO5p.Q7rS9tU1vW3xY5zA7bC9dE1fG3hI5jK7lM9nO1pQ3",
                "SG.aB3",
            ),
            (
                "vault token hvs.CAESIJ8kLq2WvB9IrXyZaBcDeFgHiJkLmNoPqRs ttl=768h",
                "hvs.CAES",
            ),
            (
                "hf download with hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
                "hf_aBc",
            ),
            (
                "the signing secret is 8a7d9f3c1b5e2d4a6c8e0f1a3b5c7d9e, rotate it",
                "8a7d9f3c",
            ),
            (
                "session_id=9f1c2a7d4e8b6a3c5f0e2d9b7a4c1e8f6b3d0a2c user=u_1",
                "9f1c2a7d",
            ),
            (
                "&X-Goog-Signature=7a1b9c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f",
                "7a1b9c3d",
            ),
        ] {
            assert!(!s(text).contains(secret), "{text} -> {}", s(text));
        }
        for kept in [
            "token_type=Bearer expires_in=3600",
            "commit 9f1c2a7d4e8b6a3c5f0e2d9b7a4c1e8f6b3d0a2c deployed",
            "sessionId=7c9e6679-7425-40de-944b-e07fc1f90ae7",
            "key-value store ready",
        ] {
            assert_eq!(s(kept), kept);
        }
    }

    #[test]
    fn chat_content_in_events_and_nested_turns() {
        assert_eq!(
            s("_e{13,33}:Chat received|Please call me back about my loan|#channel:web"),
            "_e{13,33}:Chat received|[content]|#channel:web"
        );
        let line = r#"{"turns": [{"role": "user", "id": "t_81", "content": "my landlord keeps my deposit"}]}"#;
        let out = s(line);
        assert!(
            out.contains("t_81") && out.contains("\"role\": \"user\""),
            "{out}"
        );
        assert!(!out.contains("landlord"), "{out}");
        let mut v: serde_json::Value = serde_json::from_str(
            r#"{"messages": [{"id": "wamid.HBgL", "text": {"body": "Hallo, wo ist mein Paket?"}}]}"#,
        )
        .unwrap();
        let scrubber = Scrubber::with_defaults().unwrap();
        scrubber.scrub_json(&mut v);
        let out = v.to_string();
        assert!(
            out.contains("wamid.HBgL") && !out.contains("Paket"),
            "{out}"
        );
        assert_eq!(
            s("comment=\"I already sent you the photos\""),
            "comment=\"[content]\""
        );
        assert_eq!(
            s("INFO inbox new message from user u_4412: \"Are you open on Sunday?\""),
            "INFO inbox new message from user u_4412: \"[content]\""
        );
        assert_eq!(
            s("Kunde schrieb: \"Wo bleibt mein Paket?\""),
            "Kunde schrieb: \"[content]\""
        );
        for kept in [
            "error message from upstream: \"connection refused by peer\"",
            "replied with status \"OK\"",
        ] {
            assert_eq!(s(kept), kept);
        }
    }
}
