//! The text exposition format 0.0.4: names, labels, escaping and histogram lines (see
//! the [parent module](super) for the mapping).

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use crate::catalog::Catalog;
use crate::snapshot::{Exemplar, Kind, Series, Snapshot, Value};

/// Default histogram bucket bounds, in milliseconds.
pub const DEFAULT_BUCKETS_MS: &[f64] = &[
    1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 300.0, 400.0, 500.0, 1_000.0, 2_000.0, 2_500.0,
    3_000.0, 5_000.0, 10_000.0, 30_000.0,
];

/// Names the Pushgateway sets itself on every group.
const GATEWAY_NAMES: &[&str] = &["push_time_seconds", "push_failure_time_seconds"];

/// The unit of exported timings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimingUnit {
    /// Seconds, with a `_seconds` name suffix (Prometheus convention).
    #[default]
    Seconds,
    /// Milliseconds, names unchanged.
    Milliseconds,
}

/// Options of the text rendering, independent of the transport.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Bucket upper bounds in ms, strictly increasing, finite, > 0.
    pub buckets_ms: Vec<f64>,
    /// The unit timings are exported in.
    pub unit: TimingUnit,
}

/// Checks bucket bounds as every Prometheus sink takes them: 1 to 200 finite, positive,
/// strictly increasing numbers (`+Inf` is always added).
pub(crate) fn check_buckets(b: &[f64]) -> Result<(), crate::Error> {
    if b.is_empty()
        || b.len() > 200
        || b.iter().any(|x| !x.is_finite() || *x <= 0.0)
        || b.windows(2).any(|w| matches!(w, [x, y] if x >= y))
    {
        return Err(crate::Error::config(
            "buckets_ms",
            "must be 1 to 200 finite, positive, strictly increasing bounds",
        ));
    }
    Ok(())
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            buckets_ms: DEFAULT_BUCKETS_MS.to_vec(),
            unit: TimingUnit::Seconds,
        }
    }
}

fn sanitize(s: &str, colon: bool) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || (colon && c == ':') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    while out.starts_with("__") {
        out.remove(0);
    }
    out
}

/// Sanitises a metric name to `[a-zA-Z_:][a-zA-Z0-9_:]*`: other characters become `_`,
/// a leading digit gets a `_` in front, a leading `__` (reserved) becomes `_`.
///
/// ```
/// use telemetra::sinks::prometheus::sanitize_metric_name;
/// assert_eq!(sanitize_metric_name("product.wallet.spend"), "product_wallet_spend");
/// assert_eq!(sanitize_metric_name("9lives"), "_9lives");
/// assert_eq!(sanitize_metric_name("__x"), "_x");
/// ```
pub fn sanitize_metric_name(s: &str) -> String {
    sanitize(s, true)
}

/// Sanitises a label name to `[a-zA-Z_][a-zA-Z0-9_]*` without a leading `__`.
pub fn sanitize_label_name(s: &str) -> String {
    sanitize(s, false)
}

fn escape_label_value(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

fn escape_help(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\n', "\\n")
}

/// A float as Prometheus (Go) reads it: `NaN`, `+Inf`, `-Inf`, or the shortest
/// round-tripping decimal.
pub fn format_value(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_owned()
    } else if v == f64::INFINITY {
        "+Inf".to_owned()
    } else if v == f64::NEG_INFINITY {
        "-Inf".to_owned()
    } else {
        format!("{v}")
    }
}

/// Name of a family with collision index `n` (1 = none).
fn family_name(base: &str, kind: Kind, unit: TimingUnit, n: usize) -> String {
    let mut stem = base.to_owned();
    let suffix = match kind {
        Kind::Counter => {
            if let Some(s) = stem.strip_suffix("_total") {
                stem = s.to_owned();
            }
            "_total"
        }
        Kind::Gauge => "",
        Kind::Timing => match unit {
            TimingUnit::Milliseconds => "",
            TimingUnit::Seconds => {
                for unit_suffix in ["_milliseconds", "_millis", "_ms", "_seconds"] {
                    if let Some(s) = stem.strip_suffix(unit_suffix) {
                        stem = s.to_owned();
                        break;
                    }
                }
                "_seconds"
            }
        },
    };
    if stem.is_empty() {
        stem.push('_');
    }
    if n > 1 {
        let _ = write!(stem, "_{n}");
    }
    stem.push_str(suffix);
    stem
}

fn sample_names(family: &str, kind: Kind) -> Vec<String> {
    match kind {
        Kind::Timing => vec![
            family.to_owned(),
            format!("{family}_bucket"),
            format!("{family}_sum"),
            format!("{family}_count"),
        ],
        _ => vec![family.to_owned()],
    }
}

/// The series exported under one metric family name.
pub(crate) struct Family<'a> {
    pub(crate) original: &'a str,
    pub(crate) kind: Kind,
    pub(crate) series: Vec<&'a Series>,
}

/// Renders a snapshot in the text exposition format 0.0.4 (see the
/// [module docs](crate::sinks::prometheus) for the mapping). Deterministic for a given snapshot.
pub fn render(snapshot: &Snapshot, options: &RenderOptions) -> String {
    render_as(snapshot, options, false, None)
}

/// Renders a snapshot in OpenMetrics 1.0 text: as [`render`], except that a counter's
/// `# HELP`/`# TYPE` lines name the family without its `_total` suffix (the samples keep
/// it), and the exposition ends with `# EOF`. Deterministic for a given snapshot.
pub fn render_openmetrics(snapshot: &Snapshot, options: &RenderOptions) -> String {
    render_as(snapshot, options, true, None)
}

/// The snapshot's series by exported family name: names claimed in a fixed order (see
/// the module docs), so every format built on them names series alike.
pub(crate) fn families<'a>(
    snapshot: &'a Snapshot,
    options: &RenderOptions,
) -> BTreeMap<String, Family<'a>> {
    // Group by (rank, original name, kind). Names are claimed in that order: first
    // series exported under exactly their own name (rank 0), then valid names that only
    // gain or lose a suffix (rank 1), then names that needed sanitising (rank 2).
    let mut groups: BTreeMap<(u8, &str, Kind), Vec<&Series>> = BTreeMap::new();
    for s in &snapshot.series {
        let name: &str = &s.name;
        let kind = s.kind();
        let sanitized = sanitize_metric_name(name);
        let rank = if family_name(&sanitized, kind, options.unit, 1) == name {
            0
        } else if sanitized == name {
            1
        } else {
            2
        };
        groups.entry((rank, name, kind)).or_default().push(s);
    }
    let mut taken: HashSet<String> = GATEWAY_NAMES.iter().map(|s| (*s).to_owned()).collect();
    let mut families: BTreeMap<String, Family<'_>> = BTreeMap::new();
    for ((_, original, kind), series) in groups {
        let base = sanitize_metric_name(original);
        let mut n = 1;
        let name = loop {
            let candidate = family_name(&base, kind, options.unit, n);
            let names = sample_names(&candidate, kind);
            if names.iter().all(|x| !taken.contains(x)) {
                taken.extend(names);
                break candidate;
            }
            n += 1;
        };
        families.insert(
            name,
            Family {
                original,
                kind,
                series,
            },
        );
    }
    families
}

/// [`render`] or [`render_openmetrics`], with `# HELP` from the catalog where it has the
/// name.
pub(crate) fn render_as(
    snapshot: &Snapshot,
    options: &RenderOptions,
    openmetrics: bool,
    catalog: Option<&Catalog>,
) -> String {
    let families = families(snapshot, options);
    let mut out = String::new();
    for (name, fam) in &families {
        let (type_name, what) = match fam.kind {
            Kind::Counter => ("counter", "counter"),
            Kind::Gauge => ("gauge", "gauge"),
            Kind::Timing => (
                "histogram",
                match options.unit {
                    TimingUnit::Seconds => "timing in seconds",
                    TimingUnit::Milliseconds => "timing in milliseconds",
                },
            ),
        };
        let family = match fam.kind {
            Kind::Counter if openmetrics => name.strip_suffix("_total").unwrap_or(name),
            _ => name,
        };
        let help = match catalog.and_then(|c| c.get(fam.original)) {
            Some(def) if def.kind == fam.kind => def.description.to_owned(),
            _ => format!("telemetra {what} {}", fam.original),
        };
        let _ = writeln!(out, "# HELP {family} {}", escape_help(&help));
        let _ = writeln!(out, "# TYPE {family} {type_name}");
        let mut lines: Vec<(String, &Series)> = fam
            .series
            .iter()
            .map(|s| (labels(s, fam.kind), *s))
            .collect();
        // Stable: equal label sets keep snapshot (series id) order.
        lines.sort_by(|a, b| a.0.cmp(&b.0));
        let mut previous: Option<String> = None;
        let mut dup = 1;
        for (labels, s) in lines {
            // Two series can only render alike after sanitising (`a.b` and `a_b` tag
            // keys, or an empty value next to no tag). The gateway would reject the
            // whole push as a duplicate, so later ones get a distinguishing label.
            if previous.as_deref() == Some(labels.as_str()) {
                dup += 1;
                let extra = format!("telemetra_duplicate=\"{dup}\"");
                let with = if labels.is_empty() {
                    extra
                } else {
                    format!("{labels},{extra}")
                };
                write_series(&mut out, name, &with, s, options, openmetrics);
            } else {
                dup = 1;
                write_series(&mut out, name, &labels, s, options, openmetrics);
                previous = Some(labels);
            }
        }
    }
    if openmetrics {
        out.push_str("# EOF\n");
    }
    out
}

/// The label pairs of a series, sanitised and de-duplicated, values as they are (an
/// empty value is left out: to Prometheus it is the same as no label).
pub(crate) fn label_pairs(s: &Series, kind: Kind) -> Vec<(String, &str)> {
    let mut used: HashSet<String> = HashSet::new();
    if kind == Kind::Timing {
        used.insert("le".to_owned());
    }
    let mut out = Vec::new();
    for tag in s.tags.iter().filter(|t| !t.value.is_empty()) {
        let base = sanitize_label_name(&tag.key);
        let base = if kind == Kind::Timing && base == "le" {
            "le_".to_owned()
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 1;
        while used.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        used.insert(name.clone());
        out.push((name, &*tag.value));
    }
    out
}

/// The label pairs of a series, escaped and comma-joined (`a="x",b="y"`).
fn labels(s: &Series, kind: Kind) -> String {
    let mut out = String::new();
    for (name, value) in label_pairs(s, kind) {
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&name);
        out.push_str("=\"");
        escape_label_value(value, &mut out);
        out.push('"');
    }
    out
}

/// An OpenMetrics exemplar suffix (` # {trace_id="…",span_id="…"} value timestamp`),
/// value scaled by `scale`.
fn exemplar_suffix(e: &Exemplar, scale: f64) -> String {
    let ts = e
        .time
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    format!(
        " # {{trace_id=\"{}\",span_id=\"{}\"}} {} {ts:.3}",
        e.trace_id,
        e.span_id,
        format_value(e.value / scale)
    )
}

fn write_series(
    out: &mut String,
    name: &str,
    labels: &str,
    s: &Series,
    o: &RenderOptions,
    openmetrics: bool,
) {
    let braces = |extra: &str| -> String {
        match (labels.is_empty(), extra.is_empty()) {
            (true, true) => String::new(),
            (true, false) => format!("{{{extra}}}"),
            (false, true) => format!("{{{labels}}}"),
            (false, false) => format!("{{{labels},{extra}}}"),
        }
    };
    // Exemplars exist in OpenMetrics only.
    let exemplar = s.exemplar.as_ref().filter(|_| openmetrics);
    match &s.value {
        Value::Counter(v) => {
            let ex = exemplar
                .map(|e| exemplar_suffix(e, 1.0))
                .unwrap_or_default();
            let _ = writeln!(out, "{name}{} {}{ex}", braces(""), format_value(*v));
        }
        Value::Gauge(v) => {
            let _ = writeln!(out, "{name}{} {}", braces(""), format_value(*v));
        }
        Value::Timing(d) => {
            let scale = match o.unit {
                TimingUnit::Seconds => 1000.0,
                TimingUnit::Milliseconds => 1.0,
            };
            // The exemplar goes on the first bucket that holds its value.
            let mut ex = exemplar;
            for bound in &o.buckets_ms {
                let le = format!("le=\"{}\"", format_value(bound / scale));
                let here = match ex {
                    Some(e) if e.value <= *bound => ex.take().map(|e| exemplar_suffix(e, scale)),
                    _ => None,
                };
                let _ = writeln!(
                    out,
                    "{name}_bucket{} {}{}",
                    braces(&le),
                    d.count_le(*bound),
                    here.unwrap_or_default()
                );
            }
            let here = ex.map(|e| exemplar_suffix(e, scale)).unwrap_or_default();
            let _ = writeln!(
                out,
                "{name}_bucket{} {}{here}",
                braces("le=\"+Inf\""),
                d.count
            );
            let _ = writeln!(
                out,
                "{name}_sum{} {}",
                braces(""),
                format_value(d.sum / scale)
            );
            let _ = writeln!(out, "{name}_count{} {}", braces(""), d.count);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn names_are_sanitised() {
        assert_eq!(sanitize_metric_name("a.b-c:d"), "a_b_c:d");
        assert_eq!(sanitize_label_name("a.b:c"), "a_b_c");
        assert_eq!(sanitize_metric_name(""), "_");
        assert_eq!(sanitize_metric_name("___x"), "_x");
        assert_eq!(sanitize_label_name("1x"), "_1x");
        assert_eq!(sanitize_metric_name("é"), "_");
    }

    #[test]
    fn family_names_get_suffixes_once() {
        let s = TimingUnit::Seconds;
        assert_eq!(family_name("x_total", Kind::Counter, s, 1), "x_total");
        assert_eq!(family_name("x", Kind::Counter, s, 1), "x_total");
        assert_eq!(family_name("x", Kind::Counter, s, 2), "x_2_total");
        assert_eq!(family_name("lat_ms", Kind::Timing, s, 1), "lat_seconds");
        assert_eq!(
            family_name("lat_seconds", Kind::Timing, s, 1),
            "lat_seconds"
        );
        assert_eq!(family_name("lat", Kind::Timing, s, 1), "lat_seconds");
        assert_eq!(
            family_name("lat_ms", Kind::Timing, TimingUnit::Milliseconds, 1),
            "lat_ms"
        );
    }

    #[test]
    fn values_format_like_go() {
        assert_eq!(format_value(f64::NAN), "NaN");
        assert_eq!(format_value(f64::INFINITY), "+Inf");
        assert_eq!(format_value(f64::NEG_INFINITY), "-Inf");
        assert_eq!(format_value(3.0), "3");
        assert_eq!(format_value(0.0025), "0.0025");
    }

    #[test]
    fn label_values_and_help_are_escaped() {
        let mut s = String::new();
        escape_label_value("C:\\dir \"x\"\nend", &mut s);
        assert_eq!(s, "C:\\\\dir \\\"x\\\"\\nend");
        assert_eq!(escape_help("a\\b\nc \"q\""), "a\\\\b\\nc \"q\"");
    }
}
