//! [`Span`]: a timed unit of work that reports a [`SpanRecord`] when it ends.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::clock::Stamp;

use super::propagation::{inject, HeaderSet};
use super::record::{truncate_cow, MAX_ATTRIBUTES, MAX_KEY_LEN, MAX_VALUE_LEN};
use super::{AttrValue, SpanContext, SpanExporter, SpanId, SpanRecord, Status, TraceState};

/// Something that can name a failure with a short code for [`Status::Error`].
///
/// Codes become tag values, so they must be low-cardinality and free of user data: never
/// put an error *message* here.
pub trait ErrorCode {
    /// The code, e.g. `"timeout"`.
    fn error_code(&self) -> Cow<'static, str>;
}

impl ErrorCode for std::io::Error {
    /// The [`std::io::ErrorKind`] in snake case (`not_found`, `timed_out`, …).
    fn error_code(&self) -> Cow<'static, str> {
        let camel = format!("{:?}", self.kind());
        let mut out = String::with_capacity(camel.len() + 4);
        for (i, c) in camel.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    }
}

impl ErrorCode for std::fmt::Error {
    fn error_code(&self) -> Cow<'static, str> {
        Cow::Borrowed("fmt")
    }
}

impl ErrorCode for std::convert::Infallible {
    fn error_code(&self) -> Cow<'static, str> {
        match *self {}
    }
}

impl ErrorCode for &'static str {
    /// The string itself, taken to be a code.
    fn error_code(&self) -> Cow<'static, str> {
        Cow::Borrowed(self)
    }
}

/// A unit of work being timed. Ends on [`Span::end`] or on drop, whichever comes first;
/// ending twice does nothing. A span dropped during a panic ends with error code
/// `panic`.
///
/// Attributes are only kept when the span has an exporter and its trace is sampled;
/// otherwise setting them costs nothing.
pub struct Span {
    name: Cow<'static, str>,
    context: SpanContext,
    parent: Option<SpanId>,
    start_wall: SystemTime,
    start: Stamp,
    status: Status,
    attributes: Vec<(Cow<'static, str>, AttrValue)>,
    dropped_attributes: u32,
    exporter: Option<Arc<dyn SpanExporter>>,
    ended: bool,
}

impl Span {
    pub(crate) fn start(
        name: Cow<'static, str>,
        context: SpanContext,
        parent: Option<SpanId>,
        exporter: Option<Arc<dyn SpanExporter>>,
    ) -> Self {
        Self {
            name,
            context,
            parent,
            start_wall: SystemTime::now(),
            start: Stamp::now(),
            status: Status::Ok,
            attributes: Vec::new(),
            dropped_attributes: 0,
            exporter,
            ended: false,
        }
    }

    /// Starts a child: same trace, a new span id, this span as parent, the sampled and
    /// random flags and tracestate inherited.
    #[must_use]
    pub fn child(&self, name: impl Into<Cow<'static, str>>) -> Span {
        let context = SpanContext {
            trace_id: self.context.trace_id,
            span_id: SpanId::random(),
            sampled: self.context.sampled,
            random: self.context.random,
            trace_state: self.context.trace_state.clone(),
        };
        Span::start(
            name.into(),
            context,
            Some(self.context.span_id),
            self.exporter.clone(),
        )
    }

    /// Runs `f` inside a child span, ending it afterwards and marking it failed with the
    /// error's code when `f` returns `Err`.
    ///
    /// # Errors
    /// Whatever `f` returns.
    pub fn in_child<T, E, F>(&self, name: impl Into<Cow<'static, str>>, f: F) -> Result<T, E>
    where
        E: ErrorCode,
        F: FnOnce(&mut Span) -> Result<T, E>,
    {
        run_in(self.child(name), f)
    }

    /// Makes this span's context the thread's current one until the guard drops (see
    /// [`current`](super::current())): spans started with [`Tracer::span`](super::Tracer::span),
    /// events and [`inject_current`](super::propagation::inject_current) then join it.
    pub fn enter(&self) -> super::ContextGuard {
        self.context.enter()
    }

    /// The span's context (to inject into outgoing requests, or to log).
    #[must_use]
    pub fn context(&self) -> &SpanContext {
        &self.context
    }

    /// The parent span id, local or remote; `None` for a trace root.
    #[must_use]
    pub fn parent_span_id(&self) -> Option<SpanId> {
        self.parent
    }

    /// The span's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Wall-clock start time.
    #[must_use]
    pub fn start_time(&self) -> SystemTime {
        self.start_wall
    }

    /// Monotonic time since the span started.
    #[must_use]
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// The current status.
    #[must_use]
    pub fn status(&self) -> &Status {
        &self.status
    }

    /// Whether [`Span::end`] has run.
    #[must_use]
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// Whether attributes are kept (an exporter is attached and the trace is sampled).
    #[must_use]
    pub fn is_recording(&self) -> bool {
        !self.ended && self.exporter.is_some() && self.context.sampled
    }

    /// Sets (or replaces) an attribute. Beyond [`MAX_ATTRIBUTES`] keys, or for a key longer
    /// than [`MAX_KEY_LEN`] bytes, the attribute is dropped and counted; string values are
    /// truncated to [`MAX_VALUE_LEN`] bytes.
    pub fn set_attribute(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        value: impl Into<AttrValue>,
    ) {
        if !self.is_recording() {
            return;
        }
        let key = key.into();
        let mut value = value.into();
        if let AttrValue::Str(s) = &mut value {
            truncate_cow(s, MAX_VALUE_LEN);
        }
        if let Some(slot) = self.attributes.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        } else if key.len() > MAX_KEY_LEN
            || key.is_empty()
            || self.attributes.len() >= MAX_ATTRIBUTES
        {
            self.dropped_attributes = self.dropped_attributes.saturating_add(1);
        } else {
            self.attributes.push((key, value));
        }
    }

    /// Marks the span failed with `code` (truncated to [`MAX_VALUE_LEN`] bytes).
    pub fn set_error(&mut self, code: impl Into<Cow<'static, str>>) {
        let mut code = code.into();
        truncate_cow(&mut code, MAX_VALUE_LEN);
        self.status = Status::Error { code };
    }

    /// Sets the status outright.
    pub fn set_status(&mut self, status: Status) {
        match status {
            Status::Ok => self.status = Status::Ok,
            Status::Error { code } => self.set_error(code),
        }
    }

    /// Writes this span's context as outgoing headers (see [`inject`]).
    pub fn inject<H: HeaderSet + ?Sized>(&self, headers: &mut H) {
        inject(&self.context, headers);
    }

    /// Ends the span: fixes its duration and hands a [`SpanRecord`] to the exporter.
    /// Later calls (and the drop) do nothing.
    pub fn end(&mut self) {
        if self.ended {
            return;
        }
        self.ended = true;
        let duration = self.start.elapsed();
        let Some(exporter) = self.exporter.take() else {
            return;
        };
        let start_unix_nanos = self
            .start_wall
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        let record = SpanRecord {
            name: std::mem::take(&mut self.name),
            context: SpanContext {
                trace_state: std::mem::replace(&mut self.context.trace_state, TraceState::empty()),
                ..self.context
            },
            parent_span_id: self.parent,
            start_unix_nanos,
            duration_nanos: u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX),
            status: std::mem::take(&mut self.status),
            attributes: std::mem::take(&mut self.attributes),
            dropped_attributes: self.dropped_attributes,
        };
        exporter.on_end(record);
    }
}

/// Shared body of the closure forms.
pub(crate) fn run_in<T, E, F>(mut span: Span, f: F) -> Result<T, E>
where
    E: ErrorCode,
    F: FnOnce(&mut Span) -> Result<T, E>,
{
    let out = f(&mut span);
    if let Err(e) = &out {
        span.set_error(e.error_code());
    }
    span.end();
    out
}

impl Drop for Span {
    fn drop(&mut self) {
        // A span dropped while its thread unwinds did not succeed.
        if !self.ended && self.status.is_ok() && std::thread::panicking() {
            self.status = Status::Error {
                code: Cow::Borrowed("panic"),
            };
        }
        self.end();
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Span")
            .field("name", &self.name)
            .field("context", &self.context)
            .field("parent", &self.parent)
            .field("status", &self.status)
            .field("attributes", &self.attributes.len())
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}
