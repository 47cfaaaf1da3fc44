//! A wallet service's request handlers, instrumented: spend success and failure by
//! reason, refunds, payout requests, the balance gauge and a transaction latency timer.
//!
//! Runs with no setup and prints a table of what was flushed: each series' total,
//! value, or count, sum and p50/p99 (`-- --json` adds the JSON lines a log shipper would
//! read; set `OBSERVABILITY_PROVIDER` and friends to also push to a real backend, see
//! `docs/sinks.md`):
//! `cargo run --example wallet`.

#![allow(clippy::indexing_slicing, clippy::print_stdout, clippy::unwrap_used)]

#[path = "support/summary.rs"]
mod summary;

use std::collections::HashMap;
use std::time::Duration;

use telemetra::sinks::MemorySink;
use telemetra::{Config, TaggedEmitter, Telemetry};

#[derive(Debug)]
enum SpendError {
    InsufficientFunds,
    AccountFrozen,
}

impl SpendError {
    fn code(&self) -> &'static str {
        match self {
            SpendError::InsufficientFunds => "INSUFFICIENT_FUNDS",
            SpendError::AccountFrozen => "ACCOUNT_FROZEN",
        }
    }
}

/// The service: its own state, plus an emitter bound to `service=wallet` used across
/// the module.
struct Wallet {
    balances: HashMap<u32, i64>,
    frozen: Vec<u32>,
    metrics: TaggedEmitter,
}

impl Wallet {
    fn new(telemetry: &Telemetry) -> Self {
        Wallet {
            balances: (0..20).map(|user| (user, 5_000)).collect(),
            frozen: vec![13],
            metrics: telemetry.tagged(vec![("service", "wallet")]),
        }
    }

    /// POST /wallet/spend
    fn spend(&mut self, user: u32, cents: i64) -> Result<i64, SpendError> {
        // The timer records `wallet_tx_latency_ms{op=spend,success=…}` when stopped.
        // `timer_owned` holds its own reference, so `self` stays free for `&mut` use.
        let timer = self
            .metrics
            .timer_owned("wallet_tx_latency_ms", &[("op", "spend")]);
        let result = self.debit(user, cents);
        match &result {
            Ok(balance) => {
                self.metrics.incr("product.wallet.spend.success", ());
                self.metrics
                    .gauge("product.wallet.balance", *balance as f64 / 100.0, ());
            }
            Err(e) => {
                // Dynamic tag values are fine: one allocation, off the static path.
                self.metrics
                    .incr("product.wallet.spend.failed", vec![("reason", e.code())]);
            }
        }
        timer.stop_with(result.is_ok());
        result
    }

    fn debit(&mut self, user: u32, cents: i64) -> Result<i64, SpendError> {
        if self.frozen.contains(&user) {
            return Err(SpendError::AccountFrozen);
        }
        let balance = self.balances.entry(user).or_insert(0);
        if *balance < cents {
            return Err(SpendError::InsufficientFunds);
        }
        *balance -= cents;
        Ok(*balance)
    }

    /// POST /wallet/refund
    fn refund(&mut self, user: u32, cents: i64) {
        let metrics = self.metrics.clone(); // one reference count
        metrics.time("wallet_tx_latency_ms", &[("op", "refund")], || {
            *self.balances.entry(user).or_insert(0) += cents;
        });
        metrics.incr("product.wallet.refund", ());
    }

    /// POST /wallet/payout
    fn request_payout(&mut self, user: u32, cents: i64) -> Result<(), SpendError> {
        let metrics = self.metrics.clone();
        let result = metrics.time_result("wallet_tx_latency_ms", &[("op", "payout")], || {
            self.debit(user, cents).map(|_| ())
        });
        if result.is_ok() {
            metrics.count("product.wallet.payout.requested", 1, ());
        }
        result
    }
}

fn main() -> Result<(), telemetra::Error> {
    let memory = MemorySink::new();
    let telemetry = Telemetry::start(
        summary::sinks(Config::builder(), &memory)?
            .flush_interval(Duration::from_secs(60))
            .self_metrics(false) // keep the printout to the service's own metrics
            .build()?,
    )?;
    let mut wallet = Wallet::new(&telemetry);

    // A deterministic stream of requests.
    let mut seed = 42u64;
    let mut next = move |n: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) % n
    };
    for _ in 0..500 {
        let user = next(20) as u32;
        match next(10) {
            0 => wallet.refund(user, 250),
            1 => {
                let _ = wallet.request_payout(user, 1_000);
            }
            _ => {
                let _ = wallet.spend(user, 100 + next(400) as i64);
            }
        }
    }

    telemetry.shutdown(Duration::from_secs(5))?;
    summary::print_metrics(&memory, &|_| false);
    let stats = telemetry.stats();
    println!(
        "# emitted {} emissions into {} series, dropped {}",
        stats.emitted,
        stats.series,
        stats.dropped()
    );
    Ok(())
}
