//! The `chat` example's handlers written the way a team already on the `tracing` and
//! `metrics` crates writes them: `#[tracing::instrument]` and `info_span!` spans,
//! `info!`/`warn!`/`error!` events with fields, and `metrics::counter!`/`gauge!`/
//! `histogram!` with labels (a held `metrics::Counter` on the hottest path). Nothing in
//! the handlers names telemetra: the setup in `main` routes both facades into a telemetra
//! pipeline (scrubbing, aggregation, sinks) for every thread, and the first request
//! continues a caller's trace from its `traceparent` header. telemetra is the whole
//! `tracing` subscriber here (`TelemetraSubscriber`: nothing else consumes the spans);
//! `wallet_tracing` shows the composable `TelemetraLayer` instead.
//!
//! Prints a short summary of what reached the sink: counter totals, timings, the span
//! tree and the events with their fields after scrubbing.
//! `cargo run --example chat_tracing`.

#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

#[path = "support/summary.rs"]
mod summary;

use telemetra::integrations::tracing::TelemetraSubscriber;
use telemetra::sinks::MemorySink;
use telemetra::trace::propagation;
use telemetra::{Config, Telemetry};
use tracing::{error, info, info_span, instrument, warn};

#[derive(Clone, Copy, Debug)]
enum Kind {
    Text,
    Image,
    Voice,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Image => "image",
            Kind::Voice => "voice",
        }
    }

    /// Price in micro-credits per message.
    fn price(self) -> u64 {
        match self {
            Kind::Text => 100,
            Kind::Image => 1_500,
            Kind::Voice => 900,
        }
    }
}

/// Why a message was not delivered: a code for labels and fields.
#[derive(Debug)]
struct DeliveryError(&'static str);

struct Chat {
    /// Every delivery attempt: the handle is held, so the hot path skips registration.
    attempts: metrics::Counter,
}

impl Chat {
    /// POST /chat/messages
    #[instrument(name = "chat.send", skip(self, kind, text), fields(kind = kind.as_str()))]
    fn send(&self, kind: Kind, online: bool, size: usize, text: &str) -> Result<(), DeliveryError> {
        self.attempts.increment(1);
        let inflight = metrics::gauge!("chat.messages.inflight", "service" => "chat");
        inflight.increment(1.0);
        metrics::counter!("product.chat.message.count", "type" => kind.as_str()).increment(1);
        let start = Instant::now();
        let delivered = info_span!("chat.deliver").in_scope(|| deliver(online, size));
        // Seconds, the `metrics` convention; the recorder stores milliseconds, so this is
        // the native example's series `chat_delivery_latency_ms`.
        let success = if delivered.is_ok() { "true" } else { "false" };
        metrics::histogram!("chat_delivery_latency_ms", "type" => kind.as_str(), "success" => success)
            .record(start.elapsed());
        match &delivered {
            Ok(()) => {
                bill(kind);
                info!(kind = kind.as_str(), text, "message sent");
            }
            Err(DeliveryError(reason)) => {
                metrics::counter!("product.chat.message.failed", "reason" => *reason).increment(1);
                // An ERROR event inside a span marks the span failed; a WARN does not.
                if size > MAX_SIZE {
                    error!(reason, size, "payload rejected");
                } else {
                    warn!(reason, "recipient offline");
                }
            }
        }
        inflight.decrement(1.0);
        delivered
    }
}

const MAX_SIZE: usize = 10_000;

fn deliver(online: bool, size: usize) -> Result<(), DeliveryError> {
    if !online {
        return Err(DeliveryError("RECIPIENT_OFFLINE"));
    }
    if size > MAX_SIZE {
        return Err(DeliveryError("PAYLOAD_TOO_LARGE"));
    }
    // Pretend to write to the recipient's queue.
    std::thread::sleep(Duration::from_micros(50 + (size as u64 % 200)));
    Ok(())
}

/// Billing per message: a counter in micro-credits, labelled by type.
#[instrument(name = "billing.charge", skip_all, fields(kind = kind.as_str(), micro_credits = kind.price()))]
fn bill(kind: Kind) {
    metrics::counter!("product.chat.billing.micro_credits", "type" => kind.as_str())
        .increment(kind.price());
}

/// One incoming request: the server span continues the caller's trace, if it sent one.
fn handle(
    chat: &Chat,
    headers: &[(&str, &str)],
    sender: u64,
    kind: Kind,
    online: bool,
    size: usize,
) {
    let incoming = propagation::extract(headers);
    let _remote = incoming.parent().map(|cx| cx.enter());
    let email = format!("user{sender}@example.com");
    let request = info_span!("http.request", route = "/chat/messages", sender.email = %email);
    let _in = request.enter();
    let _ = chat.send(kind, online, size, TEXT);
}

/// What every sender writes: message content, which never leaves the process.
const TEXT: &str = "see you at 8, call me on +44 20 7946 0958";

/// The `traceparent` header of the first request: a caller's sampled span.
const CALLER: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sink = MemorySink::new();
    let telemetry = Telemetry::start(
        Config::builder()
            .sink(sink.clone())
            .self_metrics(false)
            .build()?,
    )?;
    telemetra::integrations::metrics::install(&telemetry)?;
    // The global default, so that every thread's spans and events reach the pipeline.
    tracing::subscriber::set_global_default(TelemetraSubscriber::new(&telemetry))?;

    let chat = Chat {
        attempts: metrics::counter!("chat.delivery.attempts", "service" => "chat"),
    };
    // Two "request threads" sending messages concurrently.
    std::thread::scope(|s| {
        for worker in 0..2u64 {
            let chat = &chat;
            s.spawn(move || {
                for i in 0..150u64 {
                    let caller = [("traceparent", CALLER)];
                    let headers: &[(&str, &str)] =
                        if worker == 0 && i == 0 { &caller } else { &[] };
                    let kind = match i % 4 {
                        2 => Kind::Image,
                        3 => Kind::Voice,
                        _ => Kind::Text,
                    };
                    let online = (i + worker) % 17 != 0;
                    let size = if i % 50 == 49 {
                        20_000
                    } else {
                        (i * 37 % 2_000) as usize
                    };
                    handle(chat, headers, i % 7, kind, online, size);
                }
            });
        }
    });

    telemetry.flush(Duration::from_secs(5))?;
    summary::print(&sink);
    telemetry.shutdown(Duration::from_secs(5))?;
    Ok(())
}
