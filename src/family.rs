//! Metric families: a counter, gauge or timing whose name and tag keys are fixed ahead
//! of time and whose series differ by their tag values, the way `prometheus`'
//! `CounterVec::with_label_values` works.
//!
//! An emission through a family hashes and compares only the tag *values*: the name
//! and keys were checked once, when the family was made. That is the cheapest way to
//! emit with tag values computed per call (route, status, tenant), and the arity is
//! checked by the compiler. Values are borrowed for the call, whatever their lifetime,
//! and nothing is allocated on a series the thread has seen.
//!
//! ```
//! # fn main() -> Result<(), telemetra::Error> {
//! use std::time::Duration;
//! use telemetra::{sinks::MemorySink, Config, Telemetry};
//!
//! let sink = MemorySink::new();
//! let t = Telemetry::start(Config::builder().sink(sink.clone()).build()?)?;
//! let requests = t.counter_vec("http.requests", ["route", "status"]);
//! let latency = t.timing_vec("http.latency", ["route"]);
//! let route = String::from("/users/:id"); // known only at run time
//! requests.incr([route.as_str(), "200"]);
//! requests.incr([route.as_str(), "200"]);
//! latency.record([route.as_str()], Duration::from_millis(12));
//! t.shutdown(Duration::from_secs(5))?;
//! assert_eq!(
//!     sink.counter("http.requests", &[("route", "/users/:id"), ("status", "200")]),
//!     Some(2.0)
//! );
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::pipeline::family::Family;
use crate::pipeline::{local, DropReason, Runtime, Sample};
use crate::snapshot::Kind;
use crate::tags::{clip, BoundTags, Str};

/// What the three family handles share.
#[derive(Clone)]
struct FamilyHandle {
    rt: Option<Arc<Runtime>>,
    fam: Arc<Family>,
    /// Why every emission is dropped (a bad name), counted per emission.
    invalid: Option<DropReason>,
}

impl fmt::Debug for FamilyHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Family")
            .field("name", &&*self.fam.name)
            .field("keys", &self.fam.keys)
            .finish_non_exhaustive()
    }
}

impl FamilyHandle {
    fn new(
        rt: Option<Arc<Runtime>>,
        bound: &BoundTags,
        kind: Kind,
        name: Str,
        keys: &[&str],
    ) -> FamilyHandle {
        let (clip_at, max_name) = rt.as_ref().map_or((usize::MAX, usize::MAX), |rt| {
            (rt.shared.clip_at, rt.shared.max_name_len)
        });
        let invalid = (name.is_empty() || name.len() > max_name).then_some(DropReason::InvalidName);
        let keys = keys
            .iter()
            .map(|k| Str::Owned(clip(k, clip_at).to_owned()))
            .collect();
        FamilyHandle {
            rt,
            fam: Arc::new(Family::new(kind, name, keys, bound.clone())),
            invalid,
        }
    }

    #[inline]
    fn emit<const N: usize>(&self, values: &[&str; N], sample: Sample) {
        let Some(rt) = &self.rt else { return };
        match self.invalid {
            None => local::emit_family(&rt.shared, &self.fam, values, sample),
            Some(why) => rt.shared.count_drop(why, 1),
        }
    }
}

/// A counter family: series that differ by the values of fixed tag keys. Made by
/// [`Telemetry::counter_vec`](crate::Telemetry::counter_vec) (see the
/// [module docs](crate::family)); cheap to clone.
#[derive(Clone, Debug)]
pub struct CounterVec<const N: usize>(FamilyHandle);

impl<const N: usize> CounterVec<N> {
    /// Adds one to the series with these tag values.
    #[inline]
    pub fn incr(&self, values: [&str; N]) {
        self.0.emit(&values, Sample::Count(1));
    }

    /// Adds `n` to the series with these tag values (exact to `u64::MAX`).
    #[inline]
    pub fn add(&self, values: [&str; N], n: u64) {
        self.0.emit(&values, Sample::Count(n));
    }

    /// Adds a fractional `value` (NaN, infinite and negative values are dropped and
    /// counted).
    #[inline]
    pub fn add_f64(&self, values: [&str; N], value: f64) {
        self.0.emit(&values, Sample::Add(value));
    }
}

/// A gauge family. Made by [`Telemetry::gauge_vec`](crate::Telemetry::gauge_vec).
#[derive(Clone, Debug)]
pub struct GaugeVec<const N: usize>(FamilyHandle);

impl<const N: usize> GaugeVec<N> {
    /// Sets the series with these tag values (NaN and infinite values are dropped and
    /// counted).
    #[inline]
    pub fn set(&self, values: [&str; N], value: f64) {
        self.0.emit(&values, Sample::Gauge(value));
    }
}

/// A timing family. Made by [`Telemetry::timing_vec`](crate::Telemetry::timing_vec).
#[derive(Clone, Debug)]
pub struct TimingVec<const N: usize>(FamilyHandle);

impl<const N: usize> TimingVec<N> {
    /// Records a duration into the series with these tag values (to the nanosecond).
    #[inline]
    pub fn record(&self, values: [&str; N], duration: Duration) {
        self.0.emit(&values, Sample::from_duration(duration));
    }

    /// Records a duration given in milliseconds (NaN, infinite and negative values are
    /// dropped and counted).
    #[inline]
    pub fn record_ms(&self, values: [&str; N], ms: f64) {
        match (Sample::from_ms(ms), &self.0.rt) {
            (Some(s), _) => self.0.emit(&values, s),
            (None, Some(rt)) => rt.shared.count_drop(DropReason::InvalidValue, 1),
            (None, None) => {}
        }
    }
}

/// Makes the family handles; the emitter methods call these.
pub(crate) fn counter_vec<const N: usize>(
    rt: Option<Arc<Runtime>>,
    bound: &BoundTags,
    name: Str,
    keys: [&str; N],
) -> CounterVec<N> {
    CounterVec(FamilyHandle::new(rt, bound, Kind::Counter, name, &keys))
}

pub(crate) fn gauge_vec<const N: usize>(
    rt: Option<Arc<Runtime>>,
    bound: &BoundTags,
    name: Str,
    keys: [&str; N],
) -> GaugeVec<N> {
    GaugeVec(FamilyHandle::new(rt, bound, Kind::Gauge, name, &keys))
}

pub(crate) fn timing_vec<const N: usize>(
    rt: Option<Arc<Runtime>>,
    bound: &BoundTags,
    name: Str,
    keys: [&str; N],
) -> TimingVec<N> {
    TimingVec(FamilyHandle::new(rt, bound, Kind::Timing, name, &keys))
}
