//! The public health view carries status, version, timestamp and environment only.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::{TimeZone, Utc};
use parking_lot::Mutex;
use telemetra::health::{CheckOutcome, Component, HealthChecker, Status};
use telemetra::switches::Switches;

const SECRET: &str = "postgres://admin:hunter2@10.0.0.5/prod";

fn checker() -> HealthChecker {
    HealthChecker::builder()
        .version("3.1.4")
        .environment("production")
        .switches(Switches::builder().sink("datadog").build().unwrap())
        .component(
            Component::builder("database")
                .check(|| CheckOutcome::error(format!("cannot connect to {SECRET}")))
                .build()
                .unwrap(),
        )
        .component(
            Component::builder("storage")
                .check(|| CheckOutcome::degraded("bucket internal-backups slow"))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

#[test]
fn public_json_has_no_component_messages_or_internal_details() {
    let checker = checker();
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 15, 0, 0)
        .single()
        .unwrap();
    let report = checker.run_at(now);

    let internal = serde_json::to_string(&report).unwrap();
    assert!(
        internal.contains(SECRET),
        "the internal view keeps the detail"
    );
    assert!(internal.contains("\"sink.datadog\":true"));
    assert!(internal.contains("\"latencyMs\"") && internal.contains("\"lastChecked\""));

    for public in [report.public(), checker.public_at(now)] {
        let json = serde_json::to_value(&public).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 4, "{keys:?}");
        for k in ["status", "version", "timestamp", "environment"] {
            assert!(keys.contains(&k), "{k}");
        }
        assert_eq!(json["status"], "error");
        assert_eq!(json["version"], "3.1.4");
        assert_eq!(json["environment"], "production");
        assert_eq!(json["timestamp"], "2026-11-23T15:00:00Z");
        let text = json.to_string();
        for leak in [
            "hunter2",
            "10.0.0.5",
            "internal-backups",
            "database",
            "storage",
            "components",
            "message",
            "sink",
            "latency",
        ] {
            assert!(!text.contains(leak), "public view leaks {leak:?}: {text}");
        }
    }
}

#[test]
fn public_view_is_cheap_and_ok_before_the_first_run() {
    let checker = checker();
    assert_eq!(checker.public().status, Status::Ok);
    assert!(checker.last_report().is_none(), "public() ran no check");
}

#[test]
fn gauges_expose_status_and_latency_per_component() {
    let report = checker().run();
    let seen = Mutex::new(Vec::new());
    let sink = |name: &str, value: f64, tags: &[(&str, &str)]| {
        let tags: Vec<String> = tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
        seen.lock().push((name.to_owned(), value, tags.join(",")));
    };
    report.emit(&sink);
    let seen = seen.into_inner();
    assert_eq!(seen.len(), 5);
    assert!(seen.contains(&("health.status".into(), 2.0, String::new())));
    assert!(seen.contains(&(
        "health.component.status".into(),
        2.0,
        "component=database".into()
    )));
    assert!(seen.contains(&(
        "health.component.status".into(),
        1.0,
        "component=storage".into()
    )));
    assert!(seen
        .iter()
        .any(|(n, _, t)| n == "health.component.latency_ms" && t == "component=database"));
}
