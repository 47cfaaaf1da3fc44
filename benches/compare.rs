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
//! OpenTelemetry, which has no stable bound instruments (0.33 has them behind its
//! `experimental_metrics_bound_instruments` feature, not used here), `Counter::add`
//! with an empty attribute slice; for `metrics`, the `Counter` returned by `counter!`, held.
//!
//! The `*_2threads` cases use `iter_custom`: each sample starts 2 threads, each does
//! one untimed operation (thread-local set-up), waits on a barrier, then runs `iters`
//! operations and times them; the sample is the slower thread's time. So the figure
//! is the per-operation latency *per thread* while another thread contends for the
//! same series (aggregate throughput is twice its reciprocal). They only measure
//! contention when both threads really run at once: on a machine with fewer idle
//! cores than that (and telemetra's flusher wants one too), they mostly measure the
//! scheduler — check with the CPU clock below, where a contended case costing no more
//! CPU than its single-threaded twin means the threads barely overlapped.
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
//! ## Which clock
//! By default every figure is wall time, as criterion measures it. On a shared or
//! oversubscribed machine wall time also counts the time the benchmark thread spent
//! descheduled; `TELEMETRA_BENCH_CLOCK=cpu` switches to the benchmark threads' own
//! CPU time (`CLOCK_THREAD_CPUTIME_ID`; for the `*_2threads` cases the slower
//! thread's), which is far steadier there but leaves out time spent waiting for a
//! lock or for the other thread, and of course the work of background threads. Criterion compares each run with the previous one
//! whatever its clock: save the CPU-time runs under their own baseline name to keep
//! the two apart.
//!
//! ```text
//! TELEMETRA_BENCH_CLOCK=cpu cargo bench -p telemetra-bench-compare --bench compare -- --save-baseline cpu
//! ```
//!
//! Timing values: 12.5 for telemetra (`timing_ms`) and OpenTelemetry (whose default
//! buckets are meant for milliseconds), 0.0125 for prometheus (default buckets in
//! seconds) and `metrics` (a summary by default: the value only lands in a bucket).

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, Throughput};

/// Threads in the `*_2threads` cases.
const THREADS: usize = 2;

/// What the benchmarks measure with (see "Which clock" above).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Clock {
    Wall,
    ThreadCpu,
}

/// A point on either clock.
#[derive(Clone, Copy, Debug)]
enum Stamp {
    Wall(Instant),
    Cpu(Duration),
}

impl Clock {
    fn now(self) -> Stamp {
        match self {
            Clock::Wall => Stamp::Wall(Instant::now()),
            Clock::ThreadCpu => Stamp::Cpu(thread_cpu_now()),
        }
    }
}

impl Stamp {
    fn elapsed(self) -> Duration {
        match self {
            Stamp::Wall(start) => start.elapsed(),
            Stamp::Cpu(start) => thread_cpu_now().saturating_sub(start),
        }
    }
}

/// The calling thread's CPU time so far.
#[cfg(unix)]
fn thread_cpu_now() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// No per-thread CPU clock here: wall time stands in (see `main`).
#[cfg(not(unix))]
fn thread_cpu_now() -> Duration {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

/// Criterion measurement on the benchmark thread's CPU clock.
struct ThreadCpuTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        thread_cpu_now()
    }
    fn end(&self, start: Duration) -> Duration {
        thread_cpu_now().saturating_sub(start)
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, v: &Duration) -> f64 {
        v.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuNanos
    }
}

/// Formats nanoseconds of CPU time (criterion's own formatter is private).
struct CpuNanos;

impl ValueFormatter for CpuNanos {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if typical < 1e3 {
            (1.0, "ns cpu")
        } else if typical < 1e6 {
            (1e-3, "µs cpu")
        } else if typical < 1e9 {
            (1e-6, "ms cpu")
        } else {
            (1e-9, "s cpu")
        };
        for v in values {
            *v *= factor;
        }
        unit
    }

    fn scale_throughputs(
        &self,
        typical: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let per_iter = match *throughput {
            Throughput::Bytes(n) | Throughput::BytesDecimal(n) | Throughput::Elements(n) => n,
        } as f64;
        for v in values {
            *v = per_iter * 1e9 / *v;
        }
        let _ = typical;
        "/s cpu"
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

/// Runs `op` `iters` times on each of [`THREADS`] threads released together by a
/// barrier; returns the slower thread's elapsed time on `clock`.
fn contended<F: Fn() + Sync>(clock: Clock, iters: u64, op: F) -> Duration {
    let barrier = Barrier::new(THREADS);
    thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    op(); // thread-local set-up (telemetra's buffer, its counter stripe)
                    barrier.wait();
                    let start = clock.now();
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

fn baseline<M: Measurement<Value = Duration>>(c: &mut Criterion<M>, clock: Clock) {
    let mut g = c.benchmark_group("baseline");
    let n = AtomicU64::new(0);
    g.bench_function("atomic_fetch_add", |b| {
        b.iter(|| black_box(black_box(&n).fetch_add(1, Ordering::Relaxed)))
    });
    g.bench_function("atomic_fetch_add_2threads", |b| {
        b.iter_custom(|iters| {
            contended(clock, iters, || {
                black_box(black_box(&n).fetch_add(1, Ordering::Relaxed));
            })
        })
    });
    g.finish();
}

const TAGS: &[(&str, &str); 2] = &[("method", "GET"), ("status", "200")];

fn telemetra_cases<M: Measurement<Value = Duration>>(
    c: &mut Criterion<M>,
    clock: Clock,
    t: &telemetra::Telemetry,
) {
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
        b.iter_custom(|iters| contended(clock, iters, || t.incr("http.requests", TAGS)))
    });
    g.bench_function("bound_counter_2threads", |b| {
        b.iter_custom(|iters| contended(clock, iters, || counter.incr()))
    });
    g.finish();
}

fn prometheus_cases<M: Measurement<Value = Duration>>(c: &mut Criterion<M>, clock: Clock) {
    use prometheus::{GaugeVec, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};

    let registry = Registry::new();
    let labels = &["method", "status"];
    let requests =
        IntCounterVec::new(Opts::new("http_requests", "requests"), labels).expect("valid counter");
    let latency = HistogramVec::new(
        HistogramOpts::new("http_latency_seconds", "latency"),
        labels,
    )
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
        b.iter(|| {
            inflight
                .with_label_values(&["GET", "200"])
                .set(black_box(42.0))
        })
    });
    let counter = requests.with_label_values(&["GET", "200"]);
    g.bench_function("bound_counter", |b| b.iter(|| counter.inc()));
    g.bench_function("counter_2_tags_2threads", |b| {
        b.iter_custom(|iters| {
            contended(clock, iters, || {
                requests.with_label_values(&["GET", "200"]).inc()
            })
        })
    });
    g.bench_function("bound_counter_2threads", |b| {
        b.iter_custom(|iters| contended(clock, iters, || counter.inc()))
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

fn opentelemetry_cases<M: Measurement<Value = Duration>>(c: &mut Criterion<M>, clock: Clock) {
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
            contended(clock, iters, || {
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
        b.iter_custom(|iters| contended(clock, iters, || requests.add(1, &[])))
    });
    g.finish();
    let _ = provider.shutdown();
}

fn metrics_cases<M: Measurement<Value = Duration>>(c: &mut Criterion<M>, clock: Clock) {
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
            contended(clock, iters, || {
                counter!("http.requests", "method" => "GET", "status" => "200").increment(1)
            })
        })
    });
    g.bench_function("bound_counter_2threads", |b| {
        b.iter_custom(|iters| contended(clock, iters, || bound.increment(1)))
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

fn run<M: Measurement<Value = Duration>>(c: Criterion<M>, clock: Clock, t: &telemetra::Telemetry) {
    let mut cc = c.configure_from_args();
    baseline(&mut cc, clock);
    telemetra_cases(&mut cc, clock, t);
    prometheus_cases(&mut cc, clock);
    opentelemetry_cases(&mut cc, clock);
    metrics_cases(&mut cc, clock);
    cc.final_summary();
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

    let clock = match std::env::var("TELEMETRA_BENCH_CLOCK").as_deref() {
        Ok("cpu") => Clock::ThreadCpu,
        _ => Clock::Wall,
    };
    if clock == Clock::ThreadCpu && cfg!(not(unix)) {
        eprintln!("no per-thread CPU clock on this platform: measuring wall time");
    }
    match clock {
        Clock::Wall => run(Criterion::default().with_measurement(WallTime), clock, &t),
        Clock::ThreadCpu => run(
            Criterion::default().with_measurement(ThreadCpuTime),
            clock,
            &t,
        ),
    }

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
