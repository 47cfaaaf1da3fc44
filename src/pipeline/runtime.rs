//! [`Runtime`]: what a `Telemetry` handle points to — starting the pipeline's threads,
//! asking the flusher for flushes and collections, and shutting down within a deadline.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use parking_lot::Mutex;

use super::*;
use crate::error::SinkFailure;
use crate::Error;

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
    Export(Vec<SinkFailure>),
    Other(String),
}

impl Outcome {
    fn of(r: &Result<(), Error>) -> Outcome {
        match r {
            Ok(()) => Outcome::Ok,
            Err(Error::Timeout { timeout, pending }) => Outcome::Timeout(*timeout, pending.clone()),
            Err(Error::Export { failures, .. }) => Outcome::Export(failures.clone()),
            Err(e) => Outcome::Other(e.to_string()),
        }
    }

    fn result(self) -> Result<(), Error> {
        match self {
            Outcome::Ok => Ok(()),
            Outcome::Timeout(timeout, pending) => Err(Error::Timeout { timeout, pending }),
            Outcome::Export(failures) => Err(Error::export(failures)),
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
