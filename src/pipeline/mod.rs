//! The pipeline: per-thread buffers → bounded queue → flusher (aggregation,
//! snapshots) → one worker per sink.

mod aggregate;
pub(crate) mod cell;
pub(crate) mod family;
mod flusher;
pub(crate) mod handles;
mod ident_hash;
mod interner;
pub(crate) mod local;
mod records;
mod worker;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use parking_lot::Mutex;

use crate::config::{Config, ErrorHandler};
use crate::error::SinkFailure;
use crate::snapshot::{Kind, Snapshot};
use crate::switches::{Switch, Switches};
use crate::tags::{Str, TagsRepr};
use crate::Error;

pub(crate) use interner::Interner;
use local::ThreadBuf;
pub use records::RecordStats;
pub(crate) use records::RecordsShared;
use worker::SinkState;

/// The value of one emission.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Sample {
    /// A whole counter increment (exact to `u64`).
    Count(u64),
    /// A fractional counter increment (a cost, a sampled count scaled up).
    Add(f64),
    /// A gauge value.
    Gauge(f64),
    /// A timing, in nanoseconds.
    Nanos(u64),
}

impl Sample {
    /// The kind of series it feeds.
    #[inline]
    pub(crate) fn kind(self) -> Kind {
        match self {
            Sample::Count(_) | Sample::Add(_) => Kind::Counter,
            Sample::Gauge(_) => Kind::Gauge,
            Sample::Nanos(_) => Kind::Timing,
        }
    }

    /// False for NaN, infinite and negative counter increments and NaN or infinite
    /// gauges (the caller counts them as `invalid_value`).
    #[inline]
    pub(crate) fn is_valid(self) -> bool {
        match self {
            Sample::Count(_) | Sample::Nanos(_) => true,
            Sample::Add(v) => v.is_finite() && v >= 0.0,
            Sample::Gauge(v) => v.is_finite(),
        }
    }

    /// A timing in milliseconds as nanoseconds; None for NaN, infinite or negative.
    #[inline]
    pub(crate) fn from_ms(ms: f64) -> Option<Sample> {
        // `as` saturates: values past u64::MAX ns (584 years) become u64::MAX.
        (ms.is_finite() && ms >= 0.0).then(|| Sample::Nanos((ms * 1e6).round() as u64))
    }

    /// A duration as a timing, saturating at `u64::MAX` ns.
    #[inline]
    pub(crate) fn from_duration(d: Duration) -> Sample {
        Sample::Nanos(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
    }
}

/// One emission that could not be aggregated on its thread, on its way to the flusher.
#[derive(Debug, Clone)]
pub(crate) struct Emission {
    pub(crate) name: Str,
    pub(crate) tags: TagsRepr,
    pub(crate) sample: Sample,
    /// `Some(ok)` adds the tag `success=true|false`.
    pub(crate) outcome: Option<bool>,
}

/// Why an emission was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DropReason {
    QueueFull,
    Shutdown,
    InvalidName,
    InvalidValue,
    /// `ops.metrics_collection` was off.
    Disabled,
    /// A handle made past the cap on distinct handles.
    HandleLimit,
}

/// Counters of what happened to emissions, readable at any time.
///
/// `attempted = emitted + every dropped_*` holds exactly once the pipeline has been
/// flushed (emissions still buffered in threads count in neither).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Emissions aggregated into a series (overflow series included).
    pub emitted: u64,
    /// Dropped because the shared queue was full.
    pub dropped_queue_full: u64,
    /// Dropped because the pipeline was shut down (or shutting down).
    pub dropped_shutdown: u64,
    /// Dropped for an empty or over-long name.
    pub dropped_invalid_name: u64,
    /// Dropped for a NaN, infinite or (for counters and timings) negative value.
    pub dropped_invalid_value: u64,
    /// Dropped because the `ops.metrics_collection` switch was off.
    pub dropped_disabled: u64,
    /// Handle operations dropped because the handle was created past the cap on
    /// distinct handles (`max_series`).
    pub dropped_handle_limit: u64,
    /// Whole counter increments that would have taken a series' total past
    /// `u64::MAX`: the total stays at `u64::MAX` and they are counted here (also in
    /// `emitted`).
    pub counter_overflow: u64,
    /// Emissions routed to an overflow series by the cardinality caps (also in
    /// `emitted`).
    pub cardinality_overflow: u64,
    /// Series currently held.
    pub series: u64,
    /// Snapshots made: those published to the sinks and those made for
    /// [`Telemetry::collect_now`](crate::Telemetry::collect_now) (scrapes).
    pub snapshots: u64,
}

impl Stats {
    /// Every emission dropped, for any reason.
    pub fn dropped(&self) -> u64 {
        self.dropped_queue_full
            + self.dropped_shutdown
            + self.dropped_invalid_name
            + self.dropped_invalid_value
            + self.dropped_disabled
            + self.dropped_handle_limit
    }
}

#[derive(Debug, Default)]
pub(crate) struct AtomicStats {
    pub(crate) emitted: AtomicU64,
    pub(crate) queue_full: AtomicU64,
    pub(crate) shutdown: AtomicU64,
    pub(crate) invalid_name: AtomicU64,
    pub(crate) invalid_value: AtomicU64,
    pub(crate) agg_invalid_name: AtomicU64,
    pub(crate) agg_invalid_value: AtomicU64,
    pub(crate) disabled: AtomicU64,
    pub(crate) handle_limit: AtomicU64,
    pub(crate) counter_overflow: AtomicU64,
    pub(crate) overflow: AtomicU64,
    pub(crate) series: AtomicU64,
    pub(crate) snapshots: AtomicU64,
}

/// Messages to the flusher.
pub(crate) enum Control {
    /// Publish now; reply with the snapshot's sequence number.
    Flush(Sender<u64>),
    /// Publish a final snapshot, stop the workers, exit.
    Shutdown(Sender<u64>),
    /// Collect now and reply with the snapshot, without delivering it to the sinks
    /// (a scrape of the live aggregate).
    Collect(Sender<Arc<Snapshot>>),
}

#[derive(Debug, Default)]
pub(crate) struct Registry {
    pub(crate) bufs: Vec<Arc<ThreadBuf>>,
    pub(crate) closed: bool,
}

/// State shared by the handles, the flusher and the workers.
pub(crate) struct Shared {
    pub(crate) id: u64,
    pub(crate) closed: CachePaddedBool,
    pub(crate) batch_size: usize,
    pub(crate) tx: Sender<Vec<Emission>>,
    pool_tx: Sender<Vec<Emission>>,
    pool_rx: Receiver<Vec<Emission>>,
    pub(crate) registry: Mutex<Registry>,
    pub(crate) fallback: ThreadBuf,
    pub(crate) interner: Interner,
    pub(crate) stats: AtomicStats,
    pub(crate) handles: Mutex<Vec<handles::Registration>>,
    pub(crate) control: Sender<Control>,
    pub(crate) latest: Mutex<Option<Arc<Snapshot>>>,
    pub(crate) sinks: Vec<Arc<SinkState>>,
    pub(crate) on_error: Option<ErrorHandler>,
    pub(crate) catalog: Option<Arc<crate::catalog::Catalog>>,
    pub(crate) max_name_len: usize,
    /// Most series one thread keeps a cell for: `max_series` plus room for the
    /// pipeline's own and for one series seen both plainly and through a family,
    /// at least `local::MIN_LOCAL_SERIES`. More distinct series than `max_series`
    /// cannot be told apart downstream anyway (they share the overflow series), so
    /// at default settings no realistic emission pattern reaches the queue.
    pub(crate) local_series: usize,
    /// How long a tag key or value may be in a thread's copy of a series: twice the
    /// configured limits, so that the flusher's PII scrubber still sees a match that
    /// straddles the limit before the tags are cut to it.
    pub(crate) clip_at: usize,
    /// Seeds the emitting threads' series hashes (see `ident_hash`; random per
    /// pipeline, so that tag values chosen by a client cannot be aimed at a bucket).
    pub(crate) seed: u64,
    /// The cuts and collection epoch every timing cell shares.
    pub(crate) timing: Arc<crate::histogram::cuts::TimingShared>,
    /// Pre-bound handles by identity (so that asking twice shares one cell), and how
    /// many distinct ones may exist.
    pub(crate) handle_index: Mutex<handles::HandleIndex>,
    /// `ops.metrics_collection`, resolved once: one relaxed load per emission.
    pub(crate) collect: Switch,
    pub(crate) switches: Switches,
    pub(crate) records: RecordsShared,
}

/// `closed` on its own cache line: read on every emission, written once.
pub(crate) type CachePaddedBool = crossbeam_utils::CachePadded<AtomicBool>;

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("id", &self.id)
            .field("closed", &self.closed.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl Shared {
    pub(crate) fn count_drop(&self, reason: DropReason, n: u64) {
        let c = match reason {
            DropReason::QueueFull => &self.stats.queue_full,
            DropReason::Shutdown => &self.stats.shutdown,
            DropReason::InvalidName => &self.stats.invalid_name,
            DropReason::InvalidValue => &self.stats.invalid_value,
            DropReason::Disabled => &self.stats.disabled,
            DropReason::HandleLimit => &self.stats.handle_limit,
        };
        // Relaxed: a statistic; nothing is ordered by it.
        c.fetch_add(n, Ordering::Relaxed);
    }

    /// An empty vector with room for a batch: recycled when possible.
    pub(crate) fn spare_vec(&self) -> Vec<Emission> {
        self.pool_rx
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(self.batch_size))
    }

    /// Returns an emptied batch vector to the pool (or frees it if the pool is full).
    /// Vectors smaller than a batch (a fresh buffer's empty `Vec`) are freed instead:
    /// an emitter handed one would allocate as it grows.
    pub(crate) fn recycle(&self, v: Vec<Emission>) {
        debug_assert!(v.is_empty());
        if v.capacity() >= self.batch_size {
            let _ = self.pool_tx.try_send(v);
        }
    }

    pub(crate) fn register_thread(&self) -> Option<Arc<ThreadBuf>> {
        let mut reg = self.registry.lock();
        if reg.closed {
            return None;
        }
        let buf = Arc::new(ThreadBuf::default());
        reg.bufs.push(Arc::clone(&buf));
        Some(buf)
    }

    pub(crate) fn report(&self, err: &Error) {
        if let Some(h) = &self.on_error {
            let h = Arc::clone(h);
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| h(err)));
        }
    }

    pub(crate) fn stats(&self) -> Stats {
        let s = &self.stats;
        let r = |a: &AtomicU64| a.load(Ordering::Relaxed);
        Stats {
            emitted: r(&s.emitted),
            dropped_queue_full: r(&s.queue_full),
            dropped_shutdown: r(&s.shutdown),
            dropped_invalid_name: r(&s.invalid_name) + r(&s.agg_invalid_name),
            dropped_invalid_value: r(&s.invalid_value) + r(&s.agg_invalid_value),
            dropped_disabled: r(&s.disabled),
            dropped_handle_limit: r(&s.handle_limit),
            counter_overflow: r(&s.counter_overflow),
            cardinality_overflow: r(&s.overflow),
            series: r(&s.series),
            snapshots: r(&s.snapshots),
        }
    }

    pub(crate) fn record_stats(&self) -> RecordStats {
        let mut st = self.records.stats();
        for s in self.sinks.iter().filter(|s| s.accepts_records) {
            let c = &s.records;
            // Relaxed: statistics only.
            st.exported += c.exported.load(Ordering::Relaxed);
            st.buffer_overflow += c.overflow.load(Ordering::Relaxed);
            st.rejected += c.rejected.load(Ordering::Relaxed);
        }
        st
    }
}

/// Threads of a running pipeline, with a "finished" signal each so that shutdown can
/// wait with a deadline (std's `join` has none).
struct Threads {
    list: Vec<(String, std::thread::JoinHandle<()>, Receiver<()>)>,
}

/// What a [`Telemetry`](crate::Telemetry) handle points to. Dropping the last handle
/// shuts the pipeline down (bounded by `drop_timeout`).
pub(crate) struct Runtime {
    pub(crate) shared: Arc<Shared>,
    /// A tracer reporting to this pipeline (its exporter holds `shared`, not the
    /// runtime, so it does not keep the pipeline running).
    pub(crate) tracer: crate::trace::Tracer,
    threads: Mutex<Option<Threads>>,
    drop_timeout: Duration,
    /// How the shutdown ended, once it has: a `shutdown` called while another is under
    /// way waits for it here and reports the same outcome.
    shutdown_outcome: Mutex<Option<Outcome>>,
    shutdown_done: parking_lot::Condvar,
}

/// A shutdown's result, kept to report again.
#[derive(Clone, Debug)]
enum Outcome {
    Ok,
    Timeout(Duration, Vec<String>),
    Export(Vec<String>, Vec<SinkFailure>),
    Other(String),
}

impl Outcome {
    fn of(r: &Result<(), Error>) -> Outcome {
        match r {
            Ok(()) => Outcome::Ok,
            Err(Error::Timeout { timeout, pending }) => Outcome::Timeout(*timeout, pending.clone()),
            Err(Error::Export { sinks, failures }) => {
                Outcome::Export(sinks.clone(), failures.clone())
            }
            Err(e) => Outcome::Other(e.to_string()),
        }
    }

    fn result(self) -> Result<(), Error> {
        match self {
            Outcome::Ok => Ok(()),
            Outcome::Timeout(timeout, pending) => Err(Error::Timeout { timeout, pending }),
            Outcome::Export(sinks, failures) => Err(Error::Export { sinks, failures }),
            Outcome::Other(what) => Err(Error::Timeout {
                timeout: Duration::ZERO,
                pending: vec![what],
            }),
        }
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("shared", &self.shared)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    pub(crate) fn start(mut config: Config) -> Result<Runtime, Error> {
        if let Some(catalog) = &config.catalog {
            for s in &mut config.sinks {
                s.set_catalog(Arc::clone(catalog));
            }
        }
        let batches = (config.queue_capacity / config.batch_size).max(1);
        let (tx, rx) = crossbeam_channel::bounded(batches);
        let (pool_tx, pool_rx) = crossbeam_channel::bounded(batches + 8);
        let (control, control_rx) = crossbeam_channel::unbounded();
        let sinks: Vec<Arc<SinkState>> = config
            .sinks
            .iter()
            .map(|s| {
                Arc::new(SinkState::new(
                    s.name(),
                    config.switches.sink(s.name()).ok(),
                    s.accepts_records(),
                    config.record_buffer,
                ))
            })
            .collect();
        let records_enabled = sinks.iter().any(|s| s.accepts_records);
        // Every bound a sink reads timings at, and the user's, counted exactly.
        let (timing_cuts, left_out) = crate::histogram::cuts::Cuts::new(
            config
                .sinks
                .iter()
                .flat_map(|s| s.exact_timing_bounds())
                .chain(config.exact_timing_bounds.iter().copied()),
        );
        if left_out > 0 {
            return Err(Error::config(
                "exact_timing_bounds",
                format!(
                    "{} distinct timing bounds fall inside histogram buckets (sinks' bucket \
                     bounds, SLO thresholds and the configured ones); at most {} can be \
                     counted exactly",
                    timing_cuts.len() + left_out,
                    crate::histogram::cuts::MAX_TIMING_CUTS
                ),
            ));
        }
        // The queue's slots are allocated up front: none to speak of without record sinks.
        let record_capacity = if records_enabled {
            config.record_queue_capacity
        } else {
            1
        };
        let (record_tx, record_rx) = crossbeam_channel::bounded(record_capacity);
        let (doorbell_tx, doorbell_rx) = crossbeam_channel::bounded(1);
        let shared = Arc::new(Shared {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            closed: CachePaddedBool::new(AtomicBool::new(false)),
            batch_size: config.batch_size,
            tx,
            pool_tx,
            pool_rx,
            registry: Mutex::new(Registry::default()),
            fallback: ThreadBuf::default(),
            interner: Interner::new(config.max_tag_sets),
            stats: AtomicStats::default(),
            handles: Mutex::new(Vec::new()),
            control,
            latest: Mutex::new(None),
            sinks,
            on_error: config.on_error.clone(),
            catalog: config.catalog.clone(),
            max_name_len: config.max_name_len,
            local_series: config
                .max_series
                .saturating_add(config.max_series / 4)
                .max(local::MIN_LOCAL_SERIES),
            clip_at: config
                .max_tag_value_len
                .max(config.max_tag_key_len)
                .saturating_mul(2),
            seed: crate::sampling::SplitMix64::from_entropy().next_u64(),
            timing: Arc::new(crate::histogram::cuts::TimingShared {
                cuts: timing_cuts,
                epoch: AtomicU64::new(0),
            }),
            handle_index: Mutex::new(handles::HandleIndex::new(config.max_series)),
            collect: config.switches.metrics_collection(),
            switches: config.switches.clone(),
            records: RecordsShared::new(
                config.sampling.clone(),
                record_tx,
                doorbell_tx,
                records_enabled,
                config.event_metrics,
            ),
        });
        let exporter = Arc::new(records::PipelineExporter {
            shared: Arc::clone(&shared),
        });
        let tracer = crate::trace::Tracer::builder()
            .exporter(exporter)
            .sample_rate(config.trace_sample_rate)
            .build()
            .map_err(|e| Error::config("trace_sample_rate", e.to_string()))?;
        let mut threads = Threads { list: Vec::new() };
        let drop_timeout = config.drop_timeout;
        let flusher = flusher::Flusher::new(
            &config,
            Arc::clone(&shared),
            rx,
            (record_rx, doorbell_rx),
            control_rx,
        )?;
        for (sink, state) in config.sinks.into_iter().zip(shared.sinks.iter()) {
            let name = format!("telemetra-sink-{}", state.name);
            let w = worker::Worker::new(sink, Arc::clone(state), Arc::clone(&shared));
            spawn(&mut threads, name, move || w.run())?;
        }
        if let Err(e) = spawn(&mut threads, "telemetra-flusher".to_owned(), move || {
            flusher.run()
        }) {
            for s in &shared.sinks {
                s.stop();
            }
            return Err(e);
        }
        Ok(Runtime {
            shared,
            tracer,
            threads: Mutex::new(Some(threads)),
            drop_timeout,
            shutdown_outcome: Mutex::new(None),
            shutdown_done: parking_lot::Condvar::new(),
        })
    }

    pub(crate) fn flush(&self, timeout: Duration) -> Result<(), Error> {
        let deadline = Instant::now() + timeout;
        let seq = self.ask(Control::Flush, deadline, timeout)?;
        self.wait_sinks(seq, deadline, timeout)
    }

    /// The live aggregate: every thread's cells collected now, as a snapshot that no
    /// sink receives.
    pub(crate) fn collect_now(&self, timeout: Duration) -> Result<Arc<Snapshot>, Error> {
        self.ask(Control::Collect, Instant::now() + timeout, timeout)
    }

    /// Sends the flusher a request and waits for its answer until `deadline`.
    fn ask<T>(
        &self,
        request: impl FnOnce(Sender<T>) -> Control,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<T, Error> {
        if self.shared.closed.load(Ordering::Acquire) {
            return Err(Error::NotRunning);
        }
        let (tx, rx) = crossbeam_channel::bounded(1);
        if self.shared.control.send(request(tx)).is_err() {
            return Err(Error::NotRunning);
        }
        rx.recv_deadline(deadline).map_err(|_| Error::Timeout {
            timeout,
            pending: vec!["flusher".to_owned()],
        })
    }

    fn wait_sinks(&self, seq: u64, deadline: Instant, timeout: Duration) -> Result<(), Error> {
        let mut pending = Vec::new();
        let mut failures = Vec::new();
        for s in &self.shared.sinks {
            match s.wait_attempted(seq, deadline) {
                None => pending.push(s.name.clone()),
                Some(Err(failure)) => failures.push(failure),
                Some(Ok(())) => {}
            }
        }
        if !pending.is_empty() {
            Err(Error::Timeout { timeout, pending })
        } else if !failures.is_empty() {
            Err(Error::export(failures))
        } else {
            Ok(())
        }
    }

    pub(crate) fn shutdown(&self, timeout: Duration) -> Result<(), Error> {
        let deadline = Instant::now() + timeout;
        let Some(threads) = self.threads.lock().take() else {
            return self.await_shutdown(deadline, timeout);
        };
        let result = self.shutdown_threads(threads, deadline, timeout);
        *self.shutdown_outcome.lock() = Some(Outcome::of(&result));
        self.shutdown_done.notify_all();
        result
    }

    /// Another call is shutting the pipeline down (or has): waits for it, up to
    /// `deadline`, and reports its outcome.
    fn await_shutdown(&self, deadline: Instant, timeout: Duration) -> Result<(), Error> {
        let mut outcome = self.shutdown_outcome.lock();
        while outcome.is_none() {
            if self
                .shutdown_done
                .wait_until(&mut outcome, deadline)
                .timed_out()
            {
                break;
            }
        }
        match outcome.clone() {
            Some(o) => o.result(),
            None => Err(Error::Timeout {
                timeout,
                pending: vec!["shutdown in progress".to_owned()],
            }),
        }
    }

    fn shutdown_threads(
        &self,
        threads: Threads,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<(), Error> {
        // Release: pairs with the Acquire in `flush`; emitters read it Relaxed and
        // rely on the per-buffer flag for exactness.
        self.shared.closed.store(true, Ordering::Release);
        let (tx, rx) = crossbeam_channel::bounded(1);
        let sent = self.shared.control.send(Control::Shutdown(tx)).is_ok();
        let result = match sent.then(|| rx.recv_deadline(deadline)) {
            Some(Ok(seq)) => self.wait_sinks(seq, deadline, timeout),
            _ => Err(Error::Timeout {
                timeout,
                pending: vec!["flusher".to_owned()],
            }),
        };
        // The flusher tells the workers to stop once the final snapshot is in their
        // mailboxes; wait for every thread, up to the deadline.
        let mut pending = Vec::new();
        for (name, handle, done) in threads.list {
            if done.recv_deadline(deadline).is_ok() || handle.is_finished() {
                let _ = handle.join();
            } else {
                pending.push(name); // detached: a hung sink keeps its thread
            }
        }
        // Sinks whose own `shutdown` failed (a Pushgateway delete, say), among the
        // threads that finished.
        let shutdown_failed: Vec<SinkFailure> = self
            .shared
            .sinks
            .iter()
            .filter_map(|s| s.shutdown_failure.lock().clone())
            .collect();
        match result {
            Ok(()) if !pending.is_empty() => Err(Error::Timeout { timeout, pending }),
            Ok(()) if !shutdown_failed.is_empty() => Err(Error::export(shutdown_failed)),
            Err(Error::Export { mut failures, .. }) => {
                // A sink whose final export failed keeps that reason first.
                for f in shutdown_failed {
                    if !failures.iter().any(|g| g.sink == f.sink) {
                        failures.push(f);
                    }
                }
                Err(Error::export(failures))
            }
            other => other,
        }
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        let _ = self.shutdown(self.drop_timeout);
    }
}

thread_local! {
    /// Set on the pipeline's own threads (flusher, sink workers).
    static INTERNAL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the calling thread is one of a pipeline's own: integrations ignore what
/// happens there (a sink's HTTP client logging through `tracing`, say), so that
/// exporting never feeds itself.
pub(crate) fn is_internal_thread() -> bool {
    INTERNAL.try_with(std::cell::Cell::get).unwrap_or(false)
}

fn spawn(
    threads: &mut Threads,
    name: String,
    f: impl FnOnce() + Send + 'static,
) -> Result<(), Error> {
    let (done_tx, done_rx) = crossbeam_channel::bounded(1);
    let handle = std::thread::Builder::new()
        .name(name.clone())
        .spawn(move || {
            let _ = INTERNAL.try_with(|i| i.set(true));
            f();
            let _ = done_tx.send(());
        })
        .map_err(|source| Error::Spawn {
            what: name.clone(),
            source,
        })?;
    threads.list.push((name, handle, done_rx));
    Ok(())
}
