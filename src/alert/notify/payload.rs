//! Pure payload builders and the four notifiers.

use super::{Channel, Notifier, Request, Secret};
use crate::alert::event::{AlertEvent, AlertEventKind};
use crate::alert::rule::Severity;
use crate::alert::AlertError;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};
use std::time::Duration;

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn labels_json(event: &AlertEvent) -> Value {
    Value::Object(
        event
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

/// Slack incoming-webhook body: `text` plus one legacy attachment with a severity colour and
/// fields (red for firing P0/critical, orange for P1/high, yellow otherwise, green resolved).
pub fn slack_payload(event: &AlertEvent) -> Value {
    let resolved = event.kind == AlertEventKind::Resolved;
    let color = match (resolved, event.severity.rank()) {
        (true, _) => "#2eb67d",
        (false, 0) => "#e01e5a",
        (false, 1) => "#ff8c00",
        (false, _) => "#ecb22e",
    };
    let status = if resolved { "RESOLVED" } else { "FIRING" };
    let title = format!(
        "[{status}] [{}] {}",
        event.severity.as_str().to_uppercase(),
        event.rule
    );
    let mut fields = vec![
        json!({"title": "value", "value": format!("{}", event.value), "short": true}),
        json!({"title": "threshold", "value": format!("{}", event.threshold), "short": true}),
        json!({"title": "started", "value": rfc3339(event.fired_at), "short": true}),
    ];
    if let Some(t) = event.resolved_at {
        fields.push(json!({"title": "resolved", "value": rfc3339(t), "short": true}));
    }
    for (k, v) in event
        .labels
        .iter()
        .filter(|(k, _)| *k != "alertname" && *k != "severity")
    {
        fields.push(json!({"title": k, "value": v, "short": true}));
    }
    json!({
        "text": title,
        "attachments": [{
            "color": color,
            "title": title,
            "text": if event.description.is_empty() { event.summary.clone() } else { event.description.clone() },
            "fields": fields,
            "footer": format!("telemetra · {}", event.fingerprint),
            "ts": event.at.timestamp(),
        }]
    })
}

/// PagerDuty Events API v2 body: `trigger` for firing (with payload) and `resolve` for resolved
/// (routing key, dedup key and action only). The dedup key is [`AlertEvent::dedup_key`].
pub fn pagerduty_payload(event: &AlertEvent, routing_key: &str, source: &str) -> Value {
    if event.kind == AlertEventKind::Resolved {
        return json!({
            "routing_key": routing_key,
            "event_action": "resolve",
            "dedup_key": event.dedup_key(),
        });
    }
    let mut details = Map::new();
    details.insert("labels".into(), labels_json(event));
    details.insert("value".into(), json!(event.value));
    details.insert("threshold".into(), json!(event.threshold));
    details.insert("description".into(), json!(event.description));
    details.insert("active_at".into(), json!(rfc3339(event.active_at)));
    json!({
        "routing_key": routing_key,
        "event_action": "trigger",
        "dedup_key": event.dedup_key(),
        "payload": {
            "summary": truncate(&event.summary, 1024),
            "source": source,
            "severity": event.severity.pagerduty(),
            "timestamp": rfc3339(event.fired_at),
            "component": event.labels.get("service").cloned().unwrap_or_else(|| event.rule.clone()),
            "group": event.labels.get("team").cloned().unwrap_or_else(|| "telemetra".to_owned()),
            "class": event.rule,
            "custom_details": Value::Object(details),
        },
        "client": "telemetra",
    })
}

/// Alertmanager `POST /api/v2/alerts` body (an array). Firing: `endsAt = at + 4 *
/// max(cooldown, 1m)` (reminders arrive every cooldown, as Prometheus' resend rule); resolved:
/// `endsAt = resolved_at`.
pub fn alertmanager_payload(events: &[AlertEvent], generator_url: Option<&str>) -> Value {
    let alerts: Vec<Value> = events
        .iter()
        .map(|e| {
            let ends = match e.resolved_at {
                Some(t) => t,
                None => {
                    let ttl = e.cooldown.max(Duration::from_secs(60)) * 4;
                    e.at + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::hours(1))
                }
            };
            let mut alert = json!({
                "labels": labels_json(e),
                "annotations": {
                    "summary": e.summary,
                    "description": e.description,
                    "value": format!("{}", e.value),
                },
                "startsAt": rfc3339(e.fired_at),
                "endsAt": rfc3339(ends),
            });
            if let (Some(url), Some(obj)) = (generator_url, alert.as_object_mut()) {
                obj.insert("generatorURL".into(), json!(url));
            }
            alert
        })
        .collect();
    Value::Array(alerts)
}

/// Generic webhook body, shaped like Alertmanager's webhook (`version`, `status`, `alerts`),
/// with each alert serialized in full.
pub fn webhook_payload(event: &AlertEvent) -> Value {
    json!({
        "version": "1",
        "source": "telemetra",
        "status": event.kind.as_str(),
        "alerts": [event],
    })
}

fn json_request(
    url: &Secret,
    extra: &[(String, String)],
    body: &Value,
) -> Result<Request, AlertError> {
    let mut headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    headers.extend(extra.iter().cloned());
    Ok(Request {
        url: url.clone(),
        headers,
        body: serde_json::to_vec(body)?,
    })
}

fn passes(event: &AlertEvent, min: Severity, send_resolved: bool) -> bool {
    event.severity.rank() <= min.rank() && (send_resolved || event.kind == AlertEventKind::Firing)
}

/// Slack incoming webhook; the URL is the secret.
#[derive(Clone, Debug)]
pub struct SlackNotifier {
    /// Webhook URL.
    pub url: Secret,
    /// Lowest severity sent. Defaults to info (everything).
    pub min_severity: Severity,
    /// Send resolved events. Defaults to true.
    pub send_resolved: bool,
}

impl SlackNotifier {
    /// A notifier for the webhook `url`.
    pub fn new(url: Secret) -> Self {
        Self {
            url,
            min_severity: Severity::Info,
            send_resolved: true,
        }
    }
}

impl Notifier for SlackNotifier {
    fn channel(&self) -> Channel {
        Channel::Slack
    }
    fn accepts(&self, event: &AlertEvent) -> bool {
        passes(event, self.min_severity, self.send_resolved)
    }
    fn request(&self, event: &AlertEvent) -> Result<Request, AlertError> {
        json_request(&self.url, &[], &slack_payload(event))
    }
    fn delivered(&self, response: &super::HttpResponse) -> bool {
        // Slack answers 200 `ok`; anything else is an error string.
        response.status == 200
    }
    fn secrets(&self) -> Vec<&Secret> {
        vec![&self.url]
    }
}

/// PagerDuty Events API v2; the routing key is the secret.
#[derive(Clone, Debug)]
pub struct PagerDutyNotifier {
    /// Events endpoint. Defaults to `https://events.pagerduty.com/v2/enqueue`.
    pub url: Secret,
    /// Integration (routing) key.
    pub routing_key: Secret,
    /// `payload.source`. Defaults to `telemetra`.
    pub source: String,
    /// Lowest severity sent. Defaults to critical (the product pages on critical only).
    pub min_severity: Severity,
}

impl PagerDutyNotifier {
    /// A notifier for `routing_key` with the defaults.
    pub fn new(routing_key: Secret) -> Self {
        Self {
            url: Secret::new("https://events.pagerduty.com/v2/enqueue"),
            routing_key,
            source: "telemetra".to_owned(),
            min_severity: Severity::Critical,
        }
    }
}

impl Notifier for PagerDutyNotifier {
    fn channel(&self) -> Channel {
        Channel::PagerDuty
    }
    fn accepts(&self, event: &AlertEvent) -> bool {
        // Resolves must always follow their triggers; repeats re-trigger (deduplicated by key).
        passes(event, self.min_severity, true)
    }
    fn request(&self, event: &AlertEvent) -> Result<Request, AlertError> {
        json_request(
            &self.url,
            &[],
            &pagerduty_payload(event, self.routing_key.expose(), &self.source),
        )
    }
    /// The routing key, sent in the body (and echoed by PagerDuty in some answers).
    fn secrets(&self) -> Vec<&Secret> {
        vec![&self.routing_key, &self.url]
    }
}

/// Prometheus Alertmanager API v2 (`<base>/api/v2/alerts`).
#[derive(Clone, Debug)]
pub struct AlertmanagerNotifier {
    /// Base URL, e.g. `http://127.0.0.1:9093`.
    pub base_url: Secret,
    /// `generatorURL` for each alert. Defaults to none.
    pub generator_url: Option<String>,
}

impl AlertmanagerNotifier {
    /// A notifier for the Alertmanager at `base_url`.
    pub fn new(base_url: Secret) -> Self {
        Self {
            base_url,
            generator_url: None,
        }
    }
}

impl Notifier for AlertmanagerNotifier {
    fn channel(&self) -> Channel {
        Channel::Alertmanager
    }
    fn accepts(&self, _event: &AlertEvent) -> bool {
        true
    }
    fn request(&self, event: &AlertEvent) -> Result<Request, AlertError> {
        let url = Secret::new(format!(
            "{}/api/v2/alerts",
            self.base_url.expose().trim_end_matches('/')
        ));
        let body = alertmanager_payload(std::slice::from_ref(event), self.generator_url.as_deref());
        json_request(&url, &[], &body)
    }
    fn secrets(&self) -> Vec<&Secret> {
        vec![&self.base_url]
    }
}

/// Generic JSON webhook; URL and extra headers (e.g. `Authorization`) are secret.
#[derive(Clone, Debug)]
pub struct WebhookNotifier {
    /// Destination.
    pub url: Secret,
    /// Extra headers; values are redacted in `Debug` of the request.
    pub headers: Vec<(String, Secret)>,
    /// Lowest severity sent. Defaults to info.
    pub min_severity: Severity,
    /// Send resolved events. Defaults to true.
    pub send_resolved: bool,
}

impl WebhookNotifier {
    /// A notifier for `url`.
    pub fn new(url: Secret) -> Self {
        Self {
            url,
            headers: Vec::new(),
            min_severity: Severity::Info,
            send_resolved: true,
        }
    }
}

impl Notifier for WebhookNotifier {
    fn channel(&self) -> Channel {
        Channel::Webhook
    }
    fn accepts(&self, event: &AlertEvent) -> bool {
        passes(event, self.min_severity, self.send_resolved)
    }
    fn request(&self, event: &AlertEvent) -> Result<Request, AlertError> {
        let headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.expose().to_owned()))
            .collect();
        json_request(&self.url, &headers, &webhook_payload(event))
    }
    fn secrets(&self) -> Vec<&Secret> {
        std::iter::once(&self.url)
            .chain(self.headers.iter().map(|(_, v)| v))
            .collect()
    }
}
