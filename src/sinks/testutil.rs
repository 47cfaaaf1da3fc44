//! Hand-built snapshots for the sinks' unit tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use hdrhistogram::Histogram;

use crate::snapshot::{Distribution, Series, Snapshot, Value};
use crate::tags::Tag;

/// 2026-11-23T10:00:00Z plus `secs`.
pub(crate) fn at(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_428_000 + secs)
}

/// A distribution of `values` (ms), recorded as the aggregator does.
pub(crate) fn dist(values: &[f64]) -> Distribution {
    let mut h = Histogram::<u64>::new(2).unwrap();
    for v in values {
        h.record((v * 1e6).round() as u64).unwrap();
    }
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (min, max) = if values.is_empty() {
        (0.0, 0.0)
    } else {
        (min, max)
    };
    Distribution {
        hist: Arc::new(h),
        count: values.len() as u64,
        sum: values.iter().sum(),
        min,
        max,
        exact: crate::snapshot::Exact {
            min_ns: (min * 1e6).round() as u64,
            max_ns: (max * 1e6).round() as u64,
            ..Default::default()
        },
    }
}

/// Builds snapshots series by series; ids follow insertion order.
#[derive(Debug)]
pub(crate) struct SnapBuilder {
    snap: Snapshot,
}

impl SnapBuilder {
    pub(crate) fn new(seq: u64, taken_at: SystemTime) -> Self {
        SnapBuilder {
            snap: Snapshot {
                seq,
                taken_at,
                series: Vec::new(),
            },
        }
    }

    pub(crate) fn series(
        mut self,
        name: &str,
        tags: &[(&str, &str)],
        value: Value,
        updated: SystemTime,
    ) -> Self {
        let tags: Vec<Tag> = tags
            .iter()
            .map(|(k, v)| Tag::new(k.to_string(), v.to_string()))
            .collect();
        let id = self.snap.series.len();
        self.snap.series.push(Series {
            id,
            name: Arc::from(name),
            tags: Arc::from(tags),
            start: at(0),
            updated,
            value,
            exemplar: None,
        });
        self
    }

    pub(crate) fn build(self) -> Arc<Snapshot> {
        Arc::new(self.snap)
    }
}
