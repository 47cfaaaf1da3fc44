//! The emitter API: [`Telemetry`], [`TaggedEmitter`], [`Timer`] and the pre-bound
//! [`Counter`] and [`Gauge`] handles.

use std::borrow::Cow;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::pipeline::handles::{CellRef, CounterCell, GaugeCell, Registration};
use crate::pipeline::key::FastKey;
use crate::pipeline::local::{emit, emit_with};
use crate::pipeline::{DropReason, Emission, RecordStats, Runtime, Shared, Stats};
use crate::snapshot::{Kind, Snapshot};
use crate::switches::Switches;
use crate::tags::{BoundTags, IntoTags, Str, Tag, TagsArg, TagsInner};
use crate::trace::propagation::HeaderGet;
use crate::trace::{ErrorCode, Span, Tracer};
use crate::{Config, Error};

/// A handle to a running pipeline: cheap to clone (one reference count), `Send` and
/// `Sync`. Every emission method returns `()`: it never panics, never blocks and never
/// allocates when the name and tags are `'static`.
///
/// The last handle to go (clones, tagged emitters and pre-bound handles included)
/// shuts the pipeline down, waiting at most
/// [`drop_timeout`](crate::ConfigBuilder::drop_timeout) for the final flush; call
/// [`shutdown`](Telemetry::shutdown) to choose the deadline and see the outcome.
///
/// ```
/// # fn main() -> Result<(), telemetra::Error> {
/// use std::time::Duration;
/// use telemetra::{sinks::MemorySink, Config, Telemetry};
///
/// let sink = MemorySink::new();
/// let t = Telemetry::start(Config::builder().sink(sink.clone()).build()?)?;
/// t.incr("product.wallet.spend.success", &[("currency", "EUR")]);
/// t.gauge("product.wallet.balance", 42.5, ());
/// t.timing("wallet_tx_latency_ms", Duration::from_millis(12), ());
/// let wallet = t.tagged(vec![("service", "wallet")]);
/// wallet.count("product.wallet.refund", 2, ());
/// t.shutdown(Duration::from_secs(5))?;
/// assert_eq!(sink.counter("product.wallet.refund", &[("service", "wallet")]), Some(2.0));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default)]
pub struct Telemetry {
    rt: Option<Arc<Runtime>>,
}

/// An emitter with pre-bound tags, merged with each call's own tags (a call's tag
/// wins over a bound tag with the same key). Made by [`Telemetry::tagged`]; as cheap
/// to clone and to use as the [`Telemetry`] it came from.
#[derive(Clone, Debug)]
pub struct TaggedEmitter {
    rt: Option<Arc<Runtime>>,
    bound: BoundTags,
}

static NO_BOUND: BoundTags = BoundTags::None;

/// The identity under which this call can be aggregated on its thread, computed from
/// the call's parts without building an emission: a valid counter or gauge value, a
/// `'static` name, static tags and no or interned bound tags.
#[inline]
fn aggregable_key(
    name: &Str,
    kind: Kind,
    value: f64,
    tags: &TagsArg,
    bound: &BoundTags,
    outcome: Option<bool>,
) -> Option<FastKey> {
    let valid = match kind {
        Kind::Counter => value.is_finite() && value >= 0.0,
        Kind::Gauge => value.is_finite(),
        Kind::Timing => false,
    };
    let Cow::Borrowed(name) = name else {
        return None;
    };
    let bound = match bound {
        BoundTags::None => u32::MAX,
        BoundTags::Interned(id) => *id,
        BoundTags::Shared(_) => return None,
    };
    let tags = match tags.0 {
        TagsInner::None => &[][..],
        TagsInner::Static(s) => s,
        TagsInner::Owned(_) => return None,
    };
    if !valid {
        return None;
    }
    FastKey::from_parts(kind, outcome, name, bound, tags)
}

macro_rules! emitter_methods {
    () => {
        /// Adds `value` to a counter.
        #[inline]
        pub fn count(&self, name: impl Into<Str>, value: u64, tags: impl IntoTags) {
            self.emit(
                name.into(),
                Kind::Counter,
                value as f64,
                tags.into_tags(),
                None,
            );
        }

        /// Adds 1 to a counter.
        #[inline]
        pub fn incr(&self, name: impl Into<Str>, tags: impl IntoTags) {
            self.emit(name.into(), Kind::Counter, 1.0, tags.into_tags(), None);
        }

        /// Adds a fractional `value` to a counter (a cost, say). NaN, infinite and
        /// negative values are dropped and counted (`reason=invalid_value`).
        #[inline]
        pub fn add(&self, name: impl Into<Str>, value: f64, tags: impl IntoTags) {
            self.emit(name.into(), Kind::Counter, value, tags.into_tags(), None);
        }

        /// Sets a gauge. NaN and infinite values are dropped and counted.
        #[inline]
        pub fn gauge(&self, name: impl Into<Str>, value: f64, tags: impl IntoTags) {
            self.emit(name.into(), Kind::Gauge, value, tags.into_tags(), None);
        }

        /// Records a duration into a timing (kept in milliseconds).
        #[inline]
        pub fn timing(&self, name: impl Into<Str>, duration: Duration, tags: impl IntoTags) {
            let ms = duration.as_secs_f64() * 1000.0;
            self.emit(name.into(), Kind::Timing, ms, tags.into_tags(), None);
        }

        /// Records a timing given in milliseconds. NaN, infinite and negative values
        /// are dropped and counted.
        #[inline]
        pub fn timing_ms(&self, name: impl Into<Str>, ms: f64, tags: impl IntoTags) {
            self.emit(name.into(), Kind::Timing, ms, tags.into_tags(), None);
        }

        /// Starts a timer that records a timing when dropped or [stopped](Timer::stop).
        /// It borrows this handle (no reference count is touched); see
        /// [`timer_owned`](Self::timer_owned) for one that doesn't.
        #[inline]
        pub fn timer(&self, name: impl Into<Str>, tags: impl IntoTags) -> Timer<'_> {
            Timer {
                rt: self.rt.as_deref().map(RtRef::Borrowed),
                bound: Cow::Borrowed(self.bound()),
                name: Some(name.into()),
                tags: Some(tags.into_tags()),
                start: Instant::now(),
            }
        }

        /// Like [`timer`](Self::timer), but the timer holds its own reference to the
        /// pipeline, so it can outlive the borrow (be kept across `&mut self` calls or
        /// `.await` points). Costs a reference-count increment.
        #[inline]
        pub fn timer_owned(&self, name: impl Into<Str>, tags: impl IntoTags) -> Timer<'static> {
            Timer {
                rt: self.rt.clone().map(RtRef::Owned),
                bound: Cow::Owned(self.bound().clone()),
                name: Some(name.into()),
                tags: Some(tags.into_tags()),
                start: Instant::now(),
            }
        }

        /// Runs `f` and records how long it took.
        #[inline]
        pub fn time<R>(
            &self,
            name: impl Into<Str>,
            tags: impl IntoTags,
            f: impl FnOnce() -> R,
        ) -> R {
            let start = Instant::now();
            let out = f();
            self.timing(name, start.elapsed(), tags);
            out
        }

        /// Runs `f`, records how long it took and tags the timing
        /// `success=true|false` from its result.
        #[inline]
        pub fn time_result<T, E>(
            &self,
            name: impl Into<Str>,
            tags: impl IntoTags,
            f: impl FnOnce() -> Result<T, E>,
        ) -> Result<T, E> {
            let start = Instant::now();
            let out = f();
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            self.emit(
                name.into(),
                Kind::Timing,
                ms,
                tags.into_tags(),
                Some(out.is_ok()),
            );
            out
        }

        /// A counter handle for a series known ahead of time: each increment is one
        /// atomic add on a cache line of the calling thread's own, with no queue in
        /// between. The flusher reads the total at every flush.
        ///
        /// An invalid name makes a handle whose increments are dropped and counted.
        pub fn counter(&self, name: impl Into<Str>, tags: impl IntoTags) -> Counter {
            let cell = Arc::new(CounterCell::default());
            let ok = self.register(
                name.into(),
                tags.into_tags(),
                CellRef::Counter(Arc::clone(&cell)),
            );
            Counter {
                rt: self.rt.clone(),
                cell,
                invalid: !ok,
            }
        }

        /// A gauge handle for a series known ahead of time: each set is one atomic
        /// store. When both a handle and plain [`gauge`](Self::gauge) calls set one
        /// series, the handle's value set since the last flush wins.
        pub fn gauge_handle(&self, name: impl Into<Str>, tags: impl IntoTags) -> Gauge {
            let cell = Arc::new(GaugeCell::default());
            let ok = self.register(
                name.into(),
                tags.into_tags(),
                CellRef::Gauge(Arc::clone(&cell)),
            );
            Gauge {
                rt: self.rt.clone(),
                cell,
                invalid: !ok,
            }
        }

        #[inline]
        fn emit(&self, name: Str, kind: Kind, value: f64, tags: TagsArg, outcome: Option<bool>) {
            if let Some(rt) = &self.rt {
                let key = aggregable_key(&name, kind, value, &tags, self.bound(), outcome);
                let bound = self.bound();
                emit_with(&rt.shared, key, kind, value, move || Emission {
                    name,
                    tags: tags.0.with_bound(bound),
                    value,
                    kind,
                    outcome,
                });
            }
        }

        fn register(&self, name: Str, tags: TagsArg, cell: CellRef) -> bool {
            let Some(rt) = &self.rt else { return false };
            if name.is_empty() || name.len() > rt.shared.max_name_len {
                return false;
            }
            rt.shared.handles.lock().push(Registration {
                name,
                tags: tags.0.with_bound(self.bound()),
                cell,
            });
            true
        }
    };
}

impl Telemetry {
    /// A handle that does nothing: every emission is free and discarded. What the
    /// global facade uses before [`init`](crate::init).
    pub const fn noop() -> Self {
        Telemetry { rt: None }
    }

    /// Starts the pipeline: the flusher thread and one thread per sink.
    ///
    /// # Errors
    /// [`Error::Spawn`] if a thread cannot be started.
    pub fn start(config: Config) -> Result<Self, Error> {
        Ok(Telemetry {
            rt: Some(Arc::new(Runtime::start(config)?)),
        })
    }

    emitter_methods!();

    #[inline]
    fn bound(&self) -> &BoundTags {
        &NO_BOUND
    }

    /// An emitter whose emissions all carry `tags` (plus their own). The tag set is
    /// interned once, so using the emitter costs no more than static tags.
    pub fn tagged(&self, tags: impl IntoTags) -> TaggedEmitter {
        TaggedEmitter {
            rt: self.rt.clone(),
            bound: intern(self.rt.as_deref(), &NO_BOUND, tags.into_tags()),
        }
    }

    /// Publishes the current state now and waits until every sink has exported it,
    /// or `timeout` passes.
    ///
    /// # Errors
    /// [`Error::Timeout`] naming the sinks still busy, [`Error::Export`] naming the
    /// sinks whose export failed, [`Error::NotRunning`] after shutdown or on a no-op
    /// handle.
    pub fn flush(&self, timeout: Duration) -> Result<(), Error> {
        match &self.rt {
            Some(rt) => rt.flush(timeout),
            None => Err(Error::NotRunning),
        }
    }

    /// Stops accepting emissions (later ones are counted as dropped), publishes a
    /// final snapshot with everything emitted before, waits for every sink to
    /// export it and joins the threads, all within `timeout`. Calling it again is a
    /// no-op returning `Ok`.
    ///
    /// # Errors
    /// [`Error::Timeout`] naming what did not finish (a hung sink's thread is left
    /// detached), [`Error::Export`] naming sinks whose final export failed.
    pub fn shutdown(&self, timeout: Duration) -> Result<(), Error> {
        match &self.rt {
            Some(rt) => rt.shutdown(timeout),
            None => Ok(()),
        }
    }

    /// The last snapshot published, if any.
    pub fn snapshot(&self) -> Option<Arc<Snapshot>> {
        self.rt.as_ref()?.shared.latest.lock().clone()
    }

    /// What happened to emissions so far (see [`Stats`]).
    pub fn stats(&self) -> Stats {
        self.rt
            .as_ref()
            .map_or_else(Stats::default, |rt| rt.shared.stats())
    }

    /// The runtime switches this pipeline obeys (see
    /// [`ConfigBuilder::switches`](crate::ConfigBuilder::switches)), with a `sink.<name>`
    /// switch per sink. A no-op handle returns a detached registry.
    pub fn switches(&self) -> &Switches {
        match &self.rt {
            Some(rt) => &rt.shared.switches,
            None => crate::switches::detached(),
        }
    }

    /// What happened to records (events and spans) so far (see [`RecordStats`]).
    pub fn record_stats(&self) -> RecordStats {
        self.rt
            .as_ref()
            .map_or_else(RecordStats::default, |rt| rt.shared.record_stats())
    }

    pub(crate) fn shared(&self) -> Option<&Shared> {
        self.rt.as_deref().map(|rt| &*rt.shared)
    }

    /// A [`Tracer`] reporting to this pipeline: every finished span becomes a timing
    /// `<name>` tagged `success` and `error_code`, and the spans of sampled traces
    /// ([`trace_sample_rate`](crate::ConfigBuilder::trace_sample_rate)) reach the
    /// record-capable sinks. Cheap to clone; spans outliving the pipeline are counted as
    /// dropped. On a no-op handle, a tracer that times spans and discards them.
    pub fn tracer(&self) -> Tracer {
        self.rt
            .as_ref()
            .map_or_else(Tracer::default, |rt| rt.tracer.clone())
    }

    /// Starts a new trace (see [`Tracer::root_span`]).
    pub fn span(&self, name: impl Into<std::borrow::Cow<'static, str>>) -> Span {
        self.tracer().root_span(name)
    }

    /// Starts the server span of an incoming request, continuing its `traceparent` (or
    /// `x-trace-id`) if valid (see [`Tracer::span_from_headers`]).
    pub fn span_from_headers<H: HeaderGet + ?Sized>(
        &self,
        headers: &H,
        name: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Span {
        self.tracer().span_from_headers(headers, name)
    }

    /// Runs `f` in a new root span, marking it failed with the error's code on `Err`
    /// (see [`Tracer::in_span`]).
    ///
    /// # Errors
    /// Whatever `f` returns.
    pub fn in_span<T, E, F>(
        &self,
        name: impl Into<std::borrow::Cow<'static, str>>,
        f: F,
    ) -> Result<T, E>
    where
        E: ErrorCode,
        F: FnOnce(&mut Span) -> Result<T, E>,
    {
        self.tracer().in_span(name, f)
    }

    /// Whether this handle feeds a pipeline that has not been shut down.
    pub fn is_running(&self) -> bool {
        self.rt
            .as_ref()
            .is_some_and(|rt| !rt.shared.closed.load(Ordering::Relaxed))
    }
}

impl TaggedEmitter {
    emitter_methods!();

    #[inline]
    fn bound(&self) -> &BoundTags {
        &self.bound
    }

    /// A new emitter with this one's tags plus `tags` (which win on equal keys).
    pub fn tagged(&self, tags: impl IntoTags) -> TaggedEmitter {
        TaggedEmitter {
            rt: self.rt.clone(),
            bound: intern(self.rt.as_deref(), &self.bound, tags.into_tags()),
        }
    }
}

fn intern(rt: Option<&Runtime>, base: &BoundTags, extra: TagsArg) -> BoundTags {
    let Some(rt) = rt else {
        return BoundTags::None;
    };
    let mut tags: Vec<Tag> = match base {
        BoundTags::None => Vec::new(),
        BoundTags::Interned(id) => rt
            .shared
            .interner
            .get(*id)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default(),
        BoundTags::Shared(a) => a.iter().cloned().collect(),
    };
    match extra.0 {
        TagsInner::None => {}
        TagsInner::Static(s) => tags.extend(s.iter().map(|(k, v)| Tag::new(*k, *v))),
        TagsInner::Owned(o) => tags.extend(o.into_vec()),
    }
    // Later keys win: keep the last occurrence of each key.
    let mut dedup: Vec<Tag> = Vec::with_capacity(tags.len());
    for t in tags.into_iter().rev() {
        if !dedup.iter().any(|d| d.key == t.key) {
            dedup.push(t);
        }
    }
    rt.shared.interner.intern(dedup)
}

#[derive(Debug)]
enum RtRef<'a> {
    Borrowed(&'a Runtime),
    Owned(Arc<Runtime>),
}

/// Records the time from its creation to [`stop`](Timer::stop) or drop.
#[derive(Debug)]
#[must_use = "a timer records when dropped; binding it to `_` drops it at once"]
pub struct Timer<'a> {
    rt: Option<RtRef<'a>>,
    bound: Cow<'a, BoundTags>,
    name: Option<Str>,
    tags: Option<TagsArg>,
    start: Instant,
}

impl Timer<'_> {
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
        if let (Some(rt), Some(name), Some(tags)) =
            (self.rt.as_ref(), self.name.take(), self.tags.take())
        {
            let rt: &Runtime = match rt {
                RtRef::Borrowed(r) => r,
                RtRef::Owned(r) => r,
            };
            emit(
                &rt.shared,
                Emission {
                    name,
                    tags: tags.0.with_bound(&self.bound),
                    value: elapsed.as_secs_f64() * 1000.0,
                    kind: Kind::Timing,
                    outcome,
                },
            );
        }
        elapsed
    }
}

impl Drop for Timer<'_> {
    fn drop(&mut self) {
        if self.name.is_some() {
            self.record(None);
        }
    }
}

/// A pre-bound counter (see [`Telemetry::counter`]).
#[derive(Debug, Clone)]
pub struct Counter {
    rt: Option<Arc<Runtime>>,
    cell: Arc<CounterCell>,
    invalid: bool,
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
            if self.invalid || rt.shared.closed.load(Ordering::Relaxed) {
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
fn handle_drop(rt: &Runtime, invalid_name: bool, valid_value: bool) {
    let reason = if invalid_name {
        DropReason::InvalidName
    } else if !valid_value {
        DropReason::InvalidValue
    } else {
        DropReason::Shutdown
    };
    rt.shared.count_drop(reason, 1);
}

/// A pre-bound gauge (see [`Telemetry::gauge_handle`]).
#[derive(Debug, Clone)]
pub struct Gauge {
    rt: Option<Arc<Runtime>>,
    cell: Arc<GaugeCell>,
    invalid: bool,
}

impl Gauge {
    /// Sets the value. NaN and infinite values are dropped and counted.
    #[inline]
    pub fn set(&self, v: f64) {
        if let Some(rt) = &self.rt {
            if self.invalid || !v.is_finite() || rt.shared.closed.load(Ordering::Relaxed) {
                handle_drop(rt, self.invalid, v.is_finite());
            } else if !rt.shared.collect.is_enabled() {
                rt.shared.count_drop(DropReason::Disabled, 1);
            } else {
                self.cell.set(v);
            }
        }
    }
}
