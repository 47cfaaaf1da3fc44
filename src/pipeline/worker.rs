//! One worker thread per sink, fed through a one-slot "latest snapshot" mailbox.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use parking_lot::{Condvar, Mutex};

use super::Shared;
use crate::sinks::{Export, Sink};
use crate::snapshot::Snapshot;
use crate::switches::Switch;
use crate::Error;

/// Latencies kept between two flushes (beyond it the oldest are not reported).
const MAX_PENDING_LATENCIES: usize = 64;

#[derive(Debug, Default)]
struct Mailbox {
    latest: Option<Arc<Snapshot>>,
    stop: bool,
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
    /// Whether that export succeeded.
    last_ok: bool,
    report: Report,
}

/// State shared by a sink's worker, the flusher and `flush()` callers.
#[derive(Debug)]
pub(crate) struct SinkState {
    pub(crate) name: String,
    mailbox: Mutex<Mailbox>,
    mail: Condvar,
    progress: Mutex<Progress>,
    done: Condvar,
    /// `sink.<name>`; `None` only if the name cannot name a switch.
    switch: Option<Switch>,
}

impl SinkState {
    pub(crate) fn new(name: &str, switch: Option<Switch>) -> Self {
        SinkState {
            name: name.to_owned(),
            mailbox: Mutex::new(Mailbox::default()),
            mail: Condvar::new(),
            progress: Mutex::new(Progress::default()),
            done: Condvar::new(),
            switch,
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
    /// `Some(success)`, or `None` at the deadline.
    pub(crate) fn wait_attempted(&self, seq: u64, deadline: Instant) -> Option<bool> {
        let mut p = self.progress.lock();
        while p.attempted < seq {
            if self.done.wait_until(&mut p, deadline).timed_out() && p.attempted < seq {
                return None;
            }
        }
        Some(p.last_ok)
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
        let mut not_before: Option<Instant> = None;
        loop {
            let snap = {
                let mut mb = self.state.mailbox.lock();
                loop {
                    if let Some(t) = not_before {
                        // Honour a sink's Retry-After, unless we are stopping.
                        if !mb.stop && Instant::now() < t {
                            let _ = self.state.mail.wait_until(&mut mb, t);
                            continue;
                        }
                        not_before = None;
                    }
                    if let Some(s) = mb.latest.take() {
                        break Some(s);
                    }
                    if mb.stop {
                        break None;
                    }
                    self.state.mail.wait(&mut mb);
                }
            };
            let Some(snap) = snap else { break };
            not_before = self.export(&snap, &mut previous);
        }
        let sink = &mut self.sink;
        if catch_unwind(AssertUnwindSafe(|| sink.shutdown())).is_err() {
            self.shared.report(&Error::SinkPanicked {
                sink: self.state.name.clone(),
            });
        }
    }

    /// Exports one snapshot; returns when the next export may start, if the sink
    /// asked for a pause.
    fn export(
        &mut self,
        snap: &Arc<Snapshot>,
        previous: &mut Option<Arc<Snapshot>>,
    ) -> Option<Instant> {
        if self.state.switch.as_ref().is_some_and(|s| !s.is_enabled()) {
            // Switched off: pass the snapshot over without moving the cursor, so the
            // first export after switching back on carries everything.
            let mut p = self.state.progress.lock();
            p.report.disabled += 1;
            p.attempted = p.attempted.max(snap.seq);
            p.last_ok = true;
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
        let mut error = None;
        let ok = match result {
            Ok(Ok(())) => {
                *previous = Some(Arc::clone(snap));
                true
            }
            Ok(Err(e)) => {
                if e.is_permanent() {
                    // Undeliverable whatever we do: move the cursor on.
                    *previous = Some(Arc::clone(snap));
                }
                pause = e.retry_after_hint().map(|d| Instant::now() + d);
                error = Some(Error::Sink {
                    sink: self.state.name.clone(),
                    source: e,
                });
                false
            }
            Err(_) => {
                error = Some(Error::SinkPanicked {
                    sink: self.state.name.clone(),
                });
                false
            }
        };
        // Report before marking the export done, so that a `flush()` that returns has
        // seen the handler run.
        if let Some(e) = &error {
            self.shared.report(e);
        }
        {
            let mut p = self.state.progress.lock();
            let r = &mut p.report;
            match (&result_kind(ok, &error), ok) {
                (_, true) => {
                    r.ok += 1;
                    r.last_success = Some(SystemTime::now());
                }
                (Kind::Panicked, _) => r.panicked += 1,
                (Kind::Permanent, _) => {
                    r.failed += 1;
                    r.permanent += 1;
                }
                _ => r.failed += 1,
            }
            if r.latencies_ms.len() < MAX_PENDING_LATENCIES {
                r.latencies_ms.push(latency_ms);
            }
            p.attempted = p.attempted.max(snap.seq);
            p.last_ok = ok;
        }
        self.state.done.notify_all();
        pause
    }
}

enum Kind {
    Ok,
    Failed,
    Permanent,
    Panicked,
}

fn result_kind(ok: bool, error: &Option<Error>) -> Kind {
    match error {
        _ if ok => Kind::Ok,
        Some(Error::SinkPanicked { .. }) => Kind::Panicked,
        Some(Error::Sink { source, .. }) if source.is_permanent() => Kind::Permanent,
        _ => Kind::Failed,
    }
}
