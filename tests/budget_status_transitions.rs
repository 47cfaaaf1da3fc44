//! Budgets: ok below the warning threshold, warning from it up to the budget, exceeded above.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::{DateTime, TimeZone, Utc};
use telemetra::cost::{budget_status, BudgetStatus, BudgetTracker, CostError, Money};

fn at(month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, 12, 0, 0)
        .single()
        .unwrap()
}

fn eur(s: &str) -> Money {
    Money::parse(s, "amount").unwrap()
}

#[test]
fn pure_rule_table() {
    let budget = eur("20");
    let cases = [
        ("0", BudgetStatus::Ok),
        ("15.99", BudgetStatus::Ok),
        ("15.999999999999", BudgetStatus::Ok),
        ("16", BudgetStatus::Warning),
        ("19.99", BudgetStatus::Warning),
        ("20", BudgetStatus::Warning),
        ("20.000000000001", BudgetStatus::Exceeded),
        ("1000", BudgetStatus::Exceeded),
    ];
    for (spent, want) in cases {
        assert_eq!(budget_status(eur(spent), budget, 80), want, "{spent}");
    }
    assert_eq!(budget_status(eur("18"), budget, 90), BudgetStatus::Warning);
    assert_eq!(budget_status(eur("17.99"), budget, 90), BudgetStatus::Ok);
}

const CONFIG: &str = r#"{
    "currency": "EUR",
    "total": 150,
    "services": [
        {"name": "vercel", "budget": 20, "fixedCost": 20},
        {"name": "supabase", "budget": 25, "fixedCost": 25},
        {"name": "sentry", "budget": 26, "fixedCost": 26},
        {"name": "openai", "budget": 50}
    ]
}"#;

#[test]
fn tracker_transitions_and_month_rollover() {
    let b = BudgetTracker::from_json(CONFIG).unwrap();
    assert_eq!(b.config().warning_percent, 80);
    let report = b.report(at(11, 1));
    assert_eq!(report.month, "2026-11");
    assert_eq!(report.currency, "EUR");
    // paid subscriptions alone are expected, not a warning
    assert!(report.services.iter().all(|s| s.status == BudgetStatus::Ok));
    let total = report.total.unwrap();
    assert_eq!(total.spent, eur("71"));
    assert_eq!(total.status, BudgetStatus::Ok);

    let now = at(11, 10);
    assert_eq!(
        b.record_spend("openai", eur("39.99"), now).unwrap(),
        BudgetStatus::Ok
    );
    assert_eq!(
        b.record_spend("openai", eur("0.01"), now).unwrap(),
        BudgetStatus::Warning
    ); // 40 = 80%
    assert_eq!(
        b.record_spend("openai", eur("10"), now).unwrap(),
        BudgetStatus::Warning
    ); // 50 = 100%
    assert_eq!(
        b.record_spend("openai", eur("0.01"), now).unwrap(),
        BudgetStatus::Exceeded
    );
    // overage on a fixed-cost service exceeds it at once
    assert_eq!(
        b.record_spend("vercel", eur("0.01"), now).unwrap(),
        BudgetStatus::Exceeded
    );
    let report = b.report(now);
    let total = report.total.unwrap();
    assert_eq!(total.spent, eur("121.02"));
    assert_eq!(total.status, BudgetStatus::Warning); // 121.02 / 150 = 80.68%
    assert_eq!(total.percent, 80.68);

    // a new month starts from the fixed costs again
    assert_eq!(
        b.record_spend("openai", eur("1"), at(12, 1)).unwrap(),
        BudgetStatus::Ok
    );
    assert_eq!(b.report(at(12, 1)).total.unwrap().spent, eur("72"));
    // spend for a closed month is dropped and counted
    b.record_spend("openai", eur("100"), at(11, 30)).unwrap();
    assert_eq!(b.stale_records(), 1);
    assert_eq!(b.report(at(12, 2)).total.unwrap().spent, eur("72"));
}

#[test]
fn config_errors_name_the_field() {
    let err =
        BudgetTracker::from_json(r#"{"services": [{"name": "x", "budget": 0}]}"#).unwrap_err();
    assert_eq!(err, CostError::Zero("services.x.budget".into()));
    let err = BudgetTracker::from_json(r#"{"warningPercent": 0}"#).unwrap_err();
    assert!(err.to_string().contains("warningPercent"), "{err}");
    let err = BudgetTracker::from_json(
        r#"{"services": [{"name": "x", "budget": 1}, {"name": "x", "budget": 2}]}"#,
    )
    .unwrap_err();
    assert_eq!(err, CostError::DuplicateService("x".into()));
    let b = BudgetTracker::from_json(r#"{"currency": "USD"}"#).unwrap();
    assert_eq!(
        b.record_spend("nope", Money::ZERO, at(1, 1))
            .unwrap_err()
            .to_string(),
        "no budget for service `nope`"
    );
}
