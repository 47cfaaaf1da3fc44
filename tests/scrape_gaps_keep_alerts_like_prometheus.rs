//! A gauge rule over a series with scrape gaps: the engine uses the last sample within the
//! lookback (5 m, as Prometheus) and treats the series as stale after it. The timeline is
//! checked by hand and then by `promtool test rules`, which must see the same pending and
//! firing `ALERTS` series at every evaluation.

#![allow(clippy::unwrap_used)]

mod support;

use chrono::{DateTime, TimeZone, Utc};
use std::fmt::Write as _;
use std::time::Duration;
use support::prom;
use telemetra::alert::{
    Aggregation, AlertEngine, AlertRule, AlertState, Comparison, EngineConfig, SeriesPoint,
};

fn t(min: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(0, 0).single().unwrap() + chrono::Duration::minutes(min)
}

/// promtool series notation: one value per minute, `_` = no sample.
const SERIES: &str = "1 1 1 20 20 20 _ _ 20 20 20 _ _ _ _ _ _ _ 1 1";

fn samples() -> Vec<Option<f64>> {
    SERIES.split(' ').map(|v| v.parse().ok()).collect()
}

/// The state of the one alert at each minute.
fn timeline(lookback: Duration) -> Vec<Option<AlertState>> {
    let rule = AlertRule::builder("GaugeHigh", "g")
        .aggregation(Aggregation::Max)
        .window(Duration::from_secs(60))
        .condition(Comparison::Gt, 10.0)
        .for_duration(Duration::from_secs(300))
        .build()
        .unwrap();
    let config = EngineConfig {
        lookback,
        ..EngineConfig::default()
    };
    let mut engine = AlertEngine::with_config(vec![rule], config).unwrap();
    let tags: Vec<(String, String)> = Vec::new();
    let mut states = Vec::new();
    for (m, v) in (0..).zip(samples()) {
        let points: Vec<SeriesPoint<'_>> = v
            .map(|v| SeriesPoint::gauge("g", &tags, v))
            .into_iter()
            .collect();
        engine.evaluate(t(m), &points);
        states.push(engine.active().first().map(|a| a.state));
    }
    states
}

fn minutes(states: &[Option<AlertState>], want: AlertState) -> Vec<usize> {
    (0..states.len())
        .filter(|&m| states.get(m) == Some(&Some(want)))
        .collect()
}

#[test]
fn scrape_gaps_within_the_lookback_keep_the_alert() {
    let states = timeline(Duration::from_secs(300));
    // Above 10 from minute 3: pending 3..=7 through the gap at 6 and 7 (the sample of minute
    // 5 is 1-2 minutes old), firing at 8 = 3 + `for`. After minute 10 there is no sample:
    // minutes 11..=15 still see it (age <= 5 m, Prometheus 2.x's closed lookback interval);
    // at 16 it is stale and the alert resolves.
    assert_eq!(minutes(&states, AlertState::Pending), vec![3, 4, 5, 6, 7]);
    assert_eq!(
        minutes(&states, AlertState::Firing),
        vec![8, 9, 10, 11, 12, 13, 14, 15]
    );
    // Without a lookback the gap resets the pending timer (the old behaviour): pending
    // again from 8, never firing before the second gap resolves it at 11.
    let strict = timeline(Duration::ZERO);
    assert_eq!(
        minutes(&strict, AlertState::Pending),
        vec![3, 4, 5, 8, 9, 10]
    );
    assert!(minutes(&strict, AlertState::Firing).is_empty());

    if let Some(reason) = prom::missing(&[prom::PROMTOOL]) {
        support::skip::skipped(&reason);
        return;
    }
    let rules = "groups:\n- name: gaps\n  interval: 1m\n  rules:\n  - alert: GaugeHigh\n    expr: g > 10\n    for: 5m\n    labels:\n      severity: warning\n";
    let mut test = format!(
        "rule_files: [rules.yml]\nevaluation_interval: 1m\ntests:\n- interval: 1m\n  input_series:\n  - series: g\n    values: '{SERIES}'\n  promql_expr_test:\n"
    );
    for (m, state) in states.iter().enumerate() {
        write!(
            test,
            "  - expr: ALERTS\n    eval_time: {m}m\n    exp_samples:"
        )
        .unwrap();
        match state {
            None => test.push_str(" []\n"),
            Some(s) => {
                let s = if *s == AlertState::Firing {
                    "firing"
                } else {
                    "pending"
                };
                write!(
                    test,
                    "\n    - labels: 'ALERTS{{alertname=\"GaugeHigh\",alertstate=\"{s}\",severity=\"warning\"}}'\n      value: 1\n"
                )
                .unwrap();
            }
        }
    }
    let (code, out) = prom::promtool_in_dir(
        &["test", "rules", "test.yml"],
        &[("rules.yml", rules), ("test.yml", &test)],
    );
    assert_eq!(
        code, 0,
        "promtool disagrees with the engine:\n{out}\n{test}"
    );
}
