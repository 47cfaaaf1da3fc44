//! The pre-bound handles ([`Counter`], [`Gauge`], [`TimingHandle`]) and the [`Timer`]
//! guard that [`Telemetry`](crate::Telemetry) and [`TaggedEmitter`](crate::TaggedEmitter)
//! hand out.

use std::borrow::Cow;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use crate::pipeline::cell::Ident;
use crate::pipeline::handles::{CounterCell, GaugeCell};
use crate::pipeline::local;
use crate::pipeline::{DropReason, Runtime, Sample};
use crate::tags::{BoundTags, IntoTags, Str};

#[derive(Debug)]
pub(super) enum RtRef<'a> {
    Borrowed(&'a Runtime),
    Owned(Arc<Runtime>),
}

/// Records the time from its creation to [`stop`](Timer::stop) or drop. Holds the
/// tags it was given (borrowed ones keep their borrow) until it records.
#[derive(Debug)]
#[must_use = "a timer records when dropped; binding it to `_` drops it at once"]
pub struct Timer<'a, T: IntoTags = ()> {
    pub(super) rt: Option<RtRef<'a>>,
    pub(super) bound: Cow<'a, BoundTags>,
    pub(super) name: Option<Str>,
    pub(super) tags: T,
    pub(super) start: crate::clock::Stamp,
}

impl<T: IntoTags> Timer<'_, T> {
    /// Records now and returns the elapsed time.
    pub fn stop(mut self) -> Duration {
        self.record(None)
    }

    /// Records now, tagged `success=true|false`, and returns the elapsed time.
    pub fn stop_with(mut self, success: bool) -> Duration {
        self.record(Some(success))
    }

    /// Drops the timer without recording anything.
    pub fn cancel(mut self) {
        self.name = None;
    }

    fn record(&mut self, outcome: Option<bool>) -> Duration {
        let elapsed = self.start.elapsed();
        if let (Some(rt), Some(name)) = (self.rt.as_ref(), self.name.take()) {
            let rt: &Runtime = match rt {
                RtRef::Borrowed(r) => r,
                RtRef::Owned(r) => r,
            };
            local::emit(
                &rt.shared,
                &self.bound,
                &name,
                Sample::from_duration(elapsed),
                &self.tags,
                outcome,
            );
        }
        elapsed
    }
}

impl<T: IntoTags> Drop for Timer<'_, T> {
    fn drop(&mut self) {
        if self.name.is_some() {
            self.record(None);
        }
    }
}

/// A pre-bound counter (see [`Telemetry::counter`](crate::Telemetry::counter)).
#[derive(Debug, Clone)]
pub struct Counter {
    pub(super) rt: Option<Arc<Runtime>>,
    pub(super) cell: Arc<CounterCell>,
    /// Why every increment is dropped, if it is.
    pub(super) invalid: Option<DropReason>,
}

impl Counter {
    /// Adds 1.
    #[inline]
    pub fn incr(&self) {
        self.add(1);
    }

    /// Adds `n`.
    #[inline]
    pub fn add(&self, n: u64) {
        if let Some(rt) = &self.rt {
            if self.invalid.is_some() || rt.shared.closed.load(Ordering::Relaxed) {
                handle_drop(rt, self.invalid, true);
            } else if !rt.shared.collect.is_enabled() {
                rt.shared.count_drop(DropReason::Disabled, 1);
            } else {
                self.cell.add(n);
            }
        }
    }
}

#[cold]
fn handle_drop(rt: &Runtime, invalid: Option<DropReason>, valid_value: bool) {
    let reason = if let Some(why) = invalid {
        why
    } else if !valid_value {
        DropReason::InvalidValue
    } else {
        DropReason::Shutdown
    };
    rt.shared.count_drop(reason, 1);
}

/// A pre-bound gauge (see [`Telemetry::gauge_handle`](crate::Telemetry::gauge_handle)).
#[derive(Debug, Clone)]
pub struct Gauge {
    pub(super) rt: Option<Arc<Runtime>>,
    pub(super) cell: Arc<GaugeCell>,
    /// Why every set is dropped, if it is.
    pub(super) invalid: Option<DropReason>,
}

impl Gauge {
    /// Sets the value. NaN and infinite values are dropped and counted.
    #[inline]
    pub fn set(&self, v: f64) {
        if let Some(rt) = &self.rt {
            if self.invalid.is_some() || !v.is_finite() || rt.shared.closed.load(Ordering::Relaxed)
            {
                handle_drop(rt, self.invalid, v.is_finite());
            } else if !rt.shared.collect.is_enabled() {
                rt.shared.count_drop(DropReason::Disabled, 1);
            } else {
                self.cell.set(v);
            }
        }
    }
}

/// A pre-bound timing (see [`Telemetry::timing_handle`](crate::Telemetry::timing_handle)).
#[derive(Debug, Clone)]
pub struct TimingHandle {
    pub(super) rt: Option<Arc<Runtime>>,
    pub(super) ident: Option<(Arc<Ident>, u64)>,
    /// Why every recording is dropped, if it is.
    pub(super) invalid: Option<DropReason>,
}

impl TimingHandle {
    /// Records a duration.
    #[inline]
    pub fn record(&self, d: Duration) {
        self.record_sample(Sample::from_duration(d));
    }

    /// Records a duration in milliseconds. NaN, infinite and negative values are
    /// dropped and counted.
    #[inline]
    pub fn record_ms(&self, ms: f64) {
        match Sample::from_ms(ms) {
            Some(s) => self.record_sample(s),
            None => {
                if let Some(rt) = &self.rt {
                    rt.shared.count_drop(DropReason::InvalidValue, 1);
                }
            }
        }
    }

    /// Runs `f` and records how long it took.
    #[inline]
    pub fn time<R>(&self, f: impl FnOnce() -> R) -> R {
        let start = crate::clock::Stamp::now();
        let out = f();
        self.record(start.elapsed());
        out
    }

    #[inline]
    fn record_sample(&self, s: Sample) {
        let Some(rt) = &self.rt else { return };
        match (&self.ident, self.invalid) {
            (Some((ident, hash)), None) => local::emit_handle(&rt.shared, ident, *hash, s),
            (_, why) => handle_drop(rt, Some(why.unwrap_or(DropReason::InvalidName)), true),
        }
    }
}
