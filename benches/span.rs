//! Span start+end cost: no exporter, a trivial exporter, an unsampled trace; through a
//! running pipeline (`Telemetry::span`) with and without a record sink; plus header
//! extract/inject. A relaxed atomic add is the baseline.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use telemetra::sinks::{MemorySink, NoopSink};
use telemetra::trace::propagation::{extract, inject};
use telemetra::trace::{SpanExporter, SpanRecord, Tracer};
use telemetra::{Config, Telemetry};

/// Counts records and drops them: the cheapest possible exporter.
#[derive(Default)]
struct Count(AtomicU64);
impl SpanExporter for Count {
    fn on_end(&self, record: SpanRecord) {
        // Relaxed: a statistic, no ordering with other memory needed.
        self.0.fetch_add(1, Ordering::Relaxed);
        black_box(&record);
    }
}

fn bench(c: &mut Criterion) {
    let counter = AtomicU64::new(0);
    c.bench_function("baseline/relaxed_atomic_add", |b| {
        b.iter(|| counter.fetch_add(black_box(1), Ordering::Relaxed));
    });

    c.bench_function("baseline/instant_now", |b| b.iter(std::time::Instant::now));
    c.bench_function("baseline/system_time_now", |b| {
        b.iter(std::time::SystemTime::now)
    });

    let none = Tracer::default();
    c.bench_function("span/start_end_no_exporter", |b| {
        b.iter(|| {
            let mut s = none.root_span(black_box("op"));
            s.end();
        });
    });

    let count = Arc::new(Count::default());
    let with = Tracer::builder().exporter(count.clone()).build().unwrap();
    c.bench_function("span/start_end_trivial_exporter", |b| {
        b.iter(|| {
            let mut s = with.root_span(black_box("op"));
            s.end();
        });
    });
    c.bench_function("span/child_start_end_trivial_exporter", |b| {
        let root = with.root_span("root");
        b.iter(|| {
            let mut s = root.child(black_box("child"));
            s.end();
        });
    });
    c.bench_function("span/start_attr_end_trivial_exporter", |b| {
        b.iter(|| {
            let mut s = with.root_span(black_box("op"));
            s.set_attribute("rows", 3_i64);
            s.end();
        });
    });
    let unsampled = Tracer::builder()
        .exporter(count)
        .sample_rate(0.0)
        .build()
        .unwrap();
    c.bench_function("span/start_end_unsampled_exporter", |b| {
        b.iter(|| {
            let mut s = unsampled.root_span(black_box("op"));
            s.end();
        });
    });

    // Through a running pipeline: the span's timing metric, and (with a record sink)
    // the record queued to the flusher. The memory sink is emptied after every sample
    // so that it stays bounded.
    let memory = MemorySink::new();
    let with_records = Telemetry::start(
        Config::builder()
            .self_metrics(false)
            .sink(memory.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    c.bench_function("pipeline/span_start_end_memory_record_sink", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                let mut s = with_records.span(black_box("op"));
                s.end();
            }
            let took = start.elapsed();
            memory.clear_records();
            took
        });
    });
    with_records.shutdown(Duration::from_secs(10)).unwrap();
    let no_records = Telemetry::start(
        Config::builder()
            .self_metrics(false)
            .sink(NoopSink)
            .build()
            .unwrap(),
    )
    .unwrap();
    c.bench_function("pipeline/span_start_end_no_record_sink", |b| {
        b.iter(|| {
            let mut s = no_records.span(black_box("op"));
            s.end();
        });
    });
    no_records.shutdown(Duration::from_secs(10)).unwrap();

    let headers = vec![
        (
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        ),
        ("tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"),
    ];
    c.bench_function("propagation/extract", |b| {
        b.iter(|| extract(black_box(&headers)))
    });
    let span = none.root_span("x");
    c.bench_function("propagation/inject", |b| {
        b.iter(|| {
            let mut out: Vec<(String, String)> = Vec::with_capacity(3);
            inject(black_box(span.context()), &mut out);
            out
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
