//! The health monitor thread runs checks periodically, publishes gauges and stops on request.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use telemetra::health::{CheckOutcome, Component, GaugeSink, HealthChecker, HealthError};

#[test]
fn monitor_publishes_until_shutdown() {
    let checker = HealthChecker::builder()
        .component(
            Component::builder("db")
                .check(CheckOutcome::ok)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let runs = Arc::new(AtomicUsize::new(0));
    let r = Arc::clone(&runs);
    let sink: Arc<dyn GaugeSink + Send + Sync> =
        Arc::new(move |name: &str, _: f64, _: &[(&str, &str)]| {
            if name == "health.status" {
                r.fetch_add(1, Ordering::SeqCst);
            }
        });
    assert_eq!(
        checker
            .start_monitor(Duration::ZERO, Arc::clone(&sink))
            .unwrap_err(),
        HealthError::ZeroInterval
    );
    let monitor = checker
        .start_monitor(Duration::from_millis(10), sink)
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while runs.load(Ordering::SeqCst) < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(runs.load(Ordering::SeqCst) >= 3);
    monitor.shutdown(Duration::from_secs(5)).unwrap();
    let after = runs.load(Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(runs.load(Ordering::SeqCst), after, "no runs after shutdown");
    assert!(checker.last_report().is_some());
}
