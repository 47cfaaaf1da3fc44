//! What the examples print after their run: a table a person would rather read than
//! JSON lines (those come with `--json`). Shared by `#[path]`; not an example itself.
// Each example uses a part.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};

use telemetra::sinks::{JsonLinesSink, MemorySink};
use telemetra::snapshot::Value;
use telemetra::ConfigBuilder;

/// Whether the example was run with `--json` (print every flushed series as a JSON
/// line too, as a log shipper would read them).
pub(crate) fn json_flag() -> bool {
    std::env::args().skip(1).any(|a| a == "--json")
}

/// Adds the sinks every example uses: `memory` (read by [`print_metrics`] after the
/// run), JSON lines on stdout with `--json`, and the backend named by
/// `OBSERVABILITY_PROVIDER` (`datadog`, `gcp`, `prometheus`, `http`, `otlp`; with
/// `DD_API_KEY`, `GOOGLE_CLOUD_PROJECT`, `PROMETHEUS_PUSHGATEWAY_URL`, …), so the same
/// example pushes to a real backend.
pub(crate) fn sinks(
    builder: ConfigBuilder,
    memory: &MemorySink,
) -> Result<ConfigBuilder, telemetra::Error> {
    let mut builder = builder.sink(memory.clone());
    if json_flag() {
        println!(
            "# JSON lines, one per series and flush: `value` is the running total since \
             `start`, `delta` what the interval added"
        );
        builder = builder.sink(JsonLinesSink::stdout());
    }
    match std::env::var("OBSERVABILITY_PROVIDER") {
        Ok(p) if !p.is_empty() && p != "none" => {
            Ok(builder.boxed_sink(telemetra::sinks::env::from_env()?))
        }
        _ => Ok(builder),
    }
}

/// Rounds to what a reader can take in: whole numbers as they are, others to three
/// significant digits (`0.031118000000000003` prints as `0.0311`).
pub(crate) fn round(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 {
        return format!("{v:.0}");
    }
    let magnitude = if v == 0.0 {
        0
    } else {
        v.abs().log10().floor() as i32
    };
    let decimals = (2 - magnitude).clamp(0, 9) as usize;
    format!("{v:.decimals$}")
}

/// A duration given in milliseconds, in the unit that keeps it readable (`ns`, `µs`,
/// `ms` or `s`), to three significant digits.
pub(crate) fn duration_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{} s", round(ms / 1000.0))
    } else if ms >= 1.0 {
        format!("{} ms", round(ms))
    } else if ms >= 0.001 {
        format!("{} µs", round(ms * 1000.0))
    } else {
        format!("{} ns", round(ms * 1e6))
    }
}

/// Counters and gauges (value) and timings (count, sum, p50, p99), one row per
/// series, sorted by name and tags. `skip` leaves out series by name.
pub(crate) fn print_metrics(sink: &MemorySink, skip: &dyn Fn(&str) -> bool) {
    let mut rows = BTreeMap::new();
    for s in sink.last().iter().flat_map(|snap| snap.series.iter()) {
        if skip(&s.name) {
            continue;
        }
        let tags: Vec<String> = s
            .tags
            .iter()
            .map(|t| format!("{}={}", t.key, t.value))
            .collect();
        let row = match &s.value {
            Value::Counter(v) => format!("counter {:>10}", round(*v)),
            Value::Gauge(v) => format!("gauge   {:>10}", round(*v)),
            Value::Timing(d) => format!(
                "timing  {:>10}  sum {:>9}  p50 {:>9}  p99 {:>9}",
                d.count,
                duration_ms(d.sum),
                duration_ms(d.quantile(0.5)),
                duration_ms(d.quantile(0.99)),
            ),
        };
        let key = if tags.is_empty() {
            s.name.to_string()
        } else {
            format!("{}{{{}}}", s.name, tags.join(","))
        };
        rows.insert(key, row);
    }
    let width = rows.keys().map(|k| k.len()).max().unwrap_or(0).min(72);
    println!("{:<width$}  kind    value/count", "series");
    for (key, row) in &rows {
        println!("{key:<width$}  {row}");
    }
}

/// Counters and timings as a table, spans as a tree of names, events grouped by message.
pub(crate) fn print(sink: &MemorySink) {
    let spans = sink.spans();
    println!("== metrics: counter! totals, gauge! values, histogram! counts and quantiles");
    // Every event is also counted (`event.count`) and every span timed under its own
    // name: the sections below show those.
    print_metrics(sink, &|name| {
        name == "event.count" || spans.iter().any(|sp| *sp.name == *name)
    });

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
