//! Trace-consistent head sampling: pure functions over the trace id.
//!
//! The decision is made once, at the root, by comparing the low 64 bits of the trace id
//! with `rate × 2^64`. Any process applying the same rate to the same trace id reaches the
//! same answer, so a trace entering with only an `x-trace-id` is kept or dropped
//! consistently across services. Children inherit the flag; an incoming W3C sampled
//! flag is honoured as is.

use super::{TraceError, TraceId};

/// A validated sample rate turned into a comparison threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sampler {
    /// `None` keeps everything (rate 1); otherwise keep when `low64 < threshold`.
    threshold: Option<u64>,
}

impl Sampler {
    /// Keeps every trace.
    pub const ALWAYS: Self = Self { threshold: None };
    /// Keeps no trace (unless an incoming flag says sampled).
    pub const NEVER: Self = Self { threshold: Some(0) };

    /// A sampler keeping the fraction `rate` of trace ids.
    ///
    /// # Errors
    /// [`TraceError::SampleRate`] unless `rate` is finite and within `[0, 1]`.
    pub fn new(rate: f64) -> Result<Self, TraceError> {
        if !rate.is_finite() || !(0.0..=1.0).contains(&rate) {
            return Err(TraceError::SampleRate);
        }
        if rate >= 1.0 {
            return Ok(Self::ALWAYS);
        }
        // 2^64 as f64 is exact; rate < 1 so the product is < 2^64 and the saturating
        // cast cannot wrap.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let threshold = (rate * 18_446_744_073_709_551_616.0) as u64;
        Ok(Self {
            threshold: Some(threshold),
        })
    }

    /// Whether a new root trace with this id is recorded.
    #[must_use]
    pub fn sample(self, trace_id: TraceId) -> bool {
        self.threshold.is_none_or(|t| trace_id.low64() < t)
    }
}

impl Default for Sampler {
    fn default() -> Self {
        Self::ALWAYS
    }
}

/// One-shot form of [`Sampler::sample`]; rates outside `[0, 1]` clamp, NaN keeps nothing.
#[must_use]
pub fn trace_sampled(trace_id: TraceId, rate: f64) -> bool {
    let rate = if rate.is_nan() {
        0.0
    } else {
        rate.clamp(0.0, 1.0)
    };
    Sampler::new(rate)
        .unwrap_or(Sampler::NEVER)
        .sample(trace_id)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn tid(low: u64) -> TraceId {
        TraceId::from_u128((7u128 << 64) | u128::from(low)).unwrap()
    }

    #[test]
    fn threshold_on_low_bits() {
        let half = Sampler::new(0.5).unwrap();
        assert!(half.sample(tid(0)));
        assert!(half.sample(tid((1 << 63) - 1)));
        assert!(!half.sample(tid(1 << 63)));
        assert!(Sampler::new(1.0).unwrap().sample(tid(u64::MAX)));
        assert!(!Sampler::new(0.0).unwrap().sample(tid(0)));
    }

    #[test]
    fn same_id_same_decision_and_rate_is_respected() {
        let s = Sampler::new(0.25).unwrap();
        let ids: Vec<TraceId> = (0..20_000).map(|_| TraceId::random()).collect();
        let kept = ids.iter().filter(|t| s.sample(**t)).count();
        assert!((4_000..6_000).contains(&kept), "{kept}");
        for t in &ids {
            assert_eq!(s.sample(*t), trace_sampled(*t, 0.25));
        }
    }

    #[test]
    fn rejects_bad_rates() {
        for r in [f64::NAN, -0.1, 1.1, f64::INFINITY] {
            assert_eq!(Sampler::new(r), Err(TraceError::SampleRate));
        }
        assert!(!trace_sampled(tid(0), f64::NAN));
    }
}
