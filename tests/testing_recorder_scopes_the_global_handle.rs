//! `testing::TestRecorder` and `set_local_global`: library code that emits through the
//! free functions is observed per test, tests in parallel do not see each other, and
//! guards restore what was there before.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use telemetra::testing::TestRecorder;

/// Library code: knows nothing of tests, emits through the global handle.
fn checkout(currency: &str, n: u64) {
    for _ in 0..n {
        telemetra::incr("checkout", &[("currency", currency)]);
        telemetra::timing("checkout.latency", Duration::from_millis(3), ());
    }
}

#[test]
fn parallel_recorders_see_only_their_own_thread() {
    let results: Vec<(f64, Option<f64>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (1..=4u64)
            .map(|i| {
                s.spawn(move || {
                    let rec = TestRecorder::new();
                    rec.run(|| checkout("EUR", i * 10));
                    rec.assert_timing_count("checkout.latency", &[], i * 10);
                    (
                        rec.counter("checkout", &[("currency", "EUR")]).unwrap(),
                        rec.counter("checkout", &[("currency", "USD")]),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        results,
        vec![(10.0, None), (20.0, None), (30.0, None), (40.0, None)]
    );
}

#[test]
fn guards_nest_and_restore() {
    let outer = TestRecorder::new();
    let inner = TestRecorder::new();
    {
        let _o = outer.install();
        checkout("EUR", 1);
        {
            let _i = inner.install();
            checkout("EUR", 2);
        }
        checkout("EUR", 4);
    }
    // After both guards: the process-wide handle (none here: a no-op).
    checkout("EUR", 8);
    outer.assert_counter("checkout", &[("currency", "EUR")], 5.0);
    inner.assert_counter("checkout", &[("currency", "EUR")], 2.0);
    assert!(telemetra::global().is_noop() || telemetra::global().stats().emitted == 0);
}

#[test]
fn a_failed_assertion_names_the_series_and_what_was_found() {
    let rec = TestRecorder::new();
    rec.run(|| checkout("EUR", 3));
    let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rec.assert_counter("checkout", &[("currency", "EUR")], 4.0);
    }))
    .unwrap_err();
    let msg = err.downcast_ref::<String>().unwrap();
    assert!(
        msg.contains("checkout") && msg.contains("expected 4") && msg.contains("Some(3.0)"),
        "{msg}"
    );
}

#[test]
fn a_refused_config_gives_a_recorder_that_says_so() {
    let rec = TestRecorder::with_config(telemetra::Config::builder().max_series(0));
    assert!(!rec.is_running());
    assert_eq!(rec.counter("x", &[]), None);
    assert!(TestRecorder::new().is_running());
}
