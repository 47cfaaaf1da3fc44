//! Pipeline configuration: a builder whose `build()` validates every field.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::pii::ScrubberConfig;
use crate::sampling::SamplingPolicy;
use crate::sinks::Sink;
use crate::switches::Switches;
use crate::tags::Tag;
use crate::Error;

/// A handler for background failures (sink errors, sink panics).
pub type ErrorHandler = Arc<dyn Fn(&Error) + Send + Sync>;

/// A validated pipeline configuration. Make one with [`Config::builder`].
pub struct Config {
    pub(crate) flush_interval: Duration,
    pub(crate) queue_capacity: usize,
    pub(crate) batch_size: usize,
    pub(crate) max_series: usize,
    pub(crate) max_series_per_metric: usize,
    pub(crate) max_name_len: usize,
    pub(crate) max_tags: usize,
    pub(crate) max_tag_key_len: usize,
    pub(crate) max_tag_value_len: usize,
    pub(crate) max_tag_sets: usize,
    pub(crate) histogram_sigfig: u8,
    pub(crate) exact_timing_bounds: Vec<crate::TimingBound>,
    pub(crate) self_metrics: bool,
    pub(crate) drop_timeout: Duration,
    pub(crate) sinks: Vec<Box<dyn Sink>>,
    pub(crate) on_error: Option<ErrorHandler>,
    pub(crate) catalog: Option<Arc<crate::catalog::Catalog>>,
    pub(crate) switches: Switches,
    pub(crate) record_buffer: usize,
    pub(crate) record_queue_capacity: usize,
    pub(crate) record_flush_interval: Duration,
    /// The scrubber's configuration; `None` once built means scrubbing is off.
    pub(crate) scrubber: Option<ScrubberConfig>,
    pub(crate) pii_scrubbing: bool,
    pub(crate) sampling: SamplingPolicy,
    pub(crate) trace_sample_rate: f64,
    pub(crate) event_metrics: bool,
    /// Tags added to every series, span and event (`service`, `env`, `version`, …).
    pub(crate) global_tags: Vec<Tag>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("flush_interval", &self.flush_interval)
            .field("queue_capacity", &self.queue_capacity)
            .field("batch_size", &self.batch_size)
            .field("max_series", &self.max_series)
            .field("max_series_per_metric", &self.max_series_per_metric)
            .field("max_name_len", &self.max_name_len)
            .field("max_tags", &self.max_tags)
            .field("max_tag_key_len", &self.max_tag_key_len)
            .field("max_tag_value_len", &self.max_tag_value_len)
            .field("max_tag_sets", &self.max_tag_sets)
            .field("global_tags", &self.global_tags)
            .field("histogram_sigfig", &self.histogram_sigfig)
            .field("self_metrics", &self.self_metrics)
            .field("drop_timeout", &self.drop_timeout)
            .field(
                "sinks",
                &self.sinks.iter().map(|s| s.name()).collect::<Vec<_>>(),
            )
            .field("on_error", &self.on_error.is_some())
            .field("catalog", &self.catalog.as_ref().map(|c| c.len()))
            .field("switches", &self.switches)
            .field("record_buffer", &self.record_buffer)
            .field("record_queue_capacity", &self.record_queue_capacity)
            .field("record_flush_interval", &self.record_flush_interval)
            .field("pii_scrubbing", &self.pii_scrubbing)
            .field("sampling", &self.sampling)
            .field("trace_sample_rate", &self.trace_sample_rate)
            .field("event_metrics", &self.event_metrics)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A builder with every default.
    ///
    /// ```
    /// # fn main() -> Result<(), telemetra::Error> {
    /// use std::time::Duration;
    /// let config = telemetra::Config::builder()
    ///     .flush_interval(Duration::from_secs(10))
    ///     .sink(telemetra::sinks::NoopSink)
    ///     .build()?;
    /// # let _ = config; Ok(()) }
    /// ```
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }
}

/// Builds a [`Config`]. Setters never fail; [`build`](ConfigBuilder::build) checks.
pub struct ConfigBuilder {
    cfg: Config,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("cfg", &self.cfg)
            .finish()
    }
}

impl Default for ConfigBuilder {
    fn default() -> Self {
        ConfigBuilder {
            cfg: Config {
                flush_interval: Duration::from_secs(10),
                queue_capacity: 65_536,
                batch_size: 256,
                max_series: 10_000,
                max_series_per_metric: 1_000,
                max_name_len: 200,
                max_tags: 32,
                max_tag_key_len: 200,
                max_tag_value_len: 200,
                max_tag_sets: 10_000,
                histogram_sigfig: 2,
                exact_timing_bounds: Vec::new(),
                self_metrics: true,
                drop_timeout: Duration::from_secs(2),
                sinks: Vec::new(),
                on_error: None,
                catalog: None,
                switches: Switches::new(),
                record_buffer: 10_000,
                record_queue_capacity: 8_192,
                record_flush_interval: Duration::from_millis(100),
                scrubber: None,
                pii_scrubbing: true,
                sampling: SamplingPolicy::default(),
                trace_sample_rate: 1.0,
                event_metrics: true,
                global_tags: Vec::new(),
            },
        }
    }
}

impl ConfigBuilder {
    /// How often the aggregated state is published to the sinks (10 ms to 1 hour).
    /// Defaults to 10 s.
    pub fn flush_interval(mut self, interval: Duration) -> Self {
        self.cfg.flush_interval = interval;
        self
    }

    /// How many emissions the shared queue holds between the emitting threads and
    /// the flusher (at least `batch_size`, at most 2^26). Beyond it emissions are
    /// dropped and counted (`telemetra.dropped{reason=queue_full}`), never waited
    /// for. Defaults to 65,536.
    pub fn queue_capacity(mut self, capacity: usize) -> Self {
        self.cfg.queue_capacity = capacity;
        self
    }

    /// How many emissions a thread buffers before handing them to the shared queue
    /// in one push (1 to 4,096). Larger batches mean less contention between threads;
    /// a thread's partial batch is collected by the flusher at every flush, so a
    /// quiet thread's emissions are never stranded. Defaults to 256.
    pub fn batch_size(mut self, size: usize) -> Self {
        self.cfg.batch_size = size;
        self
    }

    /// The most series the aggregator keeps in total (at least 1). New series beyond
    /// it go to an overflow series and are counted. Defaults to 10,000.
    pub fn max_series(mut self, n: usize) -> Self {
        self.cfg.max_series = n;
        self
    }

    /// The most series one metric name may have (at least 1, at most `max_series`).
    /// New tag combinations beyond it go to the name's overflow series (tag
    /// `telemetra_overflow=true`) and are counted. Defaults to 1,000.
    pub fn max_series_per_metric(mut self, n: usize) -> Self {
        self.cfg.max_series_per_metric = n;
        self
    }

    /// The longest metric name accepted, in bytes (1 to 1,024); longer names are
    /// dropped and counted (`reason=invalid_name`). Defaults to 200.
    pub fn max_name_len(mut self, n: usize) -> Self {
        self.cfg.max_name_len = n;
        self
    }

    /// Adds a tag to every series, span and event of this pipeline (`service`, `env`,
    /// `version`, …). A tag given on an emission, span or event with the same key wins.
    /// Keys must be non-empty and unique, and within `max_tag_key_len` /
    /// `max_tag_value_len`; global tags count against `max_tags`.
    ///
    /// ```
    /// let config = telemetra::Config::builder()
    ///     .global_tag("service", "wallet")
    ///     .global_tag("env", "prod")
    ///     .build()?;
    /// # Ok::<(), telemetra::Error>(())
    /// ```
    pub fn global_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.cfg
            .global_tags
            .push(Tag::new(key.into(), value.into()));
        self
    }

    /// The most tags one series may carry (1 to 256); extra tags are removed and
    /// counted. Defaults to 32.
    pub fn max_tags(mut self, n: usize) -> Self {
        self.cfg.max_tags = n;
        self
    }

    /// The longest tag key kept, in bytes (1 to 65,536); longer keys are truncated at
    /// a character boundary and counted (`reason=key_truncated`). Defaults to 200.
    pub fn max_tag_key_len(mut self, n: usize) -> Self {
        self.cfg.max_tag_key_len = n;
        self
    }

    /// The longest tag value kept, in bytes (1 to 65,536); longer values are
    /// truncated at a character boundary and counted (`reason=value_truncated`).
    /// Defaults to 200.
    pub fn max_tag_value_len(mut self, n: usize) -> Self {
        self.cfg.max_tag_value_len = n;
        self
    }

    /// How many distinct tag sets [`tagged`](crate::Telemetry::tagged) interns (0 to
    /// 1,000,000). Interned tag sets make emissions as cheap as static tags; beyond
    /// the limit tagged emitters still work, sharing their tags by reference count.
    /// Defaults to 10,000.
    pub fn max_tag_sets(mut self, n: usize) -> Self {
        self.cfg.max_tag_sets = n;
        self
    }

    /// Significant decimal digits kept by timing histograms, 2 or 3: 2 keeps
    /// quantiles within 1% and about 20 KiB per timing series. 1 is refused by
    /// `build()`: its buckets are wider than the per-thread cells' and the counts at
    /// declared bucket bounds would not be exact. Values recorded on the per-thread
    /// path keep two digits whatever this says. Defaults to 2.
    pub fn histogram_sigfig(mut self, digits: u8) -> Self {
        self.cfg.histogram_sigfig = digits;
        self
    }

    /// Timing values at which distributions must be counted exactly, besides those
    /// the sinks declare ([`Sink::exact_timing_bounds`](crate::sinks::Sink::exact_timing_bounds))
    /// and the SLOs' latency thresholds: for a sink or a check of your own that reads
    /// [`Distribution::count_le`](crate::snapshot::Distribution::count_le) at fixed
    /// bounds. At most [`MAX_TIMING_CUTS`](crate::MAX_TIMING_CUTS) in all; each bound
    /// that falls inside a histogram bucket costs every timing series 4 bytes.
    ///
    /// ```
    /// use telemetra::{Config, TimingBound};
    /// let config = Config::builder()
    ///     .exact_timing_bounds([TimingBound::AtMostMs(250.0), TimingBound::AtMostMs(1000.0)])
    ///     .build()?;
    /// # Ok::<(), telemetra::Error>(())
    /// ```
    pub fn exact_timing_bounds(
        mut self,
        bounds: impl IntoIterator<Item = crate::TimingBound>,
    ) -> Self {
        self.cfg.exact_timing_bounds.extend(bounds);
        self
    }

    /// Whether the pipeline reports on itself under the reserved `telemetra.` prefix
    /// (emitted, dropped by reason, queue high-water mark, series, flush duration,
    /// per-sink exports and latency). Defaults to true.
    pub fn self_metrics(mut self, enabled: bool) -> Self {
        self.cfg.self_metrics = enabled;
        self
    }

    /// How long dropping the last handle of a running pipeline waits for its final
    /// flush (at most 60 s). Defaults to 2 s.
    pub fn drop_timeout(mut self, timeout: Duration) -> Self {
        self.cfg.drop_timeout = timeout;
        self
    }

    /// Adds a sink. Any number may be added, each gets its own thread; with none,
    /// snapshots are still taken (see [`Telemetry::snapshot`](crate::Telemetry::snapshot)).
    /// Defaults to no sinks.
    pub fn sink(mut self, sink: impl Sink) -> Self {
        self.cfg.sinks.push(Box::new(sink));
        self
    }

    /// Adds an already boxed sink. Defaults to no sinks.
    pub fn boxed_sink(mut self, sink: Box<dyn Sink>) -> Self {
        self.cfg.sinks.push(sink);
        self
    }

    /// The service's metric catalog (see [`catalog`](crate::catalog)): descriptions and
    /// units for the sinks that export them, and a kind check reported through
    /// `on_error` as [`Error::CatalogMismatch`], once per name.
    pub fn catalog(mut self, catalog: crate::catalog::Catalog) -> Self {
        self.cfg.catalog = Some(Arc::new(catalog));
        self
    }

    /// A handler for background failures (sink errors and panics). It runs on
    /// background threads; a panic inside it is caught. Defaults to none (failures
    /// are still counted in self-metrics).
    pub fn on_error(mut self, handler: impl Fn(&Error) + Send + Sync + 'static) -> Self {
        self.cfg.on_error = Some(Arc::new(handler));
        self
    }

    /// The runtime switches the pipeline obeys: `ops.metrics_collection` off drops
    /// every emission at once (counted, `telemetra.dropped{reason=disabled}`);
    /// `sink.<name>` off pauses that sink, whose delta cursor stays put so that turning
    /// it back on delivers everything in between. Each sink's switch is registered (on)
    /// when the pipeline starts; see [`Telemetry::switches`](crate::Telemetry::switches).
    /// Defaults to a fresh registry with every switch on.
    pub fn switches(mut self, switches: Switches) -> Self {
        self.cfg.switches = switches;
        self
    }

    /// How many records (events, spans) each record-capable sink's buffer holds while
    /// the sink is slow or failing (1 to 10,000,000); beyond it the oldest are dropped
    /// and counted (`telemetra.records.dropped{reason=buffer_overflow,sink=…}`).
    /// Defaults to 10,000.
    pub fn record_buffer(mut self, n: usize) -> Self {
        self.cfg.record_buffer = n;
        self
    }

    /// How many records the queue between the emitting threads and the flusher holds
    /// (1 to 2^22); beyond it records are dropped and counted
    /// (`telemetra.records.dropped{reason=queue_full}`), never waited for. Defaults to
    /// 8,192.
    pub fn record_queue_capacity(mut self, n: usize) -> Self {
        self.cfg.record_queue_capacity = n;
        self
    }

    /// The longest a record waits in the flusher before it is handed to the sinks
    /// (1 ms to 60 s; when `flush_interval` is shorter, it applies instead). Records
    /// also go out in batches of 512 and ahead of every snapshot. Defaults to 100 ms.
    pub fn record_flush_interval(mut self, interval: Duration) -> Self {
        self.cfg.record_flush_interval = interval;
        self
    }

    /// The PII scrubber's rules and hash key, applied on the flusher thread to metric
    /// tag values (once per new series), event metadata, messages and actor ids, span
    /// attributes and error codes. Also turns scrubbing on. Defaults to the product
    /// rules with a random per-process hash key (pseudonyms then differ between
    /// processes; configure a `hash_key` to keep them joinable).
    pub fn scrubber(mut self, config: ScrubberConfig) -> Self {
        self.cfg.scrubber = Some(config);
        self.cfg.pii_scrubbing = true;
        self
    }

    /// Whether anything is scrubbed at all. Turning it off sends tag values, event
    /// metadata, actor ids and span attributes as given. Defaults to true.
    pub fn pii_scrubbing(mut self, enabled: bool) -> Self {
        self.cfg.pii_scrubbing = enabled;
        self
    }

    /// Which events are kept: minimum level and rates per domain and operation
    /// (`ERROR` and `CRITICAL` are always kept unless the policy says otherwise).
    /// Decided on the emitting thread. Defaults to keeping every event at `INFO` and
    /// above.
    pub fn sampling(mut self, policy: SamplingPolicy) -> Self {
        self.cfg.sampling = policy;
        self
    }

    /// Fraction of new traces whose spans are recorded (0.0 to 1.0); every span is
    /// still timed. Incoming `traceparent` flags are honoured whatever the rate.
    /// Defaults to 1.0.
    pub fn trace_sample_rate(mut self, rate: f64) -> Self {
        self.cfg.trace_sample_rate = rate;
        self
    }

    /// Whether every kept event also adds `1 / sample rate` to the counter
    /// `event.count{domain, operation, level, error_code, success}`. Defaults to true.
    pub fn event_metrics(mut self, enabled: bool) -> Self {
        self.cfg.event_metrics = enabled;
        self
    }
}

#[path = "config_build.rs"]
mod build;

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
