//! The records path: events and spans from the calling thread to record-capable sinks.
//!
//! ```text
//! event.emit() / span end ──try_send──▶ bounded record queue ──▶ flusher: scrub (PII),
//!   (sampling decided here,              (full: drop, count)       batch for ≤ record_flush_interval
//!    never blocks)                                                   │
//!                            per-sink bounded buffer ◀───────────────┘  (full: drop oldest, count)
//!                                     │
//!                                     ▼  sink worker: Sink::export_records (kept on error)
//! ```
//!
//! Nothing here touches the metrics hot path: `count`/`gauge`/`timing` never look at
//! the record queue.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crossbeam_channel::{Sender, TrySendError};

use super::local::emit;
use super::{Sample, Shared};
use crate::event::Event;
use crate::pii::Scrubber;
use crate::record::Record;
use crate::sampling::{scale_count, DropReason as SampleDrop, SamplingPolicy};
use crate::tags::BoundTags;
use crate::trace::{AttrValue, SpanContext, SpanExporter, SpanRecord, Status};

/// What happened to records so far, readable at any time with
/// [`Telemetry::record_stats`](crate::Telemetry::record_stats).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordStats {
    /// Records (events and sampled spans) accepted into the record queue.
    pub queued: u64,
    /// Dropped because the record queue was full.
    pub dropped_queue_full: u64,
    /// Events dropped by the sampling policy's rates.
    pub sampled_out: u64,
    /// Events dropped for being below the policy's minimum level.
    pub below_min_level: u64,
    /// Dropped because the pipeline was shut down.
    pub dropped_shutdown: u64,
    /// Dropped from a sink's full buffer (the oldest go first), summed over sinks.
    pub buffer_overflow: u64,
    /// Refused by a sink for good (a permanent error or a panic), or still undelivered
    /// when the pipeline stopped, summed over sinks.
    pub rejected: u64,
    /// Delivered to a sink, summed over sinks.
    pub exported: u64,
}

/// The records side of [`Shared`].
#[derive(Debug)]
pub(crate) struct RecordsShared {
    pub(crate) policy: SamplingPolicy,
    tx: Sender<Record>,
    /// Wakes the flusher once the queue is a quarter full. The flusher does not wait on
    /// the queue itself: a receiver parked on it would be woken (a `futex` call on the
    /// emitting thread) by nearly every span, which measured as half a sampled span's
    /// cost. Below the mark, the flusher drains the queue when it wakes anyway (at
    /// least every record interval).
    doorbell: Sender<()>,
    /// Queue length that rings the doorbell.
    ring_at: usize,
    /// Whether any sink accepts records (if none, nothing is queued).
    pub(crate) enabled: bool,
    event_metrics: bool,
    queued: AtomicU64,
    queue_full: AtomicU64,
    sampled_out: AtomicU64,
    below_min_level: AtomicU64,
    shutdown: AtomicU64,
}

impl RecordsShared {
    pub(crate) fn new(
        policy: SamplingPolicy,
        tx: Sender<Record>,
        doorbell: Sender<()>,
        enabled: bool,
        event_metrics: bool,
    ) -> Self {
        RecordsShared {
            policy,
            ring_at: (tx.capacity().unwrap_or(1) / 4).max(1),
            tx,
            doorbell,
            enabled,
            event_metrics,
            queued: AtomicU64::new(0),
            queue_full: AtomicU64::new(0),
            sampled_out: AtomicU64::new(0),
            below_min_level: AtomicU64::new(0),
            shutdown: AtomicU64::new(0),
        }
    }

    pub(crate) fn count_sampling_drop(&self, reason: SampleDrop) {
        let c = match reason {
            SampleDrop::BelowMinLevel => &self.below_min_level,
            SampleDrop::SampledOut => &self.sampled_out,
        };
        // Relaxed: statistics only.
        c.fetch_add(1, Ordering::Relaxed);
    }

    /// The app-side counters (sink-side ones are added by the caller).
    pub(crate) fn stats(&self) -> RecordStats {
        let r = |a: &AtomicU64| a.load(Ordering::Relaxed);
        RecordStats {
            queued: r(&self.queued),
            dropped_queue_full: r(&self.queue_full),
            sampled_out: r(&self.sampled_out),
            below_min_level: r(&self.below_min_level),
            dropped_shutdown: r(&self.shutdown),
            ..RecordStats::default()
        }
    }
}

impl Shared {
    /// Queues a record for the flusher: never blocks; a full queue drops and counts.
    pub(crate) fn push_record(&self, record: Record) {
        let rec = &self.records;
        if !rec.enabled {
            return;
        }
        // Relaxed: see `local::emit`; a record racing with shutdown may be lost
        // uncounted (documented), never blocks.
        if self.closed.load(Ordering::Relaxed) {
            rec.shutdown.fetch_add(1, Ordering::Relaxed);
            return;
        }
        match rec.tx.try_send(record) {
            Ok(()) => {
                if rec.tx.len() >= rec.ring_at {
                    // Full doorbell: the flusher is already due to wake.
                    let _ = rec.doorbell.try_send(());
                }
                rec.queued.fetch_add(1, Ordering::Relaxed)
            }
            Err(TrySendError::Full(_)) => rec.queue_full.fetch_add(1, Ordering::Relaxed),
            Err(TrySendError::Disconnected(_)) => rec.shutdown.fetch_add(1, Ordering::Relaxed),
        };
    }

    /// Sends a kept event: its `event.count` increment (scaled by its sample rate) and
    /// the record itself.
    pub(crate) fn emit_event(&self, event: Event) {
        if self.records.event_metrics {
            let code = event.error_code.as_deref().unwrap_or("none");
            let tags = [
                ("domain", &*event.domain),
                ("operation", &*event.operation),
                ("level", event.level.as_str()),
                ("error_code", code),
            ];
            // Unsampled events count 1 exactly; sampled ones count 1/rate.
            let scaled = scale_count(1.0, event.sample_rate);
            let sample = if scaled == 1.0 {
                Sample::Count(1)
            } else {
                Sample::Add(scaled)
            };
            emit(
                self,
                &BoundTags::None,
                "event.count",
                sample,
                &tags[..],
                event.success,
            );
        }
        self.push_record(Record::Event(event));
    }
}

/// The pipeline as a [`SpanExporter`]: every finished span becomes a timing `<name>`
/// tagged `success` and `error_code`; sampled spans also become records.
pub(crate) struct PipelineExporter {
    pub(crate) shared: Arc<Shared>,
}

/// Emits a span's timing: `<name>{error_code}` with its outcome, the span as exemplar.
fn span_timing(
    shared: &Shared,
    name: &str,
    context: &SpanContext,
    sample: Sample,
    code: &str,
    ok: bool,
) {
    let tags = [("error_code", code)];
    crate::trace::current::with_exemplar(context, || {
        emit(shared, &BoundTags::None, name, sample, &tags[..], Some(ok));
    });
}

impl SpanExporter for PipelineExporter {
    fn on_end(&self, record: SpanRecord) {
        let t = record.timing();
        let code = match &record.status {
            Status::Ok => "none",
            Status::Error { code } => code,
        };
        if let Some(sample) = Sample::from_ms(t.millis) {
            let ok = record.status.is_ok();
            span_timing(
                &self.shared,
                &record.name,
                &record.context,
                sample,
                code,
                ok,
            );
        }
        if record.sampled() {
            self.shared.push_record(Record::Span(record));
        }
    }

    fn on_unsampled_end(
        &self,
        name: &'static str,
        context: &SpanContext,
        duration: std::time::Duration,
        error_code: Option<&'static str>,
    ) {
        let sample = Sample::from_duration(duration);
        let code = error_code.unwrap_or("none");
        span_timing(
            &self.shared,
            name,
            context,
            sample,
            code,
            error_code.is_none(),
        );
    }
}

/// Scrubs a record in place (flusher side): see `docs/events.md` for what is touched.
pub(crate) fn scrub_record(s: &Scrubber, record: &mut Record) {
    match record {
        Record::Event(e) => scrub_event(s, e),
        Record::Span(sp) => scrub_span(s, sp),
    }
}

fn scrub_event(s: &Scrubber, e: &mut Event) {
    if let Some(id) = &mut e.actor_id {
        *id = s.pseudonymize(id);
    }
    s.scrub_json(&mut e.metadata);
    if let Some(m) = &mut e.message {
        if let Cow::Owned(clean) = s.scrub_text(m) {
            *m = clean;
        }
    }
    if let Some(code) = &mut e.error_code {
        scrub_code(s, code);
    }
}

/// Scrubs an error code as a tag value; a code the rules drop becomes `redacted`.
fn scrub_code(s: &Scrubber, code: &mut Cow<'static, str>) {
    match s.scrub_tag_value("error_code", code).map(|c| match c {
        Cow::Borrowed(_) => None,
        Cow::Owned(o) => Some(o),
    }) {
        Some(None) => {}
        Some(Some(clean)) => *code = Cow::Owned(clean),
        None => *code = Cow::Borrowed("redacted"),
    }
}

fn scrub_span(s: &Scrubber, sp: &mut SpanRecord) {
    let mut removed = 0u32;
    sp.attributes.retain_mut(|(key, value)| {
        let text = match value {
            AttrValue::Str(v) => Cow::Borrowed(&**v),
            // Numbers and booleans are kept, unless the key itself is sensitive (a
            // phone number given as an integer): then they go through the key rule.
            AttrValue::Int(_) | AttrValue::Float(_) | AttrValue::Bool(_) => {
                if s.key_rule(key).is_none() {
                    return true;
                }
                Cow::Owned(match value {
                    AttrValue::Int(i) => i.to_string(),
                    AttrValue::Float(f) => f.to_string(),
                    AttrValue::Bool(b) => b.to_string(),
                    AttrValue::Str(v) => v.to_string(),
                })
            }
        };
        let changed = matches!(text, Cow::Owned(_));
        match s.scrub_attribute(key, &text).map(|c| match c {
            Cow::Borrowed(b) if changed => Some(b.to_owned()),
            Cow::Borrowed(_) => None,
            Cow::Owned(o) => Some(o),
        }) {
            Some(None) => true,
            Some(Some(clean)) => {
                *value = AttrValue::Str(Cow::Owned(clean));
                true
            }
            None => {
                removed += 1;
                false
            }
        }
    });
    sp.dropped_attributes = sp.dropped_attributes.saturating_add(removed);
    if let Status::Error { code } = &mut sp.status {
        scrub_code(s, code);
    }
}
