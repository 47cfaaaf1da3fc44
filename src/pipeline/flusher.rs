//! The flusher thread: drains the queue into the aggregator, sweeps the threads'
//! partial batches, and publishes a snapshot every flush interval (or on request).
//! It also scrubs records (events, spans) and hands them to the record sinks' buffers
//! at least every `record_flush_interval`, and before every snapshot.

use crate::Snapshot;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use crossbeam_channel::{select, Receiver};

use super::aggregate::{Aggregator, Limits, SANITIZE_REASONS};
use super::cell::LocalCell;
use super::records::scrub_record;
use super::{Control, Emission, Shared};
use crate::config::Config;
use crate::pii::Scrubber;
use crate::record::Record;
use crate::snapshot::Kind;
use crate::tags::Tag;
use crate::trace::AttrValue;

pub(crate) struct Flusher {
    shared: Arc<Shared>,
    rx: Receiver<Vec<Emission>>,
    record_rx: Receiver<Record>,
    /// Rung by emitters when the record queue is a quarter full (see `records.rs`).
    doorbell: Receiver<()>,
    control: Receiver<Control>,
    agg: Aggregator,
    scrubber: Option<Arc<Scrubber>>,
    /// Scrubbed records not yet handed to the sinks, and when they must be.
    pending: Vec<Record>,
    records_due: Option<Instant>,
    record_interval: Duration,
    interval: Duration,
    self_metrics: bool,
    seq: u64,
    high_water_batches: usize,
    last_flush_ms: Option<f64>,
    /// Reused between sweeps: the threads' cells.
    cells: Vec<Arc<LocalCell>>,
    /// Series (by id) already checked against the catalog.
    catalog_checked: usize,
    /// Names already reported as emitted with the wrong kind.
    catalog_warned: std::collections::HashSet<String>,
    /// Added to every record that lacks the key.
    global: Arc<[Tag]>,
}

impl Flusher {
    pub(crate) fn new(
        config: &Config,
        shared: Arc<Shared>,
        rx: Receiver<Vec<Emission>>,
        (record_rx, doorbell): (Receiver<Record>, Receiver<()>),
        control: Receiver<Control>,
    ) -> Result<Self, crate::Error> {
        let scrubber = config.scrubber.clone().map(|c| Arc::new(Scrubber::new(c)));
        let mut agg = Aggregator::new(
            Limits {
                max_series: config.max_series,
                max_per_metric: config.max_series_per_metric,
                max_name_len: config.max_name_len,
                max_tags: config.max_tags,
                max_tag_key_len: config.max_tag_key_len,
                max_tag_value_len: config.max_tag_value_len,
                sigfig: config.histogram_sigfig,
            },
            scrubber.clone(),
        )?;
        let global: Arc<[Tag]> = Arc::from(config.global_tags.clone());
        agg.set_global_tags(Arc::clone(&global));
        agg.set_timing(Arc::clone(&shared.timing));
        Ok(Flusher {
            global,
            shared,
            rx,
            record_rx,
            doorbell,
            control,
            agg,
            scrubber,
            pending: Vec::new(),
            records_due: None,
            record_interval: config.record_flush_interval.min(config.flush_interval),
            interval: config.flush_interval,
            self_metrics: config.self_metrics,
            seq: 0,
            high_water_batches: 0,
            last_flush_ms: None,
            cells: Vec::new(),
            catalog_checked: 0,
            catalog_warned: std::collections::HashSet::new(),
        })
    }

    pub(crate) fn run(mut self) {
        let mut next = Instant::now() + self.interval;
        loop {
            let due = self.records_due.map_or(next, |d| d.min(next));
            // Records below the doorbell's mark are picked up at least this often.
            let wait = due
                .saturating_duration_since(Instant::now())
                .min(self.record_interval);
            select! {
                recv(self.rx) -> batch => {
                    if let Ok(batch) = batch {
                        self.high_water_batches = self.high_water_batches.max(self.rx.len() + 1);
                        self.aggregate(batch);
                    }
                }
                recv(self.doorbell) -> _ => {}
                recv(self.control) -> msg => match msg {
                    Ok(Control::Flush(reply)) => {
                        let seq = self.publish(false);
                        let _ = reply.send(seq);
                    }
                    Ok(Control::Collect(reply)) => {
                        let _ = reply.send(self.snapshot(false));
                    }
                    Ok(Control::Shutdown(reply)) => {
                        let seq = self.publish(true);
                        let _ = reply.send(seq);
                        break;
                    }
                    Err(_) => {
                        self.publish(true);
                        break;
                    }
                },
                default(wait) => {}
            }
            self.drain_records(self.record_rx.len());
            let now = Instant::now();
            if self.pending.len() >= RECORD_BATCH || self.records_due.is_some_and(|d| now >= d) {
                self.forward_records();
            }
            if now >= next {
                self.publish(false);
                // Skip intervals missed while busy rather than publishing a burst.
                while next <= now {
                    next += self.interval;
                }
            }
        }
        for s in &self.shared.sinks {
            s.stop();
        }
    }

    /// Scrubs one record and holds it for the next hand-off to the sinks.
    fn take_record(&mut self, mut rec: Record) {
        add_global_tags(&self.global, &mut rec);
        if let Some(s) = &self.scrubber {
            scrub_record(s, &mut rec);
        }
        if self.pending.is_empty() {
            self.records_due = Some(Instant::now() + self.record_interval);
        }
        self.pending.push(rec);
    }

    /// Takes up to `max` queued records without waiting.
    fn drain_records(&mut self, max: usize) {
        for _ in 0..max {
            match self.record_rx.try_recv() {
                Ok(rec) => self.take_record(rec),
                Err(_) => break,
            }
        }
    }

    /// Hands the pending records to every record sink's buffer.
    fn forward_records(&mut self) {
        self.records_due = None;
        if self.pending.is_empty() {
            return;
        }
        let sinks: Vec<_> = self
            .shared
            .sinks
            .iter()
            .filter(|s| s.accepts_records)
            .collect();
        // Drained, not taken: `pending` keeps its capacity. (A fresh vector per batch
        // grew past malloc's mmap threshold each time, and its pages faulted in anew:
        // 7 % of the flusher's time under a tight span loop, perf.)
        if let Some((last, others)) = sinks.split_last() {
            for s in others {
                s.deliver_records(self.pending.iter().cloned());
            }
            last.deliver_records(self.pending.drain(..));
        } else {
            self.pending.clear();
        }
    }

    /// Copies interned tag sets the aggregator has not seen yet.
    fn sync_interned(&mut self) {
        let have = self.agg.interned.len();
        self.shared.interner.sets_from(have, &mut self.agg.interned);
    }

    fn aggregate(&mut self, mut batch: Vec<Emission>) {
        if !batch.is_empty() {
            self.sync_interned();
            let now = SystemTime::now();
            for e in &batch {
                let _ = self.agg.apply(e, now);
            }
        }
        batch.clear();
        self.shared.recycle(batch);
    }

    /// Collects every thread's cells and queued emissions (closing the buffers when
    /// `last`), then everything queued.
    fn collect(&mut self, last: bool) {
        let bufs = {
            let mut reg = self.shared.registry.lock();
            reg.closed |= last;
            reg.bufs.clone()
        };
        self.sync_interned();
        let epoch = self.agg.start_collection();
        let mut forget = Vec::new();
        let mut cells = std::mem::take(&mut self.cells);
        for (i, buf) in bufs.iter().enumerate() {
            let (items, orphaned) = buf.take(self.shared.spare_vec(), &mut cells, last);
            self.aggregate(items);
            let now = SystemTime::now();
            for c in cells.drain(..) {
                self.agg.apply_cell(&c, epoch, now);
            }
            // The thread is gone: what it recorded has just been read, for good.
            if orphaned {
                forget.push(i);
            }
        }
        let (items, _) = self
            .shared
            .fallback
            .take(self.shared.spare_vec(), &mut cells, last);
        self.aggregate(items);
        cells.clear();
        self.cells = cells;
        if !forget.is_empty() {
            let mut reg = self.shared.registry.lock();
            reg.bufs.retain(|b| {
                !forget
                    .iter()
                    .any(|i| bufs.get(*i).is_some_and(|f| Arc::ptr_eq(f, b)))
            });
        }
        // Everything handed off before the sweep is in the queue now; after a final
        // sweep nothing more can arrive.
        while let Ok(batch) = self.rx.try_recv() {
            self.aggregate(batch);
        }
    }

    fn publish(&mut self, last: bool) -> u64 {
        let started = Instant::now();
        // Every record queued before this publish goes out ahead of the snapshot, so
        // that a flush (which waits for the snapshot) delivers them too. Only what is
        // queued now: a steady stream must not keep the flusher here.
        self.drain_records(self.record_rx.len());
        self.forward_records();
        let snap = self.snapshot(last);
        for sink in &self.shared.sinks {
            sink.deliver(Arc::clone(&snap));
        }
        self.last_flush_ms = Some(started.elapsed().as_secs_f64() * 1000.0);
        snap.seq
    }

    /// Collects everything and makes the next snapshot. A snapshot made for a scrape
    /// reaches no sink: delta sinks then see a gap in the sequence, which they bridge
    /// (their deltas are differences of cumulative values; the exact extremes of up
    /// to 32 skipped intervals are kept, see `snapshot::Exact`).
    fn snapshot(&mut self, last: bool) -> Arc<Snapshot> {
        self.collect(last);
        let regs: Vec<_> = std::mem::take(&mut *self.shared.handles.lock());
        self.sync_interned();
        self.seq += 1;
        let seq = self.seq;
        let agg = &mut self.agg;
        for reg in regs {
            if !agg.attach(reg) {
                self.shared.count_drop(super::DropReason::InvalidName, 1);
            }
        }
        agg.fold_handles(SystemTime::now());
        let s = &self.shared.stats;
        let c = agg.counts;
        // Relaxed: statistics, read by `stats()`; `flush()` synchronises through the
        // reply channel.
        s.emitted.store(c.emitted, Ordering::Relaxed);
        s.agg_invalid_name.store(c.invalid_name, Ordering::Relaxed);
        s.agg_invalid_value
            .store(c.invalid_value, Ordering::Relaxed);
        s.overflow.store(c.overflow, Ordering::Relaxed);
        s.counter_overflow
            .store(c.counter_overflow, Ordering::Relaxed);
        s.snapshots.store(seq, Ordering::Relaxed);
        let now = SystemTime::now();
        if self.self_metrics {
            record_self_metrics(
                agg,
                &self.shared,
                self.scrubber.as_deref(),
                now,
                self.high_water_batches * self.shared.batch_size,
                self.last_flush_ms.take(),
            );
        }
        s.series.store(agg.series_count() as u64, Ordering::Relaxed);
        let snap = Arc::new(agg.snapshot(seq, now));
        *self.shared.latest.lock() = Some(Arc::clone(&snap));
        self.check_catalog(&snap);
        snap
    }

    /// Reports, once per name, a series new since the last check whose kind is not
    /// the catalog's. Series ids only grow, so each series is looked at once.
    fn check_catalog(&mut self, snap: &Snapshot) {
        let Some(catalog) = self.shared.catalog.clone() else {
            return;
        };
        for s in snap.series.iter().skip(self.catalog_checked) {
            if let Some(def) = catalog.get(&s.name) {
                if def.kind != s.kind() && self.catalog_warned.insert(s.name.to_string()) {
                    self.shared.report(&crate::Error::CatalogMismatch {
                        name: s.name.to_string(),
                        catalogued: def.kind,
                        emitted: s.kind(),
                    });
                }
            }
        }
        self.catalog_checked = self.catalog_checked.max(snap.series.len());
    }
}

/// Records the flusher holds before handing them to the sinks early.
const RECORD_BATCH: usize = 512;

/// The pipeline's own metrics, under the reserved `telemetra.` prefix. Counters are
/// set to the running totals the pipeline keeps anyway.
fn record_self_metrics(
    agg: &mut Aggregator,
    shared: &Shared,
    scrubber: Option<&Scrubber>,
    now: SystemTime,
    high_water: usize,
    flush_ms: Option<f64>,
) {
    let c = agg.counts;
    let st = shared.stats();
    let reason = |r: &'static str| vec![Tag::new("reason", r)];
    let mut counters: Vec<(&'static str, Vec<Tag>, u64)> = vec![
        ("telemetra.emitted", vec![], c.emitted),
        (
            "telemetra.dropped",
            reason("queue_full"),
            st.dropped_queue_full,
        ),
        ("telemetra.dropped", reason("shutdown"), st.dropped_shutdown),
        (
            "telemetra.dropped",
            reason("invalid_name"),
            st.dropped_invalid_name,
        ),
        (
            "telemetra.dropped",
            reason("invalid_value"),
            st.dropped_invalid_value,
        ),
        ("telemetra.dropped", reason("disabled"), st.dropped_disabled),
        ("telemetra.cardinality.overflow", vec![], c.overflow),
    ];
    for (r, n) in SANITIZE_REASONS.iter().zip(c.sanitized) {
        // The PII reasons appear once they happen (pipelines without PII in their
        // tags keep the series they always had).
        if n > 0 || !r.starts_with("pii_") {
            counters.push(("telemetra.tags.sanitized", reason(r), n));
        }
    }
    let mut gauges: Vec<(&'static str, Vec<Tag>, f64)> = vec![
        ("telemetra.queue.high_water", vec![], high_water as f64),
        ("telemetra.series", vec![], agg.series_count() as f64),
    ];
    if let Some(s) = scrubber {
        let cs = s.cache_stats();
        let stat = |r: &'static str| vec![Tag::new("stat", r)];
        counters.push(("telemetra.pii.cache", stat("hits"), cs.hits));
        counters.push(("telemetra.pii.cache", stat("misses"), cs.misses));
        counters.push(("telemetra.pii.cache", stat("clears"), cs.clears));
        gauges.push(("telemetra.pii.cache.entries", vec![], cs.entries as f64));
    }
    let mut timings: Vec<(&'static str, Vec<Tag>, f64)> = Vec::new();
    if let Some(ms) = flush_ms {
        timings.push(("telemetra.flush.duration_ms", vec![], ms));
    }
    let rs = shared.records.stats();
    for (r, n) in [
        ("queue_full", rs.dropped_queue_full),
        ("sampled_out", rs.sampled_out),
        ("below_min_level", rs.below_min_level),
        ("shutdown", rs.dropped_shutdown),
    ] {
        if n > 0 {
            counters.push(("telemetra.records.dropped", reason(r), n));
        }
    }
    for sink in &shared.sinks {
        if sink.accepts_records {
            let c = &sink.records;
            // Relaxed: statistics only.
            let load = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed);
            let sink_tag = |r: Option<&'static str>| {
                let mut t = vec![Tag::new("sink", sink.name.clone())];
                if let Some(r) = r {
                    t.push(Tag::new("reason", r));
                }
                t
            };
            let exported = load(&c.exported);
            if exported > 0 {
                counters.push(("telemetra.records.exported", sink_tag(None), exported));
            }
            for (r, n) in [
                ("buffer_overflow", load(&c.overflow)),
                ("rejected", load(&c.rejected)),
            ] {
                if n > 0 {
                    counters.push(("telemetra.records.dropped", sink_tag(Some(r)), n));
                }
            }
        }
        let p = sink.take_report();
        let tag = |extra: Option<(&'static str, &'static str)>| {
            let mut t = vec![Tag::new("sink", sink.name.clone())];
            if let Some((k, v)) = extra {
                t.push(Tag::new(k, v));
            }
            t
        };
        for (outcome, n) in [
            ("ok", p.ok),
            ("failed", p.failed),
            ("panicked", p.panicked),
            ("disabled", p.disabled),
        ] {
            counters.push(("telemetra.sink.exports", tag(Some(("outcome", outcome))), n));
        }
        counters.push(("telemetra.sink.skipped", tag(None), p.skipped));
        counters.push(("telemetra.sink.dropped_permanent", tag(None), p.permanent));
        if let Some(t) = p.last_success {
            let secs = t
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0.0, |d| d.as_secs_f64());
            gauges.push(("telemetra.sink.last_success_unix", tag(None), secs));
        }
        for ms in p.latencies_ms {
            timings.push(("telemetra.sink.export_latency_ms", tag(None), ms));
        }
    }
    for (name, tags, total) in counters {
        agg.set_internal(Kind::Counter, name, tags, total as f64, now);
    }
    for (name, tags, v) in gauges {
        agg.set_internal(Kind::Gauge, name, tags, v, now);
    }
    for (name, tags, v) in timings {
        agg.set_internal(Kind::Timing, name, tags, v, now);
    }
}

/// Adds the global tags a record lacks: span attributes, event metadata members.
fn add_global_tags(global: &[Tag], rec: &mut Record) {
    if global.is_empty() {
        return;
    }
    match rec {
        Record::Span(sp) => {
            for g in global {
                if !sp.attributes.iter().any(|(k, _)| *k == g.key) {
                    sp.attributes
                        .push((g.key.clone(), AttrValue::Str(g.value.clone())));
                }
            }
        }
        Record::Event(e) => {
            if let serde_json::Value::Object(m) = &mut e.metadata {
                for g in global {
                    if !m.contains_key(&*g.key) {
                        m.insert(g.key.to_string(), serde_json::Value::from(&*g.value));
                    }
                }
            }
        }
    }
}
