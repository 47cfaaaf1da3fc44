//! Unit tests of `sinks/otlp/mod.rs`.

#![allow(clippy::unwrap_used)]
use super::*;

#[test]
fn pairs_are_split_trimmed_and_decoded() {
    let p = parse_pairs(" api-key = a%2Cb ,, x=y=z ", "V").unwrap();
    assert_eq!(
        p,
        vec![
            ("api-key".to_owned(), "a,b".to_owned()),
            ("x".to_owned(), "y=z".to_owned())
        ]
    );
    assert!(parse_pairs("novalue", "V").is_err());
}

#[test]
fn the_signal_path_is_appended_once() {
    assert_eq!(
        signal_url("http://c:4318", "metrics"),
        "http://c:4318/v1/metrics"
    );
    assert_eq!(
        signal_url("http://c:4318/", "traces"),
        "http://c:4318/v1/traces"
    );
    assert_eq!(
        signal_url("http://c/otlp/", "logs"),
        "http://c/otlp/v1/logs"
    );
}
