//! The current span context of a thread, and of a future across its polls.
//!
//! [`SpanContext::enter`] (or [`Span::enter`](super::Span::enter)) makes a context the
//! thread's current one until the returned guard drops; [`current`] reads it. Code that
//! has no span in hand then still joins the active trace: [`Tracer::span`] starts a
//! child of the current context (a root when there is none), events made with
//! [`Telemetry::event`](crate::Telemetry::event) carry its trace and span ids, and
//! [`inject_current`](super::propagation::inject_current) puts it on outgoing requests.
//! The `tracing` layer (feature `tracing`) enters each `tracing` span's context while
//! that span is entered, so the two see the same current span.
//!
//! A future moves between threads; [`FutureExt::in_context`] wraps it so that the
//! context is current during each of its polls.
//!
//! ```
//! use telemetra::trace::{current, FutureExt, Tracer};
//!
//! let tracer = Tracer::builder().build().expect("valid");
//! let server = tracer.root_span("http.request");
//! {
//!     let _in = server.enter();
//!     let db = tracer.span("db.query"); // a child of `server`, found without passing it
//!     assert_eq!(db.parent_span_id(), Some(server.context().span_id));
//! }
//! assert!(current().is_none());
//! let work = async { current().map(|cx| cx.span_id) };
//! let _wrapped = work.in_context(server.context().clone()); // polled in `server`
//! ```
//!
//! [`Tracer::span`]: super::Tracer::span

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::{SpanContext, SpanId};

/// How deep the current-context stack of one thread may grow; an `enter` past it
/// changes nothing (its guard is inert), so a leak of guards cannot grow memory.
pub const MAX_DEPTH: usize = 256;

thread_local! {
    static STACK: RefCell<Vec<SpanContext>> = const { RefCell::new(Vec::new()) };
    /// Whether the top of `STACK` is a sampled context: read by every counter and
    /// timing emission (to keep an exemplar), so one flag rather than the stack.
    static SAMPLED: Cell<bool> = const { Cell::new(false) };
}

/// Re-reads whether the current context is sampled after the stack changed.
fn resample(s: &[SpanContext]) {
    let _ = SAMPLED.try_with(|f| f.set(s.last().is_some_and(|c| c.sampled)));
}

/// Whether the calling thread's current context is sampled: one thread-local load.
#[inline(always)]
pub(crate) fn in_sampled() -> bool {
    SAMPLED.try_with(Cell::get).unwrap_or(false)
}

/// The current context if it is sampled.
pub(crate) fn sampled() -> Option<SpanContext> {
    current().filter(|c| c.sampled)
}

/// The calling thread's current span context: the most recently entered one whose
/// guard is still alive.
#[must_use]
pub fn current() -> Option<SpanContext> {
    STACK
        .try_with(|s| s.try_borrow().ok().and_then(|s| s.last().cloned()))
        .ok()
        .flatten()
}

/// Pushes a context without a guard (the `tracing` layer's `on_enter`; undone by [`pop`]
/// with the same span id): the stack depth before the push, or `None` if nothing was
/// pushed (stack full, or the thread-local busy or gone).
pub(crate) fn push(cx: &SpanContext) -> Option<usize> {
    STACK
        .try_with(|s| {
            let mut s = s.try_borrow_mut().ok()?;
            let depth = s.len();
            if depth >= MAX_DEPTH {
                return None;
            }
            s.push(cx.clone());
            resample(&s);
            Some(depth)
        })
        .ok()
        .flatten()
}

/// Removes the most recently pushed context of span `id`, and any pushed after it (the
/// `tracing` layer's `on_exit`).
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) fn pop(id: SpanId) {
    let _ = STACK.try_with(|s| {
        if let Ok(mut s) = s.try_borrow_mut() {
            if let Some(at) = s.iter().rposition(|c| c.span_id == id) {
                s.truncate(at);
                resample(&s);
            }
        }
    });
}

/// Makes a context current until dropped; see [`SpanContext::enter`]. Not `Send`: it
/// must drop on the thread that entered.
#[must_use = "the context is current only while the guard lives"]
#[derive(Debug)]
pub struct ContextGuard {
    /// Stack depth before the push; `None` when nothing was pushed.
    depth: Option<usize>,
    _not_send: PhantomData<*const ()>,
}

impl ContextGuard {
    pub(crate) fn push(cx: &SpanContext) -> ContextGuard {
        ContextGuard {
            depth: push(cx),
            _not_send: PhantomData,
        }
    }
}

impl Drop for ContextGuard {
    fn drop(&mut self) {
        if let Some(depth) = self.depth {
            // Truncating (rather than popping one) also undoes contexts entered after
            // this one whose guards were leaked.
            let _ = STACK.try_with(|s| {
                if let Ok(mut s) = s.try_borrow_mut() {
                    s.truncate(depth);
                    resample(&s);
                }
            });
        }
    }
}

impl SpanContext {
    /// Makes this context the thread's current one until the guard drops.
    pub fn enter(&self) -> ContextGuard {
        ContextGuard::push(self)
    }
}

/// A future that makes a span context current during each of its polls; made by
/// [`FutureExt::in_context`].
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct InContext<F> {
    future: Pin<Box<F>>,
    context: SpanContext,
}

impl<F: Future> Future for InContext<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let _in = this.context.enter();
        this.future.as_mut().poll(cx)
    }
}

/// Runs futures in a span context.
pub trait FutureExt: Future + Sized {
    /// This future, with `context` current during each poll (whichever thread polls
    /// it). The future is boxed once, here.
    fn in_context(self, context: SpanContext) -> InContext<Self> {
        InContext {
            future: Box::pin(self),
            context,
        }
    }
}

impl<F: Future> FutureExt for F {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{TraceId, TraceState};

    fn cx(n: u64) -> SpanContext {
        SpanContext {
            trace_id: TraceId::random(),
            span_id: SpanId::from_u64(n).unwrap(),
            sampled: true,
            random: true,
            trace_state: TraceState::empty(),
        }
    }

    #[test]
    fn guards_nest_and_unwind() {
        assert!(current().is_none());
        let a = cx(1);
        let g1 = a.enter();
        assert_eq!(current(), Some(a.clone()));
        {
            let b = cx(2);
            let _g2 = b.enter();
            assert_eq!(current(), Some(b));
        }
        assert_eq!(current(), Some(a));
        drop(g1);
        assert!(current().is_none());
    }

    #[test]
    fn leaked_inner_guards_are_undone_by_the_outer_one() {
        let g1 = cx(1).enter();
        std::mem::forget(cx(2).enter());
        drop(g1);
        assert!(current().is_none());
    }

    #[test]
    fn depth_is_capped() {
        let c = cx(3);
        let guards: Vec<_> = (0..MAX_DEPTH + 10).map(|_| c.enter()).collect();
        assert_eq!(STACK.with(|s| s.borrow().len()), MAX_DEPTH);
        drop(guards);
        assert!(current().is_none());
    }

    #[test]
    fn a_future_sees_its_context_on_every_poll() {
        use std::task::{Wake, Waker};
        struct Noop;
        impl Wake for Noop {
            fn wake(self: std::sync::Arc<Self>) {}
        }
        let c = cx(4);
        let mut polls = 0;
        let fut = std::future::poll_fn(|_| {
            polls += 1;
            assert_eq!(current().map(|c| c.span_id), SpanId::from_u64(4));
            if polls < 3 {
                Poll::Pending
            } else {
                Poll::Ready(polls)
            }
        })
        .in_context(c);
        let mut fut = std::pin::pin!(fut);
        let waker = Waker::from(std::sync::Arc::new(Noop));
        let mut task = Context::from_waker(&waker);
        let mut out = Poll::Pending;
        for _ in 0..3 {
            assert!(current().is_none());
            out = fut.as_mut().poll(&mut task);
        }
        assert_eq!(out, Poll::Ready(3));
    }
}
