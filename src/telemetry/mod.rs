//! The emitter API: [`Telemetry`], [`TaggedEmitter`], [`Timer`] and the pre-bound
//! [`Counter`], [`Gauge`] and [`TimingHandle`] handles.

use std::borrow::Cow;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use std::sync::atomic::AtomicU64;

mod events;
mod handles;
// `emitter_methods!`: the emission methods `Telemetry` and `TaggedEmitter` share.
#[macro_use]
mod methods;

pub use events::EventBuilder;
use handles::RtRef;
pub use handles::{Counter, Gauge, Timer, TimingHandle};

use crate::off_thread::OffThread;
use crate::pipeline::cell::{bound_id, Ident};
use crate::pipeline::handles::{CellRef, Registration};
use crate::pipeline::local;
use crate::pipeline::{DropReason, RecordStats, Runtime, Sample, Shared, Stats};
use crate::snapshot::{Kind, Snapshot};
use crate::switches::Switches;
use crate::tags::{to_owned_tags, BoundTags, IntoTags, Str, Tag, TagsRepr};
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

/// Ids of timing handles (0 = none).
static NEXT_HANDLE: AtomicU64 = AtomicU64::new(1);

/// Finds or makes the cell of a pre-bound handle, and registers a new one with the
/// flusher.
fn register<T: IntoTags + ?Sized>(
    shared: &Shared,
    bound: &BoundTags,
    kind: Kind,
    name: Str,
    tags: &T,
) -> Result<CellRef, DropReason> {
    if name.is_empty() || name.len() > shared.max_name_len {
        return Err(DropReason::InvalidName);
    }
    let call = to_owned_tags(tags, shared.clip_at);
    let bid = bound_id(bound);
    let key = (kind, name.clone(), call.clone(), bid);
    let made = shared
        .handle_index
        .lock()
        .get_or_insert(key, || match kind {
            Kind::Counter => CellRef::Counter(Arc::default()),
            Kind::Gauge => CellRef::Gauge(Arc::default()),
            Kind::Timing => {
                let ident = Arc::new(Ident::new(
                    kind,
                    None,
                    name.clone(),
                    call.clone(),
                    bound.clone(),
                    // Relaxed: a unique id is all that is needed.
                    NEXT_HANDLE.fetch_add(1, Ordering::Relaxed),
                ));
                let hash = ident.handle.wrapping_mul(0x9e37_79b9_7f4a_7c15);
                CellRef::Timing(ident, hash)
            }
        });
    let Some((cell, new)) = made else {
        return Err(DropReason::HandleLimit);
    };
    if new {
        shared.handles.lock().push(Registration {
            name,
            tags: TagsRepr::with_bound(bound, call),
            cell: cell.clone(),
        });
    }
    Ok(cell)
}

impl Telemetry {
    /// A handle that does nothing: every emission is free and discarded. What the
    /// global facade uses before [`init`](crate::init).
    pub const fn noop() -> Self {
        Telemetry { rt: None }
    }

    /// Whether this is a no-op handle ([`Telemetry::noop`]).
    pub fn is_noop(&self) -> bool {
        self.rt.is_none()
    }

    /// Starts the pipeline: the flusher thread and one thread per sink. Each sink's
    /// [`start_warnings`](crate::sinks::Sink::start_warnings) go to the `on_error`
    /// handler once, as [`Error::SinkWarning`], before this returns.
    ///
    /// # Errors
    /// [`Error::Spawn`] if a thread cannot be started.
    pub fn start(config: Config) -> Result<Self, Error> {
        // The span and timer clock calibrates once per process, here rather than at the
        // first span.
        crate::clock::calibrate();
        // Sinks' start-up warnings, reported once the pipeline is running.
        let warnings: Vec<Error> = config
            .sinks
            .iter()
            .flat_map(|sink| {
                sink.start_warnings()
                    .into_iter()
                    .map(|message| Error::SinkWarning {
                        sink: sink.name().to_owned(),
                        message,
                    })
            })
            .collect();
        let on_error = config.on_error.clone();
        let rt = Runtime::start(config)?;
        if let Some(handler) = on_error {
            for w in &warnings {
                // Like the pipeline's own reports: a panicking handler changes nothing.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(w)));
            }
        }
        Ok(Telemetry {
            rt: Some(Arc::new(rt)),
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
            bound: intern(self.rt.as_deref(), &NO_BOUND, &tags),
        }
    }

    /// Publishes the current state now and waits until every sink has exported it,
    /// or `timeout` passes.
    ///
    /// # Errors
    /// [`Error::Timeout`] naming the sinks still busy, [`Error::Export`] naming the
    /// sinks whose export failed and why (each one's [`SinkFailure`](crate::SinkFailure)), [`Error::NotRunning`] after shutdown or on a no-op
    /// handle, [`Error::OnPipelineThread`] at once when called from an `on_error` hook
    /// or a sink (which the flush would wait for).
    pub fn flush(&self, timeout: Duration) -> Result<(), Error> {
        if crate::pipeline::is_internal_thread() {
            return Err(Error::OnPipelineThread { what: "flush" });
        }
        match &self.rt {
            Some(rt) => rt.flush(timeout),
            None => Err(Error::NotRunning),
        }
    }

    /// Stops accepting emissions (later ones are counted as dropped), publishes a
    /// final snapshot with everything emitted before, waits for every sink to
    /// export it and joins the threads, all within `timeout`. Calling it again (or
    /// concurrently) waits for the first call, up to its own `timeout`, and reports
    /// that call's outcome.
    ///
    /// # Errors
    /// [`Error::Timeout`] naming what did not finish (a hung sink's thread is left
    /// detached), [`Error::Export`] naming sinks whose final export or own
    /// [`Sink::shutdown`](crate::sinks::Sink::shutdown) step failed (a Pushgateway
    /// delete), with each one's [`SinkFailure`](crate::SinkFailure),
    /// [`Error::OnPipelineThread`] at once when called from an `on_error` hook or a sink.
    pub fn shutdown(&self, timeout: Duration) -> Result<(), Error> {
        if crate::pipeline::is_internal_thread() {
            return Err(Error::OnPipelineThread { what: "shutdown" });
        }
        match &self.rt {
            Some(rt) => rt.shutdown(timeout),
            None => Ok(()),
        }
    }

    /// [`flush`](Self::flush) for async code: the wait happens on a short-lived thread
    /// of its own, started when the future is first polled, so a runtime's worker
    /// thread is never blocked. Needs no particular runtime. Dropping the future does
    /// not cancel the flush.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let telemetry = telemetra::Telemetry::start(telemetra::Config::builder().build()?)?;
    /// # let rt = tokio::runtime::Builder::new_current_thread().build()?;
    /// rt.block_on(async {
    ///     telemetry.incr("jobs.done", ());
    ///     telemetry.flush_async(std::time::Duration::from_secs(5)).await
    /// })?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`flush`](Self::flush), and [`Error::Spawn`] if no thread could be started.
    pub fn flush_async(&self, timeout: Duration) -> OffThread<()> {
        let t = self.clone();
        OffThread::new("flush", move || t.flush(timeout))
    }

    /// [`shutdown`](Self::shutdown) for async code, off the runtime's threads as
    /// [`flush_async`](Self::flush_async) is.
    ///
    /// # Errors
    /// As [`shutdown`](Self::shutdown), and [`Error::Spawn`] if no thread could be
    /// started.
    pub fn shutdown_async(&self, timeout: Duration) -> OffThread<()> {
        let t = self.clone();
        OffThread::new("shutdown", move || t.shutdown(timeout))
    }

    /// The live aggregate: every thread's cells collected now, as a cumulative
    /// snapshot, rather than the last one published (up to `flush_interval` old). No
    /// sink receives it, and delta sinks' next deltas are unaffected (they are
    /// differences of cumulative values). This is what a Prometheus scrape reads (see
    /// [`sinks::prometheus::scrape`](crate::sinks::prometheus::scrape)).
    ///
    /// Each call closes a collection interval: the exact per-interval extremes that
    /// delta sinks receive survive up to 32 such calls between two flushes (beyond,
    /// they are the histogram bucket edges, see `docs/sinks.md`).
    ///
    /// # Errors
    /// [`Error::NotRunning`] after shutdown, [`Error::Timeout`] if the flusher does not
    /// answer in `timeout`, [`Error::OnPipelineThread`] from a sink or hook.
    pub fn collect_now(&self, timeout: Duration) -> Result<Arc<Snapshot>, Error> {
        if crate::pipeline::is_internal_thread() {
            return Err(Error::OnPipelineThread {
                what: "collect_now",
            });
        }
        match &self.rt {
            Some(rt) => rt.collect_now(timeout),
            None => Err(Error::NotRunning),
        }
    }

    /// The metric catalog the pipeline was configured with, if any.
    pub fn catalog(&self) -> Option<Arc<crate::catalog::Catalog>> {
        self.rt.as_ref()?.shared.catalog.clone()
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

    /// Starts a span in the thread's [current](crate::trace::current()) context: a
    /// child of the entered span, or a new trace when none is (see [`Tracer::span`]).
    pub fn span(&self, name: impl Into<std::borrow::Cow<'static, str>>) -> Span {
        self.tracer().span(name)
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
            bound: intern(self.rt.as_deref(), &self.bound, &tags),
        }
    }
}

fn intern<T: IntoTags + ?Sized>(rt: Option<&Runtime>, base: &BoundTags, extra: &T) -> BoundTags {
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
    tags.extend(to_owned_tags(&extra, rt.shared.clip_at).into_vec());
    // Later keys win: keep the last occurrence of each key.
    let mut dedup: Vec<Tag> = Vec::with_capacity(tags.len());
    for t in tags.into_iter().rev() {
        if !dedup.iter().any(|d| d.key == t.key) {
            dedup.push(t);
        }
    }
    rt.shared.interner.intern(dedup)
}

#[cfg(feature = "prometheus")]
impl crate::sinks::prometheus::Collect for Telemetry {
    fn collect_now(&self, timeout: Duration) -> Result<Arc<Snapshot>, Error> {
        Telemetry::collect_now(self, timeout)
    }

    fn catalog(&self) -> Option<Arc<crate::catalog::Catalog>> {
        Telemetry::catalog(self)
    }
}
