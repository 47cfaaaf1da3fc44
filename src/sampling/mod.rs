//! Sampling: which events, spans and counts to keep, as pure functions over plain data.
//!
//! Nothing here reads a clock or does I/O (the one exception is
//! [`SplitMix64::from_entropy`], which reads the OS random source once when asked).
//!
//! # Rules
//!
//! * **Rates, most specific wins**: an operation rate (`chat.send`) beats a domain rate
//!   (`chat`), which beats the global rate. Production: `global_rate(0.1)` with
//!   `operation_rate("wallet.spend", 1.0)` and friends for critical operations.
//! * **Minimum level**: events below [`SamplingPolicy::min_level`] are dropped
//!   ([`DropReason::BelowMinLevel`]).
//! * **Keep errors**: [`Level::Error`] and [`Level::Critical`] events are always kept, at
//!   rate 1, whatever the rates say (can be turned off with `keep_errors(false)`).
//! * **Trace-consistent**: when a 128-bit trace id is given, the decision is a function of the
//!   trace id and the rate only ([`trace_keeps`]): every service that samples the same trace
//!   at the same rate agrees, and a trace kept at rate `r` is kept at every higher rate.
//!   Without a trace id the caller supplies 64 random bits (from [`SplitMix64`]).
//!
//! # Unbiased count scaling (the `StatsD` `@rate` rule)
//!
//! A counter increment `v` that was kept under sample rate `r` stands for `v / r`
//! ([`scale_count`]), exactly as a `StatsD` line `name:v|c|@r` is multiplied by `1/r` by the
//! server. Each increment is kept with probability `r`, so the expected scaled sum is
//! `Σ r · v/r = Σ v`: the estimate is unbiased, with variance `Σ v² (1 - r) / r`. Only the
//! scaled value (or the value plus its rate) may be aggregated; never mix scaled and unscaled
//! increments of one series. Gauges and timings are never scaled.
//!
//! # Where `Level` lives
//!
//! [`Level`] is defined here because sampling is its first consumer; telemetra re-exports it
//! at the crate root (`telemetra::Level`) and the `event` module uses that type.

mod rng;

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

pub use self::rng::{below_rate, mix64, SplitMix64};

/// Severity of an event, in increasing order.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    /// Diagnostic detail, off in production.
    Debug,
    /// Routine operations.
    #[default]
    Info,
    /// Something unexpected that did not fail the operation.
    Warn,
    /// A failed operation. Always kept by [`SamplingPolicy`] (unless `keep_errors(false)`).
    Error,
    /// A failure needing immediate attention. Always kept likewise.
    Critical,
}

impl Level {
    /// The wire spelling: `DEBUG`, `INFO`, `WARN`, `ERROR`, `CRITICAL`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
            Level::Critical => "CRITICAL",
        }
    }

    /// `Error` or `Critical`.
    #[must_use]
    pub const fn is_error(self) -> bool {
        matches!(self, Level::Error | Level::Critical)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = SamplingError;

    /// Case-insensitive; accepts `WARNING` for `WARN` and `FATAL` for `CRITICAL`.
    fn from_str(s: &str) -> Result<Level, SamplingError> {
        let eq = |w: &str| s.eq_ignore_ascii_case(w);
        if eq("debug") {
            Ok(Level::Debug)
        } else if eq("info") {
            Ok(Level::Info)
        } else if eq("warn") || eq("warning") {
            Ok(Level::Warn)
        } else if eq("error") {
            Ok(Level::Error)
        } else if eq("critical") || eq("fatal") {
            Ok(Level::Critical)
        } else {
            Err(SamplingError::UnknownLevel)
        }
    }
}

/// Why a sampling configuration was rejected. Messages are lowercase and name the field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SamplingError {
    /// A rate outside `0.0..=1.0` (or NaN).
    #[error("{field} must be within 0.0..=1.0, got {rate}")]
    InvalidRate {
        /// `global_rate`, `domain_rate(<domain>)` or `operation_rate(<operation>)`.
        field: String,
        /// The rejected rate.
        rate: f64,
    },
    /// A domain or operation rate with an empty name.
    #[error("{field} has an empty name")]
    EmptyName {
        /// `domain_rate` or `operation_rate`.
        field: &'static str,
    },
    /// A level name that is not DEBUG, INFO, WARN, ERROR or CRITICAL.
    #[error("level must be one of debug, info, warn, error, critical")]
    UnknownLevel,
}

/// Why an event was not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DropReason {
    /// Below the policy's minimum level.
    BelowMinLevel,
    /// Lost the draw at the applicable rate.
    SampledOut,
}

/// Outcome of one sampling decision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Keep it. `rate` is the probability it had of being kept (1.0 for errors): scale
    /// counts by `1 / rate` ([`scale_count`]) and record `rate` on the event.
    Keep {
        /// The sample rate the item was kept at, in `(0, 1]`.
        rate: f64,
    },
    /// Drop it, and count the drop under `reason`.
    Drop {
        /// Why it was dropped.
        reason: DropReason,
    },
}

impl Decision {
    /// Whether the item is kept.
    #[must_use]
    pub const fn is_keep(&self) -> bool {
        matches!(self, Decision::Keep { .. })
    }
}

/// Scales a counter value kept under sample rate `rate` to an unbiased estimate of the true
/// count: `value / rate` (`StatsD` `@rate`). Rates outside `(0, 1]` (and NaN) are treated as 1,
/// i.e. the value is returned unchanged.
#[must_use]
pub fn scale_count(value: f64, rate: f64) -> f64 {
    if rate > 0.0 && rate <= 1.0 {
        value / rate
    } else {
        value
    }
}

/// Trace-consistent decision: keeps the trace iff `mix(trace_id) < rate × 2^64`. Both 64-bit
/// halves of the id are mixed (`SplitMix64` finaliser), so ids whose randomness sits in either
/// half (W3C ids, or 64-bit ids zero-extended) sample evenly. Same id and rate give the same
/// answer in every process, and kept sets are nested across rates.
#[must_use]
pub fn trace_keeps(trace_id: u128, rate: f64) -> bool {
    below_rate(trace_hash(trace_id), rate)
}

/// The 64-bit value every trace-consistent decision compares with `rate × 2^64`: both
/// halves of the id mixed, so that ids whose bits are not uniformly random (UUIDs, whose
/// low half starts with the variant bits `10`; sequential ids) still sample at the rate.
/// Span sampling ([`crate::trace::Sampler`]) uses the same value, so at equal rates a
/// trace's spans and its events are kept or dropped together.
#[must_use]
pub fn trace_hash(trace_id: u128) -> u64 {
    // Truncation is the point: split the id into its two halves.
    #[allow(clippy::cast_possible_truncation)]
    let (hi, lo) = ((trace_id >> 64) as u64, trace_id as u64);
    mix64(lo ^ mix64(hi))
}

/// What a decision is about.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// Severity.
    pub level: Level,
    /// Domain (`chat`, `wallet`, …).
    pub domain: &'a str,
    /// Operation (`chat.send`, …).
    pub operation: &'a str,
    /// 128-bit trace id, when the item belongs to a trace.
    pub trace_id: Option<u128>,
}

/// Sampling rules: global, per-domain and per-operation rates, minimum level, keep-errors.
/// Build with [`SamplingPolicy::builder`]. Immutable and `Sync`; decisions take `&self`.
#[derive(Debug, Clone, PartialEq)]
pub struct SamplingPolicy {
    global: f64,
    domains: HashMap<String, f64>,
    operations: HashMap<String, f64>,
    min_level: Level,
    keep_errors: bool,
}

impl Default for SamplingPolicy {
    /// Keep everything at `INFO` and above.
    fn default() -> Self {
        SamplingPolicy {
            global: 1.0,
            domains: HashMap::new(),
            operations: HashMap::new(),
            min_level: Level::Info,
            keep_errors: true,
        }
    }
}

impl SamplingPolicy {
    /// Starts a builder (keep everything at `INFO` and above).
    #[must_use]
    pub fn builder() -> SamplingPolicyBuilder {
        SamplingPolicyBuilder::default()
    }

    /// The minimum level kept.
    #[must_use]
    pub fn min_level(&self) -> Level {
        self.min_level
    }

    /// The rate that applies: the operation's, else the domain's, else the global one.
    #[must_use]
    pub fn rate_for(&self, domain: &str, operation: &str) -> f64 {
        self.operations
            .get(operation)
            .or_else(|| self.domains.get(domain))
            .copied()
            .unwrap_or(self.global)
    }

    /// Decides for one item. `random` is 64 uniform bits from the caller's generator (e.g.
    /// [`SplitMix64::next_u64`]); it is ignored when the subject has a trace id.
    #[must_use]
    pub fn decide(&self, subject: &Subject<'_>, random: u64) -> Decision {
        if subject.level < self.min_level {
            return Decision::Drop {
                reason: DropReason::BelowMinLevel,
            };
        }
        if self.keep_errors && subject.level.is_error() {
            return Decision::Keep { rate: 1.0 };
        }
        let rate = self.rate_for(subject.domain, subject.operation);
        let keep = match subject.trace_id {
            Some(id) => trace_keeps(id, rate),
            None => below_rate(random, rate),
        };
        if keep {
            Decision::Keep { rate }
        } else {
            Decision::Drop {
                reason: DropReason::SampledOut,
            }
        }
    }
}

/// Builder for [`SamplingPolicy`]; setters are infallible, [`build`](Self::build) validates.
#[derive(Debug, Clone, Default)]
pub struct SamplingPolicyBuilder {
    global: Option<f64>,
    domains: Vec<(String, f64)>,
    operations: Vec<(String, f64)>,
    min_level: Option<Level>,
    keep_errors: Option<bool>,
}

impl SamplingPolicyBuilder {
    /// Rate for everything without a more specific rate. Defaults to 1.0.
    #[must_use]
    pub fn global_rate(mut self, rate: f64) -> Self {
        self.global = Some(rate);
        self
    }

    /// Rate for one domain (`chat`, `wallet`, …). Defaults to the global rate.
    #[must_use]
    pub fn domain_rate(mut self, domain: impl Into<String>, rate: f64) -> Self {
        self.domains.push((domain.into(), rate));
        self
    }

    /// Rate for one operation (`chat.send`, …); beats domain and global rates. Defaults to
    /// the domain rate.
    #[must_use]
    pub fn operation_rate(mut self, operation: impl Into<String>, rate: f64) -> Self {
        self.operations.push((operation.into(), rate));
        self
    }

    /// Events below this level are dropped. Defaults to [`Level::Info`].
    #[must_use]
    pub fn min_level(mut self, level: Level) -> Self {
        self.min_level = Some(level);
        self
    }

    /// Whether `ERROR` and `CRITICAL` events bypass the rates. Defaults to `true`.
    #[must_use]
    pub fn keep_errors(mut self, keep: bool) -> Self {
        self.keep_errors = Some(keep);
        self
    }

    /// Validates the rates and returns the policy.
    ///
    /// # Errors
    /// [`SamplingError::InvalidRate`] naming the rate at fault, or
    /// [`SamplingError::EmptyName`].
    pub fn build(self) -> Result<SamplingPolicy, SamplingError> {
        let check = |field: String, rate: f64| {
            if (0.0..=1.0).contains(&rate) {
                Ok(rate)
            } else {
                Err(SamplingError::InvalidRate { field, rate })
            }
        };
        let global = check("global_rate".to_owned(), self.global.unwrap_or(1.0))?;
        let mut domains = HashMap::new();
        for (name, rate) in self.domains {
            if name.is_empty() {
                return Err(SamplingError::EmptyName {
                    field: "domain_rate",
                });
            }
            let rate = check(format!("domain_rate({name})"), rate)?;
            domains.insert(name, rate);
        }
        let mut operations = HashMap::new();
        for (name, rate) in self.operations {
            if name.is_empty() {
                return Err(SamplingError::EmptyName {
                    field: "operation_rate",
                });
            }
            let rate = check(format!("operation_rate({name})"), rate)?;
            operations.insert(name, rate);
        }
        Ok(SamplingPolicy {
            global,
            domains,
            operations,
            min_level: self.min_level.unwrap_or(Level::Info),
            keep_errors: self.keep_errors.unwrap_or(true),
        })
    }
}

#[cfg(test)]
mod tests;
