//! The OTLP message types in `src/sinks/otlp/gen/` are generated from the official
//! OpenTelemetry definitions vendored in `proto/` (opentelemetry-proto v1.9.0, Apache
//! 2.0), never written by hand: this test regenerates them with `protox` (a pure-Rust
//! protobuf compiler) and `prost-build`, and fails when the committed files differ.
//! `TELEMETRA_REGENERATE_OTLP=1 cargo test --test otlp_types_match_the_official_definitions`
//! writes them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

const FILES: &[&str] = &[
    "opentelemetry/proto/collector/metrics/v1/metrics_service.proto",
    "opentelemetry/proto/collector/trace/v1/trace_service.proto",
    "opentelemetry/proto/collector/logs/v1/logs_service.proto",
];

/// OTLP/JSON writes a oneof's member inline in its message (`"asDouble": 1.5`), so
/// every oneof field is `#[serde(flatten)]`ed. prost-build's field attributes would also
/// reach the oneof's variants, so this one step is done on its output instead.
fn inline_oneofs(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + 256);
    for line in code.lines() {
        if let Some(at) = line.find("#[prost(oneof = ") {
            out.push_str(&line[..at]);
            out.push_str("#[serde(flatten)]\n");
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[test]
fn generated_otlp_types_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fds = protox::compile(FILES, [root.join("proto")]).unwrap();
    let out = std::env::temp_dir().join(format!("telemetra-otlp-gen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let mut config = prost_build::Config::new();
    // The definitions' comments hold indented examples that rustdoc would compile as
    // doctests; the .proto files in `proto/` keep them.
    config.disable_comments(["."]);
    // OTLP/JSON: lowerCamelCase names, oneofs inlined into their message, enums as
    // integers, trace and span ids as hex (the OTLP rule), other bytes as base64.
    config.type_attribute(".", "#[derive(serde::Serialize)]");
    config.type_attribute(".", "#[serde(rename_all = \"camelCase\")]");
    for id in [
        "trace.v1.Span.trace_id",
        "trace.v1.Span.span_id",
        "trace.v1.Span.parent_span_id",
        "trace.v1.Span.Link.trace_id",
        "trace.v1.Span.Link.span_id",
        "logs.v1.LogRecord.trace_id",
        "logs.v1.LogRecord.span_id",
        "metrics.v1.Exemplar.trace_id",
        "metrics.v1.Exemplar.span_id",
    ] {
        config.field_attribute(
            format!(".opentelemetry.proto.{id}"),
            "#[serde(serialize_with = \"crate::sinks::otlp::json::hex\")]",
        );
    }
    config.field_attribute(
        ".opentelemetry.proto.common.v1.AnyValue.value.bytes_value",
        "#[serde(serialize_with = \"crate::sinks::otlp::json::base64\")]",
    );
    config.out_dir(&out).compile_fds(fds).unwrap();
    let committed = root.join("src/sinks/otlp/gen");
    let regenerate = std::env::var_os("TELEMETRA_REGENERATE_OTLP").is_some();
    let mut names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        let fresh = inline_oneofs(&std::fs::read_to_string(out.join(&name)).unwrap());
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
