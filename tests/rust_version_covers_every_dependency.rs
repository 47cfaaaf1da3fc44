//! `rust-version` in Cargo.toml must be at least every normal dependency's own
//! `rust-version`, as resolved by the committed Cargo.lock: otherwise a user on the
//! declared toolchain gets a build error from a dependency instead of cargo's clear
//! message. Runs `cargo metadata` (offline, locked); skips with a reason when cargo
//! cannot be run.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/skip.rs"]
mod skip;

use std::collections::{HashMap, HashSet};

/// `1.89` and `1.89.0` alike: three numbers.
fn version(v: &str) -> [u64; 3] {
    let mut out = [0; 3];
    for (slot, part) in out.iter_mut().zip(v.split('.')) {
        *slot = part.parse().unwrap_or(0);
    }
    out
}

#[test]
fn declared_rust_version_covers_the_dependencies() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    let Ok(out) = out.map_err(|e| e.to_string()).and_then(|o| {
        if o.status.success() {
            Ok(o)
        } else {
            Err(String::from_utf8_lossy(&o.stderr).into_owned())
        }
    }) else {
        skip::skipped("cargo metadata could not run (run `cargo fetch --locked` first)");
        return;
    };
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages: HashMap<&str, &serde_json::Value> = m["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    let root = m["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "telemetra")
        .unwrap();
    let declared = version(root["rust_version"].as_str().unwrap());
    let nodes: HashMap<&str, &serde_json::Value> = m["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    // Normal dependencies only (all features' worth, as `cargo metadata` resolves).
    let mut seen = HashSet::new();
    let mut stack = vec![root["id"].as_str().unwrap()];
    let mut too_new = Vec::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let p = packages[id];
        if let Some(rv) = p["rust_version"].as_str() {
            if version(rv) > declared {
                too_new.push(format!("{} {} needs {rv}", p["name"], p["version"]));
            }
        }
        for d in nodes[id]["deps"].as_array().unwrap() {
            let normal = d["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].is_null());
            if normal {
                stack.push(d["pkg"].as_str().unwrap());
            }
        }
    }
    assert!(
        too_new.is_empty(),
        "rust-version {declared:?} is older than: {too_new:?}"
    );
}
