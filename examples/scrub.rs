//! Scrubs stdin line by line with the default PII rules and writes the result to stdout:
//! `cargo run --example scrub < app.log` (plain text, one line per record, with the state
//! that spans lines such as PEM key bodies), or `cargo run --example scrub -- --json <
//! events.jsonl` (one JSON value per line through the key-aware `scrub_json`; a line that
//! is not JSON is scrubbed as text).

use std::io::{self, BufRead, BufWriter, Write};

use telemetra::pii::{LineScrubber, Scrubber};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let json = std::env::args().skip(1).any(|a| a == "--json");
    let scrubber = Scrubber::with_defaults()?;
    let mut lines = LineScrubber::new(&scrubber);
    let stdin = io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in stdin.lines() {
        let line = line?;
        if json {
            if let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&line) {
                scrubber.scrub_json(&mut value);
                writeln!(out, "{value}")?;
                continue;
            }
        }
        writeln!(out, "{}", lines.scrub_line(&line))?;
    }
    out.flush()?;
    Ok(())
}
