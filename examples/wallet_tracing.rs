//! The `wallet` example's handlers written the way a team already on the `tracing` and
//! `metrics` crates writes them: `#[tracing::instrument]` spans, `info!`/`warn!`/`error!`
//! events with fields, and `metrics::counter!`/`gauge!`/`histogram!` with labels. Nothing
//! in the handlers names telemetra: the setup in `main` routes both facades into a
//! telemetra pipeline (scrubbing, aggregation, sinks), and the first request continues a
//! caller's trace from its `traceparent` header.
//!
//! Prints a short summary of what reached the sink: counter totals, timings, the span
//! tree and the events with their fields after scrubbing.
//! `cargo run --example wallet_tracing`.

#![allow(clippy::print_stdout)]

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use telemetra::integrations::tracing::TelemetraLayer;
use telemetra::sinks::MemorySink;
use telemetra::snapshot::Value;
use telemetra::trace::propagation;
use telemetra::{Config, Telemetry};
use tracing::{error, info, info_span, instrument, warn};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Why a spend was refused: a code for labels and fields.
#[derive(Debug)]
struct SpendError(&'static str);

const FROZEN: &str = "ACCOUNT_FROZEN";

struct Wallet {
    balances: HashMap<u32, i64>,
    frozen: Vec<u32>,
}

impl Wallet {
    /// POST /wallet/spend
    #[instrument(name = "wallet.spend", skip(self))]
    fn spend(&mut self, user: u32, email: &str, cents: i64) -> Result<i64, SpendError> {
        let start = Instant::now();
        let result = self.debit(user, cents);
        match &result {
            Ok(balance) => {
                metrics::counter!("product.wallet.spend.success", "service" => "wallet")
                    .increment(1);
                metrics::gauge!("product.wallet.balance", "service" => "wallet")
                    .set(*balance as f64 / 100.0);
            }
            Err(SpendError(reason)) => {
                metrics::counter!("product.wallet.spend.failed", "service" => "wallet", "reason" => *reason)
                    .increment(1);
                // An ERROR event inside a span marks the span failed; a WARN does not.
                if *reason == FROZEN {
                    error!(reason, email, "spend on a frozen account");
                } else {
                    warn!(reason, cents, "spend refused");
                }
            }
        }
        record_latency("spend", start, result.is_ok());
        result
    }

    #[instrument(name = "wallet.debit", skip(self))]
    fn debit(&mut self, user: u32, cents: i64) -> Result<i64, SpendError> {
        std::thread::sleep(Duration::from_micros(100 + (user as u64 * 37 % 300))); // the ledger
        if self.frozen.contains(&user) {
            return Err(SpendError(FROZEN));
        }
        let balance = self.balances.entry(user).or_insert(0);
        if *balance < cents {
            return Err(SpendError("INSUFFICIENT_FUNDS"));
        }
        *balance -= cents;
        Ok(*balance)
    }

    /// POST /wallet/refund
    #[instrument(name = "wallet.refund", skip(self))]
    fn refund(&mut self, user: u32, cents: i64) {
        let start = Instant::now();
        *self.balances.entry(user).or_insert(0) += cents;
        record_latency("refund", start, true);
        metrics::counter!("product.wallet.refund", "service" => "wallet").increment(1);
    }

    /// POST /wallet/payout
    #[instrument(name = "wallet.payout", skip(self))]
    fn request_payout(&mut self, user: u32, email: &str, cents: i64) -> Result<(), SpendError> {
        let start = Instant::now();
        let result = self.debit(user, cents).map(|_| ());
        record_latency("payout", start, result.is_ok());
        if result.is_ok() {
            metrics::counter!("product.wallet.payout.requested", "service" => "wallet")
                .increment(1);
            info!(cents, email, "payout requested");
        }
        result
    }
}

/// Seconds, the `metrics` convention (`record(Duration)`); the recorder stores them as
/// milliseconds, so this is the native example's series `wallet_tx_latency_ms`.
fn record_latency(op: &'static str, start: Instant, ok: bool) {
    let success = if ok { "true" } else { "false" };
    metrics::histogram!("wallet_tx_latency_ms", "service" => "wallet", "op" => op, "success" => success)
        .record(start.elapsed());
}

/// One incoming request: the server span continues the caller's trace, if it sent one.
fn handle(wallet: &mut Wallet, headers: &[(&str, &str)], user: u32, op: u64, cents: i64) {
    let incoming = propagation::extract(headers);
    let _remote = incoming.parent().map(|cx| cx.enter());
    let email = format!("user{user}@example.com");
    let request = info_span!("http.request", user.email = %email);
    let _in = request.enter();
    match op {
        0 => wallet.refund(user, 250),
        1 => drop(wallet.request_payout(user, &email, 1_000)),
        _ => drop(wallet.spend(user, &email, cents)),
    }
}

/// The `traceparent` header of the first request: a caller's sampled span.
const CALLER: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sink = MemorySink::new();
    let telemetry = Telemetry::start(
        Config::builder()
            .sink(sink.clone())
            .self_metrics(false)
            .build()?,
    )?;
    telemetra::integrations::metrics::install(&telemetry)?;
    tracing_subscriber::registry()
        .with(TelemetraLayer::new(&telemetry))
        .try_init()?;

    let mut wallet = Wallet {
        balances: (0..20).map(|user| (user, 5_000)).collect(),
        frozen: vec![13],
    };
    let caller = [("traceparent", CALLER)];
    let mut seed = 42u64; // a deterministic stream of requests
    let mut next = move |n: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) % n
    };
    for i in 0..200 {
        let headers: &[(&str, &str)] = if i == 0 { &caller } else { &[] };
        let (user, op) = (next(20) as u32, next(10));
        handle(&mut wallet, headers, user, op, 100 + next(400) as i64);
    }

    telemetry.flush(Duration::from_secs(5))?;
    print_summary(&sink);
    telemetry.shutdown(Duration::from_secs(5))?;
    Ok(())
}

/// Counters and timings as a table, spans as a tree of names, events grouped by message.
fn print_summary(sink: &MemorySink) {
    let spans = sink.spans();
    println!("== metrics: counter! totals, gauge! values, histogram! counts and quantiles");
    let mut rows = BTreeMap::new();
    for s in sink.last().iter().flat_map(|snap| snap.series.iter()) {
        let tags: Vec<String> = s
            .tags
            .iter()
            .map(|t| format!("{}={}", t.key, t.value))
            .collect();
        let row = match &s.value {
            // Every event is also counted (`event.count`) and every span timed under its
            // own name: the sections below show those.
            _ if &*s.name == "event.count" || spans.iter().any(|sp| sp.name == *s.name) => continue,
            Value::Counter(v) => format!("{v:>5}"),
            Value::Gauge(v) => format!("{v:>5.2} (gauge)"),
            Value::Timing(d) => {
                let (p50, p99) = (d.quantile(0.5), d.quantile(0.99));
                format!("{:>5}  p50 {p50:.3} ms  p99 {p99:.3} ms", d.count)
            }
        };
        rows.insert(format!("{}{{{}}}", s.name, tags.join(",")), row);
    }
    for (key, row) in &rows {
        println!("{key:<70} {row}");
    }

    // Spans by their path of names from the local root, with the first one's fields.
    println!("\n== spans (#[instrument], info_span!) by parent: count, failed, fields as scrubbed");
    let by_id: HashMap<_, _> = spans.iter().map(|s| (s.context.span_id, s)).collect();
    let (mut tree, mut remote) = (BTreeMap::new(), Vec::new());
    for s in &spans {
        let (mut path, mut parent) = (vec![s.name.as_ref()], s.parent_span_id);
        while let Some(p) = parent.and_then(|id| by_id.get(&id)) {
            path.insert(0, p.name.as_ref());
            parent = p.parent_span_id;
        }
        if let (Some(caller), 1) = (parent, path.len()) {
            remote.push(format!(
                "{} continues trace {} (caller's span {caller})",
                s.name, s.context.trace_id
            ));
        }
        let attrs = s
            .attributes
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::json!(v)));
        let fields = serde_json::Value::Object(attrs.collect()).to_string();
        let node = tree.entry(path).or_insert((0, 0, fields));
        (node.0, node.1) = (node.0 + 1, node.1 + u32::from(!s.status.is_ok()));
    }
    for (path, (count, failed, fields)) in &tree {
        let (indent, name) = (2 * path.len() - 2, path.last().copied().unwrap_or_default());
        println!(
            "{:indent$}{name:<w$} x{count:<4} {failed:>2} {fields}",
            "",
            w = 20 - indent
        );
    }
    for line in &remote {
        println!("{line}");
    }

    println!("\n== events (info!, warn!, error!) by message: count, fields as scrubbed");
    let mut events = BTreeMap::new();
    for e in sink.events() {
        let key = (e.level.to_string(), e.message.unwrap_or_default());
        events.entry(key).or_insert((0, e.metadata.to_string())).0 += 1;
    }
    for ((level, message), (count, fields)) in &events {
        println!("{level:<5} {message:<26} x{count:<4} {fields}");
    }
}
