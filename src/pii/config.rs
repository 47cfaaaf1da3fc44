//! Scrubber configuration: actions, detectors, key rules and the validating builder.

use std::fmt;

use super::hash::Keyed;
use super::keys::{default_key_rules, KeyPattern, RuleIndex};

/// Smallest accepted length, in bytes, of a configured hash key.
pub const MIN_HASH_KEY_LEN: usize = 16;

/// Largest accepted cache capacity (entries).
pub const MAX_CACHE_CAPACITY: usize = 1 << 20;

/// Longest accepted rule label, in bytes.
pub const MAX_LABEL_LEN: usize = 24;

/// What happens to a value that a rule or detector matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Replace with a bracketed placeholder naming the kind, e.g. `[email]`.
    Mask,
    /// Replace with a keyed hash token `<label>_<16 hex>` (HMAC-SHA256, truncated to 64 bits):
    /// the same input under the same key always gives the same token, so values stay
    /// joinable without being readable.
    Hash,
    /// Remove the value. Inside free text the matched bytes are deleted; under a JSON key
    /// the whole member is removed; a tag or attribute is dropped.
    Drop,
}

/// The value detectors: shapes of PII recognised wherever they appear in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Detector {
    /// E-mail addresses (`local@domain.tld`).
    Email,
    /// Phone numbers, international (`+44 20 7946 0958`) and national (`(555) 123-4567`,
    /// `06 12 34 56 78`) formats.
    Phone,
    /// Payment card numbers (13-19 digits, known issuer prefix, Luhn-checked).
    PaymentCard,
    /// IPv4 addresses (loopback and `0.0.0.0` are kept).
    Ipv4,
    /// IPv6 addresses (`::1` and `::` are kept).
    Ipv6,
    /// JSON Web Tokens (`eyJ….eyJ….sig`).
    Jwt,
    /// The credential after an HTTP `Bearer` or `Basic` scheme word.
    BearerToken,
    /// Well-known API key shapes: `sk-…`, `sk_live_…`, `AKIA…`, `ghp_…`, `github_pat_…`,
    /// `xox[bpars]-…`, `AIza…`, `glpat-…`.
    ApiKey,
    /// International bank account numbers (country length table and mod-97 check).
    Iban,
    /// US social security numbers in `AAA-GG-SSSS` form.
    Ssn,
    /// The `user:password` part of a URL such as `https://user:pass@host/`.
    UrlCredentials,
    /// IMEI device ids (15 digits, Luhn-checked).
    Imei,
    /// National ids with a check digit or a fixed shape: UK NINO, ES NIF/NIE, IT codice
    /// fiscale, PL PESEL, IN Aadhaar (Verhoeff).
    NationalId,
    /// US ABA routing numbers (checksum), next to a routing word.
    RoutingNumber,
    /// Crypto wallet addresses: base58check, bech32, `0x` + 40 hex.
    CryptoWallet,
    /// PEM private key blocks (`-----BEGIN … PRIVATE KEY-----`).
    PrivateKey,
    /// The user name in home-directory paths (`/home/<user>`, `C:\Users\<user>`).
    HomePath,
    /// Long high-entropy tokens (mixed case and digits), or shorter ones right after a
    /// credential word (`-p`, `token`, `secret`, `password`).
    GenericSecret,
    /// Person names in free text: gazetteer names with context (titles, salutations, two
    /// adjacent name tokens).
    PersonName,
    /// Postal addresses in free text: house number + street type, postcode shapes.
    PostalAddress,
    /// Dates of birth: a date after a birth word (`born`, `geboren`, `nacido`, `né`) or a
    /// standalone calendar date with a year from 1920 to 2010 (logs rarely carry old
    /// dates that are not birth dates). Timestamps (a time follows) are kept.
    DateOfBirth,
    /// Bank account numbers in prose: 6-20 digits (or a sort code `40-47-84`) right after an
    /// account word (`account no.`, `acct`, `Konto`, `cuenta`, `compte`, `conto`, `rachunek`).
    BankAccount,
    /// Photo and avatar URLs outside photo keys: user-content hosts (`gravatar.com`,
    /// `googleusercontent.com`, `pbs.twimg.com/profile_images`, …), a profile-photo path
    /// segment (`/avatars/`, `/profile-pictures/`, `/users/42/avatar.png`), or an image URL
    /// right after a photo word (`profile picture is at https://…/x.jpg`).
    PhotoUrl,
}

impl Detector {
    /// Every detector, in the order they are tried.
    pub const ALL: [Detector; 23] = [
        Detector::PrivateKey,
        Detector::UrlCredentials,
        Detector::Jwt,
        Detector::BearerToken,
        Detector::ApiKey,
        Detector::Email,
        Detector::Iban,
        Detector::Ssn,
        Detector::Ipv4,
        Detector::PaymentCard,
        Detector::Phone,
        Detector::Ipv6,
        Detector::Imei,
        Detector::NationalId,
        Detector::RoutingNumber,
        Detector::CryptoWallet,
        Detector::HomePath,
        Detector::GenericSecret,
        Detector::PersonName,
        Detector::PostalAddress,
        Detector::DateOfBirth,
        Detector::BankAccount,
        Detector::PhotoUrl,
    ];

    /// The label used in placeholders (`[label]`) and hash tokens (`label_…`).
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Detector::Email => "email",
            Detector::Phone => "phone",
            Detector::PaymentCard => "card",
            Detector::Ipv4 | Detector::Ipv6 => "ip",
            Detector::Jwt => "jwt",
            Detector::BearerToken => "token",
            Detector::ApiKey => "api_key",
            Detector::Iban => "iban",
            Detector::Ssn => "ssn",
            Detector::UrlCredentials => "credentials",
            Detector::Imei => "imei",
            Detector::NationalId => "national_id",
            Detector::RoutingNumber => "routing_number",
            Detector::CryptoWallet => "wallet",
            Detector::PrivateKey => "private_key",
            Detector::HomePath => "user",
            Detector::GenericSecret => "secret",
            Detector::PersonName => "name",
            Detector::PostalAddress => "address",
            Detector::DateOfBirth => "dob",
            Detector::BankAccount => "bank_account",
            Detector::PhotoUrl => "photo_url",
        }
    }

    pub(crate) const fn index(self) -> usize {
        match self {
            Detector::UrlCredentials => 0,
            Detector::Jwt => 1,
            Detector::BearerToken => 2,
            Detector::ApiKey => 3,
            Detector::Email => 4,
            Detector::Iban => 5,
            Detector::Ssn => 6,
            Detector::Ipv4 => 7,
            Detector::PaymentCard => 8,
            Detector::Phone => 9,
            Detector::Ipv6 => 10,
            Detector::Imei => 11,
            Detector::NationalId => 12,
            Detector::RoutingNumber => 13,
            Detector::CryptoWallet => 14,
            Detector::PrivateKey => 15,
            Detector::HomePath => 16,
            Detector::GenericSecret => 17,
            Detector::PersonName => 18,
            Detector::PostalAddress => 19,
            Detector::DateOfBirth => 20,
            Detector::BankAccount => 21,
            Detector::PhotoUrl => 22,
        }
    }
}

/// A rule that makes the value under a matching key sensitive, whatever it holds.
///
/// Keys are compared word by word, case-insensitively, across `snake_case`, `camelCase`,
/// `kebab-case`, dotted and header spellings: the rule `api_key` matches `api_key`, `apiKey`,
/// `API-KEY`, `X-Api-Key`, `apikey` and `client.api_key`. A rule matches when the key's last
/// words spell the rule, so `first_name` matches `user.firstName`. Words listed with
/// [`KeyRule::except`] before the rule stop the match (`host_name` is not a person's name).
#[derive(Clone, PartialEq, Eq)]
pub struct KeyRule {
    pub(crate) pattern: KeyPattern,
    pub(crate) label: String,
    pub(crate) action: Action,
    /// Applies in free text only to query-string parameters (`?user=…`), where the value is
    /// a login rather than an id.
    pub(crate) weak: bool,
    /// Applies only to values without digits (`customer=Ann Lee`, not `customer=cus_42`).
    pub(crate) soft: bool,
    /// Does not apply inside a structured log record (an object or line that also has a
    /// `level`/`severity` key): there `message` is the log message, scanned as text, not
    /// what a person wrote.
    pub(crate) log_field: bool,
    /// Applies only to opaque credential-like values (16+ bytes of token characters with a
    /// letter and a digit, not a UUID): `session_id=9f1c…`, not `sessionId: s-42`.
    pub(crate) opaque: bool,
}

impl KeyRule {
    /// A rule for `key` whose values are replaced with `[label]` (or hashed, or dropped, per
    /// `action`). `label` must be 1-24 bytes of `a-z`, `0-9` or `_`; checked by
    /// [`ScrubberConfigBuilder::build`].
    #[must_use]
    pub fn new(key: &str, label: &str, action: Action) -> KeyRule {
        KeyRule {
            pattern: KeyPattern::new(key),
            label: label.to_owned(),
            action,
            weak: false,
            soft: false,
            log_field: false,
            opaque: false,
        }
    }

    /// Adds a word that, when it comes right before the rule's words, means the key is not
    /// sensitive (e.g. `host` for the rule `name`).
    #[must_use]
    pub fn except(mut self, word: &str) -> KeyRule {
        self.pattern.add_exception(word);
        self
    }

    /// The label used in placeholders and hash tokens.
    #[must_use]
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The action applied to matched values.
    #[must_use]
    pub fn action(&self) -> Action {
        self.action
    }
}

impl fmt::Debug for KeyRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRule")
            .field("key", &self.pattern.text())
            .field("label", &self.label)
            .field("action", &self.action)
            .finish()
    }
}

/// Why a [`ScrubberConfig`] was rejected. Messages name the field at fault and never contain
/// key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The configured `hash_key` is shorter than [`MIN_HASH_KEY_LEN`].
    #[error("hash_key must be at least 16 bytes, got {len}")]
    HashKeyTooShort {
        /// Length of the rejected key in bytes.
        len: usize,
    },
    /// No `hash_key` was configured and no random one could be generated.
    #[error("hash_key could not be generated: no entropy source available")]
    NoEntropy,
    /// A key rule has no alphanumeric characters to match on.
    #[error("key_rule #{index} has an empty key")]
    EmptyKeyRule {
        /// Position of the rule among the user-added rules.
        index: usize,
    },
    /// A key rule label is empty, too long, or uses characters other than `a-z0-9_`.
    #[error("key_rule #{index} has an invalid label (1-24 bytes of a-z, 0-9, _)")]
    InvalidLabel {
        /// Position of the rule among the user-added rules.
        index: usize,
    },
    /// `cache_capacity` is zero or above [`MAX_CACHE_CAPACITY`].
    #[error("cache_capacity must be between 1 and 1048576, got {capacity}")]
    CacheCapacity {
        /// The rejected capacity.
        capacity: usize,
    },
}

/// Validated scrubber configuration. Build one with [`ScrubberConfig::builder`], then hand it
/// to [`Scrubber::new`](super::Scrubber::new).
#[derive(Clone)]
pub struct ScrubberConfig {
    pub(crate) keyed: Keyed,
    pub(crate) key_rules: Vec<KeyRule>,
    pub(crate) rule_index: RuleIndex,
    pub(crate) detectors: [Option<Action>; Detector::ALL.len()],
    pub(crate) cache_capacity: usize,
}

impl ScrubberConfig {
    /// Starts a builder with the product PII rules.
    #[must_use]
    pub fn builder() -> ScrubberConfigBuilder {
        ScrubberConfigBuilder::default()
    }

    /// The active key rules, user rules first, then the defaults.
    #[must_use]
    pub fn key_rules(&self) -> &[KeyRule] {
        &self.key_rules
    }

    /// The action for `detector`, or `None` when it is disabled.
    #[must_use]
    pub fn detector_action(&self, detector: Detector) -> Option<Action> {
        self.detectors.get(detector.index()).copied().flatten()
    }
}

impl fmt::Debug for ScrubberConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScrubberConfig")
            .field("hash_key", &"<redacted>")
            .field("key_rules", &self.key_rules.len())
            .field("detectors", &self.detectors)
            .field("cache_capacity", &self.cache_capacity)
            .finish_non_exhaustive()
    }
}

/// Builder for [`ScrubberConfig`]. Setters are infallible; [`build`](Self::build) validates.
#[derive(Clone)]
pub struct ScrubberConfigBuilder {
    hash_key: Option<Vec<u8>>,
    user_rules: Vec<KeyRule>,
    default_rules: bool,
    detectors: [Option<Action>; Detector::ALL.len()],
    cache_capacity: usize,
}

impl Default for ScrubberConfigBuilder {
    fn default() -> Self {
        ScrubberConfigBuilder {
            hash_key: None,
            user_rules: Vec::new(),
            default_rules: true,
            detectors: [Some(Action::Mask); Detector::ALL.len()],
            cache_capacity: 4096,
        }
    }
}

impl fmt::Debug for ScrubberConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScrubberConfigBuilder")
            .field("hash_key", &self.hash_key.as_ref().map(|_| "<redacted>"))
            .field("user_rules", &self.user_rules)
            .field("default_rules", &self.default_rules)
            .field("detectors", &self.detectors)
            .field("cache_capacity", &self.cache_capacity)
            .finish()
    }
}

impl ScrubberConfigBuilder {
    /// Secret key for [`Action::Hash`] tokens and
    /// [`Scrubber::pseudonymize`](super::Scrubber::pseudonymize); at least 16 bytes. Use the
    /// same key everywhere tokens must join. Defaults to a random key drawn once per
    /// configuration, so tokens are stable only within the process.
    #[must_use]
    pub fn hash_key(mut self, key: impl Into<Vec<u8>>) -> Self {
        self.hash_key = Some(key.into());
        self
    }

    /// Adds a key rule, checked before the defaults. Defaults to none beyond the product rules.
    #[must_use]
    pub fn key_rule(mut self, rule: KeyRule) -> Self {
        self.user_rules.push(rule);
        self
    }

    /// Whether the product PII key rules (email, phone, names, address, secrets, message
    /// content, photo URLs) are active. Defaults to `true`.
    #[must_use]
    pub fn default_key_rules(mut self, enabled: bool) -> Self {
        self.default_rules = enabled;
        self
    }

    /// Turns a detector off. Defaults to every detector on.
    #[must_use]
    pub fn disable_detector(mut self, detector: Detector) -> Self {
        if let Some(slot) = self.detectors.get_mut(detector.index()) {
            *slot = None;
        }
        self
    }

    /// Sets (and enables) the action of a detector. Defaults to [`Action::Mask`].
    #[must_use]
    pub fn detector_action(mut self, detector: Detector, action: Action) -> Self {
        if let Some(slot) = self.detectors.get_mut(detector.index()) {
            *slot = Some(action);
        }
        self
    }

    /// Entries kept by the tag-value cache before it is cleared (1 to 1,048,576).
    /// Defaults to 4096.
    #[must_use]
    pub fn cache_capacity(mut self, capacity: usize) -> Self {
        self.cache_capacity = capacity;
        self
    }

    /// Validates and returns the configuration. Draws a random hash key when none was set.
    ///
    /// # Errors
    /// [`ConfigError`] naming the field at fault.
    pub fn build(self) -> Result<ScrubberConfig, ConfigError> {
        let hash_key = match self.hash_key {
            Some(key) if key.len() < MIN_HASH_KEY_LEN => {
                return Err(ConfigError::HashKeyTooShort { len: key.len() })
            }
            Some(key) => key,
            None => {
                let mut key = vec![0_u8; 32];
                getrandom::fill(&mut key).map_err(|_| ConfigError::NoEntropy)?;
                key
            }
        };
        if self.cache_capacity == 0 || self.cache_capacity > MAX_CACHE_CAPACITY {
            return Err(ConfigError::CacheCapacity {
                capacity: self.cache_capacity,
            });
        }
        for (index, rule) in self.user_rules.iter().enumerate() {
            if rule.pattern.is_empty() {
                return Err(ConfigError::EmptyKeyRule { index });
            }
            if !valid_label(&rule.label) {
                return Err(ConfigError::InvalidLabel { index });
            }
        }
        let mut key_rules = self.user_rules;
        if self.default_rules {
            key_rules.extend(default_key_rules());
        }
        let keyed = Keyed::new(&hash_key).ok_or(ConfigError::HashKeyTooShort {
            len: hash_key.len(),
        })?;
        Ok(ScrubberConfig {
            keyed,
            rule_index: RuleIndex::new(&key_rules),
            key_rules,
            detectors: self.detectors,
            cache_capacity: self.cache_capacity,
        })
    }
}

fn valid_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= MAX_LABEL_LEN
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}
