//! Recall and keep of the default scrubber on the generated PII corpus
//! (`tests/data/pii/`, see `gen_corpus.py`): a development part the detectors were tuned
//! against and a held-out part written first and never tuned against. Every record is
//! scrubbed one line at a time through `LineScrubber` (one per part, as a stream),
//! exactly as `examples/scrub` does in plain-text mode. Recall = share of the annotated secrets gone
//! from the output; keep = share of the annotated must-survive values still there.
//!
//! `cargo test --release --test pii_corpus_recall_and_keep -- --nocapture` prints both
//! scores and the development misses per format; `PII_SHOW_HELDOUT=1` also prints the
//! held-out misses (for the final report only: looking at them while tuning spoils the part).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use serde_json::Value;
use telemetra::pii::{LineScrubber, Scrubber, ScrubberConfig};

const DEV: &str = include_str!("data/pii/dev.jsonl");
const HELD_OUT: &str = include_str!("data/pii/heldout.jsonl");

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

fn score(scrubber: &Scrubber, corpus: &str) -> Score {
    let mut s = Score {
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
        for secret in strings(&rec["secrets"]) {
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
        for keep in strings(&rec["keeps"]) {
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
    if show {
        for (format, misses) in &s.misses {
            println!("  {format}: {}", misses.len());
            for m in misses.iter().take(6) {
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
fn held_out_part_recall_and_keep() {
    let s = score(&scrubber(), HELD_OUT);
    report(
        "held-out",
        &s,
        std::env::var_os("PII_SHOW_HELDOUT").is_some(),
    );
    assert!(s.records >= 400, "{} records", s.records);
    // Never tuned against: 0.911 / 1.000 at the last scoring (docs/pii.md). Short of the
    // issue's 0.99 recall on purpose: the floor records what was reached.
    assert!(s.recall() >= 0.90, "held-out recall {}", s.recall());
    assert!(s.keep() >= 0.99, "held-out keep {}", s.keep());
}
