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

use super::{SpanContext, SpanId, TraceId};

/// How deep the current-context stack of one thread may grow; an `enter` past it
/// changes nothing (its guard is inert), so a leak of guards cannot grow memory.
pub const MAX_DEPTH: usize = 256;

/// Looks a deferred entry's context up from its key (see [`push_deferred`]); `None`
/// when it cannot be found now.
pub(crate) type Resolve = fn(u64) -> Option<SpanContext>;

/// One context on a thread's stack: given when entered, or deferred — a `tracing`
/// span's, looked up (once) only when something asks for the current context. Entering
/// a `tracing` span then costs a push of its id, not a lookup in the span registry.
#[derive(Debug)]
struct Entry {
    /// The `tracing` span id of a deferred entry (what [`pop_deferred`] matches); 0 for
    /// a context given when entered.
    key: u64,
    /// The context, once known.
    cx: Option<SpanContext>,
    /// Which `TelemetraSubscriber` pushed it (its address), 0 for anything else: keys
    /// are span ids of that subscriber alone, so another subscriber on the same thread
    /// (a nested dispatcher) never reads them as its own.
    owner: usize,
    /// How to look it up while unknown.
    resolve: Option<Resolve>,
}

impl Entry {
    /// The context, looked up now if it is deferred; `None` when the lookup fails (it
    /// is tried again at the next ask).
    fn context(&mut self) -> Option<&SpanContext> {
        if self.cx.is_none() {
            self.cx = self.resolve.and_then(|r| r(self.key));
        }
        self.cx.as_ref()
    }
}

thread_local! {
    static STACK: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
    /// Whether the top of `STACK` may be a sampled context: read by every counter and
    /// timing emission (to keep an exemplar), so one flag rather than the stack. True
    /// for a deferred entry not yet looked up: the emission then asks [`sampled`].
    static SAMPLED: Cell<bool> = const { Cell::new(false) };
    /// Set by [`with_exemplar`]: the span that emissions made inside take as their
    /// exemplar (`Some(None)`: none), whatever the stack says.
    static EXEMPLAR: Cell<Option<Option<(TraceId, SpanId)>>> = const { Cell::new(None) };
}

/// Re-reads whether the current context is (or may be) sampled after the stack changed.
fn resample(s: &[Entry]) {
    let maybe = s
        .last()
        .is_some_and(|e| e.cx.as_ref().map_or(e.resolve.is_some(), |c| c.sampled));
    let _ = SAMPLED.try_with(|f| f.set(maybe));
}

/// Whether the calling thread's current context is sampled: one thread-local load.
#[inline(always)]
pub(crate) fn in_sampled() -> bool {
    SAMPLED.try_with(Cell::get).unwrap_or(false)
}

/// The trace and span an emission made now keeps as its exemplar: the current context
/// if it is sampled (or what [`with_exemplar`] set).
pub(crate) fn exemplar_ids() -> Option<(TraceId, SpanId)> {
    match EXEMPLAR.try_with(Cell::get).ok().flatten() {
        Some(set) => set,
        None => current()
            .filter(|c| c.sampled)
            .map(|c| (c.trace_id, c.span_id)),
    }
}

/// Runs `f` with `span` (if sampled) as the exemplar of what it emits, instead of the
/// current context: a span's own timing links to the span, not to its parent, and is
/// emitted without looking the current context up.
pub(crate) fn with_exemplar<R>(span: &SpanContext, f: impl FnOnce() -> R) -> R {
    if !span.sampled {
        // No exemplar: clearing the flag is enough, emissions then never ask.
        let saved = SAMPLED.try_with(|c| c.replace(false)).ok();
        let out = f();
        if let Some(flag) = saved {
            let _ = SAMPLED.try_with(|c| c.set(flag));
        }
        return out;
    }
    let ids = Some((span.trace_id, span.span_id));
    let saved = (
        SAMPLED.try_with(|c| c.replace(ids.is_some())).ok(),
        EXEMPLAR.try_with(|c| c.replace(Some(ids))).ok().flatten(),
    );
    let out = f();
    if let Some(flag) = saved.0 {
        let _ = SAMPLED.try_with(|c| c.set(flag));
    }
    let _ = EXEMPLAR.try_with(|c| c.set(saved.1));
    out
}

/// The calling thread's current span context: the most recently entered one whose
/// guard is still alive (or `tracing` span still entered).
#[must_use]
pub fn current() -> Option<SpanContext> {
    STACK
        .try_with(|s| {
            let mut s = s.try_borrow_mut().ok()?;
            let top = s.last_mut()?;
            let looked_up = top.cx.is_none();
            let cx = top.context().cloned();
            if looked_up && cx.is_some() {
                resample(&s);
            }
            cx
        })
        .ok()
        .flatten()
}

/// Pushes an entry; the stack depth before, or `None` if nothing was pushed (stack
/// full, or the thread-local busy or gone).
fn push_entry(entry: Entry) -> Option<usize> {
    STACK
        .try_with(|s| {
            let mut s = s.try_borrow_mut().ok()?;
            let depth = s.len();
            if depth >= MAX_DEPTH {
                return None;
            }
            s.push(entry);
            resample(&s);
            Some(depth)
        })
        .ok()
        .flatten()
}

/// Pushes a context without a guard: the stack depth before the push, or `None` if
/// nothing was pushed (stack full, or the thread-local busy or gone).
pub(crate) fn push(cx: &SpanContext) -> Option<usize> {
    push_entry(Entry {
        key: 0,
        cx: Some(cx.clone()),
        owner: 0,
        resolve: None,
    })
}

/// Pushes the context of `tracing` span `key` (non-zero) without looking it up: the
/// `tracing` layer's `on_enter`. `resolve` finds it when something asks; undone by
/// [`pop_deferred`] with the same key.
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) fn push_deferred(key: u64, resolve: Resolve) {
    let _ = push_entry(Entry {
        key,
        cx: None,
        owner: 0,
        resolve: Some(resolve),
    });
}

/// Pushes the context of `tracing` span `key` (non-zero) of subscriber `owner` (its
/// address), known already: `TelemetraSubscriber::enter`. Undone by [`pop_deferred`]
/// with the same key.
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) fn push_keyed(key: u64, cx: SpanContext, owner: usize) {
    let _ = push_entry(Entry {
        key,
        cx: Some(cx),
        owner,
        resolve: None,
    });
}

/// The key of the most recently entered span of subscriber `owner` still entered on
/// this thread.
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) fn top_key(owner: usize) -> Option<u64> {
    STACK
        .try_with(|s| {
            let s = s.try_borrow().ok()?;
            s.iter()
                .rev()
                .find(|e| e.owner == owner && e.key != 0)
                .map(|e| e.key)
        })
        .ok()
        .flatten()
}

/// Removes the most recently pushed entry of `tracing` span `key` pushed by `owner` (0:
/// the `tracing` layer), and any pushed after it: the layer's `on_exit`, the
/// subscriber's `exit`.
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) fn pop_deferred(key: u64, owner: usize) {
    let _ = STACK.try_with(|s| {
        if let Ok(mut s) = s.try_borrow_mut() {
            if let Some(at) = s.iter().rposition(|e| e.key == key && e.owner == owner) {
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
    fn push(cx: &SpanContext) -> ContextGuard {
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
    use crate::trace::TraceState;

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
