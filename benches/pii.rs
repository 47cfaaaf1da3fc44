//! Scrubber throughput: a clean 64-byte tag value (scan and cache hit), a 1 KiB clean event
//! and a 1 KiB event with 3 PII hits, against a baseline of a bare byte scan.
#![allow(clippy::unwrap_used, missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use telemetra::pii::{Scrubber, ScrubberConfig};

fn clean_tag() -> String {
    let s = "GET /api/v1/orders/ORD-2024-000123 status=200 region=eu-west-1 ok".to_owned();
    s.chars().take(64).collect()
}

fn clean_event() -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.len() < 1024 {
        s.push_str(&format!(
            "op=chat.send request_id=550e8400-e29b-41d4-a716-44665544{i:04} latency_ms={} status=200 endpoint=/api/v1/chat/messages ",
            100 + i
        ));
        i += 1;
    }
    s.truncate(1024);
    s
}

fn dirty_event() -> String {
    let mut s = clean_event();
    s.truncate(1024 - 80);
    s.push_str(" ann@example.com +44 20 7946 0958 card 4111 1111 1111 1111 ");
    while s.len() < 1024 {
        s.push('.');
    }
    s
}

/// Realistic ~90-byte log lines (access log, logfmt, JSON, k8s, statsd, prose; one in four
/// with PII), the shape the throughput target is set on.
fn short_lines() -> Vec<String> {
    let lines = [
        r#"10.2.3.4 - - [03/Dec/2026:10:01:02 +0000] "GET /api/v1/orders?page=2 HTTP/1.1" 200 512"#,
        "level=info ts=2026-12-03T10:01:02Z svc=wallet op=wallet.spend latency_ms=42 status=ok",
        r#"{"level":"INFO","service":"chat","operation":"chat.send","latencyMs":87,"success":true}"#,
        "I1203 10:01:02.123456 1 controller.go:312] Reconciling pod payments-api-7d4b9c8f6-x2x9q",
        "product.wallet.spend.success:1|c|#service:wallet,region:eu-west-1,version:2.14.3,env:prod",
        "Scheduled job nightly-report finished in 3412 ms, processed 1532 rows for Tenant Alpha",
        "user maria.garcia@example.com updated profile from 203.0.113.7 with version 4.2.1 ok",
        "2026-12-03 10:01:02,123 WARN [http-nio-8080-exec-3] c.e.OrderService - retry 2 of 5",
    ];
    lines.iter().map(|l| (*l).to_owned()).collect()
}

fn bench(c: &mut Criterion) {
    let scrubber = Scrubber::new(
        ScrubberConfig::builder()
            .hash_key(*b"bench-key-0123456789abcdef012345")
            .build()
            .unwrap(),
    );
    let tag = clean_tag();
    let clean = clean_event();
    let dirty = dirty_event();
    assert_eq!(tag.len(), 64);
    assert_eq!(clean.len(), 1024);
    assert_eq!(dirty.len(), 1024);
    assert_eq!(scrubber.scrub_text(&clean), clean);
    let scrubbed = scrubber.scrub_text(&dirty);
    assert_eq!(scrubbed.matches("[email]").count(), 1);
    assert_eq!(scrubbed.matches("[phone]").count(), 1);
    assert_eq!(scrubbed.matches("[card]").count(), 1);

    let mut g = c.benchmark_group("pii");
    g.throughput(Throughput::Bytes(64));
    g.bench_function("baseline_byte_sum_64b", |b| {
        b.iter(|| {
            black_box(tag.as_bytes())
                .iter()
                .map(|&x| u32::from(x))
                .sum::<u32>()
        });
    });
    g.bench_function("clean_tag_64b_scan", |b| {
        b.iter(|| scrubber.scrub_text(black_box(&tag)).len());
    });
    g.bench_function("clean_tag_64b_cached", |b| {
        b.iter(|| {
            scrubber
                .scrub_tag_value("endpoint", black_box(&tag))
                .map(|v| v.len())
        });
    });
    let lines = short_lines();
    let total: usize = lines.iter().map(String::len).sum();
    g.throughput(Throughput::Bytes(u64::try_from(total).unwrap()));
    g.bench_function("short_lines_90b", |b| {
        b.iter(|| {
            lines
                .iter()
                .map(|l| scrubber.scrub_text(black_box(l)).len())
                .sum::<usize>()
        });
    });
    g.throughput(Throughput::Bytes(1024));
    g.bench_function("clean_event_1k", |b| {
        b.iter(|| scrubber.scrub_text(black_box(&clean)).len());
    });
    g.bench_function("dirty_event_1k_3_hits", |b| {
        b.iter(|| scrubber.scrub_text(black_box(&dirty)).len());
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
