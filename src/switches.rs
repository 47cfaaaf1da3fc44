//! Runtime kill switches: turn metrics collection, alert notification, cost tracking,
//! quotas and individual sinks off and on without a restart.
//!
//! # Design
//!
//! A [`Switches`] registry maps names to one shared `AtomicBool` each. Code on a hot path
//! resolves a [`Switch`] handle once (at registration time) and afterwards reads it with a
//! single relaxed atomic load — no lookup, no lock, no allocation. Control planes (an admin
//! endpoint, a config reload) flip switches by name through [`Switches::set`]; every
//! handle observes the change on its next read.
//!
//! The registry starts with the kill switches our services already use (see [`names`]),
//! all **on**. Sinks get one switch each, `sink.<name>`, registered with
//! [`Switches::sink`] or [`SwitchesBuilder::sink`]. Setting a name that was never
//! registered is an error, so a typo in an admin request cannot silently do nothing.
//!
//! Cloning a [`Switches`] or a [`Switch`] is one `Arc` increment.
//!
//! ```
//! use telemetra::switches::{names, Switches};
//!
//! # fn main() -> Result<(), telemetra::switches::SwitchError> {
//! let switches = Switches::builder().sink("datadog").build()?;
//! let collect = switches.metrics_collection(); // resolve once
//! assert!(collect.is_enabled()); // hot path: one relaxed load
//!
//! switches.set(names::METRICS_COLLECTION, false)?; // from an admin endpoint
//! assert!(!collect.is_enabled());
//! assert_eq!(switches.states()["sink.datadog"], true);
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use parking_lot::RwLock;

/// Names of the built-in kill switches, as used by the services today.
pub mod names {
    /// Global switch for alert notifications (all channels).
    pub const ALERTS_ENABLED: &str = "alerts.enabled";
    /// Slack notifications.
    pub const ALERTS_SLACK: &str = "alerts.slack";
    /// PagerDuty notifications.
    pub const ALERTS_PAGERDUTY: &str = "alerts.pagerduty";
    /// Whether SLO error-budget policy is enforced.
    pub const OPS_SLO_ENFORCED: &str = "ops.slo_enforced";
    /// Metrics collection as a whole.
    pub const METRICS_COLLECTION: &str = "ops.metrics_collection";
    /// Real-time token cost tracking.
    pub const COSTS_REALTIME_TRACKING: &str = "costs.realtime_tracking";
    /// Per-user quota enforcement.
    pub const QUOTAS_ENABLED: &str = "quotas.enabled";
    /// Prefix of per-sink switches: `sink.<name>`.
    pub const SINK_PREFIX: &str = "sink.";

    /// Every built-in switch name (sink switches excluded).
    pub const BUILT_IN: [&str; 7] = [
        ALERTS_ENABLED,
        ALERTS_SLACK,
        ALERTS_PAGERDUTY,
        OPS_SLO_ENFORCED,
        METRICS_COLLECTION,
        COSTS_REALTIME_TRACKING,
        QUOTAS_ENABLED,
    ];
}

/// Errors from the switch registry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SwitchError {
    /// A switch name was set or queried that was never registered.
    #[error("unknown switch `{0}`")]
    Unknown(String),
    /// A sink name is empty or contains characters other than `[a-z0-9_-]`.
    #[error("invalid sink name `{0}` for switch: use lowercase letters, digits, `_` or `-`")]
    InvalidSinkName(String),
}

/// One runtime switch: a pre-resolved handle to a shared flag.
///
/// Reading is a single relaxed atomic load; cloning is one `Arc` increment.
///
/// ```
/// use telemetra::switches::Switches;
///
/// let switches = Switches::new();
/// let alerts = switches.alerts();
/// alerts.disable();
/// assert!(!switches.alerts().is_enabled());
/// ```
#[derive(Clone)]
pub struct Switch {
    name: Arc<str>,
    flag: Arc<AtomicBool>,
}

impl Switch {
    /// Whether the switch is on.
    #[inline]
    #[must_use]
    pub fn is_enabled(&self) -> bool {
        // Relaxed: the flag publishes no other data, so readers need no happens-before edge
        // with the writer; a flip becomes visible to every thread promptly (cache coherence)
        // and a read racing a flip may see either value, which is acceptable for a switch.
        self.flag.load(Ordering::Relaxed)
    }

    /// Turns the switch on or off and returns the previous state.
    pub fn set(&self, enabled: bool) -> bool {
        // Relaxed: see `is_enabled`; the swap itself is atomic so concurrent setters
        // each observe a consistent previous value.
        self.flag.swap(enabled, Ordering::Relaxed)
    }

    /// Turns the switch on.
    pub fn enable(&self) {
        self.set(true);
    }

    /// Turns the switch off.
    pub fn disable(&self) {
        self.set(false);
    }

    /// The switch name, e.g. `alerts.slack` or `sink.datadog`.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Debug for Switch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Switch")
            .field("name", &self.name)
            .field("enabled", &self.is_enabled())
            .finish()
    }
}

/// The registry of runtime switches. Cheap to clone; all clones share state.
///
/// ```
/// use telemetra::switches::{names, Switches};
///
/// # fn main() -> Result<(), telemetra::switches::SwitchError> {
/// let switches = Switches::builder()
///     .initial(names::ALERTS_PAGERDUTY, false)
///     .build()?;
/// assert_eq!(switches.is_enabled(names::ALERTS_PAGERDUTY)?, false);
/// let json = serde_json::to_string(&switches.states()).unwrap_or_default();
/// assert!(json.contains("\"alerts.pagerduty\":false"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Switches {
    // Read-mostly: lookups by name take the read lock; only registering a new sink
    // switch takes the write lock. Hot paths never touch the map (they hold a `Switch`).
    map: Arc<RwLock<BTreeMap<String, Switch>>>,
}

impl Default for Switches {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Switches {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.states()).finish()
    }
}

impl Switches {
    /// A registry with every built-in switch on and no sink switches.
    #[must_use]
    pub fn new() -> Self {
        let mut map = BTreeMap::new();
        for name in names::BUILT_IN {
            map.insert(name.to_owned(), new_switch(name, true));
        }
        Self {
            map: Arc::new(RwLock::new(map)),
        }
    }

    /// Starts a builder for initial states and sink switches.
    #[must_use]
    pub fn builder() -> SwitchesBuilder {
        SwitchesBuilder::default()
    }

    /// The handle for a registered switch.
    ///
    /// # Errors
    /// [`SwitchError::Unknown`] if `name` was never registered.
    pub fn get(&self, name: &str) -> Result<Switch, SwitchError> {
        self.map
            .read()
            .get(name)
            .cloned()
            .ok_or_else(|| SwitchError::Unknown(name.to_owned()))
    }

    /// The handle for `sink.<sink>`, registering it (on) if needed.
    ///
    /// # Errors
    /// [`SwitchError::InvalidSinkName`] if `sink` is empty or not `[a-z0-9_-]+`.
    pub fn sink(&self, sink: &str) -> Result<Switch, SwitchError> {
        validate_sink(sink)?;
        let name = format!("{}{sink}", names::SINK_PREFIX);
        if let Some(found) = self.map.read().get(&name) {
            return Ok(found.clone());
        }
        let mut map = self.map.write();
        Ok(map
            .entry(name.clone())
            .or_insert_with(|| new_switch(&name, true))
            .clone())
    }

    /// Turns a registered switch on or off by name; returns its previous state.
    ///
    /// # Errors
    /// [`SwitchError::Unknown`] if `name` was never registered.
    pub fn set(&self, name: &str, enabled: bool) -> Result<bool, SwitchError> {
        Ok(self.get(name)?.set(enabled))
    }

    /// The current state of a registered switch (slow path: a map lookup).
    ///
    /// # Errors
    /// [`SwitchError::Unknown`] if `name` was never registered.
    pub fn is_enabled(&self, name: &str) -> Result<bool, SwitchError> {
        Ok(self.get(name)?.is_enabled())
    }

    /// Applies several states at once (e.g. from a JSON admin request), checking every name
    /// first so that an unknown name changes nothing.
    ///
    /// # Errors
    /// [`SwitchError::Unknown`] for the first name that was never registered.
    pub fn apply(&self, states: &BTreeMap<String, bool>) -> Result<(), SwitchError> {
        let map = self.map.read();
        let mut resolved = Vec::with_capacity(states.len());
        for (name, enabled) in states {
            let switch = map
                .get(name)
                .ok_or_else(|| SwitchError::Unknown(name.clone()))?;
            resolved.push((switch, *enabled));
        }
        for (switch, enabled) in resolved {
            switch.set(enabled);
        }
        Ok(())
    }

    /// Every switch and its state, sorted by name; serializes to a JSON object such as
    /// `{"alerts.enabled":true,…}` for the internal health view.
    #[must_use]
    pub fn states(&self) -> BTreeMap<String, bool> {
        self.map
            .read()
            .iter()
            .map(|(name, switch)| (name.clone(), switch.is_enabled()))
            .collect()
    }

    /// `alerts.enabled`.
    #[must_use]
    pub fn alerts(&self) -> Switch {
        self.built_in(names::ALERTS_ENABLED)
    }

    /// `alerts.slack`.
    #[must_use]
    pub fn alerts_slack(&self) -> Switch {
        self.built_in(names::ALERTS_SLACK)
    }

    /// `alerts.pagerduty`.
    #[must_use]
    pub fn alerts_pagerduty(&self) -> Switch {
        self.built_in(names::ALERTS_PAGERDUTY)
    }

    /// `ops.slo_enforced`.
    #[must_use]
    pub fn slo_enforced(&self) -> Switch {
        self.built_in(names::OPS_SLO_ENFORCED)
    }

    /// `ops.metrics_collection`.
    #[must_use]
    pub fn metrics_collection(&self) -> Switch {
        self.built_in(names::METRICS_COLLECTION)
    }

    /// `costs.realtime_tracking`.
    #[must_use]
    pub fn cost_tracking(&self) -> Switch {
        self.built_in(names::COSTS_REALTIME_TRACKING)
    }

    /// `quotas.enabled`.
    #[must_use]
    pub fn quotas(&self) -> Switch {
        self.built_in(names::QUOTAS_ENABLED)
    }

    fn built_in(&self, name: &'static str) -> Switch {
        // Built-in switches are inserted by every constructor and never removed; the
        // fallback only exists so that this cannot panic.
        self.map
            .read()
            .get(name)
            .cloned()
            .unwrap_or_else(|| new_switch(name, true))
    }
}

/// Builder for [`Switches`]: initial states and sink switches.
#[derive(Debug, Default, Clone)]
pub struct SwitchesBuilder {
    initial: Vec<(String, bool)>,
    sinks: Vec<String>,
}

impl SwitchesBuilder {
    /// Sets the initial state of a built-in or sink switch (`sink.<name>` registers the
    /// sink). Defaults to every switch on.
    #[must_use]
    pub fn initial(mut self, name: &str, enabled: bool) -> Self {
        self.initial.push((name.to_owned(), enabled));
        self
    }

    /// Registers the switch `sink.<name>`, initially on. Defaults to no sink switches.
    #[must_use]
    pub fn sink(mut self, name: &str) -> Self {
        self.sinks.push(name.to_owned());
        self
    }

    /// Builds the registry.
    ///
    /// # Errors
    /// [`SwitchError::InvalidSinkName`] for a bad sink name, [`SwitchError::Unknown`] for an
    /// initial state naming neither a built-in switch nor `sink.<name>`.
    pub fn build(self) -> Result<Switches, SwitchError> {
        let switches = Switches::new();
        for sink in &self.sinks {
            switches.sink(sink)?;
        }
        for (name, enabled) in &self.initial {
            if let Some(sink) = name.strip_prefix(names::SINK_PREFIX) {
                switches.sink(sink)?.set(*enabled);
            } else {
                switches.set(name, *enabled)?;
            }
        }
        Ok(switches)
    }
}

fn new_switch(name: &str, enabled: bool) -> Switch {
    Switch {
        name: Arc::from(name),
        flag: Arc::new(AtomicBool::new(enabled)),
    }
}

/// A registry shared by every no-op [`Telemetry`](crate::Telemetry) handle.
pub(crate) fn detached() -> &'static Switches {
    static DETACHED: std::sync::OnceLock<Switches> = std::sync::OnceLock::new();
    DETACHED.get_or_init(Switches::new)
}

/// Whether `sink` can name a sink switch (`[a-z0-9_-]{1,64}`).
pub(crate) fn valid_sink_name(sink: &str) -> bool {
    !sink.is_empty()
        && sink.len() <= 64
        && sink
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fn validate_sink(sink: &str) -> Result<(), SwitchError> {
    if valid_sink_name(sink) {
        Ok(())
    } else {
        Err(SwitchError::InvalidSinkName(sink.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn built_ins_start_on() {
        let s = Switches::new();
        for name in names::BUILT_IN {
            assert!(s.is_enabled(name).unwrap(), "{name}");
        }
    }

    #[test]
    fn handles_see_flips_from_any_clone() {
        let s = Switches::new();
        let h = s.quotas();
        let other = s.clone();
        other.set(names::QUOTAS_ENABLED, false).unwrap();
        assert!(!h.is_enabled());
        assert!(other
            .set(names::QUOTAS_ENABLED, true)
            .is_ok_and(|prev| !prev));
        assert!(h.is_enabled());
    }

    #[test]
    fn unknown_names_are_rejected() {
        let s = Switches::new();
        assert_eq!(
            s.set("alerts.slak", false),
            Err(SwitchError::Unknown("alerts.slak".into()))
        );
        assert!(s.sink("Bad Name").is_err());
        assert!(Switches::builder().initial("nope", true).build().is_err());
    }

    #[test]
    fn sinks_register_once_and_list_as_json() {
        let s = Switches::builder()
            .sink("gcp")
            .initial("sink.datadog", false)
            .build()
            .unwrap();
        let a = s.sink("gcp").unwrap();
        a.disable();
        assert!(!s.sink("gcp").unwrap().is_enabled());
        let json = serde_json::to_value(s.states()).unwrap();
        assert_eq!(json["sink.gcp"], false);
        assert_eq!(json["sink.datadog"], false);
        assert_eq!(json["alerts.enabled"], true);
    }

    #[test]
    fn apply_is_all_or_nothing() {
        let s = Switches::new();
        let mut req = BTreeMap::new();
        req.insert(names::ALERTS_SLACK.to_owned(), false);
        req.insert("nope".to_owned(), false);
        assert!(s.apply(&req).is_err());
        assert!(s.alerts_slack().is_enabled());
        req.remove("nope");
        s.apply(&req).unwrap();
        assert!(!s.alerts_slack().is_enabled());
    }
}
