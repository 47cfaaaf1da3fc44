//! Key rules: word-wise, case-insensitive matching of field names, without allocating.

use super::config::{Action, KeyRule};

/// How many trailing alphanumeric bytes of a key take part in matching.
const KEY_WINDOW: usize = 64;

/// A rule's key, stored as its lower-case alphanumeric spelling plus exception words.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct KeyPattern {
    text: String,
    concat: Vec<u8>,
    exceptions: Vec<Vec<u8>>,
    /// Also matches glued to the end of an all-caps key without a word break
    /// (`DBPASSWORD`, `GITHUBTOKEN`).
    glued: bool,
    /// The last (up to) four bytes of `concat`, packed as in [`NormalizedKey::tail4`], and
    /// the mask of the bytes present: one compare rejects almost every rule.
    tail4: u32,
    tail_mask: u32,
}

/// The last four bytes of `s` packed little-end-last (`s[n-1]` in the low byte) and a mask
/// of the bytes that exist.
fn pack_tail(s: &[u8]) -> (u32, u32) {
    let mut v = 0_u32;
    let mut mask = 0_u32;
    for (k, &c) in s.iter().rev().take(4).enumerate() {
        v |= u32::from(c) << (8 * k);
        mask |= 0xff << (8 * k);
    }
    (v, mask)
}

impl KeyPattern {
    pub(crate) fn new(key: &str) -> KeyPattern {
        let concat = squash(key);
        let (tail4, tail_mask) = pack_tail(&concat);
        KeyPattern {
            text: key.to_owned(),
            concat,
            exceptions: Vec::new(),
            glued: false,
            tail4,
            tail_mask,
        }
    }

    pub(crate) fn add_exception(&mut self, word: &str) {
        let word = squash(word);
        if !word.is_empty() {
            self.exceptions.push(word);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.concat.is_empty()
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// Whether the normalized key ends with this pattern at a word start and is not preceded
    /// by an exception word.
    fn matches(&self, key: &NormalizedKey) -> bool {
        let n = key.len;
        let m = self.concat.len();
        if m == 0 || m > n || (key.tail4 & self.tail_mask) != self.tail4 {
            return false;
        }
        let start = n - m;
        let (Some(tail), Some(head)) = (key.buf.get(start..n), key.buf.get(..start)) else {
            return false;
        };
        if tail != self.concat.as_slice() {
            return false;
        }
        if !key.is_word_start(start) {
            return self.glued && !key.has_lower && m >= 5;
        }
        if start == 0 || self.exceptions.is_empty() {
            return true;
        }
        let prev_start = (0..start)
            .rev()
            .find(|&j| key.is_word_start(j))
            .unwrap_or(0);
        let prev = head.get(prev_start..).unwrap_or(&[]);
        !self.exceptions.iter().any(|e| e.as_slice() == prev)
    }
}

fn squash(key: &str) -> Vec<u8> {
    key.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_lowercase())
        .collect()
}

/// The last [`KEY_WINDOW`] alphanumeric bytes of a key, lower-cased, with word starts marked
/// (after a separator, and at lower-to-upper case changes).
pub(crate) struct NormalizedKey {
    buf: [u8; KEY_WINDOW],
    len: usize,
    starts: u64,
    has_lower: bool,
    /// The last four normalized bytes, packed as by `pack_tail`.
    tail4: u32,
}

impl NormalizedKey {
    pub(crate) fn new(key: &[u8]) -> NormalizedKey {
        let mut out = NormalizedKey {
            buf: [0; KEY_WINDOW],
            len: 0,
            starts: 0,
            has_lower: key.iter().any(u8::is_ascii_lowercase),
            tail4: 0,
        };
        // Find where the window of the last KEY_WINDOW alphanumerics begins.
        let mut count = 0;
        let mut from = 0;
        for (i, b) in key.iter().enumerate().rev() {
            if b.is_ascii_alphanumeric() {
                count += 1;
                if count == KEY_WINDOW {
                    from = i;
                    break;
                }
            }
        }
        let mut prev: Option<u8> = None;
        for &b in key.get(from..).unwrap_or(&[]) {
            if b.is_ascii_alphanumeric() {
                let boundary = match prev {
                    None => true,
                    Some(p) => {
                        !p.is_ascii_alphanumeric()
                            || ((p.is_ascii_lowercase() || p.is_ascii_digit())
                                && b.is_ascii_uppercase())
                    }
                };
                if let Some(slot) = out.buf.get_mut(out.len) {
                    *slot = b.to_ascii_lowercase();
                    if boundary {
                        out.starts |= 1 << out.len;
                    }
                    out.len += 1;
                }
            }
            prev = Some(b);
        }
        out.tail4 = pack_tail(out.buf.get(..out.len).unwrap_or(&[])).0;
        out
    }

    fn is_word_start(&self, j: usize) -> bool {
        j == 0 || (j < KEY_WINDOW && self.starts & (1 << j) != 0)
    }
}

/// Rules bucketed by the last two bytes of their key, so a lookup only tries the rules that
/// can end the way the key ends (first-match order is kept inside each bucket).
#[derive(Clone, Default)]
pub(crate) struct RuleIndex {
    buckets: Vec<Vec<Candidate>>,
}

/// A rule in a bucket, with its packed tail beside it: a key is checked against a
/// bucket without reading the rules themselves.
#[derive(Clone, Copy)]
struct Candidate {
    tail4: u32,
    tail_mask: u32,
    rule: usize,
}

/// The bucket of a key ending in `last` with `prev` before it (`None`: no byte before).
fn bucket2(last: u8, prev: Option<u8>) -> usize {
    bucket_of(last) * 37 + prev.map_or(36, bucket_of)
}

fn bucket_of(c: u8) -> usize {
    match c {
        b'0'..=b'9' => usize::from(c - b'0'),
        b'a'..=b'z' => usize::from(c - b'a') + 10,
        _ => 36,
    }
}

impl RuleIndex {
    pub(crate) fn new(rules: &[KeyRule]) -> RuleIndex {
        let mut buckets = vec![Vec::new(); 37 * 37];
        for (k, rule) in rules.iter().enumerate() {
            let k = Candidate {
                tail4: rule.pattern.tail4,
                tail_mask: rule.pattern.tail_mask,
                rule: k,
            };
            let c = &rule.pattern.concat;
            let Some(&last) = c.last() else {
                continue;
            };
            if c.len() >= 2 {
                let prev = c.get(c.len() - 2).copied();
                if let Some(bucket) = buckets.get_mut(bucket2(last, prev)) {
                    bucket.push(k);
                }
            } else {
                // a one-letter key ends any key that ends in that letter
                for p in 0..37 {
                    if let Some(bucket) = buckets.get_mut(bucket_of(last) * 37 + p) {
                        bucket.push(k);
                    }
                }
            }
        }
        RuleIndex { buckets }
    }
}

/// First rule matching `key`, if any. Allocation-free.
pub(crate) fn find_rule<'r>(
    rules: &'r [KeyRule],
    index: &RuleIndex,
    key: &[u8],
) -> Option<&'r KeyRule> {
    // The key's last four letters and digits, lower-cased and packed as a normalized
    // key's `tail4`: most keys end like no rule of their bucket, and are turned away
    // here without being normalized (callgrind: 366 → 303 instructions for `route`).
    let mut tail = 0_u32;
    let mut n = 0;
    for c in key
        .iter()
        .rev()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(4)
    {
        tail |= u32::from(c.to_ascii_lowercase()) << (8 * n);
        n += 1;
    }
    if n == 0 {
        return None;
    }
    let (last, prev) = (tail as u8, (n >= 2).then_some((tail >> 8) as u8));
    let bucket = index.buckets.get(bucket2(last, prev))?;
    let mut candidates = bucket
        .iter()
        .filter(|c| tail & c.tail_mask == c.tail4)
        .filter_map(|c| rules.get(c.rule))
        .peekable();
    if candidates.peek().is_none() {
        // Only `password_<qualifier>` keys can still match.
        let mut letters = key
            .iter()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(u8::to_ascii_lowercase);
        let head = [
            letters.next().unwrap_or(0),
            letters.next().unwrap_or(0),
            letters.next().unwrap_or(0),
        ];
        if &head != b"pas" && &head != b"pwd" {
            return None;
        }
        return password_first(rules, &NormalizedKey::new(key));
    }
    let normalized = NormalizedKey::new(key);
    candidates
        .find(|r| r.pattern.matches(&normalized))
        .or_else(|| password_first(rules, &normalized))
}

#[cfg(test)]
mod find_rule_tests {
    use super::*;

    /// `find_rule` (bucketed, tails first) agrees with trying every rule in order on
    /// each rule's own spellings, decorated, and on keys that match nothing.
    #[test]
    fn the_fast_path_agrees_with_a_full_scan() {
        let rules = default_key_rules();
        let index = RuleIndex::new(&rules);
        let scan = |key: &str| {
            let normalized = NormalizedKey::new(key.as_bytes());
            rules
                .iter()
                .find(|r| r.pattern.matches(&normalized))
                .or_else(|| password_first(&rules, &normalized))
                .map(|r| r.label.clone())
        };
        let mut keys: Vec<String> = [
            "route",
            "attempt",
            "a",
            "",
            "_",
            "x9",
            "status_code",
            "pwd",
            "passwordNew",
            "password_v2",
            "pass_hint",
            "pwdConfirm",
        ]
        .iter()
        .map(|k| (*k).to_owned())
        .collect();
        for r in &rules {
            let t = r.pattern.text();
            let camel: String = t
                .split('_')
                .enumerate()
                .map(|(i, w)| {
                    let mut c = w.chars();
                    match (i, c.next()) {
                        (0, Some(f)) => f.to_string() + c.as_str(),
                        (_, Some(f)) => f.to_ascii_uppercase().to_string() + c.as_str(),
                        _ => String::new(),
                    }
                })
                .collect();
            for k in [
                t.to_owned(),
                t.to_uppercase(),
                camel,
                format!("user_{t}"),
                format!("host_{t}"),
                format!("{t}_id"),
                format!("{t}s"),
                format!("DB{}", t.to_uppercase()),
                format!("x-{t}"),
                t.get(1..).unwrap_or("").to_owned(),
            ] {
                keys.push(k);
            }
        }
        for k in &keys {
            let fast = find_rule(&rules, &index, k.as_bytes()).map(|r| r.label.clone());
            assert_eq!(fast, scan(k), "{k}");
        }
    }
}

/// `password_v2`, `passwordNew`, `pwd_confirm`: a password word first, then a qualifier
/// that still names a password.
fn password_first<'r>(rules: &'r [KeyRule], key: &NormalizedKey) -> Option<&'r KeyRule> {
    if !(key.buf.starts_with(b"pass") || key.buf.starts_with(b"pwd")) {
        return None;
    }
    let first_end = (1..key.len).find(|&j| key.is_word_start(j))?;
    let first = key.buf.get(..first_end)?;
    if !matches!(
        first,
        b"password" | b"passwd" | b"pwd" | b"passphrase" | b"pass"
    ) {
        return None;
    }
    let last_start = (1..key.len).rev().find(|&j| key.is_word_start(j))?;
    let last = key.buf.get(last_start..key.len)?;
    let qualifier = matches!(
        last,
        b"new"
            | b"old"
            | b"confirm"
            | b"confirmation"
            | b"again"
            | b"repeat"
            | b"plain"
            | b"plaintext"
            | b"clear"
            | b"cleartext"
            | b"raw"
            | b"value"
            | b"current"
            | b"temp"
            | b"tmp"
            | b"1"
            | b"2"
            | b"v1"
            | b"v2"
            | b"v3"
            | b"prev"
            | b"previous"
    ) || (last.first() == Some(&b'v')
        && last
            .get(1..)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit)));
    if !qualifier {
        return None;
    }
    rules
        .iter()
        .find(|r| r.pattern.concat == b"password" && r.label == "secret")
}

/// Whether a matched rule really applies to `value`: counts under `messages=`/`name=` and
/// identifiers under a bare `name` (metric names, `ENV_VAR` names) are not personal data.
/// Weak rules (`user`, `login`) apply only inside a query string (`in_query`), to values
/// without digits (ids and pseudonyms have them).
pub(crate) fn rule_applies(rule: &KeyRule, key: &[u8], value: &[u8], in_query: bool) -> bool {
    let label = rule.label.as_str();
    if matches!(value, b"true" | b"false" | b"null" | b"None" | b"nil") {
        return false; // a flag or an absent value, not the thing itself
    }
    if matches!(value, b"YES" | b"NO" | b"YES)" | b"NO)") {
        return false; // MySQL's `(using password: YES)`
    }
    if key == b"PWD" && matches!(value.first(), Some(b'/' | b'~')) {
        return false; // the working directory (`sudo: … ; PWD=/srv ;`), not a password
    }
    if matches!(label, "name" | "content")
        && !value.is_empty()
        && value
            .iter()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b',' | b'-' | b' '))
    {
        return false;
    }
    if rule.soft && squash_ends(key, b"agent") && !value.first().is_some_and(u8::is_ascii_uppercase)
    {
        return false; // `agent=datadog`, `agent: otel-collector`: software, not a person
    }
    if rule.opaque && !opaque_token(value) {
        return false;
    }
    if label == "content" && (value.starts_with(b"CN=") || value.starts_with(b"/CN=")) {
        return false; // a certificate's subject, not a mail's
    }
    if label == "name" && service_account(value) {
        return false; // `svc_backup`, `system:serviceaccount:…`: not a person
    }
    let name_like = value
        .iter()
        .all(|&c| c.is_ascii_alphabetic() || c >= 0x80 || matches!(c, b' ' | b'\'' | b'-' | b'.'));
    // `owner: Dana Whitfield`: a weak key (`user`, `owner`) holding a full name
    let full_name = rule.weak && full_name(value);
    if rule.weak && !full_name && (!in_query || value.iter().any(u8::is_ascii_digit))
        || rule.soft && !name_like
    {
        return false;
    }
    if label == "name" && squash_eq(key, b"name") {
        // `payments.api`, `fluent_bit`, `fluent-bit`: a lower-case identifier
        let ident = !value.contains(&b' ')
            && (value.contains(&b'.') || value.contains(&b'_') || value.contains(&b'-'))
            && !value.first().is_some_and(u8::is_ascii_uppercase);
        let env = value.len() > 1
            && value
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
            && value.contains(&b'_');
        if ident || env {
            return false;
        }
    }
    true
}

/// An opaque credential: 16-512 bytes of token characters (`A-Za-z0-9` and `-_.~+/=%:`)
/// with a letter and a digit, not a UUID (`7c9e6679-7425-40de-…`, kept as a correlation id).
pub(crate) fn opaque_token(value: &[u8]) -> bool {
    let token = (16..=512).contains(&value.len())
        && value.iter().all(|&c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    b'-' | b'_' | b'.' | b'~' | b'+' | b'/' | b'=' | b'%' | b':'
                )
        })
        && value.iter().any(u8::is_ascii_digit)
        && value.iter().any(u8::is_ascii_alphabetic);
    let uuid = value.len() == 36
        && value.iter().enumerate().all(|(k, &c)| {
            if matches!(k, 8 | 13 | 18 | 23) {
                c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    token && !uuid
}

/// A service or system account (`svc_backup`, `svc-deploy`, `sa-ci`, `bot-release`,
/// `system:serviceaccount:ns:name`): not a person's login.
fn service_account(value: &[u8]) -> bool {
    const PREFIXES: &[&[u8]] = &[
        b"svc_",
        b"svc-",
        b"svc.",
        b"sa-",
        b"sa_",
        b"bot-",
        b"bot_",
        b"system:",
        b"service-",
        b"service_",
    ];
    PREFIXES.iter().any(|p| value.starts_with(p))
}

/// Keys that make an object or a line a structured log record.
const LEVEL_KEYS: &[&[u8]] = &[
    b"level",
    b"severity",
    b"lvl",
    b"loglevel",
    b"levelname",
    b"log.level",
    b"log_level",
];

/// Whether `key` names a log level (`level`, `severity`, `log.level`).
pub(crate) fn is_level_key(key: &[u8]) -> bool {
    LEVEL_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// Whether a line is a structured log record: a level key written as `level=`, `"level":`,
/// `severity: ` somewhere in it.
pub(crate) fn has_level_key(b: &[u8]) -> bool {
    LEVEL_KEYS.iter().any(|k| {
        b.windows(k.len()).enumerate().any(|(p, w)| {
            w.eq_ignore_ascii_case(k)
                && !b
                    .get(p.wrapping_sub(1))
                    .is_some_and(u8::is_ascii_alphanumeric)
                && {
                    let mut q = p + k.len();
                    if b.get(q) == Some(&b'"') || b.get(q) == Some(&b'\'') {
                        q += 1;
                    }
                    while b.get(q) == Some(&b' ') {
                        q += 1;
                    }
                    matches!(b.get(q), Some(b'=' | b':'))
                }
        })
    })
}

/// Two or three capitalised words of letters (`Dana Whitfield`, `María José Núñez`).
fn full_name(value: &[u8]) -> bool {
    let words = value.split(|&c| c == b' ');
    let mut n = 0;
    for w in words {
        n += 1;
        let ok = w.len() >= 2
            && w.first()
                .is_some_and(|c| c.is_ascii_uppercase() || *c >= 0xC0)
            && w.get(1)
                .is_some_and(|c| c.is_ascii_lowercase() || *c >= 0x80)
            && w.iter()
                .all(|&c| c.is_ascii_alphabetic() || c >= 0x80 || matches!(c, b'-' | b'\''));
        if !ok {
            return false;
        }
    }
    (2..=3).contains(&n)
}

/// Whether the key's letters and digits end with `word` (lower case).
fn squash_ends(key: &[u8], word: &[u8]) -> bool {
    let mut it = key.iter().rev().filter(|c| c.is_ascii_alphanumeric());
    word.iter()
        .rev()
        .all(|&w| it.next().is_some_and(|c| c.to_ascii_lowercase() == w))
}

fn squash_eq(key: &[u8], word: &[u8]) -> bool {
    let mut it = key.iter().filter(|c| c.is_ascii_alphanumeric());
    let mut n = 0;
    for &w in word {
        match it.next() {
            Some(c) if c.to_ascii_lowercase() == w => n += 1,
            _ => return false,
        }
    }
    it.next().is_none() && n == word.len()
}

/// Technical qualifiers that make `…_name` a name of a thing rather than of a person.
#[rustfmt::skip]
const NAME_EXCEPTIONS: &[&str] = &[
    "host", "file", "service", "metric", "operation", "op", "domain", "event", "span", "table",
    "queue", "topic", "bucket", "model", "app", "application", "cluster", "region", "tag",
    "type", "class", "function", "fn", "method", "db", "database", "index", "env", "device",
    "os", "browser", "node", "pod", "container", "image", "job", "task", "field", "column",
    "schema", "product", "plan", "provider", "sink", "channel", "feature", "flag", "key", "dir",
    "path", "module", "package", "bundle", "level", "room", "group", "team", "project", "step",
    "test", "rule", "alert", "slo", "counter", "gauge", "timer", "series", "component",
    "header", "param", "property", "attr", "attribute", "var", "variable", "config", "setting",
    "role", "permission", "scope", "resource", "kind", "category", "status", "state", "action",
    "route", "handler", "endpoint", "api", "tool", "template", "currency", "language", "locale",
    "zone", "timezone", "network", "interface", "server", "instance", "machine", "bot",
    "plugin", "secret", "volume", "certificate", "cert", "repo", "repository", "branch",
    "stage", "workflow", "pipeline", "library", "lib", "font", "site", "config_map", "configmap",
];

#[rustfmt::skip]
const ADDRESS_EXCEPTIONS: &[&str] = &[
    "mac", "memory", "mem", "bind", "listen", "server", "socket", "base", "return", "proxy",
    "contract",
];

#[rustfmt::skip]
const TOKEN_EXCEPTIONS: &[&str] = &[
    "page", "next", "continuation", "pagination", "cursor", "sync", "resume", "max", "input",
    "output", "prompt", "completion", "total",
];

#[rustfmt::skip]
const MESSAGE_EXCEPTIONS: &[&str] = &[
    "error", "err", "status", "exception", "panic", "commit",
];

/// The product PII rules ("PII rules" in the product targets): values under these keys never
/// leave the process, whatever they hold.
#[allow(clippy::too_many_lines, reason = "a data table")]
pub(crate) fn default_key_rules() -> Vec<KeyRule> {
    let mut rules = Vec::new();
    let mut add = |keys: &[&str], label: &str, except: &[&str]| {
        for key in keys {
            let mut rule = KeyRule::new(key, label, Action::Mask);
            for word in except {
                rule = rule.except(word);
            }
            if label == "secret" {
                rule.pattern.glued = true;
            }
            rules.push(rule);
        }
    };
    add(
        &["email", "e_mail", "email_address", "emails"],
        "email",
        &[],
    );
    add(
        &[
            "phone",
            "phone_number",
            "phones",
            "mobile_number",
            "telephone",
            "msisdn",
            "fax",
        ],
        "phone",
        &[],
    );
    add(
        &[
            "first_name",
            "last_name",
            "full_name",
            "given_name",
            "family_name",
            "middle_name",
            "maiden_name",
            "surname",
            "user_name",
            "nickname",
            "name",
        ],
        "name",
        NAME_EXCEPTIONS,
    );
    add(&["address"], "address", ADDRESS_EXCEPTIONS);
    add(
        &[
            "street",
            "postal_code",
            "postcode",
            "zip_code",
            "zip",
            "addresses",
            "cep",
            "plz",
            "codigo_postal",
            "code_postal",
            "kod_pocztowy",
            "pincode",
            "strasse",
            "straße",
            "anschrift",
            "line1",
            "line2",
            "address_line1",
            "address_line2",
            "address1",
            "address2",
            "street_address",
        ],
        "address",
        &[],
    );
    add(
        &[
            "password",
            "passwd",
            "pw",
            "pwd",
            "passphrase",
            "secret",
            "api_key",
            "access_key",
            "private_key",
            "secret_key",
            "authorization",
            "auth",
            "cookie",
            "credentials",
            "credential",
            "ssn",
            "card_number",
            "credit_card",
            "cvv",
            "cvc",
            "iban",
        ],
        "secret",
        &[],
    );
    add(&["token"], "secret", TOKEN_EXCEPTIONS);
    // The same rules in the languages of the corpora (ASCII spellings; non-ASCII letters
    // are dropped when keys are compared, so `contraseña` is `contrasea`).
    add(
        &[
            "pass",
            "passwort",
            "kennwort",
            "contrasena",
            "contraseña",
            "senha",
            "haslo",
            "hasło",
            "mot_de_passe",
            "motdepasse",
            "parola_d_ordine",
            "geheimnis",
        ],
        "secret",
        &[],
    );
    add(
        &[
            "vorname",
            "nachname",
            "nombre",
            "apellido",
            "apellidos",
            "prenom",
            "prénom",
            "nom",
            "nome",
            "cognome",
            "sobrenome",
            "imie",
            "imię",
            "nazwisko",
            "naam",
            "display_name",
            "nombre_completo",
            "nome_completo",
            "nom_complet",
            "apellido",
            "apellido1",
            "apellido2",
            // the noun first (`nombre_cliente`) or glued (`Kundenname`)
            "nombre_cliente",
            "nombre_usuario",
            "nombre_del_cliente",
            "nome_cliente",
            "nome_utente",
            "nom_client",
            "nom_du_client",
            "nom_utilisateur",
            "imie_klienta",
            "nazwa_klienta",
            "imie_i_nazwisko",
            "kundenname",
            "benutzername",
            "nutzername",
            "klantnaam",
            "kundnamn",
            // Dutch and Swedish
            "voornaam",
            "achternaam",
            "tussenvoegsel",
            "fornamn",
            "förnamn",
            "efternamn",
            "namn",
        ],
        "name",
        NAME_EXCEPTIONS,
    );
    add(
        &[
            "telefon",
            "telefono",
            "teléfono",
            "telefone",
            "telefonnummer",
            "handy",
            "movil",
            "móvil",
            "celular",
            "cellulare",
            "numer_telefonu",
            "portable",
        ],
        "phone",
        &[],
    );
    add(&["correo", "courriel", "e_post"], "email", &[]);
    add(
        &[
            "adresse",
            "direccion",
            "dirección",
            "endereco",
            "endereço",
            "indirizzo",
            "adres",
            "anschrift",
            "strasse",
            "straße",
            "calle",
            "rua",
            "straat",
            "huisnummer",
            "adress",
            "gatuadress",
            "postnummer",
            "postleitzahl",
            "zipcode",
            "cap_code",
            "cod_postal",
            "codigo_postal",
            "código_postal",
        ],
        "address",
        &[],
    );
    add(
        &[
            "nachricht",
            "mensaje",
            "mensagem",
            "messaggio",
            "wiadomosc",
            "wiadomość",
            "texto",
            "testo",
            "tekst",
            "inhalt",
            "contenido",
            "conteudo",
            "contenu",
        ],
        "content",
        &[],
    );
    add(
        &[
            "date_of_birth",
            "birth_date",
            "birthdate",
            "birthday",
            "dob",
            "geburtsdatum",
            "fecha_nacimiento",
            "fecha_de_nacimiento",
            "data_nascimento",
            "data_de_nascimento",
            "date_naissance",
            "date_de_naissance",
            "data_urodzenia",
            "data_di_nascita",
            "data_nascita",
        ],
        "dob",
        &[],
    );
    add(
        &[
            "otp",
            "otp_code",
            "totp",
            "pin",
            "pin_code",
            "passcode",
            "verification_code",
            "mfa_code",
            "sms_code",
            "security_code",
            "one_time_password",
            "one_time_code",
            "auth_code",
            "routing_number",
            "aba",
            "account_number",
            "account_no",
            "account_num",
            "acct_no",
            "kontonummer",
            "numero_cuenta",
            "bank_account",
            "sort_code",
            "seed_phrase",
            "mnemonic",
            "wallet_address",
            "signature",
            "sig",
            "account_key",
            "signing_key",
            "master_key",
            "encryption_key",
            "license_key",
            "session_token",
            "session_key",
        ],
        "secret",
        &[],
    );
    add(
        &[
            "nino",
            "ni_number",
            "national_insurance_number",
            "national_id",
            "nif",
            "nie",
            "dni",
            "codice_fiscale",
            "pesel",
            "aadhaar",
            "aadhar",
            "pan_number",
            "tax_id",
            "passport",
            "passport_number",
            "driver_license",
            "drivers_license",
            "id_number",
            "imei",
        ],
        "national_id",
        &[],
    );
    add(&["message"], "content", MESSAGE_EXCEPTIONS);
    add(
        &[
            "content",
            "body",
            "text",
            "prompt",
            "transcript",
            "messages",
            // what people write, under the other keys chat and support systems use
            "comment",
            "comments",
            "feedback",
            "preview",
            "reply",
            "snippet",
            "caption",
            "user_message",
            "chat_message",
            "kommentar",
            "comentario",
            "commentaire",
            "commento",
            "komentarz",
        ],
        "content",
        &[],
    );
    add(
        &[
            "photo_url",
            "photo",
            "photos",
            "avatar",
            "avatar_url",
            "picture",
            "picture_url",
            "profile_picture",
            "image_url",
            "profile_image",
            "profile_image_url",
            "profile_photo",
            "profile_pic",
            "headshot",
            "selfie",
            "avatar_image",
        ],
        "photo_url",
        &[],
    );
    // session cookies and ids: secret when they hold an opaque credential
    for key in [
        "session",
        "session_id",
        "sessionid",
        "sid",
        "jsessionid",
        "phpsessid",
        "aspsessionid",
        "session_cookie",
    ] {
        let mut rule = KeyRule::new(key, "secret", Action::Mask);
        rule.opaque = true;
        rules.push(rule);
    }
    // `message` next to a `level` key is a log message, not what a person wrote
    for rule in &mut rules {
        if rule.pattern.text() == "message" {
            rule.log_field = true;
        }
    }
    for key in [
        "user", "login", "username", "owner", "first", "last", "fname", "lname",
    ] {
        let mut rule = KeyRule::new(key, "name", Action::Mask);
        rule.weak = true;
        rules.push(rule);
    }
    for key in [
        "customer",
        "recipient",
        "sender",
        "author",
        "assignee",
        "contact",
        "holder",
        "cardholder",
        "account_holder",
        "beneficiary",
        "passenger",
        "patient",
        "signed_by",
        "attendee",
        "guest",
        "driver",
        "employee",
        // people named under workflow keys (tickets, reviews, approvals) and in the other
        // languages of the corpora
        "reporter",
        "approver",
        "reviewer",
        "requester",
        "requestor",
        "submitter",
        "contact_person",
        "ansprechpartner",
        "bearbeiter",
        "empfaenger",
        "empfänger",
        "responsable",
        "destinatario",
        "destinataire",
        "titular",
        "klant",
        "kund",
        "cliente",
        "kunde",
        "klient",
        "utente",
        "absender",
        "remitente",
        "mittente",
        "nadawca",
        "odbiorca",
        "inhaber",
        "kontoinhaber",
        "karteninhaber",
        "titulaire",
        "intestatario",
        // who did something to a ticket, an order or a document
        "agent",
        "requested_by",
        "created_by",
        "opened_by",
        "updated_by",
        "closed_by",
        "reviewed_by",
        "approved_by",
        "assigned_to",
        "signer",
        "bearbeitet_von",
        "atendido_por",
        "participants",
    ] {
        let mut rule = KeyRule::new(key, "name", Action::Mask);
        rule.soft = true;
        rules.push(rule);
    }
    rules
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn label(key: &str) -> Option<String> {
        let rules = default_key_rules();
        let index = RuleIndex::new(&rules);
        find_rule(&rules, &index, key.as_bytes()).map(|r| r.label.clone())
    }

    #[test]
    fn spellings_match() {
        for key in [
            "firstName",
            "first_name",
            "FIRST-NAME",
            "firstname",
            "user.firstName",
            "lastName",
            "full_name",
            "name",
            "displayName",
            "userName",
            "username",
        ] {
            assert_eq!(label(key).as_deref(), Some("name"), "{key}");
        }
        for key in [
            "api_key",
            "apiKey",
            "api-key",
            "X-Api-Key",
            "APIKEY",
            "password",
            "Authorization",
            "Set-Cookie",
            "accessToken",
            "x-auth-token",
            "client_secret",
        ] {
            assert_eq!(label(key).as_deref(), Some("secret"), "{key}");
        }
        assert_eq!(label("userEmail").as_deref(), Some("email"));
        assert_eq!(label("photoUrl").as_deref(), Some("photo_url"));
        assert_eq!(label("message").as_deref(), Some("content"));
        assert_eq!(label("shipping_address").as_deref(), Some("address"));
    }

    #[test]
    fn session_keys_take_only_opaque_values() {
        let rules = default_key_rules();
        let index = RuleIndex::new(&rules);
        let rule = |k: &str| find_rule(&rules, &index, k.as_bytes()).unwrap();
        for (key, value, applies) in [
            (
                "session_id",
                "9f1c2a7d4e8b6a3c5f0e2d9b7a4c1e8f6b3d0a2c",
                true,
            ),
            ("JSESSIONID", "0A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D", true),
            ("sid", "s_9f1c2a7d4e8b6a3c5f0e", true),
            ("sessionId", "s-2291", false),
            ("sessionId", "7c9e6679-7425-40de-944b-e07fc1f90ae7", false),
            ("session", "expired", false),
        ] {
            assert_eq!(
                rule_applies(rule(key), key.as_bytes(), value.as_bytes(), false),
                applies,
                "{key}={value}"
            );
        }
    }

    #[test]
    fn person_and_content_keys_of_the_fourth_round() {
        let rules = default_key_rules();
        let index = RuleIndex::new(&rules);
        let rule = |k: &str| find_rule(&rules, &index, k.as_bytes()).unwrap();
        let applies = |k: &str, v: &str| rule_applies(rule(k), k.as_bytes(), v.as_bytes(), false);
        assert!(applies("agent", "Giulia"));
        assert!(!applies("agent", "datadog"));
        assert!(applies("requested_by", "Tomasz Kowalczyk"));
        assert!(!applies("created_by", "u_4412"));
        // a mail subject is too often a certificate's or a machine's to be masked whole
        assert_eq!(label("subject"), None);
        assert!(!applies("comment", "CN=api.example.com"));
        assert!(applies("feedback", "The food was cold"));
        assert!(!applies("username", "svc_backup"));
        assert_eq!(label("secretName"), None);
        assert_eq!(label("X-Amz-Signature").as_deref(), Some("secret"));
        assert_eq!(label("profile_image").as_deref(), Some("photo_url"));
    }

    #[test]
    fn technical_keys_do_not_match() {
        for key in [
            "hostname",
            "host_name",
            "serviceName",
            "metric_name",
            "operation",
            "error_message",
            "errorMessage",
            "input_tokens",
            "max_tokens",
            "token_count",
            "token_type",
            "content_type",
            "Content-Length",
            "requestId",
            "latencyMs",
            "mac_address",
            "actorType",
            "",
            "___",
        ] {
            assert_eq!(label(key), None, "{key}");
        }
    }
}
