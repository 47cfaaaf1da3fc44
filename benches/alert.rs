//! Alert-rule evaluation cost per snapshot of 1,000 series, and SLO update cost per event.
//!
//! Run: `cargo bench --bench alert -- --warm-up-time 1 --measurement-time 3`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use telemetra::alert::{Aggregation, AlertEngine, AlertRule, Comparison, SeriesPoint};
use telemetra::slo::{SloDefinition, SloTracker};

const SERIES: usize = 1_000;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap()
}

fn tags() -> Vec<Vec<(String, String)>> {
    (0..SERIES)
        .map(|i| {
            vec![
                ("endpoint".to_owned(), format!("/api/v1/e{i}")),
                ("method".to_owned(), "GET".to_owned()),
                (
                    "status".to_owned(),
                    if i % 10 == 0 { "500" } else { "200" }.to_owned(),
                ),
            ]
        })
        .collect()
}

fn rule(i: usize, grouped: bool) -> AlertRule {
    let mut b = AlertRule::builder(format!("r{i}"), "infra.http.request.count")
        .aggregation(Aggregation::Sum)
        .window(Duration::from_secs(600))
        .condition(Comparison::Gt, 1e12);
    if grouped {
        b = b.group_by("endpoint");
    }
    b.build().unwrap()
}

fn bench_engine(c: &mut Criterion, name: &str, rules: Vec<AlertRule>) {
    let tags = tags();
    let mut engine = AlertEngine::new(rules).unwrap();
    let mut totals = vec![0.0f64; SERIES];
    let mut step = 0i64;
    c.bench_function(name, |b| {
        b.iter(|| {
            step += 1;
            for (i, t) in totals.iter_mut().enumerate() {
                *t += (i % 7) as f64;
            }
            let points: Vec<SeriesPoint<'_>> = tags
                .iter()
                .zip(&totals)
                .map(|(tg, total)| SeriesPoint::counter("infra.http.request.count", tg, *total))
                .collect();
            let now = t0() + chrono::Duration::seconds(10 * step);
            black_box(engine.evaluate(now, &points))
        })
    });
}

fn alert_benches(c: &mut Criterion) {
    let counter = AtomicU64::new(0);
    c.bench_function("baseline/relaxed_add", |b| {
        b.iter(|| counter.fetch_add(1, Ordering::Relaxed))
    });
    bench_engine(c, "alert/evaluate_1rule_1000series", vec![rule(0, false)]);
    bench_engine(
        c,
        "alert/evaluate_10rules_1000series",
        (0..10).map(|i| rule(i, false)).collect(),
    );
    bench_engine(
        c,
        "alert/evaluate_1rule_grouped_1000series",
        vec![rule(0, true)],
    );
}

fn slo_benches(c: &mut Criterion) {
    let def = SloDefinition::builder("api.latency")
        .latency(Duration::from_millis(300))
        .target_percent(99.9)
        .build()
        .unwrap();
    let mut tracker = SloTracker::new(def);
    let mut n = 0i64;
    c.bench_function("slo/record_event", |b| {
        b.iter(|| {
            n += 1;
            tracker.record_event(
                black_box(t0() + chrono::Duration::milliseconds(n)),
                n % 1000 != 0,
            )
        })
    });
    c.bench_function("slo/record_latency", |b| {
        b.iter(|| {
            n += 1;
            tracker.record_latency(
                t0() + chrono::Duration::milliseconds(n),
                Duration::from_millis(black_box(250)),
            )
        })
    });
    let now = t0() + chrono::Duration::milliseconds(n);
    c.bench_function("slo/report", |b| b.iter(|| black_box(tracker.report(now))));
}

criterion_group!(benches, alert_benches, slo_benches);
criterion_main!(benches);
