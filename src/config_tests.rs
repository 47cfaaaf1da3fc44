//! Unit tests of `config.rs`.

use super::*;
use crate::sinks::MemorySink;

#[test]
fn errors_name_the_field() {
    let cases: Vec<(ConfigBuilder, &str)> = vec![
        (
            Config::builder().flush_interval(Duration::ZERO),
            "flush_interval",
        ),
        (Config::builder().batch_size(0), "batch_size"),
        (
            Config::builder().batch_size(64).queue_capacity(10),
            "queue_capacity",
        ),
        (
            Config::builder().max_series(10).max_series_per_metric(11),
            "max_series_per_metric",
        ),
        (Config::builder().max_tags(0), "max_tags"),
        (Config::builder().histogram_sigfig(5), "histogram_sigfig"),
        (Config::builder().histogram_sigfig(1), "histogram_sigfig"),
        (Config::builder().record_buffer(0), "record_buffer"),
        (
            Config::builder().record_queue_capacity(0),
            "record_queue_capacity",
        ),
        (
            Config::builder().record_flush_interval(Duration::ZERO),
            "record_flush_interval",
        ),
        (
            Config::builder().trace_sample_rate(1.5),
            "trace_sample_rate",
        ),
        (
            Config::builder()
                .sink(MemorySink::new())
                .sink(MemorySink::new()),
            "sink",
        ),
    ];
    for (b, field) in cases {
        match b.build() {
            Err(Error::Config { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: expected a config error, got {other:?}"),
        }
    }
    assert!(Config::builder().build().is_ok());
}
