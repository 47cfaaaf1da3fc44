//! Quotas: allow below 80%, warn from exactly 80%, block from exactly 100%.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::{DateTime, TimeZone, Utc};
use telemetra::cost::{evaluate_quota, AiCall, CostTracker, Money, Quota, QuotaDecision};
use telemetra::switches::Switches;

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0)
        .single()
        .unwrap()
}

#[test]
fn token_quota_transitions_exactly() {
    let t = CostTracker::builder()
        .default_quota(Quota::tokens(1_000))
        .build()
        .unwrap();
    let now = at(23, 10);
    assert_eq!(t.check_quota("u", now).decision, QuotaDecision::Allow);
    let r = t.record_call(&AiCall::new("u", "gpt-4", 700, 99), now); // 799
    assert_eq!(r.quota.decision, QuotaDecision::Allow);
    let r = t.record_call(&AiCall::new("u", "gpt-4", 1, 0), now); // 800 = 80%
    assert_eq!(r.quota.decision, QuotaDecision::Warn);
    assert_eq!(r.quota.percent, Some(80.0));
    let r = t.record_call(&AiCall::new("u", "gpt-4", 0, 199), now); // 999
    assert_eq!(r.quota.decision, QuotaDecision::Warn);
    let r = t.record_call(&AiCall::new("u", "gpt-4", 0, 1), now); // 1000 = 100%
    assert_eq!(r.quota.decision, QuotaDecision::Block);
    assert_eq!(t.check_quota("u", now).decision, QuotaDecision::Block);
    // a new UTC day starts from zero; other users are unaffected
    assert_eq!(t.check_quota("u", at(24, 0)).decision, QuotaDecision::Allow);
    assert_eq!(t.check_quota("v", now).decision, QuotaDecision::Allow);
}

#[test]
fn cost_quota_transitions_exactly() {
    // gpt-4-turbo input costs exactly 0.00001 USD per token
    let t = CostTracker::builder()
        .default_quota(Quota::cost(Money::from_units(1)))
        .build()
        .unwrap();
    let now = at(23, 10);
    assert_eq!(
        t.record_call(&AiCall::new("u", "gpt-4-turbo", 79_999, 0), now)
            .quota
            .decision,
        QuotaDecision::Allow
    );
    assert_eq!(
        t.record_call(&AiCall::new("u", "gpt-4-turbo", 1, 0), now)
            .quota
            .decision,
        QuotaDecision::Warn
    );
    assert_eq!(
        t.record_call(&AiCall::new("u", "gpt-4-turbo", 19_999, 0), now)
            .quota
            .decision,
        QuotaDecision::Warn
    );
    assert_eq!(
        t.record_call(&AiCall::new("u", "gpt-4-turbo", 1, 0), now)
            .quota
            .decision,
        QuotaDecision::Block
    );
}

#[test]
fn pure_rule_table() {
    let q = Quota {
        daily_tokens: Some(100),
        daily_cost: Some(Money::from_units(10)),
    };
    let cases = [
        (0, 0, QuotaDecision::Allow),
        (79, 7, QuotaDecision::Allow),
        (80, 0, QuotaDecision::Warn),
        (0, 8, QuotaDecision::Warn),
        (99, 9, QuotaDecision::Warn),
        (100, 0, QuotaDecision::Block),
        (0, 10, QuotaDecision::Block),
        (500, 0, QuotaDecision::Block),
    ];
    for (tokens, usd, want) in cases {
        let got = evaluate_quota(&q, tokens, Money::from_units(usd), 80).decision;
        assert_eq!(got, want, "{tokens} tokens, {usd} usd");
    }
    assert_eq!(
        evaluate_quota(&Quota::default(), u64::MAX, Money::ZERO, 80).decision,
        QuotaDecision::Allow
    );
    // a configurable soft threshold
    assert_eq!(
        evaluate_quota(&Quota::tokens(100), 89, Money::ZERO, 90).decision,
        QuotaDecision::Allow
    );
    assert_eq!(
        evaluate_quota(&Quota::tokens(100), 90, Money::ZERO, 90).decision,
        QuotaDecision::Warn
    );
}

#[test]
fn overrides_and_the_quota_switch() {
    let switches = Switches::new();
    let t = CostTracker::builder()
        .default_quota(Quota::tokens(1_000_000))
        .user_quota("vip", Quota::tokens(10))
        .switches(&switches)
        .build()
        .unwrap();
    let now = at(23, 10);
    t.record_call(&AiCall::new("vip", "gpt-4", 10, 0), now);
    assert_eq!(t.check_quota("vip", now).decision, QuotaDecision::Block);
    switches.quotas().disable();
    let off = t.check_quota("vip", now);
    assert_eq!(off.decision, QuotaDecision::Allow);
    assert_eq!(off.percent, Some(100.0), "usage is still reported");
    switches.quotas().enable();
    t.set_user_quota("vip", None).unwrap();
    assert_eq!(t.check_quota("vip", now).decision, QuotaDecision::Allow);
    assert!(t.set_user_quota("vip", Some(Quota::tokens(0))).is_err());
}
