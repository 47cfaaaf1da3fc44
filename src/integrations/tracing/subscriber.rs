//! [`TelemetraSubscriber`]: telemetra as the whole `tracing` subscriber, for services
//! whose spans and events all go to telemetra. It keeps per-span state in its own slab
//! instead of `tracing_subscriber`'s registry and its type-map extensions, which is
//! where a [`TelemetraLayer`](super::TelemetraLayer) spends most of its time.

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};

use ::tracing::level_filters::LevelFilter;
use ::tracing::span::{Attributes, Id, Record};
use ::tracing::subscriber::Interest;
use ::tracing::{Event, Metadata, Subscriber};
use parking_lot::Mutex;
use sharded_slab::Slab;
use tracing_core::span::Current;

use super::{emit_event, level_of, SpanVisitor, ERROR_CODE};
use crate::clock::Stamp;
use crate::pipeline::is_internal_thread;
use crate::sampling::Level;
use crate::trace::current::{current, pop_deferred, push_keyed, top_key};
use crate::trace::{Span, SpanContext, Tracer};
use crate::Telemetry;

/// The id of a span this subscriber ignores (made on telemetra's own threads, or when
/// the slab is full): every call with it does nothing.
const INERT: u64 = u64::MAX;

/// telemetra as a [`tracing::Subscriber`](Subscriber) of its own: `tracing` spans and
/// events become telemetra spans and events exactly as through
/// [`TelemetraLayer`](super::TelemetraLayer) (same mapping, scrubbing, sampling), at
/// about half the cost per span, because it needs no `tracing_subscriber` registry.
/// Use it when telemetra is the only consumer of `tracing` data; use the layer to
/// combine telemetra with other layers (a log formatter, an `EnvFilter`).
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use telemetra::integrations::tracing::TelemetraSubscriber;
/// use telemetra::{sinks::MemorySink, Config, Telemetry};
///
/// let sink = MemorySink::new();
/// let telemetry = Telemetry::start(Config::builder().sink(sink.clone()).build()?)?;
/// let subscriber = TelemetraSubscriber::new(&telemetry)
///     .with_max_level(tracing::level_filters::LevelFilter::INFO);
/// tracing::subscriber::with_default(subscriber, || {
///     let request = tracing::info_span!("http.request", route = "/users/:id");
///     let _in = request.enter();
///     tracing::info!(user = "ann@example.com", "signed in");
///     tracing::debug!("not kept: above the maximum level");
/// });
/// telemetry.flush(Duration::from_secs(5))?;
/// let spans = sink.spans();
/// assert_eq!(spans[0].name, "http.request");
/// let events = sink.events();
/// assert_eq!(events.len(), 1);
/// assert_eq!(events[0].trace_id, Some(spans[0].context.trace_id));
/// assert!(!events[0].metadata.to_string().contains("ann@example.com")); // scrubbed
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct TelemetraSubscriber {
    telemetry: Telemetry,
    tracer: Tracer,
    spans: bool,
    events: bool,
    max_level: LevelFilter,
    slots: Slab<Slot>,
}

/// One live `tracing` span.
#[derive(Debug)]
struct Slot {
    /// Handles to the span (`clone_span` adds one, `try_close` takes one away).
    refs: AtomicUsize,
    meta: &'static Metadata<'static>,
    /// Its context: its children's parent, current while it is entered.
    context: SpanContext,
    /// What changes while it lives.
    state: Mutex<State>,
}

/// The mutable part of a [`Slot`]; see the layer's `Data`.
#[derive(Debug)]
struct State {
    /// A sampled span: the telemetra span (records fields, exported when it ends).
    /// Boxed, so that a slot stays small: it is copied into the slab (inline, an
    /// unsampled root and child cost ~400 more instructions, callgrind).
    span: Option<Box<Span>>,
    /// An unsampled span's start.
    start: Option<Stamp>,
    failed: bool,
}

impl TelemetraSubscriber {
    /// A subscriber over `telemetry`'s pipeline: spans and events on, every level.
    #[must_use]
    pub fn new(telemetry: &Telemetry) -> Self {
        TelemetraSubscriber {
            telemetry: telemetry.clone(),
            tracer: telemetry.tracer(),
            spans: true,
            events: true,
            max_level: LevelFilter::TRACE,
            slots: Slab::new(),
        }
    }

    /// Whether `tracing` spans become telemetra spans (default on). Off, spans are
    /// still tracked (so events inside them keep their trace), but not recorded or timed.
    #[must_use]
    pub fn with_spans(mut self, on: bool) -> Self {
        self.spans = on;
        self
    }

    /// Whether `tracing` events become telemetra events (default on).
    #[must_use]
    pub fn with_events(mut self, on: bool) -> Self {
        self.events = on;
        self
    }

    /// The most verbose level of spans and events kept (default `TRACE`: all). What is
    /// above it costs `tracing`'s disabled-callsite check only.
    #[must_use]
    pub fn with_max_level(mut self, level: impl Into<LevelFilter>) -> Self {
        self.max_level = level.into();
        self
    }

    /// This subscriber's mark on the thread's context stack: its address (it lives as
    /// long as its spans can be entered: the dispatcher owns it).
    fn owner(&self) -> usize {
        std::ptr::from_ref(self) as usize
    }

    /// The slot of span `id`, if it is live.
    fn slot(&self, id: &Id) -> Option<sharded_slab::Entry<'_, Slot>> {
        let key = id.into_u64();
        if key == INERT {
            return None;
        }
        let index = usize::try_from(key.checked_sub(1)?).ok()?;
        self.slots.get(index)
    }

    /// The context of span `id`, if it is live.
    fn context_of(&self, id: &Id) -> Option<SpanContext> {
        self.slot(id).map(|s| s.context.clone())
    }

    /// Ends a span whose last handle is gone (its state is taken, so it ends once).
    fn end(&self, slot: &Slot) {
        let (span, start, failed) = {
            let mut state = slot.state.lock();
            (state.span.take(), state.start.take(), state.failed)
        };
        match span {
            // Dropping the telemetra span ends and exports it.
            Some(t_span) => drop(t_span),
            None => {
                if let Some(start) = start {
                    self.tracer.unsampled_end(
                        slot.meta.name(),
                        &slot.context,
                        start.elapsed(),
                        failed.then_some(ERROR_CODE),
                    );
                }
            }
        }
    }
}

impl Subscriber for TelemetraSubscriber {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        if self.enabled(meta) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>) -> bool {
        meta.level() <= &self.max_level
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(self.max_level)
    }

    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        if is_internal_thread() {
            return Id::from_u64(INERT);
        }
        // The parent: the explicit one, else (contextual) the thread's current context,
        // which is the innermost entered span or a remote context entered by hand.
        let parent = match attrs.parent() {
            Some(p) => self.context_of(p),
            None if attrs.is_contextual() => current(),
            None => None,
        };
        let (context, parent) = match parent {
            Some(p) => (Tracer::child_context(&p), Some(p.span_id)),
            None => (self.tracer.root_context(), None),
        };
        let meta = attrs.metadata();
        let span = (self.spans && context.sampled).then(|| {
            let mut t_span =
                self.tracer
                    .start_with(Cow::Borrowed(meta.name()), context.clone(), parent);
            attrs.record(&mut SpanVisitor(&mut t_span));
            Box::new(t_span)
        });
        let start = (self.spans && span.is_none()).then(Stamp::now);
        let slot = Slot {
            refs: AtomicUsize::new(1),
            meta,
            context,
            state: Mutex::new(State {
                span,
                start,
                failed: false,
            }),
        };
        match self.slots.insert(slot) {
            Some(index) => Id::from_u64(index as u64 + 1),
            None => Id::from_u64(INERT),
        }
    }

    fn record(&self, id: &Id, values: &Record<'_>) {
        if let Some(slot) = self.slot(id) {
            if let Some(t_span) = slot.state.lock().span.as_mut() {
                values.record(&mut SpanVisitor(t_span));
            }
        }
    }

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        if is_internal_thread() {
            return;
        }
        let level = level_of(event);
        let span = match event.parent() {
            Some(p) => self.slot(p),
            None if event.is_contextual() => {
                top_key(self.owner()).and_then(|k| self.slot(&Id::from_u64(k)))
            }
            None => None,
        };
        let context = span.map(|slot| {
            if level == Level::Error {
                let mut state = slot.state.lock();
                state.failed = true;
                if let Some(t_span) = state.span.as_mut() {
                    t_span.set_error(ERROR_CODE);
                }
            }
            slot.context.clone()
        });
        if self.events {
            emit_event(&self.telemetry, event, level, context.as_ref());
        }
    }

    fn enter(&self, id: &Id) {
        if let Some(slot) = self.slot(id) {
            push_keyed(id.into_u64(), slot.context.clone(), self.owner());
        }
    }

    fn exit(&self, id: &Id) {
        if id.into_u64() != INERT {
            pop_deferred(id.into_u64(), self.owner());
        }
    }

    fn clone_span(&self, id: &Id) -> Id {
        if let Some(slot) = self.slot(id) {
            slot.refs.fetch_add(1, Ordering::Relaxed);
        }
        id.clone()
    }

    fn try_close(&self, id: Id) -> bool {
        let Some(slot) = self.slot(&id) else {
            return false;
        };
        if slot.refs.fetch_sub(1, Ordering::AcqRel) != 1 {
            return false;
        }
        self.end(&slot);
        drop(slot);
        // Removal waits for no one: the slot is freed when the last reader lets go.
        if let Some(index) = id
            .into_u64()
            .checked_sub(1)
            .and_then(|k| usize::try_from(k).ok())
        {
            self.slots.remove(index);
        }
        true
    }

    fn current_span(&self) -> Current {
        match top_key(self.owner()).and_then(|k| Some((k, self.slot(&Id::from_u64(k))?.meta))) {
            Some((k, meta)) => Current::new(Id::from_u64(k), meta),
            None => Current::none(),
        }
    }
}
