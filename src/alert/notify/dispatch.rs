//! Delivery: retries with exponential backoff, isolation per notifier, kill switches.

use super::{Channel, HttpPost, HttpResponse, Notifier};
use crate::alert::event::AlertEvent;
use crate::alert::AlertError;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Retry settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, including the first. Defaults to 4.
    pub max_attempts: u32,
    /// Delay before the first retry. Defaults to 500 ms.
    pub base_delay: Duration,
    /// Largest delay (also caps `Retry-After`). Defaults to 30 s.
    pub max_delay: Duration,
    /// Equal jitter: the delay is drawn from `[d/2, d]`. Defaults to true.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            jitter: true,
        }
    }
}

/// Delay before retry number `attempt + 1` (attempt 0 = after the first failure):
/// `min(max_delay, base * 2^attempt)`, with equal jitter from `jitter_seed` when enabled, and
/// at least `retry_after` (capped at `max_delay`). Pure: the seed replaces a random source.
pub fn backoff_delay(
    policy: &RetryPolicy,
    attempt: u32,
    retry_after: Option<Duration>,
    jitter_seed: u64,
) -> Duration {
    let factor = 1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX);
    let exp = policy
        .base_delay
        .saturating_mul(factor)
        .min(policy.max_delay);
    let delay = if policy.jitter {
        let half = exp / 2;
        let span = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX).max(1);
        // splitmix64 step so consecutive seeds spread out.
        let mut z = jitter_seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        half + Duration::from_nanos(z % (span + 1))
    } else {
        exp
    };
    match retry_after {
        Some(ra) => delay.max(ra.min(policy.max_delay)),
        None => delay,
    }
}

/// The result of one event on one notifier.
#[derive(Debug)]
pub struct DeliveryOutcome {
    /// The channel.
    pub channel: Channel,
    /// The event.
    pub event_id: u64,
    /// Attempts made.
    pub attempts: u32,
    /// Delivered, or why not.
    pub result: Result<(), AlertError>,
}

/// What one [`Dispatcher::dispatch`] call did.
#[derive(Debug, Default)]
pub struct DispatchReport {
    /// One entry per (notifier, accepted event).
    pub outcomes: Vec<DeliveryOutcome>,
    /// Deliveries skipped by the global or a channel kill switch.
    pub suppressed: usize,
}

impl DispatchReport {
    /// Number of successful deliveries.
    pub fn delivered(&self) -> usize {
        self.outcomes.iter().filter(|o| o.result.is_ok()).count()
    }
}

type Sleeper = Arc<dyn Fn(Duration) + Send + Sync>;

/// Sends alert events to notifiers (see the module docs).
pub struct Dispatcher {
    transport: Arc<dyn HttpPost>,
    notifiers: Vec<Arc<dyn Notifier>>,
    policy: RetryPolicy,
    sleeper: Sleeper,
    enabled: AtomicBool,
    channels: [AtomicBool; 4],
    delivered: AtomicU64,
    failed: AtomicU64,
}

impl fmt::Debug for Dispatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dispatcher")
            .field("notifiers", &self.notifiers)
            .field("policy", &self.policy)
            .field("enabled", &self.enabled)
            .finish_non_exhaustive()
    }
}

impl Dispatcher {
    /// A dispatcher over `transport` with no notifiers, the default retry policy, everything
    /// enabled and `std::thread::sleep` between retries.
    pub fn new(transport: Arc<dyn HttpPost>) -> Self {
        Self {
            transport,
            notifiers: Vec::new(),
            policy: RetryPolicy::default(),
            sleeper: Arc::new(std::thread::sleep),
            enabled: AtomicBool::new(true),
            channels: [(); 4].map(|()| AtomicBool::new(true)),
            delivered: AtomicU64::new(0),
            failed: AtomicU64::new(0),
        }
    }

    /// Adds a notifier. Defaults to none.
    pub fn notifier(mut self, notifier: impl Notifier + 'static) -> Self {
        self.notifiers.push(Arc::new(notifier));
        self
    }

    /// Retry policy. Defaults to [`RetryPolicy::default`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// How to wait between retries (tests inject a recorder). Defaults to `std::thread::sleep`.
    pub fn sleeper(mut self, sleeper: impl Fn(Duration) + Send + Sync + 'static) -> Self {
        self.sleeper = Arc::new(sleeper);
        self
    }

    /// Global kill switch (`alerts.enabled`).
    pub fn set_enabled(&self, enabled: bool) {
        // Relaxed: a switch read at the start of the next dispatch is all that is promised.
        self.enabled.store(enabled, Ordering::Relaxed);
    }

    /// Per-channel switch (`alerts.slack`, `alerts.pagerduty`, ...).
    pub fn set_channel_enabled(&self, channel: Channel, enabled: bool) {
        if let Some(flag) = self.channels.get(channel.index()) {
            // Relaxed: independent flag, no data published with it.
            flag.store(enabled, Ordering::Relaxed);
        }
    }

    /// Applies a switch by its configuration key (`alerts.enabled`, `alerts.<channel>`);
    /// false for an unknown key.
    pub fn apply_switch(&self, key: &str, enabled: bool) -> bool {
        if key == "alerts.enabled" {
            self.set_enabled(enabled);
            return true;
        }
        let channel = Channel::ALL
            .into_iter()
            .find(|c| key.strip_prefix("alerts.") == Some(c.as_str()));
        channel
            .map(|c| self.set_channel_enabled(c, enabled))
            .is_some()
    }

    fn channel_on(&self, channel: Channel) -> bool {
        self.channels
            .get(channel.index())
            .is_some_and(|f| f.load(Ordering::Relaxed))
    }

    /// Total deliveries that succeeded and failed since creation.
    pub fn counters(&self) -> (u64, u64) {
        (
            self.delivered.load(Ordering::Relaxed),
            self.failed.load(Ordering::Relaxed),
        )
    }

    /// Delivers `events` to every accepting notifier. Each notifier runs on its own scoped
    /// thread, so one failing, slow or panicking notifier does not hold up the others beyond
    /// this call. Returns when every notifier is done (bounded by the retry policy).
    pub fn dispatch(&self, events: &[AlertEvent]) -> DispatchReport {
        let mut report = DispatchReport::default();
        if events.is_empty() {
            return report;
        }
        if !self.enabled.load(Ordering::Relaxed) {
            report.suppressed = events.len() * self.notifiers.len();
            return report;
        }
        let mut active: Vec<&Arc<dyn Notifier>> = Vec::new();
        for n in &self.notifiers {
            if self.channel_on(n.channel()) {
                active.push(n);
            } else {
                report.suppressed += events.iter().filter(|e| n.accepts(e)).count();
            }
        }
        std::thread::scope(|scope| {
            let handles: Vec<_> = active
                .iter()
                .map(|n| {
                    let channel = n.channel();
                    (
                        channel,
                        scope.spawn(move || self.run_notifier(n.as_ref(), events)),
                    )
                })
                .collect();
            for (channel, handle) in handles {
                match handle.join() {
                    Ok(outcomes) => report.outcomes.extend(outcomes),
                    Err(_) => report.outcomes.push(DeliveryOutcome {
                        channel,
                        event_id: 0,
                        attempts: 0,
                        result: Err(AlertError::NotifierPanicked {
                            channel: channel.as_str(),
                        }),
                    }),
                }
            }
        });
        for o in &report.outcomes {
            let counter = if o.result.is_ok() {
                &self.delivered
            } else {
                &self.failed
            };
            counter.fetch_add(1, Ordering::Relaxed);
        }
        report
    }

    fn run_notifier(&self, notifier: &dyn Notifier, events: &[AlertEvent]) -> Vec<DeliveryOutcome> {
        events
            .iter()
            .filter(|e| notifier.accepts(e))
            .map(|e| {
                let (attempts, result) = self.deliver(notifier, e);
                DeliveryOutcome {
                    channel: notifier.channel(),
                    event_id: e.id,
                    attempts,
                    result,
                }
            })
            .collect()
    }

    fn deliver(
        &self,
        notifier: &dyn Notifier,
        event: &AlertEvent,
    ) -> (u32, Result<(), AlertError>) {
        let channel = notifier.channel().as_str();
        let request = match notifier.request(event) {
            Ok(r) => r,
            Err(e) => return (0, Err(e)),
        };
        let headers: Vec<(&str, &str)> = request
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let max = self.policy.max_attempts.max(1);
        let mut last = AlertError::Delivery {
            channel,
            reason: "not attempted".to_owned(),
        };
        for attempt in 0..max {
            let mut retry_after = None;
            match self
                .transport
                .post(request.url.expose(), &headers, &request.body)
            {
                Ok(resp) if notifier.delivered(&resp) => return (attempt + 1, Ok(())),
                Ok(resp) if !retryable(&resp) => {
                    return (
                        attempt + 1,
                        Err(AlertError::Delivery {
                            channel,
                            reason: format!("rejected with status {}", resp.status),
                        }),
                    )
                }
                Ok(resp) => {
                    retry_after = resp.retry_after;
                    last = AlertError::Delivery {
                        channel,
                        reason: format!("status {} after {} attempts", resp.status, attempt + 1),
                    };
                }
                Err(e) => {
                    last = AlertError::Delivery {
                        channel,
                        reason: format!("{e} after {} attempts", attempt + 1),
                    };
                }
            }
            if attempt + 1 < max {
                let seed = event.id.wrapping_mul(31).wrapping_add(u64::from(attempt));
                (self.sleeper)(backoff_delay(&self.policy, attempt, retry_after, seed));
            }
        }
        (max, Err(last))
    }
}

/// 408, 425, 429 and 5xx are retried; other statuses are final.
fn retryable(resp: &HttpResponse) -> bool {
    matches!(resp.status, 408 | 425 | 429) || resp.status >= 500
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_caps_and_honours_retry_after() {
        let p = RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        };
        let d: Vec<u64> = (0..8)
            .map(|a| backoff_delay(&p, a, None, 0).as_millis() as u64)
            .collect();
        assert_eq!(d, vec![500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
        assert_eq!(
            backoff_delay(&p, 0, Some(Duration::from_secs(7)), 0),
            Duration::from_secs(7)
        );
        assert_eq!(
            backoff_delay(&p, 0, Some(Duration::from_secs(700)), 0),
            Duration::from_secs(30)
        );
        assert_eq!(backoff_delay(&p, 40, None, 0), Duration::from_secs(30));
        let j = RetryPolicy::default();
        for seed in 0..100 {
            let d = backoff_delay(&j, 2, None, seed);
            assert!(d >= Duration::from_millis(1000) && d <= Duration::from_millis(2000));
        }
    }
}
