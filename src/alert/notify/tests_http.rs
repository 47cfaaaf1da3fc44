//! Notifier payloads, retries, isolation and kill switches against an in-process HTTP server.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::alert::event::{AlertEvent, AlertEventKind};
use crate::alert::rule::Severity;
use chrono::{TimeZone, Utc};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// One request as the server saw it.
#[derive(Debug)]
struct Captured {
    method: String,
    path: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Captured {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

type Reply = (u16, Vec<(&'static str, &'static str)>, &'static str);

/// Serves one scripted reply per connection, then stops; returns the base URL.
#[cfg(feature = "transport")]
fn serve(replies: Vec<Reply>) -> (String, JoinHandle<Vec<Captured>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for (status, headers, reply) in replies {
            let (stream, _) = listener.accept().unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap().to_owned();
            let path = parts.next().unwrap().to_owned();
            let mut hdrs = BTreeMap::new();
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                let (k, v) = h.split_once(':').unwrap();
                hdrs.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
            }
            let len: usize = hdrs.get("content-length").map_or(0, |v| v.parse().unwrap());
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            let mut out = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                reply.len()
            );
            for (k, v) in headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str("\r\n");
            out.push_str(reply);
            reader.into_inner().write_all(out.as_bytes()).unwrap();
            seen.push(Captured {
                method,
                path,
                headers: hdrs,
                body,
            });
        }
        seen
    });
    (url, handle)
}

pub(super) fn event(kind: AlertEventKind, severity: Severity) -> AlertEvent {
    let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).single().unwrap();
    let mut labels = BTreeMap::new();
    labels.insert("alertname".to_owned(), "wallet_spend_failures".to_owned());
    labels.insert("severity".to_owned(), severity.as_str().to_owned());
    labels.insert("service".to_owned(), "wallet".to_owned());
    let fingerprint = crate::alert::fingerprint(&labels);
    AlertEvent {
        id: 7,
        kind,
        repeat: false,
        rule: "wallet_spend_failures".to_owned(),
        labels,
        severity,
        description: "more than 10 wallet spend failures in 10 min".to_owned(),
        summary: "wallet_spend_failures: sum(product.wallet.spend.failed[10m]) > 10 (value 12)"
            .to_owned(),
        value: 12.0,
        threshold: 10.0,
        active_at: t0,
        fired_at: t0 + chrono::Duration::minutes(1),
        resolved_at: (kind == AlertEventKind::Resolved).then(|| t0 + chrono::Duration::minutes(30)),
        at: t0
            + chrono::Duration::minutes(if kind == AlertEventKind::Resolved {
                30
            } else {
                1
            }),
        fingerprint,
        cooldown: Duration::from_secs(900),
        acknowledged_by: None,
        acknowledged_at: None,
    }
}

#[cfg(feature = "transport")]
fn no_sleep(d: &Arc<Mutex<Vec<Duration>>>) -> impl Fn(Duration) + Send + Sync + 'static {
    let d = Arc::clone(d);
    move |x| d.lock().unwrap().push(x)
}

/// The sinks' shared transport, as production uses it.
#[cfg(feature = "transport")]
fn http() -> Arc<dyn HttpPost> {
    use crate::sinks::http::{HttpConfig, HttpTransport};
    let config = HttpConfig::builder()
        .request_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    Arc::new(HttpTransport::new(config).unwrap())
}

const ROUTING_KEY: &str = "R0UT1NGKEY0123456789abcdefabcdef";

#[cfg(feature = "transport")]
#[test]
fn pagerduty_trigger_and_resolve_field_by_field() {
    let (url, server) = serve(vec![
        (202, vec![], r#"{"status":"success","dedup_key":"x"}"#),
        (202, vec![], r#"{"status":"success"}"#),
    ]);
    let mut pd = PagerDutyNotifier::new(Secret::new(ROUTING_KEY));
    pd.url = Secret::new(format!("{url}/v2/enqueue"));
    pd.source = "wallet-api".to_owned();
    let d = Dispatcher::new(http()).notifier(pd);
    let fire = event(AlertEventKind::Firing, Severity::P0);
    let resolve = event(AlertEventKind::Resolved, Severity::P0);
    assert_eq!(d.dispatch(std::slice::from_ref(&fire)).delivered(), 1);
    assert_eq!(d.dispatch(std::slice::from_ref(&resolve)).delivered(), 1);
    let seen = server.join().unwrap();
    let (t, r) = (&seen[0], &seen[1]);
    assert_eq!(
        (t.method.as_str(), t.path.as_str()),
        ("POST", "/v2/enqueue")
    );
    assert_eq!(
        t.headers.get("content-type").map(String::as_str),
        Some("application/json")
    );
    let j = t.json();
    assert_eq!(j["routing_key"], ROUTING_KEY);
    assert_eq!(j["event_action"], "trigger");
    let dedup = format!("telemetra-{}", fire.fingerprint);
    assert_eq!(j["dedup_key"], dedup.as_str());
    assert!(dedup.len() <= 255);
    assert_eq!(j["payload"]["summary"], fire.summary.as_str());
    assert_eq!(j["payload"]["source"], "wallet-api");
    assert_eq!(j["payload"]["severity"], "critical");
    assert_eq!(j["payload"]["timestamp"], "2026-03-01T12:01:00.000Z");
    assert_eq!(j["payload"]["component"], "wallet");
    assert_eq!(j["payload"]["class"], "wallet_spend_failures");
    assert_eq!(j["payload"]["custom_details"]["value"], 12.0);
    assert_eq!(j["payload"]["custom_details"]["threshold"], 10.0);
    assert_eq!(
        j["payload"]["custom_details"]["labels"]["service"],
        "wallet"
    );
    assert_eq!(j["client"], "telemetra");
    let rj = r.json();
    assert_eq!(rj.as_object().map(|o| o.len()), Some(3));
    assert_eq!(rj["event_action"], "resolve");
    assert_eq!(rj["dedup_key"], dedup.as_str());
    assert_eq!(rj["routing_key"], ROUTING_KEY);
}

#[test]
fn pagerduty_skips_non_critical_and_severities_map() {
    let pd = PagerDutyNotifier::new(Secret::new(ROUTING_KEY));
    assert!(!pd.accepts(&event(AlertEventKind::Firing, Severity::Warning)));
    assert!(pd.accepts(&event(AlertEventKind::Firing, Severity::Critical)));
    let sev = |s: Severity| {
        payload::pagerduty_payload(&event(AlertEventKind::Firing, s), "k", "s")["payload"]
            ["severity"]
            .clone()
    };
    assert_eq!(sev(Severity::P1), "error");
    assert_eq!(sev(Severity::Warning), "warning");
    assert_eq!(sev(Severity::P3), "info");
}

#[cfg(feature = "transport")]
#[test]
fn slack_payload_field_by_field() {
    let (url, server) = serve(vec![(200, vec![], "ok"), (200, vec![], "ok")]);
    let hook = format!("{url}/services/T000/B000/XXXXSECRET");
    let d = Dispatcher::new(http()).notifier(SlackNotifier::new(Secret::new(hook)));
    let report = d.dispatch(&[
        event(AlertEventKind::Firing, Severity::P1),
        event(AlertEventKind::Resolved, Severity::P1),
    ]);
    assert_eq!(report.delivered(), 2);
    let seen = server.join().unwrap();
    assert_eq!(seen[0].path, "/services/T000/B000/XXXXSECRET");
    let j = seen[0].json();
    assert_eq!(j["text"], "[FIRING] [P1] wallet_spend_failures");
    let a = &j["attachments"][0];
    assert_eq!(a["color"], "#ff8c00");
    assert_eq!(a["title"], "[FIRING] [P1] wallet_spend_failures");
    assert_eq!(a["text"], "more than 10 wallet spend failures in 10 min");
    assert_eq!(
        a["fields"][0],
        serde_json::json!({"title": "value", "value": "12", "short": true})
    );
    assert_eq!(a["fields"][1]["value"], "10");
    assert_eq!(a["fields"][2]["value"], "2026-03-01T12:01:00.000Z");
    assert_eq!(
        a["fields"][3],
        serde_json::json!({"title": "service", "value": "wallet", "short": true})
    );
    assert_eq!(a["ts"], 1_772_366_460i64);
    let r = seen[1].json();
    assert_eq!(r["text"], "[RESOLVED] [P1] wallet_spend_failures");
    assert_eq!(r["attachments"][0]["color"], "#2eb67d");
    assert_eq!(r["attachments"][0]["fields"][3]["title"], "resolved");
}

#[cfg(feature = "transport")]
#[test]
fn webhook_carries_headers_and_full_event() {
    let (url, server) = serve(vec![(204, vec![], "")]);
    let mut w = WebhookNotifier::new(Secret::new(format!("{url}/hook")));
    w.headers
        .push(("Authorization".to_owned(), Secret::new("Bearer s3cr3t")));
    let debug = format!("{w:?}");
    assert!(!debug.contains("s3cr3t") && !debug.contains(&url));
    let d = Dispatcher::new(http()).notifier(w);
    assert_eq!(
        d.dispatch(&[event(AlertEventKind::Firing, Severity::Info)])
            .delivered(),
        1
    );
    let seen = server.join().unwrap();
    assert_eq!(
        seen[0].headers.get("authorization").map(String::as_str),
        Some("Bearer s3cr3t")
    );
    let j = seen[0].json();
    assert_eq!(
        (j["version"].clone(), j["status"].clone()),
        ("1".into(), "firing".into())
    );
    assert_eq!(j["alerts"][0]["rule"], "wallet_spend_failures");
    assert_eq!(j["alerts"][0]["cooldown"], "15m");
}

#[cfg(feature = "transport")]
#[test]
fn retries_with_backoff_then_succeeds_and_permanent_errors_stop() {
    let (url, server) = serve(vec![
        (503, vec![("Retry-After", "2")], "busy"),
        (500, vec![], "oops"),
        (202, vec![], "{}"),
        (400, vec![], "invalid"),
    ]);
    let delays = Arc::new(Mutex::new(Vec::new()));
    let mut pd = PagerDutyNotifier::new(Secret::new(ROUTING_KEY));
    pd.url = Secret::new(format!("{url}/v2/enqueue"));
    let policy = RetryPolicy {
        jitter: false,
        ..RetryPolicy::default()
    };
    let d = Dispatcher::new(http())
        .notifier(pd)
        .retry_policy(policy)
        .sleeper(no_sleep(&delays));
    let ok = d.dispatch(&[event(AlertEventKind::Firing, Severity::Critical)]);
    assert_eq!(ok.outcomes[0].attempts, 3);
    assert!(ok.outcomes[0].result.is_ok());
    assert_eq!(
        *delays.lock().unwrap(),
        vec![Duration::from_secs(2), Duration::from_secs(1)]
    );
    let bad = d.dispatch(&[event(AlertEventKind::Firing, Severity::Critical)]);
    assert_eq!(bad.outcomes[0].attempts, 1);
    let msg = bad.outcomes[0].result.as_ref().unwrap_err().to_string();
    assert_eq!(
        msg,
        "pagerduty notification failed: rejected with status 400"
    );
    assert_eq!(server.join().unwrap().len(), 4);
    assert_eq!(d.counters(), (1, 1));
}

#[derive(Debug)]
struct Panicky;

impl Notifier for Panicky {
    fn channel(&self) -> Channel {
        Channel::Webhook
    }
    fn accepts(&self, _: &AlertEvent) -> bool {
        true
    }
    fn request(&self, _: &AlertEvent) -> Result<Request, crate::alert::AlertError> {
        panic!("notifier bug")
    }
}

#[cfg(feature = "transport")]
#[test]
fn failing_notifiers_are_isolated() {
    let (url, server) = serve(vec![(200, vec![], "ok")]);
    // A closed port: connection refused on every attempt.
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}/secret-path", dead.local_addr().unwrap());
    drop(dead);
    let delays = Arc::new(Mutex::new(Vec::new()));
    let d = Dispatcher::new(http())
        .notifier(AlertmanagerNotifier::new(Secret::new(dead_url.clone())))
        .notifier(Panicky)
        .notifier(SlackNotifier::new(Secret::new(format!("{url}/hook"))))
        .sleeper(no_sleep(&delays));
    let report = d.dispatch(&[event(AlertEventKind::Firing, Severity::P2)]);
    assert_eq!(report.outcomes.len(), 3);
    let by = |c: Channel| report.outcomes.iter().find(|o| o.channel == c).unwrap();
    assert!(by(Channel::Slack).result.is_ok());
    let am = by(Channel::Alertmanager);
    assert_eq!(am.attempts, 4);
    let msg = am.result.as_ref().unwrap_err().to_string();
    assert!(
        msg.starts_with("alertmanager notification failed: connection failed"),
        "{msg}"
    );
    assert!(!msg.contains("secret-path") && !msg.contains("127.0.0.1"));
    assert!(matches!(
        by(Channel::Webhook).result,
        Err(crate::alert::AlertError::NotifierPanicked { .. })
    ));
    assert_eq!(delays.lock().unwrap().len(), 3);
    assert_eq!(server.join().unwrap().len(), 1);
}

#[derive(Debug, Default)]
struct Recorder(Mutex<Vec<String>>);

impl HttpPost for Recorder {
    fn post(
        &self,
        url: &str,
        _: &[(&str, &str)],
        _: &[u8],
    ) -> Result<HttpResponse, TransportError> {
        self.0.lock().unwrap().push(url.to_owned());
        Ok(HttpResponse {
            status: 200,
            ..HttpResponse::default()
        })
    }
}

#[test]
fn kill_switches_suppress_delivery() {
    let rec = Arc::new(Recorder::default());
    let d = Dispatcher::new(rec.clone())
        .notifier(SlackNotifier::new(Secret::new("http://slack.invalid/x")))
        .notifier(PagerDutyNotifier::new(Secret::new(ROUTING_KEY)));
    let ev = [event(AlertEventKind::Firing, Severity::P0)];
    assert!(d.apply_switch("alerts.enabled", false));
    assert_eq!(d.dispatch(&ev).suppressed, 2);
    assert!(d.apply_switch("alerts.enabled", true));
    assert!(d.apply_switch("alerts.pagerduty", false));
    assert!(!d.apply_switch("alerts.email", false));
    let r = d.dispatch(&ev);
    assert_eq!((r.delivered(), r.suppressed), (1, 1));
    assert_eq!(
        *rec.0.lock().unwrap(),
        vec!["http://slack.invalid/x".to_owned()]
    );
    let debug = format!("{d:?}");
    assert!(
        !debug.contains(ROUTING_KEY) && !debug.contains("slack.invalid"),
        "{debug}"
    );
}
