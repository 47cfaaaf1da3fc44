//! A panicking check is reported as `error` with the panic message; others are unaffected.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use telemetra::health::{CheckOutcome, Component, HealthChecker, Status};

#[test]
fn panicking_check_is_an_error() {
    let checker = HealthChecker::builder()
        .component(
            Component::builder("metrics")
                .check(|| panic!("boom in check"))
                .build()
                .unwrap(),
        )
        .component(
            Component::builder("env")
                .check(CheckOutcome::ok)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    for _ in 0..2 {
        // the panicking worker does not stay "still running"
        let report = checker.run();
        let m = report.component("metrics").unwrap();
        assert_eq!(m.status, Status::Error);
        assert_eq!(m.message.as_deref(), Some("check panicked: boom in check"));
        assert_eq!(report.component("env").unwrap().status, Status::Ok);
        assert_eq!(report.status, Status::Error);
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn overall_status_is_the_worst_component() {
    let build = |statuses: &[CheckOutcome]| {
        let mut b = HealthChecker::builder();
        for (i, s) in statuses.iter().enumerate() {
            let s = s.clone();
            b = b.component(
                Component::builder(format!("c{i}"))
                    .check(move || s.clone())
                    .build()
                    .unwrap(),
            );
        }
        b.build().unwrap().run().status
    };
    let ok = CheckOutcome::ok();
    let degraded = CheckOutcome::degraded("slow");
    let error: CheckOutcome = Err::<(), _>("down").into();
    assert_eq!(build(&[]), Status::Ok);
    assert_eq!(build(&[ok.clone(), ok.clone()]), Status::Ok);
    assert_eq!(build(&[ok.clone(), degraded.clone()]), Status::Degraded);
    assert_eq!(
        build(&[degraded.clone(), error.clone(), ok.clone()]),
        Status::Error
    );
    assert_eq!(build(&[error.clone(), ok]), Status::Error);
}

#[test]
fn slow_ok_check_is_degraded_above_its_threshold() {
    let checker = HealthChecker::builder()
        .component(
            Component::builder("database")
                .check(|| {
                    std::thread::sleep(Duration::from_millis(60));
                    CheckOutcome::ok()
                })
                .degraded_above(Duration::from_millis(20))
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let report = checker.run();
    let db = report.component("database").unwrap();
    assert_eq!(db.status, Status::Degraded);
    assert!(db.latency_ms >= 60);
    assert!(db
        .message
        .as_deref()
        .unwrap()
        .contains("above 20 ms threshold"));
    assert_eq!(report.status, Status::Degraded);
}
