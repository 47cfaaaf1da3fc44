//! The OTLP message types in `src/sinks/otlp/gen/` are generated from the official
//! OpenTelemetry definitions vendored in `proto/` (opentelemetry-proto v1.9.0, Apache
//! 2.0), never written by hand: this test regenerates them with `protox` (a pure-Rust
//! protobuf compiler) and `prost-build`, and fails when the committed files differ.
//! `TELEMETRA_REGENERATE_OTLP=1 cargo test --test otlp_types_match_the_official_definitions`
//! writes them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

const FILES: &[&str] = &[
    "opentelemetry/proto/collector/metrics/v1/metrics_service.proto",
    "opentelemetry/proto/collector/trace/v1/trace_service.proto",
    "opentelemetry/proto/collector/logs/v1/logs_service.proto",
];

#[test]
fn generated_otlp_types_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fds = protox::compile(FILES, [root.join("proto")]).unwrap();
    let out = std::env::temp_dir().join(format!("telemetra-otlp-gen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    prost_build::Config::new()
        // The definitions' comments hold indented examples that rustdoc would compile
        // as doctests; the .proto files in `proto/` keep them.
        .disable_comments(["."])
        .out_dir(&out)
        .compile_fds(fds)
        .unwrap();
    let committed = root.join("src/sinks/otlp/gen");
    let regenerate = std::env::var_os("TELEMETRA_REGENERATE_OTLP").is_some();
    let mut names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        let fresh = std::fs::read_to_string(out.join(&name)).unwrap();
        let path = committed.join(&name);
        if regenerate {
            std::fs::write(&path, &fresh).unwrap();
            continue;
        }
        let old = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} is missing: regenerate", path.display()));
        assert!(
            old == fresh,
            "{} differs from what the definitions generate: regenerate with TELEMETRA_REGENERATE_OTLP=1",
            path.display()
        );
    }
    let _ = std::fs::remove_dir_all(&out);
}
