//! Per-series delivery tracking for delta sinks that send one export in several
//! requests or datagrams.
//!
//! The pipeline keeps one cursor per sink: the last snapshot the sink delivered in
//! full. A sink that splits an export into batches can fail half-way; returning an
//! error keeps the pipeline cursor, so the next export would resend the deltas of the
//! batches that *did* arrive (counted twice), while returning `Ok` would drop the ones
//! that did not (lost). [`PartialCursor`] avoids both: it remembers, per series, the
//! state delivered by a partially failed export, and the next export measures those
//! series' deltas from there instead of from the pipeline cursor.

use std::collections::HashMap;
use std::time::SystemTime;

use super::{Delta, Export};
use crate::snapshot::Series;

/// One delta to send, with the instant its interval starts.
#[derive(Debug)]
pub(crate) struct PendingDelta<'a> {
    /// The change.
    pub(crate) delta: Delta<'a>,
    /// When the interval of the change started: the `taken_at` of the snapshot the
    /// delta is measured from, or the series' start for a first delivery.
    #[cfg_attr(not(feature = "datadog"), allow(dead_code))]
    pub(crate) since: SystemTime,
}

#[derive(Debug)]
struct Acked {
    seq: u64,
    taken_at: SystemTime,
    series: Series,
}

/// Series delivered by partially failed exports, newer than the pipeline cursor.
#[derive(Debug, Default)]
pub(crate) struct PartialCursor {
    acked: HashMap<usize, Acked>,
}

impl PartialCursor {
    /// The changed series of `export`, each measured from the newest state known to
    /// have been delivered (the pipeline cursor, or a partial delivery after it).
    pub(crate) fn changed<'a>(&self, export: &Export<'a>) -> Vec<PendingDelta<'a>> {
        let prev = export.previous;
        let prev_seq = prev.map_or(0, |p| p.seq);
        export
            .snapshot
            .series
            .iter()
            .filter_map(|s| {
                let (before, since) = match self.acked.get(&s.id) {
                    // Only a partial delivery newer than the cursor overrides it.
                    Some(a) if a.seq > prev_seq => (Some(&a.series), a.taken_at),
                    _ => match prev.and_then(|p| p.series.get(s.id).map(|b| (b, p.taken_at))) {
                        Some((b, t)) => (Some(b), t),
                        None => (None, s.start),
                    },
                };
                let delta = Delta::between(s, before);
                delta.changed().then_some(PendingDelta { delta, since })
            })
            .collect()
    }

    /// Records that `series` of `export`'s snapshot reached the vendor although the
    /// export as a whole failed.
    pub(crate) fn ack<'s>(
        &mut self,
        export: &Export<'_>,
        series: impl IntoIterator<Item = &'s Series>,
    ) {
        for s in series {
            self.acked.insert(
                s.id,
                Acked {
                    seq: export.snapshot.seq,
                    taken_at: export.snapshot.taken_at,
                    series: s.clone(),
                },
            );
        }
    }

    /// Forgets partial deliveries: the pipeline cursor moves to this export's
    /// snapshot (it succeeded, or failed permanently).
    pub(crate) fn reset(&mut self) {
        self.acked.clear();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::sinks::testutil::{at, SnapBuilder};
    use crate::sinks::DeltaValue;
    use crate::snapshot::Value;

    fn snap(seq: u64, t: u64, a: f64, b: f64) -> std::sync::Arc<crate::Snapshot> {
        SnapBuilder::new(seq, at(t))
            .series("a", &[], Value::Counter(a), at(t))
            .series("b", &[], Value::Counter(b), at(t))
            .build()
    }

    fn counters(p: &[PendingDelta<'_>]) -> Vec<(usize, f64)> {
        p.iter()
            .map(|p| match p.delta.value {
                DeltaValue::Counter(d) => (p.delta.series.id, d),
                _ => (usize::MAX, 0.0),
            })
            .collect()
    }

    #[test]
    fn a_partial_delivery_is_neither_resent_nor_lost() {
        let mut c = PartialCursor::default();
        let s1 = snap(1, 10, 5.0, 5.0);
        // Export 2 fails after delivering series `a` only.
        let s2 = snap(2, 20, 8.0, 9.0);
        let e2 = Export {
            snapshot: &s2,
            previous: Some(&s1),
        };
        assert_eq!(counters(&c.changed(&e2)), vec![(0, 3.0), (1, 4.0)]);
        c.ack(&e2, [&s2.series[0]]);
        // Export 3 (cursor still at s1): `a` from s2, `b` from s1.
        let s3 = snap(3, 30, 10.0, 10.0);
        let e3 = Export {
            snapshot: &s3,
            previous: Some(&s1),
        };
        let p = c.changed(&e3);
        assert_eq!(counters(&p), vec![(0, 2.0), (1, 5.0)]);
        assert_eq!(p[0].since, at(20));
        assert_eq!(p[1].since, at(10));
        c.reset();
        // Once the cursor passes the partial delivery, it is ignored even if kept.
        c.ack(&e2, [&s2.series[0]]);
        let s4 = snap(4, 40, 11.0, 10.0);
        let e4 = Export {
            snapshot: &s4,
            previous: Some(&s3),
        };
        assert_eq!(counters(&c.changed(&e4)), vec![(0, 1.0)]);
    }
}
