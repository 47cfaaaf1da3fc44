#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;

use super::*;
use crate::sinks::testutil::{at, dist, SnapBuilder};
use crate::snapshot::{Snapshot, Value};

/// A strict DogStatsD v1.0 metric-line grammar (the subset this sink may emit):
/// `name:value|type[|@rate][|#tag,tag…]`.
fn check_line(line: &str) -> Result<(), String> {
    let mut parts = line.split('|');
    let head = parts.next().ok_or("empty")?;
    let (name, value) = head.split_once(':').ok_or("no ':'")?;
    let mut chars = name.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        || name.len() > 200
    {
        return Err(format!("bad name {name:?}"));
    }
    let num = |v: &str| -> bool {
        let v = v.strip_prefix('-').unwrap_or(v);
        !v.is_empty()
            && v.chars().all(|c| c.is_ascii_digit() || c == '.')
            && v.chars().filter(|&c| c == '.').count() <= 1
            && v.chars().next().is_some_and(|c| c.is_ascii_digit())
            && v.chars().last().is_some_and(|c| c.is_ascii_digit())
    };
    if !num(value) {
        return Err(format!("bad value {value:?}"));
    }
    let kind = parts.next().ok_or("no type")?;
    if !matches!(kind, "c" | "g" | "ms" | "d") {
        return Err(format!("bad type {kind:?}"));
    }
    if kind == "ms" && value.starts_with('-') {
        return Err("negative timer".into());
    }
    let mut seen_tags = false;
    let mut seen_rate = false;
    for p in parts {
        if let Some(r) = p.strip_prefix('@') {
            if seen_rate || seen_tags || !num(r) || kind == "g" {
                return Err(format!("bad rate {p:?}"));
            }
            let r: f64 = r.parse().unwrap();
            if !(r > 0.0 && r <= 1.0) {
                return Err(format!("rate out of range {r}"));
            }
            seen_rate = true;
        } else if let Some(t) = p.strip_prefix('#') {
            if seen_tags || t.is_empty() {
                return Err(format!("bad tags {p:?}"));
            }
            for tag in t.split(',') {
                if tag.is_empty() || tag.len() > 200 || tag.contains(['#', '\n', '@']) {
                    return Err(format!("bad tag {tag:?}"));
                }
            }
            seen_tags = true;
        } else {
            return Err(format!("unknown section {p:?}"));
        }
    }
    Ok(())
}

fn sink(max_packet: usize, samples: usize) -> DogStatsdSink {
    DogStatsdSink::builder()
        .udp("127.0.0.1:9")
        .max_packet_size(max_packet)
        .timing_samples(samples)
        .tag("env", "test")
        .build()
        .unwrap()
}

fn first() -> Arc<Snapshot> {
    SnapBuilder::new(1, at(10))
        .series(
            "orders.placed",
            &[("region", "eu|west,1")],
            Value::Counter(5.0),
            at(9),
        )
        .series("queue depth", &[], Value::Gauge(-2.5), at(9))
        .series(
            "latency_ms",
            &[("op", "get")],
            Value::Timing(dist(&[1.0, 2.0, 2.0, 40.0])),
            at(9),
        )
        .build()
}

fn lines(datagrams: &[String]) -> Vec<String> {
    datagrams
        .iter()
        .flat_map(|d| d.split('\n'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_line_matches_the_dogstatsd_grammar() {
    let s = sink(1432, 32);
    let snap = first();
    let out = s.encode(&Export {
        snapshot: &snap,
        previous: None,
    });
    let all = lines(&out);
    for l in &all {
        check_line(l).unwrap_or_else(|e| panic!("{l:?}: {e}"));
    }
    assert!(
        all.contains(&"orders.placed:5|c|#region:eu_west_1,env:test".to_owned()),
        "{all:?}"
    );
    assert!(
        all.contains(&"queue_depth:-2.5|g|#env:test".to_owned()),
        "{all:?}"
    );
    let timings: Vec<_> = all
        .iter()
        .filter(|l| l.starts_with("latency_ms:"))
        .collect();
    assert_eq!(
        timings.len(),
        4,
        "one line per value when under the sample cap"
    );
    assert!(timings.iter().all(|l| l.ends_with("|ms|#op:get,env:test")));
    let mut values: Vec<f64> = timings
        .iter()
        .map(|l| {
            l["latency_ms:".len()..]
                .split('|')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    values.sort_by(f64::total_cmp);
    for (got, want) in values.iter().zip([1.0, 2.0, 2.0, 40.0]) {
        assert!((got - want).abs() <= want * 0.01, "{got} vs {want}");
    }
}

#[test]
fn counters_are_sent_as_deltas_and_unchanged_series_are_not_sent() {
    let s = sink(1432, 32);
    let a = first();
    let b = SnapBuilder::new(2, at(20))
        .series(
            "orders.placed",
            &[("region", "eu|west,1")],
            Value::Counter(12.0),
            at(19),
        )
        .series("queue depth", &[], Value::Gauge(-2.5), at(9))
        .series(
            "latency_ms",
            &[("op", "get")],
            Value::Timing(dist(&[1.0, 2.0, 2.0, 40.0])),
            at(9),
        )
        .build();
    let all = lines(&s.encode(&Export {
        snapshot: &b,
        previous: Some(&a),
    }));
    assert_eq!(
        all,
        vec!["orders.placed:7|c|#region:eu_west_1,env:test".to_owned()]
    );
}

#[test]
fn large_timing_deltas_are_sampled_with_a_rate_that_keeps_the_count() {
    let s = sink(1432, 10);
    let values: Vec<f64> = (1..=1000).map(f64::from).collect();
    let snap = SnapBuilder::new(1, at(10))
        .series("t", &[], Value::Timing(dist(&values)), at(9))
        .build();
    let all = lines(&s.encode(&Export {
        snapshot: &snap,
        previous: None,
    }));
    assert_eq!(all.len(), 10);
    let mut implied = 0.0;
    let mut sampled = Vec::new();
    for l in &all {
        check_line(l).unwrap();
        let rate: f64 = l
            .split("|@")
            .nth(1)
            .unwrap()
            .split('|')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        implied += 1.0 / rate;
        sampled.push(
            l.split(':')
                .nth(1)
                .unwrap()
                .split('|')
                .next()
                .unwrap()
                .parse::<f64>()
                .unwrap(),
        );
    }
    assert!((implied - 1000.0).abs() < 1e-6, "{implied}");
    let mean = sampled.iter().sum::<f64>() / sampled.len() as f64;
    assert!((mean - 500.5).abs() < 10.0, "sampled mean {mean}");
    assert!(sampled.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn datagrams_respect_the_budget_and_never_split_a_line() {
    let mut b = SnapBuilder::new(1, at(10));
    let names: Vec<String> = (0..200).map(|i| format!("metric.number.{i}")).collect();
    for (i, n) in names.iter().enumerate() {
        b = b.series(
            n,
            &[("shard", "abcdefghij")],
            Value::Counter(i as f64 + 1.0),
            at(9),
        );
    }
    let snap = b.build();
    for max in [64, 200, 1432, 8192] {
        let s = sink(max, 32);
        let out = s.encode(&Export {
            snapshot: &snap,
            previous: None,
        });
        assert!(out.iter().all(|d| d.len() <= max), "budget {max}");
        let all = lines(&out);
        assert_eq!(all.len(), 200, "budget {max}");
        for l in &all {
            check_line(l).unwrap();
        }
        if max >= 1432 {
            // Packed: no datagram could have taken the next datagram's first line.
            for w in out.windows(2) {
                let next = w[1].split('\n').next().unwrap();
                assert!(w[0].len() + 1 + next.len() > max);
            }
        }
    }
}

#[test]
fn oversize_lines_go_alone_or_are_dropped() {
    let long = "v".repeat(150);
    let snap = SnapBuilder::new(1, at(10))
        .series("a", &[("k", &long)], Value::Counter(1.0), at(9))
        .series("b", &[], Value::Counter(1.0), at(9))
        .build();
    let s = sink(64, 32);
    let out = s.encode(&Export {
        snapshot: &snap,
        previous: None,
    });
    assert_eq!(out.len(), 2);
    assert!(out[0].len() > 64 && !out[0].contains('\n'));
}

#[test]
fn non_finite_values_are_skipped() {
    let snap = SnapBuilder::new(1, at(10))
        .series("g", &[], Value::Gauge(f64::NAN), at(9))
        .series("h", &[], Value::Gauge(0.25), at(9))
        .build();
    let out = sink(1432, 32).encode(&Export {
        snapshot: &snap,
        previous: None,
    });
    assert_eq!(out, vec!["h:0.25|g|#env:test".to_owned()]);
}

#[test]
fn config_is_validated() {
    assert!(DogStatsdSink::builder().timing_samples(0).build().is_err());
    assert!(DogStatsdSink::builder()
        .max_packet_size(10)
        .build()
        .is_err());
    assert!(DogStatsdSink::builder()
        .max_packet_size(70_000)
        .build()
        .is_err());
    assert!(DogStatsdSink::builder()
        .udp("not an address")
        .build()
        .is_err());
}

#[test]
fn a_failed_send_keeps_the_deltas_for_the_next_export() {
    // A connected UDP socket to a port nobody listens on: the ICMP refusal of the first
    // datagram fails a later send.
    let port = {
        let l = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut s = DogStatsdSink::builder()
        .udp(format!("127.0.0.1:{port}"))
        .build()
        .unwrap();
    let snap = first();
    let mut failed = false;
    for _ in 0..5 {
        if s.export(&Export {
            snapshot: &snap,
            previous: None,
        })
        .is_err()
        {
            failed = true;
            break;
        }
    }
    assert!(failed, "sending to a closed port is refused");
    // Still everything pending (nothing was acknowledged against the cursor).
    assert_eq!(
        lines(&s.encode(&Export {
            snapshot: &snap,
            previous: None
        }))
        .len(),
        6
    );
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            (0.0..1e9f64).prop_map(Value::Counter),
            any::<f64>().prop_map(Value::Gauge),
            proptest::collection::vec(0.0..100_000.0f64, 1..200)
                .prop_map(|v| Value::Timing(dist(&v))),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn every_line_is_valid_and_every_datagram_fits(
            series in proptest::collection::vec(("\\PC{0,40}", "\\PC{0,20}", "(\\PC|[|,#@\n]){0,60}", value()), 1..30),
            max in 64usize..2000,
            samples in 1usize..40,
        ) {
            let mut b = SnapBuilder::new(1, at(10));
            for (name, k, v, value) in &series {
                b = b.series(name, &[(k.as_str(), v.as_str())], value.clone(), at(9));
            }
            let snap = b.build();
            let s = sink(max, samples);
            let out = s.encode(&Export { snapshot: &snap, previous: None });
            let mut implied = std::collections::HashMap::<String, f64>::new();
            for d in &out {
                prop_assert!(d.len() <= max || (!d.contains('\n') && d.len() <= 8192));
                for l in d.split('\n') {
                    prop_assert!(check_line(l).is_ok(), "{l:?}: {:?}", check_line(l));
                    if l.contains("|ms") {
                        let rate = l.split("|@").nth(1).map_or(1.0, |r| r.split('|').next().unwrap().parse::<f64>().unwrap());
                        *implied.entry(l.split(':').next().unwrap().to_owned()).or_default() += 1.0 / rate;
                    }
                }
            }
            // Sampling keeps every timing's count (series of one name add up).
            let mut want = std::collections::HashMap::<String, f64>::new();
            for (s, (name, ..)) in snap.series.iter().zip(&series) {
                if let Value::Timing(d) = &s.value {
                    *want.entry(dd_names::metric_name(name)).or_default() += d.count as f64;
                }
            }
            for (name, n) in want {
                let got = implied.get(&name).copied().unwrap_or(0.0);
                prop_assert!((got - n).abs() < 1e-6 * n.max(1.0), "{name}: {got} vs {n}");
            }
        }
    }
}
