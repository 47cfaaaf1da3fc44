//! Comparison benchmark: the cost, on the emitting thread, of recording a metric with
//! telemetra and with the other common Rust metrics crates — `prometheus` (tikv),
//! `opentelemetry` (the SDK, with a reader attached so that it really aggregates) and
//! `metrics` (with the `metrics-exporter-prometheus` recorder installed).
//! The `tracing_layer` group compares, likewise, `tracing` spans through telemetra's
//! `tracing_subscriber` layer and through `tracing-opentelemetry`'s (see the last
//! section).
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
//! ## One facade, two backends
//! The `metrics_facade` group runs the same `metrics` macro call through two
//! recorders, each set for the benchmark thread with `metrics::with_local_recorder`:
//! telemetra's `integrations::metrics::TelemetraRecorder` (on the pipeline above) and
//! `metrics-exporter-prometheus`'s recorder (a second one, apart from the global one
//! of the `metrics` group). `*_literal_labels` increments
//! `counter!("http.requests", "route" => "/api/v1/users", "status" => "200")`;
//! `*_runtime_labels` the same with `route` and `status` picked at run time (`&'static
//! str`s through [`black_box`]: the macro builds a `Vec` of labels at each call, the
//! caller's cost, the same for both).
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
//!
//! ## Runtime tag values
//! The cases above pass literal tags. A server's tags are mostly values it has at run
//! time (a route, a status code), so telemetra, prometheus and `metrics` also run
//! `runtime_*` cases whose tag *values* are `String`s built at start-up, passed
//! through [`black_box`] at each call so that the compiler cannot treat them as
//! literals (run only these with the filter `runtime`):
//!
//! | case | what one iteration does |
//! | --- | --- |
//! | `runtime_counter_card1` | increment a counter tagged `route=/api/v1/route/0,status=200` |
//! | `runtime_counter_card1000` | the same, the route cycling through `/api/v1/route/{0..999}` (1,000 series) |
//! | `runtime_timing_card{1,1000}` | record 12.5 ms (`Duration::from_nanos`) with the same two tags |
//! | `runtime_gauge_card{1,1000}` | set a gauge tagged with the route alone |
//! | `runtime_*_2threads` | the case above on 2 threads walking the same series at once, each having first emitted once to every series (untimed) |
//! | `runtime_{counter,timing,gauge}_vec_*` | telemetra only: the same through a family (`t.counter_vec("http.requests", ["route", "status"])`, then `.incr([route, status])`), the counterpart of prometheus' `with_label_values` |
//!
//! How each library takes them: telemetra `&[("route", route), ("status", status)]`
//! of `&str`s; prometheus `with_label_values(&[route, status])`; `metrics` only takes
//! `'static` or owned label values, so its cases pay for `route.to_owned()` (and
//! `status.to_owned()`) at each call, which is what such code does.
//!
//! The group runs with its own settings (1 s warm-up, 2 s measurement, 100 samples,
//! whatever the command line says), and telemetra with its own pipeline (same
//! configuration as above), so that these series and drops are apart from the literal
//! cases'. After criterion has measured a case it runs it once more, 10,000,000
//! emissions in all (5,000,000 per thread for `*_2threads`), and reads the CPU time of
//! the *whole process* around that run (`getrusage(RUSAGE_SELF)`, user + system, every
//! thread, Unix only), as long-lived workers would see it (see `cpu_run`): each thread
//! (fresh ones for `*_2threads`) first emits once to every series, a `flush` lets the
//! flusher take their cells in, and only then does the clock start; the run ends with a
//! `flush`, so the window holds the flusher's aggregation and the sink thread's export of
//! those emissions too. The set-up (a thread's first emission to each series, its start,
//! and the flusher registering its cells) is a one-off per thread and series, shown in a
//! column of its own in µs per new thread-series.
//! The run ends by printing a Markdown table, one line per case: criterion's median
//! time per emission (per thread, on the clock criterion measured with), the process
//! CPU per emission, and for telemetra what the pipeline's [`telemetra::Stats`] say
//! became of the fixed run's emissions (attempted, emitted, dropped) and the share
//! dropped while criterion was measuring (a flush before and after each case keeps
//! cases apart). Under `cargo test --benches` (criterion's test mode) there is no
//! fixed run and no table. Results are kept in `docs/bench-runtime-tags.md`.
//!
//! ## `tracing` spans through three layers, and telemetra's own subscriber
//! The `tracing_layer` group (filter `tracing_layer`) measures one operation: a root
//! `tracing::info_span!("http.request", route, attempt)` (a runtime `&str` and an
//! integer, through [`black_box`]), entered; inside it a child `db.query` span, entered
//! and closed; then the root exited and closed. Every case builds its subscriber into a
//! `tracing::Dispatch` once and sets it for the benchmark thread alone
//! (`tracing::dispatcher::with_default`, no global subscriber):
//!
//! | case | subscriber |
//! | --- | --- |
//! | `bare_registry` | `tracing_subscriber::registry()` alone: the floor |
//! | `telemetra_sampled` | registry + `TelemetraLayer` over a pipeline sampling every trace, whose sink takes span records and discards them (so spans go through the record queue, flusher and sink thread, as to a tracing backend) |
//! | `telemetra_sampled_noopsink` | the same with `NoopSink`, which takes no records: attributes are kept, the record is dropped before the queue |
//! | `telemetra_unsampled` | the record-taking pipeline with `trace_sample_rate(0.0)`: spans are timed, not recorded |
//! | `telemetra_subscriber_sampled` | `TelemetraSubscriber` alone (no registry) over the record-taking pipeline, every trace sampled |
//! | `telemetra_subscriber_unsampled` | `TelemetraSubscriber` alone over the record-taking pipeline with `trace_sample_rate(0.0)` |
//! | `otel_batch` | registry + `tracing-opentelemetry`'s layer (default settings) + an `opentelemetry_sdk` tracer provider with a `BatchSpanProcessor` (queue of 8,192 spans, as telemetra's record queue) and an exporter that counts and drops spans |
//! | `otel_batch_lean` | the same, the layer without source location, thread and target attributes and busy/idle tracking (which telemetra does not record) |
//! | `otel_simple` | the `otel_batch` layer with a `SimpleSpanProcessor`: the exporter is called on the benchmark thread at each span's end |
//!
//! telemetra's pipelines are [`start_pipeline`]'s settings plus the sink and rate
//! above; besides the record, every telemetra span is a timing `<name>` on the
//! metrics path. The group runs with the runtime-tags cases' settings (1 s, 2 s, 100
//! samples), and likewise, under `cargo bench`, follows each case with a fixed run of
//! 200,000 operations between two process CPU readings, ended by a `flush` (telemetra)
//! or `force_flush` (OpenTelemetry), then prints a table: median time per operation,
//! process CPU per operation, and what became of the timings (telemetra's
//! [`telemetra::Stats`]) and of the spans (telemetra's [`telemetra::RecordStats`]; for
//! OpenTelemetry, spans made less spans the exporter received). Results are kept in
//! `docs/bench-tracing-layer.md`.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BenchmarkGroup, Criterion, Throughput};

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

/// `metrics::counter!` through telemetra's recorder and through
/// `metrics-exporter-prometheus`'s (see "One facade, two backends").
fn metrics_facade_cases<M: Measurement<Value = Duration>>(
    c: &mut Criterion<M>,
    t: &telemetra::Telemetry,
) {
    use metrics::counter;
    use metrics_exporter_prometheus::PrometheusBuilder;
    use telemetra::integrations::metrics::TelemetraRecorder;

    let ours = TelemetraRecorder::new(t);
    let prometheus = PrometheusBuilder::new().build_recorder();
    let recorders: [(&str, &dyn metrics::Recorder); 2] =
        [("telemetra", &ours), ("prometheus", &prometheus)];
    let mut g = c.benchmark_group("metrics_facade");
    for (library, recorder) in recorders {
        metrics::with_local_recorder(recorder, || {
            g.bench_function(format!("{library}_literal_labels"), |b| {
                b.iter(|| {
                    counter!("http.requests", "route" => "/api/v1/users", "status" => "200")
                        .increment(1)
                })
            });
            g.bench_function(format!("{library}_runtime_labels"), |b| {
                b.iter(|| {
                    let route: &'static str = black_box("/api/v1/users");
                    let status: &'static str = black_box("200");
                    counter!("http.requests", "route" => route, "status" => status).increment(1)
                })
            });
        });
    }
    g.finish();
}

/// Distinct values the first runtime tag takes: one series, or 1,000 in turn.
const CARDINALITIES: [usize; 2] = [1, 1_000];

/// Emissions in each runtime-tags case's process-CPU run, shared among its threads:
/// enough that the one flush the run ends with (the flusher collecting every cell, 1,000
/// timing histograms ~10–15 ms) weighs as a flush every few hundred milliseconds would,
/// not as one per 2 M emissions (the default interval is 10 s).
const CPU_RUN_EMISSIONS: u64 = 10_000_000;

/// Samples per runtime-tags case. The group sets it, so it is known here: the last
/// this many calls of a case's routine are criterion's measurement samples.
const RUNTIME_SAMPLES: usize = 100;

/// The runtime tag values, built once: what a server has in hand per request.
struct RuntimeTags {
    routes: Vec<String>,
    status: String,
}

impl RuntimeTags {
    fn new() -> Self {
        let most = CARDINALITIES.iter().copied().max().unwrap_or(1);
        RuntimeTags {
            routes: (0..most).map(|i| format!("/api/v1/route/{i}")).collect(),
            status: 200.to_string(),
        }
    }
}

/// How a runtime-tags case emits: from how many threads, over how many series.
#[derive(Clone, Copy, Debug)]
struct Shape {
    threads: usize,
    cardinality: usize,
}

impl Shape {
    /// The case's name in its library's group, e.g. `runtime_counter_card1000_2threads`.
    fn name(self, kind: &str) -> String {
        let threads = if self.threads > 1 {
            format!("_{}threads", self.threads)
        } else {
            String::new()
        };
        format!("runtime_{kind}_card{}{threads}", self.cardinality)
    }
}

/// Calls `op` `n` times with runtime tag values, the route cycling through `routes`
/// (`routes[i % routes.len()]`, without a division per call).
#[inline]
fn emit_loop<F: Fn(&str, &str)>(routes: &[String], status: &str, n: u64, op: &F) {
    let mut j = 0;
    for _ in 0..n {
        // black_box: to the optimiser these are strings known only at run time, as a
        // request's would be, not literals whose hash or address could be folded.
        op(black_box(routes[j].as_str()), black_box(status));
        j += 1;
        if j == routes.len() {
            j = 0;
        }
    }
}

/// Makes `iters` emissions on each of `shape.threads` threads, for several as
/// [`contended`] does: every thread walks the same series, and first makes one
/// untimed emission to each of them (its thread-local set-up: a fresh thread has not
/// seen any, a server's long-lived workers have), then waits on a barrier. Returns
/// the time on `clock` (the slower thread's) and how many emissions were made in
/// all, set-up ones included.
fn run_shape<F: Fn(&str, &str) + Sync>(
    clock: Clock,
    shape: Shape,
    tags: &RuntimeTags,
    iters: u64,
    op: &F,
) -> (Duration, u64) {
    let routes = &tags.routes[..shape.cardinality];
    let status = tags.status.as_str();
    if shape.threads <= 1 {
        let start = clock.now();
        emit_loop(routes, status, iters, op);
        return (start.elapsed(), iters);
    }
    let barrier = Barrier::new(shape.threads);
    let slowest = thread::scope(|s| {
        let handles: Vec<_> = (0..shape.threads)
            .map(|_| {
                s.spawn(|| {
                    emit_loop(routes, status, routes.len() as u64, op);
                    barrier.wait();
                    let start = clock.now();
                    emit_loop(routes, status, iters, op);
                    start.elapsed()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("benchmark thread panicked"))
            .max()
            .unwrap_or_default()
    });
    (
        slowest,
        (iters + routes.len() as u64) * shape.threads as u64,
    )
}

/// CPU time (user + system) used so far by every thread of the process, running or
/// finished.
#[cfg(unix)]
fn process_cpu_now() -> Option<Duration> {
    // SAFETY: `rusage` is plain integers and `timeval`s, for which all zeroes is a
    // valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage for the duration of the call.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    if rc != 0 {
        return None;
    }
    let time = |tv: libc::timeval| Duration::new(tv.tv_sec as u64, tv.tv_usec as u32 * 1_000);
    Some(time(usage.ru_utime) + time(usage.ru_stime))
}

/// No process CPU clock read here: the column stays empty.
#[cfg(not(unix))]
fn process_cpu_now() -> Option<Duration> {
    None
}

/// What a telemetra pipeline did with the emissions of one run.
#[derive(Clone, Copy, Debug)]
struct Fate {
    attempted: u64,
    emitted: u64,
    dropped: u64,
}

impl Fate {
    fn between(before: &telemetra::Stats, after: &telemetra::Stats, attempted: u64) -> Fate {
        Fate {
            attempted,
            emitted: after.emitted.saturating_sub(before.emitted),
            dropped: after.dropped().saturating_sub(before.dropped()),
        }
    }

    fn dropped_percent(self) -> f64 {
        self.dropped as f64 * 100.0 / self.attempted.max(1) as f64
    }
}

/// Flushes `t`, so that every emission made so far is aggregated or counted as
/// dropped, and returns its stats.
fn settled(t: &telemetra::Telemetry) -> telemetra::Stats {
    if let Err(e) = t.flush(Duration::from_secs(10)) {
        eprintln!("telemetra: flush failed: {e}");
    }
    t.stats()
}

/// One line of the runtime-tags table.
#[derive(Debug)]
struct RuntimeRow {
    /// `library/case`.
    case: String,
    /// Criterion's median time per emission (per thread), on its clock.
    median_ns: f64,
    /// Process CPU time (all threads) per emission over the fixed-size run, in the
    /// steady state (see [`cpu_run`]).
    cpu_ns: Option<f64>,
    /// Multi-thread cases: process CPU per series new to a thread, in µs (see
    /// [`cpu_run`]).
    setup_us: Option<f64>,
    /// telemetra only: the fixed-size run's emissions.
    run: Option<Fate>,
    /// telemetra only: the emissions criterion made while measuring the case.
    criterion: Option<Fate>,
}

/// What a library's runtime-tags cases share.
struct RuntimeEnv<'a> {
    clock: Clock,
    library: &'static str,
    tags: &'a RuntimeTags,
    /// telemetra's pipeline: flushed around each measurement, its drops reported.
    pipeline: Option<&'a telemetra::Telemetry>,
    /// Whether to make the fixed-size runs: under `cargo bench`, not in criterion's
    /// test mode (`cargo test --benches`).
    fixed_runs: bool,
}

/// The library's group (named after it, as its literal-tag cases' is), with the
/// short settings of the runtime-tags cases.
fn runtime_group<'a, M: Measurement>(
    c: &'a mut Criterion<M>,
    library: &'static str,
) -> BenchmarkGroup<'a, M> {
    let mut g = c.benchmark_group(library);
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(RUNTIME_SAMPLES);
    g
}

/// Runs `op` (given the route and status values) as `runtime_<kind>_*` cases at every
/// cardinality on 1 and [`THREADS`] threads, then once more for a fixed number of
/// emissions to read the process's CPU time, and adds a table line per case.
fn runtime_case<M, F>(
    g: &mut BenchmarkGroup<'_, M>,
    env: &RuntimeEnv<'_>,
    kind: &str,
    op: F,
    rows: &mut Vec<RuntimeRow>,
) where
    M: Measurement<Value = Duration>,
    F: Fn(&str, &str) + Sync,
{
    for cardinality in CARDINALITIES {
        for threads in [1, THREADS] {
            let shape = Shape {
                threads,
                cardinality,
            };
            let name = shape.name(kind);
            let start = env.pipeline.map(settled);
            let mut samples = Vec::new();
            let mut attempted = 0;
            g.bench_function(name.as_str(), |b| {
                b.iter_custom(|iters| {
                    let (elapsed, made) = run_shape(env.clock, shape, env.tags, iters, &op);
                    attempted += made;
                    samples.push(elapsed.as_nanos() as f64 / iters as f64);
                    elapsed
                })
            });
            // No samples: the filter left the case out (or criterion only listed it).
            if samples.is_empty() || !env.fixed_runs {
                continue;
            }
            let measured = samples.len().saturating_sub(RUNTIME_SAMPLES);
            let median_ns = median(&mut samples[measured..]);
            let before_run = env.pipeline.map(settled);
            let criterion = start
                .zip(before_run)
                .map(|(a, b)| Fate::between(&a, &b, attempted));

            let per_thread = CPU_RUN_EMISSIONS / threads as u64;
            let settle = || {
                if let Some(p) = env.pipeline {
                    settled(p);
                }
            };
            let cpu = cpu_run(shape, env.tags, per_thread, &op, &settle);
            // The fate of every emission of the run, the set-up's included.
            let made = cpu.made + cpu.setup_made;
            let after_run = env.pipeline.map(settled);
            let cpu_ns = cpu.per_emission_ns;
            let run = before_run
                .zip(after_run)
                .map(|(a, b)| Fate::between(&a, &b, made));
            // The series must fit the pipeline's caps, or the case measures overflow.
            let overflow = start.zip(after_run).map_or(0, |(a, b)| {
                b.cardinality_overflow
                    .saturating_sub(a.cardinality_overflow)
            });
            if overflow > 0 {
                eprintln!("telemetra: {name}: {overflow} emissions went to overflow series");
            }
            rows.push(RuntimeRow {
                case: format!("{}/{name}", env.library),
                median_ns,
                cpu_ns,
                setup_us: cpu.setup_us_per_series,
                run,
                criterion,
            });
        }
    }
}

/// What the fixed-size run of a runtime-tags case measured.
struct CpuRun {
    /// Process CPU (all threads, the flusher's included) per emission made after the
    /// set-up, up to and including the settle that aggregates them.
    per_emission_ns: Option<f64>,
    /// Emissions in the measured part.
    made: u64,
    /// Emissions of the set-up (one per thread and series).
    setup_made: u64,
    /// With fresh threads (several): process CPU of the set-up per series new to a
    /// thread, its first emission and the flusher registering its cell, in µs.
    setup_us_per_series: Option<f64>,
}

/// The fixed-size run for the process CPU column, as long-lived workers see it: each
/// thread (fresh ones when there are several, else the bench thread, whose cells
/// criterion made) first emits once to every series, `settle` then lets the flusher
/// take the new cells in, and only then does the CPU clock start; `per_thread`
/// emissions follow on each thread, then `settle` again, and the clock stops. A
/// series' first emission on a thread (its cell allocated and registered, its tags
/// canonicalised and scrubbed once on the flusher) is a one-off per thread and series,
/// reported apart as the set-up.
fn cpu_run<F: Fn(&str, &str) + Sync>(
    shape: Shape,
    tags: &RuntimeTags,
    per_thread: u64,
    op: &F,
    settle: &(dyn Fn() + Sync),
) -> CpuRun {
    let routes = &tags.routes[..shape.cardinality];
    let status = tags.status.as_str();
    let per_ns = |a: Option<Duration>, b: Option<Duration>, n: u64| {
        a.zip(b)
            .map(|(a, b)| b.saturating_sub(a).as_nanos() as f64 / n.max(1) as f64)
    };
    if shape.threads <= 1 {
        emit_loop(routes, status, routes.len() as u64, op);
        settle();
        let start = process_cpu_now();
        emit_loop(routes, status, per_thread, op);
        settle();
        return CpuRun {
            per_emission_ns: per_ns(start, process_cpu_now(), per_thread),
            made: per_thread,
            setup_made: routes.len() as u64,
            setup_us_per_series: None,
        };
    }
    let set_up = Barrier::new(shape.threads + 1);
    let go = Barrier::new(shape.threads + 1);
    let setup_start = process_cpu_now();
    let (setup_end, start) = thread::scope(|s| {
        for _ in 0..shape.threads {
            s.spawn(|| {
                emit_loop(routes, status, routes.len() as u64, op);
                set_up.wait();
                go.wait();
                emit_loop(routes, status, per_thread, op);
            });
        }
        set_up.wait();
        settle();
        let setup_end = process_cpu_now();
        let start = process_cpu_now();
        go.wait();
        (setup_end, start)
    });
    settle();
    let made = per_thread * shape.threads as u64;
    let new_series = (shape.threads * shape.cardinality) as u64;
    CpuRun {
        per_emission_ns: per_ns(start, process_cpu_now(), made),
        made,
        setup_made: new_series,
        setup_us_per_series: per_ns(setup_start, setup_end, new_series).map(|ns| ns / 1e3),
    }
}

/// The median of a non-empty sample, as criterion computes it.
fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    (xs[(n - 1) / 2] + xs[n / 2]) / 2.0
}

/// The pipeline the benchmarks emit into: a `NoopSink`, the default 10 s flush
/// interval and a queue of 2^20 emissions.
fn start_pipeline() -> telemetra::Telemetry {
    telemetra::Telemetry::start(
        telemetra::Config::builder()
            .sink(telemetra::sinks::NoopSink)
            .queue_capacity(1 << 20)
            .build()
            .expect("valid config"),
    )
    .expect("pipeline started")
}

fn telemetra_runtime_cases<M: Measurement<Value = Duration>>(
    c: &mut Criterion<M>,
    env: RuntimeEnv<'_>,
    rows: &mut Vec<RuntimeRow>,
) {
    // Its own pipeline: 1,000 routes is one metric's whole default series budget
    // (`max_series_per_metric`), and its stats must count these cases alone.
    let t = start_pipeline();
    let env = RuntimeEnv {
        pipeline: Some(&t),
        ..env
    };
    let mut g = runtime_group(c, env.library);
    runtime_case(
        &mut g,
        &env,
        "counter",
        |route, status| t.incr("http.requests", &[("route", route), ("status", status)]),
        rows,
    );
    runtime_case(
        &mut g,
        &env,
        "timing",
        |route, status| {
            t.timing(
                "http.latency",
                Duration::from_nanos(black_box(12_500_000)),
                &[("route", route), ("status", status)],
            )
        },
        rows,
    );
    runtime_case(
        &mut g,
        &env,
        "gauge",
        |route, _| t.gauge("queue.depth", black_box(42.0), &[("route", route)]),
        rows,
    );
    // The same through families (`counter_vec` …): name and keys fixed ahead, as
    // prometheus' `with_label_values` has them; only the values are hashed per call.
    // On a pipeline of their own: a thread's cells per pipeline are capped
    // (`MAX_LOCAL_SERIES`, 4,096), and the cases above already hold 3,000.
    let tv = start_pipeline();
    let env = RuntimeEnv {
        clock: env.clock,
        library: env.library,
        tags: env.tags,
        pipeline: Some(&tv),
        fixed_runs: env.fixed_runs,
    };
    let requests = tv.counter_vec("http.requests", ["route", "status"]);
    runtime_case(
        &mut g,
        &env,
        "counter_vec",
        |route, status| requests.incr([route, status]),
        rows,
    );
    let latency = tv.timing_vec("http.latency", ["route", "status"]);
    runtime_case(
        &mut g,
        &env,
        "timing_vec",
        |route, status| {
            latency.record([route, status], Duration::from_nanos(black_box(12_500_000)))
        },
        rows,
    );
    let depth = tv.gauge_vec("queue.depth", ["route"]);
    runtime_case(
        &mut g,
        &env,
        "gauge_vec",
        |route, _| depth.set([route], black_box(42.0)),
        rows,
    );
    g.finish();
    for p in [&t, &tv] {
        if let Err(e) = p.shutdown(Duration::from_secs(30)) {
            eprintln!("telemetra: shutdown failed: {e}");
        }
    }
}

fn prometheus_runtime_cases<M: Measurement<Value = Duration>>(
    c: &mut Criterion<M>,
    env: &RuntimeEnv<'_>,
    rows: &mut Vec<RuntimeRow>,
) {
    use prometheus::{GaugeVec, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};

    let registry = Registry::new();
    let labels = &["route", "status"];
    let requests =
        IntCounterVec::new(Opts::new("http_requests", "requests"), labels).expect("valid counter");
    let latency = HistogramVec::new(
        HistogramOpts::new("http_latency_seconds", "latency"),
        labels,
    )
    .expect("valid histogram");
    let depth =
        GaugeVec::new(Opts::new("queue_depth", "queue depth"), &["route"]).expect("valid gauge");
    registry
        .register(Box::new(requests.clone()))
        .expect("registered");
    registry
        .register(Box::new(latency.clone()))
        .expect("registered");
    registry
        .register(Box::new(depth.clone()))
        .expect("registered");

    let mut g = runtime_group(c, env.library);
    runtime_case(
        &mut g,
        env,
        "counter",
        |route, status| requests.with_label_values(&[route, status]).inc(),
        rows,
    );
    runtime_case(
        &mut g,
        env,
        "timing",
        |route, status| {
            latency
                .with_label_values(&[route, status])
                .observe(Duration::from_nanos(black_box(12_500_000)).as_secs_f64())
        },
        rows,
    );
    runtime_case(
        &mut g,
        env,
        "gauge",
        |route, _| depth.with_label_values(&[route]).set(black_box(42.0)),
        rows,
    );
    g.finish();
    black_box(registry.gather());
}

/// Uses the global recorder that [`metrics_cases`] installed.
fn metrics_runtime_cases<M: Measurement<Value = Duration>>(
    c: &mut Criterion<M>,
    env: &RuntimeEnv<'_>,
    rows: &mut Vec<RuntimeRow>,
) {
    use metrics::{counter, gauge, histogram};

    let mut g = runtime_group(c, env.library);
    runtime_case(
        &mut g,
        env,
        "counter",
        |route, status| {
            counter!("http.requests", "route" => route.to_owned(), "status" => status.to_owned())
                .increment(1)
        },
        rows,
    );
    runtime_case(
        &mut g,
        env,
        "timing",
        |route, status| {
            histogram!("http.latency", "route" => route.to_owned(), "status" => status.to_owned())
                .record(Duration::from_nanos(black_box(12_500_000)).as_secs_f64())
        },
        rows,
    );
    runtime_case(
        &mut g,
        env,
        "gauge",
        |route, _| gauge!("queue.depth", "route" => route.to_owned()).set(black_box(42.0)),
        rows,
    );
    g.finish();
}

/// Every runtime-tags case; the table lines of those that ran.
fn runtime_cases<M: Measurement<Value = Duration>>(
    c: &mut Criterion<M>,
    clock: Clock,
) -> Vec<RuntimeRow> {
    let tags = RuntimeTags::new();
    let env = |library| RuntimeEnv {
        clock,
        library,
        tags: &tags,
        pipeline: None,
        fixed_runs: std::env::args().any(|a| a == "--bench"),
    };
    let mut rows = Vec::new();
    telemetra_runtime_cases(c, env("telemetra"), &mut rows);
    prometheus_runtime_cases(c, &env("prometheus"), &mut rows);
    metrics_runtime_cases(c, &env("metrics"), &mut rows);
    rows
}

/// The runtime-tags table, in Markdown.
fn runtime_table(rows: &[RuntimeRow], clock: Clock) -> String {
    use std::fmt::Write as _;

    let clock = match clock {
        Clock::Wall => "wall",
        Clock::ThreadCpu => "thread CPU",
    };
    let fmt_u64 = |v: Option<u64>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
    let fmt_pct = |f: Option<Fate>| {
        f.map_or_else(|| "-".to_owned(), |f| format!("{:.2}", f.dropped_percent()))
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| case | ns/op ({clock}, criterion median) | process CPU ns/op | set-up CPU µs per new thread-series | attempted | emitted | dropped | dropped % | dropped % while criterion ran |"
    );
    let _ = writeln!(
        out,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {:.1} | {} | {} | {} | {} | {} | {} | {} |",
            r.case,
            r.median_ns,
            r.cpu_ns
                .map_or_else(|| "-".to_owned(), |v| format!("{v:.1}")),
            r.setup_us
                .map_or_else(|| "-".to_owned(), |v| format!("{v:.1}")),
            fmt_u64(r.run.map(|f| f.attempted)),
            fmt_u64(r.run.map(|f| f.emitted)),
            fmt_u64(r.run.map(|f| f.dropped)),
            fmt_pct(r.run),
            fmt_pct(r.criterion),
        );
    }
    out
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

/// Operations in each `tracing_layer` case's process-CPU run.
const TRACING_RUN_OPS: u64 = 200_000;

/// Capacity of the span queue between the benchmark thread and the exporting thread,
/// for both libraries: telemetra's default `record_queue_capacity`, given to the
/// OpenTelemetry batch processor too (its own default is 2,048).
const TRACING_SPAN_QUEUE: usize = 8_192;

/// One `tracing_layer` operation: a root span with two fields (a runtime `&str` and an
/// integer), entered; inside it one child span, entered and closed; then the root
/// exited and closed.
#[inline]
fn traced_request(route: &str, attempt: i64) {
    let root = tracing::info_span!("http.request", route = route, attempt = attempt);
    let entered = root.enter();
    {
        let child = tracing::info_span!("db.query");
        let _in = child.enter();
    }
    drop(entered);
    drop(root);
}

/// `n` [`traced_request`]s under the calling thread's current dispatcher; the time
/// taken on `clock`.
fn traced_loop(clock: Clock, route: &str, n: u64) -> Duration {
    let start = clock.now();
    for _ in 0..n {
        // black_box: a request's route and attempt, known only at run time.
        traced_request(black_box(route), black_box(3));
    }
    start.elapsed()
}

/// A telemetra sink that takes records and discards them: sampled spans then travel
/// the whole record path (queue, flusher, scrubbing, the sink's buffer and worker
/// thread), as they do to a real tracing backend. `NoopSink` takes none, so with it
/// a sampled span's record is dropped on the emitting thread before the queue.
#[derive(Debug)]
struct DiscardRecordsSink;

impl telemetra::sinks::Sink for DiscardRecordsSink {
    fn name(&self) -> &str {
        "discard"
    }

    fn export(
        &mut self,
        _export: &telemetra::sinks::Export<'_>,
    ) -> Result<(), telemetra::sinks::SinkError> {
        Ok(())
    }

    fn accepts_records(&self) -> bool {
        true
    }
}

/// An OpenTelemetry span exporter that counts the spans it is given and drops them.
#[derive(Debug, Default)]
struct OtelDiscardSpans {
    exported: std::sync::Arc<AtomicU64>,
}

impl opentelemetry_sdk::trace::SpanExporter for OtelDiscardSpans {
    fn export(
        &self,
        batch: Vec<opentelemetry_sdk::trace::SpanData>,
    ) -> impl std::future::Future<Output = opentelemetry_sdk::error::OTelSdkResult> + Send {
        self.exported
            .fetch_add(batch.len() as u64, Ordering::Relaxed);
        std::future::ready(Ok(()))
    }
}

/// Where a `tracing_layer` case's spans go after the layer, and how to settle it.
enum SpanBackend {
    /// No layer: nothing to settle.
    None,
    /// telemetra's pipeline; `records`: whether its spans reach the sink as records
    /// (the sink takes records and the traces are sampled).
    Telemetra {
        telemetry: telemetra::Telemetry,
        records: bool,
    },
    /// An OpenTelemetry tracer provider exporting to [`OtelDiscardSpans`].
    Otel {
        provider: opentelemetry_sdk::trace::SdkTracerProvider,
        exported: std::sync::Arc<AtomicU64>,
    },
}

/// A backend's counters once every span made so far has been exported or dropped.
#[derive(Clone, Copy, Debug, Default)]
struct Settled {
    /// telemetra: the metrics pipeline's stats (each span is also a timing).
    stats: Option<telemetra::Stats>,
    /// Spans handed to the exporter / sink.
    spans_exported: u64,
    /// Spans the library says it dropped (telemetra only: OpenTelemetry keeps no
    /// public count, so its drops are the spans made less those exported).
    spans_dropped: Option<u64>,
}

impl SpanBackend {
    /// Flushes, then reads the counters; `None` without a backend.
    fn settle(&self) -> Option<Settled> {
        match self {
            SpanBackend::None => None,
            SpanBackend::Telemetra { telemetry, .. } => {
                let stats = settled(telemetry);
                let r = telemetry.record_stats();
                Some(Settled {
                    stats: Some(stats),
                    spans_exported: r.exported,
                    spans_dropped: Some(
                        r.dropped_queue_full + r.dropped_shutdown + r.buffer_overflow + r.rejected,
                    ),
                })
            }
            SpanBackend::Otel { provider, exported } => {
                if let Err(e) = provider.force_flush() {
                    eprintln!("opentelemetry: force_flush failed: {e}");
                }
                Some(Settled {
                    stats: None,
                    spans_exported: exported.load(Ordering::Relaxed),
                    spans_dropped: None,
                })
            }
        }
    }

    /// How many spans `ops` operations hand to the exporter (two each, when they are
    /// exported at all).
    fn spans_made(&self, ops: u64) -> u64 {
        match self {
            SpanBackend::None | SpanBackend::Telemetra { records: false, .. } => 0,
            SpanBackend::Telemetra { records: true, .. } | SpanBackend::Otel { .. } => 2 * ops,
        }
    }

    fn shutdown(self) {
        match self {
            SpanBackend::None => {}
            SpanBackend::Telemetra { telemetry, .. } => {
                if let Err(e) = telemetry.shutdown(Duration::from_secs(30)) {
                    eprintln!("telemetra: shutdown failed: {e}");
                }
            }
            SpanBackend::Otel { provider, .. } => {
                if let Err(e) = provider.shutdown() {
                    eprintln!("opentelemetry: shutdown failed: {e}");
                }
            }
        }
    }
}

/// What became of the spans of `ops` operations between two settled points:
/// attempted, exported (as `emitted`), dropped.
fn span_fate(backend: &SpanBackend, before: Settled, after: Settled, ops: u64) -> Option<Fate> {
    let attempted = backend.spans_made(ops);
    if attempted == 0 {
        return None;
    }
    let emitted = after.spans_exported.saturating_sub(before.spans_exported);
    let dropped = match after.spans_dropped.zip(before.spans_dropped) {
        Some((a, b)) => a.saturating_sub(b),
        None => attempted.saturating_sub(emitted),
    };
    Some(Fate {
        attempted,
        emitted,
        dropped,
    })
}

/// One line of the `tracing_layer` table.
#[derive(Debug)]
struct TracingRow {
    /// `tracing_layer/case`.
    case: String,
    /// Criterion's median time per operation, on its clock.
    median_ns: f64,
    /// Process CPU time (all threads) per operation over the fixed-size run, flush
    /// included.
    cpu_ns: Option<f64>,
    /// telemetra only: the fixed run's span timings (two per operation).
    timings: Option<Fate>,
    /// The fixed run's spans: made, exported, dropped.
    spans: Option<Fate>,
    /// The spans made while criterion measured.
    spans_criterion: Option<Fate>,
}

/// Measures [`traced_request`] under `dispatch` as case `name`, then (under `cargo
/// bench`) runs [`TRACING_RUN_OPS`] more for the process CPU time, settling
/// `backend` after each, and adds a table line.
fn tracing_case<M: Measurement<Value = Duration>>(
    g: &mut BenchmarkGroup<'_, M>,
    clock: Clock,
    fixed_runs: bool,
    name: &str,
    dispatch: &tracing::Dispatch,
    backend: &SpanBackend,
    rows: &mut Vec<TracingRow>,
) {
    let route = String::from("/api/v1/users/:id");
    let start = backend.settle();
    let mut samples = Vec::new();
    let mut ops = 0;
    tracing::dispatcher::with_default(dispatch, || {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let elapsed = traced_loop(clock, &route, iters);
                ops += iters;
                samples.push(elapsed.as_nanos() as f64 / iters as f64);
                elapsed
            })
        });
    });
    // No samples: the filter left the case out (or criterion only listed it).
    if samples.is_empty() || !fixed_runs {
        return;
    }
    let measured = samples.len().saturating_sub(RUNTIME_SAMPLES);
    let median_ns = median(&mut samples[measured..]);
    let before_run = backend.settle();
    let spans_criterion = start
        .zip(before_run)
        .and_then(|(a, b)| span_fate(backend, a, b, ops));

    let cpu_start = process_cpu_now();
    tracing::dispatcher::with_default(dispatch, || {
        traced_loop(Clock::Wall, &route, TRACING_RUN_OPS)
    });
    let after_run = backend.settle();
    let cpu_ns = cpu_start
        .zip(process_cpu_now())
        .map(|(a, b)| b.saturating_sub(a).as_nanos() as f64 / TRACING_RUN_OPS as f64);
    let timings = before_run.zip(after_run).and_then(|(a, b)| {
        a.stats
            .zip(b.stats)
            .map(|(a, b)| Fate::between(&a, &b, 2 * TRACING_RUN_OPS))
    });
    let spans = before_run
        .zip(after_run)
        .and_then(|(a, b)| span_fate(backend, a, b, TRACING_RUN_OPS));
    rows.push(TracingRow {
        case: format!("tracing_layer/{name}"),
        median_ns,
        cpu_ns,
        timings,
        spans,
        spans_criterion,
    });
}

/// A telemetra pipeline for the `tracing_layer` cases: `sink`, root traces sampled
/// at `rate`, otherwise [`start_pipeline`]'s settings.
fn start_tracing_pipeline(sink: impl telemetra::sinks::Sink, rate: f64) -> telemetra::Telemetry {
    telemetra::Telemetry::start(
        telemetra::Config::builder()
            .sink(sink)
            .queue_capacity(1 << 20)
            .record_queue_capacity(TRACING_SPAN_QUEUE)
            .trace_sample_rate(rate)
            .build()
            .expect("valid config"),
    )
    .expect("pipeline started")
}

/// The `tracing_layer` group (see "`tracing` spans through three layers, and
/// telemetra's own subscriber" above); the
/// table lines of the cases that ran.
fn tracing_layer_cases<M: Measurement<Value = Duration>>(
    c: &mut Criterion<M>,
    clock: Clock,
) -> Vec<TracingRow> {
    use opentelemetry::trace::TracerProvider as _;
    use opentelemetry_sdk::trace::{
        BatchConfigBuilder, BatchSpanProcessor, SdkTracerProvider, SimpleSpanProcessor,
    };
    use telemetra::integrations::tracing::{TelemetraLayer, TelemetraSubscriber};
    use tracing_subscriber::layer::SubscriberExt as _;

    let fixed_runs = std::env::args().any(|a| a == "--bench");
    let mut rows = Vec::new();
    let mut g = c.benchmark_group("tracing_layer");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(RUNTIME_SAMPLES);

    // Each case builds its backend and `Dispatch` once, outside the timed loop, and
    // shuts the backend down before the next starts, so no two run at once.
    let mut case = |name: &str, dispatch: tracing::Dispatch, backend: SpanBackend| {
        tracing_case(
            &mut g, clock, fixed_runs, name, &dispatch, &backend, &mut rows,
        );
        drop(dispatch);
        backend.shutdown();
    };

    case(
        "bare_registry",
        tracing::Dispatch::new(tracing_subscriber::registry()),
        SpanBackend::None,
    );

    for (name, rate, records, subscriber) in [
        ("telemetra_sampled", 1.0, true, false),
        ("telemetra_sampled_noopsink", 1.0, false, false),
        ("telemetra_unsampled", 0.0, true, false),
        ("telemetra_subscriber_sampled", 1.0, true, true),
        ("telemetra_subscriber_unsampled", 0.0, true, true),
    ] {
        let telemetry = if records {
            start_tracing_pipeline(DiscardRecordsSink, rate)
        } else {
            start_tracing_pipeline(telemetra::sinks::NoopSink, rate)
        };
        let dispatch = if subscriber {
            tracing::Dispatch::new(TelemetraSubscriber::new(&telemetry))
        } else {
            tracing::Dispatch::new(
                tracing_subscriber::registry().with(TelemetraLayer::new(&telemetry)),
            )
        };
        case(
            name,
            dispatch,
            SpanBackend::Telemetra {
                telemetry,
                records: records && rate > 0.0,
            },
        );
    }

    for (name, batch, lean) in [
        ("otel_batch", true, false),
        ("otel_batch_lean", true, true),
        ("otel_simple", false, false),
    ] {
        let exported = std::sync::Arc::new(AtomicU64::new(0));
        let exporter = OtelDiscardSpans {
            exported: exported.clone(),
        };
        let provider = if batch {
            SdkTracerProvider::builder().with_span_processor(
                BatchSpanProcessor::builder(exporter)
                    .with_batch_config(
                        BatchConfigBuilder::default()
                            .with_max_queue_size(TRACING_SPAN_QUEUE)
                            .build(),
                    )
                    .build(),
            )
        } else {
            SdkTracerProvider::builder().with_span_processor(SimpleSpanProcessor::new(exporter))
        }
        .build();
        let layer =
            tracing_opentelemetry::layer().with_tracer(provider.tracer("telemetra-bench-compare"));
        // `lean`: without the attributes telemetra does not record either (source
        // location, thread, target) and without busy/idle time tracking.
        let layer = if lean {
            layer
                .with_location(false)
                .with_threads(false)
                .with_target(false)
                .with_tracked_inactivity(false)
        } else {
            layer
        };
        let dispatch = tracing::Dispatch::new(tracing_subscriber::registry().with(layer));
        case(name, dispatch, SpanBackend::Otel { provider, exported });
    }
    g.finish();
    rows
}

/// The `tracing_layer` table, in Markdown.
fn tracing_table(rows: &[TracingRow], clock: Clock) -> String {
    use std::fmt::Write as _;

    let clock = match clock {
        Clock::Wall => "wall",
        Clock::ThreadCpu => "thread CPU",
    };
    let dash = || "-".to_owned();
    let fmt_fate = |f: Option<Fate>| {
        f.map_or_else(dash, |f| {
            format!(
                "{} / {} / {} ({:.2} %)",
                f.attempted,
                f.emitted,
                f.dropped,
                f.dropped_percent()
            )
        })
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| case | ns/op ({clock}, criterion median) | process CPU ns/op | timings made / aggregated / dropped | spans made / exported / dropped | span drops while criterion ran |"
    );
    let _ = writeln!(out, "| --- | ---: | ---: | ---: | ---: | ---: |");
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {:.1} | {} | {} | {} | {} |",
            r.case,
            r.median_ns,
            r.cpu_ns.map_or_else(dash, |v| format!("{v:.1}")),
            fmt_fate(r.timings),
            fmt_fate(r.spans),
            r.spans_criterion
                .map_or_else(dash, |f| format!("{:.2} %", f.dropped_percent())),
        );
    }
    out
}

fn run<M: Measurement<Value = Duration>>(c: Criterion<M>, clock: Clock, t: &telemetra::Telemetry) {
    let mut cc = c.configure_from_args();
    baseline(&mut cc, clock);
    telemetra_cases(&mut cc, clock, t);
    prometheus_cases(&mut cc, clock);
    opentelemetry_cases(&mut cc, clock);
    metrics_cases(&mut cc, clock);
    metrics_facade_cases(&mut cc, t);
    // After `metrics_cases`, whose global recorder the `metrics` runtime cases use.
    let rows = runtime_cases(&mut cc, clock);
    let tracing_rows = tracing_layer_cases(&mut cc, clock);
    cc.final_summary();
    if !rows.is_empty() {
        println!("\nRuntime tag values (docs/bench-runtime-tags.md):\n");
        print!("{}", runtime_table(&rows, clock));
    }
    if !tracing_rows.is_empty() {
        println!("\ntracing layers (docs/bench-tracing-layer.md):\n");
        print!("{}", tracing_table(&tracing_rows, clock));
    }
}

fn main() {
    let t = start_pipeline();

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
    // Only this pipeline's emissions are counted here; the runtime-value cases run on
    // pipelines of their own, whose flushers are in their table's process CPU column.
    if stats.emitted == 0 {
        eprintln!("telemetra flusher: no emissions on the shared pipeline in this run");
    } else if let Some(cpu) = thread_cpu_time("telemetra-flush") {
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
