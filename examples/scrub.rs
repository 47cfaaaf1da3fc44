//! Scrubs stdin line by line with the default PII rules and writes the result to stdout:
//! `cargo run --example scrub < app.log`.

use std::io::{self, BufRead, BufWriter, Write};

use telemetra::pii::Scrubber;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let scrubber = Scrubber::with_defaults()?;
    let stdin = io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in stdin.lines() {
        let line = line?;
        writeln!(out, "{}", scrubber.scrub_text(&line))?;
    }
    out.flush()?;
    Ok(())
}
