//! Bounded windowed good/total counts: per-minute buckets for the last 24 hours, per-hour
//! buckets for the last 35 days and per-day buckets for the last 400 days, each in a fixed
//! ring. Memory is fixed (about 65 KiB) and independent of traffic.
//!
//! A window query sums whole buckets that end after `now - window`, including the current
//! (partial) bucket: windows up to 24 h resolve to the minute, up to 35 d to the hour, longer
//! ones (a 365-day SLO) to the day (UTC). A 30-day rolling window therefore covers between
//! 29 d 23 h and 30 d of events, a 365-day one between 364 d and 365 d; calendar months and
//! weeks start on an hour boundary, so they are exact.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::time::Duration;

/// Minutes kept at minute resolution (24 h).
pub const FINE_MINUTES: usize = 24 * 60;
/// Hours kept at hour resolution (35 d).
pub const COARSE_HOURS: usize = 35 * 24;
/// Days kept at day resolution (400 d: a 365-day window with room).
pub const DAILY_DAYS: usize = 400;

/// Good and total event counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Good events.
    pub good: u64,
    /// All events.
    pub total: u64,
}

impl Counts {
    /// `total - good` (0 if `good > total`).
    pub fn bad(&self) -> u64 {
        self.total.saturating_sub(self.good)
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct Bucket {
    index: i64,
    counts: Counts,
}

#[derive(Clone, Debug)]
struct Ring {
    width_secs: i64,
    buckets: Vec<Bucket>,
    newest: i64,
}

impl Ring {
    fn new(width_secs: i64, len: usize) -> Self {
        // Index i64::MIN marks an empty slot.
        let empty = Bucket {
            index: i64::MIN,
            counts: Counts::default(),
        };
        Self {
            width_secs,
            buckets: vec![empty; len + 1],
            newest: i64::MIN,
        }
    }

    fn slot(&self, index: i64) -> usize {
        let len = i64::try_from(self.buckets.len()).unwrap_or(i64::MAX);
        usize::try_from(index.rem_euclid(len)).unwrap_or(0)
    }

    fn add(&mut self, ts: i64, good: u64, total: u64) {
        let index = ts.div_euclid(self.width_secs);
        let span = i64::try_from(self.buckets.len()).unwrap_or(i64::MAX);
        if self.newest != i64::MIN && index <= self.newest - span {
            return; // older than the ring: dropped
        }
        let slot = self.slot(index);
        if let Some(b) = self.buckets.get_mut(slot) {
            if b.index != index {
                if b.index > index {
                    return; // the slot already holds newer data
                }
                *b = Bucket {
                    index,
                    counts: Counts::default(),
                };
            }
            b.counts.good = b.counts.good.saturating_add(good);
            b.counts.total = b.counts.total.saturating_add(total);
        }
        self.newest = self.newest.max(index);
    }

    /// Sum of buckets with `first <= index <= last`.
    fn sum(&self, first: i64, last: i64) -> Counts {
        let mut out = Counts::default();
        for b in &self.buckets {
            if b.index >= first && b.index <= last {
                out.good = out.good.saturating_add(b.counts.good);
                out.total = out.total.saturating_add(b.counts.total);
            }
        }
        out
    }

    fn span_secs(&self) -> i64 {
        // One slot is the partial current bucket.
        self.width_secs * (i64::try_from(self.buckets.len()).unwrap_or(1) - 1)
    }
}

/// Windowed good/total counts in two fixed rings (see the module docs).
#[derive(Clone, Debug)]
pub struct WindowStore {
    fine: Ring,
    coarse: Ring,
    daily: Ring,
}

impl Default for WindowStore {
    fn default() -> Self {
        Self::new()
    }
}

impl WindowStore {
    /// An empty store.
    pub fn new() -> Self {
        Self {
            fine: Ring::new(60, FINE_MINUTES),
            coarse: Ring::new(3600, COARSE_HOURS),
            daily: Ring::new(86_400, DAILY_DAYS),
        }
    }

    /// Adds `good` of `total` events observed at `at`. Events older than the rings are dropped.
    pub fn record(&mut self, at: DateTime<Utc>, good: u64, total: u64) {
        let ts = at.timestamp();
        self.fine.add(ts, good.min(total), total);
        self.coarse.add(ts, good.min(total), total);
        self.daily.add(ts, good.min(total), total);
    }

    /// The finest ring that spans `secs`.
    fn ring_for(&self, secs: i64) -> &Ring {
        if secs <= self.fine.span_secs() {
            &self.fine
        } else if secs <= self.coarse.span_secs() {
            &self.coarse
        } else {
            &self.daily
        }
    }

    /// Counts over the `window` ending at `now` (whole buckets, current one included).
    pub fn counts_last(&self, now: DateTime<Utc>, window: Duration) -> Counts {
        let w = i64::try_from(window.as_secs()).unwrap_or(i64::MAX);
        let ring = self.ring_for(w);
        let n = w.saturating_add(ring.width_secs - 1) / ring.width_secs; // buckets, rounded up
        let last = now.timestamp().div_euclid(ring.width_secs);
        ring.sum(last - n.max(1) + 1, last)
    }

    /// Counts from `start` (its bucket included) up to `now`.
    pub fn counts_since(&self, now: DateTime<Utc>, start: DateTime<Utc>) -> Counts {
        let span = now.timestamp() - start.timestamp();
        let ring = self.ring_for(span);
        let first = start.timestamp().div_euclid(ring.width_secs);
        let last = now.timestamp().div_euclid(ring.width_secs);
        ring.sum(first, last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 - 1_700_000_000 % 86_400 + secs, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn windows_sum_whole_buckets() {
        let mut s = WindowStore::new();
        for minute in 0..120 {
            s.record(at(minute * 60 + 5), 9, 10);
        }
        let now = at(119 * 60 + 30);
        assert_eq!(
            s.counts_last(now, Duration::from_secs(300)),
            Counts {
                good: 45,
                total: 50
            }
        );
        assert_eq!(s.counts_last(now, Duration::from_secs(3600)).total, 600);
        assert_eq!(
            s.counts_last(now, Duration::from_secs(3 * 86_400)).total,
            1200
        );
        assert_eq!(s.counts_since(now, at(3600)).total, 600);
        assert_eq!(s.counts_since(now, at(0)).bad(), 120);
    }

    #[test]
    fn memory_is_bounded_and_old_data_expires() {
        let mut s = WindowStore::new();
        for hour in 0..(40 * 24) {
            s.record(at(hour * 3600), 1, 1);
        }
        let now = at(40 * 24 * 3600 - 1);
        assert_eq!(
            s.counts_last(now, Duration::from_secs(30 * 86_400)).total,
            720
        );
        assert_eq!(s.counts_last(now, Duration::from_secs(3600)).total, 1);
        // Too old for the hourly ring: a 35-day query does not see it, the daily ring does.
        s.record(at(0), 5, 5);
        assert_eq!(s.counts_since(now, at(5 * 86_400)).total, 35 * 24);
        assert_eq!(s.counts_since(now, at(0)).total, 40 * 24 + 5);
    }

    #[test]
    fn a_year_long_window_resolves_to_the_day() {
        let mut s = WindowStore::new();
        // One bad and nine good events at noon every day for 420 days.
        for day in 0..420 {
            s.record(at(day * 86_400 + 43_200), 9, 10);
        }
        let now = at(419 * 86_400 + 50_000);
        // 365 days: today's partial bucket and the 364 before it.
        let year = s.counts_last(now, Duration::from_secs(365 * 86_400));
        assert_eq!(
            year,
            Counts {
                good: 365 * 9,
                total: 365 * 10
            }
        );
        // 400 days is the ring's length; older days are gone.
        assert_eq!(
            s.counts_last(now, Duration::from_secs(500 * 86_400)).total,
            4010
        );
        // 36 days needs the daily ring too.
        assert_eq!(
            s.counts_last(now, Duration::from_secs(36 * 86_400)).total,
            360
        );
    }
}
