//! Unit tests of `sinks/gcp.rs`.

#![allow(clippy::unwrap_used)]
use super::token::parse_token;
use super::*;

#[test]
fn error_texts_are_read_for_status_and_point_counts() {
    let e = SinkError::permanent("POST rejected with status 400: {\"error\": {\"details\": [{\"totalPointCount\": 5, \"successPointCount\": 2}]}}");
    assert_eq!(status_of(&e), Some(400));
    assert_eq!(point_counts(&e.to_string()), Some((2, 5)));
    assert_eq!(point_counts("status 400: nothing"), None);
    assert_eq!(status_of(&SinkError::new("could not connect")), None);
}

#[test]
fn token_replies_are_parsed() {
    let (t, d) =
        parse_token(br#"{"access_token":"ya29.x","expires_in":3599,"token_type":"Bearer"}"#)
            .unwrap();
    assert_eq!((t.as_str(), d), ("ya29.x", Duration::from_secs(3599)));
    assert!(parse_token(b"{}").is_none());
}

#[test]
fn config_is_validated_and_names_the_field() {
    let cases: Vec<(GcpBuilder, &str)> = vec![
        (GcpSink::builder(""), "project"),
        (GcpSink::builder("p/../x"), "project"),
        (
            GcpSink::builder("p").metric_prefix("custom.googleapis.com"),
            "metric_prefix",
        ),
        (
            GcpSink::builder("p").metric_prefix("example.com/"),
            "metric_prefix",
        ),
        (
            GcpSink::builder("p").bucket_bounds(vec![1.0, 1.0]),
            "bucket_bounds",
        ),
        (
            GcpSink::builder("p").bucket_bounds(Vec::new()),
            "bucket_bounds",
        ),
        (
            GcpSink::builder("p").min_point_spacing(Duration::from_secs(1)),
            "min_point_spacing",
        ),
        (GcpSink::builder("p").token(" "), "token"),
        (GcpSink::builder("p").base_url("ftp://x"), "base_url"),
    ];
    for (b, field) in cases {
        let e = b.build().unwrap_err().to_string();
        assert!(e.contains(field), "{e}");
    }
    let s = GcpSink::builder("p").token("ya29.secret").build().unwrap();
    assert!(!format!("{s:?}").contains("ya29"));
}
