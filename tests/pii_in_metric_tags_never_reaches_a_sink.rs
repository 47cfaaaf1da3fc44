//! PII in a metric tag value is scrubbed on the flusher when the series is created, so
//! no sink ever sees it, whichever form the tags were given in.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use telemetra::pii::{Action, KeyRule, ScrubberConfig};
use telemetra::sinks::{JsonLinesSink, MemorySink};
use telemetra::{Config, Telemetry};

const T: Duration = Duration::from_secs(10);

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn tag_values_are_scrubbed_once_per_series() {
    let sink = MemorySink::new();
    let out = Shared::default();
    let scrubber = ScrubberConfig::builder()
        .hash_key(*b"metric-tags-key-0123456789abcdef")
        .key_rule(KeyRule::new("session_secret", "secret", Action::Drop))
        .build()
        .unwrap();
    let t = Telemetry::start(
        Config::builder()
            .sink(sink.clone())
            .sink(JsonLinesSink::new(out.clone()))
            .scrubber(scrubber)
            .build()
            .unwrap(),
    )
    .unwrap();
    for _ in 0..3 {
        // static, owned and bound tags
        t.incr("login.failed", &[("user", "ann@example.com")]);
        t.count(
            "login.failed",
            1,
            vec![("user".to_owned(), "bob@example.com".to_owned())],
        );
        t.tagged(vec![("peer", "203.0.113.7")])
            .incr("conn.refused", &[("session_secret", "s3cr3t")]);
        t.incr("login.failed", &[("reason", "BAD_PASSWORD")]);
    }
    t.flush(T).unwrap();

    // Both e-mails collapse into one scrubbed series.
    assert_eq!(
        sink.counter("login.failed", &[("user", "[email]")]),
        Some(6.0)
    );
    assert_eq!(
        sink.counter("login.failed", &[("reason", "BAD_PASSWORD")]),
        Some(3.0)
    );
    // A dropped tag is removed; the rest of the series stays.
    assert_eq!(sink.counter("conn.refused", &[("peer", "[ip]")]), Some(3.0));

    let snap = sink.last().unwrap();
    for s in &snap.series {
        for tag in s.tags.iter() {
            assert!(!tag.value.contains('@'), "{tag:?}");
            assert!(!tag.value.contains("203.0.113.7"), "{tag:?}");
            assert!(!tag.value.contains("s3cr3t"), "{tag:?}");
        }
    }
    let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    for secret in [
        "ann@example.com",
        "bob@example.com",
        "203.0.113.7",
        "s3cr3t",
    ] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
    // Scrubbing is visible in self-metrics.
    let replaced = sink.counter("telemetra.tags.sanitized", &[("reason", "pii_replaced")]);
    assert!(replaced.unwrap() >= 9.0, "{replaced:?} {:?}", sink.last());
    assert_eq!(
        sink.counter("telemetra.tags.sanitized", &[("reason", "pii_dropped")]),
        Some(3.0)
    );
    // And the scrubber's value cache reports on itself.
    assert!(
        sink.counter("telemetra.pii.cache", &[("stat", "misses")])
            .unwrap()
            > 0.0
    );
    t.shutdown(T).unwrap();
}
