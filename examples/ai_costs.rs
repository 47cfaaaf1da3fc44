//! Simulated AI calls: exact cost per call, per-user quota status, a monthly budget, and
//! the token and cost counters flowing through a telemetra pipeline to the stdout sink
//! (JSON lines). Runs with no setup.
#![allow(clippy::print_stdout, clippy::indexing_slicing)]

use std::sync::Arc;
use std::time::Duration;

use chrono::{Duration as Days, TimeZone, Utc};
use telemetra::cost::{
    AiCall, BudgetConfig, BudgetTracker, CostTracker, Money, Quota, QuotaDecision, ServiceBudget,
};
use telemetra::sinks::JsonLinesSink;
use telemetra::switches::Switches;
use telemetra::{Config, Telemetry};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let switches = Switches::new();
    // The pipeline: one stdout sink, flushed at shutdown; it obeys the same switches.
    let telemetry = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .self_metrics(false)
            .sink(JsonLinesSink::stdout())
            .switches(switches.clone())
            .build()?,
    )?;
    // Telemetry is a cost::CounterSink: the tracker's counters go straight into it.
    let sink = Arc::new(telemetry.clone());
    let tracker = CostTracker::builder()
        .default_quota(Quota::cost(Money::parse("0.50", "quota")?)) // 0.50 USD per user per day
        .user_quota("u-premium", Quota::cost(Money::from_units(5)))
        .switches(&switches)
        .sink(sink.clone())
        .build()?;
    let budgets = BudgetTracker::new(BudgetConfig {
        currency: "EUR".into(),
        total: Some(Money::from_units(150)),
        services: vec![
            ServiceBudget::fixed("vercel", Money::from_units(20)),
            ServiceBudget::fixed("supabase", Money::from_units(25)),
            ServiceBudget::fixed("sentry", Money::from_units(26)),
            ServiceBudget::variable("ai", Money::parse("2.50", "budget")?),
        ],
        ..BudgetConfig::default()
    })?;

    let models = [
        "claude-sonnet-4-5",
        "claude-opus-4",
        "gpt-4",
        "gpt-4-turbo",
        "llama-local",
    ];
    let users = ["u-1", "u-2", "u-premium"];
    let start = Utc
        .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .ok_or("bad date")?;
    // Fixed exchange rate for the example only: 1 USD = 0.92 EUR.
    let usd_to_eur = |usd: Money| Money::from_picos(usd.picos() * 92 / 100);

    let mut seed: u64 = 42;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };

    println!(
        "{:<10} {:<18} {:>7} {:>7} {:>9}  quota",
        "user", "model", "in", "out", "cost $"
    );
    for i in 0..24 {
        let now = start + Days::minutes(i * 7);
        let user = users[usize::try_from(next(3))?];
        if tracker.check_quota(user, now).decision == QuotaDecision::Block {
            println!("{user:<10} blocked: daily quota used up");
            continue;
        }
        let model = models[usize::try_from(next(5))?];
        let (input, output) = (200 + next(8_000), 50 + next(2_000));
        let call = AiCall::new(user, model, input, output)
            .duration(Duration::from_millis(300 + next(2_500)))
            .tags(&[("service", "companion")]);
        let rec = tracker.record_call(&call, now);
        let budget = budgets.record_spend("ai", usd_to_eur(rec.cost.total), now)?;
        println!(
            "{user:<10} {:<18} {input:>7} {output:>7} {:>9}  {:?} {:.1}%  (ai budget: {budget:?})",
            rec.model,
            rec.cost.total.to_decimal_string(),
            rec.quota.decision,
            rec.quota.percent.unwrap_or(0.0),
        );
        if i == 15 {
            switches.quotas().disable();
            println!("-- quotas.enabled switched off --");
        }
    }

    println!("\nusage on {}:", start.date_naive());
    for s in tracker.daily_usage(start.date_naive()) {
        println!(
            "  {:<10} calls {:>2}  tokens {:>6}/{:<6} {:>6} ms  cost ${} (exact {})  quota {:.1}%",
            s.user,
            s.calls,
            s.input_tokens,
            s.output_tokens,
            s.duration_ms,
            s.cost,
            s.cost.to_decimal_string(),
            s.quota_percent.unwrap_or(0.0)
        );
    }
    println!("\nunknown models: {:?}", tracker.unknown_models());

    let report = budgets.report(start);
    println!("\nbudgets {} ({}):", report.month, report.currency);
    for s in report.services.iter().chain(report.total.iter()) {
        println!(
            "  {:<9} {:>7} of {:>6}  {:>6.2}%  {:?}",
            s.name,
            s.spent.to_string(),
            s.budget.to_string(),
            s.percent,
            s.status
        );
    }
    println!("switches: {}", serde_json::to_string(&switches.states())?);
    println!("\nthe pipeline's final snapshot (stdout sink, JSON lines):");
    telemetry.shutdown(Duration::from_secs(5))?;
    println!(
        "counter emissions aggregated: {}",
        telemetry.stats().emitted
    );
    Ok(())
}
