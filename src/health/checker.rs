//! Running checks concurrently with deadlines.

use std::any::Any;
use std::collections::HashSet;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use crossbeam_channel::RecvTimeoutError;
use parking_lot::Mutex;

use super::{
    CheckOutcome, Component, ComponentHealth, HealthError, HealthReport, PublicHealth, Status,
};
use crate::switches::Switches;

/// Runs registered component checks and keeps the last report. Cheap to clone.
///
/// ```
/// use std::time::Duration;
/// use telemetra::health::{CheckOutcome, Component, HealthChecker, Status};
///
/// # fn main() -> Result<(), telemetra::health::HealthError> {
/// let checker = HealthChecker::builder()
///     .version("2.0.0")
///     .environment("staging")
///     .component(Component::builder("env").check(|| CheckOutcome::ok()).build()?)
///     .build()?;
/// assert_eq!(checker.public().status, Status::Ok); // cheap: no check runs
/// let report = checker.run();
/// assert_eq!(report.component("env").map(|c| c.status), Some(Status::Ok));
/// assert_eq!(checker.last_report(), Some(report));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct HealthChecker {
    inner: Arc<Inner>,
}

struct Inner {
    version: String,
    environment: String,
    components: Vec<Component>,
    switches: Option<Switches>,
    last: Mutex<Option<HealthReport>>,
}

impl fmt::Debug for HealthChecker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HealthChecker")
            .field("version", &self.inner.version)
            .field("environment", &self.inner.environment)
            .field("components", &self.inner.components)
            .finish_non_exhaustive()
    }
}

impl HealthChecker {
    /// Starts a builder.
    #[must_use]
    pub fn builder() -> HealthCheckerBuilder {
        HealthCheckerBuilder::default()
    }

    /// Runs every check now (timestamped with the system clock). See [`run_at`](Self::run_at).
    #[must_use]
    pub fn run(&self) -> HealthReport {
        self.run_at(Utc::now())
    }

    /// Runs every check concurrently, each on its own worker thread, and returns once all
    /// have answered or missed their deadline (`timeout` after the run started). `now` is
    /// the report timestamp and every component's `lastChecked`.
    ///
    /// A component whose worker from an earlier run is still busy gets no new thread and is
    /// reported as `error` ("still running"), so at most one worker per component exists.
    /// Concurrent calls are safe; the same rule applies between them.
    #[must_use]
    pub fn run_at(&self, now: DateTime<Utc>) -> HealthReport {
        let components = &self.inner.components;
        let started = Instant::now();
        let mut results: Vec<Option<ComponentHealth>> = vec![None; components.len()];
        // Each worker sends at most once, so a capacity of one slot per component means a
        // send never blocks, even after this run has stopped listening.
        let (tx, rx) = crossbeam_channel::bounded::<WorkerResult>(components.len().max(1));
        let mut pending: Vec<(usize, Instant)> = Vec::with_capacity(components.len());

        for (index, component) in components.iter().enumerate() {
            match start_worker(index, component, &tx) {
                Ok(()) => pending.push((index, started + component.timeout)),
                Err(why) => set(
                    &mut results,
                    index,
                    error(component, now, Duration::ZERO, why),
                ),
            }
        }
        drop(tx);

        while let Some(deadline) = pending.iter().map(|(_, d)| *d).min() {
            match rx.recv_deadline(deadline) {
                Ok((index, outcome, elapsed)) => {
                    pending.retain(|(i, _)| *i != index);
                    if let Some(component) = components.get(index) {
                        set(
                            &mut results,
                            index,
                            finish(component, now, outcome, elapsed),
                        );
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    let at = Instant::now();
                    pending.retain(|(index, deadline)| {
                        if *deadline > at {
                            return true;
                        }
                        if let Some(c) = components.get(*index) {
                            let msg = format!("timed out after {} ms", millis(c.timeout));
                            set(&mut results, *index, error(c, now, c.timeout, &msg));
                        }
                        false
                    });
                }
                Err(RecvTimeoutError::Disconnected) => {
                    for (index, _) in pending.drain(..) {
                        if let Some(c) = components.get(index) {
                            set(
                                &mut results,
                                index,
                                error(
                                    c,
                                    now,
                                    started.elapsed(),
                                    "check worker exited without a result",
                                ),
                            );
                        }
                    }
                }
            }
        }

        let components: Vec<ComponentHealth> = results.into_iter().flatten().collect();
        let report = HealthReport {
            status: Status::overall(components.iter().map(|c| c.status)),
            version: self.inner.version.clone(),
            environment: self.inner.environment.clone(),
            timestamp: now,
            components,
            switches: self.inner.switches.as_ref().map(Switches::states),
        };
        *self.inner.last.lock() = Some(report.clone());
        report
    }

    /// The most recent report, if any run has finished.
    #[must_use]
    pub fn last_report(&self) -> Option<HealthReport> {
        self.inner.last.lock().clone()
    }

    /// The public view, timestamped with the system clock. See [`public_at`](Self::public_at).
    #[must_use]
    pub fn public(&self) -> PublicHealth {
        self.public_at(Utc::now())
    }

    /// The public view: the overall status of the last report (`ok` before the first run),
    /// with `now` as timestamp. Never runs a check, so it is always cheap.
    #[must_use]
    pub fn public_at(&self, now: DateTime<Utc>) -> PublicHealth {
        let status = self
            .inner
            .last
            .lock()
            .as_ref()
            .map_or(Status::Ok, |r| r.status);
        PublicHealth {
            status,
            version: self.inner.version.clone(),
            timestamp: now,
            environment: self.inner.environment.clone(),
        }
    }
}

/// Builder for [`HealthChecker`].
#[derive(Debug, Default)]
pub struct HealthCheckerBuilder {
    version: Option<String>,
    environment: Option<String>,
    components: Vec<Component>,
    switches: Option<Switches>,
}

impl HealthCheckerBuilder {
    /// Service version shown in both views. Defaults to `unknown`.
    #[must_use]
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// Deployment environment shown in both views. Defaults to `unknown`.
    #[must_use]
    pub fn environment(mut self, environment: impl Into<String>) -> Self {
        self.environment = Some(environment.into());
        self
    }

    /// Adds a component; reports list components in the order added. Defaults to none.
    #[must_use]
    pub fn component(mut self, component: Component) -> Self {
        self.components.push(component);
        self
    }

    /// Includes these runtime switch states in every internal report. Defaults to none.
    #[must_use]
    pub fn switches(mut self, switches: Switches) -> Self {
        self.switches = Some(switches);
        self
    }

    /// Validates and builds the checker. Starts no threads.
    ///
    /// # Errors
    /// [`HealthError::Empty`] for an empty `version` or `environment`,
    /// [`HealthError::DuplicateComponent`] when two components share a name.
    pub fn build(self) -> Result<HealthChecker, HealthError> {
        let version = self.version.unwrap_or_else(|| "unknown".to_owned());
        let environment = self.environment.unwrap_or_else(|| "unknown".to_owned());
        if version.is_empty() {
            return Err(HealthError::Empty("version"));
        }
        if environment.is_empty() {
            return Err(HealthError::Empty("environment"));
        }
        let mut seen = HashSet::new();
        for c in &self.components {
            if !seen.insert(c.name()) {
                return Err(HealthError::DuplicateComponent(c.name().to_owned()));
            }
        }
        Ok(HealthChecker {
            inner: Arc::new(Inner {
                version,
                environment,
                components: self.components,
                switches: self.switches,
                last: Mutex::new(None),
            }),
        })
    }
}

type WorkerResult = (usize, CheckOutcome, Duration);

/// Starts the worker thread for one component unless its previous worker is still busy.
fn start_worker(
    index: usize,
    component: &Component,
    tx: &crossbeam_channel::Sender<WorkerResult>,
) -> Result<(), &'static str> {
    // AcqRel/Acquire: claiming the flag pairs with the worker's Release store, so the
    // previous worker's run of the check happens-before the next one starts.
    if component
        .in_flight
        .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
        .is_err()
    {
        return Err("check still running from an earlier run");
    }
    let tx = tx.clone();
    let check = Arc::clone(&component.check);
    let flag = Arc::clone(&component.in_flight);
    let spawned = thread::Builder::new()
        .name(format!("health-{}", component.name))
        .spawn(move || {
            let t0 = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| check())).unwrap_or_else(|payload| {
                CheckOutcome::error(format!("check panicked: {}", panic_message(&*payload)))
            });
            let elapsed = t0.elapsed();
            // Release: publishes that this worker is done before the result is sent, so a
            // run that sees the result can start a new worker at once.
            flag.store(false, Ordering::Release);
            // The receiver is gone if that run timed out the check: nothing to do.
            let _ = tx.try_send((index, outcome, elapsed));
        });
    if spawned.is_err() {
        component.in_flight.store(false, Ordering::Release);
        return Err("could not start check thread");
    }
    Ok(())
}

fn set(results: &mut [Option<ComponentHealth>], index: usize, value: ComponentHealth) {
    if let Some(slot) = results.get_mut(index) {
        *slot = Some(value);
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn error(c: &Component, now: DateTime<Utc>, latency: Duration, message: &str) -> ComponentHealth {
    ComponentHealth {
        name: c.name.to_string(),
        status: Status::Error,
        latency_ms: millis(latency),
        last_checked: now,
        message: Some(message.to_owned()),
    }
}

fn finish(
    c: &Component,
    now: DateTime<Utc>,
    outcome: CheckOutcome,
    elapsed: Duration,
) -> ComponentHealth {
    if elapsed > c.timeout {
        let msg = format!("timed out after {} ms", millis(c.timeout));
        return error(c, now, elapsed, &msg);
    }
    let mut status = outcome.status;
    let mut message = outcome.message;
    if let Some(threshold) = c.degraded_above {
        if status == Status::Ok && elapsed > threshold {
            status = Status::Degraded;
            let note = format!(
                "latency {} ms above {} ms threshold",
                millis(elapsed),
                millis(threshold)
            );
            message = Some(match message {
                Some(m) => format!("{m}; {note}"),
                None => note,
            });
        }
    }
    ComponentHealth {
        name: c.name.to_string(),
        status,
        latency_ms: millis(elapsed),
        last_checked: now,
        message,
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "non-string panic payload"
    }
}
