//! A background thread that runs the checks periodically and publishes gauges.

use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{RecvTimeoutError, Sender};

use super::{GaugeSink, HealthChecker, HealthError};

/// Handle to the thread started by [`HealthChecker::start_monitor`]. Stop it with
/// [`shutdown`](Self::shutdown); dropping it signals the thread to stop without waiting.
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use telemetra::health::{GaugeSink, HealthChecker};
///
/// # fn main() -> Result<(), telemetra::health::HealthError> {
/// let checker = HealthChecker::builder().build()?;
/// let sink: Arc<dyn GaugeSink + Send + Sync> = Arc::new(|_: &str, _: f64, _: &[(&str, &str)]| {});
/// let monitor = checker.start_monitor(Duration::from_secs(30), sink)?;
/// monitor.shutdown(Duration::from_secs(1))?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct HealthMonitor {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl HealthChecker {
    /// Starts a thread that runs every check now and then every `interval`, emitting
    /// [`HealthReport::gauges`](super::HealthReport::gauges) to `sink` after each run.
    /// A run lasts at most the longest component timeout.
    ///
    /// # Errors
    /// [`HealthError::ZeroInterval`] for a zero interval, [`HealthError::Thread`] when the
    /// thread cannot be started.
    pub fn start_monitor(
        &self,
        interval: Duration,
        sink: Arc<dyn GaugeSink + Send + Sync>,
    ) -> Result<HealthMonitor, HealthError> {
        if interval.is_zero() {
            return Err(HealthError::ZeroInterval);
        }
        let (stop, stopped) = crossbeam_channel::bounded::<()>(1);
        let checker = self.clone();
        let thread = thread::Builder::new()
            .name("telemetra-health".to_owned())
            .spawn(move || loop {
                let started = Instant::now();
                checker.run().emit(&*sink);
                let wait = interval.saturating_sub(started.elapsed());
                match stopped.recv_timeout(wait) {
                    Err(RecvTimeoutError::Timeout) => {}
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
                }
            })
            .map_err(|_| HealthError::Thread)?;
        Ok(HealthMonitor {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl HealthMonitor {
    /// Stops the thread and waits up to `timeout` for it to finish its current run.
    ///
    /// # Errors
    /// [`HealthError::ShutdownTimeout`] when the thread is still busy (a run in progress
    /// waits for its check timeouts); it stops after that run on its own.
    pub fn shutdown(mut self, timeout: Duration) -> Result<(), HealthError> {
        self.stop.take();
        let Some(thread) = self.thread.take() else {
            return Ok(());
        };
        let deadline = Instant::now() + timeout;
        while !thread.is_finished() {
            if Instant::now() >= deadline {
                return Err(HealthError::ShutdownTimeout);
            }
            thread::sleep(Duration::from_millis(5));
        }
        // The loop body cannot panic (checks run under `catch_unwind` on their own
        // threads); a panicking sink would end the thread, which shutdown tolerates.
        let _ = thread.join();
        Ok(())
    }
}

impl Drop for HealthMonitor {
    fn drop(&mut self) {
        // Dropping the sender disconnects the channel: the thread stops after its current
        // run. No join here, so `Drop` never blocks.
        self.stop.take();
    }
}
