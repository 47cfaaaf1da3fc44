//! An SLO exported as Prometheus rules: `promtool check rules` accepts the file, and
//! `promtool test rules` over a generated series (two quiet hours, 30 minutes at 10%
//! errors, 90 quiet minutes, one sample a minute) fires and clears the page and ticket
//! alerts at exactly the minutes the in-process engine does on the same counters.

#![allow(clippy::unwrap_used)]

mod support;

use chrono::{DateTime, TimeZone, Utc};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use support::prom;
use telemetra::alert::AlertEngine;
use telemetra::slo::prometheus::PrometheusSli;
use telemetra::slo::{SloDefinition, SloTracker};

const MINUTES: u64 = 240;

fn t(min: u64) -> DateTime<Utc> {
    Utc.timestamp_opt(0, 0).single().unwrap() + chrono::Duration::minutes(min as i64)
}

/// Cumulative (errors, requests) at each minute's sample: 1000 requests a minute, 100 of
/// them failing in minutes 120..150.
fn counters() -> Vec<(u64, u64)> {
    let (mut errors, mut total) = (0, 0);
    (0..MINUTES)
        .map(|m| {
            total += 1000;
            if (120..150).contains(&m) {
                errors += 100;
            }
            (errors, total)
        })
        .collect()
}

#[test]
fn generated_rules_fire_like_the_engine() {
    let slo = SloDefinition::builder("api")
        .target_percent(99.9)
        .build()
        .unwrap();
    // In process: the same cumulative counters, the first sample a baseline (as `rate`).
    let mut tracker = SloTracker::new(slo.clone());
    let mut engine = AlertEngine::new(vec![]).unwrap();
    let mut firing: Vec<BTreeSet<String>> = Vec::new();
    for (m, (errors, total)) in (0..).zip(counters()) {
        tracker.observe_cumulative(t(m), total - errors, total);
        engine.evaluate_slos(t(m), &[&tracker]);
        firing.push(
            engine
                .active()
                .iter()
                .filter_map(|a| a.labels.get("burn").cloned())
                .collect(),
        );
    }
    let minutes_firing = |burn: &str| -> Vec<usize> {
        (0..firing.len())
            .filter(|&m| firing[m].contains(burn))
            .collect()
    };
    // Hand-checked: after k minutes of the burst (sample 119 + k) the 6 h window holds all
    // 119 + k minutes since the baseline: 100k bad of 1000 (119 + k) exceeds 6 * 0.1% from
    // k = 8 (94k > 714), so the 6h/30m page fires at minute 127, before the 1h/5m one
    // (k = 9, 8.64 min). It clears when the 30 m window holds one error minute:
    // 100 of 30 000 = 0.33% at minute 178 (two minutes, 0.67%, still fire at 177).
    let page = minutes_firing("page");
    assert_eq!(page.first(), Some(&127));
    assert_eq!(page.last(), Some(&177));
    assert_eq!(page.len(), 177 - 127 + 1);
    // The ticket (6h/3d at 1): 100k > 119 + k from k = 2 (minute 121), and it stays:
    // 3000 bad in at most 240 000 requests is above 0.1% to the end.
    let ticket = minutes_firing("ticket");
    assert_eq!(ticket.first(), Some(&121));
    assert_eq!(ticket.last(), Some(&(MINUTES as usize - 1)));

    let sli = PrometheusSli::new(
        "sum(rate(http_request_errors_total[{{.window}}]))",
        "sum(rate(http_requests_total[{{.window}}]))",
    );
    let rules = sli.rules(&slo).unwrap();
    if let Some(reason) = prom::missing(&[prom::PROMTOOL]) {
        support::skip::skipped(&reason);
        return;
    }
    let (code, out) = prom::promtool_in_dir(&["check", "rules", "slo.yml"], &[("slo.yml", &rules)]);
    assert_eq!(code, 0, "promtool check rules:\n{out}\n{rules}");

    let values = |pick: fn(&(u64, u64)) -> u64| {
        counters()
            .iter()
            .map(|c| pick(c).to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut test = format!(
        "rule_files: [slo.yml]\nevaluation_interval: 1m\ntests:\n- interval: 1m\n  input_series:\n  - series: http_request_errors_total\n    values: '{}'\n  - series: http_requests_total\n    values: '{}'\n  promql_expr_test:\n",
        values(|c| c.0),
        values(|c| c.1)
    );
    // Every minute from the second hour on (rate needs two samples).
    for (m, burns) in firing.iter().enumerate().skip(60) {
        write!(
            test,
            "  - expr: count by (burn) (ALERTS{{alertname=\"slo_burn_rate\",alertstate=\"firing\"}})\n    eval_time: {m}m\n    exp_samples:"
        )
        .unwrap();
        if burns.is_empty() {
            test.push_str(" []\n");
        }
        test.push('\n');
        for burn in burns {
            writeln!(test, "    - labels: '{{burn=\"{burn}\"}}'\n      value: 1").unwrap();
        }
    }
    let (code, out) = prom::promtool_in_dir(
        &["test", "rules", "test.yml"],
        &[("slo.yml", &rules), ("test.yml", &test)],
    );
    assert_eq!(code, 0, "promtool disagrees with the engine:\n{out}");
}
