//! The Prometheus pull side: what a scrape of 10,000 series costs (collecting every
//! thread's cells now, building the snapshot and rendering text 0.0.4 or OpenMetrics),
//! and what an emission costs while a scraper reads the pipeline every second.
//!
//! `cargo bench --bench scrape`. Series: 8,000 counters (8 metrics × 1,000 routes) and
//! 2,000 timings (2 metrics × 1,000 routes), runtime tag values.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::print_stderr,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use telemetra::sinks::prometheus::{exact_bounds, scrape, RenderOptions};
use telemetra::sinks::NoopSink;
use telemetra::{Config, Telemetry};

const T: Duration = Duration::from_secs(30);

fn pipeline(options: &RenderOptions) -> Telemetry {
    Telemetry::start(
        Config::builder()
            .sink(NoopSink)
            .max_series(20_000)
            .max_series_per_metric(1_000)
            .exact_timing_bounds(exact_bounds(options))
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn routes() -> Vec<String> {
    (0..1000).map(|i| format!("/api/v1/item/{i}")).collect()
}

fn fill(t: &Telemetry, routes: &[String]) {
    for m in 0..8 {
        let name = format!("api.requests.{m}");
        for r in routes {
            t.incr(&name, &[("route", r.as_str())]);
        }
    }
    for m in 0..2 {
        let name = format!("api.latency.{m}");
        for (i, r) in routes.iter().enumerate() {
            t.timing(
                &name,
                Duration::from_micros(100 + i as u64 * 37),
                &[("route", r.as_str())],
            );
        }
    }
}

fn scrape_10k(c: &mut Criterion) {
    let options = RenderOptions::default();
    let t = pipeline(&options);
    let routes = routes();
    fill(&t, &routes);
    let text = scrape(&t, &options, None, T).unwrap();
    eprintln!(
        "scrape: {} series lines, {} bytes of text 0.0.4",
        text.body.lines().filter(|l| !l.starts_with('#')).count(),
        text.body.len()
    );
    let mut g = c.benchmark_group("scrape");
    g.sample_size(20);
    g.bench_function("10k_series_text", |b| {
        b.iter(|| black_box(scrape(&t, &options, None, T).unwrap().body.len()))
    });
    g.bench_function("10k_series_openmetrics", |b| {
        b.iter(|| {
            black_box(
                scrape(&t, &options, Some("application/openmetrics-text"), T)
                    .unwrap()
                    .body
                    .len(),
            )
        })
    });
    g.finish();
    t.shutdown(T).unwrap();
}

/// Emission cost at cardinality 1,000 with and without a scraper reading every
/// second on another thread.
fn emit_while_scraped(c: &mut Criterion) {
    let options = RenderOptions::default();
    let routes = routes();
    let mut g = c.benchmark_group("emit_while_scraped");
    for scraped in [false, true] {
        let t = pipeline(&options);
        fill(&t, &routes);
        let stop = AtomicBool::new(false);
        std::thread::scope(|s| {
            if scraped {
                s.spawn(|| {
                    while !stop.load(Ordering::Relaxed) {
                        let _ = scrape(&t, &options, None, T);
                        for _ in 0..20 {
                            if stop.load(Ordering::Relaxed) {
                                break;
                            }
                            std::thread::sleep(Duration::from_millis(50));
                        }
                    }
                });
            }
            let name = if scraped {
                "counter_card1000_scraped_1s"
            } else {
                "counter_card1000"
            };
            let mut i = 0usize;
            g.bench_function(name, |b| {
                b.iter(|| {
                    i = (i + 1) % routes.len();
                    let r = black_box(routes[i].as_str());
                    t.incr("api.requests.0", &[("route", r)]);
                })
            });
            stop.store(true, Ordering::Relaxed);
        });
        let st = t.stats();
        eprintln!("scraped={scraped}: dropped {}", st.dropped_queue_full);
        t.shutdown(T).unwrap();
    }
    g.finish();
}

criterion_group!(benches, scrape_10k, emit_while_scraped);
criterion_main!(benches);
