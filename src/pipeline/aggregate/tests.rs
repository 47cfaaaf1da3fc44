//! Unit tests of `pipeline/aggregate.rs`.

use super::*;
use std::borrow::Cow;

fn limits() -> Limits {
    Limits {
        max_series: 4,
        max_per_metric: 2,
        max_name_len: 10,
        max_tags: 4,
        max_tag_key_len: 8,
        max_tag_value_len: 8,
        sigfig: 2,
    }
}

fn em(name: &'static str, kind: Kind, value: f64, tags: TagsRepr) -> Emission {
    let sample = match kind {
        Kind::Counter if value.fract() == 0.0 && value >= 0.0 => Sample::Count(value as u64),
        Kind::Counter => Sample::Add(value),
        Kind::Gauge => Sample::Gauge(value),
        Kind::Timing => Sample::from_ms(value).unwrap_or(Sample::Add(-1.0)),
    };
    Emission {
        name: Cow::Borrowed(name),
        tags,
        sample,
        outcome: None,
    }
}

#[test]
fn caps_route_to_overflow_series() {
    let mut a = Aggregator::new(limits(), None).unwrap();
    let now = SystemTime::now();
    for v in ["a", "b", "c", "d"] {
        let tags = TagsRepr::Owned(vec![Tag::new("k", v)].into());
        a.apply(&em("m", Kind::Counter, 1.0, tags), now).unwrap();
    }
    let snap = a.snapshot(1, now);
    assert_eq!(snap.counter("m", &[("k", "a")]), Some(1.0));
    assert_eq!(snap.counter("m", &[("k", "b")]), Some(1.0));
    assert_eq!(snap.counter("m", &[(OVERFLOW_TAG, "true")]), Some(2.0));
    assert_eq!(a.counts.overflow, 2);
    // Total cap (4): "m" took 3, one more series fits, then the global overflow.
    a.apply(&em("x", Kind::Counter, 1.0, TagsRepr::None), now)
        .unwrap();
    a.apply(&em("y", Kind::Counter, 5.0, TagsRepr::None), now)
        .unwrap();
    let snap = a.snapshot(2, now);
    assert_eq!(snap.counter("x", &[]), Some(1.0));
    assert_eq!(
        snap.counter(GLOBAL_OVERFLOW, &[("kind", "counter")]),
        Some(5.0)
    );
}

#[test]
fn invalid_input_is_dropped_and_counted() {
    let mut a = Aggregator::new(limits(), None).unwrap();
    let now = SystemTime::now();
    let bad = [
        em("", Kind::Counter, 1.0, TagsRepr::None),
        em("much_too_long_name", Kind::Counter, 1.0, TagsRepr::None),
        em("n", Kind::Counter, f64::NAN, TagsRepr::None),
        em("n", Kind::Counter, -1.0, TagsRepr::None),
        em("n", Kind::Gauge, f64::INFINITY, TagsRepr::None),
        em("n", Kind::Timing, -0.5, TagsRepr::None),
    ];
    for e in &bad {
        assert!(a.apply(e, now).is_err());
    }
    assert_eq!(a.counts.invalid_name, 2);
    assert_eq!(a.counts.invalid_value, 4);
    assert_eq!(a.counts.emitted, 0);
    // Negative gauges are fine.
    a.apply(&em("n", Kind::Gauge, -3.0, TagsRepr::None), now)
        .unwrap();
    assert_eq!(a.snapshot(1, now).gauge("n", &[]), Some(-3.0));
}

#[test]
fn timings_keep_exact_count_sum_min_max() {
    let mut a = Aggregator::new(limits(), None).unwrap();
    let now = SystemTime::now();
    for v in [5.0, 1.5, 5.0, 250.0, 1e12] {
        a.apply(&em("t", Kind::Timing, v, TagsRepr::None), now)
            .unwrap();
    }
    let snap = a.snapshot(1, now);
    let d = snap.timing("t", &[]).unwrap();
    assert_eq!(d.count, 5);
    let want = 5.0 + 1.5 + 5.0 + 250.0 + 1e12;
    assert!((d.sum - want).abs() <= want * 1e-15, "{}", d.sum);
    assert_eq!(d.min, 1.5);
    assert_eq!(d.max, 1e12);
    assert!((d.quantile(0.5) - 5.0).abs() <= 0.05, "{}", d.quantile(0.5));
    assert_eq!(d.count_le(10.0), 3);
    assert_eq!(d.count_le(1e13), 5);
}

#[test]
fn whole_counts_are_exact_to_u64_and_saturate_counted() {
    let mut a = Aggregator::new(limits(), None).unwrap();
    let now = SystemTime::now();
    let c = |v| Emission {
        name: Cow::Borrowed("c"),
        tags: TagsRepr::None,
        sample: Sample::Count(v),
        outcome: None,
    };
    a.apply(&c(u64::MAX / 2), now).unwrap();
    a.apply(&c(u64::MAX / 2), now).unwrap();
    a.apply(&c(1), now).unwrap();
    assert_eq!(a.counts.counter_overflow, 0);
    match &a.series[0].state {
        State::Counter { int, .. } => assert_eq!(*int, u64::MAX),
        _ => panic!("not a counter"),
    }
    a.apply(&c(1), now).unwrap();
    assert_eq!(a.counts.counter_overflow, 1);
    assert_eq!(a.counts.emitted, 4);
}

#[test]
fn tag_orders_of_the_same_series_meet() {
    let mut a = Aggregator::new(limits(), None).unwrap();
    let now = SystemTime::now();
    let s = || TagsRepr::Owned(vec![Tag::new("b", "2"), Tag::new("a", "1")].into());
    a.apply(&em("m", Kind::Counter, 1.0, s()), now).unwrap();
    a.apply(&em("m", Kind::Counter, 1.0, s()), now).unwrap();
    let owned = TagsRepr::Owned(vec![Tag::new("a", "1"), Tag::new("b", "2")].into());
    a.apply(&em("m", Kind::Counter, 1.0, owned), now).unwrap();
    let snap = a.snapshot(1, now);
    assert_eq!(snap.series.len(), 1);
    assert_eq!(snap.counter("m", &[("a", "1"), ("b", "2")]), Some(3.0));
}
