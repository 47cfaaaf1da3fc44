//! telemetra as the backend of the [`metrics`](https://docs.rs/metrics/0.24) facade
//! (feature `metrics`): a library instrumented with `metrics::counter!`,
//! `metrics::gauge!` and `metrics::histogram!` lands in the same pipeline, aggregation
//! and sinks as everything emitted through [`Telemetry`].
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use telemetra::integrations::metrics::TelemetraRecorder;
//! use telemetra::{sinks::MemorySink, Config, Telemetry};
//!
//! let sink = MemorySink::new();
//! let telemetry = Telemetry::start(Config::builder().sink(sink.clone()).build()?)?;
//! // An application installs it once: `telemetra::integrations::metrics::install(&telemetry)?`.
//! // Here it is the recorder of this thread for the closure only.
//! let recorder = TelemetraRecorder::new(&telemetry);
//! metrics::with_local_recorder(&recorder, || {
//!     metrics::counter!("http.requests", "route" => "/users/:id").increment(1);
//!     metrics::histogram!("http.latency").record(0.012); // seconds, by convention
//! });
//! telemetry.flush(Duration::from_secs(5))?;
//! assert_eq!(sink.counter("http.requests", &[("route", "/users/:id")]), Some(1.0));
//! let latency = sink.last().and_then(|s| s.timing("http.latency", &[]).cloned());
//! assert_eq!(latency.map(|d| d.sum), Some(12.0)); // milliseconds
//! # Ok(()) }
//! ```
//!
//! ## Mapping
//!
//! | `metrics` | telemetra |
//! | --- | --- |
//! | counter: `increment(n)` | a pre-bound [`Counter`](crate::Counter) handle: `add(n)` |
//! | counter: `absolute(v)` | adds `v` minus the highest absolute seen so far, when positive |
//! | gauge: `set`, `increment`, `decrement` | a [`Gauge`](crate::Gauge) handle, set to a value kept in the recorder |
//! | histogram: `record(v)` | a [`TimingHandle`](crate::TimingHandle): `record_ms(v` converted by the unit rule`)` |
//! | labels | tags |
//! | `describe_*` | kept, readable with [`TelemetraRecorder::description`] |
//!
//! **Histograms are timings.** `metrics` histograms carry no unit, telemetra's
//! distributions are durations. The unit given to `describe_histogram!` decides:
//! [`Unit::Seconds`] (the default when none is given, as the `metrics` ecosystem records
//! `elapsed.as_secs_f64()`), [`Unit::Milliseconds`], [`Unit::Microseconds`] or
//! [`Unit::Nanoseconds`]; any other unit (bytes, count, …) records the value unchanged
//! in the millisecond slot, so sinks will present it as a duration. Negative, NaN and
//! infinite values are dropped and counted, as for [`TimingHandle::record_ms`](crate::TimingHandle::record_ms).
//!
//! **`absolute` goes only up.** The recorder keeps the highest `absolute` value of each
//! counter and adds the growth; a lower value is ignored (the total stays where it was,
//! and the counter grows again only once a later value passes the highest one). Mixing
//! `increment` and `absolute` on one counter adds both.
//!
//! **Gauges** keep their value in the recorder, as `f64` bits in an atomic, so that
//! `increment` and `decrement` are exact read-modify-writes across threads; each change
//! is then set on the telemetra [`Gauge`](crate::Gauge). A change that would make the value NaN or
//! infinite is dropped and counted.
//!
//! ## The registration fast path
//!
//! `metrics::counter!(…)` registers on every call. A thread keeps the handles it has
//! registered in a table of its own (a `hashbrown::HashTable` keyed by
//! [`Key::get_hash`] mixed with the recorder's id; a match is confirmed by the addresses
//! of a key's `'static` name and labels, as `counter!` builds from literals, or else by
//! comparing the [`Key`]), so registering a key the thread has seen takes no lock,
//! allocates nothing and writes no shared cache line: the handle it returns is a
//! per-thread wrapper whose reference count only this thread changes. A thread keeps at most 4,096 handles
//! across all recorders; past that, registrations take a read lock on the recorder's
//! shared table (and contend on the shared handle's reference count). The shared table
//! holds at most 65,536 keys per kind; past that, each registration asks
//! [`Telemetry::counter`] (& co.) anew: a lock and allocations per call, and gauges lose
//! `increment`/`decrement` across registrations (`absolute` too).
//!
//! The keys' hashes come from `metrics` with a fixed seed: label values chosen by a
//! client could be made to collide, which the caps above bound.
//!
//! ## Lifetime
//!
//! The recorder holds a clone of the [`Telemetry`], and so does every handle it gave out,
//! threads' tables included: an installed (global) recorder is never dropped, so call
//! [`Telemetry::shutdown`] (or [`crate::shutdown`]) before exiting. A dropped recorder
//! forgets its handles on the dropping thread at once and on other threads when their
//! table next fills up or the thread exits.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Weak};

use ::metrics::{Key, KeyName, Metadata, Recorder, SetRecorderError, SharedString, Unit};
use hashbrown::HashTable;
use parking_lot::RwLock;

mod handles;

use self::handles::{Handle, Scale, Shared, SharedCounter, SharedGauge, SharedHistogram};
use crate::snapshot::Kind;
use crate::telemetry::Telemetry;

/// Handles one thread keeps, across all recorders.
const THREAD_CACHE_CAP: usize = 4_096;
/// Keys one recorder keeps per kind.
const REGISTRY_CAP: usize = 65_536;

/// Recorder ids (never reused, so a thread's entry cannot match a later recorder).
static NEXT_RECORDER: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static CACHE: RefCell<HashTable<Entry>> = const { RefCell::new(HashTable::new()) };
}

/// Installs a recorder over `telemetry` as the global `metrics` recorder, and returns a
/// handle to it (for [`TelemetraRecorder::description`]).
///
/// The global recorder is never dropped: call [`Telemetry::shutdown`] before exiting.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use telemetra::{integrations::metrics, Config, Telemetry};
///
/// let telemetry = Telemetry::start(Config::builder().build()?)?;
/// metrics::install(&telemetry)?;
/// ::metrics::counter!("jobs.done").increment(1);
/// telemetry.shutdown(std::time::Duration::from_secs(5))?;
/// # Ok(()) }
/// ```
///
/// # Errors
/// A [`SetRecorderError`] holding the recorder if a global `metrics` recorder was already
/// installed.
pub fn install(
    telemetry: &Telemetry,
) -> Result<TelemetraRecorder, SetRecorderError<TelemetraRecorder>> {
    let recorder = TelemetraRecorder::new(telemetry);
    recorder.clone().install()?;
    Ok(recorder)
}

/// A [`metrics::Recorder`] that emits into a [`Telemetry`] pipeline. Cheap to
/// clone: clones share their handles and descriptions. See the [module docs](self).
#[derive(Clone)]
pub struct TelemetraRecorder {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for TelemetraRecorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

/// What `describe_counter!`, `describe_gauge!` or `describe_histogram!` said about a
/// metric name. No sink uses it yet; it is kept for sinks that have a place for it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Description {
    /// The unit, if one was given.
    pub unit: Option<Unit>,
    /// The description.
    pub text: SharedString,
}

impl TelemetraRecorder {
    /// A recorder emitting into `telemetry` (which it clones).
    pub fn new(telemetry: &Telemetry) -> Self {
        TelemetraRecorder {
            inner: Arc::new(Inner {
                // Relaxed: a unique id is all that is needed.
                id: NEXT_RECORDER.fetch_add(1, Ordering::Relaxed),
                telemetry: telemetry.clone(),
                counters: Registry::default(),
                gauges: Registry::default(),
                histograms: Registry::default(),
                descriptions: RwLock::default(),
            }),
        }
    }

    /// Installs this recorder as the global `metrics` recorder (see [`install`]).
    ///
    /// # Errors
    /// A [`SetRecorderError`] holding the recorder if a global recorder was already
    /// installed.
    pub fn install(self) -> Result<(), SetRecorderError<Self>> {
        ::metrics::set_global_recorder(self)
    }

    /// The last description given for a metric `name` of this `kind` (a `metrics`
    /// histogram is a [`Kind::Timing`]).
    pub fn description(&self, kind: Kind, name: &str) -> Option<Description> {
        self.inner.descriptions.read().of(kind).get(name).cloned()
    }
}

impl Recorder for TelemetraRecorder {
    fn describe_counter(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        self.inner.describe(Kind::Counter, &key, unit, description);
    }

    fn describe_gauge(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        self.inner.describe(Kind::Gauge, &key, unit, description);
    }

    fn describe_histogram(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        self.inner.describe(Kind::Timing, &key, unit, description);
    }

    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> ::metrics::Counter {
        match self.inner.handle(Kind::Counter, key) {
            Handle::Counter(c) => c,
            _ => ::metrics::Counter::noop(),
        }
    }

    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> ::metrics::Gauge {
        match self.inner.handle(Kind::Gauge, key) {
            Handle::Gauge(g) => g,
            _ => ::metrics::Gauge::noop(),
        }
    }

    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> ::metrics::Histogram {
        match self.inner.handle(Kind::Timing, key) {
            Handle::Histogram(h) => h,
            _ => ::metrics::Histogram::noop(),
        }
    }
}

struct Inner {
    id: u64,
    telemetry: Telemetry,
    counters: Registry<SharedCounter>,
    gauges: Registry<SharedGauge>,
    histograms: Registry<SharedHistogram>,
    descriptions: RwLock<Descriptions>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TelemetraRecorder")
            .field("id", &self.id)
            .field("counters", &self.counters.table.read().len())
            .field("gauges", &self.gauges.table.read().len())
            .field("histograms", &self.histograms.table.read().len())
            .finish_non_exhaustive()
    }
}

impl Inner {
    /// The calling thread's handle for `key`, made and remembered on first use.
    #[inline]
    fn handle(self: &Arc<Self>, kind: Kind, key: &Key) -> Handle {
        let slot = slot_hash(key.get_hash(), self.id, kind);
        let hit = CACHE.try_with(|cache| {
            let cache = cache.try_borrow().ok()?;
            cache
                .find(slot, |e| {
                    e.recorder == self.id && e.kind == kind && same_key(&e.key, key)
                })
                .map(|e| e.handle.clone())
        });
        match hit {
            Ok(Some(handle)) => handle,
            _ => self.miss(kind, key, slot),
        }
    }

    #[cold]
    fn miss(self: &Arc<Self>, kind: Kind, key: &Key, slot: u64) -> Handle {
        let shared = match kind {
            Kind::Counter => self
                .counters
                .get_or_make(key, || self.make_counter(key))
                .map(Shared::Counter),
            Kind::Gauge => self
                .gauges
                .get_or_make(key, || self.make_gauge(key))
                .map(Shared::Gauge),
            Kind::Timing => self
                .histograms
                .get_or_make(key, || self.make_histogram(key))
                .map(Shared::Histogram),
        };
        let Some(shared) = shared else {
            // Past the registry's cap: a handle of its own, not remembered.
            return match kind {
                Kind::Counter => Shared::Counter(Arc::new(self.make_counter(key))),
                Kind::Gauge => Shared::Gauge(Arc::new(self.make_gauge(key))),
                Kind::Timing => Shared::Histogram(Arc::new(self.make_histogram(key))),
            }
            .handle();
        };
        match self.remember(kind, key, slot, &shared) {
            Some(local) => local,
            None => shared.handle(),
        }
    }

    /// Puts a per-thread wrapper of `shared` in the thread's table, if it has room
    /// (after forgetting the handles of dropped recorders).
    fn remember(
        self: &Arc<Self>,
        kind: Kind,
        key: &Key,
        slot: u64,
        shared: &Shared,
    ) -> Option<Handle> {
        let (local, dead) = CACHE
            .try_with(|cache| {
                let Ok(mut table) = cache.try_borrow_mut() else {
                    return (None, Vec::new());
                };
                let mut dead = Vec::new();
                if table.len() >= THREAD_CACHE_CAP {
                    dead.extend(table.extract_if(|e| e.owner.strong_count() == 0));
                }
                if table.len() >= THREAD_CACHE_CAP {
                    return (None, dead);
                }
                let local = shared.local();
                table.insert_unique(
                    slot,
                    Entry {
                        slot,
                        recorder: self.id,
                        kind,
                        owner: Arc::downgrade(self),
                        key: key.to_retained(),
                        handle: local.clone(),
                    },
                    |e| e.slot,
                );
                (Some(local), dead)
            })
            .unwrap_or((None, Vec::new()));
        // Dropped here, outside the borrow: the last handle to a pipeline shuts it down.
        drop(dead);
        local
    }

    fn make_counter(&self, key: &Key) -> SharedCounter {
        SharedCounter {
            handle: self.telemetry.counter(key.name().to_owned(), tags(key)),
            absolute: AtomicU64::new(0),
        }
    }

    fn make_gauge(&self, key: &Key) -> SharedGauge {
        SharedGauge {
            handle: self
                .telemetry
                .gauge_handle(key.name().to_owned(), tags(key)),
            bits: AtomicU64::new(0.0_f64.to_bits()),
        }
    }

    /// Reads the name's unit: called under the histogram table's write lock, which
    /// [`describe`](Self::describe) takes after storing a unit, so none is missed.
    fn make_histogram(&self, key: &Key) -> SharedHistogram {
        let unit = self
            .descriptions
            .read()
            .of(Kind::Timing)
            .get(key.name())
            .and_then(|d| d.unit);
        SharedHistogram {
            handle: self
                .telemetry
                .timing_handle(key.name().to_owned(), tags(key)),
            scale: AtomicU8::new(Scale::of(unit) as u8),
        }
    }

    fn describe(&self, kind: Kind, name: &KeyName, unit: Option<Unit>, text: SharedString) {
        let name = name.as_str();
        // `counter!(description: …)` describes on every call: a repeat changes nothing.
        let same = |d: &Description| d.unit == unit && d.text == text;
        if self
            .descriptions
            .read()
            .of(kind)
            .get(name)
            .is_some_and(same)
        {
            return;
        }
        self.descriptions
            .write()
            .of_mut(kind)
            .insert(name.to_owned(), Description { unit, text });
        if kind == Kind::Timing {
            let scale = Scale::of(unit) as u8;
            for (k, h) in self.histograms.table.read().iter() {
                if k.name() == name {
                    // Relaxed: the unit is a standalone value, read on each record.
                    h.scale.store(scale, Ordering::Relaxed);
                }
            }
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        let id = self.id;
        let gone: Vec<Entry> = CACHE
            .try_with(|cache| match cache.try_borrow_mut() {
                Ok(mut table) => table.extract_if(|e| e.recorder == id).collect(),
                Err(_) => Vec::new(),
            })
            .unwrap_or_default();
        drop(gone);
    }
}

/// Whether `key` is the `cached` one. The cached key keeps its name and labels alive,
/// so the same addresses (and lengths) mean the same contents: a key built from literals
/// by `counter!` & co., whose name and labels are `'static`, is recognised without
/// comparing a byte. Any other key is compared in full.
#[inline]
fn same_key(cached: &Key, key: &Key) -> bool {
    let same_place = std::ptr::eq(cached.name(), key.name())
        && std::ptr::eq(cached.labels().as_slice(), key.labels().as_slice());
    same_place || cached == key
}

/// The tags of a key, sorted so that keys equal to `metrics` (which ignores label
/// order) are one telemetra identity.
fn tags(key: &Key) -> Vec<(&str, &str)> {
    let mut tags: Vec<(&str, &str)> = key.labels().map(|l| (l.key(), l.value())).collect();
    tags.sort_unstable();
    tags
}

/// Where a key lives in a thread's table: the key's hash mixed with the recorder and
/// the kind (the final multiply spreads them over the bits hashbrown uses).
#[inline]
fn slot_hash(key_hash: u64, recorder: u64, kind: Kind) -> u64 {
    let x = (key_hash ^ recorder.rotate_left(32) ^ kind as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^ (x >> 29)
}

/// One recorder's table of one kind, shared by all threads.
struct Registry<T> {
    table: RwLock<HashTable<(Key, Arc<T>)>>,
}

impl<T> Default for Registry<T> {
    fn default() -> Self {
        Registry {
            table: RwLock::new(HashTable::new()),
        }
    }
}

impl<T> Registry<T> {
    /// The shared state of `key`, made by `make` on first use; `None` past the cap.
    fn get_or_make(&self, key: &Key, make: impl FnOnce() -> T) -> Option<Arc<T>> {
        let hash = key.get_hash();
        if let Some((_, v)) = self.table.read().find(hash, |(k, _)| k == key) {
            return Some(v.clone());
        }
        let mut table = self.table.write();
        if let Some((_, v)) = table.find(hash, |(k, _)| k == key) {
            return Some(v.clone());
        }
        if table.len() >= REGISTRY_CAP {
            return None;
        }
        let v = Arc::new(make());
        table.insert_unique(hash, (key.to_retained(), v.clone()), |(k, _)| k.get_hash());
        Some(v)
    }
}

#[derive(Default)]
struct Descriptions {
    counters: HashMap<String, Description>,
    gauges: HashMap<String, Description>,
    histograms: HashMap<String, Description>,
}

impl Descriptions {
    fn of(&self, kind: Kind) -> &HashMap<String, Description> {
        match kind {
            Kind::Counter => &self.counters,
            Kind::Gauge => &self.gauges,
            Kind::Timing => &self.histograms,
        }
    }

    fn of_mut(&mut self, kind: Kind) -> &mut HashMap<String, Description> {
        match kind {
            Kind::Counter => &mut self.counters,
            Kind::Gauge => &mut self.gauges,
            Kind::Timing => &mut self.histograms,
        }
    }
}

/// One remembered handle in a thread's table.
struct Entry {
    slot: u64,
    recorder: u64,
    kind: Kind,
    /// Tells a dropped recorder's entries apart when the table is full.
    owner: Weak<Inner>,
    key: Key,
    handle: Handle,
}
