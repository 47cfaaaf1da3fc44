//! Simulated AI calls: exact cost per call, per-user quota status, a monthly budget, and
//! the token and cost counters flowing through a telemetra pipeline (a table at the end;
//! `-- --json` adds the JSON lines). Runs with no setup.
#![allow(clippy::print_stdout, clippy::indexing_slicing)]

#[path = "support/summary.rs"]
mod summary;

use std::sync::Arc;
use std::time::Duration;

use chrono::{Duration as Days, TimeZone, Utc};
use telemetra::cost::{
    AiCall, BudgetConfig, BudgetTracker, CostTracker, Money, Quota, QuotaCheck, QuotaDecision,
    ServiceBudget, UNKNOWN_MODEL,
};
use telemetra::sinks::MemorySink;
use telemetra::switches::Switches;
use telemetra::{Config, Telemetry};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let switches = Switches::new();
    // The pipeline: flushed at shutdown; it obeys the same switches.
    let memory = MemorySink::new();
    let telemetry = Telemetry::start(
        summary::sinks(Config::builder(), &memory)?
            .flush_interval(Duration::from_secs(3600))
            .self_metrics(false)
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
        "{:<10} {:<18} {:>7} {:>7} {:>9}  {:<38} ai budget",
        "user", "model", "in", "out", "cost $", "user's daily quota after the call"
    );
    let mut quotas_on = true;
    for i in 0..24 {
        let now = start + Days::minutes(i * 7);
        let user = users[usize::try_from(next(3))?];
        if tracker.check_quota(user, now).decision == QuotaDecision::Block {
            println!("{user:<10} refused before the call: daily quota used up (nothing spent)");
            continue;
        }
        let model = models[usize::try_from(next(5))?];
        let (input, output) = (200 + next(8_000), 50 + next(2_000));
        let call = AiCall::new(user, model, input, output)
            .duration(Duration::from_millis(300 + next(2_500)))
            .tags(&[("service", "companion")]);
        let rec = tracker.record_call(&call, now);
        let budget = budgets.record_spend("ai", usd_to_eur(rec.cost.total), now)?;
        // A model missing from the price table is charged at the table's conservative
        // `unknown` price: an estimate (marked *), so that budgets never under-count.
        let shown = if rec.model == UNKNOWN_MODEL {
            format!("{model}*")
        } else {
            rec.model.to_string()
        };
        println!(
            "{user:<10} {shown:<18} {input:>7} {output:>7} {:>9}  {:<38} {budget:?}",
            rec.cost.total.to_decimal_string(),
            quota_text(&rec.quota, quotas_on),
        );
        if i == 15 {
            switches.quotas().disable();
            quotas_on = false;
            println!("-- quotas.enabled switched off: calls over quota go through --");
        }
    }
    println!(
        "* not in the price table: costed at the `{UNKNOWN_MODEL}` price, a ceiling (see unknown models below)"
    );

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
    println!("\nmodels not in the price table (costed at the `{UNKNOWN_MODEL}` price):");
    for m in tracker.unknown_models() {
        println!("  {:<18} {} calls", m.name, m.calls);
    }

    let report = budgets.report(start);
    println!("\nbudgets {} ({}):", report.month, report.currency);
    println!(
        "  {:<9} {:>7} {:>9} {:>7} {:>7} {:>7}  status",
        "service", "fixed", "variable", "spent", "budget", "used"
    );
    for s in report.services.iter().chain(report.total.iter()) {
        // A fixed cost is committed for the month: 100% of it is the plan, not an alarm.
        let status = if s.variable == Money::ZERO && s.fixed == s.budget {
            "fixed cost, committed".to_owned()
        } else {
            format!("{:?}", s.status)
        };
        println!(
            "  {:<9} {:>7} {:>9} {:>7} {:>7} {:>6.1}%  {status}",
            s.name,
            s.fixed.to_string(),
            s.variable.to_string(),
            s.spent.to_string(),
            s.budget.to_string(),
            s.percent,
        );
    }
    let off: Vec<String> = switches
        .states()
        .into_iter()
        .filter(|(_, on)| !on)
        .map(|(name, _)| name)
        .collect();
    println!("switches off: {}", off.join(", "));
    telemetry.shutdown(Duration::from_secs(5))?;
    println!("\nwhat the pipeline received (token and cost counters):");
    summary::print_metrics(&memory, &|_| false);
    Ok(())
}

/// The quota column: the share used after the call and what it means for the next one.
fn quota_text(q: &QuotaCheck, enforced: bool) -> String {
    let used = q
        .percent
        .map_or("no quota".to_owned(), |p| format!("{p:.1}% used"));
    let over = q.percent.is_some_and(|p| p >= 100.0);
    let next = match (q.decision, enforced) {
        (_, false) if over => ", over (quotas not enforced)",
        (QuotaDecision::Allow, _) => "",
        (QuotaDecision::Warn, _) => ", near the limit",
        (QuotaDecision::Block, true) => ", next call refused",
        (QuotaDecision::Block, false) => ", over (quotas not enforced)",
    };
    format!("{used}{next}")
}
