//! A future that runs a blocking call on a thread of its own, so that `flush` and
//! `shutdown` can be awaited from an async runtime without blocking its worker threads
//! and without depending on any runtime.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use parking_lot::Mutex;

use crate::Error;

enum State<T> {
    /// Not polled yet: the call still to run.
    Idle(Box<dyn FnOnce() -> Result<T, Error> + Send>),
    /// Running on its thread; the waker of the last poll.
    Running(Option<Waker>),
    Done(Result<T, Error>),
    Taken,
}

/// Runs a blocking call on a new thread when first polled and completes with its result;
/// see [`Telemetry::flush_async`](crate::Telemetry::flush_async). Dropping it before it
/// completes does not stop the call.
#[must_use = "futures do nothing unless polled"]
pub struct OffThread<T> {
    what: &'static str,
    state: Arc<Mutex<State<T>>>,
}

impl<T> std::fmt::Debug for OffThread<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OffThread")
            .field("what", &self.what)
            .finish()
    }
}

impl<T: Send + 'static> OffThread<T> {
    pub(crate) fn new(
        what: &'static str,
        call: impl FnOnce() -> Result<T, Error> + Send + 'static,
    ) -> Self {
        OffThread {
            what,
            state: Arc::new(Mutex::new(State::Idle(Box::new(call)))),
        }
    }
}

impl<T: Send + 'static> Future for OffThread<T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut st = self.state.lock();
        match std::mem::replace(&mut *st, State::Taken) {
            State::Idle(call) => {
                *st = State::Running(Some(cx.waker().clone()));
                drop(st);
                let shared = Arc::clone(&self.state);
                let spawned = std::thread::Builder::new()
                    .name(format!("telemetra-{}", self.what))
                    .spawn(move || {
                        let out = call();
                        let waker = {
                            let mut st = shared.lock();
                            let waker = match std::mem::replace(&mut *st, State::Taken) {
                                State::Running(w) => w,
                                _ => None,
                            };
                            *st = State::Done(out);
                            waker
                        };
                        if let Some(w) = waker {
                            w.wake();
                        }
                    });
                match spawned {
                    Ok(_) => Poll::Pending,
                    Err(source) => {
                        *self.state.lock() = State::Taken;
                        Poll::Ready(Err(Error::Spawn {
                            what: self.what.to_owned(),
                            source,
                        }))
                    }
                }
            }
            State::Running(_) => {
                *st = State::Running(Some(cx.waker().clone()));
                Poll::Pending
            }
            State::Done(out) => Poll::Ready(out),
            State::Taken => Poll::Ready(Err(Error::NotRunning)),
        }
    }
}
