//! The cost tracker: counters, unknown models, the user cap and the tracking switch.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use parking_lot::Mutex;
use telemetra::cost::{
    AiCall, CostTracker, CounterSink, Quota, QuotaDecision, COST_COUNTER, OVERFLOW_USER,
    UNKNOWN_MODEL_COUNTER, USERS_OVERFLOW_COUNTER,
};
use telemetra::switches::Switches;

type Seen = Arc<Mutex<Vec<(String, f64, Vec<(String, String)>)>>>;

fn sink() -> (Seen, Arc<dyn CounterSink>) {
    let seen: Seen = Arc::default();
    let s = Arc::clone(&seen);
    let sink = move |name: &str, value: f64, tags: &[(&str, &str)]| {
        let tags = tags
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        s.lock().push((name.to_owned(), value, tags));
    };
    (seen, Arc::new(sink))
}

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 8, 0, 0)
        .single()
        .unwrap()
}

#[test]
fn counters_carry_the_model_and_caller_tags() {
    let (seen, sink) = sink();
    let t = CostTracker::builder().sink(sink).build().unwrap();
    let cost = t.record_tokens("claude-opus-4", 1_000, 1_000, &[("service", "chat")]);
    assert_eq!(cost.total.to_decimal_string(), "0.09");
    let seen = seen.lock();
    let names: Vec<&str> = seen.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "ai.requests.count",
            "ai.tokens.input",
            "ai.tokens.output",
            "ai.cost.usd"
        ]
    );
    let (_, value, tags) = seen.iter().find(|(n, _, _)| n == COST_COUNTER).unwrap();
    assert!((value - 0.09).abs() < 1e-12);
    assert_eq!(
        tags,
        &[
            ("model".into(), "claude-opus-4".into()),
            ("service".into(), "chat".into())
        ]
    );
}

#[test]
fn unknown_models_are_counted_listed_and_never_panic() {
    let (seen, sink) = sink();
    let t = CostTracker::builder().sink(sink).build().unwrap();
    t.record_tokens("llama-9000", 10, 10, &[]);
    t.record_call(&AiCall::new("u", "llama-9000", 10, 10), at(1));
    t.record_call(&AiCall::new("u", "", 0, 0), at(1));
    let unknown = t.unknown_models();
    assert_eq!(unknown[0].name, "llama-9000");
    assert_eq!(unknown[0].calls, 2);
    assert_eq!(t.stats().unknown_model_calls, 3);
    let usage = t.usage("u", at(1).date_naive()).unwrap();
    assert_eq!(usage.models["unknown"].calls, 2);
    let seen = seen.lock();
    let unknown_counts = seen
        .iter()
        .filter(|(n, _, _)| n == UNKNOWN_MODEL_COUNTER)
        .count();
    assert_eq!(unknown_counts, 3);
    assert!(seen
        .iter()
        .all(|(_, _, tags)| !tags.iter().any(|(_, v)| v == "llama-9000")));
}

#[test]
fn users_beyond_the_cap_go_to_overflow_and_fail_open() {
    let (seen, sink) = sink();
    let t = CostTracker::builder()
        .max_users(2)
        .retention_days(1)
        .default_quota(Quota::tokens(5))
        .sink(sink)
        .build()
        .unwrap();
    for user in ["a", "b", "c"] {
        t.record_call(&AiCall::new(user, "gpt-4", 10, 0), at(1));
    }
    assert_eq!(t.stats().tracked_users, 2);
    assert_eq!(t.stats().overflow_calls, 1);
    assert!(t.usage("c", at(1).date_naive()).is_none());
    assert_eq!(t.usage(OVERFLOW_USER, at(1).date_naive()).unwrap().calls, 1);
    assert_eq!(t.check_quota("a", at(1)).decision, QuotaDecision::Block);
    assert_eq!(t.check_quota("c", at(1)).decision, QuotaDecision::Allow);
    assert_eq!(
        seen.lock()
            .iter()
            .filter(|(n, _, _)| n == USERS_OVERFLOW_COUNTER)
            .count(),
        1
    );
    let day = t.daily_usage(at(1).date_naive());
    assert_eq!(
        day.iter().map(|u| u.user.as_str()).collect::<Vec<_>>(),
        ["_overflow", "a", "b"]
    );

    // the next day, yesterday's users fall out of the window and make room
    t.record_call(&AiCall::new("c", "gpt-4", 1, 0), at(2));
    assert!(t.usage("c", at(2).date_naive()).is_some());
    assert_eq!(t.stats().tracked_users, 1);
    // a call dated before the retention window is counted as stale, not stored
    t.record_call(&AiCall::new("a", "gpt-4", 1, 0), at(1));
    assert_eq!(t.stats().stale_calls, 1);
    assert!(t.usage("a", at(1).date_naive()).is_none());
}

#[test]
fn summaries_report_calls_tokens_duration_cost_and_quota() {
    let t = CostTracker::builder()
        .default_quota(Quota::tokens(10_000))
        .build()
        .unwrap();
    let call =
        AiCall::new("u", "gpt-4", 2_000, 500).duration(std::time::Duration::from_millis(1_500));
    t.record_call(&call, at(3));
    t.record_call(&AiCall::new("u", "claude-sonnet-4-5", 1_000, 500), at(3));
    let s = t.usage("u", at(3).date_naive()).unwrap();
    assert_eq!(
        (s.calls, s.input_tokens, s.output_tokens, s.duration_ms),
        (2, 3_000, 1_000, 1_500)
    );
    assert_eq!(s.cost.to_decimal_string(), "0.1005"); // 0.06 + 0.03 + 0.003 + 0.0075
    assert_eq!(s.quota_percent, Some(40.0));
    assert_eq!(s.models.len(), 2);
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["inputTokens"], 3_000);
    assert_eq!(json["models"]["gpt-4"]["calls"], 1);
}

#[test]
fn tracking_switch_off_prices_but_counts_nothing() {
    let switches = Switches::new();
    let (seen, sink) = sink();
    let t = CostTracker::builder()
        .switches(&switches)
        .sink(sink)
        .build()
        .unwrap();
    switches.cost_tracking().disable();
    let rec = t.record_call(&AiCall::new("u", "gpt-4", 1_000, 0), at(1));
    assert!(!rec.tracked);
    assert_eq!(rec.cost.total.to_string(), "0.03");
    assert!(seen.lock().is_empty());
    assert!(t.usage("u", at(1).date_naive()).is_none());
    switches.cost_tracking().enable();
    assert!(
        t.record_call(&AiCall::new("u", "gpt-4", 1_000, 0), at(1))
            .tracked
    );
    assert!(!seen.lock().is_empty());
}
