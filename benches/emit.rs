//! Emission cost: telemetra's hot paths against a bare relaxed atomic add.
//!
//! Run: `cargo bench --bench emit` (add `-- --warm-up-time 1 --measurement-time 3`
//! for a quick pass). Groups:
//! - `single/*`: one thread, a pipeline with a no-op sink;
//! - `two_threads/*`: two threads on the same series, time per operation per thread;
//! - `hung_sink/*`: one thread, while the pipeline's only sink is stuck in an export;
//! - `flusher/cpu_per_event`: the flusher thread's own CPU time per emission
//!   (read from `/proc/self/task/<tid>/schedstat`, Linux only), reported by criterion
//!   as "time per iteration".

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use telemetra::sinks::{Export, NoopSink, Sink, SinkError};
use telemetra::{Config, Telemetry};

const TAGS: &[(&str, &str)] = &[("method", "GET"), ("status", "200")];

fn pipeline(sink: impl Sink) -> Telemetry {
    Telemetry::start(
        Config::builder()
            .queue_capacity(1 << 20)
            .sink(sink)
            .build()
            .unwrap(),
    )
    .unwrap()
}

/// The cases shared by the single-thread and hung-sink groups.
fn cases(c: &mut Criterion, group: &str, t: &Telemetry) {
    let mut g = c.benchmark_group(group);
    let atomic = AtomicU64::new(0);
    g.bench_function("baseline_atomic_fetch_add", |b| {
        b.iter(|| black_box(&atomic).fetch_add(1, Ordering::Relaxed))
    });
    g.bench_function("counter_2_tags", |b| {
        b.iter(|| t.incr(black_box("http.requests"), TAGS))
    });
    let tagged = t.tagged(vec![("method", "GET"), ("status", "200")]);
    g.bench_function("tagged_emitter_count", |b| {
        b.iter(|| tagged.incr(black_box("http.requests"), ()))
    });
    let counter = tagged.counter("http.requests", ());
    g.bench_function("bound_counter", |b| b.iter(|| black_box(&counter).incr()));
    g.bench_function("timing_2_tags", |b| {
        b.iter(|| t.timing_ms("http.latency_ms", black_box(12.5), TAGS))
    });
    g.bench_function("gauge_2_tags", |b| {
        b.iter(|| t.gauge("pool.size", black_box(7.0), TAGS))
    });
    g.bench_function("timer_start_stop", |b| {
        b.iter(|| t.timer("op_ms", TAGS).stop())
    });
    g.finish();
}

fn single(c: &mut Criterion) {
    let t = pipeline(NoopSink);
    cases(c, "single", &t);
    t.shutdown(Duration::from_secs(10)).ok();
}

/// Runs `op` `iters` times on each of two threads started together; returns the
/// slower thread's wall time (per-operation latency per thread under contention).
fn two_threads(iters: u64, op: impl Fn() + Sync) -> Duration {
    let barrier = Barrier::new(2);
    let times: Vec<Duration> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    let start = Instant::now();
                    for _ in 0..iters {
                        op();
                    }
                    start.elapsed()
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    times.into_iter().max().unwrap_or_default()
}

fn contended(c: &mut Criterion) {
    let t = pipeline(NoopSink);
    let mut g = c.benchmark_group("two_threads");
    let atomic = AtomicU64::new(0);
    g.bench_function("baseline_atomic_fetch_add", |b| {
        b.iter_custom(|n| {
            two_threads(n, || {
                black_box(&atomic).fetch_add(1, Ordering::Relaxed);
            })
        })
    });
    g.bench_function("counter_2_tags", |b| {
        b.iter_custom(|n| two_threads(n, || t.incr(black_box("http.requests"), TAGS)))
    });
    let tagged = t.tagged(vec![("method", "GET"), ("status", "200")]);
    g.bench_function("tagged_emitter_count", |b| {
        b.iter_custom(|n| two_threads(n, || tagged.incr(black_box("http.requests"), ())))
    });
    let counter = tagged.counter("http.requests", ());
    g.bench_function("bound_counter", |b| {
        b.iter_custom(|n| two_threads(n, || black_box(&counter).incr()))
    });
    g.bench_function("timing_2_tags", |b| {
        b.iter_custom(|n| two_threads(n, || t.timing_ms("http.latency_ms", black_box(3.0), TAGS)))
    });
    g.finish();
    t.shutdown(Duration::from_secs(10)).ok();
}

/// A sink stuck in its export until released.
#[derive(Debug)]
struct Hung(crossbeam_channel::Receiver<()>);

impl Sink for Hung {
    fn name(&self) -> &str {
        "hung"
    }
    fn export(&mut self, _: &Export<'_>) -> Result<(), SinkError> {
        let _ = self.0.recv();
        Ok(())
    }
}

fn hung_sink(c: &mut Criterion) {
    let (release, rx) = crossbeam_channel::bounded(0);
    let t = Telemetry::start(
        Config::builder()
            .queue_capacity(1 << 20)
            .flush_interval(Duration::from_millis(50))
            .sink(Hung(rx))
            .build()
            .unwrap(),
    )
    .unwrap();
    t.incr("warm", ());
    std::thread::sleep(Duration::from_millis(120)); // the sink is now stuck
    cases(c, "hung_sink", &t);
    drop(release);
    t.shutdown(Duration::from_secs(10)).ok();
}

/// CPU time (ns) the named thread of this process has used, from schedstat.
fn thread_cpu_ns(name: &str) -> Option<u64> {
    for entry in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let path = entry.path();
        let comm = std::fs::read_to_string(path.join("comm")).ok()?;
        if comm.trim() == name {
            let stat = std::fs::read_to_string(path.join("schedstat")).ok()?;
            return stat.split_whitespace().next()?.parse().ok();
        }
    }
    None
}

fn flusher_cpu(c: &mut Criterion) {
    // Thread names are cut to 15 bytes in /proc.
    let name = "telemetra-flush";
    let t = pipeline(NoopSink);
    t.incr("warm", ());
    t.flush(Duration::from_secs(5)).unwrap();
    if thread_cpu_ns(name).is_none() {
        eprintln!("flusher/cpu_per_event skipped: /proc/self/task/*/schedstat not readable");
        return;
    }
    let tagged = t.tagged(vec![("service", "wallet")]);
    let mut g = c.benchmark_group("flusher");
    g.bench_function("cpu_per_event", |b| {
        b.iter_custom(|n| {
            let before = thread_cpu_ns(name).unwrap_or(0);
            for i in 0..n {
                if i % 2 == 0 {
                    t.incr("http.requests", TAGS);
                } else {
                    tagged.timing_ms("wallet_tx_latency_ms", (i % 500) as f64, ());
                }
            }
            t.flush(Duration::from_secs(60)).unwrap();
            Duration::from_nanos(thread_cpu_ns(name).unwrap_or(0).saturating_sub(before))
        })
    });
    g.finish();
    t.shutdown(Duration::from_secs(10)).ok();
}

criterion_group!(benches, single, contended, hung_sink, flusher_cpu);
criterion_main!(benches);

#[allow(dead_code)]
fn _assert_send_sync() {
    fn is<T: Send + Sync>() {}
    is::<Telemetry>();
    is::<Arc<Telemetry>>();
}
