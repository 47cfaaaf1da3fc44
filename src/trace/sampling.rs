//! Trace-consistent head sampling: pure functions over the trace id.
//!
//! The decision is made once, at the root, by comparing a mix of the whole trace id
//! ([`crate::sampling::trace_hash`]) with `rate × 2^64`. Any process applying the same
//! rate to the same trace id reaches the same answer, so a trace entering with only an
//! `x-trace-id` is kept or dropped consistently across services, and event sampling
//! (which uses the same value) keeps a trace's events exactly when it keeps its spans at
//! the same rate. Mixing, rather than reading the low 64 bits directly, keeps the rate
//! honest for ids that are not uniformly random: a UUID's low half starts with the
//! variant bits `10`, so a raw low-bits threshold below 0.5 would never keep one.
//! Children inherit the flag; an incoming W3C sampled flag is honoured as is.

use super::{TraceError, TraceId};

/// A validated sample rate turned into a comparison threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sampler {
    /// `None` keeps everything (rate 1); otherwise keep when the trace hash is below it.
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
        self.threshold
            .is_none_or(|t| crate::sampling::trace_hash(trace_id.to_u128()) < t)
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
    fn extremes_and_agreement_with_event_sampling() {
        assert!(Sampler::new(1.0).unwrap().sample(tid(u64::MAX)));
        assert!(!Sampler::new(0.0).unwrap().sample(tid(0)));
        let s = Sampler::new(0.3).unwrap();
        for low in 0..2_000u64 {
            let t = tid(low.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            assert_eq!(
                s.sample(t),
                crate::sampling::trace_keeps(t.to_u128(), 0.3),
                "spans and events decide alike"
            );
        }
    }

    #[test]
    fn uuid_shaped_ids_sample_at_the_rate() {
        // UUID v4 ids: version nibble 4, variant bits `10` at the top of the low half.
        let s = Sampler::new(0.25).unwrap();
        let kept = (0..20_000)
            .filter(|_| {
                let r = TraceId::random().to_u128();
                // Variant bits `10` at the top of the low half, version 4 in the high half.
                let uuid =
                    (r & !(0b11u128 << 62) & !(0xFu128 << 76)) | (0b10u128 << 62) | (4u128 << 76);
                s.sample(TraceId::from_u128(uuid).unwrap())
            })
            .count();
        assert!((4_000..6_000).contains(&kept), "{kept}");
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
