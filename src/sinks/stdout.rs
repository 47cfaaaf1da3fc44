use std::fmt;
use std::io::Write;

use serde_json::{json, Map, Value as Json};

use super::{DeltaValue, Export, Sink, SinkError};
use crate::record::Record;
use crate::snapshot::{Distribution, Value};

/// Writes one JSON object per changed series per export, one per line.
///
/// [`JsonLinesSink::stdout`] is what the examples use; [`JsonLinesSink::new`] takes any
/// writer (a file, a `Vec<u8>` in a test). Each line carries the cumulative value and,
/// for counters and timings, the change since the last line written for that series:
///
/// ```text
/// {"ts":"2026-11-23T10:00:00.000Z","kind":"counter","name":"orders","tags":{"region":"eu"},"value":12.0,"delta":2.0}
/// ```
///
/// It accepts records too, one line each, tagged by kind:
///
/// ```text
/// {"record":"event","timestamp":"2026-11-23T10:00:00.120Z","domain":"chat","operation":"chat.send","level":"INFO",...}
/// {"record":"span","name":"billing.charge","context":{"trace_id":"4bf9…","span_id":"00f0…","sampled":true},...}
/// ```
pub struct JsonLinesSink<W: Write + Send + 'static = std::io::Stdout> {
    out: W,
    name: String,
}

impl<W: Write + Send + 'static> fmt::Debug for JsonLinesSink<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonLinesSink")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl JsonLinesSink<std::io::Stdout> {
    /// A sink that writes to standard output, named `stdout`.
    pub fn stdout() -> Self {
        JsonLinesSink {
            out: std::io::stdout(),
            name: "stdout".to_owned(),
        }
    }
}

impl<W: Write + Send + 'static> JsonLinesSink<W> {
    /// A sink that writes to `out`, named `json-lines`.
    pub fn new(out: W) -> Self {
        JsonLinesSink {
            out,
            name: "json-lines".to_owned(),
        }
    }

    /// Consumes the sink and returns the writer.
    pub fn into_inner(self) -> W {
        self.out
    }
}

fn dist_json(d: &Distribution) -> Json {
    let mut m = Map::new();
    m.insert("count".into(), json!(d.count));
    m.insert("sum".into(), json!(d.sum));
    m.insert("min".into(), json!(d.min));
    m.insert("max".into(), json!(d.max));
    m.insert("mean".into(), json!(d.mean()));
    let names = ["p50", "p90", "p95", "p99", "p999"];
    for (key, (_, v)) in names.into_iter().zip(d.percentiles()) {
        m.insert(key.into(), json!(v));
    }
    Json::Object(m)
}

impl<W: Write + Send + 'static> Sink for JsonLinesSink<W> {
    fn name(&self) -> &str {
        &self.name
    }

    fn export(&mut self, export: &Export<'_>) -> Result<(), SinkError> {
        let ts = chrono::DateTime::<chrono::Utc>::from(export.snapshot.taken_at)
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let mut buf = Vec::new();
        for d in export.deltas().filter(|d| d.changed()) {
            let s = d.series;
            let tags: Map<String, Json> = s
                .tags
                .iter()
                .map(|t| (t.key.to_string(), Json::String(t.value.to_string())))
                .collect();
            let mut line = json!({
                "ts": ts,
                "kind": s.kind().as_str(),
                "name": &*s.name,
                "tags": tags,
            });
            if let Json::Object(m) = &mut line {
                match (&s.value, &d.value) {
                    (Value::Counter(v), DeltaValue::Counter(delta)) => {
                        m.insert("value".into(), json!(v));
                        m.insert("delta".into(), json!(delta));
                    }
                    (Value::Gauge(v), _) => {
                        m.insert("value".into(), json!(v));
                    }
                    (Value::Timing(all), DeltaValue::Timing(delta)) => {
                        m.insert("value".into(), dist_json(all));
                        m.insert("delta".into(), dist_json(delta));
                    }
                    _ => {}
                }
            }
            serde_json::to_writer(&mut buf, &line).map_err(|e| SinkError::new(e.to_string()))?;
            buf.push(b'\n');
        }
        self.write(&buf)
    }

    fn accepts_records(&self) -> bool {
        true
    }

    fn export_records(&mut self, records: &[Record]) -> Result<(), SinkError> {
        let mut buf = Vec::new();
        for r in records {
            // A record that cannot be serialised never will be: permanent.
            serde_json::to_writer(&mut buf, r).map_err(|e| SinkError::permanent(e.to_string()))?;
            buf.push(b'\n');
        }
        self.write(&buf)
    }
}

impl<W: Write + Send + 'static> JsonLinesSink<W> {
    fn write(&mut self, buf: &[u8]) -> Result<(), SinkError> {
        self.out
            .write_all(buf)
            .and_then(|()| self.out.flush())
            .map_err(|e| SinkError::new(format!("write failed: {e}")))
    }
}
