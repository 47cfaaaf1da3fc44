use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;

use super::{DeltaValue, Export, Sink, SinkError};
use crate::event::Event;
use crate::record::Record;
use crate::snapshot::{Kind, Snapshot};
use crate::trace::SpanRecord;

/// An in-memory sink for tests (yours and ours): keeps the last snapshot it received
/// and adds up every delta it was handed, so a test can check that nothing was lost or
/// counted twice. It accepts records too and keeps every one it is given (unbounded:
/// a test tool).
///
/// Clones share state: keep one clone, give another to the pipeline.
///
/// ```
/// # fn main() -> Result<(), telemetra::Error> {
/// use std::time::Duration;
/// use telemetra::{sinks::MemorySink, Config, Telemetry};
///
/// let sink = MemorySink::new();
/// let telemetry = Telemetry::start(Config::builder().sink(sink.clone()).build()?)?;
/// telemetry.count("orders", 2, &[("region", "eu")]);
/// telemetry.flush(Duration::from_secs(5))?;
/// assert_eq!(sink.counter("orders", &[("region", "eu")]), Some(2.0));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct MemorySink {
    inner: Arc<Mutex<State>>,
    name: Arc<str>,
}

/// Kind, name and sorted tags of a series.
type DeltaKey = (Kind, String, Vec<(String, String)>);

#[derive(Debug, Default)]
struct State {
    last: Option<Arc<Snapshot>>,
    attempts: u64,
    exports: u64,
    fail_next: u64,
    fail_records_next: u64,
    deltas: HashMap<DeltaKey, (f64, u64)>,
    records: Vec<Record>,
}

impl MemorySink {
    /// A new, empty sink named `memory`.
    pub fn new() -> Self {
        Self::named("memory")
    }

    /// A new, empty sink with the given name (for pipelines with several).
    pub fn named(name: &str) -> Self {
        MemorySink {
            inner: Arc::default(),
            name: Arc::from(name),
        }
    }

    /// Makes the next `n` exports fail (transiently), as a vendor outage would.
    pub fn fail_next(&self, n: u64) {
        self.inner.lock().fail_next = n;
    }

    /// Makes the next `n` record exports fail (transiently): the records stay buffered
    /// in the pipeline and come again.
    pub fn fail_records_next(&self, n: u64) {
        self.inner.lock().fail_records_next = n;
    }

    /// Every record received so far, in order.
    pub fn records(&self) -> Vec<Record> {
        self.inner.lock().records.clone()
    }

    /// Every event received so far, in order.
    pub fn events(&self) -> Vec<Event> {
        let st = self.inner.lock();
        st.records
            .iter()
            .filter_map(Record::as_event)
            .cloned()
            .collect()
    }

    /// Every span received so far, in order.
    pub fn spans(&self) -> Vec<SpanRecord> {
        let st = self.inner.lock();
        st.records
            .iter()
            .filter_map(Record::as_span)
            .cloned()
            .collect()
    }

    /// Forgets the records received so far.
    pub fn clear_records(&self) {
        self.inner.lock().records.clear();
    }

    /// The last snapshot delivered.
    pub fn last(&self) -> Option<Arc<Snapshot>> {
        self.inner.lock().last.clone()
    }

    /// Successful exports so far.
    pub fn exports(&self) -> u64 {
        self.inner.lock().exports
    }

    /// Export attempts so far, failed ones included.
    pub fn attempts(&self) -> u64 {
        self.inner.lock().attempts
    }

    /// A counter's total in the last snapshot delivered.
    pub fn counter(&self, name: &str, tags: &[(&str, &str)]) -> Option<f64> {
        self.last()?.counter(name, tags)
    }

    /// A gauge's value in the last snapshot delivered.
    pub fn gauge(&self, name: &str, tags: &[(&str, &str)]) -> Option<f64> {
        self.last()?.gauge(name, tags)
    }

    /// A timing's count in the last snapshot delivered.
    pub fn timing_count(&self, name: &str, tags: &[(&str, &str)]) -> Option<u64> {
        Some(self.last()?.timing(name, tags)?.count)
    }

    /// The sum of every counter delta this sink received for the series, as a
    /// delta-style vendor would have added them up.
    pub fn counter_delta_sum(&self, name: &str, tags: &[(&str, &str)]) -> f64 {
        self.delta_entry(Kind::Counter, name, tags).0
    }

    /// The number of timing values received through deltas for the series.
    pub fn timing_delta_count(&self, name: &str, tags: &[(&str, &str)]) -> u64 {
        self.delta_entry(Kind::Timing, name, tags).1
    }

    fn delta_entry(&self, kind: Kind, name: &str, tags: &[(&str, &str)]) -> (f64, u64) {
        let mut key: Vec<(String, String)> = tags
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        key.sort();
        self.inner
            .lock()
            .deltas
            .get(&(kind, name.to_owned(), key))
            .copied()
            .unwrap_or((0.0, 0))
    }
}

impl Sink for MemorySink {
    fn name(&self) -> &str {
        &self.name
    }

    fn export(&mut self, export: &Export<'_>) -> Result<(), SinkError> {
        let mut st = self.inner.lock();
        st.attempts += 1;
        if st.fail_next > 0 {
            st.fail_next -= 1;
            return Err(SinkError::new("injected failure"));
        }
        for d in export.deltas().filter(|d| d.changed()) {
            let s = d.series;
            let key = (
                s.kind(),
                s.name.to_string(),
                s.tags
                    .iter()
                    .map(|t| (t.key.to_string(), t.value.to_string()))
                    .collect(),
            );
            let entry = st.deltas.entry(key).or_insert((0.0, 0));
            match d.value {
                DeltaValue::Counter(v) => entry.0 += v,
                DeltaValue::Gauge(v) => entry.0 = v,
                DeltaValue::Timing(t) => {
                    entry.0 += t.sum;
                    entry.1 += t.count;
                }
            }
        }
        st.last = Some(Arc::clone(export.snapshot));
        st.exports += 1;
        Ok(())
    }

    fn accepts_records(&self) -> bool {
        true
    }

    fn export_records(&mut self, records: &[Record]) -> Result<(), SinkError> {
        let mut st = self.inner.lock();
        if st.fail_records_next > 0 {
            st.fail_records_next -= 1;
            return Err(SinkError::new("injected failure"));
        }
        st.records.extend_from_slice(records);
        Ok(())
    }
}
