//! Comparison benchmark: the cost, on the emitting thread, of recording a metric with
//! telemetra and with the other common Rust metrics crates — `prometheus` (tikv),
//! `opentelemetry` (the SDK, with a reader attached so that it really aggregates) and
//! `metrics` (with the `metrics-exporter-prometheus` recorder installed).
//!
//! Run it from the workspace root (it belongs to the `telemetra-bench-compare` member,
//! so that its dependencies stay out of telemetra's own build):
//!
//! ```text
//! cargo bench -p telemetra-bench-compare --bench compare
//! cargo bench -p telemetra-bench-compare --bench compare -- --warm-up-time 1 --measurement-time 3
//! cargo bench -p telemetra-bench-compare --bench compare -- bound_counter   # a filter
//! ```
//!
//! Benchmarks are named `library/case`; every library runs the same cases:
//!
//! | case | what one iteration does |
//! | --- | --- |
//! | `baseline/atomic_fetch_add` | one relaxed `AtomicU64::fetch_add` (the floor) |
//! | `counter_2_tags` | increment a counter named inline with two labels, `method=GET,status=200` |
//! | `timing` | record a 12.5 ms observation into a timing / histogram with the same two labels |
//! | `gauge` | set a gauge with the same two labels |
//! | `bound_counter` | increment a counter handle obtained once, outside the loop |
//! | `tagged_emitter_count` | telemetra only: `incr` on a [`telemetra::TaggedEmitter`] holding the two tags |
//! | `*_2threads` | the case above on 2 threads hitting the same series at once |
//!
//! What each library's "bound" counter is: telemetra's [`telemetra::Counter`] from
//! `tagged(..).counter(..)`; a pre-fetched prometheus `IntCounter`; for
//! OpenTelemetry, which has no stable bound instruments, `Counter::add` with an empty
//! attribute slice; for `metrics`, the `Counter` returned by `counter!`, held.
//!
//! The `*_2threads` cases use `iter_custom`: each sample starts 2 threads, each does
//! one untimed operation (thread-local set-up), waits on a barrier, then runs `iters`
//! operations and times them; the sample is the slower thread's time. So the figure
//! is the per-operation latency *per thread* while another thread contends for the
//! same series (aggregate throughput is twice its reciprocal).
//!
//! telemetra runs a real pipeline (`NoopSink`, default 10 s flush interval, queue of
//! 2^20 emissions): its flusher thread drains and aggregates the queue while the
//! benchmark emits, as in production. That work happens off the emitting thread and
//! is *not* in telemetra's figures, so the run ends by printing the pipeline's
//! [`telemetra::Stats`] (were emissions dropped because the flusher fell behind?) and
//! the flusher thread's CPU time per aggregated emission (Linux only). The `metrics`
//! recorder gets the upkeep thread its docs ask for (every 5 s, its default), and the
//! OpenTelemetry provider a periodic reader (10 s, cumulative) with a no-op exporter.
//!
//! Timing values: 12.5 for telemetra (`timing_ms`) and OpenTelemetry (whose default
//! buckets are meant for milliseconds), 0.0125 for prometheus (default buckets in
//! seconds) and `metrics` (a summary by default: the value only lands in a bucket).

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use criterion::Criterion;

/// Threads in the `*_2threads` cases.
const THREADS: usize = 2;

/// Runs `op` `iters` times on each of [`THREADS`] threads released together by a
/// barrier; returns the slower thread's elapsed time.
fn contended<F: Fn() + Sync>(iters: u64, op: F) -> Duration {
    let barrier = Barrier::new(THREADS);
    thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    op(); // thread-local set-up (telemetra's buffer, its counter stripe)
                    barrier.wait();
                    let start = Instant::now();
                    for _ in 0..iters {
                        op();
                    }
                    start.elapsed()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("benchmark thread panicked"))
            .max()
            .unwrap_or_default()
    })
}

fn baseline(c: &mut Criterion) {
    let mut g = c.benchmark_group("baseline");
    let n = AtomicU64::new(0);
    g.bench_function("atomic_fetch_add", |b| {
        b.iter(|| black_box(black_box(&n).fetch_add(1, Ordering::Relaxed)))
    });
    g.bench_function("atomic_fetch_add_2threads", |b| {
        b.iter_custom(|iters| {
            contended(iters, || {
                black_box(black_box(&n).fetch_add(1, Ordering::Relaxed));
            })
        })
    });
    g.finish();
}

const TAGS: &[(&str, &str); 2] = &[("method", "GET"), ("status", "200")];

fn telemetra_cases(c: &mut Criterion, t: &telemetra::Telemetry) {
    let mut g = c.benchmark_group("telemetra");
    g.bench_function("counter_2_tags", |b| {
        b.iter(|| t.incr("http.requests", TAGS))
    });
    g.bench_function("timing", |b| {
        b.iter(|| t.timing_ms("http.latency_ms", black_box(12.5), TAGS))
    });
    g.bench_function("gauge", |b| {
        b.iter(|| t.gauge("http.inflight", black_box(42.0), TAGS))
    });
    let tagged = t.tagged(vec![("method", "GET"), ("status", "200")]);
    let counter = tagged.counter("http.requests", ());
    g.bench_function("bound_counter", |b| b.iter(|| counter.incr()));
    g.bench_function("tagged_emitter_count", |b| {
        b.iter(|| tagged.incr("http.requests", ()))
    });
    g.bench_function("counter_2_tags_2threads", |b| {
        b.iter_custom(|iters| contended(iters, || t.incr("http.requests", TAGS)))
    });
    g.bench_function("bound_counter_2threads", |b| {
        b.iter_custom(|iters| contended(iters, || counter.incr()))
    });
    g.finish();
}

fn prometheus_cases(c: &mut Criterion) {
    use prometheus::{GaugeVec, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};

    let registry = Registry::new();
    let labels = &["method", "status"];
    let requests = IntCounterVec::new(Opts::new("http_requests", "requests"), labels)
        .expect("valid counter");
    let latency = HistogramVec::new(HistogramOpts::new("http_latency_seconds", "latency"), labels)
        .expect("valid histogram");
    let inflight =
        GaugeVec::new(Opts::new("http_inflight", "in flight"), labels).expect("valid gauge");
    registry
        .register(Box::new(requests.clone()))
        .expect("registered");
    registry
        .register(Box::new(latency.clone()))
        .expect("registered");
    registry
        .register(Box::new(inflight.clone()))
        .expect("registered");

    let mut g = c.benchmark_group("prometheus");
    g.bench_function("counter_2_tags", |b| {
        b.iter(|| requests.with_label_values(&["GET", "200"]).inc())
    });
    g.bench_function("timing", |b| {
        b.iter(|| {
            latency
                .with_label_values(&["GET", "200"])
                .observe(black_box(0.0125))
        })
    });
    g.bench_function("gauge", |b| {
        b.iter(|| inflight.with_label_values(&["GET", "200"]).set(black_box(42.0)))
    });
    let counter = requests.with_label_values(&["GET", "200"]);
    g.bench_function("bound_counter", |b| b.iter(|| counter.inc()));
    g.bench_function("counter_2_tags_2threads", |b| {
        b.iter_custom(|iters| {
            contended(iters, || requests.with_label_values(&["GET", "200"]).inc())
        })
    });
    g.bench_function("bound_counter_2threads", |b| {
        b.iter_custom(|iters| contended(iters, || counter.inc()))
    });
    g.finish();
    black_box(registry.gather());
}

/// An OpenTelemetry exporter that discards everything (the counterpart of
/// telemetra's `NoopSink`).
#[derive(Debug)]
struct OtelNoopExporter;

impl opentelemetry_sdk::metrics::exporter::PushMetricExporter for OtelNoopExporter {
    fn export(
        &self,
        _metrics: &opentelemetry_sdk::metrics::data::ResourceMetrics,
    ) -> impl std::future::Future<Output = opentelemetry_sdk::error::OTelSdkResult> + Send {
        std::future::ready(Ok(()))
    }

    fn force_flush(&self) -> opentelemetry_sdk::error::OTelSdkResult {
        Ok(())
    }

    fn shutdown_with_timeout(&self, _timeout: Duration) -> opentelemetry_sdk::error::OTelSdkResult {
        Ok(())
    }

    fn temporality(&self) -> opentelemetry_sdk::metrics::Temporality {
        opentelemetry_sdk::metrics::Temporality::Cumulative
    }
}

fn opentelemetry_cases(c: &mut Criterion) {
    use opentelemetry::metrics::MeterProvider as _;
    use opentelemetry::KeyValue;
    use opentelemetry_sdk::metrics::{PeriodicReader, SdkMeterProvider};

    // Without a reader the SDK's instruments record nothing. A periodic reader on its
    // own thread, exporting (cumulative) to a no-op exporter every 10 s, is the
    // production set-up with telemetra's flush interval.
    let provider = SdkMeterProvider::builder()
        .with_reader(
            PeriodicReader::builder(OtelNoopExporter)
                .with_interval(Duration::from_secs(10))
                .build(),
        )
        .build();
    let meter = provider.meter("telemetra-bench-compare");
    let requests = meter.u64_counter("http.requests").build();
    let latency = meter.f64_histogram("http.latency").with_unit("ms").build();
    let inflight = meter.f64_gauge("http.inflight").build();

    let mut g = c.benchmark_group("opentelemetry");
    g.bench_function("counter_2_tags", |b| {
        b.iter(|| {
            requests.add(
                1,
                &[
                    KeyValue::new("method", "GET"),
                    KeyValue::new("status", "200"),
                ],
            )
        })
    });
    g.bench_function("timing", |b| {
        b.iter(|| {
            latency.record(
                black_box(12.5),
                &[
                    KeyValue::new("method", "GET"),
                    KeyValue::new("status", "200"),
                ],
            )
        })
    });
    g.bench_function("gauge", |b| {
        b.iter(|| {
            inflight.record(
                black_box(42.0),
                &[
                    KeyValue::new("method", "GET"),
                    KeyValue::new("status", "200"),
                ],
            )
        })
    });
    g.bench_function("bound_counter", |b| b.iter(|| requests.add(1, &[])));
    g.bench_function("counter_2_tags_2threads", |b| {
        b.iter_custom(|iters| {
            contended(iters, || {
                requests.add(
                    1,
                    &[
                        KeyValue::new("method", "GET"),
                        KeyValue::new("status", "200"),
                    ],
                )
            })
        })
    });
    g.bench_function("bound_counter_2threads", |b| {
        b.iter_custom(|iters| contended(iters, || requests.add(1, &[])))
    });
    g.finish();
    let _ = provider.shutdown();
}

fn metrics_cases(c: &mut Criterion) {
    use metrics::{counter, gauge, histogram};
    use metrics_exporter_prometheus::PrometheusBuilder;

    let recorder = PrometheusBuilder::new().build_recorder();
    let handle = recorder.handle();
    if metrics::set_global_recorder(recorder).is_err() {
        eprintln!("metrics: a global recorder was already installed");
    }
    // The exporter's docs leave upkeep (draining histogram buckets) to the caller when
    // the recorder is built by hand; 5 s is the interval its own exporters use.
    thread::spawn(move || loop {
        thread::sleep(Duration::from_secs(5));
        handle.run_upkeep();
    });

    let mut g = c.benchmark_group("metrics");
    g.bench_function("counter_2_tags", |b| {
        b.iter(|| counter!("http.requests", "method" => "GET", "status" => "200").increment(1))
    });
    g.bench_function("timing", |b| {
        b.iter(|| {
            histogram!("http.latency", "method" => "GET", "status" => "200")
                .record(black_box(0.0125))
        })
    });
    g.bench_function("gauge", |b| {
        b.iter(|| {
            gauge!("http.inflight", "method" => "GET", "status" => "200").set(black_box(42.0))
        })
    });
    let bound = counter!("http.requests", "method" => "GET", "status" => "200");
    g.bench_function("bound_counter", |b| b.iter(|| bound.increment(1)));
    g.bench_function("counter_2_tags_2threads", |b| {
        b.iter_custom(|iters| {
            contended(iters, || {
                counter!("http.requests", "method" => "GET", "status" => "200").increment(1)
            })
        })
    });
    g.bench_function("bound_counter_2threads", |b| {
        b.iter_custom(|iters| contended(iters, || bound.increment(1)))
    });
    g.finish();
}

/// CPU time used so far by the thread whose name starts with `prefix` (Linux only).
fn thread_cpu_time(prefix: &str) -> Option<Duration> {
    for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim_end().starts_with(prefix) {
            // schedstat: time on CPU (ns), time waiting to run (ns), timeslices.
            let stat = std::fs::read_to_string(task.path().join("schedstat")).ok()?;
            let ns = stat.split_whitespace().next()?.parse().ok()?;
            return Some(Duration::from_nanos(ns));
        }
    }
    None
}

fn main() {
    let t = telemetra::Telemetry::start(
        telemetra::Config::builder()
            .sink(telemetra::sinks::NoopSink)
            .queue_capacity(1 << 20)
            .build()
            .expect("valid config"),
    )
    .expect("pipeline started");

    let mut c = Criterion::default().configure_from_args();
    baseline(&mut c);
    telemetra_cases(&mut c, &t);
    prometheus_cases(&mut c);
    opentelemetry_cases(&mut c);
    metrics_cases(&mut c);
    c.final_summary();

    // What the telemetra figures leave out: the flusher's work, and any drops.
    if let Err(e) = t.flush(Duration::from_secs(30)) {
        eprintln!("telemetra: flush failed: {e}");
    }
    let stats = t.stats();
    eprintln!("telemetra pipeline: {stats:?}");
    // Thread names are cut to 15 bytes in /proc.
    if let Some(cpu) = thread_cpu_time("telemetra-flush") {
        let per = cpu.as_nanos() as f64 / stats.emitted.max(1) as f64;
        eprintln!(
            "telemetra flusher: {:.2} s of CPU for {} emissions aggregated, {per:.1} ns each",
            cpu.as_secs_f64(),
            stats.emitted
        );
    }
    if let Err(e) = t.shutdown(Duration::from_secs(30)) {
        eprintln!("telemetra: shutdown failed: {e}");
    }
}
