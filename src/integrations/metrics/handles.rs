//! The handles the recorder gives out: per-key shared state (`Shared*`), the per-thread
//! wrappers that keep reference counts off shared cache lines (`Local`), and the unit
//! rule for histograms (`Scale`).

use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;

use ::metrics::{CounterFn, GaugeFn, HistogramFn, Unit};

use crate::telemetry::{Counter, Gauge, TimingHandle};

#[derive(Clone)]
pub(super) enum Handle {
    Counter(::metrics::Counter),
    Gauge(::metrics::Gauge),
    Histogram(::metrics::Histogram),
}

/// A recorder's state for one key, shared by every thread.
pub(super) enum Shared {
    Counter(Arc<SharedCounter>),
    Gauge(Arc<SharedGauge>),
    Histogram(Arc<SharedHistogram>),
}

impl Shared {
    /// A handle on the shared state itself (its reference count is shared).
    pub(super) fn handle(self) -> Handle {
        match self {
            Shared::Counter(c) => Handle::Counter(::metrics::Counter::from_arc(c)),
            Shared::Gauge(g) => Handle::Gauge(::metrics::Gauge::from_arc(g)),
            Shared::Histogram(h) => Handle::Histogram(::metrics::Histogram::from_arc(h)),
        }
    }

    /// A handle through a wrapper of the calling thread's own, whose reference count
    /// only that thread changes.
    pub(super) fn local(&self) -> Handle {
        match self {
            Shared::Counter(c) => {
                Handle::Counter(::metrics::Counter::from_arc(Arc::new(Local(c.clone()))))
            }
            Shared::Gauge(g) => {
                Handle::Gauge(::metrics::Gauge::from_arc(Arc::new(Local(g.clone()))))
            }
            Shared::Histogram(h) => {
                Handle::Histogram(::metrics::Histogram::from_arc(Arc::new(Local(h.clone()))))
            }
        }
    }
}

/// A thread's own wrapper of shared state.
pub(super) struct Local<T>(Arc<T>);

impl<T: CounterFn> CounterFn for Local<T> {
    #[inline]
    fn increment(&self, value: u64) {
        self.0.increment(value);
    }

    #[inline]
    fn absolute(&self, value: u64) {
        self.0.absolute(value);
    }
}

impl<T: GaugeFn> GaugeFn for Local<T> {
    #[inline]
    fn increment(&self, value: f64) {
        self.0.increment(value);
    }

    #[inline]
    fn decrement(&self, value: f64) {
        self.0.decrement(value);
    }

    #[inline]
    fn set(&self, value: f64) {
        self.0.set(value);
    }
}

impl<T: HistogramFn> HistogramFn for Local<T> {
    #[inline]
    fn record(&self, value: f64) {
        self.0.record(value);
    }
}

pub(super) struct SharedCounter {
    pub(super) handle: Counter,
    /// The highest `absolute` value seen.
    pub(super) absolute: AtomicU64,
}

impl CounterFn for SharedCounter {
    #[inline]
    fn increment(&self, value: u64) {
        self.handle.add(value);
    }

    fn absolute(&self, value: u64) {
        // Relaxed: the watermark orders nothing else. `fetch_max` is one read-modify-write,
        // so concurrent calls add exactly the growth of the maximum between them.
        let prev = self.absolute.fetch_max(value, Ordering::Relaxed);
        if value > prev {
            self.handle.add(value - prev);
        }
    }
}

pub(super) struct SharedGauge {
    pub(super) handle: Gauge,
    /// The value, as `f64` bits.
    pub(super) bits: AtomicU64,
}

impl SharedGauge {
    /// Changes the value with `f` (a compare-and-swap loop), then publishes it.
    fn update(&self, f: impl Fn(f64) -> f64) {
        // SeqCst here and in `publish`: one total order of the value's changes and the
        // reads that check them, so the last publisher sees the last change.
        let mut cur = self.bits.load(Ordering::SeqCst);
        loop {
            let next = f(f64::from_bits(cur));
            if !next.is_finite() {
                self.handle.set(next); // dropped and counted; the value is unchanged
                return;
            }
            match self.bits.compare_exchange_weak(
                cur,
                next.to_bits(),
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => break,
                Err(seen) => cur = seen,
            }
        }
        self.publish();
    }

    /// Sets the current value on the telemetra gauge until no other change raced with
    /// the set: a thread that set a value already replaced sets again, so once writers
    /// pause the gauge holds the last value. Ends as soon as other threads stop
    /// changing the value.
    fn publish(&self) {
        loop {
            let v = self.bits.load(Ordering::SeqCst);
            self.handle.set(f64::from_bits(v));
            if self.bits.load(Ordering::SeqCst) == v {
                return;
            }
        }
    }
}

impl GaugeFn for SharedGauge {
    fn increment(&self, value: f64) {
        self.update(|v| v + value);
    }

    fn decrement(&self, value: f64) {
        self.update(|v| v - value);
    }

    fn set(&self, value: f64) {
        self.update(|_| value);
    }
}

pub(super) struct SharedHistogram {
    pub(super) handle: TimingHandle,
    /// A [`Scale`], from the name's described unit.
    pub(super) scale: AtomicU8,
}

impl HistogramFn for SharedHistogram {
    #[inline]
    fn record(&self, value: f64) {
        // Relaxed: see `Inner::describe`.
        let ms = match self.scale.load(Ordering::Relaxed) {
            s if s == Scale::Seconds as u8 => value * 1e3,
            s if s == Scale::Micros as u8 => value / 1e3,
            s if s == Scale::Nanos as u8 => value / 1e6,
            _ => value,
        };
        self.handle.record_ms(ms);
    }
}

/// How a histogram's values become milliseconds.
#[derive(Clone, Copy)]
#[repr(u8)]
pub(super) enum Scale {
    Seconds,
    Millis,
    Micros,
    Nanos,
    /// Not a time unit: the value unchanged.
    AsIs,
}

impl Scale {
    pub(super) fn of(unit: Option<Unit>) -> Scale {
        match unit {
            None | Some(Unit::Seconds) => Scale::Seconds,
            Some(Unit::Milliseconds) => Scale::Millis,
            Some(Unit::Microseconds) => Scale::Micros,
            Some(Unit::Nanoseconds) => Scale::Nanos,
            Some(_) => Scale::AsIs,
        }
    }
}
