//! Recall and keep of the default scrubber on the generated PII corpus
//! (`tests/data/pii/`, see `gen_corpus.py`): a development part the detectors were tuned
//! against and a held-out part written first and never tuned against. Every record is
//! scrubbed one line at a time through `LineScrubber` (one per part, as a stream),
//! exactly as `examples/scrub` does in plain-text mode. Recall = share of the annotated secrets gone
//! from the output; keep = share of the annotated must-survive values still there.
//!
//! A second development part (`dev2.jsonl`, hand-written by `dev2.py`) covers the shapes
//! of the third round: lone surnames after titles and salutations, signatures, postcodes
//! by country, dotted-quad versions, multi-line values through `scrub_json`.
//!
//! A third development part (`dev3.py`, the fourth round) was split when written: 70 %
//! tuned against (`dev3.jsonl`), a random 30 % (`dev3_heldout.jsonl`) scored only in
//! aggregate, like the held-out parts.
//!
//! A second held-out part (`heldout2.jsonl`, written by hand in other shapes and languages
//! before the scrubber was changed for it, see `heldout2.py`) and a third, written blind
//! by a session that read neither the scrubber nor the other parts (`heldout3.py`), carry
//! a class per value;
//! for the generated parts the class is read from the record's format or the value's shape.
//!
//! `cargo test --release --test pii_corpus_recall_and_keep -- --nocapture` prints the
//! scores by class and the development misses per format; `PII_SHOW_HELDOUT=1` also prints
//! the held-out misses (for the final report only: looking at them while tuning spoils the
//! part); `PII_SHOW_ALL=1` prints every development miss, not the first six per format.
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use serde_json::Value;
use telemetra::pii::{LineScrubber, Scrubber, ScrubberConfig};

const DEV: &str = include_str!("data/pii/dev.jsonl");
const DEV_2: &str = include_str!("data/pii/dev2.jsonl");
const DEV_3: &str = include_str!("data/pii/dev3.jsonl");
const DEV_3_HELD_OUT: &str = include_str!("data/pii/dev3_heldout.jsonl");
const HELD_OUT: &str = include_str!("data/pii/heldout.jsonl");
const HELD_OUT_2: &str = include_str!("data/pii/heldout2.jsonl");
const HELD_OUT_3: &str = include_str!("data/pii/heldout3.jsonl");
const HELD_OUT_4: &str = include_str!("data/pii/heldout4.jsonl");

struct Score {
    records: usize,
    /// Records that are one JSON object, scored again through `scrub_json` (the `--json`
    /// mode of `examples/scrub`): (secrets, removed, keeps, kept).
    json: (usize, usize, usize, usize),
    secrets: usize,
    removed: usize,
    keeps: usize,
    kept: usize,
    misses: BTreeMap<String, Vec<String>>,
    /// Per class: (secrets, removed, keeps, kept).
    classes: BTreeMap<String, (usize, usize, usize, usize)>,
}

impl Score {
    fn recall(&self) -> f64 {
        ratio(self.removed, self.secrets)
    }
    fn keep(&self) -> f64 {
        ratio(self.kept, self.keeps)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        f64::from(u32::try_from(a).unwrap()) / f64::from(u32::try_from(b).unwrap())
    }
}

fn scrubber() -> Scrubber {
    Scrubber::new(
        ScrubberConfig::builder()
            .hash_key(*b"corpus-test-key-0123456789abcdef")
            .build()
            .unwrap(),
    )
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

/// The class of a generated record's secret: the record's format names it when the format
/// is about one class, otherwise the value's shape does.
fn inferred_class(format: &str, secret: &str) -> &'static str {
    let by_format = [
        ("imei", "imei"),
        ("dob", "dob"),
        ("born", "dob"),
        ("natid", "national_id"),
        ("more_ids", "national_id"),
        ("wallet", "wallet"),
        ("aba", "routing"),
        ("otp", "otp"),
        ("pin", "otp"),
        ("card", "card"),
        ("iban", "iban"),
        ("homepath", "home_path"),
        ("pem", "private_key"),
    ];
    if let Some((_, c)) = by_format.iter().find(|(f, _)| format.starts_with(f)) {
        return c;
    }
    let b = secret.as_bytes();
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    if secret.contains('@') || secret.contains("%40") {
        "email"
    } else if digits > 0
        && b.iter().all(|c| c.is_ascii_digit() || *c == b'.')
        && secret.matches('.').count() == 3
        || secret.contains("::")
    {
        "ip"
    } else if secret.starts_with('+')
        || (digits >= 7
            && b.iter()
                .all(|c| c.is_ascii_digit() || b" ()-./".contains(c)))
    {
        "phone"
    } else if format.starts_with("chat") && secret.contains(' ') {
        "content"
    } else if format.starts_with("address") || secret.split(' ').count() > 1 && digits > 0 {
        "address"
    } else if digits == 0 && secret.chars().next().is_some_and(char::is_uppercase) {
        "name"
    } else if digits > 0
        && digits == b.len() - b.iter().filter(|c| **c == b'-' || **c == b' ').count()
    {
        "postcode_or_number"
    } else {
        "secret"
    }
}

fn classes(rec: &Value, field: &str, n: usize, fallback: impl Fn(usize) -> String) -> Vec<String> {
    match rec.get(field).and_then(Value::as_array) {
        Some(a) => a.iter().map(|c| c.as_str().unwrap().to_owned()).collect(),
        None => (0..n).map(fallback).collect(),
    }
}

fn score(scrubber: &Scrubber, corpus: &str) -> Score {
    let mut s = Score {
        classes: BTreeMap::new(),
        json: (0, 0, 0, 0),
        records: 0,
        secrets: 0,
        removed: 0,
        keeps: 0,
        kept: 0,
        misses: BTreeMap::new(),
    };
    let mut lines = LineScrubber::new(scrubber);
    for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
        let rec: Value = serde_json::from_str(line).unwrap();
        let text = rec["text"].as_str().unwrap();
        let format = rec["format"].as_str().unwrap().to_owned();
        let out: Vec<String> = text
            .split('\n')
            .map(|l| lines.scrub_line(l).into_owned())
            .collect();
        let out = out.join("\n");
        s.records += 1;
        if let Ok(mut value @ Value::Object(_)) = serde_json::from_str::<Value>(text) {
            scrubber.scrub_json(&mut value);
            let json_out = value.to_string();
            for secret in strings(&rec["secrets"]) {
                s.json.0 += 1;
                s.json.1 += usize::from(!json_out.contains(&secret));
            }
            for keep in strings(&rec["keeps"]) {
                s.json.2 += 1;
                s.json.3 += usize::from(json_out.contains(&keep));
            }
        }
        let secrets = strings(&rec["secrets"]);
        let keeps = strings(&rec["keeps"]);
        let secret_classes = classes(&rec, "secret_classes", secrets.len(), |i| {
            inferred_class(&format, &secrets[i]).to_owned()
        });
        let keep_classes = classes(&rec, "keep_classes", keeps.len(), |_| "keep".to_owned());
        assert_eq!(secret_classes.len(), secrets.len());
        assert_eq!(keep_classes.len(), keeps.len());
        for (secret, class) in secrets.iter().zip(&secret_classes) {
            let gone = !out.contains(secret.as_str());
            let c = s.classes.entry(class.clone()).or_default();
            c.0 += 1;
            c.1 += usize::from(gone);
        }
        for (keep, class) in keeps.iter().zip(&keep_classes) {
            let there = out.contains(keep.as_str());
            let c = s.classes.entry(format!("keep:{class}")).or_default();
            c.2 += 1;
            c.3 += usize::from(there);
        }
        for secret in secrets {
            s.secrets += 1;
            if out.contains(&secret) {
                s.misses
                    .entry(format.clone())
                    .or_default()
                    .push(format!("leak {secret:?} in {out:?}"));
            } else {
                s.removed += 1;
            }
        }
        for keep in keeps {
            s.keeps += 1;
            if out.contains(&keep) {
                s.kept += 1;
            } else {
                s.misses
                    .entry(format.clone())
                    .or_default()
                    .push(format!("lost {keep:?} in {out:?}"));
            }
        }
    }
    s
}

fn report(name: &str, s: &Score, show: bool) {
    println!(
        "{name}: {} records, {} secrets, {} keeps: recall {:.4}, keep {:.4}",
        s.records,
        s.secrets,
        s.keeps,
        s.recall(),
        s.keep()
    );
    println!(
        "{name}, JSON records through scrub_json: {} secrets, {} keeps: recall {:.4}, keep {:.4}",
        s.json.0,
        s.json.2,
        ratio(s.json.1, s.json.0),
        ratio(s.json.3, s.json.2)
    );
    let by_class: Vec<String> = s
        .classes
        .iter()
        .map(|(class, &(n, removed, k, kept))| {
            if n > 0 {
                format!("{class} {removed}/{n}")
            } else {
                format!("{class} {kept}/{k}")
            }
        })
        .collect();
    println!("{name} by class: {}", by_class.join(", "));
    if show {
        for (format, misses) in &s.misses {
            println!("  {format}: {}", misses.len());
            let all = std::env::var_os("PII_SHOW_ALL").is_some();
            for m in misses.iter().take(if all { usize::MAX } else { 6 }) {
                println!("    {m}");
            }
        }
    }
}

#[test]
fn development_part_recall_and_keep() {
    let s = score(&scrubber(), DEV);
    report("dev", &s, true);
    assert!(s.records >= 1000, "{} records", s.records);
    // Reached 1.000 / 1.000 after tuning (docs/pii.md); the floors leave room for noise
    // from regenerating the corpus, not for regressions.
    assert!(s.recall() >= 0.995, "dev recall {}", s.recall());
    assert!(s.keep() >= 0.995, "dev keep {}", s.keep());
}

#[test]
fn second_development_part_recall_and_keep() {
    // Hand-written in the shapes the third round of #14 worked on (`dev2.py`): lone
    // surnames, signatures, postcodes by country, dotted-quad versions, multi-line values.
    let s = score(&scrubber(), DEV_2);
    report("dev2", &s, true);
    assert!(s.records >= 200, "{} records", s.records);
    // Reached 0.983 / 1.000 after the third round (docs/pii.md).
    assert!(s.recall() >= 0.98, "dev2 recall {}", s.recall());
    assert!(s.keep() >= 0.995, "dev2 keep {}", s.keep());
}

#[test]
fn third_development_part_recall_and_keep() {
    // Hand-written for the fourth round of #14 (`dev3.py`): names in support and chat
    // prose and under person-ish keys, chat content under message-like keys, OTPs in
    // prose, photo URLs outside photo keys, passwords in DSNs/CLIs/SQL, tokens in URLs and
    // vendor prefixes, and values the JSON path must keep. 70 % of it, tuned against.
    let s = score(&scrubber(), DEV_3);
    report("dev3", &s, true);
    assert!(s.records >= 200, "{} records", s.records);
    assert!(s.recall() >= DEV_3_FLOOR.0, "dev3 recall {}", s.recall());
    assert!(s.keep() >= DEV_3_FLOOR.1, "dev3 keep {}", s.keep());
}

/// Floors of dev3 and of its held-out 30 % (recall, keep): what the fourth round reached,
/// minus a small margin.
/// Start of the round: 0.644 / 0.982 and 0.667 / 0.994; end: 0.971 / 0.994 and 0.821 / 0.994.
const DEV_3_FLOOR: (f64, f64) = (0.95, 0.985);
const DEV_3_HELD_OUT_FLOOR: (f64, f64) = (0.80, 0.985);

#[test]
fn third_development_part_held_out_share() {
    // The random 30 % of `dev3.py`'s records (seed 14) set aside when it was written: scored
    // only in aggregate while tuning, its misses never looked at.
    held_out(
        "dev3 held-out",
        DEV_3_HELD_OUT,
        90,
        DEV_3_HELD_OUT_FLOOR.0,
        DEV_3_HELD_OUT_FLOOR.1,
    );
}

/// Scores a held-out part (misses printed only with `PII_SHOW_HELDOUT`) and checks its
/// size and floors.
fn held_out(name: &str, corpus: &str, min_records: usize, recall: f64, keep: f64) {
    let s = score(&scrubber(), corpus);
    report(name, &s, std::env::var_os("PII_SHOW_HELDOUT").is_some());
    assert!(s.records >= min_records, "{name}: {} records", s.records);
    assert!(s.recall() >= recall, "{name} recall {}", s.recall());
    assert!(s.keep() >= keep, "{name} keep {}", s.keep());
}

#[test]
fn held_out_part_recall_and_keep() {
    // Never tuned against: 0.911 / 1.000, then 0.999 / 1.000 after the class fixes made
    // for heldout2 (tables, names, bank accounts; docs/pii.md).
    held_out("held-out", HELD_OUT, 400, 0.99, 0.99);
}

#[test]
fn second_held_out_part_recall_and_keep() {
    // Written before the scrubber was changed for it and never tuned against (only the
    // per-class totals were looked at): 0.732 / 0.950 when written, 0.922 / 0.960 after
    // the session that wrote it, 0.935 / 0.975 after the third round, 0.945 / 0.975 after
    // the fourth (docs/pii.md). The floors record what was reached.
    held_out("held-out 2", HELD_OUT_2, 200, 0.94, 0.97);
}

#[test]
fn third_held_out_part_recall_and_keep() {
    // Written blind (`heldout3.py`): by a session that read neither the scrubber nor the
    // other corpora, from the product's PII rules alone, and never tuned against.
    // First score, before any change made after it was written: 0.808 / 0.969; after
    // the third round (made without seeing it): 0.859 / 0.977; after the fourth (also
    // without seeing it; only the aggregate was read): 0.892 / 0.978.
    held_out("held-out 3", HELD_OUT_3, 350, 0.88, 0.97);
}

#[test]
fn fourth_held_out_part_recall_and_keep() {
    // Written blind (`heldout4.py`) in the fifth session, like the third, by a session
    // that read neither the scrubber nor the other parts, while the fourth round was
    // made by another that never saw it. First score (main before the fourth round):
    // 0.839 / 0.984; after it 0.862 / 0.982 (docs/pii.md). No one has printed its misses.
    held_out("held-out 4", HELD_OUT_4, 450, 0.85, 0.975);
}
