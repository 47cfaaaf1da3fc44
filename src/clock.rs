//! The monotonic clock of spans and timers: the CPU's time-stamp counter where it is
//! invariant (scaled to nanoseconds by `quanta`, calibrated once per process against
//! the OS clock), else the OS monotonic clock. Reading it costs about 8 ns here, against
//! about 21 ns for `std::time::Instant::now()` (a `clock_gettime` call): a timed span
//! reads it twice.

use std::sync::OnceLock;
use std::time::Duration;

static CLOCK: OnceLock<quanta::Clock> = OnceLock::new();

/// The process's clock, calibrated on first use (at most 200 ms of spinning; ~2 ms here:
/// the first `Telemetry::start` took 2.7–2.9 ms, the next 0.7–0.8 ms). `Telemetry::start`
/// does it, so that no emission pays for it.
fn clock() -> &'static quanta::Clock {
    CLOCK.get_or_init(quanta::Clock::new)
}

/// Calibrates the clock now, if it is not yet.
pub(crate) fn calibrate() {
    let _ = clock();
}

/// A point in time on the monotonic clock.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stamp(u64);

impl Stamp {
    /// Now.
    #[inline]
    pub(crate) fn now() -> Stamp {
        Stamp(clock().raw())
    }

    /// The time since this stamp (zero if the clock seems to have gone back, as a
    /// counter read on another core may).
    #[inline]
    pub(crate) fn elapsed(self) -> Duration {
        let c = clock();
        c.delta(self.0, c.raw())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_measure_what_the_std_clock_measures() {
        let (s, i) = (Stamp::now(), std::time::Instant::now());
        std::thread::sleep(Duration::from_millis(20));
        let (ours, std) = (s.elapsed(), i.elapsed());
        let diff = ours.abs_diff(std);
        assert!(ours >= Duration::from_millis(19), "{ours:?}");
        assert!(diff < Duration::from_millis(2), "{ours:?} vs {std:?}");
    }
}
