//! [`DispatchQueue`]: notifications off the evaluation thread.
//!
//! A bounded queue of event batches (one batch per evaluation) and one worker thread that
//! hands each batch to a [`Dispatcher`] (its retries, backoff and kill switches). A slow or
//! unreachable Slack or PagerDuty endpoint then delays only later notifications, never the
//! next evaluation. When the queue is full the batch is dropped and its events are counted
//! ([`QueueStats::dropped`]): under overload, evaluation wins over notification.
//! Batches are delivered in the order they were queued.

use super::Dispatcher;
use crate::alert::event::AlertEvent;
use crate::alert::AlertError;
use crossbeam_channel::{bounded, Receiver, Sender, TrySendError};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Failures kept for [`DispatchQueue::take_failures`] (the oldest are kept).
const MAX_KEPT_FAILURES: usize = 16;

/// Counters of a [`DispatchQueue`] since it started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueStats {
    /// Events accepted into the queue.
    pub queued: u64,
    /// Events dropped because the queue was full (or the worker had stopped).
    pub dropped: u64,
    /// Batches the worker has finished (delivered, failed or suppressed).
    pub batches_done: u64,
    /// Deliveries that succeeded (one per notifier and event).
    pub delivered: u64,
    /// Deliveries that failed after their retries.
    pub failed: u64,
    /// Deliveries skipped by a kill switch.
    pub suppressed: u64,
}

#[derive(Default)]
struct Shared {
    queued: AtomicU64,
    dropped: AtomicU64,
    batches_done: AtomicU64,
    delivered: AtomicU64,
    failed: AtomicU64,
    suppressed: AtomicU64,
    failures: Mutex<(Vec<AlertError>, u64)>,
}

/// A bounded notification queue with its own worker thread (see the module docs).
///
/// ```
/// # fn main() -> Result<(), telemetra::alert::AlertError> {
/// use std::sync::Arc;
/// use std::time::Duration;
/// use telemetra::alert::notify::{
///     DispatchQueue, Dispatcher, HttpPost, HttpResponse, TransportError,
/// };
///
/// #[derive(Debug)]
/// struct Accept;
/// impl HttpPost for Accept {
///     fn post(&self, _: &str, _: &[(&str, &str)], _: &[u8]) -> Result<HttpResponse, TransportError> {
///         Ok(HttpResponse { status: 200, ..HttpResponse::default() })
///     }
/// }
/// let queue = DispatchQueue::start(Dispatcher::new(Arc::new(Accept)), 64)?;
/// assert!(queue.enqueue(Vec::new()));
/// queue.shutdown(Duration::from_secs(5))?;
/// # Ok(()) }
/// ```
pub struct DispatchQueue {
    dispatcher: Arc<Dispatcher>,
    tx: Option<Sender<Vec<AlertEvent>>>,
    done: Receiver<()>,
    worker: Option<JoinHandle<()>>,
    shared: Arc<Shared>,
}

impl fmt::Debug for DispatchQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DispatchQueue")
            .field("dispatcher", &self.dispatcher)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl DispatchQueue {
    /// Starts the worker thread (`telemetra-alert-dispatch`) for `dispatcher`, with room
    /// for `capacity` batches (at least 1) waiting.
    ///
    /// # Errors
    /// [`AlertError::Spawn`] when the thread cannot be started.
    pub fn start(dispatcher: Dispatcher, capacity: usize) -> Result<Self, AlertError> {
        let dispatcher = Arc::new(dispatcher);
        let (tx, rx) = bounded::<Vec<AlertEvent>>(capacity.max(1));
        let (done_tx, done) = bounded::<()>(1);
        let shared = Arc::new(Shared::default());
        let worker = {
            let dispatcher = Arc::clone(&dispatcher);
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("telemetra-alert-dispatch".to_owned())
                .spawn(move || {
                    for batch in rx {
                        deliver(&dispatcher, &shared, &batch);
                    }
                    // The queue is closed and drained.
                    let _ = done_tx.send(());
                })
                .map_err(|_| AlertError::Spawn)?
        };
        Ok(Self {
            dispatcher,
            tx: Some(tx),
            done,
            worker: Some(worker),
            shared,
        })
    }

    /// The dispatcher (its kill switches can be flipped while the queue runs).
    pub fn dispatcher(&self) -> &Dispatcher {
        &self.dispatcher
    }

    /// Queues one evaluation's events without blocking; false (and the events counted as
    /// dropped) when the queue is full. An empty batch is accepted and not queued.
    pub fn enqueue(&self, events: Vec<AlertEvent>) -> bool {
        if events.is_empty() {
            return true;
        }
        let n = events.len() as u64;
        let sent = self.tx.as_ref().map(|tx| tx.try_send(events));
        // Relaxed: statistics counters, nothing is published through them.
        match sent {
            Some(Ok(())) => {
                self.shared.queued.fetch_add(n, Ordering::Relaxed);
                true
            }
            Some(Err(TrySendError::Full(_) | TrySendError::Disconnected(_))) | None => {
                self.shared.dropped.fetch_add(n, Ordering::Relaxed);
                false
            }
        }
    }

    /// The counters.
    pub fn stats(&self) -> QueueStats {
        let s = &self.shared;
        // Acquire: pairs with the worker's Release, so the delivery counters read below are
        // at least those of the batches counted here. The rest are independent counters.
        let batches_done = s.batches_done.load(Ordering::Acquire);
        QueueStats {
            queued: s.queued.load(Ordering::Relaxed),
            dropped: s.dropped.load(Ordering::Relaxed),
            batches_done,
            delivered: s.delivered.load(Ordering::Relaxed),
            failed: s.failed.load(Ordering::Relaxed),
            suppressed: s.suppressed.load(Ordering::Relaxed),
        }
    }

    /// The delivery failures since the last call (at most 16 kept) and how many there were
    /// in all, for reporting them (a [`ReliabilitySink`](crate::alert::ReliabilitySink)
    /// returns them from its next export).
    pub fn take_failures(&self) -> (Vec<AlertError>, u64) {
        match self.shared.failures.lock() {
            Ok(mut f) => std::mem::take(&mut *f),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        }
    }

    /// Closes the queue and waits up to `timeout` for the worker to deliver what is queued.
    ///
    /// # Errors
    /// [`AlertError::Timeout`] when the worker is still busy (it finishes in the
    /// background).
    pub fn shutdown(mut self, timeout: Duration) -> Result<(), AlertError> {
        self.close(timeout)
    }

    fn close(&mut self, timeout: Duration) -> Result<(), AlertError> {
        self.tx = None;
        let Some(worker) = self.worker.take() else {
            return Ok(());
        };
        match self.done.recv_timeout(timeout) {
            Ok(()) => {
                let _ = worker.join();
                Ok(())
            }
            Err(_) if worker.is_finished() => {
                let _ = worker.join();
                Ok(())
            }
            Err(_) => Err(AlertError::Timeout {
                what: "alert dispatch queue",
            }),
        }
    }
}

impl Drop for DispatchQueue {
    /// Closes the queue and waits at most one second; a busy worker finishes on its own.
    fn drop(&mut self) {
        let _ = self.close(Duration::from_secs(1));
    }
}

fn deliver(dispatcher: &Dispatcher, shared: &Shared, batch: &[AlertEvent]) {
    let report = dispatcher.dispatch(batch);
    let delivered = report.delivered() as u64;
    let mut failed = Vec::new();
    for o in report.outcomes {
        if let Err(e) = o.result {
            failed.push(e);
        }
    }
    // Relaxed: statistics counters.
    shared.delivered.fetch_add(delivered, Ordering::Relaxed);
    shared
        .failed
        .fetch_add(failed.len() as u64, Ordering::Relaxed);
    shared
        .suppressed
        .fetch_add(report.suppressed as u64, Ordering::Relaxed);
    if !failed.is_empty() {
        let mut kept = match shared.failures.lock() {
            Ok(f) => f,
            Err(poisoned) => poisoned.into_inner(),
        };
        kept.1 += failed.len() as u64;
        let room = MAX_KEPT_FAILURES.saturating_sub(kept.0.len());
        kept.0.extend(failed.into_iter().take(room));
    }
    // Release: pairs with readers that see `batches_done` and then read the other counters.
    shared.batches_done.fetch_add(1, Ordering::Release);
}
