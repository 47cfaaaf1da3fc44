//! Simulates one day of traffic with an incident on a simulated clock, then prints each
//! alert's state changes (reminders counted, not repeated), a burn-rate timeline per SLO
//! and window, and each SLO's error-budget table.
//!
//! Run: `cargo run --example slo_report`. No setup, no network, no sleeping.
#![allow(
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used
)]

use chrono::{DateTime, Duration as ChronoDuration, TimeZone, Utc};
use std::collections::BTreeMap;
use std::time::Duration;
use telemetra::alert::{
    packs, AlertEngine, AlertEvent, AlertEventKind, SeriesPoint, TimingSummary,
};
use telemetra::slo::{presets, SloReport, SloTracker};

/// Deterministic noise in [0, 1).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Cumulative counters as the pipeline would hold them.
#[derive(Default)]
struct Totals {
    http: f64,
    http_err: f64,
    http_lat_count: u64,
    http_lat_sum: f64,
    chat: f64,
    chat_failed: f64,
    spend_ok: f64,
    spend_failed: f64,
}

fn fmt_dur(d: Option<Duration>) -> String {
    match d {
        None => "never".to_owned(),
        Some(d) if d.as_secs() >= 86_400 * 365 => ">1y".to_owned(),
        Some(d) => {
            let s = d.as_secs();
            format!(
                "{}d{:02}h{:02}m{:02}s",
                s / 86_400,
                s % 86_400 / 3600,
                s % 3600 / 60,
                s % 60
            )
        }
    }
}

fn print_table(title: &str, reports: &[SloReport]) {
    println!("\n== {title} ==");
    println!(
        "{:<30} {:>7} {:>10} {:>7} {:>9} {:>9} {:>10} {:>9} {:>8} {:>12} {:>12}",
        "slo",
        "target",
        "total",
        "bad",
        "allowed",
        "consumed",
        "remaining",
        "status",
        "burn1h",
        "exhaustion",
        "bad time/30d"
    );
    for r in reports {
        let b = &r.budget;
        println!(
            "{:<30} {:>6}% {:>10} {:>7} {:>9.1} {:>8.1}% {:>9.1}% {:>9} {:>8} {:>12} {:>12}",
            r.name,
            b.target.percent(),
            b.total,
            b.bad,
            b.allowed_bad.to_f64(),
            b.consumed.to_f64() * 100.0,
            b.remaining.to_f64() * 100.0,
            b.status.as_str(),
            r.current_burn
                .map_or("-".to_owned(), |f| format!("{:.2}", f.to_f64())),
            fmt_dur(r.time_to_exhaustion),
            fmt_dur(Some(r.allowed_bad_time)),
        );
    }
}

/// The burn-rate timeline's window: 10 minutes per character, 12:00 to 18:00.
const TIMELINE_FROM_MIN: i64 = 12 * 60;
const TIMELINE_TO_MIN: i64 = 18 * 60;
const TIMELINE_STEP_MIN: i64 = 10;
/// The windows each SLO's burn rate is shown over.
const BURN_WINDOWS: [(&str, u64); 3] = [("5m", 300), ("1h", 3600), ("6h", 6 * 3600)];

/// One character per burn-rate band, at the SRE Workbook's alert factors: below 1 the
/// budget lasts the window; 14.4 over 1 h pages.
fn burn_char(burn: Option<f64>) -> char {
    match burn {
        None => ' ',
        Some(b) if b < 1.0 => '.',
        Some(b) if b < 3.0 => '1',
        Some(b) if b < 6.0 => '3',
        Some(b) if b < 14.4 => '6',
        Some(_) => '#',
    }
}

fn print_timeline(rows: &BTreeMap<(String, usize), String>) {
    println!(
        "\n== burn rate by window, {}:00–{}:00, one character per {TIMELINE_STEP_MIN} min ==",
        TIMELINE_FROM_MIN / 60,
        TIMELINE_TO_MIN / 60
    );
    println!("   legend: '.' <1 (within budget)  1 <3  3 <6  6 <14.4  # ≥14.4 (pages)");
    // An hour is 6 characters: just room for its label.
    let axis: String = (TIMELINE_FROM_MIN / 60..TIMELINE_TO_MIN / 60)
        .map(|h| format!("{:<6}", format!("{h}:00")))
        .collect();
    println!("{:<30} {:>3}  {axis}", "slo", "win");
    for ((slo, w), line) in rows {
        println!("{slo:<30} {:>3}  {line}", BURN_WINDOWS[*w].0);
    }
}

/// Prints each alert's state changes once: when it fired, when it resolved (with how
/// many reminders were sent while it fired). Returns the number of reminders.
fn print_alerts(events: &[AlertEvent]) -> usize {
    let mut reminders: BTreeMap<&str, usize> = BTreeMap::new();
    for e in events.iter().filter(|e| e.repeat) {
        *reminders.entry(e.fingerprint.as_str()).or_default() += 1;
    }
    let changes: Vec<&AlertEvent> = events.iter().filter(|e| !e.repeat).collect();
    println!(
        "\n== alerts: {} state changes ({} reminders while firing, counted below) ==",
        changes.len(),
        reminders.values().sum::<usize>()
    );
    for e in changes {
        let n = match e.kind {
            AlertEventKind::Resolved => reminders.get(e.fingerprint.as_str()).copied(),
            AlertEventKind::Firing => None,
        };
        print_event(e, n.unwrap_or(0));
    }
    reminders.values().sum()
}

fn print_event(e: &AlertEvent, reminders: usize) {
    let what = match e.kind {
        AlertEventKind::Firing => "FIRING  ",
        AlertEventKind::Resolved => "RESOLVED",
    };
    let extra: Vec<String> = e
        .labels
        .iter()
        .filter(|(k, _)| *k != "alertname" && *k != "severity")
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    println!(
        "{} {what} [{:<8}] {:<26} {:<32} value={:.4}{}{}",
        e.at.format("%H:%M"),
        e.severity.as_str(),
        e.rule,
        extra.join(","),
        e.value,
        match e.resolved_at {
            Some(r) => format!(
                "  (fired {} → resolved {})",
                e.fired_at.format("%H:%M"),
                r.format("%H:%M")
            ),
            None => String::new(),
        },
        match reminders {
            0 => String::new(),
            n => format!(", {n} reminder{}", if n == 1 { "" } else { "s" }),
        }
    );
}

fn main() {
    let start: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).single().unwrap();
    let mut slos: Vec<SloTracker> = presets::api_overall()
        .unwrap()
        .into_iter()
        .chain(presets::chat_delivery().unwrap())
        .chain(presets::wallet_operations(false).unwrap())
        .map(SloTracker::new)
        .collect();
    let mut engine = AlertEngine::new(packs::operational().unwrap()).unwrap();
    let mut rng = Lcg(42);
    let mut tot = Totals::default();
    let none: Vec<(String, String)> = Vec::new();
    let mut events: Vec<AlertEvent> = Vec::new();
    let mut midday = Vec::new();
    let mut timeline: BTreeMap<(String, usize), String> = BTreeMap::new();

    println!("Simulating 2026-03-10 00:00–24:00 UTC, one evaluation per minute.");
    println!("Incident: 14:00–14:40 API 5xx at 8%, chat latency degraded 14:10–14:30, wallet failures 14:05–14:20.");
    for minute in 0..(24 * 60) {
        let now = start + ChronoDuration::minutes(minute);
        let in_incident = |from: i64, to: i64| (14 * 60 + from..14 * 60 + to).contains(&minute);
        let noise = rng.next();
        // API: ~5000 req/min, 0.05% errors normally.
        let http = 5000.0 + (noise * 500.0).round();
        let err_rate = if in_incident(0, 40) { 0.08 } else { 0.0005 };
        let http_err = (http * err_rate).round();
        let slow_share = if in_incident(0, 40) { 0.10 } else { 0.01 };
        let p95 = if in_incident(0, 40) {
            1400.0
        } else {
            180.0 + noise * 40.0
        };
        // Chat: ~2000 msgs/min.
        let chat = 2000.0 + (noise * 200.0).round();
        let chat_failed = if in_incident(10, 30) {
            (chat * 0.03).round()
        } else if noise < 0.4 {
            1.0
        } else {
            0.0
        };
        let chat_slow = if in_incident(10, 30) { 0.25 } else { 0.02 };
        // Wallet: ~300 spends/min.
        let spend = 300.0;
        let spend_failed = if in_incident(5, 20) {
            9.0
        } else if noise < 0.1 {
            1.0
        } else {
            0.0
        };

        tot.http += http;
        tot.http_err += http_err;
        tot.http_lat_count += http as u64;
        tot.http_lat_sum += http * p95 * 0.6;
        tot.chat += chat;
        tot.chat_failed += chat_failed;
        tot.spend_ok += spend - spend_failed;
        tot.spend_failed += spend_failed;

        for t in &mut slos {
            let name = t.definition().name.clone();
            let (good, total) = match name.as_str() {
                "api.overall.availability"
                | "api.core.availability"
                | "api.secondary.availability" => (http - http_err, http),
                "api.latency" => ((http * (1.0 - slow_share)).round(), http),
                "chat.delivery.availability" => (chat - chat_failed, chat),
                "chat.delivery.latency" => ((chat * (1.0 - chat_slow)).round(), chat),
                _ => (spend - spend_failed, spend),
            };
            t.record(now, good as u64, total as u64);
        }

        let lat = TimingSummary {
            count: tot.http_lat_count,
            sum: tot.http_lat_sum,
            p50: p95 * 0.5,
            p95,
            p99: p95 * 1.5,
        };
        let points = [
            SeriesPoint::counter("infra.http.request.count", &none, tot.http),
            SeriesPoint::counter("api_http_errors_total", &none, tot.http_err),
            SeriesPoint::timing("infra.http.request.latency_ms", &none, lat),
            SeriesPoint::counter("product.chat.message.count", &none, tot.chat),
            SeriesPoint::counter("product.chat.message.failed", &none, tot.chat_failed),
            SeriesPoint::counter("product.wallet.spend.success", &none, tot.spend_ok),
            SeriesPoint::counter("product.wallet.spend.failed", &none, tot.spend_failed),
        ];
        let snapshot_time = now + ChronoDuration::seconds(59);
        events.extend(engine.evaluate(snapshot_time, &points));
        let refs: Vec<&SloTracker> = slos.iter().collect();
        events.extend(engine.evaluate_slos(snapshot_time, &refs));
        if (TIMELINE_FROM_MIN..TIMELINE_TO_MIN).contains(&minute) && minute % TIMELINE_STEP_MIN == 0
        {
            for t in &slos {
                for (w, (_, secs)) in BURN_WINDOWS.iter().enumerate() {
                    let burn = t
                        .burn_rate(snapshot_time, Duration::from_secs(*secs))
                        .map(|f| f.to_f64());
                    timeline
                        .entry((t.definition().name.clone(), w))
                        .or_default()
                        .push(burn_char(burn));
                }
            }
        }
        if minute == 14 * 60 + 30 {
            midday = slos.iter().map(|t| t.report(snapshot_time)).collect();
        }
    }

    print_alerts(&events);
    print_timeline(&timeline);
    print_table("error budgets at 14:30 (during the incident)", &midday);
    let end = start + ChronoDuration::minutes(24 * 60 - 1) + ChronoDuration::seconds(59);
    let reports: Vec<SloReport> = slos.iter().map(|t| t.report(end)).collect();
    print_table(
        "error budgets at 23:59 (one day of data in a 30-day window)",
        &reports,
    );
    let active = engine.active();
    println!("\nstill active at end of day: {}", active.len());
    for a in active {
        println!(
            "  {} {:?} since {}",
            a.rule,
            a.state,
            a.active_at.format("%H:%M")
        );
    }
}
