//! A hung check is reported as `error` after its timeout, does not hold up the report, and
//! gets no second worker thread while it is still hung.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use telemetra::health::{CheckOutcome, Component, HealthChecker, Status};

#[test]
fn hung_check_times_out_and_is_not_restarted_while_running() {
    let release = Arc::new(AtomicBool::new(false));
    let started = Arc::new(AtomicUsize::new(0));
    let (r, s) = (Arc::clone(&release), Arc::clone(&started));
    let hung = Component::builder("database")
        .timeout(Duration::from_millis(100))
        .check(move || {
            s.fetch_add(1, Ordering::SeqCst);
            // "hangs" for up to 30 s unless the test releases it
            let t0 = Instant::now();
            while !r.load(Ordering::SeqCst) && t0.elapsed() < Duration::from_secs(30) {
                thread::sleep(Duration::from_millis(5));
            }
            CheckOutcome::ok()
        })
        .build()
        .unwrap();
    let fast = Component::builder("storage")
        .check(CheckOutcome::ok)
        .build()
        .unwrap();
    let checker = HealthChecker::builder()
        .component(hung)
        .component(fast)
        .build()
        .unwrap();

    let t0 = Instant::now();
    let report = checker.run();
    assert!(
        t0.elapsed() < Duration::from_secs(5),
        "report took {:?}",
        t0.elapsed()
    );
    let db = report.component("database").unwrap();
    assert_eq!(db.status, Status::Error);
    assert_eq!(db.message.as_deref(), Some("timed out after 100 ms"));
    assert_eq!(db.latency_ms, 100);
    assert_eq!(report.component("storage").unwrap().status, Status::Ok);
    assert_eq!(report.status, Status::Error);

    // still hung: reported at once, no new thread started
    let t0 = Instant::now();
    let report = checker.run();
    assert!(t0.elapsed() < Duration::from_secs(5));
    let db = report.component("database").unwrap();
    assert_eq!(db.status, Status::Error);
    assert!(db.message.as_deref().unwrap().contains("still running"));
    assert_eq!(started.load(Ordering::SeqCst), 1);

    // once the old worker returns, the next run starts a fresh check
    release.store(true, Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(10);
    let report = loop {
        let report = checker.run();
        let still = report
            .component("database")
            .and_then(|c| c.message.as_deref())
            .is_some_and(|m| m.contains("still running"));
        if !still || Instant::now() > deadline {
            break report;
        }
        thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(report.component("database").unwrap().status, Status::Ok);
    assert_eq!(report.status, Status::Ok);
    assert_eq!(started.load(Ordering::SeqCst), 2);
}
