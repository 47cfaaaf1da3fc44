//! Statistical check of the unbiased count-scaling rule: 1,000,000 counts sampled at 0.1 and
//! scaled by 1/0.1 sum to within 1% of the truth (fixed seeds, so deterministic).
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use telemetra::sampling::{scale_count, Decision, Level, SamplingPolicy, SplitMix64, Subject};

#[test]
fn one_million_unit_counts_at_rate_0_1() {
    let mut rng = SplitMix64::new(0x5EED_2026);
    let rate = 0.1;
    let mut estimate = 0.0;
    for _ in 0..1_000_000 {
        if rng.chance(rate) {
            estimate += scale_count(1.0, rate);
        }
    }
    let error = (estimate - 1_000_000.0_f64).abs() / 1_000_000.0;
    println!("unit counts: estimate {estimate}, relative error {error:.5}");
    assert!(error < 0.01, "relative error {error}");
}

#[test]
fn one_million_varied_counts_through_the_policy() {
    let policy = SamplingPolicy::builder().global_rate(0.1).build().unwrap();
    let mut values = SplitMix64::new(1);
    let mut draws = SplitMix64::new(2);
    let (mut truth, mut estimate) = (0.0_f64, 0.0_f64);
    let subject = Subject {
        level: Level::Info,
        domain: "chat",
        operation: "chat.send",
        trace_id: None,
    };
    for _ in 0..1_000_000 {
        let value = f64::from(u32::try_from(values.next_u64() % 5).unwrap() + 1);
        truth += value;
        if let Decision::Keep { rate } = policy.decide(&subject, draws.next_u64()) {
            estimate += scale_count(value, rate);
        }
    }
    let error = (estimate - truth).abs() / truth;
    println!("varied counts: truth {truth}, estimate {estimate}, relative error {error:.5}");
    assert!(error < 0.01, "relative error {error}");
}
