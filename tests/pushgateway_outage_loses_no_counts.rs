//! The Pushgateway goes away for several flush intervals while the application keeps
//! emitting, then comes back on the same port (with an empty store, persistence off):
//! the next push carries the cumulative totals, so the gateway ends up with exactly
//! everything emitted. The worst emission latency seen by the emitting thread during
//! the outage is printed, never asserted. Skips when the binary is not installed.
#![cfg(feature = "prometheus")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

mod support;

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use support::prom;
use telemetra::sinks::http::HttpConfig;
use telemetra::sinks::prometheus::PushgatewaySink;
use telemetra::{Config, Telemetry};

const BEFORE: u8 = 0;
const OUTAGE: u8 = 1;
const AFTER: u8 = 2;

#[test]
fn totals_in_the_gateway_equal_everything_emitted_across_an_outage() {
    if let Some(reason) = prom::missing(&[prom::PUSHGATEWAY]) {
        support::skip::skipped(&reason);
        return;
    }
    let mut gateway = prom::pushgateway(0);
    let job = "telemetra_outage";
    let flush = Duration::from_millis(200);
    let sink = PushgatewaySink::builder(gateway.base_url())
        .job(job)
        .http(
            HttpConfig::builder()
                .connect_timeout(Duration::from_millis(500))
                .request_timeout(Duration::from_secs(2))
                .max_attempts(2)
                .base_backoff(Duration::from_millis(50))
                .max_backoff(Duration::from_millis(200))
                .max_total_time(Duration::from_secs(1))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let t = Arc::new(
        Telemetry::start(
            Config::builder()
                .flush_interval(flush)
                .sink(sink)
                .build()
                .unwrap(),
        )
        .unwrap(),
    );

    let phase = Arc::new(AtomicU8::new(BEFORE));
    let stop = Arc::new(AtomicBool::new(false));
    let emitter = {
        let (t, phase, stop) = (Arc::clone(&t), Arc::clone(&phase), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut emitted = 0u64;
            let mut worst = [Duration::ZERO; 3];
            let started = Instant::now();
            // Bounded in count and in time.
            while !stop.load(Ordering::SeqCst)
                && emitted < 5_000_000
                && started.elapsed() < Duration::from_secs(60)
            {
                let p = usize::from(phase.load(Ordering::SeqCst));
                let t0 = Instant::now();
                t.incr("outage.events", &[("source", "emitter")]);
                t.timing_ms("outage.work_ms", 3.0, ());
                let took = t0.elapsed();
                emitted += 1;
                if took > worst[p] {
                    worst[p] = took;
                }
                if emitted.is_multiple_of(64) {
                    std::thread::sleep(Duration::from_micros(500));
                }
            }
            (emitted, worst)
        })
    };

    let gateway_total = |g: &prom::Daemon| prom::gateway_value(g, "outage_events_total", job);
    // Before: pushes land.
    let deadline = Instant::now() + Duration::from_secs(20);
    while gateway_total(&gateway).is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        gateway_total(&gateway).is_some(),
        "no push before the outage"
    );

    // Outage: about ten flush intervals with nobody listening.
    phase.store(OUTAGE, Ordering::SeqCst);
    gateway.stop();
    std::thread::sleep(flush * 10);
    let failed_flush = t.flush(Duration::from_secs(5));
    assert!(failed_flush.is_err(), "flush during the outage must fail");

    // Back on the same port, with an empty store.
    gateway.restart();
    phase.store(AFTER, Ordering::SeqCst);
    std::thread::sleep(flush * 5);
    stop.store(true, Ordering::SeqCst);
    let (emitted, worst) = emitter.join().unwrap();
    t.flush(Duration::from_secs(20)).unwrap();

    let in_gateway = gateway_total(&gateway);
    let stats = t.stats();
    eprintln!("emitted {emitted} increments; gateway total {in_gateway:?}; stats {stats:?}");
    eprintln!(
        "worst emission latency: before {:?}, during outage {:?}, after {:?}",
        worst[0], worst[1], worst[2]
    );
    assert_eq!(stats.dropped(), 0);
    assert_eq!(in_gateway, Some(emitted as f64));
    assert_eq!(
        prom::gateway_value(&gateway, "outage_work_seconds_count", job),
        Some(emitted as f64)
    );
    t.shutdown(Duration::from_secs(10)).unwrap();
}
