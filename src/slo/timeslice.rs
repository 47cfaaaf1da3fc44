//! Time-slice budgeting (OpenSLO `Timeslices` and `RatioTimeslices`; Google's "good minutes").
//!
//! Instead of counting good events, the compliance window is cut into fixed slices (say one
//! minute) and the budget counts slices:
//!
//! - **Timeslices**: a slice is good when its ratio of good events is at least
//!   `slice_target` (for a latency SLO: when at least `slice_target` of its events were under
//!   the threshold, i.e. its `slice_target` quantile meets the threshold). The SLI is good
//!   slices / slices, and `B = 1 - target` is the share of slices allowed to be bad: 14 days of
//!   1-minute slices at 95% allow 1008 bad slices (16 h 48 min).
//! - **RatioTimeslices**: the SLI is the mean of the slices' ratios, each slice weighing the
//!   same whatever its traffic.
//!
//! A slice without events counts neither way (no data). The budget, burn rates, burn alerts
//! and status then come from the same exact functions as for events, applied to slice counts:
//! for `Timeslices` the counts are whole slices; for `RatioTimeslices` each slice adds
//! `10^9` to the total and its ratio in billionths (rounded down) to the good count, so a
//! ratio is exact to `1e-9` per slice.
//!
//! Burn rates over a short window see only the slices completed in it (a 5-minute window holds
//! five 1-minute slices), and a slice counts from the moment it is complete.

use super::burn::FactorSpec;
use super::duration::{format_duration, parse_duration};
use super::store::{Counts, WindowStore};
use super::target::Fraction;
use super::SloError;
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize, Serializer};
use std::time::Duration;

/// Scale of a slice's ratio under [`BudgetingMethod::RatioTimeslices`] (billionths).
pub const RATIO_SCALE: u64 = 1_000_000_000;

/// What an SLO's budget counts (OpenSLO `budgetingMethod`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BudgetingMethod {
    /// Good events / events (the default).
    #[default]
    Occurrences,
    /// Good slices / slices; a slice is good when its ratio is at least `slice_target`.
    Timeslices {
        /// Slice length (whole minutes).
        slice: Duration,
        /// The ratio a slice must reach to be good, in `(0, 1]`.
        slice_target: Fraction,
    },
    /// The mean of the slices' ratios.
    RatioTimeslices {
        /// Slice length (whole minutes).
        slice: Duration,
    },
}

impl BudgetingMethod {
    /// The slice length, `None` for occurrences.
    pub fn slice(&self) -> Option<Duration> {
        match *self {
            Self::Occurrences => None,
            Self::Timeslices { slice, .. } | Self::RatioTimeslices { slice } => Some(slice),
        }
    }

    /// What one complete slice with `counts` adds to the budget's good/total counts (nothing
    /// for an empty slice or for occurrences).
    pub fn slice_contribution(&self, counts: Counts) -> Counts {
        if counts.total == 0 {
            return Counts::default();
        }
        let good = counts.good.min(counts.total);
        match *self {
            Self::Occurrences => Counts::default(),
            Self::Timeslices { slice_target, .. } => {
                // good / total >= n / d  <=>  good * d >= n * total (d > 0).
                let met = slice_target.cmp_ratio(i128::from(good), i128::from(counts.total))
                    != std::cmp::Ordering::Greater;
                Counts {
                    good: u64::from(met),
                    total: 1,
                }
            }
            Self::RatioTimeslices { .. } => {
                let scaled = u128::from(good) * u128::from(RATIO_SCALE) / u128::from(counts.total);
                Counts {
                    good: u64::try_from(scaled).unwrap_or(RATIO_SCALE),
                    total: RATIO_SCALE,
                }
            }
        }
    }

    /// The budget's good/total counts for a list of complete slices (pure; for tests and
    /// offline computations).
    pub fn budget_counts(&self, slices: &[Counts]) -> Counts {
        slices.iter().fold(Counts::default(), |acc, s| {
            let c = self.slice_contribution(*s);
            Counts {
                good: acc.good.saturating_add(c.good),
                total: acc.total.saturating_add(c.total),
            }
        })
    }
}

impl Serialize for BudgetingMethod {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        match self {
            Self::Occurrences => m.serialize_entry("method", "occurrences")?,
            Self::Timeslices {
                slice,
                slice_target,
            } => {
                m.serialize_entry("method", "timeslices")?;
                m.serialize_entry("slice", &format_duration(*slice))?;
                m.serialize_entry("slice_target", &slice_target.to_exact_string())?;
            }
            Self::RatioTimeslices { slice } => {
                m.serialize_entry("method", "ratio_timeslices")?;
                m.serialize_entry("slice", &format_duration(*slice))?;
            }
        }
        m.end()
    }
}

/// A tracker's slices: the open one and the budget counts of the complete ones.
#[derive(Clone, Debug)]
pub(crate) struct SliceState {
    method: BudgetingMethod,
    slice_secs: i64,
    open: Option<(i64, Counts)>,
    store: WindowStore,
    /// Events that arrived for an already closed slice (not counted in the slices).
    pub(crate) late: u64,
}

impl SliceState {
    pub(crate) fn new(method: BudgetingMethod) -> Option<Self> {
        let secs = i64::try_from(method.slice()?.as_secs()).ok()?.max(1);
        Some(Self {
            method,
            slice_secs: secs,
            open: None,
            store: WindowStore::new(),
            late: 0,
        })
    }

    fn start(&self, index: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(index.saturating_mul(self.slice_secs), 0)
            .single()
            .unwrap_or_default()
    }

    fn close(&mut self, index: i64, counts: Counts) {
        let c = self.method.slice_contribution(counts);
        if c.total > 0 {
            let at = self.start(index);
            self.store.record(at, c.good, c.total);
        }
    }

    pub(crate) fn record(&mut self, at: DateTime<Utc>, good: u64, total: u64) {
        let index = at.timestamp().div_euclid(self.slice_secs);
        match &mut self.open {
            Some((open, counts)) if *open == index => {
                counts.good = counts.good.saturating_add(good.min(total));
                counts.total = counts.total.saturating_add(total);
            }
            Some((open, _)) if *open > index => self.late = self.late.saturating_add(total),
            _ => {
                if let Some((open, counts)) = self.open.take() {
                    self.close(open, counts);
                }
                let counts = Counts {
                    good: good.min(total),
                    total,
                };
                self.open = Some((index, counts));
            }
        }
    }

    /// The slice store as of `now`: the open slice is included once it is complete.
    pub(crate) fn store_at(&self, now: DateTime<Utc>) -> std::borrow::Cow<'_, WindowStore> {
        match self.open {
            Some((index, counts))
                if (index + 1).saturating_mul(self.slice_secs) <= now.timestamp() =>
            {
                let mut store = self.store.clone();
                let c = self.method.slice_contribution(counts);
                store.record(self.start(index), c.good, c.total);
                std::borrow::Cow::Owned(store)
            }
            _ => std::borrow::Cow::Borrowed(&self.store),
        }
    }
}

/// JSON shape of a budgeting method.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetingSpec {
    /// `occurrences`, `timeslices` or `ratio_timeslices`.
    pub method: String,
    /// Slice length for the time-slice methods, whole minutes up to 1d (`"1m"`).
    #[serde(default)]
    pub slice: Option<String>,
    /// For `timeslices`: the ratio a slice must reach, in `(0, 1]` (`0.99` or `"0.99"`).
    #[serde(default)]
    pub slice_target: Option<FactorSpec>,
}

impl BudgetingSpec {
    pub(crate) fn validate(self, prefix: &str) -> Result<BudgetingMethod, SloError> {
        let field = |f: &str| format!("{prefix}budgeting.{f}");
        let slice = || {
            self.slice
                .as_deref()
                .ok_or_else(|| SloError::invalid(field("slice"), "is required"))
                .and_then(|text| {
                    parse_duration(text)
                        .ok()
                        .filter(|d| {
                            d.as_secs() >= 60
                                && d.as_millis() % 60_000 == 0
                                && d.as_secs() <= 86_400
                        })
                        .ok_or_else(|| {
                            SloError::invalid(field("slice"), "must be whole minutes from 1m to 1d")
                        })
                })
        };
        match self.method.as_str() {
            "occurrences" => Ok(BudgetingMethod::Occurrences),
            "ratio_timeslices" => Ok(BudgetingMethod::RatioTimeslices { slice: slice()? }),
            "timeslices" => {
                let slice = slice()?;
                let target = self
                    .slice_target
                    .as_ref()
                    .ok_or_else(|| SloError::invalid(field("slice_target"), "is required"))?
                    .to_exact()
                    .map_err(|r| SloError::invalid(field("slice_target"), r))?;
                if target <= Fraction::zero() || target > Fraction::one() {
                    return Err(SloError::invalid(
                        field("slice_target"),
                        "must be above 0 and at most 1",
                    ));
                }
                Ok(BudgetingMethod::Timeslices {
                    slice,
                    slice_target: target,
                })
            }
            _ => Err(SloError::invalid(
                field("method"),
                "must be occurrences, timeslices or ratio_timeslices",
            )),
        }
    }
}

impl From<BudgetingMethod> for BudgetingSpec {
    fn from(m: BudgetingMethod) -> Self {
        let (method, slice, slice_target) = match m {
            BudgetingMethod::Occurrences => ("occurrences", None, None),
            BudgetingMethod::Timeslices {
                slice,
                slice_target,
            } => (
                "timeslices",
                Some(slice),
                Some(FactorSpec::Text(slice_target.to_exact_string())),
            ),
            BudgetingMethod::RatioTimeslices { slice } => ("ratio_timeslices", Some(slice), None),
        };
        Self {
            method: method.to_owned(),
            slice: slice.map(format_duration),
            slice_target,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_are_judged_exactly() {
        let minute = Duration::from_secs(60);
        let ts = BudgetingMethod::Timeslices {
            slice: minute,
            slice_target: Fraction::new(99, 100),
        };
        let c = |good, total| Counts { good, total };
        // Exactly 99% is good (at least the slice target); 98.9% is not; empty is no slice.
        assert_eq!(ts.slice_contribution(c(990, 1000)), c(1, 1));
        assert_eq!(ts.slice_contribution(c(989, 1000)), c(0, 1));
        assert_eq!(ts.slice_contribution(c(0, 0)), c(0, 0));
        let ratio = BudgetingMethod::RatioTimeslices { slice: minute };
        // 2/3 in billionths, rounded down.
        assert_eq!(
            ratio.slice_contribution(c(2, 3)),
            c(666_666_666, RATIO_SCALE)
        );
        // OpenSLO's example: 14 days of 1-minute slices at 95% allow 1008 bad slices.
        let slices = vec![c(1, 1); 14 * 24 * 60];
        let counts = ts.budget_counts(&slices);
        let target = super::super::Target::from_ppm(950_000).unwrap_or_else(|| unreachable!());
        let budget = super::super::ErrorBudget::from_counts(target, counts.good, counts.total);
        assert_eq!(budget.allowed_bad, Fraction::new(1008, 1));
    }
}
