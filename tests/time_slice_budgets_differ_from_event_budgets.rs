//! The same traffic under the three OpenSLO budgeting methods: occurrences (good events /
//! events), `Timeslices` (good minutes / minutes) and `RatioTimeslices` (mean of the minutes'
//! ratios). Every expected number is computed by hand in the comments.

use chrono::{DateTime, Duration as ChronoDuration, TimeZone, Utc};
use std::time::Duration;
use telemetra::slo::{
    BudgetStatus, BudgetingMethod, Counts, Fraction, SloDefinition, SloReport, SloTracker, Window,
};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 4, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

/// 100 minutes at 99% over a rolling day: minutes 9, 19, ..., 99 carry 100 requests with
/// 5 errors (95%, a bad minute); the other 90 carry 1000 requests without errors.
fn report(method: BudgetingMethod) -> SloReport {
    let def = SloDefinition::builder("chat.delivery")
        .target_percent(99.0)
        .window(Window::rolling_days(1))
        .budgeting(method)
        .build();
    let mut tracker = SloTracker::new(def.unwrap_or_else(|e| unreachable!("{e}")));
    for m in 0..100 {
        let at = t0() + ChronoDuration::minutes(m) + ChronoDuration::seconds(30);
        if m % 10 == 9 {
            tracker.record(at, 95, 100);
        } else {
            tracker.record(at, 1000, 1000);
        }
    }
    // At minute 100 the last slice (minute 99) is complete.
    tracker.report(t0() + ChronoDuration::minutes(100))
}

#[test]
fn time_slice_budget_differs_from_the_event_budget() {
    let minute = Duration::from_secs(60);
    let events = report(BudgetingMethod::Occurrences);
    let slices = report(BudgetingMethod::Timeslices {
        slice: minute,
        slice_target: Fraction::new(99, 100),
    });
    let ratios = report(BudgetingMethod::RatioTimeslices { slice: minute });

    // Every report sees the same events: 90 * 1000 + 10 * 100 = 91 000, 10 * 5 = 50 bad.
    for r in [&events, &slices, &ratios] {
        assert_eq!(
            r.counts,
            Counts {
                good: 90_950,
                total: 91_000
            }
        );
    }

    // Occurrences: consumed = 50 / (1% * 91 000) = 50/910 = 5/91, remaining 86/91: healthy.
    assert_eq!(events.budget.consumed, Fraction::new(5, 91));
    assert_eq!(events.budget.remaining, Fraction::new(86, 91));
    assert_eq!(events.budget.status, BudgetStatus::Healthy);

    // Timeslices: 10 of 100 minutes are bad; 1% of 100 slices allows 1 bad slice, so
    // consumed = 10 / 1 = 10 and remaining = -9: exhausted.
    assert_eq!((slices.budget.good, slices.budget.total), (90, 100));
    assert_eq!(slices.budget.allowed_bad, Fraction::new(1, 1));
    assert_eq!(slices.budget.consumed, Fraction::new(10, 1));
    assert_eq!(slices.budget.remaining, Fraction::new(-9, 1));
    assert_eq!(slices.budget.status, BudgetStatus::Exhausted);

    // RatioTimeslices: mean ratio = (90 * 1 + 10 * 0.95) / 100 = 0.995, error 0.005 = half
    // the 1% budget: remaining exactly 1/2, which is warning.
    assert_eq!(slices.counts, ratios.counts);
    assert_eq!(ratios.budget.consumed, Fraction::new(1, 2));
    assert_eq!(ratios.budget.status, BudgetStatus::Warning);

    // Burn rate over the last hour (buckets of minutes 41..=100): 59 complete minutes, of which
    // 49, 59, ..., 99 (6) are bad. Events: 30 bad of 53 * 1000 + 6 * 100 = 53 600, burn
    // (30 / 53 600) / 1% = 15/268. Slices: (6 / 59) / 1% = 600/59.
    assert_eq!(events.current_burn, Some(Fraction::new(15, 268)));
    assert_eq!(slices.current_burn, Some(Fraction::new(600, 59)));
}

#[test]
fn time_slice_budgeting_is_configured_in_json() {
    let json = r#"{"name": "chat", "indicator": {"type": "latency", "threshold": "300ms"},
        "target": 95, "window": "14d",
        "budgeting": {"method": "timeslices", "slice": "1m", "slice_target": "0.9"}}"#;
    let def = SloDefinition::from_json(json).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(
        def.budgeting,
        BudgetingMethod::Timeslices {
            slice: Duration::from_secs(60),
            slice_target: Fraction::new(9, 10),
        }
    );
    for (budgeting, field) in [
        (
            r#"{"method": "timeslices", "slice": "1m"}"#,
            "budgeting.slice_target",
        ),
        (
            r#"{"method": "timeslices", "slice": "90s", "slice_target": 0.9}"#,
            "budgeting.slice",
        ),
        (
            r#"{"method": "timeslices", "slice": "1m", "slice_target": 1.5}"#,
            "budgeting.slice_target",
        ),
        (
            r#"{"method": "minutes", "slice": "1m"}"#,
            "budgeting.method",
        ),
    ] {
        let json = format!(
            r#"{{"name": "a", "indicator": {{"type": "availability"}}, "target": 99, "window": "1d", "budgeting": {budgeting}}}"#
        );
        match SloDefinition::from_json(&json) {
            Err(telemetra::slo::SloError::InvalidField { field: f, .. }) => assert_eq!(f, field),
            other => unreachable!("{budgeting}: {other:?}"),
        }
    }
}
