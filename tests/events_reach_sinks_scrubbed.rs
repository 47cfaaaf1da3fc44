//! Events reach the record sinks with PII scrubbed on the way: metadata (nested JSON
//! too), message content, actor ids (always pseudonymised) and error messages.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use telemetra::event::ActorType;
use telemetra::pii::{is_pseudonym, ScrubberConfig};
use telemetra::sinks::{JsonLinesSink, MemorySink};
use telemetra::{Config, Level, Record, Telemetry};

const T: Duration = Duration::from_secs(10);

/// A `Write` whose bytes a test can read after the sink has been moved away.
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

fn start(key: &[u8; 32]) -> (Telemetry, MemorySink, Shared) {
    let sink = MemorySink::new();
    let out = Shared::default();
    let config = Config::builder()
        .sink(sink.clone())
        .sink(JsonLinesSink::new(out.clone()))
        .scrubber(ScrubberConfig::builder().hash_key(*key).build().unwrap())
        .build()
        .unwrap();
    (Telemetry::start(config).unwrap(), sink, out)
}

#[test]
fn every_pii_field_is_scrubbed_before_any_sink() {
    let (t, sink, out) = start(b"events-test-key-0123456789abcdef");
    t.event("chat", "chat.send")
        .actor(ActorType::User, "user-42")
        .session("sess-1")
        .request("req-9")
        .success(true)
        .latency(Duration::from_millis(35))
        .meta("email", "ann@example.com")
        .meta("message", "hi Bob, call me")
        .meta(
            "recipient",
            json!({"contact": {"note": "reach me at bob@example.com"}}),
        )
        .meta("chars", 15)
        .emit();
    t.event_error(
        "wallet",
        "wallet.spend",
        "INSUFFICIENT_FUNDS",
        "charge failed for ann@example.com with Bearer abcdef0123456789abcdef",
    );
    t.flush(T).unwrap();

    let events = sink.events();
    assert_eq!(events.len(), 2);
    let chat = &events[0];
    let actor = chat.actor_id.as_deref().unwrap();
    assert!(is_pseudonym(actor), "{actor}");
    assert_eq!(chat.actor_type, Some(ActorType::User));
    // Kept by the product rules.
    assert_eq!(chat.session_id.as_deref(), Some("sess-1"));
    assert_eq!(chat.request_id.as_deref(), Some("req-9"));
    assert_eq!(chat.operation, "chat.send");
    assert_eq!(chat.latency_ms, Some(35.0));
    assert_eq!(chat.metadata["chars"], 15);
    // Scrubbed.
    assert_eq!(chat.metadata["email"], "[email]");
    assert_ne!(chat.metadata["message"], "hi Bob, call me");
    assert_eq!(
        chat.metadata["recipient"]["contact"]["note"],
        "reach me at [email]"
    );
    assert_eq!(chat.sample_rate, 1.0);
    assert_eq!(chat.level, Level::Info);

    let err = &events[1];
    assert_eq!(err.level, Level::Error);
    assert_eq!(err.success, Some(false));
    assert_eq!(err.error_code.as_deref(), Some("INSUFFICIENT_FUNDS"));
    let msg = err.message.as_deref().unwrap();
    assert!(!msg.contains("ann@example.com"), "{msg}");
    assert!(!msg.contains("abcdef0123456789abcdef"), "{msg}");
    assert!(msg.starts_with("charge failed for [email]"), "{msg}");

    // The same pseudonym for the same user and key: events stay joinable.
    t.event("chat", "chat.read")
        .actor(ActorType::User, "user-42")
        .emit();
    t.flush(T).unwrap();
    assert_eq!(sink.events()[2].actor_id.as_deref(), Some(actor));

    // The JSON lines sink got the same scrubbed records, one line each.
    let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    assert!(!text.contains("ann@example.com"));
    assert!(!text.contains("bob@example.com"));
    assert!(!text.contains("user-42"));
    let records: Vec<Record> = text
        .lines()
        .filter(|l| l.starts_with("{\"record\""))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 3);
    assert!(text.contains(r#""record":"event""#));
    assert!(text.contains(r#""actorId":"usr_"#));

    // Kept events are counted in `event.count`, tagged by outcome.
    let c = sink.counter(
        "event.count",
        &[
            ("domain", "wallet"),
            ("error_code", "INSUFFICIENT_FUNDS"),
            ("level", "ERROR"),
            ("operation", "wallet.spend"),
            ("success", "false"),
        ],
    );
    assert_eq!(c, Some(1.0));
    t.shutdown(T).unwrap();
}

#[test]
fn time_event_records_outcome_and_latency() {
    let (t, sink, _) = start(b"events-test-key-0123456789abcdef");
    let ok: Result<u32, std::io::Error> = t.time_event("ai", "ai.request", || Ok(3));
    assert_eq!(ok.unwrap(), 3);
    let bad: Result<(), std::io::Error> = t.time_event("ai", "ai.request", || {
        Err(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "upstream ann@example.com timed out",
        ))
    });
    assert!(bad.is_err());
    t.event_success("support", "support.ticket_create", Duration::from_millis(5));
    t.flush(T).unwrap();
    let e = sink.events();
    assert_eq!(e.len(), 3);
    assert_eq!(e[0].success, Some(true));
    assert!(e[0].latency_ms.is_some());
    assert_eq!(e[1].level, Level::Error);
    assert_eq!(e[1].error_code.as_deref(), Some("timed_out"));
    assert_eq!(e[1].message.as_deref(), Some("upstream [email] timed out"));
    assert_eq!(e[2].operation, "support.ticket_create");
    t.shutdown(T).unwrap();
}

#[test]
fn scrubbing_can_be_turned_off() {
    let sink = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .sink(sink.clone())
            .pii_scrubbing(false)
            .build()
            .unwrap(),
    )
    .unwrap();
    t.event("chat", "chat.send")
        .actor(ActorType::User, "user-42")
        .meta("email", "ann@example.com")
        .emit();
    t.flush(T).unwrap();
    let e = &sink.events()[0];
    assert_eq!(e.actor_id.as_deref(), Some("user-42"));
    assert_eq!(e.metadata["email"], "ann@example.com");
    t.shutdown(T).unwrap();
}

#[test]
fn a_noop_handle_takes_events_and_spans_for_free() {
    let t = Telemetry::noop();
    t.event("chat", "chat.send").meta("k", 1).emit();
    t.event_error("chat", "chat.send", "E", "m");
    let _ = t.in_span("op", |_| Ok::<_, std::io::Error>(()));
    assert_eq!(t.record_stats(), telemetra::RecordStats::default());
}
