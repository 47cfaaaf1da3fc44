//! SLO definitions: indicator, target, window; builder and JSON configuration.

use super::burn::{BurnRateRule, BurnRateSpec};
use super::duration::{format_duration, parse_duration};
use super::target::Target;
use super::timeslice::{BudgetingMethod, BudgetingSpec};
use super::SloError;
use chrono::{DateTime, Datelike, Duration as ChronoDuration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What counts as a good event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Indicator {
    /// Request-based availability: good = successful events, total = all events.
    Availability,
    /// Latency: good = events that completed in at most `threshold` ("95% under 300 ms").
    Latency {
        /// The latency an event must not exceed to be good (inclusive).
        #[serde(with = "super::duration::serde_str")]
        threshold: Duration,
    },
}

/// The compliance window an SLO is measured over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// The last `Duration` before `now` (e.g. 30 days).
    Rolling(Duration),
    /// The current calendar month, UTC (from the 1st 00:00 to `now`).
    CalendarMonth,
    /// The current ISO week, UTC (from Monday 00:00 to `now`).
    CalendarWeek,
}

impl Window {
    /// A rolling window of `days` days.
    pub fn rolling_days(days: u64) -> Self {
        Self::Rolling(Duration::from_secs(days.saturating_mul(86_400)))
    }

    /// Parses `"30d"`-style rolling windows, `"month"` and `"week"`.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim() {
            "month" | "calendar_month" => Ok(Self::CalendarMonth),
            "week" | "calendar_week" => Ok(Self::CalendarWeek),
            other => {
                let d = parse_duration(other)?;
                if d.as_secs() < 60 || d.as_millis() % 60_000 != 0 {
                    return Err("a rolling window must be a whole number of minutes".to_owned());
                }
                if d > Duration::from_secs(400 * 86_400) {
                    return Err("a rolling window must be at most 400d".to_owned());
                }
                Ok(Self::Rolling(d))
            }
        }
    }

    /// The window's period containing `now`: `(start, end)`. Rolling: `(now - d, now)`;
    /// calendar: the whole month or week (end exclusive), so the period's length is exact.
    pub fn period(&self, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        match *self {
            Self::Rolling(d) => {
                let d = ChronoDuration::from_std(d).unwrap_or(ChronoDuration::zero());
                (now - d, now)
            }
            Self::CalendarMonth => {
                let start = month_start(now.year(), now.month()).unwrap_or(now);
                let (y, m) = if now.month() == 12 {
                    (now.year() + 1, 1)
                } else {
                    (now.year(), now.month() + 1)
                };
                (start, month_start(y, m).unwrap_or(now))
            }
            Self::CalendarWeek => {
                let days = i64::from(now.weekday().num_days_from_monday());
                let midnight = now
                    .date_naive()
                    .and_hms_opt(0, 0, 0)
                    .map(|n| Utc.from_utc_datetime(&n))
                    .unwrap_or(now);
                let start = midnight - ChronoDuration::days(days);
                (start, start + ChronoDuration::days(7))
            }
        }
    }

    /// Length of the period containing `now` (a calendar month is 28–31 days).
    pub fn period_length(&self, now: DateTime<Utc>) -> Duration {
        let (start, end) = self.period(now);
        (end - start).to_std().unwrap_or(Duration::ZERO)
    }

    /// Nominal length used to derive burn-rate factors: rolling = its length, month = 30 d,
    /// week = 7 d.
    pub fn nominal_length(&self) -> Duration {
        match *self {
            Self::Rolling(d) => d,
            Self::CalendarMonth => Duration::from_secs(30 * 86_400),
            Self::CalendarWeek => Duration::from_secs(7 * 86_400),
        }
    }

    /// Start of the span whose events count toward the budget at `now`.
    pub fn counting_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.period(now).0
    }
}

fn month_start(year: i32, month: u32) -> Option<DateTime<Utc>> {
    NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|n| Utc.from_utc_datetime(&n))
}

impl Serialize for Window {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Rolling(d) => s.serialize_str(&format_duration(*d)),
            Self::CalendarMonth => s.serialize_str("month"),
            Self::CalendarWeek => s.serialize_str("week"),
        }
    }
}

/// A validated service level objective.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SloDefinition {
    /// Unique name, e.g. `chat.delivery.availability`.
    pub name: String,
    /// Free text for reports and alerts.
    pub description: String,
    /// What counts as good.
    pub indicator: Indicator,
    /// Objective, exact (parts per million).
    pub target: Target,
    /// Compliance window.
    pub window: Window,
    /// Multiwindow, multi-burn-rate alert conditions (defaults: the SRE workbook's three).
    pub burn_alerts: Vec<BurnRateRule>,
    /// Window of the "current" burn rate used for time-to-exhaustion. Defaults to 1 h.
    #[serde(with = "super::duration::serde_str")]
    pub current_burn_window: Duration,
    /// What the budget counts: events (the default) or time slices.
    pub budgeting: BudgetingMethod,
}

impl SloDefinition {
    /// Starts a builder for an SLO named `name`.
    pub fn builder(name: impl Into<String>) -> SloBuilder {
        SloBuilder {
            spec: SloSpec {
                name: name.into(),
                description: None,
                indicator: Indicator::Availability,
                target: f64::NAN,
                window: "30d".to_owned(),
                burn_alerts: None,
                current_burn_window: None,
                budgeting: None,
            },
            target_ppm: None,
        }
    }

    /// Parses and validates one SLO from a JSON object (see [`SloSpec`] for the fields).
    pub fn from_json(text: &str) -> Result<Self, SloError> {
        let spec: SloSpec = serde_json::from_str(text)?;
        spec.validate("")
    }

    /// Parses and validates `{"slos": [ ... ]}`; errors name the field, e.g. `slos[1].target`.
    pub fn list_from_json(text: &str) -> Result<Vec<Self>, SloError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            slos: Vec<SloSpec>,
        }
        let file: File = serde_json::from_str(text)?;
        let mut out: Vec<Self> = Vec::with_capacity(file.slos.len());
        for (i, spec) in file.slos.into_iter().enumerate() {
            let slo = spec.validate(&format!("slos[{i}]."))?;
            if out.iter().any(|s| s.name == slo.name) {
                return Err(SloError::invalid(
                    format!("slos[{i}].name"),
                    format!("duplicate name `{}`", slo.name),
                ));
            }
            out.push(slo);
        }
        Ok(out)
    }
}

/// The JSON shape of one SLO, before validation.
///
/// ```json
/// {"name": "chat.delivery.latency", "indicator": {"type": "latency", "threshold": "300ms"},
///  "target": 95, "window": "30d",
///  "burn_alerts": [{"severity": "page", "long": "1h", "short": "5m", "factor": 14.4}]}
/// ```
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SloSpec {
    /// Unique, non-empty name.
    pub name: String,
    /// Optional description.
    #[serde(default)]
    pub description: Option<String>,
    /// `{"type": "availability"}` or `{"type": "latency", "threshold": "300ms"}`.
    pub indicator: Indicator,
    /// Target in percent, above 0 and below 100, at most four decimals (`99.95`).
    pub target: f64,
    /// `"30d"` (rolling, whole minutes, at most 400d), `"month"` or `"week"` (calendar, UTC).
    pub window: String,
    /// Burn-rate alert conditions; absent = the workbook defaults, `[]` = none.
    #[serde(default)]
    pub burn_alerts: Option<Vec<BurnRateSpec>>,
    /// Window of the current burn rate (default `"1h"`).
    #[serde(default)]
    pub current_burn_window: Option<String>,
    /// Budgeting method (default occurrences): `{"method": "timeslices", "slice": "1m",
    /// "slice_target": 0.99}` or `{"method": "ratio_timeslices", "slice": "1m"}`.
    #[serde(default)]
    pub budgeting: Option<BudgetingSpec>,
}

impl SloSpec {
    /// Validates into a definition; `prefix` is prepended to field names in errors.
    pub fn validate(self, prefix: &str) -> Result<SloDefinition, SloError> {
        let field = |f: &str| format!("{prefix}{f}");
        if self.name.trim().is_empty() {
            return Err(SloError::invalid(field("name"), "must not be empty"));
        }
        let target = Target::from_percent(self.target)
            .map_err(|reason| SloError::invalid(field("target"), reason))?;
        let window =
            Window::parse(&self.window).map_err(|r| SloError::invalid(field("window"), r))?;
        if let Indicator::Latency { threshold } = &self.indicator {
            if threshold.is_zero() {
                return Err(SloError::invalid(
                    field("indicator.threshold"),
                    "must be greater than zero",
                ));
            }
        }
        let burn_alerts = match self.burn_alerts {
            None => BurnRateRule::workbook_defaults(),
            Some(specs) => specs
                .into_iter()
                .enumerate()
                .map(|(i, s)| s.validate(&field(&format!("burn_alerts[{i}]."))))
                .collect::<Result<Vec<_>, _>>()?,
        };
        let current_burn_window = match self.current_burn_window {
            None => Duration::from_secs(3600),
            Some(text) => parse_duration(&text)
                .ok()
                .filter(|d| d.as_secs() >= 60)
                .ok_or_else(|| {
                    SloError::invalid(
                        field("current_burn_window"),
                        "must be a duration of at least 1m",
                    )
                })?,
        };
        let budgeting = match self.budgeting {
            None => BudgetingMethod::Occurrences,
            Some(spec) => spec.validate(prefix)?,
        };
        Ok(SloDefinition {
            budgeting,
            name: self.name,
            description: self.description.unwrap_or_default(),
            indicator: self.indicator,
            target,
            window,
            burn_alerts,
            current_burn_window,
        })
    }
}

/// Builder for [`SloDefinition`]; setters are infallible, [`SloBuilder::build`] validates.
#[derive(Clone, Debug)]
pub struct SloBuilder {
    spec: SloSpec,
    target_ppm: Option<u32>,
}

impl SloBuilder {
    /// Free-text description. Defaults to empty.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.spec.description = Some(text.into());
        self
    }

    /// Availability indicator (good / total events). Defaults to availability.
    pub fn availability(mut self) -> Self {
        self.spec.indicator = Indicator::Availability;
        self
    }

    /// Latency indicator: good = at most `threshold`. Defaults to availability.
    pub fn latency(mut self, threshold: Duration) -> Self {
        self.spec.indicator = Indicator::Latency { threshold };
        self
    }

    /// Target in percent (`99.9`). Required (no default).
    pub fn target_percent(mut self, percent: f64) -> Self {
        self.spec.target = percent;
        self.target_ppm = None;
        self
    }

    /// Target in parts per million (`999_000`), exact. Required (no default).
    pub fn target_ppm(mut self, ppm: u32) -> Self {
        self.target_ppm = Some(ppm);
        self
    }

    /// Compliance window. Defaults to a rolling 30 days.
    pub fn window(mut self, window: Window) -> Self {
        self.spec.window = match window {
            Window::Rolling(d) => format_duration(d),
            Window::CalendarMonth => "month".to_owned(),
            Window::CalendarWeek => "week".to_owned(),
        };
        self
    }

    /// Burn-rate alert conditions. Defaults to [`BurnRateRule::workbook_defaults`].
    pub fn burn_alerts(mut self, rules: Vec<BurnRateRule>) -> Self {
        self.spec.burn_alerts = Some(rules.into_iter().map(BurnRateSpec::from).collect());
        self
    }

    /// What the budget counts: events or time slices (see [`BudgetingMethod`]). Defaults to
    /// [`BudgetingMethod::Occurrences`].
    pub fn budgeting(mut self, method: BudgetingMethod) -> Self {
        self.spec.budgeting = Some(method.into());
        self
    }

    /// Window of the current burn rate. Defaults to 1 h.
    pub fn current_burn_window(mut self, window: Duration) -> Self {
        self.spec.current_burn_window = Some(format_duration(window));
        self
    }

    /// Validates and builds; errors name the field (`target`, `window`, ...).
    pub fn build(mut self) -> Result<SloDefinition, SloError> {
        if let Some(ppm) = self.target_ppm {
            let target = Target::from_ppm(ppm).ok_or_else(|| {
                SloError::invalid(
                    "target",
                    format!("{ppm} ppm is not above 0 and below 1000000"),
                )
            })?;
            self.spec.target = target.percent();
            let mut slo = self.spec.validate("")?;
            slo.target = target;
            return Ok(slo);
        }
        if self.spec.target.is_nan() {
            return Err(SloError::invalid("target", "is required"));
        }
        self.spec.validate("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn calendar_periods_and_rolling_parse() {
        // December rolls into the next year; the period is the whole month.
        let (s, e) = Window::CalendarMonth.period(at(2026, 12, 15, 10));
        assert_eq!((s, e), (at(2026, 12, 1, 0), at(2027, 1, 1, 0)));
        assert_eq!(
            Window::CalendarMonth
                .period_length(at(2028, 2, 10, 0))
                .as_secs(),
            29 * 86_400
        );
        // 2026-03-12 is a Thursday: the ISO week starts Monday 2026-03-09.
        let (s, e) = Window::CalendarWeek.period(at(2026, 3, 12, 18));
        assert_eq!((s, e), (at(2026, 3, 9, 0), at(2026, 3, 16, 0)));
        assert_eq!(Window::parse("30d"), Ok(Window::rolling_days(30)));
        assert_eq!(Window::parse("week"), Ok(Window::CalendarWeek));
        assert!(Window::parse("90s").is_err());
        assert_eq!(Window::parse("365d"), Ok(Window::rolling_days(365)));
        assert_eq!(Window::parse("400d"), Ok(Window::rolling_days(400)));
        assert!(Window::parse("401d").is_err());
        assert_eq!(
            Window::CalendarMonth.nominal_length().as_secs(),
            30 * 86_400
        );
    }
}
