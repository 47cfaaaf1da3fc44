#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::sinks::testutil::{at, dist, SnapBuilder};

fn enc() -> GcpEncoding {
    GcpEncoding {
        prefix: "custom.googleapis.com/".into(),
        resource_type: "global".into(),
        resource_labels: vec![("project_id".into(), "p1".into())],
        bounds: DEFAULT_BOUNDS_MS.to_vec(),
    }
}

#[test]
fn metric_types_use_slashes_and_allowed_characters() {
    let p = "custom.googleapis.com/";
    let cases = [
        (
            "product.wallet.spend",
            "custom.googleapis.com/product/wallet/spend",
        ),
        ("a..b.", "custom.googleapis.com/a/b"),
        (
            "wallet tx-latency",
            "custom.googleapis.com/wallet_tx_latency",
        ),
        (".", "custom.googleapis.com/unnamed"),
    ];
    for (name, want) in cases {
        assert_eq!(metric_type(p, name), want);
    }
    assert!(metric_type(p, &"x".repeat(500)).len() <= 200);
}

#[test]
fn labels_are_sanitised_and_capped() {
    let cases = [
        ("region", "region"),
        ("http.status", "http_status"),
        ("1x", "x"),
        ("_", "label"),
        ("é", "label"),
    ];
    for (k, want) in cases {
        assert_eq!(label_key(k), want);
    }
    assert_eq!(label_key(&"k".repeat(200)).len(), 100);
    let v = label_value(&"é".repeat(1000));
    assert!(v.len() <= 1024 && v.chars().all(|c| c == 'é'));
    let tags: Vec<(String, String)> = (0..40)
        .map(|i| (format!("k{i:02}"), "v".to_string()))
        .collect();
    let tags: Vec<(&str, &str)> = tags.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let snap = SnapBuilder::new(1, at(60))
        .series("m", &tags, Value::Gauge(1.0), at(59))
        .build();
    assert_eq!(labels(&snap.series[0]).len(), MAX_LABELS);
}

#[test]
fn counters_are_cumulative_with_the_series_start() {
    let snap = SnapBuilder::new(1, at(60))
        .series("orders", &[("region", "eu")], Value::Counter(42.0), at(59))
        .build();
    let ts = time_series(&snap.series[0], at(60), &enc()).unwrap();
    assert_eq!(ts["metricKind"], "CUMULATIVE");
    assert_eq!(ts["valueType"], "DOUBLE");
    assert_eq!(ts["points"][0]["value"]["doubleValue"], 42.0);
    assert_eq!(ts["points"][0]["interval"]["startTime"], rfc3339(at(0)));
    assert_eq!(ts["points"][0]["interval"]["endTime"], rfc3339(at(60)));
    assert_eq!(
        ts["resource"],
        json!({"type": "global", "labels": {"project_id": "p1"}})
    );
    assert_eq!(ts["metric"]["labels"], json!({"region": "eu"}));
    // The start must be strictly before the end.
    assert!(time_series(&snap.series[0], at(0), &enc()).is_none());
}

#[test]
fn gauges_have_only_an_end_time() {
    let snap = SnapBuilder::new(1, at(60))
        .series("depth", &[], Value::Gauge(-1.5), at(59))
        .build();
    let ts = time_series(&snap.series[0], at(60), &enc()).unwrap();
    assert_eq!(ts["metricKind"], "GAUGE");
    assert_eq!(
        ts["points"][0]["interval"],
        json!({"endTime": rfc3339(at(60))})
    );
}

#[test]
fn timings_are_distributions_whose_buckets_add_up() {
    let values = [0.2, 0.7, 3.0, 3.0, 7.0, 120.0, 90_000.0];
    let snap = SnapBuilder::new(1, at(60))
        .series("lat", &[], Value::Timing(dist(&values)), at(59))
        .build();
    let ts = time_series(&snap.series[0], at(60), &enc()).unwrap();
    assert_eq!(ts["valueType"], "DISTRIBUTION");
    assert_eq!(ts["unit"], "ms");
    let d = &ts["points"][0]["value"]["distributionValue"];
    assert_eq!(d["count"], "7");
    let counts: Vec<u64> = d["bucketCounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(counts.len(), DEFAULT_BOUNDS_MS.len() + 1);
    assert_eq!(counts.iter().sum::<u64>(), 7);
    assert_eq!(counts[0], 1, "0.2 below 0.5");
    assert_eq!(counts[1], 1, "0.7 in [0.5, 1)");
    assert_eq!(counts[3], 2, "3.0 in [2.5, 5)");
    assert_eq!(*counts.last().unwrap(), 1, "90 s overflows");
    let mean: f64 = values.iter().sum::<f64>() / 7.0;
    assert!((d["mean"].as_f64().unwrap() - mean).abs() < 1e-9);
    let ssd: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
    let got = d["sumOfSquaredDeviation"].as_f64().unwrap();
    assert!((got - ssd).abs() / ssd < 0.03, "{got} vs {ssd}");
}

#[test]
fn only_changed_and_spaced_series_are_due() {
    let snap = SnapBuilder::new(1, at(60))
        .series("a", &[], Value::Counter(1.0), at(59))
        .series("b", &[], Value::Counter(1.0), at(50))
        .series("c", &[], Value::Counter(1.0), at(59))
        .series("a", &[], Value::Gauge(1.0), at(59))
        .build();
    let mut written = HashMap::new();
    written.insert(
        1,
        Written {
            end: at(40),
            updated: at(50),
        },
    ); // unchanged since
    written.insert(
        2,
        Written {
            end: at(55),
            updated: at(50),
        },
    ); // changed, too recent
    let (due, collisions) = due(
        &snap.series,
        at(60),
        &written,
        Duration::from_secs(10),
        &enc(),
    );
    let ids: Vec<usize> = due.iter().map(|(s, _)| s.id).collect();
    assert_eq!(ids, vec![0]);
    assert_eq!(collisions, 1, "the gauge `a` has the counter's identity");
    // A flush that arrives a little early (scheduling jitter) still writes.
    written.insert(
        2,
        Written {
            end: at(50) + Duration::from_millis(300),
            updated: at(50),
        },
    );
    let (due, _) = super::due(
        &snap.series,
        at(60),
        &written,
        Duration::from_secs(10),
        &enc(),
    );
    assert!(due.iter().any(|(s, _)| s.id == 2));
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn names_and_labels_always_follow_the_rules(name in "\\PC{0,300}", key in "\\PC{0,200}", value in "\\PC{0,1500}") {
            let t = metric_type("custom.googleapis.com/", &name);
            prop_assert!(t.len() <= 200 && t.starts_with("custom.googleapis.com/"));
            let path = &t["custom.googleapis.com/".len()..];
            prop_assert!(!path.is_empty() && !path.starts_with('/') && !path.ends_with('/') && !path.contains("//"));
            prop_assert!(path.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '/'));
            let k = label_key(&key);
            prop_assert!(k.len() <= 100 && k.chars().next().is_some_and(|c| c.is_ascii_alphabetic()));
            prop_assert!(k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
            let v = label_value(&value);
            prop_assert!(v.len() <= 1024 && value.starts_with(&v));
        }

        #[test]
        fn bucket_counts_always_add_up_to_count(
            values in proptest::collection::vec(0.0..200_000.0f64, 1..300),
            mut bounds in proptest::collection::btree_set(1u32..100_000, 1..40),
        ) {
            let bounds: Vec<f64> = std::mem::take(&mut bounds).into_iter().map(|b| f64::from(b) / 10.0).collect();
            let d = dist(&values);
            let j = distribution(&d, &bounds);
            let counts: Vec<u64> = j["bucketCounts"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().parse().unwrap()).collect();
            prop_assert_eq!(counts.len(), bounds.len() + 1);
            prop_assert_eq!(counts.iter().sum::<u64>(), values.len() as u64);
            prop_assert!(j["sumOfSquaredDeviation"].as_f64().unwrap() >= 0.0);
        }
    }
}
