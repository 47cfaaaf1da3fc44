//! State-machine and aggregation tests on a simulated clock (one evaluation per minute).

use super::*;
use chrono::{DateTime, TimeZone, Utc};
use std::time::Duration;

fn t(min: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
        + chrono::Duration::minutes(min)
}

fn mins(m: u64) -> Duration {
    Duration::from_secs(m * 60)
}

fn gauge_rule(for_m: u64, keep_m: u64, cooldown_m: u64) -> AlertRule {
    let rule = AlertRule::builder("g_high", "g")
        .aggregation(Aggregation::Max)
        .window(mins(1))
        .condition(Comparison::Gt, 10.0)
        .for_duration(mins(for_m))
        .keep_firing_for(mins(keep_m))
        .cooldown(mins(cooldown_m))
        .severity(Severity::P1)
        .build();
    rule.unwrap_or_else(|e| unreachable!("{e}"))
}

fn engine(rules: Vec<AlertRule>) -> AlertEngine {
    AlertEngine::new(rules).unwrap_or_else(|e| unreachable!("{e}"))
}

type Trace = (Vec<(i64, AlertEventKind, bool)>, Vec<Option<AlertState>>);

/// Runs a gauge series through the engine: `high(m)` says whether minute `m` is above 10.
/// Returns (minute, kind, repeat) for every event and the state at each minute.
fn run(e: &mut AlertEngine, minutes: std::ops::Range<i64>, high: impl Fn(i64) -> bool) -> Trace {
    let tags: Vec<(String, String)> = Vec::new();
    let mut events = Vec::new();
    let mut states = Vec::new();
    for m in minutes {
        let v = if high(m) { 20.0 } else { 1.0 };
        for ev in e.evaluate(t(m), &[SeriesPoint::gauge("g", &tags, v)]) {
            events.push((m, ev.kind, ev.repeat));
        }
        states.push(e.active().first().map(|a| a.state));
    }
    (events, states)
}

#[test]
fn for_duration_pending_then_firing_and_resolve() {
    // promtool check from the shared doc: `for: 5m`, true from 3m -> pending 3..7, firing at 8.
    let mut e = engine(vec![gauge_rule(5, 0, 15)]);
    let (events, states) = run(&mut e, 0..12, |m| (3..10).contains(&m));
    let pending: Vec<usize> = (0..12)
        .filter(|&m| states.get(m) == Some(&Some(AlertState::Pending)))
        .collect();
    assert_eq!(pending, vec![3, 4, 5, 6, 7]);
    assert_eq!(states.get(8), Some(&Some(AlertState::Firing)));
    assert_eq!(states.get(9), Some(&Some(AlertState::Firing)));
    assert_eq!(states.get(10), Some(&None));
    assert_eq!(
        events,
        vec![
            (8, AlertEventKind::Firing, false),
            (10, AlertEventKind::Resolved, false)
        ]
    );
    let fired = e.events().next().map(|ev| (ev.active_at, ev.fired_at));
    assert_eq!(fired, Some((t(3), t(8))));
}

#[test]
fn one_dip_resets_the_pending_timer() {
    let mut e = engine(vec![gauge_rule(5, 0, 15)]);
    let (events, _) = run(&mut e, 0..16, |m| m >= 3 && m != 6);
    // Active again at 7, so firing at 12 rather than 8.
    assert_eq!(events, vec![(12, AlertEventKind::Firing, false)]);
}

#[test]
fn keep_firing_for_holds_three_evaluations() {
    let mut e = engine(vec![gauge_rule(0, 3, 60)]);
    let (events, states) = run(&mut e, 0..10, |m| (2..4).contains(&m));
    // Firing at 2 (no `for`), condition gone at 4: held at 4, 5, 6, resolved at 7.
    assert_eq!(
        events,
        vec![
            (2, AlertEventKind::Firing, false),
            (7, AlertEventKind::Resolved, false)
        ]
    );
    assert_eq!(states.get(6), Some(&Some(AlertState::Firing)));
    let held = e.events().last().map(|ev| ev.resolved_at);
    assert_eq!(held, Some(Some(t(7))));
}

#[test]
fn keep_firing_timer_clears_when_condition_returns() {
    let mut e = engine(vec![gauge_rule(0, 3, 60)]);
    let (events, _) = run(&mut e, 0..12, |m| m == 2 || m == 5);
    // Gap 3-4 is held, 5 is true again (timer cleared), gap 6.. resolves at 9.
    assert_eq!(
        events,
        vec![
            (2, AlertEventKind::Firing, false),
            (9, AlertEventKind::Resolved, false)
        ]
    );
}

#[test]
fn pending_never_uses_keep_firing_for() {
    let mut e = engine(vec![gauge_rule(5, 10, 60)]);
    let (events, states) = run(&mut e, 0..6, |m| m == 1);
    assert!(events.is_empty());
    assert_eq!(states.get(2), Some(&None));
}

#[test]
fn cooldown_reminders_and_acknowledgement() {
    let mut e = engine(vec![gauge_rule(0, 0, 10)]);
    let (events, _) = run(&mut e, 0..25, |m| (1..25).contains(&m));
    assert_eq!(
        events,
        vec![
            (1, AlertEventKind::Firing, false),
            (11, AlertEventKind::Firing, true),
            (21, AlertEventKind::Firing, true)
        ]
    );
    // Acknowledge: reminders stop, the resolution is still sent.
    let id = e.events().last().map(|ev| ev.id).unwrap_or_default();
    assert!(e.acknowledge(id, "oncall", t(25)).is_ok());
    assert!(e.acknowledge(9999, "oncall", t(25)).is_err());
    assert_eq!(e.active().first().map(|a| a.acknowledged), Some(true));
    let (later, _) = run(&mut e, 25..45, |m| m < 40);
    assert_eq!(later, vec![(40, AlertEventKind::Resolved, false)]);
    let acked = e
        .events()
        .find(|ev| ev.id == id)
        .and_then(|ev| ev.acknowledged_by.clone());
    assert_eq!(acked.as_deref(), Some("oncall"));
}

#[test]
fn flapping_refire_within_cooldown_is_held_back() {
    let mut e = engine(vec![gauge_rule(0, 0, 10)]);
    // Fires at 1, resolves at 3, fires again at 5: held until 11 (cooldown since 1).
    let (events, _) = run(&mut e, 0..14, |m| m == 1 || m == 2 || m >= 5);
    assert_eq!(
        events,
        vec![
            (1, AlertEventKind::Firing, false),
            (3, AlertEventKind::Resolved, false),
            (11, AlertEventKind::Firing, false)
        ]
    );
    // A re-fire that resolves before the cooldown ends is never announced nor resolved.
    let mut e = engine(vec![gauge_rule(0, 0, 10)]);
    let (events, _) = run(&mut e, 0..14, |m| m == 1 || m == 5);
    assert_eq!(
        events,
        vec![
            (1, AlertEventKind::Firing, false),
            (2, AlertEventKind::Resolved, false)
        ]
    );
}

#[test]
fn counter_sum_per_label_set_with_baseline_and_new_series() {
    let rule = AlertRule::builder("spend_failures", "product.wallet.spend.failed")
        .group_by("reason")
        .window(mins(10))
        .condition(Comparison::Gt, 10.0)
        .severity(Severity::P0)
        .build()
        .unwrap_or_else(|e| unreachable!("{e}"));
    let mut e = engine(vec![rule]);
    let funds = vec![("reason".to_owned(), "INSUFFICIENT_FUNDS".to_owned())];
    let limit = vec![("reason".to_owned(), "LIMIT".to_owned())];
    // First evaluation: a large existing total is only a baseline.
    let first = e.evaluate(
        t(0),
        &[SeriesPoint::counter(
            "product.wallet.spend.failed",
            &funds,
            500.0,
        )],
    );
    assert!(first.is_empty());
    // +6 per minute on funds; limit appears at 2 with 12 (new series count in full).
    let mut fired = Vec::new();
    for m in 1..5 {
        let mut pts = vec![SeriesPoint::counter(
            "product.wallet.spend.failed",
            &funds,
            500.0 + 6.0 * m as f64,
        )];
        if m >= 2 {
            pts.push(SeriesPoint::counter(
                "product.wallet.spend.failed",
                &limit,
                12.0,
            ));
        }
        for ev in e.evaluate(t(m), &pts) {
            fired.push((
                m,
                ev.labels.get("reason").cloned().unwrap_or_default(),
                ev.value,
            ));
        }
    }
    assert_eq!(
        fired,
        vec![
            (2, "LIMIT".to_owned(), 12.0),
            (2, "INSUFFICIENT_FUNDS".to_owned(), 12.0)
        ]
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
    );
    let labels = e.active().into_iter().map(|a| a.labels).collect::<Vec<_>>();
    assert!(labels
        .iter()
        .all(|l| l.get("alertname").map(String::as_str) == Some("spend_failures")));
    assert!(labels
        .iter()
        .all(|l| l.get("severity").map(String::as_str) == Some("p0")));
}

#[test]
fn error_ratio_needs_traffic() {
    let rule = AlertRule::builder("api_errors", "api_http_errors_total")
        .aggregation(Aggregation::ErrorRatio {
            total_metrics: vec!["infra.http.request.count".into()],
            total_filter: vec![],
        })
        .window(mins(10))
        .condition(Comparison::Gt, 0.03)
        .build()
        .unwrap_or_else(|e| unreachable!("{e}"));
    let mut e = engine(vec![rule]);
    let none: Vec<(String, String)> = vec![];
    let mut errs = 0.0;
    let mut total = 0.0;
    let mut out = Vec::new();
    for m in 0..6 {
        // Minutes 0-2: no traffic at all; 3: 3% errors (not above); 4: 10%.
        let (de, dt) = match m {
            3 => (3.0, 100.0),
            4 => (20.0, 100.0),
            _ => (0.0, 0.0),
        };
        errs += de;
        total += dt;
        let pts = [
            SeriesPoint::counter("api_http_errors_total", &none, errs),
            SeriesPoint::counter("infra.http.request.count", &none, total),
        ];
        out.extend(e.evaluate(t(m), &pts).into_iter().map(|ev| (m, ev.value)));
    }
    // At 4 the 10-minute ratio is 23/200 = 11.5%.
    assert_eq!(out, vec![(4, 0.115)]);
}

#[test]
fn timing_p95_rule_and_disable_switch() {
    let rule = AlertRule::builder("api_latency", "infra.http.request.latency_ms")
        .aggregation(Aggregation::P95)
        .window(mins(5))
        .condition(Comparison::Gt, 1000.0)
        .for_duration(mins(2))
        .build()
        .unwrap_or_else(|e| unreachable!("{e}"));
    let mut e = engine(vec![rule]);
    let tags = vec![("endpoint".to_owned(), "/chat".to_owned())];
    let mut out = Vec::new();
    for m in 0..5 {
        let p95 = if m >= 1 { 1500.0 } else { 200.0 };
        let s = TimingSummary {
            count: 10 * m as u64,
            sum: 100.0 * m as f64,
            p50: 100.0,
            p95,
            p99: p95,
        };
        out.extend(
            e.evaluate(
                t(m),
                &[SeriesPoint::timing(
                    "infra.http.request.latency_ms",
                    &tags,
                    s,
                )],
            )
            .into_iter()
            .map(|ev| (m, ev.kind)),
        );
    }
    assert_eq!(out, vec![(3, AlertEventKind::Firing)]);
    assert!(e.set_enabled("api_latency", false));
    let s = TimingSummary {
        count: 60,
        sum: 600.0,
        p50: 1.0,
        p95: 5000.0,
        p99: 5000.0,
    };
    let ev = e.evaluate(
        t(5),
        &[SeriesPoint::timing(
            "infra.http.request.latency_ms",
            &tags,
            s,
        )],
    );
    assert_eq!(ev.first().map(|e| e.kind), Some(AlertEventKind::Resolved));
    assert!(e.active().is_empty());
}

#[test]
fn slo_burn_alert_pages_and_resolves() {
    use crate::slo::{SloDefinition, SloTracker};
    let page_1h = crate::slo::BurnRateRule::workbook_defaults()
        .into_iter()
        .take(1)
        .collect();
    let def = SloDefinition::builder("api.core")
        .target_percent(99.9)
        .burn_alerts(page_1h)
        .build();
    let mut tracker = SloTracker::new(def.unwrap_or_else(|e| unreachable!("{e}")));
    let mut e = engine(vec![]);
    let mut out = Vec::new();
    for m in 0..200 {
        let bad = if (120..150).contains(&m) { 100 } else { 0 };
        tracker.record(t(m), 1000 - bad, 1000);
        let now = t(m) + chrono::Duration::seconds(59);
        for ev in e.evaluate_slos(now, &[&tracker]) {
            out.push((
                m,
                ev.kind,
                ev.labels.get("burn").cloned().unwrap_or_default(),
            ));
        }
    }
    // 10% errors: page after 9 minutes (8.64 min detection), a reminder after the 15-minute
    // cooldown, resolved 5 minutes after recovery.
    let page = || "page".to_owned();
    assert_eq!(
        out,
        vec![
            (128, AlertEventKind::Firing, page()),
            (143, AlertEventKind::Firing, page()),
            (154, AlertEventKind::Resolved, page())
        ]
    );
}

#[test]
fn json_rules_validate_with_field_names() {
    let ok = r#"{"rules": [{"name": "a", "metric": "m", "aggregation": {"error_ratio": {"total_metrics": ["t"]}},
        "window": "5m", "op": ">", "threshold": 0.02, "for": "1m", "severity": "WARN"}]}"#;
    let rules = AlertRule::list_from_json(ok).unwrap_or_default();
    assert_eq!(
        rules.first().map(|r| (r.severity, r.cooldown)),
        Some((Severity::Warning, mins(15)))
    );
    let cases = [
        (
            r#"{"rules": [{"name": "a", "metric": "m", "aggregation": "sum", "window": "0s", "op": ">", "threshold": 1, "severity": "p0"}]}"#,
            "rules[0].window",
        ),
        (
            r#"{"rules": [{"name": "a", "metric": "", "aggregation": "sum", "window": "5m", "op": ">", "threshold": 1, "severity": "p0"}]}"#,
            "rules[0].metric",
        ),
        (
            r#"{"rules": [{"name": "a", "metric": "m", "aggregation": "sum", "window": "5q", "op": ">", "threshold": 1, "severity": "p0"}]}"#,
            "rules[0]",
        ),
        (
            r#"{"rules": [{"name": "a", "metric": "m", "aggregation": "sum", "window": "5m", "op": ">", "threshold": 1, "severity": "p0", "labels": {"bad-key": "x"}}]}"#,
            "rules[0].labels.bad-key",
        ),
        (
            r#"{"rules": [{"name": "a", "metric": "m", "aggregation": "sum", "window": "5m", "op": ">", "threshold": 1, "severity": "p0"},
                       {"name": "a", "metric": "m", "aggregation": "sum", "window": "5m", "op": ">", "threshold": 1, "severity": "p0"}]}"#,
            "rules[1].name",
        ),
    ];
    for (json, field) in cases {
        match AlertRule::list_from_json(json) {
            Err(AlertError::InvalidField { field: f, reason }) => {
                assert_eq!(f, field, "{reason}");
                assert!(!reason.ends_with('.'));
            }
            other => unreachable!("expected {field}: {other:?}"),
        }
    }
}

#[test]
fn engine_trackers_and_dispatcher_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<AlertEngine>();
    check::<crate::slo::SloTracker>();
    check::<notify::Dispatcher>();
    check::<AlertEvent>();
}

#[test]
fn rules_and_slo_alerts_name_their_severity() {
    // A rule's own `severity` label names the severity; the enum still routes it.
    let rule = AlertRule::builder("g_high", "g")
        .aggregation(Aggregation::Max)
        .window(mins(1))
        .condition(Comparison::Gt, 10.0)
        .severity(Severity::Critical)
        .label("severity", "page")
        .label("team", "core")
        .build();
    let mut e = engine(vec![rule.unwrap_or_else(|e| unreachable!("{e}"))]);
    let tags: Vec<(String, String)> = Vec::new();
    let events = e.evaluate(t(0), &[SeriesPoint::gauge("g", &tags, 20.0)]);
    let labels: Vec<_> = events
        .iter()
        .map(|ev| {
            let get = |k: &str| ev.labels.get(k).cloned().unwrap_or_default();
            (get("severity"), get("team"), ev.severity)
        })
        .collect();
    assert_eq!(
        labels,
        vec![("page".to_owned(), "core".to_owned(), Severity::Critical)]
    );
    // SLO alerts: page/ticket instead of critical/warning.
    use crate::slo::{SloDefinition, SloTracker};
    let def = SloDefinition::builder("api.core")
        .target_percent(99.9)
        .build();
    let mut tracker = SloTracker::new(def.unwrap_or_else(|e| unreachable!("{e}")));
    let config = EngineConfig::default().slo_severity_names("page", "ticket");
    let mut e = AlertEngine::with_config(vec![], config).unwrap_or_else(|e| unreachable!("{e}"));
    // A full outage for three hours trips every condition (the 3 d ticket at burn 1 too).
    let mut seen = std::collections::BTreeSet::new();
    for m in 0..180 {
        tracker.record(t(m), 0, 100);
        for ev in e.evaluate_slos(t(m) + chrono::Duration::seconds(59), &[&tracker]) {
            let get = |k: &str| ev.labels.get(k).cloned().unwrap_or_default();
            seen.insert((get("burn"), get("severity"), ev.severity));
        }
    }
    let want: std::collections::BTreeSet<_> = [
        ("page".to_owned(), "page".to_owned(), Severity::Critical),
        ("ticket".to_owned(), "ticket".to_owned(), Severity::Warning),
    ]
    .into_iter()
    .collect();
    assert_eq!(seen, want);
    // Empty names and empty or reserved rule labels are refused, naming the field.
    let bad = AlertEngine::with_config(vec![], EngineConfig::default().slo_severity_names("", "t"));
    assert!(
        matches!(bad, Err(AlertError::InvalidField { field, .. }) if field == "engine_config.slo_page_severity")
    );
    for (key, value) in [("alertname", "x"), ("severity", " ")] {
        let r = AlertRule::builder("r", "m").label(key, value).build();
        assert!(
            matches!(&r, Err(AlertError::InvalidField { field, .. }) if field == &format!("labels.{key}")),
            "{key}: {r:?}"
        );
    }
}
