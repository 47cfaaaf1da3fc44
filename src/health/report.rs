//! Health reports: the internal view, the public view and their gauges.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{GaugeSink, Status, COMPONENT_LATENCY_GAUGE, COMPONENT_STATUS_GAUGE, STATUS_GAUGE};

/// One component's result in the internal view.
///
/// JSON keys are camelCase (`latencyMs`, `lastChecked`), matching the health endpoints the
/// services serve today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentHealth {
    /// Component name.
    pub name: String,
    /// Component status (latency threshold and timeout already applied).
    pub status: Status,
    /// How long the check took, or how long it was waited for if it timed out.
    pub latency_ms: u64,
    /// When this result was determined (the run's timestamp).
    pub last_checked: DateTime<Utc>,
    /// Detail from the check, the timeout, the panic or the latency threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The internal (full) health view. Serve it only behind authentication.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use telemetra::health::{HealthChecker, Status};
///
/// # fn main() -> Result<(), telemetra::health::HealthError> {
/// let checker = HealthChecker::builder().version("1.0.0").environment("test").build()?;
/// let report = checker.run_at(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default());
/// assert_eq!(report.status, Status::Ok);
/// let json = serde_json::to_value(&report).unwrap_or_default();
/// assert_eq!(json["timestamp"], "2026-01-01T00:00:00Z");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthReport {
    /// Overall status: the worst component status.
    pub status: Status,
    /// Service version.
    pub version: String,
    /// Deployment environment.
    pub environment: String,
    /// When the run started.
    pub timestamp: DateTime<Utc>,
    /// Per-component results, in registration order.
    pub components: Vec<ComponentHealth>,
    /// Runtime switch states, when the checker was given a switch registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switches: Option<BTreeMap<String, bool>>,
}

/// The public health view for load balancers: status, version, timestamp and environment
/// only. It has no field able to carry component names, messages or switch states.
///
/// ```
/// use telemetra::health::{PublicHealth, Status};
/// let public = PublicHealth {
///     status: Status::Ok,
///     version: "1.0.0".into(),
///     timestamp: chrono::DateTime::UNIX_EPOCH,
///     environment: "production".into(),
/// };
/// let json = serde_json::to_string(&public).unwrap_or_default();
/// assert_eq!(
///     json,
///     r#"{"status":"ok","version":"1.0.0","timestamp":"1970-01-01T00:00:00Z","environment":"production"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicHealth {
    /// Overall status.
    pub status: Status,
    /// Service version.
    pub version: String,
    /// When the status was determined.
    pub timestamp: DateTime<Utc>,
    /// Deployment environment.
    pub environment: String,
}

/// One gauge derived from a report: metric name, value and tags.
#[derive(Debug, Clone, PartialEq)]
pub struct Gauge {
    /// Metric name, one of the `*_GAUGE` constants in [`crate::health`].
    pub name: &'static str,
    /// Gauge value.
    pub value: f64,
    /// Tags, e.g. `[("component", "database")]`.
    pub tags: Vec<(&'static str, String)>,
}

impl HealthReport {
    /// The public view of this report.
    #[must_use]
    pub fn public(&self) -> PublicHealth {
        PublicHealth {
            status: self.status,
            version: self.version.clone(),
            timestamp: self.timestamp,
            environment: self.environment.clone(),
        }
    }

    /// The result for one component.
    #[must_use]
    pub fn component(&self, name: &str) -> Option<&ComponentHealth> {
        self.components.iter().find(|c| c.name == name)
    }

    /// Gauges for alert rules: `health.status` (untagged) and, per component,
    /// `health.component.status` (0 ok / 1 degraded / 2 error) and
    /// `health.component.latency_ms`, both tagged `component=<name>`.
    ///
    /// ```
    /// use telemetra::health::{HealthChecker, STATUS_GAUGE};
    /// # fn main() -> Result<(), telemetra::health::HealthError> {
    /// let report = HealthChecker::builder().build()?.run();
    /// let gauges = report.gauges();
    /// assert_eq!(gauges.len(), 1);
    /// assert_eq!(gauges.first().map(|g| g.name), Some(STATUS_GAUGE));
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn gauges(&self) -> Vec<Gauge> {
        let mut out = Vec::with_capacity(1 + 2 * self.components.len());
        out.push(Gauge {
            name: STATUS_GAUGE,
            value: self.status.gauge_value(),
            tags: Vec::new(),
        });
        for c in &self.components {
            out.push(Gauge {
                name: COMPONENT_STATUS_GAUGE,
                value: c.status.gauge_value(),
                tags: vec![("component", c.name.clone())],
            });
            // Millisecond latencies stay far below 2^53, so the conversion is exact.
            #[allow(clippy::cast_precision_loss)]
            let latency = c.latency_ms as f64;
            out.push(Gauge {
                name: COMPONENT_LATENCY_GAUGE,
                value: latency,
                tags: vec![("component", c.name.clone())],
            });
        }
        out
    }

    /// Sends [`gauges`](Self::gauges) to a sink.
    pub fn emit(&self, sink: &dyn GaugeSink) {
        for g in self.gauges() {
            let tags: Vec<(&str, &str)> = g.tags.iter().map(|(k, v)| (*k, v.as_str())).collect();
            sink.gauge(g.name, g.value, &tags);
        }
    }
}
