//! The summary the `*_tracing` examples print after their run: what a person would
//! rather read than JSON lines. Shared by `#[path]`; not an example itself.

use std::collections::{BTreeMap, HashMap};

use telemetra::sinks::MemorySink;
use telemetra::snapshot::Value;

/// Counters and timings as a table, spans as a tree of names, events grouped by message.
pub(crate) fn print(sink: &MemorySink) {
    let spans = sink.spans();
    println!("== metrics: counter! totals, gauge! values, histogram! counts and quantiles");
    let mut rows = BTreeMap::new();
    for s in sink.last().iter().flat_map(|snap| snap.series.iter()) {
        let tags: Vec<String> = s
            .tags
            .iter()
            .map(|t| format!("{}={}", t.key, t.value))
            .collect();
        let row = match &s.value {
            // Every event is also counted (`event.count`) and every span timed under its
            // own name: the sections below show those.
            _ if &*s.name == "event.count" || spans.iter().any(|sp| sp.name == *s.name) => continue,
            Value::Counter(v) => format!("{v:>5}"),
            Value::Gauge(v) => format!("{v:>5.2} (gauge)"),
            Value::Timing(d) => {
                let (p50, p99) = (d.quantile(0.5), d.quantile(0.99));
                format!("{:>5}  p50 {p50:.3} ms  p99 {p99:.3} ms", d.count)
            }
        };
        rows.insert(format!("{}{{{}}}", s.name, tags.join(",")), row);
    }
    for (key, row) in &rows {
        println!("{key:<70} {row}");
    }

    // Spans by their path of names from the local root, with the first one's fields.
    println!("\n== spans (#[instrument], info_span!) by parent: count, failed, fields as scrubbed");
    let by_id: HashMap<_, _> = spans.iter().map(|s| (s.context.span_id, s)).collect();
    let (mut tree, mut remote) = (BTreeMap::new(), Vec::new());
    for s in &spans {
        let (mut path, mut parent) = (vec![s.name.as_ref()], s.parent_span_id);
        while let Some(p) = parent.and_then(|id| by_id.get(&id)) {
            path.insert(0, p.name.as_ref());
            parent = p.parent_span_id;
        }
        if let (Some(caller), 1) = (parent, path.len()) {
            remote.push(format!(
                "{} continues trace {} (caller's span {caller})",
                s.name, s.context.trace_id
            ));
        }
        let attrs = s
            .attributes
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::json!(v)));
        let fields = serde_json::Value::Object(attrs.collect()).to_string();
        let node = tree.entry(path).or_insert((0, 0, fields));
        (node.0, node.1) = (node.0 + 1, node.1 + u32::from(!s.status.is_ok()));
    }
    for (path, (count, failed, fields)) in &tree {
        let (indent, name) = (2 * path.len() - 2, path.last().copied().unwrap_or_default());
        println!(
            "{:indent$}{name:<w$} x{count:<4} {failed:>2} {fields}",
            "",
            w = 20 - indent
        );
    }
    for line in &remote {
        println!("{line}");
    }

    println!("\n== events (info!, warn!, error!) by message: count, fields as scrubbed");
    let mut events = BTreeMap::new();
    for e in sink.events() {
        let key = (e.level.to_string(), e.message.unwrap_or_default());
        events.entry(key).or_insert((0, e.metadata.to_string())).0 += 1;
    }
    for ((level, message), (count, fields)) in &events {
        println!("{level:<5} {message:<26} x{count:<4} {fields}");
    }
}
