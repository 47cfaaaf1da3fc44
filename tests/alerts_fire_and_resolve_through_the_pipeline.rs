//! The whole chain: emissions → pipeline → `ReliabilitySink` → alert engine and SLO
//! tracker → `Dispatcher` → the shared `HttpTransport` → an in-process HTTP server.
//! Evaluation time is driven by the sink's clock hook, so minutes pass without sleeping.
#![cfg(feature = "transport")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;
use telemetra::alert::notify::{
    Dispatcher, HttpPost, PagerDutyNotifier, RetryPolicy, Secret, SlackNotifier, WebhookNotifier,
};
use telemetra::alert::{
    Aggregation, AlertEventKind, AlertRule, AlertState, Comparison, MatchOp, ReliabilitySink,
    Severity, SloSource, TagMatcher,
};
use telemetra::slo::{BurnRateRule, BurnSeverity, SloDefinition, Window};
use telemetra::switches::Switches;
use telemetra::{Config, Telemetry};

const REQUESTS: &str = "infra.http.request.count";

fn http() -> Arc<dyn HttpPost> {
    let config = telemetra::sinks::http::HttpConfig::default();
    Arc::new(telemetra::sinks::http::HttpTransport::new(config).unwrap())
}

/// Requests the server received: (path, JSON body).
type Seen = Arc<Mutex<Vec<(String, Value)>>>;

/// Answers every POST with 200 `ok` and records it, until the process ends.
fn serve() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let record = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let path = line.split_whitespace().nth(1).unwrap().to_owned();
            let mut len = 0;
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end().to_ascii_lowercase();
                if h.is_empty() {
                    break;
                }
                if let Some(v) = h.strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            record
                .lock()
                .unwrap()
                .push((path, serde_json::from_slice(&body).unwrap()));
            let _ = reader
                .into_inner()
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        }
    });
    (base, seen)
}

fn take(seen: &Seen) -> Vec<(String, Value)> {
    let mut v = std::mem::take(&mut *seen.lock().unwrap());
    v.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.to_string().cmp(&b.1.to_string()))
    });
    v
}

fn requests(t: &Telemetry, ok: u64, failed: u64) {
    t.count(REQUESTS, ok, &[("endpoint", "/v1/chat"), ("status", "200")]);
    if failed > 0 {
        t.count(
            REQUESTS,
            failed,
            &[("endpoint", "/v1/chat"), ("status", "503")],
        );
    }
}

#[test]
fn error_ratio_fires_notifies_and_resolves() {
    let (base, seen) = serve();
    let switches = Switches::new();
    let offset = Arc::new(AtomicI64::new(0)); // virtual seconds since the test started
    let origin: DateTime<Utc> = "2026-11-23T09:00:00Z".parse().unwrap();
    let clock_offset = Arc::clone(&offset);

    let dispatcher = Dispatcher::new(http())
        .retry_policy(RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        })
        .notifier(SlackNotifier::new(Secret::new(format!("{base}/slack"))))
        .notifier(PagerDutyNotifier {
            url: Secret::new(format!("{base}/pagerduty")),
            ..PagerDutyNotifier::new(Secret::new("routing-key-1"))
        })
        .notifier(WebhookNotifier::new(Secret::new(format!("{base}/hook"))));
    let rule = AlertRule::builder("http_5xx_ratio", REQUESTS)
        .filter(TagMatcher {
            key: "status".into(),
            op: MatchOp::Prefix,
            value: "5".into(),
        })
        .aggregation(Aggregation::ErrorRatio {
            total_metrics: vec![REQUESTS.into()],
            total_filter: vec![],
        })
        .window(Duration::from_secs(300))
        .condition(Comparison::Gt, 0.05)
        .for_duration(Duration::from_secs(120))
        .severity(Severity::Critical)
        .build()
        .unwrap();
    let slo = SloDefinition::builder("api.overall.availability")
        .availability()
        .target_percent(99.0)
        .window(Window::rolling_days(30))
        .burn_alerts(vec![BurnRateRule::new(
            BurnSeverity::Page,
            Duration::from_secs(3600),
            Duration::from_secs(300),
            14_400,
        )])
        .build()
        .unwrap();
    let sink = ReliabilitySink::builder()
        .rule(rule)
        .slo(
            slo,
            SloSource::Availability {
                total_metric: REQUESTS.into(),
                total_filter: vec![],
                bad_metric: REQUESTS.into(),
                bad_filter: vec![TagMatcher {
                    key: "status".into(),
                    op: MatchOp::Prefix,
                    value: "5".into(),
                }],
            },
        )
        .dispatcher(dispatcher)
        .switches(switches.clone())
        .clock(move |_| origin + chrono::Duration::seconds(clock_offset.load(Ordering::SeqCst)))
        .build()
        .unwrap();
    let alerts = sink.handle();
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600)) // flushed by hand
            .sink(sink)
            .switches(switches.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    let flush_at = |secs: i64| {
        offset.store(secs, Ordering::SeqCst);
        t.flush(Duration::from_secs(10)).unwrap();
    };

    // 0 s: healthy traffic.
    requests(&t, 100, 0);
    flush_at(0);
    assert!(alerts.active_alerts().is_empty());
    assert!(take(&seen).is_empty());

    // 60 s: 40 of 100 fail. Over 5 min the ratio is 40/200 = 0.2 > 0.05: the rule is
    // pending (for 2 min); the SLO burns at 20 (20% errors on a 1% budget) > 14.4 in
    // both the 1 h and the 5 m window: the page fires at once (no `for`).
    requests(&t, 60, 40);
    flush_at(60);
    let active = alerts.active_alerts();
    let rule_alert = active.iter().find(|a| a.rule == "http_5xx_ratio").unwrap();
    assert_eq!(rule_alert.state, AlertState::Pending);
    assert!((rule_alert.value - 0.2).abs() < 1e-9);
    let slo_alert = active.iter().find(|a| a.rule == "slo_burn_rate").unwrap();
    assert_eq!(slo_alert.state, AlertState::Firing);
    assert_eq!(slo_alert.labels["slo"], "api.overall.availability");
    let got = take(&seen);
    let paths: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["/hook", "/pagerduty", "/slack"]);
    assert_eq!(got[1].1["event_action"], "trigger");
    assert_eq!(got[1].1["routing_key"], "routing-key-1");
    assert_eq!(
        got[0].1["alerts"][0]["labels"]["alertname"],
        "slo_burn_rate"
    );

    // 180 s: errors continue; the rule has held for 2 min and fires.
    requests(&t, 60, 40);
    flush_at(180);
    let firing = alerts
        .events()
        .into_iter()
        .find(|e| e.rule == "http_5xx_ratio")
        .unwrap();
    assert_eq!(firing.kind, AlertEventKind::Firing);
    assert_eq!(firing.fired_at, origin + chrono::Duration::seconds(180));
    assert_eq!(firing.active_at, origin + chrono::Duration::seconds(60));
    assert!((firing.value - 80.0 / 300.0).abs() < 1e-9);
    let got = take(&seen);
    let paths: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["/hook", "/pagerduty", "/slack"]);
    assert_eq!(got[0].1["status"], "firing");
    assert_eq!(got[0].1["alerts"][0]["rule"], "http_5xx_ratio");
    assert_eq!(got[1].1["dedup_key"], firing.dedup_key());
    assert_eq!(got[1].1["payload"]["severity"], "critical");
    assert!(got[2].1.to_string().contains("http_5xx_ratio"));

    // The SLO report saw every request since the pipeline started.
    let report = alerts.slo_report("api.overall.availability").unwrap();
    assert_eq!(report.counts.total, 300);
    assert_eq!(report.counts.bad(), 80);

    // An operator acknowledges; Slack is switched off at run time.
    alerts.acknowledge(firing.id, "oncall").unwrap();
    assert!(alerts
        .active_alerts()
        .iter()
        .any(|a| a.rule == "http_5xx_ratio" && a.acknowledged));
    switches.alerts_slack().disable();

    // 13 min: healthy again; both 5 min windows hold only good requests: both resolve.
    requests(&t, 100, 0);
    flush_at(780);
    assert!(alerts.active_alerts().is_empty());
    let resolved: Vec<_> = alerts
        .events()
        .into_iter()
        .filter(|e| e.kind == AlertEventKind::Resolved)
        .collect();
    assert_eq!(resolved.len(), 2);
    let got = take(&seen);
    let paths: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["/hook", "/hook", "/pagerduty", "/pagerduty"]);
    assert!(got[..2].iter().all(|(_, b)| b["status"] == "resolved"));
    assert!(got[2..].iter().all(|(_, b)| b["event_action"] == "resolve"));

    let stats = alerts.stats();
    assert_eq!(stats.evaluations, 4);
    assert_eq!(stats.events, 4);
    assert_eq!(stats.delivered, 10);
    assert_eq!(stats.suppressed, 2);
    assert_eq!(stats.failed, 0);
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
fn alerts_enabled_off_keeps_events_but_sends_nothing() {
    let (base, seen) = serve();
    let switches = Switches::new();
    switches.alerts().disable();
    let sink = ReliabilitySink::builder()
        .rule(
            AlertRule::builder("any_error", "product.wallet.spend.failed")
                .condition(Comparison::Gt, 0.0)
                .build()
                .unwrap(),
        )
        .dispatcher(
            Dispatcher::new(http())
                .notifier(SlackNotifier::new(Secret::new(format!("{base}/slack")))),
        )
        .switches(switches.clone())
        .build()
        .unwrap();
    let alerts = sink.handle();
    let t = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .sink(sink)
            .switches(switches)
            .build()
            .unwrap(),
    )
    .unwrap();
    t.incr("product.wallet.spend.failed", ());
    t.flush(Duration::from_secs(10)).unwrap();
    assert_eq!(alerts.events().len(), 1);
    assert_eq!(alerts.stats().suppressed, 1);
    assert!(take(&seen).is_empty());
    t.shutdown(Duration::from_secs(10)).unwrap();
}
