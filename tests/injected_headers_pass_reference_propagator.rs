//! Headers we inject pass `tests/tools/w3c_headers_check.py` (the OpenTelemetry
//! reference W3C propagator plus spec rules), including after extracting odd or
//! malformed input.
//!
//! Skips (with a printed reason) without a Python that has `opentelemetry-api`
//! (`$TELEMETRA_PYTHON`, else `/tmp/v/bin/python`).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::panic, missing_docs)]

#[path = "support/skip.rs"]
mod skip;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use telemetra::trace::Tracer;

fn python() -> Option<PathBuf> {
    let p = std::env::var_os("TELEMETRA_PYTHON")
        .map_or_else(|| PathBuf::from("/tmp/v/bin/python"), PathBuf::from);
    let ok = Command::new(&p)
        .args(["-c", "import opentelemetry.trace"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(p)
}

fn validator() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/tools/w3c_headers_check.py");
    p.is_file().then_some(p)
}

#[test]
fn injected_headers_pass_reference_checks() {
    let (Some(py), Some(script)) = (python(), validator()) else {
        skip::skipped(
            "need a python with opentelemetry-api (TELEMETRA_PYTHON, or run scripts/test-deps/python.sh)",
        );
        return;
    };
    let tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    let incoming: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![
            ("traceparent", tp),
            ("tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"),
        ],
        vec![
            ("traceparent", tp),
            ("tracestate", "tenant@vendor=opaque,dd=s:1;o:rum"),
        ],
        vec![(
            "traceparent",
            "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09-x",
        )],
        vec![(
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
        )],
        vec![("traceparent", tp), ("tracestate", "Rojo=1")],
        vec![(
            "traceparent",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        )],
        vec![("X-Trace-Id", "4BF92F35-77B3-4DA6-A3CE-929D0E0E4736")],
        vec![("x-trace-id", "a3ce929d0e0e4736")],
    ];
    let tracer = Tracer::default();
    let dir = std::env::temp_dir().join(format!("telemetra-hdrs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, h) in incoming.iter().enumerate() {
        let span = tracer.span_from_headers(h, "srv");
        let child = span.child("client");
        let mut out: BTreeMap<String, String> = BTreeMap::new();
        let mut v: Vec<(String, String)> = Vec::new();
        child.inject(&mut v);
        out.extend(v);
        let file = dir.join(format!("h{i}.json"));
        std::fs::write(&file, serde_json::to_vec(&out).unwrap()).unwrap();
        let o = Command::new(&py).arg(&script).arg(&file).output().unwrap();
        assert!(
            o.status.success(),
            "case {i} {h:?} -> {out:?}: {}",
            String::from_utf8_lossy(&o.stdout)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "reference propagator accepted {} injected header sets",
        incoming.len()
    );
}
