//! Skipping a test whose outside dependency (a real server, a vendor's checker) is not
//! installed, visibly.
//!
//! The test runner hides what a passing test prints, so a green run would not say what
//! it did not test. [`skipped`] therefore also appends its line to the file named by
//! `TELEMETRA_SKIP_LOG` (`.ci/run` prints the list at the end), and fails the test
//! instead when `TELEMETRA_REQUIRE_TEST_DEPS=1` (`.ci/run` sets it: the dependency is one
//! that its own `scripts/test-deps` install, so CI can never pass by skipping).
#![allow(dead_code)]
#![allow(clippy::panic, clippy::print_stdout)]

use std::io::Write;

/// Reports that the calling test did not run (or ran only in part) because something
/// `scripts/test-deps` installs is missing; the caller then returns. Panics instead when
/// `TELEMETRA_REQUIRE_TEST_DEPS=1`.
pub(crate) fn skipped(reason: &str) {
    report(reason);
    if std::env::var_os("TELEMETRA_REQUIRE_TEST_DEPS").is_some_and(|v| v == "1") {
        panic!(
            "SKIPPED is not allowed here (TELEMETRA_REQUIRE_TEST_DEPS=1): {reason}; \
             the scripts under scripts/test-deps were meant to install it"
        );
    }
}

/// Like [`skipped`], for what no install script can provide (the machine has no IPv6
/// loopback): reported, never an error.
pub(crate) fn skipped_for_environment(reason: &str) {
    report(reason);
}

fn report(reason: &str) {
    // libtest names each test's thread after the test.
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("?");
    let line = format!(
        "SKIPPED: {}::{test}: {reason}",
        env!("CARGO_CRATE_NAME").trim_start_matches("r#")
    );
    println!("{line}");
    if let Some(path) = std::env::var_os("TELEMETRA_SKIP_LOG") {
        // One `write_all` of a whole line per call: lines from tests running in
        // parallel (and from several test binaries) do not interleave.
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = f.write_all(format!("{line}\n").as_bytes());
        }
    }
}
