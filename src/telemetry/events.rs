//! [`EventBuilder`]: builds an [`Event`] on the emitting thread, samples it and hands it
//! to the pipeline. It lives with the handle, above the pipeline; the [`Event`] it
//! carries is a plain record type below both.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::{Map, Value};

use crate::event::{ActorType, Event};
use crate::pipeline::Shared;
use crate::sampling::{mix64, Decision, Level, SplitMix64, Subject};
use crate::trace::{ErrorCode, SpanContext, TraceId};
use crate::Telemetry;

/// Builds and sends one [`Event`]; made by [`Telemetry::event`]. Nothing is sent until
/// [`emit`](EventBuilder::emit). On a no-op handle, setters store nothing.
#[must_use = "an event is only sent by .emit()"]
pub struct EventBuilder<'a> {
    shared: Option<&'a Shared>,
    event: Event,
    /// Taken by [`decide`](EventBuilder::decide) (then final), else at `emit`.
    decision: Option<Decision>,
}

impl fmt::Debug for EventBuilder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventBuilder")
            .field("domain", &self.event.domain)
            .field("operation", &self.event.operation)
            .field("level", &self.event.level)
            .field("decision", &self.decision)
            .finish_non_exhaustive()
    }
}

thread_local! {
    /// This thread's sampling generator state (`SplitMix64`); 0 until seeded.
    static RNG: Cell<u64> = const { Cell::new(0) };
}

/// 64 random bits from the calling thread's generator.
fn random_u64() -> u64 {
    const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
    RNG.try_with(|c| {
        let mut s = c.get();
        if s == 0 {
            s = SplitMix64::from_entropy().next_u64() | 1;
        }
        s = s.wrapping_add(GOLDEN_GAMMA);
        c.set(s);
        mix64(s)
    })
    // Thread-local gone (a destructor emitting): fall back to the clock.
    .unwrap_or_else(|_| mix64(Instant::now().elapsed().as_nanos() as u64 ^ 0x5eed))
}

impl<'a> EventBuilder<'a> {
    pub(crate) fn new(shared: Option<&'a Shared>, event: Event) -> Self {
        EventBuilder {
            shared,
            event,
            decision: None,
        }
    }

    /// Whether setters should store anything: not without a pipeline.
    fn live(&self) -> bool {
        self.shared.is_some()
    }

    fn decision_now(&self, shared: &Shared) -> Decision {
        let e = &self.event;
        let subject = Subject {
            level: e.level,
            domain: &e.domain,
            operation: &e.operation,
            trace_id: e.trace_id.map(TraceId::to_u128),
        };
        shared.records.policy.decide(&subject, random_u64())
    }

    /// Takes the sampling decision now, with the [`level`](Self::level) and
    /// [`trace`](Self::trace) set so far (set them first): `None` if the event is
    /// dropped (and counted), else the builder, whose decision later setters no longer
    /// change. Lets a caller skip building metadata for events that will not be sent.
    pub fn decide(mut self) -> Option<Self> {
        let shared = self.shared?;
        if self.decision.is_none() {
            self.decision = Some(self.decision_now(shared));
        }
        match self.decision {
            Some(Decision::Keep { .. }) => Some(self),
            Some(Decision::Drop { reason }) => {
                shared.records.count_sampling_drop(reason);
                None
            }
            None => None,
        }
    }

    /// Severity. Defaults to [`Level::Info`].
    pub fn level(mut self, level: Level) -> Self {
        self.event.level = level;
        self
    }

    /// Who acted and their id (pseudonymised before leaving the process). Defaults to
    /// none.
    pub fn actor(mut self, actor_type: ActorType, id: impl Into<String>) -> Self {
        if self.live() {
            self.event.actor_type = Some(actor_type);
            self.event.actor_id = Some(id.into());
        }
        self
    }

    /// Session id. Defaults to none.
    pub fn session(mut self, id: impl Into<String>) -> Self {
        if self.live() {
            self.event.session_id = Some(id.into());
        }
        self
    }

    /// Request id. Defaults to none.
    pub fn request(mut self, id: impl Into<String>) -> Self {
        if self.live() {
            self.event.request_id = Some(id.into());
        }
        self
    }

    /// Whether the operation succeeded. Defaults to unknown (not set).
    pub fn success(mut self, ok: bool) -> Self {
        self.event.success = Some(ok);
        self
    }

    /// How long the operation took. Defaults to not set.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.event.latency_ms = Some(latency.as_secs_f64() * 1000.0);
        self
    }

    /// A short, low-cardinality error code (`INSUFFICIENT_FUNDS`); never a message.
    /// Defaults to none.
    pub fn error_code(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        if self.live() {
            self.event.error_code = Some(code.into());
        }
        self
    }

    /// A human-readable message, e.g. an error's text; scrubbed as free text before it
    /// leaves the process. Defaults to none.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        if self.live() {
            self.event.message = Some(message.into());
        }
        self
    }

    /// Adds one metadata member (a later one with the same key replaces it). Values are
    /// anything `serde_json::Value` converts from (strings, numbers, booleans, JSON).
    /// Defaults to empty metadata.
    pub fn meta(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        if self.live() {
            if let Value::Object(m) = &mut self.event.metadata {
                m.insert(key.into(), value.into());
            }
        }
        self
    }

    /// Replaces the whole metadata (an object is expected; anything else is wrapped as
    /// `{"value": …}`). Defaults to empty metadata.
    pub fn metadata(mut self, metadata: Value) -> Self {
        if self.live() {
            self.event.metadata = match metadata {
                Value::Object(_) => metadata,
                other => {
                    let mut m = Map::new();
                    m.insert("value".to_owned(), other);
                    Value::Object(m)
                }
            };
        }
        self
    }

    /// Links the event to a span: its trace id and span id are recorded, and sampling
    /// follows the trace id (an event in a kept trace is kept at the same rate).
    /// Defaults to no trace.
    pub fn trace(mut self, context: &SpanContext) -> Self {
        self.event.trace_id = Some(context.trace_id);
        self.event.span_id = Some(context.span_id);
        self
    }

    /// Sends the event: counted and dropped if the sampling policy says so, else
    /// stamped, counted in `event.count` and queued for the record sinks (a full queue
    /// drops it and counts it). Never blocks.
    pub fn emit(mut self) {
        let Some(shared) = self.shared else {
            return;
        };
        let decision = match self.decision {
            Some(d) => d,
            None => self.decision_now(shared),
        };
        match decision {
            Decision::Drop { reason } => shared.records.count_sampling_drop(reason),
            Decision::Keep { rate } => {
                self.event.sample_rate = rate;
                self.event.timestamp = Utc::now();
                shared.emit_event(self.event);
            }
        }
    }
}

impl Telemetry {
    /// Starts an event in `domain` (`chat`, `wallet`, …) for `operation` (`chat.send`,
    /// …), at level INFO; send it with [`EventBuilder::emit`]. It belongs to the
    /// thread's [current](crate::trace::current()) span, if any, until
    /// [`trace`](EventBuilder::trace) says otherwise.
    pub fn event(
        &self,
        domain: impl Into<Cow<'static, str>>,
        operation: impl Into<Cow<'static, str>>,
    ) -> EventBuilder<'_> {
        let mut event = Event::new(domain, operation);
        if self.shared().is_some() {
            if let Some(cx) = crate::trace::current() {
                event.trace_id = Some(cx.trace_id);
                event.span_id = Some(cx.span_id);
            }
        }
        EventBuilder::new(self.shared(), event)
    }

    /// Sends an INFO event for an operation that succeeded in `latency`.
    pub fn event_success(
        &self,
        domain: impl Into<Cow<'static, str>>,
        operation: impl Into<Cow<'static, str>>,
        latency: Duration,
    ) {
        self.event(domain, operation)
            .success(true)
            .latency(latency)
            .emit();
    }

    /// Sends an ERROR event (always kept) for an operation that failed with `error_code`
    /// and `message` (scrubbed as free text before it leaves the process).
    pub fn event_error(
        &self,
        domain: impl Into<Cow<'static, str>>,
        operation: impl Into<Cow<'static, str>>,
        error_code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) {
        self.event(domain, operation)
            .level(Level::Error)
            .success(false)
            .error_code(error_code)
            .message(message)
            .emit();
    }

    /// Runs `f`, then sends an event with its latency: INFO and `success=true` for
    /// `Ok`, ERROR with the error's [`ErrorCode`] and text for `Err`.
    ///
    /// # Errors
    /// Whatever `f` returns.
    pub fn time_event<T, E>(
        &self,
        domain: impl Into<Cow<'static, str>>,
        operation: impl Into<Cow<'static, str>>,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: ErrorCode + fmt::Display,
    {
        let start = crate::clock::Stamp::now();
        let out = f();
        let b = self.event(domain, operation).latency(start.elapsed());
        match &out {
            Ok(_) => b.success(true).emit(),
            Err(e) => b
                .level(Level::Error)
                .success(false)
                .error_code(e.error_code())
                .message(e.to_string())
                .emit(),
        }
        out
    }
}
