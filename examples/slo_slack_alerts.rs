//! Wires `ReliabilitySink` end to end: emitted requests feed an availability SLO, a burst of
//! 5xx answers trips its page, and the alert reaches a Slack notifier — pointed at a
//! Slack-compatible server this example runs on 127.0.0.1, which prints what it receives.
//!
//! Run: `cargo run --example slo_slack_alerts`. No setup, no external network.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use telemetra::alert::notify::{DispatchQueue, Dispatcher, Secret, SlackNotifier};
use telemetra::alert::{EngineConfig, MatchOp, ReliabilitySink, SloSource, TagMatcher};
use telemetra::sinks::http::{HttpConfig, HttpTransport};
use telemetra::slo::SloDefinition;
use telemetra::switches::Switches;
use telemetra::{Config, Telemetry};

const REQUESTS: &str = "infra.http.request.count";

/// A one-thread Slack stand-in: answers `200 ok` to each POST and keeps its JSON body.
fn slack_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/services/T000/B000/XXXX",
        listener.local_addr().unwrap()
    );
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&bodies);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(16).flatten() {
            let mut reader = BufReader::new(stream);
            let mut length = 0;
            let mut line = String::new();
            // Headers, up to the blank line (bounded).
            for _ in 0..64 {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            seen.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&body).into_owned());
            let _ = reader
                .get_mut()
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
        }
    });
    (url, bodies)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (slack_url, received) = slack_server();
    let switches = Switches::new();
    let slo = SloDefinition::builder("api.availability")
        .description("99.9% of API requests succeed")
        .target_percent(99.9)
        .build()?;
    let transport = Arc::new(HttpTransport::new(HttpConfig::default())?);
    let dispatcher =
        Dispatcher::new(transport).notifier(SlackNotifier::new(Secret::new(slack_url)));
    // Each flush is one simulated minute later (the clock hook maps snapshot times).
    let minutes = Arc::new(AtomicI64::new(0));
    let clock_minutes = Arc::clone(&minutes);
    let origin: DateTime<Utc> = "2026-11-23T09:00:00Z".parse()?;
    let sink = ReliabilitySink::builder()
        .engine_config(EngineConfig::default().slo_severity_names("page", "ticket"))
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
        .dispatch_queue(DispatchQueue::start(dispatcher, 16)?)
        .clock(move |_| origin + chrono::Duration::minutes(clock_minutes.load(Ordering::SeqCst)))
        .switches(switches.clone())
        .build()?;
    let reliability = sink.handle();
    let telemetry = Telemetry::start(Config::builder().sink(sink).switches(switches).build()?)?;

    // Ten quiet minutes, then three minutes where a fifth of the requests fail.
    for minute in 0..13 {
        let failing = if minute >= 10 { 200 } else { 0 };
        telemetry.count(REQUESTS, 1000 - failing, &[("status", "200")]);
        telemetry.count(REQUESTS, failing, &[("status", "503")]);
        minutes.store(minute, Ordering::SeqCst);
        telemetry.flush(Duration::from_secs(5))?;
    }
    for report in reliability.slo_reports() {
        println!(
            "{}: {} bad of {}, budget remaining {:.1}% ({})",
            report.name,
            report.counts.total - report.counts.good,
            report.counts.total,
            report.budget.remaining.to_f64() * 100.0,
            report.budget.status
        );
    }
    for event in reliability.events() {
        println!("alert {:?}: {:?}", event.kind, event.labels);
    }
    // Delivery is on the queue's thread: wait (bounded) for Slack to have it.
    for _ in 0..250 {
        if !received.lock().unwrap().is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    for body in received.lock().unwrap().iter() {
        println!("slack received: {body}");
    }
    telemetry.shutdown(Duration::from_secs(5))?;
    Ok(())
}
