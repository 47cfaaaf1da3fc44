//! [`Tracer`]: starts root and child spans, decides sampling, reports to a
//! [`SpanExporter`].

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use super::propagation::{extract, Extracted, HeaderGet};
use super::span::{run_in, ErrorCode};
use super::{Sampler, Span, SpanContext, SpanId, SpanRecord, TraceError, TraceId, TraceState};

/// Where finished spans go. The pipeline implements this: emit
/// [`SpanRecord::timing`] for every record, and buffer the record itself for
/// record-capable sinks when [`SpanRecord::sampled`] is true.
///
/// `on_end` runs on the thread that ends the span, so it must be cheap and must not
/// block or panic (push into a bounded queue; drop and count when full).
pub trait SpanExporter: Send + Sync {
    /// Receives one finished span.
    fn on_end(&self, record: SpanRecord);

    /// A span that was not sampled ended after `duration`, failing with `error_code`
    /// if it failed: what is left to do is what [`on_end`](Self::on_end) does with an
    /// unsampled record (the pipeline times it), without building the record. The
    /// default builds one and calls `on_end`.
    fn on_unsampled_end(
        &self,
        name: &'static str,
        context: &SpanContext,
        duration: std::time::Duration,
        error_code: Option<&'static str>,
    ) {
        self.on_end(SpanRecord {
            name: Cow::Borrowed(name),
            context: context.clone(),
            parent_span_id: None,
            start_unix_nanos: 0,
            duration_nanos: u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX),
            status: match error_code {
                None => super::Status::Ok,
                Some(code) => super::Status::Error {
                    code: Cow::Borrowed(code),
                },
            },
            attributes: Vec::new(),
            dropped_attributes: 0,
        });
    }
}

/// Starts spans. Cheap to clone; holds the exporter and the root sampler.
#[derive(Clone, Default)]
pub struct Tracer {
    exporter: Option<Arc<dyn SpanExporter>>,
    sampler: Sampler,
}

/// Builds a [`Tracer`]; validation happens in [`TracerBuilder::build`].
#[derive(Clone, Default)]
pub struct TracerBuilder {
    exporter: Option<Arc<dyn SpanExporter>>,
    sample_rate: Option<f64>,
}

impl TracerBuilder {
    /// Where finished spans are reported. Defaults to none (spans are timed, then
    /// discarded).
    #[must_use]
    pub fn exporter(mut self, exporter: Arc<dyn SpanExporter>) -> Self {
        self.exporter = Some(exporter);
        self
    }

    /// Fraction of new root traces recorded, in `[0, 1]`. Defaults to 1.
    #[must_use]
    pub fn sample_rate(mut self, rate: f64) -> Self {
        self.sample_rate = Some(rate);
        self
    }

    /// The tracer.
    ///
    /// # Errors
    /// [`TraceError::SampleRate`] for a rate outside `[0, 1]` or not finite.
    pub fn build(self) -> Result<Tracer, TraceError> {
        let sampler = match self.sample_rate {
            Some(r) => Sampler::new(r)?,
            None => Sampler::ALWAYS,
        };
        Ok(Tracer {
            exporter: self.exporter,
            sampler,
        })
    }
}

impl Tracer {
    /// A builder with no exporter and rate 1.
    #[must_use]
    pub fn builder() -> TracerBuilder {
        TracerBuilder::default()
    }

    /// The root sampler in use.
    #[must_use]
    pub fn sampler(&self) -> Sampler {
        self.sampler
    }

    /// Starts a span in the thread's [current](super::current()) context: a child of the
    /// span entered last (with [`Span::enter`] or the `tracing` layer), or a new trace
    /// when none is.
    #[must_use]
    pub fn span(&self, name: impl Into<Cow<'static, str>>) -> Span {
        match super::current() {
            Some(parent) => self.child_span(&parent, name),
            None => self.root_span(name),
        }
    }

    /// Starts a new trace: a fresh random trace id (so the W3C `random` flag is set),
    /// sampled by the trace-id rule.
    #[must_use]
    pub fn root_span(&self, name: impl Into<Cow<'static, str>>) -> Span {
        self.root_with_trace_id(name.into(), TraceId::random(), true)
    }

    /// A local root in `trace_id`; `random` says whether we can vouch that the id's
    /// right-most 7 bytes are random (true only for ids we generated).
    fn root_with_trace_id(&self, name: Cow<'static, str>, trace_id: TraceId, random: bool) -> Span {
        let context = self.root_context_in(trace_id, random);
        Span::start(name, context, None, self.exporter.clone())
    }

    /// The context of a new local root in `trace_id`, sampled by the trace-id rule.
    fn root_context_in(&self, trace_id: TraceId, random: bool) -> SpanContext {
        SpanContext {
            trace_id,
            span_id: SpanId::random(),
            sampled: self.sampler.sample(trace_id),
            random,
            trace_state: TraceState::empty(),
        }
    }

    /// The context a new root span would have: a fresh trace, sampled by the rule.
    pub(crate) fn root_context(&self) -> SpanContext {
        self.root_context_in(TraceId::random(), true)
    }

    /// The context a new child of `parent` would have.
    pub(crate) fn child_context(parent: &SpanContext) -> SpanContext {
        SpanContext {
            trace_id: parent.trace_id,
            span_id: SpanId::random(),
            sampled: parent.sampled,
            random: parent.random,
            trace_state: parent.trace_state.clone(),
        }
    }

    /// Starts a span with a context made by [`root_context`](Self::root_context) or
    /// [`child_context`](Self::child_context).
    pub(crate) fn start_with(
        &self,
        name: Cow<'static, str>,
        context: SpanContext,
        parent: Option<SpanId>,
    ) -> Span {
        Span::start(name, context, parent, self.exporter.clone())
    }

    /// Reports the end of an unsampled span that was never made into a [`Span`] (see
    /// [`SpanExporter::on_unsampled_end`]).
    pub(crate) fn unsampled_end(
        &self,
        name: &'static str,
        context: &SpanContext,
        duration: std::time::Duration,
        error_code: Option<&'static str>,
    ) {
        if let Some(e) = &self.exporter {
            e.on_unsampled_end(name, context, duration, error_code);
        }
    }

    /// Starts a child of `parent` (typically a remote context from [`extract`]),
    /// inheriting its trace id, sampled and random flags and tracestate.
    #[must_use]
    pub fn child_span(&self, parent: &SpanContext, name: impl Into<Cow<'static, str>>) -> Span {
        let context = Self::child_context(parent);
        Span::start(
            name.into(),
            context,
            Some(parent.span_id),
            self.exporter.clone(),
        )
    }

    /// Starts the server span for an incoming request: a child of a valid
    /// `traceparent`; else a local root in the `x-trace-id` trace (sampled by the
    /// trace-id rule; its `random` flag unset, as that id was not generated here); else a
    /// new trace.
    #[must_use]
    pub fn span_from_headers<H: HeaderGet + ?Sized>(
        &self,
        headers: &H,
        name: impl Into<Cow<'static, str>>,
    ) -> Span {
        match extract(headers) {
            Extracted::Parent(cx) => self.child_span(&cx, name),
            Extracted::TraceId(t) => self.root_with_trace_id(name.into(), t, false),
            Extracted::None => self.root_span(name),
        }
    }

    /// Runs `f` in a new root span, ending it afterwards and marking it failed with the
    /// error's code when `f` returns `Err`.
    ///
    /// # Errors
    /// Whatever `f` returns.
    pub fn in_span<T, E, F>(&self, name: impl Into<Cow<'static, str>>, f: F) -> Result<T, E>
    where
        E: ErrorCode,
        F: FnOnce(&mut Span) -> Result<T, E>,
    {
        run_in(self.root_span(name), f)
    }
}

impl fmt::Debug for Tracer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tracer")
            .field("exporter", &self.exporter.is_some())
            .field("sampler", &self.sampler)
            .finish()
    }
}

impl fmt::Debug for TracerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TracerBuilder")
            .field("exporter", &self.exporter.is_some())
            .field("sample_rate", &self.sample_rate)
            .finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use crate::trace::{AttrValue, Status, MAX_ATTRIBUTES};
    use parking_lot::Mutex;

    #[derive(Default)]
    struct Collect(Mutex<Vec<SpanRecord>>);
    impl SpanExporter for Collect {
        fn on_end(&self, record: SpanRecord) {
            self.0.lock().push(record);
        }
    }

    fn tracer(rate: f64) -> (Tracer, Arc<Collect>) {
        let c = Arc::new(Collect::default());
        let t = Tracer::builder()
            .exporter(c.clone())
            .sample_rate(rate)
            .build()
            .unwrap();
        (t, c)
    }

    #[test]
    fn end_is_idempotent_and_drop_ends() {
        let (t, c) = tracer(1.0);
        let mut s = t.root_span("op");
        s.end();
        s.end();
        drop(s);
        {
            let _s = t.root_span("dropped");
        }
        let recs = c.0.lock();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[1].name, "dropped");
    }

    #[test]
    fn children_share_trace_and_point_at_parent() {
        let (t, c) = tracer(1.0);
        let root = t.root_span("root");
        let child = root.child("child");
        let grandchild = child.child("grandchild");
        assert_eq!(grandchild.context().trace_id, root.context().trace_id);
        assert_eq!(grandchild.parent_span_id(), Some(child.context().span_id));
        assert_eq!(child.parent_span_id(), Some(root.context().span_id));
        assert_eq!(root.parent_span_id(), None);
        drop((grandchild, child, root));
        assert_eq!(c.0.lock().len(), 3);
    }

    #[test]
    fn in_span_marks_errors_and_times() {
        let (t, c) = tracer(1.0);
        let r: Result<u8, &'static str> = t.in_span("ok_op", |s| {
            s.set_attribute("k", 1_i64);
            Ok(1)
        });
        assert_eq!(r, Ok(1));
        let e: Result<(), std::io::Error> = t.in_span("bad_op", |s| {
            s.in_child("inner", |_| Ok::<_, std::io::Error>(()))?;
            Err(std::io::Error::from(std::io::ErrorKind::TimedOut))
        });
        assert!(e.is_err());
        let recs = c.0.lock();
        assert_eq!(recs.len(), 3);
        let ok = recs[0].timing();
        assert_eq!(
            (ok.name, ok.success, ok.error_code),
            ("ok_op", "true", "none")
        );
        assert!(ok.millis >= 0.0);
        assert_eq!(recs[0].attribute("k"), Some(&AttrValue::Int(1)));
        assert_eq!(recs[1].name, "inner");
        assert_eq!(recs[1].parent_span_id, Some(recs[2].context.span_id));
        let bad = recs[2].timing();
        assert_eq!((bad.success, bad.error_code), ("false", "timed_out"));
    }

    #[test]
    fn attributes_are_bounded() {
        let (t, c) = tracer(1.0);
        let mut s = t.root_span("op");
        for i in 0..40 {
            s.set_attribute(format!("k{i}"), "v");
        }
        s.set_attribute("k0", "x".repeat(1000));
        s.set_attribute("k".repeat(200), 1_i64);
        s.end();
        let recs = c.0.lock();
        assert_eq!(recs[0].attributes.len(), MAX_ATTRIBUTES);
        assert_eq!(recs[0].dropped_attributes, 9);
        match recs[0].attribute("k0") {
            Some(AttrValue::Str(v)) => assert_eq!(v.len(), 256),
            other => unreachable!("{other:?}"),
        }
    }

    #[test]
    fn sampling_is_decided_at_root_and_inherited() {
        let (t, c) = tracer(0.0);
        let root = t.root_span("root");
        assert!(!root.context().sampled);
        let mut child = root.child("child");
        child.set_attribute("ignored", true);
        assert!(!child.context().sampled);
        drop((child, root));
        let recs = c.0.lock();
        // Unsampled spans still report (for the timing) but carry no attributes.
        assert_eq!(recs.len(), 2);
        assert!(recs.iter().all(|r| !r.sampled() && r.attributes.is_empty()));
    }

    #[test]
    fn incoming_flag_is_honoured() {
        let (never, _) = tracer(0.0);
        let tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        let s = never.span_from_headers(&vec![("traceparent".to_owned(), tp.to_owned())], "srv");
        assert!(s.context().sampled);
        assert_eq!(s.parent_span_id().unwrap().to_string(), "00f067aa0ba902b7");
        let (always, _) = tracer(1.0);
        let tp0 = tp.replace("-01", "-00");
        let s = always.span_from_headers(&vec![("traceparent".to_owned(), tp0)], "srv");
        assert!(!s.context().sampled);
    }

    #[test]
    fn x_trace_id_starts_local_root_in_that_trace() {
        let (t, _) = tracer(1.0);
        let h = vec![(
            "X-Trace-Id".to_owned(),
            "4bf92f3577b34da6a3ce929d0e0e4736".to_owned(),
        )];
        let s = t.span_from_headers(&h, "srv");
        assert_eq!(
            s.context().trace_id.to_string(),
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
        assert_eq!(s.parent_span_id(), None);
    }

    #[test]
    fn span_dropped_by_a_panic_is_an_error() {
        let (t, c) = tracer(1.0);
        let t2 = t.clone();
        let r = std::thread::spawn(move || {
            let _ = t2.in_span("boom", |_| -> Result<(), &'static str> {
                panic!("expected")
            });
        })
        .join();
        assert!(r.is_err());
        assert_eq!(c.0.lock()[0].status.error_code(), "panic");
    }

    #[test]
    fn status_and_rate_validation() {
        assert!(Tracer::builder().sample_rate(2.0).build().is_err());
        let t = Tracer::default();
        let mut s = t.root_span("x");
        s.set_status(Status::Error { code: "e".into() });
        assert_eq!(s.status().error_code(), "e");
        assert!(!s.is_recording());
    }
}
