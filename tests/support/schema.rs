//! Validation of HTTP ingest bodies against `docs/schemas/ingest-v1.json` with
//! `check-jsonschema` (PyPI), shared by the ingest sink tests.

#![allow(clippy::print_stderr)]

use std::path::PathBuf;

/// Validates bodies with check-jsonschema (format checks on); `false` if unavailable.
pub(crate) fn ingest_schema_check(bodies: &[Vec<u8>]) -> bool {
    let venv = std::env::var("TELEMETRA_VENV").unwrap_or_else(|_| "/tmp/telemetra-venv".into());
    let candidates = [
        PathBuf::from(venv).join("bin/check-jsonschema"),
        PathBuf::from("check-jsonschema"),
    ];
    let Some(tool) = candidates.iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        super::skip::skipped(
            "schema check: check-jsonschema not installed (run scripts/test-deps/prometheus.sh)",
        );
        return false;
    };
    let schema = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/schemas/ingest-v1.json");
    let dir = std::env::temp_dir().join(format!(
        "telemetra-ingest-schema-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let files: Vec<PathBuf> = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let p = dir.join(format!("body{i}.json"));
            std::fs::write(&p, b).unwrap();
            p
        })
        .collect();
    let out = std::process::Command::new(tool)
        .arg("--schemafile")
        .arg(&schema)
        .args(&files)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "schema validation failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    true
}
