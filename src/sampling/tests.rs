#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

fn subject(level: Level, domain: &'static str, operation: &'static str) -> Subject<'static> {
    Subject {
        level,
        domain,
        operation,
        trace_id: None,
    }
}

#[test]
fn most_specific_rate_wins() {
    let p = SamplingPolicy::builder()
        .global_rate(0.1)
        .domain_rate("wallet", 0.5)
        .operation_rate("wallet.spend", 1.0)
        .build()
        .unwrap();
    assert!((p.rate_for("chat", "chat.send") - 0.1).abs() < f64::EPSILON);
    assert!((p.rate_for("wallet", "wallet.refund") - 0.5).abs() < f64::EPSILON);
    assert!((p.rate_for("wallet", "wallet.spend") - 1.0).abs() < f64::EPSILON);
    assert!((p.rate_for("ai", "wallet.spend") - 1.0).abs() < f64::EPSILON);
}

#[test]
fn errors_are_always_kept_and_min_level_drops() {
    let p = SamplingPolicy::builder()
        .global_rate(0.0)
        .min_level(Level::Info)
        .build()
        .unwrap();
    for r in [0, u64::MAX / 2, u64::MAX] {
        assert_eq!(
            p.decide(&subject(Level::Error, "chat", "chat.send"), r),
            Decision::Keep { rate: 1.0 }
        );
        assert_eq!(
            p.decide(&subject(Level::Critical, "safety", "safety.panic_press"), r),
            Decision::Keep { rate: 1.0 }
        );
        assert_eq!(
            p.decide(&subject(Level::Info, "chat", "chat.send"), r),
            Decision::Drop {
                reason: DropReason::SampledOut
            }
        );
        assert_eq!(
            p.decide(&subject(Level::Debug, "chat", "chat.send"), r),
            Decision::Drop {
                reason: DropReason::BelowMinLevel
            }
        );
    }
    let strict = SamplingPolicy::builder()
        .global_rate(0.0)
        .keep_errors(false)
        .build()
        .unwrap();
    assert!(!strict
        .decide(&subject(Level::Error, "chat", "chat.send"), 0)
        .is_keep());
}

#[test]
fn trace_decisions_are_consistent_and_nested() {
    let mut rng = SplitMix64::new(7);
    let mut kept = 0;
    for _ in 0..100_000 {
        let id = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
        let at_10 = trace_keeps(id, 0.1);
        assert_eq!(at_10, trace_keeps(id, 0.1));
        if at_10 {
            kept += 1;
            assert!(trace_keeps(id, 0.5), "nested across rates");
        }
        assert!(trace_keeps(id, 1.0));
        assert!(!trace_keeps(id, 0.0));
    }
    assert!((9_000..11_000).contains(&kept), "kept {kept}");
    // ids with all randomness in the low half (64-bit ids) still sample evenly
    let low_only = (0..100_000_u128).filter(|&i| trace_keeps(i, 0.25)).count();
    assert!((23_000..27_000).contains(&low_only), "kept {low_only}");
}

#[test]
fn policy_uses_trace_id_when_present() {
    let p = SamplingPolicy::builder().global_rate(0.3).build().unwrap();
    let id = 0x4bf9_2f35_77b3_4da6_a3ce_929d_0e0e_4736_u128;
    let s = Subject {
        trace_id: Some(id),
        ..subject(Level::Info, "chat", "chat.send")
    };
    let first = p.decide(&s, 0);
    for r in [1, 2, u64::MAX] {
        assert_eq!(p.decide(&s, r), first);
    }
    assert_eq!(first.is_keep(), trace_keeps(id, 0.3));
}

#[test]
fn invalid_rates_name_the_field() {
    let err = SamplingPolicy::builder()
        .operation_rate("chat.send", 1.5)
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "operation_rate(chat.send) must be within 0.0..=1.0, got 1.5"
    );
    let err = SamplingPolicy::builder()
        .global_rate(f64::NAN)
        .build()
        .unwrap_err();
    assert!(err.to_string().starts_with("global_rate must be within"));
    assert!(SamplingPolicy::builder()
        .domain_rate("", 0.5)
        .build()
        .is_err());
}

#[test]
fn levels_parse_order_and_print() {
    assert!(Level::Debug < Level::Info && Level::Error < Level::Critical);
    assert_eq!("warning".parse::<Level>().unwrap(), Level::Warn);
    assert_eq!("CRITICAL".parse::<Level>().unwrap(), Level::Critical);
    assert!("loud".parse::<Level>().is_err());
    assert_eq!(Level::Error.to_string(), "ERROR");
    assert_eq!(serde_json::to_string(&Level::Warn).unwrap(), "\"WARN\"");
}

#[test]
fn scaling_and_rng_basics() {
    assert!((scale_count(3.0, 0.1) - 30.0).abs() < 1e-9);
    assert!((scale_count(3.0, 0.0) - 3.0).abs() < 1e-9);
    let mut a = SplitMix64::new(42);
    let mut b = SplitMix64::new(42);
    assert_eq!(a.next_u64(), b.next_u64());
    let f = a.next_f64();
    assert!((0.0..1.0).contains(&f));
    assert!(below_rate(0, 1e-12));
    assert!(!below_rate(u64::MAX, 0.999_999));
    assert!(!below_rate(0, f64::NAN));
    let _ = SplitMix64::from_entropy().next_u64();
}
