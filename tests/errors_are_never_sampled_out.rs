//! ERROR and CRITICAL events are always kept; INFO events at rate 0.1 are kept about one
//! time in ten; events below the minimum level are dropped; every drop is counted and
//! `event.count` stays an unbiased estimate of the true count.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use telemetra::sampling::SamplingPolicy;
use telemetra::sinks::MemorySink;
use telemetra::{Config, Level, Telemetry};

const T: Duration = Duration::from_secs(10);
const N: usize = 20_000;

#[test]
fn errors_always_kept_info_sampled_at_its_rate() {
    let sink = MemorySink::new();
    let policy = SamplingPolicy::builder()
        .global_rate(0.1)
        .operation_rate("wallet.spend", 1.0)
        .min_level(Level::Info)
        .build()
        .unwrap();
    let t = Telemetry::start(
        Config::builder()
            .sink(sink.clone())
            .sampling(policy)
            .record_queue_capacity(1 << 16)
            .record_buffer(1 << 16)
            .build()
            .unwrap(),
    )
    .unwrap();
    for i in 0..N {
        t.event("chat", "chat.send").meta("i", i).emit();
        if i % 40 == 0 {
            t.event("chat", "chat.send").level(Level::Error).emit();
            t.event("safety", "safety.panic_press")
                .level(Level::Critical)
                .emit();
            t.event("wallet", "wallet.spend").emit();
        }
        t.event("chat", "chat.typing").level(Level::Debug).emit();
    }
    t.flush(T).unwrap();

    let events = sink.events();
    let count = |op: &str, level: Level| {
        events
            .iter()
            .filter(|e| e.operation == op && e.level == level)
            .count()
    };
    let per_40 = N / 40;
    assert_eq!(count("chat.send", Level::Error), per_40);
    assert_eq!(count("safety.panic_press", Level::Critical), per_40);
    assert_eq!(count("wallet.spend", Level::Info), per_40);
    assert_eq!(count("chat.typing", Level::Debug), 0);
    let info = count("chat.send", Level::Info);
    // Expected 2,000, standard deviation ~42: a bound of ±400 never fails by chance.
    assert!((1_600..=2_400).contains(&info), "kept {info} of {N}");
    for e in events.iter().filter(|e| e.operation == "chat.send") {
        let want = if e.level == Level::Error { 1.0 } else { 0.1 };
        assert_eq!(e.sample_rate, want);
    }

    let st = t.record_stats();
    assert_eq!(st.below_min_level, N as u64);
    assert_eq!(st.sampled_out, (N - info) as u64);
    assert_eq!(st.dropped_queue_full, 0);

    // `event.count` scales each kept INFO event by 1 / 0.1: unbiased.
    let est = sink
        .counter(
            "event.count",
            &[
                ("domain", "chat"),
                ("error_code", "none"),
                ("level", "INFO"),
                ("operation", "chat.send"),
            ],
        )
        .unwrap();
    assert!((16_000.0..=24_000.0).contains(&est), "estimated {est}");
    assert_eq!(
        sink.counter(
            "telemetra.records.dropped",
            &[("reason", "below_min_level")]
        ),
        Some(N as f64)
    );
    t.shutdown(T).unwrap();
}

#[test]
fn events_in_a_trace_follow_the_trace_decision() {
    let sink = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .sink(sink.clone())
            .sampling(SamplingPolicy::builder().global_rate(0.5).build().unwrap())
            .build()
            .unwrap(),
    )
    .unwrap();
    let span = t.span("request");
    for _ in 0..50 {
        t.event("chat", "chat.send").trace(span.context()).emit();
    }
    drop(span);
    t.flush(T).unwrap();
    let n = sink.events().len();
    assert!(n == 0 || n == 50, "all or nothing, got {n}");
    t.shutdown(T).unwrap();
}

#[test]
fn setter_order_does_not_matter_and_decide_skips_the_work() {
    let sink = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .sink(sink.clone())
            .sampling(SamplingPolicy::builder().global_rate(0.0).build().unwrap())
            .build()
            .unwrap(),
    )
    .unwrap();
    // Metadata first, level last: the event is an error, kept whole.
    t.event("wallet", "wallet.payout_request")
        .meta("amount", 30)
        .actor(telemetra::event::ActorType::User, "user-1")
        .level(Level::Error)
        .emit();
    // The early decision: at rate 0 an INFO event never gets to build its metadata.
    let mut built = 0;
    for _ in 0..100 {
        if let Some(e) = t.event("chat", "chat.typing").decide() {
            built += 1;
            e.meta("chars", 3).emit();
        }
    }
    assert_eq!(built, 0);
    let kept = t
        .event("safety", "safety.panic_press")
        .level(Level::Critical)
        .decide();
    kept.unwrap().meta("lat", 1).emit();
    t.flush(T).unwrap();
    let events = sink.events();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].metadata["amount"], 30);
    assert!(events[0].actor_id.is_some());
    assert_eq!(events[1].metadata["lat"], 1);
    assert_eq!(t.record_stats().sampled_out, 100);
    t.shutdown(T).unwrap();
}
