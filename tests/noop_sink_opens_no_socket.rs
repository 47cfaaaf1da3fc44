//! `OBSERVABILITY_PROVIDER=none` gives a sink that discards everything and never opens a
//! socket (counted through /proc/self/fd on Linux; the only test in this binary, so
//! nothing else opens sockets meanwhile).
#![cfg(target_os = "linux")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use telemetra::{Config, Telemetry};

fn open_sockets() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|target| target.to_string_lossy().starts_with("socket:"))
        .count()
}

#[test]
fn the_none_provider_discards_everything_without_a_socket() {
    let before = open_sockets();
    let sink = telemetra::sinks::env::from_vars(|_| None).unwrap();
    assert_eq!(sink.name(), "noop");
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_millis(20))
            .boxed_sink(sink)
            .build()
            .unwrap(),
    )
    .unwrap();
    for i in 0..1000u64 {
        t.count("orders", i, &[("region", "eu")]);
        t.timing_ms("latency_ms", 3.0, ());
    }
    t.flush(Duration::from_secs(10)).unwrap();
    assert_eq!(open_sockets(), before);
    t.shutdown(Duration::from_secs(10)).unwrap();
    assert_eq!(open_sockets(), before);
}
