//! Prometheus Pushgateway sink (text exposition format 0.0.4).
//!
//! Every export renders the whole cumulative [`Snapshot`] and `PUT`s it to the
//! gateway's grouping key, `/metrics/job/<job>{/<label>/<value>}`.
//!
//! # Why `PUT`
//! A snapshot holds every series the pipeline has ever seen, with cumulative values, so
//! each push is a complete, self-consistent picture of this process: `PUT` (replace the
//! whole group) is the natural fit. It also clears anything an earlier process left in
//! the same group, and never mixes two incarnations' series. `POST` would only be
//! needed to share a group between several pushers, which two processes must not do
//! with cumulative counters anyway (give each its own `instance` grouping label).
//! A failed push loses nothing: the next one carries the newer totals.
//!
//! # Mapping
//! | telemetra | Prometheus |
//! | --- | --- |
//! | counter `a.b` | `counter` `a_b_total` (no second `_total` if the name has one) |
//! | gauge `a.b` | `gauge` `a_b` |
//! | timing `a.latency_ms` | `histogram` `a_latency_seconds`: `_bucket{le}` cumulative, `le="+Inf"` = `_count`, `_sum` |
//!
//! **Units.** Timings are kept in milliseconds, but Prometheus' convention is base units,
//! and PromQL, recording rules and dashboards expect `_seconds` histograms. By default
//! ([`TimingUnit::Seconds`]) a timing's `_ms` / `_millis` / `_milliseconds` suffix is
//! replaced by `_seconds` (`_seconds` is appended otherwise) and values, `le` bounds and
//! `_sum` are in seconds. [`TimingUnit::Milliseconds`] keeps names and values as
//! emitted. Bucket bounds are always *configured* in milliseconds, like every timing in
//! this crate ([`PushgatewayBuilder::buckets_ms`]); the defaults include the product's
//! SLO thresholds (300 ms, 400 ms, 500 ms, 2 s, 2.5 s, 3 s, 5 s) so that
//! `histogram_quantile` and "fraction under target" are exact at those points.
//!
//! **Names.** Metric names are sanitised to `[a-zA-Z_:][a-zA-Z0-9_:]*` and label names
//! to `[a-zA-Z_][a-zA-Z0-9_]*`: every other character (dots included) becomes `_`, a
//! leading digit gets a `_` in front, and a leading `__` (reserved) is shortened to `_`.
//! A tag named `le` on a timing becomes `le_`. When two names end up the same
//! (`a.b` and `a_b`, or a gauge `x_total` and a counter `x`), the first to claim it
//! keeps it and the others take `_2`, `_3`, … before the suffix (`a_b_2_total`,
//! `x_2_total`). Claims go: names exported exactly as emitted, then valid names that
//! only gain a suffix, then names that needed sanitising, each group in name order; so
//! `x_total` (gauge) beats `x` (counter) and `a_b` beats `a.b`. Label names within a
//! series likewise, in key order. Deterministic for a given set of names. The gateway's own
//! `push_time_seconds` and `push_failure_time_seconds` are never used for our series.
//! Tags with an empty value are left out (Prometheus treats them as absent). Should two
//! series of one name still render with identical labels (tag keys `a.b` and `a_b`,
//! say), the later ones (in series order) get a `telemetra_duplicate="2"`, `"3"`, …
//! label rather than have the gateway reject the whole push. Every name carries a
//! `# HELP` with its original name and a `# TYPE`, once, and all lines of one name are
//! contiguous.
//!
//! Labels of the grouping key are added by the gateway to every series; a tag with the
//! same name is overwritten by it (scrape with `honor_labels: true`).
//!
//! Self-metrics (`telemetra.*`) are pushed like any other series.
//!
//! ```no_run
//! # fn main() -> Result<(), telemetra::Error> {
//! use telemetra::{sinks::prometheus::PushgatewaySink, Config, Telemetry};
//! let sink = PushgatewaySink::builder("http://127.0.0.1:9091")
//!     .job("wallet")
//!     .grouping_label("instance", "wallet-1")
//!     .build()?;
//! let telemetry = Telemetry::start(Config::builder().sink(sink).build()?)?;
//! telemetry.incr("product.wallet.spend.success", &[("currency", "EUR")]);
//! # Ok(()) }
//! ```

use std::collections::{BTreeMap, HashSet};
use std::fmt::{self, Write as _};

use super::http::{HttpConfig, HttpTransport, Method, Request};
use super::{Export, Sink, SinkError};
use crate::snapshot::{Kind, Series, Snapshot, Value};
use crate::Error;

/// The `Content-Type` of the text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

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

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            buckets_ms: DEFAULT_BUCKETS_MS.to_vec(),
            unit: TimingUnit::Seconds,
        }
    }
}

/// Pushes cumulative snapshots to a Prometheus Pushgateway. See the
/// [module docs](self) for the mapping.
pub struct PushgatewaySink {
    transport: HttpTransport,
    url: String,
    shown_url: String,
    options: RenderOptions,
    delete_on_shutdown: bool,
}

impl fmt::Debug for PushgatewaySink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PushgatewaySink")
            .field("url", &self.shown_url)
            .field("options", &self.options)
            .field("transport", &self.transport)
            .finish()
    }
}

/// Builds a [`PushgatewaySink`].
#[derive(Debug, Clone)]
pub struct PushgatewayBuilder {
    base_url: String,
    job: String,
    grouping: Vec<(String, String)>,
    options: RenderOptions,
    http: Option<HttpConfig>,
    delete_on_shutdown: bool,
}

impl PushgatewaySink {
    /// A builder for the gateway at `base_url` (`http://host:9091`; a path prefix is
    /// kept, user info is sent as basic auth).
    pub fn builder(base_url: impl Into<String>) -> PushgatewayBuilder {
        PushgatewayBuilder {
            base_url: base_url.into(),
            job: "telemetra".to_owned(),
            grouping: Vec::new(),
            options: RenderOptions::default(),
            http: None,
            delete_on_shutdown: false,
        }
    }

    /// The text this sink would push for `snapshot`.
    pub fn render(&self, snapshot: &Snapshot) -> String {
        render(snapshot, &self.options)
    }

    /// The grouping-key path the sink pushes to (`/metrics/job/…`).
    pub fn path(&self) -> &str {
        self.url
            .find("/metrics/job/")
            .and_then(|i| self.url.get(i..))
            .unwrap_or_default()
    }
}

impl PushgatewayBuilder {
    /// The `job` of the grouping key (non-empty). Defaults to `telemetra`.
    pub fn job(mut self, job: impl Into<String>) -> Self {
        self.job = job.into();
        self
    }

    /// Adds a label to the grouping key (`instance`, say); the gateway adds it to every
    /// series of the group. Values may contain `/` or be empty. Defaults to none.
    pub fn grouping_label(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.grouping.push((name.into(), value.into()));
        self
    }

    /// Histogram bucket upper bounds in milliseconds (strictly increasing, > 0; 1 to
    /// 200 of them; `+Inf` is always added). Defaults to [`DEFAULT_BUCKETS_MS`].
    pub fn buckets_ms(mut self, bounds: impl Into<Vec<f64>>) -> Self {
        self.options.buckets_ms = bounds.into();
        self
    }

    /// The unit timings are exported in. Defaults to [`TimingUnit::Seconds`].
    pub fn timing_unit(mut self, unit: TimingUnit) -> Self {
        self.options.unit = unit;
        self
    }

    /// HTTP settings (timeouts, retries, gzip). Defaults to [`HttpConfig::default`].
    pub fn http(mut self, config: HttpConfig) -> Self {
        self.http = Some(config);
        self
    }

    /// Whether [`Sink::shutdown`] deletes the group from the gateway (for short-lived
    /// processes whose series should not outlive them). Defaults to `false`.
    pub fn delete_on_shutdown(mut self, on: bool) -> Self {
        self.delete_on_shutdown = on;
        self
    }

    /// Checks the settings and builds the HTTP client.
    pub fn build(self) -> Result<PushgatewaySink, Error> {
        let base = reqwest::Url::parse(self.base_url.trim())
            .map_err(|e| Error::config("pushgateway_url", format!("is not a valid URL: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(Error::config(
                "pushgateway_url",
                "must be an http:// or https:// URL",
            ));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(Error::config(
                "pushgateway_url",
                "must not have a query or fragment",
            ));
        }
        if self.job.is_empty() {
            return Err(Error::config("job", "must not be empty"));
        }
        for (name, _) in &self.grouping {
            if !is_label_name(name) || name == "job" {
                return Err(Error::config(
                    "grouping_label",
                    format!("`{name}` is not a valid label name (or is `job`)"),
                ));
            }
        }
        let b = &self.options.buckets_ms;
        if b.is_empty()
            || b.len() > 200
            || b.iter().any(|x| !x.is_finite() || *x <= 0.0)
            || b.windows(2).any(|w| matches!(w, [x, y] if x >= y))
        {
            return Err(Error::config(
                "buckets_ms",
                "must be 1 to 200 finite, positive, strictly increasing bounds",
            ));
        }
        let raw = base.as_str().trim_end_matches('/');
        let url = format!("{raw}{}", grouping_path(&self.job, &self.grouping));
        let mut shown = base.clone();
        if !shown.username().is_empty() || shown.password().is_some() {
            let _ = shown.set_username("***");
            let _ = shown.set_password(None);
        }
        let shown_url = format!(
            "{}{}",
            shown.as_str().trim_end_matches('/'),
            grouping_path(&self.job, &self.grouping)
        );
        let transport = HttpTransport::new(self.http.unwrap_or_default())?;
        Ok(PushgatewaySink {
            transport,
            url,
            shown_url,
            options: self.options,
            delete_on_shutdown: self.delete_on_shutdown,
        })
    }
}

impl Sink for PushgatewaySink {
    fn name(&self) -> &str {
        "prometheus"
    }

    fn export(&mut self, export: &Export<'_>) -> Result<(), SinkError> {
        let body = render(export.snapshot, &self.options);
        let req = Request::new(Method::Put, self.url.as_str())
            .header("content-type", CONTENT_TYPE)
            .body(body.into_bytes());
        self.transport.send(req).map(|_| ())
    }

    fn shutdown(&mut self) {
        if self.delete_on_shutdown {
            let _ = self
                .transport
                .send(Request::new(Method::Delete, self.url.as_str()));
        }
    }
}

/// The grouping-key path for `job` and `labels`: `/metrics/job/<job>{/<name>/<value>}`.
/// Values containing `/` or empty are sent as `<name>@base64/<URL-safe base64>` (an
/// empty value as `=`); others are percent-encoded.
///
/// ```
/// use telemetra::sinks::prometheus::grouping_path;
/// assert_eq!(
///     grouping_path("api", &[("path".into(), "/var/tmp".into()), ("zone".into(), "".into())]),
///     "/metrics/job/api/path@base64/L3Zhci90bXA/zone@base64/="
/// );
/// ```
pub fn grouping_path(job: &str, labels: &[(String, String)]) -> String {
    let mut out = String::from("/metrics");
    for (name, value) in
        std::iter::once(("job", job)).chain(labels.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    {
        if value.is_empty() {
            let _ = write!(out, "/{name}@base64/=");
        } else if value.contains('/') {
            let _ = write!(out, "/{name}@base64/{}", base64_url(value.as_bytes()));
        } else {
            let _ = write!(out, "/{name}/{}", percent_encode(value));
        }
    }
    out
}

fn base64_url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let sym = |i: u32| char::from(A.get((i & 63) as usize).copied().unwrap_or(b'A'));
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        if chunk.len() > 1 {
            out.push(sym(n >> 6));
        }
        if chunk.len() > 2 {
            out.push(sym(n));
        }
    }
    out
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn is_label_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with("__")
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

struct Family<'a> {
    original: &'a str,
    kind: Kind,
    series: Vec<&'a Series>,
}

/// Renders a snapshot in the text exposition format 0.0.4 (see the
/// [module docs](self) for the mapping). Deterministic for a given snapshot.
pub fn render(snapshot: &Snapshot, options: &RenderOptions) -> String {
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
        let _ = writeln!(
            out,
            "# HELP {name} {}",
            escape_help(&format!("telemetra {what} {}", fam.original))
        );
        let _ = writeln!(out, "# TYPE {name} {type_name}");
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
                write_series(&mut out, name, &with, s, options);
            } else {
                dup = 1;
                write_series(&mut out, name, &labels, s, options);
                previous = Some(labels);
            }
        }
    }
    out
}

/// The label pairs of a series, sanitised, de-duplicated and escaped, comma-joined
/// (`a="x",b="y"`).
fn labels(s: &Series, kind: Kind) -> String {
    let mut used: HashSet<String> = HashSet::new();
    if kind == Kind::Timing {
        used.insert("le".to_owned());
    }
    let mut out = String::new();
    // An empty value is the same as no label to Prometheus: leave it out.
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
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&name);
        out.push_str("=\"");
        escape_label_value(&tag.value, &mut out);
        out.push('"');
        used.insert(name);
    }
    out
}

fn write_series(out: &mut String, name: &str, labels: &str, s: &Series, o: &RenderOptions) {
    let braces = |extra: &str| -> String {
        match (labels.is_empty(), extra.is_empty()) {
            (true, true) => String::new(),
            (true, false) => format!("{{{extra}}}"),
            (false, true) => format!("{{{labels}}}"),
            (false, false) => format!("{{{labels},{extra}}}"),
        }
    };
    match &s.value {
        Value::Counter(v) | Value::Gauge(v) => {
            let _ = writeln!(out, "{name}{} {}", braces(""), format_value(*v));
        }
        Value::Timing(d) => {
            let scale = match o.unit {
                TimingUnit::Seconds => 1000.0,
                TimingUnit::Milliseconds => 1.0,
            };
            for bound in &o.buckets_ms {
                let le = format!("le=\"{}\"", format_value(bound / scale));
                let _ = writeln!(out, "{name}_bucket{} {}", braces(&le), d.count_le(*bound));
            }
            let _ = writeln!(out, "{name}_bucket{} {}", braces("le=\"+Inf\""), d.count);
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
    fn base64_matches_rfc4648_url_alphabet() {
        assert_eq!(base64_url(b"/var/tmp"), "L3Zhci90bXA");
        assert_eq!(base64_url(b"f"), "Zg");
        assert_eq!(base64_url(b"fo"), "Zm8");
        assert_eq!(base64_url(b"foo"), "Zm9v");
        assert_eq!(base64_url(&[0xfb, 0xff]), "-_8");
        assert_eq!(percent_encode("a b%"), "a%20b%25");
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
