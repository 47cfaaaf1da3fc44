//! Unit tests of `sinks/ingest.rs`.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
use super::*;

#[test]
fn batches_respect_the_cap_and_keep_order() {
    let items: Vec<(usize, String)> = (0..100)
        .map(|i| (i, format!("{{\"n\":\"{}\"}}", "x".repeat(i % 7 * 10))))
        .collect();
    let b = batches(&items, 300, PREFIX);
    assert!(b.len() > 1);
    let mut ids: Vec<usize> = Vec::new();
    for batch in &b {
        assert!(batch.body.len() <= 300, "{}", batch.body.len());
        let v: Json = serde_json::from_str(&batch.body).unwrap();
        assert_eq!(v["metrics"].as_array().unwrap().len(), batch.ids.len());
        ids.extend(&batch.ids);
    }
    assert_eq!(ids, (0..100).collect::<Vec<_>>());
    // An oversized item goes alone.
    let big = vec![
        (0, "\"a\"".to_owned()),
        (1, format!("\"{}\"", "b".repeat(500))),
        (2, "\"c\"".to_owned()),
    ];
    let b = batches(&big, 100, PREFIX);
    assert_eq!(
        b.iter().map(|b| b.ids.clone()).collect::<Vec<_>>(),
        vec![vec![0], vec![1], vec![2]]
    );
    assert!(batches(&[], 100, PREFIX).is_empty());
}
