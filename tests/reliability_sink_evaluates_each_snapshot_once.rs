//! `ReliabilitySink` driven directly with snapshots: a snapshot is evaluated once, time
//! never goes backwards, latency SLOs read the cumulative histograms, `ops.slo_enforced`
//! gates burn-rate alerts, and `build()` names the bad field.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use telemetra::alert::{
    Aggregation, AlertError, AlertEventKind, AlertRule, Comparison, ReliabilitySink, SloSource,
    TagMatcher,
};
use telemetra::sinks::{Export, Sink};
use telemetra::slo::{BurnRateRule, BurnSeverity, SloDefinition};
use telemetra::snapshot::{Series, Snapshot, Value};
use telemetra::switches::Switches;
use telemetra::{Config, Tag, Telemetry};

fn counter_snapshot(seq: u64, at_secs: u64, total: f64) -> Arc<Snapshot> {
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000 + at_secs);
    Arc::new(Snapshot {
        seq,
        taken_at: at,
        series: vec![Series {
            id: 0,
            name: Arc::from("product.wallet.spend.failed"),
            tags: Arc::from(vec![Tag::new("reason", "DECLINED")]),
            start: SystemTime::UNIX_EPOCH,
            updated: at,
            value: Value::Counter(total),
            exemplar: None,
        }],
    })
}

fn export(sink: &mut ReliabilitySink, snap: &Arc<Snapshot>, prev: Option<&Arc<Snapshot>>) {
    sink.export(&Export {
        snapshot: snap,
        previous: prev,
    })
    .unwrap();
}

#[test]
fn a_snapshot_is_evaluated_once_and_time_never_goes_back() {
    let rule = AlertRule::builder("declines", "product.wallet.spend.failed")
        .filter(TagMatcher::eq("reason", "DECLINED"))
        .window(Duration::from_secs(60))
        .condition(Comparison::Gt, 5.0)
        .build()
        .unwrap();
    let mut sink = ReliabilitySink::builder().rule(rule).build().unwrap();
    let alerts = sink.handle();

    let s1 = counter_snapshot(1, 0, 10.0);
    export(&mut sink, &s1, None);
    // The first snapshot counts in full (a pipeline's series start at zero).
    assert_eq!(alerts.events().len(), 1);
    assert_eq!(alerts.events()[0].kind, AlertEventKind::Firing);

    // The same snapshot again, and an older one: passed over, nothing re-announced.
    export(&mut sink, &s1, Some(&s1));
    export(&mut sink, &counter_snapshot(0, 0, 10.0), Some(&s1));
    let s_back = counter_snapshot(5, 0, 10.0);
    let mut later = counter_snapshot(4, 30, 10.0);
    export(&mut sink, &later, Some(&s1));
    export(&mut sink, &s_back, Some(&later)); // newer seq but earlier time
    assert_eq!(alerts.stats().stale_snapshots, 3);
    assert_eq!(alerts.stats().evaluations, 2);
    assert_eq!(alerts.events().len(), 1);

    // Two minutes on with no new declines: resolved, once.
    let s6 = counter_snapshot(6, 150, 10.0);
    export(&mut sink, &s6, Some(&later));
    later = s6;
    export(&mut sink, &later, Some(&later));
    let kinds: Vec<_> = alerts.events().iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [AlertEventKind::Firing, AlertEventKind::Resolved]);
    assert!(alerts.active_alerts().is_empty());
    assert!(alerts.acknowledge(999, "me").is_err());
}

#[test]
fn latency_slo_reads_histograms_and_slo_enforced_gates_burn_alerts() {
    let switches = Switches::new();
    switches.slo_enforced().disable();
    let slo = SloDefinition::builder("chat.delivery.latency")
        .latency(Duration::from_millis(300))
        .target_percent(99.0)
        .burn_alerts(vec![BurnRateRule::new(
            BurnSeverity::Page,
            Duration::from_secs(3600),
            Duration::from_secs(300),
            14_400,
        )])
        .build()
        .unwrap();
    let sink = ReliabilitySink::builder()
        .slo(
            slo,
            SloSource::Latency {
                timing_metric: "chat_delivery_latency_ms".into(),
                filter: vec![TagMatcher::eq("region", "eu")],
                threshold: Duration::from_millis(300),
            },
        )
        .switches(switches.clone())
        .build()
        .unwrap();
    let alerts = sink.handle();
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .sink(sink)
            .switches(switches.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    for ms in [10.0, 100.0, 250.0, 900.0] {
        t.timing_ms("chat_delivery_latency_ms", ms, &[("region", "eu")]);
    }
    t.timing_ms("chat_delivery_latency_ms", 5000.0, &[("region", "us")]); // filtered out
    t.flush(Duration::from_secs(10)).unwrap();
    let report = alerts.slo_report("chat.delivery.latency").unwrap();
    assert_eq!((report.counts.good, report.counts.total), (3, 4));
    // 25% slow against a 1% budget burns at 25 > 14.4, but nothing alerts while
    // `ops.slo_enforced` is off; the tracker keeps counting.
    for _ in 0..6 {
        t.timing_ms("chat_delivery_latency_ms", 800.0, &[("region", "eu")]);
    }
    t.flush(Duration::from_secs(10)).unwrap();
    assert_eq!(alerts.slo_reports()[0].counts.total, 10);
    assert!(alerts.active_alerts().is_empty(), "ops.slo_enforced is off");

    switches.slo_enforced().enable();
    t.timing_ms("chat_delivery_latency_ms", 10.0, &[("region", "eu")]);
    t.flush(Duration::from_secs(10)).unwrap();
    let active = alerts.active_alerts();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].labels["slo"], "chat.delivery.latency");
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
fn timing_quantiles_cover_the_interval_not_the_whole_history() {
    let offset = Arc::new(AtomicI64::new(0));
    let clock_offset = Arc::clone(&offset);
    let origin = chrono::DateTime::UNIX_EPOCH + chrono::Duration::days(20_000);
    let rule = AlertRule::builder("slow_delivery", "chat_delivery_latency_ms")
        .aggregation(Aggregation::P95)
        .window(Duration::from_secs(60))
        .condition(Comparison::Gt, 100.0)
        .build()
        .unwrap();
    let sink = ReliabilitySink::builder()
        .rule(rule)
        .clock(move |_| origin + chrono::Duration::seconds(clock_offset.load(Ordering::SeqCst)))
        .build()
        .unwrap();
    let alerts = sink.handle();
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .sink(sink)
            .build()
            .unwrap(),
    )
    .unwrap();
    let interval = |secs: i64, ms: f64| {
        for _ in 0..100 {
            t.timing_ms("chat_delivery_latency_ms", ms, ());
        }
        offset.store(secs, Ordering::SeqCst);
        t.flush(Duration::from_secs(10)).unwrap();
    };
    interval(0, 10.0);
    assert!(alerts.active_alerts().is_empty());
    interval(30, 500.0);
    assert_eq!(alerts.active_alerts().len(), 1);
    assert!((alerts.active_alerts()[0].value - 500.0).abs() <= 5.0);
    // The cumulative p95 is still 500 ms; the last interval's is 10 ms: resolved.
    interval(120, 10.0);
    assert!(alerts.active_alerts().is_empty());
    let kinds: Vec<_> = alerts.events().iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [AlertEventKind::Firing, AlertEventKind::Resolved]);
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[cfg(feature = "transport")]
#[test]
fn failed_notifications_reach_on_error_without_secrets() {
    use telemetra::alert::notify::{Dispatcher, RetryPolicy, Secret, SlackNotifier};
    use telemetra::sinks::http::{HttpConfig, HttpTransport};
    // A port nobody listens on: connection refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/services/T000/B000/secret-token");
    let sink = ReliabilitySink::builder()
        .rule(
            AlertRule::builder("any_error", "errors")
                .condition(Comparison::Gt, 0.0)
                .build()
                .unwrap(),
        )
        .dispatcher(
            Dispatcher::new(Arc::new(HttpTransport::new(HttpConfig::default()).unwrap()))
                .retry_policy(RetryPolicy {
                    max_attempts: 1,
                    ..RetryPolicy::default()
                })
                .notifier(SlackNotifier::new(Secret::new(url))),
        )
        .build()
        .unwrap();
    let alerts = sink.handle();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .sink(sink)
            .on_error(move |e| record.lock().unwrap().push(e.to_string()))
            .build()
            .unwrap(),
    )
    .unwrap();
    t.incr("errors", ());
    let err = t.flush(Duration::from_secs(10)).unwrap_err();
    assert!(matches!(err, telemetra::Error::Export { .. }), "{err}");
    assert_eq!(alerts.stats().failed, 1);
    assert_eq!(alerts.active_alerts().len(), 1, "the alert itself stands");
    // The next snapshot has nothing new: no retry storm, no error.
    // (It also orders this check after the worker's report of the first failure.)
    t.flush(Duration::from_secs(10)).unwrap();
    let messages = seen.lock().unwrap().clone();
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].contains("1 of 1 alert notifications failed"),
        "{messages:?}"
    );
    assert!(!messages[0].contains("secret-token"));
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
fn build_names_the_bad_field() {
    let field = |r: Result<ReliabilitySink, AlertError>| match r {
        Err(AlertError::InvalidField { field, .. }) => field,
        other => panic!("expected a field error, got {other:?}"),
    };
    let avail = SloDefinition::builder("a")
        .availability()
        .target_percent(99.9)
        .build()
        .unwrap();
    let latency = SloSource::Latency {
        timing_metric: "x".into(),
        filter: vec![],
        threshold: Duration::from_millis(1),
    };
    let source = SloSource::Availability {
        total_metric: "req".into(),
        total_filter: vec![],
        bad_metric: String::new(),
        bad_filter: vec![],
    };
    assert_eq!(
        field(ReliabilitySink::builder().name("Bad Name").build()),
        "name"
    );
    assert_eq!(
        field(
            ReliabilitySink::builder()
                .slo(avail.clone(), latency)
                .build()
        ),
        "slos[0].source"
    );
    assert_eq!(
        field(
            ReliabilitySink::builder()
                .slo(avail.clone(), source)
                .build()
        ),
        "slos[0].source.bad_metric"
    );
    let ok = SloSource::Availability {
        total_metric: "req".into(),
        total_filter: vec![],
        bad_metric: "err".into(),
        bad_filter: vec![],
    };
    assert_eq!(
        field(
            ReliabilitySink::builder()
                .slo(avail.clone(), ok.clone())
                .slo(avail, ok)
                .build()
        ),
        "slos[1].name"
    );
    let slow = SloDefinition::builder("l")
        .latency(Duration::from_millis(300))
        .target_percent(95.0)
        .build()
        .unwrap();
    let wrong = SloSource::Latency {
        timing_metric: "x".into(),
        filter: vec![],
        threshold: Duration::from_millis(500),
    };
    assert_eq!(
        field(ReliabilitySink::builder().slo(slow, wrong).build()),
        "slos[0].source.threshold"
    );
    let dup = AlertRule::builder("r", "m").build().unwrap();
    assert_eq!(
        field(
            ReliabilitySink::builder()
                .rule(dup.clone())
                .rule(dup)
                .build()
        ),
        "rules[1].name"
    );
}
