//! Delivery: retries with exponential backoff, isolation per notifier, kill switches.

use super::{Channel, HttpPost, HttpResponse, Notifier};
use crate::alert::event::AlertEvent;
use crate::alert::AlertError;
use crate::net::{is_retryable_status, retry_delay, scrub, url_secrets, Jitter};
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Retry settings of the [`Dispatcher`]. The waits follow the sinks' transport policy
/// (one shared function, [`retry_delay`](crate::sinks::http::retry_delay) with the
/// `transport` feature): exponential backoff with full jitter, or the server's
/// `Retry-After` instead, capped at `max_delay`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, including the first. Defaults to 4.
    pub max_attempts: u32,
    /// Backoff ceiling of the first retry, doubled for each further one. Defaults to
    /// 500 ms.
    pub base_delay: Duration,
    /// Largest delay (also caps `Retry-After`). Defaults to 30 s.
    pub max_delay: Duration,
    /// Full jitter: each delay is drawn uniformly from `[0, d]` (`d` the backoff
    /// ceiling), so that many processes do not retry in step. Without it the delay is
    /// `d`. Defaults to true.
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

impl RetryPolicy {
    /// The wait before retry number `retry` (0 after the first failure): `retry_after`
    /// capped at `max_delay` if the server sent one, else
    /// `min(max_delay, base_delay · 2^retry)` scaled by `jitter` (uniform in `[0, 1]`,
    /// clamped; ignored, as 1, when [`jitter`](Self::jitter) is off). Pure.
    ///
    /// ```
    /// use std::time::Duration;
    /// use telemetra::alert::notify::RetryPolicy;
    /// let p = RetryPolicy::default();
    /// assert_eq!(p.delay(2, None, 1.0), Duration::from_secs(2));
    /// assert_eq!(p.delay(2, None, 0.5), Duration::from_secs(1));
    /// assert_eq!(p.delay(0, Some(Duration::from_secs(7)), 0.5), Duration::from_secs(7));
    /// assert_eq!(p.delay(40, None, 1.0), Duration::from_secs(30));
    /// ```
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        let jitter = if self.jitter { jitter } else { 1.0 };
        retry_delay(retry, self.base_delay, self.max_delay, jitter, retry_after)
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
        // Whatever the transport echoes back passes through this before a notifier or
        // an error sees it: the notifier's own secrets (a routing key in the body),
        // the URL's and every header value but the content type.
        let mut secrets: Vec<String> = notifier
            .secrets()
            .iter()
            .flat_map(|s| url_secrets(s.expose()))
            .collect();
        secrets.extend(url_secrets(request.url.expose()));
        secrets.extend(
            headers
                .iter()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| (*v).to_owned()),
        );
        let clean = |text: &str| scrub(text, secrets.iter().map(String::as_str));
        let max = self.policy.max_attempts.max(1);
        let mut jitter = Jitter::new();
        let mut last = AlertError::Delivery {
            channel,
            reason: "not attempted".to_owned(),
        };
        for attempt in 0..max {
            let mut retry_after = None;
            let sent = self
                .transport
                .post(request.url.expose(), &headers, &request.body)
                .map(|resp| HttpResponse {
                    body: clean(&String::from_utf8_lossy(&resp.body)).into_bytes(),
                    ..resp
                });
            match sent {
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
                        reason: clean(&format!("{e} after {} attempts", attempt + 1)),
                    };
                }
            }
            if attempt + 1 < max {
                (self.sleeper)(self.policy.delay(attempt, retry_after, jitter.next()));
            }
        }
        (max, Err(last))
    }
}

/// The transport's retryable statuses (408, 425, 429, 5xx); other statuses are final.
fn retryable(resp: &HttpResponse) -> bool {
    is_retryable_status(resp.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The policy is the shared one (its own tests are in `crate::net`); here only
    /// the mapping of the dispatcher's settings onto it.
    #[test]
    fn the_policy_is_the_transports() {
        let p = RetryPolicy::default();
        for (retry, ra, j) in [
            (0, None, 1.0),
            (3, None, 0.3),
            (1, Some(7), 0.9),
            (9, Some(90), 0.0),
        ] {
            let ra = ra.map(Duration::from_secs);
            assert_eq!(
                p.delay(retry, ra, j),
                retry_delay(retry, p.base_delay, p.max_delay, j, ra)
            );
        }
        let fixed = RetryPolicy { jitter: false, ..p };
        let d: Vec<u128> = (0..8)
            .map(|a| fixed.delay(a, None, 0.0).as_millis())
            .collect();
        assert_eq!(d, [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
        for status in [408, 425, 429, 500, 503] {
            assert!(retryable(&HttpResponse {
                status,
                ..HttpResponse::default()
            }));
        }
    }
}
