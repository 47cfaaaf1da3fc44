//! Bounded per-group window history for one rule.
//!
//! Each evaluation contributes one [`Sample`] per group (the matching series combined). Samples
//! are merged into buckets `max(window / 120, 1 s)` wide, so a group keeps at most
//! [`MAX_BUCKETS`] buckets whatever the evaluation rate or traffic. A bucket is in the window
//! while its latest sample is newer than `now - window` (Prometheus' `(now - W, now]`): exact
//! when evaluations are at least one bucket apart, otherwise off by at most 1/120 of the window.

use super::rule::Aggregation;
use std::collections::VecDeque;
use std::time::Duration;

/// Most buckets a group keeps.
pub(crate) const MAX_BUCKETS: usize = 128;

/// Which kind of series fed a group (decides what sum/count/avg mean).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Kind {
    #[default]
    Counter,
    Gauge,
    Timing,
}

/// One evaluation's combined value for a group.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sample {
    pub(crate) kind: Kind,
    /// Counter increase or timing count increase (errors for error ratio).
    pub(crate) delta: f64,
    /// Timing sum increase.
    pub(crate) delta_sum: f64,
    /// Sum of gauge values.
    pub(crate) gauge: f64,
    /// Largest interval quantiles among the group's timing series (NaN if none).
    pub(crate) q: [f64; 3],
    /// Error-ratio denominator increase.
    pub(crate) total: f64,
}

impl Default for Sample {
    fn default() -> Self {
        Self {
            kind: Kind::Counter,
            delta: 0.0,
            delta_sum: 0.0,
            gauge: 0.0,
            q: [f64::NAN; 3],
            total: 0.0,
        }
    }
}

impl Sample {
    /// The per-evaluation value used by min/max/avg.
    fn value(&self) -> Option<f64> {
        match self.kind {
            Kind::Counter => Some(self.delta),
            Kind::Gauge => Some(self.gauge),
            Kind::Timing => (self.delta > 0.0).then(|| self.delta_sum / self.delta),
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    index: i64,
    last_ms: i64,
    samples: u64,
    delta: f64,
    delta_sum: f64,
    values: u64,
    value_sum: f64,
    min: f64,
    max: f64,
    q: [f64; 3],
    total: f64,
}

/// Window history of one group of one rule.
#[derive(Clone, Debug)]
pub(crate) struct GroupHistory {
    kind: Kind,
    width_ms: i64,
    buckets: VecDeque<Bucket>,
    /// The last gauge sample that came from a snapshot, for the lookback.
    last_gauge: Option<(i64, Sample)>,
}

fn fmax(a: f64, b: f64) -> f64 {
    // f64::max ignores NaN on either side.
    a.max(b)
}

impl GroupHistory {
    pub(crate) fn new(window: Duration) -> Self {
        let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
        Self {
            kind: Kind::Counter,
            width_ms: (window_ms / 120).max(1000),
            buckets: VecDeque::new(),
            last_gauge: None,
        }
    }

    /// Adds a sample taken from a snapshot (remembered for the gauge lookback).
    pub(crate) fn push_observed(&mut self, now_ms: i64, s: &Sample) {
        if s.kind == Kind::Gauge {
            self.last_gauge = Some((now_ms, *s));
        }
        self.push(now_ms, s);
    }

    /// Prometheus' lookback for an evaluation without a sample: a gauge group's last observed
    /// sample is used again while it is at most `lookback` old (`now - t <= lookback`, as
    /// Prometheus 2.x), then it is stale. Counters and timings are never carried (their
    /// increases would count twice).
    pub(crate) fn carry(&mut self, now_ms: i64, lookback_ms: i64) -> bool {
        match self.last_gauge {
            Some((t, sample)) if now_ms > t && now_ms - t <= lookback_ms && lookback_ms > 0 => {
                self.push(now_ms, &sample);
                true
            }
            _ => false,
        }
    }

    fn push(&mut self, now_ms: i64, s: &Sample) {
        self.kind = s.kind;
        let index = now_ms.div_euclid(self.width_ms);
        let value = s.value();
        let needs_new = self.buckets.back().is_none_or(|b| b.index != index);
        if needs_new {
            if self.buckets.back().is_some_and(|b| b.index > index) {
                return; // time went backwards: ignore the sample
            }
            if self.buckets.len() >= MAX_BUCKETS {
                self.buckets.pop_front();
            }
            self.buckets.push_back(Bucket {
                index,
                last_ms: now_ms,
                samples: 0,
                delta: 0.0,
                delta_sum: 0.0,
                values: 0,
                value_sum: 0.0,
                min: f64::NAN,
                max: f64::NAN,
                q: [f64::NAN; 3],
                total: 0.0,
            });
        }
        if let Some(b) = self.buckets.back_mut() {
            b.last_ms = now_ms;
            b.samples += 1;
            b.delta += s.delta;
            b.delta_sum += s.delta_sum;
            b.total += s.total;
            if let Some(v) = value {
                b.values += 1;
                b.value_sum += v;
                b.min = b.min.min(v);
                b.max = fmax(b.max, v);
            }
            for (dst, src) in b.q.iter_mut().zip(s.q) {
                *dst = fmax(*dst, src);
            }
        }
    }

    /// Drops buckets outside the window; true when nothing is left.
    pub(crate) fn expire(&mut self, now_ms: i64, window: Duration) -> bool {
        let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
        let cutoff = now_ms.saturating_sub(window_ms);
        while self.buckets.front().is_some_and(|b| b.last_ms <= cutoff) {
            self.buckets.pop_front();
        }
        self.buckets.is_empty()
    }

    /// The aggregated value over the window (call [`GroupHistory::expire`] first); `None` when
    /// undefined (no samples, no total for a ratio, quantile of a non-timing series).
    pub(crate) fn aggregate(&self, agg: &Aggregation, window: Duration) -> Option<f64> {
        if self.buckets.is_empty() {
            return None;
        }
        let mut delta = 0.0;
        let mut delta_sum = 0.0;
        let mut samples = 0u64;
        let mut values = 0u64;
        let mut value_sum = 0.0;
        let mut min = f64::NAN;
        let mut max = f64::NAN;
        let mut q = [f64::NAN; 3];
        let mut total = 0.0;
        for b in &self.buckets {
            delta += b.delta;
            delta_sum += b.delta_sum;
            samples += b.samples;
            values += b.values;
            value_sum += b.value_sum;
            min = min.min(b.min);
            max = fmax(max, b.max);
            total += b.total;
            for (dst, src) in q.iter_mut().zip(b.q) {
                *dst = fmax(*dst, src);
            }
        }
        let some = |v: f64| (!v.is_nan()).then_some(v);
        let secs = window.as_secs_f64();
        let quantile = |i: usize| match self.kind {
            Kind::Timing => q.get(i).copied().and_then(some),
            _ => None,
        };
        match agg {
            Aggregation::Sum => Some(match self.kind {
                Kind::Counter => delta,
                Kind::Gauge => value_sum,
                Kind::Timing => delta_sum,
            }),
            Aggregation::Count => Some(match self.kind {
                Kind::Counter | Kind::Timing => delta,
                Kind::Gauge => values as f64,
            }),
            Aggregation::Avg => match self.kind {
                Kind::Counter => (samples > 0).then(|| delta / samples as f64),
                Kind::Gauge => (values > 0).then(|| value_sum / values as f64),
                Kind::Timing => (delta > 0.0).then(|| delta_sum / delta),
            },
            Aggregation::Min => some(min),
            Aggregation::Max => some(max),
            Aggregation::Rate => match self.kind {
                Kind::Counter | Kind::Timing => (secs > 0.0).then(|| delta / secs),
                Kind::Gauge => None,
            },
            Aggregation::P50 => quantile(0),
            Aggregation::P95 => quantile(1),
            Aggregation::P99 => quantile(2),
            Aggregation::ErrorRatio { .. } => (total > 0.0).then(|| delta / total),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_and_windowed() {
        let w = Duration::from_secs(300);
        let mut h = GroupHistory::new(w);
        for i in 0..1000i64 {
            let s = Sample {
                delta: 1.0,
                ..Sample::default()
            };
            h.push(i * 1000, &s);
        }
        assert!(h.buckets.len() <= MAX_BUCKETS);
        h.expire(999_000, w);
        // 1 s evaluations merged into 2.5 s buckets; about 300 samples in 5 minutes.
        let sum = h.aggregate(&Aggregation::Sum, w).unwrap_or_default();
        assert!((298.0..=302.0).contains(&sum), "{sum}");
        assert!(h.expire(2_000_000, w));
    }
}
