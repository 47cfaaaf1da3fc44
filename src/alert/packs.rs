//! Predefined rule packs: the alert rules of the product this crate was first written
//! for (wallet, chat, calls, AI). Examples of one product's policy, not defaults: copy
//! and adapt them.
//!
//! Metric names follow the product's emission patterns. Where the product document names no
//! metric for a rule, the pack uses the name marked *assumed* below; services emitting another
//! name can clone the rule and change `metric`.
//!
//! | rule | metric | expression |
//! | --- | --- | --- |
//! | `chat_error_rate_high` | `product.chat.message.failed` (assumed) / `product.chat.message.count` | error ratio 5m > 2% |
//! | `wallet_failures_critical` | `product.wallet.spend.failed` / spend success + failed | error ratio 5m > 0.5% |
//! | `panic_latency_critical` | `safety.panic.latency_ms` (assumed) | p95 1m > 5000 ms |
//! | `api_error_rate_critical` | `api_http_errors_total` / `infra.http.request.count` | error ratio 10m > 3% |
//! | `function_errors` | `infra.function.errors` (assumed) | sum 5m > 50 |
//! | `wallet_spend_failures` | `product.wallet.spend.failed` | sum 10m > 10 |
//! | `call_failures` | `product.call.failed.count` | sum 10m > 15 |
//! | `chat_failures` | `product.chat.message.failed` (assumed) | sum 15m > 20 |
//! | `payout_failures` | `product.wallet.payout.failed` (assumed) | sum 30m > 5 |
//! | `safety_incidents` | `panic_events_total` | sum 1h > 20 |
//! | `api_latency` | `infra.http.request.latency_ms` | p95 5m > 1000 ms for 15m |
//! | `ai_response_latency` | `product.ai.response.latency_ms` | p95 5m > 3000 ms for 15m |
//! | `support_ticket_spike` | `support.ticket.created` (assumed) | sum 1h > 100 |
//! | `slo_api_availability` | `api_http_errors_total` / `infra.http.request.count` | error ratio 30d > 1% |
//! | `slo_api_latency_p95` | `infra.http.request.latency_ms` | p95 24h > 500 ms |
//! | `slo_webhook_success` | `webhook.delivery.failed` / `webhook.delivery.count` (assumed) | error ratio 7d > 5% |
//! | `slo_incident_mttr` | `ops.incident.mttr_minutes` gauge (assumed) | avg 30d > 180 |
//!
//! Every rule carries the product's 15-minute cooldown and a `team`-free label set: add
//! routing labels with [`AlertRule::labels`].

use super::rule::{Aggregation, AlertRule, Comparison, Severity};
use super::AlertError;
use std::time::Duration;

const MIN: u64 = 60;

#[allow(clippy::too_many_arguments)] // a table row: every column is a parameter
fn rule(
    name: &str,
    description: &str,
    metric: &str,
    aggregation: Aggregation,
    window_mins: u64,
    op: Comparison,
    threshold: f64,
    for_mins: u64,
    severity: Severity,
) -> Result<AlertRule, AlertError> {
    AlertRule::builder(name, metric)
        .description(description)
        .aggregation(aggregation)
        .window(Duration::from_secs(window_mins * MIN))
        .condition(op, threshold)
        .for_duration(Duration::from_secs(for_mins * MIN))
        .cooldown(Duration::from_secs(15 * MIN))
        .severity(severity)
        .build()
}

fn ratio(totals: &[&str]) -> Aggregation {
    Aggregation::ErrorRatio {
        total_metrics: totals.iter().map(|s| (*s).to_owned()).collect(),
        total_filter: Vec::new(),
    }
}

/// The operational rules (first thirteen rows of the product's table).
pub fn operational() -> Result<Vec<AlertRule>, AlertError> {
    use Aggregation::{Sum, P95};
    use Comparison::Gt;
    use Severity::{Critical, Warning, P0, P1, P2};
    Ok(vec![
        rule(
            "chat_error_rate_high",
            "chat error rate above 2%",
            "product.chat.message.failed",
            ratio(&["product.chat.message.count"]),
            5,
            Gt,
            0.02,
            0,
            Warning,
        )?,
        rule(
            "wallet_failures_critical",
            "wallet spend failure ratio above 0.5%",
            "product.wallet.spend.failed",
            ratio(&[
                "product.wallet.spend.success",
                "product.wallet.spend.failed",
            ]),
            5,
            Gt,
            0.005,
            0,
            Critical,
        )?,
        rule(
            "panic_latency_critical",
            "panic press-to-persist p95 above 5 s",
            "safety.panic.latency_ms",
            P95,
            1,
            Gt,
            5000.0,
            0,
            Critical,
        )?,
        rule(
            "api_error_rate_critical",
            "API 5xx ratio above 3%",
            "api_http_errors_total",
            ratio(&["infra.http.request.count"]),
            10,
            Gt,
            0.03,
            0,
            Critical,
        )?,
        rule(
            "function_errors",
            "more than 50 function errors in 5 min",
            "infra.function.errors",
            Sum,
            5,
            Gt,
            50.0,
            0,
            P0,
        )?,
        rule(
            "wallet_spend_failures",
            "more than 10 wallet spend failures in 10 min",
            "product.wallet.spend.failed",
            Sum,
            10,
            Gt,
            10.0,
            0,
            P0,
        )?,
        rule(
            "call_failures",
            "more than 15 call failures in 10 min",
            "product.call.failed.count",
            Sum,
            10,
            Gt,
            15.0,
            0,
            P0,
        )?,
        rule(
            "chat_failures",
            "more than 20 chat failures in 15 min",
            "product.chat.message.failed",
            Sum,
            15,
            Gt,
            20.0,
            0,
            P1,
        )?,
        rule(
            "payout_failures",
            "more than 5 payout failures in 30 min",
            "product.wallet.payout.failed",
            Sum,
            30,
            Gt,
            5.0,
            0,
            P1,
        )?,
        rule(
            "safety_incidents",
            "more than 20 panic events in 1 h",
            "panic_events_total",
            Sum,
            60,
            Gt,
            20.0,
            0,
            P1,
        )?,
        rule(
            "api_latency",
            "API p95 above 1 s for 15 min",
            "infra.http.request.latency_ms",
            P95,
            5,
            Gt,
            1000.0,
            15,
            P2,
        )?,
        rule(
            "ai_response_latency",
            "AI response p95 above 3 s for 15 min",
            "product.ai.response.latency_ms",
            P95,
            5,
            Gt,
            3000.0,
            15,
            P2,
        )?,
        rule(
            "support_ticket_spike",
            "more than 100 support tickets in 1 h",
            "support.ticket.created",
            Sum,
            60,
            Gt,
            100.0,
            0,
            P2,
        )?,
    ])
}

/// The SLO-threshold rules (last four rows of the product's table).
pub fn slo_thresholds() -> Result<Vec<AlertRule>, AlertError> {
    use Comparison::Gt;
    use Severity::{Critical, High, Warning};
    Ok(vec![
        rule(
            "slo_api_availability",
            "API availability below 99.0% over 30 d (target 99.5%)",
            "api_http_errors_total",
            ratio(&["infra.http.request.count"]),
            30 * 24 * 60,
            Gt,
            0.01,
            0,
            Critical,
        )?,
        rule(
            "slo_api_latency_p95",
            "API p95 above 500 ms over 24 h (target 400 ms)",
            "infra.http.request.latency_ms",
            Aggregation::P95,
            24 * 60,
            Gt,
            500.0,
            0,
            Warning,
        )?,
        rule(
            "slo_webhook_success",
            "webhook success below 95% over 7 d (target 98%)",
            "webhook.delivery.failed",
            ratio(&["webhook.delivery.count"]),
            7 * 24 * 60,
            Gt,
            0.05,
            0,
            High,
        )?,
        rule(
            "slo_incident_mttr",
            "incident MTTR above 3 h over 30 d (target 2 h)",
            "ops.incident.mttr_minutes",
            Aggregation::Avg,
            30 * 24 * 60,
            Gt,
            180.0,
            0,
            Warning,
        )?,
    ])
}

/// Both packs.
pub fn all() -> Result<Vec<AlertRule>, AlertError> {
    let mut out = operational()?;
    out.extend(slo_thresholds()?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_build_and_load_into_an_engine() {
        let rules = all().unwrap_or_default();
        assert_eq!(rules.len(), 17);
        assert!(crate::alert::AlertEngine::new(rules).is_ok());
    }
}
