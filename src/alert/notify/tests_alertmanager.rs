//! Sends firing and resolved alerts to a real `prometheus-alertmanager` on 127.0.0.1 and reads
//! them back from `GET /api/v2/alerts`. Skips (with a printed reason) when the binary is absent.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

#[path = "../../../tests/support/skip.rs"]
mod skip;

use super::tests_http::event;
use super::*;
use crate::alert::event::AlertEventKind;
use crate::alert::rule::Severity;
use crate::sinks::http::{HttpConfig, HttpTransport, Method, Request};
use serde_json::Value;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const BINARY: &str = "prometheus-alertmanager";

/// Kills the child on drop, so a failing assertion still stops Alertmanager.
struct Guard(Child, std::path::PathBuf);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        let _ = std::fs::remove_dir_all(&self.1);
    }
}

fn find_binary() -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| std::path::Path::new(d).join(BINARY))
        .find(|p| p.is_file())
}

fn transport() -> HttpTransport {
    HttpTransport::new(
        HttpConfig::builder()
            .max_attempts(1)
            .request_timeout(Duration::from_secs(5))
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn get(http: &HttpTransport, url: &str) -> Option<Vec<u8>> {
    http.send(Request::new(Method::Get, url))
        .ok()
        .map(|r| r.body)
}

fn get_alerts(http: &HttpTransport, base: &str) -> Option<Value> {
    serde_json::from_slice(&get(http, &format!("{base}/api/v2/alerts"))?).ok()
}

#[test]
fn alertmanager_receives_firing_and_resolved_alerts() {
    let Some(binary) = find_binary() else {
        skip::skipped(&format!(
            "`{BINARY}` not on PATH (run scripts/test-deps/apt.sh: prometheus-alertmanager)"
        ));
        return;
    };
    let dir = std::env::temp_dir().join(format!("telemetra-am-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("alertmanager.yml");
    std::fs::write(
        &config,
        "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n",
    )
    .unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(binary)
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .arg("--cluster.listen-address=")
        .arg(format!("--storage.path={}", dir.display()))
        .arg(format!("--config.file={}", config.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _guard = Guard(child, dir);
    let base = format!("http://127.0.0.1:{port}");
    let http = transport();
    let deadline = Instant::now() + Duration::from_secs(20);
    while get(&http, &format!("{base}/-/ready")).is_none() {
        assert!(
            Instant::now() < deadline,
            "alertmanager did not become ready"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // Firing: times near now so Alertmanager treats it as active.
    let now = chrono::Utc::now();
    let mut firing = event(AlertEventKind::Firing, Severity::P0);
    firing.active_at = now - chrono::Duration::minutes(2);
    firing.fired_at = now - chrono::Duration::minutes(1);
    firing.at = now;
    let d = Dispatcher::new(Arc::new(transport()))
        .notifier(AlertmanagerNotifier::new(Secret::new(base.clone())));
    let report = d.dispatch(std::slice::from_ref(&firing));
    assert_eq!(report.delivered(), 1, "{:?}", report.outcomes);

    let alerts = get_alerts(&http, &base).unwrap();
    let ours: Vec<&Value> = alerts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["labels"]["alertname"] == "wallet_spend_failures")
        .collect();
    assert_eq!(ours.len(), 1, "{alerts}");
    let a = ours[0];
    assert_eq!(a["labels"]["severity"], "p0");
    assert_eq!(a["labels"]["service"], "wallet");
    assert_eq!(a["annotations"]["summary"], firing.summary.as_str());
    assert_eq!(a["annotations"]["value"], "12");
    assert_eq!(a["status"]["state"], "active");
    let starts = chrono::DateTime::parse_from_rfc3339(a["startsAt"].as_str().unwrap()).unwrap();
    assert_eq!(
        starts.timestamp_millis(),
        firing.fired_at.timestamp_millis()
    );
    let ends = chrono::DateTime::parse_from_rfc3339(a["endsAt"].as_str().unwrap()).unwrap();
    assert_eq!(
        ends.timestamp_millis(),
        (now + chrono::Duration::minutes(60)).timestamp_millis()
    );

    // Resolved: endsAt = resolved time (in the past), the same label set.
    let mut resolved = firing.clone();
    resolved.kind = AlertEventKind::Resolved;
    resolved.resolved_at = Some(chrono::Utc::now() - chrono::Duration::seconds(1));
    resolved.at = chrono::Utc::now();
    assert_eq!(d.dispatch(std::slice::from_ref(&resolved)).delivered(), 1);
    let after = get_alerts(&http, &base).unwrap();
    let still_active = after
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["labels"]["alertname"] == "wallet_spend_failures" && a["status"]["state"] == "active"
        })
        .count();
    assert_eq!(still_active, 0, "{after}");
}
