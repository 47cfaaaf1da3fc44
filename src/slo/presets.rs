//! Ready-made SLO sets of the product this crate was first written for (its targets):
//! examples of one product's policy, not defaults.
//!
//! All windows are rolling 30 days with the workbook burn-rate alerts. Two deliberate
//! deviations: a "100% success" target has no error budget (every ratio divides by zero), so
//! panic/safety availability uses 99.99% (one failure in 10,000 already pages; the
//! `safety incidents` alert rule covers single failures); and "P95 < X" is expressed as the
//! latency SLO "95% of events at most X".

use super::definition::{SloDefinition, Window};
use super::SloError;
use std::time::Duration;

fn availability(name: &str, desc: &str, percent: f64) -> Result<SloDefinition, SloError> {
    SloDefinition::builder(name)
        .description(desc)
        .availability()
        .target_percent(percent)
        .window(Window::rolling_days(30))
        .build()
}

fn latency(
    name: &str,
    desc: &str,
    percent: f64,
    threshold_ms: u64,
) -> Result<SloDefinition, SloError> {
    SloDefinition::builder(name)
        .description(desc)
        .latency(Duration::from_millis(threshold_ms))
        .target_percent(percent)
        .window(Window::rolling_days(30))
        .build()
}

/// Chat delivery (`chat.send`): availability 99.5% and 95% delivered within 300 ms.
pub fn chat_delivery() -> Result<Vec<SloDefinition>, SloError> {
    Ok(vec![
        availability("chat.delivery.availability", "chat.send succeeds", 99.5)?,
        latency(
            "chat.delivery.latency",
            "chat.send P95 under 300 ms",
            95.0,
            300,
        )?,
    ])
}

/// Wallet operations (`wallet.spend`, `wallet.refund`, `wallet.payout_request`): 99.8%, or
/// 99.95% with `strict`.
pub fn wallet_operations(strict: bool) -> Result<Vec<SloDefinition>, SloError> {
    let target = if strict { 99.95 } else { 99.8 };
    Ok(vec![availability(
        "wallet.operations.availability",
        "wallet operations succeed",
        target,
    )?])
}

/// Panic / safety (`safety.panic_*`): 95% persisted within 2 s, 99.9% within 5 s, 99.99% success.
pub fn panic_safety() -> Result<Vec<SloDefinition>, SloError> {
    Ok(vec![
        latency(
            "safety.panic.latency_p95",
            "press-to-persist P95 under 2 s",
            95.0,
            2_000,
        )?,
        latency(
            "safety.panic.latency_5s",
            "at most 0.1% of panic events slower than 5 s",
            99.9,
            5_000,
        )?,
        availability(
            "safety.panic.availability",
            "panic events persisted (100% intended)",
            99.99,
        )?,
    ])
}

/// AI companions (`ai.request` → `ai.response`): 95% within 2.5 s (3 s with `relaxed`), 99% success.
pub fn ai_companions(relaxed: bool) -> Result<Vec<SloDefinition>, SloError> {
    let threshold = if relaxed { 3_000 } else { 2_500 };
    Ok(vec![
        latency(
            "ai.companions.latency",
            "ai response P95 under target",
            95.0,
            threshold,
        )?,
        availability(
            "ai.companions.availability",
            "1% failures or timeouts allowed",
            99.0,
        )?,
    ])
}

/// Support system (`support.ticket_*`): 99.9% availability.
pub fn support_system() -> Result<Vec<SloDefinition>, SloError> {
    Ok(vec![availability(
        "support.availability",
        "support ticket operations succeed",
        99.9,
    )?])
}

/// API overall: 5xx ratio at most 1%, core 99.9%, secondary 99.5%, 95% within 500 ms.
pub fn api_overall() -> Result<Vec<SloDefinition>, SloError> {
    Ok(vec![
        availability(
            "api.overall.availability",
            "5xx error ratio at most 1%",
            99.0,
        )?,
        availability("api.core.availability", "core API (43.2 min/month)", 99.9)?,
        availability(
            "api.secondary.availability",
            "secondary API (3.6 h/month)",
            99.5,
        )?,
        latency("api.latency", "P95 under 500 ms", 95.0, 500)?,
    ])
}

/// Call connection (`product.call.started.count`): 98% success.
pub fn call_connection() -> Result<Vec<SloDefinition>, SloError> {
    Ok(vec![availability(
        "call.connection.availability",
        "calls connect",
        98.0,
    )?])
}

/// Every preset above (default variants).
pub fn all() -> Result<Vec<SloDefinition>, SloError> {
    let mut out = chat_delivery()?;
    out.extend(wallet_operations(false)?);
    out.extend(panic_safety()?);
    out.extend(ai_companions(false)?);
    out.extend(support_system()?);
    out.extend(api_overall()?);
    out.extend(call_connection()?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_build_with_expected_targets() {
        let all = all().unwrap_or_default();
        assert_eq!(all.len(), 14);
        let ppm = |name: &str| all.iter().find(|s| s.name == name).map(|s| s.target.ppm());
        assert_eq!(ppm("chat.delivery.availability"), Some(995_000));
        assert_eq!(ppm("wallet.operations.availability"), Some(998_000));
        assert_eq!(ppm("api.core.availability"), Some(999_000));
        assert_eq!(
            wallet_operations(true)
                .map(|v| v.iter().map(|s| s.target.ppm()).collect::<Vec<_>>())
                .ok(),
            Some(vec![999_500])
        );
    }
}
