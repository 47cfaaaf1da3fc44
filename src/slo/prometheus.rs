//! SLOs as Prometheus rules: recording and multiwindow burn-rate alerting rules in the style
//! of Sloth and Pyrra, generated from a [`SloDefinition`], for teams whose alerting lives in
//! Prometheus.
//!
//! For every distinct window of the SLO's burn-rate conditions (and for a rolling compliance
//! window) a recording rule `slo:sli_error:ratio_rate<W>` holds the error ratio
//! `(errors over W) / (total over W)`, from the queries given with `{{.window}}` where the
//! range goes (Sloth's placeholder). Metadata rules hold the objective, the budget and the
//! period. One alert per severity, named and labelled as the in-process engine's
//! ([`crate::alert::AlertEngine::evaluate_slos`]: `alertname=slo_burn_rate`, `slo`, `burn`,
//! `severity`), ORs that severity's conditions, each requiring both windows strictly above
//! `factor * B`, with no `for` — the same decision as [`super::BurnRateRule::exceeded`].
//! With `sum(rate(...))` queries the ratio over `W` is the ratio of the counters' increases
//! (rate's extrapolation cancels out when both series are scraped together), as the
//! in-process window counts are.
//!
//! The YAML is written by hand (every string as a double-quoted scalar, every expression as
//! a literal block), so no YAML library is needed; `promtool check rules` accepts it (see
//! `tests/slo_rules_run_in_promtool.rs`).
//!
//! ```
//! use telemetra::slo::{prometheus::PrometheusSli, SloDefinition};
//! let slo = SloDefinition::builder("api.availability").target_percent(99.9).build()?;
//! let sli = PrometheusSli::new(
//!     r#"sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))"#,
//!     "sum(rate(http_requests_total[{{.window}}]))",
//! );
//! let yaml = sli.rules(&slo)?;
//! assert!(yaml.contains("record: \"slo:sli_error:ratio_rate5m\""));
//! assert!(yaml.contains("> (14.4 * 0.001)"));
//! # Ok::<(), telemetra::slo::SloError>(())
//! ```

use super::burn::BurnSeverity;
use super::definition::{SloDefinition, Window};
use super::duration::format_duration;
use super::SloError;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::Duration;

/// The placeholder replaced by each window in the SLI queries (Sloth's).
pub const WINDOW_PLACEHOLDER: &str = "{{.window}}";

/// How to compute the SLI in PromQL, and how to name the alerts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrometheusSli {
    /// Bad events over `{{.window}}`, e.g. `sum(rate(errors_total[{{.window}}]))`.
    pub errors: String,
    /// All events over `{{.window}}`.
    pub total: String,
    /// `severity` label of page alerts. Defaults to `critical`, as the engine.
    pub page_severity: String,
    /// `severity` label of ticket alerts. Defaults to `warning`, as the engine.
    pub ticket_severity: String,
    /// Evaluation interval of the generated groups. Defaults to 1 m.
    pub interval: Duration,
}

impl PrometheusSli {
    /// An SLI from its error and total queries (each must contain `{{.window}}`).
    pub fn new(errors: impl Into<String>, total: impl Into<String>) -> Self {
        Self {
            errors: errors.into(),
            total: total.into(),
            page_severity: "critical".to_owned(),
            ticket_severity: "warning".to_owned(),
            interval: Duration::from_secs(60),
        }
    }

    /// Names the `severity` label of page and ticket alerts (e.g. `page`, `ticket`).
    /// Defaults to `critical` and `warning`.
    #[must_use]
    pub fn severity_names(mut self, page: impl Into<String>, ticket: impl Into<String>) -> Self {
        self.page_severity = page.into();
        self.ticket_severity = ticket.into();
        self
    }

    /// Evaluation interval of the rule groups. Defaults to 1 m.
    #[must_use]
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// The rules file (`groups:` YAML) for `slo`.
    ///
    /// # Errors
    /// [`SloError::InvalidField`] naming `errors` / `total` (no `{{.window}}`),
    /// `page_severity` / `ticket_severity` (empty), `interval` (below 1 s) or
    /// `budgeting` (time-slice SLOs have no direct PromQL form).
    pub fn rules(&self, slo: &SloDefinition) -> Result<String, SloError> {
        for (field, query) in [("errors", &self.errors), ("total", &self.total)] {
            if !query.contains(WINDOW_PLACEHOLDER) {
                return Err(SloError::invalid(field, "must contain {{.window}}"));
            }
        }
        for (field, name) in [
            ("page_severity", &self.page_severity),
            ("ticket_severity", &self.ticket_severity),
        ] {
            if name.trim().is_empty() {
                return Err(SloError::invalid(field, "must not be empty"));
            }
        }
        if self.interval < Duration::from_secs(1) {
            return Err(SloError::invalid("interval", "must be at least 1s"));
        }
        if slo.budgeting.slice().is_some() {
            return Err(SloError::invalid(
                "budgeting",
                "only occurrence (event) SLOs can be exported as Prometheus rules",
            ));
        }
        let mut windows: BTreeSet<Duration> = BTreeSet::new();
        for r in &slo.burn_alerts {
            windows.insert(r.long);
            windows.insert(r.short);
        }
        if let Window::Rolling(d) = slo.window {
            windows.insert(d);
        }
        let name = &slo.name;
        let ident = q(name);
        let interval = format_duration(self.interval);
        let mut out = String::from("groups:\n");
        // SLI recordings.
        // One group: its rules run in order, so the alerts read the ratios recorded at the
        // same evaluation (separate groups may lag by an interval).
        group(&mut out, &format!("telemetra-slo-{name}"), &interval);
        for w in &windows {
            let w = format_duration(*w);
            let sub = |query: &str| query.replace(WINDOW_PLACEHOLDER, &w);
            let expr = format!("({})\n/\n({})", sub(&self.errors), sub(&self.total));
            record(
                &mut out,
                &format!("slo:sli_error:ratio_rate{w}"),
                &expr,
                &[("telemetra_slo", name), ("telemetra_window", &w)],
            );
        }
        // Metadata.
        let budget = slo.target.budget().to_exact_string();
        let days = slo.window.nominal_length().as_secs_f64() / 86_400.0;
        let labels = [("telemetra_slo", name.as_str())];
        let objective = slo.target.ratio().to_exact_string();
        record(
            &mut out,
            "slo:objective:ratio",
            &format!("vector({objective})"),
            &labels,
        );
        record(
            &mut out,
            "slo:error_budget:ratio",
            &format!("vector({budget})"),
            &labels,
        );
        record(
            &mut out,
            "slo:time_period:days",
            &format!("vector({days})"),
            &labels,
        );
        if let Window::Rolling(d) = slo.window {
            // Remaining budget over the rolling window, 1 - consumed (negative when overspent).
            let expr = format!(
                "1 - slo:sli_error:ratio_rate{}{{telemetra_slo={ident}}} / {budget}",
                format_duration(d)
            );
            record(
                &mut out,
                "slo:period_error_budget_remaining:ratio",
                &expr,
                &labels,
            );
        }
        // Alerts.
        for severity in [BurnSeverity::Page, BurnSeverity::Ticket] {
            let conditions: Vec<String> = slo
                .burn_alerts
                .iter()
                .filter(|r| r.severity == severity)
                .map(|r| {
                    let threshold = format!("({} * {budget})", r.factor.to_exact_string());
                    let side = |w: Duration| {
                        format!(
                            "max(slo:sli_error:ratio_rate{}{{telemetra_slo={ident}}} > {threshold}) without (telemetra_window)",
                            format_duration(w)
                        )
                    };
                    format!("(\n  {}\n  and\n  {}\n)", side(r.short), side(r.long))
                })
                .collect();
            if conditions.is_empty() {
                continue;
            }
            let severity_label = match severity {
                BurnSeverity::Page => &self.page_severity,
                BurnSeverity::Ticket => &self.ticket_severity,
            };
            out.push_str("  - alert: \"slo_burn_rate\"\n    expr: |\n");
            block(&mut out, &conditions.join("\nor\n"));
            out.push_str("    labels:\n");
            for (k, v) in [
                ("slo", name.as_str()),
                ("burn", severity.as_str()),
                ("severity", severity_label.as_str()),
            ] {
                let _ = writeln!(out, "      {k}: {}", q(v));
            }
            let _ = writeln!(
                out,
                "    annotations:\n      summary: {}",
                q(&format!(
                    "{name} error budget burns too fast ({})",
                    severity.as_str()
                ))
            );
        }
        Ok(out)
    }
}

/// A double-quoted YAML scalar (a JSON string is one) — also a valid PromQL string.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

fn group(out: &mut String, name: &str, interval: &str) {
    let _ = writeln!(out, "- name: {}\n  interval: {interval}\n  rules:", q(name));
}

fn block(out: &mut String, text: &str) {
    for line in text.lines() {
        let _ = writeln!(out, "      {line}");
    }
}

fn record(out: &mut String, name: &str, expr: &str, labels: &[(&str, &str)]) {
    let _ = writeln!(out, "  - record: {}\n    expr: |", q(name));
    block(out, expr);
    out.push_str("    labels:\n");
    for (k, v) in labels {
        let _ = writeln!(out, "      {k}: {}", q(v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_carry_the_exact_thresholds_and_refuse_bad_input() {
        let slo = SloDefinition::builder("api")
            .target_percent(99.95)
            .build()
            .unwrap_or_else(|e| unreachable!("{e}"));
        let sli = PrometheusSli::new("sum(rate(e[{{.window}}]))", "sum(rate(t[{{.window}}]))")
            .severity_names("page", "ticket");
        let yaml = sli.rules(&slo).unwrap_or_default();
        // 14.4 and 6 page, 1 tickets; the budget of 99.95% is exactly 0.0005.
        for want in [
            "> (14.4 * 0.0005)",
            "> (6 * 0.0005)",
            "> (1 * 0.0005)",
            "vector(0.9995)",
            "record: \"slo:sli_error:ratio_rate3d\"",
            "(sum(rate(e[30m])))\n      /\n      (sum(rate(t[30m])))",
            "severity: \"page\"",
            "severity: \"ticket\"",
        ] {
            assert!(yaml.contains(want), "{want} missing from\n{yaml}");
        }
        let bad = PrometheusSli::new("sum(rate(e[5m]))", "t{{.window}}").rules(&slo);
        assert!(matches!(bad, Err(SloError::InvalidField { field, .. }) if field == "errors"));
    }
}
