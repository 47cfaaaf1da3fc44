//! Vendor-side checks for the Datadog, DogStatsD and GCP sink tests: Datadog's and
//! Google's published Python models (tests/tools/*.py, run from the venv at
//! `${TELEMETRA_VENV:-/tmp/telemetra-venv}`) and Etsy StatsD from npm (at
//! `${TELEMETRA_NODE_DIR:-/tmp/telemetra-node}`). `scripts/test-deps/vendors.sh`
//! installs both; when they are missing the checks are skipped (`crate::skip`: every test
//! that includes this module has one).
#![allow(dead_code)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// What a vendor check came to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Passed,
    Skipped(String),
}

/// A fresh directory under the system temp dir.
pub(crate) fn temp_dir(tag: &str) -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("telemetra-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn venv_python() -> Result<PathBuf, String> {
    let venv = std::env::var("TELEMETRA_VENV").unwrap_or_else(|_| "/tmp/telemetra-venv".into());
    let py = Path::new(&venv).join("bin").join("python");
    if py.exists() {
        Ok(py)
    } else {
        Err(format!(
            "no python venv at {venv} (run scripts/test-deps/vendors.sh)"
        ))
    }
}

/// Runs `tests/tools/<script>` on `bodies` (written to a temp dir). Fails the test
/// when the checker finds a problem; skips when the venv or package is absent.
pub(crate) fn check_bodies(script: &str, args: &[&str], bodies: &[Vec<u8>]) -> Verdict {
    let py = match venv_python() {
        Ok(p) => p,
        Err(why) => {
            crate::skip::skipped(&format!("vendor check {script}: {why}"));
            return Verdict::Skipped(why);
        }
    };
    assert!(!bodies.is_empty(), "nothing to check");
    let dir = temp_dir(script.trim_end_matches(".py"));
    let files: Vec<PathBuf> = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let f = dir.join(format!("body-{i}.bin"));
            std::fs::write(&f, b).unwrap();
            f
        })
        .collect();
    let tool = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tools")
        .join(script);
    let out = Command::new(&py)
        .arg(&tool)
        .args(args)
        .args(&files)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    match out.status.code() {
        Some(0) => {
            if std::env::var_os("TELEMETRA_KEEP_BODIES").is_none() {
                let _ = std::fs::remove_dir_all(&dir);
            }
            println!("vendor check {script}: {} ({})", text.trim(), dir.display());
            Verdict::Passed
        }
        Some(3) => {
            crate::skip::skipped(&format!("vendor check {script}: {}", text.trim()));
            Verdict::Skipped(text)
        }
        _ => panic!("{script} rejected bodies in {}:\n{text}", dir.display()),
    }
}

/// The Etsy StatsD package directory, if installed.
pub(crate) fn statsd_dir() -> Result<PathBuf, String> {
    let base = std::env::var("TELEMETRA_NODE_DIR").unwrap_or_else(|_| "/tmp/telemetra-node".into());
    let dir = Path::new(&base).join("node_modules").join("statsd");
    if !dir.join("stats.js").exists() {
        return Err(format!(
            "no statsd at {} (run scripts/test-deps/vendors.sh)",
            dir.display()
        ));
    }
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => Ok(dir),
        _ => Err("node is not on PATH".into()),
    }
}
