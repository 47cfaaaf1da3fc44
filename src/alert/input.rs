//! The engine's input: plain series points, as the pipeline's snapshot provides them.

/// One series in a snapshot: name, tags and its cumulative (or current) value.
///
/// Tags must come in a stable order for the same series (the pipeline's sorted order): the
/// engine identifies a series by a 64-bit hash of its name and tags in order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SeriesPoint<'a> {
    /// Metric name, e.g. `product.wallet.spend.failed`.
    pub name: &'a str,
    /// Tags as key/value pairs, e.g. `[("reason", "INSUFFICIENT_FUNDS")]`.
    pub tags: &'a [(String, String)],
    /// The value.
    pub kind: PointKind,
}

/// A series value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PointKind {
    /// A counter's cumulative total since the series was created. The engine takes deltas
    /// between evaluations; a decrease is a restart (the new total is the delta).
    Counter {
        /// Cumulative total.
        total: f64,
    },
    /// A gauge's current value.
    Gauge {
        /// Current value.
        value: f64,
    },
    /// A timing distribution.
    Timing(TimingSummary),
}

/// A timing series: cumulative count and sum, plus quantiles of the latest interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimingSummary {
    /// Cumulative number of recorded durations.
    pub count: u64,
    /// Cumulative sum of recorded durations (in the series' unit, e.g. ms).
    pub sum: f64,
    /// Median of the durations recorded since the previous snapshot (NaN if none).
    pub p50: f64,
    /// 95th percentile of the durations since the previous snapshot (NaN if none).
    pub p95: f64,
    /// 99th percentile of the durations since the previous snapshot (NaN if none).
    pub p99: f64,
}

impl<'a> SeriesPoint<'a> {
    /// A counter point.
    pub fn counter(name: &'a str, tags: &'a [(String, String)], total: f64) -> Self {
        Self {
            name,
            tags,
            kind: PointKind::Counter { total },
        }
    }

    /// A gauge point.
    pub fn gauge(name: &'a str, tags: &'a [(String, String)], value: f64) -> Self {
        Self {
            name,
            tags,
            kind: PointKind::Gauge { value },
        }
    }

    /// A timing point.
    pub fn timing(name: &'a str, tags: &'a [(String, String)], summary: TimingSummary) -> Self {
        Self {
            name,
            tags,
            kind: PointKind::Timing(summary),
        }
    }
}

/// Stable 64-bit FNV-1a hash (identical across processes and versions).
pub(crate) fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in *part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // Separator so ("ab","c") and ("a","bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Hash identifying a series.
pub(crate) fn series_key(name: &str, tags: &[(String, String)]) -> u64 {
    let mut h = fnv1a(&[name.as_bytes()]);
    for (k, v) in tags {
        h ^= fnv1a(&[k.as_bytes(), v.as_bytes()]);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
