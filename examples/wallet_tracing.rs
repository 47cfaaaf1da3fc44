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

use std::collections::HashMap;
use std::time::{Duration, Instant};

#[path = "support/summary.rs"]
mod summary;

use telemetra::integrations::tracing::TelemetraLayer;
use telemetra::sinks::MemorySink;
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
    summary::print(&sink);
    telemetry.shutdown(Duration::from_secs(5))?;
    Ok(())
}
