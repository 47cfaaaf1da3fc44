//! One worker thread per sink, fed through a one-slot "latest snapshot" mailbox and,
//! for record-capable sinks, a bounded record buffer (full: the oldest are dropped).

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use parking_lot::{Condvar, Mutex};

use super::Shared;
use crate::error::{FailureKind, SinkFailure};
use crate::record::Record;
use crate::sinks::{Export, Sink};
use crate::snapshot::Snapshot;
use crate::switches::Switch;
use crate::Error;

/// Most records handed to one `export_records` call.
pub(crate) const MAX_RECORDS_PER_EXPORT: usize = 1024;
/// Pause before retrying records after a transient failure without a `Retry-After`
/// (a published snapshot retries them sooner).
const RECORD_RETRY: Duration = Duration::from_secs(1);

/// Latencies kept between two flushes (beyond it the oldest are not reported).
const MAX_PENDING_LATENCIES: usize = 64;

#[derive(Debug, Default)]
struct Mailbox {
    latest: Option<Arc<Snapshot>>,
    records: VecDeque<Record>,
    stop: bool,
}

/// Per-sink record counters, totals since start.
#[derive(Debug, Default)]
pub(crate) struct RecordCounters {
    pub(crate) exported: AtomicU64,
    pub(crate) overflow: AtomicU64,
    pub(crate) rejected: AtomicU64,
}

/// What the flusher reports about a sink, totals since start.
#[derive(Debug, Default, Clone)]
pub(crate) struct Report {
    pub(crate) ok: u64,
    pub(crate) failed: u64,
    pub(crate) panicked: u64,
    pub(crate) skipped: u64,
    pub(crate) permanent: u64,
    /// Exports passed over because the sink's `sink.<name>` switch was off.
    pub(crate) disabled: u64,
    pub(crate) last_success: Option<SystemTime>,
    pub(crate) latencies_ms: Vec<f64>,
}

#[derive(Debug, Default)]
struct Progress {
    /// Sequence number of the last snapshot whose export finished (or was skipped in
    /// favour of a newer one that finished).
    attempted: u64,
    /// Why that export failed (`None`: it succeeded).
    last_failure: Option<SinkFailure>,
    report: Report,
}

/// State shared by a sink's worker, the flusher and `flush()` callers.
#[derive(Debug)]
pub(crate) struct SinkState {
    pub(crate) name: String,
    /// Whether the sink accepts records (asked once, at start).
    pub(crate) accepts_records: bool,
    record_cap: usize,
    pub(crate) records: RecordCounters,
    mailbox: Mutex<Mailbox>,
    mail: Condvar,
    progress: Mutex<Progress>,
    done: Condvar,
    /// `sink.<name>`; `None` only if the name cannot name a switch.
    switch: Option<Switch>,
    /// Why the sink's `shutdown` failed or panicked (reported by the pipeline's
    /// shutdown).
    pub(crate) shutdown_failure: Mutex<Option<SinkFailure>>,
}

impl SinkState {
    pub(crate) fn new(
        name: &str,
        switch: Option<Switch>,
        accepts_records: bool,
        record_cap: usize,
    ) -> Self {
        SinkState {
            name: name.to_owned(),
            accepts_records,
            record_cap,
            records: RecordCounters::default(),
            mailbox: Mutex::new(Mailbox::default()),
            mail: Condvar::new(),
            progress: Mutex::new(Progress::default()),
            done: Condvar::new(),
            switch,
            shutdown_failure: Mutex::new(None),
        }
    }

    /// Puts a snapshot in the mailbox, replacing (and counting) one not yet taken.
    pub(crate) fn deliver(&self, snap: Arc<Snapshot>) {
        let replaced = {
            let mut mb = self.mailbox.lock();
            mb.latest.replace(snap).is_some()
        };
        self.mail.notify_one();
        if replaced {
            self.progress.lock().report.skipped += 1;
        }
    }

    /// Appends records to the buffer, dropping (and counting) the oldest beyond the
    /// buffer's capacity, and wakes the worker.
    pub(crate) fn deliver_records(&self, records: impl IntoIterator<Item = Record>) {
        let dropped = {
            let mut mb = self.mailbox.lock();
            mb.records.extend(records);
            trim(&mut mb.records, self.record_cap)
        };
        self.mail.notify_one();
        self.count_overflow(dropped);
    }

    fn count_overflow(&self, n: u64) {
        if n > 0 {
            // Relaxed: statistics only.
            self.records.overflow.fetch_add(n, Ordering::Relaxed);
        }
    }

    pub(crate) fn stop(&self) {
        self.mailbox.lock().stop = true;
        self.mail.notify_one();
    }

    /// The report since the last call: totals, plus the latencies measured since.
    pub(crate) fn take_report(&self) -> Report {
        let mut p = self.progress.lock();
        let mut r = p.report.clone();
        r.latencies_ms = std::mem::take(&mut p.report.latencies_ms);
        r
    }

    /// Waits until the export of snapshot `seq` (or a newer one) has finished.
    /// `Some(Ok(()))` if it succeeded, `Some(Err(why))` if not, `None` at the deadline.
    pub(crate) fn wait_attempted(
        &self,
        seq: u64,
        deadline: Instant,
    ) -> Option<Result<(), SinkFailure>> {
        let mut p = self.progress.lock();
        while p.attempted < seq {
            if self.done.wait_until(&mut p, deadline).timed_out() && p.attempted < seq {
                return None;
            }
        }
        Some(match &p.last_failure {
            None => Ok(()),
            Some(f) => Err(f.clone()),
        })
    }
}

pub(crate) struct Worker {
    sink: Box<dyn Sink>,
    state: Arc<SinkState>,
    shared: Arc<Shared>,
}

impl Worker {
    pub(crate) fn new(sink: Box<dyn Sink>, state: Arc<SinkState>, shared: Arc<Shared>) -> Self {
        Worker {
            sink,
            state,
            shared,
        }
    }

    pub(crate) fn run(mut self) {
        let mut previous: Option<Arc<Snapshot>> = None;
        // When the next snapshot export may start (a sink's Retry-After).
        let mut not_before: Option<Instant> = None;
        // When buffered records may be retried on their own after a failure.
        let mut records_not_before: Option<Instant> = None;
        // The buffer handed back to the mailbox when its records are taken: both keep
        // their capacity, so a steady stream of records allocates (and faults in) none.
        let mut spare: VecDeque<Record> = VecDeque::new();
        loop {
            let (snap, mut records, stopping) = {
                let mut mb = self.state.mailbox.lock();
                loop {
                    let now = Instant::now();
                    let due = |t: Option<Instant>| mb.stop || t.is_none_or(|t| now >= t);
                    let snap_ready = mb.latest.is_some() && due(not_before);
                    let records_ready = !mb.records.is_empty() && due(records_not_before);
                    if snap_ready || records_ready || mb.stop {
                        // A snapshot takes the buffered records with it, whatever their
                        // back-off: `flush()` waits for the snapshot, and so delivers
                        // every record buffered before it.
                        let snap = if snap_ready { mb.latest.take() } else { None };
                        let records =
                            std::mem::replace(&mut mb.records, std::mem::take(&mut spare));
                        break (snap, records, mb.stop);
                    }
                    let wake = [
                        not_before.filter(|_| mb.latest.is_some()),
                        records_not_before.filter(|_| !mb.records.is_empty()),
                    ]
                    .into_iter()
                    .flatten()
                    .min();
                    match wake {
                        Some(t) => {
                            let _ = self.state.mail.wait_until(&mut mb, t);
                        }
                        None => self.state.mail.wait(&mut mb),
                    }
                }
            };
            if snap.is_none() && records.is_empty() && stopping {
                break;
            }
            let mut records_failure = None;
            if !records.is_empty() {
                records_failure =
                    self.export_records(&mut records, stopping, &mut records_not_before);
            }
            records.clear();
            spare = records;
            if let Some(snap) = snap {
                not_before = self.export(&snap, &mut previous, records_failure);
            }
        }
        let sink = &mut self.sink;
        let name = &self.state.name;
        let error = match catch_unwind(AssertUnwindSafe(|| sink.shutdown())) {
            Ok(Ok(())) => None,
            Ok(Err(source)) => Some((
                SinkFailure::new(name, FailureKind::Shutdown, Some(&source)),
                Error::Sink {
                    sink: name.clone(),
                    source,
                },
            )),
            Err(_) => Some((
                SinkFailure::new(name, FailureKind::Panicked, None),
                Error::SinkPanicked { sink: name.clone() },
            )),
        };
        if let Some((failure, e)) = error {
            // `shutdown` reads it after this thread has finished.
            *self.state.shutdown_failure.lock() = Some(failure);
            self.shared.report(&e);
        }
    }

    /// Exports one snapshot; returns when the next export may start, if the sink
    /// asked for a pause.
    fn export(
        &mut self,
        snap: &Arc<Snapshot>,
        previous: &mut Option<Arc<Snapshot>>,
        records_failure: Option<SinkFailure>,
    ) -> Option<Instant> {
        if self.state.switch.as_ref().is_some_and(|s| !s.is_enabled()) {
            // Switched off: pass the snapshot over without moving the cursor, so the
            // first export after switching back on carries everything.
            let mut p = self.state.progress.lock();
            p.report.disabled += 1;
            p.attempted = p.attempted.max(snap.seq);
            p.last_failure = records_failure;
            drop(p);
            self.state.done.notify_all();
            return None;
        }
        let started = Instant::now();
        let export = Export {
            snapshot: snap,
            previous: previous.as_ref(),
        };
        let sink = &mut self.sink;
        let result = catch_unwind(AssertUnwindSafe(|| sink.export(&export)));
        let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
        let mut pause = None;
        let name = &self.state.name;
        let (outcome, error, failure) = match result {
            Ok(Ok(())) => {
                *previous = Some(Arc::clone(snap));
                (Outcome::Ok, None, None)
            }
            Ok(Err(e)) => {
                let (outcome, kind) = if e.is_permanent() {
                    // Undeliverable whatever we do: move the cursor on.
                    *previous = Some(Arc::clone(snap));
                    (Outcome::Permanent, FailureKind::Permanent)
                } else {
                    (Outcome::Failed, FailureKind::Transient)
                };
                pause = e.retry_after_hint().map(|d| Instant::now() + d);
                let failure = SinkFailure::new(name, kind, Some(&e));
                let sink = name.clone();
                (
                    outcome,
                    Some(Error::Sink { sink, source: e }),
                    Some(failure),
                )
            }
            Err(_) => {
                let failure = SinkFailure::new(name, FailureKind::Panicked, None);
                let sink = name.clone();
                (
                    Outcome::Panicked,
                    Some(Error::SinkPanicked { sink }),
                    Some(failure),
                )
            }
        };
        // Reported before `flush()` callers are woken: a flush that returns
        // `Error::Export` has had its failure through `on_error` already.
        if let Some(e) = error {
            self.shared.report(&e);
        }
        {
            let mut p = self.state.progress.lock();
            let r = &mut p.report;
            match outcome {
                Outcome::Ok => {
                    r.ok += 1;
                    r.last_success = Some(SystemTime::now());
                }
                Outcome::Failed => r.failed += 1,
                Outcome::Permanent => {
                    r.failed += 1;
                    r.permanent += 1;
                }
                Outcome::Panicked => r.panicked += 1,
            }
            if r.latencies_ms.len() < MAX_PENDING_LATENCIES {
                r.latencies_ms.push(latency_ms);
            }
            p.attempted = p.attempted.max(snap.seq);
            // The snapshot's own failure first; else the records' that went with it.
            p.last_failure = failure.or(records_failure);
        }
        self.state.done.notify_all();
        pause
    }
}

impl Worker {
    /// Exports buffered records in batches. A transient failure puts the unsent ones
    /// back at the front of the buffer (bounded: the oldest go first) and backs off; a
    /// permanent failure or a panic drops the batch and counts it as rejected. When
    /// `stopping`, nothing is put back: undelivered records are counted as rejected.
    /// Returns why the last failing batch failed (`None`: every batch was delivered).
    fn export_records(
        &mut self,
        records: &mut VecDeque<Record>,
        stopping: bool,
        not_before: &mut Option<Instant>,
    ) -> Option<SinkFailure> {
        let counters = &self.state.records;
        let rest = records;
        let mut failure = None;
        while !rest.is_empty() {
            // Batches come off the front: each record is moved once. (Splitting the
            // tail off a Vec instead moved every record left at each batch: with 10^5
            // records buffered, ~100 copies of each, callgrind's largest item.)
            let batch: Vec<Record> = rest
                .drain(..rest.len().min(MAX_RECORDS_PER_EXPORT))
                .collect();
            let n = batch.len() as u64;
            let sink = &mut self.sink;
            let result = catch_unwind(AssertUnwindSafe(|| sink.export_records(&batch)));
            // Relaxed: statistics only.
            match result {
                Ok(Ok(())) => {
                    counters.exported.fetch_add(n, Ordering::Relaxed);
                    *not_before = None;
                }
                Ok(Err(e)) if e.is_permanent() || stopping => {
                    let kind = if e.is_permanent() {
                        FailureKind::Permanent
                    } else {
                        FailureKind::Transient
                    };
                    let left = n + rest.len() as u64;
                    let n = if stopping { left } else { n };
                    counters.rejected.fetch_add(n, Ordering::Relaxed);
                    let failed = SinkFailure::new(&self.state.name, kind, Some(&e));
                    self.report_sink_error(e);
                    if stopping {
                        return Some(failed);
                    }
                    failure = Some(failed);
                }
                Ok(Err(e)) => {
                    *not_before =
                        Some(Instant::now() + e.retry_after_hint().unwrap_or(RECORD_RETRY));
                    let failed =
                        SinkFailure::new(&self.state.name, FailureKind::Transient, Some(&e));
                    self.report_sink_error(e);
                    let dropped = {
                        let mut mb = self.state.mailbox.lock();
                        for r in rest.drain(..).rev().chain(batch.into_iter().rev()) {
                            mb.records.push_front(r);
                        }
                        trim(&mut mb.records, self.state.record_cap)
                    };
                    self.state.count_overflow(dropped);
                    return Some(failed);
                }
                Err(_) => {
                    failure = Some(SinkFailure::new(
                        &self.state.name,
                        FailureKind::Panicked,
                        None,
                    ));
                    counters.rejected.fetch_add(n, Ordering::Relaxed);
                    self.shared.report(&Error::SinkPanicked {
                        sink: self.state.name.clone(),
                    });
                }
            }
        }
        failure
    }

    fn report_sink_error(&self, e: crate::sinks::SinkError) {
        self.shared.report(&Error::Sink {
            sink: self.state.name.clone(),
            source: e,
        });
    }
}

/// Drops the oldest records beyond `cap`; returns how many.
fn trim(records: &mut VecDeque<Record>, cap: usize) -> u64 {
    let excess = records.len().saturating_sub(cap);
    if excess > 0 {
        records.drain(..excess);
    }
    excess as u64
}

/// How one export ended.
enum Outcome {
    Ok,
    Failed,
    Permanent,
    Panicked,
}
