#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Read as _;
use std::sync::Arc;

use serde_json::Value as Json;

use super::*;
use crate::sinks::testutil::{at, dist, SnapBuilder};
use crate::snapshot::{Snapshot, Value};

fn opts() -> EncodeOptions {
    EncodeOptions {
        host: Some("web-1".into()),
        tags: vec!["env:test".into()],
        max_body: MAX_BODY_BYTES,
        max_uncompressed: MAX_UNCOMPRESSED_BYTES,
        compression: Encoding::Deflate,
    }
}

pub(super) fn inflate(body: &[u8], c: Encoding) -> Vec<u8> {
    let mut out = Vec::new();
    match c {
        Encoding::Deflate => flate2::read::ZlibDecoder::new(body).read_to_end(&mut out),
        Encoding::Gzip => flate2::read::GzDecoder::new(body).read_to_end(&mut out),
        Encoding::Identity => {
            out.extend_from_slice(body);
            Ok(body.len())
        }
    }
    .unwrap();
    out
}

fn encode(snap: &Arc<Snapshot>, prev: Option<&Arc<Snapshot>>, o: &EncodeOptions) -> Vec<Json> {
    let cursor = PartialCursor::default();
    let export = Export {
        snapshot: snap,
        previous: prev,
    };
    let pending = cursor.changed(&export);
    let batches = encode_batches(&pending, snap.taken_at, o).unwrap();
    batches
        .iter()
        .flat_map(|b| {
            let v: Json = serde_json::from_slice(&inflate(&b.body, o.compression)).unwrap();
            v["series"].as_array().unwrap().clone()
        })
        .collect()
}

fn find<'a>(series: &'a [Json], metric: &str) -> &'a Json {
    series
        .iter()
        .find(|s| s["metric"] == metric)
        .unwrap_or_else(|| panic!("{metric} missing from {series:#?}"))
}

fn snap1() -> Arc<Snapshot> {
    SnapBuilder::new(1, at(60))
        .series(
            "orders.placed",
            &[("region", "eu west")],
            Value::Counter(5.0),
            at(59),
        )
        .series("queue-depth", &[], Value::Gauge(3.5), at(59))
        .series(
            "latency_ms",
            &[],
            Value::Timing(dist(&[1.0, 2.0, 3.0, 4.0, 100.0])),
            at(59),
        )
        .build()
}

#[test]
fn counters_are_count_deltas_with_the_interval_between_snapshots() {
    let a = snap1();
    let first = encode(&a, None, &opts());
    let c = find(&first, "orders.placed");
    assert_eq!(c["type"], 1);
    assert_eq!(
        c["interval"], 60,
        "first delivery: since the series started"
    );
    assert_eq!(c["points"][0]["value"], 5.0);
    assert_eq!(c["points"][0]["timestamp"], unix_secs(at(60)));
    assert_eq!(c["tags"], json!(["region:eu_west", "env:test"]));
    assert_eq!(c["resources"], json!([{"name": "web-1", "type": "host"}]));

    let b = SnapBuilder::new(2, at(70))
        .series(
            "orders.placed",
            &[("region", "eu west")],
            Value::Counter(12.0),
            at(69),
        )
        .series("queue-depth", &[], Value::Gauge(3.5), at(59))
        .series(
            "latency_ms",
            &[],
            Value::Timing(dist(&[1.0, 2.0, 3.0, 4.0, 100.0])),
            at(59),
        )
        .build();
    let second = encode(&b, Some(&a), &opts());
    assert_eq!(second.len(), 1, "only changed series: {second:#?}");
    assert_eq!(second[0]["points"][0]["value"], 7.0);
    assert_eq!(second[0]["interval"], 10);
}

#[test]
fn gauges_are_type_3_without_interval() {
    let s = encode(&snap1(), None, &opts());
    let g = find(&s, "queue_depth");
    assert_eq!(g["type"], 3);
    assert!(g.get("interval").is_none());
    assert_eq!(g["points"][0]["value"], 3.5);
    assert!(g
        .get("tags")
        .unwrap()
        .as_array()
        .unwrap()
        .contains(&json!("env:test")));
}

#[test]
fn timings_become_the_agent_histogram_family() {
    let s = encode(&snap1(), None, &opts());
    assert_eq!(s.len(), 2 + 5);
    let v = |m: &str| find(&s, m)["points"][0]["value"].as_f64().unwrap();
    assert_eq!(v("latency_ms.avg"), 22.0);
    assert_eq!(v("latency_ms.count"), 5.0);
    assert_eq!(find(&s, "latency_ms.count")["type"], 1);
    assert_eq!(find(&s, "latency_ms.count")["interval"], 60);
    assert_eq!(v("latency_ms.max"), 100.0);
    assert!((v("latency_ms.median") - 3.0).abs() < 0.05);
    assert!((v("latency_ms.95percentile") - 100.0).abs() < 1.0);
    for m in [
        "latency_ms.avg",
        "latency_ms.max",
        "latency_ms.median",
        "latency_ms.95percentile",
    ] {
        assert_eq!(find(&s, m)["type"], 3, "{m}");
    }
}

#[test]
fn long_names_keep_their_suffix_within_200_characters() {
    let name = "a".repeat(250);
    let snap = SnapBuilder::new(1, at(60))
        .series(&name, &[], Value::Timing(dist(&[1.0])), at(59))
        .build();
    let s = encode(&snap, None, &opts());
    for o in &s {
        let m = o["metric"].as_str().unwrap();
        assert!(m.len() <= 200, "{m}");
    }
    assert!(s
        .iter()
        .any(|o| o["metric"].as_str().unwrap().ends_with(".95percentile")));
}

#[test]
fn many_series_are_split_into_requests_under_both_limits() {
    let mut b = SnapBuilder::new(1, at(60));
    let names: Vec<String> = (0..3000).map(|i| format!("svc.metric.{i}")).collect();
    for (i, n) in names.iter().enumerate() {
        b = b.series(
            n,
            &[("shard", &format!("{:x}", i * 7919))],
            Value::Counter(i as f64 + 1.0),
            at(59),
        );
    }
    let snap = b.build();
    for compression in [Encoding::Deflate, Encoding::Gzip, Encoding::Identity] {
        let o = EncodeOptions {
            max_body: 8_000,
            max_uncompressed: 60_000,
            compression,
            ..opts()
        };
        let cursor = PartialCursor::default();
        let export = Export {
            snapshot: &snap,
            previous: None,
        };
        let pending = cursor.changed(&export);
        let batches = encode_batches(&pending, snap.taken_at, &o).unwrap();
        assert!(batches.len() > 3, "{} batches", batches.len());
        let mut seen = Vec::new();
        for batch in &batches {
            assert!(batch.body.len() <= o.max_body, "{}", batch.body.len());
            let raw = inflate(&batch.body, compression);
            assert!(raw.len() <= o.max_uncompressed, "{}", raw.len());
            let v: Json = serde_json::from_slice(&raw).unwrap();
            assert_eq!(v["series"].as_array().unwrap().len(), batch.series.len());
            seen.extend(batch.series.iter().copied());
        }
        seen.sort_unstable();
        assert_eq!(seen, (0..3000).collect::<Vec<_>>());
    }
}

#[test]
fn the_default_limits_hold_for_a_large_export() {
    let mut b = SnapBuilder::new(1, at(60));
    let names: Vec<String> = (0..12_000)
        .map(|i| format!("svc.metric.with.a.longish.name.{i}"))
        .collect();
    for (i, n) in names.iter().enumerate() {
        b = b.series(
            n,
            &[
                ("shard", &format!("{:x}", i * 7919)),
                ("pod", &format!("pod-{}", i % 97)),
            ],
            Value::Timing(dist(&[i as f64])),
            at(59),
        );
    }
    let snap = b.build();
    let cursor = PartialCursor::default();
    let export = Export {
        snapshot: &snap,
        previous: None,
    };
    let pending = cursor.changed(&export);
    let batches = encode_batches(&pending, snap.taken_at, &opts()).unwrap();
    assert!(batches.len() >= 2);
    for batch in &batches {
        assert!(batch.body.len() <= MAX_BODY_BYTES);
        assert!(inflate(&batch.body, Encoding::Deflate).len() < 5_242_880);
    }
    assert_eq!(
        batches.iter().map(|b| b.series.len()).sum::<usize>(),
        12_000
    );
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn batches_partition_the_series_within_both_limits(
            n in 1usize..400,
            max_body in 1024usize..6000,
            extra in 0usize..20_000,
            gzip in any::<bool>(),
        ) {
            let names: Vec<String> = (0..n).map(|i| format!("m.{i}")).collect();
            let mut b = SnapBuilder::new(1, at(60));
            for (i, name) in names.iter().enumerate() {
                let v = format!("{:x}", (i as u64 + 7).wrapping_mul(0x9e37_79b9_7f4a_7c15));
                b = b.series(name, &[("k", &v)], Value::Counter(i as f64 + 1.0), at(59));
            }
            let snap = b.build();
            let compression = if gzip { Encoding::Gzip } else { Encoding::Deflate };
            let o = EncodeOptions { max_body, max_uncompressed: max_body + extra + 1024, compression, ..opts() };
            let cursor = PartialCursor::default();
            let export = Export { snapshot: &snap, previous: None };
            let pending = cursor.changed(&export);
            let batches = encode_batches(&pending, snap.taken_at, &o).unwrap();
            let mut seen = Vec::new();
            for batch in &batches {
                let raw = inflate(&batch.body, compression);
                prop_assert!(batch.body.len() <= o.max_body || batch.series.len() == 1);
                prop_assert!(raw.len() <= o.max_uncompressed || batch.series.len() == 1);
                let v: Json = serde_json::from_slice(&raw).unwrap();
                prop_assert_eq!(v["series"].as_array().unwrap().len(), batch.series.len());
                seen.extend(batch.series.iter().copied());
            }
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..n).collect::<Vec<_>>());
        }
    }
}
