//! [`EngineConfig`]: the alert engine's limits, lookback and SLO alert naming.

use super::rule::Severity;
use std::time::Duration;

/// Engine limits.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// Series whose previous cumulative value is remembered. Defaults to 100 000.
    pub max_series: usize,
    /// Label sets (groups) per rule. Defaults to 10 000.
    pub max_groups_per_rule: usize,
    /// Events kept for listing and acknowledgement. Defaults to 1 000.
    pub max_events: usize,
    /// A series unseen for this long is forgotten. Defaults to 1 h.
    pub series_ttl: Duration,
    /// Cooldown of SLO burn-rate alerts. Defaults to 15 m.
    pub slo_cooldown: Duration,
    /// Prometheus' lookback delta: an evaluation that finds no sample for a gauge rule's
    /// label set uses the last sample seen within this long (`now - t <= lookback`, the
    /// closed interval of Prometheus 2.x and `promtool` 2.42; Prometheus 3 leaves the
    /// boundary out), and the label set is stale (no value) after it. A scrape or export gap
    /// up to this long does not reset a pending alert. Zero disables it. Defaults to 5 m
    /// (`--query.lookback-delta`).
    pub lookback: Duration,
    /// `severity` label of SLO page alerts (routed as [`Severity::Critical`]), e.g. `page`.
    /// Defaults to `critical`.
    pub slo_page_severity: String,
    /// `severity` label of SLO ticket alerts (routed as [`Severity::Warning`]), e.g. `ticket`.
    /// Defaults to `warning`.
    pub slo_ticket_severity: String,
}

impl EngineConfig {
    /// Names the `severity` label of SLO page and ticket alerts (`("page", "ticket")`, or the
    /// default `("critical", "warning")`); routing still treats them as critical and warning.
    #[must_use]
    pub fn slo_severity_names(
        mut self,
        page: impl Into<String>,
        ticket: impl Into<String>,
    ) -> Self {
        self.slo_page_severity = page.into();
        self.slo_ticket_severity = ticket.into();
        self
    }
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            max_series: 100_000,
            max_groups_per_rule: 10_000,
            max_events: 1_000,
            series_ttl: Duration::from_secs(3600),
            slo_cooldown: Duration::from_secs(15 * 60),
            lookback: Duration::from_secs(5 * 60),
            slo_page_severity: Severity::Critical.as_str().to_owned(),
            slo_ticket_severity: Severity::Warning.as_str().to_owned(),
        }
    }
}
