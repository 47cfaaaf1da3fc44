//! Prometheus: the Pushgateway sink (text exposition format 0.0.4), and the pull side —
//! [`scrape`] renders the live aggregate for a `/metrics` handler in any framework
//! (text 0.0.4 or OpenMetrics 1.0 by the `Accept` header), and [`ScrapeServer`]
//! (feature `scrape-server`) is a small built-in listener. Long-lived services are
//! better scraped than pushed (see `docs/sinks.md`).
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

#[cfg(feature = "remote-write")]
mod remote_write;
mod scrape;
mod text;

use std::fmt::{self, Write as _};

#[cfg(feature = "remote-write")]
pub use remote_write::{RemoteWriteBuilder, RemoteWriteSink};
#[cfg(feature = "scrape-server")]
pub use scrape::ScrapeServer;
pub use scrape::{exact_bounds, scrape, Collect, Scrape, ScrapeFormat};
pub use text::{
    format_value, render, render_openmetrics, sanitize_label_name, sanitize_metric_name,
    RenderOptions, TimingUnit, DEFAULT_BUCKETS_MS,
};

use super::http::{
    redact_url, take_basic_auth, HttpConfig, HttpTransport, Method, Request, Secret,
};
use super::{Export, Sink, SinkError};
use crate::snapshot::Snapshot;
use crate::Error;

/// The `Content-Type` of the text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Pushes cumulative snapshots to a Prometheus Pushgateway. See the
/// [module docs](self) for the mapping.
pub struct PushgatewaySink {
    transport: HttpTransport,
    url: String,
    /// `Basic …` from the URL's user info, if any.
    auth: Option<Secret>,
    shown_url: String,
    options: RenderOptions,
    delete_on_shutdown: bool,
    /// Why the grouping key may be shared with other processes, if it may.
    grouping_warning: Option<String>,
    /// Descriptions for `# HELP` (see [`crate::catalog`]).
    catalog: Option<std::sync::Arc<crate::catalog::Catalog>>,
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
#[derive(Clone)]
pub struct PushgatewayBuilder {
    base_url: String,
    job: String,
    grouping: Vec<(String, String)>,
    options: RenderOptions,
    http: Option<HttpConfig>,
    delete_on_shutdown: bool,
    unique_grouping_key: bool,
}

impl fmt::Debug for PushgatewayBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PushgatewayBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field("job", &self.job)
            .field("grouping", &self.grouping)
            .field("delete_on_shutdown", &self.delete_on_shutdown)
            .field("unique_grouping_key", &self.unique_grouping_key)
            .finish_non_exhaustive()
    }
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
            unique_grouping_key: false,
        }
    }

    /// The text this sink would push for `snapshot`.
    pub fn render(&self, snapshot: &Snapshot) -> String {
        text::render_as(snapshot, &self.options, false, self.catalog.as_deref())
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
    ///
    /// Two processes must not push the same key (each push replaces the group): unless
    /// a value holds this process's id or [`unique_grouping_key`](Self::unique_grouping_key)
    /// says so, the sink reports a warning once when the pipeline starts
    /// ([`Error::SinkWarning`] to `on_error`).
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
    /// processes whose series should not outlive them). A failed delete makes
    /// [`Telemetry::shutdown`](crate::Telemetry::shutdown) return
    /// [`Error::Export`] and is reported to `on_error`.
    /// Defaults to `false`.
    pub fn delete_on_shutdown(mut self, on: bool) -> Self {
        self.delete_on_shutdown = on;
        self
    }

    /// Declares that no other process pushes this grouping key (one replica per
    /// `instance` value, say), which silences the start-up warning about a grouping key
    /// that does not name the process. Defaults to `false`: a key is taken as unique
    /// only when one of its label values holds this process's id.
    pub fn unique_grouping_key(mut self, unique: bool) -> Self {
        self.unique_grouping_key = unique;
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
        text::check_buckets(&self.options.buckets_ms)?;
        // User info becomes an explicit `Authorization: Basic` header registered as a
        // secret, so the transport scrubs it (and its base64) from every error; the URL
        // itself carries no credentials.
        let mut base = base;
        let auth = take_basic_auth(&mut base);
        let raw = base.as_str().trim_end_matches('/');
        let url = format!("{raw}{}", grouping_path(&self.job, &self.grouping));
        let shown_url = format!(
            "{}{}",
            redact_url(self.base_url.trim()).trim_end_matches('/'),
            grouping_path(&self.job, &self.grouping)
        );
        let transport = HttpTransport::new(self.http.unwrap_or_default())?;
        let grouping_warning = if self.unique_grouping_key {
            None
        } else {
            grouping_warning(&self.grouping, std::process::id())
        };
        Ok(PushgatewaySink {
            transport,
            url,
            auth,
            shown_url,
            options: self.options,
            delete_on_shutdown: self.delete_on_shutdown,
            grouping_warning,
            catalog: None,
        })
    }
}

impl PushgatewaySink {
    fn authorize(&self, req: Request) -> Request {
        match &self.auth {
            Some(a) => req.secret_header("authorization", a.clone()),
            None => req,
        }
    }
}

impl Sink for PushgatewaySink {
    fn name(&self) -> &str {
        "prometheus"
    }

    /// The `le` bucket bounds: Prometheus counts `value <= le`.
    fn exact_timing_bounds(&self) -> Vec<crate::TimingBound> {
        let b = &self.options.buckets_ms;
        b.iter()
            .map(|&ms| crate::TimingBound::AtMostMs(ms))
            .collect()
    }

    fn export(&mut self, export: &Export<'_>) -> Result<(), SinkError> {
        let body = text::render_as(
            export.snapshot,
            &self.options,
            false,
            self.catalog.as_deref(),
        );
        let req = Request::new(Method::Put, self.url.as_str())
            .header("content-type", CONTENT_TYPE)
            .body(body.into_bytes());
        self.transport.send(self.authorize(req)).map(|_| ())
    }

    fn set_catalog(&mut self, catalog: std::sync::Arc<crate::catalog::Catalog>) {
        self.catalog = Some(catalog);
    }

    fn start_warnings(&self) -> Vec<String> {
        self.grouping_warning.iter().cloned().collect()
    }

    /// Deletes the group when [`delete_on_shutdown`](PushgatewayBuilder::delete_on_shutdown)
    /// is on; a failed delete is an error (the group stays on the gateway).
    fn shutdown(&mut self) -> Result<(), SinkError> {
        if !self.delete_on_shutdown {
            return Ok(());
        }
        let req = self.authorize(Request::new(Method::Delete, self.url.as_str()));
        self.transport.send(req).map(|_| ()).map_err(|e| {
            let err = SinkError::new(format!(
                "deleting the group at shutdown failed, it stays on the gateway: {e}"
            ));
            match e.status() {
                Some(s) => err.with_status(s),
                None => err,
            }
        })
    }
}

/// Why a grouping key made of `job` and `labels` may be shared by several processes,
/// or `None` when a label value holds `pid` (as a whole number: `host-4242`): every
/// `PUT` replaces the whole group, so a second process pushing the same key replaces
/// the first one's series, and Prometheus sees one process's counts instead of the sum.
/// Label names only: values are not repeated.
fn grouping_warning(labels: &[(String, String)], pid: u32) -> Option<String> {
    let pid = pid.to_string();
    let names_pid = |v: &str| v.split(|c: char| !c.is_ascii_digit()).any(|t| t == pid);
    if labels.iter().any(|(_, v)| names_pid(v)) {
        return None;
    }
    let names: Vec<&str> = std::iter::once("job")
        .chain(labels.iter().map(|(k, _)| k.as_str()))
        .collect();
    let key = names.join(", ");
    let why = if labels.is_empty() {
        "groups only by job"
    } else {
        "holds no value unique to this process (its id)"
    };
    Some(format!(
        "the Pushgateway grouping key {{{key}}} {why}: if another process pushes the same \
         key, each push replaces the other's series and the gateway shows one process's \
         counts, not their sum; add a grouping label unique per process (`instance` = \
         `<hostname>-<pid>`, the default when PROMETHEUS_PUSHGATEWAY_INSTANCE is unset), \
         or call `unique_grouping_key(true)` if no other process uses this key"
    ))
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
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Every byte but RFC 3986's unreserved characters percent-encoded.
fn percent_encode(s: &str) -> String {
    const UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, UNRESERVED).to_string()
}

pub(crate) fn is_label_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with("__")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grouping_key_names_the_process_by_its_id() {
        let l = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert!(grouping_warning(&l(&[("instance", "web-7-4242")]), 4242).is_none());
        assert!(grouping_warning(&l(&[("zone", "a"), ("pid", "4242")]), 4242).is_none());
        let only_job = grouping_warning(&[], 4242).unwrap_or_default();
        assert!(only_job.contains("{job} groups only by job"), "{only_job}");
        // A pid inside a longer number does not count.
        let fixed = grouping_warning(&l(&[("instance", "web-142420")]), 4242);
        let fixed = fixed.unwrap_or_default();
        assert!(fixed.contains("{job, instance}"), "{fixed}");
        assert!(
            !fixed.contains("web-142420"),
            "values are not repeated: {fixed}"
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
}
