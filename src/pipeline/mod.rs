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
mod runtime;
mod worker;

pub(crate) use runtime::Runtime;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};
use parking_lot::Mutex;

use crate::config::{Config, ErrorHandler};
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
