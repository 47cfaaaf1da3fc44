//! Person names and postal addresses in free text, without a model.
//!
//! * **Names**: small embedded gazetteers of common given names and surnames (English,
//!   German, Spanish, French, Polish, Portuguese, Italian, Hindi), used only with context so
//!   that ordinary capitalised words survive: after a title (`Mr`, `Frau`, `Sr.`, `Mme`,
//!   `Pani`, `Sig.`, `Shri`), after a salutation or sign-off (`Hi`, `Hallo`, `Hola`,
//!   `Bonjour`, `Cześć`, `Olá`, `Ciao`, `Namaste`, `Thanks`, `Cordialement`, …), after a
//!   person word (`user`, `customer`, `Kunde`, …) when the word is a known name, and as two
//!   adjacent capitalised tokens of which the first is a known given name.
//! * **Addresses**: a house number and a street-type word per language (`12 Baker Street`,
//!   `Hauptstraße 5`, `Calle Mayor 12`, `12 rue de Rivoli`, `ul. Długa 7`, `Rua Augusta, 12`,
//!   `Via Roma 3`, `Flat 4, Gandhi Nagar`), then a following postcode shape
//!   (`10115`, `00-950`, `1100-148`, `SW1A 1AA`, `560001`) and city.
#![allow(
    clippy::many_single_char_names,
    reason = "byte scanners read best as b (bytes), i/j (offsets), c (byte)"
)]

use std::collections::HashMap;
use std::sync::OnceLock;

use super::detect::{at, before, is_alnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Given,
    Surname,
    Both,
    /// `Mr`, `Frau`, `Sr`: the next capitalised word(s) are a name whatever they are.
    Title,
    /// `Hi`, `Hola`, `Thanks`, `Cordialement`: the next capitalised word is a name when it
    /// is known or ends the phrase.
    Greeting,
    /// `user`, `customer`: the next word is a name only when it is a known one.
    Person,
}

/// An open-addressing table keyed by the FNV-1a hash of the word: one probe (one cache
/// line) rejects almost every ordinary word.
struct Gazetteer {
    /// Top 16 bits of each slot's hash, `0` for an empty slot: a compact array (32 KiB for
    /// the ~5,400 entries) probed first, so a miss touches one cache line and never the
    /// slots themselves.
    tags: Vec<u16>,
    slots: Vec<Option<Slot>>,
    mask: usize,
    /// For lower-case words: bit [`tri_index`] is set when some entry starts with the same
    /// three bytes (a lower-case letter, a lower-case letter, then a lower-case letter or
    /// anything else), so most lower-case words are rejected without hashing (2.3 KiB).
    lower_tris: Vec<u64>,
}

/// The bit of a word's first three bytes in `lower_tris`, when the first two are lower-case
/// ASCII letters (the third counts as one of 26 letters or as "other").
fn tri_index(w: &[u8]) -> Option<usize> {
    let (&f, &s) = (w.first()?, w.get(1)?);
    if !f.is_ascii_lowercase() || !s.is_ascii_lowercase() {
        return None;
    }
    let t = match w.get(2) {
        Some(&c) if c.is_ascii_lowercase() => usize::from(c - b'a'),
        _ => 26,
    };
    Some((usize::from(f - b'a') * 26 + usize::from(s - b'a')) * 27 + t)
}

#[derive(Clone, Copy)]
struct Slot {
    hash: u64,
    word: &'static [u8],
    kind: Option<Kind>,
    /// Address and prose words (`F_*` bits).
    flags: u16,
}

/// A street type written before the street name (`Calle`, `rue`, `Via`, `ul`).
const F_STREET_BEFORE: u16 = 1;
/// A street type written after the street name (`Street`, `Road`, `Nagar`).
const F_STREET_AFTER: u16 = 2;
/// A particle inside a street name (`de`, `della`, `do`).
const F_PARTICLE: u16 = 4;
/// A word that introduces a house number (`Flat`, `House`, `Apt`).
const F_HOUSE: u16 = 8;
/// A word for a password in prose (`password`, `Passwort`, `senha`).
pub(crate) const F_PASSWORD: u16 = 16;
/// A one-time code word (`OTP`, `PIN`, `TAN`).
pub(crate) const F_OTP: u16 = 32;
/// A word for "code" (`code`, `código`, `kod`), a secret only after a qualifying word.
pub(crate) const F_CODE: u16 = 64;
/// A birth word (`born`, `geboren`, `nacido`, `né`): a date right after it is a birth date.
pub(crate) const F_BORN: u16 = 128;
/// `account`, `acct`, `Konto`, `cuenta`: a bank account number may follow.
pub(crate) const F_ACCOUNT: u16 = 256;
/// A city (`Berlin`, `Mumbai`, `Francisco`): a postcode next to it is a postcode.
pub(crate) const F_CITY: u16 = 512;
/// A postcode word (`ZIP`, `PLZ`, `CAP`, `pincode`, `postnummer`): a postcode may follow.
pub(crate) const F_POSTWORD: u16 = 1024;
/// `SSN`, `Social`: a US social security number may follow, also undashed.
pub(crate) const F_SSN: u16 = 2048;
/// A version word or a product printed with its version (`version`, `build`, `agent`,
/// `kernel`, `nginx`), lower case: a dotted quad after it is a version.
pub(crate) const F_VERSION: u16 = 4096;
/// A word that reports what a person wrote (`wrote`, `says`, `replied`, `schrieb`,
/// `escribió`, `napisał`) or `message` (when `from …` follows): a quoted text after it is
/// message content.
pub(crate) const F_SAYS: u16 = 8192;

/// The non-zero tag of a hash (its top 16 bits).
fn tag_of(hash: u64) -> u16 {
    u16::try_from(hash >> 48).unwrap_or(1).max(1)
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

fn fnv(word: &[u8]) -> u64 {
    word.iter().fold(FNV_OFFSET, |h, &c| {
        (h ^ u64::from(c)).wrapping_mul(FNV_PRIME)
    })
}

const GIVEN: &str = include_str!("gazetteer/given.txt");
const SURNAMES: &str = include_str!("gazetteer/surnames.txt");
/// Frequent US given names and surnames from the Census Bureau's 1990 lists (public domain),
/// minus ordinary English words, places and software names: see `gazetteer/census.py`.
const GIVEN_CENSUS: &str = include_str!("gazetteer/given_census.txt");
const SURNAMES_CENSUS: &str = include_str!("gazetteer/surnames_census.txt");
/// Cities that postcodes are written next to (written for this crate; see the file).
const CITIES: &str = include_str!("gazetteer/cities.txt");

#[rustfmt::skip]
const POSTCODE_WORDS: &[&str] = &[
    "zip", "ZIP", "Zip", "zipcode", "Zipcode", "PLZ", "Plz", "Postleitzahl", "CP", "CAP", "CEP",
    "Cep", "pincode", "Pincode", "PINCODE", "PIN", "postcode", "Postcode", "postal", "Postal",
    "postale", "pocztowy", "postnummer", "Postnummer", "Postnr", "postnr",
];

const SSN_WORDS: &[&str] = &["SSN", "ssn", "Social", "social"];

#[rustfmt::skip]
const TITLES: &[&str] = &[
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Herr", "Frau", "Hr", "Fr", "Sr",
    "Sra", "Srta", "Señor", "Señora", "Senor", "Senora", "Don", "Doña", "Dona", "Mme", "Mlle",
    "Monsieur", "Madame", "Mademoiselle", "Pan", "Pani", "Panie", "Panu", "Państwo", "Sig",
    "Sig.ra", "Signor", "Signora", "Signorina", "Dott", "Dottor", "Dottoressa", "Ing", "Avv",
    "Shri", "Smt", "Sri", "Kumari", "Srimati", "Mister", "Madam", "Herrn", "Dña", "Dna",
    "Panem", "panem", "Pana", "Panią", "panią", "Dhr", "Mevr", "Mw", "Meneer", "Mevrouw",
    "Juffrouw", "Fru", "Fröken", "Doktor", "Senhor", "Senhora",
    // lower case inside a sentence (`für mevrouw Visser`, `chez madame Roux`)
    "mevrouw", "meneer", "monsieur", "madame", "signor", "signora", "señor", "señora", "senhor",
    "senhora", "pani", "panie", "heer", "Heer",
    // self-introductions: `I'm Anna`, `me llamo Ana`, `je m'appelle Julien`,
    // `mi chiamo Marco`, `ich heiße Lukas`, `mam na imię Piotr`, `mera naam Rahul hai`
    "I'm", "llamo", "m'appelle", "chiamo", "heiße", "heisse", "imię", "naam",
];

#[rustfmt::skip]
const GREETINGS: &[&str] = &[
    "Hi", "hi", "Hello", "hello", "Hey", "hey", "Dear", "dear", "Thanks", "thanks", "Thank",
    "Cheers", "cheers", "Regards", "regards", "Best", "Hallo", "hallo", "Liebe", "Lieber",
    "liebe", "lieber", "Grüße", "Gruß", "Danke", "danke", "Moin", "Servus", "Hola", "hola",
    "Estimado", "Estimada", "Querido", "Querida", "Saludos", "saludos", "saludo", "Gracias",
    "gracias", "Bonjour", "bonjour", "Salut", "salut", "Cher", "Chère", "Coucou", "Merci",
    "merci", "Cordialement", "cordialement", "Bises", "Ciao", "ciao", "Buongiorno",
    "buongiorno", "Buonasera", "Gentile", "Caro", "Cara", "Grazie", "grazie", "Saluti",
    "saluti", "Olá", "olá", "Ola", "Oi", "oi", "Prezado", "Prezada", "Obrigado", "Obrigada",
    "obrigado", "obrigada", "Abraço", "abraço", "Abraços", "Cześć", "cześć", "Czesc", "Witaj",
    "Szanowny", "Szanowna", "Pozdrawiam", "pozdrawiam", "Dzięki", "dzięki", "Namaste",
    "namaste", "Namaskar", "Dhanyavaad", "dhanyavaad", "Shukriya", "Dhanyawad", "Sincerely",
    "sincerely", "Love", "Yours", "Atenciosamente", "Cumprimentos", "Dobry", "Buenos", "días",
    "tardes", "Buenas", "Bom", "dia", "Boa", "tarde", "Guten", "Tag", "Morgen", "dobry",
    // Dutch and Swedish
    "Beste", "Hoi", "hoi", "Geachte", "Hej", "hej", "Hejsan", "Kära", "Tack", "tack",
    "Bedankt", "bedankt", "Groeten", "Hälsningar",
];

#[rustfmt::skip]
const PERSONS: &[&str] = &[
    "user", "User", "customer", "Customer", "client", "Client", "cliente", "Cliente", "Kunde",
    "Kundin", "Benutzer", "Nutzer", "usuario", "usuário", "Usuario", "utilisateur",
    "Utilisateur", "utente", "Utente", "użytkownik", "Użytkownik", "klient", "Klient",
        "agent", "Agent", "contact", "owner", "patient", "employee", "member", "driver",
    "passenger", "From", "To", "Cc", "By", "For", "With", "by", "for", "from", "to", "with", "para", "pour", "für", "von", "per",
    "dla", "cc", "assigned", "assignee", "reviewer", "Sender", "sender", "recipient",
    "Empfänger", "destinatario", "destinataire",
    // `with`/`at` in the other languages: a known name may follow (`con García`, `mit Müller`)
    "con", "mit", "avec", "com", "chez", "bei", "presso",
    // Dutch and Swedish customers
    "Klant", "klant", "Klantnaam", "Kunden", "kunden", "Kund", "kund",
];

/// A quoted login name after `user` (`"rpatel"`, `'reporting'`, `\"jo.li\"`): 2-32 bytes
/// of letters, digits and `._-` with a letter. Returns the name's span.
fn quoted_login(b: &[u8], e: usize) -> Option<(usize, usize)> {
    if at(b, e) != b' ' {
        return None;
    }
    let mut s = e + 1;
    if at(b, s) == b'\\' {
        s += 1;
    }
    let q = at(b, s);
    if q != b'"' && q != b'\'' {
        return None;
    }
    let start = s + 1;
    let mut k = start;
    while (at(b, k).is_ascii_alphanumeric() || matches!(at(b, k), b'.' | b'_' | b'-'))
        && k - start <= 32
    {
        k += 1;
    }
    let closed = at(b, k) == q || (at(b, k) == b'\\' && at(b, k + 1) == q);
    let name = b.get(start..k)?;
    (closed && name.len() >= 2 && name.iter().any(u8::is_ascii_alphabetic)).then_some((start, k))
}

/// A login name after `for`/`user` that a `from <host>` or `by` follows, as sshd and PAM
/// write it (`Accepted publickey for jdoe from 10.0.0.5`, `session opened for user jdoe
/// by`): 2-32 bytes of `a-z0-9._-` with a letter, not a system account (`root`, `git`).
/// Returns its span.
fn login_before_from(b: &[u8], e: usize) -> Option<(usize, usize)> {
    if at(b, e) != b' ' {
        return None;
    }
    let s = e + 1;
    let mut k = s;
    while (at(b, k).is_ascii_lowercase()
        || at(b, k).is_ascii_digit()
        || matches!(at(b, k), b'.' | b'_' | b'-'))
        && k - s <= 32
    {
        k += 1;
    }
    let name = b.get(s..k)?;
    let next = b.get(k..k + 6).unwrap_or(&[]);
    let followed =
        next.starts_with(b" from ") || next.starts_with(b" by ") || next.starts_with(b"(uid");
    const SYSTEM: &[&[u8]] = &[
        b"root",
        b"admin",
        b"ubuntu",
        b"ec2-user",
        b"git",
        b"postgres",
        b"www-data",
        b"nobody",
        b"deploy",
        b"jenkins",
        b"daemon",
        b"invalid",
        b"ansible",
        b"centos",
        b"oracle",
        b"user",
        b"unknown",
        b"illegal",
        b"mysql",
        b"nginx",
        b"systemd",
    ];
    (followed
        && name.len() >= 2
        && name.iter().any(u8::is_ascii_lowercase)
        && !SYSTEM.contains(&name))
    .then_some((s, k))
}

/// Salutations that open a letter to a person (`Dear`, `Liebe`, `Estimado`, `Cher`, `Caro`,
/// `Prezado`, `Szanowny`, `Geachte`, `Kära`), unlike `Hi` or `Thanks`, which also greet
/// teams and worlds.
fn formal_salutation(w: &[u8]) -> bool {
    #[rustfmt::skip]
    const FORMAL: &[&[u8]] = &[
        b"Dear", b"dear", b"Liebe", b"Lieber", b"Estimado", b"Estimada", b"Querido", b"Querida",
        b"Cher", b"Ch\xc3\xa8re", b"Caro", b"Cara", b"Gentile", b"Prezado", b"Prezada",
        b"Szanowny", b"Szanowna", b"Beste", b"Geachte", b"K\xc3\xa4ra",
    ];
    FORMAL.contains(&w)
}

/// Person words that introduce nothing but a person (`customer`, `Kunde`, `cliente`), unlike
/// `user`, `client`, `agent` or `from`, which often name software or places.
fn strong_person(w: &[u8]) -> bool {
    #[rustfmt::skip]
    const STRONG: &[&[u8]] = &[
        b"customer", b"Customer", b"cliente", b"Cliente", b"Kunde", b"Kundin", b"klient",
        b"Klient", b"patient", b"employee", b"passenger", b"assignee", b"reviewer", b"sender",
        b"recipient", b"Empf\xc3\xa4nger", b"destinatario", b"destinataire", b"utente",
        b"Utente", b"usuario", b"Usuario", b"usu\xc3\xa1rio", b"utilisateur", b"Utilisateur",
        b"Klant", b"klant", b"Kunden", b"kunden", b"Kund", b"kund",
    ];
    STRONG.contains(&w)
}

/// Capitalised nouns that follow `Customer` in product and service names (`Customer Portal
/// Service`, `Kunde Service Team`) rather than a person's name.
pub(crate) fn common_noun(w: &[u8]) -> bool {
    #[rustfmt::skip]
    const NOUNS: &[&[u8]] = &[
        b"Service", b"Services", b"Portal", b"Support", b"Team", b"Success", b"Account",
        b"Accounts", b"Profile", b"Profiles", b"Data", b"Order", b"Orders", b"Database",
        b"Gateway", b"Manager", b"Center", b"Centre", b"Desk", b"Care", b"Experience",
        b"Journey", b"Segment", b"Tier", b"Group", b"Queue", b"Report", b"Dashboard", b"Api",
        b"Record", b"Records", b"Request", b"Requests", b"Id", b"Number", b"Type", b"Status",
        b"Sync", b"Import", b"Export", b"Login", b"Feedback", b"Insights", b"Events",
    ];
    NOUNS.contains(&w)
}

/// Builds the gazetteer table now (once per process), so that scrubbing never allocates
/// on the hot path: called by [`Scrubber::new`](super::Scrubber::new).
pub(crate) fn warm() {
    let _ = gazetteer();
}

fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| {
        let mut words: HashMap<&'static [u8], Kind> = HashMap::new();
        let lists = |text: &'static str| {
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .flat_map(str::split_whitespace)
                .filter(|w| w.len() > 2)
        };
        for w in lists(GIVEN).chain(lists(GIVEN_CENSUS)) {
            words.insert(w.as_bytes(), Kind::Given);
        }
        for w in lists(SURNAMES).chain(lists(SURNAMES_CENSUS)) {
            let kind = match words.get(w.as_bytes()) {
                Some(Kind::Given | Kind::Both) => Kind::Both,
                _ => Kind::Surname,
            };
            words.insert(w.as_bytes(), kind);
        }
        for (list, kind) in [
            (TITLES, Kind::Title),
            (GREETINGS, Kind::Greeting),
            (PERSONS, Kind::Person),
        ] {
            for w in list {
                words.insert(w.as_bytes(), kind);
            }
        }
        let mut flags: HashMap<&'static [u8], u16> = HashMap::new();
        for (list, bit) in [
            (STREET_BEFORE, F_STREET_BEFORE),
            (STREET_AFTER, F_STREET_AFTER),
            (PARTICLES, F_PARTICLE),
            (HOUSE_WORDS, F_HOUSE),
            (PASSWORD_WORDS, F_PASSWORD),
            (OTP_WORDS, F_OTP),
            (CODE_WORDS, F_CODE),
            (BORN_WORDS, F_BORN),
            (ACCOUNT_WORDS, F_ACCOUNT),
            (POSTCODE_WORDS, F_POSTWORD),
            (SSN_WORDS, F_SSN),
            (super::versions::VERSION_WORDS, F_VERSION),
            (SAYS_WORDS, F_SAYS),
        ] {
            for w in list {
                *flags.entry(w.as_bytes()).or_default() |= bit;
            }
        }
        for w in lists(CITIES) {
            *flags.entry(w.as_bytes()).or_default() |= F_CITY;
        }
        let mut entries: HashMap<&'static [u8], (Option<Kind>, u16)> = HashMap::new();
        for (w, k) in words {
            entries.entry(w).or_default().0 = Some(k);
        }
        for (w, f) in flags {
            entries.entry(w).or_default().1 = f;
        }
        let mut lower_tris = vec![0_u64; (26 * 26 * 27_usize).div_ceil(64)];
        for w in entries.keys() {
            if let Some(t) = tri_index(w) {
                if let Some(x) = lower_tris.get_mut(t / 64) {
                    *x |= 1 << (t % 64);
                }
            }
        }
        let size = (entries.len() * 2).next_power_of_two().max(64);
        let mask = size - 1;
        let mut slots: Vec<Option<Slot>> = vec![None; size];
        let mut tags: Vec<u16> = vec![0; size];
        for (word, (kind, flags)) in entries {
            let hash = fnv(word);
            let mut idx = usize::try_from(hash).unwrap_or(0) & mask;
            while tags.get(idx).is_some_and(|&t| t != 0) {
                idx = (idx + 1) & mask;
            }
            if let (Some(slot), Some(t)) = (slots.get_mut(idx), tags.get_mut(idx)) {
                *t = tag_of(hash);
                *slot = Some(Slot {
                    hash,
                    word,
                    kind,
                    flags,
                });
            }
        }
        Gazetteer {
            tags,
            slots,
            mask,
            lower_tris,
        }
    })
}

/// The gazetteer entry of a word, if any.
fn probe(word: &[u8]) -> Option<Slot> {
    if word.len() < 2 || word.len() > 24 || !lower_pair_possible(word) {
        return None;
    }
    probe_hashed(word, fnv(word))
}

/// `false` when `word` starts with two lower-case letters and a third byte that no entry
/// starts with (a word starting with one lower-case letter and something else is probed).
fn lower_pair_possible(word: &[u8]) -> bool {
    match word.first() {
        Some(f) if f.is_ascii_lowercase() => match tri_index(word) {
            Some(t) => {
                gazetteer().lower_tris.get(t / 64).copied().unwrap_or(0) & (1 << (t % 64)) != 0
            }
            // `a`, `aB…`, `añ…`: not filtered
            None => true,
        },
        _ => true,
    }
}

fn probe_hashed(word: &[u8], hash: u64) -> Option<Slot> {
    let g = gazetteer();
    let tag = tag_of(hash);
    let mut idx = usize::try_from(hash).unwrap_or(0) & g.mask;
    for _ in 0..64 {
        let t = *g.tags.get(idx)?;
        if t == 0 {
            return None;
        }
        if t == tag {
            let slot = (*g.slots.get(idx)?)?;
            if slot.hash == hash && slot.word == word {
                return Some(slot);
            }
        }
        idx = (idx + 1) & g.mask;
    }
    None
}

fn lookup(word: &[u8]) -> Option<Kind> {
    probe(word).and_then(|s| s.kind)
}

/// The address/prose flags of a word (`F_*` bits), `0` for most words.
pub(crate) fn word_flags(word: &[u8]) -> u16 {
    probe(word).map_or(0, |s| s.flags)
}

/// One gazetteer probe for the word at `i`: where it ends, its name kind and its
/// address/prose flags.
pub(crate) struct WordInfo {
    pub(crate) end: usize,
    pub(crate) kind: Option<Kind>,
    pub(crate) flags: u16,
}

pub(crate) fn word_info(b: &[u8], i: usize) -> WordInfo {
    // word_end and the FNV-1a hash in one pass
    let rest = b.get(i..).unwrap_or(&[]);
    if !lower_pair_possible(rest) {
        return WordInfo {
            end: i + 1,
            kind: None,
            flags: 0,
        };
    }
    let mut hash: u64 = FNV_OFFSET;
    let mut n = 0;
    while n < 40 {
        let Some(&c) = rest.get(n) else {
            break;
        };
        let inner =
            n > 0 && matches!(c, b'\'' | b'-') && rest.get(n + 1).is_some_and(|&d| is_letter(d));
        if !(is_letter(c) || inner) {
            break;
        }
        hash = (hash ^ u64::from(c)).wrapping_mul(FNV_PRIME);
        n += 1;
    }
    let end = i + n;
    // Gazetteer words are 2-24 bytes; lower-case ones (greetings, prose words) at most 16.
    let lower = rest.first().is_some_and(u8::is_ascii_lowercase);
    let slot = if !(2..=24).contains(&n) || (lower && n > 16) {
        None
    } else {
        rest.get(..n).and_then(|w| probe_hashed(w, hash))
    };
    WordInfo {
        end,
        kind: slot.and_then(|s| s.kind),
        flags: slot.map_or(0, |s| s.flags),
    }
}

fn has_flag(word: &[u8], bit: u16) -> bool {
    word_flags(word) & bit != 0
}

/// A letter byte of a word: ASCII letters and every byte of a multi-byte UTF-8 character.
#[inline]
pub(crate) fn is_letter(c: u8) -> bool {
    c.is_ascii_alphabetic() || c >= 0x80
}

/// End of the word (letters, inner `'` or `-` between letters) starting at `i`.
pub(crate) fn word_end(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j - i < 40 {
        let c = at(b, j);
        let inner = matches!(c, b'\'' | b'-') && is_letter(at(b, j + 1)) && j > i;
        if !(is_letter(c) || inner) {
            break;
        }
        j += 1;
    }
    j
}

/// Whether the word at `i` starts with a capital letter (ASCII, or a Latin-1/Extended-A
/// capital such as `É`, `Ł`, `Ś`, `Ż`).
pub(crate) fn capitalised(b: &[u8], i: usize) -> bool {
    let c = at(b, i);
    if c.is_ascii_uppercase() {
        return is_letter(at(b, i + 1)) && !at(b, i + 1).is_ascii_uppercase();
    }
    let d = at(b, i + 1);
    if !matches!(c, 0xC3..=0xC5) || d & 0xC0 != 0x80 {
        return false;
    }
    let cp = (u32::from(c & 0x1F) << 6) | u32::from(d & 0x3F);
    match cp {
        0xC0..=0xDE => cp != 0xD7,
        0x100..=0x137 | 0x14A..=0x177 => cp.is_multiple_of(2),
        0x139..=0x148 | 0x179..=0x17E => !cp.is_multiple_of(2),
        0x178 => true,
        _ => false,
    }
}

/// The next word after `j`: skips one run of spaces (at most 2). Returns its start.
pub(crate) fn next_word(b: &[u8], j: usize) -> Option<usize> {
    let mut k = j;
    while at(b, k) == b' ' && k - j < 2 {
        k += 1;
    }
    (k > j && is_letter(at(b, k))).then_some(k)
}

fn word_kind(b: &[u8], s: usize, e: usize) -> Option<Kind> {
    lookup(b.get(s..e)?)
}

fn is_name_kind(k: Option<Kind>) -> bool {
    matches!(k, Some(Kind::Given | Kind::Surname | Kind::Both))
}

/// A known given name or surname.
pub(crate) fn is_person_name(k: Option<Kind>) -> bool {
    is_name_kind(k)
}

/// Extends a name starting at the capitalised word `s..e` over one following capitalised
/// word (a surname), returning the end.
fn with_surname(b: &[u8], e: usize, any_capital: bool) -> usize {
    // `Jeroen de Vries`, `Anna van der Berg`, `Maria da Silva`: particles, then the surname
    let mut p = e;
    for _ in 0..2 {
        match next_word(b, p) {
            Some(n) if SURNAME_PARTICLES.contains(&b.get(n..word_end(b, n)).unwrap_or(&[])) => {
                p = word_end(b, n);
            }
            _ => break,
        }
    }
    if p > e {
        if let Some(n) = next_word(b, p) {
            if capitalised(b, n)
                && !matches!(
                    word_kind(b, n, word_end(b, n)),
                    Some(Kind::Greeting | Kind::Person | Kind::Title)
                )
            {
                return word_end(b, n);
            }
        }
    }
    if let Some(n) = next_word(b, e) {
        if capitalised(b, n) {
            let ne = word_end(b, n);
            let k = word_kind(b, n, ne);
            if (any_capital && !matches!(k, Some(Kind::Greeting | Kind::Person | Kind::Title)))
                || is_name_kind(k)
            {
                return ne;
            }
        }
    }
    e
}

/// A person's name starting at or right after the word at `i`. Returns the span to mask and
/// where scanning resumes.
pub(crate) fn name_at(b: &[u8], i: usize, info: &WordInfo) -> Option<(usize, usize)> {
    let e = info.end;
    // `M. Dubois`: the French title is one letter
    let kind = if e == i + 1 && at(b, i) == b'M' && at(b, e) == b'.' && at(b, e + 1) == b' ' {
        Kind::Title
    } else {
        info.kind?
    };
    match kind {
        Kind::Title => {
            let mut j = e;
            if at(b, j) == b'.' {
                j += 1;
                // `Sig.ra`, `Dott.ssa`, `Sig.na`: a feminine ending after the dot
                let mut k = j;
                while at(b, k).is_ascii_lowercase() && k - j < 4 {
                    k += 1;
                }
                if k > j && at(b, k) == b' ' {
                    j = k;
                } else if k > j && at(b, k) == b'.' {
                    j = k + 1;
                }
            }
            // `Herrn Dr. Kleinschmidt`, `Mr. J. Okonjo`, `Sr. D. Garmendia`: further titles
            // and initials before the name
            let mut n = next_word(b, j)?;
            for _ in 0..3 {
                if at(b, n).is_ascii_uppercase() && at(b, n + 1) == b'.' {
                    n = next_word(b, n + 2)?;
                    continue;
                }
                let ne = word_end(b, n);
                if ne > n && word_kind(b, n, ne) == Some(Kind::Title) && capitalised(b, n) {
                    let k = if at(b, ne) == b'.' { ne + 1 } else { ne };
                    n = next_word(b, k)?;
                    continue;
                }
                break;
            }
            if !capitalised(b, n) {
                return None;
            }
            let ne = word_end(b, n);
            Some((n, with_surname(b, ne, true)))
        }
        Kind::Greeting | Kind::Person => {
            let mut j = e;
            if kind == Kind::Greeting && at(b, j) == b',' {
                j += 1;
            }
            if kind == Kind::Person && matches!(b.get(i..e)?, b"for" | b"user" | b"by") {
                // sshd: `Accepted publickey for jdoe from …`, `invalid user jdoe from …`
                if let Some(span) = login_before_from(b, e) {
                    return Some(span);
                }
            }
            if kind == Kind::Person && matches!(b.get(i..e)?, b"user" | b"User" | b"login") {
                // `for user "rpatel"`, `user 'reporting'@'10.0.0.5'`: a quoted login name
                if let Some(span) = quoted_login(b, e) {
                    return Some(span);
                }
            }
            let n = next_word(b, j)?;
            if !capitalised(b, n) {
                return None;
            }
            let ne = word_end(b, n);
            let nk = word_kind(b, n, ne);
            if is_name_kind(nk) {
                return Some((n, with_surname(b, ne, nk != Some(Kind::Surname))));
            }
            if nk.is_none() {
                // `usuario Zoltan García`: an unknown word followed by a known surname.
                if let Some(m) = next_word(b, ne) {
                    let me = word_end(b, m);
                    if capitalised(b, m) && is_name_kind(word_kind(b, m, me)) {
                        return Some((n, me));
                    }
                }
            }
            if kind == Kind::Person && nk.is_none() && strong_person(b.get(i..e)?) {
                // `Kunde Eberhard Winterstein`: two unknown capitalised words after a word
                // that only ever introduces a person.
                if let Some(m) = next_word(b, ne) {
                    let me = word_end(b, m);
                    if capitalised(b, m)
                        && !common_noun(b.get(n..ne)?)
                        && !common_noun(b.get(m..me)?)
                        && !matches!(
                            word_kind(b, m, me),
                            Some(Kind::Greeting | Kind::Person | Kind::Title)
                        )
                    {
                        return Some((n, me));
                    }
                }
            }
            if kind == Kind::Greeting
                && nk.is_none()
                && formal_salutation(b.get(i..e)?)
                && !common_noun(b.get(n..ne)?)
            {
                // `Dear Featherstonehaugh and team`, `Caro Gualtiero`: a formal salutation
                // names a person whatever follows the name.
                return Some((n, with_surname(b, ne, true)));
            }
            if kind == Kind::Greeting && nk.is_none() {
                // `Hi Zoltan,` / `Thanks Aurelio!`: an unknown capitalised word that ends
                // the greeting.
                let after = at(b, ne);
                if matches!(after, b',' | b'!' | b'.' | b'?' | b':' | 0) || honorific_after(b, ne) {
                    return Some((n, ne));
                }
            }
            None
        }
        Kind::Given | Kind::Both => {
            if !capitalised(b, i) {
                return None;
            }
            // `[10:02] Maria: …`, `Maria: …` at a line start: a chat speaker
            if at(b, e) == b':' && at(b, e + 1) == b' ' {
                let p = before(b, i);
                let p2 = if i >= 2 { before(b, i - 1) } else { 0 };
                if i == 0 || p == b'\n' || (p == b' ' && matches!(p2, b']' | b'>' | b'-')) {
                    return Some((i, e));
                }
            }
            if let Some(n) = next_word(b, e) {
                if capitalised(b, n) {
                    let ne = word_end(b, n);
                    let nk = word_kind(b, n, ne);
                    if matches!(nk, Some(Kind::Greeting | Kind::Person | Kind::Title)) {
                        return None;
                    }
                    // `Jessica Thompson`, `Jürgen Müller`: a given name and a capitalised
                    // word.
                    return Some((i, with_surname(b, ne, false)));
                }
                // `Rahul ji`, `Priya bhai`: Hindi honorifics after a given name.
                if honorific_after(b, e) {
                    return Some((i, e));
                }
            }
            // `Daniel called again`, `and Noah fixed`, `Según Javier, …`: a given name
            // alone in a sentence
            (info.flags & F_CITY == 0 && lone_given(b, i, e)).then_some((i, e))
        }
        Kind::Surname => None,
    }
}

/// Given names that are as often the name of a product, a place or a thing in logs
/// (`Amazon Aurora`, `Julia 1.10`, `Hugo` builds, `Luigi` pipelines): never masked alone.
#[rustfmt::skip]
const LONE_STOP: &[&[u8]] = &[
    b"Aurora", b"Julia", b"Hugo", b"Luigi", b"Kia", b"Harley", b"Mollie", b"Marina", b"Austin",
    b"Jordan", b"Dallas", b"Sydney", b"Florence", b"Georgia", b"Savannah", b"Chelsea", b"Paris",
    b"Kelvin", b"Tesla", b"Pascal", b"Ada", b"Alexa", b"Siri", b"Cortana", b"Victor", b"Oscar",
    b"Charlie", b"Juliet", b"Romeo", b"Lima", b"Sierra", b"Delta", b"Nova", b"Luna", b"Stella",
    b"Vera", b"Ivy", b"Iris", b"Jasmine", b"Phoenix", b"Orion", b"Apollo", b"Atlas", b"Hermes",
    b"Mercury", b"Diana", b"Minerva", b"Athena", b"Helena", b"Lincoln", b"Mercedes", b"Porsche",
    b"Elixir", b"Django", b"Jenkins", b"Hudson", b"Travis", b"Cassandra", b"Ansible", b"Kafka",
    b"Bruno", b"Dash", b"Sage", b"Maven", b"Karma", b"Jest", b"Ray", b"Dask", b"Celery",
    b"Maria", b"Mariadb", b"Christian", b"Angel", b"Justice", b"Faith", b"Hope", b"Summer",
    b"Dawn", b"Joy", b"Page", b"Lane", b"Chase", b"Max", b"Guy", b"Pat", b"Rich", b"Bill",
];

/// Words after which a capitalised word is as often a place as a person.
#[rustfmt::skip]
const PLACE_PREPOSITIONS: &[&[u8]] = &[
    b"in", b"at", b"near", b"into", b"en", b"em", b"de", b"nach", b"aus", b"im", b"w", b"we",
    b"z", b"ze", b"do", b"da", b"di", b"van", b"of", b"i", b"till", b"naar", b"uit", b"dans",
    b"par", b"vers", b"sur", b"no", b"na", b"nel", b"nella", b"del", b"della",
];

/// Words before a lone given name that open a clause in the corpora's languages
/// (`Laut Jürgen`, `Según Javier`, `Dzięki Piotrek`): a capitalised word at the start of
/// the line that is not itself a name.
fn clause_opener(b: &[u8], s: usize, e: usize) -> bool {
    let line_start = s == 0
        || matches!(before(b, s), b'\n' | b'\r' | b'"' | b'>')
        || (before(b, s) == b' ' && matches!(before(b, s - 1), b'.' | b'!' | b'?' | b':'));
    line_start && !is_name_kind(word_kind(b, s, e))
}

/// A known given name standing alone at `i..e` in prose: a lower-case word, a clause's
/// punctuation or the end follows it (`Daniel called`, `Según Javier,`, `Emma's`), and a
/// sentence start, punctuation, a lower-case word or a clause opener precedes it (`and
/// Noah`, `à Juliette`, `Note: Marcus`, `Dzwoniła Agnieszka`). Names that are as often
/// products or places (`LONE_STOP`) and identifiers (`Maria.db`, `Max_retries`) are left.
fn lone_given(b: &[u8], i: usize, e: usize) -> bool {
    let word = b.get(i..e).unwrap_or(&[]);
    if e - i < 3 || LONE_STOP.contains(&word) {
        return false;
    }
    let a = at(b, e);
    let a1 = at(b, e + 1);
    let follows = match a {
        b' ' => {
            (a1.is_ascii_lowercase() || (a1 >= 0x80 && !capitalised(b, e + 1)))
                && !(a1 == b'v' && at(b, e + 2).is_ascii_digit())
        }
        b',' | b'!' | b'?' | b';' => matches!(a1, b' ' | 0 | b'\n'),
        b'.' => matches!(a1, b' ' | 0 | b'\n'),
        b'\'' => a1 == b's' && !is_alnum(at(b, e + 2)),
        0 | b'\n' => true,
        _ => false,
    };
    if !follows {
        return false;
    }
    let p = before(b, i);
    match p {
        0 | b'\n' => a != 0 && a != b'\n',
        b' ' if i >= 2 => {
            let q = before(b, i - 1);
            if matches!(q, b'.' | b'!' | b'?' | b':' | b',' | b';') {
                return true;
            }
            if !is_letter(q) {
                return false;
            }
            // the word before: lower case (`and`, `à`, `ne`) or a clause opener
            let mut s = i - 1;
            while s > 0 && is_letter(before(b, s)) && i - 1 - s < 24 {
                s -= 1;
            }
            let first = at(b, s);
            if first.is_ascii_lowercase() || (first >= 0x80 && !capitalised(b, s)) {
                // not after a place preposition (`oficina de Valencia`, `in Florence`)
                let prev = b.get(s..i - 1).unwrap_or(&[]);
                return !PLACE_PREPOSITIONS.contains(&prev)
                    && !matches!(before(b, s), b'.' | b'_' | b'-' | b'/' | b'=' | b'@');
            }
            // Portuguese and Spanish articles before a name at a sentence start (`A Beatriz
            // ligou`, `O João disse`)
            let article = i - 1 - s == 1
                && matches!(first, b'A' | b'O')
                && (s == 0 || matches!(before(b, s), b'\n'));
            article || (capitalised(b, s) && clause_opener(b, s, i - 1))
        }
        _ => false,
    }
}

/// A Hindi honorific after the word ending at `e` (`Rahul ji`, `Priya bhai`).
fn honorific_after(b: &[u8], e: usize) -> bool {
    let Some(n) = next_word(b, e) else {
        return false;
    };
    let ne = word_end(b, n);
    matches!(
        b.get(n..ne),
        Some(b"ji" | b"jee" | b"bhai" | b"didi" | b"sahab" | b"saheb" | b"madam" | b"sir")
    )
}

#[rustfmt::skip]
const STREET_AFTER: &[&str] = &[
    "Street", "St", "Road", "Rd", "Avenue", "Ave", "Av", "Lane", "Ln", "Drive", "Dr", "Boulevard",
    "Blvd", "Way", "Court", "Ct", "Place", "Pl", "Terrace", "Close", "Crescent", "Square", "Sq",
    "Highway", "Hwy", "Parkway", "Pkwy", "Row", "Gardens", "Grove", "Hill", "Nagar", "Marg",
    "Colony", "Enclave", "Vihar", "Chowk", "Layout", "Allee", "Straße", "Strasse", "Platz",
    "Weg", "Gasse", "Ring", "Damm", "Ufer", "street", "road", "avenue", "lane", "drive",
];

#[rustfmt::skip]
const STREET_BEFORE: &[&str] = &[
    "Calle", "calle", "C", "Avda", "Avenida", "avenida", "Av", "Avd", "Plaza", "plaza", "Paseo",
    "Camino", "Carrer", "Ronda", "Travesía", "Rua", "rua", "R", "Travessa", "Praça", "Largo",
    "Alameda", "Estrada", "Rodovia", "Via", "via", "Viale", "viale", "Piazza", "piazza", "Corso",
    "corso", "Vicolo", "Piazzale", "Lungomare", "ul", "ulica", "Ulica", "al", "aleja", "Aleja",
    "os", "pl", "Rue", "rue", "Avenue", "avenue", "Boulevard", "boulevard", "bd", "Bd", "Place",
    "place", "Allée", "allée", "Chemin", "chemin", "Impasse", "impasse", "Quai", "quai",
    "Cours", "cours", "Route", "route",
];

#[rustfmt::skip]
const PARTICLES: &[&str] = &[
    "de", "del", "la", "las", "los", "da", "do", "das", "dos", "di", "della", "delle", "dei",
    "degli", "des", "du", "le", "les", "d'", "of", "the", "von", "van", "e", "y",
];

/// Particles between a given name and a surname.
#[rustfmt::skip]
const SURNAME_PARTICLES: &[&[u8]] = &[
    b"de", b"van", b"von", b"der", b"den", b"da", b"di", b"del", b"della", b"dos", b"das",
    b"du", b"le", b"ter", b"ten", b"zu", b"af", b"la",
];

const HOUSE_WORDS: &[&str] = &["Flat", "House", "Apt", "Apartment", "Unit", "Plot"];

#[rustfmt::skip]
const PASSWORD_WORDS: &[&str] = &[
    "password", "Password", "PASSWORD", "passwort", "Passwort", "contraseña", "Contraseña",
    "senha", "Senha", "hasło", "Hasło", "passphrase", "passcode", "pwd", "passwd", "Passwd",
    "haslo", "Haslo", "contrasena", "Contrasena", "Kennwort", "kennwort", "passe", "clave",
    "Clave", "wachtwoord", "Wachtwoord", "lösenord", "Lösenord",
    // `IDENTIFIED BY '…'` (SQL)
    "IDENTIFIED", "identified",
];

#[rustfmt::skip]
const OTP_WORDS: &[&str] = &[
    "OTP", "otp", "PIN", "pin", "TAN", "mTAN",
    // compounds that name a one-time code by themselves
    "Bestätigungscode", "Sicherheitscode", "Verifizierungscode", "Anmeldecode", "Einmalcode",
    "Zugangscode", "verificatiecode", "Verificatiecode", "beveiligingscode", "inlogcode",
    "verifieringskod", "Verifieringskod", "engångskod", "säkerhetskod", "bekräftelsekod",
];

#[rustfmt::skip]
const BORN_WORDS: &[&str] = &[
    "born", "Born", "birth", "Birth", "birthday", "Birthday", "DOB", "dob", "geboren",
    "Geboren", "Geburtstag", "nacido", "nacida", "Nacido", "Nacida", "nacimiento", "né",
    "née", "Né", "Née", "naissance", "urodzony", "urodzona", "urodzenia", "Urodzony",
    "Urodzona", "nascido", "nascida", "nascimento", "nato", "nata", "nascita", "janm",
];

#[rustfmt::skip]
const ACCOUNT_WORDS: &[&str] = &[
    "account", "Account", "acct", "Acct", "a/c", "Konto", "Kontonummer", "cuenta", "Cuenta",
    "compte", "Compte", "conto", "Conto", "conta", "Conta", "rachunek", "rachunku", "Rachunek",
    "sort", "Sort",
];

#[rustfmt::skip]
const SAYS_WORDS: &[&str] = &[
    "wrote", "writes", "says", "said", "replied", "replies", "asked", "asks", "texted",
    "message", "Message", "schrieb", "schreibt", "escribió", "escribe", "dijo", "écrit",
    "napisał", "napisała", "escreveu", "scritto", "scrive", "schreef", "skrev", "likha",
];

const CODE_WORDS: &[&str] = &["code", "Code", "código", "codice", "kod", "Kod"];

#[rustfmt::skip]
const GERMAN_SUFFIXES: &[&str] = &[
    "straße", "strasse", "str", "weg", "allee", "platz", "gasse", "damm", "chaussee",
    // Dutch and Swedish street names are written the same way (`Kerkstraat 12`,
    // `Prinsengracht 263`, `Storgatan 5`, `Kungsvägen 3`)
    "straat", "laan", "gracht", "plein", "kade", "dijk", "singel", "steeg", "dreef", "gatan",
    "vägen", "gränd", "torget", "stigen", "backen",
];

/// House number at `i`: 1-5 digits, optionally a letter or `/digits` (`221B`, `12/3`,
/// `4-6`). Returns its end.
fn house_number(b: &[u8], i: usize) -> Option<usize> {
    if is_alnum(before(b, i)) {
        return None;
    }
    let mut j = i;
    while at(b, j).is_ascii_digit() && j - i < 5 {
        j += 1;
    }
    if j == i || at(b, j).is_ascii_digit() {
        return None;
    }
    if at(b, j).is_ascii_alphabetic() && !is_letter(at(b, j + 1)) {
        j += 1;
    } else if matches!(at(b, j), b'/' | b'-') && at(b, j + 1).is_ascii_digit() {
        j += 1;
        while at(b, j).is_ascii_digit() && j - i < 10 {
            j += 1;
        }
    }
    (!is_alnum(at(b, j))).then_some(j)
}

/// Skips `, ` / ` ` / `. ` separators (at most 3 bytes).
fn skip_sep(b: &[u8], j: usize) -> usize {
    let mut k = j;
    while matches!(at(b, k), b' ' | b',') && k - j < 3 {
        k += 1;
    }
    k
}

/// Street words after a leading street type (`Calle` … / `rue` …): capitalised words and
/// particles, at most 5. Returns the end of the last one.
fn street_words(b: &[u8], mut j: usize) -> Option<usize> {
    let mut end = None;
    for _ in 0..5 {
        let Some(n) = next_word(b, j).or_else(|| is_letter(at(b, j)).then_some(j)) else {
            break;
        };
        let ne = word_end(b, n);
        let w = b.get(n..ne)?;
        if capitalised(b, n) || at(b, n).is_ascii_uppercase() {
            end = Some(ne);
        } else if !has_flag(w, F_PARTICLE) {
            break;
        }
        j = ne;
        if at(b, j) != b' ' {
            break;
        }
    }
    end
}

/// After an address: `, 10115 Berlin`, ` 00-950 Warszawa`, `, Bengaluru 560001`,
/// `, London SW1A 1AA`. Returns the extended end.
fn postcode_tail(b: &[u8], e: usize) -> usize {
    let k = skip_sep(b, e);
    if k == e {
        return e;
    }
    if let Some(pe) = postcode(b, k) {
        // `10115 Berlin`
        if let Some(n) = next_word(b, pe) {
            if capitalised(b, n) {
                return word_end(b, n);
            }
        }
        return pe;
    }
    if capitalised(b, k) {
        let mut ce = word_end(b, k);
        if let Some(n) = next_word(b, ce) {
            if capitalised(b, n) {
                ce = word_end(b, n);
            }
        }
        let k2 = skip_sep(b, ce);
        if let Some(pe) = postcode(b, k2) {
            return pe;
        }
        // `, Springfield, IL 62704`: a US state and ZIP code
        if at(b, k2).is_ascii_uppercase()
            && at(b, k2 + 1).is_ascii_uppercase()
            && at(b, k2 + 2) == b' '
        {
            if let Some(pe) = postcode(b, k2 + 3) {
                return pe;
            }
        }
    }
    e
}

/// Postcodes distinctive enough to stand alone: UK (`SW1A 1AA`, two area letters) and
/// Brazilian CEP (`01310-200`). Returns the end.
/// `…, 50667 Köln`, `…, 30-059 Kraków`, `…, 1100-148 Lisboa`: after `, `, a postcode of five
/// digits or a hyphenated shape followed by a capitalised word (the city) that is not a
/// common noun (`, 50000 Requests`). Returns the postcode's end.
pub(crate) fn postcode_before_city(b: &[u8], i: usize) -> Option<usize> {
    if before(b, i) != b' ' || i < 2 || before(b, i - 1) != b',' {
        return None;
    }
    let pe = postcode(b, i)?;
    let shape = b.get(i..pe)?;
    let digits = shape.iter().filter(|c| c.is_ascii_digit()).count();
    if digits < 5 || !shape.iter().all(|&c| c.is_ascii_digit() || c == b'-') {
        return None;
    }
    if at(b, pe) != b' ' || !capitalised(b, pe + 1) {
        return None;
    }
    let ce = word_end(b, pe + 1);
    (!common_noun(b.get(pe + 1..ce)?)).then_some(pe)
}

pub(crate) fn standalone_postcode(b: &[u8], i: usize) -> Option<usize> {
    if matches!(before(b, i), b'-' | b'_' | b'.' | b'/' | b':') {
        return None;
    }
    let c = at(b, i);
    if c.is_ascii_digit() {
        let five = (i..i + 5).all(|k| at(b, k).is_ascii_digit());
        let three = (i + 6..i + 9).all(|k| at(b, k).is_ascii_digit());
        let shape = five && at(b, i + 5) == b'-' && three && !is_alnum(at(b, i + 9));
        // a city after it (`01310-200 São Paulo`) or `CEP` before it, not an order id
        let k = skip_sep(b, i + 9);
        let city = k > i + 9 && capitalised(b, k);
        let cep = i >= 4
            && b.get(i - 4..i - 1)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"cep"));
        return (shape && (city || cep)).then_some(i + 9);
    }
    if !(c.is_ascii_uppercase() && at(b, i + 1).is_ascii_uppercase()) {
        return None;
    }
    postcode(b, i)
}

/// Postcode shapes: `12345`, `12-345`, `1234-567`, `12345-678`, `123456`, `SW1A 1AA`,
/// `1017 GC`, `114 51`.
pub(crate) fn postcode(b: &[u8], i: usize) -> Option<usize> {
    if is_alnum(before(b, i)) {
        return None;
    }
    let mut j = i;
    while at(b, j).is_ascii_digit() && j - i < 7 {
        j += 1;
    }
    let n = j - i;
    if n > 0 {
        if at(b, j) == b'-' {
            let s = j + 1;
            let mut k = s;
            while at(b, k).is_ascii_digit() && k - s < 4 {
                k += 1;
            }
            let m = k - s;
            if matches!((n, m), (2, 3) | (4, 3) | (5, 3) | (5, 4)) && !is_alnum(at(b, k)) {
                return Some(k);
            }
            return None;
        }
        if at(b, j) == b' ' && !is_alnum(at(b, j + 3)) {
            // NL `1017 GC`, SE `114 51`
            let nl =
                n == 4 && at(b, j + 1).is_ascii_uppercase() && at(b, j + 2).is_ascii_uppercase();
            let se = n == 3 && at(b, j + 1).is_ascii_digit() && at(b, j + 2).is_ascii_digit();
            if nl || se {
                return Some(j + 3);
            }
        }
        return (matches!(n, 4..=6) && !is_alnum(at(b, j))).then_some(j);
    }
    // UK: A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA
    let mut k = i;
    while at(b, k).is_ascii_uppercase() && k - i < 2 {
        k += 1;
    }
    if k == i || !at(b, k).is_ascii_digit() {
        return None;
    }
    k += 1;
    if at(b, k).is_ascii_digit() || at(b, k).is_ascii_uppercase() {
        k += 1;
    }
    if at(b, k) != b' '
        || !at(b, k + 1).is_ascii_digit()
        || !at(b, k + 2).is_ascii_uppercase()
        || !at(b, k + 3).is_ascii_uppercase()
        || is_alnum(at(b, k + 4))
    {
        return None;
    }
    Some(k + 4)
}

/// A postal address starting at the word at `i`. Returns its span.
pub(crate) fn address_at(b: &[u8], i: usize, info: Option<&WordInfo>) -> Option<(usize, usize)> {
    let c = at(b, i);
    if c.is_ascii_digit() {
        // `221B Baker Street`, `12, MG Road`, `12 rue de Rivoli`
        let hn = house_number(b, i)?;
        let k = skip_sep(b, hn);
        if k == hn || !is_letter(at(b, k)) {
            return None;
        }
        let ke = word_end(b, k);
        let w = b.get(k..ke)?;
        if has_flag(w, F_STREET_BEFORE) && !w.first().is_some_and(u8::is_ascii_uppercase)
            || matches!(
                w,
                b"Rue" | b"Avenue" | b"Boulevard" | b"Place" | b"Chemin" | b"Quai"
            )
        {
            let mut j = ke;
            if at(b, j) == b'.' {
                j += 1;
            }
            let e = street_words(b, j)?;
            return Some((i, postcode_tail(b, e)));
        }
        // English-style: up to 4 words, then a street type.
        let mut j = k;
        for _ in 0..4 {
            let we = word_end(b, j);
            let w = b.get(j..we)?;
            if j > k && has_flag(w, F_STREET_AFTER) {
                let mut e = we;
                if at(b, e) == b'.' {
                    e += 1;
                }
                return Some((i, postcode_tail(b, e)));
            }
            if !(capitalised(b, j) || at(b, j).is_ascii_uppercase()) {
                return None;
            }
            j = next_word(b, we)?;
        }
        let we = word_end(b, j);
        if has_flag(b.get(j..we)?, F_STREET_AFTER) {
            return Some((i, postcode_tail(b, we)));
        }
        return None;
    }
    let info = info?;
    let e = info.end;
    let w = b.get(i..e)?;
    let mut flags = info.flags;
    if w == b"C" && at(b, e) == b'/' {
        flags |= F_STREET_BEFORE; // `C/ Atocha 12`
    }
    if flags & (F_HOUSE | F_STREET_BEFORE) == 0 && !capitalised(b, i) {
        return None;
    }
    // `Flat 12, Gandhi Nagar`, `House No. 4, Tilak Marg`
    if flags & F_HOUSE != 0 {
        let mut j = e;
        if b.get(j..j + 5) == Some(b" No. ") {
            j += 4;
        }
        let n = skip_sep(b, j);
        if !at(b, n).is_ascii_digit() {
            return None;
        }
        let (_, end) = address_at(b, n, None)?;
        return Some((i, end));
    }
    if flags & F_STREET_BEFORE != 0 {
        // `Calle Mayor 12`, `C/ Atocha 5`, `ul. Długa 7`, `Rua Augusta, 12`, `Via Roma 3`
        let mut j = e;
        if matches!(at(b, j), b'.' | b'/') {
            j += 1;
        }
        if w.len() == 1 && at(b, e) != b'/' && at(b, e) != b'.' {
            return None;
        }
        let we = street_words(b, j)?;
        let k = skip_sep(b, we);
        let hn = house_number(b, k)?;
        return Some((i, postcode_tail(b, hn)));
    }
    // `Hauptstraße 5`, `Berliner Str. 12`, `Karl-Marx Allee 3`
    // `Hauptstraße 5` / `Karl-Marx Allee 3`: a number or a street word must follow
    if !capitalised(b, i) || at(b, e) != b' ' && at(b, e) != b'.' {
        return None;
    }
    let mut j = e;
    let german = GERMAN_SUFFIXES.iter().any(|s| {
        w.len() > s.len()
            && w.get(w.len() - s.len()..)
                .is_some_and(|t| t.eq_ignore_ascii_case(s.as_bytes()))
    });
    if !german {
        // `Karl-Marx Allee 3`: only a capital A/S/P/W/R word can follow
        if at(b, e) != b' '
            || !matches!(
                at(b, e + 1),
                b'A' | b'S' | b'P' | b'W' | b'R' | b'B' | b'C' | b'T'
            )
        {
            return None;
        }
        let n = next_word(b, e)?;
        let ne = word_end(b, n);
        let nw = b.get(n..ne)?;
        // `Willowbrook Crescent`, `Station Road`: a full English street word needs no
        // house number (abbreviations and words such as Drive, Lane, Way do).
        if matches!(
            nw,
            b"Street" | b"Road" | b"Avenue" | b"Crescent" | b"Boulevard" | b"Terrace"
        ) && !is_letter(at(b, ne))
        {
            return Some((i, postcode_tail(b, ne)));
        }
        if !matches!(at(b, n), b'A' | b'S' | b'P' | b'W' | b'R') {
            return None;
        }
        if !matches!(
            nw,
            b"Allee" | b"Stra\xc3\x9fe" | b"Strasse" | b"Str" | b"Platz" | b"Weg" | b"Ring"
        ) {
            return None;
        }
        j = ne;
    }
    if at(b, j) == b'.' {
        j += 1;
    }
    if at(b, j) != b' ' {
        return None;
    }
    let hn = house_number(b, j + 1)?;
    Some((i, postcode_tail(b, hn)))
}

/// After a birth word (`born on`, `geboren am`, `date of birth:`), a date
/// (`1985-03-12`, `12.03.1985`, `12/03/1985`). Returns its span.
pub(crate) fn birth_date_after(b: &[u8], e: usize) -> Option<(usize, usize)> {
    let mut j = e;
    for _ in 0..4 {
        while matches!(at(b, j), b' ' | b':' | b'=' | b',' | b'"' | b'\'') && j - e < 24 {
            j += 1;
        }
        if at(b, j).is_ascii_digit() {
            break;
        }
        let we = word_end(b, j);
        let w = b.get(j..we)?;
        if !matches!(
            w,
            b"on"
                | b"am"
                | b"el"
                | b"le"
                | b"em"
                | b"il"
                | b"the"
                | b"of"
                | b"date"
                | b"in"
                | b"at"
                | b"is"
                | b"was"
                | b"dnia"
                | b"de"
                | b"ka"
                | b"hai"
        ) {
            return None;
        }
        j = we;
    }
    date_at(b, j).map(|end| (j, end))
}

/// A calendar date whose year is 1920-2010 and that is not a timestamp (no time follows):
/// in logs, such a date is almost always a birth date.
pub(crate) fn old_date(b: &[u8], i: usize) -> Option<usize> {
    if is_alnum(before(b, i)) || matches!(before(b, i), b'.' | b'/' | b'-' | b':') {
        return None;
    }
    let end = date_at(b, i)?;
    let year_at = if at(b, i + 4) == b'-' { i } else { end - 4 };
    let year = b
        .get(year_at..year_at + 4)?
        .iter()
        .fold(0_u32, |acc, &c| acc * 10 + u32::from(c.wrapping_sub(b'0')));
    if !(1920..=2010).contains(&year) {
        return None;
    }
    let timestamp = matches!(at(b, end), b'T' | b'_')
        || (at(b, end) == b' ' && at(b, end + 1).is_ascii_digit() && at(b, end + 3) == b':');
    (!timestamp).then_some(end)
}

/// `yyyy-mm-dd`, `dd.mm.yyyy`, `dd/mm/yyyy`, `dd-mm-yyyy` (one or two-digit day/month).
fn date_at(b: &[u8], i: usize) -> Option<usize> {
    let run = |from: usize| {
        let mut k = from;
        while at(b, k).is_ascii_digit() && k - from < 5 {
            k += 1;
        }
        k - from
    };
    let a = run(i);
    let sep = at(b, i + a);
    if !matches!(sep, b'-' | b'.' | b'/') {
        return None;
    }
    let m = run(i + a + 1);
    if at(b, i + a + 1 + m) != sep {
        return None;
    }
    let y = run(i + a + m + 2);
    let end = i + a + m + 2 + y;
    let ok = (a == 4 && (1..=2).contains(&m) && (1..=2).contains(&y))
        || ((1..=2).contains(&a) && (1..=2).contains(&m) && y == 4);
    // `15.0.2000.5` is a version, not a date
    let more = matches!(at(b, end), b'.' | b'-' | b'/') && at(b, end + 1).is_ascii_digit();
    (ok && !is_alnum(at(b, end)) && !more).then_some(end)
}
