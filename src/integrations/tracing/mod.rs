//! telemetra as a [`tracing_subscriber::Layer`] (feature `tracing`): spans and events
//! from `tracing` — your own `#[instrument]` code, tower-http, hyper, sqlx — become
//! telemetra spans and events, with telemetra's scrubbing, sampling and sinks.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use telemetra::integrations::tracing::TelemetraLayer;
//! use telemetra::{sinks::MemorySink, Config, Telemetry};
//! use tracing_subscriber::layer::SubscriberExt;
//!
//! let sink = MemorySink::new();
//! let telemetry = Telemetry::start(Config::builder().sink(sink.clone()).build()?)?;
//! let subscriber = tracing_subscriber::registry().with(TelemetraLayer::new(&telemetry));
//! tracing::subscriber::with_default(subscriber, || {
//!     let request = tracing::info_span!("http.request", route = "/users/:id");
//!     let _in = request.enter();
//!     tracing::info!(user = "ann@example.com", "signed in");
//! });
//! telemetry.flush(Duration::from_secs(5))?;
//! let spans = sink.spans();
//! assert_eq!(spans[0].name, "http.request");
//! let event = &sink.events()[0];
//! assert_eq!(event.trace_id, Some(spans[0].context.trace_id));
//! assert!(!event.metadata.to_string().contains("ann@example.com")); // scrubbed
//! # Ok(()) }
//! ```
//!
//! ## Mapping
//!
//! | `tracing` | telemetra |
//! | --- | --- |
//! | span | a [`Span`] named after the span, started when the `tracing` span is created and ended when it closes (so it is timed as `<name>` like every telemetra span) |
//! | span's parent in the subscriber's tree | the telemetra parent; a span with none is a child of the thread's [current context](crate::trace::current()) — a remote parent entered with [`SpanContext::enter`](crate::trace::SpanContext::enter) — or a new trace |
//! | span fields (at creation and `record`) | attributes (strings, integers, floats, booleans; anything else by its `Debug` text), scrubbed by the pipeline like every attribute |
//! | a field named `error` or `exception`, or an `ERROR` event inside the span | the span fails with error code `error`; the field's text is kept as attribute `error.message` |
//! | entering a span | its context becomes the thread's [current](crate::trace::current()) one until it is exited, so telemetra-native code inside it joins the trace |
//! | event | a telemetra event: domain = first segment of the target (`my_app` for `my_app::db`), operation = the target, level mapped (`TRACE` and `DEBUG` → `Debug`), the `message` field as message, other fields as metadata; linked to its span, scrubbed and sampled like any event |
//!
//! Spans and events made on telemetra's own threads (its flusher and sinks, whose HTTP
//! client may itself use `tracing`) are ignored, so exporting never feeds itself.
//!
//! An unsampled span is still timed, but its fields are not visited.
//!
//! When telemetra is the only consumer of `tracing` data, [`TelemetraSubscriber`] does the
//! same without `tracing_subscriber`'s registry, at about half the cost per span.

use crate::clock::Stamp;
use std::borrow::Cow;
use std::fmt;

use ::tracing::field::{Field, Visit};
use ::tracing::span::{Attributes, Id, Record};
use ::tracing::{Event, Level as TLevel, Subscriber};
use serde_json::Value;
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

use crate::pipeline::is_internal_thread;
use crate::sampling::Level;
use crate::trace::{current, Span, SpanContext, Tracer};
use crate::Telemetry;

mod subscriber;
pub use subscriber::TelemetraSubscriber;

/// The error code a span fails with when `tracing` says it failed.
const ERROR_CODE: &str = "error";

/// A [`Layer`] that turns `tracing` spans and events into telemetra ones. See the
/// [module docs](self).
#[derive(Clone, Debug)]
pub struct TelemetraLayer {
    telemetry: Telemetry,
    tracer: Tracer,
    spans: bool,
    events: bool,
}

impl TelemetraLayer {
    /// A layer over `telemetry`'s pipeline: spans and events on.
    #[must_use]
    pub fn new(telemetry: &Telemetry) -> Self {
        TelemetraLayer {
            telemetry: telemetry.clone(),
            tracer: telemetry.tracer(),
            spans: true,
            events: true,
        }
    }

    /// Whether `tracing` spans become telemetra spans (default on).
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
}

/// What the layer keeps in a `tracing` span's extensions.
struct Data {
    /// The span's context: its children's parent, current while it is entered.
    context: SpanContext,
    /// A sampled span: the telemetra span, which records the fields, keeps its own
    /// start and is exported when it closes. An unsampled one is only timed, with
    /// `start` and `failed`: no record, no wall-clock read, no exporter reference.
    /// Boxed: an unsampled span's data stays small, and it is moved into the
    /// registry's extensions and out again (inline, an unsampled span cost 6,019
    /// instructions per root-and-child operation instead of 5,652).
    span: Option<Box<Span>>,
    /// An unsampled span's start (a sampled one's is in `span`).
    start: Option<Stamp>,
    failed: bool,
}

/// Finds the context of `tracing` span `key` for the thread's current-context stack,
/// which `on_enter` fills with ids only (`trace::current::push_deferred`): entering a
/// span then costs no lookup. Asked outside the subscriber's own callbacks (a
/// telemetra event, a native child span, an exemplar, an injection), through the
/// thread's dispatcher down to the subscriber `S` below this layer.
fn resolve<S>(key: u64) -> Option<SpanContext>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    if key == 0 {
        return None;
    }
    let id = Id::from_u64(key);
    ::tracing::dispatcher::get_default(|dispatch| {
        let span = dispatch.downcast_ref::<S>()?.span(&id)?;
        let ext = span.extensions();
        ext.get::<Data>().map(|d| d.context.clone())
    })
}

impl<S> Layer<S> for TelemetraLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if !self.spans || is_internal_thread() {
            return;
        }
        let Some(span) = ctx.span(id) else {
            return;
        };
        // The context is made inside the parent's extensions, without copying theirs.
        let from_parent = span.parent().and_then(|p| {
            p.extensions()
                .get::<Data>()
                .map(|d| (Tracer::child_context(&d.context), d.context.span_id))
        });
        let (context, parent) = match from_parent {
            Some((cx, parent)) => (cx, Some(parent)),
            None => match current() {
                Some(remote) => (Tracer::child_context(&remote), Some(remote.span_id)),
                None => (self.tracer.root_context(), None),
            },
        };
        let name = span.metadata().name();
        let t_span = context.sampled.then(|| {
            let mut t_span = self
                .tracer
                .start_with(Cow::Borrowed(name), context.clone(), parent);
            attrs.record(&mut SpanVisitor(&mut t_span));
            Box::new(t_span)
        });
        let start = t_span.is_none().then(Stamp::now);
        span.extensions_mut().insert(Data {
            context,
            span: t_span,
            start,
            failed: false,
        });
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else {
            return;
        };
        let mut ext = span.extensions_mut();
        if let Some(t_span) = ext.get_mut::<Data>().and_then(|d| d.span.as_deref_mut()) {
            values.record(&mut SpanVisitor(t_span));
        }
    }

    fn on_enter(&self, id: &Id, _ctx: Context<'_, S>) {
        if self.spans && !is_internal_thread() {
            crate::trace::current::push_deferred(id.into_u64(), resolve::<S>);
        }
    }

    fn on_exit(&self, id: &Id, _ctx: Context<'_, S>) {
        if self.spans && !is_internal_thread() {
            crate::trace::current::pop_deferred(id.into_u64(), 0);
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else {
            return;
        };
        let Some(data) = span.extensions_mut().remove::<Data>() else {
            return;
        };
        match data.span {
            // Dropping the telemetra span ends and exports it.
            Some(t_span) => drop(t_span),
            None => self.tracer.unsampled_end(
                span.metadata().name(),
                &data.context,
                data.start.map(|s| s.elapsed()).unwrap_or_default(),
                data.failed.then_some(ERROR_CODE),
            ),
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if is_internal_thread() {
            return;
        }
        let level = level_of(event);
        let span = ctx.event_span(event);
        let mut context: Option<SpanContext> = None;
        if let Some(span) = &span {
            let mut ext = span.extensions_mut();
            if let Some(data) = ext.get_mut::<Data>() {
                if level == Level::Error {
                    data.failed = true;
                    if let Some(t_span) = &mut data.span {
                        t_span.set_error(ERROR_CODE);
                    }
                }
                context = Some(data.context.clone());
            }
        }
        if self.events {
            emit_event(&self.telemetry, event, level, context.as_ref());
        }
    }
}

/// A `tracing` event's level as telemetra's.
fn level_of(event: &Event<'_>) -> Level {
    match *event.metadata().level() {
        TLevel::ERROR => Level::Error,
        TLevel::WARN => Level::Warn,
        TLevel::INFO => Level::Info,
        _ => Level::Debug,
    }
}

/// Makes `event` a telemetra event of `level`, linked to `context` (its span's).
fn emit_event(
    telemetry: &Telemetry,
    event: &Event<'_>,
    level: Level,
    context: Option<&SpanContext>,
) {
    let target = event.metadata().target();
    let domain = target.split("::").next().unwrap_or(target);
    let mut builder = telemetry
        .event(Cow::Borrowed(domain), Cow::Borrowed(target))
        .level(level);
    if let Some(cx) = context {
        builder = builder.trace(cx);
    }
    // Decide first: a dropped event's fields are never formatted.
    let Some(builder) = builder.decide() else {
        return;
    };
    let mut visitor = EventVisitor {
        message: None,
        meta: serde_json::Map::new(),
    };
    event.record(&mut visitor);
    let mut builder = builder.metadata(Value::Object(visitor.meta));
    if let Some(message) = visitor.message {
        builder = builder.message(message);
    }
    builder.emit();
}

/// Whether a field says the span failed.
fn is_error_field(field: &Field) -> bool {
    matches!(field.name(), "error" | "exception")
}

/// Records span fields as attributes.
struct SpanVisitor<'a>(&'a mut Span);

impl SpanVisitor<'_> {
    /// Marks the span failed, keeping the error's text.
    fn error(&mut self, text: String) {
        self.0.set_error(ERROR_CODE);
        self.0.set_attribute("error.message", text);
    }
}

impl Visit for SpanVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if is_error_field(field) {
            self.error(value.to_owned());
        } else {
            self.0.set_attribute(field.name(), value.to_owned());
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.set_attribute(field.name(), value);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        match i64::try_from(value) {
            Ok(v) => self.0.set_attribute(field.name(), v),
            Err(_) => self.0.set_attribute(field.name(), value.to_string()),
        }
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.set_attribute(field.name(), value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.set_attribute(field.name(), value);
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        let text = value.to_string();
        if !is_error_field(field) {
            self.0.set_attribute(field.name(), text.clone());
        }
        self.error(text);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let text = format!("{value:?}");
        if is_error_field(field) {
            self.error(text);
        } else {
            self.0.set_attribute(field.name(), text);
        }
    }
}

/// Collects an event's message and other fields.
struct EventVisitor {
    message: Option<String>,
    meta: serde_json::Map<String, Value>,
}

impl EventVisitor {
    fn put(&mut self, field: &Field, value: Value) {
        self.meta.insert(field.name().to_owned(), value);
    }
}

impl Visit for EventVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = Some(value.to_owned());
        } else {
            self.put(field, Value::from(value));
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, Value::from(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, Value::from(value));
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.put(field, Value::from(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, Value::from(value));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.put(field, Value::from(value.to_string()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.message = Some(text);
        } else {
            self.put(field, Value::from(text));
        }
    }
}
