//! [`ConfigBuilder::build`]: every setting checked, with an error naming the one at
//! fault.

use super::*;

impl ConfigBuilder {
    /// Checks every field and returns the config, or an error naming the first bad
    /// field.
    pub fn build(self) -> Result<Config, Error> {
        let c = &self.cfg;
        let ms = c.flush_interval.as_millis();
        if !(10..=3_600_000).contains(&ms) {
            return Err(Error::config(
                "flush_interval",
                format!("must be between 10ms and 1h, got {:?}", c.flush_interval),
            ));
        }
        range("batch_size", c.batch_size, 1, 4096)?;
        range("queue_capacity", c.queue_capacity, c.batch_size, 1 << 26)?;
        range("max_series", c.max_series, 1, usize::MAX)?;
        range(
            "max_series_per_metric",
            c.max_series_per_metric,
            1,
            c.max_series,
        )?;
        range("max_name_len", c.max_name_len, 1, 1024)?;
        range("max_tags", c.max_tags, 1, 256)?;
        range("max_tag_key_len", c.max_tag_key_len, 1, 65_536)?;
        range("max_tag_value_len", c.max_tag_value_len, 1, 65_536)?;
        range("max_tag_sets", c.max_tag_sets, 0, 1_000_000)?;
        if !(2..=3).contains(&c.histogram_sigfig) {
            // One digit gives buckets up to 1/16 of their value wide, wider than the
            // per-thread cells' (two digits): a declared bound's count would take in
            // values of the coarse bucket above it.
            return Err(Error::config(
                "histogram_sigfig",
                format!(
                    "must be 2 or 3, got {}: below 2 the counts at the sinks' bucket \
                     bounds and the SLOs' latency thresholds would not be exact",
                    c.histogram_sigfig
                ),
            ));
        }
        check_global_tags(c)?;
        if c.drop_timeout > Duration::from_secs(60) {
            return Err(Error::config("drop_timeout", "must be at most 60s"));
        }
        range("record_buffer", c.record_buffer, 1, 10_000_000)?;
        range("record_queue_capacity", c.record_queue_capacity, 1, 1 << 22)?;
        let rfi = c.record_flush_interval;
        if rfi < Duration::from_millis(1) || rfi > Duration::from_secs(60) {
            return Err(Error::config(
                "record_flush_interval",
                format!("must be between 1ms and 60s, got {rfi:?}"),
            ));
        }
        if !(0.0..=1.0).contains(&c.trace_sample_rate) {
            return Err(Error::config(
                "trace_sample_rate",
                format!("must be within 0.0..=1.0, got {}", c.trace_sample_rate),
            ));
        }
        let mut names: Vec<&str> = c.sinks.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w.first() == w.get(1)) {
            return Err(Error::config(
                "sink",
                format!(
                    "two sinks are named `{}`; give each a unique name",
                    w.first().copied().unwrap_or_default()
                ),
            ));
        }
        if names.iter().any(|n| n.is_empty()) {
            return Err(Error::config("sink", "a sink has an empty name"));
        }
        if let Some(bad) = names.iter().find(|n| !crate::switches::valid_sink_name(n)) {
            return Err(Error::config(
                "sink",
                format!("sink name `{bad}` must be 1 to 64 of `a-z 0-9 _ -` (it names the switch `sink.{bad}`)"),
            ));
        }
        let mut cfg = self.cfg;
        cfg.scrubber = match (cfg.pii_scrubbing, cfg.scrubber.take()) {
            (false, _) => None,
            (true, Some(sc)) => Some(sc),
            (true, None) => Some(
                ScrubberConfig::builder()
                    .build()
                    .map_err(|e| Error::config("scrubber", e.to_string()))?,
            ),
        };
        Ok(cfg)
    }
}

fn range(field: &'static str, v: usize, lo: usize, hi: usize) -> Result<(), Error> {
    if v < lo || v > hi {
        Err(Error::config(
            field,
            format!("must be between {lo} and {hi}, got {v}"),
        ))
    } else {
        Ok(())
    }
}

/// Global tags: non-empty unique keys within the tag limits, fewer than `max_tags`.
fn check_global_tags(c: &Config) -> Result<(), Error> {
    const FIELD: &str = "global_tags";
    if c.global_tags.len() >= c.max_tags {
        return Err(Error::config(
            FIELD,
            format!(
                "{} global tags leave no room under max_tags = {}",
                c.global_tags.len(),
                c.max_tags
            ),
        ));
    }
    for (i, t) in c.global_tags.iter().enumerate() {
        if t.key.is_empty() {
            return Err(Error::config(FIELD, "a key is empty"));
        }
        if t.key.len() > c.max_tag_key_len || t.value.len() > c.max_tag_value_len {
            return Err(Error::config(
                FIELD,
                format!(
                    "tag {:?} is longer than max_tag_key_len or max_tag_value_len",
                    t.key
                ),
            ));
        }
        if c.global_tags.iter().take(i).any(|o| o.key == t.key) {
            return Err(Error::config(
                FIELD,
                format!("key {:?} is given twice", t.key),
            ));
        }
    }
    Ok(())
}
